/* ctl_holidays.c — bapasctl holidays: import the office's holiday list
 * (core/holidays.h) and list it. On PostgreSQL the import writes as the
 * connecting role, as `bapasctl import` does: only the owner may (the other
 * roles have SELECT on holidays and nothing else). */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "ctl.h"
#include "holidays.h"
#include "otime.h"
#include "store_data.h"

static int fail_store(ctl *c, bk_err e, const char *what)
{
    return ctl_fail(c, e, "%s: %s", what, c->st ? store_errmsg(c->st) : bk_err_name(e));
}

static int import_problems(ctl *c, bk_err e, const char *file, const hol_result *r)
{
    char line[400];
    json_t *arr = c->json ? json_array() : NULL;
    for (size_t i = 0; i < r->problems.n; i++) {
        const csvimport_problem *p = &r->problems.v[i];
        const char *msg = ctl_tr(c, p->msg);
        if (p->line > 0)
            snprintf(line, sizeof line, ctl_tr(c, "line %d: %s: %s"), p->line, p->column, msg);
        else
            snprintf(line, sizeof line, "%s: %s", p->column, msg);
        fprintf(stderr, "%s\n", line);
        if (arr)
            json_array_append_new(arr, json_pack("{s:i, s:s, s:s, s:s}", "line", p->line, "column",
                                                 p->column, "message", p->msg, "text", line));
    }
    if (r->problems.total > r->problems.n)
        fprintf(stderr, ctl_tr(c, "... and %zu more problems\n"),
                r->problems.total - r->problems.n);
    char msg[300];
    snprintf(msg, sizeof msg, ctl_tr(c, "%zu problem(s) in %s; nothing was imported"),
             r->problems.total, file);
    fprintf(stderr, "bapasctl: %s\n", msg);
    if (c->json)
        ctl_emit(c, json_pack("{s:s, s:s, s:i, s:I, s:o}", "error", bk_err_name(e), "message", msg,
                              "exit_code", bk_exit_code(e), "problem_count",
                              (json_int_t)r->problems.total, "problems", arr ? arr : json_array()));
    return bk_exit_code(e);
}

static int holidays_import(ctl *c, int argc, char **argv)
{
    const char *usage = "holidays import FILE [--dry-run]";
    int dry_run = 0;
    char *pos[1] = {0};
    const ctl_opt_def opts[] = {CTL_FLAG("--dry-run", &dry_run), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_NOT_OPTION, pos, 1};
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, NULL);
    if (bad) return bad;
    const char *file = pos[0];
    if (!file) return ctl_usage(c, usage);
    int rc = ctl_open(c);
    if (rc) return rc;
    hol_result r;
    bk_err e = hol_import_file(c->st, file, dry_run, c->actor, queue_now(&c->q), &r);
    if (e == BK_ERR_INVALID || (e == BK_ERR_IO && r.problems.total)) {
        int out = import_problems(c, e, file, &r);
        hol_result_free(&r);
        return out;
    }
    if (e) {
        hol_result_free(&r);
        return fail_store(c, e, ctl_tr(c, "import failed, nothing was imported"));
    }
    int out = 0;
    if (c->json)
        out =
            ctl_emit(c, json_pack("{s:s, s:s, s:b, s:I, s:i, s:i, s:i}", "kind", "holidays", "file",
                                  file, "dry_run", dry_run, "rows", (json_int_t)r.rows, "added",
                                  r.added, "updated", r.updated, "unchanged", r.unchanged));
    else
        printf(ctl_tr(c, "%s holidays from %s: %zu rows, %d added, %d updated, %d unchanged\n"),
               dry_run ? ctl_tr(c, "would import") : ctl_tr(c, "imported"), file, r.rows, r.added,
               r.updated, r.unchanged);
    hol_result_free(&r);
    return out;
}

typedef struct hol_list {
    ctl *c;
    json_t *arr;
    int n;
} hol_list;

static const char *const wd_en[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

static int weekday_of(const char *day)
{
    int y = 0, m = 0, d = 0;
    if (sscanf(day, "%d-%d-%d", &y, &m, &d) != 3) return 0;
    int64_t n = otime_days_from_civil(y, m, d);
    return (int)(((n % 7) + 7 + 4) % 7);
}

static bk_err list_row(void *ud, const store_data_holiday *h)
{
    hol_list *l = ud;
    const char *kind = store_data_holiday_kind_name(h->kind);
    int wd = weekday_of(h->day);
    l->n++;
    if (l->arr) {
        if (json_array_append_new(l->arr, json_pack("{s:s, s:s, s:s, s:i}", "date", h->day, "kind",
                                                    kind, "name", h->name, "weekday", wd)))
            return BK_ERR_NOMEM;
        return BK_OK;
    }
    printf("%s  %s  %-5s  %s\n", h->day, ctl_tr(l->c, wd_en[wd]), kind, h->name);
    return BK_OK;
}

static int holidays_list(ctl *c, int argc, char **argv)
{
    const char *usage = "holidays list [--year YYYY]";
    const char *year = NULL;
    const ctl_opt_def opts[] = {CTL_STRING("--year", &year), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    int bad = ctl_args(c, usage, argc, argv, 2, &spec, NULL);
    if (bad) return bad;
    char from[11], to[11];
    if (year) {
        if (strlen(year) != 4 || strspn(year, "0123456789") != 4)
            return ctl_fail(c, BK_ERR_INVALID, "--year \"%s\" is not a year such as 2026", year);
        snprintf(from, sizeof from, "%.4s-01-01", year);
        snprintf(to, sizeof to, "%.4s-12-31", year);
    }
    int rc = ctl_open(c);
    if (rc) return rc;
    hol_list l = {c, NULL, 0};
    if (c->json && !(l.arr = json_array())) return ctl_fail(c, BK_ERR_NOMEM, "out of memory");
    bk_err e = store_data_holiday_list(c->st, year ? from : NULL, year ? to : NULL, list_row, &l);
    if (e) {
        json_decref(l.arr);
        return fail_store(c, e, "holidays list");
    }
    char wd[64];
    cal_format_workdays(c->cfg.working_days, wd, sizeof wd);
    if (c->json)
        return ctl_emit(
            c, json_pack("{s:s, s:i, s:o}", "working_days", wd, "count", l.n, "holidays", l.arr));
    if (!l.n) printf("%s\n", ctl_tr(c, "no holidays (bapasctl holidays import FILE)"));
    printf(ctl_tr(c, "working days: %s\n"), wd);
    return 0;
}

int ctl_cmd_holidays(ctl *c, int argc, char **argv)
{
    const char *usage = "holidays import FILE [--dry-run]\n"
                        "       bapasctl holidays list [--year YYYY]";
    if (argc < 2) return ctl_usage(c, usage);
    if (strcmp(argv[1], "import") == 0) return holidays_import(c, argc, argv);
    if (strcmp(argv[1], "list") == 0) return holidays_list(c, argc, argv);
    return ctl_usage(c, usage);
}
