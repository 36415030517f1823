/* test-tui-form.c — forms: moving with Tab/Enter/arrows, checks as you type, required
 * fields, and contents kept through errors; key tables and key names. */
#include <curses.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tui/form.h"
#include "tui/keys.h"

/* A check: digits only, at least 3 of them. */
static int
check_three_digits(struct form_field *ff, const char *text, void *ctx)
{
	size_t i;

	(*(int *)ctx)++;
	for (i = 0; text[i]; i++)
		if (text[i] < '0' || text[i] > '9') {
			snprintf(ff->note, sizeof ff->note, "digits only");
			return FORM_BAD;
		}
	if (i < 3) {
		snprintf(ff->note, sizeof ff->note, "too short");
		return FORM_WARN;
	}
	return FORM_OK;
}

static void
keys(struct form *fm, const char *s)
{
	for (; *s; s++)
		form_key(fm, (unsigned char)*s);
}

static void
setup_form(struct form *fm, struct form_field *ff, int *calls)
{
	form_field_init(&ff[0], "Name", 20, 0, 1, NULL);
	form_field_init(&ff[1], "Number", 10, 0, 0, check_three_digits);
	form_field_init(&ff[2], "Note", 30, 0, 0, NULL);
	form_init(fm, ff, 3, calls);
}

/* A default (the temperature method) is replaced by the first character typed, once. */
static void
test_default_replaced(void **state)
{
	struct form fm;
	struct form_field ff[3];
	char out[64];
	int calls = 0;

	(void)state;
	setup_form(&fm, ff, &calls);
	field_set(&ff[0].f, "forehead");
	ff[0].replace = 1;
	keys(&fm, "ea");
	field_get(&ff[0].f, out, sizeof out);
	assert_string_equal(out, "ea");
	/* a field without a default is added to */
	field_set(&ff[2].f, "keep");
	fm.cur = 2;
	field_end(&ff[2].f);
	keys(&fm, "s");
	field_get(&ff[2].f, out, sizeof out);
	assert_string_equal(out, "keeps");
}

static void
test_move(void **state)
{
	struct form fm;
	struct form_field ff[3];
	int calls = 0;

	(void)state;
	setup_form(&fm, ff, &calls);
	assert_int_equal(form_key(&fm, TK_TAB), FORM_MOVED);
	assert_int_equal(fm.cur, 1);
	assert_int_equal(form_key(&fm, TK(KEY_DOWN)), FORM_MOVED);
	assert_int_equal(fm.cur, 2);
	assert_int_equal(form_key(&fm, TK_TAB), FORM_MOVED);	/* wraps */
	assert_int_equal(fm.cur, 0);
	assert_int_equal(form_key(&fm, TK(KEY_UP)), FORM_MOVED);	/* wraps back */
	assert_int_equal(fm.cur, 2);
	assert_int_equal(form_key(&fm, TK(KEY_BTAB)), FORM_MOVED);
	assert_int_equal(fm.cur, 1);
	assert_int_equal(form_key(&fm, TK_ENTER), FORM_MOVED);
	assert_int_equal(fm.cur, 2);
	assert_int_equal(form_key(&fm, TK_ENTER), FORM_SUBMIT);
	assert_int_equal(form_key(&fm, TK_ESC), FORM_CANCEL);
	assert_int_equal(form_key(&fm, TK(KEY_F(2))), FORM_IGNORED);
	assert_int_equal(form_key(&fm, TK_CTRL('S')), FORM_IGNORED);
}

static void
test_check_as_you_type(void **state)
{
	struct form fm;
	struct form_field ff[3];
	int calls = 0;
	char out[64];

	(void)state;
	setup_form(&fm, ff, &calls);
	form_focus(&fm, 1);
	assert_int_equal(form_key(&fm, '1'), FORM_EDITED);
	assert_int_equal(ff[1].state, FORM_WARN);
	assert_string_equal(ff[1].note, "too short");
	keys(&fm, "2a");
	assert_int_equal(ff[1].state, FORM_BAD);
	assert_string_equal(ff[1].note, "digits only");
	form_key(&fm, TK(KEY_BACKSPACE));
	form_key(&fm, '3');
	assert_int_equal(ff[1].state, FORM_OK);
	assert_string_equal(ff[1].note, "");
	assert_int_equal(calls, 5);
	assert_string_equal(form_text(&fm, 1, out, sizeof out), "123");
}

static void
test_validate_keeps_contents(void **state)
{
	struct form fm;
	struct form_field ff[3];
	int calls = 0;
	char out[64];

	(void)state;
	setup_form(&fm, ff, &calls);
	form_focus(&fm, 1);
	keys(&fm, "12x");
	form_focus(&fm, 2);
	keys(&fm, "late");
	/* Name is required and empty, Number is bad: the first problem gets the cursor. */
	assert_int_equal(form_validate(&fm), 0);
	assert_int_equal(fm.cur, 0);
	assert_int_equal(ff[0].state, FORM_BAD);
	assert_string_equal(form_text(&fm, 1, out, sizeof out), "12x");
	assert_string_equal(form_text(&fm, 2, out, sizeof out), "late");
	keys(&fm, "Li");
	assert_int_equal(form_validate(&fm), 1);
	assert_string_equal(form_text(&fm, 0, out, sizeof out), "Li");
	form_key(&fm, TK(KEY_BACKSPACE));
	assert_int_equal(form_validate(&fm), -1);
	form_clear(&fm);
	assert_int_equal(fm.cur, 0);
	assert_string_equal(form_text(&fm, 2, out, sizeof out), "");
}

static void
test_editing_keys(void **state)
{
	struct form fm;
	struct form_field ff[3];
	int calls = 0;
	char out[64];

	(void)state;
	setup_form(&fm, ff, &calls);
	keys(&fm, "abcdef");
	form_key(&fm, TK(KEY_HOME));
	form_key(&fm, TK(KEY_DC));
	form_key(&fm, TK(KEY_RIGHT));
	form_key(&fm, TK_CTRL('K'));
	assert_string_equal(form_text(&fm, 0, out, sizeof out), "b");
	form_key(&fm, TK_CTRL('E'));
	form_key(&fm, 0x5f20);	/* 张 */
	assert_string_equal(form_text(&fm, 0, out, sizeof out), "b张");
	form_key(&fm, TK_CTRL('U'));
	assert_string_equal(form_text(&fm, 0, out, sizeof out), "");
}

static int acted;
static int
act(struct app *a)
{
	(void)a;
	return ++acted;
}

static void
test_key_table(void **state)
{
	static const struct key_binding table[] = {
		{ TK(KEY_F(2)), TK_CTRL('F'), act, "Search", NULL, 0 },
		{ TK(KEY_F(12)), TK_CTRL('L'), act, "Lock", "Lock the screen", 0 },
		{ TK(KEY_F(3)), 0, act, "Inside", NULL, 1u << 2 },
		{ 0, 0, NULL, NULL, NULL, 0 },
	};
	const struct key_binding *b;

	(void)state;
	assert_non_null(b = key_find(table, TK(KEY_F(2)), 0));
	assert_string_equal(b->label, "Search");
	assert_ptr_equal(key_find(table, TK_CTRL('L'), 1), &table[1]);
	assert_null(key_find(table, 'x', 1));
	assert_null(key_find(table, 0, 1));
	/* a key for one station kind only */
	assert_ptr_equal(key_find(table, TK(KEY_F(3)), 2), &table[2]);
	assert_null(key_find(table, TK(KEY_F(3)), 1));
	assert_null(key_find(table, TK(KEY_F(3)), 0));
	assert_true(key_applies(&table[0], 3));
	assert_false(key_applies(&table[2], 3));
	assert_string_equal(key_name(TK(KEY_F(12))), "F12");
	assert_string_equal(key_name(TK_CTRL('L')), "^L");
	assert_string_equal(key_name(TK_ESC), "Esc");
	assert_int_equal(key_from_curses(OK, '\r'), TK_ENTER);
	assert_int_equal(key_from_curses(KEY_CODE_YES, KEY_ENTER), TK_ENTER);
	assert_int_equal(key_from_curses(OK, 127), TK(KEY_BACKSPACE));
	assert_int_equal(key_from_curses(KEY_CODE_YES, KEY_F(1)), TK(KEY_F(1)));
	assert_int_equal(key_from_curses(OK, 0x4e2d), 0x4e2d);
	b->action(NULL);
	assert_int_equal(acted, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_default_replaced),
		cmocka_unit_test(test_check_as_you_type),
		cmocka_unit_test(test_validate_keeps_contents),
		cmocka_unit_test(test_editing_keys),
		cmocka_unit_test(test_key_table),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
