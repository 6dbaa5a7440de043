/* sqlread.h — tests read a database with plain SQL, the way the officers'
 * other systems would: sqlite3 on a file, libpq on a postgresql:// URI (a
 * connection of its own, not the store's). Header-only, like testdb.h.
 *
 * Statements use `?` placeholders (rewritten to $N for PostgreSQL) and
 * text parameters. Results are materialized as text: NULL stays NULL.
 * Where the two dialects differ (group_concat / string_agg, booleans 1/0
 * versus t/f), the test picks the text with sqlread_is_pg().
 */
#ifndef BK_SQLREAD_H
#define BK_SQLREAD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sqlite3.h>

typedef struct sqlread {
    sqlite3 *db;
    PGconn *pg;
    char err[1024];
} sqlread;

typedef struct sqlrows {
    int nrows, ncols;
    char **cells; /* nrows * ncols, row-major; NULL = SQL NULL */
    char **names; /* ncols */
} sqlrows;

static inline int sqlread_is_pg(const sqlread *r)
{
    return r->pg != NULL;
}

/* Open target (read-write: a test may also hold a lock with it). 0 or -1. */
static inline int sqlread_open(sqlread *r, const char *target)
{
    memset(r, 0, sizeof *r);
    if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0) {
        r->pg = PQconnectdb(target);
        if (!r->pg || PQstatus(r->pg) != CONNECTION_OK) {
            snprintf(r->err, sizeof r->err, "connect: %.900s",
                     r->pg ? PQerrorMessage(r->pg) : "out of memory");
            PQfinish(r->pg);
            r->pg = NULL;
            return -1;
        }
        return 0;
    }
    if (sqlite3_open(target, &r->db) != SQLITE_OK) {
        snprintf(r->err, sizeof r->err, "open %.400s: %.500s", target,
                 r->db ? sqlite3_errmsg(r->db) : "out of memory");
        sqlite3_close(r->db);
        r->db = NULL;
        return -1;
    }
    return 0;
}

static inline void sqlread_close(sqlread *r)
{
    if (r->pg) PQfinish(r->pg);
    if (r->db) sqlite3_close(r->db);
    r->pg = NULL;
    r->db = NULL;
}

static inline void sqlrows_free(sqlrows *rows)
{
    for (int i = 0; rows->cells && i < rows->nrows * rows->ncols; i++)
        free(rows->cells[i]);
    for (int i = 0; rows->names && i < rows->ncols; i++)
        free(rows->names[i]);
    free(rows->cells);
    free(rows->names);
    memset(rows, 0, sizeof *rows);
}

static inline const char *sqlrows_get(const sqlrows *rows, int row, int col)
{
    if (row < 0 || row >= rows->nrows || col < 0 || col >= rows->ncols) return NULL;
    return rows->cells[row * rows->ncols + col];
}

static inline char *sqlread_dup(const char *s)
{
    if (!s) return NULL;
    char *d = strdup(s);
    if (!d) abort();
    return d;
}

/* `?` -> $1, $2, ... outside quotes (malloc'd). */
static inline char *sqlread_pgsql(const char *sql)
{
    size_t len = strlen(sql);
    char *out = malloc(len * 4 + 1);
    if (!out) abort();
    size_t k = 0;
    int n = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote) quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?') {
            k += (size_t)sprintf(out + k, "$%d", ++n);
            continue;
        }
        out[k++] = *p;
    }
    out[k] = 0;
    return out;
}

/* Run sql with nparams text parameters; every row into *out. 0, or -1
 * with the reason in r->err. */
static inline int sqlread_query(sqlread *r, const char *sql, int nparams, const char *const *params,
                                sqlrows *out)
{
    memset(out, 0, sizeof *out);
    if (r->pg) {
        char *q = sqlread_pgsql(sql);
        PGresult *res = PQexecParams(r->pg, q, nparams, NULL, params, NULL, NULL, 0);
        free(q);
        ExecStatusType st = PQresultStatus(res);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            snprintf(r->err, sizeof r->err, "%.200s: %.700s", sql, PQresultErrorMessage(res));
            PQclear(res);
            return -1;
        }
        out->nrows = PQntuples(res);
        out->ncols = PQnfields(res);
        out->names = calloc((size_t)out->ncols + 1, sizeof *out->names);
        out->cells = calloc((size_t)out->nrows * (size_t)out->ncols + 1, sizeof *out->cells);
        if (!out->names || !out->cells) abort();
        for (int c = 0; c < out->ncols; c++)
            out->names[c] = sqlread_dup(PQfname(res, c));
        for (int i = 0; i < out->nrows; i++)
            for (int c = 0; c < out->ncols; c++)
                out->cells[i * out->ncols + c] =
                    PQgetisnull(res, i, c) ? NULL : sqlread_dup(PQgetvalue(res, i, c));
        PQclear(res);
        return 0;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(r->err, sizeof r->err, "%.200s: %.700s", sql, sqlite3_errmsg(r->db));
        return -1;
    }
    for (int i = 0; i < nparams; i++)
        sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
    out->ncols = sqlite3_column_count(st);
    out->names = calloc((size_t)out->ncols + 1, sizeof *out->names);
    if (!out->names) abort();
    for (int c = 0; c < out->ncols; c++)
        out->names[c] = sqlread_dup(sqlite3_column_name(st, c));
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->nrows == cap) {
            cap = cap ? cap * 2 : 16;
            char **cells =
                realloc(out->cells, (size_t)cap * (size_t)(out->ncols + 1) * sizeof *cells);
            if (!cells) abort();
            out->cells = cells;
        }
        for (int c = 0; c < out->ncols; c++)
            out->cells[out->nrows * out->ncols + c] =
                sqlread_dup((const char *)sqlite3_column_text(st, c));
        out->nrows++;
    }
    if (rc != SQLITE_DONE) {
        snprintf(r->err, sizeof r->err, "%.200s: %.700s", sql, sqlite3_errmsg(r->db));
        sqlite3_finalize(st);
        sqlrows_free(out);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

/* Run a script of statements without results (and without parameters).
 * 0, or -1 with the reason in r->err. */
static inline int sqlread_exec(sqlread *r, const char *sql)
{
    if (r->pg) {
        PGresult *res = PQexec(r->pg, sql);
        ExecStatusType st = PQresultStatus(res);
        int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
        if (!ok) snprintf(r->err, sizeof r->err, "%.200s: %.700s", sql, PQresultErrorMessage(res));
        PQclear(res);
        return ok ? 0 : -1;
    }
    char *msg = NULL;
    if (sqlite3_exec(r->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(r->err, sizeof r->err, "%.200s: %.700s", sql, msg ? msg : "error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* The first column of the first row as text into out ("" for NULL or no
 * row). 0, or -1 with the reason in r->err. */
static inline int sqlread_text(sqlread *r, const char *sql, char *out, size_t outsz)
{
    sqlrows rows;
    out[0] = 0;
    if (sqlread_query(r, sql, 0, NULL, &rows)) return -1;
    const char *v = sqlrows_get(&rows, 0, 0);
    snprintf(out, outsz, "%s", v ? v : "");
    sqlrows_free(&rows);
    return 0;
}

#endif
