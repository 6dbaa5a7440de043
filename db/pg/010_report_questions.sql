-- pg/010_report_questions.sql — PostgreSQL's part of 010, run right after
-- ../010_report_questions.sql.
--
-- report_questions: the owner writes it (bapasctl questions set); every
-- product role reads it (SELECT to bapas_board, and so the kiosk, desk and
-- reception roles): the texts are the office's, not a client's.
-- ticket_answers: owner-only. The kiosk writes it only through
-- bk_act_answers; the desk, reception and the kiosk read it only through
-- bk_answers_seen. bapas_read and bapas_board see nothing of it.
REVOKE ALL ON report_questions FROM PUBLIC;
REVOKE ALL ON ticket_answers FROM PUBLIC;
CREATE TRIGGER report_questions_touch AFTER INSERT OR UPDATE OR DELETE ON report_questions
    FOR EACH STATEMENT EXECUTE FUNCTION bk_touch();
CREATE TRIGGER ticket_answers_touch AFTER INSERT OR UPDATE OR DELETE ON ticket_answers
    FOR EACH STATEMENT EXECUTE FUNCTION bk_touch();

-- What a login sees of the answers (the same role rules as bk_clients_seen):
--   owner, superuser, reception  every row, with the answer
--   a desk login (bk_desk_login) the rows of today's tickets routed to its
--                                officer, with the answer
--   a kiosk                      the rows of today's tickets, answer NULL
--                                (it only needs to know a ticket was answered)
--   board, read and anyone else  no row
CREATE VIEW bk_answers_seen WITH (security_barrier) AS
SELECT a.ticket_id, a.question_id,
       CASE WHEN w.all_rows OR w.desk IS NOT NULL THEN a.answer END AS answer,
       a.answered_at
  FROM ticket_answers a
  JOIN tickets t ON t.id = a.ticket_id
 CROSS JOIN (SELECT pg_has_role(session_user, (SELECT k.relowner FROM pg_class k
                                                WHERE k.oid = 'ticket_answers'::regclass), 'MEMBER')
                    OR (EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_reception')
                        AND pg_has_role(session_user, 'bapas_reception', 'MEMBER')) AS all_rows,
                    (SELECT d.officer_id FROM bk_desk_login d WHERE d.login = session_user) AS desk,
                    EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_kiosk')
                        AND pg_has_role(session_user, 'bapas_kiosk', 'MEMBER') AS kiosk) w
 WHERE w.all_rows
    OR (w.desk IS NOT NULL AND t.officer_id = w.desk AND t.office_day = bk_office_today())
    OR (w.kiosk AND t.office_day = bk_office_today());
REVOKE ALL ON bk_answers_seen FROM PUBLIC;

-- The answers of a report visit (core/answers.c answers_put), after its
-- check-in made the ticket. p_answers is "QID=A,QID=A,..." (A: 1 = Ya,
-- 0 = Tidak), 1 to 16 pairs, each an active question, none twice. Refused:
--   'invalid'  not that form, a question unknown, inactive or twice
--   'state'    the ticket does not exist, is not today's, is not a report
--              visit of a client, is closed (done, no-show, cancelled), or
--              was not made by a check-in of this very login (its 'checkin'
--              audit row names another actor: a kiosk answers only for the
--              tickets it made itself; a walk-in has no such row)
--   'exists'   the ticket has answers already (never overwritten)
-- 'ok': the rows and one audit row 'answers' whose detail is the number of
-- questions only (which ones were "Ya" is in no log). A request key seen
-- before answers as the first time and writes nothing.
CREATE FUNCTION bk_act_answers(p_key TEXT, p_now TEXT, p_ticket BIGINT, p_answers TEXT)
RETURNS bk_act_result LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    q bk_request%ROWTYPE;
    at TEXT;
    t tickets%ROWTYPE;
    pair TEXT;
    qid INTEGER;
    ids INTEGER[] := '{}';
    vals INTEGER[] := '{}';
    n INTEGER;
BEGIN
    PERFORM bk_writer_lock();
    SELECT * INTO q FROM bk_request WHERE key = p_key;
    IF FOUND THEN
        IF q.action <> 'answers' THEN
            RETURN bk_answer(NULL, 'exists', 0);
        END IF;
        RETURN bk_answer(q.ticket_id, q.result, 0, NULL, q.n);
    END IF;
    at := bk_clock(p_now);
    IF p_answers IS NULL OR p_answers !~ '^[0-9]{1,3}=[01](,[0-9]{1,3}=[01]){0,15}$' THEN
        RETURN bk_answer(NULL, 'invalid', 0);
    END IF;
    FOREACH pair IN ARRAY string_to_array(p_answers, ',') LOOP
        qid := CAST(split_part(pair, '=', 1) AS INTEGER);
        IF qid = ANY (ids) OR NOT EXISTS (SELECT 1 FROM report_questions
                                           WHERE id = qid AND active = 1) THEN
            RETURN bk_answer(NULL, 'invalid', 0);
        END IF;
        ids := ids || qid;
        vals := vals || CAST(split_part(pair, '=', 2) AS INTEGER);
    END LOOP;
    SELECT * INTO t FROM tickets WHERE id = p_ticket;
    -- A report visit (report is its first purpose, or joined it: schema 9),
    -- made or joined by a check-in of this login.
    IF NOT FOUND OR t.office_day <> bk_day_of(at)
       OR NOT (t.purpose = 'report'
               OR EXISTS (SELECT 1 FROM ticket_purposes p
                           WHERE p.ticket_id = p_ticket AND p.purpose = 'report'))
       OR t.client_no IS NULL OR t.status NOT IN ('waiting', 'called', 'serving')
       OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.ticket_id = p_ticket
                         AND a.action IN ('checkin', 'purpose_add')
                         AND a.actor = session_user) THEN
        RETURN bk_answer(NULL, 'state', 0);
    END IF;
    IF EXISTS (SELECT 1 FROM ticket_answers WHERE ticket_id = p_ticket) THEN
        RETURN bk_answer(NULL, 'exists', 0);
    END IF;
    n := array_length(ids, 1);
    INSERT INTO ticket_answers(ticket_id, question_id, answer, answered_at)
    SELECT p_ticket, ids[i], vals[i], at FROM generate_subscripts(ids, 1) AS i;
    PERFORM bk_audit(at, 'answers', p_ticket, t.client_no, format('questions=%s', n));
    PERFORM bk_remember(p_key, 'answers', at, 'ok', p_ticket, n);
    RETURN bk_answer(p_ticket, 'ok', 0, NULL, n);
END $$;

REVOKE ALL ON FUNCTION bk_act_answers(TEXT, TEXT, BIGINT, TEXT) FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION bk_act_answers(TEXT, TEXT, BIGINT, TEXT) '
                   'SET search_path = %I, pg_temp', current_schema());
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_kiosk') THEN
        GRANT EXECUTE ON FUNCTION bk_act_answers(TEXT, TEXT, BIGINT, TEXT) TO bapas_kiosk;
        GRANT SELECT ON bk_answers_seen TO bapas_kiosk;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_desk') THEN
        GRANT SELECT ON bk_answers_seen TO bapas_desk;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapas_board') THEN
        GRANT SELECT ON report_questions TO bapas_board;
    END IF;
END $$;
