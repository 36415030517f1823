/* cmd-rekey.c — outpost rekey: the whole logbook re-encrypted under a new data key. */
#include "cli/cli.h"
#include "cli/commands.h"

int
cmd_rekey(int argc, char **argv)
{
	static const struct option longopts[] = { CLI_OPTS, { NULL, 0, NULL, 0 } };
	struct cli_opts o = { 0 };
	struct err e = { 0 };
	struct vault *v;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (!cli_common_opt(c, optarg, &o))
			return cli_usage("rekey");
	if (optind != argc)
		return cli_usage("rekey");
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
