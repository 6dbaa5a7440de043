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

/* Messages of programs that build them with printf (bapasctl, the doctor's
 * lines), translated through the same catalogs: the key is `prefix` and a
 * slug of the English format itself ("ctl.m." + "client %s not found" ->
 * "ctl.m.client_s_not_found": lower-case letters and digits, one "_" for
 * every run of anything else, at most I18N_SLUG_MAX characters), the value
 * its translation with the same conversions in the same order. The English
 * lives only in the code (so these keys are not in en.txt); a changed
 * English text falls back to itself until its translation is updated. */
#define I18N_SLUG_MAX 120
#define I18N_CODE_PREFIX "ctl.m." /* keys whose English is the code's (only in id.txt) */
void i18n_slug(const char *prefix, const char *text, char *out, size_t outsz);

/* The translation of the printf format fmt in t (NULL: none), or fmt itself
 * when the catalog has none or its conversions differ from fmt's (so a
 * mistyped catalog line can never make printf read the wrong arguments). */
const char *i18n_fmt(const i18n *t, const char *prefix, const char *fmt);

/* 1 when a and b have the same printf conversions in the same order (flags
 * and widths aside; %n never), else 0. */
int i18n_fmt_compatible(const char *a, const char *b);

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
