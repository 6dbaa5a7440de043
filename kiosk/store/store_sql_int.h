/* store_sql_int.h — inside the SQL adapter only (store_sql.c and its back
 * ends store_sql_sqlite.c, store_sql_pg.c).
 *
 * store_sql.c is the back-end-neutral front: the public sqlx_ calls of
 * store_sql.h, the statement cache, the error text, the lost-ack fault hook.
 * Each database is one table of functions (struct sqlx_backend), chosen once
 * by sqlx_open from the target and reached as c->be; the front never calls a
 * database library. A back end keeps its own state behind the two opaque
 * pointers below (sqlx.conn, sqlx_stmt.impl), so this header needs neither
 * sqlite3.h nor libpq-fe.h: adding or changing a back end touches its file,
 * plus the choice in sqlx_open.
 *
 * Contracts are those of the matching sqlx_ call in store_sql.h, with these
 * additions:
 * - Failures: a back end records its detail (message, code) in its own
 *   state and fail() turns the last one into c->err and a bk_err. The other
 *   entries that return bk_err have already done that. Messages that do not
 *   come from the database are written with sqlx_errf (c->err).
 * - A back end may call the public sqlx_ API (sqlx_prep, sqlx_step, ...) on
 *   its own connection.
 * - Every entry is non-NULL. */
#ifndef BK_STORE_SQL_INT_H
#define BK_STORE_SQL_INT_H

#include "store_sql.h"

#define SQLX_CACHE 128
#define SQLX_MAXP 32

struct sqlx_stmt {
    sqlx *c;
    int owned;  /* 1 = from sqlx_prepare (the caller's), 0 = in the cache */
    void *impl; /* the back end's statement (owned by it, freed by stmt_free) */
};

typedef struct sqlx_backend sqlx_backend;

struct sqlx {
    const sqlx_backend *be;
    void *conn; /* the back end's connection state (owned by it, freed by close) */
    struct {
        const char *sql;
        sqlx_stmt st;
    } cache[SQLX_CACHE];
    int ncache;
    char err[1024];
#ifdef BK_TEST_HOOKS
    /* BK_FAULT_LOST_ACK (store_sql.h), read once by sqlx_open. */
    unsigned long long fault_lost_ack; /* bit n-1 set: commit n loses its answer */
    int commits;                       /* commits that succeeded on this connection */
#endif
};

struct sqlx_backend {
    sqlx_dialect kind; /* what sqlx_kind() answers */

    /* Connect c (c->be is set, c->conn NULL). On failure c->err holds the
     * reason and close() is still called: leave c->conn freeable. */
    bk_err (*open)(sqlx *c, const char *target, const sqlx_opts *o);
    /* Roll back what is open, release everything, free c->conn (NULL is
     * fine). The cache's statements were freed before. */
    void (*close)(sqlx *c);
    /* sqlx_fail: the last recorded failure as "what: detail (code)". */
    bk_err (*fail)(sqlx *c, const char *what);

    /* Prepare st for `sql` (st->c and st->owned set, st->impl NULL). slot:
     * its index in c->cache, or -1 for an owned statement. On failure
     * st->impl stays NULL. */
    bk_err (*stmt_init)(sqlx_stmt *st, const char *sql, int slot);
    void (*stmt_free)(sqlx_stmt *st); /* frees st->impl, not st */
    /* Back to before the first step; clear = also unbind every parameter. */
    void (*reset)(sqlx_stmt *st, int clear);

    /* v non-NULL; copy = 0: v stays valid until reset or the last step. */
    bk_err (*bind_text)(sqlx_stmt *st, int i, const char *v, int copy);
    bk_err (*bind_int64)(sqlx_stmt *st, int i, int64_t v);
    bk_err (*bind_null)(sqlx_stmt *st, int i);
    int (*step)(sqlx_stmt *st); /* SQLX_ROW, SQLX_DONE, SQLX_ERROR (recorded) */

    const char *(*col_text)(sqlx_stmt *st, int i);
    int64_t (*col_int64)(sqlx_stmt *st, int i);
    int (*col_is_null)(sqlx_stmt *st, int i);
    int (*col_count)(sqlx_stmt *st);
    const char *(*col_name)(sqlx_stmt *st, int i);
    int64_t (*changes)(sqlx *c);

    bk_err (*exec)(sqlx *c, const char *sql, const char *what);
    bk_err (*begin)(sqlx *c, int write);
    bk_err (*commit)(sqlx *c);
    void (*rollback)(sqlx *c);

    bk_err (*schema_version)(sqlx *c, int64_t *out);
    bk_err (*schema_version_set)(sqlx *c, int v);
    bk_err (*data_version)(sqlx *c, int64_t *out);
    /* *notified is 0 on entry. */
    bk_err (*wait_notify)(sqlx *c, int timeout_ms, int wake_fd, int *notified);
    bk_err (*checkpoint)(sqlx *c, int *wal_pages); /* wal_pages may be NULL */

#ifdef BK_TEST_HOOKS
    /* BK_FAULT_LOST_ACK: after a commit, drop the connection as a network
     * cut would (the next begin reconnects), or do nothing if the database
     * has no connection to lose. */
    void (*fault_cut)(sqlx *c);
#endif
};

extern const sqlx_backend sqlx_backend_sqlite; /* store_sql_sqlite.c */
extern const sqlx_backend sqlx_backend_pg;     /* store_sql_pg.c */

#endif
