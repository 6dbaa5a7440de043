/* kiosk_print.h — the kiosk's printing side: fills the kiosk_printer
 * interface of the [ticket] screen (kiosk/ui/kiosk.h) with the slip
 * renderer and the print worker of kiosk/print.
 *
 * The slip is laid out and rendered on the UI thread (a few ms); the bytes
 * go to the printer on the print worker's thread, so the screen never waits
 * for a printer. Print failures are logged (reason only, no client data).
 *
 * Memory: kiosk_print_open allocates; kiosk_print_close stops the worker and
 * frees everything (call it before the toolkit closes SDL_ttf).
 */
#ifndef BK_KIOSK_PRINT_H
#define BK_KIOSK_PRINT_H

#include <stddef.h>

#include "config.h"
#include "kiosk.h"

typedef struct kiosk_print kiosk_print;

/* *out = NULL and BK_OK when the config says `target = none`. Otherwise
 * BK_ERR_INVALID (bad target), BK_ERR_NOT_FOUND (fonts or catalogs),
 * BK_ERR_INTERNAL; err says why. */
bk_err kiosk_print_open(const cfg *c, const char *assets, kiosk_print **out, char *err,
                        size_t errlen);
const kiosk_printer *kiosk_print_iface(kiosk_print *p);
void kiosk_print_close(kiosk_print *p);

#endif
