/* store_data.h — office data in the shared database: imports (upserts), the
 * duty roster (day records and the weekly pattern), the queries behind the
 * head-of-office reports, table row counts and online backup.
 *
 * Same conventions as store.h: one connection, caller-owned fixed-size
 * records, bk_err results, store_errmsg() for the detail. Functions that
 * write must run inside store_begin(s, STORE_TX_WRITE); the caller commits.
 */
#ifndef BK_STORE_DATA_H
#define BK_STORE_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"
#include "store.h"

/* ---- duty roster ------------------------------------------------------- */

typedef struct store_data_weekly {
    char officer[STORE_ID_SZ];
    int weekday; /* 0 = Sunday .. 6 = Saturday */
    bk_presence status;
    char substitute[STORE_ID_SZ]; /* "" = none */
    char note[STORE_TEXT_SZ];
} store_data_weekly;

typedef bk_err (*store_data_weekly_cb)(void *ud, const store_data_weekly *w);
typedef bk_err (*store_data_presence_cb)(void *ud, const store_presence *p);

/* The weekly row of (officer, weekday); BK_ERR_NOT_FOUND if none. */
bk_err store_data_weekly_get(store *s, const char *officer, int weekday, store_data_weekly *out);
/* Insert or replace the weekly row of (w->officer, w->weekday). */
bk_err store_data_weekly_set(store *s, const store_data_weekly *w);
/* Delete it; BK_ERR_NOT_FOUND if there was none. */
bk_err store_data_weekly_clear(store *s, const char *officer, int weekday);
/* Weekly rows by officer then weekday; officer NULL = every officer. */
bk_err store_data_weekly_list(store *s, const char *officer, store_data_weekly_cb cb, void *ud);

/* Delete the explicit presence row of (day, officer); NOT_FOUND if none. */
bk_err store_data_presence_clear(store *s, const char *day, const char *officer);
/* Explicit presence rows with from <= day <= to, by day then officer. */
bk_err store_data_presence_list(store *s, const char *from, const char *to,
                                store_data_presence_cb cb, void *ud);

/* ---- holidays (006) ---------------------------------------------------- */

/* A day the office is closed: libur nasional or cuti bersama. */
typedef enum store_data_holiday_kind {
    STORE_DATA_HOL_LIBUR = 0, /* "libur": a national holiday */
    STORE_DATA_HOL_CUTI = 1,  /* "cuti": cuti bersama */
} store_data_holiday_kind;

typedef struct store_data_holiday {
    char day[STORE_DAY_SZ]; /* YYYY-MM-DD */
    store_data_holiday_kind kind;
    char name[STORE_NAME_SZ]; /* as published, in Indonesian */
} store_data_holiday;
typedef bk_err (*store_data_holiday_cb)(void *ud, const store_data_holiday *h);

/* "libur" | "cuti" and back; NULL / BK_ERR_INVALID for anything else. */
const char *store_data_holiday_kind_name(store_data_holiday_kind k);
bk_err store_data_holiday_kind_parse(const char *s, store_data_holiday_kind *out);

/* Holidays with from <= day <= to (either NULL = open), by day. */
bk_err store_data_holiday_list(store *s, const char *from, const char *to, store_data_holiday_cb cb,
                               void *ud);
/* Insert or update the holiday of h->day (a write: inside a write
 * transaction). *what = STORE_DATA_SAME / _ADDED / _UPDATED. */
bk_err store_data_holiday_put(store *s, const store_data_holiday *h, int *what);

/* ---- import ------------------------------------------------------------ */

/* What an upsert did. */
enum { STORE_DATA_SAME = 0, STORE_DATA_ADDED = 1, STORE_DATA_UPDATED = 2 };

/* Optional columns an import row carries (absent ones keep the stored value,
 * or take the schema default on insert). */
enum {
    STORE_DATA_G_PROGRAM = 1 << 0,
    STORE_DATA_G_EVERY = 1 << 1, /* report_every_days */
    STORE_DATA_G_LAST = 1 << 2,  /* last_report: only ever moves forward */
    STORE_DATA_G_ROOM = 1 << 3,
};

/* Which fields an update changed (the *changed mask of the upserts). */
enum {
    STORE_DATA_C_NAME = 1 << 0,
    STORE_DATA_C_BIRTH = 1 << 1,
    STORE_DATA_C_PROGRAM = 1 << 2,
    STORE_DATA_C_OFFICER = 1 << 3,
    STORE_DATA_C_EVERY = 1 << 4,
    STORE_DATA_C_LAST = 1 << 5,
    STORE_DATA_C_ACTIVE = 1 << 6,
    STORE_DATA_C_ROOM = 1 << 7,
};

/* An import batch: statements prepared once for many rows. Open it inside a
 * write transaction; close it (always) before commit or rollback. With
 * track_seen, every key upserted is remembered for *_end_missing. */
typedef struct store_data_import store_data_import;

bk_err store_data_import_open(store *s, int track_seen, store_data_import **out);
void store_data_import_close(store_data_import *im);

/* Insert or update an officer by o->id. *what = STORE_DATA_*; *changed
 * (may be NULL) = STORE_DATA_C_* mask of an update. */
bk_err store_data_import_officer(store_data_import *im, const store_officer *o, unsigned given,
                                 int *what, unsigned *changed);

/* Insert or update a client by c->no. On insert, client_since is set to
 * `today`. With STORE_DATA_G_LAST the stored last_report becomes the later
 * of the stored and the given date. When the officer changed, *old_officer
 * (STORE_ID_SZ, may be NULL) receives the previous one. */
bk_err store_data_import_client(store_data_import *im, const store_client *c, unsigned given,
                                const char *today, int *what, unsigned *changed, char *old_officer);

/* Mark every active client (clients = 1) or officer (clients = 0) that was
 * not upserted in this batch as ended/inactive. Needs track_seen. Calls cb
 * (may be NULL) with each key ended. */
typedef bk_err (*store_data_key_cb)(void *ud, const char *key);
bk_err store_data_import_end_missing(store_data_import *im, int clients, int *ended,
                                     store_data_key_cb cb, void *ud);

/* ---- reports ----------------------------------------------------------- */

/* Tickets with from <= office_day <= to, by office day, check-in, id. */
bk_err store_data_tickets_range(store *s, const char *from, const char *to, store_ticket_cb cb,
                                void *ud);

/* An active client and when they last did wajib lapor up to a day. */
typedef struct store_data_reporting {
    store_client c;
    char officer_name[STORE_NAME_SZ];
    char last_seen[STORE_DAY_SZ]; /* later of clients.last_report (if <= as_of) and the last
                                     done 'report' ticket on or before as_of; "" = none */
    char since[STORE_DAY_SZ];     /* client_since, "" = unknown */
} store_data_reporting;
typedef bk_err (*store_data_reporting_cb)(void *ud, const store_data_reporting *r);

/* Every active client (officer "" = all, else only that assigned PK), by no. */
bk_err store_data_reporting_list(store *s, const char *as_of, const char *officer,
                                 store_data_reporting_cb cb, void *ud);

/* ---- maintenance ------------------------------------------------------- */

/* Row count of every table of the main schema (not sqlite_*; PostgreSQL: the
 * current schema's tables, bk_schema and bk_state included), by name. */
typedef bk_err (*store_data_count_cb)(void *ud, const char *table, int64_t rows);
bk_err store_data_table_counts(store *s, store_data_count_cb cb, void *ud);

/* Row counts of the views for other systems (v_queue_today, v_visits,
 * v_officer_presence), by name. */
bk_err store_data_view_counts(store *s, store_data_count_cb cb, void *ud);

/* Copy every row of every office table of `from` into `to`, which must be an
 * empty database (no officers, clients, tickets or audit rows; its settings
 * are replaced) of the same schema version - typically a fresh PostgreSQL
 * database being given a SQLite office. One read snapshot of `from`, one
 * write transaction of `to`: all or nothing. Ids are kept (PostgreSQL
 * identity sequences are moved past them). cb (may be NULL) receives each
 * table's copied row count. Neither store may be inside a transaction.
 * Failures are described by store_errmsg(to). BK_ERR_STATE when `to` is not
 * empty or the schema versions differ. */
bk_err store_data_copy(store *from, store *to, store_data_count_cb cb, void *ud);

#define STORE_DATA_BACKUP_TABLES 48

typedef struct store_data_backup_info {
    int64_t pages;       /* SQLite pages copied; 0 for a pg_dump archive */
    int64_t bytes;       /* size of the copy */
    int integrity_ok;    /* the copy passed its check (below) */
    char integrity[256]; /* SQLite: integrity_check's first line; PostgreSQL: "ok" or
                            what pg_restore said reading the archive back */
    int schema_version;
    char format[32]; /* "sqlite" (a database file) or "pg_dump custom" (an archive
                        for pg_restore) */
    int n_tables;    /* the row count of every table in the copy, by name */
    struct {
        char name[64];
        int64_t rows;
    } tables[STORE_DATA_BACKUP_TABLES];
} store_data_backup_info;

/* Copy the whole database, as one consistent snapshot, to `path` while other
 * processes keep writing. The copy is written to path.tmp, checked, fsynced
 * and renamed into place, so `path` is either absent or complete.
 * BK_ERR_EXISTS if path exists and !overwrite. Must not run inside a
 * transaction. info->tables gets the row count of every table in the copy.
 *
 * SQLite: the online backup API in a single step under WAL; the copy is a
 * plain rollback-journal database file (one file), checked with
 * integrity_check; the counts are read from the finished copy.
 *
 * PostgreSQL: `pg_dump --format=custom` of the whole database (restore it
 * with pg_restore into an empty database), run on a snapshot exported by
 * this connection, in which the store also counts the rows: the counts are
 * exactly those in the archive. The archive is checked by reading it back
 * whole with pg_restore. pg_dump and pg_restore are found as
 * store_data_backup_tool says; the URI's password reaches pg_dump only
 * through its PGPASSWORD environment (else libpq's ~/.pgpass or PGPASSFILE
 * serve). BK_ERR_NOT_FOUND when pg_dump or pg_restore is not installed
 * (Debian package postgresql-client), BK_ERR_IO when pg_dump fails (its
 * messages, e.g. a version older than the server's, are in store_errmsg),
 * BK_ERR_INTERNAL when the archive does not read back. */
bk_err store_data_backup(store *s, const char *path, int overwrite, store_data_backup_info *info);

/* PostgreSQL: the pg_dump that store_data_backup runs - $BAPAS_PG_BINDIR
 * only, when set; else the first in $PATH; else the newest
 * /usr/lib/postgresql/N/bin - into path, its `--version` line into version
 * ("pg_dump (PostgreSQL) 15.18 ...") and its major version into *major.
 * BK_ERR_NOT_FOUND when there is none, BK_ERR_IO when it does not run.
 * SQLite: BK_ERR_STATE (the backup is built in). */
bk_err store_data_backup_tool(store *s, char *path, size_t pathsz, char *version, size_t versionsz,
                              int *major);

#endif
