/* export.h — writing records out for people and other programs: CSV (UTF-8 with BOM, RFC
 * 4180, opens in a spreadsheet with Chinese intact) or JSON Lines (one record per line). */
#ifndef OUTPOST_EXPORT_H
#define OUTPOST_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "storage/query.h"
#include "storage/record.h"

enum export_format { EXPORT_CSV = 1, EXPORT_JSONL = 2 };
/* "csv" | "jsonl" → enum; -1 if neither. */
int export_format_parse(const char *s);

/* Writes s as a JSON string (quotes, escapes for quote, backslash and control bytes;
 * UTF-8 passed through). */
void export_json_str(FILE *f, const char *s);

/* Writes the records q selects (see rec_list) to f: CSV has one header row of the envelope
 * columns (ref, version, kind, action, created, operator, shift, change_reason, alert, deleted)
 * followed by every field of every kind exported (or of q->kind only); JSONL one object per record.
 * *count (may be NULL) gets the records written. E_IO if f fails. */
int export_write(struct logbook *lb, FILE *f, int format, const struct rec_query *q, int64_t *count,
    struct err *e);

#endif
