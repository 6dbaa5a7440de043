/* test_printer.c — printer targets for real: a loopback TCP server standing in
 * for a network printer (stores bytes, answers DLE EOT, refuses, hangs with a
 * full accept queue, stalls without reading), a pseudo-terminal standing in
 * for a USB printer that answers DLE EOT, FIFOs and files as devices,
 * permission denied as an unprivileged user, the non-blocking worker, and the
 * audit record of failures in a real database. */
#define _XOPEN_SOURCE 700 /* posix_openpt, ptsname */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "escpos.h"
#include "printer.h"
#include "slip_store.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char tmpdir[256];

static int group_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bk-printer-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    chmod(tmpdir, 0755); /* the unprivileged child must reach files inside */
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A fake slip: 384 x 300 dots with a pattern, no QR. */
static void fake_image(slip_image *im)
{
    memset(im, 0, sizeof *im);
    im->width = 384;
    im->height = 300;
    im->paper_mm = 58;
    im->gray = malloc(384 * 300);
    assert_non_null(im->gray);
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 384; x++)
            im->gray[y * 384 + x] = ((x / 8 + y / 8) % 3 == 0) ? 0 : 255;
}

static uint8_t *pattern(size_t n)
{
    uint8_t *p = malloc(n);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 131 + 7);
    return p;
}

/* ---- target parsing ----------------------------------------------------- */

static void test_target_parse(void **state)
{
    (void)state;
    printer_target t;
    const char *why;
    assert_int_equal(printer_target_parse("none", &t, NULL), BK_OK);
    assert_int_equal(t.kind, PRINTER_NONE);
    assert_int_equal(printer_target_parse("/dev/usb/lp0", &t, NULL), BK_OK);
    assert_int_equal(t.kind, PRINTER_DEVICE);
    assert_string_equal(t.path, "/dev/usb/lp0");
    assert_int_equal(printer_target_parse("192.168.1.50:9100", &t, NULL), BK_OK);
    assert_int_equal(t.kind, PRINTER_NETWORK);
    assert_string_equal(t.host, "192.168.1.50");
    assert_string_equal(t.port, "9100");
    assert_int_equal(printer_target_parse("printer-lobby.local:9100", &t, NULL), BK_OK);
    assert_string_equal(t.host, "printer-lobby.local");
    assert_int_equal(printer_target_parse("[::1]:9100", &t, NULL), BK_OK);
    assert_string_equal(t.host, "::1");
    assert_int_equal(printer_target_parse("cups:Thermal_58", &t, NULL), BK_OK);
    assert_int_equal(t.kind, PRINTER_CUPS);
    assert_string_equal(t.queue, "Thermal_58");
    const char *bad[] = {"",           "cups:",      "cups:a b",    "cups:x/y",
                         "host:0",     "host:65536", "host:",       ":9100",
                         "host:9x",    "lp0",        "dev/usb/lp0", "[::1]9100",
                         "ho st:9100", "[]:9100",    "host",        "[::1:9100"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        if (printer_target_parse(bad[i], &t, &why) != BK_ERR_INVALID)
            fail_msg("target \"%s\" was accepted", bad[i]);
        assert_non_null(why);
    }
    assert_int_equal(printer_target_parse(NULL, &t, &why), BK_ERR_INVALID);
    for (int r = 0; r < PRINT_R__COUNT; r++) {
        assert_string_not_equal(print_reason_name((print_reason)r), "unknown");
        if (r != PRINT_R_NONE) assert_true(strlen(print_reason_hint((print_reason)r)) > 10);
    }
    assert_non_null(strstr(print_reason_hint(PRINT_R_PERMISSION), "lp group"));
}

/* ---- loopback network printer ------------------------------------------ */

typedef enum srv_mode { SRV_STORE, SRV_STALL } srv_mode;

typedef struct srv {
    srv_mode mode;
    int lfd;
    int port;
    int reply; /* byte answered to DLE EOT 4, -1 = one-way printer */
    uint8_t *got;
    size_t n, cap;
    int accepted;
    volatile int stop;
    pthread_t th;
} srv;

static void *srv_main(void *arg)
{
    srv *s = arg;
    struct pollfd p = {.fd = s->lfd, .events = POLLIN};
    if (poll(&p, 1, 8000) <= 0) return NULL;
    int c = accept(s->lfd, NULL, NULL);
    if (c < 0) return NULL;
    s->accepted = 1;
    if (s->mode == SRV_STALL) {
        while (!s->stop)
            usleep(10000);
        close(c);
        return NULL;
    }
    int answered = 0;
    int64_t end = now_ms() + 8000;
    for (;;) {
        struct pollfd q = {.fd = c, .events = POLLIN};
        if (poll(&q, 1, 200) == 0) {
            if (now_ms() > end) break;
            continue;
        }
        uint8_t buf[65536];
        ssize_t k = read(c, buf, sizeof buf);
        if (k <= 0) break;
        if (s->n + (size_t)k > s->cap) {
            s->cap = (s->n + (size_t)k) * 2;
            s->got = realloc(s->got, s->cap);
            assert_non_null(s->got);
        }
        memcpy(s->got + s->n, buf, (size_t)k);
        s->n += (size_t)k;
        if (!answered && s->reply >= 0 && s->n >= 3 && memcmp(s->got, "\x10\x04\x04", 3) == 0) {
            uint8_t r = (uint8_t)s->reply;
            assert_int_equal(write(c, &r, 1), 1);
            answered = 1;
        }
    }
    close(c);
    return NULL;
}

static int listen_loopback(int backlog, int rcvbuf, int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    if (rcvbuf) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, backlog), 0);
    socklen_t sl = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &sl), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static void srv_start(srv *s, srv_mode mode, int reply)
{
    memset(s, 0, sizeof *s);
    s->mode = mode;
    s->reply = reply;
    s->lfd = listen_loopback(4, mode == SRV_STALL ? 4096 : 0, &s->port);
    assert_int_equal(pthread_create(&s->th, NULL, srv_main, s), 0);
}

/* Stop the server; s->got stays valid until the caller frees it. */
static void srv_end(srv *s)
{
    s->stop = 1;
    pthread_join(s->th, NULL);
    close(s->lfd);
}

static void net_target(printer_target *t, int port)
{
    char spec[64];
    snprintf(spec, sizeof spec, "127.0.0.1:%d", port);
    assert_int_equal(printer_target_parse(spec, t, NULL), BK_OK);
}

static void test_network_stores_bytes(void **state)
{
    (void)state;
    srv s;
    srv_start(&s, SRV_STORE, -1); /* a one-way printer: never answers */
    printer_target t;
    net_target(&t, s.port);
    slip_image im;
    fake_image(&im);
    print_result r;
    printer_opts o = {.timeout_ms = 2000};
    assert_int_equal(printer_send(&t, &o, &im, &r), BK_OK);
    srv_end(&s);
    assert_int_equal(r.state, PRINT_DONE);
    assert_int_equal(r.reason, PRINT_R_NONE);
    assert_int_equal(r.paper, ESCPOS_PAPER_UNKNOWN); /* silence is not an error */
    assert_true(r.elapsed_ms >= PRINTER_STATUS_MS - 20);
    slip_buf want = {0};
    assert_int_equal(escpos_encode(&im, NULL, &want), BK_OK);
    /* The printer got the status request, then exactly the slip. */
    assert_int_equal(s.n, 3 + want.len);
    assert_memory_equal(s.got, ESCPOS_PAPER_STATUS, 3);
    assert_memory_equal(s.got + 3, want.data, want.len);
    assert_int_equal(r.bytes_sent, want.len);
    free(s.got);
    slip_buf_free(&want);
    slip_image_free(&im);
}

static void test_network_paper_status(void **state)
{
    (void)state;
    struct {
        int reply;
        escpos_paper paper;
        print_state st;
    } cases[] = {{0x12, ESCPOS_PAPER_OK, PRINT_DONE},
                 {0x1E, ESCPOS_PAPER_LOW, PRINT_DONE},
                 {0x72, ESCPOS_PAPER_OUT, PRINT_FAILED}};
    uint8_t *data = pattern(5000);
    for (size_t k = 0; k < 3; k++) {
        srv s;
        srv_start(&s, SRV_STORE, cases[k].reply);
        printer_target t;
        net_target(&t, s.port);
        print_result r;
        printer_opts o = {.timeout_ms = 2000};
        int64_t t0 = now_ms();
        printer_send_bytes(&t, &o, data, 5000, NULL, &r);
        int64_t dt = now_ms() - t0;
        srv_end(&s);
        assert_int_equal(r.paper, cases[k].paper);
        assert_int_equal(r.state, cases[k].st);
        assert_true(dt < PRINTER_STATUS_MS); /* an answer ends the wait at once */
        if (cases[k].st == PRINT_FAILED) {
            assert_int_equal(r.reason, PRINT_R_PAPER_OUT);
            assert_int_equal(s.n, 3); /* nothing sent to a printer without paper */
        } else {
            assert_int_equal(s.n, 3 + 5000);
            assert_memory_equal(s.got + 3, data, 5000);
        }
        free(s.got);
    }
    free(data);
}

static void test_network_refused(void **state)
{
    (void)state;
    int port;
    int fd = listen_loopback(1, 0, &port);
    close(fd); /* nothing listens there now */
    printer_target t;
    net_target(&t, port);
    uint8_t b[10] = {0};
    print_result r;
    int64_t t0 = now_ms();
    assert_int_equal(printer_send_bytes(&t, NULL, b, sizeof b, NULL, &r), BK_ERR_IO);
    assert_true(now_ms() - t0 < 1000);
    assert_int_equal(r.state, PRINT_FAILED);
    assert_int_equal(r.reason, PRINT_R_REFUSED);
    assert_int_equal(r.sys_errno, ECONNREFUSED);
    assert_non_null(strstr(r.detail, "refused"));
}

/* A listener whose accept queue is full: the kernel drops further SYNs, so a
 * connect hangs like one to a printer that is off the network. Returns the
 * listening fd and the queued sockets (to close later). */
static int hanging_printer(int *port, int fillers[8], int *nfill)
{
    int l = listen_loopback(0, 0, port);
    *nfill = 0;
    for (int i = 0; i < 8; i++) {
        int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)*port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int rc = connect(s, (struct sockaddr *)&a, sizeof a);
        struct pollfd p = {.fd = s, .events = POLLOUT};
        if (rc == 0 || (errno == EINPROGRESS && poll(&p, 1, 300) == 1)) {
            fillers[(*nfill)++] = s; /* queued, never accepted */
            continue;
        }
        close(s); /* this one hung: the queue is full */
        return l;
    }
    fail_msg("could not fill the accept queue to simulate a hanging printer");
    return -1;
}

static void test_network_hang_times_out(void **state)
{
    (void)state;
    int port, fill[8], nfill;
    int l = hanging_printer(&port, fill, &nfill);
    printer_target t;
    net_target(&t, port);
    uint8_t b[100] = {0};
    print_result r;
    /* Configured 1200 ms. */
    printer_opts o = {.timeout_ms = 1200};
    int64_t t0 = now_ms();
    assert_int_equal(printer_send_bytes(&t, &o, b, sizeof b, NULL, &r), BK_ERR_IO);
    int64_t dt = now_ms() - t0;
    assert_int_equal(r.reason, PRINT_R_TIMEOUT);
    assert_true(dt >= 1150 && dt <= 1700);
    /* A bigger configured value is capped at 3 s. */
    o.timeout_ms = 60000;
    t0 = now_ms();
    assert_int_equal(printer_send_bytes(&t, &o, b, sizeof b, NULL, &r), BK_ERR_IO);
    dt = now_ms() - t0;
    assert_int_equal(r.reason, PRINT_R_TIMEOUT);
    printf("# hanging printer: gave up after %lld ms (cap %d)\n", (long long)dt,
           PRINTER_TIMEOUT_MAX_MS);
    assert_true(dt >= 2900 && dt <= 3500);
    for (int i = 0; i < nfill; i++)
        close(fill[i]);
    close(l);
}

static void test_network_stall_times_out(void **state)
{
    (void)state;
    srv s;
    srv_start(&s, SRV_STALL, -1); /* accepts, never reads */
    printer_target t;
    net_target(&t, s.port);
    size_t n = 64u << 20; /* far more than the socket buffers hold */
    uint8_t *data = calloc(1, n);
    assert_non_null(data);
    print_result r;
    printer_opts o = {.timeout_ms = 1000, .status_ms = -1};
    int64_t t0 = now_ms();
    assert_int_equal(printer_send_bytes(&t, &o, data, n, NULL, &r), BK_ERR_IO);
    int64_t dt = now_ms() - t0;
    srv_end(&s);
    free(data);
    free(s.got);
    assert_int_equal(r.reason, PRINT_R_TIMEOUT);
    assert_true(r.bytes_sent > 0 && r.bytes_sent < n);
    assert_true(dt >= 1000 && dt < 4000);
}

/* ---- devices ------------------------------------------------------------ */

static void dev_target(printer_target *t, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    assert_int_equal(printer_target_parse(p, t, NULL), BK_OK);
}

static void test_device_file_and_missing(void **state)
{
    (void)state;
    printer_target t;
    dev_target(&t, "spool.bin");
    int fd = open(t.path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    assert_true(fd >= 0);
    close(fd);
    slip_image im;
    fake_image(&im);
    print_result r;
    assert_int_equal(printer_send(&t, NULL, &im, &r), BK_OK);
    assert_int_equal(printer_send(&t, NULL, &im, &r), BK_OK); /* appends, like a spool */
    slip_buf want = {0};
    assert_int_equal(escpos_encode(&im, NULL, &want), BK_OK);
    struct stat st;
    assert_int_equal(stat(t.path, &st), 0);
    assert_int_equal((size_t)st.st_size, 2 * want.len);
    FILE *f = fopen(t.path, "rb");
    uint8_t *got = malloc(want.len);
    assert_int_equal(fread(got, 1, want.len, f), want.len);
    fclose(f);
    assert_memory_equal(got, want.data, want.len);
    free(got);
    slip_buf_free(&want);
    slip_image_free(&im);

    uint8_t b[4] = {1, 2, 3, 4};
    dev_target(&t, "no-such-dir/lp0");
    assert_int_equal(printer_send_bytes(&t, NULL, b, 4, NULL, &r), BK_ERR_IO);
    assert_int_equal(r.reason, PRINT_R_NO_DEVICE);
    assert_non_null(strstr(r.detail, "missing"));
    assert_int_equal(printer_target_parse(tmpdir, &t, NULL), BK_OK); /* a directory */
    assert_int_equal(printer_send_bytes(&t, NULL, b, 4, NULL, &r), BK_ERR_IO);
    assert_int_equal(r.reason, PRINT_R_NO_DEVICE);
}

static void test_device_permission_denied(void **state)
{
    (void)state;
    printer_target t;
    dev_target(&t, "lp-root-only");
    int fd = open(t.path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    if (geteuid() != 0) assert_int_equal(chmod(t.path, 0), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* As root, become "nobody" first: root bypasses file modes. */
        if (geteuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534))) _exit(10);
        uint8_t b[4] = {0};
        print_result r;
        printer_send_bytes(&t, NULL, b, 4, NULL, &r);
        if (r.reason != PRINT_R_PERMISSION) _exit(11);
        if (!strstr(r.detail, "lp group")) _exit(12);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

typedef struct fifo_reader {
    char path[1024];
    size_t want; /* stop after this many bytes */
    size_t close_after;
    uint8_t *got;
    size_t n;
    pthread_t th;
} fifo_reader;

static void *fifo_main(void *arg)
{
    fifo_reader *f = arg;
    int fd = open(f->path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) return NULL;
    f->got = malloc(f->want + 1);
    int64_t end = now_ms() + 8000;
    while (f->n < f->want && now_ms() < end) {
        if (f->close_after && f->n >= f->close_after) break;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        poll(&p, 1, 50);
        ssize_t k = read(fd, f->got + f->n, f->want - f->n);
        if (k > 0)
            f->n += (size_t)k;
        else
            usleep(5000);
    }
    close(fd);
    return NULL;
}

static void test_device_fifo(void **state)
{
    (void)state;
    printer_target t;
    dev_target(&t, "lp-fifo");
    assert_int_equal(mkfifo(t.path, 0600), 0);
    uint8_t b[4] = {0};
    print_result r;
    /* Nobody reading: like an unplugged printer. */
    assert_int_equal(printer_send_bytes(&t, NULL, b, 4, NULL, &r), BK_ERR_IO);
    assert_int_equal(r.reason, PRINT_R_NO_DEVICE);

    size_t n = 300000;
    uint8_t *data = pattern(n);
    fifo_reader fr = {.want = n};
    snprintf(fr.path, sizeof fr.path, "%s", t.path);
    assert_int_equal(pthread_create(&fr.th, NULL, fifo_main, &fr), 0);
    usleep(100000);
    assert_int_equal(printer_send_bytes(&t, NULL, data, n, NULL, &r), BK_OK);
    pthread_join(fr.th, NULL);
    assert_int_equal(fr.n, n); /* no status request mixed into a FIFO */
    assert_memory_equal(fr.got, data, n);
    free(fr.got);

    /* The reader goes away mid-job: an error, not a SIGPIPE death. */
    fifo_reader early = {.want = n, .close_after = 1000};
    snprintf(early.path, sizeof early.path, "%s", t.path);
    assert_int_equal(pthread_create(&early.th, NULL, fifo_main, &early), 0);
    usleep(100000);
    assert_int_equal(printer_send_bytes(&t, NULL, data, n, NULL, &r), BK_ERR_IO);
    pthread_join(early.th, NULL);
    assert_int_equal(r.state, PRINT_FAILED);
    assert_true(r.reason == PRINT_R_IO || r.reason == PRINT_R_NO_DEVICE);
    free(early.got);
    free(data);
}

/* A pseudo-terminal in raw mode is a character device that answers: it
 * stands in for a two-way USB printer. */
typedef struct pty_printer {
    int master, slave_keep;
    char path[128];
    int reply;
    uint8_t got[70000];
    size_t n, want;
    pthread_t th;
} pty_printer;

static void *pty_main(void *arg)
{
    pty_printer *p = arg;
    int answered = 0;
    int64_t end = now_ms() + 5000;
    while (p->n < p->want && now_ms() < end) {
        struct pollfd q = {.fd = p->master, .events = POLLIN};
        if (poll(&q, 1, 50) <= 0) continue;
        ssize_t k = read(p->master, p->got + p->n, sizeof p->got - p->n);
        if (k <= 0) break;
        p->n += (size_t)k;
        if (!answered && p->reply >= 0 && p->n >= 3) {
            uint8_t r = (uint8_t)p->reply;
            if (write(p->master, &r, 1) != 1) break;
            answered = 1;
        }
    }
    return NULL;
}

static void pty_open(pty_printer *p, int reply, size_t want)
{
    memset(p, 0, sizeof *p);
    p->reply = reply;
    p->want = want;
    p->master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(p->master >= 0);
    assert_int_equal(grantpt(p->master), 0);
    assert_int_equal(unlockpt(p->master), 0);
    snprintf(p->path, sizeof p->path, "%s", ptsname(p->master));
    p->slave_keep = open(p->path, O_RDWR | O_NOCTTY);
    assert_true(p->slave_keep >= 0);
    struct termios tio;
    assert_int_equal(tcgetattr(p->slave_keep, &tio), 0);
    cfmakeraw(&tio);
    assert_int_equal(tcsetattr(p->slave_keep, TCSANOW, &tio), 0);
    assert_int_equal(pthread_create(&p->th, NULL, pty_main, p), 0);
}

static void pty_close(pty_printer *p)
{
    pthread_join(p->th, NULL);
    close(p->slave_keep);
    close(p->master);
}

static void test_device_paper_status(void **state)
{
    (void)state;
    uint8_t *data = pattern(20000);
    struct {
        int reply;
        escpos_paper paper;
        print_reason reason;
    } cases[] = {{0x12, ESCPOS_PAPER_OK, PRINT_R_NONE},
                 {0x1E, ESCPOS_PAPER_LOW, PRINT_R_NONE},
                 {0x72, ESCPOS_PAPER_OUT, PRINT_R_PAPER_OUT},
                 {-1, ESCPOS_PAPER_UNKNOWN, PRINT_R_NONE}};
    for (size_t k = 0; k < 4; k++) {
        pty_printer p;
        int out = cases[k].reason == PRINT_R_PAPER_OUT;
        pty_open(&p, cases[k].reply, out ? 3 : 3 + 20000);
        printer_target t;
        assert_int_equal(printer_target_parse(p.path, &t, NULL), BK_OK);
        print_result r;
        printer_send_bytes(&t, NULL, data, 20000, NULL, &r);
        pty_close(&p);
        assert_int_equal(r.paper, cases[k].paper);
        assert_int_equal(r.reason, cases[k].reason);
        assert_memory_equal(p.got, ESCPOS_PAPER_STATUS, 3);
        if (out) {
            assert_int_equal(r.state, PRINT_FAILED);
            assert_int_equal(p.n, 3);
        } else {
            assert_int_equal(r.state, PRINT_DONE);
            assert_int_equal(p.n, 3 + 20000);
            assert_memory_equal(p.got + 3, data, 20000);
        }
    }
    free(data);
}

/* ---- worker ------------------------------------------------------------- */

static void wait_final(printer *p, uint32_t job, print_result *r, int max_ms)
{
    int64_t end = now_ms() + max_ms;
    for (;;) {
        printer_poll(p, job, r);
        if (r->state == PRINT_DONE || r->state == PRINT_FAILED) return;
        if (now_ms() > end) fail_msg("job %u still in state %d after %d ms", job, r->state, max_ms);
        usleep(5000);
    }
}

static void test_worker_never_blocks(void **state)
{
    (void)state;
    int port, fill[8], nfill;
    int l = hanging_printer(&port, fill, &nfill);
    printer_target t;
    net_target(&t, port);
    printer_opts o = {.timeout_ms = 1500};
    printer *p;
    assert_int_equal(printer_start(&t, &o, &p), BK_OK);
    slip_image im;
    fake_image(&im);
    uint32_t job;
    int64_t t0 = now_ms();
    assert_int_equal(printer_submit(p, &im, &job), BK_OK);
    int64_t submit_ms = now_ms() - t0;
    assert_true(job > 0);
    /* The UI loop: poll every frame; no call may stall it. */
    int64_t worst = 0;
    print_result r;
    int saw_printing = 0;
    for (;;) {
        int64_t a = now_ms();
        printer_poll(p, job, &r);
        int64_t d = now_ms() - a;
        if (d > worst) worst = d;
        saw_printing |= r.state == PRINT_PRINTING;
        if (r.state == PRINT_FAILED || r.state == PRINT_DONE) break;
        assert_true(now_ms() - t0 < 4000);
        usleep(16000);
    }
    int64_t total = now_ms() - t0;
    printf("# worker: submit %lld ms, worst poll %lld ms, failure reported after %lld ms\n",
           (long long)submit_ms, (long long)worst, (long long)total);
    assert_true(submit_ms < 50);
    assert_true(worst < 20);
    assert_true(saw_printing);
    assert_int_equal(r.reason, PRINT_R_TIMEOUT);
    assert_true(total >= 1450 && total < 2500);
    printer_stop(p);
    for (int i = 0; i < nfill; i++)
        close(fill[i]);
    close(l);
    slip_image_free(&im);
}

static void test_worker_prints_and_queues(void **state)
{
    (void)state;
    srv s;
    srv_start(&s, SRV_STORE, 0x12);
    printer_target t;
    net_target(&t, s.port);
    printer *p;
    assert_int_equal(printer_start(&t, NULL, &p), BK_OK);
    uint8_t *data = pattern(10000);
    uint32_t job;
    assert_int_equal(printer_submit_bytes(p, data, 10000, NULL, &job), BK_OK);
    print_result r;
    wait_final(p, job, &r, 5000);
    assert_int_equal(r.state, PRINT_DONE);
    assert_int_equal(r.paper, ESCPOS_PAPER_OK);
    printer_poll(p, job + 100, &r);
    assert_int_equal(r.state, PRINT_UNKNOWN);
    printer_stop(p);
    srv_end(&s);
    assert_int_equal(s.n, 3 + 10000);
    assert_memory_equal(s.got + 3, data, 10000);
    free(s.got);

    /* Disabled printer: the job fails with a reason, immediately. */
    assert_int_equal(printer_target_parse("none", &t, NULL), BK_OK);
    assert_int_equal(printer_start(&t, NULL, &p), BK_OK);
    assert_int_equal(printer_submit_bytes(p, data, 10, NULL, &job), BK_OK);
    wait_final(p, job, &r, 1000);
    assert_int_equal(r.reason, PRINT_R_DISABLED);
    printer_stop(p);

    /* A hung printer: one job printing, PRINTER_QUEUE_MAX waiting, the next
     * is refused (and pollable); stop() cancels promptly. */
    int port, fill[8], nfill;
    int l = hanging_printer(&port, fill, &nfill);
    net_target(&t, port);
    printer_opts o = {.timeout_ms = 3000};
    assert_int_equal(printer_start(&t, &o, &p), BK_OK);
    uint32_t jobs[PRINTER_QUEUE_MAX + 2];
    assert_int_equal(printer_submit_bytes(p, data, 10, NULL, &jobs[0]), BK_OK);
    int64_t end = now_ms() + 1000;
    do {
        printer_poll(p, jobs[0], &r);
        usleep(2000);
    } while (r.state != PRINT_PRINTING && now_ms() < end);
    assert_int_equal(r.state, PRINT_PRINTING);
    for (int i = 1; i <= PRINTER_QUEUE_MAX; i++)
        assert_int_equal(printer_submit_bytes(p, data, 10, NULL, &jobs[i]), BK_OK);
    assert_int_equal(printer_submit_bytes(p, data, 10, NULL, &jobs[PRINTER_QUEUE_MAX + 1]),
                     BK_ERR_BUSY);
    printer_poll(p, jobs[PRINTER_QUEUE_MAX + 1], &r);
    assert_int_equal(r.state, PRINT_FAILED);
    assert_int_equal(r.reason, PRINT_R_QUEUE_FULL);
    printer_poll(p, jobs[1], &r);
    assert_int_equal(r.state, PRINT_QUEUED);
    int64_t t0 = now_ms();
    printer_stop(p);
    assert_true(now_ms() - t0 < 500);
    for (int i = 0; i < nfill; i++)
        close(fill[i]);
    close(l);
    free(data);
}

/* ---- audit -------------------------------------------------------------- */

typedef struct audit_seen {
    int n;
    char action[8][64];
    char detail[8][STORE_TEXT_SZ];
    int64_t ticket[8];
} audit_seen;

static bk_err audit_cb(void *ud, const store_audit_row *a)
{
    audit_seen *s = ud;
    if (strncmp(a->action, "print_", 6) != 0 || s->n >= 8) return BK_OK;
    snprintf(s->action[s->n], sizeof s->action[0], "%s", a->action);
    snprintf(s->detail[s->n], sizeof s->detail[0], "%s", a->detail);
    s->ticket[s->n] = a->ticket_id;
    s->n++;
    return BK_OK;
}

static void test_audit_records_failures(void **state)
{
    (void)state;
    char db[512], err[256];
    snprintf(db, sizeof db, "%s/audit.db", tmpdir);
    store *st = NULL;
    store_opts so = {.create = 1};
    assert_int_equal(store_open(db, &so, &st, err, sizeof err), BK_OK);
    /* A real failure from a real attempt. */
    printer_target t;
    dev_target(&t, "no-such-dir/lp0");
    uint8_t b[4] = {0};
    print_result r;
    printer_send_bytes(&t, NULL, b, 4, NULL, &r);
    assert_int_equal(slip_store_audit_print(st, 1796628600, "kiosk:lobby", 0, &t, &r), BK_OK);
    print_result low = {.state = PRINT_DONE, .paper = ESCPOS_PAPER_LOW};
    assert_int_equal(slip_store_audit_print(st, 1796628601, "kiosk:lobby", 0, &t, &low), BK_OK);
    print_result ok = {.state = PRINT_DONE, .paper = ESCPOS_PAPER_OK};
    assert_int_equal(slip_store_audit_print(st, 1796628602, "kiosk:lobby", 0, &t, &ok), BK_OK);
    print_result off = {.state = PRINT_FAILED, .reason = PRINT_R_DISABLED};
    assert_int_equal(slip_store_audit_print(st, 1796628603, "kiosk:lobby", 0, &t, &off), BK_OK);
    audit_seen seen = {0};
    assert_int_equal(store_audit_list(st, 0, 0, 0, audit_cb, &seen), BK_OK);
    assert_int_equal(seen.n, 2);
    assert_string_equal(seen.action[0], "print_failed");
    assert_non_null(strstr(seen.detail[0], "reason=no_device"));
    assert_non_null(strstr(seen.detail[0], t.path));
    assert_string_equal(seen.action[1], "print_paper_low");
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_parse),
        cmocka_unit_test(test_network_stores_bytes),
        cmocka_unit_test(test_network_paper_status),
        cmocka_unit_test(test_network_refused),
        cmocka_unit_test(test_network_hang_times_out),
        cmocka_unit_test(test_network_stall_times_out),
        cmocka_unit_test(test_device_file_and_missing),
        cmocka_unit_test(test_device_permission_denied),
        cmocka_unit_test(test_device_fifo),
        cmocka_unit_test(test_device_paper_status),
        cmocka_unit_test(test_worker_never_blocks),
        cmocka_unit_test(test_worker_prints_and_queues),
        cmocka_unit_test(test_audit_records_failures),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
