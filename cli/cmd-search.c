/* cmd-search.c — outpost search TEXT: prefix search over ID numbers, plates, phones and
 * names of the latest versions. */
#include <stdio.h>
#include <stdlib.h>

#include "base/parse.h"
#include "cli/commands.h"
#include "cli/records.h"
#include "storage/query.h"

static int cmd_search(struct cli_args *);

static const struct cli_opt options[] = {
	{ "limit", "N", N_("show at most N records"), NULL, 0 },
	{ "format", "table|csv|json", N_("how to print them (default table)"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_search_entry = {
	"search", "TEXT",
	N_("find records by the start of an ID number, plate, phone or name"), options, 0,
	cmd_search,
};

static int
cmd_search(struct cli_args *a)
{
	const char *limit = cli_arg(a, "limit");
	struct rcli_out out;
	struct rcli s;
	struct err e = {0};
	int rc, fmt = rcli_format(&a->o);
	int64_t lim = 0;

	if (a->argc != 1)
		return cli_usage("search");
	if (limit != NULL && parse_int(limit, 1, 256, "--limit", &lim, &e) != E_OK)
		return cli_fail(&e);
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
		return cli_fail(&e);
	rcli_out_begin(&out, stdout, fmt, 0);
	rc = rec_search(s.lb, a->argv[0], (int)lim, rcli_out_record, &out, &e);
	rcli_out_end(&out);
	rcli_close(&s);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
