/* cmd-exit.c — outpost exit REF: a visitor's exit, an event pointing at the entry. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/records.h"

int
cmd_exit(int argc, char **argv)
{
	struct cli_opts o = {0};
	struct record x;
	struct rcli s;
	struct err e = {0};
	char *pos[1];
	int npos = 1, rc;
	int64_t ref;

	if (rcli_parse(argc, argv, &o, NULL, NULL, pos, &npos, &e) != E_OK || npos != 1 ||
	    (ref = rcli_ref(pos[0])) < 0)
		return cli_usage("exit");
	if ((rc = rcli_open(&o, &s, &e)) != E_OK)
		return cli_fail(&e);
	rc = rec_exit(s.lb, ref, &x, &e);
	rcli_close(&s);
	if (rc != E_OK)
		return cli_fail(&e);
	printf("%lld\n", (long long)x.seq);
	return E_OK;
}
