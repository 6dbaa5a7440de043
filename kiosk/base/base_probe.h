/* base_probe.h — the doctor's checks of the machine itself (probe.h).
 *
 *   service-user  the kiosk's user is in the groups lp video input render
 *                 (and audio, for sounds)
 *   clock         the clock is plausible (not before BASE_PROBE_MIN_YEAR)
 *                 and synchronized with network time
 *
 * Each runs only when probe_wanted() says so and adds at most one item.
 */
#ifndef BK_BASE_PROBE_H
#define BK_BASE_PROBE_H

#include <stdint.h>

#include "probe.h"

#define BASE_PROBE_MIN_YEAR 2025

/* The groups of r->user (probe_report_init looked it up). */
void base_probe_service_user(probe_report *r);

/* The clock at `now` (Unix seconds; tests pass BAPAS_NOW), shown in office
 * time: utc_offset_min and the zone's name `timezone` (borrowed). */
void base_probe_clock(probe_report *r, int64_t now, int utc_offset_min, const char *timezone);

#endif
