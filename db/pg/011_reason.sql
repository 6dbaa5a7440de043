-- pg/011_reason.sql — PostgreSQL's part of 011, run right after ../011_reason.sql.
--
-- bk_act_no_number: the kiosk's reception ticket for a client who does not
-- know their number (queue.c queue_no_number). No client, routed to
-- reception, purpose 'other' (none was asked), reason 'no_number'. The
-- request key is the ticket's token, as for bk_act_walkin: a replayed key
-- returns the same ticket ('existing'), a key of another request 'exists'.
-- It makes the ticket with the existing helper bk_insert_ticket (not
-- redefined here) and then sets the reason, in the same transaction.
-- The kiosk role may call it; it cannot choose a client, a name, a purpose,
-- a queue or a reason.
CREATE FUNCTION bk_act_no_number(p_key TEXT, p_now TEXT, p_service INTEGER)
RETURNS bk_act_result LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    at TEXT;
    today TEXT;
    t tickets%ROWTYPE;
    tid BIGINT;
BEGIN
    IF p_key IS NULL OR p_key !~ '^[A-Z2-7]{26}$' THEN
        RETURN bk_answer(NULL, 'invalid', p_service);
    END IF;
    PERFORM bk_writer_lock();
    at := bk_clock(p_now);
    today := bk_day_of(at);
    SELECT * INTO t FROM tickets WHERE token = p_key;
    IF FOUND THEN
        IF t.client_no IS NOT NULL OR t.reason <> 'no_number' THEN
            RETURN bk_answer(NULL, 'exists', p_service); -- the key is another request's
        END IF;
        RETURN bk_answer(t.id, 'existing', p_service);
    END IF;
    PERFORM bk_close_stale(today, at);
    tid := bk_insert_ticket(today, 'other', p_key, NULL, '', NULL, NULL, 'reception', at);
    UPDATE tickets SET reason = 'no_number' WHERE id = tid;
    PERFORM bk_audit(at, 'walkin', tid, NULL,
                     format('code=%s purpose=other reason=no_number',
                            (SELECT code FROM tickets WHERE id = tid)));
    RETURN bk_answer(tid, 'ok', p_service);
END $$;

-- As 003 and 005 do for their functions: no EXECUTE for PUBLIC, names looked
-- up in the office's schema only; the kiosk role may call it
-- (deploy/pg-roles.sql grants it too, when it re-creates the grants).
REVOKE ALL ON FUNCTION bk_act_no_number(TEXT, TEXT, INTEGER) FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION bk_act_no_number(TEXT, TEXT, INTEGER) '
                   'SET search_path = %I, pg_temp', current_schema());
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_kiosk') THEN
        GRANT EXECUTE ON FUNCTION bk_act_no_number(TEXT, TEXT, INTEGER) TO bapas_kiosk;
    END IF;
END $$;

-- bk_client_no_chars: the characters other than digits that occur in the
-- office's client numbers, each once (store.c store_client_no_chars), for
-- the kiosk's touch keypad (issue 12 item 4). The kiosk role may not list
-- the clients (bk_clients_seen shows it only today's); this tells which
-- characters occur and nothing of any number. Read-only.
CREATE FUNCTION bk_client_no_chars() RETURNS TEXT LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT COALESCE(string_agg(ch, '' ORDER BY ch COLLATE "C"), '')
      FROM (SELECT DISTINCT ch FROM clients, regexp_split_to_table(no, '') AS ch
             WHERE ch ~ '^[A-Za-z./-]$') AS s
$$;
REVOKE ALL ON FUNCTION bk_client_no_chars() FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION bk_client_no_chars() SET search_path = %I, pg_temp',
                   current_schema());
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_kiosk') THEN
        GRANT EXECUTE ON FUNCTION bk_client_no_chars() TO bapas_kiosk;
    END IF;
END $$;
