#include "sdnotify.h"
#include "otime.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STATUS_MAX 200

/* Strict unsigned decimal (no sign, no spaces, no overflow). */
static int parse_u64(const char *s, int64_t *out)
{
    if (!s || !*s) return 0;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return 0;
        if (v > (INT64_MAX - (*p - '0')) / 10) return 0;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return 1;
}

int64_t sdnotify_now_usec(void)
{
    return otime_mono_us();
}

bk_err sdnotify_open(sdnotify *n)
{
    memset(n, 0, sizeof *n);
    n->fd = -1;
    n->last_ping_usec = -1;

    const char *e = getenv("NOTIFY_SOCKET");
    if (!e || !*e) return BK_OK;
    size_t len = strlen(e);
    if (e[0] == '/') {
        if (len >= sizeof n->addr.sun_path) return BK_ERR_INVALID;
        memcpy(n->addr.sun_path, e, len + 1);
        n->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
    } else if (e[0] == '@') {
        /* Abstract namespace: a leading NUL, the name, no terminator. */
        if (len > sizeof n->addr.sun_path || len < 2) return BK_ERR_INVALID;
        n->addr.sun_path[0] = 0;
        memcpy(n->addr.sun_path + 1, e + 1, len - 1);
        n->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    } else {
        return BK_ERR_INVALID; /* relative path or vsock: (not used by Debian 12's systemd) */
    }
    n->addr.sun_family = AF_UNIX;

    bk_err rc = BK_OK;
    const char *wu = getenv("WATCHDOG_USEC");
    if (wu && *wu) {
        int64_t usec;
        if (parse_u64(wu, &usec) && usec > 0) {
            n->watchdog_usec = usec;
        } else {
            rc = BK_ERR_INVALID;
        }
        const char *wp = getenv("WATCHDOG_PID");
        int64_t pid;
        if (wp && *wp) {
            if (!parse_u64(wp, &pid)) {
                n->watchdog_usec = 0;
                rc = BK_ERR_INVALID;
            } else if (pid != (int64_t)getpid()) {
                n->watchdog_usec = 0; /* meant for another process */
            }
        }
    }

    n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (n->fd < 0) {
        n->watchdog_usec = 0;
        return BK_ERR_IO;
    }
    return rc;
}

void sdnotify_close(sdnotify *n)
{
    if (n->fd >= 0) close(n->fd);
    n->fd = -1;
    n->watchdog_usec = 0;
}

int sdnotify_active(const sdnotify *n)
{
    return n->fd >= 0;
}

int64_t sdnotify_watchdog_usec(const sdnotify *n)
{
    return n->fd >= 0 ? n->watchdog_usec : 0;
}

bk_err sdnotify_send(sdnotify *n, const char *msg)
{
    if (n->fd < 0) return BK_OK;
    size_t len = strlen(msg);
    for (;;) {
        ssize_t w = sendto(n->fd, msg, len, MSG_NOSIGNAL | MSG_DONTWAIT,
                           (const struct sockaddr *)&n->addr, n->addrlen);
        if (w >= 0) return (size_t)w == len ? BK_OK : BK_ERR_IO;
        if (errno != EINTR) return BK_ERR_IO;
    }
}

bk_err sdnotify_ready(sdnotify *n)
{
    return sdnotify_send(n, "READY=1");
}

bk_err sdnotify_stopping(sdnotify *n)
{
    return sdnotify_send(n, "STOPPING=1");
}

bk_err sdnotify_status(sdnotify *n, const char *fmt, ...)
{
    if (n->fd < 0) return BK_OK;
    char buf[sizeof "STATUS=" + STATUS_MAX];
    memcpy(buf, "STATUS=", 7);
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf + 7, STATUS_MAX + 1, fmt, ap);
    va_end(ap);
    if (r < 0) return BK_ERR_INVALID;
    size_t len = strlen(buf);
    if ((size_t)r > STATUS_MAX) {
        /* Drop a UTF-8 character the cut left incomplete. */
        size_t k = len - 1;
        while (k > 7 && ((unsigned char)buf[k] & 0xC0) == 0x80)
            k--;
        unsigned char lead = (unsigned char)buf[k];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (len - k < need) len = k;
        buf[len] = 0;
    }
    for (size_t i = 7; i < len; i++)
        if (buf[i] == '\n' || buf[i] == '\r') buf[i] = ' ';
    return sdnotify_send(n, buf);
}

bk_err sdnotify_watchdog_at(sdnotify *n, int64_t now_usec, int *sent)
{
    if (sent) *sent = 0;
    if (n->fd < 0 || n->watchdog_usec <= 0) return BK_OK;
    if (n->last_ping_usec >= 0 && now_usec - n->last_ping_usec < n->watchdog_usec / 2) return BK_OK;
    bk_err e = sdnotify_send(n, "WATCHDOG=1");
    if (e) return e;
    n->last_ping_usec = now_usec;
    if (sent) *sent = 1;
    return BK_OK;
}

bk_err sdnotify_watchdog(sdnotify *n)
{
    if (n->fd < 0 || n->watchdog_usec <= 0) return BK_OK;
    return sdnotify_watchdog_at(n, sdnotify_now_usec(), NULL);
}

int sdnotify_watchdog_due_ms_at(const sdnotify *n, int64_t now_usec, int max_ms)
{
    if (max_ms < 0) max_ms = 0;
    if (n->fd < 0 || n->watchdog_usec <= 0) return max_ms;
    if (n->last_ping_usec < 0) return 0;
    int64_t left = n->last_ping_usec + n->watchdog_usec / 2 - now_usec;
    if (left <= 0) return 0;
    int64_t ms = (left + 999) / 1000;
    return ms < max_ms ? (int)ms : max_ms;
}

int sdnotify_watchdog_due_ms(const sdnotify *n, int max_ms)
{
    if (n->fd < 0 || n->watchdog_usec <= 0) return max_ms < 0 ? 0 : max_ms;
    return sdnotify_watchdog_due_ms_at(n, sdnotify_now_usec(), max_ms);
}
