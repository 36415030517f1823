/* hubreport.h — the district picture from the hub's store, for `outpost-hub report` and
 * `top`: records by station and kind, fevers, overdue mask bins, arrivals per minute. It
 * reads the bodies storage wrote (canonical JSON: {"v":1,"action":…,"data":{…}}) with
 * SQLite's JSON functions. Like the station's own report, each record counts once, as its
 * latest version (per station and the seq of its first version, whose time is the
 * record's), and deleted records not at all; arrivals alone count versions as received. */
#ifndef OUTPOST_HUBREPORT_H
#define OUTPOST_HUBREPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "base/err.h"

/* What a report covers: records created in [since_ms, until_ms) at the stations listed
 * (hub station ids, as struct hub_station's id), or at every station when nstations is 0.
 * HUBREPORT_ALL is every record of every station. */
struct hubreport_scope {
	int64_t since_ms;
	int64_t until_ms;
	const uint64_t *stations;
	size_t nstations;
};
#define HUBREPORT_ALL ((struct hubreport_scope){ INT64_MIN, INT64_MAX, NULL, 0 })

/* Calls fn(station, kind, count) for live records in scope. */
int hubreport_kinds(sqlite3 *db, const struct hubreport_scope *scope,
    int (*fn)(const char *station, const char *kind, int64_t n, void *arg), void *arg,
    struct err *e);
/* Calls fn(station, kind, fevers) for live records in scope that are fevers: temperature
 * checks (first readings, not rechecks), triage and vehicle records whose stored flag
 * data.fever the station set against its own threshold when it wrote them. A record from
 * an older station without the flag falls back to the default threshold (37.3 °C). */
int hubreport_fevers(sqlite3 *db, const struct hubreport_scope *scope,
    int (*fn)(const char *station, const char *kind, int64_t n, void *arg), void *arg,
    struct err *e);
/* Calls fn(station, bin code, last collection ms or 0) for bins not collected within
 * window_ms before now_ms (counted from registration if never collected), at the stations
 * of scope (its times do not apply: a bin is overdue now or not). */
int hubreport_overdue_bins(sqlite3 *db, const struct hubreport_scope *scope, int64_t now_ms,
    int64_t window_ms,
    int (*fn)(const char *station, const char *bin, int64_t last_ms, void *arg), void *arg,
    struct err *e);
/* Calls fn(station, "conflicts", n) for the stations of scope (its times do not apply)
 * with records whose resent content differed from the copy held (both kept; see the
 * conflicts table). */
int hubreport_conflicts(sqlite3 *db, const struct hubreport_scope *scope,
    int (*fn)(const char *station, const char *kind, int64_t n, void *arg), void *arg,
    struct err *e);
/* Records received per minute over the last n minutes before now_ms: counts[0] is the
 * current minute, counts[n-1] the oldest. */
int hubreport_arrivals(sqlite3 *db, int64_t now_ms, int n, int64_t *counts, struct err *e);

#endif
