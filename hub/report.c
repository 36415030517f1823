/* report.c — see report.h. */
#include "hub/report.h"
#include "storage/clock.h"

int64_t
hub_day_of(int64_t ms)
{
	return clock_day(ms, clock_tz_min(ms));
}

int
hub_day_at(int64_t ms, int64_t *day)
{
	int64_t from, until;

	*day = hub_day_of(ms);
	clock_day_bounds(*day, &from, &until);
	return from == ms ? 0 : -1;
}
