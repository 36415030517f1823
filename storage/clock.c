/* clock.c — the only place outpost reads the time: OUTPOST_NOW overrides the wall clock so
 * the quota, recheck, overdue and midnight rules are testable. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/parse.h"
#include "storage/clock.h"

static int64_t
days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's algorithm: days since 1970-01-01 of a proleptic Gregorian date. */
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
clock_civil(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
clock_tz_min(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

int
clock_tz_min_memo(struct clock_tz_memo *m, int64_t ms)
{
	if (!m->have || m->sec != ms / 1000) {	/* clock_tz_min's own second */
		m->off = clock_tz_min(ms);
		m->sec = ms / 1000;
		m->have = 1;
	}
	return m->off;
}

/* Local wall time (no offset given) → UTC ms, using the zone's offset at that instant. */
static int64_t
local_to_utc(int64_t local_ms)
{
	int off = clock_tz_min(local_ms);
	int64_t ms = local_ms - (int64_t)off * 60000;
	int off2 = clock_tz_min(ms);

	return off2 == off ? ms : local_ms - (int64_t)off2 * 60000;
}

int
clock_parse(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0, oh, om, have_off = 0, off = 0;
	const char *p;
	char *end;
	int64_t ms;

	if (s == NULL || *s == '\0')
		return -1;
	for (p = s; *p != '\0' && isdigit((unsigned char)*p); p++)
		;
	if (*p == '\0' && p - s > 8) { /* epoch ms */
		*out = strtoll(s, &end, 10);
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		n = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
			return -1;
		p += 1 + n;
		if (*p == ':') {
			n = 0;
			if (sscanf(p + 1, "%2d%n", &sec, &n) != 1 || n != 2)
				return -1;
			p += 1 + n;
		}
	}
	if (*p == 'Z') {
		have_off = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		n = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5)
			return -1;
		have_off = 1;
		off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
		p += 1 + n;
	}
	if (*p != '\0' || !date_valid(y, mo, d) || h > 23 || mi > 59 || sec > 60)
		return -1;
	ms = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000LL;
	*out = have_off ? ms - (int64_t)off * 60000 : local_to_utc(ms);
	return 0;
}

int64_t
clock_now_ms(void)
{
	const char *env = getenv("OUTPOST_NOW");
	struct timespec ts;
	int64_t ms;

	if (env != NULL && clock_parse(env, &ms) == 0)
		return ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_day(int64_t ms, int tz_min)
{
	int64_t l = ms + (int64_t)tz_min * 60000;

	return l >= 0 ? l / 86400000 : -((-l + 86399999) / 86400000);
}

void
clock_format(int64_t ms, int tz_min, char *buf, int len)
{
	int64_t l = ms + (int64_t)tz_min * 60000, day = clock_day(ms, 0 + tz_min), s;
	int y, m, d;

	clock_civil(day, &y, &m, &d);
	s = (l - day * 86400000) / 1000;
	fmt_datetime(y, m, d, (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60), buf,
	    len > 0 ? (size_t)len : 0);
}

void
clock_format_iso(int64_t ms, int tz_min, char *buf, int len)
{
	char t[32];
	int a = tz_min < 0 ? -tz_min : tz_min;
	size_t k;

	clock_format(ms, tz_min, t, sizeof t);
	t[10] = 'T';
	k = strlen(t);
	if (k != 19 || a / 60 > 99 || len < 26) {
		snprintf(buf, len, "%s%c%02d:%02d", t, tz_min < 0 ? '-' : '+', a / 60, a % 60);
		return;
	}
	/* the export writes one or two of these per row: no printf */
	memcpy(buf, t, 19);
	buf[19] = tz_min < 0 ? '-' : '+';
	buf[20] = (char)('0' + a / 60 / 10);
	buf[21] = (char)('0' + a / 60 % 10);
	buf[22] = ':';
	buf[23] = (char)('0' + a % 60 / 10);
	buf[24] = (char)('0' + a % 60 % 10);
	buf[25] = '\0';
}

void
clock_format_day(int64_t day, char *buf, int len)
{
	int y, m, d;

	clock_civil(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

void
clock_day_bounds(int64_t day, int64_t *from, int64_t *until)
{
	/* Local midnight at the offset in force then (twice, to settle across a change). */
	int64_t t = day * 86400000LL;

	*from = t - (int64_t)clock_tz_min(t - (int64_t)clock_tz_min(t) * 60000) * 60000;
	t = (day + 1) * 86400000LL;
	*until = t - (int64_t)clock_tz_min(t - (int64_t)clock_tz_min(t) * 60000) * 60000;
}
