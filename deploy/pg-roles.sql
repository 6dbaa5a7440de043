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
--   bapas_board      reads the queue (lobby board; base of the next three):
--                    tickets through bk_tickets_seen, no names, no tokens
--   bapas_kiosk      + identity check, check-in and walk-in (kiosk mode)
--   bapas_desk       + ticket actions: call, recall, start, done, no-show, cancel,
--                      priority, transfer, on its own officer's queue only
--                      (bk_desk_login; desk mode, `bapasctl call-next` ...)
--   bapas_reception  bapas_kiosk + bapas_desk on every queue + officer presence,
--                    unlocking a client, moving a queue, reading the audit trail
--   bapas_read       the documented views only (the officers' other systems)
--
-- The office's owner role (which owns the tables) keeps everything else: schema
-- migrations, imports, the roster, `migrate-to`, backups, reports, and says
-- which officer each desk login is (INSERT INTO bk_desk_login ...).
--
-- What PostgreSQL itself enforces (schema 3, db/pg/003_server_rules.sql):
-- - no role has INSERT, UPDATE, DELETE or TRUNCATE on any table: each write is
--   one bk_act_* function that runs as the owner, applies the queue's rules,
--   takes the writer lock (a row lock on bk_writer, which no role may touch)
--   and writes its audit row with the login as the actor; a role may EXECUTE
--   only its mode's functions;
-- - clients are read through bk_clients_seen: never a birth date; names only
--   for reception and, for a desk, of today's tickets of its officer;
--   nobody reads the wrong-date counts, the locks or the request keys;
-- - tickets are read through bk_tickets_seen (schema 8): never a slip token;
--   client numbers and walk-in names only of today's tickets, for
--   reception (every queue) and for a desk (its officer's); a slip
--   scan is bk_ticket_by_token, a reprint's token bk_slip_token (reception);
--   reception reads the audit trail through bk_audit_seen (no counts);
-- - audit stays append-only (its triggers refuse changes even for the owner);
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
-- officers, presence and weekly roster (routing), holidays (schema 6: the
-- next report date).
GRANT SELECT ON bk_schema, bk_state, settings, officers, officer_presence, officer_weekly,
                holidays
  TO bapas_board;
-- Tickets only through bk_tickets_seen (schema 8): every row and column but
-- never a slip token; client numbers and walk-in names of today's tickets
-- for reception and, for a desk, of its officer's (the view's comment in
-- db/pg/008_reads.sql). No role reads the tickets table itself. Before
-- schema 8 (no view yet) the table, as those versions did.
SELECT format('GRANT SELECT ON %I.bk_tickets_seen TO bapas_board', :'schema')
 WHERE to_regclass(format('%I.bk_tickets_seen', :'schema')) IS NOT NULL
UNION ALL
SELECT format('GRANT SELECT ON %I.tickets TO bapas_board', :'schema')
 WHERE to_regclass(format('%I.bk_tickets_seen', :'schema')) IS NULL
\gexec
-- The purposes of each visit (schema 9, ticket_purposes): the kiosk (its
-- check-in answer), the desk and reception (the desk shows them); not the
-- board: why someone came is not for the lobby.
SELECT format('GRANT SELECT ON %I.ticket_purposes TO bapas_kiosk, bapas_desk', :'schema')
 WHERE EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = :'schema'
                                         AND tablename = 'ticket_purposes')
\gexec
-- Clients only through bk_clients_seen (schema 3): never a birth date; the
-- rows and names each role may see (the view's comment in
-- db/pg/003_server_rules.sql). No role reads verify_failures (the wrong-date
-- counts), client_locks, bk_request or bk_desk_login.
GRANT SELECT ON bk_clients_seen TO bapas_board;

-- The views compute "today" with bk_office_today() (it runs as its owner,
-- with a fixed search_path, so bapas_read needs no grant on settings).
SELECT format('ALTER FUNCTION %I.bk_office_today() SECURITY DEFINER SET search_path = %I, pg_temp',
              :'schema', :'schema')
\gexec
GRANT EXECUTE ON FUNCTION bk_office_today()
  TO bapas_board, bapas_kiosk, bapas_desk, bapas_reception, bapas_read;

-- ---- writes: the server's functions only (schema 3) -------------------------
-- No role has INSERT, UPDATE, DELETE or TRUNCATE on any table. Each write is
-- one bk_act_* function (db/pg/003_server_rules.sql): it runs as the owner,
-- applies the queue's rules, takes the writer lock and writes the audit row
-- with the login's name as the actor. Neither the writer lock's table nor
-- bk_writer_lock() is granted to anyone.
-- kiosk: check-in (which counts wrong birth dates and locks at the limit),
-- walk-in, the printer's audit rows, closing earlier days' tickets.
GRANT EXECUTE ON FUNCTION
  bk_act_checkin(TEXT, TEXT, TEXT, TEXT, TEXT, INTEGER, INTEGER),
  bk_act_walkin(TEXT, TEXT, TEXT, TEXT, INTEGER),
  bk_act_print(TEXT, TEXT, BIGINT, TEXT),
  bk_act_close_stale(TEXT, TEXT)
  TO bapas_kiosk;
-- kiosk (schema 5): the number and birth date before the purpose
-- (bk_act_verify, db/pg/005_identify.sql: the same counting and lock).
SELECT format('GRANT EXECUTE ON FUNCTION %I.bk_act_verify(TEXT, TEXT, TEXT, TEXT, INTEGER) TO bapas_kiosk',
              :'schema')
 WHERE EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = :'schema' AND p.proname = 'bk_act_verify')
\gexec
-- kiosk (schema 11): a reception ticket for a client who does not know their
-- number (bk_act_no_number, db/pg/011_reason.sql).
SELECT format('GRANT EXECUTE ON FUNCTION %I.bk_act_no_number(TEXT, TEXT, INTEGER) TO bapas_kiosk',
              :'schema')
 WHERE EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = :'schema' AND p.proname = 'bk_act_no_number')
\gexec
-- kiosk (schema 11): which characters the client numbers use, for the touch
-- keypad (bk_client_no_chars, read-only; nothing of any number).
SELECT format('GRANT EXECUTE ON FUNCTION %I.bk_client_no_chars() TO bapas_kiosk', :'schema')
 WHERE EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = :'schema' AND p.proname = 'bk_client_no_chars')
\gexec
-- kiosk (schema 10): the wajib lapor answers of a report ticket it made
-- itself (bk_act_answers, db/pg/010_report_questions.sql). Every product role
-- reads the office's questions; the answers (personal) only through
-- bk_answers_seen (rows by role; the kiosk sees no answer, bapas_read and
-- bapas_board nothing): ticket_answers itself stays the owner's alone.
SELECT format('GRANT EXECUTE ON FUNCTION %I.bk_act_answers(TEXT, TEXT, BIGINT, TEXT) TO bapas_kiosk',
              :'schema')
 WHERE EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = :'schema' AND p.proname = 'bk_act_answers')
\gexec
SELECT format('GRANT SELECT ON %I.report_questions TO bapas_board', :'schema'),
       format('GRANT SELECT ON %I.bk_answers_seen TO bapas_kiosk, bapas_desk', :'schema')
 WHERE EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = :'schema' AND c.relname = 'bk_answers_seen')
\gexec
-- desk: call the next ticket, and recall, start, done, no-show, cancel,
-- priority, transfer, each on its own officer's tickets only (bk_desk_login
-- says which officer a desk login is; reception acts on every queue).
GRANT EXECUTE ON FUNCTION
  bk_act_call_next(TEXT, TEXT, TEXT, INTEGER),
  bk_act_ticket(TEXT, TEXT, BIGINT, TEXT, TEXT, TEXT, INTEGER),
  bk_act_close_stale(TEXT, TEXT)
  TO bapas_desk;
-- reception (a member of both): + officer presence, unlocking a client
-- number, moving a whole queue.
GRANT EXECUTE ON FUNCTION
  bk_act_presence(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT),
  bk_act_unlock(TEXT, TEXT, TEXT),
  bk_act_bulk_move(TEXT, TEXT, TEXT, TEXT)
  TO bapas_reception;
-- A slip scan (schema 8): desk and reception look a ticket up by the token
-- a slip's QR carries, through bk_ticket_by_token (runs as the owner; the
-- ticket as bk_tickets_seen shows it to the caller, without the token).
SELECT format('GRANT EXECUTE ON FUNCTION %I.bk_ticket_by_token(TEXT) TO bapas_desk', :'schema')
 WHERE to_regprocedure(format('%I.bk_ticket_by_token(TEXT)', :'schema')) IS NOT NULL
\gexec
-- reception reads the audit trail: from schema 8 through bk_audit_seen
-- (no wrong birth-date counts), and reprints a slip with the token that
-- bk_slip_token gives for one ticket of today at a time.
SELECT format('GRANT SELECT ON %I.bk_audit_seen TO bapas_reception', :'schema')
 WHERE to_regclass(format('%I.bk_audit_seen', :'schema')) IS NOT NULL
UNION ALL
SELECT format('GRANT EXECUTE ON FUNCTION %I.bk_slip_token(BIGINT) TO bapas_reception', :'schema')
 WHERE to_regprocedure(format('%I.bk_slip_token(BIGINT)', :'schema')) IS NOT NULL
UNION ALL
SELECT format('GRANT SELECT ON %I.audit TO bapas_reception', :'schema')
 WHERE to_regclass(format('%I.bk_audit_seen', :'schema')) IS NULL
\gexec

-- ---- bapas_read: the documented views, nothing else -------------------------
GRANT SELECT ON v_queue_today, v_visits, v_officer_presence TO bapas_read;

-- ---- time limits (schema 4) -------------------------------------------------
-- A session that sits in an open transaction after a write function holds
-- the writer lock: every other kiosk and desk then reports "busy". The
-- product's own transactions never wait on the machine between statements,
-- so any session of this database idle in a transaction for 10 s is ended
-- by the server (its transaction rolled back, the lock freed; the program
-- reconnects by itself). Set on the database, not on the group roles:
-- PostgreSQL applies a role's settings only to that login itself, never to
-- its members. The programs set lock_timeout themselves (their busy
-- timeout, 5 s by default), so it is not set here. A login can still SET
-- the limit off in its own session: this stops a vanished or stuck machine,
-- not a machine whose password is in a hostile hand (deploy/README.md).
ALTER DATABASE :"DBNAME" SET idle_in_transaction_session_timeout = '10s';

-- ---- row-level security on tickets: no policy for any role -----------------
-- (schemas 1 and 2 let the kiosk and the desk write the table under
-- policies; schemas 3-7 let bapas_board read every row.) From schema 8 no
-- role reads the table, and row-level security stays on with no policy:
-- should anyone grant SELECT on it again, a login still reads no row. The
-- owner, which the views and functions run as, is not subject to it.
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS bapas_read_tickets ON tickets;
DROP POLICY IF EXISTS bapas_kiosk_insert ON tickets;
DROP POLICY IF EXISTS bapas_kiosk_close_stale ON tickets;
DROP POLICY IF EXISTS bapas_desk_act ON tickets;
SELECT 'CREATE POLICY bapas_read_tickets ON tickets FOR SELECT TO bapas_board USING (true)'
 WHERE to_regclass(format('%I.bk_tickets_seen', :'schema')) IS NULL
\gexec

COMMIT;
\echo 'bapas roles: bapas_board, bapas_kiosk, bapas_desk, bapas_reception, bapas_read granted on' :"DBNAME"
