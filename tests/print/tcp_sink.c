/* tcp_sink — a loopback raw printer for shell tests: listens on 127.0.0.1
 * (a free port, written to PORTFILE), accepts one connection, stores every
 * byte in OUTFILE, exits when the peer closes or after TIMEOUT seconds.
 *   tcp_sink PORTFILE OUTFILE TIMEOUT_S */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: tcp_sink PORTFILE OUTFILE TIMEOUT_S\n");
        return 2;
    }
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof a;
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 1) ||
        getsockname(l, (struct sockaddr *)&a, &sl)) {
        perror("tcp_sink");
        return 1;
    }
    FILE *pf = fopen(argv[1], "w");
    if (!pf || fprintf(pf, "%d\n", ntohs(a.sin_port)) < 0 || fclose(pf)) {
        perror(argv[1]);
        return 1;
    }
    int timeout_ms = atoi(argv[3]) * 1000;
    struct pollfd p = {.fd = l, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) != 1) return 1;
    int c = accept(l, NULL, NULL);
    FILE *out = fopen(argv[2], "wb");
    if (c < 0 || !out) return 1;
    time_t end = time(NULL) + atoi(argv[3]);
    for (;;) {
        struct pollfd q = {.fd = c, .events = POLLIN};
        if (poll(&q, 1, 200) == 0) {
            if (time(NULL) > end) break;
            continue;
        }
        char buf[65536];
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) return 1;
    }
    close(c);
    return fclose(out) ? 1 : 0;
}
