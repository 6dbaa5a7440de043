/* bapas-web — the office server (issue 14), first part: staff login
 * sessions over HTTP on GNU libmicrohttpd. Only POST /api/login,
 * POST /api/logout and GET /api/me exist so far (kiosk/app/bapas_web.md).
 *
 * usage: bapas-web [--listen ADDR:PORT] [--db PATH] [--config FILE]
 *   --listen: IPv4 address and port (default 127.0.0.1:8080; port 0 = any
 *   free port). Prints "listening on ADDR:PORT" on stdout once it accepts
 *   connections; SIGINT/SIGTERM stop it.
 *
 * One thread: libmicrohttpd's internal polling thread runs every request,
 * so the one store connection and the session table are used by it alone
 * (main only waits for a signal). Sessions live in memory: a restart logs
 * everyone out.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

#include "account.h"
#include "config.h"
#include "ctl_opt.h"
#include "otime.h"
#include "store.h"
#include "store_user.h"
#include "token.h"

#define WEB_BODY_MAX 4096 /* bytes of a request body */
#define WEB_SESSIONS 256  /* at once; the oldest idle one makes room */
#define WEB_ID_HEX 64     /* 32 random bytes */
#define WEB_IDLE_S 28800  /* idle expiry: 8 hours */
#define WEB_COOKIE "bapas_session"

typedef struct web_session {
    int used;
    char id[WEB_ID_HEX + 1];
    char csrf[WEB_ID_HEX + 1];
    char user[STORE_USER_NAME_SZ];
    int64_t last; /* last request */
} web_session;

typedef struct web {
    store *st;
    account_ctx acct;
    int64_t fixed_now; /* BAPAS_NOW (test builds); 0 = the clock */
    web_session sess[WEB_SESSIONS];
} web;

typedef struct web_req {
    char body[WEB_BODY_MAX + 1];
    size_t len;
    int too_big;
} web_req;

static int64_t web_now(const web *w)
{
    return w->fixed_now ? w->fixed_now : otime_now();
}

/* 32 random bytes as 64 hex digits. */
static bk_err random_hex(char out[WEB_ID_HEX + 1])
{
    uint8_t b[WEB_ID_HEX / 2];
    bk_err e = token_random_bytes(b, sizeof b);
    if (e) return e;
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return BK_OK;
}

/* Equal strings, in time independent of where they differ. */
static int ct_equal(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char d = (unsigned char)(na != nb);
    for (size_t i = 0; i < na && i < nb; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

static enum MHD_Result send_json(struct MHD_Connection *conn, unsigned status, json_t *body,
                                 const char *cookie)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        static const char oom[] = "{\"error\":\"internal\",\"message\":\"out of memory\"}";
        text = strdup(oom);
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        if (!text) return MHD_NO;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (cookie) MHD_add_response_header(r, "Set-Cookie", cookie);
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result send_error(struct MHD_Connection *conn, unsigned status, const char *code,
                                  const char *message)
{
    return send_json(conn, status, json_pack("{s:s, s:s}", "error", code, "message", message),
                     NULL);
}

/* The live session of this request's cookie, or NULL (expired ones are
 * dropped here). */
static web_session *session_of(web *w, struct MHD_Connection *conn)
{
    const char *id = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, WEB_COOKIE);
    if (!id || strlen(id) != WEB_ID_HEX) return NULL;
    int64_t now = web_now(w);
    for (int i = 0; i < WEB_SESSIONS; i++) {
        web_session *s = &w->sess[i];
        if (!s->used || !ct_equal(s->id, id)) continue;
        if (now - s->last >= WEB_IDLE_S) {
            memset(s, 0, sizeof *s);
            return NULL;
        }
        return s;
    }
    return NULL;
}

/* The session's account, if it still may log in (a disabled or removed
 * user's session dies here). */
static int session_user(web *w, web_session *s, store_user *u)
{
    if (store_user_get(w->st, s->user, u) || u->disabled) {
        memset(s, 0, sizeof *s);
        return 0;
    }
    memset(u->hash, 0, sizeof u->hash);
    return 1;
}

static json_t *me_json(const store_user *u, const web_session *s)
{
    return json_pack("{s:s, s:s, s:o, s:s}", "user", u->name, "role", bk_role_name(u->role),
                     "officer", u->officer[0] ? json_string(u->officer) : json_null(), "csrf",
                     s->csrf);
}

static web_session *session_new(web *w)
{
    web_session *slot = NULL;
    for (int i = 0; i < WEB_SESSIONS; i++) {
        if (!w->sess[i].used) {
            slot = &w->sess[i];
            break;
        }
        if (!slot || w->sess[i].last < slot->last) slot = &w->sess[i];
    }
    memset(slot, 0, sizeof *slot);
    if (random_hex(slot->id) || random_hex(slot->csrf)) {
        memset(slot, 0, sizeof *slot);
        return NULL;
    }
    slot->used = 1;
    slot->last = web_now(w);
    return slot;
}

static enum MHD_Result do_login(web *w, struct MHD_Connection *conn, const web_req *rq)
{
    json_error_t je;
    json_t *j = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &je);
    const char *user = NULL, *pw = NULL;
    int ok = json_is_object(j) && json_object_size(j) == 2 &&
             json_is_string(json_object_get(j, "user")) &&
             json_is_string(json_object_get(j, "password"));
    if (ok) {
        user = json_string_value(json_object_get(j, "user"));
        pw = json_string_value(json_object_get(j, "password"));
        /* strings with a NUL inside are not what they seem */
        ok = strlen(user) == json_string_length(json_object_get(j, "user")) &&
             strlen(pw) == json_string_length(json_object_get(j, "password"));
    }
    if (!ok) {
        json_decref(j);
        return send_error(conn, MHD_HTTP_BAD_REQUEST, "invalid",
                          "the body must be {\"user\": TEXT, \"password\": TEXT}");
    }
    char name[STORE_USER_NAME_SZ];
    snprintf(name, sizeof name, "%s", strlen(user) < sizeof name ? user : "");
    for (char *p = name; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    account_result res;
    store_user u;
    bk_err e = account_login(&w->acct, name, pw, web_now(w), &res, &u);
    json_decref(j);
    if (e) return send_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", "database error");
    if (res != ACCOUNT_OK) /* one answer for unknown, wrong, locked and disabled */
        return send_error(conn, MHD_HTTP_UNAUTHORIZED, "unauthorized",
                          "wrong user name or password, or the account is locked");
    web_session *s = session_new(w);
    if (!s) return send_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "no random bytes");
    snprintf(s->user, sizeof s->user, "%s", u.name);
    char cookie[160];
    snprintf(cookie, sizeof cookie, WEB_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict", s->id);
    return send_json(conn, MHD_HTTP_OK, me_json(&u, s), cookie);
}

static enum MHD_Result route(web *w, struct MHD_Connection *conn, const char *url,
                             const char *method, const web_req *rq)
{
    int post = strcmp(method, "POST") == 0, get = strcmp(method, "GET") == 0;
    if (rq->too_big)
        return send_error(conn, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
                          "the request body is over 4096 bytes");
    if (strcmp(url, "/api/login") == 0) {
        if (!post) return send_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method", "use POST");
        return do_login(w, conn, rq);
    }
    int me = strcmp(url, "/api/me") == 0, logout = strcmp(url, "/api/logout") == 0;
    if (!me && !logout) return send_error(conn, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
    if ((me && !get) || (logout && !post))
        return send_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method", me ? "use GET" : "use POST");
    web_session *s = session_of(w, conn);
    store_user u;
    if (!s || !session_user(w, s, &u))
        return send_error(conn, MHD_HTTP_UNAUTHORIZED, "unauthorized", "log in first");
    if (post) { /* every state-changing request carries the session's CSRF token */
        const char *tok = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!tok || !ct_equal(tok, s->csrf))
            return send_error(conn, MHD_HTTP_FORBIDDEN, "csrf",
                              "missing or wrong X-CSRF-Token header");
    }
    s->last = web_now(w);
    if (me) return send_json(conn, MHD_HTTP_OK, me_json(&u, s), NULL);
    memset(s, 0, sizeof *s);
    return send_json(conn, MHD_HTTP_OK, json_pack("{s:b}", "ok", 1),
                     WEB_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    web *w = cls;
    web_req *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq) return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (rq->len + *upload_data_size > WEB_BODY_MAX) {
            rq->too_big = 1;
        } else {
            memcpy(rq->body + rq->len, upload_data, *upload_data_size);
            rq->len += *upload_data_size;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    rq->body[rq->len] = 0;
    return route(w, conn, url, method, rq);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    free(*con_cls);
    *con_cls = NULL;
}

int main(int argc, char **argv)
{
    static web w; /* the session table: static storage, passed explicitly */
    const char *listen = "127.0.0.1:8080", *db = NULL, *config = NULL;
    const ctl_opt_def opts[] = {CTL_STRING("--listen", &listen), CTL_STRING("--db", &db),
                                CTL_STRING("--config", &config), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    if (ctl_scan(argc, argv, 1, &spec, NULL, NULL) != CTL_SCAN_OK) {
        fprintf(stderr, "usage: bapas-web [--listen ADDR:PORT] [--db PATH] [--config FILE]\n");
        return 2;
    }
    static cfg cf;
    cfg_defaults(&cf);
    if (config && cfg_load(&cf, config)) {
        fprintf(stderr, "bapas-web: cannot read config file %s\n", config);
        return 2;
    }
    if (cfg_has_fatal(&cf)) {
        fprintf(stderr, "bapas-web: the config has errors that make it unsafe to run\n");
        return 2;
    }
    struct sockaddr_in sa = {.sin_family = AF_INET};
    char host[64];
    const char *colon = strrchr(listen, ':');
    long port = colon ? strtol(colon + 1, NULL, 10) : -1;
    if (!colon || (size_t)(colon - listen) >= sizeof host || port < 0 || port > 65535) {
        fprintf(stderr, "bapas-web: --listen %s is not ADDR:PORT\n", listen);
        return 2;
    }
    snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "bapas-web: --listen %s: %s is not an IPv4 address\n", listen, host);
        return 2;
    }
    sa.sin_port = htons((uint16_t)port);
    if (otime_test_now(&w.fixed_now)) {
        fprintf(stderr, "bapas-web: BAPAS_NOW is not usable here\n");
        return 2;
    }

    store_opts so = {.busy_timeout_ms = cf.busy_timeout_ms, .utc_offset_min = cf.utc_offset_min};
    char err[512];
    const char *path = db ? db : (getenv("BAPAS_DB") ? getenv("BAPAS_DB") : cf.db_path);
    if (store_open(path, &so, &w.st, err, sizeof err)) {
        fprintf(stderr, "bapas-web: cannot open the database: %s\n", err);
        return 1;
    }
    account_ctx_defaults(&w.acct, w.st, "web");
    w.acct.t_cost = (unsigned)cf.hash_iterations;
    w.acct.m_cost_kib = (unsigned)cf.hash_memory_kib;
    w.acct.max_failures = cf.login_failures;
    w.acct.lockout_minutes = cf.lockout_minutes;

    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* before MHD's thread: it inherits the mask */

    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                         on_request, &w, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                         MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
                         (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bapas-web: cannot listen on %s\n", listen);
        store_close(w.st);
        return 1;
    }
    const union MHD_DaemonInfo *bi = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("listening on %s:%u\n", host, bi ? (unsigned)bi->port : (unsigned)port);
    fflush(stdout);
    int sig = 0;
    sigwait(&sigs, &sig);
    MHD_stop_daemon(d);
    store_close(w.st);
    return 0;
}
