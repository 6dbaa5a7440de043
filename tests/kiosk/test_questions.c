/* test_questions — the wajib lapor questions (issue 12 item 9) on the real
 * binaries: bapas-kiosk (kiosk, desk and board modes) and bapasctl, against
 * a fresh demo office, each checked on the screen (dump) and in the
 * database.
 *
 *   - a report visit walks through every question, one per screen, with
 *     back; the answers are stored with the ticket;
 *   - a "Ya" reaches the desk (its dump and bapasctl's JSON `flags`) and is
 *     absent from every board dump, the slip (printed bytes and `slip
 *     --json` lines), the kiosk's log and the audit trail;
 *   - other purposes never see a question;
 *   - `bapasctl questions` lists and changes them, and the kiosk asks what
 *     the office set, in the client's language;
 *   - `bapasctl report flags` counts the flags per question.
 *
 * usage: test_questions PATH/TO/bapas-kiosk PATH/TO/bapasctl
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

#include "harness.h"
#include "queue.h"
#include "store_answers.h"

#define S_SZ 16384

static const char *ctl_bin;

static const char *const Q_ID[4] = {
    "Apakah alamat Anda berubah?",
    "Apakah pekerjaan Anda berubah?",
    "Apakah Anda berurusan dengan polisi sejak lapor terakhir?",
    "Apakah Anda butuh bantuan (kesehatan, pekerjaan, keluarga)?",
};
static const char *const Q_EN[4] = {
    "Has your address changed?",
    "Has your job changed?",
    "Have you had any dealings with the police since your last report?",
    "Do you need help (health, work, family)?",
};

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

static void label(harness *h, int dump, const char *id, char *out, size_t n)
{
    if (h_dump_label(h, dump, id, out, n) != 0)
        fail_msg("dump %d has no widget \"%s\":\n%s", dump, id, h->out ? h->out : "");
}

static void screen_is(harness *h, int dump, const char *want)
{
    char s[64];
    assert_int_equal(h_dump_screen(h, dump, s, sizeof s), 0);
    assert_string_equal(s, want);
}

/* Run bapasctl with args on the harness's database and config; stdout
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

/* Nothing of the answers in text: no question, and no "Ya" label. */
static void no_answers_in(const char *what, const char *text)
{
    if (!text) return;
    for (int i = 0; i < 4; i++)
        if (strstr(text, Q_ID[i]) || strstr(text, Q_EN[i]))
            fail_msg("%s shows question %d:\n%s", what, i + 1, text);
    if (strstr(text, "\tYa\t") || strstr(text, "answer-yes") || strstr(text, "Ya: ") ||
        strstr(text, "Perlu dibicarakan") || strstr(text, "\"flags\""))
        fail_msg("%s shows an answer:\n%s", what, text);
}

static void test_report_walks_every_question(void **state)
{
    harness *h = *state;
    /* the slip goes to a file (the printer's device), to read what it printed */
    char dev[400], ini[600];
    snprintf(dev, sizeof dev, "%s/lp0", h->dir);
    FILE *f = fopen(dev, "w");
    assert_non_null(f);
    fclose(f);
    f = fopen(h->config, "a");
    assert_non_null(f);
    snprintf(ini, sizeof ini, "[printer]\ntarget = %s\npaper = 58\n", dev);
    fputs(ini, f);
    fclose(f);

    char no[STORE_ID_SZ], b[9], s[S_SZ];
    h_client(0, no, b);
    snprintf(s, sizeof s,
             "tap start\ntype %s\\n\ntype %s\\n\nexpect purpose\ntap purpose-report\n"
             "expect question\ndump\n"                          /* 0: question 1 */
             "tap answer-no\nexpect question\ndump\n"           /* 1: question 2 */
             "tap back\nexpect question\ndump\n"                /* 2: question 1 again */
             "tap answer-no\ntap answer-no\ndump\n"             /* 3: question 3 */
             "tap answer-yes\ndump\n"                           /* 4: question 4 */
             "tap answer-no\nexpect ticket\nwait 1500\ndump\n", /* 5: the ticket */
             no, b);
    assert_int_equal(h_run(h, s, NULL, NULL, 60), 0);
    char l[400];
    static const int shown[5] = {0, 1, 0, 2, 3};
    for (int d = 0; d < 5; d++) {
        screen_is(h, d, "question");
        label(h, d, "question", l, sizeof l);
        assert_string_equal(l, Q_ID[shown[d]]);
        char want[64];
        snprintf(want, sizeof want, "Pertanyaan %d dari 4", shown[d] + 1);
        label(h, d, "progress", l, sizeof l);
        assert_string_equal(l, want);
        label(h, d, "answer-yes", l, sizeof l);
        assert_string_equal(l, "Ya");
        label(h, d, "answer-no", l, sizeof l);
        assert_string_equal(l, "Tidak");
        /* back from the second question on, never on the first */
        assert_int_equal(h_dump_label(h, d, "back", l, sizeof l), shown[d] ? 0 : -1);
    }
    screen_is(h, 5, "ticket");
    char code[32];
    label(h, 5, "code", code, sizeof code);
    /* the database: the ticket and its four answers, "Ya" to question 3 */
    store_ticket t;
    assert_int_equal(h_find_ticket(h, no, BK_PURPOSE_REPORT, &t), 0);
    assert_string_equal(t.code, code);
    store_answer a[STORE_QUESTIONS_MAX];
    int n = 0;
    assert_int_equal(store_answers_get(h->st, t.id, a, STORE_QUESTIONS_MAX, &n), BK_OK);
    assert_int_equal(n, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(a[i].question_id, i + 1);
        assert_int_equal(a[i].answer, i == 2);
    }
    assert_int_equal(h_count_audit(h, "answers"), 1);
    /* not on the kiosk's screens after the questions, not in its log */
    const char *after = strstr(h->out, "screen=ticket");
    assert_non_null(after);
    no_answers_in("the [ticket] screen", after);
    no_answers_in("the kiosk's log", h->err);
    /* not on the printed slip */
    /* the slip went out (a raster image: its text is checked in its
     * layout model, `slip --json` lines, which is what the printer draws) */
    FILE *sf = fopen(dev, "rb");
    assert_non_null(sf);
    assert_int_equal(fseek(sf, 0, SEEK_END), 0);
    assert_true(ftell(sf) > 1000);
    fclose(sf);
    char args[600];
    snprintf(args, sizeof args, "--json slip %s --lang id --png '%s/slip.png'", code, h->dir);
    json_t *j = ctl_json(h, args);
    char *dumped = json_dumps(j, 0);
    assert_non_null(strstr(dumped, code)); /* this ticket's slip */
    no_answers_in("bapasctl slip --json", dumped);
    free(dumped);
    json_decref(j);
    /* nor in the audit trail */
    char *out = NULL;
    assert_int_equal(ctl(h, "--json audit", &out), 0);
    no_answers_in("the audit trail", out);
    assert_non_null(strstr(out, "questions=4"));
    free(out);

    /* the board: every dump, in both languages and at two sizes */
    const char *bargs[] = {"--mode", "board", NULL};
    assert_int_equal(h_run(h, "expect board\ndump\nwait 300\ndump\n", "1280x720", bargs, 60), 0);
    assert_true(strstr(h->out, code) != NULL); /* the ticket is there, waiting */
    no_answers_in("the board", h->out);
    no_answers_in("the board's log", h->err);
    assert_int_equal(h_run(h, "expect board\ndump\n", "1920x1080", bargs, 60), 0);
    no_answers_in("the board (1920x1080)", h->out);

    /* the desk of the ticket's PK: the flag, with its question */
    const char *dargs[] = {"--mode", "desk", "--officer", t.officer, NULL};
    snprintf(s, sizeof s, "expect desk\ndump\ntap ticket-%s\nexpect desk\ndump\n", code);
    assert_int_equal(h_run(h, s, "1280x800", dargs, 60), 0);
    char row_id[64];
    snprintf(row_id, sizeof row_id, "ticket-%s", code);
    label(h, 0, row_id, l, sizeof l);
    if (!strstr(l, "Ya: 1")) fail_msg("the desk's row has no flag count: %s", l);
    label(h, 1, "current", l, sizeof l);
    assert_string_equal(l, code);
    label(h, 1, "current-flags", l, sizeof l);
    assert_non_null(strstr(l, "Perlu dibicarakan (Ya)"));
    assert_non_null(strstr(l, Q_ID[2]));
    assert_null(strstr(l, Q_ID[0]));
    /* bapasctl (staff): the flags key of show and queue */
    snprintf(args, sizeof args, "--json show %s", code);
    j = ctl_json(h, args);
    json_t *fl = json_object_get(j, "flags");
    assert_true(json_is_object(fl));
    assert_true(json_is_true(json_object_get(fl, "answered")));
    json_t *yes = json_object_get(fl, "yes");
    assert_int_equal(json_array_size(yes), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(yes, 0), "id")), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(yes, 0), "text_id")),
                        Q_ID[2]);
    json_decref(j);
    j = ctl_json(h, "--json queue");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(j); i++) {
        json_t *v = json_array_get(j, i);
        if (strcmp(json_string_value(json_object_get(v, "code")), code) == 0) {
            seen = 1;
            assert_int_equal(json_array_size(json_object_get(json_object_get(v, "flags"), "yes")),
                             1);
        } else if (strcmp(json_string_value(json_object_get(v, "purpose")), "report") != 0) {
            assert_true(json_is_null(json_object_get(v, "flags")));
        }
    }
    assert_true(seen);
    json_decref(j);

    /* the report counts the flags per question */
    j = ctl_json(h, "--json report flags --from 2026-12-07 --to 2026-12-07");
    json_t *rows = json_object_get(j, "rows");
    assert_int_equal(json_array_size(rows), 4);
    json_t *total = json_object_get(j, "total");
    if (json_is_array(total)) total = json_array_get(total, 0);
    assert_int_equal(json_integer_value(json_object_get(total, "answered")), 1);
    for (int i = 0; i < 4; i++) {
        json_t *r = json_array_get(rows, (size_t)i);
        assert_int_equal(json_integer_value(json_object_get(r, "question")), i + 1);
        assert_int_equal(json_integer_value(json_object_get(r, "answered")), 1);
        assert_int_equal(json_integer_value(json_object_get(r, "yes")), i == 2);
    }
    json_decref(j);
}

/* Other purposes never ask; a client who walks away leaves the ticket
 * unanswered, which the desk says. */
static void test_skip_and_walk_away(void **state)
{
    harness *h = *state;
    char no[STORE_ID_SZ], b[9], no2[STORE_ID_SZ], b2[9], s[S_SZ];
    h_client(1, no, b);
    h_client(3, no2, b2);
    snprintf(s, sizeof s,
             "tap start\ntype %s\\n\ntype %s\\n\nexpect purpose\ntap purpose-counseling\n"
             "expect ticket\ndump\ntap done\n" /* 0 */
             "tap start\ntype %s\\n\ntype %s\\n\nexpect purpose\ntap purpose-report\n"
             "expect question\ntap answer-yes\ndump\n" /* 1: then the client leaves */
             "wait 31000\nexpect welcome\ndump\n",     /* 2 */
             no, b, no2, b2);
    assert_int_equal(h_run(h, s, NULL, NULL, 90), 0);
    screen_is(h, 0, "ticket");
    screen_is(h, 1, "question");
    screen_is(h, 2, "welcome");
    /* the counseling ticket never saw a question */
    char *d0 = h_dump_block(h, 0);
    assert_null(strstr(d0, "answer-"));
    free(d0);
    store_ticket t;
    assert_int_equal(h_find_ticket(h, no2, BK_PURPOSE_REPORT, &t), 0);
    store_answer a[STORE_QUESTIONS_MAX];
    int n = -1;
    assert_int_equal(store_answers_get(h->st, t.id, a, STORE_QUESTIONS_MAX, &n), BK_OK);
    assert_int_equal(n, 0); /* the ticket stands, not answered */
    assert_int_equal(h_count_audit(h, "answers"), 0);
    const char *dargs[] = {"--mode", "desk", "--officer", t.officer, NULL};
    snprintf(s, sizeof s, "expect desk\ntap ticket-%s\nexpect desk\ndump\n", t.code);
    assert_int_equal(h_run(h, s, "1280x800", dargs, 60), 0);
    char l[400];
    label(h, 0, "current-flags", l, sizeof l);
    assert_string_equal(l, "Pertanyaan lapor belum dijawab.");
}

/* The office's own questions: bapasctl sets them, the kiosk asks them (in
 * the client's language), a disabled one is not asked. */
static void test_office_questions(void **state)
{
    harness *h = *state;
    char *out = NULL;
    assert_int_equal(ctl(h, "questions disable 2", &out), 0);
    free(out);
    assert_int_equal(ctl(h, "questions disable 3", &out), 0);
    free(out);
    assert_int_equal(ctl(h, "questions disable 4", &out), 0);
    free(out);
    assert_int_equal(ctl(h,
                         "questions add --text-id 'Apakah nomor HP Anda berubah?' "
                         "--text-en 'Has your phone number changed?' --pos 2",
                         &out),
                     0);
    free(out);
    assert_int_equal(ctl(h, "questions set 1 --text-en 'Did you move house?'", &out), 0);
    free(out);
    json_t *j = ctl_json(h, "--json questions list");
    assert_int_equal(json_integer_value(json_object_get(j, "count")), 5);
    assert_int_equal(json_integer_value(json_object_get(j, "active")), 2);
    json_decref(j);
    /* bad input: a clear message, exit 4 or 3, nothing changed */
    assert_int_equal(ctl(h, "questions set 9 --pos 1 2>/dev/null", &out), 3);
    free(out);
    assert_int_equal(ctl(h, "questions add --text-id '' --text-en x 2>/dev/null", &out), 4);
    free(out);
    assert_int_equal(ctl(h, "questions set 1 --pos 100 2>/dev/null", &out), 4);
    free(out);
    char no[STORE_ID_SZ], b[9], s[S_SZ];
    h_client(0, no, b);
    snprintf(s, sizeof s,
             "tap start\ntap lang\ntype %s\\n\ntype %s\\n\nexpect purpose\ntap purpose-report\n"
             "expect question\ndump\ntap answer-no\ndump\ntap answer-yes\nexpect ticket\ndump\n",
             no, b);
    assert_int_equal(h_run(h, s, NULL, NULL, 60), 0);
    char l[400];
    label(h, 0, "question", l, sizeof l);
    assert_string_equal(l, "Did you move house?");
    label(h, 0, "progress", l, sizeof l);
    assert_string_equal(l, "Question 1 of 2");
    label(h, 1, "question", l, sizeof l);
    assert_string_equal(l, "Has your phone number changed?");
    label(h, 1, "answer-yes", l, sizeof l);
    assert_string_equal(l, "Yes");
    screen_is(h, 2, "ticket");
    store_ticket t;
    assert_int_equal(h_find_ticket(h, no, BK_PURPOSE_REPORT, &t), 0);
    store_answer a[STORE_QUESTIONS_MAX];
    int n = 0;
    assert_int_equal(store_answers_get(h->st, t.id, a, STORE_QUESTIONS_MAX, &n), BK_OK);
    assert_int_equal(n, 2);
    assert_int_equal(a[0].question_id, 1);
    assert_int_equal(a[0].answer, 0);
    assert_int_equal(a[1].question_id, 5);
    assert_int_equal(a[1].answer, 1);
}

int main(int argc, char **argv)
{
#ifndef BK_TEST_HOOKS
    puts("SKIP: needs the test hooks (BAPAS_NOW)");
    return 77;
#endif
    if (argc < 3) {
        fprintf(stderr, "usage: test_questions PATH/TO/bapas-kiosk PATH/TO/bapasctl\n");
        return 2;
    }
    h_kiosk_bin = argv[1];
    ctl_bin = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_report_walks_every_question, setup, teardown),
        cmocka_unit_test_setup_teardown(test_skip_and_walk_away, setup, teardown),
        cmocka_unit_test_setup_teardown(test_office_questions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
