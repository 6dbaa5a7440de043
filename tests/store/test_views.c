/* The views other systems read (db/README.md), read here the way such a
 * system would: plain SQL on the file, or through libpq on the PostgreSQL
 * server (BK_TEST_DB_URI, see pg_cluster.sh). And forward migration: a
 * database at schema 1 (a file, or a schema on the server) opened by this
 * build is migrated in place.
 *
 * argv[1] = the db/ directory (for 001_init.sql, sqlite/ and pg/001_init.sql). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include "sqlread.h"
#include "testdb.h"

static const char *dbdir;

static int setup(void **state)
{
    testdb *t = calloc(1, sizeof *t);
    if (!t) return -1;
    testdb_create(t);
    t->q.fixed_now = 0; /* the views compute "today" from the real clock */
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    testdb_destroy(*state);
    free(*state);
    return 0;
}

/* A plain SQL connection of its own, as another system would open. */
static void reader(testdb *t, sqlread *r)
{
    if (sqlread_open(r, t->path)) fail_msg("%s", r->err);
}

static void query(sqlread *r, const char *sql, int n, const char *const *params, sqlrows *rows)
{
    if (sqlread_query(r, sql, n, params, rows)) fail_msg("%s", r->err);
}

/* Column names of a view, comma-joined. */
static void columns(sqlread *r, const char *view, char *out, size_t outsz)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s LIMIT 0", view);
    sqlrows rows;
    query(r, sql, 0, NULL, &rows);
    out[0] = 0;
    for (int i = 0; i < rows.ncols; i++) {
        size_t n = strlen(out);
        snprintf(out + n, outsz - n, "%s%s", i ? "," : "", rows.names[i]);
    }
    sqlrows_free(&rows);
}

static void test_view_columns_are_the_contract(void **state)
{
    testdb *t = *state;
    sqlread r;
    reader(t, &r);
    char cols[1024];
    columns(&r, "v_queue_today", cols, sizeof cols);
    assert_string_equal(cols, "code,status,purpose,officer,room,position,priority,checked_in_at,"
                              "called_at,last_call_at,calls");
    columns(&r, "v_visits", cols, sizeof cols);
    assert_string_equal(cols, "id,office_day,code,purpose,client_no,officer_id,assigned_id,routed,"
                              "transferred_from,status,priority,calls,checkin_at,called_at,"
                              "started_at,finished_at,served_by,outcome,wait_seconds,"
                              "service_seconds");
    columns(&r, "v_officer_presence", cols, sizeof cols);
    assert_non_null(strstr(cols, "office_day,officer,name,room,status,substitute,recorded"));
    sqlread_close(&r);
}

static void test_queue_today_positions_and_privacy(void **state)
{
    testdb *t = *state;
    queue_view a, b, c;
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &a), BK_OK);
    assert_int_equal(queue_checkin(&t->q, "C4", "1990-01-04", BK_PURPOSE_REPORT, &b), BK_OK);
    assert_int_equal(queue_checkin(&t->q, "C2", "1990-01-02", BK_PURPOSE_COUNSELING, &c), BK_OK);
    assert_int_equal(queue_priority(&t->q, b.t.id, NULL), BK_OK);
    assert_int_equal(queue_call_next(&t->q, "PK2", &c), BK_OK);
    sqlread r;
    reader(t, &r);
    sqlrows rows;
    query(&r,
          "SELECT code, status, officer, room, position FROM v_queue_today ORDER BY officer, "
          "position",
          0, NULL, &rows);
    for (int i = 0; i < rows.nrows; i++) {
        const char *code = sqlrows_get(&rows, i, 0);
        const char *status = sqlrows_get(&rows, i, 1);
        const char *position = sqlrows_get(&rows, i, 4);
        if (strcmp(code, b.t.code) == 0) {
            assert_string_equal(position, "0"); /* priority first */
        } else if (strcmp(code, a.t.code) == 0) {
            assert_string_equal(position, "1");
        } else {
            assert_string_equal(status, "called");
            assert_null(position);
            assert_string_equal(sqlrows_get(&rows, i, 3), "Room 2");
        }
    }
    assert_int_equal(rows.nrows, 3);
    sqlrows_free(&rows);
    /* No column of the public view holds a client name or number. */
    query(&r, "SELECT * FROM v_queue_today", 0, NULL, &rows);
    assert_int_equal(rows.nrows, 3);
    for (int i = 0; i < rows.nrows; i++)
        for (int k = 0; k < rows.ncols; k++) {
            const char *v = sqlrows_get(&rows, i, k);
            if (v) {
                assert_null(strstr(v, "Klien"));
                assert_string_not_equal(v, "C1");
            }
        }
    sqlrows_free(&rows);
    sqlread_close(&r);
}

static void test_visits_and_presence(void **state)
{
    testdb *t = *state;
    queue_view v;
    assert_int_equal(queue_presence_set(&t->q, NULL, "PK1", BK_PRESENCE_ABSENT, "PK3"), BK_OK);
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(queue_call_next(&t->q, "PK3", &v), BK_OK);
    assert_int_equal(queue_start(&t->q, v.t.id, NULL, NULL), BK_OK);
    assert_int_equal(queue_done(&t->q, v.t.id, BK_OUTCOME_COUNSELED, NULL), BK_OK);
    sqlread r;
    reader(t, &r);
    sqlrows rows;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)v.t.id);
    const char *const idp[] = {id};
    query(&r,
          "SELECT routed, assigned_id, served_by, outcome, CASE WHEN wait_seconds >= 0 THEN 1 "
          "ELSE 0 END, CASE WHEN service_seconds >= 0 THEN 1 ELSE 0 END FROM v_visits WHERE "
          "id = ?",
          1, idp, &rows);
    assert_int_equal(rows.nrows, 1);
    assert_string_equal(sqlrows_get(&rows, 0, 0), "substitute");
    assert_string_equal(sqlrows_get(&rows, 0, 1), "PK1");
    assert_string_equal(sqlrows_get(&rows, 0, 2), "PK3");
    assert_string_equal(sqlrows_get(&rows, 0, 3), "counseled");
    assert_string_equal(sqlrows_get(&rows, 0, 4), "1");
    assert_string_equal(sqlrows_get(&rows, 0, 5), "1");
    sqlrows_free(&rows);
    char today[11];
    queue_today(&t->q, today);
    const char *const dayp[] = {today};
    query(&r,
          "SELECT officer, status, substitute FROM v_officer_presence WHERE office_day = ? "
          "ORDER BY officer",
          1, dayp, &rows);
    for (int i = 0; i < rows.nrows; i++) {
        const char *o = sqlrows_get(&rows, i, 0);
        const char *st = sqlrows_get(&rows, i, 1);
        if (strcmp(o, "PK1") == 0) {
            assert_string_equal(st, "absent");
            assert_string_equal(sqlrows_get(&rows, i, 2), "PK3");
        } else {
            assert_string_equal(st, "present");
        }
    }
    assert_int_equal(rows.nrows, 3);
    sqlrows_free(&rows);
    sqlread_close(&r);
}

/* Run the SQL file dbdir/rel on r. */
static void run_sql_file(sqlread *r, const char *rel)
{
    char sqlpath[512];
    snprintf(sqlpath, sizeof sqlpath, "%s/%s", dbdir, rel);
    FILE *f = fopen(sqlpath, "r");
    assert_non_null(f);
    static char sql[1 << 16];
    size_t n = fread(sql, 1, sizeof sql - 1, f);
    sql[n] = 0;
    fclose(f);
    if (sqlread_exec(r, sql)) fail_msg("%s: %s", rel, r->err);
}

/* A database created by the first release (schema 1) is migrated forward:
 * a file (user_version 1) or a schema on the server (bk_schema 1). Its
 * schema 1 is what migration 1 makes there: the portable part, then the
 * database's own (db/README.md). */
static void test_migrates_schema_1_forward(void **state)
{
    (void)state;
    char dir[] = "/tmp/bkmig-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[400], schema[64];
    testdb_target(dir, "old.db", path, sizeof path, schema, sizeof schema);
    int pg = schema[0] != 0;
    sqlread r;
    if (sqlread_open(&r, path)) fail_msg("%s", r.err);
    if (!pg && sqlread_exec(&r, "PRAGMA journal_mode=WAL")) fail_msg("%s", r.err);
    run_sql_file(&r, "001_init.sql");
    run_sql_file(&r, pg ? "pg/001_init.sql" : "sqlite/001_init.sql");
    if (sqlread_exec(&r, pg ? "CREATE TABLE bk_schema(version INTEGER NOT NULL);"
                              "INSERT INTO bk_schema(version) VALUES (1)"
                            : "PRAGMA user_version = 1") ||
        sqlread_exec(&r, "INSERT INTO officers(id, name) VALUES ('PK1', 'Lama');"
                         "INSERT INTO clients(no, name, birth_date, officer_id) "
                         "VALUES ('C9', 'Klien Lama', '1980-02-02', 'PK1');"))
        fail_msg("%s", r.err);
    sqlread_close(&r);

    store *s = NULL;
    char err[256];
    store_opts ro = {.read_only = 1};
    assert_int_equal(store_open(path, &ro, &s, err, sizeof err), BK_ERR_STATE); /* refused as is */
    assert_int_equal(store_open(path, NULL, &s, err, sizeof err), BK_OK);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    assert_true(store_schema_latest() >= 2);
    store_client c;
    assert_int_equal(store_client_get(s, "C9", &c), BK_OK); /* data kept */
    assert_string_equal(c.name, "Klien Lama");
    queue_ctx q = {.st = s, .utc_offset_min = 420, .actor = "test"};
    queue_view v;
    assert_int_equal(queue_checkin(&q, "C9", "1980-02-02", BK_PURPOSE_REPORT, &v), BK_OK);
    /* What schema 2 added is there and readable as other systems read it. */
    char missing[128], denied[128];
    assert_int_equal(store_views_check(s, missing, sizeof missing, denied, sizeof denied), BK_OK);
    assert_string_equal(missing, "");
    assert_string_equal(denied, "");
    store_close(s);
    if (sqlread_open(&r, path)) fail_msg("%s", r.err);
    char src[32];
    if (sqlread_text(&r, "SELECT source FROM v_officer_presence WHERE officer = 'PK1' LIMIT 1", src,
                     sizeof src))
        fail_msg("%s", r.err);
    assert_string_equal(src, "default");
    sqlread_close(&r);
    testdb_target_drop(schema);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* store_views_check names a view that is gone (both backends). */
static void test_views_check_names_a_missing_view(void **state)
{
    testdb *t = *state;
    char missing[128], denied[128];
    assert_int_equal(store_views_check(t->st, missing, sizeof missing, denied, sizeof denied),
                     BK_OK);
    assert_string_equal(missing, "");
    assert_string_equal(denied, "");
    sqlread r;
    reader(t, &r);
    if (sqlread_exec(&r, "DROP VIEW v_visits")) fail_msg("%s", r.err);
    sqlread_close(&r);
    assert_int_equal(store_views_check(t->st, missing, sizeof missing, denied, sizeof denied),
                     BK_OK);
    assert_string_equal(missing, "v_visits");
    assert_string_equal(denied, "");
    assert_int_equal(store_begin(t->st, STORE_TX_READ), BK_OK);
    assert_int_equal(store_views_check(t->st, missing, sizeof missing, denied, sizeof denied),
                     BK_ERR_INTERNAL);
    store_rollback(t->st);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_views DB-DIR\n");
        return 2;
    }
    dbdir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_view_columns_are_the_contract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_today_positions_and_privacy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visits_and_presence, setup, teardown),
        cmocka_unit_test(test_migrates_schema_1_forward),
        cmocka_unit_test_setup_teardown(test_views_check_names_a_missing_view, setup, teardown),
    };
    return cmocka_run_group_tests_name("views and migration", tests, NULL, NULL);
}
