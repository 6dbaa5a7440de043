-- pg/002_roster.sql — PostgreSQL dialect of ../002_roster.sql: the weekly duty pattern, and when each client was first imported.
-- Presence of an officer on an office day, strongest first:
--   1. an explicit row in officer_presence for that day (bapasctl roster set);
--   2. the officer's weekly pattern for that weekday (bapasctl roster weekly);
--   3. present, if the officer is active.

CREATE TABLE officer_weekly (
    officer_id    TEXT NOT NULL REFERENCES officers(id),
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Sunday .. 6 = Saturday
    status        TEXT NOT NULL CHECK (status IN ('present', 'absent', 'duty')),
    substitute_id TEXT REFERENCES officers(id),
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (officer_id, weekday),
    CHECK (substitute_id IS NULL OR substitute_id <> officer_id)
);

-- The office day a client number first arrived by import: the baseline of the
-- `missed` report for a client who has never reported yet.
CREATE TABLE client_since (
    client_no TEXT PRIMARY KEY REFERENCES clients(no),
    since     TEXT NOT NULL
);

-- Today's presence now follows the same order as check-in routing. The
-- columns of 001 are unchanged; `source` (day | weekly | default) is new.
DROP VIEW v_officer_presence;
CREATE VIEW v_officer_presence AS
SELECT d.day AS office_day, o.id AS officer, o.name AS name, o.room AS room,
       COALESCE(p.status, w.status, 'present') AS status,
       CASE WHEN p.status IS NOT NULL THEN p.substitute_id ELSE w.substitute_id END AS substitute,
       CASE WHEN p.status IS NULL THEN 0 ELSE 1 END AS recorded,
       CASE WHEN p.status IS NOT NULL THEN 'day'
            WHEN w.status IS NOT NULL THEN 'weekly' ELSE 'default' END AS source
  FROM officers o
  CROSS JOIN (SELECT bk_office_today() AS day) d
  LEFT JOIN officer_presence p ON p.officer_id = o.id AND p.office_day = d.day
  LEFT JOIN officer_weekly w ON w.officer_id = o.id
                            AND w.weekday = CAST(EXTRACT(DOW FROM CAST(d.day AS DATE)) AS INTEGER)
 WHERE o.active = 1
UNION ALL
SELECT p.office_day, p.officer_id, o.name, o.room, p.status, p.substitute_id, 1, 'day'
  FROM officer_presence p JOIN officers o ON o.id = p.officer_id
 WHERE p.office_day <> bk_office_today();

CREATE TRIGGER officer_weekly_touch AFTER INSERT OR UPDATE OR DELETE ON officer_weekly
    FOR EACH STATEMENT EXECUTE FUNCTION bk_touch();
CREATE TRIGGER client_since_touch AFTER INSERT OR UPDATE OR DELETE ON client_since
    FOR EACH STATEMENT EXECUTE FUNCTION bk_touch();
