/* test-validate-temp.c — temperatures as typed: every three-digit and two-digit entry,
 * decimal point or comma, units, the plausible range and the fever threshold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "storage/validate.h"

#define THRESHOLD 373

static void
expect_ok(const char *text, int tenths, int fever)
{
	struct temp_result r;

	assert_int_equal(validate_temp(text, THRESHOLD, &r), VALIDATE_OK);
	assert_int_equal(r.tenths, tenths);
	assert_int_equal(r.fever, fever);
	assert_int_equal(r.remeasure, 0);
}

static void
expect_bad(const char *text, int remeasure)
{
	struct temp_result r;

	assert_int_equal(validate_temp(text, THRESHOLD, &r), VALIDATE_INVALID);
	assert_int_equal(r.remeasure, remeasure);
	assert_int_equal(r.fever, 0);
	assert_true(r.msg[0] != '\0');
}

static void
test_forms(void **state)
{
	(void)state;
	expect_ok("36.5", 365, 0);
	expect_ok("365", 365, 0);
	expect_ok("36,5", 365, 0);
	expect_ok("37", 370, 0);
	expect_ok("36.", 360, 0);
	expect_ok(" 36.5 ", 365, 0);
	expect_ok("36.5℃", 365, 0);
	expect_ok("36.5 °C", 365, 0);
	expect_ok("36.5c", 365, 0);
	expect_ok("36.5C", 365, 0);
	expect_ok("３６．５", 365, 0);
	expect_ok("３６，５", 365, 0);
	expect_bad("3655", 0);
	expect_bad("36.55", 0);
	expect_bad("36.5.", 0);
	expect_bad("3", 0);
	expect_bad(".5", 0);
	expect_bad("365.", 0);
	expect_bad("3.65", 0);
	expect_bad("-36.5", 0);
	expect_bad("+36.5", 0);
	expect_bad("－36.5", 0);	/* full-width minus */
	expect_bad("−36.5", 0);	/* U+2212 */
	expect_bad("＋36.5", 0);
	expect_bad("abc", 0);
	expect_bad("36.5F", 0);
	expect_bad("", 0);
	expect_bad("℃", 0);
	expect_bad("\xff", 0);
}

static void
test_every_entry(void **state)
{
	struct temp_result r;
	char t[32];
	int v;

	(void)state;
	/* Every three-digit entry: tenths. */
	for (v = 0; v <= 999; v++) {
		snprintf(t, sizeof t, "%03d", v);
		int st = validate_temp(t, THRESHOLD, &r);
		assert_int_equal(r.tenths, v);
		if (v >= 320 && v <= 430) {
			assert_int_equal(st, VALIDATE_OK);
			assert_int_equal(r.fever, v >= THRESHOLD);
		} else {
			assert_int_equal(st, VALIDATE_INVALID);
			assert_int_equal(r.remeasure, 1);
		}
		/* The same with a decimal point. */
		snprintf(t, sizeof t, "%02d.%d", v / 10, v % 10);
		assert_int_equal(validate_temp(t, THRESHOLD, &r), st);
		assert_int_equal(r.tenths, v);
	}
	/* Every two-digit entry: whole degrees. */
	for (v = 0; v <= 99; v++) {
		snprintf(t, sizeof t, "%02d", v);
		int st = validate_temp(t, THRESHOLD, &r);
		assert_int_equal(r.tenths, v * 10);
		assert_int_equal(st, v >= 32 && v <= 43 ? VALIDATE_OK : VALIDATE_INVALID);
	}
}

static void
test_range_edges(void **state)
{
	struct temp_result r;

	(void)state;
	expect_bad("31.9", 1);
	expect_ok("32.0", 320, 0);
	expect_ok("43.0", 430, 1);
	expect_bad("43.1", 1);
	expect_bad("450", 1);
	expect_bad("98.6", 1);
	validate_temp("31.9", THRESHOLD, &r);
	assert_non_null(strstr(r.msg, "re-measure"));
}

static void
test_fever_threshold(void **state)
{
	struct temp_result r;

	(void)state;
	expect_ok("37.2", 372, 0);
	expect_ok("37.3", 373, 1);
	expect_ok("373", 373, 1);
	expect_ok("38", 380, 1);
	assert_int_equal(validate_temp("37.3", THRESHOLD, &r), VALIDATE_OK);
	assert_string_equal(r.msg, "fever: 37.3 °C is at or above 37.3 °C");
	/* The threshold is the station's setting. */
	assert_int_equal(validate_temp("37.3", 375, &r), VALIDATE_OK);
	assert_int_equal(r.fever, 0);
	assert_string_equal(r.msg, "");
	assert_int_equal(validate_temp("37.5", 375, &r), VALIDATE_OK);
	assert_int_equal(r.fever, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_every_entry),
		cmocka_unit_test(test_range_edges),
		cmocka_unit_test(test_fever_threshold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
