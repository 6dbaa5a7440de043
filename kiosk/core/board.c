#include "board.h"

#include <stdio.h>
#include <string.h>

void board_initials(const char *name, char out[BOARD_INITIALS_SZ])
{
    size_t k = 0;
    int words = 0, at_start = 1;
    out[0] = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && words < 2; p++) {
        if (*p == ' ' || *p == ',' || *p == '.' || *p == '\'') {
            at_start = 1;
            continue;
        }
        if (at_start) {
            at_start = 0;
            /* Only ASCII letters become initials; anything else is skipped
             * rather than cutting a UTF-8 sequence in half. */
            if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
                if (k + 4 >= BOARD_INITIALS_SZ) break;
                if (words) out[k++] = ' ';
                out[k++] = (char)(*p >= 'a' ? *p - 32 : *p);
                out[k++] = '.';
                out[k] = 0;
                words++;
            }
        }
    }
}

typedef struct load_ctx {
    queue_ctx *q;
    board_model *m;
    int show_initials;
} load_ctx;

static bk_err ticket_initials(load_ctx *c, const store_ticket *t, char out[BOARD_INITIALS_SZ])
{
    out[0] = 0;
    if (!c->show_initials) return BK_OK;
    if (!t->client_no[0]) {
        board_initials(t->walkin_name, out);
        return BK_OK;
    }
    store_client cl;
    bk_err e = store_client_get(c->q->st, t->client_no, &cl);
    if (e == BK_OK) board_initials(cl.name, out);
    return e == BK_ERR_NOT_FOUND ? BK_OK : e;
}

static bk_err add_officer(void *ud, const store_officer *o)
{
    load_ctx *c = ud;
    board_model *m = c->m;
    if (!o->active || m->n_queues >= BOARD_MAX_QUEUES - 1) return BK_OK;
    board_queue *bq = &m->queues[m->n_queues++];
    memset(bq, 0, sizeof *bq);
    snprintf(bq->officer, sizeof bq->officer, "%s", o->id);
    snprintf(bq->name, sizeof bq->name, "%s", o->name);
    snprintf(bq->room, sizeof bq->room, "%s", o->room);
    store_presence p;
    bk_err e = queue_officer_present(c->q, m->day, o->id, &bq->present, &p);
    if (e) return e;
    if (!bq->present) snprintf(bq->substitute, sizeof bq->substitute, "%s", p.substitute);
    return BK_OK;
}

static board_queue *find_queue(board_model *m, const char *officer)
{
    for (int i = 0; i < m->n_queues; i++)
        if (strcmp(m->queues[i].officer, officer) == 0) return &m->queues[i];
    return NULL;
}

static bk_err add_waiting(void *ud, const store_ticket *t)
{
    load_ctx *c = ud;
    board_model *m = c->m;
    board_queue *bq = find_queue(m, t->officer);
    if (!bq && !t->officer[0] && m->n_queues < BOARD_MAX_QUEUES) {
        bq = &m->queues[m->n_queues++]; /* reception, last */
        memset(bq, 0, sizeof *bq);
        bq->present = 1;
    }
    if (!bq) /* an inactive officer still holding tickets: count only */
        return BK_OK;
    m->total_waiting++;
    if (bq->n_codes < BOARD_MAX_CODES) {
        snprintf(bq->codes[bq->n_codes], STORE_CODE_SZ, "%s", t->code);
        bk_err e = ticket_initials(c, t, bq->initials[bq->n_codes]);
        if (e) return e;
        bq->n_codes++;
    }
    bq->n_waiting++;
    return BK_OK;
}

static bk_err add_call(void *ud, const store_ticket *t)
{
    load_ctx *c = ud;
    board_model *m = c->m;
    board_call *bc;
    if (!m->has_current) {
        bc = &m->current;
        m->has_current = 1;
    } else if (m->n_recent < BOARD_RECENT) {
        bc = &m->recent[m->n_recent++];
    } else {
        return BK_OK;
    }
    memset(bc, 0, sizeof *bc);
    bc->id = t->id;
    snprintf(bc->code, sizeof bc->code, "%s", t->code);
    snprintf(bc->officer, sizeof bc->officer, "%s", t->officer);
    bc->calls = t->calls;
    bc->last_call_at = t->last_call_at;
    if (t->officer[0]) {
        store_officer o;
        bk_err e = store_officer_get(c->q->st, t->officer, &o);
        if (e && e != BK_ERR_NOT_FOUND) return e;
        if (e == BK_OK) {
            snprintf(bc->officer_name, sizeof bc->officer_name, "%s", o.name);
            snprintf(bc->room, sizeof bc->room, "%s", o.room);
        }
    }
    return ticket_initials(c, t, bc->initials);
}

bk_err board_load(queue_ctx *q, int show_initials, board_model *out)
{
    memset(out, 0, sizeof *out);
    queue_today(q, out->day);
    load_ctx c = {q, out, show_initials};
    bk_err e = store_begin(q->st, STORE_TX_READ);
    if (e) return e;
    if ((e = store_officer_list(q->st, add_officer, &c))) goto out;
    if ((e = store_ticket_list(q->st, out->day, NULL, STORE_ST_WAITING, add_waiting, &c))) goto out;
    e = store_ticket_recent_calls(q->st, out->day, BOARD_RECENT + 1, add_call, &c);
out:
    store_rollback(q->st);
    return e;
}

static int had_event(const board_model *m, const board_call *ev)
{
    if (m->has_current && m->current.id == ev->id && m->current.calls >= ev->calls) return 1;
    for (int i = 0; i < m->n_recent; i++)
        if (m->recent[i].id == ev->id && m->recent[i].calls >= ev->calls) return 1;
    return 0;
}

int board_new_calls(const board_model *prev, const board_model *next, board_call *out, int max)
{
    if (!prev || !next->has_current || max <= 0) return 0;
    /* Events newest first: current, recent[0..]; stop at the first already known. */
    const board_call *evs[BOARD_RECENT + 1];
    int n = 0;
    evs[n++] = &next->current;
    for (int i = 0; i < next->n_recent; i++)
        evs[n++] = &next->recent[i];
    int fresh = 0;
    while (fresh < n && !had_event(prev, evs[fresh]))
        fresh++;
    /* A new day (or a first board) reports at most what fits. */
    if (fresh > max) fresh = max;
    for (int i = 0; i < fresh; i++)
        out[i] = *evs[fresh - 1 - i]; /* oldest first */
    return fresh;
}
