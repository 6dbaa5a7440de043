/* bkerr.h — the one error enum every layer returns.
 *
 * Contract: functions return BK_OK (0) on success, one of these otherwise.
 * bk_exit_code() maps an error to bapasctl's documented exit codes:
 *   0 ok, 1 internal/database (also: the database role lacks a privilege, the
 *   database file cannot be written, the disk is full), 2 usage,
 *   3 not found, 4 input rejected, 5 wrong state.
 */
#ifndef BK_ERR_H
#define BK_ERR_H

typedef enum bk_err {
    BK_OK = 0,
    BK_ERR_INTERNAL,    /* bug, libc or database failure (exit 1) */
    BK_ERR_NOMEM,       /* allocation failed (exit 1) */
    BK_ERR_BUSY,        /* database locked beyond the busy timeout (exit 1) */
    BK_ERR_IO,          /* file or device I/O failed (exit 1) */
    BK_ERR_USAGE,       /* bad command line (exit 2) */
    BK_ERR_NOT_FOUND,   /* unknown client, officer, ticket; nothing waiting (exit 3) */
    BK_ERR_INVALID,     /* input failed validation (exit 4) */
    BK_ERR_EXISTS,      /* unique key already taken (exit 4) */
    BK_ERR_WRONG_BIRTH, /* birth date does not match (exit 4) */
    BK_ERR_LOCKED,      /* client number locked after too many wrong dates (exit 4) */
    BK_ERR_STATE,       /* ticket/client in the wrong state for the action (exit 5) */
    BK_ERR_ENDED,       /* client's supervision has ended (exit 5) */
    BK_ERR_RETRY,       /* transient conflict; the caller may retry the transaction */
    BK_ERR_DENIED,      /* the database role may not do this (PostgreSQL 42501) (exit 1) */
    BK_ERR_READONLY,    /* the database file, its -wal/-shm or its directory cannot be
                         * written by this user, or the file system is read-only (exit 1) */
    BK_ERR_DISK_FULL,   /* no space left where the database is written (exit 1) */
    BK_ERR_REPORTED,    /* check-in: a report visit of the client is done today; no
                         * second one (exit 5) */
    BK_ERR__COUNT
} bk_err;

/* A short English identifier for logs and JSON ("not_found", ...). Never NULL. */
const char *bk_err_name(bk_err e);

/* The process exit code for an error (see above). */
int bk_exit_code(bk_err e);

#endif
