/* test_calendar.c — the next report date rule (core/calendar.c): weekends,
 * a holiday, a run of cuti bersama, the year end, custom working days, no
 * interval, bad input, and the working_days config key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "config.h"
#include "holidays.h"

static void next(const cal *k, const char *visit, const char *last, int every, const char *want)
{
    char out[11] = "x";
    assert_int_equal(cal_next_report(k, visit, last, every, out), BK_OK);
    assert_string_equal(out, want);
}

static void test_weekend(void **state)
{
    (void)state;
    cal k;
    cal_init(&k, 0); /* 0 = Monday to Friday */
    /* Thursday 2026-12-03 + 30 = Saturday 2027-01-02 -> Monday 2027-01-04 */
    next(&k, "2026-12-03", "", 30, "2027-01-04");
    /* + 31 = Sunday -> Monday */
    next(&k, "2026-12-03", "", 31, "2027-01-04");
    /* a working day stays: + 32 = Monday */
    next(&k, "2026-12-03", "", 32, "2027-01-04");
    /* never backward: Friday + 1 = Saturday -> Monday, not Friday */
    next(&k, "2027-01-08", "", 1, "2027-01-11");
    assert_int_equal(cal_is_working(&k, "2027-01-02"), 0);
    assert_int_equal(cal_is_working(&k, "2027-01-04"), 1);
    cal_free(&k);
}

static void test_holiday(void **state)
{
    (void)state;
    cal k;
    cal_init(&k, CAL_WORKDAYS_DEFAULT);
    /* a Monday holiday (made up for the test) */
    assert_int_equal(cal_add_holiday(&k, "2027-01-04"), BK_OK);
    assert_int_equal(cal_add_holiday(&k, "2027-01-04"), BK_OK); /* twice: once */
    assert_int_equal(k.n, 1);
    /* Saturday -> Sunday -> holiday Monday -> Tuesday */
    next(&k, "2026-12-03", "", 30, "2027-01-05");
    assert_int_equal(cal_is_working(&k, "2027-01-04"), 0);
    /* the later of the visit day and the last report is the base */
    next(&k, "2026-12-01", "2026-12-03", 30, "2027-01-05");
    next(&k, "2026-12-03", "2026-11-01", 30, "2027-01-05");
    cal_free(&k);
}

static void test_cuti_run(void **state)
{
    (void)state;
    cal k;
    cal_init(&k, CAL_WORKDAYS_DEFAULT);
    /* March 2026 as shipped: cuti bersama Nyepi Wed 18, Nyepi Thu 19, cuti
     * bersama Fri 20, Idul Fitri Sat 21 and Sun 22, cuti bersama Mon 23 and
     * Tue 24 */
    const char *days[] = {"2026-03-18", "2026-03-19", "2026-03-20", "2026-03-21",
                          "2026-03-22", "2026-03-23", "2026-03-24"};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++)
        assert_int_equal(cal_add_holiday(&k, days[i]), BK_OK);
    /* due Wednesday 18 March -> Wednesday 25 March */
    next(&k, "2026-02-16", "", 30, "2026-03-25");
    /* added out of order, still sorted */
    assert_int_equal(cal_add_holiday(&k, "2026-01-01"), BK_OK);
    for (size_t i = 1; i < k.n; i++)
        assert_true(k.days[i - 1] < k.days[i]);
    cal_free(&k);
}

static void test_year_end(void **state)
{
    (void)state;
    cal k;
    cal_init(&k, CAL_WORKDAYS_DEFAULT);
    /* Christmas, a cuti bersama after it, New Year's Day */
    assert_int_equal(cal_add_holiday(&k, "2026-12-25"), BK_OK);
    assert_int_equal(cal_add_holiday(&k, "2027-01-01"), BK_OK);
    /* due Friday 2026-12-25 -> Monday 2026-12-28 */
    next(&k, "2026-11-25", "", 30, "2026-12-28");
    /* due Thursday 2026-12-31 is a working day */
    next(&k, "2026-12-01", "", 30, "2026-12-31");
    /* due Friday 2027-01-01 -> Monday 2027-01-04, across the year */
    next(&k, "2026-12-02", "", 30, "2027-01-04");
    cal_free(&k);
}

static void test_custom_workdays(void **state)
{
    (void)state;
    unsigned m = 0;
    /* an office open Monday to Saturday */
    assert_int_equal(cal_parse_workdays("sen, sel,rab,kam,jum,SABTU", &m), BK_OK);
    assert_int_equal(m, 0x7eu);
    char buf[64];
    cal_format_workdays(m, buf, sizeof buf);
    assert_string_equal(buf, "mon,tue,wed,thu,fri,sat");
    cal k;
    cal_init(&k, m);
    next(&k, "2026-12-03", "", 30, "2027-01-02"); /* Saturday is open */
    next(&k, "2026-12-03", "", 31, "2027-01-04"); /* Sunday is not */
    cal_free(&k);
    /* an office open only Tuesday and Thursday */
    assert_int_equal(cal_parse_workdays("tue thu", &m), BK_OK);
    cal_init(&k, m);
    next(&k, "2026-12-03", "", 30, "2027-01-05"); /* Saturday -> Tuesday */
    next(&k, "2026-12-03", "", 34, "2027-01-07"); /* Wednesday -> Thursday */
    cal_free(&k);
    assert_int_equal(cal_parse_workdays("", &m), BK_ERR_INVALID);
    assert_int_equal(cal_parse_workdays("mon,funday", &m), BK_ERR_INVALID);
    assert_int_equal(cal_parse_workdays(",,", &m), BK_ERR_INVALID);
}

static void test_no_interval_and_bad_input(void **state)
{
    (void)state;
    cal k;
    cal_init(&k, CAL_WORKDAYS_DEFAULT);
    next(&k, "2026-12-03", "", 0, "");
    next(&k, "2026-12-03", "2026-11-01", -5, "");
    char out[11];
    assert_int_equal(cal_next_report(&k, "2026-13-01", "", 30, out), BK_ERR_INVALID);
    assert_int_equal(cal_add_holiday(&k, "2027-02-30"), BK_ERR_INVALID);
    assert_int_equal(cal_add_holiday(&k, "2027-1-05"), BK_ERR_INVALID);
    assert_int_equal(cal_add_holiday(&k, "besok"), BK_ERR_INVALID);
    assert_int_equal(cal_is_working(&k, "nope"), -1);
    /* a NULL calendar is the default one */
    assert_int_equal(cal_next_report(NULL, "2026-12-03", NULL, 30, out), BK_OK);
    assert_string_equal(out, "2027-01-04");
    cal_free(&k);
}

static void test_config_key(void **state)
{
    (void)state;
    cfg c;
    cfg_defaults(&c);
    assert_int_equal(c.working_days, CAL_WORKDAYS_DEFAULT);
    cfg_set(&c, "office", "working_days", "mon,tue,wed,thu,fri,sat", 3);
    assert_int_equal(c.working_days, 0x7eu);
    assert_int_equal(c.n_issues, 0);
    cfg_set(&c, "office", "working_days", "libur", 4);
    assert_int_equal(c.working_days, CAL_WORKDAYS_DEFAULT);
    assert_int_equal(c.n_issues, 1);
    assert_int_equal(c.issues[0].line, 4);
    assert_false(c.issues[0].fatal);
}

/* The holiday file checks (hol_import_buf without a store: validate only). */
static bk_err check_file(const char *text, hol_result *r)
{
    return hol_import_buf(NULL, text, strlen(text), 0, "test", 0, r);
}

static int has_problem(const hol_result *r, int line, const char *column, const char *msg)
{
    for (size_t i = 0; i < r->problems.n; i++)
        if (r->problems.v[i].line == line && strcmp(r->problems.v[i].column, column) == 0 &&
            strstr(r->problems.v[i].msg, msg))
            return 1;
    return 0;
}

static void test_holiday_file(void **state)
{
    (void)state;
    hol_result r;
    /* a BOM, semicolons, quotes, Excel's blank rows, Indonesian dates, extra columns */
    assert_int_equal(check_file("\xEF\xBB\xBFNo;Tanggal;Hari;Jenis;Nama\r\n"
                                "1;01-01-2027;Jumat;Libur Nasional;\"Tahun Baru; 2027\"\r\n"
                                "2;2027-05-01;Sabtu;libur;Hari Buruh\r\n;;;;\r\n",
                                &r),
                     BK_OK);
    assert_int_equal(r.rows, 2);
    assert_int_equal(r.problems.total, 0);
    hol_result_free(&r);
    /* English headers and kinds */
    assert_int_equal(check_file("date,kind,name\n2027-12-24,collective leave,Christmas Eve\n", &r),
                     BK_OK);
    hol_result_free(&r);
    /* every row checked; nothing half-read */
    assert_int_equal(check_file("tanggal,jenis,nama\n"
                                "2027-02-29,libur,Tidak ada\n"   /* 2027 is no leap year */
                                "2027-03-01,merah,Jenis salah\n" /* unknown kind */
                                "2027-03-02,cuti,\n"             /* no name */
                                "27-03-03,cuti,Tahun dua angka\n",
                                &r),
                     BK_ERR_INVALID);
    assert_true(has_problem(&r, 2, "tanggal", "is not a date"));
    assert_true(has_problem(&r, 3, "jenis", "is not libur"));
    assert_true(has_problem(&r, 4, "nama", "is not a name"));
    assert_true(has_problem(&r, 5, "tanggal", "is not a date"));
    assert_int_equal(r.problems.total, 4);
    hol_result_free(&r);
    /* the same day twice (written two ways) */
    assert_int_equal(check_file("tanggal,jenis,nama\n2027-01-01,libur,A\n01/01/2027,cuti,B\n", &r),
                     BK_ERR_INVALID);
    assert_true(has_problem(&r, 0, "tanggal", "twice"));
    hol_result_free(&r);
    /* missing columns, an empty file, a column twice */
    assert_int_equal(check_file("tanggal,nama\n2027-01-01,A\n", &r), BK_ERR_INVALID);
    assert_true(has_problem(&r, 1, "header", "kind column is missing"));
    hol_result_free(&r);
    assert_int_equal(check_file("", &r), BK_ERR_INVALID);
    assert_true(r.problems.total >= 1);
    hol_result_free(&r);
    assert_int_equal(check_file("date,tanggal,jenis,nama\n2027-01-01,2027-01-01,libur,A\n", &r),
                     BK_ERR_INVALID);
    assert_true(has_problem(&r, 1, "header", "twice"));
    hol_result_free(&r);
    /* a NUL byte inside a field, text that is not UTF-8 */
    static const char nul[] = "tanggal,jenis,nama\n2027-01-01,libur,A\0B\n";
    assert_int_equal(hol_import_buf(NULL, nul, sizeof nul - 1, 0, "t", 0, &r), BK_ERR_INVALID);
    hol_result_free(&r);
    assert_int_equal(check_file("tanggal,jenis,nama\n2027-01-01,libur,\xC3\x28\n", &r),
                     BK_ERR_INVALID);
    hol_result_free(&r);
    /* the shipped file */
    const char *src = getenv("BK_SOURCE_DIR");
    if (src) {
        char path[1024];
        snprintf(path, sizeof path, "%s/db/templates/holidays-2026-2027.csv", src);
        assert_int_equal(hol_import_file(NULL, path, 0, "t", 0, &r), BK_OK);
        assert_int_equal(r.rows, 30); /* 2026: 17 + 8; 2027: the 5 fixed-date holidays */
        hol_result_free(&r);
    }
    assert_int_equal(hol_import_file(NULL, "/nonexistent/libur.csv", 0, "t", 0, &r), BK_ERR_IO);
    hol_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekend),         cmocka_unit_test(test_holiday),
        cmocka_unit_test(test_cuti_run),        cmocka_unit_test(test_year_end),
        cmocka_unit_test(test_custom_workdays), cmocka_unit_test(test_no_interval_and_bad_input),
        cmocka_unit_test(test_config_key),      cmocka_unit_test(test_holiday_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
