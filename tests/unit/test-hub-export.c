/* test-hub-export.c — the hub's export cursor across page boundaries: every row once, in
 * station-name then seq order, bodies intact, with pages of 1, 7, 30 and 210 rows and the
 * default; pages that end on a station's end and on a day (a PostgreSQL partition)
 * boundary, a gap in a station's seq longer than a page, a station with no records, and
 * stations whose ids are not in name order. And that the work per page does not grow with
 * the rows already given (an OFFSET page, or a plan that reads a station's remaining rows
 * every page, is quadratic): on SQLite the page statement's VM steps and full-scan steps,
 * on PostgreSQL the tuples its partitions were read for (pg_stat_user_tables). And that
 * a cursor closed halfway (on PostgreSQL with the next page asked for) leaves the store
 * usable.
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

#include "crypto/vault.h"
#include "hub/store-sqlite.h"
#include "hub/store.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_one_station),
		cmocka_unit_test(test_linear),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
