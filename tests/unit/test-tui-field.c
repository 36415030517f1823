/* test-tui-field.c — the single-line editor: editing, limits, flags, UTF-8 in and out,
 * and CJK-safe layout in display columns. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tui/field.h"

static void
type(struct field *f, const wchar_t *s)
{
	for (; *s; s++)
		field_insert(f, *s);
}

static void
test_insert_and_move(void **state)
{
	struct field f;
	char out[64];

	(void)state;
	field_init(&f, 10, 0);
	type(&f, L"abc");
	assert_int_equal(f.len, 3);
	assert_int_equal(f.cur, 3);
	assert_int_equal(field_left(&f), 0);
	assert_int_equal(field_insert(&f, L'X'), 0);
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "abXc");
	assert_int_equal(field_home(&f), 0);
	assert_int_equal(field_home(&f), -1);
	assert_int_equal(field_left(&f), -1);
	assert_int_equal(field_backspace(&f), -1);
	assert_int_equal(field_delete(&f), 0);
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "bXc");
	assert_int_equal(field_end(&f), 0);
	assert_int_equal(field_right(&f), -1);
	assert_int_equal(field_delete(&f), -1);
	assert_int_equal(field_backspace(&f), 0);
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "bX");
}

static void
test_max_and_flags(void **state)
{
	struct field f;
	char out[64];

	(void)state;
	field_init(&f, 3, FIELD_DIGITS);
	assert_int_equal(field_insert(&f, L'a'), -1);
	type(&f, L"36.5");
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "36.");
	assert_int_equal(field_insert(&f, L'5'), -1);
	field_init(&f, 20, FIELD_UPPER);
	type(&f, L"11010519491231002x");
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "11010519491231002X");
	assert_int_equal(field_insert(&f, L'\t'), -1);
	assert_int_equal(field_insert(&f, 0x7f), -1);
	field_init(&f, 0, 0);
	assert_int_equal(f.max, FIELD_CAP);
}

static void
test_kill(void **state)
{
	struct field f;
	char out[64];

	(void)state;
	field_init(&f, 20, 0);
	type(&f, L"hello world");
	f.cur = 5;
	field_kill_end(&f);
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "hello");
	type(&f, L" there");
	f.cur = 6;
	field_kill_start(&f);
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "there");
	assert_int_equal(f.cur, 0);
	field_clear(&f);
	assert_int_equal(f.len, 0);
	assert_int_equal(f.buf[0], 0);
}

static void
test_utf8_roundtrip(void **state)
{
	struct field f;
	char out[64], small[4];

	(void)state;
	field_init(&f, 20, 0);
	assert_int_equal(field_set(&f, "张三丰 abc"), 0);
	assert_int_equal(f.len, 7);
	assert_int_equal(field_width(&f), 10);
	assert_true(field_get(&f, out, sizeof out) > 0);
	assert_string_equal(out, "张三丰 abc");
	assert_int_equal(field_get(&f, small, sizeof small), -1);
	assert_int_equal(field_set(&f, "\xff\xfe"), -1);
	assert_int_equal(f.len, 0);
	field_init(&f, 2, 0);
	field_set(&f, "粤B12345");
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "粤B");
}

/* A 9-column view of Chinese text: the cursor stays visible and no character crosses
 * the right edge (libform's failure this editor exists to avoid). */
static void
test_layout_cjk(void **state)
{
	struct field f;
	size_t n, i;
	int col, w;

	(void)state;
	field_init(&f, 40, 0);
	field_set(&f, "中华人民共和国万岁");	/* 9 characters, 18 columns */
	n = field_layout(&f, 9, &col);
	assert_true(col <= 8);
	for (w = 0, i = 0; i < n; i++)
		w += field_char_width(f.buf[f.scroll + i]);
	assert_true(w <= 9);
	assert_int_equal(f.scroll + n, f.len);	/* the end is shown, the cursor is there */
	assert_int_equal(col, 8);
	field_home(&f);
	n = field_layout(&f, 9, &col);
	assert_int_equal(f.scroll, 0);
	assert_int_equal(col, 0);
	assert_int_equal(n, 4);	/* 4 wide characters = 8 columns; the 5th would spill */
	/* moving right one by one never hides the cursor */
	for (i = 0; i < f.len; i++) {
		field_right(&f);
		field_layout(&f, 9, &col);
		assert_true(col >= 0 && col + 1 <= 9);
	}
}

static void
test_layout_ascii(void **state)
{
	struct field f;
	int col;
	size_t n;

	(void)state;
	field_init(&f, 40, 0);
	field_set(&f, "0123456789abcdef");
	n = field_layout(&f, 8, &col);
	assert_int_equal(col, 7);
	assert_int_equal(f.scroll, 9);
	assert_int_equal(n, 7);
	field_home(&f);
	n = field_layout(&f, 8, &col);
	assert_int_equal(n, 8);
	assert_int_equal(col, 0);
}

/* A plate field: a leading run of a-z (the province's pinyin) stays lower case, the rest
 * goes to capitals; an ID field upper-cases everything. */
static void
test_pinyin(void **state)
{
	struct field f;
	char out[64];

	(void)state;
	field_init(&f, 16, FIELD_UPPER | FIELD_PINYIN);
	type(&f, L"jig7k2q9");
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "jig7K2Q9");
	field_clear(&f);
	type(&f, L"yueB12345");
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "yueB12345");
	field_clear(&f);
	type(&f, L"粤b12345");
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "粤B12345");
	field_init(&f, 16, FIELD_UPPER);
	type(&f, L"ji");
	field_get(&f, out, sizeof out);
	assert_string_equal(out, "JI");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_and_move),
		cmocka_unit_test(test_max_and_flags),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_utf8_roundtrip),
		cmocka_unit_test(test_layout_cjk),
		cmocka_unit_test(test_layout_ascii),
		cmocka_unit_test(test_pinyin),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
