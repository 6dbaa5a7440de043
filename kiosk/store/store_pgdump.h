/* store_pgdump.h — for the store's own modules only: running PostgreSQL's
 * client programs (pg_dump, pg_restore) for a server store's backup.
 *
 * Running a program is not SQL, but the store is the only layer that knows
 * the database is a server, so this lives here (store_data_backup uses it).
 * The password of a URI never goes on a command line: it is handed to the
 * child alone, in its PGPASSWORD environment variable.
 */
#ifndef BK_STORE_PGDUMP_H
#define BK_STORE_PGDUMP_H

#include <stddef.h>

#include "bkerr.h"

/* Where a client program is looked for: only in $BAPAS_PG_BINDIR when that
 * is set; else in `near` (a directory, may be NULL: pg_restore beside the
 * pg_dump found, so both are one version), then every directory of $PATH,
 * then the newest /usr/lib/postgresql/N/bin. Full path into out;
 * BK_ERR_NOT_FOUND if there is none. */
bk_err store_pgdump_find(const char *name, const char *near, char *out, size_t outsz);

/* A libpq conninfo string ("host='...' dbname='...' ...") for target (a
 * postgresql:// URI or a conninfo string) without its password, with
 * connect_timeout=10 and application_name=bapas-backup unless the target
 * sets them. The password (or "") goes to password. BK_ERR_INVALID when
 * libpq cannot read the target, BK_ERR_INTERNAL when out is too small. */
bk_err store_pgdump_conninfo(const char *target, char *out, size_t outsz, char *password,
                             size_t pwsz);

/* Run argv (argv[0] a full path; NULL-terminated) and wait for it: stdin
 * from /dev/null, stdout and stderr together into out (the first outsz-1
 * bytes, NUL-terminated, may be NULL). With a password (not NULL or ""),
 * the child's environment has PGPASSWORD set to it; the caller's own
 * environment is not changed. *status = its exit status, or 128 + the
 * signal that ended it. BK_ERR_IO if it cannot be started. */
bk_err store_pgdump_run(char *const argv[], const char *password, char *out, size_t outsz,
                        int *status);

#endif
