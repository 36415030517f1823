/* cmd-rekey.c — outpost rekey: the whole logbook re-encrypted under a new data key. */
#include "cli/cli.h"
#include "cli/commands.h"

int
cmd_rekey(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct err e = { 0 };
	struct vault *v;
	int rc;

	if (cli_parse_common(argc, argv, &o, 0) != E_OK)
		return E_USAGE;
	if ((rc = cli_unlock(&o, &v, &e)) != E_OK)
		return cli_fail(&e);
	rc = vault_rekey(v, &e);
	vault_close(v);
	if (rc != E_OK)
		return cli_fail(&e);
	printf("%s\n", _("rekeyed: the logbook now uses a new data key; every passphrase and "
	    "the recovery key still open it"));
	return E_OK;
}
