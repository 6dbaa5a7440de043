/* store_sql.h — the store's private SQL adapter (prefix sqlx_).
 *
 * Only the modules of kiosk/store include this. It hides which database
 * library runs the SQL, so store.c and store_data.c write their statements
 * once. Two back ends sit behind the same calls, each one table of functions
 * (struct sqlx_backend, store_sql_int.h): SQLite (store_sql_sqlite.c) and
 * PostgreSQL through libpq (store_sql_pg.c), chosen once by sqlx_open() from
 * the target ("postgresql://..." or "postgres://..." = PostgreSQL, anything
 * else = a SQLite file path); store_sql.c dispatches to it. Where the SQL
 * itself must differ, the caller picks the text by sqlx_kind().
 *
 * Statements use `?` or `?N` placeholders (numbered from 1). Text bound with
 * sqlx_bind_text must stay valid until the statement is reset or stepped to
 * its end; sqlx_bind_text_copy copies.
 *
 * Errors: a call that returns bk_err has already recorded its detail
 * (sqlx_errmsg). sqlx_step returns SQLX_ERROR instead; the caller then calls
 * sqlx_fail(c, "what") which records "what: detail (code)" and maps the
 * failure: busy/locked -> BK_ERR_BUSY, unique/primary key -> BK_ERR_EXISTS,
 * foreign key -> BK_ERR_NOT_FOUND, other constraints -> BK_ERR_INVALID,
 * serialization failure/deadlock (PostgreSQL 40001/40P01) -> BK_ERR_RETRY,
 * I/O, disk full, lost connection -> BK_ERR_IO, else BK_ERR_INTERNAL.
 *
 * Memory: sqlx_open returns a connection freed by sqlx_close. Statements
 * from sqlx_prep are owned by the connection's cache (never finalized by the
 * caller); statements from sqlx_prepare are the caller's (sqlx_finalize).
 * sqlx_col_text pointers are valid until the next step/reset/finalize.
 */
#ifndef BK_STORE_SQL_H
#define BK_STORE_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"

typedef struct sqlx sqlx;
typedef struct sqlx_stmt sqlx_stmt;

typedef enum sqlx_dialect { SQLX_SQLITE, SQLX_PG } sqlx_dialect;

enum { SQLX_DONE = 0, SQLX_ROW = 1, SQLX_ERROR = -1 };

typedef struct sqlx_opts {
    int busy_timeout_ms; /* > 0 */
    int sync_normal;     /* SQLite: synchronous=NORMAL instead of FULL */
    int read_only;
    int manual_checkpoint; /* SQLite: no automatic WAL checkpoint */
    int create;            /* SQLite: create a missing file (mode 0660); else BK_ERR_NOT_FOUND */
} sqlx_opts;

/* 1 if target names a PostgreSQL server (a libpq URI). */
int sqlx_is_pg_target(const char *target);

/* Open a connection. On failure *out is NULL and errbuf holds the reason. */
bk_err sqlx_open(const char *target, const sqlx_opts *o, sqlx **out, char *errbuf, size_t errlen);
void sqlx_close(sqlx *c);
sqlx_dialect sqlx_kind(const sqlx *c);

const char *sqlx_errmsg(const sqlx *c);
void sqlx_errf(sqlx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record the last failed step's detail prefixed by `what`, and map it. */
bk_err sqlx_fail(sqlx *c, const char *what);

/* A reset statement with no bindings for `sql`, a string with static storage:
 * prepared once per connection and cached by the address of the text. */
bk_err sqlx_prep(sqlx *c, const char *sql, sqlx_stmt **out);
/* A statement owned by the caller (any SQL text; freed by sqlx_finalize). */
bk_err sqlx_prepare(sqlx *c, const char *sql, sqlx_stmt **out);
void sqlx_finalize(sqlx_stmt *st); /* NULL is fine */

bk_err sqlx_bind_text(sqlx_stmt *st, int i, const char *v); /* NULL binds NULL */
bk_err sqlx_bind_text_copy(sqlx_stmt *st, int i, const char *v);
bk_err sqlx_bind_int(sqlx_stmt *st, int i, int v);
bk_err sqlx_bind_int64(sqlx_stmt *st, int i, int64_t v);
bk_err sqlx_bind_null(sqlx_stmt *st, int i);

/* SQLX_ROW, SQLX_DONE or SQLX_ERROR (then call sqlx_fail). */
int sqlx_step(sqlx_stmt *st);
void sqlx_reset(sqlx_stmt *st);

const char *sqlx_col_text(sqlx_stmt *st, int i); /* NULL for NULL */
int sqlx_col_int(sqlx_stmt *st, int i);
int64_t sqlx_col_int64(sqlx_stmt *st, int i);
int sqlx_col_is_null(sqlx_stmt *st, int i);
/* Result columns: how many, and the name of column i (after a step). */
int sqlx_col_count(sqlx_stmt *st);
const char *sqlx_col_name(sqlx_stmt *st, int i);

/* Rows changed by the last INSERT/UPDATE/DELETE run on this connection. */
int64_t sqlx_changes(sqlx *c);

/* Run a script of one or more statements without results. */
bk_err sqlx_exec(sqlx *c, const char *sql, const char *what);

/* Transactions: write = take the write lock now (SQLite BEGIN IMMEDIATE;
 * PostgreSQL BEGIN + the store's writer lock, so writers run one at a time
 * on both); write = SQLX_TX_MIGRATE for a migration (PostgreSQL: the schema
 * may not have the writer lock yet). Read = one snapshot (PostgreSQL
 * REPEATABLE READ). On
 * PostgreSQL, sqlx_begin outside a transaction first re-establishes a lost
 * connection. */
#define SQLX_TX_MIGRATE 2
#define SQLX_TX_CALL 3 /* PostgreSQL: the next statement is its own transaction */
bk_err sqlx_begin(sqlx *c, int write);
/* BK_ERR_IO from a commit means its outcome is unknown: the connection was
 * lost after COMMIT was sent, and the server may have committed.
 *
 * Fault injection, for tests only, and compiled only into builds with
 * BK_TEST_HOOKS (a CMake option; off for the .deb, where the variable is
 * ignored): when the environment variable BK_FAULT_LOST_ACK holds a comma-separated list of commit
 * numbers (1-64, e.g. "1" or "1,2") at sqlx_open, those commits of that connection (counted from
 * the open, the migration's included) succeed but report BK_ERR_IO, as if the answer had been lost;
 * on PostgreSQL the connection is also cut (the next sqlx_begin reconnects). Read once per open;
 * unset = off. */
bk_err sqlx_commit(sqlx *c);
void sqlx_rollback(sqlx *c); /* no-op when no transaction is open */

/* The schema version (SQLite: PRAGMA user_version; PostgreSQL: the
 * bk_schema table, 0 when absent). */
bk_err sqlx_schema_version(sqlx *c, int64_t *out);
bk_err sqlx_schema_version_set(sqlx *c, int v);

/* A number that changes whenever another connection commits (SQLite: PRAGMA
 * data_version; PostgreSQL: bk_state.data_version, bumped by a trigger on
 * every write, own commits included). */
bk_err sqlx_data_version(sqlx *c, int64_t *out);

/* PostgreSQL: wait up to timeout_ms (0 = just look) for a change
 * notification (LISTEN bapas_changed, sent by the write trigger); no query
 * runs. The first call after connecting or reconnecting starts listening
 * and reports *notified = 1, since what came before was not heard.
 * A readable wake_fd (>= 0; never read here) ends the wait early.
 * SQLite: BK_ERR_STATE (no notifications: poll sqlx_data_version). */
bk_err sqlx_wait_notify(sqlx *c, int timeout_ms, int wake_fd, int *notified);

/* A passive WAL checkpoint (SQLite); PostgreSQL: nothing to do, *wal_pages 0. */
bk_err sqlx_checkpoint(sqlx *c, int *wal_pages);

/* The SQLite handle (NULL on other backends), for SQLite-only features such
 * as the online backup API. Borrowed. */
struct sqlite3 *sqlx_sqlite(sqlx *c);

/* The bk_err of a failure rc (with the errno SQLite saw, sqlite3_system_errno)
 * of a handle that is not a store connection, on the file at path (the online
 * backup's copy), as the store maps its own: a full disk is BK_ERR_DISK_FULL
 * and a file that cannot be written BK_ERR_READONLY, each with its cause for
 * the IT person (the folder and its free space; ownership, mode, mount)
 * appended to msg (of msgsz, holding a string). */
bk_err sqlx_sqlite_file_error(int rc, int sys_errno, const char *path, char *msg, size_t msgsz);

/* The libpq connection (NULL on other backends), for PostgreSQL-only
 * features such as the connection's host, port and TLS state. Borrowed. */
struct pg_conn *sqlx_pg(sqlx *c);

#endif
