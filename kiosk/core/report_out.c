/* report_out.c — report writers: aligned text, CSV, self-contained HTML with
 * inline SVG charts (see report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otime.h"
#include "report.h"

/* ---- shared ------------------------------------------------------------ */

static const char *tr_or(report_tr tr, void *ud, const char *key, const char *english)
{
    const char *t = tr ? tr(ud, key) : NULL;
    return t && *t ? t : english;
}

/* The catalog's decimal mark ("report.decimal": "," in Indonesian) in a
 * formatted number such as "55.6%". */
static void decimal(char *s, report_tr tr, void *ud)
{
    const char *d = tr_or(tr, ud, "report.decimal", ".");
    if (d[0] == '.' || d[0] == 0 || d[1] != 0) return;
    for (; *s; s++)
        if (*s == '.' && s[1] >= '0' && s[1] <= '9') *s = d[0];
}

static const char *col_title(const report *r, int j, report_tr tr, void *ud, char *buf,
                             size_t bufsz)
{
    snprintf(buf, bufsz, "report.col.%s", r->cols[j].id);
    return tr_or(tr, ud, buf, r->cols[j].title);
}

static const char *kind_title(const report *r, report_tr tr, void *ud)
{
    char key[64];
    snprintf(key, sizeof key, "report.title.%s", report_kind_name(r->p.kind));
    return tr_or(tr, ud, key, report_title(r->p.kind));
}

static size_t u8_width(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}

static void period(const report *r, report_tr tr, void *ud, char *out, size_t outsz)
{
    if (r->p.kind == REPORT_MISSED)
        snprintf(out, outsz, "%s %s", tr_or(tr, ud, "report.meta.as_of", "as of"), r->p.to);
    else if (strcmp(r->p.from, r->p.to) == 0)
        snprintf(out, outsz, "%s", r->p.from);
    else
        snprintf(out, outsz, "%s %s %s", r->p.from, tr_or(tr, ud, "report.meta.to", "to"), r->p.to);
}

static void generated(const report *r, char *out, size_t outsz)
{
    otime_parts lp;
    otime_local(r->p.generated_at, r->p.utc_offset_min, &lp);
    int off = r->p.utc_offset_min, a = off < 0 ? -off : off;
    snprintf(out, outsz, "%04d-%02d-%02d %02d:%02d UTC%c%02d:%02d", lp.year % 10000, lp.month % 100,
             lp.day % 100, lp.hour % 100, lp.min % 100, off < 0 ? '-' : '+', (a / 60) % 100,
             a % 60);
}

/* ---- text -------------------------------------------------------------- */

bk_err report_write_text(const report *r, FILE *f, report_tr tr, void *ud)
{
    char per[96], buf[256], key[96];
    period(r, tr, ud, per, sizeof per);
    fprintf(f, "%s, %s", kind_title(r, tr, ud), per);
    if (r->p.officer[0])
        fprintf(f, ", %s %s", tr_or(tr, ud, "report.meta.officer", "officer"), r->p.officer);
    fprintf(f, "\n\n");
    size_t *w = calloc((size_t)r->ncols, sizeof *w);
    if (!w) return BK_ERR_NOMEM;
    for (int j = 0; j < r->ncols; j++)
        w[j] = u8_width(col_title(r, j, tr, ud, key, sizeof key));
    for (size_t i = 0; i < r->nrows; i++)
        for (int j = 0; j < r->ncols; j++) {
            report_cell_text(r, i, j, buf, sizeof buf);
            size_t n = u8_width(buf);
            if (n > w[j]) w[j] = n;
        }
    size_t total = 0;
    for (int j = 0; j < r->ncols; j++)
        total += w[j] + (j ? 2 : 0);
    for (int j = 0; j < r->ncols; j++) {
        const char *t = col_title(r, j, tr, ud, key, sizeof key);
        fprintf(f, "%s%s%*s", j ? "  " : "", t, (int)(w[j] - u8_width(t)), "");
    }
    fputc('\n', f);
    for (size_t k = 0; k < total; k++)
        fputc('-', f);
    fputc('\n', f);
    for (size_t i = 0; i < r->nrows; i++) {
        if (r->total_rows && i == r->nrows - r->total_rows) {
            for (size_t k = 0; k < total; k++)
                fputc('-', f);
            fputc('\n', f);
        }
        for (int j = 0; j < r->ncols; j++) {
            report_cell_text(r, i, j, buf, sizeof buf);
            size_t pad = w[j] - u8_width(buf);
            if (r->cols[j].type == REPORT_T_TEXT)
                fprintf(f, "%s%s%*s", j ? "  " : "", buf, (int)pad, "");
            else
                fprintf(f, "%s%*s%s", j ? "  " : "", (int)pad, "", buf);
        }
        fputc('\n', f);
    }
    size_t data_rows = r->nrows - r->total_rows;
    fprintf(f, "\n%zu %s\n", data_rows, data_rows == 1 ? "row" : "rows");
    free(w);
    return ferror(f) ? BK_ERR_IO : BK_OK;
}

/* ---- CSV --------------------------------------------------------------- */

static void csv_text(FILE *f, const char *s)
{
    int quote = s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ') || strpbrk(s, ",\"\r\n;") != NULL;
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"') fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

static void csv_number(FILE *f, double x)
{
    if (x == (double)(long long)x)
        fprintf(f, "%.0f", x);
    else
        fprintf(f, "%.1f", x); /* medians end in .5 at most */
}

bk_err report_write_csv(const report *r, FILE *f)
{
    for (int j = 0; j < r->ncols; j++) {
        if (j) fputc(',', f);
        fputs(r->cols[j].id, f);
    }
    fputs("\r\n", f);
    for (size_t i = 0; i < r->nrows; i++) {
        for (int j = 0; j < r->ncols; j++) {
            const report_cell *c = &r->cells[i * (size_t)r->ncols + (size_t)j];
            if (j) fputc(',', f);
            if (c->null) continue;
            switch (r->cols[j].type) {
            case REPORT_T_TEXT:
                csv_text(f, c->s ? c->s : "");
                break;
            case REPORT_T_INT:
                fprintf(f, "%lld", (long long)c->i);
                break;
            case REPORT_T_SECONDS:
                csv_number(f, c->x);
                break;
            case REPORT_T_SHARE:
                fprintf(f, "%.4f", (double)c->num / (double)c->den);
                break;
            }
        }
        fputs("\r\n", f);
    }
    return ferror(f) ? BK_ERR_IO : BK_OK;
}

/* ---- HTML -------------------------------------------------------------- */

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* Colours that stay apart in greyscale print, too. */
static const char *const palette[] = {"#1b7837", "#5aae61", "#f1a340",
                                      "#998ec3", "#d6604d", "#878787"};

typedef struct bar_series {
    const char *col;    /* column id */
    const char *legend; /* English legend text (catalog: report.col.<col>) */
} bar_series;

static double cell_num(const report *r, size_t row, const char *col)
{
    const report_cell *c = report_cell_at(r, row, col);
    if (!c || c->null) return 0;
    switch (r->cols[report_col_index(r, col)].type) {
    case REPORT_T_INT:
        return (double)c->i;
    case REPORT_T_SECONDS:
        return c->x;
    case REPORT_T_SHARE:
        return (double)c->num / (double)c->den;
    default:
        return 0;
    }
}

static void legend(FILE *f, const report *r, const bar_series *s, int ns, int y,
                   const char *note_col, report_tr tr, void *ud)
{
    int x = 150;
    char key[96];
    if (note_col) {
        int j = report_col_index(r, note_col);
        if (j >= 0) {
            fprintf(f, "<text x=\"%d\" y=\"%d\">%% = ", x, y + 20);
            esc(f, col_title(r, j, tr, ud, key, sizeof key));
            fprintf(f, "</text>");
        }
    }
    for (int k = 0; k < ns; k++) {
        int j = report_col_index(r, s[k].col);
        const char *t = j >= 0 ? col_title(r, j, tr, ud, key, sizeof key) : s[k].legend;
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y - 10,
                palette[k % 6]);
        fprintf(f, "<text x=\"%d\" y=\"%d\">", x + 16, y);
        esc(f, t);
        fprintf(f, "</text>");
        x += 16 + (int)u8_width(t) * 7 + 18;
    }
}

/* Horizontal stacked bars: one bar per row (label = label_col), segments =
 * series. scale_max = the largest row sum. note_col (may be NULL) is printed
 * after the bar. */
static void svg_stacked(FILE *f, const report *r, size_t nrows, const char *label_col,
                        const bar_series *s, int ns, const char *note_col, const char *title,
                        report_tr tr, void *ud)
{
    const int left = 150, width = 460, rowh = 24;
    double max = 0;
    for (size_t i = 0; i < nrows; i++) {
        double sum = 0;
        for (int k = 0; k < ns; k++)
            sum += cell_num(r, i, s[k].col);
        if (sum > max) max = sum;
    }
    int h = 40 + (int)nrows * rowh + 50;
    fprintf(f,
            "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"%d\" "
            "viewBox=\"0 0 720 %d\" role=\"img\" aria-label=\"",
            h, h);
    esc(f, title);
    fprintf(f, "\"><text class=\"t\" x=\"0\" y=\"16\">");
    esc(f, title);
    fprintf(f, "</text>");
    char buf[128], key[300];
    for (size_t i = 0; i < nrows; i++) {
        int y = 30 + (int)i * rowh;
        const report_cell *lc = report_cell_at(r, i, label_col);
        const char *label = lc && !lc->null && lc->s ? lc->s : "-";
        snprintf(key, sizeof key, "report.value.%s", label);
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8, y + 15);
        esc(f, strcmp(label, STORE_RECEPTION) == 0 ? tr_or(tr, ud, key, label) : label);
        fprintf(f, "</text>");
        double x = left;
        for (int k = 0; k < ns && max > 0; k++) {
            double v = cell_num(r, i, s[k].col);
            double wpx = v / max * width;
            if (wpx <= 0) continue;
            fprintf(f,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\">"
                    "<title>%s: %.0f</title></rect>",
                    x, y + 2, wpx, palette[k % 6], s[k].col, v);
            if (wpx >= 22)
                fprintf(f,
                        "<text class=\"in\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f"
                        "</text>",
                        x + wpx / 2, y + 15, v);
            x += wpx;
        }
        if (note_col) {
            int j = report_col_index(r, note_col);
            if (j >= 0) {
                report_cell_text(r, i, j, buf, sizeof buf);
                decimal(buf, tr, ud);
                fprintf(f, "<text x=\"%.1f\" y=\"%d\">", x + 6, y + 15);
                esc(f, buf);
                fprintf(f, "</text>");
            }
        }
    }
    legend(f, r, s, ns, 30 + (int)nrows * rowh + 20, note_col, tr, ud);
    fprintf(f, "</svg></figure>\n");
}

/* Vertical bars of counts by label (daily: check-ins per hour; missed: per PK). */
static void svg_columns(FILE *f, const char *const *labels, const int *counts, int n,
                        const char *title)
{
    const int top = 30, plot_h = 160, left = 40;
    int max = 0;
    for (int i = 0; i < n; i++)
        if (counts[i] > max) max = counts[i];
    int colw = n > 0 ? (660 / n) : 660;
    if (colw > 60) colw = 60;
    int h = top + plot_h + 40;
    fprintf(f,
            "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"%d\" "
            "viewBox=\"0 0 720 %d\" role=\"img\" aria-label=\"",
            h, h);
    esc(f, title);
    fprintf(f, "\"><text class=\"t\" x=\"0\" y=\"16\">");
    esc(f, title);
    fprintf(f, "</text><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>", left,
            top + plot_h, left + n * colw, top + plot_h);
    for (int i = 0; i < n; i++) {
        double bh = max > 0 ? (double)counts[i] / max * plot_h : 0;
        int x = left + i * colw;
        fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"/>", x + 3,
                top + plot_h - bh, colw - 6, bh, palette[0]);
        if (counts[i])
            fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%d</text>", x + colw / 2,
                    top + plot_h - bh - 4, counts[i]);
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x + colw / 2,
                top + plot_h + 16);
        esc(f, labels[i]);
        fprintf(f, "</text>");
    }
    fprintf(f, "</svg></figure>\n");
}

static void chart_daily(FILE *f, const report *r, report_tr tr, void *ud)
{
    int counts[24] = {0};
    int lo = 24, hi = -1;
    int jt = report_col_index(r, "time");
    for (size_t i = 0; i < r->nrows; i++) {
        const report_cell *c = &r->cells[i * (size_t)r->ncols + (size_t)jt];
        if (c->null || !c->s) continue;
        int hh = atoi(c->s);
        if (hh < 0 || hh > 23) continue;
        counts[hh]++;
        if (hh < lo) lo = hh;
        if (hh > hi) hi = hh;
    }
    if (hi < 0) return;
    char lab[24][8];
    const char *labels[24];
    for (int hh = lo; hh <= hi; hh++) {
        snprintf(lab[hh - lo], sizeof lab[0], "%02d", hh % 100);
        labels[hh - lo] = lab[hh - lo];
    }
    svg_columns(f, labels, counts + lo, hi - lo + 1,
                tr_or(tr, ud, "report.chart.per_hour", "Check-ins per hour"));
}

static void chart_missed(FILE *f, const report *r, report_tr tr, void *ud)
{
    enum { MAXPK = 40 };
    const char *labels[MAXPK];
    int counts[MAXPK];
    int n = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const report_cell *c = report_cell_at(r, i, "officer");
        const char *pk = c && !c->null && c->s ? c->s : "-";
        int k;
        for (k = 0; k < n; k++)
            if (strcmp(labels[k], pk) == 0) break;
        if (k == n) {
            if (n == MAXPK) continue;
            labels[n] = pk;
            counts[n++] = 0;
        }
        counts[k]++;
    }
    if (n)
        svg_columns(f, labels, counts, n,
                    tr_or(tr, ud, "report.chart.missed_per_pk", "Overdue clients per PK"));
}

/* Paired bars (median, p90) per row of the waits report; which = "wait" or
 * "service". */
static void chart_waits(FILE *f, const report *r, const char *which, report_tr tr, void *ud)
{
    const int left = 150, width = 460, rowh = 30;
    char mcol[32], pcol[32];
    snprintf(mcol, sizeof mcol, "%s_median_s", which);
    snprintf(pcol, sizeof pcol, "%s_p90_s", which);
    double max = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        double v = cell_num(r, i, pcol);
        if (cell_num(r, i, mcol) > v) v = cell_num(r, i, mcol);
        if (v > max) max = v;
    }
    const char *title = strcmp(which, "wait") == 0
                            ? tr_or(tr, ud, "report.chart.waits", "Wait from check-in to call")
                            : tr_or(tr, ud, "report.chart.service", "Service time");
    int h = 40 + (int)r->nrows * rowh + 30;
    fprintf(f,
            "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"%d\" "
            "viewBox=\"0 0 720 %d\" role=\"img\" aria-label=\"",
            h, h);
    esc(f, title);
    fprintf(f, "\"><text class=\"t\" x=\"0\" y=\"16\">");
    esc(f, title);
    fprintf(f, "</text>");
    char buf[64];
    for (size_t i = 0; i < r->nrows; i++) {
        int y = 30 + (int)i * rowh;
        const report_cell *kc = report_cell_at(r, i, "key");
        char key[96];
        snprintf(key, sizeof key, "report.value.%s", kc && kc->s ? kc->s : "");
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8, y + 17);
        esc(f, tr_or(tr, ud, key, kc && kc->s ? kc->s : "-"));
        fprintf(f, "</text>");
        const char *cols[2] = {mcol, pcol};
        for (int k = 0; k < 2; k++) {
            const report_cell *c = report_cell_at(r, i, cols[k]);
            if (!c || c->null || max <= 0) continue;
            double wpx = c->x / max * width;
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\"/>", left,
                    y + 2 + k * 13, wpx, palette[k == 0 ? 1 : 3]);
            report_format_seconds(c->x, buf, sizeof buf);
            fprintf(f, "<text class=\"s\" x=\"%.1f\" y=\"%d\">%s</text>", left + wpx + 4,
                    y + 12 + k * 13, buf);
        }
    }
    bar_series s[2] = {{mcol, ""}, {pcol, ""}};
    /* The legend uses palette[0], [1]: match the bars' colours. */
    int y = 30 + (int)r->nrows * rowh + 20, x = 150;
    char k2[96];
    for (int k = 0; k < 2; k++) {
        int j = report_col_index(r, s[k].col);
        const char *t = col_title(r, j, tr, ud, k2, sizeof k2);
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y - 10,
                palette[k == 0 ? 1 : 3]);
        fprintf(f, "<text x=\"%d\" y=\"%d\">", x + 16, y);
        esc(f, t);
        fprintf(f, "</text>");
        x += 16 + (int)u8_width(t) * 7 + 18;
    }
    fprintf(f, "</svg></figure>\n");
}

/* Columns of short tokens (dates, times, codes) never wrap. */
static int nowrap(const char *col)
{
    static const char *const cols[] = {
        "day", "time",      "code",    "last_report", "since",
        "due", "client_no", "officer", "assigned",    "transferred_from"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (strcmp(col, cols[i]) == 0) return 1;
    return 0;
}

/* Cells holding fixed words (purposes, statuses, ...) are translated in HTML. */
static int translated(const char *col, const char *value)
{
    static const char *const cols[] = {"purpose", "routed", "status", "outcome", "group", "key"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (strcmp(col, cols[i]) == 0) return 1;
    return strcmp(col, "officer") == 0 &&
           (strcmp(value, "all") == 0 || strcmp(value, STORE_RECEPTION) == 0);
}

static const char *const en_notes[REPORT__COUNT] = {
    "Every ticket of the period. Officer: who served the visit, else whose queue it was in. Wait: "
    "check-in to call. Service: start to end of a finished visit.",
    "Active clients whose last wajib lapor (the later of the recorded date and the last finished "
    "reporting visit) is older than their reporting interval on the day shown. A client who never "
    "reported is counted from the day they were first imported. Most overdue first.",
    "Finished visits of clients, by the client's assigned PK. Own: served by the assigned PK. "
    "Others, by why: the PK was away and a substitute was named (substitute), nobody was named "
    "and reception served or passed on the client (reception), the ticket was handed over "
    "(transfer), or anything else (other).",
    "Visits by the PK who served them; a no-show counts for the PK whose queue it was in. Share "
    "counseled = counseled / finished visits.",
    "Median and 90th percentile (nearest rank) of the wait from check-in to call, over every "
    "ticket that was called, and of the service time of finished visits. Times are minutes:"
    "seconds.",
    "The wajib lapor questions the kiosk asks before the ticket of a report visit: per question, "
    "the report visits that answered it and how many answered Ya (a matter for the PK). The last "
    "row counts the report visits that answered and those that did not (the client left during "
    "the questions, or the answers could not be saved).",
};

bk_err report_write_html(const report *r, FILE *f, const char *office, report_tr tr, void *ud)
{
    char per[96], gen[40], key[300], buf[256];
    period(r, tr, ud, per, sizeof per);
    generated(r, gen, sizeof gen);
    const char *title = kind_title(r, tr, ud);
    const char *lang = tr_or(tr, ud, "report.html.lang", "en");
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"");
    esc(f, lang);
    fprintf(f, "\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc(f, title);
    fprintf(f, " - ");
    esc(f, per);
    fprintf(f, "</title>\n<style>\n"
               "body{font-family:\"DejaVu Sans\",\"Noto Sans\",Arial,sans-serif;margin:24px;"
               "color:#111;font-size:14px}\n"
               "h1{font-size:22px;margin:0 0 4px}\n"
               ".meta{color:#444;margin:0 0 16px}\n"
               "table{border-collapse:collapse;margin:12px 0;font-size:13px}\n"
               "th,td{border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top}\n"
               "th{background:#e8eef4}\n"
               "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
               "td.d{white-space:nowrap}\n"
               "tr.total td{font-weight:bold;background:#f3f3f3}\n"
               "tbody tr:nth-child(even) td{background:#fafafa}\n"
               "figure{margin:8px 0 16px}\n"
               "svg text{font-family:\"DejaVu Sans\",Arial,sans-serif;font-size:12px;fill:#111}\n"
               "svg text.t{font-size:14px;font-weight:bold}\n"
               "svg text.in{fill:#fff;font-size:11px}\n"
               "svg text.s{font-size:10px}\n"
               ".notes{color:#333;max-width:760px;font-size:12px}\n"
               ".empty{font-style:italic}\n"
               "@media print{body{margin:10mm}th{background:#ddd !important}"
               "tr{page-break-inside:avoid}}\n"
               "</style>\n</head>\n<body>\n<header>\n<h1>");
    esc(f, title);
    fprintf(f, "</h1>\n<p class=\"meta\">");
    if (office && *office) {
        esc(f, office);
        fprintf(f, " &middot; ");
    }
    esc(f, tr_or(tr, ud, "report.meta.period", "Period"));
    fprintf(f, ": ");
    esc(f, per);
    if (r->p.officer[0]) {
        fprintf(f, " &middot; ");
        esc(f, tr_or(tr, ud, "report.meta.officer", "officer"));
        fprintf(f, " ");
        esc(f, r->p.officer);
    }
    fprintf(f, " &middot; ");
    esc(f, tr_or(tr, ud, "report.meta.generated", "generated"));
    fprintf(f, " ");
    esc(f, gen);
    fprintf(f, "</p>\n</header>\n<main>\n");

    size_t data_rows = r->nrows - r->total_rows;
    if (data_rows > 0) {
        switch (r->p.kind) {
        case REPORT_DAILY:
            chart_daily(f, r, tr, ud);
            break;
        case REPORT_MISSED:
            chart_missed(f, r, tr, ud);
            break;
        case REPORT_CONTINUITY: {
            static const bar_series s[] = {{"own", ""},
                                           {"substitute", ""},
                                           {"transfer", ""},
                                           {"reception", ""},
                                           {"other", ""}};
            svg_stacked(f, r, data_rows, "officer", s, 5, "own_share",
                        tr_or(tr, ud, "report.chart.continuity", "Who served each PK's clients"),
                        tr, ud);
            break;
        }
        case REPORT_OUTCOMES: {
            static const bar_series s[] = {{"counseled", ""},
                                           {"admin", ""},
                                           {"referred", ""},
                                           {"no_outcome", ""},
                                           {"no_show", ""}};
            svg_stacked(f, r, data_rows, "officer", s, 5, "counseled_share",
                        tr_or(tr, ud, "report.chart.outcomes", "Outcomes of visits per PK"), tr,
                        ud);
            break;
        }
        case REPORT_FLAGS:
            break; /* the table says it */
        default:
            chart_waits(f, r, "wait", tr, ud);
            chart_waits(f, r, "service", tr, ud);
            break;
        }
    }

    fprintf(f, "<table>\n<thead><tr>");
    for (int j = 0; j < r->ncols; j++) {
        fprintf(f, "<th>");
        esc(f, col_title(r, j, tr, ud, key, sizeof key));
        fprintf(f, "</th>");
    }
    fprintf(f, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->nrows; i++) {
        int is_total = r->total_rows && i >= data_rows;
        fprintf(f, is_total ? "<tr class=\"total\">" : "<tr>");
        for (int j = 0; j < r->ncols; j++) {
            report_cell_text(r, i, j, buf, sizeof buf);
            int num = r->cols[j].type != REPORT_T_TEXT;
            if (r->cols[j].type == REPORT_T_SHARE) decimal(buf, tr, ud);
            fprintf(f, num                     ? "<td class=\"n\">"
                       : nowrap(r->cols[j].id) ? "<td class=\"d\">"
                                               : "<td>");
            const char *shown = buf;
            if (!num && strcmp(buf, "-") != 0 && translated(r->cols[j].id, buf)) {
                snprintf(key, sizeof key, "report.value.%s", buf);
                shown = tr_or(tr, ud, key, buf);
            }
            esc(f, shown);
            fprintf(f, "</td>");
        }
        fprintf(f, "</tr>\n");
    }
    if (r->nrows == 0) {
        fprintf(f, "<tr><td class=\"empty\" colspan=\"%d\">", r->ncols);
        esc(f, tr_or(tr, ud, "report.empty", "Nothing to show for this period."));
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody>\n</table>\n<p class=\"meta\">%zu ", data_rows);
    esc(f, tr_or(tr, ud, "report.rows", "rows"));
    fprintf(f, "</p>\n</main>\n<footer class=\"notes\"><p>");
    snprintf(key, sizeof key, "report.note.%s", report_kind_name(r->p.kind));
    esc(f, tr_or(tr, ud, key, en_notes[r->p.kind]));
    fprintf(f, "</p></footer>\n</body>\n</html>\n");
    return ferror(f) ? BK_ERR_IO : BK_OK;
}
