/* sync-mem.h — for sync tests: a station's records and cursors in memory behind
 * struct sync_source, and a hub on a private SQLite database served from a thread. */
#ifndef OUTPOST_TEST_SYNC_MEM_H
#define OUTPOST_TEST_SYNC_MEM_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/client.h"
#include "hub/server.h"
#include "hub/store-sqlite.h"
#include "hub/store.h"
#include "sync/source.h"
#include "sync/token.h"
#include <sodium.h>

#define MEM_MAX 20000

struct mem_station {
	char uid[WIRE_STATION_UID + 1];
	int64_t n, acked, ver[3];
	struct wire_record r[MEM_MAX];
	char body[MEM_MAX][96];
	struct wire_item applied[64];
	int napplied;
};

static __attribute__((unused)) const char *
mem_uid(void *arg)
{
	return ((struct mem_station *)arg)->uid;
}

static __attribute__((unused)) int
mem_read(void *arg, int64_t after, size_t max_rows, size_t max_bytes,
    int (*cb)(const struct wire_record *, void *), void *cbarg, struct err *e)
{
	struct mem_station *m = arg;
	size_t rows = 0, bytes = 0;
	int64_t s;

	(void)e;
	for (s = after + 1; s <= m->n; s++) {
		if (rows > 0 && ((max_rows && rows >= max_rows) ||
		    (max_bytes && bytes + m->r[s - 1].body_len > max_bytes)))
			break;
		if (cb(&m->r[s - 1], cbarg) != 0)
			break;
		rows++;
		bytes += m->r[s - 1].body_len;
	}
	return E_OK;
}

static __attribute__((unused)) int64_t mem_acked(void *arg) { return ((struct mem_station *)arg)->acked; }
static __attribute__((unused)) int64_t mem_last(void *arg) { return ((struct mem_station *)arg)->n; }

static __attribute__((unused)) int
mem_set_acked(void *arg, int64_t hw, struct err *e)
{
	struct mem_station *m = arg;

	if (hw > m->n)
		return err_set(e, E_INVALID, "beyond the last seq");
	if (hw > m->acked)
		m->acked = hw;
	return E_OK;
}

static __attribute__((unused)) int64_t
mem_version(void *arg, int kind)
{
	return ((struct mem_station *)arg)->ver[kind];
}

static __attribute__((unused)) int
mem_apply(void *arg, int kind, const struct wire_item *it, struct err *e)
{
	struct mem_station *m = arg;

	(void)e;
	if (m->napplied < 64) {
		m->applied[m->napplied].key = strdup(it->key);
		m->applied[m->napplied].value = strdup(it->value);
		m->applied[m->napplied].deleted = it->deleted;
		m->napplied++;
	}
	if ((int64_t)it->ver > m->ver[kind])
		m->ver[kind] = (int64_t)it->ver;
	return E_OK;
}

static __attribute__((unused)) void
mem_add(struct mem_station *m, const char *kind, const char *fmt, int v)
{
	struct wire_record *r = &m->r[m->n];

	m->n++;
	r->seq = (uint64_t)m->n;
	snprintf(r->kind, sizeof r->kind, "%s", kind);
	r->created_ms = 1750000000000LL + m->n * 1000;
	snprintf(m->body[m->n - 1], sizeof m->body[0], fmt, v);
	r->body = m->body[m->n - 1];
	r->body_len = strlen(r->body);
}

static __attribute__((unused)) struct mem_station *
mem_new(const char *uid)
{
	struct mem_station *m = calloc(1, sizeof *m);

	snprintf(m->uid, sizeof m->uid, "%s", uid);
	return m;
}

static __attribute__((unused)) void
mem_free(struct mem_station *m)
{
	int i;

	for (i = 0; i < m->napplied; i++) {
		free(m->applied[i].key);
		free(m->applied[i].value);
	}
	free(m);
}

static __attribute__((unused)) void
mem_source(struct mem_station *m, struct sync_source *s)
{
	s->arg = m;
	s->uid = mem_uid;
	s->read = mem_read;
	s->acked = mem_acked;
	s->set_acked = mem_set_acked;
	s->last_seq = mem_last;
	s->version = mem_version;
	s->apply = mem_apply;
}

/* A hub on db served by a thread until stop. */
struct test_hub {
	sqlite3 *db;
	struct hub_store *hs;	/* over db */
	struct hub *hub;
	pthread_t thread;
	pthread_mutex_t lock;	/* tests touch db between polls */
	volatile sig_atomic_t stop;
};

static __attribute__((unused)) void *
test_hub_main(void *arg)
{
	struct test_hub *t = arg;

	while (!t->stop) {
		pthread_mutex_lock(&t->lock);
		hub_poll(t->hub, 20, NULL);
		pthread_mutex_unlock(&t->lock);
		sched_yield();
	}
	return NULL;
}

static __attribute__((unused)) int
test_hub_start(struct test_hub *t, const char *path)
{
	struct hub_opts o = { "tcp://127.0.0.1:*", 1000, NULL, NULL, 1, NULL, 0 };
	struct err e;

	memset(t, 0, sizeof *t);
	pthread_mutex_init(&t->lock, NULL);
	if (sqlite3_open(path, &t->db) != SQLITE_OK || hubstore_sqlite_wrap(t->db, &t->hs, &e) != E_OK)
		return -1;
	{
		uint8_t pk[32], *sk = NULL;
		if (hubstore_keys_load(t->hs, pk, &sk, NULL) == E_OK)
			sodium_free(sk);
		else if (hubstore_keys_create(t->hs, &e) != E_OK)
			return -1;
	}
	if (hub_open(t->hs, &o, &t->hub, &e) != E_OK) {
		fprintf(stderr, "hub_open: %s\n", e.msg);
		return -1;
	}
	return pthread_create(&t->thread, NULL, test_hub_main, t);
}

static __attribute__((unused)) void
test_hub_stop(struct test_hub *t)
{
	t->stop = 1;
	pthread_join(t->thread, NULL);
	hub_close(t->hub);
	hubstore_close(t->hs);
	sqlite3_close(t->db);
}

/* Sets or deletes one settings or watchlist entry (hubstore_items_set of one). */
static __attribute__((unused)) int
item_set(struct hub_store *hs, int kind, const char *key, const char *value,
    const char *extra, int deleted, struct err *e)
{
	struct wire_item it = { (char *)key, (char *)value, (char *)extra, 0, deleted, 0 };

	return hubstore_items_set(hs, kind, &it, 1, e);
}

#endif
