/* store_priv.h — for the store layer's own modules only (store_data.c, ...).
 *
 * Nothing outside kiosk/store includes this: it exposes the SQL connection
 * (store_sql.h) of a store so a second module of the store can run its own
 * statements on the same connection (and so inside the same transaction).
 */
#ifndef BK_STORE_PRIV_H
#define BK_STORE_PRIV_H

#include "store.h"
#include "store_sql.h"

/* The connection of s (borrowed; valid until store_close). Failures of its
 * calls are recorded there and are what store_errmsg() shows. */
sqlx *store_priv_db(store *s);

/* The target s was opened with (file path or libpq URI, password
 * included: never print it; paths_display() masks it). Borrowed. */
const char *store_priv_target(const store *s);

/* Every column of a ticket row, in the order store_priv_read_ticket reads. */
#define STORE_PRIV_TICKET_COLS                                                                     \
    "id, office_day, code, seq, token, purpose, client_no, walkin_name, officer_id, "              \
    "assigned_id, routed, transferred_from, status, priority, calls, order_at, checkin_at, "       \
    "called_at, started_at, finished_at, served_by, outcome, last_call_at"

/* Fill t from the current row of a statement that selected
 * STORE_PRIV_TICKET_COLS (from column 0). BK_ERR_INTERNAL (recorded on s)
 * if a purpose, routing, status or outcome text is none of its names. */
bk_err store_priv_read_ticket(store *s, sqlx_stmt *st, store_ticket *t);

/* Record that a column held `text`, none of the names of its domain value
 * (domain.h; what: "ticket status", ...); returns BK_ERR_INTERNAL. */
bk_err store_priv_unknown_word(store *s, const char *what, const char *text);

/* Column i as text into out ("" for NULL), and as an instant (0 for NULL). */
void store_priv_col_text(sqlx_stmt *st, int i, char *out, size_t sz);
int64_t store_priv_col_time(sqlx_stmt *st, int i);

#endif
