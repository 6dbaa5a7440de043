-- pg/012_web_actor.sql — PostgreSQL's part of 012: the audit rows of the
-- office server name the staff member, not the server's login.
--
-- bapas-web connects with one login for everyone (today the office's owner
-- role: it reads `users`). Before each server action it sets the session
-- setting bapas.actor to 'web:NAME' (store_set_actor, store.c). bk_audit,
-- which every bk_act_* function calls for its audit row, takes that value
-- as the actor only when the session's login is a member of the owner role:
-- the owner may write audit rows directly anyway, so trusting its setting
-- gives nothing away, while a kiosk, desk or reception login that sets
-- bapas.actor still gets its own login name as the actor (test_attack.sh).
-- Same name, arguments and result as schema 4's bk_audit.
CREATE OR REPLACE FUNCTION bk_audit(p_at TEXT, p_action TEXT, p_ticket BIGINT, p_client TEXT,
                                    p_detail TEXT)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    who TEXT := session_user;
    said TEXT := current_setting('bapas.actor', true);
BEGIN
    IF said IS NOT NULL AND said LIKE 'web:_%' AND length(said) <= 80
       AND pg_has_role(session_user,
                       (SELECT c.relowner FROM pg_class c WHERE c.oid = 'tickets'::regclass),
                       'MEMBER') THEN
        who := said;
    END IF;
    INSERT INTO audit(at, actor, action, ticket_id, client_no, detail)
    VALUES (p_at, who, p_action, p_ticket, p_client, COALESCE(p_detail, ''));
END $$;
REVOKE ALL ON FUNCTION bk_audit(TEXT, TEXT, BIGINT, TEXT, TEXT) FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION bk_audit(TEXT, TEXT, BIGINT, TEXT, TEXT) '
                   'SET search_path = %I, pg_temp', current_schema());
END $$;
