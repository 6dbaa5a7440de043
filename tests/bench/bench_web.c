/* bench_web.c — figures of the office server (issue 14), not a test:
 *  1. one reception write through the API over loopback with keep-alive
 *     (POST /api/walkins: the ticket insert and its audit row; the API has
 *     no client check-in, which is the kiosk's) against the same write
 *     in-process (queue_walkin_key on the same file), in one run: p50, p99
 *     and the server's overhead as a ratio of medians;
 *  2. STREAMS event streams (GET /api/events) while another process's
 *     connection commits RATE walk-ins a second: from the start of each
 *     commit to its "change" event on each stream, p50/p99; the daemon's
 *     RSS and CPU over that phase.
 * It makes a SQLite office in a temp dir, starts the real bapas-web on a
 * free port and talks HTTP to it over plain sockets.
 *
 * usage: bench_web BAPAS_WEB [--n N] [--streams S] [--rate R] [--seconds T]
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "account.h"
#include "benchlib.h"
#include "otime.h"
#include "queue.h"
#include "store_user.h"
#include "token.h"

static void die(const char *what)
{
    fprintf(stderr, "bench_web: %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
    exit(1);
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa)) die("connect");
    return fd;
}

static void send_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
        if (k <= 0) die("send");
        s += k;
        n -= (size_t)k;
    }
}

/* One HTTP/1.1 answer on a keep-alive connection: headers and a
 * Content-Length body into buf. Returns the status. */
static int read_answer(int fd, char *buf, size_t sz)
{
    size_t got = 0;
    char *end = NULL;
    while (!(end = strstr(buf, "\r\n\r\n"))) {
        if (got + 1 >= sz) die("answer too long");
        ssize_t k = recv(fd, buf + got, sz - 1 - got, 0);
        if (k <= 0) die("recv");
        got += (size_t)k;
        buf[got] = 0;
    }
    const char *cl = strstr(buf, "\r\nContent-Length:");
    size_t body = cl ? (size_t)atol(cl + 17) : 0, head = (size_t)(end + 4 - buf);
    while (got < head + body) {
        ssize_t k = recv(fd, buf + got, sz - 1 - got, 0);
        if (k <= 0) die("recv body");
        got += (size_t)k;
        buf[got] = 0;
    }
    return atoi(buf + 9);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void cpu_rss(pid_t pid, double *cpu_s, long *rss_kib)
{
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    *cpu_s = 0;
    if (f && fgets(buf, sizeof buf, f)) {
        const char *p = strrchr(buf, ')');
        unsigned long ut = 0, st = 0;
        if (p &&
            sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
            *cpu_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
    }
    if (f) fclose(f);
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    *rss_kib = 0;
    while (f && fgets(buf, sizeof buf, f))
        if (strncmp(buf, "VmRSS:", 6) == 0) *rss_kib = atol(buf + 6);
    if (f) fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr,
                "usage: bench_web BAPAS_WEB [--n N] [--streams S] [--rate R] [--seconds T]\n");
        return 2;
    }
    int n = 400, streams = 200, rate = 20, seconds = 10;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--n") == 0) n = atoi(argv[i + 1]);
        if (strcmp(argv[i], "--streams") == 0) streams = atoi(argv[i + 1]);
        if (strcmp(argv[i], "--rate") == 0) rate = atoi(argv[i + 1]);
        if (strcmp(argv[i], "--seconds") == 0) seconds = atoi(argv[i + 1]);
    }
    if (n < 10 || streams < 1 || rate < 1 || seconds < 1) return 2;
    char dir[] = "/tmp/bk-benchweb.XXXXXX";
    if (!mkdtemp(dir)) die("mkdtemp");
    char db[128], ini[128];
    snprintf(db, sizeof db, "%s/office.db", dir);
    snprintf(ini, sizeof ini, "%s/web.ini", dir);
    FILE *f = fopen(ini, "w");
    if (!f) die("ini");
    fprintf(f, "[accounts]\nhash_iterations = 1\nhash_memory_kib = 64\n");
    fclose(f);

    /* the office and a reception account */
    store *s = NULL;
    char err[256];
    store_opts so = {.utc_offset_min = 420, .create = 1, .busy_timeout_ms = 5000};
    if (store_open(db, &so, &s, err, sizeof err)) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    char today[11];
    otime_day(otime_now(), 420, today);
    int64_t today_start;
    otime_day_start(today, 420, &today_start);
    const bench_office office = {.clients = 200, .officers = 8, .tickets = 0, .days = 1};
    account_ctx a;
    account_ctx_defaults(&a, s, "bench");
    a.t_cost = 1;
    a.m_cost_kib = 64;
    store_user u = {
        .role = BK_ROLE_RECEPTION, .created_at = otime_now(), .changed_at = otime_now()};
    snprintf(u.name, sizeof u.name, "rina");
    if (bench_office_load(s, &office, today_start, 0) ||
        account_hash(&a, "rahasia-rina-1", u.hash, sizeof u.hash) ||
        store_begin(s, STORE_TX_WRITE) || store_user_insert(s, &u) || store_commit(s))
        die("office");

    /* the daemon */
    int out[2];
    if (pipe(out)) die("pipe");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execl(argv[1], argv[1], "--listen", "127.0.0.1:0", "--db", db, "--config", ini,
              (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    char line[128] = "";
    size_t got = 0;
    while (!strchr(line, '\n') && got < sizeof line - 1) {
        ssize_t k = read(out[0], line + got, sizeof line - 1 - got);
        if (k <= 0) die("bapas-web did not start");
        got += (size_t)k;
        line[got] = 0;
    }
    const char *colon = strrchr(line, ':');
    int port = colon ? atoi(colon + 1) : 0;
    if (!port) die("no port");

    static char buf[1 << 16], req[4096];
    int fd = connect_to(port);
    const char *lb = "{\"user\":\"rina\",\"password\":\"rahasia-rina-1\"}";
    int rl = snprintf(req, sizeof req,
                      "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: %zu\r\n\r\n%s",
                      strlen(lb), lb);
    send_all(fd, req, (size_t)rl);
    buf[0] = 0;
    if (read_answer(fd, buf, sizeof buf) != 200) die("login");
    char cookie[80] = "", csrf[80] = "";
    const char *c = strstr(buf, "bapas_session="), *t = strstr(buf, "\"csrf\":\"");
    if (!c || !t) die("no session");
    snprintf(cookie, sizeof cookie, "%.64s", c + 14);
    snprintf(csrf, sizeof csrf, "%.64s", t + 8);

    /* 1. the API against in-process */
    double *api = calloc((size_t)n, sizeof *api), *inproc = calloc((size_t)n, sizeof *inproc);
    const char *wb = "{\"purpose\":\"other\"}";
    for (int i = 0; i < n; i++) {
        rl = snprintf(req, sizeof req,
                      "POST /api/walkins HTTP/1.1\r\nHost: x\r\nCookie: bapas_session=%s\r\n"
                      "X-CSRF-Token: %s\r\nContent-Type: application/json\r\n"
                      "Content-Length: %zu\r\n\r\n%s",
                      cookie, csrf, strlen(wb), wb);
        double t0 = bench_now_us();
        send_all(fd, req, (size_t)rl);
        buf[0] = 0;
        int st = read_answer(fd, buf, sizeof buf);
        api[i] = bench_now_us() - t0;
        if (st != 200) die("walk-in through the API");
    }
    queue_ctx q = {.st = s, .utc_offset_min = 420, .actor = "bench"};
    for (int i = 0; i < n; i++) {
        queue_view v;
        double t0 = bench_now_us();
        if (queue_walkin_key(&q, BK_PURPOSE_OTHER, NULL, NULL, &v)) die("walk-in in-process");
        inproc[i] = bench_now_us() - t0;
    }
    double a50 = bench_pct(api, n, 50), a99 = bench_pct(api, n, 99);
    double i50 = bench_pct(inproc, n, 50), i99 = bench_pct(inproc, n, 99);
    printf("bench_web: %d walk-ins each way on SQLite (synchronous=FULL)\n", n);
    printf("  through the API (keep-alive): p50 %.2f ms  p99 %.2f ms\n", a50 / 1000, a99 / 1000);
    printf("  in-process (queue_walkin):    p50 %.2f ms  p99 %.2f ms\n", i50 / 1000, i99 / 1000);
    printf("  server overhead: median ratio %.2f\n", a50 / i50);

    /* 2. event streams */
    int *sfd = calloc((size_t)streams, sizeof *sfd);
    for (int k = 0; k < streams; k++) {
        sfd[k] = connect_to(port);
        rl = snprintf(req, sizeof req,
                      "GET /api/events HTTP/1.1\r\nHost: x\r\nCookie: bapas_session=%s\r\n\r\n",
                      cookie);
        send_all(sfd[k], req, (size_t)rl);
    }
    /* wait for every hello */
    for (int k = 0; k < streams; k++) {
        char hb[2048];
        size_t hg = 0;
        hb[0] = 0;
        while (!strstr(hb, "event: hello")) {
            ssize_t r = recv(sfd[k], hb + hg, sizeof hb - 1 - hg, 0);
            if (r <= 0) die("stream hello");
            hg += (size_t)r;
            hb[hg] = 0;
        }
    }
    int commits = rate * seconds;
    double *commit_at = calloc((size_t)commits, sizeof *commit_at);
    double *lat = calloc((size_t)commits * (size_t)streams, sizeof *lat);
    int *matched = calloc((size_t)streams, sizeof *matched), nlat = 0, made = 0;
    struct pollfd *pf = calloc((size_t)streams, sizeof *pf);
    for (int k = 0; k < streams; k++)
        pf[k] = (struct pollfd){.fd = sfd[k], .events = POLLIN};
    double cpu0, cpu1;
    long rss0, rss1;
    cpu_rss(pid, &cpu0, &rss0);
    double start = bench_now_us(), step = 1e6 / rate, wall0 = start;
    while (made < commits || nlat < commits * streams) {
        double now = bench_now_us();
        if (made < commits && now >= start + made * step) {
            queue_view v;
            commit_at[made] = bench_now_us();
            if (queue_walkin_key(&q, BK_PURPOSE_OTHER, NULL, NULL, &v)) die("commit");
            made++;
            continue;
        }
        if (now - wall0 > (seconds + 10) * 1e6) {
            fprintf(stderr, "bench_web: events missing after the last commit\n");
            break;
        }
        double until = made < commits ? start + made * step : now + 100000;
        int ms = (int)((until - now) / 1000);
        if (poll(pf, (nfds_t)streams, ms < 0 ? 0 : ms) <= 0) continue;
        double arrived = bench_now_us();
        for (int k = 0; k < streams; k++) {
            if (!(pf[k].revents & POLLIN)) continue;
            char rb[4096];
            ssize_t r = recv(sfd[k], rb, sizeof rb - 1, 0);
            if (r <= 0) die("stream closed");
            rb[r] = 0;
            if (!strstr(rb, "event: change")) continue;
            /* every commit of this stream not yet seen, started before now */
            while (matched[k] < made && commit_at[matched[k]] < arrived) {
                lat[nlat++] = arrived - commit_at[matched[k]];
                matched[k]++;
            }
        }
    }
    double wall = bench_now_us() - wall0;
    cpu_rss(pid, &cpu1, &rss1);
    qsort(lat, (size_t)nlat, sizeof *lat, cmp_d);
    printf("bench_web: %d event streams, %d commits a second by another connection for %d s\n",
           streams, rate, seconds);
    printf("  commit to event (%d pairs): p50 %.1f ms  p99 %.1f ms  max %.1f ms\n", nlat,
           bench_pct(lat, nlat, 50) / 1000, bench_pct(lat, nlat, 99) / 1000,
           nlat ? lat[nlat - 1] / 1000 : 0);
    printf("  daemon: RSS %ld KiB (before the streams %ld KiB), CPU %.1f %% of one core\n", rss1,
           rss0, 100 * (cpu1 - cpu0) / (wall / 1e6));

    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    store_close(s);
    char rm[200];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    if (system(rm) != 0) return 1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
