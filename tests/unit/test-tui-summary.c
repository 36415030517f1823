/* test-tui-summary.c — a record's row in the log and search lists, drawn on a real curses
 * screen (newterm on /dev/null) and read back: the record's number is shown whole, with a
 * space before the kind, however many digits it has. */
#include <curses.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "storage/record.h"
#include "tui/app.h"
#include "tui/summary.h"

struct fix {
	FILE *out, *in;
	SCREEN *scr;
	struct app app;
};

static int
setup(void **state)
{
	struct fix *f = calloc(1, sizeof *f);

	setlocale(LC_ALL, "C.UTF-8");
	assert_non_null(f->out = fopen("/dev/null", "w"));
	assert_non_null(f->in = fopen("/dev/null", "r"));
	assert_non_null(f->scr = newterm("vt100", f->out, f->in));
	set_term(f->scr);
	resizeterm(5, 100);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	endwin();
	delscreen(f->scr);
	fclose(f->out);
	fclose(f->in);
	free(f);
	return 0;
}

/* The row a record of this number draws, as text (trailing blanks kept). */
static void
row_of(struct fix *f, int64_t seq, char *out, int n)
{
	struct record r;

	rec_init(&r, REC_TEMP);
	r.seq = r.root_seq = seq;
	r.created_ms = r.first_ms = 1772357400000LL;	/* 2026-03-01 09:30 UTC */
	r.u.temp.value = 365;
	erase();
	summary_draw(&f->app, 0, 0, COLS, &r, 0);
	assert_int_equal(mvinnstr(0, 0, out, n), n < COLS ? n : COLS);
}

static void
test_number_whole(void **state)
{
	struct fix *f = *state;
	static const struct {
		int64_t seq;
		const char *shown;
	} cases[] = {
		{ 7, "#7     " },			/* 7 columns, as always */
		{ 99999, "#99999 " },
		{ 974995, "#974995 " },			/* was "#974995" run into the kind */
		{ 1000000, "#1000000 " },		/* was cut to "#100000" */
		{ 123456789012LL, "#123456789012 " },
	};
	const char *kind = summary_kind(REC_TEMP);
	char row[101];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *at;

		row_of(f, cases[i].seq, row, 100);
		assert_non_null(at = strchr(row, '#'));
		assert_memory_equal(at, cases[i].shown, strlen(cases[i].shown));
		/* the kind's label follows the number's column */
		assert_int_equal(strncmp(at + strlen(cases[i].shown), kind, strlen(kind)), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_number_whole, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
