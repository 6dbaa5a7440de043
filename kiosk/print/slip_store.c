#include "slip_store.h"

#include <stdio.h>
#include <string.h>

bk_err slip_store_info(queue_ctx *q, const cfg *c, int64_t id, slip_info *info, queue_view *view)
{
    queue_view v;
    bk_err e = queue_get(q, id, &v);
    if (e) return e;
    /* A PostgreSQL login reads no token with the ticket (schema 8): the
     * reprint asks for this one ticket's (reception's bk_slip_token). */
    if (!v.t.token[0] && (e = store_ticket_token(q->st, id, v.t.token))) return e;
    store_client cl;
    const store_client *clp = NULL;
    if (queue_visit_has(&v.t, BK_PURPOSE_REPORT) && v.t.client_no[0]) {
        e = store_client_get(q->st, v.t.client_no, &cl);
        if (e && e != BK_ERR_NOT_FOUND) return e;
        if (!e) clp = &cl;
    }
    cal k;
    cal_init(&k, c->working_days);
    if (clp && (e = cal_load(q->st, c->working_days, &k))) {
        memset(&cl, 0, sizeof cl);
        return e;
    }
    slip_info_from_view(&v, c, clp, &k, queue_now(q), info);
    cal_free(&k);
    if (clp) memset(&cl, 0, sizeof cl); /* don't leave the client record on the stack */
    if (view) *view = v;
    return BK_OK;
}

bk_err slip_store_audit_print(store *s, int64_t at, const char *actor, int64_t ticket_id,
                              const printer_target *t, const print_result *r)
{
    const char *action;
    if (r->state == PRINT_FAILED && r->reason != PRINT_R_DISABLED)
        action = "print_failed";
    else if (r->state == PRINT_DONE && r->paper == ESCPOS_PAPER_LOW)
        action = "print_paper_low";
    else
        return BK_OK;
    char detail[STORE_TEXT_SZ];
    /* Truncation is fine: the detail column is bounded. */
    if (snprintf(detail, sizeof detail, "target=%.300s reason=%s errno=%d ms=%d: %s",
                 t ? t->spec : "?", print_reason_name(r->reason), r->sys_errno, r->elapsed_ms,
                 r->detail) < 0)
        detail[0] = 0;
    int own = !store_in_tx(s);
    bk_err e;
    /* On a server the row is one call of its function (store_audit_device). */
    if (own && (e = store_begin(s, store_server_rules(s) ? STORE_TX_CALL : STORE_TX_WRITE)))
        return e;
    e = store_audit_device(s, at, actor, action, ticket_id, detail);
    if (own) {
        if (e)
            store_rollback(s);
        else
            e = store_commit(s);
    }
    return e;
}
