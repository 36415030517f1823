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

/* An unlocked, opened logbook. */
struct rcli {
	struct vault *v;
	sqlite3 *db;
	struct logbook *lb;
};
/* cli_open then logbook_open; on failure everything is closed again. */
int rcli_open(const struct cli_opts *o, struct rcli *s, struct err *e);
void rcli_close(struct rcli *s);

/* A command's own flag: with an argument (*str set) or without (*flag set to 1). */
struct rcli_flag {
	const char *name; /* without "--" */
	const char **str; /* for a flag taking a value, else NULL */
	int *flag;	  /* for a flag without one, else NULL */
};

/* Parses argv[1..]: the common options into o, the command's flags, "--FIELD VALUE" (or
 * "--FIELD=VALUE") into r's fields when r is not NULL (kind r->kind; a few aliases: --temp,
 * --name, --id-number, --phone, --recheck, --unverified; --set-FIELD for a field whose name a
 * command flag takes, e.g. --set-reason), the rest into pos (at most *npos, *npos set to the
 * count). E_USAGE or E_INVALID with e set. */
int rcli_parse(int argc, char **argv, struct cli_opts *o, const struct rcli_flag *flags,
    struct record *r, char **pos, int *npos, struct err *e);

/* Picks only the common options (--db, --passphrase-file, --recovery-key) out of argv, for
 * commands that must open the logbook before they know which fields their flags name. */
void rcli_prescan(int argc, char **argv, struct cli_opts *o);

/* Storage names a field in its messages ("id_type: required"); on the command line it is
 * a flag: rewrites a leading field name in e->msg to its flag ("--id-type: required"). */
void rcli_name_flag(struct err *e);

/* "42" or "#42" → 42; -1 if not a reference. */
int64_t rcli_ref(const char *s);

/* Output format of data: table (default), csv or json. -1 if none of them. */
enum { RCLI_TABLE = 0, RCLI_CSV = 1, RCLI_JSON = 2 };
int rcli_format(const struct cli_opts *o);

/* Printing records: start, one call per record, end (closes a JSON array). */
struct rcli_out {
	FILE *f;
	int format;
	int kind; /* columns of this kind only in csv, 0 for the common summary */
	long n;
	void *csv; /* struct csv_writer, when format is csv */
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
