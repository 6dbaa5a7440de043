/* ui.h — the immediate-mode SDL2 toolkit shared by every screen of
 * bapas-kiosk (the kiosk today; board, reception and desk modes later).
 *
 * Model: the application keeps its own state; every frame a screen function
 * lays its widgets out from that state and draws them between
 * ui_frame_begin() and ui_frame_end(). A widget registers its id, label and
 * rectangle; the list of the last frame is what touches are hit-tested
 * against, what `dump` prints and what `tap ID` activates. A click is
 * delivered to the widget call of the next frame (it returns 1); the loop
 * re-runs a frame in which a click was consumed before presenting, so what
 * is shown always matches the state.
 *
 * Layout is resolution independent: ui_px() scales design pixels (a
 * 1920x1080 landscape or 1080x1920 portrait reference) by ui->u; screens
 * pick a portrait layout when ui->portrait. Text boxes shrink their font
 * until the text fits (ui->overflow counts boxes that could not fit even at
 * the smallest size: a test checks it stays 0). Fonts: one TTF_Font per
 * (face, pixel size), opened from one in-memory copy of each font file.
 * Text textures are cached (LRU) and re-used across frames.
 *
 * Memory: a ui_ctx is owned by the caller and released with ui_close().
 * Not thread-safe: use it from the thread that created the window.
 */
#ifndef BK_UI_H
#define BK_UI_H

#include <stdint.h>
#include <stdio.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "bkerr.h"

#define UI_ID_SZ 40
#define UI_LABEL_SZ 160
#define UI_MAX_WIDGETS 96
#define UI_MAX_FONTS 24
#define UI_TEX_CACHE 384
#define UI_TEX_BUDGET (6u << 20) /* bytes of cached text/icon textures */
#define UI_FIT_CACHE 256
#define UI_FIT_MAX_LINES 8

typedef enum ui_face { UI_REGULAR, UI_BOLD, UI__FACES } ui_face;
typedef enum ui_align { UI_LEFT, UI_CENTER, UI_RIGHT } ui_align;
typedef enum ui_valign { UI_TOP, UI_MIDDLE, UI_BOTTOM } ui_valign;

typedef enum ui_btn_kind {
    UI_BTN_PRIMARY,   /* the main action: yellow, black text */
    UI_BTN_SECONDARY, /* light button, dark text */
    UI_BTN_KEY,       /* keypad key */
    UI_BTN_QUIET,     /* outlined, on the dark background */
    UI_BTN_CHOICE,    /* large choice tile with an icon (purpose) */
} ui_btn_kind;

typedef enum ui_icon {
    UI_ICON_NONE,
    UI_ICON_REPORT,     /* clipboard with a check */
    UI_ICON_COUNSELING, /* two speech bubbles */
    UI_ICON_GROUP,      /* three people */
    UI_ICON_DRUG_TEST,  /* a test tube */
    UI_ICON_LITMAS,     /* a document and a magnifier */
    UI_ICON_OTHER,      /* three dots */
    UI_ICON_INFO,       /* "i" in a circle */
    UI_ICON_WARN,       /* "!" in a triangle */
    UI_ICON_CHECK,      /* check mark in a circle */
    UI_ICON_BACK,       /* arrow left */
    UI_ICON_DELETE,     /* backspace key */
    UI_ICON_PRINTER,    /* printer */
    UI_ICON_PERSON,     /* one person */
    UI_ICON_DOOR,       /* a door (room) */
    UI_ICON_CLOCK,      /* clock face */
    UI_ICON_CARD,       /* an ID card: photo and lines */
    UI_ICON_LETTER,     /* an envelope */
    UI_ICON_CROSS,      /* "x" in a circle (the "Tidak" answer) */
    UI__ICONS
} ui_icon;

typedef struct ui_theme {
    SDL_Color bg, header, panel, panel_line, text, text_dim, accent, accent_text, key, key_text,
        key_pressed, quiet_line, warn, ok, disabled, disabled_text, overlay;
} ui_theme;

typedef struct ui_text_style {
    ui_face face;
    int px;     /* wanted size in real pixels (use ui_px) */
    int min_px; /* smallest size before giving up; 0 = px * 0.45, at least 9 */
    SDL_Color color;
    ui_align align;
    ui_valign valign;
    int max_lines;  /* 0 = as many as fit; 1 = never wrap */
    float line_gap; /* extra line spacing as a fraction of the size; 0 = 0.12 */
} ui_text_style;

typedef struct ui_widget {
    char id[UI_ID_SZ];
    char label[UI_LABEL_SZ];
    SDL_Rect r;
    int enabled;
    int info; /* display-only text (ui_info): never hit, never tapped */
} ui_widget;

typedef struct ui_font_slot {
    ui_face face;
    int px;
    TTF_Font *f;
    uint64_t used;
} ui_font_slot;

typedef struct ui_tex_entry {
    uint64_t hash;
    char *text;
    ui_face face;
    int px;
    Uint32 rgb;       /* the colour it was made in */
    Uint8 amod;       /* its current alpha mod */
    SDL_Texture *tex; /* text, icon or disc texture */
    int w, h;
    uint64_t used; /* frame number of the last use */
} ui_tex_entry;

typedef struct ui_fit_entry {
    uint64_t hash;
    char *text;
    ui_face face;
    int px, min_px, bw, bh, max_lines;
    float line_gap;
    /* result */
    int fit_px;
    int overflow;
    int n_lines;
    int line_start[UI_FIT_MAX_LINES], line_len[UI_FIT_MAX_LINES], line_w[UI_FIT_MAX_LINES];
    int line_h; /* advance per line */
    int total_h;
    uint64_t used;
} ui_fit_entry;

typedef struct ui_open_opts {
    const char *title;
    int width, height;  /* window size; 0 = fullscreen desktop */
    int hide_cursor;    /* hide the mouse cursor (fullscreen kiosks) */
    int sounds;         /* play the click sound */
    const char *assets; /* assets directory (fonts/, sounds/) */
    int software;       /* force the software renderer */
    int rotation;       /* 0, 90, 180, 270: the panel is mounted turned (clockwise) */
    int vsync;          /* present with vsync (not under the dummy driver) */
} ui_open_opts;

typedef struct ui_ctx {
    SDL_Window *win;
    SDL_Renderer *ren;
    int w, h;            /* the (logical) screen in pixels, after rotation */
    int pw, ph;          /* the physical output */
    int rotation;        /* 0 90 180 270 */
    SDL_Texture *canvas; /* the logical screen when rotated */
    float u;             /* design pixel -> real pixel */
    int portrait;        /* h > w */
    ui_theme th;

    /* fonts */
    uint8_t *font_data[UI__FACES];
    size_t font_len[UI__FACES];
    ui_font_slot fonts[UI_MAX_FONTS];
    int n_fonts;
    TTF_Font *ref_font[UI__FACES]; /* for estimating text widths at any size */

    /* caches */
    ui_tex_entry tex[UI_TEX_CACHE];
    ui_fit_entry fit[UI_FIT_CACHE];
    size_t tex_bytes;  /* pixels held by tex[] */
    uint64_t tex_made; /* textures made so far (cache misses; --stats "tex=") */
    uint64_t frame;

    /* widgets: [cur] is being built, [!cur] is the last finished frame */
    ui_widget widgets[2][UI_MAX_WIDGETS];
    int n_widgets[2];
    int cur;
    int in_frame;

    /* input */
    char active[UI_ID_SZ];  /* widget held down */
    char clicked[UI_ID_SZ]; /* click to deliver in the next frame */
    int click_consumed;
    int pointer_down;
    SDL_FingerID finger;
    int finger_is_touch;

    /* diagnostics of the last frame */
    int overflow;
    char overflow_text[UI_LABEL_SZ];

    /* sound */
    int sounds;
    SDL_AudioDeviceID audio;
    uint8_t *click_buf;
    uint32_t click_len;
    uint64_t click_until; /* SDL_GetTicks64 when the device may be paused */

    char err[256];
} ui_ctx;

/* Open the window, renderer, fonts and sound. On failure ui->err says why
 * and everything opened so far is closed. SDL_Init must not have been
 * called for video yet; ui_open initialises video (and audio when sounds). */
bk_err ui_open(ui_ctx *ui, const ui_open_opts *o);
void ui_close(ui_ctx *ui);

/* Re-read the output size (after a resize); 1 if it changed. */
int ui_update_size(ui_ctx *ui);

/* Drop every cached texture (after SDL_RENDER_DEVICE_RESET). */
void ui_forget_textures(ui_ctx *ui);

/* Design pixels (1080p reference) to real pixels, never below 1. */
int ui_px(const ui_ctx *ui, float design);
/* The same for font sizes, boosted on small screens (a 7" 800x480 panel is
 * read from closer up than a 1080p one, so text may take more room there;
 * text boxes still shrink to fit). */
int ui_fpx(const ui_ctx *ui, float design);

/* ---- frames ---------------------------------------------------------- */

void ui_frame_begin(ui_ctx *ui);
/* Returns 1 if a click was consumed in this frame (the caller should build
 * the frame again before presenting). */
int ui_frame_end(ui_ctx *ui);
void ui_present(ui_ctx *ui);

/* ---- input ----------------------------------------------------------- */

/* Feed a pointer event (finger or real mouse; synthetic mouse-from-touch
 * events are dropped). Returns 1 if the display must be redrawn. *x, *y (may
 * be NULL) receive the point in pixels; *down 1 press, 0 release, -1 other. */
int ui_pointer_event(ui_ctx *ui, const SDL_Event *ev, int *x, int *y, int *down);
/* Deliver a click to widget id in the next frame, as if it was tapped.
 * BK_ERR_NOT_FOUND if the last frame had no such widget (or only a
 * display-only one), BK_ERR_STATE if it is disabled. */
bk_err ui_click(ui_ctx *ui, const char *id);
/* The widget of the last finished frame, or NULL. */
const ui_widget *ui_widget_find(const ui_ctx *ui, const char *id);
/* Print `screen=ID` and one `id<TAB>label<TAB>x y w h` line per widget;
 * a disabled button gets a trailing "\tdisabled", display text "\tinfo". */
void ui_dump(const ui_ctx *ui, const char *screen, FILE *out);
void ui_play_click(ui_ctx *ui);
/* Pause the audio device once the click has played (call from the loop). */
void ui_sound_idle(ui_ctx *ui);

/* ---- widgets --------------------------------------------------------- */

/* A button; returns 1 when it was clicked (tap, touch or script). label may
 * contain "\n". icon UI_ICON_NONE = text only. */
int ui_button(ui_ctx *ui, const char *id, const char *label, SDL_Rect r, ui_btn_kind kind,
              ui_icon icon, int enabled);
/* The same with the label's font size in real pixels (0 = automatic). */
int ui_button_px(ui_ctx *ui, const char *id, const char *label, SDL_Rect r, ui_btn_kind kind,
                 ui_icon icon, int enabled, int label_px);
/* Register a widget without drawing it (e.g. an invisible hit area). */
void ui_widget_add(ui_ctx *ui, const char *id, const char *label, SDL_Rect r, int enabled);
/* Register a display-only text (what the screen says, for `dump`): it is
 * listed with a trailing "\tinfo" and cannot be tapped or hit. */
void ui_info(ui_ctx *ui, const char *id, const char *text, SDL_Rect r);

/* ---- drawing --------------------------------------------------------- */

void ui_clear(ui_ctx *ui, SDL_Color c);
void ui_fill(ui_ctx *ui, SDL_Rect r, SDL_Color c);
void ui_round_rect(ui_ctx *ui, SDL_Rect r, int radius, SDL_Color c);
void ui_round_frame(ui_ctx *ui, SDL_Rect r, int radius, int thickness, SDL_Color line,
                    SDL_Color inside);
void ui_disc(ui_ctx *ui, int cx, int cy, int r, SDL_Color c);
void ui_icon_draw(ui_ctx *ui, ui_icon icon, SDL_Rect box, SDL_Color c);
/* Draw text fitted into box (wrapping at spaces, shrinking the size).
 * Returns the height used. */
int ui_text(ui_ctx *ui, SDL_Rect box, const char *text, const ui_text_style *st);
/* Width and height of one line of text at a size (cached). */
void ui_text_size(ui_ctx *ui, ui_face face, int px, const char *text, int *w, int *h);
/* A busy spinner centered in box; phase in ms. */
void ui_spinner(ui_ctx *ui, SDL_Rect box, uint64_t phase_ms, SDL_Color c);

/* ---- layout ---------------------------------------------------------- */

SDL_Rect ui_cut_top(SDL_Rect *r, int h);
SDL_Rect ui_cut_bottom(SDL_Rect *r, int h);
SDL_Rect ui_cut_left(SDL_Rect *r, int w);
SDL_Rect ui_cut_right(SDL_Rect *r, int w);
SDL_Rect ui_inset(SDL_Rect r, int dx, int dy);
/* Cell (col,row) of a cols x rows grid with gap pixels between cells. */
SDL_Rect ui_cell(SDL_Rect r, int cols, int rows, int col, int row, int gap);
/* A w x h rectangle centered in r (clamped to r). */
SDL_Rect ui_center(SDL_Rect r, int w, int h);

/* ---- output ---------------------------------------------------------- */

/* Save what the renderer has drawn (before present) as a PNG. */
bk_err ui_screenshot(ui_ctx *ui, const char *path);
/* Write RGBA8888 pixels (R,G,B,A bytes) as a PNG file. */
bk_err ui_png_write(const char *path, const uint8_t *rgba, int w, int h, int stride);
/* Read a PNG as RGBA8888 (malloc'ed, stride w*4). */
bk_err ui_png_read(const char *path, uint8_t **rgba, int *w, int *h);

#endif
