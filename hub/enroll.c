/* enroll.c — the hub's side of enrolling a station: a one-time CURVE key pair whose
 * public half the ZAP handler accepts once, and whose secret half travels in the token. */
#include <string.h>

#include <sodium.h>

#include "hub/server.h"
#include "sync/token.h"

int
hub_enroll_new(struct hub_store *store, const char *name, const char *endpoint, char *token,
    struct err *e)
{
	struct token *t;
	uint8_t epk[32], *sk;
	uint64_t id;
	int rc;

	if (strlen(endpoint) > TOKEN_ENDPOINT_MAX)
		return err_set(e, E_INVALID, "%s", _("the hub address is too long for a token"));
	if ((t = sodium_malloc(sizeof *t)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if ((rc = hubstore_keys_load(store, t->hub_pk, &sk, e)) != E_OK) {
		sodium_free(t);
		return rc;
	}
	sodium_free(sk);
	crypto_box_keypair(epk, t->enroll_sk);
	memset(t->endpoint, 0, sizeof t->endpoint);
	memcpy(t->endpoint, endpoint, strlen(endpoint));
	if ((rc = hubstore_station_add(store, name, epk, hub_now_ms(), &id, e)) == E_OK)
		rc = token_encode(t, token, e);
	sodium_free(t);
	return rc;
}
