-- 001_init.sql — the first schema of the Bapas Kiosk shared database.
-- Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ"; office days are local "YYYY-MM-DD".
-- Applied by the store in one transaction; PRAGMA user_version records it.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings(key, value) VALUES ('utc_offset_min', '420');

CREATE TABLE officers (
    id     TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    room   TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE clients (
    no                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    birth_date        TEXT NOT NULL,
    program           TEXT NOT NULL DEFAULT 'OTHER'
                      CHECK (program IN ('PB', 'CB', 'CMB', 'ASIMILASI', 'OTHER')),
    officer_id        TEXT NOT NULL REFERENCES officers(id),
    report_every_days INTEGER NOT NULL DEFAULT 30 CHECK (report_every_days BETWEEN 1 AND 366),
    last_report       TEXT,
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE INDEX clients_officer ON clients(officer_id);

CREATE TABLE officer_presence (
    office_day    TEXT NOT NULL,
    officer_id    TEXT NOT NULL REFERENCES officers(id),
    status        TEXT NOT NULL CHECK (status IN ('present', 'absent', 'duty')),
    substitute_id TEXT REFERENCES officers(id),
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (office_day, officer_id)
);

-- Wrong birth-date attempts per client number and day. The number need not
-- exist: unknown numbers are counted alike so nothing reveals which exist.
CREATE TABLE verify_failures (
    client_no  TEXT NOT NULL,
    office_day TEXT NOT NULL,
    count      INTEGER NOT NULL,
    last_at    TEXT NOT NULL,
    PRIMARY KEY (client_no, office_day)
);

CREATE TABLE client_locks (
    client_no TEXT PRIMARY KEY,
    locked_at TEXT NOT NULL
);

CREATE TABLE tickets (
    id               INTEGER PRIMARY KEY,
    office_day       TEXT NOT NULL,
    letter           TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    code             TEXT NOT NULL,
    token            TEXT NOT NULL UNIQUE,
    purpose          TEXT NOT NULL
                     CHECK (purpose IN ('report', 'counseling', 'group', 'drug-test', 'litmas', 'other')),
    client_no        TEXT REFERENCES clients(no),
    walkin_name      TEXT NOT NULL DEFAULT '',
    officer_id       TEXT REFERENCES officers(id),
    assigned_id      TEXT REFERENCES officers(id),
    routed           TEXT NOT NULL CHECK (routed IN ('assigned', 'substitute', 'reception')),
    transferred_from TEXT REFERENCES officers(id),
    status           TEXT NOT NULL DEFAULT 'waiting'
                     CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled')),
    priority         INTEGER NOT NULL DEFAULT 0,
    calls            INTEGER NOT NULL DEFAULT 0,
    last_call_at     TEXT,
    order_at         TEXT NOT NULL,
    checkin_at       TEXT NOT NULL,
    called_at        TEXT,
    started_at       TEXT,
    finished_at      TEXT,
    served_by        TEXT REFERENCES officers(id),
    outcome          TEXT CHECK (outcome IN ('counseled', 'admin', 'referred'))
);
-- code = letter || '-' || seq (zero-padded), so this also keeps codes unique per day.
CREATE UNIQUE INDEX tickets_day_letter_seq ON tickets(office_day, letter, seq);
CREATE INDEX tickets_queue ON tickets(office_day, officer_id, status, priority DESC, order_at, id);
CREATE INDEX tickets_client ON tickets(client_no, office_day, purpose);
CREATE INDEX tickets_service ON tickets(officer_id, purpose, status, finished_at);
CREATE INDEX tickets_open ON tickets(status, office_day);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id),
    client_no TEXT,
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_ticket ON audit(ticket_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

-- ---- views for the officers' other systems (documented in db/README.md) ----

-- Today's queue. No client names, no client numbers.
CREATE VIEW v_queue_today AS
SELECT t.code          AS code,
       t.status        AS status,
       t.purpose       AS purpose,
       t.officer_id    AS officer,
       o.room          AS room,
       CASE WHEN t.status = 'waiting' THEN
           (SELECT COUNT(*) FROM tickets w
             WHERE w.office_day = t.office_day AND w.status = 'waiting'
               AND w.officer_id IS t.officer_id
               AND (w.priority > t.priority
                    OR (w.priority = t.priority AND (w.order_at < t.order_at
                        OR (w.order_at = t.order_at AND w.id < t.id)))))
       END             AS position,
       t.priority      AS priority,
       t.checkin_at    AS checked_in_at,
       t.called_at     AS called_at,
       t.last_call_at  AS last_call_at,
       t.calls         AS calls
  FROM tickets t
  LEFT JOIN officers o ON o.id = t.officer_id
 WHERE t.office_day = date('now', (SELECT value FROM settings WHERE key = 'utc_offset_min') || ' minutes')
   AND t.status IN ('waiting', 'called', 'serving');

-- Every visit, all days.
CREATE VIEW v_visits AS
SELECT t.id, t.office_day, t.code, t.purpose, t.client_no,
       t.officer_id, t.assigned_id, t.routed, t.transferred_from,
       t.status, t.priority, t.calls,
       t.checkin_at, t.called_at, t.started_at, t.finished_at,
       t.served_by, t.outcome,
       CAST(strftime('%s', t.called_at) - strftime('%s', t.checkin_at) AS INTEGER) AS wait_seconds,
       CAST(strftime('%s', t.finished_at) - strftime('%s', t.started_at) AS INTEGER) AS service_seconds
  FROM tickets t;

-- Each officer's presence today (present unless recorded otherwise), and every recorded day.
CREATE VIEW v_officer_presence AS
SELECT d.day AS office_day, o.id AS officer, o.name AS name, o.room AS room,
       COALESCE(p.status, 'present') AS status, p.substitute_id AS substitute,
       CASE WHEN p.status IS NULL THEN 0 ELSE 1 END AS recorded
  FROM officers o
  CROSS JOIN (SELECT date('now', (SELECT value FROM settings WHERE key = 'utc_offset_min') || ' minutes') AS day) d
  LEFT JOIN officer_presence p ON p.officer_id = o.id AND p.office_day = d.day
 WHERE o.active = 1
UNION ALL
SELECT p.office_day, p.officer_id, o.name, o.room, p.status, p.substitute_id, 1
  FROM officer_presence p JOIN officers o ON o.id = p.officer_id
 WHERE p.office_day <> date('now', (SELECT value FROM settings WHERE key = 'utc_offset_min') || ' minutes');
