/* The bapasctl contract: command names, global options in either place,
 * exit codes, JSON keys, and bad input refused with exit 4 leaving the
 * database unchanged. Runs the real binary (path in argv[1]). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <jansson.h>

#include "testdb.h"

static const char *bapasctl;
static char dir[256], db[300];

/* Run `bapasctl ARGS` (a shell fragment) with the demo db; capture stdout. */
static int run(char *out, size_t outsz, const char *fmt, ...)
{
    char args[12000], cmd[13000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && env -u BAPAS_DB BAPAS_CONFIG=/dev/null '%s' %s 2>/dev/null", dir, bapasctl,
             args);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, outsz - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static json_t *run_json(int *rc, const char *fmt, ...)
{
    static char out[1 << 20];
    char args[12000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    *rc = run(out, sizeof out, "%s", args);
    json_error_t err;
    json_t *j = json_loads(out, 0, &err); /* exactly one value: trailing text fails */
    if (!j) fail_msg("not one JSON value from `%s`: %s\n%s", args, err.text, out);
    return j;
}

static void assert_keys(json_t *o, const char *const *keys)
{
    assert_true(json_is_object(o));
    for (; *keys; keys++)
        if (!json_object_get(o, *keys)) fail_msg("missing key %s", *keys);
}

static const char *const ticket_keys[] = {"id",          "code",     "token",    "status",
                                          "purpose",     "officer",  "routed",   "position",
                                          "eta_minutes", "existing", "purposes", NULL};

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/bkcli-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(db, sizeof db, "%s/demo.db", dir);
    char out[4096];
    return run(out, sizeof out, "--db demo.db init --demo") == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_global_options_anywhere(void **s)
{
    (void)s;
    int rc;
    json_t *a = run_json(&rc, "--db demo.db --json officer list");
    assert_int_equal(rc, 0);
    json_t *b = run_json(&rc, "officer list --json --db demo.db");
    assert_int_equal(rc, 0);
    json_t *c = run_json(&rc, "officer --db=demo.db list --json");
    assert_int_equal(rc, 0);
    assert_true(json_equal(a, b) && json_equal(b, c));
    assert_true(json_array_size(a) >= 6);
    const char *keys[] = {"id", "name", "room", "active", "present_today", NULL};
    size_t i;
    json_t *o;
    int absent = 0;
    json_array_foreach(a, i, o)
    {
        assert_keys(o, keys);
        if (!json_is_true(json_object_get(o, "present_today"))) absent++;
    }
    assert_int_equal(absent, 1);
    json_decref(a);
    json_decref(b);
    json_decref(c);
    /* BAPAS_DB is used, and --db beats it. */
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && BAPAS_CONFIG=/dev/null BAPAS_DB=demo.db '%s' --json officer list "
             ">/dev/null 2>&1 && BAPAS_CONFIG=/dev/null BAPAS_DB=nonexistent/x.db '%s' "
             "--db demo.db --json officer list >/dev/null 2>&1",
             dir, bapasctl, bapasctl);
    assert_int_equal(system(cmd), 0);
}

static void test_checkin_contract(void **s)
{
    (void)s;
    int rc;
    /* 240001 belongs to PK01 (present). */
    json_t *j = run_json(&rc, "--db demo.db --json checkin 240001 --birth 2001-11-09 "
                              "--purpose report");
    assert_int_equal(rc, 0);
    assert_keys(j, ticket_keys);
    assert_string_equal(json_string_value(json_object_get(j, "code")), "A-001");
    assert_string_equal(json_string_value(json_object_get(j, "routed")), "assigned");
    json_t *off = json_object_get(j, "officer");
    const char *okeys[] = {"id", "name", "room", NULL};
    assert_keys(off, okeys);
    assert_false(json_is_true(json_object_get(j, "existing")));
    json_int_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    j = run_json(&rc, "checkin 240001 --purpose report --birth 2001-11-09 --db demo.db --json");
    assert_int_equal(rc, 0);
    assert_true(json_is_true(json_object_get(j, "existing")));
    assert_false(json_is_true(json_object_get(j, "joined")));
    assert_int_equal(json_integer_value(json_object_get(j, "id")), id);
    json_decref(j);
    /* One visit, one ticket: another purpose joins it (schema 9); "purpose"
     * stays the first, "purposes" lists them all. */
    j = run_json(&rc, "--db demo.db --json checkin 240001 --birth 2001-11-09 --purpose drug-test");
    assert_int_equal(rc, 0);
    assert_true(json_is_true(json_object_get(j, "existing")));
    assert_true(json_is_true(json_object_get(j, "joined")));
    assert_int_equal(json_integer_value(json_object_get(j, "id")), id);
    assert_string_equal(json_string_value(json_object_get(j, "code")), "A-001");
    assert_string_equal(json_string_value(json_object_get(j, "purpose")), "report");
    json_t *ps = json_object_get(j, "purposes");
    assert_int_equal(json_array_size(ps), 2);
    assert_string_equal(json_string_value(json_array_get(ps, 0)), "report");
    assert_string_equal(json_string_value(json_array_get(ps, 1)), "drug-test");
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json show A-001");
    assert_int_equal(rc, 0);
    assert_int_equal(json_array_size(json_object_get(j, "purposes")), 2);
    json_decref(j);
    /* 240003 belongs to PK03, absent today with substitute PK05. */
    j = run_json(&rc, "--db demo.db --json checkin 240003 --birth 1993-04-06 --purpose "
                      "counseling");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(j, "routed")), "substitute");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "officer"), "id")),
                        "PK05");
    json_decref(j);
    /* queue: array of the same objects. */
    j = run_json(&rc, "--db demo.db --json queue");
    assert_int_equal(rc, 0);
    assert_int_equal(json_array_size(j), 2);
    assert_keys(json_array_get(j, 0), ticket_keys);
    for (size_t i = 0; i < 2; i++) { /* A-001 has two purposes, A-002 one */
        json_t *t = json_array_get(j, i);
        const char *code = json_string_value(json_object_get(t, "code"));
        assert_int_equal(json_array_size(json_object_get(t, "purposes")),
                         strcmp(code, "A-001") == 0 ? 2 : 1);
    }
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json queue --officer PK05");
    assert_int_equal(json_array_size(j), 1);
    json_decref(j);
    /* call-next, and the actions by code and by id. */
    j = run_json(&rc, "--db demo.db --json call-next --officer PK01");
    assert_int_equal(rc, 0);
    assert_keys(j, ticket_keys);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "called");
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json call-next --officer PK01");
    assert_int_equal(rc, 3); /* nothing waiting */
    assert_non_null(json_object_get(j, "error"));
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json recall A-001");
    assert_int_equal(rc, 0);
    assert_int_equal(json_integer_value(json_object_get(j, "calls")), 2);
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json done A-001 --outcome counseled");
    assert_int_equal(rc, 5); /* not started */
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json start %lld", (long long)id);
    assert_int_equal(rc, 0);
    json_decref(j);
    char out[65536];
    assert_int_equal(run(out, sizeof out, "--db demo.db done A-001"), 2); /* outcome required */
    j = run_json(&rc, "--db demo.db --json done a-001 --outcome counseled");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(j, "outcome")), "counseled");
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json client show 240001");
    const char *ckeys[] = {
        "no",          "name",   "birth_date", "program", "officer", "report_every_days",
        "last_report", "status", "locked",     NULL};
    assert_keys(j, ckeys);
    assert_true(json_is_string(json_object_get(j, "last_report")));
    json_decref(j);
    /* transfer, priority, cancel, no-show, walkin. */
    j = run_json(&rc, "--db demo.db --json walkin --purpose other --name \"Ibu Sumarni\"");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(j, "routed")), "reception");
    assert_true(json_is_null(json_object_get(j, "officer")));
    /* a walk-in's code: the same daily series (no purpose letter) */
    assert_string_equal(json_string_value(json_object_get(j, "code")), "A-003");
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json transfer A-003 --to PK02 --reason \"bisa dibantu\"");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "officer"), "id")),
                        "PK02");
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json priority A-003");
    assert_int_equal(rc, 0);
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json no-show A-003");
    assert_int_equal(rc, 0);
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json cancel A-003");
    assert_int_equal(rc, 5);
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json cancel Z-999");
    assert_int_equal(rc, 3);
    json_decref(j);
}

static void test_exit_codes_and_bad_input(void **s)
{
    (void)s;
    store *st = NULL;
    char err[256];
    assert_int_equal(store_open(db, NULL, &st, err, sizeof err), BK_OK);
    int audit0 = 0;
    assert_int_equal(store_audit_list(st, 0, 0, 0, testdb_count_audit_cb, &audit0), BK_OK);

    char out[65536];
    static char big[12000];
    memset(big, 'A', 10000);
    big[10000] = 0;
    struct {
        int rc;
        const char *args;
    } cases[] = {
        {3, "checkin 999999 --birth 2001-11-09 --purpose report"},
        {4, "checkin 240002 --birth 2023-02-30 --purpose report"},
        {4, "checkin 240002 --birth 1990-01-01 --purpose dance"},
        {4, "checkin '24 0002' --birth 1990-01-01 --purpose report"},
        {4, "checkin \"240002'; DROP TABLE clients;--\" --birth 1990-01-01 --purpose report"},
        {4, "client add --no N1 --name \"$(printf 'bad\\377')\" --birth 1990-01-01 --officer PK01"},
        {4, "client add --no N1 --name \"$(printf 'ctl\\007char')\" --birth 1990-01-01 --officer "
            "PK01"},
        {4, "client add --no N1 --name Ok --birth 1990-02-30 --officer PK01"},
        {4, "client add --no N1 --name Ok --birth 1990-01-01 --officer PK01 --program XX"},
        {3, "client add --no N1 --name Ok --birth 1990-01-01 --officer PK99"},
        {4, "officer add --id 'bad id' --name X"},
        {4, "walkin --purpose other --name \"$(printf 'line\\nbreak')\""},
        {2, "checkin 240002"},
        {2, "frobnicate"},
        {2, "queue --bogus"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = run(out, sizeof out, "--db demo.db %s", cases[i].args);
        if (rc != cases[i].rc)
            fail_msg("`%s` exited %d, expected %d", cases[i].args, rc, cases[i].rc);
    }
    /* 240060 is the ended demo client: check its real birth date gives 5. */
    store_client c;
    assert_int_equal(store_client_get(st, "240060", &c), BK_OK);
    int rc =
        run(out, sizeof out, "--db demo.db checkin 240060 --birth %s --purpose report", c.birth);
    assert_int_equal(rc, 5);
    /* 10,000-character strings. */
    assert_int_equal(run(out, sizeof out,
                         "--db demo.db client add --no N2 --name %s --birth "
                         "1990-01-01 --officer PK01",
                         big),
                     4);
    assert_int_equal(run(out, sizeof out, "--db demo.db walkin --purpose other --name %s", big), 4);
    assert_int_equal(run(out, sizeof out,
                         "--db demo.db checkin %s --birth 1990-01-01 --purpose "
                         "report",
                         big),
                     4);
    /* Nothing was written by any refused command, except the counted failed
     * birth-date attempts (one per wrong date; 999999 counts too). */
    int audit1 = 0;
    assert_int_equal(store_audit_list(st, 0, 0, 0, testdb_count_audit_cb, &audit1), BK_OK);
    assert_int_equal(audit1, audit0 + 1);
    assert_int_equal(store_client_get(st, "N1", &c), BK_ERR_NOT_FOUND);
    assert_int_equal(store_client_get(st, "N2", &c), BK_ERR_NOT_FOUND);
    /* A name with SQL metacharacters is stored verbatim. */
    assert_int_equal(run(out, sizeof out,
                         "--db demo.db client add --no N3 --name \"H. Ahmad, "
                         "S.H. '; DROP TABLE clients;--\" --birth 1990-01-01 "
                         "--officer PK01"),
                     0);
    assert_int_equal(store_client_get(st, "N3", &c), BK_OK);
    assert_string_equal(c.name, "H. Ahmad, S.H. '; DROP TABLE clients;--");
    /* --json errors are one JSON object. */
    int jrc;
    json_t *j = run_json(&jrc, "--db demo.db --json checkin 999999 --birth 2001-11-09 --purpose "
                               "report");
    assert_int_equal(jrc, 3);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "not_found");
    json_decref(j);
    store_close(st);
}

static void test_lockout_via_cli(void **s)
{
    (void)s;
    char out[65536];
    for (int i = 0; i < 4; i++)
        assert_int_equal(
            run(out, sizeof out, "--db demo.db checkin 240010 --birth 1999-09-09 --purpose report"),
            4);
    int rc;
    json_t *j = run_json(&rc, "--db demo.db --json checkin 240010 --birth 1999-09-09 --purpose "
                              "report");
    assert_int_equal(rc, 4);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "locked");
    json_decref(j);
    j = run_json(&rc, "--db demo.db --json client show 240010");
    assert_true(json_is_true(json_object_get(j, "locked")));
    json_decref(j);
    assert_int_equal(run(out, sizeof out, "--db demo.db client unlock 240010"), 0);
    j = run_json(&rc, "--db demo.db --json client show 240010");
    assert_true(json_is_false(json_object_get(j, "locked")));
    json_decref(j);
}

/* A walk-in whose answer is lost twice (BK_FAULT_LOST_ACK: the insert and
 * the re-check) fails with exit 1 and names its request key; running it
 * again with --key KEY returns that ticket instead of making a second one. */
static size_t count_purpose(const char *purpose)
{
    int rc;
    json_t *j = run_json(&rc, "--db demo.db --json queue --all");
    assert_int_equal(rc, 0);
    size_t i, n = 0;
    json_t *o;
    json_array_foreach(j, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "purpose")), purpose) == 0) n++;
    }
    json_decref(j);
    return n;
}

static void test_walkin_key_retry(void **s)
{
    (void)s;
#ifndef BK_TEST_HOOKS
    skip(); /* no BK_FAULT_LOST_ACK in this build */
#endif
    int rc;
    size_t before = count_purpose("litmas");
    assert_int_equal(setenv("BK_FAULT_LOST_ACK", "1,2", 1), 0);
    json_t *j = run_json(&rc, "--db demo.db --json walkin --purpose litmas");
    unsetenv("BK_FAULT_LOST_ACK");
    assert_int_equal(rc, 1);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "io");
    const char *msg = json_string_value(json_object_get(j, "message"));
    assert_non_null(msg);
    const char *k = strstr(msg, "--key ");
    assert_non_null(k);
    char key[27];
    snprintf(key, sizeof key, "%s", k + 6);
    assert_int_equal(strlen(key), 26);
    json_decref(j);

    j = run_json(&rc, "--db demo.db --json walkin --purpose litmas --key %s", key);
    assert_int_equal(rc, 0);
    assert_true(json_is_true(json_object_get(j, "existing")));
    assert_string_equal(json_string_value(json_object_get(j, "token")), key);
    json_decref(j);

    char out[4096];
    assert_int_equal(run(out, sizeof out, "--db demo.db walkin --purpose other --key %s", key), 4);
    assert_int_equal(run(out, sizeof out, "--db demo.db walkin --purpose litmas --key abc"), 4);
    assert_int_equal(count_purpose("litmas"), before + 1); /* exactly one more */
}

/* Officer ids are compared without case wherever a person types them, and
 * stored in one form; dates are also typed DD-MM-YYYY. */
static void test_officer_case_and_dates(void **s)
{
    (void)s;
    int rc;
    json_t *a = run_json(&rc, "--db demo.db --json queue --officer PK05 --all");
    assert_int_equal(rc, 0);
    json_t *b = run_json(&rc, "--db demo.db --json queue --officer pk05 --all");
    assert_int_equal(rc, 0);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    b = run_json(&rc, "--db demo.db --json officer add --id pk77 --name 'Petugas Baru'");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(b, "id")), "PK77"); /* canonical */
    json_decref(b);
    b = run_json(&rc, "--db demo.db --json officer add --id Pk77 --name 'Petugas Lain'");
    assert_int_equal(rc, 4); /* the same officer: exists */
    json_decref(b);
    /* A client added with a DD-MM-YYYY birth date and a lower-case officer. */
    b = run_json(&rc,
                 "--db demo.db --json client add --no 247777 --name 'Klien Uji' --birth 03-02-1980 "
                 "--officer pk77 --program CB");
    assert_int_equal(rc, 0);
    json_decref(b);
    b = run_json(&rc, "--db demo.db --json client show 247777");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(b, "birth_date")), "1980-02-03");
    json_decref(b);
    /* Check-in by DD/MM/YYYY is the same client and the same ticket. */
    a = run_json(&rc, "--db demo.db --json checkin 247777 --birth 3/2/1980 --purpose report");
    assert_int_equal(rc, 0);
    b = run_json(&rc, "--db demo.db --json checkin 247777 --birth 1980-02-03 --purpose report");
    assert_int_equal(rc, 0);
    assert_int_equal(json_integer_value(json_object_get(a, "id")),
                     json_integer_value(json_object_get(b, "id")));
    assert_true(json_is_true(json_object_get(b, "existing")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(b, "officer"), "id")),
                        "PK77");
    json_decref(a);
    json_decref(b);
    /* Ambiguous or impossible dates are refused with a clear message. */
    static const char *const bad[][2] = {{"03-02-80", "four-digit year"},
                                         {"31-02-1980", "not a real date"},
                                         {"1980/02/03", "DD-MM-YYYY"},
                                         {"03.02.1980", "DD-MM-YYYY"},
                                         {"03-02/1980", "DD-MM-YYYY"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = run_json(&rc, "--db demo.db --json checkin 247777 --birth '%s' --purpose report",
                     bad[i][0]);
        assert_int_equal(rc, 4);
        const char *m = json_string_value(json_object_get(b, "message"));
        if (!m || !strstr(m, bad[i][1])) fail_msg("%s: message \"%s\"", bad[i][0], m ? m : "");
        json_decref(b);
    }
    /* Presence for a typed day and officer, read back in canonical form. */
    b = run_json(&rc, "--db demo.db --json officer presence pk77 absent --substitute pk05 "
                      "--date 31-12-2030");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(b, "officer")), "PK77");
    assert_string_equal(json_string_value(json_object_get(b, "date")), "2030-12-31");
    json_decref(b);
    /* "reception" stays the reception queue in any case. */
    b = run_json(&rc, "--db demo.db --json queue --officer RECEPTION");
    assert_int_equal(rc, 0);
    json_decref(b);
}

/* `ENV bapasctl ARGS` with the demo db: stdout + stderr into out. */
static int run_env(char *out, size_t outsz, const char *env, const char *args)
{
    char cmd[2000];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && env -u BAPAS_DB -u LC_ALL -u LC_MESSAGES -u LANG BAPAS_CONFIG=/dev/null "
             "%s '%s' --db demo.db %s 2>&1",
             dir, env, bapasctl, args);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, outsz - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Messages in Indonesian when the locale or [office] language says so;
 * the JSON keys, error codes and exit codes stay the same. */
static void test_indonesian_messages(void **s)
{
    (void)s;
    static char out[16384];
    char ini_id[400], ini_en[400], env[600];
    snprintf(ini_id, sizeof ini_id, "%s/id.ini", dir);
    snprintf(ini_en, sizeof ini_en, "%s/en.ini", dir);
    FILE *f = fopen(ini_id, "w");
    assert_non_null(f);
    fputs("[office]\nlanguage = id\n", f);
    assert_int_equal(fclose(f), 0);
    f = fopen(ini_en, "w");
    assert_non_null(f);
    fputs("[office]\nlanguage = en\n", f);
    assert_int_equal(fclose(f), 0);

    /* not found, under LANG=id_ID.UTF-8: text and --json */
    assert_int_equal(run_env(out, sizeof out, "LANG=id_ID.UTF-8", "client show 999999"), 3);
    if (!strstr(out, "client show: 999999 tidak ditemukan")) fail_msg("not Indonesian: %s", out);
    assert_int_equal(run_env(out, sizeof out, "LANG=id_ID.UTF-8", "--json client show 999999"), 3);
    json_t *j = json_loads(strchr(out, '{'), JSON_DISABLE_EOF_CHECK, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "not_found");
    assert_int_equal(json_integer_value(json_object_get(j, "exit_code")), 3);
    assert_string_equal(json_string_value(json_object_get(j, "message")),
                        "client show: 999999 tidak ditemukan");
    json_decref(j);
    /* invalid input: the field and the reason */
    assert_int_equal(run_env(out, sizeof out, "LANG=id_ID.UTF-8",
                             "checkin 240001 --birth 31-02-1990 --purpose report"),
                     4);
    if (!strstr(out, "tanggal lahir bukan tanggal yang ada")) fail_msg("invalid: %s", out);
    /* usage errors, and the help */
    assert_int_equal(run_env(out, sizeof out, "LC_MESSAGES=id_ID.UTF-8", "checkin"), 2);
    if (!strstr(out, "cara pakai: bapasctl checkin")) fail_msg("usage: %s", out);
    assert_int_equal(run_env(out, sizeof out, "LANG=id_ID.UTF-8", "frobnicate"), 2);
    if (!strstr(out, "perintah \"frobnicate\" tidak dikenal")) fail_msg("unknown: %s", out);
    assert_int_equal(run_env(out, sizeof out, "LANG=id_ID.UTF-8", "checkin --help"), 0);
    if (!strstr(out, "lapor diri klien") || !strstr(out, "opsi:")) fail_msg("help: %s", out);
    /* [office] language = id with an English locale */
    snprintf(env, sizeof env, "LANG=en_US.UTF-8 BAPAS_CONFIG='%s'", ini_id);
    assert_int_equal(run_env(out, sizeof out, env, "client show 999999"), 3);
    if (!strstr(out, "tidak ditemukan")) fail_msg("[office] language = id: %s", out);
    /* ... and language = en beats an Indonesian locale; LC_ALL beats LANG */
    snprintf(env, sizeof env, "LANG=id_ID.UTF-8 BAPAS_CONFIG='%s'", ini_en);
    assert_int_equal(run_env(out, sizeof out, env, "client show 999999"), 3);
    if (!strstr(out, "client show: 999999 not found")) fail_msg("[office] language = en: %s", out);
    assert_int_equal(run_env(out, sizeof out, "LANG=id_ID.UTF-8 LC_ALL=C", "client show 999999"),
                     3);
    if (!strstr(out, "client show: 999999 not found")) fail_msg("LC_ALL=C: %s", out);
    /* no locale at all: English */
    assert_int_equal(run_env(out, sizeof out, "", "client show 999999"), 3);
    if (!strstr(out, "client show: 999999 not found")) fail_msg("no locale: %s", out);
}

/* `bapasctl COMMAND --help` for every command of `bapasctl --help` (and
 * the subcommands with options): exit 0, the command's own usage line,
 * every option of its table named in that line with its placeholder, the
 * same text as `bapasctl help COMMAND`, and no database opened. */
static void check_help(const char *cmdline)
{
    static char a[16384], b[16384];
    char path[400];
    snprintf(path, sizeof path, "%s/help-never.db", dir);
    int rc = run(a, sizeof a, "--db help-never.db %s --help", cmdline);
    if (rc != 0) fail_msg("`%s --help` exited %d:\n%s", cmdline, rc, a);
    char want[200];
    snprintf(want, sizeof want, "usage: bapasctl %s", cmdline);
    const char *word = strchr(cmdline, ' ');
    size_t n = word ? (size_t)(word - cmdline) : strlen(cmdline);
    if (strncmp(a, want, strlen("usage: bapasctl ") + n) != 0)
        fail_msg("`%s --help` does not start with its usage:\n%s", cmdline, a);
    if (!strstr(a, "global options: --db PATH"))
        fail_msg("`%s --help`: no global options", cmdline);
    char usage[1024];
    const char *nl = strchr(a, '\n');
    snprintf(usage, sizeof usage, "%.*s", nl ? (int)(nl - a) : (int)strlen(a), a);
    const char *opts = strstr(a, "\noptions:\n");
    size_t n_opts = 0;
    for (const char *l = opts ? opts + 10 : NULL; l && strncmp(l, "  --", 4) == 0; n_opts++) {
        char name[64], val[64] = "";
        if (sscanf(l, "  %63s %63[^\n]", name, val) < 1) break;
        if (!strstr(usage, name))
            fail_msg("`%s --help`: %s is not in the usage line", cmdline, name);
        if (strcmp(val, "VALUE") == 0)
            fail_msg("`%s --help`: the usage line gives %s no placeholder", cmdline, name);
        l = strchr(l, '\n');
        if (l) l++;
    }
    rc = run(b, sizeof b, "--db help-never.db help %s", cmdline);
    assert_int_equal(rc, 0);
    if (strcmp(a, b) != 0) fail_msg("`help %s` differs from `%s --help`", cmdline, cmdline);
    /* --json: the same help as one object */
    json_t *j = run_json(&rc, "--json --db help-never.db %s --help", cmdline);
    if (rc != 0) fail_msg("`--json %s --help` exited %d", cmdline, rc);
    static const char *const help_keys[] = {
        "command", "usage", "description", "options", "global_options", "exit_codes", NULL};
    assert_keys(j, help_keys);
    const char *cmd = json_string_value(json_object_get(j, "command"));
    const char *ju = json_string_value(json_object_get(j, "usage"));
    if (!cmd || strlen(cmd) != n || strncmp(cmd, cmdline, n) != 0)
        fail_msg("`--json %s --help`: command \"%s\"", cmdline, cmd ? cmd : "(none)");
    if (!ju || strncmp(ju, usage + strlen("usage: "), strlen(usage + strlen("usage: "))) != 0)
        fail_msg("`--json %s --help`: usage \"%s\" is not the text's \"%s\"", cmdline,
                 ju ? ju : "(none)", usage);
    json_t *jo = json_object_get(j, "options");
    if (json_array_size(jo) != n_opts)
        fail_msg("`--json %s --help`: %zu options, the text lists %zu", cmdline,
                 json_array_size(jo), n_opts);
    if (strcmp(json_string_value(json_object_get(json_object_get(j, "exit_codes"), "2")) ?: "",
               "usage") != 0)
        fail_msg("`--json %s --help`: exit code 2 is not usage", cmdline);
    json_decref(j);
    if (access(path, F_OK) == 0) fail_msg("`%s --help` created a database", cmdline);
}

static void test_help_every_command(void **s)
{
    (void)s;
    static char out[16384];
    assert_int_equal(run(out, sizeof out, "--help"), 0);
    const char *p = strstr(out, "commands:\n");
    assert_non_null(p);
    int n = 0;
    for (p += 10; strncmp(p, "  ", 2) == 0; n++) {
        char name[32];
        assert_int_equal(sscanf(p, "  %31s", name), 1);
        check_help(name);
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    assert_true(n >= 26);
    static const char *const subs[] = {"officer add", "officer presence", "client add",
                                       "roster set",  "roster weekly",    "roster list"};
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        check_help(subs[i]);
    /* A word after --help does not run anything either. */
    assert_int_equal(run(out, sizeof out, "--db help-never.db client show --help 240001"), 0);
    assert_null(strstr(out, "240001"));
    assert_int_equal(run(out, sizeof out, "help no-such-command"), 2);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_cli PATH-TO-BAPASCTL\n");
        return 2;
    }
    bapasctl = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_global_options_anywhere),  cmocka_unit_test(test_checkin_contract),
        cmocka_unit_test(test_exit_codes_and_bad_input), cmocka_unit_test(test_lockout_via_cli),
        cmocka_unit_test(test_walkin_key_retry),         cmocka_unit_test(test_help_every_command),
        cmocka_unit_test(test_officer_case_and_dates),   cmocka_unit_test(test_indonesian_messages),
    };
    return cmocka_run_group_tests_name("bapasctl contract", tests, setup, teardown);
}
