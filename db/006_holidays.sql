-- 006_holidays.sql — the office calendar: days the office is closed.
-- The part both databases run; then pg/006_holidays.sql (the change trigger).
-- Rows come from `bapasctl holidays import FILE` (the published SKB 3 Menteri
-- lists ship as templates/holidays-2026-2027.csv); the next report date
-- (core/calendar.c) moves forward past these days and past the weekdays the
-- office does not work ([office] working_days in the config file).
CREATE TABLE holidays (
    day  TEXT PRIMARY KEY CHECK (length(day) = 10), -- YYYY-MM-DD, an office day
    kind TEXT NOT NULL CHECK (kind IN ('libur', 'cuti')), -- libur nasional | cuti bersama
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);
