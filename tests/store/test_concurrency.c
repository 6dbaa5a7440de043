/* Concurrency: 4 processes check different clients in while 2 processes call
 * the next client in a loop, all on one SQLite file. Afterwards: no code
 * repeats within the day, every acknowledged check-in is there, no ticket was
 * called twice, and PRAGMA integrity_check is ok.
 *
 * Each worker appends an acknowledgement line to its own file only after
 * the store committed, so the file is the ground truth of "acknowledged". */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testdb.h"

#define CHECKIN_WORKERS 4
#define CALLER_WORKERS 2
#define PER_WORKER 60
#define OFFICERS 3

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

static void open_worker(testdb *t, const char *path)
{
    store_opts o = {.utc_offset_min = 420, .busy_timeout_ms = 20000, .create = 1};
    char err[256];
    if (store_open(path, &o, &t->st, err, sizeof err)) {
        fprintf(stderr, "worker open: %s\n", err);
        _exit(2);
    }
    memset(&t->q, 0, sizeof t->q);
    t->q.st = t->st;
    t->q.utc_offset_min = 420;
    t->q.actor = "worker";
}

static void checkin_worker(const char *path, const char *dir, int w)
{
    testdb t;
    open_worker(&t, path);
    char ack[400];
    snprintf(ack, sizeof ack, "%s/ack-in-%d", dir, w);
    FILE *f = fopen(ack, "w");
    if (!f) _exit(2);
    for (int i = 0; i < PER_WORKER; i++) {
        char no[16], birth[11];
        int k = w * PER_WORKER + i;
        snprintf(no, sizeof no, "K%04d", k);
        snprintf(birth, sizeof birth, "1980-01-%02u", 1u + (unsigned)k % 28u);
        queue_view v;
        bk_err e =
            queue_checkin(&t.q, no, birth, k % 2 ? BK_PURPOSE_COUNSELING : BK_PURPOSE_REPORT, &v);
        if (e) {
            fprintf(stderr, "checkin %s: %s %s\n", no, bk_err_name(e), store_errmsg(t.st));
            _exit(3);
        }
        fprintf(f, "%lld %s %s\n", (long long)v.t.id, v.t.code, no);
        fflush(f);
    }
    fclose(f);
    store_close(t.st);
    _exit(0);
}

static void caller_worker(const char *path, const char *dir, int w)
{
    testdb t;
    open_worker(&t, path);
    char ack[400], stop[400];
    snprintf(ack, sizeof ack, "%s/ack-call-%d", dir, w);
    snprintf(stop, sizeof stop, "%s/stop", dir);
    FILE *f = fopen(ack, "w");
    if (!f) _exit(2);
    int idle_rounds = 0;
    for (int round = 0;; round++) {
        char officer[8];
        snprintf(officer, sizeof officer, "PK%d", 1 + (round + w) % OFFICERS);
        queue_view v;
        bk_err e = queue_call_next(&t.q, officer, &v);
        if (e == BK_OK) {
            fprintf(f, "%lld %s\n", (long long)v.t.id, v.t.code);
            fflush(f);
            idle_rounds = 0;
        } else if (e == BK_ERR_NOT_FOUND) {
            struct stat st;
            if (stat(stop, &st) == 0 && ++idle_rounds > 3 * OFFICERS) break;
            usleep(1000);
        } else {
            fprintf(stderr, "call-next: %s %s\n", bk_err_name(e), store_errmsg(t.st));
            _exit(3);
        }
    }
    fclose(f);
    store_close(t.st);
    _exit(0);
}

typedef struct seen {
    int64_t ids[4096];
    char codes[4096][STORE_CODE_SZ];
    char status[4096][STORE_WORD_SZ];
    int calls[4096];
    int n;
} seen;

static bk_err collect(void *ud, const store_ticket *t)
{
    seen *s = ud;
    if (s->n < 4096) {
        s->ids[s->n] = t->id;
        snprintf(s->codes[s->n], STORE_CODE_SZ, "%s", t->code);
        snprintf(s->status[s->n], STORE_WORD_SZ, "%s", bk_status_name(t->status));
        s->calls[s->n] = t->calls;
        s->n++;
    }
    return BK_OK;
}

int main(void)
{
    testdb t;
    testdb_create(&t);
    t.q.fixed_now = 0; /* real clock: workers use it too */
    for (int k = 0; k < CHECKIN_WORKERS * PER_WORKER; k++) {
        char no[16], birth[11], officer[8];
        snprintf(no, sizeof no, "K%04d", k);
        snprintf(birth, sizeof birth, "1980-01-%02u", 1u + (unsigned)k % 28u);
        snprintf(officer, sizeof officer, "PK%d", 1 + k % OFFICERS);
        testdb_client(&t, no, birth, officer);
    }
    char day[11];
    queue_today(&t.q, day);
    store_close(t.st);
    t.st = NULL;

    pid_t pids[CHECKIN_WORKERS + CALLER_WORKERS];
    for (int w = 0; w < CHECKIN_WORKERS + CALLER_WORKERS; w++) {
        pid_t p = fork();
        if (p < 0) {
            perror("fork");
            return 1;
        }
        if (p == 0) {
            if (w < CHECKIN_WORKERS)
                checkin_worker(t.path, t.dir, w);
            else
                caller_worker(t.path, t.dir, w - CHECKIN_WORKERS);
        }
        pids[w] = p;
    }
    for (int w = 0; w < CHECKIN_WORKERS; w++) {
        int status = 0;
        waitpid(pids[w], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "check-in worker %d failed", w);
    }
    char stop[400];
    snprintf(stop, sizeof stop, "%s/stop", t.dir);
    FILE *sf = fopen(stop, "w");
    if (sf) fclose(sf);
    for (int w = CHECKIN_WORKERS; w < CHECKIN_WORKERS + CALLER_WORKERS; w++) {
        int status = 0;
        waitpid(pids[w], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "caller worker %d failed", w);
    }

    testdb_open_at(&t, t.path);
    static seen s;
    bk_err e = store_ticket_list(t.st, day, NULL, STORE_ST_ALL, collect, &s);
    CHECK(e == BK_OK, "list: %s", bk_err_name(e));
    CHECK(s.n == CHECKIN_WORKERS * PER_WORKER, "%d tickets, expected %d", s.n,
          CHECKIN_WORKERS * PER_WORKER);
    for (int i = 0; i < s.n; i++)
        for (int j = i + 1; j < s.n; j++)
            CHECK(strcmp(s.codes[i], s.codes[j]) != 0, "code %s repeats", s.codes[i]);

    /* Every acknowledged check-in is in the database with its code. */
    int acked = 0;
    for (int w = 0; w < CHECKIN_WORKERS; w++) {
        char ack[400];
        snprintf(ack, sizeof ack, "%s/ack-in-%d", t.dir, w);
        FILE *f = fopen(ack, "r");
        CHECK(f != NULL, "missing %s", ack);
        if (!f) continue;
        long long id;
        char code[16], no[16];
        while (fscanf(f, "%lld %15s %15s", &id, code, no) == 3) {
            store_ticket tk;
            e = store_ticket_get(t.st, id, &tk);
            CHECK(e == BK_OK, "acknowledged ticket %lld missing", id);
            if (e == BK_OK) {
                CHECK(strcmp(tk.code, code) == 0, "ticket %lld code %s != %s", id, tk.code, code);
                CHECK(strcmp(tk.client_no, no) == 0, "ticket %lld client mismatch", id);
            }
            acked++;
        }
        fclose(f);
    }
    CHECK(acked == CHECKIN_WORKERS * PER_WORKER, "%d acknowledged check-ins", acked);

    /* No ticket was called twice. */
    static int64_t called[4096];
    int ncalled = 0;
    for (int w = 0; w < CALLER_WORKERS; w++) {
        char ack[400];
        snprintf(ack, sizeof ack, "%s/ack-call-%d", t.dir, w);
        FILE *f = fopen(ack, "r");
        CHECK(f != NULL, "missing %s", ack);
        if (!f) continue;
        long long id;
        char code[16];
        while (fscanf(f, "%lld %15s", &id, code) == 2 && ncalled < 4096)
            called[ncalled++] = id;
        fclose(f);
    }
    for (int i = 0; i < ncalled; i++)
        for (int j = i + 1; j < ncalled; j++)
            CHECK(called[i] != called[j], "ticket %lld called twice", (long long)called[i]);
    CHECK(ncalled == s.n, "%d calls for %d tickets (all should be called once)", ncalled, s.n);
    for (int i = 0; i < s.n; i++)
        CHECK(strcmp(s.status[i], "called") == 0 && s.calls[i] == 1, "ticket %s status %s calls %d",
              s.codes[i], s.status[i], s.calls[i]);

    int ok = 0;
    char msg[256];
    e = store_check(t.st, 1, &ok, msg, sizeof msg);
    CHECK(e == BK_OK && ok, "integrity_check: %s", msg);
    printf("concurrency: %d check-ins by %d processes, %d calls by %d processes, %d failures\n",
           acked, CHECKIN_WORKERS, ncalled, CALLER_WORKERS, failures);
    testdb_destroy(&t);
    return failures ? 1 : 0;
}
