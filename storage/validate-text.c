/* validate-text.c — the text folding every validator starts with: what an input method
 * or a scanner may type (full-width digits, ideographic spaces, middle dots) reduced to the
 * plain form that is stored and compared. */
#include <stdint.h>
#include <string.h>

#include "base/utf8.h"
#include "storage/validate.h"

static int
fold_dropped(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '-' || cp == 0x3000 || cp == 0x00b7 ||
	    cp == 0x2022 || cp == 0x30fb || cp == 0xff65;
}

int
validate_fold(const char *in, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len = 0, left = strlen(in);
	uint32_t cp;
	int n;

	if (outsz == 0)
		return -1;
	while (*s != '\0') {
		if ((n = utf8_decode(s, left, &cp)) == 0)
			return -1;
		left -= (size_t)n;
		if (cp >= 0xff01 && cp <= 0xff5e)
			cp -= 0xff01 - 0x21;	/* full-width ASCII */
		if (fold_dropped(cp)) {
			s += n;
			continue;
		}
		if (cp < 0x80) {
			if (len + 1 >= outsz)
				return -1;
			out[len++] = (cp >= 'a' && cp <= 'z') ? (char)(cp - 'a' + 'A') : (char)cp;
		} else {
			if (len + (size_t)n >= outsz)
				return -1;
			memcpy(out + len, s, (size_t)n);
			len += (size_t)n;
		}
		s += n;
	}
	out[len] = '\0';
	return (int)len;
}

int
validate_halfwidth(const char *in, char *out, size_t outsz, int numeric)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len = 0, left = strlen(in);
	uint32_t cp;
	int n;

	if (outsz == 0)
		return -1;
	while (*s != '\0') {
		if ((n = utf8_decode(s, left, &cp)) == 0)
			return -1;
		left -= (size_t)n;
		if (cp >= 0xff01 && cp <= 0xff5e)
			cp -= 0xff01 - 0x21;	/* full-width ASCII: Ａ１２，－ */
		else if (cp == 0x3000)
			cp = ' ';		/* ideographic space */
		else if (numeric && cp == 0x3002)
			cp = '.';		/* 36。5: a Chinese full stop for the point */
		else if (numeric && cp == 0x3001)
			cp = ',';		/* 36.5、37: the enumeration comma */
		if (cp < 0x80) {
			if (len + 1 >= outsz)
				return -1;
			out[len++] = (char)cp;
		} else {
			if (len + (size_t)n >= outsz)
				return -1;
			memcpy(out + len, s, (size_t)n);
			len += (size_t)n;
		}
		s += n;
	}
	out[len] = '\0';
	return (int)len;
}
