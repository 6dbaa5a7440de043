/* slip.c — slip model, layout (SDL2_ttf measuring and wrapping), rendering. */
#include "slip.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "otime.h"
#include "paths.h"
#include "valid.h"

#define SYSTEM_FONT_DIR "/usr/share/fonts/truetype/noto"

/* ---- buffer ------------------------------------------------------------ */

bk_err slip_buf_append(slip_buf *b, const void *p, size_t n)
{
    if (n == 0) return BK_OK;
    if (b->len + n < b->len) return BK_ERR_NOMEM;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) {
            if (cap > SIZE_MAX / 2) return BK_ERR_NOMEM;
            cap *= 2;
        }
        uint8_t *d = realloc(b->data, cap);
        if (!d) return BK_ERR_NOMEM;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return BK_OK;
}

void slip_buf_free(slip_buf *b)
{
    if (!b) return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- info -------------------------------------------------------------- */

static void copy(char *dst, size_t sz, const char *src)
{
    snprintf(dst, sz, "%s", src ? src : "");
}

void slip_next_report(const store_ticket *t, const store_client *cl, const cal *k,
                      char out[STORE_DAY_SZ])
{
    out[0] = 0;
    if (!t || !cl || !queue_visit_has(t, BK_PURPOSE_REPORT)) return;
    if (cal_next_report(k, t->day, cl->last_report, cl->report_every_days, out) != BK_OK)
        out[0] = 0;
}

void slip_info_from_view(const queue_view *v, const cfg *c, const store_client *cl, const cal *k,
                         int64_t printed_at, slip_info *out)
{
    memset(out, 0, sizeof *out);
    copy(out->office, sizeof out->office, c->office_name);
    copy(out->code, sizeof out->code, v->t.code);
    out->purpose = v->t.purpose;
    if (v->has_officer) {
        copy(out->officer_name, sizeof out->officer_name, v->officer.name);
        copy(out->room, sizeof out->room, v->officer.room);
    }
    out->routed = v->t.routed;
    out->status = v->t.status;
    out->checkin_at = v->t.checkin_at;
    out->printed_at = printed_at;
    out->utc_offset_min = c->utc_offset_min;
    out->position = v->position;
    out->eta_minutes = v->eta_minutes;
    /* Only the client's reporting schedule is read; nothing identifying. */
    if (cl && v->t.client_no[0] && strcmp(cl->no, v->t.client_no) == 0)
        slip_next_report(&v->t, cl, k, out->next_report);
    copy(out->footer, sizeof out->footer, c->slip_footer);
    copy(out->token, sizeof out->token, v->t.token);
}

/* ---- fonts ------------------------------------------------------------- */

enum { PAPER_58, PAPER_80, PAPER__COUNT };

/* Pixel sizes per style (at 72 dpi a point is a dot), 58 mm then 80 mm. */
static const int style_px[SLIP_STYLE__COUNT][PAPER__COUNT] = {
    [SLIP_STYLE_SMALL] = {19, 22},  [SLIP_STYLE_LABEL] = {20, 23},
    [SLIP_STYLE_VALUE] = {26, 31},  [SLIP_STYLE_TITLE] = {26, 31},
    [SLIP_STYLE_CODE] = {110, 150}, [SLIP_STYLE_CODE_FIT] = {80, 110},
};
static const int style_bold[SLIP_STYLE__COUNT] = {
    [SLIP_STYLE_VALUE] = 1,
    [SLIP_STYLE_TITLE] = 1,
    [SLIP_STYLE_CODE] = 1,
    [SLIP_STYLE_CODE_FIT] = 1,
};

struct slip_fonts {
    char regular[1024];
    char bold[1024];
    TTF_Font *font[PAPER__COUNT][SLIP_STYLE__COUNT];
};

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bk_err find_font(const char *given, const char *name, char *out, size_t outsz)
{
    if (given) {
        snprintf(out, outsz, "%s", given);
        return is_file(out) ? BK_OK : BK_ERR_NOT_FOUND;
    }
    char rel[128];
    snprintf(rel, sizeof rel, "fonts/%s", name);
    if (paths_asset(rel, out, outsz) == BK_OK && is_file(out)) return BK_OK;
    snprintf(out, outsz, "%s/%s", SYSTEM_FONT_DIR, name);
    return is_file(out) ? BK_OK : BK_ERR_NOT_FOUND;
}

bk_err slip_fonts_open(const char *regular, const char *bold, slip_fonts **out, char *errbuf,
                       size_t errlen)
{
    *out = NULL;
    slip_fonts *f = calloc(1, sizeof *f);
    if (!f) return BK_ERR_NOMEM;
    bk_err e;
    if ((e = find_font(regular, "NotoSans-Regular.ttf", f->regular, sizeof f->regular)) ||
        (e = find_font(bold, "NotoSans-Bold.ttf", f->bold, sizeof f->bold))) {
        if (errbuf)
            snprintf(errbuf, errlen, "font not found (looked in assets/fonts and %s)",
                     SYSTEM_FONT_DIR);
        free(f);
        return e;
    }
    if (TTF_Init() != 0) {
        if (errbuf) snprintf(errbuf, errlen, "TTF_Init: %s", TTF_GetError());
        free(f);
        return BK_ERR_INTERNAL;
    }
    *out = f;
    return BK_OK;
}

void slip_fonts_close(slip_fonts *f)
{
    if (!f) return;
    for (int p = 0; p < PAPER__COUNT; p++)
        for (int s = 0; s < SLIP_STYLE__COUNT; s++)
            if (f->font[p][s]) TTF_CloseFont(f->font[p][s]);
    free(f);
    TTF_Quit();
}

static int paper_index(int paper_mm)
{
    return paper_mm == 58 ? PAPER_58 : PAPER_80;
}

static TTF_Font *font_get(slip_fonts *f, int paper_mm, slip_style s)
{
    int p = paper_index(paper_mm);
    if (!f->font[p][s]) {
        TTF_Font *ft = TTF_OpenFont(style_bold[s] ? f->bold : f->regular, style_px[s][p]);
        if (!ft) return NULL;
        TTF_SetFontHinting(ft, TTF_HINTING_LIGHT);
        f->font[p][s] = ft;
    }
    return f->font[p][s];
}

/* ---- layout ------------------------------------------------------------ */

int slip_paper_dots(int paper_mm)
{
    return paper_mm == 58 ? SLIP_DOTS_58 : paper_mm == 80 ? SLIP_DOTS_80 : 0;
}

typedef enum align { ALIGN_LEFT, ALIGN_CENTER } align;

typedef struct lay {
    slip_fonts *f;
    slip_layout *l;
    int y;
    int cw; /* content width */
} lay;

static bk_err push(lay *L, slip_item_kind kind, slip_style style, int x, int w, int h,
                   const char *text, size_t n)
{
    slip_layout *l = L->l;
    if (l->n_items >= SLIP_MAX_ITEMS) return BK_ERR_INTERNAL;
    slip_item *it = &l->items[l->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->style = style;
    it->x = x;
    it->y = L->y;
    it->w = w;
    it->h = h;
    if (n >= sizeof it->text) n = sizeof it->text - 1;
    if (text) memcpy(it->text, text, n);
    it->text[n] = 0;
    return BK_OK;
}

/* Width of the first n bytes of s in font ft. */
static int measure(TTF_Font *ft, const char *s, size_t n, int *w)
{
    char buf[SLIP_LINE_SZ * 2];
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = 0;
    int h;
    if (n == 0) {
        *w = 0;
        return 0;
    }
    return TTF_SizeUTF8(ft, buf, w, &h);
}

/* Length of the UTF-8 sequence starting with byte c (1 for stray bytes). */
static size_t u8len(unsigned char c)
{
    return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

/* Emit one line [s, s+n) at the current y, advancing y by the line skip. */
static bk_err emit_line(lay *L, TTF_Font *ft, slip_style style, align a, const char *s, size_t n)
{
    int w;
    if (measure(ft, s, n, &w)) return BK_ERR_INTERNAL;
    int x = L->l->margin + (a == ALIGN_CENTER ? (L->cw - w) / 2 : 0);
    if (x < L->l->margin) x = L->l->margin;
    bk_err e = push(L, SLIP_ITEM_TEXT, style, x, w, TTF_FontHeight(ft), s, n);
    if (e) return e;
    L->y += TTF_FontLineSkip(ft);
    return BK_OK;
}

/* Word-wrap text to the content width; words wider than a line are broken
 * between characters. Explicit '\n' starts a new line. */
static bk_err text(lay *L, slip_style style, align a, const char *s)
{
    TTF_Font *ft = font_get(L->f, L->l->paper_mm, style);
    if (!ft) return BK_ERR_INTERNAL;
    int maxw = L->cw;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s) break;
        /* Grow the line word by word while it fits. */
        size_t fit = 0; /* bytes of s that fit, ending at a word end */
        size_t i = 0;
        int hard_break = 0;
        for (;;) {
            size_t j = i;
            while (s[j] == ' ')
                j++;
            if (!s[j] || s[j] == '\n') {
                hard_break = s[j] == '\n';
                break;
            }
            /* The next piece: up to a space, or just after a hyphen inside
             * a word ("Timur-|Utara"), a break opportunity for long names. */
            size_t k = j;
            while (s[k] && s[k] != ' ' && s[k] != '\n') {
                k++;
                if (s[k - 1] == '-' && k - j > 1 && s[k] && s[k] != ' ' && s[k] != '\n') break;
            }
            int w;
            if (k >= SLIP_LINE_SZ - 1 || measure(ft, s, k, &w)) w = maxw + 1;
            if (w > maxw) break;
            fit = k;
            i = k;
        }
        bk_err e;
        if (fit == 0) {
            if (hard_break && s[0] == '\n') {
                s++;
                continue;
            }
            /* The first word alone is too wide: take as many characters as fit. */
            size_t k = 0, last = 0;
            while (s[k] && s[k] != ' ' && s[k] != '\n') {
                size_t nk = k + u8len((unsigned char)s[k]);
                int w;
                if (nk >= SLIP_LINE_SZ - 1 || measure(ft, s, nk, &w) || w > maxw) break;
                last = k = nk;
            }
            if (last == 0) /* not even one character fits: emit it anyway */
                last = u8len((unsigned char)s[0]);
            fit = last;
        }
        if ((e = emit_line(L, ft, style, a, s, fit))) return e;
        s += fit;
        while (*s == ' ')
            s++;
        if (*s == '\n') s++;
    }
    return BK_OK;
}

static bk_err rule(lay *L, int gap_before, int gap_after)
{
    L->y += gap_before;
    bk_err e = push(L, SLIP_ITEM_RULE, SLIP_STYLE_SMALL, L->l->margin, L->cw, 2, NULL, 0);
    L->y += 2 + gap_after;
    return e;
}

/* A label line then its (wrapped) value. */
static bk_err row(lay *L, const char *label, const char *value)
{
    bk_err e;
    if ((e = text(L, SLIP_STYLE_LABEL, ALIGN_LEFT, label)) ||
        (e = text(L, SLIP_STYLE_VALUE, ALIGN_LEFT, value)))
        return e;
    L->y += 8;
    return BK_OK;
}

static bk_err qr_place(lay *L, const char *payload)
{
    slip_layout *l = L->l;
    slip_qr *q = &l->qr;
    memset(q, 0, sizeof *q);
    snprintf(q->payload, sizeof q->payload, "%s", payload);
    QRcode *code = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) return BK_ERR_INTERNAL;
    bk_err e = BK_OK;
    if (code->width > SLIP_QR_MAX_MODULES) {
        e = BK_ERR_INTERNAL;
        goto out;
    }
    q->modules = code->width;
    q->version = code->version;
    for (int r = 0; r < code->width; r++)
        for (int c = 0; c < code->width; c++)
            q->dark[r * code->width + c] = code->data[r * code->width + c] & 1;
    /* Whole-dot modules, about 60% of the width, 4..8 dots (0.5..1 mm). */
    int total = q->modules + 2 * SLIP_QR_QUIET;
    int m = (L->cw * 6 / 10) / total;
    if (m > 8) m = 8;
    if (m < SLIP_QR_MODULE_MIN) m = SLIP_QR_MODULE_MIN;
    q->module = m;
    q->size = total * m;
    q->x = (l->width - q->size) / 2;
    q->y = L->y;
    L->y += q->size;
out:
    QRcode_free(code);
    return e;
}

static void day_parts(const char *day, otime_parts *p)
{
    memset(p, 0, sizeof *p);
    int y, m, d;
    if (valid_date(day, &y, &m, &d, NULL)) return;
    int64_t days = otime_days_from_civil(y, m, d);
    p->year = y;
    p->month = m;
    p->day = d;
    p->wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
}

bk_err slip_layout_build(slip_fonts *f, const i18n *t, const slip_info *info, int paper_mm,
                         slip_layout *out)
{
    int width = slip_paper_dots(paper_mm);
    if (!width) return BK_ERR_INVALID;
    char payload[PAYLOAD_SZ];
    if (payload_format(info->token, payload, sizeof payload)) return BK_ERR_INVALID;
    memset(out, 0, offsetof(slip_layout, items));
    out->paper_mm = paper_mm;
    out->width = width;
    out->margin = paper_mm == 58 ? 10 : 16;
    lay L = {.f = f, .l = out, .y = 12, .cw = width - 2 * out->margin};
    const char *lang = i18n_lang(t);
    char buf[1024], num[32];
    bk_err e;

    /* Office, then the code in very large type. */
    if ((e = text(&L, SLIP_STYLE_TITLE, ALIGN_CENTER, info->office)) || (e = rule(&L, 6, 10)) ||
        (e = text(&L, SLIP_STYLE_LABEL, ALIGN_CENTER, i18n_get(t, "slip.queue_number"))))
        return e;
    {
        TTF_Font *big = font_get(f, paper_mm, SLIP_STYLE_CODE);
        slip_style cs = SLIP_STYLE_CODE;
        int w;
        if (!big || measure(big, info->code, strlen(info->code), &w)) return BK_ERR_INTERNAL;
        if (w > L.cw) {
            cs = SLIP_STYLE_CODE_FIT;
            big = font_get(f, paper_mm, cs);
            if (!big) return BK_ERR_INTERNAL;
        }
        /* Codes are capitals, digits and '-': no descenders, so the line
         * ends at the baseline plus a little air. */
        int y0 = L.y;
        L.y -= TTF_FontHeight(big) / 10; /* the font's internal leading above capitals */
        if ((e = text(&L, cs, ALIGN_CENTER, info->code))) return e;
        L.y = y0 + TTF_FontAscent(big) - TTF_FontHeight(big) / 10 + 14;
    }
    /* No purpose (issue 12 item 8): the slip is shown around and left on
     * tables; why someone came is nobody's business. */
    if ((e = rule(&L, 8, 12))) return e;

    /* Who, where, when. */
    if (info->officer_name[0]) {
        const char *label = info->routed == BK_ROUTED_SUBSTITUTE
                                ? i18n_get(t, "slip.officer_substitute")
                                : i18n_get(t, "slip.officer");
        if ((e = row(&L, label, info->officer_name))) return e;
        if (info->room[0] && (e = row(&L, i18n_get(t, "slip.room"), info->room))) return e;
    } else if ((e = row(&L, i18n_get(t, "slip.served_at"), i18n_get(t, "slip.reception")))) {
        return e;
    }
    otime_parts p;
    otime_local(info->checkin_at, info->utc_offset_min, &p);
    {
        char d[96], tm[48];
        i18n_date_long(lang, &p, d, sizeof d);
        i18n_time(lang, &p, tm, sizeof tm);
        snprintf(buf, sizeof buf, "%s\n%s", d, tm); /* never break inside the time */
        if ((e = row(&L, i18n_get(t, "slip.checked_in"), buf))) return e;
    }
    if (info->position >= 0) {
        snprintf(num, sizeof num, "%d", info->position);
        const char *vars[] = {"n", num, NULL};
        i18n_fill(i18n_get(t, info->position == 0 ? "slip.position.next" : "slip.position.ahead"),
                  vars, buf, sizeof buf);
        if ((e = row(&L, i18n_get(t, "slip.position"), buf))) return e;
    }
    if (info->eta_minutes >= 0) {
        snprintf(num, sizeof num, "%d", info->eta_minutes);
        const char *vars[] = {"n", num, NULL};
        i18n_fill(i18n_get(t, info->eta_minutes == 0 ? "slip.eta.now" : "slip.eta.minutes"), vars,
                  buf, sizeof buf);
        if ((e = row(&L, i18n_get(t, "slip.eta"), buf))) return e;
    }
    if (info->next_report[0]) {
        otime_parts np;
        day_parts(info->next_report, &np);
        i18n_date_long(lang, &np, buf, sizeof buf);
        if ((e = row(&L, i18n_get(t, "slip.next_report"), buf))) return e;
    }

    /* The QR (with its quiet zone inside the white margin) and the footer. */
    if ((e = rule(&L, 2, 4)) || (e = qr_place(&L, payload))) return e;
    if ((e = text(&L, SLIP_STYLE_SMALL, ALIGN_CENTER, i18n_get(t, "slip.qr_hint")))) return e;
    if (info->footer[0]) {
        L.y += 6;
        if ((e = text(&L, SLIP_STYLE_SMALL, ALIGN_CENTER, info->footer))) return e;
    }
    {
        otime_parts pp;
        char tm[48];
        otime_local(info->printed_at, info->utc_offset_min, &pp);
        i18n_time(lang, &pp, tm, sizeof tm);
        const char *vars[] = {"time", tm, NULL};
        i18n_fill(i18n_get(t, "slip.printed_at"), vars, buf, sizeof buf);
        L.y += 6;
        if ((e = text(&L, SLIP_STYLE_SMALL, ALIGN_CENTER, buf))) return e;
    }
    out->height = L.y + 16;
    return BK_OK;
}

bk_err slip_test_build(slip_fonts *f, const i18n *t, const slip_test_info *info, int paper_mm,
                       slip_layout *out)
{
    int width = slip_paper_dots(paper_mm);
    if (!width) return BK_ERR_INVALID;
    char payload[PAYLOAD_SZ];
    if (payload_format(SLIP_TEST_TOKEN, payload, sizeof payload)) return BK_ERR_INTERNAL;
    memset(out, 0, offsetof(slip_layout, items));
    out->paper_mm = paper_mm;
    out->width = width;
    out->margin = paper_mm == 58 ? 10 : 16;
    lay L = {.f = f, .l = out, .y = 12, .cw = width - 2 * out->margin};
    const char *lang = i18n_lang(t);
    const char *title = i18n_get(t, "slip.test.title");
    bk_err e;
    if ((e = text(&L, SLIP_STYLE_TITLE, ALIGN_CENTER, info->office)) || (e = rule(&L, 6, 10)))
        return e;
    /* "TES CETAK" where a ticket has its code, in the same type. */
    TTF_Font *big = font_get(f, paper_mm, SLIP_STYLE_CODE);
    int w;
    if (!big || measure(big, title, strlen(title), &w)) return BK_ERR_INTERNAL;
    if ((e = text(&L, w > L.cw ? SLIP_STYLE_CODE_FIT : SLIP_STYLE_CODE, ALIGN_CENTER, title)) ||
        (e = text(&L, SLIP_STYLE_VALUE, ALIGN_CENTER, i18n_get(t, "slip.test.note"))) ||
        (e = rule(&L, 8, 12)))
        return e;
    if ((e = row(&L, i18n_get(t, "slip.test.printer"), info->target))) return e;
    {
        otime_parts p;
        char d[96], tm[48], buf[160];
        otime_local(info->printed_at, info->utc_offset_min, &p);
        i18n_date_long(lang, &p, d, sizeof d);
        i18n_time(lang, &p, tm, sizeof tm);
        snprintf(buf, sizeof buf, "%s\n%s", d, tm);
        if ((e = row(&L, i18n_get(t, "slip.test.when"), buf))) return e;
    }
    if ((e = rule(&L, 2, 4)) || (e = qr_place(&L, payload)) ||
        (e = text(&L, SLIP_STYLE_SMALL, ALIGN_CENTER, i18n_get(t, "slip.test.qr"))))
        return e;
    out->height = L.y + 16;
    return BK_OK;
}

/* ---- rendering --------------------------------------------------------- */

void slip_image_free(slip_image *im)
{
    if (!im) return;
    free(im->gray);
    im->gray = NULL;
}

bk_err slip_image_copy(const slip_image *src, slip_image *dst)
{
    size_t n = (size_t)src->width * (size_t)src->height;
    uint8_t *g = malloc(n ? n : 1);
    if (!g) return BK_ERR_NOMEM;
    memcpy(g, src->gray, n);
    *dst = *src;
    dst->gray = g;
    return BK_OK;
}

static void fill(slip_image *im, int x, int y, int w, int h, uint8_t v)
{
    for (int r = y; r < y + h; r++) {
        if (r < 0 || r >= im->height) continue;
        int x0 = x < 0 ? 0 : x, x1 = x + w > im->width ? im->width : x + w;
        if (x1 > x0)
            memset(im->gray + (size_t)r * (size_t)im->width + (size_t)x0, v, (size_t)(x1 - x0));
    }
}

static void draw_qr(slip_image *im, const slip_qr *q)
{
    fill(im, q->x, q->y, q->size, q->size, 255);
    int off = SLIP_QR_QUIET * q->module;
    for (int r = 0; r < q->modules; r++)
        for (int c = 0; c < q->modules; c++)
            if (q->dark[r * q->modules + c])
                fill(im, q->x + off + c * q->module, q->y + off + r * q->module, q->module,
                     q->module, 0);
}

static bk_err draw_text(slip_fonts *f, const slip_layout *l, const slip_item *it, slip_image *im)
{
    TTF_Font *ft = font_get(f, l->paper_mm, it->style);
    if (!ft) return BK_ERR_INTERNAL;
    if (!it->text[0]) return BK_OK;
    SDL_Color black = {0, 0, 0, 255}, white = {255, 255, 255, 255};
    SDL_Surface *s = TTF_RenderUTF8_Shaded(ft, it->text, black, white);
    if (!s) return BK_ERR_INTERNAL;
    bk_err e = BK_OK;
    if (s->format->BytesPerPixel != 1 || !s->format->palette) {
        e = BK_ERR_INTERNAL;
        goto out;
    }
    if (SDL_MUSTLOCK(s) && SDL_LockSurface(s) != 0) {
        e = BK_ERR_INTERNAL;
        goto out;
    }
    const SDL_Color *pal = s->format->palette->colors;
    int ncol = s->format->palette->ncolors;
    for (int r = 0; r < s->h; r++) {
        int y = it->y + r;
        if (y < 0 || y >= im->height) continue;
        const uint8_t *src = (const uint8_t *)s->pixels + (size_t)r * (size_t)s->pitch;
        uint8_t *dst = im->gray + (size_t)y * (size_t)im->width;
        for (int c = 0; c < s->w; c++) {
            int x = it->x + c;
            if (x < 0 || x >= im->width) continue;
            int idx = src[c];
            uint8_t v = idx < ncol ? pal[idx].r : 255;
            if (v < dst[x]) dst[x] = v;
        }
    }
    if (SDL_MUSTLOCK(s)) SDL_UnlockSurface(s);
out:
    SDL_FreeSurface(s);
    return e;
}

bk_err slip_render(slip_fonts *f, const slip_layout *l, slip_image *out)
{
    memset(out, 0, sizeof *out);
    if (l->width <= 0 || l->height <= 0 || l->height > 20000) return BK_ERR_INVALID;
    size_t n = (size_t)l->width * (size_t)l->height;
    out->gray = malloc(n);
    if (!out->gray) return BK_ERR_NOMEM;
    memset(out->gray, 255, n);
    out->width = l->width;
    out->height = l->height;
    out->paper_mm = l->paper_mm;
    out->qr = l->qr;
    bk_err e = BK_OK;
    for (int i = 0; i < l->n_items && !e; i++) {
        const slip_item *it = &l->items[i];
        if (it->kind == SLIP_ITEM_RULE)
            fill(out, it->x, it->y, it->w, it->h, 0);
        else
            e = draw_text(f, l, it, out);
    }
    if (e) goto fail;
    /* The QR last: its quiet zone is forced white, whatever is near it. */
    draw_qr(out, &l->qr);
    return BK_OK;
fail:
    slip_image_free(out);
    return e;
}

bk_err slip_qr_image(const slip_qr *q, int module_px, slip_image *out)
{
    memset(out, 0, sizeof *out);
    if (!q || q->modules <= 0 || module_px < 1 || module_px > 64) return BK_ERR_INVALID;
    out->qr = *q;
    out->qr.module = module_px;
    out->qr.size = (q->modules + 2 * SLIP_QR_QUIET) * module_px;
    out->qr.x = out->qr.y = 0;
    out->width = out->height = out->qr.size;
    out->gray = malloc((size_t)out->width * (size_t)out->height);
    if (!out->gray) return BK_ERR_NOMEM;
    draw_qr(out, &out->qr);
    return BK_OK;
}

bk_err slip_make(slip_fonts *f, const i18n *t, const slip_info *info, int paper_mm,
                 slip_layout *scratch, slip_image *out)
{
    bk_err e = slip_layout_build(f, t, info, paper_mm, scratch);
    if (e) {
        memset(out, 0, sizeof *out);
        return e;
    }
    return slip_render(f, scratch, out);
}

bk_err slip_image_rgba(const slip_image *im, uint8_t **out)
{
    size_t n = (size_t)im->width * (size_t)im->height;
    uint8_t *p = malloc(n > 0 ? n * 4 : 1);
    *out = NULL;
    if (!p) return BK_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        p[4 * i] = p[4 * i + 1] = p[4 * i + 2] = im->gray[i];
        p[4 * i + 3] = 255;
    }
    *out = p;
    return BK_OK;
}

SDL_Surface *slip_image_surface(const slip_image *im)
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, im->width, im->height, 32, SDL_PIXELFORMAT_RGBA32);
    if (!s) return NULL;
    if (SDL_MUSTLOCK(s) && SDL_LockSurface(s) != 0) {
        SDL_FreeSurface(s);
        return NULL;
    }
    for (int r = 0; r < im->height; r++) {
        uint8_t *d = (uint8_t *)s->pixels + (size_t)r * (size_t)s->pitch;
        const uint8_t *g = im->gray + (size_t)r * (size_t)im->width;
        for (int c = 0; c < im->width; c++) {
            d[4 * c] = d[4 * c + 1] = d[4 * c + 2] = g[c];
            d[4 * c + 3] = 255;
        }
    }
    if (SDL_MUSTLOCK(s)) SDL_UnlockSurface(s);
    return s;
}
