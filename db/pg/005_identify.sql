-- Identify (queue.c queue_identify): the number and birth date only, before
-- a purpose is chosen. The same rules and counting as bk_act_checkin (which
-- checks everything again): a locked number is 'locked'; an unknown number
-- and a wrong birth date are counted alike in verify_failures ('not_found' /
-- 'wrong_birth', attempts_left = tries before the lock, n = wrong tries
-- today) and the miss that reaches the limit locks the number ('locked');
-- an ended client is 'ended'; a match clears the day's count ('ok', no
-- ticket). p_limit is capped by the owner's setting lockout_limit (default
-- 5), as for the check-in. A request key seen before answers as the first
-- time and counts nothing again.
CREATE FUNCTION bk_act_verify(p_key TEXT, p_now TEXT, p_no TEXT, p_birth TEXT, p_limit INTEGER)
RETURNS bk_act_result LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    r bk_act_result;
    q bk_request%ROWTYPE;
    at TEXT;
    today TEXT;
    c clients%ROWTYPE;
    found_client BOOLEAN;
    cnt INTEGER;
    cap INTEGER := COALESCE((SELECT CAST(value AS INTEGER) FROM settings
                              WHERE key = 'lockout_limit'), 5);
    lim INTEGER := CASE WHEN p_limit BETWEEN 1 AND cap THEN p_limit ELSE cap END;
BEGIN
    PERFORM bk_writer_lock();
    SELECT * INTO q FROM bk_request WHERE key = p_key;
    IF FOUND THEN
        IF q.action <> 'verify' THEN
            RETURN bk_answer(NULL, 'exists', 0);
        END IF;
        RETURN bk_answer(NULL, q.result, 0,
                         CASE WHEN q.result IN ('wrong_birth', 'not_found')
                              THEN GREATEST(lim - q.n, 0) END, q.n);
    END IF;
    at := bk_clock(p_now);
    today := bk_day_of(at);
    IF EXISTS (SELECT 1 FROM client_locks WHERE client_no = p_no) THEN
        RETURN bk_answer(NULL, 'locked', 0);
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
            PERFORM bk_remember(p_key, 'verify', at, 'locked', NULL, cnt);
            RETURN bk_answer(NULL, 'locked', 0, 0, cnt);
        END IF;
        PERFORM bk_audit(at, 'verify_fail', NULL, NULL, format('client %s attempt %s', p_no, cnt));
        r := bk_answer(NULL, CASE WHEN found_client THEN 'wrong_birth' ELSE 'not_found' END,
                       0, lim - cnt, cnt);
        PERFORM bk_remember(p_key, 'verify', at, r.result, NULL, cnt);
        RETURN r;
    END IF;
    IF c.active <> 1 THEN
        RETURN bk_answer(NULL, 'ended', 0);
    END IF;
    IF EXISTS (SELECT 1 FROM verify_failures v WHERE v.client_no = p_no AND v.office_day = today)
    THEN
        DELETE FROM verify_failures WHERE client_no = p_no;
    END IF;
    RETURN bk_answer(NULL, 'ok', 0);
END $$;

-- As 003 does for its functions: no EXECUTE for PUBLIC, names looked up in
-- the office's schema only; the kiosk role may call it (deploy/pg-roles.sql
-- grants it too, when it re-creates the grants).
REVOKE ALL ON FUNCTION bk_act_verify(TEXT, TEXT, TEXT, TEXT, INTEGER) FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION bk_act_verify(TEXT, TEXT, TEXT, TEXT, INTEGER) '
                   'SET search_path = %I, pg_temp', current_schema());
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_kiosk') THEN
        GRANT EXECUTE ON FUNCTION bk_act_verify(TEXT, TEXT, TEXT, TEXT, INTEGER) TO bapas_kiosk;
    END IF;
END $$;
