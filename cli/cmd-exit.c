/* cmd-exit.c — outpost exit REF: a visitor's exit, an event pointing at the entry. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/records.h"

static int cmd_exit(struct cli_args *);

const struct command cmd_exit_entry = {
	"exit", "REF", N_("record a visitor's exit"), NULL, 0, cmd_exit,
};

static int
cmd_exit(struct cli_args *a)
{
	struct record x;
	struct rcli s;
	struct err e = {0};
	int rc;
	int64_t ref;

	if (a->argc != 1 || (ref = rcli_ref(a->argv[0])) < 0)
		return cli_usage("exit");
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
		return cli_fail(&e);
	rc = rec_exit(s.lb, ref, &x, &e);
	rcli_close(&s);
	if (rc != E_OK)
		return cli_fail(&e);
	printf("%lld\n", (long long)x.seq);
	return E_OK;
}
