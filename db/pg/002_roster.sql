-- pg/002_roster.sql — PostgreSQL's part of 002, run right after ../002_roster.sql:
-- v_officer_presence with the weekly pattern (bk_office_today(), EXTRACT),
-- and the data_version/NOTIFY triggers of the two new tables.

-- Today's presence now follows the same order as check-in routing. The
-- columns of 001 are unchanged; `source` (day | weekly | default) is new.
DROP VIEW v_officer_presence;
CREATE VIEW v_officer_presence AS
SELECT d.day AS office_day, o.id AS officer, o.name AS name, o.room AS room,
       COALESCE(p.status, w.status, 'present') AS status,
       CASE WHEN p.status IS NOT NULL THEN p.substitute_id ELSE w.substitute_id END AS substitute,
       CASE WHEN p.status IS NULL THEN 0 ELSE 1 END AS recorded,
       CASE WHEN p.status IS NOT NULL THEN 'day'
            WHEN w.status IS NOT NULL THEN 'weekly' ELSE 'default' END AS source
  FROM officers o
  CROSS JOIN (SELECT bk_office_today() AS day) d
  LEFT JOIN officer_presence p ON p.officer_id = o.id AND p.office_day = d.day
  LEFT JOIN officer_weekly w ON w.officer_id = o.id
                            AND w.weekday = CAST(EXTRACT(DOW FROM CAST(d.day AS DATE)) AS INTEGER)
 WHERE o.active = 1
UNION ALL
SELECT p.office_day, p.officer_id, o.name, o.room, p.status, p.substitute_id, 1, 'day'
  FROM officer_presence p JOIN officers o ON o.id = p.officer_id
 WHERE p.office_day <> bk_office_today();

CREATE TRIGGER officer_weekly_touch AFTER INSERT OR UPDATE OR DELETE ON officer_weekly
    FOR EACH STATEMENT EXECUTE FUNCTION bk_touch();
CREATE TRIGGER client_since_touch AFTER INSERT OR UPDATE OR DELETE ON client_since
    FOR EACH STATEMENT EXECUTE FUNCTION bk_touch();
