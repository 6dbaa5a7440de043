/* Crash safety: a process checking clients in is killed with SIGKILL at a
 * random moment, many times. Every check-in it reported as done (after the
 * commit returned) must be in the database afterwards with its audit row, and
 * PRAGMA integrity_check must be ok. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "testdb.h"

#define ROUNDS 30
#define PER_ROUND 150

static int failures;
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static void child(const char *path, int round, int fd)
{
    store_opts o = {.utc_offset_min = 420, .busy_timeout_ms = 20000, .create = 1};
    store *st = NULL;
    char err[256];
    if (store_open(path, &o, &st, err, sizeof err)) _exit(2);
    queue_ctx q = {.st = st, .utc_offset_min = 420, .actor = "crash"};
    for (int i = 0; i < PER_ROUND; i++) {
        char no[16];
        snprintf(no, sizeof no, "X%05d", round * PER_ROUND + i);
        queue_view v;
        if (queue_checkin(&q, no, "1985-05-05", BK_PURPOSE_REPORT, &v)) _exit(3);
        char line[64];
        int n = snprintf(line, sizeof line, "%lld %s\n", (long long)v.t.id, v.t.code);
        if (write(fd, line, (size_t)n) != n) _exit(4);
    }
    store_close(st);
    _exit(0);
}

typedef struct acks {
    long long id[ROUNDS * PER_ROUND];
    char code[ROUNDS * PER_ROUND][STORE_CODE_SZ];
    int n;
} acks;

static void parse(acks *a, char *buf, size_t *len)
{
    char *start = buf, *nl;
    while ((nl = memchr(start, '\n', *len - (size_t)(start - buf)))) {
        *nl = 0;
        long long id;
        char code[STORE_CODE_SZ];
        if (sscanf(start, "%lld %11s", &id, code) == 2 && a->n < ROUNDS * PER_ROUND) {
            a->id[a->n] = id;
            snprintf(a->code[a->n], STORE_CODE_SZ, "%s", code);
            a->n++;
        }
        start = nl + 1;
    }
    size_t rest = *len - (size_t)(start - buf);
    memmove(buf, start, rest);
    *len = rest;
}

static bk_err count_checkin(void *ud, const store_audit_row *r)
{
    if (strcmp(r->action, "checkin") == 0) (*(int *)ud)++;
    return BK_OK;
}

int main(void)
{
    testdb t;
    testdb_create(&t);
    for (int k = 0; k < ROUNDS * PER_ROUND; k++) {
        char no[16];
        snprintf(no, sizeof no, "X%05d", k);
        testdb_client(&t, no, "1985-05-05", k % 2 ? "PK1" : "PK2");
    }
    store_close(t.st);
    t.st = NULL;
    srand((unsigned)time(NULL));
    static acks a;
    int killed_mid = 0;
    for (int r = 0; r < ROUNDS; r++) {
        int fds[2];
        if (pipe(fds) != 0) {
            perror("pipe");
            return 1;
        }
        pid_t p = fork();
        if (p < 0) {
            perror("fork");
            return 1;
        }
        if (p == 0) {
            close(fds[0]);
            child(t.path, r, fds[1]);
        }
        close(fds[1]);
        /* Let it run a random while (2..42 ms), then SIGKILL. */
        int wait_ms = 2 + rand() % 40;
        char buf[8192];
        size_t len = 0;
        struct timespec t0, now;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (;;) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            long el = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
            if (el >= wait_ms) break;
            struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
            if (poll(&pfd, 1, (int)(wait_ms - el)) > 0) {
                ssize_t n = read(fds[0], buf + len, sizeof buf - len - 1);
                if (n <= 0) break;
                len += (size_t)n;
                parse(&a, buf, &len);
            }
        }
        kill(p, SIGKILL);
        int status = 0;
        waitpid(p, &status, 0);
        if (WIFSIGNALED(status)) killed_mid++;
        /* Whatever it wrote before dying was acknowledged. */
        ssize_t n;
        while ((n = read(fds[0], buf + len, sizeof buf - len - 1)) > 0) {
            len += (size_t)n;
            parse(&a, buf, &len);
        }
        close(fds[0]);
    }

    testdb_open_at(&t, t.path);
    for (int i = 0; i < a.n; i++) {
        store_ticket tk;
        bk_err e = store_ticket_get(t.st, a.id[i], &tk);
        CHECK(e == BK_OK, "acknowledged ticket %lld lost", a.id[i]);
        if (e == BK_OK) {
            CHECK(strcmp(tk.code, a.code[i]) == 0, "ticket %lld code changed", a.id[i]);
            int audits = 0;
            store_audit_list(t.st, tk.id, 0, 0, count_checkin, &audits);
            CHECK(audits == 1, "ticket %lld has %d checkin audit rows", a.id[i], audits);
        }
    }
    int ok = 0;
    char msg[256];
    bk_err e = store_check(t.st, 1, &ok, msg, sizeof msg);
    CHECK(e == BK_OK && ok, "integrity_check: %s", msg);
    CHECK(killed_mid >= ROUNDS / 2, "only %d of %d rounds were killed mid-run", killed_mid, ROUNDS);
    printf("crash: %d rounds (%d killed mid-run), %d acknowledged check-ins verified, "
           "%d failures\n",
           ROUNDS, killed_mid, a.n, failures);
    testdb_destroy(&t);
    return failures ? 1 : 0;
}
