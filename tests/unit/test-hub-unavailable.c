/* test-hub-unavailable.c — the hub serves but its store cannot answer (PostgreSQL down;
 * here the SQLite store's tables moved away under it): handshakes get ZAP 500, which the
 * station reports as "hub temporarily unavailable, will retry" and backs off — never
 * REVOKED, as a ZAP 400 would make it — and once the store answers again the same client
 * pushes everything, exactly once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "tests/unit/sync-mem.h"

#define UID "0123456789abcdef0123456789abcdef"

struct served {
	struct hub *hub;
	volatile sig_atomic_t stop;
};

static void *
serve_main(void *arg)
{
	struct served *s = arg;
	struct err e;

	hub_serve(s->hub, &s->stop, &e);
	return NULL;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static int64_t
held(sqlite3 *db)
{
	sqlite3_stmt *q;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(DISTINCT seq) FROM records", -1,
	    &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

static void
t_store_down_is_not_a_refusal(void **state)
{
	struct hub_opts o = { "tcp://127.0.0.1:*", 1000, NULL, NULL, 1, NULL, 0 };
	struct sync_opts so = { .request_ms = 60000, .backoff_min_ms = 50,
	    .backoff_max_ms = 200, .heartbeat_ms = 1000, .batch_rows = 100 };
	struct mem_station *m = mem_new(UID);
	struct identity *id = NULL;
	struct sync_source src;
	struct sync_client *c;
	struct sync_status s;
	struct hub_store *hs;
	struct served sv = { NULL, 0 };
	struct timespec pause = { 0, 20 * 1000000 };
	char token[TOKEN_MAX];
	pthread_t th;
	sqlite3 *db;
	struct err e;
	int i, r;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(hubstore_sqlite_wrap(db, &hs, &e), E_OK);
	assert_int_equal(hubstore_keys_create(hs, &e), E_OK);
	assert_int_equal(hub_open(hs, &o, &sv.hub, &e), E_OK);
	assert_int_equal(hub_enroll_new(hs, "clinic", hub_endpoint(sv.hub), token, &e), E_OK);
	assert_int_equal(pthread_create(&th, NULL, serve_main, &sv), 0);
	if (sync_enroll(token, UID, 60000, &id, &e) != E_OK)
		fail_msg("enroll: %s", e.msg);
	for (i = 0; i < 10; i++)
		mem_add(m, "temp", "{\"value\":%d}", 360 + i);
	mem_source(m, &src);
	assert_int_equal(sync_client_new(id, &src, &so, &c, &e), E_OK);
	assert_int_equal(sync_client_run_once(c, 120000), SYNC_R_DONE);
	assert_int_equal(m->acked, 10);

	/* the store stops answering: every lookup of a key (and the hub's probe) fails */
	exec_ok(db, "ALTER TABLE stations RENAME TO stations_away;"
	    "ALTER TABLE items RENAME TO items_away");
	for (i = 0; i < 10; i++)
		mem_add(m, "temp", "{\"value\":%d}", 370 + i);
	for (i = 0; i < 2; i++) {	/* the first pass finds it out, the next is told at once */
		assert_int_equal(sync_client_run_once(c, 120000), SYNC_R_UNAVAILABLE);
		sync_client_status(c, &s);
		assert_int_equal(s.state, SYNC_BACKOFF);
		assert_true(s.nerrors >= 1);
		assert_non_null(strstr(s.errors[0], "hub temporarily unavailable, will retry"));
	}
	assert_int_equal(m->acked, 10);

	/* back: the hub's probe notices, and the same client (not REVOKED) goes on */
	exec_ok(db, "ALTER TABLE stations_away RENAME TO stations;"
	    "ALTER TABLE items_away RENAME TO items");
	for (i = 0; i < 3000; i++) {
		r = sync_client_run_once(c, 120000);
		if (r != SYNC_R_UNAVAILABLE)
			break;
		nanosleep(&pause, NULL);
	}
	assert_int_equal(r, SYNC_R_DONE);
	assert_int_equal(m->acked, 20);
	assert_int_equal(held(db), 20);

	sv.stop = 1;
	pthread_join(th, NULL);
	sync_client_free(c);
	identity_free(id);
	mem_free(m);
	hub_close(sv.hub);
	hubstore_close(hs);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_store_down_is_not_a_refusal),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
