/* calendar.h — the office calendar (working weekdays and the imported
 * holidays) and the one rule for the next report date.
 *
 * The rule (cal_next_report): the next report is due `every_days` after the
 * later of the visit's office day and the client's last report; when that
 * day is not a working day (a weekday the office is closed, or a holiday:
 * libur nasional or cuti bersama) it moves FORWARD to the next working day,
 * never backward (a client is never told to come earlier than the interval
 * allows). With no interval known (every_days <= 0) there is no date: the
 * result is "" and the slip, the [ticket] screen and `checkin --json`
 * (next_report: null) say nothing.
 *
 * Pure apart from cal_load(), which reads the holidays through the store
 * (no SQL here, no SDL). A cal owns a heap array: release with cal_free()
 * (safe on a zeroed or cal_init'ed struct).
 */
#ifndef BK_CALENDAR_H
#define BK_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"
#include "otime.h"
#include "store.h"

/* Bit n = weekday n (0 = Sunday .. 6 = Saturday). */
#define CAL_WORKDAYS_DEFAULT 0x3eu /* Monday to Friday */
#define CAL_WORKDAYS_ALL 0x7fu
/* The furthest cal_next_working looks ahead. */
#define CAL_MAX_LOOKAHEAD 400

typedef struct cal {
    unsigned workdays; /* CAL_WORKDAYS_*; 0 = CAL_WORKDAYS_DEFAULT */
    int64_t *days;     /* holidays, days since 1970-01-01, sorted, unique */
    size_t n, cap;
} cal;

void cal_init(cal *c, unsigned workdays);
void cal_free(cal *c);

/* Add a holiday "YYYY-MM-DD". BK_ERR_INVALID on a bad date, BK_ERR_NOMEM. */
bk_err cal_add_holiday(cal *c, const char *day);

/* 1 if `day` is a working day, 0 if not, -1 on a bad date. */
int cal_is_working(const cal *c, const char *day);

/* `day` itself if it is a working day, else the next one, into out.
 * BK_ERR_INVALID on a bad date; BK_ERR_NOT_FOUND if none within
 * CAL_MAX_LOOKAHEAD days (out = ""). */
bk_err cal_next_working(const cal *c, const char *day, char out[11]);

/* The rule above. visit_day: the office day of the visit; last_report: ""
 * or "YYYY-MM-DD". out = "" and BK_OK when every_days <= 0. */
bk_err cal_next_report(const cal *c, const char *visit_day, const char *last_report, int every_days,
                       char out[11]);

/* "mon,tue,wed,thu,fri" (English or Indonesian names: sen sel rab kam jum
 * sab min, also full names senin..minggu / monday..sunday; comma or space
 * separated, case-insensitive) to a mask. BK_ERR_INVALID on an unknown name
 * or an empty list. */
bk_err cal_parse_workdays(const char *s, unsigned *mask);

/* A date "YYYY-MM-DD" as otime_parts (year, month, day, wday; the time is
 * 0), for i18n_date_long. BK_ERR_INVALID on a bad date (out zeroed). */
bk_err cal_day_parts(const char *day, otime_parts *out);

/* The mask as "mon,tue,wed,thu,fri". */
void cal_format_workdays(unsigned mask, char *out, size_t outsz);

/* cal_init(workdays) and every holiday in the store. On error the cal is
 * freed. */
bk_err cal_load(store *s, unsigned workdays, cal *out);

/* The next report date after ticket t, as the kiosk, the slip and
 * `bapasctl checkin` show it: "" unless t is a `report` visit of a known
 * client; else cal_next_report with the client's interval and last report
 * (store_client_get) and the stored holidays. Store errors are returned
 * (out = ""); the client record is not kept. */
bk_err cal_next_report_ticket(store *s, unsigned workdays, const store_ticket *t, char out[11]);

#endif
