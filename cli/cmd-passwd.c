/* cmd-passwd.c — outpost passwd add|remove|list: the passphrases that open the logbook.
 * Each change rewrites only the header; the last passphrase is never removed. */
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static int cmd_passwd(struct cli_args *);

static const struct cli_opt options[] = {
	{ "new-passphrase-file", "PATH", N_("add: read the new passphrase from PATH"), NULL, 0 },
	{ "old-passphrase-file", "PATH", N_("remove: read the passphrase to remove from PATH"),
	    NULL, 0 },
	{ "label", "TEXT", N_("add: a name for the new passphrase, shown by list"), NULL, 0 },
	{ "kdf", "default|test-cheap", N_("add: key derivation cost (test-cheap: tests only)"),
	    NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_passwd_entry = {
	"passwd", "add|remove|list",
	N_("add, remove or list the passphrases that open the logbook"), options, 0, cmd_passwd,
};

static int
cmd_passwd(struct cli_args *a)
{
	struct vault_slot_info slots[VAULT_MAX_SLOTS];
	struct err e = { 0 };
	struct vault *v;
	const char *newfile = cli_arg(a, "new-passphrase-file");
	const char *oldfile = cli_arg(a, "old-passphrase-file"), *label = cli_arg(a, "label");
	const char *action;
	char *secret = NULL;
	size_t len;
	int i, n, rc, kdf = VAULT_KDF_DEFAULT;

	if (cli_arg(a, "kdf") != NULL)
		kdf = vault_kdf_parse(cli_arg(a, "kdf"));
	if (a->argc != 1)
		return cli_usage("passwd");
	action = a->argv[0];
	if (strcmp(action, "add") != 0 && strcmp(action, "remove") != 0 &&
	    strcmp(action, "list") != 0)
		return cli_usage("passwd");
	if ((rc = cli_unlock(&a->o, &v, &e)) != E_OK)
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
