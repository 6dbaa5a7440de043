/* desk.c — `--mode desk --officer ID`, a PK's desk window (modes.h).
 *
 * My waiting clients in queue order (with names: the PK may see them), the
 * current ticket, and the actions: call next, recall, start, done (with a
 * required outcome), no-show, transfer. Typing or scanning a slip's QR
 * payload (BPK1:<token>) or a ticket code selects that ticket. Every action
 * runs on the livework thread; call-next is one write transaction in
 * queue_call_next, so two desks of one officer never get the same ticket.
 */
#include "modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "livework.h"
#include "modecommon.h"
#include "store_answers.h"

#define DESK_MAX_ROWS 60
#define DESK_MAX_OFFICERS 72
#define DESK_SHOWN_OFFICERS 24

/* desk_row.answers: the report questions of a client's report ticket */
enum { ANS_NONE, ANS_MISSING, ANS_GIVEN };

typedef struct desk_row {
    queue_view v;
    char name[STORE_NAME_SZ];
    int answers; /* ANS_*: not a report visit, not answered, answered */
    int n_flags; /* questions answered "Ya" (the PK's to talk about) */
    int flag_ids[STORE_QUESTIONS_MAX];
} desk_row;

typedef struct desk_model {
    store_officer me;
    int me_found;
    int present;
    int n_rows; /* open tickets of mine, shown */
    int n_open; /* all open tickets of mine */
    desk_row rows[DESK_MAX_ROWS];
    int n_officers;
    store_officer officers[DESK_MAX_OFFICERS];
    int n_questions; /* every question (active or not: old answers name them) */
    store_question questions[STORE_QUESTIONS_MAX];
} desk_model;

enum { ACT_CALL_NEXT = 1, ACT_RECALL, ACT_START, ACT_DONE, ACT_NO_SHOW, ACT_TRANSFER, ACT_SCAN };

typedef struct desk_req {
    int kind;
    int64_t id;
    char arg[STORE_TOKEN_SZ + 16];
} desk_req;

typedef struct desk_res {
    int kind;
    int64_t id;
    char code[STORE_CODE_SZ];
    mc_scan scan;           /* ACT_SCAN: what the scan was */
    char day[STORE_DAY_SZ]; /* ACT_SCAN, MC_SCAN_OTHER_DAY: the slip's day */
} desk_res;

typedef enum desk_screen { DS_MAIN, DS_OUTCOME, DS_TRANSFER } desk_screen;

struct desk_ui {
    mc_base b;
    char officer[STORE_ID_SZ];
    desk_model m, next;
    int have_model;
    desk_screen screen;
    int64_t selected; /* ticket id picked (row tap or scan); 0 = none */
    char msg[256];
    int msg_warn;
    char scan[128];
    size_t scan_len;
};

/* ---- worker side --------------------------------------------------------- */

typedef struct load_ctx {
    queue_ctx *q;
    desk_model *m;
} load_ctx;

static bk_err add_row(void *ud, const queue_view *v)
{
    load_ctx *c = ud;
    c->m->n_open++;
    if (c->m->n_rows >= DESK_MAX_ROWS) return BK_OK;
    desk_row *r = &c->m->rows[c->m->n_rows++];
    r->v = *v;
    r->name[0] = 0;
    if (v->t.client_no[0]) {
        store_client cl;
        if (store_client_get(c->q->st, v->t.client_no, &cl) == BK_OK)
            mc_fmt(r->name, sizeof r->name, "%s", cl.name);
    } else {
        mc_fmt(r->name, sizeof r->name, "%s", v->t.walkin_name);
    }
    r->answers = ANS_NONE;
    r->n_flags = 0;
    if (v->t.client_no[0] && v->t.purpose == BK_PURPOSE_REPORT) {
        store_answer a[STORE_QUESTIONS_MAX];
        int n = 0;
        bk_err e = store_answers_get(c->q->st, v->t.id, a, STORE_QUESTIONS_MAX, &n);
        if (e) return e;
        r->answers = n > 0 ? ANS_GIVEN : ANS_MISSING;
        for (int i = 0; i < n; i++)
            if (a[i].answer == 1) r->flag_ids[r->n_flags++] = a[i].question_id;
    }
    return BK_OK;
}

static bk_err add_question(void *ud, const store_question *q)
{
    desk_model *m = ud;
    if (m->n_questions < STORE_QUESTIONS_MAX) m->questions[m->n_questions++] = *q;
    return BK_OK;
}

static bk_err add_officer(void *ud, const store_officer *o)
{
    desk_model *m = ud;
    if (o->active && m->n_officers < DESK_MAX_OFFICERS) m->officers[m->n_officers++] = *o;
    return BK_OK;
}

static bk_err load_cb(void *ud, queue_ctx *q, void *buf)
{
    desk_ui *d = ud;
    desk_model *m = buf;
    memset(m, 0, sizeof *m);
    /* queue_list reads in its own transaction; the officer data may be a
     * commit older, which the next change corrects */
    bk_err e = store_officer_get(q->st, d->officer, &m->me);
    if (e == BK_OK)
        m->me_found = 1;
    else if (e != BK_ERR_NOT_FOUND)
        return e;
    if ((e = store_officer_list(q->st, add_officer, m))) return e;
    if ((e = store_questions_list(q->st, 0, add_question, m))) return e;
    char day[11];
    queue_today(q, day);
    if (m->me_found && (e = queue_officer_present(q, day, d->officer, &m->present, NULL))) return e;
    load_ctx c = {q, m};
    return queue_list(q, d->officer, STORE_ST_OPEN, add_row, &c);
}

static bk_err act_cb(void *ud, queue_ctx *q, const void *reqp, void *resp)
{
    desk_ui *d = ud;
    const desk_req *r = reqp;
    desk_res *res = resp;
    queue_view v;
    memset(&v, 0, sizeof v);
    bk_err e = BK_ERR_INVALID;
    res->kind = r->kind;
    switch (r->kind) {
    case ACT_CALL_NEXT:
        e = queue_call_next(q, d->officer, &v);
        break;
    case ACT_RECALL:
        e = queue_recall(q, r->id, &v);
        break;
    case ACT_START:
        e = queue_start(q, r->id, d->officer, &v);
        break;
    case ACT_DONE: {
        bk_outcome outcome = BK_OUTCOME_NONE;
        if ((e = bk_outcome_parse(r->arg, &outcome)) == BK_OK)
            e = queue_done(q, r->id, outcome, &v);
        break;
    }
    case ACT_NO_SHOW:
        e = queue_no_show(q, r->id, &v);
        break;
    case ACT_TRANSFER:
        e = queue_transfer(q, r->id, r->arg, "desk", &v);
        break;
    case ACT_SCAN:
        e = mc_scan_lookup(q, r->arg, &v.t, &res->scan);
        if (res->scan == MC_SCAN_OTHER_DAY) mc_fmt(res->day, sizeof res->day, "%s", v.t.day);
        break;
    default:
        break;
    }
    if (!e) {
        res->id = v.t.id;
        mc_fmt(res->code, sizeof res->code, "%s", v.t.code);
    }
    return e;
}

/* ---- UI side ------------------------------------------------------------- */

static const char *T(const desk_ui *d, const char *key)
{
    return mc_t(&d->b, key);
}

static const desk_row *find_row(const desk_ui *d, int64_t id)
{
    for (int i = 0; i < d->m.n_rows; i++)
        if (d->m.rows[i].v.t.id == id) return &d->m.rows[i];
    return NULL;
}

/* The ticket the buttons act on: the selected one, else mine being served,
 * else mine called most recently. */
static const desk_row *current(const desk_ui *d)
{
    const desk_row *r = d->selected ? find_row(d, d->selected) : NULL;
    if (r) return r;
    const desk_row *best = NULL;
    for (int i = 0; i < d->m.n_rows; i++) {
        const desk_row *x = &d->m.rows[i];
        if (x->v.t.status == BK_STATUS_SERVING) return x;
        if (x->v.t.status == BK_STATUS_CALLED &&
            (!best || x->v.t.last_call_at > best->v.t.last_call_at))
            best = x;
    }
    return best;
}

static void submit(desk_ui *d, int kind, int64_t id, const char *arg)
{
    desk_req r;
    memset(&r, 0, sizeof r);
    r.kind = kind;
    r.id = id;
    if (arg) mc_fmt(r.arg, sizeof r.arg, "%s", arg);
    if (!lw_submit(d->b.lw, &r, sizeof r)) {
        mc_fmt(d->msg, sizeof d->msg, "%s", T(d, "common.wait"));
        d->msg_warn = 1;
    }
}

static void set_msg(desk_ui *d, const char *key, const char *code, int warn)
{
    const char *vars[] = {"code", code ? code : "", NULL};
    i18n_fill(T(d, key), vars, d->msg, sizeof d->msg);
    d->msg_warn = warn;
}

static int take(desk_ui *d)
{
    int got = 0, got_res = 0;
    lw_status st;
    bk_err re = BK_OK;
    uint64_t rs = 0;
    _Static_assert(sizeof(desk_res) <= LW_REQ_SZ, "result too large");
    unsigned char buf[LW_REQ_SZ];
    desk_res res;
    memset(buf, 0, sizeof buf);
    int any = lw_take(d->b.lw, &d->next, &got, &st, buf, &re, &rs, &got_res);
    memcpy(&res, buf, sizeof res);
    d->b.status = st;
    if (got) {
        d->m = d->next;
        d->have_model = 1;
        if (d->selected && !find_row(d, d->selected)) d->selected = 0; /* closed or moved away */
    }
    if (got_res) {
        if (re == BK_OK) {
            switch (res.kind) {
            case ACT_CALL_NEXT:
                d->selected = res.id;
                set_msg(d, "desk.msg.called", res.code, 0);
                break;
            case ACT_RECALL:
                set_msg(d, "desk.msg.recalled", res.code, 0);
                break;
            case ACT_START:
                set_msg(d, "desk.msg.started", res.code, 0);
                break;
            case ACT_DONE:
                set_msg(d, "desk.msg.done", res.code, 0);
                d->selected = 0;
                break;
            case ACT_NO_SHOW:
                set_msg(d, "desk.msg.no_show", res.code, 0);
                d->selected = 0;
                break;
            case ACT_TRANSFER:
                set_msg(d, "desk.msg.transferred", res.code, 0);
                d->selected = 0;
                break;
            case ACT_SCAN:
                d->selected = res.id;
                if (find_row(d, res.id))
                    set_msg(d, "desk.msg.selected", res.code, 0);
                else
                    set_msg(d, "desk.msg.not_mine", res.code, 1);
                break;
            default:
                break;
            }
        } else if (res.kind == ACT_SCAN && res.scan == MC_SCAN_NOT_SLIP) {
            set_msg(d, "desk.msg.not_slip", NULL, 1);
        } else if (res.kind == ACT_SCAN && res.scan == MC_SCAN_OTHER_DAY) {
            const char *vars[] = {"day", res.day, NULL};
            i18n_fill(T(d, "desk.msg.other_day"), vars, d->msg, sizeof d->msg);
            d->msg_warn = 1;
        } else if (re == BK_ERR_NOT_FOUND) {
            set_msg(d, res.kind == ACT_CALL_NEXT ? "desk.msg.none_waiting" : "desk.msg.not_found",
                    NULL, 1);
        } else if (re == BK_ERR_BUSY || re == BK_ERR_RETRY) {
            set_msg(d, "common.db.busy", NULL, 1);
        } else if (re == BK_ERR_IO) {
            /* maybe done: the list, re-read once the connection is back, tells */
            set_msg(d, "desk.msg.unknown", NULL, 1);
        } else if (re == BK_ERR_READONLY || re == BK_ERR_DISK_FULL) {
            set_msg(d, "common.db.cannot_save", NULL, 1);
        } else {
            set_msg(d, "desk.msg.failed", NULL, 1);
        }
    }
    return any;
}

static const char *purpose_text(const desk_ui *d, bk_purpose purpose)
{
    char key[64];
    mc_fmt(key, sizeof key, "kiosk.purpose.%s", bk_purpose_name(purpose));
    return i18n_has(d->b.cat[d->b.lang], key) ? T(d, key) : bk_purpose_name(purpose);
}

/* Every purpose of the visit (schema 9: a client's later purposes join the
 * open ticket), the first one first: "Wajib lapor + Tes urine". */
static const char *purposes_text(const desk_ui *d, const store_ticket *t, char *buf, size_t bufsz)
{
    mc_fmt(buf, bufsz, "%s", purpose_text(d, t->purpose));
    for (int i = 0; i < BK_PURPOSE__COUNT; i++) {
        if (i == (int)t->purpose || !(t->purposes & 1u << i)) continue;
        size_t n = strlen(buf);
        mc_fmt(buf + n, bufsz - n, " + %s", purpose_text(d, (bk_purpose)i));
    }
    return buf;
}

static const char *status_text(const desk_ui *d, bk_status status)
{
    char key[64];
    mc_fmt(key, sizeof key, "common.status.%s", bk_status_name(status));
    return i18n_has(d->b.cat[d->b.lang], key) ? T(d, key) : bk_status_name(status);
}

/* The current ticket's report questions, in the desk's language. */
static void answers_text(const desk_ui *d, const desk_row *row, char *out, size_t n)
{
    if (row->answers == ANS_MISSING) {
        mc_fmt(out, n, "%s", T(d, "desk.answers.missing"));
        return;
    }
    if (!row->n_flags) {
        mc_fmt(out, n, "%s", T(d, "desk.answers.none"));
        return;
    }
    char list[600] = "";
    for (int i = 0; i < row->n_flags; i++) {
        const char *text = NULL;
        char fallback[32];
        for (int k = 0; k < d->m.n_questions; k++)
            if (d->m.questions[k].id == row->flag_ids[i])
                text = d->b.lang && d->m.questions[k].text_en[0] ? d->m.questions[k].text_en
                                                                 : d->m.questions[k].text_id;
        if (!text) {
            mc_fmt(fallback, sizeof fallback, "#%d", row->flag_ids[i]);
            text = fallback;
        }
        size_t len = strlen(list);
        mc_fmt(list + len, sizeof list - len, "%s%s", i ? " / " : "", text);
    }
    const char *vars[] = {"questions", list, NULL};
    i18n_fill(T(d, "desk.answers.flags"), vars, out, n);
}

static void draw_list(desk_ui *d, ui_ctx *ui, SDL_Rect r)
{
    char t[96], n[16];
    mc_fmt(n, sizeof n, "%d", d->m.n_open);
    const char *vars[] = {"n", n, NULL};
    i18n_fill(T(d, "desk.waiting"), vars, t, sizeof t);
    mc_label(ui, "waiting-title", ui_cut_top(&r, ui_px(ui, 56)), t, UI_BOLD, 34, ui->th.text,
             UI_LEFT);
    int rh = ui_px(ui, 84), gap = ui_px(ui, 8);
    int fit = (r.h + gap) / (rh + gap);
    if (fit > 20) fit = 20;
    if (d->m.n_rows == 0)
        mc_label(ui, NULL, ui_cut_top(&r, rh), T(d, "desk.empty"), UI_REGULAR, 30, ui->th.text_dim,
                 UI_LEFT);
    for (int i = 0; i < d->m.n_rows && i < fit; i++) {
        const desk_row *row = &d->m.rows[i];
        SDL_Rect b = ui_cut_top(&r, rh);
        ui_cut_top(&r, gap);
        char wait[48], label[UI_LABEL_SZ], id[UI_ID_SZ], why[160];
        mc_wait_text(&d->b, row->v.t.checkin_at, wait, sizeof wait);
        char flags[48] = "";
        if (row->n_flags) { /* the PK's own list: how many "Ya" answers */
            char nf[16];
            mc_fmt(nf, sizeof nf, "%d", row->n_flags);
            const char *fv[] = {"n", nf, NULL};
            char f[40];
            i18n_fill(T(d, "desk.answers.short"), fv, f, sizeof f);
            mc_fmt(flags, sizeof flags, " · %s", f);
        }
        mc_fmt(label, sizeof label, "%s  %s%s · %s · %s · %s%s", row->v.t.code,
               row->v.t.priority ? "★ " : "", row->name[0] ? row->name : "-",
               purposes_text(d, &row->v.t, why, sizeof why), status_text(d, row->v.t.status), wait,
               flags);
        mc_fmt(id, sizeof id, "ticket-%s", row->v.t.code);
        ui_btn_kind k = row->v.t.id == d->selected ? UI_BTN_PRIMARY : UI_BTN_SECONDARY;
        if (ui_button_px(ui, id, label, b, k, UI_ICON_NONE, 1, ui_fpx(ui, 28)))
            d->selected = row->v.t.id;
    }
}

static void draw_main(desk_ui *d, ui_ctx *ui, SDL_Rect body)
{
    int pad = ui_px(ui, 20);
    SDL_Rect left, right;
    if (ui->portrait) {
        right = ui_cut_top(&body, body.h * 50 / 100);
        ui_cut_top(&body, pad);
        left = body;
    } else {
        left = ui_cut_left(&body, body.w * 52 / 100);
        ui_cut_left(&body, pad);
        right = body;
    }
    draw_list(d, ui, left);

    const desk_row *cur = current(d);
    SDL_Rect card = ui_cut_top(&right, right.h * 40 / 100);
    ui_round_rect(ui, card, ui_px(ui, 16), ui->th.panel);
    SDL_Rect in = ui_inset(card, ui_px(ui, 20), ui_px(ui, 12));
    mc_label(ui, NULL, ui_cut_top(&in, in.h * 20 / 100), T(d, "desk.current"), UI_BOLD, 28,
             ui->th.text_dim, UI_LEFT);
    if (cur) {
        mc_label(ui, "current", ui_cut_top(&in, in.h * 50 / 100), cur->v.t.code, UI_BOLD, 110,
                 ui->th.text, UI_LEFT);
        char info[UI_LABEL_SZ], why[160];
        mc_fmt(info, sizeof info, "%s · %s · %s", cur->name[0] ? cur->name : "-",
               purposes_text(d, &cur->v.t, why, sizeof why), status_text(d, cur->v.t.status));
        if (cur->answers != ANS_NONE) {
            /* which report questions were answered "Ya" (or that none were
             * answered): for this PK only, never on a public screen */
            char flags[640];
            answers_text(d, cur, flags, sizeof flags);
            SDL_Rect fr = ui_cut_bottom(&in, in.h * 45 / 100);
            ui_text_style fs = mc_style(
                ui, UI_BOLD, 26,
                cur->n_flags || cur->answers == ANS_MISSING ? ui->th.warn : ui->th.text_dim,
                UI_LEFT);
            fs.max_lines = 2;
            ui_text(ui, fr, flags, &fs);
            ui_info(ui, "current-flags", flags, fr);
        }
        mc_label(ui, "current-info", in, info, UI_REGULAR, 32, ui->th.text, UI_LEFT);
    } else {
        mc_label(ui, "current", in, "", UI_BOLD, 40, ui->th.text_dim, UI_LEFT);
        mc_label(ui, NULL, in, T(d, "desk.no_current"), UI_REGULAR, 34, ui->th.text_dim, UI_LEFT);
    }
    ui_cut_top(&right, pad);
    SDL_Rect msg = ui_cut_bottom(&right, ui_px(ui, 70));
    if (d->msg[0])
        mc_label(ui, "message", msg, d->msg, UI_BOLD, 30, d->msg_warn ? ui->th.warn : ui->th.ok,
                 UI_LEFT);
    int busy = lw_busy(d->b.lw) || d->b.status != LW_OK;
    int waiting = cur && cur->v.t.status == BK_STATUS_WAITING;
    int called = cur && cur->v.t.status == BK_STATUS_CALLED;
    int serving = cur && cur->v.t.status == BK_STATUS_SERVING;
    int g = ui_px(ui, 12);
    SDL_Rect grid = right;
    int64_t id = cur ? cur->v.t.id : 0;
    if (ui_button(ui, "call-next", T(d, "desk.call_next"), ui_cell(grid, 2, 3, 0, 0, g),
                  UI_BTN_PRIMARY, UI_ICON_NONE, !busy))
        submit(d, ACT_CALL_NEXT, 0, NULL);
    if (ui_button(ui, "recall", T(d, "desk.recall"), ui_cell(grid, 2, 3, 1, 0, g), UI_BTN_SECONDARY,
                  UI_ICON_NONE, !busy && called))
        submit(d, ACT_RECALL, id, NULL);
    if (ui_button(ui, "start", T(d, "desk.start"), ui_cell(grid, 2, 3, 0, 1, g), UI_BTN_SECONDARY,
                  UI_ICON_NONE, !busy && (called || waiting)))
        submit(d, ACT_START, id, NULL);
    if (ui_button(ui, "done", T(d, "desk.done"), ui_cell(grid, 2, 3, 1, 1, g), UI_BTN_SECONDARY,
                  UI_ICON_NONE, !busy && serving))
        d->screen = DS_OUTCOME;
    if (ui_button(ui, "no-show", T(d, "desk.no_show"), ui_cell(grid, 2, 3, 0, 2, g),
                  UI_BTN_SECONDARY, UI_ICON_NONE, !busy && called))
        submit(d, ACT_NO_SHOW, id, NULL);
    if (ui_button(ui, "transfer", T(d, "desk.transfer"), ui_cell(grid, 2, 3, 1, 2, g),
                  UI_BTN_SECONDARY, UI_ICON_NONE, !busy && (waiting || called)))
        d->screen = DS_TRANSFER;
}

static void draw_outcome(desk_ui *d, ui_ctx *ui, SDL_Rect body)
{
    const desk_row *cur = current(d);
    if (!cur || cur->v.t.status != BK_STATUS_SERVING) {
        d->screen = DS_MAIN;
        return;
    }
    char t[160];
    const char *vars[] = {"code", cur->v.t.code, NULL};
    i18n_fill(T(d, "desk.outcome.title"), vars, t, sizeof t);
    mc_label(ui, "title", ui_cut_top(&body, ui_px(ui, 90)), t, UI_BOLD, 44, ui->th.text, UI_CENTER);
    SDL_Rect back = ui_cut_bottom(&body, ui_px(ui, 100));
    int g = ui_px(ui, 16);
    /* Every outcome but none: "outcome-counseled", "desk.outcome.counseled", ... */
    const int n = BK_OUTCOME__COUNT - 1;
    for (int i = 0; i < n; i++) {
        const char *name = bk_outcome_name((bk_outcome)(BK_OUTCOME_NONE + 1 + i));
        char id[UI_ID_SZ], key[64];
        mc_fmt(id, sizeof id, "outcome-%s", name);
        mc_fmt(key, sizeof key, "desk.outcome.%s", name);
        if (ui_button(ui, id, T(d, key), ui_inset(ui_cell(body, n, 1, i, 0, g), 0, g),
                      UI_BTN_PRIMARY, UI_ICON_NONE, 1)) {
            submit(d, ACT_DONE, cur->v.t.id, name);
            d->screen = DS_MAIN;
        }
    }
    if (ui_button(ui, "back", T(d, "common.back"), ui_center(back, back.w / 3, back.h - g),
                  UI_BTN_QUIET, UI_ICON_BACK, 1))
        d->screen = DS_MAIN;
}

static void draw_transfer(desk_ui *d, ui_ctx *ui, SDL_Rect body)
{
    const desk_row *cur = current(d);
    if (!cur) {
        d->screen = DS_MAIN;
        return;
    }
    char t[160];
    const char *vars[] = {"code", cur->v.t.code, NULL};
    i18n_fill(T(d, "desk.transfer.title"), vars, t, sizeof t);
    mc_label(ui, "title", ui_cut_top(&body, ui_px(ui, 80)), t, UI_BOLD, 40, ui->th.text, UI_CENTER);
    SDL_Rect back = ui_cut_bottom(&body, ui_px(ui, 90));
    int n = 0;
    int g = ui_px(ui, 10);
    for (int i = 0; i < d->m.n_officers && n < DESK_SHOWN_OFFICERS; i++) {
        const store_officer *o = &d->m.officers[i];
        if (strcmp(o->id, d->officer) == 0) continue;
        char id[UI_ID_SZ], label[UI_LABEL_SZ];
        mc_fmt(id, sizeof id, "to-%s", o->id);
        mc_fmt(label, sizeof label, "%s\n%s", o->name, o->room);
        if (ui_button_px(ui, id, label, ui_cell(body, 4, 6, n % 4, n / 4, g), UI_BTN_SECONDARY,
                         UI_ICON_NONE, 1, ui_fpx(ui, 24))) {
            submit(d, ACT_TRANSFER, cur->v.t.id, o->id);
            d->screen = DS_MAIN;
        }
        n++;
    }
    if (ui_button(ui, "to-reception", T(d, "desk.transfer.reception"),
                  ui_cell(body, 4, 6, n % 4, n / 4, g), UI_BTN_SECONDARY, UI_ICON_NONE, 1)) {
        submit(d, ACT_TRANSFER, cur->v.t.id, STORE_RECEPTION);
        d->screen = DS_MAIN;
    }
    if (ui_button(ui, "back", T(d, "common.back"), ui_center(back, back.w / 3, back.h - g),
                  UI_BTN_QUIET, UI_ICON_BACK, 1))
        d->screen = DS_MAIN;
}

static void frame_cb(void *ud, ui_ctx *ui, int64_t now_ms)
{
    desk_ui *d = ud;
    SDL_Rect body = {0, 0, ui->w, ui->h};
    ui_clear(ui, ui->th.bg);
    SDL_Rect hdr = ui_cut_top(&body, ui_px(ui, 90));
    char title[STORE_NAME_SZ + STORE_ROOM_SZ + 64];
    if (d->m.me_found) {
        const char *vars[] = {"name", d->m.me.name, "room", d->m.me.room, NULL};
        i18n_fill(T(d, "desk.title"), vars, title, sizeof title);
    } else {
        const char *vars[] = {"id", d->officer, NULL};
        i18n_fill(T(d, d->have_model ? "desk.unknown_officer" : "desk.title_loading"), vars, title,
                  sizeof title);
    }
    mc_header(&d->b, ui, hdr, title);
    mc_banner(&d->b, ui, &body, now_ms);
    if (d->have_model && d->m.me_found && !d->m.present) {
        SDL_Rect s = ui_cut_top(&body, ui_px(ui, 56));
        mc_label(ui, "absent", s, T(d, "desk.absent"), UI_BOLD, 28, ui->th.warn, UI_CENTER);
    }
    body = ui_inset(body, ui_px(ui, 20), ui_px(ui, 16));
    switch (d->screen) {
    case DS_OUTCOME:
        draw_outcome(d, ui, body);
        break;
    case DS_TRANSFER:
        draw_transfer(d, ui, body);
        break;
    default:
        break;
    }
    if (d->screen == DS_MAIN) draw_main(d, ui, body);
}

static const char *screen_cb(void *ud)
{
    const desk_ui *d = ud;
    switch (d->screen) {
    case DS_OUTCOME:
        return "desk-outcome";
    case DS_TRANSFER:
        return "desk-transfer";
    default:
        return "desk";
    }
}

static int event_cb(void *ud, ui_ctx *ui, const SDL_Event *ev, int x, int y, int down,
                    int64_t now_ms)
{
    desk_ui *d = ud;
    (void)ui;
    (void)x;
    (void)y;
    (void)down;
    (void)now_ms;
    if (ev->type == lw_event_type(d->b.lw)) return take(d);
    if (ev->type == SDL_TEXTINPUT) {
        /* a scanner's stray control characters never enter the scan; what
         * is left is checked on Enter */
        mc_append_allowed(d->scan, sizeof d->scan, &d->scan_len, ev->text.text, MC_CHARS_SCAN);
        return 0;
    }
    if (ev->type == SDL_KEYDOWN) {
        SDL_Keycode k = ev->key.keysym.sym;
        if ((k == SDLK_RETURN || k == SDLK_RETURN2 || k == SDLK_KP_ENTER) && d->scan_len) {
            submit(d, ACT_SCAN, 0, d->scan);
            d->scan_len = 0;
            d->scan[0] = 0;
            return 1;
        }
        if (k == SDLK_ESCAPE && d->screen != DS_MAIN) {
            d->screen = DS_MAIN;
            return 1;
        }
    }
    return 0;
}

static int tick_cb(void *ud, ui_ctx *ui, int64_t now_ms)
{
    desk_ui *d = ud;
    (void)ui;
    return mc_clock_tick(&d->b, now_ms);
}

static int64_t wake_cb(void *ud, int64_t now_ms)
{
    desk_ui *d = ud;
    return mc_clock_wake(&d->b, now_ms);
}

static int busy_cb(void *ud)
{
    desk_ui *d = ud;
    return lw_busy(d->b.lw);
}

ui_mode desk_ui_mode(desk_ui *d)
{
    ui_mode m = {.ud = d,
                 .screen = screen_cb,
                 .frame = frame_cb,
                 .event = event_cb,
                 .tick = tick_cb,
                 .next_wakeup = wake_cb,
                 .busy = busy_cb,
                 .quit = NULL};
    return m;
}

bk_err desk_ui_create(const live_mode_opts *o, desk_ui **out, char *err, size_t errlen)
{
    *out = NULL;
    desk_ui *d = calloc(1, sizeof *d);
    if (!d) {
        mc_fmt(err, errlen, "out of memory");
        return BK_ERR_NOMEM;
    }
    mc_fmt(d->officer, sizeof d->officer, "%s", o->officer ? o->officer : "");
    bk_err e = mc_init(&d->b, o->cfg, o->assets, &o->q, err, errlen);
    if (e) {
        free(d);
        return e;
    }
    if ((e = mc_start_worker(&d->b, o, sizeof(desk_model), load_cb, act_cb, d, err, errlen))) {
        mc_free(&d->b);
        free(d);
        return e;
    }
    *out = d;
    return BK_OK;
}

void desk_ui_destroy(desk_ui *d)
{
    if (!d) return;
    lw_destroy(d->b.lw);
    mc_free(&d->b);
    free(d);
}
