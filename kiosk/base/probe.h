/* probe.h — the doctor's framework: checks that each layer runs on itself.
 *
 * A probe looks at one part of the installation (the config, the database,
 * the printer, the display...) and records what it found in a probe_report
 * as items: a check name ("wal"), a level, a message and detail lines (what
 * to do). The probes live beside the code they check (store/store_probe.c,
 * print/printer_probe.c, ui/ui_probe.c, core/core_probe.c, base/base_probe.c);
 * `bapasctl doctor` (app/ctl_doctor.c) only chooses which to run and prints
 * the report. It lives in base so that every layer's probe can use it.
 *
 * Probes change nothing and cannot fail: whatever goes wrong while looking
 * is a FAIL or WARN item. A probe asks probe_wanted() before each check, so
 * `--check NAME,...` runs only what was asked for.
 *
 * Memory: a probe_report is a plain struct (about 100 KiB: allocate it, do
 * not put it on the stack); the caller owns it; names are static strings.
 */
#ifndef BK_PROBE_H
#define BK_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#define PROBE_MAX_ITEMS 24
#define PROBE_MAX_DETAILS 12
#define PROBE_DETAIL_SZ 320
#define PROBE_MSG_SZ 512
#define PROBE_MIB (1024LL * 1024LL)
#define PROBE_SERVICE_USER "bapas-kiosk" /* BAPAS_SERVICE_USER overrides it */

/* OK and WARN are healthy; FAIL is not. SKIP: the check does not apply here
 * (a local file's WAL when the database is a server); the reports leave SKIP
 * items out, so they are for a probe's own bookkeeping and tests. */
typedef enum probe_level { PROBE_OK, PROBE_WARN, PROBE_FAIL, PROBE_SKIP, PROBE__COUNT } probe_level;

/* Translates a printf format of a probe's message into the reader's
 * language (the app's catalog: bapasctl passes i18n_fmt), or returns it. */
typedef const char *(*probe_tr_fn)(void *ud, const char *fmt);

typedef struct probe_item {
    const char *name; /* static: the check's name */
    probe_tr_fn tr;   /* copied from the report by probe_add */
    void *tr_ud;
    probe_level level;
    char msg[PROBE_MSG_SZ];
    char details[PROBE_MAX_DETAILS][PROBE_DETAIL_SZ];
    int n_details;
} probe_item;

/* A check the caller knows by name, and the group that selects it too. */
typedef struct probe_check {
    const char *name;
    const char *group;
} probe_check;

/* The user the kiosk runs as, for "may it write this?" questions. */
typedef struct probe_user {
    int exists; /* 0: no such user; checks that need it are skipped */
    char name[64];
    uid_t uid;
    gid_t gid;
    gid_t groups[64];
    int ngroups;
} probe_user;

typedef struct probe_report {
    const probe_check *checks; /* borrowed, static */
    size_t n_checks;
    const char *only; /* borrowed: comma-separated names/groups, NULL = all */
    probe_user user;
    probe_item items[PROBE_MAX_ITEMS];
    int n;
    probe_tr_fn tr; /* NULL: English; set after probe_report_init */
    void *tr_ud;
} probe_report;

/* Empty the report, select `only` (NULL = every check in `checks`) and look
 * up the service user ($BAPAS_SERVICE_USER, else PROBE_SERVICE_USER). The
 * table and `only` are borrowed and must outlive the report. */
void probe_report_init(probe_report *r, const probe_check *checks, size_t n_checks,
                       const char *only);

/* Every comma-separated word of `list` names a check or a group of the
 * table. Returns 1, or 0 with the first unknown word copied into bad. */
int probe_list_valid(const probe_check *checks, size_t n_checks, const char *list, char *bad,
                     size_t badsz);

/* Whether the check `name` was selected (1) or not (0; also for a name not
 * in the table). */
int probe_wanted(const probe_report *r, const char *name);

/* Append an item (printf-style message) and return it for probe_detail().
 * Never NULL: past PROBE_MAX_ITEMS the last item is overwritten. */
probe_item *probe_add(probe_report *r, const char *name, probe_level level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Append a detail line; past PROBE_MAX_DETAILS it is dropped. */
void probe_detail(probe_item *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Raise an OK item to WARN (a warning found in its details); other levels
 * stay. */
void probe_warn(probe_item *it);

/* counts[level] for the items of the report (SKIP counted too). */
void probe_count(const probe_report *r, int counts[PROBE__COUNT]);

/* "OK", "WARN", "FAIL", "SKIP" (text) and "ok", "warn", "fail", "skip" (JSON). */
const char *probe_level_label(probe_level l);
const char *probe_level_json(probe_level l);

/* The text report: per item "LEVEL NAME MESSAGE" and its indented details,
 * then a blank line and the summary ("3 OK, 1 WARN, 0 FAIL: healthy, ...").
 * SKIP items are left out. Returns 0, or -1 when writing failed. */
int probe_print_text(const probe_report *r, FILE *out);

/* Whether the service user may access st with `want` (4 read, 2 write,
 * 1 exec/search) by the classic mode bits (ACLs are not looked at). */
int probe_user_may(const probe_user *u, const struct stat *st, int want);
/* Whether the service user is in group g (primary or supplementary). */
int probe_user_in_gid(const probe_user *u, gid_t g);

/* Helpers the probes share. "12.3 MiB", "4 KiB", "17 bytes". */
void probe_human_size(int64_t bytes, char *out, size_t outsz);
/* The directory part of path ("." for none, "/" for the root). */
void probe_dir_of(const char *path, char *out, size_t outsz);
/* s ends in suf, ignoring case. */
int probe_has_suffix(const char *s, const char *suf);
/* A message on one line (libpq's have a newline and a tab inside), in place. */
void probe_flatten(char *m);

#endif
