/* bench_data.c — office data figures: importing 20,000 clients (fresh and
 * again), validating files whose client numbers repeat (10k to 100k rows,
 * side by side, to show the cost is linear), each report over 60 days x 300
 * visits, and an online backup of that database. Prints median and worst of
 * RUNS runs. Not a test.
 *
 * `bench_data --repeats` prints only the repeated-numbers line (to compare
 * two builds quickly). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "csvimport.h"
#include "otime.h"
#include "report.h"
#include "store.h"
#include "store_data.h"

#define RUNS 5

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void print(const char *what, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, dcmp);
    printf("%-44s median %8.1f ms   worst %8.1f ms\n", what, v[n / 2] * 1000, v[n - 1] * 1000);
}

static void die(const char *what, bk_err e, store *s)
{
    fprintf(stderr, "bench_data: %s: %s (%s)\n", what, bk_err_name(e), s ? store_errmsg(s) : "");
    exit(1);
}

static store *open_db(const char *path)
{
    store *s = NULL;
    store_opts o = {.utc_offset_min = 420, .create = 1};
    char err[256];
    bk_err e = store_open(path, &o, &s, err, sizeof err);
    if (e) {
        fprintf(stderr, "bench_data: open %s: %s\n", path, err);
        exit(1);
    }
    return s;
}

static void officers(store *s)
{
    bk_err e = store_begin(s, STORE_TX_WRITE);
    for (int i = 1; i <= 40 && !e; i++) {
        store_officer o = {.active = 1};
        snprintf(o.id, sizeof o.id, "PK%02d", i);
        snprintf(o.name, sizeof o.name, "Petugas %d", i);
        e = store_officer_insert(s, &o);
    }
    if (!e) e = store_commit(s);
    if (e) die("officers", e, s);
}

/* A clients file of `rows` rows where one client number is filled down
 * every row (a spreadsheet mistake; the worst case for duplicate detection:
 * one run of `rows` equal keys). */
static void write_repeats(const char *path, int rows)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs("No. Register;Nama Klien;Tgl Lahir;Program;PK\r\n", f);
    for (int i = 0; i < rows; i++)
        fprintf(f, "BPS-00001/2026;Klien %d;%02d/%02d/%d;PB;PK%02d\r\n", i, 1 + i % 28, 1 + i % 12,
                1960 + i % 45, 1 + i % 40);
    if (fclose(f)) {
        perror(path);
        exit(1);
    }
}

/* Import (refused: every later line is a duplicate) of 10k, 20k, 40k and
 * 100k rows with repeated numbers; medians side by side and the ratio of
 * each to the 10k figure (linear: 2, 4, 10). The rows take about 530 bytes
 * each; glibc would serve the smaller files' arrays from memory a previous
 * run freed but map the 100k file's (53 MB, over its 32 MB limit) fresh each
 * time, so every size would not pay alike. A fixed mmap threshold makes
 * every run take fresh pages, as a `bapasctl import` process does. Run last:
 * it changes the allocator for the rest of the process. */
static void repeats(const char *dir)
{
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    static const int sizes[] = {10000, 20000, 40000, 100000};
    enum { NS = sizeof sizes / sizeof *sizes };
    double med[NS];
    char db[300], csv[300];
    snprintf(db, sizeof db, "%s/repeats.db", dir);
    store *s = open_db(db);
    officers(s);
    for (int k = 0; k < NS; k++) {
        snprintf(csv, sizeof csv, "%s/repeats-%d.csv", dir, sizes[k]);
        write_repeats(csv, sizes[k]);
        double v[RUNS];
        for (int r = 0; r < RUNS; r++) {
            csvimport_opts o = {.kind = CSVIMPORT_CLIENTS, .actor = "bench", .utc_offset_min = 420};
            csvimport_result res;
            double t0 = wall();
            bk_err e = csvimport_run(s, csv, &o, &res);
            v[r] = wall() - t0;
            if (e != BK_ERR_INVALID || res.problems.total != (size_t)sizes[k] - 1)
                die("import with repeats", e ? e : BK_ERR_INTERNAL, s);
            csvimport_result_free(&res);
        }
        qsort(v, RUNS, sizeof *v, dcmp);
        med[k] = v[RUNS / 2];
    }
    store_close(s);
    printf("import, one client number on every row (refused), median of %d:\n", RUNS);
    printf("  %-12s", "rows");
    for (int k = 0; k < NS; k++)
        printf(" %10d", sizes[k]);
    printf("\n  %-12s", "ms");
    for (int k = 0; k < NS; k++)
        printf(" %10.1f", med[k] * 1000);
    printf("\n  %-12s", "ms/1k rows");
    for (int k = 0; k < NS; k++)
        printf(" %10.2f", med[k] * 1000 / (sizes[k] / 1000.0));
    printf("\n  %-12s", "x of 10k");
    for (int k = 0; k < NS; k++)
        printf(" %10.1f", med[k] / med[0]);
    printf("\n");
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/bkbench-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char csv[300], db[300], copy[300];
    if (argc > 1 && !strcmp(argv[1], "--repeats")) {
        repeats(dir);
        snprintf(copy, sizeof copy, "rm -rf '%s'", dir);
        return system(copy) == 0 ? 0 : 1;
    }
    snprintf(csv, sizeof csv, "%s/clients.csv", dir);
    FILE *f = fopen(csv, "wb");
    fputs("\xef\xbb\xbfNo. Register;Nama Klien;Tgl Lahir;Program;PK;Alamat\r\n", f);
    for (int i = 0; i < 20000; i++)
        fprintf(
            f,
            "BPS-%05d/2026;\"Klien %d; bin Fulan\";%02d/%02d/%d;PB;PK%02d;\"Jl. %d\r\nRT 1\"\r\n",
            i, i, 1 + i % 28, 1 + i % 12, 1960 + i % 45, 1 + i % 40, i);
    fclose(f);

    double fresh[RUNS], again[RUNS];
    for (int r = 0; r < RUNS; r++) {
        snprintf(db, sizeof db, "%s/import-%d.db", dir, r);
        store *s = open_db(db);
        officers(s);
        csvimport_opts o = {.kind = CSVIMPORT_CLIENTS, .actor = "bench", .utc_offset_min = 420};
        csvimport_result res;
        double t0 = wall();
        bk_err e = csvimport_run(s, csv, &o, &res);
        fresh[r] = wall() - t0;
        if (e || res.added != 20000) die("import", e ? e : BK_ERR_INTERNAL, s);
        csvimport_result_free(&res);
        t0 = wall();
        e = csvimport_run(s, csv, &o, &res);
        again[r] = wall() - t0;
        if (e || res.unchanged != 20000) die("import again", e ? e : BK_ERR_INTERNAL, s);
        csvimport_result_free(&res);
        store_close(s);
    }
    print("import 20,000 clients into an empty db", fresh, RUNS);
    print("import the same 20,000 again (unchanged)", again, RUNS);

    /* 60 office days x 300 visits. */
    store *s = open_db(db);
    int64_t day0;
    otime_day_start("2026-10-01", 420, &day0);
    static const bk_outcome outcomes[] = {BK_OUTCOME_COUNSELED, BK_OUTCOME_ADMIN,
                                          BK_OUTCOME_REFERRED};
    bk_err e = store_begin(s, STORE_TX_WRITE);
    long n = 0;
    for (int d = 0; d < 60 && !e; d++) {
        int64_t base = day0 + (int64_t)d * 86400 + 8 * 3600;
        for (int i = 0; i < 300 && !e; i++, n++) {
            store_ticket t;
            memset(&t, 0, sizeof t);
            otime_day(base, 420, t.day);
            int p = (int)(n % BK_PURPOSE__COUNT);
            t.seq = i + 1;
            snprintf(t.code, sizeof t.code, "%c-%03d", 'A' + p, i + 1);
            snprintf(t.token, sizeof t.token, "TOKEN%026ld", n);
            t.purpose = (bk_purpose)p;
            snprintf(t.client_no, sizeof t.client_no, "BPS-%05ld/2026", (n * 7) % 20000);
            int pk = 1 + (int)((n * 7) % 20000) % 40;
            snprintf(t.assigned, sizeof t.assigned, "PK%02d", pk);
            int other = n % 9 == 0;
            snprintf(t.officer, sizeof t.officer, "PK%02d", other ? 1 + pk % 40 : pk);
            t.routed = other ? BK_ROUTED_SUBSTITUTE : BK_ROUTED_ASSIGNED;
            int noshow = n % 13 == 0;
            t.status = noshow ? BK_STATUS_NO_SHOW : BK_STATUS_DONE;
            t.order_at = t.checkin_at = base + i * 90;
            t.called_at = t.checkin_at + 60 + (n * 37) % 1800;
            if (!noshow) {
                t.started_at = t.called_at + 30;
                t.finished_at = t.started_at + 120 + (n * 53) % 2400;
                snprintf(t.served_by, sizeof t.served_by, "%s", t.officer);
                t.outcome = outcomes[n % 3];
            } else {
                t.finished_at = t.called_at + 300;
            }
            e = store_ticket_insert(s, &t);
        }
    }
    if (!e) e = store_commit(s);
    if (e) die("history", e, s);

    for (int k = 0; k < REPORT__COUNT; k++) {
        double v[RUNS];
        size_t rows = 0;
        for (int r = 0; r < RUNS; r++) {
            report_params p = {.kind = (report_kind)k, .utc_offset_min = 420};
            snprintf(p.from, sizeof p.from, "2026-10-01");
            snprintf(p.to, sizeof p.to, "%s", k == REPORT_DAILY ? "2026-10-01" : "2026-11-29");
            report *rep = NULL;
            double t0 = wall();
            if ((e = report_build(s, &p, &rep))) die("report", e, s);
            FILE *null = fopen("/dev/null", "w");
            report_write_html(rep, null, "Bench", NULL, NULL);
            fclose(null);
            v[r] = wall() - t0;
            rows = rep->nrows;
            report_free(rep);
        }
        char what[96];
        snprintf(what, sizeof what, "report %s + HTML (%zu rows, 18,000 visits)",
                 report_kind_name((report_kind)k), rows);
        print(what, v, RUNS);
    }

    double b[RUNS];
    store_data_backup_info info;
    for (int r = 0; r < RUNS; r++) {
        snprintf(copy, sizeof copy, "%s/copy.db", dir);
        double t0 = wall();
        if ((e = store_data_backup(s, copy, 1, &info))) die("backup", e, s);
        b[r] = wall() - t0;
    }
    char what[96];
    snprintf(what, sizeof what, "backup (%.1f MB, integrity_check incl.)",
             (double)info.bytes / 1e6);
    print(what, b, RUNS);
    store_close(s);
    repeats(dir);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
