/* hubreport.h — the district picture from the hub's store, for `outpost-hub report` and
 * `top`: records by station and kind, fevers, overdue mask bins, arrivals per minute. It
 * reads the bodies storage wrote (canonical JSON: {"v":1,"action":…,"data":{…}}) with
 * SQLite's JSON functions. Like the station's own report, each record counts once, as its
 * latest version (per station and the seq of its first version, whose time is the
 * record's), and deleted records not at all; arrivals alone count versions as received. */
#ifndef OUTPOST_HUBREPORT_H
#define OUTPOST_HUBREPORT_H

#include <stdint.h>
#include <sqlite3.h>

#include "crypto/err.h"

/* Calls fn(station, kind, count) for live records created at or after since_ms. */
int hubreport_kinds(sqlite3 *db, int64_t since_ms,
    int (*fn)(const char *station, const char *kind, int64_t n, void *arg), void *arg,
    struct err *e);
/* Calls fn(station, fevers) for temperature checks flagged as fever (and triage at or
 * above 37.3 °C) created at or after since_ms. */
int hubreport_fevers(sqlite3 *db, int64_t since_ms,
    int (*fn)(const char *station, const char *kind, int64_t n, void *arg), void *arg,
    struct err *e);
/* Calls fn(station, bin code, last collection ms or 0) for bins not collected within
 * window_ms before now_ms (counted from registration if never collected). */
int hubreport_overdue_bins(sqlite3 *db, int64_t now_ms, int64_t window_ms,
    int (*fn)(const char *station, const char *bin, int64_t last_ms, void *arg), void *arg,
    struct err *e);
/* Calls fn(station, "conflicts", n) for stations with records whose resent content
 * differed from the copy held (both kept; see the conflicts table). */
int hubreport_conflicts(sqlite3 *db,
    int (*fn)(const char *station, const char *kind, int64_t n, void *arg), void *arg,
    struct err *e);
/* Records received per minute over the last n minutes before now_ms: counts[0] is the
 * current minute, counts[n-1] the oldest. */
int hubreport_arrivals(sqlite3 *db, int64_t now_ms, int n, int64_t *counts, struct err *e);

#endif
