/* source.h — an in-memory station for the benchmarks (bench-sync, bench-pg-stations,
 * bench-stations): records first+1 … first+n in an array, handed to the real sync client as
 * its struct sync_source; nothing pulled is applied. Header-only: each benchmark is one
 * program. */
#ifndef OUTPOST_BENCH_SOURCE_H
#define OUTPOST_BENCH_SOURCE_H

#include <stdint.h>

#include "sync/client.h"
#include "sync/identity.h"

struct bench_station {
	char path[4096];		/* bench-stations: the file its identity is kept in */
	char uid[WIRE_STATION_UID + 1];
	int64_t first, n, acked;	/* records first+1 … first+n, of which acked held */
	struct wire_record *r;		/* r[i] is record first+1+i */
	char *bodies;
	struct identity *id;
	int result;
};

static const char *bs_uid(void *a) { return ((struct bench_station *)a)->uid; }
static int64_t bs_acked(void *a) { return ((struct bench_station *)a)->acked; }
static int64_t bs_last(void *a) { struct bench_station *s = a; return s->first + s->n; }
static int64_t bs_version(void *a, int k) { (void)a; (void)k; return 0; }

static int
bs_apply(void *a, int k, const struct wire_item *it, struct err *e)
{
	(void)a;
	(void)k;
	(void)it;
	(void)e;
	return E_OK;
}

static int
bs_set_acked(void *a, int64_t hw, struct err *e)
{
	struct bench_station *s = a;

	(void)e;
	if (hw > s->acked)
		s->acked = hw;
	return E_OK;
}

static int
bs_read(void *a, int64_t after, size_t max_rows, size_t max_bytes,
    int (*cb)(const struct wire_record *, void *), void *arg, struct err *e)
{
	struct bench_station *s = a;
	size_t rows = 0, bytes = 0;
	int64_t q;

	(void)e;
	for (q = (after > s->first ? after : s->first) + 1; q <= s->first + s->n; q++) {
		const struct wire_record *r = &s->r[q - s->first - 1];

		if (rows > 0 && (rows >= max_rows || bytes + r->body_len > max_bytes))
			break;
		if (cb(r, arg) != 0)
			break;
		rows++;
		bytes += r->body_len;
	}
	return E_OK;
}

/* s as the sync client's source. */
static void
bench_source(struct bench_station *s, struct sync_source *src)
{
	src->arg = s;
	src->uid = bs_uid;
	src->read = bs_read;
	src->acked = bs_acked;
	src->set_acked = bs_set_acked;
	src->last_seq = bs_last;
	src->version = bs_version;
	src->apply = bs_apply;
}

#endif
