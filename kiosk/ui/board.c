/* board.c — `--mode board`, the public lobby display (modes.h).
 *
 * Shows the call being made now (huge, with the room; it stays until the
 * next call), the five calls before it, the waiting ticket codes per queue
 * (scales to 60+ officers), the date and clock, and a status banner when the
 * database is unavailable. Plays the chime once per call and recall, queued.
 * Privacy: it draws a board_model (core/board.h), which holds no client
 * names; masked initials only with [board] show_initials.
 */
#include "modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "livework.h"
#include "modecommon.h"
#include "ui_loop.h"

#define CHIME_GAP_MS 250
#define CHIME_MAX_QUEUE 32

struct board_ui {
    mc_base b;
    board_model m;    /* shown */
    board_model next; /* the load being taken (UI thread) */
    int have_model;
    int show_initials;

    /* the chime queue */
    uint8_t *wav;
    uint32_t wav_len;
    int chime_ms;
    int chimes_queued; /* waiting to play */
    int chimes_played;
    int64_t chime_busy_until;
    int64_t now_ms;

    int dirty;
    FILE *trace; /* $BAPAS_BOARD_TRACE (benchmarks): one line per frame */
};

static bk_err load_cb(void *ud, queue_ctx *q, void *buf)
{
    board_ui *bu = ud;
    return board_load(q, bu->show_initials, buf);
}

/* ---- chime ------------------------------------------------------------- */

static void chime_open(board_ui *bu, const char *assets)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/sounds/chime.wav", assets);
    SDL_AudioSpec spec;
    bu->chime_ms = 1200;
    if (!SDL_LoadWAV(path, &spec, &bu->wav, &bu->wav_len)) {
        SDL_Log("bapas-kiosk: no chime (%s)", SDL_GetError());
        return;
    }
    /* played on the toolkit's sound device, which is opened for the
     * bundled sounds' format (22050 Hz mono 16-bit, like click.wav) */
    if (spec.freq != 22050 || spec.channels != 1 || spec.format != AUDIO_S16LSB) {
        SDL_Log("bapas-kiosk: chime.wav is not 22050 Hz mono 16-bit; no chime");
        SDL_FreeWAV(bu->wav);
        bu->wav = NULL;
        return;
    }
    bu->chime_ms = (int)((int64_t)bu->wav_len * 1000 / (22050 * 2));
}

/* Start the next queued chime when the last one has finished. The queue
 * is kept (and counted) even without sound, so calls are never lost. */
static int chime_tick(board_ui *bu, ui_ctx *ui, int64_t now)
{
    if (bu->chimes_queued == 0 || now < bu->chime_busy_until) return 0;
    if (ui->sounds && ui->audio && bu->wav) {
        SDL_ClearQueuedAudio(ui->audio);
        if (SDL_QueueAudio(ui->audio, bu->wav, bu->wav_len) == 0) {
            SDL_PauseAudioDevice(ui->audio, 0);
            ui->click_until = SDL_GetTicks64() + (uint64_t)bu->chime_ms + 50; /* then paused */
        } else {
            SDL_Log("bapas-kiosk: chime: %s", SDL_GetError());
        }
    }
    bu->chimes_queued--;
    bu->chimes_played++;
    bu->chime_busy_until = now + bu->chime_ms + CHIME_GAP_MS;
    return 1;
}

/* ---- model ------------------------------------------------------------- */

static int take(board_ui *bu)
{
    board_model *next = &bu->next;
    int got = 0, got_res = 0;
    lw_status st;
    bk_err re;
    uint64_t rs;
    lw_status was = bu->b.status;
    int any = lw_take(bu->b.lw, next, &got, &st, NULL, &re, &rs, &got_res);
    bu->b.status = st;
    if (got) {
        board_call ev[CHIME_MAX_QUEUE];
        int n = board_new_calls(bu->have_model ? &bu->m : NULL, next, ev, CHIME_MAX_QUEUE);
        /* the first model after a lost connection: calls made meanwhile
         * were not announced in time; one chime draws eyes to the board
         * instead of a burst of stale ones */
        if (was != LW_OK && n > 1) n = 1;
        bu->chimes_queued += n;
        if (bu->chimes_queued > CHIME_MAX_QUEUE) bu->chimes_queued = CHIME_MAX_QUEUE;
        memcpy(&bu->m, next, sizeof *next);
        bu->have_model = 1;
    }
    return any;
}

/* ---- drawing ----------------------------------------------------------- */

static const SDL_Color C_CALL_BG = {0x0B, 0x3D, 0x2E, 255};
static const SDL_Color C_CARD = {0x1B, 0x2A, 0x3E, 255};
static const SDL_Color C_CODE = {0xFF, 0xD4, 0x3B, 255};

static void call_room_text(board_ui *bu, const board_call *c, char *out, size_t sz)
{
    if (!c->officer[0]) {
        mc_fmt(out, sz, "%s", mc_t(&bu->b, "board.reception"));
        return;
    }
    const char *vars[] = {"room", c->room, "name", c->officer_name, NULL};
    i18n_fill(mc_t(&bu->b, c->room[0] ? "board.room" : "board.officer"), vars, out, sz);
}

static void draw_current(board_ui *bu, ui_ctx *ui, SDL_Rect r)
{
    ui_round_rect(ui, r, ui_px(ui, 20), C_CALL_BG);
    SDL_Rect in = ui_inset(r, ui_px(ui, 28), ui_px(ui, 18));
    SDL_Rect t = ui_cut_top(&in, in.h * 16 / 100);
    mc_label(ui, "calling-title", t, mc_t(&bu->b, "board.calling"), UI_BOLD, 52, ui->th.text,
             UI_CENTER);
    if (!bu->m.has_current) {
        mc_label(ui, "calling", in, "", UI_BOLD, 60, ui->th.text_dim, UI_CENTER);
        ui_text_style s = mc_style(ui, UI_REGULAR, 44, ui->th.text_dim, UI_CENTER);
        s.max_lines = 3;
        ui_text(ui, in, mc_t(&bu->b, "board.no_call"), &s);
        return;
    }
    const board_call *c = &bu->m.current;
    SDL_Rect foot = ui_cut_bottom(&in, in.h * 30 / 100);
    mc_label(ui, "calling", in, c->code, UI_BOLD, 300, C_CODE, UI_CENTER);
    char room[STORE_ROOM_SZ + STORE_NAME_SZ + 64];
    call_room_text(bu, c, room, sizeof room);
    SDL_Rect rr = ui_cut_top(&foot, foot.h * 55 / 100);
    mc_label(ui, "calling-room", rr, room, UI_BOLD, 64, ui->th.text, UI_CENTER);
    char sub[STORE_NAME_SZ + 64] = "";
    if (c->officer[0] && c->room[0]) mc_fmt(sub, sizeof sub, "%s", c->officer_name);
    if (c->calls > 1) {
        char n[16];
        mc_fmt(n, sizeof n, "%d", c->calls);
        const char *vars[] = {"n", n, NULL};
        char rc[64];
        i18n_fill(mc_t(&bu->b, "board.recall"), vars, rc, sizeof rc);
        size_t l = strlen(sub);
        mc_fmt(sub + l, sizeof sub - l, "%s%s", l ? "  ·  " : "", rc);
    }
    if (c->initials[0]) {
        size_t l = strlen(sub);
        mc_fmt(sub + l, sizeof sub - l, "%s%s", l ? "  ·  " : "", c->initials);
    }
    mc_label(ui, "calling-officer", foot, sub, UI_REGULAR, 40, ui->th.text_dim, UI_CENTER);
}

static void draw_recent(board_ui *bu, ui_ctx *ui, SDL_Rect r)
{
    SDL_Rect t = ui_cut_top(&r, ui_px(ui, 56));
    mc_label(ui, "recent-title", t, mc_t(&bu->b, "board.recent"), UI_BOLD, 36, ui->th.text_dim,
             UI_LEFT);
    int gap = ui_px(ui, 10);
    for (int i = 0; i < BOARD_RECENT; i++) {
        SDL_Rect c = ui_cell(r, BOARD_RECENT, 1, i, 0, gap);
        ui_round_rect(ui, c, ui_px(ui, 12), C_CARD);
        if (i >= bu->m.n_recent) continue;
        const board_call *bc = &bu->m.recent[i];
        SDL_Rect in = ui_inset(c, ui_px(ui, 8), ui_px(ui, 6));
        SDL_Rect top = ui_cut_top(&in, in.h * 58 / 100);
        char id[24];
        mc_fmt(id, sizeof id, "recent-%d", i + 1);
        mc_label(ui, id, top, bc->code, UI_BOLD, 54, ui->th.text, UI_CENTER);
        char room[STORE_ROOM_SZ + STORE_NAME_SZ + 64];
        call_room_text(bu, bc, room, sizeof room);
        ui_text_style rs = mc_style(ui, UI_REGULAR, 26, ui->th.text_dim, UI_CENTER);
        rs.max_lines = 2;
        ui_text(ui, in, room, &rs);
    }
}

static void draw_queues(board_ui *bu, ui_ctx *ui, SDL_Rect r, int stale)
{
    /* stale (the banner is up): the waiting lists may be out of date, so
     * they are dimmed; the calls stay bright (a call is never undone) */
    SDL_Color code_c = stale ? ui->th.text_dim : C_CODE;
    SDL_Color count_c = stale ? ui->th.text_dim : ui->th.accent;
    SDL_Rect t = ui_cut_top(&r, ui_px(ui, 56));
    char total[96], n[16];
    mc_fmt(n, sizeof n, "%d", bu->m.total_waiting);
    const char *vars[] = {"n", n, NULL};
    i18n_fill(mc_t(&bu->b, "board.waiting"), vars, total, sizeof total);
    mc_label(ui, "waiting-total", t, total, UI_BOLD, 36, ui->th.text_dim, UI_LEFT);
    int nq = bu->m.n_queues;
    if (nq <= 0) {
        mc_label(ui, NULL, r, mc_t(&bu->b, "board.none_waiting"), UI_REGULAR, 36, ui->th.text_dim,
                 UI_CENTER);
        return;
    }
    /* a grid whose cells are about 2.6x wider than tall, filling r */
    int best_cols = 1;
    float best = 0;
    for (int cols = 1; cols <= nq; cols++) {
        int rows = (nq + cols - 1) / cols;
        float cw = (float)r.w / (float)cols, ch = (float)r.h / (float)rows;
        float h = ch < cw / 2.6f ? ch : cw / 2.6f; /* usable height at that aspect */
        if (h > best) {
            best = h;
            best_cols = cols;
        }
    }
    int cols = best_cols, rows = (nq + cols - 1) / cols;
    int gap = ui_px(ui, nq > 24 ? 6 : 10);
    for (int i = 0; i < nq; i++) {
        const board_queue *bq = &bu->m.queues[i];
        SDL_Rect c = ui_cell(r, cols, rows, i % cols, i / cols, gap);
        ui_round_rect(ui, c, ui_px(ui, 10), C_CARD);
        SDL_Rect in = ui_inset(c, ui_px(ui, 10), ui_px(ui, 4));
        /* small cards (many officers): name and codes only; the call
         * panel shows the room when it matters */
        int roomy = c.h >= ui_px(ui, 120);
        SDL_Rect head = ui_cut_top(&in, in.h * (roomy ? 30 : 45) / 100);
        SDL_Rect sub = roomy ? ui_cut_top(&in, in.h * 32 / 100) : (SDL_Rect){0, 0, 0, 0};
        const char *name = bq->officer[0] ? bq->name : mc_t(&bu->b, "board.reception");
        SDL_Rect cnt = ui_cut_right(&head, head.h * 2);
        float fs = (float)c.h / ui->u * 0.26f;
        if (fs > 34) fs = 34;
        SDL_Color nc = bq->present ? ui->th.text : ui->th.text_dim;
        mc_label(ui, NULL, head, name, UI_BOLD, fs, nc, UI_LEFT);
        if (roomy && bq->officer[0] && bq->room[0])
            mc_label(ui, NULL, sub, bq->room, UI_REGULAR, fs * 0.85f, ui->th.text_dim, UI_LEFT);
        char cn[16];
        snprintf(cn, sizeof cn, "%d", bq->n_waiting);
        mc_label(ui, NULL, cnt, cn, UI_BOLD, fs, count_c, UI_RIGHT);
        /* codes: as many as fit on the line, then "+N" */
        char line[UI_LABEL_SZ] = "", label[UI_LABEL_SZ] = "";
        if (!bq->present && bq->officer[0] && bq->n_codes == 0) {
            mc_fmt(line, sizeof line, "%s", mc_t(&bu->b, "board.absent"));
        } else {
            int fit_chars = (int)((float)in.w / (fs * ui->u * 0.62f));
            size_t l = 0;
            int shown = 0;
            for (int k = 0; k < bq->n_codes; k++) {
                char one[STORE_CODE_SZ + BOARD_INITIALS_SZ + 4];
                if (bq->initials[k][0])
                    mc_fmt(one, sizeof one, "%s (%s)", bq->codes[k], bq->initials[k]);
                else
                    mc_fmt(one, sizeof one, "%s", bq->codes[k]);
                size_t ol = strlen(one);
                int rest = bq->n_waiting - shown - 1;
                int reserve = rest > 0 ? 5 : 0;
                if ((int)(l + ol + 1) + reserve > fit_chars && shown > 0) break;
                l += (size_t)snprintf(line + l, sizeof line - l, "%s%s", l ? "  " : "", one);
                if (l >= sizeof line) l = sizeof line - 1;
                shown++;
            }
            if (shown < bq->n_waiting)
                mc_fmt(line + l, sizeof line - l, "  +%d", bq->n_waiting - shown);
        }
        mc_label(ui, NULL, in, line, UI_REGULAR, fs, code_c, UI_LEFT);
        /* dump: every kept code, for tests and the contract */
        size_t l = 0;
        for (int k = 0; k < bq->n_codes && l + STORE_CODE_SZ + 2 < sizeof label; k++)
            l += (size_t)snprintf(label + l, sizeof label - l, "%s%s", k ? " " : "", bq->codes[k]);
        char id[UI_ID_SZ];
        mc_fmt(id, sizeof id, "waiting-%s", bq->officer[0] ? bq->officer : "reception");
        ui_info(ui, id, label, c);
    }
}

static void frame_cb(void *ud, ui_ctx *ui, int64_t now_ms)
{
    board_ui *bu = ud;
    SDL_Rect full = {0, 0, ui->w, ui->h};
    ui_clear(ui, ui->th.bg);
    SDL_Rect body = full;
    SDL_Rect hdr = ui_cut_top(&body, ui_px(ui, ui->portrait ? 110 : 96));
    mc_header(&bu->b, ui, hdr, NULL);
    int stale = mc_banner(&bu->b, ui, &body, now_ms) > 0 && bu->have_model;
    body = ui_inset(body, ui_px(ui, 24), ui_px(ui, 20));
    int pad = ui_px(ui, 24);
    SDL_Rect left, right;
    if (ui->portrait) {
        left = ui_cut_top(&body, body.h * 48 / 100);
        ui_cut_top(&body, pad);
        right = body;
    } else {
        left = ui_cut_left(&body, body.w * 46 / 100);
        ui_cut_left(&body, pad);
        right = body;
    }
    SDL_Rect rec = ui_cut_bottom(&left, left.h * 27 / 100);
    ui_cut_bottom(&left, pad / 2);
    draw_current(bu, ui, left);
    draw_recent(bu, ui, rec);
    draw_queues(bu, ui, right, stale);
    char ch[48];
    mc_fmt(ch, sizeof ch, "%d %d", bu->chimes_played, bu->chimes_queued);
    ui_info(ui, "chimes", ch, (SDL_Rect){0, 0, 1, 1});
    bu->dirty = 0;
    if (bu->trace) {
        fprintf(bu->trace, "frame t_us=%lld current=%s\n", (long long)ui_now_us(),
                bu->m.has_current ? bu->m.current.code : "-");
        fflush(bu->trace);
    }
}

/* ---- ui_mode ----------------------------------------------------------- */

static const char *screen_cb(void *ud)
{
    (void)ud;
    return "board";
}

static int event_cb(void *ud, ui_ctx *ui, const SDL_Event *ev, int x, int y, int down,
                    int64_t now_ms)
{
    board_ui *bu = ud;
    (void)ui;
    (void)x;
    (void)y;
    (void)down;
    if (ev->type == lw_event_type(bu->b.lw)) {
        int r = take(bu);
        chime_tick(bu, ui, now_ms);
        return r;
    }
    return 0;
}

static int tick_cb(void *ud, ui_ctx *ui, int64_t now_ms)
{
    board_ui *bu = ud;
    bu->now_ms = now_ms;
    int r = chime_tick(bu, ui, now_ms);
    if (mc_clock_tick(&bu->b, now_ms)) r = 1;
    return r;
}

static int64_t wake_cb(void *ud, int64_t now_ms)
{
    board_ui *bu = ud;
    int64_t w = mc_clock_wake(&bu->b, now_ms);
    int64_t c = -1;
    if (bu->chimes_queued > 0)
        c = bu->chime_busy_until > now_ms ? bu->chime_busy_until - now_ms : 0;
    if (c >= 0 && (w < 0 || c < w)) w = c;
    return w;
}

static int busy_cb(void *ud)
{
    board_ui *bu = ud;
    return lw_busy(bu->b.lw);
}

ui_mode board_ui_mode(board_ui *bu)
{
    ui_mode m = {.ud = bu,
                 .screen = screen_cb,
                 .frame = frame_cb,
                 .event = event_cb,
                 .tick = tick_cb,
                 .next_wakeup = wake_cb,
                 .busy = busy_cb,
                 .quit = NULL};
    return m;
}

bk_err board_ui_create(const live_mode_opts *o, board_ui **out, char *err, size_t errlen)
{
    *out = NULL;
    board_ui *bu = calloc(1, sizeof *bu);
    if (!bu) {
        mc_fmt(err, errlen, "out of memory");
        return BK_ERR_NOMEM;
    }
    bk_err e = mc_init(&bu->b, o->cfg, o->assets, &o->q, err, errlen);
    if (e) {
        free(bu);
        return e;
    }
    bu->show_initials = o->cfg->board_show_initials;
    bu->b.public_banner = 1;
    const char *trace = getenv("BAPAS_BOARD_TRACE"); /* benchmarks: a test hook */
#ifdef BK_TEST_HOOKS
    if (trace && *trace && !(bu->trace = fopen(trace, "a")))
        SDL_Log("bapas-kiosk: cannot write the trace %s", trace);
#else
    if (trace && *trace)
        SDL_Log("bapas-kiosk: BAPAS_BOARD_TRACE is a test aid, not in this build: ignored");
#endif
    chime_open(bu, o->assets);
    if ((e = mc_start_worker(&bu->b, o, sizeof(board_model), load_cb, NULL, bu, err, errlen))) {
        board_ui_destroy(bu);
        return e;
    }
    *out = bu;
    return BK_OK;
}

void board_ui_destroy(board_ui *bu)
{
    if (!bu) return;
    lw_destroy(bu->b.lw);
    if (bu->trace) fclose(bu->trace);
    if (bu->wav) SDL_FreeWAV(bu->wav);
    mc_free(&bu->b);
    free(bu);
}
