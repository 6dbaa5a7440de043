/* test_i18n — catalog loading, {var} fill and the built-in date formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "otime.h"

static char tmpdir[256];

static void write_file(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **st)
{
    (void)st;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bk-i18n-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_load_and_get(void **st)
{
    (void)st;
    write_file("id.txt", "\xEF\xBB\xBF# komentar\n"
                         "\n"
                         "kiosk.start = Mulai\n"
                         "  kiosk.hello=Halo, {name}!  \n"
                         "kiosk.two = baris satu\\nbaris dua\n"
                         "this line has no equals sign\n"
                         "bad key = x\n"
                         "kiosk.dup = first\n"
                         "kiosk.dup = second\n"
                         "kiosk.eq = a = b\n"
                         "kiosk.empty =\n");
    i18n *t = NULL;
    assert_int_equal(i18n_load(tmpdir, "id", &t), BK_OK);
    assert_non_null(t);
    assert_string_equal(i18n_lang(t), "id");
    assert_string_equal(i18n_get(t, "kiosk.start"), "Mulai");
    assert_string_equal(i18n_get(t, "kiosk.hello"), "Halo, {name}!");
    assert_string_equal(i18n_get(t, "kiosk.two"), "baris satu\nbaris dua");
    assert_string_equal(i18n_get(t, "kiosk.dup"), "second");
    assert_string_equal(i18n_get(t, "kiosk.eq"), "a = b");
    assert_string_equal(i18n_get(t, "kiosk.empty"), "");
    assert_true(i18n_has(t, "kiosk.empty"));
    /* a missing key shows itself */
    assert_false(i18n_has(t, "kiosk.nope"));
    assert_string_equal(i18n_get(t, "kiosk.nope"), "kiosk.nope");
    assert_int_equal(i18n_count(t), 6);
    /* keys are enumerable, sorted */
    for (size_t i = 1; i < i18n_count(t); i++)
        assert_true(strcmp(i18n_key_at(t, i - 1), i18n_key_at(t, i)) < 0);
    assert_null(i18n_key_at(t, i18n_count(t)));
    i18n_free(t);
}

static void test_load_errors(void **st)
{
    (void)st;
    i18n *t = (i18n *)1;
    assert_int_equal(i18n_load(tmpdir, "en", &t), BK_ERR_NOT_FOUND); /* no en.txt */
    assert_null(t);
    assert_int_equal(i18n_load(tmpdir, "../id", &t), BK_ERR_INVALID);
    assert_int_equal(i18n_load(tmpdir, "fr", &t), BK_ERR_INVALID);
    i18n_free(NULL);
}

static void test_fill(void **st)
{
    (void)st;
    char out[64];
    const char *vars[] = {"code", "A-007", "n", "3", NULL};
    i18n_fill("Tiket {code}, antrean ke-{n}.", vars, out, sizeof out);
    assert_string_equal(out, "Tiket A-007, antrean ke-3.");
    i18n_fill("{n}{n}{unknown}{", vars, out, sizeof out);
    assert_string_equal(out, "33{unknown}{");
    i18n_fill("no vars {x}", NULL, out, sizeof out);
    assert_string_equal(out, "no vars {x}");
    /* truncation keeps UTF-8 whole: "é" is 2 bytes */
    char small[6];
    i18n_fill("abcd\xC3\xA9z", NULL, small, sizeof small);
    assert_string_equal(small, "abcd");
    const char *v2[] = {"x", "\xC3\xA9\xC3\xA9\xC3\xA9", NULL};
    i18n_fill("a{x}", v2, small, sizeof small);
    assert_string_equal(small, "a\xC3\xA9\xC3\xA9");
    char one[1];
    i18n_fill("abc", NULL, one, sizeof one);
    assert_string_equal(one, "");
}

static void test_dates(void **st)
{
    (void)st;
    char out[64];
    otime_parts p;
    /* 2026-12-07 14:30 WIB is 07:30 UTC */
    int64_t t;
    assert_int_equal(otime_parse("2026-12-07T07:30:00Z", &t), BK_OK);
    otime_local(t, 420, &p);
    i18n_date_long("id", &p, out, sizeof out);
    assert_string_equal(out, "Senin, 7 Desember 2026");
    i18n_date_long("en", &p, out, sizeof out);
    assert_string_equal(out, "Monday, 7 December 2026");
    i18n_date("id", &p, out, sizeof out);
    assert_string_equal(out, "7 Desember 2026");
    i18n_time("id", &p, out, sizeof out);
    assert_string_equal(out, "pukul 14.30");
    i18n_time("en", &p, out, sizeof out);
    assert_string_equal(out, "14:30");
    /* every day and month name, across a year starting on a Sunday */
    static const char *const want_days[7] = {"Minggu", "Senin", "Selasa", "Rabu",
                                             "Kamis",  "Jumat", "Sabtu"};
    static const char *const want_months[12] = {"Januari",   "Februari", "Maret",    "April",
                                                "Mei",       "Juni",     "Juli",     "Agustus",
                                                "September", "Oktober",  "November", "Desember"};
    for (int m = 1; m <= 12; m++) {
        char day[11], exp[64];
        snprintf(day, sizeof day, "2023-%02d-01", m);
        int64_t ds;
        assert_int_equal(otime_day_start(day, 420, &ds), BK_OK);
        otime_local(ds + 9 * 3600 + 5 * 60, 420, &p);
        i18n_time("id", &p, out, sizeof out);
        assert_string_equal(out, "pukul 09.05");
        i18n_date_long("id", &p, out, sizeof out);
        snprintf(exp, sizeof exp, "%s, 1 %s 2023", want_days[p.wday], want_months[m - 1]);
        assert_string_equal(out, exp);
    }
    assert_int_equal(otime_parse("2023-01-01T00:00:00Z", &t), BK_OK);
    otime_local(t, 420, &p);
    assert_int_equal(p.wday, 0); /* 1 January 2023 was a Sunday */
    i18n_date_long("id", &p, out, sizeof out);
    assert_string_equal(out, "Minggu, 1 Januari 2023");
    /* 28 Feb 2025 was a Friday (Jumat) */
    assert_int_equal(otime_parse("2025-02-28T01:00:00Z", &t), BK_OK);
    otime_local(t, 420, &p);
    i18n_date_long("id", &p, out, sizeof out);
    assert_string_equal(out, "Jumat, 28 Februari 2025");
    i18n_date_long("en", &p, out, sizeof out);
    assert_string_equal(out, "Friday, 28 February 2025");
    /* midnight */
    assert_int_equal(otime_parse("2025-02-28T17:00:00Z", &t), BK_OK);
    otime_local(t, 420, &p);
    i18n_time("id", &p, out, sizeof out);
    assert_string_equal(out, "pukul 00.00");
    i18n_date_long("id", &p, out, sizeof out);
    assert_string_equal(out, "Sabtu, 1 Maret 2025");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_get),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_fill),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
