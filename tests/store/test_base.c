/* Unit tests of kiosk/base: validation and office time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backoff.h"
#include "domain.h"
#include "store.h"
#include "otime.h"
#include "paths.h"
#include "valid.h"

static void test_client_no(void **s)
{
    (void)s;
    assert_int_equal(valid_client_no("240001", NULL), BK_OK);
    assert_int_equal(valid_client_no("PB.2024/001-A", NULL), BK_OK);
    assert_int_equal(valid_client_no("12345678901234567890123456789012", NULL), BK_OK);
    assert_int_equal(valid_client_no("123456789012345678901234567890123", NULL), BK_ERR_INVALID);
    assert_int_equal(valid_client_no("", NULL), BK_ERR_INVALID);
    assert_int_equal(valid_client_no("a b", NULL), BK_ERR_INVALID);
    assert_int_equal(valid_client_no("x'--", NULL), BK_ERR_INVALID);
    assert_int_equal(valid_client_no("\xc3\xa9", NULL), BK_ERR_INVALID);
    assert_int_equal(valid_officer_id("reception", NULL), BK_ERR_INVALID);
    assert_int_equal(valid_officer_id("PK_07", NULL), BK_OK);
}

static void test_text(void **s)
{
    (void)s;
    const char *why = NULL;
    assert_int_equal(valid_text("Ma'ruf", 100, 1, NULL), BK_OK);
    assert_int_equal(valid_text("Siti Nur\xe2\x80\x99"
                                "aini",
                                100, 1, NULL),
                     BK_OK);
    assert_int_equal(valid_text("", 100, 1, &why), BK_ERR_INVALID);
    assert_int_equal(valid_text("   ", 100, 1, NULL), BK_ERR_INVALID);
    assert_int_equal(valid_text("", 100, 0, NULL), BK_OK);
    assert_int_equal(valid_text("a\x01", 100, 0, &why), BK_ERR_INVALID);
    assert_string_equal(why, "contains a control character");
    assert_int_equal(valid_text("a\x7f", 100, 0, NULL), BK_ERR_INVALID);
    assert_int_equal(valid_text("a\xc2\x85", 100, 0, NULL), BK_ERR_INVALID); /* C1 NEL */
    assert_int_equal(valid_text("\xc0\xaf", 100, 0, &why), BK_ERR_INVALID);  /* overlong */
    assert_string_equal(why, "is not valid UTF-8");
    assert_int_equal(valid_text("\xed\xa0\x80", 100, 0, NULL), BK_ERR_INVALID); /* surrogate */
    assert_int_equal(valid_text("\xf4\x90\x80\x80", 100, 0, NULL), BK_ERR_INVALID);
    assert_int_equal(valid_text("\xe2\x82", 100, 0, NULL), BK_ERR_INVALID); /* truncated */
    /* Length counts characters, not bytes. */
    assert_int_equal(valid_text("\xc3\xa9\xc3\xa9\xc3\xa9", 3, 0, NULL), BK_OK);
    assert_int_equal(valid_text("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, 0, NULL), BK_ERR_INVALID);
    char *big = malloc(10001);
    assert_non_null(big);
    memset(big, 'x', 10000);
    big[10000] = 0;
    assert_int_equal(valid_text(big, 100, 1, NULL), BK_ERR_INVALID);
    free(big);
}

static void test_dates(void **s)
{
    (void)s;
    int y, m, d;
    assert_int_equal(valid_date("2024-02-29", &y, &m, &d, NULL), BK_OK);
    assert_int_equal(y * 10000 + m * 100 + d, 20240229);
    assert_int_equal(valid_date("2023-02-29", NULL, NULL, NULL, NULL), BK_ERR_INVALID);
    assert_int_equal(valid_date("2023-02-30", NULL, NULL, NULL, NULL), BK_ERR_INVALID);
    assert_int_equal(valid_date("2000-02-29", NULL, NULL, NULL, NULL), BK_OK);
    assert_int_equal(valid_date("1900-02-29", NULL, NULL, NULL, NULL), BK_ERR_INVALID);
    assert_int_equal(valid_date("2023-04-31", NULL, NULL, NULL, NULL), BK_ERR_INVALID);
    assert_int_equal(valid_date("2023-4-3", NULL, NULL, NULL, NULL), BK_ERR_INVALID);
    assert_int_equal(valid_date("03-04-2023", NULL, NULL, NULL, NULL), BK_ERR_INVALID);
    assert_int_equal(valid_date("1800-01-01", NULL, NULL, NULL, NULL), BK_ERR_INVALID);
}

static void test_otime(void **s)
{
    (void)s;
    int off = 0;
    assert_int_equal(otime_zone_offset("Asia/Jakarta", &off), BK_OK);
    assert_int_equal(off, 420);
    assert_int_equal(otime_zone_offset("Asia/Makassar", &off), BK_OK);
    assert_int_equal(off, 480);
    assert_int_equal(otime_zone_offset("Asia/Jayapura", &off), BK_OK);
    assert_int_equal(off, 540);
    assert_int_equal(otime_zone_offset("+05:30", &off), BK_OK);
    assert_int_equal(off, 330);
    assert_int_equal(otime_zone_offset("UTC-3", &off), BK_OK);
    assert_int_equal(off, -180);
    assert_int_equal(otime_zone_offset("Mars/Olympus", &off), BK_ERR_INVALID);
    char day[11], iso[21];
    /* 2026-12-06 17:00 UTC = 2026-12-07 00:00 WIB (a Monday). */
    int64_t t = 1796576400;
    otime_day(t, 420, day);
    assert_string_equal(day, "2026-12-07");
    otime_day(t - 1, 420, day);
    assert_string_equal(day, "2026-12-06");
    otime_parts p;
    otime_local(t, 420, &p);
    assert_int_equal(p.wday, 1);
    assert_int_equal(p.hour, 0);
    otime_iso_utc(t, iso);
    assert_string_equal(iso, "2026-12-06T17:00:00Z");
    int64_t back = 0;
    assert_int_equal(otime_parse(iso, &back), BK_OK);
    assert_true(back == t);
    assert_int_equal(otime_parse("2026-12-07T00:00:00+07:00", &back), BK_OK);
    assert_true(back == t);
    assert_int_equal(otime_parse("2026-12-07 00:00", &back), BK_ERR_INVALID);
    int64_t start = 0;
    assert_int_equal(otime_day_start("2026-12-07", 420, &start), BK_OK);
    assert_true(start == t);
    assert_int_equal(otime_day_add("2024-02-28", 1, day), BK_OK);
    assert_string_equal(day, "2024-02-29");
    assert_int_equal(otime_day_add("2024-12-31", 1, day), BK_OK);
    assert_string_equal(day, "2025-01-01");
    int diff = 0;
    assert_int_equal(otime_day_diff("2024-01-01", "2025-01-01", &diff), BK_OK);
    assert_int_equal(diff, 366);
}

static void test_display_masks_passwords(void **s)
{
    (void)s;
    char out[256];
    paths_display("/var/lib/bapas-kiosk/bapas.db", out, sizeof out);
    assert_string_equal(out, "/var/lib/bapas-kiosk/bapas.db");
    paths_display("postgresql://kiosk:s3cret@db.bapas.lan:5432/office", out, sizeof out);
    assert_string_equal(out, "postgresql://kiosk:***@db.bapas.lan:5432/office");
    paths_display("postgres://kiosk@db/office?sslmode=require&password=ab&x=1", out, sizeof out);
    assert_string_equal(out, "postgres://kiosk@db/office?sslmode=require&password=***&x=1");
    paths_display("postgresql://u:p@h/d?password=", out, sizeof out);
    assert_string_equal(out, "postgresql://u:***@h/d?password=***");
    paths_display("postgresql://u:longpassword@h/d", out, 12); /* truncated, terminated */
    assert_int_equal(strlen(out), 11);
    assert_null(strstr(out, "long"));
}

static void test_backoff(void **s)
{
    (void)s;
    /* the pure policy: [d/2, d], d doubling from 500 ms to the 12 s cap */
    const int want[] = {500, 1000, 2000, 4000, 8000, 12000, 12000, 12000};
    for (int n = 0; n < 8; n++) {
        assert_int_equal(backoff_delay(500, 12000, n, 0), want[n] - want[n] / 2);
        assert_int_equal(backoff_delay(500, 12000, n, UINT32_MAX), want[n]);
        int mid = backoff_delay(500, 12000, n, 0x80000000u);
        assert_true(mid > want[n] / 2 && mid < want[n]);
    }
    assert_int_equal(backoff_delay(0, 0, 0, UINT32_MAX), BACKOFF_FIRST_MS);
    assert_int_equal(backoff_delay(0, 0, 100000, UINT32_MAX), BACKOFF_CAP_MS);
    assert_int_equal(backoff_delay(1, 1, 0, 0), 1);                /* never 0 */
    assert_int_equal(backoff_delay(800, 300, 3, UINT32_MAX), 800); /* cap below first */

    /* the state: grows, stays in bounds, resets after a success */
    backoff b;
    backoff_init(&b, 0, 0, 42);
    for (int n = 0; n < 20; n++) {
        int d = backoff_next(&b);
        int hi = want[n < 8 ? n : 7];
        assert_true(d >= hi / 2 && d <= hi);
    }
    backoff_reset(&b);
    assert_true(backoff_next(&b) <= 500);

    /* 20 screens that lost the server at once do not come back at once:
     * their attempts after 5 failures spread over seconds */
    int lo = 1 << 30, hi = 0;
    for (int k = 0; k < 20; k++) {
        backoff_init(&b, 0, 0, 1000 + (uint64_t)k * 7919);
        int t = 0;
        for (int n = 0; n < 6; n++)
            t += backoff_next(&b);
        lo = t < lo ? t : lo;
        hi = t > hi ? t : hi;
    }
    assert_true(hi - lo >= 2000);
    /* distinct processes get distinct seeds */
    assert_true(backoff_seed() != 0);
}

/* Every value has one name that parses back to it; other text does not. */
static void test_domain_tables(void **s)
{
    (void)s;
#define ROUND_TRIP(type, prefix, count)                                                            \
    for (int i = 0; i < (count); i++) {                                                            \
        type v = (type)(count);                                                                    \
        assert_int_equal(prefix##_parse(prefix##_name((type)i), &v), BK_OK);                       \
        assert_int_equal(v, i);                                                                    \
    }                                                                                              \
    assert_string_equal(prefix##_name((type)(count)), "unknown");                                  \
    assert_string_equal(prefix##_name((type)-1), "unknown")
    ROUND_TRIP(bk_status, bk_status, BK_STATUS__COUNT);
    ROUND_TRIP(bk_purpose, bk_purpose, BK_PURPOSE__COUNT);
    ROUND_TRIP(bk_routing, bk_routing, BK_ROUTED__COUNT);
    ROUND_TRIP(bk_outcome, bk_outcome, BK_OUTCOME__COUNT);
    ROUND_TRIP(bk_presence, bk_presence, BK_PRESENCE__COUNT);
    ROUND_TRIP(bk_program, bk_program, BK_PROGRAM__COUNT);
#undef ROUND_TRIP
    /* The texts of the database and of every output. */
    assert_string_equal(bk_status_name(BK_STATUS_NO_SHOW), "no_show");
    assert_string_equal(bk_purpose_name(BK_PURPOSE_DRUG_TEST), "drug-test");
    assert_string_equal(bk_routing_name(BK_ROUTED_SUBSTITUTE), "substitute");
    assert_string_equal(bk_outcome_name(BK_OUTCOME_NONE), "");
    assert_string_equal(bk_presence_name(BK_PRESENCE_DUTY), "duty");
    assert_string_equal(bk_program_name(BK_PROGRAM_ASIMILASI), "ASIMILASI");
    assert_int_equal(BK_PURPOSE__COUNT, 6);
    /* the bit order of a visit's purposes, as pg/009_visits.sql counts them */
    assert_int_equal(BK_PURPOSE_REPORT, 0);
    assert_int_equal(BK_PURPOSE_OTHER, 5);
    bk_status st = BK_STATUS_DONE;
    assert_int_equal(bk_status_parse("Waiting", &st), BK_ERR_INVALID); /* exact */
    assert_int_equal(bk_status_parse("", &st), BK_ERR_INVALID);
    assert_int_equal(bk_status_parse(NULL, &st), BK_ERR_INVALID);
    assert_int_equal(st, BK_STATUS_DONE); /* untouched */
    bk_purpose p;
    assert_int_equal(bk_purpose_parse("drug_test", &p), BK_ERR_INVALID);
    bk_outcome o = BK_OUTCOME_ADMIN;
    assert_int_equal(bk_outcome_parse("", &o), BK_OK);
    assert_int_equal(o, BK_OUTCOME_NONE);
    /* The listing masks are the status bits. */
    assert_int_equal(STORE_ST_WAITING, 1u << BK_STATUS_WAITING);
    assert_int_equal(STORE_ST_CANCELLED, 1u << BK_STATUS_CANCELLED);
    assert_int_equal(STORE_ST_ALL, 0x3F);
    assert_true(bk_status_open(BK_STATUS_SERVING) && !bk_status_open(BK_STATUS_DONE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_domain_tables), cmocka_unit_test(test_client_no),
        cmocka_unit_test(test_text),          cmocka_unit_test(test_dates),
        cmocka_unit_test(test_otime),         cmocka_unit_test(test_display_masks_passwords),
        cmocka_unit_test(test_backoff),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
