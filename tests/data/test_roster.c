/* test_roster.c — presence: the day record beats the weekly pattern beats
 * "present"; nobody marked = every active officer present; check-in routing
 * follows it (assigned, substitute, reception); the shared view agrees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "roster.h"
#include "store_data.h"
#include "testdb.h"

/* testdb's clock: 2026-12-07 09:00 WIB, a Monday. */
#define MON "2026-12-07"
#define TUE "2026-12-08"
#define FRI "2026-12-11"

static int present(testdb *t, const char *day, const char *officer, store_presence *rec)
{
    int p = -1;
    bk_err e = queue_officer_present(&t->q, day, officer, &p, rec);
    if (e) fail_msg("present %s %s: %s", day, officer, bk_err_name(e));
    return p;
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(roster_weekday(MON), 1);
    assert_int_equal(roster_weekday(FRI), 5);
    assert_int_equal(roster_weekday("1970-01-01"), 4);
    assert_int_equal(roster_weekday("1969-12-28"), 0);
    assert_int_equal(roster_weekday("2000-02-29"), 2);
    assert_int_equal(roster_weekday("2026-02-30"), -1);
    const char *const names[][2] = {
        {"0", "0"},      {"7", "0"},        {"5", "5"},    {"fri", "5"},   {"Friday", "5"},
        {"JUMAT", "5"},  {"Jum'at", "5"},   {"jum", "5"},  {"senin", "1"}, {"Mon", "1"},
        {"minggu", "0"}, {"sabtu", "6"},    {"Sat.", "6"}, {"rabu", "3"},  {"kamis", "4"},
        {"selasa", "2"}, {"Wednesday", "3"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_int_equal(roster_weekday_parse(names[i][0]), atoi(names[i][1]));
    const char *const bad[] = {"", "8", "-1", "fr", "frid", "someday", "senen", "12"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(roster_weekday_parse(bad[i]), -1);
    assert_string_equal(roster_weekday_name(5), "Friday");
}

static void test_default_present(void **state)
{
    (void)state;
    testdb t;
    testdb_create(&t);
    store_presence rec;
    /* Nobody marked: every active officer is present, every day. */
    assert_int_equal(present(&t, MON, "PK1", &rec), 1);
    assert_int_equal(rec.status, BK_PRESENCE_PRESENT);
    assert_string_equal(rec.substitute, "");
    assert_int_equal(present(&t, FRI, "PK3", NULL), 1);
    /* An inactive officer never is, whatever the roster says. */
    store_officer o;
    assert_int_equal(store_officer_get(t.st, "PK3", &o), BK_OK);
    o.active = 0;
    assert_int_equal(store_begin(t.st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(store_officer_update(t.st, &o), BK_OK);
    assert_int_equal(store_commit(t.st), BK_OK);
    assert_int_equal(present(&t, MON, "PK3", NULL), 0);
    assert_int_equal(queue_presence_set(&t.q, MON, "PK3", BK_PRESENCE_DUTY, NULL), BK_OK);
    assert_int_equal(present(&t, MON, "PK3", NULL), 0);
    int p;
    assert_int_equal(queue_officer_present(&t.q, MON, "NOPE", &p, NULL), BK_ERR_NOT_FOUND);
    testdb_destroy(&t);
}

static void test_precedence(void **state)
{
    (void)state;
    testdb t;
    testdb_create(&t);
    store_presence rec;
    roster_source src;
    /* PK3 is away on Mondays (field visits), PK2 stands in. */
    assert_int_equal(roster_weekly_set(&t.q, "PK3", 1, BK_PRESENCE_ABSENT, "PK2"), BK_OK);
    assert_int_equal(present(&t, MON, "PK3", &rec), 0);
    assert_int_equal(rec.status, BK_PRESENCE_ABSENT);
    assert_string_equal(rec.substitute, "PK2");
    assert_string_equal(rec.day, MON);
    assert_int_equal(roster_resolve(t.st, MON, "PK3", &rec, &src), BK_OK);
    assert_int_equal(src, ROSTER_WEEKLY);
    assert_int_equal(present(&t, "2026-12-14", "PK3", NULL), 0); /* next Monday too */
    assert_int_equal(present(&t, TUE, "PK3", &rec), 1);
    assert_int_equal(roster_resolve(t.st, TUE, "PK3", &rec, &src), BK_OK);
    assert_int_equal(src, ROSTER_DEFAULT);
    /* The day record beats the pattern: in this Monday after all. */
    assert_int_equal(queue_presence_set(&t.q, MON, "PK3", BK_PRESENCE_PRESENT, NULL), BK_OK);
    assert_int_equal(present(&t, MON, "PK3", &rec), 1);
    assert_string_equal(rec.substitute, "");
    assert_int_equal(roster_resolve(t.st, MON, "PK3", &rec, &src), BK_OK);
    assert_int_equal(src, ROSTER_DAY);
    assert_int_equal(present(&t, "2026-12-14", "PK3", NULL), 0);
    /* Clearing the day record brings the pattern back. */
    assert_int_equal(roster_day_clear(&t.q, MON, "PK3"), BK_OK);
    assert_int_equal(present(&t, MON, "PK3", NULL), 0);
    assert_int_equal(roster_day_clear(&t.q, MON, "PK3"), BK_ERR_NOT_FOUND);
    /* duty (piket) is present. */
    assert_int_equal(roster_weekly_set(&t.q, "PK1", 5, BK_PRESENCE_DUTY, NULL), BK_OK);
    assert_int_equal(present(&t, FRI, "PK1", &rec), 1);
    assert_int_equal(rec.status, BK_PRESENCE_DUTY);
    /* Replace and clear a pattern. */
    assert_int_equal(roster_weekly_set(&t.q, "PK3", 1, BK_PRESENCE_PRESENT, NULL), BK_OK);
    assert_int_equal(present(&t, MON, "PK3", NULL), 1);
    assert_int_equal(roster_weekly_clear(&t.q, "PK3", 1), BK_OK);
    assert_int_equal(roster_weekly_clear(&t.q, "PK3", 1), BK_ERR_NOT_FOUND);
    assert_int_equal(roster_resolve(t.st, MON, "PK3", &rec, &src), BK_OK);
    assert_int_equal(src, ROSTER_DEFAULT);
    /* Every change is audited. */
    int n = testdb_audit_rows(&t);
    assert_int_equal(roster_weekly_set(&t.q, "PK2", 3, BK_PRESENCE_ABSENT, NULL), BK_OK);
    assert_int_equal(testdb_audit_rows(&t), n + 1);
    testdb_destroy(&t);
}

static void test_validation(void **state)
{
    (void)state;
    testdb t;
    testdb_create(&t);
    assert_int_equal(roster_weekly_set(&t.q, "PK1", 7, BK_PRESENCE_ABSENT, NULL), BK_ERR_INVALID);
    assert_int_equal(roster_weekly_set(&t.q, "PK1", -1, BK_PRESENCE_ABSENT, NULL), BK_ERR_INVALID);
    assert_int_equal(roster_weekly_set(&t.q, "PK1", 1, BK_PRESENCE__COUNT, NULL), BK_ERR_INVALID);
    bk_presence away;
    assert_int_equal(bk_presence_parse("away", &away), BK_ERR_INVALID);
    assert_int_equal(roster_weekly_set(&t.q, "PK1", 1, BK_PRESENCE_ABSENT, "PK1"), BK_ERR_INVALID);
    assert_int_equal(roster_weekly_set(&t.q, "PK1", 1, BK_PRESENCE_PRESENT, "PK2"), BK_ERR_INVALID);
    assert_int_equal(roster_weekly_set(&t.q, "PK9", 1, BK_PRESENCE_ABSENT, NULL), BK_ERR_NOT_FOUND);
    assert_int_equal(roster_weekly_set(&t.q, "PK1", 1, BK_PRESENCE_ABSENT, "PK9"),
                     BK_ERR_NOT_FOUND);
    store_officer o;
    assert_int_equal(store_officer_get(t.st, "PK2", &o), BK_OK);
    o.active = 0;
    assert_int_equal(store_begin(t.st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(store_officer_update(t.st, &o), BK_OK);
    assert_int_equal(store_commit(t.st), BK_OK);
    assert_int_equal(roster_weekly_set(&t.q, "PK1", 1, BK_PRESENCE_ABSENT, "PK2"), BK_ERR_STATE);
    int n = 0;
    store_data_weekly w;
    assert_int_equal(store_data_weekly_get(t.st, "PK1", 1, &w), BK_ERR_NOT_FOUND);
    (void)n;
    testdb_destroy(&t);
}

/* Check-in routing uses the roster: assigned, substitute, reception. */
static void test_routing(void **state)
{
    (void)state;
    testdb t;
    testdb_create(&t);
    queue_view v;
    /* C3's PK3 is away on Mondays with PK2 standing in. */
    assert_int_equal(roster_weekly_set(&t.q, "PK3", 1, BK_PRESENCE_ABSENT, "PK2"), BK_OK);
    assert_int_equal(queue_checkin(&t.q, "C3", "1990-01-03", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(v.t.routed, BK_ROUTED_SUBSTITUTE);
    assert_string_equal(v.t.officer, "PK2");
    assert_string_equal(v.t.assigned, "PK3");
    /* C1's PK1 is away on Mondays with nobody named: reception. */
    assert_int_equal(roster_weekly_set(&t.q, "PK1", 1, BK_PRESENCE_ABSENT, NULL), BK_OK);
    assert_int_equal(queue_checkin(&t.q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(v.t.routed, BK_ROUTED_RECEPTION);
    assert_string_equal(v.t.officer, "");
    /* A named substitute who is away too: reception (C5, another client of
     * PK3: C3's second purpose would join its open visit). */
    testdb_client(&t, "C5", "1990-01-05", "PK3");
    assert_int_equal(queue_presence_set(&t.q, NULL, "PK2", BK_PRESENCE_ABSENT, NULL), BK_OK);
    assert_int_equal(queue_checkin(&t.q, "C5", "1990-01-05", BK_PURPOSE_COUNSELING, &v), BK_OK);
    assert_int_equal(v.t.routed, BK_ROUTED_RECEPTION);
    /* C2's PK2 is away today only (day record): C4 of PK1 ... PK1 in after all. */
    assert_int_equal(queue_presence_set(&t.q, NULL, "PK1", BK_PRESENCE_PRESENT, NULL), BK_OK);
    assert_int_equal(queue_checkin(&t.q, "C4", "1990-01-04", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(v.t.routed, BK_ROUTED_ASSIGNED);
    assert_string_equal(v.t.officer, "PK1");
    /* Tuesday: no pattern, no record: everyone at their own PK. */
    t.q.fixed_now += 86400;
    assert_int_equal(queue_checkin(&t.q, "C3", "1990-01-03", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(v.t.routed, BK_ROUTED_ASSIGNED);
    assert_string_equal(v.t.officer, "PK3");
    testdb_destroy(&t);
}

typedef struct collect {
    char line[64][160];
    int n;
} collect;

static bk_err collect_entry(void *ud, const roster_entry *e)
{
    collect *c = ud;
    if (c->n < 64)
        snprintf(c->line[c->n++], 160, "%s %s %s %s %s %d", e->day, e->officer.id,
                 bk_presence_name(e->rec.status), roster_source_name(e->source),
                 e->rec.substitute[0] ? e->rec.substitute : "-", e->present);
    return BK_OK;
}

static void test_list(void **state)
{
    (void)state;
    testdb t;
    testdb_create(&t);
    assert_int_equal(roster_weekly_set(&t.q, "PK3", 5, BK_PRESENCE_ABSENT, "PK1"), BK_OK);
    assert_int_equal(queue_presence_set(&t.q, "2026-12-10", "PK2", BK_PRESENCE_DUTY, NULL), BK_OK);
    collect c = {0};
    assert_int_equal(roster_list(&t.q, "2026-12-10", FRI, NULL, collect_entry, &c), BK_OK);
    assert_int_equal(c.n, 6);
    assert_string_equal(c.line[0], "2026-12-10 PK1 present default - 1");
    assert_string_equal(c.line[1], "2026-12-10 PK2 duty day - 1");
    assert_string_equal(c.line[2], "2026-12-10 PK3 present default - 1");
    assert_string_equal(c.line[5], "2026-12-11 PK3 absent weekly PK1 0");
    c.n = 0;
    assert_int_equal(roster_list(&t.q, MON, "2026-12-13", "PK3", collect_entry, &c), BK_OK);
    assert_int_equal(c.n, 7);
    assert_string_equal(c.line[4], "2026-12-11 PK3 absent weekly PK1 0");
    assert_int_equal(roster_list(&t.q, TUE, MON, NULL, collect_entry, &c), BK_ERR_INVALID);
    assert_int_equal(roster_list(&t.q, MON, "2027-12-31", NULL, collect_entry, &c), BK_ERR_INVALID);
    assert_int_equal(roster_list(&t.q, MON, MON, "PK9", collect_entry, &c), BK_ERR_NOT_FOUND);
    testdb_destroy(&t);
}

/* v_officer_presence (the view other systems read) applies the pattern for
 * the real today. */
static void test_view(void **state)
{
    (void)state;
    if (testdb_is_pg()) {
        skip(); /* read with SQLite here; on PostgreSQL test_migrate.sh compares the views */
        return;
    }
    testdb t;
    testdb_create(&t);
    char today[11];
    otime_day(otime_now(), 420, today);
    int wd = roster_weekday(today);
    assert_int_equal(roster_weekly_set(&t.q, "PK2", wd, BK_PRESENCE_ABSENT, "PK1"), BK_OK);
    assert_int_equal(roster_weekly_set(&t.q, "PK3", (wd + 1) % 7, BK_PRESENCE_ABSENT, NULL), BK_OK);
    assert_int_equal(queue_presence_set(&t.q, today, "PK1", BK_PRESENCE_DUTY, NULL), BK_OK);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT officer, status, COALESCE(substitute, '-'), "
                                        "recorded, source FROM v_officer_presence WHERE "
                                        "office_day = ? ORDER BY officer",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
    const char *const want[] = {"PK1 duty - 1 day", "PK2 absent PK1 0 weekly",
                                "PK3 present - 0 default"};
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char got[128];
        snprintf(got, sizeof got, "%s %s %s %d %s", sqlite3_column_text(st, 0),
                 sqlite3_column_text(st, 1), sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
                 sqlite3_column_text(st, 4));
        assert_true(n < 3);
        assert_string_equal(got, want[n]);
        n++;
    }
    assert_int_equal(n, 3);
    sqlite3_finalize(st);
    sqlite3_close(db);
    testdb_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekday),    cmocka_unit_test(test_default_present),
        cmocka_unit_test(test_precedence), cmocka_unit_test(test_validation),
        cmocka_unit_test(test_routing),    cmocka_unit_test(test_list),
        cmocka_unit_test(test_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
