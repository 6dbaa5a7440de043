/* test_account — staff accounts: core/account.c (Argon2id hashes, the login
 * rule: same answer for an unknown name and a wrong password, lockout and
 * unlock, disabled accounts) on the real database file (or, under
 * pg_cluster.sh, a PostgreSQL schema), and `bapasctl user` through the real
 * binary on the same database: add, list, passwd, disable, enable, unlock,
 * the password from stdin, and bad input.
 *
 * usage: test_account PATH-TO-BAPASCTL
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <jansson.h>

#include "account.h"
#include "store_user.h"
#include "testdb.h"

static const char *bapasctl;

/* A cheap cost for the tests (the config's documented test option:
 * [accounts] hash_iterations = 1, hash_memory_kib = 64). */
static void cheap(account_ctx *a, testdb *t)
{
    account_ctx_defaults(a, t->st, "test");
    a->t_cost = 1;
    a->m_cost_kib = 64;
    a->max_failures = 3;
    a->lockout_minutes = 10;
}

static void add_user(testdb *t, const char *name, bk_role role, const char *officer, const char *pw)
{
    account_ctx a;
    cheap(&a, t);
    store_user u = {
        .role = role, .created_at = TESTDB_MONDAY_0900, .changed_at = TESTDB_MONDAY_0900};
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.officer, sizeof u.officer, "%s", officer ? officer : "");
    assert_int_equal(account_hash(&a, pw, u.hash, sizeof u.hash), BK_OK);
    assert_int_equal(store_begin(t->st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(store_user_insert(t->st, &u), BK_OK);
    assert_int_equal(store_commit(t->st), BK_OK);
}

static void test_hash_and_verify(void **s)
{
    (void)s;
    testdb t;
    testdb_create(&t);
    account_ctx a;
    cheap(&a, &t);
    char h1[STORE_USER_HASH_SZ], h2[STORE_USER_HASH_SZ];
    assert_int_equal(account_hash(&a, "kata sandi rahasia", h1, sizeof h1), BK_OK);
    assert_int_equal(strncmp(h1, "$argon2id$v=19$m=64,t=1,p=1$", 28), 0);
    assert_int_equal(account_hash(&a, "kata sandi rahasia", h2, sizeof h2), BK_OK);
    assert_string_not_equal(h1, h2); /* a fresh salt each time */
    assert_true(account_verify(h1, "kata sandi rahasia"));
    assert_true(account_verify(h2, "kata sandi rahasia"));
    assert_false(account_verify(h1, "kata sandi rahasiA"));
    assert_false(account_verify(h1, ""));
    assert_false(account_verify("$argon2i$v=19$m=64,t=1,p=1$xx$yy", "kata sandi rahasia"));
    assert_false(account_verify("", "x"));
    /* The defaults: t=3, 64 MiB, 1 lane. */
    account_ctx d;
    account_ctx_defaults(&d, t.st, "test");
    assert_int_equal(account_hash(&d, "kata sandi rahasia", h1, sizeof h1), BK_OK);
    assert_int_equal(strncmp(h1, "$argon2id$v=19$m=65536,t=3,p=1$", 31), 0);
    assert_true(account_verify(h1, "kata sandi rahasia"));
    /* Too small a buffer is refused, not truncated. */
    char tiny[40];
    assert_int_equal(account_hash(&a, "kata sandi rahasia", tiny, sizeof tiny), BK_ERR_INTERNAL);
    testdb_destroy(&t);
}

static void test_password_rules(void **s)
{
    (void)s;
    const char *why = NULL;
    assert_int_equal(account_password_check("123456789", &why), BK_ERR_INVALID);
    assert_string_equal(why, "the password is shorter than 10 characters");
    assert_int_equal(account_password_check("", &why), BK_ERR_INVALID);
    assert_int_equal(account_password_check(NULL, &why), BK_ERR_INVALID);
    assert_int_equal(account_password_check("1234567890", &why), BK_OK);
    assert_null(why);
    /* Characters, not bytes: nine é are 18 bytes but too short; ten are fine. */
    assert_int_equal(account_password_check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                            "\xc3\xa9\xc3\xa9\xc3\xa9",
                                            &why),
                     BK_ERR_INVALID);
    assert_int_equal(account_password_check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                            "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                                            &why),
                     BK_OK);
    assert_int_equal(account_password_check("abcdefghij\tk", &why), BK_ERR_INVALID);
    assert_string_equal(why, "the password may not contain control characters or invalid text");
    assert_int_equal(account_password_check("abcdefghij\xff", &why), BK_ERR_INVALID);
    char longpw[200];
    memset(longpw, 'x', 129);
    longpw[129] = 0;
    assert_int_equal(account_password_check(longpw, &why), BK_ERR_INVALID);
    assert_string_equal(why, "the password is longer than 128 characters");
    longpw[128] = 0;
    assert_int_equal(account_password_check(longpw, &why), BK_OK);
    /* account_hash refuses what the check refuses. */
    account_ctx a;
    account_ctx_defaults(&a, NULL, "test");
    char h[STORE_USER_HASH_SZ];
    assert_int_equal(account_hash(&a, "short", h, sizeof h), BK_ERR_INVALID);
}

typedef struct audit_cnt {
    const char *action;
    int64_t n;
} audit_cnt;

static bk_err audit_cb(void *ud, const store_audit_row *r)
{
    audit_cnt *c = ud;
    if (strcmp(r->action, c->action) == 0) c->n++;
    return BK_OK;
}

static int64_t audit_count(testdb *t, const char *action)
{
    audit_cnt c = {action, 0};
    assert_int_equal(store_audit_list(t->st, 0, 0, 0, audit_cb, &c), BK_OK);
    return c.n;
}

static void test_login_rule(void **s)
{
    (void)s;
    testdb t;
    testdb_create(&t);
    add_user(&t, "siti", BK_ROLE_PK, "PK1", "benar-sekali-1");
    add_user(&t, "rina", BK_ROLE_RECEPTION, NULL, "rina-password");
    account_ctx a;
    cheap(&a, &t);
    int64_t now = TESTDB_MONDAY_0900;
    account_result r;
    store_user u;

    assert_int_equal(account_login(&a, "siti", "benar-sekali-1", now, &r, &u), BK_OK);
    assert_int_equal(r, ACCOUNT_OK);
    assert_string_equal(u.name, "siti");
    assert_int_equal(u.role, BK_ROLE_PK);
    assert_string_equal(u.officer, "PK1");
    assert_string_equal(u.hash, ""); /* never handed out */

    /* Unknown name and wrong password: the same answer. */
    assert_int_equal(account_login(&a, "nobody", "benar-sekali-1", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_BAD);
    assert_int_equal(account_login(&a, "", "benar-sekali-1", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_BAD);
    assert_int_equal(account_login(&a, "siti", "salah-sekali-1", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_BAD);
    assert_int_equal(store_user_get(t.st, "siti", &u), BK_OK);
    assert_int_equal(u.failed, 1);
    /* A success resets the count. */
    assert_int_equal(account_login(&a, "siti", "benar-sekali-1", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_OK);
    assert_int_equal(store_user_get(t.st, "siti", &u), BK_OK);
    assert_int_equal(u.failed, 0);

    /* max_failures (3) wrong in a row lock it for 10 minutes; the third is
     * still answered BAD, like every wrong password. */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(account_login(&a, "siti", "salah", now + i, &r, NULL), BK_OK);
        assert_int_equal(r, ACCOUNT_BAD);
    }
    assert_int_equal(audit_count(&t, "user_lockout"), 1);
    assert_int_equal(store_user_get(t.st, "siti", &u), BK_OK);
    assert_int_equal(u.locked_until, now + 2 + 600);
    assert_true(account_locked(&u, now + 3));
    /* Locked: the right password is refused, and tries do not extend it. */
    assert_int_equal(account_login(&a, "siti", "benar-sekali-1", now + 60, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_LOCKED);
    assert_int_equal(account_login(&a, "siti", "salah", now + 61, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_LOCKED);
    assert_int_equal(store_user_get(t.st, "siti", &u), BK_OK);
    assert_int_equal(u.locked_until, now + 2 + 600);
    /* Other accounts are not affected. */
    assert_int_equal(account_login(&a, "rina", "rina-password", now + 62, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_OK);
    /* The lockout ends by itself... */
    assert_int_equal(account_login(&a, "siti", "benar-sekali-1", now + 602, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_OK);
    assert_int_equal(store_user_get(t.st, "siti", &u), BK_OK);
    assert_int_equal(u.locked_until, 0);
    /* ...or is lifted by an unlock. */
    for (int i = 0; i < 3; i++)
        assert_int_equal(account_login(&a, "siti", "salah", now + 700, &r, NULL), BK_OK);
    assert_int_equal(account_login(&a, "siti", "benar-sekali-1", now + 701, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_LOCKED);
    assert_int_equal(store_begin(t.st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(account_unlock(&a, "siti", now + 702), BK_OK);
    assert_int_equal(store_commit(t.st), BK_OK);
    assert_int_equal(account_login(&a, "siti", "benar-sekali-1", now + 703, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_OK);
    assert_int_equal(store_begin(t.st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(account_unlock(&a, "nobody", now), BK_ERR_NOT_FOUND);
    store_rollback(t.st);

    /* Disabled: refused even with the right password; failures not counted. */
    assert_int_equal(store_user_get(t.st, "rina", &u), BK_OK);
    u.disabled = 1;
    assert_int_equal(store_begin(t.st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(store_user_update(t.st, &u), BK_OK);
    assert_int_equal(store_commit(t.st), BK_OK);
    assert_int_equal(account_login(&a, "rina", "rina-password", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_DISABLED);
    for (int i = 0; i < 4; i++)
        assert_int_equal(account_login(&a, "rina", "salah", now, &r, NULL), BK_OK);
    assert_int_equal(store_user_get(t.st, "rina", &u), BK_OK);
    assert_int_equal(u.failed, 0);
    assert_int_equal(u.locked_until, 0);
    testdb_destroy(&t);
}

static void test_store_constraints(void **s)
{
    (void)s;
    testdb t;
    testdb_create(&t);
    add_user(&t, "siti", BK_ROLE_PK, "PK1", "benar-sekali-1");
    store_user u = {.role = BK_ROLE_ADMIN, .created_at = 1, .changed_at = 1};
    snprintf(u.name, sizeof u.name, "siti");
    snprintf(u.hash, sizeof u.hash, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA");
    assert_int_equal(store_begin(t.st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(store_user_insert(t.st, &u), BK_ERR_EXISTS);
    store_rollback(t.st);
    /* The schema's checks: a pk needs an officer that exists; no other role has one. */
    snprintf(u.name, sizeof u.name, "ana");
    u.role = BK_ROLE_PK;
    assert_int_equal(store_begin(t.st, STORE_TX_WRITE), BK_OK);
    assert_int_not_equal(store_user_insert(t.st, &u), BK_OK);
    store_rollback(t.st);
    snprintf(u.officer, sizeof u.officer, "PK9");
    assert_int_equal(store_begin(t.st, STORE_TX_WRITE), BK_OK);
    assert_int_equal(store_user_insert(t.st, &u), BK_ERR_NOT_FOUND);
    store_rollback(t.st);
    u.role = BK_ROLE_HEAD;
    snprintf(u.officer, sizeof u.officer, "PK1");
    assert_int_equal(store_begin(t.st, STORE_TX_WRITE), BK_OK);
    assert_int_not_equal(store_user_insert(t.st, &u), BK_OK);
    store_rollback(t.st);
    /* Only an Argon2id string may be stored as the hash. */
    u.officer[0] = 0;
    snprintf(u.hash, sizeof u.hash, "plaintext-password");
    assert_int_equal(store_begin(t.st, STORE_TX_WRITE), BK_OK);
    assert_int_not_equal(store_user_insert(t.st, &u), BK_OK);
    store_rollback(t.st);
    assert_int_equal(store_user_get(t.st, "ana", &u), BK_ERR_NOT_FOUND);
    testdb_destroy(&t);
}

/* ---- bapasctl user, through the real binary ------------------------------ */

static char conf[400];

/* Run `printf '%s' STDIN | bapasctl --config conf --db DB ARGS`; stdout and
 * stderr (2>&1) into out. Returns the exit code. */
static int run(const testdb *t, char *out, size_t outsz, const char *input, const char *fmt, ...)
{
    char args[2048], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd,
             "printf '%%s' '%s' | env -u BAPAS_DB USER=tester '%s' --config '%s' --db '%s' %s "
             "2>&1",
             input ? input : "", bapasctl, conf, t->path, args);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, outsz - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_conf(const testdb *t, const char *lang)
{
    snprintf(conf, sizeof conf, "%s/test.ini", t->dir);
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    fprintf(f,
            "[office]\nlanguage = %s\n[accounts]\nhash_iterations = 1\nhash_memory_kib = 64\n"
            "login_failures = 3\nlockout_minutes = 10\n",
            lang);
    assert_int_equal(fclose(f), 0);
}

static void test_cli_user(void **s)
{
    (void)s;
    testdb t;
    testdb_create(&t);
    write_conf(&t, "en");
    static char out[65536];

    assert_int_equal(run(&t, out, sizeof out, "rahasia-budi-1\n", "user add Budi --role admin"), 0);
    assert_non_null(strstr(out, "user budi added (admin)"));
    assert_int_equal(
        run(&t, out, sizeof out, "rahasia-siti-1\n", "user add siti --role pk --officer pk1"), 0);
    /* Bad input: each its message and exit code, nothing written. */
    assert_int_equal(run(&t, out, sizeof out, "pendek\n", "user add ana --role head"), 4);
    assert_non_null(strstr(out, "the password is shorter than 10 characters"));
    assert_int_equal(run(&t, out, sizeof out, "", "user add ana --role head"), 4);
    assert_non_null(strstr(out, "no password was read"));
    assert_int_equal(run(&t, out, sizeof out, "rahasia-ana-12\n", "user add 'a b' --role head"), 4);
    assert_non_null(strstr(out, "user name may contain only"));
    assert_int_equal(run(&t, out, sizeof out, "rahasia-ana-12\n", "user add 9ana --role head"), 4);
    assert_int_equal(run(&t, out, sizeof out, "rahasia-ana-12\n", "user add ana --role boss"), 4);
    assert_non_null(strstr(out, "role must be reception, pk, head or admin"));
    assert_int_equal(run(&t, out, sizeof out, "rahasia-ana-12\n", "user add ana --role pk"), 4);
    assert_non_null(strstr(out, "a pk account needs --officer"));
    assert_int_equal(
        run(&t, out, sizeof out, "rahasia-ana-12\n", "user add ana --role head --officer PK1"), 4);
    assert_int_equal(
        run(&t, out, sizeof out, "rahasia-ana-12\n", "user add ana --role pk --officer PK9"), 3);
    assert_non_null(strstr(out, "no such officer: PK9"));
    assert_int_equal(run(&t, out, sizeof out, "rahasia-budi-2\n", "user add budi --role head"), 4);
    assert_non_null(strstr(out, "user budi already exists"));
    assert_int_equal(run(&t, out, sizeof out, NULL, "user add"), 2);
    assert_int_equal(run(&t, out, sizeof out, NULL, "user frobnicate x"), 2);
    assert_int_equal(run(&t, out, sizeof out, NULL, "user disable nobody"), 3);
    assert_non_null(strstr(out, "no such user: nobody"));
    assert_int_equal(run(&t, out, sizeof out, "a-new-password\n", "user passwd nobody"), 3);

    /* list --json: the keys, never the hash. */
    assert_int_equal(run(&t, out, sizeof out, NULL, "--json user list"), 0);
    assert_null(strstr(out, "argon2"));
    json_error_t je;
    json_t *arr = json_loads(out, 0, &je);
    assert_non_null(arr);
    assert_int_equal(json_array_size(arr), 2);
    json_t *b = json_array_get(arr, 0), *si = json_array_get(arr, 1);
    assert_string_equal(json_string_value(json_object_get(b, "name")), "budi");
    assert_string_equal(json_string_value(json_object_get(b, "role")), "admin");
    assert_true(json_is_null(json_object_get(b, "officer")));
    assert_string_equal(json_string_value(json_object_get(si, "officer")), "PK1");
    assert_true(json_is_false(json_object_get(si, "disabled")));
    assert_true(json_is_false(json_object_get(si, "locked")));
    assert_int_equal(json_object_size(si), 5);
    json_decref(arr);

    /* The login rule sees what the CLI wrote, and the other way round. */
    account_ctx a;
    cheap(&a, &t);
    account_result r;
    int64_t now = otime_now();
    assert_int_equal(account_login(&a, "siti", "rahasia-siti-1", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(account_login(&a, "siti", "salah", now, &r, NULL), BK_OK);
    assert_int_equal(run(&t, out, sizeof out, NULL, "--json user list"), 0);
    assert_non_null(strstr(out, "\"locked\": true"));
    assert_int_equal(run(&t, out, sizeof out, NULL, "user unlock SITI"), 0);
    assert_non_null(strstr(out, "user siti unlocked"));
    assert_int_equal(account_login(&a, "siti", "rahasia-siti-1", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_OK);

    /* passwd: the old password stops working. */
    assert_int_equal(run(&t, out, sizeof out, "rahasia-siti-2\n", "user passwd siti"), 0);
    assert_int_equal(account_login(&a, "siti", "rahasia-siti-1", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_BAD);
    assert_int_equal(account_login(&a, "siti", "rahasia-siti-2", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_OK);
    assert_int_equal(run(&t, out, sizeof out, "pendek\n", "user passwd siti"), 4);
    assert_int_equal(account_login(&a, "siti", "rahasia-siti-2", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_OK); /* unchanged */

    /* disable / enable. */
    assert_int_equal(run(&t, out, sizeof out, NULL, "--json user disable siti"), 0);
    assert_non_null(strstr(out, "\"disabled\": true"));
    assert_int_equal(account_login(&a, "siti", "rahasia-siti-2", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_DISABLED);
    assert_int_equal(run(&t, out, sizeof out, NULL, "user enable siti"), 0);
    assert_int_equal(account_login(&a, "siti", "rahasia-siti-2", now, &r, NULL), BK_OK);
    assert_int_equal(r, ACCOUNT_OK);

    /* Audit: a row per change, by the OS user, never the password. */
    assert_int_equal(run(&t, out, sizeof out, NULL, "audit"), 0);
    assert_null(strstr(out, "rahasia"));
    assert_null(strstr(out, "argon2"));
    assert_non_null(strstr(out, "cli:tester"));
    static const char *const actions[] = {"user_add",    "user_passwd", "user_disable",
                                          "user_enable", "user_unlock", NULL};
    for (const char *const *x = actions; *x; x++)
        if (!strstr(out, *x)) fail_msg("no audit row %s:\n%s", *x, out);
    assert_int_equal(audit_count(&t, "user_add"), 2);
    assert_int_equal(audit_count(&t, "user_passwd"), 1);

    /* Indonesian messages through the catalog. */
    write_conf(&t, "id");
    assert_int_equal(run(&t, out, sizeof out, "pendek\n", "user add ana --role head"), 4);
    assert_non_null(strstr(out, "kurang dari 10 karakter"));
    assert_int_equal(run(&t, out, sizeof out, NULL, "user disable nobody"), 3);
    assert_non_null(strstr(out, "tidak ada pengguna"));
    testdb_destroy(&t);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_account PATH-TO-BAPASCTL\n");
        return 2;
    }
    bapasctl = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_and_verify), cmocka_unit_test(test_password_rules),
        cmocka_unit_test(test_login_rule),      cmocka_unit_test(test_store_constraints),
        cmocka_unit_test(test_cli_user),
    };
    return cmocka_run_group_tests_name("staff accounts", tests, NULL, NULL);
}
