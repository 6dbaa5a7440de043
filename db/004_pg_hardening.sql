-- 004_pg_hardening.sql — the part both databases run: nothing. Schema 4 is
-- PostgreSQL's own (pg/004_pg_hardening.sql): the server's write functions
-- made cheaper (helpers whose plans are kept, queue look-ups by the index)
-- and old request keys pruned. SQLite's schema 4 is schema 3.
SELECT 1;
