/* ui_png.c — PNG files for screenshots and reference images (libpng's
 * simplified API). */
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

bk_err ui_png_write(const char *path, const uint8_t *rgba, int w, int h, int stride)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_RGBA;
    /* the screen is opaque: write RGB (smaller files) from the RGBA rows */
    uint8_t *rgb = malloc((size_t)w * 3 * (size_t)h);
    if (!rgb) return BK_ERR_NOMEM;
    for (int y = 0; y < h; y++) {
        const uint8_t *s = rgba + (size_t)y * (size_t)stride;
        uint8_t *d = rgb + (size_t)y * (size_t)w * 3;
        for (int x = 0; x < w; x++) {
            d[3 * x] = s[4 * x];
            d[3 * x + 1] = s[4 * x + 1];
            d[3 * x + 2] = s[4 * x + 2];
        }
    }
    img.format = PNG_FORMAT_RGB;
    int ok = png_image_write_to_file(&img, path, 0, rgb, w * 3, NULL);
    free(rgb);
    png_image_free(&img);
    return ok ? BK_OK : BK_ERR_IO;
}

bk_err ui_png_read(const char *path, uint8_t **out, int *w, int *h)
{
    *out = NULL;
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) return BK_ERR_IO;
    img.format = PNG_FORMAT_RGBA;
    size_t sz = PNG_IMAGE_SIZE(img);
    uint8_t *buf = malloc(sz);
    if (!buf) {
        png_image_free(&img);
        return BK_ERR_NOMEM;
    }
    if (!png_image_finish_read(&img, NULL, buf, 0, NULL)) {
        free(buf);
        png_image_free(&img);
        return BK_ERR_IO;
    }
    *out = buf;
    *w = (int)img.width;
    *h = (int)img.height;
    return BK_OK;
}
