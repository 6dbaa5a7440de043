-- pg/013_pg_plans.sql — PostgreSQL's schema 13 (see ../013_pg_plans.sql).
-- Nothing changes in meaning; two statements of the write functions are
-- planned once a session instead of at every call, and the request-key
-- pruning reads only what it deletes.
--
-- Found with pg_stat_statements (track = all, track_planning = on) on
-- bench_backends' office (tests/bench/): of 510 check-ins,
-- - bk_median_minutes' statement (the service times of an officer's last 20
--   visits of a purpose, for the estimated wait) was planned 512 times,
--   0.25 ms a plan beside 0.29 ms to run: PL/pgSQL keeps a statement's
--   generic plan only when it looks no dearer than the custom plans it made
--   first, and the statistics of today's officer and purpose made every
--   custom plan look cheaper. The generic plan is the one the custom plans
--   chose anyway (tickets_service: officer, purpose, status, finished_at,
--   read backwards, 20 rows), so the function now always takes it.
-- - bk_remember's pruning (`DELETE ... WHERE key IN (SELECT ... ORDER BY at
--   LIMIT 8)`) was planned as a hash semi-join over a sequential scan of
--   bk_request: free while nothing is older than 7 days (the scan stops at
--   an empty hash), but once an office has run for a week every check-in
--   and call would read the whole table (about a week of calls). The keys
--   are now collected first and deleted through the primary key.

ALTER FUNCTION bk_median_minutes(TEXT, TEXT, INTEGER) SET plan_cache_mode = force_generic_plan;

CREATE OR REPLACE FUNCTION bk_remember(p_key TEXT, p_action TEXT, p_at TEXT, p_result TEXT,
                                       p_ticket BIGINT, p_n INTEGER DEFAULT 0)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    cutoff TEXT := to_char((CAST(p_at AS TIMESTAMPTZ) - interval '7 days') AT TIME ZONE 'UTC',
                           'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    old TEXT[];
BEGIN
    old := ARRAY(SELECT q.key FROM bk_request q WHERE q.at < cutoff ORDER BY q.at LIMIT 8);
    IF cardinality(old) > 0 THEN
        DELETE FROM bk_request WHERE key = ANY (old);
    END IF;
    INSERT INTO bk_request(key, action, at, result, ticket_id, n)
    VALUES (p_key, p_action, p_at, p_result, p_ticket, p_n);
END $$;
