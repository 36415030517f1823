/* parse.c — numbers and dates as people type them, checked once for everyone. */
#include <stdio.h>
#include <string.h>

#include "base/parse.h"

/* Digits are accumulated up to this many (int64_t holds 18 with room to spare): a number
 * longer than that is out of any range a field has. */
#define DIGITS_MAX 18

/* Formats v scaled by places ("125", 1 → "12.5") into buf. */
static void
fixed_format(int64_t v, int places, char *buf, size_t n)
{
	int64_t scale = 1, a = v < 0 ? -v : v;
	int i;

	for (i = 0; i < places; i++)
		scale *= 10;
	if (places == 0)
		snprintf(buf, n, "%lld", (long long)v);
	else
		snprintf(buf, n, "%s%lld.%0*lld", v < 0 ? "-" : "", (long long)(a / scale), places,
		    (long long)(a % scale));
}

/* The common parser: text to a scaled integer. 0 ok, -1 not a number of this shape,
 * -2 too many decimals, -3 too many digits (out of range). */
static int
scan(const char *s, int places, int64_t *out)
{
	const char *p = s;
	int64_t v = 0;
	int neg = 0, digits = 0, frac = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (digits > 0 || *p != '0')
			digits++;
		if (digits > DIGITS_MAX)
			return -3;
		v = v * 10 + (*p - '0');
	}
	if (*p == '.' || *p == ',') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (++frac > places) {
				/* Trailing zeros lose nothing: "36.50" is 36.5. */
				if (*p != '0')
					return places == 0 ? -1 : -2;
				continue;
			}
			if (++digits > DIGITS_MAX)
				return -3;
			v = v * 10 + (*p - '0');
		}
	}
	if (*p != '\0')
		return -1;
	for (; frac < places; frac++) {
		if (++digits > DIGITS_MAX)
			return -3;
		v *= 10;
	}
	*out = neg ? -v : v;
	return 0;
}

static int
range_err(const char *s, int places, int64_t min, int64_t max, const char *field,
    struct err *e)
{
	char lo[32], hi[32];

	fixed_format(min, places, lo, sizeof lo);
	fixed_format(max, places, hi, sizeof hi);
	return err_set(e, E_INVALID, _("%s: %.40s is out of range: use %s to %s"), field, s, lo,
	    hi);
}

int
parse_int(const char *s, int64_t min, int64_t max, const char *field, int64_t *out,
    struct err *e)
{
	char lo[32], hi[32];
	int64_t v;
	int rc;

	if ((rc = scan(s, 0, &v)) == -3 || (rc == 0 && (v < min || v > max)))
		return range_err(s, 0, min, max, field, e);
	if (rc != 0 || strchr(s, '.') != NULL || strchr(s, ',') != NULL) {
		fixed_format(min, 0, lo, sizeof lo);
		fixed_format(max, 0, hi, sizeof hi);
		return err_set(e, E_INVALID,
		    _("%s: '%.40s' is not a whole number: type digits only, from %s to %s"),
		    field, s, lo, hi);
	}
	*out = v;
	return E_OK;
}

int
parse_fixed(const char *s, int places, int64_t min, int64_t max, const char *field,
    int64_t *out, struct err *e)
{
	char lo[32], hi[32];
	int64_t v;
	int rc;

	if (places <= 0)
		return parse_int(s, min, max, field, out, e);
	rc = scan(s, places, &v);
	if (rc == -3 || (rc == 0 && (v < min || v > max)))
		return range_err(s, places, min, max, field, e);
	if (rc == -2)
		return err_set(e, E_INVALID,
		    _("%s: '%.40s' has more decimals than are kept: at most %d after the point"),
		    field, s, places);
	if (rc != 0) {
		fixed_format(min, places, lo, sizeof lo);
		fixed_format(max, places, hi, sizeof hi);
		return err_set(e, E_INVALID,
		    _("%s: '%.40s' is not a number: type digits with at most one '.', "
		      "from %s to %s"),
		    field, s, lo, hi);
	}
	*out = v;
	return E_OK;
}

int
date_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

int
date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && d >= 1 && d <= date_days_in_month(y, m);
}

int
parse_date(const char *s, const char *field, int *y, int *m, int *d, struct err *e)
{
	int i, v[3] = {0, 0, 0};

	for (i = 0; i < 10; i++) {
		int digit = s[i] >= '0' && s[i] <= '9';

		if ((i == 4 || i == 7) ? s[i] != '-' : !digit)
			break;
	}
	if (i != 10 || s[10] != '\0')
		return err_set(e, E_INVALID,
		    _("%s: '%.40s' is not a date: write it YYYY-MM-DD, e.g. 2026-03-01"), field,
		    s);
	for (i = 0; i < 4; i++)
		v[0] = v[0] * 10 + (s[i] - '0');
	v[1] = (s[5] - '0') * 10 + (s[6] - '0');
	v[2] = (s[8] - '0') * 10 + (s[9] - '0');
	if (!date_valid(v[0], v[1], v[2])) {
		if (v[1] < 1 || v[1] > 12)
			return err_set(e, E_INVALID,
			    _("%s: %.40s is not on the calendar: the month is 01 to 12"), field, s);
		return err_set(e, E_INVALID,
		    _("%s: %.40s is not on the calendar: that month has %d days"), field, s,
		    date_days_in_month(v[0], v[1]));
	}
	*y = v[0];
	*m = v[1];
	*d = v[2];
	return E_OK;
}

size_t
fmt_int(int64_t v, char *buf)
{
	char t[24];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, k = 0;

	do
		t[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		buf[k++] = '-';
	while (n > 0)
		buf[k++] = t[--n];
	buf[k] = '\0';
	return k;
}

static char *
two(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

void
fmt_datetime(int y, int m, int d, int h, int mi, int s, char *buf, size_t n)
{
	char t[20], *p = t;

	if (n < sizeof t || y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99 ||
	    h < 0 || h > 99 || mi < 0 || mi > 99 || s < 0 || s > 99) {
		snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, h, mi, s);
		return;
	}
	p = two(p, y / 100);
	p = two(p, y % 100);
	*p++ = '-';
	p = two(p, m);
	*p++ = '-';
	p = two(p, d);
	*p++ = ' ';
	p = two(p, h);
	*p++ = ':';
	p = two(p, mi);
	*p++ = ':';
	p = two(p, s);
	*p = '\0';
	memcpy(buf, t, sizeof t);
}

int
parse_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
