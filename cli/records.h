/* records.h — what the record subcommands (add, exit, correct, list, search, report, export,
 * purge, watchlist, settings, shift) share: opening the logbook, flags named after fields,
 * references, and printing records as a table, CSV or JSON. */
#ifndef OUTPOST_CLI_RECORDS_H
#define OUTPOST_CLI_RECORDS_H

#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
#include "storage/logbook.h"
#include "storage/query.h"
#include "storage/record.h"
#include "storage/export.h"

/* An unlocked, opened logbook. */
struct rcli {
	struct vault *v;
	sqlite3 *db;
	struct logbook *lb;
};
/* cli_open then logbook_open; on failure everything is closed again. */
int rcli_open(const struct cli_opts *o, struct rcli *s, struct err *e);
void rcli_close(struct rcli *s);

/* Sets r's fields (kind r->kind) from the CMD_FIELDS options of a: "--FLAG VALUE" or
 * "--FLAG=VALUE", a switch for a yes/no field; --set-FIELD for a field whose flag is also
 * an option of the command (correct --set-reason). E_USAGE or E_INVALID with e set. */
int rcli_fields(const struct cli_args *a, struct record *r, struct err *e);

/* The flag of a field of kind ("temp" for temp's value) into buf; and the other word it
 * also takes, or NULL. The field's own name is always accepted too. */
const char *rcli_flag_name(int kind, const char *field, char *buf, size_t n);
const char *rcli_flag_alias(int kind, const char *field);

/* Storage names a field in its messages ("id_type: required"); on the command line it is
 * a flag: rewrites a leading field name in e->msg to its flag ("--id-type: required"). */
void rcli_name_flag(struct err *e, int kind);

/* "42" or "#42" → 42; -1 if not a reference. */
int64_t rcli_ref(const char *s);

/* Output format of data: table (default), csv or json. -1 if none of them. */
enum { RCLI_TABLE = 0, RCLI_CSV = 1, RCLI_JSON = 2 };
int rcli_format(const struct cli_opts *o);

/* Printing records: start, one call per record, end (closes a JSON array). */
struct rcli_out {
	FILE *f;
	int format;
	int kind; /* columns of this kind only in csv, 0 for every kind's */
	long n;
	struct sheet *csv;	  /* when format is csv: storage/sheet.h */
	struct export_cols *cols; /* and the export's columns */
};
void rcli_out_begin(struct rcli_out *out, FILE *f, int format, int kind);
int rcli_out_record(const struct record *r, void *out); /* a rec_cb */
void rcli_out_end(struct rcli_out *out);

/* Writes one CSV row (RFC 4180, no BOM) of n fields to f. */
void rcli_csv_row(FILE *f, const char *const *fields, size_t n);


/* Signs operator name in for command cmd; an open shift of someone else first ends with its
 * handover (logbook_change), and stderr says so with the handover's summary. */
int cli_change_operator(struct logbook *lb, const char *cmd, const char *name, struct err *e);

#endif
