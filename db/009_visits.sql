-- 009_visits: one visit, one ticket; codes carry no purpose (issue 12,
-- items 7 and 8). The part both databases run; then pg/009_visits.sql.
--
-- A client with an open ticket today gets that ticket back whatever purpose
-- they pick, and the new purpose joins the visit: ticket_purposes holds
-- every purpose of a visit, the first one too (tickets.purpose stays the
-- first purpose, so the views, reports and JSON that read it keep their
-- meaning). Rows are added only by the check-in's rules (core/queue.c
-- checkin_body; on PostgreSQL bk_act_checkin), never changed or removed.
--
-- The codes of new tickets come from one daily series, A-001, A-002, ...,
-- whatever the purpose (db/README.md, "Ticket codes"); the tickets of the
-- day that were made before this migration keep their codes, and
-- (office_day, letter, seq) stays unique.
CREATE TABLE ticket_purposes (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    purpose   TEXT NOT NULL
              CHECK (purpose IN ('report', 'counseling', 'group', 'drug-test', 'litmas', 'other')),
    added_at  TEXT NOT NULL, -- UTC instant the purpose was chosen
    PRIMARY KEY (ticket_id, purpose)
);
-- Every visit so far had one purpose.
INSERT INTO ticket_purposes(ticket_id, purpose, added_at)
SELECT id, purpose, checkin_at FROM tickets;
