/* test_backup.c — online backup while writer processes run.
 *
 * Three writer processes keep committing (two check in walk-ins: a ticket
 * and its audit row in one transaction; one bumps two settings together in
 * one transaction). Meanwhile backups are taken through the API and through
 * `bapasctl backup`. Each copy must be one consistent snapshot: integrity_check
 * "ok", no foreign-key violations, every ticket with its audit row, the two
 * settings equal. "Restoring" a copy (copying it into place and opening it as
 * the kiosk would) must give the same integrity_check and the same row count
 * in every table. After the writers stop, a last copy must match the live
 * database's row counts exactly. Plain C: it forks real processes.
 *
 * On PostgreSQL (BK_TEST_DB_URI, see pg_cluster.sh) the same run takes
 * pg_dump archives instead: each is restored with pg_restore into a fresh
 * database, which must hold exactly the row counts the backup reported
 * (counted in the snapshot pg_dump dumped) and be consistent; the URI's
 * password reaches pg_dump only through its environment; a missing or
 * failing pg_dump is reported clearly. And `bapasctl doctor` on a server:
 * healthy, a damaged audit trail, unreachable servers (password never
 * shown). */
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sqlread.h"
#include "store_data.h"
#include "testdb.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "test_backup: %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);  \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static char stop_path[400];

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int stopped(void)
{
    return access(stop_path, F_OK) == 0;
}

/* A writer process: kind 0 = walk-in check-ins, 1 = paired settings. */
static int writer(const char *path, int kind, int id)
{
    store *s = NULL;
    store_opts o = {.utc_offset_min = 420, .busy_timeout_ms = 10000, .create = 1};
    char err[256];
    if (store_open(path, &o, &s, err, sizeof err)) {
        fprintf(stderr, "writer %d: %s\n", id, err);
        return 2;
    }
    queue_ctx q = {.st = s, .utc_offset_min = 420, .actor = "writer"};
    long n = 0;
    double t0 = wall();
    while (!stopped() && wall() - t0 < 60) {
        bk_err e;
        if (kind == 0) {
            queue_view v;
            e = queue_walkin(&q, id == 0 ? BK_PURPOSE_OTHER : BK_PURPOSE_LITMAS, NULL, &v);
        } else {
            char val[32];
            snprintf(val, sizeof val, "%ld", n);
            e = store_begin(s, STORE_TX_WRITE);
            if (!e) e = store_setting_set(s, "bk_test_a", val);
            if (!e) e = store_setting_set(s, "bk_test_b", val);
            if (!e) e = store_commit(s);
            if (e) store_rollback(s);
        }
        if (e) {
            fprintf(stderr, "writer %d: %s (%s)\n", id, bk_err_name(e), store_errmsg(s));
            store_close(s);
            return 3;
        }
        n++;
        /* A pause between transactions, as real kiosks and desks leave: a
         * writer that retakes the lock at once would starve the others. */
        usleep(kind == 0 ? 1000 : 2000);
    }
    store_close(s);
    fprintf(stderr, "writer %d: %ld transactions\n", id, n);
    return 0;
}

typedef struct counts {
    char name[STORE_DATA_BACKUP_TABLES][32];
    int64_t rows[STORE_DATA_BACKUP_TABLES];
    int n;
} counts;

static bk_err add_count(void *ud, const char *table, int64_t rows)
{
    counts *c = ud;
    if (c->n >= STORE_DATA_BACKUP_TABLES) return BK_ERR_INTERNAL;
    snprintf(c->name[c->n], sizeof c->name[0], "%s", table);
    c->rows[c->n++] = rows;
    return BK_OK;
}

static void counts_of_store(store *s, counts *c)
{
    memset(c, 0, sizeof *c);
    CHECK(store_data_table_counts(s, add_count, c) == BK_OK);
}

static int counts_equal(const counts *a, const counts *b)
{
    if (a->n != b->n) return 0;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->name[i], b->name[i]) || a->rows[i] != b->rows[i]) {
            fprintf(stderr, "  %s: %lld vs %s: %lld\n", a->name[i], (long long)a->rows[i],
                    b->name[i], (long long)b->rows[i]);
            return 0;
        }
    return 1;
}

static int64_t count_of(const counts *c, const char *table)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->name[i], table) == 0) return c->rows[i];
    return -1;
}

static void one_text(sqlite3 *db, const char *sql, char *out, size_t outsz)
{
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
    out[0] = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
    CHECK(rc == SQLITE_ROW || rc == SQLITE_DONE);
    sqlite3_finalize(st);
}

/* Check one copy; fill its integrity_check text and row counts. */
static void check_copy(const char *path, char *integrity, size_t isz, counts *c)
{
    struct stat sb;
    char side[600];
    snprintf(side, sizeof side, "%s-wal", path);
    CHECK(stat(side, &sb) != 0); /* one self-contained file */
    FILE *f = fopen(path, "rb");
    unsigned char hdr[100];
    CHECK(f && fread(hdr, 1, 100, f) == 100);
    fclose(f);
    CHECK(hdr[18] == 1 && hdr[19] == 1); /* rollback journal, not WAL */

    sqlite3 *db = NULL;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    one_text(db, "PRAGMA integrity_check", integrity, isz);
    CHECK(strcmp(integrity, "ok") == 0);
    char buf[256];
    one_text(db, "SELECT COUNT(*) FROM pragma_foreign_key_check", buf, sizeof buf);
    CHECK(strcmp(buf, "0") == 0);
    one_text(db,
             "SELECT COUNT(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE "
             "a.ticket_id = t.id)",
             buf, sizeof buf);
    CHECK(strcmp(buf, "0") == 0);
    one_text(db,
             "SELECT (SELECT value FROM settings WHERE key = 'bk_test_a') IS (SELECT value FROM "
             "settings WHERE key = 'bk_test_b')",
             buf, sizeof buf);
    CHECK(strcmp(buf, "1") == 0);
    sqlite3_close(db);

    store *s = NULL;
    store_opts ro = {.read_only = 1};
    char err[256];
    CHECK(store_open(path, &ro, &s, err, sizeof err) == BK_OK);
    counts_of_store(s, c);
    store_close(s);
}

/* Restore = copy the file into place and open it like the kiosk does. */
static void check_restore(const char *copy, const char *restored, const char *integrity,
                          const counts *c)
{
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", copy, restored);
    CHECK(system(cmd) == 0);
    store *s = NULL;
    store_opts o = {.utc_offset_min = 420, .create = 1};
    char err[256];
    CHECK(store_open(restored, &o, &s, err, sizeof err) == BK_OK);
    CHECK(store_schema_version(s) == store_schema_latest());
    int ok = 0;
    char msg[256];
    CHECK(store_check(s, 1, &ok, msg, sizeof msg) == BK_OK);
    CHECK(ok && strcmp(msg, integrity) == 0);
    counts r;
    counts_of_store(s, &r);
    CHECK(counts_equal(c, &r));
    store_close(s);
}

static int run_cli(const char *bapasctl, const char *db, const char *args, char *out, size_t outsz)
{
    char cmd[2000];
    snprintf(cmd, sizeof cmd, "env BAPAS_CONFIG=/dev/null '%s' --db '%s' %s 2>&1", bapasctl, db,
             args);
    FILE *p = popen(cmd, "r");
    CHECK(p);
    size_t n = fread(out, 1, outsz - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- PostgreSQL ----------------------------------------------------------- */

/* Run bapasctl with extra environment (may be ""): stdout and stderr into out. */
static int run_cli_env(const char *env, const char *bapasctl, const char *db, const char *args,
                       char *out, size_t outsz)
{
    char cmd[4000];
    snprintf(cmd, sizeof cmd, "env BAPAS_CONFIG=/dev/null %s '%s' --db '%s' %s 2>&1", env, bapasctl,
             db, args);
    FILE *p = popen(cmd, "r");
    CHECK(p);
    size_t n = fread(out, 1, outsz - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_script(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0);
    CHECK(chmod(path, 0755) == 0);
}

static void counts_of_info(const store_data_backup_info *info, counts *c)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < info->n_tables; i++)
        CHECK(add_count(c, info->tables[i].name, info->tables[i].rows) == BK_OK);
}

/* The URI of database `name` on the test server, in the test's schema. */
static void uri_of_db(const testdb *t, const char *name, char *out, size_t outsz)
{
    const char *q = strstr(t->path, "/bapas_test?");
    CHECK(q);
    snprintf(out, outsz, "%.*s/%s%s", (int)(q - t->path), t->path, name, q + strlen("/bapas_test"));
}

/* Restore the archive into a fresh database `name` with pg_restore, as
 * deploy/README.md says; it must hold exactly counts c, consistent. */
static void pg_check_restore(const testdb *t, const char *archive, const char *name,
                             const counts *c)
{
    char sql[128], uri[600], cmd[2000];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    testdb_pg_admin(sql);
    uri_of_db(t, name, uri, sizeof uri);
    snprintf(cmd, sizeof cmd,
             "'%s/pg_restore' --dbname='%s' --exit-on-error --single-transaction '%s'",
             getenv("BK_TEST_PG_BIN"), uri, archive);
    CHECK(system(cmd) == 0);
    store *s = NULL;
    store_opts o = {.utc_offset_min = 420, .create = 1};
    char err[256];
    if (store_open(uri, &o, &s, err, sizeof err)) fprintf(stderr, "restored: %s\n", err);
    CHECK(s);
    CHECK(store_schema_version(s) == store_schema_latest());
    int ok = 0;
    char msg[256];
    CHECK(store_check(s, 1, &ok, msg, sizeof msg) == BK_OK);
    if (!ok) fprintf(stderr, "restored: %s\n", msg);
    CHECK(ok);
    counts r;
    counts_of_store(s, &r);
    CHECK(counts_equal(c, &r));
    store_close(s);
    /* One snapshot: every ticket with its audit row, the paired settings equal. */
    sqlread rd;
    CHECK(sqlread_open(&rd, uri) == 0);
    char buf[64];
    CHECK(sqlread_text(&rd,
                       "SELECT COUNT(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM audit a "
                       "WHERE a.ticket_id = t.id)",
                       buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "0") == 0);
    CHECK(sqlread_text(&rd,
                       "SELECT CASE WHEN (SELECT value FROM settings WHERE key = 'bk_test_a') IS "
                       "NOT DISTINCT FROM (SELECT value FROM settings WHERE key = 'bk_test_b') "
                       "THEN 1 ELSE 0 END",
                       buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "1") == 0);
    sqlread_close(&rd);
    snprintf(sql, sizeof sql, "DROP DATABASE %s", name);
    testdb_pg_admin(sql);
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* pg_dump while writers run, pg_restore, the same counts. */
static void pg_backups(testdb *t, const char *bapasctl)
{
    for (int i = 0; i < 200; i++) {
        queue_view v;
        CHECK(queue_walkin(&t->q, BK_PURPOSE_GROUP, NULL, &v) == BK_OK);
    }
    pid_t pids[3];
    for (int k = 0; k < 3; k++) {
        pids[k] = fork();
        CHECK(pids[k] >= 0);
        if (pids[k] == 0) _exit(writer(t->path, k == 2 ? 1 : 0, k));
    }
    usleep(300 * 1000);

    char path[600], name[32];
    int64_t prev_tickets = -1, first = -1;
    for (int b = 0; b < 4; b++) {
        snprintf(path, sizeof path, "%s/backup-%d.dump", t->dir, b);
        snprintf(name, sizeof name, "restored_%d", b);
        double t0 = wall();
        counts c;
        if (b < 3) {
            store_data_backup_info info;
            bk_err e = store_data_backup(t->st, path, 0, &info);
            if (e) fprintf(stderr, "backup: %s\n", store_errmsg(t->st));
            CHECK(e == BK_OK);
            CHECK(info.integrity_ok && strcmp(info.integrity, "ok") == 0);
            CHECK(strcmp(info.format, "pg_dump custom") == 0);
            CHECK(info.schema_version == store_schema_latest());
            CHECK(info.bytes > 0 && info.pages == 0);
            counts_of_info(&info, &c);
        } else {
            char out[8192], args[700];
            snprintf(args, sizeof args, "--json backup '%s'", path);
            int rc = run_cli_env("", bapasctl, t->path, args, out, sizeof out);
            if (rc != 0) fprintf(stderr, "%s\n", out);
            CHECK(rc == 0);
            CHECK(strstr(out, "\"integrity\": \"ok\""));
            CHECK(strstr(out, "\"format\": \"pg_dump custom\""));
            /* The counts it printed are the archive's: compare after restoring. */
            memset(&c, 0, sizeof c);
            const char *tk = strstr(out, "\"tickets\": ");
            CHECK(tk);
            c.n = 1;
            snprintf(c.name[0], sizeof c.name[0], "tickets");
            c.rows[0] = atoll(tk + 11);
        }
        double secs = wall() - t0;
        CHECK(!file_exists(strcat(strcpy((char[700]){0}, path), ".tmp")));
        int64_t tickets = count_of(&c, "tickets");
        printf("pg_dump %d while writing: %.3f s, %lld tickets, %lld audit rows\n", b, secs,
               (long long)tickets, (long long)count_of(&c, "audit"));
        CHECK(tickets >= 200 && tickets >= prev_tickets);
        if (b == 0) first = tickets;
        prev_tickets = tickets;
        if (b < 3) {
            pg_check_restore(t, path, name, &c);
        } else {
            /* Only the tickets count was parsed: check it on the restore. */
            char sql[64], uri[600];
            snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
            testdb_pg_admin(sql);
            uri_of_db(t, name, uri, sizeof uri);
            char cmd[2000];
            snprintf(cmd, sizeof cmd, "'%s/pg_restore' --dbname='%s' --exit-on-error '%s'",
                     getenv("BK_TEST_PG_BIN"), uri, path);
            CHECK(system(cmd) == 0);
            store *s = NULL;
            store_opts ro = {.read_only = 1};
            char err[256];
            CHECK(store_open(uri, &ro, &s, err, sizeof err) == BK_OK);
            counts r;
            counts_of_store(s, &r);
            store_close(s);
            CHECK(count_of(&r, "tickets") == tickets);
            snprintf(sql, sizeof sql, "DROP DATABASE %s", name);
            testdb_pg_admin(sql);
        }
        usleep(200 * 1000);
    }
    /* Backing up onto an existing file needs --force; the file is kept. */
    {
        struct stat before, after;
        CHECK(stat(path, &before) == 0);
        char out[4096], args[700];
        snprintf(args, sizeof args, "backup '%s'", path);
        CHECK(run_cli_env("", bapasctl, t->path, args, out, sizeof out) == 4);
        CHECK(stat(path, &after) == 0 && after.st_size == before.st_size &&
              after.st_mtime == before.st_mtime);
    }
    CHECK(prev_tickets > first); /* the writers were busy while the copies were taken */
    FILE *sf = fopen(stop_path, "w");
    CHECK(sf);
    fclose(sf);
    for (int k = 0; k < 3; k++) {
        int st = 0;
        CHECK(waitpid(pids[k], &st, 0) == pids[k]);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }

    /* Quiet now: the archive has exactly the live row counts. */
    counts live, copy;
    counts_of_store(t->st, &live);
    CHECK(count_of(&live, "tickets") > prev_tickets);
    snprintf(path, sizeof path, "%s/backup-final.dump", t->dir);
    store_data_backup_info info;
    CHECK(store_data_backup(t->st, path, 0, &info) == BK_OK);
    counts_of_info(&info, &copy);
    CHECK(counts_equal(&live, &copy));
    pg_check_restore(t, path, "restored_final", &copy);
    printf("final: %lld tickets, %lld audit rows; archive and restore identical\n",
           (long long)count_of(&live, "tickets"), (long long)count_of(&live, "audit"));

    /* Inside a transaction: refused; an unwritable path: pg_dump fails (I/O). */
    CHECK(store_begin(t->st, STORE_TX_READ) == BK_OK);
    CHECK(store_data_backup(t->st, path, 1, &info) == BK_ERR_INTERNAL);
    store_rollback(t->st);
    CHECK(store_data_backup(t->st, "/nonexistent-dir/x.dump", 0, &info) == BK_ERR_IO);
    fprintf(stderr, "unwritable: %s\n", store_errmsg(t->st));
    CHECK(strstr(store_errmsg(t->st), "/nonexistent-dir/x.dump"));
}

/* The password goes to pg_dump in its environment only; a missing or
 * failing pg_dump is explained. Fake pg_dumps in BAPAS_PG_BINDIR. */
static void pg_dump_programs(testdb *t, const char *bapasctl)
{
    const char *bin = getenv("BK_TEST_PG_BIN");
    char fake[600], spy[700], log[700], script[4000], env[800], out[8192], args[800];
    snprintf(fake, sizeof fake, "%s/fakebin", t->dir);
    CHECK(mkdir(fake, 0755) == 0);
    snprintf(log, sizeof log, "%s/pg_dump.log", t->dir);
    snprintf(spy, sizeof spy, "%s/pg_dump", fake);
    /* A pg_dump that writes down how it was called, then runs the real one. */
    snprintf(script, sizeof script,
             "#!/bin/sh\n{ for a in \"$@\"; do echo \"arg: $a\"; done; "
             "echo \"PGPASSWORD=${PGPASSWORD-unset}\"; } >> '%s'\nexec '%s/pg_dump' \"$@\"\n",
             log, bin);
    write_script(spy, script);
    snprintf(script, sizeof script, "%s/pg_restore", fake);
    CHECK(symlink(strcat(strcpy((char[700]){0}, bin), "/pg_restore"), script) == 0);
    snprintf(env, sizeof env, "BAPAS_PG_BINDIR='%s'", fake);

    /* The password in the query and in the user info (trust authentication
     * on the test server: it is accepted and ignored). */
    char user[64] = "", uri1[800], uri2[800];
    const char *u = strstr(t->path, "user=");
    CHECK(u);
    snprintf(user, sizeof user, "%.*s", (int)strcspn(u + 5, "&"), u + 5);
    snprintf(uri1, sizeof uri1, "%s&password=S3cret-Q", t->path);
    const char *port = getenv("BK_TEST_PG_PORT"); /* set with the TLS listener */
    snprintf(uri2, sizeof uri2,
             "postgresql://%s:S3cret-U@/bapas_test?host=%s%s%s&options=-csearch_path%%3D%s", user,
             getenv("BK_TEST_PG_DIR"), port ? "&port=" : "", port ? port : "", t->pg_schema);
    const char *const uris[] = {uri1, uri2};
    const char *const pws[] = {"S3cret-Q", "S3cret-U"};
    for (int i = 0; i < 2; i++) {
        unlink(log);
        snprintf(args, sizeof args, "backup '%s/pw-%d.dump'", t->dir, i);
        int rc = run_cli_env(env, bapasctl, uris[i], args, out, sizeof out);
        if (rc) fprintf(stderr, "%s\n", out);
        CHECK(rc == 0);
        CHECK(!strstr(out, pws[i]));
        FILE *f = fopen(log, "r");
        CHECK(f);
        char line[2048];
        int args_seen = 0, env_ok = 0;
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "arg: ", 5) == 0) {
                args_seen++;
                CHECK(!strstr(line, pws[i])); /* never on the command line */
            } else if (strncmp(line, "PGPASSWORD=", 11) == 0) {
                env_ok = strncmp(line + 11, pws[i], strlen(pws[i])) == 0;
            }
        }
        fclose(f);
        CHECK(args_seen >= 4 && env_ok);
    }
    /* Without a password in the URI, PGPASSWORD is not invented (libpq's
     * ~/.pgpass or the caller's own PGPASSWORD serve). */
    unlink(log);
    snprintf(args, sizeof args, "backup '%s/pw-none.dump'", t->dir);
    CHECK(run_cli_env(env, bapasctl, t->path, args, out, sizeof out) == 0);
    FILE *f = fopen(log, "r");
    CHECK(f);
    char all[8192];
    size_t n = fread(all, 1, sizeof all - 1, f);
    all[n] = 0;
    fclose(f);
    CHECK(strstr(all, "PGPASSWORD=unset"));

    /* pg_dump older than the server: its own error is shown, nothing is left. */
    snprintf(script, sizeof script,
             "#!/bin/sh\necho 'pg_dump: error: aborting because of server version mismatch' >&2\n"
             "echo 'pg_dump: detail: server version: 99.1; pg_dump version: 15.1' >&2\nexit 1\n");
    unlink(spy);
    write_script(spy, script);
    snprintf(args, sizeof args, "backup '%s/old.dump'", t->dir);
    int rc = run_cli_env(env, bapasctl, t->path, args, out, sizeof out);
    printf("old pg_dump: exit %d: %s", rc, out);
    CHECK(rc == 1);
    CHECK(strstr(out, "aborting because of server version mismatch; pg_dump: detail"));
    CHECK(strstr(out, "server version: 99.1"));
    snprintf(args, sizeof args, "%s/old.dump", t->dir);
    CHECK(!file_exists(args));
    snprintf(args, sizeof args, "%s/old.dump.tmp", t->dir);
    CHECK(!file_exists(args));

    /* No pg_dump at all: exit 3, the package to install. */
    unlink(spy);
    snprintf(args, sizeof args, "backup '%s/none.dump'", t->dir);
    rc = run_cli_env(env, bapasctl, t->path, args, out, sizeof out);
    printf("no pg_dump: exit %d: %s", rc, out);
    CHECK(rc == 3);
    CHECK(strstr(out, "pg_dump is not installed") && strstr(out, "postgresql-client"));
    rc = run_cli_env(env, bapasctl, t->path, "doctor --check backups", out, sizeof out);
    CHECK(rc == 0 && strstr(out, "WARN  backups       pg_dump is not installed"));
}

/* bapasctl doctor on a server URI. */
static void pg_doctor(testdb *t, const char *bapasctl)
{
    char out[16384];
    int rc = run_cli_env("", bapasctl, t->path, "doctor --check database,backups", out, sizeof out);
    printf("%s", out);
    CHECK(rc == 0);
    static const char *const oks[] = {"OK    database ", "OK    server ", "OK    tls ",
                                      "OK    schema ",   "OK    views ",  "OK    integrity ",
                                      "OK    backups "};
    for (size_t i = 0; i < sizeof oks / sizeof oks[0]; i++)
        CHECK(strstr(out, oks[i]));
    CHECK(strstr(out, "Unix socket"));
    CHECK(!strstr(out, " wal    ") && !strstr(out, " db-files ") && !strstr(out, " disk    "));
    rc = run_cli_env("", bapasctl, t->path, "--json doctor --check database", out, sizeof out);
    CHECK(rc == 0 && strstr(out, "\"healthy\": true") && strstr(out, "\"name\": \"views\""));

    /* A kiosk machine's least-privilege role (deploy/pg-roles.sql): healthy;
     * the views and backups lines say what this role may not do; a backup
     * as this role is refused with the role named. */
    {
        char cmd[1500], kiosk[700];
        const char *src = getenv("BK_SOURCE_DIR");
        snprintf(
            cmd, sizeof cmd,
            "'%s/psql' -X -q -v ON_ERROR_STOP=1 -v schema=%s -d '%s' -f '%s/deploy/pg-roles.sql'"
            " >/dev/null",
            getenv("BK_TEST_PG_BIN"), t->pg_schema, t->path, src ? src : ".");
        CHECK(system(cmd) == 0);
        testdb_pg_admin("CREATE ROLE kiosk_bk LOGIN IN ROLE bapas_kiosk");
        const char *u = strstr(t->path, "user=");
        CHECK(u);
        snprintf(kiosk, sizeof kiosk, "%.*suser=kiosk_bk%s", (int)(u - t->path), t->path,
                 u + 5 + strcspn(u + 5, "&"));
        rc = run_cli_env("", bapasctl, kiosk, "doctor --check database,backups", out, sizeof out);
        printf("%s", out);
        CHECK(rc == 0);
        CHECK(strstr(out, "OK    views         v_queue_today, v_visits and v_officer_presence "
                          "are there"));
        CHECK(
            strstr(out, "role kiosk_bk may not read v_queue_today, v_visits, v_officer_presence"));
        CHECK(strstr(out, "OK    integrity "));
        CHECK(strstr(out, "OK    backups ") && strstr(out, "cannot take backups"));
        char args[700];
        snprintf(args, sizeof args, "backup '%s/kiosk.dump'", t->dir);
        rc = run_cli_env("", bapasctl, kiosk, args, out, sizeof out);
        printf("backup as the kiosk's role: exit %d: %s", rc, out);
        CHECK(rc == 1 && strstr(out, "(kiosk_bk) may not"));
        snprintf(args, sizeof args, "%s/kiosk.dump", t->dir);
        CHECK(!file_exists(args));
    }

    /* Over TCP with TLS (pg_cluster.sh's listener, BK_TEST_PG_TLS=1): the
     * certificate checked is OK, merely encrypted is a warning; pg_dump gets
     * the same TLS settings. */
    const char *tls = getenv("BK_TEST_PG_TLS_URI");
    if (tls && *tls) {
        char uri[900], args[700];
        snprintf(uri, sizeof uri, "%s&options=-csearch_path%%3D%s", tls, t->pg_schema);
        rc = run_cli_env("", bapasctl, uri, "doctor --check tls", out, sizeof out);
        printf("%s", out);
        CHECK(rc == 0 && strstr(out, "OK    tls           encrypted (TLS") &&
              strstr(out, "sslmode=verify-full: the server's certificate is checked"));
        snprintf(args, sizeof args, "--json backup '%s/tls.dump'", t->dir);
        rc = run_cli_env("", bapasctl, uri, args, out, sizeof out);
        if (rc) fprintf(stderr, "%s\n", out);
        CHECK(rc == 0 && strstr(out, "\"integrity\": \"ok\""));
        /* sslmode=require with the CA file: libpq checks the chain (verify-ca). */
        const char *m = strstr(uri, "sslmode=verify-full");
        CHECK(m);
        char req[900];
        snprintf(req, sizeof req, "%.*ssslmode=require%s", (int)(m - uri), uri,
                 m + strlen("sslmode=verify-full"));
        rc = run_cli_env("", bapasctl, req, "doctor --check tls", out, sizeof out);
        printf("%s", out);
        CHECK(rc == 0 && strstr(out, "OK    tls           encrypted (TLS") &&
              strstr(out, "as with verify-ca"));
        /* ... without one, nothing checks who answers: a warning. */
        char *rc_at = strstr(req, "&sslrootcert=");
        CHECK(rc_at);
        const char *rest = strchr(rc_at + 1, '&');
        memmove(rc_at, rest ? rest : "", strlen(rest ? rest : "") + 1);
        rc = run_cli_env("env HOME=/nonexistent", bapasctl, req, "doctor --check tls", out,
                         sizeof out);
        printf("%s", out);
        CHECK(rc == 0 && strstr(out, "WARN  tls           encrypted (TLS") &&
              strstr(out, "sslmode=require does not check the server's certificate"));
    } else {
        printf("doctor over TLS: not tested (no BK_TEST_PG_TLS_URI)\n");
    }

    /* The audit trail may be changed: integrity FAILs. */
    char sql[200];
    snprintf(sql, sizeof sql, "ALTER TABLE %s.audit DISABLE TRIGGER audit_no_delete", t->pg_schema);
    testdb_pg_admin(sql);
    rc = run_cli_env("", bapasctl, t->path, "doctor --check integrity", out, sizeof out);
    printf("%s", out);
    CHECK(rc == 1 && strstr(out, "FAIL  integrity") && strstr(out, "append-only"));
    snprintf(sql, sizeof sql, "ALTER TABLE %s.audit ENABLE TRIGGER audit_no_delete", t->pg_schema);
    testdb_pg_admin(sql);
    /* A view gone: views FAILs, naming it. */
    snprintf(sql, sizeof sql, "DROP VIEW %s.v_officer_presence", t->pg_schema);
    testdb_pg_admin(sql);
    rc = run_cli_env("", bapasctl, t->path, "doctor --check views", out, sizeof out);
    CHECK(rc == 1 && strstr(out, "FAIL  views") && strstr(out, "v_officer_presence"));

    /* Unreachable servers: exit 1, where it tried, the password never shown. */
    static const char *const bad[] = {"postgresql:///x?host=/nonexistent-bk-socket-dir",
                                      "postgresql://kiosk:secret@127.0.0.1:1/x",
                                      "postgresql://kiosk@127.0.0.1:1/x?password=secret"};
    static const char *const where[] = {"socket directory /nonexistent-bk-socket-dir, port 5432",
                                        "host 127.0.0.1, port 1", "host 127.0.0.1, port 1"};
    for (int i = 0; i < 3; i++) {
        for (int json = 0; json < 2; json++) {
            rc = run_cli_env("", bapasctl, bad[i], json ? "--json doctor" : "doctor", out,
                             sizeof out);
            if (!json) printf("%s", out);
            CHECK(rc == 1);
            CHECK(!strstr(out, "secret"));
            CHECK(strstr(out, where[i]));
            CHECK(strstr(out, json ? "\"healthy\": false" : "FAIL  database      cannot connect"));
        }
    }
    /* A schema never initialised: the schema check says what to do. */
    char dir[] = "/tmp/bkdoc-XXXXXX", empty[400], schema[64];
    CHECK(mkdtemp(dir));
    testdb_target(dir, "x", empty, sizeof empty, schema, sizeof schema);
    rc = run_cli_env("", bapasctl, empty, "doctor --check database", out, sizeof out);
    CHECK(rc == 1 && strstr(out, "FAIL  schema        version 0: the server database is empty"));
    testdb_target_drop(schema);
    rmdir(dir);
}

static int main_pg(const char *bapasctl)
{
    testdb t;
    testdb_create(&t);
    snprintf(stop_path, sizeof stop_path, "%s/stop", t.dir);
    pg_backups(&t, bapasctl);
    pg_dump_programs(&t, bapasctl);
    pg_doctor(&t, bapasctl);
    testdb_destroy(&t);
    printf("test_backup (PostgreSQL): ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    const char *bapasctl = argc > 1 ? argv[1] : "bapasctl";
    if (testdb_is_pg()) return main_pg(bapasctl);
    testdb t;
    testdb_create(&t);
    snprintf(stop_path, sizeof stop_path, "%s/stop", t.dir);
    /* Some history first, so the copy is not trivial. */
    for (int i = 0; i < 200; i++) {
        queue_view v;
        CHECK(queue_walkin(&t.q, BK_PURPOSE_GROUP, NULL, &v) == BK_OK);
    }

    pid_t pids[3];
    for (int k = 0; k < 3; k++) {
        pids[k] = fork();
        CHECK(pids[k] >= 0);
        if (pids[k] == 0) _exit(writer(t.path, k == 2 ? 1 : 0, k));
    }
    usleep(300 * 1000);

    char integrity[256], path[600], restored[600];
    counts prev = {0};
    int64_t prev_tickets = -1, first = -1;
    for (int b = 0; b < 4; b++) {
        snprintf(path, sizeof path, "%s/backup-%d.db", t.dir, b);
        double t0 = wall();
        if (b < 3) {
            store_data_backup_info info;
            bk_err e = store_data_backup(t.st, path, 0, &info);
            if (e) fprintf(stderr, "backup: %s\n", store_errmsg(t.st));
            CHECK(e == BK_OK);
            CHECK(info.integrity_ok);
            CHECK(info.schema_version == store_schema_latest());
        } else {
            char out[8192], args[700];
            snprintf(args, sizeof args, "--json backup '%s'", path);
            int rc = run_cli(bapasctl, t.path, args, out, sizeof out);
            if (rc != 0) fprintf(stderr, "%s\n", out);
            CHECK(rc == 0);
            CHECK(strstr(out, "\"integrity\": \"ok\""));
            CHECK(strstr(out, "\"tickets\": "));
        }
        double secs = wall() - t0;
        counts c;
        check_copy(path, integrity, sizeof integrity, &c);
        int64_t tickets = count_of(&c, "tickets");
        printf("backup %d while writing: %.3f s, %lld tickets, %lld audit rows, integrity %s\n", b,
               secs, (long long)tickets, (long long)count_of(&c, "audit"), integrity);
        CHECK(tickets >= 200);
        CHECK(tickets >= prev_tickets);
        if (b == 0) first = tickets;
        prev_tickets = tickets;
        snprintf(restored, sizeof restored, "%s/restored-%d.db", t.dir, b);
        check_restore(path, restored, integrity, &c);
        prev = c;
        usleep(200 * 1000);
    }

    /* Backing up onto an existing file needs --force. */
    {
        char out[4096], args[700];
        snprintf(args, sizeof args, "backup '%s'", path);
        CHECK(run_cli(bapasctl, t.path, args, out, sizeof out) == 4);
        counts again;
        check_copy(path, integrity, sizeof integrity, &again);
        CHECK(counts_equal(&again, &prev));
    }

    /* The writers were busy while the copies were taken. */
    CHECK(prev_tickets > first);
    FILE *sf = fopen(stop_path, "w");
    CHECK(sf);
    fclose(sf);
    for (int k = 0; k < 3; k++) {
        int st = 0;
        CHECK(waitpid(pids[k], &st, 0) == pids[k]);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }

    /* Quiet now: the copy has exactly the live row counts. */
    counts live, copy;
    counts_of_store(t.st, &live);
    CHECK(count_of(&live, "tickets") > prev_tickets); /* the writers kept going */
    snprintf(path, sizeof path, "%s/backup-final.db", t.dir);
    store_data_backup_info info;
    CHECK(store_data_backup(t.st, path, 0, &info) == BK_OK);
    check_copy(path, integrity, sizeof integrity, &copy);
    CHECK(counts_equal(&live, &copy));
    snprintf(restored, sizeof restored, "%s/restored-final.db", t.dir);
    check_restore(path, restored, integrity, &copy);
    int ok = 0;
    char msg[256];
    CHECK(store_check(t.st, 1, &ok, msg, sizeof msg) == BK_OK);
    CHECK(ok && strcmp(msg, integrity) == 0);
    printf("final: %lld tickets, %lld audit rows; copy and restore identical\n",
           (long long)count_of(&live, "tickets"), (long long)count_of(&live, "audit"));

    /* A backup inside a transaction is refused; an unwritable path fails cleanly. */
    CHECK(store_begin(t.st, STORE_TX_READ) == BK_OK);
    CHECK(store_data_backup(t.st, path, 1, &info) == BK_ERR_INTERNAL);
    store_rollback(t.st);
    CHECK(store_data_backup(t.st, "/nonexistent-dir/x.db", 0, &info) == BK_ERR_IO);

    testdb_destroy(&t);
    printf("test_backup: ok\n");
    return 0;
}
