/* answers.c — the wajib lapor answers (see answers.h). */
#include "answers.h"

#include <stdio.h>
#include <string.h>

#include "otime.h"
#include "store_answers.h"
#include "token.h"

_Static_assert(ANSWERS_MAX == STORE_QUESTIONS_MAX, "one limit for a ticket's answers");

bk_err answers_format(const answers_set *a, char *out, size_t outsz)
{
    if (outsz) out[0] = 0;
    if (!a || a->n < 1 || a->n > ANSWERS_MAX) return BK_ERR_INVALID;
    size_t len = 0;
    for (int i = 0; i < a->n; i++) {
        if (a->id[i] < 1 || a->id[i] > STORE_QUESTION_ID_MAX || (a->yes[i] != 0 && a->yes[i] != 1))
            return BK_ERR_INVALID;
        int w = snprintf(out + len, outsz - len, "%s%d=%d", i ? "," : "", a->id[i], a->yes[i]);
        if (w < 0 || (size_t)w >= outsz - len) return BK_ERR_INVALID;
        len += (size_t)w;
    }
    return BK_OK;
}

typedef struct answers_arg {
    int64_t ticket_id;
    const answers_set *a;
    char text[ANSWERS_MAX * 8];
    char key[STORE_TOKEN_SZ];
} answers_arg;

static bk_err answers_server(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    answers_arg *x = arg;
    store_call_in in = {
        .key = x->key, .now = q->fixed_now, .ticket_id = x->ticket_id, .arg = x->text};
    store_call_out o;
    return store_call(q->st, STORE_CALL_ANSWERS, &in, &o);
}

static bk_err answers_body(queue_ctx *q, void *arg, queue_attempt *att)
{
    answers_arg *x = arg;
    const answers_set *a = x->a;
    int64_t now = queue_now(q);
    store_answer have[1];
    int n = 0;
    bk_err e = store_answers_get(q->st, x->ticket_id, have, 1, &n);
    if (e) return e;
    if (n > 0) {
        if (att->verify) { /* the lost commit went through: those are ours */
            att->read_only = 1;
            return BK_OK;
        }
        att->final = 1;
        return BK_ERR_EXISTS;
    }
    for (int i = 0; i < a->n; i++) {
        for (int j = 0; j < i; j++)
            if (a->id[j] == a->id[i]) return BK_ERR_INVALID;
        store_question qq;
        e = store_question_get(q->st, a->id[i], &qq);
        if (e == BK_ERR_NOT_FOUND || (e == BK_OK && !qq.active)) return BK_ERR_INVALID;
        if (e) return e;
    }
    store_ticket t;
    e = store_ticket_get(q->st, x->ticket_id, &t);
    if (e == BK_ERR_NOT_FOUND) return BK_ERR_STATE;
    if (e) return e;
    char today[11];
    otime_day(now, q->utc_offset_min, today);
    /* A report visit: report is its first purpose, or joined it (schema 9,
     * one visit one ticket); made, or joined, by a check-in of this actor. */
    if ((e = store_ticket_purposes(q->st, t.id, &t.purposes))) return e;
    int made = 0;
    const char *actor = q->actor ? q->actor : "";
    if ((e = store_audit_has(q->st, t.id, "checkin", actor, &made))) return e;
    if (!made && (e = store_audit_has(q->st, t.id, "purpose_add", actor, &made))) return e;
    if (strcmp(t.day, today) != 0 || !queue_visit_has(&t, BK_PURPOSE_REPORT) || !t.client_no[0] ||
        !bk_status_open(t.status) || !made)
        return BK_ERR_STATE;
    for (int i = 0; i < a->n; i++)
        if ((e = store_answer_insert(q->st, t.id, a->id[i], a->yes[i], now))) return e;
    char detail[32];
    snprintf(detail, sizeof detail, "questions=%d", a->n);
    return store_audit_add(q->st, now, q->actor ? q->actor : "", "answers", t.id, t.client_no,
                           detail);
}

static void answers_lost(void *arg)
{
    (void)arg; /* the verifying attempt looks the answers up */
}

bk_err answers_put(queue_ctx *q, int64_t ticket_id, const answers_set *a)
{
    answers_arg x = {.ticket_id = ticket_id, .a = a};
    bk_err e = answers_format(a, x.text, sizeof x.text);
    if (e) return e;
    if (ticket_id <= 0) return BK_ERR_STATE;
    if (store_server_rules(q->st)) {
        char k[TOKEN_CHARS + 1];
        if ((e = token_random(k))) return e;
        snprintf(x.key, sizeof x.key, "%s", k);
    }
    static const queue_action act = {
        .body = answers_body, .lost = answers_lost, .server = answers_server};
    return queue_run(q, &act, &x);
}
