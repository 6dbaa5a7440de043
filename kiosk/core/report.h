/* report.h — the head-of-office reports: exact figures from the shared
 * database, as one table per report, plus writers for text, CSV and a
 * self-contained HTML page with inline SVG charts (report_out.c).
 *
 * Reports (office days from..to inclusive, local time):
 *   daily       every visit (ticket) of the range: check-in time, code,
 *               purpose, officer (who served, else whose queue), assigned PK,
 *               routing, transferred from, status, wait, service, outcome.
 *   missed      active clients whose last wajib lapor is older than their
 *               reporting interval on the day `to`, most overdue first.
 *               Last wajib lapor = the later of clients.last_report (when not
 *               after `to`) and the last 'report' visit marked done on or
 *               before `to`. A client who never reported is measured from the
 *               day they were first imported (client_since); with neither,
 *               "never" and listed first. Overdue when
 *               (to - last) > report_every_days; days overdue = the excess.
 *   continuity  per assigned PK and in total, over done visits of clients:
 *               own = served by the assigned PK. The others, by why:
 *               routed 'substitute' -> substitute, routed 'reception' ->
 *               reception, else transferred_from set -> transfer, else other.
 *   outcomes    per PK (who served a done visit; for a no-show, whose queue
 *               it was; "reception" for the reception queue): counseled,
 *               admin, referred, done without outcome, no-show; share
 *               counseled = counseled / done visits.
 *   waits       per purpose, per PK (who served, else whose queue) and for
 *               all: n, median and 90th percentile of wait (called_at -
 *               checkin_at, every ticket that was called) and of service
 *               (finished_at - started_at, done visits). Negative spans (clock
 *               changes) are left out. Median of an even count = mean of the
 *               two middle values (may end in .5 s); p90 = nearest rank:
 *               the ceil(0.9 n)-th smallest value.
 *   flags       the wajib lapor questions (store_answers.h), per question:
 *               how many report visits of the range answered it, how many
 *               "Ya" (a flag for the PK) and the share Ya / answered; the
 *               last row ("all") has the report visits that answered and
 *               those that did not (walked away, or the save failed). Every
 *               active question is listed, an inactive one when it has
 *               answers in the range. The whole office (--officer is not
 *               applied); cancelled tickets' answers count too.
 * Cancelled tickets count nowhere but the daily list (flags excepted).
 *
 * Memory: a report owns its cells; report_free releases it.
 */
#ifndef BK_REPORT_H
#define BK_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bkerr.h"
#include "store.h"

typedef enum report_kind {
    REPORT_DAILY,
    REPORT_MISSED,
    REPORT_CONTINUITY,
    REPORT_OUTCOMES,
    REPORT_WAITS,
    REPORT_FLAGS,
    REPORT__COUNT
} report_kind;

/* "daily" ... "waits"; BK_ERR_INVALID for another name. */
bk_err report_kind_parse(const char *name, report_kind *out);
const char *report_kind_name(report_kind k);

typedef struct report_params {
    report_kind kind;
    char from[STORE_DAY_SZ];   /* inclusive; missed ignores it */
    char to[STORE_DAY_SZ];     /* inclusive; missed: the as-of day */
    char officer[STORE_ID_SZ]; /* "" = every officer */
    int utc_offset_min;        /* office zone (times of day in daily) */
    int64_t generated_at;      /* shown on the report */
} report_params;

typedef enum report_type {
    REPORT_T_TEXT,
    REPORT_T_INT,
    REPORT_T_SECONDS, /* double (may be x.5); text as m:ss */
    REPORT_T_SHARE,   /* num/den; text as a percentage with one decimal */
} report_type;

typedef struct report_col {
    const char *id;    /* machine name: CSV header and JSON key */
    const char *title; /* English title; catalogs may translate "report.col.<id>" */
    report_type type;
} report_col;

typedef struct report_cell {
    int null;         /* no value ("-" in text, null in JSON, empty in CSV) */
    int64_t i;        /* INT */
    double x;         /* SECONDS */
    int64_t num, den; /* SHARE (den > 0 unless null) */
    char *s;          /* TEXT (owned) */
} report_cell;

typedef struct report {
    report_params p;
    const report_col *cols;
    int ncols;
    report_cell *cells; /* nrows * ncols, row-major */
    size_t nrows, cap;
    size_t total_rows; /* the last total_rows rows are totals ("all") */
} report;

/* Build a report from the database in one read transaction. p->from and
 * p->to must be valid days with from <= to (at most 3660 days). */
bk_err report_build(store *s, const report_params *p, report **out);
void report_free(report *r);

/* Cell access by row and column id (NULL if no such column). */
const report_cell *report_cell_at(const report *r, size_t row, const char *col);
int report_col_index(const report *r, const char *col);

/* Formatting shared by the writers. */
void report_format_seconds(double s, char *out, size_t outsz); /* "12:05", "1:02:03" */
void report_format_share(int64_t num, int64_t den, char *out, size_t outsz); /* "66.7%" */
/* The cell as text for humans (text and HTML), e.g. "-" for null. */
void report_cell_text(const report *r, size_t row, int col, char *out, size_t outsz);

/* Median and p90 of n values (sorted in place). n = 0 -> BK_ERR_NOT_FOUND. */
bk_err report_median_p90(int64_t *v, size_t n, double *median, int64_t *p90);

/* ---- writers (report_out.c) -------------------------------------------- */

/* Translate a catalog key; return NULL to keep the English text. */
typedef const char *(*report_tr)(void *ud, const char *key);

/* An aligned plain-text table with a title line. */
bk_err report_write_text(const report *r, FILE *f, report_tr tr, void *ud);
/* RFC 4180 CSV (comma, CRLF, quotes as needed): header of column ids, one
 * line per row, machine values (seconds, shares as decimal fractions). */
bk_err report_write_csv(const report *r, FILE *f);
/* One self-contained HTML page: inline CSS and SVG, no scripts, no network,
 * printable. office may be NULL. */
bk_err report_write_html(const report *r, FILE *f, const char *office, report_tr tr, void *ud);

/* English title of a report ("Missed wajib lapor"). */
const char *report_title(report_kind k);

#endif
