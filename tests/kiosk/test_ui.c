/* test_ui — the toolkit itself, with the real software renderer under the
 * SDL dummy driver: layout helpers, text fitting (and its overflow flag),
 * widgets, touch handling (synthetic mouse events dropped), clicks,
 * dump, screenshots and PNG round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "ui.h"

static int setup(void **state)
{
    ui_ctx *ui = calloc(1, sizeof *ui);
    char assets[1024];
    if (!ui || paths_assets(assets, sizeof assets)) return -1;
    ui_open_opts o = {.width = 800, .height = 480, .assets = assets, .software = 1};
    if (ui_open(ui, &o)) {
        fprintf(stderr, "ui_open: %s\n", ui->err);
        return -1;
    }
    *state = ui;
    return 0;
}

static int teardown(void **state)
{
    ui_ctx *ui = *state;
    ui_close(ui);
    free(ui);
    return 0;
}

static void test_layout(void **state)
{
    (void)state;
    SDL_Rect r = {0, 0, 100, 50};
    SDL_Rect t = ui_cut_top(&r, 10);
    assert_int_equal(t.h, 10);
    assert_int_equal(r.y, 10);
    assert_int_equal(r.h, 40);
    SDL_Rect b = ui_cut_bottom(&r, 100); /* clamped */
    assert_int_equal(b.h, 40);
    assert_int_equal(r.h, 0);
    SDL_Rect q = {10, 10, 100, 100};
    SDL_Rect l = ui_cut_left(&q, 30), rr = ui_cut_right(&q, 30);
    assert_int_equal(l.x, 10);
    assert_int_equal(rr.x, 80);
    assert_int_equal(q.x, 40);
    assert_int_equal(q.w, 40);
    SDL_Rect c = ui_cell((SDL_Rect){0, 0, 320, 220}, 3, 2, 2, 1, 10);
    assert_int_equal(c.x, 220);
    assert_int_equal(c.y, 115);
    assert_int_equal(c.w, 100);
    assert_int_equal(c.h, 105);
    SDL_Rect ce = ui_center((SDL_Rect){0, 0, 100, 100}, 40, 20);
    assert_int_equal(ce.x, 30);
    assert_int_equal(ce.y, 40);
    SDL_Rect in = ui_inset((SDL_Rect){0, 0, 10, 10}, 8, 8);
    assert_int_equal(in.w, 0);
}

static void test_scale_and_portrait(void **state)
{
    ui_ctx *ui = *state;
    assert_int_equal(ui->w, 800);
    assert_int_equal(ui->h, 480);
    assert_false(ui->portrait);
    assert_true(ui->u > 0.41f && ui->u < 0.42f); /* min(800/1920, 480/1080) */
    assert_int_equal(ui_px(ui, 1920), 800);
    assert_true(ui_fpx(ui, 40) > ui_px(ui, 40)); /* small screens read text larger */
    SDL_SetWindowSize(ui->win, 480, 800);
    assert_int_equal(ui_update_size(ui), 1);
    assert_true(ui->portrait);
    SDL_SetWindowSize(ui->win, 800, 480);
    ui_update_size(ui);
}

static void test_text_fit(void **state)
{
    ui_ctx *ui = *state;
    ui_text_style st = {.face = UI_REGULAR, .px = 40, .color = {255, 255, 255, 255}};
    int w, h;
    ui_text_size(ui, UI_REGULAR, 40, "Antrean", &w, &h);
    assert_true(w > 50 && h > 30);
    ui_frame_begin(ui);
    /* fits: no overflow */
    int used = ui_text(ui, (SDL_Rect){0, 0, 400, 100}, "Nomor antrean Anda", &st);
    assert_true(used > 0 && used <= 100);
    assert_int_equal(ui->overflow, 0);
    /* wraps into two lines and shrinks to fit a narrow box */
    int used2 = ui_text(ui, (SDL_Rect){0, 0, 150, 200}, "Silakan ambil slip Anda di bawah", &st);
    assert_true(used2 > used);
    assert_int_equal(ui->overflow, 0);
    /* cannot fit even at the smallest size: counted */
    ui_text(ui, (SDL_Rect){0, 0, 20, 10}, "Pemasyarakatan", &st);
    assert_int_equal(ui->overflow, 1);
    assert_string_equal(ui->overflow_text, "Pemasyarakatan");
    /* one line only */
    st.max_lines = 1;
    ui_text(ui, (SDL_Rect){0, 0, 60, 200}, "satu dua tiga empat lima enam tujuh", &st);
    assert_int_equal(ui->overflow, 2);
    ui_frame_end(ui);
    ui_frame_begin(ui);
    assert_int_equal(ui->overflow, 0); /* counted per frame */
    ui_frame_end(ui);
}

static int frame_with_button(ui_ctx *ui, int enabled)
{
    ui_frame_begin(ui);
    ui_clear(ui, ui->th.bg);
    int hit = ui_button(ui, "go", "Mulai", (SDL_Rect){100, 100, 200, 100}, UI_BTN_PRIMARY,
                        UI_ICON_NONE, enabled);
    ui_info(ui, "note", "just text", (SDL_Rect){100, 100, 200, 100});
    ui_frame_end(ui);
    return hit;
}

static SDL_Event finger(Uint32 type, float x, float y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.tfinger.touchId = 7;
    e.tfinger.fingerId = 1;
    e.tfinger.x = x;
    e.tfinger.y = y;
    return e;
}

static void test_button_touch(void **state)
{
    ui_ctx *ui = *state;
    assert_int_equal(frame_with_button(ui, 1), 0);
    /* a tap inside the button: the next frame reports the click */
    SDL_Event d = finger(SDL_FINGERDOWN, 200 / 800.f, 150 / 480.f);
    SDL_Event u = finger(SDL_FINGERUP, 200 / 800.f, 150 / 480.f);
    int x, y, down;
    assert_int_equal(ui_pointer_event(ui, &d, &x, &y, &down), 1); /* press feedback */
    assert_int_equal(down, 1);
    assert_int_equal(x, 200);
    assert_string_equal(ui->active, "go");
    ui_pointer_event(ui, &u, &x, &y, &down);
    assert_int_equal(down, 0);
    assert_int_equal(frame_with_button(ui, 1), 1);
    assert_int_equal(frame_with_button(ui, 1), 0); /* delivered once */
    /* pressing then sliding off cancels */
    d = finger(SDL_FINGERDOWN, 200 / 800.f, 150 / 480.f);
    SDL_Event m = finger(SDL_FINGERMOTION, 600 / 800.f, 400 / 480.f);
    u = finger(SDL_FINGERUP, 600 / 800.f, 400 / 480.f);
    ui_pointer_event(ui, &d, NULL, NULL, NULL);
    ui_pointer_event(ui, &m, NULL, NULL, NULL);
    ui_pointer_event(ui, &u, NULL, NULL, NULL);
    assert_int_equal(frame_with_button(ui, 1), 0);
    /* a mouse event synthesized from touch is ignored; a real mouse works */
    SDL_Event md;
    memset(&md, 0, sizeof md);
    md.type = SDL_MOUSEBUTTONDOWN;
    md.button.which = SDL_TOUCH_MOUSEID;
    md.button.button = SDL_BUTTON_LEFT;
    md.button.x = 200;
    md.button.y = 150;
    ui_pointer_event(ui, &md, NULL, NULL, &down);
    assert_int_equal(down, -2);
    assert_false(ui->pointer_down);
    md.button.which = 0;
    SDL_Event mu = md;
    mu.type = SDL_MOUSEBUTTONUP;
    ui_pointer_event(ui, &md, NULL, NULL, NULL);
    ui_pointer_event(ui, &mu, NULL, NULL, NULL);
    assert_int_equal(frame_with_button(ui, 1), 1);
    /* a disabled button never fires */
    frame_with_button(ui, 0);
    ui_pointer_event(ui, &d, NULL, NULL, NULL);
    u = finger(SDL_FINGERUP, 200 / 800.f, 150 / 480.f);
    ui_pointer_event(ui, &u, NULL, NULL, NULL);
    assert_int_equal(frame_with_button(ui, 0), 0);
}

static void test_click_and_dump(void **state)
{
    ui_ctx *ui = *state;
    frame_with_button(ui, 1);
    assert_int_equal(ui_click(ui, "nope"), BK_ERR_NOT_FOUND);
    assert_int_equal(ui_click(ui, "note"), BK_ERR_NOT_FOUND); /* display text */
    assert_int_equal(ui_click(ui, "go"), BK_OK);
    assert_int_equal(frame_with_button(ui, 1), 1);
    frame_with_button(ui, 0);
    assert_int_equal(ui_click(ui, "go"), BK_ERR_STATE);
    char buf[1024] = "";
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    ui_dump(ui, "test", f);
    fclose(f);
    assert_string_equal(buf, "screen=test\n"
                             "go\tMulai\t100 100 200 100\tdisabled\n"
                             "note\tjust text\t100 100 200 100\tinfo\n");
}

static void test_screenshot_png(void **state)
{
    ui_ctx *ui = *state;
    ui_frame_begin(ui);
    ui_clear(ui, (SDL_Color){10, 20, 30, 255});
    ui_fill(ui, (SDL_Rect){0, 0, 10, 10}, (SDL_Color){250, 0, 0, 255});
    ui_round_rect(ui, (SDL_Rect){100, 100, 200, 100}, 20, (SDL_Color){0, 200, 0, 255});
    ui_icon_draw(ui, UI_ICON_REPORT, (SDL_Rect){400, 100, 100, 100}, ui->th.accent);
    ui_frame_end(ui);
    char path[] = "/tmp/bk-ui-shot-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ui_screenshot(ui, path), BK_OK);
    ui_present(ui);
    uint8_t *px = NULL;
    int w, h;
    assert_int_equal(ui_png_read(path, &px, &w, &h), BK_OK);
    assert_int_equal(w, 800);
    assert_int_equal(h, 480);
    assert_int_equal(px[0], 250); /* top-left red */
    assert_int_equal(px[1], 0);
    const uint8_t *bg = px + 4 * (479 * 800 + 799);
    assert_int_equal(bg[0], 10);
    assert_int_equal(bg[2], 30);
    const uint8_t *g = px + 4 * (150 * 800 + 200);
    assert_int_equal(g[1], 200);
    const uint8_t *corner = px + 4 * (100 * 800 + 100); /* rounded away */
    assert_int_equal(corner[1], 20);
    /* the icon put some accent-coloured pixels in its box */
    int accent = 0;
    for (int y = 100; y < 200; y++)
        for (int x = 400; x < 500; x++)
            accent += px[4 * (y * 800 + x)] == ui->th.accent.r &&
                      px[4 * (y * 800 + x) + 1] == ui->th.accent.g;
    assert_true(accent > 500);
    free(px);
    unlink(path);
    assert_int_equal(ui_png_read("/nonexistent.png", &px, &w, &h), BK_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test_setup_teardown(test_scale_and_portrait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_fit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_button_touch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_click_and_dump, setup, teardown),
        cmocka_unit_test_setup_teardown(test_screenshot_png, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
