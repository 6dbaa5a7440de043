/* account.c — password hashing and the login rule (see account.h). */
#include "account.h"

#include <stdio.h>
#include <string.h>

#include <argon2.h>

#include "token.h"
#include "valid.h"

#define SALT_BYTES 16
#define HASH_BYTES 32

void account_ctx_defaults(account_ctx *a, store *st, const char *actor)
{
    memset(a, 0, sizeof *a);
    a->st = st;
    a->t_cost = ACCOUNT_T_COST;
    a->m_cost_kib = ACCOUNT_M_COST_KIB;
    a->max_failures = ACCOUNT_MAX_FAILURES;
    a->lockout_minutes = ACCOUNT_LOCKOUT_MINUTES;
    a->actor = actor;
}

/* Code points of valid UTF-8 (checked before). */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

bk_err account_password_check(const char *pw, const char **why)
{
    const char *w = NULL;
    if (!pw || !*pw) {
        w = "the password is empty";
    } else if (strlen(pw) > 4 * ACCOUNT_PW_MAX || valid_text(pw, 4 * ACCOUNT_PW_MAX, 0, &w)) {
        w = strlen(pw) > 4 * ACCOUNT_PW_MAX
                ? "the password is longer than 128 characters"
                : "the password may not contain control characters or invalid text";
    } else if (utf8_chars(pw) < ACCOUNT_PW_MIN) {
        w = "the password is shorter than 10 characters";
    } else if (utf8_chars(pw) > ACCOUNT_PW_MAX) {
        w = "the password is longer than 128 characters";
    }
    if (why) *why = w;
    return w ? BK_ERR_INVALID : BK_OK;
}

bk_err account_hash(const account_ctx *a, const char *pw, char *out, size_t outsz)
{
    if (account_password_check(pw, NULL)) return BK_ERR_INVALID;
    uint8_t salt[SALT_BYTES];
    if (token_random_bytes(salt, sizeof salt)) return BK_ERR_IO;
    size_t need = argon2_encodedlen(a->t_cost, a->m_cost_kib, ACCOUNT_PARALLELISM, SALT_BYTES,
                                    HASH_BYTES, Argon2_id);
    if (need > outsz) return BK_ERR_INTERNAL;
    int rc = argon2id_hash_encoded(a->t_cost, a->m_cost_kib, ACCOUNT_PARALLELISM, pw, strlen(pw),
                                   salt, sizeof salt, HASH_BYTES, out, outsz);
    memset(salt, 0, sizeof salt);
    return rc == ARGON2_OK ? BK_OK : BK_ERR_INTERNAL;
}

int account_verify(const char *hash, const char *pw)
{
    if (!hash || !pw || strncmp(hash, "$argon2id$", 10) != 0) return 0;
    return argon2id_verify(hash, pw, strlen(pw)) == ARGON2_OK;
}

/* The same work as verifying a hash of a's cost, for an unknown name. */
static void dummy_hash(const account_ctx *a, const char *pw)
{
    static const uint8_t salt[SALT_BYTES] = "bapas-dummy-salt";
    uint8_t raw[HASH_BYTES];
    (void)argon2id_hash_raw(a->t_cost, a->m_cost_kib, ACCOUNT_PARALLELISM, pw, strlen(pw), salt,
                            sizeof salt, raw, sizeof raw);
}

int account_locked(const store_user *u, int64_t now)
{
    return u->locked_until != 0 && now < u->locked_until;
}

/* Record the outcome on the fresh row (write transaction open). */
static bk_err record(const account_ctx *a, store_user *u, int ok, int64_t now)
{
    if (ok) {
        if (u->failed == 0 && u->locked_until == 0) return BK_OK;
        u->failed = 0;
        u->locked_until = 0;
        return store_user_update(a->st, u);
    }
    if (account_locked(u, now)) return BK_OK; /* attempts while locked do not count */
    u->failed++;
    if (u->failed >= a->max_failures) {
        u->failed = 0;
        u->locked_until = now + (int64_t)a->lockout_minutes * 60;
        char detail[96];
        snprintf(detail, sizeof detail, "user %s locked for %d minutes", u->name,
                 a->lockout_minutes);
        bk_err e = store_audit_add(a->st, now, a->actor, "user_lockout", 0, "", detail);
        if (e) return e;
    }
    return store_user_update(a->st, u);
}

bk_err account_login(const account_ctx *a, const char *name, const char *pw, int64_t now,
                     account_result *res, store_user *out)
{
    store_user u;
    *res = ACCOUNT_BAD;
    if (!pw) pw = "";
    bk_err e = (name && *name) ? store_user_get(a->st, name, &u) : BK_ERR_NOT_FOUND;
    if (e == BK_ERR_NOT_FOUND) {
        dummy_hash(a, pw);
        return BK_OK;
    }
    if (e) return e;
    int ok = account_verify(u.hash, pw);

    if ((e = store_begin(a->st, STORE_TX_WRITE))) return e;
    if ((e = store_user_get(a->st, name, &u))) { /* fresh: another login may have counted */
        store_rollback(a->st);
        if (e == BK_ERR_NOT_FOUND) return BK_OK; /* removed meanwhile: BAD */
        return e;
    }
    int was_locked = account_locked(&u, now);
    if (!u.disabled && !was_locked) {
        if ((e = record(a, &u, ok, now))) {
            store_rollback(a->st);
            return e;
        }
    }
    if ((e = store_commit(a->st))) return e;
    if (u.disabled)
        *res = ACCOUNT_DISABLED;
    else if (was_locked)
        *res = ACCOUNT_LOCKED;
    else
        *res = ok ? ACCOUNT_OK : ACCOUNT_BAD;
    if (out) {
        *out = u;
        memset(out->hash, 0, sizeof out->hash);
    }
    memset(u.hash, 0, sizeof u.hash);
    return BK_OK;
}

bk_err account_unlock(const account_ctx *a, const char *name, int64_t now)
{
    store_user u;
    bk_err e = store_user_get(a->st, name, &u);
    if (e) return e;
    u.failed = 0;
    u.locked_until = 0;
    u.changed_at = now;
    return store_user_update(a->st, &u);
}
