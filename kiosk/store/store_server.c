/* store_server.c — what a PostgreSQL store is connected to (store.h:
 * store_server_info, store_server_where): libpq's connection state (host,
 * port, TLS, sslmode) and three server settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store.h"
#include "store_priv.h"

/* The value of keyword in a libpq option array (NULL if unset). */
static const char *opt_val(const PQconninfoOption *o, const char *keyword)
{
    for (; o && o->keyword; o++)
        if (strcmp(o->keyword, keyword) == 0) return o->val;
    return NULL;
}

bk_err store_server_info_get(store *s, store_server_info *out)
{
    memset(out, 0, sizeof *out);
    sqlx *c = store_priv_db(s);
    PGconn *pg = sqlx_pg(c);
    if (!pg) {
        sqlx_errf(c, "not a database server (a SQLite file)");
        return BK_ERR_STATE;
    }
    if (PQstatus(pg) != CONNECTION_OK) {
        sqlx_errf(c, "not connected to the server");
        return BK_ERR_IO;
    }
    const char *h = PQhost(pg);
    snprintf(out->host, sizeof out->host, "%s", h ? h : "");
    out->unix_socket = h && (h[0] == '/' || h[0] == '@');
    snprintf(out->port, sizeof out->port, "%s", PQport(pg) ? PQport(pg) : "");
    snprintf(out->database, sizeof out->database, "%s", PQdb(pg) ? PQdb(pg) : "");
    snprintf(out->user, sizeof out->user, "%s", PQuser(pg) ? PQuser(pg) : "");
    out->version_num = PQserverVersion(pg);
    out->tls = PQsslInUse(pg);
    const char *proto = out->tls ? PQsslAttribute(pg, "protocol") : NULL;
    snprintf(out->tls_protocol, sizeof out->tls_protocol, "%s", proto ? proto : "");
    PQconninfoOption *ci = PQconninfo(pg);
    const char *mode = opt_val(ci, "sslmode");
    snprintf(out->sslmode, sizeof out->sslmode, "%s", mode && *mode ? mode : "prefer");
    const char *root = opt_val(ci, "sslrootcert");
    const char *home = getenv("HOME");
    char dflt[512] = "";
    if ((!root || !*root) && home && *home) {
        snprintf(dflt, sizeof dflt, "%s/.postgresql/root.crt", home);
        root = dflt;
    }
    if (root && *root && access(root, R_OK) == 0)
        snprintf(out->sslrootcert, sizeof out->sslrootcert, "%.*s",
                 (int)sizeof out->sslrootcert - 1, root);
    PQconninfoFree(ci);

    sqlx_stmt *st = NULL;
    bk_err e = sqlx_prepare(c,
                            "SELECT current_setting('server_version'), "
                            "current_setting('data_checksums'), "
                            "pg_database_size(current_database())",
                            &st);
    if (e) return e;
    int rc = sqlx_step(st);
    if (rc == SQLX_ROW) {
        store_priv_col_text(st, 0, out->version, sizeof out->version);
        const char *ck = sqlx_col_text(st, 1);
        out->data_checksums = ck && strcmp(ck, "on") == 0;
        out->db_bytes = sqlx_col_int64(st, 2);
    } else if (rc == SQLX_ERROR) {
        e = sqlx_fail(c, "server settings");
    } else {
        sqlx_errf(c, "server settings: no answer");
        e = BK_ERR_INTERNAL;
    }
    sqlx_finalize(st);
    if (e) return e;
    /* What pg_dump as this role could not read (the owner reads all). */
    if ((e = sqlx_prepare(c,
                          "SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c "
                          "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                          "current_schema() AND c.relkind IN ('r', 'p', 'S') AND NOT "
                          "has_table_privilege(c.oid, 'SELECT')",
                          &st)))
        return e;
    rc = sqlx_step(st);
    if (rc == SQLX_ROW)
        store_priv_col_text(st, 0, out->unreadable, sizeof out->unreadable);
    else
        e = rc == SQLX_ERROR ? sqlx_fail(c, "privileges") : BK_ERR_INTERNAL;
    sqlx_finalize(st);
    return e;
}

void store_server_where(const char *target, char *out, size_t outsz)
{
    if (!outsz) return;
    if (!store_target_is_server(target)) {
        snprintf(out, outsz, "file %s", target ? target : "");
        return;
    }
    char *err = NULL;
    PQconninfoOption *o = PQconninfoParse(target, &err);
    if (!o) {
        /* Not libpq's message: it quotes the bad part, which may be the password. */
        snprintf(out, outsz, "an unreadable connection URI");
        PQfreemem(err);
        return;
    }
    const char *host = opt_val(o, "host");
    if (!host || !*host) host = opt_val(o, "hostaddr");
    if (!host || !*host) host = getenv("PGHOST");
    const char *port = opt_val(o, "port");
    if (!port || !*port) port = getenv("PGPORT");
    if (!port || !*port) port = "5432";
    if (!host || !*host)
        snprintf(out, outsz, "the default local socket, port %s", port);
    else if (host[0] == '/' || host[0] == '@')
        snprintf(out, outsz, "socket directory %s, port %s", host, port);
    else
        snprintf(out, outsz, "host %s, port %s", host, port);
    PQconninfoFree(o);
}
