/* unlock.c — unlocking with a secret a person typed, which may be a passphrase or a
 * recovery key: the one rule for telling them apart, shared by the CLI and the app. */
#include "crypto/vault.h"

int
vault_looks_like_recovery(const char *s, size_t len)
{
	size_t i, alnum = 0;

	for (i = 0; i < len; i++) {
		if ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z'))
			alnum++;
		else if (s[i] != '-' && s[i] != ' ')
			return 0;
	}
	return alnum == 40;
}

int
vault_unlock_typed(const char *path, const char *secret, size_t len, int recovery_only,
    struct vault **out, struct err *e)
{
	int looks = vault_looks_like_recovery(secret, len), rc;
	struct err first;

	rc = vault_unlock(path, secret, len, recovery_only || looks ? VAULT_RECOVERY :
	    VAULT_PASSPHRASE, out, e);
	if (rc != E_LOCKED || recovery_only || !looks)
		return rc;
	/* a long passphrase may look like a recovery key: try it as what it also could be,
	 * keeping the recovery key's message (which group has the typo) if that fails too */
	first = *e;
	rc = vault_unlock(path, secret, len, VAULT_PASSPHRASE, out, e);
	if (rc == E_LOCKED)
		*e = first;
	return rc;
}
