/* ui_probe.c — the display check without opening the display (ui_probe.h). */
#include "ui_probe.h"

#include <dirent.h>
#include <dlfcn.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Screens plugged in: /sys/class/drm/cardN-CONNECTOR/status = connected,
 * space-separated into out. */
static void connected_screens(char *out, size_t outsz)
{
    out[0] = 0;
    DIR *dh = opendir("/sys/class/drm");
    if (!dh) return;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (strncmp(de->d_name, "card", 4) != 0 || !strchr(de->d_name, '-')) continue;
        char p[512], buf[32] = "";
        snprintf(p, sizeof p, "/sys/class/drm/%.200s/status", de->d_name);
        FILE *f = fopen(p, "r");
        if (!f) continue;
        if (fgets(buf, sizeof buf, f) && strncmp(buf, "connected", 9) == 0) {
            size_t l = strlen(out);
            snprintf(out + l, outsz - l, "%s%.60s", l ? " " : "", de->d_name);
        }
        fclose(f);
    }
    closedir(dh);
}

/* /dev/input/event*: how many, and how many the service user may read. */
static void count_inputs(const probe_user *u, int *inputs, int *readable)
{
    *inputs = *readable = 0;
    DIR *dh = opendir("/dev/input");
    if (!dh) return;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (strncmp(de->d_name, "event", 5) != 0) continue;
        (*inputs)++;
        char p[300];
        snprintf(p, sizeof p, "/dev/input/%.200s", de->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && (!u->exists || probe_user_may(u, &st, 4))) (*readable)++;
    }
    closedir(dh);
}

/* KMSDRM draws through EGL/GLES on a GBM surface: SDL dlopens these
 * (SDL_VIDEO_EGL, SDL_VIDEO_GL_DRIVER), and Mesa's DRI driver for the chip
 * does the drawing. Without them the kiosk starts and the screen stays
 * blank. Each is dlopen'ed here as SDL would and closed again. */
typedef struct gl_part {
    const char *what;
    const char *soname;
    const char *package;
} gl_part;

static const gl_part gl_parts[] = {
    {"EGL", "libEGL.so.1", "libegl1"},
    {"OpenGL ES 2", "libGLESv2.so.2", "libgles2"},
    {"GBM", "libgbm.so.1", "libgbm1"},
};
#define GL_N_PARTS (sizeof gl_parts / sizeof gl_parts[0])
#define GL_DRI_GLOB "/usr/lib/*/dri/*_dri.so:/usr/lib/dri/*_dri.so"

/* Missing parts as detail lines of it (NULL: only count); returns how many
 * are missing. */
static int check_gl(probe_item *it)
{
    const char *sonames[GL_N_PARTS];
    for (size_t i = 0; i < GL_N_PARTS; i++)
        sonames[i] = gl_parts[i].soname;
    const char *dri_globs = GL_DRI_GLOB;
#ifdef BK_TEST_HOOKS
    /* Test hook: other library names (colon-separated, in the order of
     * gl_parts) and other driver globs, so a missing library is really
     * missing to dlopen. Without the hooks these are ignored. */
    static char names[512];
    const char *tl = getenv("BAPAS_TEST_GL_LIBS");
    if (tl && *tl) {
        snprintf(names, sizeof names, "%s", tl);
        char *save = NULL, *w = strtok_r(names, ":", &save);
        for (size_t i = 0; w && i < GL_N_PARTS; i++, w = strtok_r(NULL, ":", &save))
            sonames[i] = w;
    }
    const char *td = getenv("BAPAS_TEST_DRI_GLOB");
    if (td && *td) dri_globs = td;
#endif
    char missing_pkgs[128] = "";
    int missing = 0;
    for (size_t i = 0; i < GL_N_PARTS; i++) {
        void *h = dlopen(sonames[i], RTLD_LAZY | RTLD_LOCAL);
        if (h) {
            dlclose(h);
            continue;
        }
        const char *err = dlerror();
        if (it)
            probe_detail(it, "%s (%s) cannot be loaded: %s", gl_parts[i].what, sonames[i],
                         err ? err : "not found");
        size_t l = strlen(missing_pkgs);
        snprintf(missing_pkgs + l, sizeof missing_pkgs - l, " %s", gl_parts[i].package);
        missing++;
    }
    /* The Mesa drivers (libgl1-mesa-dri): any *_dri.so. */
    char globs[512];
    snprintf(globs, sizeof globs, "%s", dri_globs);
    int have_dri = 0;
    char *save = NULL;
    for (char *g = strtok_r(globs, ":", &save); g && !have_dri; g = strtok_r(NULL, ":", &save)) {
        glob_t gb;
        if (glob(g, 0, NULL, &gb) == 0 && gb.gl_pathc > 0) have_dri = 1;
        globfree(&gb);
    }
    if (!have_dri) {
        if (it) probe_detail(it, "no Mesa graphics driver (%s)", dri_globs);
        size_t l = strlen(missing_pkgs);
        snprintf(missing_pkgs + l, sizeof missing_pkgs - l, " libgl1-mesa-dri");
        missing++;
    }
    if (!it) return missing;
    if (missing)
        probe_detail(it, "without them kmsdrm shows a blank screen: sudo apt install%s",
                     missing_pkgs);
    else
        probe_detail(it, "EGL, OpenGL ES 2, GBM and a Mesa driver are installed");
    return missing;
}

static void check_drm(probe_report *r, const char *how)
{
    const probe_user *u = &r->user;
    char cards[4][64];
    int ncards = 0;
    DIR *dh = opendir("/dev/dri");
    if (dh) {
        struct dirent *de;
        while ((de = readdir(dh)) && ncards < 4)
            if (strncmp(de->d_name, "card", 4) == 0)
                snprintf(cards[ncards++], sizeof cards[0], "/dev/dri/%.50s", de->d_name);
        closedir(dh);
    }
    if (!ncards) {
        probe_item *it =
            probe_add(r, "display", PROBE_FAIL, "%s: no graphics device /dev/dri/card*", how);
        probe_detail(it, "Raspberry Pi: the line dtoverlay=vc4-kms-v3d must be in "
                         "/boot/firmware/config.txt");
        probe_detail(it, "PC: the graphics chip needs a KMS driver (i915, amdgpu, nouveau, ...)");
        check_gl(it);
        return;
    }
    char screens[256];
    connected_screens(screens, sizeof screens);
    int user_ok = 0;
    for (int i = 0; i < ncards; i++) {
        struct stat st;
        if (stat(cards[i], &st) == 0 && (!u->exists || probe_user_may(u, &st, 6))) user_ok = 1;
    }
    int inputs, inputs_ok;
    count_inputs(u, &inputs, &inputs_ok);
    probe_item *it;
    if (!user_ok) {
        it = probe_add(r, "display", PROBE_FAIL, "%s: %s cannot open %s", how, u->name, cards[0]);
        probe_detail(it, "fix: sudo adduser %s video; sudo adduser %s render", u->name, u->name);
    } else if (check_gl(NULL)) {
        it = probe_add(r, "display", PROBE_FAIL,
                       "%s: %s is there, but the graphics libraries the kiosk draws with are "
                       "not",
                       how, cards[0]);
    } else if (!screens[0]) {
        it = probe_add(r, "display", PROBE_WARN,
                       "%s: %d graphics device(s) but no screen is connected "
                       "(or it is switched off)",
                       how, ncards);
    } else {
        it = probe_add(r, "display", PROBE_OK, "%s: screen %s", how, screens);
    }
    check_gl(it);
    if (!inputs)
        probe_detail(
            it, "warning: no input devices in /dev/input: is the touch screen's USB cable in?");
    else if (!inputs_ok)
        probe_detail(it, "warning: %s cannot read /dev/input/event*: sudo adduser %s input",
                     u->name, u->name);
    else
        probe_detail(it, "%d input device(s)", inputs);
    if (!inputs || !inputs_ok) probe_warn(it);
    char dm[512];
    ssize_t n = readlink("/etc/systemd/system/display-manager.service", dm, sizeof dm - 1);
    if (n > 0) {
        dm[n] = 0;
        const char *base = strrchr(dm, '/');
        probe_detail(it,
                     "warning: a desktop login (%s) starts at boot and takes the screen; "
                     "turn it off: sudo systemctl set-default multi-user.target",
                     base ? base + 1 : dm);
        probe_warn(it);
    }
}

/* SDL_VIDEODRIVER=drv is set: the driver the kiosk will use. */
static void check_driver(probe_report *r, const char *drv, const char *wl, const char *x)
{
    char how[96];
    snprintf(how, sizeof how, "SDL_VIDEODRIVER=%.40s", drv);
    if (!strcasecmp(drv, "dummy") || !strcasecmp(drv, "offscreen")) {
        probe_add(r, "display", PROBE_WARN, "%s: a test driver, nothing would be shown", how);
    } else if (!strcasecmp(drv, "kmsdrm")) {
        check_drm(r, how);
    } else if (!strcasecmp(drv, "wayland")) {
        if (wl && *wl)
            probe_add(r, "display", PROBE_OK, "%s, WAYLAND_DISPLAY=%s", how, wl);
        else
            probe_add(r, "display", PROBE_FAIL, "%s but WAYLAND_DISPLAY is not set", how);
    } else if (!strcasecmp(drv, "x11")) {
        if (x && *x)
            probe_add(r, "display", PROBE_OK, "%s, DISPLAY=%s", how, x);
        else
            probe_add(r, "display", PROBE_FAIL, "%s but DISPLAY is not set", how);
    } else {
        probe_add(r, "display", PROBE_WARN,
                  "%s: not a driver the kiosk is tested with "
                  "(kmsdrm, wayland, x11)",
                  how);
    }
}

void ui_probe_display(probe_report *r)
{
    if (!probe_wanted(r, "display")) return;
    const char *drv = getenv("SDL_VIDEODRIVER");
    const char *wl = getenv("WAYLAND_DISPLAY");
    const char *x = getenv("DISPLAY");
    static const char session_note[] = "run from here, the kiosk opens a window in this session; "
                                       "bapas-kiosk.service itself uses kmsdrm";
    if (drv && *drv) {
        check_driver(r, drv, wl, x);
    } else if (wl && *wl) {
        probe_item *it = probe_add(r, "display", PROBE_OK, "wayland (WAYLAND_DISPLAY=%s)", wl);
        probe_detail(it, "%s", session_note);
    } else if (x && *x) {
        probe_item *it = probe_add(r, "display", PROBE_OK, "x11 (DISPLAY=%s)", x);
        probe_detail(it, "%s", session_note);
    } else if (access("/etc/systemd/system/multi-user.target.wants/bapas-kiosk-cage.service",
                      F_OK) == 0) {
        /* The documented alternative is enabled: cage on the same DRM devices. */
        if (access("/usr/bin/cage", X_OK) != 0) {
            probe_item *it = probe_add(r, "display", PROBE_FAIL,
                                       "bapas-kiosk-cage.service is enabled but cage is not "
                                       "installed");
            probe_detail(it, "fix: sudo apt install cage");
            return;
        }
        check_drm(r, "wayland in cage (as bapas-kiosk-cage.service)");
    } else {
        check_drm(r, "kmsdrm (as bapas-kiosk.service)");
    }
}
