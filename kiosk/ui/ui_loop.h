/* ui_loop.h — the event loop every bapas-kiosk mode runs in, and the
 * `--script FILE` automation runner (commands in kiosk/AUTOMATION.md).
 *
 * A mode (kiosk, board, reception, desk) is a ui_mode: a
 * table of callbacks over the mode's own state. The loop
 *   - blocks in SDL_WaitEventTimeout until an event or the earliest wakeup
 *     any party asked for (mode timers, script waits, watchdog, sound), so
 *     an idle screen costs no CPU;
 *   - redraws only when something changed (an input the toolkit or the mode
 *     used, a mode tick that returned 1, a window expose/resize), re-running
 *     the frame when a click was consumed so the presented frame matches the
 *     new state;
 *   - feeds pointer events to the toolkit (press feedback, clicks) and every
 *     event to the mode;
 *   - quits on SDL_QUIT (SIGTERM/SIGINT through SDL's handlers) and, only
 *     when allow_close, on the window's close button;
 *   - calls the heartbeat hook (systemd watchdog) on every iteration.
 *
 * Script commands that act (tap, touch, hold, type, key) and expect wait
 * until the mode is not busy (a database job running) and every pending
 * event is handled and drawn, so scripts are deterministic.
 */
#ifndef BK_UI_LOOP_H
#define BK_UI_LOOP_H

#include <stdint.h>
#include <stdio.h>

#include "ui.h"

typedef struct ui_mode {
    void *ud;
    /* The current screen id (for expect, dump and statistics). */
    const char *(*screen)(void *ud);
    /* Build and draw the current screen (inside ui_frame_begin/end). */
    void (*frame)(void *ud, ui_ctx *ui, int64_t now_ms);
    /* Every SDL event after the toolkit saw it. For pointer events x, y are
     * pixels and down is 1 (press), 0 (release), -1 (motion); else down is
     * -2. Returns 1 if the screen must be redrawn. May be NULL. */
    int (*event)(void *ud, ui_ctx *ui, const SDL_Event *ev, int x, int y, int down, int64_t now_ms);
    /* Timers; returns 1 if the screen must be redrawn. May be NULL. */
    int (*tick)(void *ud, ui_ctx *ui, int64_t now_ms);
    /* Milliseconds until tick must run again; -1 = only on events. May be NULL. */
    int64_t (*next_wakeup)(void *ud, int64_t now_ms);
    /* 1 while work is in progress that scripts must wait for. May be NULL. */
    int (*busy)(void *ud);
    /* 1 when the mode wants to stop (operator exit). May be NULL. */
    int (*quit)(void *ud);
} ui_mode;

typedef struct ui_loop_opts {
    const char *script; /* automation script path, NULL = none */
    FILE *stats;        /* frame statistics (development/bench), NULL = off */
    int64_t start_us;   /* process start on the ui_now_us() clock, for stats */
    int allow_close;    /* the window's close button quits (windowed mode) */
    /* Called on every loop iteration (the systemd watchdog ping); returns
     * the ms until it wants to run again, or -1. May be NULL. */
    int (*heartbeat)(void *ud);
    void *heartbeat_ud;
} ui_loop_opts;

/* Run until quit. Returns the process exit code: 0 (quit, or the script ran
 * to its end), 1 (a script command failed; the reason is on stderr). */
int ui_loop_run(ui_ctx *ui, const ui_mode *m, const ui_loop_opts *o);

/* CLOCK_MONOTONIC in microseconds: otime_mono_us() (base/otime.h), under the
 * name the modes, the stats and the benchmarks use. */
int64_t ui_now_us(void);

#endif
