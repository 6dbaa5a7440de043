/* qbulk.h — reception's bulk queue action: move the already-waiting tickets
 * of an (absent) officer to another queue, only when the receptionist asks.
 * One write transaction: all move or none. Each moved ticket keeps its place
 * (order_at unchanged) and gets one `transfer` audit row, as queue_transfer.
 */
#ifndef BK_QBULK_H
#define BK_QBULK_H

#include "queue.h"

/* Move today's waiting tickets of `from` to `to` (an officer id or
 * STORE_RECEPTION). *moved (may be NULL) receives the count. BK_ERR_INVALID
 * for bad ids or from == to; BK_ERR_NOT_FOUND / BK_ERR_STATE when `to` is
 * unknown or inactive. */
bk_err qbulk_move_waiting(queue_ctx *q, const char *from, const char *to, int *moved);

#endif
