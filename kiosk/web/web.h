/* web.h — the office server (issue 14): staff sessions and the JSON API
 * over HTTP(S) on GNU libmicrohttpd, on the same store and core queue rules
 * as every other program. The contract (every endpoint, status and JSON
 * key) is web.md beside this file; app/bapas_web.c is only its main.
 *
 * Threads: libmicrohttpd runs requests on a pool of WEB_THREADS threads.
 * The API's store connection, the queue context and the session table are
 * used under one mutex (web_priv.h), so requests act one at a time, as a
 * desk would. A login's password hash runs on its own store connection
 * under a second mutex, outside the first, so a 0.5-2 s Argon2id never
 * holds up the queue (and at most one hash's memory is in use). The live
 * thread (web_events.c) owns a third connection and wakes the Server-Sent
 * Events streams when the database changes.
 *
 * Memory: web_start allocates the server; web_stop frees it. The options
 * are copied.
 */
#ifndef BK_WEB_H
#define BK_WEB_H

#include <netinet/in.h>
#include <stdint.h>

#include "bkerr.h"
#include "config.h"

typedef struct web_server web_server;

typedef struct web_opts {
    struct sockaddr_in addr; /* where to listen (port 0 = any free port) */
    const char *db;          /* the store target */
    const cfg *cf;           /* [accounts], [web], [database], [queue], [office] */
    int64_t fixed_now;       /* BAPAS_NOW (test builds); 0 = the clock */
} web_opts;

/* Open the store connections, read the TLS files ([web] tls_cert/tls_key:
 * HTTPS when both are set), start listening and the live thread. On
 * failure *out is NULL and err holds one English line. */
bk_err web_start(const web_opts *o, web_server **out, char *err, size_t errsz);
/* The port actually bound. */
unsigned web_port(const web_server *w);
int web_tls(const web_server *w);
/* 1 while the live thread reaches the database. */
int web_healthy(web_server *w);
/* Stop listening, end the event streams, close everything, free w. */
void web_stop(web_server *w);

/* Parse "A.B.C.D:PORT" (IPv4). BK_ERR_INVALID if it is not. */
bk_err web_parse_listen(const char *s, struct sockaddr_in *out);

#endif
