/* cmd-backup.c — outpost backup DEST: a consistent encrypted copy, safe while the logbook
 * is in use; the same passphrases and recovery key open it. Written whole (base/file.h). */
#include "base/file.h"
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
	struct atomic_file af;
	struct err e = { 0 };
	struct vault *v;
	sqlite3 *db;
	int rc;

	if (a->argc != 1)
		return cli_usage("backup");
	if ((rc = cli_open(&a->o, &v, &db, &e)) != E_OK)
		return cli_fail(&e);
	/* the copy is made under a temporary name: a backup killed half-way leaves no
	 * file at DEST that is not a whole logbook */
	if ((rc = atomic_open(&af, a->argv[0], ATOMIC_NAME | (cli_flag(a, "force") ?
	    ATOMIC_FORCE : 0), 0600, &e)) == E_OK) {
		if ((rc = vault_backup(v, db, af.tmp, &e)) == E_OK)
			rc = atomic_commit(&af, &e);
		else
			atomic_abort(&af);
	}
	cli_close(v, db);
	if (rc != E_OK)
		return cli_fail(&e);
	printf(_("backup written to %s\n"), a->argv[0]);
	return E_OK;
}
