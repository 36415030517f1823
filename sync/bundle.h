/* bundle.h — records carried by USB stick when there is no link: the station's
 * unacknowledged records in the wire's batch encoding, signed with the station's Ed25519
 * key (a sealed box alone does not prove who sent it) and sealed to the hub's X25519 (CURVE)
 * key, so only that hub can read it and it can tell which station wrote it. The hub imports
 * it (hub/import.h) through the same ingest as PUSH: twice, or after an online sync,
 * doubles nothing. */
#ifndef OUTPOST_BUNDLE_H
#define OUTPOST_BUNDLE_H

#include <stdint.h>

#include "base/err.h"
#include "sync/identity.h"
#include "sync/source.h"

#define BUNDLE_MAGIC "OUTPOSTB"
#define BUNDLE_MAX (64u << 20)	/* bytes of a bundle file */
#define BUNDLE_VERSION 1
#define BUNDLE_HDR (sizeof BUNDLE_MAGIC - 1 + 1)	/* magic and version byte */

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

/* The whole file at path (at most BUNDLE_MAX bytes) into *out (malloc'd, caller frees). */
int bundle_read(const char *path, uint8_t **out, size_t *len, struct err *e);

#endif
