/* modecommon.c — shared pieces of the live modes (modecommon.h). */
#include "modecommon.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "otime.h"
#include "token.h"

bk_err mc_init(mc_base *b, const cfg *c, const char *assets, const queue_ctx *q, char *err,
               size_t errlen)
{
    memset(b, 0, sizeof *b);
    b->cfg = *c;
    b->q = *q;
    b->q.st = NULL;
    b->status = LW_CONNECTING;
    b->drawn_minute = -1;
    char dir[2048];
    snprintf(dir, sizeof dir, "%s/i18n", assets);
    const char *langs[2] = {"id", "en"};
    for (int i = 0; i < 2; i++) {
        bk_err e = i18n_load(dir, langs[i], &b->cat[i]);
        if (e) {
            snprintf(err, errlen, "cannot load the %s catalog from %s (%s)", langs[i], dir,
                     bk_err_name(e));
            mc_free(b);
            return e;
        }
    }
    b->lang = strcmp(c->language, "en") == 0;
    return BK_OK;
}

bk_err mc_start_worker(mc_base *b, const live_mode_opts *o, size_t model_size,
                       bk_err (*load)(void *ud, queue_ctx *q, void *buf),
                       bk_err (*act)(void *ud, queue_ctx *q, const void *req, void *res), void *ud,
                       char *err, size_t errlen)
{
    lw_opts lo = {.db_path = o->db_path,
                  .sopts = o->sopts,
                  .q = o->q,
                  .poll_ms = o->poll_ms,
                  .model_size = model_size,
                  .load = load,
                  .act = act,
                  .ud = ud};
    return lw_create(&lo, &b->lw, err, errlen);
}

void mc_append_text(char *buf, size_t sz, size_t *len, const char *text)
{
    size_t l = strlen(text);
    if (*len + l >= sz) return;
    memcpy(buf + *len, text, l);
    *len += l;
    buf[*len] = 0;
}

static int allowed(unsigned char c, mc_chars set)
{
    if (set == MC_CHARS_SCAN) return c >= 0x20 && c < 0x7f;
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '/' || c == '-';
}

int mc_append_allowed(char *buf, size_t sz, size_t *len, const char *text, mc_chars set)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (!allowed(*p, set)) return 1;
    mc_append_text(buf, sz, len, text);
    return 0;
}

bk_err mc_scan_lookup(queue_ctx *q, const char *s, store_ticket *t, mc_scan *what)
{
    memset(t, 0, sizeof *t);
    *what = MC_SCAN_NOT_FOUND;
    bk_err e;
    if (strncmp(s, "BPK", 3) == 0) { /* a slip's payload, of any version */
        if (strncmp(s, "BPK1:", 5) != 0 || strlen(s + 5) != TOKEN_CHARS || !token_valid(s + 5)) {
            *what = MC_SCAN_NOT_SLIP;
            return BK_ERR_INVALID;
        }
        e = store_ticket_by_token(q->st, s + 5, t);
        if (e == BK_ERR_NOT_FOUND) {
            *what = MC_SCAN_NOT_SLIP; /* well formed, but not made here */
            return BK_ERR_INVALID;
        }
        if (e) return e;
        char today[STORE_DAY_SZ];
        queue_today(q, today);
        if (strcmp(t->day, today) != 0) {
            *what = MC_SCAN_OTHER_DAY;
            return BK_ERR_STATE;
        }
        *what = MC_SCAN_FOUND;
        return BK_OK;
    }
    int64_t id = 0;
    e = queue_resolve(q, s, &id);
    if (e == BK_ERR_INVALID) *what = MC_SCAN_NOT_SLIP;
    if (!e) e = store_ticket_get(q->st, id, t);
    if (!e) *what = MC_SCAN_FOUND;
    return e;
}

void mc_free(mc_base *b)
{
    for (int i = 0; i < 2; i++) {
        i18n_free(b->cat[i]);
        b->cat[i] = NULL;
    }
}

const char *mc_t(const mc_base *b, const char *key)
{
    return i18n_get(b->cat[b->lang], key);
}

const char *mc_lang(const mc_base *b)
{
    return b->lang ? "en" : "id";
}

ui_text_style mc_style(const ui_ctx *ui, ui_face face, float design_px, SDL_Color c, ui_align a)
{
    ui_text_style s;
    memset(&s, 0, sizeof s);
    s.face = face;
    s.px = ui_fpx(ui, design_px);
    s.color = c;
    s.align = a;
    s.valign = UI_MIDDLE;
    s.max_lines = 1;
    return s;
}

void mc_label(ui_ctx *ui, const char *id, SDL_Rect r, const char *text, ui_face face,
              float design_px, SDL_Color c, ui_align a)
{
    ui_text_style s = mc_style(ui, face, design_px, c, a);
    ui_text(ui, r, text, &s);
    if (id) ui_info(ui, id, text, r);
}

void mc_header(mc_base *b, ui_ctx *ui, SDL_Rect r, const char *title)
{
    ui_fill(ui, r, ui->th.header);
    SDL_Rect in = ui_inset(r, ui_px(ui, 28), ui_px(ui, 6));
    otime_parts p;
    otime_local(queue_now(&b->q), b->cfg.utc_offset_min, &p);
    char date[96], tm[48];
    i18n_date_long(mc_lang(b), &p, date, sizeof date);
    i18n_time(mc_lang(b), &p, tm, sizeof tm);
    SDL_Rect right = ui_cut_right(&in, in.w * 45 / 100);
    SDL_Rect clock = ui_cut_right(&right, right.w * 36 / 100);
    mc_label(ui, "clock", clock, tm, UI_BOLD, 44, ui->th.accent, UI_RIGHT);
    mc_label(ui, "date", right, date, UI_REGULAR, 34, ui->th.text, UI_RIGHT);
    if (title) {
        SDL_Rect t = ui_cut_right(&in, in.w * 40 / 100);
        mc_label(ui, "title", t, title, UI_BOLD, 34, ui->th.text, UI_LEFT);
    }
    mc_label(ui, "office", in, b->cfg.office_name, UI_BOLD, 36, ui->th.text, UI_LEFT);
    b->drawn_minute = queue_now(&b->q) / 60;
}

/* The banner's two lines for now; 0 when there is no banner. */
static int banner_text(const mc_base *b, int64_t now_ms, char *head, size_t hs, char *detail,
                       size_t ds)
{
    head[0] = detail[0] = 0;
    if (b->status == LW_OK || !b->lw || b->no_banner) return 0;
    lw_health h;
    lw_health_get(b->lw, &h);
    const char *reason = NULL;
    switch (b->status) {
    case LW_CONNECTING:
        mc_fmt(head, hs, "%s", mc_t(b, "common.db.connecting"));
        return 1;
    case LW_UNREACHABLE:
        reason = mc_t(b, "common.db.unreachable");
        break;
    case LW_MISSING:
        reason = mc_t(b, "common.db.missing");
        break;
    case LW_BUSY:
        reason = mc_t(b, "common.db.busy");
        break;
    case LW_ERROR:
    default:
        reason = mc_t(b, "common.db.error");
        break;
    }
    char next[160], n[24], tm[48];
    if (h.next_try_ms > now_ms) {
        mc_fmt(n, sizeof n, "%lld", (long long)((h.next_try_ms - now_ms + 999) / 1000));
        const char *vars[] = {"n", n, NULL};
        i18n_fill(mc_t(b, "common.db.retry"), vars, next, sizeof next);
    } else {
        mc_fmt(next, sizeof next, "%s", mc_t(b, "common.db.trying"));
    }
    otime_parts p;
    otime_local(h.down_since ? h.down_since : queue_now(&b->q), b->cfg.utc_offset_min, &p);
    i18n_time(mc_lang(b), &p, tm, sizeof tm);
    const char *vars[] = {"reason", reason, "time", tm, "next", next, NULL};
    if (b->public_banner) {
        mc_fmt(head, hs, "%s", mc_t(b, "common.db.board"));
        i18n_fill(mc_t(b, "common.db.detail_board"), vars, detail, ds);
    } else {
        mc_fmt(head, hs, "%s", reason);
        if (h.had_model)
            i18n_fill(mc_t(b, "common.db.detail_staff"), vars, detail, ds);
        else
            mc_fmt(detail, ds, "%s", next);
    }
    return 1;
}

int mc_banner(mc_base *b, ui_ctx *ui, SDL_Rect *r, int64_t now_ms)
{
    char head[256], detail[256];
    if (!banner_text(b, now_ms, head, sizeof head, detail, sizeof detail)) {
        b->banner_drawn[0] = 0;
        return 0;
    }
    mc_fmt(b->banner_drawn, sizeof b->banner_drawn, "%s\n%s", head, detail);
    int two = detail[0] != 0;
    int h = ui_px(ui, two ? 104 : 64);
    SDL_Rect s = ui_cut_top(r, h);
    ui_fill(ui, s, (SDL_Color){0x7A, 0x4A, 0x00, 255});
    SDL_Rect in = ui_inset(s, ui_px(ui, 20), ui_px(ui, 6));
    SDL_Rect ic = ui_cut_left(&in, two ? in.h * 70 / 100 : in.h);
    ui_icon_draw(ui, UI_ICON_WARN, ui_center(ic, ic.w, ic.w), (SDL_Color){0xFF, 0xE0, 0x80, 255});
    ui_cut_left(&in, ui_px(ui, 14));
    if (two) {
        SDL_Rect top = ui_cut_top(&in, in.h * 52 / 100);
        mc_label(ui, "status", top, head, UI_BOLD, 32, (SDL_Color){0xFF, 0xF4, 0xD8, 255}, UI_LEFT);
        mc_label(ui, "status-detail", in, detail, UI_REGULAR, 27,
                 (SDL_Color){0xFF, 0xE8, 0xB8, 255}, UI_LEFT);
    } else {
        mc_label(ui, "status", in, head, UI_BOLD, 30, (SDL_Color){0xFF, 0xF4, 0xD8, 255}, UI_LEFT);
    }
    return h;
}

static int banner_tick(mc_base *b, int64_t now_ms)
{
    char head[256], detail[256], both[512];
    if (!banner_text(b, now_ms, head, sizeof head, detail, sizeof detail))
        return b->banner_drawn[0] != 0;
    mc_fmt(both, sizeof both, "%s\n%s", head, detail);
    return strcmp(both, b->banner_drawn) != 0;
}

static int64_t banner_wake(const mc_base *b, int64_t now_ms)
{
    if (b->status == LW_OK || b->status == LW_CONNECTING || !b->lw || b->no_banner) return -1;
    lw_health h;
    lw_health_get(b->lw, &h);
    if (h.next_try_ms <= now_ms) return -1; /* the worker posts an event when the attempt ends */
    int64_t left = h.next_try_ms - now_ms;
    int64_t w = left % 1000; /* when the shown seconds change */
    return w == 0 ? 1000 : w;
}

static int minute_tick(mc_base *b)
{
    return queue_now(&b->q) / 60 != b->drawn_minute;
}

static int64_t ms_to_minute(const mc_base *b)
{
    if (b->q.fixed_now) return -1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ms = (int64_t)(ts.tv_sec % 60) * 1000 + ts.tv_nsec / 1000000;
    return 60000 - ms + 5;
}

int mc_clock_tick(mc_base *b, int64_t now_ms)
{
    return minute_tick(b) | banner_tick(b, now_ms);
}

int64_t mc_clock_wake(const mc_base *b, int64_t now_ms)
{
    int64_t w = ms_to_minute(b), bw = banner_wake(b, now_ms);
    return bw >= 0 && (w < 0 || bw < w) ? bw : w;
}

void mc_wait_text(const mc_base *b, int64_t since, char *out, size_t outsz)
{
    int64_t m = since > 0 ? (queue_now(&b->q) - since) / 60 : 0;
    if (m < 0) m = 0;
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)m);
    const char *vars[] = {"n", n, NULL};
    i18n_fill(mc_t(b, "common.minutes"), vars, out, outsz);
}

void mc_fmt(char *out, size_t outsz, const char *fmt, ...)
{
    if (!outsz) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, outsz, fmt, ap);
    va_end(ap);
}
