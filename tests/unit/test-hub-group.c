/* test-hub-group.c — group commit: several stations' batches in one hubstore_ingest_group
 * call. A batch that fails in the middle of a group is rolled back alone (the others are
 * stored, it is reported); a group of resends, conflicts, gaps and quarantined records
 * gives the very results and counters the batches give one by one; and serve gathers the
 * pushes of 20 stations sent at once into groups (more than one batch per commit), acks
 * each with its hw; SIGTERM in a group acks that group's batches and answers nothing taken
 * with it; and when killed at "before_commit" in a group it keeps none of it: the
 * stations resend and every record is held exactly once. The serve tests run again with
 * two ingest workers (hub_opts.ingest) on connections of their own.
 * With OUTPOST_TEST_PG set the group store of the equivalence test is PostgreSQL. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <zmq.h>

#include "crypto/vault.h"
#include "hub/server.h"
#include "hub/store-sqlite.h"
#include "hub/store.h"
#include "tests/unit/hub-fleet.h"

#define T0 1780000000000LL
#define NOW (T0 + 3600000LL)
#define NSTA 20
#define PER 6		/* records per push */

/* A record body as storage writes it: a temperature check (fever when hot). */
static void
temp_body(char *out, size_t n, int action, uint64_t root, int hot, int variant)
{
	static const char *const actions[] = { "add", "correct", "delete" };

	snprintf(out, n, "{\"v\":1,\"action\":\"%s\",\"ref\":%llu,\"root\":%llu,\"tz\":480,"
	    "\"operator\":\"op%d\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":"
	    "{\"value\":%s,\"method\":\"ear\",\"person\":\"p\",\"recheck_of\":0,"
	    "\"disposition\":\"isolated\",\"fever\":%d,\"override_reason\":\"\"}}",
	    actions[action], (unsigned long long)(action ? root : 0),
	    (unsigned long long)root, variant, hot ? "38.4" : "36.6", hot);
}

/* Records seq from..to of a station into w (bodies in bodies[]). */
static size_t
records(struct wire_record *w, char (*bodies)[512], uint64_t from, uint64_t to, int variant)
{
	size_t n = 0;
	uint64_t s;

	for (s = from; s <= to; s++, n++) {
		memset(&w[n], 0, sizeof w[n]);
		w[n].seq = s;
		snprintf(w[n].kind, sizeof w[n].kind, "temp");
		w[n].created_ms = T0 + (int64_t)s * 1000;
		temp_body(bodies[n], sizeof bodies[n], 0, s, s % 3 == 0, variant);
		w[n].body = bodies[n];
		w[n].body_len = strlen(bodies[n]);
	}
	return n;
}

static struct hub_store *
store_sqlite(sqlite3 **db, const char *path)
{
	struct hub_store *hs;
	struct err e;

	assert_int_equal(sqlite3_open(path, db), SQLITE_OK);
	if (strcmp(path, ":memory:") != 0)
		assert_int_equal(sqlite3_exec(*db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL),
		    SQLITE_OK);
	sqlite3_busy_timeout(*db, 20000);	/* ingest workers write beside one another */
	if (hubstore_sqlite_wrap(*db, &hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	return hs;
}

/* The serve tests run twice: as serve stores groups itself, and with two ingest workers
 * (hub_opts.ingest), each on a connection of its own to the same file. */
static int workers;
static struct hub_store *wst[2];
static sqlite3 *wdb[2];

static void
workers_open(struct hub_opts *o, const char *path)
{
	int i;

	if (!workers)
		return;
	for (i = 0; i < 2; i++)
		wst[i] = store_sqlite(&wdb[i], path);
	o->ingest = wst;
	o->ningest = 2;
}

static void
workers_close(void)
{
	int i;

	if (!workers)
		return;
	for (i = 0; i < 2; i++) {
		hubstore_close(wst[i]);
		sqlite3_close(wdb[i]);
		wst[i] = NULL;
	}
}

static int
with_workers(void **state)
{
	(void)state;
	workers = 1;
	return 0;
}

static int
without_workers(void **state)
{
	(void)state;
	workers = 0;
	return 0;
}

/* Station i (name "s<i>", uid from i, CURVE key pk): enrolled in hs. */
static void
station_make(struct hub_store *hs, int i, const uint8_t pk[32], struct hub_station *st)
{
	uint8_t epk[32], sign[32];
	char name[16], uid[WIRE_STATION_UID + 1];
	uint64_t id;
	struct err e;

	memset(epk, 1 + i, sizeof epk);
	memset(sign, 2 + i, sizeof sign);
	snprintf(name, sizeof name, "s%d", i);
	snprintf(uid, sizeof uid, "%032x", 0x100 + i);
	assert_int_equal(hubstore_station_add(hs, name, epk, T0, &id, &e), E_OK);
	if (hubstore_enroll_complete(hs, epk, pk, sign, uid, T0, st, &e) != E_OK)
		fail_msg("%s", e.msg);
}

static int64_t
count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* ---- a batch that fails in the middle of a group ---- */

static void
t_middle_batch_fails(void **state)
{
	static struct wire_record w[3][PER];
	static char bodies[3][PER][512];
	struct hub_station st[3];
	struct hub_batch b[3];
	struct hub_store *hs;
	struct err e;
	uint8_t pk[32];
	char sql[256];
	sqlite3 *db;
	int i;

	(void)state;
	hs = store_sqlite(&db, ":memory:");
	for (i = 0; i < 3; i++) {
		memset(pk, 50 + i, sizeof pk);
		station_make(hs, i, pk, &st[i]);
	}
	/* station 1's third record cannot be written: its batch fails after two rows of it
	 * were, inside the group's transaction */
	snprintf(sql, sizeof sql, "CREATE TEMP TRIGGER no_write BEFORE INSERT ON records WHEN"
	    " NEW.station_id = %llu AND NEW.seq = 3 BEGIN SELECT RAISE(ABORT, 'refused"
	    " here'); END", (unsigned long long)st[1].id);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	memset(b, 0, sizeof b);
	for (i = 0; i < 3; i++) {
		b[i].st = &st[i];
		b[i].r = w[i];
		b[i].n = records(w[i], bodies[i], 1, PER, 0);
	}
	assert_int_equal(hubstore_ingest_group(hs, b, 3, NOW, &e), E_OK);
	assert_int_equal(b[0].rc, E_OK);
	assert_int_not_equal(b[1].rc, E_OK);
	assert_non_null(strstr(b[1].e.msg, "refused here"));
	assert_int_equal(b[2].rc, E_OK);
	for (i = 0; i < 3; i += 2) {
		assert_int_equal(b[i].res.inserted, PER);
		assert_int_equal(b[i].res.hw, PER);
		free(b[i].res.conflicts);
	}
	/* the others stored and seen; nothing of the failed one, its station untouched */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM records WHERE station_id = %llu",
	    (unsigned long long)st[1].id);
	assert_int_equal(count(db, sql), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM records"), 2 * PER);
	snprintf(sql, sizeof sql, "SELECT hw * 1000 + held FROM stations WHERE id = %llu",
	    (unsigned long long)st[1].id);
	assert_int_equal(count(db, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM stations WHERE last_seen_ms = %lld",
	    (long long)NOW);
	assert_int_equal(count(db, sql), 2);
	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	/* once it can be written, the station's resend is stored whole */
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER no_write", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(hubstore_ingest_group(hs, &b[1], 1, NOW + 1, &e), E_OK);
	assert_int_equal(b[1].rc, E_OK);
	assert_int_equal(b[1].res.inserted, PER);
	assert_int_equal(b[1].res.hw, PER);
	free(b[1].res.conflicts);
	assert_int_equal(count(db, "SELECT count(*) FROM records"), 3 * PER);
	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	hubstore_close(hs);
	sqlite3_close(db);
}

/* ---- a group gives what the batches give one by one ---- */

#define NEQ 4

struct figures {
	char line[64][160];
	int n;
};

static int
station_line(const struct hub_station *s, void *arg)
{
	struct figures *f = arg;

	assert_true(f->n < 64);
	snprintf(f->line[f->n++], sizeof f->line[0], "%s hw %llu held %llu max %llu conf %llu"
	    " quar %llu", s->name, (unsigned long long)s->hw, (unsigned long long)s->held,
	    (unsigned long long)s->max_seq, (unsigned long long)s->conflicts,
	    (unsigned long long)s->quarantined);
	return 0;
}

static int
total_line(const struct hub_total *t, void *arg)
{
	struct figures *f = arg;

	assert_true(f->n < 64);
	snprintf(f->line[f->n++], sizeof f->line[0], "%s %s %lld %lld %lld %lld %lld",
	    t->station, t->kind, (long long)t->records, (long long)t->fevers,
	    (long long)t->released, (long long)t->flagged, (long long)t->inside);
	return 0;
}

static void
figures_of(struct hub_store *hs, struct figures *f)
{
	struct hub_span all = HUB_SPAN_ALL;
	struct err e;

	memset(f, 0, sizeof *f);
	assert_int_equal(hubstore_stations(hs, station_line, f, &e), E_OK);
	assert_int_equal(hubstore_report_totals(hs, &all, total_line, f, &e), E_OK);
	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s", e.msg);
}

/* Round r's batch of station i into w: new records, resends, a conflicting copy, a gap
 * and its filling, a quarantined record, a body that is not JSON, a correction. */
static size_t
round_batch(int r, int i, struct wire_record *w, char (*bodies)[512])
{
	size_t n;

	switch ((r + i) % 6) {
	case 0:
		return records(w, bodies, 1 + 5 * (uint64_t)r, 5 + 5 * (uint64_t)r, 0);
	case 1:	/* resend of what round 0 could have sent, some of it held */
		return records(w, bodies, 1, 8, 0);
	case 2:	/* seq 2 again with other content: a conflict */
		return records(w, bodies, 2, 3, 1);
	case 3:	/* a gap: hw does not move over it */
		return records(w, bodies, 40 + (uint64_t)r, 42 + (uint64_t)r, 0);
	case 4:	/* a record put aside and one that is not JSON (twice for some stations: the
		 * same bytes again are resends) */
		n = records(w, bodies, 100, 101, 0);
		w[0].bad = 1;
		snprintf(bodies[1], sizeof bodies[1], "not json");
		w[1].body_len = strlen(bodies[1]);
		return n;
	default: /* a correction of record 1 */
		n = records(w, bodies, 20 + (uint64_t)r, 20 + (uint64_t)r, 0);
		temp_body(bodies[0], sizeof bodies[0], 1, 1, 1, 2);
		w[0].body_len = strlen(bodies[0]);
		return n;
	}
}

static struct hub_store *
store_group(sqlite3 **db)
{
	const char *pg = getenv("OUTPOST_TEST_PG");
	struct hubstore_params p = { 0 };
	struct hub_store *hs;
	struct err e;

	if (pg == NULL)
		return store_sqlite(db, ":memory:");
	*db = NULL;
	hubstore_destroy(pg, &e);
	p.address = pg;
	p.secret = "test";
	p.secret_len = 4;
	p.create = 1;
	p.kdf = VAULT_KDF_TEST_CHEAP;
	if (hubstore_open(&p, &hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	return hs;
}

static void
t_group_equals_one_by_one(void **state)
{
	static struct wire_record w[NEQ][16];
	static char bodies[NEQ][16][512];
	static struct figures fg, fo;
	struct hub_station sg[NEQ], so[NEQ];
	struct hub_batch b[NEQ];
	struct hub_ingest res;
	struct hub_store *g, *o;
	struct err e;
	uint8_t pk[32];
	sqlite3 *dg, *dob;
	size_t k;
	int i, r;

	(void)state;
	g = store_group(&dg);
	o = store_sqlite(&dob, ":memory:");
	for (i = 0; i < NEQ; i++) {
		memset(pk, 70 + i, sizeof pk);
		station_make(g, i, pk, &sg[i]);
		station_make(o, i, pk, &so[i]);
	}
	for (r = 0; r < 8; r++) {
		memset(b, 0, sizeof b);
		for (i = 0; i < NEQ; i++) {
			b[i].st = &sg[i];
			b[i].r = w[i];
			b[i].n = round_batch(r, i, w[i], bodies[i]);
		}
		assert_int_equal(hubstore_ingest_group(g, b, NEQ, NOW + r, &e), E_OK);
		for (i = 0; i < NEQ; i++) {
			if (b[i].rc != E_OK)
				fail_msg("round %d batch %d: %s", r, i, b[i].e.msg);
			if (hubstore_ingest(o, &so[i], w[i], b[i].n, NOW + r, &res, &e) != E_OK)
				fail_msg("%s", e.msg);
			if (b[i].res.hw != res.hw || b[i].res.inserted != res.inserted ||
			    b[i].res.duplicates != res.duplicates ||
			    b[i].res.quarantined != res.quarantined)
				fail_msg("round %d batch %d: hw %llu new %llu again %llu put aside "
				    "%llu in the group, %llu %llu %llu %llu alone", r, i,
				    (unsigned long long)b[i].res.hw,
				    (unsigned long long)b[i].res.inserted,
				    (unsigned long long)b[i].res.duplicates,
				    (unsigned long long)b[i].res.quarantined,
				    (unsigned long long)res.hw, (unsigned long long)res.inserted,
				    (unsigned long long)res.duplicates,
				    (unsigned long long)res.quarantined);
			assert_int_equal(b[i].res.nconflicts, res.nconflicts);
			for (k = 0; k < res.nconflicts; k++)
				assert_int_equal(b[i].res.conflicts[k], res.conflicts[k]);
			free(b[i].res.conflicts);
			free(res.conflicts);
		}
	}
	figures_of(g, &fg);
	figures_of(o, &fo);
	assert_int_equal(fg.n, fo.n);
	for (i = 0; i < fg.n; i++)
		assert_string_equal(fg.line[i], fo.line[i]);
	/* and something did happen: conflicts, quarantine and a gap among them */
	assert_true(fg.n > NEQ);
	hubstore_close(g);
	hubstore_close(o);
	if (dg != NULL)
		sqlite3_close(dg);
	sqlite3_close(dob);
}

/* ---- serve: 20 stations at once ---- */

struct fleet {
	uint8_t pk[NSTA][32], sk[NSTA][32];
	struct hub_station st[NSTA];
	void *ctx, *s[NSTA];
	uint8_t *msg[NSTA];
	size_t len[NSTA];
};

/* The PUSH of station i's records 1..PER (batch id i). */
static void
fleet_messages(struct fleet *f)
{
	static struct wire_record w[PER];
	static char bodies[PER][512];
	struct wire_msg m;
	struct err e;
	uint8_t *b;
	size_t blen, n;
	int i;

	for (i = 0; i < NSTA; i++) {
		n = records(w, bodies, 1, PER, i);
		assert_int_equal(wire_batch_encode(w, n, &b, &blen, &e), E_OK);
		memset(&m, 0, sizeof m);
		m.type = WIRE_PUSH;
		m.req_id = 100 + (uint64_t)i;
		m.u.push.batch_id = 100 + (uint64_t)i;
		m.u.push.seq_from = 1;
		m.u.push.seq_to = PER;
		m.u.push.body = b;
		m.u.push.body_len = blen;
		assert_int_equal(wire_encode(&m, &f->msg[i], &f->len[i], &e), E_OK);
		free(b);
	}
}

/* Every station connects (its handshake done, which the hub's ZAP thread answers
 * without the serving loop) and sends its push. */
static void
fleet_send(struct fleet *f, const char *endpoint, const uint8_t hub_pk[32])
{
	int i;

	f->ctx = zmq_ctx_new();
	hub_test_fleet_connect(f->ctx, f->s, NSTA, f->pk, f->sk, endpoint, hub_pk, 20000);
	for (i = 0; i < NSTA; i++)
		assert_true(zmq_send(f->s[i], f->msg[i], f->len[i], 0) >= 0);
}

/* Each station's answer: an ACK of its batch with hw PER. */
static void
fleet_acked(struct fleet *f)
{
	struct wire_msg r;
	struct err e;
	uint8_t buf[4096];
	int i, n, code;

	for (i = 0; i < NSTA; i++) {
		n = zmq_recv(f->s[i], buf, sizeof buf, 0);
		assert_true(n > 0);
		assert_int_equal(wire_decode(buf, (size_t)n, &r, &code, &e), E_OK);
		assert_int_equal(r.type, WIRE_ACK);
		assert_int_equal(r.req_id, 100 + (uint64_t)i);
		assert_int_equal(r.u.ack.batch_id, 100 + (uint64_t)i);
		assert_int_equal(r.u.ack.hw, PER);
		wire_msg_free(&r);
	}
}

/* Closes the stations' sockets; with msgs, frees their messages too. */
static void
fleet_close(struct fleet *f, int msgs)
{
	int i;

	for (i = 0; i < NSTA; i++) {
		zmq_close(f->s[i]);
		if (msgs)
			free(f->msg[i]);
	}
	zmq_ctx_term(f->ctx);
}

static char dir[] = "/tmp/outpost-hub-group.XXXXXX";
static char dbfile[256];

static void
fleet_store(struct fleet *f, uint8_t hub_pk[32])
{
	struct hub_store *hs;
	struct err e;
	uint8_t *sk;
	sqlite3 *db;
	int i;

	hs = store_sqlite(&db, dbfile);
	assert_int_equal(hubstore_keys_create(hs, &e), E_OK);
	assert_int_equal(hubstore_keys_load(hs, hub_pk, &sk, &e), E_OK);
	sodium_free(sk);
	for (i = 0; i < NSTA; i++) {
		crypto_box_keypair(f->pk[i], f->sk[i]);
		station_make(hs, i, f->pk[i], &f->st[i]);
	}
	hubstore_close(hs);
	sqlite3_close(db);
}

static void
fleet_setup(void)
{
	char side[300];

	if (dbfile[0] == '\0')
		assert_non_null(mkdtemp(dir));
	else if (access(dir, F_OK) != 0)
		assert_int_equal(mkdir(dir, 0700), 0);	/* the last serve test removed it */
	snprintf(dbfile, sizeof dbfile, "%s/hub.db", dir);
	remove(dbfile);
	snprintf(side, sizeof side, "%s-wal", dbfile);
	remove(side);
	snprintf(side, sizeof side, "%s-shm", dbfile);
	remove(side);
	snprintf(side, sizeof side, "%s/hub.sock", dir);
	remove(side);
}

static void
t_serve_forms_groups(void **state)
{
	static struct fleet f;
	struct hub_opts o = { "tcp://127.0.0.1:*", 1000, NULL, NULL, 1, NULL, 0 };
	struct hub_store *hs;
	struct hub *hub;
	struct err e;
	uint8_t hub_pk[32];
	uint64_t groups, batches;
	sqlite3 *db;

	(void)state;
	fleet_setup();
	fleet_store(&f, hub_pk);
	fleet_messages(&f);
	hs = store_sqlite(&db, dbfile);
	workers_open(&o, dbfile);
	assert_int_equal(hub_open(hs, &o, &hub, &e), E_OK);
	fleet_send(&f, hub_endpoint(hub), hub_pk);
	while (hub_answered(hub) < NSTA)
		assert_int_equal(hub_poll(hub, 1000, &e), E_OK);
	fleet_acked(&f);
	hub_groups(hub, &groups, &batches);
	print_message("# %llu batches in %llu commits, at most %zu at once\n",
	    (unsigned long long)batches, (unsigned long long)groups, hub_groups_at_once(hub));
	assert_int_equal(batches, NSTA);
	assert_true(groups >= 1 && groups < batches);	/* > 1 batch per commit */
	assert_int_equal(count(db, "SELECT count(*) FROM records"), NSTA * PER);
	assert_int_equal(count(db, "SELECT count(*) FROM stations WHERE hw = 6 AND held = 6"
	    " AND last_seen_ms > 0"), NSTA);
	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	hub_close(hub);
	workers_close();
	fleet_close(&f, 1);
	hubstore_close(hs);
	sqlite3_close(db);
}

static volatile sig_atomic_t stop;
static int term_runs;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* SIGTERM raised in a group, after its commit: every batch of that group is acked, and
 * nothing taken off the queue with it is answered or stored afterwards (here station 0's
 * second push, which waited for the group as a later push of the same station). */
static void
t_serve_term_in_group(void **state)
{
	static struct fleet f;
	static struct wire_record w[PER];
	static char bodies[PER][512];
	struct hub_opts o = { "tcp://127.0.0.1:*", 1000, NULL, NULL, 1, NULL, 0 };
	zmq_pollitem_t it[NSTA];
	struct sigaction sa;
	struct hub_store *hs;
	struct wire_msg m, r;
	struct hub *hub;
	struct err e;
	uint8_t hub_pk[32], *b, *second, buf[4096];
	uint64_t answered, got = 0;
	size_t blen, slen, n;
	sqlite3 *db;
	char spec[64];
	int i, len, code;

	(void)state;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	fleet_setup();
	fleet_store(&f, hub_pk);
	fleet_messages(&f);
	n = records(w, bodies, PER + 1, 2 * PER, 0);
	assert_int_equal(wire_batch_encode(w, n, &b, &blen, &e), E_OK);
	memset(&m, 0, sizeof m);
	m.type = WIRE_PUSH;
	m.req_id = m.u.push.batch_id = 999;
	m.u.push.seq_from = PER + 1;
	m.u.push.seq_to = 2 * PER;
	m.u.push.body = b;
	m.u.push.body_len = blen;
	assert_int_equal(wire_encode(&m, &second, &slen, &e), E_OK);
	free(b);
	hs = store_sqlite(&db, dbfile);
	workers_open(&o, dbfile);
	assert_int_equal(hub_open(hs, &o, &hub, &e), E_OK);
	fleet_send(&f, hub_endpoint(hub), hub_pk);
	assert_true(zmq_send(f.s[0], second, slen, 0) >= 0);
	/* crash_point counts its hits over the process: this test's first hit is the next */
	snprintf(spec, sizeof spec, "after_commit_before_ack:%d:term", ++term_runs);
	stop = 0;
	setenv("OUTPOST_CRASH", spec, 1);
	assert_int_equal(hub_serve(hub, &stop, &e), E_OK);
	unsetenv("OUTPOST_CRASH");
	assert_int_equal(stop, 1);
	answered = hub_answered(hub);
	print_message("# %llu answered\n", (unsigned long long)answered);
	assert_true(answered >= 1 && answered <= NSTA);
	hub_close(hub);	/* lets the queued ACKs leave */
	workers_close();
	/* exactly `answered` ACKs, each of a station's first batch, all of it stored */
	for (i = 0; i < NSTA; i++) {
		it[i].socket = f.s[i];
		it[i].fd = 0;
		it[i].events = ZMQ_POLLIN;
	}
	while (got < answered) {
		assert_true(zmq_poll(it, NSTA, 20000) > 0);
		for (i = 0; i < NSTA; i++)
			if (it[i].revents & ZMQ_POLLIN) {
				len = zmq_recv(f.s[i], buf, sizeof buf, 0);
				assert_true(len > 0);
				assert_int_equal(wire_decode(buf, (size_t)len, &r, &code, &e), E_OK);
				assert_int_equal(r.type, WIRE_ACK);
				assert_int_equal(r.u.ack.batch_id, 100 + (uint64_t)i);
				assert_int_equal(r.u.ack.hw, PER);
				wire_msg_free(&r);
				got++;
			}
	}
	assert_int_equal(count(db, "SELECT count(*) FROM records"), (int64_t)answered * PER);
	assert_int_equal(count(db, "SELECT count(*) FROM records WHERE seq > 6"), 0);
	free(second);
	fleet_close(&f, 1);
	hubstore_close(hs);
	sqlite3_close(db);
}

/* serve is killed (SIGKILL) at "before_commit" while it stores the 20 stations' pushes;
 * the stations send them again to the restarted hub: each record held once. */
static void
t_serve_killed_in_group(void **state)
{
	static struct fleet f;
	char endpoint[300];
	struct hub_opts o = { endpoint, 1000, NULL, NULL, 1, NULL, 0 };
	struct hub_store *hs;
	struct hub *hub;
	struct err e;
	uint8_t hub_pk[32];
	uint64_t groups, batches;
	int go[2], up[2], status;
	char c;
	sqlite3 *db;
	pid_t pid;

	(void)state;
	fleet_setup();
	snprintf(endpoint, sizeof endpoint, "ipc://%s/hub.sock", dir);
	fleet_store(&f, hub_pk);
	fleet_messages(&f);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(up), 0);
	if ((pid = fork()) == 0) {
		/* the hub: listens, then serves once every station has sent */
		hs = store_sqlite(&db, dbfile);
		workers_open(&o, dbfile);
		if (hub_open(hs, &o, &hub, &e) != E_OK)
			_exit(3);
		if (write(up[1], "u", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(3);
		setenv("OUTPOST_CRASH", "before_commit", 1);
		for (;;)
			hub_poll(hub, 1000, &e);
	}
	assert_true(pid > 0);
	assert_int_equal(read(up[0], &c, 1), 1);
	fleet_send(&f, endpoint, hub_pk);
	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(go[0]);
	close(go[1]);
	close(up[0]);
	close(up[1]);

	/* nothing of the group stayed */
	hs = store_sqlite(&db, dbfile);
	assert_int_equal(count(db, "SELECT count(*) FROM records"), 0);
	fleet_close(&f, 0);
	/* the stations, unanswered, send again (on new connections) */
	o.listen = "tcp://127.0.0.1:*";
	workers_open(&o, dbfile);
	assert_int_equal(hub_open(hs, &o, &hub, &e), E_OK);
	fleet_send(&f, hub_endpoint(hub), hub_pk);
	while (hub_answered(hub) < NSTA)
		assert_int_equal(hub_poll(hub, 1000, &e), E_OK);
	fleet_acked(&f);
	hub_groups(hub, &groups, &batches);
	assert_int_equal(batches, NSTA);
	assert_int_equal(count(db, "SELECT count(*) FROM records"), NSTA * PER);
	assert_int_equal(count(db, "SELECT count(*) FROM (SELECT 1 FROM records GROUP BY"
	    " station_id, seq)"), NSTA * PER);
	assert_int_equal(count(db, "SELECT count(*) FROM conflicts"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM stations WHERE hw = 6 AND held = 6"),
	    NSTA);
	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	hub_close(hub);
	workers_close();
	fleet_close(&f, 1);
	hubstore_close(hs);
	sqlite3_close(db);
	fleet_setup();
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_middle_batch_fails),
		cmocka_unit_test(t_group_equals_one_by_one),
		cmocka_unit_test_setup(t_serve_forms_groups, without_workers),
		cmocka_unit_test_setup(t_serve_term_in_group, without_workers),
		cmocka_unit_test_setup(t_serve_killed_in_group, without_workers),
		cmocka_unit_test_setup(t_serve_forms_groups, with_workers),
		cmocka_unit_test_setup(t_serve_term_in_group, with_workers),
		cmocka_unit_test_setup(t_serve_killed_in_group, with_workers),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
