/* source.h — what sync needs from the station's logbook, as a struct of functions so the
 * protocol can be tested without one: storage's outbox (records and the acknowledged
 * mark) and the settings and watchlist cursors. sync/source-logbook.c implements it over
 * storage/; tests implement it in memory. */
#ifndef OUTPOST_SOURCE_H
#define OUTPOST_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "sync/wire.h"

struct sync_source {
	void *arg;
	/* The logbook's station id (WIRE_STATION_UID hex characters). */
	const char *(*uid)(void *arg);
	/* Calls cb for records with seq > after in seq order, up to max_rows rows or max_bytes
	 * of body (at least one if any); stops when cb returns nonzero. */
	int (*read)(void *arg, int64_t after, size_t max_rows, size_t max_bytes,
	    int (*cb)(const struct wire_record *r, void *cbarg), void *cbarg, struct err *e);
	/* The acknowledged mark (every seq <= it is at the hub). */
	int64_t (*acked)(void *arg);
	/* Raises the mark; never lowers it. */
	int (*set_acked)(void *arg, int64_t hw, struct err *e);
	/* The last seq stored (0 if none). */
	int64_t (*last_seq)(void *arg);
	/* The cursor of what was pulled, per WIRE_PULL_* kind. */
	int64_t (*version)(void *arg, int kind);
	/* Applies one pulled item of kind; unknown or invalid items are refused with E_INVALID
	 * (the client reports them and goes on). */
	int (*apply)(void *arg, int kind, const struct wire_item *it, struct err *e);
};

#endif
