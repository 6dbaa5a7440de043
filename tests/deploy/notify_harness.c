/* notify_harness — plays systemd's part for one Type=notify service with
 * WatchdogSec=, to test a program's READY=1 / WATCHDOG=1 / STOPPING=1.
 *
 * usage: notify_harness [options] -- COMMAND [ARGS...]
 *   --abstract              use an abstract socket ("@name") instead of a path
 *   --watchdog-usec U       WATCHDOG_USEC for the child (default 400000; 0 = none)
 *   --run-ms N              how long to let it run before SIGTERM (default 2000)
 *   --ready-timeout-ms N    READY=1 must come within N ms (default 5000)
 *   --min-pings N           at least N WATCHDOG=1 after READY=1 (default 3)
 *   --expect-watchdog-timeout
 *                           the child is meant to stop pinging: pass only if
 *                           the watchdog fires (the child is then killed with
 *                           SIGABRT, as systemd does, and "restarted" = reported)
 *   --allow-exit            the child may exit by itself before --run-ms
 *
 * Like systemd: the child gets NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID
 * (its own pid); a message counts only if its sender (SCM_CREDENTIALS) is the
 * child itself (NotifyAccess=main); the watchdog is armed when the child
 * starts and fires when no WATCHDOG=1 came for WATCHDOG_USEC.
 *
 * Prints a summary ("ready after N ms, P pings, longest gap G ms, ...") and
 * exits 0 when every expectation held, 1 otherwise, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct opts {
    int abstract;
    long long watchdog_usec;
    long run_ms, ready_timeout_ms, min_pings;
    int expect_timeout, allow_exit;
    char **cmd;
} opts;

typedef struct result {
    long long ready_ms; /* -1 = never */
    long pings;         /* WATCHDOG=1 after READY=1 */
    long pings_before_ready;
    long long max_gap_ms; /* longest time without a ping while armed (after READY) */
    int stopping;
    int watchdog_fired;
    long foreign; /* messages from other pids (ignored) */
    int exited_early;
    int status; /* wait status */
    char last_status[256];
} result;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int usage(void)
{
    fprintf(stderr, "usage: notify_harness [--abstract] [--watchdog-usec U] [--run-ms N] "
                    "[--ready-timeout-ms N] [--min-pings N] [--expect-watchdog-timeout] "
                    "[--allow-exit] -- COMMAND [ARGS...]\n");
    return 2;
}

static int parse(int argc, char **argv, opts *o)
{
    o->watchdog_usec = 400000;
    o->run_ms = 2000;
    o->ready_timeout_ms = 5000;
    o->min_pings = 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            if (i + 1 >= argc) return 0;
            o->cmd = argv + i + 1;
            return 1;
        } else if (!strcmp(a, "--abstract")) {
            o->abstract = 1;
        } else if (!strcmp(a, "--expect-watchdog-timeout")) {
            o->expect_timeout = 1;
        } else if (!strcmp(a, "--allow-exit")) {
            o->allow_exit = 1;
        } else if (i + 1 < argc &&
                   (!strcmp(a, "--watchdog-usec") || !strcmp(a, "--run-ms") ||
                    !strcmp(a, "--ready-timeout-ms") || !strcmp(a, "--min-pings"))) {
            char *end;
            long long v = strtoll(argv[++i], &end, 10);
            if (*end || v < 0) return 0;
            if (!strcmp(a, "--watchdog-usec"))
                o->watchdog_usec = v;
            else if (!strcmp(a, "--run-ms"))
                o->run_ms = (long)v;
            else if (!strcmp(a, "--ready-timeout-ms"))
                o->ready_timeout_ms = (long)v;
            else
                o->min_pings = (long)v;
        } else {
            return 0;
        }
    }
    return 0;
}

/* Receive one datagram with its sender pid. -1 = nothing/error. */
static int recv_cred(int fd, char *buf, size_t sz, pid_t *pid)
{
    struct iovec iov = {.iov_base = buf, .iov_len = sz - 1};
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(struct ucred))];
    } ctl;
    struct msghdr m = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &ctl, .msg_controllen = sizeof ctl};
    ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
    if (n < 0) return -1;
    buf[n] = 0;
    *pid = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
            struct ucred u;
            memcpy(&u, CMSG_DATA(c), sizeof u);
            *pid = u.pid;
        }
    }
    return (int)n;
}

/* Apply one notify message (newline-separated assignments). */
static void handle(const char *msg, result *r, long long t, long long start, long long *last_ping)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", msg);
    char *save = NULL;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (!strcmp(l, "READY=1")) {
            if (r->ready_ms < 0) r->ready_ms = t - start;
            *last_ping = t;
        } else if (!strcmp(l, "WATCHDOG=1")) {
            if (r->ready_ms < 0) {
                r->pings_before_ready++;
            } else {
                long long gap = t - *last_ping;
                if (gap > r->max_gap_ms) r->max_gap_ms = gap;
                r->pings++;
            }
            *last_ping = t;
        } else if (!strcmp(l, "STOPPING=1")) {
            r->stopping = 1;
        } else if (!strncmp(l, "STATUS=", 7)) {
            snprintf(r->last_status, sizeof r->last_status, "%s", l + 7);
        }
    }
}

int main(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    if (!parse(argc, argv, &o)) return usage();
    result r;
    memset(&r, 0, sizeof r);
    r.ready_ms = -1;

    char dir[64] = "", path[128] = "", env[160];
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    socklen_t alen;
    if (o.abstract) {
        char name[64];
        snprintf(name, sizeof name, "bk-harness-%ld-%lld", (long)getpid(), now_ms());
        memcpy(a.sun_path + 1, name, strlen(name));
        alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
        snprintf(env, sizeof env, "@%s", name);
    } else {
        snprintf(dir, sizeof dir, "/tmp/bk-harness-XXXXXX");
        if (!mkdtemp(dir)) {
            perror("notify_harness: mkdtemp");
            return 1;
        }
        snprintf(path, sizeof path, "%s/notify", dir);
        if (strlen(path) >= sizeof a.sun_path) {
            fprintf(stderr, "notify_harness: socket path too long\n");
            return 1;
        }
        memcpy(a.sun_path, path, strlen(path) + 1);
        alen = (socklen_t)sizeof a;
        snprintf(env, sizeof env, "%s", path);
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, alen) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) != 0) {
        perror("notify_harness: socket");
        return 1;
    }

    long long start = now_ms();
    pid_t child = fork();
    if (child < 0) {
        perror("notify_harness: fork");
        return 1;
    }
    if (child == 0) {
        char wd[32], pid[32];
        setenv("NOTIFY_SOCKET", env, 1);
        if (o.watchdog_usec > 0) {
            snprintf(wd, sizeof wd, "%lld", o.watchdog_usec);
            snprintf(pid, sizeof pid, "%ld", (long)getpid());
            setenv("WATCHDOG_USEC", wd, 1);
            setenv("WATCHDOG_PID", pid, 1);
        } else {
            unsetenv("WATCHDOG_USEC");
            unsetenv("WATCHDOG_PID");
        }
        execvp(o.cmd[0], o.cmd);
        perror("notify_harness: exec");
        _exit(127);
    }

    long long last_ping = start, wd_ms = o.watchdog_usec / 1000;
    int done = 0, sent_term = 0;
    long long term_at = 0;
    while (!done) {
        long long t = now_ms();
        int st;
        pid_t w = waitpid(child, &st, WNOHANG);
        if (w == child) {
            r.status = st;
            if (!sent_term) r.exited_early = 1;
            done = 1;
        }
        /* drain messages (also after exit: they may still be queued) */
        char buf[4096];
        pid_t from;
        while (recv_cred(fd, buf, sizeof buf, &from) >= 0) {
            if (from != child) {
                r.foreign++;
                continue;
            }
            handle(buf, &r, now_ms(), start, &last_ping);
        }
        if (done) break;
        t = now_ms();
        if (!sent_term && wd_ms > 0 && t - last_ping > wd_ms) {
            /* systemd: "Watchdog timeout (limit ...)!", SIGABRT, then restart */
            r.watchdog_fired = 1;
            long long gap = t - last_ping;
            if (gap > r.max_gap_ms) r.max_gap_ms = gap;
            kill(child, SIGABRT);
            sent_term = 1;
            term_at = t;
        } else if (!sent_term && t - start >= o.run_ms) {
            kill(child, SIGTERM);
            sent_term = 1;
            term_at = t;
        } else if (sent_term && t - term_at > 5000) {
            kill(child, SIGKILL);
        }
        if (r.ready_ms < 0 && !sent_term && t - start > o.ready_timeout_ms) {
            kill(child, SIGTERM);
            sent_term = 1;
            term_at = t;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        poll(&p, 1, 10);
    }
    close(fd);
    if (path[0]) {
        unlink(path);
        rmdir(dir);
    }

    printf("notify_harness: ready after %lld ms, %ld watchdog pings (%ld before ready), "
           "longest gap %lld ms (limit %lld ms), stopping=%d, watchdog fired=%d, "
           "status \"%s\", foreign messages %ld, ",
           r.ready_ms, r.pings, r.pings_before_ready, r.max_gap_ms, wd_ms, r.stopping,
           r.watchdog_fired, r.last_status, r.foreign);
    if (WIFEXITED(r.status))
        printf("exit %d%s\n", WEXITSTATUS(r.status), r.exited_early ? " (by itself)" : "");
    else if (WIFSIGNALED(r.status))
        printf("killed by signal %d\n", WTERMSIG(r.status));
    else
        printf("\n");

    int ok = 1;
#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("notify_harness: FAIL: " __VA_ARGS__);                                          \
            printf("\n");                                                                          \
            ok = 0;                                                                                \
        }                                                                                          \
    } while (0)
    EXPECT(r.ready_ms >= 0 && r.ready_ms <= o.ready_timeout_ms, "no READY=1 within %ld ms",
           o.ready_timeout_ms);
    if (o.expect_timeout) {
        EXPECT(r.watchdog_fired, "the watchdog was expected to fire and did not");
        EXPECT(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGABRT,
               "the hung child was not killed by the watchdog's SIGABRT");
    } else {
        EXPECT(!r.watchdog_fired, "watchdog timeout: no WATCHDOG=1 for %lld ms", r.max_gap_ms);
        EXPECT(r.pings >= o.min_pings, "only %ld WATCHDOG=1 pings, wanted at least %ld", r.pings,
               o.min_pings);
        EXPECT(wd_ms == 0 || r.max_gap_ms <= wd_ms, "a gap of %lld ms between pings", r.max_gap_ms);
        EXPECT(o.allow_exit || !r.exited_early, "the program exited by itself");
        EXPECT(r.exited_early || r.stopping, "no STOPPING=1 after SIGTERM");
        EXPECT(r.exited_early || (WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0),
               "did not exit 0 after SIGTERM");
    }
    EXPECT(r.foreign == 0, "%ld messages from other processes", r.foreign);
    return ok ? 0 : 1;
}
