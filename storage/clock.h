/* clock.h — the one place outpost reads the time, so tests can set it: OUTPOST_NOW
 * (epoch milliseconds, or ISO "YYYY-MM-DDTHH:MM[:SS]" local, or with "Z"/"+HH:MM") overrides
 * the wall clock; the local offset follows TZ as usual. */
#ifndef OUTPOST_CLOCK_H
#define OUTPOST_CLOCK_H

#include <stdint.h>

/* Now in UTC milliseconds (OUTPOST_NOW if set and valid, else the wall clock). */
int64_t clock_now_ms(void);
/* The local offset from UTC in minutes at the instant ms (e.g. 480 in China). */
int clock_tz_min(int64_t ms);
/* clock_tz_min(ms), asked of the C library again only when ms is in another second than
 * the last it was asked for through m (the same input, so the same answer; an export's
 * receive times are the same for a batch of records, and localtime_r costs more than the
 * cell). m starts zeroed; one thread's. */
struct clock_tz_memo {
	int64_t sec;
	int off, have;
};
int clock_tz_min_memo(struct clock_tz_memo *m, int64_t ms);
/* The local calendar day number (days since 1970-01-01 in local time) of ms at offset tz_min. */
int64_t clock_day(int64_t ms, int tz_min);
/* Parses epoch ms, "YYYY-MM-DD" (local midnight), "YYYY-MM-DD[T ]HH:MM[:SS]" (local) with an
 * optional "Z" or "+HH:MM"; 0 on success, -1 if not a time. */
int clock_parse(const char *s, int64_t *ms);
/* Formats ms as local "YYYY-MM-DD HH:MM:SS" at offset tz_min into buf (>= 20 bytes). */
void clock_format(int64_t ms, int tz_min, char *buf, int len);
/* Formats ms as ISO 8601 with offset, "YYYY-MM-DDTHH:MM:SS+08:00" (buf >= 26 bytes). */
void clock_format_iso(int64_t ms, int tz_min, char *buf, int len);
/* Formats a day number (clock_day) as "YYYY-MM-DD" (buf >= 11 bytes). */
void clock_format_day(int64_t day, char *buf, int len);
/* The calendar date of a day number. */
void clock_civil(int64_t day, int *y, int *m, int *d);
/* The UTC ms bounds [from, until) of local day number day (clock_day), at the offsets in
 * force at its two midnights. */
void clock_day_bounds(int64_t day, int64_t *from, int64_t *until);

#endif
