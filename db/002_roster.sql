-- 002_roster.sql — the weekly duty pattern, and when each client was first imported.
-- The part both databases run; then sqlite/002_roster.sql or pg/002_roster.sql
-- (the view) in the same transaction.
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
