/* token.h — the random ticket tokens printed in slip QR codes.
 *
 * A token is 128 bits written as 26 characters of RFC 4648 base32
 * (A-Z, 2-7), which QR's alphanumeric mode encodes compactly. The last
 * character carries 3 bits, so it is always one of A E I M Q U Y 4.
 */
#ifndef BK_TOKEN_H
#define BK_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "bkerr.h"

#define TOKEN_BYTES 16
#define TOKEN_CHARS 26

/* 16 bytes as 26 base32 characters + NUL (out holds 27 bytes). */
void token_encode(const uint8_t bytes[TOKEN_BYTES], char out[TOKEN_CHARS + 1]);

/* n bytes from the kernel's random source (getrandom, blocking until it is
 * seeded): salts, session ids. BK_ERR_INTERNAL if it fails. */
bk_err token_random_bytes(uint8_t *buf, size_t n);

/* A fresh token from the kernel's random source (getrandom). */
bk_err token_random(char out[TOKEN_CHARS + 1]);

/* 1 when s is a canonical token as token_encode writes it: exactly
 * TOKEN_CHARS characters of A-Z 2-7, the last one's two pad bits zero. */
int token_valid(const char *s);

#endif
