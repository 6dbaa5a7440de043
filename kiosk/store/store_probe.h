/* store_probe.h — the doctor's checks of the database (probe.h).
 *
 * One set of checks for both back ends; where a check is about a local file
 * it is skipped for a server, and the other way round:
 *
 *   database   it opens (a file) or answers within the connect timeout (a
 *              PostgreSQL server, store_target_is_server)
 *   server     the server's version (server only)
 *   tls        the connection's encryption (server only)
 *   schema     the schema version against this program's
 *   views      the views other systems read (server only)
 *   integrity  PRAGMA quick_check, or the server-side store_check
 *   wal        the size of the WAL file (file only)
 *   db-files   the service user can write the database files (file only)
 *   disk       free space beside the database (file only)
 *   backups    the newest nightly copy is recent; for a server, that this
 *              machine can run pg_dump of the server's version
 *
 * The database is only ever opened read-only; nothing is created. The URI's
 * password is never shown (paths_display).
 */
#ifndef BK_STORE_PROBE_H
#define BK_STORE_PROBE_H

#include <stdint.h>

#include "probe.h"
#include "store.h"

/* Where bapas-backup puts the nightly copies when the database is a server. */
#define STORE_PROBE_STATE_BACKUPS "/var/lib/bapas-kiosk/backups"

/* The state the database checks share: caller-owned (store_probe_init),
 * released with store_probe_close. */
typedef struct store_probe {
    const char *target; /* borrowed: file path or postgresql:// URI */
    int busy_timeout_ms;
    int utc_offset_min;
    int server;       /* the target is a PostgreSQL server */
    int64_t db_size;  /* file: its size, once the database check ran */
    store *pg;        /* server: one read-only connection for every check */
    int pg_tried;     /* server: the connection was attempted (pg NULL = failed) */
    bk_err pg_err;    /* its error */
    char pg_msg[512]; /* its reason, on one line */
} store_probe;

/* Nothing is opened yet. target must outlive p. */
void store_probe_init(store_probe *p, const char *target, int busy_timeout_ms, int utc_offset_min);
/* Close the shared connection, if any. */
void store_probe_close(store_probe *p);

/* database, server, tls, schema, views, integrity, wal */
void store_probe_database(store_probe *p, probe_report *r);
/* db-files */
void store_probe_files(store_probe *p, probe_report *r);
/* disk (after store_probe_database: the thresholds grow with the database) */
void store_probe_disk(store_probe *p, probe_report *r);
/* backups */
void store_probe_backups(store_probe *p, probe_report *r);

#endif
