/* cmd-check.c — outpost check: every page's tag, both header copies, then SQLite's
 * integrity check; prints ok. */
#include "cli/cli.h"
#include "cli/commands.h"

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = { CLI_OPTS, { NULL, 0, NULL, 0 } };
	struct cli_opts o = { 0 };
	struct err e = { 0 };
	struct vault *v;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (!cli_common_opt(c, optarg, &o))
			return cli_usage("check");
	if (optind != argc)
		return cli_usage("check");
	if ((rc = cli_unlock(&o, &v, &e)) != E_OK)
		return cli_fail(&e);
	rc = vault_check(v, &e);
	vault_close(v);
	if (rc != E_OK)
		return cli_fail(&e);
	printf("ok\n");
	return E_OK;
}
