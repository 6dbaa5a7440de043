#include "calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otime.h"
#include "roster.h"
#include "store_data.h"
#include "valid.h"

void cal_init(cal *c, unsigned workdays)
{
    memset(c, 0, sizeof *c);
    c->workdays = workdays & CAL_WORKDAYS_ALL;
}

void cal_free(cal *c)
{
    if (!c) return;
    free(c->days);
    c->days = NULL;
    c->n = c->cap = 0;
}

/* "YYYY-MM-DD" (a real calendar date, valid_date's range) to days since
 * 1970-01-01. */
static bk_err day_num(const char *s, int64_t *out)
{
    int y, m, d;
    if (valid_date(s, &y, &m, &d, NULL)) return BK_ERR_INVALID;
    *out = otime_days_from_civil(y, m, d);
    return BK_OK;
}

static void day_str(int64_t n, char out[11])
{
    int y, m, d;
    otime_civil_from_days(n, &y, &m, &d);
    /* y is 1900..9999 by day_num's range; m 1..12, d 1..31 */
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 13u, ud = (unsigned)d % 32u;
    snprintf(out, 11, "%04u-%02u-%02u", uy, um, ud);
}

/* 1970-01-01 was a Thursday (4). */
static int wday_of(int64_t n)
{
    return (int)(((n % 7) + 7 + 4) % 7);
}

static unsigned workdays_of(const cal *c)
{
    return c && c->workdays ? c->workdays : CAL_WORKDAYS_DEFAULT;
}

static int is_holiday(const cal *c, int64_t n)
{
    if (!c) return 0;
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->days[mid] == n) return 1;
        if (c->days[mid] < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int working(const cal *c, int64_t n)
{
    return (workdays_of(c) >> wday_of(n) & 1u) && !is_holiday(c, n);
}

bk_err cal_add_holiday(cal *c, const char *day)
{
    int64_t n;
    if (day_num(day, &n)) return BK_ERR_INVALID;
    size_t i = 0;
    while (i < c->n && c->days[i] < n)
        i++;
    if (i < c->n && c->days[i] == n) return BK_OK;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        int64_t *v = realloc(c->days, cap * sizeof *v);
        if (!v) return BK_ERR_NOMEM;
        c->days = v;
        c->cap = cap;
    }
    memmove(c->days + i + 1, c->days + i, (c->n - i) * sizeof *c->days);
    c->days[i] = n;
    c->n++;
    return BK_OK;
}

int cal_is_working(const cal *c, const char *day)
{
    int64_t n;
    if (day_num(day, &n)) return -1;
    return working(c, n);
}

bk_err cal_next_working(const cal *c, const char *day, char out[11])
{
    out[0] = 0;
    int64_t n;
    if (day_num(day, &n)) return BK_ERR_INVALID;
    for (int i = 0; i <= CAL_MAX_LOOKAHEAD; i++, n++) {
        if (working(c, n)) {
            day_str(n, out);
            return BK_OK;
        }
    }
    return BK_ERR_NOT_FOUND;
}

bk_err cal_next_report(const cal *c, const char *visit_day, const char *last_report, int every_days,
                       char out[11])
{
    out[0] = 0;
    if (every_days <= 0) return BK_OK;
    const char *base = visit_day;
    if (last_report && last_report[0] && visit_day && strcmp(last_report, visit_day) > 0)
        base = last_report;
    char due[11];
    bk_err e = otime_day_add(base, every_days, due);
    if (e) return e;
    return cal_next_working(c, due, out);
}

bk_err cal_day_parts(const char *day, otime_parts *out)
{
    memset(out, 0, sizeof *out);
    int64_t n;
    if (day_num(day, &n)) return BK_ERR_INVALID;
    otime_civil_from_days(n, &out->year, &out->month, &out->day);
    out->wday = wday_of(n);
    return BK_OK;
}

/* Short names for cal_format_workdays; roster_weekday_parse reads these and
 * every other spelling the office writes (full names, Indonesian, "jum'at"). */
static const char *const wd_short[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

bk_err cal_parse_workdays(const char *s, unsigned *mask)
{
    unsigned m = 0;
    const char *p = s ? s : "";
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (!*p) break;
        size_t len = strcspn(p, ", \t");
        char w[16];
        if (len >= sizeof w) return BK_ERR_INVALID;
        memcpy(w, p, len);
        w[len] = 0;
        int hit = roster_weekday_parse(w);
        if (hit < 0) return BK_ERR_INVALID;
        m |= 1u << hit;
        p += len;
    }
    if (!m) return BK_ERR_INVALID;
    *mask = m;
    return BK_OK;
}

void cal_format_workdays(unsigned mask, char *out, size_t outsz)
{
    size_t len = 0;
    if (outsz) out[0] = 0;
    /* Monday first, Sunday last, as a week is read in the office. */
    for (int i = 1; i <= 7; i++) {
        int d = i % 7;
        if (!(mask >> d & 1u)) continue;
        int w =
            snprintf(out + len, outsz > len ? outsz - len : 0, "%s%s", len ? "," : "", wd_short[d]);
        if (w < 0) return;
        len += (size_t)w;
        if (len >= outsz) return;
    }
}

static bk_err add_row(void *ud, const store_data_holiday *h)
{
    return cal_add_holiday(ud, h->day);
}

bk_err cal_load(store *s, unsigned workdays, cal *out)
{
    cal_init(out, workdays);
    bk_err e = store_data_holiday_list(s, NULL, NULL, add_row, out);
    if (e) cal_free(out);
    return e;
}

bk_err cal_next_report_ticket(store *s, unsigned workdays, const store_ticket *t, char out[11])
{
    out[0] = 0;
    if (!t || !queue_visit_has(t, BK_PURPOSE_REPORT) || !t->client_no[0]) return BK_OK;
    store_client c;
    bk_err e = store_client_get(s, t->client_no, &c);
    if (e == BK_ERR_NOT_FOUND) return BK_OK;
    if (e) return e;
    cal k;
    if (!(e = cal_load(s, workdays, &k))) {
        e = cal_next_report(&k, t->day, c.last_report, c.report_every_days, out);
        if (e) out[0] = 0;
        cal_free(&k);
    }
    memset(&c, 0, sizeof c); /* the client record does not stay on the stack */
    return e;
}
