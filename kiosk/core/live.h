/* live.h — "has the shared database changed?", the one interface the live
 * screens (board, reception, desk) use to notice other processes' commits.
 *
 * On PostgreSQL it blocks on the change notifications the write trigger
 * sends (store_wait_change_fd: poll() on the connection's socket, no query,
 * so a commit elsewhere is seen within milliseconds, and an idle screen
 * sleeps); on SQLite it polls the store's data version (PRAGMA
 * data_version, a cheap read of a counter in shared memory) every poll_ms.
 * Callers do not care which: they call live_wait() in their worker loop and
 * re-read their model whenever *changed is 1. live_reset() forces the next wait to
 * report a change (after a reconnect everything is re-read, because
 * notifications are not replayed).
 *
 * Memory: a live_src is plain data owned by the caller; it borrows the store.
 * Not thread-safe: use it on the thread that owns the store.
 */
#ifndef BK_LIVE_H
#define BK_LIVE_H

#include <stdint.h>

#include "bkerr.h"
#include "store.h"

#define LIVE_POLL_MS_DEFAULT 100

typedef struct live_src {
    store *st;       /* borrowed */
    int poll_ms;     /* 0 = LIVE_POLL_MS_DEFAULT */
    int64_t version; /* last seen */
    int primed;      /* version is valid */
    /* Optional early wake-up: called between polls with the ms to sleep;
     * returns 1 when the caller has work (stop waiting). NULL = plain sleep. */
    int (*sleep)(void *ud, int ms);
    void *sleep_ud;
    /* Optional (-1 = none): a descriptor (pipe, eventfd) that becomes
     * readable when the caller has work. On PostgreSQL the wait blocks on
     * the notifications and this fd together, then asks l->sleep(ud, 0)
     * whether there is work. Without it, the blocking wait is cut into
     * poll_ms slices so l->sleep is still asked every poll_ms. The caller
     * owns and drains it. */
    int wake_fd;
    int notify; /* set by live: the store delivers notifications */
} live_src;

void live_init(live_src *l, store *st, int poll_ms);
/* The next live_check/live_wait reports a change. */
void live_reset(live_src *l);
/* One non-blocking check: *changed = 1 if a commit happened since the last
 * check (always 1 after init/reset). */
bk_err live_check(live_src *l, int *changed);
/* Wait up to timeout_ms for a change (or for l->sleep to report work).
 * *changed as in live_check. Errors (BK_ERR_BUSY...) return at once. */
bk_err live_wait(live_src *l, int timeout_ms, int *changed);

#endif
