/* csvimport.c — parse and validate officer/client CSV files (pure: no
 * database). See csvimport.h for the contract and csvimport_apply.c for the
 * transaction. */
#include "csvimport.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_data.h"
#include "valid.h"

/* ---- problems ---------------------------------------------------------- */

void csvimport_problems_free(csvimport_problems *p)
{
    free(p->v);
    memset(p, 0, sizeof *p);
}

bk_err csvimport_problem_add(csvimport_problems *p, int line, const char *column, const char *fmt,
                             ...)
{
    p->total++;
    if (p->n >= CSVIMPORT_MAX_KEPT) return BK_OK;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        csvimport_problem *v = realloc(p->v, cap * sizeof *v);
        if (!v) return BK_ERR_NOMEM;
        p->v = v;
        p->cap = cap;
    }
    csvimport_problem *q = &p->v[p->n++];
    q->line = line;
    snprintf(q->column, sizeof q->column, "%s", column ? column : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q->msg, sizeof q->msg, fmt, ap);
    va_end(ap);
    return BK_OK;
}

void csvimport_problem_format(const csvimport_problem *p, char *out, size_t outsz)
{
    snprintf(out, outsz, "line %d: %s: %s", p->line, p->column, p->msg);
}

static int problem_cmp(const void *a, const void *b)
{
    const csvimport_problem *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

/* Problems [0, mark) are in line order; sort [mark, n) (at most one per
 * line) and merge both, stably. Returns -1 on allocation failure. */
static int merge_problems(csvimport_problems *p, size_t mark)
{
    if (mark >= p->n) return 0;
    qsort(p->v + mark, p->n - mark, sizeof *p->v, problem_cmp);
    csvimport_problem *t = malloc(p->n * sizeof *t);
    if (!t) return -1;
    size_t i = 0, j = mark, k = 0;
    while (i < mark || j < p->n) {
        if (j >= p->n || (i < mark && p->v[i].line <= p->v[j].line))
            t[k++] = p->v[i++];
        else
            t[k++] = p->v[j++];
    }
    memcpy(p->v, t, p->n * sizeof *t);
    free(t);
    return 0;
}

/* ---- parse ------------------------------------------------------------- */

typedef struct pctx {
    csvimport_file *f;
    int row_line;     /* line the record being read started on */
    size_t rec_first; /* index of its first field */
    size_t rec_data;  /* arena length when it started */
    int nomem;
} pctx;

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *n = realloc(*p, c * elem);
    if (!n) return -1;
    *p = n;
    *cap = c;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    pctx *c = data;
    csvimport_file *f = c->f;
    if (c->nomem) return;
    if (grow((void **)&f->data, &f->dcap, f->dlen + len + 1, 1) ||
        grow((void **)&f->flds, &f->fcap, f->nflds + 1, sizeof *f->flds)) {
        c->nomem = 1;
        return;
    }
    if (len) memcpy(f->data + f->dlen, s, len);
    f->data[f->dlen + len] = 0;
    f->flds[f->nflds].off = f->dlen;
    f->flds[f->nflds].len = len;
    f->nflds++;
    f->dlen += len + 1;
}

static void on_record(int ch, void *data)
{
    (void)ch;
    pctx *c = data;
    csvimport_file *f = c->f;
    if (c->nomem) return;
    int blank = 1;
    for (size_t i = c->rec_first; i < f->nflds; i++)
        if (f->flds[i].len) {
            blank = 0;
            break;
        }
    if (blank) {
        f->nflds = c->rec_first;
        f->dlen = c->rec_data;
    } else {
        if (grow((void **)&f->recs, &f->rcap, f->nrecords + 1, sizeof *f->recs)) {
            c->nomem = 1;
            return;
        }
        f->recs[f->nrecords].line = c->row_line;
        f->recs[f->nrecords].first = c->rec_first;
        f->recs[f->nrecords].n = f->nflds - c->rec_first;
        f->nrecords++;
    }
    c->rec_first = f->nflds;
    c->rec_data = f->dlen;
}

static int space_no_tab(unsigned char c)
{
    return c == ' ';
}

/* The delimiter: most frequent of , ; TAB outside quotes on the first line. */
static char detect_delim(const unsigned char *p, size_t len)
{
    size_t n[3] = {0, 0, 0};
    int q = 0;
    for (size_t i = 0; i < len && i < (1u << 16); i++) {
        unsigned char c = p[i];
        if (c == '"')
            q = !q;
        else if (!q && (c == '\n' || c == '\r'))
            break;
        else if (!q && c == ',')
            n[0]++;
        else if (!q && c == ';')
            n[1]++;
        else if (!q && c == '\t')
            n[2]++;
    }
    if (n[1] > n[0] && n[1] >= n[2]) return ';';
    if (n[2] > n[0] && n[2] > n[1]) return '\t';
    return ',';
}

/* Length of an Excel "sep=X" line (with its line end) at p, or 0. */
static size_t sep_line(const unsigned char *p, size_t len, char *delim)
{
    size_t i = 0;
    int quoted = len > 0 && p[0] == '"';
    if (quoted) i++;
    if (len < i + 5 || strncasecmp((const char *)p + i, "sep=", 4) != 0) return 0;
    unsigned char d = p[i + 4];
    if (d != ',' && d != ';' && d != '\t' && d != '|') return 0;
    i += 5;
    if (quoted) {
        if (i >= len || p[i] != '"') return 0;
        i++;
    }
    while (i < len && p[i] == ' ')
        i++;
    if (i < len && p[i] == '\r') i++;
    if (i < len && p[i] == '\n')
        i++;
    else if (i < len && p[i - 1] != '\r')
        return 0;
    *delim = (char)d;
    return i;
}

bk_err csvimport_parse(const void *buf, size_t len, csvimport_file *out, csvimport_problems *pr)
{
    memset(out, 0, sizeof *out);
    const unsigned char *p = buf;
    out->delim = ',';
    if (len > CSVIMPORT_MAX_BYTES) {
        if (csvimport_problem_add(pr, 1, "file", "is larger than %zu MiB",
                                  CSVIMPORT_MAX_BYTES >> 20))
            return BK_ERR_NOMEM;
        return BK_ERR_INVALID;
    }
    if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        if (csvimport_problem_add(pr, 1, "file",
                                  "is UTF-16 text; save it from Excel as \"CSV UTF-8\""))
            return BK_ERR_NOMEM;
        return BK_ERR_INVALID;
    }
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        out->bom = 1;
        p += 3;
        len -= 3;
    }
    int line = 1;
    char d = 0;
    size_t skip = sep_line(p, len, &d);
    if (skip) {
        out->sep_line = 1;
        out->delim = d;
        p += skip;
        len -= skip;
        line = 2;
    } else {
        out->delim = detect_delim(p, len);
    }

    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) return BK_ERR_NOMEM;
    csv_set_delim(&cp, (unsigned char)out->delim);
    if (out->delim == '\t') csv_set_space_func(&cp, space_no_tab);
    pctx c = {.f = out, .row_line = line};
    bk_err e = BK_OK;
    size_t i = 0;
    while (i < len) {
        /* One physical line: up to and including LF, or a CR not before LF. */
        size_t j = i;
        while (j < len && p[j] != '\n' && !(p[j] == '\r' && (j + 1 >= len || p[j + 1] != '\n')))
            j++;
        if (j < len) j++;
        if (cp.pstate == 0) /* no record in progress: the next one starts here */
            c.row_line = line;
        size_t used = csv_parse(&cp, p + i, j - i, on_field, on_record, &c);
        if (c.nomem) {
            e = BK_ERR_NOMEM;
            goto out;
        }
        if (used != j - i) {
            if (csv_error(&cp) == CSV_ENOMEM || csv_error(&cp) == CSV_ETOOBIG) {
                e = BK_ERR_NOMEM;
                goto out;
            }
            if (csvimport_problem_add(pr, line, "file",
                                      "the quotes are malformed: a field with a \" in it must be "
                                      "wholly in quotes, with each \" inside written as \"\""))
                e = BK_ERR_NOMEM;
            else
                e = BK_ERR_INVALID;
            goto out;
        }
        line++;
        i = j;
    }
    if (csv_fini(&cp, on_field, on_record, &c) != 0) {
        if (csvimport_problem_add(pr, c.row_line, "file",
                                  "a quoted field that starts on this line is never closed"))
            e = BK_ERR_NOMEM;
        else
            e = BK_ERR_INVALID;
        goto out;
    }
    if (c.nomem) e = BK_ERR_NOMEM;
out:
    csv_free(&cp);
    return e;
}

void csvimport_file_free(csvimport_file *f)
{
    free(f->data);
    free(f->flds);
    free(f->recs);
    memset(f, 0, sizeof *f);
}

size_t csvimport_nfields(const csvimport_file *f, size_t rec)
{
    return rec < f->nrecords ? f->recs[rec].n : 0;
}

int csvimport_line(const csvimport_file *f, size_t rec)
{
    return rec < f->nrecords ? f->recs[rec].line : 0;
}

const char *csvimport_field(const csvimport_file *f, size_t rec, size_t col, size_t *len)
{
    if (rec >= f->nrecords || col >= f->recs[rec].n) {
        if (len) *len = 0;
        return "";
    }
    const struct csvimport_fld *x = &f->flds[f->recs[rec].first + col];
    if (len) *len = x->len;
    return f->data + x->off;
}

/* ---- value parsers ----------------------------------------------------- */

void csvimport_normalize_header(const char *in, char *out, size_t outsz)
{
    size_t n = 0;
    int pending = 0;
    if (!outsz) return;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (pending && n > 0 && n + 1 < outsz) out[n++] = '_';
            pending = 0;
            if (n + 1 < outsz) out[n++] = (char)c;
        } else {
            pending = 1;
        }
    }
    out[n] = 0;
}

typedef struct word_map {
    const char *word; /* normalized like a header */
    const char *value;
} word_map;

/* Besides the names of bk_program (any case), their long forms. */
static const struct {
    const char *word; /* normalized like a header */
    bk_program value;
} programs[] = {
    {"pembebasan_bersyarat", BK_PROGRAM_PB},
    {"parole", BK_PROGRAM_PB},
    {"cuti_bersyarat", BK_PROGRAM_CB},
    {"conditional_leave", BK_PROGRAM_CB},
    {"cuti_menjelang_bebas", BK_PROGRAM_CMB},
    {"assimilation", BK_PROGRAM_ASIMILASI},
    {"asimilasi_di_rumah", BK_PROGRAM_ASIMILASI},
    {"lainnya", BK_PROGRAM_OTHER},
    {"lain_lain", BK_PROGRAM_OTHER},
    {"lain", BK_PROGRAM_OTHER},
};

bk_err csvimport_parse_program(const char *in, bk_program *out)
{
    char k[64];
    if (strlen(in) >= sizeof k) return BK_ERR_INVALID;
    csvimport_normalize_header(in, k, sizeof k);
    for (int i = 0; i < BK_PROGRAM__COUNT; i++)
        if (strcasecmp(k, bk_program_name((bk_program)i)) == 0) {
            *out = (bk_program)i;
            return BK_OK;
        }
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++)
        if (strcmp(k, programs[i].word) == 0) {
            *out = programs[i].value;
            return BK_OK;
        }
    return BK_ERR_INVALID;
}

bk_err csvimport_parse_active(const char *in, int *out)
{
    static const char *const yes[] = {"1", "y", "ya", "yes", "aktif", "active", "true", "benar"};
    static const char *const no[] = {"0",           "n",     "t",        "tidak",    "no",
                                     "selesai",     "ended", "inactive", "nonaktif", "non_aktif",
                                     "tidak_aktif", "false", "bebas",    "berakhir", "salah"};
    char k[32];
    if (strlen(in) >= sizeof k) return BK_ERR_INVALID;
    csvimport_normalize_header(in, k, sizeof k);
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcmp(k, yes[i]) == 0) {
            *out = 1;
            return BK_OK;
        }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(k, no[i]) == 0) {
            *out = 0;
            return BK_OK;
        }
    return BK_ERR_INVALID;
}

/* ---- the alias table --------------------------------------------------- */

/* Keep in step with db/templates/README.md (a test compares them). */
static const csvimport_alias aliases[] = {
    {CSVIMPORT_OFFICERS, "id", "id", 1},
    {CSVIMPORT_OFFICERS, "id", "officer_id", 1},
    {CSVIMPORT_OFFICERS, "id", "kode", 1},
    {CSVIMPORT_OFFICERS, "id", "kode_pk", 1},
    {CSVIMPORT_OFFICERS, "id", "id_pk", 1},
    {CSVIMPORT_OFFICERS, "id", "nip", 1},
    {CSVIMPORT_OFFICERS, "name", "name", 1},
    {CSVIMPORT_OFFICERS, "name", "nama", 1},
    {CSVIMPORT_OFFICERS, "name", "nama_pk", 1},
    {CSVIMPORT_OFFICERS, "name", "nama_petugas", 1},
    {CSVIMPORT_OFFICERS, "room", "room", 0},
    {CSVIMPORT_OFFICERS, "room", "ruang", 0},
    {CSVIMPORT_OFFICERS, "room", "ruangan", 0},
    {CSVIMPORT_OFFICERS, "room", "meja", 0},
    {CSVIMPORT_OFFICERS, "active", "active", 0},
    {CSVIMPORT_OFFICERS, "active", "aktif", 0},
    {CSVIMPORT_OFFICERS, "active", "status", 0},

    {CSVIMPORT_CLIENTS, "client_no", "client_no", 1},
    {CSVIMPORT_CLIENTS, "client_no", "no_register", 1},
    {CSVIMPORT_CLIENTS, "client_no", "no_registrasi", 1},
    {CSVIMPORT_CLIENTS, "client_no", "no_reg", 1},
    {CSVIMPORT_CLIENTS, "client_no", "nomor_register", 1},
    {CSVIMPORT_CLIENTS, "client_no", "nomor_registrasi", 1},
    {CSVIMPORT_CLIENTS, "client_no", "no_klien", 1},
    {CSVIMPORT_CLIENTS, "client_no", "nomor_klien", 1},
    {CSVIMPORT_CLIENTS, "client_no", "register", 1},
    {CSVIMPORT_CLIENTS, "name", "name", 1},
    {CSVIMPORT_CLIENTS, "name", "nama", 1},
    {CSVIMPORT_CLIENTS, "name", "nama_klien", 1},
    {CSVIMPORT_CLIENTS, "birth_date", "birth_date", 1},
    {CSVIMPORT_CLIENTS, "birth_date", "date_of_birth", 1},
    {CSVIMPORT_CLIENTS, "birth_date", "dob", 1},
    {CSVIMPORT_CLIENTS, "birth_date", "tgl_lahir", 1},
    {CSVIMPORT_CLIENTS, "birth_date", "tanggal_lahir", 1},
    {CSVIMPORT_CLIENTS, "program", "program", 0},
    {CSVIMPORT_CLIENTS, "program", "jenis_program", 0},
    {CSVIMPORT_CLIENTS, "program", "program_type", 0},
    {CSVIMPORT_CLIENTS, "officer", "officer", 1},
    {CSVIMPORT_CLIENTS, "officer", "officer_id", 1},
    {CSVIMPORT_CLIENTS, "officer", "pk", 1},
    {CSVIMPORT_CLIENTS, "officer", "kode_pk", 1},
    {CSVIMPORT_CLIENTS, "officer", "id_pk", 1},
    {CSVIMPORT_CLIENTS, "officer", "nip_pk", 1},
    {CSVIMPORT_CLIENTS, "officer", "nama_pk", 1},
    {CSVIMPORT_CLIENTS, "officer", "pembimbing", 1},
    {CSVIMPORT_CLIENTS, "officer", "pembimbing_kemasyarakatan", 1},
    {CSVIMPORT_CLIENTS, "report_every_days", "report_every_days", 0},
    {CSVIMPORT_CLIENTS, "report_every_days", "interval_lapor", 0},
    {CSVIMPORT_CLIENTS, "report_every_days", "wajib_lapor_hari", 0},
    {CSVIMPORT_CLIENTS, "report_every_days", "lapor_setiap_hari", 0},
    {CSVIMPORT_CLIENTS, "last_report", "last_report", 0},
    {CSVIMPORT_CLIENTS, "last_report", "lapor_terakhir", 0},
    {CSVIMPORT_CLIENTS, "last_report", "tgl_lapor_terakhir", 0},
    {CSVIMPORT_CLIENTS, "last_report", "tanggal_lapor_terakhir", 0},
    {CSVIMPORT_CLIENTS, "active", "active", 0},
    {CSVIMPORT_CLIENTS, "active", "aktif", 0},
    {CSVIMPORT_CLIENTS, "active", "status", 0},
};

const csvimport_alias *csvimport_aliases(size_t *n)
{
    *n = sizeof aliases / sizeof aliases[0];
    return aliases;
}

/* ---- validate ---------------------------------------------------------- */

enum { COL_MAX = 8 };

/* Canonical columns of each kind, in a fixed order (index = slot). */
static const char *const officer_cols[] = {"id", "name", "room", "active"};
static const char *const client_cols[] = {"client_no",   "name",    "birth_date",
                                          "program",     "officer", "report_every_days",
                                          "last_report", "active"};
enum { O_ID, O_NAME, O_ROOM, O_ACTIVE, O__N };
enum { C_NO, C_NAME, C_BIRTH, C_PROGRAM, C_OFFICER, C_EVERY, C_LAST, C_ACTIVE, C__N };

typedef struct vctx {
    const csvimport_file *f;
    const csvimport_env *env;
    csvimport_problems *pr;
    int col[COL_MAX];                        /* file column of each slot, -1 = absent */
    char head[COL_MAX][CSVIMPORT_COLUMN_SZ]; /* header text as in the file */
    int nomem;
} vctx;

/* A value as it may appear in a message: printable ASCII, at most 40 chars. */
static void shown(const char *v, char *out, size_t outsz)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)v; *p && n + 4 < outsz; p++) {
        if (n >= 40) {
            memcpy(out + n, "...", 3);
            n += 3;
            break;
        }
        out[n++] = (*p >= 0x20 && *p < 0x7F) ? (char)*p : '?';
    }
    out[n] = 0;
}

static void problem(vctx *v, int line, int slot, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void problem(vctx *v, int line, int slot, const char *fmt, ...)
{
    char msg[CSVIMPORT_MSG_SZ];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (csvimport_problem_add(v->pr, line, slot >= 0 ? v->head[slot] : "row", "%s", msg))
        v->nomem = 1;
}

/* Copy s into out without leading/trailing spaces. 1 if it did not fit. */
static int trimmed(const char *s, char *out, size_t outsz)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= outsz) return 1;
    memcpy(out, s, n);
    out[n] = 0;
    return 0;
}

/* Free text: line breaks, tabs and no-break spaces become spaces, runs of
 * spaces one space, no spaces at the ends. 1 if it did not fit. */
static int text_norm(const char *s, char *out, size_t outsz)
{
    size_t n = 0;
    int space = 1; /* drop leading spaces */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int sp = *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';
        if (p[0] == 0xC2 && p[1] == 0xA0) { /* U+00A0 */
            sp = 1;
            p++;
        }
        if (sp) {
            space = 1;
            continue;
        }
        if (space && n > 0) {
            if (n + 1 >= outsz) return 1;
            out[n++] = ' ';
        }
        space = 0;
        if (n + 1 >= outsz) return 1;
        out[n++] = (char)*p;
    }
    out[n] = 0;
    return 0;
}

/* The cell of a slot in a record: NULL if the column is absent. Flags an
 * embedded NUL byte. */
static const char *cell(vctx *v, size_t rec, int slot, int *nul)
{
    *nul = 0;
    if (v->col[slot] < 0) return NULL;
    size_t len = 0;
    const char *s = csvimport_field(v->f, rec, (size_t)v->col[slot], &len);
    if (strlen(s) != len) {
        *nul = 1;
        problem(v, csvimport_line(v->f, rec), slot, "contains a NUL byte (is this a text file?)");
    }
    return s;
}

static int map_header(vctx *v, csvimport_kind kind, csvimport_rows *out)
{
    const csvimport_file *f = v->f;
    const char *const *cols = kind == CSVIMPORT_OFFICERS ? officer_cols : client_cols;
    int ncols = kind == CSVIMPORT_OFFICERS ? O__N : C__N;
    int line = csvimport_line(f, 0);
    int bad = 0;
    for (int i = 0; i < COL_MAX; i++)
        v->col[i] = -1;
    size_t nf = csvimport_nfields(f, 0);
    for (size_t j = 0; j < nf; j++) {
        const char *h = csvimport_field(f, 0, j, NULL);
        char norm[64], disp[CSVIMPORT_COLUMN_SZ];
        char raw[CSVIMPORT_COLUMN_SZ];
        if (strlen(h) >= sizeof norm)
            norm[0] = 0;
        else
            csvimport_normalize_header(h, norm, sizeof norm);
        if (trimmed(h, raw, sizeof raw)) raw[0] = 0;
        shown(raw[0] ? raw : h, disp, sizeof disp);
        int slot = -1;
        for (size_t a = 0; a < sizeof aliases / sizeof aliases[0] && norm[0]; a++) {
            if (aliases[a].kind != kind || strcmp(aliases[a].alias, norm) != 0) continue;
            for (int k = 0; k < ncols; k++)
                if (strcmp(cols[k], aliases[a].column) == 0) slot = k;
            break;
        }
        if (slot < 0) {
            if (h[0]) {
                size_t used = strlen(out->ignored);
                snprintf(out->ignored + used, sizeof out->ignored - used, "%s%s", used ? ", " : "",
                         disp);
            }
            continue;
        }
        if (v->col[slot] >= 0) {
            if (csvimport_problem_add(v->pr, line, "header",
                                      "columns \"%s\" and \"%s\" both mean %s; remove one",
                                      v->head[slot], disp, cols[slot]))
                v->nomem = 1;
            bad = 1;
            continue;
        }
        v->col[slot] = (int)j;
        snprintf(v->head[slot], sizeof v->head[slot], "%s", disp);
        size_t used = strlen(out->columns);
        snprintf(out->columns + used, sizeof out->columns - used, "%s%s=%s", used ? ", " : "", disp,
                 cols[slot]);
    }
    for (int k = 0; k < ncols; k++) {
        int required = 0;
        char names[300] = "";
        for (size_t a = 0; a < sizeof aliases / sizeof aliases[0]; a++) {
            if (aliases[a].kind != kind || strcmp(aliases[a].column, cols[k]) != 0) continue;
            required = aliases[a].required;
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", aliases[a].alias);
        }
        if (required && v->col[k] < 0) {
            if (csvimport_problem_add(v->pr, line, "header",
                                      "no column for %s (name it one of: %s)", cols[k], names))
                v->nomem = 1;
            bad = 1;
        }
    }
    return bad;
}

/* Extra non-empty fields beyond the header. */
static void check_width(vctx *v, size_t rec)
{
    size_t hn = csvimport_nfields(v->f, 0), n = csvimport_nfields(v->f, rec);
    for (size_t j = hn; j < n; j++) {
        size_t len = 0;
        csvimport_field(v->f, rec, j, &len);
        if (len) {
            problem(v, csvimport_line(v->f, rec), -1,
                    "has %zu fields but the header has %zu (is a delimiter missing from the "
                    "header, or a field not quoted?)",
                    n, hn);
            return;
        }
    }
}

static void check_name(vctx *v, size_t rec, int slot, char *out, size_t outsz, size_t max,
                       int required)
{
    int nul;
    const char *s = cell(v, rec, slot, &nul);
    int line = csvimport_line(v->f, rec);
    if (!s || nul) return;
    const char *why = NULL;
    if (text_norm(s, out, outsz))
        problem(v, line, slot, "is too long (at most %zu characters)", max);
    else if (valid_text(out, max, required, &why)) {
        if (strcmp(why, "is too long") == 0)
            problem(v, line, slot, "is too long (at most %zu characters)", max);
        else
            problem(v, line, slot, "%s%s", why,
                    strstr(why, "UTF-8") ? " (save the file from Excel as \"CSV UTF-8\")" : "");
    }
}

static void validate_officer(vctx *v, size_t rec, csvimport_officer_row *r)
{
    int line = csvimport_line(v->f, rec), nul;
    const char *why = NULL;
    char shownv[64];
    memset(r, 0, sizeof *r);
    r->line = line;
    r->o.active = 1;
    const char *id = cell(v, rec, O_ID, &nul);
    if (id && !nul) {
        int too_long = trimmed(id, r->o.id, sizeof r->o.id);
        if (!too_long) valid_officer_id_canon(r->o.id); /* pk05 and PK05: one officer, PK05 */
        if (too_long || valid_officer_id(r->o.id, &why)) {
            shown(id, shownv, sizeof shownv);
            if (!r->o.id[0] && !trimmed(id, r->o.id, sizeof r->o.id))
                problem(v, line, O_ID, "is empty");
            else if (why && why[0] == '"')
                problem(v, line, O_ID, "%s", why);
            else
                problem(v, line, O_ID, "\"%s\" %s", shownv,
                        why ? why : "is longer than 32 characters");
        }
    }
    check_name(v, rec, O_NAME, r->o.name, sizeof r->o.name, VALID_NAME_MAX, 1);
    if (v->col[O_ROOM] >= 0) {
        r->given |= STORE_DATA_G_ROOM;
        check_name(v, rec, O_ROOM, r->o.room, sizeof r->o.room, VALID_ROOM_MAX, 0);
    }
    const char *act = cell(v, rec, O_ACTIVE, &nul);
    char t[64];
    if (act && !nul && !trimmed(act, t, sizeof t) && t[0] == 0) act = NULL;
    if (act && !nul && (trimmed(act, t, sizeof t) || csvimport_parse_active(t, &r->o.active))) {
        shown(act, shownv, sizeof shownv);
        problem(v, line, O_ACTIVE, "\"%s\" is not one of aktif/ya/1 or selesai/tidak/0", shownv);
    }
}

static void validate_client(vctx *v, size_t rec, csvimport_client_row *r)
{
    int line = csvimport_line(v->f, rec), nul;
    const char *why = NULL;
    char shownv[64], t[128];
    memset(r, 0, sizeof *r);
    r->line = line;
    r->c.active = 1;
    r->c.report_every_days = 30;
    r->c.program = BK_PROGRAM_OTHER;

    const char *no = cell(v, rec, C_NO, &nul);
    if (no && !nul) {
        if (trimmed(no, r->c.no, sizeof r->c.no) || valid_client_no(r->c.no, &why)) {
            shown(no, shownv, sizeof shownv);
            if (!r->c.no[0] && !trimmed(no, r->c.no, sizeof r->c.no))
                problem(v, line, C_NO, "is empty");
            else
                problem(v, line, C_NO, "\"%s\" %s", shownv,
                        why ? why : "is longer than 32 characters");
        }
    }
    check_name(v, rec, C_NAME, r->c.name, sizeof r->c.name, VALID_NAME_MAX, 1);

    /* Birth dates never appear in messages (privacy): only the line. */
    const char *birth = cell(v, rec, C_BIRTH, &nul);
    if (birth && !nul) {
        if (trimmed(birth, t, sizeof t) || !t[0]) {
            problem(v, line, C_BIRTH, "is empty");
        } else if (valid_date_input(t, r->c.birth, &why)) {
            problem(v, line, C_BIRTH, "%s", why);
        } else if (v->env && v->env->today && strcmp(r->c.birth, v->env->today) > 0) {
            problem(v, line, C_BIRTH, "is in the future");
        }
    }

    const char *prog = cell(v, rec, C_PROGRAM, &nul);
    if (prog && !nul && !trimmed(prog, t, sizeof t) && t[0] == 0)
        prog = NULL; /* empty: not given */
    if (prog && !nul) {
        if (trimmed(prog, t, sizeof t) || csvimport_parse_program(t, &r->c.program)) {
            shown(prog, shownv, sizeof shownv);
            problem(v, line, C_PROGRAM,
                    "\"%s\" is not a known program (PB, CB, CMB, ASIMILASI or OTHER)", shownv);
        } else {
            r->given |= STORE_DATA_G_PROGRAM;
        }
    }

    int active = 1;
    const char *act = cell(v, rec, C_ACTIVE, &nul);
    if (act && !nul && !trimmed(act, t, sizeof t) && t[0] == 0) act = NULL;
    if (act && !nul && (trimmed(act, t, sizeof t) || csvimport_parse_active(t, &active))) {
        shown(act, shownv, sizeof shownv);
        problem(v, line, C_ACTIVE, "\"%s\" is not one of aktif/ya/1 or selesai/tidak/0", shownv);
        active = 1;
    }
    r->c.active = active;

    const char *off = cell(v, rec, C_OFFICER, &nul);
    if (off && !nul) {
        char ref[STORE_NAME_SZ];
        shown(off, shownv, sizeof shownv);
        if (text_norm(off, ref, sizeof ref)) {
            problem(v, line, C_OFFICER, "is too long");
        } else if (!ref[0]) {
            problem(v, line, C_OFFICER, "is empty");
        } else if (v->env && v->env->officer_find) {
            int oactive = 0;
            bk_err e = v->env->officer_find(v->env->ud, ref, r->c.officer, &oactive);
            if (e == BK_ERR_NOT_FOUND)
                problem(v, line, C_OFFICER,
                        "no officer \"%s\" (import the officers first, or use an officer id)",
                        shownv);
            else if (e == BK_ERR_EXISTS)
                problem(v, line, C_OFFICER,
                        "\"%s\" is the name of more than one officer; use the officer id", shownv);
            else if (e)
                v->nomem = 1;
            else if (!oactive && active)
                problem(v, line, C_OFFICER,
                        "officer %s is not active; assign the client to an active officer",
                        r->c.officer);
        } else {
            /* No resolver (fuzzing): take an id-shaped reference as is. */
            if (trimmed(ref, r->c.officer, sizeof r->c.officer) ||
                valid_officer_id(r->c.officer, &why))
                problem(v, line, C_OFFICER, "\"%s\" is not an officer id", shownv);
        }
    }

    const char *every = cell(v, rec, C_EVERY, &nul);
    if (every && !nul && !trimmed(every, t, sizeof t) && t[0] == 0) every = NULL;
    if (every && !nul) {
        long n = 0;
        if (trimmed(every, t, sizeof t) || valid_int(t, 1, 366, &n, &why)) {
            shown(every, shownv, sizeof shownv);
            problem(v, line, C_EVERY, "\"%s\" is not a whole number of days from 1 to 366", shownv);
        } else {
            r->c.report_every_days = (int)n;
            r->given |= STORE_DATA_G_EVERY;
        }
    }

    const char *last = cell(v, rec, C_LAST, &nul);
    if (last && !nul && !trimmed(last, t, sizeof t) && t[0] == 0) last = NULL;
    if (last && !nul) {
        shown(last, shownv, sizeof shownv);
        if (trimmed(last, t, sizeof t) || valid_date_input(t, r->c.last_report, &why))
            problem(v, line, C_LAST, "\"%s\" %s", shownv, why ? why : "is too long");
        else if (v->env && v->env->today && strcmp(r->c.last_report, v->env->today) > 0)
            problem(v, line, C_LAST, "%s is in the future", r->c.last_report);
        else
            r->given |= STORE_DATA_G_LAST;
    }
}

typedef struct keyref {
    const char *key;
    int line;
    size_t idx;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
    const keyref *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

bk_err csvimport_validate(const csvimport_file *f, csvimport_kind kind, const csvimport_env *env,
                          csvimport_rows *out, csvimport_problems *pr)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    vctx v;
    memset(&v, 0, sizeof v);
    v.f = f;
    v.env = env;
    v.pr = pr;
    size_t before = pr->total;
    bk_err e = BK_OK;
    keyref *keys = NULL;
    size_t mark = (size_t)-1; /* where the duplicate problems start */
    if (f->nrecords == 0) {
        if (csvimport_problem_add(pr, 1, "file", "is empty: there is no header row"))
            return BK_ERR_NOMEM;
        return BK_ERR_INVALID;
    }
    if (map_header(&v, kind, out)) goto done;
    if (f->nrecords == 1) {
        if (csvimport_problem_add(pr, csvimport_line(f, 0), "file",
                                  "has a header but no data rows"))
            v.nomem = 1;
        goto done;
    }
    size_t n = f->nrecords - 1;
    if (kind == CSVIMPORT_OFFICERS)
        out->officers = calloc(n, sizeof *out->officers);
    else
        out->clients = calloc(n, sizeof *out->clients);
    keys = calloc(n, sizeof *keys);
    if ((!out->officers && !out->clients) || !keys) {
        e = BK_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n && !v.nomem; i++) {
        check_width(&v, i + 1);
        if (kind == CSVIMPORT_OFFICERS) {
            validate_officer(&v, i + 1, &out->officers[i]);
            keys[i].key = out->officers[i].o.id;
        } else {
            validate_client(&v, i + 1, &out->clients[i]);
            keys[i].key = out->clients[i].c.no;
        }
        keys[i].line = csvimport_line(f, i + 1);
        keys[i].idx = i;
    }
    if (v.nomem) goto done;
    /* Duplicated keys: reported on every later line, naming the first line
     * of the key. Sorted by key then row, so equal keys form one run whose
     * start is that first line: one pass, linear after the sort. */
    mark = pr->n;
    qsort(keys, n, sizeof *keys, keyref_cmp);
    size_t first = 0; /* start of the run of keys equal to keys[i] */
    for (size_t i = 1; i < n; i++) {
        if (strcmp(keys[i].key, keys[i - 1].key) != 0) first = i;
        if (!keys[i].key[0] || first == i) continue;
        char sv[64];
        shown(keys[i].key, sv, sizeof sv);
        if (csvimport_problem_add(pr, keys[i].line,
                                  v.head[kind == CSVIMPORT_OFFICERS ? O_ID : C_NO],
                                  "%s is also on line %d", sv, keys[first].line))
            v.nomem = 1;
    }
    out->n = n;
done:
    free(keys);
    if (v.nomem) e = BK_ERR_NOMEM;
    if (!v.nomem && merge_problems(pr, mark)) v.nomem = 1;
    if (!e && pr->total != before) e = BK_ERR_INVALID;
    if (e) {
        free(out->officers);
        free(out->clients);
        out->officers = NULL;
        out->clients = NULL;
        out->n = 0;
    }
    return e;
}

void csvimport_rows_free(csvimport_rows *r)
{
    free(r->officers);
    free(r->clients);
    memset(r, 0, sizeof *r);
}
