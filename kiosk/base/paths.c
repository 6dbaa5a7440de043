#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef BK_ASSETS_DIR
#define BK_ASSETS_DIR "/usr/share/bapas-kiosk/assets"
#endif

static int is_dir(const char *p)
{
    struct stat st;
    return p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

bk_err paths_assets(char *out, size_t outsz)
{
    const char *cands[] = {getenv("BAPAS_ASSETS"), BK_ASSETS_DIR, "/usr/share/bapas-kiosk/assets"};
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
        if (is_dir(cands[i])) {
            int n = snprintf(out, outsz, "%s", cands[i]);
            return n < 0 || (size_t)n >= outsz ? BK_ERR_INVALID : BK_OK;
        }
    }
    return BK_ERR_NOT_FOUND;
}

bk_err paths_asset(const char *rel, char *out, size_t outsz)
{
    char dir[1024];
    bk_err e = paths_assets(dir, sizeof dir);
    if (e) return e;
    int n = snprintf(out, outsz, "%s/%s", dir, rel);
    return n < 0 || (size_t)n >= outsz ? BK_ERR_INVALID : BK_OK;
}

typedef struct outbuf {
    char *p;
    size_t sz, n;
} outbuf;

static void put(outbuf *o, const char *s, size_t len)
{
    for (size_t i = 0; i < len && o->n + 1 < o->sz; i++)
        o->p[o->n++] = s[i];
    o->p[o->n] = 0;
}

void paths_display(const char *db, char *out, size_t outsz)
{
    if (!outsz) return;
    outbuf o = {out, outsz, 0};
    out[0] = 0;
    if (!db) return;
    const char *p = db;
    const char *scheme = strstr(db, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    if (at) {
        const char *colon = memchr(scheme + 3, ':', (size_t)(at - (scheme + 3)));
        if (colon) { /* user:password@ */
            put(&o, db, (size_t)(colon - db) + 1);
            put(&o, "***", 3);
            p = at;
        }
    }
    while (*p) {
        if (strncmp(p, "password=", 9) == 0) {
            put(&o, "password=***", 12);
            p += 9;
            while (*p && *p != '&' && *p != ' ')
                p++;
            continue;
        }
        put(&o, p, 1);
        p++;
    }
}
