/* store_sql.c — the SQL adapter's SQLite implementation (see store_sql.h).
 *
 * WAL journal, foreign keys on, a busy timeout, synchronous=FULL by default,
 * BEGIN IMMEDIATE for write transactions. Cached statements are prepared
 * once (SQLITE_PREPARE_PERSISTENT) and looked up by the address of their
 * static SQL text.
 */
#include "store_sql.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "store_sql_int.h"

int sqlx_is_pg_target(const char *target)
{
    return target && (strncmp(target, "postgresql://", 13) == 0 ||
                      strncmp(target, "postgres://", 11) == 0);
}

sqlx_dialect sqlx_kind(const sqlx *c)
{
    return c->kind;
}

const char *sqlx_errmsg(const sqlx *c)
{
    return c ? c->err : "no connection";
}

void sqlx_errf(sqlx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

static bk_err map_rc(int rc)
{
    switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return BK_ERR_BUSY;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return BK_ERR_EXISTS;
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return BK_ERR_NOT_FOUND;
        return BK_ERR_INVALID;
    case SQLITE_NOMEM:
        return BK_ERR_NOMEM;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
        return BK_ERR_IO;
    default:
        return BK_ERR_INTERNAL;
    }
}

/* Remember a failure (rc) of the connection with its current message. */
static void note(sqlx *c, int rc)
{
    c->last_rc = rc;
    snprintf(c->last_msg, sizeof c->last_msg, "%s", sqlite3_errmsg(c->db));
}

/* Record and map a failure right away. */
static bk_err failnow(sqlx *c, int rc, const char *what)
{
    note(c, rc);
    return sqlx_fail(c, what);
}

bk_err sqlx_fail(sqlx *c, const char *what)
{
    if (c->kind == SQLX_PG)
        return pgx_fail(c, what);
    snprintf(c->err, sizeof c->err, "%s: %s (%d)", what, c->last_msg, c->last_rc);
    return map_rc(c->last_rc);
}

/* ---- statements -------------------------------------------------------- */

bk_err sqlx_prep(sqlx *c, const char *sql, sqlx_stmt **out)
{
    for (int i = 0; i < c->ncache; i++) {
        if (c->cache[i].sql == sql) {
            sqlx_stmt *st = &c->cache[i].st;
            if (c->kind == SQLX_PG) {
                pgx_reset(st, 1);
                *out = st;
                return BK_OK;
            }
            sqlite3_reset(st->st);
            sqlite3_clear_bindings(st->st);
            *out = st;
            return BK_OK;
        }
    }
    if (c->ncache >= SQLX_CACHE) {
        /* Should not happen: the store has a fixed set of statements. */
        sqlx_errf(c, "statement cache full");
        return BK_ERR_INTERNAL;
    }
    if (c->kind == SQLX_PG) {
        sqlx_stmt *st = &c->cache[c->ncache].st;
        bk_err e = pgx_stmt_init(c, st, sql, 1);
        if (e)
            return e;
        c->cache[c->ncache].sql = sql;
        c->ncache++;
        *out = st;
        return BK_OK;
    }
    sqlite3_stmt *raw = NULL;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL);
    if (rc != SQLITE_OK)
        return failnow(c, rc, "prepare");
    c->cache[c->ncache].sql = sql;
    sqlx_stmt *st = &c->cache[c->ncache].st;
    st->c = c;
    st->st = raw;
    st->owned = 0;
    c->ncache++;
    *out = st;
    return BK_OK;
}

bk_err sqlx_prepare(sqlx *c, const char *sql, sqlx_stmt **out)
{
    *out = NULL;
    sqlx_stmt *st = calloc(1, sizeof *st);
    if (!st) {
        sqlx_errf(c, "out of memory");
        return BK_ERR_NOMEM;
    }
    if (c->kind == SQLX_PG) {
        bk_err e = pgx_stmt_init(c, st, sql, 0);
        if (e) {
            free(st);
            return e;
        }
        st->owned = 1;
        *out = st;
        return BK_OK;
    }
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st->st, NULL);
    if (rc != SQLITE_OK) {
        free(st);
        return failnow(c, rc, "prepare");
    }
    st->c = c;
    st->owned = 1;
    *out = st;
    return BK_OK;
}

void sqlx_finalize(sqlx_stmt *st)
{
    if (!st || !st->owned)
        return;
    if (st->c->kind == SQLX_PG)
        pgx_stmt_free(st);
    else
        sqlite3_finalize(st->st);
    free(st);
}

static bk_err bound(sqlx_stmt *st, int rc)
{
    return rc == SQLITE_OK ? BK_OK : failnow(st->c, rc, "bind");
}

bk_err sqlx_bind_text(sqlx_stmt *st, int i, const char *v)
{
    if (st->c->kind == SQLX_PG)
        return pgx_bind(st, i, v);
    if (!v)
        return bound(st, sqlite3_bind_null(st->st, i));
    return bound(st, sqlite3_bind_text(st->st, i, v, -1, SQLITE_STATIC));
}

bk_err sqlx_bind_text_copy(sqlx_stmt *st, int i, const char *v)
{
    if (st->c->kind == SQLX_PG)
        return pgx_bind(st, i, v);
    if (!v)
        return bound(st, sqlite3_bind_null(st->st, i));
    return bound(st, sqlite3_bind_text(st->st, i, v, -1, SQLITE_TRANSIENT));
}

bk_err sqlx_bind_int(sqlx_stmt *st, int i, int v)
{
    if (st->c->kind == SQLX_PG)
        return sqlx_bind_int64(st, i, v);
    return bound(st, sqlite3_bind_int(st->st, i, v));
}

bk_err sqlx_bind_int64(sqlx_stmt *st, int i, int64_t v)
{
    if (st->c->kind == SQLX_PG) {
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)v);
        return pgx_bind(st, i, num);
    }
    return bound(st, sqlite3_bind_int64(st->st, i, v));
}

bk_err sqlx_bind_null(sqlx_stmt *st, int i)
{
    if (st->c->kind == SQLX_PG)
        return pgx_bind(st, i, NULL);
    return bound(st, sqlite3_bind_null(st->st, i));
}

int sqlx_step(sqlx_stmt *st)
{
    if (st->c->kind == SQLX_PG)
        return pgx_step(st);
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return SQLX_ROW;
    if (rc == SQLITE_DONE)
        return SQLX_DONE;
    note(st->c, sqlite3_extended_errcode(st->c->db));
    return SQLX_ERROR;
}

void sqlx_reset(sqlx_stmt *st)
{
    if (st->c->kind == SQLX_PG) {
        pgx_reset(st, 0);
        return;
    }
    sqlite3_reset(st->st);
}

/* PostgreSQL: the current row's value (NULL for SQL NULL or no row). */
static const char *pg_val(sqlx_stmt *st, int i)
{
    if (!st->res || st->row < 0 || st->row >= st->nrows || i >= PQnfields(st->res) ||
        PQgetisnull(st->res, st->row, i))
        return NULL;
    return PQgetvalue(st->res, st->row, i);
}

const char *sqlx_col_text(sqlx_stmt *st, int i)
{
    if (st->c->kind == SQLX_PG)
        return pg_val(st, i);
    return (const char *)sqlite3_column_text(st->st, i);
}

int sqlx_col_int(sqlx_stmt *st, int i)
{
    if (st->c->kind == SQLX_PG)
        return (int)sqlx_col_int64(st, i);
    return sqlite3_column_int(st->st, i);
}

int64_t sqlx_col_int64(sqlx_stmt *st, int i)
{
    if (st->c->kind == SQLX_PG) {
        const char *v = pg_val(st, i);
        if (!v)
            return 0;
        if (v[0] == 't' && !v[1]) /* a boolean expression */
            return 1;
        return strtoll(v, NULL, 10);
    }
    return sqlite3_column_int64(st->st, i);
}

int sqlx_col_is_null(sqlx_stmt *st, int i)
{
    if (st->c->kind == SQLX_PG)
        return pg_val(st, i) == NULL;
    return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

int sqlx_col_count(sqlx_stmt *st)
{
    if (st->c->kind == SQLX_PG)
        return st->res ? PQnfields(st->res) : 0;
    return sqlite3_column_count(st->st);
}

const char *sqlx_col_name(sqlx_stmt *st, int i)
{
    if (st->c->kind == SQLX_PG)
        return st->res ? PQfname(st->res, i) : NULL;
    return sqlite3_column_name(st->st, i);
}

int64_t sqlx_changes(sqlx *c)
{
    if (c->kind == SQLX_PG)
        return c->changes;
    return sqlite3_changes64(c->db);
}

bk_err sqlx_exec(sqlx *c, const char *sql, const char *what)
{
    if (c->kind == SQLX_PG)
        return pgx_exec(c, sql, what);
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        bk_err e = failnow(c, sqlite3_extended_errcode(c->db), what);
        if (msg) {
            snprintf(c->err, sizeof c->err, "%s: %s", what, msg);
            sqlite3_free(msg);
        }
        return e;
    }
    return BK_OK;
}

/* Run one of the connection's own statements (prepared on first use). */
static bk_err run_own(sqlx *c, sqlite3_stmt **slot, const char *sql, const char *what)
{
    if (!*slot) {
        int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
        if (rc != SQLITE_OK)
            return failnow(c, rc, "prepare");
    }
    int rc = sqlite3_step(*slot);
    if (rc != SQLITE_DONE) {
        bk_err e = failnow(c, sqlite3_extended_errcode(c->db), what);
        sqlite3_reset(*slot);
        return e;
    }
    sqlite3_reset(*slot);
    return BK_OK;
}

bk_err sqlx_begin(sqlx *c, int write)
{
    if (c->kind == SQLX_PG)
        return pgx_begin(c, write);
    if (write)
        return run_own(c, &c->begin_w, "BEGIN IMMEDIATE", "begin");
    return run_own(c, &c->begin_r, "BEGIN DEFERRED", "begin");
}

/* BK_FAULT_LOST_ACK (store_sql.h): a commit that went through reports a
 * lost connection, and on PostgreSQL the connection really goes (as when a
 * network cut or a server crash takes the answer to COMMIT with it). */
static bk_err lose_ack(sqlx *c)
{
    if (c->kind == SQLX_PG && PQsocket(c->pg) >= 0)
        shutdown(PQsocket(c->pg), SHUT_RDWR);
    sqlx_errf(c, "commit: the connection was lost before the answer (BK_FAULT_LOST_ACK)");
    return BK_ERR_IO;
}

bk_err sqlx_commit(sqlx *c)
{
    bk_err e = c->kind == SQLX_PG ? pgx_commit(c) : run_own(c, &c->commit, "COMMIT", "commit");
    if (e == BK_OK && c->fault_lost_ack) {
        int n = ++c->commits;
        if (n <= 64 && (c->fault_lost_ack >> (n - 1) & 1))
            return lose_ack(c);
    }
    return e;
}

void sqlx_rollback(sqlx *c)
{
    if (c->kind == SQLX_PG) {
        pgx_rollback(c);
        return;
    }
    if (sqlite3_get_autocommit(c->db) == 0)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

/* A one-row, one-integer statement (PRAGMAs), not cached. */
static bk_err one_int(sqlx *c, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return failnow(c, rc, sql);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        bk_err e = failnow(c, rc == SQLITE_DONE ? SQLITE_ERROR : sqlite3_extended_errcode(c->db),
                           sql);
        sqlite3_finalize(st);
        return e;
    }
    *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return BK_OK;
}

bk_err sqlx_schema_version(sqlx *c, int64_t *out)
{
    if (c->kind == SQLX_PG)
        return pgx_schema_version(c, out);
    return one_int(c, "PRAGMA user_version", out);
}

bk_err sqlx_schema_version_set(sqlx *c, int v)
{
    if (c->kind == SQLX_PG)
        return pgx_schema_version_set(c, v);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    return sqlx_exec(c, sql, "set user_version");
}

bk_err sqlx_wait_notify(sqlx *c, int timeout_ms, int wake_fd, int *notified)
{
    *notified = 0;
    if (c->kind == SQLX_PG)
        return pgx_wait_notify(c, timeout_ms, wake_fd, notified);
    return BK_ERR_STATE;
}

bk_err sqlx_data_version(sqlx *c, int64_t *out)
{
    if (c->kind == SQLX_PG)
        return pgx_data_version(c, out);
    static const char *const sql = "PRAGMA data_version";
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(c, sql, &st);
    if (e)
        return e;
    int rc = sqlx_step(st);
    if (rc != SQLX_ROW) {
        if (rc == SQLX_DONE)
            note(c, SQLITE_ERROR);
        e = sqlx_fail(c, "data_version");
        sqlite3_reset(st->st);
        return e;
    }
    *out = sqlite3_column_int64(st->st, 0);
    sqlite3_reset(st->st);
    return BK_OK;
}

bk_err sqlx_checkpoint(sqlx *c, int *wal_pages)
{
    if (c->kind == SQLX_PG) {
        /* The server checkpoints by itself; nothing for an idle client to do. */
        if (wal_pages)
            *wal_pages = 0;
        return BK_OK;
    }
    int log = 0, ckpt = 0;
    int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &ckpt);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        return failnow(c, rc, "checkpoint");
    if (wal_pages)
        *wal_pages = log;
    return BK_OK;
}

struct sqlite3 *sqlx_sqlite(sqlx *c)
{
    return c->kind == SQLX_SQLITE ? c->db : NULL;
}

struct pg_conn *sqlx_pg(sqlx *c)
{
    return c->kind == SQLX_PG ? c->pg : NULL;
}

/* ---- connection -------------------------------------------------------- */

static bk_err open_sqlite(sqlx *c, const char *path, const sqlx_opts *o)
{
    int flags = o->read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        if (!c->db) {
            sqlx_errf(c, "out of memory");
            return BK_ERR_NOMEM;
        }
        return failnow(c, rc, "open");
    }
    sqlite3_extended_result_codes(c->db, 1);
    rc = sqlite3_busy_timeout(c->db, o->busy_timeout_ms);
    if (rc != SQLITE_OK)
        return failnow(c, rc, "busy_timeout");
    bk_err e = sqlx_exec(c, "PRAGMA foreign_keys = ON", "foreign_keys");
    if (e || o->read_only)
        return e;
    /* journal_mode answers with the mode now in force. */
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return failnow(c, rc, "journal_mode");
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = failnow(c, sqlite3_extended_errcode(c->db), "journal_mode");
        sqlite3_finalize(st);
        return e;
    }
    const unsigned char *mode = sqlite3_column_text(st, 0);
    int wal = mode && strcmp((const char *)mode, "wal") == 0;
    sqlite3_finalize(st);
    if (!wal) {
        sqlx_errf(c, "cannot switch the database to WAL mode (is it on a network share?)");
        return BK_ERR_IO;
    }
    if ((e = sqlx_exec(c, o->sync_normal ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL",
                       "synchronous")))
        return e;
    if (o->manual_checkpoint && (e = sqlx_exec(c, "PRAGMA wal_autocheckpoint = 0", "autocheckpoint")))
        return e;
    return BK_OK;
}

/* BK_FAULT_LOST_ACK="N[,N...]" as a bit set (bit n-1 = commit n); 0 when
 * unset or malformed. */
static unsigned long long fault_env(void)
{
    const char *v = getenv("BK_FAULT_LOST_ACK");
    unsigned long long set = 0;
    while (v && *v) {
        char *end = NULL;
        long n = strtol(v, &end, 10);
        if (end == v || n < 1 || n > 64 || (*end && *end != ','))
            return 0;
        set |= 1ULL << (n - 1);
        v = *end ? end + 1 : end;
    }
    return set;
}

bk_err sqlx_open(const char *target, const sqlx_opts *o, sqlx **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    sqlx *c = calloc(1, sizeof *c);
    if (!c) {
        if (errbuf)
            snprintf(errbuf, errlen, "out of memory");
        return BK_ERR_NOMEM;
    }
    c->fault_lost_ack = fault_env();
    bk_err e;
    if (sqlx_is_pg_target(target)) {
        c->kind = SQLX_PG;
        e = pgx_open(c, target, o);
    } else {
        c->kind = SQLX_SQLITE;
        e = open_sqlite(c, target, o);
    }
    if (e) {
        if (errbuf)
            snprintf(errbuf, errlen, "%s", c->err);
        sqlx_close(c);
        return e;
    }
    *out = c;
    return BK_OK;
}

void sqlx_close(sqlx *c)
{
    if (!c)
        return;
    if (c->kind == SQLX_PG) {
        for (int i = 0; i < c->ncache; i++)
            pgx_stmt_free(&c->cache[i].st);
        pgx_close(c);
        free(c);
        return;
    }
    for (int i = 0; i < c->ncache; i++)
        sqlite3_finalize(c->cache[i].st.st);
    sqlite3_finalize(c->begin_w);
    sqlite3_finalize(c->begin_r);
    sqlite3_finalize(c->commit);
    if (c->db) {
        if (sqlite3_get_autocommit(c->db) == 0)
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(c->db);
    }
    free(c);
}
