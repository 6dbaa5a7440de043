-- 004_pg_hardening.sql — the part both databases run: nothing. Schema 4 is
-- PostgreSQL's own (pg/004_pg_hardening.sql): the server's write functions
-- made cheaper (one check-in, one round trip, fewer plans), reads of the
-- tickets by role, and time limits for the product roles. SQLite's schema 4
-- is schema 3.
SELECT 1;
