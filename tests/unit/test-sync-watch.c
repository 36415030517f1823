/* test-sync-watch.c — the client's watch (sync_opts.watch_ms), the engine of
 * `outpost sync --watch`: an idle client starts a pass by itself when records appear, and
 * only then (an idle logbook costs the hub nothing); with the hub gone it backs off no
 * further apart than backoff_max_ms and keeps the records waiting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/sync-mem.h"

#define UID1 "0123456789abcdef0123456789abcdef"

static struct identity *
enroll(struct test_hub *t)
{
	char token[TOKEN_MAX];
	struct identity *id = NULL;
	struct err e;

	pthread_mutex_lock(&t->lock);
	assert_int_equal(hub_enroll_new(t->hs, "gate", hub_endpoint(t->hub), token, &e), E_OK);
	pthread_mutex_unlock(&t->lock);
	if (sync_enroll(token, UID1, 5000, &id, &e) != E_OK)
		fail_msg("enroll: %s", e.msg);
	return id;
}

static int64_t
held(struct test_hub *t)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	pthread_mutex_lock(&t->lock);
	assert_int_equal(sqlite3_prepare_v2(t->db, "SELECT count(*) FROM records", -1, &st,
	    NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	pthread_mutex_unlock(&t->lock);
	return n;
}

/* Requests the hub has answered; under the lock, so the poll that sent a reply the
 * client already has is over and counted. */
static uint64_t
answered(struct test_hub *t)
{
	uint64_t n;

	pthread_mutex_lock(&t->lock);
	n = hub_answered(t->hub);
	pthread_mutex_unlock(&t->lock);
	return n;
}

/* Steps c (each step waits at most 10 ms) until it is in state want having left IDLE at
 * least once, or n steps; returns whether it got there. */
static int
run_until(struct sync_client *c, int want, int n, int *left_idle)
{
	int i, s;

	for (i = 0; i < n; i++) {
		s = sync_client_step(c, 10);
		if (s != SYNC_IDLE)
			*left_idle = 1;
		if (s == want && *left_idle)
			return 1;
		usleep(2000);
	}
	return 0;
}

static void
t_watch(void **state)
{
	struct test_hub t;
	struct identity *id;
	struct mem_station *m = mem_new(UID1);
	struct sync_source src;
	struct sync_client *c;
	struct sync_status s;
	struct sync_opts o = { .request_ms = 1000, .backoff_min_ms = 50, .backoff_max_ms = 300,
	    .heartbeat_ms = 1000, .batch_rows = 100, .watch_ms = 5 };
	struct err e;
	uint64_t before;
	int left, i;

	(void)state;
	assert_int_equal(test_hub_start(&t, ":memory:"), 0);
	id = enroll(&t);
	mem_source(m, &src);
	assert_int_equal(sync_client_new(id, &src, &o, &c, &e), E_OK);

	/* nothing in the logbook: 200 looks, no pass, not a single request to the hub */
	before = answered(&t);
	left = 0;
	assert_false(run_until(c, SYNC_PUSH, 200, &left));
	assert_false(left);
	assert_int_equal(answered(&t), before);

	/* records appear (as another process would write them): a pass pushes them, unkicked */
	for (i = 0; i < 250; i++)
		mem_add(m, "temp", "{\"value\":%d}", 360 + i % 10);
	left = 0;
	assert_true(run_until(c, SYNC_IDLE, 5000, &left));
	sync_client_status(c, &s);
	assert_int_equal(s.result, SYNC_R_DONE);
	assert_int_equal(s.waiting, 0);
	assert_int_equal(held(&t), 250);

	/* all pushed: the watch stays quiet again */
	before = answered(&t);
	left = 0;
	assert_false(run_until(c, SYNC_PUSH, 200, &left));
	assert_false(left);
	assert_int_equal(answered(&t), before);

	/* one more record: pushed too, exactly once */
	mem_add(m, "temp", "{\"value\":%d}", 371);
	left = 0;
	assert_true(run_until(c, SYNC_IDLE, 5000, &left));
	assert_int_equal(held(&t), 251);

	/* the hub gone: backoff, never longer than the ceiling, the record kept waiting */
	test_hub_stop(&t);
	mem_add(m, "temp", "{\"value\":%d}", 372);
	left = 0;
	assert_true(run_until(c, SYNC_BACKOFF, 5000, &left));
	for (i = 0; i < 5; i++) {
		sync_client_status(c, &s);
		assert_int_equal(s.state, SYNC_BACKOFF);
		assert_true(s.retry_in_ms <= o.backoff_max_ms);
		assert_int_equal(s.waiting, 1);
		left = 0;
		assert_true(run_until(c, SYNC_BACKOFF, 5000, &left));	/* tried again, failed */
	}
	sync_client_free(c);
	identity_free(id);
	mem_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_watch),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
