/* core_probe.h — the doctor's checks of what core reads (probe.h).
 *
 *   config   the config file parses: every problem with its line; a
 *            database path outside the services' writable folder
 *   assets   the assets folder and both screen-text catalogs (id, en) with
 *            the same keys; the number of sound files
 *   fonts    font files in the assets folder
 *   office   the office is set up: officers and clients exist and [office]
 *            name is not the default (WARN otherwise, with what to do)
 *   calendar the holiday list holds this year's holidays (and, from
 *            November, next year's): WARN otherwise, with the import to run
 *
 * Each runs only when probe_wanted() says so. Nothing is changed.
 */
#ifndef BK_CORE_PROBE_H
#define BK_CORE_PROBE_H

#include "config.h"
#include "probe.h"

/* The loaded config c (borrowed). config_path: the --config given ("" =
 * none, the default path was tried). */
void core_probe_config(probe_report *r, const cfg *c, const char *config_path);

/* db_target: the database (file or server), opened read-only and only to
 * count officers and clients; a database that is missing or does not open
 * is left to the database check (SKIP here). Nothing is created. */
void core_probe_office(probe_report *r, const cfg *c, const char *db_target);

/* db_target as for core_probe_office; now: the instant whose local year
 * (cf->utc_offset_min) is checked. */
void core_probe_calendar(probe_report *r, const cfg *c, const char *db_target, int64_t now);

/* The assets folder found by paths_assets(). */
void core_probe_assets(probe_report *r);

#endif
