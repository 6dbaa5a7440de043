/* benchlib.c — shared benchmark support (benchlib.h). */
#include "benchlib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "otime.h"
#include "queue.h"

double bench_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_pct(double *v, int n, double p)
{
    if (n <= 0) return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    int i = (int)ceil(p / 100.0 * n) - 1;
    return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

double bench_median(double *v, int n)
{
    if (n <= 0) return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_client_no(int k, char out[STORE_ID_SZ])
{
    snprintf(out, STORE_ID_SZ, "B%06d", k % 1000000);
}

void bench_birth_of(int k, char out[STORE_DAY_SZ])
{
    snprintf(out, STORE_DAY_SZ, "19%02u-%02u-%02u", 60u + (unsigned)k % 40u, 1u + (unsigned)k % 12u,
             1u + (unsigned)k % 28u);
}

void bench_officer_id(int i, char out[STORE_ID_SZ])
{
    snprintf(out, STORE_ID_SZ, "PK%02d", (i % 99) + 1);
}

void bench_officer_of(const bench_office *o, int k, char out[STORE_ID_SZ])
{
    bench_officer_id(k % o->officers, out);
}

typedef struct loader {
    store *st;
    int batch, rows;
} loader;

/* After each row: commit and begin again every `batch` rows. */
static bk_err row_done(loader *l)
{
    if (l->batch <= 0 || ++l->rows % l->batch != 0) return BK_OK;
    bk_err e = store_commit(l->st);
    return e ? e : store_begin(l->st, STORE_TX_WRITE);
}

static bk_err load(loader *l, const bench_office *o, int64_t today_start)
{
    store *s = l->st;
    bk_err e;
    for (int i = 0; i < o->officers; i++) {
        store_officer of = {.active = 1};
        bench_officer_id(i, of.id);
        snprintf(of.name, sizeof of.name, "Petugas %02d", i + 1);
        snprintf(of.room, sizeof of.room, "Ruang %02d", i + 1);
        if ((e = store_officer_insert(s, &of)) || (e = row_done(l))) return e;
    }
    for (int k = 0; k < o->clients; k++) {
        store_client c = {.active = 1, .report_every_days = 30};
        bench_client_no(k, c.no);
        snprintf(c.name, sizeof c.name, "Klien Bench %06d", k);
        bench_birth_of(k, c.birth);
        c.program = BK_PROGRAM_PB;
        bench_officer_of(o, k, c.officer);
        if ((e = store_client_insert(s, &c)) || (e = row_done(l))) return e;
    }
    /* Past visits: the same number on each of the `days` days before today. */
    int per_day = o->tickets / o->days;
    int seq[BK_PURPOSE__COUNT] = {0};
    char day[STORE_DAY_SZ] = "";
    for (int i = 0; i < o->tickets; i++) {
        int back = o->days - i / per_day;
        if (i % per_day == 0) {
            otime_day(today_start - (int64_t)back * 86400 + 3600, 420, day);
            memset(seq, 0, sizeof seq);
        }
        int k = (int)(((long long)i * 7919) % o->clients);
        int p = i % 10 < 6 ? 0 : i % 10 < 8 ? 1 : (i % 10) - 6;
        store_ticket t = {.calls = 1};
        snprintf(t.day, sizeof t.day, "%s", day);
        t.purpose = (bk_purpose)p;
        t.seq = ++seq[p];
        snprintf(t.code, sizeof t.code, "%c-%03u", 'A' + p, (unsigned)t.seq % 100000u);
        snprintf(t.token, sizeof t.token, "BENCH%020d", i);
        bench_client_no(k, t.client_no);
        bench_officer_of(o, k, t.officer);
        snprintf(t.assigned, sizeof t.assigned, "%s", t.officer);
        t.routed = BK_ROUTED_ASSIGNED;
        t.status = BK_STATUS_DONE;
        snprintf(t.served_by, sizeof t.served_by, "%s", t.officer);
        t.outcome = i % 3 ? BK_OUTCOME_ADMIN : BK_OUTCOME_COUNSELED;
        int64_t base = today_start - (int64_t)back * 86400 + 3600 + (i % per_day) * 25;
        t.order_at = t.checkin_at = base;
        t.called_at = t.last_call_at = base + 600;
        t.started_at = base + 660;
        t.finished_at = base + 660 + 300 + (i % 13) * 60;
        if ((e = store_ticket_insert(s, &t)) || (e = row_done(l))) return e;
    }
    return BK_OK;
}

bk_err bench_office_load(store *s, const bench_office *o, int64_t today_start, int batch)
{
    if (o->clients < 1 || o->officers < 1 || o->officers > 99 || o->days < 1 ||
        o->tickets % o->days != 0)
        return BK_ERR_INVALID;
    bk_err e = store_begin(s, STORE_TX_WRITE);
    if (e) return e;
    loader l = {.st = s, .batch = batch};
    if ((e = load(&l, o, today_start)) || (e = store_commit(s))) {
        store_rollback(s);
        return e;
    }
    return BK_OK;
}
