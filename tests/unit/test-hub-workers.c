/* test-hub-workers.c — serve with two ingest workers on PostgreSQL (the URL in
 * OUTPOST_TEST_PG; tests/e2e/pg-store.sh starts a throwaway cluster and runs this; without
 * it the binary says it skips). The test holds station 0's advisory lock (the one the
 * store's ingest takes), so the group holding station 0's push cannot commit. Station 0
 * then sends a second push and a HELLO: they wait (hub_waited), held back, while serve
 * goes on reading: the 39 other stations' pushes, sent after them, are all acked
 * meanwhile by the other worker (two groups out at once, hub_groups_at_once 2). Once the
 * lock is let go station 0 is answered in the order it sent (ACK, ACK, then HELLO_OK with
 * the hw its pushes reached), every station is acked with its hw and every record is held
 * exactly once. (SIGTERM and kill -9 with workers: tests/unit/test-hub-group.c runs its
 * serve tests with them too.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <zmq.h>

#include "crypto/vault.h"
#include "hub/server.h"
#include "hub/store.h"
#include "tests/unit/hub-fleet.h"
#include "tests/unit/hub-open.h"

#define T0 1780000000000LL
#define PASS "hub secret phrase"
#define NSTA 40
#define PER 6		/* records per push */
#define LOCK_CLASS 1869968496	/* hub/store-pg-ingest.c's advisory lock class */

static const char *url;
static char recovery[VAULT_RECOVERY_LEN];

static struct hub_store *
open_store(int create)
{
	return hub_test_open(url, PASS, create, recovery);
}

/* Runs q on connection c: the first column of the first row (static buffer). */
static const char *
sql_on(PGconn *c, const char *q)
{
	static char out[256];
	PGresult *r = PQexec(c, q);

	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", q, PQresultErrorMessage(r));
	snprintf(out, sizeof out, "%s", PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return out;
}

static long long
count(const char *q)
{
	PGconn *c = PQconnectdb(url);
	long long n;

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	n = atoll(sql_on(c, q));
	PQfinish(c);
	return n;
}

static void
temp_body(char *out, size_t n, uint64_t root, int variant)
{
	snprintf(out, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%llu,\"tz\":480,"
	    "\"operator\":\"op%d\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":"
	    "{\"value\":36.6,\"method\":\"ear\",\"person\":\"p\",\"recheck_of\":0,"
	    "\"disposition\":\"isolated\",\"fever\":0,\"override_reason\":\"\"}}",
	    (unsigned long long)root, variant);
}

/* The PUSH of station i's records from..to, as batch id. */
static void
push_msg(int i, uint64_t from, uint64_t to, uint64_t id, uint8_t **msg, size_t *len)
{
	static struct wire_record w[PER];
	static char bodies[PER][512];
	struct wire_msg m;
	struct err e;
	uint8_t *b;
	size_t blen, n = 0;
	uint64_t s;

	for (s = from; s <= to; s++, n++) {
		memset(&w[n], 0, sizeof w[n]);
		w[n].seq = s;
		snprintf(w[n].kind, sizeof w[n].kind, "temp");
		w[n].created_ms = T0 + (int64_t)s * 1000;
		temp_body(bodies[n], sizeof bodies[n], s, i);
		w[n].body = bodies[n];
		w[n].body_len = strlen(bodies[n]);
	}
	assert_int_equal(wire_batch_encode(w, n, &b, &blen, &e), E_OK);
	memset(&m, 0, sizeof m);
	m.type = WIRE_PUSH;
	m.req_id = m.u.push.batch_id = id;
	m.u.push.seq_from = from;
	m.u.push.seq_to = to;
	m.u.push.body = b;
	m.u.push.body_len = blen;
	assert_int_equal(wire_encode(&m, msg, len, &e), E_OK);
	free(b);
}

struct fleet {
	uint8_t pk[NSTA][32], sk[NSTA][32];
	struct hub_station st[NSTA];
	void *ctx, *s[NSTA];
};

/* A fresh store with the hub's keys and NSTA enrolled stations. */
static void
fleet_store(struct fleet *f)
{
	struct hub_store *s;
	struct err e = { 0 };
	uint8_t epk[32], spk[32];
	char name[16], uid[33];
	uint64_t id;
	int i;

	hubstore_destroy(url, &e);
	s = open_store(1);
	assert_int_equal(hubstore_keys_create(s, &e), E_OK);
	for (i = 0; i < NSTA; i++) {
		crypto_box_keypair(f->pk[i], f->sk[i]);
		randombytes_buf(epk, 32);
		randombytes_buf(spk, 32);
		snprintf(name, sizeof name, "gate%d", i);
		snprintf(uid, sizeof uid, "%032x", i + 1);
		assert_int_equal(hubstore_station_add(s, name, epk, T0, &id, &e), E_OK);
		assert_int_equal(hubstore_enroll_complete(s, epk, f->pk[i], spk, uid, T0, &f->st[i],
		    &e), E_OK);
	}
	hubstore_close(s);
}

/* Every station connects, its handshake done (the ZAP thread answers it). */
static void
fleet_connect(struct fleet *f, const char *endpoint, const uint8_t hub_pk[32])
{
	f->ctx = zmq_ctx_new();
	hub_test_fleet_connect(f->ctx, f->s, NSTA, f->pk, f->sk, endpoint, hub_pk, 60000);
}

static void
send_msg(struct fleet *f, int i, const struct wire_msg *m)
{
	uint8_t *msg;
	size_t len;
	struct err e;

	assert_int_equal(wire_encode(m, &msg, &len, &e), E_OK);
	assert_true(zmq_send(f->s[i], msg, len, 0) >= 0);
	free(msg);
}

static void
send_push(struct fleet *f, int i, uint64_t from, uint64_t to, uint64_t id)
{
	uint8_t *msg;
	size_t len;

	push_msg(i, from, to, id, &msg, &len);
	assert_true(zmq_send(f->s[i], msg, len, 0) >= 0);
	free(msg);
}

/* Station i's next answer, decoded into r, of type type. */
static void
answer(struct fleet *f, int i, int type, struct wire_msg *r)
{
	static uint8_t buf[4096];
	struct err e;
	int n, code;

	n = zmq_recv(f->s[i], buf, sizeof buf, 0);
	assert_true(n > 0);
	assert_int_equal(wire_decode(buf, (size_t)n, r, &code, &e), E_OK);
	assert_int_equal(r->type, type);
}

/* Station i's next answer: an ACK of batch id with hw. */
static void
acked(struct fleet *f, int i, uint64_t id, uint64_t hw)
{
	struct wire_msg r;

	answer(f, i, WIRE_ACK, &r);
	assert_int_equal(r.u.ack.batch_id, id);
	assert_int_equal(r.u.ack.hw, hw);
	wire_msg_free(&r);
}

static void
fleet_close(struct fleet *f)
{
	int i;

	for (i = 0; i < NSTA; i++)
		zmq_close(f->s[i]);
	zmq_ctx_term(f->ctx);
}

/* Polls the hub until *n reaches want. Not a time limit: it fails only once 600 polls
 * in a row (a minute) changed nothing the hub counts, so a hub that stopped reading
 * fails the test instead of hanging it. */
static void
poll_until(struct hub *hub, uint64_t (*n)(const struct hub *), uint64_t want)
{
	struct err e = { 0 };
	uint64_t last = 0, now;
	int still = 0;

	while (n(hub) < want) {
		assert_int_equal(hub_poll(hub, 100, &e), E_OK);
		now = hub_answered(hub) * 1000003 + hub_waited(hub) * 1009 +
		    hub_groups_at_once(hub);
		still = now == last ? still + 1 : 0;
		last = now;
		if (still >= 600)
			fail_msg("the hub made no progress: %llu answered, %llu waited, want %llu",
			    (unsigned long long)hub_answered(hub),
			    (unsigned long long)hub_waited(hub), (unsigned long long)want);
	}
}

static uint64_t
at_once(const struct hub *h)
{
	return hub_groups_at_once(h);
}

static void
t_two_groups_at_once(void **state)
{
	static struct fleet f;
	struct hub_store *hs, *ing[2];
	struct hub_opts o = { 0 };
	struct hub *hub;
	struct wire_msg m;
	struct err e = { 0 };
	uint8_t hub_pk[32], *sk;
	uint64_t groups, batches;
	char q[128];
	PGconn *lock;
	int i;

	(void)state;
	fleet_store(&f);
	hs = open_store(0);
	ing[0] = open_store(0);
	ing[1] = open_store(0);
	assert_int_equal(hubstore_keys_load(hs, hub_pk, &sk, &e), E_OK);
	sodium_free(sk);
	o.listen = "tcp://127.0.0.1:*";
	o.heartbeat_ms = 1000;
	o.no_purge = 1;
	o.ingest = ing;
	o.ningest = 2;
	assert_int_equal(hub_open(hs, &o, &hub, &e), E_OK);
	fleet_connect(&f, hub_endpoint(hub), hub_pk);

	/* station 0's push is handed to a worker, which then waits on the lock */
	lock = PQconnectdb(url);
	assert_int_equal(PQstatus(lock), CONNECTION_OK);
	snprintf(q, sizeof q, "SELECT pg_advisory_lock(%d, %llu::int)", LOCK_CLASS,
	    (unsigned long long)f.st[0].id);
	sql_on(lock, q);
	send_push(&f, 0, 1, PER, 100);
	poll_until(hub, at_once, 1);
	/* station 0 sends its next push and a HELLO before the first is answered: both
	 * wait */
	send_push(&f, 0, PER + 1, 2 * PER, 999);
	memset(&m, 0, sizeof m);
	m.type = WIRE_HELLO;
	m.req_id = 1000;
	m.u.hello.dev_time = T0;
	send_msg(&f, 0, &m);
	poll_until(hub, hub_waited, 2);
	assert_int_equal(hub_answered(hub), 0);
	/* the others, sent after them, are stored and acked by the other worker meanwhile */
	for (i = 1; i < NSTA; i++)
		send_push(&f, i, 1, PER, 100 + (uint64_t)i);
	poll_until(hub, hub_answered, NSTA - 1);
	for (i = 1; i < NSTA; i++)
		acked(&f, i, 100 + (uint64_t)i, PER);
	assert_int_equal(hub_answered(hub), NSTA - 1);
	assert_int_equal(hub_groups_at_once(hub), 2);
	assert_int_equal(hub_waited(hub), 2);
	sql_on(lock, "SELECT pg_advisory_unlock_all()");
	PQfinish(lock);
	poll_until(hub, hub_answered, NSTA + 2);
	/* in the order sent, the HELLO with what the two pushes left held */
	acked(&f, 0, 100, PER);
	acked(&f, 0, 999, 2 * PER);
	answer(&f, 0, WIRE_HELLO_OK, &m);
	assert_int_equal(m.req_id, 1000);
	assert_int_equal(m.u.hello_ok.hw, 2 * PER);
	wire_msg_free(&m);
	hub_groups(hub, &groups, &batches);
	print_message("# %llu batches in %llu commits, at most %zu at once\n",
	    (unsigned long long)batches, (unsigned long long)groups, hub_groups_at_once(hub));
	assert_int_equal(batches, NSTA + 1);
	assert_int_equal(hub_groups_at_once(hub), 2);
	hub_close(hub);
	assert_int_equal(count("SELECT count(*) FROM outpost_hub.records"), NSTA * PER + PER);
	assert_int_equal(count("SELECT count(*) FROM (SELECT DISTINCT station_id, seq FROM "
	    "outpost_hub.records) d"), NSTA * PER + PER);
	assert_int_equal(count("SELECT count(*) FROM outpost_hub.station_state WHERE hw = 6 "
	    "AND held = 6"), NSTA - 1);
	assert_int_equal(count("SELECT count(*) FROM outpost_hub.station_state WHERE hw = 12 "
	    "AND held = 12"), 1);
	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	fleet_close(&f);
	hubstore_close(ing[0]);
	hubstore_close(ing[1]);
	hubstore_close(hs);
}

static int
setup(void **state)
{
	(void)state;
	url = getenv("OUTPOST_TEST_PG");
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_two_groups_at_once),
	};

	if (sodium_init() < 0)
		return 1;
	/* Run by itself (make test runs every unit binary) there is no server: say so, pass
	 * nothing, fail nothing; tests/e2e/pg-store.sh runs it again with one. */
	if (getenv("OUTPOST_TEST_PG") == NULL) {
		printf("1..0 # SKIP no PostgreSQL server here: tests/e2e/pg-store.sh runs this\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, setup, NULL);
}
