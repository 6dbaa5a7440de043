/* valid.h — validation of outside input (touch, scanner, CSV, CLI).
 *
 * Every function is pure: no allocation, no globals. On rejection the
 * functions return BK_ERR_INVALID and, when `why` is non-NULL, point it at a
 * static English phrase ("contains a control character", ...) that callers
 * may show in CLI messages. UIs map the error to their own catalog text.
 */
#ifndef BK_VALID_H
#define BK_VALID_H

#include <stddef.h>
#include "bkerr.h"

#define VALID_CLIENT_NO_MAX 32  /* characters (all ASCII) */
#define VALID_OFFICER_ID_MAX 32 /* characters (all ASCII) */
#define VALID_NAME_MAX 100      /* characters (code points) */
#define VALID_ROOM_MAX 40       /* characters */
#define VALID_REASON_MAX 300    /* characters */

/* Client number: 1..32 of [A-Za-z0-9./-]. */
bk_err valid_client_no(const char *s, const char **why);

/* Officer id: 1..32 of [A-Za-z0-9._-]; the word "reception" is reserved. */
bk_err valid_officer_id(const char *s, const char **why);

/* Free text (names, rooms, reasons): valid UTF-8 without overlongs or
 * surrogates, no control characters (C0, DEL, C1), not empty after trimming
 * spaces when `required`, and at most `max_chars` code points. The text is
 * accepted exactly as given ("Ma'ruf", "'; DROP TABLE x;--"). */
bk_err valid_text(const char *s, size_t max_chars, int required, const char **why);

/* A real calendar date written YYYY-MM-DD with 1900 <= YYYY <= 2100.
 * Writes the parts when the pointers are non-NULL. */
bk_err valid_date(const char *s, int *y, int *m, int *d, const char **why);

/* Number of days in month m of year y (1..12); 0 for a bad month. */
int valid_days_in_month(int y, int m);

/* Strict base-10 integer in [lo, hi]. */
bk_err valid_int(const char *s, long lo, long hi, long *out, const char **why);

#endif
