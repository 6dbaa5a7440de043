/* escpos2png — decode an ESC/POS file (tests' printer emulator) to a PNG and
 * print what was seen as one line of key=value pairs:
 *   escpos2png IN.bin OUT.png WIDTH_DOTS
 * Exit 0 when the stream was understood, 1 otherwise. */
#include <stdio.h>
#include <stdlib.h>

#include "escpos_decode.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: escpos2png IN OUT.png WIDTH\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            unsigned char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    if (!buf) return 1;
    escdec d;
    int rc = escdec_run(&d, atoi(argv[3]), buf, n);
    free(buf);
    if (rc) {
        fprintf(stderr, "escpos2png: %s\n", d.error);
        escdec_free(&d);
        return 1;
    }
    printf("height=%d strips=%d max_strip_rows=%d bad_width=%d cuts=%d cut_at=%d "
           "bytes_after_cut=%zu resets=%d native_qr=%d\n",
           d.height, d.raster_blocks, d.raster_max_rows, d.raster_bad_width, d.cuts, d.cut_at,
           d.bytes_after_cut, d.resets, d.native_qr_prints);
    rc = escdec_write_png(&d, argv[2]) ? 1 : 0;
    escdec_free(&d);
    return rc;
}
