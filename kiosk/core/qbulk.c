/* qbulk.c — bulk moves of waiting tickets (qbulk.h). */
#include "qbulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"
#include "valid.h"

#define QBULK_MAX 2000

typedef struct ids {
    int64_t id[QBULK_MAX];
    int n;
} ids;

static bk_err collect(void *ud, const store_ticket *t)
{
    ids *c = ud;
    if (c->n < QBULK_MAX) c->id[c->n++] = t->id;
    return BK_OK;
}

static const char *key_of(const char *officer)
{
    return strcmp(officer, STORE_RECEPTION) == 0 ? "" : officer;
}

typedef struct move_arg {
    ids *c;
    char day[11];
    const char *fk, *tk; /* store keys: "" = reception */
    int moved;
    char key[STORE_TOKEN_SZ]; /* the server's request key */
} move_arg;

/* The move as the server's function (queue_action.server). */
static bk_err move_server(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    move_arg *m = arg;
    store_call_in in = {.key = m->key, .officer = m->fk, .arg = m->tk, .now = q->fixed_now};
    store_call_out o;
    bk_err e = store_call(q->st, STORE_CALL_BULK_MOVE, &in, &o);
    m->moved = o.n;
    return e;
}

/* One attempt (queue_run body, queue.h; no verify: the audit rows cannot
 * tell one move from two). */
static bk_err move_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    move_arg *m = arg;
    const char *fk = m->fk, *tk = m->tk;
    bk_err e;
    m->c->n = 0;
    m->moved = 0;
    if (*tk) {
        store_officer o;
        if ((e = store_officer_get(q->st, tk, &o))) return e;
        if (!o.active) return BK_ERR_STATE;
    }
    if ((e = store_ticket_list(q->st, m->day, fk, STORE_ST_WAITING, collect, m->c))) return e;
    for (int i = 0; i < m->c->n; i++) {
        store_ticket t;
        if ((e = store_ticket_get(q->st, m->c->id[i], &t))) return e;
        snprintf(t.transferred_from, sizeof t.transferred_from, "%s", fk);
        snprintf(t.officer, sizeof t.officer, "%s", tk);
        if ((e = store_ticket_update(q->st, &t))) return e;
        char detail[128];
        snprintf(detail, sizeof detail, "from=%s to=%s reason=bulk", *fk ? fk : STORE_RECEPTION,
                 *tk ? tk : STORE_RECEPTION);
        if ((e = store_audit_add(q->st, queue_now(q), q->actor ? q->actor : "", "transfer", t.id,
                                 t.client_no, detail)))
            return e;
    }
    m->moved = m->c->n;
    return BK_OK;
}

bk_err qbulk_move_waiting(queue_ctx *q, const char *from, const char *to, int *moved)
{
    if (moved) *moved = 0;
    if (!from || !to || strcmp(from, to) == 0) return BK_ERR_INVALID;
    if ((strcmp(from, STORE_RECEPTION) != 0 && valid_officer_id(from, NULL)) ||
        (strcmp(to, STORE_RECEPTION) != 0 && valid_officer_id(to, NULL)))
        return BK_ERR_INVALID;
    move_arg m = {.fk = key_of(from), .tk = key_of(to)};
    if (!(m.c = calloc(1, sizeof *m.c))) return BK_ERR_NOMEM;
    queue_today(q, m.day);
    bk_err e = BK_OK;
    if (store_server_rules(q->st)) {
        char k[TOKEN_CHARS + 1];
        if ((e = token_random(k))) goto out;
        snprintf(m.key, sizeof m.key, "%s", k);
    }
    static const queue_action act = {.body = move_body, .server = move_server};
    e = queue_run(q, &act, &m);
    if (e == BK_OK && moved) *moved = m.moved;
out:
    free(m.c);
    return e;
}
