-- pg/009_visits.sql — PostgreSQL's part of 009, run right after ../009_visits.sql.
-- The visit's purposes (ticket_purposes) and the check-in's new rules:
-- bk_insert_ticket numbers every ticket in one daily series (letter A) and
-- records its first purpose; bk_act_checkin returns a client's open ticket
-- whatever the purpose, adding the purpose to the visit, and refuses a
-- second report visit once a report visit is done today (core/queue.c
-- checkin_body, the same rules). bk_act_walkin calls bk_insert_ticket and so
-- needs no change.

-- Ids are 64-bit on PostgreSQL (pg/001_init.sql).
ALTER TABLE ticket_purposes ALTER COLUMN ticket_id TYPE BIGINT;
REVOKE ALL ON ticket_purposes FROM PUBLIC;
CREATE TRIGGER ticket_purposes_touch AFTER INSERT OR UPDATE OR DELETE ON ticket_purposes
    FOR EACH STATEMENT EXECUTE FUNCTION bk_touch();

-- The next number of the day's one series, the ticket inserted with its
-- first purpose (queue.c insert_new). The letter is A for every purpose
-- (schema 9; before it, the purpose's letter A..F).
CREATE OR REPLACE FUNCTION bk_insert_ticket(p_day TEXT, p_purpose TEXT, p_token TEXT,
                                            p_client TEXT, p_name TEXT, p_officer TEXT,
                                            p_assigned TEXT, p_routed TEXT, p_at TEXT)
RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    v_letter CONSTANT TEXT := 'A';
    n INTEGER;
    num TEXT;
    new_id BIGINT;
BEGIN
    SELECT COALESCE(MAX(t.seq), 0) + 1 INTO n FROM tickets t
     WHERE t.office_day = p_day AND t.letter = v_letter;
    num := CAST(n % 100000 AS TEXT);
    INSERT INTO tickets(office_day, letter, seq, code, token, purpose, client_no, walkin_name,
                        officer_id, assigned_id, routed, status, priority, calls, order_at,
                        checkin_at)
    VALUES (p_day, v_letter, n, v_letter || '-' || lpad(num, GREATEST(3, length(num)), '0'), p_token,
            p_purpose, p_client, COALESCE(p_name, ''), NULLIF(p_officer, ''),
            NULLIF(p_assigned, ''), p_routed, 'waiting', 0, 0, p_at, p_at)
    RETURNING id INTO new_id;
    INSERT INTO ticket_purposes(ticket_id, purpose, added_at) VALUES (new_id, p_purpose, p_at);
    RETURN new_id;
END $$;

-- The purposes of a visit as bits, 1 << the purpose's index in the order
-- report, counseling, group, drug-test, litmas, other (bk_purpose, domain.h):
-- what bk_act_checkin returns in `n`.
CREATE FUNCTION bk_purpose_bits(p_ticket BIGINT) RETURNS INTEGER LANGUAGE plpgsql STABLE AS $$
DECLARE
    bits INTEGER;
BEGIN
    SELECT COALESCE(SUM(1 << (array_position(ARRAY['report', 'counseling', 'group', 'drug-test',
                                                   'litmas', 'other'], p.purpose) - 1)), 0)
      INTO bits FROM ticket_purposes p WHERE p.ticket_id = p_ticket;
    RETURN bits;
END $$;

-- Check-in (queue_checkin): p_limit wrong birth dates a day lock the number,
-- at most the owner's setting lockout_limit (default 5). Then, schema 9:
-- - an open ticket of the client today (waiting, called, serving) is the
--   answer whatever p_purpose is; a purpose it lacks joins the visit
--   (result 'joined', audit row purpose_add), except report when a report
--   visit is already done today (the ticket comes back, 'existing');
-- - else p_purpose report while a visit with the purpose report is done
--   today: refused, result 'reported', nothing written but the cleared
--   wrong tries;
-- - else a new ticket ('ok').
-- `n` of the answer: the visit's purposes (bk_purpose_bits).
CREATE OR REPLACE FUNCTION bk_act_checkin(p_key TEXT, p_now TEXT, p_no TEXT, p_birth TEXT,
                                          p_purpose TEXT, p_limit INTEGER, p_service INTEGER)
RETURNS bk_act_result LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    r bk_act_result;
    at TEXT;
    today TEXT;
    c clients%ROWTYPE;
    found_client BOOLEAN;
    cnt INTEGER;
    cap INTEGER := COALESCE((SELECT CAST(value AS INTEGER) FROM settings
                              WHERE key = 'lockout_limit'), 5);
    lim INTEGER := CASE WHEN p_limit BETWEEN 1 AND cap THEN p_limit ELSE cap END;
    tid BIGINT;
    officer TEXT;
    routed TEXT;
    pr RECORD;
    sp RECORD;
    reported BOOLEAN;
BEGIN
    PERFORM bk_writer_lock();
    r := bk_replay(p_key, 'checkin', p_service);
    IF r.result IS NOT NULL THEN
        IF r.id IS NOT NULL THEN
            r.n := bk_purpose_bits(r.id);
        END IF;
        RETURN r;
    END IF;
    at := bk_clock(p_now);
    today := bk_day_of(at);
    IF EXISTS (SELECT 1 FROM client_locks WHERE client_no = p_no) THEN
        RETURN bk_answer(NULL, 'locked', p_service);
    END IF;
    SELECT * INTO c FROM clients WHERE no = p_no;
    found_client := FOUND;
    IF NOT found_client OR c.birth_date <> p_birth THEN
        -- Unknown numbers count alike, so the lock reveals nothing.
        INSERT INTO verify_failures(client_no, office_day, count, last_at)
        VALUES (p_no, today, 1, at)
        ON CONFLICT (client_no, office_day)
        DO UPDATE SET count = verify_failures.count + 1, last_at = excluded.last_at
        RETURNING count INTO cnt;
        IF cnt >= lim THEN
            INSERT INTO client_locks(client_no, locked_at) VALUES (p_no, at) ON CONFLICT DO NOTHING;
            PERFORM bk_audit(at, 'lock', NULL, NULL,
                             format('client %s locked after %s wrong birth dates', p_no, cnt));
            PERFORM bk_remember(p_key, 'checkin', at, 'locked', NULL, 0);
            RETURN bk_answer(NULL, 'locked', p_service, 0);
        END IF;
        PERFORM bk_audit(at, 'verify_fail', NULL, NULL, format('client %s attempt %s', p_no, cnt));
        r := bk_answer(NULL, CASE WHEN found_client THEN 'wrong_birth' ELSE 'not_found' END,
                       p_service, lim - cnt);
        PERFORM bk_remember(p_key, 'checkin', at, r.result, NULL, lim - cnt);
        RETURN r;
    END IF;
    IF c.active <> 1 THEN
        RETURN bk_answer(NULL, 'ended', p_service);
    END IF;
    -- (a statement only when there is something to clear: each one fires the
    -- table's data_version trigger)
    IF EXISTS (SELECT 1 FROM verify_failures v WHERE v.client_no = p_no AND v.office_day = today)
    THEN
        DELETE FROM verify_failures WHERE client_no = p_no;
    END IF;
    PERFORM bk_close_stale(today, at);
    reported := p_purpose = 'report' AND EXISTS (
        SELECT 1 FROM tickets t JOIN ticket_purposes p ON p.ticket_id = t.id
         WHERE t.client_no = p_no AND t.office_day = today AND t.status = 'done'
           AND p.purpose = 'report');
    -- One visit, one ticket: the open one, whatever the purpose.
    SELECT id INTO tid FROM tickets
     WHERE client_no = p_no AND office_day = today
       AND status IN ('waiting', 'called', 'serving') ORDER BY id LIMIT 1;
    IF FOUND THEN
        IF NOT reported AND NOT EXISTS (SELECT 1 FROM ticket_purposes p
                                         WHERE p.ticket_id = tid AND p.purpose = p_purpose) THEN
            INSERT INTO ticket_purposes(ticket_id, purpose, added_at) VALUES (tid, p_purpose, at);
            PERFORM bk_audit(at, 'purpose_add', tid, p_no,
                             format('code=%s purpose=%s',
                                    (SELECT code FROM tickets WHERE id = tid), p_purpose));
            PERFORM bk_remember(p_key, 'checkin', at, 'joined', tid);
            r := bk_answer(tid, 'joined', p_service);
        ELSE
            r := bk_answer(tid, 'existing', p_service);
        END IF;
        r.n := bk_purpose_bits(tid);
        RETURN r;
    END IF;
    IF reported THEN
        PERFORM bk_remember(p_key, 'checkin', at, 'reported', NULL);
        RETURN bk_answer(NULL, 'reported', p_service);
    END IF;
    -- Route: the client's PK if present, else the PK's named substitute if
    -- present, else reception (queue.c queue_route).
    pr := bk_presence_of(today, c.officer_id);
    IF pr.present THEN
        officer := c.officer_id;
        routed := 'assigned';
    ELSE
        IF pr.present IS NULL THEN
            RAISE EXCEPTION 'officer % not found', c.officer_id USING ERRCODE = 'foreign_key_violation';
        END IF;
        officer := NULL;
        routed := 'reception';
        IF pr.substitute IS NOT NULL AND pr.substitute <> '' AND pr.substitute <> c.officer_id THEN
            sp := bk_presence_of(today, pr.substitute);
            IF sp.present THEN
                officer := pr.substitute;
                routed := 'substitute';
            END IF;
        END IF;
    END IF;
    tid := bk_insert_ticket(today, p_purpose, p_key, p_no, '', officer, c.officer_id, routed, at);
    PERFORM bk_audit(at, 'checkin', tid, p_no,
                     format('code=%s purpose=%s routed=%s officer=%s',
                            (SELECT code FROM tickets WHERE id = tid), p_purpose, routed,
                            COALESCE(officer, 'reception')));
    PERFORM bk_remember(p_key, 'checkin', at, 'ok', tid);
    r := bk_answer(tid, 'ok', p_service);
    r.n := bk_purpose_bits(tid);
    RETURN r;
END $$;

-- A visit whose report purpose joined later (tickets.purpose is another
-- purpose) is a report visit too: when it is done, the client's
-- last_report moves to its day, as bk_act_ticket does for a first purpose
-- report (queue.c do_done applies both on SQLite). A trigger, so that
-- bk_act_ticket (not redefined here) needs no change; it runs inside
-- bk_act_ticket's UPDATE, as the owner.
CREATE FUNCTION bk_visit_done_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.client_no IS NOT NULL AND NEW.purpose <> 'report'
       AND EXISTS (SELECT 1 FROM ticket_purposes p
                    WHERE p.ticket_id = NEW.id AND p.purpose = 'report') THEN
        UPDATE clients SET last_report = NEW.office_day
         WHERE no = NEW.client_no AND COALESCE(last_report, '') < NEW.office_day;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER tickets_done_report AFTER UPDATE OF status ON tickets
    FOR EACH ROW WHEN (NEW.status = 'done' AND OLD.status IS DISTINCT FROM 'done')
    EXECUTE FUNCTION bk_visit_done_report();

-- As 003 and 004 do: no EXECUTE for PUBLIC on the new helper; CREATE OR
-- REPLACE kept the owner and grants but not the settings, so the SECURITY
-- DEFINER function looks names up in the office's schema only again. The
-- kiosk and desk roles read the purposes of a visit (the desk shows them;
-- the board does not get them: deploy/pg-roles.sql grants the same).
REVOKE ALL ON FUNCTION bk_purpose_bits(BIGINT) FROM PUBLIC;
REVOKE ALL ON FUNCTION bk_visit_done_report() FROM PUBLIC;
REVOKE ALL ON FUNCTION bk_insert_ticket(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT)
    FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION bk_act_checkin(TEXT, TEXT, TEXT, TEXT, TEXT, INTEGER, INTEGER) '
                   'SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION bk_purpose_bits(BIGINT) SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION bk_insert_ticket(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, '
                   'TEXT, TEXT) SET search_path = %I, pg_temp', current_schema());
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_kiosk') THEN
        GRANT SELECT ON ticket_purposes TO bapas_kiosk;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_desk') THEN
        GRANT SELECT ON ticket_purposes TO bapas_desk;
    END IF;
END $$;
