/* source-logbook.h — struct sync_source over a station's logbook (storage/): records from
 * the outbox, the acknowledged mark, settings and watchlist applied with their versions. */
#ifndef OUTPOST_SOURCE_LOGBOOK_H
#define OUTPOST_SOURCE_LOGBOOK_H

#include "storage/logbook.h"
#include "sync/source.h"

/* Fills s to read from and write to lb, which must outlive s. */
void source_logbook(struct logbook *lb, struct sync_source *s);

#endif
