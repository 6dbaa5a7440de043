/* otime.h — office time: UTC instants, the local "office day", ISO strings.
 *
 * Instants are int64 seconds since the Unix epoch, UTC. The office zone is a
 * fixed UTC offset in minutes: Indonesia has no daylight saving, so the zone
 * names Asia/Jakarta (WIB), Asia/Pontianak, Asia/Makassar (WITA) and
 * Asia/Jayapura (WIT) are built in and no system tzdata or locale is needed.
 * No function allocates or keeps state.
 */
#ifndef BK_OTIME_H
#define BK_OTIME_H

#include <stdint.h>
#include "bkerr.h"

#define OTIME_DEFAULT_ZONE "Asia/Jakarta"

typedef struct otime_parts {
    int year, month, day; /* month 1..12 */
    int hour, min, sec;
    int wday; /* 0 = Sunday .. 6 = Saturday */
} otime_parts;

/* Zone name ("Asia/Jakarta", "WIB", "UTC", "+07:00", "UTC+8") to an offset in
 * minutes east of UTC. BK_ERR_INVALID for anything else. */
bk_err otime_zone_offset(const char *zone, int *offset_min);

/* The wall clock now (CLOCK_REALTIME), seconds. */
int64_t otime_now(void);

/* The monotonic clock (CLOCK_MONOTONIC) since an arbitrary start, in
 * microseconds and in milliseconds: for timeouts, intervals and frame times,
 * never for dates. The one place the tree reads CLOCK_MONOTONIC. */
int64_t otime_mono_us(void);
int64_t otime_mono_ms(void);

/* The test clock: $BAPAS_NOW (anything otime_parse takes) pins "now" for the
 * queue rules, so tests and benchmarks act on a chosen day. A test hook: only
 * builds with BK_TEST_HOOKS honour it. *out = the instant, or 0 when the
 * variable is unset or empty (then the real clock is used). BK_ERR_INVALID
 * when it is set but is not an instant; BK_ERR_USAGE when it is set in a
 * build without test hooks (refused, not ignored: the caller would otherwise
 * write records at a time it did not mean). */
bk_err otime_test_now(int64_t *out);

/* Days since 1970-01-01 for a civil date, and back (proleptic Gregorian). */
int64_t otime_days_from_civil(int y, int m, int d);
void otime_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Local parts of instant t in a zone with the given offset. */
void otime_local(int64_t t, int offset_min, otime_parts *out);

/* The office day of t as "YYYY-MM-DD" (out must hold 11 bytes). */
void otime_day(int64_t t, int offset_min, char out[11]);

/* "YYYY-MM-DD" plus n days into out (11 bytes). BK_ERR_INVALID on a bad date. */
bk_err otime_day_add(const char *day, int n, char out[11]);

/* Whole days from day a to day b (b - a). BK_ERR_INVALID on a bad date. */
bk_err otime_day_diff(const char *a, const char *b, int *out);

/* The instant at which office day `day` begins. */
bk_err otime_day_start(const char *day, int offset_min, int64_t *out);

/* t as "YYYY-MM-DDTHH:MM:SSZ" (out must hold 21 bytes). */
void otime_iso_utc(int64_t t, char out[21]);

/* Parse "YYYY-MM-DDTHH:MM:SSZ", "YYYY-MM-DD HH:MM:SS" (taken as UTC), either
 * with a "+HH:MM" offset, or a bare integer of epoch seconds. */
bk_err otime_parse(const char *s, int64_t *out);

#endif
