/* test_answers — the wajib lapor answers (core/answers.h, migration 010):
 * the rules of answers_put, the store's reads and the per-question counts.
 * Runs on SQLite (the rules in C) and, as store.pg.test_answers, on
 * PostgreSQL (the server's bk_act_answers), with the same expectations;
 * a hostile login's attempts are in test_attack.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "answers.h"
#include "flow.h"
#include "report.h"
#include "store_answers.h"
#include "testdb.h"

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

static int64_t checkin(testdb *t, const char *no, const char *birth, bk_purpose p)
{
    queue_view v;
    bk_err e = queue_checkin(&t->q, no, birth, p, &v);
    if (e) fail_msg("checkin %s: %s (%s)", no, bk_err_name(e), store_errmsg(t->st));
    return v.t.id;
}

/* The four default questions, "Ya" to the ones in yes_mask (bit i = id i+1). */
static answers_set defaults(unsigned yes_mask)
{
    answers_set a = {.n = 4};
    for (int i = 0; i < 4; i++) {
        a.id[i] = i + 1;
        a.yes[i] = (yes_mask >> i) & 1;
    }
    return a;
}

static int count_rows(testdb *t, int64_t ticket)
{
    store_answer a[STORE_QUESTIONS_MAX];
    int n = -1;
    assert_int_equal(store_answers_get(t->st, ticket, a, STORE_QUESTIONS_MAX, &n), BK_OK);
    return n;
}

typedef struct audit_scan {
    int answers_rows;
    char detail[STORE_TEXT_SZ];
} audit_scan;

static bk_err audit_cb(void *ud, const store_audit_row *r)
{
    audit_scan *s = ud;
    if (strcmp(r->action, "answers") == 0) {
        s->answers_rows++;
        snprintf(s->detail, sizeof s->detail, "%s", r->detail);
    }
    return BK_OK;
}

static void test_defaults_seeded(void **state)
{
    testdb *t = *state;
    store_question q;
    assert_int_equal(store_question_get(t->st, 1, &q), BK_OK);
    assert_string_equal(q.text_id, "Apakah alamat Anda berubah?");
    assert_string_equal(q.text_en, "Has your address changed?");
    assert_int_equal(store_question_get(t->st, 3, &q), BK_OK);
    assert_string_equal(q.text_id, "Apakah Anda berurusan dengan polisi sejak lapor terakhir?");
    assert_int_equal(store_question_get(t->st, 4, &q), BK_OK);
    assert_string_equal(q.text_id, "Apakah Anda butuh bantuan (kesehatan, pekerjaan, keluarga)?");
    assert_true(q.active);
    assert_int_equal(store_question_get(t->st, 5, &q), BK_ERR_NOT_FOUND);
}

static void test_answers_stored_once(void **state)
{
    testdb *t = *state;
    int64_t id = checkin(t, "C1", "1990-01-01", BK_PURPOSE_REPORT);
    assert_int_equal(count_rows(t, id), 0); /* not answered yet */
    answers_set a = defaults(1u << 2);      /* Ya to question 3 only */
    assert_int_equal(answers_put(&t->q, id, &a), BK_OK);
    store_answer got[STORE_QUESTIONS_MAX];
    int n = 0;
    assert_int_equal(store_answers_get(t->st, id, got, STORE_QUESTIONS_MAX, &n), BK_OK);
    assert_int_equal(n, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(got[i].question_id, i + 1);
        assert_int_equal(got[i].answer, i == 2 ? 1 : 0);
        assert_true(got[i].answered_at > 0);
    }
    /* never overwritten: a second set is refused and changes nothing */
    answers_set b = defaults(0xF);
    assert_int_equal(answers_put(&t->q, id, &b), BK_ERR_EXISTS);
    assert_int_equal(store_answers_get(t->st, id, got, STORE_QUESTIONS_MAX, &n), BK_OK);
    assert_int_equal(got[0].answer, 0);
    assert_int_equal(got[2].answer, 1);
    /* one audit row, with the number of questions and nothing of the answers */
    audit_scan s = {0};
    assert_int_equal(store_audit_list(t->st, id, 0, 0, audit_cb, &s), BK_OK);
    assert_int_equal(s.answers_rows, 1);
    assert_string_equal(s.detail, "questions=4");
}

/* A report that joined an open visit of another purpose (schema 9: one
 * visit, one ticket) is a report visit: its questions are answered on the
 * same ticket. A visit without report still is not. */
static void test_answers_of_a_joined_report(void **state)
{
    testdb *t = *state;
    int64_t id = checkin(t, "C1", "1990-01-01", BK_PURPOSE_COUNSELING);
    answers_set a = defaults(1u << 1);                          /* Ya to question 2 */
    assert_int_equal(answers_put(&t->q, id, &a), BK_ERR_STATE); /* counseling only */
    assert_int_equal(count_rows(t, id), 0);
    queue_view v;
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(v.t.id, id); /* the same ticket, report joined */
    assert_true(v.joined);
    assert_int_equal(answers_put(&t->q, id, &a), BK_OK);
    store_answer got[STORE_QUESTIONS_MAX];
    int n = 0;
    assert_int_equal(store_answers_get(t->st, id, got, STORE_QUESTIONS_MAX, &n), BK_OK);
    assert_int_equal(n, 4);
    assert_int_equal(got[1].answer, 1);
}

static void test_answers_refused(void **state)
{
    testdb *t = *state;
    int64_t rep = checkin(t, "C1", "1990-01-01", BK_PURPOSE_REPORT);
    /* the form: nothing, twice the same question, unknown, not 0/1 */
    answers_set a = {.n = 0};
    assert_int_equal(answers_put(&t->q, rep, &a), BK_ERR_INVALID);
    a = defaults(0);
    a.id[1] = 1;
    assert_int_equal(answers_put(&t->q, rep, &a), BK_ERR_INVALID);
    a = defaults(0);
    a.id[3] = 99;
    assert_int_equal(answers_put(&t->q, rep, &a), BK_ERR_INVALID);
    a = defaults(0);
    a.yes[0] = 2;
    assert_int_equal(answers_put(&t->q, rep, &a), BK_ERR_INVALID);
    /* an inactive question */
    store_question q;
    assert_int_equal(store_question_get(t->st, 4, &q), BK_OK);
    q.active = 0;
    assert_int_equal(store_begin(t->st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(store_question_put(t->st, &q), BK_OK);
    assert_int_equal(store_commit(t->st), BK_OK);
    a = defaults(0);
    assert_int_equal(answers_put(&t->q, rep, &a), BK_ERR_INVALID);
    a.n = 3; /* the three still asked */
    /* not a report visit, a walk-in, no ticket at all */
    int64_t other = checkin(t, "C2", "1990-01-02", BK_PURPOSE_COUNSELING);
    assert_int_equal(answers_put(&t->q, other, &a), BK_ERR_STATE);
    queue_view w;
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_REPORT, "Tamu", &w), BK_OK);
    assert_int_equal(answers_put(&t->q, w.t.id, &a), BK_ERR_STATE);
    assert_int_equal(answers_put(&t->q, 999999, &a), BK_ERR_STATE);
    /* made by another actor's check-in (SQLite: q.actor; on PostgreSQL the
     * login is the actor: test_attack.sh tries it with a second kiosk) */
    if (!testdb_is_pg()) {
        t->q.actor = "kiosk:other";
        assert_int_equal(answers_put(&t->q, rep, &a), BK_ERR_STATE);
        t->q.actor = "test";
    }
    /* a closed ticket */
    int64_t c3 = checkin(t, "C3", "1990-01-03", BK_PURPOSE_REPORT);
    queue_view v;
    assert_int_equal(queue_call_next(&t->q, "PK3", &v), BK_OK);
    assert_int_equal(v.t.id, c3);
    assert_int_equal(queue_cancel(&t->q, c3, &v), BK_OK);
    assert_int_equal(answers_put(&t->q, c3, &a), BK_ERR_STATE);
    /* yesterday's ticket */
    int64_t today = t->q.fixed_now;
    t->q.fixed_now = today - 86400;
    int64_t old = checkin(t, "C4", "1990-01-04", BK_PURPOSE_REPORT);
    t->q.fixed_now = today;
    assert_int_equal(answers_put(&t->q, old, &a), BK_ERR_STATE);
    /* nothing was written by any refusal */
    assert_int_equal(count_rows(t, rep), 0);
    assert_int_equal(count_rows(t, other), 0);
    assert_int_equal(count_rows(t, w.t.id), 0);
    assert_int_equal(count_rows(t, old), 0);
    /* and the right set still goes in */
    assert_int_equal(answers_put(&t->q, rep, &a), BK_OK);
    assert_int_equal(count_rows(t, rep), 3);
}

typedef struct flag_rows {
    int n;
    int id[8], yes[8], answered[8];
} flag_rows;

static bk_err flag_cb(void *ud, const store_question *q, int yes, int answered)
{
    flag_rows *f = ud;
    if (f->n < 8) {
        f->id[f->n] = q->id;
        f->yes[f->n] = yes;
        f->answered[f->n] = answered;
        f->n++;
    }
    return BK_OK;
}

static void test_counts_per_question(void **state)
{
    testdb *t = *state;
    int64_t a1 = checkin(t, "C1", "1990-01-01", BK_PURPOSE_REPORT);
    int64_t a2 = checkin(t, "C2", "1990-01-02", BK_PURPOSE_REPORT);
    checkin(t, "C3", "1990-01-03", BK_PURPOSE_REPORT);     /* walks away: not answered */
    checkin(t, "C4", "1990-01-04", BK_PURPOSE_COUNSELING); /* not a report visit */
    answers_set a = defaults((1u << 0) | (1u << 3));
    assert_int_equal(answers_put(&t->q, a1, &a), BK_OK);
    a = defaults(1u << 3);
    assert_int_equal(answers_put(&t->q, a2, &a), BK_OK);
    flag_rows f = {0};
    int visits = -1, unanswered = -1;
    assert_int_equal(
        store_answers_count(t->st, "2026-12-07", "2026-12-07", flag_cb, &f, &visits, &unanswered),
        BK_OK);
    assert_int_equal(f.n, 4);
    static const int want_yes[4] = {1, 0, 0, 2};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(f.id[i], i + 1);
        assert_int_equal(f.yes[i], want_yes[i]);
        assert_int_equal(f.answered[i], 2);
    }
    assert_int_equal(visits, 3);
    assert_int_equal(unanswered, 1);
    /* another range: nothing */
    f.n = 0;
    assert_int_equal(
        store_answers_count(t->st, "2026-12-08", "2026-12-31", flag_cb, &f, &visits, &unanswered),
        BK_OK);
    assert_int_equal(visits, 0);
    assert_int_equal(f.answered[0], 0);
    /* the report: one row per question and the total */
    report_params p = {.kind = REPORT_FLAGS, .from = "2026-12-01", .to = "2026-12-31"};
    report *r = NULL;
    assert_int_equal(report_build(t->st, &p, &r), BK_OK);
    assert_int_equal(r->nrows, 5);
    assert_int_equal(report_cell_at(r, 3, "yes")->i, 2);
    assert_int_equal(report_cell_at(r, 3, "answered")->i, 2);
    assert_int_equal(report_cell_at(r, 0, "yes")->i, 1);
    assert_int_equal(report_cell_at(r, 4, "answered")->i, 2);
    assert_int_equal(report_cell_at(r, 4, "not_answered")->i, 1);
    report_free(r);
}

/* The kiosk's check-in job brings the questions along, once. */
static void test_flow_job_questions(void **state)
{
    testdb *t = *state;
    flow_job j = {.kind = FLOW_JOB_CHECKIN, .purpose = BK_PURPOSE_REPORT};
    snprintf(j.client_no, sizeof j.client_no, "C1");
    snprintf(j.birth, sizeof j.birth, "1990-01-01");
    flow_result *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(flow_job_run(&j, &t->q, r), BK_OK);
    assert_int_equal(r->n_questions, 4);
    assert_int_equal(r->answered, 0);
    assert_string_equal(r->questions[1].text_id, "Apakah pekerjaan Anda berubah?");
    assert_string_equal(r->questions[1].text_en, "Has your job changed?");
    int64_t id = r->view.t.id;
    /* the answers job */
    flow_job aj = {.kind = FLOW_JOB_ANSWERS, .ticket_id = id, .n_answers = 4};
    for (int i = 0; i < 4; i++) {
        aj.answer_id[i] = r->questions[i].id;
        aj.answer_yes[i] = i == 1;
    }
    flow_result *ar = calloc(1, sizeof *ar);
    assert_non_null(ar);
    assert_int_equal(flow_job_run(&aj, &t->q, ar), BK_OK);
    /* the same open ticket again (the client comes back): answered, none asked */
    assert_int_equal(flow_job_run(&j, &t->q, r), BK_OK);
    assert_int_equal(r->view.t.id, id);
    assert_true(r->view.existing);
    assert_int_equal(r->answered, 1);
    assert_int_equal(r->n_questions, 0);
    /* a repeated answers job (a replay) is no failure */
    assert_int_equal(flow_job_run(&aj, &t->q, ar), BK_OK);
    /* not a report visit: no questions */
    flow_job c = j;
    c.purpose = BK_PURPOSE_COUNSELING;
    assert_int_equal(flow_job_run(&c, &t->q, r), BK_OK);
    assert_int_equal(r->n_questions, 0);
    free(r);
    free(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults_seeded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answers_stored_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answers_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answers_of_a_joined_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_per_question, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_job_questions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
