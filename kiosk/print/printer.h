/* printer.h — sending a slip to the configured printer, and a print worker
 * that never blocks the UI.
 *
 * Targets (config [printer] target):
 *   none            printing disabled (every job fails with PRINT_DISABLED)
 *   /dev/usb/lp0    a device file (any absolute path; tests use files/FIFOs)
 *   host:9100       a raw network printer ("[::1]:9100" for IPv6)
 *   cups:QUEUE      a CUPS queue through libcups. A raw queue ("Local Raw
 *                   Printer") gets the ESC/POS bytes; a queue with a driver
 *                   gets the slip as a 203 dpi PNG.
 *
 * Failure detection: missing device (ENOENT/ENODEV/ENXIO), permission denied
 * (hint: add the kiosk's user to the `lp` group), connection refused, no
 * answer within the timeout (connect, and any write that makes no progress
 * for timeout_ms; capped at 3000 ms), and paper out/near end via DLE EOT 4
 * where the printer answers within status_ms. Silence is not an error: most
 * cheap printers are one-way (paper = ESCPOS_PAPER_UNKNOWN).
 *
 * Threads: printer_send() blocks the calling thread (bapasctl uses it). The
 * worker (printer_start/submit/poll/stop) runs jobs on its own pthread; its
 * functions return at once and are safe to call from the UI thread. The
 * worker never touches the database: the caller records failures in the
 * audit log from its own thread (slip_store_audit_print in slip_store.h).
 */
#ifndef BK_PRINTER_H
#define BK_PRINTER_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"
#include "escpos.h"
#include "slip.h"

#define PRINTER_TIMEOUT_MAX_MS 3000
#define PRINTER_STATUS_MS 300 /* how long to wait for a DLE EOT answer */
#define PRINTER_QUEUE_MAX 4   /* jobs waiting in the worker at most */
#define PRINTER_HISTORY 16    /* finished jobs whose result stays pollable */

typedef enum printer_kind {
    PRINTER_NONE,
    PRINTER_DEVICE,
    PRINTER_NETWORK,
    PRINTER_CUPS
} printer_kind;

typedef struct printer_target {
    printer_kind kind;
    char spec[1024]; /* the text it was parsed from */
    char path[1024]; /* device */
    char host[256];  /* network */
    char port[8];
    char queue[128]; /* cups */
} printer_target;

/* The accepted forms, for messages that refuse a target. */
#define PRINTER_TARGET_FORMS "none, /dev/usb/lp0 (a full device path), HOST:9100 or cups:QUEUE"

/* Parse a target: the one parser (the config keeps the text as written; the
 * kiosk, bapasctl slip --print / print-test and the doctor call this).
 * BK_ERR_INVALID with *why (static English) for anything else:
 * "empty", "a device must be an absolute path", "port must be 1..65535",
 * "CUPS queue name is empty or has spaces or slashes", "unknown target". */
bk_err printer_target_parse(const char *s, printer_target *out, const char **why);

/* The config's [printer] target through printer_target_parse: a target that
 * does not parse becomes a (non-fatal) config issue at its line, so every
 * binary reports it like the other settings. c->printer stays as written
 * (printing is then disabled where it is used; the doctor FAILs it).
 * Returns the parse result. */
struct cfg;
bk_err printer_cfg_check(struct cfg *c);

typedef enum print_state {
    PRINT_UNKNOWN, /* no such job (never submitted or long forgotten) */
    PRINT_QUEUED,
    PRINT_PRINTING,
    PRINT_DONE,
    PRINT_FAILED
} print_state;

typedef enum print_reason {
    PRINT_R_NONE,        /* ok */
    PRINT_R_DISABLED,    /* target none */
    PRINT_R_BAD_TARGET,  /* unparsable target */
    PRINT_R_NO_DEVICE,   /* device missing / unplugged / not a printer */
    PRINT_R_PERMISSION,  /* permission denied (lp group) */
    PRINT_R_REFUSED,     /* network printer refused the connection */
    PRINT_R_UNREACHABLE, /* host unknown or network unreachable */
    PRINT_R_TIMEOUT,     /* no connection or no progress within the timeout */
    PRINT_R_PAPER_OUT,   /* the printer says the paper is out */
    PRINT_R_IO,          /* write failed or connection dropped */
    PRINT_R_CUPS,        /* CUPS refused the job or is not running */
    PRINT_R_NO_QUEUE,    /* no such CUPS queue */
    PRINT_R_QUEUE_FULL,  /* the worker already has PRINTER_QUEUE_MAX jobs */
    PRINT_R_NOMEM,
    PRINT_R_CANCELLED, /* worker stopped before the job ran */
    PRINT_R__COUNT
} print_reason;

/* "no_device", "permission", ... (stable, for logs and the audit). */
const char *print_reason_name(print_reason r);
/* One English sentence for the office IT person ("Add the kiosk's user to the
 * lp group: sudo usermod -aG lp USER, then log in again."). */
const char *print_reason_hint(print_reason r);

typedef struct print_result {
    print_state state;
    print_reason reason;
    escpos_paper paper; /* from DLE EOT 4; UNKNOWN when the printer is silent */
    int sys_errno;      /* errno behind the failure, 0 if none */
    int elapsed_ms;     /* time spent on the job */
    size_t bytes_sent;
    char detail[256]; /* English, for logs/CLI: what failed and where */
} print_result;

typedef struct printer_opts {
    int timeout_ms; /* 0 = 3000; capped at PRINTER_TIMEOUT_MAX_MS */
    int status_ms;  /* wait for a DLE EOT answer; 0 = PRINTER_STATUS_MS, -1 = don't ask */
    int native_qr;  /* ESC/POS: GS ( k for the QR */
} printer_opts;

/* Send a rendered slip now (blocking). Encodes ESC/POS (or PNG for a CUPS
 * queue with a driver) and fills out. Returns BK_OK when printed, else
 * BK_ERR_IO (out says why). */
bk_err printer_send(const printer_target *t, const printer_opts *o, const slip_image *im,
                    print_result *out);

/* Send ready-made bytes (ESC/POS, or a document for CUPS in `cups_format`
 * such as "image/png"; NULL = raw). Used by printer_send and tests. */
bk_err printer_send_bytes(const printer_target *t, const printer_opts *o, const uint8_t *data,
                          size_t n, const char *cups_format, print_result *out);

/* ---- worker ------------------------------------------------------------ */

typedef struct printer printer;

/* Start the worker thread. The target and options are copied. */
bk_err printer_start(const printer_target *t, const printer_opts *o, printer **out);

/* Queue a slip (the image is copied). *job receives its id (> 0). Never
 * blocks on the printer. BK_ERR_BUSY when PRINTER_QUEUE_MAX jobs wait (the
 * job is then recorded as failed with PRINT_R_QUEUE_FULL, so polling it
 * still works). */
bk_err printer_submit(printer *p, const slip_image *im, uint32_t *job);

/* Queue raw bytes (copied), as printer_send_bytes. */
bk_err printer_submit_bytes(printer *p, const uint8_t *data, size_t n, const char *cups_format,
                            uint32_t *job);

/* The job's state now. Never blocks (beyond a mutex held for microseconds). */
void printer_poll(printer *p, uint32_t job, print_result *out);

/* Stop: the running job is abandoned at its next check (<= 100 ms), queued
 * jobs become PRINT_R_CANCELLED, the thread is joined, everything freed. */
void printer_stop(printer *p);

#endif
