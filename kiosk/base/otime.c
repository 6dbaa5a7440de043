#include "otime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "valid.h"

bk_err otime_zone_offset(const char *zone, int *offset_min)
{
    static const struct {
        const char *name;
        int off;
    } named[] = {
        {"Asia/Jakarta", 420},
        {"Asia/Pontianak", 420},
        {"WIB", 420},
        {"Asia/Makassar", 480},
        {"Asia/Ujung_Pandang", 480},
        {"WITA", 480},
        {"Asia/Jayapura", 540},
        {"WIT", 540},
        {"UTC", 0},
        {"Etc/UTC", 0},
        {"GMT", 0},
    };
    if (!zone || !*zone) return BK_ERR_INVALID;
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strcasecmp(zone, named[i].name) == 0) {
            *offset_min = named[i].off;
            return BK_OK;
        }
    }
    const char *p = zone;
    if (strncasecmp(p, "UTC", 3) == 0) p += 3;
    if (*p != '+' && *p != '-') return BK_ERR_INVALID;
    int sign = *p == '-' ? -1 : 1;
    p++;
    if (!isdigit((unsigned char)p[0])) return BK_ERR_INVALID;
    int h = 0, m = 0, nd = 0;
    while (isdigit((unsigned char)*p) && nd < 2) {
        h = h * 10 + (*p++ - '0');
        nd++;
    }
    if (*p == ':') {
        p++;
        if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1])) return BK_ERR_INVALID;
        m = (p[0] - '0') * 10 + (p[1] - '0');
        p += 2;
    }
    if (*p || h > 14 || m > 59) return BK_ERR_INVALID;
    *offset_min = sign * (h * 60 + m);
    return BK_OK;
}

int64_t otime_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return (int64_t)time(NULL);
    return (int64_t)ts.tv_sec;
}

int64_t otime_mono_us(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0; /* not on Linux: CLOCK_MONOTONIC always exists */
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t otime_mono_ms(void)
{
    return otime_mono_us() / 1000;
}

bk_err otime_test_now(int64_t *out)
{
    *out = 0;
    const char *fake = getenv("BAPAS_NOW");
    if (!fake || !*fake) return BK_OK;
#ifdef BK_TEST_HOOKS
    return otime_parse(fake, out) ? BK_ERR_INVALID : BK_OK;
#else
    return BK_ERR_USAGE;
#endif
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t otime_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void otime_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t yy = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

/* "YYYY-MM-DD" into 11 bytes; fields are clamped to their widths. */
static void fmt_day(int y, int m, int d, char out[11])
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

void otime_local(int64_t t, int offset_min, otime_parts *out)
{
    int64_t lt = t + (int64_t)offset_min * 60;
    int64_t days = floor_div(lt, 86400);
    int64_t secs = lt - days * 86400;
    otime_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->min = (int)(secs / 60 % 60);
    out->sec = (int)(secs % 60);
    int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    out->wday = (int)(w < 0 ? w + 7 : w);
}

void otime_day(int64_t t, int offset_min, char out[11])
{
    otime_parts p;
    otime_local(t, offset_min, &p);
    fmt_day(p.year, p.month, p.day, out);
}

bk_err otime_day_add(const char *day, int n, char out[11])
{
    int y, m, d;
    if (valid_date(day, &y, &m, &d, NULL)) return BK_ERR_INVALID;
    otime_civil_from_days(otime_days_from_civil(y, m, d) + n, &y, &m, &d);
    fmt_day(y, m, d, out);
    return BK_OK;
}

bk_err otime_day_diff(const char *a, const char *b, int *out)
{
    int y1, m1, d1, y2, m2, d2;
    if (valid_date(a, &y1, &m1, &d1, NULL) || valid_date(b, &y2, &m2, &d2, NULL))
        return BK_ERR_INVALID;
    *out = (int)(otime_days_from_civil(y2, m2, d2) - otime_days_from_civil(y1, m1, d1));
    return BK_OK;
}

bk_err otime_day_start(const char *day, int offset_min, int64_t *out)
{
    int y, m, d;
    if (valid_date(day, &y, &m, &d, NULL)) return BK_ERR_INVALID;
    *out = otime_days_from_civil(y, m, d) * 86400 - (int64_t)offset_min * 60;
    return BK_OK;
}

void otime_iso_utc(int64_t t, char out[21])
{
    otime_parts p;
    otime_local(t, 0, &p);
    fmt_day(p.year, p.month, p.day, out);
    snprintf(out + 10, 11, "T%02u:%02u:%02uZ", (unsigned)p.hour % 24u, (unsigned)p.min % 60u,
             (unsigned)p.sec % 60u);
}

static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

bk_err otime_parse(const char *s, int64_t *out)
{
    if (!s || !*s) return BK_ERR_INVALID;
    size_t len = strlen(s);
    int all_digits = 1;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]) && !(i == 0 && s[i] == '-')) all_digits = 0;
    if (all_digits && len <= 12) {
        *out = strtoll(s, NULL, 10);
        return BK_OK;
    }
    if (len < 19) return BK_ERR_INVALID;
    char day[11];
    memcpy(day, s, 10);
    day[10] = 0;
    int y, mo, d, h, mi, se;
    if (valid_date(day, &y, &mo, &d, NULL)) return BK_ERR_INVALID;
    if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':') return BK_ERR_INVALID;
    if (!digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se))
        return BK_ERR_INVALID;
    if (h > 23 || mi > 59 || se > 60) return BK_ERR_INVALID;
    const char *rest = s + 19;
    if (*rest == '.') { /* fractional seconds are ignored */
        rest++;
        while (isdigit((unsigned char)*rest))
            rest++;
    }
    int off = 0;
    if (*rest == 'Z' || *rest == 'z') {
        if (rest[1]) return BK_ERR_INVALID;
    } else if (*rest) {
        if (otime_zone_offset(rest, &off)) return BK_ERR_INVALID;
    }
    *out = otime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - (int64_t)off * 60;
    return BK_OK;
}
