/* deploy_helper — small tools for the deploy shell tests (no python needed).
 *
 *   deploy_helper doctor-json FILE
 *       Validate `bapasctl doctor --json` output: one object with database,
 *       config, checks[{name,status,message,details[]}], ok, warn, fail,
 *       healthy, the counts agreeing with the checks. Prints "healthy=0|1"
 *       and one "NAME STATUS" line per check. Exit 1 if malformed.
 *   deploy_helper listen PORTFILE SECONDS
 *       Listen on 127.0.0.1 (a free port, written to PORTFILE), accept and
 *       close connections for SECONDS, then exit 0.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int bad(const char *what)
{
    fprintf(stderr, "deploy_helper: doctor JSON: %s\n", what);
    return 1;
}

static int doctor_json(const char *path)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        fprintf(stderr, "deploy_helper: %s:%d: %s\n", path, err.line, err.text);
        return 1;
    }
    int rc = 1;
    json_t *checks = json_object_get(root, "checks");
    json_t *healthy = json_object_get(root, "healthy");
    if (!json_is_array(checks) || !json_is_boolean(healthy) ||
        !json_is_string(json_object_get(root, "database")) || !json_object_get(root, "config")) {
        rc = bad("missing top-level keys");
        goto out;
    }
    long counts[3] = {0, 0, 0};
    static const char *names[3] = {"ok", "warn", "fail"};
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c)
    {
        const char *name = json_string_value(json_object_get(c, "name"));
        const char *status = json_string_value(json_object_get(c, "status"));
        const char *msg = json_string_value(json_object_get(c, "message"));
        if (!name || !status || !msg || !*msg || !json_is_array(json_object_get(c, "details"))) {
            rc = bad("a check lacks name/status/message/details");
            goto out;
        }
        int k = -1;
        for (int j = 0; j < 3; j++)
            if (!strcmp(status, names[j])) k = j;
        if (k < 0) {
            rc = bad("a status is not ok/warn/fail");
            goto out;
        }
        counts[k]++;
        printf("%s %s\n", name, status);
    }
    for (int j = 0; j < 3; j++) {
        json_t *n = json_object_get(root, names[j]);
        if (!json_is_integer(n) || json_integer_value(n) != counts[j]) {
            rc = bad("ok/warn/fail counts disagree with the checks");
            goto out;
        }
    }
    if (json_is_true(healthy) != (counts[2] == 0)) {
        rc = bad("healthy disagrees with the FAIL count");
        goto out;
    }
    printf("healthy=%d\n", json_is_true(healthy) ? 1 : 0);
    rc = 0;
out:
    json_decref(root);
    return rc;
}

static int listen_for(const char *portfile, int seconds)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("deploy_helper: listen");
        return 1;
    }
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%d\n", ntohs(a.sin_port)) < 0 || fclose(f) != 0 ||
        rename(tmp, portfile) != 0) {
        perror("deploy_helper: port file");
        return 1;
    }
    time_t end = time(NULL) + seconds;
    while (time(NULL) < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) == 1) {
            int c = accept(fd, NULL, NULL);
            if (c >= 0) close(c);
        }
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "doctor-json")) return doctor_json(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "listen")) return listen_for(argv[2], atoi(argv[3]));
    fprintf(stderr, "usage: deploy_helper doctor-json FILE | listen PORTFILE SECONDS\n");
    return 2;
}
