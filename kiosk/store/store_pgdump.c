/* store_pgdump.c — finding and running pg_dump / pg_restore (see
 * store_pgdump.h). */
#include "store_pgdump.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

extern char **environ;

#define PG_LIBDIR "/usr/lib/postgresql"

static int executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* dir/name into out if it is an executable file. */
static int try_dir(const char *dir, size_t dirlen, const char *name, char *out, size_t outsz)
{
    if (!dirlen) {
        dir = ".";
        dirlen = 1;
    }
    int n = snprintf(out, outsz, "%.*s/%s", (int)dirlen, dir, name);
    return n > 0 && (size_t)n < outsz && executable(out);
}

/* "15" > "9.6" > "9.5": versions compared numerically, part by part. */
static int version_cmp(const char *a, const char *b)
{
    for (;;) {
        char *ea, *eb;
        long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
        if (x != y) return x < y ? -1 : 1;
        if (*ea != '.' || *eb != '.') return (*ea == '.') - (*eb == '.'); /* "9" < "9.6" */
        a = ea + 1;
        b = eb + 1;
    }
}

bk_err store_pgdump_find(const char *name, const char *near, char *out, size_t outsz)
{
    const char *only = getenv("BAPAS_PG_BINDIR");
    if (only && *only)
        return try_dir(only, strlen(only), name, out, outsz) ? BK_OK : BK_ERR_NOT_FOUND;
    if (near && *near && try_dir(near, strlen(near), name, out, outsz)) return BK_OK;
    const char *path = getenv("PATH");
    for (const char *p = path; p && *p;) {
        const char *e = strchr(p, ':');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (try_dir(p, len, name, out, outsz)) return BK_OK;
        if (!e) break;
        p = e + 1;
    }
    /* Debian keeps each major version's programs in /usr/lib/postgresql/N/bin. */
    char best[64] = "";
    DIR *d = opendir(PG_LIBDIR);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] < '0' || de->d_name[0] > '9' || strlen(de->d_name) >= sizeof best)
                continue;
            char cand[512];
            if ((size_t)snprintf(cand, sizeof cand, PG_LIBDIR "/%.63s/bin/%s", de->d_name, name) >=
                sizeof cand)
                continue;
            if (executable(cand) && (!best[0] || version_cmp(de->d_name, best) > 0))
                snprintf(best, sizeof best, "%.*s", (int)sizeof best - 1, de->d_name);
        }
        closedir(d);
    }
    if (best[0]) {
        int n = snprintf(out, outsz, PG_LIBDIR "/%s/bin/%s", best, name);
        if (n > 0 && (size_t)n < outsz) return BK_OK;
    }
    return BK_ERR_NOT_FOUND;
}

/* Append keyword='value' (libpq quoting: \ and ' escaped) to out. */
static int append_kv(char *out, size_t outsz, size_t *len, const char *key, const char *val)
{
    size_t need = strlen(key) + 4 + 2 * strlen(val) + 1;
    if (*len + need >= outsz) return -1;
    *len += (size_t)snprintf(out + *len, outsz - *len, "%s%s='", *len ? " " : "", key);
    for (const char *v = val; *v; v++) {
        if (*v == '\\' || *v == '\'') out[(*len)++] = '\\';
        out[(*len)++] = *v;
    }
    out[(*len)++] = '\'';
    out[*len] = 0;
    return 0;
}

bk_err store_pgdump_conninfo(const char *target, char *out, size_t outsz, char *password,
                             size_t pwsz)
{
    if (pwsz) password[0] = 0;
    if (outsz) out[0] = 0;
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(target, &err);
    if (!opts) {
        PQfreemem(err); /* it may quote the password: not passed on */
        return BK_ERR_INVALID;
    }
    size_t len = 0;
    int have_timeout = 0, have_name = 0;
    bk_err e = BK_OK;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val) continue;
        if (strcmp(o->keyword, "password") == 0) {
            if ((size_t)snprintf(password, pwsz, "%s", o->val) >= pwsz) e = BK_ERR_INTERNAL;
            continue;
        }
        have_timeout |= strcmp(o->keyword, "connect_timeout") == 0;
        have_name |= strcmp(o->keyword, "application_name") == 0;
        if (append_kv(out, outsz, &len, o->keyword, o->val)) e = BK_ERR_INTERNAL;
    }
    if ((!have_timeout && append_kv(out, outsz, &len, "connect_timeout", "10")) ||
        (!have_name && append_kv(out, outsz, &len, "application_name", "bapas-backup")))
        e = BK_ERR_INTERNAL;
    /* Wipe the option array's copy of the password before freeing it. */
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (o->val && strcmp(o->keyword, "password") == 0) explicit_bzero(o->val, strlen(o->val));
    PQconninfoFree(opts);
    if (e && pwsz) explicit_bzero(password, pwsz);
    return e;
}

bk_err store_pgdump_run(char *const argv[], const char *password, char *out, size_t outsz,
                        int *status)
{
    *status = -1;
    if (out && outsz) out[0] = 0;
    /* The child's environment: ours, with PGPASSWORD replaced when given. */
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = calloc(n + 2, sizeof *env);
    char *pw = NULL;
    if (!env) return BK_ERR_NOMEM;
    size_t k = 0;
    int give_pw = password && *password;
    for (size_t i = 0; i < n; i++)
        if (!give_pw || strncmp(environ[i], "PGPASSWORD=", 11) != 0) env[k++] = environ[i];
    if (give_pw) {
        size_t len = strlen(password) + 12;
        if (!(pw = malloc(len))) {
            free(env);
            return BK_ERR_NOMEM;
        }
        snprintf(pw, len, "PGPASSWORD=%s", password);
        env[k++] = pw;
    }
    env[k] = NULL;

    bk_err e = BK_OK;
    int fds[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    int fa_ok = 0;
    pid_t pid = -1;
    if (pipe(fds) != 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
        e = BK_ERR_IO;
        goto out;
    }
    if (posix_spawn_file_actions_init(&fa) != 0) {
        e = BK_ERR_NOMEM;
        goto out;
    }
    fa_ok = 1;
    if (posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) ||
        posix_spawn_file_actions_adddup2(&fa, fds[1], 1) ||
        posix_spawn_file_actions_adddup2(&fa, fds[1], 2)) {
        e = BK_ERR_NOMEM;
        goto out;
    }
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
    if (rc != 0) {
        if (out && outsz) snprintf(out, outsz, "cannot run %s: %s", argv[0], strerror(rc));
        e = BK_ERR_IO;
        goto out;
    }
    close(fds[1]);
    fds[1] = -1;
    size_t have = 0;
    char sink[512];
    for (;;) {
        char *dst = sink;
        size_t room = sizeof sink;
        if (out && have + 1 < outsz) {
            dst = out + have;
            room = outsz - 1 - have;
        }
        ssize_t r = read(fds[0], dst, room);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        if (dst != sink) have += (size_t)r;
    }
    if (out && outsz) out[have] = 0;
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            e = BK_ERR_IO;
            goto out;
        }
    }
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
out:
    if (fa_ok) posix_spawn_file_actions_destroy(&fa);
    if (fds[0] >= 0) close(fds[0]);
    if (fds[1] >= 0) close(fds[1]);
    if (pw) {
        explicit_bzero(pw, strlen(pw));
        free(pw);
    }
    free(env);
    return e;
}
