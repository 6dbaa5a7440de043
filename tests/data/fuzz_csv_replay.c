/* fuzz_csv_replay.c — deterministic run of the CSV fuzz target under CTest:
 * every file of the given directories as is, then a fixed series of
 * mutations of them (a seeded xorshift PRNG: the same inputs on every run,
 * so a failure reproduces). FUZZ_REPLAY_N sets the number of mutations
 * (default 40000); FUZZ_REPLAY_SEED the seed. Exit 0 = every invariant held. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int fuzz_csv_one(const uint8_t *data, size_t len);

typedef struct input {
    uint8_t *d;
    size_t n;
    char name[1024];
} input;

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static size_t below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

static int load_dir(const char *dir, input **v, size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d) return 0; /* optional */
    struct dirent *de;
    char **names = NULL;
    size_t nn = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        names = realloc(names, (nn + 1) * sizeof *names);
        names[nn++] = strdup(de->d_name);
    }
    closedir(d);
    /* Sorted: the mutation series must not depend on directory order. */
    for (size_t i = 1; i < nn; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (size_t i = 0; i < nn; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        free(names[i]);
        if (!f) continue;
        uint8_t *buf = NULL;
        size_t len = 0, bcap = 0;
        int c;
        while ((c = fgetc(f)) != EOF) {
            if (len == bcap) {
                bcap = bcap ? bcap * 2 : 4096;
                buf = realloc(buf, bcap);
            }
            buf[len++] = (uint8_t)c;
        }
        fclose(f);
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *v = realloc(*v, *cap * sizeof **v);
        }
        (*v)[*n].d = buf;
        (*v)[*n].n = len;
        snprintf((*v)[*n].name, sizeof(*v)[*n].name, "%s", path);
        (*n)++;
    }
    free(names);
    return 1;
}

static const char *const tokens[] = {",",
                                     ";",
                                     "\"",
                                     "\"\"",
                                     "\r\n",
                                     "\n",
                                     "\r",
                                     "\t",
                                     " ",
                                     "\0",
                                     "\xff",
                                     "\xc3",
                                     "\xef\xbb\xbf",
                                     "sep=;\n",
                                     "\"a,b\"",
                                     "31-02-1990",
                                     "1990-01-01",
                                     "PK01",
                                     "X1",
                                     "Y1",
                                     "Z1",
                                     "no_register",
                                     "nama",
                                     "tgl_lahir",
                                     "pk",
                                     "program",
                                     "aktif",
                                     "0",
                                     "PB",
                                     "\xe2\x80\xa8",
                                     "\xc2\xa0",
                                     "2099-01-01"};

static size_t mutate(uint8_t *out, size_t cap, const input *src, const input *other)
{
    size_t n = src->n < cap ? src->n : cap;
    if (n) memcpy(out, src->d, n);
    int steps = 1 + (int)below(8);
    for (int s = 0; s < steps; s++) {
        switch (below(7)) {
        case 0: /* flip a bit */
            if (n) out[below(n)] ^= (uint8_t)(1u << below(8));
            break;
        case 1: { /* insert a token */
            const char *t = tokens[below(sizeof tokens / sizeof tokens[0])];
            size_t tl = strcmp(t, "\0") == 0 ? 1 : strlen(t);
            if (t[0] == 0) tl = 1;
            if (n + tl > cap) break;
            size_t at = below(n + 1);
            memmove(out + at + tl, out + at, n - at);
            memcpy(out + at, t, tl);
            n += tl;
            break;
        }
        case 2: { /* delete a range */
            if (!n) break;
            size_t at = below(n), len = 1 + below(n - at < 16 ? n - at : 16);
            memmove(out + at, out + at + len, n - at - len);
            n -= len;
            break;
        }
        case 3: { /* duplicate a range */
            if (!n) break;
            size_t at = below(n), len = 1 + below(n - at < 64 ? n - at : 64);
            if (n + len > cap) break;
            size_t to = below(n + 1);
            uint8_t tmp[64];
            memcpy(tmp, out + at, len);
            memmove(out + to + len, out + to, n - to);
            memcpy(out + to, tmp, len);
            n += len;
            break;
        }
        case 4: /* truncate */
            n = below(n + 1);
            break;
        case 5: { /* splice in part of another input */
            if (!other->n) break;
            size_t at = below(other->n), len = 1 + below(other->n - at);
            if (len > 256) len = 256;
            if (n + len > cap) break;
            size_t to = below(n + 1);
            memmove(out + to + len, out + to, n - to);
            memcpy(out + to, other->d + at, len);
            n += len;
            break;
        }
        default: /* overwrite a byte with a token's first byte */
            if (n) out[below(n)] = (uint8_t)tokens[below(sizeof tokens / sizeof tokens[0])][0];
            break;
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    input *v = NULL;
    size_t n = 0, cap = 0;
    for (int i = 1; i < argc; i++)
        load_dir(argv[i], &v, &n, &cap);
    if (n == 0) {
        fprintf(stderr, "fuzz_csv_replay: no inputs in the given directories\n");
        return 1;
    }
    const char *ns = getenv("FUZZ_REPLAY_N"), *ss = getenv("FUZZ_REPLAY_SEED");
    long iters = ns ? atol(ns) : 40000;
    rng_state = ss ? strtoull(ss, NULL, 0) : 0x9E3779B97F4A7C15ull;
    if (!rng_state) rng_state = 1;
    clock_t t0 = clock();
    for (size_t i = 0; i < n; i++)
        fuzz_csv_one(v[i].d, v[i].n);
    size_t bufcap = 1 << 16;
    uint8_t *buf = malloc(bufcap);
    for (long k = 0; k < iters; k++) {
        const input *src = &v[below(n)], *other = &v[below(n)];
        size_t len = mutate(buf, bufcap, src, other);
        fuzz_csv_one(buf, len);
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("fuzz_csv_replay: %zu inputs, %ld mutations, all invariants held (%.2f s CPU)\n", n,
           iters, secs);
    free(buf);
    for (size_t i = 0; i < n; i++)
        free(v[i].d);
    free(v);
    return 0;
}
