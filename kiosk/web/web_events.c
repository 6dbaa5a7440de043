/* web_events.c — GET /api/events: Server-Sent Events woken by the store's
 * change detection (core/live.h: LISTEN/NOTIFY on PostgreSQL; on SQLite
 * PRAGMA data_version, looked at every 100 ms and at once when inotify says
 * the -wal file was written).
 *
 * The live thread owns its own store connection. Every change it sees bumps
 * w->ev_seq; every WEB_KEEPALIVE_S it bumps w->ka_seq; when the database
 * stops or starts answering it bumps w->status_seq. Each bump resumes every
 * suspended stream. A stream's reader (run by libmicrohttpd's thread) writes
 * what its stream has not seen yet, or suspends the connection when there is
 * nothing, so an idle stream costs no thread and no polling. A stream ends
 * when its session ends (logout, expiry) or the server stops.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backoff.h"
#include "live.h"
#include "otime.h"
#include "web_priv.h"

struct web_sse {
    web_server *w;
    struct MHD_Connection *conn;
    char sid[WEB_ID_HEX + 1];
    int hello, suspended;
    int64_t ev, ka, status;
    web_sse *next;
};

int64_t web_events_beat(web_server *w)
{
    pthread_mutex_lock(&w->ev_mu);
    int64_t b = w->beat;
    pthread_mutex_unlock(&w->ev_mu);
    return b;
}

/* Under ev_mu. */
static void resume_all(web_server *w)
{
    for (web_sse *x = w->streams; x; x = x->next)
        if (x->suspended) {
            x->suspended = 0;
            MHD_resume_connection(x->conn);
        }
}

void web_events_kick(web_server *w)
{
    pthread_mutex_lock(&w->ev_mu);
    resume_all(w);
    pthread_mutex_unlock(&w->ev_mu);
}

static void bump(web_server *w, int64_t *seq)
{
    pthread_mutex_lock(&w->ev_mu);
    (*seq)++;
    resume_all(w);
    pthread_mutex_unlock(&w->ev_mu);
}

static void set_health(web_server *w, int healthy)
{
    pthread_mutex_lock(&w->ev_mu);
    if (w->healthy != healthy) {
        w->healthy = healthy;
        w->status_seq++;
        resume_all(w);
    }
    pthread_mutex_unlock(&w->ev_mu);
}

/* live_src's sleep between two looks at the data version: the stop pipe
 * ends it (work: stop waiting); on SQLite a write to the -wal file
 * (inotify) ends it early without work, so the next look comes at once,
 * and once more 5 ms later, for a commit whose WAL write came a moment
 * before its wal-index header. */
typedef struct live_wake {
    web_server *w;
    int ino;     /* inotify descriptor, -1 = none */
    int recheck; /* look again within 5 ms */
} live_wake;

static int live_sleep(void *ud, int ms)
{
    live_wake *k = ud;
    struct pollfd p[2] = {{.fd = k->w->wake[0], .events = POLLIN},
                          {.fd = k->ino, .events = POLLIN}};
    if (k->recheck && ms > 5) ms = 5;
    k->recheck = 0;
    if (poll(p, k->ino >= 0 ? 2 : 1, ms) <= 0) return 0;
    if (p[0].revents) return 1;
    char buf[4096];
    while (read(k->ino, buf, sizeof buf) > 0) {
    }
    k->recheck = 1;
    return 0;
}

/* An inotify descriptor watching the SQLite file's -wal for writes, or -1
 * (a server, or inotify not available: the 100 ms polling stays). */
static int wal_watch(const web_server *w)
{
    if (store_target_is_server(w->db)) return -1;
    char wal[CFG_PATH_SZ + 8];
    snprintf(wal, sizeof wal, "%s-wal", w->db);
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return -1;
    if (inotify_add_watch(fd, wal, IN_MODIFY) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int stopping(web_server *w)
{
    pthread_mutex_lock(&w->ev_mu);
    int s = w->stopping;
    pthread_mutex_unlock(&w->ev_mu);
    return s;
}

static void *live_main(void *arg)
{
    web_server *w = arg;
    store *st = NULL;
    live_src l;
    backoff bo;
    backoff_init(&bo, 500, 12000, backoff_seed());
    int64_t last_ka = otime_mono_ms(), retry_at = 0;
    live_wake wk = {w, -1, 0};
    while (!stopping(w)) {
        int64_t now = otime_mono_ms();
        pthread_mutex_lock(&w->ev_mu);
        w->beat = now;
        pthread_mutex_unlock(&w->ev_mu);
        if (now - last_ka >= WEB_KEEPALIVE_S * 1000) {
            last_ka = now;
            bump(w, &w->ka_seq);
        }
        if (!st) {
            if (now < retry_at) {
                live_sleep(w, (int)(retry_at - now < 1000 ? retry_at - now : 1000));
                continue;
            }
            store_opts so = {.busy_timeout_ms = w->cf.busy_timeout_ms,
                             .utc_offset_min = w->cf.utc_offset_min};
            if (store_open(w->db, &so, &st, NULL, 0)) {
                st = NULL;
                set_health(w, 0);
                retry_at = now + backoff_next(&bo);
                continue;
            }
            live_init(&l, st, 0);
            l.sleep = live_sleep;
            l.sleep_ud = &wk;
            l.wake_fd = w->wake[0];
            if (wk.ino < 0) wk.ino = wal_watch(w); /* the -wal exists once a connection is open */
        }
        int changed = 0;
        bk_err e = live_wait(&l, 1000, &changed);
        if (e) {
            store_close(st);
            st = NULL;
            if (wk.ino >= 0) close(wk.ino);
            wk.ino = -1;
            set_health(w, 0);
            retry_at = otime_mono_ms() + backoff_next(&bo);
            continue;
        }
        if (!w->healthy) {
            backoff_reset(&bo);
            set_health(w, 1); /* after a reconnect everything is re-read: say changed */
            changed = 1;
        }
        if (changed) bump(w, &w->ev_seq);
    }
    if (wk.ino >= 0) close(wk.ino);
    store_close(st);
    return NULL;
}

bk_err web_events_start(web_server *w, char *err, size_t errsz)
{
    if (pipe2(w->wake, O_CLOEXEC | O_NONBLOCK)) {
        snprintf(err, errsz, "cannot make a pipe");
        w->wake[0] = w->wake[1] = -1;
        return BK_ERR_IO;
    }
    w->beat = otime_mono_ms();
    w->healthy = 1;
    if (pthread_create(&w->live, NULL, live_main, w)) {
        snprintf(err, errsz, "cannot start the live thread");
        return BK_ERR_IO;
    }
    w->live_started = 1;
    return BK_OK;
}

void web_events_stop(web_server *w)
{
    pthread_mutex_lock(&w->ev_mu);
    w->stopping = 1;
    resume_all(w);
    pthread_mutex_unlock(&w->ev_mu);
    if (w->wake[1] >= 0) {
        ssize_t n = write(w->wake[1], "x", 1);
        (void)n;
    }
    if (w->live_started) pthread_join(w->live, NULL);
    w->live_started = 0;
    if (w->wake[0] >= 0) close(w->wake[0]);
    if (w->wake[1] >= 0) close(w->wake[1]);
    w->wake[0] = w->wake[1] = -1;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    web_sse *x = cls;
    web_server *w = x->w;
    /* the session first (mu before ev_mu is never held the other way) */
    pthread_mutex_lock(&w->mu);
    int live = web_session_live(w, x->sid);
    pthread_mutex_unlock(&w->mu);
    pthread_mutex_lock(&w->ev_mu);
    ssize_t n = 0;
    if (w->stopping || !live) {
        pthread_mutex_unlock(&w->ev_mu);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    int wrote;
    if (!x->hello) {
        wrote =
            snprintf(buf, max, "retry: 2000\nevent: hello\ndata: {\"seq\":%lld,\"db\":\"%s\"}\n\n",
                     (long long)w->ev_seq, w->healthy ? "ok" : "unavailable");
        x->hello = 1;
        x->ev = w->ev_seq;
        x->ka = w->ka_seq;
        x->status = w->status_seq;
    } else if (x->status != w->status_seq) {
        x->status = w->status_seq;
        wrote = snprintf(buf, max, "event: status\ndata: {\"db\":\"%s\"}\n\n",
                         w->healthy ? "ok" : "unavailable");
    } else if (x->ev != w->ev_seq) {
        x->ev = w->ev_seq;
        x->ka = w->ka_seq;
        wrote = snprintf(buf, max, "event: change\ndata: {\"seq\":%lld}\n\n", (long long)x->ev);
    } else if (x->ka != w->ka_seq) {
        x->ka = w->ka_seq;
        wrote = snprintf(buf, max, ": keep-alive\n\n");
    } else {
        x->suspended = 1;
        MHD_suspend_connection(x->conn);
        wrote = 0;
    }
    n = wrote > 0 && (size_t)wrote < max ? wrote : 0;
    pthread_mutex_unlock(&w->ev_mu);
    return n;
}

static void sse_free(void *cls)
{
    web_sse *x = cls;
    web_server *w = x->w;
    pthread_mutex_lock(&w->ev_mu);
    for (web_sse **p = &w->streams; *p; p = &(*p)->next)
        if (*p == x) {
            *p = x->next;
            break;
        }
    pthread_mutex_unlock(&w->ev_mu);
    free(x);
}

struct MHD_Response *web_events_response(web_server *w, const web_session *s,
                                         struct MHD_Connection *conn)
{
    web_sse *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->w = w;
    x->conn = conn;
    snprintf(x->sid, sizeof x->sid, "%s", s->id);
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, sse_read, x, sse_free);
    if (!r) {
        free(x);
        return NULL;
    }
    MHD_add_response_header(r, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    pthread_mutex_lock(&w->ev_mu);
    x->next = w->streams;
    w->streams = x;
    pthread_mutex_unlock(&w->ev_mu);
    return r;
}
