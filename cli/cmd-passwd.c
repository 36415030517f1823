/* cmd-passwd.c — outpost passwd add|remove|list: the passphrases that open the logbook.
 * Each change rewrites only the header; the last passphrase is never removed. */
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

int
cmd_passwd(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPTS,
		{ "new-passphrase-file", required_argument, NULL, 'n' },
		{ "old-passphrase-file", required_argument, NULL, 'r' },
		{ "label", required_argument, NULL, 'l' },
		{ "kdf", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	struct vault_slot_info slots[VAULT_MAX_SLOTS];
	struct cli_opts o = { 0 };
	struct err e = { 0 };
	struct vault *v;
	const char *newfile = NULL, *oldfile = NULL, *label = NULL, *action;
	char *secret = NULL;
	size_t len;
	int c, i, n, rc, kdf = VAULT_KDF_DEFAULT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_common_opt(c, optarg, &o))
			continue;
		switch (c) {
		case 'n':
			newfile = optarg;
			break;
		case 'r':
			oldfile = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'K':
			if ((kdf = vault_kdf_parse(optarg)) < 0)
				return cli_usage("passwd");
			break;
		default:
			return cli_usage("passwd");
		}
	}
	if (optind != argc - 1)
		return cli_usage("passwd");
	action = argv[optind];
	if (strcmp(action, "add") != 0 && strcmp(action, "remove") != 0 &&
	    strcmp(action, "list") != 0)
		return cli_usage("passwd");
	if ((rc = cli_unlock(&o, &v, &e)) != E_OK)
		return cli_fail(&e);
	if (strcmp(action, "list") == 0) {
		n = vault_slot_list(v, slots, VAULT_MAX_SLOTS, &e);
		for (i = 0; i < n; i++)
			printf("%d\t%s\t%s\t%s\n", slots[i].index,
			    slots[i].kind == VAULT_RECOVERY ? "recovery" : "passphrase",
			    slots[i].kdf, slots[i].label);
		vault_close(v);
		return E_OK;
	}
	if (strcmp(action, "add") == 0) {
		if ((rc = cli_read_new_secret(newfile, &secret, &len, &e)) == E_OK)
			rc = vault_slot_add(v, secret, len, label, kdf, &e);
	} else {
		rc = cli_read_secret(oldfile, _("Passphrase to remove: "), &secret, &len, &e);
		if (rc == E_OK)
			rc = vault_slot_remove(v, secret, len, &e);
	}
	cli_secret_free(secret);
	vault_close(v);
	if (rc != E_OK)
		return cli_fail(&e);
	printf("%s\n", strcmp(action, "add") == 0 ? _("passphrase added") :
	    _("passphrase removed"));
	return E_OK;
}
