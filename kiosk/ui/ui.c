/* ui.c — window, fonts, caches, widgets and input of the toolkit (ui.h). */
#include "ui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- theme ------------------------------------------------------------ */

static SDL_Color rgb(unsigned v)
{
    SDL_Color c = {(Uint8)(v >> 16), (Uint8)(v >> 8), (Uint8)v, 255};
    return c;
}

static void theme_default(ui_theme *t)
{
    t->bg = rgb(0x0E2239); /* deep navy: white text is 15:1 */
    t->header = rgb(0x081627);
    t->panel = rgb(0x17324F);
    t->panel_line = rgb(0x2F5277);
    t->text = rgb(0xFFFFFF);
    t->text_dim = rgb(0xC6D4E6);
    t->accent = rgb(0xFFC629); /* yellow: the one thing to press */
    t->accent_text = rgb(0x101010);
    t->key = rgb(0xF4F7FB);
    t->key_text = rgb(0x0E2239);
    t->key_pressed = rgb(0xB9C7D8);
    t->quiet_line = rgb(0x9DB3CC);
    t->warn = rgb(0xFFB02E);
    t->ok = rgb(0x3DD68C);
    t->disabled = rgb(0x4A5E75);
    t->disabled_text = rgb(0xA9B6C6);
    t->overlay = (SDL_Color){0x05, 0x0F, 0x1C, 200};
}

/* ---- small helpers ---------------------------------------------------- */

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static uint64_t hash_key(const char *text, int a, int b, int c, int d)
{
    uint64_t h = 14695981039346656037ull;
    h = fnv(text, strlen(text), h);
    int v[4] = {a, b, c, d};
    return fnv(v, sizeof v, h);
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

int ui_px(const ui_ctx *ui, float design)
{
    int v = (int)lroundf(design * ui->u);
    return v < 1 ? 1 : v;
}

int ui_fpx(const ui_ctx *ui, float design)
{
    float t = (ui->u - 0.4f) / 0.5f; /* 0 at 800x480, 1 from 1728x972 up */
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    float boost = 1.3f - 0.3f * t;
    int v = (int)lroundf(design * ui->u * boost);
    return v < 6 ? 6 : v;
}

int ui_update_size(ui_ctx *ui)
{
    int pw = 0, ph = 0;
    if (SDL_GetRendererOutputSize(ui->ren, &pw, &ph) != 0 || pw <= 0 || ph <= 0) return 0;
    int sideways = ui->rotation == 90 || ui->rotation == 270;
    int w = sideways ? ph : pw, h = sideways ? pw : ph;
    if (w == ui->w && h == ui->h && pw == ui->pw && ph == ui->ph && (!ui->rotation || ui->canvas))
        return 0;
    ui->pw = pw;
    ui->ph = ph;
    ui->w = w;
    ui->h = h;
    ui->portrait = h > w;
    float u = ui->portrait ? fminf((float)w / 1080.f, (float)h / 1920.f)
                           : fminf((float)w / 1920.f, (float)h / 1080.f);
    ui->u = u > 0.05f ? u : 0.05f;
    if (ui->rotation) {
        /* a rotated screen: draw into a canvas of the logical size, shown
         * turned by ui->rotation degrees */
        if (ui->canvas) SDL_DestroyTexture(ui->canvas);
        ui->canvas =
            SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
        if (!ui->canvas) {
            SDL_Log("bapas-kiosk: no render target for rotation (%s); not rotating",
                    SDL_GetError());
            ui->rotation = 0;
            ui->w = pw;
            ui->h = ph;
            ui->portrait = ph > pw;
        }
    }
    return 1;
}

/* A point of the physical output to the logical (rotated) screen. */
static void unrotate(const ui_ctx *ui, int px, int py, int *x, int *y)
{
    switch (ui->rotation) {
    case 90:
        *x = py;
        *y = ui->pw - 1 - px;
        break;
    case 180:
        *x = ui->pw - 1 - px;
        *y = ui->ph - 1 - py;
        break;
    case 270:
        *x = ui->ph - 1 - py;
        *y = px;
        break;
    default:
        *x = px;
        *y = py;
        break;
    }
}

/* ---- fonts ------------------------------------------------------------ */

static int ladder_floor(int px);

static TTF_Font *font_get(ui_ctx *ui, ui_face face, int px)
{
    if (px > 600) px = 600;
    px = ladder_floor(px);
    int lru = -1;
    for (int i = 0; i < ui->n_fonts; i++) {
        ui_font_slot *s = &ui->fonts[i];
        if (s->face == face && s->px == px) {
            s->used = ui->frame;
            return s->f;
        }
        if (lru < 0 || s->used < ui->fonts[lru].used) lru = i;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(ui->font_data[face], (int)ui->font_len[face]);
    if (!rw) return NULL;
    TTF_Font *f = TTF_OpenFontRW(rw, 1, px);
    if (!f) return NULL;
    ui_font_slot *slot;
    if (ui->n_fonts < UI_MAX_FONTS) {
        slot = &ui->fonts[ui->n_fonts++];
    } else {
        slot = &ui->fonts[lru];
        TTF_CloseFont(slot->f);
    }
    slot->face = face;
    slot->px = px;
    slot->f = f;
    slot->used = ui->frame;
    return f;
}

/* ---- texture cache ---------------------------------------------------- */

static ui_tex_entry *tex_slot(ui_ctx *ui)
{
    ui_tex_entry *best = NULL;
    for (int i = 0; i < UI_TEX_CACHE; i++) {
        ui_tex_entry *e = &ui->tex[i];
        if (!e->text) return e;
        if (!best || e->used < best->used) best = e;
    }
    /* never evict something drawn in this frame: grow-less cache, so only
     * the oldest is taken; a frame with more than UI_TEX_CACHE strings just
     * re-creates textures */
    ui->tex_bytes -= (size_t)best->w * (size_t)best->h * 4;
    SDL_DestroyTexture(best->tex);
    free(best->text);
    memset(best, 0, sizeof *best);
    return best;
}

/* Keep the cached textures under UI_TEX_BUDGET bytes: drop the least
 * recently used ones that the current frame has not drawn. */
static void tex_trim(ui_ctx *ui)
{
    while (ui->tex_bytes > UI_TEX_BUDGET) {
        ui_tex_entry *best = NULL;
        for (int i = 0; i < UI_TEX_CACHE; i++) {
            ui_tex_entry *e = &ui->tex[i];
            if (e->text && e->used < ui->frame && (!best || e->used < best->used)) best = e;
        }
        if (!best) return;
        ui->tex_bytes -= (size_t)best->w * (size_t)best->h * 4;
        SDL_DestroyTexture(best->tex);
        free(best->text);
        memset(best, 0, sizeof *best);
    }
}

static Uint32 pack(SDL_Color c)
{
    return ((Uint32)c.r << 16) | ((Uint32)c.g << 8) | c.b; /* alpha: a texture alpha mod */
}

/* kind: 0 text, 1 icon, 2 disc. For text, face/px; icon: px = size, face =
 * icon id. Textures are made in their final colour (rgb): changing a
 * texture's colour mod makes the software renderer rebuild its blit map on
 * every draw, which costs more than the blit. */
static ui_tex_entry *tex_find(ui_ctx *ui, int kind, const char *text, int face, int px, Uint32 rgb)
{
    uint64_t h = hash_key(text, kind, face, px, (int)rgb);
    for (int i = 0; i < UI_TEX_CACHE; i++) {
        ui_tex_entry *e = &ui->tex[i];
        if (e->text && e->hash == h && (int)e->face == face && e->px == px && e->rgb == rgb &&
            strcmp(e->text, text) == 0) {
            e->used = ui->frame;
            return e;
        }
    }
    return NULL;
}

static ui_tex_entry *tex_put(ui_ctx *ui, int kind, const char *text, int face, int px, Uint32 rgb,
                             SDL_Surface *s)
{
    if (!s) return NULL;
    SDL_Texture *t = SDL_CreateTextureFromSurface(ui->ren, s);
    int w = s->w, h = s->h;
    SDL_FreeSurface(s);
    if (!t) return NULL;
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    char *copy = dupstr(text);
    if (!copy) {
        SDL_DestroyTexture(t);
        return NULL;
    }
    ui_tex_entry *e = tex_slot(ui);
    e->hash = hash_key(text, kind, face, px, (int)rgb);
    e->text = copy;
    e->face = (ui_face)face;
    e->px = px;
    e->rgb = rgb;
    e->amod = 255;
    e->tex = t;
    e->w = w;
    e->h = h;
    e->used = ui->frame;
    ui->tex_bytes += (size_t)w * (size_t)h * 4;
    ui->tex_made++;
    tex_trim(ui);
    return e;
}

/* Apply an alpha only when it changes (see tex_find). */
static void tex_alpha(ui_tex_entry *e, Uint8 a)
{
    if (e->amod != a) {
        SDL_SetTextureAlphaMod(e->tex, a);
        e->amod = a;
    }
}

/* A white-with-alpha surface tinted to rgb in place. */
static SDL_Surface *tint(SDL_Surface *s, Uint32 rgb)
{
    if (!s || s->format->format != SDL_PIXELFORMAT_ARGB8888) return s;
    for (int y = 0; y < s->h; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < s->w; x++)
            row[x] = (row[x] & 0xFF000000u) | rgb;
    }
    return s;
}

static ui_tex_entry *text_tex(ui_ctx *ui, ui_face face, int px, const char *text, SDL_Color c)
{
    Uint32 rgb = pack(c);
    ui_tex_entry *e = tex_find(ui, 0, text, (int)face, px, rgb);
    if (e) return e;
    TTF_Font *f = font_get(ui, face, px);
    if (!f || !*text) return NULL;
    SDL_Color solid = {c.r, c.g, c.b, 255};
    return tex_put(ui, 0, text, (int)face, px, rgb, TTF_RenderUTF8_Blended(f, text, solid));
}

void ui_text_size(ui_ctx *ui, ui_face face, int px, const char *text, int *w, int *h)
{
    TTF_Font *f = font_get(ui, face, px);
    int tw = 0, th = 0;
    if (f) {
        if (!*text || TTF_SizeUTF8(f, text, &tw, &th) != 0) {
            tw = 0;
            th = TTF_FontHeight(f);
        }
    }
    if (w) *w = tw;
    if (h) *h = th;
}

/* ---- discs and rounded shapes ----------------------------------------- */

static SDL_Surface *disc_surface(int r)
{
    int d = 2 * r;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, d, d, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) return NULL;
    for (int y = 0; y < d; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < d; x++) {
            /* 4x4 supersampling for a smooth edge */
            int in = 0;
            for (int sy = 0; sy < 4; sy++)
                for (int sx = 0; sx < 4; sx++) {
                    float fx = (float)x + ((float)sx + 0.5f) / 4.f - (float)r,
                          fy = (float)y + ((float)sy + 0.5f) / 4.f - (float)r;
                    in += fx * fx + fy * fy <= (float)r * (float)r;
                }
            Uint32 a = (Uint32)(in * 255 / 16);
            row[x] = (a << 24) | 0xFFFFFFu;
        }
    }
    return s;
}

static ui_tex_entry *disc_tex(ui_ctx *ui, int r, SDL_Color c)
{
    if (r < 1) r = 1;
    if (r > 512) r = 512;
    Uint32 rgb = pack(c);
    ui_tex_entry *e = tex_find(ui, 2, "#disc", 0, r, rgb);
    if (!e) e = tex_put(ui, 2, "#disc", 0, r, rgb, tint(disc_surface(r), rgb));
    if (e) tex_alpha(e, c.a);
    return e;
}

static void set_draw(ui_ctx *ui, SDL_Color c)
{
    SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
    SDL_SetRenderDrawBlendMode(ui->ren, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
}

void ui_clear(ui_ctx *ui, SDL_Color c)
{
    SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, 255);
    SDL_RenderClear(ui->ren);
}

void ui_fill(ui_ctx *ui, SDL_Rect r, SDL_Color c)
{
    if (r.w <= 0 || r.h <= 0) return;
    set_draw(ui, c);
    SDL_RenderFillRect(ui->ren, &r);
}

void ui_disc(ui_ctx *ui, int cx, int cy, int r, SDL_Color c)
{
    ui_tex_entry *e = disc_tex(ui, r, c);
    if (!e) return;
    SDL_Rect d = {cx - r, cy - r, 2 * r, 2 * r};
    SDL_RenderCopy(ui->ren, e->tex, NULL, &d);
}

void ui_round_rect(ui_ctx *ui, SDL_Rect r, int radius, SDL_Color c)
{
    if (r.w <= 0 || r.h <= 0) return;
    int rad = radius;
    if (rad * 2 > r.w) rad = r.w / 2;
    if (rad * 2 > r.h) rad = r.h / 2;
    if (rad < 1) {
        ui_fill(ui, r, c);
        return;
    }
    ui_tex_entry *e = disc_tex(ui, rad, c);
    if (!e) {
        ui_fill(ui, r, c);
        return;
    }
    SDL_Rect q[4][2] = {
        {{0, 0, rad, rad}, {r.x, r.y, rad, rad}},
        {{rad, 0, rad, rad}, {r.x + r.w - rad, r.y, rad, rad}},
        {{0, rad, rad, rad}, {r.x, r.y + r.h - rad, rad, rad}},
        {{rad, rad, rad, rad}, {r.x + r.w - rad, r.y + r.h - rad, rad, rad}},
    };
    for (int i = 0; i < 4; i++)
        SDL_RenderCopy(ui->ren, e->tex, &q[i][0], &q[i][1]);
    set_draw(ui, c);
    SDL_Rect mid = {r.x + rad, r.y, r.w - 2 * rad, r.h};
    SDL_Rect left = {r.x, r.y + rad, rad, r.h - 2 * rad};
    SDL_Rect right = {r.x + r.w - rad, r.y + rad, rad, r.h - 2 * rad};
    if (mid.w > 0) SDL_RenderFillRect(ui->ren, &mid);
    if (left.h > 0) {
        SDL_RenderFillRect(ui->ren, &left);
        SDL_RenderFillRect(ui->ren, &right);
    }
}

void ui_round_frame(ui_ctx *ui, SDL_Rect r, int radius, int thickness, SDL_Color line,
                    SDL_Color inside)
{
    ui_round_rect(ui, r, radius, line);
    SDL_Rect in = ui_inset(r, thickness, thickness);
    ui_round_rect(ui, in, radius - thickness > 0 ? radius - thickness : 0, inside);
}

void ui_spinner(ui_ctx *ui, SDL_Rect box, uint64_t phase_ms, SDL_Color c)
{
    int n = 10;
    int R = (box.w < box.h ? box.w : box.h) / 2;
    int dot = R / 5 > 2 ? R / 5 : 2;
    int lead = (int)((phase_ms / 90) % (uint64_t)n);
    for (int i = 0; i < n; i++) {
        double a = 2 * M_PI * i / n - M_PI / 2;
        int cx = box.x + box.w / 2 + (int)lround(cos(a) * (R - dot));
        int cy = box.y + box.h / 2 + (int)lround(sin(a) * (R - dot));
        int age = (lead - i + n) % n;
        SDL_Color k = c;
        k.a = (Uint8)(255 - age * 22);
        ui_disc(ui, cx, cy, dot, k);
    }
}

/* ---- icons (drawn by icon.c into surfaces, cached here) --------------- */

SDL_Surface *ui_icon_surface(ui_icon icon, int size); /* ui_icons.c */

void ui_icon_draw(ui_ctx *ui, ui_icon icon, SDL_Rect box, SDL_Color c)
{
    if (icon <= UI_ICON_NONE || icon >= UI__ICONS) return;
    int s = box.w < box.h ? box.w : box.h;
    if (s < 4) return;
    Uint32 rgb = pack(c);
    ui_tex_entry *e = tex_find(ui, 1, "#icon", (int)icon, s, rgb);
    if (!e) e = tex_put(ui, 1, "#icon", (int)icon, s, rgb, tint(ui_icon_surface(icon, s), rgb));
    if (!e) return;
    tex_alpha(e, c.a);
    SDL_Rect d = ui_center(box, s, s);
    SDL_RenderCopy(ui->ren, e->tex, NULL, &d);
}

/* ---- text fitting ----------------------------------------------------- */

/* Font sizes come from a ladder (each step ~7 % smaller), so the fonts a
 * screen needs stay few whatever the window size. */
static int ladder_floor(int px)
{
    int best = 6;
    for (double v = 6; v <= 700; v *= 1.07) {
        int s = (int)lround(v);
        if (s <= px)
            best = s;
        else
            break;
    }
    return best;
}

static int ladder_prev(int px)
{
    return px <= 6 ? 6 : ladder_floor(px - 1);
}

/* Measuring a substring: with the real font at a size, or estimated from the
 * reference size (widths scale almost linearly; the real font confirms). */
typedef struct measurer {
    ui_ctx *ui;
    TTF_Font *f; /* real font, or the reference font when est */
    int est;
    int px;
} measurer;

#define UI_REF_PX 100

static int measure(const measurer *m, const char *s, int n)
{
    char buf[1024];
    if (n <= 0) return 0;
    if (n >= (int)sizeof buf) n = (int)sizeof buf - 1;
    memcpy(buf, s, (size_t)n);
    buf[n] = 0;
    int w = 0, h = 0;
    if (!m->f || TTF_SizeUTF8(m->f, buf, &w, &h) != 0) return 0;
    if (m->est) w = (int)ceil(w * (double)m->px / UI_REF_PX * 1.02) + 1;
    return w;
}

static int line_height(const measurer *m)
{
    int fh = m->f ? TTF_FontHeight(m->f) : m->px;
    return m->est ? (int)ceil(fh * (double)m->px / UI_REF_PX) : fh;
}

/* Greedy word wrap of text into lines no wider than bw. Returns 0 if a word
 * alone is wider than bw or there are more than max lines (out->n_lines
 * then holds the lines laid out so far). */
static int wrap(const measurer *m, const char *text, int bw, int max, ui_fit_entry *out)
{
    int n = 0, ok = 1;
    const char *p = text;
    while (*p) {
        /* one paragraph up to '\n' */
        const char *end = strchr(p, '\n');
        if (!end) end = p + strlen(p);
        const char *ls = p; /* line start */
        while (ls < end && *ls == ' ')
            ls++;
        if (ls == end) { /* empty line */
            if (n >= max) {
                out->n_lines = n;
                return 0;
            }
            out->line_start[n] = (int)(ls - text);
            out->line_len[n] = 0;
            out->line_w[n] = 0;
            n++;
        }
        while (ls < end) {
            /* extend word by word */
            const char *best = NULL;
            int best_w = 0;
            const char *q = ls;
            while (q < end) {
                const char *we = q;
                while (we < end && *we != ' ')
                    we++;
                int w = measure(m, ls, (int)(we - ls));
                if (w <= bw || !best) {
                    if (w > bw) ok = 0; /* a single word too wide */
                    best = we;
                    best_w = w;
                    if (w > bw) break;
                } else {
                    break;
                }
                q = we;
                while (q < end && *q == ' ')
                    q++;
            }
            if (n >= max) {
                out->n_lines = n;
                return 0;
            }
            out->line_start[n] = (int)(ls - text);
            out->line_len[n] = (int)(best - ls);
            out->line_w[n] = best_w;
            n++;
            ls = best;
            while (ls < end && *ls == ' ')
                ls++;
        }
        p = *end ? end + 1 : end;
    }
    out->n_lines = n;
    return ok;
}

/* Lay text out at px; 1 if it fits the box. */
static int try_fit(ui_ctx *ui, const char *text, ui_face face, int px, int est, SDL_Rect box,
                   int max_lines, float gap, ui_fit_entry *slot)
{
    measurer m = {ui, est ? ui->ref_font[face] : font_get(ui, face, px), est, px};
    if (!m.f) return 0;
    int fh = line_height(&m);
    int lh = fh + (int)lroundf((float)fh * gap);
    int ok = wrap(&m, text, box.w, max_lines, slot);
    slot->line_h = lh;
    slot->total_h = slot->n_lines ? slot->n_lines * lh - (lh - fh) : 0;
    return ok && slot->total_h <= box.h;
}

static ui_fit_entry *fit_text(ui_ctx *ui, SDL_Rect box, const char *text, const ui_text_style *st)
{
    int want = ladder_floor(st->px);
    int min_px = st->min_px > 0 ? st->min_px : (int)((float)st->px * 0.45f);
    if (min_px < 9) min_px = 9;
    min_px = ladder_floor(min_px);
    if (min_px > want) min_px = want;
    int max_lines = st->max_lines > 0 ? st->max_lines : UI_FIT_MAX_LINES;
    if (max_lines > UI_FIT_MAX_LINES) max_lines = UI_FIT_MAX_LINES;
    float gap = st->line_gap > 0 ? st->line_gap : 0.12f;
    int gap_key = (int)(gap * 1000);
    uint64_t h = hash_key(text, (int)st->face * 100000 + want, min_px * 1000 + max_lines, box.w,
                          box.h ^ (gap_key << 16));
    ui_fit_entry *slot = NULL;
    for (int i = 0; i < UI_FIT_CACHE; i++) {
        ui_fit_entry *e = &ui->fit[i];
        if (e->text && e->hash == h && e->face == st->face && e->px == want &&
            e->min_px == min_px && e->bw == box.w && e->bh == box.h && e->max_lines == max_lines &&
            e->line_gap == gap && strcmp(e->text, text) == 0) {
            e->used = ui->frame;
            return e;
        }
        if (!e->text) {
            if (!slot || slot->text) slot = e; /* prefer an empty slot */
        } else if (!slot || (slot->text && e->used < slot->used)) {
            slot = e; /* else the least recently used */
        }
    }
    free(slot->text);
    memset(slot, 0, sizeof *slot);
    slot->text = dupstr(text);
    if (!slot->text) return NULL;
    slot->hash = h;
    slot->face = st->face;
    slot->px = want;
    slot->min_px = min_px;
    slot->bw = box.w;
    slot->bh = box.h;
    slot->max_lines = max_lines;
    slot->line_gap = gap;
    slot->used = ui->frame;

    /* estimate the largest size that fits from the reference font, then
     * confirm (stepping down) with the real one: few fonts ever opened */
    int px = want;
    while (px > min_px && !try_fit(ui, text, st->face, px, 1, box, max_lines, gap, slot))
        px = ladder_prev(px);
    for (;;) {
        if (try_fit(ui, text, st->face, px, 0, box, max_lines, gap, slot)) {
            slot->fit_px = px;
            break;
        }
        if (px <= min_px) {
            slot->fit_px = px; /* give up: keep the smallest layout, clipped */
            slot->overflow = 1;
            break;
        }
        px = ladder_prev(px);
    }
    return slot;
}

int ui_text(ui_ctx *ui, SDL_Rect box, const char *text, const ui_text_style *st)
{
    if (!text || !*text || box.w <= 0 || box.h <= 0) return 0;
    ui_fit_entry *e = fit_text(ui, box, text, st);
    if (!e) return 0;
    if (e->overflow) {
        ui->overflow++;
        snprintf(ui->overflow_text, sizeof ui->overflow_text, "%s", text);
        SDL_RenderSetClipRect(ui->ren, &box);
    }
    int y = box.y;
    if (st->valign == UI_MIDDLE)
        y += (box.h - e->total_h) / 2;
    else if (st->valign == UI_BOTTOM)
        y += box.h - e->total_h;
    char buf[1024];
    for (int i = 0; i < e->n_lines; i++, y += e->line_h) {
        int n = e->line_len[i];
        if (n <= 0) continue;
        if (n >= (int)sizeof buf) n = (int)sizeof buf - 1;
        memcpy(buf, text + e->line_start[i], (size_t)n);
        buf[n] = 0;
        ui_tex_entry *t = text_tex(ui, st->face, e->fit_px, buf, st->color);
        if (!t) continue;
        int x = box.x;
        if (st->align == UI_CENTER)
            x += (box.w - t->w) / 2;
        else if (st->align == UI_RIGHT)
            x += box.w - t->w;
        tex_alpha(t, st->color.a);
        SDL_Rect d = {x, y, t->w, t->h};
        SDL_RenderCopy(ui->ren, t->tex, NULL, &d);
    }
    if (e->overflow) SDL_RenderSetClipRect(ui->ren, NULL);
    return e->total_h;
}

/* ---- layout ----------------------------------------------------------- */

SDL_Rect ui_cut_top(SDL_Rect *r, int h)
{
    if (h > r->h) h = r->h;
    if (h < 0) h = 0;
    SDL_Rect o = {r->x, r->y, r->w, h};
    r->y += h;
    r->h -= h;
    return o;
}

SDL_Rect ui_cut_bottom(SDL_Rect *r, int h)
{
    if (h > r->h) h = r->h;
    if (h < 0) h = 0;
    SDL_Rect o = {r->x, r->y + r->h - h, r->w, h};
    r->h -= h;
    return o;
}

SDL_Rect ui_cut_left(SDL_Rect *r, int w)
{
    if (w > r->w) w = r->w;
    if (w < 0) w = 0;
    SDL_Rect o = {r->x, r->y, w, r->h};
    r->x += w;
    r->w -= w;
    return o;
}

SDL_Rect ui_cut_right(SDL_Rect *r, int w)
{
    if (w > r->w) w = r->w;
    if (w < 0) w = 0;
    SDL_Rect o = {r->x + r->w - w, r->y, w, r->h};
    r->w -= w;
    return o;
}

SDL_Rect ui_inset(SDL_Rect r, int dx, int dy)
{
    SDL_Rect o = {r.x + dx, r.y + dy, r.w - 2 * dx, r.h - 2 * dy};
    if (o.w < 0) o.w = 0;
    if (o.h < 0) o.h = 0;
    return o;
}

SDL_Rect ui_cell(SDL_Rect r, int cols, int rows, int col, int row, int gap)
{
    int cw = (r.w - gap * (cols - 1)) / cols;
    int ch = (r.h - gap * (rows - 1)) / rows;
    SDL_Rect o = {r.x + col * (cw + gap), r.y + row * (ch + gap), cw, ch};
    return o;
}

SDL_Rect ui_center(SDL_Rect r, int w, int h)
{
    if (w > r.w) w = r.w;
    if (h > r.h) h = r.h;
    SDL_Rect o = {r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h};
    return o;
}

/* ---- frames and widgets ----------------------------------------------- */

static int last_idx(const ui_ctx *ui)
{
    return ui->cur ^ 1;
}

void ui_frame_begin(ui_ctx *ui)
{
    if (ui->rotation && ui->canvas) SDL_SetRenderTarget(ui->ren, ui->canvas);
    ui->frame++;
    ui->n_widgets[ui->cur] = 0;
    ui->overflow = 0;
    ui->overflow_text[0] = 0;
    ui->in_frame = 1;
    ui->click_consumed = 0;
}

int ui_frame_end(ui_ctx *ui)
{
    ui->in_frame = 0;
    ui->cur ^= 1; /* the frame just built becomes the "last" one */
    int consumed = ui->click_consumed;
    if (!consumed) ui->clicked[0] = 0; /* the widget is gone: drop the click */
    ui->click_consumed = 0;
    return consumed;
}

void ui_present(ui_ctx *ui)
{
    if (ui->rotation && ui->canvas) {
        SDL_SetRenderTarget(ui->ren, NULL);
        SDL_SetRenderDrawColor(ui->ren, 0, 0, 0, 255);
        SDL_RenderClear(ui->ren);
        SDL_Rect d = {(ui->pw - ui->w) / 2, (ui->ph - ui->h) / 2, ui->w, ui->h};
        SDL_RenderCopyEx(ui->ren, ui->canvas, NULL, &d, ui->rotation, NULL, SDL_FLIP_NONE);
    }
    SDL_RenderPresent(ui->ren);
}

static void label_copy(char *dst, size_t sz, const char *src)
{
    size_t j = 0;
    for (size_t i = 0; src && src[i] && j + 1 < sz; i++) {
        char c = src[i];
        dst[j++] = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
    }
    dst[j] = 0;
}

void ui_widget_add(ui_ctx *ui, const char *id, const char *label, SDL_Rect r, int enabled)
{
    int i = ui->n_widgets[ui->cur];
    if (i >= UI_MAX_WIDGETS) return;
    ui_widget *w = &ui->widgets[ui->cur][i];
    snprintf(w->id, sizeof w->id, "%s", id);
    label_copy(w->label, sizeof w->label, label);
    w->r = r;
    w->enabled = enabled;
    w->info = 0;
    ui->n_widgets[ui->cur] = i + 1;
}

void ui_info(ui_ctx *ui, const char *id, const char *text, SDL_Rect r)
{
    ui_widget_add(ui, id, text ? text : "", r, 0);
    int i = ui->n_widgets[ui->cur];
    if (i > 0 && strcmp(ui->widgets[ui->cur][i - 1].id, id) == 0)
        ui->widgets[ui->cur][i - 1].info = 1;
}

const ui_widget *ui_widget_find(const ui_ctx *ui, const char *id)
{
    int li = last_idx(ui);
    for (int i = 0; i < ui->n_widgets[li]; i++)
        if (strcmp(ui->widgets[li][i].id, id) == 0) return &ui->widgets[li][i];
    return NULL;
}

static const ui_widget *hit(const ui_ctx *ui, int x, int y)
{
    int li = last_idx(ui);
    /* later widgets are drawn on top: search backwards */
    for (int i = ui->n_widgets[li] - 1; i >= 0; i--) {
        const ui_widget *w = &ui->widgets[li][i];
        SDL_Point p = {x, y};
        if (!w->info && SDL_PointInRect(&p, &w->r)) return w;
    }
    return NULL;
}

int ui_button(ui_ctx *ui, const char *id, const char *label, SDL_Rect r, ui_btn_kind kind,
              ui_icon icon, int enabled)
{
    return ui_button_px(ui, id, label, r, kind, icon, enabled, 0);
}

int ui_button_px(ui_ctx *ui, const char *id, const char *label, SDL_Rect r, ui_btn_kind kind,
                 ui_icon icon, int enabled, int label_px)
{
    ui_widget_add(ui, id, label, r, enabled);
    int pressed = enabled && ui->pointer_down && strcmp(ui->active, id) == 0;
    int clicked = 0;
    if (ui->clicked[0] && strcmp(ui->clicked, id) == 0) {
        ui->clicked[0] = 0;
        if (enabled) {
            clicked = 1;
            ui->click_consumed = 1;
        }
    }
    const ui_theme *t = &ui->th;
    SDL_Color bg, fg, line = {0, 0, 0, 0};
    int outline = 0;
    switch (kind) {
    case UI_BTN_PRIMARY:
        bg = t->accent;
        fg = t->accent_text;
        break;
    case UI_BTN_QUIET:
        bg = t->bg;
        fg = t->text;
        line = t->quiet_line;
        outline = 1;
        break;
    case UI_BTN_CHOICE:
    case UI_BTN_KEY:
    case UI_BTN_SECONDARY:
    default:
        bg = t->key;
        fg = t->key_text;
        break;
    }
    if (!enabled) {
        bg = outline ? t->bg : t->disabled;
        fg = t->disabled_text;
        line = t->disabled;
    } else if (pressed) {
        if (kind == UI_BTN_PRIMARY)
            bg = (SDL_Color){0xD9, 0xA2, 0x0C, 255};
        else if (outline)
            bg = t->panel;
        else
            bg = t->key_pressed;
    }
    int sh = ui_px(ui, 6);
    int rad = ui_px(ui, 18);
    if (rad > r.h / 4) rad = r.h / 4;
    SDL_Rect face = r;
    if (pressed) { /* pushed in: the face moves down onto its shadow */
        face.y += sh;
        face.h -= sh;
    } else if (enabled && !outline) {
        /* only the strip that shows under the face: less to fill */
        int stripe = 2 * rad + sh;
        if (stripe > r.h) stripe = r.h;
        SDL_Rect shadow = {r.x, r.y + r.h - stripe, r.w, stripe};
        /* opaque (pre-blended onto the background): no per-pixel blending */
        SDL_Color sc = {(Uint8)(t->bg.r * 45 / 100), (Uint8)(t->bg.g * 45 / 100),
                        (Uint8)(t->bg.b * 45 / 100), 255};
        ui_round_rect(ui, shadow, rad, sc);
        face.h -= sh;
    }
    if (outline)
        ui_round_frame(ui, face, rad, ui_px(ui, 4) > 2 ? ui_px(ui, 4) : 2, line, bg);
    else
        ui_round_rect(ui, face, rad, bg);

    SDL_Rect in = ui_inset(face, ui_px(ui, 16), ui_px(ui, 8));
    ui_text_style ts = {.face = UI_BOLD, .color = fg, .align = UI_CENTER, .valign = UI_MIDDLE};
    if (kind == UI_BTN_CHOICE) {
        SDL_Color ic = enabled ? (SDL_Color){0x0B, 0x5C, 0xAD, 255} : fg;
        int ih = in.h * 55 / 100;
        SDL_Rect ib = ui_cut_top(&in, ih);
        ui_icon_draw(ui, icon, ui_inset(ib, 0, ui_px(ui, 6)), ic);
        ts.px = label_px ? label_px : ui_fpx(ui, 46);
        ts.max_lines = 2;
        ui_text(ui, in, label, &ts);
    } else if (kind == UI_BTN_KEY) {
        if (icon != UI_ICON_NONE) {
            SDL_Rect ib = ui_cut_top(&in, in.h * 58 / 100);
            ui_icon_draw(ui, icon, ib, fg);
            ts.px = label_px ? label_px : ui_fpx(ui, 32);
            ts.max_lines = 1;
            ui_text(ui, in, label, &ts);
        } else {
            ts.px = (int)((float)face.h * 0.45f);
            if (ts.px > ui_fpx(ui, 84)) ts.px = ui_fpx(ui, 84);
            if (label_px) ts.px = label_px;
            ts.max_lines = 1;
            ui_text(ui, in, label, &ts);
        }
    } else {
        ts.px = (int)((float)face.h * 0.40f);
        if (ts.px > ui_fpx(ui, 52)) ts.px = ui_fpx(ui, 52);
        if (label_px) ts.px = label_px;
        if (icon != UI_ICON_NONE) {
            int is = ts.px + ts.px / 3;
            SDL_Rect ib = ui_cut_left(&in, is);
            ui_icon_draw(ui, icon, ui_center(ib, is, is), fg);
            ui_cut_left(&in, ui_px(ui, 10));
        }
        ts.max_lines = 2;
        ui_text(ui, in, label, &ts);
    }
    return clicked;
}

/* ---- input ------------------------------------------------------------ */

int ui_pointer_event(ui_ctx *ui, const SDL_Event *ev, int *px, int *py, int *pdown)
{
    int x = 0, y = 0, down = -1, redraw = 0;
    switch (ev->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
        unrotate(ui, (int)(ev->tfinger.x * (float)ui->pw), (int)(ev->tfinger.y * (float)ui->ph), &x,
                 &y);
        if (ev->type == SDL_FINGERDOWN) {
            if (ui->pointer_down) goto ignore; /* a second finger: only the first one presses */
            ui->finger = ev->tfinger.fingerId;
            ui->finger_is_touch = 1;
            down = 1;
        } else if (ev->type == SDL_FINGERUP) {
            if (!ui->pointer_down || !ui->finger_is_touch || ev->tfinger.fingerId != ui->finger)
                goto ignore;
            down = 0;
        }
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEMOTION: {
        /* synthetic mouse events from a touch screen: the finger events
         * already did it */
        Uint32 which = ev->type == SDL_MOUSEMOTION ? ev->motion.which : ev->button.which;
        if (which == SDL_TOUCH_MOUSEID) goto ignore;
        int wx = ev->type == SDL_MOUSEMOTION ? ev->motion.x : ev->button.x;
        int wy = ev->type == SDL_MOUSEMOTION ? ev->motion.y : ev->button.y;
        int ww = 1, wh = 1;
        SDL_GetWindowSize(ui->win, &ww, &wh);
        unrotate(ui, ww > 0 ? wx * ui->pw / ww : wx, wh > 0 ? wy * ui->ph / wh : wy, &x, &y);
        if (ev->type != SDL_MOUSEMOTION && ev->button.button != SDL_BUTTON_LEFT) goto ignore;
        if (ev->type == SDL_MOUSEBUTTONDOWN) {
            if (ui->pointer_down) goto ignore;
            ui->finger_is_touch = 0;
            down = 1;
        } else if (ev->type == SDL_MOUSEBUTTONUP) {
            if (!ui->pointer_down || ui->finger_is_touch) goto ignore;
            down = 0;
        }
        break;
    }
    default:
        goto ignore;
    }
    if (down == 1) {
        const ui_widget *w = hit(ui, x, y);
        ui->pointer_down = 1;
        snprintf(ui->active, sizeof ui->active, "%s", w && w->enabled ? w->id : "");
        redraw = ui->active[0] != 0;
    } else if (down == 0) {
        const ui_widget *w = hit(ui, x, y);
        if (ui->active[0] && w && w->enabled && strcmp(w->id, ui->active) == 0) {
            snprintf(ui->clicked, sizeof ui->clicked, "%s", w->id);
            ui_play_click(ui);
        }
        redraw = ui->active[0] != 0;
        ui->active[0] = 0;
        ui->pointer_down = 0;
    } else if (ui->pointer_down && ui->active[0]) {
        /* sliding off a pressed button cancels the press */
        const ui_widget *w = hit(ui, x, y);
        if (!w || strcmp(w->id, ui->active) != 0) {
            ui->active[0] = 0;
            redraw = 1;
        }
    }
    if (px) *px = x;
    if (py) *py = y;
    if (pdown) *pdown = down;
    return redraw;
ignore:
    if (pdown) *pdown = -2; /* not a pointer event the toolkit used */
    return 0;
}

bk_err ui_click(ui_ctx *ui, const char *id)
{
    const ui_widget *w = ui_widget_find(ui, id);
    if (!w || w->info) return BK_ERR_NOT_FOUND;
    if (!w->enabled) return BK_ERR_STATE;
    snprintf(ui->clicked, sizeof ui->clicked, "%s", id);
    ui_play_click(ui);
    return BK_OK;
}

void ui_dump(const ui_ctx *ui, const char *screen, FILE *out)
{
    int li = last_idx(ui);
    fprintf(out, "screen=%s\n", screen);
    for (int i = 0; i < ui->n_widgets[li]; i++) {
        const ui_widget *w = &ui->widgets[li][i];
        fprintf(out, "%s\t%s\t%d %d %d %d%s\n", w->id, w->label, w->r.x, w->r.y, w->r.w, w->r.h,
                w->info      ? "\tinfo"
                : w->enabled ? ""
                             : "\tdisabled");
    }
    fflush(out);
}

/* ---- sound ------------------------------------------------------------ */

void ui_play_click(ui_ctx *ui)
{
    if (!ui->sounds || !ui->audio || !ui->click_buf) return;
    SDL_ClearQueuedAudio(ui->audio);
    if (SDL_QueueAudio(ui->audio, ui->click_buf, ui->click_len) != 0) return;
    SDL_PauseAudioDevice(ui->audio, 0);
    ui->click_until = SDL_GetTicks64() + 250;
}

void ui_sound_idle(ui_ctx *ui)
{
    if (ui->audio && ui->click_until && SDL_GetTicks64() >= ui->click_until) {
        /* a paused device lets the audio thread sleep: no idle CPU */
        SDL_PauseAudioDevice(ui->audio, 1);
        ui->click_until = 0;
    }
}

void ui_forget_textures(ui_ctx *ui)
{
    for (int i = 0; i < UI_TEX_CACHE; i++) {
        if (ui->tex[i].tex) SDL_DestroyTexture(ui->tex[i].tex);
        free(ui->tex[i].text);
        memset(&ui->tex[i], 0, sizeof ui->tex[i]);
    }
    ui->tex_bytes = 0;
}

/* ---- open / close ----------------------------------------------------- */

static bk_err load_file(ui_ctx *ui, const char *dir, const char *rel, uint8_t **data, size_t *len)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    size_t n = 0;
    void *p = SDL_LoadFile(path, &n);
    if (!p) {
        snprintf(ui->err, sizeof ui->err, "cannot read %.180s: %.60s", path, SDL_GetError());
        return BK_ERR_NOT_FOUND;
    }
    *data = p;
    *len = n;
    return BK_OK;
}

static void open_sound(ui_ctx *ui, const char *assets)
{
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        SDL_Log("bapas-kiosk: no audio (%s); sounds off", SDL_GetError());
        return;
    }
    char path[2048];
    snprintf(path, sizeof path, "%s/sounds/click.wav", assets);
    SDL_AudioSpec spec;
    Uint8 *buf = NULL;
    Uint32 len = 0;
    if (!SDL_LoadWAV(path, &spec, &buf, &len)) {
        SDL_Log("bapas-kiosk: cannot load %s (%s); sounds off", path, SDL_GetError());
        return;
    }
    SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &spec, NULL, 0);
    if (!dev) {
        SDL_Log("bapas-kiosk: cannot open audio (%s); sounds off", SDL_GetError());
        SDL_FreeWAV(buf);
        return;
    }
    ui->audio = dev;
    ui->click_buf = buf;
    ui->click_len = len;
}

bk_err ui_open(ui_ctx *ui, const ui_open_opts *o)
{
    memset(ui, 0, sizeof *ui);
    theme_default(&ui->th);
    ui->sounds = o->sounds;
    ui->rotation = o->rotation == 90 || o->rotation == 180 || o->rotation == 270 ? o->rotation : 0;
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "1");
    SDL_SetHint(SDL_HINT_IME_SHOW_UI, "0");
    if (o->software) {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        /* present the software frame straight through the window system
         * (X11: MIT-SHM), not through an OpenGL texture: SDL's default
         * would load Mesa (llvmpipe: +100 MB, slower) just to show it */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        snprintf(ui->err, sizeof ui->err, "SDL_Init: %s", SDL_GetError());
        return BK_ERR_INTERNAL;
    }
    if (TTF_Init() != 0) {
        snprintf(ui->err, sizeof ui->err, "TTF_Init: %s", TTF_GetError());
        SDL_Quit();
        return BK_ERR_INTERNAL;
    }
    bk_err e = load_file(ui, o->assets, "fonts/NotoSans-Regular.ttf", &ui->font_data[UI_REGULAR],
                         &ui->font_len[UI_REGULAR]);
    if (!e)
        e = load_file(ui, o->assets, "fonts/NotoSans-Bold.ttf", &ui->font_data[UI_BOLD],
                      &ui->font_len[UI_BOLD]);
    if (e) goto fail;
    for (int i = 0; i < UI__FACES; i++) {
        SDL_RWops *rw = SDL_RWFromConstMem(ui->font_data[i], (int)ui->font_len[i]);
        ui->ref_font[i] = rw ? TTF_OpenFontRW(rw, 1, UI_REF_PX) : NULL;
        if (!ui->ref_font[i]) {
            snprintf(ui->err, sizeof ui->err, "cannot open the font: %.200s", TTF_GetError());
            e = BK_ERR_INTERNAL;
            goto fail;
        }
    }
    Uint32 flags = SDL_WINDOW_SHOWN;
    int w = o->width, h = o->height;
    if (w <= 0 || h <= 0) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
        w = 1280;
        h = 720;
    }
    ui->win = SDL_CreateWindow(o->title ? o->title : "bapas-kiosk", SDL_WINDOWPOS_CENTERED,
                               SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!ui->win) {
        snprintf(ui->err, sizeof ui->err, "SDL_CreateWindow: %s", SDL_GetError());
        e = BK_ERR_INTERNAL;
        goto fail;
    }
    Uint32 rflags = o->software ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED;
    if (ui->rotation) rflags |= SDL_RENDERER_TARGETTEXTURE;
    if (o->vsync) rflags |= SDL_RENDERER_PRESENTVSYNC;
    ui->ren = SDL_CreateRenderer(ui->win, -1, rflags);
    if (!ui->ren && !o->software)
        ui->ren = SDL_CreateRenderer(
            ui->win, -1, SDL_RENDERER_SOFTWARE | (ui->rotation ? SDL_RENDERER_TARGETTEXTURE : 0));
    if (!ui->ren) {
        snprintf(ui->err, sizeof ui->err, "SDL_CreateRenderer: %s", SDL_GetError());
        e = BK_ERR_INTERNAL;
        goto fail;
    }
    if (o->hide_cursor) SDL_ShowCursor(SDL_DISABLE);
    ui_update_size(ui);
    if (o->sounds) open_sound(ui, o->assets);
    return BK_OK;
fail:
    ui_close(ui);
    return e;
}

void ui_close(ui_ctx *ui)
{
    for (int i = 0; i < UI_TEX_CACHE; i++) {
        if (ui->tex[i].tex) SDL_DestroyTexture(ui->tex[i].tex);
        free(ui->tex[i].text);
    }
    for (int i = 0; i < UI_FIT_CACHE; i++)
        free(ui->fit[i].text);
    for (int i = 0; i < ui->n_fonts; i++)
        TTF_CloseFont(ui->fonts[i].f);
    ui->n_fonts = 0;
    for (int i = 0; i < UI__FACES; i++)
        if (ui->ref_font[i]) TTF_CloseFont(ui->ref_font[i]);
    if (ui->audio) SDL_CloseAudioDevice(ui->audio);
    if (ui->click_buf) SDL_FreeWAV(ui->click_buf);
    if (ui->canvas) SDL_DestroyTexture(ui->canvas);
    if (ui->ren) SDL_DestroyRenderer(ui->ren);
    if (ui->win) SDL_DestroyWindow(ui->win);
    for (int i = 0; i < UI__FACES; i++)
        SDL_free(ui->font_data[i]);
    if (TTF_WasInit()) TTF_Quit();
    SDL_Quit();
    char err[sizeof ui->err];
    memcpy(err, ui->err, sizeof err);
    memset(ui, 0, sizeof *ui);
    memcpy(ui->err, err, sizeof err);
}

/* ---- screenshot ------------------------------------------------------- */

bk_err ui_screenshot(ui_ctx *ui, const char *path)
{
    size_t stride = (size_t)ui->w * 4;
    uint8_t *px = malloc(stride * (size_t)ui->h);
    if (!px) return BK_ERR_NOMEM;
    bk_err e = BK_OK;
    if (SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_RGBA32, px, (int)stride) != 0) {
        snprintf(ui->err, sizeof ui->err, "SDL_RenderReadPixels: %s", SDL_GetError());
        e = BK_ERR_INTERNAL;
    } else {
        for (size_t i = 3; i < stride * (size_t)ui->h; i += 4)
            px[i] = 255; /* the screen is opaque */
        e = ui_png_write(path, px, ui->w, ui->h, (int)stride);
        if (e) snprintf(ui->err, sizeof ui->err, "cannot write %s", path);
    }
    free(px);
    return e;
}
