/* test-sync-loop.c — station and hub over loopback TCP with CURVE: enrollment, push
 * exactly once, resend after a lost ack, unknown and revoked keys refused, a station pinned
 * to another hub key, pull of settings and watchlist, malformed and oversized messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zmq.h>

#include "sync/zap.h"
#include "tests/unit/sync-mem.h"

#define UID1 "0123456789abcdef0123456789abcdef"
#define UID2 "fedcba9876543210fedcba9876543210"

static struct sync_opts quick = { .request_ms = 3000, .backoff_min_ms = 50,
    .backoff_max_ms = 200, .heartbeat_ms = 1000, .batch_rows = 100 };

static struct identity *
enroll(struct test_hub *t, const char *name, const char *uid)
{
	char token[TOKEN_MAX];
	struct identity *id = NULL;
	struct err e;

	pthread_mutex_lock(&t->lock);
	assert_int_equal(hub_enroll_new(t->hs, name, hub_endpoint(t->hub), token, &e), E_OK);
	pthread_mutex_unlock(&t->lock);
	if (sync_enroll(token, uid, 60000, &id, &e) != E_OK)
		fail_msg("enroll: %s", e.msg);
	/* the token is one-time */
	{
		struct identity *again = NULL;
		assert_int_equal(sync_enroll(token, uid, 60000, &again, &e), E_LOCKED);
		assert_null(again);
	}
	return id;
}

static int64_t
count(struct test_hub *t, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	pthread_mutex_lock(&t->lock);
	assert_int_equal(sqlite3_prepare_v2(t->db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	pthread_mutex_unlock(&t->lock);
	return n;
}

/* Every record of m is at the hub once, equal field by field. */
static void
assert_hub_holds(struct test_hub *t, struct mem_station *m)
{
	sqlite3_stmt *st;
	int64_t i;

	pthread_mutex_lock(&t->lock);
	assert_int_equal(sqlite3_prepare_v2(t->db, "SELECT r.seq, r.kind, r.created_ms, r.body "
	    "FROM records r JOIN stations s ON s.id = r.station_id WHERE s.uid = ?1 "
	    "ORDER BY r.seq", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, m->uid, -1, SQLITE_STATIC);
	for (i = 0; i < m->n; i++) {
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int64(st, 0), m->r[i].seq);
		assert_string_equal((const char *)sqlite3_column_text(st, 1), m->r[i].kind);
		assert_int_equal(sqlite3_column_int64(st, 2), m->r[i].created_ms);
		assert_string_equal((const char *)sqlite3_column_text(st, 3), m->r[i].body);
	}
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	pthread_mutex_unlock(&t->lock);
}

static void
t_enroll_push_pull(void **state)
{
	struct test_hub t;
	struct identity *id;
	struct mem_station *m = mem_new(UID1);
	struct sync_source src;
	struct sync_client *c;
	struct sync_status s;
	struct err e;
	int i;

	(void)state;
	assert_int_equal(test_hub_start(&t, ":memory:"), 0);
	id = enroll(&t, "north-gate", UID1);
	assert_string_equal(id->name, "north-gate");
	for (i = 0; i < 1234; i++)
		mem_add(m, i % 3 ? "visitor" : "temp", "{\"action\":\"add\",\"value\":%d}", 360 + i % 9);
	mem_source(m, &src);
	assert_int_equal(sync_client_new(id, &src, &quick, &c, &e), E_OK);
	sync_client_status(c, &s);
	assert_int_equal(s.waiting, 1234);
	assert_int_equal(s.state, SYNC_IDLE);
	assert_int_equal(sync_client_run_once(c, 20000), SYNC_R_DONE);
	sync_client_status(c, &s);
	assert_int_equal(s.waiting, 0);
	assert_int_equal(s.pass_pushed, 1234);
	assert_true(s.last_success_ms > 0);
	assert_int_equal(m->acked, 1234);
	assert_hub_holds(&t, m);
	/* nothing new: nothing to do */
	assert_int_equal(sync_client_run_once(c, 20000), SYNC_R_NOTHING);

	/* the station loses its ack mark (say, the ack was lost): HELLO_OK's hw covers it */
	m->acked = 100;
	mem_add(m, "temp", "{\"value\":%d}", 371);
	assert_int_equal(sync_client_run_once(c, 20000), SYNC_R_DONE);
	assert_int_equal(m->acked, 1235);
	assert_int_equal(count(&t, "SELECT count(*) FROM records"), 1235);
	assert_hub_holds(&t, m);

	/* settings and watchlist pushed from the hub */
	pthread_mutex_lock(&t.lock);
	assert_int_equal(item_set(t.hs, WIRE_PULL_SETTINGS, "fever_threshold", "37.5",
	    NULL, 0, &e), E_OK);
	assert_int_equal(item_set(t.hs, WIRE_PULL_WATCHLIST, "plate:京A12345", "stolen",
	    "", 0, &e), E_OK);
	pthread_mutex_unlock(&t.lock);
	assert_int_equal(sync_client_run_once(c, 20000), SYNC_R_DONE);
	assert_int_equal(m->napplied, 2);
	assert_int_equal(m->ver[WIRE_PULL_SETTINGS], 1);
	assert_int_equal(m->ver[WIRE_PULL_WATCHLIST], 1);
	assert_string_equal(m->applied[1].key, "plate:京A12345");
	/* a delta only brings what changed */
	pthread_mutex_lock(&t.lock);
	assert_int_equal(item_set(t.hs, WIRE_PULL_WATCHLIST, "plate:京A12345", "", "", 1,
	    &e), E_OK);
	pthread_mutex_unlock(&t.lock);
	assert_int_equal(sync_client_run_once(c, 20000), SYNC_R_DONE);
	assert_int_equal(m->napplied, 3);
	assert_int_equal(m->applied[2].deleted, 1);
	assert_int_equal(m->ver[WIRE_PULL_WATCHLIST], 2);
	assert_int_equal(sync_client_run_once(c, 20000), SYNC_R_NOTHING);

	/* the hub's station list knows where it stands, and its clock */
	assert_int_equal(count(&t, "SELECT hw FROM stations WHERE name = 'north-gate'"), 1235);
	assert_true(count(&t, "SELECT last_seen_ms FROM stations") > 0);

	/* revoked: refused, and the client stays REVOKED */
	pthread_mutex_lock(&t.lock);
	assert_int_equal(hubstore_station_revoke(t.hs, "north-gate", &e), E_OK);
	pthread_mutex_unlock(&t.lock);
	mem_add(m, "temp", "{\"value\":%d}", 372);
	assert_int_equal(sync_client_run_once(c, 20000), SYNC_R_REFUSED);
	sync_client_status(c, &s);
	assert_int_equal(s.state, SYNC_REVOKED);
	assert_true(s.nerrors >= 1);
	assert_int_equal(count(&t, "SELECT count(*) FROM records"), 1235);

	sync_client_free(c);
	identity_free(id);
	mem_free(m);
	test_hub_stop(&t);
}

static void
t_unknown_and_wrong_hub(void **state)
{
	struct test_hub t, other;
	struct identity *id, *stranger;
	struct mem_station *m = mem_new(UID2);
	struct sync_source src;
	struct sync_client *c;
	struct err e;
	/* both answers come from the handshake as soon as it fails (refused at once; the
	 * wrong hub after BAD_PEER_FAILURES failures): a deadline far off only bounds a hang,
	 * it is not what the test waits for (a short one flaked under load) */
	struct sync_opts patient = quick;

	(void)state;
	patient.request_ms = 60000;
	assert_int_equal(test_hub_start(&t, ":memory:"), 0);
	assert_int_equal(test_hub_start(&other, ":memory:"), 0);
	mem_add(m, "temp", "{\"value\":%d}", 365);
	mem_source(m, &src);

	/* a key the hub never enrolled is refused at the handshake */
	assert_int_equal(identity_new(&stranger, &e), E_OK);
	snprintf(stranger->endpoint, sizeof stranger->endpoint, "%s", hub_endpoint(t.hub));
	{
		uint8_t *sk;
		pthread_mutex_lock(&t.lock);
		assert_int_equal(hubstore_keys_load(t.hs, stranger->hub_pk, &sk, &e), E_OK);
		pthread_mutex_unlock(&t.lock);
		sodium_free(sk);
	}
	assert_int_equal(sync_client_new(stranger, &src, &patient, &c, &e), E_OK);
	assert_int_equal(sync_client_run_once(c, 120000), SYNC_R_REFUSED);
	sync_client_free(c);

	/* an enrolled station pointed at a stand-in hub with another key will not talk */
	id = enroll(&t, "clinic", UID2);
	snprintf(id->endpoint, sizeof id->endpoint, "%s", hub_endpoint(other.hub));
	assert_int_equal(sync_client_new(id, &src, &patient, &c, &e), E_OK);
	assert_int_equal(sync_client_run_once(c, 120000), SYNC_R_BAD_HUB);
	assert_int_equal(hub_answered(other.hub), 0);
	assert_int_equal(m->acked, 0);
	sync_client_free(c);

	identity_free(stranger);
	identity_free(id);
	mem_free(m);
	test_hub_stop(&other);
	test_hub_stop(&t);
}

/* Raw messages from an enrolled key: garbage and oversized get an ERROR reply and the
 * hub keeps serving. */
static void
t_malformed(void **state)
{
	struct test_hub t;
	struct identity *id;
	struct mem_station *m = mem_new(UID1);
	struct sync_source src;
	struct sync_client *c;
	struct wire_msg r;
	struct err e;
	void *ctx, *s;
	uint8_t buf[64 * 1024], *big;
	size_t bigsz = WIRE_MSG_MAX + 1000;
	int n, code, timeout = 5000, i;
	static const uint8_t junk[][8] = { { 0xff }, { 0xa1, 0x00 }, { 0x80 },
	    { 0xbf, 0xff }, { 0xa3, 0, 1, 1, 1, 2, 0x1b } };

	(void)state;
	assert_int_equal(test_hub_start(&t, ":memory:"), 0);
	id = enroll(&t, "tent", UID1);
	ctx = zmq_ctx_new();
	s = zmq_socket(ctx, ZMQ_DEALER);
	zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, id->hub_pk, 32);
	zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, id->curve_pk, 32);
	zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, id->curve_sk, 32);
	zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
	assert_int_equal(zmq_connect(s, hub_endpoint(t.hub)), 0);
	for (i = 0; i < (int)(sizeof junk / sizeof junk[0]); i++) {
		assert_true(zmq_send(s, junk[i], i + 1, 0) >= 0);
		n = zmq_recv(s, buf, sizeof buf, 0);
		assert_true(n > 0);
		assert_int_equal(wire_decode(buf, (size_t)n, &r, &code, &e), E_OK);
		assert_int_equal(r.type, WIRE_ERROR);
		assert_int_not_equal(r.u.error.code, 0);
	}
	big = calloc(1, bigsz);
	assert_true(zmq_send(s, big, bigsz, 0) >= 0);
	free(big);
	n = zmq_recv(s, buf, sizeof buf, 0);
	assert_true(n > 0);
	assert_int_equal(wire_decode(buf, (size_t)n, &r, &code, &e), E_OK);
	assert_int_equal(r.type, WIRE_ERROR);
	assert_int_equal(r.u.error.code, WIRE_E_TOO_BIG);
	/* two frames in one message */
	zmq_send(s, "a", 1, ZMQ_SNDMORE);
	zmq_send(s, "b", 1, 0);
	n = zmq_recv(s, buf, sizeof buf, 0);
	assert_int_equal(wire_decode(buf, (size_t)n, &r, &code, &e), E_OK);
	assert_int_equal(r.u.error.code, WIRE_E_MALFORMED);
	/* revoked while connected: the next message on the same connection is refused */
	{
		struct wire_msg hello = { 0 };
		uint8_t *out;
		size_t len;
		hello.type = WIRE_HELLO;
		hello.req_id = 42;
		assert_int_equal(wire_encode(&hello, &out, &len, &e), E_OK);
		assert_true(zmq_send(s, out, len, 0) >= 0);
		n = zmq_recv(s, buf, sizeof buf, 0);
		assert_int_equal(wire_decode(buf, (size_t)n, &r, &code, &e), E_OK);
		assert_int_equal(r.type, WIRE_HELLO_OK);
		pthread_mutex_lock(&t.lock);
		assert_int_equal(hubstore_station_revoke(t.hs, "tent", &e), E_OK);
		pthread_mutex_unlock(&t.lock);
		assert_true(zmq_send(s, out, len, 0) >= 0);
		n = zmq_recv(s, buf, sizeof buf, 0);
		assert_int_equal(wire_decode(buf, (size_t)n, &r, &code, &e), E_OK);
		assert_int_equal(r.type, WIRE_ERROR);
		assert_int_equal(r.u.error.code, WIRE_E_REFUSED);
		free(out);
		/* back in service for the rest of the test */
		pthread_mutex_lock(&t.lock);
		assert_int_equal(sqlite3_exec(t.db, "UPDATE stations SET status = 1 WHERE name = "
		    "'tent'", NULL, NULL, NULL), SQLITE_OK);
		pthread_mutex_unlock(&t.lock);
	}
	zmq_close(s);
	zmq_ctx_term(ctx);

	/* and the hub still serves a real station */
	mem_add(m, "temp", "{\"value\":%d}", 365);
	mem_source(m, &src);
	assert_int_equal(sync_client_new(id, &src, &quick, &c, &e), E_OK);
	assert_int_equal(sync_client_run_once(c, 10000), SYNC_R_DONE);
	assert_hub_holds(&t, m);
	sync_client_free(c);
	identity_free(id);
	mem_free(m);
	test_hub_stop(&t);
}

/* Several stations push at once, each from its own thread. */
struct runner {
	struct identity *id;
	struct mem_station *m;
	int result;
};

static void *
run_station(void *arg)
{
	struct runner *r = arg;
	struct sync_source src;
	struct sync_client *c;
	struct err e;

	mem_source(r->m, &src);
	if (sync_client_new(r->id, &src, &quick, &c, &e) != E_OK)
		return NULL;
	r->result = sync_client_run_once(c, 30000);
	sync_client_free(c);
	return NULL;
}

static void
t_several(void **state)
{
	struct test_hub t;
	struct runner r[4];
	pthread_t th[4];
	char uid[33], name[16];
	int i, k;

	(void)state;
	assert_int_equal(test_hub_start(&t, ":memory:"), 0);
	for (i = 0; i < 4; i++) {
		snprintf(uid, sizeof uid, "%032x", i + 1);
		snprintf(name, sizeof name, "st%d", i);
		r[i].m = mem_new(uid);
		r[i].id = enroll(&t, name, uid);
		for (k = 0; k < 700 + 100 * i; k++)
			mem_add(r[i].m, "temp", "{\"value\":%d}", 360 + k % 10);
	}
	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, run_station, &r[i]);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 4; i++) {
		assert_int_equal(r[i].result, SYNC_R_DONE);
		assert_hub_holds(&t, r[i].m);
		identity_free(r[i].id);
		mem_free(r[i].m);
	}
	assert_int_equal(count(&t, "SELECT count(*) FROM records"), 700 + 800 + 900 + 1000);
	test_hub_stop(&t);
}

/* The ZeroMQ trap the hub guards against: a CURVE server with no ZAP handler lets any
 * client in, unless ZMQ_ZAP_ENFORCE_DOMAIN is set (as hub_open does). */
static int
router_gets_message(int enforce)
{
	uint8_t spk[32], ssk[32], cpk[32], csk[32];
	void *ctx = zmq_ctx_new(), *r, *d;
	char ep[128], buf[16];
	size_t len = sizeof ep;
	int one = 1, timeout = 1000, zero = 0, n;

	crypto_box_keypair(spk, ssk);
	crypto_box_keypair(cpk, csk);
	r = zmq_socket(ctx, ZMQ_ROUTER);
	zmq_setsockopt(r, ZMQ_CURVE_SERVER, &one, sizeof one);
	zmq_setsockopt(r, ZMQ_CURVE_SECRETKEY, ssk, 32);
	zmq_setsockopt(r, ZMQ_ZAP_DOMAIN, "outpost", 7);
	zmq_setsockopt(r, ZMQ_ZAP_ENFORCE_DOMAIN, enforce ? &one : &zero, sizeof one);
	zmq_setsockopt(r, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
	zmq_setsockopt(r, ZMQ_LINGER, &zero, sizeof zero);
	zmq_bind(r, "tcp://127.0.0.1:*");
	zmq_getsockopt(r, ZMQ_LAST_ENDPOINT, ep, &len);
	d = zmq_socket(ctx, ZMQ_DEALER);
	zmq_setsockopt(d, ZMQ_CURVE_SERVERKEY, spk, 32);
	zmq_setsockopt(d, ZMQ_CURVE_PUBLICKEY, cpk, 32);
	zmq_setsockopt(d, ZMQ_CURVE_SECRETKEY, csk, 32);
	zmq_setsockopt(d, ZMQ_LINGER, &zero, sizeof zero);
	zmq_connect(d, ep);
	zmq_send(d, "hi", 2, 0);
	n = zmq_recv(r, buf, sizeof buf, 0);	/* the routing id, if anything came */
	zmq_close(d);
	zmq_close(r);
	zmq_ctx_term(ctx);
	return n > 0;
}

static void
t_fail_closed(void **state)
{
	(void)state;
	assert_true(router_gets_message(0));	/* the trap is real in this libzmq */
	assert_false(router_gets_message(1));	/* and the option closes it */
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The TUI's way: kick, then step(c, 0) from a main loop; no call blocks. */
static void
t_step(void **state)
{
	struct test_hub t;
	struct identity *id;
	struct mem_station *m = mem_new(UID1);
	struct sync_source src;
	struct sync_client *c;
	struct sync_status s;
	struct sync_opts o = quick;
	struct err e;
	int seen[SYNC_STATE_COUNT] = { 0 }, st, i;
	int64_t t0;

	(void)state;
	assert_int_equal(test_hub_start(&t, ":memory:"), 0);
	id = enroll(&t, "bus-stop", UID1);
	for (i = 0; i < 2000; i++)
		mem_add(m, "temp", "{\"value\":%d}", 360 + i % 10);
	mem_source(m, &src);
	o.request_ms = 2000;
	assert_int_equal(sync_client_new(id, &src, &o, &c, &e), E_OK);
	assert_int_equal(sync_client_step(c, 0), SYNC_IDLE);	/* no interval: waits for a kick */
	/* With the hub held still, step(c, 0) keeps returning without an answer: a step that
	 * waited for the hub would run into the 2 s request timeout and fall into BACKOFF. */
	pthread_mutex_lock(&t.lock);
	sync_client_kick(c);
	for (i = 0; i < 50; i++) {
		st = sync_client_step(c, 0);
		assert_int_not_equal(st, SYNC_IDLE);
		assert_int_not_equal(st, SYNC_BACKOFF);
		seen[st] = 1;
	}
	sync_client_status(c, &s);
	assert_int_equal(s.nerrors, 0);
	pthread_mutex_unlock(&t.lock);
	/* Then as a main loop would, until the pass ends (the bound only keeps a broken
	 * client from hanging the test; it is no speed requirement). */
	t0 = now_ms();
	do {
		st = sync_client_step(c, 0);
		seen[st] = 1;
		if (st != SYNC_IDLE)
			usleep(1000);
	} while (st != SYNC_IDLE && now_ms() - t0 < 120000);
	sync_client_status(c, &s);
	assert_int_equal(s.state, SYNC_IDLE);
	assert_int_equal(s.result, SYNC_R_DONE);
	assert_int_equal(s.waiting, 0);
	assert_true(seen[SYNC_HELLO] && seen[SYNC_PUSH]);

	/* the hub goes away: the pass fails into BACKOFF with a retry time and an error */
	test_hub_stop(&t);
	mem_add(m, "temp", "{\"value\":%d}", 365);
	sync_client_kick(c);
	t0 = now_ms();
	while (sync_client_step(c, 20) != SYNC_BACKOFF && now_ms() - t0 < 10000)
		;
	sync_client_status(c, &s);
	assert_int_equal(s.state, SYNC_BACKOFF);
	assert_int_equal(s.result, SYNC_R_UNREACHABLE);
	assert_int_equal(s.waiting, 1);
	assert_true(s.nerrors >= 1);
	assert_true(s.retry_in_ms <= o.backoff_max_ms);
	sync_client_free(c);
	identity_free(id);
	mem_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_enroll_push_pull),
		cmocka_unit_test(t_unknown_and_wrong_hub),
		cmocka_unit_test(t_malformed),
		cmocka_unit_test(t_several),
		cmocka_unit_test(t_step),
		cmocka_unit_test(t_fail_closed),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
