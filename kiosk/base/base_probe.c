/* base_probe.c — service-user and clock checks (base_probe.h). */
#include "base_probe.h"

#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "otime.h"

/* Append word to the space-separated list buf. */
static void list_add(char *buf, size_t bufsz, const char *word)
{
    size_t l = strlen(buf);
    snprintf(buf + l, bufsz - l, "%s%s", l ? " " : "", word);
}

void base_probe_service_user(probe_report *r)
{
    if (!probe_wanted(r, "service-user")) return;
    const probe_user *u = &r->user;
    if (!u->exists) {
        probe_item *it = probe_add(r, "service-user", PROBE_WARN,
                                   "there is no user %s (the package creates it)", u->name);
        probe_detail(it, "checks that depend on it are skipped");
        return;
    }
    static const char *const required[] = {"lp", "video", "input", "render"};
    static const char *const optional[] = {"audio"};
    char missing[128] = "", missing_opt[64] = "", absent[64] = "";
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        struct group *g = getgrnam(required[i]);
        if (!g)
            list_add(absent, sizeof absent, required[i]);
        else if (!probe_user_in_gid(u, g->gr_gid))
            list_add(missing, sizeof missing, required[i]);
    }
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        struct group *g = getgrnam(optional[i]);
        if (g && !probe_user_in_gid(u, g->gr_gid))
            list_add(missing_opt, sizeof missing_opt, optional[i]);
    }
    probe_item *it;
    if (missing[0]) {
        it =
            probe_add(r, "service-user", PROBE_FAIL, "%s is not in group(s): %s", u->name, missing);
        char *save = NULL;
        for (char *g = strtok_r(missing, " ", &save); g; g = strtok_r(NULL, " ", &save))
            probe_detail(it, "fix: sudo adduser %s %s", u->name, g);
        probe_detail(it, "then: sudo systemctl restart bapas-kiosk");
    } else if (missing_opt[0]) {
        it = probe_add(r, "service-user", PROBE_WARN, "%s is not in group %s: no sounds", u->name,
                       missing_opt);
        probe_detail(it, "fix: sudo adduser %s %s", u->name, missing_opt);
    } else {
        it = probe_add(r, "service-user", PROBE_OK,
                       "%s (uid %u) is in groups lp video input render", u->name, (unsigned)u->uid);
    }
    if (absent[0]) probe_detail(it, "group(s) not on this system: %s", absent);
}

void base_probe_clock(probe_report *r, int64_t now, int utc_offset_min, const char *timezone)
{
    if (!probe_wanted(r, "clock")) return;
    otime_parts p;
    otime_local(now, utc_offset_min, &p);
    char when[128];
    snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d (%s)", p.year, p.month, p.day, p.hour,
             p.min, timezone);
    struct stat st;
    if (p.year < BASE_PROBE_MIN_YEAR) {
        probe_item *it =
            probe_add(r, "clock", PROBE_FAIL, "the clock says %s: that is wrong", when);
        probe_detail(it, "a Raspberry Pi has no clock battery: connect it to the network so it "
                         "sets its clock, or set it by hand: sudo date -s \"YYYY-MM-DD HH:MM\"");
    } else if (stat("/run/systemd/timesync/synchronized", &st) == 0) {
        probe_add(r, "clock", PROBE_OK, "%s, synchronized with network time", when);
    } else if (stat("/run/systemd/timesync", &st) == 0) {
        probe_item *it =
            probe_add(r, "clock", PROBE_WARN, "%s, not synchronized with network time yet", when);
        probe_detail(it, "is the network connected? see: timedatectl");
    } else {
        probe_add(r, "clock", PROBE_OK, "%s (network time sync not checked)", when);
    }
}
