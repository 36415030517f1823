/* test-csv.c — the CSV writer's exact bytes (BOM, CRLF, quoting, formula guard), the
 * reader on RFC 4180 corner cases and malformed input, and a randomised round trip; a run
 * of empty fields written at once is the fields written one by one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/parse.h"
#include "storage/clock.h"
#include "storage/csv.h"

/* Runs write(w) into memory and returns the bytes (caller frees). */
static char *
written(int flags, void (*write)(struct csv_writer *), size_t *len)
{
	struct csv_writer w;
	struct err e;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(csv_writer_init(&w, f, flags, &e), E_OK);
	write(&w);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
write_basic(struct csv_writer *w)
{
	const char *row[] = { "a", "b,c", "say \"hi\"", "line\nbreak", "cr\rx", "", NULL,
		"王小明" };
	struct err e;

	assert_int_equal(csv_write_row(w, row, 8, &e), E_OK);
	assert_int_equal(csv_field(w, "x", &e), E_OK);
	assert_int_equal(csv_field(w, "y", &e), E_OK);
	assert_int_equal(csv_end_row(w, &e), E_OK);
}

static void
test_writer_bytes(void **state)
{
	const char *want = "a,\"b,c\",\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rx\",,,王小明\r\n"
	    "x,y\r\n";
	size_t len;
	char *out;

	(void)state;
	out = written(0, write_basic, &len);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(out, want, len);
	free(out);
	out = written(CSV_BOM, write_basic, &len);
	assert_int_equal(len, strlen(want) + 3);
	assert_memory_equal(out, "\xef\xbb\xbf", 3);
	assert_memory_equal(out + 3, want, len - 3);
	free(out);
}

/* csv_empty(w, n) writes what n empty csv_field calls write: at a row's start or after
 * fields, any n, across the row buffer's end (4096 bytes) and past its whole size. */
static void
test_writer_empty_runs(void **state)
{
	static const size_t before[] = { 0, 1, 3, 4000, 4095 };
	struct csv_writer w;
	struct err e;
	char *a, *b = NULL, pad[4096];
	size_t la, lb = 0, i, j, n, k;
	FILE *f;

	(void)state;
	memset(pad, 'x', sizeof pad);
	for (i = 0; i < sizeof before / sizeof before[0]; i++)
		for (n = 0; n <= 4200; n += n < 40 ? 1 : 97) {
			for (k = 0; k < 2; k++) {
				a = NULL;
				assert_non_null(f = open_memstream(&a, &la));
				assert_int_equal(csv_writer_init(&w, f, 0, &e), E_OK);
				/* before[i] bytes of fields first: one field, or before[i] of them */
				if (before[i] > 3) {
					pad[before[i] - 1] = '\0';
					assert_int_equal(csv_field(&w, pad, &e), E_OK);
					pad[before[i] - 1] = 'x';
				} else
					for (j = 0; j < before[i]; j++)
						assert_int_equal(csv_field(&w, "y", &e), E_OK);
				if (k == 0)
					assert_int_equal(csv_empty(&w, n, &e), E_OK);
				else
					for (j = 0; j < n; j++)
						assert_int_equal(csv_field(&w, "", &e), E_OK);
				assert_int_equal(csv_field(&w, "z", &e), E_OK);
				assert_int_equal(csv_end_row(&w, &e), E_OK);
				assert_int_equal(fclose(f), 0);
				if (k == 0)
					b = a, lb = la;
			}
			if (la != lb || memcmp(a, b, la) != 0)
				fail_msg("%zu empty fields after %zu: %zu bytes, not %zu", n, before[i],
				    lb, la);
			free(a);
			free(b);
		}
}

/* csv_plain (numbers and times, written without looking) writes what csv_field writes
 * for them: integers of every length and sign, the export's times, as first field and
 * after others. */
static void
test_writer_plain(void **state)
{
	static const int64_t ints[] = { 0, 1, -1, 9, -9, 10, 36, -36, 123456789,
		-123456789012LL, INT64_MAX, INT64_MIN };
	struct csv_writer w[2];
	struct err e;
	char *out[2], v[40];
	size_t len[2], i, k, n;
	int64_t ms;
	FILE *f[2];

	(void)state;
	for (k = 0; k < 2; k++) {
		out[k] = NULL;
		assert_non_null(f[k] = open_memstream(&out[k], &len[k]));
		assert_int_equal(csv_writer_init(&w[k], f[k], 0, &e), E_OK);
	}
	for (i = 0; i < sizeof ints / sizeof ints[0] + 400; i++) {
		if (i < sizeof ints / sizeof ints[0])
			n = fmt_int(ints[i], v);
		else {
			ms = 1780000000000LL + (int64_t)(i * 7919) * 3600123;
			clock_format_iso(ms, (int)(i % 5) * 90 - 180, v, sizeof v);
			n = strlen(v);
		}
		assert_int_equal(csv_plain(&w[0], v, n, &e), E_OK);
		assert_int_equal(csv_field(&w[1], v, &e), E_OK);
		if (i % 7 == 6)
			for (k = 0; k < 2; k++)
				assert_int_equal(csv_end_row(&w[k], &e), E_OK);
	}
	for (k = 0; k < 2; k++) {
		assert_int_equal(csv_end_row(&w[k], &e), E_OK);
		assert_int_equal(fclose(f[k]), 0);
	}
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(out[0], out[1], len[0]);
	free(out[0]);
	free(out[1]);
}

static void
write_guarded(struct csv_writer *w)
{
	const char *row[] = { "=SUM(A1:A9)", "+86 138", "-", "@cmd", "-12", "36.5", "+3",
		"-0.5", "=a,b", "\tx", "1e5", "-1e5", "a=b", "-.5", "-5.", "37.3" };
	struct err e;

	assert_int_equal(csv_write_row(w, row, sizeof row / sizeof row[0], &e), E_OK);
}

static void
test_formula_guard(void **state)
{
	const char *want = "'=SUM(A1:A9),'+86 138,'-,'@cmd,-12,36.5,+3,-0.5,\"'=a,b\","
	    "'\tx,1e5,'-1e5,a=b,'-.5,'-5.,37.3\r\n";
	const char *plain = "=SUM(A1:A9),+86 138,-,@cmd,-12,36.5,+3,-0.5,\"=a,b\","
	    "\tx,1e5,-1e5,a=b,-.5,-5.,37.3\r\n";
	size_t len;
	char *out;

	(void)state;
	out = written(0, write_guarded, &len);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(out, want, len);
	free(out);
	out = written(CSV_NO_GUARD, write_guarded, &len);
	assert_int_equal(len, strlen(plain));
	assert_memory_equal(out, plain, len);
	free(out);
	assert_true(csv_needs_guard("=1+1"));
	assert_true(csv_needs_guard("\rx"));
	assert_false(csv_needs_guard(""));
	assert_false(csv_needs_guard(NULL));
	assert_false(csv_needs_guard("-273"));
	assert_false(csv_needs_guard("王=1"));
}

/* ---- reader ---- */

struct rows {
	int n;
	char text[4096];	/* rows as "line:f1|f2|…;" */
	int stop_at;		/* stop (return 7) on this row number, 0 never */
};

static int
collect(void *arg, size_t line, char **fields, size_t n)
{
	struct rows *r = arg;
	size_t i, l = strlen(r->text);

	r->n++;
	/* Kept short: the limit tests pass fields far longer than text. */
	l += (size_t)snprintf(r->text + l, sizeof r->text - l, "%zu:", line);
	for (i = 0; i < n && l < sizeof r->text - 64; i++) {
		snprintf(r->text + l, sizeof r->text - l, "%s%.32s", i ? "|" : "", fields[i]);
		l = strlen(r->text);
	}
	snprintf(r->text + l, sizeof r->text - l, ";");
	return r->n == r->stop_at ? 7 : 0;
}

static int
read_mem(const char *data, size_t len, struct rows *r, struct err *e)
{
	FILE *f = fmemopen((void *)data, len, "r");
	int rc;

	assert_non_null(f);
	memset(r, 0, sizeof *r);
	err_clear(e);
	rc = csv_read(f, collect, r, e);
	fclose(f);
	return rc;
}

static void
expect_rows(const char *data, const char *want)
{
	struct rows r;
	struct err e;

	assert_int_equal(read_mem(data, strlen(data), &r, &e), E_OK);
	assert_string_equal(r.text, want);
}

static void
test_reader_rfc4180(void **state)
{
	(void)state;
	expect_rows("a,b,c\r\n1,2,3\r\n", "1:a|b|c;2:1|2|3;");
	expect_rows("a,b,c\n1,2,3", "1:a|b|c;2:1|2|3;");
	expect_rows("a,b\r1,2\r", "1:a|b;2:1|2;");
	expect_rows("\xef\xbb\xbfid,reason\r\n", "1:id|reason;");
	expect_rows("\"a,b\",\"say \"\"hi\"\"\",\"\"\r\n", "1:a,b|say \"hi\"|;");
	expect_rows("\"multi\r\nline\",x\r\nnext,row\r\n", "1:multi\r\nline|x;3:next|row;");
	expect_rows("\"a\nb\nc\"\nz\n", "1:a\nb\nc;4:z;");
	expect_rows("a,,\r\n,\r\n", "1:a||;2:|;");
	expect_rows("\r\n\r\na\r\n\n\nb", "3:a;6:b;");
	expect_rows("\"\"\n", "1:;");
	expect_rows("", "");
	expect_rows("\xef\xbb\xbf", "");
	expect_rows("\xef\xbb", "1:\xef\xbb;");	/* not a BOM: kept as data */
	expect_rows("\xef" "a", "1:\xef" "a;");
	expect_rows("鄂A12345,疫区返回,2026-12-31\r\n", "1:鄂A12345|疫区返回|2026-12-31;");
	expect_rows("a b ,c\"d\n", "1:a b |c\"d;");	/* lenient inside bare fields */
}

static void
test_reader_errors(void **state)
{
	struct rows r;
	struct err e;
	char *big;
	size_t i;

	(void)state;
	assert_int_equal(read_mem("a\n\"open,b\nc\n", 12, &r, &e), E_INVALID);
	assert_string_equal(e.msg, "line 2: a quoted field is never closed");
	assert_int_equal(r.n, 1);
	assert_int_equal(read_mem("a\nb\n\"x\"y,z\n", 11, &r, &e), E_INVALID);
	assert_string_equal(e.msg, "line 3: text after a closing quote");
	assert_int_equal(read_mem("a,b\0c\n", 6, &r, &e), E_INVALID);
	assert_string_equal(e.msg, "line 1: a NUL byte in the text");
	assert_int_equal(read_mem("\"a\0\"\n", 5, &r, &e), E_INVALID);

	/* Limits: one field too long, one row too wide. */
	big = malloc(CSV_FIELD_MAX + 16);
	assert_non_null(big);
	memset(big, 'x', CSV_FIELD_MAX);
	assert_int_equal(read_mem(big, CSV_FIELD_MAX, &r, &e), E_OK);
	assert_int_equal(r.n, 1);
	memset(big, 'x', CSV_FIELD_MAX + 1);
	assert_int_equal(read_mem(big, CSV_FIELD_MAX + 1, &r, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "longer than"));
	for (i = 0; i < CSV_FIELDS_MAX + 1; i++)
		big[i] = ',';
	assert_int_equal(read_mem(big, CSV_FIELDS_MAX - 1, &r, &e), E_OK);
	assert_int_equal(read_mem(big, CSV_FIELDS_MAX, &r, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "more than"));
	free(big);
}

static void
test_reader_callback_stops(void **state)
{
	const char *data = "1\n2\n3\n4\n";
	struct rows r;
	FILE *f = fmemopen((void *)data, strlen(data), "r");
	struct err e;

	(void)state;
	memset(&r, 0, sizeof r);
	r.stop_at = 2;
	assert_int_equal(csv_read(f, collect, &r, &e), 7);
	assert_string_equal(r.text, "1:1;2:2;");
	fclose(f);
}

/* Fields of random bytes that matter to CSV, written and read back. */
struct round {
	char ***want;
	size_t *widths;
	size_t rows, at;
	int bad;
};

static int
compare(void *arg, size_t line, char **fields, size_t n)
{
	struct round *rt = arg;
	size_t i;

	(void)line;
	if (rt->at >= rt->rows || n != rt->widths[rt->at]) {
		rt->bad = 1;
		return 1;
	}
	for (i = 0; i < n; i++)
		if (strcmp(fields[i], rt->want[rt->at][i]) != 0)
			rt->bad = 1;
	rt->at++;
	return 0;
}

static void
test_round_trip(void **state)
{
	static const char *const atoms[] = { "a", ",", "\"", "\r\n", "\n", "\r", " ", "中",
		"=", "-", "1", "'", "x\"y" };
	struct round rt = { 0 };
	struct csv_writer w;
	struct err e;
	char *buf = NULL;
	size_t len, i, j, k;
	FILE *f;

	(void)state;
	srand(4180);
	rt.rows = 300;
	rt.want = calloc(rt.rows, sizeof *rt.want);
	rt.widths = calloc(rt.rows, sizeof *rt.widths);
	assert_non_null(rt.want);
	assert_non_null(rt.widths);
	f = open_memstream(&buf, &len);
	assert_int_equal(csv_writer_init(&w, f, CSV_BOM | CSV_NO_GUARD, &e), E_OK);
	for (i = 0; i < rt.rows; i++) {
		rt.widths[i] = 1 + (size_t)rand() % 8;
		rt.want[i] = calloc(rt.widths[i], sizeof **rt.want);
		for (j = 0; j < rt.widths[i]; j++) {
			char *s = calloc(1, 128);
			size_t natoms = (size_t)rand() % 10;
			for (k = 0; k < natoms; k++)
				strcat(s, atoms[rand() % (sizeof atoms / sizeof atoms[0])]);
			/* A row that is one empty field would be an empty line: skipped. */
			if (rt.widths[i] == 1 && s[0] == '\0')
				strcpy(s, "z");
			rt.want[i][j] = s;
		}
		assert_int_equal(csv_write_row(&w, (const char *const *)rt.want[i], rt.widths[i],
		    &e), E_OK);
	}
	fclose(f);
	f = fmemopen(buf, len, "r");
	assert_int_equal(csv_read(f, compare, &rt, &e), E_OK);
	fclose(f);
	assert_int_equal(rt.bad, 0);
	assert_int_equal(rt.at, rt.rows);
	for (i = 0; i < rt.rows; i++) {
		for (j = 0; j < rt.widths[i]; j++)
			free(rt.want[i][j]);
		free(rt.want[i]);
	}
	free(rt.want);
	free(rt.widths);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer_bytes),
		cmocka_unit_test(test_writer_empty_runs),
		cmocka_unit_test(test_writer_plain),
		cmocka_unit_test(test_formula_guard),
		cmocka_unit_test(test_reader_rfc4180),
		cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_reader_callback_stops),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
