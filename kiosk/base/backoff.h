/* backoff.h — when to try reconnecting next: exponential backoff with
 * jitter, one policy for every process that waits for the database to come
 * back (the live modes' worker, the kiosk's reopen).
 *
 * Attempt n (0-based, counted since the last success) waits a delay drawn
 * uniformly from [d/2, d] where d = min(cap, first * 2^n): with the defaults
 * 0.5 s, 1 s, 2 s, 4 s, 8 s, then 12 s for ever (each between half and all
 * of that). The random half spreads 20 screens that lost the server at the
 * same instant (a restart) over seconds instead of letting them reconnect
 * in the same millisecond, and the cap bounds how long a screen stays stale
 * after the server is back. backoff_reset() after a success starts again at
 * `first`.
 *
 * The randomness is a xorshift generator seeded by the caller (a fixed seed
 * gives a reproducible sequence for tests; processes should pass something
 * that differs between them, e.g. backoff_seed()).
 *
 * Memory: plain data owned by the caller. Not thread-safe (one owner).
 */
#ifndef BK_BACKOFF_H
#define BK_BACKOFF_H

#include <stdint.h>

#define BACKOFF_FIRST_MS 500
#define BACKOFF_CAP_MS 12000

typedef struct backoff {
    int first_ms; /* the first delay's upper bound; <= 0 = BACKOFF_FIRST_MS */
    int cap_ms;   /* the largest delay; <= 0 = BACKOFF_CAP_MS */
    int attempt;  /* failures since the last success */
    uint64_t rng; /* xorshift state, never 0 */
} backoff;

/* Set up with the given bounds (<= 0 = the defaults) and a seed. */
void backoff_init(backoff *b, int first_ms, int cap_ms, uint64_t seed);

/* The pure policy: the delay for attempt n (0-based) given a uniform random
 * number r in [0, 2^32). Always in [d/2, d] as described above, and >= 1. */
int backoff_delay(int first_ms, int cap_ms, int attempt, uint32_t r);

/* The delay before the next attempt after one more failure (counts it). */
int backoff_next(backoff *b);

/* A success: the next failure starts again at first_ms. */
void backoff_reset(backoff *b);

/* A seed that differs between processes and runs (pid, time). */
uint64_t backoff_seed(void);

#endif
