/* slip_png.h — a rendered slip as a PNG file (libpng).
 *
 * The PNG is the slip bitmap at printer resolution (203 dpi, recorded in the
 * pHYs chunk so viewers and CUPS scale it to its real size). mono = 0 writes
 * 8-bit grey (anti-aliased, for screens); mono = 1 writes 1-bit black/white
 * thresholded exactly as the thermal printer prints it.
 */
#ifndef BK_SLIP_PNG_H
#define BK_SLIP_PNG_H

#include "slip.h"

/* Append the PNG encoding of im to out. */
bk_err slip_png_encode(const slip_image *im, int mono, slip_buf *out);

/* Write the PNG to path (created or truncated; written to path.tmp then
 * renamed, so a reader never sees half a file). BK_ERR_IO on failure. */
bk_err slip_png_write(const slip_image *im, int mono, const char *path);

#endif
