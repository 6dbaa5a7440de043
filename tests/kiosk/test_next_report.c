/* test_next_report — issue #12 item 10 on the real binaries and the real
 * database file: the next report date skips the weekend and an imported
 * holiday, on `bapasctl checkin --json` (next_report), on the kiosk's
 * [ticket] screen (widget next-report, in the client's language) and on the
 * slip (`bapasctl slip --json`: next_report and the printed lines).
 *
 * The office day is Monday 2026-12-07 (harness.h). Every client used here
 * reports every 26 days with no earlier report: due Saturday 2027-01-02,
 * so Monday 2027-01-04; with 2027-01-04 imported as a holiday, Tuesday
 * 2027-01-05.
 *
 * usage: test_next_report PATH/TO/bapas-kiosk PATH/TO/bapasctl
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "demo.h"
#include "harness.h"
#include "queue.h"

static const char *ctl_bin;

static int setup(void **state)
{
    harness *h = calloc(1, sizeof *h);
    if (!h || h_setup(h, NULL)) return -1;
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    harness *h = *state;
    h_teardown(h);
    free(h);
    return 0;
}

/* Client i reports every 26 days and has never reported. */
static void schedule(harness *h, int i)
{
    char no[STORE_ID_SZ], b[9];
    h_client(i, no, b);
    store_client c;
    assert_int_equal(store_client_get(h->st, no, &c), BK_OK);
    c.report_every_days = 26;
    c.last_report[0] = 0;
    assert_int_equal(store_begin(h->st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(store_client_update(h->st, &c), BK_OK);
    assert_int_equal(store_commit(h->st), BK_OK);
}

/* Run bapasctl with args on the harness's database and config; its stdout
 * (malloc'ed) into *out; returns the exit code. */
static int ctl(harness *h, const char *args, char **out)
{
    return h_ctl(h, ctl_bin, args, 0, out);
}

static json_t *ctl_json(harness *h, const char *args)
{
    char *out = NULL;
    int rc = ctl(h, args, &out);
    if (rc != 0) fail_msg("bapasctl %s: exit %d\n%s", args, rc, out ? out : "");
    json_error_t err;
    json_t *j = json_loads(out ? out : "", 0, &err);
    if (!j) fail_msg("bapasctl %s: not JSON: %s\n%s", args, err.text, out ? out : "");
    free(out);
    return j;
}

static json_t *checkin(harness *h, int i)
{
    char no[STORE_ID_SZ], birth[STORE_DAY_SZ], args[200];
    demo_client(i, no, birth);
    snprintf(args, sizeof args, "--json checkin '%s' --birth %s --purpose report", no, birth);
    return ctl_json(h, args);
}

/* The kiosk checks client i in for a report (after `pre`, e.g. "tap lang\n");
 * returns the next-report label of the [ticket] screen. */
static void kiosk_checkin(harness *h, int i, const char *pre, const char *shot, char *label,
                          size_t n)
{
    char no[STORE_ID_SZ], b[9], s[2000];
    h_client(i, no, b);
    snprintf(
        s, sizeof s,
        "%stap start\nexpect identify\ntype %s\\n\ntype %s\\n\ntap purpose-report\n" H_QUESTIONS_NO
        "expect ticket\ndump\n%s%s%s",
        pre, no, b, shot ? "shot " : "", shot ? shot : "", shot ? "\n" : "");
    /* BK_NEXT_REPORT_SIZE=WxH: look at another size (the labels are the same) */
    assert_int_equal(h_run(h, s, getenv("BK_NEXT_REPORT_SIZE"), NULL, 60), 0);
    if (h_dump_label(h, 0, "next-report", label, n) != 0)
        fail_msg("[ticket] has no next-report widget:\n%s", h->out ? h->out : "");
}

static void test_weekend_and_holiday(void **state)
{
    harness *h = *state;
    for (int i = 0; i < 7; i++)
        schedule(h, i);

    /* no holiday yet: the Saturday moves to Monday (not back to Friday) */
    json_t *j = checkin(h, 0);
    assert_string_equal(json_string_value(json_object_get(j, "next_report")), "2027-01-04");
    assert_non_null(json_object_get(j, "code")); /* the old keys stay */
    assert_non_null(json_object_get(j, "id"));
    assert_non_null(json_object_get(j, "status"));
    json_decref(j);

    /* import Monday 2027-01-04 as a holiday (twice: the second changes nothing) */
    char csv[400];
    snprintf(csv, sizeof csv, "%s/libur.csv", h->dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("tanggal;jenis;nama\r\n04-01-2027;cuti bersama;Cuti bersama uji\r\n", f);
    fclose(f);
    char args[600];
    snprintf(args, sizeof args, "--json holidays import '%s'", csv);
    j = ctl_json(h, args);
    assert_int_equal(json_integer_value(json_object_get(j, "added")), 1);
    json_decref(j);
    j = ctl_json(h, args);
    assert_int_equal(json_integer_value(json_object_get(j, "added")), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "unchanged")), 1);
    json_decref(j);
    j = ctl_json(h, "--json holidays list");
    assert_int_equal(json_integer_value(json_object_get(j, "count")), 1);
    json_t *row = json_array_get(json_object_get(j, "holidays"), 0);
    assert_string_equal(json_string_value(json_object_get(row, "date")), "2027-01-04");
    assert_string_equal(json_string_value(json_object_get(row, "kind")), "cuti");
    json_decref(j);
    assert_int_equal(h_count_audit(h, "holidays_import"), 2);

    /* bapasctl checkin: the weekend and the holiday are skipped */
    j = checkin(h, 3);
    assert_string_equal(json_string_value(json_object_get(j, "next_report")), "2027-01-05");
    json_decref(j);

    /* the kiosk's [ticket] screen, in Indonesian and in English */
    char l[200], shot[400];
    snprintf(shot, sizeof shot, "%s/ticket-report.png", h->dir);
    kiosk_checkin(h, 1, "", getenv("BK_NEXT_REPORT_SHOT") ? getenv("BK_NEXT_REPORT_SHOT") : shot, l,
                  sizeof l);
    assert_string_equal(l, "Selasa, 5 Januari 2027");
    kiosk_checkin(h, 4, "tap lang\n", NULL, l, sizeof l);
    assert_string_equal(l, "Tuesday, 5 January 2027");

    /* the slip of the kiosk's ticket says the same date */
    char no[STORE_ID_SZ], b[9];
    h_client(1, no, b);
    store_ticket t;
    assert_int_equal(h_find_ticket(h, no, BK_PURPOSE_REPORT, &t), 0);
    snprintf(args, sizeof args, "--json slip %s --lang id --png '%s/slip.png'", t.code, h->dir);
    j = ctl_json(h, args);
    assert_string_equal(json_string_value(json_object_get(j, "next_report")), "2027-01-05");
    json_t *lines = json_object_get(j, "lines");
    int found = 0;
    for (size_t i = 0; i < json_array_size(lines); i++)
        if (strstr(json_string_value(json_array_get(lines, i)), "Selasa, 5 Januari 2027"))
            found = 1;
    if (!found) fail_msg("the slip does not print Selasa, 5 Januari 2027");
    json_decref(j);

    /* a counseling visit has no next report date, on the screen or in JSON */
    char birth[STORE_DAY_SZ];
    demo_client(5, no, birth);
    snprintf(args, sizeof args, "--json checkin '%s' --birth %s --purpose counseling", no, birth);
    j = ctl_json(h, args);
    assert_true(json_is_null(json_object_get(j, "next_report")));
    json_decref(j);
}

/* An office open Monday to Saturday ([office] working_days): the Saturday
 * due date stays. */
static void test_custom_working_days(void **state)
{
    harness *h = *state;
    FILE *f = fopen(h->config, "a");
    assert_non_null(f);
    fputs("[office]\nworking_days = sen,sel,rab,kam,jum,sab\n", f);
    fclose(f);
    schedule(h, 0);
    schedule(h, 1);
    json_t *j = checkin(h, 0);
    assert_string_equal(json_string_value(json_object_get(j, "next_report")), "2027-01-02");
    json_decref(j);
    char l[200];
    kiosk_checkin(h, 1, "", NULL, l, sizeof l);
    assert_string_equal(l, "Sabtu, 2 Januari 2027");
}

/* A bad holiday file: a clear message, exit 4, nothing imported. */
static void test_bad_file(void **state)
{
    harness *h = *state;
    char csv[400], args[1200];
    snprintf(csv, sizeof csv, "%s/bad.csv", h->dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("tanggal,jenis,nama\n2027-01-04,libur,Baik\n2027-02-30,libur,Tanggal salah\n", f);
    fclose(f);
    snprintf(args, sizeof args, "holidays import '%s' 2>'%s/err.txt'", csv, h->dir);
    char *out = NULL;
    assert_int_equal(ctl(h, args, &out), 4);
    free(out);
    char ep[400];
    snprintf(ep, sizeof ep, "%s/err.txt", h->dir);
    char *err = h_slurp(ep);
    assert_non_null(err);
    assert_non_null(strstr(err, "line 3: tanggal: is not a date"));
    assert_non_null(strstr(err, "nothing was imported"));
    free(err);
    json_t *j = ctl_json(h, "--json holidays list");
    assert_int_equal(json_integer_value(json_object_get(j, "count")), 0);
    json_decref(j);
}

int main(int argc, char **argv)
{
#ifndef BK_TEST_HOOKS
    puts("SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)");
    return 77;
#endif
    if (argc < 3) {
        fprintf(stderr, "usage: test_next_report PATH/TO/bapas-kiosk PATH/TO/bapasctl\n");
        return 2;
    }
    h_kiosk_bin = argv[1];
    ctl_bin = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_weekend_and_holiday, setup, teardown),
        cmocka_unit_test_setup_teardown(test_custom_working_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
