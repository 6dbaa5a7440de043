/* livework.h — the one database worker thread of every mode: the live
 * modes (board, reception, desk) and the kiosk. The UI thread never touches
 * the database.
 *
 * Two kinds, one implementation (thread, one-slot action mailbox, results
 * published under a mutex and announced with one SDL event, wake pipe):
 *
 * A model worker (model_size > 0, the live modes) owns one store
 * connection. It (re)opens the database when it
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
 * A job worker (model_size 0, load NULL, act set: the kiosk's flow jobs,
 * core/flow.h) owns one store connection too, but only runs what it is
 * given: it sleeps until an action arrives, opens the database first when
 * it has no connection (one attempt, a missing file is never created; an
 * action whose open fails is answered with that error, res all zero, and
 * act is not called), runs act, and closes the connection when act fails
 * with BK_ERR_IO or BK_ERR_INTERNAL (the next action reopens it). It never
 * retries by itself: when to try again is the caller's decision (the
 * kiosk's flow reopens with backoff on [welcome]). lw_health's status
 * follows the last attempt; next_try_ms stays 0.
 *
 * Threads: lw_submit, lw_take, lw_busy, lw_health_get and lw_stats are for
 * the UI thread (lw_health_get: any thread); load and act run on the
 * worker thread only, and get everything they need through ud (which they
 * must only read, or own alone), req and q. Requests and results are
 * copied in and out: the two threads share nothing else.
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

#define LW_REQ_SZ 8192

typedef enum lw_status {
    LW_CONNECTING, /* not opened yet */
    LW_OK,
    LW_MISSING,     /* the database file is not there */
    LW_BUSY,        /* locked beyond the busy timeout */
    LW_ERROR,       /* could not open or read (a local file, or a server that answered) */
    LW_UNREACHABLE, /* the database server cannot be reached or the connection was lost */
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
    size_t model_size; /* 0 = a job worker (no model, no change watching) */
    /* Read the model into buf (model_size bytes); NULL for a job worker. */
    bk_err (*load)(void *ud, queue_ctx *q, void *buf);
    /* Run an action: req in, res out (LW_REQ_SZ each). May be NULL for a
     * model worker; required for a job worker. */
    bk_err (*act)(void *ud, queue_ctx *q, const void *req, void *res);
    void *ud;
} lw_opts;

typedef struct livework livework;

/* Start the worker. SDL must be initialised. BK_ERR_INVALID if a model
 * worker lacks load or a job worker lacks act (or has load). */
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
int lw_take(livework *w, void *model, int *got_model, lw_status *status, void *res, bk_err *res_err,
            uint64_t *res_seq, int *got_res);

/* 1 while a submitted action has not been taken (with its reloaded model),
 * or, for a model worker, before the first model arrived (scripts wait). */
int lw_busy(livework *w);

/* The connection's health (any thread). */
void lw_health_get(livework *w, lw_health *out);

/* Load statistics: number of model loads and the last load's duration. */
void lw_stats(livework *w, uint64_t *loads, int64_t *last_load_us);

#endif
