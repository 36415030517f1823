/* cmd-search.c — outpost search TEXT: prefix search over ID numbers, plates, phones and
 * names of the latest versions. */
#include <stdio.h>
#include <stdlib.h>

#include "base/parse.h"
#include "cli/commands.h"
#include "cli/records.h"
#include "storage/query.h"

int
cmd_search(int argc, char **argv)
{
	const char *limit = NULL;
	const struct rcli_flag flags[] = {{"limit", &limit, NULL}, {NULL, NULL, NULL}};
	struct cli_opts o = {0};
	struct rcli_out out;
	struct rcli s;
	struct err e = {0};
	char *pos[1];
	int npos = 1, rc, fmt;
	int64_t lim = 0;

	if (rcli_parse(argc, argv, &o, flags, NULL, pos, &npos, &e) != E_OK || npos != 1 ||
	    (fmt = rcli_format(&o)) < 0)
		return cli_usage("search");
	if (limit != NULL && parse_int(limit, 1, 256, "--limit", &lim, &e) != E_OK)
		return cli_fail(&e);
	if ((rc = rcli_open(&o, &s, &e)) != E_OK)
		return cli_fail(&e);
	rcli_out_begin(&out, stdout, fmt, 0);
	rc = rec_search(s.lb, pos[0], (int)lim, rcli_out_record, &out, &e);
	rcli_out_end(&out);
	rcli_close(&s);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
