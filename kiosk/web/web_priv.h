/* web_priv.h — what the office server's files share (not for other layers).
 *
 * Locking: w->mu guards st, q, sess and addrs (every API request holds it
 * from the session check to its answer); w->login_mu guards login_st and
 * acct (a login holds it while hashing, never together with mu); w->ev_mu
 * guards the event counters and the list of event streams (taken inside mu
 * by no one: the live thread takes only ev_mu).
 */
#ifndef BK_WEB_PRIV_H
#define BK_WEB_PRIV_H

#include <pthread.h>
#include <stdint.h>

#include <jansson.h>
#include <microhttpd.h>

#include "account.h"
#include "config.h"
#include "queue.h"
#include "store.h"
#include "store_user.h"
#include "web.h"

#define WEB_BODY_MAX 4096 /* bytes of a request body */
#define WEB_SESSIONS 256  /* at once; the oldest idle one makes room */
#define WEB_ID_HEX 64     /* 32 random bytes */
#define WEB_COOKIE "bapas_session"
#define WEB_ADDRS 256         /* addresses the login rate limit remembers */
#define WEB_ADDR_WINDOW_S 900 /* its window: 15 minutes */
#define WEB_THREADS 4         /* libmicrohttpd's request threads */
#define WEB_CONNECTIONS 1000  /* at once (event streams included) */
#define WEB_KEEPALIVE_S 15    /* an event stream's comment line, to find dead clients */

typedef struct web_session {
    int used;
    char id[WEB_ID_HEX + 1];
    char csrf[WEB_ID_HEX + 1];
    char user[STORE_USER_NAME_SZ];
    int64_t last; /* last request */
} web_session;

typedef struct web_addr {
    int used;
    struct in_addr ip;
    int64_t since; /* the window's start */
    int failures;
} web_addr;

typedef struct web_sse web_sse; /* web_events.c */

struct web_server {
    cfg cf;
    int64_t fixed_now;
    int64_t idle_s;
    int tls;
    char *tls_cert, *tls_key; /* PEM texts (HTTPS) */
    char static_dir[CFG_PATH_SZ];
    char db[CFG_PATH_SZ];
    struct MHD_Daemon *d;
    unsigned port;

    pthread_mutex_t mu;
    store *st;
    queue_ctx q;
    char actor[STORE_NAME_SZ];
    web_session sess[WEB_SESSIONS];
    web_addr addrs[WEB_ADDRS];

    pthread_mutex_t login_mu;
    store *login_st;
    account_ctx acct;

    pthread_mutex_t ev_mu;
    pthread_t live;
    int live_started;
    int wake[2];        /* a pipe: web_stop wakes the live thread */
    int stopping;       /* under ev_mu */
    int64_t ev_seq;     /* changes seen by the live thread */
    int64_t ka_seq;     /* keep-alive ticks */
    int healthy;        /* the live thread reaches the database */
    int64_t beat;       /* otime_mono_ms of its last loop */
    int64_t status_seq; /* bumped when healthy changes */
    web_sse *streams;   /* open event streams */
};

/* One request being received (libmicrohttpd's per-request pointer). */
typedef struct web_req {
    char body[WEB_BODY_MAX + 1];
    size_t len;
    int too_big;
} web_req;

/* One request being answered. The handler sets status and out (owned). */
typedef struct web_call {
    web_server *w;
    struct MHD_Connection *conn;
    const char *url, *method;
    const web_req *rq;
    web_session *s; /* the caller's live session (under mu) */
    store_user u;   /* its account (hash cleared) */
    json_t *body;   /* a POST's JSON object, or NULL when there is no body */
    unsigned status;
    json_t *out;
    char *raw; /* instead of out: a body of raw_type (owned) */
    size_t raw_len;
    const char *raw_type;
    const char *cookie; /* a Set-Cookie value, or NULL */
    char cookie_buf[256];
    struct MHD_Response *resp; /* a ready response (an event stream), owned */
} web_call;

int64_t web_now(const web_server *w);

/* Answers. web_fail sets {"error": code, "message": message}. */
void web_ok(web_call *c, json_t *j);
void web_fail(web_call *c, unsigned status, const char *code, const char *message);
/* A store or rule error as its documented status and code. */
void web_fail_err(web_call *c, bk_err e, const char *what);

/* Sessions (web_session.c; all under mu). */
web_session *web_session_of(web_server *w, struct MHD_Connection *conn);
web_session *web_session_new(web_server *w, const char *user);
void web_session_end(web_session *s);
int web_session_live(web_server *w, const char *id); /* the id is still a session */
/* 1 if a login from ip may be tried; web_addr_failed counts a failure. */
int web_addr_allowed(web_server *w, struct in_addr ip);
void web_addr_failed(web_server *w, struct in_addr ip);
bk_err web_random_hex(char out[WEB_ID_HEX + 1]);
int web_ct_equal(const char *a, const char *b);

/* The API (web_api.c): route one authenticated or public request. */
void web_api(web_call *c);
/* The login (web_api.c), called without mu. */
void web_login(web_call *c);
json_t *web_me_json(const store_user *u, const web_session *s);

/* Event streams (web_events.c). */
bk_err web_events_start(web_server *w, char *err, size_t errsz);
void web_events_stop(web_server *w);
/* Answer c with an event stream for session s (under mu). */
struct MHD_Response *web_events_response(web_server *w, const web_session *s,
                                         struct MHD_Connection *conn);
/* Wake every stream so it looks at its session again (after a logout or a
 * disabled account: the stream of an ended session ends). */
void web_events_kick(web_server *w);
/* The live thread's last loop (otime_mono_ms), for the watchdog. */
int64_t web_events_beat(web_server *w);

/* Static files (web_static.c): GET of a path outside /api. */
void web_static(web_call *c);

#endif
