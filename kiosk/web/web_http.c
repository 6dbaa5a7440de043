/* web_http.c — the office server's HTTP side: libmicrohttpd's daemon, the
 * request body, the answers, and web_start/web_stop (web.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "otime.h"
#include "web_priv.h"

int64_t web_now(const web_server *w)
{
    return w->fixed_now ? w->fixed_now : otime_now();
}

void web_ok(web_call *c, json_t *j)
{
    json_decref(c->out);
    c->status = MHD_HTTP_OK;
    c->out = j;
}

void web_fail(web_call *c, unsigned status, const char *code, const char *message)
{
    json_decref(c->out);
    c->status = status;
    c->out = json_pack("{s:s, s:s}", "error", code, "message", message);
}

void web_fail_err(web_call *c, bk_err e, const char *what)
{
    char msg[300];
    switch (e) {
    case BK_ERR_INVALID:
        snprintf(msg, sizeof msg, "%s: invalid input", what);
        web_fail(c, MHD_HTTP_BAD_REQUEST, "invalid", msg);
        return;
    case BK_ERR_NOT_FOUND:
        snprintf(msg, sizeof msg, "%s: not found", what);
        web_fail(c, MHD_HTTP_NOT_FOUND, "not_found", msg);
        return;
    case BK_ERR_STATE:
        snprintf(msg, sizeof msg, "%s: the ticket is not in a state that allows this", what);
        web_fail(c, MHD_HTTP_CONFLICT, "state", msg);
        return;
    case BK_ERR_EXISTS:
        snprintf(msg, sizeof msg, "%s: already exists", what);
        web_fail(c, MHD_HTTP_CONFLICT, "exists", msg);
        return;
    case BK_ERR_BUSY:
        snprintf(msg, sizeof msg, "%s: the database is busy; try again", what);
        web_fail(c, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", msg);
        return;
    case BK_ERR_IO:
        snprintf(msg, sizeof msg,
                 "%s: the database connection was lost; it may or may not have been saved: "
                 "read the queue again before repeating it",
                 what);
        web_fail(c, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", msg);
        return;
    case BK_ERR_DENIED:
        snprintf(msg, sizeof msg, "%s: the server's database login may not do this", what);
        web_fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", msg);
        return;
    default:
        snprintf(msg, sizeof msg, "%s failed: %s", what, bk_err_name(e));
        web_fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", msg);
        return;
    }
}

static void common_headers(web_server *w, struct MHD_Response *r)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    if (w->tls) MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result send_call(web_call *c)
{
    if (c->resp) {
        common_headers(c->w, c->resp);
        enum MHD_Result rc = MHD_queue_response(c->conn, MHD_HTTP_OK, c->resp);
        MHD_destroy_response(c->resp);
        c->resp = NULL;
        return rc;
    }
    char *text = c->raw;
    size_t len = c->raw_len;
    const char *type = c->raw_type;
    c->raw = NULL;
    if (!text) {
        text = c->out ? json_dumps(c->out, JSON_COMPACT) : NULL;
        len = text ? strlen(text) : 0;
        type = "application/json; charset=utf-8";
        if (!text) {
            static const char oom[] = "{\"error\":\"internal\",\"message\":\"out of memory\"}";
            text = strdup(oom);
            c->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
            if (!text) return MHD_NO;
            len = strlen(text);
        }
    }
    json_decref(c->out);
    c->out = NULL;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    common_headers(c->w, r);
    if (c->cookie) MHD_add_response_header(r, "Set-Cookie", c->cookie);
    enum MHD_Result rc = MHD_queue_response(c->conn, c->status ? c->status : 500, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    web_server *w = cls;
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
    web_call c = {.w = w, .conn = conn, .url = url, .method = method, .rq = rq};
    if (rq->too_big)
        web_fail(&c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
                 "the request body is over 4096 bytes");
    else if (strncmp(url, "/api/", 5) != 0 && strcmp(url, "/api") != 0)
        web_static(&c);
    else if (strcmp(url, "/api/login") == 0)
        web_login(&c);
    else {
        pthread_mutex_lock(&w->mu);
        web_api(&c);
        pthread_mutex_unlock(&w->mu);
    }
    json_decref(c.body);
    return send_call(&c);
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

bk_err web_parse_listen(const char *s, struct sockaddr_in *out)
{
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    const char *colon = strrchr(s, ':');
    char host[64];
    if (!colon || (size_t)(colon - s) >= sizeof host || !colon[1]) return BK_ERR_INVALID;
    char *end = NULL;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || *end || port < 0 || port > 65535) return BK_ERR_INVALID;
    snprintf(host, sizeof host, "%.*s", (int)(colon - s), s);
    if (inet_pton(AF_INET, host, &out->sin_addr) != 1) return BK_ERR_INVALID;
    out->sin_port = htons((uint16_t)port);
    return BK_OK;
}

/* A whole small file into a new NUL-terminated buffer. */
static char *read_file(const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsz, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    if (buf) n = fread(buf, 1, cap, f);
    int bad = !buf || ferror(f) || !feof(f) || n == cap;
    fclose(f);
    if (bad) {
        snprintf(err, errsz, "cannot read %s (or it is over 64 KiB)", path);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

static bk_err open_store(web_server *w, store **st, char *err, size_t errsz)
{
    store_opts so = {.busy_timeout_ms = w->cf.busy_timeout_ms,
                     .utc_offset_min = w->cf.utc_offset_min};
    char e2[400];
    bk_err e = store_open(w->db, &so, st, e2, sizeof e2);
    if (e) snprintf(err, errsz, "cannot open the database: %s", e2);
    return e;
}

bk_err web_start(const web_opts *o, web_server **out, char *err, size_t errsz)
{
    *out = NULL;
    web_server *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errsz, "out of memory");
        return BK_ERR_NOMEM;
    }
    w->cf = *o->cf;
    w->fixed_now = o->fixed_now;
    w->idle_s = (int64_t)w->cf.web_idle_hours * 3600;
    w->wake[0] = w->wake[1] = -1;
    snprintf(w->db, sizeof w->db, "%s", o->db);
    snprintf(w->static_dir, sizeof w->static_dir, "%s", w->cf.web_static_dir);
    pthread_mutex_init(&w->mu, NULL);
    pthread_mutex_init(&w->login_mu, NULL);
    pthread_mutex_init(&w->ev_mu, NULL);
    bk_err e = BK_OK;
    if (!!w->cf.web_tls_cert[0] != !!w->cf.web_tls_key[0]) {
        snprintf(err, errsz, "[web] tls_cert and tls_key go together: set both or neither");
        e = BK_ERR_INVALID;
        goto fail;
    }
    if (w->cf.web_tls_cert[0]) {
        if (!(w->tls_cert = read_file(w->cf.web_tls_cert, err, errsz)) ||
            !(w->tls_key = read_file(w->cf.web_tls_key, err, errsz))) {
            e = BK_ERR_IO;
            goto fail;
        }
        w->tls = 1;
    }
    if ((e = open_store(w, &w->st, err, errsz)) || (e = open_store(w, &w->login_st, err, errsz)))
        goto fail;
    w->q = (queue_ctx){.st = w->st,
                       .utc_offset_min = w->cf.utc_offset_min,
                       .lockout_limit = w->cf.lockout_limit,
                       .default_service_min = w->cf.default_service_minutes,
                       .actor = w->actor,
                       .fixed_now = w->fixed_now,
                       .working_days = w->cf.working_days};
    account_ctx_defaults(&w->acct, w->login_st, "web");
    w->acct.t_cost = (unsigned)w->cf.hash_iterations;
    w->acct.m_cost_kib = (unsigned)w->cf.hash_memory_kib;
    w->acct.max_failures = w->cf.login_failures;
    w->acct.lockout_minutes = w->cf.lockout_minutes;
    if ((e = web_events_start(w, err, errsz))) goto fail;

    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (w->tls) flags |= MHD_USE_TLS;
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_KEY, 0, w->tls_key},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, w->tls_cert},
        {MHD_OPTION_END, 0, NULL},
    };
    struct sockaddr_in sa = o->addr;
    w->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, w, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)WEB_THREADS, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_CONNECTIONS, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)0, MHD_OPTION_ARRAY, w->tls ? tls_opts : tls_opts + 2, MHD_OPTION_END);
    if (!w->d) {
        char a[INET_ADDRSTRLEN] = "?";
        inet_ntop(AF_INET, &sa.sin_addr, a, sizeof a);
        snprintf(err, errsz, "cannot listen on %s:%u%s", a, (unsigned)ntohs(sa.sin_port),
                 w->tls ? " (or the TLS certificate and key are not usable)" : "");
        e = BK_ERR_IO;
        goto fail;
    }
    const union MHD_DaemonInfo *bi = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
    w->port = bi ? (unsigned)bi->port : (unsigned)ntohs(sa.sin_port);
    *out = w;
    return BK_OK;
fail:
    web_stop(w);
    return e;
}

unsigned web_port(const web_server *w)
{
    return w->port;
}

int web_tls(const web_server *w)
{
    return w->tls;
}

int web_healthy(web_server *w)
{
    /* The live thread looped in the last 10 s and no request holds the API
     * for more than 5 s: the watchdog's "alive". */
    int64_t beat = web_events_beat(w);
    if (otime_mono_ms() - beat > 10000) return 0;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    if (pthread_mutex_timedlock(&w->mu, &until)) return 0;
    pthread_mutex_unlock(&w->mu);
    return 1;
}

void web_stop(web_server *w)
{
    if (!w) return;
    if (w->d) MHD_quiesce_daemon(w->d);
    web_events_stop(w); /* ends the streams, resumes them, joins the live thread */
    if (w->d) MHD_stop_daemon(w->d);
    store_close(w->st);
    store_close(w->login_st);
    pthread_mutex_destroy(&w->mu);
    pthread_mutex_destroy(&w->login_mu);
    pthread_mutex_destroy(&w->ev_mu);
    free(w->tls_cert);
    free(w->tls_key);
    free(w);
}
