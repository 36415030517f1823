/* cmd-rekey.c — outpost rekey: the whole logbook re-encrypted under a new data key. */
#include "cli/cli.h"
#include "cli/commands.h"

static int cmd_rekey(struct cli_args *);

const struct command cmd_rekey_entry = {
	"rekey", "", N_("re-encrypt the logbook under a new data key"), NULL, 0, cmd_rekey,
};

static int
cmd_rekey(struct cli_args *a)
{
	struct err e = { 0 };
	struct vault *v;
	int rc;

	if (a->argc != 0)
		return cli_usage("rekey");
	if ((rc = cli_unlock(&a->o, &v, &e)) != E_OK)
		return cli_fail(&e);
	rc = vault_rekey(v, &e);
	vault_close(v);
	if (rc != E_OK)
		return cli_fail(&e);
	printf("%s\n", _("rekeyed: the logbook now uses a new data key; every passphrase and "
	    "the recovery key still open it"));
	return E_OK;
}
