/* Unit tests of the queue rules against a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdb.h"
#include "token.h"
#include "valid.h"

static int setup(void **state)
{
    testdb *t = calloc(1, sizeof *t);
    if (!t) return -1;
    testdb_create(t);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    testdb *t = *state;
    testdb_destroy(t);
    free(t);
    return 0;
}

static void checkin_ok(testdb *t, const char *no, const char *birth, bk_purpose purpose,
                       queue_view *v)
{
    bk_err e = queue_checkin(&t->q, no, birth, purpose, v);
    if (e) fail_msg("checkin %s: %s (%s)", no, bk_err_name(e), store_errmsg(t->st));
}

static void test_routing_assigned(void **state)
{
    testdb *t = *state;
    queue_view v;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    assert_string_equal(v.t.code, "A-001");
    assert_string_equal(v.t.officer, "PK1");
    assert_int_equal(v.t.routed, BK_ROUTED_ASSIGNED);
    assert_int_equal(v.t.status, BK_STATUS_WAITING);
    assert_true(v.has_officer);
    assert_string_equal(v.officer.room, "Room 1");
    assert_int_equal(v.position, 0);
    assert_int_equal(v.eta_minutes, 0);
    assert_false(v.existing);
    assert_true(strlen(v.t.token) >= 20); /* >= 96 bits in base32 */
    assert_string_equal(v.t.day, "2026-12-07");
}

static void test_routing_substitute_and_reception(void **state)
{
    testdb *t = *state;
    queue_view v;
    assert_int_equal(queue_presence_set(&t->q, NULL, "PK1", BK_PRESENCE_ABSENT, "PK2"), BK_OK);
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    assert_string_equal(v.t.officer, "PK2");
    assert_int_equal(v.t.routed, BK_ROUTED_SUBSTITUTE);
    assert_string_equal(v.t.assigned, "PK1");
    /* Substitute absent too: reception. */
    assert_int_equal(queue_presence_set(&t->q, NULL, "PK2", BK_PRESENCE_ABSENT, NULL), BK_OK);
    checkin_ok(t, "C4", "1990-01-04", BK_PURPOSE_REPORT, &v);
    assert_string_equal(v.t.officer, "");
    assert_int_equal(v.t.routed, BK_ROUTED_RECEPTION);
    assert_false(v.has_officer);
    /* Absent without substitute: reception. */
    assert_int_equal(queue_presence_set(&t->q, NULL, "PK3", BK_PRESENCE_ABSENT, NULL), BK_OK);
    checkin_ok(t, "C3", "1990-01-03", BK_PURPOSE_COUNSELING, &v);
    assert_int_equal(v.t.routed, BK_ROUTED_RECEPTION);
    /* Presence on another day does not matter today. */
    assert_int_equal(queue_presence_set(&t->q, "2026-12-08", "PK2", BK_PRESENCE_PRESENT, NULL),
                     BK_OK);
    checkin_ok(t, "C2", "1990-01-02", BK_PURPOSE_REPORT, &v);
    assert_int_equal(v.t.routed, BK_ROUTED_RECEPTION);
}

typedef struct action_count {
    const char *action;
    int n;
} action_count;

typedef struct purposes_seen {
    int64_t id;
    unsigned purposes;
} purposes_seen;

static bk_err count_action(void *ud, const store_audit_row *r)
{
    action_count *c = ud;
    if (strcmp(r->action, c->action) == 0) c->n++;
    return BK_OK;
}

static bk_err find_purposes(void *ud, const queue_view *v)
{
    purposes_seen *w = ud;
    if (v->t.id == w->id) w->purposes = v->t.purposes;
    return BK_OK;
}

/* Codes carry no purpose (issue 12 item 8): one daily series for every
 * purpose, check-ins, walk-ins and reception tickets alike. */
static void test_codes_one_series_per_day(void **state)
{
    testdb *t = *state;
    queue_view v, w;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    assert_string_equal(v.t.code, "A-001");
    /* the same PK (PK1), another purpose: a code just like it */
    checkin_ok(t, "C4", "1990-01-04", BK_PURPOSE_DRUG_TEST, &w);
    assert_string_equal(w.t.code, "A-002");
    assert_string_equal(w.t.officer, v.t.officer);
    checkin_ok(t, "C3", "1990-01-03", BK_PURPOSE_LITMAS, &v);
    assert_string_equal(v.t.code, "A-003");
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_OTHER, "Ibu Sumarni", &v), BK_OK);
    assert_string_equal(v.t.code, "A-004");
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_GROUP, NULL, &v), BK_OK);
    assert_string_equal(v.t.code, "A-005");
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_COUNSELING, NULL, &v), BK_OK);
    assert_string_equal(v.t.code, "A-006");
    checkin_ok(t, "C2", "1990-01-02", BK_PURPOSE_COUNSELING, &v);
    assert_string_equal(v.t.code, "A-007");
    /* The next office day starts again at 001 (and closes yesterday's tickets). */
    t->q.fixed_now += 86400;
    checkin_ok(t, "C2", "1990-01-02", BK_PURPOSE_REPORT, &v);
    assert_string_equal(v.t.code, "A-001");
    assert_string_equal(v.t.day, "2026-12-08");
}

static unsigned bit(bk_purpose p)
{
    return 1u << p;
}

static int audit_actions(testdb *t, const char *action)
{
    assert_int_equal(store_begin(t->st, STORE_TX_READ), BK_OK);
    action_count c = {action, 0};
    bk_err e = store_audit_list(t->st, 0, 0, 0, count_action, &c);
    store_rollback(t->st);
    assert_int_equal(e, BK_OK);
    return c.n;
}

/* One visit, one ticket (issue 12 item 7). */
static void test_one_visit_one_ticket(void **state)
{
    testdb *t = *state;
    queue_view a, b, c, g;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &a);
    assert_false(a.existing);
    assert_false(a.joined);
    assert_int_equal(a.t.purposes, bit(BK_PURPOSE_REPORT));
    /* Another purpose joins the open visit: the same ticket and code. */
    t->q.fixed_now += 60;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_DRUG_TEST, &b);
    assert_true(b.existing);
    assert_true(b.joined);
    assert_int_equal(b.t.id, a.t.id);
    assert_string_equal(b.t.code, a.t.code);
    assert_int_equal(b.t.purpose, BK_PURPOSE_REPORT); /* the first purpose stays */
    assert_int_equal(b.t.purposes, bit(BK_PURPOSE_REPORT) | bit(BK_PURPOSE_DRUG_TEST));
    assert_int_equal(audit_actions(t, "purpose_add"), 1);
    /* A purpose the visit has already: the ticket back, nothing added. */
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_DRUG_TEST, &c);
    assert_true(c.existing);
    assert_false(c.joined);
    assert_int_equal(c.t.id, a.t.id);
    assert_int_equal(audit_actions(t, "purpose_add"), 1);
    /* The desk's reads see every purpose. */
    assert_int_equal(queue_get(&t->q, a.t.id, &g), BK_OK);
    assert_int_equal(g.t.purposes, bit(BK_PURPOSE_REPORT) | bit(BK_PURPOSE_DRUG_TEST));
    /* Called and being served, still the same visit. */
    assert_int_equal(queue_call_next(&t->q, "PK1", &g), BK_OK);
    assert_int_equal(queue_start(&t->q, a.t.id, NULL, NULL), BK_OK);
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_COUNSELING, &c);
    assert_true(c.joined);
    assert_int_equal(c.t.id, a.t.id);
    assert_int_equal(c.t.status, BK_STATUS_SERVING);
    assert_int_equal(c.t.purposes, bit(BK_PURPOSE_REPORT) | bit(BK_PURPOSE_DRUG_TEST) |
                                       bit(BK_PURPOSE_COUNSELING));
    /* Other clients keep their own visits. */
    checkin_ok(t, "C4", "1990-01-04", BK_PURPOSE_COUNSELING, &g);
    assert_int_not_equal(g.t.id, a.t.id);
    assert_false(g.existing);
    assert_int_equal(g.t.purposes, bit(BK_PURPOSE_COUNSELING));
    assert_int_equal(queue_done(&t->q, a.t.id, BK_OUTCOME_COUNSELED, NULL), BK_OK);

    /* The report visit is done: no second report ticket today. */
    int rows = testdb_audit_rows(t);
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &b),
                     BK_ERR_REPORTED);
    assert_int_equal(testdb_audit_rows(t), rows);
    /* Another purpose after a finished visit is a new visit (decided: the
     * client came back for something else), also one already served. */
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_COUNSELING, &b);
    assert_false(b.existing);
    assert_int_not_equal(b.t.id, a.t.id);
    assert_string_equal(b.t.code, "A-003");
    assert_int_equal(b.t.purposes, bit(BK_PURPOSE_COUNSELING));
    /* ... and report does not join that open visit either. */
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &c);
    assert_true(c.existing);
    assert_false(c.joined);
    assert_int_equal(c.t.id, b.t.id);
    assert_int_equal(c.t.purposes, bit(BK_PURPOSE_COUNSELING));
    /* C4 has reported nowhere today: report joins C4's open counseling visit. */
    checkin_ok(t, "C4", "1990-01-04", BK_PURPOSE_REPORT, &c);
    assert_true(c.joined);
    assert_int_equal(c.t.id, g.t.id);

    /* The listing (desk, bapasctl queue) carries the purposes too. */
    purposes_seen want = {g.t.id, 0};
    assert_int_equal(queue_list(&t->q, "PK1", STORE_ST_OPEN, find_purposes, &want), BK_OK);
    assert_int_equal(want.purposes, bit(BK_PURPOSE_COUNSELING) | bit(BK_PURPOSE_REPORT));
    /* The next day is a new day. */
    t->q.fixed_now += 86400;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &c);
    assert_false(c.existing);
    assert_string_equal(c.t.code, "A-001");
}

static void test_office_day_is_local(void **state)
{
    testdb *t = *state;
    queue_view v;
    /* 2026-12-07 23:30 UTC is 2026-12-08 06:30 in Jakarta. */
    t->q.fixed_now = TESTDB_MONDAY_0900 + 21 * 3600 + 1800;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    assert_string_equal(v.t.day, "2026-12-08");
}

static void test_positions_priority_eta(void **state)
{
    testdb *t = *state;
    queue_view a, b, c;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &a);
    t->q.fixed_now += 10;
    checkin_ok(t, "C4", "1990-01-04", BK_PURPOSE_REPORT, &b);
    t->q.fixed_now += 10;
    testdb_client(t, "C5", "1990-01-05", "PK1"); /* C4's second purpose would join b */
    checkin_ok(t, "C5", "1990-01-05", BK_PURPOSE_COUNSELING, &c);
    assert_int_equal(a.position, 0);
    assert_int_equal(b.position, 1);
    assert_int_equal(c.position, 2);
    /* No history: default 10 minutes per visit ahead. */
    assert_int_equal(b.eta_minutes, 10);
    assert_int_equal(c.eta_minutes, 20);
    /* Priority goes first. */
    assert_int_equal(queue_priority(&t->q, c.t.id, &c), BK_OK);
    assert_int_equal(c.position, 0);
    assert_int_equal(queue_get(&t->q, a.t.id, &a), BK_OK);
    assert_int_equal(a.position, 1);
    /* call-next takes the priority ticket first, then by check-in time. */
    queue_view n;
    assert_int_equal(queue_call_next(&t->q, "PK1", &n), BK_OK);
    assert_int_equal(n.t.id, c.t.id);
    assert_int_equal(queue_call_next(&t->q, "PK1", &n), BK_OK);
    assert_int_equal(n.t.id, a.t.id);
    assert_int_equal(queue_priority(&t->q, a.t.id, NULL), BK_ERR_STATE);
}

static void serve(testdb *t, int64_t id, int minutes, bk_outcome outcome)
{
    assert_int_equal(queue_start(&t->q, id, NULL, NULL), BK_OK);
    t->q.fixed_now += minutes * 60;
    assert_int_equal(queue_done(&t->q, id, outcome, NULL), BK_OK);
}

static void test_eta_uses_median_of_history(void **state)
{
    testdb *t = *state;
    /* Yesterday PK1 served three report visits of 4, 6 and 20 minutes: median 6. */
    t->q.fixed_now -= 86400;
    const int mins[3] = {4, 20, 6};
    const char *nos[3] = {"C1", "C4", "C2"};
    for (int i = 0; i < 3; i++) {
        queue_view v;
        if (i == 2)
            assert_int_equal(queue_presence_set(&t->q, NULL, "PK2", BK_PRESENCE_ABSENT, "PK1"),
                             BK_OK);
        checkin_ok(t, nos[i], i == 2 ? "1990-01-02" : (i ? "1990-01-04" : "1990-01-01"),
                   BK_PURPOSE_REPORT, &v);
        assert_string_equal(v.t.officer, "PK1");
        assert_int_equal(queue_call_next(&t->q, "PK1", &v), BK_OK);
        serve(t, v.t.id, mins[i], BK_OUTCOME_ADMIN);
    }
    t->q.fixed_now = TESTDB_MONDAY_0900;
    queue_view a, b, c;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &a);
    checkin_ok(t, "C4", "1990-01-04", BK_PURPOSE_REPORT, &b);
    testdb_client(t, "C5", "1990-01-05", "PK1"); /* C4's second purpose would join b */
    checkin_ok(t, "C5", "1990-01-05", BK_PURPOSE_COUNSELING, &c);
    assert_int_equal(b.eta_minutes, 6);      /* 1 ahead x median 6 */
    assert_int_equal(c.eta_minutes, 2 * 10); /* no counseling history: default */
}

static void test_duplicate_checkin_returns_existing(void **state)
{
    testdb *t = *state;
    queue_view a, b, c;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &a);
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &b);
    assert_true(b.existing);
    assert_int_equal(b.t.id, a.t.id);
    assert_string_equal(b.t.code, a.t.code);
    /* A different purpose joins the same visit (test_one_visit_one_ticket). */
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_COUNSELING, &c);
    assert_true(c.existing);
    assert_int_equal(c.t.id, a.t.id);
    /* Once done, a new check-in for a purpose other than report is a new
     * ticket (report: BK_ERR_REPORTED). */
    assert_int_equal(queue_call_next(&t->q, "PK1", &a), BK_OK);
    serve(t, a.t.id, 5, BK_OUTCOME_COUNSELED);
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_LITMAS, &b);
    assert_false(b.existing);
    assert_string_equal(b.t.code, "A-002");
}

static void test_lockout_across_connections(void **state)
{
    testdb *t = *state;
    queue_view v;
    for (int i = 1; i <= 4; i++) {
        assert_int_equal(queue_checkin(&t->q, "C1", "1990-02-01", BK_PURPOSE_REPORT, &v),
                         BK_ERR_WRONG_BIRTH);
        assert_int_equal(v.attempts_left, 5 - i);
    }
    /* The fifth miss, from a second connection (another process's view). */
    testdb other = *t;
    testdb_open_at(&other, t->path);
    assert_int_equal(queue_checkin(&other.q, "C1", "1990-02-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_LOCKED);
    /* Now even the right date is refused, on both connections. */
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_LOCKED);
    assert_int_equal(queue_checkin(&other.q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_LOCKED);
    /* Still locked the next day: only reception unlocks. */
    t->q.fixed_now += 86400;
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_LOCKED);
    assert_int_equal(queue_unlock(&other.q, "C1"), BK_OK);
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    store_close(other.st);
}

/* queue_identify (the kiosk's check before [purpose]; on PostgreSQL the
 * server's bk_act_verify): the check-in's rules and one count with it. */
static void test_identify(void **state)
{
    testdb *t = *state;
    queue_view v;
    for (int i = 1; i <= 2; i++) {
        assert_int_equal(queue_identify(&t->q, "C1", "1990-02-01", &v), BK_ERR_WRONG_BIRTH);
        assert_int_equal(v.failures, i);
        assert_int_equal(v.attempts_left, 5 - i);
    }
    /* an unknown number looks and counts the same */
    assert_int_equal(queue_identify(&t->q, "NOSUCH", "1990-01-01", &v), BK_ERR_NOT_FOUND);
    assert_int_equal(v.failures, 1);
    assert_int_equal(v.attempts_left, 4);
    /* the check-in counts on the same tally */
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-02-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_WRONG_BIRTH);
    assert_int_equal(v.attempts_left, 2);
    /* a match: no ticket, and the day's count is cleared */
    assert_int_equal(queue_identify(&t->q, "C1", "1990-01-01", &v), BK_OK);
    assert_int_equal(v.t.id, 0);
    assert_false(v.t.code[0]);
    for (int i = 1; i <= 4; i++) {
        assert_int_equal(queue_identify(&t->q, "C1", "1990-03-01", &v), BK_ERR_WRONG_BIRTH);
        assert_int_equal(v.failures, i);
    }
    /* the fifth miss locks; then even the right date is refused, also by
     * the check-in */
    assert_int_equal(queue_identify(&t->q, "C1", "1990-03-01", &v), BK_ERR_LOCKED);
    assert_int_equal(queue_identify(&t->q, "C1", "1990-01-01", &v), BK_ERR_LOCKED);
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_LOCKED);
    assert_int_equal(queue_identify(&t->q, "C1", "1990-1-1", &v), BK_ERR_INVALID);
    assert_int_equal(queue_unlock(&t->q, "C1"), BK_OK);
    assert_int_equal(queue_identify(&t->q, "C1", "1990-01-01", &v), BK_OK);
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
}

static void test_unknown_numbers_count_alike(void **state)
{
    testdb *t = *state;
    queue_view v;
    for (int i = 0; i < 4; i++)
        assert_int_equal(queue_checkin(&t->q, "NOSUCH", "1990-01-01", BK_PURPOSE_REPORT, &v),
                         BK_ERR_NOT_FOUND);
    assert_int_equal(queue_checkin(&t->q, "NOSUCH", "1990-01-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_LOCKED);
}

static void test_success_resets_failures(void **state)
{
    testdb *t = *state;
    queue_view v;
    for (int i = 0; i < 4; i++)
        assert_int_equal(queue_checkin(&t->q, "C1", "1999-01-01", BK_PURPOSE_REPORT, &v),
                         BK_ERR_WRONG_BIRTH);
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    assert_int_equal(queue_checkin(&t->q, "C1", "1999-01-01", BK_PURPOSE_GROUP, &v),
                     BK_ERR_WRONG_BIRTH);
    assert_int_equal(v.attempts_left, 4);
}

static void test_ended_client(void **state)
{
    testdb *t = *state;
    store_client c;
    assert_int_equal(store_client_get(t->st, "C2", &c), BK_OK);
    c.active = 0;
    assert_int_equal(store_begin(t->st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(store_client_update(t->st, &c), BK_OK);
    assert_int_equal(store_commit(t->st), BK_OK);
    queue_view v;
    assert_int_equal(queue_checkin(&t->q, "C2", "1990-01-02", BK_PURPOSE_REPORT, &v), BK_ERR_ENDED);
}

static void test_transfer_keeps_place(void **state)
{
    testdb *t = *state;
    queue_view a, b, x;
    /* PK2 has C2 waiting since 09:00; PK1's C1 checked in at 09:05. */
    checkin_ok(t, "C2", "1990-01-02", BK_PURPOSE_REPORT, &b);
    t->q.fixed_now += 300;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &a);
    t->q.fixed_now += 300;
    /* Transfer C2's ticket to PK1: it was first, it stays first. */
    assert_int_equal(queue_transfer(&t->q, b.t.id, "PK1", "PK2 sakit", &x), BK_OK);
    assert_string_equal(x.t.officer, "PK1");
    assert_string_equal(x.t.transferred_from, "PK2");
    assert_int_equal(x.t.routed, BK_ROUTED_ASSIGNED);
    assert_int_equal(x.position, 0);
    assert_int_equal(queue_get(&t->q, a.t.id, &a), BK_OK);
    assert_int_equal(a.position, 1);
    assert_int_equal(queue_transfer(&t->q, b.t.id, "PK1", NULL, NULL), BK_ERR_STATE);
    assert_int_equal(queue_transfer(&t->q, b.t.id, "NOPE", NULL, NULL), BK_ERR_NOT_FOUND);
    assert_int_equal(queue_transfer(&t->q, b.t.id, "reception", NULL, &x), BK_OK);
    assert_string_equal(x.t.officer, "");
    /* A called ticket goes back to waiting in the new queue. */
    assert_int_equal(queue_call_next(&t->q, "PK1", &x), BK_OK);
    assert_int_equal(x.t.id, a.t.id);
    assert_int_equal(queue_transfer(&t->q, a.t.id, "PK3", NULL, &x), BK_OK);
    assert_int_equal(x.t.status, BK_STATUS_WAITING);
}

static void test_state_machine(void **state)
{
    testdb *t = *state;
    queue_view v;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    int64_t id = v.t.id;
    assert_int_equal(queue_recall(&t->q, id, NULL), BK_ERR_STATE);
    assert_int_equal(queue_done(&t->q, id, BK_OUTCOME_ADMIN, NULL), BK_ERR_STATE);
    assert_int_equal(queue_done(&t->q, id, BK_OUTCOME__COUNT, NULL), BK_ERR_INVALID);
    assert_int_equal(queue_done(&t->q, id, BK_OUTCOME_NONE, NULL), BK_ERR_INVALID);
    assert_int_equal(queue_call_next(&t->q, "PK1", &v), BK_OK);
    assert_int_equal(v.t.calls, 1);
    assert_int_equal(queue_recall(&t->q, id, &v), BK_OK);
    assert_int_equal(v.t.calls, 2);
    assert_int_equal(queue_call_next(&t->q, "PK1", &v), BK_ERR_NOT_FOUND);
    assert_int_equal(queue_call_next(&t->q, "NOPE", &v), BK_ERR_NOT_FOUND);
    assert_int_equal(queue_start(&t->q, id, NULL, &v), BK_OK);
    assert_string_equal(v.t.served_by, "PK1");
    assert_int_equal(queue_cancel(&t->q, id, NULL), BK_ERR_STATE);
    assert_int_equal(queue_no_show(&t->q, id, NULL), BK_ERR_STATE);
    t->q.fixed_now += 600;
    assert_int_equal(queue_done(&t->q, id, BK_OUTCOME_COUNSELED, &v), BK_OK);
    assert_int_equal(v.t.status, BK_STATUS_DONE);
    assert_int_equal(v.t.outcome, BK_OUTCOME_COUNSELED);
    assert_int_equal(v.t.finished_at - v.t.started_at, 600);
    assert_int_equal(queue_done(&t->q, id, BK_OUTCOME_COUNSELED, NULL), BK_ERR_STATE);
    assert_int_equal(queue_get(&t->q, 999999, &v), BK_ERR_NOT_FOUND);
    /* cancel and no-show from waiting. */
    checkin_ok(t, "C4", "1990-01-04", BK_PURPOSE_REPORT, &v);
    assert_int_equal(queue_no_show(&t->q, v.t.id, &v), BK_OK);
    assert_int_equal(v.t.status, BK_STATUS_NO_SHOW);
    checkin_ok(t, "C4", "1990-01-04", BK_PURPOSE_LITMAS, &v);
    assert_int_equal(queue_cancel(&t->q, v.t.id, &v), BK_OK);
    assert_int_equal(v.t.status, BK_STATUS_CANCELLED);
}

static void test_report_visit_updates_last_report(void **state)
{
    testdb *t = *state;
    queue_view v;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_COUNSELING, &v);
    assert_int_equal(queue_call_next(&t->q, "PK1", &v), BK_OK);
    serve(t, v.t.id, 5, BK_OUTCOME_COUNSELED);
    store_client c;
    assert_int_equal(store_client_get(t->st, "C1", &c), BK_OK);
    assert_string_equal(c.last_report, "");
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    assert_int_equal(queue_call_next(&t->q, "PK1", &v), BK_OK);
    serve(t, v.t.id, 5, BK_OUTCOME_ADMIN);
    assert_int_equal(store_client_get(t->st, "C1", &c), BK_OK);
    assert_string_equal(c.last_report, "2026-12-07");
}

/* A report that joined a visit of another first purpose is a report visit:
 * done, it moves last_report (SQLite: do_done; PostgreSQL: the trigger of
 * pg/009_visits.sql beside bk_act_ticket). */
static void test_joined_report_updates_last_report(void **state)
{
    testdb *t = *state;
    queue_view v, w;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_COUNSELING, &v);
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &w);
    assert_true(w.joined);
    assert_int_equal(w.t.purpose, BK_PURPOSE_COUNSELING);
    assert_true(queue_visit_has(&w.t, BK_PURPOSE_REPORT));
    assert_int_equal(queue_call_next(&t->q, "PK1", &v), BK_OK);
    serve(t, v.t.id, 5, BK_OUTCOME_COUNSELED);
    store_client c;
    assert_int_equal(store_client_get(t->st, "C1", &c), BK_OK);
    assert_string_equal(c.last_report, "2026-12-07");
    /* and it is the day's report visit: no second one */
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &w),
                     BK_ERR_REPORTED);
    /* a counseling visit alone moves nothing (C4) */
    checkin_ok(t, "C4", "1990-01-04", BK_PURPOSE_COUNSELING, &v);
    assert_int_equal(queue_call_next(&t->q, "PK1", &v), BK_OK);
    serve(t, v.t.id, 5, BK_OUTCOME_COUNSELED);
    assert_int_equal(store_client_get(t->st, "C4", &c), BK_OK);
    assert_string_equal(c.last_report, "");
}

static void test_day_end_closes_as_no_show(void **state)
{
    testdb *t = *state;
    queue_view a, b, c;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &a);
    checkin_ok(t, "C2", "1990-01-02", BK_PURPOSE_REPORT, &b);
    checkin_ok(t, "C3", "1990-01-03", BK_PURPOSE_REPORT, &c);
    assert_int_equal(queue_call_next(&t->q, "PK2", &b), BK_OK);
    assert_int_equal(queue_call_next(&t->q, "PK3", &c), BK_OK);
    assert_int_equal(queue_start(&t->q, c.t.id, NULL, NULL), BK_OK);
    t->q.fixed_now += 86400;
    int closed = -1;
    assert_int_equal(queue_close_stale(&t->q, &closed), BK_OK);
    assert_int_equal(closed, 3);
    assert_int_equal(queue_get(&t->q, a.t.id, &a), BK_OK);
    assert_int_equal(a.t.status, BK_STATUS_NO_SHOW);
    assert_int_equal(queue_get(&t->q, c.t.id, &c), BK_OK);
    assert_int_equal(c.t.status, BK_STATUS_NO_SHOW);
    assert_int_equal(queue_close_stale(&t->q, &closed), BK_OK);
    assert_int_equal(closed, 0);
}

static void test_audit_row_per_change(void **state)
{
    testdb *t = *state;
    int before = testdb_audit_rows(t);
    queue_view v;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    assert_int_equal(queue_call_next(&t->q, "PK1", &v), BK_OK);
    assert_int_equal(queue_recall(&t->q, v.t.id, NULL), BK_OK);
    assert_int_equal(queue_start(&t->q, v.t.id, NULL, NULL), BK_OK);
    assert_int_equal(queue_done(&t->q, v.t.id, BK_OUTCOME_REFERRED, NULL), BK_OK);
    assert_int_equal(testdb_audit_rows(t), before + 5);
    /* A refused action writes nothing. */
    assert_int_equal(queue_done(&t->q, v.t.id, BK_OUTCOME_REFERRED, NULL), BK_ERR_STATE);
    assert_int_equal(testdb_audit_rows(t), before + 5);
}

static void test_bad_input_rejected_and_nothing_written(void **state)
{
    testdb *t = *state;
    int audit0 = testdb_audit_rows(t);
    char *big = malloc(10001);
    assert_non_null(big);
    memset(big, 'A', 10000);
    big[10000] = 0;
    queue_view v;
    assert_int_equal(queue_checkin(&t->q, big, "1990-01-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_INVALID);
    assert_int_equal(queue_checkin(&t->q, "C1", "2023-02-30", BK_PURPOSE_REPORT, &v),
                     BK_ERR_INVALID);
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-13-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_INVALID);
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE__COUNT, &v),
                     BK_ERR_INVALID);
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", (bk_purpose)-1, &v), BK_ERR_INVALID);
    assert_int_equal(queue_checkin(&t->q, "C 1", "1990-01-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_INVALID);
    assert_int_equal(queue_checkin(&t->q, "C1;DROP", "1990-01-01", BK_PURPOSE_REPORT, &v),
                     BK_ERR_INVALID);
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_OTHER, big, &v), BK_ERR_INVALID);
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_OTHER, "bad\xff\xfe", &v), BK_ERR_INVALID);
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_OTHER, "tab\there", &v), BK_ERR_INVALID);
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_OTHER, "nl\nhere", &v), BK_ERR_INVALID);
    assert_int_equal(queue_transfer(&t->q, 1, "PK1", "\x1b[31m", &v), BK_ERR_INVALID);
    free(big);
    assert_int_equal(testdb_audit_rows(t), audit0);
    store_ticket tk;
    assert_int_equal(store_ticket_get(t->st, 1, &tk), BK_ERR_NOT_FOUND);
}

static void test_sql_metacharacters_are_data(void **state)
{
    testdb *t = *state;
    const char *evil = "'; DROP TABLE clients;--";
    queue_view v;
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_OTHER, evil, &v), BK_OK);
    store_ticket tk;
    assert_int_equal(store_ticket_get(t->st, v.t.id, &tk), BK_OK);
    assert_string_equal(tk.walkin_name, evil);
    store_client c;
    assert_int_equal(store_client_get(t->st, "C1", &c), BK_OK); /* table still there */
    const char *names[] = {"Ma'ruf", "Siti Nur'aini", "H. Ahmad, S.H.", "Ñoño \"quoted\""};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(valid_text(names[i], 100, 1, NULL), BK_OK);
        assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_OTHER, names[i], &v), BK_OK);
        assert_int_equal(store_ticket_get(t->st, v.t.id, &tk), BK_OK);
        assert_string_equal(tk.walkin_name, names[i]);
    }
}

/* issue 12 item 3: a reception ticket for a client who does not know their
 * number carries the reason; once per key (SQLite: queue.c; PostgreSQL:
 * bk_act_no_number). */
static void test_no_number(void **state)
{
    testdb *t = *state;
    queue_view v, again;
    int audit0 = testdb_audit_rows(t);
    assert_int_equal(queue_no_number(&t->q, NULL, &v), BK_OK);
    assert_int_equal(v.existing, 0);
    assert_string_equal(v.t.client_no, "");
    assert_string_equal(v.t.walkin_name, "");
    assert_int_equal(v.t.routed, BK_ROUTED_RECEPTION);
    assert_int_equal(v.t.purpose, BK_PURPOSE_OTHER);
    assert_int_equal(v.t.reason, BK_REASON_NO_NUMBER);
    assert_int_equal(v.position, 0);
    assert_int_equal(testdb_audit_rows(t), audit0 + 1);
    store_ticket tk;
    assert_int_equal(store_ticket_get(t->st, v.t.id, &tk), BK_OK);
    assert_int_equal(tk.reason, BK_REASON_NO_NUMBER);
    assert_string_equal(tk.officer, "");
    /* an ordinary walk-in has none */
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_OTHER, NULL, &again), BK_OK);
    assert_int_equal(store_ticket_get(t->st, again.t.id, &tk), BK_OK);
    assert_int_equal(tk.reason, BK_REASON_NONE);
    /* the same key: the same ticket, nothing written */
    char key[TOKEN_CHARS + 1];
    assert_int_equal(token_random(key), BK_OK);
    assert_int_equal(queue_no_number(&t->q, key, &v), BK_OK);
    assert_int_equal(v.existing, 0);
    int audit1 = testdb_audit_rows(t);
    assert_int_equal(queue_no_number(&t->q, key, &again), BK_OK);
    assert_int_equal(again.existing, 1);
    assert_int_equal(again.t.id, v.t.id);
    assert_int_equal(testdb_audit_rows(t), audit1);
    /* a walk-in's key is not a no-number request's */
    char wkey[TOKEN_CHARS + 1];
    assert_int_equal(token_random(wkey), BK_OK);
    assert_int_equal(queue_walkin_key(&t->q, BK_PURPOSE_OTHER, NULL, wkey, &again), BK_OK);
    audit1 = testdb_audit_rows(t);
    assert_int_equal(queue_no_number(&t->q, wkey, &again), BK_ERR_EXISTS);
    assert_int_equal(queue_no_number(&t->q, "not-a-key", &again), BK_ERR_INVALID);
    assert_int_equal(testdb_audit_rows(t), audit1);
}

static void test_resolve_codes(void **state)
{
    testdb *t = *state;
    queue_view v;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    int64_t id = 0;
    assert_int_equal(queue_resolve(&t->q, "A-001", &id), BK_OK);
    assert_int_equal(id, v.t.id);
    assert_int_equal(queue_resolve(&t->q, "a-1", &id), BK_OK);
    assert_int_equal(id, v.t.id);
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)v.t.id);
    assert_int_equal(queue_resolve(&t->q, num, &id), BK_OK);
    assert_int_equal(queue_resolve(&t->q, "A-002", &id), BK_ERR_NOT_FOUND);
    assert_int_equal(queue_resolve(&t->q, "garbage", &id), BK_ERR_INVALID);
    /* Yesterday's code does not resolve today. */
    t->q.fixed_now += 86400;
    assert_int_equal(queue_resolve(&t->q, "A-001", &id), BK_ERR_NOT_FOUND);
}

static void test_schema_refuses_downgrade(void **state)
{
    testdb *t = *state;
    assert_int_equal(store_schema_version(t->st), store_schema_latest());
    char sql_path[400];
    if (t->pg_schema[0]) {
        snprintf(sql_path, sizeof sql_path, "UPDATE %s.bk_schema SET version = 999", t->pg_schema);
        testdb_pg_admin(sql_path);
    } else if (snprintf(sql_path, sizeof sql_path,
                        "sqlite3 '%s' 'PRAGMA user_version=999' >/dev/null 2>&1", t->path),
               system(sql_path) != 0) {
        skip(); /* sqlite3 shell missing */
        return;
    }
    store *s2 = NULL;
    char err[256];
    assert_int_equal(store_open(t->path, NULL, &s2, err, sizeof err), BK_ERR_STATE);
    assert_null(s2);
    assert_non_null(strstr(err, "downgrade"));
}

static bk_err count_view(void *ud, const queue_view *v)
{
    (void)v;
    (*(int *)ud)++;
    return BK_OK;
}

/* A text in the database that is none of the names (written past the
 * schema's CHECK) is an error when read, never a guessed value. */
static void test_unknown_text_in_database_is_an_error(void **state)
{
    testdb *t = *state;
    queue_view v;
    checkin_ok(t, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v);
    char sql[600];
    if (t->pg_schema[0]) {
        snprintf(sql, sizeof sql,
                 "SET search_path TO %s; ALTER TABLE tickets DROP CONSTRAINT tickets_status_check; "
                 "UPDATE tickets SET status = 'lost' WHERE id = %lld",
                 t->pg_schema, (long long)v.t.id);
        testdb_pg_admin(sql);
    } else if (snprintf(sql, sizeof sql,
                        "sqlite3 '%s' 'PRAGMA ignore_check_constraints=ON; UPDATE tickets SET "
                        "status = '\\''lost'\\'' WHERE id = %lld' >/dev/null 2>&1",
                        t->path, (long long)v.t.id),
               system(sql) != 0) {
        skip(); /* sqlite3 shell missing */
        return;
    }
    store_ticket tk;
    assert_int_equal(store_ticket_get(t->st, v.t.id, &tk), BK_ERR_INTERNAL);
    assert_non_null(strstr(store_errmsg(t->st), "unknown value 'lost'"));
    assert_int_equal(queue_get(&t->q, v.t.id, &v), BK_ERR_INTERNAL);
    /* a listing stops at the row too, before handing it out */
    int seen = 0;
    assert_int_equal(queue_list(&t->q, NULL, STORE_ST_ALL, count_view, &seen), BK_ERR_INTERNAL);
    assert_int_equal(seen, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_routing_assigned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_routing_substitute_and_reception, setup, teardown),
        cmocka_unit_test_setup_teardown(test_codes_one_series_per_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_visit_one_ticket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_office_day_is_local, setup, teardown),
        cmocka_unit_test_setup_teardown(test_positions_priority_eta, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eta_uses_median_of_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_checkin_returns_existing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout_across_connections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_numbers_count_alike, setup, teardown),
        cmocka_unit_test_setup_teardown(test_success_resets_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ended_client, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_keeps_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_machine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_visit_updates_last_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_joined_report_updates_last_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_day_end_closes_as_no_show, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_row_per_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_rejected_and_nothing_written, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sql_metacharacters_are_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_refuses_downgrade, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_text_in_database_is_an_error, setup, teardown),
    };
    return cmocka_run_group_tests_name("queue rules", tests, NULL, NULL);
}
