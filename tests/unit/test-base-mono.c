/* test-base-mono.c — the monotonic clock: never goes back, milliseconds and microseconds
 * read the same clock, and it keeps time (an interval slept is measured as at least that). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "base/mono.h"

static void
test_never_back(void **state)
{
	int64_t us = mono_us(), ms = mono_ms(), u, m;
	int i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		u = mono_us();
		m = mono_ms();
		assert_true(u >= us);
		assert_true(m >= ms);
		/* one clock: the milliseconds read after are at least the microseconds' */
		assert_true(m >= u / 1000);
		us = u;
		ms = m;
	}
}

static void
test_keeps_time(void **state)
{
	struct timespec pause = { 0, 20 * 1000000 };	/* 20 ms */
	int64_t us = mono_us(), ms = mono_ms();

	(void)state;
	while (nanosleep(&pause, &pause) != 0)
		;
	assert_true(mono_us() - us >= 20000);
	assert_true(mono_ms() - ms >= 20 - 1);	/* ms truncates both readings */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_never_back),
		cmocka_unit_test(test_keeps_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
