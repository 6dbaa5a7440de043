/* i18n.h — message catalogs and Indonesian/English date formatting.
 *
 * Catalogs live in assets/i18n/<lang>.txt (UTF-8; `key = value` per line,
 * `#` comments, blank lines ignored; `\n` in a value is a line break).
 * Keys are namespaced by surface: kiosk.*, slip.*, board.*, desk.*,
 * reception.*, common.*. Every key present in id.txt must be in en.txt and
 * vice versa (a test checks this).
 *
 * Day and month names are built in (no system locale is needed):
 *   id: "Senin, 7 Desember 2026", "pukul 14.30"
 *   en: "Monday, 7 December 2026", "14:30"
 * An i18n table owns its strings; i18n_free releases them.
 */
#ifndef BK_I18N_H
#define BK_I18N_H

#include <stddef.h>

#include "bkerr.h"
#include "otime.h"

typedef struct i18n i18n;

/* Load <dir>/<lang>.txt. lang is "id" or "en". */
bk_err i18n_load(const char *dir, const char *lang, i18n **out);
void i18n_free(i18n *t);

/* The text for key; the key itself if missing (so a gap is visible, not a crash). */
const char *i18n_get(const i18n *t, const char *key);
int i18n_has(const i18n *t, const char *key);
const char *i18n_lang(const i18n *t);

/* Number of keys, and the key at index i (for completeness tests). */
size_t i18n_count(const i18n *t);
const char *i18n_key_at(const i18n *t, size_t i);

/* Replace {name} placeholders: vars is a NULL-terminated list of name, value
 * pairs. Writes at most outsz bytes (always NUL-terminated, UTF-8 safe). */
void i18n_fill(const char *tmpl, const char *const *vars, char *out, size_t outsz);

/* "Senin, 7 Desember 2026" / "Monday, 7 December 2026". */
void i18n_date_long(const char *lang, const otime_parts *p, char *out, size_t outsz);
/* "7 Desember 2026" / "7 December 2026". */
void i18n_date(const char *lang, const otime_parts *p, char *out, size_t outsz);
/* "pukul 14.30" / "14:30". */
void i18n_time(const char *lang, const otime_parts *p, char *out, size_t outsz);

#endif
