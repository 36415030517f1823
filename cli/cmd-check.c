/* cmd-check.c — outpost check: every page's tag, both header copies, then SQLite's
 * integrity check; prints ok. */
#include "cli/cli.h"
#include "cli/commands.h"

int
cmd_check(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct err e = { 0 };
	struct vault *v;
	int rc;

	if (cli_parse_common(argc, argv, &o, 0) != E_OK)
		return E_USAGE;
	if ((rc = cli_unlock(&o, &v, &e)) != E_OK)
		return cli_fail(&e);
	rc = vault_check(v, &e);
	vault_close(v);
	if (rc != E_OK)
		return cli_fail(&e);
	printf("ok\n");
	return E_OK;
}
