/* test_probe — the doctor's framework (base/probe.h) and two of its probes
 * in isolation: selection by name and group, the item limit, SKIP left out
 * of the text report, the summary line; the printer probe accepting exactly
 * what printer_target_parse accepts; the store probe skipping a server's
 * local-file checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printer_probe.h"
#include "probe.h"
#include "store_probe.h"

static const probe_check checks[] = {
    {"database", "database"}, {"wal", "database"}, {"printer", "printer"},
    {"db-files", "files"},    {"disk", "disk"},
};
#define N_CHECKS (sizeof checks / sizeof checks[0])

static probe_report *new_report(const char *only)
{
    probe_report *r = calloc(1, sizeof *r);
    assert_non_null(r);
    probe_report_init(r, checks, N_CHECKS, only);
    return r;
}

static void test_selection(void **state)
{
    (void)state;
    probe_report *r = new_report(NULL);
    assert_true(probe_wanted(r, "wal"));
    assert_false(probe_wanted(r, "no-such-check"));
    probe_report_init(r, checks, N_CHECKS, "database,printer");
    assert_true(probe_wanted(r, "wal")); /* by its group */
    assert_true(probe_wanted(r, "printer"));
    assert_false(probe_wanted(r, "disk"));
    char bad[64] = "";
    assert_true(probe_list_valid(checks, N_CHECKS, "files,wal", bad, sizeof bad));
    assert_false(probe_list_valid(checks, N_CHECKS, "wal,walz,disk", bad, sizeof bad));
    assert_string_equal(bad, "walz");
    free(r);
}

static void test_items_and_text(void **state)
{
    (void)state;
    probe_report *r = new_report(NULL);
    probe_item *it = probe_add(r, "database", PROBE_OK, "opens (%d KiB)", 4);
    probe_detail(it, "a detail");
    probe_warn(it);
    assert_int_equal(it->level, PROBE_WARN);
    probe_add(r, "wal", PROBE_SKIP, "not here");
    it = probe_add(r, "printer", PROBE_FAIL, "gone");
    probe_warn(it); /* a FAIL stays a FAIL */
    assert_int_equal(it->level, PROBE_FAIL);
    for (int i = 0; i < PROBE_MAX_DETAILS + 3; i++)
        probe_detail(it, "d%d", i);
    assert_int_equal(it->n_details, PROBE_MAX_DETAILS);
    int counts[PROBE__COUNT];
    probe_count(r, counts);
    assert_int_equal(counts[PROBE_WARN], 1);
    assert_int_equal(counts[PROBE_SKIP], 1);
    assert_int_equal(counts[PROBE_FAIL], 1);

    char buf[8192] = "";
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(f);
    assert_int_equal(probe_print_text(r, f), 0);
    fclose(f);
    assert_non_null(strstr(buf, "WARN  database      opens (4 KiB)\n"
                                "                    a detail\n"));
    assert_null(strstr(buf, "not here"));
    assert_non_null(strstr(buf, "\n0 OK, 1 WARN, 1 FAIL: NOT healthy, fix the FAIL lines above\n"));

    /* Past the limit the last item is overwritten, never beyond the array. */
    for (int i = 0; i < PROBE_MAX_ITEMS + 5; i++)
        probe_add(r, "disk", PROBE_OK, "n%d", i);
    assert_int_equal(r->n, PROBE_MAX_ITEMS);
    assert_string_equal(r->items[PROBE_MAX_ITEMS - 1].msg, "n28");
    free(r);
}

/* The printer probe's one item for target t. */
static const probe_item *printer_item(probe_report *r, const char *t)
{
    probe_report_init(r, checks, N_CHECKS, "printer");
    printer_probe(r, t, 200);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->items[0].name, "printer");
    return &r->items[0];
}

static void test_printer_targets(void **state)
{
    (void)state;
    probe_report *r = new_report(NULL);
    const probe_item *it = printer_item(r, "none");
    assert_int_equal(it->level, PROBE_OK);
    /* What the print module cannot parse is not a target, as the kiosk
     * would find when printing (a device needs an absolute path). */
    static const char *const bad[] = {"lp0", "", "cups:", "host_x:9100", "h:0", "[::1]9100"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        it = printer_item(r, bad[i]);
        assert_int_equal(it->level, PROBE_FAIL);
        assert_non_null(strstr(it->msg, "is not a printer target"));
    }
    it = printer_item(r, "/dev/null");
    assert_int_equal(it->level, PROBE_OK);
    assert_string_equal(it->msg, "/dev/null is there and writable");
    free(r);
}

static void test_store_server_skips(void **state)
{
    (void)state;
    probe_report *r = new_report("wal,files,disk");
    store_probe sp;
    store_probe_init(&sp, "postgresql://u@127.0.0.1:1/x", 100, 0);
    assert_true(sp.server);
    store_probe_database(&sp, r); /* wal only: nothing to connect to */
    store_probe_files(&sp, r);
    store_probe_disk(&sp, r);
    store_probe_close(&sp);
    assert_int_equal(r->n, 3);
    for (int i = 0; i < r->n; i++)
        assert_int_equal(r->items[i].level, PROBE_SKIP);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selection),
        cmocka_unit_test(test_items_and_text),
        cmocka_unit_test(test_printer_targets),
        cmocka_unit_test(test_store_server_skips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
