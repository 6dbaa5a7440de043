/* roster.c — the duty roster (see roster.h). */
#include "roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "otime.h"
#include "store_data.h"
#include "valid.h"

const char *roster_source_name(roster_source s)
{
    switch (s) {
    case ROSTER_DAY:
        return "day";
    case ROSTER_WEEKLY:
        return "weekly";
    default:
        return "default";
    }
}

int roster_weekday(const char *day)
{
    int y, m, d;
    if (valid_date(day, &y, &m, &d, NULL)) return -1;
    int64_t n = otime_days_from_civil(y, m, d); /* 1970-01-01 was a Thursday (4) */
    return (int)(((n % 7) + 7 + 4) % 7);
}

static const char *const wd_en[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
static const char *const wd_id[7] = {"minggu", "senin", "selasa", "rabu",
                                     "kamis",  "jumat", "sabtu"};

const char *roster_weekday_name(int wd)
{
    return wd >= 0 && wd < 7 ? wd_en[wd] : "?";
}

int roster_weekday_parse(const char *s)
{
    if (!s || !*s) return -1;
    if (s[0] >= '0' && s[0] <= '7' && s[1] == 0) return (s[0] - '0') % 7;
    char w[16];
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '\'' || *p == '.') continue; /* "Jum'at", "Fri." */
        if (n + 1 >= sizeof w) return -1;
        char c = *p;
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        w[n++] = c;
    }
    w[n] = 0;
    for (int i = 0; i < 7; i++) {
        if (strcasecmp(w, wd_en[i]) == 0 || strcmp(w, wd_id[i]) == 0) return i;
        if (n == 3 && (strncasecmp(w, wd_en[i], 3) == 0 || strncmp(w, wd_id[i], 3) == 0)) return i;
    }
    return -1;
}

bk_err roster_resolve(store *s, const char *day, const char *officer, store_presence *rec,
                      roster_source *src)
{
    store_presence p;
    memset(&p, 0, sizeof p);
    roster_source from = ROSTER_DAY;
    bk_err e = store_presence_get(s, day, officer, &p);
    if (e == BK_ERR_NOT_FOUND) {
        memset(&p, 0, sizeof p);
        snprintf(p.day, sizeof p.day, "%s", day);
        snprintf(p.officer, sizeof p.officer, "%s", officer);
        int wd = roster_weekday(day);
        store_data_weekly w;
        e = wd < 0 ? BK_ERR_INVALID : store_data_weekly_get(s, officer, wd, &w);
        if (e == BK_OK) {
            from = ROSTER_WEEKLY;
            p.status = w.status;
            snprintf(p.substitute, sizeof p.substitute, "%s", w.substitute);
            snprintf(p.note, sizeof p.note, "%s", w.note);
        } else if (e == BK_ERR_NOT_FOUND) {
            from = ROSTER_DEFAULT;
            p.status = BK_PRESENCE_PRESENT;
            e = BK_OK;
        }
    }
    if (e) return e;
    if (rec) *rec = p;
    if (src) *src = from;
    return BK_OK;
}

static const char *actor(const queue_ctx *q)
{
    return q->actor ? q->actor : "";
}

static int status_ok(bk_presence st)
{
    return (unsigned)st < BK_PRESENCE__COUNT;
}

/* The roster's writes run through queue_run (queue.h), without a verify:
 * an audit row cannot tell one write from two. */
static bk_err weekly_set_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    const store_data_weekly *w = arg;
    store_officer o;
    bk_err e = store_officer_get(q->st, w->officer, &o);
    if (e) return e;
    if (w->substitute[0]) {
        if ((e = store_officer_get(q->st, w->substitute, &o))) return e;
        if (!o.active) return BK_ERR_STATE;
    }
    if ((e = store_data_weekly_set(q->st, w))) return e;
    char d[STORE_TEXT_SZ];
    snprintf(d, sizeof d, "officer=%s weekday=%s status=%s substitute=%s", w->officer,
             roster_weekday_name(w->weekday), bk_presence_name(w->status), w->substitute);
    return store_audit_add(q->st, queue_now(q), actor(q), "roster_weekly", 0, NULL, d);
}

bk_err roster_weekly_set(queue_ctx *q, const char *officer, int weekday, bk_presence status,
                         const char *substitute)
{
    if (valid_officer_id(officer, NULL) || weekday < 0 || weekday > 6 || !status_ok(status))
        return BK_ERR_INVALID;
    if (substitute && *substitute &&
        (valid_officer_id(substitute, NULL) || strcmp(substitute, officer) == 0 ||
         status != BK_PRESENCE_ABSENT))
        return BK_ERR_INVALID;
    store_data_weekly w;
    memset(&w, 0, sizeof w);
    snprintf(w.officer, sizeof w.officer, "%s", officer);
    w.weekday = weekday;
    w.status = status;
    snprintf(w.substitute, sizeof w.substitute, "%s", substitute ? substitute : "");
    static const queue_action act = {.body = weekly_set_body};
    return queue_run(q, &act, &w);
}

typedef struct clear_arg {
    const char *officer;
    const char *day; /* roster_day_clear */
    int weekday;     /* roster_weekly_clear */
} clear_arg;

static bk_err weekly_clear_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    const clear_arg *c = arg;
    bk_err e = store_data_weekly_clear(q->st, c->officer, c->weekday);
    if (e) return e;
    char d[STORE_TEXT_SZ];
    snprintf(d, sizeof d, "officer=%s weekday=%s cleared", c->officer,
             roster_weekday_name(c->weekday));
    return store_audit_add(q->st, queue_now(q), actor(q), "roster_weekly", 0, NULL, d);
}

bk_err roster_weekly_clear(queue_ctx *q, const char *officer, int weekday)
{
    if (valid_officer_id(officer, NULL) || weekday < 0 || weekday > 6) return BK_ERR_INVALID;
    clear_arg c = {.officer = officer, .weekday = weekday};
    static const queue_action act = {.body = weekly_clear_body};
    return queue_run(q, &act, &c);
}

static bk_err day_clear_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    const clear_arg *c = arg;
    bk_err e = store_data_presence_clear(q->st, c->day, c->officer);
    if (e) return e;
    char d[STORE_TEXT_SZ];
    snprintf(d, sizeof d, "officer=%s day=%s cleared", c->officer, c->day);
    return store_audit_add(q->st, queue_now(q), actor(q), "presence", 0, NULL, d);
}

bk_err roster_day_clear(queue_ctx *q, const char *day, const char *officer)
{
    if (valid_date(day, NULL, NULL, NULL, NULL) || valid_officer_id(officer, NULL))
        return BK_ERR_INVALID;
    clear_arg c = {.officer = officer, .day = day};
    static const queue_action act = {.body = day_clear_body};
    return queue_run(q, &act, &c);
}

typedef struct officer_vec {
    store_officer *v;
    size_t n, cap;
    const char *only;
} officer_vec;

static bk_err keep_officer(void *ud, const store_officer *o)
{
    officer_vec *ov = ud;
    if (ov->only ? strcmp(o->id, ov->only) != 0 : !o->active) return BK_OK;
    if (ov->n == ov->cap) {
        size_t cap = ov->cap ? ov->cap * 2 : 16;
        store_officer *v = realloc(ov->v, cap * sizeof *v);
        if (!v) return BK_ERR_NOMEM;
        ov->v = v;
        ov->cap = cap;
    }
    ov->v[ov->n++] = *o;
    return BK_OK;
}

bk_err roster_list(queue_ctx *q, const char *from, const char *to, const char *officer,
                   roster_cb cb, void *ud)
{
    int days = 0;
    if (otime_day_diff(from, to, &days) || days < 0 || days > 365) return BK_ERR_INVALID;
    if (officer && valid_officer_id(officer, NULL)) return BK_ERR_INVALID;
    int own_tx = !store_in_tx(q->st);
    bk_err e = own_tx ? store_begin(q->st, STORE_TX_READ) : BK_OK;
    if (e) return e;
    officer_vec ov = {.only = officer};
    roster_entry *ent = malloc(sizeof *ent);
    if (!ent) {
        e = BK_ERR_NOMEM;
        goto out;
    }
    if ((e = store_officer_list(q->st, keep_officer, &ov))) goto out;
    if (officer && ov.n == 0) {
        e = BK_ERR_NOT_FOUND;
        goto out;
    }
    for (int i = 0; i <= days; i++) {
        char day[11];
        if ((e = otime_day_add(from, i, day))) goto out;
        for (size_t k = 0; k < ov.n; k++) {
            memset(ent, 0, sizeof *ent);
            snprintf(ent->day, sizeof ent->day, "%s", day);
            ent->officer = ov.v[k];
            if ((e = roster_resolve(q->st, day, ov.v[k].id, &ent->rec, &ent->source))) goto out;
            ent->present = ov.v[k].active && ent->rec.status != BK_PRESENCE_ABSENT;
            if ((e = cb(ud, ent))) goto out;
        }
    }
out:
    free(ent);
    free(ov.v);
    if (own_tx) {
        if (e)
            store_rollback(q->st);
        else
            e = store_commit(q->st);
    }
    return e;
}
