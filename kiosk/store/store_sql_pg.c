/* store_sql_pg.c — the SQL adapter's PostgreSQL back end through libpq
 * (sqlx_backend_pg, see store_sql_int.h; contracts in store_sql.h).
 *
 * - Statements keep the portable `?`/`?N` placeholders in the source and
 *   are rewritten to `$N` here. Cached statements are prepared server-side
 *   once per connection (named "bkN"); owned ones run unnamed the first
 *   time and are prepared (named "bkoN", deallocated when finalized) when
 *   run again: an import's statements run thousands of times, a one-off
 *   query costs no extra round trip.
 * - Values travel as text; the server infers parameter types from context.
 * - Write transactions: BEGIN (READ COMMITTED) + the writer lock (the one
 *   row of bk_writer, FOR UPDATE, through bk_writer_lock(): schema 3,
 *   db/pg/003_server_rules.sql), so writers run one at a time exactly like
 *   SQLite's BEGIN IMMEDIATE: every statement after the lock sees every
 *   earlier commit (daily numbers stay unique, a ticket is called once).
 *   Readers never wait. lock_timeout = the busy timeout (BK_ERR_BUSY beyond
 *   it). A migration (SQLX_TX_MIGRATE) takes an advisory lock first, since
 *   the schema it starts from may have no bk_writer yet. SQLX_TX_CALL: one
 *   statement, a server function that is its own transaction (store_call):
 *   no BEGIN, no COMMIT, one round trip.
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
#include <sys/socket.h>

#include <libpq-fe.h>

#include "store_sql_int.h"

/* The advisory key schemas 1 and 2 serialised writers with ("BAPA"): any role
 * can take it, so since schema 3 it serialises only migrations (run by the
 * owner), which then also take the writer lock when the schema has it. */
#define MIGRATE_LOCK "1111642177"

/* The connection state (sqlx.conn). */
typedef struct pgx_conn {
    PGconn *pg;
    unsigned gen;        /* bumped when the connection is re-established */
    unsigned listen_gen; /* the gen in which LISTEN ran (0 = never) */
    unsigned owned_seq;  /* names of prepared owned statements ("bkoN") */
    int64_t changes;     /* rows of the last command */
    char sqlstate[6];    /* SQLSTATE of the last failure */
    char last_msg[256];  /* its message */
    int busy_timeout_ms;
    int call_tx; /* in an SQLX_TX_CALL "transaction": the statement is its own */
} pgx_conn;

/* A statement (sqlx_stmt.impl). */
typedef struct pgx_stmt {
    char *pgsql;     /* with $N placeholders */
    char pgname[16]; /* server-side name ("" = unnamed, run by PQexecParams) */
    unsigned gen;    /* connection generation it was prepared in */
    int nparams;
    char *vals[SQLX_MAXP]; /* bound values as text (owned copies), NULL = NULL */
    Oid types[SQLX_MAXP];  /* 0 = inferred by the server */
    PGresult *res;
    int row, nrows;
    int execs; /* times run (an owned statement is prepared from its second run) */
} pgx_stmt;

static pgx_conn *pc(sqlx *c)
{
    return c->conn;
}

static pgx_stmt *ps(sqlx_stmt *st)
{
    return st->impl;
}

static void pgx_rollback(sqlx *c);

static void note_msg(sqlx *c, const char *sqlstate, const char *msg)
{
    snprintf(pc(c)->sqlstate, sizeof pc(c)->sqlstate, "%s", sqlstate ? sqlstate : "");
    size_t n = (size_t)snprintf(pc(c)->last_msg, sizeof pc(c)->last_msg, "%s", msg ? msg : "");
    /* libpq messages end in a newline. */
    if (n > 0 && n < sizeof pc(c)->last_msg) {
        while (n > 0 && (pc(c)->last_msg[n - 1] == '\n' || pc(c)->last_msg[n - 1] == ' '))
            pc(c)->last_msg[--n] = 0;
    }
}

static void note_res(sqlx *c, const PGresult *r)
{
    if (r) {
        note_msg(c, PQresultErrorField(r, PG_DIAG_SQLSTATE), PQresultErrorMessage(r));
    } else {
        note_msg(c, PQstatus(pc(c)->pg) == CONNECTION_BAD ? "08006" : "XX000",
                 PQerrorMessage(pc(c)->pg));
    }
    if (!pc(c)->sqlstate[0] && PQstatus(pc(c)->pg) == CONNECTION_BAD)
        snprintf(pc(c)->sqlstate, sizeof pc(c)->sqlstate, "08006");
}

static bk_err pgx_fail(sqlx *c, const char *what)
{
    const char *ss = pc(c)->sqlstate;
    snprintf(c->err, sizeof c->err, "%s: %s (%s)", what, pc(c)->last_msg, ss);
    /* insufficient_privilege: a least-privilege role (deploy/pg-roles.sql)
     * asked for more than its mode needs; name the role, not a "missing" database. */
    if (!strcmp(ss, "42501")) {
        snprintf(c->err, sizeof c->err, "%s: this database role (%s) may not do this: %s (%s)",
                 what, pc(c)->pg ? PQuser(pc(c)->pg) : "?", pc(c)->last_msg, ss);
        return BK_ERR_DENIED;
    }
    if (!strcmp(ss, "23505")) return BK_ERR_EXISTS;
    if (!strcmp(ss, "23503")) return BK_ERR_NOT_FOUND;
    if (!strncmp(ss, "23", 2) || !strcmp(ss, "22P02") || !strcmp(ss, "22001"))
        return BK_ERR_INVALID;
    if (!strcmp(ss, "40001") || !strcmp(ss, "40P01")) return BK_ERR_RETRY;
    if (!strcmp(ss, "55P03") || !strcmp(ss, "57014")) return BK_ERR_BUSY;
    /* disk_full: the server's disk (as SQLITE_FULL); read_only_sql_transaction:
     * a server in recovery (a standby) or a database set read-only. */
    if (!strcmp(ss, "53100")) return BK_ERR_DISK_FULL;
    if (!strcmp(ss, "25006")) return BK_ERR_READONLY;
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
    if (!out) return NULL;
    size_t k = 0;
    int autonum = 0, maxp = 0;
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = sql[i];
        if (quote) {
            if (ch == quote) quote = 0;
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
        if (n > maxp) maxp = n;
        if (n >= 1 && n <= SQLX_MAXP) used[n - 1] = 1;
        k += (size_t)snprintf(out + k, len * 3 + 1 - k, "$%d", n);
    }
    out[k] = 0;
    *nparams = maxp;
    return out;
}

static bk_err pgx_stmt_init(sqlx_stmt *st, const char *sql, int slot)
{
    sqlx *c = st->c;
    pgx_stmt *p = calloc(1, sizeof *p);
    if (!p) {
        sqlx_errf(c, "out of memory");
        return BK_ERR_NOMEM;
    }
    p->row = -1;
    unsigned char used[SQLX_MAXP] = {0};
    p->pgsql = convert(sql, &p->nparams, used);
    if (!p->pgsql) {
        free(p);
        sqlx_errf(c, "out of memory");
        return BK_ERR_NOMEM;
    }
    if (p->nparams > SQLX_MAXP) {
        sqlx_errf(c, "prepare: %d parameters (at most %d)", p->nparams, SQLX_MAXP);
        free(p->pgsql);
        free(p);
        return BK_ERR_INTERNAL;
    }
    /* A number the SQL never uses (?1 and ?3 only) has no context to infer
     * its type from: declare it text. */
    for (int i = 0; i < SQLX_MAXP; i++)
        p->types[i] = used[i] ? 0 : 25 /* TEXTOID */;
    if (slot >= 0) snprintf(p->pgname, sizeof p->pgname, "bk%d", slot);
    p->gen = pc(c)->gen - 1; /* not prepared yet */
    st->impl = p;
    return BK_OK;
}

static void pgx_reset(sqlx_stmt *st, int clear)
{
    pgx_stmt *s = ps(st);
    if (s->res) {
        PQclear(s->res);
        s->res = NULL;
    }
    s->row = -1;
    s->nrows = 0;
    if (clear) {
        for (int i = 0; i < SQLX_MAXP; i++) {
            free(s->vals[i]);
            s->vals[i] = NULL;
        }
    }
}

static void pgx_stmt_free(sqlx_stmt *st)
{
    pgx_stmt *s = ps(st);
    if (!s) return;
    pgx_reset(st, 1);
    sqlx *c = st->c;
    pgx_conn *k = pc(c);
    /* An owned statement prepared on this connection: release its name. In
     * a failed transaction the server refuses even this; the name then
     * stays until the session ends (names are never reused). */
    if (st->owned && s->pgname[0] && s->gen == k->gen && k->pg &&
        PQstatus(k->pg) == CONNECTION_OK && PQtransactionStatus(k->pg) != PQTRANS_INERROR) {
        char sql[40];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->pgname);
        PQclear(PQexec(k->pg, sql));
    }
    free(s->pgsql);
    free(s);
    st->impl = NULL;
}

static bk_err pgx_bind(sqlx_stmt *st, int i, const char *text)
{
    pgx_stmt *s = ps(st);
    pgx_conn *k = pc(st->c);
    if (i < 1 || i > s->nparams) {
        snprintf(k->last_msg, sizeof k->last_msg, "bind index %d out of range", i);
        snprintf(k->sqlstate, sizeof k->sqlstate, "XX000");
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
    free(s->vals[i - 1]);
    s->vals[i - 1] = v;
    return BK_OK;
}

static int pgx_step(sqlx_stmt *st)
{
    pgx_stmt *s = ps(st);
    sqlx *c = st->c;
    pgx_conn *k = pc(c);
    if (!s->res) {
        if (st->owned && !s->pgname[0] && s->execs > 0) {
            snprintf(s->pgname, sizeof s->pgname, "bko%u", ++k->owned_seq);
            s->gen = k->gen - 1; /* not prepared yet */
        }
        s->execs++;
        if (s->pgname[0] && s->gen != k->gen) {
            PGresult *p = PQprepare(k->pg, s->pgname, s->pgsql, s->nparams, s->types);
            if (!p || PQresultStatus(p) != PGRES_COMMAND_OK) {
                note_res(c, p);
                PQclear(p);
                return SQLX_ERROR;
            }
            PQclear(p);
            s->gen = k->gen;
        }
        const char *const *vals = (const char *const *)s->vals;
        PGresult *r =
            s->pgname[0] ? PQexecPrepared(k->pg, s->pgname, s->nparams, vals, NULL, NULL, 0)
                         : PQexecParams(k->pg, s->pgsql, s->nparams, s->types, vals, NULL, NULL, 0);
        ExecStatusType es = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (es != PGRES_TUPLES_OK && es != PGRES_COMMAND_OK) {
            note_res(c, r);
            PQclear(r);
            return SQLX_ERROR;
        }
        const char *ct = PQcmdTuples(r);
        k->changes = ct && *ct ? atoll(ct) : 0;
        s->res = r;
        s->nrows = es == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        s->row = -1;
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return SQLX_ROW;
    }
    s->row = s->nrows;
    return SQLX_DONE;
}

static bk_err pgx_exec(sqlx *c, const char *sql, const char *what)
{
    PGresult *r = PQexec(pc(c)->pg, sql);
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
    if (PQstatus(pc(c)->pg) == CONNECTION_OK) return BK_OK;
    PQreset(pc(c)->pg);
    if (PQstatus(pc(c)->pg) != CONNECTION_OK) {
        note_msg(c, "08006", PQerrorMessage(pc(c)->pg));
        return pgx_fail(c, "reconnect");
    }
    pc(c)->gen++; /* server-side prepared statements are gone */
    char set[96];
    snprintf(set, sizeof set, "SET lock_timeout = %d", pc(c)->busy_timeout_ms);
    return pgx_exec(c, set, "lock_timeout");
}

static bk_err pgx_begin(sqlx *c, int write)
{
    /* One call of a server function (store_call), its own transaction:
     * nothing to send; a lost connection is re-established first. */
    if (write == SQLX_TX_CALL) {
        bk_err e = reconnect(c);
        if (!e) pc(c)->call_tx = 1;
        return e;
    }
    /* Writers: the row lock of bk_writer, which only bk_writer_lock() (owned
     * by the schema owner, EXECUTE for the writing roles only) can take. */
    static const char *const sql_w = "BEGIN; SELECT bk_writer_lock()";
    /* A migration: the schema may predate bk_writer (or be empty). */
    static const char *const sql_m =
        "BEGIN; SELECT pg_advisory_xact_lock(" MIGRATE_LOCK "); "
        "DO $$ BEGIN IF to_regprocedure('bk_writer_lock()') IS NOT NULL THEN "
        "PERFORM bk_writer_lock(); END IF; END $$";
    const char *sql = write == SQLX_TX_MIGRATE ? sql_m
                      : write                  ? sql_w
                                               : "BEGIN ISOLATION LEVEL REPEATABLE READ";
    bk_err e = reconnect(c);
    if (e) return e;
    e = pgx_exec(c, sql, "begin");
    /* A connection that died while idle (server restart) is only noticed
     * now; nothing of this transaction ran yet, so reconnect and go on. */
    if (e == BK_ERR_IO && PQstatus(pc(c)->pg) == CONNECTION_BAD) {
        if ((e = reconnect(c))) return e;
        e = pgx_exec(c, sql, "begin");
    }
    /* BEGIN ran but the writer lock did not come (lock_timeout: BUSY): the
     * transaction is open and aborted. The caller sees a failed begin and
     * will not roll back, so do it here, or every later BEGIN on this
     * connection would fail with "current transaction is aborted". */
    if (e) pgx_rollback(c);
    return e;
}

static bk_err pgx_commit(sqlx *c)
{
    if (pc(c)->call_tx) { /* the call committed, or failed, on its own */
        pc(c)->call_tx = 0;
        return BK_OK;
    }
    PGresult *r = PQexec(pc(c)->pg, "COMMIT");
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

static void pgx_rollback(sqlx *c)
{
    pc(c)->call_tx = 0;
    if (PQstatus(pc(c)->pg) != CONNECTION_OK) return;
    if (PQtransactionStatus(pc(c)->pg) != PQTRANS_IDLE) PQclear(PQexec(pc(c)->pg, "ROLLBACK"));
}

/* One integer from a one-row query (no parameters). */
static bk_err one_int(sqlx *c, const char *sql, int64_t *out)
{
    PGresult *r = PQexec(pc(c)->pg, sql);
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

static bk_err pgx_schema_version(sqlx *c, int64_t *out)
{
    int64_t have = 0;
    bk_err e = one_int(c, "SELECT CAST(to_regclass('bk_schema') IS NOT NULL AS INTEGER)", &have);
    if (e) return e;
    if (!have) {
        *out = 0;
        return BK_OK;
    }
    return one_int(c, "SELECT COALESCE(MAX(version), 0) FROM bk_schema", out);
}

static bk_err pgx_schema_version_set(sqlx *c, int v)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS bk_schema(version INTEGER NOT NULL); "
             "DELETE FROM bk_schema; INSERT INTO bk_schema(version) VALUES (%d)",
             v);
    return pgx_exec(c, sql, "set schema version");
}

static bk_err pgx_data_version(sqlx *c, int64_t *out)
{
    return one_int(c, "SELECT data_version FROM bk_state", out);
}

/* Drain the notifications libpq has read; 1 if there was any. */
static int drain_notifies(sqlx *c)
{
    int any = 0;
    PGnotify *n;
    while ((n = PQnotifies(pc(c)->pg)) != NULL) {
        any = 1;
        PQfreemem(n);
    }
    return any;
}

static bk_err pgx_wait_notify(sqlx *c, int timeout_ms, int wake_fd, int *notified)
{
    *notified = 0;
    bk_err e = reconnect(c);
    if (e) return e;
    if (pc(c)->listen_gen != pc(c)->gen) {
        if ((e = pgx_exec(c, "LISTEN bapas_changed", "listen"))) return e;
        pc(c)->listen_gen = pc(c)->gen;
        *notified = 1; /* nothing before this was heard: re-read everything */
    }
    if (PQconsumeInput(pc(c)->pg) != 1) {
        note_msg(c, "08006", PQerrorMessage(pc(c)->pg));
        return pgx_fail(c, "wait for changes");
    }
    if (drain_notifies(c)) *notified = 1;
    if (*notified || timeout_ms <= 0) return BK_OK;
    struct pollfd pfd[2] = {{.fd = PQsocket(pc(c)->pg), .events = POLLIN},
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
        if (PQconsumeInput(pc(c)->pg) != 1) {
            note_msg(c, "08006", PQerrorMessage(pc(c)->pg));
            return pgx_fail(c, "wait for changes");
        }
        *notified = drain_notifies(c);
    }
    return BK_OK;
}

static bk_err pgx_open(sqlx *c, const char *uri, const sqlx_opts *o)
{
    c->conn = calloc(1, sizeof(pgx_conn));
    if (!c->conn) {
        sqlx_errf(c, "out of memory");
        return BK_ERR_NOMEM;
    }
    pc(c)->busy_timeout_ms = o->busy_timeout_ms;
    pc(c)->gen = 1;
    /* Defaults so a network cut or a dead server is noticed in seconds, not
     * after the kernel's TCP timeouts (minutes); anything the URI sets wins,
     * since the expanded dbname comes after these. Unix sockets ignore the
     * TCP ones. */
    const char *const keys[] = {"connect_timeout",     "keepalives",       "keepalives_idle",
                                "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                "application_name",    "dbname",           NULL};
    const char *const vals[] = {"3", "1", "5", "2", "2", "6000", "bapas-kiosk", uri, NULL};
    pc(c)->pg = PQconnectdbParams(keys, vals, 1);
    if (!pc(c)->pg) {
        sqlx_errf(c, "out of memory");
        return BK_ERR_NOMEM;
    }
    if (PQstatus(pc(c)->pg) != CONNECTION_OK) {
        note_msg(c, "08006", PQerrorMessage(pc(c)->pg));
        return pgx_fail(c, "connect");
    }
    char set[160];
    snprintf(set, sizeof set,
             "SET lock_timeout = %d; SET client_min_messages = warning; SET TIME ZONE 'UTC'",
             o->busy_timeout_ms);
    bk_err e = pgx_exec(c, set, "session settings");
    if (e) return e;
    if (o->read_only) e = pgx_exec(c, "SET default_transaction_read_only = on", "read only");
    return e;
}

static void pgx_close(sqlx *c)
{
    if (!pc(c)) return;
    if (pc(c)->pg) {
        pgx_rollback(c);
        PQfinish(pc(c)->pg);
        pc(c)->pg = NULL;
    }
    free(pc(c));
    c->conn = NULL;
}

/* Values travel as text and are always copied. */
static bk_err pgx_bind_text(sqlx_stmt *st, int i, const char *v, int copy)
{
    (void)copy;
    return pgx_bind(st, i, v);
}

static bk_err pgx_bind_int64(sqlx_stmt *st, int i, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    return pgx_bind(st, i, num);
}

static bk_err pgx_bind_null(sqlx_stmt *st, int i)
{
    return pgx_bind(st, i, NULL);
}

/* The current row's value (NULL for SQL NULL or no row). */
static const char *pg_val(sqlx_stmt *st, int i)
{
    pgx_stmt *p = ps(st);
    if (!p->res || p->row < 0 || p->row >= p->nrows || i >= PQnfields(p->res) ||
        PQgetisnull(p->res, p->row, i))
        return NULL;
    return PQgetvalue(p->res, p->row, i);
}

static const char *pgx_col_text(sqlx_stmt *st, int i)
{
    return pg_val(st, i);
}

static int64_t pgx_col_int64(sqlx_stmt *st, int i)
{
    const char *v = pg_val(st, i);
    if (!v) return 0;
    if (v[0] == 't' && !v[1]) /* a boolean expression */
        return 1;
    return strtoll(v, NULL, 10);
}

static int pgx_col_is_null(sqlx_stmt *st, int i)
{
    return pg_val(st, i) == NULL;
}

static int pgx_col_count(sqlx_stmt *st)
{
    return ps(st)->res ? PQnfields(ps(st)->res) : 0;
}

static const char *pgx_col_name(sqlx_stmt *st, int i)
{
    return ps(st)->res ? PQfname(ps(st)->res, i) : NULL;
}

static int64_t pgx_changes(sqlx *c)
{
    return pc(c)->changes;
}

/* The server checkpoints by itself; nothing for an idle client to do. */
static bk_err pgx_checkpoint(sqlx *c, int *wal_pages)
{
    (void)c;
    if (wal_pages) *wal_pages = 0;
    return BK_OK;
}

struct pg_conn *sqlx_pg(sqlx *c)
{
    return c->be == &sqlx_backend_pg && pc(c) ? pc(c)->pg : NULL;
}

#ifdef BK_TEST_HOOKS
/* BK_FAULT_LOST_ACK: the answer to COMMIT is lost with the connection. */
static void pgx_fault_cut(sqlx *c)
{
    if (PQsocket(pc(c)->pg) >= 0) shutdown(PQsocket(pc(c)->pg), SHUT_RDWR);
}
#endif

const sqlx_backend sqlx_backend_pg = {
    .kind = SQLX_PG,
    .open = pgx_open,
    .close = pgx_close,
    .fail = pgx_fail,
    .stmt_init = pgx_stmt_init,
    .stmt_free = pgx_stmt_free,
    .reset = pgx_reset,
    .bind_text = pgx_bind_text,
    .bind_int64 = pgx_bind_int64,
    .bind_null = pgx_bind_null,
    .step = pgx_step,
    .col_text = pgx_col_text,
    .col_int64 = pgx_col_int64,
    .col_is_null = pgx_col_is_null,
    .col_count = pgx_col_count,
    .col_name = pgx_col_name,
    .changes = pgx_changes,
    .exec = pgx_exec,
    .begin = pgx_begin,
    .commit = pgx_commit,
    .rollback = pgx_rollback,
    .schema_version = pgx_schema_version,
    .schema_version_set = pgx_schema_version_set,
    .data_version = pgx_data_version,
    .wait_notify = pgx_wait_notify,
    .checkpoint = pgx_checkpoint,
#ifdef BK_TEST_HOOKS
    .fault_cut = pgx_fault_cut,
#endif
};
