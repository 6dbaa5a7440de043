/* kiosk.h — the client check-in mode of bapas-kiosk (`--mode kiosk`).
 *
 * Draws the flow of kiosk/core/flow.h with the toolkit of ui.h and runs its
 * database jobs on the same persistent worker as the other modes (a job
 * worker, livework.h, which owns the store connection), so the screen keeps
 * responding (a spinner) while the database is busy. The flow belongs to
 * the UI thread: the worker gets a copy of each job and hands back a
 * flow_result by value, which the UI thread applies. Catalogs, language,
 * wall clock and the worker are modecommon.h's. Other modes (board,
 * reception, desk) are separate ui_mode implementations next to this one.
 *
 * Printing: [ticket] shows the slip's status through a kiosk_printer, an
 * interface the print side fills. Without one (printer = none, or no
 * printing built in) the screen asks the client to note the ticket code.
 *
 * Memory: kiosk_create allocates and starts the worker; kiosk_destroy stops
 * it (waiting for a running job) and frees everything. The opts strings and the printer are
 * borrowed and must outlive the kiosk.
 */
#ifndef BK_KIOSK_H
#define BK_KIOSK_H

#include <stddef.h>

#include "config.h"
#include "flow.h"
#include "queue.h"
#include "store.h"
#include "ui_loop.h"

/* The print side of [ticket]. Every call runs on the UI thread and must not
 * block (a printer does its I/O on its own thread). */
typedef struct kiosk_printer {
    void *ud;
    /* A ticket was just issued (or shown again): start printing its slip.
     * next_report: the next report date for the slip ("YYYY-MM-DD", by the
     * office calendar, calendar.h), "" or NULL for none. lang is "id" or
     * "en". Returns the first status. */
    flow_print (*start)(void *ud, const queue_view *v, const char *next_report, int walkin,
                        const char *lang);
    /* The status now; polled while FLOW_PRINT_PENDING. */
    flow_print (*poll)(void *ud);
    /* Optional: the slip as an image to show beside its status (owned by
     * the printer, valid until the next start); NULL = none. */
    SDL_Surface *(*slip)(void *ud);
    /* Optional: the slip's QR alone, quiet zone included (owned by the
     * printer, valid until the next start); shown large when printing
     * failed, so the client can photograph it. NULL = none. */
    SDL_Surface *(*qr)(void *ud);
    /* Optional: record the failure that poll() or start() just reported in
     * the audit log (reception sees printer alerts there). Called on the
     * database thread with the store open; must not touch the UI. */
    bk_err (*audit)(void *ud, queue_ctx *q);
} kiosk_printer;

typedef struct kiosk_opts {
    const cfg *cfg;      /* office name, timeouts, exit PIN, language */
    const char *assets;  /* assets directory (i18n/) */
    const char *db_path; /* opened (never created) by the job worker */
    queue_ctx q;         /* office zone, lockout, actor, fixed_now; q.st unused */
    store_opts sopts;
    const kiosk_printer *printer; /* NULL = no printing */
} kiosk_opts;

typedef struct kiosk kiosk;

/* BK_ERR_NOT_FOUND / BK_ERR_IO if a catalog cannot be loaded (err says
 * which). */
bk_err kiosk_create(const kiosk_opts *o, kiosk **out, char *err, size_t errlen);
void kiosk_destroy(kiosk *k);

/* The mode table for ui_loop_run. */
ui_mode kiosk_mode(kiosk *k);

/* For tests and the bench: the flow being shown. */
const flow *kiosk_flow(const kiosk *k);

#endif
