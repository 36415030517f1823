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

/* The length (1–4) of the well-formed sequence at s, or 0: what utf8_decode accepts
 * (Table 3-7: the second byte's range depends on the lead byte), without decoding it.
 * It reads no further than the first byte that is not a continuation byte, so a
 * NUL-terminated string is never read past its end. Inline: the hub's export checks
 * every byte of millions of bodies with it. */
static inline int
utf8_seq(const unsigned char *s)
{
	unsigned c = s[0], lo = 0x80, hi = 0xbf;
	int len;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* shorter would be overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* past it, surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;	/* past U+10FFFF */
	} else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	if (len > 2 && (s[2] & 0xc0) != 0x80)
		return 0;
	if (len > 3 && (s[3] & 0xc0) != 0x80)
		return 0;
	return len;
}

/* 1 if s[0..n) is strict UTF-8 with no NUL byte, else 0. */
int utf8_valid(const char *s, size_t n);

/* utf8_valid over a NUL-terminated string. */
int utf8_valid_str(const char *s);

/* Appends cp (<= U+10FFFF, not a surrogate) as UTF-8 to out; returns the length (1–4).
 * out must have room for 4 bytes. */
int utf8_encode(uint32_t cp, char out[4]);

#endif
