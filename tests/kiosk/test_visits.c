/* test_visits — issue #12 items 7 and 8 on the real binaries and the real
 * database (SQLite file, or PostgreSQL through pg_cluster.sh):
 *
 * - one visit, one ticket: a client with an open ticket who picks another
 *   purpose on the kiosk gets the same ticket and code back ([ticket] says
 *   the purpose was added), both purposes are stored, and the PK's desk and
 *   `bapasctl show/queue --json` (`purposes`) show both;
 * - a client whose report visit is done today gets no second report ticket:
 *   the kiosk says so on [help] (Indonesian and English), `bapasctl checkin`
 *   exits 5; another purpose is a new visit;
 * - codes carry no purpose: tickets of different purposes for the same PK,
 *   walk-ins and reception tickets are all A-NNN of one daily series; the
 *   slip's printed lines name no purpose.
 *
 * usage: test_visits PATH/TO/bapas-kiosk PATH/TO/bapasctl
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

/* bapasctl with args on the harness's database; stdout+stderr (malloc'ed)
 * into *out; returns the exit code. */
static int ctl(harness *h, const char *args, char **out)
{
    return h_ctl(h, ctl_bin, args, 1, out);
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

static void label(harness *h, int dump, const char *id, char *out, size_t n)
{
    if (h_dump_label(h, dump, id, out, n) != 0)
        fail_msg("dump %d has no widget \"%s\":\n%s", dump, id, h->out ? h->out : "");
}

/* BK_VISITS_SHOTS=DIR keeps screenshots of the screens the tests end on, in
 * BK_VISITS_SIZE (default 800x480), to look at. */
static const char *shot_size(void)
{
    return getenv("BK_VISITS_SIZE") ? getenv("BK_VISITS_SIZE") : "800x480";
}

static void shot(char *s, size_t sz, const char *name)
{
    const char *dir = getenv("BK_VISITS_SHOTS");
    size_t n = strlen(s);
    if (dir) snprintf(s + n, sz - n, "shot %s/%s-%s.png\n", dir, name, shot_size());
}

/* Script lines that check client i in on the kiosk for `purpose` and dump
 * the screen it ends on (`end`: ticket or help), then go back to [welcome]. */
static void kiosk_visit(char *s, size_t sz, int i, const char *purpose, const char *end)
{
    char no[STORE_ID_SZ], b[9], name[64];
    h_client(i, no, b);
    size_t n = strlen(s);
    snprintf(s + n, sz - n,
             "tap start\nexpect identify\ntype %s\\n\nexpect verify\ntype %s\\n\n"
             "expect purpose\ntap purpose-%s\n%sexpect %s\ndump\n",
             no, b, purpose,
             /* a report ticket asks the wajib lapor questions first (schema 10) */
             strcmp(purpose, "report") == 0 && strcmp(end, "ticket") == 0
                 ? "expect question\n" H_QUESTIONS_NO
                 : "",
             end);
    static int k; /* numbered: a screen may be seen twice (in two languages) */
    snprintf(name, sizeof name, "%02d-%s-%s", ++k, end, purpose);
    shot(s, sz, name);
    n = strlen(s);
    snprintf(s + n, sz - n, "tap done\nexpect welcome\n");
}

/* The names of a JSON array of purposes, comma separated. */
static void purposes_of(json_t *o, char *out, size_t n)
{
    out[0] = 0;
    json_t *a = json_object_get(o, "purposes");
    if (!json_is_array(a)) fail_msg("no purposes array");
    for (size_t i = 0; i < json_array_size(a); i++) {
        size_t l = strlen(out);
        snprintf(out + l, n - l, "%s%s", i ? "," : "", json_string_value(json_array_get(a, i)));
    }
}

static void test_second_purpose_joins_the_visit(void **state)
{
    harness *h = *state;
    char no[STORE_ID_SZ], b[9];
    h_client(0, no, b);
    store_client c;
    assert_int_equal(store_client_get(h->st, no, &c), BK_OK);

    char s[4000] = "expect welcome\n";
    kiosk_visit(s, sizeof s, 0, "report", "ticket");
    kiosk_visit(s, sizeof s, 0, "drug-test", "ticket");
    kiosk_visit(s, sizeof s, 0, "drug-test", "ticket"); /* has it already */
    assert_int_equal(h_run(h, s, shot_size(), NULL, 60), 0);
    char c0[32], c1[32], c2[32], g1[300], g2[300];
    label(h, 0, "code", c0, sizeof c0);
    label(h, 1, "code", c1, sizeof c1);
    label(h, 2, "code", c2, sizeof c2);
    assert_string_equal(c0, "A-001");
    assert_string_equal(c1, c0);
    assert_string_equal(c2, c0);
    label(h, 1, "greeting", g1, sizeof g1);
    assert_string_equal(g1, "Keperluan ini ditambahkan ke nomor antrean Anda.");
    label(h, 2, "greeting", g2, sizeof g2);
    assert_string_equal(g2, "Anda sudah terdaftar hari ini. Ini nomor antrean Anda.");

    /* the database: one ticket, both purposes, one purpose_add audit row */
    assert_int_equal(h_count_tickets(h, no), 1);
    store_ticket t;
    assert_int_equal(h_find_ticket(h, no, BK_PURPOSE_REPORT, &t), 0);
    unsigned bits = 0;
    assert_int_equal(store_ticket_purposes(h->st, t.id, &bits), BK_OK);
    assert_int_equal(bits, 1u << BK_PURPOSE_REPORT | 1u << BK_PURPOSE_DRUG_TEST);
    assert_int_equal(h_count_audit(h, "checkin"), 1);
    assert_int_equal(h_count_audit(h, "purpose_add"), 1);

    /* bapasctl: "purpose" stays the first, "purposes" has both */
    char args[200], p[200];
    snprintf(args, sizeof args, "--json show %s", c0);
    json_t *j = ctl_json(h, args);
    assert_string_equal(json_string_value(json_object_get(j, "purpose")), "report");
    purposes_of(j, p, sizeof p);
    assert_string_equal(p, "report,drug-test");
    json_decref(j);
    snprintf(args, sizeof args, "--json queue --officer %s", t.officer);
    j = ctl_json(h, args);
    assert_int_equal(json_array_size(j), 1);
    purposes_of(json_array_get(j, 0), p, sizeof p);
    assert_string_equal(p, "report,drug-test");
    json_decref(j);

    /* the PK's desk lists the ticket with both purposes */
    const char *dargs[] = {"--mode", "desk", "--officer", t.officer, NULL};
    char ds[400] = "expect desk\ndump\n";
    shot(ds, sizeof ds, "desk");
    strcat(ds, "quit\n");
    assert_int_equal(h_run(h, ds, getenv("BK_VISITS_SHOTS") ? shot_size() : "1280x720", dargs, 30),
                     0);
    char row[300], id[64];
    snprintf(id, sizeof id, "ticket-%s", c0);
    label(h, 0, id, row, sizeof row);
    if (!strstr(row, "Wajib lapor + Tes urine"))
        fail_msg("desk row without both purposes: %s", row);
}

static void test_report_done_today(void **state)
{
    harness *h = *state;
    char no[STORE_ID_SZ], birth[STORE_DAY_SZ], args[300], *out = NULL;
    demo_client(1, no, birth);
    snprintf(args, sizeof args, "--json checkin '%s' --birth %s --purpose report", no, birth);
    json_t *j = ctl_json(h, args);
    char code[32];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(j, "code")));
    json_decref(j);
    j = ctl_json(h, "--json queue");
    assert_int_equal(json_array_size(j), 1); /* this ticket only: call-next takes it */
    const json_t *off = json_object_get(json_array_get(j, 0), "officer");
    if (json_is_null(off)) {
        snprintf(args, sizeof args, "--json call-next --officer reception");
    } else {
        snprintf(args, sizeof args, "--json call-next --officer %s",
                 json_string_value(json_object_get(off, "id")));
    }
    json_decref(j);
    json_decref(ctl_json(h, args));
    snprintf(args, sizeof args, "--json start %s", code);
    json_decref(ctl_json(h, args));
    snprintf(args, sizeof args, "--json done %s --outcome admin", code);
    json_decref(ctl_json(h, args));
    int before = h_count_tickets(h, no);
    assert_int_equal(before, 1);

    /* the kiosk: report again ends on [help], in Indonesian and English */
    char s[4000] = "expect welcome\n";
    kiosk_visit(s, sizeof s, 1, "report", "help");
    strcat(s, "tap lang\n");
    kiosk_visit(s, sizeof s, 1, "report", "help");
    assert_int_equal(h_run(h, s, shot_size(), NULL, 60), 0);
    char l[400];
    label(h, 0, "title", l, sizeof l);
    assert_string_equal(l, "Anda sudah lapor hari ini");
    label(h, 0, "message", l, sizeof l);
    assert_non_null(strstr(l, "Wajib lapor Anda hari ini sudah tercatat."));
    label(h, 0, "done", l, sizeof l);
    assert_string_equal(l, "Kembali ke awal");
    char *d0 = h_dump_block(h, 0);
    assert_false(h_has(d0, "retry\t")); /* nothing to try again */
    free(d0);
    label(h, 1, "title", l, sizeof l);
    assert_string_equal(l, "You have already reported today");
    /* the log does not say why someone came */
    if (h->err && (strstr(h->err, "reported") || strstr(h->err, "report")))
        fail_msg("the kiosk's log tells of the report:\n%s", h->err);
    assert_int_equal(h_count_tickets(h, no), before); /* no second ticket */

    /* bapasctl: exit 5 (wrong state), error reported_today */
    snprintf(args, sizeof args, "--json checkin '%s' --birth %s --purpose report", no, birth);
    assert_int_equal(ctl(h, args, &out), 5);
    assert_non_null(strstr(out, "reported_today"));
    free(out);
    assert_int_equal(h_count_tickets(h, no), before);

    /* another purpose after the finished visit: a new visit (documented) */
    s[0] = 0;
    strcat(s, "expect welcome\n");
    kiosk_visit(s, sizeof s, 1, "counseling", "ticket");
    assert_int_equal(h_run(h, s, NULL, NULL, 60), 0);
    label(h, 0, "code", l, sizeof l);
    assert_string_equal(l, "A-002");
    assert_int_equal(h_count_tickets(h, no), before + 1);
}

/* "A-" and three digits */
static int series_code(const char *c)
{
    return strlen(c) == 5 && c[0] == 'A' && c[1] == '-' && c[2] >= '0' && c[2] <= '9' &&
           c[3] >= '0' && c[3] <= '9' && c[4] >= '0' && c[4] <= '9';
}

static void test_codes_carry_no_purpose(void **state)
{
    harness *h = *state;
    /* two clients of the same PK (demo: client i's PK is i % DEMO_OFFICERS) */
    char no0[STORE_ID_SZ], no1[STORE_ID_SZ], b[9];
    h_client(2, no0, b);
    h_client(2 + DEMO_OFFICERS, no1, b);
    store_client c0, c1;
    assert_int_equal(store_client_get(h->st, no0, &c0), BK_OK);
    assert_int_equal(store_client_get(h->st, no1, &c1), BK_OK);
    assert_string_equal(c0.officer, c1.officer);

    char s[4000] = "expect welcome\n";
    kiosk_visit(s, sizeof s, 2, "drug-test", "ticket");
    kiosk_visit(s, sizeof s, 2 + DEMO_OFFICERS, "counseling", "ticket");
    assert_int_equal(h_run(h, s, NULL, NULL, 60), 0);
    char k0[32], k1[32];
    label(h, 0, "code", k0, sizeof k0);
    label(h, 1, "code", k1, sizeof k1);
    /* the same PK, different purposes: the same form, numbered in turn */
    assert_true(series_code(k0));
    assert_true(series_code(k1));
    assert_string_equal(k0, "A-001");
    assert_string_equal(k1, "A-002");
    store_ticket t0, t1;
    assert_int_equal(h_find_ticket(h, no0, BK_PURPOSE_DRUG_TEST, &t0), 0);
    assert_int_equal(h_find_ticket(h, no1, BK_PURPOSE_COUNSELING, &t1), 0);
    assert_string_equal(t0.officer, t1.officer);

    /* report joins the drug test's visit: the visit is a report visit, with
     * its next report date */
    char no[STORE_ID_SZ], birth[STORE_DAY_SZ], cargs[300];
    demo_client(2, no, birth);
    snprintf(cargs, sizeof cargs, "--json checkin '%s' --birth %s --purpose report", no, birth);
    json_t *r = ctl_json(h, cargs);
    assert_true(json_is_true(json_object_get(r, "joined")));
    assert_string_equal(json_string_value(json_object_get(r, "code")), "A-001");
    assert_string_equal(json_string_value(json_object_get(r, "purpose")), "drug-test");
    assert_true(json_is_string(json_object_get(r, "next_report")));
    json_decref(r);

    /* a walk-in (reception) ticket: the same series */
    json_t *j = ctl_json(h, "--json walkin --purpose drug-test --name Tamu");
    assert_string_equal(json_string_value(json_object_get(j, "code")), "A-003");
    json_decref(j);

    /* the slip of the drug test names no purpose on any line */
    char args[600];
    snprintf(args, sizeof args, "--json slip %s --lang id --png '%s/slip.png'", k0, h->dir);
    j = ctl_json(h, args);
    json_t *lines = json_object_get(j, "lines");
    assert_true(json_array_size(lines) > 3);
    static const char *const words[] = {"Wajib lapor", "Konseling", "Konseling kelompok",
                                        "Tes urine",   "Litmas",    "Lainnya"};
    for (size_t i = 0; i < json_array_size(lines); i++) {
        const char *line = json_string_value(json_array_get(lines, i));
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
            if (strcmp(line, words[w]) == 0) fail_msg("the slip prints the purpose: %s", line);
        if (strstr(line, "Tes urine") || strstr(line, "urine"))
            fail_msg("the slip names the drug test: %s", line);
    }
    json_decref(j);
}

int main(int argc, char **argv)
{
#ifndef BK_TEST_HOOKS
    puts("SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)");
    return 77;
#endif
    if (argc < 3) {
        fprintf(stderr, "usage: %s BAPAS_KIOSK BAPASCTL\n", argv[0]);
        return 2;
    }
    h_kiosk_bin = argv[1];
    ctl_bin = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_second_purpose_joins_the_visit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_done_today, setup, teardown),
        cmocka_unit_test_setup_teardown(test_codes_carry_no_purpose, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
