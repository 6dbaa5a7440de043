/* ctl_questions.c — bapasctl questions: the wajib lapor questions the kiosk
 * asks before the ticket of a report visit (store_answers.h, migration 010),
 * and the `flags` key of the ticket JSON (ctl_view_flags).
 *
 *   questions list [--json]
 *   questions add --text-id TEXT --text-en TEXT [--pos N]
 *   questions set QID [--text-id TEXT] [--text-en TEXT] [--pos N]
 *   questions disable QID | enable QID
 *
 * A question is never deleted (answers name it): `disable` stops asking
 * it. The kiosk asks at most FLOW_QUESTIONS_MAX active questions, so no
 * more may be active. Each change is one write transaction with an audit
 * row (question_add, question_set, question_disable, question_enable; the
 * question's id only). On PostgreSQL only the owner role may write (the
 * product roles read the table). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "flow.h"
#include "otime.h"
#include "store_answers.h"
#include "valid.h"

static int fail_store(ctl *c, bk_err e, const char *what)
{
    return ctl_fail(c, e, "%s: %s", what, c->st ? store_errmsg(c->st) : bk_err_name(e));
}

static json_t *question_json(const store_question *q)
{
    return json_pack("{s:i, s:i, s:s, s:s, s:b}", "id", q->id, "pos", q->pos, "text_id", q->text_id,
                     "text_en", q->text_en, "active", q->active);
}

typedef struct q_list {
    json_t *arr;
    int n, active;
} q_list;

static bk_err list_row(void *ud, const store_question *q)
{
    q_list *l = ud;
    l->n++;
    l->active += q->active != 0;
    if (l->arr) return json_array_append_new(l->arr, question_json(q)) ? BK_ERR_NOMEM : BK_OK;
    printf("%3d  pos %2d  %-8s  %s\n", q->id, q->pos, q->active ? "active" : "disabled",
           q->text_id);
    printf("%3s  %6s  %-8s  %s\n", "", "", "", q->text_en);
    return BK_OK;
}

static int questions_list(ctl *c, int argc, char **argv)
{
    const char *usage = "questions list";
    const ctl_opt_def opts[] = {CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, NULL);
    if (bad) return bad;
    int rc = ctl_open(c);
    if (rc) return rc;
    q_list l = {c->json ? json_array() : NULL, 0, 0};
    if (c->json && !l.arr) return ctl_fail(c, BK_ERR_NOMEM, "out of memory");
    bk_err e = store_questions_list(c->st, 0, list_row, &l);
    if (e) {
        json_decref(l.arr);
        return fail_store(c, e, "questions list");
    }
    if (c->json)
        return ctl_emit(c, json_pack("{s:i, s:i, s:i, s:o}", "count", l.n, "active", l.active,
                                     "asked_max", FLOW_QUESTIONS_MAX, "questions", l.arr));
    if (!l.n) printf("%s\n", ctl_tr(c, "no questions (bapasctl questions add ...)"));
    return 0;
}

/* A question's text: 1-160 bytes of printable UTF-8. */
static int check_text(ctl *c, const char *opt, const char *v)
{
    const char *why = NULL;
    if (strlen(v) >= STORE_QUESTION_SZ)
        return ctl_fail(c, BK_ERR_INVALID, "%s is longer than %d bytes", opt,
                        STORE_QUESTION_SZ - 1);
    if (valid_text(v, STORE_QUESTION_SZ - 1, 1, &why))
        return ctl_fail(c, BK_ERR_INVALID, "%s %s", opt, ctl_tr(c, why ? why : "is invalid"));
    return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 4) return -1;
    int v = atoi(s);
    if (v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

typedef struct count_ctx {
    int active;
} count_ctx;

static bk_err count_active(void *ud, const store_question *q)
{
    count_ctx *k = ud;
    k->active += q->active != 0;
    return BK_OK;
}

enum { Q_ADD, Q_SET, Q_DISABLE, Q_ENABLE };

static int questions_change(ctl *c, int what, int argc, char **argv)
{
    static const char *const usages[] = {
        [Q_ADD] = "questions add --text-id TEXT --text-en TEXT [--pos N]",
        [Q_SET] = "questions set QID [--text-id TEXT] [--text-en TEXT] [--pos N]",
        [Q_DISABLE] = "questions disable QID",
        [Q_ENABLE] = "questions enable QID",
    };
    static const char *const actions[] = {[Q_ADD] = "question_add",
                                          [Q_SET] = "question_set",
                                          [Q_DISABLE] = "question_disable",
                                          [Q_ENABLE] = "question_enable"};
    const char *usage = usages[what];
    const char *text_id = NULL, *text_en = NULL, *pos_s = NULL;
    char *pos[1] = {0};
    ctl_opt_def opts[4] = {CTL_OPT_END, CTL_OPT_END, CTL_OPT_END, CTL_OPT_END};
    if (what == Q_ADD || what == Q_SET) {
        opts[0] = (ctl_opt_def)CTL_STRING("--text-id", &text_id);
        opts[1] = (ctl_opt_def)CTL_STRING("--text-en", &text_en);
        opts[2] = (ctl_opt_def)CTL_STRING("--pos", &pos_s);
    }
    const ctl_args_spec spec = {opts, CTL_POS_ANY, pos, what == Q_ADD ? 0 : 1};
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, NULL);
    if (bad) return bad;
    int id = 0, p = 0;
    if (what != Q_ADD && (!pos[0] || parse_int(pos[0], 1, STORE_QUESTION_ID_MAX, &id)))
        return pos[0] ? ctl_fail(c, BK_ERR_INVALID, "question \"%s\" is not a question id", pos[0])
                      : ctl_usage(c, usage);
    if (what == Q_ADD && (!text_id || !text_en)) return ctl_usage(c, usage);
    if (what == Q_SET && !text_id && !text_en && !pos_s) return ctl_usage(c, usage);
    if (text_id && (bad = check_text(c, "--text-id", text_id))) return bad;
    if (text_en && (bad = check_text(c, "--text-en", text_en))) return bad;
    if (pos_s && parse_int(pos_s, 1, 99, &p))
        return ctl_fail(c, BK_ERR_INVALID, "--pos \"%s\" must be a number from 1 to 99", pos_s);
    int rc = ctl_open(c);
    if (rc) return rc;
    int64_t now = queue_now(&c->q);
    store_question q;
    memset(&q, 0, sizeof q);
    count_ctx k = {0};
    bk_err e = store_begin(c->st, STORE_TX_WRITE);
    if (!e) e = store_questions_list(c->st, 1, count_active, &k);
    if (!e && what != Q_ADD) e = store_question_get(c->st, id, &q);
    if (!e) {
        int was_active = what != Q_ADD && q.active;
        if (what == Q_ADD) {
            q.active = 1;
            q.pos = p ? p : 99;
        }
        if (text_id) snprintf(q.text_id, sizeof q.text_id, "%s", text_id);
        if (text_en) snprintf(q.text_en, sizeof q.text_en, "%s", text_en);
        if (what == Q_SET && p) q.pos = p;
        if (what == Q_DISABLE) q.active = 0;
        if (what == Q_ENABLE) q.active = 1;
        q.changed_at = now;
        if (q.active && !was_active && k.active >= FLOW_QUESTIONS_MAX) {
            store_rollback(c->st);
            return ctl_fail(c, BK_ERR_INVALID,
                            "%d questions are active already: the kiosk asks at most %d (disable "
                            "one first)",
                            k.active, FLOW_QUESTIONS_MAX);
        }
        e = store_question_put(c->st, &q);
    }
    char detail[32];
    snprintf(detail, sizeof detail, "question %d", q.id);
    if (!e) e = store_audit_add(c->st, now, c->actor, actions[what], 0, NULL, detail);
    if (!e) e = store_commit(c->st);
    if (e) {
        store_rollback(c->st);
        if (e == BK_ERR_NOT_FOUND) return ctl_fail(c, e, "no such question: %d", id);
        return fail_store(c, e, usage);
    }
    if (c->json) return ctl_emit(c, question_json(&q));
    printf(ctl_tr(c, "question %d saved (%s)"), q.id, q.active ? "active" : "disabled");
    putchar('\n');
    return 0;
}

int ctl_cmd_questions(ctl *c, int argc, char **argv)
{
    const char *usage = "questions list|add|set|disable|enable ...";
    if (argc < 2) return ctl_usage(c, usage);
    const char *sub = argv[1];
    if (strcmp(sub, "list") == 0) return questions_list(c, argc, argv);
    if (strcmp(sub, "add") == 0) return questions_change(c, Q_ADD, argc, argv);
    if (strcmp(sub, "set") == 0) return questions_change(c, Q_SET, argc, argv);
    if (strcmp(sub, "disable") == 0) return questions_change(c, Q_DISABLE, argc, argv);
    if (strcmp(sub, "enable") == 0) return questions_change(c, Q_ENABLE, argc, argv);
    return ctl_usage(c, usage);
}

/* ---- the ticket JSON's `flags` ------------------------------------------ */

int ctl_view_flags(ctl *c, json_t *o, const queue_view *v)
{
    if (!o) return -1;
    if (v->t.purpose != BK_PURPOSE_REPORT || !v->t.client_no[0] || !c->st)
        return json_object_set_new(o, "flags", json_null());
    store_answer a[STORE_QUESTIONS_MAX];
    int n = 0;
    if (store_answers_get(c->st, v->t.id, a, STORE_QUESTIONS_MAX, &n)) return -1;
    json_t *yes = json_array();
    if (!yes) return -1;
    for (int i = 0; i < n; i++) {
        if (a[i].answer != 1) continue;
        store_question q;
        if (store_question_get(c->st, a[i].question_id, &q)) {
            json_decref(yes);
            return -1;
        }
        json_array_append_new(yes, json_pack("{s:i, s:s, s:s}", "id", q.id, "text_id", q.text_id,
                                             "text_en", q.text_en));
    }
    return json_object_set_new(o, "flags", json_pack("{s:b, s:o}", "answered", n > 0, "yes", yes));
}

void ctl_view_flags_print(ctl *c, const queue_view *v)
{
    if (v->t.purpose != BK_PURPOSE_REPORT || !v->t.client_no[0] || !c->st) return;
    store_answer a[STORE_QUESTIONS_MAX];
    int n = 0;
    if (store_answers_get(c->st, v->t.id, a, STORE_QUESTIONS_MAX, &n)) return;
    if (!n) {
        printf("  %s\n", ctl_tr(c, "report questions: not answered"));
        return;
    }
    int any = 0;
    for (int i = 0; i < n; i++) {
        store_question q;
        if (a[i].answer != 1 || store_question_get(c->st, a[i].question_id, &q)) continue;
        printf("  %s %d: %s\n", ctl_tr(c, "Ya to question"), q.id, q.text_id);
        any = 1;
    }
    if (!any) printf("  %s\n", ctl_tr(c, "report questions: all answered Tidak"));
}
