/* test_csvimport.c — the CSV corpus (tests/data/csv): every file imported
 * through csvimport_run into a real database, with the exact problems
 * expected ("line N: column: what is wrong") and the exact values stored;
 * the value parsers; the alias table against db/templates/README.md; the
 * shipped templates. On a SQLite file, or on PostgreSQL (BK_TEST_DB_URI,
 * see pg_cluster.sh): the stored values are read back with plain SQL on a
 * connection of their own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include "csvimport.h"
#include "valid.h"
#include "sqlread.h"
#include "testdb.h"

static const char *data_dir(void)
{
    const char *d = getenv("BK_DATA_DIR");
    return d ? d : "tests/data";
}

static const char *source_dir(void)
{
    const char *d = getenv("BK_SOURCE_DIR");
    return d ? d : ".";
}

/* 2026-12-07 09:00 WIB: "today" for the date checks is 2026-12-07. */
#define NOW TESTDB_MONDAY_0900

typedef struct env {
    char dir[256];
    char path[300];
    char schema[64]; /* PostgreSQL: the test's schema */
    store *st;
    sqlread rd; /* a second, independent connection for checking */
} env;

static void env_open(env *e)
{
    memset(e, 0, sizeof *e);
    snprintf(e->dir, sizeof e->dir, "/tmp/bkcsv-XXXXXX");
    assert_non_null(mkdtemp(e->dir));
    testdb_target(e->dir, "t.db", e->path, sizeof e->path, e->schema, sizeof e->schema);
    store_opts o = {.utc_offset_min = 420, .sync_normal = 1, .create = 1};
    char err[256];
    if (store_open(e->path, &o, &e->st, err, sizeof err)) fail_msg("open: %s", err);
    if (sqlread_open(&e->rd, e->path)) fail_msg("%s", e->rd.err);
}

static void env_close(env *e)
{
    sqlread_close(&e->rd);
    store_close(e->st);
    testdb_target_drop(e->schema);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
    assert_int_equal(system(cmd), 0);
}

/* The first column of the first row of an SQL query, as text ("" for NULL). */
static const char *q1(env *e, const char *fmt, ...)
{
    static char out[1024];
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    if (sqlread_text(&e->rd, sql, out, sizeof out)) fail_msg("sql %s", e->rd.err);
    return out;
}

/* Every officer as one text, to see that nothing changed. */
static const char *officers_sql(env *e)
{
    return sqlread_is_pg(&e->rd)
               ? "SELECT string_agg(id || name || active, '|' ORDER BY id) FROM officers"
               : "SELECT group_concat(id || name || active, '|') FROM (SELECT * FROM officers "
                 "ORDER BY id)";
}

static bk_err import(env *e, csvimport_kind kind, const char *file, csvimport_result *r)
{
    char path[2100];
    if (file[0] == '/')
        snprintf(path, sizeof path, "%.1023s", file);
    else
        snprintf(path, sizeof path, "%.1023s/csv/%.1023s", data_dir(), file);
    csvimport_opts o = {.kind = kind, .actor = "test", .now = NOW, .utc_offset_min = 420};
    return csvimport_run(e->st, path, &o, r);
}

/* ---- the corpus -------------------------------------------------------- */

typedef struct corpus_case {
    const char *file;
    csvimport_kind kind;
    int rows;                 /* >= 0: imports fine with this many rows; -1: refused */
    const char *problems[12]; /* exactly these, in order */
} corpus_case;

static const corpus_case cases[] = {
    {"clients_comma.csv", CSVIMPORT_CLIENTS, 3, {NULL}},
    {"clients_semicolon_bom_crlf.csv", CSVIMPORT_CLIENTS, 3, {NULL}},
    {"clients_quotes.csv", CSVIMPORT_CLIENTS, 3, {NULL}},
    {"clients_newlines.csv", CSVIMPORT_CLIENTS, 3, {NULL}},
    {"clients_dates.csv", CSVIMPORT_CLIENTS, 6, {NULL}},
    {"clients_officer_by_name.csv", CSVIMPORT_CLIENTS, 3, {NULL}},
    {"clients_sep_line.csv", CSVIMPORT_CLIENTS, 1, {NULL}},
    {"clients_tab.csv", CSVIMPORT_CLIENTS, 2, {NULL}},
    {"clients_blank_rows.csv", CSVIMPORT_CLIENTS, 2, {NULL}},
    {"bad_after_newlines.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 5: birth_date: is not a real date", NULL}},
    {"bad_dates.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 2: tgl_lahir: is not a real date", "line 3: tgl_lahir: has no such month",
      "line 4: tgl_lahir: is not a date in the form YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY",
      "line 5: tgl_lahir: needs a four-digit year (DD-MM-YYYY or YYYY-MM-DD)",
      "line 6: tgl_lahir: is empty", "line 7: tgl_lahir: is not a real date",
      "line 8: tgl_lahir: is not a date in the form YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY",
      "line 9: tgl_lahir: is in the future", "line 10: tgl_lahir: has a year outside 1900-2100",
      NULL}},
    {"bad_unknown_pk.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 2: officer: no officer \"PK99\" (import the officers first, or use an officer id)",
      "line 3: officer: officer PK08 is not active; assign the client to an active officer",
      "line 5: officer: is empty", NULL}},
    {"bad_ambiguous_name.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 2: nama_pk: \"Dewi Lestari\" is the name of more than one officer; use the officer "
      "id",
      "line 3: row: has 5 fields but the header has 4 (is a delimiter missing from the header, "
      "or a field not quoted?)",
      "line 3: nama_pk: no officer \"budi santoso\" (import the officers first, or use an "
      "officer id)",
      NULL}},
    {"bad_duplicates.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 4: client_no: DU/001 is also on line 2", "line 6: client_no: DU/001 is also on line 2",
      NULL}},
    {"bad_utf8.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 2: name: is not valid UTF-8 (save the file from Excel as \"CSV UTF-8\")",
      "line 3: name: is not valid UTF-8 (save the file from Excel as \"CSV UTF-8\")",
      "line 5: name: is not valid UTF-8 (save the file from Excel as \"CSV UTF-8\")", NULL}},
    {"empty.csv", CSVIMPORT_CLIENTS, -1, {"line 1: file: is empty: there is no header row", NULL}},
    {"blank_lines_only.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 1: file: is empty: there is no header row", NULL}},
    {"header_only.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 1: file: has a header but no data rows", NULL}},
    {"bad_header.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 1: header: columns \"nama\" and \"name\" both mean name; remove one",
      "line 1: header: no column for birth_date (name it one of: birth_date, date_of_birth, dob, "
      "tgl_lahir, tanggal_lahir)",
      NULL}},
    {"bad_quotes_unterminated.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 3: file: a quoted field that starts on this line is never closed", NULL}},
    {"bad_quotes_stray.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 3: file: the quotes are malformed: a field with a \" in it must be wholly in quotes, "
      "with each \" inside written as \"\"",
      NULL}},
    {"bad_values.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 2: program: \"XYZ\" is not a known program (PB, CB, CMB, ASIMILASI or OTHER)",
      "line 3: name: is too long (at most 100 characters)",
      "line 4: client_no: \"BV/003000000000000000000000000000000\" is longer than 32 characters",
      "line 5: report_every_days: \"0\" is not a whole number of days from 1 to 366",
      "line 6: report_every_days: \"400\" is not a whole number of days from 1 to 366",
      "line 7: report_every_days: \"tiga puluh\" is not a whole number of days from 1 to 366",
      "line 8: client_no: \"BV 007\" may contain only letters, digits and the characters . / -",
      "line 9: active: \"mungkin\" is not one of aktif/ya/1 or selesai/tidak/0",
      "line 10: name: is empty", "line 11: name: contains a control character", NULL}},
    {"utf16.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 1: file: is UTF-16 text; save it from Excel as \"CSV UTF-8\"", NULL}},
    {"bad_nul.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 2: name: contains a NUL byte (is this a text file?)", NULL}},
    {"bad_extra_fields.csv",
     CSVIMPORT_CLIENTS,
     -1,
     {"line 3: row: has 5 fields but the header has 4 (is a delimiter missing from the header, "
      "or a field not quoted?)",
      "line 3: birth_date: is not a date in the form YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY",
      "line 3: officer: no officer \"1990-01-01\" (import the officers first, or use an officer "
      "id)",
      NULL}},
    {"officers_bad.csv",
     CSVIMPORT_OFFICERS,
     -1,
     {"line 3: kode: \"reception\" is reserved for the reception queue",
      "line 4: kode: \"PK 11\" may contain only letters, digits and the characters . _ - (up to "
      "32)",
      "line 5: kode: PK10 is also on line 2", "line 6: nama: is empty",
      "line 7: aktif: \"kadang\" is not one of aktif/ya/1 or selesai/tidak/0", NULL}},
};

static void test_corpus(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    csvimport_result r;
    assert_int_equal(import(&e, CSVIMPORT_OFFICERS, "officers.csv", &r), BK_OK);
    assert_int_equal(r.added, 8);
    csvimport_result_free(&r);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const corpus_case *c = &cases[k];
        char before_clients[64], before_officers[1024], before_audit[64];
        snprintf(before_clients, sizeof before_clients, "%s",
                 q1(&e, "SELECT COUNT(*) FROM clients"));
        snprintf(before_officers, sizeof before_officers, "%s", q1(&e, officers_sql(&e)));
        snprintf(before_audit, sizeof before_audit, "%s", q1(&e, "SELECT COUNT(*) FROM audit"));
        bk_err err = import(&e, c->kind, c->file, &r);
        size_t want = 0;
        while (c->problems[want])
            want++;
        char got[400];
        for (size_t i = 0; i < r.problems.n; i++) {
            csvimport_problem_format(&r.problems.v[i], got, sizeof got);
            if (i >= want || strcmp(got, c->problems[i]) != 0)
                fail_msg("%s: problem %zu is\n  %s\nexpected\n  %s", c->file, i + 1, got,
                         i < want ? c->problems[i] : "(none)");
        }
        if (r.problems.n != want)
            fail_msg("%s: %zu problems, expected %zu", c->file, r.problems.n, want);
        assert_int_equal(r.problems.total, want);
        if (c->rows >= 0) {
            if (err) fail_msg("%s: %s", c->file, bk_err_name(err));
            assert_int_equal(r.rows, c->rows);
            assert_int_equal(r.added, c->rows);
            assert_int_equal(r.updated + r.unchanged, 0);
        } else {
            assert_int_equal(err, BK_ERR_INVALID);
            /* all or nothing: not a single row, not an audit row */
            assert_string_equal(q1(&e, "SELECT COUNT(*) FROM clients"), before_clients);
            assert_string_equal(q1(&e, "SELECT COUNT(*) FROM audit"), before_audit);
            assert_string_equal(q1(&e, officers_sql(&e)), before_officers);
        }
        csvimport_result_free(&r);
    }

    /* What the good files stored, value by value. */
    /* {SQL, expected, the SQL on PostgreSQL where it differs (string_agg)} */
    const char *const expect[][3] = {
        {"SELECT name || '|' || birth_date || '|' || program || '|' || officer_id || '|' || "
         "report_every_days || '|' || COALESCE(last_report, '-') FROM clients WHERE no = "
         "'AB-2024/001'",
         "Andi Wijaya|1990-03-05|PB|PK01|30|2026-10-01"},
        {"SELECT report_every_days || '|' || COALESCE(last_report, '-') || '|' || program FROM "
         "clients WHERE no = 'AB-2024/002'",
         "14|-|CB"},
        {"SELECT report_every_days || program FROM clients WHERE no = 'AB-2024/003'",
         "30ASIMILASI"},
        {"SELECT name || '|' || birth_date || '|' || program || '|' || officer_id FROM clients "
         "WHERE no = 'SM/002'",
         "Lestari Ayu|1988-02-01|CB|PK02"},
        {"SELECT program || birth_date FROM clients WHERE no = 'SM/001'", "PB1990-03-05"},
        {"SELECT program FROM clients WHERE no = 'SM/003'", "CMB"},
        {"SELECT name FROM clients WHERE no = 'QT/001'", "Nasution, Ahmad"},
        {"SELECT name FROM clients WHERE no = 'QT/002'", "Ma'ruf Amin"},
        {"SELECT name || '|' || program FROM clients WHERE no = 'QT/003'", "Siti Nurhaliza|OTHER"},
        {"SELECT name FROM clients WHERE no = 'NL/001'", "Putri Ayu"},
        {"SELECT group_concat(no, ' ') FROM (SELECT no FROM clients WHERE no LIKE 'NL/%' ORDER "
         "BY no)",
         "NL/001 NL/002 NL/003",
         "SELECT string_agg(no, ' ' ORDER BY no) FROM clients WHERE no LIKE 'NL/%'"},
        {"SELECT group_concat(birth_date, ' ') FROM (SELECT birth_date FROM clients WHERE no "
         "LIKE 'DT/%' ORDER BY no)",
         "1990-03-05 1990-03-05 1990-03-05 1990-03-05 2000-02-29 1990-03-05",
         "SELECT string_agg(birth_date, ' ' ORDER BY no) FROM clients WHERE no LIKE 'DT/%'"},
        {"SELECT group_concat(officer_id, ' ') FROM (SELECT officer_id FROM clients WHERE no "
         "LIKE 'ON/%' ORDER BY no)",
         "PK01 PK02 PK03",
         "SELECT string_agg(officer_id, ' ' ORDER BY no) FROM clients WHERE no LIKE 'ON/%'"},
        {"SELECT name FROM clients WHERE no = 'SP/001'", "Satu, Koma"},
        {"SELECT name FROM clients WHERE no = 'TB/002'", "Dua"},
        {"SELECT group_concat(no || '=' || officer_id, ' ') FROM (SELECT * FROM clients WHERE no "
         "LIKE 'BR/%' ORDER BY no)",
         "BR/001=PK01 BR/002=PK02",
         "SELECT string_agg(no || '=' || officer_id, ' ' ORDER BY no) FROM clients WHERE no LIKE "
         "'BR/%'"},
        {"SELECT COUNT(*) FROM clients", "26"},
        {"SELECT COUNT(*) FROM client_since WHERE since = '2026-12-07'", "26"},
        {"SELECT name || room || active FROM officers WHERE id = 'PK01'",
         "Budi Santoso, S.H.Ruang 11"},
        {"SELECT active FROM officers WHERE id = 'PK08'", "0"},
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        const char *sql = sqlread_is_pg(&e.rd) && expect[i][2] ? expect[i][2] : expect[i][0];
        const char *got = q1(&e, "%s", sql);
        if (strcmp(got, expect[i][1]) != 0)
            fail_msg("%s\n  gave %s\n  want %s", sql, got, expect[i][1]);
    }
    env_close(&e);
}

/* An unreadable path is an I/O problem, not a crash. */
static void test_missing_file(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    csvimport_result r;
    assert_int_equal(import(&e, CSVIMPORT_CLIENTS, "/nonexistent/x.csv", &r), BK_ERR_IO);
    assert_int_equal(r.problems.n, 1);
    assert_int_equal(r.problems.v[0].line, 0);
    assert_string_equal(r.problems.v[0].column, "file");
    csvimport_result_free(&r);
    assert_int_equal(import(&e, CSVIMPORT_CLIENTS, "/tmp", &r), BK_ERR_IO);
    csvimport_result_free(&r);
    env_close(&e);
}

/* ---- parsers ----------------------------------------------------------- */

static void test_dates(void **state)
{
    (void)state;
    const char *const ok[][2] = {
        {"1990-03-05", "1990-03-05"}, {"05-03-1990", "1990-03-05"}, {"05/03/1990", "1990-03-05"},
        {"5/3/1990", "1990-03-05"},   {"1990-3-5", "1990-03-05"},   {"29/02/2000", "2000-02-29"},
        {"31-12-2099", "2099-12-31"}, {"01-01-1900", "1900-01-01"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[11];
        const char *why = NULL;
        if (valid_date_input(ok[i][0], out, &why)) fail_msg("%s refused: %s", ok[i][0], why);
        assert_string_equal(out, ok[i][1]);
    }
    const char *const bad[] = {
        "",           "1990",        "1990-03",     "05-03-90",    "1990/03/05",
        "05.03.1990", "05-03/1990",  "31-02-1990",  "29-02-1900",  "00-01-1990",
        "01-13-1990", "1990-02-30",  "123-01-1990", "1-1-19900",   "01-01-1899",
        "a1-01-1990", " 01-01-1990", "01-01-1990 ", "2024-001-01", "+1-01-1990"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[11];
        const char *why = NULL;
        if (valid_date_input(bad[i], out, &why) == BK_OK)
            fail_msg("\"%s\" accepted as %s", bad[i], out);
        assert_non_null(why);
    }
}

static void test_words(void **state)
{
    (void)state;
    char out[64];
    const char *const heads[][2] = {{"No. Register", "no_register"},
                                    {"Tgl Lahir", "tgl_lahir"},
                                    {"  NAMA  ", "nama"},
                                    {"Kode-PK", "kode_pk"},
                                    {"__a__b__", "a_b"},
                                    {"Tgl. Lahir (DD/MM/YYYY)", "tgl_lahir_dd_mm_yyyy"},
                                    {"", ""},
                                    {"é", ""}};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        csvimport_normalize_header(heads[i][0], out, sizeof out);
        assert_string_equal(out, heads[i][1]);
    }
    const char *const progs[][2] = {{"PB", "PB"},
                                    {"pembebasan bersyarat", "PB"},
                                    {"Cuti Bersyarat", "CB"},
                                    {"CUTI MENJELANG BEBAS", "CMB"},
                                    {"Asimilasi", "ASIMILASI"},
                                    {"lain-lain", "OTHER"},
                                    {"Other", "OTHER"}};
    for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
        bk_program p = BK_PROGRAM__COUNT;
        assert_int_equal(csvimport_parse_program(progs[i][0], &p), BK_OK);
        assert_string_equal(bk_program_name(p), progs[i][1]);
    }
    bk_program p;
    assert_int_equal(csvimport_parse_program("PBX", &p), BK_ERR_INVALID);
    assert_int_equal(csvimport_parse_program("", &p), BK_ERR_INVALID);
    int a = -1;
    const char *const yes[] = {"1", "ya", "Ya", "YES", "aktif", "Active", "true"};
    const char *const no[] = {"0", "tidak", "no", "selesai", "Ended", "tidak aktif", "nonaktif"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        assert_int_equal(csvimport_parse_active(yes[i], &a), BK_OK);
        assert_int_equal(a, 1);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        assert_int_equal(csvimport_parse_active(no[i], &a), BK_OK);
        assert_int_equal(a, 0);
    }
    assert_int_equal(csvimport_parse_active("mungkin", &a), BK_ERR_INVALID);
}

/* Line numbers with CR-only, CRLF and LF line ends, and records spanning lines. */
static void test_lines(void **state)
{
    (void)state;
    const char *in = "a,b\r\"x\ny\",1\r\n\r\nq,\"1\r\n2\r\n3\"\nlast,1";
    csvimport_file f;
    csvimport_problems pr = {0};
    assert_int_equal(csvimport_parse(in, strlen(in), &f, &pr), BK_OK);
    assert_int_equal(f.nrecords, 4);
    assert_int_equal(csvimport_line(&f, 0), 1);
    assert_int_equal(csvimport_line(&f, 1), 2);
    assert_int_equal(csvimport_line(&f, 2), 5);
    assert_int_equal(csvimport_line(&f, 3), 8);
    size_t len;
    assert_string_equal(csvimport_field(&f, 1, 0, &len), "x\ny");
    assert_string_equal(csvimport_field(&f, 2, 1, &len), "1\r\n2\r\n3");
    assert_string_equal(csvimport_field(&f, 3, 0, &len), "last");
    assert_string_equal(csvimport_field(&f, 3, 9, &len), "");
    assert_int_equal(len, 0);
    csvimport_file_free(&f);
    csvimport_problems_free(&pr);
}

/* Repeated keys in runs: every later line names the first line of its key,
 * whatever lies between them in the file and in sort order (runs of 300
 * equal keys, interleaved, plus unique keys and empty ones). */
static void test_duplicate_runs(void **state)
{
    (void)state;
    enum { ROWS = 900 };
    size_t cap = 64 + ROWS * 32, len = 0;
    char *in = malloc(cap);
    assert_non_null(in);
    len += (size_t)snprintf(in + len, cap - len, "id,name\n");
    for (int i = 0; i < ROWS; i++) {
        const char *k = i % 3 == 0 ? "PK-B" : i % 3 == 1 ? "PK-A" : NULL;
        if (k)
            len += (size_t)snprintf(in + len, cap - len, "%s,Petugas %d\n", k, i);
        else
            len += (size_t)snprintf(in + len, cap - len, "U%04d,Petugas %d\n", i, i);
    }
    csvimport_file f;
    csvimport_problems pr = {0};
    assert_int_equal(csvimport_parse(in, len, &f, &pr), BK_OK);
    csvimport_rows rows;
    assert_int_equal(csvimport_validate(&f, CSVIMPORT_OFFICERS, NULL, &rows, &pr), BK_ERR_INVALID);
    /* 300 PK-B (first on line 2), 300 PK-A (first on line 3): 299 each. */
    assert_int_equal(pr.total, 598);
    assert_int_equal(pr.n, 598);
    size_t k = 0;
    for (int i = 0; i < ROWS; i++) {
        if (i % 3 == 2 || i < 2) continue;
        char want[128], got[512];
        snprintf(want, sizeof want, "line %d: id: %s is also on line %d", i + 2,
                 i % 3 == 0 ? "PK-B" : "PK-A", i % 3 == 0 ? 2 : 3);
        csvimport_problem_format(&pr.v[k++], got, sizeof got);
        assert_string_equal(got, want);
    }
    assert_int_equal(k, pr.n);
    csvimport_rows_free(&rows);
    csvimport_file_free(&f);
    csvimport_problems_free(&pr);
    free(in);
}

/* ---- the alias table and db/templates/README.md ------------------------ */

static void test_readme_aliases(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/db/templates/README.md", source_dir());
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n;
    const csvimport_alias *a = csvimport_aliases(&n);
    int *seen = calloc(n, sizeof *seen);
    char line[2048];
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        csvimport_kind kind;
        if (strncmp(line, "| officers | ", 13) == 0)
            kind = CSVIMPORT_OFFICERS;
        else if (strncmp(line, "| clients | ", 12) == 0)
            kind = CSVIMPORT_CLIENTS;
        else
            continue;
        rows++;
        char *p = strchr(line + 2, '|') + 2, *col = p;
        p = strchr(p, ' ');
        *p = 0;
        p = strchr(p + 1, '|') + 2;
        int required = strncmp(p, "yes", 3) == 0;
        p = strchr(p, '|');
        while ((p = strchr(p, '`'))) {
            char *end = strchr(p + 1, '`');
            assert_non_null(end);
            *end = 0;
            const char *alias = p + 1;
            int found = 0;
            for (size_t i = 0; i < n; i++)
                if (a[i].kind == kind && strcmp(a[i].alias, alias) == 0) {
                    if (strcmp(a[i].column, col) != 0 || a[i].required != required)
                        fail_msg("README: %s means %s (required %d), the code says %s (%d)", alias,
                                 col, required, a[i].column, a[i].required);
                    seen[i]++;
                    found = 1;
                }
            if (!found) fail_msg("README lists alias %s for %s, the code does not", alias, col);
            p = end + 1;
        }
    }
    fclose(f);
    assert_int_equal(rows, 12);
    for (size_t i = 0; i < n; i++)
        if (seen[i] != 1)
            fail_msg("alias %s (%s) is listed %d times in the README", a[i].alias, a[i].column,
                     seen[i]);
    free(seen);
}

static void test_templates(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    char path[1024];
    csvimport_result r;
    snprintf(path, sizeof path, "%s/db/templates/officers.csv", source_dir());
    assert_int_equal(import(&e, CSVIMPORT_OFFICERS, path, &r), BK_ERR_INVALID);
    assert_string_equal(r.problems.v[0].msg, "has a header but no data rows");
    csvimport_result_free(&r);
    snprintf(path, sizeof path, "%s/db/templates/clients.csv", source_dir());
    assert_int_equal(import(&e, CSVIMPORT_CLIENTS, path, &r), BK_ERR_INVALID);
    assert_string_equal(r.problems.v[0].msg, "has a header but no data rows");
    assert_string_equal(r.ignored, ""); /* every template column is known */
    csvimport_result_free(&r);
    snprintf(path, sizeof path, "%s/db/templates/officers.example.csv", source_dir());
    assert_int_equal(import(&e, CSVIMPORT_OFFICERS, path, &r), BK_OK);
    assert_int_equal(r.added, 3);
    assert_int_equal(r.bom, 1);
    assert_int_equal(r.delim, ';');
    csvimport_result_free(&r);
    snprintf(path, sizeof path, "%s/db/templates/clients.example.csv", source_dir());
    if (import(&e, CSVIMPORT_CLIENTS, path, &r) != BK_OK) {
        char l[400];
        csvimport_problem_format(&r.problems.v[0], l, sizeof l);
        fail_msg("%s", l);
    }
    assert_int_equal(r.added, 3);
    assert_string_equal(r.ignored, "");
    csvimport_result_free(&r);
    assert_string_equal(q1(&e, "SELECT officer_id || report_every_days || last_report FROM "
                               "clients WHERE no = 'PB-2026/0001'"),
                        "PK01302026-11-02");
    assert_string_equal(q1(&e, "SELECT officer_id || program FROM clients WHERE no = "
                               "'AS-2026/0003'"),
                        "PK07ASIMILASI");
    env_close(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),         cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_dates),          cmocka_unit_test(test_words),
        cmocka_unit_test(test_lines),          cmocka_unit_test(test_duplicate_runs),
        cmocka_unit_test(test_readme_aliases), cmocka_unit_test(test_templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
