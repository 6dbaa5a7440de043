/* Call-next race: 200 times, one ticket waits at reception and two processes
 * (each with its own connection) call the next reception ticket at the same
 * instant. Exactly one of them must get it, the other must find nothing
 * waiting, and the ticket must have been called exactly once.
 *
 * Runs on the SQLite file of testdb.h, or on PostgreSQL when BK_TEST_DB_URI
 * is set (see pg_cluster.sh). Usage: test_callrace [ROUNDS] */
#include <errno.h>
#include <sys/wait.h>

#include "testdb.h"

enum { GOT = 10, NOTHING = 11 };

/* A caller: open, wait for the start signal on fd, call next, exit with
 * GOT/NOTHING (or 2 on an error). */
static void caller(const char *path, int fd)
{
    testdb t;
    store_opts o = {.utc_offset_min = 420, .busy_timeout_ms = 20000, .create = 1};
    char err[256];
    if (store_open(path, &o, &t.st, err, sizeof err)) {
        fprintf(stderr, "caller open: %s\n", err);
        _exit(2);
    }
    memset(&t.q, 0, sizeof t.q);
    t.q.st = t.st;
    t.q.utc_offset_min = 420;
    t.q.actor = "racer";
    t.q.fixed_now = TESTDB_MONDAY_0900;
    char go;
    if (read(fd, &go, 1) != 1) _exit(2);
    queue_view v;
    bk_err e = queue_call_next(&t.q, STORE_RECEPTION, &v);
    store_close(t.st);
    if (e == BK_OK) _exit(GOT);
    if (e == BK_ERR_NOT_FOUND) _exit(NOTHING);
    fprintf(stderr, "caller: %s\n", bk_err_name(e));
    _exit(2);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 200;
    int failures = 0;
    testdb t;
    testdb_create(&t);
    for (int r = 0; r < rounds && failures < 5; r++) {
        queue_view w;
        bk_err e = queue_walkin(&t.q, BK_PURPOSE_OTHER, NULL, &w);
        if (e) testdb_die("walkin", e, t.st);
        int p[2];
        if (pipe(p) != 0) {
            perror("pipe");
            return 1;
        }
        pid_t pids[2];
        for (int k = 0; k < 2; k++) {
            pids[k] = fork();
            if (pids[k] < 0) {
                perror("fork");
                return 1;
            }
            if (pids[k] == 0) {
                close(p[1]);
                caller(t.path, p[0]);
            }
        }
        close(p[0]);
        usleep(20000); /* both connected and waiting */
        if (write(p[1], "gg", 2) != 2) {
            perror("write");
            return 1;
        }
        close(p[1]);
        int got = 0, nothing = 0;
        for (int k = 0; k < 2; k++) {
            int status = 0;
            while (waitpid(pids[k], &status, 0) < 0 && errno == EINTR) {
            }
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            got += code == GOT;
            nothing += code == NOTHING;
        }
        store_ticket tk;
        e = store_ticket_get(t.st, w.t.id, &tk);
        if (e) testdb_die("ticket get", e, t.st);
        if (got != 1 || nothing != 1 || tk.status != BK_STATUS_CALLED || tk.calls != 1) {
            fprintf(stderr, "round %d: %d got it, %d found nothing; ticket %s status %s calls %d\n",
                    r, got, nothing, tk.code, bk_status_name(tk.status), tk.calls);
            failures++;
        }
    }
    testdb_destroy(&t);
    printf("callrace: %d rounds on %s, %d failures\n", rounds,
           testdb_is_pg() ? "PostgreSQL" : "SQLite", failures);
    return failures ? 1 : 0;
}
