#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
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
    if (e)
        return e;
    int n = snprintf(out, outsz, "%s/%s", dir, rel);
    return n < 0 || (size_t)n >= outsz ? BK_ERR_INVALID : BK_OK;
}
