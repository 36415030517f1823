/* sheet.h — a table for spreadsheets, written row by row: CSV (UTF-8 BOM, RFC 4180,
 * formula guard) or XLSX (libxlsxwriter). Cells are typed so that each format keeps what a
 * person needs: codes (ID numbers, phones, plates, passes) stay text, times are local
 * dates, numbers are numbers. Both outpost export and outpost-hub export write through it. */
#ifndef OUTPOST_SHEET_H
#define OUTPOST_SHEET_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

enum sheet_format { SHEET_CSV = 1, SHEET_XLSX = 2 };

struct sheet;

/* A CSV sheet on f (not owned), starting with a UTF-8 BOM if flags has SHEET_BOM (for a
 * file a spreadsheet opens; not for a script's standard output). */
#define SHEET_BOM 0x1
int sheet_open_csv(struct sheet **s, FILE *f, int flags, struct err *e);
/* An XLSX workbook at path (created by libxlsxwriter at sheet_close) with one worksheet;
 * its scratch files go in tmpdir (keep it beside path: they hold the same data). */
int sheet_open_xlsx(struct sheet **s, const char *path, const char *tmpdir, struct err *e);
/* XLSX: rows per worksheet, header included (1,048,576, the format's limit, unless a test
 * sets fewer); a full worksheet continues on the next, "records 2", with the header again. */
void sheet_set_max_rows(struct sheet *s, unsigned rows);

/* The header row: bold in XLSX, frozen, with a filter over the columns. */
int sheet_header(struct sheet *s, const char *const *names, size_t n, struct err *e);
/* One cell of the current row, left to right. */
int sheet_text(struct sheet *s, const char *v, struct err *e);	/* text, formula-guarded */
/* n empty cells: what n sheet_text(s, "", e) write. */
int sheet_skip(struct sheet *s, size_t n, struct err *e);
/* A code that must stay text though it may look like a number (an 18-digit ID number,
 * +85291234567, a pass number 007): a text cell in XLSX; in CSV, a value a spreadsheet
 * would read as a number gets a leading TAB, which keeps it text (see outpost(1)). */
int sheet_code(struct sheet *s, const char *v, struct err *e);
int sheet_number(struct sheet *s, const char *v, struct err *e);	/* "36.5"; "" empty */
int sheet_int(struct sheet *s, int64_t v, struct err *e);
/* A local time: a date-time cell in XLSX, "YYYY-MM-DDTHH:MM:SS+08:00" in CSV; 0 is empty. */
int sheet_time(struct sheet *s, int64_t ms, int tz_min, struct err *e);
int sheet_end_row(struct sheet *s, struct err *e);
/* Finishes the file (XLSX: writes the workbook) and frees s. E_IO if it could not be
 * written. s may be NULL. */
int sheet_close(struct sheet *s, struct err *e);
/* Frees s without finishing (an error happened; the caller discards the file). */
void sheet_abort(struct sheet *s);

/* Whether a spreadsheet would read v as a number (and lose its digits or its '+'). */
int sheet_looks_numeric(const char *v);

#endif
