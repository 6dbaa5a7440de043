-- pg/008_reads.sql — PostgreSQL's schema 8 (see ../008_reads.sql): reads by
-- column and by row (issue 20, item 3). Until schema 7 deploy/pg-roles.sql
-- let bapas_board (and so the kiosk, desk and reception roles) SELECT the
-- whole tickets table: every slip token, client number and walk-in name of
-- every day; and reception the whole audit trail, wrong birth-date counts
-- included. From schema 8 no login role but the owner reads either table:
--
--   bk_tickets_seen  every ticket, every column, but
--                      token        always '' (a slip's token is read by no
--                                   role: bk_ticket_by_token / bk_slip_token)
--                      client_no, walkin_name
--                                   owner, superuser: as stored;
--                                   reception: as stored for today's tickets
--                                   (the whole day, every queue: what its
--                                   screen lists), NULL / '' for earlier days;
--                                   a desk login (bk_desk_login): as stored
--                                   for today's tickets routed to its own
--                                   officer, NULL / '' for every other;
--                                   kiosk, board, anyone else: NULL / ''
--                    (granted to bapas_board: the board, kiosk, desk and
--                    reception read it; bapas_read does not)
--   bk_audit_seen    the audit trail without the wrong birth-date counts:
--                    'verify_fail' rows have no detail, 'lock' rows keep
--                    "client N locked" without the count (reception only)
--   bk_ticket_by_token(token)   a slip scan (desk and reception): the
--                    ticket with that token as bk_tickets_seen shows it to
--                    the caller (no token), or no row
--   bk_slip_token(id)           a reprint (reception only): the token of a
--                    ticket of today or still open, else NULL
--
-- Who the caller is (w) is worked out once per query: OFFSET 0 keeps the
-- planner from copying its expressions into every row's CASE, where
-- pg_has_role ran twice a row (one queue of a 300-ticket day, prepared,
-- median of 9: the board login 0.39 ms with it, 3.0 ms without; the owner
-- on the table 0.21 ms). The views hide no rows, only columns, and each masked column is an
-- expression of the view's own: a caller's condition or function sees the
-- masked value only, so no security_barrier is needed and the planner may
-- use the tickets' indexes as on the table. The documented views
-- (v_queue_today, v_visits, v_officer_presence: db/README.md) are not
-- changed; they read the tables as their owner, as before.
--
-- The store (kiosk/store/store.c) reads bk_tickets_seen / bk_audit_seen
-- instead of the tables when its login may not SELECT the table.

CREATE VIEW bk_tickets_seen AS
SELECT t.id, t.office_day, t.letter, t.seq, t.code,
       CAST('' AS TEXT) AS token,
       t.purpose,
       CASE WHEN w.owner OR ((w.reception OR t.officer_id = w.desk) AND t.office_day = w.today)
            THEN t.client_no END AS client_no,
       CASE WHEN w.owner OR ((w.reception OR t.officer_id = w.desk) AND t.office_day = w.today)
            THEN t.walkin_name ELSE '' END AS walkin_name,
       t.officer_id, t.assigned_id, t.routed, t.transferred_from, t.status, t.priority,
       t.calls, t.last_call_at, t.order_at, t.checkin_at, t.called_at, t.started_at,
       t.finished_at, t.served_by, t.outcome
  FROM tickets t
 CROSS JOIN (SELECT pg_has_role(session_user, (SELECT k.relowner FROM pg_class k
                                                WHERE k.oid = 'tickets'::regclass), 'MEMBER')
                        AS owner,
                    EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_reception')
                        AND pg_has_role(session_user, 'bapas_reception', 'MEMBER') AS reception,
                    (SELECT d.officer_id FROM bk_desk_login d WHERE d.login = session_user) AS desk,
                    bk_office_today() AS today
             OFFSET 0) w;
REVOKE ALL ON bk_tickets_seen FROM PUBLIC;

-- bk_clients_seen (schema 3) as it was, with the same OFFSET 0 as
-- bk_tickets_seen: who the caller is, worked out once per query instead of
-- copied into every row's CASE (the same columns, rows and names).
CREATE OR REPLACE VIEW bk_clients_seen WITH (security_barrier) AS
SELECT c.no,
       CASE WHEN w.all_rows OR w.desk IS NOT NULL THEN c.name ELSE '' END AS name,
       CAST('' AS TEXT) AS birth_date,
       c.program, c.officer_id, c.report_every_days, c.last_report, c.active
  FROM clients c
 CROSS JOIN (SELECT pg_has_role(session_user, (SELECT k.relowner FROM pg_class k
                                                WHERE k.oid = 'clients'::regclass), 'MEMBER')
                    OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_reception')
                        AND pg_has_role(session_user, 'bapas_reception', 'MEMBER')) AS all_rows,
                    (SELECT d.officer_id FROM bk_desk_login d WHERE d.login = session_user) AS desk,
                    EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_kiosk')
                        AND pg_has_role(session_user, 'bapas_kiosk', 'MEMBER') AS kiosk
             OFFSET 0) w
 WHERE w.all_rows
    OR (w.desk IS NOT NULL AND EXISTS (SELECT 1 FROM tickets t
                                        WHERE t.client_no = c.no AND t.officer_id = w.desk
                                          AND t.office_day = bk_office_today()))
    OR (w.kiosk AND EXISTS (SELECT 1 FROM tickets t
                             WHERE t.client_no = c.no AND t.office_day = bk_office_today()));

CREATE VIEW bk_audit_seen AS
SELECT a.id, a.at, a.actor, a.action, a.ticket_id, a.client_no,
       CASE a.action
            WHEN 'verify_fail' THEN ''
            WHEN 'lock' THEN regexp_replace(a.detail, ' after [0-9]+ wrong birth dates$', '')
            ELSE a.detail END AS detail
  FROM audit a;
REVOKE ALL ON bk_audit_seen FROM PUBLIC;

-- A slip scan: the ticket whose token this is, as the caller may see it.
CREATE FUNCTION bk_ticket_by_token(p_token TEXT) RETURNS SETOF bk_tickets_seen
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT s.* FROM bk_tickets_seen s
     WHERE s.id = (SELECT t.id FROM tickets t WHERE t.token = p_token)
$$;

-- A reprint: the token of one ticket of today (or still open), for its slip's QR.
CREATE FUNCTION bk_slip_token(p_id BIGINT) RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT t.token FROM tickets t
     WHERE t.id = p_id
       AND (t.office_day = bk_office_today() OR t.status IN ('waiting', 'called', 'serving'))
$$;


-- ---- the write functions' answer: no token for a desk -------------------------
-- Every bk_act_* function answers with bk_answer (004), the ticket's row. A
-- desk login (call-next, recall, start, done, ...) got the ticket's slip token
-- with it; from schema 8 only the owner and the roles that print a slip get
-- it (the kiosk's check-in and walk-in, reception's walk-in: bapas_kiosk, of
-- which bapas_reception is a member). Otherwise as 004.
CREATE FUNCTION bk_may_read_token() RETURNS BOOLEAN LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN pg_has_role(session_user, (SELECT c.relowner FROM pg_class c
                                       WHERE c.oid = 'tickets'::regclass), 'MEMBER')
        OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_kiosk')
            AND pg_has_role(session_user, 'bapas_kiosk', 'MEMBER'));
END $$;
REVOKE ALL ON FUNCTION bk_may_read_token() FROM PUBLIC;

CREATE OR REPLACE FUNCTION bk_answer(p_id BIGINT, p_result TEXT, p_service INTEGER,
                                     p_attempts INTEGER DEFAULT NULL, p_n INTEGER DEFAULT 0)
RETURNS bk_act_result LANGUAGE plpgsql STABLE AS $$
DECLARE
    r bk_act_result;
    t tickets%ROWTYPE;
    o officers%ROWTYPE;
BEGIN
    r.result := p_result;
    r.attempts_left := p_attempts;
    r.n := p_n;
    IF p_id IS NULL THEN
        RETURN r;
    END IF;
    SELECT * INTO t FROM tickets WHERE id = p_id;
    IF NOT FOUND THEN
        RETURN r;
    END IF;
    r.id := t.id; r.office_day := t.office_day; r.code := t.code; r.seq := t.seq;
    -- Schema 8: the token only to the owner and to the roles that print
    -- slips (kiosk; reception is a member): a desk's call or action gets
    -- the ticket without it.
    IF bk_may_read_token() THEN
        r.token := t.token;
    ELSE
        r.token := '';
    END IF;
    r.purpose := t.purpose; r.client_no := t.client_no;
    r.walkin_name := t.walkin_name; r.officer_id := t.officer_id; r.assigned_id := t.assigned_id;
    r.routed := t.routed; r.transferred_from := t.transferred_from; r.status := t.status;
    r.priority := t.priority; r.calls := t.calls; r.order_at := t.order_at;
    r.checkin_at := t.checkin_at; r.called_at := t.called_at; r.started_at := t.started_at;
    r.finished_at := t.finished_at; r.served_by := t.served_by; r.outcome := t.outcome;
    r.last_call_at := t.last_call_at;
    IF t.officer_id IS NOT NULL THEN
        SELECT * INTO o FROM officers WHERE id = t.officer_id;
        IF FOUND THEN
            r.officer_name := o.name; r.officer_room := o.room; r.officer_active := o.active;
        END IF;
    END IF;
    IF t.status = 'waiting' THEN
        IF t.officer_id IS NULL THEN
            SELECT COUNT(*) INTO r.position FROM tickets w
             WHERE w.office_day = t.office_day AND w.officer_id IS NULL
               AND (w.status = 'waiting') IS TRUE
               AND (w.priority > t.priority OR (w.priority = t.priority AND (w.order_at < t.order_at
                    OR (w.order_at = t.order_at AND w.id < t.id))));
        ELSE
            SELECT COUNT(*) INTO r.position FROM tickets w
             WHERE w.office_day = t.office_day AND w.officer_id = t.officer_id
               AND (w.status = 'waiting') IS TRUE
               AND (w.priority > t.priority OR (w.priority = t.priority AND (w.order_at < t.order_at
                    OR (w.order_at = t.order_at AND w.id < t.id))));
        END IF;
        r.eta_minutes := r.position * bk_median_minutes(t.officer_id, t.purpose, p_service);
    END IF;
    RETURN r;
END $$;
-- As 003 does for its functions: no EXECUTE for PUBLIC, names looked up in
-- the office's schema only. On a database whose roles exist, the grants of
-- deploy/pg-roles.sql of this version right away (it grants them again).
REVOKE ALL ON FUNCTION bk_ticket_by_token(TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION bk_slip_token(BIGINT) FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION bk_ticket_by_token(TEXT) SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION bk_slip_token(BIGINT) SET search_path = %I, pg_temp',
                   current_schema());
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_board') THEN
        GRANT SELECT ON bk_tickets_seen TO bapas_board;
        REVOKE ALL ON tickets, audit FROM bapas_board;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_desk') THEN
        GRANT EXECUTE ON FUNCTION bk_ticket_by_token(TEXT) TO bapas_desk;
        REVOKE ALL ON tickets, audit FROM bapas_desk;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_kiosk') THEN
        REVOKE ALL ON tickets, audit FROM bapas_kiosk;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_reception') THEN
        GRANT SELECT ON bk_audit_seen TO bapas_reception;
        GRANT EXECUTE ON FUNCTION bk_slip_token(BIGINT) TO bapas_reception;
        REVOKE ALL ON tickets, audit FROM bapas_reception;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_read') THEN
        REVOKE ALL ON tickets, audit FROM bapas_read;
    END IF;
END $$;
