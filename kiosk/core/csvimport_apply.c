/* csvimport_apply.c — one import, all or nothing, in one write transaction
 * (see csvimport.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "csvimport.h"
#include "otime.h"
#include "store_data.h"

/* ---- officer references ------------------------------------------------ */

typedef struct officer_set {
    store_officer *v;
    size_t n, cap;
} officer_set;

static bk_err collect_officer(void *ud, const store_officer *o)
{
    officer_set *set = ud;
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 32;
        store_officer *v = realloc(set->v, cap * sizeof *v);
        if (!v) return BK_ERR_NOMEM;
        set->v = v;
        set->cap = cap;
    }
    set->v[set->n++] = *o;
    return BK_OK;
}

static int officer_cmp(const void *a, const void *b)
{
    return strcmp(((const store_officer *)a)->id, ((const store_officer *)b)->id);
}

/* ASCII-case-insensitive equality ignoring runs of spaces. */
static int same_name(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (!*a || !*b) return *a == *b;
        int sa = 0, sb = 0;
        while (*a && *a != ' ' && *b && *b != ' ') {
            char x = *a, y = *b;
            if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
            if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
            if (x != y) return 0;
            a++;
            b++;
        }
        sa = *a == ' ' || !*a;
        sb = *b == ' ' || !*b;
        if (sa != sb) return 0;
    }
}

/* Id (exact, then case-insensitive), then the name of exactly one officer. */
static bk_err find_officer(void *ud, const char *ref, char id[STORE_ID_SZ], int *active)
{
    const officer_set *set = ud;
    store_officer key = {0};
    snprintf(key.id, sizeof key.id, "%s", ref);
    const store_officer *hit = NULL;
    if (set->n && strlen(ref) < sizeof key.id)
        hit = bsearch(&key, set->v, set->n, sizeof *set->v, officer_cmp);
    size_t matches = 0;
    if (!hit) {
        for (size_t i = 0; i < set->n; i++)
            if (strcasecmp(set->v[i].id, ref) == 0) {
                hit = &set->v[i];
                matches++;
            }
        if (matches > 1) return BK_ERR_EXISTS;
    }
    if (!hit) {
        for (size_t i = 0; i < set->n; i++)
            if (same_name(set->v[i].name, ref)) {
                hit = &set->v[i];
                matches++;
            }
        if (matches > 1) return BK_ERR_EXISTS;
    }
    if (!hit) return BK_ERR_NOT_FOUND;
    snprintf(id, STORE_ID_SZ, "%s", hit->id);
    *active = hit->active;
    return BK_OK;
}

/* ---- the run ----------------------------------------------------------- */

static bk_err read_file(const char *path, char **buf, size_t *len, csvimport_problems *pr)
{
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int err = errno;
        if (f) fclose(f);
        if (csvimport_problem_add(pr, 0, "file", "cannot read %s: %s", path,
                                  f ? "not a regular file" : strerror(err)))
            return BK_ERR_NOMEM;
        return BK_ERR_IO;
    }
    if ((uint64_t)sb.st_size > CSVIMPORT_MAX_BYTES) {
        fclose(f);
        if (csvimport_problem_add(pr, 1, "file", "is larger than %zu MiB",
                                  CSVIMPORT_MAX_BYTES >> 20))
            return BK_ERR_NOMEM;
        return BK_ERR_INVALID;
    }
    size_t cap = (size_t)sb.st_size + 1;
    char *b = malloc(cap);
    if (!b) {
        fclose(f);
        return BK_ERR_NOMEM;
    }
    size_t n = fread(b, 1, cap, f);
    int bad = ferror(f) || n >= cap; /* grew while reading */
    fclose(f);
    if (bad) {
        free(b);
        if (csvimport_problem_add(pr, 0, "file", "cannot read %s (did it change while reading?)",
                                  path))
            return BK_ERR_NOMEM;
        return BK_ERR_IO;
    }
    *buf = b;
    *len = n;
    return BK_OK;
}

typedef struct end_ctx {
    store *s;
    int64_t now;
    const char *actor;
    int clients;
} end_ctx;

static bk_err audit_ended(void *ud, const char *key)
{
    end_ctx *c = ud;
    if (c->clients)
        return store_audit_add(c->s, c->now, c->actor, "import_end", 0, key,
                               "supervision ended: missing from the imported list");
    char d[STORE_TEXT_SZ];
    snprintf(d, sizeof d, "officer %s deactivated: missing from the imported list", key);
    return store_audit_add(c->s, c->now, c->actor, "import_end", 0, NULL, d);
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

bk_err csvimport_run(store *s, const char *path, const csvimport_opts *o, csvimport_result *r)
{
    memset(r, 0, sizeof *r);
    int64_t t0 = otime_mono_us();
    char *buf = NULL;
    size_t len = 0;
    csvimport_file f;
    memset(&f, 0, sizeof f);
    csvimport_rows rows;
    memset(&rows, 0, sizeof rows);
    officer_set officers = {0};
    store_data_import *im = NULL;
    int in_tx = 0;
    const char *actor = o->actor ? o->actor : "import";
    int64_t now = o->now ? o->now : otime_now();
    char today[11];
    otime_day(now, o->utc_offset_min, today);

    bk_err e = read_file(path, &buf, &len, &r->problems);
    if (e) goto out;
    e = csvimport_parse(buf, len, &f, &r->problems);
    r->delim = f.delim;
    r->bom = f.bom;
    if (e) goto out;

    if ((e = store_begin(s, STORE_TX_WRITE))) goto out;
    in_tx = 1;
    if (o->kind == CSVIMPORT_CLIENTS) {
        if ((e = store_officer_list(s, collect_officer, &officers))) goto out;
        if (officers.n > 1) qsort(officers.v, officers.n, sizeof *officers.v, officer_cmp);
    }
    csvimport_env env = {.today = today, .officer_find = find_officer, .ud = &officers};
    e = csvimport_validate(&f, o->kind, &env, &rows, &r->problems);
    snprintf(r->columns, sizeof r->columns, "%s", rows.columns);
    snprintf(r->ignored, sizeof r->ignored, "%s", rows.ignored);
    r->rows = f.nrecords ? f.nrecords - 1 : 0;
    if (e) goto out;

    if ((e = store_data_import_open(s, o->mark_missing_ended, &im))) goto out;
    for (size_t i = 0; i < rows.n; i++) {
        int what = 0;
        unsigned changed = 0;
        if (o->kind == CSVIMPORT_OFFICERS) {
            e = store_data_import_officer(im, &rows.officers[i].o, rows.officers[i].given, &what,
                                          &changed);
        } else {
            const store_client *c = &rows.clients[i].c;
            char old[STORE_ID_SZ];
            e = store_data_import_client(im, c, rows.clients[i].given, today, &what, &changed, old);
            if (!e && (changed & STORE_DATA_C_OFFICER)) {
                char d[STORE_TEXT_SZ];
                snprintf(d, sizeof d, "assigned officer %s -> %s (import of %s)", old, c->officer,
                         base_name(path));
                r->reassigned++;
                e = store_audit_add(s, now, actor, "import_reassign", 0, c->no, d);
            }
        }
        if (e) goto out;
        if (what == STORE_DATA_ADDED)
            r->added++;
        else if (what == STORE_DATA_UPDATED)
            r->updated++;
        else
            r->unchanged++;
    }
    if (o->mark_missing_ended) {
        end_ctx ec = {s, now, actor, o->kind == CSVIMPORT_CLIENTS};
        if ((e = store_data_import_end_missing(im, ec.clients, &r->ended, audit_ended, &ec)))
            goto out;
    }
    store_data_import_close(im);
    im = NULL;
    char d[STORE_TEXT_SZ];
    snprintf(d, sizeof d,
             "%s from %s: rows=%zu added=%d updated=%d unchanged=%d ended=%d reassigned=%d%s",
             o->kind == CSVIMPORT_OFFICERS ? "officers" : "clients", base_name(path), r->rows,
             r->added, r->updated, r->unchanged, r->ended, r->reassigned,
             o->mark_missing_ended ? " (--mark-missing-ended)" : "");
    if ((e = store_audit_add(s, now, actor, "import", 0, NULL, d))) goto out;
    if (o->dry_run) {
        store_rollback(s);
        in_tx = 0;
    } else {
        if ((e = store_commit(s))) goto out;
        in_tx = 0;
    }
out:
    store_data_import_close(im);
    if (in_tx) store_rollback(s);
    csvimport_rows_free(&rows);
    csvimport_file_free(&f);
    free(officers.v);
    free(buf);
    r->seconds = (double)(otime_mono_us() - t0) / 1e6;
    return e;
}

void csvimport_result_free(csvimport_result *r)
{
    csvimport_problems_free(&r->problems);
}
