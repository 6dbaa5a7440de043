/* queue.h — the queue rules: check-in, routing, positions, waits, and every
 * ticket action. No SQL here (that is the store's) and no SDL.
 *
 * Every action runs in one write transaction of the store, retried on
 * BK_ERR_RETRY, and writes one audit row per change: each runs through
 * queue_run() (below), the one place that retries and handles a commit of
 * unknown outcome. A queue_ctx is plain
 * data owned by the caller; it borrows the store and strings it points at.
 *
 * Nothing is done twice on retry. A commit that fails with BK_ERR_IO (the
 * connection was lost after COMMIT was sent) may have gone through; the
 * action then re-reads in a new write transaction before anything else:
 * check-in finds its ticket (open tickets are returned anyway), a walk-in
 * looks up its request key, call-next and the ticket actions compare the
 * ticket with what they wrote, and run again only if nothing happened
 * (BK_ERR_STATE if someone else changed the ticket meanwhile). If even that
 * fails (the server is still away), BK_ERR_IO reaches the caller and the
 * outcome is unknown: re-read before acting again, or, for a walk-in, retry
 * with the same request key (queue_walkin_key).
 */
#ifndef BK_QUEUE_H
#define BK_QUEUE_H

#include <stdint.h>

#include "bkerr.h"
#include "store.h"

#define QUEUE_LOCKOUT_DEFAULT 5
#define QUEUE_SERVICE_MIN_DEFAULT 10
#define QUEUE_MEDIAN_WINDOW 20 /* recent visits used for the median */

typedef struct queue_ctx {
    store *st;               /* borrowed */
    int utc_offset_min;      /* office zone */
    int lockout_limit;       /* wrong birth dates per day before lock; 0 = default 5 */
    int default_service_min; /* estimated minutes per visit without history; 0 = 10 */
    const char *actor;       /* recorded in the audit log, e.g. "kiosk:lobby1" */
    int64_t fixed_now;       /* 0 = wall clock; else the instant to use (tests, demo) */
    unsigned working_days;   /* the office's open weekdays (cfg.working_days); 0 = Mon-Fri */
#ifdef BK_TEST_HOOKS
    /* Tests (a build with BK_TEST_HOOKS): the next N attempts of queue_run
     * that would commit fail with BK_ERR_RETRY instead, their writes rolled
     * back, as a server's serialization failure would. 0 = none. */
    int test_retry_faults;
#endif
} queue_ctx;

/* A ticket as every surface shows it. */
typedef struct queue_view {
    store_ticket t;
    store_officer officer; /* the officer routed to; valid when has_officer */
    int has_officer;
    int position;      /* waiting tickets ahead in the same queue; -1 if not waiting */
    int eta_minutes;   /* position x median service minutes; -1 if not waiting */
    int existing;      /* check-in returned an already open ticket; walk-in: an
                          earlier call with the same request key made it */
    int joined;        /* check-in: existing, and its purpose was added to that visit
                          (t.purposes has it) */
    int attempts_left; /* after BK_ERR_WRONG_BIRTH: tries before the lock */
    int failures; /* queue_identify after BK_ERR_WRONG_BIRTH / BK_ERR_NOT_FOUND / BK_ERR_LOCKED:
                     the number's wrong tries today, this one included (0 otherwise) */
} queue_view;

/* The instant the context considers "now", and its office day. */
int64_t queue_now(const queue_ctx *q);
void queue_today(const queue_ctx *q, char day[11]);

/* The letter of every ticket code since schema 9: one daily series, no
 * purpose in it (db/README.md, "Ticket codes"; pg/009_visits.sql the same). */
#define QUEUE_CODE_LETTER 'A'

/* 1 when the visit of ticket t has purpose p: its first purpose, or one
 * that joined it (t->purposes, where it was read). */
static inline int queue_visit_has(const store_ticket *t, bk_purpose p)
{
    return t->purpose == p || ((unsigned)p < BK_PURPOSE__COUNT && (t->purposes & 1u << p));
}

/* Purposes and their names: bk_purpose (domain.h).
 * An action given a purpose, outcome or presence status out of its enum's
 * range returns BK_ERR_INVALID. */

/* Check a client in. Order of checks: input validity (BK_ERR_INVALID), lock
 * (BK_ERR_LOCKED), client exists (BK_ERR_NOT_FOUND), birth date
 * (BK_ERR_WRONG_BIRTH; out->attempts_left set; the fifth miss of the day
 * locks the number and returns BK_ERR_LOCKED), client active (BK_ERR_ENDED).
 * Unknown numbers also count toward the lock.
 * One visit, one ticket (schema 9): while the client has an open ticket
 * today (waiting/called/serving), a check-in for any purpose returns it with
 * existing = 1; a purpose the visit lacks is added to it (joined = 1, audit
 * row purpose_add), except report once a report visit is done today. With
 * no open ticket, report after a done report visit today is BK_ERR_REPORTED
 * (nothing made); any other purpose after a done visit makes a new ticket.
 * out->t.purposes holds the visit's purposes. Codes: one daily series,
 * "A-001", whatever the purpose (db/README.md, "Ticket codes"). */
bk_err queue_checkin(queue_ctx *q, const char *client_no, const char *birth, bk_purpose purpose,
                     queue_view *out);

/* Check a client's number and birth date only, before a purpose is chosen
 * (the kiosk's step after [verify]). The same rules, order and counting as
 * queue_checkin: BK_ERR_INVALID, BK_ERR_LOCKED, BK_ERR_NOT_FOUND and
 * BK_ERR_WRONG_BIRTH (counted alike; out->attempts_left and out->failures
 * set; the miss that reaches the limit locks and returns BK_ERR_LOCKED),
 * BK_ERR_ENDED. A match clears the day's wrong tries and writes nothing
 * else. Nothing is remembered for the check-in: queue_checkin checks all of
 * it again. On PostgreSQL it is the server's bk_act_verify. */
bk_err queue_identify(queue_ctx *q, const char *client_no, const char *birth, queue_view *out);

/* A reception ticket for someone not in the system. name may be NULL.
 * = queue_walkin_key with a fresh key: a retry by the caller after an error
 * may make a second ticket; callers that retry use queue_walkin_key. */
bk_err queue_walkin(queue_ctx *q, bk_purpose purpose, const char *name, queue_view *out);

/* A walk-in that is done at most once per request key. key: a token
 * (token.h: token_random(), 26 characters A-Z 2-7) the caller makes once per
 * user intent and passes again when it retries that same walk-in after an
 * error; NULL = a fresh key (queue_walkin). The ticket gets the key as its
 * token. If a ticket with that token exists, it is returned with existing = 1
 * (whatever its status now) and nothing is written. BK_ERR_INVALID: bad
 * purpose, name or key; BK_ERR_EXISTS: the key is another request's (a
 * check-in's, or another purpose or name). */
bk_err queue_walkin_key(queue_ctx *q, bk_purpose purpose, const char *name, const char *key,
                        queue_view *out);

/* A reception ticket for a client at the kiosk who does not know their
 * number (issue 12 item 3): no client, purpose BK_PURPOSE_OTHER (none was
 * asked), routed to reception, reason BK_REASON_NO_NUMBER, which reception,
 * `bapasctl queue` and the reports show. Once per request key, as
 * queue_walkin_key (NULL = a fresh key); BK_ERR_EXISTS: the key is another
 * request's. On PostgreSQL it is the server's bk_act_no_number (schema 11). */
bk_err queue_no_number(queue_ctx *q, const char *key, queue_view *out);

/* Where a client checking in now would be routed: to the assigned officer if
 * present, else the named substitute if present, else reception ("").
 * *routed says which. Runs inside the caller's transaction if one is open. */
bk_err queue_route(queue_ctx *q, const char *day, const char *assigned, char officer[STORE_ID_SZ],
                   bk_routing *routed);

/* Whether an officer is present on a day: the day record, else the weekly
 * pattern, else present; never if inactive (see roster.h). */
bk_err queue_officer_present(queue_ctx *q, const char *day, const char *officer, int *present,
                             store_presence *rec);

/* Record presence; substitute may be NULL or "". day NULL = today. */
bk_err queue_presence_set(queue_ctx *q, const char *day, const char *officer, bk_presence status,
                          const char *substitute);

/* Ticket actions. officer "reception" (STORE_RECEPTION) names the reception queue.
 * BK_ERR_NOT_FOUND: no such ticket / nothing waiting; BK_ERR_STATE: the
 * ticket's status does not allow the action. */
bk_err queue_call_next(queue_ctx *q, const char *officer, queue_view *out);
bk_err queue_recall(queue_ctx *q, int64_t id, queue_view *out);
/* start: from called (or waiting, when a desk picks a scanned ticket); by =
 * the officer who serves (NULL = the ticket's officer). */
bk_err queue_start(queue_ctx *q, int64_t id, const char *by, queue_view *out);
/* outcome: counseled, admin or referred (BK_OUTCOME_NONE is BK_ERR_INVALID). */
bk_err queue_done(queue_ctx *q, int64_t id, bk_outcome outcome, queue_view *out);
bk_err queue_no_show(queue_ctx *q, int64_t id, queue_view *out);
bk_err queue_cancel(queue_ctx *q, int64_t id, queue_view *out);
bk_err queue_priority(queue_ctx *q, int64_t id, queue_view *out);
bk_err queue_transfer(queue_ctx *q, int64_t id, const char *to, const char *reason,
                      queue_view *out);

/* Unlock a client number and clear its failed attempts. */
bk_err queue_unlock(queue_ctx *q, const char *client_no);

/* A TICKET argument: today's code ("A-007", case-insensitive) or a numeric id. */
bk_err queue_resolve(queue_ctx *q, const char *arg, int64_t *id);

/* Fill a view (officer, position, eta, the visit's purposes) for a ticket id. */
bk_err queue_get(queue_ctx *q, int64_t id, queue_view *out);

/* Today's tickets of a queue (officer NULL = all, "reception" = reception)
 * with the given status mask, in queue order, as views, each with its
 * visit's purposes (t.purposes; on PostgreSQL the role must read
 * ticket_purposes: the kiosk, desk and reception roles do, the board not). */
typedef bk_err (*queue_view_cb)(void *ud, const queue_view *v);
bk_err queue_list(queue_ctx *q, const char *officer, unsigned status_mask, queue_view_cb cb,
                  void *ud);

/* Close every ticket still open from an earlier office day as no_show.
 * *closed (may be NULL) receives the count. */
bk_err queue_close_stale(queue_ctx *q, int *closed);

/* ---- the one way a write action runs ------------------------------------
 *
 * Every write action of the core (the ones above, roster.h's, qbulk.h's)
 * is a body run by queue_run(), which begins a write transaction, runs the
 * body, commits (or rolls back), and:
 *   - runs a new attempt, QUEUE_MAX_TRIES attempts in all, when one fails
 *     with BK_ERR_RETRY (a transient conflict; nothing of it stays), and
 *     with BK_ERR_EXISTS for an action that sets retry_exists (it inserts
 *     under a unique key a concurrent writer may have taken);
 *   - when a commit fails with BK_ERR_IO (its outcome is unknown, see the
 *     top of this file), calls the action's lost() and runs one verifying
 *     attempt (verify = 1) in a new write transaction, which holds the
 *     writer lock, so the lost transaction has ended, committed or not: the
 *     body tells from what it reads whether to run again. An action without
 *     lost() cannot tell, and BK_ERR_IO reaches its caller; so does a second
 *     BK_ERR_IO, and one from the commit of a recorded refusal (keep).
 * BK_ERR_BUSY is not retried: the store has waited its busy timeout.
 * queue_run's result is the last attempt's.
 *
 * Where the store runs the rules on the server (store_server_rules():
 * PostgreSQL), an action with a `server` attempt runs that instead of the
 * body: one store_call() of the server's function for the action (the same
 * rules, kiosk/ARCHITECTURE.md "One rule set"), inside store_begin(s,
 * STORE_TX_CALL). Its request key is made once per action, so an attempt
 * whose answer was lost (BK_ERR_IO from the call or the commit) or failed
 * (BK_ERR_RETRY) runs again with the same key and the server answers as
 * the first time, without doing it twice. */
#define QUEUE_MAX_TRIES 5

typedef struct queue_attempt {
    int verify;    /* in: the previous attempt's commit had an unknown outcome */
    int keep;      /* out: commit even though the body returns an error (a refusal
                      that is recorded: a counted wrong birth date, a lock) */
    int read_only; /* out: nothing to commit (the verify found the write done) */
    int final;     /* out: this error is the answer; do not retry it */
} queue_attempt;

typedef struct queue_action {
    /* One attempt, inside the write transaction queue_run began; it neither
     * begins, commits nor rolls back. a is reset (but verify) per attempt. */
    bk_err (*body)(queue_ctx *q, void *arg, queue_attempt *a);
    /* The commit of the attempt just made had an unknown outcome: keep what
     * the verifying attempt needs from arg. NULL: no verify (see above). */
    void (*lost)(void *arg);
    int retry_exists; /* BK_ERR_EXISTS means a concurrent insert: retry */
    /* The whole action as one call of the server's function (see above);
     * NULL: the body runs on every database. */
    bk_err (*server)(queue_ctx *q, void *arg, queue_attempt *a);
} queue_action;

bk_err queue_run(queue_ctx *q, const queue_action *act, void *arg);

#endif
