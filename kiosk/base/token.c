#include "token.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

void token_encode(const uint8_t bytes[TOKEN_BYTES], char out[TOKEN_CHARS + 1])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned acc = 0;
    int bits = 0, k = 0;
    for (int i = 0; i < TOKEN_BYTES; i++) {
        acc = (acc << 8) | bytes[i];
        bits += 8;
        while (bits >= 5) {
            out[k++] = alphabet[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out[k++] = alphabet[(acc << (5 - bits)) & 31];
    out[k] = 0;
}

bk_err token_random_bytes(uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            return BK_ERR_INTERNAL;
        }
        got += (size_t)r;
    }
    return BK_OK;
}

bk_err token_random(char out[TOKEN_CHARS + 1])
{
    uint8_t buf[TOKEN_BYTES];
    bk_err e = token_random_bytes(buf, sizeof buf);
    if (e) return e;
    token_encode(buf, out);
    return BK_OK;
}

int token_valid(const char *s)
{
    if (!s || strlen(s) != TOKEN_CHARS) return 0;
    int v = 0;
    for (int i = 0; i < TOKEN_CHARS; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z')
            v = ch - 'A';
        else if (ch >= '2' && ch <= '7')
            v = ch - '2' + 26;
        else
            return 0;
    }
    return (v & 3) == 0; /* 128 bits = 25 characters + 3 bits */
}
