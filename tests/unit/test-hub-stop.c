/* test-hub-stop.c — SIGTERM while the hub answers a batch (as systemd stops it): the hub
 * finishes and answers that batch and takes no other message queued behind it, however
 * many arrived meanwhile (under load the station's next batch is often there already). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <zmq.h>

#include "tests/unit/sync-mem.h"

#define UID "00112233445566778899aabbccddeeff"

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* One PUSH of records from..to, encoded. */
static void
push_msg(uint64_t from, uint64_t to, uint8_t **out, size_t *len)
{
	struct wire_record r[8];
	struct wire_msg m;
	char body[8][32];
	uint8_t *b;
	size_t blen, i, n = (size_t)(to - from + 1);
	struct err e;

	assert_true(n <= 8);
	memset(r, 0, sizeof r);
	for (i = 0; i < n; i++) {
		r[i].seq = from + i;
		snprintf(r[i].kind, sizeof r[i].kind, "temp");
		r[i].created_ms = 1750000000000LL + (int64_t)r[i].seq * 1000;
		snprintf(body[i], sizeof body[i], "{\"value\":%d}", 360 + (int)i);
		r[i].body = body[i];
		r[i].body_len = strlen(body[i]);
	}
	assert_int_equal(wire_batch_encode(r, n, &b, &blen, &e), E_OK);
	memset(&m, 0, sizeof m);
	m.type = WIRE_PUSH;
	m.req_id = from;
	m.u.push.batch_id = from;
	m.u.push.seq_from = from;
	m.u.push.seq_to = to;
	m.u.push.body = b;
	m.u.push.body_len = blen;
	assert_int_equal(wire_encode(&m, out, len, &e), E_OK);
	free(b);
}

static void
t_term_takes_no_queued_message(void **state)
{
	struct hub_opts o = { "tcp://127.0.0.1:*", 1000, NULL, NULL, 1, NULL, 0 };
	struct hub_station st;
	struct sigaction sa;
	struct hub_store *hs;
	struct hub *hub;
	struct wire_msg r;
	struct err e;
	sqlite3 *db;
	uint8_t enroll_pk[32], curve_pk[32], curve_sk[32], sign_pk[32], hub_pk[32], *hub_sk;
	uint8_t *m1, *m2, buf[4096];
	size_t l1, l2;
	uint64_t id;
	sqlite3_stmt *q;
	void *ctx, *s;
	int n, code, timeout = 10000;

	(void)state;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(hubstore_sqlite_wrap(db, &hs, &e), E_OK);
	assert_int_equal(hubstore_keys_create(hs, &e), E_OK);
	assert_int_equal(hubstore_keys_load(hs, hub_pk, &hub_sk, &e), E_OK);
	sodium_free(hub_sk);
	randombytes_buf(enroll_pk, sizeof enroll_pk);
	randombytes_buf(sign_pk, sizeof sign_pk);
	crypto_box_keypair(curve_pk, curve_sk);
	assert_int_equal(hubstore_station_add(hs, "gate", enroll_pk, 1, &id, &e), E_OK);
	assert_int_equal(hubstore_enroll_complete(hs, enroll_pk, curve_pk, sign_pk, UID, 1, &st,
	    &e), E_OK);
	assert_int_equal(hub_open(hs, &o, &hub, &e), E_OK);

	/* two batches sent back to back before the hub looks: they arrive together */
	push_msg(1, 3, &m1, &l1);
	push_msg(4, 6, &m2, &l2);
	ctx = zmq_ctx_new();
	s = zmq_socket(ctx, ZMQ_DEALER);
	zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, hub_pk, 32);
	zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, curve_pk, 32);
	zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, curve_sk, 32);
	zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
	assert_int_equal(zmq_connect(s, hub_endpoint(hub)), 0);
	assert_true(zmq_send(s, m1, l1, 0) >= 0);
	assert_true(zmq_send(s, m2, l2, 0) >= 0);

	/* SIGTERM raised in the first batch, between its commit and its ACK */
	setenv("OUTPOST_CRASH", "after_commit_before_ack:1:term", 1);
	assert_int_equal(hub_serve(hub, &stop, &e), E_OK);
	unsetenv("OUTPOST_CRASH");
	assert_int_equal(stop, 1);
	assert_int_equal(hub_answered(hub), 1);
	hub_close(hub);	/* lets the queued ACK leave */

	/* the station has the first batch's ACK, and nothing else */
	n = zmq_recv(s, buf, sizeof buf, 0);
	assert_true(n > 0);
	assert_int_equal(wire_decode(buf, (size_t)n, &r, &code, &e), E_OK);
	assert_int_equal(r.type, WIRE_ACK);
	assert_int_equal(r.u.ack.hw, 3);
	wire_msg_free(&r);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), max(seq) FROM records", -1, &q,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(q, 0), 3);
	assert_int_equal(sqlite3_column_int64(q, 1), 3);
	sqlite3_finalize(q);

	zmq_close(s);
	zmq_ctx_term(ctx);
	free(m1);
	free(m2);
	hubstore_close(hs);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_term_takes_no_queued_message),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
