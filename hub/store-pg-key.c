/* store-pg-key.c — the PostgreSQL store's data key: made at init, wrapped by the hub
 * passphrase (Argon2id, the same profiles as a logbook's key slots) and by the recovery
 * key, the slots kept in the database itself so every hub process reaches it with the
 * passphrase alone; and what the key does: seal each body bound to its row, and key the
 * hashes and item keys kept in clear. See pg.h. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "crypto/header.h"
#include "crypto/recovery.h"
#include "crypto/vault.h"
#include "hub/pg.h"

#define KDF_CTX "outposth"
#define SALT_LEN 16
#define STORE_ID_LEN 16
/* What the key check seals: opening it proves the key is this store's. */
static const char check_text[] = "outpost-hub postgresql store";

/* Argon2id costs of vault's profiles, by vault_kdf number; recovery slots hash the 20
 * random bytes of the recovery key (no stretching needed). */
static const struct { unsigned long long ops; size_t mem; } kdf_cost[] = {
	[VAULT_KDF_DEFAULT] = { 3, 128u << 20 },
	[VAULT_KDF_TEST_CHEAP] = { 1, 8192 },
};
enum { SLOT_PASS = 1, SLOT_RECOV = 2 };

static void
derive(struct pg_store *s, const uint8_t dk[32])
{
	int i;

	for (i = 0; i < PG_NKEYS; i++)
		crypto_kdf_derive_from_key(s->keys + 32 * i, 32, (uint64_t)i + 1, KDF_CTX, dk);
}

static void
ad_of(uint8_t *ad, size_t *len, const uint8_t *store_id, const char *uid, uint64_t seq,
    char what)
{
	size_t n = 0, u = strlen(uid);
	int i;

	if (store_id != NULL) {
		memcpy(ad, store_id, STORE_ID_LEN);
		n = STORE_ID_LEN;
	}
	memcpy(ad + n, uid, u);
	n += u;
	ad[n++] = 0;
	for (i = 0; i < 8; i++)
		ad[n++] = (uint8_t)(seq >> (8 * i));
	ad[n++] = (uint8_t)what;
	*len = n;
}

void
pg_seal(const struct pg_store *s, const char *uid, uint64_t seq, char what, const void *in,
    size_t n, uint8_t *out)
{
	uint8_t ad[WIRE_STATION_UID + 16];
	size_t adlen;
	unsigned long long clen;

	ad_of(ad, &adlen, NULL, uid, seq, what);
	randombytes_buf(out, 24);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 24, &clen, in, n, ad, adlen, NULL, out,
	    s->keys + 32 * PG_K_BODY);
}

int
pg_open_sealed(const struct pg_store *s, const char *uid, uint64_t seq, char what,
    const uint8_t *in, size_t n, uint8_t *out)
{
	uint8_t ad[WIRE_STATION_UID + 16];
	size_t adlen;
	unsigned long long mlen;

	if (n < PG_SEAL_OVERHEAD)
		return -1;
	ad_of(ad, &adlen, NULL, uid, seq, what);
	return crypto_aead_xchacha20poly1305_ietf_decrypt(out, &mlen, NULL, in + 24, n - 24,
	    ad, adlen, in, s->keys + 32 * PG_K_BODY);
}

void
pg_hash_mac(const struct pg_store *s, const uint8_t hash[32], uint8_t out[32])
{
	crypto_generichash(out, 32, hash, 32, s->keys + 32 * PG_K_HASH, 32);
}

void
pg_item_mac(const struct pg_store *s, int kind, const char *key, uint8_t out[32])
{
	crypto_generichash_state st;
	uint8_t k = (uint8_t)kind;

	crypto_generichash_init(&st, s->keys + 32 * PG_K_ITEM, 32, 32);
	crypto_generichash_update(&st, &k, 1);
	crypto_generichash_update(&st, (const uint8_t *)key, strlen(key));
	crypto_generichash_final(&st, out, 32);
}

/* The associated data of a slot: the store id, its kind and costs and salt, so none can
 * be changed (a cheaper cost, say) without the unwrap failing. */
static size_t
pg_slot_ad(uint8_t *ad, const uint8_t *store_id, int kind, int kdf, const uint8_t *salt)
{
	size_t n = 0;

	memcpy(ad, store_id, STORE_ID_LEN);
	n += STORE_ID_LEN;
	ad[n++] = (uint8_t)kind;
	ad[n++] = (uint8_t)kdf;
	memcpy(ad + n, salt, SALT_LEN);
	return n + SALT_LEN;
}

static int
slot_key(int kind, int kdf, const uint8_t *secret, size_t len, const uint8_t *salt,
    uint8_t key[32])
{
	if (kind == SLOT_RECOV) {
		crypto_generichash(key, 32, secret, len, salt, SALT_LEN);
		return 0;
	}
	if (kdf < 0 || (size_t)kdf >= sizeof kdf_cost / sizeof kdf_cost[0])
		return -1;
	return crypto_pwhash(key, 32, (const char *)secret, len, salt, kdf_cost[kdf].ops,
	    kdf_cost[kdf].mem, crypto_pwhash_ALG_ARGON2ID13);
}

static int
slot_store(struct pg_store *s, const uint8_t *store_id, int kind, int kdf,
    const uint8_t *secret, size_t len, const uint8_t *dk, struct err *e)
{
	uint8_t salt[SALT_LEN], ad[64], wrapped[WRAP_LEN], *key;
	char kb[4], fb[4];
	const char *v[4];
	int l[4] = { 0, 0, SALT_LEN, WRAP_LEN }, f[4] = { 0, 0, 1, 1 }, rc;

	if ((key = sodium_malloc(32)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	randombytes_buf(salt, SALT_LEN);
	if (slot_key(kind, kdf, secret, len, salt, key) != 0) {
		sodium_free(key);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	key_wrap(key, dk, ad, pg_slot_ad(ad, store_id, kind, kdf, salt), wrapped);
	sodium_free(key);
	snprintf(kb, sizeof kb, "%d", kind);
	snprintf(fb, sizeof fb, "%d", kdf);
	v[0] = kb;
	v[1] = fb;
	v[2] = (const char *)salt;
	v[3] = (const char *)wrapped;
	rc = pg_exec(s, "key slot", "INSERT INTO " PG_NS ".key_slots(kind, kdf, salt, wrapped) "
	    "VALUES ($1, $2, $3, $4)", 4, v, l, f, NULL, e);
	return rc;
}

int
pg_keys_new(struct pg_store *s, const char *pass, size_t len, int kdf, char *recovery,
    struct err *e)
{
	uint8_t store_id[STORE_ID_LEN], rbytes[RECOVERY_BYTES], *dk;
	uint8_t check[sizeof check_text - 1 + PG_SEAL_OVERHEAD];
	const char *v[2];
	int l[2] = { STORE_ID_LEN, sizeof check }, f[2] = { 1, 1 }, rc;

	if ((dk = sodium_malloc(32)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	randombytes_buf(store_id, sizeof store_id);
	crypto_kdf_keygen(dk);
	derive(s, dk);
	pg_seal(s, "", 0, 'k', check_text, sizeof check_text - 1, check);
	v[0] = (const char *)store_id;
	v[1] = (const char *)check;
	rc = pg_exec(s, "key check", "INSERT INTO " PG_NS ".hub_keys(k, v) VALUES "
	    "('store_id', $1), ('key_check', $2)", 2, v, l, f, NULL, e);
	if (rc == E_OK)
		rc = slot_store(s, store_id, SLOT_PASS, kdf, (const uint8_t *)pass, len, dk, e);
	if (rc == E_OK && recovery != NULL) {
		randombytes_buf(rbytes, sizeof rbytes);
		recovery_encode(rbytes, recovery);
		rc = slot_store(s, store_id, SLOT_RECOV, 0, rbytes, sizeof rbytes, dk, e);
		sodium_memzero(rbytes, sizeof rbytes);
	}
	sodium_free(dk);
	return rc;
}

/* Fetches hub_keys' value of k (a bytea) into out (n bytes exactly); -1 if missing. */
static int
key_row(struct pg_store *s, const char *k, uint8_t *out, size_t n, struct err *e)
{
	PGresult *r;
	const char *v[1] = { k };
	int rc;

	if ((rc = pg_exec(s, "keys", "SELECT v FROM " PG_NS ".hub_keys WHERE k = $1", 1, v,
	    NULL, NULL, &r, e)) != E_OK)
		return rc;
	rc = PQntuples(r) == 1 && pg_bytea(PQgetvalue(r, 0, 0), out, n) == (long)n ? E_OK :
	    err_set(e, E_DAMAGED, "%s", _("the PostgreSQL hub store has no data key: it was not "
	    "made by outpost-hub init, or its key tables were changed"));
	PQclear(r);
	return rc;
}

int
pg_keys_unlock(struct pg_store *s, const char *secret, size_t len, struct err *e)
{
	uint8_t store_id[STORE_ID_LEN], check[sizeof check_text - 1 + PG_SEAL_OVERHEAD];
	uint8_t plain[sizeof check_text], salt[SALT_LEN], wrapped[WRAP_LEN], ad[64];
	uint8_t rbytes[RECOVERY_BYTES], *key = NULL, *dk = NULL;
	PGresult *r = NULL;
	int i, rc, kind, kdf, found = 0, recov;

	if ((rc = key_row(s, "store_id", store_id, sizeof store_id, e)) != E_OK ||
	    (rc = key_row(s, "key_check", check, sizeof check, e)) != E_OK)
		return rc;
	if ((rc = pg_exec(s, "key slots", "SELECT kind, kdf, salt, wrapped FROM " PG_NS
	    ".key_slots ORDER BY kind, slot", 0, NULL, NULL, NULL, &r, e)) != E_OK)
		return rc;
	/* A typed recovery key opens the recovery slot; anything else is a passphrase. */
	recov = recovery_decode(secret, len, rbytes) == 0;
	if ((key = sodium_malloc(32)) == NULL || (dk = sodium_malloc(32)) == NULL) {
		rc = err_set(e, E_IO, "%s", _("out of memory"));
		goto out;
	}
	for (i = 0; i < PQntuples(r) && !found; i++) {
		kind = atoi(PQgetvalue(r, i, 0));
		kdf = atoi(PQgetvalue(r, i, 1));
		if ((kind == SLOT_RECOV) != recov)
			continue;
		if (pg_bytea(PQgetvalue(r, i, 2), salt, sizeof salt) != SALT_LEN ||
		    pg_bytea(PQgetvalue(r, i, 3), wrapped, sizeof wrapped) != WRAP_LEN)
			continue;
		if (slot_key(kind, kdf, recov ? rbytes : (const uint8_t *)secret,
		    recov ? sizeof rbytes : len, salt, key) != 0)
			continue;
		found = key_unwrap(key, wrapped, ad, pg_slot_ad(ad, store_id, kind, kdf, salt), dk) ==
		    0;
	}
	if (!found) {
		rc = err_set(e, E_LOCKED, "%s", _("wrong passphrase for the hub store"));
		goto out;
	}
	derive(s, dk);
	if (pg_open_sealed(s, "", 0, 'k', check, sizeof check, plain) != 0 ||
	    memcmp(plain, check_text, sizeof check_text - 1) != 0) {
		sodium_memzero(s->keys, 32 * PG_NKEYS);
		rc = err_set(e, E_DAMAGED, "%s", _("the PostgreSQL hub store's key check fails: "
		    "its key tables were changed"));
		goto out;
	}
	rc = E_OK;
out:
	sodium_memzero(rbytes, sizeof rbytes);
	if (key != NULL)
		sodium_free(key);
	if (dk != NULL)
		sodium_free(dk);
	PQclear(r);
	return rc;
}
