/* logbook-file.c — the logbook as an encrypted file: unlock or create it and open the
 * logbook in one step, so that the full-screen app needs only storage/ (the CLI, above
 * every layer, uses crypto/'s vault directly for its key-slot and backup commands). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "crypto/vault.h"
#include "storage/logbook.h"
#include "storage/store.h"

static_assert(LOGBOOK_RECOVERY_LEN == VAULT_RECOVERY_LEN, "recovery key length");

/* Opens the logbook on v's database (made first if init_kind is set); lb owns v. */
static int
open_on(struct vault *v, const char *init_kind, const char *name, struct logbook **out,
    struct err *e)
{
	sqlite3 *db = NULL;
	int rc;

	*out = NULL;
	if ((rc = vault_open_db(v, &db, e)) != E_OK ||
	    (init_kind != NULL && (rc = logbook_init(db, init_kind, name, e)) != E_OK) ||
	    (rc = logbook_open(db, out, e)) != E_OK) {
		if (db != NULL)
			sqlite3_close(db);
		vault_close(v);
		return rc;
	}
	(*out)->vault = v;
	return E_OK;
}

int
logbook_unlock_file(const char *path, const char *secret, size_t len, struct logbook **out,
    struct err *e)
{
	struct vault *v = NULL;
	int rc;

	*out = NULL;
	if ((rc = vault_unlock_typed(path, secret, len, 0, &v, e)) != E_OK)
		return rc;
	return open_on(v, NULL, NULL, out, e);
}

int
logbook_create_file(const char *path, const char *pass, size_t len, int kdf, char *recovery,
    const char *kind, const char *name, struct logbook **out, struct err *e)
{
	struct vault *v = NULL;
	int rc;

	*out = NULL;
	if ((rc = vault_create(path, pass, len, kdf, recovery, &v, e)) != E_OK)
		return rc;
	if ((rc = open_on(v, kind, name, out, e)) != E_OK)
		remove(path);	/* a half-made logbook holds nothing yet */
	return rc;
}

int
logbook_probe_file(const char *path, struct err *e)
{
	return vault_probe(path, e);
}

int
logbook_looks_like_recovery(const char *s, size_t len)
{
	return vault_looks_like_recovery(s, len);
}

int
logbook_kdf_parse(const char *name)
{
	return vault_kdf_parse(name);
}
