/* store_priv.h — for the store layer's own modules only (store_data.c, ...).
 *
 * Nothing outside kiosk/store includes this: it exposes the SQLite handle of
 * a store so a second module of the store can run its own statements on the
 * same connection (and so inside the same transaction).
 */
#ifndef BK_STORE_PRIV_H
#define BK_STORE_PRIV_H

#include <sqlite3.h>

#include "store.h"

/* The connection of s (borrowed; valid until store_close). */
sqlite3 *store_priv_db(store *s);

/* Record the failure of an SQLite call (rc) as store_errmsg() text and map it
 * to a bk_err exactly as store.c does for its own statements. */
bk_err store_priv_fail(store *s, int rc, const char *what);

/* Record a failure message that did not come from SQLite. */
void store_priv_errmsg(store *s, const char *msg);

#endif
