/* core_probe.c — config, assets and fonts checks (core_probe.h). */
#include "core_probe.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "paths.h"
#include "otime.h"
#include "store.h"
#include "store_data.h"

void core_probe_config(probe_report *r, const cfg *cf, const char *config_path)
{
    if (!probe_wanted(r, "config")) return;
    probe_item *it;
    if (!cf->source[0]) {
        struct stat st;
        if (config_path[0]) {
            it = probe_add(r, "config", PROBE_FAIL, "cannot read %s", config_path);
        } else if (stat(CFG_DEFAULT_PATH, &st) == 0) {
            it = probe_add(r, "config", PROBE_WARN,
                           "%s exists but this user cannot read it: built-in defaults shown",
                           CFG_DEFAULT_PATH);
            probe_detail(it, "fix: run as root: sudo bapasctl doctor");
        } else {
            it = probe_add(r, "config", PROBE_WARN,
                           "no config file %s: the built-in defaults are used", CFG_DEFAULT_PATH);
            probe_detail(it,
                         "fix: copy /usr/share/doc/bapas-kiosk/kiosk.example.ini to %s and edit it",
                         CFG_DEFAULT_PATH);
        }
        for (int i = 0; i < cf->n_issues; i++)
            probe_detail(it, "%s", cf->issues[i].msg);
        return;
    }
    int fatal = 0;
    for (int i = 0; i < cf->n_issues; i++)
        fatal += cf->issues[i].fatal;
    if (fatal)
        it = probe_add(r, "config", PROBE_FAIL, "%s: %d error(s): the kiosk refuses to start",
                       cf->source, fatal);
    else if (cf->n_issues)
        it = probe_add(r, "config", PROBE_WARN,
                       "%s: %d problem(s): defaults are used for those keys", cf->source,
                       cf->n_issues);
    else
        it = probe_add(r, "config", PROBE_OK, "%s: no problems", cf->source);
    for (int i = 0; i < cf->n_issues; i++) {
        const char *sev = cf->issues[i].fatal ? "error: " : "";
        if (cf->issues[i].line > 0)
            probe_detail(it, "line %d: %s%s", cf->issues[i].line, sev, cf->issues[i].msg);
        else
            probe_detail(it, "%s%s", sev, cf->issues[i].msg);
    }
    if (cf->n_issues >= CFG_MAX_ISSUES)
        probe_detail(it, "(only the first %d problems are listed)", CFG_MAX_ISSUES);
    /* The installed services may write only below /var/lib/bapas-kiosk. */
    static const char state_dir[] = "/var/lib/bapas-kiosk/";
    if (access("/lib/systemd/system/bapas-kiosk.service", F_OK) == 0 &&
        !store_target_is_server(cf->db_path) &&
        strncmp(cf->db_path, state_dir, sizeof state_dir - 1) != 0) {
        probe_detail(it,
                     "warning: [database] path %s is outside %s, where the services may not "
                     "write; move it back, or: sudo systemctl edit bapas-kiosk (ReadWritePaths=)",
                     cf->db_path, state_dir);
        probe_warn(it);
    }
}

static bk_err count_officer(void *ud, const store_officer *o)
{
    (void)o;
    (*(long *)ud)++;
    return BK_OK;
}

static bk_err count_client(void *ud, const store_client *cl)
{
    (void)cl;
    (*(long *)ud)++;
    return BK_OK;
}

/* Open db_target read-only, whatever the schema (the database check says
 * what is wrong with the database itself; these checks only count). NULL,
 * with a SKIP item for check, when it is missing or does not open. Nothing
 * is created. */
static store *open_counting(probe_report *r, const char *check, const cfg *cf,
                            const char *db_target)
{
    store_opts o = {.busy_timeout_ms = cf->busy_timeout_ms,
                    .utc_offset_min = cf->utc_offset_min,
                    .read_only = 1,
                    .any_schema = 1};
    store *st = NULL;
    char err[256];
    if (!store_target_is_server(db_target) && access(db_target, F_OK) != 0) {
        probe_add(r, check, PROBE_SKIP, "no database");
        return NULL;
    }
    if (store_open(db_target, &o, &st, err, sizeof err) != BK_OK) {
        probe_add(r, check, PROBE_SKIP, "the database does not open: %s", err);
        return NULL;
    }
    return st;
}

void core_probe_office(probe_report *r, const cfg *cf, const char *db_target)
{
    if (!probe_wanted(r, "office")) return;
    long officers = 0, clients = 0;
    store *st = open_counting(r, "office", cf, db_target);
    if (!st) return;
    bk_err e = store_officer_list(st, count_officer, &officers);
    if (!e) e = store_client_list(st, count_client, &clients);
    store_close(st);
    if (e) {
        probe_add(r, "office", PROBE_SKIP, "cannot count officers and clients: %s", bk_err_name(e));
        return;
    }
    int default_name = strcmp(cf->office_name, CFG_DEFAULT_OFFICE_NAME) == 0;
    probe_item *it;
    if (officers && clients && !default_name) {
        probe_add(r, "office", PROBE_OK, "%s: %ld officer(s), %ld client(s)", cf->office_name,
                  officers, clients);
        return;
    }
    if (!officers && !clients)
        it = probe_add(r, "office", PROBE_WARN,
                       "the office is empty: no officers and no clients, so every check-in "
                       "is refused");
    else
        it = probe_add(r, "office", PROBE_WARN, "%s: %ld officer(s), %ld client(s)",
                       cf->office_name, officers, clients);
    if (!officers)
        probe_detail(it, "no officers: sudo bapasctl import officers officers.csv (a template: "
                         "/usr/share/bapas-kiosk/templates/officers.csv)");
    if (!clients)
        probe_detail(it, "no clients: sudo bapasctl import clients clients.csv (a template: "
                         "/usr/share/bapas-kiosk/templates/clients.csv)");
    if (default_name)
        probe_detail(it,
                     "the office name is the default \"%s\": set [office] name = ... in %s "
                     "(it is printed on every slip)",
                     CFG_DEFAULT_OFFICE_NAME, cf->source[0] ? cf->source : CFG_DEFAULT_PATH);
}

/* Regular readable files in dir ending in one of exts (NULL-terminated);
 * -1 when dir cannot be opened. Others count in *broken (if not NULL) and
 * are named in list's details (if not NULL). */
static int count_files(const char *dir, const char *const *exts, int *broken, probe_item *list)
{
    DIR *dh = opendir(dir);
    if (!dh) return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        int match = 0;
        for (int i = 0; exts[i] && !match; i++)
            match = probe_has_suffix(de->d_name, exts[i]);
        if (!match) continue;
        char p[CFG_PATH_SZ + 300];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || access(p, R_OK) != 0) {
            if (broken) (*broken)++;
            if (list) probe_detail(list, "unreadable or broken link: %s", p);
            continue;
        }
        n++;
    }
    closedir(dh);
    return n;
}

static void check_texts(probe_report *r, const char *dir)
{
    char idir[1100];
    snprintf(idir, sizeof idir, "%s/i18n", dir);
    i18n *id = NULL, *en = NULL;
    bk_err e1 = i18n_load(idir, "id", &id);
    bk_err e2 = i18n_load(idir, "en", &en);
    if (e1 || e2) {
        probe_item *it =
            probe_add(r, "assets", PROBE_FAIL, "%s: the screen texts do not load", dir);
        if (e1) probe_detail(it, "%s/id.txt: %s", idir, bk_err_name(e1));
        if (e2) probe_detail(it, "%s/en.txt: %s", idir, bk_err_name(e2));
        goto cleanup;
    }
    size_t missing = 0;
    size_t code_keys = 0; /* bapasctl's: their English is in the code */
    for (size_t i = 0; i < i18n_count(id); i++) {
        const char *k = i18n_key_at(id, i);
        if (strncmp(k, I18N_CODE_PREFIX, sizeof I18N_CODE_PREFIX - 1) == 0)
            code_keys++;
        else
            missing += !i18n_has(en, k);
    }
    for (size_t i = 0; i < i18n_count(en); i++)
        missing += !i18n_has(id, i18n_key_at(en, i));
    char sdir[1100];
    snprintf(sdir, sizeof sdir, "%s/sounds", dir);
    static const char *const sound_ext[] = {".wav", ".ogg", NULL};
    int sounds = count_files(sdir, sound_ext, NULL, NULL);
    probe_item *it;
    if (missing)
        it =
            probe_add(r, "assets", PROBE_WARN,
                      "%s: %zu key(s) are in one language's texts but not the other", dir, missing);
    else
        it = probe_add(r, "assets", PROBE_OK, "%s: texts id (%zu) and en (%zu)", dir,
                       i18n_count(id) - code_keys, i18n_count(en));
    probe_detail(it, "%d sound file(s)", sounds < 0 ? 0 : sounds);
cleanup:
    i18n_free(id);
    i18n_free(en);
}

static void check_fonts(probe_report *r, const char *dir)
{
    char fdir[1100];
    snprintf(fdir, sizeof fdir, "%s/fonts", dir);
    static const char *const font_ext[] = {".ttf", ".otf", ".ttc", NULL};
    int broken = 0;
    probe_item tmp;
    memset(&tmp, 0, sizeof tmp);
    int n = count_files(fdir, font_ext, &broken, &tmp);
    probe_item *it;
    if (n <= 0) {
        it = probe_add(r, "fonts", PROBE_FAIL, "no font files in %s", fdir);
        probe_detail(it, "fix: reinstall the package: sudo apt install --reinstall bapas-kiosk");
    } else if (broken) {
        it = probe_add(r, "fonts", PROBE_WARN, "%d font(s) in %s, %d unreadable", n, fdir, broken);
    } else {
        it = probe_add(r, "fonts", PROBE_OK, "%d font file(s) in %s", n, fdir);
    }
    for (int i = 0; i < tmp.n_details; i++)
        probe_detail(it, "%s", tmp.details[i]);
}

void core_probe_assets(probe_report *r)
{
    int want_assets = probe_wanted(r, "assets"), want_fonts = probe_wanted(r, "fonts");
    if (!want_assets && !want_fonts) return;
    char dir[1024];
    if (paths_assets(dir, sizeof dir)) {
        probe_item *it =
            probe_add(r, want_assets ? "assets" : "fonts", PROBE_FAIL, "no assets folder found");
        probe_detail(it, "looked at $BAPAS_ASSETS, the built-in folder and "
                         "/usr/share/bapas-kiosk/assets");
        probe_detail(it, "fix: reinstall the package: sudo apt install --reinstall bapas-kiosk");
        return;
    }
    if (want_assets) check_texts(r, dir);
    if (want_fonts) check_fonts(r, dir);
}

static bk_err count_holiday(void *ud, const store_data_holiday *h)
{
    (void)h;
    ++*(long *)ud;
    return BK_OK;
}

void core_probe_calendar(probe_report *r, const cfg *cf, const char *db_target, int64_t now)
{
    if (!probe_wanted(r, "calendar")) return;
    otime_parts p;
    otime_local(now, cf->utc_offset_min, &p);
    char from[2][24], to[2][24]; /* room for any int year */
    long n[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        snprintf(from[i], sizeof from[i], "%04d-01-01", p.year + i);
        snprintf(to[i], sizeof to[i], "%04d-12-31", p.year + i);
    }
    store *st = open_counting(r, "calendar", cf, db_target);
    if (!st) return;
    bk_err e = BK_OK;
    for (int i = 0; i < 2 && !e; i++)
        e = store_data_holiday_list(st, from[i], to[i], count_holiday, &n[i]);
    store_close(st);
    if (e) {
        probe_add(r, "calendar", PROBE_SKIP, "cannot count the holidays: %s", bk_err_name(e));
        return;
    }
    /* The next report date is at most a few months ahead: from November the
     * coming year's list matters too. */
    int need_next = p.month >= 11;
    if (n[0] && (n[1] || !need_next)) {
        probe_add(r, "calendar", PROBE_OK, "holidays: %ld in %d, %ld in %d", n[0], p.year, n[1],
                  p.year + 1);
        return;
    }
    probe_item *it = probe_add(r, "calendar", PROBE_WARN,
                               "holidays: %ld in %d, %ld in %d: next report dates may fall on a "
                               "holiday",
                               n[0], p.year, n[1], p.year + 1);
    probe_detail(it, "import the published list (libur nasional and cuti bersama): sudo bapasctl "
                     "holidays import FILE (a template: /usr/share/bapas-kiosk/templates/"
                     "holidays-2026-2027.csv)");
}
