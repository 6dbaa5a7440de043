/* payload.h — the text inside a slip's QR code: "BPK1:<token>".
 *
 * Format (version 1): the 5 bytes "BPK1:" followed by exactly 26 characters
 * of RFC 4648 base32 (A-Z, 2-7), the ticket token made by queue.c from 128
 * random bits. The 26th character carries the last 3 bits followed by two
 * zero pad bits, so only A E I M Q U Y 4 may end a canonical token; anything
 * else cannot have come from the store. Every character of the payload is in
 * the QR alphanumeric set, so the symbol stays small (version 2 at level M).
 *
 * The parser is strict: no surrounding spaces, no lower case, no other
 * version, nothing after the token. Scanners that append CR/LF are handled by
 * the caller (bapasctl lookup strips one trailing line ending). Pure
 * functions: no allocation, no globals.
 */
#ifndef BK_PAYLOAD_H
#define BK_PAYLOAD_H

#include <stddef.h>

#include "bkerr.h"

#define PAYLOAD_PREFIX "BPK1:"
#define PAYLOAD_PREFIX_LEN 5
#define PAYLOAD_TOKEN_LEN 26
#define PAYLOAD_LEN (PAYLOAD_PREFIX_LEN + PAYLOAD_TOKEN_LEN)
#define PAYLOAD_SZ (PAYLOAD_LEN + 1)

/* Whether token is a canonical version-1 token (26 base32 chars, zero pad). */
int payload_token_valid(const char *token);

/* Write "BPK1:<token>" into out (outsz >= PAYLOAD_SZ). BK_ERR_INVALID if the
 * token is not canonical or out is too small. */
bk_err payload_format(const char *token, char *out, size_t outsz);

/* Parse a scanned payload of `len` bytes (it need not be NUL-terminated and
 * may contain NUL bytes). On success writes the token (27 bytes incl. NUL)
 * into token_out. On failure returns BK_ERR_INVALID and sets *why (if
 * non-NULL) to a static English phrase: "empty", "unknown format or version",
 * "truncated", "too long", "token has a character outside A-Z 2-7",
 * "token is not canonical". */
bk_err payload_parse(const char *s, size_t len, char token_out[PAYLOAD_TOKEN_LEN + 1],
                     const char **why);

#endif
