/* qjson.h — the JSON shapes of a ticket and a report, one definition for
 * `bapasctl --json` and the office server's API (both contracts): a
 * ticket's keys are those of `bapasctl --json queue` (README.md), a
 * report's those of `bapasctl --json report`.
 *
 * Memory: each returns a new jansson value the caller owns (json_decref),
 * or NULL when out of memory.
 */
#ifndef BK_QJSON_H
#define BK_QJSON_H

#include <jansson.h>

#include "queue.h"
#include "report.h"

json_t *qjson_view(const queue_view *v);
json_t *qjson_report(const report *r);

#endif
