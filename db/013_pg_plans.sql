-- 013_pg_plans: how PostgreSQL plans two statements of the write functions
-- (issue 20, item 4: a check-in's time on the server).
--
-- Nothing portable: SQLite has neither the functions nor a plan cache
-- (db/pg/013_pg_plans.sql).
SELECT 1;
