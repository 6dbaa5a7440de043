-- sqlite/001_init.sql — SQLite's part of the first schema, run right after
-- ../001_init.sql in the same transaction (PRAGMA user_version records it):
-- the append-only triggers of `audit` and the views, whose "today" uses
-- SQLite's date functions.

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
