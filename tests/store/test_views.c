/* The views other systems read (db/README.md), read here the way such a
 * system would: plain SQL on the file. And forward migration: a file at
 * schema 1 opened by this build is migrated in place.
 *
 * argv[1] = the db/ directory (for 001_init.sql and sqlite/001_init.sql). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "testdb.h"

static const char *dbdir;

static int setup(void **state)
{
    testdb *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
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

static sqlite3 *reader(testdb *t)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

/* Column names of a view, comma-joined. */
static void columns(sqlite3 *db, const char *view, char *out, size_t outsz)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s LIMIT 0", view);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    out[0] = 0;
    for (int i = 0; i < sqlite3_column_count(st); i++) {
        size_t n = strlen(out);
        snprintf(out + n, outsz - n, "%s%s", i ? "," : "", sqlite3_column_name(st, i));
    }
    sqlite3_finalize(st);
}

static void test_view_columns_are_the_contract(void **state)
{
    testdb *t = *state;
    sqlite3 *db = reader(t);
    char cols[1024];
    columns(db, "v_queue_today", cols, sizeof cols);
    assert_string_equal(cols, "code,status,purpose,officer,room,position,priority,checked_in_at,"
                              "called_at,last_call_at,calls");
    columns(db, "v_visits", cols, sizeof cols);
    assert_string_equal(cols, "id,office_day,code,purpose,client_no,officer_id,assigned_id,routed,"
                              "transferred_from,status,priority,calls,checkin_at,called_at,"
                              "started_at,finished_at,served_by,outcome,wait_seconds,"
                              "service_seconds");
    columns(db, "v_officer_presence", cols, sizeof cols);
    assert_non_null(strstr(cols, "office_day,officer,name,room,status,substitute,recorded"));
    sqlite3_close(db);
}

static void test_queue_today_positions_and_privacy(void **state)
{
    testdb *t = *state;
    queue_view a, b, c;
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", "report", &a), BK_OK);
    assert_int_equal(queue_checkin(&t->q, "C4", "1990-01-04", "report", &b), BK_OK);
    assert_int_equal(queue_checkin(&t->q, "C2", "1990-01-02", "counseling", &c), BK_OK);
    assert_int_equal(queue_priority(&t->q, b.t.id, NULL), BK_OK);
    assert_int_equal(queue_call_next(&t->q, "PK2", &c), BK_OK);
    sqlite3 *db = reader(t);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT code, status, officer, room, position FROM "
                                        "v_queue_today ORDER BY officer, position",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        const char *status = (const char *)sqlite3_column_text(st, 1);
        if (strcmp(code, b.t.code) == 0)
            assert_int_equal(sqlite3_column_int(st, 4), 0); /* priority first */
        else if (strcmp(code, a.t.code) == 0)
            assert_int_equal(sqlite3_column_int(st, 4), 1);
        else {
            assert_string_equal(status, "called");
            assert_int_equal(sqlite3_column_type(st, 4), SQLITE_NULL);
            assert_string_equal((const char *)sqlite3_column_text(st, 3), "Room 2");
        }
        rows++;
    }
    sqlite3_finalize(st);
    assert_int_equal(rows, 3);
    /* No column of the public view holds a client name or number. */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT * FROM v_queue_today", -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *v = sqlite3_column_text(st, i);
            if (v) {
                assert_null(strstr((const char *)v, "Klien"));
                assert_string_not_equal((const char *)v, "C1");
            }
        }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_visits_and_presence(void **state)
{
    testdb *t = *state;
    queue_view v;
    assert_int_equal(queue_presence_set(&t->q, NULL, "PK1", "absent", "PK3"), BK_OK);
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", "report", &v), BK_OK);
    assert_int_equal(queue_call_next(&t->q, "PK3", &v), BK_OK);
    assert_int_equal(queue_start(&t->q, v.t.id, NULL, NULL), BK_OK);
    assert_int_equal(queue_done(&t->q, v.t.id, "counseled", NULL), BK_OK);
    sqlite3 *db = reader(t);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT routed, assigned_id, served_by, outcome, "
                                        "wait_seconds >= 0, service_seconds >= 0 FROM v_visits "
                                        "WHERE id = ?",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, v.t.id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "substitute");
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "PK1");
    assert_string_equal((const char *)sqlite3_column_text(st, 2), "PK3");
    assert_string_equal((const char *)sqlite3_column_text(st, 3), "counseled");
    assert_int_equal(sqlite3_column_int(st, 4), 1);
    assert_int_equal(sqlite3_column_int(st, 5), 1);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT officer, status, substitute FROM "
                                        "v_officer_presence WHERE office_day = ? ORDER BY officer",
                                        -1, &st, NULL),
                     SQLITE_OK);
    char today[11];
    queue_today(&t->q, today);
    sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *o = (const char *)sqlite3_column_text(st, 0);
        const char *s = (const char *)sqlite3_column_text(st, 1);
        if (strcmp(o, "PK1") == 0) {
            assert_string_equal(s, "absent");
            assert_string_equal((const char *)sqlite3_column_text(st, 2), "PK3");
        } else {
            assert_string_equal(s, "present");
        }
        n++;
    }
    assert_int_equal(n, 3);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Run the SQL file dbdir/rel on db. */
static void run_sql_file(sqlite3 *db, const char *rel)
{
    char sqlpath[512];
    snprintf(sqlpath, sizeof sqlpath, "%s/%s", dbdir, rel);
    FILE *f = fopen(sqlpath, "r");
    assert_non_null(f);
    static char sql[1 << 16];
    size_t n = fread(sql, 1, sizeof sql - 1, f);
    sql[n] = 0;
    fclose(f);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* A file created by the first release (schema 1) is migrated forward. Its
 * schema 1 is what SQLite's migration 1 makes: the portable part, then
 * SQLite's own (db/README.md). */
static void test_migrates_schema_1_forward(void **state)
{
    (void)state;
    char dir[] = "/tmp/bkmig-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/old.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
    run_sql_file(db, "001_init.sql");
    run_sql_file(db, "sqlite/001_init.sql");
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA user_version = 1;"
                                  "INSERT INTO officers(id, name) VALUES ('PK1', 'Lama');"
                                  "INSERT INTO clients(no, name, birth_date, officer_id) "
                                  "VALUES ('C9', 'Klien Lama', '1980-02-02', 'PK1');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    store *s = NULL;
    char err[256];
    assert_int_equal(store_open(path, NULL, &s, err, sizeof err), BK_OK);
    assert_int_equal(store_schema_version(s), store_schema_latest());
    assert_true(store_schema_latest() >= 2);
    store_client c;
    assert_int_equal(store_client_get(s, "C9", &c), BK_OK); /* data kept */
    assert_string_equal(c.name, "Klien Lama");
    queue_ctx q = {.st = s, .utc_offset_min = 420, .actor = "test"};
    queue_view v;
    assert_int_equal(queue_checkin(&q, "C9", "1980-02-02", "report", &v), BK_OK);
    store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
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
    };
    return cmocka_run_group_tests_name("views and migration", tests, NULL, NULL);
}
