#include "escpos_decode.h"

#include <png.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3))) static int err(escdec *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->error, sizeof d->error, fmt, ap);
    va_end(ap);
    return -1;
}

/* Append rows of white paper; returns a pointer to the first new row. */
static uint8_t *grow(escdec *d, int rows)
{
    size_t old = (size_t)d->width * (size_t)d->height;
    size_t add = (size_t)d->width * (size_t)rows;
    uint8_t *g = realloc(d->gray, old + add + 1);
    if (!g) return NULL;
    d->gray = g;
    memset(g + old, 255, add);
    d->height += rows;
    return g + old;
}

static int print_qr(escdec *d, int align)
{
    if (!d->qr_data[0]) return err(d, "GS ( k print with no stored data");
    if (d->qr_model != 50) return err(d, "QR model %d is not model 2", d->qr_model);
    QRecLevel lv = d->qr_level == 48   ? QR_ECLEVEL_L
                   : d->qr_level == 49 ? QR_ECLEVEL_M
                   : d->qr_level == 50 ? QR_ECLEVEL_Q
                                       : QR_ECLEVEL_H;
    QRcode *q = QRcode_encodeString(d->qr_data, 0, lv, QR_MODE_8, 1);
    if (!q) return err(d, "cannot encode stored QR data");
    int m = d->qr_module > 0 ? d->qr_module : 3;
    int size = q->width * m;
    int x0 = align == 1 ? (d->width - size) / 2 : align == 2 ? d->width - size : 0;
    uint8_t *top = grow(d, size);
    if (!top || x0 < 0) {
        QRcode_free(q);
        return err(d, "QR does not fit the paper");
    }
    for (int r = 0; r < q->width; r++)
        for (int c = 0; c < q->width; c++)
            if (q->data[r * q->width + c] & 1)
                for (int yy = 0; yy < m; yy++)
                    memset(top + (size_t)(r * m + yy) * (size_t)d->width + x0 + c * m, 0,
                           (size_t)m);
    QRcode_free(q);
    d->native_qr_prints++;
    return 0;
}

int escdec_run(escdec *d, int width, const uint8_t *p, size_t n)
{
    memset(d, 0, sizeof *d);
    d->width = width;
    d->cut_at = -1;
    int align = 0;
    size_t i = 0;
#define NEED(k)                                                                                    \
    do {                                                                                           \
        if (i + (k) > n) return err(d, "truncated command at byte %zu", i);                        \
    } while (0)
    while (i < n) {
        if (d->cuts) d->bytes_after_cut = n - i;
        uint8_t b = p[i];
        if (b == 0x1B) { /* ESC */
            NEED(2);
            uint8_t c = p[i + 1];
            if (c == '@') {
                d->resets++;
                align = 0;
                i += 2;
            } else if (c == 'a') {
                NEED(3);
                align = p[i + 2] % 48 % 3;
                i += 3;
            } else if (c == 'd') {
                NEED(3);
                if (!grow(d, p[i + 2] * ESCDEC_LINE_DOTS)) return err(d, "out of memory");
                i += 3;
            } else {
                return err(d, "unknown ESC 0x%02X at byte %zu", c, i);
            }
        } else if (b == 0x0A) {
            if (!grow(d, ESCDEC_LINE_DOTS)) return err(d, "out of memory");
            i++;
        } else if (b == 0x10) { /* DLE EOT n */
            NEED(3);
            if (p[i + 1] != 0x04) return err(d, "unknown DLE command at byte %zu", i);
            i += 3;
        } else if (b == 0x1D) { /* GS */
            NEED(2);
            uint8_t c = p[i + 1];
            if (c == 'v') {
                NEED(8);
                if (p[i + 2] != '0') return err(d, "GS v %c is not GS v 0", p[i + 2]);
                if (p[i + 3] != 0 && p[i + 3] != 48)
                    return err(d, "raster mode %d is not normal density", p[i + 3]);
                int wb = p[i + 4] | p[i + 5] << 8;
                int h = p[i + 6] | p[i + 7] << 8;
                size_t sz = (size_t)wb * (size_t)h;
                i += 8;
                if (i + sz > n) return err(d, "raster data truncated");
                if (wb * 8 != width) d->raster_bad_width++;
                if (wb * 8 > width)
                    return err(d, "raster %d dots wider than the paper (%d)", wb * 8, width);
                d->raster_blocks++;
                if (h > d->raster_max_rows) d->raster_max_rows = h;
                int x0 = align == 1 ? (width - wb * 8) / 2 : align == 2 ? width - wb * 8 : 0;
                uint8_t *top = grow(d, h);
                if (!top) return err(d, "out of memory");
                for (int r = 0; r < h; r++)
                    for (int x = 0; x < wb * 8; x++)
                        if (p[i + (size_t)r * (size_t)wb + (size_t)(x >> 3)] & (0x80 >> (x & 7)))
                            top[(size_t)r * (size_t)width + (size_t)(x0 + x)] = 0;
                i += sz;
            } else if (c == '(') {
                NEED(5);
                if (p[i + 2] != 'k') return err(d, "unknown GS ( %c", p[i + 2]);
                size_t len = (size_t)(p[i + 3] | p[i + 4] << 8);
                NEED(5 + len);
                const uint8_t *a = p + i + 5;
                if (len < 2 || a[0] != 49)
                    return err(d, "GS ( k for a symbol other than QR (cn=%d)", len ? a[0] : -1);
                switch (a[1]) {
                case 65:
                    d->qr_model = len >= 3 ? a[2] : 0;
                    break;
                case 67:
                    d->qr_module = len >= 3 ? a[2] : 0;
                    break;
                case 69:
                    d->qr_level = len >= 3 ? a[2] : 0;
                    break;
                case 80: {
                    size_t k = len - 3;
                    if (len < 3 || a[2] != 48 || k >= sizeof d->qr_data)
                        return err(d, "bad QR store command");
                    memcpy(d->qr_data, a + 3, k);
                    d->qr_data[k] = 0;
                    break;
                }
                case 81:
                    if (print_qr(d, align)) return -1;
                    break;
                default:
                    return err(d, "unknown QR function %d", a[1]);
                }
                i += 5 + len;
            } else if (c == 'V') {
                NEED(3);
                uint8_t m = p[i + 2];
                if (m == 0 || m == 1 || m == 48 || m == 49) {
                    i += 3;
                } else if (m == 65 || m == 66) {
                    NEED(4);
                    if (!grow(d, p[i + 3])) return err(d, "out of memory");
                    i += 4;
                } else {
                    return err(d, "unknown cut mode %d", m);
                }
                d->cuts++;
                d->cut_at = d->height;
                d->bytes_after_cut = n - i;
            } else {
                return err(d, "unknown GS 0x%02X at byte %zu", c, i);
            }
        } else {
            return err(d, "stray byte 0x%02X at %zu (text outside a command)", b, i);
        }
    }
#undef NEED
    return 0;
}

void escdec_free(escdec *d)
{
    free(d->gray);
    d->gray = NULL;
}

int escdec_write_png(const escdec *d, const char *path)
{
    if (d->height <= 0) return -1;
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)d->width;
    img.height = (png_uint_32)d->height;
    img.format = PNG_FORMAT_GRAY;
    return png_image_write_to_file(&img, path, 0, d->gray, d->width, NULL) ? 0 : -1;
}
