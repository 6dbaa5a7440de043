#include "blog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void blog_v(int level, const char *prog, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = 0;
    /* One line per record: the journal and grep both want that. */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    const char *js = getenv("JOURNAL_STREAM");
    if (level < 0 || level > 7) level = BLOG_INFO;
    if (js && *js)
        fprintf(stderr, "<%d>%s\n", level, msg);
    else
        fprintf(stderr, "%s: %s\n", prog, msg);
}

void blog(int level, const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    blog_v(level, prog, fmt, ap);
    va_end(ap);
}
