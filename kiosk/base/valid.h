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

/* The canonical form of an officer id, in place: ASCII letters upper-cased
 * ("pk05" -> "PK05"), so ids are compared without case wherever a person
 * types them (CLI, CSV import) while the database keeps one form; the
 * reserved word "reception" in any case becomes "reception". Validate first
 * or after: the characters allowed stay allowed. */
void valid_officer_id_canon(char *s);

/* A staff account's login name: 1..32 of [A-Za-z0-9._-], starting with a
 * letter (no spaces or control characters). */
#define VALID_USER_NAME_MAX 32
bk_err valid_user_name(const char *s, const char **why);
/* Its canonical form, in place: ASCII letters lower-cased ("Budi" -> "budi"),
 * so a name is the same however it is typed. */
void valid_user_name_canon(char *s);

/* Free text (names, rooms, reasons): valid UTF-8 without overlongs or
 * surrogates, no control characters (C0, DEL, C1), not empty after trimming
 * spaces when `required`, and at most `max_chars` code points. The text is
 * accepted exactly as given ("Ma'ruf", "'; DROP TABLE x;--"). */
bk_err valid_text(const char *s, size_t max_chars, int required, const char **why);

/* A real calendar date written YYYY-MM-DD with 1900 <= YYYY <= 2100.
 * Writes the parts when the pointers are non-NULL. */
bk_err valid_date(const char *s, int *y, int *m, int *d, const char **why);

/* A date a person types (CLI, CSV import): YYYY-MM-DD, or DD-MM-YYYY /
 * DD/MM/YYYY as Indonesians write it (day and month may have one digit:
 * 5/3/1990, 1990-3-5). The year must have four digits, so nothing is
 * guessed: 05-03-90 is refused, as are mixed separators and dots. out gets
 * the canonical YYYY-MM-DD (11 bytes). Same range and calendar checks as
 * valid_date. The one date parser for input; valid_date checks stored and
 * canonical text. */
bk_err valid_date_input(const char *s, char out[11], const char **why);

/* Number of days in month m of year y (1..12); 0 for a bad month. */
int valid_days_in_month(int y, int m);

/* Strict base-10 integer in [lo, hi]. */
bk_err valid_int(const char *s, long lo, long hi, long *out, const char **why);

#endif
