/* store_user.h — staff accounts (table `users`, migration 007): the rows
 * behind bapasctl user and the login rule of core/account.h.
 *
 * Same conventions as store.h: one connection, caller-owned fixed-size
 * records, bk_err results, store_errmsg() for the detail. Writes run inside
 * store_begin(s, STORE_TX_WRITE); the caller commits. On PostgreSQL only the
 * owner role may read or write `users` (no role is granted anything on it:
 * db/pg/007_users.sql, deploy/pg-roles.sql); another role gets
 * BK_ERR_DENIED.
 *
 * The hash is the Argon2id encoded string; the store keeps and returns it
 * as is and never interprets it. Nothing else may print it.
 */
#ifndef BK_STORE_USER_H
#define BK_STORE_USER_H

#include <stdint.h>

#include "bkerr.h"
#include "domain.h"
#include "store.h"

#define STORE_USER_NAME_SZ 33 /* VALID_USER_NAME_MAX + NUL */
#define STORE_USER_HASH_SZ 256

typedef struct store_user {
    char name[STORE_USER_NAME_SZ];
    bk_role role;
    char officer[STORE_ID_SZ]; /* a pk's officer id; "" for every other role */
    char hash[STORE_USER_HASH_SZ];
    int disabled;
    int failed;           /* login failures since the last success or unlock */
    int64_t locked_until; /* 0 = not locked; else the instant the lockout ends */
    int64_t created_at, changed_at;
} store_user;

typedef bk_err (*store_user_cb)(void *ud, const store_user *u);

/* Insert u. BK_ERR_EXISTS if the name is taken; BK_ERR_NOT_FOUND if
 * u->officer names no officer. */
bk_err store_user_insert(store *s, const store_user *u);
/* Write role, officer, hash, disabled, failed, locked_until and changed_at
 * of the row u->name. BK_ERR_NOT_FOUND if there is none. */
bk_err store_user_update(store *s, const store_user *u);
bk_err store_user_get(store *s, const char *name, store_user *out);
/* Every account, by name. */
bk_err store_user_list(store *s, store_user_cb cb, void *ud);

#endif
