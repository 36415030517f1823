/* logbook.h — a station's logbook inside an open database. */
#ifndef OUTPOST_LOGBOOK_H
#define OUTPOST_LOGBOOK_H

#include <sqlite3.h>

#include "crypto/err.h"

/* Creates the schema and the station's settings in a new, empty logbook database.
 * kind is "traffic", "gate" or "triage". E_INVALID for a bad kind or empty name. */
int logbook_init(sqlite3 *db, const char *kind, const char *station, struct err *e);

#endif
