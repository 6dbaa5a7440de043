/* test_flow — the check-in state machine with a fake clock and a real SQLite
 * demo database in a temp dir. Jobs run synchronously here (the kiosk hands
 * copies of them to its worker thread, ui/livework.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"
#include "flow.h"
#include "otime.h"
#include "store_answers.h"
#include "queue.h"
#include "store.h"

typedef struct fx {
    char dir[128];
    char db[256];
    store *st;
    queue_ctx q;
    flow f;
    int64_t now; /* fake monotonic clock, ms */
} fx;

static const flow_opts OPTS = {.idle_ms = 30000,
                               .ticket_idle_ms = 15000,
                               .countdown_ms = 10000,
                               .scan_gap_ms = 1500,
                               .long_press_ms = 3000,
                               .retry_open_ms = 15000,
                               .exit_pin = "2468"};

static int setup(void **state)
{
    fx *x = calloc(1, sizeof *x);
    if (!x) return -1;
    snprintf(x->dir, sizeof x->dir, "/tmp/bk-flow-XXXXXX");
    if (!mkdtemp(x->dir)) return -1;
    snprintf(x->db, sizeof x->db, "%s/t.db", x->dir);
    store_opts so = {.busy_timeout_ms = 2000, .utc_offset_min = 420, .sync_normal = 1, .create = 1};
    char err[256];
    if (store_open(x->db, &so, &x->st, err, sizeof err)) return -1;
    x->q.st = x->st;
    x->q.utc_offset_min = 420;
    x->q.actor = "kiosk:test";
    /* Monday 7 December 2026, 10:00 WIB */
    if (otime_parse("2026-12-07T03:00:00Z", &x->q.fixed_now)) return -1;
    if (demo_load(&x->q)) return -1;
    x->now = 1000000;
    flow_init(&x->f, &OPTS, 0, x->now);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fx *x = *state;
    store_close(x->st);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
    int rc = system(cmd);
    free(x);
    return rc == 0 ? 0 : -1;
}

/* Run a pending job synchronously on the open store, as the kiosk's worker
 * would: a copy in, the result by value out. */
static void run_job(fx *x)
{
    assert_true(flow_job_pending(&x->f));
    flow_job j = x->f.job;
    flow_result r;
    flow_job_run(&j, &x->q, &r);
    x->now += 5;
    flow_job_finish(&x->f, &r, x->now);
}

/* The job runner of a flow that opens its store, as the kiosk's job worker
 * is (ui/livework.h): it owns the connection, opens it first when there is
 * none (one attempt, never creating a file) and drops it when a job fails
 * with BK_ERR_IO or BK_ERR_INTERNAL. */
typedef struct runner {
    queue_ctx q; /* q.st: the runner's connection */
    const char *path;
    store_opts so;
} runner;

static void runner_init(runner *r, const queue_ctx *q, const char *path, const store_opts *so)
{
    r->q = *q;
    r->q.st = NULL;
    r->path = path;
    r->so = *so;
}

static void runner_job(runner *r, flow *f, int64_t now)
{
    assert_true(flow_job_pending(f));
    flow_job j = f->job;
    flow_result res;
    memset(&res, 0, sizeof res);
    if (!r->q.st) {
        char err[256];
        if (access(r->path, F_OK) != 0)
            res.err = BK_ERR_IO;
        else if ((res.err = store_open(r->path, &r->so, &r->q.st, err, sizeof err)))
            r->q.st = NULL;
    }
    if (!res.err && flow_job_run(&j, &r->q, &res) &&
        (res.err == BK_ERR_IO || res.err == BK_ERR_INTERNAL)) {
        store_close(r->q.st);
        r->q.st = NULL;
    }
    flow_job_finish(f, &res, now);
}

static void runner_close(runner *r)
{
    store_close(r->q.st);
    r->q.st = NULL;
}

static void type_digits(fx *x, const char *s)
{
    for (; *s; s++) {
        x->now += 300;
        flow_digit(&x->f, *s - '0', x->now);
    }
}

static int count_tickets(fx *x, const char *client_no)
{
    int n = 0;
    store_ticket t;
    char day[11];
    queue_today(&x->q, day);
    for (int i = 0; i < BK_PURPOSE__COUNT; i++)
        if (store_ticket_find_open(x->st, day, client_no, (bk_purpose)i, &t) == BK_OK) n++;
    return n;
}

/* welcome -> identify -> verify; returns with the identity check pending. */
static void enter_identity(fx *x, const char *no, const char *birth_ddmmyyyy)
{
    flow *f = &x->f;
    flow_start(f, x->now);
    assert_int_equal(f->screen, FLOW_IDENTIFY);
    assert_false(flow_can_ok(f));
    type_digits(x, no);
    assert_true(flow_can_ok(f));
    flow_ok(f, x->now);
    assert_int_equal(f->screen, FLOW_VERIFY);
    type_digits(x, birth_ddmmyyyy);
    flow_ok(f, x->now);
    assert_int_equal(f->screen, FLOW_VERIFY);
    assert_true(flow_job_pending(f));
    assert_int_equal(f->job.kind, FLOW_JOB_IDENTIFY);
}

/* The same, the identity check run: a mismatch, a lock or an ended client
 * ends on [help] before [purpose]. */
static void enter_wrong(fx *x, const char *no, const char *birth_ddmmyyyy)
{
    enter_identity(x, no, birth_ddmmyyyy);
    run_job(x);
    assert_int_equal(x->f.screen, FLOW_HELP);
}

/* welcome -> identify -> verify (checked) -> purpose; returns with the
 * check-in job pending. */
static void enter_client(fx *x, const char *no, const char *birth_ddmmyyyy, bk_purpose purpose)
{
    flow *f = &x->f;
    enter_identity(x, no, birth_ddmmyyyy);
    run_job(x);
    assert_int_equal(f->screen, FLOW_PURPOSE);
    flow_choose(f, purpose, x->now);
    assert_true(flow_job_pending(f));
    assert_int_equal(f->job.kind, FLOW_JOB_CHECKIN);
}

static void birth_ddmmyyyy(int i, char out[9], char no[STORE_ID_SZ])
{
    char birth[STORE_DAY_SZ];
    demo_client(i, no, birth);
    snprintf(out, 9, "%.2s%.2s%.4s", birth + 8, birth + 5, birth);
}

/* On [question] (a report check-in): answer every question, "Ya" where bit
 * i of yes_mask is set, and run the answers job. */
static void answer_all(fx *x, unsigned yes_mask)
{
    flow *f = &x->f;
    assert_int_equal(f->screen, FLOW_QUESTION);
    int n = f->n_questions;
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        assert_int_equal(f->question, i);
        assert_false(flow_job_pending(f));
        flow_answer(f, (yes_mask >> i) & 1, x->now);
    }
    assert_true(flow_job_pending(f));
    assert_int_equal(f->job.kind, FLOW_JOB_ANSWERS);
    run_job(x);
}

/* A ticket's answers in the database: 1 = Ya, 0 = Tidak per question in
 * order, -1 past the last; returns how many. */
static int db_answers(fx *x, int64_t ticket, int out[8])
{
    store_answer a[STORE_QUESTIONS_MAX];
    int n = 0;
    assert_int_equal(store_answers_get(x->st, ticket, a, STORE_QUESTIONS_MAX, &n), BK_OK);
    for (int i = 0; i < 8; i++)
        out[i] = i < n ? a[i].answer : -1;
    return n;
}

static void test_screen_ids(void **state)
{
    (void)state;
    const char *ids[] = {"welcome", "identify", "verify",    "purpose", "ticket",
                         "help",    "operator", "no-number", "question"};
    for (int i = 0; i < FLOW__SCREENS; i++) {
        assert_string_equal(flow_screen_id((flow_screen)i), ids[i]);
        assert_int_equal(flow_screen_from_id(ids[i]), i);
    }
    assert_int_equal(flow_screen_from_id("nope"), FLOW__SCREENS);
}

static void test_happy_path(void **state)
{
    fx *x = *state;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    enter_client(x, no, b, BK_PURPOSE_COUNSELING);
    /* actions are ignored while the check-in runs */
    unsigned gen = x->f.gen;
    flow_back(&x->f, x->now);
    flow_digit(&x->f, 1, x->now);
    assert_int_equal(x->f.gen, gen);
    assert_int_equal(flow_idle_left(&x->f, x->now + 999999), -1);
    run_job(x);
    assert_int_equal(x->f.screen, FLOW_TICKET);
    assert_true(x->f.has_ticket);
    assert_string_equal(x->f.ticket.t.code, "A-001");
    assert_int_equal(x->f.ticket.t.routed, BK_ROUTED_ASSIGNED);
    assert_string_equal(x->f.ticket.officer.id, "PK01");
    assert_int_equal(x->f.ticket.position, 0);
    assert_false(x->f.ticket.existing);
    /* the identity is cleared as soon as it is not needed */
    assert_string_equal(x->f.number, "");
    assert_string_equal(x->f.birth_digits, "");
    assert_int_equal(count_tickets(x, no), 1);
    /* a second check-in for the same purpose shows the same ticket */
    flow_done(&x->f, x->now);
    assert_int_equal(x->f.screen, FLOW_WELCOME);
    enter_client(x, no, b, BK_PURPOSE_COUNSELING);
    run_job(x);
    assert_int_equal(x->f.screen, FLOW_TICKET);
    assert_true(x->f.ticket.existing);
    assert_false(x->f.ticket.joined);
    assert_string_equal(x->f.ticket.t.code, "A-001");
    assert_int_equal(count_tickets(x, no), 1);
    /* another purpose joins that visit: the same ticket (issue 12 item 7) */
    flow_done(&x->f, x->now);
    enter_client(x, no, b, BK_PURPOSE_DRUG_TEST);
    run_job(x);
    assert_int_equal(x->f.screen, FLOW_TICKET);
    assert_true(x->f.ticket.existing);
    assert_true(x->f.ticket.joined);
    assert_string_equal(x->f.ticket.t.code, "A-001");
    assert_int_equal(count_tickets(x, no), 1);
}

static void test_substitute(void **state)
{
    fx *x = *state;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(2, b, no); /* client 3 belongs to PK03, absent; PK05 covers */
    enter_client(x, no, b, BK_PURPOSE_REPORT);
    run_job(x);
    answer_all(x, 0);
    assert_int_equal(x->f.screen, FLOW_TICKET);
    assert_int_equal(x->f.ticket.t.routed, BK_ROUTED_SUBSTITUTE);
    assert_string_equal(x->f.ticket.officer.id, "PK05");
    assert_true(x->f.has_assigned);
    assert_string_equal(x->f.assigned.id, "PK03");
    assert_string_equal(x->f.ticket.t.code, "A-001");
}

static void test_mismatch_identical(void **state)
{
    fx *x = *state;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(1, b, no);
    /* wrong birth date for a real client */
    enter_wrong(x, no, "01011990");
    flow wrong = x->f;
    /* an unknown client number */
    flow_done(&x->f, x->now);
    enter_wrong(x, "999999", b);
    flow unknown = x->f;
    assert_int_equal(wrong.failures, 1);
    assert_int_equal(unknown.failures, 1);
    assert_int_equal(wrong.attempts_left, unknown.attempts_left);
    assert_int_equal(wrong.purpose, BK_PURPOSE__COUNT); /* no purpose was asked */
    assert_int_equal(wrong.screen, FLOW_HELP);
    assert_int_equal(unknown.screen, FLOW_HELP);
    assert_int_equal(wrong.help, FLOW_HELP_MISMATCH);
    assert_int_equal(unknown.help, FLOW_HELP_MISMATCH);
    assert_int_equal(wrong.has_ticket, unknown.has_ticket);
    assert_int_equal(wrong.help_from_checkin, unknown.help_from_checkin);
    assert_int_equal(count_tickets(x, no), 0);
    /* retry keeps the number, asks for the date again */
    flow_retry(&x->f, x->now);
    assert_int_equal(x->f.screen, FLOW_IDENTIFY);
    assert_string_equal(x->f.number, "999999");
    assert_string_equal(x->f.birth_digits, "");
    /* the keypad starts a new number only when the old one came from a scan */
    x->now += 10;
    flow_digit(&x->f, 1, x->now);
    assert_string_equal(x->f.number, "9999991");
}

static void test_lockout(void **state)
{
    fx *x = *state;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(4, b, no);
    for (int i = 0; i < 4; i++) {
        enter_wrong(x, no, "02021980");
        assert_int_equal(x->f.help, FLOW_HELP_MISMATCH);
        assert_int_equal(x->f.failures, i + 1);
        assert_int_equal(x->f.attempts_left, 4 - i);
        int left = -1;
        /* from the 3rd wrong try the screen says how many are left */
        assert_int_equal(flow_tries_shown(&x->f, &left), i + 1 >= FLOW_TRIES_SHOWN_FROM);
        assert_int_equal(left, 4 - i);
        flow_done(&x->f, x->now);
    }
    enter_wrong(x, no, "02021980");
    assert_int_equal(x->f.help, FLOW_HELP_LOCKED);
    int locked = 0;
    assert_int_equal(store_lock_get(x->st, no, &locked), BK_OK);
    assert_true(locked);
    /* even the right date is refused now; a reception ticket works */
    flow_done(&x->f, x->now);
    enter_wrong(x, no, b);
    assert_int_equal(x->f.help, FLOW_HELP_LOCKED);
    flow_reception(&x->f, x->now);
    run_job(x);
    assert_int_equal(x->f.screen, FLOW_TICKET);
    assert_true(x->f.walkin);
    assert_int_equal(x->f.ticket.t.routed, BK_ROUTED_RECEPTION);
    assert_string_equal(x->f.ticket.t.client_no, "");
    /* no purpose was asked before the lock showed */
    assert_int_equal(x->f.ticket.t.purpose, BK_PURPOSE_OTHER);
    assert_int_equal(count_tickets(x, no), 0);
}

static void test_ended(void **state)
{
    fx *x = *state;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(DEMO_CLIENTS - 1, b, no);
    enter_wrong(x, no, b); /* told at once, before [purpose] */
    assert_int_equal(x->f.help, FLOW_HELP_ENDED);
}

/* [verify] refuses a birth date in the future, or one making the client
 * younger than 12 or older than 100, with no job and no try counted. */
static void test_implausible_birth(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(1, b, no);
    flow_set_today(f, "2026-12-07");
    const char *bad[] = {"08122026", "01012030", "08122014", "06121925"};
    const char *good[] = {"07122014", "07121926"}; /* 12 today; 100 today */
    flow_start(f, x->now);
    type_digits(x, no);
    flow_ok(f, x->now);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        type_digits(x, bad[i]);
        assert_int_equal(f->date_error, FLOW_DATE_AGE);
        assert_false(flow_can_ok(f));
        flow_ok(f, x->now);
        assert_false(flow_job_pending(f));
        assert_int_equal(f->screen, FLOW_VERIFY);
        for (int k = 0; k < 8; k++)
            flow_delete(f, x->now);
    }
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        type_digits(x, good[i]);
        assert_int_equal(f->date_error, 0);
        assert_true(flow_can_ok(f));
        for (int k = 0; k < 8; k++)
            flow_delete(f, x->now);
    }
    char day[11];
    queue_today(&x->q, day);
    int fails = -1;
    assert_int_equal(store_verify_failures(x->st, no, day, &fails), BK_OK);
    assert_int_equal(fails, 0); /* nothing counted */
    /* the real date goes on to the identity check */
    type_digits(x, b);
    flow_ok(f, x->now);
    run_job(x);
    assert_int_equal(f->screen, FLOW_PURPOSE);
}

static void test_dates_and_keys(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    flow_start(f, x->now);
    type_digits(x, "240001");
    flow_delete(f, x->now);
    assert_string_equal(f->number, "24000");
    type_digits(x, "1");
    flow_enter(f, x->now);
    assert_int_equal(f->screen, FLOW_VERIFY);
    /* 31 February is not a date */
    type_digits(x, "31022000");
    assert_true(f->date_error);
    assert_false(flow_can_ok(f));
    flow_ok(f, x->now);
    assert_int_equal(f->screen, FLOW_VERIFY);
    flow_delete(f, x->now);
    assert_false(f->date_error);
    type_digits(x, "99");
    assert_string_equal(f->birth_digits, "31022009"); /* at most 8 digits */
    assert_true(f->date_error);
    flow_delete(f, x->now);
    flow_delete(f, x->now);
    flow_delete(f, x->now);
    flow_delete(f, x->now);
    flow_delete(f, x->now);
    flow_delete(f, x->now);
    flow_delete(f, x->now);
    flow_delete(f, x->now);
    flow_delete(f, x->now);
    assert_string_equal(f->birth_digits, "");
    /* typed digits then Enter work like the keypad */
    flow_text(f, "29022000", x->now);
    assert_true(flow_can_ok(f));
    for (int i = 0; i < 8; i++)
        flow_delete(f, x->now);
    char no0[STORE_ID_SZ], b0[9];
    birth_ddmmyyyy(0, b0, no0);
    assert_string_equal(f->number, no0);
    flow_text(f, b0, x->now);
    flow_enter(f, x->now);
    run_job(x);
    assert_int_equal(f->screen, FLOW_PURPOSE);
    flow_back(f, x->now);
    assert_int_equal(f->screen, FLOW_VERIFY);
    flow_back(f, x->now);
    assert_int_equal(f->screen, FLOW_IDENTIFY);
    flow_back(f, x->now);
    assert_int_equal(f->screen, FLOW_WELCOME);
    assert_string_equal(f->number, "");
    /* an unknown purpose is ignored */
    flow_start(f, x->now);
    type_digits(x, "1");
    flow_ok(f, x->now);
    flow_text(f, "01012000\n", x->now); /* "\n" is not a digit: ignored */
    flow_enter(f, x->now);
    run_job(x); /* number 1 is nobody's: [help] */
    assert_int_equal(f->screen, FLOW_HELP);
    flow_back(f, x->now);
    enter_identity(x, no0, b0);
    run_job(x);
    flow_choose(f, BK_PURPOSE__COUNT, x->now); /* not a purpose */
    assert_false(flow_job_pending(f));
    assert_int_equal(f->screen, FLOW_PURPOSE);
}

static void test_scanner(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(5, b, no);
    /* a scan on [welcome] skips to [verify] */
    x->now += 10;
    flow_text(f, no, x->now);
    assert_int_equal(f->screen, FLOW_WELCOME);
    flow_enter(f, x->now);
    assert_int_equal(f->screen, FLOW_VERIFY);
    assert_string_equal(f->number, no);
    flow_text(f, b, x->now);
    flow_enter(f, x->now);
    run_job(x);
    flow_choose(f, BK_PURPOSE_DRUG_TEST, x->now);
    run_job(x);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_string_equal(f->ticket.t.code, "A-001"); /* a drug test: no D */
    flow_done(f, x->now);
    /* a stale half scan is dropped */
    flow_text(f, "12", x->now);
    x->now += 5000;
    flow_text(f, "240002", x->now);
    flow_enter(f, x->now);
    assert_int_equal(f->screen, FLOW_VERIFY);
    assert_string_equal(f->number, "240002");
    flow_done(f, x->now); /* done resets from any screen */
    assert_int_equal(f->screen, FLOW_WELCOME);
    /* garbage scans look exactly like a mismatch */
    flow_text(f, "BPK1:\xC3\xA9!", x->now);
    flow_enter(f, x->now);
    assert_int_equal(f->screen, FLOW_HELP);
    assert_int_equal(f->help, FLOW_HELP_MISMATCH);
    assert_string_equal(f->number, "");
    flow_done(f, x->now);
    /* a scan on [identify] replaces keypad digits */
    flow_start(f, x->now);
    type_digits(x, "77");
    flow_text(f, "240003", x->now);
    assert_string_equal(f->number, "240003");
    flow_enter(f, x->now);
    assert_int_equal(f->screen, FLOW_VERIFY);
    /* 40 characters cannot be a client number */
    flow_done(f, x->now);
    flow_text(f, "1234567890123456789012345678901234567890", x->now);
    flow_enter(f, x->now);
    assert_int_equal(f->help, FLOW_HELP_MISMATCH);
}

/* issue 12 item 3: [identify] -> [no-number] (where the number is printed)
 * -> a reception ticket with the reason; back returns to [identify]. */
static void test_no_number(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    flow_start(f, x->now);
    type_digits(x, "24");
    flow_no_number(f, x->now);
    assert_int_equal(f->screen, FLOW_NO_NUMBER);
    assert_string_equal(f->number, ""); /* what was typed is dropped */
    flow_back(f, x->now);
    assert_int_equal(f->screen, FLOW_IDENTIFY);
    flow_no_number(f, x->now);
    flow_reception(f, x->now);
    assert_true(flow_job_pending(f));
    assert_int_equal(f->job.kind, FLOW_JOB_NO_NUMBER);
    assert_string_equal(f->job.client_no, "");
    run_job(x);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_true(f->walkin && f->no_number);
    assert_int_equal(f->ticket.t.reason, BK_REASON_NO_NUMBER);
    store_ticket t;
    assert_int_equal(store_ticket_get(x->st, f->ticket.t.id, &t), BK_OK);
    assert_int_equal(t.reason, BK_REASON_NO_NUMBER);
    assert_int_equal(t.routed, BK_ROUTED_RECEPTION);
    assert_string_equal(t.client_no, "");
    flow_done(f, x->now);
    assert_int_equal(f->screen, FLOW_WELCOME);
    assert_false(f->no_number);
    /* idle on [no-number] returns to [welcome] like any screen */
    flow_start(f, x->now);
    flow_no_number(f, x->now);
    x->now += OPTS.idle_ms;
    flow_tick(f, x->now);
    assert_int_equal(f->screen, FLOW_WELCOME);
}

/* issue 12 item 4: the keypad's characters come from the office's numbers;
 * a number with letters and '/' typed key by key checks in. */
static void test_letter_keys(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    store_client c;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    assert_int_equal(store_client_get(x->st, no, &c), BK_OK);
    snprintf(c.no, sizeof c.no, "%s", "PAS.PB/001/2025");
    assert_int_equal(store_client_insert(x->st, &c), BK_OK);
    /* digits only until the store says otherwise */
    assert_string_equal(f->no_chars, "");
    flow_start(f, x->now);
    flow_keypad_page(f, 1, x->now);
    assert_false(f->letters); /* no letters page without letters */
    flow_char(f, 'P', x->now);
    assert_string_equal(f->number, "");
    flow_done(f, x->now);
    /* the open job reads them (and so does every check-in) */
    flow_init(f, &OPTS, 1, x->now);
    assert_int_equal(f->job.kind, FLOW_JOB_OPEN);
    run_job(x);
    assert_string_equal(f->no_chars, "./ABPS");
    flow_start(f, x->now);
    flow_keypad_page(f, 1, x->now);
    assert_true(f->letters);
    flow_char(f, 'Q', x->now); /* not in any number here */
    flow_char(f, '7', x->now); /* digits are the digit keys' */
    assert_string_equal(f->number, "");
    const char *want = "PAS.PB/001/2025";
    for (const char *p = want; *p; p++) {
        x->now += 300;
        if (*p >= '0' && *p <= '9')
            flow_digit(f, *p - '0', x->now);
        else
            flow_char(f, *p, x->now);
    }
    assert_string_equal(f->number, want);
    assert_true(flow_can_ok(f));
    flow_ok(f, x->now);
    assert_int_equal(f->screen, FLOW_VERIFY);
    assert_false(f->letters); /* the page is [identify]'s */
    type_digits(x, b);
    flow_ok(f, x->now);
    run_job(x);
    assert_int_equal(f->screen, FLOW_PURPOSE);
    flow_choose(f, BK_PURPOSE_COUNSELING, x->now);
    run_job(x);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_int_equal(count_tickets(x, want), 1);
    /* back to the digits page; a fresh number starts on the digits page */
    flow_done(f, x->now);
    flow_start(f, x->now);
    assert_false(f->letters);
}

/* issue 12 item 6: a slip that did not print keeps [ticket] for
 * ticket_keep_ms (2 minutes), not ticket_idle_ms. */
static void test_print_failed_keeps_ticket(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    enter_client(x, no, b, BK_PURPOSE_COUNSELING); /* no report questions first */
    run_job(x);
    assert_int_equal(f->screen, FLOW_TICKET);
    flow_set_print(f, FLOW_PRINT_PENDING);
    flow_set_print(f, FLOW_PRINT_FAILED);
    assert_int_equal(flow_idle_left(f, x->now), 120000);
    x->now += OPTS.ticket_idle_ms + 1000;
    flow_tick(f, x->now);
    assert_int_equal(f->screen, FLOW_TICKET); /* a printed one would be gone */
    assert_int_equal(flow_countdown(f, x->now), 0);
    x->now = f->last_input_ms + 120000 - 5000;
    flow_tick(f, x->now);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_int_equal(flow_countdown(f, x->now), 5);
    x->now += 5000;
    flow_tick(f, x->now);
    assert_int_equal(f->screen, FLOW_WELCOME);
    /* printed: the usual 15 s */
    enter_client(x, no, b, BK_PURPOSE_COUNSELING); /* no report questions first */
    run_job(x);
    flow_set_print(f, FLOW_PRINT_DONE);
    assert_int_equal(flow_idle_left(f, x->now), OPTS.ticket_idle_ms);
}

static void test_idle_reset(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    /* [welcome] has no timer */
    assert_int_equal(flow_idle_left(f, x->now), -1);
    assert_int_equal(flow_next_wakeup(f, x->now), -1);
    flow_start(f, x->now);
    type_digits(x, "2400");
    int64_t t0 = x->now;
    assert_int_equal(flow_idle_left(f, t0), 30000);
    assert_int_equal(flow_countdown(f, t0), 0);
    assert_int_equal(flow_next_wakeup(f, t0), 20000);
    assert_int_equal(flow_tick(f, t0 + 19999), 0);
    assert_int_equal(flow_countdown(f, t0 + 20000), 10);
    assert_int_equal(flow_countdown(f, t0 + 20001), 10);
    assert_int_equal(flow_countdown(f, t0 + 21000), 9);
    assert_int_equal(flow_next_wakeup(f, t0 + 20500), 500);
    assert_int_equal(flow_countdown(f, t0 + 29999), 1);
    /* a touch extends it */
    unsigned gen = f->gen;
    flow_touch(f, t0 + 25000);
    assert_true(f->gen != gen); /* the countdown disappears */
    assert_int_equal(flow_countdown(f, t0 + 25000), 0);
    assert_int_equal(flow_tick(f, t0 + 30000), 0);
    assert_int_equal(f->screen, FLOW_IDENTIFY);
    assert_int_equal(flow_tick(f, t0 + 55000), 1);
    assert_int_equal(f->screen, FLOW_WELCOME);
    assert_string_equal(f->number, "");
    /* [ticket] uses the shorter timer */
    x->now = t0 + 60000;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(7, b, no);
    enter_client(x, no, b, BK_PURPOSE_LITMAS);
    run_job(x);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_int_equal(flow_idle_left(f, x->now), 15000);
    assert_int_equal(flow_tick(f, x->now + 15000), 1);
    assert_int_equal(f->screen, FLOW_WELCOME);
    assert_false(f->has_ticket);
    assert_string_equal(f->ticket.t.code, "");
}

static void test_operator_exit(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    flow_corner_press(f, x->now);
    assert_int_equal(flow_next_wakeup(f, x->now), 3000);
    flow_corner_release(f, x->now + 1000);
    assert_int_equal(flow_tick(f, x->now + 4000), 0);
    assert_int_equal(f->screen, FLOW_WELCOME);
    x->now += 5000;
    flow_corner_press(f, x->now);
    assert_int_equal(flow_tick(f, x->now + 3000), 1);
    assert_int_equal(f->screen, FLOW_OPERATOR);
    x->now += 3000;
    type_digits(x, "1111");
    flow_ok(f, x->now);
    assert_false(f->quit);
    assert_int_equal(f->pin_wrong, 1);
    assert_string_equal(f->pin, "");
    type_digits(x, "2468");
    flow_ok(f, x->now);
    assert_true(f->quit);
}

static void test_operator_disabled_and_lockout(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    flow g;
    flow_opts o = OPTS;
    o.exit_pin = "";
    flow_init(&g, &o, 0, x->now);
    flow_corner_press(&g, x->now);
    assert_int_equal(flow_tick(&g, x->now + 10000), 0);
    assert_int_equal(g.screen, FLOW_WELCOME);
    /* three wrong PINs end the operator screen */
    flow_corner_press(f, x->now);
    flow_tick(f, x->now + 3000);
    for (int i = 0; i < 3; i++) {
        type_digits(x, "0000");
        flow_ok(f, x->now);
    }
    assert_int_equal(f->screen, FLOW_WELCOME);
    assert_false(f->quit);
}

static void test_missing_database(void **state)
{
    fx *x = *state;
    char path[300];
    snprintf(path, sizeof path, "%s/missing.db", x->dir);
    store_opts so = {.busy_timeout_ms = 500, .utc_offset_min = 420};
    flow g;
    queue_ctx q = x->q;
    q.st = NULL;
    flow_init(&g, &OPTS, 1, x->now);
    runner r;
    runner_init(&r, &q, path, &so);
    /* the background open is queued and does not hold the screen */
    assert_true(flow_job_pending(&g));
    assert_int_equal(g.job.kind, FLOW_JOB_OPEN);
    flow_start(&g, x->now);
    assert_int_equal(g.screen, FLOW_IDENTIFY);
    runner_job(&r, &g, x->now);
    assert_true(g.db_down);
    assert_int_equal(access(path, F_OK), -1); /* never created */
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    for (const char *p = no; *p; p++)
        flow_digit(&g, *p - '0', x->now);
    flow_ok(&g, x->now);
    flow_text(&g, b, x->now);
    flow_enter(&g, x->now);
    runner_job(&r, &g, x->now); /* the identity check */
    assert_int_equal(g.screen, FLOW_HELP);
    assert_int_equal(g.help, FLOW_HELP_OFFLINE); /* see reception */
    /* once the database is there, "retry" re-submits the identity check */
    assert_int_equal(symlink(x->db, path), 0);
    flow_retry(&g, x->now);
    assert_true(flow_job_pending(&g));
    assert_int_equal(g.job.kind, FLOW_JOB_IDENTIFY);
    runner_job(&r, &g, x->now);
    assert_int_equal(g.screen, FLOW_PURPOSE);
    flow_choose(&g, BK_PURPOSE_COUNSELING, x->now);
    runner_job(&r, &g, x->now);
    assert_int_equal(g.screen, FLOW_TICKET);
    assert_false(g.db_down);
    assert_int_equal(count_tickets(x, no), 1);
    runner_close(&r);
    assert_null(r.q.st);
}

/* ---- a database this user cannot write ---------------------------------- */

/* One check-in of demo client 0 on g, its job run on *st (opened first when
 * NULL, as the kiosk's worker does). Returns the result. */
static flow_result ro_checkin(fx *x, flow *g, queue_ctx *q, store **st)
{
    flow_result res;
    memset(&res, 0, sizeof res);
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    flow_start(g, x->now);
    for (const char *p = no; *p; p++)
        flow_digit(g, *p - '0', x->now);
    flow_ok(g, x->now);
    flow_text(g, b, x->now);
    flow_enter(g, x->now);
    for (int step = 0; step < 2; step++) { /* the identity check, then the check-in */
        if (step == 1) {
            if (g->screen != FLOW_PURPOSE) break;
            flow_choose(g, BK_PURPOSE_REPORT, x->now);
        }
        memset(&res, 0, sizeof res);
        flow_job j = g->job;
        if (!*st) {
            store_opts so = {.busy_timeout_ms = 500, .utc_offset_min = 420};
            char err[1024];
            res.err = store_open(x->db, &so, st, err, sizeof err);
            if (res.err) {
                *st = NULL;
                snprintf(res.why, sizeof res.why, "%.600s", err);
            }
        }
        if (!res.err) {
            q->st = *st;
            flow_job_run(&j, q, &res);
        }
        flow_job_finish(g, &res, x->now);
    }
    return res;
}

/* The child's half (plain checks: it exits 0 or prints why and exits 1). */
static int ro_child(fx *x, uid_t uid, gid_t gid)
{
#define RO_CHECK(c)                                                                                \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "ro_child: line %d: %s\n", __LINE__, #c);                              \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)
    if (geteuid() == 0) {
        RO_CHECK(setgroups(0, NULL) == 0 && setgid(gid) == 0 && setuid(uid) == 0);
        RO_CHECK(geteuid() != 0);
    }
    queue_ctx q = x->q;
    store *st = NULL;
    /* 1. the file is read-only (0444), its folder writable: it opens (SQLite
     * falls back to reading), the check-in fails to write */
    flow g;
    flow_init(&g, &OPTS, 0, x->now);
    flow_result r = ro_checkin(x, &g, &q, &st);
    fprintf(stderr, "# read-only file: %s: %s\n", bk_err_name(r.err), r.why);
    RO_CHECK(r.err == BK_ERR_READONLY);
    RO_CHECK(strstr(r.why, "cannot write") && strstr(r.why, "mode 0444") && strstr(r.why, "fix:"));
    RO_CHECK(g.screen == FLOW_HELP && g.help == FLOW_HELP_CANNOT_SAVE);
    /* the client is sent to reception: no retry of the same check-in */
    flow_retry(&g, x->now);
    RO_CHECK(!flow_job_pending(&g));
    store_close(st);
    st = NULL;
    /* 2. the folder is read-only too: the WAL cannot be created, the open
     * fails, and the check-in ends the same way */
    char wal[300], shm[300];
    snprintf(wal, sizeof wal, "%s-wal", x->db);
    snprintf(shm, sizeof shm, "%s-shm", x->db);
    unlink(wal);
    unlink(shm);
    RO_CHECK(chmod(x->dir, 0555) == 0);
    flow_init(&g, &OPTS, 0, x->now);
    r = ro_checkin(x, &g, &q, &st);
    fprintf(stderr, "# read-only folder: %s: %s\n", bk_err_name(r.err), r.why);
    RO_CHECK(r.err == BK_ERR_READONLY && !st);
    RO_CHECK(strstr(r.why, "cannot create files in") && strstr(r.why, "fix:"));
    RO_CHECK(g.screen == FLOW_HELP && g.help == FLOW_HELP_CANNOT_SAVE);
    return 0;
#undef RO_CHECK
}

/* A database the kiosk's user cannot write ends a check-in on [help] with
 * FLOW_HELP_CANNOT_SAVE (go to reception), not "busy". Root ignores file
 * modes, so as root the check runs in a child that has become nobody. */
static void test_readonly_database(void **state)
{
    fx *x = *state;
    store_close(x->st); /* the WAL is written back and removed */
    x->st = NULL;
    uid_t uid = getuid();
    gid_t gid = getgid();
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam("nobody");
        if (!pw) skip();
        uid = pw->pw_uid;
        gid = pw->pw_gid;
        assert_int_equal(chown(x->dir, uid, gid), 0);
    }
    assert_int_equal(chmod(x->dir, 0755), 0);
    assert_int_equal(chmod(x->db, 0444), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) _exit(ro_child(x, uid, gid));
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(chmod(x->dir, 0700), 0);
    assert_int_equal(chmod(x->db, 0644), 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* nothing was written: reopen as ourselves and look */
    store_opts so = {.busy_timeout_ms = 2000, .utc_offset_min = 420, .sync_normal = 1};
    char err[256];
    assert_int_equal(store_open(x->db, &so, &x->st, err, sizeof err), BK_OK);
    x->q.st = x->st;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    assert_int_equal(count_tickets(x, no), 0);
}

static void test_deferred_behind_open(void **state)
{
    fx *x = *state;
    store_opts so = {.busy_timeout_ms = 500, .utc_offset_min = 420};
    flow g;
    queue_ctx q = x->q;
    q.st = NULL;
    flow_init(&g, &OPTS, 1, x->now);
    runner r;
    runner_init(&r, &q, x->db, &so);
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(8, b, no);
    flow_start(&g, x->now);
    flow_text(&g, no, x->now);
    flow_enter(&g, x->now);
    flow_text(&g, b, x->now);
    flow_enter(&g, x->now); /* the open is still running */
    assert_int_equal(g.job.kind, FLOW_JOB_OPEN);
    assert_int_equal(g.deferred, FLOW_JOB_IDENTIFY);
    runner_job(&r, &g, x->now);
    assert_false(g.db_down);
    assert_true(flow_job_pending(&g));
    assert_int_equal(g.job.kind, FLOW_JOB_IDENTIFY);
    runner_job(&r, &g, x->now);
    assert_int_equal(g.screen, FLOW_PURPOSE);
    flow_choose(&g, BK_PURPOSE_GROUP, x->now);
    assert_int_equal(g.job.kind, FLOW_JOB_CHECKIN);
    runner_job(&r, &g, x->now);
    assert_int_equal(g.screen, FLOW_TICKET);
    assert_string_equal(g.ticket.t.code, "A-001");
    runner_close(&r);
}

/* The database is unreachable: the kiosk reopens it on [welcome] with
 * growing, jittered delays (never in a tight loop), a client queued behind
 * a failing open goes to [help] at once (one attempt, not two), and the
 * first success ends it all. */
static void test_reopen_backoff(void **state)
{
    fx *x = *state;
    char path[300];
    snprintf(path, sizeof path, "%s/away.db", x->dir);
    store_opts so = {.busy_timeout_ms = 500, .utc_offset_min = 420};
    flow g;
    queue_ctx q = x->q;
    q.st = NULL;
    flow_opts o = OPTS;
    o.retry_open_ms = 8000;
    o.seed = 7;
    int64_t t = x->now;
    flow_init(&g, &o, 1, t);
    runner r;
    runner_init(&r, &q, path, &so);
    runner_job(&r, &g, t);
    assert_true(g.db_down);
    /* the reopen delays: [d/2, d] for d = 500, 1000, 2000, 4000, 8000, 8000 */
    const int64_t hi[] = {500, 1000, 2000, 4000, 8000, 8000, 8000};
    int64_t prev_total = 0;
    for (int n = 0; n < 7; n++) {
        int64_t w = flow_next_wakeup(&g, t);
        assert_true(w >= hi[n] / 2 && w <= hi[n]);
        assert_false(flow_job_pending(&g));
        flow_tick(&g, t + w - 1); /* not yet */
        assert_false(flow_job_pending(&g));
        t += w;
        flow_tick(&g, t);
        assert_true(flow_job_pending(&g));
        assert_int_equal(g.job.kind, FLOW_JOB_OPEN);
        runner_job(&r, &g, t);
        assert_true(g.db_down);
        prev_total += w;
    }
    assert_true(prev_total >= 250 + 500 + 1000 + 2000 + 4000 + 4000 + 4000);

    /* a client checks in while a reopen runs: it fails, and the check-in
     * queued behind it ends on [help] without a second attempt */
    t += flow_next_wakeup(&g, t);
    flow_tick(&g, t);
    assert_int_equal(g.job.kind, FLOW_JOB_OPEN);
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    flow_start(&g, t);
    flow_text(&g, no, t);
    flow_enter(&g, t);
    flow_text(&g, b, t);
    flow_enter(&g, t);
    assert_int_equal(g.deferred, FLOW_JOB_IDENTIFY);
    runner_job(&r, &g, t);
    assert_false(flow_job_pending(&g));
    assert_int_equal(g.screen, FLOW_HELP);
    assert_int_equal(g.help, FLOW_HELP_OFFLINE);
    /* no reopen while a client is on [help]; back on [welcome] it goes on */
    assert_int_equal(flow_tick(&g, t + 60000), 1); /* idle reset to [welcome] */
    flow_done(&g, t + 60000);
    t += 60000;
    /* the database is back: the next reopen succeeds and resets the delays */
    assert_int_equal(symlink(x->db, path), 0);
    flow_tick(&g, t);
    assert_true(flow_job_pending(&g));
    runner_job(&r, &g, t);
    assert_false(g.db_down);
    assert_int_equal(flow_next_wakeup(&g, t), -1);
    /* the next client checks in normally */
    flow_start(&g, t);
    flow_text(&g, no, t);
    flow_enter(&g, t);
    flow_text(&g, b, t);
    flow_enter(&g, t);
    runner_job(&r, &g, t);
    flow_choose(&g, BK_PURPOSE_COUNSELING, t);
    runner_job(&r, &g, t);
    assert_int_equal(g.screen, FLOW_TICKET);
    assert_int_equal(count_tickets(x, no), 1);
    /* lost again later: the delays start small again */
    assert_int_equal(unlink(path), 0);
    flow_done(&g, t);
    runner_close(&r); /* the store is reopened per job from now on */
    flow_start(&g, t);
    flow_text(&g, no, t);
    flow_enter(&g, t);
    flow_text(&g, b, t);
    flow_enter(&g, t);
    runner_job(&r, &g, t); /* the identity check cannot reach it */
    assert_int_equal(g.help, FLOW_HELP_OFFLINE);
    flow_done(&g, t);
    int64_t w = flow_next_wakeup(&g, t);
    assert_true(w >= 250 && w <= 500);
    runner_close(&r);
}

/* ---- the wajib lapor questions (issue 12 item 9) ---------------------- */

static void test_report_questions(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    enter_client(x, no, b, BK_PURPOSE_REPORT);
    run_job(x);
    /* the ticket exists, the questions come first */
    assert_int_equal(f->screen, FLOW_QUESTION);
    assert_true(f->has_ticket);
    assert_int_equal(count_tickets(x, no), 1);
    assert_int_equal(f->n_questions, 4);
    assert_int_equal(f->question, 0);
    assert_string_equal(f->questions[0].text_id, "Apakah alamat Anda berubah?");
    assert_string_equal(f->questions[3].text_en, "Do you need help (health, work, family)?");
    assert_int_equal(f->answers_state, FLOW_ANSWERS_ASKING);
    /* nothing before the first question: the ticket is made */
    assert_false(flow_can_back(f));
    flow_back(f, x->now);
    assert_int_equal(f->screen, FLOW_QUESTION);
    assert_int_equal(f->question, 0);
    /* Ya, then back: the first again, its answer kept until changed */
    flow_answer(f, 1, x->now);
    assert_int_equal(f->question, 1);
    assert_true(flow_can_back(f));
    flow_back(f, x->now);
    assert_int_equal(f->question, 0);
    assert_int_equal(f->answer_yes[0], 1);
    /* keys and digits do nothing here */
    flow_digit(f, 5, x->now);
    flow_enter(f, x->now);
    flow_choose(f, BK_PURPOSE_OTHER, x->now);
    assert_int_equal(f->screen, FLOW_QUESTION);
    assert_false(flow_job_pending(f));
    /* Tidak, Ya, Tidak, Ya */
    flow_answer(f, 0, x->now);
    flow_answer(f, 1, x->now);
    flow_answer(f, 0, x->now);
    assert_false(flow_job_pending(f));
    flow_answer(f, 1, x->now);
    assert_true(flow_job_pending(f));
    assert_int_equal(f->job.kind, FLOW_JOB_ANSWERS);
    assert_int_equal(f->job.ticket_id, f->ticket.t.id);
    assert_int_equal(f->job.n_answers, 4);
    /* the client's identity is not in the job */
    assert_string_equal(f->job.client_no, "");
    assert_string_equal(f->job.birth, "");
    /* while it runs, answers are ignored */
    flow_answer(f, 1, x->now);
    int64_t id = f->ticket.t.id;
    run_job(x);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_int_equal(f->answers_state, FLOW_ANSWERS_SAVED);
    int a[8];
    assert_int_equal(db_answers(x, id, a), 4);
    assert_int_equal(a[0], 0);
    assert_int_equal(a[1], 1);
    assert_int_equal(a[2], 0);
    assert_int_equal(a[3], 1);
    /* the same client again today: the answered ticket, no questions */
    flow_done(f, x->now);
    enter_client(x, no, b, BK_PURPOSE_REPORT);
    run_job(x);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_true(f->ticket.existing);
    assert_int_equal(f->ticket.t.id, id);
}

static void test_questions_skipped(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    /* every purpose but report goes to [ticket] at once */
    for (int p = 0; p < BK_PURPOSE__COUNT; p++) {
        if (p == BK_PURPOSE_REPORT) continue;
        enter_client(x, no, b, (bk_purpose)p);
        run_job(x);
        assert_int_equal(f->screen, FLOW_TICKET);
        assert_int_equal(f->answers_state, FLOW_ANSWERS_NONE);
        assert_int_equal(f->n_questions, 0);
        flow_done(f, x->now);
    }
    /* a reception ticket asks nothing either */
    enter_wrong(x, "999999", b);
    flow_reception(f, x->now);
    run_job(x);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_true(f->walkin);
    assert_int_equal(f->n_questions, 0);
    flow_done(f, x->now);
    /* an office with no active question asks nothing */
    for (int id = 1; id <= 4; id++) {
        store_question q;
        assert_int_equal(store_question_get(x->st, id, &q), BK_OK);
        q.active = 0;
        assert_int_equal(store_begin(x->st, STORE_TX_WRITE), BK_OK);
        assert_int_equal(store_question_put(x->st, &q), BK_OK);
        assert_int_equal(store_commit(x->st), BK_OK);
    }
    enter_client(x, no, b, BK_PURPOSE_REPORT);
    run_job(x);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_int_equal(f->n_questions, 0);
}

static void test_questions_walk_away(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    enter_client(x, no, b, BK_PURPOSE_REPORT);
    run_job(x);
    assert_int_equal(f->screen, FLOW_QUESTION);
    flow_answer(f, 1, x->now);
    int64_t id = f->ticket.t.id;
    /* the idle reset still works on [question]: the countdown, then [welcome] */
    x->now += OPTS.idle_ms - OPTS.countdown_ms + 1;
    flow_tick(f, x->now);
    assert_true(flow_countdown(f, x->now) > 0);
    assert_int_equal(f->screen, FLOW_QUESTION);
    x->now += OPTS.countdown_ms;
    assert_int_equal(flow_tick(f, x->now), 1);
    assert_int_equal(f->screen, FLOW_WELCOME);
    assert_false(f->has_ticket);
    assert_int_equal(f->n_questions, 0);
    assert_int_equal(f->answer_yes[0], -1); /* nothing of it is kept */
    assert_false(flow_job_pending(f));
    /* the ticket stands, unanswered */
    int a[8];
    assert_int_equal(db_answers(x, id, a), 0);
    assert_int_equal(count_tickets(x, no), 1);
    /* back later: the same ticket, asked again */
    enter_client(x, no, b, BK_PURPOSE_REPORT);
    run_job(x);
    assert_int_equal(f->screen, FLOW_QUESTION);
    assert_int_equal(f->ticket.t.id, id);
    answer_all(x, 0x1);
    assert_int_equal(f->answers_state, FLOW_ANSWERS_SAVED);
    assert_int_equal(db_answers(x, id, a), 4);
    assert_int_equal(a[0], 1);
}

static void test_answers_job_fails(void **state)
{
    fx *x = *state;
    flow *f = &x->f;
    char no[STORE_ID_SZ], b[9];
    birth_ddmmyyyy(0, b, no);
    enter_client(x, no, b, BK_PURPOSE_REPORT);
    run_job(x);
    for (int i = 0; i < 4; i++)
        flow_answer(f, 0, x->now);
    assert_int_equal(f->job.kind, FLOW_JOB_ANSWERS);
    /* the database went away meanwhile: the ticket is shown, with the note */
    flow_result r;
    memset(&r, 0, sizeof r);
    r.err = BK_ERR_IO;
    flow_job_finish(f, &r, x->now);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_true(f->has_ticket);
    assert_int_equal(f->answers_state, FLOW_ANSWERS_FAILED);
    assert_true(f->db_down);
    /* a refusal by the rules ends the same way */
    flow_done(f, x->now);
    enter_client(x, no, b, BK_PURPOSE_REPORT);
    run_job(x);
    assert_int_equal(f->screen, FLOW_QUESTION);
    for (int i = 0; i < 4; i++)
        flow_answer(f, 0, x->now);
    f->job.ticket_id = 987654; /* no such ticket: BK_ERR_STATE from answers_put */
    run_job(x);
    assert_int_equal(f->screen, FLOW_TICKET);
    assert_int_equal(f->answers_state, FLOW_ANSWERS_FAILED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screen_ids),
        cmocka_unit_test_setup_teardown(test_happy_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_letter_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_failed_keeps_ticket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_substitute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_questions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_questions_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_questions_walk_away, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answers_job_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mismatch_identical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ended, setup, teardown),
        cmocka_unit_test_setup_teardown(test_implausible_birth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates_and_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scanner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_operator_exit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_operator_disabled_and_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deferred_behind_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_backoff, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
