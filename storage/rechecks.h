/* rechecks.h — fevers waiting for their recheck (pending.c keeps the table, query.c reads it). */
#ifndef OUTPOST_RECHECKS_H
#define OUTPOST_RECHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "storage/query.h"

/* Fevers waiting for their recheck (taken with a temperature check, a vehicle, a resident or
 * a visitor), from any shift, the soonest due first; rec_fever says each one's temperature
 * and due time. Reads only those (a table kept on write). */
int rec_rechecks_pending(struct logbook *lb, rec_cb cb, void *arg, struct err *e);
/* How many fevers wait for their recheck; 0 on error. */
int64_t rec_rechecks_count(struct logbook *lb);

#endif
