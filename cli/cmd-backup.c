/* cmd-backup.c — outpost backup DEST: a consistent encrypted copy, safe while the logbook
 * is in use; the same passphrases and recovery key open it. */
#include "cli/cli.h"
#include "cli/commands.h"

static int cmd_backup(struct cli_args *);

static const struct cli_opt options[] = {
	{ "force", NULL, N_("replace DEST if it exists"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_backup_entry = {
	"backup", "DEST",
	N_("write a consistent encrypted copy, safe while the logbook is in use"), options, 0,
	cmd_backup,
};

static int
cmd_backup(struct cli_args *a)
{
	struct err e = { 0 };
	struct vault *v;
	sqlite3 *db;
	int rc;

	if (a->argc != 1)
		return cli_usage("backup");
	if ((rc = cli_open(&a->o, &v, &db, &e)) != E_OK)
		return cli_fail(&e);
	rc = vault_backup(v, db, a->argv[0], &e);
	cli_close(v, db);
	if (rc != E_OK)
		return cli_fail(&e);
	printf(_("backup written to %s\n"), a->argv[0]);
	return E_OK;
}
