/* utf8.c — strict UTF-8 (RFC 3629 and Unicode's Table 3-7 of well-formed sequences). */
#include <string.h>

#include "base/utf8.h"

int
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		c = s[0] & 0x1f, len = 2, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		c = s[0] & 0x0f, len = 3, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		c = s[0] & 0x07, len = 4, min = 0x10000;
	} else {
		return 0; /* a continuation byte, C0/C1 (always overlong) or F5–FF */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return (int)len;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;
	int k;

	while (i < n) {
		/* eight ASCII bytes at a time (none 0, none >= 0x80): most of a body is */
		while (n - i >= 8) {
			uint64_t w;

			memcpy(&w, p + i, 8);
			if (((w | ((w - 0x0101010101010101ULL) & ~w)) & 0x8080808080808080ULL) != 0)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (p[i] < 0x80) {
			if (p[i] == 0)
				return 0;
			i++;
			continue;
		}
		/* four bytes left or more: the inline check; else the one that counts them */
		if ((k = n - i >= 4 ? utf8_seq(p + i) : utf8_decode(p + i, n - i, &cp)) == 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

int
utf8_valid_str(const char *s)
{
	return utf8_valid(s, strlen(s));
}

int
utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}
