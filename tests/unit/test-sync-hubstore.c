/* test-sync-hubstore.c — the hub store's schema versions: a store made with the first
 * schema (its text kept here) migrates and keeps its records, a newer store is refused;
 * and the district report counts each record's latest version, deletions left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sync/hubreport.h"
#include "sync/hubstore.h"

/* The hub store's schema as first shipped (version 1, or 0 before versioning). */
static const char schema_v1[] =
	"CREATE TABLE hub_meta(k TEXT PRIMARY KEY, v BLOB NOT NULL);"
	"CREATE TABLE stations("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" status INTEGER NOT NULL, uid TEXT UNIQUE, curve_pk BLOB UNIQUE, sign_pk BLOB,"
	" enroll_pk BLOB UNIQUE,"
	" enrolled_ms INTEGER, last_seen_ms INTEGER, hw INTEGER NOT NULL DEFAULT 0,"
	" skew_ms INTEGER);"
	"CREATE TABLE records("
	" station_id INTEGER NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
	" created_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL,"
	" clock_flag INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, hash BLOB NOT NULL,"
	" PRIMARY KEY(station_id, seq)) WITHOUT ROWID;"
	"CREATE INDEX records_received ON records(received_ms);"
	"CREATE TABLE conflicts("
	" id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" kind TEXT NOT NULL, created_ms INTEGER NOT NULL,"
	" received_ms INTEGER NOT NULL, body TEXT NOT NULL, hash BLOB NOT NULL,"
	" UNIQUE(station_id, seq, hash));"
	"CREATE TABLE items("
	" kind INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, extra TEXT NOT NULL,"
	" ver INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY(kind, key));";

#define T0 1780000000000LL

/* seq 1 fever, 2 fever, 3 no fever; 4 corrects 1 to no fever; 5 deletes 2. */
static const struct {
	int seq;
	const char *body;
} rows[] = {
	{ 1, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":1,\"data\":{\"fever\":1}}" },
	{ 2, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":2,\"data\":{\"fever\":1}}" },
	{ 3, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":3,\"data\":{\"fever\":0}}" },
	{ 4, "{\"v\":1,\"action\":\"correct\",\"ref\":1,\"root\":1,\"data\":{\"fever\":0}}" },
	{ 5, "{\"v\":1,\"action\":\"delete\",\"ref\":2,\"root\":2,\"data\":{\"fever\":1}}" },
};
#define NROWS (sizeof rows / sizeof rows[0])

static int
version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v;

	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
sum(const char *station, const char *kind, int64_t n, void *arg)
{
	(void)station;
	(void)kind;
	*(int64_t *)arg += n;
	return 0;
}

/* The report over the five rows: 2 live temps (1 corrected, 3), no fever left. */
static void
check_report(sqlite3 *db)
{
	int64_t n = 0, f = 0;
	struct err e;

	assert_int_equal(hubreport_kinds(db, T0, sum, &n, &e), E_OK);
	assert_int_equal(n, 2);
	assert_int_equal(hubreport_fevers(db, T0, sum, &f, &e), E_OK);
	assert_int_equal(f, 0);
}

static void
migrate_from_v1(void **state)
{
	for (int start = 0; start <= 1; start++) {
		sqlite3 *db;
		struct err e;
		char sql[512];
		size_t i;

		(void)state;
		assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, schema_v1, NULL, NULL, NULL), SQLITE_OK);
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d;"
		    "INSERT INTO stations(id, name, status) VALUES(1, 'gate1', 1)", start);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		for (i = 0; i < NROWS; i++) {
			snprintf(sql, sizeof sql, "INSERT INTO records VALUES(1, %d, 'temp', %lld, "
			    "%lld, 0, '%s', x'00')", rows[i].seq, T0 + rows[i].seq, T0 + 9,
			    rows[i].body);
			assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		}
		assert_int_equal(hubstore_init(db, &e), E_OK);
		assert_int_equal(version(db), HUBSTORE_SCHEMA_VERSION);
		check_report(db);
		assert_int_equal(hubstore_init(db, &e), E_OK);	/* again: nothing to do */
		assert_int_equal(version(db), HUBSTORE_SCHEMA_VERSION);
		sqlite3_close(db);
	}
}

static void
ingest_merges_versions(void **state)
{
	struct hub_station st;
	struct wire_record w[NROWS];
	struct hub_ingest res;
	uint8_t epk[32] = { 1 }, k[32] = { 2 };
	uint64_t id;
	sqlite3 *db;
	struct err e;
	size_t i;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(hubstore_init(db, &e), E_OK);
	assert_int_equal(version(db), HUBSTORE_SCHEMA_VERSION);
	assert_int_equal(hubstore_station_add(db, "gate1", epk, T0, &id, &e), E_OK);
	assert_int_equal(hubstore_enroll_complete(db, epk, k, k,
	    "00112233445566778899aabbccddeeff", T0, &st, &e), E_OK);
	memset(w, 0, sizeof w);
	for (i = 0; i < NROWS; i++) {
		w[i].seq = (uint64_t)rows[i].seq;
		strcpy(w[i].kind, "temp");
		w[i].created_ms = T0 + rows[i].seq;
		w[i].body = rows[i].body;
		w[i].body_len = strlen(rows[i].body);
	}
	assert_int_equal(hubstore_ingest(db, &st, w, NROWS, T0 + 9, &res, &e), E_OK);
	free(res.conflicts);
	assert_int_equal(res.inserted, NROWS);
	check_report(db);
	sqlite3_close(db);
}

static void
newer_store_refused(void **state)
{
	sqlite3 *db;
	struct err e;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(hubstore_init(db, &e), E_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(hubstore_init(db, &e), E_DAMAGED);
	assert_non_null(strstr(e.msg, "newer outpost-hub"));
	assert_int_equal(version(db), 99);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrate_from_v1),
		cmocka_unit_test(ingest_merges_versions),
		cmocka_unit_test(newer_store_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
