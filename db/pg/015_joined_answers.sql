-- pg/015_joined_answers.sql — PostgreSQL's schema 15 (see ../015_joined_answers.sql).
--
-- bk_act_answers (schema 10) as it was, but a report visit is one whose
-- purposes hold report (schema 9: a report that joined an open visit of
-- another purpose), and the kiosk login that made the ticket or joined the
-- report to it (audit 'checkin' or 'purpose_add') may answer. Before, the
-- questions asked after such a join were refused ('state') and the client
-- was told the answers were not saved. core/answers.c answers_body is the
-- same rule on SQLite.
CREATE OR REPLACE FUNCTION bk_act_answers(p_key TEXT, p_now TEXT, p_ticket BIGINT, p_answers TEXT)
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

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION bk_act_answers(TEXT, TEXT, BIGINT, TEXT) '
                   'SET search_path = %I, pg_temp', current_schema());
END $$;
