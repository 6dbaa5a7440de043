/* livework.h — the database worker thread shared by the live modes (board,
 * reception, desk). The UI thread never touches the database.
 *
 * The worker owns one store connection. It (re)opens the database when it
 * is missing or was lost, with backoff (base/backoff.h: 0.5 s doubling to
 * 12 s, jittered, reset by the first successful read), waits for changes
 * through live.h (LISTEN/NOTIFY on PostgreSQL, data_version polling on
 * SQLite), runs the one action the UI submitted, and re-reads the mode's
 * model whenever something changed. After a reconnect the whole model is
 * re-read (notifications are not replayed). An action submitted while the
 * database is down fails at once with its error (it is never kept to run
 * later, so nothing is written twice or late).
 * Each result (a model, an action outcome, a status change) is published
 * into a mutex-protected slot and announced with one SDL user event, which
 * wakes the UI loop; the UI copies it out with lw_take().
 *
 * Memory: lw_create copies the options; model buffers (model_size bytes)
 * and the action request/result (LW_REQ_SZ bytes each) are owned by the
 * worker. Callbacks run on the worker thread.
 */
#ifndef BK_LIVEWORK_H
#define BK_LIVEWORK_H

#include <stddef.h>
#include <stdint.h>

#include "queue.h"
#include "store.h"

#define LW_REQ_SZ 4096

typedef enum lw_status {
    LW_CONNECTING, /* not opened yet */
    LW_OK,
    LW_MISSING,    /* the database file is not there */
    LW_BUSY,       /* locked beyond the busy timeout */
    LW_ERROR,      /* could not open or read (a local file, or a server that answered) */
    LW_UNREACHABLE,/* the database server cannot be reached or the connection was lost */
} lw_status;

/* What the status banner needs to say how long and what next. */
typedef struct lw_health {
    lw_status status;
    int64_t down_since;  /* office clock (queue_now, s) of the first failure
                          * since the last success; 0 while OK */
    int64_t next_try_ms; /* SDL_GetTicks64() of the next attempt; 0 = an attempt
                          * is running (or none is due) */
    int failures;        /* failed attempts since the last success */
    int had_model;       /* a model was loaded before (the screen shows data) */
} lw_health;

typedef struct lw_opts {
    const char *db_path;
    store_opts sopts;
    queue_ctx q;       /* zone, actor, pinned clock; q.st set by the worker */
    int poll_ms;       /* change polling; 0 = 100 */
    size_t model_size;
    /* Read the model into buf (model_size bytes). */
    bk_err (*load)(void *ud, queue_ctx *q, void *buf);
    /* Run an action: req in, res out (LW_REQ_SZ each). May be NULL. */
    bk_err (*act)(void *ud, queue_ctx *q, const void *req, void *res);
    void *ud;
} lw_opts;

typedef struct livework livework;

/* Start the worker. SDL must be initialised. */
bk_err lw_create(const lw_opts *o, livework **out, char *err, size_t errlen);
/* Stop and join (waits for a running statement within the busy timeout). */
void lw_destroy(livework *w);

/* The SDL event type the worker posts (to recognise it in mode->event). */
uint32_t lw_event_type(const livework *w);

/* Submit an action (copies req, at most LW_REQ_SZ). Returns its sequence
 * number (> 0), or 0 if an action is still pending. */
uint64_t lw_submit(livework *w, const void *req, size_t len);

/* Copy what changed since the last take (UI thread):
 *   model (may be NULL): the newest model when it changed (*got_model = 1);
 *   *status: the connection status;
 *   res/res_err/res_seq: the result of a finished action (*got_res = 1);
 *     res (may be NULL) must hold LW_REQ_SZ bytes.
 * Returns 1 if anything changed. */
int lw_take(livework *w, void *model, int *got_model, lw_status *status, void *res,
            bk_err *res_err, uint64_t *res_seq, int *got_res);

/* 1 while a submitted action has not been taken with its reloaded model,
 * or before the first model arrived (scripts wait). */
int lw_busy(livework *w);

/* The connection's health (any thread). */
void lw_health_get(livework *w, lw_health *out);

/* Load statistics: number of model loads and the last load's duration. */
void lw_stats(livework *w, uint64_t *loads, int64_t *last_load_us);

#endif
