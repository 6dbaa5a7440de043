/* store_probe.c — the database checks for both back ends (store_probe.h). */
#include "store_probe.h"

#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "store_data.h"

#define SP_PATH_SZ 1024
#define SP_WAL_WARN (64 * PROBE_MIB)
#define SP_WAL_FAIL (1024 * PROBE_MIB)
#define SP_DISK_FAIL (100 * PROBE_MIB)
#define SP_DISK_WARN (1024 * PROBE_MIB)
#define SP_BACKUP_MAX_AGE_H 36
#define SP_PG_MIN 110000 /* the PostgreSQL schema needs 11 (EXECUTE FUNCTION triggers) */

void store_probe_init(store_probe *p, const char *target, int busy_timeout_ms, int utc_offset_min)
{
    memset(p, 0, sizeof *p);
    p->target = target;
    p->busy_timeout_ms = busy_timeout_ms;
    p->utc_offset_min = utc_offset_min;
    p->server = store_target_is_server(target);
}

void store_probe_close(store_probe *p)
{
    store_close(p->pg);
    p->pg = NULL;
}

/* store_errmsg(s) on one line. */
static void errmsg_flat(store *s, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", store_errmsg(s));
    probe_flatten(out);
}

/* Server: the one read-only connection the checks share, opened at first
 * use (NULL when it failed: p->pg_err, p->pg_msg say why). Any schema
 * version is accepted: the schema check reports it. */
static store *pg_open(store_probe *p)
{
    if (p->pg_tried) return p->pg;
    p->pg_tried = 1;
    store_opts o = {.busy_timeout_ms = p->busy_timeout_ms,
                    .utc_offset_min = p->utc_offset_min,
                    .read_only = 1,
                    .any_schema = 1};
    p->pg_err = store_open(p->target, &o, &p->pg, p->pg_msg, sizeof p->pg_msg);
    if (p->pg_err) p->pg = NULL;
    probe_flatten(p->pg_msg);
    return p->pg;
}

/* ---- the database check --------------------------------------------------- */

/* What the one database check found on opening, whichever the back end. */
typedef struct db_open {
    store *s;       /* NULL: opened but not usable for queries (another schema) */
    int own;        /* s is this check's to close (a file), not p->pg */
    long long have; /* the schema version found */
    int wal_found;  /* file: a WAL file lay beside it */
    int64_t wal_size;
    char wal[SP_PATH_SZ + 8];
    store_server_info si; /* server */
} db_open;

/* Per back end: the words of the integrity check. */
typedef struct db_words {
    const char *cannot_run; /* "%s": the error */
    const char *ok;
    const char *damage; /* "%s": what the check found */
    const char *fix;
    int flatten; /* libpq's messages span lines */
} db_words;

static const db_words words_file = {
    "quick_check could not run: %s", "quick_check: ok", "quick_check found damage: %s",
    "fix: restore the newest backup (README: \"Restoring a backup\")", 0};
static const db_words words_server = {
    "the server-side check could not run: %s",
    "server-side check: ok (indexes valid, constraints validated, audit append-only)",
    "server-side check: %s",
    "fix: restore the newest backup (deploy/README.md section 9), or ask the server's "
    "administrator",
    1};

/* A file: stat it, note its WAL, open it read-only. 0 = go on (the
 * database item added when wanted), -1 = a FAIL was added. */
static int open_file(store_probe *p, probe_report *r, int want_db, db_open *o)
{
    const char *path = p->target;
    struct stat st;
    if (stat(path, &st) != 0) {
        probe_item *it =
            probe_add(r, "database", PROBE_FAIL, "no database at %s (%s)", path, strerror(errno));
        probe_detail(it, "fix: create it: sudo -u %s bapasctl init  (or set [database] path)",
                     r->user.name);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        probe_add(r, "database", PROBE_FAIL, "%s is not a regular file", path);
        return -1;
    }
    p->db_size = (int64_t)st.st_size;

    /* The WAL as found on disk, before this connection touches anything. */
    snprintf(o->wal, sizeof o->wal, "%s-wal", path);
    struct stat wst;
    o->wal_found = stat(o->wal, &wst) == 0;
    o->wal_size = o->wal_found ? (int64_t)wst.st_size : 0;

    store_opts so = {
        .busy_timeout_ms = p->busy_timeout_ms, .utc_offset_min = p->utc_offset_min, .read_only = 1};
    char err[512] = "";
    bk_err e = store_open(path, &so, &o->s, err, sizeof err);
    if (e == BK_ERR_STATE) {
        /* A read-only open refuses another schema version ("schema version N, expected M"). */
        int exp = 0;
        o->s = NULL;
        if (sscanf(err, "schema version %lld, expected %d", &o->have, &exp) != 2) {
            probe_add(r, "database", PROBE_FAIL, "%s does not open: %s", path, err);
            return -1;
        }
    } else if (e) {
        o->s = NULL;
        probe_item *it = probe_add(r, "database", PROBE_FAIL, "%s does not open: %s", path, err);
        if (e == BK_ERR_BUSY)
            probe_detail(it, "another program holds the database locked; try again");
        else if (e == BK_ERR_READONLY)
            probe_detail(it, "the database is intact but cannot be written here: follow the fix "
                             "above (do not restore a backup for this)");
        else
            probe_detail(it, "fix: restore the newest backup (README: \"Restoring a backup\")");
        return -1;
    } else {
        o->own = 1;
        o->have = store_schema_version(o->s);
    }
    if (want_db) {
        char size[32];
        probe_human_size(p->db_size, size, sizeof size);
        probe_add(r, "database", PROBE_OK, "%s opens (%s)", path, size);
    }
    return 0;
}

/* A server: connect (shared with the backups check) and read what it is. */
static int open_server(store_probe *p, probe_report *r, int want_db, db_open *o)
{
    char shown[SP_PATH_SZ], where[SP_PATH_SZ + 64];
    paths_display(p->target, shown, sizeof shown);
    store_server_where(p->target, where, sizeof where);
    o->s = pg_open(p);
    if (!o->s) {
        probe_item *it = probe_add(r, "database", PROBE_FAIL,
                                   "cannot connect to the server at %s: %s", where, p->pg_msg);
        probe_detail(it, "database %s", shown);
        probe_detail(it, "is the server running, and reachable from this machine? "
                         "(the connection gives up after connect_timeout, 3 s unless the URI "
                         "sets it)");
        probe_detail(it, "fix: check the host and port in [database] path, the server's "
                         "listen_addresses and pg_hba.conf, and the password file (passfile= in "
                         "the path, or ~/.pgpass; deploy/README.md section 18.5)");
        return -1;
    }
    if (store_server_info_get(o->s, &o->si)) {
        char m[600];
        errmsg_flat(o->s, m, sizeof m);
        probe_add(r, "database", PROBE_FAIL, "%s answers but its state cannot be read: %s", shown,
                  m);
        return -1;
    }
    o->have = store_schema_version(o->s);
    if (want_db) {
        char size[32];
        probe_human_size(o->si.db_bytes, size, sizeof size);
        probe_add(r, "database", PROBE_OK, "the server at %s answers: database %s as user %s, %s",
                  where, o->si.database, o->si.user, size);
    }
    return 0;
}

static void check_server_version(probe_report *r, const store_server_info *si)
{
    if (si->version_num < SP_PG_MIN) {
        probe_item *it = probe_add(r, "server", PROBE_FAIL,
                                   "PostgreSQL %s is too old: Bapas Kiosk needs %d or newer",
                                   si->version, SP_PG_MIN / 10000);
        probe_detail(it, "fix: upgrade the server (Debian 12 ships PostgreSQL 15)");
        return;
    }
    probe_item *it = probe_add(r, "server", PROBE_OK, "PostgreSQL %s", si->version);
    if (!si->data_checksums)
        probe_detail(it, "page checksums are off: the server cannot tell a damaged disk page "
                         "(pg_checksums --enable, on the stopped server, turns them on)");
}

static void check_tls(probe_report *r, const store_server_info *si)
{
    int verified = !strcmp(si->sslmode, "verify-full") || !strcmp(si->sslmode, "verify-ca");
    probe_item *it = NULL;
    if (si->unix_socket)
        probe_add(r, "tls", PROBE_OK, "Unix socket %s on this machine: nothing crosses the network",
                  si->host);
    else if (si->tls && !strcmp(si->sslmode, "require") && si->sslrootcert[0])
        probe_add(r, "tls", PROBE_OK,
                  "encrypted (%s), sslmode=require with the root certificate %s: the server's "
                  "certificate is checked as with verify-ca (verify-full also checks its name)",
                  si->tls_protocol, si->sslrootcert);
    else if (si->tls && verified)
        probe_add(r, "tls", PROBE_OK,
                  "encrypted (%s), sslmode=%s: the server's certificate is checked",
                  si->tls_protocol, si->sslmode);
    else if (si->tls)
        it = probe_add(r, "tls", PROBE_WARN,
                       "encrypted (%s), but sslmode=%s does not check the server's certificate: "
                       "another machine could pose as the server",
                       si->tls_protocol, si->sslmode);
    else
        it = probe_add(r, "tls", PROBE_WARN,
                       "not encrypted (sslmode=%s): names, birth dates and the audit trail cross "
                       "the network in clear",
                       si->sslmode);
    if (it)
        probe_detail(it, "fix: add sslmode=verify-full&sslrootcert=/etc/bapas-kiosk/db-ca.crt to "
                         "[database] path (deploy/README.md section 18.2)");
}

static void check_schema(probe_report *r, int server, long long have, int latest)
{
    if (have == latest) {
        probe_add(r, "schema", PROBE_OK, "version %lld, the newest this program knows", have);
    } else if (have > latest) {
        probe_item *it = probe_add(r, "schema", PROBE_FAIL,
                                   "version %lld is newer than this program's %d: the program is "
                                   "older than the database",
                                   have, latest);
        probe_detail(it, "fix: install the newer bapas-kiosk package again, or restore a backup "
                         "made by this version");
    } else if (have == 0 && server) {
        probe_item *it =
            probe_add(r, "schema", PROBE_FAIL,
                      "version 0: the server database is empty (no Bapas Kiosk tables)");
        probe_detail(it,
                     "fix: a new office: sudo -u %s bapasctl init; an office moving from "
                     "SQLite: bapasctl migrate-to (deploy/README.md, section 18)",
                     r->user.name);
    } else if (have <= 0) {
        probe_add(r, "schema", PROBE_FAIL, "version %lld: not a Bapas Kiosk database", have);
    } else {
        probe_item *it = probe_add(r, "schema", PROBE_WARN,
                                   "version %lld, this program's is %d: it is brought up to date "
                                   "when the kiosk starts",
                                   have, latest);
        probe_detail(it, "or now: sudo -u %s bapasctl init", r->user.name);
    }
}

static void check_views(probe_report *r, store *s, const char *user)
{
    char missing[256] = "", denied[256] = "";
    if (store_views_check(s, missing, sizeof missing, denied, sizeof denied)) {
        char m[600];
        errmsg_flat(s, m, sizeof m);
        probe_add(r, "views", PROBE_FAIL, "could not be checked: %s", m);
    } else if (missing[0]) {
        probe_item *it = probe_add(r, "views", PROBE_FAIL, "missing or broken: %s", missing);
        probe_detail(it, "the officers' other systems read these views (db/README.md)");
        probe_detail(it, "fix: restore the newest backup (deploy/README.md section 9)");
    } else if (denied[0]) {
        probe_item *it = probe_add(r, "views", PROBE_OK,
                                   "v_queue_today, v_visits and v_officer_presence are there");
        probe_detail(it,
                     "this machine's role %s may not read %s: only the owner and bapas_read "
                     "members do (deploy/README.md section 18.4)",
                     user, denied);
    } else {
        probe_add(r, "views", PROBE_OK,
                  "v_queue_today, v_visits and v_officer_presence can be read");
    }
}

static void check_integrity(probe_report *r, store *s, const db_words *w)
{
    int ok = 0;
    char msg[256] = "";
    if (store_check(s, 0, &ok, msg, sizeof msg)) {
        char m[600];
        snprintf(m, sizeof m, "%s", store_errmsg(s));
        if (w->flatten) probe_flatten(m);
        probe_add(r, "integrity", PROBE_FAIL, w->cannot_run, m);
    } else if (ok) {
        probe_add(r, "integrity", PROBE_OK, "%s", w->ok);
    } else {
        probe_item *it = probe_add(r, "integrity", PROBE_FAIL, w->damage, msg);
        probe_detail(it, "%s", w->fix);
    }
}

static void check_wal(probe_report *r, const db_open *o)
{
    if (!o->wal_found) {
        probe_add(r, "wal", PROBE_OK, "no WAL file (nothing waiting to be written back)");
        return;
    }
    char ws[32];
    probe_human_size(o->wal_size, ws, sizeof ws);
    if (o->wal_size >= SP_WAL_FAIL) {
        probe_item *it = probe_add(r, "wal", PROBE_FAIL,
                                   "%s is %s: changes are not being written "
                                   "back into the database",
                                   o->wal, ws);
        probe_detail(it, "a program keeps a read open for too long; restart the services: "
                         "sudo systemctl restart bapas-kiosk bapas-board");
    } else if (o->wal_size >= SP_WAL_WARN) {
        probe_item *it =
            probe_add(r, "wal", PROBE_WARN, "%s is %s (normal is a few MiB)", o->wal, ws);
        probe_detail(it, "if it keeps growing, restart the services: sudo systemctl restart "
                         "bapas-kiosk bapas-board");
    } else {
        probe_add(r, "wal", PROBE_OK, "%s", ws);
    }
}

/* ---- a WAL deleted under a running writer ---------------------------------- */

/* What looking for a lost WAL found, before anything opens the database (a
 * new connection would create an empty WAL and reset the index the running
 * writer still uses). */
typedef struct wal_lost {
    int lost;           /* the WAL is gone while its content is still needed */
    long pid;           /* a process holding the deleted WAL open (0: none seen) */
    int fd;             /* its descriptor of it */
    char comm[64];      /* its name */
    long holder;        /* a process holding the database open (0: none seen) */
    int unreadable;     /* processes whose descriptors could not be read */
    unsigned shm_pages; /* frames the -shm index says the WAL holds */
} wal_lost;

/* The process name of pid into out ("?" when unknown). */
static void proc_comm(long pid, char *out, size_t outsz)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/comm", pid);
    FILE *f = fopen(path, "r");
    snprintf(out, outsz, "?");
    if (!f) return;
    if (fgets(out, (int)outsz, f)) out[strcspn(out, "\n")] = 0;
    fclose(f);
}

/* Every process's open files (/proc/PID/fd): who holds db open, and who
 * holds a deleted wal ("PATH (deleted)"). */
static void scan_proc(const char *db, const char *wal, wal_lost *w)
{
    DIR *pd = opendir("/proc");
    if (!pd) return;
    char deleted[SP_PATH_SZ + 32];
    snprintf(deleted, sizeof deleted, "%s (deleted)", wal);
    long self = (long)getpid();
    struct dirent *de;
    while ((de = readdir(pd))) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0 || pid == self) continue;
        char fdir[64];
        snprintf(fdir, sizeof fdir, "/proc/%ld/fd", pid);
        DIR *fd = opendir(fdir);
        if (!fd) {
            if (errno == EACCES) w->unreadable++;
            continue;
        }
        struct dirent *fe;
        while ((fe = readdir(fd))) {
            if (fe->d_name[0] == '.') continue;
            char link[384], target[SP_PATH_SZ + 32];
            snprintf(link, sizeof link, "%s/%s", fdir, fe->d_name);
            ssize_t n = readlink(link, target, sizeof target - 1);
            if (n <= 0) continue;
            target[n] = 0;
            if (!strcmp(target, deleted) && !w->pid) {
                w->pid = pid;
                w->fd = atoi(fe->d_name);
                proc_comm(pid, w->comm, sizeof w->comm);
            } else if (!strcmp(target, db) && !w->holder) {
                w->holder = pid;
            }
        }
        closedir(fd);
    }
    closedir(pd);
}

/* The frames the WAL index (-shm) says the WAL holds: its header's mxFrame
 * when the index is initialised (SQLite's wal.c, WalIndexHdr: isInit at
 * byte 12, mxFrame at 16, native byte order). 0 when none or unreadable. */
static unsigned shm_frames(const char *shm)
{
    unsigned char h[48];
    FILE *f = fopen(shm, "rb");
    if (!f) return 0;
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    if (n != sizeof h || !h[12]) return 0;
    uint32_t mx;
    memcpy(&mx, h + 16, sizeof mx);
    return mx;
}

/* Whether the database file says it is in WAL mode (header bytes 18, 19). */
static int file_in_wal_mode(const char *db)
{
    unsigned char h[20];
    FILE *f = fopen(db, "rb");
    if (!f) return 0;
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    return n == sizeof h && h[18] == 2 && h[19] == 2;
}

static void wal_lost_find(const char *path, wal_lost *w)
{
    memset(w, 0, sizeof *w);
    char db[SP_PATH_SZ], wal[SP_PATH_SZ + 8], shm[SP_PATH_SZ + 8];
    if (!realpath(path, db)) return;
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    struct stat st;
    if (stat(wal, &st) == 0 || !file_in_wal_mode(db)) {
        /* a WAL is there (a new one may have replaced a deleted one while
         * a writer still holds the old: look for that too) */
        scan_proc(db, wal, w);
        w->lost = w->pid != 0;
        return;
    }
    scan_proc(db, wal, w);
    w->shm_pages = shm_frames(shm);
    /* no WAL: lost if a process still holds it (deleted), or the index
     * says it held frames, or the database is open (an open database in
     * WAL mode always has its WAL) */
    w->lost = w->pid || w->shm_pages || w->holder;
}

static void report_wal_lost(probe_report *r, const char *path, const wal_lost *w)
{
    char dir[SP_PATH_SZ];
    probe_dir_of(path, dir, sizeof dir);
    probe_item *it =
        w->pid || w->holder
            ? probe_add(r, "wal", PROBE_FAIL,
                        "%s-wal was deleted while the database is in use: the check-ins "
                        "saved since the last checkpoint are only in that file",
                        path)
            : probe_add(r, "wal", PROBE_FAIL,
                        "%s-wal is missing, but the database's index (-shm) says it held "
                        "check-ins not yet written back: they are lost unless a program still "
                        "holds the file",
                        path);
    if (w->pid) {
        probe_detail(it, "process %ld (%s) still holds it open as /proc/%ld/fd/%d", w->pid, w->comm,
                     w->pid, w->fd);
        probe_detail(it, "do not stop that process or any service now: when it exits, the "
                         "file is gone for good");
        probe_detail(it, "fix, 1: copy it out at once: sudo cp /proc/%ld/fd/%d %s/rescued-wal",
                     w->pid, w->fd, dir);
        probe_detail(it, "   and the database file with it: sudo cp %s %s/rescued.db", path, dir);
        probe_detail(it, "2: then stop the services (sudo systemctl stop bapas-kiosk "
                         "bapas-board), and restore the newest backup (README: \"Restoring a "
                         "backup\")");
        probe_detail(it, "3: the check-ins since the last checkpoint are in rescued-wal: put "
                         "rescued.db and rescued-wal into an empty folder as X.db and X.db-wal; "
                         "bapasctl --db FOLDER/X.db "
                         "queue --all then shows them");
    } else {
        if (w->shm_pages) probe_detail(it, "its index (-shm) says it held %u pages", w->shm_pages);
        if (w->holder) probe_detail(it, "process %ld holds the database open", w->holder);
        probe_detail(it, "no process was seen holding the deleted file%s",
                     w->unreadable ? " (run doctor with sudo to look at every process)" : "");
        probe_detail(it, "fix: if a program still runs with it open (sudo ls -l /proc/*/fd | "
                         "grep deleted), copy /proc/PID/fd/N out before it exits; then restore "
                         "the newest backup (README: \"Restoring a backup\")");
    }
    probe_detail(it, "never delete a -wal or -shm file while any program has the database open");
}

void store_probe_database(store_probe *p, probe_report *r)
{
    int server = p->server;
    int want_db = probe_wanted(r, "database"), want_schema = probe_wanted(r, "schema");
    int want_integrity = probe_wanted(r, "integrity");
    int want_server = server && probe_wanted(r, "server");
    int want_tls = server && probe_wanted(r, "tls");
    int want_views = server && probe_wanted(r, "views");
    int want_wal = !server && probe_wanted(r, "wal");
    if (server && probe_wanted(r, "wal"))
        probe_add(r, "wal", PROBE_SKIP, "the database is a server: no local WAL file");
    if (!want_db && !want_schema && !want_integrity && !want_server && !want_tls && !want_views &&
        !want_wal)
        return;

    db_open o;
    memset(&o, 0, sizeof o);
    o.have = -1;
    if (!server) {
        /* before opening: a new connection would replace a deleted WAL by an
         * empty one and reset the index the running writer still uses */
        wal_lost w;
        wal_lost_find(p->target, &w);
        if (w.lost) {
            if (want_db)
                probe_add(r, "database", PROBE_FAIL,
                          "%s was not opened: its WAL is missing while it is needed "
                          "(see wal)",
                          p->target);
            report_wal_lost(r, p->target, &w);
            return;
        }
    }
    if (server ? open_server(p, r, want_db, &o) : open_file(p, r, want_db, &o)) goto cleanup;
    if (want_server) check_server_version(r, &o.si);
    if (want_tls) check_tls(r, &o.si);
    int latest = store_schema_latest();
    if (want_schema) check_schema(r, server, o.have, latest);
    /* A file in another schema version does not open for queries; a
     * server's connection does (any_schema), but the views and the check are
     * this version's. */
    int usable = server ? o.have == latest : o.s != NULL;
    if (want_views) {
        if (!usable)
            probe_add(r, "views", PROBE_WARN, "not checked: the schema version differs");
        else
            check_views(r, o.s, o.si.user);
    }
    if (want_integrity) {
        if (!usable)
            probe_add(r, "integrity", PROBE_WARN, "not checked: the schema version differs");
        else
            check_integrity(r, o.s, server ? &words_server : &words_file);
    }
    if (o.own) {
        store_close(o.s);
        o.s = NULL;
    }
    if (want_wal) check_wal(r, &o);
cleanup:
    if (o.own) store_close(o.s);
}

/* ---- the files beside a database file ------------------------------------ */

/* Who runs this check, as a name for messages. */
static void self_name(char *out, size_t outsz)
{
    uid_t uid = geteuid();
    struct passwd *pw = getpwuid(uid);
    if (pw)
        snprintf(out, outsz, "%s", pw->pw_name);
    else
        snprintf(out, outsz, "uid %u", (unsigned)uid);
}

/* Whether the files (names[0] the directory, then the database, -wal and
 * -shm) can be written by this process (access(2): also ACLs, immutable
 * files, read-only mounts) or, with u, by the service user by the mode bits.
 * Adds a detail to tmp for each that cannot; returns how many. */
static int files_writable(char names[4][SP_PATH_SZ + 8], const probe_user *u, const char *who,
                          probe_item *tmp)
{
    int bad = 0;
    for (int i = 0; i < 4; i++) {
        struct stat st;
        if (stat(names[i], &st) != 0) continue;
        int ok = u ? probe_user_may(u, &st, i == 0 ? 7 : 6)
                   : access(names[i], i == 0 ? (R_OK | W_OK | X_OK) : (R_OK | W_OK)) == 0;
        if (ok) continue;
        bad++;
        probe_detail(tmp, "%s cannot %s %s (owner uid %u, mode %03o)", who,
                     i == 0 ? "create files in" : "write", names[i], (unsigned)st.st_uid,
                     (unsigned)(st.st_mode & 0777));
    }
    return bad;
}

void store_probe_files(store_probe *p, probe_report *r)
{
    if (!probe_wanted(r, "db-files")) return;
    if (p->server) {
        probe_add(r, "db-files", PROBE_SKIP, "the database is a server: no local files");
        return;
    }
    const probe_user *u = &r->user;
    const char *path = p->target;
    char dir[SP_PATH_SZ];
    probe_dir_of(path, dir, sizeof dir);
    char names[4][SP_PATH_SZ + 8];
    snprintf(names[0], sizeof names[0], "%s", dir);
    snprintf(names[1], sizeof names[1], "%s", path);
    snprintf(names[2], sizeof names[2], "%s-wal", path);
    snprintf(names[3], sizeof names[3], "%s-shm", path);
    struct stat st;
    if (stat(path, &st) != 0) { /* the database check already failed */
        probe_add(r, "db-files", PROBE_SKIP, "no database files at %s", path);
        return;
    }
    struct statvfs v;
    if (statvfs(dir, &v) == 0 && (v.f_flag & ST_RDONLY)) {
        probe_item *it = probe_add(r, "db-files", PROBE_FAIL,
                                   "%s is on a file system mounted read-only: no check-in can be "
                                   "saved (clients are sent to reception)",
                                   dir);
        probe_detail(it,
                     "fix: find the mount with findmnt -T %s and remount it read-write "
                     "(check /etc/fstab and the units' ReadOnlyPaths=)",
                     dir);
        probe_detail(it, "an SD card or disk that the kernel turned read-only after errors "
                         "(dmesg) is failing: copy the database off, then restore it on a new "
                         "one (README: \"Restoring a backup\")");
        return;
    }
    /* This process: the user who runs the doctor (the kiosk's user when run
     * with sudo -u), by access(2); and the service user by the mode bits. */
    char self[64];
    self_name(self, sizeof self);
    int self_is_service = u->exists && geteuid() == u->uid;
    probe_item mine, theirs;
    memset(&mine, 0, sizeof mine);
    memset(&theirs, 0, sizeof theirs);
    int bad_self = self_is_service ? 0 : files_writable(names, NULL, self, &mine);
    int bad_user = u->exists ? files_writable(names, u, u->name, &theirs) : 0;
    if (!bad_self && !bad_user) {
        if (u->exists)
            probe_add(r, "db-files", PROBE_OK, "%s can write %s and its files", u->name, dir);
        else
            probe_add(r, "db-files", PROBE_OK,
                      "%s can write %s and its files (there is no user %s to check)", self, dir,
                      u->name);
        return;
    }
    probe_item *it;
    if (bad_user)
        it = probe_add(r, "db-files", PROBE_FAIL,
                       "the kiosk's user %s cannot write the database files", u->name);
    else
        it = probe_add(r, "db-files", PROBE_FAIL,
                       "%s (running this check) cannot write the database files: a program "
                       "run as %s fails with read_only",
                       self, self);
    for (int i = 0; i < theirs.n_details; i++)
        probe_detail(it, "%s", theirs.details[i]);
    for (int i = 0; i < mine.n_details; i++)
        probe_detail(it, "%s", mine.details[i]);
    const char *owner = bad_user ? u->name : self;
    probe_detail(it, "fix: sudo chown %s:%s %s %s*; sudo chmod 0700 %s; sudo chmod 0600 %s*", owner,
                 owner, dir, path, dir, path);
}

void store_probe_disk(store_probe *p, probe_report *r)
{
    if (!probe_wanted(r, "disk")) return;
    if (p->server) { /* the server's disk is the server administrator's */
        probe_add(r, "disk", PROBE_SKIP, "the database is a server: its disk is not looked at");
        return;
    }
    char dir[SP_PATH_SZ];
    probe_dir_of(p->target, dir, sizeof dir);
    struct statvfs v;
    if (statvfs(dir, &v) != 0) {
        probe_add(r, "disk", PROBE_FAIL, "cannot look at %s: %s", dir, strerror(errno));
        return;
    }
    int64_t free_b = (int64_t)v.f_bavail * (int64_t)v.f_frsize;
    int64_t total = (int64_t)v.f_blocks * (int64_t)v.f_frsize;
    char fs[32], ts[32];
    probe_human_size(free_b, fs, sizeof fs);
    probe_human_size(total, ts, sizeof ts);
    int64_t fail_below = SP_DISK_FAIL > 2 * p->db_size ? SP_DISK_FAIL : 2 * p->db_size;
    int64_t warn_below = SP_DISK_WARN > 16 * p->db_size ? SP_DISK_WARN : 16 * p->db_size;
    if (free_b < fail_below) {
        probe_item *it = probe_add(r, "disk", PROBE_FAIL, "only %s free of %s at %s", fs, ts, dir);
        probe_detail(it, "the database and its backups need room: delete old files or use a "
                         "bigger SD card/disk");
    } else if (free_b < warn_below) {
        probe_item *it = probe_add(r, "disk", PROBE_WARN, "%s free of %s at %s", fs, ts, dir);
        probe_detail(it, "14 nightly backups need about 15 times the database size");
    } else {
        probe_add(r, "disk", PROBE_OK, "%s free of %s at %s", fs, ts, dir);
    }
}

/* ---- backups ---------------------------------------------------------------- */

static int is_nightly_backup(const char *n)
{
    /* bapas-YYYYMMDD-HHMMSS.db or bapas-YYYYMMDD-HHMMSS-N.db (bapas-backup.sh) */
    if (strncmp(n, "bapas-", 6) != 0 || !probe_has_suffix(n, ".db")) return 0;
    for (int i = 6; i < 21; i++) {
        if (i == 14 ? n[i] != '-' : (n[i] < '0' || n[i] > '9')) return 0;
    }
    return 1;
}

typedef struct sp_backups {
    int count, other;
    time_t newest;
    char newest_name[256];
} sp_backups;

/* The nightly copies in bdir; -1 when there is no such folder. */
static int scan_backups(const char *bdir, sp_backups *b)
{
    memset(b, 0, sizeof *b);
    DIR *dh = opendir(bdir);
    if (!dh) return -1;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (!probe_has_suffix(de->d_name, ".db")) continue;
        if (!is_nightly_backup(de->d_name)) {
            b->other++;
            continue;
        }
        char path[SP_PATH_SZ + 300];
        snprintf(path, sizeof path, "%s/%s", bdir, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
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
static void backups_server(store_probe *p, probe_report *r)
{
    store *s = pg_open(p);
    if (!s) {
        probe_add(r, "backups", PROBE_WARN, "not checked: cannot connect to the server");
        return;
    }
    store_server_info si;
    char tool[512] = "", version[256] = "";
    int major = 0;
    memset(&si, 0, sizeof si);
    bk_err e = store_server_info_get(s, &si);
    if (!e) e = store_data_backup_tool(s, tool, sizeof tool, version, sizeof version, &major);
    probe_item *it;
    int server_major = si.version_num / 10000;
    if (e == BK_ERR_NOT_FOUND) {
        it = probe_add(r, "backups", PROBE_WARN,
                       "pg_dump is not installed: bapasctl backup cannot back the server up "
                       "from this machine");
        probe_detail(it,
                     "fix: sudo apt install postgresql-client (or back up on the server itself)");
    } else if (e) {
        char m[600];
        errmsg_flat(s, m, sizeof m);
        it = probe_add(r, "backups", PROBE_WARN, "pg_dump does not run: %s", m);
    } else if (major && major < server_major) {
        it = probe_add(r, "backups", PROBE_WARN,
                       "%s is version %d, older than the server (%d): its backups fail", tool,
                       major, server_major);
        probe_detail(it,
                     "fix: install postgresql-client-%d (from the PostgreSQL apt repository if "
                     "Debian has none), or back up on the server itself",
                     server_major);
    } else if (si.unreadable[0]) {
        it = probe_add(r, "backups", PROBE_OK, "%s is installed (%s)", tool, version);
        probe_detail(it,
                     "this machine's role %s may not read %s, so it cannot take backups: they "
                     "run as the office's owner role (deploy/README.md section 8.1)",
                     si.user, si.unreadable);
    } else {
        it = probe_add(r, "backups", PROBE_OK, "%s can back the server up (%s)", tool, version);
    }
    sp_backups b;
    if (scan_backups(STORE_PROBE_STATE_BACKUPS, &b) != 0 || !b.count) {
        probe_detail(it,
                     "no nightly copies on this machine (%s): make sure one machine, or the "
                     "server, takes them (deploy/README.md section 8)",
                     STORE_PROBE_STATE_BACKUPS);
        return;
    }
    long age_h = (long)((time(NULL) - b.newest) / 3600);
    if (age_h > SP_BACKUP_MAX_AGE_H) {
        probe_detail(it, "warning: the newest nightly copy %s is %ld days old", b.newest_name,
                     age_h / 24);
        probe_warn(it);
    } else {
        probe_detail(it, "%d nightly cop%s in %s, newest %s (%ld h ago)", b.count,
                     b.count == 1 ? "y" : "ies", STORE_PROBE_STATE_BACKUPS, b.newest_name, age_h);
    }
}

void store_probe_backups(store_probe *p, probe_report *r)
{
    if (!probe_wanted(r, "backups")) return;
    if (p->server) {
        backups_server(p, r);
        return;
    }
    char dir[SP_PATH_SZ], bdir[SP_PATH_SZ + 16];
    probe_dir_of(p->target, dir, sizeof dir);
    snprintf(bdir, sizeof bdir, "%s/backups", dir);
    sp_backups b;
    if (scan_backups(bdir, &b) != 0) {
        probe_item *it = probe_add(r, "backups", PROBE_WARN, "no backup folder %s yet", bdir);
        probe_detail(it, "fix: sudo systemctl enable --now bapas-backup.timer; then "
                         "sudo systemctl start bapas-backup.service");
        return;
    }
    if (!b.count) {
        probe_item *it = probe_add(r, "backups", PROBE_WARN, "no nightly backup in %s yet", bdir);
        probe_detail(it, "the first one is made at night by bapas-backup.timer; to make one now: "
                         "sudo systemctl start bapas-backup.service");
        return;
    }
    long age_h = (long)((time(NULL) - b.newest) / 3600);
    probe_item *it;
    if (age_h > SP_BACKUP_MAX_AGE_H) {
        it = probe_add(r, "backups", PROBE_WARN, "the newest backup %s is %ld days old",
                       b.newest_name, age_h / 24);
        probe_detail(it, "check: systemctl status bapas-backup.timer bapas-backup.service");
    } else {
        it = probe_add(r, "backups", PROBE_OK, "%d nightly cop%s in %s, newest %s (%ld h ago)",
                       b.count, b.count == 1 ? "y" : "ies", bdir, b.newest_name, age_h);
    }
    if (b.other)
        probe_detail(it, "%d other copies (pre-upgrade, before-restore) are kept there too",
                     b.other);
}
