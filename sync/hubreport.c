/* hubreport.c — see hubreport.h. */
#include <string.h>

#include "sync/hubreport.h"

/* The records as the station sees them now: for each first version (action 'add', its time
 * the record's time) created at or after ?1, the latest version of the same station and
 * root, left out if that is a deletion. Walks records_first for the day, then one probe of
 * records_root and one of the primary key per record. */
#define LATEST(since) \
	"latest AS (SELECT f.station_id AS station_id, f.kind AS kind, f.created_ms AS " \
	"created_ms, l.body AS body FROM records f INDEXED BY records_first JOIN records l ON " \
	"l.station_id = f.station_id AND l.seq = (SELECT max(m.seq) FROM records m WHERE " \
	"m.station_id = f.station_id AND m.root_seq = f.seq) WHERE f.action = 'add' AND " \
	"f.created_ms >= " since " AND l.action <> 'delete') "

static int
rows(sqlite3 *db, const char *sql, int64_t a, int64_t b,
    int (*fn)(const char *, const char *, int64_t, void *), void *arg, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return err_set(e, E_IO, "report: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
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
hubreport_kinds(sqlite3 *db, int64_t since_ms,
    int (*fn)(const char *, const char *, int64_t, void *), void *arg, struct err *e)
{
	return rows(db, "WITH " LATEST("?1") "SELECT s.name, r.kind, count(*) FROM latest r "
	    "JOIN stations s ON s.id = r.station_id GROUP BY s.name, r.kind "
	    "ORDER BY s.name, r.kind", since_ms, 0, fn, arg, e);
}

int
hubreport_fevers(sqlite3 *db, int64_t since_ms,
    int (*fn)(const char *, const char *, int64_t, void *), void *arg, struct err *e)
{
	return rows(db, "WITH " LATEST("?1") "SELECT s.name, r.kind, count(*) FROM latest r "
	    "JOIN stations s ON s.id = r.station_id WHERE json_valid(r.body) AND "
	    "((r.kind = 'temp' AND json_extract(r.body, '$.data.fever') = 1 AND "
	    "coalesce(json_extract(r.body, '$.data.recheck_of'), 0) = 0) OR "
	    "(r.kind = 'triage' AND json_extract(r.body, '$.data.temp') >= 37.3)) "
	    "GROUP BY s.name, r.kind ORDER BY s.name", since_ms, 0, fn, arg, e);
}

int
hubreport_conflicts(sqlite3 *db,
    int (*fn)(const char *, const char *, int64_t, void *), void *arg, struct err *e)
{
	return rows(db, "SELECT s.name, 'conflicts', count(*) FROM conflicts c JOIN stations s "
	    "ON s.id = c.station_id GROUP BY s.name ORDER BY s.name", 0, 0, fn, arg, e);
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
hubreport_overdue_bins(sqlite3 *db, int64_t now_ms, int64_t window_ms,
    int (*fn)(const char *, const char *, int64_t, void *), void *arg, struct err *e)
{
	struct bins_arg b = { fn, arg };

	return rows(db, "WITH " LATEST("-9223372036854775807 - 1") ", "
	    "bins AS (SELECT station_id, json_extract(body, '$.data.code') AS "
	    "code, min(created_ms) AS since FROM latest WHERE kind = 'bin' AND json_valid(body) "
	    "GROUP BY 1, 2), last AS (SELECT station_id, json_extract(body, '$.data.bin') AS "
	    "code, max(created_ms) AS at FROM latest WHERE kind = 'collection' AND "
	    "json_valid(body) GROUP BY 1, 2) "
	    "SELECT s.name, bins.code, coalesce(last.at, 0) FROM bins JOIN stations s ON "
	    "s.id = bins.station_id LEFT JOIN last ON last.station_id = bins.station_id AND "
	    "last.code = bins.code WHERE coalesce(last.at, bins.since) < ?1 - ?2 "
	    "ORDER BY s.name, bins.code", now_ms, window_ms, bins_row, &b, e);
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
