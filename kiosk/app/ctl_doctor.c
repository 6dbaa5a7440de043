/* ctl_doctor.c — `bapasctl doctor`: is this kiosk installation healthy?
 *
 * Runs every check and prints one line per check, OK, WARN or FAIL, with the
 * detail and (for WARN/FAIL) what to do, written for the office IT person.
 * Exit status 1 when any check FAILs, else 0 (WARN alone is healthy). With
 * --json: {"database", "config", "checks": [{"name", "status", "message",
 * "details": [...]}], "ok", "warn", "fail", "healthy"}.
 *
 * It changes nothing: the database is opened read-only, the display is not
 * opened (only the devices and settings the kiosk would use are looked at),
 * nothing is sent to the printer (a device is opened and closed, a network
 * printer is connected to and disconnected).
 *
 * The checks live beside what they check, each layer probing itself into
 * one report (base/probe.h); this command picks them (--check takes names
 * or groups, comma-separated), runs them in order and prints the report:
 *   config                 core/core_probe.h: the config parses
 *   database: database schema integrity wal server tls views
 *                          store/store_probe.h, for a file or a server
 *   files: db-files        store/store_probe.h
 *   disk, backups          store/store_probe.h
 *   office: office calendar
 *                          core/core_probe.h: officers, clients, office name;
 *                          the holiday list
 *   assets: assets fonts   core/core_probe.h
 *   printer                print/printer_probe.h
 *   service: service-user  base/base_probe.h
 *   display                ui/ui_probe.h
 *   clock                  base/base_probe.h
 */
#include <stdio.h>
#include <stdlib.h>

#include "base_probe.h"
#include "core_probe.h"
#include "ctl.h"
#include "otime.h"
#include "paths.h"
#include "printer_probe.h"
#include "probe.h"
#include "store_probe.h"
#include "ui_probe.h"

static const probe_check dr_checks[] = {
    {"config", "config"},      {"database", "database"}, {"schema", "database"},
    {"integrity", "database"}, {"wal", "database"},      {"db-files", "files"},
    {"disk", "disk"},          {"backups", "backups"},   {"assets", "assets"},
    {"fonts", "assets"},       {"printer", "printer"},   {"service-user", "service"},
    {"display", "display"},    {"clock", "clock"},       {"server", "database"},
    {"tls", "database"},       {"views", "database"},    {"office", "office"},
    {"calendar", "office"},
};
#define DR_N_CHECKS (sizeof dr_checks / sizeof dr_checks[0])

static const char *dr_tr(void *ud, const char *fmt)
{
    return ctl_tr(ud, fmt);
}

/* Every probe, in the order of the report. */
static void run_probes(ctl *c, probe_report *r)
{
    store_probe sp;
    store_probe_init(&sp, c->db_path, c->cfg.busy_timeout_ms, c->cfg.utc_offset_min);
    core_probe_config(r, &c->cfg, c->config_path);
    store_probe_database(&sp, r);
    store_probe_files(&sp, r);
    store_probe_disk(&sp, r);
    store_probe_backups(&sp, r);
    store_probe_close(&sp);
    int64_t now = c->q.fixed_now ? c->q.fixed_now : otime_now(); /* BAPAS_NOW in tests */
    core_probe_office(r, &c->cfg, c->db_path);
    core_probe_calendar(r, &c->cfg, c->db_path, now);
    core_probe_assets(r);
    printer_probe(r, c->cfg.printer, c->cfg.printer_timeout_ms);
    base_probe_service_user(r);
    ui_probe_display(r);
    base_probe_clock(r, now, c->cfg.utc_offset_min, c->cfg.timezone);
}

static int emit_text(ctl *c, const probe_report *r)
{
    char shown[CFG_PATH_SZ];
    paths_display(c->db_path, shown, sizeof shown);
    printf(ctl_tr(c, "bapasctl doctor: database %s, config %s\n"), shown,
           c->cfg.source[0] ? c->cfg.source : ctl_tr(c, "(defaults)"));
    return probe_print_text(r, stdout) == 0 ? 0 : 1;
}

/* The JSON report (SKIP items left out, as in the text). */
static int emit_json(ctl *c, const probe_report *r, const int counts[PROBE__COUNT])
{
    json_t *checks = json_array();
    json_t *root = json_object();
    if (!checks || !root) {
        json_decref(checks);
        json_decref(root);
        return ctl_emit(c, NULL);
    }
    for (int i = 0; i < r->n; i++) {
        const probe_item *it = &r->items[i];
        if (it->level == PROBE_SKIP) continue;
        json_t *det = json_array();
        for (int k = 0; det && k < it->n_details; k++)
            json_array_append_new(det, json_string(it->details[k]));
        json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "name", it->name, "status",
                              probe_level_json(it->level), "message", it->msg, "details",
                              det ? det : json_array());
        if (o) json_array_append_new(checks, o);
    }
    char shown[CFG_PATH_SZ];
    paths_display(c->db_path, shown, sizeof shown);
    json_object_set_new(root, "database", json_string(shown));
    json_object_set_new(root, "config",
                        c->cfg.source[0] ? json_string(c->cfg.source) : json_null());
    json_object_set_new(root, "checks", checks);
    json_object_set_new(root, "ok", json_integer(counts[PROBE_OK]));
    json_object_set_new(root, "warn", json_integer(counts[PROBE_WARN]));
    json_object_set_new(root, "fail", json_integer(counts[PROBE_FAIL]));
    json_object_set_new(root, "healthy", json_boolean(counts[PROBE_FAIL] == 0));
    return ctl_emit(c, root);
}

int ctl_cmd_doctor(ctl *c, int argc, char **argv)
{
    const char *only = NULL; /* --check list, NULL = all */
    const ctl_opt_def opts[] = {CTL_STRING("--check", &only), CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_NO_DASH, NULL, 0};
    int bad = ctl_args(c, "doctor [--check NAME,...]", argc, argv, 1, &spec, NULL);
    if (bad) return bad;
    if (only) {
        char badname[64];
        if (!*only || !probe_list_valid(dr_checks, DR_N_CHECKS, only, badname, sizeof badname))
            return ctl_fail(c, BK_ERR_USAGE,
                            "doctor: unknown check \"%s\" (config, database, schema, "
                            "integrity, wal, server, tls, views, db-files, disk, backups, "
                            "office, assets, fonts, printer, service-user, display, clock)",
                            *only ? badname : "");
    }
    probe_report *r = calloc(1, sizeof *r); /* ~100 KiB of details: not on the stack */
    if (!r) return ctl_fail(c, BK_ERR_NOMEM, "out of memory");
    probe_report_init(r, dr_checks, DR_N_CHECKS, only);
    if (c->tr) { /* the doctor's lines in the IT person's language */
        r->tr = dr_tr;
        r->tr_ud = c;
    }
    run_probes(c, r);
    int counts[PROBE__COUNT];
    probe_count(r, counts);
    int rc = c->json ? emit_json(c, r, counts) : emit_text(c, r);
    if (rc == 0 && counts[PROBE_FAIL]) rc = 1;
    free(r);
    return rc;
}
