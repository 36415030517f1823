/* purge.h — retention at the hub: the district's retention_days (a setting pushed to every
 * station, so hub and stations keep personal fields equally long) applied to the records
 * held, as storage's purge applies it on a station. Counts and aggregates stay. */
#ifndef OUTPOST_HUB_PURGE_H
#define OUTPOST_HUB_PURGE_H

#include <stdint.h>

#include "base/err.h"
#include "hub/store.h"

/* The body of a stored record of kind with its personal fields blanked (storage's
 * rec_purge_blank, on the body storage wrote), malloc'd (caller frees); a body the hub
 * cannot read becomes {"v":1,"purged":1}, since what in it is personal cannot be told.
 * NULL only when out of memory. */
char *hub_body_purge(const char *kind, const char *body);

/* The retention in days: the hub setting retention_days pushed to stations, else
 * storage's default (28). E_IO if the store cannot be read. */
int hub_retention_days(struct hub_store *s, int *days, struct err *e);

/* Purges everything older than the retention at now_ms, in steps of a few thousand records
 * (each its own transaction, with a checkpoint between, so the WAL stays bounded and the
 * server can answer between them when it calls hub_purge_step itself). Records the time in
 * the hub setting last_purge_ms. res is zeroed and filled. */
int hub_purge(struct hub_store *s, int64_t now_ms, struct hub_purge *res, struct err *e);

/* For serve: one step (at most max records) of the day's purge if one is due (none yet
 * today, local time): *busy 1 while more remains, *done 1 when this step finished the
 * day's purge; *purged counts the records it purged. Cheap when nothing is due. */
int hub_purge_tick(struct hub_store *s, int64_t now_ms, size_t max, int *busy, int *done,
    int64_t *purged, struct err *e);

#endif
