/* modecommon.h — pieces every mode shares: catalogs, the database worker
 * (livework.h), text styles and the minute timer; and for the live modes
 * (board, reception, desk) the header with the office name, date and clock
 * and the database status banner (the kiosk draws its own header, and its
 * flow says when the database is down).
 *
 * Threads: an mc_base belongs to the UI thread; only b->lw is shared with
 * the worker, through livework.h's calls.
 */
#ifndef BK_MODECOMMON_H
#define BK_MODECOMMON_H

#include <stdint.h>

#include "config.h"
#include "i18n.h"
#include "livework.h"
#include "modes.h"
#include "queue.h"
#include "ui.h"

typedef struct mc_base {
    cfg cfg;
    i18n *cat[2]; /* 0 = id, 1 = en */
    int lang;
    queue_ctx q; /* for queue_now (q.st unused on the UI thread) */
    livework *lw;
    lw_status status;
    int64_t drawn_minute;
    int public_banner;      /* the board: the banner speaks to clients first */
    int no_banner;          /* the kiosk: no banner; the clock alone ticks */
    char banner_drawn[512]; /* the banner text last drawn ("" = none) */
} mc_base;

/* Load both catalogs from assets/i18n. */
bk_err mc_init(mc_base *b, const cfg *c, const char *assets, const queue_ctx *q, char *err,
               size_t errlen);
void mc_free(mc_base *b);
/* Append keyboard or scanner text to buf (sz bytes, *len used). Text that
 * does not fit whole is dropped, so a half scan never looks complete. */
void mc_append_text(char *buf, size_t sz, size_t *len, const char *text);
/* Which characters a typed or scanned field takes. */
typedef enum mc_chars {
    MC_CHARS_SCAN,      /* printable ASCII: a slip's payload, a ticket code or id */
    MC_CHARS_CLIENT_NO, /* a client number: letters, digits, '.', '/', '-' (valid.h) */
} mc_chars;
/* mc_append_text for a field that takes only `set`. Text holding any other
 * character (a control character a scanner sends, a symbol, non-ASCII) is
 * refused whole and returns 1, for the caller to say so; 0 otherwise
 * (appended, or dropped for lack of room). */
int mc_append_allowed(char *buf, size_t sz, size_t *len, const char *text, mc_chars set);

/* What a scanned or typed ticket reference turned out to be. */
typedef enum mc_scan {
    MC_SCAN_FOUND,     /* today's ticket: *t */
    MC_SCAN_NOT_SLIP,  /* neither a slip of this office nor a ticket code (BK_ERR_INVALID) */
    MC_SCAN_OTHER_DAY, /* a slip of this office from another day: *t (BK_ERR_STATE) */
    MC_SCAN_NOT_FOUND, /* a ticket code with no ticket today (BK_ERR_NOT_FOUND) */
} mc_scan;
/* On the worker (q->st open): look up s, a slip's QR payload (BPK1:<token>,
 * print/payload.h) or a ticket code or id. A payload that is malformed, of
 * another version or whose token this database does not know is not a slip
 * of this office. Returns BK_OK (MC_SCAN_FOUND), the error named above, or a
 * database error (*what MC_SCAN_NOT_FOUND). */
bk_err mc_scan_lookup(queue_ctx *q, const char *s, store_ticket *t, mc_scan *what);
/* Start b->lw, the mode's database worker, over the options every mode
 * shares (o->cfg, assets, officer and printer unused); load reads a model
 * of model_size bytes, act (may be NULL) runs one action; model_size 0 and
 * load NULL start a job worker (livework.h). On failure b->lw stays NULL
 * and err says why. */
bk_err mc_start_worker(mc_base *b, const live_mode_opts *o, size_t model_size,
                       bk_err (*load)(void *ud, queue_ctx *q, void *buf),
                       bk_err (*act)(void *ud, queue_ctx *q, const void *req, void *res), void *ud,
                       char *err, size_t errlen);
const char *mc_t(const mc_base *b, const char *key);
const char *mc_lang(const mc_base *b);

ui_text_style mc_style(const ui_ctx *ui, ui_face face, float design_px, SDL_Color c, ui_align a);
/* Text plus its `dump` entry. */
void mc_label(ui_ctx *ui, const char *id, SDL_Rect r, const char *text, ui_face face,
              float design_px, SDL_Color c, ui_align a);

/* The header: office name left, date and clock right (ids office, date,
 * clock). */
void mc_header(mc_base *b, ui_ctx *ui, SDL_Rect r, const char *title);
/* The status banner when the database is not OK; returns the height used
 * (0 when OK). Cuts it from the top of *r, so the data under it stays
 * visible. Two lines: a headline (id `status`: what is wrong; on the public
 * board, what a client should do) and a detail (id `status-detail`: since
 * when the screen has not been updated, and the seconds until the next
 * reconnect attempt). now_ms is SDL_GetTicks64(). */
int mc_banner(mc_base *b, ui_ctx *ui, SDL_Rect *r, int64_t now_ms);
/* The header's clock and the banner's countdown, for a mode's tick and
 * next_wakeup callbacks: 1 when the shown minute or the banner's text
 * changed since drawn; ms until either changes by itself (-1 = never). */
int mc_clock_tick(mc_base *b, int64_t now_ms);
int64_t mc_clock_wake(const mc_base *b, int64_t now_ms);

/* "12 mnt" waiting time text from a check-in instant. */
void mc_wait_text(const mc_base *b, int64_t since, char *out, size_t outsz);

/* snprintf that may truncate on purpose (labels): always NUL-terminated. */
void mc_fmt(char *out, size_t outsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
