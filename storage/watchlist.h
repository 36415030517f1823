/* watchlist.h — ID numbers and plates to watch for, from the hub or
 * a CSV file; a match on any record raises an alert stored with the record. */
#ifndef OUTPOST_WATCHLIST_H
#define OUTPOST_WATCHLIST_H

#include <stdint.h>

#include "base/err.h"
#include "storage/record.h"

struct watch_entry {
	char type[REC_WORD];   /* "id" | "plate" */
	char value[REC_IDNUM]; /* normalized: upper case, no spaces */
	char reason[REC_TEXT];
	char until[REC_WORD]; /* "YYYY-MM-DD" last day it applies, "" = no end */
	int removed;	      /* from sync: the hub dropped it */
	int64_t version;      /* hub version, 0 for local imports */
};
/* Adds or replaces one entry from the hub at version (stored only if newer than the entry's
 * version); watchlist_version() then returns the highest applied. removed entries stop
 * matching. E_INVALID for a bad type or empty value. */
int watchlist_apply(struct logbook *lb, const struct watch_entry *w, struct err *e);
int64_t watchlist_version(struct logbook *lb);
/* Imports a CSV file (header: type,value,reason,until) in one transaction: all or nothing;
 * E_INVALID naming the line. *count gets the entries imported. */
int watchlist_import(struct logbook *lb, const char *path, int *count, struct err *e);
/* Active and removed entries, by type and value. */
int watchlist_list(struct logbook *lb, int (*cb)(const struct watch_entry *w, void *arg), void *arg,
    struct err *e);
/* LOOKUP_YES and w filled if value (of type "id" or "plate") is on the watchlist today,
 * LOOKUP_NO if not, LOOKUP_ERROR (e set; may be NULL) if the lookup failed. */
int watchlist_match(struct logbook *lb, const char *type, const char *value, struct watch_entry *w,
    struct err *e);

#endif
