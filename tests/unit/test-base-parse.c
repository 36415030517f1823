/* test-base-parse.c — numbers (whole and fixed-point: finite, in range, no more precision
 * than kept) and dates (real calendar dates) as every field parses them, with messages that
 * say the range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/parse.h"

static void
test_int(void **state)
{
	struct err e;
	int64_t v;

	(void)state;
	assert_int_equal(parse_int("0", 0, 10, "n", &v, &e), E_OK);
	assert_int_equal(v, 0);
	assert_int_equal(parse_int("2147483647", 0, INT64_MAX, "n", &v, &e), E_OK);
	assert_int_equal(v, 2147483647);
	assert_int_equal(parse_int("-5", -10, 10, "n", &v, &e), E_OK);
	assert_int_equal(v, -5);
	/* The issue: 2147483648 is a whole number, just out of range, and says so. */
	assert_int_equal(parse_int("2147483648", 0, 2147483647, "limit", &v, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "out of range"));
	assert_non_null(strstr(e.msg, "0 to 2147483647"));
	assert_int_equal(parse_int("99999999999999999999999", 0, 100, "n", &v, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "out of range"));
	assert_int_equal(parse_int("11", 0, 10, "n", &v, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "0 to 10"));
	static const char *bad[] = {"", "-", "+1", " 1", "1 ", "0x10", "1e3", "1.5", "nan",
		"inf", "abc", "1,0", "١"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(parse_int(bad[i], -100, 100, "n", &v, &e), E_INVALID);
		assert_non_null(strstr(e.msg, "not a whole number"));
		assert_non_null(strstr(e.msg, "-100 to 100"));
	}
}

static void
test_fixed(void **state)
{
	struct err e;
	int64_t v;

	(void)state;
	assert_int_equal(parse_fixed("12.5", 1, 0, 1000000, "weight_kg", &v, &e), E_OK);
	assert_int_equal(v, 125);
	assert_int_equal(parse_fixed("12", 1, 0, 1000000, "weight_kg", &v, &e), E_OK);
	assert_int_equal(v, 120);
	assert_int_equal(parse_fixed("12,5", 1, 0, 1000000, "weight_kg", &v, &e), E_OK);
	assert_int_equal(v, 125);
	assert_int_equal(parse_fixed("12.50", 1, 0, 1000000, "weight_kg", &v, &e), E_OK);
	assert_int_equal(v, 125);
	assert_int_equal(parse_fixed("0.05", 2, 0, 100, "x", &v, &e), E_OK);
	assert_int_equal(v, 5);
	/* The issue: nan, inf and a precision the field does not keep. */
	static const char *nonnum[] = {"nan", "NaN", "inf", "-inf", "1e3", "0x1p3", ".5", "5.",
		"", "1.2.3", " 1", "+1"};
	for (size_t i = 0; i < sizeof nonnum / sizeof nonnum[0]; i++) {
		assert_int_equal(parse_fixed(nonnum[i], 1, 0, 1000000, "weight_kg", &v, &e),
		    E_INVALID);
		assert_non_null(strstr(e.msg, "weight_kg: "));
		assert_non_null(strstr(e.msg, "0.0 to 100000.0"));
	}
	assert_int_equal(parse_fixed("0.0000001", 1, 0, 1000000, "weight_kg", &v, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "at most 1 after the point"));
	assert_int_equal(parse_fixed("100000.1", 1, 0, 1000000, "weight_kg", &v, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "out of range: use 0.0 to 100000.0"));
	assert_int_equal(parse_fixed("-1", 1, 0, 1000000, "weight_kg", &v, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "out of range"));
	assert_int_equal(parse_fixed("12345678901234567890", 1, 0, 1000000, "w", &v, &e),
	    E_INVALID);
	assert_non_null(strstr(e.msg, "out of range"));
}

static void
test_dates(void **state)
{
	struct err e;
	int y, m, d;

	(void)state;
	assert_int_equal(parse_date("2026-03-01", "date", &y, &m, &d, &e), E_OK);
	assert_int_equal(y * 10000 + m * 100 + d, 20260301);
	assert_int_equal(parse_date("2024-02-29", "date", &y, &m, &d, &e), E_OK);
	assert_int_equal(parse_date("2000-02-29", "date", &y, &m, &d, &e), E_OK);
	assert_int_equal(parse_date("2026-02-30", "date", &y, &m, &d, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "that month has 28 days"));
	assert_int_equal(parse_date("1900-02-29", "until", &y, &m, &d, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "until: "));
	assert_int_equal(parse_date("2026-04-31", "date", &y, &m, &d, &e), E_INVALID);
	assert_int_equal(parse_date("2026-13-01", "date", &y, &m, &d, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "01 to 12"));
	assert_int_equal(parse_date("2026-00-10", "date", &y, &m, &d, &e), E_INVALID);
	assert_int_equal(parse_date("2026-01-00", "date", &y, &m, &d, &e), E_INVALID);
	static const char *shape[] = {"2026-3-1", "2026/03/01", "20260301", "2026-03-01x",
		"", "abcd-ef-gh", "2026-03-1 "};
	for (size_t i = 0; i < sizeof shape / sizeof shape[0]; i++) {
		assert_int_equal(parse_date(shape[i], "date", &y, &m, &d, &e), E_INVALID);
		assert_non_null(strstr(e.msg, "YYYY-MM-DD"));
	}
	assert_int_equal(date_days_in_month(2026, 2), 28);
	assert_int_equal(date_days_in_month(2028, 2), 29);
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(date_days_in_month(2026, 13), 0);
}

/* The formatters write what printf would, for every value an export can meet. */
/* Every byte: the sixteen digits in both cases have their values, nothing else has one. */
static void
test_hex_digit(void **state)
{
	int c, n = 0;

	(void)state;
	for (c = -128; c < 256; c++) {
		int v = parse_hex_digit(c);

		if (v >= 0)
			n++;
		if (c >= '0' && c <= '9')
			assert_int_equal(v, c - '0');
		else if (c >= 'a' && c <= 'f')
			assert_int_equal(v, c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			assert_int_equal(v, c - 'A' + 10);
		else
			assert_int_equal(v, -1);
	}
	assert_int_equal(n, 22);
}

static void
test_format(void **state)
{
	static const int64_t ints[] = { 0, 1, -1, 9, 10, -10, 99, 100, 12345, -98765,
		2147483647LL, -2147483648LL, 1780000000000LL, INT64_MAX, INT64_MIN };
	char got[40], want[40];
	size_t i;
	int y, v;

	(void)state;
	for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		snprintf(want, sizeof want, "%lld", (long long)ints[i]);
		assert_int_equal(fmt_int(ints[i], got), strlen(want));
		assert_string_equal(got, want);
	}
	for (v = -100000; v <= 100000; v += 37) {
		snprintf(want, sizeof want, "%d", v);
		fmt_int(v, got);
		assert_string_equal(got, want);
	}
	for (y = -1; y <= 10001; y += (y < 20 || y > 9980) ? 1 : 997) {
		snprintf(want, sizeof want, "%04d-%02d-%02d %02d:%02d:%02d", y, y % 13, y % 32,
		    y % 24, y % 60, y % 61);
		fmt_datetime(y, y % 13, y % 32, y % 24, y % 60, y % 61, got, sizeof got);
		assert_string_equal(got, want);
	}
	/* too small a buffer: cut as snprintf cuts */
	fmt_datetime(2026, 6, 1, 8, 5, 9, got, 11);
	assert_string_equal(got, "2026-06-01");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_hex_digit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
