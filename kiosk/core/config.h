/* config.h — the INI configuration shared by every binary.
 *
 * Every key, its default and meaning is documented in
 * deploy/kiosk.example.ini. cfg_defaults() fills the defaults; cfg_load()
 * reads a file over them. Problems (unknown section or key, bad value, over-long
 * line) are collected as cfg_issue entries with their line numbers, each
 * marked fatal or not: a non-fatal problem keeps the default for that key; a
 * fatal one (an unusable database path or time zone) means the binary must
 * refuse to start. The cfg struct owns only fixed-size arrays: no freeing.
 */
#ifndef BK_CONFIG_H
#define BK_CONFIG_H

#include <stddef.h>

#include "bkerr.h"

#define CFG_STR_SZ 256
#define CFG_PATH_SZ 1024
#define CFG_MAX_ISSUES 32
#define CFG_DEFAULT_PATH "/etc/bapas-kiosk/kiosk.ini"
#define CFG_DEFAULT_OFFICE_NAME "Balai Pemasyarakatan" /* [office] name not set */
#define CFG_DEFAULT_DB "/var/lib/bapas-kiosk/bapas.db"

typedef struct cfg_issue {
    int line; /* 0 = not tied to a line */
    int fatal;
    char msg[CFG_STR_SZ];
} cfg_issue;

typedef struct cfg {
    /* [office] */
    char office_name[CFG_STR_SZ]; /* "Bapas Kelas I Jakarta Timur-Utara" */
    char timezone[64];            /* Asia/Jakarta */
    int utc_offset_min;           /* derived from timezone */
    char slip_footer[CFG_STR_SZ];
    char office_language[8]; /* bapasctl's messages: auto (the locale) | id | en */
    unsigned working_days;   /* bit n = weekday n open (0 = Sunday); Mon-Fri (calendar.h) */
    /* [database] */
    char db_path[CFG_PATH_SZ];
    int busy_timeout_ms; /* 5000 */
    /* [queue] */
    int lockout_limit;           /* 5 */
    int default_service_minutes; /* 10 */
    /* [kiosk] */
    char language[8];        /* id | en */
    int idle_seconds;        /* 30 */
    int ticket_idle_seconds; /* 15 */
    char exit_pin[16];       /* digits; "" = operator exit disabled */
    int sounds;              /* 1 */
    int rotation;            /* 0 90 180 270 */
    char kiosk_id[64];       /* recorded as the audit actor, "kiosk:<id>" */
    /* [printer] */
    /* none | /dev/usb/lp0 | host:9100 | cups:QUEUE, as written: only its
     * length is checked here; print/printer.h's printer_target_parse is the
     * one parser (the kiosk disables printing, the doctor FAILs, slip
     * --print and print-test refuse when it does not parse). */
    char printer[CFG_PATH_SZ];
    int printer_line;       /* its line in the file (0 = default): for printer_cfg_check's issue */
    int paper_mm;           /* 58 | 80 */
    int printer_native_qr;  /* 0 */
    int printer_timeout_ms; /* 3000 */
    /* [board] */
    int board_show_initials; /* 0 */
    /* [accounts] (staff logins; core/account.h) */
    int login_failures;  /* 5: wrong passwords in a row that lock an account */
    int lockout_minutes; /* 15 */
    int hash_iterations; /* 3: Argon2id t_cost of new passwords */
    int hash_memory_kib; /* 65536: Argon2id m_cost (64 MiB) */
    /* [web] (bapas-web, the office server; kiosk/web/web.md) */
    char web_listen[64];              /* "127.0.0.1:8080": IPv4 ADDR:PORT */
    int web_idle_hours;               /* 8: a session ends after this long unused */
    char web_tls_cert[CFG_PATH_SZ];   /* PEM certificate; "" = plain HTTP */
    char web_tls_key[CFG_PATH_SZ];    /* PEM private key (with web_tls_cert) */
    char web_static_dir[CFG_PATH_SZ]; /* files served under / ("" = none) */
    int web_login_per_address;        /* 20: failed logins per address per 15 min */

    char source[CFG_PATH_SZ]; /* file read, "" = defaults only */
    cfg_issue issues[CFG_MAX_ISSUES];
    int n_issues;
} cfg;

void cfg_defaults(cfg *c);

/* Read `path` over the current values. BK_ERR_IO if the file cannot be read
 * (an issue is recorded). Returns BK_OK even when issues were recorded:
 * check cfg_has_fatal(). */
bk_err cfg_load(cfg *c, const char *path);

/* Apply one key as if read from a file at `line` (also used by tests). */
void cfg_set(cfg *c, const char *section, const char *key, const char *value, int line);

int cfg_has_fatal(const cfg *c);

/* Record a problem found after loading, by a layer that knows the key
 * better (print/printer.h's printer_cfg_check), kept in line order.
 * Dropped past CFG_MAX_ISSUES. */
void cfg_issue_add(cfg *c, int line, int fatal, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Issue i as one line for stderr/the journal, the same in every binary:
 *   "/etc/bapas-kiosk/kiosk.ini:12: warning: unknown key "x" in section [kiosk]; ignored"
 *   "/etc/bapas-kiosk/kiosk.ini:3: error: office.timezone: unknown zone ..."
 *   "config: warning: cannot read config /x.ini: No such file ..."  (no line, no file read)
 * "warning" = the default was kept for that key; "error" = fatal (refuse to
 * start). Always NUL-terminates out. */
void cfg_issue_text(const cfg *c, int i, char *out, size_t outsz);

#endif
