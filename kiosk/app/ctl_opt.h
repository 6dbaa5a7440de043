/* ctl_opt.h — command-line option scanning for bapasctl and bapas-kiosk.
 *
 * One table per command says which options it takes; one function walks
 * argv. An option with a value is written `--name VALUE` or `--name=VALUE`;
 * a flag is exactly `--name`. Everything else is a positional argument,
 * taken in order into the caller's slots under a rule. Values point into
 * argv (nothing is copied or allocated). No messages are printed here: the
 * caller says what went wrong in its own words (bapasctl: ctl_args() in
 * ctl.h prints the command's usage and returns exit code 2).
 *
 * Only flags, strings and officer ids: numbers, dates and choices are checked by the
 * commands themselves, because their messages (and exit code 4 for a bad
 * value) are part of the CLI contract.
 */
#ifndef BK_CTL_OPT_H
#define BK_CTL_OPT_H

typedef enum ctl_opt_kind {
    CTL_OPT_FLAG,   /* `--name`: *flag = 1 */
    CTL_OPT_STRING, /* `--name VALUE` or `--name=VALUE`: *value = VALUE (the last one wins) */
    CTL_OPT_STOP,   /* `--name`: *flag = 1 and the scan ends there (--help, --version) */
    CTL_OPT_ID,     /* an officer id, as STRING, put in its canonical form in place (argv's
                       text is upper-cased: valid_officer_id_canon), so `--officer pk05`
                       is `--officer PK05` */
} ctl_opt_kind;

typedef struct ctl_opt_def {
    const char *name; /* with its dashes: "--officer"; NULL ends a table */
    ctl_opt_kind kind;
    int *flag;          /* CTL_OPT_FLAG, CTL_OPT_STOP */
    const char **value; /* CTL_OPT_STRING */
} ctl_opt_def;

#define CTL_FLAG(name, p)                                                                          \
    {                                                                                              \
        (name), CTL_OPT_FLAG, (p), 0                                                               \
    }
#define CTL_STRING(name, p)                                                                        \
    {                                                                                              \
        (name), CTL_OPT_STRING, 0, (p)                                                             \
    }
#define CTL_ID(name, p)                                                                            \
    {                                                                                              \
        (name), CTL_OPT_ID, 0, (p)                                                                 \
    }
#define CTL_STOP(name, p)                                                                          \
    {                                                                                              \
        (name), CTL_OPT_STOP, (p), 0                                                               \
    }
#define CTL_OPT_END                                                                                \
    {                                                                                              \
        0, CTL_OPT_FLAG, 0, 0                                                                      \
    }

/* Which words may be positional arguments. */
typedef enum ctl_pos_rule {
    CTL_POS_ANY,        /* any word that is not an option of the table */
    CTL_POS_NOT_OPTION, /* not one that looks like an option ("-x"); "-" alone is taken */
    CTL_POS_NO_DASH,    /* nothing that starts with '-' */
} ctl_pos_rule;

typedef struct ctl_args_spec {
    const ctl_opt_def *opts; /* ended by CTL_OPT_END; NULL = no options */
    ctl_pos_rule rule;
    char **pos;  /* max_pos slots for the positionals, in order; may be NULL */
    int max_pos; /* 0: no positional is accepted */
} ctl_args_spec;

typedef enum ctl_scan_result {
    CTL_SCAN_OK = 0,
    CTL_SCAN_MISSING, /* an option needs a value and argv ended: *at is the option */
    CTL_SCAN_UNKNOWN, /* a word is not an option and no positional may take it: *at */
    CTL_SCAN_STOPPED, /* a CTL_OPT_STOP option was seen: *at is it (its flag is set) */
} ctl_scan_result;

/* Scan argv[from..argc) against the spec. Options and positionals may come
 * in any order; each option is tried before the word counts as positional.
 * *n_pos (may be NULL) = the number of positionals stored; *at (may be NULL)
 * = argv index of the word a non-OK result is about. Slots not reached are
 * left as they were. */
ctl_scan_result ctl_scan(int argc, char **argv, int from, const ctl_args_spec *spec, int *n_pos,
                         int *at);

/* One option: if argv[*i] is `name` (or `name=VALUE`), store the value in
 * *out (advancing *i past a separate value) and return 1; return -1 if the
 * value is missing; 0 if argv[*i] is another word. ctl_scan's matcher, for
 * the commands that still walk argv themselves. */
int ctl_opt(int argc, char **argv, int *i, const char *name, const char **out);

#endif
