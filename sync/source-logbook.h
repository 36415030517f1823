/* source-logbook.h — struct sync_source over a station's logbook (storage/): records from
 * the outbox, the acknowledged mark, settings and watchlist applied with their versions. */
#ifndef OUTPOST_SOURCE_LOGBOOK_H
#define OUTPOST_SOURCE_LOGBOOK_H

#include "storage/logbook.h"
#include "sync/client.h"
#include "sync/source.h"

/* Fills s to read from and write to lb, which must outlive s. */
void source_logbook(struct logbook *lb, struct sync_source *s);

/* The station's sync client in one call, for the TUI's main loop and `outpost sync`:
 * loads the identity kept in lb's database (E_INVALID "not enrolled" if none) and reads
 * and writes lb, which must outlive the client. Then: sync_client_kick to start a pass,
 * sync_client_step(c, 0) from the main loop, sync_client_status for the status bar. */
int sync_client_for_logbook(struct logbook *lb, const struct sync_opts *o,
    struct sync_client **out, struct err *e);

#endif
