/* test_report.c — report arithmetic on a fixed history.
 *
 * The history is made with the real queue actions at fixed instants (WIB)
 * over two office days, then every figure of every report is checked
 * against numbers worked out by hand below, through the API and through
 * `bapasctl report` (--json, --csv, text, --html).
 *
 * Officers PK1, PK2, PK3. Clients C1, C4, C7, C9, C11 (inactive) of PK1;
 * C2, C5, C8, C10 of PK2; C3, C6, C12 of PK3.
 *
 * Monday 2026-12-07. PK3 is away on Mondays (weekly pattern), PK2 stands in.
 *   t1 08:00 C1 report      -> PK1; called 08:10, start 08:12, done 08:20 counseled
 *   t2 08:05 C4 counseling  -> PK1; called 08:20, start 08:21, done 08:51 admin
 *   t3 08:10 C3 report      -> PK2 (substitute); called 08:15, start 08:15, done 08:25 counseled
 *   t4 08:30 C2 report      -> PK2; called 08:40, start 08:41, done 08:46 referred
 *   t5 09:00 C1 counseling  -> PK1; transferred to PK2 09:05; called 09:20, start 09:20,
 *                              done 09:50 counseled
 *   t6 09:10 C4 drug-test   -> PK1; called 09:30, no-show 09:35
 *   t7 09:15 walk-in other  -> reception; called 09:16:01, start 09:16:01, done 09:26:01 admin
 *   t8 09:40 C2 litmas      -> PK2; cancelled 09:45 (never called)
 * Tuesday 2026-12-08. PK1 is absent today (day record), nobody named.
 *   t9  08:00 C1 report     -> reception; called 08:05, start 08:05, done 08:15 admin
 *   t10 08:10 C4 report     -> reception; transferred to PK2 08:12; called 08:30,
 *                              start 08:31, done 08:41 counseled
 *   t11 08:20 C3 counseling -> PK3; called 08:25, start 08:26, done 09:06 counseled
 *   t12 08:50 C5 report     -> PK2; called 09:00, start 09:00, done 09:04 admin
 *
 * Waits (s) / service (s): t1 600/480, t2 900/1800, t3 300/600, t4 600/300,
 * t5 1200/1800, t6 1200/-, t7 61/600, t8 -/-, t9 300/600, t10 1200/600,
 * t11 300/2400, t12 600/240.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <jansson.h>

#include "csvimport.h"
#include "report.h"
#include "roster.h"
#include "testdb.h"

#define MON "2026-12-07"
#define TUE "2026-12-08"

static testdb T;
static const char *bapasctl;
static int64_t tk[13]; /* ticket ids t1..t12 */

static void at(const char *day, int h, int m, int s)
{
    int64_t t0;
    assert_int_equal(otime_day_start(day, 420, &t0), BK_OK);
    T.q.fixed_now = t0 + h * 3600 + m * 60 + s;
}

static int64_t checkin(const char *no, const char *birth, const char *purpose, const char *officer,
                       const char *routed)
{
    queue_view v;
    bk_purpose p = BK_PURPOSE__COUNT;
    assert_int_equal(bk_purpose_parse(purpose, &p), BK_OK);
    bk_err e = no ? queue_checkin(&T.q, no, birth, p, &v) : queue_walkin(&T.q, p, NULL, &v);
    if (e)
        fail_msg("checkin %s %s: %s (%s)", no ? no : "walk-in", purpose, bk_err_name(e),
                 store_errmsg(T.st));
    assert_string_equal(v.t.officer, officer);
    assert_string_equal(bk_routing_name(v.t.routed), routed);
    return v.t.id;
}

static void call(const char *officer, int64_t want)
{
    queue_view v;
    assert_int_equal(queue_call_next(&T.q, officer, &v), BK_OK);
    assert_int_equal(v.t.id, want);
}

static void start(int64_t id)
{
    queue_view v;
    assert_int_equal(queue_start(&T.q, id, NULL, &v), BK_OK);
}

static void done(int64_t id, const char *outcome)
{
    queue_view v;
    bk_outcome o = BK_OUTCOME_NONE;
    assert_int_equal(bk_outcome_parse(outcome, &o), BK_OK);
    assert_int_equal(queue_done(&T.q, id, o, &v), BK_OK);
}

static void client(const char *no, const char *officer, int every, const char *last, int active)
{
    store_client c = {.active = active, .report_every_days = every};
    snprintf(c.no, sizeof c.no, "%s", no);
    snprintf(c.name, sizeof c.name, "Klien %s", no);
    snprintf(c.birth, sizeof c.birth, "1990-02-01");
    c.program = BK_PROGRAM_CB;
    snprintf(c.officer, sizeof c.officer, "%s", officer);
    snprintf(c.last_report, sizeof c.last_report, "%s", last);
    assert_int_equal(store_begin(T.st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(store_client_insert(T.st, &c), BK_OK);
    assert_int_equal(store_commit(T.st), BK_OK);
}

static int setup(void **state)
{
    (void)state;
    testdb_create(&T);
    client("C5", "PK2", 30, "", 1);
    client("C6", "PK3", 30, "2026-10-01", 1);
    client("C7", "PK1", 14, "2026-11-01", 1);
    client("C8", "PK2", 30, "", 1);
    client("C9", "PK1", 30, "2026-11-08", 1);
    client("C10", "PK2", 30, "2026-11-07", 1);
    client("C11", "PK1", 30, "2026-01-01", 0);
    /* C12 arrives by import on 2026-10-15 and never reports. */
    char csv[400];
    snprintf(csv, sizeof csv, "%s/c12.csv", T.dir);
    FILE *f = fopen(csv, "w");
    fputs("no_register;nama;tgl_lahir;pk\nC12;Klien C12;01/02/1990;PK3\n", f);
    fclose(f);
    int64_t oct15;
    otime_day_start("2026-10-15", 420, &oct15);
    csvimport_opts o = {
        .kind = CSVIMPORT_CLIENTS, .actor = "test", .now = oct15 + 9 * 3600, .utc_offset_min = 420};
    csvimport_result r;
    if (csvimport_run(T.st, csv, &o, &r)) return -1;
    csvimport_result_free(&r);

    /* Monday */
    assert_int_equal(roster_weekly_set(&T.q, "PK3", 1, BK_PRESENCE_ABSENT, "PK2"), BK_OK);
    at(MON, 8, 0, 0);
    tk[1] = checkin("C1", "1990-01-01", "report", "PK1", "assigned");
    at(MON, 8, 5, 0);
    tk[2] = checkin("C4", "1990-01-04", "counseling", "PK1", "assigned");
    at(MON, 8, 10, 0);
    tk[3] = checkin("C3", "1990-01-03", "report", "PK2", "substitute");
    call("PK1", tk[1]);
    at(MON, 8, 12, 0);
    start(tk[1]);
    at(MON, 8, 15, 0);
    call("PK2", tk[3]);
    start(tk[3]);
    at(MON, 8, 20, 0);
    done(tk[1], "counseled");
    call("PK1", tk[2]);
    at(MON, 8, 21, 0);
    start(tk[2]);
    at(MON, 8, 25, 0);
    done(tk[3], "counseled");
    at(MON, 8, 30, 0);
    tk[4] = checkin("C2", "1990-01-02", "report", "PK2", "assigned");
    at(MON, 8, 40, 0);
    call("PK2", tk[4]);
    at(MON, 8, 41, 0);
    start(tk[4]);
    at(MON, 8, 46, 0);
    done(tk[4], "referred");
    at(MON, 8, 51, 0);
    done(tk[2], "admin");
    at(MON, 9, 0, 0);
    tk[5] = checkin("C1", "1990-01-01", "counseling", "PK1", "assigned");
    at(MON, 9, 5, 0);
    queue_view v;
    assert_int_equal(queue_transfer(&T.q, tk[5], "PK2", "PK1 in a meeting", &v), BK_OK);
    at(MON, 9, 10, 0);
    tk[6] = checkin("C4", "1990-01-04", "drug-test", "PK1", "assigned");
    at(MON, 9, 15, 0);
    tk[7] = checkin(NULL, NULL, "other", "", "reception");
    at(MON, 9, 16, 1);
    call("reception", tk[7]);
    start(tk[7]);
    at(MON, 9, 20, 0);
    call("PK2", tk[5]);
    start(tk[5]);
    at(MON, 9, 26, 1);
    done(tk[7], "admin");
    at(MON, 9, 30, 0);
    call("PK1", tk[6]);
    at(MON, 9, 35, 0);
    assert_int_equal(queue_no_show(&T.q, tk[6], &v), BK_OK);
    at(MON, 9, 40, 0);
    tk[8] = checkin("C2", "1990-01-02", "litmas", "PK2", "assigned");
    at(MON, 9, 45, 0);
    assert_int_equal(queue_cancel(&T.q, tk[8], &v), BK_OK);
    at(MON, 9, 50, 0);
    done(tk[5], "counseled");

    /* Tuesday */
    assert_int_equal(queue_presence_set(&T.q, TUE, "PK1", BK_PRESENCE_ABSENT, NULL), BK_OK);
    at(TUE, 8, 0, 0);
    tk[9] = checkin("C1", "1990-01-01", "report", "", "reception");
    at(TUE, 8, 5, 0);
    call("reception", tk[9]);
    start(tk[9]);
    at(TUE, 8, 10, 0);
    tk[10] = checkin("C4", "1990-01-04", "report", "", "reception");
    at(TUE, 8, 12, 0);
    assert_int_equal(queue_transfer(&T.q, tk[10], "PK2", "", &v), BK_OK);
    at(TUE, 8, 15, 0);
    done(tk[9], "admin");
    at(TUE, 8, 20, 0);
    tk[11] = checkin("C3", "1990-01-03", "counseling", "PK3", "assigned");
    at(TUE, 8, 25, 0);
    call("PK3", tk[11]);
    at(TUE, 8, 26, 0);
    start(tk[11]);
    at(TUE, 8, 30, 0);
    call("PK2", tk[10]);
    at(TUE, 8, 31, 0);
    start(tk[10]);
    at(TUE, 8, 41, 0);
    done(tk[10], "counseled");
    at(TUE, 8, 50, 0);
    tk[12] = checkin("C5", "1990-02-01", "report", "PK2", "assigned");
    at(TUE, 9, 0, 0);
    call("PK2", tk[12]);
    start(tk[12]);
    at(TUE, 9, 4, 0);
    done(tk[12], "admin");
    at(TUE, 9, 6, 0);
    done(tk[11], "counseled");
    at(TUE, 10, 0, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testdb_destroy(&T);
    return 0;
}

static report *build(report_kind kind, const char *from, const char *to, const char *officer)
{
    report_params p = {.kind = kind, .utc_offset_min = 420, .generated_at = T.q.fixed_now};
    snprintf(p.from, sizeof p.from, "%s", from);
    snprintf(p.to, sizeof p.to, "%s", to);
    snprintf(p.officer, sizeof p.officer, "%s", officer ? officer : "");
    report *r = NULL;
    bk_err e = report_build(T.st, &p, &r);
    if (e)
        fail_msg("report %s: %s (%s)", report_kind_name(kind), bk_err_name(e), store_errmsg(T.st));
    return r;
}

/* One row as "col=value col=value ..." with the human text of each cell. */
static const char *row_text(const report *r, size_t row)
{
    static char out[1024];
    out[0] = 0;
    char buf[256];
    for (int j = 0; j < r->ncols; j++) {
        report_cell_text(r, row, j, buf, sizeof buf);
        size_t n = strlen(out);
        snprintf(out + n, sizeof out - n, "%s%s=%s", j ? " " : "", r->cols[j].id, buf);
    }
    return out;
}

static void expect_rows(const report *r, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n && i < r->nrows; i++)
        if (strcmp(row_text(r, i), want[i]) != 0)
            fail_msg("row %zu\n  is   %s\n  want %s", i, row_text(r, i), want[i]);
    if (r->nrows != n) fail_msg("%zu rows, want %zu", r->nrows, n);
}

static void test_continuity(void **state)
{
    (void)state;
    report *r = build(REPORT_CONTINUITY, MON, TUE, NULL);
    /* PK1: t1, t2 own; t5 transfer; t9, t10 reception (routed there) -> 2/5.
     * PK2: t4, t12 own -> 2/2. PK3: t11 own, t3 substitute -> 1/2.
     * All: 5 own of 9 = 55.56 %. t6 no-show, t7 walk-in, t8 cancelled: none. */
    const char *const want[] = {
        "officer=PK1 name=Officer One visits=5 own=2 own_share=40.0% not_own=3 substitute=0 "
        "transfer=1 reception=2 other=0",
        "officer=PK2 name=Officer Two visits=2 own=2 own_share=100.0% not_own=0 substitute=0 "
        "transfer=0 reception=0 other=0",
        "officer=PK3 name=Officer Three visits=2 own=1 own_share=50.0% not_own=1 substitute=1 "
        "transfer=0 reception=0 other=0",
        "officer=all name=- visits=9 own=5 own_share=55.6% not_own=4 substitute=1 transfer=1 "
        "reception=2 other=0",
    };
    expect_rows(r, want, 4);
    assert_int_equal(r->total_rows, 1);
    const report_cell *c = report_cell_at(r, 3, "own_share");
    assert_int_equal(c->num, 5);
    assert_int_equal(c->den, 9);
    report_free(r);
    /* One PK; one day. */
    r = build(REPORT_CONTINUITY, MON, MON, "PK1");
    const char *const want1[] = {
        "officer=PK1 name=Officer One visits=3 own=2 own_share=66.7% not_own=1 substitute=0 "
        "transfer=1 reception=0 other=0",
        "officer=all name=- visits=3 own=2 own_share=66.7% not_own=1 substitute=0 transfer=1 "
        "reception=0 other=0",
    };
    expect_rows(r, want1, 2);
    report_free(r);
    /* A day without visits: only the total row, no share. */
    r = build(REPORT_CONTINUITY, "2026-12-09", "2026-12-09", NULL);
    const char *const want0[] = {"officer=all name=- visits=0 own=0 own_share=- not_own=0 "
                                 "substitute=0 transfer=0 reception=0 other=0"};
    expect_rows(r, want0, 1);
    report_free(r);
}

static void test_outcomes(void **state)
{
    (void)state;
    report *r = build(REPORT_OUTCOMES, MON, TUE, NULL);
    /* PK1 served t1 counseled, t2 admin; t6 no-show in its queue.
     * PK2 served t3, t5, t10 counseled, t4 referred, t12 admin.
     * PK3 served t11 counseled. Reception served t7, t9 admin. */
    const char *const want[] = {
        "officer=PK1 name=Officer One counseled=1 admin=1 referred=0 no_outcome=0 done=2 "
        "no_show=1 counseled_share=50.0%",
        "officer=PK2 name=Officer Two counseled=3 admin=1 referred=1 no_outcome=0 done=5 "
        "no_show=0 counseled_share=60.0%",
        "officer=PK3 name=Officer Three counseled=1 admin=0 referred=0 no_outcome=0 done=1 "
        "no_show=0 counseled_share=100.0%",
        "officer=reception name=- counseled=0 admin=2 referred=0 no_outcome=0 done=2 no_show=0 "
        "counseled_share=0.0%",
        "officer=all name=- counseled=5 admin=4 referred=1 no_outcome=0 done=10 no_show=1 "
        "counseled_share=50.0%",
    };
    expect_rows(r, want, 5);
    report_free(r);
    r = build(REPORT_OUTCOMES, TUE, TUE, "PK2");
    const char *const want2[] = {
        "officer=PK2 name=Officer Two counseled=1 admin=1 referred=0 no_outcome=0 done=2 "
        "no_show=0 counseled_share=50.0%",
        "officer=all name=- counseled=1 admin=1 referred=0 no_outcome=0 done=2 no_show=0 "
        "counseled_share=50.0%",
    };
    expect_rows(r, want2, 2);
    report_free(r);
}

static void test_waits(void **state)
{
    (void)state;
    report *r = build(REPORT_WAITS, MON, TUE, NULL);
    /* report:     waits 600 300 600 300 1200 600 -> sorted 300 300 600 600 600 1200:
     *             median (600+600)/2 = 600, p90 = 6th of 6 = 1200;
     *             service 480 600 300 600 600 240 -> 240 300 480 600 600 600:
     *             median (480+600)/2 = 540 = 9:00, p90 = 600.
     * counseling: waits 900 1200 300 -> median 900, p90 = 3rd = 1200;
     *             service 1800 1800 2400 -> 1800, 2400.
     * drug-test:  wait 1200 (no-show: no service). other: 61 / 600.
     * litmas:     t8 was never called: no row.
     * PK1 (t1 t2 t6): waits 600 900 1200 -> 900, 1200; service 480 1800 ->
     *             median 1140 = 19:00, p90 = 2nd of 2 = 1800.
     * PK2 (t3 t4 t5 t10 t12): waits 300 600 600 1200 1200 -> 600, p90 = 5th = 1200;
     *             service 240 300 600 600 1800 -> 600, 1800.
     * PK3 (t11): 300 / 2400. reception (t7 t9): waits 61 300 -> median 180.5
     *             (3:01 rounded half up), p90 300; service 600 600.
     * all: 11 waits 61 300 300 300 600 600 600 900 1200 1200 1200 -> 6th = 600,
     *             p90 = 10th = 1200; 10 services 240 300 480 600 600 600 600 1800 1800
     *             2400 -> (600+600)/2 = 600, p90 = 9th = 1800. */
    const char *const want[] = {
        "group=purpose key=report name=- waits=6 wait_median_s=10:00 wait_p90_s=20:00 "
        "services=6 service_median_s=9:00 service_p90_s=10:00",
        "group=purpose key=counseling name=- waits=3 wait_median_s=15:00 wait_p90_s=20:00 "
        "services=3 service_median_s=30:00 service_p90_s=40:00",
        "group=purpose key=drug-test name=- waits=1 wait_median_s=20:00 wait_p90_s=20:00 "
        "services=0 service_median_s=- service_p90_s=-",
        "group=purpose key=other name=- waits=1 wait_median_s=1:01 wait_p90_s=1:01 services=1 "
        "service_median_s=10:00 service_p90_s=10:00",
        "group=officer key=PK1 name=Officer One waits=3 wait_median_s=15:00 wait_p90_s=20:00 "
        "services=2 service_median_s=19:00 service_p90_s=30:00",
        "group=officer key=PK2 name=Officer Two waits=5 wait_median_s=10:00 wait_p90_s=20:00 "
        "services=5 service_median_s=10:00 service_p90_s=30:00",
        "group=officer key=PK3 name=Officer Three waits=1 wait_median_s=5:00 wait_p90_s=5:00 "
        "services=1 service_median_s=40:00 service_p90_s=40:00",
        "group=officer key=reception name=- waits=2 wait_median_s=3:01 wait_p90_s=5:00 "
        "services=2 service_median_s=10:00 service_p90_s=10:00",
        "group=all key=all name=- waits=11 wait_median_s=10:00 wait_p90_s=20:00 services=10 "
        "service_median_s=10:00 service_p90_s=30:00",
    };
    expect_rows(r, want, 9);
    /* The exact values behind the text. */
    assert_true(report_cell_at(r, 7, "wait_median_s")->x == 180.5);
    assert_true(report_cell_at(r, 0, "service_median_s")->x == 540.0);
    assert_true(report_cell_at(r, 4, "service_median_s")->x == 1140.0);
    report_free(r);
}

static void test_median_p90(void **state)
{
    (void)state;
    double m;
    int64_t p;
    int64_t a[] = {5};
    assert_int_equal(report_median_p90(a, 1, &m, &p), BK_OK);
    assert_true(m == 5.0 && p == 5);
    int64_t b[] = {10, 1};
    assert_int_equal(report_median_p90(b, 2, &m, &p), BK_OK);
    assert_true(m == 5.5 && p == 10);
    int64_t c[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assert_int_equal(report_median_p90(c, 10, &m, &p), BK_OK);
    assert_true(m == 5.5 && p == 9); /* ceil(9.0) = 9th */
    int64_t d[] = {11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assert_int_equal(report_median_p90(d, 11, &m, &p), BK_OK);
    assert_true(m == 6.0 && p == 10); /* ceil(9.9) = 10th */
    assert_int_equal(report_median_p90(d, 0, &m, &p), BK_ERR_NOT_FOUND);
    char s[32];
    report_format_seconds(59.5, s, sizeof s);
    assert_string_equal(s, "1:00");
    report_format_seconds(3725, s, sizeof s);
    assert_string_equal(s, "1:02:05");
    report_format_share(2, 3, s, sizeof s);
    assert_string_equal(s, "66.7%");
    report_format_share(1, 8, s, sizeof s);
    assert_string_equal(s, "12.5%");
    report_format_share(1, 16, s, sizeof s);
    assert_string_equal(s, "6.3%"); /* 6.25 half up */
    report_format_share(0, 0, s, sizeof s);
    assert_string_equal(s, "-");
}

static void test_missed(void **state)
{
    (void)state;
    report *r = build(REPORT_MISSED, MON, TUE, NULL);
    /* As of Tuesday 2026-12-08:
     * C1 t9, C2 t4, C3 t3, C4 t10, C5 t12 reported: not overdue.
     * C6 last 2026-10-01, every 30: 68 days -> 38 overdue, due 2026-10-31.
     * C7 last 2026-11-01, every 14: 37 days -> 23 overdue, due 2026-11-15.
     * C8 never, not imported: no baseline -> first, "-".
     * C9 last 2026-11-08, every 30: exactly 30 days -> not overdue.
     * C10 last 2026-11-07, every 30: 31 days -> 1 overdue, due 2026-12-07.
     * C11 ended: never listed.
     * C12 imported 2026-10-15, never reported: 54 days -> 24 overdue, due 2026-11-14. */
    const char *const want[] = {
        "client_no=C8 name=Klien C8 program=CB officer=PK2 officer_name=Officer Two "
        "report_every_days=30 last_report=- since=- due=- days_overdue=-",
        "client_no=C6 name=Klien C6 program=CB officer=PK3 officer_name=Officer Three "
        "report_every_days=30 last_report=2026-10-01 since=- due=2026-10-31 days_overdue=38",
        "client_no=C12 name=Klien C12 program=OTHER officer=PK3 officer_name=Officer Three "
        "report_every_days=30 last_report=- since=2026-10-15 due=2026-11-14 days_overdue=24",
        "client_no=C7 name=Klien C7 program=CB officer=PK1 officer_name=Officer One "
        "report_every_days=14 last_report=2026-11-01 since=- due=2026-11-15 days_overdue=23",
        "client_no=C10 name=Klien C10 program=CB officer=PK2 officer_name=Officer Two "
        "report_every_days=30 last_report=2026-11-07 since=- due=2026-12-07 days_overdue=1",
    };
    expect_rows(r, want, 5);
    report_free(r);
    /* As of Monday: C4 and C5 had not reported yet (their visits are on
     * Tuesday; the stored last_report of Tuesday is after the day asked). */
    r = build(REPORT_MISSED, MON, MON, NULL);
    assert_int_equal(r->nrows, 6);
    const char *const order[] = {"C4", "C5", "C8", "C6", "C12", "C7"};
    const int64_t over[] = {-1, -1, -1, 37, 23, 22};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(report_cell_at(r, i, "client_no")->s, order[i]);
        const report_cell *c = report_cell_at(r, i, "days_overdue");
        if (over[i] < 0)
            assert_true(c->null);
        else
            assert_int_equal(c->i, over[i]);
    }
    report_free(r);
    r = build(REPORT_MISSED, TUE, TUE, "PK1");
    assert_int_equal(r->nrows, 1);
    assert_string_equal(report_cell_at(r, 0, "client_no")->s, "C7");
    report_free(r);
}

static void test_daily(void **state)
{
    (void)state;
    report *r = build(REPORT_DAILY, MON, MON, NULL);
    assert_int_equal(r->nrows, 8);
    const char *const times[] = {"08:00", "08:05", "08:10", "08:30",
                                 "09:00", "09:10", "09:15", "09:40"};
    for (size_t i = 0; i < 8; i++)
        assert_string_equal(report_cell_at(r, i, "time")->s, times[i]);
    store_ticket t5;
    assert_int_equal(store_ticket_get(T.st, tk[5], &t5), BK_OK);
    char want[512];
    snprintf(want, sizeof want,
             "day=2026-12-07 time=09:00 code=%s purpose=counseling officer=PK2 assigned=PK1 "
             "routed=assigned transferred_from=PK1 status=done wait_s=20:00 service_s=30:00 "
             "outcome=counseled reason=-",
             t5.code);
    assert_string_equal(row_text(r, 4), want);
    assert_string_equal(strstr(row_text(r, 5), "officer="),
                        "officer=PK1 assigned=PK1 routed=assigned transferred_from=- "
                        "status=no_show wait_s=20:00 service_s=- outcome=- reason=-");
    assert_string_equal(strstr(row_text(r, 6), "officer="),
                        "officer=reception assigned=- routed=reception transferred_from=- "
                        "status=done wait_s=1:01 service_s=10:00 outcome=admin reason=-");
    assert_string_equal(strstr(row_text(r, 7), "officer="),
                        "officer=PK2 assigned=PK2 routed=assigned transferred_from=- "
                        "status=cancelled wait_s=- service_s=- outcome=- reason=-");
    assert_true(report_cell_at(r, 6, "wait_s")->x == 61.0);
    report_free(r);
    /* PK2's part of Monday: t3 (substitute), t4, t5 (transferred in), t8. */
    r = build(REPORT_DAILY, MON, MON, "PK2");
    assert_int_equal(r->nrows, 4);
    assert_string_equal(report_cell_at(r, 0, "routed")->s, "substitute");
    assert_string_equal(report_cell_at(r, 2, "transferred_from")->s, "PK1");
    report_free(r);
    r = build(REPORT_DAILY, MON, TUE, NULL);
    assert_int_equal(r->nrows, 12);
    report_free(r);
}

/* ---- through bapasctl -------------------------------------------------- */

static int run(char *out, size_t outsz, const char *fmt, ...)
{
    char args[2048], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd,
             "env -u BAPAS_DB BAPAS_CONFIG=/dev/null BAPAS_NOW=2026-12-08T03:00:00Z '%s' --db "
             "'%s' %s 2>/dev/null",
             bapasctl, T.path, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, outsz - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli(void **state)
{
    (void)state;
    static char out[1 << 16];
    assert_int_equal(run(out, sizeof out, "report outcomes --from %s --to %s --csv", MON, TUE), 0);
    assert_string_equal(out, "officer,name,counseled,admin,referred,no_outcome,done,no_show,"
                             "counseled_share\r\n"
                             "PK1,Officer One,1,1,0,0,2,1,0.5000\r\n"
                             "PK2,Officer Two,3,1,1,0,5,0,0.6000\r\n"
                             "PK3,Officer Three,1,0,0,0,1,0,1.0000\r\n"
                             "reception,,0,2,0,0,2,0,0.0000\r\n"
                             "all,,5,4,1,0,10,1,0.5000\r\n");
    assert_int_equal(run(out, sizeof out, "report waits --from %s --to %s --csv", MON, TUE), 0);
    assert_string_equal(out, "group,key,name,waits,wait_median_s,wait_p90_s,services,"
                             "service_median_s,service_p90_s\r\n"
                             "purpose,report,,6,600,1200,6,540,600\r\n"
                             "purpose,counseling,,3,900,1200,3,1800,2400\r\n"
                             "purpose,drug-test,,1,1200,1200,0,,\r\n"
                             "purpose,other,,1,61,61,1,600,600\r\n"
                             "officer,PK1,Officer One,3,900,1200,2,1140,1800\r\n"
                             "officer,PK2,Officer Two,5,600,1200,5,600,1800\r\n"
                             "officer,PK3,Officer Three,1,300,300,1,2400,2400\r\n"
                             "officer,reception,,2,180.5,300,2,600,600\r\n"
                             "all,all,,11,600,1200,10,600,1800\r\n");

    /* --json: exactly one value with the exact parts of every share. */
    assert_int_equal(run(out, sizeof out, "report continuity --from %s --to %s --json", MON, TUE),
                     0);
    json_error_t err;
    json_t *j = json_loads(out, 0, &err);
    if (!j) fail_msg("not one JSON value: %s\n%s", err.text, out);
    assert_string_equal(json_string_value(json_object_get(j, "report")), "continuity");
    assert_int_equal(json_array_size(json_object_get(j, "rows")), 3);
    json_t *tot = json_object_get(j, "total");
    assert_int_equal(json_integer_value(json_object_get(tot, "visits")), 9);
    assert_int_equal(json_integer_value(json_object_get(tot, "own")), 5);
    assert_int_equal(json_integer_value(json_object_get(tot, "own_share_num")), 5);
    assert_int_equal(json_integer_value(json_object_get(tot, "own_share_den")), 9);
    assert_true(json_real_value(json_object_get(tot, "own_share")) == 0.5556);
    json_decref(j);

    /* Missed as of --to, defaulting --from; "today" is 2026-12-08 (BAPAS_NOW). */
    assert_int_equal(run(out, sizeof out, "report missed --json"), 0);
    j = json_loads(out, 0, &err);
    assert_non_null(j);
    json_t *rows = json_object_get(j, "rows");
    assert_int_equal(json_array_size(rows), 5);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "client_no")),
                        "C8");
    assert_true(json_is_null(json_object_get(json_array_get(rows, 0), "days_overdue")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 1), "days_overdue")),
                     38);
    assert_string_equal(json_string_value(json_object_get(j, "to")), TUE);
    json_decref(j);

    /* Text: daily defaults to today. */
    assert_int_equal(run(out, sizeof out, "report daily"), 0);
    assert_non_null(strstr(out, "Daily visits, 2026-12-08"));
    assert_non_null(strstr(out, "\n4 rows\n"));
    assert_int_equal(run(out, sizeof out, "report continuity --from %s --to %s", MON, TUE), 0);
    assert_non_null(strstr(out, "55.6%"));
    assert_non_null(strstr(out, "40.0%"));

    /* Usage and input errors. */
    assert_int_equal(run(out, sizeof out, "report nonsense"), 2);
    assert_int_equal(run(out, sizeof out, "report waits --csv --html x.html"), 2);
    assert_int_equal(run(out, sizeof out, "report waits --from %s --to %s", TUE, MON), 4);
    assert_int_equal(run(out, sizeof out, "report waits --from 2026-02-30"), 4);
    assert_int_equal(run(out, sizeof out, "--json report waits --officer 'bad id'"), 4);
    j = json_loads(out, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid");
    json_decref(j);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = 0;
    fclose(f);
    return b;
}

/* Every report as HTML: one self-contained file, no scripts, nothing fetched. */
static void test_html(void **state)
{
    (void)state;
    static const char *const kinds[] = {"daily", "missed", "continuity", "outcomes", "waits"};
    char out[4096], path[512];
    for (size_t k = 0; k < 5; k++) {
        for (int lang = 0; lang < 2; lang++) {
            snprintf(path, sizeof path, "%s/%s-%s.html", T.dir, kinds[k], lang ? "en" : "id");
            assert_int_equal(run(out, sizeof out,
                                 "report %s --from %s --to %s --html '%s' --lang %s", kinds[k], MON,
                                 TUE, path, lang ? "en" : "id"),
                             0);
            char *h = slurp(path);
            assert_non_null(h);
            assert_true(strncmp(h, "<!DOCTYPE html>", 15) == 0);
            assert_non_null(strstr(h, "<svg"));
            assert_non_null(strstr(h, "<table>"));
            assert_non_null(strstr(h, "</html>\n"));
            assert_null(strstr(h, "<script"));
            assert_null(strstr(h, "src="));
            assert_null(strstr(h, "href="));
            assert_null(strstr(h, "url("));
            assert_null(strstr(h, "@import"));
            /* The only URL is the SVG namespace name, which is never fetched. */
            for (const char *p = h; (p = strstr(p, "http")); p++)
                assert_true(strncmp(p, "http://www.w3.org/2000/svg\"", 27) == 0);
            if (k == 2) /* Indonesian writes a decimal comma */
                assert_non_null(strstr(h, lang ? ">55.6%<" : ">55,6%<"));
            if (k == 0 && lang == 0)
                assert_non_null(strstr(h, "Konseling perorangan")); /* purposes translated */
            free(h);
            const char *out_dir = getenv("BK_REPORT_HTML_OUT");
            if (out_dir && *out_dir) { /* keep a copy to look at */
                char cmd[1200];
                snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s' '%s'/", out_dir, path, out_dir);
                assert_int_equal(system(cmd), 0);
            }
        }
    }
}

int main(int argc, char **argv)
{
#ifndef BK_TEST_HOOKS
    puts("SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)");
    return 77;
#endif
    bapasctl = argc > 1 ? argv[1] : "bapasctl";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_median_p90), cmocka_unit_test(test_continuity),
        cmocka_unit_test(test_outcomes),   cmocka_unit_test(test_waits),
        cmocka_unit_test(test_missed),     cmocka_unit_test(test_daily),
        cmocka_unit_test(test_cli),        cmocka_unit_test(test_html),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
