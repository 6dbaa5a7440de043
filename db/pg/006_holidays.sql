-- pg/006_holidays.sql — PostgreSQL's part of 006, run right after ../006_holidays.sql.
-- Only the owner writes holidays (bapasctl holidays import, like every other
-- import, runs as the owner role); deploy/pg-roles.sql grants SELECT to
-- bapas_board (and so to the kiosk, desk and reception roles), nothing else.
REVOKE ALL ON holidays FROM PUBLIC;
CREATE TRIGGER holidays_touch AFTER INSERT OR UPDATE OR DELETE ON holidays
    FOR EACH STATEMENT EXECUTE FUNCTION bk_touch();
