#include "escpos.h"

#include <stdlib.h>
#include <string.h>

void escpos_pack_row(const uint8_t *gray, int width, uint8_t *out)
{
    int nb = (width + 7) / 8;
    memset(out, 0, (size_t)nb);
    for (int x = 0; x < width; x++)
        if (gray[x] < 128) out[x >> 3] |= (uint8_t)(0x80 >> (x & 7));
}

/* Raster rows [y0, y1) as GS v 0 strips. */
static bk_err raster(const slip_image *im, int y0, int y1, slip_buf *out)
{
    int wb = im->width / 8;
    uint8_t row[SLIP_DOTS_80 / 8];
    bk_err e = BK_OK;
    for (int y = y0; y < y1 && !e; y += ESCPOS_STRIP_ROWS) {
        int h = y1 - y < ESCPOS_STRIP_ROWS ? y1 - y : ESCPOS_STRIP_ROWS;
        uint8_t hdr[8] = {0x1D,
                          'v',
                          '0',
                          0,
                          (uint8_t)(wb & 0xFF),
                          (uint8_t)(wb >> 8),
                          (uint8_t)(h & 0xFF),
                          (uint8_t)(h >> 8)};
        e = slip_buf_append(out, hdr, sizeof hdr);
        for (int r = 0; r < h && !e; r++) {
            escpos_pack_row(im->gray + (size_t)(y + r) * (size_t)im->width, im->width, row);
            e = slip_buf_append(out, row, (size_t)wb);
        }
    }
    return e;
}

/* GS ( k  pL pH cn fn [params] */
static bk_err gs_k(slip_buf *out, uint8_t fn, const uint8_t *p, size_t n)
{
    size_t len = n + 2;
    uint8_t hdr[7] = {0x1D, '(', 'k', (uint8_t)(len & 0xFF), (uint8_t)(len >> 8), 49, fn};
    bk_err e = slip_buf_append(out, hdr, sizeof hdr);
    return e ? e : slip_buf_append(out, p, n);
}

static bk_err native_qr(const slip_image *im, slip_buf *out)
{
    const slip_qr *q = &im->qr;
    size_t plen = strlen(q->payload);
    uint8_t model[2] = {50, 0};             /* fn 65: model 2 */
    uint8_t size[1] = {(uint8_t)q->module}; /* fn 67: module dots */
    uint8_t level[1] = {49};                /* fn 69: level M */
    uint8_t store_hdr[1] = {48};            /* fn 80: m = 48, then data */
    uint8_t print[1] = {48};                /* fn 81 */
    uint8_t data[PAYLOAD_SZ + 1];
    bk_err e;
    data[0] = store_hdr[0];
    memcpy(data + 1, q->payload, plen);
    static const uint8_t center[3] = {0x1B, 'a', 1}, left[3] = {0x1B, 'a', 0};
    if ((e = slip_buf_append(out, center, 3)) || (e = gs_k(out, 65, model, 2)) ||
        (e = gs_k(out, 67, size, 1)) || (e = gs_k(out, 69, level, 1)) ||
        (e = gs_k(out, 80, data, plen + 1)) || (e = gs_k(out, 81, print, 1)) ||
        (e = slip_buf_append(out, left, 3)))
        return e;
    return BK_OK;
}

bk_err escpos_encode(const slip_image *im, const escpos_opts *opts, slip_buf *out)
{
    escpos_opts o = {0};
    if (opts) o = *opts;
    if (!im || !im->gray || im->width % 8 || im->width > SLIP_DOTS_80 || im->height <= 0)
        return BK_ERR_INVALID;
    size_t start = out->len;
    static const uint8_t init[2] = {0x1B, '@'};
    static const uint8_t cut[4] = {0x1D, 'V', 66, 0};
    bk_err e = slip_buf_append(out, init, sizeof init);
    const slip_qr *q = &im->qr;
    int use_native = o.native_qr && q->modules > 0 && q->module >= 1 && q->module <= 16 &&
                     strlen(q->payload) > 0;
    if (!e && use_native) {
        int top = q->y + SLIP_QR_QUIET * q->module; /* symbol's first row */
        int bottom = top + q->modules * q->module;  /* after its last row */
        if (top < 0 || bottom > im->height) {
            e = BK_ERR_INVALID;
        } else if (!(e = raster(im, 0, top, out)) && !(e = native_qr(im, out))) {
            e = raster(im, bottom, im->height, out);
        }
    } else if (!e) {
        e = raster(im, 0, im->height, out);
    }
    if (!e && !o.no_cut) e = slip_buf_append(out, cut, sizeof cut);
    if (e) out->len = start;
    return e;
}

escpos_paper escpos_paper_state(uint8_t reply)
{
    if ((reply & 0x93) != 0x12) return ESCPOS_PAPER_UNKNOWN;
    if (reply & 0x60) return ESCPOS_PAPER_OUT;
    if (reply & 0x0C) return ESCPOS_PAPER_LOW;
    return ESCPOS_PAPER_OK;
}
