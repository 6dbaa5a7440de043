/* blog.h — log lines for stderr that journald understands.
 *
 * Under systemd (stderr connected to the journal: $JOURNAL_STREAM is set) a
 * line is "<N>message", the sd-daemon(3) priority prefix, so `journalctl -p
 * warning` works; on a terminal it is "prog: message". Callers never log
 * client names or birth dates: ticket codes, ids and error names only.
 * No state: the program name is passed in.
 */
#ifndef BK_BLOG_H
#define BK_BLOG_H

#include <stdarg.h>

/* Priorities as in syslog(3) / sd-daemon(3). */
enum { BLOG_ERR = 3, BLOG_WARNING = 4, BLOG_NOTICE = 5, BLOG_INFO = 6, BLOG_DEBUG = 7 };

void blog(int level, const char *prog, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void blog_v(int level, const char *prog, const char *fmt, va_list ap);

#endif
