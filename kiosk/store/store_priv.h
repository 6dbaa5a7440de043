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

/* 1 when s reads tickets through the view bk_tickets_seen (a PostgreSQL
 * login that may not read the table, schema 8: the same columns, the
 * token and the names masked by role), 0 when it reads the table. */
int store_priv_tickets_seen(const store *s);

/* Every column of a ticket row, in the order store_priv_read_ticket reads. */
/* The columns the server's functions answer with (bk_act_result, schema 3),
 * then the reason (schema 11), which they do not. */
#define STORE_PRIV_TICKET_COLS_CALL                                                                \
    "id, office_day, code, seq, token, purpose, client_no, walkin_name, officer_id, "              \
    "assigned_id, routed, transferred_from, status, priority, calls, order_at, checkin_at, "       \
    "called_at, started_at, finished_at, served_by, outcome, last_call_at"
#define STORE_PRIV_TICKET_COLS STORE_PRIV_TICKET_COLS_CALL ", reason"

/* Fill t from the current row of a statement that selected
 * STORE_PRIV_TICKET_COLS (from column 0). BK_ERR_INTERNAL (recorded on s)
 * if a purpose, routing, status or outcome text is none of its names. */
bk_err store_priv_read_ticket(store *s, sqlx_stmt *st, store_ticket *t);

/* Record that a column held `text`, none of the names of its domain value
 * (domain.h; what: "ticket status", ...); returns BK_ERR_INTERNAL. */
bk_err store_priv_unknown_word(store *s, const char *what, const char *text);

/* ---- statement helpers (store_util.c) ----------------------------------
 * The one set store.c and store_data.c both use. Each returns what its
 * sqlx_ call returns; a failure is recorded on the statement's connection
 * (store_errmsg shows it).
 *
 * Binding text: the plain forms borrow v (it must stay valid until the
 * statement is reset or stepped to its end: fine for cached statements run
 * at once); the _copy forms copy it (owned statements whose inputs change
 * between binding and stepping, e.g. an import's rows). */

/* v as text; NULL binds NULL. Borrowed. */
bk_err store_priv_bind_text(sqlx_stmt *st, int i, const char *v);
/* An optional reference: NULL or "" binds NULL. Borrowed. */
bk_err store_priv_bind_opt(sqlx_stmt *st, int i, const char *v);
/* v as text, copied; NULL binds "" (for NOT NULL text columns). */
bk_err store_priv_bind_copy(sqlx_stmt *st, int i, const char *v);
/* As store_priv_bind_opt, copied. */
bk_err store_priv_bind_opt_copy(sqlx_stmt *st, int i, const char *v);
/* An instant as ISO UTC text (copied); 0 binds NULL. */
bk_err store_priv_bind_time(sqlx_stmt *st, int i, int64_t t);

/* Column i as text into out ("" for NULL), and as an instant (0 for NULL
 * or unparsable text). */
void store_priv_col_text(sqlx_stmt *st, int i, char *out, size_t sz);
int64_t store_priv_col_time(sqlx_stmt *st, int i);

/* Step a statement that returns no rows, then reset it. A row is a failure
 * (BK_ERR_INTERNAL, "what: unexpected row"). */
bk_err store_priv_step_done(store *s, sqlx_stmt *st, const char *what);
/* Step expecting a row: BK_OK with the row current (the caller resets), or
 * BK_ERR_NOT_FOUND ("what: not found") / the failure, the statement reset. */
bk_err store_priv_step_row(store *s, sqlx_stmt *st, const char *what);

/* Evaluate a bk_err expression (a bind, usually); on failure return it from
 * the enclosing function. For functions with nothing to clean up. */
#define STORE_TRY(expr)                                                                            \
    do {                                                                                           \
        bk_err try_rc_ = (expr);                                                                   \
        if (try_rc_ != BK_OK) return try_rc_;                                                      \
    } while (0)

/* The same for functions that clean up: on failure store it in the
 * enclosing function's `bk_err e` and jump to its label `out`. */
#define STORE_TRY_OUT(expr)                                                                        \
    do {                                                                                           \
        bk_err try_rc_ = (expr);                                                                   \
        if (try_rc_ != BK_OK) {                                                                    \
            e = try_rc_;                                                                           \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

#endif
