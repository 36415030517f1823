/* test-validate-id.c — GB 11643 ID numbers: numbers built by the standard's arithmetic
 * (computed here independently, as 2^(i-1) mod 11 weights), the standard's own example,
 * 15-digit conversion, and every way a typed number can be wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "storage/validate.h"

static const struct validate_date today = { 2026, 11, 29 };

/* The check character by the definition in ISO 7064: weight of position i (counted from
 * the right, the check character being 1) is 2^(i-1) mod 11, and the check value a1 makes
 * the weighted sum ≡ 1 (mod 11). */
static char
ref_check(const char *d17)
{
	int k, sum = 0, w, a1;

	for (k = 0; k < 17; k++) {
		w = 1;
		for (int j = 0; j < 17 - k; j++)
			w = (w * 2) % 11;
		sum += (d17[k] - '0') * w;
	}
	a1 = (12 - sum % 11) % 11;
	return a1 == 10 ? 'X' : (char)('0' + a1);
}

static void
make_id(char out[19], const char *region, int y, int m, int d, int seq)
{
	char tmp[64];

	snprintf(tmp, sizeof tmp, "%s%04d%02d%02d%03d", region, y, m, d, seq);
	assert_int_equal(strlen(tmp), 17);
	memcpy(out, tmp, 17);
	out[17] = ref_check(out);
	out[18] = '\0';
}

static void
test_standard_example(void **state)
{
	struct id_result r;

	(void)state;
	assert_int_equal(ref_check("11010519491231002"), 'X');
	assert_int_equal(validate_id("11010519491231002X", &today, &r), VALIDATE_OK);
	assert_string_equal(r.norm, "11010519491231002X");
	assert_string_equal(r.birth, "1949-12-31");
	assert_int_equal(r.sex, 'F');
	assert_int_equal(r.legacy, 0);
	assert_string_equal(r.msg, "");
	/* The standard's other example is born in 1880: right check, refused date. */
	assert_int_equal(validate_id_check_char("44052418800101001"), '4');
	assert_int_equal(validate_id("440524188001010014", &today, &r), VALIDATE_INVALID);
	assert_non_null(strstr(r.msg, "before 1900"));
}

static void
test_check_char_table(void **state)
{
	char d[64];
	int seen[11] = { 0 }, i, n;

	(void)state;
	/* Walk sequence numbers until every one of the 11 check values has been produced,
	 * comparing with the reference each time. */
	for (i = 0; i < 1000; i++) {
		snprintf(d, sizeof d, "32010219800101%03d", i);
		char c = validate_id_check_char(d);
		assert_int_equal(c, ref_check(d));
		seen[c == 'X' ? 10 : c - '0'] = 1;
	}
	for (i = n = 0; i < 11; i++)
		n += seen[i];
	assert_int_equal(n, 11);
	assert_int_equal(validate_id_check_char("3201021980010100A"), 0);
	assert_int_equal(validate_id_check_char("320102198001010"), 0);
}

static void
test_generated_valid(void **state)
{
	static const char *regions[] = { "110101", "120104", "130102", "310104", "320102",
		"440305", "460105", "500101", "540102", "650102", "710000", "810000", "820000" };
	static const int dates[][3] = { { 1900, 1, 1 }, { 1949, 10, 1 }, { 1996, 2, 29 },
		{ 2000, 2, 29 }, { 1999, 12, 31 }, { 2004, 4, 30 }, { 2026, 11, 29 },
		{ 1987, 6, 15 }, { 2012, 2, 29 }, { 1968, 9, 30 } };
	struct id_result r;
	char id[19], birth[11];
	size_t i, j;
	int seq, count = 0;

	(void)state;
	for (i = 0; i < sizeof regions / sizeof regions[0]; i++)
		for (j = 0; j < sizeof dates / sizeof dates[0]; j++)
			for (seq = (int)(i + j) % 7; seq < 1000; seq += 37) {
				make_id(id, regions[i], dates[j][0], dates[j][1], dates[j][2], seq);
				assert_int_equal(validate_id(id, &today, &r), VALIDATE_OK);
				assert_string_equal(r.norm, id);
				snprintf(birth, sizeof birth, "%04d-%02d-%02d", dates[j][0],
				    dates[j][1], dates[j][2]);
				assert_string_equal(r.birth, birth);
				assert_int_equal(r.sex, seq % 2 ? 'M' : 'F');
				assert_int_equal(r.expected_check, id[17]);
				count++;
			}
	assert_true(count > 3000);
}

static void
test_wrong_check_names_expected(void **state)
{
	static const char checks[] = "0123456789X";
	struct id_result r;
	char id[19], want[VALIDATE_MSG_MAX];
	int seq, k, wrong = 0;

	(void)state;
	for (seq = 0; seq < 60; seq++) {
		make_id(id, "510104", 1975, 3, 12, seq);
		char good = id[17];
		for (k = 0; k < 11; k++) {
			if (checks[k] == good)
				continue;
			id[17] = checks[k];
			assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
			assert_int_equal(r.expected_check, good);
			snprintf(want, sizeof want,
			    "check character should be %c — re-read the card", good);
			assert_string_equal(r.msg, want);
			/* The shape is right: the number and what it says are kept for an
			 * operator who saves it as unverified. */
			assert_string_equal(r.norm, id);
			assert_string_equal(r.birth, "1975-03-12");
			wrong++;
		}
	}
	assert_int_equal(wrong, 600);
}

static void
test_transposed_digits_caught(void **state)
{
	struct id_result r;
	char id[19], t;
	int k, caught = 0, tried = 0;

	(void)state;
	make_id(id, "330106", 1983, 7, 24, 517);
	/* MOD 11-2 catches every transposition of adjacent different digits; those that also
	 * break the date are caught by the date. */
	for (k = 0; k < 16; k++) {
		if (id[k] == id[k + 1])
			continue;
		char s[19];
		memcpy(s, id, 19);
		t = s[k];
		s[k] = s[k + 1];
		s[k + 1] = t;
		tried++;
		if (validate_id(s, &today, &r) == VALIDATE_INVALID)
			caught++;
	}
	assert_true(tried > 8);
	assert_int_equal(caught, tried);
}

static void
test_lowercase_and_fullwidth(void **state)
{
	struct id_result r;

	(void)state;
	assert_int_equal(validate_id("11010519491231002x", &today, &r), VALIDATE_OK);
	assert_string_equal(r.norm, "11010519491231002X");
	assert_int_equal(validate_id(" 110105 19491231 002x ", &today, &r), VALIDATE_OK);
	assert_string_equal(r.norm, "11010519491231002X");
	assert_int_equal(validate_id("１１０１０５１９４９１２３１００２ｘ", &today, &r),
	    VALIDATE_OK);
	assert_string_equal(r.norm, "11010519491231002X");
}

static void
test_bad_dates(void **state)
{
	struct id_result r;
	char id[19];

	(void)state;
	make_id(id, "110101", 1990, 2, 30, 123);
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
	assert_non_null(strstr(r.msg, "not a real date"));
	assert_string_equal(r.birth, "");
	make_id(id, "110101", 1900, 2, 29, 123);	/* 1900 is not a leap year */
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
	make_id(id, "110101", 1999, 2, 29, 123);
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
	make_id(id, "110101", 1999, 4, 31, 123);
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
	make_id(id, "110101", 1999, 13, 1, 123);
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
	make_id(id, "110101", 1999, 0, 10, 123);
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
	make_id(id, "110101", 1999, 5, 0, 123);
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
	make_id(id, "110101", 1899, 12, 31, 123);
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
	assert_non_null(strstr(r.msg, "before 1900"));
	/* The future, by the today given; no today, no such check. */
	make_id(id, "110101", 2026, 11, 30, 123);
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
	assert_non_null(strstr(r.msg, "future"));
	assert_int_equal(validate_id(id, NULL, &r), VALIDATE_OK);
	make_id(id, "110101", 2026, 11, 29, 123);
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_OK);
	make_id(id, "110101", 2027, 1, 1, 123);
	assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
}

static void
test_bad_shapes(void **state)
{
	static const char *bad[] = { "", "   ", "1101051949123100", "11010519491231002",
		"11010519491231002X1", "1101051949123100X2", "11010519491231002A",
		"X1010519491231002X", "11010519491231002Y", "1101051949123100２X?",
		"11010549123100", "1101054912310021", "11010549123100X", "abcdefghijklmnopqr",
		"110105-19491231-002X" /* dashes are dropped, so this one is fine: below */ };
	struct id_result r;
	size_t i;

	(void)state;
	for (i = 0; i + 1 < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(validate_id(bad[i], &today, &r), VALIDATE_INVALID);
		assert_true(r.msg[0] != '\0');
		assert_string_equal(r.birth, "");
	}
	assert_int_equal(validate_id(bad[i], &today, &r), VALIDATE_OK);
	assert_int_equal(validate_id("11010519491231002A", &today, &r), VALIDATE_INVALID);
	assert_string_equal(r.msg, "ID number may hold only digits and a final X");
	assert_int_equal(validate_id("1101051949", &today, &r), VALIDATE_INVALID);
	assert_string_equal(r.msg, "ID number must have 18 characters (15 on old cards), not 10");
	assert_int_equal(validate_id("\xff\xfe", &today, &r), VALIDATE_INVALID);
}

static void
test_province_codes(void **state)
{
	static const char *bad[] = { "000000", "100101", "160101", "240101", "300101",
		"470101", "550101", "600101", "700101", "720101", "800101", "830101",
		"910101", "990101" };
	struct id_result r;
	char id[19];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		make_id(id, bad[i], 1980, 5, 5, 42);
		assert_int_equal(validate_id(id, &today, &r), VALIDATE_INVALID);
		assert_non_null(strstr(r.msg, "province"));
	}
}

static void
test_legacy_15(void **state)
{
	struct id_result r;
	char id[19], old[16];
	int seq;

	(void)state;
	assert_int_equal(validate_id("110105491231002", &today, &r), VALIDATE_OK);
	assert_int_equal(r.legacy, 1);
	assert_string_equal(r.norm, "11010519491231002X");
	assert_string_equal(r.birth, "1949-12-31");
	assert_int_equal(r.sex, 'F');
	for (seq = 1; seq < 1000; seq += 13) {
		make_id(id, "420102", 1962, 8, 8, seq);
		/* The 15-digit form drops the century and the check. */
		snprintf(old, sizeof old, "%.6s%.9s", id, id + 8);
		assert_int_equal(validate_id(old, &today, &r), VALIDATE_OK);
		assert_string_equal(r.norm, id);
		assert_int_equal(r.sex, seq % 2 ? 'M' : 'F');
		assert_string_equal(r.birth, "1962-08-08");
	}
	assert_int_equal(validate_id("110105490230002", &today, &r), VALIDATE_INVALID);
	assert_int_equal(validate_id("990105491231002", &today, &r), VALIDATE_INVALID);
	assert_int_equal(validate_id("11010549123100X", &today, &r), VALIDATE_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standard_example),
		cmocka_unit_test(test_check_char_table),
		cmocka_unit_test(test_generated_valid),
		cmocka_unit_test(test_wrong_check_names_expected),
		cmocka_unit_test(test_transposed_digits_caught),
		cmocka_unit_test(test_lowercase_and_fullwidth),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_bad_shapes),
		cmocka_unit_test(test_province_codes),
		cmocka_unit_test(test_legacy_15),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
