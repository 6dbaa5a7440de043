/* The lobby board model: calls, chime events, queues, and privacy. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "board.h"
#include "testdb.h"

static int setup(void **state)
{
    testdb *t = calloc(1, sizeof *t);
    if (!t) return -1;
    testdb_create(t);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    testdb_destroy(*state);
    free(*state);
    return 0;
}

static board_model prev_m, next_m;

static void test_calls_and_chimes(void **state)
{
    testdb *t = *state;
    queue_view a, b, c;
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &a), BK_OK);
    assert_int_equal(queue_checkin(&t->q, "C2", "1990-01-02", BK_PURPOSE_REPORT, &b), BK_OK);
    assert_int_equal(queue_checkin(&t->q, "C3", "1990-01-03", BK_PURPOSE_COUNSELING, &c), BK_OK);
    assert_int_equal(board_load(&t->q, 0, &prev_m), BK_OK);
    assert_false(prev_m.has_current);
    assert_int_equal(prev_m.total_waiting, 3);
    board_call ev[8];
    assert_int_equal(board_new_calls(NULL, &prev_m, ev, 8), 0);

    /* One call: one chime, shown as current with the room. */
    t->q.fixed_now += 60;
    assert_int_equal(queue_call_next(&t->q, "PK1", &a), BK_OK);
    assert_int_equal(board_load(&t->q, 0, &next_m), BK_OK);
    assert_true(next_m.has_current);
    assert_string_equal(next_m.current.code, "A-001");
    assert_string_equal(next_m.current.room, "Room 1");
    assert_int_equal(board_new_calls(&prev_m, &next_m, ev, 8), 1);
    assert_string_equal(ev[0].code, "A-001");
    assert_int_equal(next_m.total_waiting, 2);
    prev_m = next_m;

    /* Two calls in quick succession between two loads: two chimes, oldest first. */
    t->q.fixed_now += 5;
    assert_int_equal(queue_call_next(&t->q, "PK2", &b), BK_OK);
    t->q.fixed_now += 1;
    assert_int_equal(queue_call_next(&t->q, "PK3", &c), BK_OK);
    assert_int_equal(board_load(&t->q, 0, &next_m), BK_OK);
    assert_int_equal(board_new_calls(&prev_m, &next_m, ev, 8), 2);
    assert_string_equal(ev[0].code, "A-002");
    assert_string_equal(ev[1].code, "A-003"); /* C3's counseling: the same series */
    assert_string_equal(next_m.current.code, "A-003");
    assert_int_equal(next_m.n_recent, 2);
    assert_string_equal(next_m.recent[0].code, "A-002");
    prev_m = next_m;

    /* Nothing new: no chime. A recall of an earlier ticket chimes and becomes current. */
    assert_int_equal(board_load(&t->q, 0, &next_m), BK_OK);
    assert_int_equal(board_new_calls(&prev_m, &next_m, ev, 8), 0);
    t->q.fixed_now += 30;
    assert_int_equal(queue_recall(&t->q, a.t.id, NULL), BK_OK);
    assert_int_equal(board_load(&t->q, 0, &next_m), BK_OK);
    assert_int_equal(board_new_calls(&prev_m, &next_m, ev, 8), 1);
    assert_string_equal(ev[0].code, "A-001");
    assert_int_equal(ev[0].calls, 2);
    assert_string_equal(next_m.current.code, "A-001");
    prev_m = next_m;

    /* Starting and finishing service keeps the call on the board. */
    assert_int_equal(queue_start(&t->q, a.t.id, NULL, NULL), BK_OK);
    assert_int_equal(queue_done(&t->q, a.t.id, BK_OUTCOME_ADMIN, NULL), BK_OK);
    assert_int_equal(board_load(&t->q, 0, &next_m), BK_OK);
    assert_string_equal(next_m.current.code, "A-001");
    assert_int_equal(board_new_calls(&prev_m, &next_m, ev, 8), 0);
}

static void test_queues_presence_reception(void **state)
{
    testdb *t = *state;
    queue_view v;
    assert_int_equal(queue_presence_set(&t->q, NULL, "PK3", BK_PRESENCE_ABSENT, "PK2"), BK_OK);
    assert_int_equal(queue_checkin(&t->q, "C3", "1990-01-03", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_OTHER, "Tamu", &v), BK_OK);
    assert_int_equal(board_load(&t->q, 0, &next_m), BK_OK);
    assert_int_equal(next_m.n_queues, 4); /* PK1..PK3 + reception */
    board_queue *pk2 = &next_m.queues[1], *pk3 = &next_m.queues[2], *rec = &next_m.queues[3];
    assert_string_equal(pk2->officer, "PK2");
    assert_int_equal(pk2->n_waiting, 1);
    assert_string_equal(pk2->codes[0], "A-001");
    assert_false(pk3->present);
    assert_string_equal(pk3->substitute, "PK2");
    assert_string_equal(rec->officer, "");
    assert_string_equal(rec->codes[0], "A-002"); /* a walk-in: the same series */
}

static void test_privacy_and_initials(void **state)
{
    testdb *t = *state;
    queue_view v;
    assert_int_equal(queue_checkin(&t->q, "C1", "1990-01-01", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(queue_checkin(&t->q, "C2", "1990-01-02", BK_PURPOSE_REPORT, &v), BK_OK);
    assert_int_equal(queue_walkin(&t->q, BK_PURPOSE_OTHER, "Ahmad Fauzi", &v), BK_OK);
    assert_int_equal(queue_call_next(&t->q, "PK1", &v), BK_OK);
    assert_int_equal(board_load(&t->q, 0, &next_m), BK_OK);
    /* No client name or number anywhere in the model's bytes. */
    const char *secrets[] = {"Klien C1", "Klien C2", "Ahmad", "Fauzi", "1990-01-0"};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        assert_null(memmem(&next_m, sizeof next_m, secrets[i], strlen(secrets[i])));
    /* With the switch on: masked initials only. */
    assert_int_equal(board_load(&t->q, 1, &next_m), BK_OK);
    assert_string_equal(next_m.current.initials, "K. C.");
    assert_string_equal(next_m.queues[next_m.n_queues - 1].officer, ""); /* reception */
    assert_string_equal(next_m.queues[next_m.n_queues - 1].initials[0], "A. F.");
    assert_null(memmem(&next_m, sizeof next_m, "Ahmad", 5));
    char ini[BOARD_INITIALS_SZ];
    board_initials("H. Ahmad, S.H.", ini);
    assert_string_equal(ini, "H. A.");
    board_initials("", ini);
    assert_string_equal(ini, "");
    board_initials("\xc3\x89lodie Nur", ini);
    assert_string_equal(ini, "N.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_calls_and_chimes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queues_presence_reception, setup, teardown),
        cmocka_unit_test_setup_teardown(test_privacy_and_initials, setup, teardown),
    };
    return cmocka_run_group_tests_name("board model", tests, NULL, NULL);
}
