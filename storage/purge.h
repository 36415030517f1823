/* purge.h — retention: blanking the personal fields of old records. */
#ifndef OUTPOST_PURGE_H
#define OUTPOST_PURGE_H

#include <stdint.h>

#include "base/err.h"
#include "storage/fields.h"
#include "storage/record.h"

struct purge_result {
	int64_t cutoff_ms; /* records created before this were purged */
	int64_t records;   /* records whose personal fields were blanked now */
	int64_t per_kind[REC_KIND_COUNT];
	int64_t fields; /* personal field values blanked */
	int64_t unreadable; /* versions that could not be read: their whole body blanked */
};
/* Blanks the personal fields (FF_PERSONAL) of every record created more than retention_days
 * ago that is not purged yet, and drops them from the search index; records, kinds, times and
 * counts stay. */
/* Blanks r's personal fields (FF_PERSONAL text) in memory; returns how many held something.
 * The one definition of what retention removes (the hub's purge uses it too). */
int64_t rec_purge_blank(struct record *r);
int rec_purge(struct logbook *lb, struct purge_result *res, struct err *e);

#endif
