/* csv.h — RFC 4180 CSV: a writer for exports that open in a spreadsheet with Chinese
 * intact (UTF-8 BOM, CRLF, quoting) and safe from formula injection, and a reader for
 * importing watchlists row by row. */
#ifndef OUTPOST_CSV_H
#define OUTPOST_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "base/err.h"

/* Writer flags. */
#define CSV_BOM		0x1	/* start the output with a UTF-8 byte order mark */
#define CSV_NO_GUARD	0x2	/* write fields exactly, without the formula guard */

/* Formula guard (on unless CSV_NO_GUARD): a field whose first byte is = + - @, TAB or CR
 * is written with a leading apostrophe, so a spreadsheet shows it as text instead of
 * evaluating it ("=HYPERLINK(…)", "@SUM(…)", "+86 138…"). A field that is a plain decimal
 * number — an optional sign, digits, at most one '.' with digits after it ("-12", "+3",
 * "-0.5", "36.5") — is left alone, since a spreadsheet reads it as the number it is. */

/* The current row is gathered here and reaches f whole at csv_end_row (an export writes
 * millions of rows of some seventy fields: one stdio call a row, not several a field). */
#define CSV_ROW_BUF 4096

struct csv_writer {
	FILE *f;
	int flags;
	int nfields;	/* fields written on the current row */
	size_t len;	/* bytes of it in row, not yet written to f */
	char row[CSV_ROW_BUF];
};

/* Starts a writer on f (not owned); writes the BOM now if CSV_BOM is set.
 * Returns E_OK, or E_IO with e set. */
int csv_writer_init(struct csv_writer *w, FILE *f, int flags, struct err *e);

/* Appends one field to the current row (NULL is an empty field), quoted if it holds a
 * comma, quote, CR or LF (and quotes doubled). The row reaches f at csv_end_row (a row
 * longer than the buffer on the way). Returns E_OK or E_IO. */
int csv_field(struct csv_writer *w, const char *s, struct err *e);

/* Appends s[0..n), which holds no comma, quote, CR or LF and does not start with what
 * the formula guard looks for (a number's digits, a time): what csv_field appends for
 * it, without looking. Returns E_OK. */
int csv_plain(struct csv_writer *w, const char *s, size_t n, struct err *e);

/* Appends n empty fields: what n calls of csv_field(w, "", e) append. Returns E_OK. */
int csv_empty(struct csv_writer *w, size_t n, struct err *e);

/* Ends the current row with CRLF. Returns E_OK or E_IO. */
int csv_end_row(struct csv_writer *w, struct err *e);

/* Writes n fields and the row end. Returns E_OK or E_IO. */
int csv_write_row(struct csv_writer *w, const char *const *fields, size_t n, struct err *e);

/* Whether the formula guard would prefix s with an apostrophe. */
int csv_needs_guard(const char *s);

/* Limits of the reader: a longer field or a wider row is refused as E_INVALID. */
#define CSV_FIELD_MAX	(64 * 1024)
#define CSV_FIELDS_MAX	256

/* Called once per row: fields[0..n-1] are NUL-terminated and valid only during the call;
 * line is the physical line the row starts on (1-based). Return 0 to go on; any other
 * value stops the reader, which returns it. */
typedef int (*csv_row_fn)(void *arg, size_t line, char **fields, size_t n);

/* Reads RFC 4180 CSV from f: a leading UTF-8 BOM is skipped; quoted fields may hold
 * commas, doubled quotes and line breaks; rows end with CRLF, LF or CR; the last row may
 * lack an end; empty lines are skipped; a quote inside an unquoted field is kept as a
 * character (lenient, as spreadsheets are). Returns E_OK at the end of the input, the
 * callback's non-zero value, or E_INVALID ("line N: …": an unterminated quote, text after a
 * closing quote, a NUL byte, a limit exceeded) or E_IO with e set. */
int csv_read(FILE *f, csv_row_fn fn, void *arg, struct err *e);

#endif
