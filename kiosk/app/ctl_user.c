/* ctl_user.c — bapasctl user: staff accounts (add, passwd, disable, enable,
 * unlock, list).
 *
 * There is no default password: add and passwd read it from the terminal
 * without echo, twice (they must match), or, when stdin is not a terminal,
 * one line from stdin (a script: `printf '%s\n' "$pw" | bapasctl user add ...`).
 * Every change writes an audit row (actor: the OS user, as every CLI write),
 * which never holds the password or its hash. `user list` never shows the
 * hash. On PostgreSQL these run as the owner role, as import does: no other
 * role may touch `users` (db/pg/007_users.sql).
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "account.h"
#include "ctl.h"
#include "otime.h"
#include "store_user.h"
#include "valid.h"

#define PW_BUF (4 * ACCOUNT_PW_MAX + 8)

static int reject(ctl *c, const char *field, const char *why)
{
    return ctl_fail(c, BK_ERR_INVALID, "%s %s", ctl_tr(c, field),
                    ctl_tr(c, why ? why : "is invalid"));
}

static int fail_store(ctl *c, bk_err e, const char *what, const char *name)
{
    if (e == BK_ERR_NOT_FOUND) return ctl_fail(c, e, "no such user: %s", name);
    if (e == BK_ERR_BUSY)
        return ctl_fail(c, e, "%s: the database is busy (locked by another process); try again",
                        what);
    return ctl_fail(c, e, "%s failed: %s", what, c->st ? store_errmsg(c->st) : bk_err_name(e));
}

static void account_of(const ctl *c, account_ctx *a)
{
    account_ctx_defaults(a, c->st, c->actor);
    a->t_cost = (unsigned)c->cfg.hash_iterations;
    a->m_cost_kib = (unsigned)c->cfg.hash_memory_kib;
    a->max_failures = c->cfg.login_failures;
    a->lockout_minutes = c->cfg.lockout_minutes;
}

/* One line from f into buf without its line end. 0, or -1 at EOF or when
 * the line does not fit (the rest is not read). */
static int read_line(FILE *f, char *buf, size_t sz)
{
    if (!fgets(buf, (int)sz, f)) return -1;
    size_t n = strlen(buf);
    if (n > 0 && buf[n - 1] == '\n') {
        buf[--n] = 0;
        if (n > 0 && buf[n - 1] == '\r') buf[--n] = 0;
    } else if (n + 1 >= sz) {
        return -1; /* too long */
    }
    return 0;
}

/* Prompt on stderr and read a line from the terminal on stdin, echo off. */
static int read_hidden(const char *prompt, char *buf, size_t sz)
{
    struct termios old, quiet;
    fputs(prompt, stderr);
    fflush(stderr);
    if (tcgetattr(STDIN_FILENO, &old) != 0) return -1;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) return -1;
    int rc = read_line(stdin, buf, sz);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    return rc;
}

/* The new password of `name` into pw (PW_BUF bytes), checked. 0, or the
 * exit code after the message. */
static int get_password(ctl *c, const char *name, char *pw)
{
    const char *why = NULL;
    if (isatty(STDIN_FILENO)) {
        char again[PW_BUF];
        char prompt[256];
        snprintf(prompt, sizeof prompt, ctl_tr(c, "New password for %s"), name);
        snprintf(prompt + strlen(prompt), sizeof prompt - strlen(prompt), ": ");
        if (read_hidden(prompt, pw, PW_BUF))
            return ctl_fail(c, BK_ERR_INVALID, "no password was read");
        if (account_password_check(pw, &why)) return reject(c, "password:", why);
        snprintf(prompt, sizeof prompt, "%s: ", ctl_tr(c, "The same password again"));
        if (read_hidden(prompt, again, sizeof again) || strcmp(pw, again) != 0) {
            memset(again, 0, sizeof again);
            return ctl_fail(c, BK_ERR_INVALID,
                            "the two passwords are not the same; nothing changed");
        }
        memset(again, 0, sizeof again);
        return 0;
    }
    if (read_line(stdin, pw, PW_BUF)) {
        if (feof(stdin) && !*pw) return ctl_fail(c, BK_ERR_INVALID, "no password was read");
        return reject(c, "password:", "the password is longer than 128 characters");
    }
    if (account_password_check(pw, &why)) return reject(c, "password:", why);
    return 0;
}

/* The NAME positional of `user VERB NAME`, validated and lower-cased. */
static int name_arg(ctl *c, const char *usage, int argc, char **argv, const ctl_opt_def *opts,
                    char **name)
{
    char *pos[1] = {NULL};
    const ctl_args_spec spec = {opts, CTL_POS_NOT_OPTION, pos, 1};
    int n = 0;
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, &n);
    if (bad) return bad;
    if (n != 1) return ctl_usage(c, usage);
    const char *why = NULL;
    if (valid_user_name(pos[0], &why)) return reject(c, "user name", why);
    valid_user_name_canon(pos[0]);
    *name = pos[0];
    return 0;
}

static int64_t now_of(const ctl *c)
{
    return queue_now(&c->q);
}

static int user_add(ctl *c, int argc, char **argv)
{
    const char *usage = "user add NAME --role reception|pk|head|admin [--officer ID]";
    const char *role_s = NULL, *officer = NULL;
    const ctl_opt_def opts[] = {CTL_STRING("--role", &role_s), CTL_ID("--officer", &officer),
                                CTL_OPT_END};
    char *name = NULL;
    int rc = name_arg(c, usage, argc, argv, opts, &name);
    if (rc) return rc;
    if (!role_s) return ctl_usage(c, usage);
    bk_role role;
    if (bk_role_parse(role_s, &role))
        return reject(c, "role", "must be reception, pk, head or admin");
    const char *why = NULL;
    if (role == BK_ROLE_PK && !officer)
        return ctl_fail(c, BK_ERR_INVALID, "a pk account needs --officer ID (the PK's officer id)");
    if (role != BK_ROLE_PK && officer)
        return ctl_fail(c, BK_ERR_INVALID, "only a pk account has an --officer");
    if (officer && valid_officer_id(officer, &why)) return reject(c, "officer id", why);
    if ((rc = ctl_open(c))) return rc;

    store_user u = {.role = role};
    snprintf(u.name, sizeof u.name, "%s", name);
    bk_err e;
    if (officer) {
        store_officer o;
        if ((e = store_officer_get(c->st, officer, &o))) {
            if (e == BK_ERR_NOT_FOUND) return ctl_fail(c, e, "no such officer: %s", officer);
            return fail_store(c, e, "user add", name);
        }
        snprintf(u.officer, sizeof u.officer, "%s", officer);
    }
    store_user old;
    e = store_user_get(c->st, name, &old);
    if (e == BK_OK) return ctl_fail(c, BK_ERR_EXISTS, "user %s already exists", name);
    if (e != BK_ERR_NOT_FOUND) return fail_store(c, e, "user add", name);

    char pw[PW_BUF] = "";
    if ((rc = get_password(c, name, pw))) goto out;
    account_ctx a;
    account_of(c, &a);
    e = account_hash(&a, pw, u.hash, sizeof u.hash);
    memset(pw, 0, sizeof pw);
    if (e) {
        rc = ctl_fail(c, e, "cannot hash the password (%s)", bk_err_name(e));
        goto out;
    }
    u.created_at = u.changed_at = now_of(c);
    char detail[96];
    snprintf(detail, sizeof detail, "user %s role %s%s%s", name, bk_role_name(role),
             officer ? " officer " : "", officer ? officer : "");
    e = store_begin(c->st, STORE_TX_WRITE);
    if (!e) e = store_user_insert(c->st, &u);
    if (!e) e = store_audit_add(c->st, u.created_at, c->actor, "user_add", 0, NULL, detail);
    if (!e) e = store_commit(c->st);
    if (e) {
        store_rollback(c->st);
        if (e == BK_ERR_EXISTS)
            rc = ctl_fail(c, e, "user %s already exists", name);
        else if (e == BK_ERR_NOT_FOUND)
            rc = ctl_fail(c, e, "no such officer: %s", u.officer);
        else
            rc = fail_store(c, e, "user add", name);
        goto out;
    }
    if (c->json)
        rc = ctl_emit(c, json_pack("{s:s, s:s, s:o, s:b, s:b}", "name", u.name, "role",
                                   bk_role_name(u.role), "officer",
                                   u.officer[0] ? json_string(u.officer) : json_null(), "disabled",
                                   0, "locked", 0));
    else {
        printf(ctl_tr(c, "user %s added (%s)"), u.name, bk_role_name(u.role));
        putchar('\n');
    }
out:
    memset(pw, 0, sizeof pw);
    memset(u.hash, 0, sizeof u.hash);
    return rc;
}

typedef enum user_change {
    CHANGE_PASSWD,
    CHANGE_DISABLE,
    CHANGE_ENABLE,
    CHANGE_UNLOCK
} user_change;

static int user_change_cmd(ctl *c, int argc, char **argv, user_change what)
{
    static const char *const usages[] = {"user passwd NAME", "user disable NAME",
                                         "user enable NAME", "user unlock NAME"};
    static const char *const actions[] = {"user_passwd", "user_disable", "user_enable",
                                          "user_unlock"};
    static const char *const done[] = {"password of %s changed", "user %s disabled",
                                       "user %s enabled", "user %s unlocked"};
    const ctl_opt_def opts[] = {CTL_OPT_END};
    char *name = NULL;
    int rc = name_arg(c, usages[what], argc, argv, opts, &name);
    if (rc) return rc;
    if ((rc = ctl_open(c))) return rc;
    store_user u;
    bk_err e = store_user_get(c->st, name, &u);
    if (e) return fail_store(c, e, actions[what], name);
    char pw[PW_BUF] = "", hash[STORE_USER_HASH_SZ] = "";
    account_ctx a;
    account_of(c, &a);
    if (what == CHANGE_PASSWD) {
        if ((rc = get_password(c, name, pw))) goto out;
        e = account_hash(&a, pw, hash, sizeof hash);
        memset(pw, 0, sizeof pw);
        if (e) {
            rc = ctl_fail(c, e, "cannot hash the password (%s)", bk_err_name(e));
            goto out;
        }
    }
    int64_t now = now_of(c);
    e = store_begin(c->st, STORE_TX_WRITE);
    if (!e) e = store_user_get(c->st, name, &u); /* fresh, in the transaction */
    if (!e) {
        switch (what) {
        case CHANGE_PASSWD:
            snprintf(u.hash, sizeof u.hash, "%s", hash);
            u.failed = 0;
            u.locked_until = 0;
            break;
        case CHANGE_DISABLE:
            u.disabled = 1;
            break;
        case CHANGE_ENABLE:
            u.disabled = 0;
            break;
        case CHANGE_UNLOCK:
            u.failed = 0;
            u.locked_until = 0;
            break;
        }
        u.changed_at = now;
        e = store_user_update(c->st, &u);
    }
    char detail[64];
    snprintf(detail, sizeof detail, "user %s", name);
    if (!e) e = store_audit_add(c->st, now, c->actor, actions[what], 0, NULL, detail);
    if (!e) e = store_commit(c->st);
    if (e) {
        store_rollback(c->st);
        rc = fail_store(c, e, actions[what], name);
        goto out;
    }
    if (c->json)
        rc = ctl_emit(c, json_pack("{s:s, s:s, s:o, s:b, s:b}", "name", u.name, "role",
                                   bk_role_name(u.role), "officer",
                                   u.officer[0] ? json_string(u.officer) : json_null(), "disabled",
                                   u.disabled, "locked", account_locked(&u, now)));
    else {
        printf(ctl_tr(c, done[what]), name);
        putchar('\n');
    }
out:
    memset(pw, 0, sizeof pw);
    memset(hash, 0, sizeof hash);
    memset(u.hash, 0, sizeof u.hash);
    return rc;
}

typedef struct list_ctx {
    json_t *arr;
    int64_t now;
} list_ctx;

static bk_err list_row(void *ud, const store_user *u)
{
    list_ctx *l = ud;
    int locked = account_locked(u, l->now);
    if (l->arr) {
        json_t *j =
            json_pack("{s:s, s:s, s:o, s:b, s:b}", "name", u->name, "role", bk_role_name(u->role),
                      "officer", u->officer[0] ? json_string(u->officer) : json_null(), "disabled",
                      u->disabled, "locked", locked);
        if (!j || json_array_append_new(l->arr, j)) return BK_ERR_NOMEM;
    } else {
        printf("%-32s %-9s %-10s%s%s\n", u->name, bk_role_name(u->role),
               u->officer[0] ? u->officer : "-", u->disabled ? " disabled" : "",
               locked ? " locked" : "");
    }
    return BK_OK;
}

static int user_list(ctl *c, int argc, char **argv)
{
    const char *usage = "user list";
    const ctl_args_spec spec = {NULL, CTL_POS_ANY, NULL, 0};
    int rc = ctl_args(c, usage, argc, argv, 2, &spec, NULL);
    if (rc) return rc;
    if ((rc = ctl_open(c))) return rc;
    list_ctx l = {.arr = c->json ? json_array() : NULL, .now = now_of(c)};
    if (c->json && !l.arr) return ctl_fail(c, BK_ERR_NOMEM, "out of memory");
    bk_err e = store_user_list(c->st, list_row, &l);
    if (e) {
        json_decref(l.arr);
        return fail_store(c, e, "user list", "");
    }
    return c->json ? ctl_emit(c, l.arr) : 0;
}

int ctl_cmd_user(ctl *c, int argc, char **argv)
{
    const char *usage = "user add|passwd|disable|enable|unlock|list ...";
    if (argc < 2) return ctl_usage(c, usage);
    const char *v = argv[1];
    if (strcmp(v, "add") == 0) return user_add(c, argc, argv);
    if (strcmp(v, "passwd") == 0) return user_change_cmd(c, argc, argv, CHANGE_PASSWD);
    if (strcmp(v, "disable") == 0) return user_change_cmd(c, argc, argv, CHANGE_DISABLE);
    if (strcmp(v, "enable") == 0) return user_change_cmd(c, argc, argv, CHANGE_ENABLE);
    if (strcmp(v, "unlock") == 0) return user_change_cmd(c, argc, argv, CHANGE_UNLOCK);
    if (strcmp(v, "list") == 0) return user_list(c, argc, argv);
    return ctl_usage(c, usage);
}
