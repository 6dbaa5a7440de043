/* ctl_data.c — bapasctl commands for office data: import, roster, report,
 * audit, backup. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "csvimport.h"
#include "ctl.h"
#include "i18n.h"
#include "otime.h"
#include "paths.h"
#include "report.h"
#include "roster.h"
#include "store_data.h"
#include "valid.h"

/* ---- helpers ----------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* A DATE argument: YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY, today, tomorrow, yesterday. */
static int parse_day(ctl *c, const char *what, const char *arg, char out[11])
{
    char today[11];
    queue_today(&c->q, today);
    int add = 0;
    if (strcmp(arg, "today") == 0 || strcmp(arg, "hari-ini") == 0)
        add = 0;
    else if (strcmp(arg, "tomorrow") == 0 || strcmp(arg, "besok") == 0)
        add = 1;
    else if (strcmp(arg, "yesterday") == 0 || strcmp(arg, "kemarin") == 0)
        add = -1;
    else {
        const char *why = NULL;
        if (valid_date_input(arg, out, &why)) {
            ctl_fail(c, BK_ERR_INVALID, "%s \"%s\" %s", what, arg, why);
            return -1;
        }
        return 0;
    }
    otime_day_add(today, add, out);
    return 0;
}

static int fail_store(ctl *c, bk_err e, const char *what)
{
    return ctl_fail(c, e, "%s: %s", what, c->st ? store_errmsg(c->st) : bk_err_name(e));
}

/* ---- import ------------------------------------------------------------ */

static json_t *split_list(const char *s)
{
    json_t *a = json_array();
    if (!a) return NULL;
    while (s && *s) {
        const char *e = strstr(s, ", ");
        size_t n = e ? (size_t)(e - s) : strlen(s);
        json_array_append_new(a, json_stringn(s, n));
        s = e ? e + 2 : NULL;
    }
    return a;
}

static const char *delim_name(char d)
{
    return d == ';' ? "semicolon" : d == '\t' ? "tab" : d == '|' ? "pipe" : "comma";
}

int ctl_cmd_import(ctl *c, int argc, char **argv)
{
    const char *usage = "import officers|clients FILE [--mark-missing-ended] [--dry-run]";
    const char *what = NULL, *file = NULL;
    csvimport_opts o = {0};
    char *pos[2] = {0};
    const ctl_opt_def opts[] = {CTL_FLAG("--mark-missing-ended", &o.mark_missing_ended),
                                CTL_FLAG("--dry-run", &o.dry_run), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_NOT_OPTION, pos, 2};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    what = pos[0];
    file = pos[1];
    if (!what || !file) return ctl_usage(c, usage);
    if (strcmp(what, "officers") == 0)
        o.kind = CSVIMPORT_OFFICERS;
    else if (strcmp(what, "clients") == 0)
        o.kind = CSVIMPORT_CLIENTS;
    else
        return ctl_usage(c, usage);
    int rc = ctl_open(c);
    if (rc) return rc;
    o.actor = c->actor;
    o.now = queue_now(&c->q);
    o.utc_offset_min = c->q.utc_offset_min;
    csvimport_result r;
    bk_err e = csvimport_run(c->st, file, &o, &r);
    if (e == BK_ERR_INVALID || (e == BK_ERR_IO && r.problems.total)) {
        char line[400];
        for (size_t i = 0; i < r.problems.n; i++) {
            csvimport_problem_format(&r.problems.v[i], line, sizeof line);
            fprintf(stderr, "%s\n", line);
        }
        if (r.problems.total > r.problems.n)
            fprintf(stderr, "... and %zu more problems\n", r.problems.total - r.problems.n);
        fprintf(stderr, "bapasctl: %zu problem%s in %s; nothing was imported\n", r.problems.total,
                r.problems.total == 1 ? "" : "s", file);
        if (c->json) {
            json_t *arr = json_array();
            for (size_t i = 0; arr && i < r.problems.n; i++) {
                const csvimport_problem *p = &r.problems.v[i];
                csvimport_problem_format(p, line, sizeof line);
                json_array_append_new(arr,
                                      json_pack("{s:i, s:s, s:s, s:s}", "line", p->line, "column",
                                                p->column, "message", p->msg, "text", line));
            }
            char msg[300];
            snprintf(msg, sizeof msg, "%zu problem%s in %s; nothing was imported", r.problems.total,
                     r.problems.total == 1 ? "" : "s", file);
            ctl_emit(c,
                     json_pack("{s:s, s:s, s:i, s:I, s:o}", "error", bk_err_name(e), "message", msg,
                               "exit_code", bk_exit_code(e), "problem_count",
                               (json_int_t)r.problems.total, "problems", arr ? arr : json_array()));
        }
        csvimport_result_free(&r);
        return bk_exit_code(e);
    }
    if (e) {
        csvimport_result_free(&r);
        return fail_store(c, e, "import failed, nothing was imported");
    }
    int out = 0;
    if (c->json) {
        out = ctl_emit(
            c, json_pack("{s:s, s:s, s:b, s:I, s:i, s:i, s:i, s:i, s:i, s:s, s:b, s:o, s:o, s:f}",
                         "kind", what, "file", file, "dry_run", o.dry_run, "rows",
                         (json_int_t)r.rows, "added", r.added, "updated", r.updated, "unchanged",
                         r.unchanged, "ended", r.ended, "reassigned", r.reassigned, "delimiter",
                         delim_name(r.delim), "bom", r.bom, "columns", split_list(r.columns),
                         "ignored_columns", split_list(r.ignored), "seconds", r.seconds));
    } else {
        printf("%s %s from %s: %zu rows, %d added, %d updated, %d unchanged",
               o.dry_run ? "would import" : "imported", what, file, r.rows, r.added, r.updated,
               r.unchanged);
        if (o.mark_missing_ended)
            printf(", %d %s", r.ended, o.kind == CSVIMPORT_CLIENTS ? "ended" : "deactivated");
        printf("\n");
        if (r.reassigned)
            printf("  %d client%s moved to another PK (see bapasctl audit)\n", r.reassigned,
                   r.reassigned == 1 ? "" : "s");
        printf("  delimiter %s%s; columns: %s\n", delim_name(r.delim), r.bom ? ", UTF-8 BOM" : "",
               r.columns);
        if (r.ignored[0]) printf("  ignored columns: %s\n", r.ignored);
        printf("  %.3f s%s\n", r.seconds, o.dry_run ? " (dry run: nothing was changed)" : "");
    }
    csvimport_result_free(&r);
    return out;
}

/* ---- roster ------------------------------------------------------------ */

/* A roster STATUS argument: a presence status, or "clear" (*clear = 1). */
static int roster_status_ok(const char *s, bk_presence *st, int *clear)
{
    *clear = strcmp(s, "clear") == 0;
    *st = BK_PRESENCE_PRESENT;
    return *clear || bk_presence_parse(s, st) == BK_OK;
}

static int roster_fail(ctl *c, bk_err e, const char *officer, const char *sub)
{
    if (e == BK_ERR_NOT_FOUND)
        return ctl_fail(c, e, "no such officer or record (%s%s%s)", officer, sub ? ", " : "",
                        sub ? sub : "");
    if (e == BK_ERR_STATE) return ctl_fail(c, e, "the substitute %s is not active", sub ? sub : "");
    if (e == BK_ERR_INVALID) return ctl_fail(c, e, "invalid roster entry");
    return fail_store(c, e, "roster");
}

static int roster_set(ctl *c, int argc, char **argv)
{
    const char *usage = "roster set DATE OFFICER present|absent|duty|clear [--substitute ID]";
    char *args[3] = {0};
    const char *sub = NULL;
    int na = 0;
    const ctl_opt_def opts[] = {CTL_ID("--substitute", &sub), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, args, 3};
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, &na);
    if (bad) return bad;
    bk_presence st;
    int clear = 0;
    if (na != 3 || !roster_status_ok(args[2], &st, &clear)) return ctl_usage(c, usage);
    valid_officer_id_canon(args[1]); /* typed: compared without case */
    const char *officer = args[1], *why = NULL;
    if (valid_officer_id(officer, &why)) return ctl_fail(c, BK_ERR_INVALID, "officer id %s", why);
    if (sub && *sub && (clear || st != BK_PRESENCE_ABSENT))
        return ctl_fail(c, BK_ERR_INVALID, "--substitute goes only with absent");
    if (sub && *sub && strcmp(sub, officer) == 0)
        return ctl_fail(c, BK_ERR_INVALID, "the substitute must be another officer");
    char day[11];
    int rc = ctl_open(c);
    if (rc) return rc;
    if (parse_day(c, "date", args[0], day)) return 4;
    bk_err e;
    if (clear) {
        e = roster_day_clear(&c->q, day, officer);
    } else {
        if (sub && *sub) {
            store_officer so;
            if ((e = store_officer_get(c->st, sub, &so))) return roster_fail(c, e, officer, sub);
            if (!so.active) return roster_fail(c, BK_ERR_STATE, officer, sub);
        }
        e = queue_presence_set(&c->q, day, officer, st, sub);
    }
    if (e) return roster_fail(c, e, officer, sub);
    store_presence p;
    roster_source src;
    int present = 0;
    if ((e = roster_resolve(c->st, day, officer, &p, &src)) ||
        (e = queue_officer_present(&c->q, day, officer, &present, NULL)))
        return fail_store(c, e, "roster");
    if (c->json)
        return ctl_emit(c, json_pack("{s:s, s:s, s:s, s:o, s:s, s:b}", "date", day, "officer",
                                     officer, "status", bk_presence_name(p.status), "substitute",
                                     str_or_null(p.substitute), "source", roster_source_name(src),
                                     "present", present));
    printf("%s on %s (%s): %s%s%s (%s)\n", officer, day, roster_weekday_name(roster_weekday(day)),
           bk_presence_name(p.status), p.substitute[0] ? ", substitute " : "", p.substitute,
           src == ROSTER_DAY      ? "day record"
           : src == ROSTER_WEEKLY ? "weekly pattern"
                                  : "default");
    return 0;
}

typedef struct weekly_ctx {
    json_t *arr;
    int n;
} weekly_ctx;

static bk_err weekly_row(void *ud, const store_data_weekly *w)
{
    weekly_ctx *k = ud;
    k->n++;
    if (k->arr) {
        json_t *o =
            json_pack("{s:s, s:i, s:s, s:s, s:o}", "officer", w->officer, "weekday", w->weekday,
                      "weekday_name", roster_weekday_name(w->weekday), "status",
                      bk_presence_name(w->status), "substitute", str_or_null(w->substitute));
        if (!o || json_array_append_new(k->arr, o)) return BK_ERR_NOMEM;
    } else {
        printf("%-12s %-10s %-8s%s%s\n", w->officer, roster_weekday_name(w->weekday),
               bk_presence_name(w->status), w->substitute[0] ? " substitute " : "", w->substitute);
    }
    return BK_OK;
}

static int roster_weekly(ctl *c, int argc, char **argv)
{
    const char *usage =
        "roster weekly [OFFICER [WEEKDAY present|absent|duty|clear [--substitute ID]]]";
    char *args[3] = {0};
    const char *sub = NULL;
    int na = 0;
    const ctl_opt_def opts[] = {CTL_ID("--substitute", &sub), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, args, 3};
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, &na);
    if (bad) return bad;
    bk_presence st = BK_PRESENCE_PRESENT;
    int clear = 0;
    if (na == 2 || (na == 3 && !roster_status_ok(args[2], &st, &clear))) return ctl_usage(c, usage);
    const char *why = NULL;
    if (na >= 1) valid_officer_id_canon(args[0]); /* typed: compared without case */
    if (na >= 1 && valid_officer_id(args[0], &why))
        return ctl_fail(c, BK_ERR_INVALID, "officer id %s", why);
    int rc = ctl_open(c);
    if (rc) return rc;
    if (na <= 1) { /* list */
        weekly_ctx k = {0};
        if (c->json && !(k.arr = json_array())) return ctl_fail(c, BK_ERR_NOMEM, "out of memory");
        bk_err e = store_data_weekly_list(c->st, na ? args[0] : NULL, weekly_row, &k);
        if (e) {
            json_decref(k.arr);
            return fail_store(c, e, "roster weekly");
        }
        if (c->json) return ctl_emit(c, json_pack("{s:o}", "weekly", k.arr));
        if (!k.n)
            printf("no weekly pattern: every active officer is present unless a day says "
                   "otherwise\n");
        return 0;
    }
    const char *officer = args[0], *status = args[2];
    int wd = roster_weekday_parse(args[1]);
    if (wd < 0)
        return ctl_fail(c, BK_ERR_INVALID,
                        "\"%s\" is not a weekday (0-6 with 0 = Sunday, mon..sun, senin..minggu)",
                        args[1]);
    if (sub && *sub && (clear || st != BK_PRESENCE_ABSENT))
        return ctl_fail(c, BK_ERR_INVALID, "--substitute goes only with absent");
    if (sub && *sub && strcmp(sub, officer) == 0)
        return ctl_fail(c, BK_ERR_INVALID, "the substitute must be another officer");
    bk_err e = clear ? roster_weekly_clear(&c->q, officer, wd)
                     : roster_weekly_set(&c->q, officer, wd, st, sub);
    if (e) return roster_fail(c, e, officer, sub);
    if (c->json)
        return ctl_emit(c, json_pack("{s:s, s:i, s:s, s:s, s:o}", "officer", officer, "weekday", wd,
                                     "weekday_name", roster_weekday_name(wd), "status", status,
                                     "substitute", str_or_null(sub)));
    if (clear)
        printf("%s: weekly pattern for %s cleared\n", officer, roster_weekday_name(wd));
    else
        printf("%s: every %s %s%s%s\n", officer, roster_weekday_name(wd), status,
               sub && *sub ? ", substitute " : "", sub && *sub ? sub : "");
    return 0;
}

typedef struct list_ctx {
    json_t *arr;
} list_ctx;

static bk_err roster_row(void *ud, const roster_entry *en)
{
    list_ctx *l = ud;
    if (l->arr) {
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:s, s:o, s:s, s:b, s:b}", "date", en->day, "officer", en->officer.id,
            "name", en->officer.name, "status", bk_presence_name(en->rec.status), "substitute",
            str_or_null(en->rec.substitute), "source", roster_source_name(en->source), "present",
            en->present, "active", en->officer.active);
        if (!o || json_array_append_new(l->arr, o)) return BK_ERR_NOMEM;
    } else {
        printf("%s %-3.3s  %-12s %-8s %-8s%s%s%s\n", en->day,
               roster_weekday_name(roster_weekday(en->day)), en->officer.id,
               bk_presence_name(en->rec.status), roster_source_name(en->source),
               en->rec.substitute[0] ? " substitute " : "", en->rec.substitute,
               en->officer.active ? "" : " (inactive)");
    }
    return BK_OK;
}

static int roster_listing(ctl *c, int argc, char **argv)
{
    const char *usage = "roster list [--from DATE] [--to DATE] [--officer ID]";
    const char *from = NULL, *to = NULL, *officer = NULL;
    const ctl_opt_def opts[] = {CTL_STRING("--from", &from), CTL_STRING("--to", &to),
                                CTL_ID("--officer", &officer), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, NULL);
    if (bad) return bad;
    int rc = ctl_open(c);
    if (rc) return rc;
    char f[11], t[11];
    if ((from && parse_day(c, "--from", from, f)) || (to && parse_day(c, "--to", to, t))) return 4;
    if (!from && !to) queue_today(&c->q, f);
    if (!from) memcpy(f, to ? t : f, 11);
    if (!to) memcpy(t, f, 11);
    list_ctx l = {0};
    if (c->json && !(l.arr = json_array())) return ctl_fail(c, BK_ERR_NOMEM, "out of memory");
    bk_err e = roster_list(&c->q, f, t, officer, roster_row, &l);
    if (e) {
        json_decref(l.arr);
        if (e == BK_ERR_INVALID)
            return ctl_fail(c, e, "the range must run forward and span at most 366 days");
        if (e == BK_ERR_NOT_FOUND) return ctl_fail(c, e, "no officer %s", officer ? officer : "");
        return fail_store(c, e, "roster list");
    }
    if (c->json)
        return ctl_emit(c, json_pack("{s:s, s:s, s:o}", "from", f, "to", t, "roster", l.arr));
    return 0;
}

int ctl_cmd_roster(ctl *c, int argc, char **argv)
{
    const char *usage = "roster set DATE OFFICER present|absent|duty|clear [--substitute ID]\n"
                        "       bapasctl roster weekly [OFFICER [WEEKDAY "
                        "present|absent|duty|clear [--substitute ID]]]\n"
                        "       bapasctl roster list [--from DATE] [--to DATE] [--officer ID]";
    if (argc < 2) return ctl_usage(c, usage);
    if (strcmp(argv[1], "set") == 0) return roster_set(c, argc, argv);
    if (strcmp(argv[1], "weekly") == 0) return roster_weekly(c, argc, argv);
    if (strcmp(argv[1], "list") == 0) return roster_listing(c, argc, argv);
    return ctl_usage(c, usage);
}

/* ---- report ------------------------------------------------------------ */

static const char *tr_i18n(void *ud, const char *key)
{
    const i18n *t = ud;
    return t && i18n_has(t, key) ? i18n_get(t, key) : NULL;
}

int ctl_cmd_report(ctl *c, int argc, char **argv)
{
    const char *usage =
        "report daily|missed|continuity|outcomes|waits|flags [--from DATE] [--to DATE] "
        "[--officer ID] [--csv | --json | --html FILE] [--lang id|en]";
    const char *name = NULL, *from = NULL, *to = NULL, *officer = NULL, *html = NULL, *lang = NULL;
    int csv = 0;
    char *pos[1] = {0};
    const ctl_opt_def opts[] = {CTL_FLAG("--csv", &csv),
                                CTL_STRING("--from", &from),
                                CTL_STRING("--to", &to),
                                CTL_ID("--officer", &officer),
                                CTL_STRING("--html", &html),
                                CTL_STRING("--lang", &lang),
                                CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_NO_DASH, pos, 1};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    name = pos[0];
    report_params p;
    memset(&p, 0, sizeof p);
    if (!name || report_kind_parse(name, &p.kind)) return ctl_usage(c, usage);
    if (csv + (html != NULL) + c->json > 1)
        return ctl_fail(c, BK_ERR_USAGE, "choose one of --csv, --json and --html");
    if (lang && strcmp(lang, "id") && strcmp(lang, "en"))
        return ctl_fail(c, BK_ERR_USAGE, "--lang is id or en");
    if (officer && *officer) {
        const char *why = NULL;
        if (strcmp(officer, STORE_RECEPTION) != 0 && valid_officer_id(officer, &why))
            return ctl_fail(c, BK_ERR_INVALID, "--officer %s", why);
        snprintf(p.officer, sizeof p.officer, "%s", officer);
    }
    int rc = ctl_open(c);
    if (rc) return rc;
    char today[11];
    queue_today(&c->q, today);
    if ((from && parse_day(c, "--from", from, p.from)) || (to && parse_day(c, "--to", to, p.to)))
        return 4;
    /* Defaults: daily = one day (today, or the one day given); others end
     * today and start 29 days earlier (30 days); missed is as of --to. */
    if (!to) memcpy(p.to, p.kind == REPORT_DAILY && from ? p.from : today, 11);
    if (!from) {
        if (p.kind == REPORT_DAILY)
            memcpy(p.from, p.to, 11);
        else
            otime_day_add(p.to, -29, p.from);
    }
    int span = 0;
    if (otime_day_diff(p.from, p.to, &span) || span < 0)
        return ctl_fail(c, BK_ERR_INVALID, "--from %s is after --to %s", p.from, p.to);
    if (span > 3660) return ctl_fail(c, BK_ERR_INVALID, "the range spans more than ten years");
    p.utc_offset_min = c->q.utc_offset_min;
    p.generated_at = queue_now(&c->q);
    report *r = NULL;
    bk_err e = report_build(c->st, &p, &r);
    if (e) return fail_store(c, e, "report");
    int out = 0;
    if (c->json) {
        out = ctl_emit(c, qjson_report(r));
    } else if (csv) {
        out = report_write_csv(r, stdout) || fflush(stdout) ? 1 : 0;
    } else if (html) {
        i18n *t = NULL;
        char dir[1024];
        if (paths_asset("i18n", dir, sizeof dir) == BK_OK)
            i18n_load(dir, lang ? lang : c->cfg.language, &t); /* English if it fails */
        size_t n = strlen(html);
        char *tmp = malloc(n + 5);
        FILE *f = NULL;
        if (tmp) {
            snprintf(tmp, n + 5, "%s.tmp", html);
            f = fopen(tmp, "w");
        }
        if (!f) {
            out = ctl_fail(c, BK_ERR_IO, "cannot write %s: %s", html, strerror(errno));
        } else {
            bk_err we = report_write_html(r, f, c->cfg.office_name, t ? tr_i18n : NULL, t);
            if (fclose(f) != 0 && !we) we = BK_ERR_IO;
            if (!we && rename(tmp, html) != 0) we = BK_ERR_IO;
            if (we) {
                unlink(tmp);
                out = ctl_fail(c, we, "cannot write %s", html);
            } else {
                printf("wrote %s (%zu rows)\n", html, r->nrows - r->total_rows);
            }
        }
        free(tmp);
        i18n_free(t);
    } else {
        out = report_write_text(r, stdout, NULL, NULL) ? 1 : 0;
    }
    report_free(r);
    return out;
}

/* ---- audit ------------------------------------------------------------- */

typedef struct audit_ctx {
    json_t *arr;
    int offset_min;
    int n;
} audit_ctx;

static bk_err audit_row(void *ud, const store_audit_row *a)
{
    audit_ctx *k = ud;
    char iso[21];
    otime_iso_utc(a->at, iso);
    k->n++;
    if (k->arr) {
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:s}", "id", (json_int_t)a->id, "at",
                              iso, "actor", a->actor, "action", a->action, "ticket_id",
                              a->ticket_id ? json_integer(a->ticket_id) : json_null(), "client_no",
                              str_or_null(a->client_no), "detail", a->detail);
        if (!o || json_array_append_new(k->arr, o)) return BK_ERR_NOMEM;
        return BK_OK;
    }
    otime_parts lp;
    otime_local(a->at, k->offset_min, &lp);
    char tk[24] = "-";
    if (a->ticket_id) snprintf(tk, sizeof tk, "#%lld", (long long)a->ticket_id);
    printf("%6lld  %04d-%02d-%02d %02d:%02d:%02d  %-18s %-16s %-6s %-12s %s\n", (long long)a->id,
           lp.year % 10000, lp.month % 100, lp.day % 100, lp.hour % 100, lp.min % 100, lp.sec % 100,
           a->actor, a->action, tk, a->client_no[0] ? a->client_no : "-", a->detail);
    return BK_OK;
}

int ctl_cmd_audit(ctl *c, int argc, char **argv)
{
    const char *usage = "audit [--ticket TICKET] [--from DATE] [--to DATE]";
    const char *ticket = NULL, *from = NULL, *to = NULL;
    const ctl_opt_def opts[] = {CTL_STRING("--ticket", &ticket), CTL_STRING("--from", &from),
                                CTL_STRING("--to", &to), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    int rc = ctl_open(c);
    if (rc) return rc;
    int64_t id = 0, t0 = 0, t1 = 0;
    bk_err e;
    if (ticket) {
        /* DATE/CODE for an earlier day; else today's code or a numeric id. */
        const char *slash = strchr(ticket, '/');
        if (slash && slash - ticket == 10) {
            char day[11], code[STORE_CODE_SZ];
            memcpy(day, ticket, 10);
            day[10] = 0;
            snprintf(code, sizeof code, "%s", slash + 1);
            for (char *q = code; *q; q++)
                if (*q >= 'a' && *q <= 'z') *q = (char)(*q - 'a' + 'A');
            store_ticket t;
            if (valid_date(day, NULL, NULL, NULL, NULL) ||
                (e = store_ticket_by_code(c->st, day, code, &t)))
                return ctl_fail(c, BK_ERR_NOT_FOUND, "no ticket %s", ticket);
            id = t.id;
        } else if ((e = queue_resolve(&c->q, ticket, &id))) {
            return ctl_fail(c, e == BK_ERR_INVALID ? BK_ERR_INVALID : BK_ERR_NOT_FOUND,
                            "no ticket %s (give today's code, DATE/CODE or the numeric id)",
                            ticket);
        }
    }
    char d[11], next[11];
    if (from) {
        if (parse_day(c, "--from", from, d)) return 4;
        otime_day_start(d, c->q.utc_offset_min, &t0);
    }
    if (to) {
        if (parse_day(c, "--to", to, d)) return 4;
        otime_day_add(d, 1, next);
        otime_day_start(next, c->q.utc_offset_min, &t1);
    }
    if (t0 && t1 && t1 <= t0) return ctl_fail(c, BK_ERR_INVALID, "--from is after --to");
    audit_ctx k = {.offset_min = c->q.utc_offset_min};
    if (c->json && !(k.arr = json_array())) return ctl_fail(c, BK_ERR_NOMEM, "out of memory");
    e = store_audit_list(c->st, id, t0, t1, audit_row, &k);
    if (e) {
        json_decref(k.arr);
        return fail_store(c, e, "audit");
    }
    if (c->json) return ctl_emit(c, json_pack("{s:i, s:o}", "count", k.n, "audit", k.arr));
    if (!k.n) printf("no audit rows match\n");
    return 0;
}

/* ---- backup ------------------------------------------------------------ */

typedef struct count_ctx {
    json_t *obj;
    int64_t total;
} count_ctx;

static bk_err count_row(void *ud, const char *table, int64_t rows)
{
    count_ctx *k = ud;
    k->total += rows;
    if (k->obj)
        return json_object_set_new(k->obj, table, json_integer(rows)) ? BK_ERR_NOMEM : BK_OK;
    printf("  %-20s %lld\n", table, (long long)rows);
    return BK_OK;
}

int ctl_cmd_backup(ctl *c, int argc, char **argv)
{
    const char *usage = "backup FILE [--force]";
    const char *file = NULL;
    int force = 0;
    char *pos[1] = {0};
    const ctl_opt_def opts[] = {CTL_FLAG("--force", &force), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_NOT_OPTION, pos, 1};
    int bad = ctl_args(c, usage, argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    file = pos[0];
    if (!file) return ctl_usage(c, usage);
    int rc = ctl_open(c);
    if (rc) return rc;
    int64_t t0 = otime_mono_us();
    store_data_backup_info info;
    bk_err e = store_data_backup(c->st, file, force, &info);
    if (e == BK_ERR_EXISTS)
        return ctl_fail(c, e, "%s already exists (use --force to replace it)", file);
    if (e) return fail_store(c, e, "backup failed");
    double secs = (double)(otime_mono_us() - t0) / 1e6;
    /* Row counts of the copy (store_data_backup read them from the copy, or
     * from the very snapshot the server's archive was dumped from). */
    count_ctx k = {0};
    if (c->json && !(k.obj = json_object())) return ctl_fail(c, BK_ERR_NOMEM, "out of memory");
    if (!c->json && info.pages > 0)
        printf("backup %s: %lld pages, %lld bytes, integrity_check %s, schema %d, %.3f s\n", file,
               (long long)info.pages, (long long)info.bytes, info.integrity, info.schema_version,
               secs);
    else if (!c->json)
        printf("backup %s: %s archive, %lld bytes, read back %s, schema %d, %.3f s\n", file,
               info.format, (long long)info.bytes, info.integrity, info.schema_version, secs);
    for (int i = 0; i < info.n_tables; i++) {
        if ((e = count_row(&k, info.tables[i].name, info.tables[i].rows))) {
            json_decref(k.obj);
            return ctl_fail(c, e, "out of memory");
        }
    }
    /* Record it (after the copy: the audit row is not in it). */
    char d[STORE_TEXT_SZ];
    snprintf(d, sizeof d, "backup to %s: %lld bytes, %lld rows, integrity %s", file,
             (long long)info.bytes, (long long)k.total, info.integrity);
    if ((e = store_begin(c->st, STORE_TX_WRITE)) ||
        (e = store_audit_add(c->st, queue_now(&c->q), c->actor, "backup", 0, NULL, d)) ||
        (e = store_commit(c->st))) {
        store_rollback(c->st);
        fprintf(stderr, "bapasctl: warning: the backup is complete but the audit row failed: %s\n",
                store_errmsg(c->st));
    }
    if (c->json)
        return ctl_emit(c,
                        json_pack("{s:s, s:I, s:I, s:s, s:b, s:i, s:f, s:o, s:s}", "file", file,
                                  "pages", (json_int_t)info.pages, "bytes", (json_int_t)info.bytes,
                                  "integrity", info.integrity, "integrity_ok", info.integrity_ok,
                                  "schema_version", info.schema_version, "seconds", secs, "tables",
                                  k.obj, "format", info.format));
    return 0;
}
