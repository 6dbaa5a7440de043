/* account.h — staff accounts: password hashing and the login rule (core; no
 * SDL, no SQL: rows through store_user.h).
 *
 * Passwords are hashed with Argon2id (libargon2, RFC 9106) into the encoded
 * string "$argon2id$v=19$m=65536,t=3,p=1$SALT$HASH" (16-byte salt from
 * getrandom), which carries its own parameters: raising the cost in the
 * config applies to new and changed passwords, and old hashes still verify.
 * Verification is the library's argon2id_verify (constant-time compare).
 *
 * The login rule (account_login) is the one the office server calls:
 *  - an unknown name and a wrong password give the same result,
 *    ACCOUNT_BAD, at the same cost (a dummy hash is computed for an unknown
 *    name);
 *  - every wrong password of an existing account counts; the
 *    max_failures-th in a row locks it for lockout_minutes (attempts while
 *    locked are refused, ACCOUNT_LOCKED, and not counted); a success resets
 *    the count; `bapasctl user unlock` (account_unlock) lifts a lockout;
 *  - a disabled account is refused (ACCOUNT_DISABLED) even with the right
 *    password.
 * The caller shows the person one message for BAD, LOCKED and DISABLED
 * alike if it must not reveal which names exist; the result is for its log.
 *
 * No state besides the context; nothing here allocates.
 */
#ifndef BK_ACCOUNT_H
#define BK_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"
#include "store.h"
#include "store_user.h"

/* The defaults ([accounts] in the config; deploy/kiosk.example.ini):
 * Argon2id t=3 passes over m=64 MiB, 1 lane (RFC 9106's second recommended
 * option, sized for a Raspberry Pi 4); 5 failures lock for 15 minutes. */
#define ACCOUNT_T_COST 3
#define ACCOUNT_M_COST_KIB 65536
#define ACCOUNT_PARALLELISM 1
#define ACCOUNT_MAX_FAILURES 5
#define ACCOUNT_LOCKOUT_MINUTES 15
#define ACCOUNT_PW_MIN 10  /* characters (code points) */
#define ACCOUNT_PW_MAX 128 /* characters */

typedef struct account_ctx {
    store *st;
    unsigned t_cost;     /* passes; >= 1 */
    unsigned m_cost_kib; /* memory; >= 8 */
    int max_failures;    /* >= 1 */
    int lockout_minutes; /* >= 1 */
    const char *actor;   /* audit actor of the rows account_login writes (lockouts) */
} account_ctx;

typedef enum account_result {
    ACCOUNT_OK = 0,
    ACCOUNT_BAD,      /* unknown name or wrong password: the same answer */
    ACCOUNT_LOCKED,   /* locked after too many failures (until *out's locked_until) */
    ACCOUNT_DISABLED, /* disabled by an admin */
} account_result;

/* The context with the defaults above. */
void account_ctx_defaults(account_ctx *a, store *st, const char *actor);

/* Whether pw may be a password: valid UTF-8 with no control characters,
 * ACCOUNT_PW_MIN..ACCOUNT_PW_MAX characters. BK_OK or BK_ERR_INVALID with
 * *why (may be NULL) an English reason, a static string. */
bk_err account_password_check(const char *pw, const char **why);

/* The Argon2id encoded hash of pw with a fresh random salt, at a's cost,
 * into out (STORE_USER_HASH_SZ is enough). BK_ERR_INVALID if pw fails
 * account_password_check; BK_ERR_IO if no random bytes; BK_ERR_INTERNAL if
 * the library fails (out of memory for m_cost). */
bk_err account_hash(const account_ctx *a, const char *pw, char *out, size_t outsz);

/* 1 if pw matches the encoded hash (argon2id_verify), else 0. */
int account_verify(const char *hash, const char *pw);

/* The login rule above, at instant now. Writes (the failure count, the
 * lockout and its audit row "user_lockout", a reset after a success) in its
 * own write transaction, after the hash is checked outside any
 * transaction, so no lock is held while hashing. *res is the answer; *out
 * (may be NULL) receives the account on ACCOUNT_OK (hash cleared).
 * Returns a store error only (the answer is BK_OK with *res). */
bk_err account_login(const account_ctx *a, const char *name, const char *pw, int64_t now,
                     account_result *res, store_user *out);

/* Lift a lockout and reset the failure count of `name` (inside the
 * caller's write transaction). BK_ERR_NOT_FOUND if there is no such user. */
bk_err account_unlock(const account_ctx *a, const char *name, int64_t now);

/* 1 if u is locked at instant now. */
int account_locked(const store_user *u, int64_t now);

#endif
