/* store_sql.c — the SQL adapter's back-end-neutral front (see store_sql.h).
 *
 * Every sqlx_ call dispatches through the connection's back-end table
 * (c->be, store_sql_int.h): SQLite (store_sql_sqlite.c) or PostgreSQL
 * (store_sql_pg.c), chosen once by sqlx_open from the target. What lives
 * here is what both share: the statement cache (looked up by the address of
 * the static SQL text), the error text, and, in test builds only
 * (BK_TEST_HOOKS), the lost-acknowledgement fault of sqlx_commit.
 */
#include "store_sql.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sql_int.h"

int sqlx_is_pg_target(const char *target)
{
    return target &&
           (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0);
}

sqlx_dialect sqlx_kind(const sqlx *c)
{
    return c->be->kind;
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

bk_err sqlx_fail(sqlx *c, const char *what)
{
    return c->be->fail(c, what);
}

/* ---- statements -------------------------------------------------------- */

bk_err sqlx_prep(sqlx *c, const char *sql, sqlx_stmt **out)
{
    for (int i = 0; i < c->ncache; i++) {
        if (c->cache[i].sql == sql) {
            sqlx_stmt *st = &c->cache[i].st;
            c->be->reset(st, 1);
            *out = st;
            return BK_OK;
        }
    }
    if (c->ncache >= SQLX_CACHE) {
        /* Should not happen: the store has a fixed set of statements. */
        sqlx_errf(c, "statement cache full");
        return BK_ERR_INTERNAL;
    }
    sqlx_stmt *st = &c->cache[c->ncache].st;
    *st = (sqlx_stmt){.c = c, .owned = 0, .impl = NULL};
    bk_err e = c->be->stmt_init(st, sql, c->ncache);
    if (e) return e;
    c->cache[c->ncache].sql = sql;
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
    st->c = c;
    st->owned = 1;
    bk_err e = c->be->stmt_init(st, sql, -1);
    if (e) {
        free(st);
        return e;
    }
    *out = st;
    return BK_OK;
}

void sqlx_finalize(sqlx_stmt *st)
{
    if (!st || !st->owned) return;
    st->c->be->stmt_free(st);
    free(st);
}

bk_err sqlx_bind_text(sqlx_stmt *st, int i, const char *v)
{
    if (!v) return st->c->be->bind_null(st, i);
    return st->c->be->bind_text(st, i, v, 0);
}

bk_err sqlx_bind_text_copy(sqlx_stmt *st, int i, const char *v)
{
    if (!v) return st->c->be->bind_null(st, i);
    return st->c->be->bind_text(st, i, v, 1);
}

bk_err sqlx_bind_int(sqlx_stmt *st, int i, int v)
{
    return st->c->be->bind_int64(st, i, v);
}

bk_err sqlx_bind_int64(sqlx_stmt *st, int i, int64_t v)
{
    return st->c->be->bind_int64(st, i, v);
}

bk_err sqlx_bind_null(sqlx_stmt *st, int i)
{
    return st->c->be->bind_null(st, i);
}

int sqlx_step(sqlx_stmt *st)
{
    return st->c->be->step(st);
}

void sqlx_reset(sqlx_stmt *st)
{
    st->c->be->reset(st, 0);
}

const char *sqlx_col_text(sqlx_stmt *st, int i)
{
    return st->c->be->col_text(st, i);
}

/* The low 32 bits, as sqlite3_column_int does. */
int sqlx_col_int(sqlx_stmt *st, int i)
{
    return (int)st->c->be->col_int64(st, i);
}

int64_t sqlx_col_int64(sqlx_stmt *st, int i)
{
    return st->c->be->col_int64(st, i);
}

int sqlx_col_is_null(sqlx_stmt *st, int i)
{
    return st->c->be->col_is_null(st, i);
}

int sqlx_col_count(sqlx_stmt *st)
{
    return st->c->be->col_count(st);
}

const char *sqlx_col_name(sqlx_stmt *st, int i)
{
    return st->c->be->col_name(st, i);
}

int64_t sqlx_changes(sqlx *c)
{
    return c->be->changes(c);
}

bk_err sqlx_exec(sqlx *c, const char *sql, const char *what)
{
    return c->be->exec(c, sql, what);
}

/* ---- transactions ------------------------------------------------------ */

bk_err sqlx_begin(sqlx *c, int write)
{
    return c->be->begin(c, write);
}

#ifdef BK_TEST_HOOKS
/* BK_FAULT_LOST_ACK (store_sql.h): a commit that went through reports a
 * lost connection, and where there is one the connection really goes (as
 * when a network cut or a server crash takes the answer to COMMIT with it). */
static bk_err lose_ack(sqlx *c)
{
    c->be->fault_cut(c);
    sqlx_errf(c, "commit: the connection was lost before the answer (BK_FAULT_LOST_ACK)");
    return BK_ERR_IO;
}
#endif

bk_err sqlx_commit(sqlx *c)
{
    bk_err e = c->be->commit(c);
#ifdef BK_TEST_HOOKS
    if (e == BK_OK && c->fault_lost_ack) {
        int n = ++c->commits;
        if (n <= 64 && (c->fault_lost_ack >> (n - 1) & 1)) return lose_ack(c);
    }
#endif
    return e;
}

void sqlx_rollback(sqlx *c)
{
    c->be->rollback(c);
}

/* ---- versions, notifications, checkpoints ------------------------------ */

bk_err sqlx_schema_version(sqlx *c, int64_t *out)
{
    return c->be->schema_version(c, out);
}

bk_err sqlx_schema_version_set(sqlx *c, int v)
{
    return c->be->schema_version_set(c, v);
}

bk_err sqlx_wait_notify(sqlx *c, int timeout_ms, int wake_fd, int *notified)
{
    *notified = 0;
    return c->be->wait_notify(c, timeout_ms, wake_fd, notified);
}

bk_err sqlx_data_version(sqlx *c, int64_t *out)
{
    return c->be->data_version(c, out);
}

bk_err sqlx_checkpoint(sqlx *c, int *wal_pages)
{
    return c->be->checkpoint(c, wal_pages);
}

/* ---- connection -------------------------------------------------------- */

#ifdef BK_TEST_HOOKS
/* BK_FAULT_LOST_ACK="N[,N...]" as a bit set (bit n-1 = commit n); 0 when
 * unset or malformed. */
static unsigned long long fault_env(void)
{
    const char *v = getenv("BK_FAULT_LOST_ACK");
    unsigned long long set = 0;
    while (v && *v) {
        char *end = NULL;
        long n = strtol(v, &end, 10);
        if (end == v || n < 1 || n > 64 || (*end && *end != ',')) return 0;
        set |= 1ULL << (n - 1);
        v = *end ? end + 1 : end;
    }
    return set;
}
#endif

bk_err sqlx_open(const char *target, const sqlx_opts *o, sqlx **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    sqlx *c = calloc(1, sizeof *c);
    if (!c) {
        if (errbuf) snprintf(errbuf, errlen, "out of memory");
        return BK_ERR_NOMEM;
    }
#ifdef BK_TEST_HOOKS
    c->fault_lost_ack = fault_env();
#endif
    /* The one place a back end is chosen. */
    c->be = sqlx_is_pg_target(target) ? &sqlx_backend_pg : &sqlx_backend_sqlite;
    bk_err e = c->be->open(c, target, o);
    if (e) {
        if (errbuf) snprintf(errbuf, errlen, "%s", c->err);
        sqlx_close(c);
        return e;
    }
    *out = c;
    return BK_OK;
}

void sqlx_close(sqlx *c)
{
    if (!c) return;
    for (int i = 0; i < c->ncache; i++)
        c->be->stmt_free(&c->cache[i].st);
    c->be->close(c);
    free(c);
}
