/* modecommon.c — shared pieces of the live modes (modecommon.h). */
#include "modecommon.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "otime.h"

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
                       bk_err (*act)(void *ud, queue_ctx *q, const void *req, void *res),
                       void *ud, char *err, size_t errlen)
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
    if (*len + l >= sz)
        return;
    memcpy(buf + *len, text, l);
    *len += l;
    buf[*len] = 0;
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

ui_text_style mc_style(const ui_ctx *ui, ui_face face, float design_px, SDL_Color c,
                       ui_align a)
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
    if (id)
        ui_info(ui, id, text, r);
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

int mc_banner(mc_base *b, ui_ctx *ui, SDL_Rect *r)
{
    const char *key = NULL;
    switch (b->status) {
    case LW_OK:
        return 0;
    case LW_CONNECTING:
        key = "common.db.connecting";
        break;
    case LW_MISSING:
        key = "common.db.missing";
        break;
    case LW_BUSY:
        key = "common.db.busy";
        break;
    case LW_ERROR:
        key = "common.db.error";
        break;
    }
    int h = ui_px(ui, 64);
    SDL_Rect s = ui_cut_top(r, h);
    ui_fill(ui, s, (SDL_Color){0x7A, 0x4A, 0x00, 255});
    SDL_Rect in = ui_inset(s, ui_px(ui, 20), ui_px(ui, 6));
    SDL_Rect ic = ui_cut_left(&in, in.h);
    ui_icon_draw(ui, UI_ICON_WARN, ic, (SDL_Color){0xFF, 0xE0, 0x80, 255});
    ui_cut_left(&in, ui_px(ui, 12));
    mc_label(ui, "status", in, mc_t(b, key), UI_BOLD, 30, (SDL_Color){0xFF, 0xF4, 0xD8, 255},
             UI_LEFT);
    return h;
}

int mc_minute_tick(mc_base *b)
{
    return queue_now(&b->q) / 60 != b->drawn_minute;
}

int64_t mc_ms_to_minute(const mc_base *b)
{
    if (b->q.fixed_now)
        return -1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ms = (int64_t)(ts.tv_sec % 60) * 1000 + ts.tv_nsec / 1000000;
    return 60000 - ms + 5;
}

void mc_wait_text(const mc_base *b, int64_t since, char *out, size_t outsz)
{
    int64_t m = since > 0 ? (queue_now(&b->q) - since) / 60 : 0;
    if (m < 0)
        m = 0;
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)m);
    const char *vars[] = {"n", n, NULL};
    i18n_fill(mc_t(b, "common.minutes"), vars, out, outsz);
}

void mc_fmt(char *out, size_t outsz, const char *fmt, ...)
{
    if (!outsz)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, outsz, fmt, ap);
    va_end(ap);
}
