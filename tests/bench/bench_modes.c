/* bench_modes.c — the live board (issue 5), in one run:
 *   1. propagation: a commit in this process (queue_call_next) to the
 *      board process's next frame showing it (p50/p99 over N calls; the
 *      board writes one CLOCK_MONOTONIC line per frame built for
 *      presentation to $BAPAS_BOARD_TRACE, presented right after);
 *   2. render time with 60 officers and 300 waiting tickets (--stats
 *      frame times of the same board, 1920x1080);
 *   3. the board's idle CPU (/proc utime+stime of the child over SECONDS,
 *      live clock, no script).
 *
 *   bench_modes PATH/TO/bapas-kiosk [CALLS] [IDLE_SECONDS]
 * Under Xvfb:
 *   xvfb-run -a -s "-screen 0 1920x1080x24" env SDL_VIDEODRIVER=x11 \
 *       BAPAS_ASSETS=assets build/tests/bench/bench_modes build/kiosk/app/bapas-kiosk
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"
#include "otime.h"
#include "queue.h"
#include "store.h"
#include "ui_loop.h"

#define N_OFFICERS 60
#define N_WAITING 300

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static long long pct(long long *v, int n, double p)
{
    if (n <= 0) return -1;
    qsort(v, (size_t)n, sizeof *v, cmp_ll);
    int i = (int)(p * (n - 1) + 0.5);
    return v[i];
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static long long cpu_ticks(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (long long)(ut + st);
}

static pid_t spawn(char *const argv[])
{
    pid_t p = fork();
    if (p == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    return p;
}

static int make_office(const char *db, queue_ctx *q, store **st)
{
    store_opts so = {.busy_timeout_ms = 5000, .utc_offset_min = 420, .create = 1};
    char err[256];
    if (store_open(db, &so, st, err, sizeof err)) {
        fprintf(stderr, "bench_modes: %s\n", err);
        return -1;
    }
    q->st = *st;
    q->utc_offset_min = 420;
    q->actor = "bench";
    if (demo_load(q)) return -1;
    for (int i = 9; i <= N_OFFICERS; i++) {
        store_officer o;
        memset(&o, 0, sizeof o);
        snprintf(o.id, sizeof o.id, "PK%02d", i);
        snprintf(o.name, sizeof o.name, "Petugas Kemasyarakatan Nomor %d", i);
        snprintf(o.room, sizeof o.room, "Ruang %d", i);
        o.active = 1;
        if (store_begin(*st, STORE_TX_WRITE) || store_officer_insert(*st, &o) || store_commit(*st))
            return -1;
    }
    for (int i = 0; i < N_WAITING; i++) {
        queue_view v;
        char to[16];
        snprintf(to, sizeof to, "PK%02d", 1 + i % N_OFFICERS);
        if (queue_walkin(q, BK_PURPOSE_REPORT, NULL, &v) ||
            queue_transfer(q, v.t.id, to, "bench", &v))
            return -1;
    }
    return 0;
}

/* The t_us of the first trace line at or after offset showing code. */
static long long find_frame(const char *path, const char *code, long *offset)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    fseek(f, *offset, SEEK_SET);
    char line[256];
    long long t = -1;
    while (fgets(line, sizeof line, f)) {
        if (!strchr(line, '\n')) break;
        *offset = ftell(f);
        long long ts;
        char cur[64];
        if (sscanf(line, "frame t_us=%lld current=%63s", &ts, cur) == 2 && !strcmp(cur, code)) {
            t = ts;
            break;
        }
    }
    fclose(f);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_modes PATH/TO/bapas-kiosk [CALLS] [IDLE_SECONDS]\n");
        return 2;
    }
    const char *bin = argv[1];
    int calls = argc > 2 ? atoi(argv[2]) : 100;
    int idle_s = argc > 3 ? atoi(argv[3]) : 20;
    char dir[] = "/tmp/bench-modes-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char db[256], trace[256], stats[256], cfgp[256];
    snprintf(db, sizeof db, "%s/office.db", dir);
    snprintf(trace, sizeof trace, "%s/trace.txt", dir);
    snprintf(stats, sizeof stats, "%s/stats.txt", dir);
    snprintf(cfgp, sizeof cfgp, "%s/b.ini", dir);
    FILE *cf = fopen(cfgp, "w");
    if (!cf) return 1;
    fprintf(cf, "[office]\nname = Bapas Bench\ntimezone = Asia/Jakarta\n[kiosk]\nsounds = no\n"
                "[printer]\ntarget = none\n");
    fclose(cf);
    unsetenv("BAPAS_NOW"); /* a live clock */
    queue_ctx q;
    memset(&q, 0, sizeof q);
    store *st = NULL;
    if (make_office(db, &q, &st)) {
        fprintf(stderr, "bench_modes: cannot build the office\n");
        return 1;
    }
    setenv("BAPAS_BOARD_TRACE", trace, 1);
    char *bargv[] = {(char *)bin, "--mode",     "board",     "--db",    db,    "--config",
                     cfgp,        "--windowed", "1920x1080", "--stats", stats, NULL};
    pid_t pid = spawn(bargv);
    sleep_ms(2500);
    long off = 0;
    long long *lat = calloc((size_t)calls, sizeof *lat);
    int n = 0;
    srand(7);
    for (int i = 0; i < calls; i++) {
        queue_view v;
        char who[16];
        snprintf(who, sizeof who, "PK%02d", 1 + i % N_OFFICERS);
        if (queue_call_next(&q, who, &v)) {
            fprintf(stderr, "bench_modes: call-next %s failed\n", who);
            continue;
        }
        long long t0 = ui_now_us(); /* committed */
        long long t = -1;
        for (int k = 0; k < 400 && t < 0; k++) {
            t = find_frame(trace, v.t.code, &off);
            if (t < 0) sleep_ms(2);
        }
        if (t >= 0) lat[n++] = t - t0;
        /* requeue nothing; next call picks another ticket */
        sleep_ms(60 + rand() % 200);
    }
    long long p50 = pct(lat, n, 0.5), p99 = pct(lat, n, 0.99), mx = n ? lat[n - 1] : -1;
    printf("propagation commit -> board frame (%d calls, 60 officers, %d waiting): "
           "p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 500 ms)\n",
           n, N_WAITING, p50 / 1000.0, p99 / 1000.0, mx / 1000.0);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);

    /* render times from --stats */
    FILE *sf = fopen(stats, "r");
    long long fr[8192];
    int nf = 0;
    char line[256];
    while (sf && fgets(line, sizeof line, sf) && nf < 8192) {
        long long us;
        if (sscanf(line, "frame screen=board us=%lld", &us) == 1) fr[nf++] = us;
    }
    if (sf) fclose(sf);
    printf("board frame (build + draw + present) 1920x1080, 60 officers, %d waiting: "
           "p50 %.2f ms, p99 %.2f ms over %d frames\n",
           N_WAITING, pct(fr, nf, 0.5) / 1000.0, pct(fr, nf, 0.99) / 1000.0, nf);

    /* idle CPU */
    unsetenv("BAPAS_BOARD_TRACE");
    char *iargv[] = {(char *)bin, "--mode", "board", "--db", db, "--config", cfgp, NULL};
    pid = spawn(iargv);
    sleep_ms(3000);
    long long a = cpu_ticks(pid);
    struct timeval w0, w1;
    gettimeofday(&w0, NULL);
    sleep((unsigned)idle_s);
    long long b = cpu_ticks(pid);
    gettimeofday(&w1, NULL);
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    double wall = (double)(w1.tv_sec - w0.tv_sec) + (w1.tv_usec - w0.tv_usec) / 1e6;
    double cpu = (double)(b - a) / (double)sysconf(_SC_CLK_TCK);
    const char *vd = getenv("SDL_VIDEODRIVER");
    printf("board idle (fullscreen, live clock, 100 ms data_version polling), "
           "SDL_VIDEODRIVER=%s: %.3f s CPU in %.1f s = %.2f %% of one core (target < 1 %%)\n",
           vd ? vd : "(default)", cpu, wall, 100.0 * cpu / wall);
    store_close(st);
    free(lat);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_modes: could not remove %s\n", dir);
    return 0;
}
