/* test_jobworker — the kiosk's job worker (ui/livework.h, model_size 0) on a
 * real SQLite file: it opens the database only for an action (one attempt,
 * never creating a missing file), answers an action whose open failed with
 * that error without running it, copies results back by value, keeps its
 * connection across ordinary errors and drops it on BK_ERR_IO. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>

#include "livework.h"
#include "store.h"

/* What the action does, set by the test before each submit. The worker
 * reads it only while an action runs, and the test waits for the answer
 * before it writes it again (lw_submit/lw_take order the two). */
typedef struct act_ctl {
    bk_err ret;
    int calls;
    int had_store;
} act_ctl;

typedef struct fx {
    char dir[128];
    char db[256];
    act_ctl ctl;
    livework *w;
} fx;

static bk_err act(void *ud, queue_ctx *q, const void *req, void *res)
{
    act_ctl *c = ud;
    c->calls++;
    c->had_store = q->st != NULL;
    snprintf(res, LW_REQ_SZ, "done:%s", (const char *)req);
    return c->ret;
}

static int setup(void **state)
{
    fx *x = calloc(1, sizeof *x);
    if (!x || SDL_Init(SDL_INIT_EVENTS) != 0) return -1;
    snprintf(x->dir, sizeof x->dir, "/tmp/bk-jobw-XXXXXX");
    if (!mkdtemp(x->dir)) return -1;
    snprintf(x->db, sizeof x->db, "%s/t.db", x->dir);
    lw_opts o = {.db_path = x->db,
                 .sopts = {.busy_timeout_ms = 500, .utc_offset_min = 420},
                 .q = {.utc_offset_min = 420, .actor = "kiosk:test"},
                 .act = act,
                 .ud = &x->ctl};
    char err[256];
    if (lw_create(&o, &x->w, err, sizeof err) != BK_OK) return -1;
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fx *x = *state;
    lw_destroy(x->w);
    SDL_Quit();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
    int rc = system(cmd);
    free(x);
    return rc == 0 ? 0 : -1;
}

/* Submit req and wait (at most 10 s) for its answer; res gets the result. */
static bk_err run(fx *x, const char *req, char res[LW_REQ_SZ])
{
    uint64_t seq = lw_submit(x->w, req, strlen(req) + 1);
    assert_true(seq > 0);
    for (int i = 0; i < 2000; i++) {
        int got_model = 0, got_res = 0;
        lw_status st;
        bk_err e = BK_OK;
        uint64_t rs = 0;
        lw_take(x->w, NULL, &got_model, &st, res, &e, &rs, &got_res);
        assert_false(got_model);
        if (got_res) {
            assert_int_equal(rs, seq);
            assert_false(lw_busy(x->w));
            return e;
        }
        SDL_Delay(5);
    }
    fail_msg("no answer from the job worker");
    return BK_ERR_INTERNAL;
}

static lw_status status(fx *x)
{
    lw_health h;
    lw_health_get(x->w, &h);
    assert_int_equal(h.next_try_ms, 0); /* a job worker never schedules a retry */
    return h.status;
}

static void make_db(fx *x)
{
    store *st = NULL;
    store_opts so = {.busy_timeout_ms = 500, .utc_offset_min = 420, .create = 1};
    char err[256];
    assert_int_equal(store_open(x->db, &so, &st, err, sizeof err), BK_OK);
    store_close(st);
}

static void test_jobs(void **state)
{
    fx *x = *state;
    char res[LW_REQ_SZ];

    /* missing: answered with BK_ERR_IO, the action not run, nothing created */
    SDL_Delay(50);
    assert_int_equal(status(x), LW_CONNECTING); /* nothing opened before a job */
    assert_int_equal(run(x, "a", res), BK_ERR_IO);
    assert_int_equal(x->ctl.calls, 0);
    assert_int_equal(res[0], 0);
    assert_int_equal(status(x), LW_MISSING);
    assert_int_equal(access(x->db, F_OK), -1);

    /* there: opened for the next action, which gets the store */
    make_db(x);
    assert_int_equal(run(x, "b", res), BK_OK);
    assert_int_equal(x->ctl.calls, 1);
    assert_true(x->ctl.had_store);
    assert_string_equal(res, "done:b");
    assert_int_equal(status(x), LW_OK);

    /* an ordinary failure keeps the connection (the file may go: it is open) */
    x->ctl.ret = BK_ERR_NOT_FOUND;
    assert_int_equal(run(x, "c", res), BK_ERR_NOT_FOUND);
    assert_string_equal(res, "done:c");
    assert_int_equal(status(x), LW_OK);
    assert_int_equal(unlink(x->db), 0);
    x->ctl.ret = BK_OK;
    assert_int_equal(run(x, "d", res), BK_OK);
    assert_int_equal(x->ctl.calls, 3);

    /* BK_ERR_IO drops it: the next action must open again, and cannot */
    x->ctl.ret = BK_ERR_IO;
    assert_int_equal(run(x, "e", res), BK_ERR_IO);
    assert_int_equal(x->ctl.calls, 4);
    x->ctl.ret = BK_OK;
    assert_int_equal(run(x, "f", res), BK_ERR_IO);
    assert_int_equal(x->ctl.calls, 4);
    assert_int_equal(status(x), LW_MISSING);
}

static void test_needs_act(void **state)
{
    (void)state;
    livework *w = NULL;
    lw_opts o = {.db_path = "/nonexistent.db"};
    char err[256];
    assert_int_equal(lw_create(&o, &w, err, sizeof err), BK_ERR_INVALID);
    assert_null(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_jobs, setup, teardown),
        cmocka_unit_test(test_needs_act),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
