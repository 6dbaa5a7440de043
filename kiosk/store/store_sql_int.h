/* store_sql_int.h — inside the SQL adapter only (store_sql.c, store_sql_pg.c):
 * the connection and statement structs shared by its two implementations,
 * and the libpq implementation's entry points (pgx_), which store_sql.c
 * calls when a connection's kind is SQLX_PG. Same contracts as store_sql.h. */
#ifndef BK_STORE_SQL_INT_H
#define BK_STORE_SQL_INT_H

#include <libpq-fe.h>
#include <sqlite3.h>

#include "store_sql.h"

#define SQLX_CACHE 128
#define SQLX_MAXP 32

struct sqlx_stmt {
    sqlx *c;
    int owned;
    sqlite3_stmt *st; /* SQLite */
    /* PostgreSQL */
    char *pgsql;            /* with $N placeholders */
    char pgname[16];        /* server-side name ("" = unnamed, run by PQexecParams) */
    unsigned gen;           /* connection generation it was prepared in */
    int nparams;
    char *vals[SQLX_MAXP];  /* bound values as text (owned copies), NULL = NULL */
    Oid types[SQLX_MAXP];   /* 0 = inferred by the server */
    PGresult *res;
    int row, nrows;
    int execs;              /* times run (an owned statement is prepared from its second run) */
};

struct sqlx {
    sqlx_dialect kind;
    sqlite3 *db;
    PGconn *pg;
    unsigned gen;         /* PostgreSQL: bumped when the connection is re-established */
    unsigned listen_gen;  /* PostgreSQL: the gen in which LISTEN ran (0 = never) */
    unsigned owned_seq;   /* PostgreSQL: names of prepared owned statements ("bkoN") */
    int64_t changes;      /* PostgreSQL: rows of the last command */
    char sqlstate[6];     /* PostgreSQL: SQLSTATE of the last failure */
    int last_rc;          /* SQLite: extended result code of the last failure */
    char last_msg[256];   /* its message, captured before any reset */
    struct {
        const char *sql;
        sqlx_stmt st;
    } cache[SQLX_CACHE];
    int ncache;
    sqlite3_stmt *begin_w, *begin_r, *commit;
    int busy_timeout_ms;
    char err[512];
    /* Tests: BK_FAULT_LOST_ACK (store_sql.h), read once by sqlx_open. */
    unsigned long long fault_lost_ack; /* bit n-1 set: commit n loses its answer */
    int commits;                       /* commits that succeeded on this connection */
};

bk_err pgx_open(sqlx *c, const char *uri, const sqlx_opts *o);
void pgx_close(sqlx *c);
bk_err pgx_fail(sqlx *c, const char *what);
bk_err pgx_stmt_init(sqlx *c, sqlx_stmt *st, const char *sql, int cached);
void pgx_stmt_free(sqlx_stmt *st);
bk_err pgx_bind(sqlx_stmt *st, int i, const char *text); /* NULL = NULL; copies */
int pgx_step(sqlx_stmt *st);
void pgx_reset(sqlx_stmt *st, int clear);
bk_err pgx_exec(sqlx *c, const char *sql, const char *what);
bk_err pgx_begin(sqlx *c, int write);
bk_err pgx_commit(sqlx *c);
void pgx_rollback(sqlx *c);
bk_err pgx_schema_version(sqlx *c, int64_t *out);
bk_err pgx_schema_version_set(sqlx *c, int v);
bk_err pgx_data_version(sqlx *c, int64_t *out);
bk_err pgx_wait_notify(sqlx *c, int timeout_ms, int wake_fd, int *notified);

#endif
