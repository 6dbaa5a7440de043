/* livework.c — the live modes' database worker (livework.h). */
#include "livework.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#include "backoff.h"
#include "live.h"
#include "otime.h"

struct livework {
    lw_opts o;
    char path[4096];
    SDL_Thread *thread;
    SDL_mutex *mu;
    SDL_cond *cv;
    uint32_t ev;
    /* A pipe written on submit and stop, so the worker blocked on
     * PostgreSQL's notifications (live_src.wake_fd) wakes at once; the
     * worker drains it at the top of its loop. -1 when closed. */
    int wake[2];

    /* shared (under mu) */
    int stop;
    int req_pending;
    uint64_t req_seq; /* last submitted */
    unsigned char req[LW_REQ_SZ];
    void *ready; /* the newest model */
    int ready_new;
    int have_model;  /* a model was ever published */
    int taken_model; /* the UI took at least one */
    lw_status status;
    int status_new;
    int64_t down_since; /* lw_health */
    int64_t next_try_ms;
    int failures;
    unsigned char res[LW_REQ_SZ];
    bk_err res_err;
    uint64_t res_seq; /* last finished action */
    int res_new;
    uint64_t taken_seq; /* last action whose result + model the UI took */
    int event_posted;   /* one event in flight at most */
    uint64_t loads;
    int64_t last_load_us;

    /* worker-only */
    void *work;
};

/* mu is made once in lw_start and lives as long as w, so a lock or unlock
 * can fail only when memory is corrupt or the thread does not hold it: a
 * worker that went on would race on the shared state, so stop at once
 * (systemd restarts the kiosk). */
static void lw_lock(livework *w)
{
    if (SDL_LockMutex(w->mu) != 0) {
        SDL_Log("bapas-kiosk: database worker lock failed: %s", SDL_GetError());
        abort();
    }
}

static void lw_unlock(livework *w)
{
    if (SDL_UnlockMutex(w->mu) != 0) {
        SDL_Log("bapas-kiosk: database worker unlock failed: %s", SDL_GetError());
        abort();
    }
}

/* A failed signal is logged; the waiter wakes at its timeout anyway. */
static void lw_signal(livework *w)
{
    if (SDL_CondSignal(w->cv) != 0)
        SDL_Log("bapas-kiosk: database worker signal failed: %s", SDL_GetError());
}

/* Under mu: wait on cv for at most ms. A failing wait (it should not)
 * sleeps a little with mu released rather than letting the caller spin. */
static void lw_wait(livework *w, Uint32 ms)
{
    if (SDL_CondWaitTimeout(w->cv, w->mu, ms) < 0) {
        SDL_Log("bapas-kiosk: database worker wait failed: %s", SDL_GetError());
        lw_unlock(w);
        SDL_Delay(ms < 100 ? ms : 100);
        lw_lock(w);
    }
}

/* Wake the worker (any thread). A full pipe already wakes it. */
static void wake_worker(livework *w)
{
    if (w->wake[1] < 0) return;
    ssize_t n;
    do
        n = write(w->wake[1], "w", 1);
    while (n < 0 && errno == EINTR);
}

/* Worker: empty the wake pipe (before looking at the shared state, so a
 * wake-up written after this look is not lost). */
static void drain_wake(livework *w)
{
    char buf[64];
    while (read(w->wake[0], buf, sizeof buf) > 0)
        ;
}

static int pipe_nonblock(int fd[2])
{
    if (pipe(fd) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(fd[i], F_GETFL);
        if (fl < 0 || fcntl(fd[i], F_SETFL, fl | O_NONBLOCK) < 0 ||
            fcntl(fd[i], F_SETFD, FD_CLOEXEC) < 0) {
            close(fd[0]);
            close(fd[1]);
            fd[0] = fd[1] = -1;
            return -1;
        }
    }
    return 0;
}

/* Under mu: wake the UI once. */
static void post_locked(livework *w)
{
    if (w->event_posted) return;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = w->ev;
    if (SDL_PushEvent(&e) > 0) w->event_posted = 1;
}

/* live.h sleep hook: wait on the condition variable so a submitted action
 * or stop ends the wait early. */
static int lw_sleep(void *ud, int ms)
{
    livework *w = ud;
    lw_lock(w);
    if (!w->stop && !w->req_pending) lw_wait(w, (Uint32)ms);
    int work = w->stop || w->req_pending;
    lw_unlock(w);
    return work;
}

static lw_status status_of(bk_err e, int server)
{
    if (e == BK_ERR_BUSY || e == BK_ERR_RETRY) return LW_BUSY;
    return server && e == BK_ERR_IO ? LW_UNREACHABLE : LW_ERROR;
}

/* Under mu: publish an action's result (res: LW_REQ_SZ bytes, NULL = all
 * zero) and its error; the action is no longer pending. */
static void answer_locked(livework *w, const void *res, bk_err e, uint64_t seq)
{
    if (res)
        memcpy(w->res, res, sizeof w->res);
    else
        memset(w->res, 0, sizeof w->res);
    w->res_err = e;
    w->res_seq = seq;
    w->res_new = 1;
    w->req_pending = 0;
}

/* A failed attempt: publish the status and when the next attempt is due,
 * answer a pending action with the error (it is not kept for later), and
 * sleep the backoff delay (a stop ends it early). */
static void failed(livework *w, lw_status s, bk_err e, backoff *bo, const queue_ctx *q)
{
    int delay = backoff_next(bo);
    lw_lock(w);
    w->status = s;
    if (!w->down_since) w->down_since = queue_now(q);
    w->failures++;
    w->next_try_ms = (int64_t)SDL_GetTicks64() + delay;
    w->status_new = 1; /* the banner's countdown restarts */
    if (w->req_pending) answer_locked(w, NULL, e ? e : BK_ERR_IO, w->req_seq);
    post_locked(w);
    int64_t until = w->next_try_ms;
    while (!w->stop) {
        int64_t left = until - (int64_t)SDL_GetTicks64();
        if (left <= 0) break;
        lw_wait(w, (Uint32)left);
        if (w->req_pending) { /* answered at once: the database is down */
            answer_locked(w, NULL, e ? e : BK_ERR_IO, w->req_seq);
            post_locked(w);
        }
    }
    w->next_try_ms = 0; /* trying now */
    w->status_new = 1;
    post_locked(w);
    lw_unlock(w);
}

static bk_err reload(livework *w, queue_ctx *q)
{
    int64_t t0 = otime_mono_us();
    bk_err e = w->o.load(w->o.ud, q, w->work);
    if (e) return e;
    int64_t dt = otime_mono_us() - t0;
    lw_lock(w);
    void *t = w->ready;
    w->ready = w->work;
    w->work = t;
    w->ready_new = 1;
    w->have_model = 1;
    w->down_since = 0;
    w->failures = 0;
    w->next_try_ms = 0;
    w->loads++;
    w->last_load_us = dt;
    if (w->status != LW_OK) {
        w->status = LW_OK;
        w->status_new = 1;
    }
    post_locked(w);
    lw_unlock(w);
    return BK_OK;
}

/* Worker: one attempt to open the database into *st. A missing file is
 * never created (that would hide a wrong path). On failure *status says
 * what the banner shows, and the reason is logged once per reason (logged:
 * the last one, "" after a success), not per retry. */
static bk_err open_store(livework *w, int server, store **st, lw_status *status, char *logged,
                         size_t logged_sz)
{
    char err[512] = "";
    bk_err e;
    *st = NULL;
    if (!server && access(w->path, F_OK) != 0) {
        *status = LW_MISSING;
        e = BK_ERR_IO;
        snprintf(err, sizeof err, "the database file does not exist");
    } else {
        e = store_open(w->path, &w->o.sopts, st, err, sizeof err);
        *status = status_of(e, server);
    }
    if (e) {
        *st = NULL;
        if (strcmp(err, logged) != 0) {
            SDL_Log("bapas-kiosk: cannot open the database: %s", err);
            snprintf(logged, logged_sz, "%s", err);
        }
        return e;
    }
    logged[0] = 0;
    *status = LW_OK;
    return BK_OK;
}

/* Under mu: the outcome of a job-worker attempt for the banner/health. */
static void note_status_locked(livework *w, lw_status s, const queue_ctx *q)
{
    if (s == LW_OK) {
        w->down_since = 0;
        w->failures = 0;
    } else {
        if (!w->down_since) w->down_since = queue_now(q);
        w->failures++;
    }
    w->next_try_ms = 0; /* the caller decides when to try again */
    if (w->status != s) {
        w->status = s;
        w->status_new = 1;
    }
}

/* Under mu: wait for an action or stop. A failing condition wait (it should
 * not) degrades to polling rather than spinning. */
static void wait_job_locked(livework *w)
{
    while (!w->stop && !w->req_pending) {
        lw_wait(w, 1000);
    }
}

/* The job worker (model_size 0, see livework.h): run each submitted action,
 * opening the database first when there is no connection (one attempt; an
 * action whose open fails is answered with that error and not run), and
 * closing it when an action fails with BK_ERR_IO, BK_ERR_INTERNAL or
 * BK_ERR_READONLY. */
static int jobs_main(livework *w)
{
    store *st = NULL;
    queue_ctx q = w->o.q;
    unsigned char req[LW_REQ_SZ], res[LW_REQ_SZ];
    int server = store_target_is_server(w->path);
    char logged[512] = "";
    q.st = NULL;
    for (;;) {
        lw_lock(w);
        wait_job_locked(w);
        int stop = w->stop;
        uint64_t seq = w->req_seq;
        if (!stop) {
            memcpy(req, w->req, sizeof req);
            memset(w->req, 0, sizeof w->req); /* may hold a client's identity */
        }
        lw_unlock(w);
        if (stop) break;
        drain_wake(w);
        memset(res, 0, sizeof res);
        lw_status s = LW_OK;
        bk_err e = st ? BK_OK : open_store(w, server, &st, &s, logged, sizeof logged);
        if (!e) {
            q.st = st;
            e = w->o.act(w->o.ud, &q, req, res);
            if (e == BK_ERR_IO || e == BK_ERR_INTERNAL || e == BK_ERR_READONLY) {
                /* lost or broken, or opened read-only (SQLite keeps the file
                 * so until it is reopened): the next action reopens it */
                store_close(st);
                st = q.st = NULL;
                s = status_of(e, server);
            } else if (e == BK_ERR_BUSY || e == BK_ERR_RETRY) {
                s = LW_BUSY;
            }
        }
        memset(req, 0, sizeof req);
        lw_lock(w);
        note_status_locked(w, s, &q);
        answer_locked(w, res, e, seq);
        post_locked(w);
        lw_unlock(w);
        memset(res, 0, sizeof res);
    }
    store_close(st);
    return 0;
}

static int worker_main(void *ud)
{
    livework *w = ud;
    if (!w->o.model_size) return jobs_main(w);
    store *st = NULL;
    queue_ctx q = w->o.q;
    live_src lv;
    unsigned char req[LW_REQ_SZ], res[LW_REQ_SZ];
    int server = store_target_is_server(w->path);
    backoff bo;
    backoff_init(&bo, 0, 0, backoff_seed());
    int quick_retry = 0;   /* 1 while reads work: the first loss reopens at once */
    char logged[512] = ""; /* the last open failure logged (not repeated) */
    for (;;) {
        drain_wake(w);
        lw_lock(w);
        int stop = w->stop;
        lw_unlock(w);
        if (stop) break;
        if (!st) {
            lw_status os;
            bk_err oe = open_store(w, server, &st, &os, logged, sizeof logged);
            if (oe) {
                failed(w, os, oe, &bo, &q);
                continue;
            }
            q.st = st;
            live_init(&lv, st, w->o.poll_ms);
            lv.sleep = lw_sleep;
            lv.sleep_ud = w;
            lv.wake_fd = w->wake[0];
        }
        /* an action first */
        lw_lock(w);
        int have_req = w->req_pending;
        uint64_t seq = w->req_seq;
        if (have_req) memcpy(req, w->req, sizeof req);
        lw_unlock(w);
        if (have_req) {
            memset(res, 0, sizeof res);
            bk_err ae = w->o.act ? w->o.act(w->o.ud, &q, req, res) : BK_ERR_INVALID;
            bk_err le = reload(w, &q); /* the action's effect, before the result */
            if (le)
                live_reset(&lv);
            else
                backoff_reset(&bo);
            lw_lock(w);
            if (le && w->status == LW_OK) {
                /* The screen does not show the action's effect (which may
                 * have happened even if it failed: a lost connection): not
                 * OK, so the UI offers no action, until a reload succeeds. */
                w->status = status_of(le, server);
                w->status_new = 1;
            }
            answer_locked(w, res, ae, seq);
            post_locked(w);
            lw_unlock(w);
            if (le && le != BK_ERR_BUSY && le != BK_ERR_RETRY) {
                store_close(st); /* lost or broken: reopen (and re-read all) */
                st = NULL;
                failed(w, status_of(le, server), le, &bo, &q);
            }
            continue;
        }
        int changed = 0;
        bk_err e = live_wait(&lv, 1000, &changed);
        if (!e && changed && !(e = reload(w, &q))) {
            backoff_reset(&bo);
            quick_retry = 1;
        }
        if (e) {
            live_reset(&lv); /* the next good read re-reads everything */
            if (e != BK_ERR_BUSY && e != BK_ERR_RETRY) {
                /* lost or broken: reopen */
                store_close(st);
                st = NULL;
                if (quick_retry) {
                    /* a working connection just broke (a server restart
                     * is often over already): one reopen at once, before
                     * any banner */
                    quick_retry = 0;
                    continue;
                }
            }
            failed(w, status_of(e, server), e, &bo, &q);
        }
    }
    store_close(st);
    return 0;
}

bk_err lw_create(const lw_opts *o, livework **out, char *err, size_t errlen)
{
    *out = NULL;
    livework *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return BK_ERR_NOMEM;
    }
    if (o->model_size ? !o->load : (o->load || !o->act)) {
        snprintf(err, errlen, "cannot set up the database worker: a model needs load, jobs act");
        free(w);
        return BK_ERR_INVALID;
    }
    w->o = *o;
    snprintf(w->path, sizeof w->path, "%s", o->db_path ? o->db_path : "");
    w->o.db_path = w->path;
    w->wake[0] = w->wake[1] = -1;
    if (pipe_nonblock(w->wake) != 0) {
        snprintf(err, errlen, "cannot set up the database worker: pipe: %s", strerror(errno));
        free(w);
        return BK_ERR_INTERNAL;
    }
    if (o->model_size) {
        w->ready = calloc(1, o->model_size);
        w->work = calloc(1, o->model_size);
    }
    w->mu = SDL_CreateMutex();
    w->cv = SDL_CreateCond();
    w->ev = SDL_RegisterEvents(1);
    w->status = LW_CONNECTING;
    if ((o->model_size && (!w->ready || !w->work)) || !w->mu || !w->cv || w->ev == (Uint32)-1) {
        snprintf(err, errlen, "cannot set up the database worker: %s", SDL_GetError());
        lw_destroy(w);
        return BK_ERR_INTERNAL;
    }
    w->thread = SDL_CreateThread(worker_main, "bk-live", w);
    if (!w->thread) {
        snprintf(err, errlen, "cannot start the database worker: %s", SDL_GetError());
        lw_destroy(w);
        return BK_ERR_INTERNAL;
    }
    *out = w;
    return BK_OK;
}

void lw_destroy(livework *w)
{
    if (!w) return;
    if (w->thread) {
        lw_lock(w);
        w->stop = 1;
        lw_signal(w);
        lw_unlock(w);
        wake_worker(w);
        SDL_WaitThread(w->thread, NULL);
    }
    for (int i = 0; i < 2; i++)
        if (w->wake[i] >= 0) close(w->wake[i]);
    if (w->cv) SDL_DestroyCond(w->cv);
    if (w->mu) SDL_DestroyMutex(w->mu);
    free(w->ready);
    free(w->work);
    free(w);
}

uint32_t lw_event_type(const livework *w)
{
    return w->ev;
}

uint64_t lw_submit(livework *w, const void *req, size_t len)
{
    uint64_t seq = 0;
    lw_lock(w);
    if (!w->req_pending) {
        memset(w->req, 0, sizeof w->req);
        memcpy(w->req, req, len < sizeof w->req ? len : sizeof w->req);
        w->req_pending = 1;
        seq = ++w->req_seq;
        lw_signal(w);
    }
    lw_unlock(w);
    if (seq) wake_worker(w);
    return seq;
}

int lw_take(livework *w, void *model, int *got_model, lw_status *status, void *res, bk_err *res_err,
            uint64_t *res_seq, int *got_res)
{
    int any = 0;
    *got_model = 0;
    *got_res = 0;
    lw_lock(w);
    w->event_posted = 0;
    if (w->ready_new && model) {
        memcpy(model, w->ready, w->o.model_size);
        w->ready_new = 0;
        w->taken_model = 1;
        *got_model = 1;
        any = 1;
    }
    if (w->status_new) {
        w->status_new = 0;
        any = 1;
    }
    *status = w->status;
    if (w->res_new) {
        if (res) memcpy(res, w->res, sizeof w->res);
        *res_err = w->res_err;
        *res_seq = w->res_seq;
        w->res_new = 0;
        w->taken_seq = w->res_seq;
        *got_res = 1;
        any = 1;
    }
    lw_unlock(w);
    return any;
}

int lw_busy(livework *w)
{
    lw_lock(w);
    int b =
        w->req_pending || w->res_new || w->taken_seq != w->req_seq ||
        (w->o.model_size && !w->taken_model && (w->status == LW_CONNECTING || w->status == LW_OK));
    lw_unlock(w);
    return b;
}

void lw_health_get(livework *w, lw_health *out)
{
    lw_lock(w);
    out->status = w->status;
    out->down_since = w->down_since;
    out->next_try_ms = w->next_try_ms;
    out->failures = w->failures;
    out->had_model = w->have_model;
    lw_unlock(w);
}

void lw_stats(livework *w, uint64_t *loads, int64_t *last_load_us)
{
    lw_lock(w);
    *loads = w->loads;
    *last_load_us = w->last_load_us;
    lw_unlock(w);
}
