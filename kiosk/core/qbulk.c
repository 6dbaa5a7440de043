/* qbulk.c — bulk moves of waiting tickets (qbulk.h). */
#include "qbulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valid.h"

#define QBULK_MAX 2000

typedef struct ids {
    int64_t id[QBULK_MAX];
    int n;
} ids;

static bk_err collect(void *ud, const store_ticket *t)
{
    ids *c = ud;
    if (c->n < QBULK_MAX)
        c->id[c->n++] = t->id;
    return BK_OK;
}

static const char *key_of(const char *officer)
{
    return strcmp(officer, STORE_RECEPTION) == 0 ? "" : officer;
}

bk_err qbulk_move_waiting(queue_ctx *q, const char *from, const char *to, int *moved)
{
    if (moved)
        *moved = 0;
    if (!from || !to || strcmp(from, to) == 0)
        return BK_ERR_INVALID;
    if ((strcmp(from, STORE_RECEPTION) != 0 && valid_officer_id(from, NULL)) ||
        (strcmp(to, STORE_RECEPTION) != 0 && valid_officer_id(to, NULL)))
        return BK_ERR_INVALID;
    ids *c = calloc(1, sizeof *c);
    if (!c)
        return BK_ERR_NOMEM;
    char day[11];
    queue_today(q, day);
    const char *fk = key_of(from), *tk = key_of(to);
    bk_err e = store_begin(q->st, STORE_TX_WRITE);
    if (e) {
        free(c);
        return e;
    }
    if (*tk) {
        store_officer o;
        if ((e = store_officer_get(q->st, tk, &o)))
            goto out;
        if (!o.active) {
            e = BK_ERR_STATE;
            goto out;
        }
    }
    if ((e = store_ticket_list(q->st, day, fk, STORE_ST_WAITING, collect, c)))
        goto out;
    for (int i = 0; i < c->n; i++) {
        store_ticket t;
        if ((e = store_ticket_get(q->st, c->id[i], &t)))
            goto out;
        snprintf(t.transferred_from, sizeof t.transferred_from, "%s", fk);
        snprintf(t.officer, sizeof t.officer, "%s", tk);
        if ((e = store_ticket_update(q->st, &t)))
            goto out;
        char detail[128];
        snprintf(detail, sizeof detail, "from=%s to=%s reason=bulk", *fk ? fk : STORE_RECEPTION,
                 *tk ? tk : STORE_RECEPTION);
        if ((e = store_audit_add(q->st, queue_now(q), q->actor ? q->actor : "", "transfer", t.id,
                                 t.client_no, detail)))
            goto out;
    }
    if ((e = store_commit(q->st)))
        goto out;
    if (moved)
        *moved = c->n;
out:
    if (e && store_in_tx(q->st))
        store_rollback(q->st);
    free(c);
    return e;
}
