/* holidays.h — the office's holiday list from a CSV file (the published
 * SKB 3 Menteri lists: libur nasional and cuti bersama), checked row by row
 * and applied all or nothing.
 *
 * The file: a header line, then one row per day. Columns (header names in
 * Indonesian or English, any order, matched as csvimport_normalize_header
 * does; other columns are ignored):
 *   tanggal | tgl | date | day           YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY
 *   jenis | kind | type | tipe           libur / libur nasional / national holiday
 *                                        or cuti / cuti bersama / collective leave
 *   nama | name | keterangan | description   the holiday's name (1-200 characters)
 * Delimiter, BOM, quoting and line ends as csvimport_parse handles them.
 * A date twice in one file is a problem. Re-importing the same file changes
 * nothing (rows are upserted by date; unchanged rows are counted as such).
 * Dates already stored and absent from the file are kept.
 *
 * Problem messages are fixed English sentences (no values in them), so a
 * caller can translate them whole (bapasctl: ctl_tr).
 */
#ifndef BK_HOLIDAYS_H
#define BK_HOLIDAYS_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"
#include "csvimport.h"
#include "store.h"

typedef struct hol_result {
    size_t rows; /* data rows in the file */
    int added, updated, unchanged;
    csvimport_problems problems;
} hol_result;

/* Check the bytes; with s non-NULL and no problem, apply them in one write
 * transaction (rolled back when dry_run) with one audit row
 * ("holidays_import", actor, instant now). BK_OK; BK_ERR_INVALID with
 * r->problems filled and nothing changed; database errors otherwise
 * (store_errmsg). Free r with hol_result_free. */
bk_err hol_import_buf(store *s, const void *buf, size_t len, int dry_run, const char *actor,
                      int64_t now, hol_result *r);

/* The same for a file; BK_ERR_IO (and a problem) when it cannot be read. */
bk_err hol_import_file(store *s, const char *path, int dry_run, const char *actor, int64_t now,
                       hol_result *r);

void hol_result_free(hol_result *r);

#endif
