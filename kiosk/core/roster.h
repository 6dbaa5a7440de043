/* roster.h — the duty roster: who is in on an office day.
 *
 * An officer's status on a day comes from, strongest first:
 *   1. the explicit day record (officer_presence; queue_presence_set);
 *   2. the weekly pattern for that weekday (officer_weekly; "PK07 is away on
 *      Fridays for field visits");
 *   3. the default: present.
 * An officer counts as present when active and the status is not "absent"
 * ("duty" = piket, the officer on duty, is present). So when nobody is
 * marked, every active officer is present. queue_officer_present() (check-in
 * routing, the reception monitor, the desk) resolves through roster_resolve().
 *
 * Writes run in their own write transaction (retried on BK_ERR_RETRY) and
 * write one audit row each. No allocation; records are caller-owned.
 */
#ifndef BK_ROSTER_H
#define BK_ROSTER_H

#include "bkerr.h"
#include "queue.h"
#include "store.h"

typedef enum roster_source { ROSTER_DEFAULT, ROSTER_WEEKLY, ROSTER_DAY } roster_source;

/* "day", "weekly", "default". */
const char *roster_source_name(roster_source s);

/* Weekday of "YYYY-MM-DD" (0 = Sunday .. 6 = Saturday), -1 for a bad date. */
int roster_weekday(const char *day);

/* A weekday argument: 0..6 (0 = Sunday), English or Indonesian names or
 * their first three letters, any case ("fri", "Friday", "jumat", "Jum'at").
 * 7 is accepted as Sunday too. -1 if not a weekday. */
int roster_weekday_parse(const char *s);

/* English weekday name ("Sunday"); "?" out of range. */
const char *roster_weekday_name(int wd);

/* The status of an officer on a day, inside the caller's transaction if one
 * is open. rec gets day, officer, status, substitute, note of the source
 * (status "present" and no substitute for the default). Does not check that
 * the officer exists. */
bk_err roster_resolve(store *s, const char *day, const char *officer, store_presence *rec,
                      roster_source *src);

/* Set the weekly pattern of an officer for a weekday. status present |
 * absent | duty; substitute (NULL or "") only with absent, must be another
 * existing active officer. BK_ERR_INVALID / BK_ERR_NOT_FOUND / BK_ERR_STATE
 * (substitute inactive). */
bk_err roster_weekly_set(queue_ctx *q, const char *officer, int weekday, bk_presence status,
                         const char *substitute);
/* Remove it; BK_ERR_NOT_FOUND if there was none. */
bk_err roster_weekly_clear(queue_ctx *q, const char *officer, int weekday);
/* Remove the explicit record of a day (the weekly pattern applies again). */
bk_err roster_day_clear(queue_ctx *q, const char *day, const char *officer);

typedef struct roster_entry {
    char day[STORE_DAY_SZ];
    store_officer officer;
    store_presence rec; /* the resolved status */
    roster_source source;
    int present;
} roster_entry;
typedef bk_err (*roster_cb)(void *ud, const roster_entry *e);

/* Every active officer (or only `officer` when non-NULL, active or not) on
 * every day from..to (at most 366 days), day by day, officers by id, in one
 * read transaction. */
bk_err roster_list(queue_ctx *q, const char *from, const char *to, const char *officer,
                   roster_cb cb, void *ud);

#endif
