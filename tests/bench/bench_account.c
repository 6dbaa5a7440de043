/* bench_account — the cost of one staff password hash (core/account.c):
 * account_hash and account_verify at the default Argon2id parameters
 * (t=3, 64 MiB, p=1) and at the tests' cheap ones (t=1, 64 KiB), medians of
 * N runs each (default 9; `bench_account N`). No database is opened. */
#include <stdio.h>
#include <stdlib.h>

#include "account.h"
#include "benchlib.h"

static void run(const char *label, unsigned t, unsigned m, int n)
{
    account_ctx a;
    account_ctx_defaults(&a, NULL, "bench");
    a.t_cost = t;
    a.m_cost_kib = m;
    double *h = calloc((size_t)n, sizeof *h), *v = calloc((size_t)n, sizeof *v);
    if (!h || !v) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    char enc[STORE_USER_HASH_SZ];
    for (int i = 0; i < n; i++) {
        double t0 = bench_now_us();
        if (account_hash(&a, "kata sandi rahasia", enc, sizeof enc)) {
            fprintf(stderr, "hash failed\n");
            exit(1);
        }
        double t1 = bench_now_us();
        if (!account_verify(enc, "kata sandi rahasia")) {
            fprintf(stderr, "verify failed\n");
            exit(1);
        }
        double t2 = bench_now_us();
        h[i] = (t1 - t0) / 1000.0;
        v[i] = (t2 - t1) / 1000.0;
    }
    printf("%-28s hash median %8.2f ms   verify median %8.2f ms   (n=%d)\n", label,
           bench_median(h, n), bench_median(v, n), n);
    free(h);
    free(v);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 9;
    if (n < 1) n = 9;
    run("default t=3 m=64MiB p=1", ACCOUNT_T_COST, ACCOUNT_M_COST_KIB, n);
    run("tests   t=1 m=64KiB p=1", 1, 64, n);
    return 0;
}
