-- 001_init.sql — the first schema of the Bapas Kiosk shared database, the
-- part both databases run: tables and indexes in portable SQL. Then, in the
-- same transaction, sqlite/001_init.sql or pg/001_init.sql adds what each
-- writes its own way (ids, triggers, the views' "today"; db/README.md).
-- Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ"; office days are local "YYYY-MM-DD".
-- Ids are INTEGER PRIMARY KEY here: SQLite's 64-bit rowid; PostgreSQL's
-- part makes them BIGINT identity columns.

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
