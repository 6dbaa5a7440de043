/* harness.c — see harness.h. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "demo.h"
#include "otime.h"

const char *h_kiosk_bin = "bapas-kiosk";

char *h_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) buf[n] = 0;
    return buf;
}

int h_ctl(const harness *h, const char *ctl_bin, const char *args, int with_stderr, char **out)
{
    char path[400], cmd[2400];
    snprintf(path, sizeof path, "%s/ctl.out", h->dir);
    snprintf(cmd, sizeof cmd, "'%s' --db '%s' --config '%s' %s > '%s'%s", ctl_bin, h->db, h->config,
             args, path, with_stderr ? " 2>&1" : "");
    int st = system(cmd);
    *out = h_slurp(path);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int h_has(const char *text, const char *s)
{
    return text && s && strstr(text, s) != NULL;
}

/* One SQL command on the PostgreSQL test server (admin connection). */
static int pg_admin(const char *sql)
{
    PGconn *c = PQconnectdb(getenv("BK_TEST_DB_URI"));
    int ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PQclear(PQexec(c, "SET client_min_messages = warning"));
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    if (!ok) fprintf(stderr, "harness: %s: %s", sql, PQerrorMessage(c));
    PQfinish(c);
    return ok ? 0 : -1;
}

int h_is_pg(const harness *h)
{
    return h->pg_schema[0] != 0;
}

int h_setup(harness *h, const char *extra_ini)
{
    memset(h, 0, sizeof *h);
    snprintf(h->dir, sizeof h->dir, "/tmp/bk-kiosk-XXXXXX");
    if (!mkdtemp(h->dir)) return -1;
    snprintf(h->db, sizeof h->db, "%s/bapas.db", h->dir);
    const char *uri = getenv("BK_TEST_DB_URI");
    if (uri && *uri) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        snprintf(h->pg_schema, sizeof h->pg_schema, "h_%ld_%lld_%ld", (long)getpid(),
                 (long long)ts.tv_sec, ts.tv_nsec);
        char sql[96];
        snprintf(sql, sizeof sql, "CREATE SCHEMA %s", h->pg_schema);
        if (pg_admin(sql)) return -1;
        int n = snprintf(h->db, sizeof h->db, "%s%soptions=-csearch_path%%3D%s", uri,
                         strchr(uri, '?') ? "&" : "?", h->pg_schema);
        if (n < 0 || (size_t)n >= sizeof h->db) return -1;
    }
    snprintf(h->config, sizeof h->config, "%s/kiosk.ini", h->dir);
    snprintf(h->script, sizeof h->script, "%s/script.txt", h->dir);
    snprintf(h->out_path, sizeof h->out_path, "%s/stdout.txt", h->dir);
    snprintf(h->err_path, sizeof h->err_path, "%s/stderr.txt", h->dir);
    snprintf(h->stats_path, sizeof h->stats_path, "%s/stats.txt", h->dir);
    if (setenv("BAPAS_NOW", H_NOW, 1) || setenv("SDL_VIDEODRIVER", "dummy", 0) ||
        setenv("SDL_AUDIODRIVER", "dummy", 0))
        return -1;
    unsetenv("BAPAS_DB");
    unsetenv("BAPAS_CONFIG");
    FILE *f = fopen(h->config, "w");
    if (!f) return -1;
    fprintf(f,
            "[office]\nname = Bapas Kelas I Jakarta Timur-Utara\ntimezone = Asia/Jakarta\n"
            "[database]\nbusy_timeout_ms = 1000\n"
            "[kiosk]\nid = test\nlanguage = id\nsounds = no\nexit_pin = 2468\n"
            "idle_seconds = 30\nticket_idle_seconds = 15\n"
            "[printer]\ntarget = none\n%s\n",
            extra_ini ? extra_ini : "");
    if (fclose(f)) return -1;
    store_opts so = {.busy_timeout_ms = 3000, .utc_offset_min = 420, .create = 1};
    char err[256];
    if (store_open(h->db, &so, &h->st, err, sizeof err)) {
        fprintf(stderr, "harness: %s\n", err);
        return -1;
    }
    h->q.st = h->st;
    h->q.utc_offset_min = 420;
    h->q.actor = "test:harness";
    if (otime_parse(H_NOW, &h->q.fixed_now)) return -1;
    if (demo_load(&h->q)) return -1;
    return 0;
}

void h_teardown(harness *h)
{
    if (h->st) store_close(h->st);
    if (h->pg_schema[0]) {
        char sql[96];
        snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", h->pg_schema);
        if (pg_admin(sql)) fprintf(stderr, "harness: could not drop %s\n", h->pg_schema);
    }
    free(h->out);
    free(h->err);
    free(h->stats);
    if (h->dir[0] && !getenv("BK_KEEP_TMP")) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->dir);
        if (system(cmd) != 0) fprintf(stderr, "harness: could not remove %s\n", h->dir);
    }
    memset(h, 0, sizeof *h);
}

int h_run(harness *h, const char *script, const char *size, const char *const *extra_args,
          int timeout_s)
{
    free(h->out);
    free(h->err);
    free(h->stats);
    h->out = h->err = h->stats = NULL;
    FILE *f = fopen(h->script, "w");
    if (!f) return h->rc = -1;
    fputs(script, f);
    fclose(f);
    const char *argv[32];
    int n = 0;
    argv[n++] = h_kiosk_bin;
    argv[n++] = "--db";
    argv[n++] = h->db;
    argv[n++] = "--config";
    argv[n++] = h->config;
    argv[n++] = "--windowed";
    argv[n++] = size ? size : "800x480";
    argv[n++] = "--script";
    argv[n++] = h->script;
    argv[n++] = "--stats";
    argv[n++] = h->stats_path;
    for (int i = 0; extra_args && extra_args[i] && n < 30; i++)
        argv[n++] = extra_args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0) return h->rc = -1;
    if (pid == 0) {
        int o = open(h->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(h->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(127);
        execv(h_kiosk_bin, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    time_t start = time(NULL);
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) {
            status = -1;
            break;
        }
        if (time(NULL) - start > timeout_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fprintf(stderr, "harness: the kiosk hung for %d s; killed\n", timeout_s);
            status = -1;
            break;
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    h->out = h_slurp(h->out_path);
    h->err = h_slurp(h->err_path);
    h->stats = h_slurp(h->stats_path);
    if (status != -1 && WIFEXITED(status))
        h->rc = WEXITSTATUS(status);
    else
        h->rc = -1;
    if (h->rc != 0 && h->err && *h->err)
        fprintf(stderr, "--- kiosk stderr ---\n%s--------------------\n", h->err);
    return h->rc;
}

/* Start of the n-th "screen=" line in stdout, or NULL. */
static const char *dump_start(const harness *h, int n)
{
    const char *p = h->out;
    int i = -1;
    while (p && *p) {
        if (strncmp(p, "screen=", 7) == 0 && ++i == n) return p;
        p = strchr(p, '\n');
        if (p) p++;
    }
    return NULL;
}

int h_dump_count(const harness *h)
{
    int n = 0;
    while (dump_start(h, n))
        n++;
    return n;
}

char *h_dump_block(const harness *h, int n)
{
    const char *s = dump_start(h, n);
    if (!s) return NULL;
    const char *e = dump_start(h, n + 1);
    size_t len = e ? (size_t)(e - s) : strlen(s);
    char *b = malloc(len + 1);
    if (b) {
        memcpy(b, s, len);
        b[len] = 0;
    }
    return b;
}

int h_dump_screen(const harness *h, int n, char *out, size_t outsz)
{
    const char *s = dump_start(h, n);
    if (!s) return -1;
    s += 7;
    size_t len = strcspn(s, "\n");
    snprintf(out, outsz, "%.*s", (int)len, s);
    return 0;
}

int h_dump_label(const harness *h, int n, const char *id, char *out, size_t outsz)
{
    char *b = h_dump_block(h, n);
    if (!b) return -1;
    int rc = -1;
    size_t idl = strlen(id);
    for (char *line = strtok(b, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, id, idl) == 0 && line[idl] == '\t') {
            const char *lab = line + idl + 1;
            size_t len = strcspn(lab, "\t");
            snprintf(out, outsz, "%.*s", (int)len, lab);
            rc = 0;
            break;
        }
    }
    free(b);
    return rc;
}

int h_find_ticket(harness *h, const char *client_no, bk_purpose purpose, store_ticket *t)
{
    return store_ticket_find_open(h->st, H_DAY, client_no, purpose, t) == BK_OK ? 0 : -1;
}

typedef struct count_ud {
    const char *client_no;
    int n;
} count_ud;

static bk_err count_cb(void *ud, const store_ticket *t)
{
    count_ud *c = ud;
    if (!c->client_no || strcmp(c->client_no, t->client_no) == 0) c->n++;
    return BK_OK;
}

int h_count_tickets(harness *h, const char *client_no)
{
    count_ud c = {client_no, 0};
    if (store_ticket_list(h->st, H_DAY, NULL, STORE_ST_ALL, count_cb, &c)) return -1;
    return c.n;
}

typedef struct audit_ud {
    const char *action;
    int n;
} audit_ud;

static bk_err audit_cb(void *ud, const store_audit_row *a)
{
    audit_ud *c = ud;
    if (strcmp(a->action, c->action) == 0) c->n++;
    return BK_OK;
}

int h_count_audit(harness *h, const char *action)
{
    audit_ud c = {action, 0};
    if (store_audit_list(h->st, 0, 0, 0, audit_cb, &c)) return -1;
    return c.n;
}

void h_client(int i, char no[STORE_ID_SZ], char ddmmyyyy[9])
{
    char birth[STORE_DAY_SZ];
    demo_client(i, no, birth);
    snprintf(ddmmyyyy, 9, "%.2s%.2s%.4s", birth + 8, birth + 5, birth);
}

void h_taps(char *buf, size_t sz, const char *digits)
{
    for (const char *p = digits; *p; p++) {
        size_t n = strlen(buf);
        snprintf(buf + n, sz - n, "tap key-%c\n", *p);
    }
}
