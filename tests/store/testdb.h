/* testdb.h — helpers shared by the store/queue tests: a fresh database file
 * in a temporary directory with a small office. Header-only (static inline
 * functions) so each test program stays one file.
 *
 * With BK_TEST_DB_URI set (a libpq URI, see pg_cluster.sh) the database is a
 * fresh schema on that PostgreSQL server instead (t->path is then its URI,
 * t->pg_schema its name); t->dir is still a temporary directory for files. */
#ifndef BK_TESTDB_H
#define BK_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "otime.h"
#include "queue.h"
#include "store.h"

typedef struct testdb {
    char dir[256];
    char path[300];
    char pg_schema[48]; /* "" = SQLite */
    store *st;
    queue_ctx q;
} testdb;

/* 2026-12-07 09:00 WIB (a Monday) */
#define TESTDB_MONDAY_0900 1796608800LL

static inline void testdb_die(const char *what, bk_err e, store *s)
{
    fprintf(stderr, "testdb: %s failed: %s (%s)\n", what, bk_err_name(e), s ? store_errmsg(s) : "");
    abort();
}

/* 1 when the tests run against PostgreSQL (BK_TEST_DB_URI). */
static inline int testdb_is_pg(void)
{
    const char *u = getenv("BK_TEST_DB_URI");
    return u && *u;
}

static inline void testdb_open_at(testdb *t, const char *path)
{
    store_opts o = {.utc_offset_min = 420, .sync_normal = 1, .create = 1};
    char err[256];
    bk_err e = store_open(path, &o, &t->st, err, sizeof err);
    if (e) {
        fprintf(stderr, "open %s: %s\n", path, err);
        abort();
    }
    /* PostgreSQL runs the rules on the server, with the server's clock unless
     * the owner lets it take the caller's (db/pg/003_server_rules.sql): the
     * tests pin their instants (fixed_now). */
    char clock[16] = "";
    if (testdb_is_pg() &&
        (store_setting_get(t->st, "clock", clock, sizeof clock) || strcmp(clock, "client"))) {
        e = store_begin(t->st, STORE_TX_WRITE);
        if (!e) e = store_setting_set(t->st, "clock", "client");
        if (!e) e = store_commit(t->st);
        if (e) {
            fprintf(stderr, "set clock=client on %s: %s\n", path, store_errmsg(t->st));
            abort();
        }
    }
    memset(&t->q, 0, sizeof t->q);
    t->q.st = t->st;
    t->q.utc_offset_min = 420;
    t->q.actor = "test";
    t->q.fixed_now = TESTDB_MONDAY_0900;
}

static inline void testdb_officer(testdb *t, const char *id, const char *name, const char *room)
{
    store_officer o = {.active = 1};
    snprintf(o.id, sizeof o.id, "%s", id);
    snprintf(o.name, sizeof o.name, "%s", name);
    snprintf(o.room, sizeof o.room, "%s", room);
    bk_err e = store_begin(t->st, STORE_TX_WRITE);
    if (!e) e = store_officer_insert(t->st, &o);
    if (!e) e = store_commit(t->st);
    if (e) testdb_die("officer insert", e, t->st);
}

static inline void testdb_client(testdb *t, const char *no, const char *birth, const char *officer)
{
    store_client c = {.active = 1, .report_every_days = 30};
    snprintf(c.no, sizeof c.no, "%s", no);
    snprintf(c.name, sizeof c.name, "Klien %s", no);
    snprintf(c.birth, sizeof c.birth, "%s", birth);
    c.program = BK_PROGRAM_PB;
    snprintf(c.officer, sizeof c.officer, "%s", officer);
    bk_err e = store_begin(t->st, STORE_TX_WRITE);
    if (!e) e = store_client_insert(t->st, &c);
    if (!e) e = store_commit(t->st);
    if (e) testdb_die("client insert", e, t->st);
}

/* Run one SQL command on the test server (admin connection). */
static inline void testdb_pg_admin(const char *sql)
{
    PGconn *c = PQconnectdb(getenv("BK_TEST_DB_URI"));
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "testdb: connect: %s", PQerrorMessage(c));
        abort();
    }
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(c));
        abort();
    }
    PQclear(r);
    PQfinish(c);
}

/* A fresh, empty database target into out: dir/name (a SQLite file), or,
 * with BK_TEST_DB_URI set, a new schema on that server (its URI selects
 * the schema by search_path); the schema's name goes to schema ("" for
 * SQLite). Remove it with testdb_target_drop(schema). */
static inline void testdb_target(const char *dir, const char *name, char *out, size_t outsz,
                                 char *schema, size_t schemasz)
{
    if (!testdb_is_pg()) {
        snprintf(out, outsz, "%s/%s", dir, name);
        if (schemasz) schema[0] = 0;
        return;
    }
    static unsigned serial;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    snprintf(schema, schemasz, "t_%ld_%lld_%ld_%u", (long)getpid(), (long long)ts.tv_sec,
             ts.tv_nsec, serial++);
    char sql[96];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
    testdb_pg_admin(sql);
    const char *base = getenv("BK_TEST_DB_URI");
    int n = snprintf(out, outsz, "%s%soptions=-csearch_path%%3D%s", base,
                     strchr(base, '?') ? "&" : "?", schema);
    if (n < 0 || (size_t)n >= outsz) {
        fprintf(stderr, "testdb: URI too long\n");
        abort();
    }
}

static inline void testdb_target_drop(const char *schema)
{
    if (!schema || !schema[0]) return;
    char sql[96];
    snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", schema);
    testdb_pg_admin(sql);
}

/* A fresh, empty database location in t->path: a file in t->dir, or a new
 * schema on the PostgreSQL test server. */
static inline void testdb_location(testdb *t)
{
    testdb_target(t->dir, "test.db", t->path, sizeof t->path, t->pg_schema, sizeof t->pg_schema);
}

/* A new database with officers PK1..PK3 and clients C1 (PK1), C2 (PK2), C3 (PK3),
 * C4 (PK1), all born 1990-01-0N. */
static inline void testdb_create(testdb *t)
{
    memset(t, 0, sizeof *t);
    const char *tmp = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/bktest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(t->dir)) {
        perror("mkdtemp");
        abort();
    }
    testdb_location(t);
    testdb_open_at(t, t->path);
    testdb_officer(t, "PK1", "Officer One", "Room 1");
    testdb_officer(t, "PK2", "Officer Two", "Room 2");
    testdb_officer(t, "PK3", "Officer Three", "Room 3");
    testdb_client(t, "C1", "1990-01-01", "PK1");
    testdb_client(t, "C2", "1990-01-02", "PK2");
    testdb_client(t, "C3", "1990-01-03", "PK3");
    testdb_client(t, "C4", "1990-01-04", "PK1");
}

static inline void testdb_destroy(testdb *t)
{
    store_close(t->st);
    t->st = NULL;
    testdb_target_drop(t->pg_schema);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    if (system(cmd) != 0) fprintf(stderr, "testdb: could not remove %s\n", t->dir);
}

/* Count rows with a one-column integer query via the audit list (no SQL in tests). */
static inline bk_err testdb_count_audit_cb(void *ud, const store_audit_row *a)
{
    (void)a;
    (*(int *)ud)++;
    return BK_OK;
}

static inline int testdb_audit_rows(testdb *t)
{
    int n = 0;
    bk_err e = store_audit_list(t->st, 0, 0, 0, testdb_count_audit_cb, &n);
    if (e) testdb_die("audit list", e, t->st);
    return n;
}

#endif
