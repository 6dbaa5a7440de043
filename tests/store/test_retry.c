/* test_retry.c — every write action runs through the one driver, queue_run()
 * (queue.h): a transient conflict (BK_ERR_RETRY) is retried, a bounded
 * number of times, and nothing of the failed attempt stays.
 *
 * queue_ctx.test_retry_faults (a build with BK_TEST_HOOKS) makes the next
 * N attempts that would commit fail with BK_ERR_RETRY instead, their writes
 * rolled back, as a PostgreSQL serialization failure would. For each action
 * (those of queue.h, roster.h, qbulk.h and demo_load):
 * with one fault it succeeds, the fault is used up (an action that did its
 * own transaction would leave it), and it wrote its audit rows exactly once;
 * with QUEUE_MAX_TRIES faults it gives up with BK_ERR_RETRY having written
 * nothing. Runs on SQLite and, through pg_cluster.sh, on PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "demo.h"
#include "qbulk.h"
#include "roster.h"
#include "testdb.h"

#ifdef BK_TEST_HOOKS

#define DAY "2026-12-07" /* TESTDB_MONDAY_0900 in the office zone (a Monday) */

/* What an action's preparation left for it. */
typedef struct prep {
    int64_t id; /* a ticket */
} prep;

typedef struct action_case {
    const char *name;
    void (*prepare)(testdb *t, prep *p); /* NULL = nothing */
    bk_err (*act)(testdb *t, const prep *p);
    bk_err want;    /* its result with one fault */
    int audit_rows; /* the rows it writes, once */
} action_case;

/* ---- preparations (no faults armed) ------------------------------------- */

static void checked_in(testdb *t, prep *p)
{
    queue_view v;
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v), BK_OK);
    p->id = v.t.id;
}

static void called(testdb *t, prep *p)
{
    checked_in(t, p);
    queue_view v;
    assert_int_equal(queue_call_next(&t->q, "PK1", &v), BK_OK);
    assert_int_equal(v.t.id, p->id);
}

static void serving(testdb *t, prep *p)
{
    called(t, p);
    assert_int_equal(queue_start(&t->q, p->id, NULL, NULL), BK_OK);
}

static void checked_in_yesterday(testdb *t, prep *p)
{
    t->q.fixed_now = TESTDB_MONDAY_0900 - 86400;
    checked_in(t, p);
    t->q.fixed_now = TESTDB_MONDAY_0900;
}

static void weekly_absent(testdb *t, prep *p)
{
    (void)p;
    assert_int_equal(roster_weekly_set(&t->q, "PK1", 1, BK_PRESENCE_ABSENT, NULL), BK_OK);
}

static void day_absent(testdb *t, prep *p)
{
    (void)p;
    assert_int_equal(queue_presence_set(&t->q, DAY, "PK1", BK_PRESENCE_ABSENT, NULL), BK_OK);
}

/* ---- the actions -------------------------------------------------------- */

static bk_err act_checkin(testdb *t, const prep *p)
{
    (void)p;
    queue_view v;
    bk_err e = queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    if (e == BK_OK) assert_false(v.existing); /* made by this call, not found */
    return e;
}

static bk_err act_checkin_wrong_birth(testdb *t, const prep *p)
{
    (void)p;
    queue_view v;
    bk_err e = queue_checkin(&t->q, "C1", "1990-01-09", BK_PURPOSE_REPORT, &v);
    if (e == BK_ERR_WRONG_BIRTH)
        assert_int_equal(v.attempts_left, QUEUE_LOCKOUT_DEFAULT - 1); /* counted once */
    return e;
}

static bk_err act_walkin(testdb *t, const prep *p)
{
    (void)p;
    queue_view v;
    bk_err e = queue_walkin(&t->q, BK_PURPOSE_OTHER, "Tamu", &v);
    if (e == BK_OK) assert_false(v.existing);
    return e;
}

static bk_err act_call_next(testdb *t, const prep *p)
{
    queue_view v;
    bk_err e = queue_call_next(&t->q, "PK1", &v);
    if (e == BK_OK) {
        assert_int_equal(v.t.id, p->id);
        assert_int_equal(v.t.calls, 1);
    }
    return e;
}

static bk_err act_recall(testdb *t, const prep *p)
{
    queue_view v;
    bk_err e = queue_recall(&t->q, p->id, &v);
    if (e == BK_OK) assert_int_equal(v.t.calls, 2); /* one recall, not two */
    return e;
}

static bk_err act_start(testdb *t, const prep *p)
{
    return queue_start(&t->q, p->id, NULL, NULL);
}

static bk_err act_done(testdb *t, const prep *p)
{
    return queue_done(&t->q, p->id, BK_OUTCOME_COUNSELED, NULL);
}

static bk_err act_no_show(testdb *t, const prep *p)
{
    return queue_no_show(&t->q, p->id, NULL);
}

static bk_err act_cancel(testdb *t, const prep *p)
{
    return queue_cancel(&t->q, p->id, NULL);
}

static bk_err act_priority(testdb *t, const prep *p)
{
    return queue_priority(&t->q, p->id, NULL);
}

static bk_err act_transfer(testdb *t, const prep *p)
{
    return queue_transfer(&t->q, p->id, "PK2", "test", NULL);
}

static bk_err act_presence(testdb *t, const prep *p)
{
    (void)p;
    return queue_presence_set(&t->q, DAY, "PK1", BK_PRESENCE_ABSENT, "PK2");
}

static bk_err act_unlock(testdb *t, const prep *p)
{
    (void)p;
    return queue_unlock(&t->q, "C1");
}

static bk_err act_close_stale(testdb *t, const prep *p)
{
    (void)p;
    int closed = -1;
    bk_err e = queue_close_stale(&t->q, &closed);
    if (e == BK_OK) assert_int_equal(closed, 1);
    return e;
}

static bk_err act_weekly_set(testdb *t, const prep *p)
{
    (void)p;
    return roster_weekly_set(&t->q, "PK1", 5, BK_PRESENCE_DUTY, NULL);
}

static bk_err act_weekly_clear(testdb *t, const prep *p)
{
    (void)p;
    return roster_weekly_clear(&t->q, "PK1", 1);
}

static bk_err act_day_clear(testdb *t, const prep *p)
{
    (void)p;
    return roster_day_clear(&t->q, DAY, "PK1");
}

static bk_err act_bulk_move(testdb *t, const prep *p)
{
    (void)p;
    int moved = -1;
    bk_err e = qbulk_move_waiting(&t->q, "PK1", "PK2", &moved);
    if (e == BK_OK) assert_int_equal(moved, 1);
    return e;
}

static bk_err act_demo_load(testdb *t, const prep *p)
{
    (void)p;
    return demo_load(&t->q);
}

static const action_case cases[] = {
    {"checkin", NULL, act_checkin, BK_OK, 1},
    {"checkin (wrong birth date)", NULL, act_checkin_wrong_birth, BK_ERR_WRONG_BIRTH, 1},
    {"walkin", NULL, act_walkin, BK_OK, 1},
    {"call_next", checked_in, act_call_next, BK_OK, 1},
    {"recall", called, act_recall, BK_OK, 1},
    {"start", called, act_start, BK_OK, 1},
    {"done", serving, act_done, BK_OK, 1},
    {"no_show", called, act_no_show, BK_OK, 1},
    {"cancel", checked_in, act_cancel, BK_OK, 1},
    {"priority", checked_in, act_priority, BK_OK, 1},
    {"transfer", checked_in, act_transfer, BK_OK, 1},
    {"presence_set", NULL, act_presence, BK_OK, 1},
    {"unlock", NULL, act_unlock, BK_OK, 1},
    {"close_stale", checked_in_yesterday, act_close_stale, BK_OK, 1},
    {"roster_weekly_set", NULL, act_weekly_set, BK_OK, 1},
    {"roster_weekly_clear", weekly_absent, act_weekly_clear, BK_OK, 1},
    {"roster_day_clear", day_absent, act_day_clear, BK_OK, 1},
    {"qbulk_move_waiting", checked_in, act_bulk_move, BK_OK, 1},
    {"demo_load", NULL, act_demo_load, BK_OK, 1},
};

/* Run case c on a fresh database with `faults` armed; returns its result
 * after checking that every fault was used and what was written. */
static bk_err run_case(const action_case *c, int faults)
{
    testdb t;
    testdb_create(&t);
    prep p = {0};
    if (c->prepare) c->prepare(&t, &p);
    int before = testdb_audit_rows(&t);
    t.q.test_retry_faults = faults;
    bk_err e = c->act(&t, &p);
    int left = t.q.test_retry_faults;
    t.q.test_retry_faults = 0;
    int written = testdb_audit_rows(&t) - before;
    int in_tx = store_in_tx(t.st);
    testdb_destroy(&t);
    if (left != 0)
        fail_msg("%s: %d of %d faults unused: the action does not run through queue_run", c->name,
                 left, faults);
    if (in_tx) fail_msg("%s: left a transaction open", c->name);
    if (e == c->want && written != c->audit_rows)
        fail_msg("%s: wrote %d audit rows, want %d (once)", c->name, written, c->audit_rows);
    if (e == BK_ERR_RETRY && written != 0)
        fail_msg("%s: gave up but wrote %d audit rows", c->name, written);
    return e;
}

static void test_each_action_retries_once(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bk_err e = run_case(&cases[i], 1);
        if (e != cases[i].want)
            fail_msg("%s with one transient conflict: %s, want %s", cases[i].name, bk_err_name(e),
                     bk_err_name(cases[i].want));
    }
}

static void test_each_action_gives_up_bounded(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bk_err e = run_case(&cases[i], QUEUE_MAX_TRIES);
        if (e != BK_ERR_RETRY)
            fail_msg("%s with %d transient conflicts: %s, want retry", cases[i].name,
                     QUEUE_MAX_TRIES, bk_err_name(e));
    }
}

/* A retried attempt is a new attempt: one fault less than the limit still
 * succeeds. */
static void test_last_try_succeeds(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bk_err e = run_case(&cases[i], QUEUE_MAX_TRIES - 1);
        if (e != cases[i].want)
            fail_msg("%s with %d transient conflicts: %s, want %s", cases[i].name,
                     QUEUE_MAX_TRIES - 1, bk_err_name(e), bk_err_name(cases[i].want));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_action_retries_once),
        cmocka_unit_test(test_each_action_gives_up_bounded),
        cmocka_unit_test(test_last_try_succeeds),
    };
    return cmocka_run_group_tests_name("retry", tests, NULL, NULL);
}

#else

int main(void)
{
    fprintf(stderr, "test_retry: built without BK_TEST_HOOKS: skipped\n");
    return 77;
}

#endif
