/* probe.c — the doctor's report: items, selection, text output, service user. */
#include "probe.h"

#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const label_text[PROBE__COUNT] = {"OK", "WARN", "FAIL", "SKIP"};
static const char *const label_json[PROBE__COUNT] = {"ok", "warn", "fail", "skip"};

const char *probe_level_label(probe_level l)
{
    return l >= 0 && l < PROBE__COUNT ? label_text[l] : "?";
}

const char *probe_level_json(probe_level l)
{
    return l >= 0 && l < PROBE__COUNT ? label_json[l] : "?";
}

/* ---- the service user --------------------------------------------------- */

static void user_load(probe_user *u)
{
    const char *name = getenv("BAPAS_SERVICE_USER");
    if (!name || !*name) name = PROBE_SERVICE_USER;
    memset(u, 0, sizeof *u);
    snprintf(u->name, sizeof u->name, "%s", name);
    struct passwd *pw = getpwnam(name);
    if (!pw) return;
    u->exists = 1;
    u->uid = pw->pw_uid;
    u->gid = pw->pw_gid;
    int n = (int)(sizeof u->groups / sizeof u->groups[0]);
    if (getgrouplist(name, pw->pw_gid, u->groups, &n) < 0)
        n = (int)(sizeof u->groups / sizeof u->groups[0]); /* truncated list */
    u->ngroups = n;
}

int probe_user_in_gid(const probe_user *u, gid_t g)
{
    if (u->gid == g) return 1;
    for (int i = 0; i < u->ngroups; i++)
        if (u->groups[i] == g) return 1;
    return 0;
}

int probe_user_may(const probe_user *u, const struct stat *st, int want)
{
    if (u->uid == 0) return 1;
    unsigned mode = (unsigned)st->st_mode;
    unsigned bits;
    if (st->st_uid == u->uid)
        bits = (mode >> 6) & 7;
    else if (probe_user_in_gid(u, st->st_gid))
        bits = (mode >> 3) & 7;
    else
        bits = mode & 7;
    return (bits & (unsigned)want) == (unsigned)want;
}

/* ---- selection ------------------------------------------------------------ */

static int token_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0) return 1;
        if (!e) break;
        p = e + 1;
    }
    return 0;
}

void probe_report_init(probe_report *r, const probe_check *checks, size_t n_checks,
                       const char *only)
{
    memset(r, 0, sizeof *r);
    r->checks = checks;
    r->n_checks = n_checks;
    r->only = only;
    user_load(&r->user);
}

int probe_list_valid(const probe_check *checks, size_t n_checks, const char *list, char *bad,
                     size_t badsz)
{
    for (const char *p = list;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int found = 0;
        for (size_t i = 0; i < n_checks && !found; i++)
            found = (strlen(checks[i].name) == len && !strncmp(checks[i].name, p, len)) ||
                    (strlen(checks[i].group) == len && !strncmp(checks[i].group, p, len));
        if (!found) {
            snprintf(bad, badsz, "%.*s", (int)len, p);
            return 0;
        }
        if (!e) return 1;
        p = e + 1;
    }
}

int probe_wanted(const probe_report *r, const char *name)
{
    for (size_t i = 0; i < r->n_checks; i++)
        if (strcmp(r->checks[i].name, name) == 0)
            return !r->only || token_in(r->only, name) || token_in(r->only, r->checks[i].group);
    return 0;
}

/* ---- items ---------------------------------------------------------------- */

probe_item *probe_add(probe_report *r, const char *name, probe_level level, const char *fmt, ...)
{
    probe_item *it = r->n < PROBE_MAX_ITEMS ? &r->items[r->n++] : &r->items[PROBE_MAX_ITEMS - 1];
    memset(it, 0, sizeof *it);
    it->name = name;
    it->level = level;
    it->tr = r->tr;
    it->tr_ud = r->tr_ud;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->msg, sizeof it->msg, it->tr ? it->tr(it->tr_ud, fmt) : fmt, ap);
    va_end(ap);
    return it;
}

void probe_detail(probe_item *it, const char *fmt, ...)
{
    if (it->n_details >= PROBE_MAX_DETAILS) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->details[it->n_details++], PROBE_DETAIL_SZ, it->tr ? it->tr(it->tr_ud, fmt) : fmt,
              ap);
    va_end(ap);
}

void probe_warn(probe_item *it)
{
    if (it->level == PROBE_OK) it->level = PROBE_WARN;
}

void probe_count(const probe_report *r, int counts[PROBE__COUNT])
{
    for (int l = 0; l < PROBE__COUNT; l++)
        counts[l] = 0;
    for (int i = 0; i < r->n; i++)
        if (r->items[i].level >= 0 && r->items[i].level < PROBE__COUNT) counts[r->items[i].level]++;
}

int probe_print_text(const probe_report *r, FILE *out)
{
    int counts[PROBE__COUNT];
    probe_count(r, counts);
    for (int i = 0; i < r->n; i++) {
        const probe_item *it = &r->items[i];
        if (it->level == PROBE_SKIP) continue;
        fprintf(out, "%-5s %-13s %s\n", probe_level_label(it->level), it->name, it->msg);
        for (int k = 0; k < it->n_details; k++)
            fprintf(out, "%-19s %s\n", "", it->details[k]);
    }
#define TR(s) (r->tr ? r->tr(r->tr_ud, s) : s)
    fprintf(out, "\n%d OK, %d WARN, %d FAIL: %s\n", counts[PROBE_OK], counts[PROBE_WARN],
            counts[PROBE_FAIL],
            counts[PROBE_FAIL]   ? TR("NOT healthy, fix the FAIL lines above")
            : counts[PROBE_WARN] ? TR("healthy, but look at the WARN lines")
                                 : TR("healthy"));
#undef TR
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* ---- helpers -------------------------------------------------------------- */

void probe_human_size(int64_t b, char *out, size_t outsz)
{
    if (b >= 1024 * PROBE_MIB)
        snprintf(out, outsz, "%.1f GiB", (double)b / (double)(1024 * PROBE_MIB));
    else if (b >= PROBE_MIB)
        snprintf(out, outsz, "%.1f MiB", (double)b / (double)PROBE_MIB);
    else if (b >= 1024)
        snprintf(out, outsz, "%lld KiB", (long long)(b / 1024));
    else
        snprintf(out, outsz, "%lld bytes", (long long)b);
}

void probe_dir_of(const char *path, char *out, size_t outsz)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, outsz, ".");
    else if (slash == path)
        snprintf(out, outsz, "/");
    else
        snprintf(out, outsz, "%.*s", (int)(slash - path), path);
}

int probe_has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

void probe_flatten(char *m)
{
    char *w = m;
    for (const char *r = m; *r; r++) {
        char ch = *r == '\n' || *r == '\t' || *r == '\r' ? ' ' : *r;
        if (ch == ' ' && w > m && w[-1] == ' ') continue;
        *w++ = ch;
    }
    while (w > m && w[-1] == ' ')
        w--;
    *w = 0;
}
