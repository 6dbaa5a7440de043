/* test_payload.c — the QR payload format and its strict parser, with a
 * fuzz-style comparison against an independent reference predicate on random
 * and mutated inputs (exact-size heap buffers, so a sanitizer build catches
 * any over-read). Seed: $PAYLOAD_FUZZ_SEED or a fixed default (printed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "payload.h"

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* xorshift64*: deterministic, state passed explicitly. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/* A token exactly as queue.c makes one: 128 bits as base32, zero padded. */
static void make_token(uint64_t *s, char out[27])
{
    unsigned char buf[16];
    for (int i = 0; i < 16; i++)
        buf[i] = (unsigned char)rnd(s);
    unsigned acc = 0;
    int bits = 0, k = 0;
    for (int i = 0; i < 16; i++) {
        acc = (acc << 8) | buf[i];
        bits += 8;
        while (bits >= 5) {
            out[k++] = B32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    out[k++] = B32[(acc << (5 - bits)) & 31];
    out[k] = 0;
}

/* Reference: written differently from payload.c on purpose. */
static int reference_valid(const unsigned char *p, size_t n)
{
    if (n != 31 || memcmp(p, "BPK1:", 5) != 0) return 0;
    for (size_t i = 5; i < 31; i++)
        if (!p[i] || !strchr(B32, p[i])) return 0;
    return strchr("AEIMQUY4", p[30]) != NULL;
}

static int parse_exact(const unsigned char *p, size_t n, char tok[27])
{
    /* Copy into a buffer of exactly n bytes (no terminator). */
    unsigned char *b = malloc(n ? n : 1);
    assert_non_null(b);
    if (n) memcpy(b, p, n);
    const char *why = "unset";
    int ok = payload_parse((const char *)b, n, tok, &why) == BK_OK;
    if (!ok) assert_true(why && *why && strcmp(why, "unset") != 0);
    free(b);
    return ok;
}

static uint64_t seed(void)
{
    const char *e = getenv("PAYLOAD_FUZZ_SEED");
    uint64_t s = e && *e ? strtoull(e, NULL, 0) : 0x5EED1234ABCDULL;
    if (!s) s = 1;
    printf("# payload fuzz seed 0x%llx\n", (unsigned long long)s);
    return s;
}

static void test_roundtrip(void **state)
{
    (void)state;
    uint64_t s = 42;
    char tok[27], pl[PAYLOAD_SZ], back[27];
    for (int i = 0; i < 2000; i++) {
        make_token(&s, tok);
        assert_true(payload_token_valid(tok));
        assert_int_equal(payload_format(tok, pl, sizeof pl), BK_OK);
        assert_int_equal(strlen(pl), PAYLOAD_LEN);
        assert_memory_equal(pl, "BPK1:", 5);
        assert_true(parse_exact((const unsigned char *)pl, strlen(pl), back));
        assert_string_equal(back, tok);
    }
    assert_int_equal(payload_format(tok, pl, PAYLOAD_SZ - 1), BK_ERR_INVALID);
    assert_int_equal(payload_format("SHORT", pl, sizeof pl), BK_ERR_INVALID);
    assert_int_equal(payload_format(NULL, pl, sizeof pl), BK_ERR_INVALID);
}

static void expect_reject(const char *s, size_t n, const char *why_want)
{
    char tok[27] = "x";
    const char *why = NULL;
    assert_int_equal(payload_parse(s, n, tok, &why), BK_ERR_INVALID);
    assert_string_equal(tok, "");
    if (why_want) assert_string_equal(why, why_want);
}

static void test_rejects(void **state)
{
    (void)state;
    const char *good = "BPK1:MFRGGZDFMZTWQ2LKNNWG23TPOA";
    char tok[27];
    assert_int_equal(payload_parse(good, strlen(good), tok, NULL), BK_OK);
    assert_string_equal(tok, "MFRGGZDFMZTWQ2LKNNWG23TPOA");
    expect_reject("", 0, "empty");
    expect_reject(NULL, 0, "empty");
    for (size_t n = 1; n < strlen(good); n++)
        expect_reject(good, n, "truncated");
    expect_reject("BPK1:MFRGGZDFMZTWQ2LKNNWG23TPOAA", 32, "too long");
    expect_reject("BPK1:MFRGGZDFMZTWQ2LKNNWG23TPOA\n", 32, "too long");
    expect_reject(" BPK1:MFRGGZDFMZTWQ2LKNNWG23TPOA", 32, "unknown format or version");
    expect_reject("bpk1:MFRGGZDFMZTWQ2LKNNWG23TPOA", 31, "unknown format or version");
    expect_reject("BPK2:MFRGGZDFMZTWQ2LKNNWG23TPOA", 31, "unknown format or version");
    expect_reject("BPK0", 4, "unknown format or version");
    expect_reject("https://example.org/BPK1:X", 26, "unknown format or version");
    expect_reject("BPK1:mfrggzdfmztwq2lknnwg23tpoa", 31, "token has a character outside A-Z 2-7");
    expect_reject("BPK1:MFRGGZDFMZTWQ2LKNNWG23TP0A", 31,
                  "token has a character outside A-Z 2-7"); /* zero, not O */
    expect_reject("BPK1:MFRGGZDFMZTWQ2LKNNWG23TP=A", 31, "token has a character outside A-Z 2-7");
    expect_reject("BPK1:MFRGGZDF\0ZTWQ2LKNNWG23TPOA", 31, "token has a character outside A-Z 2-7");
    /* Only 8 of the 32 symbols can end a canonical 128-bit token. */
    int accepted = 0;
    for (int i = 0; i < 32; i++) {
        char p[32];
        memcpy(p, good, 31);
        p[30] = B32[i];
        p[31] = 0;
        if (payload_parse(p, 31, tok, NULL) == BK_OK)
            accepted++;
        else
            expect_reject(p, 31, "token is not canonical");
    }
    assert_int_equal(accepted, 8);
    assert_false(payload_token_valid("MFRGGZDFMZTWQ2LKNNWG23TPOB"));
    assert_false(payload_token_valid(""));
    assert_false(payload_token_valid(NULL));
}

static void test_fuzz_random(void **state)
{
    (void)state;
    uint64_t s = seed();
    unsigned char buf[80];
    char tok[27];
    int valid = 0;
    for (int it = 0; it < 300000; it++) {
        size_t n = (size_t)(rnd(&s) % 64);
        int mode = (int)(rnd(&s) % 4);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = rnd(&s);
            /* Mix pure noise with near-valid text, so both paths are hit. */
            buf[i] = mode == 0 ? (unsigned char)r : (unsigned char)B32[r % 32];
        }
        if (mode >= 2 && n >= 5) memcpy(buf, "BPK1:", 5);
        if (mode == 3) n = 31;
        if (mode == 3) {
            for (size_t i = 5; i < 31; i++)
                buf[i] = (unsigned char)B32[rnd(&s) % 32];
            memcpy(buf, "BPK1:", 5);
        }
        int want = reference_valid(buf, n);
        int got = parse_exact(buf, n, tok);
        if (want != got)
            fail_msg("iteration %d: parser says %d, reference %d (len %zu)", it, got, want, n);
        if (got) {
            assert_memory_equal(tok, buf + 5, 26);
            valid++;
        }
    }
    /* Random 26-symbol tails are canonical 1 time in 4. */
    assert_true(valid > 10000);
}

static void test_fuzz_mutations(void **state)
{
    (void)state;
    uint64_t s = seed() ^ 0x9E3779B97F4A7C15ULL;
    char tok[27], back[27];
    unsigned char p[64];
    for (int it = 0; it < 200000; it++) {
        make_token(&s, tok);
        size_t n = 31;
        memcpy(p, "BPK1:", 5);
        memcpy(p + 5, tok, 26);
        int muts = 1 + (int)(rnd(&s) % 3);
        for (int m = 0; m < muts; m++) {
            int kind = (int)(rnd(&s) % 5);
            size_t at = (size_t)(rnd(&s) % (n + 1));
            if (kind == 0 && n > 0 && at < n) { /* flip a bit */
                p[at] ^= (unsigned char)(1u << (rnd(&s) % 8));
            } else if (kind == 1 && n > 0 && at < n) { /* replace */
                p[at] = (unsigned char)rnd(&s);
            } else if (kind == 2 && n < sizeof p - 1) { /* insert */
                memmove(p + at + 1, p + at, n - at);
                p[at] = rnd(&s) % 2 ? (unsigned char)B32[rnd(&s) % 32] : (unsigned char)rnd(&s);
                n++;
            } else if (kind == 3 && n > 0 && at < n) { /* delete */
                memmove(p + at, p + at + 1, n - at - 1);
                n--;
            } else { /* truncate */
                n = at;
            }
        }
        int want = reference_valid(p, n);
        int got = parse_exact(p, n, back);
        if (want != got) fail_msg("mutation %d: parser says %d, reference %d", it, got, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_fuzz_random),
        cmocka_unit_test(test_fuzz_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
