#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "otime.h"
#include "valid.h"

static void issue(cfg *c, int line, int fatal, const char *fmt, ...)
{
    if (c->n_issues >= CFG_MAX_ISSUES) return;
    cfg_issue *is = &c->issues[c->n_issues++];
    is->line = line;
    is->fatal = fatal;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(is->msg, sizeof is->msg, fmt, ap);
    va_end(ap);
}

void cfg_defaults(cfg *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->office_name, sizeof c->office_name, "%s", CFG_DEFAULT_OFFICE_NAME);
    snprintf(c->timezone, sizeof c->timezone, "%s", OTIME_DEFAULT_ZONE);
    snprintf(c->office_language, sizeof c->office_language, "%s", "auto");
    c->utc_offset_min = 420;
    c->working_days = CAL_WORKDAYS_DEFAULT;
    snprintf(c->db_path, sizeof c->db_path, "%s", CFG_DEFAULT_DB);
    c->busy_timeout_ms = 5000;
    c->lockout_limit = 5;
    c->default_service_minutes = 10;
    snprintf(c->language, sizeof c->language, "%s", "id");
    c->idle_seconds = 30;
    c->ticket_idle_seconds = 15;
    c->sounds = 1;
    snprintf(c->kiosk_id, sizeof c->kiosk_id, "%s", "lobby");
    snprintf(c->printer, sizeof c->printer, "%s", "none");
    c->paper_mm = 80;
    c->printer_timeout_ms = 3000;
    c->login_failures = 5;
    c->lockout_minutes = 15;
    c->hash_iterations = 3;
    c->hash_memory_kib = 65536;
    snprintf(c->web_listen, sizeof c->web_listen, "%s", "127.0.0.1:8080");
    c->web_idle_hours = 8;
    c->web_login_per_address = 20;
}

static int parse_bool(const char *v, int *out)
{
    static const char *yes[] = {"1", "true", "yes", "on", "ya"};
    static const char *no[] = {"0", "false", "no", "off", "tidak"};
    for (size_t i = 0; i < 5; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = 1;
            return 1;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = 0;
            return 1;
        }
    }
    return 0;
}

static void set_int(cfg *c, int *dst, const char *v, long lo, long hi, const char *key, int line)
{
    long x;
    if (valid_int(v, lo, hi, &x, NULL)) {
        issue(c, line, 0, "%s: \"%s\" is not a whole number from %ld to %ld; using %d", key, v, lo,
              hi, *dst);
        return;
    }
    *dst = (int)x;
}

static void set_bool(cfg *c, int *dst, const char *v, const char *key, int line)
{
    if (!parse_bool(v, dst))
        issue(c, line, 0, "%s: \"%s\" is not yes/no; using %s", key, v, *dst ? "yes" : "no");
}

static void set_str(cfg *c, char *dst, size_t sz, const char *v, size_t max_chars, const char *key,
                    int line)
{
    if (valid_text(v, max_chars, 0, NULL) || strlen(v) >= sz) {
        issue(c, line, 0, "%s: value is too long or not valid UTF-8 text; using the default", key);
        return;
    }
    snprintf(dst, sz, "%s", v);
}

static int known_section(const char *section)
{
    static const char *names[] = {"office",  "database", "queue",    "kiosk",
                                  "printer", "board",    "accounts", "web"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(section, names[i]) == 0) return 1;
    return 0;
}

void cfg_set(cfg *c, const char *section, const char *key, const char *v, int line)
{
#define IS(s, k) (strcasecmp(section, s) == 0 && strcasecmp(key, k) == 0)
    if (IS("office", "name")) {
        set_str(c, c->office_name, sizeof c->office_name, v, 80, "office.name", line);
    } else if (IS("office", "timezone")) {
        int off;
        if (otime_zone_offset(v, &off)) {
            issue(c, line, 1,
                  "office.timezone: unknown zone \"%s\" (use Asia/Jakarta, Asia/Makassar, "
                  "Asia/Jayapura or +HH:MM); refusing to start so office days are not wrong",
                  v);
            return;
        }
        snprintf(c->timezone, sizeof c->timezone, "%s", v);
        c->utc_offset_min = off;
    } else if (IS("office", "language")) {
        if (strcmp(v, "auto") && strcmp(v, "id") && strcmp(v, "en")) {
            issue(c, line, 0, "office.language: \"%s\" is not auto, id or en; using auto", v);
            return;
        }
        snprintf(c->office_language, sizeof c->office_language, "%s", v);
    } else if (IS("office", "working_days")) {
        unsigned m;
        if (cal_parse_workdays(v, &m)) {
            issue(c, line, 0,
                  "office.working_days: \"%s\" is not a list of weekdays (mon,tue,wed,thu,fri "
                  "or sen,sel,rab,kam,jum); using mon,tue,wed,thu,fri",
                  v);
            c->working_days = CAL_WORKDAYS_DEFAULT;
            return;
        }
        c->working_days = m;
    } else if (IS("office", "slip_footer")) {
        set_str(c, c->slip_footer, sizeof c->slip_footer, v, 60, "office.slip_footer", line);
    } else if (IS("database", "path")) {
        if (!*v || strlen(v) >= sizeof c->db_path) {
            issue(c, line, 1, "database.path: empty or too long; refusing to start");
            return;
        }
        /* A PostgreSQL server (libpq URI) or a SQLite file by full path. */
        int uri = strncmp(v, "postgresql://", 13) == 0 || strncmp(v, "postgres://", 11) == 0;
        if (v[0] != '/' && !uri) {
            issue(c, line, 1,
                  "database.path: \"%s\" must be a full path starting with /; refusing to "
                  "start so no second, empty database is made",
                  v);
            return;
        }
        snprintf(c->db_path, sizeof c->db_path, "%s", v);
    } else if (IS("database", "busy_timeout_ms")) {
        set_int(c, &c->busy_timeout_ms, v, 100, 60000, "database.busy_timeout_ms", line);
    } else if (IS("accounts", "login_failures")) {
        set_int(c, &c->login_failures, v, 1, 50, "accounts.login_failures", line);
    } else if (IS("accounts", "lockout_minutes")) {
        set_int(c, &c->lockout_minutes, v, 1, 1440, "accounts.lockout_minutes", line);
    } else if (IS("accounts", "hash_iterations")) {
        set_int(c, &c->hash_iterations, v, 1, 20, "accounts.hash_iterations", line);
    } else if (IS("accounts", "hash_memory_kib")) {
        set_int(c, &c->hash_memory_kib, v, 64, 1048576, "accounts.hash_memory_kib", line);
    } else if (IS("web", "listen")) {
        set_str(c, c->web_listen, sizeof c->web_listen, v, 63, "web.listen", line);
    } else if (IS("web", "idle_hours")) {
        set_int(c, &c->web_idle_hours, v, 1, 720, "web.idle_hours", line);
    } else if (IS("web", "login_per_address")) {
        set_int(c, &c->web_login_per_address, v, 1, 10000, "web.login_per_address", line);
    } else if (IS("web", "tls_cert") || IS("web", "tls_key") || IS("web", "static_dir")) {
        char *dst = IS("web", "tls_cert")  ? c->web_tls_cert
                    : IS("web", "tls_key") ? c->web_tls_key
                                           : c->web_static_dir;
        if (*v && v[0] != '/') {
            issue(c, line, 1, "web.%s: \"%s\" must be a full path starting with /", key, v);
            return;
        }
        if (strlen(v) >= CFG_PATH_SZ) {
            issue(c, line, 1, "web.%s: too long", key);
            return;
        }
        snprintf(dst, CFG_PATH_SZ, "%s", v);
    } else if (IS("queue", "lockout_limit")) {
        set_int(c, &c->lockout_limit, v, 1, 20, "queue.lockout_limit", line);
    } else if (IS("queue", "default_service_minutes")) {
        set_int(c, &c->default_service_minutes, v, 1, 240, "queue.default_service_minutes", line);
    } else if (IS("kiosk", "language")) {
        if (strcmp(v, "id") && strcmp(v, "en")) {
            issue(c, line, 0, "kiosk.language: \"%s\" is not id or en; using id", v);
            return;
        }
        snprintf(c->language, sizeof c->language, "%s", v);
    } else if (IS("kiosk", "idle_seconds")) {
        set_int(c, &c->idle_seconds, v, 10, 600, "kiosk.idle_seconds", line);
    } else if (IS("kiosk", "ticket_idle_seconds")) {
        set_int(c, &c->ticket_idle_seconds, v, 5, 600, "kiosk.ticket_idle_seconds", line);
    } else if (IS("kiosk", "exit_pin")) {
        size_t n = strlen(v);
        int ok = n >= 4 && n < sizeof c->exit_pin;
        for (size_t i = 0; ok && i < n; i++)
            ok = v[i] >= '0' && v[i] <= '9';
        if (!ok && n) {
            issue(c, line, 0, "kiosk.exit_pin: must be 4 to 15 digits; operator exit disabled");
            c->exit_pin[0] = 0;
            return;
        }
        snprintf(c->exit_pin, sizeof c->exit_pin, "%s", v);
    } else if (IS("kiosk", "sounds")) {
        set_bool(c, &c->sounds, v, "kiosk.sounds", line);
    } else if (IS("kiosk", "rotation")) {
        int r = c->rotation;
        set_int(c, &r, v, 0, 270, "kiosk.rotation", line);
        if (r % 90) {
            issue(c, line, 0, "kiosk.rotation: must be 0, 90, 180 or 270; using %d", c->rotation);
            return;
        }
        c->rotation = r;
    } else if (IS("kiosk", "id")) {
        if (valid_officer_id(v, NULL) && strcmp(v, "reception")) {
            issue(c, line, 0, "kiosk.id: use letters, digits, . _ - only; using \"%s\"",
                  c->kiosk_id);
            return;
        }
        snprintf(c->kiosk_id, sizeof c->kiosk_id, "%s", v);
    } else if (IS("printer", "target")) {
        if (!*v || strlen(v) >= sizeof c->printer) {
            issue(c, line, 0, "printer.target: empty or too long; printing disabled");
            snprintf(c->printer, sizeof c->printer, "%s", "none");
            return;
        }
        /* Kept as written: the print layer parses it (printer_target_parse),
         * one parser for the kiosk, bapasctl and the doctor. Core cannot
         * call print (print sits above core), and a second, rougher copy
         * here once let "lp0" pass as "none" and the doctor call it OK. */
        snprintf(c->printer, sizeof c->printer, "%s", v);
        c->printer_line = line;
    } else if (IS("printer", "paper")) {
        int p = c->paper_mm;
        set_int(c, &p, v, 58, 80, "printer.paper", line);
        if (p != 58 && p != 80) {
            issue(c, line, 0, "printer.paper: must be 58 or 80; using %d", c->paper_mm);
            return;
        }
        c->paper_mm = p;
    } else if (IS("printer", "native_qr")) {
        set_bool(c, &c->printer_native_qr, v, "printer.native_qr", line);
    } else if (IS("printer", "timeout_ms")) {
        set_int(c, &c->printer_timeout_ms, v, 100, 3000, "printer.timeout_ms", line);
    } else if (IS("board", "show_initials")) {
        set_bool(c, &c->board_show_initials, v, "board.show_initials", line);
    } else if (!*section) {
        issue(c, line, 0, "key \"%s\" is outside any [section]; ignored", key);
    } else if (!known_section(section)) {
        issue(c, line, 0, "unknown section [%s] (key \"%s\"); ignored", section, key);
    } else {
        issue(c, line, 0, "unknown key \"%s\" in section [%s]; ignored", key, section);
    }
#undef IS
}

typedef struct reader {
    FILE *f;
    cfg *c;
    int line;
} reader;

/* Every line passes here before inih sees it, so that each problem is reported
 * at its own line (inih reports only the first malformed line) and nothing is
 * silently misread: leading blanks are removed (inih would take an indented
 * line as the continuation of the previous value), a line that is neither a
 * comment, a [section] nor key = value is reported and blanked, and a
 * "[section" without its "]" is reported and read as "[section]". */
static char *read_line(char *str, int num, void *stream)
{
    reader *r = stream;
    char *p = fgets(str, num, r->f);
    if (!p) return NULL;
    r->line++;
    size_t n = strlen(p);
    if (n == (size_t)num - 1 && p[n - 1] != '\n') {
        issue(r->c, r->line, 0, "line is longer than %d characters; ignored", num - 2);
        int ch;
        while ((ch = fgetc(r->f)) != EOF && ch != '\n')
            ;
        str[0] = '\n';
        str[1] = 0;
        return p;
    }
    if (r->line == 1 && strncmp(str, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 byte order mark */
        memmove(str, str + 3, strlen(str + 3) + 1);
    size_t lead = strspn(str, " \t");
    if (lead) memmove(str, str + lead, strlen(str + lead) + 1);
    char *end = str + strlen(str);
    while (end > str && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (end == str || str[0] == ';' || str[0] == '#') return p;
    if (str[0] == '[') {
        if (!memchr(str, ']', (size_t)(end - str))) {
            issue(r->c, r->line, 0, "section header \"%.*s\" has no closing ]; read as %.*s]",
                  (int)(end - str) > 60 ? 60 : (int)(end - str), str,
                  (int)(end - str) > 60 ? 60 : (int)(end - str), str);
            if ((int)(end - str) + 3 <= num) {
                end[0] = ']';
                end[1] = '\n';
                end[2] = 0;
            }
        }
        return p;
    }
    if (!strpbrk(str, "=:")) {
        issue(r->c, r->line, 0, "line is not \"key = value\" or \"[section]\"; ignored");
        str[0] = '\n';
        str[1] = 0;
    }
    return p;
}

static int on_key(void *ud, const char *section, const char *name, const char *value)
{
    reader *r = ud;
    cfg_set(r->c, section, name, value, r->line);
    return 1;
}

bk_err cfg_load(cfg *c, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        issue(c, 0, 0, "cannot read config %s: %s", path, strerror(errno));
        return BK_ERR_IO;
    }
    snprintf(c->source, sizeof c->source, "%s", path);
    reader r = {f, c, 0};
    int rc = ini_parse_stream(read_line, &r, on_key, &r);
    if (rc > 0)
        issue(c, rc, 0, "line is not \"key = value\" or \"[section]\"; ignored");
    else if (rc < 0)
        issue(c, 0, 1, "config %s could not be parsed", path);
    if (ferror(f)) {
        fclose(f);
        issue(c, 0, 1, "read error on %s", path);
        return BK_ERR_IO;
    }
    fclose(f);
    /* Report in line order (inih's own error, if any, was added last). */
    for (int i = 1; i < c->n_issues; i++) {
        cfg_issue t = c->issues[i];
        int j = i;
        for (; j > 0 && c->issues[j - 1].line > t.line; j--)
            c->issues[j] = c->issues[j - 1];
        c->issues[j] = t;
    }
    return BK_OK;
}

void cfg_issue_text(const cfg *c, int i, char *out, size_t outsz)
{
    if (i < 0 || i >= c->n_issues) {
        if (outsz) out[0] = 0;
        return;
    }
    const cfg_issue *is = &c->issues[i];
    const char *src = c->source[0] ? c->source : "config";
    const char *level = is->fatal ? "error" : "warning";
    if (is->line > 0)
        snprintf(out, outsz, "%s:%d: %s: %s", src, is->line, level, is->msg);
    else
        snprintf(out, outsz, "%s: %s: %s", src, level, is->msg);
}

void cfg_issue_add(cfg *c, int line, int fatal, const char *fmt, ...)
{
    if (c->n_issues >= CFG_MAX_ISSUES) return;
    cfg_issue t = {.line = line, .fatal = fatal};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t.msg, sizeof t.msg, fmt, ap);
    va_end(ap);
    int j = c->n_issues++;
    for (; j > 0 && c->issues[j - 1].line > line; j--)
        c->issues[j] = c->issues[j - 1];
    c->issues[j] = t;
}

int cfg_has_fatal(const cfg *c)
{
    for (int i = 0; i < c->n_issues; i++)
        if (c->issues[i].fatal) return 1;
    return 0;
}
