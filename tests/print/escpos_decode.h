/* escpos_decode.h — test-suite ESC/POS interpreter: turns the byte stream a
 * slip produces back into an image, as a thermal printer would print it.
 *
 * Understood: ESC @, ESC a n, ESC d n, LF, GS v 0 (raster), GS ( k (QR
 * model 2: functions 65/67/69/80/81, printed with libqrencode the way a
 * printer's firmware does), GS V m [n] (cut), DLE EOT n. Anything else is an
 * error: the slip must not send bytes a printer would misread.
 */
#ifndef BK_TEST_ESCPOS_DECODE_H
#define BK_TEST_ESCPOS_DECODE_H

#include <stddef.h>
#include <stdint.h>

#define ESCDEC_LINE_DOTS 30 /* ESC d / LF: default line spacing (~1/6 inch at 203 dpi) */

typedef struct escdec {
    int width;              /* paper width in dots, given */
    int height;             /* rows printed so far */
    uint8_t *gray;          /* width * height, 0 black / 255 white (malloc'ed) */
    int raster_blocks;      /* GS v 0 commands seen */
    int raster_max_rows;    /* tallest strip */
    int raster_bad_width;   /* strips whose width != paper width */
    int cuts;               /* GS V commands */
    int cut_at;             /* height when the last cut came */
    size_t bytes_after_cut; /* bytes following the last cut */
    int resets;             /* ESC @ */
    int native_qr_prints;   /* GS ( k fn 81 */
    char qr_data[256];      /* last stored QR data (fn 80) */
    int qr_module, qr_level, qr_model;
    char error[160]; /* "" = stream understood */
} escdec;

/* Decode n bytes for paper `width` dots. Returns 0, or -1 with error set. */
int escdec_run(escdec *d, int width, const uint8_t *p, size_t n);
void escdec_free(escdec *d);

/* Write the decoded image as an 8-bit grey PNG. 0 on success. */
int escdec_write_png(const escdec *d, const char *path);

#endif
