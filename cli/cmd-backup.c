/* cmd-backup.c — outpost backup DEST: a consistent encrypted copy, safe while the logbook
 * is in use; the same passphrases and recovery key open it. */
#include "cli/cli.h"
#include "cli/commands.h"

int
cmd_backup(int argc, char **argv)
{
	static const struct option longopts[] = { CLI_OPTS, { NULL, 0, NULL, 0 } };
	struct cli_opts o = { 0 };
	struct err e = { 0 };
	struct vault *v;
	sqlite3 *db;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (!cli_common_opt(c, optarg, &o))
			return cli_usage("backup");
	if (optind != argc - 1)
		return cli_usage("backup");
	if ((rc = cli_open(&o, &v, &db, &e)) != E_OK)
		return cli_fail(&e);
	rc = vault_backup(v, db, argv[optind], &e);
	cli_close(v, db);
	if (rc != E_OK)
		return cli_fail(&e);
	printf(_("backup written to %s\n"), argv[optind]);
	return E_OK;
}
