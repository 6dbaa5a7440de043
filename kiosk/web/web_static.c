/* web_static.c — the staff console's files ([web] static_dir), served as
 * they are (no build step). Only GET and HEAD; a path is at most 200 bytes
 * of [A-Za-z0-9._-/], no segment starts with a dot (no "..", no hidden
 * files), "/" and directories mean index.html; the file is opened with
 * O_NOFOLLOW below the directory, so nothing outside it is ever read. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web_priv.h"

static const char *type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

static int path_ok(const char *url)
{
    size_t n = strlen(url);
    if (n == 0 || n > 200 || url[0] != '/') return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = url[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '.' || ch == '_' || ch == '-' || ch == '/';
        if (!ok) return 0;
        if (ch == '/' && (url[i + 1] == '.' || url[i + 1] == '/')) return 0;
    }
    return 1;
}

void web_static(web_call *c)
{
    web_server *w = c->w;
    if (strcmp(c->method, "GET") && strcmp(c->method, "HEAD")) {
        web_fail(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method", "use GET");
        return;
    }
    if (!w->static_dir[0] || !path_ok(c->url)) {
        web_fail(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
        return;
    }
    char path[CFG_PATH_SZ + 256];
    const char *rel = c->url + 1;
    size_t n = strlen(rel);
    snprintf(path, sizeof path, "%s/%s%s", w->static_dir, rel,
             n == 0 || rel[n - 1] == '/' ? "index.html" : "");
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat sb;
    if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(fd);
        snprintf(path, sizeof path, "%s/%s/index.html", w->static_dir, rel);
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        if (fd >= 0) close(fd);
        web_fail(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
        return;
    }
    struct MHD_Response *r = MHD_create_response_from_fd((size_t)sb.st_size, fd);
    if (!r) {
        close(fd);
        web_fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
        return;
    }
    MHD_add_response_header(r, "Content-Type", type_of(path));
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'");
    c->resp = r;
}
