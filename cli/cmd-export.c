/* cmd-export.c — outpost export --format csv|xlsx|jsonl --out FILE [KIND]: records for a
 * spreadsheet (CSV with a UTF-8 BOM, or XLSX) or for programs (JSON Lines). The file is
 * written whole and mode 0600: it holds personal data. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/records.h"
#include "storage/clock.h"
#include "storage/export.h"
#include "storage/query.h"

static int cmd_export(struct cli_args *);

/* Writes the export whole (base/file.h): a temporary beside outpath, mode 0600, renamed
 * over it only once every record is written and synced. */
static int
export_to(struct logbook *lb, const char *outpath, int fmt, int force,
    const struct rec_query *q, int64_t *n, struct err *e)
{
	struct atomic_file af;
	struct sheet *sh = NULL;
	char dir[4096];
	FILE *f = NULL;
	int rc;

	if ((rc = atomic_open(&af, outpath, (force ? ATOMIC_FORCE : 0) |
	    (fmt == EXPORT_XLSX ? ATOMIC_NAME : 0), 0600, e)) != E_OK)
		return rc;
	if (fmt == EXPORT_XLSX) {
		/* libxlsxwriter's scratch files stay beside the output, never in /tmp */
		atomic_dir(&af, dir, sizeof dir);
		if ((rc = sheet_open_xlsx(&sh, af.tmp, dir, e)) == E_OK &&
		    (rc = export_write_sheet(lb, sh, q, n, e)) == E_OK) {
			rc = sheet_close(sh, e);
			sh = NULL;
		}
		sheet_abort(sh);
	} else if ((f = atomic_stream(&af)) == NULL) {
		rc = err_set(e, E_IO, _("cannot write %s: %s"), outpath, strerror(errno));
	} else {
		rc = export_write(lb, f, fmt, q, n, e);
	}
	if (rc != E_OK) {
		atomic_abort(&af);
		return rc;
	}
	return atomic_commit(&af, e);
}

static const struct cli_opt options[] = {
	{ "format", "csv|xlsx|jsonl", N_("csv or xlsx for spreadsheets, jsonl for programs"),
	    NULL, OPT_REQUIRED },
	{ "out", "FILE", N_("the file to write (mode 0600: it holds personal data)"), NULL,
	    OPT_REQUIRED },
	{ "since", "TIME", N_("records from this date or time"), NULL, 0 },
	{ "until", "TIME", N_("records before this time (a date: to its end)"), NULL, 0 },
	{ "history", NULL, N_("every version, not only the latest"), NULL, 0 },
	{ "force", NULL, N_("replace FILE if it exists"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_export_entry = {
	"export", "[KIND]", N_("write records to a CSV or XLSX (spreadsheet) or JSON Lines file"),
	options, 0, cmd_export,
};

static int
cmd_export(struct cli_args *a)
{
	const char *outpath = cli_arg(a, "out"), *since = cli_arg(a, "since");
	const char *until = cli_arg(a, "until");
	int history = cli_flag(a, "history") > 0;
	struct rec_query q;
	struct rcli s;
	struct err e = {0};
	int rc, fmt;
	int64_t n = 0;

	memset(&q, 0, sizeof q);
	if (a->argc > 1 || (fmt = export_format_parse(a->o.format)) < 0 ||
	    (a->argc == 1 && (q.kind = rec_kind_parse(a->argv[0])) < 0))
		return cli_usage("export");
	if ((since != NULL && clock_parse(since, &q.since_ms) != 0) ||
	    (until != NULL && clock_parse(until, &q.until_ms) != 0)) {
		err_set(&e, E_INVALID, "%s",
		    _("--since/--until: a date YYYY-MM-DD or a time "
		      "YYYY-MM-DDTHH:MM"));
		return cli_fail(&e);
	}
	if (until != NULL && strlen(until) == 10)
		q.until_ms += 86400000;
	q.history = history;
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
		return cli_fail(&e);
	rc = export_to(s.lb, outpath, fmt, cli_flag(a, "force") > 0, &q, &n, &e);
	rcli_close(&s);
	if (rc != E_OK)
		return cli_fail(&e);
	fprintf(stderr, _("exported %lld records to %s\n"), (long long)n, outpath);
	return E_OK;
}
