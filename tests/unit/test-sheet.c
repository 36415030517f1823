/* test-sheet.c — storage/sheet.c's exact CSV bytes for each cell type (codes kept text
 * behind a TAB, the formula guard still on for text, local ISO times, BOM only when asked)
 * and an XLSX that goes past a worksheet's rows continuing on the next one with its header,
 * read back with openpyxl; the CSV time cells and the memo of the local offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "storage/clock.h"
#include "storage/csv.h"
#include "storage/sheet.h"

static void
test_csv_cells(void **state)
{
	const char *const head[] = { "id", "phone", "plate", "note", "n", "t" };
	struct sheet *s;
	struct err e = { 0 };
	char *buf = NULL;
	size_t len;
	FILE *f;

	(void)state;
	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(sheet_open_csv(&s, f, 0, &e), E_OK);
	assert_int_equal(sheet_header(s, head, 6, &e), E_OK);
	assert_int_equal(sheet_code(s, "110105194912310011", &e), E_OK);
	assert_int_equal(sheet_code(s, "+85291234567", &e), E_OK);
	assert_int_equal(sheet_code(s, "粤B12345", &e), E_OK);
	assert_int_equal(sheet_code(s, "=HYPERLINK(\"x\")", &e), E_OK);
	assert_int_equal(sheet_number(s, "36.5", &e), E_OK);
	/* 2026-03-01T00:00:00Z at +08:00 */
	assert_int_equal(sheet_time(s, 1772323200000LL, 480, &e), E_OK);
	assert_int_equal(sheet_end_row(s, &e), E_OK);
	assert_int_equal(sheet_close(s, &e), E_OK);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "id,phone,plate,note,n,t\r\n"
	    "\t110105194912310011,\t+85291234567,粤B12345,\"'=HYPERLINK(\"\"x\"\")\",36.5,"
	    "2026-03-01T08:00:00+08:00\r\n");
	free(buf);
	buf = NULL;
	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(sheet_open_csv(&s, f, SHEET_BOM, &e), E_OK);
	assert_int_equal(sheet_close(s, &e), E_OK);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "\xEF\xBB\xBF", 3);
	free(buf);
}

/* sheet_time keeps the last two times it wrote (a row's creation time changes, the hub's
 * receive time beside it mostly does not): whatever the order of times and offsets, each
 * cell is the time's own; and sheet_skip(s, n) writes n empty cells. */
static void
test_csv_times_and_skips(void **state)
{
	/* the fifth: a time before year 0 (written by csv_field, behind the guard) */
	static const int64_t ms[] = { 1772323200000LL, 1772323201000LL, 1772323200000LL,
		1772323200000LL, -62230000000000LL, 1772323201000LL, 1772323200000LL };
	static const int tz[] = { 480, 480, 480, -300, 480, 480, -300 };
	struct sheet *s;
	struct err e = { 0 };
	char *buf = NULL, want[4096], t[40];
	size_t len, i, o = 0;
	FILE *f;

	(void)state;
	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(sheet_open_csv(&s, f, 0, &e), E_OK);
	for (i = 0; i < 7 * 7; i++) {
		/* the seven times in seven orders: i-th cell is time (i * 3 + i / 7) % 7 */
		size_t j = (i * 3 + i / 7) % 7;

		assert_int_equal(sheet_time(s, ms[j], tz[j], &e), E_OK);
		clock_format_iso(ms[j], tz[j], t, sizeof t);
		o += (size_t)snprintf(want + o, sizeof want - o, "%s%s%s", i ? "," : "",
		    csv_needs_guard(t) ? "'" : "", t);
	}
	assert_int_equal(sheet_skip(s, 3, &e), E_OK);
	assert_int_equal(sheet_text(s, "x", &e), E_OK);
	assert_int_equal(sheet_skip(s, 0, &e), E_OK);
	assert_int_equal(sheet_end_row(s, &e), E_OK);
	assert_int_equal(sheet_skip(s, 2, &e), E_OK);
	assert_int_equal(sheet_end_row(s, &e), E_OK);
	assert_int_equal(sheet_close(s, &e), E_OK);
	assert_int_equal(fclose(f), 0);
	o += (size_t)snprintf(want + o, sizeof want - o, ",,,,x\r\n,\r\n");
	assert_string_equal(buf, want);
	free(buf);
}

/* clock_tz_min_memo answers as clock_tz_min does, in any order of instants, across a
 * change of offset that is not on a minute (Monrovia, 1972-01-07 00:44:30 UTC: from
 * -0:44:30 to UTC), and apart from it. */
static void
test_tz_memo(void **state)
{
	static const int64_t at = 63593070000LL;	/* the change, in ms */
	struct clock_tz_memo m = { 0 };
	const char *tz = getenv("TZ");
	char keep[64] = "";
	int64_t ms;
	int i, changes = 0, last = 1;

	(void)state;
	if (tz != NULL)
		snprintf(keep, sizeof keep, "%s", tz);
	setenv("TZ", "Africa/Monrovia", 1);
	tzset();
	if (clock_tz_min(at - 1000) == clock_tz_min(at)) {
		skip();	/* no tzdata for it here */
		return;
	}
	for (i = 0; i < 400; i++) {
		/* back and forth over 40 s around the change, in steps of 0.1 s to 2 s */
		ms = at - 20000 + (int64_t)((i * 7919) % 400) * 100 + (i % 3) * 37;
		if (clock_tz_min_memo(&m, ms) != clock_tz_min(ms))
			fail_msg("at %lld ms: memo %d, clock_tz_min %d", (long long)ms,
			    clock_tz_min_memo(&m, ms), clock_tz_min(ms));
		changes += last != 1 && last != clock_tz_min(ms);
		last = clock_tz_min(ms);
	}
	assert_true(changes > 10);	/* it went across many times */
	if (keep[0] != '\0')
		setenv("TZ", keep, 1);
	else
		unsetenv("TZ");
	tzset();
}

static void
test_xlsx_more_rows_than_a_sheet(void **state)
{
	const char *const head[] = { "ref", "id" };
	char dir[] = "/tmp/outpost-sheet.XXXXXX", path[128], cmd[1024];
	struct sheet *s;
	struct err e = { 0 };
	char id[32];
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/x.xlsx", dir);
	assert_int_equal(sheet_open_xlsx(&s, path, dir, &e), E_OK);
	sheet_set_max_rows(s, 3);	/* a header and two rows per worksheet */
	assert_int_equal(sheet_header(s, head, 2, &e), E_OK);
	for (i = 1; i <= 5; i++) {
		snprintf(id, sizeof id, "11010519491231%04d", i);
		assert_int_equal(sheet_int(s, i, &e), E_OK);
		assert_int_equal(sheet_code(s, id, &e), E_OK);
		assert_int_equal(sheet_end_row(s, &e), E_OK);
	}
	assert_int_equal(sheet_close(s, &e), E_OK);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c \""
	    "import openpyxl\n"
	    "wb = openpyxl.load_workbook('%s')\n"
	    "assert wb.sheetnames == ['records', 'records 2', 'records 3'], wb.sheetnames\n"
	    "rows = [list(r) for ws in wb for r in ws.iter_rows(values_only=True)]\n"
	    "want = [['ref', 'id'], [1, '110105194912310001'], [2, '110105194912310002'],\n"
	    "        ['ref', 'id'], [3, '110105194912310003'], [4, '110105194912310004'],\n"
	    "        ['ref', 'id'], [5, '110105194912310005']]\n"
	    "assert rows == want, rows\n\"", path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);	/* the scratch files are gone too */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_cells),
		cmocka_unit_test(test_csv_times_and_skips),
		cmocka_unit_test(test_tz_memo),
		cmocka_unit_test(test_xlsx_more_rows_than_a_sheet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
