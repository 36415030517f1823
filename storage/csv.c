/* csv.c — RFC 4180 CSV writing (BOM, CRLF, quoting, formula guard) and reading (a small
 * state machine over getc, one row at a time, with limits so an import cannot eat memory). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storage/csv.h"

/* ---- writer ---- */

static int
csv_io(FILE *f, struct err *e)
{
	if (ferror(f))
		return err_set(e, E_IO, _("cannot write CSV: %s"), strerror(errno));
	return E_OK;
}

int
csv_writer_init(struct csv_writer *w, FILE *f, int flags, struct err *e)
{
	w->f = f;
	w->flags = flags;
	w->nfields = 0;
	w->len = 0;
	if (flags & CSV_BOM)
		fputs("\xef\xbb\xbf", f);
	return csv_io(f, e);
}

/* Writes out the row gathered so far. */
static void
csv_flush(struct csv_writer *w)
{
	if (w->len > 0)
		fwrite(w->row, 1, w->len, w->f);
	w->len = 0;
}

static void
csv_put(struct csv_writer *w, const char *p, size_t n)
{
	if (w->len + n > sizeof w->row) {
		csv_flush(w);
		if (n > sizeof w->row) {
			fwrite(p, 1, n, w->f);
			return;
		}
	}
	memcpy(w->row + w->len, p, n);
	w->len += n;
}

static void
csv_putc(struct csv_writer *w, char c)
{
	if (w->len == sizeof w->row)
		csv_flush(w);
	w->row[w->len++] = c;
}

/* An optional sign, digits, and at most one '.' followed by digits. */
static int
csv_plain_number(const char *s)
{
	int digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (digits == 0)
		return 0;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

int
csv_needs_guard(const char *s)
{
	if (s == NULL || (*s != '=' && *s != '+' && *s != '-' && *s != '@' && *s != '\t' &&
	    *s != '\r'))
		return 0;
	return !csv_plain_number(s);
}

/* The bytes that end a field's plain run: its end, and what makes it quoted. */
static const unsigned char csv_stop[256] = {
	[0] = 1, [','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1,
};

int
csv_field(struct csv_writer *w, const char *s, struct err *e)
{
	const char *p, *q;

	(void)e;
	if (s == NULL)
		s = "";
	if (w->nfields++ > 0)
		csv_putc(w, ',');
	if (*s == '\0')
		return E_OK;	/* most cells of a row: each kind has its own columns */
	/* one pass: a field with nothing to quote (most of an export's) goes in whole */
	for (p = s; !csv_stop[(unsigned char)*p]; p++)
		;
	if (*p == '\0') {
		if (!(w->flags & CSV_NO_GUARD) && csv_needs_guard(s))
			csv_putc(w, '\'');
		csv_put(w, s, (size_t)(p - s));
		return E_OK;
	}
	csv_putc(w, '"');
	if (!(w->flags & CSV_NO_GUARD) && csv_needs_guard(s))
		csv_putc(w, '\'');
	for (p = s; (q = strchr(p, '"')) != NULL; p = q + 1) {
		csv_put(w, p, (size_t)(q - p) + 1);	/* through the quote, then again */
		csv_putc(w, '"');
	}
	csv_put(w, p, strlen(p));
	csv_putc(w, '"');
	return E_OK;
}

int
csv_plain(struct csv_writer *w, const char *s, size_t n, struct err *e)
{
	(void)e;
	if (w->nfields++ > 0)
		csv_putc(w, ',');
	csv_put(w, s, n);
	return E_OK;
}

int
csv_empty(struct csv_writer *w, size_t n, struct err *e)
{
	size_t commas;

	(void)e;
	if (n == 0)
		return E_OK;
	/* a comma before each but the row's first field */
	commas = w->nfields > 0 ? n : n - 1;
	w->nfields += (int)n;
	while (commas > 0) {
		size_t k = sizeof w->row - w->len;

		if (k == 0) {
			csv_flush(w);
			continue;
		}
		if (k > commas)
			k = commas;
		memset(w->row + w->len, ',', k);
		w->len += k;
		commas -= k;
	}
	return E_OK;
}

int
csv_end_row(struct csv_writer *w, struct err *e)
{
	csv_put(w, "\r\n", 2);
	csv_flush(w);
	w->nfields = 0;
	return csv_io(w->f, e);
}

int
csv_write_row(struct csv_writer *w, const char *const *fields, size_t n, struct err *e)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = csv_field(w, fields[i], e)) != E_OK)
			return rc;
	return csv_end_row(w, e);
}

/* ---- reader ---- */

struct csv_reader {
	FILE *f;
	int back[3];	/* pushed-back bytes, last in first out */
	int nback;
	size_t line;	/* current physical line */
	char *buf;	/* the row's fields, each NUL-terminated */
	size_t len, cap;
	size_t starts[CSV_FIELDS_MAX];
	char *fields[CSV_FIELDS_MAX];
	size_t nfields;
	size_t field_len;
};

static int
rd_get(struct csv_reader *r)
{
	if (r->nback > 0)
		return r->back[--r->nback];
	return getc(r->f);
}

static void
rd_unget(struct csv_reader *r, int c)
{
	if (c == EOF)
		return;
	r->back[r->nback++] = c;
}

static int
rd_put(struct csv_reader *r, char c, struct err *e)
{
	char *nb;
	size_t nc;

	if (c != '\0' && ++r->field_len > CSV_FIELD_MAX)
		return err_set(e, E_INVALID, _("line %zu: a field is longer than %d bytes"),
		    r->line, CSV_FIELD_MAX);
	if (r->len == r->cap) {
		nc = r->cap == 0 ? 256 : r->cap * 2;
		if ((nb = realloc(r->buf, nc)) == NULL)
			return err_set(e, E_IO, _("out of memory reading CSV"));
		r->buf = nb;
		r->cap = nc;
	}
	r->buf[r->len++] = c;
	return E_OK;
}

static int
rd_start_field(struct csv_reader *r, struct err *e)
{
	if (r->nfields == CSV_FIELDS_MAX)
		return err_set(e, E_INVALID, _("line %zu: more than %d fields in a row"),
		    r->line, CSV_FIELDS_MAX);
	r->starts[r->nfields++] = r->len;
	r->field_len = 0;
	return E_OK;
}

/* Consumes a line end whose first byte c was just read (CR, LF or CRLF). */
static void
rd_line_end(struct csv_reader *r, int c)
{
	int d;

	if (c == '\r' && (d = rd_get(r)) != '\n')
		rd_unget(r, d);
	r->line++;
}

/* Reads one field after its first byte c; stops after the byte that ends it and sets *end
 * to that byte (',', '\n' for any line end, or EOF). */
static int
rd_field(struct csv_reader *r, int c, int *end, struct err *e)
{
	size_t open_line = r->line;
	int rc;

	if ((rc = rd_start_field(r, e)) != E_OK)
		return rc;
	if (c == '"') {
		for (;;) {
			c = rd_get(r);
			if (c == EOF)
				return err_set(e, E_INVALID,
				    _("line %zu: a quoted field is never closed"), open_line);
			if (c == '"') {
				c = rd_get(r);
				if (c != '"')
					break;
			} else if (c == '\r' || c == '\n') {
				/* Kept as typed; CRLF stays CRLF. */
				if (c == '\r') {
					int d = rd_get(r);
					if (d == '\n' && (rc = rd_put(r, '\r', e)) != E_OK)
						return rc;
					if (d == '\n')
						c = '\n';
					else
						rd_unget(r, d);
				}
				r->line++;
			} else if (c == '\0')
				return err_set(e, E_INVALID, _("line %zu: a NUL byte in the text"),
				    r->line);
			if ((rc = rd_put(r, (char)c, e)) != E_OK)
				return rc;
		}
		if (c != ',' && c != '\r' && c != '\n' && c != EOF)
			return err_set(e, E_INVALID,
			    _("line %zu: text after a closing quote"), r->line);
	} else {
		while (c != ',' && c != '\r' && c != '\n' && c != EOF) {
			if (c == '\0')
				return err_set(e, E_INVALID, _("line %zu: a NUL byte in the text"),
				    r->line);
			if ((rc = rd_put(r, (char)c, e)) != E_OK)
				return rc;
			c = rd_get(r);
		}
	}
	if ((rc = rd_put(r, '\0', e)) != E_OK)
		return rc;
	if (c == '\r' || c == '\n') {
		rd_line_end(r, c);
		c = '\n';
	}
	*end = c;
	return E_OK;
}

static int
rd_rows(struct csv_reader *r, csv_row_fn fn, void *arg, struct err *e)
{
	size_t i, row_line;
	int c, end = EOF, rc;

	for (;;) {
		c = rd_get(r);
		if (c == EOF)
			break;
		if (c == '\r' || c == '\n') {	/* an empty line */
			rd_line_end(r, c);
			continue;
		}
		row_line = r->line;
		r->len = 0;
		r->nfields = 0;
		do {
			if ((rc = rd_field(r, c, &end, e)) != E_OK)
				return rc;
			if (end == ',')
				c = rd_get(r);
		} while (end == ',');
		for (i = 0; i < r->nfields; i++)
			r->fields[i] = r->buf + r->starts[i];
		if ((rc = fn(arg, row_line, r->fields, r->nfields)) != 0)
			return rc;
		if (end == EOF)
			break;
	}
	if (ferror(r->f))
		return err_set(e, E_IO, _("cannot read CSV: %s"), strerror(errno));
	return E_OK;
}

int
csv_read(FILE *f, csv_row_fn fn, void *arg, struct err *e)
{
	struct csv_reader *r;
	int c1, c2, c3, rc;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return err_set(e, E_IO, _("out of memory reading CSV"));
	r->f = f;
	r->line = 1;
	c1 = getc(f);
	if (c1 == 0xef) {
		c2 = getc(f);
		c3 = c2 == 0xbb ? getc(f) : EOF;
		if (!(c2 == 0xbb && c3 == 0xbf)) {
			rd_unget(r, c3);
			rd_unget(r, c2);
			rd_unget(r, c1);
		}
	} else
		rd_unget(r, c1);
	rc = rd_rows(r, fn, arg, e);
	free(r->buf);
	free(r);
	return rc;
}
