/* identity.h — the station's sync identity, kept inside its encrypted logbook (table
 * sync_identity): the hub's endpoint and pinned public key, the station's CURVE key pair
 * (transport) and Ed25519 key pair (signing bundles), and the name the hub gave it.
 * Secret keys live in sodium_malloc memory and are wiped when freed. */
#ifndef OUTPOST_IDENTITY_H
#define OUTPOST_IDENTITY_H

#include <stdint.h>
#include <sqlite3.h>

#include "base/err.h"

struct identity {
	char endpoint[256];
	uint8_t hub_pk[32];
	uint8_t curve_pk[32];
	uint8_t *curve_sk;	/* 32 bytes, sodium_malloc */
	uint8_t sign_pk[32];
	uint8_t *sign_sk;	/* 64 bytes, sodium_malloc */
	uint64_t hub_id;	/* the hub's number for this station */
	char name[65];
};

/* A fresh identity with new key pairs and nothing else set. */
int identity_new(struct identity **out, struct err *e);
/* Loads the stored identity: E_OK, or E_INVALID "not enrolled with a hub". */
int identity_load(sqlite3 *db, struct identity **out, struct err *e);
/* Stores id in db (replacing any earlier one) in one transaction. */
int identity_save(sqlite3 *db, const struct identity *id, struct err *e);
/* Wipes and frees; NULL is fine. */
void identity_free(struct identity *id);

#endif
