/* slip_store.h — the slip's link to the database: what a ticket's slip says,
 * and the audit record of a print failure. No SQL here (store API only).
 */
#ifndef BK_SLIP_STORE_H
#define BK_SLIP_STORE_H

#include "config.h"
#include "printer.h"
#include "queue.h"
#include "slip.h"

/* Fill info for ticket `id`: queue_get (officer, position, wait) plus the
 * client's reporting schedule for `report` visits (store_client_get; only
 * the next report day is taken from it, with the office calendar: cfg's
 * working_days and the holidays table). printed_at = queue_now(q).
 * view (may be NULL) receives the ticket view. The token comes with the
 * ticket, or (a PostgreSQL login that reads no token: schema 8) from
 * store_ticket_token, which only reception may ask. BK_ERR_NOT_FOUND for an
 * unknown id; store errors otherwise. */
bk_err slip_store_info(queue_ctx *q, const cfg *c, int64_t id, slip_info *info, queue_view *view);

/* Record a print result in the audit log: action "print_failed" for a
 * failure (detail: target, reason, errno, detail text), "print_paper_low"
 * for a slip printed on a printer whose near-end sensor is on; nothing for a
 * clean print or for a disabled printer. ticket_id 0 = none. No client data
 * is written. Runs in its own write transaction unless one is open. */
bk_err slip_store_audit_print(store *s, int64_t at, const char *actor, int64_t ticket_id,
                              const printer_target *t, const print_result *r);

#endif
