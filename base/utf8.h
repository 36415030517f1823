/* utf8.h — the one strict UTF-8 decoder every way in uses: shortest forms only, no
 * surrogates (U+D800–DFFF), nothing past U+10FFFF, no sequence cut short. */
#ifndef OUTPOST_UTF8_H
#define OUTPOST_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at s (n bytes available, n >= 1): sets *cp and returns its length
 * (1–4), or returns 0 if it is malformed (a stray continuation byte, a lead byte C0, C1 or
 * F5–FF, an overlong form, a surrogate, a value past U+10FFFF, or fewer than the bytes the
 * lead byte promises before n). NUL decodes as U+0000 of length 1. */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* 1 if s[0..n) is strict UTF-8 with no NUL byte, else 0. */
int utf8_valid(const char *s, size_t n);

/* utf8_valid over a NUL-terminated string. */
int utf8_valid_str(const char *s);

/* Appends cp (<= U+10FFFF, not a surrogate) as UTF-8 to out; returns the length (1–4).
 * out must have room for 4 bytes. */
int utf8_encode(uint32_t cp, char out[4]);

#endif
