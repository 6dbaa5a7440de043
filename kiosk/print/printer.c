/* printer.c — device / network / CUPS targets, paper status, print worker. */
#include "printer.h"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef BK_HAVE_CUPS
#include <cups/cups.h>
#endif

#include "otime.h"
#include "slip_png.h"

#define SLICE_MS 100 /* longest single wait, so a stop request is seen soon */

/* ---- targets ----------------------------------------------------------- */

static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

bk_err printer_target_parse(const char *s, printer_target *out, const char **why)
{
    const char *w = NULL;
    memset(out, 0, sizeof *out);
    if (!s || !*s) {
        w = "empty";
        goto bad;
    }
    if (strlen(s) >= sizeof out->spec) {
        w = "too long";
        goto bad;
    }
    snprintf(out->spec, sizeof out->spec, "%s", s);
    if (strcmp(s, "none") == 0) {
        out->kind = PRINTER_NONE;
        return BK_OK;
    }
    if (strncmp(s, "cups:", 5) == 0) {
        const char *q = s + 5;
        size_t n = strlen(q);
        if (n == 0 || n >= sizeof out->queue || strpbrk(q, " \t/#\\") != NULL) {
            w = "CUPS queue name is empty or has spaces or slashes";
            goto bad;
        }
        out->kind = PRINTER_CUPS;
        snprintf(out->queue, sizeof out->queue, "%s", q);
        return BK_OK;
    }
    if (s[0] == '/') {
        out->kind = PRINTER_DEVICE;
        snprintf(out->path, sizeof out->path, "%s", s);
        return BK_OK;
    }
    /* host:port or [v6]:port */
    const char *colon;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end || end[1] != ':' || end == s + 1) {
            w = "unknown target";
            goto bad;
        }
        size_t hn = (size_t)(end - s - 1);
        if (hn >= sizeof out->host) {
            w = "host name too long";
            goto bad;
        }
        memcpy(out->host, s + 1, hn);
        out->host[hn] = 0;
        colon = end + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || colon == s) {
            w = s[0] != '/' && !strchr(s, ':') ? "a device must be an absolute path"
                                               : "unknown target";
            goto bad;
        }
        size_t hn = (size_t)(colon - s);
        if (hn >= sizeof out->host) {
            w = "host name too long";
            goto bad;
        }
        memcpy(out->host, s, hn);
        out->host[hn] = 0;
        for (const char *h = out->host; *h; h++) {
            int ok = (*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
                     (*h >= '0' && *h <= '9') || *h == '.' || *h == '-';
            if (!ok) {
                w = "unknown target";
                goto bad;
            }
        }
    }
    const char *port = colon + 1;
    long p = 0;
    if (!all_digits(port) || strlen(port) > 5 || (p = strtol(port, NULL, 10)) < 1 || p > 65535) {
        w = "port must be 1..65535";
        goto bad;
    }
    snprintf(out->port, sizeof out->port, "%ld", p);
    out->kind = PRINTER_NETWORK;
    return BK_OK;
bad:
    if (why) *why = w;
    memset(out, 0, sizeof *out);
    return BK_ERR_INVALID;
}

bk_err printer_cfg_check(cfg *c)
{
    printer_target t;
    const char *why = NULL;
    bk_err e = printer_target_parse(c->printer, &t, &why);
    if (e)
        cfg_issue_add(c, c->printer_line, 0,
                      "printer.target: \"%s\" is not a printer target (%s); use %s; printing "
                      "disabled",
                      c->printer, why ? why : "unknown target", PRINTER_TARGET_FORMS);
    return e;
}

/* ---- results ----------------------------------------------------------- */

static const char *const reason_names[PRINT_R__COUNT] = {
    [PRINT_R_NONE] = "none",
    [PRINT_R_DISABLED] = "disabled",
    [PRINT_R_BAD_TARGET] = "bad_target",
    [PRINT_R_NO_DEVICE] = "no_device",
    [PRINT_R_PERMISSION] = "permission",
    [PRINT_R_REFUSED] = "refused",
    [PRINT_R_UNREACHABLE] = "unreachable",
    [PRINT_R_TIMEOUT] = "timeout",
    [PRINT_R_PAPER_OUT] = "paper_out",
    [PRINT_R_IO] = "io",
    [PRINT_R_CUPS] = "cups",
    [PRINT_R_NO_QUEUE] = "no_queue",
    [PRINT_R_QUEUE_FULL] = "queue_full",
    [PRINT_R_NOMEM] = "nomem",
    [PRINT_R_CANCELLED] = "cancelled",
};

static const char *const reason_hints[PRINT_R__COUNT] = {
    [PRINT_R_NONE] = "",
    [PRINT_R_DISABLED] = "Printing is off: set [printer] target in the config to enable it.",
    [PRINT_R_BAD_TARGET] = "Fix [printer] target in the config: none, /dev/usb/lp0, "
                           "host:9100 or cups:QUEUE.",
    [PRINT_R_NO_DEVICE] = "Check that the printer is switched on and its USB cable is plugged "
                          "in; `ls -l /dev/usb/` should list the device.",
    [PRINT_R_PERMISSION] = "Add the kiosk's user to the lp group (sudo usermod -aG lp USER), "
                           "then log in again or restart the kiosk service.",
    [PRINT_R_REFUSED] = "The printer refused the connection: check its IP address and that "
                        "raw printing on port 9100 is enabled.",
    [PRINT_R_UNREACHABLE] = "The printer's host name or network is unreachable: check the "
                            "address and the cable.",
    [PRINT_R_TIMEOUT] = "The printer did not answer in time: check that it is on, on the "
                        "network and not busy or jammed.",
    [PRINT_R_PAPER_OUT] = "The printer is out of paper: load a new roll.",
    [PRINT_R_IO] = "Sending to the printer failed part-way: check the cable and the printer.",
    [PRINT_R_CUPS] = "CUPS did not accept the job: check `lpstat -t` and the CUPS error log.",
    [PRINT_R_NO_QUEUE] = "No such CUPS queue: `lpstat -p` lists the queues.",
    [PRINT_R_QUEUE_FULL] = "Too many slips are waiting for the printer.",
    [PRINT_R_NOMEM] = "Out of memory.",
    [PRINT_R_CANCELLED] = "The job was cancelled because the kiosk is shutting down.",
};

const char *print_reason_name(print_reason r)
{
    return r >= 0 && r < PRINT_R__COUNT && reason_names[r] ? reason_names[r] : "unknown";
}

const char *print_reason_hint(print_reason r)
{
    return r >= 0 && r < PRINT_R__COUNT && reason_hints[r] ? reason_hints[r] : "";
}

__attribute__((format(printf, 4, 5))) static bk_err fail(print_result *r, print_reason why, int err,
                                                         const char *fmt, ...)
{
    r->state = PRINT_FAILED;
    r->reason = why;
    r->sys_errno = err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->detail, sizeof r->detail, fmt, ap);
    va_end(ap);
    return BK_ERR_IO;
}

static print_reason reason_from_errno(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
        return PRINT_R_PERMISSION;
    case ENOENT:
    case ENODEV:
    case ENXIO:
    case ENOTDIR:
    case EISDIR:
        return PRINT_R_NO_DEVICE;
    case ECONNREFUSED:
        return PRINT_R_REFUSED;
    case ENETUNREACH:
    case EHOSTUNREACH:
    case EADDRNOTAVAIL:
        return PRINT_R_UNREACHABLE;
    case ETIMEDOUT:
        return PRINT_R_TIMEOUT;
    case ENOMEM:
        return PRINT_R_NOMEM;
    default:
        return PRINT_R_IO;
    }
}

typedef struct sendctx {
    int timeout_ms;
    int status_ms;
    const atomic_int *cancel; /* may be NULL */
} sendctx;

static int cancelled(const sendctx *c)
{
    return c->cancel && atomic_load(c->cancel);
}

/* Wait for `events` on fd for at most ms (in slices). Returns >0 ready, 0
 * timeout, -1 error (errno), -2 cancelled. */
static int wait_fd(const sendctx *c, int fd, short events, int ms, short *revents)
{
    int64_t end = otime_mono_ms() + ms;
    for (;;) {
        if (cancelled(c)) return -2;
        int64_t left = end - otime_mono_ms();
        if (left <= 0) return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int n = poll(&p, 1, left > SLICE_MS ? SLICE_MS : (int)left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n > 0) {
            if (revents) *revents = p.revents;
            return n;
        }
    }
}

/* Ask DLE EOT 4 and read the one-byte answer if one comes within status_ms. */
static void ask_paper(const sendctx *c, int fd, int is_socket, print_result *r)
{
    r->paper = ESCPOS_PAPER_UNKNOWN;
    if (c->status_ms < 0) return;
    ssize_t w = is_socket ? send(fd, ESCPOS_PAPER_STATUS, ESCPOS_PAPER_STATUS_LEN, MSG_NOSIGNAL)
                          : write(fd, ESCPOS_PAPER_STATUS, ESCPOS_PAPER_STATUS_LEN);
    if (w != ESCPOS_PAPER_STATUS_LEN)
        return; /* a one-way device may refuse; the job write will tell */
    short re = 0;
    if (wait_fd(c, fd, POLLIN, c->status_ms, &re) <= 0 || !(re & POLLIN)) return;
    uint8_t b;
    ssize_t n = is_socket ? recv(fd, &b, 1, MSG_DONTWAIT) : read(fd, &b, 1);
    if (n == 1) r->paper = escpos_paper_state(b);
}

/* Write everything; fail when no byte moves for timeout_ms. */
static bk_err write_all(const sendctx *c, int fd, int is_socket, const uint8_t *d, size_t n,
                        const char *where, print_result *r)
{
    size_t off = 0;
    while (off < n) {
        size_t chunk = n - off > 65536 ? 65536 : n - off;
        ssize_t w = is_socket ? send(fd, d + off, chunk, MSG_NOSIGNAL | MSG_DONTWAIT)
                              : write(fd, d + off, chunk);
        if (w > 0) {
            off += (size_t)w;
            r->bytes_sent = off;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            int e = errno;
            print_reason why = e == ENODEV || e == ENXIO ? PRINT_R_NO_DEVICE : PRINT_R_IO;
            return fail(r, why, e, "writing to %s failed after %zu of %zu bytes: %s", where, off, n,
                        strerror(e));
        }
        int k = wait_fd(c, fd, POLLOUT, c->timeout_ms, NULL);
        if (k == -2) return fail(r, PRINT_R_CANCELLED, 0, "cancelled while writing to %s", where);
        if (k < 0)
            return fail(r, PRINT_R_IO, errno, "waiting to write to %s: %s", where, strerror(errno));
        if (k == 0)
            return fail(r, PRINT_R_TIMEOUT, ETIMEDOUT,
                        "%s accepted no data for %d ms (%zu of %zu bytes sent)", where,
                        c->timeout_ms, off, n);
    }
    return BK_OK;
}

/* ---- device ------------------------------------------------------------ */

static bk_err send_device(const sendctx *c, const printer_target *t, const uint8_t *d, size_t n,
                          print_result *r)
{
    /* A printer (character device) is opened read-write to ask for its paper
     * status. A FIFO or a plain file (spools, tests) is only written: a FIFO
     * opened read-write would read back our own bytes and never report a
     * missing reader. */
    struct stat pre;
    int plain = stat(t->path, &pre) == 0 && (S_ISFIFO(pre.st_mode) || S_ISREG(pre.st_mode));
    int flags = O_APPEND | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    int fd = plain ? -1 : open(t->path, O_RDWR | flags);
    if (plain || (fd < 0 && (errno == EACCES || errno == EROFS || errno == EINVAL)))
        fd = open(t->path, O_WRONLY | flags);
    if (fd < 0) {
        int e = errno;
        print_reason why = reason_from_errno(e);
        if (why == PRINT_R_PERMISSION)
            return fail(r, why, e,
                        "permission denied opening %s: add the kiosk's user to the lp group "
                        "(sudo usermod -aG lp USER)",
                        t->path);
        if (why == PRINT_R_NO_DEVICE)
            return fail(r, why, e, "printer device %s is missing or offline: %s", t->path,
                        strerror(e));
        return fail(r, why, e, "cannot open %s: %s", t->path, strerror(e));
    }
    struct stat st;
    int ask =
        fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR;
    /* SIGPIPE (a FIFO whose reader left) must not kill the kiosk: block it on
     * this thread and swallow one raised here. */
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigset_t pending;
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGPIPE);

    bk_err e = BK_OK;
    if (ask) ask_paper(c, fd, 0, r);
    if (r->paper == ESCPOS_PAPER_OUT)
        e = fail(r, PRINT_R_PAPER_OUT, 0, "printer %s reports that the paper is out", t->path);
    else
        e = write_all(c, fd, 0, d, n, t->path, r);
    if (close(fd) != 0 && !e)
        e = fail(r, PRINT_R_IO, errno, "closing %s: %s", t->path, strerror(errno));

    sigpending(&pending);
    if (!was_pending && sigismember(&pending, SIGPIPE)) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return e;
}

/* ---- network ----------------------------------------------------------- */

static bk_err send_network(const sendctx *c, const printer_target *t, const uint8_t *d, size_t n,
                           print_result *r)
{
    char where[300];
    snprintf(where, sizeof where, "%s:%s", t->host, t->port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG};
    struct addrinfo *ai = NULL;
    int gr = getaddrinfo(t->host, t->port, &hints, &ai);
    if (gr != 0) {
        return fail(r, PRINT_R_UNREACHABLE, 0, "cannot resolve printer host %s: %s", t->host,
                    gai_strerror(gr));
    }
    int64_t deadline = otime_mono_ms() + c->timeout_ms;
    int fd = -1, last_err = 0;
    print_reason why = PRINT_R_UNREACHABLE;
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        int s = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (s < 0) {
            last_err = errno;
            continue;
        }
        if (connect(s, a->ai_addr, a->ai_addrlen) == 0) {
            fd = s;
            break;
        }
        if (errno != EINPROGRESS) {
            last_err = errno;
            why = reason_from_errno(errno);
            close(s);
            continue;
        }
        int64_t left = deadline - otime_mono_ms();
        short re = 0;
        int k = left > 0 ? wait_fd(c, s, POLLOUT, (int)left, &re) : 0;
        if (k == -2) {
            close(s);
            freeaddrinfo(ai);
            return fail(r, PRINT_R_CANCELLED, 0, "cancelled while connecting to %s", where);
        }
        if (k == 0) {
            close(s);
            why = PRINT_R_TIMEOUT;
            last_err = ETIMEDOUT;
            break; /* the whole budget is spent */
        }
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (k < 0 || getsockopt(s, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) soerr = errno;
        if (soerr) {
            last_err = soerr;
            why = reason_from_errno(soerr);
            close(s);
            continue;
        }
        fd = s;
    }
    freeaddrinfo(ai);
    if (fd < 0) {
        if (why == PRINT_R_TIMEOUT)
            return fail(r, why, last_err, "printer %s did not answer within %d ms", where,
                        c->timeout_ms);
        if (why == PRINT_R_REFUSED)
            return fail(r, why, last_err, "printer %s refused the connection", where);
        return fail(r, why, last_err, "cannot connect to printer %s: %s", where,
                    last_err ? strerror(last_err) : "no address");
    }
    ask_paper(c, fd, 1, r);
    bk_err e;
    if (r->paper == ESCPOS_PAPER_OUT)
        e = fail(r, PRINT_R_PAPER_OUT, 0, "printer %s reports that the paper is out", where);
    else
        e = write_all(c, fd, 1, d, n, where, r);
    if (!e) shutdown(fd, SHUT_WR);
    close(fd);
    return e;
}

/* ---- CUPS -------------------------------------------------------------- */

#ifdef BK_HAVE_CUPS
typedef struct cups_cancel {
    const sendctx *c;
    int64_t deadline;
} cups_cancel;

static int cups_keep_waiting(http_t *http, void *ud)
{
    (void)http;
    cups_cancel *k = ud;
    return !cancelled(k->c) && otime_mono_ms() < k->deadline;
}

/* A raw queue passes bytes straight to the printer: send ESC/POS there. */
static int cups_queue_is_raw(cups_dest_t *d)
{
    const char *model = cupsGetOption("printer-make-and-model", d->num_options, d->options);
    return !model || !*model || strstr(model, "Raw") != NULL || strstr(model, "raw") != NULL;
}

/* Send data (format fmt, NULL = raw) or, when im is set, the slip encoded for
 * the queue (ESC/POS for raw queues, PNG otherwise). */
static bk_err send_cups(const sendctx *c, const printer_target *t, const slip_image *im,
                        int native_qr, const uint8_t *d, size_t n, const char *fmt, print_result *r)
{
    int cancel_flag = 0;
    http_t *http = httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC, cupsEncryption(), 1,
                                c->timeout_ms, &cancel_flag);
    if (!http)
        return fail(r, PRINT_R_CUPS, errno, "cannot reach the CUPS server at %s: %s", cupsServer(),
                    strerror(errno));
    cups_cancel k = {c, otime_mono_ms() + c->timeout_ms};
    httpSetTimeout(http, c->timeout_ms / 1000.0, cups_keep_waiting, &k);
    bk_err e = BK_OK;
    slip_buf enc = {0};
    cups_dest_t *dest = cupsGetNamedDest(http, t->queue, NULL);
    if (!dest) {
        e = cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND ||
                    cupsLastError() <= IPP_STATUS_OK_EVENTS_COMPLETE
                ? fail(r, PRINT_R_NO_QUEUE, 0, "no CUPS queue named %s", t->queue)
                : fail(r, PRINT_R_CUPS, 0, "CUPS: %s", cupsLastErrorString());
        goto out;
    }
    const char *state = cupsGetOption("printer-state", dest->num_options, dest->options);
    const char *accepting =
        cupsGetOption("printer-is-accepting-jobs", dest->num_options, dest->options);
    if ((state && strcmp(state, "5") == 0) || (accepting && strcmp(accepting, "false") == 0)) {
        e = fail(r, PRINT_R_CUPS, 0, "CUPS queue %s is stopped or not accepting jobs", t->queue);
        goto out;
    }
    const char *format = fmt ? fmt : CUPS_FORMAT_RAW;
    if (im) {
        if (cups_queue_is_raw(dest)) {
            escpos_opts eo = {.native_qr = native_qr};
            e = escpos_encode(im, &eo, &enc);
            format = CUPS_FORMAT_RAW;
        } else {
            e = slip_png_encode(im, 0, &enc);
            format = "image/png";
        }
        if (e) {
            e = fail(r, PRINT_R_NOMEM, 0, "cannot encode the slip");
            goto out;
        }
        d = enc.data;
        n = enc.len;
    }
    int nopt = 0;
    cups_option_t *opts = NULL;
    if (strcmp(format, "image/png") == 0) {
        /* Print the PNG at its real size (203 dpi), not scaled to the page. */
        nopt = cupsAddOption("ppi", "203", nopt, &opts);
        nopt = cupsAddOption("print-scaling", "none", nopt, &opts);
    }
    int job = cupsCreateJob(http, t->queue, "Bapas slip", nopt, opts);
    cupsFreeOptions(nopt, opts);
    if (job <= 0) {
        e = fail(r, PRINT_R_CUPS, 0, "CUPS refused the job on %s: %s", t->queue,
                 cupsLastErrorString());
        goto out;
    }
    if (cupsStartDocument(http, t->queue, job, "slip", format, 1) != HTTP_STATUS_CONTINUE ||
        cupsWriteRequestData(http, (const char *)d, n) != HTTP_STATUS_CONTINUE ||
        cupsFinishDocument(http, t->queue) != IPP_STATUS_OK) {
        e = fail(r, cancelled(c) ? PRINT_R_CANCELLED : PRINT_R_CUPS, 0,
                 "sending job %d to CUPS queue %s failed: %s", job, t->queue,
                 cupsLastErrorString());
        goto out;
    }
    r->bytes_sent = n;
    snprintf(r->detail, sizeof r->detail, "CUPS job %s-%d (%s)", t->queue, job, format);
out:
    if (dest) cupsFreeDests(1, dest);
    slip_buf_free(&enc);
    httpClose(http);
    return e;
}
#endif

/* ---- dispatch ---------------------------------------------------------- */

static sendctx make_ctx(const printer_opts *o, const atomic_int *cancel)
{
    sendctx c = {
        .timeout_ms = PRINTER_TIMEOUT_MAX_MS, .status_ms = PRINTER_STATUS_MS, .cancel = cancel};
    if (o && o->timeout_ms > 0 && o->timeout_ms < PRINTER_TIMEOUT_MAX_MS)
        c.timeout_ms = o->timeout_ms;
    if (o && o->status_ms) c.status_ms = o->status_ms < 0 ? -1 : o->status_ms;
    return c;
}

static bk_err dispatch(const printer_target *t, const printer_opts *o, const atomic_int *cancel,
                       const slip_image *im, const uint8_t *d, size_t n, const char *fmt,
                       print_result *r)
{
    memset(r, 0, sizeof *r);
    r->state = PRINT_PRINTING;
    r->paper = ESCPOS_PAPER_UNKNOWN;
    int64_t t0 = otime_mono_ms();
    sendctx c = make_ctx(o, cancel);
    slip_buf enc = {0};
    bk_err e = BK_OK;
    int native = o && o->native_qr;

    if (t->kind == PRINTER_NONE) {
        e = fail(r, PRINT_R_DISABLED, 0, "printing is disabled (printer target is none)");
        goto done;
    }
    if (t->kind != PRINTER_DEVICE && t->kind != PRINTER_NETWORK && t->kind != PRINTER_CUPS) {
        e = fail(r, PRINT_R_BAD_TARGET, 0, "unknown printer target");
        goto done;
    }
    if (t->kind == PRINTER_CUPS) {
#ifdef BK_HAVE_CUPS
        e = send_cups(&c, t, im, native, d, n, fmt, r);
#else
        (void)fmt;
        e = fail(r, PRINT_R_CUPS, 0, "this build has no CUPS support (install libcups2-dev)");
#endif
        goto done;
    }
    if (im) {
        escpos_opts eo = {.native_qr = native};
        if (escpos_encode(im, &eo, &enc)) {
            e = fail(r, PRINT_R_NOMEM, ENOMEM, "cannot encode the slip as ESC/POS");
            goto done;
        }
        d = enc.data;
        n = enc.len;
    }
    e = t->kind == PRINTER_DEVICE ? send_device(&c, t, d, n, r) : send_network(&c, t, d, n, r);
done:
    slip_buf_free(&enc);
    r->elapsed_ms = (int)(otime_mono_ms() - t0);
    if (!e) {
        r->state = PRINT_DONE;
        r->reason = PRINT_R_NONE;
    }
    return e;
}

bk_err printer_send(const printer_target *t, const printer_opts *o, const slip_image *im,
                    print_result *out)
{
    return dispatch(t, o, NULL, im, NULL, 0, NULL, out);
}

bk_err printer_send_bytes(const printer_target *t, const printer_opts *o, const uint8_t *data,
                          size_t n, const char *cups_format, print_result *out)
{
    return dispatch(t, o, NULL, NULL, data, n, cups_format, out);
}

/* ---- worker ------------------------------------------------------------ */

#define SLOTS (PRINTER_QUEUE_MAX + PRINTER_HISTORY + 1)

typedef struct slot {
    uint32_t id;      /* 0 = free */
    print_result res; /* res.state is the job's state */
    int has_image;
    slip_image im;
    uint8_t *data;
    size_t n;
    char fmt[64];
    int has_fmt;
} slot;

struct printer {
    printer_target t;
    printer_opts o;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_int stop;
    uint32_t next_id;
    slot slots[SLOTS];
};

static void slot_release(slot *s)
{
    if (s->has_image) slip_image_free(&s->im);
    free(s->data);
    s->data = NULL;
    s->n = 0;
    s->has_image = 0;
}

static void *worker(void *arg)
{
    printer *p = arg;
    /* The printer thread never takes SIGPIPE (a FIFO or socket peer leaving). */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        slot *next = NULL;
        while (!atomic_load(&p->stop)) {
            for (int i = 0; i < SLOTS; i++) {
                slot *s = &p->slots[i];
                if (s->id && s->res.state == PRINT_QUEUED && (!next || s->id < next->id)) next = s;
            }
            if (next) break;
            pthread_cond_wait(&p->cv, &p->mu);
        }
        if (atomic_load(&p->stop)) break;
        next->res.state = PRINT_PRINTING;
        /* The slot stays ours while PRINTING: submit never reuses it. */
        pthread_mutex_unlock(&p->mu);
        print_result r;
        dispatch(&p->t, &p->o, &p->stop, next->has_image ? &next->im : NULL, next->data, next->n,
                 next->has_fmt ? next->fmt : NULL, &r);
        pthread_mutex_lock(&p->mu);
        next->res = r;
        slot_release(next);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

bk_err printer_start(const printer_target *t, const printer_opts *o, printer **out)
{
    *out = NULL;
    printer *p = calloc(1, sizeof *p);
    if (!p) return BK_ERR_NOMEM;
    p->t = *t;
    if (o) p->o = *o;
    atomic_init(&p->stop, 0);
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return BK_ERR_INTERNAL;
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p);
        return BK_ERR_INTERNAL;
    }
    if (pthread_create(&p->th, NULL, worker, p) != 0) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return BK_ERR_INTERNAL;
    }
    *out = p;
    return BK_OK;
}

/* Pick a slot for a new job (mutex held): a free one, else the oldest
 * finished one. NULL never happens while SLOTS > PRINTER_QUEUE_MAX + 1. */
static slot *slot_take(printer *p)
{
    slot *best = NULL;
    for (int i = 0; i < SLOTS; i++) {
        slot *s = &p->slots[i];
        if (!s->id) return s;
        if ((s->res.state == PRINT_DONE || s->res.state == PRINT_FAILED) &&
            (!best || s->id < best->id))
            best = s;
    }
    return best;
}

static bk_err submit(printer *p, const slip_image *im, const uint8_t *data, size_t n,
                     const char *fmt, uint32_t *job)
{
    *job = 0;
    /* Copy outside the lock: a slip is ~0.6 MB. */
    slip_image copy = {0};
    uint8_t *bytes = NULL;
    if (im && slip_image_copy(im, &copy)) return BK_ERR_NOMEM;
    if (data) {
        bytes = malloc(n ? n : 1);
        if (!bytes) {
            slip_image_free(&copy);
            return BK_ERR_NOMEM;
        }
        memcpy(bytes, data, n);
    }
    pthread_mutex_lock(&p->mu);
    int queued = 0;
    for (int i = 0; i < SLOTS; i++)
        if (p->slots[i].id && p->slots[i].res.state == PRINT_QUEUED) queued++;
    slot *s = slot_take(p);
    if (!s) { /* cannot happen; be safe */
        pthread_mutex_unlock(&p->mu);
        slip_image_free(&copy);
        free(bytes);
        return BK_ERR_INTERNAL;
    }
    slot_release(s);
    memset(s, 0, sizeof *s);
    s->id = ++p->next_id;
    if (s->id == 0) s->id = ++p->next_id;
    *job = s->id;
    bk_err e = BK_OK;
    if (queued >= PRINTER_QUEUE_MAX || atomic_load(&p->stop)) {
        s->res.state = PRINT_FAILED;
        s->res.reason = atomic_load(&p->stop) ? PRINT_R_CANCELLED : PRINT_R_QUEUE_FULL;
        snprintf(s->res.detail, sizeof s->res.detail, "%d slips already wait for the printer",
                 queued);
        slip_image_free(&copy);
        free(bytes);
        e = BK_ERR_BUSY;
    } else {
        s->res.state = PRINT_QUEUED;
        s->res.paper = ESCPOS_PAPER_UNKNOWN;
        if (im) {
            s->im = copy;
            s->has_image = 1;
        }
        s->data = bytes;
        s->n = n;
        if (fmt) {
            snprintf(s->fmt, sizeof s->fmt, "%s", fmt);
            s->has_fmt = 1;
        }
        pthread_cond_signal(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return e;
}

bk_err printer_submit(printer *p, const slip_image *im, uint32_t *job)
{
    if (!p || !im) return BK_ERR_INVALID;
    return submit(p, im, NULL, 0, NULL, job);
}

bk_err printer_submit_bytes(printer *p, const uint8_t *data, size_t n, const char *cups_format,
                            uint32_t *job)
{
    if (!p || !data) return BK_ERR_INVALID;
    return submit(p, NULL, data, n, cups_format, job);
}

void printer_poll(printer *p, uint32_t job, print_result *out)
{
    memset(out, 0, sizeof *out);
    out->state = PRINT_UNKNOWN;
    if (!p || !job) return;
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < SLOTS; i++) {
        if (p->slots[i].id == job) {
            *out = p->slots[i].res;
            break;
        }
    }
    pthread_mutex_unlock(&p->mu);
}

void printer_stop(printer *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->stop, 1);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    for (int i = 0; i < SLOTS; i++)
        slot_release(&p->slots[i]);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
