/* printer_probe.c — is the configured printer there? (printer_probe.h) */
#include "printer_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "printer.h"

/* Connect to host:port within timeout_ms. 0 = connected; else -1 and why. */
static int tcp_probe(const char *host, const char *port, int timeout_ms, char *why, size_t whysz)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        snprintf(why, whysz, "unknown host %.120s (%s)", host, gai_strerror(gai));
        return -1;
    }
    int rc = -1;
    snprintf(why, whysz, "no address");
    for (struct addrinfo *ai = res; ai && rc != 0; ai = ai->ai_next) {
        int fd =
            socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            snprintf(why, whysz, "socket: %s", strerror(errno));
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            rc = 0;
        } else if (errno == EINPROGRESS) {
            struct pollfd pfd = {.fd = fd, .events = POLLOUT};
            int pr;
            do
                pr = poll(&pfd, 1, timeout_ms);
            while (pr < 0 && errno == EINTR);
            if (pr == 0) {
                snprintf(why, whysz, "no answer within %d ms", timeout_ms);
            } else if (pr < 0) {
                snprintf(why, whysz, "poll: %s", strerror(errno));
            } else {
                int soerr = 0;
                socklen_t sl = sizeof soerr;
                if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
                    rc = 0;
                else
                    snprintf(why, whysz, "%s", strerror(soerr ? soerr : errno));
            }
        } else {
            snprintf(why, whysz, "%s", strerror(errno));
        }
        close(fd);
    }
    freeaddrinfo(res);
    return rc;
}

static void check_device(probe_report *r, const char *path)
{
    const probe_user *u = &r->user;
    struct stat st;
    if (stat(path, &st) != 0) {
        probe_item *it = probe_add(r, "printer", PROBE_FAIL, "%s: %s", path, strerror(errno));
        probe_detail(it, "is the printer switched on and its USB cable plugged in? "
                         "(ls /dev/usb/ lists the printers found)");
        return;
    }
    int is_file = S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode);
    if (!is_file && !S_ISCHR(st.st_mode)) {
        probe_add(r, "printer", PROBE_FAIL, "%s is not a printer device", path);
        return;
    }
    if (u->exists && !probe_user_may(u, &st, 2)) {
        struct group *g = getgrgid(st.st_gid);
        probe_item *it = probe_add(r, "printer", PROBE_FAIL, "the kiosk's user %s cannot write %s",
                                   u->name, path);
        probe_detail(it, "fix: sudo adduser %s %s, then sudo systemctl restart bapas-kiosk",
                     u->name, g ? g->gr_name : "lp");
        return;
    }
    /* Open and close it without writing anything (O_NONBLOCK: a FIFO without
     * a reader or a busy device must not hang the doctor). */
    int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == EACCES && u->exists) {
            probe_add(r, "printer", PROBE_OK, "%s: writable by %s (not opened: this user may not)",
                      path, u->name);
        } else if (err == EBUSY) {
            probe_add(r, "printer", PROBE_WARN, "%s is busy (printing right now?)", path);
        } else if (err == ENXIO && S_ISFIFO(st.st_mode)) {
            probe_add(r, "printer", PROBE_WARN, "%s is a pipe with no reader", path);
        } else {
            probe_item *it = probe_add(r, "printer", PROBE_FAIL, "%s: %s", path, strerror(err));
            if (err == EACCES)
                probe_detail(it, "fix: sudo adduser %s lp", u->name);
            else
                probe_detail(it, "is the printer switched on and its USB cable plugged in?");
        }
        return;
    }
    close(fd);
    if (is_file)
        probe_add(r, "printer", PROBE_WARN, "%s is a file, not a printer (fine for tests)", path);
    else
        probe_add(r, "printer", PROBE_OK, "%s is there and writable", path);
}

static void check_cups(probe_report *r, const char *queue)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", PRINTER_PROBE_CUPS_SOCKET);
    int ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    int err = errno;
    if (fd >= 0) close(fd);
    if (ok) {
        probe_add(r, "printer", PROBE_OK,
                  "CUPS is running (queue \"%s\" not checked: lpstat -p %s)", queue, queue);
    } else {
        probe_item *it = probe_add(r, "printer", PROBE_FAIL, "CUPS is not running (%s: %s)",
                                   PRINTER_PROBE_CUPS_SOCKET, strerror(err));
        probe_detail(it, "fix: sudo apt install cups, then add the queue \"%s\"", queue);
    }
}

static void check_network(probe_report *r, const printer_target *t, int timeout_ms)
{
    char why[256];
    int timeout = timeout_ms > 0 ? timeout_ms : 3000;
    if (tcp_probe(t->host, t->port, timeout, why, sizeof why) == 0) {
        probe_add(r, "printer", PROBE_OK, "network printer %s answers", t->spec);
    } else {
        probe_item *it =
            probe_add(r, "printer", PROBE_FAIL, "network printer %s: %s", t->spec, why);
        probe_detail(it, "is it switched on, on the network, and is the address right? "
                         "(its self-test page shows the address)");
    }
}

void printer_probe(probe_report *r, const char *target, int timeout_ms)
{
    if (!probe_wanted(r, "printer")) return;
    printer_target t;
    const char *why = NULL;
    if (printer_target_parse(target, &t, &why) != BK_OK) {
        probe_item *it = probe_add(r, "printer", PROBE_FAIL,
                                   "[printer] target \"%s\" is not a printer target: %s", target,
                                   why ? why : "unknown target");
        probe_detail(it, "accepted: %s", PRINTER_TARGET_FORMS);
        probe_detail(
            it, "fix: set [printer] target in the config, then check with bapasctl print-test");
        return;
    }
    switch (t.kind) {
    case PRINTER_NONE:
        probe_add(r, "printer", PROBE_OK, "none: printing is turned off ([printer] target)");
        break;
    case PRINTER_DEVICE:
        check_device(r, t.path);
        break;
    case PRINTER_CUPS:
        check_cups(r, t.queue);
        break;
    case PRINTER_NETWORK:
        check_network(r, &t, timeout_ms);
        break;
    }
}
