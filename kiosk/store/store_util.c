/* store_util.c — the statement helpers of store_priv.h, shared by store.c
 * and store_data.c (contracts in store_priv.h). Only sqlx_ calls. */
#include <stdio.h>

#include "otime.h"
#include "store_priv.h"

bk_err store_priv_bind_text(sqlx_stmt *st, int i, const char *v)
{
    return sqlx_bind_text(st, i, v);
}

bk_err store_priv_bind_opt(sqlx_stmt *st, int i, const char *v)
{
    if (!v || !*v) return sqlx_bind_null(st, i);
    return sqlx_bind_text(st, i, v);
}

bk_err store_priv_bind_copy(sqlx_stmt *st, int i, const char *v)
{
    return sqlx_bind_text_copy(st, i, v ? v : "");
}

bk_err store_priv_bind_opt_copy(sqlx_stmt *st, int i, const char *v)
{
    if (!v || !*v) return sqlx_bind_null(st, i);
    return sqlx_bind_text_copy(st, i, v);
}

bk_err store_priv_bind_time(sqlx_stmt *st, int i, int64_t t)
{
    if (!t) return sqlx_bind_null(st, i);
    char iso[21];
    otime_iso_utc(t, iso);
    return sqlx_bind_text_copy(st, i, iso);
}

void store_priv_col_text(sqlx_stmt *st, int i, char *out, size_t sz)
{
    const char *v = sqlx_col_text(st, i);
    if (!v) {
        out[0] = 0;
        return;
    }
    snprintf(out, sz, "%s", v);
}

int64_t store_priv_col_time(sqlx_stmt *st, int i)
{
    const char *v = sqlx_col_text(st, i);
    int64_t t = 0;
    if (v && otime_parse(v, &t) != BK_OK) t = 0;
    return t;
}

bk_err store_priv_step_done(store *s, sqlx_stmt *st, const char *what)
{
    int rc = sqlx_step(st);
    if (rc != SQLX_DONE) {
        bk_err e = rc == SQLX_ERROR ? sqlx_fail(store_priv_db(s), what) : BK_ERR_INTERNAL;
        if (rc != SQLX_ERROR) sqlx_errf(store_priv_db(s), "%s: unexpected row", what);
        sqlx_reset(st);
        return e;
    }
    sqlx_reset(st);
    return BK_OK;
}

bk_err store_priv_step_row(store *s, sqlx_stmt *st, const char *what)
{
    int rc = sqlx_step(st);
    if (rc == SQLX_ROW) return BK_OK;
    if (rc == SQLX_DONE) {
        sqlx_reset(st);
        sqlx_errf(store_priv_db(s), "%s: not found", what);
        return BK_ERR_NOT_FOUND;
    }
    bk_err e = sqlx_fail(store_priv_db(s), what);
    sqlx_reset(st);
    return e;
}
