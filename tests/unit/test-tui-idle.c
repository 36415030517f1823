/* test-tui-idle.c — the idle-lock time: the station setting idle_lock_minutes (default 5, 0
 * never, 0 to 120, anything else refused with a message naming it), what the app applies
 * from it, and OUTPOST_IDLE_SECONDS's override winning over it; that override and
 * OUTPOST_CACHE_KIB read strictly (a mistyped one refused, naming it, not taken for 0). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "storage/logbook.h"
#include "tui/app.h"

struct fix {
	sqlite3 *db;
	struct app app;
};

static int
setup(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	struct err e = { 0 };

	assert_int_equal(sqlite3_open(":memory:", &f->db), SQLITE_OK);
	assert_int_equal(logbook_init(f->db, "gate", "East", &e), E_OK);
	assert_int_equal(logbook_open(f->db, &f->app.lb, &e), E_OK);
	f->app.idle_env_s = -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	logbook_close(f->app.lb);
	sqlite3_close(f->db);
	free(f);
	return 0;
}

static void
test_setting(void **state)
{
	struct fix *f = *state;
	const char *bad[] = { "500", "121", "-1", "abc", "", "5 min", "1.5" };
	struct err e = { 0 };
	char buf[64];
	size_t i;

	assert_int_equal(settings_get(f->app.lb, "idle_lock_minutes", buf, sizeof buf, &e), E_OK);
	assert_string_equal(buf, "5");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&e, 0, sizeof e);
		assert_int_equal(settings_set(f->app.lb, "idle_lock_minutes", bad[i], &e), E_INVALID);
		assert_non_null(strstr(e.msg, "idle_lock_minutes must be a whole number from 0"));
	}
	assert_int_equal(settings_get_int(f->app.lb, "idle_lock_minutes"), 5);
	assert_int_equal(settings_set(f->app.lb, "idle_lock_minutes", "120", &e), E_OK);
	assert_int_equal(settings_get_int(f->app.lb, "idle_lock_minutes"), 120);
	assert_int_equal(settings_set(f->app.lb, "idle_lock_minutes", "0", &e), E_OK);
	assert_int_equal(settings_get_int(f->app.lb, "idle_lock_minutes"), 0);
	/* from the hub: the same check */
	assert_int_equal(settings_apply(f->app.lb, "idle_lock_minutes", "500", 3, &e), E_INVALID);
	assert_int_equal(settings_apply(f->app.lb, "idle_lock_minutes", "10", 3, &e), E_OK);
	assert_int_equal(settings_get_int(f->app.lb, "idle_lock_minutes"), 10);
}

static void
test_apply(void **state)
{
	struct fix *f = *state;
	struct err e = { 0 };

	app_idle_apply(&f->app);
	assert_int_equal(f->app.idle_lock_s, 300);	/* the default, 5 minutes */
	assert_int_equal(settings_set(f->app.lb, "idle_lock_minutes", "7", &e), E_OK);
	app_idle_apply(&f->app);
	assert_int_equal(f->app.idle_lock_s, 420);
	assert_int_equal(settings_set(f->app.lb, "idle_lock_minutes", "0", &e), E_OK);
	app_idle_apply(&f->app);
	assert_int_equal(f->app.idle_lock_s, 0);	/* never */
	/* a refused value leaves the applied one */
	assert_int_equal(settings_set(f->app.lb, "idle_lock_minutes", "500", &e), E_INVALID);
	app_idle_apply(&f->app);
	assert_int_equal(f->app.idle_lock_s, 0);
	/* the test override wins over the setting */
	f->app.idle_env_s = 4;
	app_idle_apply(&f->app);
	assert_int_equal(f->app.idle_lock_s, 4);
	f->app.idle_env_s = 0;
	assert_int_equal(settings_set(f->app.lb, "idle_lock_minutes", "3", &e), E_OK);
	app_idle_apply(&f->app);
	assert_int_equal(f->app.idle_lock_s, 0);
	f->app.idle_env_s = -1;
	app_idle_apply(&f->app);
	assert_int_equal(f->app.idle_lock_s, 180);
}

static void
test_no_logbook(void **state)
{
	struct app a;

	(void)state;
	memset(&a, 0, sizeof a);
	a.idle_env_s = -1;
	app_idle_apply(&a);
	assert_int_equal(a.idle_lock_s, 300);	/* until a logbook says otherwise */
	a.idle_env_s = 2;
	app_idle_apply(&a);
	assert_int_equal(a.idle_lock_s, 2);
}

/* app_env with the two variables set to idle and cache (NULL: unset). */
static int
env(struct app *a, const char *idle, const char *cache, struct err *e)
{
	if (idle != NULL)
		setenv("OUTPOST_IDLE_SECONDS", idle, 1);
	else
		unsetenv("OUTPOST_IDLE_SECONDS");
	if (cache != NULL)
		setenv("OUTPOST_CACHE_KIB", cache, 1);
	else
		unsetenv("OUTPOST_CACHE_KIB");
	memset(e, 0, sizeof *e);
	return app_env(a, e);
}

static void
test_env(void **state)
{
	const char *bad_idle[] = { "abc", "5s", "-1", " 5", "1e3", "0x10", "86401", "2.5" };
	const char *bad_cache[] = { "63", "0", "4096k", "-4096", "99999999999", "4,096" };
	struct app a;
	struct err e;
	size_t i;

	(void)state;
	memset(&a, 0, sizeof a);
	assert_int_equal(env(&a, NULL, NULL, &e), E_OK);
	assert_int_equal(a.idle_env_s, -1);
	assert_int_equal(a.cache_env_kib, 0);
	assert_int_equal(env(&a, "", "", &e), E_OK);	/* empty is unset */
	assert_int_equal(a.idle_env_s, -1);
	assert_int_equal(a.cache_env_kib, 0);
	assert_int_equal(env(&a, "0", "64", &e), E_OK);
	assert_int_equal(a.idle_env_s, 0);
	assert_int_equal(a.cache_env_kib, 64);
	assert_int_equal(env(&a, "86400", "65536", &e), E_OK);
	assert_int_equal(a.idle_env_s, 86400);
	assert_int_equal(a.cache_env_kib, 65536);
	for (i = 0; i < sizeof bad_idle / sizeof bad_idle[0]; i++) {
		a.idle_env_s = 7;
		assert_int_equal(env(&a, bad_idle[i], NULL, &e), E_INVALID);
		if (strstr(e.msg, "OUTPOST_IDLE_SECONDS") == NULL)
			fail_msg("%s: %s", bad_idle[i], e.msg);
		assert_int_equal(a.idle_env_s, 7);	/* nothing changed */
	}
	for (i = 0; i < sizeof bad_cache / sizeof bad_cache[0]; i++) {
		a.cache_env_kib = 7;
		assert_int_equal(env(&a, "5", bad_cache[i], &e), E_INVALID);
		if (strstr(e.msg, "OUTPOST_CACHE_KIB") == NULL)
			fail_msg("%s: %s", bad_cache[i], e.msg);
		assert_int_equal(a.cache_env_kib, 7);
	}
	unsetenv("OUTPOST_IDLE_SECONDS");
	unsetenv("OUTPOST_CACHE_KIB");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_setting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply, setup, teardown),
		cmocka_unit_test(test_no_logbook),
		cmocka_unit_test(test_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
