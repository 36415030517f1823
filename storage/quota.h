/* quota.h — gate: a household's outing quota (query.c). */
#ifndef OUTPOST_QUOTA_H
#define OUTPOST_QUOTA_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "storage/record.h"

/* Gate outing quota of household as of now: out-passages counted over the current local
 * calendar day and the days-1 before it (setting outing_quota "persons/days"). Each passage
 * keeps the local day it was made on (its own offset), so a clock or zone change moves none;
 * passages dated after now (a clock set back) count too. */
struct quota_status {
	int used;     /* out-passages counted */
	int persons;  /* allowed per period */
	int days;     /* period length, calendar days */
	int exceeded; /* used >= persons: one more would exceed */
};
int rec_quota(struct logbook *lb, const char *household, struct quota_status *q, struct err *e);

#endif
