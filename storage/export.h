/* export.h — writing records out for people and other programs: CSV (UTF-8 with BOM, RFC
 * 4180) or XLSX for spreadsheets, with Chinese intact, or JSON Lines (one record per line). */
#ifndef OUTPOST_EXPORT_H
#define OUTPOST_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "storage/query.h"
#include "storage/record.h"
#include "storage/sheet.h"

enum export_format { EXPORT_CSV = 1, EXPORT_JSONL = 2, EXPORT_XLSX = 3 };
/* "csv" | "jsonl" | "xlsx" → enum; -1 if none. */
int export_format_parse(const char *s);

/* Writes s as a JSON string (quotes, escapes for quote, backslash and control bytes;
 * UTF-8 passed through). */
void export_json_str(FILE *f, const char *s);

/* Writes the records q selects (see rec_list) to f: CSV (EXPORT_CSV) a header row of the
 * columns (see export_cols) then one row per record; JSONL one object per record. *count
 * (may be NULL) gets the records written. E_IO if f fails. */
int export_write(struct logbook *lb, FILE *f, int format, const struct rec_query *q,
    int64_t *count, struct err *e);
/* The same rows to a sheet (CSV or XLSX, see sheet.h); the caller closes s. */
int export_write_sheet(struct logbook *lb, struct sheet *s, const struct rec_query *q,
    int64_t *count, struct err *e);

/* The columns of a CSV or XLSX export of kind (0: every kind): the envelope (ref, version,
 * kind, kind_label, action, created, operator, shift, change_reason, alert, deleted), then
 * every field of the kinds once, a NAME_label column after each coded field (its choices
 * in the interface's language). Built once, used for every row. */
struct export_cols;
int export_cols_new(int kind, struct export_cols **c, struct err *e);
void export_cols_free(struct export_cols *c);
/* The header row: pre columns, the export's, post columns (the hub's station and times). */
int export_cols_header(const struct export_cols *c, struct sheet *s, const char *const *pre,
    size_t npre, const char *const *post, size_t npost, struct err *e);
/* r's cells in the export's columns, typed (codes as text, times as local dates); the
 * caller writes its own pre and post cells and ends the row. c remembers the last label
 * of each column (the labels are those of the language in force when c was made). */
int export_cols_row(struct export_cols *c, struct sheet *s, const struct record *r,
    struct err *e);
/* A record from its kind name and canonical body (as the hub holds it): 0, or -1 if the
 * body is malformed. */
int export_record_from_body(const char *kind, const char *body, struct record *r);

#endif
