/* cmd-init.c — outpost init: a new encrypted logbook, its first passphrase, and the
 * recovery key shown once. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "storage/logbook.h"

static int cmd_init(struct cli_args *);

static const struct cli_opt options[] = {
	{ "station-kind", "traffic|gate|triage", N_("what the station checks"), NULL,
	    OPT_REQUIRED },
	{ "station", "NAME", N_("the station's name, as the hub and reports show it"), NULL,
	    OPT_REQUIRED },
	{ "kdf", "default|test-cheap", N_("key derivation cost (test-cheap is for tests only)"),
	    NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_init_entry = {
	"init", "", N_("create a new encrypted logbook and show its recovery key"), options, 0,
	cmd_init,
};

static int
cmd_init(struct cli_args *a)
{
	const struct cli_opts *o = &a->o;
	struct err e = { 0 };
	struct vault *v = NULL;
	sqlite3 *db = NULL;
	const char *kind = cli_arg(a, "station-kind"), *station = cli_arg(a, "station"), *path;
	char *pass = NULL, *recovery = NULL;
	size_t len;
	int kdf = VAULT_KDF_DEFAULT, rc;

	if (a->argc != 0)
		return cli_usage("init");
	if (cli_arg(a, "kdf") != NULL)
		kdf = vault_kdf_parse(cli_arg(a, "kdf"));
	/* the kind is one of the row's choices: the parser checked it */
	path = cli_db_path(o);
	if ((rc = cli_make_parent(path, &e)) != E_OK)
		return cli_fail(&e);
	if ((rc = cli_read_new_secret(o->passphrase_file, &pass, &len, &e)) != E_OK)
		return cli_fail(&e);
	if ((recovery = sodium_malloc(VAULT_RECOVERY_LEN)) == NULL) {
		cli_secret_free(pass);
		err_set(&e, E_IO, "%s", _("out of memory"));
		return cli_fail(&e);
	}
	rc = vault_create(path, pass, len, kdf, recovery, &v, &e);
	cli_secret_free(pass);
	if (rc == E_OK && (rc = vault_open_db(v, &db, &e)) == E_OK)
		rc = logbook_init(db, kind, station, &e);
	cli_close(v, db);
	if (rc != E_OK) {
		sodium_free(recovery);
		if (v != NULL)
			remove(path);	/* a half-made logbook holds nothing yet */
		return cli_fail(&e);
	}
	printf(_("Created the logbook %s for %s station \"%s\".\n"), path, kind, station);
	if (kdf != VAULT_KDF_DEFAULT)
		printf(_("Warning: made with the '%s' key derivation, which is for tests only.\n"),
		    vault_kdf_name(kdf));
	printf("\n%s\n\n    %s\n\n%s\n", _("Recovery key (shown only this once):"), recovery,
	    _("Write it on paper and keep it apart from this computer. It opens the logbook "
	    "if every passphrase is forgotten: outpost ... --recovery-key"));
	sodium_free(recovery);
	return E_OK;
}
