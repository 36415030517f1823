/* bundle.h — records carried by USB stick when there is no link: the station's
 * unacknowledged records in the wire's batch encoding, signed with the station's Ed25519
 * key (a sealed box alone does not prove who sent it) and sealed to the hub's X25519 (CURVE)
 * key, so only that hub can read it and it can tell which station wrote it. The hub imports
 * it through the same ingest as PUSH: twice, or after an online sync, doubles nothing. */
#ifndef OUTPOST_BUNDLE_H
#define OUTPOST_BUNDLE_H

#include <stdint.h>
#include <sqlite3.h>

#include "base/err.h"
#include "sync/identity.h"
#include "sync/source.h"

#define BUNDLE_MAGIC "OUTPOSTB"
#define BUNDLE_MAX (64u << 20)	/* bytes of a bundle file */

struct bundle_info {
	int64_t seq_from, seq_to;	/* 0, 0 when empty */
	uint64_t records;
	uint64_t inserted, duplicates, conflicts;	/* import only */
	uint64_t quarantined;	/* import only: records that cannot be read, put aside */
	char station[65];		/* import only: the station's name at the hub */
};

/* Writes the records of src after its acknowledged mark to path (which must not exist),
 * sealed for id's hub and signed by id. Fills info. An empty bundle is written too. */
int bundle_write(const struct identity *id, const struct sync_source *src,
    const char *path, struct bundle_info *info, struct err *e);

/* Imports the bundle at path into the hub store db: opens it with the hub's key pair,
 * checks the signature of the station it names (which must be enrolled and not revoked),
 * then ingests it. A bundle that fails any check is refused (E_INVALID, or E_LOCKED for a
 * revoked station) and nothing is stored. */
int bundle_import(sqlite3 *db, const char *path, struct bundle_info *info, struct err *e);

#endif
