/* bench_backends.c — SQLite and PostgreSQL side by side in one run (issue 8):
 *
 *   1. check-in, call-next and one officer's queue, p50/p99 on each backend
 *      (on PostgreSQL a check-in and a call-next are each one statement, the
 *      server's function: db/pg/003_server_rules.sql),
 *      the two interleaved round by round (even rounds SQLite first, odd
 *      rounds PostgreSQL first) so that machine noise hits both alike;
 *      RUNS runs of ROUNDS rounds, each run on a fresh office day; the table
 *      gives the median over the runs of each run's p50 and p99;
 *   2. board propagation: from the return of a call-next's commit in this
 *      process to the moment a separate board process has re-read the board
 *      model (board_load) showing that call, stamped with CLOCK_MONOTONIC
 *      on both sides and sent back through a pipe. The board waits as the
 *      real one does (core/live.h live_wait: on SQLite data_version
 *      polling every LIVE_POLL_MS_DEFAULT, on PostgreSQL blocking on the
 *      LISTEN socket); a third board calls store_wait_change with a
 *      timeout directly, to show what NOTIFY alone costs.
 *      Each commit comes after a pseudo-random pause, so it falls anywhere
 *      in the board's poll cycle.
 *
 * Both backends get the same synthetic office (benchlib.h), loaded through
 * the store API in transactions of LOAD_BATCH rows (one transaction would
 * be quadratic on PostgreSQL, see benchlib.h). SQLite: a file in a fresh
 * temporary directory (or --sqlite PATH, replaced), WAL, synchronous=FULL,
 * checkpoints when idle as the kiosk does (store_checkpoint every 50 rounds,
 * untimed). PostgreSQL: the URI of --pg or $BK_TEST_DB_URI, an empty
 * database (tests/store/pg_cluster.sh makes one); after the load the tables
 * get VACUUM ANALYZE, as autovacuum would give them within a minute, and a
 * CHECKPOINT (untimed, as SQLite's).
 *
 *   tests/store/pg_cluster.sh build/tests/bench/bench_backends [--clients N]
 *       [--officers N] [--tickets N] [--days N] [--rounds N] [--runs N]
 *       [--events N] [--poll-ms N] [--sqlite PATH] [--pg URI]
 *
 * Defaults: 20,000 clients, 60 officers, 200,000 past visits over 200 days
 * (1,000 a day), 3 runs x 1,000 rounds (a day's check-ins), 200 board
 * events, the board's 100 ms poll.
 *
 * Exit 0 with the tables printed; 1 when anything failed (a store error, a
 * board that never showed a call within 3 s); 2 for usage.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "benchlib.h"
#include "board.h"
#include "live.h"
#include "otime.h"
#include "paths.h"
#include "queue.h"
#include "store.h"

#define N_BACKENDS 2 /* 0 = SQLite, 1 = PostgreSQL */
#define N_OPS 3      /* check-in, call-next, queue */
#define MAX_RUNS 15
#define BOARD_TIMEOUT_MS 3000
#define CKPT_EVERY 50
#define LOAD_BATCH 2000 /* rows per load transaction (benchlib.h: why) */

static const char *const backend_names[N_BACKENDS] = {"SQLite", "PostgreSQL"};
static const char *const op_names[N_OPS] = {"check-in", "call-next", "queue (one officer)"};

typedef struct bench_cfg {
    bench_office office;
    int rounds, runs, events, poll_ms;
    char sqlite_path[512];
    char tmpdir[256]; /* "" unless we made one */
    const char *pg_uri;
} bench_cfg;

/* The PostgreSQL round-trip baseline: SELECT 1 on its own libpq connection,
 * once a round, so the table shows how many round trips an operation costs. */
typedef struct round_trip {
    PGconn *conn;
    double *samples;
    double p50[MAX_RUNS], p99[MAX_RUNS];
} round_trip;

/* One backend during the latency runs. */
typedef struct backend {
    const char *target;
    store *st;
    queue_ctx q;
    double *samples[N_OPS];      /* one run's, rounds each */
    double p50[N_OPS][MAX_RUNS]; /* per run */
    double p99[N_OPS][MAX_RUNS];
    int listed; /* tickets seen by the queue reads */
} backend;

/* A board process's report: it re-read the board, which showed `current`. */
typedef struct board_rec {
    double t_us;     /* when the re-read ended */
    double load_us;  /* how long the re-read (board_load) took */
    int64_t current; /* id of the latest call, 0 = none */
    int err;         /* a bk_err: the board failed and exits */
} board_rec;

typedef enum board_wait { WAIT_LIVE, WAIT_LISTEN } board_wait;

typedef struct board_proc {
    const char *label;
    int backend;
    board_wait wait;
    pid_t pid;
    int rfd;    /* records from the board */
    int stopfd; /* closing it stops the board */
    double *lat_ms;
    double *load_ms;
    int n;
} board_proc;

static void fail(const char *what, bk_err e, store *s)
{
    fprintf(stderr, "bench_backends: %s: %s %s\n", what, bk_err_name(e), s ? store_errmsg(s) : "");
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static bk_err count_view(void *ud, const queue_view *v)
{
    (void)v;
    (*(int *)ud)++;
    return BK_OK;
}

/* The store options of the kiosk (manual checkpoints; synchronous=FULL). */
static bk_err open_store(const char *target, int for_load, store **out)
{
    store_opts o = {.utc_offset_min = 420,
                    .manual_checkpoint = !for_load,
                    .sync_normal = for_load,
                    .create = 1};
    char err[512];
    bk_err e = store_open(target, &o, out, err, sizeof err);
    if (e) {
        char shown[512];
        paths_display(target, shown, sizeof shown);
        fprintf(stderr, "bench_backends: open %s: %s\n", shown, err);
    }
    return e;
}

/* ---- PostgreSQL server facts and housekeeping (bench only, not the store) --- */

static int pg_admin(const char *uri, const char *sql, char *out, size_t outsz)
{
    PGconn *c = PQconnectdb(uri);
    int ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PGresult *r = PQexec(c, sql);
        ExecStatusType st = PQresultStatus(r);
        ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
        if (out && outsz)
            snprintf(out, outsz, "%s",
                     st == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "?");
        PQclear(r);
    }
    if (!ok) fprintf(stderr, "bench_backends: %s: %s", sql, PQerrorMessage(c));
    PQfinish(c);
    return ok ? 0 : -1;
}

/* ---- the office ------------------------------------------------------------ */

static int load_backend(const bench_cfg *cfg, int b, const char *target, int64_t today_start)
{
    double t0 = bench_now_us();
    store *s = NULL;
    if (open_store(target, 1, &s)) return -1;
    bk_err e = bench_office_load(s, &cfg->office, today_start, LOAD_BATCH);
    if (e) {
        fail("load", e, s);
        if (b == 1)
            fprintf(stderr, "bench_backends: the PostgreSQL database must be empty "
                            "(tests/store/pg_cluster.sh gives a fresh one)\n");
        store_close(s);
        return -1;
    }
    if (b == 0) e = store_checkpoint(s, NULL);
    store_close(s);
    if (e) return -1;
    if (b == 1 && pg_admin(target, "VACUUM ANALYZE", NULL, 0)) return -1;
    /* Untimed, as SQLite's checkpoint above: the load's dirty pages written
     * now, not by the checkpointer in the middle of the timed rounds. */
    if (b == 1 && pg_admin(target, "CHECKPOINT", NULL, 0)) return -1;
    /* The rounds pin their instants (a fresh office day each run): let the
     * server's functions take them (db/pg/003_server_rules.sql, clock). */
    if (b == 1 && pg_admin(target,
                           "INSERT INTO settings(key, value) VALUES ('clock', 'client') "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           NULL, 0))
        return -1;
    printf("  loaded %-10s in %5.1f s\n", backend_names[b], (bench_now_us() - t0) / 1e6);
    return 0;
}

/* A fresh office day: yesterday's open tickets closed (untimed). */
static int new_day(backend *be, int64_t fixed_now)
{
    be->q.fixed_now = fixed_now;
    int closed = 0;
    bk_err e = queue_close_stale(&be->q, &closed);
    if (!e) e = store_checkpoint(be->st, NULL);
    if (e) fail("new day", e, be->st);
    return e ? -1 : 0;
}

/* ---- 1. latency ------------------------------------------------------------ */

/* Round i on one backend: check in client k, call the next of one officer,
 * read the queue of client k's officer. */
static int round_on(const bench_cfg *cfg, backend *be, int i, int k)
{
    char no[STORE_ID_SZ], birth[STORE_DAY_SZ], officer[STORE_ID_SZ];
    bench_client_no(k, no);
    bench_birth_of(k, birth);
    queue_view v;
    be->q.fixed_now += 1;
    double t0 = bench_now_us();
    bk_err e = queue_checkin(&be->q, no, birth, BK_PURPOSE_REPORT, &v);
    be->samples[0][i] = bench_now_us() - t0;
    if (e) {
        fail("check-in", e, be->st);
        return -1;
    }
    /* One officer per two rounds: queues grow through the day. */
    bench_officer_id((i / 2) % cfg->office.officers, officer);
    t0 = bench_now_us();
    e = queue_call_next(&be->q, officer, &v);
    be->samples[1][i] = bench_now_us() - t0;
    if (e && e != BK_ERR_NOT_FOUND) {
        fail("call-next", e, be->st);
        return -1;
    }
    bench_officer_of(&cfg->office, k, officer);
    int count = 0;
    t0 = bench_now_us();
    e = queue_list(&be->q, officer, STORE_ST_WAITING | STORE_ST_CALLED, count_view, &count);
    be->samples[2][i] = bench_now_us() - t0;
    if (e) {
        fail("queue", e, be->st);
        return -1;
    }
    be->listed += count;
    return 0;
}

static int time_round_trip(round_trip *rt, int i)
{
    double t0 = bench_now_us();
    PGresult *r = PQexec(rt->conn, "SELECT 1");
    rt->samples[i] = bench_now_us() - t0;
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    if (!ok) fprintf(stderr, "bench_backends: SELECT 1: %s", PQerrorMessage(rt->conn));
    return ok ? 0 : -1;
}

static int latency_runs(const bench_cfg *cfg, backend *be, round_trip *rt, int64_t *day_now,
                        int *next_client)
{
    for (int r = 0; r < cfg->runs; r++) {
        *day_now += 86400;
        for (int b = 0; b < N_BACKENDS; b++)
            if (new_day(&be[b], *day_now)) return -1;
        for (int i = 0; i < cfg->rounds; i++) {
            bk_err e;
            int k = (*next_client)++ % cfg->office.clients;
            for (int j = 0; j < N_BACKENDS; j++)
                if (round_on(cfg, &be[(i + j) % N_BACKENDS], i, k)) return -1;
            if (time_round_trip(rt, i)) return -1;
            if (i % CKPT_EVERY == CKPT_EVERY - 1) /* the kiosk's idle checkpoint */
                for (int b = 0; b < N_BACKENDS; b++)
                    if ((e = store_checkpoint(be[b].st, NULL))) {
                        fail("checkpoint", e, be[b].st);
                        return -1;
                    }
        }
        printf("  run %d:", r + 1);
        for (int b = 0; b < N_BACKENDS; b++) {
            for (int o = 0; o < N_OPS; o++) {
                be[b].p50[o][r] = bench_pct(be[b].samples[o], cfg->rounds, 50);
                be[b].p99[o][r] = bench_pct(be[b].samples[o], cfg->rounds, 99);
            }
            printf("  %s check-in %.0f/%.0f call-next %.0f/%.0f queue %.0f/%.0f us",
                   backend_names[b], be[b].p50[0][r], be[b].p99[0][r], be[b].p50[1][r],
                   be[b].p99[1][r], be[b].p50[2][r], be[b].p99[2][r]);
        }
        rt->p50[r] = bench_pct(rt->samples, cfg->rounds, 50);
        rt->p99[r] = bench_pct(rt->samples, cfg->rounds, 99);
        printf("  PG round trip %.0f/%.0f us\n", rt->p50[r], rt->p99[r]);
        fflush(stdout);
    }
    return 0;
}

static void latency_table(const bench_cfg *cfg, backend *be, round_trip *rt)
{
    printf("\n  %-22s %21s %21s %15s\n", "", "SQLite", "PostgreSQL", "PG / SQLite");
    printf("  %-22s %10s %10s %10s %10s %7s %7s\n", "operation (us)", "p50", "p99", "p50", "p99",
           "p50", "p99");
    for (int o = 0; o < N_OPS; o++) {
        double m50[N_BACKENDS], m99[N_BACKENDS];
        for (int b = 0; b < N_BACKENDS; b++) {
            double v[MAX_RUNS];
            memcpy(v, be[b].p50[o], sizeof v);
            m50[b] = bench_median(v, cfg->runs);
            memcpy(v, be[b].p99[o], sizeof v);
            m99[b] = bench_median(v, cfg->runs);
        }
        printf("  %-22s %10.0f %10.0f %10.0f %10.0f %6.1fx %6.1fx\n", op_names[o], m50[0], m99[0],
               m50[1], m99[1], m50[1] / m50[0], m99[1] / m99[0]);
    }
    double rt50 = bench_median(rt->p50, cfg->runs), rt99 = bench_median(rt->p99, cfg->runs);
    printf("  %-22s %10s %10s %10.0f %10.0f\n", "round trip (SELECT 1)", "-", "-", rt50, rt99);
    printf("  (a check-in on PostgreSQL is one statement, bk_act_checkin: one round trip)\n");
    printf("  (median over %d runs of each run's p50 / p99; %.1f tickets in a queue read on "
           "average)\n",
           cfg->runs, (double)(be[0].listed + be[1].listed) / (2.0 * cfg->runs * cfg->rounds));
}

/* ---- 2. board propagation -------------------------------------------------- */

/* The board process: wait as the board's worker does, re-read the model on
 * every change, report (time, latest call). Ends when stopfd closes. */
static int board_main(const char *target, board_wait wait, int poll_ms, int64_t fixed_now, int wfd,
                      int stopfd)
{
    store *st = NULL;
    store_opts o = {.utc_offset_min = 420, .create = 1};
    char err[512];
    board_rec rec = {0};
    bk_err e = store_open(target, &o, &st, err, sizeof err);
    if (e) {
        fprintf(stderr, "bench_backends: board: %s\n", err);
        rec.err = e;
        ssize_t w = write(wfd, &rec, sizeof rec);
        (void)w;
        return 1;
    }
    queue_ctx q = {.st = st, .utc_offset_min = 420, .actor = "board:bench", .fixed_now = fixed_now};
    live_src lv;
    live_init(&lv, st, poll_ms);
    board_model *m = malloc(sizeof *m);
    if (!m) {
        store_close(st);
        return 1;
    }
    int rc = 0;
    for (;;) {
        struct pollfd pfd = {.fd = stopfd, .events = POLLIN};
        if (poll(&pfd, 1, 0) != 0) break;
        int changed = 0;
        if (wait == WAIT_LIVE)
            e = live_wait(&lv, 1000, &changed);
        else
            e = store_wait_change(st, 1000, &changed);
        double t0 = bench_now_us();
        if (!e && changed) e = board_load(&q, 0, m);
        if (e) {
            fprintf(stderr, "bench_backends: board: %s: %s\n", bk_err_name(e), store_errmsg(st));
            rec.err = e;
            rc = 1;
        } else if (!changed) {
            continue;
        } else {
            rec.t_us = bench_now_us();
            rec.load_us = rec.t_us - t0;
            rec.current = m->has_current ? m->current.id : 0;
        }
        if (write(wfd, &rec, sizeof rec) != sizeof rec || rc) break;
    }
    free(m);
    store_close(st);
    return rc;
}

/* Start board bp; `started` boards before it (their pipe ends are not the
 * new process's business: closed there). */
static int board_start(board_proc *bp, const board_proc *started, int n_started, const char *target,
                       int poll_ms, int64_t fixed_now)
{
    int rp[2], sp[2];
    if (pipe(rp) || pipe(sp)) {
        perror("bench_backends: pipe");
        return -1;
    }
    fflush(NULL);
    bp->pid = fork();
    if (bp->pid < 0) {
        perror("bench_backends: fork");
        return -1;
    }
    if (bp->pid == 0) {
        for (int i = 0; i < n_started; i++) {
            close(started[i].rfd);
            close(started[i].stopfd);
        }
        close(rp[0]);
        close(sp[1]);
        _exit(board_main(target, bp->wait, poll_ms, fixed_now, rp[1], sp[0]));
    }
    close(rp[1]);
    close(sp[0]);
    bp->rfd = rp[0];
    bp->stopfd = sp[1];
    return 0;
}

/* Read the board's reports until one shows call `id` (id 0: any report,
 * i.e. the board is up); that report in *out. */
static int board_await(board_proc *bp, int64_t id, board_rec *out)
{
    double deadline = bench_now_us() + BOARD_TIMEOUT_MS * 1000.0;
    for (;;) {
        int left = (int)((deadline - bench_now_us()) / 1000.0);
        struct pollfd pfd = {.fd = bp->rfd, .events = POLLIN};
        if (left <= 0 || poll(&pfd, 1, left) <= 0) {
            fprintf(stderr, "bench_backends: the %s board did not show call %lld within %d ms\n",
                    bp->label, (long long)id, BOARD_TIMEOUT_MS);
            return -1;
        }
        board_rec rec;
        if (read(bp->rfd, &rec, sizeof rec) != sizeof rec) {
            fprintf(stderr, "bench_backends: the %s board ended\n", bp->label);
            return -1;
        }
        if (rec.err) {
            fprintf(stderr, "bench_backends: the %s board failed: %s\n", bp->label,
                    bk_err_name((bk_err)rec.err));
            return -1;
        }
        if (id == 0 || rec.current == id) {
            *out = rec;
            return 0;
        }
    }
}

static int board_stop(board_proc *bp)
{
    if (bp->pid <= 0) return 0;
    close(bp->stopfd);
    /* Drain so a board blocked on a full pipe can see the stop. */
    char buf[512];
    while (read(bp->rfd, buf, sizeof buf) > 0) {
    }
    close(bp->rfd);
    int status = 0;
    if (waitpid(bp->pid, &status, 0) < 0) return -1;
    bp->pid = 0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Deterministic pauses between commits (a 32-bit LCG). */
static int next_pause_ms(unsigned *seed, int poll_ms)
{
    *seed = *seed * 1664525u + 1013904223u;
    return poll_ms / 2 + (int)((*seed >> 8) % (unsigned)(poll_ms * 3 / 2 + 1));
}

/* day_now: an instant of a fresh office day (10:00 local). */
static int propagation(const bench_cfg *cfg, const char *target[N_BACKENDS], int64_t day_now,
                       int *next_client)
{
    board_proc boards[] = {
        {.label = "SQLite live_wait", .backend = 0, .wait = WAIT_LIVE},
        {.label = "PostgreSQL live_wait", .backend = 1, .wait = WAIT_LIVE},
        {.label = "PostgreSQL blocking LISTEN", .backend = 1, .wait = WAIT_LISTEN},
    };
    enum { N_BOARDS = sizeof boards / sizeof boards[0] };
    backend be[N_BACKENDS];
    memset(be, 0, sizeof be);
    int rc = -1, first = *next_client;
    *next_client += cfg->events;
    /* The day's waiting tickets first (so every call finds one), then close
     * the connections: the boards are forked without any open. */
    for (int b = 0; b < N_BACKENDS; b++) {
        if (open_store(target[b], 0, &be[b].st)) goto out;
        be[b].q = (queue_ctx){.st = be[b].st, .utc_offset_min = 420, .actor = "bench"};
        if (new_day(&be[b], day_now)) goto out;
        for (int e = 0; e < cfg->events; e++) {
            char no[STORE_ID_SZ], birth[STORE_DAY_SZ];
            int k = (first + e) % cfg->office.clients;
            bench_client_no(k, no);
            bench_birth_of(k, birth);
            queue_view v;
            be[b].q.fixed_now += 1;
            bk_err err = queue_checkin(&be[b].q, no, birth, BK_PURPOSE_REPORT, &v);
            if (err) {
                fail("check-in", err, be[b].st);
                goto out;
            }
        }
        store_close(be[b].st);
        be[b].st = NULL;
    }
    for (int i = 0; i < N_BOARDS; i++) {
        boards[i].lat_ms = calloc((size_t)cfg->events, sizeof(double));
        boards[i].load_ms = calloc((size_t)cfg->events, sizeof(double));
        board_rec r;
        if (!boards[i].lat_ms || !boards[i].load_ms ||
            board_start(&boards[i], boards, i, target[boards[i].backend], cfg->poll_ms, day_now) ||
            board_await(&boards[i], 0, &r))
            goto out;
    }
    for (int b = 0; b < N_BACKENDS; b++) {
        if (open_store(target[b], 0, &be[b].st)) goto out;
        be[b].q = (queue_ctx){
            .st = be[b].st, .utc_offset_min = 420, .actor = "bench", .fixed_now = day_now + 3600};
    }
    unsigned seed = 8u;
    for (int e = 0; e < cfg->events; e++) {
        int k = (first + e) % cfg->office.clients;
        char officer[STORE_ID_SZ];
        bench_officer_of(&cfg->office, k, officer);
        for (int j = 0; j < N_BACKENDS; j++) {
            int b = (e + j) % N_BACKENDS;
            be[b].q.fixed_now += 1;
            sleep_ms(next_pause_ms(&seed, cfg->poll_ms));
            queue_view v;
            bk_err err = queue_call_next(&be[b].q, officer, &v);
            double t_commit = bench_now_us();
            if (err) {
                fail("call-next", err, be[b].st);
                goto out;
            }
            for (int i = 0; i < N_BOARDS; i++) {
                board_rec r;
                if (boards[i].backend != b) continue;
                if (board_await(&boards[i], v.t.id, &r)) goto out;
                boards[i].lat_ms[boards[i].n] = (r.t_us - t_commit) / 1000.0;
                boards[i].load_ms[boards[i].n++] = r.load_us / 1000.0;
            }
        }
    }
    printf("\n  board propagation: call-next commit -> a separate board process has re-read "
           "the board (%d calls, ms)\n",
           cfg->events);
    printf("  %-30s %8s %8s %8s %18s\n", "", "p50", "p99", "max", "re-read p50/p99");
    for (int i = 0; i < N_BOARDS; i++) {
        board_proc *bp = &boards[i];
        double l50 = bench_pct(bp->load_ms, bp->n, 50), l99 = bench_pct(bp->load_ms, bp->n, 99);
        printf("  %-30s %8.1f %8.1f %8.1f %9.1f / %5.1f\n", bp->label,
               bench_pct(bp->lat_ms, bp->n, 50), bench_pct(bp->lat_ms, bp->n, 99),
               bench_pct(bp->lat_ms, bp->n, 100), l50, l99);
    }
    printf("  (live_wait = what the board does: SQLite polls every %d ms, PostgreSQL blocks on "
           "LISTEN; blocking LISTEN = store_wait_change(s, 1000, ...))\n",
           cfg->poll_ms);
    rc = 0;
out:
    for (int b = 0; b < N_BACKENDS; b++)
        store_close(be[b].st);
    for (int i = 0; i < N_BOARDS; i++) {
        if (board_stop(&boards[i])) rc = -1;
        free(boards[i].lat_ms);
        free(boards[i].load_ms);
    }
    return rc;
}

/* ---- main ------------------------------------------------------------------ */

static int usage(void)
{
    fprintf(stderr, "usage: bench_backends [--clients N] [--officers N] [--tickets N] [--days N] "
                    "[--rounds N] [--runs N] [--events N] [--poll-ms N] [--sqlite PATH] "
                    "[--pg URI]\n"
                    "  PostgreSQL: --pg URI or $BK_TEST_DB_URI, an empty database; run under "
                    "tests/store/pg_cluster.sh for a throwaway one\n");
    return 2;
}

static int int_arg(const char *s, int lo, int hi, int *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static int parse(int argc, char **argv, bench_cfg *cfg)
{
    cfg->office = (bench_office){.clients = 20000, .officers = 60, .tickets = 200000, .days = 200};
    cfg->rounds = 1000;
    cfg->runs = 3;
    cfg->events = 200;
    cfg->poll_ms = LIVE_POLL_MS_DEFAULT;
    cfg->pg_uri = getenv("BK_TEST_DB_URI");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!v) return usage();
        if (strcmp(a, "--clients") == 0)
            bad = int_arg(v, 10, 999999, &cfg->office.clients);
        else if (strcmp(a, "--officers") == 0)
            bad = int_arg(v, 1, 72, &cfg->office.officers);
        else if (strcmp(a, "--tickets") == 0)
            bad = int_arg(v, 0, 10000000, &cfg->office.tickets);
        else if (strcmp(a, "--days") == 0)
            bad = int_arg(v, 1, 3650, &cfg->office.days);
        else if (strcmp(a, "--rounds") == 0)
            bad = int_arg(v, 10, 100000, &cfg->rounds);
        else if (strcmp(a, "--runs") == 0)
            bad = int_arg(v, 1, MAX_RUNS, &cfg->runs);
        else if (strcmp(a, "--events") == 0)
            bad = int_arg(v, 1, 100000, &cfg->events);
        else if (strcmp(a, "--poll-ms") == 0)
            bad = int_arg(v, 1, 10000, &cfg->poll_ms);
        else if (strcmp(a, "--sqlite") == 0)
            bad = snprintf(cfg->sqlite_path, sizeof cfg->sqlite_path, "%s", v) >=
                  (int)sizeof cfg->sqlite_path;
        else if (strcmp(a, "--pg") == 0)
            cfg->pg_uri = v;
        else
            return usage();
        if (bad) {
            fprintf(stderr, "bench_backends: %s %s: out of range or not a number\n", a, v);
            return 2;
        }
        i++;
    }
    if (cfg->office.tickets % cfg->office.days) {
        fprintf(stderr, "bench_backends: --tickets must be a multiple of --days\n");
        return 2;
    }
    if ((long)cfg->rounds * cfg->runs + cfg->events > cfg->office.clients) {
        fprintf(stderr, "bench_backends: rounds x runs + events must not exceed --clients "
                        "(one check-in per client and day)\n");
        return 2;
    }
    if (!cfg->pg_uri || !store_target_is_server(cfg->pg_uri)) {
        fprintf(stderr, "bench_backends: no PostgreSQL URI\n");
        return usage();
    }
    return 0;
}

/* The SQLite file, fresh: in a new temporary directory unless --sqlite. */
static int sqlite_location(bench_cfg *cfg)
{
    if (!cfg->sqlite_path[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(cfg->tmpdir, sizeof cfg->tmpdir, "%s/bk-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(cfg->tmpdir)) {
            perror("bench_backends: mkdtemp");
            cfg->tmpdir[0] = 0;
            return -1;
        }
        snprintf(cfg->sqlite_path, sizeof cfg->sqlite_path, "%s/office.db", cfg->tmpdir);
        return 0;
    }
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s%s", cfg->sqlite_path, sfx[i]);
        if (unlink(p) != 0 && errno != ENOENT) {
            perror(p);
            return -1;
        }
    }
    return 0;
}

static void sqlite_cleanup(const bench_cfg *cfg)
{
    if (!cfg->tmpdir[0]) return;
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s%s", cfg->sqlite_path, sfx[i]);
        unlink(p);
    }
    rmdir(cfg->tmpdir);
}

int main(int argc, char **argv)
{
    bench_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    int rc = parse(argc, argv, &cfg);
    if (rc) return rc;
    if (sqlite_location(&cfg)) return 1;
    rc = 1;
    backend be[N_BACKENDS];
    memset(be, 0, sizeof be);
    round_trip rt = {0};
    const char *target[N_BACKENDS] = {cfg.sqlite_path, cfg.pg_uri};

    char shown[512], version[64] = "?", fsync_on[16] = "?", sync_commit[16] = "?";
    paths_display(cfg.pg_uri, shown, sizeof shown);
    if (pg_admin(cfg.pg_uri, "SHOW server_version", version, sizeof version) ||
        pg_admin(cfg.pg_uri, "SHOW fsync", fsync_on, sizeof fsync_on) ||
        pg_admin(cfg.pg_uri, "SHOW synchronous_commit", sync_commit, sizeof sync_commit))
        goto out;
    printf("bench_backends: %d clients, %d officers, %d past visits over %d days; "
           "%d runs x %d rounds; %d board events\n",
           cfg.office.clients, cfg.office.officers, cfg.office.tickets, cfg.office.days, cfg.runs,
           cfg.rounds, cfg.events);
    printf("  SQLite %s: %s (WAL, synchronous=FULL, idle checkpoints)\n", sqlite3_libversion(),
           cfg.sqlite_path);
    printf("  PostgreSQL %s: %s (fsync=%s, synchronous_commit=%s)\n", version, shown, fsync_on,
           sync_commit);

    int64_t now = otime_now();
    char today[STORE_DAY_SZ];
    otime_day(now, 420, today);
    int64_t today_start;
    if (otime_day_start(today, 420, &today_start)) goto out;
    for (int b = 0; b < N_BACKENDS; b++)
        if (load_backend(&cfg, b, target[b], today_start)) goto out;

    for (int b = 0; b < N_BACKENDS; b++) {
        be[b].target = target[b];
        if (open_store(target[b], 0, &be[b].st)) goto out;
        be[b].q = (queue_ctx){.st = be[b].st, .utc_offset_min = 420, .actor = "bench"};
        for (int o = 0; o < N_OPS; o++)
            if (!(be[b].samples[o] = calloc((size_t)cfg.rounds, sizeof(double)))) goto out;
    }
    rt.conn = PQconnectdb(cfg.pg_uri);
    if (PQstatus(rt.conn) != CONNECTION_OK) {
        fprintf(stderr, "bench_backends: connect: %s", PQerrorMessage(rt.conn));
        goto out;
    }
    if (!(rt.samples = calloc((size_t)cfg.rounds, sizeof(double)))) goto out;
    /* Office days after today (10:00 local), so no real ticket interferes. */
    int64_t day_now = today_start + 3 * 86400 + 36000;
    int next_client = 0;
    if (latency_runs(&cfg, be, &rt, &day_now, &next_client)) goto out;
    latency_table(&cfg, be, &rt);
    PQfinish(rt.conn);
    rt.conn = NULL;
    for (int b = 0; b < N_BACKENDS; b++) {
        store_close(be[b].st);
        be[b].st = NULL;
    }
    if (propagation(&cfg, target, day_now + 86400, &next_client)) goto out;
    rc = 0;
out:
    PQfinish(rt.conn);
    free(rt.samples);
    for (int b = 0; b < N_BACKENDS; b++) {
        store_close(be[b].st);
        for (int o = 0; o < N_OPS; o++)
            free(be[b].samples[o]);
    }
    sqlite_cleanup(&cfg);
    return rc;
}
