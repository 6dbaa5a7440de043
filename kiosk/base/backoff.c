/* backoff.c — reconnect delays (backoff.h). */
#include "backoff.h"
#include "otime.h"

#include <time.h>
#include <unistd.h>

void backoff_init(backoff *b, int first_ms, int cap_ms, uint64_t seed)
{
    b->first_ms = first_ms > 0 ? first_ms : BACKOFF_FIRST_MS;
    b->cap_ms = cap_ms > 0 ? cap_ms : BACKOFF_CAP_MS;
    if (b->cap_ms < b->first_ms) b->cap_ms = b->first_ms;
    b->attempt = 0;
    b->rng = seed ? seed : 0x9E3779B97F4A7C15ULL;
}

int backoff_delay(int first_ms, int cap_ms, int attempt, uint32_t r)
{
    if (first_ms <= 0) first_ms = BACKOFF_FIRST_MS;
    if (cap_ms <= 0) cap_ms = BACKOFF_CAP_MS;
    if (cap_ms < first_ms) cap_ms = first_ms;
    int64_t d = first_ms;
    for (int i = 0; i < attempt && d < cap_ms; i++)
        d *= 2;
    if (d > cap_ms) d = cap_ms;
    int64_t half = d / 2;
    /* uniform in [d - half, d] */
    int64_t v = d - half + (int64_t)(((uint64_t)r * (uint64_t)(half + 1)) >> 32);
    return v < 1 ? 1 : (int)v;
}

static uint32_t next_rand(backoff *b)
{
    uint64_t x = b->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b->rng = x;
    return (uint32_t)(x >> 32);
}

int backoff_next(backoff *b)
{
    int d = backoff_delay(b->first_ms, b->cap_ms, b->attempt, next_rand(b));
    if (b->attempt < 1000) b->attempt++;
    return d;
}

void backoff_reset(backoff *b)
{
    b->attempt = 0;
}

uint64_t backoff_seed(void)
{
    uint64_t t = (uint64_t)otime_mono_us();
    uint64_t s = (uint64_t)getpid() * UINT64_C(0x9E3779B97F4A7C15);
    s ^= t << 20 ^ t / 1000000;
    return s ? s : 1;
}
