-- pg/003_server_rules.sql — PostgreSQL's schema 3 (see ../003_server_rules.sql).
-- Everything here belongs to the office's owner role, which runs the
-- migrations; deploy/pg-roles.sql grants the group roles what they need.

-- ---- the writer lock --------------------------------------------------------
-- Write transactions run one at a time, as SQLite's BEGIN IMMEDIATE makes
-- them: every write takes a row lock on the one row of bk_writer first. No
-- login role has any privilege on the table (only its owner may lock it), so
-- only the store's write path, bk_writer_lock() running as the owner, can
-- take the lock. (Schemas 1 and 2 used a public advisory lock key, which any
-- role that could connect, even a views-only one, could take and hold.)
CREATE TABLE bk_writer (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);
INSERT INTO bk_writer(id) VALUES (1);
REVOKE ALL ON bk_writer FROM PUBLIC;

-- Take the writer lock for the rest of the calling transaction (waits up to
-- the session's lock_timeout: SQLSTATE 55P03).
CREATE FUNCTION bk_writer_lock() RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    PERFORM 1 FROM bk_writer WHERE id = 1 FOR UPDATE;
END $$;
-- (EXECUTE and search_path: at the end of this file, for every function.)

-- ---- the queue's writes as the server's functions ---------------------------
-- Every write a kiosk, desk, reception or board machine makes is one call of
-- one of the bk_act_* functions below (store.c store_call): the function runs
-- as the owner (SECURITY DEFINER, search_path fixed), takes the writer lock,
-- applies the rules of core/queue.c (kiosk/ARCHITECTURE.md, "One rule set")
-- and writes its audit row itself, with session_user as the actor. The
-- least-privilege roles get EXECUTE on the functions of their mode and no
-- INSERT, UPDATE or DELETE on any table (deploy/pg-roles.sql).
--
-- Each call carries a request key (a token the caller makes once per intent
-- and sends again when it retries a call whose answer was lost). The first
-- call records the key with its result in bk_request; a call with a key
-- already there changes nothing and answers as the first did ('existing'
-- for 'ok'), so a retried action happens once; the key of another action is
-- refused ('exists'). A walk-in needs no record: its key is its ticket's token.
--
-- The instant: the server's clock. Only a database whose owner set the
-- setting clock = 'client' (the test suites: they pin the date) takes the
-- caller's p_now instead. The office day comes from settings.utc_offset_min.

CREATE TABLE bk_request (
    key       TEXT PRIMARY KEY,
    action    TEXT NOT NULL,
    at        TEXT NOT NULL,
    result    TEXT NOT NULL,
    ticket_id BIGINT,
    n         INTEGER NOT NULL DEFAULT 0
);
REVOKE ALL ON bk_request FROM PUBLIC;

-- Which officer's desk a desk login is (a login that is a member of
-- bapas_desk but not of bapas_reception acts only on that officer's tickets).
CREATE TABLE bk_desk_login (
    login      TEXT PRIMARY KEY,
    officer_id TEXT NOT NULL REFERENCES officers(id)
);
REVOKE ALL ON bk_desk_login FROM PUBLIC;

-- What every bk_act_* function returns: the ticket (the columns of
-- STORE_PRIV_TICKET_COLS, NULL when there is none), then the outcome.
CREATE TYPE bk_act_result AS (
    id BIGINT, office_day TEXT, code TEXT, seq INTEGER, token TEXT, purpose TEXT,
    client_no TEXT, walkin_name TEXT, officer_id TEXT, assigned_id TEXT, routed TEXT,
    transferred_from TEXT, status TEXT, priority INTEGER, calls INTEGER, order_at TEXT,
    checkin_at TEXT, called_at TEXT, started_at TEXT, finished_at TEXT, served_by TEXT,
    outcome TEXT, last_call_at TEXT,
    result        TEXT,    -- ok | existing | a refusal: locked, not_found, wrong_birth,
                           -- ended, state, exists, invalid
    attempts_left INTEGER, -- after wrong_birth / not_found
    officer_name  TEXT,    -- the officer the ticket is routed to (NULL: none or unknown)
    officer_room  TEXT,
    officer_active INTEGER,
    position      INTEGER, -- waiting tickets ahead; NULL unless waiting
    eta_minutes   INTEGER,
    n             INTEGER  -- tickets closed or moved (day's end, bulk move)
);

CREATE FUNCTION bk_iso(p_at TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

CREATE FUNCTION bk_clock(p_now TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_now IS NOT NULL
                 AND (SELECT value FROM settings WHERE key = 'clock') = 'client'
                THEN p_now ELSE bk_iso(now()) END
$$;

CREATE FUNCTION bk_day_of(p_at TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT to_char((CAST(p_at AS TIMESTAMPTZ) AT TIME ZONE 'UTC')
                   + make_interval(mins => COALESCE((SELECT CAST(value AS INTEGER) FROM settings
                                                      WHERE key = 'utc_offset_min'), 0)),
                   'YYYY-MM-DD')
$$;

CREATE FUNCTION bk_audit(p_at TEXT, p_action TEXT, p_ticket BIGINT, p_client TEXT, p_detail TEXT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO audit(at, actor, action, ticket_id, client_no, detail)
    VALUES (p_at, session_user, p_action, p_ticket, p_client, COALESCE(p_detail, ''))
$$;

-- The caller may act as anyone: the owner (or a superuser) or reception.
CREATE FUNCTION bk_acts_for_all() RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(session_user,
                       (SELECT c.relowner FROM pg_class c WHERE c.oid = 'tickets'::regclass),
                       'MEMBER')
        OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_reception')
            AND pg_has_role(session_user, 'bapas_reception', 'MEMBER'))
$$;

-- Refuse (SQLSTATE 42501) unless the caller may act for officer p_officer
-- ('' or NULL: reception's queue): everyone above, or the desk login of
-- that officer (bk_desk_login).
CREATE FUNCTION bk_may_act(p_officer TEXT) RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE
    mine TEXT;
BEGIN
    IF bk_acts_for_all() THEN
        RETURN;
    END IF;
    SELECT officer_id INTO mine FROM bk_desk_login WHERE login = session_user;
    IF mine IS NULL THEN
        RAISE EXCEPTION 'login % is the desk of no officer (bk_desk_login)', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF mine IS DISTINCT FROM NULLIF(p_officer, '') THEN
        RAISE EXCEPTION 'login % is the desk of officer %, not of %', session_user, mine,
            COALESCE(NULLIF(p_officer, ''), 'reception')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END $$;

-- Median minutes of the officer's last 20 visits of the purpose (queue.c
-- median_minutes); p_default without history or for reception.
CREATE FUNCTION bk_median_minutes(p_officer TEXT, p_purpose TEXT, p_default INTEGER)
RETURNS INTEGER LANGUAGE plpgsql STABLE AS $$
DECLARE
    s INTEGER[];
    n INTEGER;
    med INTEGER;
    mins INTEGER;
BEGIN
    IF p_officer IS NULL OR p_officer = '' THEN
        RETURN p_default;
    END IF;
    SELECT array_agg(x ORDER BY x) INTO s FROM (
        SELECT CAST(EXTRACT(EPOCH FROM CAST(finished_at AS TIMESTAMPTZ)
                                     - CAST(started_at AS TIMESTAMPTZ)) AS INTEGER) AS x
          FROM tickets
         WHERE officer_id = p_officer AND purpose = p_purpose AND status = 'done'
           AND started_at IS NOT NULL AND finished_at IS NOT NULL
         ORDER BY finished_at DESC LIMIT 20) r;
    n := COALESCE(array_length(s, 1), 0);
    IF n = 0 THEN
        RETURN p_default;
    END IF;
    IF n % 2 = 1 THEN
        med := s[n / 2 + 1];
    ELSE
        med := (s[n / 2] + s[n / 2 + 1]) / 2;
    END IF;
    mins := (med + 59) / 60;
    RETURN GREATEST(mins, 1);
END $$;

-- The answer for ticket p_id (queue.c complete_view: officer, position, ETA).
CREATE FUNCTION bk_answer(p_id BIGINT, p_result TEXT, p_service INTEGER,
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
        SELECT COUNT(*) INTO r.position FROM tickets w
         WHERE w.office_day = t.office_day AND w.officer_id IS NOT DISTINCT FROM t.officer_id
           AND w.status = 'waiting'
           AND (w.priority > t.priority OR (w.priority = t.priority AND (w.order_at < t.order_at
                OR (w.order_at = t.order_at AND w.id < t.id))));
        r.eta_minutes := r.position * bk_median_minutes(t.officer_id, t.purpose, p_service);
    END IF;
    RETURN r;
END $$;

-- A request key seen before: its first answer (the ticket as it is now),
-- 'existing' for 'ok'; 'exists' when it was another action's key.
CREATE FUNCTION bk_replay(p_key TEXT, p_action TEXT, p_service INTEGER) RETURNS bk_act_result
LANGUAGE plpgsql STABLE AS $$
DECLARE
    q bk_request%ROWTYPE;
BEGIN
    SELECT * INTO q FROM bk_request WHERE key = p_key;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF q.action <> p_action THEN
        RETURN bk_answer(NULL, 'exists', p_service);
    END IF;
    RETURN bk_answer(q.ticket_id, CASE WHEN q.result = 'ok' THEN 'existing' ELSE q.result END,
                     p_service,
                     CASE WHEN q.result IN ('wrong_birth', 'not_found') THEN q.n END, q.n);
END $$;

CREATE FUNCTION bk_remember(p_key TEXT, p_action TEXT, p_at TEXT, p_result TEXT,
                            p_ticket BIGINT, p_n INTEGER DEFAULT 0)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO bk_request(key, action, at, result, ticket_id, n)
    VALUES (p_key, p_action, p_at, p_result, p_ticket, p_n)
$$;

-- Close earlier days' open tickets as no_show (queue.c close_stale_locked).
CREATE FUNCTION bk_close_stale(p_today TEXT, p_at TEXT) RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    t RECORD;
    k INTEGER := 0;
BEGIN
    FOR t IN SELECT id, status, office_day, client_no FROM tickets
              WHERE status IN ('waiting', 'called', 'serving') AND office_day < p_today
              ORDER BY id LOOP
        UPDATE tickets SET status = 'no_show', finished_at = p_at WHERE id = t.id;
        PERFORM bk_audit(p_at, 'day_end', t.id, t.client_no,
                         format('status %s -> no_show (day %s ended)', t.status, t.office_day));
        k := k + 1;
    END LOOP;
    RETURN k;
END $$;

-- Presence of an officer on a day: day record > weekly pattern > present
-- (core/roster.c roster_resolve). NULL status: the officer does not exist.
CREATE FUNCTION bk_presence_of(p_day TEXT, p_officer TEXT, OUT present BOOLEAN,
                               OUT substitute TEXT) LANGUAGE plpgsql STABLE AS $$
DECLARE
    act INTEGER;
    st TEXT;
BEGIN
    SELECT active INTO act FROM officers WHERE id = p_officer;
    IF NOT FOUND THEN
        present := NULL;
        RETURN;
    END IF;
    SELECT p.status, p.substitute_id INTO st, substitute FROM officer_presence p
     WHERE p.office_day = p_day AND p.officer_id = p_officer;
    IF NOT FOUND THEN
        SELECT w.status, w.substitute_id INTO st, substitute FROM officer_weekly w
         WHERE w.officer_id = p_officer
           AND w.weekday = CAST(EXTRACT(DOW FROM CAST(p_day AS DATE)) AS INTEGER);
        IF NOT FOUND THEN
            st := 'present';
            substitute := NULL;
        END IF;
    END IF;
    present := act = 1 AND st <> 'absent';
END $$;

-- The next daily number of a letter, and the ticket inserted (queue.c insert_new).
CREATE FUNCTION bk_insert_ticket(p_day TEXT, p_purpose TEXT, p_token TEXT, p_client TEXT,
                                 p_name TEXT, p_officer TEXT, p_assigned TEXT, p_routed TEXT,
                                 p_at TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    v_letter TEXT := chr(ascii('A') + array_position(ARRAY['report', 'counseling', 'group',
                                                           'drug-test', 'litmas', 'other'],
                                                     p_purpose) - 1);
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
    RETURN new_id;
END $$;

-- ---- the actions (each: queue.c's function of the same name) ----------------

-- Check-in (queue_checkin): p_limit wrong birth dates a day lock the number,
-- at most the owner's setting lockout_limit (default 5): a caller cannot
-- allow more guesses (a kiosk configured for more gets the owner's cap).
CREATE FUNCTION bk_act_checkin(p_key TEXT, p_now TEXT, p_no TEXT, p_birth TEXT, p_purpose TEXT,
                               p_limit INTEGER, p_service INTEGER)
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
BEGIN
    PERFORM bk_writer_lock();
    r := bk_replay(p_key, 'checkin', p_service);
    IF r.result IS NOT NULL THEN
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
    SELECT id INTO tid FROM tickets
     WHERE client_no = p_no AND office_day = today AND purpose = p_purpose
       AND status IN ('waiting', 'called', 'serving') ORDER BY id LIMIT 1;
    IF FOUND THEN
        RETURN bk_answer(tid, 'existing', p_service);
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
    RETURN bk_answer(tid, 'ok', p_service);
END $$;

-- Walk-in (queue_walkin_key): the request key is the ticket's token.
CREATE FUNCTION bk_act_walkin(p_key TEXT, p_now TEXT, p_purpose TEXT, p_name TEXT,
                              p_service INTEGER)
RETURNS bk_act_result LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    r bk_act_result;
    at TEXT;
    today TEXT;
    t tickets%ROWTYPE;
    tid BIGINT;
BEGIN
    PERFORM bk_writer_lock();
    at := bk_clock(p_now);
    today := bk_day_of(at);
    SELECT * INTO t FROM tickets WHERE token = p_key;
    IF FOUND THEN
        IF t.client_no IS NOT NULL OR t.purpose <> p_purpose OR t.walkin_name <> COALESCE(p_name, '') THEN
            RETURN bk_answer(NULL, 'exists', p_service); -- the key is another request's
        END IF;
        RETURN bk_answer(t.id, 'existing', p_service);
    END IF;
    PERFORM bk_close_stale(today, at);
    tid := bk_insert_ticket(today, p_purpose, p_key, NULL, p_name, NULL, NULL, 'reception', at);
    PERFORM bk_audit(at, 'walkin', tid, NULL,
                     format('code=%s purpose=%s', (SELECT code FROM tickets WHERE id = tid), p_purpose));
    RETURN bk_answer(tid, 'ok', p_service);
END $$;

-- Call the next waiting ticket of a queue (queue_call_next; '' = reception).
CREATE FUNCTION bk_act_call_next(p_key TEXT, p_now TEXT, p_officer TEXT, p_service INTEGER)
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
    SELECT id INTO tid FROM tickets
     WHERE office_day = today AND officer_id IS NOT DISTINCT FROM NULLIF(p_officer, '')
       AND status = 'waiting' ORDER BY priority DESC, order_at, id LIMIT 1;
    IF NOT FOUND THEN
        RETURN bk_answer(NULL, 'not_found', p_service);
    END IF;
    UPDATE tickets SET status = 'called', called_at = at, last_call_at = at, calls = 1
     WHERE id = tid;
    PERFORM bk_audit(at, 'call', tid, (SELECT client_no FROM tickets WHERE id = tid),
                     format('officer=%s', COALESCE(NULLIF(p_officer, ''), 'reception')));
    PERFORM bk_remember(p_key, 'call_next', at, 'ok', tid);
    RETURN bk_answer(tid, 'ok', p_service);
END $$;

-- The actions on one ticket (queue.c do_recall, do_start, do_done,
-- do_close, do_priority, do_transfer): p_action recall | start | done |
-- no_show | cancel | priority | transfer; p_arg: start's officer (served
-- by), done's outcome, transfer's target ('' = reception); p_reason:
-- transfer's reason.
CREATE FUNCTION bk_act_ticket(p_key TEXT, p_now TEXT, p_id BIGINT, p_action TEXT, p_arg TEXT,
                              p_reason TEXT, p_service INTEGER)
RETURNS bk_act_result LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    r bk_act_result;
    at TEXT;
    t tickets%ROWTYPE;
    o officers%ROWTYPE;
    by_id TEXT;
    last TEXT;
BEGIN
    PERFORM bk_writer_lock();
    r := bk_replay(p_key, 'ticket', p_service);
    IF r.result IS NOT NULL THEN
        RETURN r;
    END IF;
    at := bk_clock(p_now);
    SELECT * INTO t FROM tickets WHERE id = p_id;
    IF NOT FOUND THEN
        RETURN bk_answer(NULL, 'not_found', p_service);
    END IF;
    PERFORM bk_may_act(t.officer_id);
    IF p_action = 'recall' THEN
        IF t.status <> 'called' THEN
            RETURN bk_answer(NULL, 'state', p_service);
        END IF;
        UPDATE tickets SET calls = calls + 1, last_call_at = at WHERE id = p_id;
        PERFORM bk_audit(at, 'recall', p_id, t.client_no, format('call %s', t.calls + 1));
    ELSIF p_action = 'start' THEN
        IF t.status NOT IN ('called', 'waiting') THEN
            RETURN bk_answer(NULL, 'state', p_service);
        END IF;
        by_id := COALESCE(NULLIF(p_arg, ''), t.officer_id);
        IF NULLIF(p_arg, '') IS NOT NULL THEN
            IF NOT EXISTS (SELECT 1 FROM officers WHERE id = p_arg) THEN
                RETURN bk_answer(NULL, 'not_found', p_service);
            END IF;
            PERFORM bk_may_act(p_arg); -- a desk serves as its own officer only
        END IF;
        UPDATE tickets SET called_at = COALESCE(called_at, at),
                           last_call_at = CASE WHEN called_at IS NULL THEN at ELSE last_call_at END,
                           started_at = at, served_by = by_id, status = 'serving'
         WHERE id = p_id;
        PERFORM bk_audit(at, 'start', p_id, t.client_no, format('served_by=%s', COALESCE(by_id, '')));
    ELSIF p_action = 'done' THEN
        IF t.status <> 'serving' THEN
            RETURN bk_answer(NULL, 'state', p_service);
        END IF;
        IF p_arg IS NULL OR p_arg NOT IN ('counseled', 'admin', 'referred') THEN
            RETURN bk_answer(NULL, 'invalid', p_service);
        END IF;
        UPDATE tickets SET outcome = p_arg, finished_at = at, status = 'done' WHERE id = p_id;
        IF t.purpose = 'report' AND t.client_no IS NOT NULL THEN
            SELECT last_report INTO last FROM clients WHERE no = t.client_no;
            IF COALESCE(last, '') < t.office_day THEN
                UPDATE clients SET last_report = t.office_day WHERE no = t.client_no;
            END IF;
        END IF;
        PERFORM bk_audit(at, 'done', p_id, t.client_no, format('outcome=%s', p_arg));
    ELSIF p_action IN ('no_show', 'cancel') THEN
        IF t.status NOT IN ('waiting', 'called') THEN
            RETURN bk_answer(NULL, 'state', p_service);
        END IF;
        UPDATE tickets SET status = CASE WHEN p_action = 'cancel' THEN 'cancelled' ELSE 'no_show' END,
                           finished_at = at
         WHERE id = p_id;
        PERFORM bk_audit(at, p_action, p_id, t.client_no,
                         format('status %s -> %s', t.status,
                                CASE WHEN p_action = 'cancel' THEN 'cancelled' ELSE 'no_show' END));
    ELSIF p_action = 'priority' THEN
        IF t.status <> 'waiting' THEN
            RETURN bk_answer(NULL, 'state', p_service);
        END IF;
        IF t.priority = 0 THEN -- already first: no change, no audit row
            UPDATE tickets SET priority = 1 WHERE id = p_id;
            PERFORM bk_audit(at, 'priority', p_id, t.client_no, '');
        END IF;
    ELSIF p_action = 'transfer' THEN
        IF t.status NOT IN ('waiting', 'called') OR COALESCE(p_arg, '') = COALESCE(t.officer_id, '') THEN
            RETURN bk_answer(NULL, 'state', p_service);
        END IF;
        IF COALESCE(p_arg, '') <> '' THEN
            SELECT * INTO o FROM officers WHERE id = p_arg;
            IF NOT FOUND THEN
                RETURN bk_answer(NULL, 'not_found', p_service);
            END IF;
            IF o.active <> 1 THEN
                RETURN bk_answer(NULL, 'state', p_service);
            END IF;
        END IF;
        -- keeps its place: order_at is unchanged
        UPDATE tickets SET transferred_from = t.officer_id, officer_id = NULLIF(p_arg, ''),
                           status = 'waiting'
         WHERE id = p_id;
        PERFORM bk_audit(at, 'transfer', p_id, t.client_no,
                         format('from=%s to=%s reason=%s', COALESCE(t.officer_id, 'reception'),
                                COALESCE(NULLIF(p_arg, ''), 'reception'), COALESCE(p_reason, '')));
    ELSE
        RETURN bk_answer(NULL, 'invalid', p_service);
    END IF;
    PERFORM bk_remember(p_key, 'ticket', at, 'ok', p_id);
    RETURN bk_answer(p_id, 'ok', p_service);
END $$;

-- Officer presence for a day (queue_presence_set).
CREATE FUNCTION bk_act_presence(p_key TEXT, p_now TEXT, p_day TEXT, p_officer TEXT, p_status TEXT,
                                p_substitute TEXT)
RETURNS bk_act_result LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    r bk_act_result;
    at TEXT;
BEGIN
    PERFORM bk_writer_lock();
    r := bk_replay(p_key, 'presence', 0);
    IF r.result IS NOT NULL THEN
        RETURN r;
    END IF;
    at := bk_clock(p_now);
    IF NOT EXISTS (SELECT 1 FROM officers WHERE id = p_officer)
       OR (COALESCE(p_substitute, '') <> ''
           AND NOT EXISTS (SELECT 1 FROM officers WHERE id = p_substitute)) THEN
        RETURN bk_answer(NULL, 'not_found', 0);
    END IF;
    INSERT INTO officer_presence(office_day, officer_id, status, substitute_id, note)
    VALUES (p_day, p_officer, p_status, NULLIF(p_substitute, ''), '')
    ON CONFLICT (office_day, officer_id) DO UPDATE
       SET status = excluded.status, substitute_id = excluded.substitute_id, note = excluded.note;
    PERFORM bk_audit(at, 'presence', NULL, NULL,
                     format('officer=%s day=%s status=%s substitute=%s', p_officer, p_day, p_status,
                            COALESCE(p_substitute, '')));
    PERFORM bk_remember(p_key, 'presence', at, 'ok', NULL);
    RETURN bk_answer(NULL, 'ok', 0);
END $$;

-- Clear a client number's lock and wrong-date counts (queue_unlock).
CREATE FUNCTION bk_act_unlock(p_key TEXT, p_now TEXT, p_no TEXT) RETURNS bk_act_result
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    r bk_act_result;
    at TEXT;
    was BOOLEAN;
BEGIN
    PERFORM bk_writer_lock();
    r := bk_replay(p_key, 'unlock', 0);
    IF r.result IS NOT NULL THEN
        RETURN r;
    END IF;
    at := bk_clock(p_now);
    was := EXISTS (SELECT 1 FROM client_locks WHERE client_no = p_no);
    DELETE FROM client_locks WHERE client_no = p_no;
    DELETE FROM verify_failures WHERE client_no = p_no;
    PERFORM bk_audit(at, 'unlock', NULL, p_no,
                     CASE WHEN was THEN 'lock cleared' ELSE 'was not locked' END);
    PERFORM bk_remember(p_key, 'unlock', at, 'ok', NULL);
    RETURN bk_answer(NULL, 'ok', 0);
END $$;

-- The day's end: earlier days' open tickets closed as no_show (queue_close_stale).
CREATE FUNCTION bk_act_close_stale(p_key TEXT, p_now TEXT) RETURNS bk_act_result
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    r bk_act_result;
    at TEXT;
    k INTEGER;
BEGIN
    PERFORM bk_writer_lock();
    r := bk_replay(p_key, 'close_stale', 0);
    IF r.result IS NOT NULL THEN
        RETURN r;
    END IF;
    at := bk_clock(p_now);
    k := bk_close_stale(bk_day_of(at), at);
    PERFORM bk_remember(p_key, 'close_stale', at, 'ok', NULL, k);
    RETURN bk_answer(NULL, 'ok', 0, NULL, k);
END $$;

-- Move every waiting ticket of today from one queue to another ('' =
-- reception; core/qbulk.c qbulk_move_waiting).
CREATE FUNCTION bk_act_bulk_move(p_key TEXT, p_now TEXT, p_from TEXT, p_to TEXT)
RETURNS bk_act_result LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    r bk_act_result;
    at TEXT;
    o officers%ROWTYPE;
    t RECORD;
    k INTEGER := 0;
BEGIN
    PERFORM bk_writer_lock();
    r := bk_replay(p_key, 'bulk_move', 0);
    IF r.result IS NOT NULL THEN
        RETURN r;
    END IF;
    at := bk_clock(p_now);
    IF p_to <> '' THEN
        SELECT * INTO o FROM officers WHERE id = p_to;
        IF NOT FOUND THEN
            RETURN bk_answer(NULL, 'not_found', 0);
        END IF;
        IF o.active <> 1 THEN
            RETURN bk_answer(NULL, 'state', 0);
        END IF;
    END IF;
    FOR t IN SELECT id, client_no FROM tickets
              WHERE office_day = bk_day_of(at) AND officer_id IS NOT DISTINCT FROM NULLIF(p_from, '')
                AND status = 'waiting'
              ORDER BY priority DESC, order_at, id LIMIT 2000 LOOP
        UPDATE tickets SET transferred_from = NULLIF(p_from, ''), officer_id = NULLIF(p_to, '')
         WHERE id = t.id;
        PERFORM bk_audit(at, 'transfer', t.id, t.client_no,
                         format('from=%s to=%s reason=bulk', COALESCE(NULLIF(p_from, ''), 'reception'),
                                COALESCE(NULLIF(p_to, ''), 'reception')));
        k := k + 1;
    END LOOP;
    PERFORM bk_remember(p_key, 'bulk_move', at, 'ok', NULL, k);
    RETURN bk_answer(NULL, 'ok', 0, NULL, k);
END $$;

-- A kiosk's printer trouble in the audit trail (print/slip_store.c): the
-- two actions it records, nothing else.
CREATE FUNCTION bk_act_print(p_now TEXT, p_action TEXT, p_ticket BIGINT, p_detail TEXT)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF p_action IS NULL OR p_action NOT IN ('print_failed', 'print_paper_low') THEN
        RAISE EXCEPTION 'not a printer audit action: %', p_action USING ERRCODE = 'check_violation';
    END IF;
    PERFORM bk_writer_lock();
    PERFORM bk_audit(bk_clock(p_now), p_action, NULLIF(p_ticket, 0), NULL, left(p_detail, 1200));
END $$;

-- ---- reads: what a login sees of the clients -------------------------------
-- The least-privilege roles read clients through this view, never the
-- table (deploy/pg-roles.sql grants no SELECT on clients): no birth date
-- (the check-in function compares it itself), and rows and names by role:
--   owner, superuser, reception  every client, with the name
--   a desk login (bk_desk_login) the clients with a ticket today routed to
--                                its officer, with the name
--   a kiosk                      the clients with a ticket today, without the
--                                name (it prints the next report date)
--   board and anyone else        no row
-- The store reads it instead of the table when the login may not read
-- clients (store.c store_client_get). security_barrier: a caller's function
-- in a WHERE cannot see rows the view's own conditions leave out.
CREATE VIEW bk_clients_seen WITH (security_barrier) AS
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
                        AND pg_has_role(session_user, 'bapas_kiosk', 'MEMBER') AS kiosk) w
 WHERE w.all_rows
    OR (w.desk IS NOT NULL AND EXISTS (SELECT 1 FROM tickets t
                                        WHERE t.client_no = c.no AND t.officer_id = w.desk
                                          AND t.office_day = bk_office_today()))
    OR (w.kiosk AND EXISTS (SELECT 1 FROM tickets t
                             WHERE t.client_no = c.no AND t.office_day = bk_office_today()));
REVOKE ALL ON bk_clients_seen FROM PUBLIC;

-- Every function of this schema: no EXECUTE for PUBLIC (pg-roles.sql grants
-- the roles theirs; bk_office_today() stays public: the views call it), and
-- the SECURITY DEFINER ones look names up in the office's schema only.
DO $$
DECLARE
    f RECORD;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig, p.prosecdef AS definer
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = current_schema() AND p.proname LIKE 'bk\_%'
                AND p.proname NOT IN ('bk_office_today', 'bk_touch', 'bk_audit_append_only') LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f.sig);
        IF f.definer THEN
            EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f.sig,
                           current_schema());
        END IF;
    END LOOP;
END $$;
