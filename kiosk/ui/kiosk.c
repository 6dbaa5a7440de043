/* kiosk.c — the check-in screens (kiosk.h): layout, drawing, input, and
 * handing the flow's database jobs to the kiosk's job worker (livework.h).
 *
 * Threads: everything here runs on the UI thread except job_act and the
 * FLOW_JOB_CALL functions (audit_call, checkpoint_call), which the worker
 * runs; they read only their request copy, the worker's queue context and
 * the printer table (set once in kiosk_create and never written again). */
#include "kiosk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "i18n.h"
#include "livework.h"
#include "modecommon.h"
#include "otime.h"

#define BUSY_OVERLAY_DELAY_MS 150 /* quick jobs finish without a flash */
#define SPIN_FRAME_MS 90

_Static_assert(sizeof(flow_job) <= LW_REQ_SZ, "a flow job fits the worker's request");
_Static_assert(sizeof(flow_result) <= LW_REQ_SZ, "a flow result fits the worker's result");

/* A texture made from a printer-owned surface, remade when the surface or
 * the ticket changes. */
typedef struct pic_cache {
    SDL_Texture *tex;
    SDL_Surface *src;
    int64_t for_id; /* ticket id */
    int w, h;
} pic_cache;

struct kiosk {
    mc_base b; /* cfg, catalogs, language, wall clock, the job worker (b.lw) */
    flow f;    /* the UI thread's alone: the worker gets copies of f.job */
    int default_lang;
    flow_screen last_screen;
    char db_path[CFG_PATH_SZ];

    /* the job handed to the worker */
    uint64_t job_seq; /* its lw_submit number; 0 = none with the worker */
    int64_t job_started;

    /* printing */
    kiosk_printer printer; /* read by the worker in audit_call: never written after create */
    int has_printer;
    int64_t print_polled;
    int audit_pending;  /* a print failure to record */
    int checkpoint_due; /* a write since the last WAL checkpoint */
    pic_cache slip_pic; /* the slip preview */
    pic_cache qr_pic;   /* the QR alone, when printing failed */

    /* what the last frame showed: redraw when any of it changes (the
     * minute is b.drawn_minute) */
    unsigned drawn_gen;
    int drawn_countdown;
    int drawn_lang;
    int drawn_busy;
    int64_t drawn_spin;
    int drawn_valid;

    int corner_down;
    int warmed;
};

/* ---- small helpers ---------------------------------------------------- */

static const char *T(const kiosk *k, const char *key)
{
    return mc_t(&k->b, key);
}

static const char *lang_code(const kiosk *k)
{
    return mc_lang(&k->b);
}

static int64_t wall_now(const kiosk *k)
{
    return queue_now(&k->b.q);
}

/* The office day for [verify]'s plausibility check (the clock BAPAS_NOW pins). */
static void set_today(kiosk *k)
{
    char day[11];
    queue_today(&k->b.q, day);
    flow_set_today(&k->f, day);
}

static int job_blocking(const kiosk *k)
{
    return k->f.job_pending && k->f.job.kind != FLOW_JOB_OPEN && k->f.job.kind != FLOW_JOB_CALL;
}

static int busy_visible(const kiosk *k, int64_t now)
{
    return job_blocking(k) && k->job_seq && now - k->job_started >= BUSY_OVERLAY_DELAY_MS;
}

/* Back on [welcome]: the next client starts in the office's language. */
static void follow_screen(kiosk *k)
{
    if (k->f.screen == FLOW_WELCOME && k->last_screen != FLOW_WELCOME) k->b.lang = k->default_lang;
    k->last_screen = k->f.screen;
}

/* ---- jobs ------------------------------------------------------------- */

/* On the worker thread: run the job copy in req with the worker's store and
 * return the result by value in res. */
static bk_err job_act(void *ud, queue_ctx *q, const void *req, void *res)
{
    (void)ud;
    flow_job j;
    flow_result r;
    memcpy(&j, req, sizeof j);
    bk_err e = flow_job_run(&j, q, &r);
    memcpy(res, &r, sizeof r);
    memset(&j, 0, sizeof j); /* the client's identity */
    memset(&r, 0, sizeof r);
    return e;
}

/* Hand the flow's pending job to the worker (a copy), unless the worker
 * has it already. One job at a time: the flow holds the next one back until
 * this one is finished. */
static void job_submit(kiosk *k, int64_t now)
{
    if (!k->f.job_pending || k->job_seq) return;
    uint64_t seq = lw_submit(k->b.lw, &k->f.job, sizeof k->f.job);
    if (!seq) /* cannot happen (one job at a time); the next tick tries again */
        return;
    k->job_seq = seq;
    k->job_started = now;
}

static void print_status(kiosk *k, flow_print p)
{
    if (p == FLOW_PRINT_FAILED && k->f.print != FLOW_PRINT_FAILED && k->printer.audit)
        k->audit_pending = 1;
    flow_set_print(&k->f, p);
}

static void print_start(kiosk *k)
{
    if (!k->has_printer || !k->f.has_ticket) return;
    print_status(k, k->printer.start(k->printer.ud, &k->f.ticket, k->f.next_report, k->f.walkin,
                                     lang_code(k)));
}

/* On the worker thread (a FLOW_JOB_CALL job): arg is the kiosk, of which
 * only the printer table is read. */
static bk_err audit_call(void *arg, queue_ctx *q)
{
    const kiosk *k = arg;
    return k->printer.audit(k->printer.ud, q);
}

/* On the worker thread: write the WAL back while nobody is checking in,
 * so no client's check-in pays for a checkpoint (store_checkpoint). */
static bk_err checkpoint_call(void *arg, queue_ctx *q)
{
    (void)arg;
    return q->st ? store_checkpoint(q->st, NULL) : BK_OK;
}

static int checkpoint_ready(const kiosk *k)
{
    return k->checkpoint_due && k->f.screen == FLOW_WELCOME && !k->f.job_pending;
}

static void job_finished(kiosk *k, const flow_result *r, int64_t now)
{
    flow_job_kind kind = k->f.job.kind;
    bk_err e = r->err;
    /* No client data in logs: an unknown number and a wrong birth date are
     * one word (which numbers exist is nobody's business); the worker logs
     * why an open failed; a file that cannot be written or a full disk is
     * told with the store's account of it (files, modes, the fix). A
     * report already done today is no failure, and its word would say why
     * someone came: not logged. */
    if (e && e != BK_ERR_REPORTED && kind != FLOW_JOB_NONE) {
        int mismatch = e == BK_ERR_NOT_FOUND || e == BK_ERR_WRONG_BIRTH || e == BK_ERR_INVALID;
        SDL_Log("bapas-kiosk: %s job failed: %s%s%s",
                kind == FLOW_JOB_OPEN        ? "open"
                : kind == FLOW_JOB_CHECKIN   ? "check-in"
                : kind == FLOW_JOB_WALKIN    ? "walk-in"
                : kind == FLOW_JOB_IDENTIFY  ? "identify"
                : kind == FLOW_JOB_NO_NUMBER ? "no-number"
                : kind == FLOW_JOB_ANSWERS   ? "answers"
                                             : "background",
                mismatch ? "identity_mismatch" : bk_err_name(e), r->why[0] ? ": " : "", r->why);
    }
    /* reading the questions failed: none were asked (the desk shows the
     * ticket as not answered); the error word only, nothing of the client */
    if (kind == FLOW_JOB_CHECKIN && !e && r->questions_err)
        SDL_Log("bapas-kiosk: report questions could not be read: %s",
                bk_err_name(r->questions_err));
    int ticket_job =
        kind == FLOW_JOB_CHECKIN || kind == FLOW_JOB_WALKIN || kind == FLOW_JOB_NO_NUMBER;
    if (ticket_job || kind == FLOW_JOB_ANSWERS) k->checkpoint_due = 1;
    flow_job_finish(&k->f, r, now);
    /* the slip once [ticket] shows: after the check-in, or after the report
     * questions (whether their answers were saved or not) */
    if (k->f.screen == FLOW_TICKET && k->f.has_ticket && k->f.print == FLOW_PRINT_NONE &&
        ((ticket_job && e == BK_OK) || kind == FLOW_JOB_ANSWERS ||
         (kind == FLOW_JOB_OPEN && e != BK_OK)))
        print_start(k);
}

/* The worker's event: copy the result of the submitted job out (by value)
 * and apply it to the flow. */
static void job_take(kiosk *k, int64_t now)
{
    unsigned char res[LW_REQ_SZ];
    flow_result r;
    bk_err e = BK_OK;
    uint64_t seq = 0;
    int got_model = 0, got_res = 0;
    lw_take(k->b.lw, NULL, &got_model, &k->b.status, res, &e, &seq, &got_res);
    if (!got_res || !k->job_seq || seq != k->job_seq) return;
    k->job_seq = 0;
    memcpy(&r, res, sizeof r);
    r.err = e; /* also when the open failed and res is all zero */
    job_finished(k, &r, now);
    memset(res, 0, sizeof res);
}

/* ---- text styles -------------------------------------------------------- */

/* mc_style without its one-line limit. */
static ui_text_style style(ui_ctx *ui, ui_face face, float design_px, SDL_Color c, ui_align a)
{
    ui_text_style s = mc_style(ui, face, design_px, c, a);
    s.max_lines = 0;
    return s;
}

/* ---- common parts ------------------------------------------------------- */

typedef struct frame_ctx {
    kiosk *k;
    flow *f; /* what to draw and where taps go: k->f, or warm_up's copy */
    ui_ctx *ui;
    int64_t now;
    SDL_Rect body; /* under the header, inside the margins, above the footer */
    SDL_Rect footer;
    int pad, gap;
    int mt; /* minimum touch target */
} frame_ctx;

/* The smallest touch target: 9 mm is about 60 px on a 15.6" 1080p panel
 * and 47-53 px on 7" 800x480 and 10" 1280x800 ones; 60 px everywhere keeps
 * every panel safe. */
static int min_touch(const ui_ctx *ui)
{
    int v = ui_px(ui, 60);
    return v < 60 ? 60 : v;
}

static void header(frame_ctx *c, SDL_Rect hdr, int show_time)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    ui_fill(ui, hdr, ui->th.header);
    SDL_Rect in = ui_inset(hdr, c->pad, ui_px(ui, 12));
    int lw = ui->portrait ? in.w * 34 / 100 : in.w * 19 / 100;
    if (lw < in.h * 2) lw = in.h * 2;
    SDL_Rect lang = ui_cut_right(&in, lw);
    if (ui_button(ui, "lang", T(k, "kiosk.lang.toggle"), lang, UI_BTN_QUIET, UI_ICON_NONE, 1)) {
        k->b.lang ^= 1;
        flow_touch(c->f, c->now);
    }
    ui_cut_right(&in, c->gap);
    if (show_time) {
        otime_parts p;
        otime_local(wall_now(k), k->b.cfg.utc_offset_min, &p);
        char tm[48];
        i18n_time(lang_code(k), &p, tm, sizeof tm);
        SDL_Rect tr = ui_cut_right(&in, in.w * 30 / 100);
        ui_text_style ts = style(ui, UI_REGULAR, 40, ui->th.text_dim, UI_RIGHT);
        ts.max_lines = 1;
        ui_text(ui, tr, tm, &ts);
        ui_info(ui, "clock", tm, tr);
    }
    ui_text_style ts = style(ui, UI_BOLD, 40, ui->th.text, UI_LEFT);
    ts.max_lines = 2;
    ui_text(ui, in, k->b.cfg.office_name, &ts);
    ui_info(ui, "office", k->b.cfg.office_name, in);
}

static void countdown(frame_ctx *c, SDL_Rect r)
{
    int n = flow_countdown(c->f, c->now);
    if (n <= 0 || r.w <= 0) return;
    ui_ctx *ui = c->ui;
    char num[16], msg[256];
    snprintf(num, sizeof num, "%d", n);
    const char *vars[] = {"n", num, NULL};
    i18n_fill(T(c->k, "kiosk.idle.countdown"), vars, msg, sizeof msg);
    ui_round_rect(ui, r, ui_px(ui, 14), ui->th.panel);
    SDL_Rect in = ui_inset(r, ui_px(ui, 16), ui_px(ui, 6));
    SDL_Rect ic = ui_cut_left(&in, in.h < ui_px(ui, 56) ? in.h : ui_px(ui, 56));
    ui_icon_draw(ui, UI_ICON_CLOCK, ui_inset(ic, 0, ui_px(ui, 4)), ui->th.warn);
    ui_cut_left(&in, ui_px(ui, 12));
    ui_text_style ts = style(ui, UI_BOLD, 34, ui->th.warn, UI_LEFT);
    ts.max_lines = 2;
    ui_text(ui, in, msg, &ts);
    ui_info(ui, "countdown", msg, r);
}

/* Footer: [back] countdown */
static void footer(frame_ctx *c, int with_back)
{
    ui_ctx *ui = c->ui;
    SDL_Rect f = c->footer;
    if (with_back) {
        int bw = ui->portrait ? f.w * 32 / 100 : f.w * 22 / 100;
        SDL_Rect b = ui_cut_left(&f, bw);
        if (ui_button(ui, "back", T(c->k, "kiosk.button.back"), b, UI_BTN_QUIET, UI_ICON_BACK, 1))
            flow_back(c->f, c->now);
        ui_cut_left(&f, c->gap);
    }
    countdown(c, f);
}

static void title(frame_ctx *c, SDL_Rect r, const char *text, ui_align a)
{
    ui_text_style ts = style(c->ui, UI_BOLD, 64, c->ui->th.text, a);
    ts.max_lines = 2;
    ui_text(c->ui, r, text, &ts);
    ui_info(c->ui, "title", text, r);
}

static void para(frame_ctx *c, SDL_Rect r, const char *text, float px, SDL_Color col, ui_align a)
{
    ui_text_style ts = style(c->ui, UI_REGULAR, px, col, a);
    ts.valign = UI_TOP;
    ui_text(c->ui, r, text, &ts);
}

/* 1 2 3 / 4 5 6 / 7 8 9 / del 0 ok */
static void keypad(frame_ctx *c, SDL_Rect r)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    int g = c->gap;
    for (int i = 0; i < 9; i++) {
        char id[8], label[4];
        snprintf(id, sizeof id, "key-%d", i + 1);
        snprintf(label, sizeof label, "%d", i + 1);
        if (ui_button(ui, id, label, ui_cell(r, 3, 4, i % 3, i / 3, g), UI_BTN_KEY, UI_ICON_NONE,
                      1))
            flow_digit(c->f, i + 1, c->now);
    }
    if (ui_button(ui, "key-del", T(k, "kiosk.button.delete"), ui_cell(r, 3, 4, 0, 3, g), UI_BTN_KEY,
                  UI_ICON_DELETE, 1))
        flow_delete(c->f, c->now);
    if (ui_button(ui, "key-0", "0", ui_cell(r, 3, 4, 1, 3, g), UI_BTN_KEY, UI_ICON_NONE, 1))
        flow_digit(c->f, 0, c->now);
    SDL_Rect okr = ui_cell(r, 3, 4, 2, 3, g);
    if (ui_button_px(ui, "ok", T(k, "kiosk.button.ok"), okr, UI_BTN_PRIMARY, UI_ICON_NONE,
                     flow_can_ok(c->f), ui_fpx(ui, 60)))
        flow_ok(c->f, c->now);
}

/* The widget id of a keypad character: key-A, key-dot, key-slash, key-dash. */
static void char_key_id(char ch, char *id, size_t n)
{
    const char *name = ch == '.' ? "dot" : ch == '/' ? "slash" : ch == '-' ? "dash" : NULL;
    if (name)
        snprintf(id, n, "key-%s", name);
    else
        snprintf(id, n, "key-%c", ch);
}

static void char_key(frame_ctx *c, char ch, SDL_Rect r)
{
    char id[16], label[2] = {ch, 0};
    char_key_id(ch, id, sizeof id);
    if (ui_button(c->ui, id, label, r, UI_BTN_KEY, UI_ICON_NONE, 1)) flow_char(c->f, ch, c->now);
}

/* The span of cells (col, row0)..(col, row1) of a cols x rows grid. */
static SDL_Rect cell_span(SDL_Rect r, int cols, int rows, int col, int row0, int row1, int g)
{
    SDL_Rect a = ui_cell(r, cols, rows, col, row0, g), b = ui_cell(r, cols, rows, col, row1, g);
    a.h = b.y + b.h - a.y;
    return a;
}

/* [identify]'s keypad. An office whose client numbers hold only digits gets
 * the plain 3x4 keypad. Otherwise (issue 12 item 4) the digits page has a
 * fourth column: `key-abc` (to the letters page) and the symbols its
 * numbers use ('/' and '-' and '.', at most two); the letters page has a key
 * for every character other than digits that the office's numbers use
 * (flow.no_chars, read from the database: "PAS.PB/001/2025" needs A B P S .
 * /, not 29 small keys), then `key-123` (back to the digits), `key-del` and
 * `ok`. */
static void identify_keypad(frame_ctx *c, SDL_Rect r)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    const flow *f = c->f;
    int g = c->gap;
    if (!f->no_chars[0]) {
        keypad(c, r);
        return;
    }
    if (!f->letters) {
        /* 1 2 3 ABC / 4 5 6 ABC / 7 8 9 sym / del 0 ok sym */
        SDL_Rect digits = r;
        int cw = (r.w - 3 * g) / 4;
        SDL_Rect col = ui_cut_right(&digits, cw);
        ui_cut_right(&digits, g);
        keypad(c, digits);
        char syms[3] = {0};
        int ns = 0;
        for (const char *s = "/-."; *s && ns < 2; s++)
            if (strchr(f->no_chars, *s)) syms[ns++] = *s;
        SDL_Rect abc = cell_span(col, 1, 4, 0, 0, ns ? 1 : 3, g);
        if (ui_button_px(ui, "key-abc", T(k, "kiosk.keypad.letters"), abc, UI_BTN_SECONDARY,
                         UI_ICON_NONE, 1, ui_fpx(ui, 56)))
            flow_keypad_page(c->f, 1, c->now);
        for (int i = 0; i < ns; i++)
            char_key(c, syms[i], ui_cell(col, 1, 4, 0, 2 + i, g));
        return;
    }
    /* the letters page: letters first, then the symbols, then 123 del ok */
    char keys[STORE_NO_CHARS_SZ];
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (const char *s = f->no_chars; *s && n + 1 < sizeof keys; s++) {
            int letter = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z');
            if (letter == (pass == 0)) keys[n++] = *s;
        }
    keys[n] = 0;
    int total = (int)n + 3;
    int cols = (total + 3) / 4;
    if (cols < 3) cols = 3;
    int rows = (total + cols - 1) / cols;
    for (int i = 0; i < (int)n; i++)
        char_key(c, keys[i], ui_cell(r, cols, rows, i % cols, i / cols, g));
    int last = cols * rows;
    SDL_Rect r123 = ui_cell(r, cols, rows, (last - 3) % cols, (last - 3) / cols, g);
    if (ui_button_px(ui, "key-123", T(k, "kiosk.keypad.digits"), r123, UI_BTN_SECONDARY,
                     UI_ICON_NONE, 1, ui_fpx(ui, 56)))
        flow_keypad_page(c->f, 0, c->now);
    if (ui_button(ui, "key-del", T(k, "kiosk.button.delete"),
                  ui_cell(r, cols, rows, (last - 2) % cols, (last - 2) / cols, g), UI_BTN_KEY,
                  UI_ICON_DELETE, 1))
        flow_delete(c->f, c->now);
    if (ui_button_px(ui, "ok", T(k, "kiosk.button.ok"),
                     ui_cell(r, cols, rows, (last - 1) % cols, (last - 1) / cols, g),
                     UI_BTN_PRIMARY, UI_ICON_NONE, flow_can_ok(c->f), ui_fpx(ui, 60)))
        flow_ok(c->f, c->now);
}

/* A white entry box with text (or a grey placeholder). */
static void entry_box(frame_ctx *c, const char *id, SDL_Rect r, const char *text,
                      const char *placeholder, float px)
{
    ui_ctx *ui = c->ui;
    ui_round_rect(ui, r, ui_px(ui, 16), ui->th.key);
    SDL_Rect in = ui_inset(r, ui_px(ui, 24), ui_px(ui, 8));
    int empty = !text || !*text;
    ui_text_style ts =
        style(ui, empty ? UI_REGULAR : UI_BOLD, empty ? px * 0.6f : px,
              empty ? (SDL_Color){0x5E, 0x6F, 0x84, 255} : ui->th.key_text, UI_CENTER);
    ts.max_lines = 1;
    ui_text(ui, in, empty ? placeholder : text, &ts);
    ui_info(ui, id, text ? text : "", r);
}

/* ---- screens ------------------------------------------------------------ */

static void screen_welcome(frame_ctx *c)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    SDL_Rect b = c->body;
    otime_parts p;
    otime_local(wall_now(k), k->b.cfg.utc_offset_min, &p);
    char date[96], tm[48];
    i18n_date_long(lang_code(k), &p, date, sizeof date);
    i18n_time(lang_code(k), &p, tm, sizeof tm);

    SDL_Rect foot = c->footer;
    if (c->f->db_down) {
        SDL_Rect warn = ui_cut_top(&foot, foot.h * 55 / 100);
        ui_round_rect(ui, warn, ui_px(ui, 12), (SDL_Color){0x3A, 0x2C, 0x0A, 255});
        SDL_Rect wi = ui_inset(warn, ui_px(ui, 12), ui_px(ui, 4));
        SDL_Rect ic = ui_cut_left(&wi, wi.h);
        ui_icon_draw(ui, UI_ICON_WARN, ic, ui->th.warn);
        ui_cut_left(&wi, ui_px(ui, 10));
        ui_text_style ts = style(ui, UI_BOLD, 30, ui->th.warn, UI_LEFT);
        ts.max_lines = 2;
        /* known unreachable: say at once where to go instead */
        const char *ok =
            c->f->db_unreachable ? "kiosk.welcome.unreachable" : "kiosk.welcome.offline";
        ui_text(ui, wi, T(k, ok), &ts);
        ui_info(ui, "offline", T(k, ok), warn);
    }
    ui_text_style ps = style(ui, UI_REGULAR, 28, ui->th.text_dim, UI_CENTER);
    ps.max_lines = 2;
    ui_text(ui, foot, T(k, "kiosk.welcome.privacy"), &ps);

    SDL_Rect left, right;
    if (ui->portrait) {
        left = ui_cut_top(&b, b.h * 42 / 100);
        ui_cut_top(&b, c->pad);
        right = b;
    } else {
        left = ui_cut_left(&b, b.w * 55 / 100);
        ui_cut_left(&b, c->pad);
        right = b;
    }
    /* greeting, then the date and time as one block */
    SDL_Rect l = left;
    ui_align a = ui->portrait ? UI_CENTER : UI_LEFT;
    /* the database is known unreachable: the first thing said is where to
     * go (Start stays, the database may be back by then) */
    int away = c->f->db_down && c->f->db_unreachable;
    const char *tk = away ? "kiosk.help.offline.title" : "kiosk.welcome.title";
    ui_text_style ts = style(ui, UI_BOLD, 120, away ? ui->th.warn : ui->th.text, a);
    ts.max_lines = 1;
    SDL_Rect tr = ui_cut_top(&l, l.h * 34 / 100);
    ui_text(ui, tr, T(k, tk), &ts);
    ui_info(ui, "title", T(k, tk), tr);
    para(c, ui_cut_top(&l, l.h * 36 / 100),
         T(k, away ? "kiosk.welcome.unreachable_sub" : "kiosk.welcome.subtitle"), 48,
         ui->th.text_dim, a);
    SDL_Rect dt = l;
    SDL_Rect dr = ui_cut_top(&dt, dt.h / 2);
    ts = style(ui, UI_BOLD, 58, ui->th.accent, a);
    ts.max_lines = 1;
    ts.valign = UI_BOTTOM;
    ui_text(ui, dr, date, &ts);
    ui_info(ui, "date", date, dr);
    ts = style(ui, UI_REGULAR, 58, ui->th.text, a);
    ts.max_lines = 1;
    ts.valign = UI_TOP;
    ui_text(ui, dt, tm, &ts);
    ui_info(ui, "clock", tm, dt);

    /* the one big button */
    SDL_Rect r = right;
    SDL_Rect hint = ui_cut_bottom(&r, r.h * (ui->portrait ? 22 : 26) / 100);
    int bh = r.h * (ui->portrait ? 86 : 80) / 100;
    int bw = r.w * (ui->portrait ? 80 : 96) / 100;
    SDL_Rect start = ui_center(r, bw, bh);
    if (ui_button_px(ui, "start", T(k, "kiosk.welcome.start"), start,
                     away ? UI_BTN_SECONDARY : UI_BTN_PRIMARY, UI_ICON_NONE, 1, ui_fpx(ui, 110)))
        flow_start(c->f, c->now);
    para(c, ui_inset(hint, 0, ui_px(ui, 8)), T(k, "kiosk.welcome.hint"), 42, ui->th.text,
         UI_CENTER);
    ui_info(ui, "hint", T(k, "kiosk.welcome.hint"), hint);
}

/* Left/top: title + entry + hint; right/bottom: keypad. */
static void split_entry(frame_ctx *c, SDL_Rect *info, SDL_Rect *pad)
{
    SDL_Rect b = c->body;
    if (c->ui->portrait) {
        *info = ui_cut_top(&b, b.h * 36 / 100);
        ui_cut_top(&b, c->pad);
        *pad = b;
    } else {
        *info = ui_cut_left(&b, b.w * 50 / 100);
        ui_cut_left(&b, c->pad);
        *pad = b;
    }
}

static void screen_identify(frame_ctx *c)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    SDL_Rect info, pad;
    split_entry(c, &info, &pad);
    SDL_Rect t = ui_cut_top(&info, info.h * 30 / 100);
    title(c, t, T(k, "kiosk.identify.title"), UI_LEFT);
    ui_cut_top(&info, c->gap);
    SDL_Rect box = ui_cut_top(&info, info.h * 42 / 100);
    entry_box(c, "number", box, c->f->number, T(k, "kiosk.identify.placeholder"), 96);
    ui_cut_top(&info, c->gap);
    /* "I don't know my number": where it is printed, and a reception ticket */
    int bh = info.h * 45 / 100;
    if (bh < c->mt) bh = c->mt;
    SDL_Rect nb = ui_cut_bottom(&info, bh);
    ui_cut_bottom(&info, c->gap / 2);
    para(c, info, T(k, "kiosk.identify.hint"), 38, ui->th.text_dim, UI_LEFT);
    if (ui_button_px(ui, "no-number", T(k, "kiosk.identify.no_number"), nb, UI_BTN_QUIET,
                     UI_ICON_INFO, 1, ui_fpx(ui, 40)))
        flow_no_number(c->f, c->now);
    identify_keypad(c, pad);
    footer(c, 1);
}

/* [no-number]: where the number is printed (the client card, the office's
 * letter), and a reception ticket (reason "no number") as the way on. */
static void screen_no_number(frame_ctx *c)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    SDL_Rect b = c->body;
    title(c, ui_cut_top(&b, b.h * (ui->portrait ? 12 : 20) / 100), T(k, "kiosk.no_number.title"),
          UI_LEFT);
    ui_cut_top(&b, c->gap);
    SDL_Rect btn = ui_cut_bottom(&b, b.h * (ui->portrait ? 22 : 30) / 100);
    ui_cut_bottom(&b, c->gap);
    /* two places, each an icon and a short sentence */
    static const struct {
        const char *id, *key;
        ui_icon icon;
    } where[] = {
        {"where-card", "kiosk.no_number.card", UI_ICON_CARD},
        {"where-letter", "kiosk.no_number.letter", UI_ICON_LETTER},
    };
    SDL_Rect rows = ui_cut_top(&b, b.h * 72 / 100);
    for (int i = 0; i < 2; i++) {
        SDL_Rect r = ui_cell(rows, 1, 2, 0, i, c->gap);
        ui_round_rect(ui, r, ui_px(ui, 16), ui->th.panel);
        SDL_Rect in = ui_inset(r, ui_px(ui, 20), ui_px(ui, 8));
        int is = in.h < ui_px(ui, 110) ? in.h : ui_px(ui, 110);
        SDL_Rect ic = ui_cut_left(&in, is);
        ui_icon_draw(ui, where[i].icon, ui_center(ic, is, is), ui->th.accent);
        ui_cut_left(&in, ui_px(ui, 24));
        ui_text_style ts = style(ui, UI_BOLD, 42, ui->th.text, UI_LEFT);
        ts.max_lines = 2;
        ui_text(ui, in, T(k, where[i].key), &ts);
        ui_info(ui, where[i].id, T(k, where[i].key), r);
    }
    ui_cut_top(&b, c->gap / 2);
    para(c, b, T(k, "kiosk.no_number.body"), 36, ui->th.text_dim, UI_LEFT);
    ui_info(ui, "message", T(k, "kiosk.no_number.body"), b);
    int bw = ui->portrait ? btn.w : btn.w * 60 / 100;
    SDL_Rect rb = ui_center(btn, bw, btn.h * 80 / 100 < c->mt ? c->mt : btn.h * 80 / 100);
    if (ui_button(ui, "reception", T(k, "kiosk.button.reception"), rb, UI_BTN_PRIMARY, UI_ICON_NONE,
                  1))
        flow_reception(c->f, c->now);
    footer(c, 1);
}

static void month_name(const char *lang, int m, char *out, size_t n)
{
    /* i18n_date gives "1 Juli 2000": take the middle word */
    otime_parts p = {.year = 2000, .month = m, .day = 1};
    char buf[64];
    i18n_date(lang, &p, buf, sizeof buf);
    const char *s = strchr(buf, ' ');
    const char *e = strrchr(buf, ' ');
    if (!s || !e || e <= s) {
        snprintf(out, n, "%s", "");
        return;
    }
    snprintf(out, n, "%.*s", (int)(e - s - 1), s + 1);
}

static void screen_verify(frame_ctx *c)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    SDL_Rect info, pad;
    split_entry(c, &info, &pad);
    title(c, ui_cut_top(&info, info.h * 24 / 100), T(k, "kiosk.verify.title"), UI_LEFT);
    ui_cut_top(&info, c->gap);

    /* DD / MM / YYYY boxes with their labels */
    const char *d = c->f->birth_digits;
    size_t n = strlen(d);
    char part[3][8] = {{0}};
    snprintf(part[0], sizeof part[0], "%.*s", (int)(n < 2 ? n : 2), d);
    if (n > 2) snprintf(part[1], sizeof part[1], "%.*s", (int)(n - 2 < 2 ? n - 2 : 2), d + 2);
    if (n > 4) snprintf(part[2], sizeof part[2], "%.*s", (int)(n - 4), d + 4);
    const char *ph[3] = {T(k, "kiosk.verify.ph_day"), T(k, "kiosk.verify.ph_month"),
                         T(k, "kiosk.verify.ph_year")};
    const char *lab[3] = {T(k, "kiosk.verify.day"), T(k, "kiosk.verify.month"),
                          T(k, "kiosk.verify.year")};
    SDL_Rect row = ui_cut_top(&info, info.h * 50 / 100);
    SDL_Rect labels = ui_cut_top(&row, row.h * 30 / 100);
    int avail = row.w - 2 * c->gap;
    int x = row.x;
    int ws[3] = {avail / 4, avail / 4, avail - 2 * (avail / 4)};
    for (int i = 0; i < 3; i++) {
        SDL_Rect lr = {x, labels.y, ws[i], labels.h};
        SDL_Rect br = {x, row.y, ws[i], row.h};
        ui_text_style ls = style(ui, UI_REGULAR, 32, ui->th.text_dim, UI_CENTER);
        ls.max_lines = 1;
        ui_text(ui, lr, lab[i], &ls);
        int filled = part[i][0] != 0;
        int active = (i == 0 && n < 2) || (i == 1 && n >= 2 && n < 4) || (i == 2 && n >= 4);
        if (active && n < 8)
            ui_round_rect(ui, ui_inset(br, -ui_px(ui, 5), -ui_px(ui, 5)), ui_px(ui, 20),
                          ui->th.accent);
        ui_round_rect(ui, br, ui_px(ui, 16), ui->th.key);
        ui_text_style ts =
            style(ui, filled ? UI_BOLD : UI_REGULAR, 80,
                  filled ? ui->th.key_text : (SDL_Color){0x7A, 0x8A, 0x9C, 255}, UI_CENTER);
        ts.max_lines = 1;
        ui_text(ui, ui_inset(br, ui_px(ui, 10), ui_px(ui, 6)), filled ? part[i] : ph[i], &ts);
        x += ws[i] + c->gap;
    }
    char shown[32];
    snprintf(shown, sizeof shown, "%s %s %s", part[0], part[1], part[2]);
    ui_info(ui, "birth", n ? shown : "", row);
    ui_cut_top(&info, c->gap);
    if (c->f->date_error) {
        SDL_Rect ic = ui_cut_left(&info, ui_px(ui, 64));
        ui_icon_draw(ui, UI_ICON_WARN, ui_cut_top(&ic, ui_px(ui, 64)), ui->th.warn);
        ui_cut_left(&info, ui_px(ui, 12));
        ui_text_style ts = style(ui, UI_BOLD, 38, ui->th.warn, UI_LEFT);
        ts.valign = UI_TOP;
        /* not a date, or not a possible birth date (future, too young, too old) */
        const char *ek =
            c->f->date_error == FLOW_DATE_AGE ? "kiosk.verify.implausible" : "kiosk.verify.invalid";
        ui_text(ui, info, T(k, ek), &ts);
        ui_info(ui, "date-error", T(k, ek), info);
    } else if (n == 8 && flow_can_ok(c->f)) {
        char date[64], msg[160], mname[32];
        int dd = (d[0] - '0') * 10 + (d[1] - '0');
        int mm = (d[2] - '0') * 10 + (d[3] - '0');
        month_name(lang_code(k), mm, mname, sizeof mname);
        snprintf(date, sizeof date, "%d %s %.4s", dd, mname, d + 4);
        const char *vars[] = {"date", date, NULL};
        i18n_fill(T(k, "kiosk.verify.confirm"), vars, msg, sizeof msg);
        ui_text_style ts = style(ui, UI_BOLD, 40, ui->th.ok, UI_LEFT);
        ts.valign = UI_TOP;
        ui_text(ui, info, msg, &ts);
    } else {
        para(c, info, T(k, "kiosk.verify.hint"), 38, ui->th.text_dim, UI_LEFT);
    }
    keypad(c, pad);
    footer(c, 1);
}

/* The button of purpose p is "purpose-<name>" with the text kiosk.purpose.<name>. */
static const ui_icon purpose_icons[BK_PURPOSE__COUNT] = {
    [BK_PURPOSE_REPORT] = UI_ICON_REPORT, [BK_PURPOSE_COUNSELING] = UI_ICON_COUNSELING,
    [BK_PURPOSE_GROUP] = UI_ICON_GROUP,   [BK_PURPOSE_DRUG_TEST] = UI_ICON_DRUG_TEST,
    [BK_PURPOSE_LITMAS] = UI_ICON_LITMAS, [BK_PURPOSE_OTHER] = UI_ICON_OTHER,
};

static void screen_purpose(frame_ctx *c)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    SDL_Rect b = c->body;
    title(c, ui_cut_top(&b, b.h * (ui->portrait ? 10 : 16) / 100), T(k, "kiosk.purpose.title"),
          UI_LEFT);
    ui_cut_top(&b, c->gap);
    int cols = ui->portrait ? 2 : 3, rows = ui->portrait ? 3 : 2;
    for (int i = 0; i < BK_PURPOSE__COUNT; i++) {
        bk_purpose p = (bk_purpose)i;
        char key[64], id[UI_ID_SZ];
        snprintf(key, sizeof key, "kiosk.purpose.%s", bk_purpose_name(p));
        snprintf(id, sizeof id, "purpose-%s", bk_purpose_name(p));
        SDL_Rect cell = ui_cell(b, cols, rows, i % cols, i / cols, c->gap);
        if (ui_button(ui, id, T(k, key), cell, UI_BTN_CHOICE, purpose_icons[p], 1))
            flow_choose(c->f, p, c->now);
    }
    footer(c, 1);
}

/* One info row of [ticket]: icon, small label, big value (id for dump). */
static void info_row(frame_ctx *c, const char *id, SDL_Rect r, ui_icon icon, const char *label,
                     const char *value, SDL_Color vcol, float vpx)
{
    ui_ctx *ui = c->ui;
    ui_info(ui, id, value, r);
    int is = ui_px(ui, 72);
    if (is > r.h) is = r.h;
    SDL_Rect ic = ui_cut_left(&r, is);
    SDL_Rect icon_box = {ic.x, ic.y + (label && *label ? ui_px(ui, 8) : 0), is, is};
    ui_icon_draw(ui, icon, icon_box, ui->th.text_dim);
    ui_cut_left(&r, ui_px(ui, 20));
    if (label && *label) {
        SDL_Rect lr = ui_cut_top(&r, r.h * 34 / 100);
        ui_text_style ls = style(ui, UI_REGULAR, 30, ui->th.text_dim, UI_LEFT);
        ls.max_lines = 1;
        ls.valign = UI_BOTTOM;
        ui_text(ui, lr, label, &ls);
    }
    ui_text_style vs = style(ui, UI_BOLD, vpx, vcol, UI_LEFT);
    vs.max_lines = 3;
    vs.valign = UI_TOP;
    ui_text(ui, r, value, &vs);
}

static SDL_Texture *pic_texture(ui_ctx *ui, pic_cache *pc, SDL_Surface *sf, int64_t id)
{
    if (!sf) return NULL;
    if (pc->tex && pc->src == sf && pc->for_id == id) return pc->tex;
    if (pc->tex) SDL_DestroyTexture(pc->tex);
    pc->tex = SDL_CreateTextureFromSurface(ui->ren, sf);
    pc->src = sf;
    pc->for_id = id;
    pc->w = sf->w;
    pc->h = sf->h;
    return pc->tex;
}

/* What to show beside the print status: the slip as the printer made it,
 * small; or, when printing failed, the QR alone, as large as the row allows,
 * so the client can photograph it. */
static void print_row(frame_ctx *c, SDL_Rect r, const char *text, SDL_Color col)
{
    kiosk *k = c->k;
    SDL_Texture *t = NULL;
    pic_cache *pc = NULL;
    int failed = c->f->print == FLOW_PRINT_FAILED;
    if (k->has_printer && c->f->has_ticket && c->f->print != FLOW_PRINT_NONE) {
        int64_t id = c->f->ticket.t.id;
        if (failed && k->printer.qr) {
            pc = &k->qr_pic;
            t = pic_texture(c->ui, pc, k->printer.qr(k->printer.ud), id);
        }
        if (!t && k->printer.slip) {
            pc = &k->slip_pic;
            t = pic_texture(c->ui, pc, k->printer.slip(k->printer.ud), id);
        }
    }
    if (failed) {
        ui_round_rect(c->ui, r, ui_px(c->ui, 16), (SDL_Color){0x3A, 0x2C, 0x0A, 255});
        r = ui_inset(r, ui_px(c->ui, 14), ui_px(c->ui, 12));
    }
    if (t && pc->h > 0 && r.h > 0) {
        int qr = pc == &k->qr_pic;
        int h = r.h;
        int w = h * pc->w / pc->h;
        int maxw = qr ? r.w / 2 : r.w / 3;
        if (w > maxw) {
            w = maxw;
            h = w * pc->h / pc->w;
        }
        SDL_Rect img = ui_cut_right(&r, w);
        SDL_Rect d = ui_center(img, w, h);
        d.y = img.y;
        ui_fill(c->ui, ui_inset(d, -2, -2), c->ui->th.panel_line);
        SDL_RenderCopy(c->ui->ren, t, NULL, &d);
        ui_info(c->ui, qr ? "qr" : "slip", qr ? "qr" : "slip", d);
        ui_cut_right(&r, c->gap);
    }
    info_row(c, "print-status", r, failed ? UI_ICON_WARN : UI_ICON_PRINTER, NULL, text, col,
             failed ? 44 : 38);
}

static void screen_ticket(frame_ctx *c)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    const flow *f = c->f;
    const queue_view *v = &f->ticket;
    SDL_Rect b = c->body;
    int reception = f->walkin || v->t.routed == BK_ROUTED_RECEPTION || !v->has_officer;
    int substitute = !reception && v->t.routed == BK_ROUTED_SUBSTITUTE;

    /* greeting */
    const char *greet = f->walkin     ? T(k, "kiosk.ticket.walkin")
                        : v->joined   ? T(k, "kiosk.ticket.joined")
                        : v->existing ? T(k, "kiosk.ticket.existing")
                                      : T(k, "kiosk.ticket.greeting");
    /* the report questions' answers were not saved: said plainly (ask3) */
    int unsaved = f->answers_state == FLOW_ANSWERS_FAILED;
    if (unsaved) greet = T(k, "kiosk.question.save_failed");
    SDL_Rect g = ui_cut_top(&b, b.h * (ui->portrait ? 8 : 13) / 100);
    ui_info(ui, unsaved ? "answers-error" : "greeting", greet, g);
    SDL_Rect gi = ui_cut_left(&g, g.h);
    ui_icon_draw(ui, unsaved ? UI_ICON_WARN : UI_ICON_CHECK,
                 ui_inset(gi, ui_px(ui, 6), ui_px(ui, 6)), unsaved ? ui->th.warn : ui->th.ok);
    ui_cut_left(&g, ui_px(ui, 16));
    ui_text_style gs =
        style(ui, UI_BOLD, unsaved ? 40 : 54, unsaved ? ui->th.warn : ui->th.text, UI_LEFT);
    gs.max_lines = 2;
    ui_text(ui, g, greet, &gs);
    ui_cut_top(&b, c->gap);

    SDL_Rect card, rest;
    if (ui->portrait) {
        card = ui_cut_top(&b, b.h * 44 / 100);
        ui_cut_top(&b, c->pad);
        rest = b;
    } else {
        card = ui_cut_left(&b, b.w * 44 / 100);
        ui_cut_left(&b, c->pad);
        rest = b;
    }
    /* the code card */
    ui_round_rect(ui, card, ui_px(ui, 24), ui->th.panel);
    SDL_Rect in = ui_inset(card, ui_px(ui, 28), ui_px(ui, 20));
    ui_text_style ls = style(ui, UI_REGULAR, 38, ui->th.text_dim, UI_CENTER);
    ls.max_lines = 1;
    ui_text(ui, ui_cut_top(&in, in.h * 14 / 100), T(k, "kiosk.ticket.code_label"), &ls);
    SDL_Rect codebox = ui_cut_top(&in, in.h * 56 / 100);
    ui_text_style cs = style(ui, UI_BOLD, 240, ui->th.accent, UI_CENTER);
    cs.max_lines = 1;
    cs.min_px = 20;
    ui_text(ui, codebox, v->t.code, &cs);
    ui_info(ui, "code", v->t.code, codebox);
    char line[256], num[16];
    const char *pos_text = NULL;
    if (v->position >= 0) {
        snprintf(num, sizeof num, "%d", v->position + 1);
        const char *vars[] = {"n", num, NULL};
        i18n_fill(T(k, reception ? "kiosk.ticket.position_reception" : "kiosk.ticket.position"),
                  vars, line, sizeof line);
        pos_text = line;
    } else {
        pos_text = T(k, "kiosk.ticket.called");
    }
    ui_text_style ps = style(ui, UI_BOLD, 44, ui->th.text, UI_CENTER);
    ps.max_lines = 2;
    SDL_Rect pr = ui_cut_top(&in, in.h * 55 / 100);
    ui_text(ui, pr, pos_text, &ps);
    ui_info(ui, "position", pos_text, pr);
    if (v->position >= 0) {
        char wait[256];
        if (v->eta_minutes > 0) {
            snprintf(num, sizeof num, "%d", v->eta_minutes);
            const char *vars[] = {"minutes", num, NULL};
            i18n_fill(T(k, "kiosk.ticket.wait"), vars, wait, sizeof wait);
        } else {
            snprintf(wait, sizeof wait, "%s", T(k, "kiosk.ticket.wait_soon"));
        }
        ui_text_style ws = style(ui, UI_REGULAR, 36, ui->th.text_dim, UI_CENTER);
        ws.max_lines = 2;
        ui_text(ui, in, wait, &ws);
        ui_info(ui, "wait", wait, in);
    }

    /* who and where, then the slip: rows share the column by weight */
    SDL_Rect r = rest;
    const char *pk = f->print == FLOW_PRINT_PENDING  ? "kiosk.print.pending"
                     : f->print == FLOW_PRINT_DONE   ? "kiosk.print.done"
                     : f->print == FLOW_PRINT_FAILED ? "kiosk.print.failed"
                                                     : "kiosk.print.none";
    SDL_Color pcol = f->print == FLOW_PRINT_FAILED ? ui->th.warn : ui->th.text_dim;
    /* The slip did not print: the lower half of the column says so, with
     * the QR as large as it fits (the screen stays until the client leaves:
     * flow_opts.ticket_keep_ms), and the rows above share the rest. */
    int failed = f->print == FLOW_PRINT_FAILED;
    char ptext[400];
    snprintf(ptext, sizeof ptext, "%s", T(k, pk));
    SDL_Rect prow = r;
    if (failed) {
        prow = ui_cut_bottom(&r, r.h * 42 / 100);
        ui_cut_bottom(&r, c->gap);
    }
    if (reception) {
        const char *why = f->no_number ? T(k, "kiosk.ticket.no_number")
                          : f->walkin  ? T(k, "kiosk.ticket.reception")
                                       : T(k, "kiosk.ticket.no_officer");
        int unit = (r.h - (failed ? 1 : 2) * c->gap) / (failed ? 27 : 37);
        info_row(c, "officer", ui_cut_top(&r, unit * 15), UI_ICON_PERSON,
                 T(k, "kiosk.ticket.reception_label"), why, ui->th.text, 42);
        ui_cut_top(&r, c->gap);
        info_row(c, "room", ui_cut_top(&r, unit * 12), UI_ICON_DOOR, NULL,
                 T(k, "kiosk.ticket.watch"), ui->th.text, 40);
        ui_cut_top(&r, c->gap);
        print_row(c, failed ? prow : r, ptext, pcol);
    } else {
        /* report visits: the next report date (calendar.h), in the client's language */
        char next[96] = "";
        otime_parts np;
        if (f->next_report[0] && cal_day_parts(f->next_report, &np) == BK_OK)
            i18n_date_long(lang_code(k), &np, next, sizeof next);
        int parts = (substitute ? 46 : 33) - (failed ? 10 : 0) + (next[0] ? 11 : 0);
        int unit =
            (r.h - (substitute ? 3 : 2) * c->gap + (failed ? c->gap : 0) - (next[0] ? c->gap : 0)) /
            parts;
        info_row(c, "officer", ui_cut_top(&r, unit * 13), UI_ICON_PERSON,
                 T(k, substitute ? "kiosk.ticket.substitute_label" : "kiosk.ticket.officer_label"),
                 v->officer.name, ui->th.text, 52);
        ui_cut_top(&r, c->gap);
        info_row(c, "room", ui_cut_top(&r, unit * 10), UI_ICON_DOOR, NULL,
                 v->officer.room[0] ? v->officer.room : T(k, "kiosk.ticket.room_none"),
                 ui->th.accent, 52);
        ui_cut_top(&r, c->gap);
        if (substitute) {
            char msg[600];
            if (f->has_assigned) {
                const char *vars[] = {"assigned", f->assigned.name, NULL};
                i18n_fill(T(k, "kiosk.ticket.substitute"), vars, msg, sizeof msg);
            } else {
                snprintf(msg, sizeof msg, "%s", T(k, "kiosk.ticket.substitute_unnamed"));
            }
            SDL_Rect sr = ui_cut_top(&r, unit * 13);
            ui_cut_top(&r, c->gap);
            ui_round_rect(ui, sr, ui_px(ui, 14), (SDL_Color){0x3A, 0x2C, 0x0A, 255});
            SDL_Rect si = ui_inset(sr, ui_px(ui, 16), ui_px(ui, 8));
            int is = ui_px(ui, 56);
            SDL_Rect sic = ui_cut_left(&si, is);
            ui_icon_draw(ui, UI_ICON_INFO, ui_center(sic, is, is), ui->th.warn);
            ui_cut_left(&si, ui_px(ui, 14));
            ui_text_style ss = style(ui, UI_REGULAR, 36, ui->th.text, UI_LEFT);
            ui_text(ui, si, msg, &ss);
            ui_info(ui, "substitute-note", msg, sr);
        }
        if (next[0]) {
            info_row(c, "next-report", ui_cut_top(&r, unit * 11), UI_ICON_REPORT,
                     T(k, "kiosk.ticket.next_report"), next, ui->th.text, 40);
            ui_cut_top(&r, c->gap);
        }
        print_row(c, failed ? prow : r, ptext, pcol);
    }

    /* footer: countdown, done */
    SDL_Rect ft = c->footer;
    SDL_Rect done = ui_cut_right(&ft, ui->portrait ? ft.w * 40 / 100 : ft.w * 26 / 100);
    /* not printed: leaving says that the code was noted */
    if (ui_button(ui, "done", T(k, failed ? "kiosk.button.done_noted" : "kiosk.button.done"), done,
                  UI_BTN_PRIMARY, UI_ICON_NONE, 1))
        flow_done(c->f, c->now);
    ui_cut_right(&ft, c->gap);
    countdown(c, ft);
}

static void screen_help(frame_ctx *c)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    const char *tk = "kiosk.help.unavailable.title", *bk = "kiosk.help.unavailable.body";
    ui_icon icon = UI_ICON_INFO;
    int retry = 0, reception = 1;
    switch (c->f->help) {
    case FLOW_HELP_MISMATCH:
        tk = "kiosk.help.mismatch.title";
        bk = "kiosk.help.mismatch.body";
        retry = 1;
        break;
    case FLOW_HELP_LOCKED:
        tk = "kiosk.help.locked.title";
        bk = "kiosk.help.locked.body";
        break;
    case FLOW_HELP_ENDED:
        tk = "kiosk.help.ended.title";
        bk = "kiosk.help.ended.body";
        break;
    case FLOW_HELP_REPORTED:
        /* already reported today: nothing is wrong; "back to the start" is
         * the way (another purpose is chosen anew), reception stays */
        tk = "kiosk.help.reported.title";
        bk = "kiosk.help.reported.body";
        icon = UI_ICON_CHECK;
        break;
    case FLOW_HELP_NO_TICKET:
        tk = "kiosk.help.no_ticket.title";
        bk = "kiosk.help.no_ticket.body";
        icon = UI_ICON_WARN;
        reception = 0;
        break;
    case FLOW_HELP_OFFLINE:
        /* nothing can be made here now: reception is the way, so "done" is
         * the recommended button; "retry" stays for a server back already */
        tk = "kiosk.help.offline.title";
        bk = "kiosk.help.offline.body";
        icon = UI_ICON_WARN;
        retry = 1;
        reception = 0;
        break;
    case FLOW_HELP_CANNOT_SAVE:
        /* the same words as offline for the client; nothing to retry */
        tk = "kiosk.help.offline.title";
        bk = "kiosk.help.offline.body";
        icon = UI_ICON_WARN;
        reception = 0;
        break;
    case FLOW_HELP_UNAVAILABLE:
    default:
        icon = UI_ICON_WARN;
        retry = 1;
        break;
    }
    SDL_Rect b = c->body;
    int maxw = ui->portrait ? b.w : b.w * 84 / 100;
    b = ui_center(b, maxw, b.h);
    SDL_Rect ic = ui_cut_top(&b, b.h * (ui->portrait ? 12 : 20) / 100);
    ui_icon_draw(ui, icon, ic, c->f->help == FLOW_HELP_REPORTED ? ui->th.ok : ui->th.warn);
    ui_cut_top(&b, c->gap);
    title(c, ui_cut_top(&b, b.h * (ui->portrait ? 20 : 28) / 100), T(k, tk), UI_CENTER);
    SDL_Rect btns = ui_cut_bottom(&b, ui->portrait ? b.h * 55 / 100 : b.h * 40 / 100);
    int left = 0;
    if (flow_tries_shown(c->f, &left)) {
        /* from the 3rd wrong try: how many are left today */
        char n[16], tries[160];
        snprintf(n, sizeof n, "%d", left);
        const char *vars[] = {"n", n, NULL};
        i18n_fill(T(k, left == 1 ? "kiosk.help.mismatch.last_try" : "kiosk.help.mismatch.tries"),
                  vars, tries, sizeof tries);
        SDL_Rect tr = ui_cut_bottom(&b, b.h * 34 / 100);
        ui_text_style ts = style(ui, UI_BOLD, 40, ui->th.warn, UI_CENTER);
        ts.max_lines = 2;
        ui_text(ui, tr, tries, &ts);
        ui_info(ui, "tries-left", tries, tr);
    }
    para(c, ui_inset(b, 0, ui_px(ui, 8)), T(k, bk), 40, ui->th.text_dim, UI_CENTER);
    ui_info(ui, "message", T(k, bk), b);

    /* buttons: the recommended one is yellow */
    int n = retry + reception + 1;
    /* a mismatch: "retry" (the number kept) is the recommended button */
    int primary_reception = c->f->help == FLOW_HELP_LOCKED || c->f->help == FLOW_HELP_ENDED;
    int offline = c->f->help == FLOW_HELP_OFFLINE || c->f->help == FLOW_HELP_CANNOT_SAVE;
    int primary_done = offline || (!reception && !retry) || c->f->help == FLOW_HELP_REPORTED;
    int i = 0;
    int cols = ui->portrait ? 1 : n, rows = ui->portrait ? n : 1;
    SDL_Rect area = btns;
    if (!ui->portrait) {
        int bh = btns.h * 62 / 100;
        if (bh < c->mt) bh = c->mt;
        area = ui_center(btns, btns.w, bh);
    } else {
        int bh = ui_px(ui, 150) * n + c->gap * (n - 1);
        area = ui_center(btns, btns.w * 86 / 100, bh);
    }
    if (retry) {
        SDL_Rect r = ui_cell(area, cols, rows, ui->portrait ? 0 : i, ui->portrait ? i : 0, c->gap);
        if (ui_button(ui, "retry", T(k, "kiosk.button.retry"), r,
                      primary_reception || primary_done ? UI_BTN_SECONDARY : UI_BTN_PRIMARY,
                      UI_ICON_NONE, 1))
            flow_retry(c->f, c->now);
        i++;
    }
    if (reception) {
        SDL_Rect r = ui_cell(area, cols, rows, ui->portrait ? 0 : i, ui->portrait ? i : 0, c->gap);
        if (ui_button(ui, "reception", T(k, "kiosk.button.reception"), r,
                      primary_reception ? UI_BTN_PRIMARY : UI_BTN_SECONDARY, UI_ICON_NONE, 1))
            flow_reception(c->f, c->now);
        i++;
    }
    SDL_Rect r = ui_cell(area, cols, rows, ui->portrait ? 0 : i, ui->portrait ? i : 0, c->gap);
    /* offline: "OK" (understood, I go to reception); else "Back to the
     * start": what it does. Never "Done", which a client could read as
     * "checked in". */
    if (ui_button(ui, "done", T(k, offline ? "kiosk.button.ok" : "kiosk.button.to_start"), r,
                  primary_done ? UI_BTN_PRIMARY : UI_BTN_QUIET, UI_ICON_NONE, 1))
        flow_done(c->f, c->now);
    countdown(c, c->footer);
}

/* [question]: one wajib lapor question of a report visit, after its
 * check-in made the ticket. Big Ya / Tidak tiles (check and cross icons),
 * the same colour each, so neither looks like the "right" answer; back from
 * the second question on; the question is the office's, in the client's
 * language. What the client answers is shown only here, to the client. */
static void screen_question(frame_ctx *c)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    const flow *f = c->f;
    int i = f->question < 0 ? 0 : f->question;
    if (i >= f->n_questions) i = f->n_questions - 1;
    const char *text = "";
    if (i >= 0) text = k->b.lang == 0 ? f->questions[i].text_id : f->questions[i].text_en;
    if (i >= 0 && !text[0]) text = f->questions[i].text_id;
    SDL_Rect b = c->body;

    /* "Pertanyaan 1 dari 4" and who sees the answers */
    char num[16], of[16], prog[128];
    snprintf(num, sizeof num, "%d", i + 1);
    snprintf(of, sizeof of, "%d", f->n_questions);
    const char *vars[] = {"n", num, "total", of, NULL};
    i18n_fill(T(k, "kiosk.question.progress"), vars, prog, sizeof prog);
    SDL_Rect top = ui_cut_top(&b, b.h * (ui->portrait ? 8 : 12) / 100);
    SDL_Rect pr = ui_cut_left(&top, top.w * (ui->portrait ? 40 : 30) / 100);
    ui_text_style ps = style(ui, UI_BOLD, 36, ui->th.accent, UI_LEFT);
    ps.max_lines = 1;
    ui_text(ui, pr, prog, &ps);
    ui_info(ui, "progress", prog, pr);
    ui_text_style ns = style(ui, UI_REGULAR, 30, ui->th.text_dim, UI_RIGHT);
    ns.max_lines = 2;
    ui_text(ui, top, T(k, "kiosk.question.privacy"), &ns);
    ui_info(ui, "privacy", T(k, "kiosk.question.privacy"), top);
    ui_cut_top(&b, c->gap);

    /* the question, large */
    SDL_Rect qr = ui_cut_top(&b, b.h * (ui->portrait ? 34 : 40) / 100);
    ui_text_style qs = style(ui, UI_BOLD, 66, ui->th.text, UI_CENTER);
    qs.max_lines = 3;
    ui_text(ui, qr, text, &qs);
    ui_info(ui, "question", text, qr);
    ui_cut_top(&b, c->gap);

    /* Ya | Tidak (portrait: one above the other) */
    int cols = ui->portrait ? 1 : 2, rows = ui->portrait ? 2 : 1;
    SDL_Rect area =
        ui->portrait ? ui_center(b, b.w * 86 / 100, b.h) : ui_center(b, b.w * 84 / 100, b.h);
    static const struct {
        const char *id, *key;
        ui_icon icon;
        int yes;
    } ans[2] = {{"answer-yes", "kiosk.question.yes", UI_ICON_CHECK, 1},
                {"answer-no", "kiosk.question.no", UI_ICON_CROSS, 0}};
    for (int a = 0; a < 2; a++) {
        SDL_Rect r = ui_cell(area, cols, rows, ui->portrait ? 0 : a, ui->portrait ? a : 0, c->pad);
        /* going back: the answer given before is framed */
        if (i >= 0 && f->answer_yes[i] == ans[a].yes)
            ui_round_rect(ui, ui_inset(r, -ui_px(ui, 6), -ui_px(ui, 6)), ui_px(ui, 22),
                          ui->th.accent);
        if (ui_button_px(ui, ans[a].id, T(k, ans[a].key), r, UI_BTN_CHOICE, ans[a].icon, 1,
                         ui_fpx(ui, 72)))
            flow_answer(c->f, ans[a].yes, c->now);
    }
    /* footer: [back] (from the 2nd question), then the countdown, or that
     * the check-in is done (a nervous client wonders where the number is) */
    SDL_Rect ft = c->footer;
    if (flow_can_back(f)) {
        SDL_Rect bk = ui_cut_left(&ft, ui->portrait ? ft.w * 32 / 100 : ft.w * 22 / 100);
        if (ui_button(ui, "back", T(k, "kiosk.button.back"), bk, UI_BTN_QUIET, UI_ICON_BACK, 1))
            flow_back(c->f, c->now);
        ui_cut_left(&ft, c->gap);
    }
    if (flow_countdown(f, c->now) > 0) {
        countdown(c, ft);
    } else {
        ui_text_style ts = style(ui, UI_REGULAR, 32, ui->th.text_dim, UI_CENTER);
        ts.max_lines = 2;
        ui_text(ui, ft, T(k, "kiosk.question.checked_in"), &ts);
        ui_info(ui, "checked-in", T(k, "kiosk.question.checked_in"), ft);
    }
}

static void screen_operator(frame_ctx *c)
{
    kiosk *k = c->k;
    ui_ctx *ui = c->ui;
    SDL_Rect info, pad;
    split_entry(c, &info, &pad);
    title(c, ui_cut_top(&info, info.h * 25 / 100), T(k, "kiosk.operator.title"), UI_LEFT);
    para(c, ui_cut_top(&info, info.h * 30 / 100), T(k, "kiosk.operator.hint"), 38, ui->th.text_dim,
         UI_LEFT);
    char dots[3 * FLOW_PIN_MAX + 1] = "";
    for (size_t i = 0; i < strlen(c->f->pin) && i < FLOW_PIN_MAX; i++)
        memcpy(dots + 3 * i, "\xE2\x97\x8F", 4); /* U+25CF BLACK CIRCLE */
    SDL_Rect box = ui_cut_top(&info, info.h * 50 / 100);
    entry_box(c, "pin", box, dots, "PIN", 80);
    if (c->f->pin_wrong) {
        ui_text_style ts = style(ui, UI_BOLD, 38, ui->th.warn, UI_LEFT);
        ui_text(ui, info, T(k, "kiosk.operator.wrong"), &ts);
        ui_info(ui, "pin-error", T(k, "kiosk.operator.wrong"), info);
    }
    keypad(c, pad);
    footer(c, 1);
}

/* ---- the mode ----------------------------------------------------------- */

static const char *m_screen(void *ud)
{
    kiosk *k = ud;
    return flow_screen_id(k->f.screen);
}

/* Lay out and draw f's screen with its header (f is k->f, or warm_up's
 * copy). */
static void draw_screen(kiosk *k, flow *f, ui_ctx *ui, int64_t now)
{
    frame_ctx c = {.k = k, .f = f, .ui = ui, .now = now};
    c.pad = ui_px(ui, 40);
    c.gap = ui_px(ui, 20);
    c.mt = min_touch(ui);
    SDL_Rect full = {0, 0, ui->w, ui->h};
    int hh = ui_px(ui, ui->portrait ? 150 : 124);
    if (hh < c.mt + 2 * ui_px(ui, 12)) hh = c.mt + 2 * ui_px(ui, 12);
    SDL_Rect hdr = ui_cut_top(&full, hh);
    ui_fill(ui, full, ui->th.bg); /* the header fills the rest: each pixel once */
    SDL_Rect body = ui_inset(full, c.pad, c.pad);
    int fh = ui_px(ui, ui->portrait ? 140 : 112);
    if (fh < c.mt) fh = c.mt;
    c.footer = ui_cut_bottom(&body, fh);
    ui_cut_bottom(&body, c.gap);
    c.body = body;

    /* the widgets of the screen first, the header's (lang) after them */
    switch (f->screen) {
    case FLOW_WELCOME:
        screen_welcome(&c);
        break;
    case FLOW_IDENTIFY:
        screen_identify(&c);
        break;
    case FLOW_VERIFY:
        screen_verify(&c);
        break;
    case FLOW_PURPOSE:
        screen_purpose(&c);
        break;
    case FLOW_TICKET:
        screen_ticket(&c);
        break;
    case FLOW_HELP:
        screen_help(&c);
        break;
    case FLOW_NO_NUMBER:
        screen_no_number(&c);
        break;
    case FLOW_QUESTION:
        screen_question(&c);
        break;
    case FLOW_OPERATOR:
    default:
        screen_operator(&c);
        break;
    }
    header(&c, hdr, f->screen != FLOW_WELCOME);
}

/* Once, after the first frame while idle on [welcome]: draw every screen
 * off-screen (never presented) in both languages, so fonts, text and icons
 * are cached and a client's first touches are as quick as later ones. The
 * screens are drawn from a copy of the flow: the real one is not touched. */
static void warm_up(kiosk *k, ui_ctx *ui, int64_t now)
{
    flow *w = malloc(sizeof *w);
    if (!w) return;
    int lang = k->b.lang;
    static const flow_screen order[] = {FLOW_IDENTIFY, FLOW_VERIFY,    FLOW_PURPOSE, FLOW_TICKET,
                                        FLOW_HELP,     FLOW_NO_NUMBER, FLOW_QUESTION};
    /* the other language first: what is drawn last stays in the caches
     * (UI_TEX_BUDGET), and the next client starts in this one */
    for (int pass = 0; pass < 2; pass++) {
        k->b.lang = pass == 0 ? !lang : lang;
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
            *w = k->f;
            w->screen = order[i];
            snprintf(w->birth_digits, sizeof w->birth_digits, "%s", "17081985");
            w->has_ticket = 1;
            snprintf(w->ticket.t.code, sizeof w->ticket.t.code, "%s", "A-001");
            w->ticket.t.routed = BK_ROUTED_ASSIGNED;
            w->ticket.has_officer = 1;
            w->help = FLOW_HELP_MISMATCH;
            if (w->n_questions == 0) {
                w->n_questions = 1;
                snprintf(w->questions[0].text_id, sizeof w->questions[0].text_id, "%s",
                         "Apakah alamat Anda berubah?");
                snprintf(w->questions[0].text_en, sizeof w->questions[0].text_en, "%s",
                         "Has your address changed?");
                w->question = 0;
            }
            ui_frame_begin(ui);
            draw_screen(k, w, ui, now);
            ui_frame_end(ui);
        }
    }
    k->b.lang = lang;
    free(w);
    k->drawn_valid = 0; /* the real frame is drawn again */
}

static void m_frame(void *ud, ui_ctx *ui, int64_t now)
{
    kiosk *k = ud;
    follow_screen(k);
    set_today(k);
    draw_screen(k, &k->f, ui, now);

    int busy = busy_visible(k, now);
    if (busy) {
        /* an opaque card (blending the whole screen costs ~10 ms in
         * software); the screen under it stays visible but cannot be used */
        SDL_Rect all = {0, 0, ui->w, ui->h};
        int cw = ui->portrait ? ui->w * 80 / 100 : ui->w * 46 / 100;
        int ch = ui->portrait ? ui->h * 26 / 100 : ui->h * 44 / 100;
        SDL_Rect card = ui_center(all, cw, ch);
        int frame = ui_px(ui, 4) > 2 ? ui_px(ui, 4) : 2;
        ui_round_frame(ui, card, ui_px(ui, 28), frame, ui->th.accent, ui->th.header);
        SDL_Rect in = ui_inset(card, ui_px(ui, 30), ui_px(ui, 30));
        SDL_Rect tr = ui_cut_bottom(&in, in.h * 34 / 100);
        int sz = in.h < in.w ? in.h : in.w;
        ui_spinner(ui, ui_center(in, sz, sz), (uint64_t)(now - k->job_started), ui->th.accent);
        ui_text_style ts = style(ui, UI_BOLD, 52, ui->th.text, UI_CENTER);
        ts.max_lines = 1;
        ui_text(ui, tr, T(k, "kiosk.busy"), &ts);
        /* swallows every touch while the database works */
        ui_widget_add(ui, "busy", T(k, "kiosk.busy"), all, 0);
    }
    k->drawn_gen = k->f.gen;
    k->drawn_countdown = flow_countdown(&k->f, now);
    k->b.drawn_minute = wall_now(k) / 60;
    k->drawn_lang = k->b.lang;
    k->drawn_busy = busy;
    k->drawn_spin = busy ? (now - k->job_started) / SPIN_FRAME_MS : 0;
    k->drawn_valid = 1;
}

static int needs_redraw(kiosk *k, int64_t now)
{
    int busy = busy_visible(k, now);
    return !k->drawn_valid || k->drawn_gen != k->f.gen ||
           k->drawn_countdown != flow_countdown(&k->f, now) || mc_clock_tick(&k->b, now) ||
           k->drawn_lang != k->b.lang || k->drawn_busy != busy ||
           (busy && k->drawn_spin != (now - k->job_started) / SPIN_FRAME_MS);
}

static int m_event(void *ud, ui_ctx *ui, const SDL_Event *ev, int x, int y, int down, int64_t now)
{
    kiosk *k = ud;
    if (ev->type == lw_event_type(k->b.lw)) {
        job_take(k, now);
        job_submit(k, now);
        follow_screen(k);
        return needs_redraw(k, now);
    }
    if (down == 1 || down == 0) {
        flow_touch(&k->f, now);
        int corner = ui_px(ui, 110);
        if (corner < 60) corner = 60;
        if (down == 1 && x < corner && y < corner) {
            flow_corner_press(&k->f, now);
            k->corner_down = 1;
        } else if (down == 0 && k->corner_down) {
            flow_corner_release(&k->f, now);
            k->corner_down = 0;
        }
    } else if (ev->type == SDL_TEXTINPUT) {
        flow_text(&k->f, ev->text.text, now);
    } else if (ev->type == SDL_KEYDOWN) {
        switch (ev->key.keysym.sym) {
        case SDLK_RETURN:
        case SDLK_RETURN2:
        case SDLK_KP_ENTER:
            flow_enter(&k->f, now);
            break;
        case SDLK_BACKSPACE:
            flow_delete(&k->f, now);
            break;
        case SDLK_ESCAPE:
            flow_back(&k->f, now);
            break;
        default:
            break;
        }
    }
    job_submit(k, now);
    follow_screen(k);
    return needs_redraw(k, now);
}

static int m_tick(void *ud, ui_ctx *ui, int64_t now)
{
    kiosk *k = ud;
    if (!k->warmed && k->drawn_valid && k->f.screen == FLOW_WELCOME && !job_blocking(k) &&
        !ui->pointer_down && !ui->clicked[0]) {
        k->warmed = 1;
        warm_up(k, ui, now);
    }
    flow_tick(&k->f, now);
    if (k->has_printer && k->f.print == FLOW_PRINT_PENDING && now - k->print_polled >= 100) {
        k->print_polled = now;
        print_status(k, k->printer.poll(k->printer.ud));
    }
    if (k->audit_pending && !k->f.job_pending && flow_call(&k->f, audit_call, k) == 0)
        k->audit_pending = 0;
    else if (checkpoint_ready(k) && flow_call(&k->f, checkpoint_call, k) == 0)
        k->checkpoint_due = 0;
    job_submit(k, now);
    follow_screen(k);
    return needs_redraw(k, now);
}

static int64_t m_next_wakeup(void *ud, int64_t now)
{
    kiosk *k = ud;
    if (!k->warmed && k->drawn_valid && k->f.screen == FLOW_WELCOME)
        return 0;                      /* warm the caches right after the first frame */
    if (checkpoint_ready(k)) return 0; /* back on [welcome]: checkpoint now */
    int64_t best = flow_next_wakeup(&k->f, now);
    int64_t m = mc_clock_wake(&k->b, now);
    if (m >= 0 && (best < 0 || m < best)) best = m;
    if (job_blocking(k)) {
        int64_t w = busy_visible(k, now) ? SPIN_FRAME_MS - (now - k->job_started) % SPIN_FRAME_MS
                                         : k->job_started + BUSY_OVERLAY_DELAY_MS - now;
        if (w < 1) w = 1;
        if (best < 0 || w < best) best = w;
    }
    if (k->has_printer && (k->f.print == FLOW_PRINT_PENDING || k->audit_pending) &&
        (best < 0 || best > 100))
        best = 100;
    return best;
}

static int m_busy(void *ud)
{
    kiosk *k = ud;
    return k->f.job_pending || lw_busy(k->b.lw);
}

static int m_quit(void *ud)
{
    kiosk *k = ud;
    return k->f.quit;
}

ui_mode kiosk_mode(kiosk *k)
{
    ui_mode m = {
        .ud = k,
        .screen = m_screen,
        .frame = m_frame,
        .event = m_event,
        .tick = m_tick,
        .next_wakeup = m_next_wakeup,
        .busy = m_busy,
        .quit = m_quit,
    };
    return m;
}

const flow *kiosk_flow(const kiosk *k)
{
    return &k->f;
}

bk_err kiosk_create(const kiosk_opts *o, kiosk **out, char *err, size_t errlen)
{
    *out = NULL;
    kiosk *k = calloc(1, sizeof *k);
    if (!k) {
        snprintf(err, errlen, "out of memory");
        return BK_ERR_NOMEM;
    }
    bk_err e = mc_init(&k->b, o->cfg, o->assets, &o->q, err, errlen);
    if (e) {
        free(k);
        return e;
    }
    k->b.no_banner = 1; /* [welcome] says when the database is down */
    k->default_lang = k->b.lang;
    snprintf(k->db_path, sizeof k->db_path, "%s", o->db_path ? o->db_path : "");
    if (o->printer) {
        k->printer = *o->printer;
        k->has_printer = 1;
    }
    live_mode_opts lo = {
        .cfg = o->cfg, .assets = o->assets, .db_path = k->db_path, .q = o->q, .sopts = o->sopts};
    if ((e = mc_start_worker(&k->b, &lo, 0, NULL, job_act, k, err, errlen))) {
        kiosk_destroy(k);
        return e;
    }
    flow_opts fo = {.idle_ms = k->b.cfg.idle_seconds * 1000,
                    .ticket_idle_ms = k->b.cfg.ticket_idle_seconds * 1000,
                    .countdown_ms = 10000,
                    .exit_pin = k->b.cfg.exit_pin};
    int64_t now = (int64_t)SDL_GetTicks64();
    flow_init(&k->f, &fo, 1, now);
    job_submit(k, now);
    *out = k;
    return BK_OK;
}

void kiosk_destroy(kiosk *k)
{
    if (!k) return;
    lw_destroy(k->b.lw); /* waits for a running job (within the busy timeout) */
    k->b.lw = NULL;
    if (k->slip_pic.tex) SDL_DestroyTexture(k->slip_pic.tex);
    if (k->qr_pic.tex) SDL_DestroyTexture(k->qr_pic.tex);
    mc_free(&k->b);
    free(k);
}
