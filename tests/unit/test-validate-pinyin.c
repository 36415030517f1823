/* test-validate-pinyin.c — plates typed without an input method (a province by its pinyin
 * or name, "jiG7K2Q9"), the pick list where provinces share a syllable, and full-width
 * letters and digits from a Chinese input method made plain before any check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "storage/validate.h"

static void
plate_is(const char *typed, const char *norm, int kind)
{
	struct plate_result r;

	validate_plate(typed, &r);
	assert_int_equal(r.status, VALIDATE_OK);
	assert_int_equal(r.kind, kind);
	assert_string_equal(r.norm, norm);
}

static void
test_pinyin_issue(void **state)
{
	struct plate_result r;

	(void)state;
	/* the issue's examples: ji, jing, yue, e */
	plate_is("jingA12345", "京A12345", PLATE_ORDINARY);
	plate_is("yueB12345", "粤B12345", PLATE_ORDINARY);
	plate_is("eA12345", "鄂A12345", PLATE_ORDINARY);
	plate_is("jiG7K2Q9", "冀G7K2Q9", PLATE_ORDINARY);
	/* the issuing letter in lowercase too, and spaces and hyphens as people type them */
	plate_is("yueb12345", "粤B12345", PLATE_ORDINARY);
	plate_is("jinga 123-45", "京A12345", PLATE_ORDINARY);
	plate_is("ea12345", "鄂A12345", PLATE_ORDINARY);
	/* a province's name */
	plate_is("guangdongB12345", "粤B12345", PLATE_ORDINARY);
	plate_is("jilinA12345", "吉A12345", PLATE_ORDINARY);
	plate_is("shanxiA12345", "晋A12345", PLATE_ORDINARY);
	plate_is("shaanxiA12345", "陕A12345", PLATE_ORDINARY);
	/* new energy */
	plate_is("huAD12345", "沪AD12345", PLATE_NEW_ENERGY);
	/* a shared syllable reads as the first and says how to type the other */
	validate_plate("jiA12345", &r);
	assert_string_equal(r.norm, "冀A12345");
	assert_non_null(r.other_zh);
	assert_string_equal(r.other_zh, "吉");
	assert_string_equal(r.other_key, "jilin");
	assert_non_null(strstr(r.msg, "jilin"));
	/* a unique one says what it read */
	validate_plate("yueB12345", &r);
	assert_string_equal(r.pinyin, "yue");
	assert_null(r.other_zh);
	assert_non_null(strstr(r.msg, "粤"));
	/* a plate with its character, or in capitals, is not read as pinyin */
	validate_plate("粤B12345", &r);
	assert_null(r.pinyin);
	assert_string_equal(r.msg, "");
	validate_plate("JIG7K2Q", &r);
	assert_int_equal(r.status, VALIDATE_WARNING);
	assert_null(r.pinyin);
	/* lowercase that is no province stays as typed (folded) with the usual warning */
	validate_plate("abc123", &r);
	assert_int_equal(r.status, VALIDATE_WARNING);
	assert_string_equal(r.norm, "ABC123");
}

static void
test_pinyin_every_province(void **state)
{
	static const char *const zh[] = { "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑",
		"湘", "皖", "鲁", "新", "苏", "浙", "赣", "鄂", "桂", "甘", "晋", "蒙", "陕", "吉",
		"闽", "贵", "粤", "青", "藏", "川", "宁", "琼" };
	const char *abbr[40], *key[40];
	char typed[64], want[64];
	size_t i, n;
	struct plate_result r;

	(void)state;
	/* every province is reachable: its shortest key, typed before A12345, reads as it */
	n = validate_plate_pinyin_matches("", 0, abbr, key, 40);
	assert_int_equal(n, 31);
	for (i = 0; i < sizeof zh / sizeof zh[0]; i++) {
		size_t j;

		for (j = 0; j < n && strcmp(abbr[j], zh[i]) != 0; j++)
			;
		assert_true(j < n);
		snprintf(typed, sizeof typed, "%sA12345", key[j]);
		snprintf(want, sizeof want, "%sA12345", zh[i]);
		validate_plate(typed, &r);
		assert_string_equal(r.norm, want);
		assert_int_equal(r.status, VALIDATE_OK);
	}
}

static void
test_pinyin_pick_list(void **state)
{
	const char *abbr[8], *key[8];
	size_t n, i;
	int ji = 0, jl = 0, jing = 0;

	(void)state;
	/* "ji" so far: 冀 (ji), 吉 (jilin), and what else starts so: 京 jing, 津 jin */
	n = validate_plate_pinyin_matches("ji", 2, abbr, key, 8);
	assert_true(n >= 4);
	for (i = 0; i < n; i++) {
		if (strcmp(abbr[i], "冀") == 0 && strcmp(key[i], "ji") == 0)
			ji = 1;
		if (strcmp(abbr[i], "吉") == 0 && strcmp(key[i], "jilin") == 0)
			jl = 1;
		if (strcmp(abbr[i], "京") == 0 && strcmp(key[i], "jing") == 0)
			jing = 1;
	}
	assert_true(ji && jl && jing);
	/* "jin": 津 jin and 晋, reached by shanxi */
	n = validate_plate_pinyin_matches("jin", 3, abbr, key, 8);
	for (i = 0, jl = 0; i < n; i++)
		if (strcmp(abbr[i], "晋") == 0 && strcmp(key[i], "shanxi") == 0)
			jl = 1;
	assert_true(jl);
	/* q: 青 (qing, qinghai) and 琼 (qiong), each once */
	assert_int_equal(validate_plate_pinyin_matches("q", 1, abbr, key, 8), 2);
	assert_int_equal(validate_plate_pinyin_matches("v", 1, abbr, key, 8), 0);
	/* a buffer too small is said, not overrun */
	{
		char small[4];

		assert_int_equal(validate_plate_pinyin("jingA12345", small, sizeof small), -2);
	}
}

static void
test_high_risk_prefix_by_pinyin(void **state)
{
	const char *pre[] = { "鄂A", "粤B" };

	(void)state;
	assert_int_equal(validate_plate_prefix("yueB12345", pre, 2), 1);
	assert_int_equal(validate_plate_prefix("ea12345", pre, 2), 0);
	assert_int_equal(validate_plate_prefix("jingA12345", pre, 2), -1);
}

static void
test_halfwidth(void **state)
{
	char out[64];
	struct id_result id;
	struct plate_result pr;
	struct phone_result ph;
	struct temp_result t;

	(void)state;
	assert_int_equal(validate_halfwidth("Ａ１２", out, sizeof out, 0), 3);
	assert_string_equal(out, "A12");
	/* the Chinese comma between occupants' temperatures, 。 as the point */
	validate_halfwidth("３６。５，３７、36.8", out, sizeof out, 1);
	assert_string_equal(out, "36.5,37,36.8");
	/* 。 stays in text that is not a number */
	validate_halfwidth("好。", out, sizeof out, 0);
	assert_string_equal(out, "好。");
	/* the ideographic space becomes a space; nothing else is touched */
	validate_halfwidth("李　四", out, sizeof out, 0);
	assert_string_equal(out, "李 四");
	assert_int_equal(validate_halfwidth("\xff", out, sizeof out, 0), -1);
	assert_int_equal(validate_halfwidth("ＡＢＣＤ", out, 4, 0), -1);
	/* every validator reads full-width input */
	validate_id("１１０１０５１９４９１００１００２Ｘ", NULL, &id);
	assert_string_equal(id.norm, "11010519491001002X");
	validate_plate("粤Ｂ１２３４５", &pr);
	assert_string_equal(pr.norm, "粤B12345");
	assert_int_equal(pr.status, VALIDATE_OK);
	validate_phone("１３８１２３４５６７８", &ph);
	assert_int_equal(ph.status, VALIDATE_OK);
	assert_string_equal(ph.norm, "13812345678");
	validate_temp("３６．５", 373, &t);
	assert_int_equal(t.status, VALIDATE_OK);
	assert_int_equal(t.tenths, 365);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinyin_issue),
		cmocka_unit_test(test_pinyin_every_province),
		cmocka_unit_test(test_pinyin_pick_list),
		cmocka_unit_test(test_high_risk_prefix_by_pinyin),
		cmocka_unit_test(test_halfwidth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
