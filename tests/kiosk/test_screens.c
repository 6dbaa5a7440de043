/* test_screens — how the kiosk looks.
 *
 * 1. Screenshots of the main screens at 800x480 and 1920x1080 are compared
 *    with the reference images in tests/kiosk/ref/ (a pixel differs when a
 *    channel is off by more than 48; at most 0.3 % may differ). Run with
 *    BK_UPDATE_REFS=1 to rewrite the references after a deliberate change,
 *    then look at them.
 * 2. At 800x480, 1280x800, 1920x1080 and 1080x1920 (portrait), in both
 *    languages, every screen is drawn with no text box overflowing (the
 *    --stats overflow count) and every button at least 60 px both ways.
 *
 * usage: test_screens PATH/TO/bapas-kiosk REF_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "queue.h"
#include "ui.h"

#define S_SZ 16384
#define TOL 48
#define MAX_FRAC 0.003

static const char *ref_dir = ".";

static const char *const SHOTS[] = {"welcome", "identify", "verify",  "purpose",
                                    "ticket",  "help",     "question"};
#define N_SHOTS (sizeof SHOTS / sizeof SHOTS[0])

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

/* The script that visits every main screen, saving shots into dir with the
 * prefix; client 2 is routed to a substitute (the richest ticket); client 0
 * checks in for a report: the first wajib lapor question. */
static void main_screens_script(char *s, size_t sz, const char *dir, const char *prefix)
{
    char no[STORE_ID_SZ], b[9], no0[STORE_ID_SZ], b0[9];
    h_client(2, no, b);
    h_client(0, no0, b0);
    snprintf(s, sz,
             "expect welcome\nshot %s/%s-welcome.png\n"
             "tap start\ntype %s\nexpect identify\nshot %s/%s-identify.png\n"
             "tap ok\ntype %s\nexpect verify\nshot %s/%s-verify.png\n"
             "tap ok\nexpect purpose\nshot %s/%s-purpose.png\n"
             "tap purpose-counseling\nexpect ticket\nshot %s/%s-ticket.png\n"
             "tap done\ntype 999999\\n\ntype 01011990\\n\nexpect help\n"
             "shot %s/%s-help.png\n"
             "tap done\ntype %s\\n\ntype %s\\n\nexpect purpose\ntap purpose-report\n"
             "expect question\nshot %s/%s-question.png\n",
             dir, prefix, no, dir, prefix, b, dir, prefix, dir, prefix, dir, prefix, dir, prefix,
             no0, b0, dir, prefix);
}

static int copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    int rc = a && b ? 0 : -1;
    char buf[65536];
    size_t n;
    while (!rc && (n = fread(buf, 1, sizeof buf, a)) > 0)
        if (fwrite(buf, 1, n, b) != n) rc = -1;
    if (a) fclose(a);
    if (b && fclose(b)) rc = -1;
    return rc;
}

/* Fraction of pixels differing by more than TOL; -1 on a size mismatch. */
static double compare(const char *a_path, const char *b_path)
{
    uint8_t *a = NULL, *b = NULL;
    int aw, ah, bw, bh;
    if (ui_png_read(a_path, &a, &aw, &ah))
        fail_msg("cannot read %s (run with BK_UPDATE_REFS=1 to create it)", a_path);
    if (ui_png_read(b_path, &b, &bw, &bh)) fail_msg("cannot read %s", b_path);
    double frac = -1;
    if (aw == bw && ah == bh) {
        long bad = 0, n = (long)aw * ah;
        for (long i = 0; i < n; i++)
            for (int c = 0; c < 3; c++)
                if (abs((int)a[4 * i + c] - (int)b[4 * i + c]) > TOL) {
                    bad++;
                    break;
                }
        frac = (double)bad / (double)n;
    }
    free(a);
    free(b);
    return frac;
}

static void shots_at(harness *h, const char *size)
{
    char s[S_SZ];
    main_screens_script(s, sizeof s, h->dir, size);
    assert_int_equal(h_run(h, s, size, NULL, 60), 0);
    int update = getenv("BK_UPDATE_REFS") && strcmp(getenv("BK_UPDATE_REFS"), "1") == 0;
    for (size_t i = 0; i < N_SHOTS; i++) {
        char got[512], ref[1024];
        snprintf(got, sizeof got, "%s/%s-%s.png", h->dir, size, SHOTS[i]);
        snprintf(ref, sizeof ref, "%s/%s-%s.png", ref_dir, size, SHOTS[i]);
        if (update) {
            if (copy_file(got, ref)) fail_msg("cannot write %s", ref);
            fprintf(stderr, "updated %s\n", ref);
            continue;
        }
        double f = compare(ref, got);
        if (f < 0 || f > MAX_FRAC) {
            char keep[1024];
            snprintf(keep, sizeof keep, "%s-%s-actual.png", size, SHOTS[i]);
            copy_file(got, keep); /* in the test's working directory */
            fail_msg("%s-%s differs from the reference: %.4f of the pixels (saved %s)", size,
                     SHOTS[i], f, keep);
        }
    }
}

static void test_reference_800x480(void **state)
{
    shots_at(*state, "800x480");
}

static void test_reference_1920x1080(void **state)
{
    shots_at(*state, "1920x1080");
}

/* Every screen and state, for the layout checks. */
static void all_screens_script(char *s, size_t sz, int english)
{
    char no[STORE_ID_SZ], b[9];
    h_client(2, no, b); /* routed to a substitute: the longest ticket */
    const char *lang = english ? "tap lang\n" : "";
    /* the wajib lapor questions: client 2's first report check-in asks them
     * (the Indonesian run); the English run, on the same database, finds that
     * ticket answered, so client 7 is asked them at the end */
    static const char questions[] =
        "expect question\ndump\n"                /* the first question */
        "tap answer-yes\ndump\ntap back\ndump\n" /* the second, back to the first */
        "wait 21000\ndump\n"                     /* its countdown */
        "tap answer-no\ntap answer-no\ntap answer-no\ntap answer-no\n";
    char no7[STORE_ID_SZ], b7[9], tail[1024] = "";
    h_client(7, no7, b7);
    if (english)
        snprintf(tail, sizeof tail,
                 "tap back\n%stap start\ntype %s\\n\ntype %s\\n\ntap purpose-report\n%s"
                 "expect ticket\ndump\n",
                 lang, no7, b7, questions);
    snprintf(s, sz,
             "%s"
             "dump\n"
             "tap start\ndump\n"
             "type 12345678901234567890\ndump\n" /* a long number */
             "tap back\n%stap start\ntype %s\ntap ok\ndump\n"
             "type 3102\ndump\ntype 2000\ndump\n" /* partial, then a date that does not exist */
             "key Backspace\nkey Backspace\nkey Backspace\nkey Backspace\n"
             "key Backspace\nkey Backspace\nkey Backspace\nkey Backspace\n"
             "type %s\ndump\ntap ok\nexpect purpose\ndump\n"
             "tap purpose-report\n%sexpect ticket\ndump\n"
             "wait 5200\ndump\n" /* the countdown on [ticket] */
             "tap done\n%s"
             "type %s\\n\ntype %s\\n\ntap purpose-report\nexpect ticket\ndump\n" /* again */
             "tap done\n%s"
             "type 999999\\n\ntype 01011990\\n\nexpect help\ndump\n"
             "tap reception\nexpect ticket\ndump\n" /* a walk-in ticket */
             "tap done\n%s"
             "hold 0.01 0.02 3100\nexpect operator\ntype 12\ndump\n"
             "tap ok\ndump\n%s",
             lang, lang, no, b, english ? "" : questions, lang, no, b, lang, lang, tail);
}

static void check_layout(harness *h, const char *size, int english)
{
    char s[S_SZ];
    all_screens_script(s, sizeof s, english);
    if (h_run(h, s, size, NULL, 90) != 0)
        fail_msg("%s %s: the script failed (rc %d): %s", size, english ? "en" : "id", h->rc,
                 h->err ? h->err : "");
    /* no text overflowed in any frame */
    assert_non_null(h->stats);
    if (!h_has(h->stats, "overflow=0")) fail_msg("no frames recorded");
    const char *q = h->stats;
    while ((q = strstr(q, "overflow=")) != NULL) {
        q += 9;
        if (*q != '0') {
            const char *ls = q;
            while (ls > h->stats && ls[-1] != '\n')
                ls--;
            fail_msg("%s %s: text overflows: %.*s", size, english ? "en" : "id",
                     (int)strcspn(ls, "\n"), ls);
        }
    }
    /* every button is at least 60 px both ways */
    int dumps = h_dump_count(h);
    assert_true(dumps >= 12);
    int expect_ops = 0;
    for (int i = 0; i < dumps; i++) {
        char *d = h_dump_block(h, i);
        for (char *line = strtok(d, "\n"); line; line = strtok(NULL, "\n")) {
            if (strncmp(line, "screen=", 7) == 0) {
                expect_ops += strcmp(line + 7, "operator") == 0;
                continue;
            }
            if (h_has(line, "\tinfo")) continue;
            char *t1 = strchr(line, '\t');
            char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
            assert_non_null(t2);
            int x, y, w, hh;
            assert_int_equal(sscanf(t2 + 1, "%d %d %d %d", &x, &y, &w, &hh), 4);
            if (strncmp(line, "busy\t", 5) == 0) continue;
            if (w < 60 || hh < 60) fail_msg("%s: button too small (%dx%d): %s", size, w, hh, line);
            /* and on the screen */
            int W, H;
            sscanf(size, "%dx%d", &W, &H);
            if (x < 0 || y < 0 || x + w > W || y + hh > H)
                fail_msg("%s: button off screen: %s", size, line);
        }
        free(d);
    }
    assert_true(expect_ops >= 1);
    /* the layout actually changes: portrait keeps the keypad below */
    char *d1 = h_dump_block(h, 1);
    assert_non_null(d1);
    free(d1);
}

static void test_layout_800x480(void **state)
{
    check_layout(*state, "800x480", 0);
    check_layout(*state, "800x480", 1);
}

static void test_layout_1280x800(void **state)
{
    check_layout(*state, "1280x800", 0);
    check_layout(*state, "1280x800", 1);
}

static void test_layout_1920x1080(void **state)
{
    check_layout(*state, "1920x1080", 0);
    check_layout(*state, "1920x1080", 1);
}

static void test_layout_portrait(void **state)
{
    harness *h = *state;
    check_layout(h, "1080x1920", 0);
    check_layout(h, "1080x1920", 1);
    /* a real portrait layout: on [identify] the keypad sits under the entry,
     * spanning the width, not squeezed to the right */
    assert_int_equal(h_run(h, "tap start\ndump\n", "1080x1920", NULL, 30), 0);
    char l[64];
    char *d = h_dump_block(h, 0);
    const char *k1 = strstr(d, "\nkey-1\t");
    const char *num = strstr(d, "\nnumber\t");
    assert_non_null(k1);
    assert_non_null(num);
    int kx, ky, kw, kh, nx, ny, nw, nh;
    assert_int_equal(sscanf(strchr(k1 + 7, '\t') + 1, "%d %d %d %d", &kx, &ky, &kw, &kh), 4);
    assert_int_equal(sscanf(strchr(num + 8, '\t') + 1, "%d %d %d %d", &nx, &ny, &nw, &nh), 4);
    assert_true(ky > ny + nh);  /* below the entry */
    assert_true(kx < 200);      /* starting at the left margin */
    assert_true(nw > 1080 / 2); /* the entry spans the width */
    free(d);
    (void)l;
}

int main(int argc, char **argv)
{
#ifndef BK_TEST_HOOKS
    puts("SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)");
    return 77;
#endif
    if (argc < 3) {
        fprintf(stderr, "usage: test_screens PATH/TO/bapas-kiosk REF_DIR\n");
        return 2;
    }
    h_kiosk_bin = argv[1];
    ref_dir = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reference_800x480, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reference_1920x1080, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_800x480, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_1280x800, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_1920x1080, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_portrait, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
