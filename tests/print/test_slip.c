/* test_slip.c — slip layout, rendering, PNG and ESC/POS output, built from
 * hand-made ticket views (the database round trip is in test_slip_cli.sh).
 * PNGs are kept in $SLIP_TEST_OUT (default ./slip-out) for a person to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <SDL.h>
#include <png.h>

#include "escpos.h"
#include "escpos_decode.h"
#include "i18n.h"
#include "paths.h"
#include "payload.h"
#include "slip.h"
#include "slip_png.h"

typedef struct fx {
    slip_fonts *fonts;
    i18n *id, *en;
    slip_layout *l;
    char out[1024];
} fx;

static const char TOKEN[] = "MFRGGZDFMZTWQ2LKNNWG23TPOA"; /* canonical (ends in A) */

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    char err[256], dir[1024];
    assert_int_equal(slip_fonts_open(NULL, NULL, &f->fonts, err, sizeof err), BK_OK);
    assert_int_equal(paths_asset("i18n", dir, sizeof dir), BK_OK);
    assert_int_equal(i18n_load(dir, "id", &f->id), BK_OK);
    assert_int_equal(i18n_load(dir, "en", &f->en), BK_OK);
    f->l = malloc(sizeof *f->l);
    assert_non_null(f->l);
    const char *o = getenv("SLIP_TEST_OUT");
    snprintf(f->out, sizeof f->out, "%s", o && *o ? o : "slip-out");
    mkdir(f->out, 0755);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    slip_fonts_close(f->fonts);
    i18n_free(f->id);
    i18n_free(f->en);
    free(f->l);
    free(f);
    return 0;
}

/* A catalog text; the key must exist (a missing key would make the checks
 * below vacuous). */
static const char *T(const i18n *t, const char *key)
{
    if (!i18n_has(t, key)) fail_msg("catalog %s lacks %s", i18n_lang(t), key);
    return i18n_get(t, key);
}

/* A ticket view as queue_get would fill it, with private data that must
 * never reach the slip. */
static void make_view(queue_view *v, const char *code, bk_purpose purpose, const char *officer,
                      const char *room, bk_routing routed)
{
    memset(v, 0, sizeof *v);
    v->t.id = 42;
    snprintf(v->t.day, sizeof v->t.day, "2026-12-07");
    snprintf(v->t.code, sizeof v->t.code, "%s", code);
    snprintf(v->t.token, sizeof v->t.token, "%s", TOKEN);
    v->t.purpose = purpose;
    snprintf(v->t.client_no, sizeof v->t.client_no, "%s", "240077");
    snprintf(v->t.walkin_name, sizeof v->t.walkin_name, "%s", "Nama Rahasia Tamu");
    v->t.routed = routed;
    v->t.status = BK_STATUS_WAITING;
    v->t.checkin_at = 1796628600; /* 2026-12-07 14:30 WIB */
    if (officer) {
        v->has_officer = 1;
        snprintf(v->officer.id, sizeof v->officer.id, "%s", "PK07");
        snprintf(v->officer.name, sizeof v->officer.name, "%s", officer);
        snprintf(v->officer.room, sizeof v->officer.room, "%s", room);
        snprintf(v->t.officer, sizeof v->t.officer, "%s", "PK07");
    }
    v->position = 3;
    v->eta_minutes = 30;
}

static void make_client(store_client *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->no, sizeof c->no, "%s", "240077");
    snprintf(c->name, sizeof c->name, "%s", "Ma'ruf Kliensecret");
    snprintf(c->birth, sizeof c->birth, "%s", "1971-05-12");
    c->program = BK_PROGRAM_ASIMILASI;
    snprintf(c->officer, sizeof c->officer, "%s", "PK07");
    c->report_every_days = 30;
    snprintf(c->last_report, sizeof c->last_report, "%s", "2026-11-06");
    c->active = 1;
}

static void make_cfg(cfg *c, const char *office)
{
    cfg_defaults(c);
    snprintf(c->office_name, sizeof c->office_name, "%s", office);
    snprintf(c->slip_footer, sizeof c->slip_footer, "%s",
             "Simpan slip ini sampai nomor Anda dipanggil.");
}

/* All text of a layout, lines joined by "\n". */
static void layout_text(const slip_layout *l, char *out, size_t outsz)
{
    size_t w = 0;
    out[0] = 0;
    for (int i = 0; i < l->n_items; i++) {
        if (l->items[i].kind != SLIP_ITEM_TEXT) continue;
        int n = snprintf(out + w, outsz - w, "%s\n", l->items[i].text);
        assert_true(n > 0 && (size_t)n < outsz - w);
        w += (size_t)n;
    }
}

static void check_geometry(const slip_layout *l)
{
    assert_int_equal(l->width, slip_paper_dots(l->paper_mm));
    for (int i = 0; i < l->n_items; i++) {
        const slip_item *it = &l->items[i];
        assert_true(it->x >= l->margin);
        assert_true(it->x + it->w <= l->width - l->margin);
        assert_true(it->y >= 0 && it->y + it->h <= l->height);
        /* Nothing may sit inside the QR's box (quiet zone included). */
        int overlap_y = it->y < l->qr.y + l->qr.size && it->y + it->h > l->qr.y;
        int ink_y = it->kind == SLIP_ITEM_RULE || it->text[0];
        if (overlap_y && ink_y) {
            /* Text boxes include line spacing: allow touching only by blank
             * leading, i.e. the item must end above the symbol's quiet zone
             * top plus the font's descent — be strict: no overlap at all. */
            fail_msg("item %d (\"%s\") overlaps the QR box", i, it->text);
        }
    }
    const slip_qr *q = &l->qr;
    assert_true(q->module >= SLIP_QR_MODULE_MIN);
    assert_int_equal(q->size, (q->modules + 2 * SLIP_QR_QUIET) * q->module);
    assert_true(q->x >= 0 && q->x + q->size <= l->width);
    assert_true(q->y + q->size <= l->height);
}

static void test_fields_and_privacy(void **state)
{
    fx *f = *state;
    queue_view v;
    store_client cl;
    cfg c;
    slip_info info;
    make_view(&v, "A-007", BK_PURPOSE_REPORT, "Ma'ruf Hidayatullah", "Ruang Konseling 6",
              BK_ROUTED_ASSIGNED);
    make_client(&cl);
    make_cfg(&c, "Bapas Kelas I Jakarta Timur-Utara");
    slip_info_from_view(&v, &c, &cl, NULL, 1796628720, &info);
    assert_string_equal(info.next_report, "2027-01-06"); /* visit day + 30 */
    int papers[2] = {58, 80};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(slip_layout_build(f->fonts, f->id, &info, papers[k], f->l), BK_OK);
        check_geometry(f->l);
        char all[16384];
        layout_text(f->l, all, sizeof all);
        assert_non_null(strstr(all, "Bapas Kelas I"));
        assert_non_null(strstr(all, "\nA-007\n"));
        assert_non_null(strstr(all, T(f->id, "slip.queue_number")));
        /* no purpose (issue 12 item 8): no line of a purpose's words (the
         * room's name may hold one: "Ruang Konseling 6") */
        for (int pi = 0; pi < BK_PURPOSE__COUNT; pi++) {
            char key[64], line[128];
            snprintf(key, sizeof key, "kiosk.purpose.%s", bk_purpose_name((bk_purpose)pi));
            snprintf(line, sizeof line, "\n%s\n", T(f->id, key));
            assert_null(strstr(all, line));
        }
        assert_non_null(strstr(all, T(f->id, "slip.officer")));
        assert_non_null(strstr(all, "Ma'ruf Hidayatullah"));
        assert_non_null(strstr(all, "Ruang Konseling 6"));
        assert_non_null(strstr(all, "Senin, 7 Desember 2026"));
        assert_non_null(strstr(all, "pukul 14.30"));
        char want[256];
        const char *three[] = {"n", "3", NULL}, *thirty[] = {"n", "30", NULL},
                   *at[] = {"time", "pukul 14.32", NULL};
        i18n_fill(T(f->id, "slip.position.ahead"), three, want, sizeof want);
        assert_non_null(strstr(all, want));
        i18n_fill(T(f->id, "slip.eta.minutes"), thirty, want, sizeof want);
        assert_non_null(strstr(all, want));
        i18n_fill(T(f->id, "slip.printed_at"), at, want, sizeof want);
        assert_non_null(strstr(all, want));
        assert_non_null(strstr(all, T(f->id, "slip.next_report")));
        assert_non_null(strstr(all, "Rabu, 6 Januari 2027"));
        assert_non_null(strstr(all, "Simpan slip ini"));
        /* Privacy: nothing of the client, nor the walk-in name, nor the token in clear. */
        const char *secret[] = {"Kliensecret", "240077",  "1971", "12 Mei",
                                "ASIMILASI",   "Rahasia", TOKEN};
        for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++)
            if (strstr(all, secret[i])) fail_msg("slip shows private data \"%s\"", secret[i]);
        assert_string_equal(f->l->qr.payload, "BPK1:MFRGGZDFMZTWQ2LKNNWG23TPOA");
    }
    /* English catalog. */
    assert_int_equal(slip_layout_build(f->fonts, f->en, &info, 80, f->l), BK_OK);
    char all[16384];
    layout_text(f->l, all, sizeof all);
    assert_non_null(strstr(all, T(f->en, "slip.queue_number")));
    assert_non_null(strstr(all, "Monday, 7 December 2026\n14:30\n"));
    assert_non_null(strstr(all, "Wednesday, 6 January 2027"));
}

static void test_routing_variants(void **state)
{
    fx *f = *state;
    queue_view v;
    cfg c;
    slip_info info;
    char all[16384];
    make_cfg(&c, "Bapas Kelas II Wonosari");
    /* Substitute officer, not waiting (no position line), no next report. */
    make_view(&v, "B-012", BK_PURPOSE_COUNSELING, "Maria Goretti Simanjuntak", "Ruang Konseling 4",
              BK_ROUTED_SUBSTITUTE);
    v.position = -1;
    v.eta_minutes = -1;
    slip_info_from_view(&v, &c, NULL, NULL, v.t.checkin_at, &info);
    assert_int_equal(slip_layout_build(f->fonts, f->id, &info, 58, f->l), BK_OK);
    layout_text(f->l, all, sizeof all);
    assert_non_null(strstr(all, T(f->id, "slip.officer_substitute")));
    assert_null(strstr(all, T(f->id, "slip.position")));
    assert_null(strstr(all, T(f->id, "slip.next_report")));
    /* Reception walk-in; next in line. */
    make_view(&v, "F-003", BK_PURPOSE_OTHER, NULL, "", BK_ROUTED_RECEPTION);
    v.position = 0;
    v.eta_minutes = 0;
    slip_info_from_view(&v, &c, NULL, NULL, v.t.checkin_at, &info);
    assert_int_equal(slip_layout_build(f->fonts, f->id, &info, 80, f->l), BK_OK);
    layout_text(f->l, all, sizeof all);
    assert_non_null(strstr(all, T(f->id, "slip.served_at")));
    assert_non_null(strstr(all, T(f->id, "slip.reception")));
    assert_non_null(strstr(all, T(f->id, "slip.position.next")));
    assert_non_null(strstr(all, T(f->id, "slip.eta.now")));
    assert_null(strstr(all, "Rahasia"));
    /* A bad token or paper size is refused. */
    snprintf(info.token, sizeof info.token, "%s", "MFRGGZDFMZTWQ2LKNNWG23TPOB");
    assert_int_equal(slip_layout_build(f->fonts, f->id, &info, 80, f->l), BK_ERR_INVALID);
    snprintf(info.token, sizeof info.token, "%s", TOKEN);
    assert_int_equal(slip_layout_build(f->fonts, f->id, &info, 72, f->l), BK_ERR_INVALID);
}

/* Collapse runs of spaces and newlines into single spaces. */
static void squash(const char *s, char *out, size_t outsz)
{
    size_t w = 0;
    int sp = 1;
    for (; *s && w + 1 < outsz; s++) {
        if (*s == ' ' || *s == '\n') {
            if (!sp) out[w++] = ' ';
            sp = 1;
        } else {
            out[w++] = *s;
            sp = 0;
        }
    }
    while (w && out[w - 1] == ' ')
        w--;
    out[w] = 0;
}

static void test_long_names_wrap(void **state)
{
    fx *f = *state;
    /* 80 characters (the config's limit) and 100 (the name limit), one word
     * longer than a 58 mm line. */
    const char *office =
        "Balai Pemasyarakatan Kelas I Jakarta Timur-Utara dan Kepulauan Seribu Wilayah X";
    const char *pk = "Prof. Dr. Hj. Raden Ajeng Sri Wahyuningsih Kusumawardhani "
                     "Tjokroadisoerjo-Mangkunegaran, S.H.";
    const char *room = "Ruang Konseling Perorangan Lantai Dua Sayap Timur Gedung B";
    assert_true(strlen(office) <= 80);
    assert_true(strlen(pk) <= 100);
    queue_view v;
    cfg c;
    slip_info info;
    make_cfg(&c, office);
    make_view(&v, "C-128", BK_PURPOSE_GROUP, pk, room, BK_ROUTED_ASSIGNED);
    slip_info_from_view(&v, &c, NULL, NULL, v.t.checkin_at, &info);
    int papers[2] = {58, 80};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(slip_layout_build(f->fonts, f->id, &info, papers[k], f->l), BK_OK);
        check_geometry(f->l);
        /* Office and PK name: several lines, all inside the margins, and the
         * lines put back together give the whole name. */
        char joined[4096] = "", want[4096];
        int office_lines = 0, pk_lines = 0, in_pk = 0;
        for (int i = 0; i < f->l->n_items; i++) {
            const slip_item *it = &f->l->items[i];
            if (it->kind != SLIP_ITEM_TEXT) continue;
            if (it->style == SLIP_STYLE_TITLE) {
                office_lines++;
                strcat(joined, it->text);
                if (it->text[strlen(it->text) - 1] != '-') /* broken after a hyphen */
                    strcat(joined, " ");
            }
            if (it->style == SLIP_STYLE_LABEL)
                in_pk = strcmp(it->text, "Petugas PK") == 0;
            else if (in_pk && it->style == SLIP_STYLE_VALUE)
                pk_lines++;
        }
        squash(joined, want, sizeof want);
        assert_string_equal(want, office);
        assert_true(office_lines >= 2);
        assert_true(pk_lines >= 2);
        char png[1200];
        slip_image im;
        assert_int_equal(slip_render(f->fonts, f->l, &im), BK_OK);
        snprintf(png, sizeof png, "%s/long-names-%d.png", f->out, papers[k]);
        assert_int_equal(slip_png_write(&im, 0, png), BK_OK);
        slip_image_free(&im);
    }
}

/* zbarimg's reading of a PNG's QR code, "" if none. */
static void zbar(const char *png, char *out, size_t outsz)
{
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "zbarimg --raw -q -Sdisable -Sqrcode.enable '%s' 2>/dev/null", png);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, outsz - 1, p);
    out[n] = 0;
    pclose(p);
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = 0;
}

static void test_png_qr_decodes(void **state)
{
    fx *f = *state;
    if (system("command -v zbarimg >/dev/null 2>&1") != 0)
        fail_msg("zbarimg not found: install zbar-tools (deploy/deps.sh)");
    struct {
        const char *code;
        bk_purpose purpose;
        const char *officer, *room;
        bk_routing routed;
        const char *token;
        int paper;
        const i18n *lang;
    } cases[] = {
        {"A-001", BK_PURPOSE_REPORT, "Dra. Sri Wahyuningsih", "Ruang Konseling 1",
         BK_ROUTED_ASSIGNED, "MFRGGZDFMZTWQ2LKNNWG23TPOA", 58, NULL},
        {"D-019", BK_PURPOSE_DRUG_TEST, "Budi Santoso, S.Sos.", "Ruang Konseling 2",
         BK_ROUTED_ASSIGNED, "ZZZZZZZZZZZZZZZZZZZZZZZZZY", 80, NULL},
        {"E-004", BK_PURPOSE_LITMAS, "H. Ahmad Fauzi, S.H., M.H.", "Ruang Litmas",
         BK_ROUTED_SUBSTITUTE, "AAAAAAAAAAAAAAAAAAAAAAAAAA", 58, NULL},
        {"F-1002", BK_PURPOSE_OTHER, NULL, "", BK_ROUTED_RECEPTION, "234567234567234567234567Q4",
         80, NULL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        queue_view v;
        cfg c;
        slip_info info;
        make_cfg(&c, "Bapas Kelas I Jakarta Timur-Utara");
        make_view(&v, cases[k].code, cases[k].purpose, cases[k].officer, cases[k].room,
                  cases[k].routed);
        snprintf(v.t.token, sizeof v.t.token, "%s", cases[k].token);
        slip_info_from_view(&v, &c, NULL, NULL, v.t.checkin_at, &info);
        slip_image im;
        assert_int_equal(
            slip_make(f->fonts, k % 2 ? f->en : f->id, &info, cases[k].paper, f->l, &im), BK_OK);
        assert_int_equal(im.width, cases[k].paper == 58 ? 384 : 576);
        char png[1200], got[256], want[64];
        snprintf(png, sizeof png, "%s/slip-%s-%d.png", f->out, cases[k].code, cases[k].paper);
        assert_int_equal(slip_png_write(&im, 0, png), BK_OK);
        zbar(png, got, sizeof got);
        snprintf(want, sizeof want, "BPK1:%s", cases[k].token);
        assert_string_equal(got, want);
        /* The quiet zone is white on every side. */
        const slip_qr *q = &im.qr;
        int qz = SLIP_QR_QUIET * q->module;
        for (int y = q->y; y < q->y + q->size; y++)
            for (int x = q->x; x < q->x + q->size; x++)
                if (y < q->y + qz || y >= q->y + q->size - qz || x < q->x + qz ||
                    x >= q->x + q->size - qz)
                    assert_int_equal(im.gray[(size_t)y * (size_t)im.width + (size_t)x], 255);
        /* PNG read back equals the bitmap (8-bit), and the mono PNG equals the
         * printer's threshold. */
        for (int mono = 0; mono < 2; mono++) {
            slip_buf b = {0};
            assert_int_equal(slip_png_encode(&im, mono, &b), BK_OK);
            png_image pi;
            memset(&pi, 0, sizeof pi);
            pi.version = PNG_IMAGE_VERSION;
            assert_true(png_image_begin_read_from_memory(&pi, b.data, b.len));
            pi.format = PNG_FORMAT_GRAY;
            assert_int_equal(pi.width, (unsigned)im.width);
            assert_int_equal(pi.height, (unsigned)im.height);
            uint8_t *px = malloc(PNG_IMAGE_SIZE(pi));
            assert_non_null(px);
            assert_true(png_image_finish_read(&pi, NULL, px, 0, NULL));
            size_t np = (size_t)im.width * (size_t)im.height, diff = 0;
            for (size_t i = 0; i < np; i++) {
                uint8_t want_px = mono ? (im.gray[i] < 128 ? 0 : 255) : im.gray[i];
                diff += px[i] != want_px;
            }
            assert_int_equal(diff, 0);
            free(px);
            slip_buf_free(&b);
        }
        slip_image_free(&im);
    }
}

static void escpos_case(fx *f, int paper, int native)
{
    queue_view v;
    cfg c;
    store_client cl;
    slip_info info;
    make_cfg(&c, "Bapas Kelas I Jakarta Timur-Utara");
    make_view(&v, "A-023", BK_PURPOSE_REPORT, "Siti Nur'aini, S.Psi.", "Ruang Kelompok",
              BK_ROUTED_ASSIGNED);
    make_client(&cl);
    slip_info_from_view(&v, &c, &cl, NULL, v.t.checkin_at, &info);
    slip_image im;
    assert_int_equal(slip_make(f->fonts, f->id, &info, paper, f->l, &im), BK_OK);
    slip_buf b = {0};
    escpos_opts o = {.native_qr = native};
    assert_int_equal(escpos_encode(&im, &o, &b), BK_OK);
    escdec d;
    if (escdec_run(&d, paper == 58 ? 384 : 576, b.data, b.len))
        fail_msg("ESC/POS stream not understood: %s", d.error);
    assert_int_equal(d.resets, 1);
    assert_int_equal(d.raster_bad_width, 0); /* 48 bytes (58 mm) / 72 bytes (80 mm) a row */
    assert_true(d.raster_blocks >= 2);       /* a tall slip comes in strips */
    assert_true(d.raster_max_rows <= ESCPOS_STRIP_ROWS);
    assert_int_equal(d.cuts, 1);
    assert_int_equal(d.bytes_after_cut, 0); /* the cut ends the slip */
    assert_true(d.cut_at >= im.height);
    int top = im.qr.y + SLIP_QR_QUIET * im.qr.module;
    int bottom = top + im.qr.modules * im.qr.module;
    assert_int_equal(d.height, im.height); /* GS V 66 0 feeds nothing extra */
    for (int y = 0; y < im.height; y++) {
        if (native && y >= top && y < bottom) continue; /* drawn by the printer's own QR */
        for (int x = 0; x < im.width; x++) {
            uint8_t want = im.gray[(size_t)y * (size_t)im.width + (size_t)x] < 128 ? 0 : 255;
            if (d.gray[(size_t)y * (size_t)d.width + (size_t)x] != want)
                fail_msg("printed pixel (%d,%d) differs from the slip (paper %d)", x, y, paper);
        }
    }
    if (native) {
        assert_int_equal(d.native_qr_prints, 1);
        assert_int_equal(d.qr_module, im.qr.module);
        assert_int_equal(d.qr_level, 49); /* M */
        assert_string_equal(d.qr_data, im.qr.payload);
    } else {
        assert_int_equal(d.native_qr_prints, 0);
    }
    char png[1200], got[256];
    snprintf(png, sizeof png, "%s/escpos-%d%s.png", f->out, paper, native ? "-native" : "");
    assert_int_equal(escdec_write_png(&d, png), 0);
    zbar(png, got, sizeof got);
    assert_string_equal(got, im.qr.payload);
    escdec_free(&d);
    slip_buf_free(&b);
    slip_image_free(&im);
}

static void test_escpos_roundtrip(void **state)
{
    fx *f = *state;
    escpos_case(f, 58, 0);
    escpos_case(f, 80, 0);
    escpos_case(f, 58, 1);
    escpos_case(f, 80, 1);
}

static void test_escpos_header_bytes(void **state)
{
    (void)state;
    /* A tiny 16x3 image: check the exact bytes. */
    uint8_t px[16 * 3];
    memset(px, 255, sizeof px);
    px[0] = 0;         /* (0,0) black */
    px[16 + 9] = 100;  /* (9,1) dark enough */
    px[32 + 15] = 128; /* (15,2) not dark */
    slip_image im = {.width = 16, .height = 3, .paper_mm = 58, .gray = px};
    slip_buf b = {0};
    assert_int_equal(escpos_encode(&im, NULL, &b), BK_OK);
    const uint8_t want[] = {0x1B, '@',  0x1D, 'v',  '0',  0,    2,    0,   3,  0,
                            0x80, 0x00, 0x00, 0x40, 0x00, 0x00, 0x1D, 'V', 66, 0};
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);
    slip_buf_free(&b);
    im.width = 12; /* not a whole number of bytes */
    assert_int_equal(escpos_encode(&im, NULL, &b), BK_ERR_INVALID);
    assert_int_equal(b.len, 0);
}

static void test_paper_state(void **state)
{
    (void)state;
    assert_int_equal(escpos_paper_state(0x12), ESCPOS_PAPER_OK);
    assert_int_equal(escpos_paper_state(0x1E), ESCPOS_PAPER_LOW);
    assert_int_equal(escpos_paper_state(0x72), ESCPOS_PAPER_OUT);
    assert_int_equal(escpos_paper_state(0x7E), ESCPOS_PAPER_OUT);
    assert_int_equal(escpos_paper_state(0x00), ESCPOS_PAPER_UNKNOWN);
    assert_int_equal(escpos_paper_state(0xFF), ESCPOS_PAPER_UNKNOWN);
}

static void test_next_report(void **state)
{
    (void)state;
    queue_view v;
    store_client cl;
    char out[STORE_DAY_SZ];
    make_view(&v, "A-001", BK_PURPOSE_REPORT, "X", "Y", BK_ROUTED_ASSIGNED);
    make_client(&cl);
    slip_next_report(&v.t, &cl, NULL, out);
    assert_string_equal(out, "2027-01-06");
    /* After the visit is done the store's last report is the visit day: same answer. */
    snprintf(cl.last_report, sizeof cl.last_report, "%s", "2026-12-07");
    slip_next_report(&v.t, &cl, NULL, out);
    assert_string_equal(out, "2027-01-06");
    cl.report_every_days = 14;
    slip_next_report(&v.t, &cl, NULL, out);
    assert_string_equal(out, "2026-12-21");
    cl.last_report[0] = 0; /* first report ever */
    slip_next_report(&v.t, &cl, NULL, out);
    assert_string_equal(out, "2026-12-21");
    v.t.purpose = BK_PURPOSE_COUNSELING;
    slip_next_report(&v.t, &cl, NULL, out);
    assert_string_equal(out, "");
    v.t.purpose = BK_PURPOSE_REPORT;
    slip_next_report(&v.t, NULL, NULL, out); /* walk-in */
    assert_string_equal(out, "");
    /* 2026-12-07 + 26 = Saturday 2027-01-02: the slip says Monday 2027-01-04 */
    cl.report_every_days = 26;
    slip_next_report(&v.t, &cl, NULL, out);
    assert_string_equal(out, "2027-01-04");
    /* and with 2027-01-04 a holiday of the office calendar, Tuesday */
    cal k;
    cal_init(&k, CAL_WORKDAYS_DEFAULT);
    assert_int_equal(cal_add_holiday(&k, "2027-01-04"), BK_OK);
    slip_next_report(&v.t, &cl, &k, out);
    assert_string_equal(out, "2027-01-05");
    cal_free(&k);
    cl.report_every_days = 0; /* no interval known: no date */
    slip_next_report(&v.t, &cl, NULL, out);
    assert_string_equal(out, "");
}

static void test_surface_and_rgba(void **state)
{
    fx *f = *state;
    queue_view v;
    cfg c;
    slip_info info;
    make_cfg(&c, "Bapas");
    make_view(&v, "A-002", BK_PURPOSE_REPORT, "PK", "R1", BK_ROUTED_ASSIGNED);
    slip_info_from_view(&v, &c, NULL, NULL, v.t.checkin_at, &info);
    slip_image im;
    assert_int_equal(slip_make(f->fonts, f->id, &info, 80, f->l, &im), BK_OK);
    SDL_Surface *s = slip_image_surface(&im);
    assert_non_null(s);
    assert_int_equal(s->w, im.width);
    assert_int_equal(s->h, im.height);
    assert_int_equal(s->format->format, SDL_PIXELFORMAT_RGBA32);
    uint8_t *rgba = NULL;
    assert_int_equal(slip_image_rgba(&im, &rgba), BK_OK);
    size_t dark = 0;
    for (int y = 0; y < im.height; y++)
        for (int x = 0; x < im.width; x++) {
            const uint8_t *sp = (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch + 4 * x;
            const uint8_t *rp = rgba + 4 * ((size_t)y * (size_t)im.width + (size_t)x);
            uint8_t g = im.gray[(size_t)y * (size_t)im.width + (size_t)x];
            assert_int_equal(sp[0], g);
            assert_int_equal(sp[3], 255);
            assert_memory_equal(sp, rp, 4);
            dark += g < 128;
        }
    /* Text, rules and the QR put real ink on the paper. */
    assert_true(dark > (size_t)im.width * 40);
    free(rgba);
    SDL_FreeSurface(s);
    /* The fallback screen's big QR: same symbol, 12-pixel modules, decodable. */
    slip_image big;
    assert_int_equal(slip_qr_image(&im.qr, 12, &big), BK_OK);
    assert_int_equal(big.width, (im.qr.modules + 2 * SLIP_QR_QUIET) * 12);
    assert_int_equal(big.height, big.width);
    char png[1200], got[256];
    snprintf(png, sizeof png, "%s/fallback-qr.png", f->out);
    assert_int_equal(slip_png_write(&big, 0, png), BK_OK);
    zbar(png, got, sizeof got);
    assert_string_equal(got, im.qr.payload);
    slip_image_free(&big);
    assert_int_equal(slip_qr_image(&im.qr, 0, &big), BK_ERR_INVALID);
    assert_null(big.gray);
    slip_image_free(&im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_and_privacy), cmocka_unit_test(test_routing_variants),
        cmocka_unit_test(test_long_names_wrap),    cmocka_unit_test(test_png_qr_decodes),
        cmocka_unit_test(test_escpos_roundtrip),   cmocka_unit_test(test_escpos_header_bytes),
        cmocka_unit_test(test_paper_state),        cmocka_unit_test(test_next_report),
        cmocka_unit_test(test_surface_and_rgba),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
