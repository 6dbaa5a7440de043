/* printer_probe.h — the doctor's printer check (probe.h).
 *
 *   printer  the [printer] target, parsed by printer_target_parse (so the
 *            doctor accepts exactly what the kiosk prints to), is there and
 *            writable by the service user: a device is opened and closed, a
 *            network printer connected to and disconnected, the CUPS socket
 *            connected to. Nothing is ever sent.
 */
#ifndef BK_PRINTER_PROBE_H
#define BK_PRINTER_PROBE_H

#include "probe.h"

#define PRINTER_PROBE_CUPS_SOCKET "/run/cups/cups.sock"

/* target: the config's [printer] target; timeout_ms: its timeout (<= 0 =
 * 3000) for a network printer's connect. */
void printer_probe(probe_report *r, const char *target, int timeout_ms);

#endif
