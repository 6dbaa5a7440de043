/* i18n.c — message catalogs and built-in Indonesian/English dates.
 *
 * A catalog is read once into one heap block per string; the entries are kept
 * sorted by key so lookups are a binary search. Malformed lines (no '=',
 * empty key, invalid UTF-8) are skipped; a later duplicate key replaces an
 * earlier one (the catalog test reports duplicates in the files).
 */
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valid.h"

typedef struct i18n_entry {
    char *key;
    char *val;
} i18n_entry;

struct i18n {
    char lang[8];
    i18n_entry *e;
    size_t n, cap;
};

static char *dup_range(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim in place: returns the start, writes the new end. */
static char *trim(char *s, char **end)
{
    while (*s && is_space(*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && is_space(e[-1]))
        e--;
    *e = 0;
    if (end) *end = e;
    return s;
}

/* Decode the escapes of a value in place: "\n" = line break, "\\" = backslash. */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] == 'n') {
            *w++ = '\n';
            r++;
        } else if (r[0] == '\\' && r[1] == '\\') {
            *w++ = '\\';
            r++;
        } else {
            *w++ = *r;
        }
    }
    *w = 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const i18n_entry *x = a, *y = b;
    return strcmp(x->key, y->key);
}

static i18n_entry *find(const i18n *t, const char *key)
{
    if (!t || !key || !t->n) return NULL;
    i18n_entry k = {(char *)key, NULL};
    return bsearch(&k, t->e, t->n, sizeof *t->e, cmp_entry);
}

/* Add or replace; keeps the array unsorted until load finishes. */
static bk_err add(i18n *t, const char *key, const char *val)
{
    for (size_t i = 0; i < t->n; i++) { /* load-time only; catalogs are small */
        if (strcmp(t->e[i].key, key) == 0) {
            char *v = dup_range(val, strlen(val));
            if (!v) return BK_ERR_NOMEM;
            free(t->e[i].val);
            t->e[i].val = v;
            return BK_OK;
        }
    }
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 128;
        i18n_entry *ne = realloc(t->e, nc * sizeof *ne);
        if (!ne) return BK_ERR_NOMEM;
        t->e = ne;
        t->cap = nc;
    }
    char *k = dup_range(key, strlen(key));
    char *v = dup_range(val, strlen(val));
    if (!k || !v) {
        free(k);
        free(v);
        return BK_ERR_NOMEM;
    }
    t->e[t->n].key = k;
    t->e[t->n].val = v;
    t->n++;
    return BK_OK;
}

static int valid_key(const char *k)
{
    if (!*k) return 0;
    for (const char *p = k; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

bk_err i18n_load(const char *dir, const char *lang, i18n **out)
{
    *out = NULL;
    if (!dir || !lang || (strcmp(lang, "id") != 0 && strcmp(lang, "en") != 0))
        return BK_ERR_INVALID;
    char path[2048];
    int pn = snprintf(path, sizeof path, "%s/%s.txt", dir, lang);
    if (pn < 0 || (size_t)pn >= sizeof path) return BK_ERR_INVALID;
    FILE *f = fopen(path, "r");
    if (!f) return errno == ENOENT ? BK_ERR_NOT_FOUND : BK_ERR_IO;

    bk_err e = BK_OK;
    char *line = NULL;
    size_t linecap = 0;
    i18n *t = calloc(1, sizeof *t);
    if (!t) {
        e = BK_ERR_NOMEM;
        goto out;
    }
    snprintf(t->lang, sizeof t->lang, "%s", lang);
    ssize_t len;
    int first = 1;
    while ((len = getline(&line, &linecap, f)) >= 0) {
        char *s = line;
        if (first && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
            (unsigned char)s[2] == 0xBF)
            s += 3; /* UTF-8 byte order mark */
        first = 0;
        s = trim(s, NULL);
        if (!*s || *s == '#') continue;
        char *eq = strchr(s, '=');
        if (!eq) continue;
        *eq = 0;
        char *key = trim(s, NULL);
        char *val = trim(eq + 1, NULL);
        if (!valid_key(key)) continue;
        if (valid_text(val, 4000, 0, NULL) != BK_OK) continue;
        unescape(val);
        if ((e = add(t, key, val)) != BK_OK) goto out;
    }
    if (ferror(f)) {
        e = BK_ERR_IO;
        goto out;
    }
    if (t->n) qsort(t->e, t->n, sizeof *t->e, cmp_entry);
    *out = t;
    t = NULL;
out:
    free(line);
    fclose(f);
    i18n_free(t);
    return e;
}

void i18n_free(i18n *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->e[i].key);
        free(t->e[i].val);
    }
    free(t->e);
    free(t);
}

const char *i18n_get(const i18n *t, const char *key)
{
    i18n_entry *x = find(t, key);
    return x ? x->val : (key ? key : "");
}

void i18n_slug(const char *prefix, const char *text, char *out, size_t outsz)
{
    if (!outsz) return;
    size_t n = (size_t)snprintf(out, outsz, "%s", prefix);
    if (n >= outsz) return;
    int gap = 0;
    for (const char *p = text; *p && n + 1 < outsz && n < I18N_SLUG_MAX; p++) {
        char ch = *p;
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        int word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (!word) {
            gap = 1;
            continue;
        }
        if (gap && n > strlen(prefix) && n + 2 < outsz) out[n++] = '_';
        gap = 0;
        out[n++] = ch;
    }
    out[n] = 0;
}

/* The next printf conversion of f at or after *p ("%%" skipped), as its
 * conversion letter with its length modifiers ("ld", "zu", ".*s" -> "*s"),
 * into spec; 0 at the end. */
static int next_conv(const char **p, char *spec, size_t specsz)
{
    const char *s = *p;
    for (;;) {
        s = strchr(s, '%');
        if (!s) return 0;
        if (s[1] == '%') {
            s += 2;
            continue;
        }
        break;
    }
    s++;
    size_t n = 0;
    while (*s && strchr("-+ #0123456789.", *s))
        s++;
    while (*s && !strchr("diouxXeEfgGcspn", *s)) {
        if (*s == '*' || strchr("hlLqjzt", *s))
            if (n + 1 < specsz) spec[n++] = *s;
        s++;
    }
    if (!*s) return 0;
    if (n + 1 < specsz) spec[n++] = *s;
    spec[n] = 0;
    *p = s + 1;
    return 1;
}

int i18n_fmt_compatible(const char *a, const char *b)
{
    const char *pa = a, *pb = b;
    char sa[16], sb[16];
    for (;;) {
        int ha = next_conv(&pa, sa, sizeof sa), hb = next_conv(&pb, sb, sizeof sb);
        if (ha != hb) return 0;
        if (!ha) return 1;
        if (strcmp(sa, sb) != 0 || strchr(sa, 'n')) return 0;
    }
}

const char *i18n_fmt(const i18n *t, const char *prefix, const char *fmt)
{
    if (!t || !fmt) return fmt;
    char key[I18N_SLUG_MAX + 64];
    i18n_slug(prefix, fmt, key, sizeof key);
    i18n_entry *x = find(t, key);
    if (!x || !i18n_fmt_compatible(fmt, x->val)) return fmt;
    return x->val;
}

int i18n_has(const i18n *t, const char *key)
{
    return find(t, key) != NULL;
}

const char *i18n_lang(const i18n *t)
{
    return t ? t->lang : "id";
}

size_t i18n_count(const i18n *t)
{
    return t ? t->n : 0;
}

const char *i18n_key_at(const i18n *t, size_t i)
{
    return t && i < t->n ? t->e[i].key : NULL;
}

/* Append n bytes of s to out[*w], never splitting a UTF-8 sequence. Returns 0
 * once the buffer is full. */
static int put(char *out, size_t outsz, size_t *w, const char *s, size_t n)
{
    size_t room = outsz - 1 - *w;
    if (n <= room) {
        memcpy(out + *w, s, n);
        *w += n;
        return 1;
    }
    size_t k = room;
    /* back off to a character boundary: s[k] must not be a continuation byte */
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    memcpy(out + *w, s, k);
    *w += k;
    return 0;
}

void i18n_fill(const char *tmpl, const char *const *vars, char *out, size_t outsz)
{
    if (!out || outsz == 0) return;
    size_t w = 0;
    out[0] = 0;
    if (!tmpl) return;
    const char *p = tmpl;
    while (*p) {
        const char *brace = strchr(p, '{');
        if (!brace) {
            put(out, outsz, &w, p, strlen(p));
            break;
        }
        if (!put(out, outsz, &w, p, (size_t)(brace - p))) break;
        const char *close = strchr(brace + 1, '}');
        const char *val = NULL;
        if (close && vars) {
            size_t nl = (size_t)(close - brace - 1);
            for (const char *const *v = vars; v[0] && v[1]; v += 2) {
                if (strlen(v[0]) == nl && strncmp(v[0], brace + 1, nl) == 0) {
                    val = v[1];
                    break;
                }
            }
        }
        if (val) {
            if (!put(out, outsz, &w, val, strlen(val))) break;
            p = close + 1;
        } else { /* unknown placeholder: keep the brace literally */
            if (!put(out, outsz, &w, brace, 1)) break;
            p = brace + 1;
        }
    }
    out[w] = 0;
}

static const char *const id_days[7] = {"Minggu", "Senin", "Selasa", "Rabu",
                                       "Kamis",  "Jumat", "Sabtu"};
static const char *const en_days[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                       "Thursday", "Friday", "Saturday"};
static const char *const id_months[12] = {"Januari",   "Februari", "Maret",    "April",
                                          "Mei",       "Juni",     "Juli",     "Agustus",
                                          "September", "Oktober",  "November", "Desember"};
static const char *const en_months[12] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

static int is_en(const char *lang)
{
    return lang && strcmp(lang, "en") == 0;
}

static const char *month_name(const char *lang, int m)
{
    if (m < 1 || m > 12) return "?";
    return is_en(lang) ? en_months[m - 1] : id_months[m - 1];
}

void i18n_date(const char *lang, const otime_parts *p, char *out, size_t outsz)
{
    if (!out || !outsz) return;
    snprintf(out, outsz, "%d %s %d", p->day, month_name(lang, p->month), p->year);
}

void i18n_date_long(const char *lang, const otime_parts *p, char *out, size_t outsz)
{
    if (!out || !outsz) return;
    int wd = p->wday >= 0 && p->wday <= 6 ? p->wday : 0;
    snprintf(out, outsz, "%s, %d %s %d", is_en(lang) ? en_days[wd] : id_days[wd], p->day,
             month_name(lang, p->month), p->year);
}

void i18n_time(const char *lang, const otime_parts *p, char *out, size_t outsz)
{
    if (!out || !outsz) return;
    int h = p->hour % 24, m = p->min % 60;
    if (is_en(lang))
        snprintf(out, outsz, "%02d:%02d", h, m);
    else
        snprintf(out, outsz, "pukul %02d.%02d", h, m);
}
