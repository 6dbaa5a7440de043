-- 014_reason_seen: schema 11's tickets.reason through schema 8's view (the
-- merge of issue 20's reads with issue 12's no-number tickets).
--
-- Nothing portable: SQLite has no views by role (db/pg/014_reason_seen.sql).
SELECT 1;
