/* ctl_opt.c — command-line option scanning (ctl_opt.h). */
#include "ctl_opt.h"

#include <string.h>

#include "valid.h"

int ctl_opt(int argc, char **argv, int *i, const char *name, const char **out)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0) return 0;
    if (a[n] == '=') {
        *out = a + n + 1;
        return 1;
    }
    if (a[n] != 0) return 0;
    if (*i + 1 >= argc) return -1;
    *out = argv[++*i];
    return 1;
}

static int positional_ok(ctl_pos_rule rule, const char *w)
{
    switch (rule) {
    case CTL_POS_NOT_OPTION:
        return !(w[0] == '-' && w[1]);
    case CTL_POS_NO_DASH:
        return w[0] != '-';
    case CTL_POS_ANY:
    default:
        return 1;
    }
}

/* Try the table's options on argv[*i]: 1 matched (advanced past a value),
 * -1 value missing, 2 a stop option, 0 none of them. */
static int match_opt(int argc, char **argv, int *i, const ctl_opt_def *opts)
{
    for (const ctl_opt_def *d = opts; d && d->name; d++) {
        if (d->kind == CTL_OPT_STRING || d->kind == CTL_OPT_ID) {
            int r = ctl_opt(argc, argv, i, d->name, d->value);
            /* the value is argv's own (writable) text */
            if (r == 1 && d->kind == CTL_OPT_ID) valid_officer_id_canon((char *)*d->value);
            if (r) return r;
        } else if (strcmp(argv[*i], d->name) == 0) {
            *d->flag = 1;
            return d->kind == CTL_OPT_STOP ? 2 : 1;
        }
    }
    return 0;
}

ctl_scan_result ctl_scan(int argc, char **argv, int from, const ctl_args_spec *spec, int *n_pos,
                         int *at)
{
    int np = 0;
    ctl_scan_result res = CTL_SCAN_OK;
    int i;
    for (i = from; i < argc; i++) {
        int start = i;
        int r = match_opt(argc, argv, &i, spec->opts);
        if (r == 1) continue;
        if (r < 0 || r == 2) {
            res = r < 0 ? CTL_SCAN_MISSING : CTL_SCAN_STOPPED;
            i = start;
            break;
        }
        if (np < spec->max_pos && spec->pos && positional_ok(spec->rule, argv[i])) {
            spec->pos[np++] = argv[i];
            continue;
        }
        res = CTL_SCAN_UNKNOWN;
        break;
    }
    if (n_pos) *n_pos = np;
    if (at) *at = res == CTL_SCAN_OK ? argc : i;
    return res;
}
