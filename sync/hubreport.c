/* hubreport.c — see hubreport.h. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/logbook.h"
#include "sync/hubreport.h"

/* The records as the station sees them now: for each first version (action 'add', its time
 * the record's time) created in [?1, ?2) at the stations of ?3 (a JSON array of station ids,
 * NULL for all), the latest version of the same station and root, left out if that is a
 * deletion. Walks records_first for the range, then one probe of records_root and one of the
 * primary key per record. */
#define LATEST \
	"latest AS (SELECT f.station_id AS station_id, f.kind AS kind, f.created_ms AS " \
	"created_ms, l.body AS body FROM records f INDEXED BY records_first JOIN records l ON " \
	"l.station_id = f.station_id AND l.seq = (SELECT max(m.seq) FROM records m WHERE " \
	"m.station_id = f.station_id AND m.root_seq = f.seq) WHERE f.action = 'add' AND " \
	"f.created_ms >= ?1 AND f.created_ms < ?2 AND " IN_SCOPE("f") " AND " \
	"l.action <> 'delete') "
/* Whether the station of alias a is one of ?3's (or ?3 is NULL: every station). */
#define IN_SCOPE(a) \
	"(?3 IS NULL OR " a ".station_id IN (SELECT value FROM json_each(?3)))"

/* The hub's one decision of "fever", on a record r of latest (kind, body): what the station
 * decided when it wrote the record, against its own threshold at the time, stored in the
 * body as data.fever (temperature checks always; triage and vehicle records since the flag
 * was added to them; visitor and resident passages since they carry a temperature). A body from an older station without the flag falls back to the
 * default threshold in tenths, ?6: the hub does not know what that station's threshold was
 * then. A recheck is not a new fever. Temperatures are compared in tenths, as the station
 * compares them. */
#define TENTHS(x) "CAST(round((" x ") * 10) AS INTEGER)"
#define FEVER \
	"(r.kind IN ('temp', 'triage', 'vehicle', 'visitor', 'resident') AND " \
	"json_valid(r.body) AND " \
	"coalesce(json_extract(r.body, '$.data.recheck_of'), 0) = 0 AND " \
	"CASE WHEN json_type(r.body, '$.data.fever') IS NOT NULL THEN " \
	"json_extract(r.body, '$.data.fever') = 1 " \
	"WHEN r.kind = 'temp' THEN " TENTHS("json_extract(r.body, '$.data.value')") " >= ?6 " \
	"WHEN r.kind = 'triage' THEN " TENTHS("json_extract(r.body, '$.data.temp')") " >= ?6 " \
	"ELSE EXISTS (SELECT 1 FROM json_each(r.body, '$.data.occupant_temps') o WHERE " \
	TENTHS("o.value") " >= ?6) END)"

/* The default fever threshold in tenths, from storage's table of settings (37.3 → 373). */
static int
default_threshold(void)
{
	const struct setting_def *d;

	for (d = settings_keys; d->key != NULL; d++)
		if (strcmp(d->key, "fever_threshold") == 0)
			return (int)(strtod(d->def, NULL) * 10 + 0.5);
	assert(!"fever_threshold has a default");
	return 373;
}

/* Runs sql with ?1 ?2 ?3 from scope (JSON array of its station ids), ?4 ?5 = a, b and ?6
 * the default fever threshold in tenths; calls fn with each row's three columns. */
static int
rows(sqlite3 *db, const char *sql, const struct hubreport_scope *sc, int64_t a, int64_t b,
    int (*fn)(const char *, const char *, int64_t, void *), void *arg, struct err *e)
{
	sqlite3_stmt *st;
	char *ids = NULL;
	size_t i, len = 0;
	int rc;

	assert(sc != NULL && (sc->nstations == 0 || sc->stations != NULL));
	if (sc->nstations > 0) {
		if ((ids = malloc(sc->nstations * 21 + 2)) == NULL)
			return err_set(e, E_IO, "%s", _("out of memory"));
		ids[len++] = '[';
		for (i = 0; i < sc->nstations; i++)
			len += (size_t)sprintf(ids + len, "%s%llu", i ? "," : "",
			    (unsigned long long)sc->stations[i]);
		ids[len++] = ']';
		ids[len] = '\0';
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(ids);
		return err_set(e, E_IO, "report: %s", sqlite3_errmsg(db));
	}
	sqlite3_bind_int64(st, 1, sc->since_ms);
	sqlite3_bind_int64(st, 2, sc->until_ms);
	if (ids != NULL)
		sqlite3_bind_text(st, 3, ids, -1, free);
	sqlite3_bind_int64(st, 4, a);
	sqlite3_bind_int64(st, 5, b);
	sqlite3_bind_int(st, 6, default_threshold());
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn((const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2), arg) != 0)
			break;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return err_set(e, E_IO, "report: %s", sqlite3_errmsg(db));
	return E_OK;
}

int
hubreport_kinds(sqlite3 *db, const struct hubreport_scope *scope,
    int (*fn)(const char *, const char *, int64_t, void *), void *arg, struct err *e)
{
	return rows(db, "WITH " LATEST "SELECT s.name, r.kind, count(*) FROM latest r "
	    "JOIN stations s ON s.id = r.station_id GROUP BY s.name, r.kind "
	    "ORDER BY s.name, r.kind", scope, 0, 0, fn, arg, e);
}

int
hubreport_fevers(sqlite3 *db, const struct hubreport_scope *scope,
    int (*fn)(const char *, const char *, int64_t, void *), void *arg, struct err *e)
{
	return rows(db, "WITH " LATEST "SELECT s.name, r.kind, count(*) FROM latest r "
	    "JOIN stations s ON s.id = r.station_id WHERE " FEVER " "
	    "GROUP BY s.name, r.kind ORDER BY s.name, r.kind", scope, 0, 0, fn, arg, e);
}

int
hubreport_conflicts(sqlite3 *db, const struct hubreport_scope *scope,
    int (*fn)(const char *, const char *, int64_t, void *), void *arg, struct err *e)
{
	return rows(db, "SELECT s.name, 'conflicts', count(*) FROM conflicts c JOIN stations s "
	    "ON s.id = c.station_id WHERE " IN_SCOPE("c") " GROUP BY s.name ORDER BY s.name",
	    scope, 0, 0, fn, arg, e);
}

struct bins_arg {
	int (*fn)(const char *, const char *, int64_t, void *);
	void *arg;
};

static int
bins_row(const char *station, const char *bin, int64_t last, void *arg)
{
	struct bins_arg *b = arg;

	return b->fn(station, bin, last, b->arg);
}

int
hubreport_overdue_bins(sqlite3 *db, const struct hubreport_scope *scope, int64_t now_ms,
    int64_t window_ms, int (*fn)(const char *, const char *, int64_t, void *), void *arg,
    struct err *e)
{
	struct hubreport_scope all = *scope;
	struct bins_arg b = { fn, arg };

	all.since_ms = INT64_MIN;	/* a bin registered long ago is overdue now all the same */
	all.until_ms = INT64_MAX;
	return rows(db, "WITH " LATEST ", "
	    "bins AS (SELECT station_id, json_extract(body, '$.data.code') AS "
	    "code, min(created_ms) AS since FROM latest WHERE kind = 'bin' AND json_valid(body) "
	    "GROUP BY 1, 2), last AS (SELECT station_id, json_extract(body, '$.data.bin') AS "
	    "code, max(created_ms) AS at FROM latest WHERE kind = 'collection' AND "
	    "json_valid(body) GROUP BY 1, 2) "
	    "SELECT s.name, bins.code, coalesce(last.at, 0) FROM bins JOIN stations s ON "
	    "s.id = bins.station_id LEFT JOIN last ON last.station_id = bins.station_id AND "
	    "last.code = bins.code WHERE coalesce(last.at, bins.since) < ?4 - ?5 "
	    "ORDER BY s.name, bins.code", &all, now_ms, window_ms, bins_row, &b, e);
}

int
hubreport_arrivals(sqlite3 *db, int64_t now_ms, int n, int64_t *counts, struct err *e)
{
	sqlite3_stmt *st;
	int64_t m;

	memset(counts, 0, (size_t)n * sizeof *counts);
	if (sqlite3_prepare_v2(db, "SELECT (?1 - received_ms) / 60000, count(*) FROM records "
	    "WHERE received_ms > ?1 - ?2 * 60000 AND received_ms <= ?1 GROUP BY 1", -1, &st,
	    NULL) != SQLITE_OK)
		return err_set(e, E_IO, "report: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, n);
	while (sqlite3_step(st) == SQLITE_ROW) {
		m = sqlite3_column_int64(st, 0);
		if (m >= 0 && m < n)
			counts[m] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return E_OK;
}
