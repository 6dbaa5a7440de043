/* bapasctl — the command-line tool over the shared database. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "paths.h"
#include "otime.h"

#ifndef BK_VERSION
#define BK_VERSION "0.0.0"
#endif

typedef struct cmd {
    const char *name;
    ctl_fn fn;
    const char *help;
} cmd;

static const cmd commands[] = {
    {"init", ctl_cmd_init, "init [--demo]                      create or migrate the database"},
    {"officer", ctl_cmd_officer, "officer add|list|presence ...     officers and their presence"},
    {"client", ctl_cmd_client, "client add|show|unlock ...        clients"},
    {"checkin", ctl_cmd_checkin, "checkin NO --birth YYYY-MM-DD --purpose P"},
    {"walkin", ctl_cmd_walkin,
     "walkin --purpose P [--name NAME] [--key KEY]  reception ticket (KEY: a safe retry)"},
    {"queue", ctl_cmd_queue, "queue [--officer ID] [--all]      waiting and called tickets"},
    {"call-next", ctl_cmd_call_next, "call-next --officer ID"},
    {"recall", ctl_cmd_ticket_action, "recall TICKET"},
    {"start", ctl_cmd_ticket_action, "start TICKET"},
    {"done", ctl_cmd_ticket_action, "done TICKET --outcome counseled|admin|referred"},
    {"no-show", ctl_cmd_ticket_action, "no-show TICKET"},
    {"cancel", ctl_cmd_ticket_action, "cancel TICKET"},
    {"priority", ctl_cmd_ticket_action, "priority TICKET"},
    {"transfer", ctl_cmd_ticket_action, "transfer TICKET --to ID [--reason TEXT]"},
    {"show", ctl_cmd_ticket_action, "show TICKET                       one ticket"},
    {"close-day", ctl_cmd_close_day,
     "close-day                         close earlier days' open tickets as no_show"},
    {"doctor", ctl_cmd_doctor,
     "doctor [--check NAME,...]         health checks: OK/WARN/FAIL, exit 1 on FAIL"},
    {"slip", ctl_cmd_slip, "slip TICKET --png FILE | --escpos FILE [--paper 58|80] | --print"},
    {"lookup", ctl_cmd_lookup, "lookup PAYLOAD                    the ticket of a scanned slip QR"},
    {"import", ctl_cmd_import, "import officers|clients FILE [--mark-missing-ended] [--dry-run]"},
    {"roster", ctl_cmd_roster,
     "roster set|weekly|list ...        duty roster (day records, weekly pattern)"},
    {"report", ctl_cmd_report,
     "report daily|missed|continuity|outcomes|waits [--from D] [--to D] [--officer ID] "
     "[--csv|--html FILE]"},
    {"audit", ctl_cmd_audit, "audit [--ticket T] [--from D] [--to D]   the audit trail"},
    {"backup", ctl_cmd_backup,
     "backup FILE [--force]             consistent online copy of the database"},
    {"migrate-to", ctl_cmd_migrate_to,
     "migrate-to postgresql://...       copy this office into an empty PostgreSQL database"},
    /* Commands of later areas register here. */
};

static void usage_all(FILE *f)
{
    fprintf(f, "usage: bapasctl [--db PATH] [--config FILE] [--json] [--actor NAME] COMMAND ...\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %s\n", commands[i].help);
    fprintf(f, "\nTICKET is today's code (A-007) or a numeric id.\n"
               "exit codes: 0 ok, 1 internal or database error, 2 usage, 3 not found,\n"
               "            4 input rejected, 5 wrong state\n"
               "database: --db beats $BAPAS_DB beats [database] path in the config.\n");
}

int ctl_fail(ctl *c, bk_err e, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
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

int ctl_usage(ctl *c, const char *usage)
{
    return ctl_fail(c, BK_ERR_USAGE, "usage: bapasctl %s", usage);
}

int ctl_args(ctl *c, const char *usage, int argc, char **argv, int from, const ctl_args_spec *spec,
             int *n_pos)
{
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
                            "basis data %s tidak ada / the database %s does not exist "
                            "(a mistyped --db?); create it with: bapasctl --db %s init",
                            shown, shown, shown);
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
    if (help) {
        usage_all(stdout);
        rc = 0;
        goto out;
    }

    /* doctor reports config problems itself, as one of its checks (even
     * problems that stop every other command). */
    int doctor = nrest > 0 && strcmp(rest[0], "doctor") == 0;
    cfg_defaults(&c.cfg);
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
    for (int i = 0; !doctor && i < c.cfg.n_issues; i++) {
        char text[CFG_PATH_SZ + CFG_STR_SZ + 32];
        cfg_issue_text(&c.cfg, i, text, sizeof text);
        fprintf(stderr, "bapasctl: %s\n", text);
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
        usage_all(stderr);
        rc = 2;
        goto out;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        if (strcmp(rest[0], commands[k].name) == 0) {
            rc = commands[k].fn(&c, nrest, rest);
            goto out;
        }
    }
    rc = ctl_fail(&c, BK_ERR_USAGE, "unknown command \"%s\" (see bapasctl --help)", rest[0]);
out:
    if (c.st) store_close(c.st);
    free(rest);
    return rc;
}
