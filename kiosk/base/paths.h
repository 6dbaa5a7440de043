/* paths.h — where the binaries find their assets (fonts, i18n, sounds).
 *
 * Order: $BAPAS_ASSETS; the directory compiled in as BK_ASSETS_DIR (the
 * source tree's assets/ for a development build, /usr/share/bapas-kiosk/assets
 * for the package) if it exists; /usr/share/bapas-kiosk/assets.
 */
#ifndef BK_PATHS_H
#define BK_PATHS_H

#include <stddef.h>

#include "bkerr.h"

/* Writes the assets directory into out. BK_ERR_NOT_FOUND if none exists. */
bk_err paths_assets(char *out, size_t outsz);

/* out = assets dir + "/" + rel. */
bk_err paths_asset(const char *rel, char *out, size_t outsz);

/* The database target as it may be shown or logged: a PostgreSQL URI with
 * its password masked ("postgresql://u:***@host/db", "password=***"); a
 * file path unchanged. Always NUL-terminated; truncated to outsz. */
void paths_display(const char *db, char *out, size_t outsz);

#endif
