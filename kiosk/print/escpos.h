/* escpos.h — a rendered slip as ESC/POS bytes for 58/80 mm thermal printers.
 *
 * Stream: ESC @ (reset), the bitmap as raster images (GS v 0, normal
 * density) in strips of at most ESCPOS_STRIP_ROWS rows so cheap printers with
 * small buffers cope, then GS V 66 0 (feed to the cutter, partial cut).
 * Width: 384 dots (48 bytes a row) for 58 mm, 576 dots (72 bytes) for 80 mm.
 * A pixel is printed when its grey value is below 128.
 *
 * native_qr = 1 prints the QR with the printer's own command (GS ( k:
 * model 2, the layout's module size, level M, centred by ESC a 1) in place
 * of the QR's raster rows; the quiet zone stays raster white space.
 *
 * Paper status: ESCPOS_PAPER_STATUS is DLE EOT 4; escpos_paper_state()
 * interprets the one-byte answer.
 */
#ifndef BK_ESCPOS_H
#define BK_ESCPOS_H

#include <stddef.h>
#include <stdint.h>

#include "slip.h"

#define ESCPOS_STRIP_ROWS 128
#define ESCPOS_PAPER_STATUS "\x10\x04\x04"
#define ESCPOS_PAPER_STATUS_LEN 3

typedef struct escpos_opts {
    int native_qr; /* 1 = GS ( k for the QR */
    int no_cut;    /* 1 = leave out the cut (testing, continuous paper) */
} escpos_opts;

/* Append the ESC/POS stream for im to out. opts may be NULL (raster QR, cut).
 * BK_ERR_INVALID if the image width is not a whole number of bytes. */
bk_err escpos_encode(const slip_image *im, const escpos_opts *opts, slip_buf *out);

/* Pack one row of width grey pixels into (width + 7) / 8 bytes, MSB first,
 * 1 = black (grey < 128). */
void escpos_pack_row(const uint8_t *gray, int width, uint8_t *out);

typedef enum escpos_paper {
    ESCPOS_PAPER_UNKNOWN, /* no answer, or not a status byte */
    ESCPOS_PAPER_OK,
    ESCPOS_PAPER_LOW, /* near-end sensor */
    ESCPOS_PAPER_OUT  /* end sensor */
} escpos_paper;

/* Interpret the answer to DLE EOT 4 (bits 2-3 near end, bits 5-6 paper out;
 * bits 1 and 4 are always 1 and bit 0 and 7 always 0 in a real answer). */
escpos_paper escpos_paper_state(uint8_t reply);

#endif
