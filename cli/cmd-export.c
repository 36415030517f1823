/* cmd-export.c — outpost export --format csv|jsonl --out FILE [KIND]: records for a
 * spreadsheet (UTF-8 BOM, RFC 4180) or for programs (JSON Lines). The file is created
 * mode 0600: it holds personal data. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/clock.h"
#include "storage/export.h"

static int cmd_export(struct cli_args *);

static const struct cli_opt options[] = {
	{ "format", "csv|jsonl", N_("csv for spreadsheets, jsonl for programs"), NULL,
	    OPT_REQUIRED },
	{ "out", "FILE", N_("the file to write (mode 0600: it holds personal data)"), NULL,
	    OPT_REQUIRED },
	{ "since", "TIME", N_("records from this date or time"), NULL, 0 },
	{ "until", "TIME", N_("records before this time (a date: to its end)"), NULL, 0 },
	{ "history", NULL, N_("every version, not only the latest"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_export_entry = {
	"export", "[KIND]", N_("write records to a CSV (spreadsheet) or JSON Lines file"),
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
	int rc, fmt, fd;
	int64_t n = 0;
	FILE *f;

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
	if ((fd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    (f = fdopen(fd, "w")) == NULL) {
		rc = err_set(&e, E_IO, _("cannot write %s: %s"), outpath, strerror(errno));
		if (fd >= 0)
			close(fd);
		rcli_close(&s);
		return cli_fail(&e);
	}
	rc = export_write(s.lb, f, fmt, &q, &n, &e);
	if (fsync(fileno(f)) != 0 && rc == E_OK)
		rc = err_set(&e, E_IO, _("cannot write %s: %s"), outpath, strerror(errno));
	if (fclose(f) != 0 && rc == E_OK)
		rc = err_set(&e, E_IO, _("cannot write %s: %s"), outpath, strerror(errno));
	rcli_close(&s);
	if (rc != E_OK)
		return cli_fail(&e);
	fprintf(stderr, _("exported %lld records to %s\n"), (long long)n, outpath);
	return E_OK;
}
