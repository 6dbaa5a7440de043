#include "payload.h"

#include <string.h>

/* Value of a base32 character, or -1. */
static int b32_value(unsigned char ch)
{
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= '2' && ch <= '7') return ch - '2' + 26;
    return -1;
}

/* Checks len bytes of token; returns NULL when canonical, else the reason. */
static const char *token_problem(const char *t, size_t len)
{
    if (len < PAYLOAD_TOKEN_LEN) return "truncated";
    if (len > PAYLOAD_TOKEN_LEN) return "too long";
    for (size_t i = 0; i < len; i++)
        if (b32_value((unsigned char)t[i]) < 0) return "token has a character outside A-Z 2-7";
    /* 128 bits = 25 full characters + 3 bits; the two pad bits must be 0. */
    if (b32_value((unsigned char)t[len - 1]) & 3) return "token is not canonical";
    return NULL;
}

int payload_token_valid(const char *token)
{
    return token && token_problem(token, strlen(token)) == NULL;
}

bk_err payload_format(const char *token, char *out, size_t outsz)
{
    if (!payload_token_valid(token) || !out || outsz < PAYLOAD_SZ) return BK_ERR_INVALID;
    memcpy(out, PAYLOAD_PREFIX, PAYLOAD_PREFIX_LEN);
    memcpy(out + PAYLOAD_PREFIX_LEN, token, PAYLOAD_TOKEN_LEN);
    out[PAYLOAD_LEN] = 0;
    return BK_OK;
}

bk_err payload_parse(const char *s, size_t len, char token_out[PAYLOAD_TOKEN_LEN + 1],
                     const char **why)
{
    const char *problem = NULL;
    if (!s || len == 0) {
        problem = "empty";
    } else if (len < PAYLOAD_PREFIX_LEN) {
        /* A strict prefix of "BPK1:" is a cut-off scan, anything else garbage. */
        problem = memcmp(s, PAYLOAD_PREFIX, len) == 0 ? "truncated" : "unknown format or version";
    } else if (memcmp(s, PAYLOAD_PREFIX, PAYLOAD_PREFIX_LEN) != 0) {
        problem = "unknown format or version";
    } else {
        problem = token_problem(s + PAYLOAD_PREFIX_LEN, len - PAYLOAD_PREFIX_LEN);
    }
    if (problem) {
        if (why) *why = problem;
        if (token_out) token_out[0] = 0;
        return BK_ERR_INVALID;
    }
    if (token_out) {
        memcpy(token_out, s + PAYLOAD_PREFIX_LEN, PAYLOAD_TOKEN_LEN);
        token_out[PAYLOAD_TOKEN_LEN] = 0;
    }
    return BK_OK;
}
