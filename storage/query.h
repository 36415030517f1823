/* query.h — reading records (query.c): one record, lists by kind, time and shift, a
 * record's history, prefix search. */
#ifndef OUTPOST_QUERY_H
#define OUTPOST_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "storage/record.h"

/* The latest version of the record that version seq belongs to (r->deleted set if it is a
 * tombstone; then r holds the last content before it). E_INVALID if no such record. */
int rec_get(struct logbook *lb, int64_t seq, struct record *r, struct err *e);
/* Callback for lists: return 0 to go on, nonzero to stop (rec_* then returns E_OK). r is valid
 * only during the call. */
typedef int (*rec_cb)(const struct record *r, void *arg);

struct rec_query {
	int kind;	  /* 0 = every kind */
	int64_t since_ms; /* 0 = no lower bound (created_ms >= since) */
	int64_t until_ms; /* 0 = no upper bound (created_ms < until) */
	int64_t shift;	  /* 0 = any shift */
	int history;	  /* every version and tombstone, in seq order, instead of latest */
	int with_deleted; /* include deleted records (latest mode) */
	int limit;	  /* 0 = no limit */
};
/* Latest versions of the records matching q (by their first version's time), in seq order;
 * with q->history, every row. */
int rec_list(struct logbook *lb, const struct rec_query *q, rec_cb cb, void *arg, struct err *e);
/* Latest versions of the records of one kind (not deleted), newest first, through the kind's
 * index: for the kinds a station holds few of (sign-ins, handovers), where rec_list by kind
 * alone reads every record. It sorts the kind's records: not for the common kinds. */
int rec_list_newest(struct logbook *lb, int kind, rec_cb cb, void *arg, struct err *e);
/* Every version of the record seq belongs to, oldest first (tombstone last if deleted). */
int rec_history(struct logbook *lb, int64_t seq, rec_cb cb, void *arg, struct err *e);
/* Prefix search over ID number, plate, phone and name of the latest versions, folded as
 * validate_fold does (case, full-width, spaces and dashes ignored), newest record first, at
 * most limit records (0 = 50, at most 256). Indexed: the B-tree range of the prefix's terms
 * and a walk down the records newest first, taken in turns until the first is done (the
 * range for a rare prefix, the walk for a common one), so it can run on every keystroke. */
int rec_search(
    struct logbook *lb, const char *prefix, int limit, rec_cb cb, void *arg, struct err *e);

#endif
