-- pg/014_reason_seen.sql — PostgreSQL's schema 14 (see ../014_reason_seen.sql).
--
-- Schema 8 gave the machines' logins the tickets only through
-- bk_tickets_seen, with the columns tickets had then; schema 11 added
-- tickets.reason ('' or 'no_number': why a ticket without a client was
-- made), which the store reads with every ticket. The view gains it, last,
-- as the table has it (a reason names no one: not masked). Everything else
-- is schema 8's view, unchanged. bk_ticket_by_token returns the view's rows:
-- made again so that its row type is the new one.
CREATE OR REPLACE VIEW bk_tickets_seen AS
SELECT t.id, t.office_day, t.letter, t.seq, t.code,
       CAST('' AS TEXT) AS token,
       t.purpose,
       CASE WHEN w.owner OR ((w.reception OR t.officer_id = w.desk) AND t.office_day = w.today)
            THEN t.client_no END AS client_no,
       CASE WHEN w.owner OR ((w.reception OR t.officer_id = w.desk) AND t.office_day = w.today)
            THEN t.walkin_name ELSE '' END AS walkin_name,
       t.officer_id, t.assigned_id, t.routed, t.transferred_from, t.status, t.priority,
       t.calls, t.last_call_at, t.order_at, t.checkin_at, t.called_at, t.started_at,
       t.finished_at, t.served_by, t.outcome,
       t.reason
  FROM tickets t
 CROSS JOIN (SELECT pg_has_role(session_user, (SELECT k.relowner FROM pg_class k
                                                WHERE k.oid = 'tickets'::regclass), 'MEMBER')
                        AS owner,
                    EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_reception')
                        AND pg_has_role(session_user, 'bapas_reception', 'MEMBER') AS reception,
                    (SELECT d.officer_id FROM bk_desk_login d WHERE d.login = session_user) AS desk,
                    bk_office_today() AS today
             OFFSET 0) w;

CREATE OR REPLACE FUNCTION bk_ticket_by_token(p_token TEXT) RETURNS SETOF bk_tickets_seen
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT s.* FROM bk_tickets_seen s
     WHERE s.id = (SELECT t.id FROM tickets t WHERE t.token = p_token)
$$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION bk_ticket_by_token(TEXT) SET search_path = %I, pg_temp',
                   current_schema());
END $$;
