/* answers.h — the wajib lapor answers of a report visit (issue 12 item 9).
 *
 * The kiosk asks the office's yes/no questions (store_answers.h,
 * report_questions) after the check-in made a `report` ticket, and stores
 * the answers with their own write, answers_put(), once per ticket. A "Ya"
 * flags the ticket for the PK (the desk shows which question). The rules,
 * the same on both databases (SQLite: here, in C; PostgreSQL: the server's
 * bk_act_answers, db/pg/010_report_questions.sql):
 *   BK_ERR_INVALID  no answer, more than ANSWERS_MAX, an answer not 0/1, a
 *                   question unknown or inactive, or one twice;
 *   BK_ERR_STATE    the ticket does not exist, is not today's, is not a
 *                   report visit of a client, is closed, or was not made by
 *                   a check-in of this actor (q->actor; on PostgreSQL the
 *                   login): a kiosk answers only for the tickets it made;
 *   BK_ERR_EXISTS   the ticket has answers already (never overwritten).
 * BK_OK writes one row per answer and one audit row `answers` whose detail
 * is the number of questions only: which answer was "Ya" is in no log.
 *
 * No SQL, no SDL. The set is plain data owned by the caller.
 */
#ifndef BK_ANSWERS_H
#define BK_ANSWERS_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"
#include "queue.h"

#define ANSWERS_MAX 16 /* = STORE_QUESTIONS_MAX */

typedef struct answers_set {
    int n;
    int id[ANSWERS_MAX];  /* question ids */
    int yes[ANSWERS_MAX]; /* 1 = Ya, 0 = Tidak */
} answers_set;

bk_err answers_put(queue_ctx *q, int64_t ticket_id, const answers_set *a);

/* "QID=A,QID=A" (the server function's argument). BK_ERR_INVALID if the
 * set is empty, too long, or an answer is not 0/1. */
bk_err answers_format(const answers_set *a, char *out, size_t outsz);

#endif
