/* ctl_doctor.c — `bapasctl doctor`: is this kiosk installation healthy?
 *
 * Runs every check and prints one line per check, OK, WARN or FAIL, with the
 * detail and (for WARN/FAIL) what to do, written for the office IT person.
 * Exit status 1 when any check FAILs, else 0 (WARN alone is healthy). With
 * --json: {"database", "config", "checks": [{"name", "status", "message",
 * "details": [...]}], "ok", "warn", "fail", "healthy"}.
 *
 * It changes nothing: the database is opened read-only, the display is not
 * opened (only the devices and settings the kiosk would use are looked at),
 * nothing is sent to the printer (a device is opened and closed, a network
 * printer is connected to and disconnected).
 *
 * Checks (--check takes names or groups, comma-separated):
 *   config                 the config parses (every problem with its line)
 *   database: database schema integrity wal
 *                          opens; schema version; PRAGMA quick_check; WAL size
 *             server tls views (a PostgreSQL server only)
 *                          the server's version; the connection's TLS; the
 *                          views other systems read
 *   files: db-files        the service user can write the database files
 *   disk                   free space beside the database
 *   backups                the newest nightly backup is recent
 *
 * With a PostgreSQL server as the database (store_target_is_server), the
 * database group checks the server instead of a file: database = it answers
 * (within the connect timeout), server, tls, schema, views, integrity = the
 * store's server-side check (store_check); wal, db-files and disk, which are
 * about a local file, are not run; backups = this machine can run pg_dump of
 * the server's version (plus the nightly copies, when this machine has
 * any). The URI's password is never shown (paths_display).
 *   assets: assets fonts   assets folder, both catalogs, fonts present
 *   printer                the printer target is reachable and writable
 *   service: service-user  the bapas-kiosk user is in lp video input render
 *   display                the video driver the kiosk would use works here
 *   clock                  the clock is plausible and synchronized
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "i18n.h"
#include "otime.h"
#include "paths.h"
#include "store_data.h"

#define DR_MAX_ITEMS 24
#define DR_MAX_DETAILS 12
#define DR_DETAIL_SZ 320
#define DR_SERVICE_USER "bapas-kiosk"
#define DR_MIB (1024LL * 1024LL)
#define DR_WAL_WARN (64 * DR_MIB)
#define DR_WAL_FAIL (1024 * DR_MIB)
#define DR_DISK_FAIL (100 * DR_MIB)
#define DR_DISK_WARN (1024 * DR_MIB)
#define DR_BACKUP_MAX_AGE_H 36
#define DR_MIN_YEAR 2025
#define DR_CUPS_SOCKET "/run/cups/cups.sock"
#define DR_PG_MIN 110000 /* the PostgreSQL schema needs 11 (EXECUTE FUNCTION triggers) */
/* Where bapas-backup puts the nightly copies when the database is a server. */
#define DR_STATE_BACKUPS "/var/lib/bapas-kiosk/backups"

enum { DR_OK, DR_WARN, DR_FAIL };

typedef struct dr_item {
    const char *name;
    int status;
    char msg[512];
    char details[DR_MAX_DETAILS][DR_DETAIL_SZ];
    int n_details;
} dr_item;

typedef struct dr_user {
    int exists;
    char name[64];
    uid_t uid;
    gid_t gid;
    gid_t groups[64];
    int ngroups;
} dr_user;

typedef struct doctor {
    ctl *c;
    const char *only; /* --check list, NULL = all */
    dr_item items[DR_MAX_ITEMS];
    int n;
    dr_user user;
    int64_t db_size;
    int server;        /* the database is a PostgreSQL server */
    store *pg;         /* server: one read-only connection for every check */
    int pg_tried;      /* server: pg_open() ran (pg NULL = it failed) */
    int pg_err;        /* its bk_err */
    char pg_msg[512];  /* its reason */
} doctor;

static const struct {
    const char *name;
    const char *group;
} dr_checks[] = {
    {"config", "config"},      {"database", "database"}, {"schema", "database"},
    {"integrity", "database"}, {"wal", "database"},      {"db-files", "files"},
    {"disk", "disk"},          {"backups", "backups"},   {"assets", "assets"},
    {"fonts", "assets"},       {"printer", "printer"},   {"service-user", "service"},
    {"display", "display"},    {"clock", "clock"},       {"server", "database"},
    {"tls", "database"},       {"views", "database"},
};

static const char *dr_label[] = {"OK", "WARN", "FAIL"};
static const char *dr_json_status[] = {"ok", "warn", "fail"};

/* ---- bookkeeping -------------------------------------------------------- */

static int token_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

static int selected(const doctor *d, const char *name)
{
    if (!d->only)
        return 1;
    for (size_t i = 0; i < sizeof dr_checks / sizeof dr_checks[0]; i++)
        if (strcmp(dr_checks[i].name, name) == 0)
            return token_in(d->only, name) || token_in(d->only, dr_checks[i].group);
    return 0;
}

/* Every token of --check must name a check or a group. */
static int only_valid(const char *list, char *bad, size_t badsz)
{
    for (const char *p = list;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int found = 0;
        for (size_t i = 0; i < sizeof dr_checks / sizeof dr_checks[0] && !found; i++)
            found = (strlen(dr_checks[i].name) == len && !strncmp(dr_checks[i].name, p, len)) ||
                    (strlen(dr_checks[i].group) == len && !strncmp(dr_checks[i].group, p, len));
        if (!found) {
            snprintf(bad, badsz, "%.*s", (int)len, p);
            return 0;
        }
        if (!e)
            return 1;
        p = e + 1;
    }
}

static dr_item *add(doctor *d, const char *name, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static dr_item *add(doctor *d, const char *name, int status, const char *fmt, ...)
{
    /* DR_MAX_ITEMS is above the number of checks; if ever reached, the last
     * item is overwritten rather than writing past the array. */
    dr_item *it = d->n < DR_MAX_ITEMS ? &d->items[d->n++] : &d->items[DR_MAX_ITEMS - 1];
    memset(it, 0, sizeof *it);
    it->name = name;
    it->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->msg, sizeof it->msg, fmt, ap);
    va_end(ap);
    return it;
}

static void detail(dr_item *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void detail(dr_item *it, const char *fmt, ...)
{
    if (it->n_details >= DR_MAX_DETAILS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->details[it->n_details++], DR_DETAIL_SZ, fmt, ap);
    va_end(ap);
}

static void human_size(int64_t b, char *out, size_t outsz)
{
    if (b >= 1024 * DR_MIB)
        snprintf(out, outsz, "%.1f GiB", (double)b / (double)(1024 * DR_MIB));
    else if (b >= DR_MIB)
        snprintf(out, outsz, "%.1f MiB", (double)b / (double)DR_MIB);
    else if (b >= 1024)
        snprintf(out, outsz, "%lld KiB", (long long)(b / 1024));
    else
        snprintf(out, outsz, "%lld bytes", (long long)b);
}

static void dir_of(const char *path, char *out, size_t outsz)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, outsz, ".");
    else if (slash == path)
        snprintf(out, outsz, "/");
    else
        snprintf(out, outsz, "%.*s", (int)(slash - path), path);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

/* ---- the service user --------------------------------------------------- */

static void load_user(doctor *d)
{
    const char *name = getenv("BAPAS_SERVICE_USER");
    if (!name || !*name)
        name = DR_SERVICE_USER;
    snprintf(d->user.name, sizeof d->user.name, "%s", name);
    struct passwd *pw = getpwnam(name);
    if (!pw)
        return;
    d->user.exists = 1;
    d->user.uid = pw->pw_uid;
    d->user.gid = pw->pw_gid;
    int n = (int)(sizeof d->user.groups / sizeof d->user.groups[0]);
    if (getgrouplist(name, pw->pw_gid, d->user.groups, &n) < 0)
        n = (int)(sizeof d->user.groups / sizeof d->user.groups[0]); /* truncated list */
    d->user.ngroups = n;
}

static int user_in_gid(const dr_user *u, gid_t g)
{
    if (u->gid == g)
        return 1;
    for (int i = 0; i < u->ngroups; i++)
        if (u->groups[i] == g)
            return 1;
    return 0;
}

/* Whether the service user may access st with `want` (4 read, 2 write, 1
 * exec/search), by the classic mode bits (ACLs are not looked at). */
static int user_may(const dr_user *u, const struct stat *st, int want)
{
    if (u->uid == 0)
        return 1;
    unsigned mode = (unsigned)st->st_mode;
    unsigned bits;
    if (st->st_uid == u->uid)
        bits = (mode >> 6) & 7;
    else if (user_in_gid(u, st->st_gid))
        bits = (mode >> 3) & 7;
    else
        bits = mode & 7;
    return (bits & (unsigned)want) == (unsigned)want;
}

/* ---- config --------------------------------------------------------------- */

static void check_config(doctor *d)
{
    const cfg *cf = &d->c->cfg;
    dr_item *it;
    if (!cf->source[0]) {
        struct stat st;
        if (d->c->config_path[0]) {
            it = add(d, "config", DR_FAIL, "cannot read %s", d->c->config_path);
        } else if (stat(CFG_DEFAULT_PATH, &st) == 0) {
            it = add(d, "config", DR_WARN,
                     "%s exists but this user cannot read it: built-in defaults shown",
                     CFG_DEFAULT_PATH);
            detail(it, "fix: run as root: sudo bapasctl doctor");
        } else {
            it = add(d, "config", DR_WARN, "no config file %s: the built-in defaults are used",
                     CFG_DEFAULT_PATH);
            detail(it, "fix: copy /usr/share/doc/bapas-kiosk/kiosk.example.ini to %s and edit it",
                   CFG_DEFAULT_PATH);
        }
        for (int i = 0; i < cf->n_issues; i++)
            detail(it, "%s", cf->issues[i].msg);
        return;
    }
    int fatal = 0;
    for (int i = 0; i < cf->n_issues; i++)
        fatal += cf->issues[i].fatal;
    if (fatal)
        it = add(d, "config", DR_FAIL, "%s: %d error(s): the kiosk refuses to start", cf->source,
                 fatal);
    else if (cf->n_issues)
        it = add(d, "config", DR_WARN, "%s: %d problem(s): defaults are used for those keys",
                 cf->source, cf->n_issues);
    else
        it = add(d, "config", DR_OK, "%s: no problems", cf->source);
    for (int i = 0; i < cf->n_issues; i++) {
        if (cf->issues[i].line > 0)
            detail(it, "line %d: %s%s", cf->issues[i].line, cf->issues[i].fatal ? "error: " : "",
                   cf->issues[i].msg);
        else
            detail(it, "%s%s", cf->issues[i].fatal ? "error: " : "", cf->issues[i].msg);
    }
    if (cf->n_issues >= CFG_MAX_ISSUES)
        detail(it, "(only the first %d problems are listed)", CFG_MAX_ISSUES);
    /* The installed services may write only below /var/lib/bapas-kiosk. */
    static const char state_dir[] = "/var/lib/bapas-kiosk/";
    if (access("/lib/systemd/system/bapas-kiosk.service", F_OK) == 0 &&
        !store_target_is_server(cf->db_path) &&
        strncmp(cf->db_path, state_dir, sizeof state_dir - 1) != 0) {
        detail(it,
               "warning: [database] path %s is outside %s, where the services may not "
               "write; move it back, or: sudo systemctl edit bapas-kiosk (ReadWritePaths=)",
               cf->db_path, state_dir);
        if (it->status == DR_OK)
            it->status = DR_WARN;
    }
}

/* ---- database ------------------------------------------------------------- */

static void check_schema(doctor *d, long long have, int latest)
{
    if (have == latest) {
        add(d, "schema", DR_OK, "version %lld, the newest this program knows", have);
    } else if (have > latest) {
        dr_item *it = add(d, "schema", DR_FAIL,
                          "version %lld is newer than this program's %d: the program is "
                          "older than the database",
                          have, latest);
        detail(it, "fix: install the newer bapas-kiosk package again, or restore a backup "
                   "made by this version");
    } else if (have == 0 && d->server) {
        dr_item *it = add(d, "schema", DR_FAIL,
                          "version 0: the server database is empty (no Bapas Kiosk tables)");
        detail(it, "fix: a new office: sudo -u %s bapasctl init; an office moving from "
                   "SQLite: bapasctl migrate-to (deploy/README.md, section 18)",
               d->user.name);
    } else if (have <= 0) {
        add(d, "schema", DR_FAIL, "version %lld: not a Bapas Kiosk database", have);
    } else {
        dr_item *it = add(d, "schema", DR_WARN,
                          "version %lld, this program's is %d: it is brought up to date "
                          "when the kiosk starts",
                          have, latest);
        detail(it, "or now: sudo -u %s bapasctl init", d->user.name);
    }
}

/* A message on one line (libpq's have a newline and a tab inside). */
static void flatten(char *m)
{
    char *w = m;
    for (const char *r = m; *r; r++) {
        char ch = *r == '\n' || *r == '\t' || *r == '\r' ? ' ' : *r;
        if (ch == ' ' && w > m && w[-1] == ' ')
            continue;
        *w++ = ch;
    }
    while (w > m && w[-1] == ' ')
        w--;
    *w = 0;
}

/* Server: the one read-only connection the checks share, opened at first
 * use (NULL when it failed: d->pg_err, d->pg_msg say why). Any schema
 * version is accepted: the schema check reports it. */
static store *pg_open(doctor *d)
{
    if (d->pg_tried)
        return d->pg;
    d->pg_tried = 1;
    store_opts o = {.busy_timeout_ms = d->c->cfg.busy_timeout_ms,
                    .utc_offset_min = d->c->cfg.utc_offset_min,
                    .read_only = 1,
                    .any_schema = 1};
    d->pg_err = store_open(d->c->db_path, &o, &d->pg, d->pg_msg, sizeof d->pg_msg);
    if (d->pg_err)
        d->pg = NULL;
    flatten(d->pg_msg);
    return d->pg;
}

static void check_database_server(doctor *d)
{
    int want_db = selected(d, "database"), want_server = selected(d, "server");
    int want_tls = selected(d, "tls"), want_schema = selected(d, "schema");
    int want_views = selected(d, "views"), want_integrity = selected(d, "integrity");
    if (!want_db && !want_server && !want_tls && !want_schema && !want_views && !want_integrity)
        return;
    char shown[CFG_PATH_SZ], where[CFG_PATH_SZ + 64];
    paths_display(d->c->db_path, shown, sizeof shown);
    store_server_where(d->c->db_path, where, sizeof where);
    store *s = pg_open(d);
    if (!s) {
        dr_item *it =
            add(d, "database", DR_FAIL, "cannot connect to the server at %s: %s", where, d->pg_msg);
        detail(it, "database %s", shown);
        detail(it, "is the server running, and reachable from this machine? "
                   "(the connection gives up after connect_timeout, 3 s unless the URI sets it)");
        detail(it, "fix: check the host and port in [database] path, the server's "
                   "listen_addresses and pg_hba.conf, and the password file (passfile= in the "
                   "path, or ~/.pgpass; deploy/README.md section 18.5)");
        return;
    }
    store_server_info si;
    bk_err e = store_server_info_get(s, &si);
    if (e) {
        char m[600];
        snprintf(m, sizeof m, "%s", store_errmsg(s));
        flatten(m);
        add(d, "database", DR_FAIL, "%s answers but its state cannot be read: %s", shown, m);
        return;
    }
    char size[32];
    human_size(si.db_bytes, size, sizeof size);
    if (want_db)
        add(d, "database", DR_OK, "the server at %s answers: database %s as user %s, %s", where,
            si.database, si.user, size);

    if (want_server) {
        if (si.version_num < DR_PG_MIN) {
            dr_item *it = add(d, "server", DR_FAIL,
                              "PostgreSQL %s is too old: Bapas Kiosk needs %d or newer",
                              si.version, DR_PG_MIN / 10000);
            detail(it, "fix: upgrade the server (Debian 12 ships PostgreSQL 15)");
        } else {
            dr_item *it = add(d, "server", DR_OK, "PostgreSQL %s", si.version);
            if (!si.data_checksums)
                detail(it, "page checksums are off: the server cannot tell a damaged disk page "
                           "(pg_checksums --enable, on the stopped server, turns them on)");
        }
    }

    if (want_tls) {
        int verified = !strcmp(si.sslmode, "verify-full") || !strcmp(si.sslmode, "verify-ca");
        dr_item *it = NULL;
        if (si.unix_socket)
            add(d, "tls", DR_OK, "Unix socket %s on this machine: nothing crosses the network",
                si.host);
        else if (si.tls && !strcmp(si.sslmode, "require") && si.sslrootcert[0])
            add(d, "tls", DR_OK,
                "encrypted (%s), sslmode=require with the root certificate %s: the server's "
                "certificate is checked as with verify-ca (verify-full also checks its name)",
                si.tls_protocol, si.sslrootcert);
        else if (si.tls && verified)
            add(d, "tls", DR_OK, "encrypted (%s), sslmode=%s: the server's certificate is checked",
                si.tls_protocol, si.sslmode);
        else if (si.tls)
            it = add(d, "tls", DR_WARN,
                     "encrypted (%s), but sslmode=%s does not check the server's certificate: "
                     "another machine could pose as the server",
                     si.tls_protocol, si.sslmode);
        else
            it = add(d, "tls", DR_WARN,
                     "not encrypted (sslmode=%s): names, birth dates and the audit trail cross "
                     "the network in clear",
                     si.sslmode);
        if (it)
            detail(it, "fix: add sslmode=verify-full&sslrootcert=/etc/bapas-kiosk/db-ca.crt to "
                       "[database] path (deploy/README.md section 18.2)");
    }

    long long have = store_schema_version(s);
    int latest = store_schema_latest();
    if (want_schema)
        check_schema(d, have, latest);

    if (want_views) {
        char missing[256] = "", denied[256] = "";
        if (have != latest) {
            add(d, "views", DR_WARN, "not checked: the schema version differs");
        } else if ((e = store_views_check(s, missing, sizeof missing, denied, sizeof denied))) {
            char m[600];
            snprintf(m, sizeof m, "%s", store_errmsg(s));
            flatten(m);
            add(d, "views", DR_FAIL, "could not be checked: %s", m);
        } else if (missing[0]) {
            dr_item *it = add(d, "views", DR_FAIL, "missing or broken: %s", missing);
            detail(it, "the officers' other systems read these views (db/README.md)");
            detail(it, "fix: restore the newest backup (deploy/README.md section 9)");
        } else if (denied[0]) {
            dr_item *it = add(d, "views", DR_OK,
                              "v_queue_today, v_visits and v_officer_presence are there");
            detail(it, "this machine's role %s may not read %s: only the owner and bapas_read "
                       "members do (deploy/README.md section 18.4)",
                   si.user, denied);
        } else {
            add(d, "views", DR_OK, "v_queue_today, v_visits and v_officer_presence can be read");
        }
    }

    if (want_integrity) {
        int ok = 0;
        char msg[256] = "";
        if (have != latest) {
            add(d, "integrity", DR_WARN, "not checked: the schema version differs");
        } else if ((e = store_check(s, 0, &ok, msg, sizeof msg))) {
            char m[600];
            snprintf(m, sizeof m, "%s", store_errmsg(s));
            flatten(m);
            add(d, "integrity", DR_FAIL, "the server-side check could not run: %s", m);
        } else if (ok) {
            add(d, "integrity", DR_OK,
                "server-side check: ok (indexes valid, constraints validated, audit "
                "append-only)");
        } else {
            dr_item *it = add(d, "integrity", DR_FAIL, "server-side check: %s", msg);
            detail(it, "fix: restore the newest backup (deploy/README.md section 9), or ask "
                       "the server's administrator");
        }
    }
}

static void check_database(doctor *d)
{
    if (d->server) {
        check_database_server(d);
        return;
    }
    const char *path = d->c->db_path;
    int want_db = selected(d, "database"), want_schema = selected(d, "schema");
    int want_integrity = selected(d, "integrity"), want_wal = selected(d, "wal");
    if (!want_db && !want_schema && !want_integrity && !want_wal)
        return;

    struct stat st;
    if (stat(path, &st) != 0) {
        dr_item *it = add(d, "database", DR_FAIL, "no database at %s (%s)", path, strerror(errno));
        detail(it, "fix: create it: sudo -u %s bapasctl init  (or set [database] path)",
               d->user.name);
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        add(d, "database", DR_FAIL, "%s is not a regular file", path);
        return;
    }
    d->db_size = (int64_t)st.st_size;

    /* The WAL as found on disk, before this connection touches anything. */
    char wal[CFG_PATH_SZ + 8];
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct stat wst;
    int have_wal = stat(wal, &wst) == 0;

    store_opts o = {.busy_timeout_ms = d->c->cfg.busy_timeout_ms,
                    .utc_offset_min = d->c->cfg.utc_offset_min,
                    .read_only = 1};
    store *s = NULL;
    char err[512] = "";
    bk_err e = store_open(path, &o, &s, err, sizeof err);
    char size[32];
    human_size(d->db_size, size, sizeof size);
    long long have = -1;
    int latest = store_schema_latest();
    if (e == BK_ERR_STATE) {
        /* A read-only open refuses another schema version ("schema version N, expected M"). */
        int exp = 0;
        if (sscanf(err, "schema version %lld, expected %d", &have, &exp) != 2) {
            add(d, "database", DR_FAIL, "%s does not open: %s", path, err);
            return;
        }
    } else if (e) {
        dr_item *it = add(d, "database", DR_FAIL, "%s does not open: %s", path, err);
        if (e == BK_ERR_BUSY)
            detail(it, "another program holds the database locked; try again");
        else
            detail(it, "fix: restore the newest backup (README: \"Restoring a backup\")");
        return;
    } else {
        have = store_schema_version(s);
    }
    if (want_db)
        add(d, "database", DR_OK, "%s opens (%s)", path, size);

    if (want_schema)
        check_schema(d, have, latest);

    if (want_integrity) {
        if (!s) {
            add(d, "integrity", DR_WARN, "not checked: the schema version differs");
        } else {
            int ok = 0;
            char msg[256] = "";
            e = store_check(s, 0, &ok, msg, sizeof msg);
            if (e) {
                add(d, "integrity", DR_FAIL, "quick_check could not run: %s", store_errmsg(s));
            } else if (ok) {
                add(d, "integrity", DR_OK, "quick_check: ok");
            } else {
                dr_item *it = add(d, "integrity", DR_FAIL, "quick_check found damage: %s", msg);
                detail(it, "fix: restore the newest backup (README: \"Restoring a backup\")");
            }
        }
    }
    if (s)
        store_close(s);

    if (want_wal) {
        if (!have_wal) {
            add(d, "wal", DR_OK, "no WAL file (nothing waiting to be written back)");
        } else {
            char ws[32];
            human_size((int64_t)wst.st_size, ws, sizeof ws);
            if ((int64_t)wst.st_size >= DR_WAL_FAIL) {
                dr_item *it = add(d, "wal", DR_FAIL,
                                  "%s is %s: changes are not being written "
                                  "back into the database",
                                  wal, ws);
                detail(it, "a program keeps a read open for too long; restart the services: "
                           "sudo systemctl restart bapas-kiosk bapas-board");
            } else if ((int64_t)wst.st_size >= DR_WAL_WARN) {
                dr_item *it = add(d, "wal", DR_WARN, "%s is %s (normal is a few MiB)", wal, ws);
                detail(it, "if it keeps growing, restart the services: sudo systemctl restart "
                           "bapas-kiosk bapas-board");
            } else {
                add(d, "wal", DR_OK, "%s", ws);
            }
        }
    }
}

static void check_db_files(doctor *d)
{
    if (!selected(d, "db-files") || !d->user.exists || d->server)
        return;
    const char *path = d->c->db_path;
    char dir[CFG_PATH_SZ];
    dir_of(path, dir, sizeof dir);
    char names[4][CFG_PATH_SZ + 8];
    snprintf(names[0], sizeof names[0], "%s", dir);
    snprintf(names[1], sizeof names[1], "%s", path);
    snprintf(names[2], sizeof names[2], "%s-wal", path);
    snprintf(names[3], sizeof names[3], "%s-shm", path);
    int bad = 0, seen = 0;
    dr_item tmp;
    memset(&tmp, 0, sizeof tmp);
    for (int i = 0; i < 4; i++) {
        struct stat st;
        if (stat(names[i], &st) != 0)
            continue;
        seen++;
        int want = i == 0 ? 7 : 6;
        if (!user_may(&d->user, &st, want)) {
            bad++;
            detail(&tmp, "%s cannot %s %s (owner uid %u, mode %03o)", d->user.name,
                   i == 0 ? "create files in" : "write", names[i], (unsigned)st.st_uid,
                   (unsigned)(st.st_mode & 0777));
        }
    }
    dr_item *it;
    if (!seen)
        return; /* the database check already failed */
    if (bad) {
        it = add(d, "db-files", DR_FAIL, "the kiosk's user %s cannot write the database files",
                 d->user.name);
        for (int i = 0; i < tmp.n_details; i++)
            detail(it, "%s", tmp.details[i]);
        detail(it, "fix: sudo chown %s:%s %s %s*", d->user.name, d->user.name, dir, path);
    } else {
        add(d, "db-files", DR_OK, "%s can write %s and its files", d->user.name, dir);
    }
}

static void check_disk(doctor *d)
{
    if (!selected(d, "disk") || d->server)
        return; /* the server's disk is the server administrator's */
    char dir[CFG_PATH_SZ];
    dir_of(d->c->db_path, dir, sizeof dir);
    struct statvfs v;
    if (statvfs(dir, &v) != 0) {
        add(d, "disk", DR_FAIL, "cannot look at %s: %s", dir, strerror(errno));
        return;
    }
    int64_t free_b = (int64_t)v.f_bavail * (int64_t)v.f_frsize;
    int64_t total = (int64_t)v.f_blocks * (int64_t)v.f_frsize;
    char fs[32], ts[32];
    human_size(free_b, fs, sizeof fs);
    human_size(total, ts, sizeof ts);
    int64_t fail_below = DR_DISK_FAIL > 2 * d->db_size ? DR_DISK_FAIL : 2 * d->db_size;
    int64_t warn_below = DR_DISK_WARN > 16 * d->db_size ? DR_DISK_WARN : 16 * d->db_size;
    if (free_b < fail_below) {
        dr_item *it = add(d, "disk", DR_FAIL, "only %s free of %s at %s", fs, ts, dir);
        detail(it, "the database and its backups need room: delete old files or use a bigger "
                   "SD card/disk");
    } else if (free_b < warn_below) {
        dr_item *it = add(d, "disk", DR_WARN, "%s free of %s at %s", fs, ts, dir);
        detail(it, "14 nightly backups need about 15 times the database size");
    } else {
        add(d, "disk", DR_OK, "%s free of %s at %s", fs, ts, dir);
    }
}

static int is_nightly_backup(const char *n)
{
    /* bapas-YYYYMMDD-HHMMSS.db or bapas-YYYYMMDD-HHMMSS-N.db (bapas-backup.sh) */
    if (strncmp(n, "bapas-", 6) != 0 || !has_suffix(n, ".db"))
        return 0;
    for (int i = 6; i < 21; i++) {
        if (i == 14 ? n[i] != '-' : (n[i] < '0' || n[i] > '9'))
            return 0;
    }
    return 1;
}

typedef struct dr_backups {
    int count, other;
    time_t newest;
    char newest_name[256];
} dr_backups;

/* The nightly copies in bdir; -1 when there is no such folder. */
static int scan_backups(const char *bdir, dr_backups *b)
{
    memset(b, 0, sizeof *b);
    DIR *dh = opendir(bdir);
    if (!dh)
        return -1;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (!has_suffix(de->d_name, ".db"))
            continue;
        if (!is_nightly_backup(de->d_name)) {
            b->other++;
            continue;
        }
        char p[CFG_PATH_SZ + 300];
        snprintf(p, sizeof p, "%s/%s", bdir, de->d_name);
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        b->count++;
        if (st.st_mtime > b->newest) {
            b->newest = st.st_mtime;
            snprintf(b->newest_name, sizeof b->newest_name, "%s", de->d_name);
        }
    }
    closedir(dh);
    return 0;
}

/* Server: can this machine back the server up (pg_dump, not older than the
 * server)? And its nightly copies, if it keeps any. */
static void check_backups_server(doctor *d)
{
    store *s = pg_open(d);
    if (!s) {
        add(d, "backups", DR_WARN, "not checked: cannot connect to the server");
        return;
    }
    store_server_info si;
    char tool[512] = "", version[256] = "";
    int major = 0;
    bk_err e = store_server_info_get(s, &si);
    if (!e)
        e = store_data_backup_tool(s, tool, sizeof tool, version, sizeof version, &major);
    dr_item *it;
    int server_major = si.version_num / 10000;
    if (e == BK_ERR_NOT_FOUND) {
        it = add(d, "backups", DR_WARN,
                 "pg_dump is not installed: bapasctl backup cannot back the server up from "
                 "this machine");
        detail(it, "fix: sudo apt install postgresql-client (or back up on the server itself)");
    } else if (e) {
        char m[600];
        snprintf(m, sizeof m, "%s", store_errmsg(s));
        flatten(m);
        it = add(d, "backups", DR_WARN, "pg_dump does not run: %s", m);
    } else if (major && major < server_major) {
        it = add(d, "backups", DR_WARN,
                 "%s is version %d, older than the server (%d): its backups fail", tool, major,
                 server_major);
        detail(it, "fix: install postgresql-client-%d (from the PostgreSQL apt repository if "
                   "Debian has none), or back up on the server itself",
               server_major);
    } else if (si.unreadable[0]) {
        it = add(d, "backups", DR_OK, "%s is installed (%s)", tool, version);
        detail(it, "this machine's role %s may not read %s, so it cannot take backups: they "
                   "run as the office's owner role (deploy/README.md section 8.1)",
               si.user, si.unreadable);
    } else {
        it = add(d, "backups", DR_OK, "%s can back the server up (%s)", tool, version);
    }
    dr_backups b;
    if (scan_backups(DR_STATE_BACKUPS, &b) != 0 || !b.count) {
        detail(it, "no nightly copies on this machine (%s): make sure one machine, or the "
                   "server, takes them (deploy/README.md section 8)",
               DR_STATE_BACKUPS);
        return;
    }
    long age_h = (long)((time(NULL) - b.newest) / 3600);
    if (age_h > DR_BACKUP_MAX_AGE_H) {
        detail(it, "warning: the newest nightly copy %s is %ld days old", b.newest_name,
               age_h / 24);
        if (it->status == DR_OK)
            it->status = DR_WARN;
    } else {
        detail(it, "%d nightly cop%s in %s, newest %s (%ld h ago)", b.count,
               b.count == 1 ? "y" : "ies", DR_STATE_BACKUPS, b.newest_name, age_h);
    }
}

static void check_backups(doctor *d)
{
    if (!selected(d, "backups"))
        return;
    if (d->server) {
        check_backups_server(d);
        return;
    }
    char dir[CFG_PATH_SZ], bdir[CFG_PATH_SZ + 16];
    dir_of(d->c->db_path, dir, sizeof dir);
    snprintf(bdir, sizeof bdir, "%s/backups", dir);
    dr_backups b;
    if (scan_backups(bdir, &b) != 0) {
        dr_item *it = add(d, "backups", DR_WARN, "no backup folder %s yet", bdir);
        detail(it, "fix: sudo systemctl enable --now bapas-backup.timer; then "
                   "sudo systemctl start bapas-backup.service");
        return;
    }
    if (!b.count) {
        dr_item *it = add(d, "backups", DR_WARN, "no nightly backup in %s yet", bdir);
        detail(it, "the first one is made at night by bapas-backup.timer; to make one now: "
                   "sudo systemctl start bapas-backup.service");
        return;
    }
    long age_h = (long)((time(NULL) - b.newest) / 3600);
    dr_item *it;
    if (age_h > DR_BACKUP_MAX_AGE_H) {
        it = add(d, "backups", DR_WARN, "the newest backup %s is %ld days old", b.newest_name,
                 age_h / 24);
        detail(it, "check: systemctl status bapas-backup.timer bapas-backup.service");
    } else {
        it = add(d, "backups", DR_OK, "%d nightly cop%s in %s, newest %s (%ld h ago)", b.count,
                 b.count == 1 ? "y" : "ies", bdir, b.newest_name, age_h);
    }
    if (b.other)
        detail(it, "%d other copies (pre-upgrade, before-restore) are kept there too", b.other);
}

/* ---- assets --------------------------------------------------------------- */

static int count_files(const char *dir, const char *const *exts, int *broken, dr_item *list)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        int match = 0;
        for (int i = 0; exts[i] && !match; i++)
            match = has_suffix(de->d_name, exts[i]);
        if (!match)
            continue;
        char p[CFG_PATH_SZ + 300];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || access(p, R_OK) != 0) {
            if (broken)
                (*broken)++;
            if (list)
                detail(list, "unreadable or broken link: %s", p);
            continue;
        }
        n++;
    }
    closedir(dh);
    return n;
}

static void check_assets(doctor *d)
{
    int want_assets = selected(d, "assets"), want_fonts = selected(d, "fonts");
    if (!want_assets && !want_fonts)
        return;
    char dir[1024];
    if (paths_assets(dir, sizeof dir)) {
        dr_item *it = add(d, want_assets ? "assets" : "fonts", DR_FAIL, "no assets folder found");
        detail(it, "looked at $BAPAS_ASSETS, the built-in folder and "
                   "/usr/share/bapas-kiosk/assets");
        detail(it, "fix: reinstall the package: sudo apt install --reinstall bapas-kiosk");
        return;
    }
    if (want_assets) {
        char idir[1100];
        snprintf(idir, sizeof idir, "%s/i18n", dir);
        i18n *id = NULL, *en = NULL;
        bk_err e1 = i18n_load(idir, "id", &id);
        bk_err e2 = i18n_load(idir, "en", &en);
        if (e1 || e2) {
            dr_item *it = add(d, "assets", DR_FAIL, "%s: the screen texts do not load", dir);
            if (e1)
                detail(it, "%s/id.txt: %s", idir, bk_err_name(e1));
            if (e2)
                detail(it, "%s/en.txt: %s", idir, bk_err_name(e2));
        } else {
            size_t missing = 0;
            for (size_t i = 0; i < i18n_count(id); i++)
                missing += !i18n_has(en, i18n_key_at(id, i));
            for (size_t i = 0; i < i18n_count(en); i++)
                missing += !i18n_has(id, i18n_key_at(en, i));
            char sdir[1100];
            snprintf(sdir, sizeof sdir, "%s/sounds", dir);
            static const char *const sound_ext[] = {".wav", ".ogg", NULL};
            int sounds = count_files(sdir, sound_ext, NULL, NULL);
            dr_item *it;
            if (missing)
                it = add(d, "assets", DR_WARN,
                         "%s: %zu key(s) are in one language's texts but not the other", dir,
                         missing);
            else
                it = add(d, "assets", DR_OK, "%s: texts id (%zu) and en (%zu)", dir, i18n_count(id),
                         i18n_count(en));
            detail(it, "%d sound file(s)", sounds < 0 ? 0 : sounds);
        }
        i18n_free(id);
        i18n_free(en);
    }
    if (want_fonts) {
        char fdir[1100];
        snprintf(fdir, sizeof fdir, "%s/fonts", dir);
        static const char *const font_ext[] = {".ttf", ".otf", ".ttc", NULL};
        int broken = 0;
        dr_item tmp;
        memset(&tmp, 0, sizeof tmp);
        int n = count_files(fdir, font_ext, &broken, &tmp);
        dr_item *it;
        if (n <= 0) {
            it = add(d, "fonts", DR_FAIL, "no font files in %s", fdir);
            detail(it, "fix: reinstall the package: sudo apt install --reinstall bapas-kiosk");
        } else if (broken) {
            it = add(d, "fonts", DR_WARN, "%d font(s) in %s, %d unreadable", n, fdir, broken);
        } else {
            it = add(d, "fonts", DR_OK, "%d font file(s) in %s", n, fdir);
        }
        for (int i = 0; i < tmp.n_details; i++)
            detail(it, "%s", tmp.details[i]);
    }
}

/* ---- printer -------------------------------------------------------------- */

/* Connect to host:port within timeout_ms. 0 = connected; else errno-ish. */
static int tcp_probe(const char *host, const char *port, int timeout_ms, char *why, size_t whysz)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        snprintf(why, whysz, "unknown host %.120s (%s)", host, gai_strerror(gai));
        return -1;
    }
    int rc = -1;
    snprintf(why, whysz, "no address");
    for (struct addrinfo *ai = res; ai && rc != 0; ai = ai->ai_next) {
        int fd =
            socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            snprintf(why, whysz, "socket: %s", strerror(errno));
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            rc = 0;
        } else if (errno == EINPROGRESS) {
            struct pollfd pfd = {.fd = fd, .events = POLLOUT};
            int pr;
            do
                pr = poll(&pfd, 1, timeout_ms);
            while (pr < 0 && errno == EINTR);
            if (pr == 0) {
                snprintf(why, whysz, "no answer within %d ms", timeout_ms);
            } else if (pr < 0) {
                snprintf(why, whysz, "poll: %s", strerror(errno));
            } else {
                int soerr = 0;
                socklen_t sl = sizeof soerr;
                if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
                    rc = 0;
                else
                    snprintf(why, whysz, "%s", strerror(soerr ? soerr : errno));
            }
        } else {
            snprintf(why, whysz, "%s", strerror(errno));
        }
        close(fd);
    }
    freeaddrinfo(res);
    return rc;
}

static void check_printer_device(doctor *d, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        dr_item *it = add(d, "printer", DR_FAIL, "%s: %s", path, strerror(errno));
        detail(it, "is the printer switched on and its USB cable plugged in? "
                   "(ls /dev/usb/ lists the printers found)");
        return;
    }
    int is_file = S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode);
    if (!is_file && !S_ISCHR(st.st_mode)) {
        add(d, "printer", DR_FAIL, "%s is not a printer device", path);
        return;
    }
    if (d->user.exists && !user_may(&d->user, &st, 2)) {
        struct group *g = getgrgid(st.st_gid);
        dr_item *it =
            add(d, "printer", DR_FAIL, "the kiosk's user %s cannot write %s", d->user.name, path);
        detail(it, "fix: sudo adduser %s %s, then sudo systemctl restart bapas-kiosk", d->user.name,
               g ? g->gr_name : "lp");
        return;
    }
    /* Open and close it without writing anything (O_NONBLOCK: a FIFO without
     * a reader or a busy device must not hang the doctor). */
    int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == EACCES && d->user.exists) {
            add(d, "printer", DR_OK, "%s: writable by %s (not opened: this user may not)", path,
                d->user.name);
        } else if (err == EBUSY) {
            add(d, "printer", DR_WARN, "%s is busy (printing right now?)", path);
        } else if (err == ENXIO && S_ISFIFO(st.st_mode)) {
            add(d, "printer", DR_WARN, "%s is a pipe with no reader", path);
        } else {
            dr_item *it = add(d, "printer", DR_FAIL, "%s: %s", path, strerror(err));
            if (err == EACCES)
                detail(it, "fix: sudo adduser %s lp", d->user.name);
            else
                detail(it, "is the printer switched on and its USB cable plugged in?");
        }
        return;
    }
    close(fd);
    if (is_file)
        add(d, "printer", DR_WARN, "%s is a file, not a printer (fine for tests)", path);
    else
        add(d, "printer", DR_OK, "%s is there and writable", path);
}

static void check_printer(doctor *d)
{
    if (!selected(d, "printer"))
        return;
    const char *t = d->c->cfg.printer;
    if (strcmp(t, "none") == 0) {
        add(d, "printer", DR_OK, "none: printing is turned off ([printer] target)");
        return;
    }
    if (t[0] == '/') {
        check_printer_device(d, t);
        return;
    }
    if (strncmp(t, "cups:", 5) == 0) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof a.sun_path, "%s", DR_CUPS_SOCKET);
        int ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
        int err = errno;
        if (fd >= 0)
            close(fd);
        if (ok) {
            add(d, "printer", DR_OK, "CUPS is running (queue \"%s\" not checked: lpstat -p %s)",
                t + 5, t + 5);
        } else {
            dr_item *it = add(d, "printer", DR_FAIL, "CUPS is not running (%s: %s)", DR_CUPS_SOCKET,
                              strerror(err));
            detail(it, "fix: sudo apt install cups, then add the queue \"%s\"", t + 5);
        }
        return;
    }
    /* HOST:PORT or [IPv6]:PORT */
    char host[256], port[16];
    const char *colon = strrchr(t, ':');
    if (!colon || colon == t || strlen(colon + 1) >= sizeof port ||
        (size_t)(colon - t) >= sizeof host) {
        add(d, "printer", DR_FAIL, "\"%s\" is not a printer target", t);
        return;
    }
    if (t[0] == '[' && colon > t + 1 && colon[-1] == ']')
        snprintf(host, sizeof host, "%.*s", (int)(colon - t - 2), t + 1);
    else
        snprintf(host, sizeof host, "%.*s", (int)(colon - t), t);
    snprintf(port, sizeof port, "%s", colon + 1);
    char why[256];
    int timeout = d->c->cfg.printer_timeout_ms > 0 ? d->c->cfg.printer_timeout_ms : 3000;
    if (tcp_probe(host, port, timeout, why, sizeof why) == 0) {
        add(d, "printer", DR_OK, "network printer %s answers", t);
    } else {
        dr_item *it = add(d, "printer", DR_FAIL, "network printer %s: %s", t, why);
        detail(it, "is it switched on, on the network, and is the address right? "
                   "(its self-test page shows the address)");
    }
}

/* ---- the service user ------------------------------------------------------ */

static void check_service_user(doctor *d)
{
    if (!selected(d, "service-user"))
        return;
    if (!d->user.exists) {
        dr_item *it = add(d, "service-user", DR_WARN,
                          "there is no user %s (the package creates it)", d->user.name);
        detail(it, "checks that depend on it are skipped");
        return;
    }
    static const char *const required[] = {"lp", "video", "input", "render"};
    static const char *const optional[] = {"audio"};
    char missing[128] = "", missing_opt[64] = "", absent[64] = "";
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        struct group *g = getgrnam(required[i]);
        if (!g) {
            size_t l = strlen(absent);
            snprintf(absent + l, sizeof absent - l, "%s%s", l ? " " : "", required[i]);
        } else if (!user_in_gid(&d->user, g->gr_gid)) {
            size_t l = strlen(missing);
            snprintf(missing + l, sizeof missing - l, "%s%s", l ? " " : "", required[i]);
        }
    }
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        struct group *g = getgrnam(optional[i]);
        if (g && !user_in_gid(&d->user, g->gr_gid)) {
            size_t l = strlen(missing_opt);
            snprintf(missing_opt + l, sizeof missing_opt - l, "%s%s", l ? " " : "", optional[i]);
        }
    }
    dr_item *it;
    if (missing[0]) {
        it = add(d, "service-user", DR_FAIL, "%s is not in group(s): %s", d->user.name, missing);
        char *save = NULL;
        for (char *g = strtok_r(missing, " ", &save); g; g = strtok_r(NULL, " ", &save))
            detail(it, "fix: sudo adduser %s %s", d->user.name, g);
        detail(it, "then: sudo systemctl restart bapas-kiosk");
    } else if (missing_opt[0]) {
        it = add(d, "service-user", DR_WARN, "%s is not in group %s: no sounds", d->user.name,
                 missing_opt);
        detail(it, "fix: sudo adduser %s %s", d->user.name, missing_opt);
    } else {
        it = add(d, "service-user", DR_OK, "%s (uid %u) is in groups lp video input render",
                 d->user.name, (unsigned)d->user.uid);
    }
    if (absent[0])
        detail(it, "group(s) not on this system: %s", absent);
}

/* ---- display ---------------------------------------------------------------- */

static void check_drm(doctor *d, const char *how)
{
    char cards[4][64];
    int ncards = 0;
    DIR *dh = opendir("/dev/dri");
    if (dh) {
        struct dirent *de;
        while ((de = readdir(dh)) && ncards < 4)
            if (strncmp(de->d_name, "card", 4) == 0)
                snprintf(cards[ncards++], sizeof cards[0], "/dev/dri/%.50s", de->d_name);
        closedir(dh);
    }
    if (!ncards) {
        dr_item *it = add(d, "display", DR_FAIL, "%s: no graphics device /dev/dri/card*", how);
        detail(it, "Raspberry Pi: the line dtoverlay=vc4-kms-v3d must be in "
                   "/boot/firmware/config.txt");
        detail(it, "PC: the graphics chip needs a KMS driver (i915, amdgpu, nouveau, ...)");
        return;
    }
    /* Screens plugged in: /sys/class/drm/cardN-CONNECTOR/status = connected */
    char screens[256] = "";
    dh = opendir("/sys/class/drm");
    if (dh) {
        struct dirent *de;
        while ((de = readdir(dh))) {
            if (strncmp(de->d_name, "card", 4) != 0 || !strchr(de->d_name, '-'))
                continue;
            char p[512], buf[32] = "";
            snprintf(p, sizeof p, "/sys/class/drm/%.200s/status", de->d_name);
            FILE *f = fopen(p, "r");
            if (!f)
                continue;
            if (fgets(buf, sizeof buf, f) && strncmp(buf, "connected", 9) == 0) {
                size_t l = strlen(screens);
                snprintf(screens + l, sizeof screens - l, "%s%.60s", l ? " " : "", de->d_name);
            }
            fclose(f);
        }
        closedir(dh);
    }
    int user_ok = 0;
    for (int i = 0; i < ncards; i++) {
        struct stat st;
        if (stat(cards[i], &st) == 0 && (!d->user.exists || user_may(&d->user, &st, 6)))
            user_ok = 1;
    }
    int inputs = 0, inputs_ok = 0;
    dh = opendir("/dev/input");
    if (dh) {
        struct dirent *de;
        while ((de = readdir(dh))) {
            if (strncmp(de->d_name, "event", 5) != 0)
                continue;
            inputs++;
            char p[300];
            snprintf(p, sizeof p, "/dev/input/%.200s", de->d_name);
            struct stat st;
            if (stat(p, &st) == 0 && (!d->user.exists || user_may(&d->user, &st, 4)))
                inputs_ok++;
        }
        closedir(dh);
    }
    dr_item *it;
    if (!user_ok) {
        it = add(d, "display", DR_FAIL, "%s: %s cannot open %s", how, d->user.name, cards[0]);
        detail(it, "fix: sudo adduser %s video; sudo adduser %s render", d->user.name,
               d->user.name);
    } else if (!screens[0]) {
        it = add(d, "display", DR_WARN,
                 "%s: %d graphics device(s) but no screen is connected "
                 "(or it is switched off)",
                 how, ncards);
    } else {
        it = add(d, "display", DR_OK, "%s: screen %s", how, screens);
    }
    if (!inputs)
        detail(it, "warning: no input devices in /dev/input: is the touch screen's USB cable in?");
    else if (!inputs_ok)
        detail(it, "warning: %s cannot read /dev/input/event*: sudo adduser %s input", d->user.name,
               d->user.name);
    else
        detail(it, "%d input device(s)", inputs);
    if (it->status == DR_OK && (!inputs || !inputs_ok))
        it->status = DR_WARN;
    char dm[512];
    ssize_t n = readlink("/etc/systemd/system/display-manager.service", dm, sizeof dm - 1);
    if (n > 0) {
        dm[n] = 0;
        const char *base = strrchr(dm, '/');
        detail(it,
               "warning: a desktop login (%s) starts at boot and takes the screen; "
               "turn it off: sudo systemctl set-default multi-user.target",
               base ? base + 1 : dm);
        if (it->status == DR_OK)
            it->status = DR_WARN;
    }
}

static void check_display(doctor *d)
{
    if (!selected(d, "display"))
        return;
    const char *drv = getenv("SDL_VIDEODRIVER");
    const char *wl = getenv("WAYLAND_DISPLAY");
    const char *x = getenv("DISPLAY");
    if (drv && *drv) {
        char how[96];
        snprintf(how, sizeof how, "SDL_VIDEODRIVER=%.40s", drv);
        if (!strcasecmp(drv, "dummy") || !strcasecmp(drv, "offscreen")) {
            add(d, "display", DR_WARN, "%s: a test driver, nothing would be shown", how);
        } else if (!strcasecmp(drv, "kmsdrm")) {
            check_drm(d, how);
        } else if (!strcasecmp(drv, "wayland")) {
            if (wl && *wl)
                add(d, "display", DR_OK, "%s, WAYLAND_DISPLAY=%s", how, wl);
            else
                add(d, "display", DR_FAIL, "%s but WAYLAND_DISPLAY is not set", how);
        } else if (!strcasecmp(drv, "x11")) {
            if (x && *x)
                add(d, "display", DR_OK, "%s, DISPLAY=%s", how, x);
            else
                add(d, "display", DR_FAIL, "%s but DISPLAY is not set", how);
        } else {
            add(d, "display", DR_WARN,
                "%s: not a driver the kiosk is tested with "
                "(kmsdrm, wayland, x11)",
                how);
        }
        return;
    }
    if (wl && *wl) {
        dr_item *it = add(d, "display", DR_OK, "wayland (WAYLAND_DISPLAY=%s)", wl);
        detail(it, "run from here, the kiosk opens a window in this session; "
                   "bapas-kiosk.service itself uses kmsdrm");
    } else if (x && *x) {
        dr_item *it = add(d, "display", DR_OK, "x11 (DISPLAY=%s)", x);
        detail(it, "run from here, the kiosk opens a window in this session; "
                   "bapas-kiosk.service itself uses kmsdrm");
    } else if (access("/etc/systemd/system/multi-user.target.wants/bapas-kiosk-cage.service",
                      F_OK) == 0) {
        /* The documented alternative is enabled: cage on the same DRM devices. */
        if (access("/usr/bin/cage", X_OK) != 0) {
            dr_item *it = add(d, "display", DR_FAIL,
                              "bapas-kiosk-cage.service is enabled but cage is not installed");
            detail(it, "fix: sudo apt install cage");
            return;
        }
        check_drm(d, "wayland in cage (as bapas-kiosk-cage.service)");
    } else {
        check_drm(d, "kmsdrm (as bapas-kiosk.service)");
    }
}

/* ---- clock ---------------------------------------------------------------- */

static void check_clock(doctor *d)
{
    if (!selected(d, "clock"))
        return;
    int64_t now = d->c->q.fixed_now ? d->c->q.fixed_now : otime_now(); /* BAPAS_NOW in tests */
    otime_parts p;
    otime_local(now, d->c->cfg.utc_offset_min, &p);
    char when[128];
    snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d (%s)", p.year, p.month, p.day, p.hour,
             p.min, d->c->cfg.timezone);
    struct stat st;
    if (p.year < DR_MIN_YEAR) {
        dr_item *it = add(d, "clock", DR_FAIL, "the clock says %s: that is wrong", when);
        detail(it, "a Raspberry Pi has no clock battery: connect it to the network so it "
                   "sets its clock, or set it by hand: sudo date -s \"YYYY-MM-DD HH:MM\"");
    } else if (stat("/run/systemd/timesync/synchronized", &st) == 0) {
        add(d, "clock", DR_OK, "%s, synchronized with network time", when);
    } else if (stat("/run/systemd/timesync", &st) == 0) {
        dr_item *it = add(d, "clock", DR_WARN, "%s, not synchronized with network time yet", when);
        detail(it, "is the network connected? see: timedatectl");
    } else {
        add(d, "clock", DR_OK, "%s (network time sync not checked)", when);
    }
}

/* ---- output --------------------------------------------------------------- */

static int emit_text(doctor *d, int counts[3])
{
    char shown[CFG_PATH_SZ];
    paths_display(d->c->db_path, shown, sizeof shown);
    printf("bapasctl doctor: database %s, config %s\n", shown,
           d->c->cfg.source[0] ? d->c->cfg.source : "(defaults)");
    for (int i = 0; i < d->n; i++) {
        const dr_item *it = &d->items[i];
        printf("%-5s %-13s %s\n", dr_label[it->status], it->name, it->msg);
        for (int k = 0; k < it->n_details; k++)
            printf("%-19s %s\n", "", it->details[k]);
    }
    printf("\n%d OK, %d WARN, %d FAIL: %s\n", counts[DR_OK], counts[DR_WARN], counts[DR_FAIL],
           counts[DR_FAIL]   ? "NOT healthy, fix the FAIL lines above"
           : counts[DR_WARN] ? "healthy, but look at the WARN lines"
                             : "healthy");
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

static int emit_json(doctor *d, int counts[3])
{
    json_t *checks = json_array();
    json_t *root = json_object();
    if (!checks || !root) {
        json_decref(checks);
        json_decref(root);
        return ctl_emit(d->c, NULL);
    }
    for (int i = 0; i < d->n; i++) {
        const dr_item *it = &d->items[i];
        json_t *det = json_array();
        for (int k = 0; det && k < it->n_details; k++)
            json_array_append_new(det, json_string(it->details[k]));
        json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "name", it->name, "status",
                              dr_json_status[it->status], "message", it->msg, "details",
                              det ? det : json_array());
        if (o)
            json_array_append_new(checks, o);
    }
    char shown[CFG_PATH_SZ];
    paths_display(d->c->db_path, shown, sizeof shown);
    json_object_set_new(root, "database", json_string(shown));
    json_object_set_new(root, "config",
                        d->c->cfg.source[0] ? json_string(d->c->cfg.source) : json_null());
    json_object_set_new(root, "checks", checks);
    json_object_set_new(root, "ok", json_integer(counts[DR_OK]));
    json_object_set_new(root, "warn", json_integer(counts[DR_WARN]));
    json_object_set_new(root, "fail", json_integer(counts[DR_FAIL]));
    json_object_set_new(root, "healthy", json_boolean(counts[DR_FAIL] == 0));
    return ctl_emit(d->c, root);
}

static int doctor_run(doctor *d, int argc, char **argv)
{
    ctl *c = d->c;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r = ctl_opt(argc, argv, &i, "--check", &v);
        if (r == 1) {
            char bad[64];
            if (!*v || !only_valid(v, bad, sizeof bad))
                return ctl_fail(c, BK_ERR_USAGE,
                                "doctor: unknown check \"%s\" (config, database, schema, "
                                "integrity, wal, server, tls, views, db-files, disk, backups, "
                                "assets, fonts, printer, service-user, display, clock)",
                                *v ? bad : "");
            d->only = v;
        } else {
            return ctl_usage(c, "doctor [--check NAME,...]");
        }
    }
    load_user(d);
    d->server = store_target_is_server(c->db_path);

    if (selected(d, "config"))
        check_config(d);
    check_database(d);
    check_db_files(d);
    check_disk(d);
    check_backups(d);
    check_assets(d);
    check_printer(d);
    check_service_user(d);
    check_display(d);
    check_clock(d);
    store_close(d->pg);
    d->pg = NULL;

    int counts[3] = {0, 0, 0};
    for (int i = 0; i < d->n; i++)
        counts[d->items[i].status]++;
    int out = c->json ? emit_json(d, counts) : emit_text(d, counts);
    if (out)
        return 1;
    return counts[DR_FAIL] ? 1 : 0;
}

int ctl_cmd_doctor(ctl *c, int argc, char **argv)
{
    doctor *d = calloc(1, sizeof *d); /* ~100 KiB of details: not on the stack */
    if (!d)
        return ctl_fail(c, BK_ERR_NOMEM, "out of memory");
    d->c = c;
    int rc = doctor_run(d, argc, argv);
    free(d);
    return rc;
}
