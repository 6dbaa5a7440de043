/* modes.h — the live modes of bapas-kiosk besides the check-in kiosk:
 *   --mode board      the public lobby display (board.c; never client names)
 *   --mode desk       a PK's desk (desk.c; --officer ID)
 *   --mode reception  the receptionist's monitor (reception.c)
 * Each runs its database work on a livework.h worker thread; the screen and
 * widget ids are a contract (kiosk/AUTOMATION.md).
 */
#ifndef BK_MODES_H
#define BK_MODES_H

#include "config.h"
#include "kiosk.h"
#include "queue.h"
#include "store.h"
#include "ui_loop.h"

typedef struct live_mode_opts {
    const cfg *cfg;
    const char *assets;
    const char *db_path;
    queue_ctx q; /* zone, actor, pinned clock; q.st unused */
    store_opts sopts;
    const char *officer;          /* desk: whose desk */
    int poll_ms;                  /* change polling; 0 = 100 */
    const kiosk_printer *printer; /* reception: reprint slips; NULL = none */
} live_mode_opts;

typedef struct board_ui board_ui;
bk_err board_ui_create(const live_mode_opts *o, board_ui **out, char *err, size_t errlen);
ui_mode board_ui_mode(board_ui *b);
void board_ui_destroy(board_ui *b);

typedef struct desk_ui desk_ui;
bk_err desk_ui_create(const live_mode_opts *o, desk_ui **out, char *err, size_t errlen);
ui_mode desk_ui_mode(desk_ui *d);
void desk_ui_destroy(desk_ui *d);

typedef struct reception_ui reception_ui;
bk_err reception_ui_create(const live_mode_opts *o, reception_ui **out, char *err, size_t errlen);
ui_mode reception_ui_mode(reception_ui *r);
void reception_ui_destroy(reception_ui *r);

#endif
