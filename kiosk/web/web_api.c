/* web_api.c — the office server's endpoints (contract: web.md): the login,
 * the route table with each endpoint's roles, and the handlers, which call
 * the same core functions as the desk, reception and bapasctl (queue.h,
 * account.h, report.h; no SQL here).
 *
 * Roles (bk_role): reception does what reception does today; a pk acts only
 * on tickets routed to their officer or of clients assigned to them, and
 * calls only their own queue; head reads everything and the reports and
 * changes nothing; admin manages users and the office data (presence,
 * number locks) and reads everything. Every request but the login needs a
 * live session (401); every POST the session's X-CSRF-Token (403 csrf);
 * a role outside the route's mask gets 403 forbidden before anything reaches
 * the store.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otime.h"
#include "qjson.h"
#include "token.h"
#include "valid.h"
#include "web_priv.h"

#define R_REC (1u << BK_ROLE_RECEPTION)
#define R_PK (1u << BK_ROLE_PK)
#define R_HEAD (1u << BK_ROLE_HEAD)
#define R_ADMIN (1u << BK_ROLE_ADMIN)
#define R_ALL (R_REC | R_PK | R_HEAD | R_ADMIN)

static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *web_me_json(const store_user *u, const web_session *s)
{
    return json_pack("{s:s, s:s, s:o, s:s}", "user", u->name, "role", bk_role_name(u->role),
                     "officer", text_or_null(u->officer), "csrf", s->csrf);
}

/* ---- request bodies ------------------------------------------------------ */

/* c->body's string field `key` (NULL when absent); a present field that is
 * not a string without NUL is *bad = 1. */
static const char *field(web_call *c, const char *key, int *bad)
{
    json_t *v = c->body ? json_object_get(c->body, key) : NULL;
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

/* Parse the body: empty, or a JSON object whose keys are all in `allowed`
 * (NULL-terminated) and whose values are strings or null. 0 and a 400
 * answer when it is not. */
static int parse_body(web_call *c, const char *const *allowed)
{
    if (c->rq->len == 0) return 1;
    json_error_t je;
    c->body = json_loadb(c->rq->body, c->rq->len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(c->body)) {
        web_fail(c, MHD_HTTP_BAD_REQUEST, "invalid", "the body must be a JSON object");
        return 0;
    }
    const char *k;
    json_t *v;
    json_object_foreach(c->body, k, v)
    {
        int ok = 0;
        for (size_t i = 0; allowed && allowed[i]; i++)
            if (strcmp(k, allowed[i]) == 0) ok = 1;
        if (!ok) {
            char m[120];
            snprintf(m, sizeof m, "unknown field \"%.60s\"", k);
            web_fail(c, MHD_HTTP_BAD_REQUEST, "invalid", m);
            return 0;
        }
        if (!json_is_string(v) && !json_is_null(v)) {
            char m[120];
            snprintf(m, sizeof m, "field \"%.60s\" must be text", k);
            web_fail(c, MHD_HTTP_BAD_REQUEST, "invalid", m);
            return 0;
        }
    }
    return 1;
}

static int bad_input(web_call *c, const char *what, const char *why)
{
    char m[200];
    snprintf(m, sizeof m, "%s %s", what, why ? why : "is invalid");
    web_fail(c, MHD_HTTP_BAD_REQUEST, "invalid", m);
    return 0;
}

static void forbidden(web_call *c, const char *why)
{
    web_fail(c, MHD_HTTP_FORBIDDEN, "forbidden", why);
}

/* ---- the login (without mu) --------------------------------------------- */

void web_login(web_call *c)
{
    web_server *w = c->w;
    if (strcmp(c->method, "POST") != 0) {
        web_fail(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method", "use POST");
        return;
    }
    json_error_t je;
    json_t *j = json_loadb(c->rq->body, c->rq->len, JSON_REJECT_DUPLICATES, &je);
    json_t *ju = json_object_get(j, "user"), *jp = json_object_get(j, "password");
    int ok = json_is_object(j) && json_object_size(j) == 2 && json_is_string(ju) &&
             json_is_string(jp) && strlen(json_string_value(ju)) == json_string_length(ju) &&
             strlen(json_string_value(jp)) == json_string_length(jp);
    if (!ok) {
        json_decref(j);
        web_fail(c, MHD_HTTP_BAD_REQUEST, "invalid",
                 "the body must be {\"user\": TEXT, \"password\": TEXT}");
        return;
    }
    const char *user = json_string_value(ju), *pw = json_string_value(jp);
    char name[STORE_USER_NAME_SZ];
    snprintf(name, sizeof name, "%s", strlen(user) < sizeof name ? user : "");
    for (char *p = name; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    struct in_addr ip = {0};
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        ip = ((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr;

    pthread_mutex_lock(&w->mu);
    int allowed = web_addr_allowed(w, ip);
    pthread_mutex_unlock(&w->mu);
    if (!allowed) {
        json_decref(j);
        web_fail(c, MHD_HTTP_TOO_MANY_REQUESTS, "too_many",
                 "too many failed logins from this address; wait 15 minutes");
        return;
    }
    account_result res = ACCOUNT_BAD;
    store_user u;
    pthread_mutex_lock(&w->login_mu);
    bk_err e = account_login(&w->acct, name, pw, web_now(w), &res, &u);
    pthread_mutex_unlock(&w->login_mu);
    json_decref(j);
    if (e) {
        web_fail(c, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", "database error");
        return;
    }
    pthread_mutex_lock(&w->mu);
    if (res != ACCOUNT_OK) { /* one answer for unknown, wrong, locked and disabled */
        web_addr_failed(w, ip);
        pthread_mutex_unlock(&w->mu);
        web_fail(c, MHD_HTTP_UNAUTHORIZED, "unauthorized",
                 "wrong user name or password, or the account is locked");
        return;
    }
    web_session *s = web_session_new(w, u.name);
    if (!s) {
        pthread_mutex_unlock(&w->mu);
        web_fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "no random bytes");
        return;
    }
    snprintf(c->cookie_buf, sizeof c->cookie_buf,
             WEB_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", s->id,
             w->tls ? "; Secure" : "");
    c->cookie = c->cookie_buf;
    web_ok(c, web_me_json(&u, s));
    pthread_mutex_unlock(&w->mu);
}

/* ---- helpers of the handlers -------------------------------------------- */

/* A pk's claim on a ticket: routed to their officer or of their client. */
static int pk_owns(const web_call *c, const store_ticket *t)
{
    const char *mine = c->u.officer;
    return mine[0] && (strcmp(t->officer, mine) == 0 || strcmp(t->assigned, mine) == 0);
}

/* A view as JSON with the client's name (staff may see it). */
static json_t *view_json(web_call *c, const queue_view *v)
{
    json_t *o = qjson_view(v);
    if (!o) return NULL;
    const char *name = NULL;
    store_client cl;
    if (v->t.client_no[0]) {
        if (store_client_get(c->w->st, v->t.client_no, &cl) == BK_OK) name = cl.name;
    } else if (v->t.walkin_name[0]) {
        name = v->t.walkin_name;
    }
    json_object_set_new(o, "client_name", text_or_null(name));
    return o;
}

static void answer_view(web_call *c, bk_err e, const queue_view *v, const char *what)
{
    if (e) {
        web_fail_err(c, e, what);
        return;
    }
    json_t *j = view_json(c, v);
    if (!j) {
        web_fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
        return;
    }
    web_ok(c, j);
}

static const char *query(web_call *c, const char *key)
{
    return MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, key);
}

/* ---- handlers ------------------------------------------------------------- */

static void h_me(web_call *c, const char *arg)
{
    (void)arg;
    web_ok(c, web_me_json(&c->u, c->s));
}

static void h_logout(web_call *c, const char *arg)
{
    (void)arg;
    web_session_end(c->s);
    c->s = NULL;
    web_events_kick(c->w);
    c->cookie = WEB_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    web_ok(c, json_pack("{s:b}", "ok", 1));
}

static void h_events(web_call *c, const char *arg)
{
    (void)arg;
    c->resp = web_events_response(c->w, c->s, c->conn);
    if (!c->resp) web_fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
}

typedef struct list_ctx {
    web_call *c;
    json_t *arr;
} list_ctx;

static bk_err list_row(void *ud, const queue_view *v)
{
    list_ctx *l = ud;
    if (l->c->u.role == BK_ROLE_PK && !pk_owns(l->c, &v->t)) return BK_OK;
    json_t *j = view_json(l->c, v);
    if (!j || json_array_append_new(l->arr, j)) return BK_ERR_NOMEM;
    return BK_OK;
}

static void h_queue(web_call *c, const char *arg)
{
    (void)arg;
    const char *officer = query(c, "officer"), *all = query(c, "all");
    if (officer && !*officer) officer = NULL;
    const char *why = NULL;
    if (officer && strcmp(officer, STORE_RECEPTION) && valid_officer_id(officer, &why)) {
        bad_input(c, "officer", why);
        return;
    }
    if (all && strcmp(all, "0") && strcmp(all, "1")) {
        bad_input(c, "all", "must be 0 or 1");
        return;
    }
    if (c->u.role == BK_ROLE_PK && officer && strcmp(officer, c->u.officer)) {
        forbidden(c, "a PK sees only their own officer's queue");
        return;
    }
    store_officer o;
    if (officer && strcmp(officer, STORE_RECEPTION)) {
        bk_err e = store_officer_get(c->w->st, officer, &o);
        if (e) {
            web_fail_err(c, e, "officer");
            return;
        }
    }
    unsigned mask = all && strcmp(all, "1") == 0 ? STORE_ST_ALL : STORE_ST_OPEN;
    list_ctx l = {c, json_array()};
    bk_err e = l.arr ? queue_list(&c->w->q, officer, mask, list_row, &l) : BK_ERR_NOMEM;
    if (e) {
        json_decref(l.arr);
        web_fail_err(c, e, "queue");
        return;
    }
    char day[11];
    queue_today(&c->w->q, day);
    web_ok(c, json_pack("{s:s, s:o, s:o}", "office_day", day, "officer", text_or_null(officer),
                        "tickets", l.arr));
}

static void h_call_next(web_call *c, const char *officer)
{
    static const char *const none[] = {NULL};
    if (!parse_body(c, none)) return;
    const char *why = NULL;
    if (strcmp(officer, STORE_RECEPTION) && valid_officer_id(officer, &why)) {
        bad_input(c, "officer", why);
        return;
    }
    if (c->u.role == BK_ROLE_PK && strcmp(officer, c->u.officer)) {
        forbidden(c, "a PK calls only their own queue");
        return;
    }
    queue_view v;
    bk_err e = queue_call_next(&c->w->q, officer, &v);
    if (e == BK_ERR_NOT_FOUND) {
        store_officer o;
        if (strcmp(officer, STORE_RECEPTION) && store_officer_get(c->w->st, officer, &o))
            web_fail(c, MHD_HTTP_NOT_FOUND, "not_found", "no such officer");
        else
            web_fail(c, MHD_HTTP_NOT_FOUND, "empty", "nobody is waiting");
        return;
    }
    answer_view(c, e, &v, "call-next");
}

/* The ticket named in the path, checked against the caller's role. */
static int ticket_of(web_call *c, const char *arg, queue_view *v)
{
    int64_t id;
    if (strlen(arg) > 20 || queue_resolve(&c->w->q, arg, &id)) {
        bad_input(c, "ticket", "must be a ticket id or today's code such as A-007");
        return 0;
    }
    bk_err e = queue_get(&c->w->q, id, v);
    if (e) {
        web_fail_err(c, e, "ticket");
        return 0;
    }
    if (c->u.role == BK_ROLE_PK && !pk_owns(c, &v->t)) {
        forbidden(c, "a PK acts only on their own officer's tickets");
        return 0;
    }
    return 1;
}

static void h_ticket_get(web_call *c, const char *arg)
{
    queue_view v;
    if (ticket_of(c, arg, &v)) answer_view(c, BK_OK, &v, "ticket");
}

typedef enum tact { T_RECALL, T_START, T_DONE, T_NO_SHOW, T_CANCEL, T_PRIORITY, T_TRANSFER } tact;

static void ticket_action(web_call *c, const char *arg, tact what)
{
    static const char *const none[] = {NULL};
    static const char *const done_f[] = {"outcome", NULL};
    static const char *const transfer_f[] = {"to", "reason", NULL};
    static const char *const names[] = {"recall", "start",    "done",    "no-show",
                                        "cancel", "priority", "transfer"};
    if (!parse_body(c, what == T_DONE ? done_f : what == T_TRANSFER ? transfer_f : none)) return;
    int bad = 0;
    const char *outcome = field(c, "outcome", &bad), *to = field(c, "to", &bad),
               *reason = field(c, "reason", &bad);
    if (bad) {
        bad_input(c, "the body", "has a field that is not text");
        return;
    }
    bk_outcome oc = BK_OUTCOME_NONE;
    if (what == T_DONE && (!outcome || bk_outcome_parse(outcome, &oc) || oc == BK_OUTCOME_NONE)) {
        bad_input(c, "outcome", "is required: counseled, admin or referred");
        return;
    }
    const char *why = NULL;
    if (what == T_TRANSFER) {
        if (!to || (strcmp(to, STORE_RECEPTION) && valid_officer_id(to, &why))) {
            bad_input(c, "to", why ? why : "is required: an officer id or reception");
            return;
        }
        if (reason && valid_text(reason, VALID_REASON_MAX, 0, &why)) {
            bad_input(c, "reason", why);
            return;
        }
    }
    queue_view v;
    if (!ticket_of(c, arg, &v)) return;
    int64_t id = v.t.id;
    queue_ctx *q = &c->w->q;
    bk_err e = BK_OK;
    switch (what) {
    case T_RECALL:
        e = queue_recall(q, id, &v);
        break;
    case T_START:
        e = queue_start(q, id, c->u.role == BK_ROLE_PK ? c->u.officer : NULL, &v);
        break;
    case T_DONE:
        e = queue_done(q, id, oc, &v);
        break;
    case T_NO_SHOW:
        e = queue_no_show(q, id, &v);
        break;
    case T_CANCEL:
        e = queue_cancel(q, id, &v);
        break;
    case T_PRIORITY:
        e = queue_priority(q, id, &v);
        break;
    case T_TRANSFER:
        if (strcmp(to, STORE_RECEPTION)) { /* present PKs only, as reception's screen */
            char day[11];
            int present = 0;
            queue_today(q, day);
            e = queue_officer_present(q, day, to, &present, NULL);
            if (e) {
                web_fail_err(c, e, "transfer: officer");
                return;
            }
            if (!present) {
                web_fail(c, MHD_HTTP_CONFLICT, "absent",
                         "transfer: that officer is not present today");
                return;
            }
        }
        e = queue_transfer(q, id, to, reason, &v);
        break;
    }
    answer_view(c, e, &v, names[what]);
}

#define TICKET_HANDLER(fn, what)                                                                   \
    static void fn(web_call *c, const char *arg)                                                   \
    {                                                                                              \
        ticket_action(c, arg, what);                                                               \
    }
TICKET_HANDLER(h_recall, T_RECALL)
TICKET_HANDLER(h_start, T_START)
TICKET_HANDLER(h_done, T_DONE)
TICKET_HANDLER(h_no_show, T_NO_SHOW)
TICKET_HANDLER(h_cancel, T_CANCEL)
TICKET_HANDLER(h_priority, T_PRIORITY)
TICKET_HANDLER(h_transfer, T_TRANSFER)

static void h_walkin(web_call *c, const char *arg)
{
    (void)arg;
    static const char *const f[] = {"purpose", "name", "key", NULL};
    if (!parse_body(c, f)) return;
    int bad = 0;
    const char *purpose = field(c, "purpose", &bad), *name = field(c, "name", &bad),
               *key = field(c, "key", &bad);
    const char *why = NULL;
    bk_purpose p;
    if (bad || !purpose || bk_purpose_parse(purpose, &p)) {
        bad_input(c, "purpose", "is required: one of the purposes (report, counseling, ...)");
        return;
    }
    if (name && valid_text(name, VALID_NAME_MAX, 0, &why)) {
        bad_input(c, "name", why);
        return;
    }
    char fresh[TOKEN_CHARS + 1];
    if (key && !token_valid(key)) {
        bad_input(c, "key", "must be a key this server gave");
        return;
    }
    if (!key) {
        if (token_random(fresh)) {
            web_fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "no random bytes");
            return;
        }
        key = fresh;
    }
    queue_view v;
    bk_err e = queue_walkin_key(&c->w->q, p, name, key, &v);
    if (e == BK_ERR_IO) {
        char m[200];
        snprintf(m, sizeof m,
                 "walk-in: the database connection was lost; send the same request with "
                 "\"key\": \"%s\" again, which cannot make a second ticket",
                 key);
        web_fail(c, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", m);
        json_object_set_new(c->out, "key", json_string(key));
        return;
    }
    answer_view(c, e, &v, "walk-in");
    if (!e && c->out) json_object_set_new(c->out, "key", json_string(key));
}

typedef struct pres_ctx {
    web_call *c;
    json_t *arr;
    char today[11];
} pres_ctx;

static bk_err pres_row(void *ud, const store_officer *o)
{
    pres_ctx *l = ud;
    int present = 0;
    store_presence p;
    bk_err e = queue_officer_present(&l->c->w->q, l->today, o->id, &present, &p);
    if (e) return e;
    json_t *j =
        json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:o}", "id", o->id, "name", o->name, "room",
                  o->room, "active", o->active, "present_today", present, "status_today",
                  bk_presence_name(p.status), "substitute_today", text_or_null(p.substitute));
    if (!j || json_array_append_new(l->arr, j)) return BK_ERR_NOMEM;
    return BK_OK;
}

static void h_presence_get(web_call *c, const char *arg)
{
    (void)arg;
    pres_ctx l = {c, json_array(), ""};
    queue_today(&c->w->q, l.today);
    bk_err e = l.arr ? store_officer_list(c->w->st, pres_row, &l) : BK_ERR_NOMEM;
    if (e) {
        json_decref(l.arr);
        web_fail_err(c, e, "presence");
        return;
    }
    web_ok(c, json_pack("{s:s, s:o}", "office_day", l.today, "officers", l.arr));
}

static void h_presence_set(web_call *c, const char *arg)
{
    (void)arg;
    static const char *const f[] = {"officer", "status", "substitute", NULL};
    if (!parse_body(c, f)) return;
    int bad = 0;
    const char *officer = field(c, "officer", &bad), *status = field(c, "status", &bad),
               *sub = field(c, "substitute", &bad);
    const char *why = NULL;
    bk_presence ps;
    if (bad || !officer || valid_officer_id(officer, &why)) {
        bad_input(c, "officer", why ? why : "is required");
        return;
    }
    if (!status || bk_presence_parse(status, &ps)) {
        bad_input(c, "status", "is required: present, absent, ...");
        return;
    }
    if (sub && *sub && valid_officer_id(sub, &why)) {
        bad_input(c, "substitute", why);
        return;
    }
    if (c->u.role == BK_ROLE_PK && strcmp(officer, c->u.officer)) {
        forbidden(c, "a PK sets only their own presence");
        return;
    }
    bk_err e = queue_presence_set(&c->w->q, NULL, officer, ps, sub);
    if (e) {
        web_fail_err(c, e, "presence");
        return;
    }
    web_ok(c, json_pack("{s:b, s:s, s:s, s:o}", "ok", 1, "officer", officer, "status",
                        bk_presence_name(ps), "substitute", text_or_null(sub)));
}

static bk_err lock_row(void *ud, const char *no, int64_t at)
{
    char iso[21];
    otime_iso_utc(at, iso);
    json_t *j = json_pack("{s:s, s:s}", "client_no", no, "locked_at", iso);
    if (!j || json_array_append_new(ud, j)) return BK_ERR_NOMEM;
    return BK_OK;
}

static void h_locks(web_call *c, const char *arg)
{
    (void)arg;
    json_t *arr = json_array();
    bk_err e = arr ? store_lock_list(c->w->st, lock_row, arr) : BK_ERR_NOMEM;
    if (e) {
        json_decref(arr);
        web_fail_err(c, e, "locks");
        return;
    }
    web_ok(c, json_pack("{s:o}", "locks", arr));
}

static void h_unlock(web_call *c, const char *no)
{
    static const char *const none[] = {NULL};
    if (!parse_body(c, none)) return;
    const char *why = NULL;
    if (valid_client_no(no, &why)) {
        bad_input(c, "client number", why);
        return;
    }
    int locked = 0;
    bk_err e = store_lock_get(c->w->st, no, &locked);
    if (!e && !locked) e = BK_ERR_NOT_FOUND;
    if (!e) e = queue_unlock(&c->w->q, no);
    if (e) {
        web_fail_err(c, e, "unlock: lock");
        return;
    }
    web_ok(c, json_pack("{s:b, s:s}", "ok", 1, "client_no", no));
}

static void h_report(web_call *c, const char *name)
{
    report_params p;
    memset(&p, 0, sizeof p);
    if (report_kind_parse(name, &p.kind)) {
        web_fail(c, MHD_HTTP_NOT_FOUND, "not_found",
                 "no such report (daily, missed, continuity, outcomes, waits)");
        return;
    }
    const char *from = query(c, "from"), *to = query(c, "to"), *officer = query(c, "officer"),
               *format = query(c, "format");
    const char *why = NULL;
    if (format && strcmp(format, "json") && strcmp(format, "html")) {
        bad_input(c, "format", "is json or html");
        return;
    }
    if (officer && *officer) {
        if (strcmp(officer, STORE_RECEPTION) && valid_officer_id(officer, &why)) {
            bad_input(c, "officer", why);
            return;
        }
        snprintf(p.officer, sizeof p.officer, "%s", officer);
    }
    if ((from && valid_date_input(from, p.from, &why)) ||
        (to && valid_date_input(to, p.to, &why))) {
        bad_input(c, from && valid_date_input(from, p.from, NULL) ? "from" : "to", why);
        return;
    }
    char today[11];
    queue_today(&c->w->q, today);
    if (!to) memcpy(p.to, p.kind == REPORT_DAILY && from ? p.from : today, 11);
    if (!from) {
        if (p.kind == REPORT_DAILY)
            memcpy(p.from, p.to, 11);
        else
            otime_day_add(p.to, -29, p.from);
    }
    int span = 0;
    if (otime_day_diff(p.from, p.to, &span) || span < 0 || span > 3660) {
        bad_input(c, "from", "must be on or before to, at most ten years apart");
        return;
    }
    p.utc_offset_min = c->w->q.utc_offset_min;
    p.generated_at = queue_now(&c->w->q);
    report *r = NULL;
    bk_err e = report_build(c->w->st, &p, &r);
    if (e) {
        web_fail_err(c, e, "report");
        return;
    }
    if (format && strcmp(format, "html") == 0) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        e = f ? report_write_html(r, f, c->w->cf.office_name, NULL, NULL) : BK_ERR_NOMEM;
        if (f && fclose(f) && !e) e = BK_ERR_NOMEM;
        if (e) {
            free(buf);
            web_fail_err(c, e, "report");
        } else {
            c->status = MHD_HTTP_OK;
            c->raw = buf;
            c->raw_len = len;
            c->raw_type = "text/html; charset=utf-8";
        }
    } else {
        json_t *j = qjson_report(r);
        if (j)
            web_ok(c, j);
        else
            web_fail(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
    }
    report_free(r);
}

typedef struct users_ctx {
    json_t *arr;
    int64_t now;
} users_ctx;

static bk_err user_row(void *ud, const store_user *u)
{
    users_ctx *l = ud;
    json_t *j = json_pack("{s:s, s:s, s:o, s:b, s:b, s:i}", "name", u->name, "role",
                          bk_role_name(u->role), "officer", text_or_null(u->officer), "disabled",
                          u->disabled, "locked", account_locked(u, l->now), "failed", u->failed);
    if (!j || json_array_append_new(l->arr, j)) return BK_ERR_NOMEM;
    return BK_OK;
}

static void h_users(web_call *c, const char *arg)
{
    (void)arg;
    users_ctx l = {json_array(), web_now(c->w)};
    bk_err e = l.arr ? store_user_list(c->w->st, user_row, &l) : BK_ERR_NOMEM;
    if (e) {
        json_decref(l.arr);
        web_fail_err(c, e, "users");
        return;
    }
    web_ok(c, json_pack("{s:o}", "users", l.arr));
}

typedef enum uact { U_UNLOCK, U_DISABLE, U_ENABLE } uact;

static void user_change(web_call *c, const char *name, uact what)
{
    static const char *const none[] = {NULL};
    static const char *const actions[] = {"user_unlock", "user_disable", "user_enable"};
    if (!parse_body(c, none)) return;
    const char *why = NULL;
    if (valid_user_name(name, &why)) {
        bad_input(c, "user", why);
        return;
    }
    if (what == U_DISABLE && strcmp(name, c->u.name) == 0) {
        web_fail(c, MHD_HTTP_CONFLICT, "self", "an admin cannot disable their own account");
        return;
    }
    store *st = c->w->st;
    int64_t now = web_now(c->w);
    store_user u;
    bk_err e = store_begin(st, STORE_TX_WRITE);
    if (!e) e = store_user_get(st, name, &u);
    if (!e) {
        if (what == U_UNLOCK) {
            u.failed = 0;
            u.locked_until = 0;
        } else {
            u.disabled = what == U_DISABLE;
        }
        u.changed_at = now;
        e = store_user_update(st, &u);
    }
    char detail[64];
    snprintf(detail, sizeof detail, "user %s", name);
    if (!e) e = store_audit_add(st, now, c->w->actor, actions[what], 0, NULL, detail);
    if (!e) e = store_commit(st);
    memset(u.hash, 0, sizeof u.hash);
    if (e) {
        store_rollback(st);
        web_fail_err(c, e, "user");
        return;
    }
    /* a disabled user's sessions end now */
    if (what == U_DISABLE)
        for (int i = 0; i < WEB_SESSIONS; i++)
            if (c->w->sess[i].used && strcmp(c->w->sess[i].user, name) == 0)
                web_session_end(&c->w->sess[i]);
    if (what == U_DISABLE) web_events_kick(c->w);
    web_ok(c, json_pack("{s:s, s:s, s:o, s:b, s:b}", "name", u.name, "role", bk_role_name(u.role),
                        "officer", text_or_null(u.officer), "disabled", u.disabled, "locked",
                        account_locked(&u, now)));
}

static void h_user_unlock(web_call *c, const char *name)
{
    user_change(c, name, U_UNLOCK);
}
static void h_user_disable(web_call *c, const char *name)
{
    user_change(c, name, U_DISABLE);
}
static void h_user_enable(web_call *c, const char *name)
{
    user_change(c, name, U_ENABLE);
}

/* ---- the route table ------------------------------------------------------- */

typedef struct route {
    const char *method;
    const char *path; /* after "/api"; one "*" = one path segment, the handler's arg */
    unsigned roles;
    void (*fn)(web_call *c, const char *arg);
} route;

static const route routes[] = {
    {"GET", "/me", R_ALL, h_me},
    {"POST", "/logout", R_ALL, h_logout},
    {"GET", "/events", R_ALL, h_events},
    {"GET", "/queue", R_ALL, h_queue},
    {"POST", "/officers/*/call-next", R_REC | R_PK, h_call_next},
    {"GET", "/tickets/*", R_ALL, h_ticket_get},
    {"POST", "/tickets/*/recall", R_REC | R_PK, h_recall},
    {"POST", "/tickets/*/start", R_REC | R_PK, h_start},
    {"POST", "/tickets/*/done", R_REC | R_PK, h_done},
    {"POST", "/tickets/*/no-show", R_REC | R_PK, h_no_show},
    {"POST", "/tickets/*/cancel", R_REC | R_PK, h_cancel},
    {"POST", "/tickets/*/priority", R_REC | R_PK, h_priority},
    {"POST", "/tickets/*/transfer", R_REC | R_PK, h_transfer},
    {"POST", "/walkins", R_REC, h_walkin},
    {"GET", "/presence", R_ALL, h_presence_get},
    {"POST", "/presence", R_REC | R_PK | R_ADMIN, h_presence_set},
    {"GET", "/locks", R_REC | R_HEAD | R_ADMIN, h_locks},
    {"POST", "/locks/*/unlock", R_REC | R_ADMIN, h_unlock},
    {"GET", "/reports/*", R_HEAD | R_ADMIN, h_report},
    {"GET", "/users", R_HEAD | R_ADMIN, h_users},
    {"POST", "/users/*/unlock", R_REC | R_ADMIN, h_user_unlock},
    {"POST", "/users/*/disable", R_ADMIN, h_user_disable},
    {"POST", "/users/*/enable", R_ADMIN, h_user_enable},
};

/* 1 if path matches pattern; *arg (of argsz) receives the "*" segment. */
static int match(const char *pattern, const char *path, char *arg, size_t argsz)
{
    while (*pattern) {
        if (*pattern == '*') {
            size_t n = strcspn(path, "/");
            if (n == 0 || n >= argsz) return 0;
            memcpy(arg, path, n);
            arg[n] = 0;
            path += n;
            pattern++;
        } else if (*pattern++ != *path++) {
            return 0;
        }
    }
    return *path == 0;
}

void web_api(web_call *c)
{
    web_server *w = c->w;
    const char *path = c->url + 4;
    const route *r = NULL;
    int wrong_method = 0;
    char arg[64] = "";
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!match(routes[i].path, path, arg, sizeof arg)) continue;
        if (strcmp(routes[i].method, c->method) == 0) {
            r = &routes[i];
            break;
        }
        wrong_method = 1;
    }
    if (!r) {
        if (wrong_method)
            web_fail(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method", "this path takes another method");
        else
            web_fail(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
        return;
    }
    c->s = web_session_of(w, c->conn);
    if (!c->s) {
        web_fail(c, MHD_HTTP_UNAUTHORIZED, "unauthorized", "log in first");
        return;
    }
    /* the account must still be allowed in: a disabled or removed user's
     * session dies here */
    if (store_user_get(w->st, c->s->user, &c->u) || c->u.disabled) {
        web_session_end(c->s);
        c->s = NULL;
        web_fail(c, MHD_HTTP_UNAUTHORIZED, "unauthorized", "log in first");
        return;
    }
    memset(c->u.hash, 0, sizeof c->u.hash);
    if (strcmp(c->method, "POST") == 0) {
        const char *tok = MHD_lookup_connection_value(c->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!tok || !web_ct_equal(tok, c->s->csrf)) {
            web_fail(c, MHD_HTTP_FORBIDDEN, "csrf", "missing or wrong X-CSRF-Token header");
            return;
        }
    }
    c->s->last = web_now(w);
    if (!(r->roles & (1u << c->u.role))) {
        char m[96];
        snprintf(m, sizeof m, "the role %s may not do this", bk_role_name(c->u.role));
        forbidden(c, m);
        return;
    }
    if (c->u.role == BK_ROLE_PK && !c->u.officer[0]) {
        forbidden(c, "this PK account names no officer");
        return;
    }
    snprintf(w->actor, sizeof w->actor, "web:%s", c->u.name);
    store_set_actor(w->st, w->actor);
    r->fn(c, arg);
}
