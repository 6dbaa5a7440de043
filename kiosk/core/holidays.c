#include "holidays.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_data.h"
#include "valid.h"

void hol_result_free(hol_result *r)
{
    if (!r) return;
    csvimport_problems_free(&r->problems);
}

enum { COL_DATE, COL_KIND, COL_NAME, COL__COUNT };

static int header_col(const char *norm)
{
    static const char *const names[COL__COUNT][5] = {
        [COL_DATE] = {"tanggal", "tgl", "date", "day", NULL},
        [COL_KIND] = {"jenis", "kind", "type", "tipe", NULL},
        [COL_NAME] = {"nama", "name", "keterangan", "description", NULL},
    };
    for (int c = 0; c < COL__COUNT; c++)
        for (int i = 0; names[c][i]; i++)
            if (strcmp(norm, names[c][i]) == 0) return c;
    return -1;
}

static int parse_kind(const char *v, store_data_holiday_kind *out)
{
    char n[64];
    csvimport_normalize_header(v, n, sizeof n);
    static const char *const libur[] = {"libur",   "libur_nasional", "national", "national_holiday",
                                        "holiday", "public_holiday"};
    static const char *const cuti[] = {"cuti", "cuti_bersama", "collective_leave", "joint_leave"};
    for (size_t i = 0; i < sizeof libur / sizeof libur[0]; i++)
        if (strcmp(n, libur[i]) == 0) {
            *out = STORE_DATA_HOL_LIBUR;
            return 1;
        }
    for (size_t i = 0; i < sizeof cuti / sizeof cuti[0]; i++)
        if (strcmp(n, cuti[i]) == 0) {
            *out = STORE_DATA_HOL_CUTI;
            return 1;
        }
    return 0;
}

/* Leading and trailing spaces off, into out. */
static void trim_copy(const char *s, char *out, size_t outsz)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= outsz) n = outsz - 1;
    memcpy(out, s, n);
    out[n] = 0;
}

static int cmp_day(const void *a, const void *b)
{
    return strcmp(((const store_data_holiday *)a)->day, ((const store_data_holiday *)b)->day);
}

/* Map the header and check every row into rows (n of them, sorted by day). */
static bk_err check(const csvimport_file *f, store_data_holiday **rows_out, size_t *n_out,
                    csvimport_problems *pr)
{
    *rows_out = NULL;
    *n_out = 0;
    if (f->nrecords == 0)
        return csvimport_problem_add(pr, 1, "file", "is empty: a header line is needed")
                   ? BK_ERR_NOMEM
                   : BK_ERR_INVALID;
    int col[COL__COUNT] = {-1, -1, -1};
    size_t nh = csvimport_nfields(f, 0);
    int hline = csvimport_line(f, 0);
    for (size_t i = 0; i < nh; i++) {
        char norm[64];
        csvimport_normalize_header(csvimport_field(f, 0, i, NULL), norm, sizeof norm);
        int c = header_col(norm);
        if (c < 0) continue;
        if (col[c] >= 0) {
            if (csvimport_problem_add(pr, hline, "header", "a column is given twice"))
                return BK_ERR_NOMEM;
            continue;
        }
        col[c] = (int)i;
    }
    static const char *const need[COL__COUNT] = {
        "the date column is missing (tanggal or date)",
        "the kind column is missing (jenis or kind)",
        "the name column is missing (nama or name)",
    };
    for (int c = 0; c < COL__COUNT; c++)
        if (col[c] < 0 && csvimport_problem_add(pr, hline, "header", "%s", need[c]))
            return BK_ERR_NOMEM;
    if (pr->total) return BK_ERR_INVALID;

    size_t n = f->nrecords - 1;
    store_data_holiday *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) return BK_ERR_NOMEM;
    char hdr[COL__COUNT][CSVIMPORT_COLUMN_SZ];
    for (int c = 0; c < COL__COUNT; c++)
        trim_copy(csvimport_field(f, 0, (size_t)col[c], NULL), hdr[c], sizeof hdr[c]);
    for (size_t r = 1; r < f->nrecords; r++) {
        int line = csvimport_line(f, r);
        store_data_holiday *h = &rows[r - 1];
        size_t len;
        char v[STORE_NAME_SZ];
        const char *raw = csvimport_field(f, r, (size_t)col[COL_DATE], &len);
        trim_copy(raw, v, sizeof v);
        const char *why = NULL;
        if (len != strlen(raw) || valid_date_input(v, h->day, &why)) {
            if (csvimport_problem_add(pr, line, hdr[COL_DATE],
                                      "is not a date (write YYYY-MM-DD or DD-MM-YYYY)"))
                goto nomem;
        }
        raw = csvimport_field(f, r, (size_t)col[COL_KIND], &len);
        trim_copy(raw, v, sizeof v);
        if (len != strlen(raw) || !parse_kind(v, &h->kind)) {
            if (csvimport_problem_add(pr, line, hdr[COL_KIND],
                                      "is not libur (libur nasional) or cuti (cuti bersama)"))
                goto nomem;
        }
        raw = csvimport_field(f, r, (size_t)col[COL_NAME], &len);
        if (len != strlen(raw) || len >= sizeof h->name) {
            if (csvimport_problem_add(pr, line, hdr[COL_NAME],
                                      "is not a name of 1 to 200 characters"))
                goto nomem;
            continue;
        }
        trim_copy(raw, h->name, sizeof h->name);
        if (valid_text(h->name, 200, 1, NULL)) {
            if (csvimport_problem_add(pr, line, hdr[COL_NAME],
                                      "is not a name of 1 to 200 characters"))
                goto nomem;
        }
    }
    if (!pr->total) {
        qsort(rows, n, sizeof *rows, cmp_day);
        for (size_t i = 1; i < n; i++)
            if (strcmp(rows[i - 1].day, rows[i].day) == 0 &&
                csvimport_problem_add(pr, 0, hdr[COL_DATE], "a date is given twice in the file"))
                goto nomem;
    }
    if (pr->total) {
        free(rows);
        return BK_ERR_INVALID;
    }
    *rows_out = rows;
    *n_out = n;
    return BK_OK;
nomem:
    free(rows);
    return BK_ERR_NOMEM;
}

bk_err hol_import_buf(store *s, const void *buf, size_t len, int dry_run, const char *actor,
                      int64_t now, hol_result *r)
{
    memset(r, 0, sizeof *r);
    csvimport_file f;
    memset(&f, 0, sizeof f);
    store_data_holiday *rows = NULL;
    size_t n = 0;
    int in_tx = 0;
    bk_err e = csvimport_parse(buf, len, &f, &r->problems);
    if (e) goto out;
    r->rows = f.nrecords ? f.nrecords - 1 : 0;
    if ((e = check(&f, &rows, &n, &r->problems))) goto out;
    if (!s) goto out;
    if ((e = store_begin(s, STORE_TX_WRITE))) goto out;
    in_tx = 1;
    for (size_t i = 0; i < n; i++) {
        int what = STORE_DATA_SAME;
        if ((e = store_data_holiday_put(s, &rows[i], &what))) goto out;
        if (what == STORE_DATA_ADDED)
            r->added++;
        else if (what == STORE_DATA_UPDATED)
            r->updated++;
        else
            r->unchanged++;
    }
    char d[160];
    snprintf(d, sizeof d, "holidays rows=%zu added=%d updated=%d unchanged=%d", r->rows, r->added,
             r->updated, r->unchanged);
    if ((e = store_audit_add(s, now, actor, "holidays_import", 0, NULL, d))) goto out;
    if (dry_run) {
        store_rollback(s);
    } else if ((e = store_commit(s))) {
        goto out;
    }
    in_tx = 0;
out:
    if (in_tx) store_rollback(s);
    free(rows);
    csvimport_file_free(&f);
    return e;
}

bk_err hol_import_file(store *s, const char *path, int dry_run, const char *actor, int64_t now,
                       hol_result *r)
{
    memset(r, 0, sizeof *r);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (csvimport_problem_add(&r->problems, 0, "file", "cannot be read")) return BK_ERR_NOMEM;
        return BK_ERR_IO;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    bk_err e = buf ? BK_OK : BK_ERR_NOMEM;
    while (!e) {
        if (len == cap) {
            if (cap > CSVIMPORT_MAX_BYTES) break; /* csvimport_parse refuses it */
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                e = BK_ERR_NOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0) {
            if (ferror(fp)) e = BK_ERR_IO;
            break;
        }
    }
    fclose(fp);
    if (e == BK_ERR_IO && csvimport_problem_add(&r->problems, 0, "file", "cannot be read"))
        e = BK_ERR_NOMEM;
    if (!e) {
        hol_result tmp;
        e = hol_import_buf(s, buf, len, dry_run, actor, now, &tmp);
        hol_result_free(r);
        *r = tmp;
    }
    free(buf);
    return e;
}
