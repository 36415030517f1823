/* cmd-backup.c — outpost backup DEST: a consistent encrypted copy, safe while the logbook
 * is in use; the same passphrases and recovery key open it. */
#include "cli/cli.h"
#include "cli/commands.h"

int
cmd_backup(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct err e = { 0 };
	struct vault *v;
	sqlite3 *db;
	int rc;

	if (cli_parse_common(argc, argv, &o, 1) != E_OK)
		return E_USAGE;
	if ((rc = cli_open(&o, &v, &db, &e)) != E_OK)
		return cli_fail(&e);
	rc = vault_backup(v, db, argv[optind], &e);
	cli_close(v, db);
	if (rc != E_OK)
		return cli_fail(&e);
	printf(_("backup written to %s\n"), argv[optind]);
	return E_OK;
}
