/* report.c — exact report figures (see report.h for every definition). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otime.h"
#include "store_answers.h"
#include "store_data.h"
#include "valid.h"

static const char *const kind_names[REPORT__COUNT] = {"daily",    "missed", "continuity",
                                                      "outcomes", "waits",  "flags"};
static const char *const kind_titles[REPORT__COUNT] = {
    "Daily visits",          "Missed wajib lapor",        "Continuity of supervision",
    "Visit outcomes per PK", "Waiting and service times", "Wajib lapor questions answered Ya"};

bk_err report_kind_parse(const char *name, report_kind *out)
{
    for (int i = 0; i < REPORT__COUNT; i++)
        if (name && strcmp(name, kind_names[i]) == 0) {
            *out = (report_kind)i;
            return BK_OK;
        }
    return BK_ERR_INVALID;
}

const char *report_kind_name(report_kind k)
{
    return k >= 0 && k < REPORT__COUNT ? kind_names[k] : "?";
}

const char *report_title(report_kind k)
{
    return k >= 0 && k < REPORT__COUNT ? kind_titles[k] : "?";
}

/* ---- columns ----------------------------------------------------------- */

static const report_col daily_cols[] = {
    {"day", "Day", REPORT_T_TEXT},
    {"time", "Check-in", REPORT_T_TEXT},
    {"code", "Ticket", REPORT_T_TEXT},
    {"purpose", "Purpose", REPORT_T_TEXT},
    {"officer", "Officer", REPORT_T_TEXT},
    {"assigned", "Assigned PK", REPORT_T_TEXT},
    {"routed", "Routing", REPORT_T_TEXT},
    {"transferred_from", "Transferred from", REPORT_T_TEXT},
    {"status", "Status", REPORT_T_TEXT},
    {"wait_s", "Wait", REPORT_T_SECONDS},
    {"service_s", "Service", REPORT_T_SECONDS},
    {"outcome", "Outcome", REPORT_T_TEXT},
    {"reason", "Reason", REPORT_T_TEXT}, /* schema 11: no_number, else "" */
};

static const report_col missed_cols[] = {
    {"client_no", "Client no.", REPORT_T_TEXT},
    {"name", "Name", REPORT_T_TEXT},
    {"program", "Program", REPORT_T_TEXT},
    {"officer", "PK", REPORT_T_TEXT},
    {"officer_name", "PK name", REPORT_T_TEXT},
    {"report_every_days", "Every (days)", REPORT_T_INT},
    {"last_report", "Last report", REPORT_T_TEXT},
    {"since", "Imported", REPORT_T_TEXT},
    {"due", "Due", REPORT_T_TEXT},
    {"days_overdue", "Days overdue", REPORT_T_INT},
};

static const report_col continuity_cols[] = {
    {"officer", "PK", REPORT_T_TEXT},           {"name", "Name", REPORT_T_TEXT},
    {"visits", "Visits", REPORT_T_INT},         {"own", "By own PK", REPORT_T_INT},
    {"own_share", "Share own", REPORT_T_SHARE}, {"not_own", "By others", REPORT_T_INT},
    {"substitute", "Substitute", REPORT_T_INT}, {"transfer", "Transfer", REPORT_T_INT},
    {"reception", "Reception", REPORT_T_INT},   {"other", "Other", REPORT_T_INT},
};

static const report_col outcomes_cols[] = {
    {"officer", "PK", REPORT_T_TEXT},
    {"name", "Name", REPORT_T_TEXT},
    {"counseled", "Counseled", REPORT_T_INT},
    {"admin", "Admin only", REPORT_T_INT},
    {"referred", "Referred", REPORT_T_INT},
    {"no_outcome", "No outcome", REPORT_T_INT},
    {"done", "Visits done", REPORT_T_INT},
    {"no_show", "No-show", REPORT_T_INT},
    {"counseled_share", "Share counseled", REPORT_T_SHARE},
};

static const report_col waits_cols[] = {
    {"group", "By", REPORT_T_TEXT},
    {"key", "Purpose / PK", REPORT_T_TEXT},
    {"name", "Name", REPORT_T_TEXT},
    {"waits", "Called", REPORT_T_INT},
    {"wait_median_s", "Wait median", REPORT_T_SECONDS},
    {"wait_p90_s", "Wait p90", REPORT_T_SECONDS},
    {"services", "Served", REPORT_T_INT},
    {"service_median_s", "Service median", REPORT_T_SECONDS},
    {"service_p90_s", "Service p90", REPORT_T_SECONDS},
};

static const report_col flags_cols[] = {
    {"question", "Question", REPORT_T_INT},    {"text", "Question text", REPORT_T_TEXT},
    {"answered", "Answered", REPORT_T_INT},    {"yes", "Ya", REPORT_T_INT},
    {"yes_share", "Share Ya", REPORT_T_SHARE}, {"not_answered", "Not answered", REPORT_T_INT},
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- the table --------------------------------------------------------- */

void report_free(report *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->nrows * (size_t)r->ncols; i++)
        free(r->cells[i].s);
    free(r->cells);
    free(r);
}

int report_col_index(const report *r, const char *col)
{
    for (int j = 0; j < r->ncols; j++)
        if (strcmp(r->cols[j].id, col) == 0) return j;
    return -1;
}

const report_cell *report_cell_at(const report *r, size_t row, const char *col)
{
    int j = report_col_index(r, col);
    if (j < 0 || row >= r->nrows) return NULL;
    return &r->cells[row * (size_t)r->ncols + (size_t)j];
}

static bk_err add_row(report *r, size_t *row)
{
    if (r->nrows == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        report_cell *c = realloc(r->cells, cap * (size_t)r->ncols * sizeof *c);
        if (!c) return BK_ERR_NOMEM;
        r->cells = c;
        r->cap = cap;
    }
    report_cell *c = &r->cells[r->nrows * (size_t)r->ncols];
    memset(c, 0, (size_t)r->ncols * sizeof *c);
    for (int j = 0; j < r->ncols; j++)
        c[j].null = 1;
    *row = r->nrows++;
    return BK_OK;
}

static report_cell *at(report *r, size_t row, const char *col)
{
    return (report_cell *)report_cell_at(r, row, col);
}

/* Setters: a missing column is a programming error caught by the tests. */
static bk_err set_text(report *r, size_t row, const char *col, const char *v)
{
    report_cell *c = at(r, row, col);
    if (!c) return BK_ERR_INTERNAL;
    if (!v || !*v) return BK_OK; /* stays null */
    free(c->s);
    c->s = strdup(v);
    if (!c->s) return BK_ERR_NOMEM;
    c->null = 0;
    return BK_OK;
}

static bk_err set_int(report *r, size_t row, const char *col, int64_t v)
{
    report_cell *c = at(r, row, col);
    if (!c) return BK_ERR_INTERNAL;
    c->i = v;
    c->null = 0;
    return BK_OK;
}

static bk_err set_sec(report *r, size_t row, const char *col, double v)
{
    report_cell *c = at(r, row, col);
    if (!c) return BK_ERR_INTERNAL;
    c->x = v;
    c->null = 0;
    return BK_OK;
}

static bk_err set_share(report *r, size_t row, const char *col, int64_t num, int64_t den)
{
    report_cell *c = at(r, row, col);
    if (!c) return BK_ERR_INTERNAL;
    if (den <= 0) return BK_OK; /* no visits: no share */
    c->num = num;
    c->den = den;
    c->null = 0;
    return BK_OK;
}

/* ---- formatting -------------------------------------------------------- */

void report_format_seconds(double s, char *out, size_t outsz)
{
    int neg = s < 0;
    if (neg) s = -s;
    long long t = (long long)(s + 0.5); /* half up to the second */
    long long h = t / 3600, m = (t / 60) % 60, sec = t % 60;
    if (h)
        snprintf(out, outsz, "%s%lld:%02lld:%02lld", neg ? "-" : "", h, m, sec);
    else
        snprintf(out, outsz, "%s%lld:%02lld", neg ? "-" : "", m, sec);
}

void report_format_share(int64_t num, int64_t den, char *out, size_t outsz)
{
    if (den <= 0) {
        snprintf(out, outsz, "-");
        return;
    }
    /* Tenths of a percent, half up, in integers: exact. */
    int64_t t = (num * 2000 + den) / (2 * den);
    snprintf(out, outsz, "%lld.%lld%%", (long long)(t / 10), (long long)(t % 10));
}

void report_cell_text(const report *r, size_t row, int col, char *out, size_t outsz)
{
    const report_cell *c = &r->cells[row * (size_t)r->ncols + (size_t)col];
    if (c->null) {
        snprintf(out, outsz, "-");
        return;
    }
    switch (r->cols[col].type) {
    case REPORT_T_TEXT:
        snprintf(out, outsz, "%s", c->s ? c->s : "");
        break;
    case REPORT_T_INT:
        snprintf(out, outsz, "%lld", (long long)c->i);
        break;
    case REPORT_T_SECONDS:
        report_format_seconds(c->x, out, outsz);
        break;
    case REPORT_T_SHARE:
        report_format_share(c->num, c->den, out, outsz);
        break;
    }
}

static int i64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

bk_err report_median_p90(int64_t *v, size_t n, double *median, int64_t *p90)
{
    if (n == 0) return BK_ERR_NOT_FOUND;
    qsort(v, n, sizeof *v, i64_cmp);
    if (n % 2)
        *median = (double)v[n / 2];
    else
        *median = ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
    size_t rank = (9 * n + 9) / 10; /* ceil(0.9 n), 1-based */
    *p90 = v[rank - 1];
    return BK_OK;
}

/* ---- data -------------------------------------------------------------- */

/* The parts of a ticket the reports use. */
typedef struct visit {
    char day[STORE_DAY_SZ];
    char code[STORE_CODE_SZ];
    bk_purpose purpose;
    char client_no[STORE_ID_SZ];
    char officer[STORE_ID_SZ];
    char assigned[STORE_ID_SZ];
    bk_routing routed;
    char transferred_from[STORE_ID_SZ];
    bk_status status;
    char served_by[STORE_ID_SZ];
    bk_outcome outcome;
    bk_reason reason;
    int64_t checkin_at, called_at, started_at, finished_at;
} visit;

typedef struct ctx {
    store *s;
    report *r;
    store_officer *off;
    size_t noff, offcap;
    visit *v;
    size_t nv, vcap;
} ctx;

static bk_err collect_officer(void *ud, const store_officer *o)
{
    ctx *c = ud;
    if (c->noff == c->offcap) {
        size_t cap = c->offcap ? c->offcap * 2 : 32;
        store_officer *v = realloc(c->off, cap * sizeof *v);
        if (!v) return BK_ERR_NOMEM;
        c->off = v;
        c->offcap = cap;
    }
    c->off[c->noff++] = *o;
    return BK_OK;
}

static bk_err collect_visit(void *ud, const store_ticket *t)
{
    ctx *c = ud;
    if (c->nv == c->vcap) {
        size_t cap = c->vcap ? c->vcap * 2 : 256;
        visit *v = realloc(c->v, cap * sizeof *v);
        if (!v) return BK_ERR_NOMEM;
        c->v = v;
        c->vcap = cap;
    }
    visit *x = &c->v[c->nv++];
    memcpy(x->day, t->day, sizeof x->day);
    memcpy(x->code, t->code, sizeof x->code);
    x->purpose = t->purpose;
    memcpy(x->client_no, t->client_no, sizeof x->client_no);
    memcpy(x->officer, t->officer, sizeof x->officer);
    memcpy(x->assigned, t->assigned, sizeof x->assigned);
    x->routed = t->routed;
    memcpy(x->transferred_from, t->transferred_from, sizeof x->transferred_from);
    x->status = t->status;
    memcpy(x->served_by, t->served_by, sizeof x->served_by);
    x->outcome = t->outcome;
    x->reason = t->reason;
    x->checkin_at = t->checkin_at;
    x->called_at = t->called_at;
    x->started_at = t->started_at;
    x->finished_at = t->finished_at;
    return BK_OK;
}

static const char *officer_name(const ctx *c, const char *id)
{
    for (size_t i = 0; i < c->noff; i++)
        if (strcmp(c->off[i].id, id) == 0) return c->off[i].name;
    return "";
}

/* Who a visit belongs to for outcomes and waits: who served it, else whose
 * queue it was in; "reception" for the reception queue. */
static const char *pk_of(const visit *v)
{
    if (v->served_by[0]) return v->served_by;
    return v->officer[0] ? v->officer : STORE_RECEPTION;
}

static int is(const visit *v, bk_status status)
{
    return v->status == status;
}

/* Grouped counters and samples. */
typedef struct i64vec {
    int64_t *v;
    size_t n, cap;
} i64vec;

static bk_err push(i64vec *a, int64_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        int64_t *v = realloc(a->v, cap * sizeof *v);
        if (!v) return BK_ERR_NOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return BK_OK;
}

enum { K_A, K_B, K_C, K_D, K_E, K_F, K__N };

typedef struct group {
    char key[STORE_ID_SZ];
    int64_t k[K__N];
    i64vec waits, services;
} group;

typedef struct groups {
    group *g;
    size_t n, cap;
} groups;

static group *group_get(groups *gs, const char *key)
{
    for (size_t i = 0; i < gs->n; i++)
        if (strcmp(gs->g[i].key, key) == 0) return &gs->g[i];
    if (gs->n == gs->cap) {
        size_t cap = gs->cap ? gs->cap * 2 : 16;
        group *g = realloc(gs->g, cap * sizeof *g);
        if (!g) return NULL;
        gs->g = g;
        gs->cap = cap;
    }
    group *g = &gs->g[gs->n++];
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", key);
    return g;
}

static int group_cmp(const void *a, const void *b)
{
    const group *x = a, *y = b;
    /* "reception" sorts after the officers. */
    int rx = strcmp(x->key, STORE_RECEPTION) == 0, ry = strcmp(y->key, STORE_RECEPTION) == 0;
    if (rx != ry) return rx - ry;
    return strcmp(x->key, y->key);
}

static void groups_free(groups *gs)
{
    for (size_t i = 0; i < gs->n; i++) {
        free(gs->g[i].waits.v);
        free(gs->g[i].services.v);
    }
    free(gs->g);
    memset(gs, 0, sizeof *gs);
}

/* ---- daily ------------------------------------------------------------- */

static bk_err build_daily(ctx *c)
{
    report *r = c->r;
    const char *only = r->p.officer;
    bk_err e = BK_OK;
    for (size_t i = 0; i < c->nv && !e; i++) {
        const visit *v = &c->v[i];
        if (*only && strcmp(v->officer, only) && strcmp(v->served_by, only) &&
            strcmp(v->assigned, only))
            continue;
        size_t row;
        if ((e = add_row(r, &row))) break;
        otime_parts lp;
        otime_local(v->checkin_at, r->p.utc_offset_min, &lp);
        char hm[8];
        snprintf(hm, sizeof hm, "%02d:%02d", lp.hour % 100, lp.min % 100);
        e = set_text(r, row, "day", v->day);
        if (!e) e = set_text(r, row, "time", hm);
        if (!e) e = set_text(r, row, "code", v->code);
        if (!e) e = set_text(r, row, "purpose", bk_purpose_name(v->purpose));
        if (!e) e = set_text(r, row, "officer", pk_of(v));
        if (!e) e = set_text(r, row, "assigned", v->assigned);
        if (!e) e = set_text(r, row, "routed", bk_routing_name(v->routed));
        if (!e) e = set_text(r, row, "transferred_from", v->transferred_from);
        if (!e) e = set_text(r, row, "status", bk_status_name(v->status));
        if (!e && v->called_at && v->checkin_at)
            e = set_sec(r, row, "wait_s", (double)(v->called_at - v->checkin_at));
        if (!e && v->started_at && v->finished_at && is(v, BK_STATUS_DONE))
            e = set_sec(r, row, "service_s", (double)(v->finished_at - v->started_at));
        if (!e) e = set_text(r, row, "outcome", bk_outcome_name(v->outcome));
        if (!e) e = set_text(r, row, "reason", bk_reason_name(v->reason));
    }
    return e;
}

/* ---- missed ------------------------------------------------------------ */

typedef struct missed_row {
    store_data_reporting rep;
    char ref[STORE_DAY_SZ]; /* last_seen, else since, else "" */
    int overdue;            /* days; valid when ref[0] */
} missed_row;

typedef struct missed_ctx {
    const char *as_of;
    missed_row *v;
    size_t n, cap;
} missed_ctx;

static bk_err missed_collect(void *ud, const store_data_reporting *rep)
{
    missed_ctx *m = ud;
    char ref[STORE_DAY_SZ];
    snprintf(ref, sizeof ref, "%s", rep->last_seen[0] ? rep->last_seen : rep->since);
    int overdue = 0;
    if (ref[0]) {
        int diff = 0;
        if (otime_day_diff(ref, m->as_of, &diff)) return BK_ERR_INTERNAL;
        if (diff <= rep->c.report_every_days) return BK_OK; /* not overdue */
        overdue = diff - rep->c.report_every_days;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        missed_row *v = realloc(m->v, cap * sizeof *v);
        if (!v) return BK_ERR_NOMEM;
        m->v = v;
        m->cap = cap;
    }
    missed_row *x = &m->v[m->n++];
    x->rep = *rep;
    memcpy(x->ref, ref, sizeof x->ref);
    x->overdue = overdue;
    return BK_OK;
}

static int missed_cmp(const void *a, const void *b)
{
    const missed_row *x = a, *y = b;
    int ux = !x->ref[0], uy = !y->ref[0]; /* unknown baseline first */
    if (ux != uy) return uy - ux;
    if (x->overdue != y->overdue) return y->overdue - x->overdue;
    return strcmp(x->rep.c.no, y->rep.c.no);
}

static bk_err build_missed(ctx *c)
{
    report *r = c->r;
    missed_ctx m = {.as_of = r->p.to};
    bk_err e = store_data_reporting_list(c->s, r->p.to, r->p.officer, missed_collect, &m);
    if (e) goto out;
    if (m.n > 1) qsort(m.v, m.n, sizeof *m.v, missed_cmp);
    for (size_t i = 0; i < m.n && !e; i++) {
        const missed_row *x = &m.v[i];
        size_t row;
        if ((e = add_row(r, &row))) break;
        e = set_text(r, row, "client_no", x->rep.c.no);
        if (!e) e = set_text(r, row, "name", x->rep.c.name);
        if (!e) e = set_text(r, row, "program", bk_program_name(x->rep.c.program));
        if (!e) e = set_text(r, row, "officer", x->rep.c.officer);
        if (!e) e = set_text(r, row, "officer_name", x->rep.officer_name);
        if (!e) e = set_int(r, row, "report_every_days", x->rep.c.report_every_days);
        if (!e) e = set_text(r, row, "last_report", x->rep.last_seen);
        if (!e) e = set_text(r, row, "since", x->rep.since);
        if (!e && x->ref[0]) {
            char due[11];
            if ((e = otime_day_add(x->ref, x->rep.c.report_every_days, due))) break;
            e = set_text(r, row, "due", due);
            if (!e) e = set_int(r, row, "days_overdue", x->overdue);
        }
    }
out:
    free(m.v);
    return e;
}

/* ---- continuity -------------------------------------------------------- */

enum {
    CT_VISITS = K_A,
    CT_OWN = K_B,
    CT_SUB = K_C,
    CT_TRANSFER = K_D,
    CT_RECEPTION = K_E,
    CT_OTHER = K_F
};

static void continuity_count(group *g, const visit *v)
{
    g->k[CT_VISITS]++;
    if (strcmp(v->served_by, v->assigned) == 0)
        g->k[CT_OWN]++;
    else if (v->routed == BK_ROUTED_SUBSTITUTE)
        g->k[CT_SUB]++;
    else if (v->routed == BK_ROUTED_RECEPTION)
        g->k[CT_RECEPTION]++;
    else if (v->transferred_from[0])
        g->k[CT_TRANSFER]++;
    else
        g->k[CT_OTHER]++;
}

static bk_err continuity_row(ctx *c, const group *g, const char *key, const char *name)
{
    report *r = c->r;
    size_t row;
    bk_err e = add_row(r, &row);
    if (!e) e = set_text(r, row, "officer", key);
    if (!e) e = set_text(r, row, "name", name);
    if (!e) e = set_int(r, row, "visits", g->k[CT_VISITS]);
    if (!e) e = set_int(r, row, "own", g->k[CT_OWN]);
    if (!e) e = set_share(r, row, "own_share", g->k[CT_OWN], g->k[CT_VISITS]);
    if (!e) e = set_int(r, row, "not_own", g->k[CT_VISITS] - g->k[CT_OWN]);
    if (!e) e = set_int(r, row, "substitute", g->k[CT_SUB]);
    if (!e) e = set_int(r, row, "transfer", g->k[CT_TRANSFER]);
    if (!e) e = set_int(r, row, "reception", g->k[CT_RECEPTION]);
    if (!e) e = set_int(r, row, "other", g->k[CT_OTHER]);
    return e;
}

/* A per-officer table and its total: key() names the officer a visit counts
 * for (NULL = the visit does not count), count() adds it to a group, row()
 * writes one row. Rows come sorted by officer id, then the "all" total. */
typedef const char *(*group_key_fn)(const visit *v);
typedef void (*group_count_fn)(group *g, const visit *v);
typedef bk_err (*group_row_fn)(ctx *c, const group *g, const char *key, const char *name);

static bk_err per_officer(ctx *c, group_key_fn key, group_count_fn count, group_row_fn row)
{
    report *r = c->r;
    groups gs = {0};
    group total;
    memset(&total, 0, sizeof total);
    bk_err e = BK_OK;
    for (size_t i = 0; i < c->nv; i++) {
        const visit *v = &c->v[i];
        const char *pk = key(v);
        if (!pk) continue;
        if (r->p.officer[0] && strcmp(pk, r->p.officer) != 0) continue;
        group *g = group_get(&gs, pk);
        if (!g) {
            e = BK_ERR_NOMEM;
            goto out;
        }
        count(g, v);
        count(&total, v);
    }
    if (gs.n > 1) qsort(gs.g, gs.n, sizeof *gs.g, group_cmp);
    for (size_t i = 0; i < gs.n && !e; i++)
        e = row(c, &gs.g[i], gs.g[i].key, officer_name(c, gs.g[i].key));
    if (!e) e = row(c, &total, "all", "");
    r->total_rows = 1;
out:
    groups_free(&gs);
    return e;
}

/* Continuity counts finished client visits for the client's assigned PK. */
static const char *continuity_key(const visit *v)
{
    if (!is(v, BK_STATUS_DONE) || !v->client_no[0] || !v->assigned[0]) return NULL;
    return v->assigned;
}

static bk_err build_continuity(ctx *c)
{
    return per_officer(c, continuity_key, continuity_count, continuity_row);
}

/* ---- outcomes ---------------------------------------------------------- */

enum { OC_COUNSELED = K_A, OC_ADMIN = K_B, OC_REFERRED = K_C, OC_NONE = K_D, OC_NOSHOW = K_E };

static void outcome_count(group *g, const visit *v)
{
    if (is(v, BK_STATUS_NO_SHOW)) {
        g->k[OC_NOSHOW]++;
        return;
    }
    if (v->outcome == BK_OUTCOME_COUNSELED)
        g->k[OC_COUNSELED]++;
    else if (v->outcome == BK_OUTCOME_ADMIN)
        g->k[OC_ADMIN]++;
    else if (v->outcome == BK_OUTCOME_REFERRED)
        g->k[OC_REFERRED]++;
    else
        g->k[OC_NONE]++;
}

static bk_err outcome_row(ctx *c, const group *g, const char *key, const char *name)
{
    report *r = c->r;
    size_t row;
    int64_t done = g->k[OC_COUNSELED] + g->k[OC_ADMIN] + g->k[OC_REFERRED] + g->k[OC_NONE];
    bk_err e = add_row(r, &row);
    if (!e) e = set_text(r, row, "officer", key);
    if (!e) e = set_text(r, row, "name", name);
    if (!e) e = set_int(r, row, "counseled", g->k[OC_COUNSELED]);
    if (!e) e = set_int(r, row, "admin", g->k[OC_ADMIN]);
    if (!e) e = set_int(r, row, "referred", g->k[OC_REFERRED]);
    if (!e) e = set_int(r, row, "no_outcome", g->k[OC_NONE]);
    if (!e) e = set_int(r, row, "done", done);
    if (!e) e = set_int(r, row, "no_show", g->k[OC_NOSHOW]);
    if (!e) e = set_share(r, row, "counseled_share", g->k[OC_COUNSELED], done);
    return e;
}

/* Outcomes count finished visits for who served them and no-shows for
 * the queue they were in. */
static const char *outcome_key(const visit *v)
{
    if (!is(v, BK_STATUS_DONE) && !is(v, BK_STATUS_NO_SHOW)) return NULL;
    return is(v, BK_STATUS_NO_SHOW) ? (v->officer[0] ? v->officer : STORE_RECEPTION) : pk_of(v);
}

static bk_err build_outcomes(ctx *c)
{
    return per_officer(c, outcome_key, outcome_count, outcome_row);
}

/* ---- waits ------------------------------------------------------------- */

static bk_err sample(group *g, const visit *v)
{
    bk_err e = BK_OK;
    if (v->called_at && v->checkin_at && v->called_at >= v->checkin_at)
        e = push(&g->waits, v->called_at - v->checkin_at);
    if (!e && is(v, BK_STATUS_DONE) && v->started_at && v->finished_at &&
        v->finished_at >= v->started_at)
        e = push(&g->services, v->finished_at - v->started_at);
    return e;
}

static bk_err waits_row(ctx *c, group *g, const char *grp, const char *name)
{
    report *r = c->r;
    size_t row;
    bk_err e = add_row(r, &row);
    if (!e) e = set_text(r, row, "group", grp);
    if (!e) e = set_text(r, row, "key", g->key);
    if (!e) e = set_text(r, row, "name", name);
    if (!e) e = set_int(r, row, "waits", (int64_t)g->waits.n);
    if (!e) e = set_int(r, row, "services", (int64_t)g->services.n);
    double med;
    int64_t p90;
    if (!e && report_median_p90(g->waits.v, g->waits.n, &med, &p90) == BK_OK) {
        e = set_sec(r, row, "wait_median_s", med);
        if (!e) e = set_sec(r, row, "wait_p90_s", (double)p90);
    }
    if (!e && report_median_p90(g->services.v, g->services.n, &med, &p90) == BK_OK) {
        e = set_sec(r, row, "service_median_s", med);
        if (!e) e = set_sec(r, row, "service_p90_s", (double)p90);
    }
    return e;
}

static bk_err build_waits(ctx *c)
{
    report *r = c->r;
    groups byp = {0}, byo = {0};
    group all;
    memset(&all, 0, sizeof all);
    snprintf(all.key, sizeof all.key, "all");
    bk_err e = BK_OK;
    /* Purposes in their fixed order. */
    for (int i = 0; i < BK_PURPOSE__COUNT; i++)
        if (!group_get(&byp, bk_purpose_name((bk_purpose)i))) {
            e = BK_ERR_NOMEM;
            goto out;
        }
    for (size_t i = 0; i < c->nv && !e; i++) {
        const visit *v = &c->v[i];
        if (!v->called_at) continue; /* never called: no wait, no service */
        const char *pk = pk_of(v);
        if (r->p.officer[0] && strcmp(pk, r->p.officer) != 0) continue;
        group *gp = group_get(&byp, bk_purpose_name(v->purpose)), *go = group_get(&byo, pk);
        if (!gp || !go) {
            e = BK_ERR_NOMEM;
            goto out;
        }
        e = sample(gp, v);
        if (!e) e = sample(go, v);
        if (!e) e = sample(&all, v);
    }
    if (byo.n > 1) qsort(byo.g, byo.n, sizeof *byo.g, group_cmp);
    for (size_t i = 0; i < byp.n && !e; i++)
        if (byp.g[i].waits.n || byp.g[i].services.n) e = waits_row(c, &byp.g[i], "purpose", "");
    for (size_t i = 0; i < byo.n && !e; i++)
        e = waits_row(c, &byo.g[i], "officer", officer_name(c, byo.g[i].key));
    if (!e) e = waits_row(c, &all, "all", "");
    r->total_rows = 1;
out:
    free(all.waits.v);
    free(all.services.v);
    groups_free(&byp);
    groups_free(&byo);
    return e;
}

/* ---- flags ------------------------------------------------------------- */

static bk_err flag_row(void *ud, const store_question *q, int yes, int answered)
{
    report *r = ud;
    size_t row;
    bk_err e = add_row(r, &row);
    if (!e) e = set_int(r, row, "question", q->id);
    if (!e) e = set_text(r, row, "text", q->text_id);
    if (!e) e = set_int(r, row, "answered", answered);
    if (!e) e = set_int(r, row, "yes", yes);
    if (!e) e = set_share(r, row, "yes_share", yes, answered);
    return e;
}

static bk_err build_flags(ctx *c)
{
    report *r = c->r;
    int visits = 0, unanswered = 0;
    bk_err e = store_answers_count(c->s, r->p.from, r->p.to, flag_row, r, &visits, &unanswered);
    size_t row;
    if (!e) e = add_row(r, &row);
    if (!e) e = set_text(r, row, "text", "all");
    if (!e) e = set_int(r, row, "answered", visits - unanswered);
    if (!e) e = set_int(r, row, "not_answered", unanswered);
    if (!e) r->total_rows = 1;
    return e;
}

/* ---- build ------------------------------------------------------------- */

bk_err report_build(store *s, const report_params *p, report **out)
{
    *out = NULL;
    int days = 0;
    if (p->kind < 0 || p->kind >= REPORT__COUNT || valid_date(p->from, NULL, NULL, NULL, NULL) ||
        valid_date(p->to, NULL, NULL, NULL, NULL) || otime_day_diff(p->from, p->to, &days) ||
        days < 0 || days > 3660)
        return BK_ERR_INVALID;
    if (p->officer[0] && strcmp(p->officer, STORE_RECEPTION) != 0 &&
        valid_officer_id(p->officer, NULL))
        return BK_ERR_INVALID;
    report *r = calloc(1, sizeof *r);
    if (!r) return BK_ERR_NOMEM;
    r->p = *p;
    switch (p->kind) {
    case REPORT_DAILY:
        r->cols = daily_cols;
        r->ncols = NCOLS(daily_cols);
        break;
    case REPORT_MISSED:
        r->cols = missed_cols;
        r->ncols = NCOLS(missed_cols);
        break;
    case REPORT_CONTINUITY:
        r->cols = continuity_cols;
        r->ncols = NCOLS(continuity_cols);
        break;
    case REPORT_OUTCOMES:
        r->cols = outcomes_cols;
        r->ncols = NCOLS(outcomes_cols);
        break;
    case REPORT_FLAGS:
        r->cols = flags_cols;
        r->ncols = NCOLS(flags_cols);
        break;
    default:
        r->cols = waits_cols;
        r->ncols = NCOLS(waits_cols);
        break;
    }
    ctx c = {.s = s, .r = r};
    int own_tx = !store_in_tx(s);
    bk_err e = own_tx ? store_begin(s, STORE_TX_READ) : BK_OK;
    if (e) goto out;
    if ((e = store_officer_list(s, collect_officer, &c))) goto out;
    if (p->kind != REPORT_MISSED && p->kind != REPORT_FLAGS &&
        (e = store_data_tickets_range(s, p->from, p->to, collect_visit, &c)))
        goto out;
    switch (p->kind) {
    case REPORT_DAILY:
        e = build_daily(&c);
        break;
    case REPORT_MISSED:
        e = build_missed(&c);
        break;
    case REPORT_CONTINUITY:
        e = build_continuity(&c);
        break;
    case REPORT_OUTCOMES:
        e = build_outcomes(&c);
        break;
    case REPORT_FLAGS:
        e = build_flags(&c);
        break;
    default:
        e = build_waits(&c);
        break;
    }
out:
    if (own_tx && store_in_tx(s)) {
        if (e)
            store_rollback(s);
        else
            e = store_commit(s);
    }
    free(c.off);
    free(c.v);
    if (e) {
        report_free(r);
        return e;
    }
    *out = r;
    return BK_OK;
}
