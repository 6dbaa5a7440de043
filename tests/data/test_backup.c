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
 * database's row counts exactly. Plain C: it forks real processes. */
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
    store_opts o = {.utc_offset_min = 420, .busy_timeout_ms = 10000};
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
            e = queue_walkin(&q, id == 0 ? "other" : "litmas", NULL, &v);
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
    char name[16][32];
    int64_t rows[16];
    int n;
} counts;

static bk_err add_count(void *ud, const char *table, int64_t rows)
{
    counts *c = ud;
    if (c->n >= 16) return BK_ERR_INTERNAL;
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
    store_opts o = {.utc_offset_min = 420};
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

int main(int argc, char **argv)
{
    const char *bapasctl = argc > 1 ? argv[1] : "bapasctl";
    testdb t;
    testdb_create(&t);
    snprintf(stop_path, sizeof stop_path, "%s/stop", t.dir);
    /* Some history first, so the copy is not trivial. */
    for (int i = 0; i < 200; i++) {
        queue_view v;
        CHECK(queue_walkin(&t.q, "group", NULL, &v) == BK_OK);
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
