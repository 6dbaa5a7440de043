/* notify_probe — a stand-in for the kiosk's main loop, to test the watchdog
 * protocol end to end until bapas-kiosk exists: it talks to $NOTIFY_SOCKET
 * exactly as the kiosk is meant to (see sdnotify.h).
 *
 * usage: notify_probe [--startup-ms N] [--tick-ms N] [--hang-after-ms N]
 *   --startup-ms N     pretend start-up work before READY=1 (default 100)
 *   --tick-ms N        the idle loop's longest wait (default 250)
 *   --hang-after-ms N  stop pinging after N ms and hang (a frozen UI)
 * Runs until SIGTERM or SIGINT, then sends STOPPING=1 and exits 0.
 * The waits are sigtimedwait() on the blocked signals: no signal handler,
 * no global flag.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sdnotify.h"

static long arg_long(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "notify_probe: %s needs a value\n", argv[*i]);
        exit(2);
    }
    char *end;
    long v = strtol(argv[++*i], &end, 10);
    if (*end || v < 0) {
        fprintf(stderr, "notify_probe: bad number %s\n", argv[*i]);
        exit(2);
    }
    return v;
}

/* Wait up to ms for SIGTERM/SIGINT; 1 if one came. */
static int wait_signal(const sigset_t *set, long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    for (;;) {
        int s = sigtimedwait(set, NULL, &ts);
        if (s > 0) return 1;
        if (errno == EAGAIN) return 0;
        if (errno != EINTR) {
            perror("notify_probe: sigtimedwait");
            exit(1);
        }
    }
}

int main(int argc, char **argv)
{
    long startup_ms = 100, tick_ms = 250, hang_after_ms = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--startup-ms"))
            startup_ms = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--tick-ms"))
            tick_ms = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--hang-after-ms"))
            hang_after_ms = arg_long(argc, argv, &i);
        else {
            fprintf(stderr, "usage: notify_probe [--startup-ms N] [--tick-ms N] "
                            "[--hang-after-ms N]\n");
            return 2;
        }
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
        perror("notify_probe: sigprocmask");
        return 1;
    }

    sdnotify n;
    bk_err e = sdnotify_open(&n);
    if (e)
        fprintf(stderr, "notify_probe: NOTIFY_SOCKET/WATCHDOG_USEC unusable (%s)\n",
                bk_err_name(e));
    sdnotify_status(&n, "starting");
    if (wait_signal(&set, startup_ms)) goto stop;
    if (sdnotify_ready(&n)) fprintf(stderr, "notify_probe: READY=1 not sent\n");
    sdnotify_status(&n, "running, watchdog %lld ms",
                    (long long)(sdnotify_watchdog_usec(&n) / 1000));

    int64_t start = sdnotify_now_usec();
    for (;;) {
        if (hang_after_ms >= 0 && sdnotify_now_usec() - start >= hang_after_ms * 1000) {
            /* A frozen UI: no more pings, but still stoppable. */
            if (wait_signal(&set, 3600 * 1000L)) break;
            continue;
        }
        sdnotify_watchdog(&n);
        if (wait_signal(&set, sdnotify_watchdog_due_ms(&n, (int)tick_ms))) break;
    }
stop:
    sdnotify_stopping(&n);
    sdnotify_close(&n);
    return 0;
}
