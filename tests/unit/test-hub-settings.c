/* test-hub-settings.c — the hub's resource settings reach SQLite: hub.cache_mib sets the
 * page cache (default 64 MiB), hub.wal_limit_mib the WAL's size limit (default 64 MiB),
 * when the store opens and when they are changed; a value out of range is ignored for the
 * default (the CLI refuses it before it is stored). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "hub/store-sqlite.h"
#include "hub/store.h"

static int64_t
pragma(sqlite3 *db, const char *name)
{
	char sql[64];
	sqlite3_stmt *st;
	int64_t v;

	snprintf(sql, sizeof sql, "PRAGMA %s", name);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
resources(void **state)
{
	struct hub_store *hs;
	struct err e;
	sqlite3 *db;
	char buf[16];
	int found;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(hubstore_sqlite_wrap(db, &hs, &e), E_OK);
	assert_int_equal(pragma(db, "cache_size"), -64 * 1024);
	assert_int_equal(pragma(db, "journal_size_limit"), 64LL << 20);
	assert_int_equal(hubstore_meta_set(hs, "hub.cache_mib", "16", &e), E_OK);
	assert_int_equal(hubstore_meta_set(hs, "hub.wal_limit_mib", "8", &e), E_OK);
	assert_int_equal(pragma(db, "cache_size"), -16 * 1024);
	assert_int_equal(pragma(db, "journal_size_limit"), 8LL << 20);
	hubstore_close(hs);
	/* at the next open too */
	assert_int_equal(sqlite3_exec(db, "PRAGMA cache_size = -2000", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(hubstore_sqlite_wrap(db, &hs, &e), E_OK);
	assert_int_equal(pragma(db, "cache_size"), -16 * 1024);
	assert_int_equal(hubstore_meta_get(hs, "hub.cache_mib", buf, sizeof buf, &found, &e),
	    E_OK);
	assert_true(found);
	assert_string_equal(buf, "16");
	/* out of range in the store: the default */
	assert_int_equal(hubstore_meta_set(hs, "hub.cache_mib", "1", &e), E_OK);
	assert_int_equal(pragma(db, "cache_size"), -64 * 1024);
	/* unset: the default */
	assert_int_equal(hubstore_meta_set(hs, "hub.wal_limit_mib", NULL, &e), E_OK);
	assert_int_equal(pragma(db, "journal_size_limit"), 64LL << 20);
	assert_int_equal(hubstore_meta_get(hs, "hub.wal_limit_mib", buf, sizeof buf, &found, &e),
	    E_OK);
	assert_false(found);
	hubstore_close(hs);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
