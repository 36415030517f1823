/* test-validate-plate.c — Chinese plates: every province, ordinary, new-energy (small and
 * large), special suffixes, normalisation, unknown formats as warnings, and the high-risk
 * prefix helper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "storage/validate.h"

static const char *const provinces[] = { "京", "津", "沪", "渝", "冀", "豫", "云", "辽",
	"黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣", "鄂", "桂", "甘", "晋", "蒙", "陕",
	"吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼" };

static void
expect(const char *text, int status, int kind, const char *norm)
{
	struct plate_result r;

	assert_int_equal(validate_plate(text, &r), status);
	assert_int_equal(r.status, status);
	assert_int_equal(r.kind, kind);
	if (norm != NULL)
		assert_string_equal(r.norm, norm);
	if (status == VALIDATE_OK)
		assert_string_equal(r.msg, "");
	else
		assert_true(r.msg[0] != '\0');
}

static void
test_every_province(void **state)
{
	struct plate_result r;
	const char *names[31];
	char p[32];
	size_t i, j;

	(void)state;
	assert_int_equal(sizeof provinces / sizeof provinces[0], 31);
	for (i = 0; i < 31; i++) {
		snprintf(p, sizeof p, "%sA12345", provinces[i]);
		assert_int_equal(validate_plate(p, &r), VALIDATE_OK);
		assert_int_equal(r.kind, PLATE_ORDINARY);
		assert_non_null(r.province_zh);
		assert_non_null(r.province_en);
		names[i] = r.province_en;
		for (j = 0; j < i; j++)
			assert_string_not_equal(names[j], names[i]);
	}
}

static void
test_province_names(void **state)
{
	const char *zh, *en;

	(void)state;
	assert_int_equal(validate_plate_province("粤B12345", &zh, &en), 0);
	assert_string_equal(zh, "广东");
	assert_string_equal(en, "Guangdong");
	assert_int_equal(validate_plate_province("蒙", &zh, &en), 0);
	assert_string_equal(zh, "内蒙古");
	assert_int_equal(validate_plate_province("黑A", &zh, &en), 0);
	assert_string_equal(en, "Heilongjiang");
	assert_int_equal(validate_plate_province("陕", &zh, &en), 0);
	assert_string_equal(en, "Shaanxi");
	assert_int_equal(validate_plate_province("晋", &zh, &en), 0);
	assert_string_equal(en, "Shanxi");
	assert_int_equal(validate_plate_province("中", &zh, &en), -1);
	assert_int_equal(validate_plate_province("A", &zh, &en), -1);
	assert_int_equal(validate_plate_province("", &zh, &en), -1);
}

static void
test_ordinary(void **state)
{
	(void)state;
	expect("京A12345", VALIDATE_OK, PLATE_ORDINARY, "京A12345");
	expect("沪AB1234", VALIDATE_OK, PLATE_ORDINARY, "沪AB1234");
	expect("川AZZ9Z9", VALIDATE_OK, PLATE_ORDINARY, NULL);
	expect("苏E00000", VALIDATE_OK, PLATE_ORDINARY, NULL);
	/* Normalised: uppercase, spaces, middle dots and hyphens dropped, full width folded. */
	expect("粤b·12345", VALIDATE_OK, PLATE_ORDINARY, "粤B12345");
	expect(" 粤 B - 1234 5 ", VALIDATE_OK, PLATE_ORDINARY, "粤B12345");
	expect("粤Ｂ１２３４５", VALIDATE_OK, PLATE_ORDINARY, "粤B12345");
	expect("粤B・12345", VALIDATE_OK, PLATE_ORDINARY, "粤B12345");
	expect("粤b•a1b2c", VALIDATE_OK, PLATE_ORDINARY, "粤BA1B2C");
}

static void
test_new_energy(void **state)
{
	(void)state;
	/* Small cars: D or F, a letter or digit, four digits. */
	expect("粤BD12345", VALIDATE_OK, PLATE_NEW_ENERGY, "粤BD12345");
	expect("粤BF12345", VALIDATE_OK, PLATE_NEW_ENERGY, NULL);
	expect("京AdA1234", VALIDATE_OK, PLATE_NEW_ENERGY, "京ADA1234");
	expect("浙AFZ0001", VALIDATE_OK, PLATE_NEW_ENERGY, NULL);
	/* Large vehicles: five digits, then D or F. */
	expect("沪A12345D", VALIDATE_OK, PLATE_NEW_ENERGY, NULL);
	expect("沪A00001F", VALIDATE_OK, PLATE_NEW_ENERGY, NULL);
	/* Six characters that follow neither rule. */
	expect("粤BA12345", VALIDATE_WARNING, PLATE_UNKNOWN, "粤BA12345");
	expect("粤BD1234A", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("粤BDA12B4", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("粤B1234AD", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("粤B12345E", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("粤BDI1234", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
}

static void
test_special(void **state)
{
	static const char *const sfx[] = { "学", "警", "挂", "领", "港", "澳" };
	char p[32], n[32];
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++) {
		snprintf(p, sizeof p, "粤z·123%d%s", (int)i, sfx[i]);
		snprintf(n, sizeof n, "粤Z123%d%s", (int)i, sfx[i]);
		expect(p, VALIDATE_OK, PLATE_SPECIAL, n);
	}
	expect("京A0006警", VALIDATE_OK, PLATE_SPECIAL, NULL);
	/* A suffix after the wrong number of characters, or an unknown suffix. */
	expect("京A00006警", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("京A006警", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("京A0006使", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("京A0O06警", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
}

static void
test_unknown_warns(void **state)
{
	struct plate_result r;

	(void)state;
	expect("WJ01234", VALIDATE_WARNING, PLATE_UNKNOWN, "WJ01234");	/* armed police */
	expect("使014578", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);	/* embassy */
	expect("粤12345", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("粤", VALIDATE_WARNING, PLATE_UNKNOWN, "粤");
	expect("粤B1234", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("粤B1234567", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("粤B12#45", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	expect("AB12345", VALIDATE_WARNING, PLATE_UNKNOWN, NULL);
	/* I and O get their own hint. */
	assert_int_equal(validate_plate("粤B1234O", &r), VALIDATE_WARNING);
	assert_non_null(strstr(r.msg, "I and O"));
	assert_string_equal(r.province_en, "Guangdong");
	assert_int_equal(validate_plate("粤BI2345", &r), VALIDATE_WARNING);
	assert_non_null(strstr(r.msg, "I and O"));
	/* Nothing at all, or not text, is invalid. */
	expect("", VALIDATE_INVALID, PLATE_UNKNOWN, NULL);
	expect(" · - ", VALIDATE_INVALID, PLATE_UNKNOWN, NULL);
	expect("\xe7\xb2", VALIDATE_INVALID, PLATE_UNKNOWN, NULL);
	expect("粤B12345粤B12345粤B12345粤B12345粤B12345粤B12345粤B12345", VALIDATE_INVALID, PLATE_UNKNOWN, NULL);
}

static void
test_every_serial_char(void **state)
{
	struct plate_result r;
	char p[32];
	int c;

	(void)state;
	for (c = 0x21; c < 0x7f; c++) {
		snprintf(p, sizeof p, "鲁B1234%c", c);
		validate_plate(p, &r);
		int up = (c >= 'a' && c <= 'z') ? c - 32 : c;
		int serial = (up >= '0' && up <= '9') ||
		    (up >= 'A' && up <= 'Z' && up != 'I' && up != 'O');
		if (c == '-') /* dropped: leaves 4 characters */
			assert_int_equal(r.status, VALIDATE_WARNING);
		else
			assert_int_equal(r.status, serial ? VALIDATE_OK : VALIDATE_WARNING);
	}
}

static void
test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(validate_plate_kind_name(PLATE_ORDINARY), "ordinary");
	assert_string_equal(validate_plate_kind_name(PLATE_NEW_ENERGY), "new-energy");
	assert_string_equal(validate_plate_kind_name(PLATE_SPECIAL), "special");
	assert_string_equal(validate_plate_kind_name(PLATE_UNKNOWN), "unknown");
	assert_string_equal(validate_plate_kind_name(99), "unknown");
	assert_string_equal(validate_plate_kind_name(-1), "unknown");
}

static void
test_prefix(void **state)
{
	const char *const risk[] = { "京", "鄂A", "粤b" };
	const char *const with_empty[] = { "", NULL, "鄂" };

	(void)state;
	assert_int_equal(validate_plate_prefix("鄂A12345", risk, 3), 1);
	assert_int_equal(validate_plate_prefix("鄂 a·12345", risk, 3), 1);
	assert_int_equal(validate_plate_prefix("鄂B12345", risk, 3), -1);
	assert_int_equal(validate_plate_prefix("京N12345", risk, 3), 0);
	assert_int_equal(validate_plate_prefix("粤B12345", risk, 3), 2);
	assert_int_equal(validate_plate_prefix("粤C12345", risk, 3), -1);
	assert_int_equal(validate_plate_prefix("鄂", risk, 3), -1);	/* shorter than 鄂A */
	assert_int_equal(validate_plate_prefix("", risk, 3), -1);
	assert_int_equal(validate_plate_prefix("鄂A12345", risk, 0), -1);
	/* An empty prefix matches nothing (not everything). */
	assert_int_equal(validate_plate_prefix("沪A12345", with_empty, 3), -1);
	assert_int_equal(validate_plate_prefix("鄂B12345", with_empty, 3), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_province),
		cmocka_unit_test(test_province_names),
		cmocka_unit_test(test_ordinary),
		cmocka_unit_test(test_new_energy),
		cmocka_unit_test(test_special),
		cmocka_unit_test(test_unknown_warns),
		cmocka_unit_test(test_every_serial_char),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
