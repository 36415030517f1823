/* bins.h — mask bins of the registry and their last collection (query.c). */
#ifndef OUTPOST_BINS_H
#define OUTPOST_BINS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "storage/record.h"

/* Bins of the registry with their last collection; overdue when not collected within
 * bin_window_hours (from registration if never collected). */
struct bin_status {
	int64_t seq; /* the bin record */
	char code[REC_WORD];
	char place[REC_TEXT];
	int64_t last_ms; /* last collection, 0 if never */
	int64_t due_ms;	 /* when it is (or was) due */
	int overdue;
};
int rec_bins(
    struct logbook *lb, int (*cb)(const struct bin_status *b, void *arg), void *arg, struct err *e);

#endif
