/* test-logbook-cache.c — the page cache a logbook connection gets: a day's worth by default,
 * what a program with a memory budget (the TUI) asks for otherwise. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "storage/logbook.h"

static int
cache_kib(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = 0;

	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return -v;	/* negative: KiB */
}

static void
test_cache_default_and_budget(void **state)
{
	struct logbook *lb;
	struct err e = { 0 };
	sqlite3 *db;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(logbook_init(db, "gate", "G", &e), E_OK);
	assert_int_equal(logbook_open(db, &lb, &e), E_OK);
	assert_int_equal(cache_kib(db), LOGBOOK_CACHE_KIB);
	assert_int_equal(logbook_set_cache_kib(lb, 4096, &e), E_OK);
	assert_int_equal(cache_kib(db), 4096);
	assert_int_equal(logbook_set_cache_kib(lb, 8, &e), E_INVALID);
	assert_int_equal(cache_kib(db), 4096);
	logbook_close(lb);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_default_and_budget),
	};

	return cmocka_run_group_tests_name("logbook-cache", tests, NULL, NULL);
}
