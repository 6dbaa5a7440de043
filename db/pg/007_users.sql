-- pg/007_users.sql — PostgreSQL's part of 007, run right after ../007_users.sql.
-- `users` belongs to the owner alone: bapasctl user (run as the owner, as
-- import is) writes it directly; deploy/pg-roles.sql grants no role anything
-- on it, so no product role (kiosk, board, desk, reception, read) may read a
-- password hash. The office server will check logins through the owner's
-- connection or a SECURITY DEFINER function of a later migration.
REVOKE ALL ON users FROM PUBLIC;
CREATE TRIGGER users_touch AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION bk_touch();
