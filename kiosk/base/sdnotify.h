/* sdnotify.h — tell systemd how the service is doing (the sd_notify protocol),
 * without linking libsystemd.
 *
 * Under a unit with Type=notify, systemd puts a datagram socket's address in
 * $NOTIFY_SOCKET (a path, or "@name" for an abstract socket) and, with
 * WatchdogSec=, the interval in $WATCHDOG_USEC (and $WATCHDOG_PID). The
 * service sends "READY=1" once it is up, "WATCHDOG=1" regularly from its main
 * loop (so a hung loop gets the service killed and restarted), "STATUS=..."
 * for `systemctl status`, and "STOPPING=1" when it shuts down.
 *
 * Outside systemd ($NOTIFY_SOCKET unset) every call is a cheap no-op that
 * returns BK_OK, so callers never need to special-case it.
 *
 * Usage from a main loop:
 *
 *     sdnotify n;
 *     sdnotify_open(&n);                     // once, at start
 *     ... load config, open database, create window ...
 *     sdnotify_ready(&n);
 *     while (running) {
 *         int wait = sdnotify_watchdog_due_ms(&n, 250);  // never sleep past a ping
 *         SDL_WaitEventTimeout(&ev, wait);
 *         ...
 *         sdnotify_watchdog(&n);             // sends at most once per WATCHDOG_USEC/2
 *     }
 *     sdnotify_stopping(&n);
 *     sdnotify_close(&n);
 *
 * The struct is owned by the caller (no globals, no allocation). Not
 * thread-safe: use it from one thread (the main loop). Sends never block
 * (MSG_DONTWAIT): a full socket queue is reported as BK_ERR_IO and the next
 * sdnotify_watchdog() call tries again.
 */
#ifndef BK_SDNOTIFY_H
#define BK_SDNOTIFY_H

#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "bkerr.h"

typedef struct sdnotify {
    int fd;                  /* datagram socket; -1 = not under systemd */
    struct sockaddr_un addr; /* where $NOTIFY_SOCKET points */
    socklen_t addrlen;
    int64_t watchdog_usec;  /* $WATCHDOG_USEC for this process; 0 = no watchdog */
    int64_t last_ping_usec; /* monotonic time of the last WATCHDOG=1 sent; -1 = never */
} sdnotify;

/* Read $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID and open the socket.
 * Always leaves *n usable (closed when not under systemd). Returns BK_OK when
 * $NOTIFY_SOCKET is unset (n stays inactive); BK_ERR_INVALID when it is set
 * but unusable (relative path, too long, unsupported "vsock:" form) or
 * $WATCHDOG_USEC is malformed; BK_ERR_IO when the socket cannot be created.
 * The watchdog is off when $WATCHDOG_PID names another process. */
bk_err sdnotify_open(sdnotify *n);

/* Close the socket (safe to call twice, or on an inactive n). */
void sdnotify_close(sdnotify *n);

/* 1 when $NOTIFY_SOCKET was usable. */
int sdnotify_active(const sdnotify *n);

/* The watchdog interval in microseconds; 0 when there is no watchdog. */
int64_t sdnotify_watchdog_usec(const sdnotify *n);

/* Send one raw message, e.g. "READY=1\nSTATUS=Up" (newline-separated
 * assignments). BK_ERR_IO if the send failed; BK_OK on an inactive n. */
bk_err sdnotify_send(sdnotify *n, const char *msg);

/* "READY=1": startup finished (config read, database open, window shown). */
bk_err sdnotify_ready(sdnotify *n);

/* "STOPPING=1": shutdown began. */
bk_err sdnotify_stopping(sdnotify *n);

/* "STATUS=<text>": one line shown by `systemctl status` (printf-style; a
 * newline in the text is replaced by a space; truncated at 200 bytes). No
 * client names or birth dates here: it ends up in logs. */
bk_err sdnotify_status(sdnotify *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "WATCHDOG=1", rate-limited: sent only when no ping was sent yet or at
 * least half the watchdog interval has passed since the last one (by
 * CLOCK_MONOTONIC). Call it on every loop iteration. A no-op without a
 * watchdog. A failed send does not count as a ping (the next call retries). */
bk_err sdnotify_watchdog(sdnotify *n);

/* The same with an explicit monotonic time in microseconds (for tests);
 * *sent (if not NULL) is set to 1 when a datagram went out, else 0. */
bk_err sdnotify_watchdog_at(sdnotify *n, int64_t now_usec, int *sent);

/* How long the main loop may wait before the next ping is due, in ms:
 * min(max_ms, time until half the interval has passed since the last ping),
 * at least 0. Returns max_ms without a watchdog. */
int sdnotify_watchdog_due_ms(const sdnotify *n, int max_ms);
int sdnotify_watchdog_due_ms_at(const sdnotify *n, int64_t now_usec, int max_ms);

/* CLOCK_MONOTONIC in microseconds (the clock sdnotify_watchdog uses):
 * otime_mono_us() (otime.h) under this module's name. */
int64_t sdnotify_now_usec(void);

#endif
