/* import.h — a station's USB bundle (sync/bundle.h) into the hub's store. */
#ifndef OUTPOST_HUB_IMPORT_H
#define OUTPOST_HUB_IMPORT_H

#include "base/err.h"
#include "hub/store.h"
#include "sync/bundle.h"

/* Imports the bundle at path: opens it with the hub's key pair, checks the signature of
 * the station it names (which must be enrolled and not revoked), then ingests it. A bundle
 * that fails any check is refused (E_INVALID, or E_LOCKED for a revoked station) and
 * nothing is stored. Fills info. */
int bundle_import(struct hub_store *store, const char *path, struct bundle_info *info,
    struct err *e);

#endif
