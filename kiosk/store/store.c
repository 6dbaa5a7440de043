/* store.c — the store (see store.h for the contract), on the SQL adapter
 * (store_sql.h), which runs it on SQLite (WAL journal, foreign keys on, a
 * busy timeout, synchronous=FULL by default, BEGIN IMMEDIATE for every write
 * transaction) or PostgreSQL, each a back-end table (store_sql_int.h).
 * Statements are prepared once per connection and cached by the address of
 * their (static) SQL text.
 */
#include "store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otime.h"
#include "store_priv.h"

struct store_migration {
    int version;
    const char *name;
    const char *sql;
};
/* Generated (embed_migrations.cmake): the same versions for both dialects. */
extern const struct store_migration store_migrations[], store_migrations_pg[];
extern const size_t store_migrations_count;

struct store {
    sqlx *c;
    int in_tx;
    int clients_seen;    /* PostgreSQL login that may not read `clients`: bk_clients_seen */
    int tickets_seen;    /* ... nor `tickets`: bk_tickets_seen, bk_ticket_by_token (schema 8) */
    int audit_seen;      /* ... nor `audit`: bk_audit_seen (schema 8) */
    int purposes_hidden; /* ... nor `ticket_purposes` (the board, schema 9): a visit's
                          * purposes read as its first purpose only */
    char *target;        /* as given to store_open (a URI may hold a password: never print it) */
    int actor_set;       /* store_set_actor was called: store_call sends actor first */
    char actor[STORE_NAME_SZ];
};

/* ---- helpers ----------------------------------------------------------- */
/* The bind, column and step helpers (store_priv_*, STORE_TRY) are shared
 * with store_data.c: store_priv.h, store_util.c. */

static bk_err read_ticket(sqlx *c, sqlx_stmt *st, store_ticket *t);
static bk_err one_text(store *s, const char *sql, char *out, size_t outsz);

/* A reset, cleared statement for `sql` (a string literal: cached by address). */
static bk_err prep(store *s, const char *sql, sqlx_stmt **out)
{
    return sqlx_prep(s->c, sql, out);
}

/* A column's text that is none of the names of its domain value
 * (domain.h): an error, recorded on the connection. */
static bk_err unknown_word(sqlx *c, const char *what, const char *text)
{
    sqlx_errf(c, "%s: unknown value '%s' in the database", what, text);
    return BK_ERR_INTERNAL;
}

/* ---- connection -------------------------------------------------------- */

int store_schema_latest(void)
{
    int v = 0;
    for (size_t i = 0; i < store_migrations_count; i++)
        if (store_migrations[i].version > v) v = store_migrations[i].version;
    return v;
}

int store_schema_version(store *s)
{
    int64_t v = -1;
    if (sqlx_schema_version(s->c, &v)) return -1;
    return (int)v;
}

static bk_err migrate(store *s, int utc_offset_min)
{
    int latest = store_schema_latest();
    int64_t have = 0;
    bk_err e = sqlx_schema_version(s->c, &have);
    if (e) return e;
    if (have > latest) {
        sqlx_errf(s->c,
                  "the database has schema version %lld but this program knows only up to %d; "
                  "refusing to downgrade (install the newer version)",
                  (long long)have, latest);
        return BK_ERR_STATE;
    }
    if (have == latest) return BK_OK;
    e = sqlx_begin(s->c, SQLX_TX_MIGRATE);
    if (e) return e;
    /* Another process may have migrated while we waited for the lock. */
    e = sqlx_schema_version(s->c, &have);
    if (e) goto rollback;
    const struct store_migration *m =
        sqlx_kind(s->c) == SQLX_PG ? store_migrations_pg : store_migrations;
    for (size_t i = 0; i < store_migrations_count; i++) {
        if (m[i].version <= have) continue;
        e = sqlx_exec(s->c, m[i].sql, m[i].name);
        if (e) goto rollback;
    }
    e = sqlx_schema_version_set(s->c, latest);
    if (e) goto rollback;
    if (have == 0) {
        char off[16];
        snprintf(off, sizeof off, "%d", utc_offset_min);
        sqlx_stmt *st = NULL;
        e = sqlx_prepare(s->c,
                         "INSERT INTO settings(key, value) VALUES ('utc_offset_min', ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         &st);
        if (!e) e = sqlx_bind_text_copy(st, 1, off);
        if (!e && sqlx_step(st) != SQLX_DONE) e = sqlx_fail(s->c, "record utc offset");
        sqlx_finalize(st);
        if (e) goto rollback;
#ifdef BK_TEST_HOOKS
        /* A database created under the test clock ($BAPAS_NOW): the server's
         * functions take the caller's instant (db/pg/003_server_rules.sql). */
        int64_t pinned = 0;
        if (sqlx_kind(s->c) == SQLX_PG && otime_test_now(&pinned) == BK_OK && pinned &&
            (e = sqlx_exec(s->c, "INSERT INTO settings(key, value) VALUES ('clock', 'client')",
                           "test clock")))
            goto rollback;
#endif
    }
    e = sqlx_commit(s->c);
    if (e) goto rollback;
    return BK_OK;
rollback:
    sqlx_rollback(s->c);
    if (e == BK_ERR_DENIED) {
        /* A least-privilege role (kiosk, desk...) opened an older or empty
         * database: only the owner role migrates. */
        char why[512];
        snprintf(why, sizeof why, "%s", sqlx_errmsg(s->c));
        sqlx_errf(s->c,
                  "the database has schema version %lld and this program needs %d, but this "
                  "database role may not migrate it: run `bapasctl init` as the office's owner "
                  "role first (%s)",
                  (long long)have, latest, why);
    }
    return e;
}

bk_err store_open(const char *path, const store_opts *opts, store **out, char *errbuf,
                  size_t errlen)
{
    store_opts o = {0};
    if (opts) o = *opts;
    if (!o.busy_timeout_ms) o.busy_timeout_ms = 5000;
    *out = NULL;
    bk_err e = BK_OK;
    store *s = calloc(1, sizeof *s);
    if (!s) {
        if (errbuf) snprintf(errbuf, errlen, "out of memory");
        return BK_ERR_NOMEM;
    }
    sqlx_opts xo = {.busy_timeout_ms = o.busy_timeout_ms,
                    .sync_normal = o.sync_normal,
                    .read_only = o.read_only,
                    .manual_checkpoint = o.manual_checkpoint,
                    .create = o.create && !o.read_only};
    e = sqlx_open(path, &xo, &s->c, errbuf, errlen);
    if (e) {
        free(s);
        return e;
    }
    if (!(s->target = strdup(path))) {
        sqlx_errf(s->c, "out of memory");
        e = BK_ERR_NOMEM;
        goto fail;
    }
    if (!o.read_only) {
        if ((e = migrate(s, o.utc_offset_min))) goto fail;
    } else {
        int64_t v = 0;
        if ((e = sqlx_schema_version(s->c, &v))) goto fail;
        if (v != store_schema_latest() && !o.any_schema) {
            sqlx_errf(s->c, "schema version %lld, expected %d", (long long)v,
                      store_schema_latest());
            e = BK_ERR_STATE;
            goto fail;
        }
    }
    if (sqlx_kind(s->c) == SQLX_PG && store_schema_version(s) >= 3) {
        /* Which clients a least-privilege login reads (store_client_get). */
        char may[8] = "";
        if ((e = one_text(s, "SELECT CAST(has_table_privilege('clients', 'SELECT') AS TEXT)", may,
                          sizeof may)))
            goto fail;
        s->clients_seen = strcmp(may, "true") != 0;
    }
    if (sqlx_kind(s->c) == SQLX_PG && store_schema_version(s) >= 8) {
        /* Which tickets and audit rows it reads (db/pg/008_reads.sql). */
        char may[8] = "";
        if ((e = one_text(s,
                          "SELECT CASE WHEN has_table_privilege('tickets', 'SELECT') THEN 't' "
                          "ELSE 'f' END || CASE WHEN has_table_privilege('audit', 'SELECT') "
                          "THEN 't' ELSE 'f' END",
                          may, sizeof may)))
            goto fail;
        s->tickets_seen = may[0] != 't';
        s->audit_seen = may[1] != 't';
    }
    if (sqlx_kind(s->c) == SQLX_PG && store_schema_version(s) >= 9) {
        /* Whether it reads the visits' purposes (db/pg/009_visits.sql: not the board). */
        char may[8] = "";
        if ((e = one_text(s,
                          "SELECT CASE WHEN has_table_privilege('ticket_purposes', 'SELECT') "
                          "THEN 't' ELSE 'f' END",
                          may, sizeof may)))
            goto fail;
        s->purposes_hidden = may[0] != 't';
    }
    *out = s;
    return BK_OK;
fail:
    if (errbuf) snprintf(errbuf, errlen, "%s", sqlx_errmsg(s->c));
    store_close(s);
    return e ? e : BK_ERR_INTERNAL;
}

int store_target_is_server(const char *target)
{
    return sqlx_is_pg_target(target);
}

void store_close(store *s)
{
    if (!s) return;
    sqlx_close(s->c); /* rolls back an open transaction */
    free(s->target);
    free(s);
}

const char *store_errmsg(const store *s)
{
    return s ? sqlx_errmsg(s->c) : "no store";
}

bk_err store_begin(store *s, store_tx_kind kind)
{
    if (s->in_tx) {
        sqlx_errf(s->c, "transaction already open");
        return BK_ERR_INTERNAL;
    }
    bk_err e = sqlx_begin(s->c, kind == STORE_TX_CALL    ? SQLX_TX_CALL
                                : kind == STORE_TX_WRITE ? 1
                                                         : 0);
    if (e) return e;
    s->in_tx = 1;
    return BK_OK;
}

bk_err store_commit(store *s)
{
    bk_err e = sqlx_commit(s->c);
    if (e) return e; /* still in the transaction: the caller rolls back */
    s->in_tx = 0;
    return BK_OK;
}

void store_rollback(store *s)
{
    if (!s->in_tx) return;
    sqlx_rollback(s->c);
    s->in_tx = 0;
}

int store_in_tx(const store *s)
{
    return s->in_tx;
}

/* ---- for the store's own modules (store_priv.h) ------------------------ */

sqlx *store_priv_db(store *s)
{
    return s->c;
}

const char *store_priv_target(const store *s)
{
    return s->target;
}

int store_priv_tickets_seen(const store *s)
{
    return s->tickets_seen;
}

bk_err store_priv_read_ticket(store *s, sqlx_stmt *st, store_ticket *t)
{
    return read_ticket(s->c, st, t);
}

bk_err store_priv_unknown_word(store *s, const char *what, const char *text)
{
    return unknown_word(s->c, what, text);
}

bk_err store_data_version(store *s, int64_t *out)
{
    return sqlx_data_version(s->c, out);
}

bk_err store_wait_change(store *s, int timeout_ms, int *changed)
{
    return sqlx_wait_notify(s->c, timeout_ms, -1, changed);
}

bk_err store_wait_change_fd(store *s, int timeout_ms, int wake_fd, int *changed)
{
    return sqlx_wait_notify(s->c, timeout_ms, wake_fd, changed);
}

bk_err store_setting_get(store *s, const char *key, char *out, size_t outsz)
{
    static const char *const sql = "SELECT value FROM settings WHERE key = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, key));
    if ((e = store_priv_step_row(s, st, "setting"))) return e;
    store_priv_col_text(st, 0, out, outsz);
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_setting_set(store *s, const char *key, const char *value)
{
    static const char *const sql = "INSERT INTO settings(key, value) VALUES (?, ?) "
                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, key));
    STORE_TRY(store_priv_bind_text(st, 2, value));
    return store_priv_step_done(s, st, "setting set");
}

/* ---- officers ---------------------------------------------------------- */

static void read_officer(sqlx_stmt *st, store_officer *o)
{
    store_priv_col_text(st, 0, o->id, sizeof o->id);
    store_priv_col_text(st, 1, o->name, sizeof o->name);
    store_priv_col_text(st, 2, o->room, sizeof o->room);
    o->active = sqlx_col_int(st, 3);
}

bk_err store_officer_insert(store *s, const store_officer *o)
{
    static const char *const sql =
        "INSERT INTO officers(id, name, room, active) VALUES (?, ?, ?, ?)";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, o->id));
    STORE_TRY(store_priv_bind_text(st, 2, o->name));
    STORE_TRY(store_priv_bind_text(st, 3, o->room));
    STORE_TRY(sqlx_bind_int(st, 4, o->active ? 1 : 0));
    return store_priv_step_done(s, st, "officer insert");
}

bk_err store_officer_update(store *s, const store_officer *o)
{
    static const char *const sql =
        "UPDATE officers SET name = ?, room = ?, active = ? WHERE id = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, o->name));
    STORE_TRY(store_priv_bind_text(st, 2, o->room));
    STORE_TRY(sqlx_bind_int(st, 3, o->active ? 1 : 0));
    STORE_TRY(store_priv_bind_text(st, 4, o->id));
    if ((e = store_priv_step_done(s, st, "officer update"))) return e;
    return sqlx_changes(s->c) ? BK_OK : BK_ERR_NOT_FOUND;
}

bk_err store_officer_get(store *s, const char *id, store_officer *out)
{
    static const char *const sql = "SELECT id, name, room, active FROM officers WHERE id = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, id));
    if ((e = store_priv_step_row(s, st, "officer"))) return e;
    read_officer(st, out);
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_officer_list(store *s, store_officer_cb cb, void *ud)
{
    static const char *const sql = "SELECT id, name, room, active FROM officers ORDER BY id";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_officer o;
        read_officer(st, &o);
        if ((e = cb(ud, &o))) {
            sqlx_reset(st);
            return e;
        }
    }
    if (rc != SQLX_DONE) e = sqlx_fail(s->c, "officer list");
    sqlx_reset(st);
    return e;
}

bk_err store_presence_get(store *s, const char *day, const char *officer, store_presence *out)
{
    static const char *const sql = "SELECT office_day, officer_id, status, substitute_id, note "
                                   "FROM officer_presence WHERE office_day = ? AND officer_id = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, day));
    STORE_TRY(store_priv_bind_text(st, 2, officer));
    if ((e = store_priv_step_row(s, st, "presence"))) return e;
    store_priv_col_text(st, 0, out->day, sizeof out->day);
    store_priv_col_text(st, 1, out->officer, sizeof out->officer);
    char w[STORE_WORD_SZ];
    store_priv_col_text(st, 2, w, sizeof w);
    store_priv_col_text(st, 3, out->substitute, sizeof out->substitute);
    store_priv_col_text(st, 4, out->note, sizeof out->note);
    if (bk_presence_parse(w, &out->status)) {
        sqlx_reset(st);
        return unknown_word(s->c, "presence status", w);
    }
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_presence_set(store *s, const store_presence *p)
{
    static const char *const sql =
        "INSERT INTO officer_presence(office_day, officer_id, status, substitute_id, note) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(office_day, officer_id) DO UPDATE SET "
        "status = excluded.status, substitute_id = excluded.substitute_id, note = excluded.note";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, p->day));
    STORE_TRY(store_priv_bind_text(st, 2, p->officer));
    STORE_TRY(store_priv_bind_text(st, 3, bk_presence_name(p->status)));
    STORE_TRY(store_priv_bind_opt(st, 4, p->substitute));
    STORE_TRY(store_priv_bind_text(st, 5, p->note));
    return store_priv_step_done(s, st, "presence set");
}

/* ---- clients ----------------------------------------------------------- */

#define CLIENT_COLS                                                                                \
    "no, name, birth_date, program, officer_id, report_every_days, last_report, active"

static bk_err read_client(sqlx *x, sqlx_stmt *st, store_client *c)
{
    store_priv_col_text(st, 0, c->no, sizeof c->no);
    store_priv_col_text(st, 1, c->name, sizeof c->name);
    store_priv_col_text(st, 2, c->birth, sizeof c->birth);
    char program[STORE_WORD_SZ];
    store_priv_col_text(st, 3, program, sizeof program);
    store_priv_col_text(st, 4, c->officer, sizeof c->officer);
    c->report_every_days = sqlx_col_int(st, 5);
    store_priv_col_text(st, 6, c->last_report, sizeof c->last_report);
    c->active = sqlx_col_int(st, 7);
    if (bk_program_parse(program, &c->program)) return unknown_word(x, "client program", program);
    return BK_OK;
}

bk_err store_client_insert(store *s, const store_client *c)
{
    static const char *const sql =
        "INSERT INTO clients(" CLIENT_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, c->no));
    STORE_TRY(store_priv_bind_text(st, 2, c->name));
    STORE_TRY(store_priv_bind_text(st, 3, c->birth));
    STORE_TRY(store_priv_bind_text(st, 4, bk_program_name(c->program)));
    STORE_TRY(store_priv_bind_text(st, 5, c->officer));
    STORE_TRY(sqlx_bind_int(st, 6, c->report_every_days));
    STORE_TRY(store_priv_bind_opt(st, 7, c->last_report));
    STORE_TRY(sqlx_bind_int(st, 8, c->active ? 1 : 0));
    return store_priv_step_done(s, st, "client insert");
}

bk_err store_client_update(store *s, const store_client *c)
{
    static const char *const sql =
        "UPDATE clients SET name = ?, birth_date = ?, program = ?, officer_id = ?, "
        "report_every_days = ?, last_report = ?, active = ? WHERE no = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, c->name));
    STORE_TRY(store_priv_bind_text(st, 2, c->birth));
    STORE_TRY(store_priv_bind_text(st, 3, bk_program_name(c->program)));
    STORE_TRY(store_priv_bind_text(st, 4, c->officer));
    STORE_TRY(sqlx_bind_int(st, 5, c->report_every_days));
    STORE_TRY(store_priv_bind_opt(st, 6, c->last_report));
    STORE_TRY(sqlx_bind_int(st, 7, c->active ? 1 : 0));
    STORE_TRY(store_priv_bind_text(st, 8, c->no));
    if ((e = store_priv_step_done(s, st, "client update"))) return e;
    return sqlx_changes(s->c) ? BK_OK : BK_ERR_NOT_FOUND;
}

bk_err store_client_set_last_report(store *s, const char *no, const char *day)
{
    static const char *const sql = "UPDATE clients SET last_report = ? WHERE no = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, day));
    STORE_TRY(store_priv_bind_text(st, 2, no));
    if ((e = store_priv_step_done(s, st, "client last report"))) return e;
    return sqlx_changes(s->c) ? BK_OK : BK_ERR_NOT_FOUND;
}

bk_err store_client_get(store *s, const char *no, store_client *out)
{
    static const char *const sql = "SELECT " CLIENT_COLS " FROM clients WHERE no = ?";
    /* A least-privilege login: what its role may see (db/pg/003_server_rules.sql). */
    static const char *const sql_seen = "SELECT " CLIENT_COLS " FROM bk_clients_seen WHERE no = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, s->clients_seen ? sql_seen : sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, no));
    if ((e = store_priv_step_row(s, st, "client"))) return e;
    e = read_client(s->c, st, out);
    sqlx_reset(st);
    return e;
}

bk_err store_client_list(store *s, store_client_cb cb, void *ud)
{
    static const char *const sql = "SELECT " CLIENT_COLS " FROM clients ORDER BY no";
    static const char *const sql_seen = "SELECT " CLIENT_COLS " FROM bk_clients_seen ORDER BY no";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, s->clients_seen ? sql_seen : sql, &st);
    if (e) return e;
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_client c;
        if ((e = read_client(s->c, st, &c)) || (e = cb(ud, &c))) {
            sqlx_reset(st);
            return e;
        }
    }
    if (rc != SQLX_DONE) e = sqlx_fail(s->c, "client list");
    sqlx_reset(st);
    return e;
}

bk_err store_client_no_chars(store *s, char *out)
{
    static const char *const sql = "SELECT no FROM clients";
    static const char *const sql_seen = "SELECT bk_client_no_chars()";
    out[0] = 0;
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, s->clients_seen ? sql_seen : sql, &st);
    if (e) return e;
    unsigned char seen[128] = {0};
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        char no[STORE_ID_SZ * 2];
        store_priv_col_text(st, 0, no, sizeof no);
        for (const unsigned char *p = (const unsigned char *)no; *p; p++)
            if (*p < 128 && !(*p >= '0' && *p <= '9')) seen[*p] = 1;
    }
    if (rc != SQLX_DONE) e = sqlx_fail(s->c, "client number characters");
    sqlx_reset(st);
    if (e) return e;
    size_t n = 0;
    /* only what a client number may hold (valid_client_no) */
    for (int c = 33; c < 127 && n + 1 < STORE_NO_CHARS_SZ; c++)
        if (seen[c] &&
            ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '/' || c == '-'))
            out[n++] = (char)c;
    out[n] = 0;
    return BK_OK;
}

bk_err store_verify_failures(store *s, const char *no, const char *day, int *count)
{
    static const char *const sql =
        "SELECT count FROM verify_failures WHERE client_no = ? AND office_day = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, no));
    STORE_TRY(store_priv_bind_text(st, 2, day));
    e = store_priv_step_row(s, st, "verify failures");
    if (e == BK_ERR_NOT_FOUND) {
        *count = 0;
        return BK_OK;
    }
    if (e) return e;
    *count = sqlx_col_int(st, 0);
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_verify_fail_add(store *s, const char *no, const char *day, int64_t at, int *count)
{
    static const char *const sql =
        "INSERT INTO verify_failures(client_no, office_day, count, last_at) VALUES (?, ?, 1, ?) "
        "ON CONFLICT(client_no, office_day) DO UPDATE SET count = verify_failures.count + 1, "
        "last_at = "
        "excluded.last_at";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, no));
    STORE_TRY(store_priv_bind_text(st, 2, day));
    STORE_TRY(store_priv_bind_time(st, 3, at));
    if ((e = store_priv_step_done(s, st, "verify fail add"))) return e;
    return store_verify_failures(s, no, day, count);
}

bk_err store_verify_failures_clear(store *s, const char *no)
{
    static const char *const sql = "DELETE FROM verify_failures WHERE client_no = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, no));
    return store_priv_step_done(s, st, "verify failures clear");
}

bk_err store_lock_get(store *s, const char *no, int *locked)
{
    static const char *const sql = "SELECT 1 FROM client_locks WHERE client_no = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, no));
    e = store_priv_step_row(s, st, "lock");
    if (e == BK_ERR_NOT_FOUND) {
        *locked = 0;
        return BK_OK;
    }
    if (e) return e;
    *locked = 1;
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_lock_list(store *s, store_lock_cb cb, void *ud)
{
    static const char *const sql =
        "SELECT client_no, locked_at FROM client_locks ORDER BY locked_at, client_no";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        char no[STORE_ID_SZ];
        store_priv_col_text(st, 0, no, sizeof no);
        if ((e = cb(ud, no, store_priv_col_time(st, 1)))) {
            sqlx_reset(st);
            return e;
        }
    }
    if (rc != SQLX_DONE) e = sqlx_fail(s->c, "lock list");
    sqlx_reset(st);
    return e;
}

bk_err store_lock_set(store *s, const char *no, int64_t at)
{
    static const char *const sql =
        "INSERT INTO client_locks(client_no, locked_at) VALUES (?, ?) ON CONFLICT DO NOTHING";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, no));
    STORE_TRY(store_priv_bind_time(st, 2, at));
    return store_priv_step_done(s, st, "lock set");
}

bk_err store_lock_clear(store *s, const char *no)
{
    static const char *const sql = "DELETE FROM client_locks WHERE client_no = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, no));
    return store_priv_step_done(s, st, "lock clear");
}

/* ---- tickets ----------------------------------------------------------- */

#define TICKET_COLS STORE_PRIV_TICKET_COLS
/* A ticket read's two texts: [0] on the table, [1] on bk_tickets_seen, the
 * view a PostgreSQL login that may not read the table reads (schema 8:
 * the same columns, personal ones masked by role; store.tickets_seen). */
#define TICKET_SQL(head, tail)                                                                     \
    {                                                                                              \
        head " tickets " tail, head " bk_tickets_seen " tail                                       \
    }

/* with_reason: the statement selected STORE_PRIV_TICKET_COLS (the reason is
 * column 23), else STORE_PRIV_TICKET_COLS_CALL (no reason: BK_REASON_NONE). */
static bk_err read_ticket_cols(sqlx *c, sqlx_stmt *st, store_ticket *t, int with_reason)
{
    char purpose[STORE_WORD_SZ], routed[STORE_WORD_SZ], status[STORE_WORD_SZ],
        outcome[STORE_WORD_SZ], reason[STORE_WORD_SZ] = "";
    memset(t, 0, sizeof *t);
    t->id = sqlx_col_int64(st, 0);
    store_priv_col_text(st, 1, t->day, sizeof t->day);
    store_priv_col_text(st, 2, t->code, sizeof t->code);
    t->seq = sqlx_col_int(st, 3);
    store_priv_col_text(st, 4, t->token, sizeof t->token);
    store_priv_col_text(st, 5, purpose, sizeof purpose);
    store_priv_col_text(st, 6, t->client_no, sizeof t->client_no);
    store_priv_col_text(st, 7, t->walkin_name, sizeof t->walkin_name);
    store_priv_col_text(st, 8, t->officer, sizeof t->officer);
    store_priv_col_text(st, 9, t->assigned, sizeof t->assigned);
    store_priv_col_text(st, 10, routed, sizeof routed);
    store_priv_col_text(st, 11, t->transferred_from, sizeof t->transferred_from);
    store_priv_col_text(st, 12, status, sizeof status);
    t->priority = sqlx_col_int(st, 13);
    t->calls = sqlx_col_int(st, 14);
    t->order_at = store_priv_col_time(st, 15);
    t->checkin_at = store_priv_col_time(st, 16);
    t->called_at = store_priv_col_time(st, 17);
    t->started_at = store_priv_col_time(st, 18);
    t->finished_at = store_priv_col_time(st, 19);
    store_priv_col_text(st, 20, t->served_by, sizeof t->served_by);
    store_priv_col_text(st, 21, outcome, sizeof outcome);
    t->last_call_at = store_priv_col_time(st, 22);
    if (with_reason) store_priv_col_text(st, 23, reason, sizeof reason);
    if (bk_reason_parse(reason, &t->reason)) return unknown_word(c, "ticket reason", reason);
    if (bk_purpose_parse(purpose, &t->purpose)) return unknown_word(c, "ticket purpose", purpose);
    if (bk_routing_parse(routed, &t->routed)) return unknown_word(c, "ticket routing", routed);
    if (bk_status_parse(status, &t->status)) return unknown_word(c, "ticket status", status);
    if (bk_outcome_parse(outcome, &t->outcome)) return unknown_word(c, "ticket outcome", outcome);
    return BK_OK;
}

static bk_err read_ticket(sqlx *c, sqlx_stmt *st, store_ticket *t)
{
    return read_ticket_cols(c, st, t, 1);
}

bk_err store_ticket_insert(store *s, store_ticket *t)
{
    static const char *const sql =
        "INSERT INTO tickets(office_day, letter, seq, code, token, purpose, client_no, "
        "walkin_name, officer_id, assigned_id, routed, transferred_from, status, priority, calls, "
        "order_at, checkin_at, called_at, started_at, finished_at, served_by, outcome, "
        "last_call_at, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "RETURNING id";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    char letter[2] = {t->code[0], 0};
    STORE_TRY(store_priv_bind_text(st, 1, t->day));
    STORE_TRY(store_priv_bind_text(st, 2, letter));
    STORE_TRY(sqlx_bind_int(st, 3, t->seq));
    STORE_TRY(store_priv_bind_text(st, 4, t->code));
    STORE_TRY(store_priv_bind_text(st, 5, t->token));
    STORE_TRY(store_priv_bind_text(st, 6, bk_purpose_name(t->purpose)));
    STORE_TRY(store_priv_bind_opt(st, 7, t->client_no));
    STORE_TRY(store_priv_bind_text(st, 8, t->walkin_name));
    STORE_TRY(store_priv_bind_opt(st, 9, t->officer));
    STORE_TRY(store_priv_bind_opt(st, 10, t->assigned));
    STORE_TRY(store_priv_bind_text(st, 11, bk_routing_name(t->routed)));
    STORE_TRY(store_priv_bind_opt(st, 12, t->transferred_from));
    STORE_TRY(store_priv_bind_text(st, 13, bk_status_name(t->status)));
    STORE_TRY(sqlx_bind_int(st, 14, t->priority));
    STORE_TRY(sqlx_bind_int(st, 15, t->calls));
    STORE_TRY(store_priv_bind_time(st, 16, t->order_at));
    STORE_TRY(store_priv_bind_time(st, 17, t->checkin_at));
    STORE_TRY(store_priv_bind_time(st, 18, t->called_at));
    STORE_TRY(store_priv_bind_time(st, 19, t->started_at));
    STORE_TRY(store_priv_bind_time(st, 20, t->finished_at));
    STORE_TRY(store_priv_bind_opt(st, 21, t->served_by));
    STORE_TRY(store_priv_bind_opt(st, 22, bk_outcome_name(t->outcome)));
    STORE_TRY(store_priv_bind_time(st, 23, t->last_call_at));
    STORE_TRY(store_priv_bind_text(st, 24, bk_reason_name(t->reason)));
    if ((e = store_priv_step_row(s, st, "ticket insert"))) return e;
    t->id = sqlx_col_int64(st, 0);
    sqlx_reset(st);
    /* the visit's first purpose (schema 9) */
    return store_ticket_purpose_add(s, t->id, t->purpose, t->checkin_at);
}

bk_err store_ticket_update(store *s, const store_ticket *t)
{
    static const char *const sql =
        "UPDATE tickets SET officer_id = ?, transferred_from = ?, status = ?, priority = ?, "
        "calls = ?, order_at = ?, called_at = ?, started_at = ?, finished_at = ?, served_by = ?, "
        "outcome = ?, last_call_at = ?, walkin_name = ? WHERE id = ?";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_opt(st, 1, t->officer));
    STORE_TRY(store_priv_bind_opt(st, 2, t->transferred_from));
    STORE_TRY(store_priv_bind_text(st, 3, bk_status_name(t->status)));
    STORE_TRY(sqlx_bind_int(st, 4, t->priority));
    STORE_TRY(sqlx_bind_int(st, 5, t->calls));
    STORE_TRY(store_priv_bind_time(st, 6, t->order_at));
    STORE_TRY(store_priv_bind_time(st, 7, t->called_at));
    STORE_TRY(store_priv_bind_time(st, 8, t->started_at));
    STORE_TRY(store_priv_bind_time(st, 9, t->finished_at));
    STORE_TRY(store_priv_bind_opt(st, 10, t->served_by));
    STORE_TRY(store_priv_bind_opt(st, 11, bk_outcome_name(t->outcome)));
    STORE_TRY(store_priv_bind_time(st, 12, t->last_call_at));
    STORE_TRY(store_priv_bind_text(st, 13, t->walkin_name));
    STORE_TRY(sqlx_bind_int64(st, 14, t->id));
    if ((e = store_priv_step_done(s, st, "ticket update"))) return e;
    return sqlx_changes(s->c) ? BK_OK : BK_ERR_NOT_FOUND;
}

bk_err store_ticket_close_stale(store *s, int64_t id, int64_t finished_at)
{
    static const char *const sql = "UPDATE tickets SET status = 'no_show', finished_at = ? "
                                   "WHERE id = ? AND status IN ('waiting', 'called', 'serving')";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_time(st, 1, finished_at));
    STORE_TRY(sqlx_bind_int64(st, 2, id));
    if ((e = store_priv_step_done(s, st, "ticket close stale"))) return e;
    return sqlx_changes(s->c) ? BK_OK : BK_ERR_NOT_FOUND;
}

static bk_err ticket_one(store *s, sqlx_stmt *st, store_ticket *out, const char *what)
{
    bk_err e = store_priv_step_row(s, st, what);
    if (e) return e;
    e = read_ticket(s->c, st, out);
    sqlx_reset(st);
    return e;
}

bk_err store_ticket_get(store *s, int64_t id, store_ticket *out)
{
    static const char *const sql[2] = TICKET_SQL("SELECT " TICKET_COLS " FROM", "WHERE id = ?");
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(sqlx_bind_int64(st, 1, id));
    return ticket_one(s, st, out, "ticket");
}

bk_err store_ticket_by_code(store *s, const char *day, const char *code, store_ticket *out)
{
    /* Codes are letter-seq; the (office_day, letter, seq) index finds them. */
    static const char *const sql[2] = TICKET_SQL("SELECT " TICKET_COLS " FROM",
                                                 "WHERE office_day = ? AND letter = ? AND seq = ?");
    char letter[2] = {code[0], 0};
    char *end = NULL;
    long seq = code[0] && code[1] == '-' ? strtol(code + 2, &end, 10) : -1;
    if (seq < 0 || !end || *end) {
        sqlx_errf(s->c, "ticket by code: not a code");
        return BK_ERR_NOT_FOUND;
    }
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, day));
    STORE_TRY(sqlx_bind_text_copy(st, 2, letter));
    STORE_TRY(sqlx_bind_int(st, 3, (int)seq));
    return ticket_one(s, st, out, "ticket by code");
}

bk_err store_ticket_by_token(store *s, const char *token, store_ticket *out)
{
    /* A login that may not read tokens: the owner's look-up (a slip scan). */
    static const char *const sql[2] = {"SELECT " TICKET_COLS " FROM tickets WHERE token = ?",
                                       "SELECT " TICKET_COLS " FROM bk_ticket_by_token(?)"};
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, token));
    return ticket_one(s, st, out, "ticket by token");
}

bk_err store_ticket_token(store *s, int64_t id, char out[STORE_TOKEN_SZ])
{
    static const char *const sql[2] = {"SELECT token FROM tickets WHERE id = ?",
                                       "SELECT token FROM (SELECT bk_slip_token(?) AS token) k "
                                       "WHERE token IS NOT NULL"};
    out[0] = 0;
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(sqlx_bind_int64(st, 1, id));
    if ((e = store_priv_step_row(s, st, "ticket token"))) return e;
    store_priv_col_text(st, 0, out, STORE_TOKEN_SZ);
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_ticket_find_open(store *s, const char *day, const char *client_no, bk_purpose purpose,
                              store_ticket *out)
{
    static const char *const sql[2] = TICKET_SQL(
        "SELECT " TICKET_COLS " FROM",
        "WHERE client_no = ? AND office_day = ? AND "
        "purpose = ? AND status IN ('waiting', 'called', 'serving') ORDER BY id LIMIT 1");
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, client_no));
    STORE_TRY(store_priv_bind_text(st, 2, day));
    STORE_TRY(store_priv_bind_text(st, 3, bk_purpose_name(purpose)));
    return ticket_one(s, st, out, "open ticket");
}

bk_err store_ticket_find_visit(store *s, const char *day, const char *client_no, store_ticket *out)
{
    static const char *const sql =
        "SELECT " TICKET_COLS " FROM tickets WHERE client_no = ? AND office_day = ? AND "
        "status IN ('waiting', 'called', 'serving') ORDER BY id LIMIT 1";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, client_no));
    STORE_TRY(store_priv_bind_text(st, 2, day));
    return ticket_one(s, st, out, "open visit");
}

bk_err store_ticket_reported(store *s, const char *day, const char *client_no, int *yes)
{
    static const char *const sql =
        "SELECT COUNT(*) FROM tickets t JOIN ticket_purposes p ON p.ticket_id = t.id "
        "WHERE t.client_no = ? AND t.office_day = ? AND t.status = 'done' AND p.purpose = "
        "'report'";
    sqlx_stmt *st = NULL;
    *yes = 0;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, client_no));
    STORE_TRY(store_priv_bind_text(st, 2, day));
    if ((e = store_priv_step_row(s, st, "reported today"))) return e;
    *yes = sqlx_col_int(st, 0) > 0;
    sqlx_reset(st);
    return BK_OK;
}

/* One purpose's bit from its stored name (0 for a name that is none). */
static unsigned purpose_bit(sqlx_stmt *st, int col, bk_purpose *p)
{
    char word[STORE_WORD_SZ];
    store_priv_col_text(st, col, word, sizeof word);
    if (bk_purpose_parse(word, p)) return 0;
    return 1u << *p;
}

bk_err store_ticket_purposes(store *s, int64_t id, unsigned *out)
{
    static const char *const sql = "SELECT purpose FROM ticket_purposes WHERE ticket_id = ?";
    sqlx_stmt *st = NULL;
    *out = 0;
    if (s->purposes_hidden) return BK_OK; /* the board: the first purpose only */
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(sqlx_bind_int64(st, 1, id));
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        bk_purpose p;
        unsigned bit = purpose_bit(st, 0, &p);
        if (!bit) {
            e = unknown_word(s->c, "visit purpose", sqlx_col_text(st, 0));
            sqlx_reset(st);
            return e;
        }
        *out |= bit;
    }
    e = rc == SQLX_DONE ? BK_OK : sqlx_fail(s->c, "visit purposes");
    sqlx_reset(st);
    return e;
}

bk_err store_ticket_purpose_add(store *s, int64_t id, bk_purpose p, int64_t at)
{
    static const char *const sql =
        "INSERT INTO ticket_purposes(ticket_id, purpose, added_at) VALUES (?, ?, ?)";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(sqlx_bind_int64(st, 1, id));
    STORE_TRY(store_priv_bind_text(st, 2, bk_purpose_name(p)));
    STORE_TRY(store_priv_bind_time(st, 3, at));
    return store_priv_step_done(s, st, "visit purpose add");
}

bk_err store_ticket_max_seq(store *s, const char *day, char letter, int *out)
{
    static const char *const sql[2] =
        TICKET_SQL("SELECT COALESCE(MAX(seq), 0) FROM", "WHERE office_day = ? AND letter = ?");
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->tickets_seen], &st);
    if (e) return e;
    char l[2] = {letter, 0};
    STORE_TRY(store_priv_bind_text(st, 1, day));
    STORE_TRY(sqlx_bind_text_copy(st, 2, l));
    if ((e = store_priv_step_row(s, st, "max seq"))) return e;
    *out = sqlx_col_int(st, 0);
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_ticket_ahead(store *s, const store_ticket *t, int *out)
{
    static const char *const sql[2] =
        TICKET_SQL("SELECT COUNT(*) FROM",
                   "WHERE office_day = ?1 AND officer_id IS NOT DISTINCT FROM ?2 AND "
                   "status = 'waiting' AND (priority > ?3 OR (priority = ?3 AND (order_at < ?4 OR "
                   "(order_at = ?4 AND id < ?5))))");
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, t->day));
    STORE_TRY(store_priv_bind_opt(st, 2, t->officer));
    STORE_TRY(sqlx_bind_int(st, 3, t->priority));
    STORE_TRY(store_priv_bind_time(st, 4, t->order_at));
    STORE_TRY(sqlx_bind_int64(st, 5, t->id));
    if ((e = store_priv_step_row(s, st, "ahead"))) return e;
    *out = sqlx_col_int(st, 0);
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_ticket_first_waiting(store *s, const char *day, const char *officer, store_ticket *out)
{
    static const char *const sql[2] =
        TICKET_SQL("SELECT " TICKET_COLS " FROM",
                   "WHERE office_day = ? AND officer_id IS NOT DISTINCT FROM ? AND "
                   "status = 'waiting' ORDER BY priority DESC, order_at, id LIMIT 1");
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, day));
    STORE_TRY(store_priv_bind_opt(st, 2, officer));
    return ticket_one(s, st, out, "first waiting");
}

static bk_err ticket_rows(store *s, sqlx_stmt *st, store_ticket_cb cb, void *ud, const char *what)
{
    int rc;
    bk_err e = BK_OK;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_ticket t;
        if ((e = read_ticket(s->c, st, &t)) || (e = cb(ud, &t))) {
            sqlx_reset(st);
            return e;
        }
    }
    if (rc != SQLX_DONE) e = sqlx_fail(s->c, what);
    sqlx_reset(st);
    return e;
}

#define STATUS_BIT                                                                                 \
    "(CASE status WHEN 'waiting' THEN 1 WHEN 'called' THEN 2 WHEN 'serving' THEN 4 "               \
    "WHEN 'done' THEN 8 WHEN 'no_show' THEN 16 ELSE 32 END)"
#define QUEUE_ORDER                                                                                \
    " ORDER BY CASE status WHEN 'serving' THEN 0 WHEN 'called' THEN 1 WHEN 'waiting' THEN 2 "      \
    "ELSE 3 END, priority DESC, order_at, id"

bk_err store_ticket_list(store *s, const char *day, const char *officer, unsigned status_mask,
                         store_ticket_cb cb, void *ud)
{
    static const char *const sql_all[2] =
        TICKET_SQL("SELECT " TICKET_COLS " FROM",
                   "WHERE office_day = ?1 AND " STATUS_BIT " & ?3 != 0" QUEUE_ORDER);
    static const char *const sql_one[2] =
        TICKET_SQL("SELECT " TICKET_COLS " FROM",
                   "WHERE office_day = ?1 AND officer_id IS NOT DISTINCT FROM ?2 "
                   "AND " STATUS_BIT " & ?3 != 0" QUEUE_ORDER);
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, (officer ? sql_one : sql_all)[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, day));
    if (officer) STORE_TRY(store_priv_bind_opt(st, 2, officer));
    STORE_TRY(sqlx_bind_int(st, 3, (int)status_mask));
    return ticket_rows(s, st, cb, ud, "ticket list");
}

bk_err store_ticket_purposes_day(store *s, const char *day, const char *officer,
                                 unsigned status_mask, store_purpose_cb cb, void *ud)
{
    /* Only the purposes that joined a visit (its first is tickets.purpose):
     * most visits have none, and the tickets are those store_ticket_list
     * reads, through the same index (office day, queue, status). */
#define PURPOSES_DAY_HEAD "SELECT p.ticket_id, p.purpose FROM ticket_purposes p JOIN"
#define PURPOSES_DAY_TAIL(queue)                                                                   \
    "t ON t.id = p.ticket_id WHERE t.office_day = ?1" queue " AND (CASE t.status WHEN "            \
    "'waiting' THEN 1 WHEN 'called' THEN 2 WHEN 'serving' THEN 4 WHEN 'done' THEN 8 WHEN "         \
    "'no_show' THEN 16 ELSE 32 END) & ?3 != 0 AND p.purpose <> t.purpose ORDER BY p.ticket_id"
    static const char *const sql_all[2] = TICKET_SQL(PURPOSES_DAY_HEAD, PURPOSES_DAY_TAIL(""));
    static const char *const sql_one[2] = TICKET_SQL(
        PURPOSES_DAY_HEAD, PURPOSES_DAY_TAIL(" AND t.officer_id IS NOT DISTINCT FROM ?2"));
#undef PURPOSES_DAY_HEAD
#undef PURPOSES_DAY_TAIL
    if (s->purposes_hidden) return BK_OK;
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, (officer ? sql_one : sql_all)[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, day));
    if (officer) STORE_TRY(store_priv_bind_opt(st, 2, officer));
    STORE_TRY(sqlx_bind_int(st, 3, (int)status_mask));
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        bk_purpose p;
        if (!purpose_bit(st, 1, &p)) {
            e = unknown_word(s->c, "visit purpose", sqlx_col_text(st, 1));
            sqlx_reset(st);
            return e;
        }
        if ((e = cb(ud, sqlx_col_int64(st, 0), p))) {
            sqlx_reset(st);
            return e;
        }
    }
    e = rc == SQLX_DONE ? BK_OK : sqlx_fail(s->c, "visit purposes of the day");
    sqlx_reset(st);
    return e;
}

bk_err store_ticket_list_stale(store *s, const char *day, store_ticket_cb cb, void *ud)
{
    static const char *const sql[2] = TICKET_SQL(
        "SELECT " TICKET_COLS " FROM",
        "WHERE status IN ('waiting', 'called', 'serving') AND office_day < ? ORDER BY id");
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, day));
    return ticket_rows(s, st, cb, ud, "stale tickets");
}

bk_err store_ticket_recent_calls(store *s, const char *day, int max, store_ticket_cb cb, void *ud)
{
    static const char *const sql[2] = TICKET_SQL(
        "SELECT " TICKET_COLS " FROM", "WHERE office_day = ? AND last_call_at IS NOT NULL "
                                       "ORDER BY last_call_at DESC, id DESC LIMIT ?");
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->tickets_seen], &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, day));
    STORE_TRY(sqlx_bind_int(st, 2, max));
    return ticket_rows(s, st, cb, ud, "recent calls");
}

bk_err store_service_seconds(store *s, const char *officer, bk_purpose purpose, int *out, int max,
                             int *n)
{
#define SERVICE_WHERE                                                                              \
    " WHERE officer_id = ? AND purpose = ? AND status = 'done' "                                   \
    "AND started_at IS NOT NULL AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?"
    static const char *const sql = "SELECT CAST(strftime('%s', finished_at) - strftime('%s', "
                                   "started_at) AS INTEGER) FROM tickets" SERVICE_WHERE;
#define SERVICE_PG                                                                                 \
    "SELECT CAST(EXTRACT(EPOCH FROM CAST(finished_at AS "                                          \
    "TIMESTAMPTZ) - CAST(started_at AS TIMESTAMPTZ)) AS INTEGER) FROM"
    static const char *const sql_pg[2] = TICKET_SQL(SERVICE_PG, SERVICE_WHERE);
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sqlx_kind(s->c) == SQLX_PG ? sql_pg[s->tickets_seen] : sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, officer));
    STORE_TRY(store_priv_bind_text(st, 2, bk_purpose_name(purpose)));
    STORE_TRY(sqlx_bind_int(st, 3, max));
    int rc, k = 0;
    while ((rc = sqlx_step(st)) == SQLX_ROW && k < max)
        out[k++] = sqlx_col_int(st, 0);
    if (rc == SQLX_ERROR) e = sqlx_fail(s->c, "service seconds");
    sqlx_reset(st);
    *n = k;
    return e;
}

/* ---- audit ------------------------------------------------------------- */

bk_err store_audit_add(store *s, int64_t at, const char *actor, const char *action,
                       int64_t ticket_id, const char *client_no, const char *detail)
{
    static const char *const sql = "INSERT INTO audit(at, actor, action, ticket_id, client_no, "
                                   "detail) VALUES (?, ?, ?, ?, ?, ?)";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_time(st, 1, at));
    STORE_TRY(store_priv_bind_text(st, 2, actor ? actor : ""));
    STORE_TRY(store_priv_bind_text(st, 3, action));
    STORE_TRY(ticket_id ? sqlx_bind_int64(st, 4, ticket_id) : sqlx_bind_null(st, 4));
    STORE_TRY(store_priv_bind_opt(st, 5, client_no));
    STORE_TRY(store_priv_bind_text(st, 6, detail ? detail : ""));
    return store_priv_step_done(s, st, "audit");
}

bk_err store_audit_device(store *s, int64_t at, const char *actor, const char *action,
                          int64_t ticket_id, const char *detail)
{
    if (!store_server_rules(s)) return store_audit_add(s, at, actor, action, ticket_id, "", detail);
    static const char *const sql = "SELECT bk_act_print(?, ?, ?, ?)";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_time(st, 1, at));
    STORE_TRY(store_priv_bind_text(st, 2, action));
    STORE_TRY(sqlx_bind_int64(st, 3, ticket_id));
    STORE_TRY(store_priv_bind_text(st, 4, detail ? detail : ""));
    if ((e = store_priv_step_row(s, st, "device audit"))) return e;
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_audit_list(store *s, int64_t ticket_id, int64_t from, int64_t to, store_audit_cb cb,
                        void *ud)
{
    /* [1]: a PostgreSQL login that may not read the table (reception,
     * schema 8) reads bk_audit_seen: the same rows, no wrong-date counts. */
#define AUDIT_SQL(from)                                                                            \
    "SELECT id, at, actor, action, ticket_id, client_no, detail FROM " from                        \
    " WHERE (?1 = 0 OR ticket_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR at >= ?2) "                \
    "AND (CAST(?3 AS TEXT) IS NULL OR at < ?3) ORDER BY id"
    static const char *const sql[2] = {AUDIT_SQL("audit"), AUDIT_SQL("bk_audit_seen")};
#undef AUDIT_SQL
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql[s->audit_seen], &st);
    if (e) return e;
    STORE_TRY(sqlx_bind_int64(st, 1, ticket_id));
    STORE_TRY(store_priv_bind_time(st, 2, from));
    STORE_TRY(store_priv_bind_time(st, 3, to));
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_audit_row a;
        a.id = sqlx_col_int64(st, 0);
        a.at = store_priv_col_time(st, 1);
        store_priv_col_text(st, 2, a.actor, sizeof a.actor);
        store_priv_col_text(st, 3, a.action, sizeof a.action);
        a.ticket_id = sqlx_col_int64(st, 4);
        store_priv_col_text(st, 5, a.client_no, sizeof a.client_no);
        store_priv_col_text(st, 6, a.detail, sizeof a.detail);
        if ((e = cb(ud, &a))) {
            sqlx_reset(st);
            return e;
        }
    }
    if (rc != SQLX_DONE) e = sqlx_fail(s->c, "audit list");
    sqlx_reset(st);
    return e;
}

/* ---- the queue's writes as the server's functions ------------------------ */

int store_server_rules(const store *s)
{
    return sqlx_kind(s->c) == SQLX_PG;
}

#define CALL_COLS                                                                                  \
    "SELECT " STORE_PRIV_TICKET_COLS_CALL                                                          \
    ", result, attempts_left, officer_name, officer_room, officer_active, "                        \
    "position, eta_minutes, n FROM "

static const struct {
    const char *word;
    bk_err e;
} call_results[] = {
    {"ok", BK_OK},
    {"existing", BK_OK},
    {"joined", BK_OK}, /* check-in: existing, and the purpose joined the visit (schema 9) */
    {"reported", BK_ERR_REPORTED},
    {"locked", BK_ERR_LOCKED},
    {"not_found", BK_ERR_NOT_FOUND},
    {"wrong_birth", BK_ERR_WRONG_BIRTH},
    {"ended", BK_ERR_ENDED},
    {"state", BK_ERR_STATE},
    {"exists", BK_ERR_EXISTS},
    {"invalid", BK_ERR_INVALID},
};

void store_set_actor(store *s, const char *actor)
{
    s->actor_set = 1;
    snprintf(s->actor, sizeof s->actor, "%s", actor ? actor : "");
}

/* The actor for the server's bk_audit (PostgreSQL schema 12): a session
 * setting, sent before every call, so a reconnect cannot lose it. */
static bk_err send_actor(store *s)
{
    static const char *const sql = "SELECT set_config('bapas.actor', ?, false)";
    sqlx_stmt *st = NULL;
    bk_err e = prep(s, sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, s->actor));
    e = store_priv_step_row(s, st, "set actor");
    sqlx_reset(st);
    return e;
}

bk_err store_call(store *s, store_call_kind kind, const store_call_in *in, store_call_out *out)
{
    static const char *const sql[] = {
        [STORE_CALL_CHECKIN] = CALL_COLS "bk_act_checkin(?, ?, ?, ?, ?, ?, ?)",
        [STORE_CALL_WALKIN] = CALL_COLS "bk_act_walkin(?, ?, ?, ?, ?)",
        [STORE_CALL_CALL_NEXT] = CALL_COLS "bk_act_call_next(?, ?, ?, ?)",
        [STORE_CALL_TICKET] = CALL_COLS "bk_act_ticket(?, ?, ?, ?, ?, ?, ?)",
        [STORE_CALL_PRESENCE] = CALL_COLS "bk_act_presence(?, ?, ?, ?, ?, ?)",
        [STORE_CALL_UNLOCK] = CALL_COLS "bk_act_unlock(?, ?, ?)",
        [STORE_CALL_CLOSE_STALE] = CALL_COLS "bk_act_close_stale(?, ?)",
        [STORE_CALL_BULK_MOVE] = CALL_COLS "bk_act_bulk_move(?, ?, ?, ?)",
        [STORE_CALL_VERIFY] = CALL_COLS "bk_act_verify(?, ?, ?, ?, ?)",
        [STORE_CALL_NO_NUMBER] = CALL_COLS "bk_act_no_number(?, ?, ?)",
        [STORE_CALL_ANSWERS] = CALL_COLS "bk_act_answers(?, ?, ?, ?)",
    };
    memset(out, 0, sizeof *out);
    out->position = out->eta_minutes = -1;
    if (!store_server_rules(s) || (unsigned)kind >= sizeof sql / sizeof sql[0]) {
        sqlx_errf(s->c, "store_call: not on this database");
        return BK_ERR_STATE;
    }
    bk_err e;
    if (s->actor_set && (e = send_actor(s))) return e;
    sqlx_stmt *st = NULL;
    e = prep(s, sql[kind], &st);
    if (e) return e;
#define OPT(v) ((v) ? (v) : "")
    int i = 1;
    STORE_TRY(store_priv_bind_text(st, i++, OPT(in->key)));
    STORE_TRY(store_priv_bind_time(st, i++, in->now));
    switch (kind) {
    case STORE_CALL_CHECKIN:
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->client_no)));
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->birth)));
        STORE_TRY(store_priv_bind_text(st, i++, bk_purpose_name(in->purpose)));
        STORE_TRY(sqlx_bind_int(st, i++, in->lockout_limit));
        break;
    case STORE_CALL_WALKIN:
        STORE_TRY(store_priv_bind_text(st, i++, bk_purpose_name(in->purpose)));
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->name)));
        break;
    case STORE_CALL_CALL_NEXT:
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->officer)));
        break;
    case STORE_CALL_TICKET:
        STORE_TRY(sqlx_bind_int64(st, i++, in->ticket_id));
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->action)));
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->arg)));
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->reason)));
        break;
    case STORE_CALL_PRESENCE:
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->day)));
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->officer)));
        STORE_TRY(store_priv_bind_text(st, i++, bk_presence_name(in->presence)));
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->substitute)));
        break;
    case STORE_CALL_UNLOCK:
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->client_no)));
        break;
    case STORE_CALL_CLOSE_STALE:
        break;
    case STORE_CALL_VERIFY:
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->client_no)));
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->birth)));
        STORE_TRY(sqlx_bind_int(st, i++, in->lockout_limit));
        break;
    case STORE_CALL_ANSWERS:
        STORE_TRY(sqlx_bind_int64(st, i++, in->ticket_id));
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->arg)));
        break;
    case STORE_CALL_BULK_MOVE:
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->officer)));
        STORE_TRY(store_priv_bind_text(st, i++, OPT(in->arg)));
        break;
    case STORE_CALL_NO_NUMBER:
        break;
    }
#undef OPT
    if (kind == STORE_CALL_CHECKIN || kind == STORE_CALL_WALKIN || kind == STORE_CALL_CALL_NEXT ||
        kind == STORE_CALL_TICKET || kind == STORE_CALL_NO_NUMBER)
        STORE_TRY(sqlx_bind_int(st, i++, in->service_min));
    if ((e = store_priv_step_row(s, st, "server action"))) return e;
    char word[STORE_WORD_SZ];
    store_priv_col_text(st, 23, word, sizeof word);
    e = BK_ERR_INTERNAL;
    for (size_t k = 0; k < sizeof call_results / sizeof call_results[0]; k++)
        if (strcmp(word, call_results[k].word) == 0) e = call_results[k].e;
    if (e == BK_ERR_INTERNAL) {
        sqlx_reset(st);
        return unknown_word(s->c, "server action result", word);
    }
    out->joined = strcmp(word, "joined") == 0;
    out->existing = out->joined || strcmp(word, "existing") == 0;
    out->attempts_left = sqlx_col_int(st, 24);
    out->n = sqlx_col_int(st, 30);
    if (!sqlx_col_is_null(st, 0)) {
        bk_err r = read_ticket_cols(s->c, st, &out->t, 0);
        if (r) {
            sqlx_reset(st);
            return r;
        }
        out->has_ticket = 1;
        /* a check-in's n: the visit's purposes (bk_purpose_bits, schema 9) */
        if (kind == STORE_CALL_CHECKIN) out->t.purposes = (unsigned)out->n | 1u << out->t.purpose;
        /* the function makes only tickets of this reason */
        if (kind == STORE_CALL_NO_NUMBER) out->t.reason = BK_REASON_NO_NUMBER;
        if (!sqlx_col_is_null(st, 25)) {
            out->has_officer = 1;
            snprintf(out->officer.id, sizeof out->officer.id, "%s", out->t.officer);
            store_priv_col_text(st, 25, out->officer.name, sizeof out->officer.name);
            store_priv_col_text(st, 26, out->officer.room, sizeof out->officer.room);
            out->officer.active = sqlx_col_int(st, 27);
        }
        if (!sqlx_col_is_null(st, 28)) {
            out->position = sqlx_col_int(st, 28);
            out->eta_minutes = sqlx_col_int(st, 29);
        }
    }
    sqlx_reset(st);
    if (e) sqlx_errf(s->c, "refused by the rules: %s", word);
    return e;
}

/* ---- maintenance ------------------------------------------------------- */

bk_err store_checkpoint(store *s, int *wal_pages)
{
    return sqlx_checkpoint(s->c, wal_pages);
}

/* One text value from a one-row query (NULL -> ""); BK_ERR_INTERNAL if no row. */
static bk_err one_text(store *s, const char *sql, char *out, size_t outsz)
{
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prepare(s->c, sql, &st);
    if (e) return e;
    int rc = sqlx_step(st);
    if (rc == SQLX_ROW) {
        store_priv_col_text(st, 0, out, outsz);
    } else {
        e = rc == SQLX_ERROR ? sqlx_fail(s->c, "check") : BK_ERR_INTERNAL;
        if (rc != SQLX_ERROR) sqlx_errf(s->c, "check: no answer");
    }
    sqlx_finalize(st);
    return e;
}

/* PostgreSQL: what the store can see wrong from the catalogs (store.h). */
static bk_err check_pg(store *s, int *ok, char *msg, size_t msgsz)
{
    char bad[512] = "";
    bk_err e = one_text(s,
                        "SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_index i "
                        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = "
                        "c.relnamespace WHERE n.nspname = current_schema() AND NOT (i.indisvalid "
                        "AND i.indisready)",
                        bad, sizeof bad);
    if (e) return e;
    if (bad[0]) {
        *ok = 0;
        if (msg) snprintf(msg, msgsz, "invalid index(es): %s (rebuild: REINDEX INDEX name)", bad);
        return BK_OK;
    }
    if ((e = one_text(s,
                      "SELECT string_agg(c.conname, ', ' ORDER BY c.conname) FROM pg_constraint "
                      "c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = "
                      "current_schema() AND NOT c.convalidated",
                      bad, sizeof bad)))
        return e;
    if (bad[0]) {
        *ok = 0;
        if (msg) snprintf(msg, msgsz, "constraint(s) not validated: %s", bad);
        return BK_OK;
    }
    char n[32] = "";
    if ((e = one_text(s,
                      "SELECT COUNT(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                      "current_schema() AND c.relname = 'audit' AND t.tgname IN "
                      "('audit_no_update', 'audit_no_delete', 'audit_no_truncate') AND "
                      "t.tgenabled <> 'D'",
                      n, sizeof n)))
        return e;
    if (strcmp(n, "3") != 0) {
        *ok = 0;
        if (msg)
            snprintf(msg, msgsz,
                     "the audit table's append-only triggers are missing or disabled (%s of 3 "
                     "in force): the audit trail can be changed",
                     n);
        return BK_OK;
    }
    *ok = 1;
    if (msg) snprintf(msg, msgsz, "ok");
    return BK_OK;
}

bk_err store_check(store *s, int full, int *ok, char *msg, size_t msgsz)
{
    sqlx_stmt *st = NULL;
    /* PostgreSQL checks its own pages (data checksums, pg_amcheck are the
     * administrator's); the store looks at what its catalogs show. */
    if (sqlx_kind(s->c) == SQLX_PG) return check_pg(s, ok, msg, msgsz);
    const char *sql = full ? "PRAGMA integrity_check" : "PRAGMA quick_check";
    bk_err e = sqlx_prepare(s->c, sql, &st);
    if (e) return e;
    int rc = sqlx_step(st);
    if (rc != SQLX_ROW) {
        e = rc == SQLX_ERROR ? sqlx_fail(s->c, "check") : BK_ERR_INTERNAL;
        if (rc != SQLX_ERROR) sqlx_errf(s->c, "check: no answer");
        sqlx_finalize(st);
        return e;
    }
    const char *v = sqlx_col_text(st, 0);
    *ok = v && strcmp(v, "ok") == 0;
    if (msg) snprintf(msg, msgsz, "%s", v ? v : "");
    sqlx_finalize(st);
    return BK_OK;
}

/* Append name to a comma-separated list in out. */
static void list_add(char *out, size_t outsz, const char *name)
{
    size_t len = strlen(out);
    if (len + 1 < outsz) snprintf(out + len, outsz - len, "%s%s", len ? ", " : "", name);
}

bk_err store_views_check(store *s, char *missing, size_t missingsz, char *denied, size_t deniedsz)
{
    static const char *const sql[] = {"SELECT * FROM v_queue_today WHERE 1 = 0",
                                      "SELECT * FROM v_visits WHERE 1 = 0",
                                      "SELECT * FROM v_officer_presence WHERE 1 = 0"};
    static const char *const names[] = {"v_queue_today", "v_visits", "v_officer_presence"};
    if (s->in_tx) {
        /* On PostgreSQL a failed statement would spoil the transaction. */
        sqlx_errf(s->c, "views check inside a transaction");
        return BK_ERR_INTERNAL;
    }
    if (missingsz) missing[0] = 0;
    if (deniedsz) denied[0] = 0;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlx_stmt *st = NULL;
        int rc = SQLX_ERROR;
        bk_err e = sqlx_prepare(s->c, sql[i], &st);
        if (!e && (rc = sqlx_step(st)) == SQLX_ERROR) e = sqlx_fail(s->c, names[i]);
        sqlx_finalize(st);
        if (e == BK_ERR_NOMEM || e == BK_ERR_IO || e == BK_ERR_BUSY)
            return e; /* the connection, not the view */
        if (!e && rc == SQLX_DONE) continue;
        if (e == BK_ERR_DENIED)
            list_add(denied, deniedsz, names[i]);
        else
            list_add(missing, missingsz, names[i]);
    }
    return BK_OK;
}
