/* bapas-web — the office server (issue 14): the thin main of kiosk/web
 * (web.h; its API contract is kiosk/web/web.md).
 *
 * usage: bapas-web [--listen ADDR:PORT] [--db PATH] [--config FILE]
 *   --listen: IPv4 address and port (default [web] listen, else
 *   127.0.0.1:8080; port 0 = any free port). Prints "listening on
 *   ADDR:PORT" (and " (https)") on stdout once it accepts connections.
 *   SIGINT/SIGTERM stop it. Under systemd (Type=notify) it says READY=1 and
 *   pings the watchdog while the server is healthy (web_healthy).
 * Exit: 0 stopped by a signal, 1 cannot open the database or listen,
 * 2 bad usage or config.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "ctl_opt.h"
#include "otime.h"
#include "sdnotify.h"
#include "web.h"

int main(int argc, char **argv)
{
    const char *listen = NULL, *db = NULL, *config = NULL;
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
    for (int i = 0; i < cf.n_issues; i++) {
        char line[512];
        cfg_issue_text(&cf, i, line, sizeof line);
        fprintf(stderr, "bapas-web: %s\n", line);
    }
    if (cfg_has_fatal(&cf)) {
        fprintf(stderr, "bapas-web: the config has errors that make it unsafe to run\n");
        return 2;
    }
    web_opts o = {.cf = &cf};
    if (!listen) listen = cf.web_listen;
    if (web_parse_listen(listen, &o.addr)) {
        fprintf(stderr, "bapas-web: --listen %s is not IPv4-ADDRESS:PORT\n", listen);
        return 2;
    }
    if (otime_test_now(&o.fixed_now)) {
        fprintf(stderr, "bapas-web: BAPAS_NOW is not usable here\n");
        return 2;
    }
    o.db = db ? db : (getenv("BAPAS_DB") ? getenv("BAPAS_DB") : cf.db_path);

    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* before any thread: they inherit the mask */
    signal(SIGPIPE, SIG_IGN);

    char err[512];
    web_server *w = NULL;
    if (web_start(&o, &w, err, sizeof err)) {
        fprintf(stderr, "bapas-web: %s\n", err);
        return 1;
    }
    char host[INET_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET, &o.addr.sin_addr, host, sizeof host);
    printf("listening on %s:%u%s\n", host, web_port(w), web_tls(w) ? " (https)" : "");
    fflush(stdout);

    sdnotify n;
    sdnotify_open(&n);
    sdnotify_ready(&n);
    sdnotify_status(&n, "listening on %s:%u", host, web_port(w));
    for (;;) {
        int ms = sdnotify_watchdog_due_ms(&n, 1000);
        struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
        int sig = sigtimedwait(&sigs, NULL, &ts);
        if (sig == SIGINT || sig == SIGTERM) break;
        if (sdnotify_active(&n) && web_healthy(w)) sdnotify_watchdog(&n);
    }
    sdnotify_stopping(&n);
    web_stop(w);
    sdnotify_close(&n);
    return 0;
}
