/* test_cli_data.c — the bapasctl data commands as the office IT person uses
 * them: import (exit 4 with every problem, in --json too), roster set /
 * weekly / list, audit, backup. Runs the real binary (path in argv[1]) on a
 * SQLite file, or on PostgreSQL (BK_TEST_DB_URI, see pg_cluster.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <jansson.h>

#include "testdb.h"

static const char *bapasctl;
static char dir[256];
static char db[400];    /* the --db target: dir/t.db or a URI */
static char schema[64]; /* PostgreSQL: the test's schema */

static const char *data_dir(void)
{
    const char *d = getenv("BK_DATA_DIR");
    return d ? d : "tests/data";
}

/* Run bapasctl in dir with the database db at 2026-12-07 09:00 WIB (a Monday);
 * stdout into out, stderr into err (both may be NULL). */
static int run(char *out, size_t outsz, char *err, size_t errsz, const char *fmt, ...)
{
    char args[4096], cmd[6000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && env -u BAPAS_DB BAPAS_CONFIG=/dev/null BAPAS_NOW=2026-12-07T02:00:00Z "
             "'%s' --db '%s' %s 2>stderr.txt",
             dir, bapasctl, db, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    static char sink[1 << 16];
    if (!out) {
        out = sink;
        outsz = sizeof sink;
    }
    size_t n = fread(out, 1, outsz - 1, p);
    out[n] = 0;
    int st = pclose(p);
    if (err) {
        char path[400];
        snprintf(path, sizeof path, "%s/stderr.txt", dir);
        FILE *f = fopen(path, "r");
        size_t m = f ? fread(err, 1, errsz - 1, f) : 0;
        err[m] = 0;
        if (f) fclose(f);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static json_t *run_json(int *rc, const char *fmt, ...)
{
    static char out[1 << 18];
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    *rc = run(out, sizeof out, NULL, 0, "--json %s", args);
    json_error_t e;
    json_t *j = json_loads(out, 0, &e); /* exactly one value */
    if (!j) fail_msg("not one JSON value from `%s`: %s\n%s", args, e.text, out);
    return j;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/bkclidata-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    testdb_target(dir, "t.db", db, sizeof db, schema, sizeof schema);
    char out[4096];
    return run(out, sizeof out, NULL, 0, "init") == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    testdb_target_drop(schema);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_import(void **state)
{
    (void)state;
    char out[8192], err[8192];
    int rc;
    json_t *j = run_json(&rc, "import officers '%s/csv/officers.csv'", data_dir());
    assert_int_equal(rc, 0);
    assert_int_equal(json_integer_value(json_object_get(j, "added")), 8);
    assert_string_equal(json_string_value(json_object_get(j, "delimiter")), "comma");
    json_decref(j);

    /* A bad file: every problem on stderr as "line N: column: what", exit 4. */
    rc = run(out, sizeof out, err, sizeof err, "import clients '%s/csv/bad_dates.csv'", data_dir());
    assert_int_equal(rc, 4);
    assert_non_null(strstr(err, "line 2: tgl_lahir: is not a real date\n"));
    assert_non_null(strstr(err, "line 10: tgl_lahir: has a year outside 1900-2100\n"));
    assert_non_null(strstr(err, "9 problems"));
    assert_non_null(strstr(err, "nothing was imported"));
    /* ... and in --json: one object with the problems array. */
    j = run_json(&rc, "import clients '%s/csv/bad_duplicates.csv'", data_dir());
    assert_int_equal(rc, 4);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid");
    assert_int_equal(json_integer_value(json_object_get(j, "exit_code")), 4);
    json_t *pr = json_object_get(j, "problems");
    assert_int_equal(json_array_size(pr), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(pr, 0), "line")), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(pr, 0), "column")),
                        "client_no");
    assert_string_equal(json_string_value(json_object_get(json_array_get(pr, 1), "text")),
                        "line 6: client_no: DU/001 is also on line 2");
    json_decref(j);
    j = run_json(&rc, "import clients '%s/csv/empty.csv'", data_dir());
    assert_int_equal(rc, 4);
    json_decref(j);
    j = run_json(&rc, "import clients /nonexistent.csv");
    assert_int_equal(rc, 1);
    json_decref(j);

    /* A good file, then the same again. */
    j = run_json(&rc, "import clients '%s/csv/clients_semicolon_bom_crlf.csv'", data_dir());
    assert_int_equal(rc, 0);
    assert_int_equal(json_integer_value(json_object_get(j, "added")), 3);
    assert_true(json_is_true(json_object_get(j, "bom")));
    assert_string_equal(json_string_value(json_object_get(j, "delimiter")), "semicolon");
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "ignored_columns"), 0)),
                        "Alamat");
    json_decref(j);
    rc = run(out, sizeof out, NULL, 0, "import clients '%s/csv/clients_semicolon_bom_crlf.csv'",
             data_dir());
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "3 rows, 0 added, 0 updated, 3 unchanged"));

    /* Usage. */
    assert_int_equal(run(out, sizeof out, NULL, 0, "import"), 2);
    assert_int_equal(run(out, sizeof out, NULL, 0, "import people x.csv"), 2);
    assert_int_equal(run(out, sizeof out, NULL, 0, "import clients x.csv --bogus"), 2);
}

static void test_roster(void **state)
{
    (void)state;
    char out[8192];
    int rc;
    /* PK07 is away on Fridays for field visits; PK02 stands in. */
    json_t *j = run_json(&rc, "roster weekly PK07 jumat absent --substitute PK02");
    assert_int_equal(rc, 0);
    assert_int_equal(json_integer_value(json_object_get(j, "weekday")), 5);
    assert_string_equal(json_string_value(json_object_get(j, "weekday_name")), "Friday");
    json_decref(j);
    j = run_json(&rc, "roster list --from 2026-12-11 --officer PK07");
    assert_int_equal(rc, 0);
    json_t *e0 = json_array_get(json_object_get(j, "roster"), 0);
    assert_string_equal(json_string_value(json_object_get(e0, "status")), "absent");
    assert_string_equal(json_string_value(json_object_get(e0, "substitute")), "PK02");
    assert_string_equal(json_string_value(json_object_get(e0, "source")), "weekly");
    assert_true(json_is_false(json_object_get(e0, "present")));
    json_decref(j);
    /* An explicit day beats the pattern. */
    j = run_json(&rc, "roster set 11/12/2026 PK07 present");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(j, "source")), "day");
    assert_true(json_is_true(json_object_get(j, "present")));
    json_decref(j);
    j = run_json(&rc, "roster set 2026-12-11 PK07 clear");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(j, "source")), "weekly");
    json_decref(j);
    /* Today (Monday) with nobody marked: all 7 active officers present. */
    j = run_json(&rc, "roster list");
    assert_int_equal(rc, 0);
    json_t *arr = json_object_get(j, "roster");
    assert_int_equal(json_array_size(arr), 7);
    for (size_t i = 0; i < json_array_size(arr); i++)
        assert_true(json_is_true(json_object_get(json_array_get(arr, i), "present")));
    json_decref(j);
    j = run_json(&rc, "roster set today PK01 duty");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(j, "date")), "2026-12-07");
    json_decref(j);
    j = run_json(&rc, "roster weekly");
    assert_int_equal(rc, 0);
    assert_int_equal(json_array_size(json_object_get(j, "weekly")), 1);
    json_decref(j);
    rc = run(out, sizeof out, NULL, 0,
             "roster list --from 2026-12-07 --to 2026-12-13 --officer PK07");
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "2026-12-11 Fri  PK07         absent   weekly   substitute PK02"));
    /* Refusals. */
    assert_int_equal(run(out, sizeof out, NULL, 0, "roster weekly PK07 someday absent"), 4);
    assert_int_equal(
        run(out, sizeof out, NULL, 0, "roster weekly PK07 fri present --substitute PK02"), 4);
    assert_int_equal(
        run(out, sizeof out, NULL, 0, "roster weekly PK07 fri absent --substitute PK07"), 4);
    assert_int_equal(
        run(out, sizeof out, NULL, 0, "roster weekly PK07 fri absent --substitute PK08"), 5);
    assert_int_equal(run(out, sizeof out, NULL, 0, "roster weekly PK99 fri absent"), 3);
    assert_int_equal(run(out, sizeof out, NULL, 0, "roster set 2026-02-30 PK01 absent"), 4);
    assert_int_equal(run(out, sizeof out, NULL, 0, "roster set today PK01 away"), 2);
    assert_int_equal(run(out, sizeof out, NULL, 0, "roster weekly PK07 mon clear"), 3);
    assert_int_equal(run(out, sizeof out, NULL, 0, "roster"), 2);
}

static void test_audit(void **state)
{
    (void)state;
    char out[1 << 15];
    int rc;
    json_t *j = run_json(&rc, "audit --from 2026-12-07 --to 2026-12-07");
    assert_int_equal(rc, 0);
    json_t *rows = json_object_get(j, "audit");
    assert_true(json_array_size(rows) >= 6);
    assert_int_equal(json_integer_value(json_object_get(j, "count")), json_array_size(rows));
    int imports = 0, weekly = 0;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const char *a = json_string_value(json_object_get(json_array_get(rows, i), "action"));
        imports += strcmp(a, "import") == 0;
        weekly += strcmp(a, "roster_weekly") == 0;
    }
    assert_int_equal(imports, 3); /* officers, clients, clients again; refused files: none */
    assert_int_equal(weekly, 1);
    json_decref(j);
    j = run_json(&rc, "audit --from 2026-12-08");
    assert_int_equal(json_array_size(json_object_get(j, "audit")), 0);
    json_decref(j);
    /* A ticket's trail. */
    json_t *t = run_json(&rc, "walkin --purpose other");
    assert_int_equal(rc, 0);
    json_int_t id = json_integer_value(json_object_get(t, "id"));
    char code[32];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(t, "code")));
    json_decref(t);
    j = run_json(&rc, "audit --ticket %s", code);
    assert_int_equal(rc, 0);
    rows = json_object_get(j, "audit");
    assert_int_equal(json_array_size(rows), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "ticket_id")), id);
    json_decref(j);
    j = run_json(&rc, "audit --ticket 2026-12-07/%s", code);
    assert_int_equal(json_array_size(json_object_get(j, "audit")), 1);
    json_decref(j);
    assert_int_equal(run(out, sizeof out, NULL, 0, "audit --ticket Z-999"), 3);
    assert_int_equal(run(out, sizeof out, NULL, 0, "audit --from 2026-12-08 --to 2026-12-07"), 4);
    rc = run(out, sizeof out, NULL, 0, "audit --ticket %lld", (long long)id);
    assert_int_equal(rc, 0);
    char want[64];
    snprintf(want, sizeof want, "#%lld", (long long)id);
    assert_non_null(strstr(out, want));
}

static void test_backup(void **state)
{
    (void)state;
    char out[8192];
    int rc;
    json_t *j = run_json(&rc, "backup copy.db");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(j, "integrity")), "ok");
    json_t *tables = json_object_get(j, "tables");
    assert_int_equal(json_integer_value(json_object_get(tables, "officers")), 8);
    assert_int_equal(json_integer_value(json_object_get(tables, "clients")), 3);
    json_decref(j);
    assert_int_equal(run(out, sizeof out, NULL, 0, "backup copy.db"), 4);
    assert_int_equal(run(out, sizeof out, NULL, 0, "backup copy.db --force"), 0);
    assert_int_equal(run(out, sizeof out, NULL, 0, "backup"), 2);
    if (!testdb_is_pg()) {
        /* SQLite: the copy opens as a database of its own. */
        assert_int_equal(run(out, sizeof out, NULL, 0, "backup copy.db --force"), 0);
        assert_non_null(strstr(out, "integrity_check ok"));
        assert_int_equal(run(out, sizeof out, NULL, 0, "--db copy.db roster list"), 0);
        return;
    }
    /* PostgreSQL: a pg_dump archive that pg_restore read back whole (the
     * restore itself: test_backup). */
    assert_int_equal(run(out, sizeof out, NULL, 0, "backup copy.db --force"), 0);
    assert_non_null(strstr(out, "pg_dump custom archive"));
    assert_non_null(strstr(out, "read back ok"));
    assert_non_null(strstr(out, "  officers             8\n"));
    j = run_json(&rc, "backup copy.db --force");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(j, "format")), "pg_dump custom");
    assert_true(json_is_true(json_object_get(j, "integrity_ok")));
    assert_int_equal(json_integer_value(json_object_get(j, "pages")), 0);
    assert_true(json_integer_value(json_object_get(j, "bytes")) > 0);
    json_decref(j);
    char path[400], magic[6] = "";
    snprintf(path, sizeof path, "%s/copy.db", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(magic, 1, 5, f), 5);
    fclose(f);
    assert_string_equal(magic, "PGDMP");
    /* The backup is in the audit trail. */
    j = run_json(&rc, "audit --from 2026-12-07");
    int backups = 0;
    json_t *rows = json_object_get(j, "audit");
    for (size_t i = 0; i < json_array_size(rows); i++)
        backups += !strcmp(json_string_value(json_object_get(json_array_get(rows, i), "action")),
                           "backup");
    assert_int_equal(backups, 4); /* the four that succeeded, not the refused ones */
    json_decref(j);
}

/* Officer ids typed in any case (CSV and CLI) are one officer, stored
 * upper-case; dates typed DD-MM-YYYY. Last: it adds an officer. */
static void test_officer_case_and_dates(void **state)
{
    (void)state;
    int rc;
    json_t *j;
    /* Officer ids in any case are one officer, stored upper-case; a client
     * file may name the officer in any case too. */
    char path[600];
    snprintf(path, sizeof path, "%s/lower.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("officer_id,name,room\npk41,Petugas Huruf Kecil,Ruang 9\n", f);
    assert_int_equal(fclose(f), 0);
    j = run_json(&rc, "import officers lower.csv");
    assert_int_equal(rc, 0);
    assert_int_equal(json_integer_value(json_object_get(j, "added")), 1);
    json_decref(j);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("officer_id,name,room\nPK41,Petugas Huruf Kecil,Ruang 9\n", f);
    assert_int_equal(fclose(f), 0);
    j = run_json(&rc, "import officers lower.csv");
    assert_int_equal(rc, 0);
    assert_int_equal(json_integer_value(json_object_get(j, "added")), 0); /* the same one */
    assert_int_equal(json_integer_value(json_object_get(j, "unchanged")), 1);
    json_decref(j);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("client_no,name,birth_date,officer_id\n249041,Klien Kecil,09-11-2001,pK41\n", f);
    assert_int_equal(fclose(f), 0);
    j = run_json(&rc, "import clients lower.csv");
    assert_int_equal(rc, 0);
    json_decref(j);
    j = run_json(&rc, "client show 249041");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(j, "officer")), "PK41");
    assert_string_equal(json_string_value(json_object_get(j, "birth_date")), "2001-11-09");
    json_decref(j);
    j = run_json(&rc, "roster set 11-12-2026 pk41 absent");
    assert_int_equal(rc, 0);
    assert_string_equal(json_string_value(json_object_get(j, "officer")), "PK41");
    assert_string_equal(json_string_value(json_object_get(j, "date")), "2026-12-11");
    json_decref(j);
    j = run_json(&rc, "roster set 11/12/2026 pK41 clear");
    assert_int_equal(rc, 0);
    json_decref(j);
}

int main(int argc, char **argv)
{
#ifndef BK_TEST_HOOKS
    puts("SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)");
    return 77;
#endif
    bapasctl = argc > 1 ? argv[1] : "bapasctl";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_roster),
        cmocka_unit_test(test_audit),
        cmocka_unit_test(test_backup),
        cmocka_unit_test(test_officer_case_and_dates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
