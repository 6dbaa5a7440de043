#include "slip_png.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escpos.h"

#define DOTS_PER_METER 7992 /* 203 dpi */

typedef struct sink {
    slip_buf *out;
    bk_err err;
} sink;

static void on_write(png_structp png, png_bytep data, png_size_t n)
{
    sink *k = png_get_io_ptr(png);
    if (!k->err) k->err = slip_buf_append(k->out, data, n);
    if (k->err) png_error(png, "out of memory");
}

static void on_flush(png_structp png)
{
    (void)png;
}

bk_err slip_png_encode(const slip_image *im, int mono, slip_buf *out)
{
    if (!im || !im->gray || im->width <= 0 || im->height <= 0) return BK_ERR_INVALID;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (!png) return BK_ERR_NOMEM;
    png_infop info = png_create_info_struct(png);
    /* volatile: modified between setjmp and a possible longjmp. */
    uint8_t *volatile row = NULL;
    sink k = {out, BK_OK};
    size_t start = out->len;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return BK_ERR_NOMEM;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        out->len = start;
        return k.err ? k.err : BK_ERR_INTERNAL;
    }
    png_set_write_fn(png, &k, on_write, on_flush);
    png_set_IHDR(png, info, (png_uint_32)im->width, (png_uint_32)im->height, mono ? 1 : 8,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_pHYs(png, info, DOTS_PER_METER, DOTS_PER_METER, PNG_RESOLUTION_METER);
    /* Mostly white paper: fast compression loses little here. */
    png_set_compression_level(png, 3);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, mono ? PNG_FILTER_NONE : PNG_FILTER_SUB);
    png_write_info(png, info);
    if (mono) {
        size_t rb = ((size_t)im->width + 7) / 8;
        row = malloc(rb);
        if (!row) png_error(png, "out of memory");
        for (int r = 0; r < im->height; r++) {
            /* PNG 1-bit grey: 1 = white. */
            escpos_pack_row(im->gray + (size_t)r * (size_t)im->width, im->width, row);
            for (size_t i = 0; i < rb; i++)
                row[i] = (uint8_t)~row[i];
            if (im->width % 8) row[rb - 1] |= (uint8_t)(0xFF >> (im->width % 8));
            png_write_row(png, row);
        }
    } else {
        for (int r = 0; r < im->height; r++)
            png_write_row(png, im->gray + (size_t)r * (size_t)im->width);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return BK_OK;
}

bk_err slip_png_write(const slip_image *im, int mono, const char *path)
{
    slip_buf b = {0};
    bk_err e = slip_png_encode(im, mono, &b);
    if (e) return e;
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        slip_buf_free(&b);
        return BK_ERR_INVALID;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        slip_buf_free(&b);
        return BK_ERR_IO;
    }
    int ok = fwrite(b.data, 1, b.len, f) == b.len;
    ok = (fclose(f) == 0) && ok;
    slip_buf_free(&b);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return BK_ERR_IO;
    }
    return BK_OK;
}
