/* reception.c — `--mode reception`, the receptionist's monitor (modes.h).
 *
 * The whole queue of the day (status, PK, routing, waiting time; filters by
 * PK and status; client names are shown here), presence with substitutes
 * and the explicit "move waiting tickets to the substitute", ticket actions
 * (transfer keeping the place, priority, cancel, no-show, reprint, unlock a
 * client number, walk-in) and printer alerts from the audit log. Database
 * work runs on the livework thread.
 */
#include "modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "livework.h"
#include "modecommon.h"
#include "otime.h"
#include "qbulk.h"
#include "token.h"

#define RC_MAX_TICKETS 400
#define RC_MAX_OFFICERS 72
#define RC_MAX_ALERTS 4
#define RC_PAGE 12

typedef struct rc_row {
    store_ticket t;
    char name[STORE_NAME_SZ];
} rc_row;

typedef struct rc_off {
    store_officer o;
    int present;
    store_presence p; /* p.substitute when set */
    int waiting;
} rc_off;

typedef struct rc_model {
    int n_rows;
    rc_row rows[RC_MAX_TICKETS];
    int n_off;
    rc_off off[RC_MAX_OFFICERS];
    int n_alerts;
    store_audit_row alerts[RC_MAX_ALERTS]; /* newest first */
} rc_model;

enum {
    A_TRANSFER = 1,
    A_PRIORITY,
    A_CANCEL,
    A_NO_SHOW,
    A_UNLOCK,
    A_WALKIN,
    A_PRESENCE,
    A_MOVE,
    A_GET,
    A_SCAN
};

typedef struct rc_req {
    int kind;
    int64_t id;
    char a[STORE_ID_SZ + 16];
    char b[STORE_ID_SZ + 16];
} rc_req;

typedef struct rc_res {
    int kind;
    int n;
    queue_view v;
    mc_scan scan; /* A_SCAN: what the scan was (v.t: the ticket, also of another day) */
} rc_res;

typedef enum rc_screen { RS_MAIN, RS_TRANSFER, RS_PRESENCE, RS_WALKIN, RS_UNLOCK } rc_screen;

/* Status filters: 0 = all, else the status f - 1 (bk_status). */
#define N_STATUS_FILTERS (BK_STATUS__COUNT + 1)

struct reception_ui {
    mc_base b;
    rc_model m, next;
    int have_model;
    rc_screen screen;
    int64_t selected;
    int f_officer; /* -1 = all, else index into m.off; n_off = reception */
    int f_status;  /* 0 = all, else bk_status + 1 */
    int page;
    char msg[256];
    int msg_warn;
    char typed[64];
    size_t typed_len;
    kiosk_printer printer;
    int has_printer;
    int print_pending;
    /* The walk-in being asked for (queue_walkin_key): made on the first tap
     * of a purpose, sent again when the receptionist retries that purpose
     * after a failure, so a retry never makes a second ticket; dropped on
     * success, on another purpose and on the form's back. "" = none. */
    char walkin_key[STORE_TOKEN_SZ];
    bk_purpose walkin_purpose;
};

/* ---- worker ------------------------------------------------------------- */

typedef struct load_ctx {
    queue_ctx *q;
    rc_model *m;
} load_ctx;

static bk_err add_ticket(void *ud, const store_ticket *t)
{
    load_ctx *c = ud;
    if (c->m->n_rows >= RC_MAX_TICKETS) return BK_OK;
    rc_row *r = &c->m->rows[c->m->n_rows++];
    r->t = *t;
    r->name[0] = 0;
    if (t->client_no[0]) {
        store_client cl;
        if (store_client_get(c->q->st, t->client_no, &cl) == BK_OK)
            mc_fmt(r->name, sizeof r->name, "%s", cl.name);
    } else {
        mc_fmt(r->name, sizeof r->name, "%s", t->walkin_name);
    }
    for (int i = 0; i < c->m->n_off; i++)
        if (strcmp(c->m->off[i].o.id, t->officer) == 0 && t->status == BK_STATUS_WAITING)
            c->m->off[i].waiting++;
    return BK_OK;
}

static bk_err add_off(void *ud, const store_officer *o)
{
    rc_model *m = ud;
    if (o->active && m->n_off < RC_MAX_OFFICERS) m->off[m->n_off++].o = *o;
    return BK_OK;
}

typedef struct alert_ctx {
    rc_model *m;
    store_audit_row ring[RC_MAX_ALERTS];
    int n;
} alert_ctx;

static bk_err add_alert(void *ud, const store_audit_row *a)
{
    alert_ctx *c = ud;
    if (strcmp(a->action, "print_failed") && strcmp(a->action, "print_paper_low")) return BK_OK;
    c->ring[c->n % RC_MAX_ALERTS] = *a;
    c->n++;
    return BK_OK;
}

static bk_err load_cb(void *ud, queue_ctx *q, void *buf)
{
    (void)ud;
    rc_model *m = buf;
    memset(m, 0, sizeof *m);
    char day[11];
    queue_today(q, day);
    bk_err e = store_begin(q->st, STORE_TX_READ);
    if (e) return e;
    if ((e = store_officer_list(q->st, add_off, m))) goto out;
    for (int i = 0; i < m->n_off; i++)
        if ((e = queue_officer_present(q, day, m->off[i].o.id, &m->off[i].present, &m->off[i].p)))
            goto out;
    load_ctx c = {q, m};
    if ((e = store_ticket_list(q->st, day, NULL, STORE_ST_ALL, add_ticket, &c))) goto out;
    /* printer alerts of the last 12 hours */
    alert_ctx *ac = calloc(1, sizeof *ac);
    if (!ac) {
        e = BK_ERR_NOMEM;
        goto out;
    }
    ac->m = m;
    e = store_audit_list(q->st, 0, queue_now(q) - 12 * 3600, 0, add_alert, ac);
    for (int i = 0; i < RC_MAX_ALERTS && i < ac->n; i++)
        m->alerts[m->n_alerts++] = ac->ring[(ac->n - 1 - i) % RC_MAX_ALERTS];
    free(ac);
out:
    store_rollback(q->st);
    return e;
}

static bk_err act_cb(void *ud, queue_ctx *q, const void *reqp, void *resp)
{
    (void)ud;
    const rc_req *r = reqp;
    rc_res *res = resp;
    res->kind = r->kind;
    queue_view *v = &res->v;
    switch (r->kind) {
    case A_TRANSFER:
        return queue_transfer(q, r->id, r->a, "reception", v);
    case A_PRIORITY:
        return queue_priority(q, r->id, v);
    case A_CANCEL:
        return queue_cancel(q, r->id, v);
    case A_NO_SHOW:
        return queue_no_show(q, r->id, v);
    case A_UNLOCK:
        return queue_unlock(q, r->a);
    case A_WALKIN: {
        bk_purpose purpose;
        bk_err e = bk_purpose_parse(r->a, &purpose);
        return e ? e : queue_walkin_key(q, purpose, NULL, r->b[0] ? r->b : NULL, v);
    }
    case A_PRESENCE:
        return queue_presence_set(q, NULL, r->a, r->b[0] ? BK_PRESENCE_ABSENT : BK_PRESENCE_PRESENT,
                                  r->b[0] && strcmp(r->b, "-") ? r->b : NULL);
    case A_MOVE:
        return qbulk_move_waiting(q, r->a, r->b, &res->n);
    case A_GET: { /* a reprint */
        bk_err e = queue_get(q, r->id, v);
        /* A PostgreSQL login reads no token with the ticket (schema 8): the
         * slip's QR needs this one's (bk_slip_token, reception only). */
        if (!e && !v->t.token[0]) e = store_ticket_token(q->st, r->id, v->t.token);
        return e;
    }
    case A_SCAN:
        return mc_scan_lookup(q, r->a, &v->t, &res->scan);
    default:
        return BK_ERR_INVALID;
    }
}

/* ---- UI ------------------------------------------------------------------ */

static const char *T(const reception_ui *r, const char *key)
{
    return mc_t(&r->b, key);
}

static void submit(reception_ui *r, int kind, int64_t id, const char *a, const char *b)
{
    rc_req q;
    memset(&q, 0, sizeof q);
    q.kind = kind;
    q.id = id;
    if (a) mc_fmt(q.a, sizeof q.a, "%s", a);
    if (b) mc_fmt(q.b, sizeof q.b, "%s", b);
    if (!lw_submit(r->b.lw, &q, sizeof q)) {
        mc_fmt(r->msg, sizeof r->msg, "%s", T(r, "common.wait"));
        r->msg_warn = 1;
    }
}

static void set_msg(reception_ui *r, const char *key, const char *code, int warn)
{
    const char *vars[] = {"code", code ? code : "", NULL};
    i18n_fill(T(r, key), vars, r->msg, sizeof r->msg);
    r->msg_warn = warn;
}

static const rc_row *find_row(const reception_ui *r, int64_t id)
{
    for (int i = 0; i < r->m.n_rows; i++)
        if (r->m.rows[i].t.id == id) return &r->m.rows[i];
    return NULL;
}

static const rc_off *find_off(const reception_ui *r, const char *id)
{
    for (int i = 0; i < r->m.n_off; i++)
        if (strcmp(r->m.off[i].o.id, id) == 0) return &r->m.off[i];
    return NULL;
}

static int take(reception_ui *r)
{
    int got = 0, got_res = 0;
    lw_status st;
    bk_err re = BK_OK;
    uint64_t rs = 0;
    _Static_assert(sizeof(rc_res) <= LW_REQ_SZ, "result too large");
    _Static_assert(sizeof(rc_req) <= LW_REQ_SZ, "request too large");
    rc_res *res = calloc(1, LW_REQ_SZ); /* lw_take writes LW_REQ_SZ bytes */
    if (!res) return 0;
    int any = lw_take(r->b.lw, &r->next, &got, &st, res, &re, &rs, &got_res);
    r->b.status = st;
    if (got) {
        memcpy(&r->m, &r->next, sizeof r->m);
        r->have_model = 1;
    }
    if (got_res) {
        const char *code = res->v.t.code;
        if (re && res->kind == A_SCAN && res->scan == MC_SCAN_NOT_SLIP) {
            set_msg(r, "reception.msg.not_slip", NULL, 1);
        } else if (re && res->kind == A_SCAN && res->scan == MC_SCAN_OTHER_DAY) {
            const char *vars[] = {"day", res->v.t.day, NULL};
            i18n_fill(T(r, "reception.msg.other_day"), vars, r->msg, sizeof r->msg);
            r->msg_warn = 1;
        } else if (re) {
            set_msg(r,
                    re == BK_ERR_STATE                                ? "reception.msg.state"
                    : re == BK_ERR_NOT_FOUND                          ? "reception.msg.not_found"
                    : re == BK_ERR_BUSY                               ? "common.db.busy"
                    : re == BK_ERR_IO                                 ? "reception.msg.unknown"
                    : re == BK_ERR_READONLY || re == BK_ERR_DISK_FULL ? "common.db.cannot_save"
                                                                      : "reception.msg.failed",
                    NULL, 1);
        } else {
            switch (res->kind) {
            case A_TRANSFER:
                set_msg(r, "reception.msg.transferred", code, 0);
                break;
            case A_PRIORITY:
                set_msg(r, "reception.msg.priority", code, 0);
                break;
            case A_CANCEL:
                set_msg(r, "reception.msg.cancelled", code, 0);
                break;
            case A_NO_SHOW:
                set_msg(r, "reception.msg.no_show", code, 0);
                break;
            case A_UNLOCK:
                set_msg(r, "reception.msg.unlocked", NULL, 0);
                break;
            case A_WALKIN:
                r->walkin_key[0] = 0; /* done: the next walk-in is a new one */
                r->selected = res->v.t.id;
                set_msg(r, "reception.msg.walkin", code, 0);
                if (r->has_printer && r->printer.start) {
                    r->printer.start(r->printer.ud, &res->v, NULL, 1, mc_lang(&r->b));
                    r->print_pending = 1;
                }
                break;
            case A_PRESENCE:
                set_msg(r, "reception.msg.presence", NULL, 0);
                break;
            case A_MOVE: {
                char n[16];
                mc_fmt(n, sizeof n, "%d", res->n);
                set_msg(r, "reception.msg.moved", n, 0);
                break;
            }
            case A_GET:
                if (r->has_printer && r->printer.start) {
                    r->printer.start(r->printer.ud, &res->v, NULL, !res->v.t.client_no[0],
                                     mc_lang(&r->b));
                    r->print_pending = 1;
                    set_msg(r, "reception.msg.printing", code, 0);
                } else {
                    set_msg(r, "reception.msg.no_printer", code, 1);
                }
                break;
            case A_SCAN:
                r->selected = res->v.t.id;
                set_msg(r, "reception.msg.selected", code, 0);
                break;
            default:
                break;
            }
        }
    }
    free(res);
    return any;
}

static const char *officer_name(const reception_ui *r, const char *id)
{
    if (!id[0]) return T(r, "board.reception");
    const rc_off *o = find_off(r, id);
    return o ? o->o.name : id;
}

static const char *word(const reception_ui *r, const char *ns, const char *w)
{
    char key[64];
    mc_fmt(key, sizeof key, "%s%s", ns, w);
    return i18n_has(r->b.cat[r->b.lang], key) ? T(r, key) : w;
}

/* Who the row is: the client's or walk-in's name; for a ticket without one
 * the reason it was made ("tidak tahu nomornya"), else "tanpa nama" (a
 * walk-in made without a name: "F-001 - · Menunggu" read as a slip). */
static const char *row_who(const reception_ui *r, const rc_row *row)
{
    if (row->name[0]) return row->name;
    if (row->t.reason != BK_REASON_NONE)
        return word(r, "reception.reason.", bk_reason_name(row->t.reason));
    return T(r, "reception.no_name");
}

/* A printer alert: the ticket's code (when it is one of today's) and what
 * the printer said (the audit detail's reason=WORD, printer.c's names). */
static void alert_text(const reception_ui *r, const store_audit_row *a, const char *tm, char *out,
                       size_t n)
{
    if (strcmp(a->action, "print_failed") != 0) {
        const char *vars[] = {"time", tm, NULL};
        i18n_fill(T(r, "reception.alert.paper_low"), vars, out, n);
        return;
    }
    static const char *const known[] = {"no_device", "permission", "refused", "unreachable",
                                        "timeout",   "paper_out",  "io",      "cups",
                                        "no_queue",  "queue_full"};
    char why[32] = "other";
    const char *p = strstr(a->detail, "reason=");
    if (p) {
        p += strlen("reason=");
        size_t len = strcspn(p, " :");
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (len == strlen(known[i]) && strncmp(p, known[i], len) == 0)
                mc_fmt(why, sizeof why, "%s", known[i]);
    }
    char key[64];
    mc_fmt(key, sizeof key, "reception.printer.%s", why);
    const rc_row *row = a->ticket_id ? find_row(r, a->ticket_id) : NULL;
    const char *vars[] = {"time", tm, "code", row ? row->t.code : "", "state", T(r, key), NULL};
    i18n_fill(T(r, row ? "reception.alert.failed" : "reception.alert.failed_nocode"), vars, out, n);
}

static int row_visible(const reception_ui *r, const rc_row *row)
{
    if (r->f_status > 0 && (int)row->t.status != r->f_status - 1) return 0;
    if (r->f_officer >= 0) {
        const char *want = r->f_officer < r->m.n_off ? r->m.off[r->f_officer].o.id : "";
        if (strcmp(row->t.officer, want) != 0) return 0;
    }
    return 1;
}

/* A catalog word under a namespace prefix ("common.status." + "done"). */

static void draw_list(reception_ui *r, ui_ctx *ui, SDL_Rect area)
{
    int g = ui_px(ui, 8);
    SDL_Rect bar = ui_cut_top(&area, ui_px(ui, 70));
    ui_cut_top(&area, g);
    char fo[STORE_NAME_SZ + 64], fs[96];
    const char *who = r->f_officer < 0            ? T(r, "reception.filter.all_officers")
                      : r->f_officer < r->m.n_off ? r->m.off[r->f_officer].o.name
                                                  : T(r, "board.reception");
    const char *v1[] = {"v", who, NULL};
    i18n_fill(T(r, "reception.filter.officer"), v1, fo, sizeof fo);
    const char *v2[] = {"v",
                        word(r, "common.status.",
                             r->f_status ? bk_status_name((bk_status)(r->f_status - 1)) : "all"),
                        NULL};
    i18n_fill(T(r, r->f_status ? "reception.filter.status" : "reception.filter.all_status"), v2, fs,
              sizeof fs);
    if (ui_button_px(ui, "filter-officer", fo, ui_cell(bar, 2, 1, 0, 0, g), UI_BTN_QUIET,
                     UI_ICON_PERSON, 1, ui_fpx(ui, 26))) {
        r->f_officer++;
        if (r->f_officer > r->m.n_off) r->f_officer = -1;
        r->page = 0;
    }
    if (ui_button_px(ui, "filter-status", fs, ui_cell(bar, 2, 1, 1, 0, g), UI_BTN_QUIET,
                     UI_ICON_NONE, 1, ui_fpx(ui, 26))) {
        r->f_status = (r->f_status + 1) % N_STATUS_FILTERS;
        r->page = 0;
    }
    SDL_Rect pager = ui_cut_bottom(&area, ui_px(ui, 64));
    int rh = (area.h - g * (RC_PAGE - 1)) / RC_PAGE;
    int n = 0, shown = 0;
    for (int i = 0; i < r->m.n_rows; i++) {
        const rc_row *row = &r->m.rows[i];
        if (!row_visible(r, row)) continue;
        if (n++ < r->page * RC_PAGE || shown >= RC_PAGE) continue;
        SDL_Rect b = ui_cut_top(&area, rh);
        ui_cut_top(&area, g);
        char wait[48] = "", label[UI_LABEL_SZ], id[UI_ID_SZ];
        if (row->t.status == BK_STATUS_WAITING || row->t.status == BK_STATUS_CALLED)
            mc_wait_text(&r->b, row->t.checkin_at, wait, sizeof wait);
        mc_fmt(label, sizeof label, "%s %s%s · %s · %s (%s) · %s", row->t.code,
               row->t.priority ? "★ " : "", row_who(r, row),
               word(r, "common.status.", bk_status_name(row->t.status)),
               officer_name(r, row->t.officer),
               word(r, "reception.routed.", bk_routing_name(row->t.routed)), wait);
        mc_fmt(id, sizeof id, "row-%s", row->t.code);
        if (ui_button_px(ui, id, label, b,
                         row->t.id == r->selected ? UI_BTN_PRIMARY : UI_BTN_SECONDARY, UI_ICON_NONE,
                         1, ui_fpx(ui, 24)))
            r->selected = row->t.id;
        shown++;
    }
    int pages = (n + RC_PAGE - 1) / RC_PAGE;
    if (r->page >= pages && pages > 0) r->page = pages - 1;
    char pg[48];
    mc_fmt(pg, sizeof pg, "%d / %d  (%d)", pages ? r->page + 1 : 0, pages, n);
    SDL_Rect prev = ui_cut_left(&pager, pager.w / 4), next = ui_cut_right(&pager, pager.w / 3);
    if (ui_button(ui, "page-prev", T(r, "reception.page.prev"), prev, UI_BTN_QUIET, UI_ICON_NONE,
                  r->page > 0))
        r->page--;
    if (ui_button(ui, "page-next", T(r, "reception.page.next"), next, UI_BTN_QUIET, UI_ICON_NONE,
                  r->page + 1 < pages))
        r->page++;
    mc_label(ui, "page", pager, pg, UI_REGULAR, 26, ui->th.text_dim, UI_CENTER);
}

static void draw_side(reception_ui *r, ui_ctx *ui, SDL_Rect s)
{
    int g = ui_px(ui, 10);
    const rc_row *sel = r->selected ? find_row(r, r->selected) : NULL;
    SDL_Rect card = ui_cut_top(&s, s.h * 24 / 100);
    ui_round_rect(ui, card, ui_px(ui, 14), ui->th.panel);
    SDL_Rect in = ui_inset(card, ui_px(ui, 16), ui_px(ui, 10));
    if (sel) {
        mc_label(ui, "selected", ui_cut_top(&in, in.h / 2), sel->t.code, UI_BOLD, 60, ui->th.text,
                 UI_LEFT);
        char info[UI_LABEL_SZ];
        mc_fmt(info, sizeof info, "%s · %s", row_who(r, sel), officer_name(r, sel->t.officer));
        mc_label(ui, "selected-info", in, info, UI_REGULAR, 28, ui->th.text, UI_LEFT);
    } else {
        mc_label(ui, "selected", in, T(r, "reception.none_selected"), UI_REGULAR, 28,
                 ui->th.text_dim, UI_LEFT);
    }
    ui_cut_top(&s, g);
    int open = sel && (sel->t.status == BK_STATUS_WAITING || sel->t.status == BK_STATUS_CALLED);
    int busy = lw_busy(r->b.lw) || r->b.status != LW_OK;
    int64_t id = sel ? sel->t.id : 0;
    SDL_Rect acts = ui_cut_top(&s, s.h * 52 / 100);
    if (ui_button(ui, "transfer", T(r, "reception.transfer"), ui_cell(acts, 2, 4, 0, 0, g),
                  UI_BTN_SECONDARY, UI_ICON_NONE, !busy && open))
        r->screen = RS_TRANSFER;
    if (ui_button(ui, "priority", T(r, "reception.priority"), ui_cell(acts, 2, 4, 1, 0, g),
                  UI_BTN_SECONDARY, UI_ICON_NONE,
                  !busy && sel && sel->t.status == BK_STATUS_WAITING && !sel->t.priority))
        submit(r, A_PRIORITY, id, NULL, NULL);
    if (ui_button(ui, "cancel", T(r, "reception.cancel"), ui_cell(acts, 2, 4, 0, 1, g),
                  UI_BTN_SECONDARY, UI_ICON_NONE, !busy && open))
        submit(r, A_CANCEL, id, NULL, NULL);
    if (ui_button(ui, "no-show", T(r, "reception.no_show"), ui_cell(acts, 2, 4, 1, 1, g),
                  UI_BTN_SECONDARY, UI_ICON_NONE, !busy && open))
        submit(r, A_NO_SHOW, id, NULL, NULL);
    if (ui_button(ui, "reprint", T(r, "reception.reprint"), ui_cell(acts, 2, 4, 0, 2, g),
                  UI_BTN_SECONDARY, UI_ICON_PRINTER, !busy && sel))
        submit(r, A_GET, id, NULL, NULL);
    if (ui_button(ui, "unlock", T(r, "reception.unlock"), ui_cell(acts, 2, 4, 1, 2, g),
                  UI_BTN_SECONDARY, UI_ICON_NONE, !busy)) {
        r->screen = RS_UNLOCK;
        r->typed_len = 0;
        r->typed[0] = 0;
        r->msg[0] = 0;
        if (sel && sel->t.client_no[0]) {
            mc_fmt(r->typed, sizeof r->typed, "%s", sel->t.client_no);
            r->typed_len = strlen(r->typed);
        }
    }
    if (ui_button(ui, "walkin", T(r, "reception.walkin"), ui_cell(acts, 2, 4, 0, 3, g),
                  UI_BTN_PRIMARY, UI_ICON_PERSON, !busy))
        r->screen = RS_WALKIN;
    if (ui_button(ui, "presence", T(r, "reception.presence"), ui_cell(acts, 2, 4, 1, 3, g),
                  UI_BTN_PRIMARY, UI_ICON_NONE, !busy))
        r->screen = RS_PRESENCE;
    ui_cut_top(&s, g);
    if (r->msg[0])
        mc_label(ui, "message", ui_cut_top(&s, ui_px(ui, 54)), r->msg, UI_BOLD, 26,
                 r->msg_warn ? ui->th.warn : ui->th.ok, UI_LEFT);
    /* printer alerts */
    if (r->m.n_alerts) {
        mc_label(ui, NULL, ui_cut_top(&s, ui_px(ui, 44)), T(r, "reception.alerts"), UI_BOLD, 26,
                 ui->th.warn, UI_LEFT);
        for (int i = 0; i < r->m.n_alerts && s.h > ui_px(ui, 30); i++) {
            const store_audit_row *a = &r->m.alerts[i];
            char aid[24], text[UI_LABEL_SZ];
            otime_parts p;
            otime_local(a->at, r->b.cfg.utc_offset_min, &p);
            char tm[48];
            i18n_time(mc_lang(&r->b), &p, tm, sizeof tm);
            alert_text(r, a, tm, text, sizeof text);
            mc_fmt(aid, sizeof aid, "alert-%d", i + 1);
            mc_label(ui, aid, ui_cut_top(&s, ui_px(ui, 40)), text, UI_REGULAR, 24, ui->th.warn,
                     UI_LEFT);
        }
    }
}

static void back_button(reception_ui *r, ui_ctx *ui, SDL_Rect *body)
{
    SDL_Rect back = ui_cut_bottom(body, ui_px(ui, 90));
    if (ui_button(ui, "back", T(r, "common.back"), ui_center(back, back.w / 4, back.h - 10),
                  UI_BTN_QUIET, UI_ICON_BACK, 1)) {
        if (r->screen == RS_WALKIN) r->walkin_key[0] = 0; /* the walk-in was given up */
        r->screen = RS_MAIN;
    }
}

static void draw_transfer(reception_ui *r, ui_ctx *ui, SDL_Rect body)
{
    const rc_row *sel = r->selected ? find_row(r, r->selected) : NULL;
    if (!sel) {
        r->screen = RS_MAIN;
        return;
    }
    char t[160];
    const char *vars[] = {"code", sel->t.code, NULL};
    i18n_fill(T(r, "desk.transfer.title"), vars, t, sizeof t);
    mc_label(ui, "title", ui_cut_top(&body, ui_px(ui, 80)), t, UI_BOLD, 40, ui->th.text, UI_CENTER);
    back_button(r, ui, &body);
    int g = ui_px(ui, 10), n = 0;
    int cols = 5, rows = (r->m.n_off + 1 + cols - 1) / cols;
    if (rows < 5) rows = 5;
    for (int i = 0; i < r->m.n_off && n < 70; i++) {
        const rc_off *o = &r->m.off[i];
        if (!strcmp(o->o.id, sel->t.officer)) continue;
        char id[UI_ID_SZ], label[UI_LABEL_SZ];
        mc_fmt(id, sizeof id, "to-%s", o->o.id);
        /* "Kartika (tidak hadir)": the catalog trims its values' spaces */
        mc_fmt(label, sizeof label, "%s%s%s", o->o.name, o->present ? "" : " ",
               o->present ? "" : T(r, "reception.absent_mark"));
        if (ui_button_px(ui, id, label, ui_cell(body, cols, rows, n % cols, n / cols, g),
                         UI_BTN_SECONDARY, UI_ICON_NONE, 1, ui_fpx(ui, 24))) {
            submit(r, A_TRANSFER, sel->t.id, o->o.id, NULL);
            r->screen = RS_MAIN;
        }
        n++;
    }
    if (sel->t.officer[0] && ui_button(ui, "to-reception", T(r, "desk.transfer.reception"),
                                       ui_cell(body, cols, rows, n % cols, n / cols, g),
                                       UI_BTN_SECONDARY, UI_ICON_NONE, 1)) {
        submit(r, A_TRANSFER, sel->t.id, STORE_RECEPTION, NULL);
        r->screen = RS_MAIN;
    }
}

/* Presence: a row per officer: [present/absent] [substitute: X] [move N]. */
static void draw_presence(reception_ui *r, ui_ctx *ui, SDL_Rect body)
{
    mc_label(ui, "title", ui_cut_top(&body, ui_px(ui, 70)), T(r, "reception.presence.title"),
             UI_BOLD, 38, ui->th.text, UI_CENTER);
    back_button(r, ui, &body);
    int busy = lw_busy(r->b.lw) || r->b.status != LW_OK;
    int n = r->m.n_off > 28 ? 28 : r->m.n_off; /* widget budget: 3 per officer */
    int cols = n > 14 ? 2 : 1, rows = (n + cols - 1) / cols;
    if (rows < 6) rows = 6;
    int g = ui_px(ui, 6);
    for (int i = 0; i < n; i++) {
        const rc_off *o = &r->m.off[i];
        SDL_Rect row = ui_cell(body, cols, rows, i % cols, i / cols, g);
        SDL_Rect name = ui_cut_left(&row, row.w * 34 / 100);
        char nm[STORE_NAME_SZ + 32];
        mc_fmt(nm, sizeof nm, "%s (%d)", o->o.name, o->waiting);
        mc_label(ui, NULL, name, nm, UI_BOLD, 26, ui->th.text, UI_LEFT);
        char id[UI_ID_SZ];
        mc_fmt(id, sizeof id, "present-%s", o->o.id);
        SDL_Rect b1 = ui_cut_left(&row, row.w * 30 / 100);
        if (ui_button_px(ui, id, T(r, o->present ? "reception.present" : "reception.absent"),
                         ui_inset(b1, g, 0), o->present ? UI_BTN_SECONDARY : UI_BTN_PRIMARY,
                         UI_ICON_NONE, !busy, ui_fpx(ui, 24))) {
            /* toggle: absent without substitute is "-" */
            submit(r, A_PRESENCE, 0, o->o.id, o->present ? "-" : "");
        }
        SDL_Rect b2 = ui_cut_left(&row, row.w * 55 / 100);
        char sub[STORE_NAME_SZ + 64];
        const char *sn =
            o->p.substitute[0] ? officer_name(r, o->p.substitute) : T(r, "reception.no_substitute");
        const char *vars[] = {"name", sn, NULL};
        i18n_fill(T(r, "reception.substitute"), vars, sub, sizeof sub);
        mc_fmt(id, sizeof id, "sub-%s", o->o.id);
        if (ui_button_px(ui, id, sub, ui_inset(b2, g, 0), UI_BTN_QUIET, UI_ICON_NONE,
                         !busy && !o->present, ui_fpx(ui, 22))) {
            /* cycle to the next present officer */
            int start = 0;
            for (int k = 0; k < r->m.n_off; k++)
                if (!strcmp(r->m.off[k].o.id, o->p.substitute)) start = k + 1;
            const char *next = "-";
            for (int k = 0; k < r->m.n_off; k++) {
                const rc_off *c = &r->m.off[(start + k) % r->m.n_off];
                if (c != o && c->present) {
                    next = c->o.id;
                    break;
                }
            }
            submit(r, A_PRESENCE, 0, o->o.id, next);
        }
        mc_fmt(id, sizeof id, "move-%s", o->o.id);
        if (ui_button_px(ui, id, T(r, "reception.move"), ui_inset(row, g, 0), UI_BTN_SECONDARY,
                         UI_ICON_NONE, !busy && !o->present && o->p.substitute[0] && o->waiting,
                         ui_fpx(ui, 22)))
            submit(r, A_MOVE, 0, o->o.id, o->p.substitute);
    }
}

static void draw_walkin(reception_ui *r, ui_ctx *ui, SDL_Rect body)
{
    mc_label(ui, "title", ui_cut_top(&body, ui_px(ui, 80)), T(r, "reception.walkin.title"), UI_BOLD,
             40, ui->th.text, UI_CENTER);
    back_button(r, ui, &body);
    int g = ui_px(ui, 14);
    for (int i = 0; i < BK_PURPOSE__COUNT; i++) {
        bk_purpose p = (bk_purpose)i;
        const char *name = bk_purpose_name(p);
        char id[UI_ID_SZ];
        mc_fmt(id, sizeof id, "walkin-%s", name);
        if (ui_button(ui, id, word(r, "kiosk.purpose.", name), ui_cell(body, 3, 2, i % 3, i / 3, g),
                      UI_BTN_CHOICE, UI_ICON_NONE, 1)) {
            if (!r->walkin_key[0] || r->walkin_purpose != p) {
                if (token_random(r->walkin_key))
                    r->walkin_key[0] = 0; /* no key: queue_walkin_key makes one */
                r->walkin_purpose = p;
            }
            submit(r, A_WALKIN, 0, name, r->walkin_key);
            r->screen = RS_MAIN;
        }
    }
}

static void draw_unlock(reception_ui *r, ui_ctx *ui, SDL_Rect body)
{
    mc_label(ui, "title", ui_cut_top(&body, ui_px(ui, 80)), T(r, "reception.unlock.title"), UI_BOLD,
             40, ui->th.text, UI_CENTER);
    back_button(r, ui, &body);
    SDL_Rect f = ui_center(body, body.w / 2, ui_px(ui, 90));
    ui_round_rect(ui, f, ui_px(ui, 10), ui->th.panel);
    mc_label(ui, "client-no", f, r->typed, UI_BOLD, 44, ui->th.text, UI_CENTER);
    SDL_Rect ok = {f.x, f.y + f.h + ui_px(ui, 20), f.w, ui_px(ui, 90)};
    SDL_Rect hint = {body.x, f.y - ui_px(ui, 60), body.w, ui_px(ui, 50)};
    if (r->msg[0] && r->msg_warn)
        mc_label(ui, "message", hint, r->msg, UI_BOLD, 26, ui->th.warn, UI_CENTER);
    else
        mc_label(ui, "hint", hint, T(r, "reception.unlock.hint"), UI_REGULAR, 24, ui->th.text_dim,
                 UI_CENTER);
    if (ui_button(ui, "unlock-ok", T(r, "reception.unlock"), ok, UI_BTN_PRIMARY, UI_ICON_NONE,
                  r->typed_len > 0)) {
        submit(r, A_UNLOCK, 0, r->typed, NULL);
        r->screen = RS_MAIN;
    }
}

static void frame_cb(void *ud, ui_ctx *ui, int64_t now_ms)
{
    reception_ui *r = ud;
    SDL_Rect body = {0, 0, ui->w, ui->h};
    ui_clear(ui, ui->th.bg);
    mc_header(&r->b, ui, ui_cut_top(&body, ui_px(ui, 90)), T(r, "reception.title"));
    mc_banner(&r->b, ui, &body, now_ms);
    body = ui_inset(body, ui_px(ui, 20), ui_px(ui, 14));
    switch (r->screen) {
    case RS_TRANSFER:
        draw_transfer(r, ui, body);
        break;
    case RS_PRESENCE:
        draw_presence(r, ui, body);
        break;
    case RS_WALKIN:
        draw_walkin(r, ui, body);
        break;
    case RS_UNLOCK:
        draw_unlock(r, ui, body);
        break;
    default:
        break;
    }
    if (r->screen == RS_MAIN) {
        int pad = ui_px(ui, 20);
        SDL_Rect side;
        if (ui->portrait) {
            side = ui_cut_bottom(&body, body.h * 45 / 100);
            ui_cut_bottom(&body, pad);
        } else {
            side = ui_cut_right(&body, body.w * 36 / 100);
            ui_cut_right(&body, pad);
        }
        draw_list(r, ui, body);
        draw_side(r, ui, side);
    }
}

static const char *screen_cb(void *ud)
{
    const reception_ui *r = ud;
    switch (r->screen) {
    case RS_TRANSFER:
        return "reception-transfer";
    case RS_PRESENCE:
        return "reception-presence";
    case RS_WALKIN:
        return "reception-walkin";
    case RS_UNLOCK:
        return "reception-unlock";
    default:
        return "reception";
    }
}

static int event_cb(void *ud, ui_ctx *ui, const SDL_Event *ev, int x, int y, int down,
                    int64_t now_ms)
{
    reception_ui *r = ud;
    (void)ui;
    (void)x;
    (void)y;
    (void)down;
    (void)now_ms;
    if (ev->type == lw_event_type(r->b.lw)) return take(r);
    if (ev->type == SDL_TEXTINPUT) {
        if (r->screen == RS_UNLOCK) {
            /* only a client number's characters enter the field: a control
             * character or symbol is refused as typed, and the screen says so */
            if (mc_append_allowed(r->typed, sizeof r->typed, &r->typed_len, ev->text.text,
                                  MC_CHARS_CLIENT_NO))
                set_msg(r, "reception.msg.bad_char", NULL, 1); /* until the field is left */
            return 1;
        }
        /* a scan: a scanner's stray control characters are left out */
        mc_append_allowed(r->typed, sizeof r->typed, &r->typed_len, ev->text.text, MC_CHARS_SCAN);
        return 0;
    }
    if (ev->type == SDL_KEYDOWN) {
        SDL_Keycode k = ev->key.keysym.sym;
        if (k == SDLK_BACKSPACE && r->typed_len) {
            r->typed[--r->typed_len] = 0;
            return 1;
        }
        if ((k == SDLK_RETURN || k == SDLK_RETURN2 || k == SDLK_KP_ENTER) && r->typed_len) {
            if (r->screen == RS_UNLOCK)
                submit(r, A_UNLOCK, 0, r->typed, NULL);
            else
                submit(r, A_SCAN, 0, r->typed, NULL);
            r->screen = RS_MAIN;
            r->typed_len = 0;
            r->typed[0] = 0;
            return 1;
        }
        if (k == SDLK_ESCAPE && r->screen != RS_MAIN) {
            if (r->screen == RS_WALKIN) r->walkin_key[0] = 0; /* the walk-in was given up */
            r->screen = RS_MAIN;
            return 1;
        }
    }
    return 0;
}

static int tick_cb(void *ud, ui_ctx *ui, int64_t now_ms)
{
    reception_ui *r = ud;
    (void)ui;
    int redraw = mc_clock_tick(&r->b, now_ms);
    if (r->print_pending && r->printer.poll) {
        flow_print p = r->printer.poll(r->printer.ud);
        if (p != FLOW_PRINT_PENDING) {
            r->print_pending = 0;
            set_msg(r,
                    p == FLOW_PRINT_DONE ? "reception.msg.printed" : "reception.msg.print_failed",
                    NULL, p != FLOW_PRINT_DONE);
            redraw = 1;
        }
    }
    return redraw;
}

static int64_t wake_cb(void *ud, int64_t now_ms)
{
    reception_ui *r = ud;
    if (r->print_pending) return 200;
    return mc_clock_wake(&r->b, now_ms);
}

static int busy_cb(void *ud)
{
    reception_ui *r = ud;
    return lw_busy(r->b.lw);
}

ui_mode reception_ui_mode(reception_ui *r)
{
    ui_mode m = {.ud = r,
                 .screen = screen_cb,
                 .frame = frame_cb,
                 .event = event_cb,
                 .tick = tick_cb,
                 .next_wakeup = wake_cb,
                 .busy = busy_cb,
                 .quit = NULL};
    return m;
}

bk_err reception_ui_create(const live_mode_opts *o, reception_ui **out, char *err, size_t errlen)
{
    *out = NULL;
    reception_ui *r = calloc(1, sizeof *r);
    if (!r) {
        mc_fmt(err, errlen, "out of memory");
        return BK_ERR_NOMEM;
    }
    r->f_officer = -1;
    if (o->printer) {
        r->printer = *o->printer;
        r->has_printer = 1;
    }
    bk_err e = mc_init(&r->b, o->cfg, o->assets, &o->q, err, errlen);
    if (e) {
        free(r);
        return e;
    }
    if ((e = mc_start_worker(&r->b, o, sizeof(rc_model), load_cb, act_cb, r, err, errlen))) {
        mc_free(&r->b);
        free(r);
        return e;
    }
    *out = r;
    return BK_OK;
}

void reception_ui_destroy(reception_ui *r)
{
    if (!r) return;
    lw_destroy(r->b.lw);
    mc_free(&r->b);
    free(r);
}
