/* identity.c — see identity.h. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sync/identity.h"

int
identity_new(struct identity **out, struct err *e)
{
	struct identity *id;

	if ((id = calloc(1, sizeof *id)) == NULL ||
	    (id->curve_sk = sodium_malloc(32)) == NULL ||
	    (id->sign_sk = sodium_malloc(64)) == NULL) {
		identity_free(id);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	crypto_box_keypair(id->curve_pk, id->curve_sk);
	crypto_sign_keypair(id->sign_pk, id->sign_sk);
	*out = id;
	return E_OK;
}

void
identity_free(struct identity *id)
{
	if (id == NULL)
		return;
	if (id->curve_sk != NULL)
		sodium_free(id->curve_sk);
	if (id->sign_sk != NULL)
		sodium_free(id->sign_sk);
	sodium_memzero(id, sizeof *id);
	free(id);
}

static const char table[] =
	"CREATE TABLE IF NOT EXISTS sync_identity(k TEXT PRIMARY KEY, v BLOB NOT NULL)";

static int
get(sqlite3_stmt *st, const char *k, void *out, size_t n, int text)
{
	int len;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		return -1;
	const void *p = sqlite3_column_blob(st, 0);

	len = sqlite3_column_bytes(st, 0);
	if (text) {
		if ((size_t)len >= n)
			return -1;
		if (len > 0)
			memcpy(out, p, (size_t)len);
		((char *)out)[len] = '\0';
	} else {
		if ((size_t)len != n || p == NULL)
			return -1;
		memcpy(out, p, n);
	}
	return 0;
}

int
identity_load(sqlite3 *db, struct identity **out, struct err *e)
{
	struct identity *id;
	sqlite3_stmt *st;
	char num[32];
	int bad;

	if (sqlite3_exec(db, table, NULL, NULL, NULL) != SQLITE_OK)
		return err_set(e, E_IO, "identity: %s", sqlite3_errmsg(db));
	if ((id = calloc(1, sizeof *id)) == NULL ||
	    (id->curve_sk = sodium_malloc(32)) == NULL ||
	    (id->sign_sk = sodium_malloc(64)) == NULL) {
		identity_free(id);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	if (sqlite3_prepare_v2(db, "SELECT v FROM sync_identity WHERE k = ?1", -1, &st, NULL) !=
	    SQLITE_OK) {
		identity_free(id);
		return err_set(e, E_IO, "identity: %s", sqlite3_errmsg(db));
	}
	bad = get(st, "endpoint", id->endpoint, sizeof id->endpoint, 1) ||
	    get(st, "hub_pk", id->hub_pk, 32, 0) || get(st, "curve_pk", id->curve_pk, 32, 0) ||
	    get(st, "curve_sk", id->curve_sk, 32, 0) || get(st, "sign_pk", id->sign_pk, 32, 0) ||
	    get(st, "sign_sk", id->sign_sk, 64, 0) || get(st, "name", id->name, sizeof id->name, 1) ||
	    get(st, "hub_id", num, sizeof num, 1);
	sqlite3_finalize(st);
	if (bad) {
		identity_free(id);
		return err_set(e, E_INVALID, "%s",
		    _("this station is not enrolled with a hub: run outpost enroll TOKEN"));
	}
	id->hub_id = strtoull(num, NULL, 10);
	*out = id;
	return E_OK;
}

static int
put(sqlite3_stmt *st, const char *k, const void *v, size_t n)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, v, (int)n, SQLITE_STATIC);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int
identity_save(sqlite3 *db, const struct identity *id, struct err *e)
{
	sqlite3_stmt *st;
	char num[32];
	int bad;

	snprintf(num, sizeof num, "%llu", (unsigned long long)id->hub_id);
	if (sqlite3_exec(db, table, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return err_set(e, E_IO, "identity: %s", sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO sync_identity(k, v) VALUES(?1, ?2)",
	    -1, &st, NULL) != SQLITE_OK) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return err_set(e, E_IO, "identity: %s", sqlite3_errmsg(db));
	}
	bad = put(st, "endpoint", id->endpoint, strlen(id->endpoint)) ||
	    put(st, "hub_pk", id->hub_pk, 32) || put(st, "curve_pk", id->curve_pk, 32) ||
	    put(st, "curve_sk", id->curve_sk, 32) || put(st, "sign_pk", id->sign_pk, 32) ||
	    put(st, "sign_sk", id->sign_sk, 64) || put(st, "name", id->name, strlen(id->name)) ||
	    put(st, "hub_id", num, strlen(num));
	sqlite3_finalize(st);
	if (bad || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		err_set(e, E_IO, "identity: %s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return E_IO;
	}
	return E_OK;
}
