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

CREATE OR REPLACE FUNCTION bk_remember(p_key TEXT, p_action TEXT, p_at TEXT, p_result TEXT,
                                       p_ticket BIGINT, p_n INTEGER DEFAULT 0)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bk_request(key, action, at, result, ticket_id, n)
    VALUES (p_key, p_action, p_at, p_result, p_ticket, p_n);
END $$;

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
