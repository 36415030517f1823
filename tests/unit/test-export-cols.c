/* test-export-cols.c — the export's rows with one set of columns reused for every row (as
 * both exports do, the labels of each column remembered from row to row) are the rows a
 * fresh set of columns writes for each record alone: records of every kind in turn, each
 * coded field (choices and flags) cycling through its values, in English and Chinese;
 * and each kind's cells are in their own columns, the others' empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <locale.h>

#include "base/err.h"
#include "storage/csv.h"
#include "storage/export.h"
#include "storage/fields.h"
#include "storage/labels.h"
#include "storage/sheet.h"

/* Record i of kind k: each choice field on choice (i + field) % n, each flags field on
 * the bits of i, the rest left as rec_init made them. */
static void
make(int k, unsigned i, struct record *r)
{
	const struct rec_field *f;
	size_t n, j, c;

	rec_init(r, k);
	r->seq = i + 1;
	r->root_seq = i + 1;
	r->created_ms = 1780000000000LL + (int64_t)i * 61000;
	r->tz_min = 480;
	r->action = REC_ADD;
	f = rec_fields(k, &n);
	for (j = 0; j < n; j++) {
		if (f[j].type == FT_ENUM) {
			for (c = 0; f[j].choices[c] != NULL; c++)
				;
			if (c > 0)
				snprintf((char *)r + f[j].off, f[j].size, "%s",
				    f[j].choices[(i + j) % (c + 1) < c ? (i + j) % (c + 1) : 0]);
			if ((i + j) % (c + 1) == c)
				((char *)r + f[j].off)[0] = '\0';	/* and empty now and then */
		} else if (f[j].type == FT_FLAGS) {
			*(unsigned *)(void *)((char *)r + f[j].off) = i & 7;
		}
	}
}

/* The CSV of one record's row through cols. */
static char *
row_of(struct export_cols *cols, const struct record *r)
{
	struct sheet *s;
	struct err e = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(sheet_open_csv(&s, f, 0, &e), E_OK);
	assert_int_equal(export_cols_row(cols, s, r, &e), E_OK);
	assert_int_equal(sheet_end_row(s, &e), E_OK);
	assert_int_equal(sheet_close(s, &e), E_OK);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
rows_agree(void)
{
	struct export_cols *kept, *fresh;
	struct record r;
	struct err e = { 0 };
	char *a, *b;
	unsigned i;
	int k;

	assert_int_equal(export_cols_new(0, &kept, &e), E_OK);
	for (i = 0; i < 200; i++)
		for (k = 1; k < REC_KIND_COUNT; k++) {
			make(k, i, &r);
			assert_int_equal(export_cols_new(0, &fresh, &e), E_OK);
			a = row_of(kept, &r);
			b = row_of(fresh, &r);
			if (strcmp(a, b) != 0)
				fail_msg("kind %d, record %u:\n kept  %s\n fresh %s", k, i, a, b);
			free(a);
			free(b);
			export_cols_free(fresh);
		}
	export_cols_free(kept);
}

/* The header and one row, read back into fields. */
struct parsed {
	char *f[2][256];
	size_t n[2], rows;
};

static int
parsed_row(void *arg, size_t line, char **fields, size_t n)
{
	struct parsed *p = arg;
	size_t i;

	(void)line;
	assert_true(p->rows < 2);
	for (i = 0; i < n && i < 256; i++)
		assert_non_null(p->f[p->rows][i] = strdup(fields[i]));
	p->n[p->rows++] = n;
	return 0;
}

/* Each cell is in its column: a kind's text fields hold their own names (each one
 * different, none empty), and every column that is not the kind's is empty (a row
 * writes the runs of those at once). */
static void
test_columns(void **state)
{
	const struct rec_field *f;
	struct export_cols *cols;
	struct parsed p;
	struct record r;
	struct sheet *s;
	struct err e = { 0 };
	char *buf, *h, *c;
	size_t len, n, i, j, hl;
	FILE *fp;
	int k, found;

	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	for (k = 1; k < REC_KIND_COUNT; k++) {
		make(k, 3, &r);
		f = rec_fields(k, &n);
		for (j = 0; j < n; j++)
			if (f[j].type == FT_TEXT)
				snprintf((char *)&r + f[j].off, f[j].size, "%s!", f[j].name);
		assert_int_equal(export_cols_new(0, &cols, &e), E_OK);
		buf = NULL;
		assert_non_null(fp = open_memstream(&buf, &len));
		assert_int_equal(sheet_open_csv(&s, fp, 0, &e), E_OK);
		assert_int_equal(export_cols_header(cols, s, NULL, 0, NULL, 0, &e), E_OK);
		assert_int_equal(export_cols_row(cols, s, &r, &e), E_OK);
		assert_int_equal(sheet_end_row(s, &e), E_OK);
		assert_int_equal(sheet_close(s, &e), E_OK);
		assert_int_equal(fclose(fp), 0);
		export_cols_free(cols);
		memset(&p, 0, sizeof p);
		assert_non_null(fp = fmemopen(buf, len, "r"));
		assert_int_equal(csv_read(fp, parsed_row, &p, &e), E_OK);
		fclose(fp);
		assert_int_equal(p.rows, 2);
		assert_int_equal(p.n[1], p.n[0]);
		for (i = 11; i < p.n[0]; i++) {	/* after the envelope's columns */
			h = p.f[0][i];
			c = p.f[1][i];
			hl = strlen(h);
			for (j = 0, found = 0; j < n; j++) {
				if (strcmp(f[j].name, h) == 0) {
					found = 1;
					if (f[j].type == FT_TEXT && strncmp(c, h, hl) != 0)
						fail_msg("kind %d column %s: '%s'", k, h, c);
				} else if (hl > 6 && strcmp(h + hl - 6, "_label") == 0 &&
				    strncmp(f[j].name, h, hl - 6) == 0 && f[j].name[hl - 6] == '\0')
					found = 1;
			}
			if (!found && c[0] != '\0')
				fail_msg("kind %d column %s is not the kind's but holds '%s'", k, h, c);
		}
		for (i = 0; i < p.n[0]; i++) {
			free(p.f[0][i]);
			free(p.f[1][i]);
		}
		free(buf);
	}
}

static void
test_english(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	rows_agree();
}

static void
test_chinese(void **state)
{
	char dir[512];
	const char *top = getenv("OUTPOST_TOP"), *b = getenv("B");

	(void)state;
	if (setlocale(LC_ALL, "zh_CN.UTF-8") == NULL) {
		skip();
		return;
	}
	snprintf(dir, sizeof dir, "%s/%s/locale", top ? top : ".", b ? b : "build");
	bindtextdomain(OUTPOST_DOMAIN, dir);
	textdomain(OUTPOST_DOMAIN);
	bind_textdomain_codeset(OUTPOST_DOMAIN, "UTF-8");
	assert_string_equal(label_kind(REC_TEMP), "体温");	/* the catalog is in force */
	rows_agree();
	setlocale(LC_ALL, "C.UTF-8");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_chinese),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
