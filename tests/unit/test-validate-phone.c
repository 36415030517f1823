/* test-validate-phone.c — mainland mobiles and landlines with the prefixes and separators
 * people type, foreign numbers kept with a warning, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "storage/validate.h"

static void
expect(const char *text, int status, int kind, const char *norm)
{
	struct phone_result r;

	assert_int_equal(validate_phone(text, &r), status);
	assert_int_equal(r.kind, kind);
	assert_string_equal(r.norm, norm);
	if (status == VALIDATE_OK)
		assert_string_equal(r.msg, "");
	else
		assert_true(r.msg[0] != '\0');
}

static void
test_mobile_forms(void **state)
{
	(void)state;
	expect("13812345678", VALIDATE_OK, PHONE_MOBILE, "13812345678");
	expect("138 1234 5678", VALIDATE_OK, PHONE_MOBILE, "13812345678");
	expect("138-1234-5678", VALIDATE_OK, PHONE_MOBILE, "13812345678");
	expect("+86 138 1234 5678", VALIDATE_OK, PHONE_MOBILE, "13812345678");
	expect("+86-13812345678", VALIDATE_OK, PHONE_MOBILE, "13812345678");
	expect("8613812345678", VALIDATE_OK, PHONE_MOBILE, "13812345678");
	expect("008613812345678", VALIDATE_OK, PHONE_MOBILE, "13812345678");
	expect("(+86) 13812345678", VALIDATE_OK, PHONE_MOBILE, "13812345678");
	expect("１３８１２３４５６７８", VALIDATE_OK, PHONE_MOBILE, "13812345678");
}

static void
test_mobile_prefixes(void **state)
{
	char p[32], want[32];
	int second;

	(void)state;
	for (second = 0; second <= 9; second++) {
		snprintf(p, sizeof p, "1%d912345678", second);
		if (second >= 3) {
			snprintf(want, sizeof want, "%s", p);
			expect(p, VALIDATE_OK, PHONE_MOBILE, want);
		} else
			expect(p, VALIDATE_INVALID, PHONE_NONE, "");
	}
	expect("1381234567", VALIDATE_INVALID, PHONE_NONE, "");
	expect("138123456789", VALIDATE_INVALID, PHONE_NONE, "");
	expect("+86 1381234567", VALIDATE_INVALID, PHONE_NONE, "");
	expect("86138123456789", VALIDATE_INVALID, PHONE_NONE, "");
}

static void
test_mobile_messages(void **state)
{
	struct phone_result r;

	(void)state;
	validate_phone("1381234567", &r);
	assert_string_equal(r.msg, "a mobile number has 11 digits, not 10");
	validate_phone("12812345678", &r);
	assert_string_equal(r.msg, "mobile numbers start with 13 to 19");
}

static void
test_landline(void **state)
{
	(void)state;
	expect("010-12345678", VALIDATE_OK, PHONE_LANDLINE, "010-12345678");
	expect("01012345678", VALIDATE_OK, PHONE_LANDLINE, "010-12345678");
	expect("(010) 1234 5678", VALIDATE_OK, PHONE_LANDLINE, "010-12345678");
	expect("020 87654321", VALIDATE_OK, PHONE_LANDLINE, "020-87654321");
	expect("029-8765432", VALIDATE_OK, PHONE_LANDLINE, "029-8765432");
	expect("0755-87654321", VALIDATE_OK, PHONE_LANDLINE, "0755-87654321");
	expect("0755 8765432", VALIDATE_OK, PHONE_LANDLINE, "0755-8765432");
	expect("0898-66123456", VALIDATE_OK, PHONE_LANDLINE, "0898-66123456");
	expect("+86 10 12345678", VALIDATE_OK, PHONE_LANDLINE, "010-12345678");
	expect("+86 755 87654321", VALIDATE_OK, PHONE_LANDLINE, "0755-87654321");
	expect("+86 0755 87654321", VALIDATE_OK, PHONE_LANDLINE, "0755-87654321");
	expect("0086 21 62345678", VALIDATE_OK, PHONE_LANDLINE, "021-62345678");
	/* Wrong lengths. */
	expect("010-123456", VALIDATE_INVALID, PHONE_NONE, "");
	expect("010-123456789", VALIDATE_INVALID, PHONE_NONE, "");
	expect("0755-123456789", VALIDATE_INVALID, PHONE_NONE, "");
	expect("0755-123456", VALIDATE_INVALID, PHONE_NONE, "");
	expect("0755-1234567890", VALIDATE_INVALID, PHONE_NONE, "");
	expect("0", VALIDATE_INVALID, PHONE_NONE, "");
	expect("+86", VALIDATE_INVALID, PHONE_NONE, "");
	expect("+86 0", VALIDATE_INVALID, PHONE_NONE, "");
}

static void
test_foreign(void **state)
{
	(void)state;
	expect("+852 9123 4567", VALIDATE_WARNING, PHONE_FOREIGN, "+85291234567");
	expect("00852 91234567", VALIDATE_WARNING, PHONE_FOREIGN, "+85291234567");
	expect("+1 (415) 555-0100", VALIDATE_WARNING, PHONE_FOREIGN, "+14155550100");
	expect("+1 23", VALIDATE_INVALID, PHONE_NONE, "");
	expect("+1234567890123456", VALIDATE_INVALID, PHONE_NONE, "");
}

static void
test_refused(void **state)
{
	static const char *bad[] = { "", "   ", "-", "abc", "138abc45678", "12345",
		"400-123-4567", "95588", "+", "++8613812345678", "138 1234 567８x",
		"1381234567８9012345678901234567890123456789012345678901234567890123", "\xff" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect(bad[i], VALIDATE_INVALID, PHONE_NONE, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mobile_forms),
		cmocka_unit_test(test_mobile_prefixes),
		cmocka_unit_test(test_mobile_messages),
		cmocka_unit_test(test_landline),
		cmocka_unit_test(test_foreign),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
