-- pg/004_pg_hardening.sql — PostgreSQL's schema 4 (see ../004_pg_hardening.sql).
-- Everything here belongs to the office's owner role, as in schema 3.

-- ---- cheaper helpers --------------------------------------------------------
-- Schema 3 wrote these small helpers as LANGUAGE sql. A SQL function that
-- PostgreSQL cannot inline into its caller (a subquery, an INSERT, a call
-- from PL/pgSQL) is parsed and planned again at every call; the write
-- functions call five of them several times each, which was most of a
-- check-in's server time. In PL/pgSQL each statement's plan is made once a
-- session and kept. Same names, arguments, results and meaning.

CREATE OR REPLACE FUNCTION bk_clock(p_now TEXT) RETURNS TEXT LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_now IS NOT NULL AND (SELECT value FROM settings WHERE key = 'clock') = 'client' THEN
        RETURN p_now;
    END IF;
    RETURN to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
END $$;

CREATE OR REPLACE FUNCTION bk_day_of(p_at TEXT) RETURNS TEXT LANGUAGE plpgsql STABLE AS $$
DECLARE
    off INTEGER;
BEGIN
    SELECT CAST(value AS INTEGER) INTO off FROM settings WHERE key = 'utc_offset_min';
    RETURN to_char((CAST(p_at AS TIMESTAMPTZ) AT TIME ZONE 'UTC')
                   + make_interval(mins => COALESCE(off, 0)), 'YYYY-MM-DD');
END $$;

CREATE OR REPLACE FUNCTION bk_audit(p_at TEXT, p_action TEXT, p_ticket BIGINT, p_client TEXT,
                                    p_detail TEXT)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit(at, actor, action, ticket_id, client_no, detail)
    VALUES (p_at, session_user, p_action, p_ticket, p_client, COALESCE(p_detail, ''));
END $$;

-- (bk_remember: below, "request keys do not pile up")

CREATE OR REPLACE FUNCTION bk_acts_for_all() RETURNS BOOLEAN LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF pg_has_role(session_user,
                   (SELECT c.relowner FROM pg_class c WHERE c.oid = 'tickets'::regclass),
                   'MEMBER') THEN
        RETURN true;
    END IF;
    RETURN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_reception')
           AND pg_has_role(session_user, 'bapas_reception', 'MEMBER');
END $$;

-- ---- queue look-ups the index can answer --------------------------------------
-- `officer_id IS NOT DISTINCT FROM x` (one condition for an officer's queue
-- and reception's, officer_id NULL) cannot use tickets_queue beyond the
-- office day: a ticket's position, and call-next's pick, read every ticket
-- of the day (a walk-in's answer took over a millisecond with a few
-- thousand of them). Each now asks `= x` or `IS NULL`, an index range.

-- And the position counts and call-next's pick hide their status condition from the planner
-- (`(status = 'waiting') IS TRUE`, the same test): its statistics always
-- date from before today (an ANALYZE comes every few weeks of tickets) and
-- say no ticket is waiting, so it guessed "one row" and counted through
-- tickets_open (status, office_day): every waiting ticket of the day, of
-- all queues, for each answer. Without an index condition on status it
-- takes tickets_queue (office_day, officer_id): that queue's day only
-- (call-next then sorts those few rows; through tickets_open it read, and
-- stepped over the dead index entries of, every waiting ticket of the day:
-- 4.7 ms against 0.35 ms on the bench's office).

-- The answer for ticket p_id (as schema 3; the position by the index).
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
    r.token := t.token; r.purpose := t.purpose; r.client_no := t.client_no;
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

-- Call the next waiting ticket of a queue (as schema 3; the pick by the index).
CREATE OR REPLACE FUNCTION bk_act_call_next(p_key TEXT, p_now TEXT, p_officer TEXT,
                                            p_service INTEGER)
RETURNS bk_act_result LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    r bk_act_result;
    at TEXT;
    today TEXT;
    tid BIGINT;
BEGIN
    PERFORM bk_may_act(p_officer);
    PERFORM bk_writer_lock();
    r := bk_replay(p_key, 'call_next', p_service);
    IF r.result IS NOT NULL THEN
        RETURN r;
    END IF;
    at := bk_clock(p_now);
    today := bk_day_of(at);
    IF p_officer <> '' AND NOT EXISTS (SELECT 1 FROM officers WHERE id = p_officer) THEN
        RETURN bk_answer(NULL, 'not_found', p_service);
    END IF;
    PERFORM bk_close_stale(today, at);
    IF COALESCE(p_officer, '') = '' THEN
        SELECT id INTO tid FROM tickets
         WHERE office_day = today AND officer_id IS NULL AND (status = 'waiting') IS TRUE
         ORDER BY priority DESC, order_at, id LIMIT 1;
    ELSE
        SELECT id INTO tid FROM tickets
         WHERE office_day = today AND officer_id = p_officer AND (status = 'waiting') IS TRUE
         ORDER BY priority DESC, order_at, id LIMIT 1;
    END IF;
    IF tid IS NULL THEN
        RETURN bk_answer(NULL, 'not_found', p_service);
    END IF;
    UPDATE tickets SET status = 'called', called_at = at, last_call_at = at, calls = 1
     WHERE id = tid;
    PERFORM bk_audit(at, 'call', tid, (SELECT client_no FROM tickets WHERE id = tid),
                     format('officer=%s', COALESCE(NULLIF(p_officer, ''), 'reception')));
    PERFORM bk_remember(p_key, 'call_next', at, 'ok', tid);
    RETURN bk_answer(tid, 'ok', p_service);
END $$;

-- ---- request keys do not pile up ---------------------------------------------
-- A request key matters while its caller may still retry (seconds, at most
-- the minutes of a server outage). Each new key recorded deletes at most 8
-- keys older than 7 days, through an index on the instant: a bounded cost
-- in a call that runs anyway, and the table holds about a week of calls.
CREATE INDEX bk_request_at ON bk_request(at);

CREATE OR REPLACE FUNCTION bk_remember(p_key TEXT, p_action TEXT, p_at TEXT, p_result TEXT,
                                       p_ticket BIGINT, p_n INTEGER DEFAULT 0)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM bk_request
     WHERE key IN (SELECT q.key FROM bk_request q
                    WHERE q.at < to_char((CAST(p_at AS TIMESTAMPTZ) - interval '7 days')
                                         AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                    ORDER BY q.at LIMIT 8);
    INSERT INTO bk_request(key, action, at, result, ticket_id, n)
    VALUES (p_key, p_action, p_at, p_result, p_ticket, p_n);
END $$;

-- CREATE OR REPLACE keeps a function's owner and grants but not its
-- settings: every SECURITY DEFINER function again looks names up in the
-- office's schema only (as at the end of schema 3).
DO $$
DECLARE
    f RECORD;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = current_schema() AND p.proname LIKE 'bk\_%' AND p.prosecdef LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f.sig,
                       current_schema());
    END LOOP;
END $$;
