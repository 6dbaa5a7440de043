/* slip_bench — time building a slip from a ticket id, as the kiosk does after
 * a check-in: read the ticket (queue_get + the client's report schedule),
 * lay out, encode the QR, render, encode PNG and ESC/POS.
 *
 *   slip_bench [--rounds N] [--paper 58|80] [--native-qr]
 *
 * A fresh demo office in a temporary database gets 40 check-ins; the rounds
 * cycle over those tickets. Fonts and the catalog are opened once (as in the
 * kiosk); the first slip, which opens the font sizes, is reported apart.
 * Prints p50 / p99 / max per stage and in total (target: total p99 < 20 ms).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "demo.h"
#include "escpos.h"
#include "i18n.h"
#include "paths.h"
#include "queue.h"
#include "slip.h"
#include "slip_png.h"
#include "slip_store.h"
#include "store.h"

#define TICKETS 40
enum { ST_READ, ST_LAYOUT, ST_RENDER, ST_PNG, ST_ESCPOS, ST_TOTAL, ST__N };
static const char *const stage_names[ST__N] = {"read ticket", "layout+QR", "render",
                                               "PNG",         "ESC/POS",   "total"};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
    int i = (int)(p * (n - 1) + 0.5);
    return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static int die(const char *what, bk_err e)
{
    fprintf(stderr, "slip_bench: %s failed: %s\n", what, bk_err_name(e));
    return 1;
}

int main(int argc, char **argv)
{
    int rounds = 2000, paper = 80, native = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--paper") == 0 && i + 1 < argc)
            paper = atoi(argv[++i]);
        else if (strcmp(argv[i], "--native-qr") == 0)
            native = 1;
        else {
            fprintf(stderr, "usage: slip_bench [--rounds N] [--paper 58|80] [--native-qr]\n");
            return 2;
        }
    }
    if (rounds < 10 || (paper != 58 && paper != 80)) {
        fprintf(stderr, "slip_bench: --rounds >= 10, --paper 58 or 80\n");
        return 2;
    }
    char dir[] = "/tmp/slip-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char db[256], err[256], assets[1024];
    snprintf(db, sizeof db, "%s/bench.db", dir);
    store *st = NULL;
    store_opts so = {.create = 1};
    bk_err e = store_open(db, &so, &st, err, sizeof err);
    if (e) {
        fprintf(stderr, "slip_bench: %s\n", err);
        return 1;
    }
    cfg c;
    cfg_defaults(&c);
    snprintf(c.office_name, sizeof c.office_name, "%s", "Bapas Kelas I Jakarta Timur-Utara");
    snprintf(c.slip_footer, sizeof c.slip_footer, "%s", "Simpan slip ini sampai dipanggil.");
    queue_ctx q = {.st = st, .utc_offset_min = c.utc_offset_min, .actor = "bench"};
    if ((e = demo_load(&q))) return die("demo_load", e);
    int64_t ids[TICKETS];
    for (int i = 0; i < TICKETS; i++) {
        char no[STORE_ID_SZ], birth[STORE_DAY_SZ];
        demo_client(i, no, birth);
        queue_view v;
        if ((e = queue_checkin(&q, no, birth, (bk_purpose)(i % 3), &v)))
            return die("queue_checkin", e);
        ids[i] = v.t.id;
    }

    i18n *tr = NULL;
    slip_fonts *fonts = NULL;
    if ((e = paths_asset("i18n", assets, sizeof assets)) || (e = i18n_load(assets, "id", &tr)))
        return die("loading the catalog (set BAPAS_ASSETS)", e);
    if ((e = slip_fonts_open(NULL, NULL, &fonts, err, sizeof err))) {
        fprintf(stderr, "slip_bench: %s\n", err);
        return 1;
    }
    slip_layout *layout = malloc(sizeof *layout);
    double *t[ST__N];
    for (int s = 0; s < ST__N; s++)
        t[s] = malloc(sizeof(double) * (size_t)rounds);
    if (!layout || !t[ST__N - 1]) return die("malloc", BK_ERR_NOMEM);

    double first = 0;
    size_t png_bytes = 0, esc_bytes = 0;
    int height = 0;
    for (int r = -1; r < rounds; r++) { /* r = -1: the cold first slip */
        slip_info info;
        slip_image im;
        slip_buf png = {0}, esc = {0};
        double a = now_ms();
        if ((e = slip_store_info(&q, &c, ids[(r + TICKETS) % TICKETS], &info, NULL)))
            return die("slip_store_info", e);
        double b = now_ms();
        if ((e = slip_layout_build(fonts, tr, &info, paper, layout)))
            return die("slip_layout_build", e);
        double cc = now_ms();
        if ((e = slip_render(fonts, layout, &im))) return die("slip_render", e);
        double d = now_ms();
        if ((e = slip_png_encode(&im, 0, &png))) return die("slip_png_encode", e);
        double f = now_ms();
        escpos_opts eo = {.native_qr = native};
        if ((e = escpos_encode(&im, &eo, &esc))) return die("escpos_encode", e);
        double g = now_ms();
        if (r < 0) {
            first = g - a;
        } else {
            t[ST_READ][r] = b - a;
            t[ST_LAYOUT][r] = cc - b;
            t[ST_RENDER][r] = d - cc;
            t[ST_PNG][r] = f - d;
            t[ST_ESCPOS][r] = g - f;
            t[ST_TOTAL][r] = g - a;
        }
        png_bytes = png.len;
        esc_bytes = esc.len;
        height = im.height;
        slip_buf_free(&png);
        slip_buf_free(&esc);
        slip_image_free(&im);
    }
    printf("slip_bench: %d slips, %d mm paper (%d x %d dots), %s QR; PNG %zu bytes, "
           "ESC/POS %zu bytes\n",
           rounds, paper, slip_paper_dots(paper), height, native ? "native" : "raster", png_bytes,
           esc_bytes);
    printf("first slip (opens the font sizes): %.2f ms\n", first);
    printf("%-12s %8s %8s %8s\n", "stage", "p50 ms", "p99 ms", "max ms");
    for (int s = 0; s < ST__N; s++) {
        qsort(t[s], (size_t)rounds, sizeof(double), cmp_double);
        printf("%-12s %8.3f %8.3f %8.3f\n", stage_names[s], pct(t[s], rounds, 0.5),
               pct(t[s], rounds, 0.99), t[s][rounds - 1]);
    }
    double p99 = pct(t[ST_TOTAL], rounds, 0.99);
    printf("target total p99 < 20 ms: %s\n", p99 < 20.0 ? "met" : "NOT MET");

    for (int s = 0; s < ST__N; s++)
        free(t[s]);
    free(layout);
    slip_fonts_close(fonts);
    i18n_free(tr);
    store_close(st);
    char p[300];
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
    unlink(db);
    rmdir(dir);
    return p99 < 20.0 ? 0 : 1;
}
