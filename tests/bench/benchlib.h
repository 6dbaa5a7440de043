/* benchlib.h — what the store benchmarks share (bench_store, bench_backends):
 * a monotonic clock, percentiles, and a synthetic office loaded through the
 * store API. Benchmark support only, not product code.
 *
 * The office: officers PK01..PKnn ("Petugas NN", "Ruang NN"), clients
 * B000000.. (birth date from bench_birth_of, assigned PK round robin,
 * program PB, report every 30 days), and past visits spread evenly over the
 * `days` office days before today, all done, 60 % "report" and the rest
 * spread over the other purposes — the same shape bench_store always used.
 */
#ifndef BK_BENCHLIB_H
#define BK_BENCHLIB_H

#include <stdint.h>

#include "bkerr.h"
#include "store.h"

typedef struct bench_office {
    int clients;
    int officers; /* at most 99 */
    int tickets;  /* past visits */
    int days;     /* spread over this many days before today; tickets % days == 0 */
} bench_office;

/* CLOCK_MONOTONIC in microseconds (comparable across processes of one machine). */
double bench_now_us(void);

/* The p-th percentile (0..100, nearest rank) of v[0..n-1]; sorts v in place.
 * 0 for n <= 0. */
double bench_pct(double *v, int n, double p);

/* The median of v[0..n-1] (sorts v); 0 for n <= 0. */
double bench_median(double *v, int n);

/* Client k's number ("B%06d") and birth date (YYYY-MM-DD). */
void bench_client_no(int k, char out[STORE_ID_SZ]);
void bench_birth_of(int k, char out[STORE_DAY_SZ]);
/* Officer i's id (i from 0: "PK01"). */
void bench_officer_id(int i, char out[STORE_ID_SZ]);
/* The officer client k is assigned to. */
void bench_officer_of(const bench_office *o, int k, char out[STORE_ID_SZ]);

/* Load the office into the empty, open store s through the store API:
 * officers, clients, then past visits, in write transactions of `batch`
 * rows each (0 = all in one). On failure the open transaction is rolled
 * back (earlier batches stay) and store_errmsg has the detail.
 * today_start: the instant today's office day starts (utc_offset_min = 420).
 * PostgreSQL: every statement's change trigger updates the one bk_state row,
 * so a transaction of n statements costs O(n^2) there (200,000 rows in one
 * transaction: ~8 minutes); batches of a few thousand keep it linear. */
bk_err bench_office_load(store *s, const bench_office *o, int64_t today_start, int batch);

#endif
