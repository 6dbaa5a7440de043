/* ctl_queue.c — bapasctl commands of the foundation: init, officers,
 * clients, check-in and every ticket action. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "ctl.h"
#include "paths.h"
#include "demo.h"
#include "otime.h"
#include "token.h"
#include "valid.h"

/* ---- shared output ----------------------------------------------------- */

/* The report questions' answers could not be read for a ticket's `flags`. */
static int fail_store_flags(ctl *c)
{
    return ctl_fail(c, BK_ERR_INTERNAL, "report answers: %s", c->st ? store_errmsg(c->st) : "");
}

static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *ctl_view_json(const queue_view *v)
{
    return qjson_view(v);
}

void ctl_view_print(const queue_view *v)
{
    const store_ticket *t = &v->t;
    printf("%-7s %-10s %-10s", t->code, bk_status_name(t->status), bk_purpose_name(t->purpose));
    for (int i = 0; i < BK_PURPOSE__COUNT; i++) /* the visit's other purposes */
        if (i != (int)t->purpose && (t->purposes & 1u << i))
            printf(" +%s", bk_purpose_name((bk_purpose)i));
    if (v->has_officer)
        printf(" %s (%s, %s)", v->officer.id, v->officer.name, v->officer.room);
    else
        printf(" reception");
    printf(" routed=%s", bk_routing_name(t->routed));
    if (v->position >= 0) printf(" ahead=%d eta=%dmin", v->position, v->eta_minutes);
    if (v->existing) printf(v->joined ? " [existing ticket, purpose added]" : " [existing ticket]");
    printf("\n");
}

static int emit_view(ctl *c, const queue_view *v)
{
    queue_view w = *v;
    /* An action's answer on PostgreSQL carries no purposes: read them. */
    if (!w.t.purposes && w.t.id && c->st) {
        bk_err e = store_ticket_purposes(c->st, w.t.id, &w.t.purposes);
        if (e) return ctl_fail(c, e, "the visit's purposes: %s", store_errmsg(c->st));
    }
    if (c->json) {
        json_t *o = ctl_view_json(&w);
        if (o && ctl_view_flags(c, o, &w)) {
            json_decref(o);
            return fail_store_flags(c);
        }
        return ctl_emit(c, o);
    }
    ctl_view_print(&w);
    ctl_view_flags_print(c, &w);
    return 0;
}

/* Turn a failed action into a message with the right exit code. */
static int fail_action(ctl *c, bk_err e, const char *what, const char *ref)
{
    switch (e) {
    case BK_ERR_NOT_FOUND:
        return ctl_fail(c, e, "%s: %s not found", what, ref);
    case BK_ERR_STATE:
        return ctl_fail(c, e, "%s: ticket %s is not in a state that allows this", what, ref);
    case BK_ERR_INVALID:
        return ctl_fail(c, e, "%s: invalid input", what);
    case BK_ERR_BUSY:
        return ctl_fail(c, e, "%s: the database is busy (locked by another process); try again",
                        what);
    case BK_ERR_IO:
        return ctl_fail(c, e,
                        "%s: the database connection was lost (%s); it may or may not have been "
                        "saved: check with `queue --all` or `show` before running it again",
                        what, c->st ? store_errmsg(c->st) : bk_err_name(e));
    default:
        return ctl_fail(c, e, "%s failed: %s", what, c->st ? store_errmsg(c->st) : bk_err_name(e));
    }
}

/* Reject a field with a clear message (exit 4). */
static int reject(ctl *c, const char *field, const char *why)
{
    return ctl_fail(c, BK_ERR_INVALID, "%s %s", ctl_tr(c, field),
                    ctl_tr(c, why ? why : "is invalid"));
}

/* ---- init -------------------------------------------------------------- */

int ctl_cmd_init(ctl *c, int argc, char **argv)
{
    int demo = 0;
    const ctl_opt_def opts[] = {CTL_FLAG("--demo", &demo), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    int bad = ctl_args(c, "init [--demo]", argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    int rc = ctl_open_create(c);
    if (rc) return rc;
    int loaded = 0;
    if (demo) {
        bk_err e = demo_load(&c->q);
        if (e && e != BK_ERR_EXISTS)
            return ctl_fail(c, e, "loading the demo office failed: %s", store_errmsg(c->st));
        loaded = e == BK_OK;
    }
    char shown[CFG_PATH_SZ];
    paths_display(c->db_path, shown, sizeof shown);
    if (c->json)
        return ctl_emit(c, json_pack("{s:s, s:i, s:b, s:b}", "database", shown, "schema_version",
                                     store_schema_version(c->st), "demo", demo, "demo_loaded",
                                     loaded));
    printf("database %s ready (schema version %d)\n", shown, store_schema_version(c->st));
    if (demo)
        printf(loaded ? "demo office loaded: 8 officers, 60 clients; PK03 is absent today "
                        "(substitute PK05)\n"
                      : "demo office already present; nothing changed\n");
    return 0;
}

/* ---- officers ---------------------------------------------------------- */

typedef struct officer_list_ctx {
    ctl *c;
    json_t *arr;
    char today[11];
} officer_list_ctx;

static bk_err officer_row(void *ud, const store_officer *o)
{
    officer_list_ctx *l = ud;
    int present = 0;
    store_presence p;
    bk_err e = queue_officer_present(&l->c->q, l->today, o->id, &present, &p);
    if (e) return e;
    if (l->arr) {
        json_t *j =
            json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:o}", "id", o->id, "name", o->name, "room",
                      o->room, "active", o->active, "present_today", present, "status_today",
                      bk_presence_name(p.status), "substitute_today", text_or_null(p.substitute));
        if (!j || json_array_append_new(l->arr, j)) return BK_ERR_NOMEM;
    } else {
        printf("%-8s %-32s %-20s %s%s%s%s\n", o->id, o->name, o->room, o->active ? "" : "inactive ",
               present ? "present" : bk_presence_name(p.status),
               p.substitute[0] ? " substitute=" : "", p.substitute);
    }
    return BK_OK;
}

static int officer_add(ctl *c, int argc, char **argv)
{
    const char *usage = "officer add --id ID --name NAME [--room ROOM]";
    const char *id = NULL, *name = NULL, *room = "";
    const ctl_opt_def opts[] = {CTL_ID("--id", &id), CTL_STRING("--name", &name),
                                CTL_STRING("--room", &room), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, NULL);
    if (bad) return bad;
    if (!id || !name) return ctl_usage(c, usage);
    const char *why = NULL;
    if (valid_officer_id(id, &why)) return reject(c, "officer id", why);
    if (valid_text(name, VALID_NAME_MAX, 1, &why)) return reject(c, "name", why);
    if (valid_text(room, VALID_ROOM_MAX, 0, &why)) return reject(c, "room", why);
    int rc = ctl_open(c);
    if (rc) return rc;
    store_officer o = {.active = 1};
    snprintf(o.id, sizeof o.id, "%s", id);
    snprintf(o.name, sizeof o.name, "%s", name);
    snprintf(o.room, sizeof o.room, "%s", room);
    bk_err e = store_begin(c->st, STORE_TX_WRITE);
    if (!e) e = store_officer_insert(c->st, &o);
    if (!e) e = store_audit_add(c->st, queue_now(&c->q), c->actor, "officer_add", 0, NULL, id);
    if (!e) e = store_commit(c->st);
    if (e) {
        store_rollback(c->st);
        if (e == BK_ERR_EXISTS) return ctl_fail(c, e, "officer %s already exists", id);
        return fail_action(c, e, "officer add", id);
    }
    if (c->json)
        return ctl_emit(c, json_pack("{s:s, s:s, s:s, s:b}", "id", o.id, "name", o.name, "room",
                                     o.room, "active", 1));
    printf("officer %s added\n", id);
    return 0;
}

static int officer_presence(ctl *c, int argc, char **argv)
{
    const char *usage =
        "officer presence ID present|absent|duty [--substitute ID2] [--date YYYY-MM-DD|DD-MM-YYYY]";
    const char *id = NULL, *status = NULL, *sub = NULL, *date = NULL;
    char *pos[2] = {0};
    const ctl_opt_def opts[] = {CTL_ID("--substitute", &sub), CTL_STRING("--date", &date),
                                CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, pos, 2};
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, NULL);
    if (bad) return bad;
    valid_officer_id_canon(pos[0]); /* typed: compared without case */
    id = pos[0];
    status = pos[1];
    if (!id || !status) return ctl_usage(c, usage);
    const char *why = NULL;
    if (valid_officer_id(id, &why)) return reject(c, "officer id", why);
    bk_presence st;
    if (bk_presence_parse(status, &st))
        return reject(c, "status", "must be present, absent or duty");
    if (sub && valid_officer_id(sub, &why)) return reject(c, "substitute", why);
    if (sub && strcmp(sub, id) == 0) return reject(c, "substitute", "must be another officer");
    char date_iso[11];
    if (date && valid_date_input(date, date_iso, &why)) return reject(c, "date", why);
    if (date) date = date_iso;
    int rc = ctl_open(c);
    if (rc) return rc;
    bk_err e = queue_presence_set(&c->q, date, id, st, sub);
    if (e) return fail_action(c, e, "officer presence", sub ? "officer or substitute" : id);
    char today[11];
    queue_today(&c->q, today);
    if (c->json)
        return ctl_emit(c, json_pack("{s:s, s:s, s:s, s:o}", "officer", id, "date",
                                     date ? date : today, "status", status, "substitute",
                                     text_or_null(sub)));
    printf("%s is %s on %s%s%s\n", id, status, date ? date : today, sub ? ", substitute " : "",
           sub ? sub : "");
    return 0;
}

int ctl_cmd_officer(ctl *c, int argc, char **argv)
{
    const char *usage = "officer add|list|presence ...";
    if (argc < 2) return ctl_usage(c, usage);
    if (strcmp(argv[1], "add") == 0) return officer_add(c, argc, argv);
    if (strcmp(argv[1], "presence") == 0) return officer_presence(c, argc, argv);
    if (strcmp(argv[1], "list") != 0 || argc != 2) return ctl_usage(c, usage);
    int rc = ctl_open(c);
    if (rc) return rc;
    officer_list_ctx l = {.c = c, .arr = c->json ? json_array() : NULL};
    queue_today(&c->q, l.today);
    bk_err e = store_begin(c->st, STORE_TX_READ);
    if (!e) {
        e = store_officer_list(c->st, officer_row, &l);
        store_rollback(c->st);
    }
    if (e) {
        json_decref(l.arr);
        return fail_action(c, e, "officer list", "");
    }
    return c->json ? ctl_emit(c, l.arr) : 0;
}

/* ---- clients ----------------------------------------------------------- */

static int client_add(ctl *c, int argc, char **argv)
{
    const char *usage = "client add --no NO --name NAME --birth YYYY-MM-DD|DD-MM-YYYY --officer ID "
                        "[--program PB|CB|CMB|ASIMILASI|OTHER] [--report-every DAYS]";
    const char *no = NULL, *name = NULL, *birth = NULL, *officer = NULL, *program = "OTHER",
               *every = "30";
    const ctl_opt_def opts[] = {CTL_STRING("--no", &no),
                                CTL_STRING("--name", &name),
                                CTL_STRING("--birth", &birth),
                                CTL_ID("--officer", &officer),
                                CTL_STRING("--program", &program),
                                CTL_STRING("--report-every", &every),
                                CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, NULL);
    if (bad) return bad;
    if (!no || !name || !birth || !officer) return ctl_usage(c, usage);
    const char *why = NULL;
    long days = 0;
    if (valid_client_no(no, &why)) return reject(c, "client number", why);
    if (valid_text(name, VALID_NAME_MAX, 1, &why)) return reject(c, "name", why);
    char birth_iso[11];
    if (valid_date_input(birth, birth_iso, &why)) return reject(c, "birth date", why);
    birth = birth_iso; /* stored as YYYY-MM-DD */
    if (valid_officer_id(officer, &why)) return reject(c, "officer", why);
    bk_program prog;
    if (bk_program_parse(program, &prog))
        return reject(c, "program", "must be PB, CB, CMB, ASIMILASI or OTHER");
    if (valid_int(every, 1, 366, &days, &why))
        return reject(c, "--report-every", "must be a number of days from 1 to 366");
    int rc = ctl_open(c);
    if (rc) return rc;
    store_client cl = {.active = 1, .report_every_days = (int)days};
    snprintf(cl.no, sizeof cl.no, "%s", no);
    snprintf(cl.name, sizeof cl.name, "%s", name);
    snprintf(cl.birth, sizeof cl.birth, "%s", birth);
    cl.program = prog;
    snprintf(cl.officer, sizeof cl.officer, "%s", officer);
    store_officer o;
    bk_err e = store_begin(c->st, STORE_TX_WRITE);
    if (!e && (e = store_officer_get(c->st, officer, &o)) == BK_ERR_NOT_FOUND) {
        store_rollback(c->st);
        return ctl_fail(c, BK_ERR_NOT_FOUND, "officer %s not found", officer);
    }
    if (!e) e = store_client_insert(c->st, &cl);
    if (!e) e = store_audit_add(c->st, queue_now(&c->q), c->actor, "client_add", 0, no, "");
    if (!e) e = store_commit(c->st);
    if (e) {
        store_rollback(c->st);
        if (e == BK_ERR_EXISTS) return ctl_fail(c, e, "client %s already exists", no);
        return fail_action(c, e, "client add", no);
    }
    if (c->json) return ctl_emit(c, json_pack("{s:s, s:s}", "no", no, "status", "added"));
    printf("client %s added\n", no);
    return 0;
}

static int client_show(ctl *c, const char *no)
{
    const char *why = NULL;
    if (valid_client_no(no, &why)) return reject(c, "client number", why);
    int rc = ctl_open(c);
    if (rc) return rc;
    store_client cl;
    int locked = 0;
    bk_err e = store_begin(c->st, STORE_TX_READ);
    if (!e) e = store_client_get(c->st, no, &cl);
    if (!e) e = store_lock_get(c->st, no, &locked);
    store_rollback(c->st);
    if (e) return fail_action(c, e, "client show", no);
    if (c->json)
        return ctl_emit(c, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:s, s:b}", "no", cl.no,
                                     "name", cl.name, "birth_date", cl.birth, "program",
                                     bk_program_name(cl.program), "officer", cl.officer,
                                     "report_every_days", cl.report_every_days, "last_report",
                                     text_or_null(cl.last_report), "status",
                                     cl.active ? "active" : "ended", "locked", locked));
    printf("%s  %s\n  born %s, program %s, officer %s, reports every %d days, last report %s\n"
           "  %s%s\n",
           cl.no, cl.name, cl.birth, bk_program_name(cl.program), cl.officer, cl.report_every_days,
           cl.last_report[0] ? cl.last_report : "never", cl.active ? "active" : "ended",
           locked ? ", LOCKED (client unlock NO)" : "");
    return 0;
}

int ctl_cmd_client(ctl *c, int argc, char **argv)
{
    const char *usage = "client add|show NO|unlock NO";
    if (argc < 2 || (c->help && strcmp(argv[1], "add") != 0)) return ctl_usage(c, usage);
    if (strcmp(argv[1], "add") == 0) return client_add(c, argc, argv);
    if (argc != 3) return ctl_usage(c, usage);
    if (strcmp(argv[1], "show") == 0) return client_show(c, argv[2]);
    if (strcmp(argv[1], "unlock") != 0) return ctl_usage(c, usage);
    const char *why = NULL;
    if (valid_client_no(argv[2], &why)) return reject(c, "client number", why);
    int rc = ctl_open(c);
    if (rc) return rc;
    bk_err e = queue_unlock(&c->q, argv[2]);
    if (e) return fail_action(c, e, "client unlock", argv[2]);
    if (c->json) return ctl_emit(c, json_pack("{s:s, s:b}", "no", argv[2], "locked", 0));
    printf("client %s unlocked\n", argv[2]);
    return 0;
}

/* ---- check-in ---------------------------------------------------------- */

/* Parse --purpose into *out; else reject it (the exit code). */
static int check_purpose(ctl *c, const char *purpose, bk_purpose *out)
{
    if (bk_purpose_parse(purpose, out) == BK_OK) return 0;
    return reject(c, "purpose",
                  "must be one of report, counseling, group, drug-test, litmas, other");
}

int ctl_cmd_checkin(ctl *c, int argc, char **argv)
{
    const char *usage = "checkin NO --birth YYYY-MM-DD|DD-MM-YYYY --purpose PURPOSE";
    const char *no = NULL, *birth = NULL, *purpose = NULL;
    char *pos[1] = {0};
    const ctl_opt_def opts[] = {CTL_STRING("--birth", &birth), CTL_STRING("--purpose", &purpose),
                                CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, pos, 1};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    no = pos[0];
    if (!no || !birth || !purpose) return ctl_usage(c, usage);
    const char *why = NULL;
    if (valid_client_no(no, &why)) return reject(c, "client number", why);
    char birth_iso[11];
    if (valid_date_input(birth, birth_iso, &why)) return reject(c, "birth date", why);
    birth = birth_iso; /* 09-11-2001 is 2001-11-09 */
    bk_purpose p;
    int rc = check_purpose(c, purpose, &p);
    if (rc || (rc = ctl_open(c))) return rc;
    queue_view v;
    bk_err e = queue_checkin(&c->q, no, birth, p, &v);
    switch (e) {
    case BK_OK: {
        /* The next report date (report visits), by the office calendar. */
        char next[11];
        bk_err ne = cal_next_report_ticket(c->st, c->q.working_days, &v.t, next);
        /* The ticket is saved: a calendar that cannot be read costs only the date. */
        if (ne) {
            fprintf(stderr, "bapasctl: %s: %s\n", ctl_tr(c, "no next report date"),
                    c->st ? store_errmsg(c->st) : bk_err_name(ne));
            next[0] = 0;
        }
        if (c->json) {
            json_t *o = ctl_view_json(&v);
            if (o) json_object_set_new(o, "next_report", next[0] ? json_string(next) : json_null());
            return ctl_emit(c, o);
        }
        ctl_view_print(&v);
        if (next[0]) printf("%s: %s\n", ctl_tr(c, "next report"), next);
        return 0;
    }
    case BK_ERR_NOT_FOUND:
        return ctl_fail(c, e, "client %s not found", no);
    case BK_ERR_WRONG_BIRTH:
        return ctl_fail(c, e, "the birth date does not match client %s (%d attempts left today)",
                        no, v.attempts_left);
    case BK_ERR_LOCKED:
        return ctl_fail(c, e,
                        "client number %s is locked after too many wrong birth dates; "
                        "reception can unlock it (bapasctl client unlock %s)",
                        no, no);
    case BK_ERR_ENDED:
        return ctl_fail(c, e, "client %s is no longer under supervision (ended)", no);
    case BK_ERR_REPORTED:
        return ctl_fail(c, e,
                        "client %s has already reported today (a report visit is done); no "
                        "second report ticket",
                        no);
    default:
        return fail_action(c, e, "checkin", no);
    }
}

int ctl_cmd_walkin(ctl *c, int argc, char **argv)
{
    const char *usage = "walkin --purpose PURPOSE [--name NAME] [--key KEY]";
    const char *purpose = NULL, *name = NULL, *key = NULL;
    const ctl_opt_def opts[] = {CTL_STRING("--purpose", &purpose), CTL_STRING("--name", &name),
                                CTL_STRING("--key", &key), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    if (!purpose) return ctl_usage(c, usage);
    const char *why = NULL;
    if (name && valid_text(name, VALID_NAME_MAX, 1, &why)) return reject(c, "name", why);
    if (key && !token_valid(key))
        return reject(c, "--key", "must be 26 characters A-Z 2-7 as printed by an earlier walkin");
    /* The request key makes a rerun safe: the same key returns the ticket
     * an earlier run made instead of a second one. */
    char fresh[TOKEN_CHARS + 1];
    if (!key) {
        if (token_random(fresh))
            return ctl_fail(c, BK_ERR_INTERNAL, "walkin: no random source for the request key");
        key = fresh;
    }
    bk_purpose p;
    int rc = check_purpose(c, purpose, &p);
    if (rc || (rc = ctl_open(c))) return rc;
    queue_view v;
    bk_err e = queue_walkin_key(&c->q, p, name, key, &v);
    if (e == BK_ERR_IO)
        return ctl_fail(c, e,
                        "walkin: the database connection was lost (%s); the ticket may have been "
                        "made: run the same command again with --key %s to get it without making "
                        "a second one",
                        c->st ? store_errmsg(c->st) : "", key);
    if (e == BK_ERR_EXISTS)
        return ctl_fail(c, e,
                        "walkin: --key %s belongs to another request (a check-in, or "
                        "another purpose or name)",
                        key);
    if (e) return fail_action(c, e, "walkin", "");
    return emit_view(c, &v);
}

/* ---- queue and actions ------------------------------------------------- */

typedef struct list_out {
    ctl *c;
    json_t *arr;
} list_out;

static bk_err list_row(void *ud, const queue_view *v)
{
    list_out *l = ud;
    if (l->arr) {
        json_t *j = ctl_view_json(v);
        if (j && ctl_view_flags(l->c, j, v)) {
            json_decref(j);
            return BK_ERR_INTERNAL;
        }
        if (!j || json_array_append_new(l->arr, j)) return BK_ERR_NOMEM;
    } else {
        ctl_view_print(v);
    }
    return BK_OK;
}

int ctl_cmd_queue(ctl *c, int argc, char **argv)
{
    const char *usage = "queue [--officer ID|reception] [--all]";
    const char *officer = NULL;
    unsigned mask = STORE_ST_WAITING | STORE_ST_CALLED;
    int all = 0;
    const ctl_opt_def opts[] = {CTL_ID("--officer", &officer), CTL_FLAG("--all", &all),
                                CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    if (all) mask = STORE_ST_ALL;
    const char *why = NULL;
    if (officer && strcmp(officer, STORE_RECEPTION) && valid_officer_id(officer, &why))
        return reject(c, "officer", why);
    int rc = ctl_open(c);
    if (rc) return rc;
    if (officer && strcmp(officer, STORE_RECEPTION)) {
        store_officer o;
        bk_err e = store_officer_get(c->st, officer, &o);
        if (e) return fail_action(c, e, "queue", officer);
    }
    list_out l = {c, c->json ? json_array() : NULL};
    bk_err e = queue_list(&c->q, officer, mask, list_row, &l);
    if (e) {
        json_decref(l.arr);
        return fail_action(c, e, "queue", "");
    }
    return c->json ? ctl_emit(c, l.arr) : 0;
}

int ctl_cmd_call_next(ctl *c, int argc, char **argv)
{
    const char *usage = "call-next --officer ID|reception";
    const char *officer = NULL;
    const ctl_opt_def opts[] = {CTL_ID("--officer", &officer), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    if (!officer) return ctl_usage(c, usage);
    const char *why = NULL;
    if (strcmp(officer, STORE_RECEPTION) && valid_officer_id(officer, &why))
        return reject(c, "officer", why);
    int rc = ctl_open(c);
    if (rc) return rc;
    queue_view v;
    bk_err e = queue_call_next(&c->q, officer, &v);
    if (e == BK_ERR_NOT_FOUND) {
        store_officer o;
        if (strcmp(officer, STORE_RECEPTION) && store_officer_get(c->st, officer, &o))
            return ctl_fail(c, e, "officer %s not found", officer);
        return ctl_fail(c, e, "nobody is waiting for %s", officer);
    }
    if (e) return fail_action(c, e, "call-next", officer);
    return emit_view(c, &v);
}

int ctl_cmd_ticket_action(ctl *c, int argc, char **argv)
{
    const char *cmd = argv[0];
    const char *ticket = NULL, *outcome = NULL, *to = NULL, *reason = NULL, *by = NULL;
    char usage[160];
    snprintf(usage, sizeof usage, "%s TICKET%s", cmd,
             strcmp(cmd, "done") == 0       ? " --outcome counseled|admin|referred"
             : strcmp(cmd, "transfer") == 0 ? " --to ID [--reason TEXT]"
             : strcmp(cmd, "start") == 0    ? " [--by OFFICER]"
                                            : "");
    char *pos[1] = {0};
    /* Only this command's options: the table is what --help lists. */
    ctl_opt_def opts[3] = {CTL_OPT_END, CTL_OPT_END, CTL_OPT_END};
    if (strcmp(cmd, "done") == 0) {
        opts[0] = (ctl_opt_def)CTL_STRING("--outcome", &outcome);
    } else if (strcmp(cmd, "transfer") == 0) {
        opts[0] = (ctl_opt_def)CTL_ID("--to", &to);
        opts[1] = (ctl_opt_def)CTL_STRING("--reason", &reason);
    } else if (strcmp(cmd, "start") == 0) {
        opts[0] = (ctl_opt_def)CTL_ID("--by", &by);
    }
    const ctl_args_spec spec = {opts, CTL_POS_ANY, pos, 1};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    ticket = pos[0];
    if (!ticket) return ctl_usage(c, usage);
    int is_done = strcmp(cmd, "done") == 0, is_transfer = strcmp(cmd, "transfer") == 0;
    if ((outcome && !is_done) || ((to || reason) && !is_transfer) || (by && strcmp(cmd, "start")))
        return ctl_usage(c, usage);
    if (is_done && !outcome)
        return ctl_fail(c, BK_ERR_USAGE,
                        "done needs --outcome counseled|admin|referred: a visit cannot be closed "
                        "without its outcome");
    bk_outcome oc = BK_OUTCOME_NONE;
    if (is_done && (bk_outcome_parse(outcome, &oc) || oc == BK_OUTCOME_NONE))
        return reject(c, "outcome", "must be counseled, admin or referred");
    if (is_transfer && !to) return ctl_usage(c, usage);
    const char *why = NULL;
    if (to && strcmp(to, STORE_RECEPTION) && valid_officer_id(to, &why))
        return reject(c, "--to", why);
    if (by && valid_officer_id(by, &why)) return reject(c, "--by", why);
    if (reason && valid_text(reason, VALID_REASON_MAX, 0, &why)) return reject(c, "reason", why);
    int rc = ctl_open(c);
    if (rc) return rc;
    int64_t id = 0;
    bk_err e = queue_resolve(&c->q, ticket, &id);
    if (e == BK_ERR_INVALID)
        return reject(c, "ticket", "must be today's code like A-007 or a numeric id");
    if (e) return fail_action(c, e, cmd, ticket);
    queue_view v;
    if (strcmp(cmd, "show") == 0)
        e = queue_get(&c->q, id, &v);
    else if (strcmp(cmd, "recall") == 0)
        e = queue_recall(&c->q, id, &v);
    else if (strcmp(cmd, "start") == 0)
        e = queue_start(&c->q, id, by, &v);
    else if (is_done)
        e = queue_done(&c->q, id, oc, &v);
    else if (strcmp(cmd, "no-show") == 0)
        e = queue_no_show(&c->q, id, &v);
    else if (strcmp(cmd, "cancel") == 0)
        e = queue_cancel(&c->q, id, &v);
    else if (strcmp(cmd, "priority") == 0)
        e = queue_priority(&c->q, id, &v);
    else if (is_transfer)
        e = queue_transfer(&c->q, id, to, reason, &v);
    else
        return ctl_usage(c, usage);
    if (e == BK_ERR_NOT_FOUND && is_transfer)
        return ctl_fail(c, e, "transfer: ticket %s or officer %s not found", ticket, to);
    if (e == BK_ERR_NOT_FOUND && by)
        return ctl_fail(c, e, "start: ticket %s or officer %s not found", ticket, by);
    if (e) return fail_action(c, e, cmd, ticket);
    return emit_view(c, &v);
}

int ctl_cmd_close_day(ctl *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 1) return ctl_usage(c, "close-day");
    int rc = ctl_open(c);
    if (rc) return rc;
    int closed = 0;
    bk_err e = queue_close_stale(&c->q, &closed);
    if (e) return fail_action(c, e, "close-day", "");
    if (c->json) return ctl_emit(c, json_pack("{s:i}", "closed_no_show", closed));
    printf("%d ticket(s) from earlier days closed as no_show\n", closed);
    return 0;
}
