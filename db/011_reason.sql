-- 011_reason.sql — why a ticket without a client was made (issue 12, item 3).
-- The part both databases run; then pg/011_reason.sql (the kiosk's function).
-- '' = no reason recorded (a client's ticket, a walk-in made at reception);
-- 'no_number' = a client at the kiosk did not know their number and took a
-- reception ticket from [identify]: reception sees it, `bapasctl queue`
-- shows it (`reason`), reports count it. It names no one.
ALTER TABLE tickets ADD COLUMN reason TEXT NOT NULL DEFAULT ''
    CHECK (reason IN ('', 'no_number'));
