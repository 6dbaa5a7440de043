/* pngtool — screenshot helpers for the kiosk tests.
 *
 *   pngtool diff A.png B.png [TOL [MAXFRAC [DIFF.png]]]
 *       Compare two images of the same size. A pixel differs when any
 *       channel differs by more than TOL (default 40). Exit 0 when at most
 *       MAXFRAC (default 0.005) of the pixels differ, 1 otherwise, 2 on
 *       error. Prints "differing=N total=M fraction=F". DIFF.png (optional)
 *       shows differing pixels in red over a dimmed A.
 *   pngtool montage OUT.png SCALE COLS IN.png...
 *       Tile images (each shrunk by the integer SCALE) into one sheet, for
 *       looking at many screenshots at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

static int diff(int argc, char **argv)
{
    if (argc < 4) return 2;
    int tol = argc > 4 ? atoi(argv[4]) : 40;
    double maxfrac = argc > 5 ? atof(argv[5]) : 0.005;
    uint8_t *a = NULL, *b = NULL;
    int aw, ah, bw, bh;
    if (ui_png_read(argv[2], &a, &aw, &ah) || ui_png_read(argv[3], &b, &bw, &bh)) {
        fprintf(stderr, "pngtool: cannot read %s or %s\n", argv[2], argv[3]);
        free(a);
        return 2;
    }
    if (aw != bw || ah != bh) {
        fprintf(stderr, "pngtool: sizes differ: %dx%d vs %dx%d\n", aw, ah, bw, bh);
        free(a);
        free(b);
        return 1;
    }
    long n = (long)aw * ah, bad = 0;
    for (long i = 0; i < n; i++) {
        int d = 0;
        for (int c = 0; c < 3; c++) {
            int x = abs((int)a[4 * i + c] - (int)b[4 * i + c]);
            if (x > d) d = x;
        }
        if (d > tol) {
            bad++;
            a[4 * i] = 255;
            a[4 * i + 1] = 0;
            a[4 * i + 2] = 0;
        } else {
            for (int c = 0; c < 3; c++)
                a[4 * i + c] = (uint8_t)(a[4 * i + c] / 3);
        }
    }
    double frac = n ? (double)bad / (double)n : 0;
    printf("differing=%ld total=%ld fraction=%.6f\n", bad, n, frac);
    if (argc > 6 && bad) ui_png_write(argv[6], a, aw, ah, aw * 4);
    free(a);
    free(b);
    return frac <= maxfrac ? 0 : 1;
}

static int montage(int argc, char **argv)
{
    if (argc < 6) return 2;
    int scale = atoi(argv[3]), cols = atoi(argv[4]);
    int n = argc - 5;
    if (scale < 1 || cols < 1) return 2;
    uint8_t **img = calloc((size_t)n, sizeof *img);
    int *w = calloc((size_t)n, sizeof *w), *h = calloc((size_t)n, sizeof *h);
    int cw = 0, ch = 0, rc = 0;
    for (int i = 0; i < n; i++) {
        if (ui_png_read(argv[5 + i], &img[i], &w[i], &h[i])) {
            fprintf(stderr, "pngtool: cannot read %s\n", argv[5 + i]);
            rc = 2;
            goto out;
        }
        if (w[i] / scale > cw) cw = w[i] / scale;
        if (h[i] / scale > ch) ch = h[i] / scale;
    }
    int gap = 8, rows = (n + cols - 1) / cols;
    int W = cols * (cw + gap) + gap, H = rows * (ch + gap) + gap;
    uint8_t *out = calloc((size_t)W * H * 4, 1);
    if (!out) {
        rc = 2;
        goto out;
    }
    for (long i = 0; i < (long)W * H; i++) {
        out[4 * i] = 128;
        out[4 * i + 1] = 128;
        out[4 * i + 2] = 128;
        out[4 * i + 3] = 255;
    }
    for (int i = 0; i < n; i++) {
        int ox = gap + (i % cols) * (cw + gap), oy = gap + (i / cols) * (ch + gap);
        for (int y = 0; y < h[i] / scale; y++)
            for (int x = 0; x < w[i] / scale; x++) {
                int acc[3] = {0, 0, 0};
                for (int sy = 0; sy < scale; sy++)
                    for (int sx = 0; sx < scale; sx++) {
                        const uint8_t *p =
                            img[i] + 4 * ((long)(y * scale + sy) * w[i] + x * scale + sx);
                        for (int c = 0; c < 3; c++)
                            acc[c] += p[c];
                    }
                uint8_t *d = out + 4 * ((long)(oy + y) * W + ox + x);
                for (int c = 0; c < 3; c++)
                    d[c] = (uint8_t)(acc[c] / (scale * scale));
            }
    }
    rc = ui_png_write(argv[2], out, W, H, W * 4) ? 2 : 0;
    free(out);
out:
    for (int i = 0; i < n; i++)
        free(img[i]);
    free(img);
    free(w);
    free(h);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "diff") == 0) return diff(argc, argv);
    if (argc > 1 && strcmp(argv[1], "montage") == 0) return montage(argc, argv);
    fprintf(stderr, "usage: pngtool diff A.png B.png [TOL [MAXFRAC [DIFF.png]]]\n"
                    "       pngtool montage OUT.png SCALE COLS IN.png...\n");
    return 2;
}
