/* logbook.c — creating a station's logbook (schema and settings). */
#include <string.h>

#include "crypto/vault.h"
#include "storage/logbook.h"

int
logbook_init(sqlite3 *db, const char *kind, const char *station, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (strcmp(kind, "traffic") != 0 && strcmp(kind, "gate") != 0 &&
	    strcmp(kind, "triage") != 0)
		return err_set(e, E_INVALID, _("station kind '%s' is not one of traffic, gate, "
		    "triage"), kind);
	if (station == NULL || station[0] == '\0')
		return err_set(e, E_INVALID, "%s", _("the station needs a name (--station NAME)"));
	rc = sqlite3_exec(db, "CREATE TABLE setting(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
	    NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return vault_sqlite_err(db, rc, e);
	rc = sqlite3_prepare_v2(db, "INSERT INTO setting VALUES ('station_kind', ?1), "
	    "('station_name', ?2)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, station, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE)
		return vault_sqlite_err(db, rc, e);
	return E_OK;
}
