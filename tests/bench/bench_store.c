/* bench_store — durable check-in, call-next and queue latency on a large
 * database, measured side by side in one run against a bare single-row
 * INSERT + COMMIT on the same file.
 *
 *   bench_store [--db PATH] [--rounds N] [--rebuild]
 *
 * The database (100,000 clients, 1,000,000 past tickets, 50 officers) is
 * built once and kept at PATH (default /tmp/bapas-bench.db) for later runs.
 * Every round does, in this order: one bare insert, one check-in, one
 * call-next, one queue listing for one officer. All with synchronous=FULL.
 * The bare insert talks to SQLite directly: it is the baseline, not product
 * code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "benchlib.h"
#include "otime.h"
#include "queue.h"
#include "store.h"

#define CLIENTS 100000
#define TICKETS 1000000
#define OFFICERS 50

static bk_err count_view(void *ud, const queue_view *v)
{
    (void)v;
    (*(int *)ud)++;
    return BK_OK;
}

static void die(const char *what, bk_err e, store *s)
{
    fprintf(stderr, "bench: %s: %s %s\n", what, bk_err_name(e), s ? store_errmsg(s) : "");
    exit(1);
}

static void build(const char *path, int64_t today_start)
{
    fprintf(stderr, "bench: building %s (%d clients, %d tickets)...\n", path, CLIENTS, TICKETS);
    double t0 = bench_now_us();
    store_opts o = {.utc_offset_min = 420, .sync_normal = 1, .create = 1};
    store *s = NULL;
    char err[256];
    bk_err e = store_open(path, &o, &s, err, sizeof err);
    if (e) {
        fprintf(stderr, "open: %s\n", err);
        exit(1);
    }
    /* 1,000,000 past visits: 1,000 per day over the 1,000 days before today. */
    const bench_office office = {
        .clients = CLIENTS, .officers = OFFICERS, .tickets = TICKETS, .days = 1000};
    if ((e = bench_office_load(s, &office, today_start, 0))) die("build", e, s);
    store_close(s);
    fprintf(stderr, "bench: built in %.1f s\n", (bench_now_us() - t0) / 1e6);
}

/* One measured run. idle_ckpt = 0: SQLite's automatic checkpoints on both
 * connections (the default). idle_ckpt = 1: no automatic checkpoints; a
 * passive checkpoint runs every 50 rounds outside the timed operations, as
 * the long-running UIs do when idle (store_checkpoint); its time is reported. */
static int run_mode(const char *path, int rounds, int idle_ckpt, int *next_client, int64_t *day_now)
{
    store_opts o = {.utc_offset_min = 420, .manual_checkpoint = idle_ckpt, .create = 1};
    store *s = NULL;
    char err[256];
    if (store_open(path, &o, &s, err, sizeof err)) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    queue_ctx q = {.st = s, .utc_offset_min = 420, .actor = "bench"};
    /* Every mode starts on a fresh office day so each measures the same thing. */
    int closed = 0;
    *day_now += 86400;
    q.fixed_now = *day_now;
    queue_close_stale(&q, &closed);
    store_checkpoint(s, NULL);

    /* Baseline connection: bare INSERT + COMMIT, same file, same settings. */
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;"
                     "CREATE TABLE IF NOT EXISTS bench_bare(id INTEGER PRIMARY KEY, v TEXT);",
                     NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "baseline: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    if (idle_ckpt && sqlite3_exec(db, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL) != SQLITE_OK)
        return 1;
    sqlite3_stmt *ins = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO bench_bare(v) VALUES (?)", -1, &ins, NULL) != SQLITE_OK)
        return 1;

    double *bare = calloc((size_t)rounds, sizeof(double));
    double *chk = calloc((size_t)rounds, sizeof(double));
    double *call = calloc((size_t)rounds, sizeof(double));
    double *lst = calloc((size_t)rounds, sizeof(double));
    double *ck = calloc((size_t)rounds, sizeof(double));
    int nck = 0;
    if (!bare || !chk || !call || !lst || !ck) return 1;
    int listed = 0;
    for (int i = 0; i < rounds; i++) {
        double t0 = bench_now_us();
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) return 1;
        sqlite3_bind_text(ins, 1, "x", -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) return 1;
        sqlite3_reset(ins);
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) return 1;
        bare[i] = bench_now_us() - t0;

        int k = (*next_client)++ % CLIENTS;
        char no[STORE_ID_SZ], birth[STORE_DAY_SZ];
        bench_client_no(k, no);
        bench_birth_of(k, birth);
        queue_view v;
        q.fixed_now += 1;
        t0 = bench_now_us();
        bk_err e = queue_checkin(&q, no, birth, BK_PURPOSE_REPORT, &v);
        chk[i] = bench_now_us() - t0;
        if (e) die("checkin", e, s);

        /* Calls drain every other round, so queues grow through the run. */
        char officer[8];
        snprintf(officer, sizeof officer, "PK%02d", 1 + (i / 2) % OFFICERS);
        t0 = bench_now_us();
        e = queue_call_next(&q, officer, &v);
        call[i] = bench_now_us() - t0;
        if (e && e != BK_ERR_NOT_FOUND) die("call-next", e, s);

        snprintf(officer, sizeof officer, "PK%02d", 1 + k % OFFICERS);
        int count = 0;
        t0 = bench_now_us();
        e = queue_list(&q, officer, STORE_ST_WAITING | STORE_ST_CALLED, count_view, &count);
        lst[i] = bench_now_us() - t0;
        if (e) die("queue", e, s);
        listed += count;

        if (idle_ckpt && i % 50 == 49) {
            t0 = bench_now_us();
            if ((e = store_checkpoint(s, NULL))) die("checkpoint", e, s);
            ck[nck++] = bench_now_us() - t0;
        }
    }
    double b50 = bench_pct(bare, rounds, 50), b99 = bench_pct(bare, rounds, 99);
    double c50 = bench_pct(chk, rounds, 50), c99 = bench_pct(chk, rounds, 99);
    double n50 = bench_pct(call, rounds, 50), n99 = bench_pct(call, rounds, 99);
    double l50 = bench_pct(lst, rounds, 50), l99 = bench_pct(lst, rounds, 99);
    printf("\n  mode: %s\n", idle_ckpt ? "checkpoint when idle (what the kiosk and board do)"
                                       : "SQLite automatic checkpoints (default connection)");
    printf("  %-28s %10s %10s\n", "operation", "p50 (us)", "p99 (us)");
    printf("  %-28s %10.0f %10.0f\n", "bare INSERT+COMMIT", b50, b99);
    printf("  %-28s %10.0f %10.0f\n", "check-in (durable)", c50, c99);
    printf("  %-28s %10.0f %10.0f\n", "call-next", n50, n99);
    printf("  %-28s %10.0f %10.0f\n", "queue (one officer)", l50, l99);
    if (nck)
        printf("  %-28s %10.0f %10.0f   (every 50 rounds, untimed above)\n", "idle checkpoint",
               bench_pct(ck, nck, 50), bench_pct(ck, nck, 99));
    printf("  check-in / bare: p50 %.2fx, p99 %.2fx (target p99 <= 3x)\n", c50 / b50, c99 / b99);
    printf("  queue p99 %.3f ms (target < 1 ms); %.1f tickets listed on average\n", l99 / 1000.0,
           (double)listed / rounds);
    sqlite3_finalize(ins);
    sqlite3_close(db);
    store_close(s);
    free(bare);
    free(chk);
    free(call);
    free(lst);
    free(ck);
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = "/tmp/bapas-bench.db";
    int rounds = 2000, rebuild = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--rebuild") == 0)
            rebuild = 1;
        else {
            fprintf(stderr, "usage: bench_store [--db PATH] [--rounds N] [--rebuild]\n");
            return 2;
        }
    }
    if (rounds < 10 || rounds > CLIENTS) rounds = 2000;
    int64_t now = otime_now();
    char today[11];
    otime_day(now, 420, today);
    int64_t today_start;
    otime_day_start(today, 420, &today_start);
    if (rebuild || access(path, F_OK) != 0) {
        char rm[600];
        snprintf(rm, sizeof rm, "rm -f '%s' '%s-wal' '%s-shm'", path, path, path);
        if (system(rm) != 0) return 1;
        build(path, today_start);
    }

    printf("bench_store: %d rounds per mode on %s (%d clients, %d past tickets), "
           "synchronous=FULL\n",
           rounds, path, CLIENTS, TICKETS);
    int next_client = (int)((now / 7) % (CLIENTS / 2));
    int64_t day_now = now + 86400 * 3;
    if (run_mode(path, rounds, 0, &next_client, &day_now) ||
        run_mode(path, rounds, 1, &next_client, &day_now))
        return 1;
    return 0;
}
