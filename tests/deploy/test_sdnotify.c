/* test_sdnotify.c — sdnotify against a real datagram socket standing in for
 * systemd's notify socket (a path socket and an abstract one). */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "sdnotify.h"

typedef struct fixture {
    char dir[64];
    char path[128];
    int fd; /* the "systemd" end */
} fixture;

static int bind_dgram(const char *name, int abstract)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    socklen_t len;
    size_t n = strlen(name);
    if (n + 1 >= sizeof a.sun_path) {
        close(fd);
        return -1;
    }
    if (abstract) {
        memcpy(a.sun_path + 1, name, n);
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
    } else {
        memcpy(a.sun_path, name, n + 1);
        len = (socklen_t)sizeof a;
    }
    if (bind(fd, (struct sockaddr *)&a, len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Next datagram within timeout_ms into buf (NUL-terminated); -1 if none. */
static int recv_msg(int fd, char *buf, size_t sz, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) != 1) return -1;
    ssize_t n = recv(fd, buf, sz - 1, 0);
    if (n < 0) return -1;
    buf[n] = 0;
    return (int)n;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/bk-sdnotify-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/notify", f->dir);
    f->fd = bind_dgram(f->path, 0);
    assert_true(f->fd >= 0);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->fd >= 0) close(f->fd);
    unlink(f->path);
    rmdir(f->dir);
    free(f);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    return 0;
}

static void test_inactive_without_socket(void **state)
{
    fixture *f = *state;
    sdnotify n;
    assert_int_equal(sdnotify_open(&n), BK_OK);
    assert_false(sdnotify_active(&n));
    assert_int_equal(sdnotify_ready(&n), BK_OK);
    assert_int_equal(sdnotify_watchdog(&n), BK_OK);
    assert_int_equal(sdnotify_status(&n, "x %d", 1), BK_OK);
    assert_int_equal(sdnotify_stopping(&n), BK_OK);
    assert_int_equal(sdnotify_watchdog_usec(&n), 0);
    assert_int_equal(sdnotify_watchdog_due_ms(&n, 250), 250);
    char buf[64];
    assert_int_equal(recv_msg(f->fd, buf, sizeof buf, 50), -1);
    sdnotify_close(&n);
    sdnotify_close(&n); /* twice is fine */
}

static void test_path_socket_messages(void **state)
{
    fixture *f = *state;
    setenv("NOTIFY_SOCKET", f->path, 1);
    sdnotify n;
    assert_int_equal(sdnotify_open(&n), BK_OK);
    assert_true(sdnotify_active(&n));
    char buf[512];

    assert_int_equal(sdnotify_ready(&n), BK_OK);
    assert_true(recv_msg(f->fd, buf, sizeof buf, 1000) > 0);
    assert_string_equal(buf, "READY=1");

    assert_int_equal(sdnotify_status(&n, "serving %d tickets\nsecond line", 7), BK_OK);
    assert_true(recv_msg(f->fd, buf, sizeof buf, 1000) > 0);
    assert_string_equal(buf, "STATUS=serving 7 tickets second line");

    assert_int_equal(sdnotify_send(&n, "READY=1\nSTATUS=raw"), BK_OK);
    assert_true(recv_msg(f->fd, buf, sizeof buf, 1000) > 0);
    assert_string_equal(buf, "READY=1\nSTATUS=raw");

    assert_int_equal(sdnotify_stopping(&n), BK_OK);
    assert_true(recv_msg(f->fd, buf, sizeof buf, 1000) > 0);
    assert_string_equal(buf, "STOPPING=1");

    /* no watchdog configured: WATCHDOG=1 is never sent */
    assert_int_equal(sdnotify_watchdog(&n), BK_OK);
    assert_int_equal(recv_msg(f->fd, buf, sizeof buf, 50), -1);
    sdnotify_close(&n);
    assert_false(sdnotify_active(&n));
}

static void test_abstract_socket(void **state)
{
    (void)state;
    char name[64], env[80];
    snprintf(name, sizeof name, "bk-sdnotify-test-%ld", (long)getpid());
    int fd = bind_dgram(name, 1);
    assert_true(fd >= 0);
    snprintf(env, sizeof env, "@%s", name);
    setenv("NOTIFY_SOCKET", env, 1);
    sdnotify n;
    assert_int_equal(sdnotify_open(&n), BK_OK);
    assert_int_equal(sdnotify_ready(&n), BK_OK);
    char buf[64];
    assert_true(recv_msg(fd, buf, sizeof buf, 1000) > 0);
    assert_string_equal(buf, "READY=1");
    sdnotify_close(&n);
    close(fd);
}

static void test_bad_socket_values(void **state)
{
    (void)state;
    sdnotify n;
    setenv("NOTIFY_SOCKET", "relative/notify", 1);
    assert_int_equal(sdnotify_open(&n), BK_ERR_INVALID);
    assert_false(sdnotify_active(&n));
    assert_int_equal(sdnotify_ready(&n), BK_OK); /* inactive: a no-op */

    setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
    assert_int_equal(sdnotify_open(&n), BK_ERR_INVALID);
    assert_false(sdnotify_active(&n));

    setenv("NOTIFY_SOCKET", "@", 1);
    assert_int_equal(sdnotify_open(&n), BK_ERR_INVALID);

    char longpath[200];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = 0;
    setenv("NOTIFY_SOCKET", longpath, 1);
    assert_int_equal(sdnotify_open(&n), BK_ERR_INVALID);
    assert_false(sdnotify_active(&n));
}

static void test_watchdog_env(void **state)
{
    fixture *f = *state;
    sdnotify n;
    char pid[32];
    setenv("NOTIFY_SOCKET", f->path, 1);

    setenv("WATCHDOG_USEC", "30000000", 1);
    assert_int_equal(sdnotify_open(&n), BK_OK);
    assert_int_equal(sdnotify_watchdog_usec(&n), 30000000);
    sdnotify_close(&n);

    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    setenv("WATCHDOG_PID", pid, 1);
    assert_int_equal(sdnotify_open(&n), BK_OK);
    assert_int_equal(sdnotify_watchdog_usec(&n), 30000000);
    sdnotify_close(&n);

    snprintf(pid, sizeof pid, "%ld", (long)getpid() + 1); /* meant for another process */
    setenv("WATCHDOG_PID", pid, 1);
    assert_int_equal(sdnotify_open(&n), BK_OK);
    assert_true(sdnotify_active(&n));
    assert_int_equal(sdnotify_watchdog_usec(&n), 0);
    sdnotify_close(&n);
    unsetenv("WATCHDOG_PID");

    setenv("WATCHDOG_USEC", "30s", 1);
    assert_int_equal(sdnotify_open(&n), BK_ERR_INVALID);
    assert_true(sdnotify_active(&n)); /* READY=1 etc. still work */
    assert_int_equal(sdnotify_watchdog_usec(&n), 0);
    sdnotify_close(&n);

    setenv("WATCHDOG_USEC", "0", 1);
    assert_int_equal(sdnotify_open(&n), BK_ERR_INVALID);
    assert_int_equal(sdnotify_watchdog_usec(&n), 0);
    sdnotify_close(&n);
}

static void test_watchdog_rate_limit(void **state)
{
    fixture *f = *state;
    setenv("NOTIFY_SOCKET", f->path, 1);
    setenv("WATCHDOG_USEC", "1000000", 1); /* 1 s: ping at most every 0.5 s */
    sdnotify n;
    assert_int_equal(sdnotify_open(&n), BK_OK);
    char buf[64];
    int sent = -1;

    assert_int_equal(sdnotify_watchdog_due_ms_at(&n, 5000000, 250), 0); /* never pinged: now */
    assert_int_equal(sdnotify_watchdog_at(&n, 5000000, &sent), BK_OK);
    assert_int_equal(sent, 1);
    assert_true(recv_msg(f->fd, buf, sizeof buf, 1000) > 0);
    assert_string_equal(buf, "WATCHDOG=1");

    /* within half the interval: nothing goes out */
    static const int64_t quiet[] = {5000001, 5100000, 5499999};
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++) {
        assert_int_equal(sdnotify_watchdog_at(&n, quiet[i], &sent), BK_OK);
        assert_int_equal(sent, 0);
    }
    assert_int_equal(recv_msg(f->fd, buf, sizeof buf, 50), -1);
    assert_int_equal(sdnotify_watchdog_due_ms_at(&n, 5100000, 1000), 400);
    assert_int_equal(sdnotify_watchdog_due_ms_at(&n, 5100000, 250), 250);
    assert_int_equal(sdnotify_watchdog_due_ms_at(&n, 5499500, 250), 1); /* rounds up */
    assert_int_equal(sdnotify_watchdog_due_ms_at(&n, 5600000, 250), 0);

    /* at half the interval: the next ping */
    assert_int_equal(sdnotify_watchdog_at(&n, 5500000, &sent), BK_OK);
    assert_int_equal(sent, 1);
    assert_true(recv_msg(f->fd, buf, sizeof buf, 1000) > 0);
    assert_string_equal(buf, "WATCHDOG=1");
    assert_int_equal(sdnotify_watchdog_at(&n, 5600000, &sent), BK_OK);
    assert_int_equal(sent, 0);

    /* 100 calls spread over 1 s of fake time: exactly 2 pings */
    int pings = 0;
    for (int i = 1; i <= 100; i++) {
        assert_int_equal(sdnotify_watchdog_at(&n, 5500000 + i * 10000, &sent), BK_OK);
        pings += sent;
    }
    assert_int_equal(pings, 2);
    while (recv_msg(f->fd, buf, sizeof buf, 10) > 0)
        ;
    sdnotify_close(&n);
}

static void test_failed_send_is_retried(void **state)
{
    fixture *f = *state;
    setenv("NOTIFY_SOCKET", f->path, 1);
    setenv("WATCHDOG_USEC", "1000000", 1);
    sdnotify n;
    assert_int_equal(sdnotify_open(&n), BK_OK);
    int sent = -1;
    assert_int_equal(sdnotify_watchdog_at(&n, 1000000, &sent), BK_OK);
    assert_int_equal(sent, 1);

    /* systemd's end goes away: the send fails and does not count as a ping */
    close(f->fd);
    unlink(f->path);
    assert_int_equal(sdnotify_watchdog_at(&n, 1600000, &sent), BK_ERR_IO);
    assert_int_equal(sent, 0);
    assert_int_equal(sdnotify_ready(&n), BK_ERR_IO);

    /* back again: the very next call pings, without waiting another half interval */
    f->fd = bind_dgram(f->path, 0);
    assert_true(f->fd >= 0);
    assert_int_equal(sdnotify_watchdog_at(&n, 1600001, &sent), BK_OK);
    assert_int_equal(sent, 1);
    char buf[64];
    assert_true(recv_msg(f->fd, buf, sizeof buf, 1000) > 0);
    assert_string_equal(buf, "WATCHDOG=1");
    sdnotify_close(&n);
}

static void test_status_truncated_on_char_boundary(void **state)
{
    fixture *f = *state;
    setenv("NOTIFY_SOCKET", f->path, 1);
    sdnotify n;
    assert_int_equal(sdnotify_open(&n), BK_OK);
    /* 199 ASCII bytes then "é" (2 bytes): byte 200 would split it */
    char text[256];
    memset(text, 'x', 199);
    memcpy(text + 199, "\xC3\xA9tail", 7);
    assert_int_equal(sdnotify_status(&n, "%s", text), BK_OK);
    char buf[512];
    int len = recv_msg(f->fd, buf, sizeof buf, 1000);
    assert_int_equal(len, 7 + 199);
    assert_memory_equal(buf, "STATUS=", 7);
    for (int i = 7; i < len; i++)
        assert_int_equal(buf[i], 'x');

    /* 198 ASCII bytes then "é": the cut at 200 bytes keeps it whole */
    memset(text, 'x', 198);
    memcpy(text + 198, "\xC3\xA9tail", 7);
    assert_int_equal(sdnotify_status(&n, "%s", text), BK_OK);
    len = recv_msg(f->fd, buf, sizeof buf, 1000);
    assert_int_equal(len, 7 + 200);
    assert_memory_equal(buf + 7 + 198, "\xC3\xA9", 2);

    assert_int_equal(sdnotify_status(&n, "%s", "Siap: 3 menunggu"), BK_OK);
    assert_true(recv_msg(f->fd, buf, sizeof buf, 1000) > 0);
    assert_string_equal(buf, "STATUS=Siap: 3 menunggu");
    sdnotify_close(&n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_inactive_without_socket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path_socket_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abstract_socket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_socket_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watchdog_env, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watchdog_rate_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_send_is_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_truncated_on_char_boundary, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
