/* slip.h — the ticket slip: one layout model, rendered to one bitmap that
 * every output (PNG, ESC/POS raster, the kiosk's screen) is made from.
 *
 * Pipeline:
 *   slip_info   what the slip says. Built from a queue_view + the office
 *               config (slip_info_from_view) or straight from the store
 *               (slip_store.h). It has no field for a client's name, number,
 *               birth date or program, so the slip cannot show them.
 *   slip_layout positioned text lines, rules and the QR symbol, in printer
 *               dots (203 dpi), for 58 mm (384 dots) or 80 mm (576 dots)
 *               paper. Text is measured with SDL2_ttf and wrapped to the
 *               width; nothing overflows.
 *   slip_image  an 8-bit grey bitmap of the layout (255 = paper white), plus
 *               the QR geometry and payload (for the printer's native QR).
 *
 * Fonts: a slip_fonts opens Noto Sans (assets/fonts, found via paths.h, then
 * /usr/share/fonts/truetype/noto) lazily, one TTF_Font per size. SDL2_ttf
 * needs no video subsystem. A slip_fonts is not thread-safe: use it from one
 * thread (the kiosk's UI thread renders; the print worker only sends bytes).
 *
 * Memory: slip_layout and slip_info are plain caller-owned structs (the
 * layout is ~40 KB: allocate it, don't put it on a small stack). A
 * slip_image owns `gray` (free with slip_image_free). slip_buf owns `data`.
 */
#ifndef BK_SLIP_H
#define BK_SLIP_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"
#include "calendar.h"
#include "config.h"
#include "i18n.h"
#include "payload.h"
#include "queue.h"
#include "store.h"

#define SLIP_DPI 203
#define SLIP_DOTS_58 384       /* printable width of 58 mm paper */
#define SLIP_DOTS_80 576       /* printable width of 80 mm paper */
#define SLIP_QR_MODULE_MIN 4   /* dots: 0.5 mm at 203 dpi */
#define SLIP_QR_QUIET 4        /* modules of quiet zone on every side */
#define SLIP_QR_MAX_MODULES 57 /* version 10; a v1 payload needs version 2 */
#define SLIP_MAX_ITEMS 96
#define SLIP_LINE_SZ 256

/* ---- growable byte buffer (PNG and ESC/POS output) --------------------- */

typedef struct slip_buf {
    uint8_t *data;
    size_t len, cap;
} slip_buf;

bk_err slip_buf_append(slip_buf *b, const void *p, size_t n);
void slip_buf_free(slip_buf *b); /* frees data and zeroes the struct */

/* ---- what the slip says ------------------------------------------------ */

typedef struct slip_info {
    char office[CFG_STR_SZ];
    char code[STORE_CODE_SZ]; /* "A-007" */
    bk_purpose purpose;
    char officer_name[STORE_NAME_SZ]; /* "" = reception queue */
    char room[STORE_ROOM_SZ];         /* "" = none */
    bk_routing routed;
    bk_status status;               /* ticket status when printed */
    int64_t checkin_at;             /* UTC seconds */
    int64_t printed_at;             /* UTC seconds */
    int utc_offset_min;             /* office zone */
    int position;                   /* waiting tickets ahead; -1 = not waiting */
    int eta_minutes;                /* -1 = not waiting */
    char next_report[STORE_DAY_SZ]; /* "YYYY-MM-DD" for report visits, else "" */
    char footer[CFG_STR_SZ];        /* "" = none */
    char token[STORE_TOKEN_SZ];     /* the ticket's random token (QR) */
} slip_info;

/* The day the next report is due after a `report` visit: cal_next_report
 * (calendar.h, the one rule) from the ticket's day, the client's last report
 * day and report_every_days, moved forward to a working day of k (NULL = the
 * default Monday-Friday, no holidays). out = "" for other purposes, walk-ins
 * (cl NULL), no interval or a bad date. */
void slip_next_report(const store_ticket *t, const store_client *cl, const cal *k,
                      char out[STORE_DAY_SZ]);

/* Fill info from a ticket view and the office config. cl (may be NULL) is the
 * client record, used only for the next report date, with calendar k (may
 * be NULL, see slip_next_report). */
void slip_info_from_view(const queue_view *v, const cfg *c, const store_client *cl, const cal *k,
                         int64_t printed_at, slip_info *out);

/* ---- fonts ------------------------------------------------------------- */

typedef struct slip_fonts slip_fonts;

/* Open the font set. regular/bold NULL = the bundled Noto Sans (assets via
 * paths.h, then /usr/share/fonts/truetype/noto). Calls TTF_Init (balanced by
 * slip_fonts_close). BK_ERR_NOT_FOUND if a font file is missing,
 * BK_ERR_INTERNAL if SDL2_ttf fails; errbuf gets the reason. */
bk_err slip_fonts_open(const char *regular, const char *bold, slip_fonts **out, char *errbuf,
                       size_t errlen);
void slip_fonts_close(slip_fonts *f);

/* ---- layout ------------------------------------------------------------ */

typedef enum slip_item_kind { SLIP_ITEM_TEXT, SLIP_ITEM_RULE } slip_item_kind;

typedef enum slip_style {
    SLIP_STYLE_SMALL,    /* footer, hints */
    SLIP_STYLE_LABEL,    /* "Petugas PK" */
    SLIP_STYLE_VALUE,    /* bold values */
    SLIP_STYLE_TITLE,    /* office name, bold */
    SLIP_STYLE_CODE,     /* the ticket code, very large bold */
    SLIP_STYLE_CODE_FIT, /* the code when CODE would not fit */
    SLIP_STYLE__COUNT
} slip_style;

typedef struct slip_item {
    slip_item_kind kind;
    slip_style style; /* text only */
    int x, y, w, h;   /* dots; text: measured box of the line */
    char text[SLIP_LINE_SZ];
} slip_item;

typedef struct slip_qr {
    int x, y;    /* top-left of the quiet zone, dots */
    int size;    /* (modules + 2 * quiet) * module, dots */
    int module;  /* dots per module (>= SLIP_QR_MODULE_MIN) */
    int modules; /* symbol width in modules (25 for version 2) */
    int version;
    char payload[PAYLOAD_SZ];
    unsigned char dark[SLIP_QR_MAX_MODULES * SLIP_QR_MAX_MODULES]; /* row-major, 1 = dark */
} slip_qr;

typedef struct slip_layout {
    int paper_mm;      /* 58 | 80 */
    int width, height; /* dots */
    int margin;        /* left/right margin in dots */
    int n_items;
    slip_item items[SLIP_MAX_ITEMS];
    slip_qr qr;
} slip_layout;

/* Width in dots for paper_mm (58 or 80); 0 for anything else. */
int slip_paper_dots(int paper_mm);

/* Lay the slip out. t is the catalog (slip.* keys) of the slip's language.
 * BK_ERR_INVALID: bad paper size or a token that is not canonical;
 * BK_ERR_INTERNAL: SDL2_ttf failed or the text needs more than
 * SLIP_MAX_ITEMS lines. */
bk_err slip_layout_build(slip_fonts *f, const i18n *t, const slip_info *info, int paper_mm,
                         slip_layout *out);

/* The test slip of `bapasctl print-test`: no ticket and no client data,
 * only the office, "TES CETAK" (slip.test.* keys), the printer target, the
 * date and time, and a sample QR of SLIP_TEST_TOKEN (a well-formed code no
 * ticket has), laid out by the same helpers as a ticket's slip. */
#define SLIP_TEST_TOKEN "TESCETAKTESCETAKTESCETAKAA"
typedef struct slip_test_info {
    char office[CFG_STR_SZ];
    char target[CFG_PATH_SZ]; /* as configured or given with --printer */
    int64_t printed_at;       /* UTC seconds */
    int utc_offset_min;
} slip_test_info;
bk_err slip_test_build(slip_fonts *f, const i18n *t, const slip_test_info *info, int paper_mm,
                       slip_layout *out);

/* ---- rendering --------------------------------------------------------- */

typedef struct slip_image {
    int width, height; /* dots; width is 384 or 576 */
    int paper_mm;
    uint8_t *gray; /* width * height bytes, 0 = black, 255 = white */
    slip_qr qr;    /* where the QR is (for native-QR printing) */
} slip_image;

/* Render the layout into out (out->gray allocated). */
bk_err slip_render(slip_fonts *f, const slip_layout *l, slip_image *out);
void slip_image_free(slip_image *im);
/* Deep copy (dst->gray allocated). */
bk_err slip_image_copy(const slip_image *src, slip_image *dst);

/* Layout + render in one call; scratch is a caller-owned layout. */
bk_err slip_make(slip_fonts *f, const i18n *t, const slip_info *info, int paper_mm,
                 slip_layout *scratch, slip_image *out);

/* Just the QR of a slip (quiet zone included) with modules of module_px
 * pixels, for the kiosk's fallback screen when printing fails: the client
 * photographs it. out->gray allocated; out->qr describes the symbol. */
bk_err slip_qr_image(const slip_qr *q, int module_px, slip_image *out);

/* RGBA8888 pixels (bytes R,G,B,A; stride width*4), malloc'ed, for the kiosk
 * to put on screen. */
bk_err slip_image_rgba(const slip_image *im, uint8_t **out);

/* The image as a new SDL_Surface (SDL_PIXELFORMAT_RGBA32) or NULL (SDL_GetError()).
 * Declared with a forward struct so this header does not need SDL. */
struct SDL_Surface;
struct SDL_Surface *slip_image_surface(const slip_image *im);

#endif
