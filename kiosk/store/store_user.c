/* store_user.c — staff accounts (see store_user.h for the contract). */
#include "store_user.h"

#include <stdio.h>
#include <string.h>

#include "store_priv.h"

#define USER_COLS                                                                                  \
    "name, role, officer_id, pw_hash, disabled, failed, locked_until, created_at, changed_at"

static bk_err read_user(store *s, sqlx_stmt *st, store_user *u)
{
    char role[STORE_WORD_SZ];
    memset(u, 0, sizeof *u);
    store_priv_col_text(st, 0, u->name, sizeof u->name);
    store_priv_col_text(st, 1, role, sizeof role);
    store_priv_col_text(st, 2, u->officer, sizeof u->officer);
    store_priv_col_text(st, 3, u->hash, sizeof u->hash);
    u->disabled = sqlx_col_int(st, 4);
    u->failed = sqlx_col_int(st, 5);
    u->locked_until = store_priv_col_time(st, 6);
    u->created_at = store_priv_col_time(st, 7);
    u->changed_at = store_priv_col_time(st, 8);
    if (bk_role_parse(role, &u->role)) return store_priv_unknown_word(s, "user role", role);
    return BK_OK;
}

bk_err store_user_insert(store *s, const store_user *u)
{
    static const char *const sql =
        "INSERT INTO users(" USER_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(store_priv_db(s), sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, u->name));
    STORE_TRY(store_priv_bind_text(st, 2, bk_role_name(u->role)));
    STORE_TRY(store_priv_bind_opt(st, 3, u->officer));
    STORE_TRY(store_priv_bind_text(st, 4, u->hash));
    STORE_TRY(sqlx_bind_int(st, 5, u->disabled ? 1 : 0));
    STORE_TRY(sqlx_bind_int(st, 6, u->failed));
    STORE_TRY(store_priv_bind_time(st, 7, u->locked_until));
    STORE_TRY(store_priv_bind_time(st, 8, u->created_at));
    STORE_TRY(store_priv_bind_time(st, 9, u->changed_at));
    return store_priv_step_done(s, st, "user insert");
}

bk_err store_user_update(store *s, const store_user *u)
{
    static const char *const sql =
        "UPDATE users SET role = ?, officer_id = ?, pw_hash = ?, disabled = ?, failed = ?, "
        "locked_until = ?, changed_at = ? WHERE name = ?";
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(store_priv_db(s), sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, bk_role_name(u->role)));
    STORE_TRY(store_priv_bind_opt(st, 2, u->officer));
    STORE_TRY(store_priv_bind_text(st, 3, u->hash));
    STORE_TRY(sqlx_bind_int(st, 4, u->disabled ? 1 : 0));
    STORE_TRY(sqlx_bind_int(st, 5, u->failed));
    STORE_TRY(store_priv_bind_time(st, 6, u->locked_until));
    STORE_TRY(store_priv_bind_time(st, 7, u->changed_at));
    STORE_TRY(store_priv_bind_text(st, 8, u->name));
    if ((e = store_priv_step_done(s, st, "user update"))) return e;
    if (sqlx_changes(store_priv_db(s)) == 0) {
        sqlx_errf(store_priv_db(s), "user %s: not found", u->name);
        return BK_ERR_NOT_FOUND;
    }
    return BK_OK;
}

bk_err store_user_get(store *s, const char *name, store_user *out)
{
    static const char *const sql = "SELECT " USER_COLS " FROM users WHERE name = ?";
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(store_priv_db(s), sql, &st);
    if (e) return e;
    STORE_TRY(store_priv_bind_text(st, 1, name));
    if ((e = store_priv_step_row(s, st, "user"))) return e;
    e = read_user(s, st, out);
    sqlx_reset(st);
    return e;
}

bk_err store_user_list(store *s, store_user_cb cb, void *ud)
{
    static const char *const sql = "SELECT " USER_COLS " FROM users ORDER BY name";
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(store_priv_db(s), sql, &st);
    if (e) return e;
    int rc;
    while ((rc = sqlx_step(st)) == SQLX_ROW) {
        store_user u;
        if ((e = read_user(s, st, &u)) || (e = cb(ud, &u))) {
            sqlx_reset(st);
            return e;
        }
    }
    if (rc != SQLX_DONE) e = sqlx_fail(store_priv_db(s), "user list");
    sqlx_reset(st);
    return e;
}
