/* store_answers.h — the wajib lapor questions and a ticket's answers
 * (tables report_questions and ticket_answers, migration 010).
 *
 * Same conventions as store.h: one connection, caller-owned fixed-size
 * records, bk_err results, store_errmsg() for the detail. Writes run inside
 * store_begin(s, STORE_TX_WRITE); the caller commits.
 *
 * PostgreSQL: report_questions is written by the owner only (bapasctl
 * questions set) and read by every product role; ticket_answers is the
 * owner's alone: the kiosk writes it through bk_act_answers (store_call
 * STORE_CALL_ANSWERS, core/answers.c), and every read here goes through
 * the view bk_answers_seen, whose rows and answer column depend on the
 * login (db/pg/010_report_questions.sql). So a kiosk login sees whether a
 * ticket of today was answered (answer -1 = hidden), never the answer.
 *
 * Privacy: the answers are personal. Nothing that is public (board, slip,
 * voice, logs) may show them; only the desk, reception and reports read
 * them.
 */
#ifndef BK_STORE_ANSWERS_H
#define BK_STORE_ANSWERS_H

#include <stdint.h>

#include "bkerr.h"
#include "store.h"

#define STORE_QUESTION_SZ 161 /* 160 bytes of UTF-8 + NUL (the schema allows 160 chars) */
#define STORE_QUESTIONS_MAX                                                                        \
    16 /* the most a ticket may hold; the kiosk asks at most                                       \
          FLOW_QUESTIONS_MAX */
#define STORE_QUESTION_ID_MAX 999

typedef struct store_question {
    int id;  /* 1..STORE_QUESTION_ID_MAX */
    int pos; /* 1..99: the order they are asked in */
    char text_id[STORE_QUESTION_SZ];
    char text_en[STORE_QUESTION_SZ];
    int active;
    int64_t changed_at;
} store_question;

typedef bk_err (*store_question_cb)(void *ud, const store_question *q);

/* The questions by pos, then id; active_only = 1: only the ones asked. */
bk_err store_questions_list(store *s, int active_only, store_question_cb cb, void *ud);
bk_err store_question_get(store *s, int id, store_question *out);
/* Insert q (q->id 0: the next free id, written back) or update the row
 * q->id (pos, texts, active, changed_at). The owner's write (admin). */
bk_err store_question_put(store *s, store_question *q);

typedef struct store_answer {
    int question_id;
    int answer; /* 1 = Ya, 0 = Tidak, -1 = hidden from this login (a kiosk) */
    int64_t answered_at;
} store_answer;

/* A ticket's answers in question order (pos, id): *n rows into out (at most
 * max; more are dropped). *n = 0: not answered. */
bk_err store_answers_get(store *s, int64_t ticket_id, store_answer *out, int max, int *n);
/* SQLite path of core/answers.c (PostgreSQL: bk_act_answers): one row. */
bk_err store_answer_insert(store *s, int64_t ticket_id, int question_id, int answer, int64_t at);
/* 1 in *yes when an audit row `action` of the ticket names `actor`. */
bk_err store_audit_has(store *s, int64_t ticket_id, const char *action, const char *actor,
                       int *yes);

/* Per question, over the report tickets of office days from..to
 * (inclusive, "YYYY-MM-DD"): how many answered "Ya" and how many answered
 * at all. Called once per question (question order), then *unanswered
 * receives the report tickets with no answers. Reports (owner). */
typedef bk_err (*store_flag_cb)(void *ud, const store_question *q, int yes, int answered);
bk_err store_answers_count(store *s, const char *from, const char *to, store_flag_cb cb, void *ud,
                           int *report_tickets, int *unanswered);

#endif
