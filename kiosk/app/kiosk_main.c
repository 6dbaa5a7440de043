/* bapas-kiosk — the fullscreen touch application. Thin main: options,
 * config, database path, then one ui_mode in the toolkit's loop.
 *
 *   bapas-kiosk [--mode kiosk] [--db PATH] [--config FILE] [--demo]
 *               [--windowed WxH] [--script FILE] [--software] [--stats FILE]
 *
 * Database: --db beats $BAPAS_DB beats [database] path (as in bapasctl).
 * --demo opens (creating with the demo office if missing) --db, $BAPAS_DB
 * or ./bapas-demo.db. $BAPAS_NOW (testing aid, as in bapasctl) pins the
 * clock and $BAPAS_POLL_MS the live modes' polling (benchmarks): both only
 * in builds with BK_TEST_HOOKS (otime_test_now; a packaged binary refuses
 * BAPAS_NOW and ignores BAPAS_POLL_MS with a warning). Exit codes: 0 normal (operator exit,
 * SIGTERM, script ran to its end), 1 failure (or a failed script command), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "blog.h"
#include "ctl_opt.h"
#include "demo.h"
#include "kiosk.h"
#include "kiosk_print.h"
#include "modes.h"
#include "otime.h"
#include "paths.h"
#include "sdnotify.h"
#include "store.h"
#include "ui.h"
#include "ui_loop.h"

#ifndef BK_VERSION
#define BK_VERSION "0.0.0"
#endif

#define DEMO_DB_DEFAULT "./bapas-demo.db"

typedef struct app {
    cfg cfg;
    const char *db_opt, *config_opt, *script, *mode, *stats_path, *officer;
    int windowed_w, windowed_h;
    int demo, software;
    char db_path[CFG_PATH_SZ];
    char actor[128];
    queue_ctx q; /* office zone, lockout, actor, pinned clock; q.st unused */
    sdnotify sd;
} app;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: bapas-kiosk [--mode kiosk|board|reception|desk] [--officer ID]\n"
            "                   [--db PATH] [--config FILE] [--demo]\n"
            "                   [--windowed WxH] [--script FILE] [--software] [--stats FILE]\n"
            "\n"
            "  --mode MODE      kiosk (client check-in, default), board (lobby display),\n"
            "                   reception (receptionist's monitor), desk (a PK's desk)\n"
            "  --officer ID     the PK whose desk this is (--mode desk)\n"
            "  --db PATH        database (beats $BAPAS_DB, beats [database] path)\n"
            "  --config FILE    INI config (default $BAPAS_CONFIG, then %s)\n"
            "  --demo           open the demo database, creating it if missing\n"
            "                   (--db, $BAPAS_DB or %s)\n"
            "  --windowed WxH   a window instead of fullscreen (development, tests)\n"
            "  --script FILE    run an automation script (see kiosk/AUTOMATION.md)\n"
            "  --software       use SDL's software renderer\n"
            "  --stats FILE     write frame timing statistics (benchmarks)\n",
            CFG_DEFAULT_PATH, DEMO_DB_DEFAULT);
}

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s || (*end != 'x' && *end != 'X')) return -1;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (errno || end == p || *end || a < 200 || b < 200 || a > 10000 || b > 10000) return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static int parse_args(app *a, int argc, char **argv)
{
    a->mode = "kiosk";
    const char *windowed = NULL;
    int help = 0, version = 0, at = 0;
    const ctl_opt_def opts[] = {CTL_STRING("--db", &a->db_opt),
                                CTL_STRING("--config", &a->config_opt),
                                CTL_STRING("--script", &a->script),
                                CTL_STRING("--mode", &a->mode),
                                CTL_ID("--officer", &a->officer), /* pk05 = PK05 */
                                CTL_STRING("--stats", &a->stats_path),
                                CTL_STRING("--windowed", &windowed),
                                CTL_FLAG("--demo", &a->demo),
                                CTL_FLAG("--software", &a->software),
                                CTL_STOP("--help", &help),
                                CTL_STOP("-h", &help),
                                CTL_STOP("--version", &version),
                                CTL_OPT_END};
    const ctl_args_spec spec = {opts, CTL_POS_ANY, NULL, 0};
    switch (ctl_scan(argc, argv, 1, &spec, NULL, &at)) {
    case CTL_SCAN_OK:
        break;
    case CTL_SCAN_MISSING:
        blog(BLOG_ERR, "bapas-kiosk", "%s needs a value", argv[at]);
        return 2;
    case CTL_SCAN_UNKNOWN:
        blog(BLOG_ERR, "bapas-kiosk", "unknown option \"%s\"", argv[at]);
        usage(stderr);
        return 2;
    case CTL_SCAN_STOPPED:
        if (help)
            usage(stdout);
        else
            printf("bapas-kiosk %s\n", BK_VERSION);
        return -1;
    }
    if (windowed && parse_size(windowed, &a->windowed_w, &a->windowed_h)) {
        blog(BLOG_ERR, "bapas-kiosk", "--windowed needs WxH, e.g. 800x480 (got \"%s\")", windowed);
        return 2;
    }
    return 0;
}

static int load_config(app *a)
{
    cfg_defaults(&a->cfg);
    const char *path = a->config_opt ? a->config_opt : getenv("BAPAS_CONFIG");
    if (path && *path) {
        if (cfg_load(&a->cfg, path)) {
            blog(BLOG_ERR, "bapas-kiosk", "cannot read config file %s", path);
            return 2;
        }
    } else if (access(CFG_DEFAULT_PATH, R_OK) == 0) {
        cfg_load(&a->cfg, CFG_DEFAULT_PATH);
    }
    for (int i = 0; i < a->cfg.n_issues; i++) {
        char text[CFG_PATH_SZ + CFG_STR_SZ + 32];
        cfg_issue_text(&a->cfg, i, text, sizeof text);
        blog(a->cfg.issues[i].fatal ? BLOG_ERR : BLOG_WARNING, "bapas-kiosk", "%s", text);
    }
    if (cfg_has_fatal(&a->cfg)) {
        blog(BLOG_ERR, "bapas-kiosk", "the config has errors that make it unsafe to run");
        return 1;
    }
    return 0;
}

static bk_err count_officer(void *ud, const store_officer *o)
{
    (void)o;
    (*(int *)ud)++;
    return BK_OK;
}

/* --demo: create the demo database when it does not exist yet. On a server
 * (a postgresql:// URI) the demo office is loaded only into an empty
 * database, never over a real office. Paths are logged through
 * paths_display(), which masks a URI's password. */
static int ensure_demo(app *a, const queue_ctx *qt)
{
    int server = store_target_is_server(a->db_path);
    if (!server && access(a->db_path, F_OK) == 0) return 0;
    char shown[CFG_PATH_SZ];
    paths_display(a->db_path, shown, sizeof shown);
    store_opts so = {.busy_timeout_ms = a->cfg.busy_timeout_ms,
                     .utc_offset_min = a->cfg.utc_offset_min,
                     .create = 1};
    char err[512];
    store *st = NULL;
    bk_err e = store_open(a->db_path, &so, &st, err, sizeof err);
    if (e) {
        blog(BLOG_ERR, "bapas-kiosk", "cannot create the demo database %s: %s", shown, err);
        return 1;
    }
    if (server) {
        int officers = 0;
        e = store_officer_list(st, count_officer, &officers);
        if (e || officers > 0) {
            store_close(st);
            if (e) blog(BLOG_ERR, "bapas-kiosk", "cannot read %s: %s", shown, bk_err_name(e));
            return e ? 1 : 0; /* a real office is there: leave it alone */
        }
    }
    queue_ctx q = *qt;
    q.st = st;
    e = demo_load(&q);
    store_close(st);
    if (e) {
        blog(BLOG_ERR, "bapas-kiosk", "cannot load the demo office into %s: %s", shown,
             bk_err_name(e));
        if (!server) unlink(a->db_path);
        return 1;
    }
    blog(BLOG_NOTICE, "bapas-kiosk", "created the demo database %s", shown);
    return 0;
}

static int heartbeat(void *ud)
{
    app *a = ud;
    sdnotify_watchdog(&a->sd); /* systemd watchdog ping (no-op outside systemd) */
    return sdnotify_watchdog_usec(&a->sd) ? sdnotify_watchdog_due_ms(&a->sd, 60000) : -1;
}

/* ---- modes ------------------------------------------------------------
 * One row per `--mode`. A mode sets itself up on the open display, runs its
 * ui_mode in ui_loop_run (which pings the systemd watchdog) and tears down.
 * The kiosk has its own function; the live modes share run_live(). */

typedef int (*mode_run_fn)(app *a, ui_ctx *ui, const char *assets, const ui_loop_opts *lo);

static int run_kiosk(app *a, ui_ctx *ui, const char *assets, const ui_loop_opts *lo)
{
    kiosk_opts ko;
    memset(&ko, 0, sizeof ko);
    ko.cfg = &a->cfg;
    ko.assets = assets;
    ko.db_path = a->db_path;
    ko.q = a->q;
    ko.sopts.busy_timeout_ms = a->cfg.busy_timeout_ms;
    ko.sopts.utc_offset_min = a->cfg.utc_offset_min;
    ko.sopts.manual_checkpoint = 1; /* checkpoints run when idle (kiosk.c) */
    char err[512];
    kiosk_print *kp = NULL;
    kiosk *k = NULL;
    int rc = 1;
    if (kiosk_print_open(&a->cfg, assets, &kp, err, sizeof err))
        blog(BLOG_WARNING, "bapas-kiosk", "printing disabled: %s", err);
    ko.printer = kp ? kiosk_print_iface(kp) : NULL;
    if (kiosk_create(&ko, &k, err, sizeof err)) {
        blog(BLOG_ERR, "bapas-kiosk", "%s", err);
        goto out;
    }
    sdnotify_ready(&a->sd);
    sdnotify_status(&a->sd, "kiosk running");
    ui_mode m = kiosk_mode(k);
    rc = ui_loop_run(ui, &m, lo);
    sdnotify_stopping(&a->sd);
out:
    kiosk_destroy(k); /* waits for a running database job */
    kiosk_print_close(kp);
    return rc;
}

/* board, reception, desk (kiosk/ui/modes.h): a livework worker thread does
 * the database work; the database may be missing or locked at start. */
static void live_opts(app *a, const char *assets, live_mode_opts *o)
{
    memset(o, 0, sizeof *o);
    o->cfg = &a->cfg;
    o->assets = assets;
    o->db_path = a->db_path;
    o->q = a->q;
    o->sopts.busy_timeout_ms = a->cfg.busy_timeout_ms;
    o->sopts.utc_offset_min = a->cfg.utc_offset_min;
    o->officer = a->officer;
    const char *poll = getenv("BAPAS_POLL_MS"); /* benchmarks: a test hook */
#ifdef BK_TEST_HOOKS
    o->poll_ms = poll ? atoi(poll) : 0;
#else
    o->poll_ms = 0;
    if (poll && *poll)
        blog(BLOG_WARNING, "bapas-kiosk",
             "BAPAS_POLL_MS is a test aid, not in this build: ignored");
#endif
}

/* board, reception, desk: the same life (options, the mode's worker, the
 * loop, teardown); a row says only what differs. The adaptors give each
 * mode's create/mode/destroy one signature over a void * handle. */
typedef struct live_mode {
    const char *name; /* the actor is NAME:ID, the status "NAME running" */
    int by_officer;   /* ID is --officer (needed), else the config's kiosk id */
    int prints;       /* opens the printer (reception reprints slips) */
    bk_err (*create)(const live_mode_opts *o, void **out, char *err, size_t errlen);
    ui_mode (*mode)(void *h);
    void (*destroy)(void *h);
} live_mode;

#define LIVE_ADAPTORS(T)                                                                           \
    static bk_err T##_create_v(const live_mode_opts *o, void **out, char *err, size_t len)         \
    {                                                                                              \
        T *h = NULL;                                                                               \
        bk_err e = T##_create(o, &h, err, len);                                                    \
        *out = h;                                                                                  \
        return e;                                                                                  \
    }                                                                                              \
    static ui_mode T##_mode_v(void *h)                                                             \
    {                                                                                              \
        return T##_mode(h);                                                                        \
    }                                                                                              \
    static void T##_destroy_v(void *h)                                                             \
    {                                                                                              \
        T##_destroy(h);                                                                            \
    }
LIVE_ADAPTORS(board_ui)
LIVE_ADAPTORS(desk_ui)
LIVE_ADAPTORS(reception_ui)

#define LIVE_MODE(T, NAME, BY_OFFICER, PRINTS)                                                     \
    {                                                                                              \
        .name = NAME, .by_officer = BY_OFFICER, .prints = PRINTS, .create = T##_create_v,          \
        .mode = T##_mode_v, .destroy = T##_destroy_v                                               \
    }
static const live_mode live_board = LIVE_MODE(board_ui, "board", 0, 0);
static const live_mode live_desk = LIVE_MODE(desk_ui, "desk", 1, 0);
static const live_mode live_reception = LIVE_MODE(reception_ui, "reception", 0, 1);

static int run_live(app *a, ui_ctx *ui, const char *assets, const ui_loop_opts *lo,
                    const live_mode *lm)
{
    live_mode_opts o;
    live_opts(a, assets, &o);
    snprintf(a->actor, sizeof a->actor, "%s:%s", lm->name,
             lm->by_officer ? a->officer : a->cfg.kiosk_id);
    char err[512];
    kiosk_print *kp = NULL;
    void *h = NULL;
    int rc = 1;
    if (lm->prints) {
        if (kiosk_print_open(&a->cfg, assets, &kp, err, sizeof err))
            blog(BLOG_WARNING, "bapas-kiosk", "printing disabled: %s", err);
        o.printer = kp ? kiosk_print_iface(kp) : NULL;
    }
    if (lm->create(&o, &h, err, sizeof err)) {
        blog(BLOG_ERR, "bapas-kiosk", "%s", err);
        goto out;
    }
    sdnotify_ready(&a->sd);
    sdnotify_status(&a->sd, "%s running", lm->name);
    ui_mode m = lm->mode(h);
    rc = ui_loop_run(ui, &m, lo);
    sdnotify_stopping(&a->sd);
    lm->destroy(h);
out:
    kiosk_print_close(kp);
    return rc;
}

/* One row per --mode: the kiosk runs its own function, the live modes run_live. */
typedef struct mode_row {
    const char *name;
    mode_run_fn run;       /* the kiosk */
    const live_mode *live; /* or a live mode */
} mode_row;

static const mode_row modes[] = {
    {"kiosk", run_kiosk, NULL},
    {"board", NULL, &live_board},
    {"reception", NULL, &live_reception},
    {"desk", NULL, &live_desk},
};

static const mode_row *find_mode(const char *name)
{
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (strcmp(modes[i].name, name) == 0) return &modes[i];
    return NULL;
}

/* No screen to show the kiosk on: SDL found no X11, Wayland or KMSDRM and
 * fell back to its invisible "offscreen" driver (or failed). Say how to see
 * it instead of running where nobody can. */
static void no_display_help(void)
{
    blog(BLOG_ERR, "bapas-kiosk",
         "tidak ada layar untuk kiosk / no display to show the kiosk on "
         "(no $DISPLAY or $WAYLAND_DISPLAY, no usable KMSDRM console). To see it: "
         "on a desktop, run it in a terminal there (make demo / deploy/dev.sh demo opens "
         "a window, --windowed 1280x800); on a lobby PC or a Raspberry Pi, from the text "
         "console (KMSDRM: the user in groups video, input and render); on a server "
         "without a screen, on a virtual one: apt-get install xvfb xauth, then "
         "xvfb-run -a bapas-kiosk ... --script FILE (shot FILE.png saves what it shows; "
         "kiosk/AUTOMATION.md)");
}

/* 1 when SDL picked a driver nobody can see although none was asked for
 * ($SDL_VIDEODRIVER=dummy or offscreen is a deliberate choice: tests). */
static int invisible_display(void)
{
    const char *asked = getenv("SDL_VIDEODRIVER");
    const char *drv = SDL_GetCurrentVideoDriver();
    if (asked && *asked) return 0;
    return drv && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0);
}

/* SDL_Log from the toolkit and the modes goes through blog too, so the
 * journal sees a priority for every line. */
static void sdl_log_out(void *ud, int category, SDL_LogPriority pri, const char *msg)
{
    (void)ud;
    (void)category;
    int lvl = pri >= SDL_LOG_PRIORITY_ERROR  ? BLOG_ERR
              : pri == SDL_LOG_PRIORITY_WARN ? BLOG_WARNING
              : pri == SDL_LOG_PRIORITY_INFO ? BLOG_INFO
                                             : BLOG_DEBUG;
    static const char self[] = "bapas-kiosk: ";
    if (strncmp(msg, self, sizeof self - 1) == 0) msg += sizeof self - 1;
    blog(lvl, "bapas-kiosk", "%s", msg);
}

int main(int argc, char **argv)
{
    int64_t start_us = ui_now_us();
    SDL_LogSetOutputFunction(sdl_log_out, NULL);
    static app a; /* large (config); static storage, passed explicitly */
    int rc = parse_args(&a, argc, argv);
    if (rc) return rc < 0 ? 0 : rc;
    const mode_row *mode = find_mode(a.mode);
    if (!mode) {
        blog(BLOG_ERR, "bapas-kiosk", "--mode %s is unknown (kiosk, board, reception, desk)",
             a.mode);
        return 2;
    }
    if (mode->live && mode->live->by_officer && (!a.officer || !*a.officer)) {
        blog(BLOG_ERR, "bapas-kiosk", "--mode desk needs --officer ID");
        return 2;
    }
    if ((rc = load_config(&a))) return rc;

    const char *env_db = getenv("BAPAS_DB");
    if (a.db_opt && *a.db_opt)
        snprintf(a.db_path, sizeof a.db_path, "%s", a.db_opt);
    else if (env_db && *env_db)
        snprintf(a.db_path, sizeof a.db_path, "%s", env_db);
    else
        snprintf(a.db_path, sizeof a.db_path, "%s", a.demo ? DEMO_DB_DEFAULT : a.cfg.db_path);
    snprintf(a.actor, sizeof a.actor, "kiosk:%s", a.cfg.kiosk_id);
    a.q.utc_offset_min = a.cfg.utc_offset_min;
    a.q.lockout_limit = a.cfg.lockout_limit;
    a.q.working_days = a.cfg.working_days;
    a.q.default_service_min = a.cfg.default_service_minutes;
    a.q.actor = a.actor;
    bk_err fe = otime_test_now(&a.q.fixed_now);
    if (fe) {
        blog(BLOG_ERR, "bapas-kiosk", "%s",
             fe == BK_ERR_INVALID ? "BAPAS_NOW is not an ISO instant or epoch seconds"
                                  : "BAPAS_NOW is a test aid, not in this build");
        return 2;
    }
    if (a.demo && (rc = ensure_demo(&a, &a.q))) return rc;
    if (!a.demo && !store_target_is_server(a.db_path) && access(a.db_path, F_OK) != 0) {
        /* Never created here (only bapasctl init and --demo create one): the
         * screens run and wait for it, as when it goes away later. */
        char shown[CFG_PATH_SZ];
        paths_display(a.db_path, shown, sizeof shown);
        blog(BLOG_ERR, "bapas-kiosk",
             "basis data %s tidak ada / the database %s does not exist: waiting for it "
             "(check-ins go to reception); create it with: bapasctl --db %s init",
             shown, shown, shown);
    }

    char assets[1024];
    if (paths_assets(assets, sizeof assets)) {
        blog(BLOG_ERR, "bapas-kiosk", "assets not found (set BAPAS_ASSETS)");
        return 1;
    }
    if (sdnotify_open(&a.sd))
        blog(BLOG_WARNING, "bapas-kiosk", "$NOTIFY_SOCKET is not usable; not reporting to systemd");

    FILE *stats = NULL;
    if (a.stats_path && !(stats = fopen(a.stats_path, "w"))) {
        blog(BLOG_ERR, "bapas-kiosk", "cannot write %s: %s", a.stats_path, strerror(errno));
        sdnotify_close(&a.sd);
        return 1;
    }
    ui_ctx *ui = calloc(1, sizeof *ui);
    if (!ui) {
        blog(BLOG_ERR, "bapas-kiosk", "out of memory");
        rc = 1;
        goto out;
    }
    ui_open_opts uo = {.title = "Bapas Kiosk",
                       .width = a.windowed_w,
                       .height = a.windowed_h,
                       .hide_cursor = a.windowed_w == 0,
                       .sounds = a.cfg.sounds,
                       .assets = assets,
                       .software = a.software,
                       .rotation = a.cfg.rotation};
    const char *vd = getenv("SDL_VIDEODRIVER");
    uo.vsync = !(vd && strcmp(vd, "dummy") == 0) && !a.script;
    if (ui_open(ui, &uo)) {
        blog(BLOG_ERR, "bapas-kiosk", "cannot open the display: %s", ui->err);
        no_display_help();
        rc = 1;
        goto out;
    }
    if (invisible_display()) {
        no_display_help();
        rc = 1;
        goto out;
    }
    ui_loop_opts lo = {.script = a.script,
                       .stats = stats,
                       .start_us = start_us,
                       .allow_close = a.windowed_w != 0,
                       .heartbeat = heartbeat,
                       .heartbeat_ud = &a};
    rc = mode->live ? run_live(&a, ui, assets, &lo, mode->live) : mode->run(&a, ui, assets, &lo);
out:
    if (ui && ui->win) ui_close(ui);
    free(ui);
    if (stats) fclose(stats);
    sdnotify_close(&a.sd);
    return rc;
}
