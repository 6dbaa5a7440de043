/* bapasctl — the command-line tool over the shared database. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "otime.h"
#include "paths.h"
#include "printer.h"

#ifndef BK_VERSION
#define BK_VERSION "0.0.0"
#endif

/* The commands. Each one's usage line and options are its own (the usage
 * string and the ctl_opt table it scans with): `bapasctl COMMAND --help`
 * prints them from there (ctl_args, ctl_usage), so they cannot drift apart;
 * only the one-line description is kept here. */
typedef struct cmd {
    const char *name;
    ctl_fn fn;
    const char *desc;
} cmd;

static const cmd commands[] = {
    {"init", ctl_cmd_init, "create or migrate the database (--demo: with the demo office)"},
    {"officer", ctl_cmd_officer, "officers: add, list, presence for a day"},
    {"client", ctl_cmd_client, "clients: add, show, unlock after failed check-ins"},
    {"checkin", ctl_cmd_checkin, "check a client in, as the kiosk does"},
    {"walkin", ctl_cmd_walkin, "a reception ticket for someone without a client number"},
    {"queue", ctl_cmd_queue, "waiting and called tickets"},
    {"call-next", ctl_cmd_call_next, "call an officer's next ticket"},
    {"recall", ctl_cmd_ticket_action, "call a called ticket again"},
    {"start", ctl_cmd_ticket_action, "the officer starts serving a ticket"},
    {"done", ctl_cmd_ticket_action, "a ticket is served, with its outcome"},
    {"no-show", ctl_cmd_ticket_action, "the client did not come when called"},
    {"cancel", ctl_cmd_ticket_action, "cancel a ticket"},
    {"priority", ctl_cmd_ticket_action, "move a ticket to the front of its queue"},
    {"transfer", ctl_cmd_ticket_action, "give a ticket to another officer"},
    {"show", ctl_cmd_ticket_action, "one ticket"},
    {"close-day", ctl_cmd_close_day, "close earlier days' open tickets as no_show"},
    {"doctor", ctl_cmd_doctor, "health checks: OK/WARN/FAIL, exit 1 on FAIL"},
    {"slip", ctl_cmd_slip, "a ticket's slip as PNG or ESC/POS, or printed again"},
    {"print-test", ctl_cmd_print_test, "print a test slip (no client data)"},
    {"lookup", ctl_cmd_lookup, "the ticket of a scanned slip QR"},
    {"import", ctl_cmd_import, "import officers or clients from a CSV file"},
    {"holidays", ctl_cmd_holidays, "the office calendar: import and list holidays"},
    {"roster", ctl_cmd_roster, "duty roster: day records and the weekly pattern"},
    {"report", ctl_cmd_report, "reports: daily, missed, continuity, outcomes, waits"},
    {"audit", ctl_cmd_audit, "the audit trail"},
    {"backup", ctl_cmd_backup, "a consistent online copy of the database"},
    {"migrate-to", ctl_cmd_migrate_to, "copy this office into an empty PostgreSQL database"},
    {"user", ctl_cmd_user, "staff accounts: add, passwd, disable, enable, unlock, list"},
    {"questions", ctl_cmd_questions, "the wajib lapor questions: list, add, set, disable, enable"},
    /* Commands of later areas register here. */
};

static void usage_all(const ctl *c, FILE *f)
{
    fprintf(f, "%s",
            ctl_tr(c, "usage: bapasctl [--db PATH] [--config FILE] [--json] [--actor "
                      "NAME] COMMAND ...\n\ncommands:\n"));
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, ctl_tr(c, commands[i].desc));
    fprintf(f, "\n%s",
            ctl_tr(c, "bapasctl COMMAND --help (or bapasctl help COMMAND): its usage and "
                      "options.\nTICKET is today's code (A-007) or a numeric id.\nexit codes: 0 "
                      "ok, 1 internal or database error, 2 usage, 3 not found,\n            4 "
                      "input rejected, 5 wrong state\ndatabase: --db beats $BAPAS_DB beats "
                      "[database] path in the config.\n"));
}

/* The placeholder the usage line gives an option ("--birth YYYY-MM-DD" ->
 * "YYYY-MM-DD"), or "" when the usage line does not name the option with a
 * value. */
static void usage_value(const char *usage, const char *opt, char *out, size_t outsz)
{
    out[0] = 0;
    size_t n = strlen(opt);
    for (const char *p = strstr(usage, opt); p; p = strstr(p + 1, opt)) {
        if (p > usage && p[-1] != ' ' && p[-1] != '[' && p[-1] != '|') continue;
        if (p[n] != ' ' && p[n] != '=') continue;
        const char *v = p + n + 1;
        size_t k = strcspn(v, " ]");
        if (k == 0 || v[0] == '-' || v[0] == '[') continue;
        snprintf(out, outsz, "%.*s", (int)k, v);
        return;
    }
}

static void help_head(ctl *c, const char *usage)
{
    printf(ctl_tr(c, "usage: bapasctl %s"), usage);
    putchar('\n');
    if (c->cmd_desc && *c->cmd_desc) printf("\n%s\n", ctl_tr(c, c->cmd_desc));
}

static void help_tail(const ctl *c)
{
    printf("\n%s", ctl_tr(c, "global options: --db PATH, --config FILE, --json, --actor NAME\n"
                             "exit codes: 0 ok, 1 internal or database error, 2 usage, 3 not "
                             "found,\n            4 input rejected, 5 wrong state\n"));
}

const char *ctl_tr(const ctl *c, const char *english)
{
    return i18n_fmt(c->tr, "ctl.m.", english);
}

/* Indonesian messages? [office] language, else the locale. */
static int want_indonesian(const cfg *cf)
{
    if (strcmp(cf->office_language, "id") == 0) return 1;
    if (strcmp(cf->office_language, "en") == 0) return 0;
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) return strncmp(v, "id", 2) == 0;
    }
    return 0;
}

/* Load or drop the Indonesian catalog for c->cfg (again after the config
 * is read: [office] language may change the locale's choice). */
static void set_language(ctl *c)
{
    int id = want_indonesian(&c->cfg);
    if (id && !c->tr) {
        char dir[CFG_PATH_SZ];
        if (paths_asset("i18n", dir, sizeof dir) == BK_OK)
            i18n_load(dir, "id", &c->tr); /* none found: the messages stay English */
    } else if (!id && c->tr) {
        i18n_free(c->tr);
        c->tr = NULL;
    }
}

int ctl_fail(ctl *c, bk_err e, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, ctl_tr(c, fmt), ap);
    va_end(ap);
    if (c->json) {
        json_t *o = json_pack("{s:s, s:s, s:i}", "error", bk_err_name(e), "message", msg,
                              "exit_code", bk_exit_code(e));
        if (o) {
            json_dumpf(o, stdout, JSON_COMPACT);
            fputc('\n', stdout);
            json_decref(o);
        }
    }
    fprintf(stderr, "bapasctl: %s\n", msg);
    return bk_exit_code(e);
}

/* A command's help on stdout: text, or with --json one object
 * {"command", "usage", "description", "options": [{"name", "value"}],
 * "global_options": [...], "exit_codes": {"0": "ok", ...}} (usage and
 * description in the message language; names and codes as typed). opts:
 * the command's options (NULL or an empty table: none). */
static int help(ctl *c, const char *usage, const ctl_opt_def *opts)
{
    if (c->json) {
        json_t *o = json_object(), *ol = json_array(), *codes = json_object();
        if (!o || !ol || !codes) {
            json_decref(o);
            json_decref(ol);
            json_decref(codes);
            return ctl_emit(c, NULL);
        }
        char u[512];
        snprintf(u, sizeof u, "bapasctl %s", usage);
        json_object_set_new(o, "command", json_string(c->cmd_name ? c->cmd_name : ""));
        json_object_set_new(o, "usage", json_string(u));
        json_object_set_new(o, "description",
                            json_string(c->cmd_desc ? ctl_tr(c, c->cmd_desc) : ""));
        for (const ctl_opt_def *d = opts; d && d->name; d++) {
            char v[64] = "";
            if (d->kind == CTL_OPT_STRING || d->kind == CTL_OPT_ID) {
                usage_value(usage, d->name, v, sizeof v);
                if (!*v) snprintf(v, sizeof v, "VALUE");
            }
            json_array_append_new(
                ol, json_pack("{s:s, s:s?}", "name", d->name, "value", *v ? v : NULL));
        }
        json_object_set_new(o, "options", ol);
        json_object_set_new(
            o, "global_options",
            json_pack("[s, s, s, s]", "--db PATH", "--config FILE", "--json", "--actor NAME"));
        static const char *const code_names[] = {
            "ok",         "internal or database error", "usage", "not found", "input rejected",
            "wrong state"};
        for (int i = 0; i < 6; i++) {
            char k[4];
            snprintf(k, sizeof k, "%d", i);
            json_object_set_new(codes, k, json_string(code_names[i]));
        }
        json_object_set_new(o, "exit_codes", codes);
        int rc = ctl_emit(c, o);
        return rc ? rc : CTL_RC_HELP;
    }
    help_head(c, usage);
    if (opts && opts->name) {
        printf("\n%s", ctl_tr(c, "options:\n"));
        for (const ctl_opt_def *d = opts; d->name; d++) {
            char v[64];
            usage_value(usage, d->name, v, sizeof v);
            if (d->kind == CTL_OPT_STRING || d->kind == CTL_OPT_ID)
                printf("  %s %s\n", d->name, *v ? v : "VALUE");
            else
                printf("  %s\n", d->name);
        }
    }
    help_tail(c);
    return CTL_RC_HELP;
}

int ctl_usage(ctl *c, const char *usage)
{
    if (c->help) return help(c, usage, NULL);
    return ctl_fail(c, BK_ERR_USAGE, "usage: bapasctl %s", usage);
}

int ctl_args(ctl *c, const char *usage, int argc, char **argv, int from, const ctl_args_spec *spec,
             int *n_pos)
{
    if (c->help) return help(c, usage, spec->opts);
    if (ctl_scan(argc, argv, from, spec, n_pos, NULL) != CTL_SCAN_OK) return ctl_usage(c, usage);
    return 0;
}

int ctl_emit(ctl *c, json_t *v)
{
    (void)c;
    if (!v) {
        fprintf(stderr, "bapasctl: out of memory building JSON\n");
        return 1;
    }
    int rc = json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(v);
    if (rc != 0 || fputc('\n', stdout) == EOF || fflush(stdout) != 0) return 1;
    return 0;
}

/* Only `init` creates a database file; every other command given a missing
 * one fails with exit 3 and creates nothing. */
static int open_db(ctl *c, int create)
{
    if (c->help) return ctl_usage(c, c->cmd_name); /* help never touches the database */
    if (c->st) return 0;
    store_opts o = {.busy_timeout_ms = c->cfg.busy_timeout_ms,
                    .utc_offset_min = c->cfg.utc_offset_min,
                    .create = create};
    char err[512];
    bk_err e = store_open(c->db_path, &o, &c->st, err, sizeof err);
    if (e) {
        char shown[CFG_PATH_SZ];
        paths_display(c->db_path, shown, sizeof shown);
        if (e == BK_ERR_NOT_FOUND)
            return ctl_fail(c, e,
                            "the database %s does not exist (a mistyped --db?); create it "
                            "with: bapasctl --db %s init",
                            shown, shown);
        return ctl_fail(c, e, "cannot open database %s: %s", shown, err);
    }
    c->q.st = c->st;
    return 0;
}

int ctl_open(ctl *c)
{
    return open_db(c, 0);
}

int ctl_open_create(ctl *c)
{
    return open_db(c, 1);
}

int main(int argc, char **argv)
{
    static ctl c; /* large (config); static storage, still passed explicitly */
    int rc = 2;
    const char *db = NULL, *config = NULL, *actor = NULL;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0;
    if (!rest) {
        fprintf(stderr, "bapasctl: out of memory\n");
        return 1;
    }
    /* Global options anywhere on the line; every other word goes to the
     * command. --version and --help act where they stand. */
    int version = 0, help = 0, at = 0;
    const ctl_opt_def global[] = {CTL_FLAG("--json", &c.json),     CTL_STRING("--db", &db),
                                  CTL_STRING("--config", &config), CTL_STRING("--actor", &actor),
                                  CTL_STOP("--version", &version), CTL_STOP("--help", &help),
                                  CTL_STOP("-h", &help),           CTL_OPT_END};
    const ctl_args_spec spec = {global, CTL_POS_ANY, rest, argc};
    cfg_defaults(&c.cfg);
    set_language(&c); /* the locale's, until the config is read */
    ctl_scan_result sr = ctl_scan(argc, argv, 1, &spec, &nrest, &at);
    if (sr == CTL_SCAN_MISSING) {
        rc = ctl_fail(&c, BK_ERR_USAGE, "%s needs a value", argv[at]);
        goto out;
    }
    if (version) {
        printf("bapasctl %s\n", BK_VERSION);
        rc = 0;
        goto out;
    }
    /* `bapasctl help [COMMAND ...]` is `bapasctl [COMMAND ...] --help`. */
    if (!help && nrest > 0 && strcmp(rest[0], "help") == 0) {
        help = 1;
        memmove(rest, rest + 1, (size_t)nrest * sizeof *rest);
        nrest--;
    }
    if (help && nrest > 0) { /* a command's help: it prints its own usage and options */
        c.help = 1;
        rest[nrest++] = "--help";
    }

    /* doctor reports config problems itself, as one of its checks (even
     * problems that stop every other command). */
    int doctor = (nrest > 0 && strcmp(rest[0], "doctor") == 0) || help; /* help: as doctor */
    if (!config) config = getenv("BAPAS_CONFIG");
    if (config) {
        snprintf(c.config_path, sizeof c.config_path, "%s", config);
        if (cfg_load(&c.cfg, config) && !doctor) {
            rc = ctl_fail(&c, BK_ERR_USAGE, "cannot read config file %s", config);
            goto out;
        }
    } else if (access(CFG_DEFAULT_PATH, R_OK) == 0) {
        cfg_load(&c.cfg, CFG_DEFAULT_PATH);
    }
    printer_cfg_check(&c.cfg); /* the print layer's parser judges [printer] target */
    set_language(&c);
    if (help && nrest == 0) {
        usage_all(&c, stdout);
        rc = 0;
        goto out;
    }
    for (int i = 0; !doctor && i < c.cfg.n_issues; i++) {
        char text[CFG_PATH_SZ + CFG_STR_SZ + 32];
        cfg_issue_text(&c.cfg, i, text, sizeof text);
        fprintf(stderr, "bapasctl: %s\n", text); /* the README's messages: English */
    }
    if (!doctor && cfg_has_fatal(&c.cfg)) {
        rc = ctl_fail(&c, BK_ERR_USAGE, "the config has errors that make it unsafe to run");
        goto out;
    }
    if (!db) db = getenv("BAPAS_DB");
    snprintf(c.db_path, sizeof c.db_path, "%s", db && *db ? db : c.cfg.db_path);
    if (!actor) {
        const char *u = getenv("SUDO_USER");
        if (!u) u = getenv("USER");
        snprintf(c.actor, sizeof c.actor, "cli:%s", u && *u ? u : "unknown");
    } else {
        snprintf(c.actor, sizeof c.actor, "%s", actor);
    }

    c.q.utc_offset_min = c.cfg.utc_offset_min;
    c.q.lockout_limit = c.cfg.lockout_limit;
    c.q.working_days = c.cfg.working_days;
    c.q.default_service_min = c.cfg.default_service_minutes;
    c.q.actor = c.actor;
    bk_err fe = otime_test_now(&c.q.fixed_now); /* test aid: pretend it is this instant */
    if (fe) {
        rc = ctl_fail(&c, BK_ERR_USAGE, "%s",
                      fe == BK_ERR_INVALID ? "BAPAS_NOW is not an ISO instant or epoch seconds"
                                           : "BAPAS_NOW is a test aid, not in this build");
        goto out;
    }

    if (nrest == 0) {
        usage_all(&c, stderr);
        rc = 2;
        goto out;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        if (strcmp(rest[0], commands[k].name) == 0) {
            c.cmd_name = commands[k].name;
            c.cmd_desc = commands[k].desc;
            rc = commands[k].fn(&c, nrest, rest);
            if (rc == CTL_RC_HELP) rc = 0;
            goto out;
        }
    }
    rc = ctl_fail(&c, BK_ERR_USAGE, "unknown command \"%s\" (see bapasctl --help)", rest[0]);
out:
    if (c.st) store_close(c.st);
    i18n_free(c.tr);
    free(rest);
    return rc;
}
