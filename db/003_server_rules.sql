-- 003_server_rules.sql — the part both databases run: nothing. Schema 3 is
-- PostgreSQL's own (pg/003_server_rules.sql): the writer lock that only the
-- store's write path can take, the write functions and the read rules for
-- the least-privilege roles (deploy/pg-roles.sql). SQLite has one writer at a
-- time by its file lock and no roles; its schema 3 is schema 2.
SELECT 1;
