/* test-hub-seq-once.c — one rule for a station's seq on both backends: a seq is held once,
 * as a record or put aside (quarantined: a record the decoder marked bad), whichever came
 * first; any later copy, good or bad, is a resend (a duplicate) if its hash is the held
 * copy's, else a conflict, kept once and raised each time; in a batch too. Through the
 * store interface, on SQLite, and on PostgreSQL too with OUTPOST_TEST_PG
 * (tests/e2e/pg-store.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/vault.h"
#include "hub/store-sqlite.h"
#include "hub/store.h"
#include "tests/unit/hub-open.h"

#define T0 1780000000000LL
#define NOW (T0 + 3600000LL)

static struct hub_store *hs;
static sqlite3 *db;
static struct hub_station st;

static void
temp_body(char *out, size_t n, uint64_t seq, const char *value)
{
	snprintf(out, n, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%llu,\"tz\":480,"
	    "\"operator\":\"op\",\"shift\":1,\"reason\":\"\",\"alert\":\"\",\"data\":"
	    "{\"value\":%s,\"method\":\"ear\",\"person\":\"p\",\"recheck_of\":0,"
	    "\"disposition\":\"isolated\",\"fever\":0,\"override_reason\":\"\"}}",
	    (unsigned long long)seq, value);
}

/* Ingests station st's record seq (body with value, put aside when bad) alone; res is
 * the result (caller frees res->conflicts). */
static void
send1(uint64_t seq, const char *value, int bad, struct hub_ingest *res)
{
	static char body[512];
	struct wire_record w;
	struct err e = { 0 };

	temp_body(body, sizeof body, seq, value);
	memset(&w, 0, sizeof w);
	w.seq = seq;
	snprintf(w.kind, sizeof w.kind, "temp");
	w.created_ms = T0 + (int64_t)seq * 1000;
	w.body = body;
	w.body_len = strlen(body);
	w.bad = bad;
	if (hubstore_ingest(hs, &st, &w, 1, NOW, res, &e) != E_OK)
		fail_msg("seq %llu: %s", (unsigned long long)seq, e.msg);
}

/* What one copy came to: new (held now), put aside (held now, quarantined), again (a
 * resend), or a conflict. */
enum { NEW, ASIDE, AGAIN, CONFLICT };

static void
expect(uint64_t seq, const char *value, int bad, int what)
{
	struct hub_ingest res;

	send1(seq, value, bad, &res);
	assert_int_equal(res.inserted, what == NEW);
	assert_int_equal(res.quarantined, what == ASIDE);
	assert_int_equal(res.duplicates, what == AGAIN);
	assert_int_equal(res.nconflicts, what == CONFLICT);
	if (what == CONFLICT)
		assert_int_equal(res.conflicts[0], seq);
	free(res.conflicts);
}

/* Station st's records from..to in one batch, all good, with the bodies expect gives
 * them for value "36.6": how many were new and how many again. */
static void
expect_batch(uint64_t from, uint64_t to, uint64_t fresh, uint64_t again)
{
	static char bodies[16][512];
	struct wire_record w[16];
	struct hub_ingest res;
	struct err e = { 0 };
	size_t n = 0;
	uint64_t seq;

	for (seq = from; seq <= to; seq++, n++) {
		assert_true(n < 16);
		temp_body(bodies[n], sizeof bodies[n], seq, "36.6");
		memset(&w[n], 0, sizeof w[n]);
		w[n].seq = seq;
		snprintf(w[n].kind, sizeof w[n].kind, "temp");
		w[n].created_ms = T0 + (int64_t)seq * 1000;
		w[n].body = bodies[n];
		w[n].body_len = strlen(bodies[n]);
	}
	if (hubstore_ingest(hs, &st, w, n, NOW, &res, &e) != E_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(res.inserted, fresh);
	assert_int_equal(res.duplicates, again);
	assert_int_equal(res.nconflicts, 0);
	assert_int_equal(res.quarantined, 0);
	free(res.conflicts);
}

static int
total_row(const struct hub_total *t, void *arg)
{
	int64_t *n = arg;

	if (strcmp(t->kind, "temp") == 0)
		*n += t->records;
	return 0;
}

static void
seq_once(void)
{
	struct hub_span all = HUB_SPAN_ALL;
	struct err e = { 0 };
	uint8_t epk[32], pk[32];
	uint64_t id;
	int64_t temps = 0;

	memset(epk, 3, sizeof epk);
	memset(pk, 4, sizeof pk);
	assert_int_equal(hubstore_station_add(hs, "gate", epk, T0, &id, &e), E_OK);
	if (hubstore_enroll_complete(hs, epk, pk, pk, "0000000000000000000000000000000b", T0,
	    &st, &e) != E_OK)
		fail_msg("%s", e.msg);
	/* put aside first: the same bytes again, good or not, are a resend; others conflict */
	expect(1, "36.6", 1, ASIDE);
	expect(1, "36.6", 0, AGAIN);
	expect(1, "36.6", 1, AGAIN);
	expect(1, "36.9", 0, CONFLICT);
	expect(1, "36.9", 0, CONFLICT);		/* the copy kept before: raised again */
	/* a record first: the same rule the other way round */
	expect(2, "36.6", 0, NEW);
	expect(2, "36.6", 1, AGAIN);
	expect(2, "37.0", 1, CONFLICT);
	expect(2, "36.6", 0, AGAIN);
	/* in a batch: seq 6, put aside, amid good copies (5 and 7 new); a batch past it */
	expect(6, "36.6", 1, ASIDE);
	expect_batch(5, 7, 2, 1);
	expect_batch(8, 9, 2, 0);
	/* each seq held once: two put aside, the others in the figures, two copies kept */
	assert_int_equal(hubstore_station_by_name(hs, "gate", &st, &e), E_OK);
	assert_int_equal(st.held, 7);
	assert_int_equal(st.hw, 2);
	assert_int_equal(st.max_seq, 9);
	assert_int_equal(st.quarantined, 2);
	assert_int_equal(st.conflicts, 2);
	assert_int_equal(hubstore_report_totals(hs, &all, total_row, &temps, &e), E_OK);
	assert_int_equal(temps, 5);
	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s", e.msg);
}

static void
on_sqlite(void **state)
{
	struct err e = { 0 };

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	if (hubstore_sqlite_wrap(db, &hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	seq_once();
}

static void
on_postgresql(void **state)
{
	const char *url = getenv("OUTPOST_TEST_PG");
	char recovery[VAULT_RECOVERY_LEN];
	struct err e = { 0 };

	(void)state;
	assert_non_null(url);	/* main runs this only with one */
	hubstore_destroy(url, &e);
	hs = hub_test_open(url, "test", 1, recovery);
	seq_once();
}

/* Whatever a test left open, passed or failed. */
static int
close_store(void **state)
{
	(void)state;
	hubstore_close(hs);
	hs = NULL;
	if (db != NULL)
		sqlite3_close(db);
	db = NULL;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(on_sqlite, close_store),
		cmocka_unit_test_teardown(on_postgresql, close_store),
	};
	const struct CMUnitTest sqlite_only[] = {
		cmocka_unit_test_teardown(on_sqlite, close_store),
	};

	if (sodium_init() < 0)
		return 1;
	/* Without a server (make test runs every unit binary) the SQLite half alone;
	 * tests/e2e/pg-store.sh runs both with one. */
	if (getenv("OUTPOST_TEST_PG") == NULL)
		return cmocka_run_group_tests(sqlite_only, NULL, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
