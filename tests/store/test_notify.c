/* Change notifications: on PostgreSQL another process's commit wakes a
 * waiting connection through LISTEN/NOTIFY (no polling query); on SQLite
 * store_wait_change says so and live falls back to data_version polling.
 * Both paths through core/live are checked. */
#include <sys/wait.h>
#include <time.h>

#include "live.h"
#include "testdb.h"

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

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A separate process commits one check-in after delay_ms. */
static pid_t commit_later(const char *path, const char *no, const char *birth, int delay_ms)
{
    pid_t p = fork();
    if (p != 0) return p;
    usleep((useconds_t)delay_ms * 1000);
    testdb w;
    memset(&w, 0, sizeof w);
    testdb_open_at(&w, path);
    queue_view v;
    bk_err e = queue_checkin(&w.q, no, birth, BK_PURPOSE_REPORT, &v);
    store_close(w.st);
    _exit(e ? 1 : 0);
}

int main(void)
{
    testdb t;
    testdb_create(&t);
    int pg = testdb_is_pg();
    int changed = -1;
    bk_err e = store_wait_change(t.st, 0, &changed);
    if (!pg) {
        CHECK(e == BK_ERR_STATE, "SQLite has no notifications: %s", bk_err_name(e));
    } else {
        CHECK(e == BK_OK && changed == 1, "first wait reports a change (%s, %d)", bk_err_name(e),
              changed);
        e = store_wait_change(t.st, 0, &changed);
        CHECK(e == BK_OK && changed == 0, "nothing new yet (%s, %d)", bk_err_name(e), changed);
        double t0 = now_ms();
        pid_t p = commit_later(t.path, "C1", "1990-01-01", 150);
        e = store_wait_change(t.st, 5000, &changed);
        double waited = now_ms() - t0;
        CHECK(e == BK_OK && changed == 1, "a commit elsewhere wakes the wait (%s, %d)",
              bk_err_name(e), changed);
        CHECK(waited < 2000, "woke after %.0f ms", waited);
        int st = 0;
        waitpid(p, &st, 0);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the writer process failed");
        e = store_wait_change(t.st, 50, &changed);
        CHECK(e == BK_OK && changed == 0, "drained (%s, %d)", bk_err_name(e), changed);
        printf("notify: a commit in another process woke the wait after %.0f ms "
               "(the writer slept 150 ms first)\n",
               waited);
    }

    /* core/live on either backend: primed, quiet, then a commit elsewhere. */
    live_src l;
    live_init(&l, t.st, 20);
    e = live_check(&l, &changed);
    CHECK(e == BK_OK && changed == 1, "live: first check reports a change");
    e = live_check(&l, &changed);
    CHECK(e == BK_OK && changed == 0, "live: quiet");
    pid_t p = commit_later(t.path, "C2", "1990-01-02", 50);
    int st = 0;
    waitpid(p, &st, 0);
    e = live_wait(&l, 2000, &changed);
    CHECK(e == BK_OK && changed == 1, "live: a commit elsewhere is seen (%s, %d)", bk_err_name(e),
          changed);
    printf("notify (%s): %d failures\n", pg ? "PostgreSQL" : "SQLite", failures);
    testdb_destroy(&t);
    return failures ? 1 : 0;
}
