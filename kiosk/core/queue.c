/* queue.c — the queue rules (see queue.h). */
#include "queue.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "otime.h"
#include "token.h"
#include "roster.h"
#include "valid.h"

#define MAX_TRIES 5

static int purpose_ok(bk_purpose p)
{
    return (unsigned)p < BK_PURPOSE__COUNT;
}

int64_t queue_now(const queue_ctx *q)
{
    return q->fixed_now ? q->fixed_now : otime_now();
}

void queue_today(const queue_ctx *q, char day[11])
{
    otime_day(queue_now(q), q->utc_offset_min, day);
}

static int lockout_limit(const queue_ctx *q)
{
    return q->lockout_limit > 0 ? q->lockout_limit : QUEUE_LOCKOUT_DEFAULT;
}

static int service_default(const queue_ctx *q)
{
    return q->default_service_min > 0 ? q->default_service_min : QUEUE_SERVICE_MIN_DEFAULT;
}

/* "reception" on the outside is "" (NULL officer) inside the store. */
static const char *queue_key(const char *officer)
{
    return officer && strcmp(officer, STORE_RECEPTION) == 0 ? "" : officer;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Median minutes of recent service for (officer, purpose); the default
 * without history. Reception has no history: the default too. */
static bk_err median_minutes(queue_ctx *q, const char *officer, bk_purpose purpose, int *out)
{
    *out = service_default(q);
    if (!officer || !*officer)
        return BK_OK;
    int secs[QUEUE_MEDIAN_WINDOW];
    int n = 0;
    bk_err e = store_service_seconds(q->st, officer, purpose, secs, QUEUE_MEDIAN_WINDOW, &n);
    if (e || n == 0)
        return e;
    qsort(secs, (size_t)n, sizeof secs[0], cmp_int);
    int med = n % 2 ? secs[n / 2] : (secs[n / 2 - 1] + secs[n / 2]) / 2;
    int mins = (med + 59) / 60;
    *out = mins < 1 ? 1 : mins;
    return BK_OK;
}

/* Fill officer, position and eta of a view whose ticket is set. */
static bk_err complete_view(queue_ctx *q, queue_view *v)
{
    v->has_officer = 0;
    v->position = -1;
    v->eta_minutes = -1;
    if (v->t.officer[0]) {
        bk_err e = store_officer_get(q->st, v->t.officer, &v->officer);
        if (e && e != BK_ERR_NOT_FOUND)
            return e;
        v->has_officer = e == BK_OK;
    }
    if (v->t.status == BK_STATUS_WAITING) {
        int ahead = 0, med = 0;
        bk_err e = store_ticket_ahead(q->st, &v->t, &ahead);
        if (e)
            return e;
        if ((e = median_minutes(q, v->t.officer, v->t.purpose, &med)))
            return e;
        v->position = ahead;
        v->eta_minutes = ahead * med;
    }
    return BK_OK;
}

static bk_err audit(queue_ctx *q, const char *action, const store_ticket *t, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));
static bk_err audit(queue_ctx *q, const char *action, const store_ticket *t, const char *fmt, ...)
{
    char detail[STORE_TEXT_SZ];
    detail[0] = 0;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    return store_audit_add(q->st, queue_now(q), q->actor ? q->actor : "", action, t ? t->id : 0,
                           t ? t->client_no : NULL, detail);
}

/* ---- commits of unknown outcome ----------------------------------------- */

/* A commit that fails with BK_ERR_IO may have gone through: the connection
 * was lost after COMMIT was sent (a lost acknowledgement). Running the action
 * again could then do it twice (a second walk-in ticket, a second client
 * called). So the actions below re-read first, in a new write transaction:
 * it holds the writer lock, so the lost transaction has ended by then,
 * committed or not, and what is read tells which. */
static int outcome_unknown(bk_err commit_err)
{
    return commit_err == BK_ERR_IO;
}

/* Every column of two tickets equal. */
static int ticket_same(const store_ticket *a, const store_ticket *b)
{
    return a->id == b->id && a->seq == b->seq && a->priority == b->priority &&
           a->calls == b->calls && a->order_at == b->order_at && a->checkin_at == b->checkin_at &&
           a->called_at == b->called_at && a->started_at == b->started_at &&
           a->finished_at == b->finished_at && a->last_call_at == b->last_call_at &&
           a->purpose == b->purpose && a->routed == b->routed && a->status == b->status &&
           a->outcome == b->outcome && !strcmp(a->day, b->day) && !strcmp(a->code, b->code) &&
           !strcmp(a->token, b->token) && !strcmp(a->client_no, b->client_no) &&
           !strcmp(a->walkin_name, b->walkin_name) && !strcmp(a->officer, b->officer) &&
           !strcmp(a->assigned, b->assigned) && !strcmp(a->transferred_from, b->transferred_from) &&
           !strcmp(a->served_by, b->served_by);
}

/* A ticket update whose commit's outcome was unknown, judged by the ticket
 * as it is now (read under the writer lock). */
typedef enum lost_write {
    LOST_APPLIED,     /* it is as written: the commit went through */
    LOST_NOT_APPLIED, /* it is as before: nothing happened, safe to run again */
    LOST_CHANGED,     /* neither: someone else changed it since; do not guess */
} lost_write;

static lost_write lost_outcome(const store_ticket *now, const store_ticket *before,
                               const store_ticket *written)
{
    if (ticket_same(now, written))
        return LOST_APPLIED;
    if (ticket_same(now, before))
        return LOST_NOT_APPLIED;
    return LOST_CHANGED;
}

/* The end of a write: the view, then the commit; *unknown = 1 when the
 * commit's outcome is unknown (outcome_unknown). The caller rolls back on
 * an error. */
static bk_err view_and_commit(queue_ctx *q, queue_view *out, int *unknown)
{
    bk_err e = complete_view(q, out);
    if (e)
        return e;
    e = store_commit(q->st);
    *unknown = outcome_unknown(e);
    return e;
}

/* ---- presence and routing ---------------------------------------------- */

bk_err queue_officer_present(queue_ctx *q, const char *day, const char *officer, int *present,
                             store_presence *rec)
{
    store_officer o;
    bk_err e = store_officer_get(q->st, officer, &o);
    if (e)
        return e;
    /* Day record > weekly pattern > present (roster.h). */
    store_presence p;
    if ((e = roster_resolve(q->st, day, officer, &p, NULL)))
        return e;
    *present = o.active && p.status != BK_PRESENCE_ABSENT;
    if (rec)
        *rec = p;
    return BK_OK;
}

bk_err queue_route(queue_ctx *q, const char *day, const char *assigned, char officer[STORE_ID_SZ],
                   bk_routing *routed)
{
    int present = 0;
    store_presence p;
    bk_err e = queue_officer_present(q, day, assigned, &present, &p);
    if (e)
        return e;
    if (present) {
        snprintf(officer, STORE_ID_SZ, "%s", assigned);
        *routed = BK_ROUTED_ASSIGNED;
        return BK_OK;
    }
    if (p.substitute[0] && strcmp(p.substitute, assigned) != 0) {
        int sub_present = 0;
        e = queue_officer_present(q, day, p.substitute, &sub_present, NULL);
        if (e && e != BK_ERR_NOT_FOUND)
            return e;
        if (e == BK_OK && sub_present) {
            snprintf(officer, STORE_ID_SZ, "%s", p.substitute);
            *routed = BK_ROUTED_SUBSTITUTE;
            return BK_OK;
        }
    }
    officer[0] = 0;
    *routed = BK_ROUTED_RECEPTION;
    return BK_OK;
}

bk_err queue_presence_set(queue_ctx *q, const char *day, const char *officer, bk_presence status,
                          const char *substitute)
{
    char today[11];
    if (!day) {
        queue_today(q, today);
        day = today;
    }
    if (valid_date(day, NULL, NULL, NULL, NULL) || valid_officer_id(officer, NULL))
        return BK_ERR_INVALID;
    if ((unsigned)status >= BK_PRESENCE__COUNT)
        return BK_ERR_INVALID;
    if (substitute && *substitute &&
        (valid_officer_id(substitute, NULL) || strcmp(substitute, officer) == 0))
        return BK_ERR_INVALID;
    bk_err e = store_begin(q->st, STORE_TX_WRITE);
    if (e)
        return e;
    store_officer o;
    if ((e = store_officer_get(q->st, officer, &o)))
        goto out;
    if (substitute && *substitute && (e = store_officer_get(q->st, substitute, &o)))
        goto out;
    store_presence p;
    memset(&p, 0, sizeof p);
    snprintf(p.day, sizeof p.day, "%s", day);
    snprintf(p.officer, sizeof p.officer, "%s", officer);
    p.status = status;
    snprintf(p.substitute, sizeof p.substitute, "%s", substitute ? substitute : "");
    if ((e = store_presence_set(q->st, &p)))
        goto out;
    char detail[160];
    snprintf(detail, sizeof detail, "officer=%s day=%s status=%s substitute=%s", officer, day,
             bk_presence_name(status), p.substitute);
    if ((e = store_audit_add(q->st, queue_now(q), q->actor ? q->actor : "", "presence", 0, NULL,
                             detail)))
        goto out;
    e = store_commit(q->st);
out:
    if (e)
        store_rollback(q->st);
    return e;
}

/* ---- day's end --------------------------------------------------------- */

typedef struct stale_ctx {
    queue_ctx *q;
    int64_t ids[64];
    int n;
    int more;
} stale_ctx;

static bk_err collect_stale(void *ud, const store_ticket *t)
{
    stale_ctx *c = ud;
    if (c->n == (int)(sizeof c->ids / sizeof c->ids[0])) {
        c->more = 1;
        return BK_OK;
    }
    c->ids[c->n++] = t->id;
    return BK_OK;
}

/* Inside an open write transaction. */
static bk_err close_stale_locked(queue_ctx *q, const char *today, int *closed)
{
    for (;;) {
        stale_ctx c = {.q = q};
        bk_err e = store_ticket_list_stale(q->st, today, collect_stale, &c);
        if (e)
            return e;
        for (int i = 0; i < c.n; i++) {
            store_ticket t;
            if ((e = store_ticket_get(q->st, c.ids[i], &t)))
                return e;
            bk_status was = t.status;
            t.status = BK_STATUS_NO_SHOW;
            t.finished_at = queue_now(q);
            /* status and finished_at only: all the kiosk role may update */
            if ((e = store_ticket_close_stale(q->st, t.id, t.finished_at)))
                return e;
            if ((e = audit(q, "day_end", &t, "status %s -> no_show (day %s ended)",
                           bk_status_name(was), t.day)))
                return e;
            if (closed)
                (*closed)++;
        }
        if (!c.more)
            return BK_OK;
    }
}

bk_err queue_close_stale(queue_ctx *q, int *closed)
{
    char today[11];
    queue_today(q, today);
    if (closed)
        *closed = 0;
    bk_err e = store_begin(q->st, STORE_TX_WRITE);
    if (e)
        return e;
    if ((e = close_stale_locked(q, today, closed)) == BK_OK)
        e = store_commit(q->st);
    if (e)
        store_rollback(q->st);
    return e;
}

/* ---- check-in ---------------------------------------------------------- */

/* Allocate the next code of the day for a purpose and insert the ticket,
 * with t->token if set (a walk-in's request key), else a fresh random one. */
static bk_err insert_new(queue_ctx *q, store_ticket *t)
{
    char letter = bk_purpose_letter(t->purpose);
    int seq = 0;
    bk_err e = store_ticket_max_seq(q->st, t->day, letter, &seq);
    if (e)
        return e;
    t->seq = seq + 1;
    snprintf(t->code, sizeof t->code, "%c-%03u", letter, (unsigned)t->seq % 100000u);
    if (!t->token[0] && (e = token_random(t->token)))
        return e;
    return store_ticket_insert(q->st, t);
}

/* One attempt. *unknown = 1 when it returns its commit's BK_ERR_IO (the
 * ticket may exist: outcome_unknown). */
static bk_err checkin_once(queue_ctx *q, const char *no, const char *birth, bk_purpose purpose,
                           queue_view *out, int *unknown)
{
    char today[11];
    int64_t now = queue_now(q);
    otime_day(now, q->utc_offset_min, today);
    bk_err e = store_begin(q->st, STORE_TX_WRITE);
    if (e)
        return e;
    int locked = 0;
    if ((e = store_lock_get(q->st, no, &locked)))
        goto out;
    if (locked) {
        e = BK_ERR_LOCKED;
        goto out;
    }
    store_client c;
    bk_err found = store_client_get(q->st, no, &c);
    if (found && found != BK_ERR_NOT_FOUND) {
        e = found;
        goto out;
    }
    if (found == BK_ERR_NOT_FOUND || strcmp(c.birth, birth) != 0) {
        /* Unknown numbers count alike, so the lock reveals nothing. */
        int count = 0;
        if ((e = store_verify_fail_add(q->st, no, today, now, &count)))
            goto out;
        int limit = lockout_limit(q);
        out->attempts_left = count >= limit ? 0 : limit - count;
        if (count >= limit) {
            if ((e = store_lock_set(q->st, no, now)))
                goto out;
            if ((e = audit(q, "lock", NULL, "client %s locked after %d wrong birth dates", no,
                           count)))
                goto out;
        } else if ((e = audit(q, "verify_fail", NULL, "client %s attempt %d", no, count))) {
            goto out;
        }
        if ((e = store_commit(q->st)))
            goto out;
        return count >= limit ? BK_ERR_LOCKED
                              : (found == BK_ERR_NOT_FOUND ? BK_ERR_NOT_FOUND : BK_ERR_WRONG_BIRTH);
    }
    if (!c.active) {
        e = BK_ERR_ENDED;
        goto out;
    }
    int fails = 0;
    if ((e = store_verify_failures(q->st, no, today, &fails)))
        goto out;
    if (fails && (e = store_verify_failures_clear(q->st, no)))
        goto out;
    if ((e = close_stale_locked(q, today, NULL)))
        goto out;

    memset(out, 0, sizeof *out);
    e = store_ticket_find_open(q->st, today, no, purpose, &out->t);
    if (e == BK_OK) {
        out->existing = 1;
        e = view_and_commit(q, out, unknown); /* commits the cleared failures, if any */
        goto out;
    }
    if (e != BK_ERR_NOT_FOUND)
        goto out;

    store_ticket *t = &out->t;
    snprintf(t->day, sizeof t->day, "%s", today);
    t->purpose = purpose;
    snprintf(t->client_no, sizeof t->client_no, "%s", no);
    snprintf(t->assigned, sizeof t->assigned, "%s", c.officer);
    if ((e = queue_route(q, today, c.officer, t->officer, &t->routed)))
        goto out;
    t->status = BK_STATUS_WAITING;
    t->order_at = t->checkin_at = now;
    if ((e = insert_new(q, t)))
        goto out;
    if ((e = audit(q, "checkin", t, "code=%s purpose=%s routed=%s officer=%s", t->code,
                   bk_purpose_name(purpose), bk_routing_name(t->routed),
                   t->officer[0] ? t->officer : STORE_RECEPTION)))
        goto out;
    e = view_and_commit(q, out, unknown);
out:
    if (e)
        store_rollback(q->st);
    return e;
}

bk_err queue_checkin(queue_ctx *q, const char *client_no, const char *birth, bk_purpose purpose,
                     queue_view *out)
{
    memset(out, 0, sizeof *out);
    if (valid_client_no(client_no, NULL) || valid_date(birth, NULL, NULL, NULL, NULL) ||
        !purpose_ok(purpose))
        return BK_ERR_INVALID;
    /* A check-in is idempotent by nature (an open ticket for the purpose is
     * returned), so after a commit of unknown outcome it simply runs once
     * more; finding the ticket it made itself is then not "existing". */
    char lost_token[STORE_TOKEN_SZ] = "";
    bk_err e = BK_ERR_RETRY;
    for (int i = 0; i < MAX_TRIES; i++) {
        int unknown = 0;
        e = checkin_once(q, client_no, birth, purpose, out, &unknown);
        if (unknown && !lost_token[0]) {
            /* the token of the ticket it made, if it made one */
            snprintf(lost_token, sizeof lost_token, "%s", out->existing ? "-" : out->t.token);
            continue;
        }
        if (e != BK_ERR_RETRY && e != BK_ERR_EXISTS)
            break;
    }
    if (e == BK_OK && out->existing && lost_token[0] && strcmp(out->t.token, lost_token) == 0)
        out->existing = 0;
    return e;
}

/* One walk-in attempt with request key `key`. *unknown = 1 when it returns
 * its commit's BK_ERR_IO; *mismatch = 1 when the key is another request's. */
static bk_err walkin_once(queue_ctx *q, bk_purpose purpose, const char *name, const char *key,
                          queue_view *out, int *unknown, int *mismatch)
{
    int64_t now = queue_now(q);
    memset(out, 0, sizeof *out);
    store_ticket *t = &out->t;
    bk_err e = store_begin(q->st, STORE_TX_WRITE);
    if (e)
        return e;
    /* Done before (its answer was lost, or the caller retries): that ticket. */
    e = store_ticket_by_token(q->st, key, t);
    if (e == BK_OK) {
        if (t->client_no[0] || t->purpose != purpose ||
            strcmp(t->walkin_name, name ? name : "") != 0) {
            *mismatch = 1;
            e = BK_ERR_EXISTS;
            goto out;
        }
        out->existing = 1;
        e = view_and_commit(q, out, unknown); /* nothing written */
        goto out;
    }
    if (e != BK_ERR_NOT_FOUND)
        goto out;
    memset(t, 0, sizeof *t);
    otime_day(now, q->utc_offset_min, t->day);
    if ((e = close_stale_locked(q, t->day, NULL)))
        goto out;
    snprintf(t->token, sizeof t->token, "%s", key);
    t->purpose = purpose;
    snprintf(t->walkin_name, sizeof t->walkin_name, "%s", name ? name : "");
    t->routed = BK_ROUTED_RECEPTION;
    t->status = BK_STATUS_WAITING;
    t->order_at = t->checkin_at = now;
    if ((e = insert_new(q, t)))
        goto out;
    if ((e = audit(q, "walkin", t, "code=%s purpose=%s", t->code, bk_purpose_name(purpose))))
        goto out;
    e = view_and_commit(q, out, unknown);
out:
    if (e)
        store_rollback(q->st);
    return e;
}

bk_err queue_walkin_key(queue_ctx *q, bk_purpose purpose, const char *name, const char *key,
                        queue_view *out)
{
    memset(out, 0, sizeof *out);
    if (!purpose_ok(purpose))
        return BK_ERR_INVALID;
    if (name && *name && valid_text(name, VALID_NAME_MAX, 1, NULL))
        return BK_ERR_INVALID;
    char fresh[TOKEN_CHARS + 1];
    if (!key) {
        bk_err e = token_random(fresh);
        if (e)
            return e;
        key = fresh;
    } else if (!token_valid(key)) {
        return BK_ERR_INVALID;
    }
    /* After a commit of unknown outcome, one more attempt looks the key up
     * (a ticket that attempt made is then not "existing": this call made it).
     * lost: 0 = no such commit, 1 = of an insert, 2 = of a look-up. */
    int lost = 0;
    bk_err e = BK_ERR_RETRY;
    for (int i = 0; i < MAX_TRIES; i++) {
        int unknown = 0, mismatch = 0;
        e = walkin_once(q, purpose, name, key, out, &unknown, &mismatch);
        if (unknown && !lost) {
            lost = out->existing ? 2 : 1;
            continue;
        }
        if (mismatch || (e != BK_ERR_RETRY && e != BK_ERR_EXISTS))
            break;
    }
    if (e == BK_OK && lost == 1)
        out->existing = 0;
    return e;
}

bk_err queue_walkin(queue_ctx *q, bk_purpose purpose, const char *name, queue_view *out)
{
    return queue_walkin_key(q, purpose, name, NULL, out);
}

/* ---- ticket actions ---------------------------------------------------- */

typedef bk_err (*action_fn)(queue_ctx *q, store_ticket *t, const void *arg);

/* One attempt of with_ticket. lost (NULL on the first attempt): the ticket
 * before and as written by an attempt whose commit's outcome was unknown;
 * then the ticket is judged first (lost_outcome) and fn runs again only if
 * nothing had happened. On a commit of unknown outcome *unknown = 1 and
 * done[0], done[1] receive the ticket before and as written. */
static bk_err ticket_once(queue_ctx *q, int64_t id, action_fn fn, const void *arg,
                          queue_view *out, const store_ticket *lost, store_ticket done[2],
                          int *unknown)
{
    memset(out, 0, sizeof *out);
    bk_err e = store_begin(q->st, STORE_TX_WRITE);
    if (e)
        return e;
    if ((e = store_ticket_get(q->st, id, &out->t)))
        goto out;
    if (lost) {
        lost_write w = lost_outcome(&out->t, &lost[0], &lost[1]);
        if (w == LOST_CHANGED) {
            e = BK_ERR_STATE;
            goto out;
        }
        if (w == LOST_APPLIED) {
            if ((e = complete_view(q, out)))
                goto out;
            store_rollback(q->st); /* read only */
            return BK_OK;
        }
    }
    done[0] = out->t;
    if ((e = fn(q, &out->t, arg)))
        goto out;
    done[1] = out->t;
    e = view_and_commit(q, out, unknown);
out:
    if (e)
        store_rollback(q->st);
    return e;
}

/* Load ticket `id`, apply fn in one write transaction, store, audit, view.
 * A commit of unknown outcome is judged by re-reading (see above). */
static bk_err with_ticket(queue_ctx *q, int64_t id, action_fn fn, const void *arg,
                          queue_view *out)
{
    queue_view tmp;
    if (!out)
        out = &tmp;
    store_ticket done[2], lost[2];
    int unknown = 0;
    bk_err e = ticket_once(q, id, fn, arg, out, NULL, done, &unknown);
    if (unknown) {
        memcpy(lost, done, sizeof lost);
        unknown = 0;
        e = ticket_once(q, id, fn, arg, out, lost, done, &unknown);
    }
    return e;
}

static int is(const store_ticket *t, bk_status status)
{
    return t->status == status;
}

static bk_err do_recall(queue_ctx *q, store_ticket *t, const void *arg)
{
    (void)arg;
    if (!is(t, BK_STATUS_CALLED))
        return BK_ERR_STATE;
    t->calls++;
    t->last_call_at = queue_now(q);
    bk_err e = store_ticket_update(q->st, t);
    return e ? e : audit(q, "recall", t, "call %d", t->calls);
}

static bk_err do_start(queue_ctx *q, store_ticket *t, const void *arg)
{
    const char *by = arg;
    if (!is(t, BK_STATUS_CALLED) && !is(t, BK_STATUS_WAITING))
        return BK_ERR_STATE;
    int64_t now = queue_now(q);
    if (by && *by) {
        store_officer o;
        bk_err e = store_officer_get(q->st, by, &o);
        if (e)
            return e;
    }
    if (!t->called_at)
        t->called_at = t->last_call_at = now;
    t->started_at = now;
    snprintf(t->served_by, sizeof t->served_by, "%s", by && *by ? by : t->officer);
    t->status = BK_STATUS_SERVING;
    bk_err e = store_ticket_update(q->st, t);
    return e ? e : audit(q, "start", t, "served_by=%s", t->served_by);
}

static bk_err do_done(queue_ctx *q, store_ticket *t, const void *arg)
{
    const bk_outcome *outcome = arg;
    if (!is(t, BK_STATUS_SERVING))
        return BK_ERR_STATE;
    t->outcome = *outcome;
    t->finished_at = queue_now(q);
    t->status = BK_STATUS_DONE;
    bk_err e = store_ticket_update(q->st, t);
    if (e)
        return e;
    if (t->purpose == BK_PURPOSE_REPORT && t->client_no[0]) {
        store_client c;
        if ((e = store_client_get(q->st, t->client_no, &c)))
            return e;
        /* last_report only: all of clients the desk role may update */
        if (strcmp(c.last_report, t->day) < 0 &&
            (e = store_client_set_last_report(q->st, c.no, t->day)))
            return e;
    }
    return audit(q, "done", t, "outcome=%s", bk_outcome_name(*outcome));
}

static bk_err do_close(queue_ctx *q, store_ticket *t, const void *arg)
{
    const bk_status *status = arg;
    if (!is(t, BK_STATUS_WAITING) && !is(t, BK_STATUS_CALLED))
        return BK_ERR_STATE;
    bk_status was = t->status;
    t->status = *status;
    t->finished_at = queue_now(q);
    bk_err e = store_ticket_update(q->st, t);
    return e ? e : audit(q, *status == BK_STATUS_NO_SHOW ? "no_show" : "cancel", t,
                         "status %s -> %s", bk_status_name(was), bk_status_name(*status));
}

static bk_err do_priority(queue_ctx *q, store_ticket *t, const void *arg)
{
    (void)arg;
    if (!is(t, BK_STATUS_WAITING))
        return BK_ERR_STATE;
    if (t->priority)
        return BK_OK; /* already first: no change, no audit row */
    t->priority = 1;
    bk_err e = store_ticket_update(q->st, t);
    return e ? e : audit(q, "priority", t, NULL);
}

typedef struct transfer_arg {
    const char *to;
    const char *reason;
} transfer_arg;

static bk_err do_transfer(queue_ctx *q, store_ticket *t, const void *arg)
{
    const transfer_arg *a = arg;
    if (!is(t, BK_STATUS_WAITING) && !is(t, BK_STATUS_CALLED))
        return BK_ERR_STATE;
    const char *to = queue_key(a->to);
    if (strcmp(to, t->officer) == 0)
        return BK_ERR_STATE;
    if (*to) {
        store_officer o;
        bk_err e = store_officer_get(q->st, to, &o);
        if (e)
            return e;
        if (!o.active)
            return BK_ERR_STATE;
    }
    char from[STORE_ID_SZ];
    snprintf(from, sizeof from, "%s", t->officer);
    snprintf(t->transferred_from, sizeof t->transferred_from, "%s", from);
    snprintf(t->officer, sizeof t->officer, "%s", to);
    t->status = BK_STATUS_WAITING; /* keeps its place: order_at is unchanged */
    bk_err e = store_ticket_update(q->st, t);
    return e ? e : audit(q, "transfer", t, "from=%s to=%s reason=%s",
                         from[0] ? from : STORE_RECEPTION, *to ? to : STORE_RECEPTION,
                         a->reason ? a->reason : "");
}

bk_err queue_recall(queue_ctx *q, int64_t id, queue_view *out)
{
    return with_ticket(q, id, do_recall, NULL, out);
}

bk_err queue_start(queue_ctx *q, int64_t id, const char *by, queue_view *out)
{
    if (by && *by && valid_officer_id(by, NULL))
        return BK_ERR_INVALID;
    return with_ticket(q, id, do_start, by, out);
}

bk_err queue_done(queue_ctx *q, int64_t id, bk_outcome outcome, queue_view *out)
{
    if (outcome == BK_OUTCOME_NONE || (unsigned)outcome >= BK_OUTCOME__COUNT)
        return BK_ERR_INVALID;
    return with_ticket(q, id, do_done, &outcome, out);
}

bk_err queue_no_show(queue_ctx *q, int64_t id, queue_view *out)
{
    static const bk_status no_show = BK_STATUS_NO_SHOW;
    return with_ticket(q, id, do_close, &no_show, out);
}

bk_err queue_cancel(queue_ctx *q, int64_t id, queue_view *out)
{
    static const bk_status cancelled = BK_STATUS_CANCELLED;
    return with_ticket(q, id, do_close, &cancelled, out);
}

bk_err queue_priority(queue_ctx *q, int64_t id, queue_view *out)
{
    return with_ticket(q, id, do_priority, NULL, out);
}

bk_err queue_transfer(queue_ctx *q, int64_t id, const char *to, const char *reason,
                      queue_view *out)
{
    if (!to || (strcmp(to, STORE_RECEPTION) != 0 && valid_officer_id(to, NULL)))
        return BK_ERR_INVALID;
    if (reason && *reason && valid_text(reason, VALID_REASON_MAX, 0, NULL))
        return BK_ERR_INVALID;
    transfer_arg a = {to, reason};
    return with_ticket(q, id, do_transfer, &a, out);
}

/* One call-next attempt; lost, done and unknown as in ticket_once: after a
 * commit of unknown outcome the ticket it called is judged first, and only
 * if that call did not happen is the next one called. */
static bk_err call_next_once(queue_ctx *q, const char *key, queue_view *out,
                             const store_ticket *lost, store_ticket done[2], int *unknown)
{
    memset(out, 0, sizeof *out);
    char today[11];
    queue_today(q, today);
    bk_err e = store_begin(q->st, STORE_TX_WRITE);
    if (e)
        return e;
    if (lost) {
        if ((e = store_ticket_get(q->st, lost[1].id, &out->t)))
            goto out;
        lost_write w = lost_outcome(&out->t, &lost[0], &lost[1]);
        if (w == LOST_CHANGED) {
            e = BK_ERR_STATE;
            goto out;
        }
        if (w == LOST_APPLIED) {
            if ((e = complete_view(q, out)))
                goto out;
            store_rollback(q->st); /* read only */
            return BK_OK;
        }
        memset(out, 0, sizeof *out);
    }
    if (*key) {
        store_officer o;
        if ((e = store_officer_get(q->st, key, &o)))
            goto out;
    }
    if ((e = close_stale_locked(q, today, NULL)))
        goto out;
    if ((e = store_ticket_first_waiting(q->st, today, key, &out->t)))
        goto out;
    store_ticket *t = &out->t;
    done[0] = *t;
    t->status = BK_STATUS_CALLED;
    t->called_at = t->last_call_at = queue_now(q);
    t->calls = 1;
    if ((e = store_ticket_update(q->st, t)))
        goto out;
    done[1] = *t;
    if ((e = audit(q, "call", t, "officer=%s", *key ? key : STORE_RECEPTION)))
        goto out;
    e = view_and_commit(q, out, unknown);
out:
    if (e)
        store_rollback(q->st);
    return e;
}

bk_err queue_call_next(queue_ctx *q, const char *officer, queue_view *out)
{
    memset(out, 0, sizeof *out);
    if (!officer || (strcmp(officer, STORE_RECEPTION) != 0 && valid_officer_id(officer, NULL)))
        return BK_ERR_INVALID;
    const char *key = queue_key(officer);
    store_ticket done[2], lost[2];
    int unknown = 0;
    bk_err e = call_next_once(q, key, out, NULL, done, &unknown);
    if (unknown) {
        memcpy(lost, done, sizeof lost);
        unknown = 0;
        e = call_next_once(q, key, out, lost, done, &unknown);
    }
    return e;
}

bk_err queue_unlock(queue_ctx *q, const char *client_no)
{
    if (valid_client_no(client_no, NULL))
        return BK_ERR_INVALID;
    bk_err e = store_begin(q->st, STORE_TX_WRITE);
    if (e)
        return e;
    int locked = 0;
    if ((e = store_lock_get(q->st, client_no, &locked)))
        goto out;
    if ((e = store_lock_clear(q->st, client_no)))
        goto out;
    if ((e = store_verify_failures_clear(q->st, client_no)))
        goto out;
    if ((e = store_audit_add(q->st, queue_now(q), q->actor ? q->actor : "", "unlock", 0,
                             client_no, locked ? "lock cleared" : "was not locked")))
        goto out;
    e = store_commit(q->st);
out:
    if (e)
        store_rollback(q->st);
    return e;
}

bk_err queue_resolve(queue_ctx *q, const char *arg, int64_t *id)
{
    if (!arg || !*arg)
        return BK_ERR_INVALID;
    long v;
    if (valid_int(arg, 1, INT32_MAX, &v, NULL) == BK_OK) {
        *id = v;
        return BK_OK;
    }
    /* A code: letter, '-', digits (case-insensitive). */
    size_t n = strlen(arg);
    if (n < 3 || n > 8 || arg[1] != '-')
        return BK_ERR_INVALID;
    char code[STORE_CODE_SZ];
    char letter = (char)(arg[0] >= 'a' && arg[0] <= 'z' ? arg[0] - 32 : arg[0]);
    if (letter < 'A' || letter > 'Z')
        return BK_ERR_INVALID;
    long num;
    if (valid_int(arg + 2, 0, 99999, &num, NULL))
        return BK_ERR_INVALID;
    snprintf(code, sizeof code, "%c-%03lu", letter, (unsigned long)num % 100000ul);
    char today[11];
    queue_today(q, today);
    store_ticket t;
    bk_err e = store_ticket_by_code(q->st, today, code, &t);
    if (e)
        return e;
    *id = t.id;
    return BK_OK;
}

bk_err queue_get(queue_ctx *q, int64_t id, queue_view *out)
{
    memset(out, 0, sizeof *out);
    bk_err e = store_begin(q->st, STORE_TX_READ);
    if (e)
        return e;
    if ((e = store_ticket_get(q->st, id, &out->t)) == BK_OK)
        e = complete_view(q, out);
    store_rollback(q->st);
    return e;
}

/* Listing: positions count up within each queue; medians cached per queue+purpose. */
typedef struct list_ctx {
    queue_ctx *q;
    queue_view_cb cb;
    void *ud;
    struct {
        char officer[STORE_ID_SZ];
        int waiting_seen;
        int med[BK_PURPOSE__COUNT]; /* -1 = not yet looked up */
    } queues[128];
    int nqueues;
    /* The officer of the previous ticket: a list is mostly one officer's
     * queue, and each look-up is a round trip on a server. */
    store_officer last_officer;
    int last_officer_found; /* -1 = nothing cached */
} list_ctx;

static bk_err list_one(void *ud, const store_ticket *t)
{
    list_ctx *c = ud;
    queue_view v;
    memset(&v, 0, sizeof v);
    v.t = *t;
    v.position = -1;
    v.eta_minutes = -1;
    bk_err e;
    if (t->officer[0]) {
        if (c->last_officer_found < 0 || strcmp(c->last_officer.id, t->officer) != 0) {
            e = store_officer_get(c->q->st, t->officer, &c->last_officer);
            if (e && e != BK_ERR_NOT_FOUND)
                return e;
            if (e)
                snprintf(c->last_officer.id, sizeof c->last_officer.id, "%s", t->officer);
            c->last_officer_found = e == BK_OK;
        }
        v.has_officer = c->last_officer_found == 1;
        if (v.has_officer)
            v.officer = c->last_officer;
    }
    if (t->status == BK_STATUS_WAITING) {
        int k;
        for (k = 0; k < c->nqueues; k++)
            if (strcmp(c->queues[k].officer, t->officer) == 0)
                break;
        if (k == c->nqueues) {
            if (c->nqueues == (int)(sizeof c->queues / sizeof c->queues[0])) {
                /* More queues than cached: compute directly. */
                int ahead = 0, med = 0;
                if ((e = store_ticket_ahead(c->q->st, t, &ahead)))
                    return e;
                if ((e = median_minutes(c->q, t->officer, t->purpose, &med)))
                    return e;
                v.position = ahead;
                v.eta_minutes = ahead * med;
                return c->cb(c->ud, &v);
            }
            snprintf(c->queues[k].officer, STORE_ID_SZ, "%s", t->officer);
            c->queues[k].waiting_seen = 0;
            for (int i = 0; i < BK_PURPOSE__COUNT; i++)
                c->queues[k].med[i] = -1;
            c->nqueues++;
        }
        int p = purpose_ok(t->purpose) ? (int)t->purpose : BK_PURPOSE_OTHER;
        if (c->queues[k].med[p] < 0 &&
            (e = median_minutes(c->q, t->officer, t->purpose, &c->queues[k].med[p])))
            return e;
        v.position = c->queues[k].waiting_seen++;
        v.eta_minutes = v.position * c->queues[k].med[p];
    }
    return c->cb(c->ud, &v);
}

bk_err queue_list(queue_ctx *q, const char *officer, unsigned status_mask, queue_view_cb cb,
                  void *ud)
{
    list_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return BK_ERR_NOMEM;
    c->q = q;
    c->cb = cb;
    c->ud = ud;
    c->last_officer_found = -1;
    char today[11];
    queue_today(q, today);
    bk_err e = store_begin(q->st, STORE_TX_READ);
    if (e == BK_OK) {
        e = store_ticket_list(q->st, today, officer ? queue_key(officer) : NULL, status_mask,
                              list_one, c);
        store_rollback(q->st);
    }
    free(c);
    return e;
}
