-- pg/003_server_rules.sql — PostgreSQL's schema 3 (see ../003_server_rules.sql).
-- Everything here belongs to the office's owner role, which runs the
-- migrations; deploy/pg-roles.sql grants the group roles what they need.

-- ---- the writer lock --------------------------------------------------------
-- Write transactions run one at a time, as SQLite's BEGIN IMMEDIATE makes
-- them: every write takes a row lock on the one row of bk_writer first. No
-- login role has any privilege on the table (only its owner may lock it), so
-- only the store's write path, bk_writer_lock() running as the owner, can
-- take the lock. (Schemas 1 and 2 used a public advisory lock key, which any
-- role that could connect, even a views-only one, could take and hold.)
CREATE TABLE bk_writer (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);
INSERT INTO bk_writer(id) VALUES (1);
REVOKE ALL ON bk_writer FROM PUBLIC;

-- Take the writer lock for the rest of the calling transaction (waits up to
-- the session's lock_timeout: SQLSTATE 55P03).
CREATE FUNCTION bk_writer_lock() RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    PERFORM 1 FROM bk_writer WHERE id = 1 FOR UPDATE;
END $$;
REVOKE ALL ON FUNCTION bk_writer_lock() FROM PUBLIC;

-- A SECURITY DEFINER function must not look names up in a schema its caller
-- can create objects in: fix its search_path to the office's schema.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION bk_writer_lock() SET search_path = %I, pg_temp',
                   current_schema());
END $$;
