/* test_wal_deleted — `bapasctl doctor` finds a WAL deleted under a running
 * writer. A child process checks three clients in on a real file and keeps
 * its connection (manual checkpoints, as the kiosk: the check-ins are only
 * in the WAL); the test deletes the -wal and runs doctor, which must FAIL
 * without opening the database, name the process and its /proc/PID/fd/N,
 * and say to copy it out. The advice is then followed: the copied file,
 * beside a copy of the database, holds the three check-ins. Then the child
 * is killed (no clean close): the -shm is left saying the WAL held pages,
 * and doctor still FAILs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"
#include "otime.h"
#include "queue.h"
#include "store.h"

static const char *bapasctl;

/* The child: check in demo clients 0-2, say so on `ready`, wait on `go`. */
static int writer(const char *db, int ready, int go)
{
    store *st = NULL;
    store_opts so = {.busy_timeout_ms = 2000, .utc_offset_min = 420, .manual_checkpoint = 1};
    char err[512];
    if (store_open(db, &so, &st, err, sizeof err)) {
        fprintf(stderr, "writer: %s\n", err);
        return 1;
    }
    queue_ctx q = {.st = st, .utc_offset_min = 420, .actor = "kiosk:test"};
    if (otime_parse("2026-12-07T03:00:00Z", &q.fixed_now)) return 1;
    for (int i = 0; i < 3; i++) {
        char no[STORE_ID_SZ], birth[STORE_DAY_SZ];
        queue_view v;
        demo_client(i, no, birth);
        if (queue_checkin(&q, no, birth, BK_PURPOSE_REPORT, &v)) return 1;
    }
    char c = 'r';
    if (write(ready, &c, 1) != 1) return 1;
    if (read(go, &c, 1) < 0) return 1;
    store_close(st);
    return 0;
}

/* doctor's output (malloc'ed) and its exit code. */
static char *doctor(const char *db, int *rc)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "BAPAS_CONFIG=/dev/null '%s' --db '%s' doctor --check database,wal",
             bapasctl, db);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 65536, n = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    size_t k;
    while ((k = fread(out + n, 1, cap - 1 - n, p)) > 0)
        n += k;
    int st = pclose(p);
    *rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    fprintf(stderr, "%s", out);
    return out;
}

static int count_tickets(const char *db)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "SELECT count(*) FROM tickets", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

static void test_wal_deleted(void **state)
{
    (void)state;
    char dir[] = "/tmp/bk-wal-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char db[300], wal[320], cmd[1400];
    snprintf(db, sizeof db, "%s/o.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(cmd, sizeof cmd, "BAPAS_CONFIG=/dev/null '%s' --db '%s' init --demo >/dev/null",
             bapasctl, db);
    assert_int_equal(system(cmd), 0);
    int base = count_tickets(db); /* the demo's history */
    assert_true(base >= 0);
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        close(go[1]);
        _exit(writer(db, ready[1], go[0]));
    }
    close(ready[1]);
    close(go[0]);
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(count_tickets(db), base + 3); /* acknowledged (read through the WAL) */

    /* the mistake */
    assert_int_equal(unlink(wal), 0);
    int rc = 0;
    char *out = doctor(db, &rc);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "FAIL  wal"));
    assert_non_null(strstr(out, "was deleted while the database is in use"));
    char want[128];
    snprintf(want, sizeof want, "process %ld (", (long)pid);
    assert_non_null(strstr(out, want));
    snprintf(want, sizeof want, "sudo cp /proc/%ld/fd/", (long)pid);
    char *fix = strstr(out, want);
    assert_non_null(fix);
    assert_non_null(strstr(out, "do not stop that process"));
    assert_non_null(strstr(out, "was not opened"));
    assert_int_equal(access(wal, F_OK), -1); /* doctor made no new WAL */

    /* follow the advice: copy the open file out, beside a copy of the db */
    int fd = -1;
    assert_int_equal(sscanf(fix + strlen(want), "%d", &fd), 1);
    free(out);
    char scratch[300];
    snprintf(scratch, sizeof scratch, "%s/scratch", dir);
    snprintf(cmd, sizeof cmd, "mkdir '%s' && cp /proc/%ld/fd/%d '%s/o.db-wal' && cp '%s' '%s/o.db'",
             scratch, (long)pid, fd, scratch, db, scratch);
    assert_int_equal(system(cmd), 0);
    char sdb[320];
    snprintf(sdb, sizeof sdb, "%s/o.db", scratch);
    assert_int_equal(count_tickets(sdb), base + 3);
    /* and they are in that file only: the database file alone lacks them */
    snprintf(cmd, sizeof cmd, "mkdir '%s/alone' && cp '%s' '%s/alone/o.db'", dir, db, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(sdb, sizeof sdb, "%s/alone/o.db", dir);
    assert_int_equal(count_tickets(sdb), base);

    /* the writer dies without closing: the index is left behind */
    kill(pid, SIGKILL);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    out = doctor(db, &rc);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "FAIL  wal"));
    assert_non_null(strstr(out, "its index (-shm) says it held"));
    free(out);
    close(ready[0]);
    close(go[1]);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Control: a healthy running writer is not reported. */
static void test_wal_present(void **state)
{
    (void)state;
    char dir[] = "/tmp/bk-wal-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char db[300], cmd[1400];
    snprintf(db, sizeof db, "%s/o.db", dir);
    snprintf(cmd, sizeof cmd, "BAPAS_CONFIG=/dev/null '%s' --db '%s' init --demo >/dev/null",
             bapasctl, db);
    assert_int_equal(system(cmd), 0);
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        close(go[1]);
        _exit(writer(db, ready[1], go[0]));
    }
    close(ready[1]);
    close(go[0]);
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    int rc = 0;
    char *out = doctor(db, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "OK    wal"));
    free(out);
    assert_int_equal(write(go[1], "g", 1), 1);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(ready[0]);
    close(go[1]);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_wal_deleted PATH/TO/bapasctl\n");
        return 2;
    }
    bapasctl = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wal_present),
        cmocka_unit_test(test_wal_deleted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
