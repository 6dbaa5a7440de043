/* Fault test (PostgreSQL only): the server restarts in the middle of a
 * stream of check-ins from several processes. No acknowledged check-in may
 * be lost, none may be written twice, and the clients recover by themselves
 * (a check-in that fails with a connection error is simply tried again, as
 * the kiosk does; a retry of a check-in whose commit did happen returns the
 * existing ticket instead of a second one).
 *
 * Needs BK_TEST_DB_URI, BK_TEST_PG_DIR and BK_TEST_PG_BIN from pg_cluster.sh;
 * exits 77 (skipped) without them. */
#include <errno.h>
#include <sys/wait.h>

#include "testdb.h"

#define WORKERS 3
#define PER_WORKER 40

static void worker(const char *path, const char *dir, int w)
{
    testdb t;
    store_opts o = {.utc_offset_min = 420, .busy_timeout_ms = 20000, .create = 1};
    char err[256];
    if (store_open(path, &o, &t.st, err, sizeof err)) {
        fprintf(stderr, "worker open: %s\n", err);
        _exit(2);
    }
    memset(&t.q, 0, sizeof t.q);
    t.q.st = t.st;
    t.q.utc_offset_min = 420;
    t.q.actor = "worker";
    t.q.fixed_now = TESTDB_MONDAY_0900;
    char ack[400];
    snprintf(ack, sizeof ack, "%s/ack-%d", dir, w);
    FILE *f = fopen(ack, "w");
    if (!f) _exit(2);
    int retries = 0;
    for (int i = 0; i < PER_WORKER; i++) {
        char no[16], birth[11];
        int k = w * PER_WORKER + i;
        snprintf(no, sizeof no, "R%04d", k);
        snprintf(birth, sizeof birth, "1980-01-%02u", 1u + (unsigned)k % 28u);
        queue_view v;
        bk_err e;
        for (int tries = 0;; tries++) {
            e = queue_checkin(&t.q, no, birth, BK_PURPOSE_REPORT, &v);
            if (e == BK_OK) break;
            if ((e != BK_ERR_IO && e != BK_ERR_BUSY) || tries > 300) {
                fprintf(stderr, "worker %d: %s: %s\n", w, bk_err_name(e), store_errmsg(t.st));
                _exit(3);
            }
            if (store_in_tx(t.st)) store_rollback(t.st);
            retries++;
            usleep(50000);
        }
        fprintf(f, "%s %lld %s\n", no, (long long)v.t.id, v.t.code);
        fflush(f);
        usleep(10000);
    }
    fclose(f);
    store_close(t.st);
    printf("worker %d: %d check-ins, %d retried attempts\n", w, PER_WORKER, retries);
    fflush(stdout);
    _exit(0);
}

typedef struct tally {
    int n;
    char no[WORKERS * PER_WORKER * 2][STORE_ID_SZ];
    char code[WORKERS * PER_WORKER * 2][STORE_CODE_SZ];
} tally;

static bk_err collect(void *ud, const store_ticket *t)
{
    tally *s = ud;
    if (s->n < WORKERS * PER_WORKER * 2) {
        snprintf(s->no[s->n], STORE_ID_SZ, "%s", t->client_no);
        snprintf(s->code[s->n], STORE_CODE_SZ, "%s", t->code);
        s->n++;
    }
    return BK_OK;
}

int main(void)
{
    const char *pgdir = getenv("BK_TEST_PG_DIR"), *pgbin = getenv("BK_TEST_PG_BIN");
    if (!testdb_is_pg() || !pgdir || !pgbin) {
        fprintf(stderr, "test_pgrestart: SKIP: run through pg_cluster.sh\n");
        return 77;
    }
    int failures = 0;
    testdb t;
    testdb_create(&t);
    for (int k = 0; k < WORKERS * PER_WORKER; k++) {
        char no[16], birth[11], officer[8];
        snprintf(no, sizeof no, "R%04d", k);
        snprintf(birth, sizeof birth, "1980-01-%02u", 1u + (unsigned)k % 28u);
        snprintf(officer, sizeof officer, "PK%d", 1 + k % 3);
        testdb_client(&t, no, birth, officer);
    }
    store_close(t.st);
    t.st = NULL;
    pid_t pids[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        pids[w] = fork();
        if (pids[w] < 0) {
            perror("fork");
            return 1;
        }
        if (pids[w] == 0) worker(t.path, t.dir, w);
    }
    usleep(250000); /* in the middle of the stream */
    int before = 0;
    for (int w = 0; w < WORKERS; w++) {
        char ack[400], line[128];
        snprintf(ack, sizeof ack, "%s/ack-%d", t.dir, w);
        FILE *f = fopen(ack, "r");
        while (f && fgets(line, sizeof line, f))
            before++;
        if (f) fclose(f);
    }
    printf("restarting the server after %d of %d check-ins\n", before, WORKERS * PER_WORKER);
    if (before >= WORKERS * PER_WORKER) {
        fprintf(stderr, "FAIL: the stream ended before the restart: nothing was tested\n");
        failures++;
    }
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "%s '%s/pg_ctl' -D '%s/data' -l '%s/server.log' -m fast -w -t 60 restart "
             ">/dev/null",
             getuid() == 0 ? "runuser -u postgres --" : "", pgbin, pgdir, pgdir);
    if (system(cmd) != 0) {
        fprintf(stderr, "FAIL: server restart failed\n");
        failures++;
    }
    for (int w = 0; w < WORKERS; w++) {
        int status = 0;
        while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "FAIL: worker %d did not finish its check-ins\n", w);
            failures++;
        }
    }
    testdb_open_at(&t, t.path);
    static tally s;
    char day[11];
    queue_today(&t.q, day);
    bk_err e = store_ticket_list(t.st, day, NULL, STORE_ST_ALL, collect, &s);
    if (e) {
        fprintf(stderr, "FAIL: list: %s\n", store_errmsg(t.st));
        failures++;
    }
    /* None written twice: one ticket per client, codes unique. */
    if (s.n != WORKERS * PER_WORKER) {
        fprintf(stderr, "FAIL: %d tickets for %d check-ins\n", s.n, WORKERS * PER_WORKER);
        failures++;
    }
    for (int i = 0; i < s.n; i++)
        for (int j = i + 1; j < s.n; j++)
            if (!strcmp(s.no[i], s.no[j]) || !strcmp(s.code[i], s.code[j])) {
                fprintf(stderr, "FAIL: duplicate %s/%s and %s/%s\n", s.no[i], s.code[i], s.no[j],
                        s.code[j]);
                failures++;
            }
    /* None acknowledged lost: each acknowledged ticket is there as acknowledged. */
    int acked = 0;
    for (int w = 0; w < WORKERS; w++) {
        char ack[400];
        snprintf(ack, sizeof ack, "%s/ack-%d", t.dir, w);
        FILE *f = fopen(ack, "r");
        if (!f) {
            failures++;
            continue;
        }
        char no[STORE_ID_SZ], code[STORE_CODE_SZ];
        long long id;
        while (fscanf(f, "%32s %lld %11s", no, &id, code) == 3) {
            acked++;
            store_ticket tk;
            if (store_ticket_get(t.st, id, &tk) != BK_OK || strcmp(tk.client_no, no) != 0 ||
                strcmp(tk.code, code) != 0) {
                fprintf(stderr, "FAIL: acknowledged %s %lld %s is not in the database\n", no, id,
                        code);
                failures++;
            }
        }
        fclose(f);
    }
    if (acked != WORKERS * PER_WORKER) {
        fprintf(stderr, "FAIL: %d acknowledged, expected %d\n", acked, WORKERS * PER_WORKER);
        failures++;
    }
    testdb_destroy(&t);
    printf("pgrestart: %d check-ins by %d processes across a server restart, %d failures\n",
           WORKERS * PER_WORKER, WORKERS, failures);
    return failures ? 1 : 0;
}
