/* ui_loop.c — event loop, redraw policy and the script runner (ui_loop.h). */
#include "ui_loop.h"
#include "otime.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCRIPT_SETTLE_MAX_MS 60000 /* a mode busy longer than this fails the script */
#define SCRIPT_TOUCH_ID 0x4B10     /* touch device id of scripted fingers */

typedef struct script {
    char **lines;
    int n, cap;
    int pc; /* next line */
    const char *path;
    int64_t wait_until; /* `wait`: ms; 0 = none */
    int64_t hold_until; /* `hold`: release the finger at this ms; 0 = none */
    float hold_x, hold_y;
    int64_t settle_since; /* when the current command started waiting */
    int64_t until_since;  /* `until`/`until-gone`: when the wait began; 0 = none */
} script;

typedef struct loop {
    ui_ctx *ui;
    const ui_mode *m;
    const ui_loop_opts *o;
    script sc;
    int have_script;
    int dirty;
    int quit;
    int rc;
    int frames;
    int64_t tap_us;      /* when the last accepted release was injected/seen; 0 = none */
    int64_t injected_us; /* push time of the scripted touch being processed */
    int native_wait;     /* the video driver blocks in SDL_WaitEventTimeout */
} loop;

int64_t ui_now_us(void)
{
    return otime_mono_us();
}

/* ---- script file ------------------------------------------------------ */

static int script_load(script *s, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bapas-kiosk: cannot read script %s: %s\n", path, strerror(errno));
        return -1;
    }
    s->path = path;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (s->n == s->cap) {
            int nc = s->cap ? s->cap * 2 : 64;
            char **nl = realloc(s->lines, (size_t)nc * sizeof *nl);
            if (!nl) {
                rc = -1;
                break;
            }
            s->lines = nl;
            s->cap = nc;
        }
        s->lines[s->n] = strdup(line);
        if (!s->lines[s->n]) {
            rc = -1;
            break;
        }
        s->n++;
    }
    free(line);
    if (ferror(f)) rc = -1;
    fclose(f);
    if (rc) fprintf(stderr, "bapas-kiosk: cannot read script %s\n", path);
    return rc;
}

static void script_free(script *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->lines[i]);
    free(s->lines);
    memset(s, 0, sizeof *s);
}

/* ---- rendering -------------------------------------------------------- */

static const char *screen_of(const loop *L)
{
    const char *s = L->m->screen ? L->m->screen(L->m->ud) : NULL;
    return s ? s : "?";
}

/* Build the frame (again while clicks are consumed), optionally save it,
 * then present. */
static int render(loop *L, const char *shot)
{
    ui_ctx *ui = L->ui;
    int64_t t0 = ui_now_us();
    int builds = 0;
    uint64_t made0 = ui->tex_made;
    for (int i = 0; i < 4; i++) {
        builds++;
        ui_frame_begin(ui);
        L->m->frame(L->m->ud, ui, (int64_t)SDL_GetTicks64());
        if (!ui_frame_end(ui)) break;
    }
    int rc = 0;
    if (shot && ui_screenshot(ui, shot) != BK_OK) {
        fprintf(stderr, "bapas-kiosk: %s\n", ui->err);
        rc = -1;
    }
    ui_present(ui);
    int64_t t1 = ui_now_us();
    L->dirty = 0;
    if (L->o->stats) {
        if (L->frames == 0)
            fprintf(L->o->stats, "first_frame us=%lld\n",
                    (long long)(t1 - (L->o->start_us ? L->o->start_us : t0)));
        fprintf(L->o->stats, "frame screen=%s us=%lld builds=%d overflow=%d tex=%llu kb=%zu\n",
                screen_of(L), (long long)(t1 - t0), builds, ui->overflow,
                (unsigned long long)(ui->tex_made - made0), ui->tex_bytes / 1024);
        if (L->tap_us) {
            fprintf(L->o->stats, "tap screen=%s us=%lld\n", screen_of(L),
                    (long long)(t1 - L->tap_us));
            L->tap_us = 0;
        }
        fflush(L->o->stats);
    }
    L->frames++;
    return rc;
}

/* ---- events ----------------------------------------------------------- */

static void handle(loop *L, const SDL_Event *ev)
{
    ui_ctx *ui = L->ui;
    int64_t now = (int64_t)SDL_GetTicks64();
    int x = 0, y = 0, down = -2;
    switch (ev->type) {
    case SDL_QUIT:
        L->quit = 1;
        return;
    case SDL_WINDOWEVENT:
        switch (ev->window.event) {
        case SDL_WINDOWEVENT_CLOSE:
            if (L->o->allow_close) L->quit = 1;
            return;
        case SDL_WINDOWEVENT_SIZE_CHANGED:
        case SDL_WINDOWEVENT_RESIZED:
            ui_update_size(ui);
            L->dirty = 1;
            break;
        case SDL_WINDOWEVENT_EXPOSED:
        case SDL_WINDOWEVENT_SHOWN:
        case SDL_WINDOWEVENT_RESTORED:
        case SDL_WINDOWEVENT_MAXIMIZED:
            L->dirty = 1;
            break;
        default:
            break;
        }
        break;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        ui_forget_textures(ui);
        L->dirty = 1;
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEMOTION: {
        char before[UI_ID_SZ];
        snprintf(before, sizeof before, "%s", ui->clicked);
        if (ui_pointer_event(ui, ev, &x, &y, &down)) L->dirty = 1;
        if (down == 0 && ui->clicked[0] && strcmp(before, ui->clicked) != 0)
            L->tap_us = L->injected_us ? L->injected_us : ui_now_us();
        if (ev->type == SDL_FINGERUP) L->injected_us = 0;
        break;
    }
    default:
        break;
    }
    if (L->m->event && L->m->event(L->m->ud, ui, ev, x, y, down, now)) L->dirty = 1;
}

static int events_pending(void)
{
    SDL_PumpEvents();
    return SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0;
}

/* ---- script commands -------------------------------------------------- */

enum { STEP_RAN, STEP_WAIT, STEP_END, STEP_FAIL };

static int fail(loop *L, const char *fmt, const char *arg)
{
    fprintf(stderr, "bapas-kiosk: script %s:%d: ", L->sc.path, L->sc.pc + 1);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return STEP_FAIL;
}

static void push_finger(loop *L, Uint32 type, float x, float y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.tfinger.timestamp = SDL_GetTicks();
    e.tfinger.touchId = SCRIPT_TOUCH_ID;
    e.tfinger.fingerId = 1;
    e.tfinger.x = x;
    e.tfinger.y = y;
    e.tfinger.pressure = 1.f;
    if (type == SDL_FINGERUP) L->injected_us = ui_now_us();
    SDL_PushEvent(&e);
}

static void push_text(const char *utf8, size_t n)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_TEXTINPUT;
    e.text.timestamp = SDL_GetTicks();
    if (n >= sizeof e.text.text) n = sizeof e.text.text - 1;
    memcpy(e.text.text, utf8, n);
    e.text.text[n] = 0;
    SDL_PushEvent(&e);
}

static void push_key(SDL_Keycode k)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.timestamp = SDL_GetTicks();
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(k);
    SDL_PushEvent(&e);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
}

static int parse_unit(const char *s, float *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0 || v > 1) return -1;
    *out = (float)v;
    return (int)(end - s);
}

static int parse_ms(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (errno || end == s || *end || v < 0 || v > 3600000) return -1;
    *out = v;
    return 0;
}

/* Commands that act or check need a settled application. */
static int needs_settle(const char *cmd)
{
    return strcmp(cmd, "wait") != 0 && strcmp(cmd, "quit") != 0;
}

static int needs_idle(const char *cmd)
{
    return strcmp(cmd, "tap") == 0 || strcmp(cmd, "touch") == 0 || strcmp(cmd, "hold") == 0 ||
           strcmp(cmd, "type") == 0 || strcmp(cmd, "key") == 0 || strcmp(cmd, "expect") == 0;
}

static int script_step(loop *L, int64_t now)
{
    script *s = &L->sc;
    if (s->hold_until) {
        if (now < s->hold_until) return STEP_WAIT;
        push_finger(L, SDL_FINGERUP, s->hold_x, s->hold_y);
        s->hold_until = 0;
        s->pc++;
        return STEP_RAN;
    }
    if (s->wait_until) {
        if (now < s->wait_until) return STEP_WAIT;
        s->wait_until = 0;
        s->pc++;
        return STEP_RAN;
    }
    /* skip blank lines and comments */
    while (s->pc < s->n) {
        const char *p = s->lines[s->pc];
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p && *p != '#') break;
        s->pc++;
    }
    if (s->pc >= s->n) return STEP_END;

    char *line = s->lines[s->pc];
    while (*line == ' ' || *line == '\t')
        line++;
    char cmd[16];
    size_t cl = strcspn(line, " \t");
    if (cl >= sizeof cmd) return fail(L, "unknown command \"%s\"", line);
    memcpy(cmd, line, cl);
    cmd[cl] = 0;
    const char *arg = line + cl;
    if (*arg) arg++; /* one separator; `type` keeps the rest verbatim */
    if (strcmp(cmd, "type") != 0)
        while (*arg == ' ' || *arg == '\t')
            arg++;

    if (needs_settle(cmd)) {
        int busy = needs_idle(cmd) && L->m->busy && L->m->busy(L->m->ud);
        if (busy || L->dirty || events_pending()) {
            if (!s->settle_since) s->settle_since = now;
            if (now - s->settle_since > SCRIPT_SETTLE_MAX_MS)
                return fail(L, "the application stayed busy before \"%s\"", cmd);
            return STEP_WAIT;
        }
    }
    s->settle_since = 0;

    if (strcmp(cmd, "tap") == 0) {
        bk_err e = ui_click(L->ui, arg);
        if (e == BK_ERR_NOT_FOUND) return fail(L, "no widget \"%s\" on this screen", arg);
        if (e == BK_ERR_STATE) return fail(L, "widget \"%s\" is disabled", arg);
        L->tap_us = ui_now_us();
        L->dirty = 1;
    } else if (strcmp(cmd, "touch") == 0 || strcmp(cmd, "hold") == 0) {
        float x, y;
        int n1 = parse_unit(arg, &x);
        if (n1 < 0) return fail(L, "touch needs X Y from 0 to 1: \"%s\"", arg);
        const char *p2 = arg + n1;
        while (*p2 == ' ')
            p2++;
        int n2 = parse_unit(p2, &y);
        if (n2 < 0) return fail(L, "touch needs X Y from 0 to 1: \"%s\"", arg);
        const char *p3 = p2 + n2;
        while (*p3 == ' ')
            p3++;
        push_finger(L, SDL_FINGERDOWN, x, y);
        if (strcmp(cmd, "hold") == 0) {
            long ms;
            if (parse_ms(p3, &ms)) return fail(L, "hold needs X Y MS: \"%s\"", arg);
            s->hold_until = now + ms;
            s->hold_x = x;
            s->hold_y = y;
            return STEP_RAN; /* pc advances when the finger is released */
        }
        if (*p3) return fail(L, "touch needs X Y from 0 to 1: \"%s\"", arg);
        push_finger(L, SDL_FINGERUP, x, y);
    } else if (strcmp(cmd, "type") == 0) {
        for (const char *p = arg; *p;) {
            if (p[0] == '\\' && p[1] == 'n') {
                push_key(SDLK_RETURN);
                p += 2;
            } else if (p[0] == '\\' && p[1] == 't') {
                push_key(SDLK_TAB);
                p += 2;
            } else if (p[0] == '\\' && p[1] == '\\') {
                push_text("\\", 1);
                p += 2;
            } else {
                size_t n = 1; /* one UTF-8 character per event, like a scanner */
                while (((unsigned char)p[n] & 0xC0) == 0x80)
                    n++;
                push_text(p, n);
                p += n;
            }
        }
    } else if (strcmp(cmd, "key") == 0) {
        SDL_Keycode k = SDL_GetKeyFromName(arg);
        if (k == SDLK_UNKNOWN || !*arg) return fail(L, "unknown key name \"%s\"", arg);
        push_key(k);
        if (k >= 32 && k < 127) push_text((const char[]){(char)k, 0}, 1);
    } else if (strcmp(cmd, "wait") == 0) {
        long ms;
        if (parse_ms(arg, &ms)) return fail(L, "wait needs milliseconds: \"%s\"", arg);
        s->wait_until = now + ms;
        return STEP_RAN; /* pc advances when the time is up */
    } else if (strcmp(cmd, "expect") == 0) {
        const char *cur = screen_of(L);
        if (strcmp(cur, arg) != 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "expected screen %s, the screen is %s", arg, cur);
            return fail(L, "%s", msg);
        }
    } else if (strcmp(cmd, "shot") == 0) {
        if (!*arg) return fail(L, "shot needs a file name%s", "");
        if (render(L, arg) != 0) return fail(L, "cannot save the screenshot %s", arg);
    } else if (strcmp(cmd, "dump") == 0) {
        ui_dump(L->ui, screen_of(L), stdout);
    } else if (strcmp(cmd, "until") == 0 || strcmp(cmd, "until-gone") == 0) {
        /* wait (the application runs on) until the drawn frame has, or no
         * longer has, widget ID (whose label contains TEXT, if given) */
        char id[UI_ID_SZ];
        size_t il = strcspn(arg, " \t");
        if (il == 0 || il >= sizeof id) return fail(L, "%s needs a widget id", cmd);
        memcpy(id, arg, il);
        id[il] = 0;
        const char *text = arg + il;
        while (*text == ' ' || *text == '\t')
            text++;
        const ui_widget *w = ui_widget_find(L->ui, id);
        int there = w && (!*text || strstr(w->label, text));
        int want = strcmp(cmd, "until") == 0;
        if (there != want) {
            if (!s->until_since) s->until_since = now ? now : 1;
            if (now - s->until_since > SCRIPT_SETTLE_MAX_MS)
                return fail(L, "timed out waiting: %s", line);
            return STEP_WAIT;
        }
        s->until_since = 0;
    } else if (strcmp(cmd, "exec") == 0) {
        /* test-only: a shell command, run to its end (the loop waits). Only
         * in builds with BK_TEST_HOOKS; the packaged binary refuses it. */
#ifndef BK_TEST_HOOKS
        return fail(L, "exec is a test-only extension, not in this build (BK_TEST_HOOKS=OFF)%s",
                    "");
#else
        const char *on = getenv("BAPAS_SCRIPT_EXEC");
        if (!on || strcmp(on, "1") != 0)
            return fail(L, "exec is a test-only extension: set BAPAS_SCRIPT_EXEC=1%s", "");
        if (!*arg) return fail(L, "exec needs a command%s", "");
        fflush(stdout);
        int rc = system(arg);
        if (rc != 0) {
            char st[32];
            snprintf(st, sizeof st, "%d", rc);
            return fail(L, "exec: the command failed (status %s)", st);
        }
        L->dirty = 1; /* the world may have changed */
#endif
    } else if (strcmp(cmd, "quit") == 0) {
        return STEP_END;
    } else {
        return fail(L, "unknown command \"%s\"", cmd);
    }
    s->pc++;
    return STEP_RAN;
}

/* ---- the loop --------------------------------------------------------- */

/* Block until an event or the timeout (ms, -1 = none). X11 and Wayland wait
 * on their connection in SDL_WaitEventTimeout; other drivers (kmsdrm on a
 * Raspberry Pi without X, dummy in tests) make SDL poll every millisecond,
 * which costs 1-2 % of a core while idle, so there we poll every 10 ms. */
static int wait_event(loop *L, SDL_Event *ev, int64_t timeout)
{
    if (L->native_wait)
        return timeout < 0 ? SDL_WaitEvent(ev) : SDL_WaitEventTimeout(ev, (int)timeout);
    int64_t end = timeout < 0 ? -1 : (int64_t)SDL_GetTicks64() + timeout;
    for (;;) {
        if (SDL_PollEvent(ev)) return 1;
        int64_t now = (int64_t)SDL_GetTicks64();
        if (end >= 0 && now >= end) return 0;
        int64_t nap = end < 0 ? 10 : end - now;
        SDL_Delay((Uint32)(nap > 10 ? 10 : nap));
    }
}

static void wake_min(int64_t *best, int64_t v)
{
    if (v < 0) return;
    if (*best < 0 || v < *best) *best = v;
}

int ui_loop_run(ui_ctx *ui, const ui_mode *m, const ui_loop_opts *o)
{
    loop L;
    memset(&L, 0, sizeof L);
    L.ui = ui;
    L.m = m;
    L.o = o;
    L.dirty = 1;
    if (o->script) {
        if (script_load(&L.sc, o->script) != 0) return 1;
        L.have_script = 1;
    }
    const char *vd = SDL_GetCurrentVideoDriver();
    L.native_wait = vd && (strcmp(vd, "x11") == 0 || strcmp(vd, "wayland") == 0);
    SDL_StartTextInput();
    for (;;) {
        SDL_Event ev;
        while (!L.quit && SDL_PollEvent(&ev))
            handle(&L, &ev);
        if (L.quit) break;
        int64_t now = (int64_t)SDL_GetTicks64();
        if (m->tick && m->tick(m->ud, ui, now)) L.dirty = 1;
        if (m->quit && m->quit(m->ud)) break;
        if (L.dirty) render(&L, NULL);
        ui_sound_idle(ui);

        int64_t timeout = -1;
        /* ---- systemd watchdog hook: pinged on every loop iteration ---- */
        if (o->heartbeat) wake_min(&timeout, o->heartbeat(o->heartbeat_ud));

        if (L.have_script) {
            int r = script_step(&L, now);
            if (r == STEP_END) break;
            if (r == STEP_FAIL) {
                L.rc = 1;
                break;
            }
            if (r == STEP_RAN) continue; /* run the next command or handle what it pushed */
            if (L.sc.wait_until) wake_min(&timeout, L.sc.wait_until - now);
            if (L.sc.hold_until) wake_min(&timeout, L.sc.hold_until - now);
            if (L.sc.settle_since || L.sc.until_since)
                wake_min(&timeout, 50); /* re-check settling or `until` */
        }
        if (m->next_wakeup) wake_min(&timeout, m->next_wakeup(m->ud, now));
        if (ui->click_until) wake_min(&timeout, (int64_t)ui->click_until - now);
        if (timeout > 0x7FFFFFFF) timeout = 0x7FFFFFFF;
        if (wait_event(&L, &ev, timeout)) handle(&L, &ev);
    }
    SDL_StopTextInput();
    script_free(&L.sc);
    return L.rc;
}
