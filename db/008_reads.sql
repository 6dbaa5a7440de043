-- 008_reads.sql — the part both databases run: nothing. Schema 8 is
-- PostgreSQL's own (pg/008_reads.sql): what each least-privilege role may
-- READ of the tickets and the audit trail (issue 20, item 3): views that
-- mask the personal columns by role, a by-token look-up for slip scans and
-- the token for a reprint, each as a function running as the owner.
-- SQLite's schema 8 is schema 7 (one file, one user: nothing to grant).
SELECT 1;
