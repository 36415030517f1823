/* test-hub-export.c — the hub's export cursor across page boundaries: every row once, in
 * station-name then seq order, bodies intact, with pages of 1, 7, 30 and 210 rows and the
 * default; pages that end on a station's end and on a day (a PostgreSQL partition)
 * boundary, a gap in a station's seq longer than a page, a station with no records, and
 * stations whose ids are not in name order. And that the work per page does not grow with
 * the rows already given (an OFFSET page, or a plan that reads a station's remaining rows
 * every page, is quadratic): on SQLite the page statement's VM steps and full-scan steps,
 * on PostgreSQL the tuples its partitions were read for (pg_stat_user_tables). And that
 * a cursor closed halfway (on PostgreSQL with the next page asked for) leaves the store
 * usable. And that the cursor read ahead on a second thread (hub/export-ahead.h) gives
 * the same rows and records as the cursor read in line, with the bodies read on either
 * thread; that a cursor's error mid-export comes through after every row before it, at
 * every batch boundary; and that closing it early stops the thread.
 * With OUTPOST_TEST_PG set (tests/e2e/pg-store.sh) it runs on a PostgreSQL store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sodium.h>

#include "base/utf8.h"
#include "crypto/vault.h"
#include "hub/export-ahead.h"
#include "hub/store-impl.h"
#include "hub/store-sqlite.h"
#include "hub/store.h"
#include "storage/export.h"

#define T0 1780000000000LL	/* 2026-05-28 */
#define DAY 86400000LL
#define NA 1500			/* station a: seq 1..NA but the gap below */
#define GAP_FROM 301		/* a's seq GAP_FROM..GAP_TO are not held (longer than a page) */
#define GAP_TO 450
#define HOLE 777		/* and neither is this one */
#define NB 210			/* station b: 1..NB, a new day every 7 */

static const char *pg;		/* OUTPOST_TEST_PG */
static sqlite3 *db;
static struct hub_store *hs;
static struct hub_station sa, sb, sc;
static int held;		/* rows the export must give */

static int
held_a(uint64_t seq)
{
	return !(seq >= GAP_FROM && seq <= GAP_TO) && seq != HOLE;
}

/* The body of (station, seq): each one different, so a row given twice or swapped shows. */
static void
body_of(const char *station, uint64_t seq, char *buf, size_t n)
{
	snprintf(buf, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%llu,\"tz\":480,"
	    "\"operator\":\"op\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{\"value\":36.5,"
	    "\"method\":\"forehead\",\"person\":\"%s-%llu\",\"recheck_of\":0,\"disposition\":"
	    "\"pass\",\"fever\":0,\"recheck_due\":0}}", (unsigned long long)seq, station,
	    (unsigned long long)seq);
}

/* a's records go back and forth over six days (seq order is not day order); b's change
 * day every 7 records, so a page of 7 ends on a day boundary each time. */
static int64_t
created_of(const char *station, uint64_t seq)
{
	if (station[0] == 'a')
		return T0 + (int64_t)(seq % 6) * DAY + (int64_t)seq * 1000;
	return T0 + (int64_t)((seq - 1) / 7) * DAY / 4 + (int64_t)seq * 1000;
}

static void
add_station(const char *name, const char *uid, struct hub_station *st)
{
	uint8_t epk[32], cpk[32], spk[32];
	struct err e = { 0 };
	uint64_t id;

	randombytes_buf(epk, 32);
	randombytes_buf(cpk, 32);
	randombytes_buf(spk, 32);
	assert_int_equal(hubstore_station_add(hs, name, epk, T0, &id, &e), E_OK);
	assert_int_equal(hubstore_enroll_complete(hs, epk, cpk, spk, uid, T0, st, &e), E_OK);
}

static void
ingest(const struct hub_station *st, const char *name, uint64_t n, int (*keep)(uint64_t))
{
	static char bodies[500][400];
	struct wire_record r[500];
	struct hub_ingest res;
	struct err e = { 0 };
	uint64_t seq = 1;
	size_t k;

	while (seq <= n) {
		memset(r, 0, sizeof r);
		for (k = 0; k < 500 && seq <= n; seq++) {
			if (keep != NULL && !keep(seq))
				continue;
			body_of(name, seq, bodies[k], sizeof bodies[k]);
			r[k].seq = seq;
			snprintf(r[k].kind, sizeof r[k].kind, "temp");
			r[k].created_ms = created_of(name, seq);
			r[k].body = bodies[k];
			r[k].body_len = strlen(bodies[k]);
			k++;
		}
		if (k == 0)
			continue;
		if (hubstore_ingest(hs, st, r, k, T0 + 10 * DAY, &res, &e) != E_OK)
			fail_msg("ingest: %s", e.msg);
		assert_int_equal(res.inserted, k);
		free(res.conflicts);
		held += (int)k;
	}
}

static int
store_open(int fresh)
{
	struct hubstore_params p = { 0 };
	struct err e = { 0 };

	if (pg == NULL)
		return hubstore_sqlite_wrap(db, &hs, &e);
	if (fresh)
		hubstore_destroy(pg, &e);
	p.address = pg;
	p.secret = "test";
	p.secret_len = 4;
	p.create = fresh;
	p.kdf = VAULT_KDF_TEST_CHEAP;
	if (hubstore_open(&p, &hs, &e) != E_OK)
		fail_msg("open: %s", e.msg);
	if (fresh && hubstore_keys_create(hs, &e) != E_OK)
		fail_msg("keys: %s", e.msg);
	return E_OK;
}

static int
setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	pg = getenv("OUTPOST_TEST_PG");
	if (pg == NULL && sqlite3_open(":memory:", &db) != SQLITE_OK)
		return -1;
	if (store_open(1) != E_OK)
		return -1;
	/* added out of name order: ids 1, 2, 3 are b, c, a */
	add_station("b", "000000000000000000000000000000bb", &sb);
	add_station("c", "000000000000000000000000000000cc", &sc);
	add_station("a", "000000000000000000000000000000aa", &sa);
	ingest(&sb, "b", NB, NULL);
	ingest(&sa, "a", NA, held_a);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	hubstore_close(hs);
	if (db != NULL)
		sqlite3_close(db);
	return 0;
}

/* The page statement's counters on SQLite (before the cursor is closed). */
static sqlite3_stmt *
page_stmt(void)
{
	sqlite3_stmt *st = NULL;

	while ((st = sqlite3_next_stmt(hubstore_sqlite_db(hs), st)) != NULL)
		if (strncmp(sqlite3_sql(st), "SELECT seq, kind,", 17) == 0)
			return st;
	return NULL;
}

/* Exports everything with pages of page rows (0: the default) and checks every row;
 * *vm gets the SQLite page statement's VM steps (0 on PostgreSQL). */
static void
export_all(unsigned page, long long *vm)
{
	struct hub_export *x;
	const struct hub_export_row *row;
	struct err e = { 0 };
	char want[400];
	uint64_t next = 1;
	const char *at = "a";
	sqlite3_stmt *st;
	int rc, n = 0;

	assert_int_equal(hubstore_export_open(hs, NULL, &x, &e), E_OK);
	if (page > 0)
		hubstore_export_set_page(x, page);
	while ((rc = hubstore_export_next(x, &row, &e)) == 1) {
		/* the next row held: a's, then b's; c has none */
		while (at[0] == 'a' && (next > NA || !held_a(next))) {
			if (next > NA) {
				at = "b";
				next = 1;
			} else
				next++;
		}
		if (at[0] == 'b' && next > NB)
			fail_msg("page %u: a row after the last: %s %llu", page, row->station,
			    (unsigned long long)row->seq);
		if (strcmp(row->station, at) != 0 || row->seq != next)
			fail_msg("page %u: row %d is %s %llu, not %s %llu", page, n, row->station,
			    (unsigned long long)row->seq, at, (unsigned long long)next);
		body_of(at, next, want, sizeof want);
		assert_string_equal(row->body, want);
		assert_int_equal(row->body_len, strlen(want));
		assert_string_equal(row->kind, "temp");
		assert_int_equal(row->created_ms, created_of(at, next));
		assert_string_equal(row->station_uid, at[0] == 'a' ?
		    "000000000000000000000000000000aa" : "000000000000000000000000000000bb");
		next++;
		n++;
	}
	if (rc != 0)
		fail_msg("page %u: %s", page, e.msg);
	assert_int_equal(n, held);
	*vm = 0;
	if (pg == NULL) {
		assert_non_null(st = page_stmt());
		*vm = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
		/* the page is read through the primary key, never a scan */
		assert_int_equal(sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0), 0);
	}
	hubstore_export_close(x);
}

static void
test_pages(void **state)
{
	static const unsigned pages[] = { 1, 7, 30, NB, 0 };
	long long vm;
	size_t i;

	(void)state;
	assert_int_equal(held, NA - (GAP_TO - GAP_FROM + 1) - 1 + NB);
	for (i = 0; i < sizeof pages / sizeof pages[0]; i++)
		export_all(pages[i], &vm);
}

static void
test_one_station(void **state)
{
	struct hub_export *x;
	const struct hub_export_row *row;
	struct err e = { 0 };
	uint64_t last = 0;
	int rc, n = 0;

	(void)state;
	assert_int_equal(hubstore_export_open(hs, "b", &x, &e), E_OK);
	hubstore_export_set_page(x, 7);
	while ((rc = hubstore_export_next(x, &row, &e)) == 1) {
		assert_string_equal(row->station, "b");
		assert_int_equal(row->seq, last + 1);
		last = row->seq;
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, NB);
	hubstore_export_close(x);
	assert_int_equal(hubstore_export_open(hs, "c", &x, &e), E_OK);
	assert_int_equal(hubstore_export_next(x, &row, &e), 0);
	hubstore_export_close(x);
	assert_int_equal(hubstore_export_open(hs, "nowhere", &x, &e), E_INVALID);
	/* closed halfway (on PostgreSQL with the next page asked for): the store goes on */
	assert_int_equal(hubstore_export_open(hs, "a", &x, &e), E_OK);
	hubstore_export_set_page(x, 7);
	for (n = 0; n < 10; n++)
		assert_int_equal(hubstore_export_next(x, &row, &e), 1);
	assert_int_equal(row->seq, 10);
	hubstore_export_close(x);
	assert_int_equal(hubstore_export_open(hs, "b", &x, &e), E_OK);
	assert_int_equal(hubstore_export_next(x, &row, &e), 1);
	assert_int_equal(row->seq, 1);
	hubstore_export_close(x);
	assert_int_equal(hubstore_verify(hs, &e), E_OK);
}

/* ---- the work per page ---- */

/* PostgreSQL: one figure over the records partitions, once no other session is left (a
 * session's counts reach the statistics when it ends). */
static long long
pg_stat(PGconn *c, const char *what)
{
	char sql[512];
	PGresult *r;
	long long v;
	int i;

	for (i = 0;; i++) {
		r = PQexec(c, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
		    "current_database() AND pid <> pg_backend_pid() AND backend_type = "
		    "'client backend'");
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		v = atoll(PQgetvalue(r, 0, 0));
		PQclear(r);
		if (v == 0)
			break;
		if (i > 600)
			fail_msg("another session is still open");
		usleep(50000);
	}
	snprintf(sql, sizeof sql, "SELECT coalesce(sum(%s), 0) FROM pg_stat_user_tables WHERE "
	    "schemaname = 'outpost_hub' AND relname LIKE 'records\\_%%'", what);
	r = PQexec(c, sql);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/* Waits until the figure reaches at least min (the statistics of a session that ended
 * come in a moment after it), then gives it. */
static long long
pg_stat_at_least(PGconn *c, const char *what, long long min)
{
	long long v;
	int i;

	for (i = 0; (v = pg_stat(c, what)) < min; i++) {
		if (i > 600)
			fail_msg("%s stays at %lld, below %lld", what, v, min);
		usleep(50000);
	}
	return v;
}

#define READS "coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)"

static void
test_linear(void **state)
{
	long long vm7, vm30, before, after;
	PGconn *c;

	(void)state;
	if (pg == NULL) {
		/* VM steps per row the same at pages of 7 and 30 rows within a small margin,
		 * where an OFFSET page would cost some hundred times more at 7 */
		export_all(7, &vm7);
		export_all(30, &vm30);
		print_message("# SQLite page statement: %lld VM steps at pages of 7, %lld at 30, "
		    "for %d rows\n", vm7, vm30, held);
		assert_true(vm7 < 40LL * held);
		assert_true(vm7 < 3 * vm30);
		return;
	}
	hubstore_close(hs);	/* its session's counts reach the statistics */
	hs = NULL;
	c = PQconnectdb(pg);	/* the test's own session beside the store's */
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	pg_stat_at_least(c, "n_tup_ins", held);
	before = pg_stat(c, READS);
	assert_int_equal(store_open(0), E_OK);
	export_all(7, &vm7);
	hubstore_close(hs);
	hs = NULL;
	/* every row is read once at least; a page that read the station's rows left (or
	 * scanned the partitions) would read ~70 times as many at this size */
	after = pg_stat_at_least(c, READS, before + held);
	print_message("# PostgreSQL: %lld tuples read for %d rows in pages of 7\n",
	    after - before, held);
	assert_true(after - before <= 3LL * held);
	PQfinish(c);
	assert_int_equal(store_open(0), E_OK);
}


/* ---- read ahead on a second thread ---- */

/* What the cursor read in line gives: every row, its body and its body read. */
struct want_row {
	char station[8], uid[40], kind[16];
	uint64_t seq;
	int64_t created_ms, received_ms;
	int clock_flag, body_json, purged, decoded;
	char *body;
	struct record rec;
};

static struct want_row *
want_rows(size_t *n)
{
	struct want_row *w = calloc((size_t)held, sizeof *w);
	struct hub_export *x;
	const struct hub_export_row *row;
	struct err e = { 0 };
	size_t k = 0;
	int rc;

	assert_non_null(w);
	assert_int_equal(hubstore_export_open(hs, NULL, &x, &e), E_OK);
	while ((rc = hubstore_export_next(x, &row, &e)) == 1) {
		assert_true(k < (size_t)held);
		snprintf(w[k].station, sizeof w[k].station, "%s", row->station);
		snprintf(w[k].uid, sizeof w[k].uid, "%s", row->station_uid);
		snprintf(w[k].kind, sizeof w[k].kind, "%s", row->kind);
		w[k].seq = row->seq;
		w[k].created_ms = row->created_ms;
		w[k].received_ms = row->received_ms;
		w[k].clock_flag = row->clock_flag;
		w[k].body_json = row->body_json;
		w[k].purged = row->purged;
		assert_non_null(w[k].body = strdup(row->body));
		memset(&w[k].rec, 0, sizeof w[k].rec);
		w[k].decoded = export_record_from_body(row->kind, row->body, &w[k].rec) == 0 ? 1 : -1;
		w[k].rec.seq = (int64_t)row->seq;
		w[k].rec.created_ms = row->created_ms;
		k++;
	}
	assert_int_equal(rc, 0);
	hubstore_export_close(x);
	*n = k;
	return w;
}

static void
test_ahead_same(void **state)
{
	static const int modes[] = {
		0, EXPORT_AHEAD_INLINE, EXPORT_AHEAD_DECODE,
		EXPORT_AHEAD_DECODE | EXPORT_AHEAD_DECODE_AHEAD,
		EXPORT_AHEAD_DECODE | EXPORT_AHEAD_DECODE_CALLER,
		EXPORT_AHEAD_DECODE | EXPORT_AHEAD_INLINE,
		EXPORT_AHEAD_DECODE | EXPORT_AHEAD_INLINE | EXPORT_AHEAD_DECODE_CALLER,
	};
	static const unsigned pages[] = { 7, 0 };
	const struct export_item *it;
	struct export_ahead *a;
	struct hub_export *x;
	struct want_row *w;
	struct err e = { 0 };
	size_t n, k, m, p;
	int rc;

	(void)state;
	w = want_rows(&n);
	assert_int_equal(n, held);
	for (m = 0; m < sizeof modes / sizeof modes[0]; m++)
		for (p = 0; p < sizeof pages / sizeof pages[0]; p++) {
			assert_int_equal(hubstore_export_open(hs, NULL, &x, &e), E_OK);
			if (pages[p] > 0)
				hubstore_export_set_page(x, pages[p]);
			assert_int_equal(export_ahead_open(x, modes[m], &a, &e), E_OK);
			for (k = 0; (rc = export_ahead_next(a, &it, &e)) == 1; k++) {
				if (k >= n)
					fail_msg("mode %#x: more rows than in line", modes[m]);
				assert_string_equal(it->row.station, w[k].station);
				assert_string_equal(it->row.station_uid, w[k].uid);
				assert_string_equal(it->row.kind, w[k].kind);
				assert_int_equal(it->row.seq, w[k].seq);
				assert_int_equal(it->row.created_ms, w[k].created_ms);
				assert_int_equal(it->row.received_ms, w[k].received_ms);
				assert_int_equal(it->row.clock_flag, w[k].clock_flag);
				assert_int_equal(it->row.body_json, w[k].body_json);
				assert_int_equal(it->row.purged, w[k].purged);
				if (modes[m] & EXPORT_AHEAD_DECODE) {
					assert_int_equal(it->decoded, w[k].decoded);
					assert_null(it->row.body);
					if (memcmp(&it->rec, &w[k].rec, sizeof it->rec) != 0)
						fail_msg("mode %#x row %zu: the record differs", modes[m], k);
				} else {
					assert_int_equal(it->decoded, 0);
					assert_string_equal(it->row.body, w[k].body);
					assert_int_equal(it->row.body_len, strlen(w[k].body));
				}
			}
			if (rc != 0)
				fail_msg("mode %#x: %s", modes[m], e.msg);
			assert_int_equal(k, n);
			/* asked again at the end: still the end */
			assert_int_equal(export_ahead_next(a, &it, &e), 0);
			export_ahead_close(a);
			hubstore_export_close(x);
		}
	for (k = 0; k < n; k++)
		free(w[k].body);
	free(w);
}

/* A cursor of its own: gives rows 1..fail_at-1, then fails (or, fail_at 0, never ends). */
struct fake_export {
	struct hub_export base;
	uint64_t at, fail_at;
	char body[64];
	struct hub_export_row row;
};

static int
fake_next(struct hub_export *hc, const struct hub_export_row **row, struct err *e)
{
	struct fake_export *f = (struct fake_export *)hc;

	f->at++;
	if (f->fail_at != 0 && f->at >= f->fail_at)
		return err_set(e, E_DAMAGED, "damaged: page %llu", (unsigned long long)f->at),
		    -1;
	snprintf(f->body, sizeof f->body, "{\"n\":%llu}", (unsigned long long)f->at);
	f->row.station = "fake";
	f->row.station_uid = "00";
	f->row.kind = "temp";
	f->row.seq = f->at;
	f->row.body = f->body;
	f->row.body_len = strlen(f->body);
	f->row.body_json = 1;
	*row = &f->row;
	return 1;
}

static const struct hubstore_ops fake_ops = { .name = "fake", .export_next = fake_next };

static void
test_ahead_error(void **state)
{
	/* batches are 256 rows: an error before the first row, inside one, on either side
	 * of a boundary, after the ring went round */
	static const uint64_t fails[] = { 1, 2, 256, 257, 258, 1025, 2000 };
	static const int modes[] = { 0, EXPORT_AHEAD_INLINE, EXPORT_AHEAD_DECODE };
	struct hub_store fs = { &fake_ops };
	const struct export_item *it;
	struct export_ahead *a;
	struct fake_export f;
	struct err e;
	size_t i, m;
	uint64_t k;
	int rc;

	(void)state;
	for (m = 0; m < sizeof modes / sizeof modes[0]; m++)
		for (i = 0; i < sizeof fails / sizeof fails[0]; i++) {
			memset(&f, 0, sizeof f);
			f.base.store = &fs;
			f.fail_at = fails[i];
			err_clear(&e);
			assert_int_equal(export_ahead_open(&f.base, modes[m], &a, &e), E_OK);
			for (k = 1; (rc = export_ahead_next(a, &it, &e)) == 1; k++)
				assert_int_equal(it->row.seq, k);
			assert_int_equal(rc, -1);
			assert_int_equal(k, fails[i]);	/* every row before the error */
			assert_int_equal(e.code, E_DAMAGED);
			assert_int_equal(strtoull(e.msg + strlen("damaged: page "), NULL, 10), fails[i]);
			export_ahead_close(a);
		}
	/* closed early, on a cursor that never ends: the thread stops (else this hangs) */
	for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		memset(&f, 0, sizeof f);
		f.base.store = &fs;
		assert_int_equal(export_ahead_open(&f.base, modes[m], &a, &e), E_OK);
		for (k = 1; k <= 3; k++) {
			assert_int_equal(export_ahead_next(a, &it, &e), 1);
			assert_int_equal(it->row.seq, k);
		}
		export_ahead_close(a);
		/* the thread filled at most the ring before it stopped */
		assert_true(f.at <= 4 * 256 + 1);
	}
	export_ahead_close(NULL);
}

/* The body decoder copies a string's plain ASCII runs whole (storage/body.c's table of
 * plain bytes), the CSV writer scans a field's plain run by a table too: each byte in a
 * name decodes to itself exactly when it is printable ASCII but the quote and the
 * backslash, and such a name is written as it is. */
static void
test_plain_bytes(void **state)
{
	char body[400], name[8];
	struct record r;
	int c, ok, plain;

	(void)state;
	for (c = 1; c < 256; c++) {
		snprintf(name, sizeof name, "a%cb", c);
		body_of(name, 1, body, sizeof body);
		ok = export_record_from_body("temp", body, &r) == 0 &&
		    strcmp(r.u.temp.person, "a") != 0 &&
		    strncmp(r.u.temp.person, name, 3) == 0 && r.u.temp.person[3] == '-';
		plain = c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
		if (ok != plain)
			fail_msg("byte %#x in a name: %s", c, ok ? "read as itself" : "not read as itself");
	}
}

/* What the body decoder gives for body (value and shift spelled as spell) against
 * the C library's reading of spell: equal, or both refused. The library's reading is
 * what the parser would do with strtod/strtoll's result: a value must start as a JSON
 * number, lie in (-1e9, 1e9), and be followed by what the body has next. */
static void
body_check(const char *body, const char *spell, struct record *r)
{
	const char *vs = strstr(body, "\"value\":") + 8, *ss = strstr(body, "\"shift\":") + 8;
	char *end;
	double d;
	long long v;
	int want_ok = 1, got, want_value = 0;
	int64_t want_shift;

	memset(r, 0, sizeof *r);
	got = export_record_from_body("temp", body, r);
	if (*vs != '-' && (*vs < '0' || *vs > '9'))
		want_ok = 0;
	d = strtod(vs, &end);
	end += strspn(end, " \t\n\r");	/* JSON's spaces, before what comes next */
	if (end == vs || !(d > -1e9 && d < 1e9) || *end != ',')
		want_ok = 0;
	else if (d * 10 + (d < 0 ? -0.5 : 0.5) >= 2147483647.0)
		want_value = 2147483647;	/* saturated, past an int's tenths */
	else if (d * 10 + (d < 0 ? -0.5 : 0.5) <= -2147483648.0)
		want_value = -2147483647 - 1;
	else
		want_value = (int)(d * 10 + (d < 0 ? -0.5 : 0.5));
	want_shift = v = strtoll(ss, &end, 10);
	if (end != ss)
		end += strspn(end, " \t\n\r");
	if (end == ss || *end != ',')
		want_ok = 0;
	if (got != (want_ok ? 0 : -1))
		fail_msg("'%s': decoded %d, the C library's reading %s", spell, got,
		    want_ok ? "takes it" : "refuses it");
	if (want_ok && (r->u.temp.value != want_value || r->shift != want_shift))
		fail_msg("'%s': value %d shift %lld, the C library's %d and %lld", spell,
		    r->u.temp.value, (long long)r->shift, want_value, v);
}

/* A temp body with value and shift spelled as given. */
static void
body_nums(const char *value, const char *shift, char *buf, size_t n)
{
	snprintf(buf, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":1,\"tz\":480,"
	    "\"operator\":\"op\",\"shift\":%s,\"reason\":\"\",\"alert\":\"\",\"data\":{"
	    "\"value\":%s,\"method\":\"forehead\"}}", shift, value);
}

/* The body decoder reads the numbers bodies hold ("36.5", "12", "-3") itself and hands
 * the rest to strtod and strtoll: every spelling decodes as the C library reads it
 * (value: tenths rounded from strtod's double; shift: strtoll's), or fails where
 * the library's reading fails the body. */
static void
test_body_numbers(void **state)
{
	static const char *const odd[] = { "0", "-0", "00", "007", "-0.0", "0.5", "-0.5",
		"1.", "1.55", "36.45", "36.5e0", "3.65e1", "365E-1", "0x1A", "0x1p3", "-",
		"+5", "1e9", "214748364.7", "214748364.8", "-214748364.8", "-214748364.9",
		"999999999", "999999999.9", "-999999999.9", "1000000000",
		"9999999999", "12345678.95", "36.50", ".5", "1.2.3", "36.5x", "1e", "1e+",
		"123456789012345678", "-123456789012345678", "1234567890123456789",
		"-9223372036854775808", "9223372036854775807", "99999999999999999999",
		"\v5", "\f5", "5 ", "nan", "inf" };
	char body[512], spell[32];
	struct record r;
	long i, j;
	size_t k;

	(void)state;
	for (i = -2000; i <= 2000; i++)
		for (j = 0; j < 3; j++) {
			/* tenths, whole numbers, and hundredths (strtod's path) */
			if (j == 0)
				snprintf(spell, sizeof spell, "%s%ld.%ld", i < 0 ? "-" : "",
				    labs(i) / 10, labs(i) % 10);
			else if (j == 1)
				snprintf(spell, sizeof spell, "%ld", i * 7919);
			else
				snprintf(spell, sizeof spell, "%s%ld.%02ld", i < 0 ? "-" : "",
				    labs(i) / 100, labs(i) % 100);
			body_nums(spell, spell, body, sizeof body);
			body_check(body, spell, &r);
		}
	for (k = 0; k < sizeof odd / sizeof odd[0]; k++) {
		body_nums(odd[k], "1", body, sizeof body);
		body_check(body, odd[k], &r);
		body_nums("36.5", odd[k], body, sizeof body);
		body_check(body, odd[k], &r);
	}
}

/* Keys the decoder compares where they stand (the next field in the table's order) or
 * copies at once (plain ASCII) read as any other spelling of them does: escaped, out of
 * order, with spaces, '-' for '_', among unknown keys; a key that only starts like a
 * field's name is not that field; a key too long for the decoder fails the body. */
static void
test_body_keys(void **state)
{
	static const char *const same[] = {
		"{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":5,\"tz\":480,\"operator\":\"op\","
		    "\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{\"value\":36.5,\"method\":"
		    "\"forehead\",\"person\":\"st-5\",\"recheck_of\":0,\"disposition\":\"pass\","
		    "\"fever\":0,\"recheck_due\":0}}",
		"{\"\\u0076\":1,\"action\":\"add\",\"ref\":0,\"root\":5,\"tz\":480,\"op\\u0065rator\":"
		    "\"op\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":{\"val\\u0075e\":36.5,"
		    "\"method\":\"forehead\",\"per\\u0073on\":\"st-5\",\"recheck_of\":0,"
		    "\"disposition\":\"pass\",\"fever\":0,\"recheck_due\":0}}",
		"{ \"v\" : 1 , \"zz\":{\"a\":[1,{\"b\":\"c\"}]}, \"action\":\"add\",\"ref\":0,"
		    "\"root\":5,\"tz\":480,\"operator\":\"op\",\"shift\":1,\"reason\":\"\","
		    "\"alert\":\"\",\"data\":{ \"method\" :\"forehead\",\"value\":36.5,\"person\":"
		    "\"st-5\",\"zz\":\"x\", \"recheck-of\":0,\"disposition\":\"pass\",\"fever\":0,"
		    "\"recheck_due\":0 } }",
		"{\"data\":{\"recheck_due\":0,\"fever\":0,\"disposition\":\"pass\",\"recheck_of\":0,"
		    "\"person\":\"st-5\",\"method\":\"forehead\",\"value\":36.5},\"alert\":\"\","
		    "\"reason\":\"\",\"shift\":1,\"operator\":\"op\",\"tz\":480,\"root\":5,\"ref\":0,"
		    "\"action\":\"add\",\"v\":1}",
	};
	char body[1024], want[400];
	struct record a, b;
	size_t i;

	(void)state;
	body_of("st", 5, want, sizeof want);
	assert_string_equal(want, same[0]);
	memset(&a, 0, sizeof a);
	assert_int_equal(export_record_from_body("temp", want, &a), 0);
	assert_int_equal(a.u.temp.value, 365);
	assert_string_equal(a.u.temp.person, "st-5");
	assert_string_equal(a.operator_name, "op");
	for (i = 1; i < sizeof same / sizeof same[0]; i++) {
		memset(&b, 0, sizeof b);
		if (export_record_from_body("temp", same[i], &b) != 0)
			fail_msg("spelling %zu does not decode", i);
		if (memcmp(&a, &b, sizeof a) != 0)
			fail_msg("spelling %zu decodes to another record", i);
	}
	/* "valu" and "values" are not "value" (skipped as unknown keys) */
	snprintf(body, sizeof body, "%s", want);
	memcpy(strstr(body, "\"value\":"), "\"valu\": ", 8);
	assert_int_equal(export_record_from_body("temp", body, &b), 0);
	assert_int_equal(b.u.temp.value, 0);
	assert_string_equal(b.u.temp.person, "st-5");
	snprintf(body, sizeof body, "%.*s\"values\":1,%s", (int)(strstr(want, "\"value\"") -
	    want), want, strstr(want, "\"value\""));
	assert_int_equal(export_record_from_body("temp", body, &b), 0);
	assert_int_equal(b.u.temp.value, 365);
	/* a key of 64 bytes, in the envelope and in the data */
	snprintf(body, sizeof body, "{\"%064d\":1,%s", 0, want + 1);
	assert_int_equal(export_record_from_body("temp", body, &b), -1);
	snprintf(body, sizeof body, "%.*s\"%064d\":1,%s", (int)(strstr(want, "\"value\"") -
	    want), want, 0, strstr(want, "\"value\""));
	assert_int_equal(export_record_from_body("temp", body, &b), -1);
	snprintf(body, sizeof body, "{\"%030d\":1,%s", 0, want + 1);	/* 30: fits */
	assert_int_equal(export_record_from_body("temp", body, &b), 0);
}

/* Characters in a string are copied a run at a time (utf8_seq): a name of 'a', four
 * bytes, 'b' decodes, and as itself, exactly when those bytes are strict UTF-8. */
static void
test_body_chars(void **state)
{
	static const unsigned char tails[][2] = { { 0x80, 0x80 }, { 'x', 'x' }, { 0x80, 'x' },
		{ 0xbf, 0x80 } };
	char body[400], name[8];
	unsigned lead, second;
	struct record r;
	size_t t;
	int ok, valid;

	(void)state;
	for (lead = 0x80; lead < 0x100; lead++)
		for (second = 1; second < 0x100; second++)
			for (t = 0; t < sizeof tails / sizeof tails[0]; t++) {
				name[0] = 'a';
				name[1] = (char)lead;
				name[2] = (char)second;
				name[3] = (char)tails[t][0];
				name[4] = (char)tails[t][1];
				name[5] = 'b';
				name[6] = '\0';
				body_of(name, 1, body, sizeof body);
				valid = utf8_valid(name, 6) && second != '"' && second != '\\';
				ok = export_record_from_body("temp", body, &r) == 0 &&
				    strncmp(r.u.temp.person, name, 6) == 0 &&
				    r.u.temp.person[6] == '-';
				if (ok != valid)
					fail_msg("%02x %02x %02x %02x in a name: %s", lead, second,
					    tails[t][0], tails[t][1], ok ? "read" : "not read");
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_one_station),
		cmocka_unit_test(test_linear),
		cmocka_unit_test(test_ahead_same),
		cmocka_unit_test(test_ahead_error),
		cmocka_unit_test(test_plain_bytes),
		cmocka_unit_test(test_body_numbers),
		cmocka_unit_test(test_body_keys),
		cmocka_unit_test(test_body_chars),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
