/* store_answers.c — the wajib lapor questions and answers (store_answers.h). */
#include "store_answers.h"

#include <stdio.h>
#include <string.h>

#include "store_priv.h"

#define QUESTION_COLS "q.id, q.pos, q.text_id, q.text_en, q.active, q.changed_at"

static void read_question(sqlx_stmt *st, int col, store_question *q)
{
    memset(q, 0, sizeof *q);
    q->id = sqlx_col_int(st, col);
    q->pos = sqlx_col_int(st, col + 1);
    store_priv_col_text(st, col + 2, q->text_id, sizeof q->text_id);
    store_priv_col_text(st, col + 3, q->text_en, sizeof q->text_en);
    q->active = sqlx_col_int(st, col + 4);
    q->changed_at = store_priv_col_time(st, col + 5);
}

static int is_pg(store *s)
{
    return sqlx_kind(store_priv_db(s)) == SQLX_PG;
}

bk_err store_questions_list(store *s, int active_only, store_question_cb cb, void *ud)
{
    static const char *const sql_all =
        "SELECT " QUESTION_COLS " FROM report_questions q ORDER BY q.pos, q.id";
    static const char *const sql_active =
        "SELECT " QUESTION_COLS " FROM report_questions q WHERE q.active = 1 ORDER BY q.pos, q.id";
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(store_priv_db(s), active_only ? sql_active : sql_all, &st);
    if (e) return e;
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_question q;
        read_question(st, 0, &q);
        if ((e = cb(ud, &q))) {
            sqlx_reset(st);
            return e;
        }
    }
    if (rc != SQLX_DONE) e = sqlx_fail(store_priv_db(s), "question list");
    sqlx_reset(st);
    return e;
}

bk_err store_question_get(store *s, int id, store_question *out)
{
    static const char *const sql =
        "SELECT " QUESTION_COLS " FROM report_questions q WHERE q.id = ?";
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(store_priv_db(s), sql, &st);
    if (e) return e;
    STORE_TRY(sqlx_bind_int(st, 1, id));
    if ((e = store_priv_step_row(s, st, "question"))) return e;
    read_question(st, 0, out);
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_question_put(store *s, store_question *q)
{
    static const char *const sql_next = "SELECT COALESCE(MAX(id), 0) + 1 FROM report_questions";
    static const char *const sql_ins =
        "INSERT INTO report_questions(id, pos, text_id, text_en, active, changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?)";
    static const char *const sql_upd = "UPDATE report_questions SET pos = ?, text_id = ?, "
                                       "text_en = ?, active = ?, changed_at = ? WHERE id = ?";
    sqlx *c = store_priv_db(s);
    sqlx_stmt *st = NULL;
    bk_err e;
    if (strlen(q->text_id) >= STORE_QUESTION_SZ || strlen(q->text_en) >= STORE_QUESTION_SZ) {
        sqlx_errf(c, "question text longer than %d bytes", STORE_QUESTION_SZ - 1);
        return BK_ERR_INVALID;
    }
    int insert = q->id == 0;
    if (insert) {
        if ((e = sqlx_prep(c, sql_next, &st))) return e;
        if ((e = store_priv_step_row(s, st, "next question id"))) return e;
        q->id = sqlx_col_int(st, 0);
        sqlx_reset(st);
        if (q->id > STORE_QUESTION_ID_MAX) {
            sqlx_errf(c, "no free question id (at most %d)", STORE_QUESTION_ID_MAX);
            return BK_ERR_INVALID;
        }
    }
    if (insert) {
        if ((e = sqlx_prep(c, sql_ins, &st))) return e;
        STORE_TRY(sqlx_bind_int(st, 1, q->id));
        STORE_TRY(sqlx_bind_int(st, 2, q->pos));
        STORE_TRY(store_priv_bind_text(st, 3, q->text_id));
        STORE_TRY(store_priv_bind_text(st, 4, q->text_en));
        STORE_TRY(sqlx_bind_int(st, 5, q->active ? 1 : 0));
        STORE_TRY(store_priv_bind_time(st, 6, q->changed_at));
        return store_priv_step_done(s, st, "question insert");
    }
    if ((e = sqlx_prep(c, sql_upd, &st))) return e;
    STORE_TRY(sqlx_bind_int(st, 1, q->pos));
    STORE_TRY(store_priv_bind_text(st, 2, q->text_id));
    STORE_TRY(store_priv_bind_text(st, 3, q->text_en));
    STORE_TRY(sqlx_bind_int(st, 4, q->active ? 1 : 0));
    STORE_TRY(store_priv_bind_time(st, 5, q->changed_at));
    STORE_TRY(sqlx_bind_int(st, 6, q->id));
    if ((e = store_priv_step_done(s, st, "question update"))) return e;
    if (sqlx_changes(c) == 0) {
        sqlx_errf(c, "question %d: not found", q->id);
        return BK_ERR_NOT_FOUND;
    }
    return BK_OK;
}

bk_err store_answers_get(store *s, int64_t ticket_id, store_answer *out, int max, int *n)
{
    static const char *const sql_lite =
        "SELECT a.question_id, a.answer, a.answered_at FROM ticket_answers a "
        "JOIN report_questions q ON q.id = a.question_id WHERE a.ticket_id = ? "
        "ORDER BY q.pos, q.id";
    /* PostgreSQL: what this login may see (answer NULL for a kiosk) */
    static const char *const sql_pg =
        "SELECT a.question_id, a.answer, a.answered_at FROM bk_answers_seen a "
        "JOIN report_questions q ON q.id = a.question_id WHERE a.ticket_id = ? "
        "ORDER BY q.pos, q.id";
    *n = 0;
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(store_priv_db(s), is_pg(s) ? sql_pg : sql_lite, &st);
    if (e) return e;
    STORE_TRY(sqlx_bind_int64(st, 1, ticket_id));
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        if (*n >= max) continue;
        store_answer *a = &out[(*n)++];
        a->question_id = sqlx_col_int(st, 0);
        a->answer = sqlx_col_is_null(st, 1) ? -1 : sqlx_col_int(st, 1);
        a->answered_at = store_priv_col_time(st, 2);
    }
    if (rc != SQLX_DONE) e = sqlx_fail(store_priv_db(s), "answers");
    sqlx_reset(st);
    return e;
}

bk_err store_answer_insert(store *s, int64_t ticket_id, int question_id, int answer, int64_t at)
{
    static const char *const sql =
        "INSERT INTO ticket_answers(ticket_id, question_id, answer, answered_at) "
        "VALUES (?, ?, ?, ?)";
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(store_priv_db(s), sql, &st);
    if (e) return e;
    STORE_TRY(sqlx_bind_int64(st, 1, ticket_id));
    STORE_TRY(sqlx_bind_int(st, 2, question_id));
    STORE_TRY(sqlx_bind_int(st, 3, answer ? 1 : 0));
    STORE_TRY(store_priv_bind_time(st, 4, at));
    return store_priv_step_done(s, st, "answer insert");
}

bk_err store_audit_has(store *s, int64_t ticket_id, const char *action, const char *actor, int *yes)
{
    static const char *const sql =
        "SELECT COUNT(*) FROM audit WHERE ticket_id = ? AND action = ? AND actor = ?";
    *yes = 0;
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(store_priv_db(s), sql, &st);
    if (e) return e;
    STORE_TRY(sqlx_bind_int64(st, 1, ticket_id));
    STORE_TRY(store_priv_bind_text(st, 2, action));
    STORE_TRY(store_priv_bind_text(st, 3, actor ? actor : ""));
    if ((e = store_priv_step_row(s, st, "audit"))) return e;
    *yes = sqlx_col_int(st, 0) > 0;
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_answers_count(store *s, const char *from, const char *to, store_flag_cb cb, void *ud,
                           int *report_tickets, int *unanswered)
{
#define FLAG_SQL(ANS)                                                                              \
    "SELECT " QUESTION_COLS ", COALESCE(SUM(CASE WHEN x.answer = 1 THEN 1 ELSE 0 END), 0), "       \
    "COUNT(x.question_id) FROM report_questions q LEFT JOIN (SELECT a.question_id, a.answer "      \
    "FROM " ANS " a JOIN tickets t ON t.id = a.ticket_id WHERE t.office_day >= ? AND "             \
    "t.office_day <= ?) x ON x.question_id = q.id GROUP BY q.id, q.pos, q.text_id, q.text_en, "    \
    "q.active, q.changed_at HAVING q.active = 1 OR COUNT(x.question_id) > 0 ORDER BY q.pos, q.id"
#define TOTAL_SQL(ANS)                                                                             \
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM " ANS " a WHERE a.ticket_id "   \
    "= t.id) THEN 0 ELSE 1 END), 0) FROM tickets t WHERE t.purpose = 'report' AND t.client_no "    \
    "IS NOT NULL AND t.office_day >= ? AND t.office_day <= ?"
    static const char *const flag_lite = FLAG_SQL("ticket_answers");
    static const char *const flag_pg = FLAG_SQL("bk_answers_seen");
    static const char *const total_lite = TOTAL_SQL("ticket_answers");
    static const char *const total_pg = TOTAL_SQL("bk_answers_seen");
#undef FLAG_SQL
#undef TOTAL_SQL
    sqlx *c = store_priv_db(s);
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(c, is_pg(s) ? flag_pg : flag_lite, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, from));
    STORE_TRY(store_priv_bind_text(st, 2, to));
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_question q;
        read_question(st, 0, &q);
        if ((e = cb(ud, &q, sqlx_col_int(st, 6), sqlx_col_int(st, 7)))) {
            sqlx_reset(st);
            return e;
        }
    }
    if (rc != SQLX_DONE) e = sqlx_fail(c, "answer counts");
    sqlx_reset(st);
    if (e) return e;
    if ((e = sqlx_prep(c, is_pg(s) ? total_pg : total_lite, &st))) return e;
    STORE_TRY(store_priv_bind_text(st, 1, from));
    STORE_TRY(store_priv_bind_text(st, 2, to));
    if ((e = store_priv_step_row(s, st, "report tickets"))) return e;
    if (report_tickets) *report_tickets = sqlx_col_int(st, 0);
    if (unanswered) *unanswered = sqlx_col_int(st, 1);
    sqlx_reset(st);
    return BK_OK;
}
