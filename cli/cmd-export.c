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
#include "storage/query.h"

int
cmd_export(int argc, char **argv)
{
	const char *outpath = NULL, *since = NULL, *until = NULL;
	int history = 0;
	const struct rcli_flag flags[] = {
	    {"out", &outpath, NULL},
	    {"since", &since, NULL},
	    {"until", &until, NULL},
	    {"history", NULL, &history},
	    {NULL, NULL, NULL},
	};
	struct cli_opts o = {0};
	struct rec_query q;
	struct rcli s;
	struct err e = {0};
	char *pos[1];
	int npos = 1, rc, fmt, fd;
	int64_t n = 0;
	FILE *f;

	memset(&q, 0, sizeof q);
	if (rcli_parse(argc, argv, &o, flags, NULL, pos, &npos, &e) != E_OK || outpath == NULL ||
	    (fmt = export_format_parse(o.format)) < 0 ||
	    (npos == 1 && (q.kind = rec_kind_parse(pos[0])) < 0))
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
	if ((rc = rcli_open(&o, &s, &e)) != E_OK)
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
