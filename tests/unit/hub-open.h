/* hub-open.h — for hub store tests: the store at url opened (or with create, made, its
 * recovery key into recovery) with the cheap test KDF; fails the test if it cannot be. */
#ifndef OUTPOST_TEST_HUB_OPEN_H
#define OUTPOST_TEST_HUB_OPEN_H

#include <string.h>

#include "crypto/vault.h"
#include "hub/store.h"

static struct hub_store *
hub_test_open(const char *url, const char *pass, int create,
    char recovery[VAULT_RECOVERY_LEN])
{
	struct hubstore_params p = { 0 };
	struct hub_store *s = NULL;
	struct err e = { 0 };

	p.address = url;
	p.secret = pass;
	p.secret_len = strlen(pass);
	p.create = create;
	p.kdf = VAULT_KDF_TEST_CHEAP;
	p.recovery = create ? recovery : NULL;
	if (hubstore_open(&p, &s, &e) != E_OK)
		fail_msg("open: %s", e.msg);
	return s;
}

#endif
