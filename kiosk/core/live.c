/* live.c — change detection (live.h): LISTEN/NOTIFY where the store has it
 * (PostgreSQL), else polling the store's data version (SQLite). */
#include "live.h"

#include <time.h>

void live_init(live_src *l, store *st, int poll_ms)
{
    l->st = st;
    l->poll_ms = poll_ms > 0 ? poll_ms : LIVE_POLL_MS_DEFAULT;
    l->version = 0;
    l->primed = 0;
    l->sleep = NULL;
    l->sleep_ud = NULL;
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
        *changed = notified || !l->primed;
        l->primed = 1;
        return BK_OK;
    }
    if (e != BK_ERR_STATE)
        return e;
    int64_t v = 0;
    e = store_data_version(l->st, &v);
    if (e)
        return e;
    if (!l->primed || v != l->version)
        *changed = 1;
    l->version = v;
    l->primed = 1;
    return BK_OK;
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
        if (e || *changed || waited >= timeout_ms)
            return e;
        int step = l->poll_ms;
        if (step > timeout_ms - waited)
            step = timeout_ms - waited;
        int work = l->sleep ? l->sleep(l->sleep_ud, step) : plain_sleep(step);
        waited += step;
        if (work)
            return BK_OK;
    }
}
