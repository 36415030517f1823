/* export-ahead.c — the export cursor read ahead on a second thread (export-ahead.h): a ring
 * of a few batches of rows, the thread filling one while the caller writes out another;
 * a mutex and one condition variable hand each batch over whole. The batches are wiped
 * when the export closes. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hub/export-ahead.h"
#include "storage/export.h"

/* 4 × 256 rows: each batch a few hundred kB with its records, so a batch costs far more
 * than its handover, and the whole ring stays near 2 MB whatever the store holds. */
#define AHEAD_BATCHES 4
#define AHEAD_ROWS 256

/* Where a row's strings are in its batch's arena while the batch is filled (the arena may
 * move as it grows; the pointers are set once it is full). */
struct ahead_off {
	size_t station, uid, kind, body;
};

struct ahead_batch {
	struct export_item *items;	/* AHEAD_ROWS */
	struct ahead_off *off;
	size_t n;
	char *arena;
	size_t used, cap;
	int full;		/* given to the caller (under the mutex) */
	int last;		/* the cursor ended after these items: rc 0, or -1 with e */
	int rc;
	struct err e;
};

struct export_ahead {
	struct hub_export *c;
	int flags;
	struct ahead_batch b[AHEAD_BATCHES];
	size_t wi;		/* the batch the thread fills next */
	size_t ri, pos;		/* the caller's batch and its next item */
	int have;		/* the caller holds batch ri */
	int started;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_int stop;
};

/* Copies n bytes of s and a NUL into b's arena; its offset into *off. -1 if out of memory. */
static int
arena_put(struct ahead_batch *b, const char *s, size_t n, size_t *off)
{
	size_t cap;
	char *p;

	if (b->cap - b->used < n + 1) {
		for (cap = b->cap > 0 ? b->cap : 16384; cap - b->used < n + 1; cap *= 2)
			;
		if ((p = malloc(cap)) == NULL)
			return -1;
		if (b->arena != NULL) {	/* not realloc: the old copy is wiped */
			memcpy(p, b->arena, b->used);
			sodium_memzero(b->arena, b->cap);
			free(b->arena);
		}
		b->arena = p;
		b->cap = cap;
	}
	memcpy(b->arena + b->used, s, n);
	b->arena[b->used + n] = '\0';
	*off = b->used;
	b->used += n + 1;
	return 0;
}

/* Reads the item's body into its record, as the station export would show the row. */
static void
item_decode(struct export_item *it, const char *body)
{
	if (export_record_from_body(it->row.kind, body, &it->rec) != 0) {
		it->decoded = -1;
	} else {
		it->rec.seq = (int64_t)it->row.seq;	/* the identity and time the hub keeps */
		it->rec.created_ms = it->row.created_ms;
		it->decoded = 1;
	}
	it->row.body = NULL;
	it->row.body_len = 0;
}

/* Fills b from the cursor: up to AHEAD_ROWS rows, their bodies read here if decode. */
static void
batch_fill(struct export_ahead *a, struct ahead_batch *b, int decode)
{
	const struct hub_export_row *r;
	struct export_item *it;
	struct ahead_off *o;
	size_t i;
	int got;

	b->n = 0;
	b->used = 0;
	b->last = 0;
	b->rc = 0;
	err_clear(&b->e);
	while (b->n < AHEAD_ROWS) {
		if (atomic_load(&a->stop)) {
			b->last = 1;	/* the caller is closing: nothing will read this */
			b->rc = -1;
			break;
		}
		if ((got = hubstore_export_next(a->c, &r, &b->e)) != 1) {
			b->last = 1;
			b->rc = got;
			break;
		}
		it = &b->items[b->n];
		o = &b->off[b->n];
		it->row = *r;
		it->decoded = 0;
		if (arena_put(b, r->station, strlen(r->station), &o->station) != 0 ||
		    arena_put(b, r->station_uid, strlen(r->station_uid), &o->uid) != 0 ||
		    arena_put(b, r->kind, strlen(r->kind), &o->kind) != 0 ||
		    (!decode && arena_put(b, r->body, r->body_len, &o->body) != 0)) {
			b->last = 1;
			b->rc = -1;
			err_set(&b->e, E_IO, "%s", _("out of memory"));
			break;
		}
		if (decode)
			item_decode(it, r->body);
		b->n++;
	}
	for (i = 0; i < b->n; i++) {
		it = &b->items[i];
		o = &b->off[i];
		it->row.station = b->arena + o->station;
		it->row.station_uid = b->arena + o->uid;
		it->row.kind = b->arena + o->kind;
		if (it->decoded == 0)
			it->row.body = b->arena + o->body;
	}
}

/* Whether the next batch's bodies are read on the thread that reads the store. */
static int
decode_ahead(struct export_ahead *a)
{
	size_t i, waiting = 0;

	if (!(a->flags & EXPORT_AHEAD_DECODE) || (a->flags & EXPORT_AHEAD_DECODE_CALLER))
		return 0;
	if (a->flags & (EXPORT_AHEAD_DECODE_AHEAD | EXPORT_AHEAD_INLINE))
		return 1;
	/* batches the caller has not taken yet: it is behind, so take work off it */
	for (i = 0; i < AHEAD_BATCHES; i++)
		waiting += a->b[i].full;
	return waiting >= 2;
}

static void *
ahead_main(void *arg)
{
	struct export_ahead *a = arg;
	struct ahead_batch *b;
	int decode;

	for (;;) {
		b = &a->b[a->wi];
		pthread_mutex_lock(&a->mu);
		while (b->full && !atomic_load(&a->stop))
			pthread_cond_wait(&a->cv, &a->mu);
		if (atomic_load(&a->stop)) {
			pthread_mutex_unlock(&a->mu);
			return NULL;
		}
		decode = decode_ahead(a);
		pthread_mutex_unlock(&a->mu);
		batch_fill(a, b, decode);
		pthread_mutex_lock(&a->mu);
		b->full = 1;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		if (b->last)
			return NULL;
		a->wi = (a->wi + 1) % AHEAD_BATCHES;
	}
}

void
export_ahead_close(struct export_ahead *a)
{
	size_t i;

	if (a == NULL)
		return;
	if (a->started) {
		atomic_store(&a->stop, 1);
		pthread_mutex_lock(&a->mu);
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->th, NULL);
	}
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->mu);
	/* the bodies and records are personal data (on PostgreSQL opened from their seal):
	 * wiped, as the cursor wipes its own buffer */
	for (i = 0; i < AHEAD_BATCHES; i++) {
		if (a->b[i].items != NULL)
			sodium_memzero(a->b[i].items, AHEAD_ROWS * sizeof *a->b[i].items);
		if (a->b[i].arena != NULL)
			sodium_memzero(a->b[i].arena, a->b[i].cap);
		free(a->b[i].items);
		free(a->b[i].off);
		free(a->b[i].arena);
	}
	free(a);
}

int
export_ahead_open(struct hub_export *c, int flags, struct export_ahead **out, struct err *e)
{
	struct export_ahead *a;
	size_t i;

	*out = NULL;
	if ((a = calloc(1, sizeof *a)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	a->c = c;
	a->flags = flags;
	atomic_init(&a->stop, 0);
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	for (i = 0; i < AHEAD_BATCHES; i++)
		if ((a->b[i].items = calloc(AHEAD_ROWS, sizeof *a->b[i].items)) == NULL ||
		    (a->b[i].off = calloc(AHEAD_ROWS, sizeof *a->b[i].off)) == NULL) {
			export_ahead_close(a);
			return err_set(e, E_IO, "%s", _("out of memory"));
		}
	if (!(flags & EXPORT_AHEAD_INLINE)) {
		if (pthread_create(&a->th, NULL, ahead_main, a) != 0) {
			export_ahead_close(a);
			return err_set(e, E_IO, "%s", _("cannot start the export's reading thread"));
		}
		a->started = 1;
	}
	*out = a;
	return E_OK;
}

int
export_ahead_next(struct export_ahead *a, const struct export_item **it, struct err *e)
{
	struct ahead_batch *b;
	struct export_item *x;

	for (;;) {
		b = &a->b[a->ri];
		if (a->have) {
			if (a->pos < b->n) {
				x = &b->items[a->pos++];
				if (x->decoded == 0 && (a->flags & EXPORT_AHEAD_DECODE))
					item_decode(x, x->row.body);
				*it = x;
				return 1;
			}
			if (b->last) {
				if (b->rc < 0 && e != NULL)
					*e = b->e;
				return b->rc < 0 ? -1 : 0;
			}
			/* this batch is written out: give it back to the thread */
			pthread_mutex_lock(&a->mu);
			b->full = 0;
			pthread_cond_broadcast(&a->cv);
			pthread_mutex_unlock(&a->mu);
			a->have = 0;
			a->ri = (a->ri + 1) % AHEAD_BATCHES;
			continue;
		}
		if (a->flags & EXPORT_AHEAD_INLINE) {
			batch_fill(a, b, decode_ahead(a));
		} else {
			pthread_mutex_lock(&a->mu);
			while (!b->full)
				pthread_cond_wait(&a->cv, &a->mu);
			pthread_mutex_unlock(&a->mu);
		}
		a->have = 1;
		a->pos = 0;
	}
}
