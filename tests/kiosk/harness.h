/* harness.h — running the real bapas-kiosk binary from tests.
 *
 * A harness owns a temp directory with a demo database (loaded through the
 * store API with a pinned clock) and a config file; kiosk_run() writes a
 * script, runs `bapas-kiosk --script` in a child process under the SDL dummy
 * drivers and captures its stdout (the `dump` output) and stderr.
 */
#ifndef BK_TEST_HARNESS_H
#define BK_TEST_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

#include "queue.h"
#include "store.h"

/* Monday 7 December 2026, 10:00 WIB: every test runs on this office day. */

/* Script text: "Tidak" to the four default wajib lapor questions, which a
 * report check-in asks before [ticket] (db/010_report_questions.sql). */
#define H_QUESTIONS_NO "tap answer-no\ntap answer-no\ntap answer-no\ntap answer-no\n"
#define H_NOW "2026-12-07T03:00:00Z"
#define H_DAY "2026-12-07"

typedef struct harness {
    char dir[256];
    char db[640];       /* a file in dir, or (BK_TEST_DB_URI set) a PostgreSQL URI */
    char pg_schema[48]; /* the fresh schema on the server; "" = SQLite */
    char config[320];
    char script[320];
    char out_path[320], err_path[320], stats_path[320];
    char *out;   /* stdout of the last run (malloc'ed) */
    char *err;   /* stderr of the last run */
    char *stats; /* --stats of the last run */
    int rc;      /* exit code of the last run (-1 = killed/crashed) */
    store *st;   /* a connection of the test's own, for checks */
    queue_ctx q;
} harness;

/* 1 when h's database is on PostgreSQL. */
int h_is_pg(const harness *h);

/* The kiosk binary (argv[1] of the test program). */
extern const char *h_kiosk_bin;

/* Create the temp dir, the demo database and a config with extra INI text
 * appended (may be NULL). Returns 0 or -1. With BK_TEST_DB_URI set (see
 * tests/store/pg_cluster.sh) the database is a fresh schema on that
 * PostgreSQL server (h->db is then its URI), dropped by h_teardown. */
int h_setup(harness *h, const char *extra_ini);
void h_teardown(harness *h);

/* Run the kiosk with script text at size "WxH" (NULL = 800x480). extra_args
 * (may be NULL) is a NULL-terminated list of more arguments. Returns rc.
 * timeout_s kills a hung kiosk (counts as a failure, rc -1). */
int h_run(harness *h, const char *script, const char *size, const char *const *extra_args,
          int timeout_s);

/* The label of widget `id` in the n-th (0-based) dump of the last run's
 * stdout, copied into out; 0 if found, -1 if not. */
int h_dump_label(const harness *h, int n, const char *id, char *out, size_t outsz);
/* The screen=ID of the n-th dump, or -1. */
int h_dump_screen(const harness *h, int n, char *out, size_t outsz);
/* The n-th dump as a block of text (malloc'ed), or NULL. */
char *h_dump_block(const harness *h, int n);
/* Number of dumps in stdout. */
int h_dump_count(const harness *h);

/* Today's open ticket of a client for a purpose: 0 and *t, or -1. */
int h_find_ticket(harness *h, const char *client_no, bk_purpose purpose, store_ticket *t);
/* How many tickets of today match (client_no NULL = any, "" = walk-ins). */
int h_count_tickets(harness *h, const char *client_no);
/* Audit rows with this action. */
int h_count_audit(harness *h, const char *action);

/* "DDMMYYYY" of demo client i, and its number. */
void h_client(int i, char no[STORE_ID_SZ], char ddmmyyyy[9]);

/* Script text for tapping a digit string on the keypad ("tap key-2\n..."),
 * appended to buf. */
void h_taps(char *buf, size_t sz, const char *digits);

/* Read a whole file (malloc'ed, NUL-terminated) or NULL. */
char *h_slurp(const char *path);
/* Run the bapasctl binary ctl_bin with args (shell words) on h's database
 * and config; its stdout (and stderr too when with_stderr) into *out
 * (malloc'ed, NULL if unreadable); returns its exit code (-1: no exit). */
int h_ctl(const harness *h, const char *ctl_bin, const char *args, int with_stderr, char **out);

/* Whether text contains s. */
int h_has(const char *text, const char *s);

#endif
