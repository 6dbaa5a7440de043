/* store_sql_sqlite.c — the SQL adapter's SQLite back end (sqlx_backend_sqlite,
 * see store_sql_int.h; contracts in store_sql.h).
 *
 * WAL journal, foreign keys on, a busy timeout, synchronous=FULL by default,
 * BEGIN IMMEDIATE for write transactions. Cached statements are prepared
 * once (SQLITE_PREPARE_PERSISTENT); a statement's impl is its sqlite3_stmt.
 */
#include <errno.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_sql_int.h"

/* The connection state (sqlx.conn). */
typedef struct lite {
    sqlite3 *db;
    int last_rc;        /* extended result code of the last failure */
    int last_errno;     /* the system errno SQLite saw for it (0: none) */
    char last_msg[256]; /* its message, captured before any reset */
    sqlite3_stmt *begin_w, *begin_r, *commit;
} lite;

static lite *lc(sqlx *c)
{
    return c->conn;
}

static sqlite3_stmt *ls(sqlx_stmt *st)
{
    return st->impl;
}

/* A failure's bk_err. A file that cannot be written (SQLITE_READONLY, or
 * a -wal/-shm/journal that cannot be created or opened for writing:
 * SQLITE_CANTOPEN with EACCES, EPERM or EROFS) is BK_ERR_READONLY; a full
 * disk (SQLITE_FULL, or an I/O error with ENOSPC/EDQUOT) BK_ERR_DISK_FULL;
 * a file that is not there stays BK_ERR_IO. */
static bk_err map_rc(int rc, int sys_errno)
{
    switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return BK_ERR_BUSY;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return BK_ERR_EXISTS;
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return BK_ERR_NOT_FOUND;
        return BK_ERR_INVALID;
    case SQLITE_NOMEM:
        return BK_ERR_NOMEM;
    case SQLITE_READONLY:
        return BK_ERR_READONLY;
    case SQLITE_FULL:
        return BK_ERR_DISK_FULL;
    case SQLITE_CANTOPEN:
        if (sys_errno == EACCES || sys_errno == EPERM || sys_errno == EROFS) return BK_ERR_READONLY;
        return BK_ERR_IO;
    case SQLITE_IOERR:
        if (sys_errno == ENOSPC || sys_errno == EDQUOT) return BK_ERR_DISK_FULL;
        if (sys_errno == EROFS) return BK_ERR_READONLY;
        return BK_ERR_IO;
    default:
        return BK_ERR_INTERNAL;
    }
}

/* Remember a failure (rc) of the connection with its current message. */
static void note(sqlx *c, int rc)
{
    lc(c)->last_rc = rc;
    lc(c)->last_errno = sqlite3_system_errno(lc(c)->db);
    snprintf(lc(c)->last_msg, sizeof lc(c)->last_msg, "%s", sqlite3_errmsg(lc(c)->db));
}

/* The directory part of path into dir ("." when there is none). */
static void dir_of(const char *path, char *dir, size_t dirsz)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, dirsz, ".");
    else if (slash == path)
        snprintf(dir, dirsz, "/");
    else
        snprintf(dir, dirsz, "%.*s", (int)(slash - path), path);
}

/* Append printf text to out (of outsz, holding a string). */
static void append(char *out, size_t outsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *out, size_t outsz, const char *fmt, ...)
{
    size_t n = strlen(out);
    if (n + 1 >= outsz) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + n, outsz - n, fmt, ap);
    va_end(ap);
}

/* For the IT person: why the database at path cannot be written by this
 * process, and the fix, appended to out. Looks at the directory, the file,
 * its -wal and -shm (which SQLite must be able to create and write beside
 * it) and whether the file system is mounted read-only. */
static void why_readonly(const char *path, char *out, size_t outsz)
{
    char dir[512], who[64];
    dir_of(path, dir, sizeof dir);
    uid_t uid = geteuid();
    struct passwd *pw = getpwuid(uid);
    if (pw)
        snprintf(who, sizeof who, "%s", pw->pw_name);
    else
        snprintf(who, sizeof who, "uid %u", (unsigned)uid);
    struct statvfs v;
    if (statvfs(dir, &v) == 0 && (v.f_flag & ST_RDONLY)) {
        append(out, outsz,
               "; %s is on a file system mounted read-only (fix: remount it read-write; "
               "an SD card that turned read-only after errors needs a new card and the "
               "newest backup)",
               dir);
        return;
    }
    const char *names[4] = {dir, path, "-wal", "-shm"};
    int bad = 0;
    for (int i = 0; i < 4; i++) {
        char f[600];
        if (i >= 2)
            snprintf(f, sizeof f, "%s%s", path, names[i]);
        else
            snprintf(f, sizeof f, "%s", names[i]);
        struct stat st;
        if (stat(f, &st) != 0) continue;
        if (access(f, i == 0 ? (W_OK | X_OK) : (R_OK | W_OK)) == 0) continue;
        int err = errno;
        struct passwd *ow = getpwuid(st.st_uid);
        char owner[64];
        if (ow)
            snprintf(owner, sizeof owner, "%s", ow->pw_name);
        else
            snprintf(owner, sizeof owner, "uid %u", (unsigned)st.st_uid);
        append(out, outsz, "; %s cannot %s %s (owner %s, mode %04o%s)", who,
               i == 0 ? "create files in" : "write", f, owner, (unsigned)(st.st_mode & 07777),
               err == EPERM ? ", immutable?" : "");
        bad++;
    }
    if (bad)
        append(out, outsz, "; fix: sudo chown %s %s %s*; sudo chmod u+rwx %s; sudo chmod u+rw %s*",
               who, dir, path, dir, path);
}

/* The file is there but nothing can be created or written beside it (a
 * read-only mount, a directory without write permission). */
static int cannot_write_beside(const char *path)
{
    char dir[512];
    dir_of(path, dir, sizeof dir);
    struct statvfs v;
    if (access(path, F_OK) != 0) return 0;
    if (statvfs(dir, &v) == 0 && (v.f_flag & ST_RDONLY)) return 1;
    return access(dir, W_OK | X_OK) != 0;
}

/* For the IT person: where the disk is full and how much is left. */
static void why_full(const char *path, char *out, size_t outsz)
{
    char dir[512];
    dir_of(path, dir, sizeof dir);
    struct statvfs v;
    if (statvfs(dir, &v) != 0) {
        append(out, outsz, "; disk full at %s", dir);
        return;
    }
    unsigned long long left = (unsigned long long)v.f_bavail * v.f_frsize;
    append(out, outsz,
           "; disk full at %s: %llu KiB free (fix: delete old files there or in the backups "
           "folder, or use a bigger disk)",
           dir, left / 1024);
}

bk_err sqlx_sqlite_file_error(int rc, int sys_errno, const char *path, char *msg, size_t msgsz)
{
    bk_err e = map_rc(rc, sys_errno);
    if (path && path[0] && e == BK_ERR_READONLY) why_readonly(path, msg, msgsz);
    if (path && path[0] && e == BK_ERR_DISK_FULL) why_full(path, msg, msgsz);
    return e;
}

static bk_err lite_fail(sqlx *c, const char *what)
{
    lite *l = lc(c);
    snprintf(c->err, sizeof c->err, "%s: %s (%d)", what, l->last_msg, l->last_rc);
    bk_err e = map_rc(l->last_rc, l->last_errno);
    const char *path = l->db ? sqlite3_db_filename(l->db, "main") : NULL;
    if (path && path[0] && e == BK_ERR_IO && (l->last_rc & 0xFF) == SQLITE_CANTOPEN &&
        cannot_write_beside(path))
        e = BK_ERR_READONLY; /* SQLite does not always keep the errno of its -shm/-wal open */
    if (path && path[0] && e == BK_ERR_READONLY) why_readonly(path, c->err, sizeof c->err);
    if (path && path[0] && e == BK_ERR_DISK_FULL) why_full(path, c->err, sizeof c->err);
    return e;
}

/* Record and map a failure right away. */
static bk_err failnow(sqlx *c, int rc, const char *what)
{
    note(c, rc);
    return lite_fail(c, what);
}

/* ---- statements -------------------------------------------------------- */

static bk_err lite_stmt_init(sqlx_stmt *st, const char *sql, int slot)
{
    sqlite3_stmt *raw = NULL;
    int rc = slot >= 0
                 ? sqlite3_prepare_v3(lc(st->c)->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL)
                 : sqlite3_prepare_v2(lc(st->c)->db, sql, -1, &raw, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(raw);
        return failnow(st->c, rc, "prepare");
    }
    st->impl = raw;
    return BK_OK;
}

static void lite_stmt_free(sqlx_stmt *st)
{
    sqlite3_finalize(ls(st));
    st->impl = NULL;
}

static void lite_reset(sqlx_stmt *st, int clear)
{
    sqlite3_reset(ls(st));
    if (clear) sqlite3_clear_bindings(ls(st));
}

static bk_err bound(sqlx_stmt *st, int rc)
{
    return rc == SQLITE_OK ? BK_OK : failnow(st->c, rc, "bind");
}

static bk_err lite_bind_text(sqlx_stmt *st, int i, const char *v, int copy)
{
    return bound(st, sqlite3_bind_text(ls(st), i, v, -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC));
}

static bk_err lite_bind_int64(sqlx_stmt *st, int i, int64_t v)
{
    return bound(st, sqlite3_bind_int64(ls(st), i, v));
}

static bk_err lite_bind_null(sqlx_stmt *st, int i)
{
    return bound(st, sqlite3_bind_null(ls(st), i));
}

static int lite_step(sqlx_stmt *st)
{
    int rc = sqlite3_step(ls(st));
    if (rc == SQLITE_ROW) return SQLX_ROW;
    if (rc == SQLITE_DONE) return SQLX_DONE;
    note(st->c, sqlite3_extended_errcode(lc(st->c)->db));
    return SQLX_ERROR;
}

static const char *lite_col_text(sqlx_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(ls(st), i);
}

static int64_t lite_col_int64(sqlx_stmt *st, int i)
{
    return sqlite3_column_int64(ls(st), i);
}

static int lite_col_is_null(sqlx_stmt *st, int i)
{
    return sqlite3_column_type(ls(st), i) == SQLITE_NULL;
}

static int lite_col_count(sqlx_stmt *st)
{
    return sqlite3_column_count(ls(st));
}

static const char *lite_col_name(sqlx_stmt *st, int i)
{
    return sqlite3_column_name(ls(st), i);
}

static int64_t lite_changes(sqlx *c)
{
    return sqlite3_changes64(lc(c)->db);
}

static bk_err lite_exec(sqlx *c, const char *sql, const char *what)
{
    char *msg = NULL;
    int rc = sqlite3_exec(lc(c)->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        bk_err e = failnow(c, sqlite3_extended_errcode(lc(c)->db), what);
        if (msg) {
            snprintf(c->err, sizeof c->err, "%s: %s", what, msg);
            sqlite3_free(msg);
        }
        return e;
    }
    return BK_OK;
}

/* ---- transactions ------------------------------------------------------ */

/* Run one of the connection's own statements (prepared on first use). */
static bk_err run_own(sqlx *c, sqlite3_stmt **slot, const char *sql, const char *what)
{
    if (!*slot) {
        int rc = sqlite3_prepare_v3(lc(c)->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
        if (rc != SQLITE_OK) return failnow(c, rc, "prepare");
    }
    int rc = sqlite3_step(*slot);
    if (rc != SQLITE_DONE) {
        bk_err e = failnow(c, sqlite3_extended_errcode(lc(c)->db), what);
        sqlite3_reset(*slot);
        return e;
    }
    sqlite3_reset(*slot);
    return BK_OK;
}

static bk_err lite_begin(sqlx *c, int write)
{
    if (write) return run_own(c, &lc(c)->begin_w, "BEGIN IMMEDIATE", "begin");
    return run_own(c, &lc(c)->begin_r, "BEGIN DEFERRED", "begin");
}

static bk_err lite_commit(sqlx *c)
{
    return run_own(c, &lc(c)->commit, "COMMIT", "commit");
}

static void lite_rollback(sqlx *c)
{
    if (sqlite3_get_autocommit(lc(c)->db) == 0)
        sqlite3_exec(lc(c)->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- versions, notifications, checkpoints ------------------------------ */

/* A one-row, one-integer statement (PRAGMAs), not cached. */
static bk_err one_int(sqlx *c, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(lc(c)->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return failnow(c, rc, sql);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        bk_err e =
            failnow(c, rc == SQLITE_DONE ? SQLITE_ERROR : sqlite3_extended_errcode(lc(c)->db), sql);
        sqlite3_finalize(st);
        return e;
    }
    *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return BK_OK;
}

static bk_err lite_schema_version(sqlx *c, int64_t *out)
{
    return one_int(c, "PRAGMA user_version", out);
}

static bk_err lite_schema_version_set(sqlx *c, int v)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    return lite_exec(c, sql, "set user_version");
}

static bk_err lite_data_version(sqlx *c, int64_t *out)
{
    static const char *const sql = "PRAGMA data_version";
    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prep(c, sql, &st);
    if (e) return e;
    int rc = lite_step(st);
    if (rc != SQLX_ROW) {
        if (rc == SQLX_DONE) note(c, SQLITE_ERROR);
        e = lite_fail(c, "data_version");
        sqlite3_reset(ls(st));
        return e;
    }
    *out = sqlite3_column_int64(ls(st), 0);
    sqlite3_reset(ls(st));
    return BK_OK;
}

/* No notifications: the caller polls sqlx_data_version. */
static bk_err lite_wait_notify(sqlx *c, int timeout_ms, int wake_fd, int *notified)
{
    (void)c;
    (void)timeout_ms;
    (void)wake_fd;
    (void)notified;
    return BK_ERR_STATE;
}

static bk_err lite_checkpoint(sqlx *c, int *wal_pages)
{
    int log = 0, ckpt = 0;
    int rc = sqlite3_wal_checkpoint_v2(lc(c)->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &ckpt);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) return failnow(c, rc, "checkpoint");
    if (wal_pages) *wal_pages = log;
    return BK_OK;
}

struct sqlite3 *sqlx_sqlite(sqlx *c)
{
    return c->be == &sqlx_backend_sqlite && c->conn ? lc(c)->db : NULL;
}

/* ---- connection -------------------------------------------------------- */

static bk_err lite_open(sqlx *c, const char *path, const sqlx_opts *o)
{
    c->conn = calloc(1, sizeof(lite));
    if (!c->conn) {
        sqlx_errf(c, "out of memory");
        return BK_ERR_NOMEM;
    }
    /* Without o->create a missing file is not created (nor its -wal/-shm):
     * SQLite opens without SQLITE_OPEN_CREATE and fails. */
    int existed = access(path, F_OK) == 0;
    int flags = o->read_only ? SQLITE_OPEN_READONLY
                : o->create  ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                             : SQLITE_OPEN_READWRITE;
    flags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &lc(c)->db, flags, NULL);
    if (rc != SQLITE_OK) {
        if (!lc(c)->db) {
            sqlx_errf(c, "out of memory");
            return BK_ERR_NOMEM;
        }
        if (!o->create && (rc & 0xff) == SQLITE_CANTOPEN && access(path, F_OK) != 0 &&
            errno == ENOENT) {
            sqlx_errf(c, "the database file does not exist");
            return BK_ERR_NOT_FOUND;
        }
        return failnow(c, rc, "open");
    }
    /* A new file: 0660 whatever the umask. SQLite creates -wal and -shm
     * with the database file's mode (and, as root, its owner), so this one
     * mode decides whether the office group (the kiosk's service user and
     * the IT person in its group) can all write; in the shared setgid data
     * directory the group is the directory's. */
    if (o->create && !existed && chmod(path, 0660) != 0) {
        sqlx_errf(c, "cannot set the mode of the new database file: %s", strerror(errno));
        return BK_ERR_IO;
    }
    sqlite3_extended_result_codes(lc(c)->db, 1);
    rc = sqlite3_busy_timeout(lc(c)->db, o->busy_timeout_ms);
    if (rc != SQLITE_OK) return failnow(c, rc, "busy_timeout");
    bk_err e = lite_exec(c, "PRAGMA foreign_keys = ON", "foreign_keys");
    if (e || o->read_only) return e;
    /* journal_mode answers with the mode now in force. */
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(lc(c)->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc != SQLITE_OK) return failnow(c, rc, "journal_mode");
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = failnow(c, sqlite3_extended_errcode(lc(c)->db), "journal_mode");
        sqlite3_finalize(st);
        return e;
    }
    const unsigned char *mode = sqlite3_column_text(st, 0);
    int wal = mode && strcmp((const char *)mode, "wal") == 0;
    sqlite3_finalize(st);
    if (!wal) {
        sqlx_errf(c, "cannot switch the database to WAL mode (is it on a network share?)");
        return BK_ERR_IO;
    }
    if ((e = lite_exec(c,
                       o->sync_normal ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL",
                       "synchronous")))
        return e;
    if (o->manual_checkpoint &&
        (e = lite_exec(c, "PRAGMA wal_autocheckpoint = 0", "autocheckpoint")))
        return e;
    return BK_OK;
}

static void lite_close(sqlx *c)
{
    lite *l = c->conn;
    if (!l) return;
    sqlite3_finalize(l->begin_w);
    sqlite3_finalize(l->begin_r);
    sqlite3_finalize(l->commit);
    if (l->db) {
        if (sqlite3_get_autocommit(l->db) == 0) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(l->db);
    }
    free(l);
    c->conn = NULL;
}

#ifdef BK_TEST_HOOKS
/* A file has no connection to cut: the lost answer is only reported. */
static void lite_fault_cut(sqlx *c)
{
    (void)c;
}
#endif

const sqlx_backend sqlx_backend_sqlite = {
    .kind = SQLX_SQLITE,
    .open = lite_open,
    .close = lite_close,
    .fail = lite_fail,
    .stmt_init = lite_stmt_init,
    .stmt_free = lite_stmt_free,
    .reset = lite_reset,
    .bind_text = lite_bind_text,
    .bind_int64 = lite_bind_int64,
    .bind_null = lite_bind_null,
    .step = lite_step,
    .col_text = lite_col_text,
    .col_int64 = lite_col_int64,
    .col_is_null = lite_col_is_null,
    .col_count = lite_col_count,
    .col_name = lite_col_name,
    .changes = lite_changes,
    .exec = lite_exec,
    .begin = lite_begin,
    .commit = lite_commit,
    .rollback = lite_rollback,
    .schema_version = lite_schema_version,
    .schema_version_set = lite_schema_version_set,
    .data_version = lite_data_version,
    .wait_notify = lite_wait_notify,
    .checkpoint = lite_checkpoint,
#ifdef BK_TEST_HOOKS
    .fault_cut = lite_fault_cut,
#endif
};
