-- pg-roles.sql — least-privilege roles for a Bapas Kiosk office database on PostgreSQL.
--
-- Run by the IT person with psql as a superuser, connected to the office's
-- database, AFTER the schema exists (`bapasctl init` or `bapasctl migrate-to`,
-- run as the office's owner role) and again after every upgrade of Bapas Kiosk:
--
--   sudo -u postgres psql -v ON_ERROR_STOP=1 -d bapas -f /usr/share/bapas-kiosk/pg-roles.sql
--
-- Optional: -v schema=NAME when the office's tables are not in `public`.
-- Safe to run again: it creates what is missing and re-grants the rest.
--
-- It creates five group roles (NOLOGIN; cluster-wide, shared by every office
-- database of the server) and grants each exactly what its mode runs. Each
-- machine logs in as its own LOGIN role that is a member of one of them
-- (deploy/README.md, "Several machines"):
--
--   bapas_board      reads what the programs read (lobby board; base of the next three)
--   bapas_kiosk      + check-in and walk-in (kiosk mode)
--   bapas_desk       + ticket actions: call, recall, start, done, no-show, cancel,
--                      priority, transfer (desk mode, `bapasctl call-next` ...)
--   bapas_reception  bapas_kiosk + bapas_desk + officer presence, unlocking a
--                    client, reading the audit trail (reception mode)
--   bapas_read       the documented views only (the officers' other systems)
--
-- The office's owner role (which owns the tables) keeps everything else: schema
-- migrations, imports, the roster, `migrate-to`, backups, reports.
--
-- What PostgreSQL itself enforces beyond the grants:
-- - tickets has row-level security: the kiosk may insert only fresh waiting
--   tickets and may change an existing ticket only from open to no_show
--   (closing earlier days' tickets at check-in); column privileges alone cannot
--   limit values. The owner and superusers are not subject to it.
-- - audit stays append-only for every role (no UPDATE/DELETE granted; its
--   triggers refuse them even for the owner).
-- - bk_office_today() (used by the views) runs as its owner, so bapas_read
--   needs no grant on the settings table.

\set ON_ERROR_STOP on
\set QUIET on
\if :{?schema}
\else
\set schema public
\endif
SET search_path = :"schema";
SET client_min_messages = warning;

BEGIN;

-- ---- the group roles (created once per server) ------------------------------
SELECT format('CREATE ROLE %I NOLOGIN', r)
  FROM unnest(ARRAY['bapas_board', 'bapas_kiosk', 'bapas_desk', 'bapas_reception',
                    'bapas_read']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
\gexec

GRANT bapas_board TO bapas_kiosk, bapas_desk;
GRANT bapas_kiosk, bapas_desk TO bapas_reception;

-- ---- start clean: nothing on this schema's tables but what follows ----------
REVOKE ALL ON ALL TABLES IN SCHEMA :"schema"
  FROM PUBLIC, bapas_board, bapas_kiosk, bapas_desk, bapas_reception, bapas_read;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA :"schema"
  FROM PUBLIC, bapas_board, bapas_kiosk, bapas_desk, bapas_reception, bapas_read;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA :"schema"
  FROM PUBLIC, bapas_board, bapas_kiosk, bapas_desk, bapas_reception, bapas_read;
REVOKE CREATE ON SCHEMA :"schema" FROM PUBLIC;
GRANT USAGE ON SCHEMA :"schema"
  TO bapas_board, bapas_kiosk, bapas_desk, bapas_reception, bapas_read;
GRANT CONNECT ON DATABASE :"DBNAME"
  TO bapas_board, bapas_kiosk, bapas_desk, bapas_reception, bapas_read;

-- ---- bapas_board: what every program reads ----------------------------------
-- bk_schema (version check at open), bk_state (change detection), settings,
-- officers, presence and weekly roster (routing), clients (names, initials),
-- tickets (the queue).
GRANT SELECT ON bk_schema, bk_state, settings, officers, officer_presence, officer_weekly,
                clients, tickets
  TO bapas_board;

-- The views compute "today" with bk_office_today().
GRANT EXECUTE ON FUNCTION bk_office_today()
  TO bapas_board, bapas_kiosk, bapas_desk, bapas_reception, bapas_read;
-- The writer lock (schema 3): writers run one at a time. Only the writing
-- roles may take it; the table behind it has no grant at all.
GRANT EXECUTE ON FUNCTION bk_writer_lock() TO bapas_kiosk, bapas_desk;

-- Every write bumps bk_state.data_version through the tables' triggers, which
-- run as the writer.
GRANT UPDATE (data_version) ON bk_state TO bapas_kiosk, bapas_desk;

-- ---- bapas_kiosk: check-in and walk-in (core/queue.c queue_checkin, queue_walkin)
-- client_locks: is the number locked; lock it at the limit (never unlock).
GRANT SELECT, INSERT ON client_locks TO bapas_kiosk;
-- verify_failures: count wrong birth dates (an upsert), clear them on success.
GRANT SELECT, INSERT, DELETE ON verify_failures TO bapas_kiosk;
GRANT UPDATE (count, last_at) ON verify_failures TO bapas_kiosk;
-- the new ticket and its audit row (identity columns need no sequence grant)
GRANT INSERT ON tickets, audit TO bapas_kiosk;
-- closing earlier days' open tickets as no_show (store_ticket_close_stale)
GRANT UPDATE (status, finished_at) ON tickets TO bapas_kiosk;

-- ---- bapas_desk: ticket actions (store_ticket_update) and their audit rows ---
GRANT UPDATE (officer_id, transferred_from, status, priority, calls, order_at, called_at,
              started_at, finished_at, served_by, outcome, last_call_at, walkin_name)
  ON tickets TO bapas_desk;
-- a finished report visit moves the client's last report date
GRANT UPDATE (last_report) ON clients TO bapas_desk;
GRANT INSERT ON audit TO bapas_desk;

-- ---- bapas_reception: presence, unlock, the audit trail ---------------------
GRANT INSERT ON officer_presence TO bapas_reception;
GRANT UPDATE (status, substitute_id, note) ON officer_presence TO bapas_reception;
GRANT DELETE ON client_locks TO bapas_reception;
GRANT SELECT ON audit TO bapas_reception;

-- ---- bapas_read: the documented views, nothing else -------------------------
GRANT SELECT ON v_queue_today, v_visits, v_officer_presence TO bapas_read;

-- The views compute "today" with bk_office_today(), which reads settings; run
-- it as its owner with a fixed search_path so bapas_read needs no table.
SELECT format('ALTER FUNCTION %I.bk_office_today() SECURITY DEFINER SET search_path = %I, pg_temp',
              :'schema', :'schema')
\gexec

-- ---- row-level security on tickets ------------------------------------------
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS bapas_read_tickets ON tickets;
DROP POLICY IF EXISTS bapas_kiosk_insert ON tickets;
DROP POLICY IF EXISTS bapas_kiosk_close_stale ON tickets;
DROP POLICY IF EXISTS bapas_desk_act ON tickets;
CREATE POLICY bapas_read_tickets ON tickets FOR SELECT TO bapas_board USING (true);
-- check-in and walk-in insert a fresh waiting ticket, nothing else
CREATE POLICY bapas_kiosk_insert ON tickets FOR INSERT TO bapas_kiosk
  WITH CHECK (status = 'waiting' AND priority = 0 AND calls = 0 AND called_at IS NULL
              AND last_call_at IS NULL AND started_at IS NULL AND finished_at IS NULL
              AND served_by IS NULL AND outcome IS NULL);
-- the kiosk may only close an open ticket as no_show (an earlier day's, at check-in)
CREATE POLICY bapas_kiosk_close_stale ON tickets FOR UPDATE TO bapas_kiosk
  USING (status IN ('waiting', 'called', 'serving'))
  WITH CHECK (status = 'no_show');
CREATE POLICY bapas_desk_act ON tickets FOR UPDATE TO bapas_desk USING (true) WITH CHECK (true);

COMMIT;
\echo 'bapas roles: bapas_board, bapas_kiosk, bapas_desk, bapas_reception, bapas_read granted on' :"DBNAME"
