/* ctl.h — shared frame of the bapasctl commands (app layer).
 *
 * bapasctl.c parses the global options (--db, --json, --config, --actor;
 * accepted before and after the command name), loads the config and calls
 * one command function from its table. A command returns the process exit
 * code (see bkerr.h: 0 ok, 1 internal, 2 usage, 3 not found, 4 rejected,
 * 5 wrong state). In --json mode it prints exactly one JSON value on stdout,
 * errors included ({"error": NAME, "message": TEXT}). A command reads its
 * arguments with ctl_args() over a table of its options (ctl_opt.h).
 */
#ifndef BK_CTL_H
#define BK_CTL_H

#include <jansson.h>

#include "bkerr.h"
#include "config.h"
#include "ctl_opt.h"
#include "i18n.h"
#include "qjson.h"
#include "queue.h"
#include "store.h"

typedef struct ctl {
    cfg cfg;
    char db_path[CFG_PATH_SZ];
    char config_path[CFG_PATH_SZ];
    char actor[128];
    int json;
    store *st;            /* opened by ctl_open(); closed by main */
    queue_ctx q;          /* ready after ctl_open() */
    int help;             /* `COMMAND --help`: ctl_args/ctl_usage print help, nothing runs */
    const char *cmd_name; /* the command being run (static) */
    const char *cmd_desc; /* its one-line description (static) */
    i18n *tr;             /* the Indonesian catalog when messages are in Indonesian, else NULL */
} ctl;

/* The Indonesian text of an English message or printf format of bapasctl
 * (catalog key "ctl.m." + its slug, i18n_fmt), or the English itself when
 * messages are in English or it has no translation. Messages are in
 * Indonesian when [office] language = id, or it is auto (the default) and
 * LC_ALL, else LC_MESSAGES, else LANG starts with "id". JSON keys and error
 * codes never change; only message text does. */
const char *ctl_tr(const ctl *c, const char *english);

/* Returned by ctl_args/ctl_usage/ctl_open in help mode after printing the
 * command's help to stdout; the command returns it as is and main exits 0. */
#define CTL_RC_HELP (-1)

typedef int (*ctl_fn)(ctl *c, int argc, char **argv);

/* Open (and migrate) the existing database and fill c->q. Returns 0 or an
 * exit code after printing the error: 3 (and nothing created) when the file
 * does not exist. */
int ctl_open(ctl *c);
/* ctl_open, creating the database file (mode 0660) if missing: `init` only. */
int ctl_open_create(ctl *c);

/* Print an error (text to stderr, or the JSON object to stdout) and return
 * bk_exit_code(e). fmt is printf-style, in English, for the operator;
 * it is translated by ctl_tr. */
int ctl_fail(ctl *c, bk_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Usage error: prints `usage` and returns 2. In help mode (c->help) prints
 * the help instead and returns CTL_RC_HELP. */
int ctl_usage(ctl *c, const char *usage);

/* Print and release a JSON value (steals the reference). Returns 0, or 1 if
 * printing failed. */
int ctl_emit(ctl *c, json_t *v);

/* The ticket object shared by checkin, queue, call-next, lookup and every
 * ticket action: id, code, token, status, purpose, officer {id,name,room} or
 * null, routed, position, eta_minutes, existing, plus extensions. */
json_t *ctl_view_json(const queue_view *v);

/* A human one-line summary of a ticket view, to stdout. */
void ctl_view_print(const queue_view *v);

/* A command's options and positionals (ctl_opt.h), scanned from argv[from].
 * Any problem (an unknown option, a missing value, a word too many) prints
 * `usage` as ctl_usage does and returns 2; else 0, with *n_pos (may be
 * NULL) the number of positionals stored. In help mode (c->help, from
 * `COMMAND --help`) nothing is scanned: the usage, the description and the
 * table's options (each with the placeholder the usage line gives it) are
 * printed to stdout and CTL_RC_HELP is returned. */
int ctl_args(ctl *c, const char *usage, int argc, char **argv, int from, const ctl_args_spec *spec,
             int *n_pos);

/* Commands (one file per area). */
int ctl_cmd_init(ctl *c, int argc, char **argv);
int ctl_cmd_officer(ctl *c, int argc, char **argv);
int ctl_cmd_client(ctl *c, int argc, char **argv);
int ctl_cmd_checkin(ctl *c, int argc, char **argv);
int ctl_cmd_walkin(ctl *c, int argc, char **argv);
int ctl_cmd_queue(ctl *c, int argc, char **argv);
int ctl_cmd_call_next(ctl *c, int argc, char **argv);
int ctl_cmd_ticket_action(
    ctl *c, int argc, char **argv); /* recall start done no-show cancel priority transfer show */
int ctl_cmd_close_day(ctl *c, int argc, char **argv);
int ctl_cmd_doctor(ctl *c, int argc, char **argv);     /* ctl_doctor.c */
int ctl_cmd_slip(ctl *c, int argc, char **argv);       /* ctl_slip.c */
int ctl_cmd_lookup(ctl *c, int argc, char **argv);     /* ctl_slip.c */
int ctl_cmd_print_test(ctl *c, int argc, char **argv); /* ctl_slip.c */
int ctl_cmd_import(ctl *c, int argc, char **argv);     /* ctl_data.c */
int ctl_cmd_holidays(ctl *c, int argc, char **argv);   /* ctl_holidays.c */
int ctl_cmd_roster(ctl *c, int argc, char **argv);     /* ctl_data.c */
int ctl_cmd_report(ctl *c, int argc, char **argv);     /* ctl_data.c */
int ctl_cmd_audit(ctl *c, int argc, char **argv);      /* ctl_data.c */
int ctl_cmd_backup(ctl *c, int argc, char **argv);     /* ctl_data.c */
int ctl_cmd_migrate_to(ctl *c, int argc, char **argv); /* ctl_migrate.c */
int ctl_cmd_user(ctl *c, int argc, char **argv);       /* ctl_user.c */
int ctl_cmd_questions(ctl *c, int argc, char **argv);  /* ctl_questions.c */

/* The ticket JSON's `flags` key (ctl_questions.c), for staff outputs only
 * (queue, show, the ticket actions): null unless a client's report visit;
 * else {"answered": BOOL, "yes": [{"id", "text_id", "text_en"}, ...]}, the
 * questions answered "Ya". Returns 0, or -1 (o unchanged or partly set). */
int ctl_view_flags(ctl *c, json_t *o, const queue_view *v);
/* The same as text lines under ctl_view_print's line. */
void ctl_view_flags_print(ctl *c, const queue_view *v);

#endif
