/* demo.h — a deterministic demo office for trying the product.
 *
 * 8 officers (PK01..PK08), 60 clients (numbers 240001..240060 with fixed
 * birth dates), PK03 absent today with PK05 as substitute, and four weeks of
 * finished past visits so waits and reports have history. The same calls
 * always produce the same officers, clients and birth dates; days are
 * relative to q's today.
 */
#ifndef BK_DEMO_H
#define BK_DEMO_H

#include "bkerr.h"
#include "queue.h"

#define DEMO_CLIENTS 60
#define DEMO_OFFICERS 8

/* Load the demo office in one transaction. BK_ERR_EXISTS if the database
 * already has officers (it only ever loads into an empty office). */
bk_err demo_load(queue_ctx *q);

/* The demo client i (0-based): number and birth date (for docs and tests). */
void demo_client(int i, char no[STORE_ID_SZ], char birth[STORE_DAY_SZ]);

#endif
