/* cmd-check.c — outpost check: every page's tag, both header copies, then SQLite's
 * integrity check; prints ok. */
#include "cli/cli.h"
#include "cli/commands.h"

static int cmd_check(struct cli_args *);

const struct command cmd_check_entry = {
	"check", "", N_("verify every page and the database structure; prints ok"),
	NULL, 0, cmd_check,
};

static int
cmd_check(struct cli_args *a)
{
	struct err e = { 0 };
	struct vault *v;
	int rc;

	if (a->argc != 0)
		return cli_usage("check");
	if ((rc = cli_unlock(&a->o, &v, &e)) != E_OK)
		return cli_fail(&e);
	rc = vault_check(v, &e);
	vault_close(v);
	if (rc != E_OK)
		return cli_fail(&e);
	printf("ok\n");
	return E_OK;
}
