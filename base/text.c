/* text.c — text that may be stored, and text made safe for a terminal. */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "base/utf8.h"

int
text_cp_refused(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
	    cp == 0x2029;
}

int
text_check(const char *s, unsigned flags, const char *field, struct err *e)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	const char *what = NULL;
	uint32_t cp;
	int k;

	while (i < n) {
		if ((k = utf8_decode(p + i, n - i, &cp)) == 0) {
			what = _("is not valid UTF-8 text: retype it, or save the file as UTF-8");
			break;
		}
		if (text_cp_refused(cp) && !(cp == '\n' && (flags & TEXT_MULTILINE))) {
			what = (cp >= 0x202a && cp <= 0x2069)
			    ? _("holds a text-direction control character: retype it without "
				"one")
			    : _("holds a control character: retype it without one");
			break;
		}
		i += (size_t)k;
	}
	if (what == NULL)
		return E_OK;
	if (field != NULL)
		return err_set(e, E_INVALID, "%s: %s", field, what);
	return err_set(e, E_INVALID, "%s", what);
}

int
text_needs_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	uint32_t cp;
	int k;

	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		if ((k = utf8_decode(p + i, n - i, &cp)) == 0 || text_cp_refused(cp))
			return 1;
		i += (size_t)k;
	}
	return 0;
}

char *
text_escape(const char *s, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, o = 0, w;
	char t[16];
	uint32_t cp;
	int k;

	if (n == 0)
		return out;
	while (i < len) {
		if ((k = utf8_decode(p + i, len - i, &cp)) == 0) {
			snprintf(t, sizeof t, "\\x%02X", p[i]);
			k = 1;
		} else if (cp == '\n') {
			snprintf(t, sizeof t, "\\n");
		} else if (cp == '\t') {
			snprintf(t, sizeof t, "\\t");
		} else if (text_cp_refused(cp)) {
			snprintf(t, sizeof t, "\\u{%04X}", (unsigned)cp);
		} else {
			memcpy(t, p + i, (size_t)k);
			t[k] = '\0';
		}
		w = strlen(t);
		if (o + w + 1 > n)
			break;
		memcpy(out + o, t, w);
		o += w;
		i += (size_t)k;
	}
	out[o] = '\0';
	return out;
}
