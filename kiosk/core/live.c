/* live.c — change detection (live.h): LISTEN/NOTIFY where the store has it
 * (PostgreSQL), else polling the store's data version (SQLite). */
#include "live.h"

#include <time.h>

#include "otime.h"

void live_init(live_src *l, store *st, int poll_ms)
{
    l->st = st;
    l->poll_ms = poll_ms > 0 ? poll_ms : LIVE_POLL_MS_DEFAULT;
    l->version = 0;
    l->primed = 0;
    l->sleep = NULL;
    l->sleep_ud = NULL;
    l->wake_fd = -1;
    l->notify = 0;
}

void live_reset(live_src *l)
{
    l->primed = 0;
}

bk_err live_check(live_src *l, int *changed)
{
    *changed = 0;
    /* Notifications: a look at the connection's socket, no query. */
    int notified = 0;
    bk_err e = store_wait_change(l->st, 0, &notified);
    if (e == BK_OK) {
        l->notify = 1;
        *changed = notified || !l->primed;
        l->primed = 1;
        return BK_OK;
    }
    if (e != BK_ERR_STATE) return e;
    int64_t v = 0;
    e = store_data_version(l->st, &v);
    if (e) return e;
    if (!l->primed || v != l->version) *changed = 1;
    l->version = v;
    l->primed = 1;
    return BK_OK;
}

/* PostgreSQL: block on the notifications (and the caller's wake fd). */
static bk_err notify_wait(live_src *l, int timeout_ms, int *changed)
{
    int64_t t0 = otime_mono_ms();
    for (;;) {
        int left = timeout_ms - (int)(otime_mono_ms() - t0);
        if (left <= 0) return BK_OK;
        int step = left;
        if (l->wake_fd < 0 && l->sleep && step > l->poll_ms)
            step = l->poll_ms; /* no fd to wake us: ask l->sleep every poll_ms */
        int notified = 0;
        bk_err e = store_wait_change_fd(l->st, step, l->wake_fd, &notified);
        if (e) return e;
        if (notified) {
            *changed = 1;
            return BK_OK;
        }
        if (l->sleep && l->sleep(l->sleep_ud, 0)) return BK_OK; /* the caller has work */
    }
}

static int plain_sleep(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
    return 0;
}

bk_err live_wait(live_src *l, int timeout_ms, int *changed)
{
    int waited = 0;
    for (;;) {
        bk_err e = live_check(l, changed);
        if (e || *changed || waited >= timeout_ms) return e;
        if (l->notify) return notify_wait(l, timeout_ms, changed);
        int step = l->poll_ms;
        if (step > timeout_ms - waited) step = timeout_ms - waited;
        int work = l->sleep ? l->sleep(l->sleep_ud, step) : plain_sleep(step);
        waited += step;
        if (work) return BK_OK;
    }
}
