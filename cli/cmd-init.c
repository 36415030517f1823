/* cmd-init.c — outpost init: a new encrypted logbook, its first passphrase, and the
 * recovery key shown once. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "storage/logbook.h"

int
cmd_init(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPTS,
		{ "station-kind", required_argument, NULL, 'k' },
		{ "station", required_argument, NULL, 's' },
		{ "kdf", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_opts o = { 0 };
	struct err e = { 0 };
	struct vault *v = NULL;
	sqlite3 *db = NULL;
	const char *kind = NULL, *station = NULL, *path;
	char *pass = NULL, *recovery = NULL;
	size_t len;
	int c, kdf = VAULT_KDF_DEFAULT, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_common_opt(c, optarg, &o))
			continue;
		switch (c) {
		case 'k':
			kind = optarg;
			break;
		case 's':
			station = optarg;
			break;
		case 'K':
			if ((kdf = vault_kdf_parse(optarg)) < 0) {
				err_set(&e, E_USAGE, _("--kdf takes default or test-cheap, not "
				    "'%s'"), optarg);
				return cli_fail(&e);
			}
			break;
		default:
			return cli_usage("init");
		}
	}
	if (optind != argc || kind == NULL || station == NULL)
		return cli_usage("init");
	if (strcmp(kind, "traffic") != 0 && strcmp(kind, "gate") != 0 &&
	    strcmp(kind, "triage") != 0) {
		err_set(&e, E_USAGE, _("--station-kind takes traffic, gate or triage, not '%s'"),
		    kind);
		return cli_fail(&e);
	}
	path = cli_db_path(&o);
	if ((rc = cli_make_parent(path, &e)) != E_OK)
		return cli_fail(&e);
	if ((rc = cli_read_new_secret(o.passphrase_file, &pass, &len, &e)) != E_OK)
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
