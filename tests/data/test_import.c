/* test_import.c — importing again: idempotence, updates (a new PK), last
 * report only moving forward, --mark-missing-ended, all or nothing on a bad
 * last row, --dry-run, a locked database, and 20,000 clients under 5 s.
 * On a SQLite file, or on PostgreSQL (BK_TEST_DB_URI, see pg_cluster.sh):
 * the results are read back with plain SQL on a connection of their own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>
#include "csvimport.h"
#include "sqlread.h"
#include "testdb.h"

#define NOW TESTDB_MONDAY_0900 /* 2026-12-07 */

/* test_scale checks what a 20,000-client import does, not how long it
 * takes: a time limit flaked on a loaded 2-core machine (12.4-15 s against
 * 12 s on PostgreSQL with load 9). The test prints its times; the figures
 * are measured by tests/bench/bench_data. */

typedef struct env {
    char dir[256];
    char path[300];
    char schema[64]; /* PostgreSQL: the test's schema */
    store *st;
    sqlread rd; /* a second, independent connection for checking */
} env;

static void env_open_opts(env *e, int busy_ms)
{
    memset(e, 0, sizeof *e);
    snprintf(e->dir, sizeof e->dir, "/tmp/bkimp-XXXXXX");
    assert_non_null(mkdtemp(e->dir));
    testdb_target(e->dir, "t.db", e->path, sizeof e->path, e->schema, sizeof e->schema);
    store_opts o = {
        .utc_offset_min = 420, .sync_normal = 1, .busy_timeout_ms = busy_ms, .create = 1};
    char err[256];
    if (store_open(e->path, &o, &e->st, err, sizeof err)) fail_msg("open: %s", err);
    if (sqlread_open(&e->rd, e->path)) fail_msg("%s", e->rd.err);
}

static void env_open(env *e)
{
    env_open_opts(e, 0);
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

static long q_int(env *e, const char *sql)
{
    char v[64];
    if (sqlread_text(&e->rd, sql, v, sizeof v)) fail_msg("%s", e->rd.err);
    return v[0] ? atol(v) : -1;
}

static const char *q_text(env *e, const char *sql)
{
    static char out[512];
    if (sqlread_text(&e->rd, sql, out, sizeof out)) fail_msg("%s", e->rd.err);
    return out;
}

/* FNV-1a over every value of every row of the office tables, in key order. */
static uint64_t data_hash(env *e)
{
    static const char *const sql[] = {"SELECT * FROM officers ORDER BY id",
                                      "SELECT * FROM clients ORDER BY no",
                                      "SELECT * FROM client_since ORDER BY client_no"};
    uint64_t h = 1469598103934665603ull;
    for (size_t k = 0; k < sizeof sql / sizeof sql[0]; k++) {
        sqlrows rows;
        if (sqlread_query(&e->rd, sql[k], 0, NULL, &rows)) fail_msg("%s", e->rd.err);
        for (int r = 0; r < rows.nrows; r++) {
            for (int c = 0; c < rows.ncols; c++) {
                const char *v = sqlrows_get(&rows, r, c);
                const char *s = v ? v : "\x01NULL";
                for (; *s; s++)
                    h = (h ^ (unsigned char)*s) * 1099511628211ull;
                h = (h ^ 0x1F) * 1099511628211ull;
            }
            h = (h ^ 0x1E) * 1099511628211ull;
        }
        sqlrows_free(&rows);
    }
    return h;
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static bk_err run(env *e, csvimport_kind kind, const char *path, int mark, int dry,
                  csvimport_result *r)
{
    csvimport_opts o = {.kind = kind,
                        .actor = "test",
                        .now = NOW,
                        .utc_offset_min = 420,
                        .mark_missing_ended = mark,
                        .dry_run = dry};
    bk_err err = csvimport_run(e->st, path, &o, r);
    if (err && err != BK_ERR_INVALID)
        fprintf(stderr, "import %s: %s (%s)\n", path, bk_err_name(err), store_errmsg(e->st));
    return err;
}

static void officers(env *e, int n)
{
    char path[400], row[200];
    snprintf(path, sizeof path, "%s/officers.csv", e->dir);
    size_t cap = (size_t)n * 80 + 100;
    char *buf = malloc(cap);
    snprintf(buf, cap, "id,name,room\n");
    for (int i = 1; i <= n; i++) {
        snprintf(row, sizeof row, "PK%02d,Petugas Nomor %d,Ruang %d\n", i, i, i);
        strcat(buf, row);
    }
    write_file(path, buf);
    free(buf);
    csvimport_result r;
    assert_int_equal(run(e, CSVIMPORT_OFFICERS, path, 0, 0, &r), BK_OK);
    assert_int_equal(r.added, n);
    csvimport_result_free(&r);
}

/* ---- v1 / v2 ----------------------------------------------------------- */

static const char *const v1 =
    "no_register;nama;tgl_lahir;program;pk;wajib_lapor_hari;lapor_terakhir\r\n"
    "R/001;Satu;01-01-1990;PB;PK01;30;01/11/2026\r\n"
    "R/002;Dua;02-01-1990;CB;PK01;30;\r\n"
    "R/003;Tiga;03-01-1990;CMB;PK02;14;\r\n"
    "R/004;Empat;04-01-1990;PB;PK02;30;15/11/2026\r\n"
    "R/005;Lima;05-01-1990;ASIMILASI;PK03;30;\r\n"
    "R/006;Enam;06-01-1990;PB;PK03;30;\r\n";

/* R/001 last report older in the file (must stay 2026-11-01), R/002 new PK,
 * R/003 new name, R/004 newer last report, R/005 and R/006 gone, R/007 new. */
static const char *const v2 =
    "no_register;nama;tgl_lahir;program;pk;wajib_lapor_hari;lapor_terakhir\r\n"
    "R/001;Satu;01-01-1990;PB;PK01;30;01/10/2026\r\n"
    "R/002;Dua;02-01-1990;CB;PK03;30;\r\n"
    "R/003;Tiga Baru;03-01-1990;CMB;PK02;14;\r\n"
    "R/004;Empat;04-01-1990;PB;PK02;30;01/12/2026\r\n"
    "R/007;Tujuh;07-01-1990;PB;PK01;30;\r\n";

static void test_reimport(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    officers(&e, 3);
    char p1[400], p2[400];
    snprintf(p1, sizeof p1, "%s/v1.csv", e.dir);
    snprintf(p2, sizeof p2, "%s/v2.csv", e.dir);
    write_file(p1, v1);
    write_file(p2, v2);
    csvimport_result r;

    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p1, 0, 0, &r), BK_OK);
    assert_int_equal(r.added, 6);
    csvimport_result_free(&r);
    uint64_t h1 = data_hash(&e);
    long audit1 = q_int(&e, "SELECT COUNT(*) FROM audit");

    /* The same file again: nothing changes but one audit row. */
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p1, 0, 0, &r), BK_OK);
    assert_int_equal(r.added, 0);
    assert_int_equal(r.updated, 0);
    assert_int_equal(r.unchanged, 6);
    csvimport_result_free(&r);
    assert_true(data_hash(&e) == h1);
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM audit"), audit1 + 1);
    assert_string_equal(q_text(&e, "SELECT detail FROM audit ORDER BY id DESC LIMIT 1"),
                        "clients from v1.csv: rows=6 added=0 updated=0 unchanged=6 ended=0 "
                        "reassigned=0");

    /* A dry run of v2 counts but changes nothing. */
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p2, 1, 1, &r), BK_OK);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.updated, 3);
    assert_int_equal(r.unchanged, 1);
    assert_int_equal(r.ended, 2);
    csvimport_result_free(&r);
    assert_true(data_hash(&e) == h1);
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM audit"), audit1 + 1);

    /* v2 without --mark-missing-ended: R/005 and R/006 stay active. */
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p2, 0, 0, &r), BK_OK);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.updated, 3);   /* R/002 (PK), R/003 (name), R/004 (last report) */
    assert_int_equal(r.unchanged, 1); /* R/001: an older last report is not an update */
    assert_int_equal(r.reassigned, 1);
    assert_int_equal(r.ended, 0);
    csvimport_result_free(&r);
    assert_string_equal(q_text(&e, "SELECT last_report FROM clients WHERE no = 'R/001'"),
                        "2026-11-01");
    assert_string_equal(q_text(&e, "SELECT last_report FROM clients WHERE no = 'R/004'"),
                        "2026-12-01");
    assert_string_equal(q_text(&e, "SELECT officer_id FROM clients WHERE no = 'R/002'"), "PK03");
    assert_string_equal(q_text(&e, "SELECT name FROM clients WHERE no = 'R/003'"), "Tiga Baru");
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM clients WHERE active = 1"), 7);
    assert_string_equal(q_text(&e, "SELECT client_no || ' ' || detail FROM audit WHERE action = "
                                   "'import_reassign'"),
                        "R/002 assigned officer PK01 -> PK03 (import of v2.csv)");
    uint64_t h2 = data_hash(&e);

    /* v2 again: idempotent. */
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p2, 0, 0, &r), BK_OK);
    assert_int_equal(r.unchanged, 5);
    assert_int_equal(r.added + r.updated, 0);
    csvimport_result_free(&r);
    assert_true(data_hash(&e) == h2);

    /* --mark-missing-ended: the two missing clients end, nothing is deleted. */
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p2, 1, 0, &r), BK_OK);
    assert_int_equal(r.ended, 2);
    assert_int_equal(r.unchanged, 5);
    csvimport_result_free(&r);
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM clients"), 7);
    assert_string_equal(q_text(&e, sqlread_is_pg(&e.rd)
                                       ? "SELECT string_agg(no, ' ' ORDER BY no) FROM clients "
                                         "WHERE active = 0"
                                       : "SELECT group_concat(no, ' ') FROM (SELECT no FROM "
                                         "clients WHERE active = 0 ORDER BY no)"),
                        "R/005 R/006");
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM audit WHERE action = 'import_end'"), 2);
    /* ... and once more: nothing left to end. */
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p2, 1, 0, &r), BK_OK);
    assert_int_equal(r.ended, 0);
    csvimport_result_free(&r);

    /* v1 again brings R/005 and R/006 back (listed = under supervision). */
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p1, 0, 0, &r), BK_OK);
    assert_int_equal(r.added, 0);
    assert_int_equal(r.updated, 4); /* R/002 PK back, R/003 name back, R/005, R/006 active */
    assert_int_equal(r.unchanged, 2);
    csvimport_result_free(&r);
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM clients WHERE active = 1"), 7);
    /* R/004's last report stays at the later date. */
    assert_string_equal(q_text(&e, "SELECT last_report FROM clients WHERE no = 'R/004'"),
                        "2026-12-01");
    /* client_since keeps the first import day. */
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM client_since"), 7);
    env_close(&e);
}

static void test_officers_reimport(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    officers(&e, 3);
    char p[400];
    snprintf(p, sizeof p, "%s/o2.csv", e.dir);
    /* PK02 renamed, PK03 missing, PK04 new; no room column: rooms are kept. */
    write_file(p, "kode;nama\nPK01;Petugas Nomor 1\nPK02;Nama Baru\nPK04;Empat\n");
    csvimport_result r;
    assert_int_equal(run(&e, CSVIMPORT_OFFICERS, p, 1, 0, &r), BK_OK);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.updated, 1);
    assert_int_equal(r.unchanged, 1);
    assert_int_equal(r.ended, 1);
    csvimport_result_free(&r);
    assert_string_equal(q_text(&e, "SELECT name || '/' || room || '/' || active FROM officers "
                                   "WHERE id = 'PK02'"),
                        "Nama Baru/Ruang 2/1");
    assert_string_equal(q_text(&e, "SELECT room || '/' || active FROM officers WHERE id = 'PK04'"),
                        "/1");
    assert_int_equal(q_int(&e, "SELECT active FROM officers WHERE id = 'PK03'"), 0);
    env_close(&e);
}

/* 1,000 good rows and one bad last row: nothing at all changes. */
static void test_all_or_nothing(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    officers(&e, 3);
    char p[400];
    snprintf(p, sizeof p, "%s/big.csv", e.dir);
    size_t cap = 1200 * 64;
    char *buf = malloc(cap), row[128];
    snprintf(buf, cap, "client_no,name,birth_date,officer\n");
    size_t len = strlen(buf);
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(row, sizeof row, "AN/%04d,Klien %d,1990-01-01,PK0%d\n", i, i, 1 + i % 3);
        memcpy(buf + len, row, (size_t)n + 1);
        len += (size_t)n;
    }
    strcat(buf, "AN/9999,Rusak,1990-02-31,PK01\n");
    write_file(p, buf);
    free(buf);
    uint64_t h = data_hash(&e);
    long audit = q_int(&e, "SELECT COUNT(*) FROM audit");
    csvimport_result r;
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p, 1, 0, &r), BK_ERR_INVALID);
    assert_int_equal(r.problems.total, 1);
    assert_int_equal(r.problems.v[0].line, 1002);
    csvimport_result_free(&r);
    assert_true(data_hash(&e) == h);
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM clients"), 0);
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM audit"), audit);
    env_close(&e);
}

/* Another process holds the write lock beyond the busy timeout: BUSY, no change. */
static void test_locked(void **state)
{
    (void)state;
    env e;
    env_open_opts(&e, 200);
    officers(&e, 3);
    char p[400];
    snprintf(p, sizeof p, "%s/one.csv", e.dir);
    write_file(p, "client_no,name,birth_date,officer\nLK/1,Satu,1990-01-01,PK01\n");
    /* Another writer (a second connection) holds the write lock: SQLite's
     * BEGIN IMMEDIATE, PostgreSQL's writer lock. */
    store *other = NULL;
    store_opts o = {.utc_offset_min = 420, .create = 1};
    char err[256];
    if (store_open(e.path, &o, &other, err, sizeof err)) fail_msg("open: %s", err);
    assert_int_equal(store_begin(other, STORE_TX_WRITE), BK_OK);
    csvimport_result r;
    double t0 = wall();
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p, 0, 0, &r), BK_ERR_BUSY);
    assert_true(wall() - t0 < 3.0); /* gave up after the busy timeout (200 ms) */
    csvimport_result_free(&r);
    assert_int_equal(store_in_tx(e.st), 0);
    assert_int_equal(store_commit(other), BK_OK);
    store_close(other);
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM clients"), 0);
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p, 0, 0, &r), BK_OK);
    csvimport_result_free(&r);
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM clients"), 1);
    env_close(&e);
}

/* ---- scale ------------------------------------------------------------- */

/* 20,000 clients of 40 PKs as Excel would save them: BOM, semicolons, CRLF,
 * Indonesian header, quoted names with the delimiter, an address column
 * with line breaks, DD/MM/YYYY dates. variant 1 moves every 10th client to
 * another PK. */
static void write_big(const char *path, int n, int variant)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("\xef\xbb\xbfNo. Register;Nama Klien;Tgl Lahir;Program;PK;Wajib Lapor Hari;Alamat\r\n",
          f);
    static const char *const progs[] = {"PB", "CB", "CMB", "Asimilasi", "Pembebasan Bersyarat"};
    for (int i = 0; i < n; i++) {
        int pk = 1 + i % 40;
        if (variant && i % 10 == 0) pk = 1 + (pk % 40);
        fprintf(f,
                "BPS-%05d/2026;\"Klien %d; bin Fulan\";%02d/%02d/%d;%s;PK%02d;%d;\"Jl. Nomor %d\r\n"
                "RT %02d RW %02d\"\r\n",
                i, i, 1 + i % 28, 1 + i % 12, 1960 + i % 45, progs[i % 5], pk, i % 3 ? 30 : 14, i,
                i % 20, i % 9);
    }
    assert_int_equal(fclose(f), 0);
}

static void test_scale(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    officers(&e, 40);
    char p[400], p2[400];
    snprintf(p, sizeof p, "%s/big.csv", e.dir);
    snprintf(p2, sizeof p2, "%s/big2.csv", e.dir);
    write_big(p, 20000, 0);
    write_big(p2, 20000, 1);
    csvimport_result r;
    double t0 = wall();
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p, 0, 0, &r), BK_OK);
    double first = wall() - t0;
    assert_int_equal(r.added, 20000);
    csvimport_result_free(&r);
    t0 = wall();
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p, 0, 0, &r), BK_OK);
    double again = wall() - t0;
    assert_int_equal(r.unchanged, 20000);
    csvimport_result_free(&r);
    t0 = wall();
    assert_int_equal(run(&e, CSVIMPORT_CLIENTS, p2, 1, 0, &r), BK_OK);
    double update = wall() - t0;
    assert_int_equal(r.updated, 2000);
    assert_int_equal(r.reassigned, 2000);
    assert_int_equal(r.unchanged, 18000);
    csvimport_result_free(&r);
    printf("import of 20,000 clients: first %.3f s, same file again %.3f s, "
           "2,000 new PKs %.3f s\n",
           first, again, update);
    assert_int_equal(q_int(&e, "SELECT COUNT(*) FROM clients"), 20000);
    assert_string_equal(q_text(&e, "SELECT name || '|' || birth_date || '|' || program FROM "
                                   "clients WHERE no = 'BPS-00004/2026'"),
                        "Klien 4; bin Fulan|1964-05-05|PB");
    env_close(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reimport),       cmocka_unit_test(test_officers_reimport),
        cmocka_unit_test(test_all_or_nothing), cmocka_unit_test(test_locked),
        cmocka_unit_test(test_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
