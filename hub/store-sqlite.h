/* store-sqlite.h — the SQLite backend's extras, for tests and tools that already hold a
 * database handle (e.g. a plain in-memory SQLite): everything else goes through store.h. */
#ifndef OUTPOST_HUB_STORE_SQLITE_H
#define OUTPOST_HUB_STORE_SQLITE_H

#include <sqlite3.h>

#include "hub/store.h"

/* A store over db (migrated up to HUBSTORE_SCHEMA_VERSION); db stays the caller's and must
 * outlive the store (hubstore_close does not close it). */
int hubstore_sqlite_wrap(sqlite3 *db, struct hub_store **out, struct err *e);
/* The handle under a SQLite store (for tests that look at the tables themselves). */
sqlite3 *hubstore_sqlite_db(struct hub_store *s);

#endif
