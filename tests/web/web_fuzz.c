/* web_fuzz.c — a mutation fuzzer for bapas-web's request parsing and JSON
 * bodies (issue 14): it sends N requests to a running server over TCP, each
 * a valid request of the API (with the session's cookie and CSRF token)
 * mutated by a seeded random generator (bit flips, inserted, deleted and
 * repeated bytes, truncation, odd headers, a wrong Content-Length, deep
 * nesting, invalid UTF-8, NULs), one connection each, and checks that every
 * answer is an HTTP status line without a 5xx other than libmicrohttpd's
 * 501 and 505 and the API's 503, or a closed connection, and that the server still answers a plain
 * request after each batch. Run under ASan (deploy/dev.sh test-asan), the server itself then proves
 * it does not corrupt memory or leak (its exit code).
 *
 * usage: web_fuzz PORT COOKIE CSRF COUNT SEED
 * Prints the count of each status class; exit 0 ok, 1 a failure (told).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static uint64_t rng;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

#define BUF 65536

/* Send len bytes, read the answer's first line into line. 0 = got a status
 * (*status set), 1 = the connection was closed without one, -1 = cannot
 * connect. */
static int exchange(int port, const char *req, size_t len, int *status)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* A request cut short leaves the server waiting for the rest (until its
     * 30 s timeout): not waiting that long for it counts as "closed". */
    struct timeval tv = {0, 250000}, stv = {3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &stv, sizeof stv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
        close(fd);
        return -1;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    char line[64] = "";
    size_t got = 0;
    while (got < sizeof line - 1) {
        ssize_t n = recv(fd, line + got, sizeof line - 1 - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
    }
    line[got] = 0;
    /* drain */
    char sink[4096];
    while (recv(fd, sink, sizeof sink, 0) > 0) {
    }
    close(fd);
    if (strncmp(line, "HTTP/1.", 7) || got < 12) return 1;
    *status = atoi(line + 9);
    return 0;
}

static size_t build(char *out, const char *method, const char *path, const char *cookie,
                    const char *csrf, const char *body, int clen_delta)
{
    int n = snprintf(out, BUF,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: bapas_session=%s\r\n"
                     "X-CSRF-Token: %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
                     method, path, cookie, csrf, (int)strlen(body) + clen_delta, body);
    return n > 0 && n < BUF ? (size_t)n : 0;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: web_fuzz PORT COOKIE CSRF COUNT SEED\n");
        return 2;
    }
    int port = atoi(argv[1]), count = atoi(argv[4]);
    const char *cookie = argv[2], *csrf = argv[3];
    rng = strtoull(argv[5], NULL, 10) | 1;
    static const char *const seeds[][3] = {
        {"POST", "/api/login", "{\"user\":\"rina\",\"password\":\"salah-salah-salah\"}"},
        {"POST", "/api/walkins", "{\"purpose\":\"other\",\"name\":\"Tamu Fuzz\"}"},
        {"POST", "/api/tickets/1/done", "{\"outcome\":\"counseled\"}"},
        {"POST", "/api/tickets/A-001/transfer", "{\"to\":\"PK01\",\"reason\":\"x\"}"},
        {"POST", "/api/presence", "{\"officer\":\"PK01\",\"status\":\"present\"}"},
        {"GET", "/api/queue?officer=PK01&all=1", ""},
        {"GET", "/api/reports/daily?from=2026-01-01&to=2026-01-31", ""},
        {"POST", "/api/officers/reception/call-next", ""},
        {"GET", "/api/tickets/1", ""},
        {"POST", "/api/locks/C004/unlock", ""},
        {"GET", "/../../etc/passwd", ""},
    };
    const size_t nseeds = sizeof seeds / sizeof seeds[0];
    static char req[BUF], body[8192];
    int classes[6] = {0}, closed = 0;
    for (int i = 0; i < count; i++) {
        const char *const *s = seeds[next() % nseeds];
        snprintf(body, sizeof body, "%s", s[2]);
        size_t blen = strlen(body);
        int clen_delta = 0;
        unsigned kind = next() % 10;
        if (kind == 0 && blen) { /* deep nesting */
            blen = 0;
            for (int k = 0; k < 3000 && blen < sizeof body - 2; k++)
                body[blen++] = '[';
            body[blen] = 0;
        } else if (kind == 1) {
            clen_delta = (int)(next() % 200) - 100;
        }
        size_t len = build(req, s[0], s[1], cookie, csrf, body, clen_delta);
        if (!len) continue;
        /* byte-level mutations over the whole request */
        int muts = 1 + (int)(next() % 6);
        for (int m = 0; m < muts && kind > 1 && len > 1; m++) {
            size_t at = next() % len;
            switch (next() % 6) {
            case 0: /* flip */
                req[at] = (char)(req[at] ^ (1u << (next() % 8)));
                break;
            case 1: /* random byte */
                req[at] = (char)(next() & 0xff);
                break;
            case 2: /* delete */
                memmove(req + at, req + at + 1, len - at - 1);
                len--;
                break;
            case 3: /* insert invalid UTF-8 or a NUL */
                if (len + 2 < BUF) {
                    memmove(req + at + 2, req + at, len - at);
                    req[at] = (char)0xc3;
                    req[at + 1] = (next() & 1) ? 0 : (char)0x28;
                    len += 2;
                }
                break;
            case 4: /* repeat a slice */
            {
                size_t n = next() % 64;
                if (at + n <= len && len + n < BUF) {
                    memmove(req + at + n, req + at, len - at);
                    len += n;
                }
                break;
            }
            case 5: /* truncate */
                len = at + 1;
                break;
            }
        }
        int st = 0, r = exchange(port, req, len, &st);
        if (r < 0) {
            fprintf(stderr, "FAIL: request %d: cannot connect (the server died?)\n", i);
            return 1;
        }
        if (r == 1) {
            closed++;
        } else {
            if (st < 100 || st > 599) {
                fprintf(stderr, "FAIL: request %d: status %d\n", i, st);
                return 1;
            }
            /* 5xx: only libmicrohttpd's own protocol answers (501 a method it
             * does not know, 505 an HTTP version) and 503 (busy) */
            if (st >= 500 && st != 501 && st != 503 && st != 505) {
                fprintf(stderr, "FAIL: request %d: server error %d for:\n%.*s\n", i, st,
                        (int)(len < 400 ? len : 400), req);
                return 1;
            }
            classes[st / 100]++;
        }
        if (i % 100 == 99) { /* still alive and sane */
            static char ping[BUF];
            size_t pl = build(ping, "GET", "/api/me", cookie, csrf, "", 0);
            if (exchange(port, ping, pl, &st) || st != 200) {
                fprintf(stderr, "FAIL: after request %d GET /api/me is %d\n", i, st);
                return 1;
            }
        }
    }
    printf("web_fuzz: %d requests: 2xx %d, 3xx %d, 4xx %d, 5xx %d, closed or waiting %d\n", count,
           classes[2], classes[3], classes[4], classes[5], closed);
    return 0;
}
