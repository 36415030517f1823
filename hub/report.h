/* report.h — turning what a person asks for (dates) into the aggregates' buckets
 * (struct hub_span, store.h). Reports count whole local days: the hub keeps daily totals. */
#ifndef OUTPOST_HUB_REPORT_H
#define OUTPOST_HUB_REPORT_H

#include <stdint.h>

#include "hub/store.h"

/* The local day number whose midnight is ms into *day: 0, or -1 if ms is not a local
 * midnight (so it cannot be answered from daily totals). */
int hub_day_at(int64_t ms, int64_t *day);
/* The local day number of ms (hub's time zone). */
int64_t hub_day_of(int64_t ms);

#endif
