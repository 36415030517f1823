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

enum { MAP_FOLD = 1, MAP_NUMERIC = 2 };

/* The one walk behind both: full-width ASCII and the ideographic space made plain; with
 * MAP_NUMERIC the Chinese full stop and enumeration comma too; with MAP_FOLD the separators
 * of fold_dropped left out and ASCII letters upper-cased. Returns the length, or -1 if in is
 * not UTF-8 or out is too small. */
static int
text_map(const char *in, char *out, size_t outsz, int how)
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
		else if ((how & MAP_NUMERIC) && cp == 0x3002)
			cp = '.';		/* 36。5: a Chinese full stop for the point */
		else if ((how & MAP_NUMERIC) && cp == 0x3001)
			cp = ',';		/* 36.5、37: the enumeration comma */
		if ((how & MAP_FOLD) && fold_dropped(cp)) {
			s += n;
			continue;
		}
		if (cp < 0x80) {
			if (len + 1 >= outsz)
				return -1;
			if ((how & MAP_FOLD) && cp >= 'a' && cp <= 'z')
				cp -= 'a' - 'A';
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

int
validate_fold(const char *in, char *out, size_t outsz)
{
	return text_map(in, out, outsz, MAP_FOLD);
}

int
validate_halfwidth(const char *in, char *out, size_t outsz, int numeric)
{
	return text_map(in, out, outsz, numeric ? MAP_NUMERIC : 0);
}
