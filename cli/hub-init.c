/* hub-init.c — outpost-hub init: the hub's store (an encrypted file, or PostgreSQL) and its
 * CURVE key pair. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli/hub.h"
#include "sync/zap.h"

static int hub_cmd_init(struct cli_args *);

static const struct cli_opt options[] = {
	{ "endpoint", "tcp://HOST:PORT", N_("the address stations will reach the hub at (for "
	    "enroll's tokens)"), NULL, 0 },
	{ "kdf", "default|test-cheap", N_("key derivation cost (test-cheap is for tests only)"),
	    NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command hub_init_entry = {
	"init", "", N_("create the hub's encrypted store and its key pair"), options, 0,
	hub_cmd_init,
};

static int
hub_cmd_init(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct hubstore_params p = { 0 };
	struct err e = { 0 };
	const char *path, *endpoint = cli_arg(a, "endpoint");
	char *pass = NULL, *recovery = NULL, hex[65], shown[1024];
	uint8_t pk[32], *sk = NULL;
	size_t len;
	int kdf = VAULT_KDF_DEFAULT, rc, created;

	if (cli_arg(a, "kdf") != NULL)
		kdf = vault_kdf_parse(cli_arg(a, "kdf"));
	if (a->argc != 0)
		return cli_usage("init");
	hub_cli_args(&h, a);
	path = hub_cli_path(&h);
	if ((strcmp(hubstore_backend_of(path), "sqlite") == 0 &&
	    cli_make_parent(path, &e) != E_OK) ||
	    cli_read_new_secret(h.passphrase_file, &pass, &len, &e) != E_OK)
		return cli_fail(&e);
	if ((recovery = sodium_malloc(VAULT_RECOVERY_LEN)) == NULL) {
		cli_secret_free(pass);
		err_set(&e, E_IO, "%s", _("out of memory"));
		return cli_fail(&e);
	}
	p.address = path;
	p.secret = pass;
	p.secret_len = len;
	p.create = 1;
	p.kdf = kdf;
	p.recovery = recovery;
	rc = hubstore_open(&p, &h.s, &e);
	cli_secret_free(pass);
	created = rc == E_OK;
	if (rc == E_OK && (rc = hubstore_keys_create(h.s, &e)) == E_OK && endpoint != NULL)
		rc = hubstore_meta_set(h.s, "endpoint", endpoint, &e);
	if (rc == E_OK && (rc = hubstore_keys_load(h.s, pk, &sk, &e)) == E_OK)
		sodium_free(sk);
	hub_cli_close(&h);
	if (rc != E_OK) {
		sodium_free(recovery);
		if (created)
			hubstore_destroy(path, NULL);	/* a half-made store holds nothing yet */
		return cli_fail(&e);
	}
	zap_key_hex(pk, hex);
	hubstore_address_shown(path, shown, sizeof shown);
	printf(_("Created the hub store %s.\n"), shown);
	printf(_("Hub public key: %s\n"), hex);
	printf("\n%s\n\n    %s\n\n%s\n", _("Recovery key (shown only this once):"), recovery,
	    _("Write it on paper and keep it apart from this computer."));
	sodium_free(recovery);
	return E_OK;
}
