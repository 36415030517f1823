/* sync.c — the sync benchmark of issue 5: bytes on the wire per typical visitor record in
 * batches, time to sync 100k records over loopback, hub ingest rate with 50 stations
 * pushing at once, and the process's peak RSS. One process: the hub serves from a thread on
 * an in-memory store (the encrypted store's cost is the storage benchmark's), stations are
 * client threads. Prints "RESULT sync NAME VALUE" lines; bench/sync.sh makes the table.
 * Knobs: BENCH_SYNC_RECORDS (100000), BENCH_SYNC_STATIONS (50). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "bench/source.h"
#include "sync/client.h"
#include "hub/server.h"
#include "hub/store-sqlite.h"
#include "hub/store.h"
#include "crypto/vault.h"
#include "sync/token.h"

#define BODY 384

struct hubthread {
	sqlite3 *db;
	struct hub_store *hs;
	struct hub *hub;
	pthread_t t;
	volatile sig_atomic_t stop;
};

static void *
hub_main(void *a)
{
	struct hubthread *h = a;

	hub_serve(h->hub, &h->stop, NULL);
	return NULL;
}

static void *
run(void *a)
{
	struct bench_station *s = a;
	struct sync_source src;
	struct sync_opts o = { .request_ms = 60000 };

	if (getenv("BENCH_SYNC_BATCH_BYTES") != NULL) {
		o.batch_bytes = (size_t)atol(getenv("BENCH_SYNC_BATCH_BYTES"));
		o.batch_rows = WIRE_BATCH_RECORDS;
	}
	struct sync_client *c;
	struct err e;

	bench_source(s, &src);
	if (sync_client_new(s->id, &src, &o, &c, &e) != E_OK)
		return NULL;
	s->result = sync_client_run_once(c, 600000);
	sync_client_free(c);
	return NULL;
}

static int
count_records(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = -1;

	sqlite3_prepare_v2(db, "SELECT count(*) FROM records", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
main(void)
{
	struct hub_opts ho = { "tcp://127.0.0.1:*", 10000, NULL, NULL, 1, NULL, 0 };
	struct hubthread h = { 0 };
	struct bench_station *st;
	struct rusage ru;
	struct err e;
	char token[TOKEN_MAX], name[32];
	uint8_t *body;
	size_t len;
	pthread_t *th;
	const char *v;
	int64_t total = 100000, per;
	int nst = 50, i, ok;
	double t0, t;
	struct vault *vault = NULL;
	char path[4096], rec[VAULT_RECOVERY_LEN];
	const char *store = "encrypted";

	if (sodium_init() < 0)
		return 1;
	if ((v = getenv("BENCH_SYNC_RECORDS")) != NULL)
		total = atoll(v);
	if ((v = getenv("BENCH_SYNC_STATIONS")) != NULL)
		nst = atoi(v);
	st = calloc((size_t)nst + 1, sizeof *st);
	th = calloc((size_t)nst, sizeof *th);
	/* The hub's own store: an encrypted outpost file (as outpost-hub init makes, with the
	 * test-cheap KDF), or BENCH_SYNC_STORE=memory for the protocol alone. */
	if ((v = getenv("BENCH_SYNC_STORE")) != NULL && strcmp(v, "memory") == 0) {
		store = "memory";
		if (sqlite3_open(":memory:", &h.db) != SQLITE_OK)
			return 1;
	} else {
		snprintf(path, sizeof path, "%s/outpost-bench-hub-XXXXXX",
		    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (mkdtemp(path) == NULL)
			return 1;
		strcat(path, "/hub.db");
		if (vault_create(path, "bench pass", 10, VAULT_KDF_TEST_CHEAP, rec, &vault, &e) !=
		    E_OK || vault_open_db(vault, &h.db, &e) != E_OK) {
			fprintf(stderr, "bench-sync: %s\n", e.msg);
			return 1;
		}
	}
	printf("RESULT sync store %s\n", store);
	if (hubstore_sqlite_wrap(h.db, &h.hs, &e) != E_OK ||
	    hubstore_keys_create(h.hs, &e) != E_OK || hub_open(h.hs, &ho, &h.hub, &e) != E_OK) {
		fprintf(stderr, "bench-sync: %s\n", e.msg);
		return 1;
	}
	/* enroll 1 + nst stations while nobody else uses the store, then serve */
	pthread_create(&h.t, NULL, hub_main, &h);
	for (i = 0; i <= nst; i++) {
		snprintf(st[i].uid, sizeof st[i].uid, "%032x", i + 1);
		snprintf(name, sizeof name, "station-%d", i);
		if (hub_enroll_new(h.hs, name, hub_endpoint(h.hub), token, &e) != E_OK ||
		    sync_enroll(token, st[i].uid, 10000, &st[i].id, &e) != E_OK) {
			fprintf(stderr, "bench-sync: enroll: %s\n", e.msg);
			return 1;
		}
	}

	/* 1. bytes per record: a PUSH of a 500-record batch, as sent */
	bench_fill_visitors(&st[0], total, 1750000000000LL, 20000, BODY);
	if (wire_batch_encode(st[0].r, 500, &body, &len, &e) != E_OK)
		return 1;
	{
		struct wire_msg m = { 0 };
		uint8_t *out;
		size_t olen;
		size_t raw = 0;
		m.type = WIRE_PUSH;
		m.u.push.body = body;
		m.u.push.body_len = len;
		m.u.push.seq_to = 500;
		wire_encode(&m, &out, &olen, &e);
		for (i = 0; i < 500; i++)
			raw += st[0].r[i].body_len;
		printf("RESULT sync record_body_bytes %.0f\n", (double)raw / 500);
		printf("RESULT sync wire_bytes_per_record %.1f\n", (double)olen / 500);
		free(out);
	}
	free(body);

	/* 2. one station, total records, over loopback */
	t0 = bench_now_s();
	run(&st[0]);
	t = bench_now_s() - t0;
	ok = st[0].result == SYNC_R_DONE && count_records(h.db) == total;
	printf("RESULT sync records %lld\n", (long long)total);
	printf("RESULT sync one_station_seconds %.2f\n", t);
	printf("RESULT sync one_station_records_per_s %.0f\n", total / t);

	/* 3. nst stations at once, total records between them */
	per = total / nst;
	for (i = 1; i <= nst; i++)
		bench_fill_visitors(&st[i], per, 1750000000000LL, 20000, BODY);
	t0 = bench_now_s();
	for (i = 0; i < nst; i++)
		pthread_create(&th[i], NULL, run, &st[i + 1]);
	for (i = 0; i < nst; i++)
		pthread_join(th[i], NULL);
	t = bench_now_s() - t0;
	for (i = 1; i <= nst; i++)
		ok = ok && st[i].result == SYNC_R_DONE;
	ok = ok && count_records(h.db) == total + per * nst;
	printf("RESULT sync stations %d\n", nst);
	printf("RESULT sync many_stations_seconds %.2f\n", t);
	printf("RESULT sync many_stations_records_per_s %.0f\n", per * nst / t);
	getrusage(RUSAGE_SELF, &ru);
	printf("RESULT sync peak_rss_mb %.0f\n", ru.ru_maxrss / 1024.0);
	printf("RESULT sync all_held_once %s\n", ok ? "yes" : "NO");
	h.stop = 1;
	pthread_join(h.t, NULL);
	hub_close(h.hub);
	hubstore_close(h.hs);
	sqlite3_close(h.db);
	if (vault != NULL) {
		vault_close(vault);
		unlink(path);
		*strrchr(path, '/') = '\0';
		rmdir(path);
	}
	return ok ? 0 : 1;
}
