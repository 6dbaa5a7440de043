/* csvimport.h — officer and client lists from CSV files as offices produce
 * them (Excel, exports of SDP), checked row by row and applied all or nothing.
 *
 * Three steps, the first two pure (no database, no globals; the fuzz target
 * drives them directly):
 *   1. csvimport_parse(): bytes -> records. UTF-8 with or without a BOM
 *      (UTF-16 is refused with a hint), LF, CRLF or CR line ends, delimiter
 *      detected from the header line (comma, semicolon or tab; an Excel
 *      "sep=X" first line wins), RFC 4180 quoting with delimiters, quotes
 *      and line breaks inside quoted fields. Blank records (every field
 *      empty, e.g. ";;;;" rows Excel leaves at the end) are dropped. Each
 *      record remembers the physical line it starts on.
 *   2. csvimport_validate(): the header is mapped through the alias table
 *      (Indonesian and English names, documented in db/templates/README.md,
 *      which a test keeps in step with csvimport_aliases()); every row is
 *      checked; problems are collected as "line N: column: what is wrong".
 *   3. csvimport_run() (csvimport_apply.c): read a file, parse, then in one
 *      write transaction validate against the officers in the database,
 *      upsert, optionally end the missing, write the audit, commit — or
 *      change nothing if any problem was found.
 *
 * Memory: csvimport_file, csvimport_rows and csvimport_problems own heap
 * storage; release each with its _free function (safe on a zeroed struct).
 */
#ifndef BK_CSVIMPORT_H
#define BK_CSVIMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"
#include "store.h"

#define CSVIMPORT_MAX_BYTES ((size_t)64 << 20) /* larger files are refused */
#define CSVIMPORT_MAX_KEPT 2000                /* problems kept; more are only counted */
#define CSVIMPORT_COLUMN_SZ 48
#define CSVIMPORT_MSG_SZ 200

typedef enum csvimport_kind { CSVIMPORT_OFFICERS, CSVIMPORT_CLIENTS } csvimport_kind;

/* ---- problems ---------------------------------------------------------- */

typedef struct csvimport_problem {
    int line;                         /* physical line in the file, 1-based */
    char column[CSVIMPORT_COLUMN_SZ]; /* header text as in the file, "header" or "file" */
    char msg[CSVIMPORT_MSG_SZ];       /* English, no client names or birth dates */
} csvimport_problem;

typedef struct csvimport_problems {
    csvimport_problem *v;
    size_t n;     /* kept (<= CSVIMPORT_MAX_KEPT), in line order */
    size_t total; /* found */
    size_t cap;
} csvimport_problems;

void csvimport_problems_free(csvimport_problems *p);
/* Add one problem (printf-style message). BK_ERR_NOMEM only on allocation failure. */
bk_err csvimport_problem_add(csvimport_problems *p, int line, const char *column, const char *fmt,
                             ...) __attribute__((format(printf, 4, 5)));
/* "line N: column: message" into out. */
void csvimport_problem_format(const csvimport_problem *p, char *out, size_t outsz);

/* ---- step 1: parse ----------------------------------------------------- */

typedef struct csvimport_file {
    char delim;      /* ',' ';' or '\t' */
    int bom;         /* a UTF-8 byte-order mark was skipped */
    int sep_line;    /* an Excel "sep=X" line was used and skipped */
    size_t nrecords; /* non-blank records, header included */
    /* private */
    char *data;
    size_t dlen, dcap;
    struct csvimport_fld {
        size_t off, len;
    } * flds;
    size_t nflds, fcap;
    struct csvimport_rec {
        int line;
        size_t first, n;
    } * recs;
    size_t rcap;
} csvimport_file;

/* Parse len bytes. On a structural problem (malformed quotes, UTF-16, too
 * large) a problem is added and BK_ERR_INVALID returned; out still holds the
 * records read so far and must be freed. BK_ERR_NOMEM on allocation failure. */
bk_err csvimport_parse(const void *buf, size_t len, csvimport_file *out, csvimport_problems *pr);
void csvimport_file_free(csvimport_file *f);

size_t csvimport_nfields(const csvimport_file *f, size_t rec);
int csvimport_line(const csvimport_file *f, size_t rec);
/* Field text (NUL-terminated; "" past the end of the record) and its byte
 * length (a field with an embedded NUL byte has len > strlen). */
const char *csvimport_field(const csvimport_file *f, size_t rec, size_t col, size_t *len);

/* ---- step 2: validate -------------------------------------------------- */

/* Canonical column names. */
typedef struct csvimport_alias {
    csvimport_kind kind;
    const char *column; /* canonical (English) name: "client_no", "birth_date", ... */
    const char *alias;  /* a normalized header name that means it */
    int required;
} csvimport_alias;

/* The alias table (static storage). */
const csvimport_alias *csvimport_aliases(size_t *n);

/* A header cell as matched against the table: ASCII lower case, every run
 * of other characters than [a-z0-9] becomes one "_", no leading or trailing
 * "_" ("No. Register" -> "no_register", "Tgl Lahir" -> "tgl_lahir"). */
void csvimport_normalize_header(const char *in, char *out, size_t outsz);

/* Dates: valid_date_input (base/valid.h), the one parser of typed dates. */

/* Program names and their Indonesian long forms -> PB CB CMB ASIMILASI OTHER. */
bk_err csvimport_parse_program(const char *in, bk_program *out);

/* 1/0, ya/tidak, yes/no, aktif/selesai, active/ended, true/false, ... */
bk_err csvimport_parse_active(const char *in, int *out);

typedef struct csvimport_env {
    const char *today; /* "YYYY-MM-DD": dates after it are rejected */
    /* Resolve a client row's officer reference (an officer id, or the exact
     * name of exactly one officer, case-insensitive). BK_OK with the id and
     * whether active; BK_ERR_NOT_FOUND; BK_ERR_EXISTS if a name is shared. */
    bk_err (*officer_find)(void *ud, const char *ref, char id[STORE_ID_SZ], int *active);
    void *ud;
} csvimport_env;

typedef struct csvimport_officer_row {
    int line;
    unsigned given; /* STORE_DATA_G_* of store_data.h */
    store_officer o;
} csvimport_officer_row;

typedef struct csvimport_client_row {
    int line;
    unsigned given;
    store_client c;
} csvimport_client_row;

typedef struct csvimport_rows {
    csvimport_kind kind;
    size_t n;
    csvimport_officer_row *officers; /* kind OFFICERS */
    csvimport_client_row *clients;   /* kind CLIENTS */
    char columns[512];               /* mapped columns, "file header=canonical, ..." */
    char ignored[512];               /* header cells that map to nothing, comma separated */
} csvimport_rows;

/* Map the header (record 0) and check every record. Rows are filled only
 * when no problem is found (out->n = 0 otherwise). Returns BK_OK,
 * BK_ERR_INVALID (problems added) or BK_ERR_NOMEM. */
bk_err csvimport_validate(const csvimport_file *f, csvimport_kind kind, const csvimport_env *env,
                          csvimport_rows *out, csvimport_problems *pr);
void csvimport_rows_free(csvimport_rows *r);

/* ---- step 3: apply (csvimport_apply.c) --------------------------------- */

typedef struct csvimport_opts {
    csvimport_kind kind;
    int mark_missing_ended; /* end clients / deactivate officers absent from the file */
    int dry_run;            /* validate and count, then roll back */
    const char *actor;      /* audit actor */
    int64_t now;            /* 0 = wall clock */
    int utc_offset_min;     /* office zone: "today" for date checks and client_since */
} csvimport_opts;

typedef struct csvimport_result {
    size_t rows; /* data rows in the file (blank records not counted) */
    int added, updated, unchanged;
    int ended;      /* marked ended/inactive by mark_missing_ended */
    int reassigned; /* clients whose assigned PK changed (part of updated) */
    char delim;
    int bom;
    char columns[512];
    char ignored[512];
    double seconds; /* wall time of the whole run */
    csvimport_problems problems;
} csvimport_result;

/* Import one file. BK_OK: applied (or counted, with dry_run). BK_ERR_INVALID:
 * problems in r->problems, nothing changed. BK_ERR_IO: unreadable file
 * (also a problem). Other errors: database; store_errmsg() has the detail.
 * Free r with csvimport_result_free. */
bk_err csvimport_run(store *s, const char *path, const csvimport_opts *o, csvimport_result *r);
void csvimport_result_free(csvimport_result *r);

#endif
