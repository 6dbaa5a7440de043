/* store_sql_pg.c — the SQL adapter's PostgreSQL implementation (libpq).
 *
 * - Statements keep the portable `?`/`?N` placeholders in the source and
 *   are rewritten to `$N` here. Cached statements are prepared server-side
 *   once per connection (named "bkN"); owned ones run unnamed the first
 *   time and are prepared (named "bkoN", deallocated when finalized) when
 *   run again: an import's statements run thousands of times, a one-off
 *   query costs no extra round trip.
 * - Values travel as text; the server infers parameter types from context.
 * - Write transactions: BEGIN (READ COMMITTED) + a transaction-scoped
 *   advisory lock, so writers run one at a time exactly like SQLite's
 *   BEGIN IMMEDIATE: every statement after the lock sees every earlier
 *   commit (daily numbers stay unique, a ticket is called once). Readers
 *   never wait. lock_timeout = the busy timeout (BK_ERR_BUSY beyond it).
 *   Read transactions: REPEATABLE READ (one snapshot, like SQLite's).
 * - A lost connection is re-established by the next sqlx_begin outside a
 *   transaction (the failure itself maps to BK_ERR_IO); statements are then
 *   prepared again.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sql_int.h"

/* pg_advisory_xact_lock key of the store's single writer lock ("BAPA"). */
#define WRITER_LOCK "1111642177"

static void note_msg(sqlx *c, const char *sqlstate, const char *msg)
{
    snprintf(c->sqlstate, sizeof c->sqlstate, "%s", sqlstate ? sqlstate : "");
    size_t n = (size_t)snprintf(c->last_msg, sizeof c->last_msg, "%s", msg ? msg : "");
    /* libpq messages end in a newline. */
    if (n > 0 && n < sizeof c->last_msg) {
        while (n > 0 && (c->last_msg[n - 1] == '\n' || c->last_msg[n - 1] == ' '))
            c->last_msg[--n] = 0;
    }
}

static void note_res(sqlx *c, const PGresult *r)
{
    if (r) {
        note_msg(c, PQresultErrorField(r, PG_DIAG_SQLSTATE), PQresultErrorMessage(r));
    } else {
        note_msg(c, PQstatus(c->pg) == CONNECTION_BAD ? "08006" : "XX000", PQerrorMessage(c->pg));
    }
    if (!c->sqlstate[0] && PQstatus(c->pg) == CONNECTION_BAD)
        snprintf(c->sqlstate, sizeof c->sqlstate, "08006");
}

bk_err pgx_fail(sqlx *c, const char *what)
{
    const char *ss = c->sqlstate;
    snprintf(c->err, sizeof c->err, "%s: %s (%s)", what, c->last_msg, ss);
    /* insufficient_privilege: a least-privilege role (deploy/pg-roles.sql)
     * asked for more than its mode needs; name the role, not a "missing" database. */
    if (!strcmp(ss, "42501")) {
        snprintf(c->err, sizeof c->err, "%s: this database role (%s) may not do this: %s (%s)",
                 what, c->pg ? PQuser(c->pg) : "?", c->last_msg, ss);
        return BK_ERR_DENIED;
    }
    if (!strcmp(ss, "23505"))
        return BK_ERR_EXISTS;
    if (!strcmp(ss, "23503"))
        return BK_ERR_NOT_FOUND;
    if (!strncmp(ss, "23", 2) || !strcmp(ss, "22P02") || !strcmp(ss, "22001"))
        return BK_ERR_INVALID;
    if (!strcmp(ss, "40001") || !strcmp(ss, "40P01"))
        return BK_ERR_RETRY;
    if (!strcmp(ss, "55P03") || !strcmp(ss, "57014"))
        return BK_ERR_BUSY;
    if (!strncmp(ss, "08", 2) || !strncmp(ss, "57P", 3) || !strncmp(ss, "53", 2) ||
        !strncmp(ss, "58", 2))
        return BK_ERR_IO;
    return BK_ERR_INTERNAL;
}

static bk_err failnow_res(sqlx *c, const PGresult *r, const char *what)
{
    note_res(c, r);
    return pgx_fail(c, what);
}

/* `?N` / `?` placeholders to `$N`, outside quotes. Returns a malloc'd copy. */
static char *convert(const char *sql, int *nparams, unsigned char *used)
{
    size_t len = strlen(sql);
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    int autonum = 0, maxp = 0;
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = sql[i];
        if (quote) {
            if (ch == quote)
                quote = 0;
            out[k++] = ch;
            continue;
        }
        if (ch == '\'' || ch == '"') {
            quote = ch;
            out[k++] = ch;
            continue;
        }
        if (ch != '?') {
            out[k++] = ch;
            continue;
        }
        int n = 0;
        size_t j = i + 1;
        while (j < len && sql[j] >= '0' && sql[j] <= '9' && n < 1000)
            n = n * 10 + (sql[j++] - '0');
        if (j == i + 1)
            n = ++autonum;
        else
            autonum = n;
        i = j - 1;
        if (n > maxp)
            maxp = n;
        if (n >= 1 && n <= SQLX_MAXP)
            used[n - 1] = 1;
        k += (size_t)snprintf(out + k, len * 3 + 1 - k, "$%d", n);
    }
    out[k] = 0;
    *nparams = maxp;
    return out;
}

bk_err pgx_stmt_init(sqlx *c, sqlx_stmt *st, const char *sql, int cached)
{
    memset(st, 0, sizeof *st);
    st->c = c;
    st->row = -1;
    unsigned char used[SQLX_MAXP] = {0};
    st->pgsql = convert(sql, &st->nparams, used);
    if (!st->pgsql) {
        sqlx_errf(c, "out of memory");
        return BK_ERR_NOMEM;
    }
    if (st->nparams > SQLX_MAXP) {
        sqlx_errf(c, "prepare: %d parameters (at most %d)", st->nparams, SQLX_MAXP);
        free(st->pgsql);
        st->pgsql = NULL;
        return BK_ERR_INTERNAL;
    }
    /* A number the SQL never uses (?1 and ?3 only) has no context to infer
     * its type from: declare it text. */
    for (int i = 0; i < SQLX_MAXP; i++)
        st->types[i] = used[i] ? 0 : 25 /* TEXTOID */;
    if (cached)
        snprintf(st->pgname, sizeof st->pgname, "bk%d", c->ncache);
    st->gen = c->gen - 1; /* not prepared yet */
    return BK_OK;
}

void pgx_reset(sqlx_stmt *st, int clear)
{
    if (st->res) {
        PQclear(st->res);
        st->res = NULL;
    }
    st->row = -1;
    st->nrows = 0;
    if (clear) {
        for (int i = 0; i < SQLX_MAXP; i++) {
            free(st->vals[i]);
            st->vals[i] = NULL;
        }
    }
}

void pgx_stmt_free(sqlx_stmt *st)
{
    pgx_reset(st, 1);
    sqlx *c = st->c;
    /* An owned statement prepared on this connection: release its name. In
     * a failed transaction the server refuses even this; the name then
     * stays until the session ends (names are never reused). */
    if (st->owned && st->pgname[0] && st->gen == c->gen && c->pg &&
        PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_INERROR) {
        char sql[40];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->pgname);
        PQclear(PQexec(c->pg, sql));
    }
    free(st->pgsql);
    st->pgsql = NULL;
}

bk_err pgx_bind(sqlx_stmt *st, int i, const char *text)
{
    if (i < 1 || i > st->nparams) {
        snprintf(st->c->last_msg, sizeof st->c->last_msg, "bind index %d out of range", i);
        snprintf(st->c->sqlstate, sizeof st->c->sqlstate, "XX000");
        return pgx_fail(st->c, "bind");
    }
    char *v = NULL;
    if (text) {
        v = strdup(text);
        if (!v) {
            sqlx_errf(st->c, "out of memory");
            return BK_ERR_NOMEM;
        }
    }
    free(st->vals[i - 1]);
    st->vals[i - 1] = v;
    return BK_OK;
}

int pgx_step(sqlx_stmt *st)
{
    sqlx *c = st->c;
    if (!st->res) {
        if (st->owned && !st->pgname[0] && st->execs > 0) {
            snprintf(st->pgname, sizeof st->pgname, "bko%u", ++c->owned_seq);
            st->gen = c->gen - 1; /* not prepared yet */
        }
        st->execs++;
        if (st->pgname[0] && st->gen != c->gen) {
            PGresult *p = PQprepare(c->pg, st->pgname, st->pgsql, st->nparams, st->types);
            if (!p || PQresultStatus(p) != PGRES_COMMAND_OK) {
                note_res(c, p);
                PQclear(p);
                return SQLX_ERROR;
            }
            PQclear(p);
            st->gen = c->gen;
        }
        const char *const *vals = (const char *const *)st->vals;
        PGresult *r = st->pgname[0]
                          ? PQexecPrepared(c->pg, st->pgname, st->nparams, vals, NULL, NULL, 0)
                          : PQexecParams(c->pg, st->pgsql, st->nparams, st->types, vals, NULL, NULL, 0);
        ExecStatusType es = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (es != PGRES_TUPLES_OK && es != PGRES_COMMAND_OK) {
            note_res(c, r);
            PQclear(r);
            return SQLX_ERROR;
        }
        const char *ct = PQcmdTuples(r);
        c->changes = ct && *ct ? atoll(ct) : 0;
        st->res = r;
        st->nrows = es == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        st->row = -1;
    }
    if (st->row + 1 < st->nrows) {
        st->row++;
        return SQLX_ROW;
    }
    st->row = st->nrows;
    return SQLX_DONE;
}

bk_err pgx_exec(sqlx *c, const char *sql, const char *what)
{
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType es = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK && es != PGRES_EMPTY_QUERY) {
        bk_err e = failnow_res(c, r, what);
        PQclear(r);
        return e;
    }
    PQclear(r);
    return BK_OK;
}

/* Re-establish a lost connection (outside a transaction only). */
static bk_err reconnect(sqlx *c)
{
    if (PQstatus(c->pg) == CONNECTION_OK)
        return BK_OK;
    PQreset(c->pg);
    if (PQstatus(c->pg) != CONNECTION_OK) {
        note_msg(c, "08006", PQerrorMessage(c->pg));
        return pgx_fail(c, "reconnect");
    }
    c->gen++; /* server-side prepared statements are gone */
    char set[96];
    snprintf(set, sizeof set, "SET lock_timeout = %d", c->busy_timeout_ms);
    return pgx_exec(c, set, "lock_timeout");
}

bk_err pgx_begin(sqlx *c, int write)
{
    const char *sql = write ? "BEGIN; SELECT pg_advisory_xact_lock(" WRITER_LOCK ")"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ";
    bk_err e = reconnect(c);
    if (e)
        return e;
    e = pgx_exec(c, sql, "begin");
    /* A connection that died while idle (server restart) is only noticed
     * now; nothing of this transaction ran yet, so reconnect and go on. */
    if (e == BK_ERR_IO && PQstatus(c->pg) == CONNECTION_BAD) {
        if ((e = reconnect(c)))
            return e;
        e = pgx_exec(c, sql, "begin");
    }
    /* BEGIN ran but the writer lock did not come (lock_timeout: BUSY): the
     * transaction is open and aborted. The caller sees a failed begin and
     * will not roll back, so do it here, or every later BEGIN on this
     * connection would fail with "current transaction is aborted". */
    if (e)
        pgx_rollback(c);
    return e;
}

bk_err pgx_commit(sqlx *c)
{
    PGresult *r = PQexec(c->pg, "COMMIT");
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        bk_err e = failnow_res(c, r, "commit");
        PQclear(r);
        return e;
    }
    /* COMMIT of a failed transaction answers ROLLBACK. */
    int rolled_back = strcmp(PQcmdStatus(r), "COMMIT") != 0;
    PQclear(r);
    if (rolled_back) {
        note_msg(c, "25P02", "the transaction had failed and was rolled back");
        return pgx_fail(c, "commit");
    }
    return BK_OK;
}

void pgx_rollback(sqlx *c)
{
    if (PQstatus(c->pg) != CONNECTION_OK)
        return;
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        PQclear(PQexec(c->pg, "ROLLBACK"));
}

/* One integer from a one-row query (no parameters). */
static bk_err one_int(sqlx *c, const char *sql, int64_t *out)
{
    PGresult *r = PQexec(c->pg, sql);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        if (r && PQresultStatus(r) == PGRES_TUPLES_OK)
            note_msg(c, "XX000", "expected one row");
        else
            note_res(c, r);
        bk_err e = pgx_fail(c, sql);
        PQclear(r);
        return e;
    }
    *out = PQgetisnull(r, 0, 0) ? 0 : atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    return BK_OK;
}

bk_err pgx_schema_version(sqlx *c, int64_t *out)
{
    int64_t have = 0;
    bk_err e = one_int(c, "SELECT CAST(to_regclass('bk_schema') IS NOT NULL AS INTEGER)", &have);
    if (e)
        return e;
    if (!have) {
        *out = 0;
        return BK_OK;
    }
    return one_int(c, "SELECT COALESCE(MAX(version), 0) FROM bk_schema", out);
}

bk_err pgx_schema_version_set(sqlx *c, int v)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS bk_schema(version INTEGER NOT NULL); "
             "DELETE FROM bk_schema; INSERT INTO bk_schema(version) VALUES (%d)",
             v);
    return pgx_exec(c, sql, "set schema version");
}

bk_err pgx_data_version(sqlx *c, int64_t *out)
{
    return one_int(c, "SELECT data_version FROM bk_state", out);
}

/* Drain the notifications libpq has read; 1 if there was any. */
static int drain_notifies(sqlx *c)
{
    int any = 0;
    PGnotify *n;
    while ((n = PQnotifies(c->pg)) != NULL) {
        any = 1;
        PQfreemem(n);
    }
    return any;
}

bk_err pgx_wait_notify(sqlx *c, int timeout_ms, int wake_fd, int *notified)
{
    *notified = 0;
    bk_err e = reconnect(c);
    if (e)
        return e;
    if (c->listen_gen != c->gen) {
        if ((e = pgx_exec(c, "LISTEN bapas_changed", "listen")))
            return e;
        c->listen_gen = c->gen;
        *notified = 1; /* nothing before this was heard: re-read everything */
    }
    if (PQconsumeInput(c->pg) != 1) {
        note_msg(c, "08006", PQerrorMessage(c->pg));
        return pgx_fail(c, "wait for changes");
    }
    if (drain_notifies(c))
        *notified = 1;
    if (*notified || timeout_ms <= 0)
        return BK_OK;
    struct pollfd pfd[2] = {{.fd = PQsocket(c->pg), .events = POLLIN},
                            {.fd = wake_fd, .events = POLLIN}};
    if (pfd[0].fd < 0) {
        note_msg(c, "08006", "no connection");
        return pgx_fail(c, "wait for changes");
    }
    int r = poll(pfd, wake_fd >= 0 ? 2 : 1, timeout_ms);
    if (r < 0 && errno != EINTR) {
        sqlx_errf(c, "wait for changes: poll: %s", strerror(errno));
        return BK_ERR_IO;
    }
    if (r > 0 && pfd[0].revents) {
        if (PQconsumeInput(c->pg) != 1) {
            note_msg(c, "08006", PQerrorMessage(c->pg));
            return pgx_fail(c, "wait for changes");
        }
        *notified = drain_notifies(c);
    }
    return BK_OK;
}

bk_err pgx_open(sqlx *c, const char *uri, const sqlx_opts *o)
{
    c->busy_timeout_ms = o->busy_timeout_ms;
    c->gen = 1;
    /* Defaults so a network cut or a dead server is noticed in seconds, not
     * after the kernel's TCP timeouts (minutes); anything the URI sets wins,
     * since the expanded dbname comes after these. Unix sockets ignore the
     * TCP ones. */
    const char *const keys[] = {"connect_timeout", "keepalives",       "keepalives_idle",
                                "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                "application_name", "dbname",           NULL};
    const char *const vals[] = {"3", "1", "5", "2", "2", "6000", "bapas-kiosk", uri, NULL};
    c->pg = PQconnectdbParams(keys, vals, 1);
    if (!c->pg) {
        sqlx_errf(c, "out of memory");
        return BK_ERR_NOMEM;
    }
    if (PQstatus(c->pg) != CONNECTION_OK) {
        note_msg(c, "08006", PQerrorMessage(c->pg));
        return pgx_fail(c, "connect");
    }
    char set[160];
    snprintf(set, sizeof set,
             "SET lock_timeout = %d; SET client_min_messages = warning; SET TIME ZONE 'UTC'",
             o->busy_timeout_ms);
    bk_err e = pgx_exec(c, set, "session settings");
    if (e)
        return e;
    if (o->read_only)
        e = pgx_exec(c, "SET default_transaction_read_only = on", "read only");
    return e;
}

void pgx_close(sqlx *c)
{
    if (c->pg) {
        pgx_rollback(c);
        PQfinish(c->pg);
        c->pg = NULL;
    }
}
