/* test_config_deploy.c — the config as the IT person meets it: the example
 * file documents every key and parses clean; each mistake is reported at its
 * own line, with the documented wording, keeping the default (warning) or
 * refusing to start (error). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "printer.h"

static char tmpdir[64];

static int group_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bk-cfgtest-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Write text to a file in tmpdir, load it over the defaults. */
static void load_text(cfg *c, const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    cfg_defaults(c);
    assert_int_equal(cfg_load(c, path), BK_OK);
}

static const cfg_issue *issue_at(const cfg *c, int line)
{
    for (int i = 0; i < c->n_issues; i++)
        if (c->issues[i].line == line) return &c->issues[i];
    return NULL;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* ---- the example file ------------------------------------------------------ */

static void test_example_parses_clean_and_equals_defaults(void **state)
{
    (void)state;
    cfg a, b;
    cfg_defaults(&a);
    assert_int_equal(cfg_load(&a, BK_EXAMPLE_INI), BK_OK);
    for (int i = 0; i < a.n_issues; i++)
        print_error("example issue line %d: %s\n", a.issues[i].line, a.issues[i].msg);
    assert_int_equal(a.n_issues, 0);
    cfg_defaults(&b);
    memset(a.source, 0, sizeof a.source);
    a.printer_line = 0; /* where the key was, not a value */
    /* The example shows every default: loading it changes nothing. */
    assert_memory_equal(&a, &b, sizeof a);
}

/* Every key that config.c understands is in the example, in its section,
 * with at least one comment line explaining it right above. */
static void test_example_documents_every_key(void **state)
{
    (void)state;
    char *src = slurp(BK_CONFIG_C);
    char *ini = slurp(BK_EXAMPLE_INI);
    int keys = 0;
    for (char *p = strstr(src, "IS(\""); p; p = strstr(p + 1, "IS(\"")) {
        char section[32], key[64];
        if (sscanf(p, "IS(\"%31[^\"]\", \"%63[^\"]\")", section, key) != 2) continue;
        if (!strcmp(section, "s")) continue; /* the macro's own definition */
        keys++;
        /* find "[section]" then "key =" before the next section */
        char hdr[40];
        snprintf(hdr, sizeof hdr, "\n[%s]", section);
        char *sec = strstr(ini, hdr);
        if (!sec) fail_msg("section [%s] is not in the example", section);
        char *next = strstr(sec + 1, "\n[");
        size_t klen = strlen(key);
        char *found = NULL;
        for (char *l = sec + 1; l && (!next || l < next); l = strchr(l + 1, '\n')) {
            char *line = l + 1;
            if (!strncmp(line, key, klen) && (line[klen] == ' ' || line[klen] == '=')) {
                found = line;
                break;
            }
        }
        if (!found) fail_msg("key %s.%s is not in the example", section, key);
        /* the line above must be a comment */
        char *prev_end = found - 1; /* the '\n' ending the previous line */
        char *prev = prev_end;
        while (prev > ini && prev[-1] != '\n')
            prev--;
        if (*prev != '#') fail_msg("key %s.%s has no explanation above it", section, key);
    }
    assert_true(keys >= 19); /* the parse of config.c found the keys */
    free(src);
    free(ini);
}

/* ---- mistakes, each at its line ------------------------------------------------ */

static void test_warnings_keep_defaults(void **state)
{
    (void)state;
    cfg c;
    load_text(&c, "w.ini",
              "[kiosk]\n"                                    /* 1 */
              "rotaton = 90\n"                               /* 2 */
              "idle_seconds = 5\n"                           /* 3 */
              "rotation = 45\n"                              /* 4 */
              "sounds = maybe\n"                             /* 5 */
              "language = jv\n"                              /* 6 */
              "exit_pin = 12ab\n"                            /* 7 */
              "id = lobby 1\n"                               /* 8 */
              "[printer]\n"                                  /* 9 */
              "target = lp0\n"                               /* 10 */
              "paper = 70\n"                                 /* 11 */
              "timeout_ms = 99999\n"                         /* 12 */
              "[screen]\n"                                   /* 13 */
              "brightness = 80\n"                            /* 14 */
              "[database]\n"                                 /* 15 */
              "busy_timeout_ms = -1\n"                       /* 16 */
              "[office]\n"                                   /* 17 */
              "name = Bapas Kelas I Jakarta Timur-Utara\n"); /* 18: fine */
    /* core keeps the target as written; the print layer's parser judges it */
    assert_int_equal(c.n_issues, 11);
    assert_null(issue_at(&c, 10));
    assert_int_equal(c.printer_line, 10);
    assert_int_equal(printer_cfg_check(&c), BK_ERR_INVALID);
    cfg d;
    cfg_defaults(&d);
    assert_false(cfg_has_fatal(&c));
    assert_int_equal(c.n_issues, 12);
    static const struct {
        int line;
        const char *msg;
    } want[] = {
        {2, "unknown key \"rotaton\" in section [kiosk]; ignored"},
        {3, "kiosk.idle_seconds: \"5\" is not a whole number from 10 to 600; using 30"},
        {4, "kiosk.rotation: must be 0, 90, 180 or 270; using 0"},
        {5, "kiosk.sounds: \"maybe\" is not yes/no; using yes"},
        {6, "kiosk.language: \"jv\" is not id or en; using id"},
        {7, "kiosk.exit_pin: must be 4 to 15 digits; operator exit disabled"},
        {8, "kiosk.id: use letters, digits, . _ - only; using \"lobby\""},
        {10, "printer.target: \"lp0\" is not a printer target (a device must be an absolute "
             "path); use " PRINTER_TARGET_FORMS "; printing disabled"},
        {11, "printer.paper: must be 58 or 80; using 80"},
        {12, "printer.timeout_ms: \"99999\" is not a whole number from 100 to 3000; using 3000"},
        {14, "unknown section [screen] (key \"brightness\"); ignored"},
        {16, "database.busy_timeout_ms: \"-1\" is not a whole number from 100 to 60000; using "
             "5000"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const cfg_issue *is = issue_at(&c, want[i].line);
        if (!is) fail_msg("no issue at line %d", want[i].line);
        assert_string_equal(is->msg, want[i].msg);
        assert_false(is->fatal);
    }
    /* lines are in order */
    for (int i = 1; i < c.n_issues; i++)
        assert_true(c.issues[i - 1].line <= c.issues[i].line);
    /* the defaults stayed */
    assert_int_equal(c.idle_seconds, d.idle_seconds);
    assert_int_equal(c.rotation, 0);
    assert_int_equal(c.sounds, 1);
    assert_string_equal(c.language, "id");
    assert_string_equal(c.exit_pin, "");
    assert_string_equal(c.kiosk_id, "lobby");
    assert_string_equal(c.printer, "lp0"); /* as written: the print layer refuses it */
    assert_int_equal(c.paper_mm, 80);
    assert_int_equal(c.printer_timeout_ms, 3000);
    assert_int_equal(c.busy_timeout_ms, 5000);
    assert_string_equal(c.office_name, "Bapas Kelas I Jakarta Timur-Utara");
}

static void test_good_values_apply(void **state)
{
    (void)state;
    cfg c;
    load_text(&c, "g.ini",
              "\xEF\xBB\xBF# saved by an editor with a byte order mark\n"
              "[office]\n"
              "timezone = Asia/Makassar\n"
              "[kiosk]\n"
              "rotation = 270\n"
              "sounds = tidak\n"
              "exit_pin = 24680\n"
              "  idle_seconds = 60\n" /* indented: still its own key */
              "[printer]\n"
              "target = [fd00::5]:9100\n"
              "paper = 58\n"
              "[board]\n"
              "show_initials = ya\n");
    for (int i = 0; i < c.n_issues; i++)
        print_error("issue line %d: %s\n", c.issues[i].line, c.issues[i].msg);
    assert_int_equal(c.n_issues, 0);
    assert_int_equal(c.utc_offset_min, 480);
    assert_int_equal(c.rotation, 270);
    assert_int_equal(c.sounds, 0);
    assert_string_equal(c.exit_pin, "24680");
    assert_int_equal(c.idle_seconds, 60);
    assert_string_equal(c.printer, "[fd00::5]:9100");
    assert_int_equal(c.paper_mm, 58);
    assert_int_equal(c.board_show_initials, 1);

    static const char *targets[] = {"none", "/dev/usb/lp0", "192.168.1.50:9100",
                                    "printer.local:9100", "cups:Kasir_58"};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        cfg_defaults(&c);
        cfg_set(&c, "printer", "target", targets[i], 7);
        assert_int_equal(c.n_issues, 0);
        assert_string_equal(c.printer, targets[i]);
    }
    /* A mistyped target is kept as written (no second parser in core): the
     * print layer refuses it, and the doctor names it (test_doctor.sh). */
    static const char *bad_targets[] = {
        "lp0", "host:0", "host:99999", "cups:", "cups:a b", "host", ":9100", "[::1:9100"};
    for (size_t i = 0; i < sizeof bad_targets / sizeof bad_targets[0]; i++) {
        cfg_defaults(&c);
        cfg_set(&c, "printer", "target", bad_targets[i], 7);
        assert_int_equal(c.n_issues, 0);
        assert_string_equal(c.printer, bad_targets[i]);
    }
}

static void test_fatal_errors(void **state)
{
    (void)state;
    cfg c;
    load_text(&c, "f.ini",
              "[office]\n"
              "timezone = Jakarta\n"
              "[database]\n"
              "path = bapas.db\n");
    assert_true(cfg_has_fatal(&c));
    assert_int_equal(c.n_issues, 2);
    assert_int_equal(c.issues[0].line, 2);
    assert_true(c.issues[0].fatal);
    assert_string_equal(c.issues[0].msg,
                        "office.timezone: unknown zone \"Jakarta\" (use Asia/Jakarta, "
                        "Asia/Makassar, Asia/Jayapura or +HH:MM); refusing to start so office "
                        "days are not wrong");
    assert_int_equal(c.issues[1].line, 4);
    assert_true(c.issues[1].fatal);
    assert_string_equal(c.issues[1].msg,
                        "database.path: \"bapas.db\" must be a full path starting with /; "
                        "refusing to start so no second, empty database is made");
    assert_string_equal(c.db_path, CFG_DEFAULT_DB);

    load_text(&c, "f2.ini", "[database]\npath =\n");
    assert_true(cfg_has_fatal(&c));
    assert_int_equal(c.issues[0].line, 2);
    assert_string_equal(c.issues[0].msg, "database.path: empty or too long; refusing to start");

    /* A PostgreSQL server instead of a file (several machines). */
    load_text(&c, "f3.ini",
              "[database]\npath = postgresql://kiosk@db.office.lan/bapas?sslmode=verify-full\n");
    assert_false(cfg_has_fatal(&c));
    assert_string_equal(c.db_path, "postgresql://kiosk@db.office.lan/bapas?sslmode=verify-full");
    load_text(&c, "f4.ini", "[database]\npath = postgres:/db\n");
    assert_true(cfg_has_fatal(&c));
}

static void test_malformed_lines_each_reported(void **state)
{
    (void)state;
    cfg c;
    char longline[400];
    memset(longline, 'x', sizeof longline);
    memcpy(longline, "name = ", 7);
    longline[300] = '\n';
    longline[301] = 0;
    char text[1024];
    snprintf(text, sizeof text,
             "office_name = Bapas\n"        /* 1: outside any section */
             "[office]\n"                   /* 2 */
             "slip_footer = Terima kasih\n" /* 3 */
             "   sampai jumpa\n"            /* 4: not a continuation of line 3 */
             "this is not a setting\n"      /* 5 */
             "neither is this\n"            /* 6 */
             "[printer\n"                   /* 7: no closing ] */
             "paper = 58\n"                 /* 8: lands in [printer] all the same */
             "%s"                           /* 9: too long */
             "[kiosk]\n"                    /* 10 */
             "language = en\n",             /* 11 */
             longline);
    load_text(&c, "m.ini", text);
    const cfg_issue *is;
    assert_non_null(is = issue_at(&c, 1));
    assert_string_equal(is->msg, "key \"office_name\" is outside any [section]; ignored");
    assert_non_null(is = issue_at(&c, 4));
    assert_string_equal(is->msg, "line is not \"key = value\" or \"[section]\"; ignored");
    assert_non_null(is = issue_at(&c, 5));
    assert_string_equal(is->msg, "line is not \"key = value\" or \"[section]\"; ignored");
    assert_non_null(is = issue_at(&c, 6));
    assert_non_null(is = issue_at(&c, 7));
    assert_string_equal(is->msg, "section header \"[printer\" has no closing ]; read as [printer]");
    assert_non_null(is = issue_at(&c, 9));
    assert_string_equal(is->msg, "line is longer than 198 characters; ignored");
    assert_int_equal(c.n_issues, 6);
    assert_false(cfg_has_fatal(&c));
    assert_string_equal(c.slip_footer, "Terima kasih"); /* not replaced by line 4 */
    assert_int_equal(c.paper_mm, 58);
    assert_string_equal(c.language, "en"); /* parsing went on after line 9 */
    assert_string_equal(c.office_name, "Balai Pemasyarakatan");
}

static void test_issue_text(void **state)
{
    (void)state;
    cfg c;
    load_text(&c, "t.ini", "[kiosk]\nrotaton = 1\n[office]\ntimezone = Mars\n");
    char buf[600], want[600];
    cfg_issue_text(&c, 0, buf, sizeof buf);
    snprintf(want, sizeof want,
             "%s/t.ini:2: warning: unknown key \"rotaton\" in section [kiosk]; ignored", tmpdir);
    assert_string_equal(buf, want);
    cfg_issue_text(&c, 1, buf, sizeof buf);
    snprintf(want, sizeof want, "%s/t.ini:4: error: office.timezone: unknown zone", tmpdir);
    assert_memory_equal(buf, want, strlen(want));

    cfg_defaults(&c);
    assert_int_equal(cfg_load(&c, "/nonexistent/kiosk.ini"), BK_ERR_IO);
    cfg_issue_text(&c, 0, buf, sizeof buf);
    assert_string_equal(buf, "config: warning: cannot read config /nonexistent/kiosk.ini: No "
                             "such file or directory");
    cfg_issue_text(&c, 5, buf, sizeof buf); /* out of range: empty */
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_parses_clean_and_equals_defaults),
        cmocka_unit_test(test_example_documents_every_key),
        cmocka_unit_test(test_warnings_keep_defaults),
        cmocka_unit_test(test_good_values_apply),
        cmocka_unit_test(test_fatal_errors),
        cmocka_unit_test(test_malformed_lines_each_reported),
        cmocka_unit_test(test_issue_text),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
