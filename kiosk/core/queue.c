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
    if (!officer || !*officer) return BK_OK;
    int secs[QUEUE_MEDIAN_WINDOW];
    int n = 0;
    bk_err e = store_service_seconds(q->st, officer, purpose, secs, QUEUE_MEDIAN_WINDOW, &n);
    if (e || n == 0) return e;
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
        if (e && e != BK_ERR_NOT_FOUND) return e;
        v->has_officer = e == BK_OK;
    }
    if (v->t.status == BK_STATUS_WAITING) {
        int ahead = 0, med = 0;
        bk_err e = store_ticket_ahead(q->st, &v->t, &ahead);
        if (e) return e;
        if ((e = median_minutes(q, v->t.officer, v->t.purpose, &med))) return e;
        v->position = ahead;
        v->eta_minutes = ahead * med;
    }
    return BK_OK;
}

static bk_err audit(queue_ctx *q, const char *action, const store_ticket *t, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
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
 * called). So queue_run() verifies first, in a new write transaction: it
 * holds the writer lock, so the lost transaction has ended by then,
 * committed or not, and what the body reads tells which. */

/* Tests: a fault instead of the commit (queue_ctx.test_retry_faults). */
static int test_retry_fault(queue_ctx *q)
{
#ifdef BK_TEST_HOOKS
    if (q->test_retry_faults > 0) {
        q->test_retry_faults--;
        return 1;
    }
#else
    (void)q;
#endif
    return 0;
}

/* queue_run on a database that runs the rules itself (store_server_rules):
 * each attempt is one call of the action's server function with the same
 * request key, so running it again never does it twice. */
static bk_err run_server(queue_ctx *q, const queue_action *act, void *arg)
{
    queue_attempt a = {0};
    bk_err e = BK_ERR_RETRY;
    int redialled = 0;
    for (int i = 0; i < QUEUE_MAX_TRIES; i++) {
        a.keep = a.read_only = a.final = 0;
        /* Tests: the server's transaction failed (nothing of it stays). */
        if (test_retry_fault(q)) {
            e = BK_ERR_RETRY;
            continue;
        }
        if ((e = store_begin(q->st, STORE_TX_CALL)) == BK_OK) {
            e = act->server(q, arg, &a);
            if ((e == BK_OK || a.keep) && !a.read_only) {
                bk_err c = store_commit(q->st); /* nothing to send: the call's answer */
                if (c == BK_ERR_IO && !a.verify) {
                    store_rollback(q->st);
                    if (act->lost) act->lost(arg);
                    a.verify = 1;
                    continue;
                }
                if (c) e = c;
            } else if (e == BK_ERR_IO && !redialled) {
                /* The connection was found gone (or went) during the call:
                 * once more on a new one, with the same key. */
                store_rollback(q->st);
                redialled = 1;
                continue;
            }
            store_rollback(q->st);
        }
        if (a.final || !(e == BK_ERR_RETRY || (act->retry_exists && e == BK_ERR_EXISTS))) return e;
    }
    return e;
}

bk_err queue_run(queue_ctx *q, const queue_action *act, void *arg)
{
    if (act->server && store_server_rules(q->st)) return run_server(q, act, arg);
    queue_attempt a = {0};
    bk_err e = BK_ERR_RETRY;
    for (int i = 0; i < QUEUE_MAX_TRIES; i++) {
        a.keep = a.read_only = a.final = 0;
        if ((e = store_begin(q->st, STORE_TX_WRITE)) == BK_OK) {
            e = act->body(q, arg, &a);
            if ((e == BK_OK || a.keep) && !a.read_only) {
                bk_err c = test_retry_fault(q) ? BK_ERR_RETRY : store_commit(q->st);
                if (c == BK_ERR_IO && e == BK_OK && act->lost && !a.verify) {
                    store_rollback(q->st); /* the store's side of the lost one */
                    act->lost(arg);
                    a.verify = 1;
                    continue;
                }
                if (c) e = c;
            }
            store_rollback(q->st); /* nothing after a commit */
        }
        if (a.final || !(e == BK_ERR_RETRY || (act->retry_exists && e == BK_ERR_EXISTS))) return e;
    }
    return e;
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
    if (ticket_same(now, written)) return LOST_APPLIED;
    if (ticket_same(now, before)) return LOST_NOT_APPLIED;
    return LOST_CHANGED;
}

/* ---- the rules on the server ------------------------------------------ */

/* One store_call() of the action's server function (queue_action.server),
 * its answer into *out (may be NULL). */
static bk_err server_call(queue_ctx *q, store_call_kind kind, store_call_in *in, queue_view *out,
                          int *n)
{
    store_call_out o;
    in->now = q->fixed_now; /* 0: the server's clock */
    in->lockout_limit = lockout_limit(q);
    in->service_min = service_default(q);
    bk_err e = store_call(q->st, kind, in, &o);
    if (n) *n = o.n;
    if (out) {
        memset(out, 0, sizeof *out);
        if (o.has_ticket) out->t = o.t;
        out->officer = o.officer;
        out->has_officer = o.has_officer;
        out->position = o.position;
        out->eta_minutes = o.eta_minutes;
        out->existing = o.existing;
        out->joined = o.joined;
        out->attempts_left = o.attempts_left;
    }
    return e;
}

/* A fresh request key for one action (queue_action.server). */
static bk_err request_key(queue_ctx *q, char key[STORE_TOKEN_SZ])
{
    key[0] = 0;
    if (!store_server_rules(q->st)) return BK_OK;
    char k[TOKEN_CHARS + 1];
    bk_err e = token_random(k);
    if (!e) snprintf(key, STORE_TOKEN_SZ, "%s", k);
    return e;
}

/* ---- presence and routing ---------------------------------------------- */

bk_err queue_officer_present(queue_ctx *q, const char *day, const char *officer, int *present,
                             store_presence *rec)
{
    store_officer o;
    bk_err e = store_officer_get(q->st, officer, &o);
    if (e) return e;
    /* Day record > weekly pattern > present (roster.h). */
    store_presence p;
    if ((e = roster_resolve(q->st, day, officer, &p, NULL))) return e;
    *present = o.active && p.status != BK_PRESENCE_ABSENT;
    if (rec) *rec = p;
    return BK_OK;
}

bk_err queue_route(queue_ctx *q, const char *day, const char *assigned, char officer[STORE_ID_SZ],
                   bk_routing *routed)
{
    int present = 0;
    store_presence p;
    bk_err e = queue_officer_present(q, day, assigned, &present, &p);
    if (e) return e;
    if (present) {
        snprintf(officer, STORE_ID_SZ, "%s", assigned);
        *routed = BK_ROUTED_ASSIGNED;
        return BK_OK;
    }
    if (p.substitute[0] && strcmp(p.substitute, assigned) != 0) {
        int sub_present = 0;
        e = queue_officer_present(q, day, p.substitute, &sub_present, NULL);
        if (e && e != BK_ERR_NOT_FOUND) return e;
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

/* Record presence *p (queue_run body; no verify: the audit row cannot
 * tell one write from two). */
static bk_err presence_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    const store_presence *p = arg;
    store_officer o;
    bk_err e = store_officer_get(q->st, p->officer, &o);
    if (e) return e;
    if (p->substitute[0] && (e = store_officer_get(q->st, p->substitute, &o))) return e;
    if ((e = store_presence_set(q->st, p))) return e;
    char detail[160];
    snprintf(detail, sizeof detail, "officer=%s day=%s status=%s substitute=%s", p->officer, p->day,
             bk_presence_name(p->status), p->substitute);
    return store_audit_add(q->st, queue_now(q), q->actor ? q->actor : "", "presence", 0, NULL,
                           detail);
}

typedef struct presence_arg {
    store_presence p;
    char key[STORE_TOKEN_SZ];
} presence_arg;

static bk_err presence_server(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    const presence_arg *x = arg;
    store_call_in in = {.key = x->key,
                        .day = x->p.day,
                        .officer = x->p.officer,
                        .presence = x->p.status,
                        .substitute = x->p.substitute};
    return server_call(q, STORE_CALL_PRESENCE, &in, NULL, NULL);
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
    if ((unsigned)status >= BK_PRESENCE__COUNT) return BK_ERR_INVALID;
    if (substitute && *substitute &&
        (valid_officer_id(substitute, NULL) || strcmp(substitute, officer) == 0))
        return BK_ERR_INVALID;
    presence_arg x;
    memset(&x, 0, sizeof x);
    store_presence *p = &x.p; /* presence_body's argument: the first member */
    snprintf(p->day, sizeof p->day, "%s", day);
    snprintf(p->officer, sizeof p->officer, "%s", officer);
    p->status = status;
    snprintf(p->substitute, sizeof p->substitute, "%s", substitute ? substitute : "");
    bk_err e = request_key(q, x.key);
    if (e) return e;
    static const queue_action act = {.body = presence_body, .server = presence_server};
    return queue_run(q, &act, &x);
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
        if (e) return e;
        for (int i = 0; i < c.n; i++) {
            store_ticket t;
            if ((e = store_ticket_get(q->st, c.ids[i], &t))) return e;
            bk_status was = t.status;
            t.status = BK_STATUS_NO_SHOW;
            t.finished_at = queue_now(q);
            /* status and finished_at only: all the kiosk role may update */
            if ((e = store_ticket_close_stale(q->st, t.id, t.finished_at))) return e;
            if ((e = audit(q, "day_end", &t, "status %s -> no_show (day %s ended)",
                           bk_status_name(was), t.day)))
                return e;
            if (closed) (*closed)++;
        }
        if (!c.more) return BK_OK;
    }
}

typedef struct close_stale_arg {
    char today[11];
    int closed;
    char key[STORE_TOKEN_SZ];
} close_stale_arg;

static bk_err close_stale_server(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    close_stale_arg *c = arg;
    store_call_in in = {.key = c->key};
    return server_call(q, STORE_CALL_CLOSE_STALE, &in, NULL, &c->closed);
}

static bk_err close_stale_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    close_stale_arg *c = arg;
    c->closed = 0; /* an attempt rolled back closed nothing */
    return close_stale_locked(q, c->today, &c->closed);
}

bk_err queue_close_stale(queue_ctx *q, int *closed)
{
    close_stale_arg c = {.closed = 0};
    queue_today(q, c.today);
    if (closed) *closed = 0;
    bk_err e = request_key(q, c.key);
    if (e) return e;
    static const queue_action act = {.body = close_stale_body, .server = close_stale_server};
    e = queue_run(q, &act, &c);
    if (e == BK_OK && closed) *closed = c.closed;
    return e;
}

/* ---- check-in ---------------------------------------------------------- */

/* Allocate the next code of the day's one series (no purpose in it) and
 * insert the ticket with its first purpose, with t->token if set (a
 * walk-in's request key), else a fresh random one. */
static bk_err insert_new(queue_ctx *q, store_ticket *t)
{
    char letter = QUEUE_CODE_LETTER;
    int seq = 0;
    bk_err e = store_ticket_max_seq(q->st, t->day, letter, &seq);
    if (e) return e;
    t->seq = seq + 1;
    snprintf(t->code, sizeof t->code, "%c-%03u", letter, (unsigned)t->seq % 100000u);
    if (!t->token[0] && (e = token_random(t->token))) return e;
    if ((e = store_ticket_insert(q->st, t))) return e;
    t->purposes = 1u << t->purpose;
    return BK_OK;
}

/* The identity rules of a check-in and of queue_identify, inside the write
 * transaction: lock, client, birth date (a miss is counted, unknown numbers
 * alike, and locks at the limit; a->keep is then set so the count commits),
 * active; a match clears the day's wrong tries. *c receives the client. */
static bk_err identity_locked(queue_ctx *q, const char *no, const char *birth, const char *today,
                              int64_t now, queue_view *out, queue_attempt *a, store_client *c)
{
    int locked = 0;
    bk_err e = store_lock_get(q->st, no, &locked);
    if (e) return e;
    if (locked) return BK_ERR_LOCKED;
    bk_err found = store_client_get(q->st, no, c);
    if (found && found != BK_ERR_NOT_FOUND) return found;
    if (found == BK_ERR_NOT_FOUND || strcmp(c->birth, birth) != 0) {
        /* Unknown numbers count alike, so the lock reveals nothing. */
        int count = 0;
        if ((e = store_verify_fail_add(q->st, no, today, now, &count))) return e;
        int limit = lockout_limit(q);
        out->attempts_left = count >= limit ? 0 : limit - count;
        out->failures = count;
        if (count >= limit) {
            if ((e = store_lock_set(q->st, no, now))) return e;
            if ((e = audit(q, "lock", NULL, "client %s locked after %d wrong birth dates", no,
                           count)))
                return e;
        } else if ((e = audit(q, "verify_fail", NULL, "client %s attempt %d", no, count))) {
            return e;
        }
        a->keep = 1; /* the refusal is recorded */
        return count >= limit ? BK_ERR_LOCKED
                              : (found == BK_ERR_NOT_FOUND ? BK_ERR_NOT_FOUND : BK_ERR_WRONG_BIRTH);
    }
    if (!c->active) return BK_ERR_ENDED;
    int fails = 0;
    if ((e = store_verify_failures(q->st, no, today, &fails))) return e;
    if (fails && (e = store_verify_failures_clear(q->st, no))) return e;
    return BK_OK;
}

typedef struct checkin_arg {
    const char *no, *birth;
    bk_purpose purpose;
    queue_view *out;
    /* After a commit of unknown outcome: the token of the ticket that
     * attempt made, "-" if it made none (it found one open). */
    char lost_token[STORE_TOKEN_SZ];
    char key[STORE_TOKEN_SZ]; /* the server's request key (the new ticket's token) */
} checkin_arg;

static bk_err checkin_server(queue_ctx *q, void *arg, queue_attempt *a)
{
    checkin_arg *ck = arg;
    store_call_in in = {
        .key = ck->key, .client_no = ck->no, .birth = ck->birth, .purpose = ck->purpose};
    bk_err e = server_call(q, STORE_CALL_CHECKIN, &in, ck->out, NULL);
    /* The ticket this call's key made (a retried attempt) is not "existing". */
    if (e == BK_OK && ck->out->existing && strcmp(ck->out->t.token, ck->key) == 0)
        ck->out->existing = 0;
    /* a refusal the server recorded (a counted failure, a lock, a report
     * visit already done today) */
    a->keep = e == BK_ERR_WRONG_BIRTH || e == BK_ERR_NOT_FOUND || e == BK_ERR_LOCKED ||
              e == BK_ERR_REPORTED;
    return e;
}

/* One check-in attempt (queue_run body). A check-in is idempotent by nature
 * (an open ticket for the purpose is returned), so its verifying attempt is
 * the same: it finds the ticket the lost commit made, if it made one. */
static bk_err checkin_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    checkin_arg *ck = arg;
    const char *no = ck->no;
    queue_view *out = ck->out;
    char today[11];
    int64_t now = queue_now(q);
    otime_day(now, q->utc_offset_min, today);
    store_client c;
    bk_err e = identity_locked(q, no, ck->birth, today, now, out, a, &c);
    if (e) return e;
    if ((e = close_stale_locked(q, today, NULL))) return e;

    memset(out, 0, sizeof *out);
    int reported = 0;
    if (ck->purpose == BK_PURPOSE_REPORT &&
        (e = store_ticket_reported(q->st, today, no, &reported)))
        return e;
    /* One visit, one ticket: the open one, whatever the purpose. */
    e = store_ticket_find_visit(q->st, today, no, &out->t);
    if (e == BK_OK) {
        store_ticket *t = &out->t;
        out->existing = 1;
        if ((e = store_ticket_purposes(q->st, t->id, &t->purposes))) return e;
        t->purposes |= 1u << t->purpose;
        if (!(t->purposes & 1u << ck->purpose) && !reported) {
            if ((e = store_ticket_purpose_add(q->st, t->id, ck->purpose, now))) return e;
            if ((e = audit(q, "purpose_add", t, "code=%s purpose=%s", t->code,
                           bk_purpose_name(ck->purpose))))
                return e;
            t->purposes |= 1u << ck->purpose;
            out->joined = 1;
        }
        return complete_view(q, out); /* commits the cleared failures, if any */
    }
    if (e != BK_ERR_NOT_FOUND) return e;
    if (reported) {
        a->keep = 1; /* the cleared wrong tries, if any */
        return BK_ERR_REPORTED;
    }

    store_ticket *t = &out->t;
    snprintf(t->day, sizeof t->day, "%s", today);
    t->purpose = ck->purpose;
    snprintf(t->client_no, sizeof t->client_no, "%s", no);
    snprintf(t->assigned, sizeof t->assigned, "%s", c.officer);
    if ((e = queue_route(q, today, c.officer, t->officer, &t->routed))) return e;
    t->status = BK_STATUS_WAITING;
    t->order_at = t->checkin_at = now;
    if ((e = insert_new(q, t))) return e;
    if ((e = audit(q, "checkin", t, "code=%s purpose=%s routed=%s officer=%s", t->code,
                   bk_purpose_name(ck->purpose), bk_routing_name(t->routed),
                   t->officer[0] ? t->officer : STORE_RECEPTION)))
        return e;
    return complete_view(q, out);
}

static void checkin_lost(void *arg)
{
    checkin_arg *ck = arg;
    /* a joined purpose: the retry finds it in the visit (existing, not joined) */
    snprintf(ck->lost_token, sizeof ck->lost_token, "%s",
             ck->out->existing ? "-" : ck->out->t.token);
}

bk_err queue_checkin(queue_ctx *q, const char *client_no, const char *birth, bk_purpose purpose,
                     queue_view *out)
{
    memset(out, 0, sizeof *out);
    if (valid_client_no(client_no, NULL) || valid_date(birth, NULL, NULL, NULL, NULL) ||
        !purpose_ok(purpose))
        return BK_ERR_INVALID;
    checkin_arg ck = {.no = client_no, .birth = birth, .purpose = purpose, .out = out};
    bk_err e = request_key(q, ck.key);
    if (e) return e;
    static const queue_action act = {
        .body = checkin_body, .lost = checkin_lost, .retry_exists = 1, .server = checkin_server};
    e = queue_run(q, &act, &ck);
    /* Finding the ticket its own lost commit made is not "existing". */
    if (e == BK_OK && out->existing && ck.lost_token[0] && strcmp(out->t.token, ck.lost_token) == 0)
        out->existing = 0;
    return e;
}

typedef struct identify_arg {
    const char *no, *birth;
    queue_view *out;
    char key[STORE_TOKEN_SZ]; /* the server's request key */
} identify_arg;

static bk_err identify_server(queue_ctx *q, void *arg, queue_attempt *a)
{
    identify_arg *x = arg;
    store_call_in in = {.key = x->key, .client_no = x->no, .birth = x->birth};
    int n = 0;
    bk_err e = server_call(q, STORE_CALL_VERIFY, &in, x->out, &n);
    x->out->failures = n;
    /* a refusal the server recorded (a counted failure, a lock) */
    a->keep = e == BK_ERR_WRONG_BIRTH || e == BK_ERR_NOT_FOUND || e == BK_ERR_LOCKED;
    return e;
}

/* One identify attempt (queue_run body). Without lost(): a commit of
 * unknown outcome reaches the caller as BK_ERR_IO (the kiosk shows the
 * database problem; a retry counts at most one more miss). */
static bk_err identify_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    identify_arg *x = arg;
    char today[11];
    int64_t now = queue_now(q);
    otime_day(now, q->utc_offset_min, today);
    memset(x->out, 0, sizeof *x->out);
    store_client c;
    bk_err e = identity_locked(q, x->no, x->birth, today, now, x->out, a, &c);
    memset(&c, 0, sizeof c);
    return e;
}

bk_err queue_identify(queue_ctx *q, const char *client_no, const char *birth, queue_view *out)
{
    memset(out, 0, sizeof *out);
    if (valid_client_no(client_no, NULL) || valid_date(birth, NULL, NULL, NULL, NULL))
        return BK_ERR_INVALID;
    identify_arg x = {.no = client_no, .birth = birth, .out = out};
    bk_err e = request_key(q, x.key);
    if (e) return e;
    static const queue_action act = {.body = identify_body, .server = identify_server};
    return queue_run(q, &act, &x);
}

typedef struct walkin_arg {
    bk_purpose purpose;
    bk_reason reason; /* BK_REASON_NO_NUMBER: queue_no_number */
    const char *name, *key;
    queue_view *out;
    int lost; /* a commit of unknown outcome: 0 = none, 1 = of an insert, 2 = of a look-up */
} walkin_arg;

static bk_err walkin_server(queue_ctx *q, void *arg, queue_attempt *a)
{
    walkin_arg *w = arg;
    store_call_in in = {.key = w->key, .purpose = w->purpose, .name = w->name};
    bk_err e =
        server_call(q, w->reason == BK_REASON_NO_NUMBER ? STORE_CALL_NO_NUMBER : STORE_CALL_WALKIN,
                    &in, w->out, NULL);
    if (e == BK_ERR_EXISTS) a->final = 1; /* the key is another request's */
    return e;
}

/* One walk-in attempt with request key w->key (queue_run body). The
 * verifying attempt is the same: it looks the key up. */
static bk_err walkin_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    walkin_arg *w = arg;
    queue_view *out = w->out;
    const char *name = w->name ? w->name : "";
    int64_t now = queue_now(q);
    memset(out, 0, sizeof *out);
    store_ticket *t = &out->t;
    /* Done before (its answer was lost, or the caller retries): that ticket. */
    bk_err e = store_ticket_by_token(q->st, w->key, t);
    if (e == BK_OK) {
        /* (a walk-in's key does not look at the reason, as bk_act_walkin) */
        if (t->client_no[0] || t->purpose != w->purpose ||
            (w->reason != BK_REASON_NONE && t->reason != w->reason) ||
            strcmp(t->walkin_name, name) != 0) {
            a->final = 1; /* the key is another request's */
            return BK_ERR_EXISTS;
        }
        out->existing = 1;
        return complete_view(q, out); /* nothing written */
    }
    if (e != BK_ERR_NOT_FOUND) return e;
    memset(t, 0, sizeof *t);
    otime_day(now, q->utc_offset_min, t->day);
    if ((e = close_stale_locked(q, t->day, NULL))) return e;
    snprintf(t->token, sizeof t->token, "%s", w->key);
    t->purpose = w->purpose;
    snprintf(t->walkin_name, sizeof t->walkin_name, "%s", name);
    t->reason = w->reason;
    t->routed = BK_ROUTED_RECEPTION;
    t->status = BK_STATUS_WAITING;
    t->order_at = t->checkin_at = now;
    if ((e = insert_new(q, t))) return e;
    if (w->reason != BK_REASON_NONE)
        e = audit(q, "walkin", t, "code=%s purpose=%s reason=%s", t->code,
                  bk_purpose_name(w->purpose), bk_reason_name(w->reason));
    else
        e = audit(q, "walkin", t, "code=%s purpose=%s", t->code, bk_purpose_name(w->purpose));
    if (e) return e;
    return complete_view(q, out);
}

static void walkin_lost(void *arg)
{
    walkin_arg *w = arg;
    w->lost = w->out->existing ? 2 : 1;
}

static bk_err walkin_run(queue_ctx *q, bk_purpose purpose, bk_reason reason, const char *name,
                         const char *key, queue_view *out)
{
    memset(out, 0, sizeof *out);
    if (!purpose_ok(purpose)) return BK_ERR_INVALID;
    if (name && *name && valid_text(name, VALID_NAME_MAX, 1, NULL)) return BK_ERR_INVALID;
    char fresh[TOKEN_CHARS + 1];
    if (!key) {
        bk_err e = token_random(fresh);
        if (e) return e;
        key = fresh;
    } else if (!token_valid(key)) {
        return BK_ERR_INVALID;
    }
    walkin_arg w = {.purpose = purpose, .reason = reason, .name = name, .key = key, .out = out};
    static const queue_action act = {
        .body = walkin_body, .lost = walkin_lost, .retry_exists = 1, .server = walkin_server};
    bk_err e = queue_run(q, &act, &w);
    /* A ticket its own lost commit inserted is not "existing": this call made it. */
    if (e == BK_OK && w.lost == 1) out->existing = 0;
    return e;
}

bk_err queue_walkin_key(queue_ctx *q, bk_purpose purpose, const char *name, const char *key,
                        queue_view *out)
{
    return walkin_run(q, purpose, BK_REASON_NONE, name, key, out);
}

bk_err queue_no_number(queue_ctx *q, const char *key, queue_view *out)
{
    return walkin_run(q, BK_PURPOSE_OTHER, BK_REASON_NO_NUMBER, NULL, key, out);
}

bk_err queue_walkin(queue_ctx *q, bk_purpose purpose, const char *name, queue_view *out)
{
    return queue_walkin_key(q, purpose, name, NULL, out);
}

/* ---- ticket actions ---------------------------------------------------- */

typedef bk_err (*action_fn)(queue_ctx *q, store_ticket *t, const void *arg);

typedef struct ticket_arg {
    int64_t id;
    action_fn fn;
    const void *arg;
    const char *action, *sarg, *reason; /* the server's: action word, argument, reason */
    char key[STORE_TOKEN_SZ];
    queue_view *out;
    store_ticket done[2]; /* the ticket before and as written by the last attempt */
    store_ticket lost[2]; /* done of the attempt whose commit's outcome was unknown */
} ticket_arg;

/* A verifying attempt: judge the ticket `now` by what the lost commit wrote
 * (lost_outcome). BK_ERR_STATE if someone else changed it since; with
 * *applied = 1 it is as written (the view is complete: nothing to do). */
static bk_err judge_lost(queue_ctx *q, queue_view *now, const store_ticket lost[2], int *applied)
{
    *applied = 0;
    lost_write w = lost_outcome(&now->t, &lost[0], &lost[1]);
    if (w == LOST_CHANGED) return BK_ERR_STATE;
    if (w == LOST_NOT_APPLIED) return BK_OK;
    *applied = 1;
    return complete_view(q, now);
}

/* One attempt of a ticket action (queue_run body): load ticket `id`, apply
 * fn (store, audit), view. A verifying attempt judges the ticket first and
 * runs fn again only if nothing had happened. */
static bk_err ticket_body(queue_ctx *q, void *argp, queue_attempt *a)
{
    ticket_arg *x = argp;
    queue_view *out = x->out;
    memset(out, 0, sizeof *out);
    bk_err e = store_ticket_get(q->st, x->id, &out->t);
    if (e) return e;
    if (a->verify) {
        int applied = 0;
        if ((e = judge_lost(q, out, x->lost, &applied)) || applied) {
            a->read_only = 1;
            return e;
        }
    }
    x->done[0] = out->t;
    if ((e = x->fn(q, &out->t, x->arg))) return e;
    x->done[1] = out->t;
    return complete_view(q, out);
}

static bk_err ticket_server(queue_ctx *q, void *argp, queue_attempt *a)
{
    ticket_arg *x = argp;
    store_call_in in = {.key = x->key,
                        .ticket_id = x->id,
                        .action = x->action,
                        .arg = x->sarg,
                        .reason = x->reason};
    bk_err e = server_call(q, STORE_CALL_TICKET, &in, x->out, NULL);
    a->read_only = a->verify && x->out->existing; /* the lost one went through */
    return e;
}

static void ticket_lost(void *argp)
{
    ticket_arg *x = argp;
    memcpy(x->lost, x->done, sizeof x->lost);
}

/* Load ticket `id`, apply fn in one write transaction, store, audit, view.
 * On the server: its function for `action` with sarg and reason. */
static bk_err with_ticket(queue_ctx *q, int64_t id, action_fn fn, const void *arg,
                          const char *action, const char *sarg, const char *reason, queue_view *out)
{
    queue_view tmp;
    ticket_arg x = {.id = id,
                    .fn = fn,
                    .arg = arg,
                    .action = action,
                    .sarg = sarg,
                    .reason = reason,
                    .out = out ? out : &tmp};
    bk_err e = request_key(q, x.key);
    if (e) return e;
    static const queue_action act = {
        .body = ticket_body, .lost = ticket_lost, .server = ticket_server};
    return queue_run(q, &act, &x);
}

static int is(const store_ticket *t, bk_status status)
{
    return t->status == status;
}

static bk_err do_recall(queue_ctx *q, store_ticket *t, const void *arg)
{
    (void)arg;
    if (!is(t, BK_STATUS_CALLED)) return BK_ERR_STATE;
    t->calls++;
    t->last_call_at = queue_now(q);
    bk_err e = store_ticket_update(q->st, t);
    return e ? e : audit(q, "recall", t, "call %d", t->calls);
}

static bk_err do_start(queue_ctx *q, store_ticket *t, const void *arg)
{
    const char *by = arg;
    if (!is(t, BK_STATUS_CALLED) && !is(t, BK_STATUS_WAITING)) return BK_ERR_STATE;
    int64_t now = queue_now(q);
    if (by && *by) {
        store_officer o;
        bk_err e = store_officer_get(q->st, by, &o);
        if (e) return e;
    }
    if (!t->called_at) t->called_at = t->last_call_at = now;
    t->started_at = now;
    snprintf(t->served_by, sizeof t->served_by, "%s", by && *by ? by : t->officer);
    t->status = BK_STATUS_SERVING;
    bk_err e = store_ticket_update(q->st, t);
    return e ? e : audit(q, "start", t, "served_by=%s", t->served_by);
}

static bk_err do_done(queue_ctx *q, store_ticket *t, const void *arg)
{
    const bk_outcome *outcome = arg;
    if (!is(t, BK_STATUS_SERVING)) return BK_ERR_STATE;
    t->outcome = *outcome;
    t->finished_at = queue_now(q);
    t->status = BK_STATUS_DONE;
    bk_err e = store_ticket_update(q->st, t);
    if (e) return e;
    /* a report visit, also one whose report joined later (schema 9) */
    if (!t->purposes && (e = store_ticket_purposes(q->st, t->id, &t->purposes))) return e;
    if (queue_visit_has(t, BK_PURPOSE_REPORT) && t->client_no[0]) {
        store_client c;
        if ((e = store_client_get(q->st, t->client_no, &c))) return e;
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
    if (!is(t, BK_STATUS_WAITING) && !is(t, BK_STATUS_CALLED)) return BK_ERR_STATE;
    bk_status was = t->status;
    t->status = *status;
    t->finished_at = queue_now(q);
    bk_err e = store_ticket_update(q->st, t);
    return e ? e
             : audit(q, *status == BK_STATUS_NO_SHOW ? "no_show" : "cancel", t, "status %s -> %s",
                     bk_status_name(was), bk_status_name(*status));
}

static bk_err do_priority(queue_ctx *q, store_ticket *t, const void *arg)
{
    (void)arg;
    if (!is(t, BK_STATUS_WAITING)) return BK_ERR_STATE;
    if (t->priority) return BK_OK; /* already first: no change, no audit row */
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
    if (!is(t, BK_STATUS_WAITING) && !is(t, BK_STATUS_CALLED)) return BK_ERR_STATE;
    const char *to = queue_key(a->to);
    if (strcmp(to, t->officer) == 0) return BK_ERR_STATE;
    if (*to) {
        store_officer o;
        bk_err e = store_officer_get(q->st, to, &o);
        if (e) return e;
        if (!o.active) return BK_ERR_STATE;
    }
    char from[STORE_ID_SZ];
    snprintf(from, sizeof from, "%s", t->officer);
    snprintf(t->transferred_from, sizeof t->transferred_from, "%s", from);
    snprintf(t->officer, sizeof t->officer, "%s", to);
    t->status = BK_STATUS_WAITING; /* keeps its place: order_at is unchanged */
    bk_err e = store_ticket_update(q->st, t);
    return e ? e
             : audit(q, "transfer", t, "from=%s to=%s reason=%s", from[0] ? from : STORE_RECEPTION,
                     *to ? to : STORE_RECEPTION, a->reason ? a->reason : "");
}

bk_err queue_recall(queue_ctx *q, int64_t id, queue_view *out)
{
    return with_ticket(q, id, do_recall, NULL, "recall", NULL, NULL, out);
}

bk_err queue_start(queue_ctx *q, int64_t id, const char *by, queue_view *out)
{
    if (by && *by && valid_officer_id(by, NULL)) return BK_ERR_INVALID;
    return with_ticket(q, id, do_start, by, "start", by, NULL, out);
}

bk_err queue_done(queue_ctx *q, int64_t id, bk_outcome outcome, queue_view *out)
{
    if (outcome == BK_OUTCOME_NONE || (unsigned)outcome >= BK_OUTCOME__COUNT) return BK_ERR_INVALID;
    return with_ticket(q, id, do_done, &outcome, "done", bk_outcome_name(outcome), NULL, out);
}

bk_err queue_no_show(queue_ctx *q, int64_t id, queue_view *out)
{
    static const bk_status no_show = BK_STATUS_NO_SHOW;
    return with_ticket(q, id, do_close, &no_show, "no_show", NULL, NULL, out);
}

bk_err queue_cancel(queue_ctx *q, int64_t id, queue_view *out)
{
    static const bk_status cancelled = BK_STATUS_CANCELLED;
    return with_ticket(q, id, do_close, &cancelled, "cancel", NULL, NULL, out);
}

bk_err queue_priority(queue_ctx *q, int64_t id, queue_view *out)
{
    return with_ticket(q, id, do_priority, NULL, "priority", NULL, NULL, out);
}

bk_err queue_transfer(queue_ctx *q, int64_t id, const char *to, const char *reason, queue_view *out)
{
    if (!to || (strcmp(to, STORE_RECEPTION) != 0 && valid_officer_id(to, NULL)))
        return BK_ERR_INVALID;
    if (reason && *reason && valid_text(reason, VALID_REASON_MAX, 0, NULL)) return BK_ERR_INVALID;
    transfer_arg a = {to, reason};
    return with_ticket(q, id, do_transfer, &a, "transfer", queue_key(to), reason, out);
}

typedef struct call_next_arg {
    const char *key; /* the queue: an officer id, "" = reception */
    queue_view *out;
    store_ticket done[2], lost[2]; /* as in ticket_arg */
    char req[STORE_TOKEN_SZ];      /* the server's request key */
} call_next_arg;

static bk_err call_next_server(queue_ctx *q, void *arg, queue_attempt *a)
{
    call_next_arg *x = arg;
    store_call_in in = {.key = x->req, .officer = x->key};
    bk_err e = server_call(q, STORE_CALL_CALL_NEXT, &in, x->out, NULL);
    a->read_only = a->verify && x->out->existing; /* the lost one went through */
    return e;
}

/* One call-next attempt (queue_run body): after a commit of unknown outcome
 * the ticket it called is judged first, and only if that call did not
 * happen is the next one called. */
static bk_err call_next_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    call_next_arg *x = arg;
    queue_view *out = x->out;
    const char *key = x->key;
    memset(out, 0, sizeof *out);
    char today[11];
    queue_today(q, today);
    bk_err e;
    if (a->verify) {
        int applied = 0;
        if ((e = store_ticket_get(q->st, x->lost[1].id, &out->t))) return e;
        if ((e = judge_lost(q, out, x->lost, &applied)) || applied) {
            a->read_only = 1;
            return e;
        }
        memset(out, 0, sizeof *out);
    }
    if (*key) {
        store_officer o;
        if ((e = store_officer_get(q->st, key, &o))) return e;
    }
    if ((e = close_stale_locked(q, today, NULL))) return e;
    if ((e = store_ticket_first_waiting(q->st, today, key, &out->t))) return e;
    store_ticket *t = &out->t;
    x->done[0] = *t;
    t->status = BK_STATUS_CALLED;
    t->called_at = t->last_call_at = queue_now(q);
    t->calls = 1;
    if ((e = store_ticket_update(q->st, t))) return e;
    x->done[1] = *t;
    if ((e = audit(q, "call", t, "officer=%s", *key ? key : STORE_RECEPTION))) return e;
    return complete_view(q, out);
}

static void call_next_lost(void *arg)
{
    call_next_arg *x = arg;
    memcpy(x->lost, x->done, sizeof x->lost);
}

bk_err queue_call_next(queue_ctx *q, const char *officer, queue_view *out)
{
    memset(out, 0, sizeof *out);
    if (!officer || (strcmp(officer, STORE_RECEPTION) != 0 && valid_officer_id(officer, NULL)))
        return BK_ERR_INVALID;
    call_next_arg x = {.key = queue_key(officer), .out = out};
    bk_err e = request_key(q, x.req);
    if (e) return e;
    static const queue_action act = {
        .body = call_next_body, .lost = call_next_lost, .server = call_next_server};
    return queue_run(q, &act, &x);
}

typedef struct unlock_arg {
    const char *client_no;
    char key[STORE_TOKEN_SZ];
} unlock_arg;

static bk_err unlock_server(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    const unlock_arg *u = arg;
    store_call_in in = {.key = u->key, .client_no = u->client_no};
    return server_call(q, STORE_CALL_UNLOCK, &in, NULL, NULL);
}

/* Clear the lock and failures of a client number (queue_run body; no
 * verify: the audit row cannot tell one write from two). */
static bk_err unlock_body(queue_ctx *q, void *arg, queue_attempt *a)
{
    (void)a;
    const char *client_no = ((const unlock_arg *)arg)->client_no;
    int locked = 0;
    bk_err e = store_lock_get(q->st, client_no, &locked);
    if (e) return e;
    if ((e = store_lock_clear(q->st, client_no))) return e;
    if ((e = store_verify_failures_clear(q->st, client_no))) return e;
    return store_audit_add(q->st, queue_now(q), q->actor ? q->actor : "", "unlock", 0, client_no,
                           locked ? "lock cleared" : "was not locked");
}

bk_err queue_unlock(queue_ctx *q, const char *client_no)
{
    if (valid_client_no(client_no, NULL)) return BK_ERR_INVALID;
    unlock_arg u = {client_no, ""};
    bk_err e = request_key(q, u.key);
    if (e) return e;
    static const queue_action act = {.body = unlock_body, .server = unlock_server};
    return queue_run(q, &act, &u);
}

bk_err queue_resolve(queue_ctx *q, const char *arg, int64_t *id)
{
    if (!arg || !*arg) return BK_ERR_INVALID;
    long v;
    if (valid_int(arg, 1, INT32_MAX, &v, NULL) == BK_OK) {
        *id = v;
        return BK_OK;
    }
    /* A code: letter, '-', digits (case-insensitive). */
    size_t n = strlen(arg);
    if (n < 3 || n > 8 || arg[1] != '-') return BK_ERR_INVALID;
    char code[STORE_CODE_SZ];
    char letter = (char)(arg[0] >= 'a' && arg[0] <= 'z' ? arg[0] - 32 : arg[0]);
    if (letter < 'A' || letter > 'Z') return BK_ERR_INVALID;
    long num;
    if (valid_int(arg + 2, 0, 99999, &num, NULL)) return BK_ERR_INVALID;
    snprintf(code, sizeof code, "%c-%03lu", letter, (unsigned long)num % 100000ul);
    char today[11];
    queue_today(q, today);
    store_ticket t;
    bk_err e = store_ticket_by_code(q->st, today, code, &t);
    if (e) return e;
    *id = t.id;
    return BK_OK;
}

bk_err queue_get(queue_ctx *q, int64_t id, queue_view *out)
{
    memset(out, 0, sizeof *out);
    bk_err e = store_begin(q->st, STORE_TX_READ);
    if (e) return e;
    if ((e = store_ticket_get(q->st, id, &out->t)) == BK_OK &&
        (e = store_ticket_purposes(q->st, id, &out->t.purposes)) == BK_OK) {
        out->t.purposes |= 1u << out->t.purpose;
        e = complete_view(q, out);
    }
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
    /* The day's visits' purposes, by ticket id (ascending: the store's order). */
    struct list_purposes {
        int64_t id;
        unsigned bits;
    } * purposes;
    size_t n_purposes, cap_purposes;
} list_ctx;

static bk_err add_purpose(void *ud, int64_t id, bk_purpose p)
{
    list_ctx *c = ud;
    if (c->n_purposes && c->purposes[c->n_purposes - 1].id == id) {
        c->purposes[c->n_purposes - 1].bits |= 1u << p;
        return BK_OK;
    }
    if (c->n_purposes && c->purposes[c->n_purposes - 1].id > id) return BK_ERR_INTERNAL;
    if (c->n_purposes == c->cap_purposes) {
        size_t cap = c->cap_purposes ? c->cap_purposes * 2 : 64;
        struct list_purposes *n = realloc(c->purposes, cap * sizeof *n);
        if (!n) return BK_ERR_NOMEM;
        c->purposes = n;
        c->cap_purposes = cap;
    }
    c->purposes[c->n_purposes].id = id;
    c->purposes[c->n_purposes++].bits = 1u << p;
    return BK_OK;
}

/* The purposes of ticket t from the day's (binary search; t's own purpose
 * always among them). */
static unsigned list_purposes_of(const list_ctx *c, const store_ticket *t)
{
    size_t lo = 0, hi = c->n_purposes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->purposes[mid].id < t->id)
            lo = mid + 1;
        else
            hi = mid;
    }
    unsigned bits = lo < c->n_purposes && c->purposes[lo].id == t->id ? c->purposes[lo].bits : 0;
    return bits | 1u << t->purpose;
}

static bk_err list_one(void *ud, const store_ticket *t)
{
    list_ctx *c = ud;
    queue_view v;
    memset(&v, 0, sizeof v);
    v.t = *t;
    v.t.purposes = list_purposes_of(c, t);
    v.position = -1;
    v.eta_minutes = -1;
    bk_err e;
    if (t->officer[0]) {
        if (c->last_officer_found < 0 || strcmp(c->last_officer.id, t->officer) != 0) {
            e = store_officer_get(c->q->st, t->officer, &c->last_officer);
            if (e && e != BK_ERR_NOT_FOUND) return e;
            if (e) snprintf(c->last_officer.id, sizeof c->last_officer.id, "%s", t->officer);
            c->last_officer_found = e == BK_OK;
        }
        v.has_officer = c->last_officer_found == 1;
        if (v.has_officer) v.officer = c->last_officer;
    }
    if (t->status == BK_STATUS_WAITING) {
        int k;
        for (k = 0; k < c->nqueues; k++)
            if (strcmp(c->queues[k].officer, t->officer) == 0) break;
        if (k == c->nqueues) {
            if (c->nqueues == (int)(sizeof c->queues / sizeof c->queues[0])) {
                /* More queues than cached: compute directly. */
                int ahead = 0, med = 0;
                if ((e = store_ticket_ahead(c->q->st, t, &ahead))) return e;
                if ((e = median_minutes(c->q, t->officer, t->purpose, &med))) return e;
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
    if (!c) return BK_ERR_NOMEM;
    c->q = q;
    c->cb = cb;
    c->ud = ud;
    c->last_officer_found = -1;
    char today[11];
    queue_today(q, today);
    bk_err e = store_begin(q->st, STORE_TX_READ);
    if (e == BK_OK) {
        e = store_ticket_purposes_day(q->st, today, officer ? queue_key(officer) : NULL,
                                      status_mask, add_purpose, c);
        if (e == BK_OK)
            e = store_ticket_list(q->st, today, officer ? queue_key(officer) : NULL, status_mask,
                                  list_one, c);
        store_rollback(q->st);
    }
    free(c->purposes);
    free(c);
    return e;
}
