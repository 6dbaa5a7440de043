/* test_lostack.c — nothing is written twice on retry (issue 8).
 *
 * A lost acknowledgement: COMMIT reached the database, but the answer did
 * not come back (the connection dropped). BK_FAULT_LOST_ACK (store_sql.h)
 * makes chosen commits of a connection do exactly that: they go through,
 * then report BK_ERR_IO, and on PostgreSQL the connection is really cut so
 * the next transaction reconnects. Each test opens such a connection beside
 * the normal one and proves, with the normal one, that every action took
 * effect exactly once: one ticket, one call, one audit row. Runs on SQLite
 * and, through pg_cluster.sh, on PostgreSQL. Skipped (77) in a build
 * without BK_TEST_HOOKS, which has no fault hook.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdb.h"
#include "token.h"

#define DAY "2026-12-07" /* TESTDB_MONDAY_0900 in the office zone */

typedef struct lt {
    testdb db;
    store *faulty; /* opened with BK_FAULT_LOST_ACK */
    queue_ctx fq;  /* its queue context */
} lt;

static int setup(void **state)
{
    lt *t = calloc(1, sizeof *t);
    if (!t) return -1;
    testdb_create(&t->db);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    lt *t = *state;
    store_close(t->faulty);
    testdb_destroy(&t->db);
    free(t);
    return 0;
}

/* A second connection whose commits numbered in `which` ("1", "1,2") lose
 * their answer. The schema exists, so opening it commits nothing. */
static void open_faulty(lt *t, const char *which)
{
    store_close(t->faulty);
    t->faulty = NULL;
    assert_int_equal(setenv("BK_FAULT_LOST_ACK", which, 1), 0);
    store_opts o = {.utc_offset_min = 420, .sync_normal = 1, .create = 1};
    char err[256];
    bk_err e = store_open(t->db.path, &o, &t->faulty, err, sizeof err);
    unsetenv("BK_FAULT_LOST_ACK");
    if (e) fail_msg("open %s: %s", t->db.path, err);
    t->fq = t->db.q;
    t->fq.st = t->faulty;
}

typedef struct count_ctx {
    int n;
    const char *action;
    const char *status;
} count_ctx;

static bk_err count_ticket(void *ud, const store_ticket *tk)
{
    count_ctx *c = ud;
    if (!c->status || strcmp(bk_status_name(tk->status), c->status) == 0) c->n++;
    return BK_OK;
}

static bk_err count_audit(void *ud, const store_audit_row *a)
{
    count_ctx *c = ud;
    if (strcmp(a->action, c->action) == 0) c->n++;
    return BK_OK;
}

/* Today's tickets (status NULL = any), read on the normal connection. */
static int tickets(lt *t, const char *status)
{
    count_ctx c = {.status = status};
    assert_int_equal(store_ticket_list(t->db.st, DAY, NULL, STORE_ST_ALL, count_ticket, &c), BK_OK);
    return c.n;
}

static int audits(lt *t, const char *action)
{
    count_ctx c = {.action = action};
    assert_int_equal(store_audit_list(t->db.st, 0, 0, 0, count_audit, &c), BK_OK);
    return c.n;
}

/* The walk-in's commit goes through but its answer is lost: the call looks
 * its key up again and returns the one ticket it made. */
static void test_walkin_lost_ack(void **state)
{
    lt *t = *state;
    open_faulty(t, "1");
    char key[TOKEN_CHARS + 1];
    assert_int_equal(token_random(key), BK_OK);
    queue_view v;
    assert_int_equal(queue_walkin_key(&t->fq, BK_PURPOSE_OTHER, "Tamu", key, &v), BK_OK);
    assert_int_equal(v.existing, 0); /* this call made it */
    assert_string_equal(v.t.token, key);
    assert_string_equal(v.t.code, "A-001");
    assert_int_equal(tickets(t, NULL), 1);
    assert_int_equal(audits(t, "walkin"), 1);

    /* The caller retries anyway (it saw an error before): the same ticket. */
    queue_view again;
    assert_int_equal(queue_walkin_key(&t->db.q, BK_PURPOSE_OTHER, "Tamu", key, &again), BK_OK);
    assert_int_equal(again.existing, 1);
    assert_int_equal(again.t.id, v.t.id);
    assert_int_equal(tickets(t, NULL), 1);
    assert_int_equal(audits(t, "walkin"), 1);

    /* queue_walkin (no key from the caller) is safe within one call too. */
    open_faulty(t, "1");
    assert_int_equal(queue_walkin(&t->fq, BK_PURPOSE_GROUP, NULL, &v), BK_OK);
    assert_int_equal(v.existing, 0);
    assert_string_equal(v.t.code, "A-002"); /* one series, one number more */
    assert_int_equal(tickets(t, NULL), 2);
    assert_int_equal(audits(t, "walkin"), 2);
}

/* The answer stays lost while the call checks (both of its commits): the
 * caller sees BK_ERR_IO, retries with the same key and gets the one ticket. */
static void test_walkin_caller_retry(void **state)
{
    lt *t = *state;
    open_faulty(t, "1,2");
    char key[TOKEN_CHARS + 1];
    assert_int_equal(token_random(key), BK_OK);
    queue_view v;
    assert_int_equal(queue_walkin_key(&t->fq, BK_PURPOSE_COUNSELING, NULL, key, &v), BK_ERR_IO);
    assert_int_equal(tickets(t, NULL), 1); /* it did go through */
    assert_int_equal(queue_walkin_key(&t->fq, BK_PURPOSE_COUNSELING, NULL, key, &v), BK_OK);
    assert_int_equal(v.existing, 1);
    assert_string_equal(v.t.code, "A-001");
    assert_int_equal(v.t.status, BK_STATUS_WAITING);
    assert_true(v.position == 0);
    /* and again later, after it was called: still that ticket, nothing new */
    queue_view c;
    assert_int_equal(queue_call_next(&t->db.q, STORE_RECEPTION, &c), BK_OK);
    assert_int_equal(c.t.id, v.t.id);
    assert_int_equal(queue_walkin_key(&t->db.q, BK_PURPOSE_COUNSELING, NULL, key, &v), BK_OK);
    assert_int_equal(v.existing, 1);
    assert_int_equal(v.t.status, BK_STATUS_CALLED);
    assert_int_equal(tickets(t, NULL), 1);
    assert_int_equal(audits(t, "walkin"), 1);
}

/* A key is one request: bad keys are refused, another request's key too. */
static void test_walkin_key_misuse(void **state)
{
    lt *t = *state;
    queue_view v, w;
    assert_int_equal(queue_walkin_key(&t->db.q, BK_PURPOSE_OTHER, NULL, "short", &v),
                     BK_ERR_INVALID);
    assert_int_equal(
        queue_walkin_key(&t->db.q, BK_PURPOSE_OTHER, NULL, "ABCDEFGHIJKLMNOPQRSTUVWXYB", &v),
        BK_ERR_INVALID); /* not canonical: pad bits set */
    assert_int_equal(
        queue_walkin_key(&t->db.q, BK_PURPOSE_OTHER, NULL, "abcdefghijklmnopqrstuvwxya", &v),
        BK_ERR_INVALID);
    char key[TOKEN_CHARS + 1];
    assert_int_equal(token_random(key), BK_OK);
    assert_int_equal(queue_walkin_key(&t->db.q, BK_PURPOSE_OTHER, NULL, key, &v), BK_OK);
    assert_int_equal(queue_walkin_key(&t->db.q, BK_PURPOSE_GROUP, NULL, key, &w), BK_ERR_EXISTS);
    assert_int_equal(queue_walkin_key(&t->db.q, BK_PURPOSE_OTHER, "Someone", key, &w),
                     BK_ERR_EXISTS);
    assert_int_equal(queue_checkin(&t->db.q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &w), BK_OK);
    assert_int_equal(queue_walkin_key(&t->db.q, BK_PURPOSE_REPORT, NULL, w.t.token, &v),
                     BK_ERR_EXISTS);
    assert_int_equal(tickets(t, NULL), 2);
}

/* A check-in's answer is lost: one ticket, and it is not "existing" (the
 * kiosk would tell the client they had checked in before). */
static void test_checkin_lost_ack(void **state)
{
    lt *t = *state;
    open_faulty(t, "1");
    queue_view v;
    assert_int_equal(queue_checkin(&t->fq, "C2", "1990-01-02", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(v.existing, 0);
    assert_string_equal(v.t.officer, "PK2");
    assert_int_equal(tickets(t, NULL), 1);
    assert_int_equal(audits(t, "checkin"), 1);
    assert_int_equal(queue_checkin(&t->db.q, "C2", "1990-01-02", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(v.existing, 1);
    assert_int_equal(tickets(t, NULL), 1);
}

/* Call-next's answer is lost: the ticket it called is re-read, not a second
 * client called. */
static void test_call_next_lost_ack(void **state)
{
    lt *t = *state;
    queue_view a, b, c;
    assert_int_equal(queue_checkin(&t->db.q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &a), BK_OK);
    assert_int_equal(queue_checkin(&t->db.q, "C4", "1990-01-04", BK_PURPOSE_REPORT, &b), BK_OK);
    open_faulty(t, "1");
    assert_int_equal(queue_call_next(&t->fq, "PK1", &c), BK_OK);
    assert_int_equal(c.t.id, a.t.id);
    assert_int_equal(c.t.status, BK_STATUS_CALLED);
    assert_int_equal(c.t.calls, 1);
    assert_int_equal(tickets(t, "called"), 1);
    assert_int_equal(tickets(t, "waiting"), 1);
    assert_int_equal(audits(t, "call"), 1);
    store_ticket now;
    assert_int_equal(store_ticket_get(t->db.st, b.t.id, &now), BK_OK);
    assert_int_equal(now.status, BK_STATUS_WAITING);
}

/* Recall, start, done and transfer with lost answers: each once. */
static void test_ticket_actions_lost_ack(void **state)
{
    lt *t = *state;
    queue_view a, b, v;
    assert_int_equal(queue_checkin(&t->db.q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &a), BK_OK);
    assert_int_equal(queue_checkin(&t->db.q, "C3", "1990-01-03", BK_PURPOSE_COUNSELING, &b), BK_OK);
    assert_int_equal(queue_call_next(&t->db.q, "PK1", &v), BK_OK);

    /* commits 1-4 of the faulty connection: recall, start, done, transfer */
    open_faulty(t, "1,2,3,4");
    assert_int_equal(queue_recall(&t->fq, a.t.id, &v), BK_OK);
    assert_int_equal(v.t.calls, 2);                                 /* not 3 */
    assert_int_equal(queue_start(&t->fq, a.t.id, NULL, &v), BK_OK); /* not BK_ERR_STATE */
    assert_int_equal(v.t.status, BK_STATUS_SERVING);
    assert_int_equal(queue_done(&t->fq, a.t.id, BK_OUTCOME_COUNSELED, &v), BK_OK);
    assert_int_equal(v.t.status, BK_STATUS_DONE);
    assert_int_equal(queue_transfer(&t->fq, b.t.id, "PK2", "test", &v), BK_OK);
    assert_string_equal(v.t.officer, "PK2");
    assert_string_equal(v.t.transferred_from, "PK3");

    store_ticket now;
    assert_int_equal(store_ticket_get(t->db.st, a.t.id, &now), BK_OK);
    assert_int_equal(now.calls, 2);
    assert_int_equal(now.status, BK_STATUS_DONE);
    assert_int_equal(store_ticket_get(t->db.st, b.t.id, &now), BK_OK);
    assert_string_equal(now.officer, "PK2");
    assert_int_equal(audits(t, "recall"), 1);
    assert_int_equal(audits(t, "start"), 1);
    assert_int_equal(audits(t, "done"), 1);
    assert_int_equal(audits(t, "transfer"), 1);
}

int main(void)
{
#ifndef BK_TEST_HOOKS
    /* The fault hook is compiled only into test builds (CMake BK_TEST_HOOKS). */
    fprintf(stderr, "test_lostack: SKIP: built without BK_TEST_HOOKS\n");
    return 77;
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_walkin_lost_ack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walkin_caller_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walkin_key_misuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkin_lost_ack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_call_next_lost_ack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ticket_actions_lost_ack, setup, teardown),
    };
    return cmocka_run_group_tests_name(
        testdb_is_pg() ? "lost ack (postgresql)" : "lost ack (sqlite)", tests, NULL, NULL);
}
