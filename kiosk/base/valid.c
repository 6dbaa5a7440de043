#include "valid.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bk_err reject(const char **why, const char *msg)
{
    if (why) *why = msg;
    return BK_ERR_INVALID;
}

static bk_err check_ascii_id(const char *s, size_t max, const char *extra, const char **why)
{
    if (!s || !*s) return reject(why, "is empty");
    size_t n = 0;
    for (const char *p = s; *p; p++, n++) {
        unsigned char c = (unsigned char)*p;
        int ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                 (c && strchr(extra, c));
        if (!ok) return reject(why, "may contain only letters, digits and the characters . / -");
        if (n >= max) return reject(why, "is longer than 32 characters");
    }
    return BK_OK;
}

bk_err valid_client_no(const char *s, const char **why)
{
    return check_ascii_id(s, VALID_CLIENT_NO_MAX, "./-", why);
}

bk_err valid_officer_id(const char *s, const char **why)
{
    bk_err e = check_ascii_id(s, VALID_OFFICER_ID_MAX, "._-", why);
    if (e == BK_ERR_INVALID && why && s && *s)
        *why = "may contain only letters, digits and the characters . _ - (up to 32)";
    if (e) return e;
    if (strcmp(s, "reception") == 0)
        return reject(why, "\"reception\" is reserved for the reception queue");
    return BK_OK;
}

void valid_officer_id_canon(char *s)
{
    if (!s) return;
    if (strcasecmp(s, "reception") == 0) {
        memcpy(s, "reception", 9);
        return;
    }
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z') *s = (char)(*s - 'a' + 'A');
}

bk_err valid_user_name(const char *s, const char **why)
{
    bk_err e = check_ascii_id(s, VALID_USER_NAME_MAX, "._-", why);
    if (e == BK_ERR_INVALID && why && s && *s)
        *why = "may contain only letters, digits and the characters . _ - (up to 32)";
    if (e) return e;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return reject(why, "must start with a letter");
    return BK_OK;
}

void valid_user_name_canon(char *s)
{
    for (; s && *s; s++)
        if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

bk_err valid_text(const char *s, size_t max_chars, int required, const char **why)
{
    if (!s) return reject(why, "is missing");
    size_t chars = 0;
    int nonspace = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        unsigned cp;
        int len;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else if ((c & 0xE0) == 0xC0) {
            cp = c & 0x1F;
            len = 2;
        } else if ((c & 0xF0) == 0xE0) {
            cp = c & 0x0F;
            len = 3;
        } else if ((c & 0xF8) == 0xF0) {
            cp = c & 0x07;
            len = 4;
        } else {
            return reject(why, "is not valid UTF-8");
        }
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80) return reject(why, "is not valid UTF-8");
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return reject(why, "is not valid UTF-8");
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            return reject(why, "contains a control character");
        if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF)
            return reject(why, "contains an invisible line or byte-order character");
        if (cp != ' ') nonspace = 1;
        chars++;
        if (chars > max_chars) return reject(why, "is too long");
        p += len;
    }
    if (required && !nonspace) return reject(why, "is empty");
    return BK_OK;
}

int valid_days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

bk_err valid_date(const char *s, int *y, int *m, int *d, const char **why)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return reject(why, "is not a date in the form YYYY-MM-DD");
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) continue;
        if (s[i] < '0' || s[i] > '9') return reject(why, "is not a date in the form YYYY-MM-DD");
    }
    int yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int mm = (s[5] - '0') * 10 + (s[6] - '0');
    int dd = (s[8] - '0') * 10 + (s[9] - '0');
    if (yy < 1900 || yy > 2100) return reject(why, "has a year outside 1900-2100");
    if (mm < 1 || mm > 12) return reject(why, "has no such month");
    if (dd < 1 || dd > valid_days_in_month(yy, mm)) return reject(why, "is not a real date");
    if (y) *y = yy;
    if (m) *m = mm;
    if (d) *d = dd;
    return BK_OK;
}

static int digits(const char *s, size_t n, int *v)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

bk_err valid_date_input(const char *in, char out[11], const char **why)
{
    static const char *const bad_form =
        "is not a date in the form YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY";
    int y = 0, m = 0, d = 0;
    if (!in) return reject(why, bad_form);
    size_t len = strlen(in);
    const char *s1 = strpbrk(in, "-/");
    const char *s2 = s1 ? strpbrk(s1 + 1, "-/") : NULL;
    if (!s1 || !s2 || strpbrk(s2 + 1, "-/") || len > 10 || *s1 != *s2) return reject(why, bad_form);
    size_t a = (size_t)(s1 - in), b = (size_t)(s2 - s1 - 1), c = len - (size_t)(s2 - in) - 1;
    if (a == 4 && *s1 == '-') { /* YYYY-MM-DD (month and day may have one digit) */
        if (b < 1 || b > 2 || c < 1 || c > 2 || digits(in, 4, &y) || digits(s1 + 1, b, &m) ||
            digits(s2 + 1, c, &d))
            return reject(why, bad_form);
    } else if (a >= 1 && a <= 2 && b >= 1 && b <= 2 && c == 4) { /* DD-MM-YYYY, DD/MM/YYYY */
        if (digits(in, a, &d) || digits(s1 + 1, b, &m) || digits(s2 + 1, 4, &y))
            return reject(why, bad_form);
    } else if (a >= 1 && a <= 2 && b >= 1 && b <= 2 && c == 2) { /* 05-03-90 */
        return reject(why, "needs a four-digit year (DD-MM-YYYY or YYYY-MM-DD)");
    } else {
        return reject(why, bad_form);
    }
    char iso[16];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    bk_err e = valid_date(iso, NULL, NULL, NULL, why);
    if (!e) memcpy(out, iso, 11);
    return e;
}

bk_err valid_int(const char *s, long lo, long hi, long *out, const char **why)
{
    if (!s || !*s) return reject(why, "is not a number");
    errno = 0;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s) return reject(why, "is not a number");
    if (v < lo || v > hi) return reject(why, "is out of range");
    if (out) *out = v;
    return BK_OK;
}
