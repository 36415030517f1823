/* store-pg-read.c — the PostgreSQL store's settings and watchlist (each entry sealed, its
 * row keyed by a keyed hash of its key), reports from the aggregates, the full recount
 * that checks them, and the export cursor (short pages, bodies opened in the hub). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hub/pg.h"

#define LOCK_CLASS 1869968496

static char *
u64s(char *buf, size_t n, uint64_t v)
{
	snprintf(buf, n, "%llu", (unsigned long long)v);
	return buf;
}

static char *
i64s(char *buf, size_t n, int64_t v)
{
	snprintf(buf, n, "%lld", (long long)v);
	return buf;
}

/* ---- settings and watchlist ---- */

/* An item's sealed form: key, value, extra, each NUL-terminated. */
static uint8_t *
item_seal(struct pg_store *s, int kind, const struct wire_item *it, size_t *len)
{
	const char *k = it->key, *v = it->value ? it->value : "", *x = it->extra ? it->extra : "";
	size_t a = strlen(k) + 1, b = strlen(v) + 1, c = strlen(x) + 1;
	uint8_t *plain, *out;

	if ((plain = malloc(a + b + c)) == NULL || (out = malloc(a + b + c + PG_SEAL_OVERHEAD)) ==
	    NULL) {
		free(plain);
		return NULL;
	}
	memcpy(plain, k, a);
	memcpy(plain + a, v, b);
	memcpy(plain + a + b, x, c);
	pg_seal(s, "items", (uint64_t)kind, 'i', plain, a + b + c, out);
	sodium_memzero(plain, a + b + c);
	free(plain);
	*len = a + b + c + PG_SEAL_OVERHEAD;
	return out;
}

/* Opens an item row (bytea text) into it (strings malloc'd): 0 or -1. */
static int
item_open(struct pg_store *s, int kind, const char *hex, struct wire_item *it)
{
	size_t n = strlen(hex) / 2;
	uint8_t *in, *plain, mac[32];
	long m;
	const char *k, *v, *x, *end;
	int rc = -1;

	memset(it, 0, sizeof *it);
	if ((in = malloc(n + 1)) == NULL || (plain = malloc(n + 1)) == NULL) {
		free(in);
		return -1;
	}
	if ((m = pg_bytea(hex, in, n)) < PG_SEAL_OVERHEAD ||
	    pg_open_sealed(s, "items", (uint64_t)kind, 'i', in, (size_t)m, plain) != 0)
		goto out;
	end = (const char *)plain + (m - PG_SEAL_OVERHEAD);
	k = (const char *)plain;
	v = memchr(k, 0, (size_t)(end - k)) ? k + strlen(k) + 1 : NULL;
	x = v != NULL && v < end && memchr(v, 0, (size_t)(end - v)) ? v + strlen(v) + 1 : NULL;
	if (x == NULL || x >= end || memchr(x, 0, (size_t)(end - x)) == NULL)
		goto out;
	it->key = strdup(k);
	it->value = strdup(v);
	it->extra = strdup(x);
	if (it->key == NULL || it->value == NULL || it->extra == NULL) {
		free(it->key);
		free(it->value);
		free(it->extra);
		memset(it, 0, sizeof *it);
		goto out;
	}
	(void)mac;
	rc = 0;
out:
	sodium_memzero(plain, n);
	free(in);
	free(plain);
	return rc;
}

int
pg_items_set(struct hub_store *hs, int kind, const struct wire_item *it, size_t n,
    struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	char kb[8], del[2], sql[96];
	uint8_t mac[32], *sealed;
	const char *v[4];
	int l[4] = { 0, 32, 0, 0 }, f[4] = { 0, 1, 0, 1 }, rc;
	size_t i, len;

	snprintf(kb, sizeof kb, "%d", kind);
	if ((rc = pg_begin(s, e)) != E_OK)
		return rc;
	snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d, %d)", LOCK_CLASS, -10 - kind);
	if ((rc = pg_run(s, "lock", sql, e)) != E_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		if ((sealed = item_seal(s, kind, &it[i], &len)) == NULL) {
			rc = err_set(e, E_IO, "%s", _("out of memory"));
			goto fail;
		}
		pg_item_mac(s, kind, it[i].key, mac);
		snprintf(del, sizeof del, "%d", it[i].deleted != 0);
		v[0] = kb;
		v[1] = (const char *)mac;
		v[2] = del;
		v[3] = (const char *)sealed;
		l[3] = (int)len;
		rc = pg_exec(s, "item", "INSERT INTO items(kind, key_mac, ver, deleted, sealed) "
		    "VALUES ($1, $2, (SELECT coalesce(max(ver), 0) + 1 FROM items WHERE kind = $1), "
		    "$3::int::boolean, $4) ON CONFLICT (kind, key_mac) DO UPDATE SET ver = "
		    "excluded.ver, deleted = excluded.deleted, sealed = excluded.sealed",
		    4, v, l, f, NULL, e);
		free(sealed);
		if (rc != E_OK)
			goto fail;
	}
	return pg_commit(s, e);
fail:
	pg_rollback(s);
	return rc;
}

int
pg_item_latest(struct hub_store *hs, int kind, uint64_t *ver, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	char kb[8];
	const char *v[1] = { kb };
	PGresult *r;
	int rc;

	snprintf(kb, sizeof kb, "%d", kind);
	if ((rc = pg_exec(s, "items", "SELECT coalesce(max(ver), 0) FROM items WHERE kind = $1",
	    1, v, NULL, NULL, &r, e)) != E_OK)
		return rc;
	*ver = (uint64_t)pg_i64(PQgetvalue(r, 0, 0));
	PQclear(r);
	return E_OK;
}

/* Rows (ver, deleted, sealed) of kind into items (malloc'd), decrypted. */
static int
items_rows(struct pg_store *s, int kind, const char *sql, uint64_t since,
    struct wire_item **out, size_t *nout, struct err *e)
{
	char kb[8], sb[24];
	const char *v[2] = { kb, sb };
	struct wire_item *it;
	PGresult *r;
	int i, rc, n;

	*out = NULL;
	*nout = 0;
	snprintf(kb, sizeof kb, "%d", kind);
	u64s(sb, sizeof sb, since);
	if ((rc = pg_exec(s, "items", sql, 2, v, NULL, NULL, &r, e)) != E_OK)
		return rc;
	n = PQntuples(r);
	if (n > WIRE_ITEMS_MAX)
		n = WIRE_ITEMS_MAX;
	if ((it = calloc((size_t)n + 1, sizeof *it)) == NULL) {
		PQclear(r);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	for (i = 0; i < n; i++) {
		if (item_open(s, kind, PQgetvalue(r, i, 2), &it[*nout]) != 0) {
			/* changed behind the hub's back: say so rather than hand out less */
			for (size_t j = 0; j < *nout; j++) {
				free(it[j].key);
				free(it[j].value);
				free(it[j].extra);
			}
			free(it);
			*nout = 0;
			PQclear(r);
			return err_set(e, E_DAMAGED, "%s", _("damaged: a settings or watchlist entry "
			    "in the hub store fails authentication"));
		}
		it[*nout].ver = (uint64_t)pg_i64(PQgetvalue(r, i, 0));
		it[*nout].deleted = PQgetvalue(r, i, 1)[0] == 't';
		(*nout)++;
	}
	PQclear(r);
	*out = it;
	return E_OK;
}

int
pg_items_pull(struct hub_store *hs, int kind, uint64_t since, struct wire_msg *m,
    struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	uint64_t latest;
	int snapshot, rc;

	if ((rc = pg_item_latest(hs, kind, &latest, e)) != E_OK)
		return rc;
	snapshot = since == 0 || since > latest;
	m->type = snapshot ? WIRE_SNAPSHOT : WIRE_DELTA;
	m->u.items.kind = kind;
	m->u.items.ver = latest;
	return items_rows(s, kind, snapshot ?
	    "SELECT ver, deleted, sealed FROM items WHERE kind = $1 AND NOT deleted AND "
	    "$2::int8 >= 0 ORDER BY ver" :
	    "SELECT ver, deleted, sealed FROM items WHERE kind = $1 AND ver > $2 ORDER BY ver",
	    since, &m->u.items.items, &m->u.items.nitems, e);
}

static int
item_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct wire_item *)a)->key, ((const struct wire_item *)b)->key);
}

int
pg_items_list(struct hub_store *hs, int kind, int (*fn)(const struct wire_item *, void *),
    void *arg, struct err *e)
{
	struct wire_item *it;
	size_t n, i;
	int rc;

	if ((rc = items_rows((struct pg_store *)hs, kind, "SELECT ver, deleted, sealed FROM items "
	    "WHERE kind = $1 AND NOT deleted AND $2::int8 >= 0", 0, &it, &n, e)) != E_OK)
		return rc;
	qsort(it, n, sizeof *it, item_key_cmp);
	for (i = 0; i < n; i++)
		if (fn(&it[i], arg) != 0)
			break;
	for (i = 0; i < n; i++) {
		free(it[i].key);
		free(it[i].value);
		free(it[i].extra);
	}
	free(it);
	return E_OK;
}

/* ---- reports ---- */

/* The stations of a span as an int8[] literal, or NULL for all (malloc'd). */
static char *
span_ids(const struct hub_span *sp, int *oom)
{
	char *p;
	size_t i, len = 0;

	*oom = 0;
	if (sp->nstations == 0)
		return NULL;
	if ((p = malloc(sp->nstations * 21 + 3)) == NULL) {
		*oom = 1;
		return NULL;
	}
	p[len++] = '{';
	for (i = 0; i < sp->nstations; i++)
		len += (size_t)sprintf(p + len, "%s%llu", i ? "," : "",
		    (unsigned long long)sp->stations[i]);
	p[len++] = '}';
	p[len] = '\0';
	return p;
}

int
pg_report_totals(struct hub_store *hs, const struct hub_span *sp,
    int (*fn)(const struct hub_total *, void *), void *arg, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	char b[2][24], *ids;
	const char *v[3];
	struct hub_total t;
	PGresult *r;
	int i, rc, oom;

	ids = span_ids(sp, &oom);
	if (oom)
		return err_set(e, E_IO, "%s", _("out of memory"));
	v[0] = i64s(b[0], 24, sp->day_from);
	v[1] = i64s(b[1], 24, sp->day_to);
	v[2] = ids;
	rc = pg_exec(s, "report", "SELECT s.name, g.kind, sum(records), sum(fevers), "
	    "sum(released), sum(flagged), sum(inside) FROM agg_day g JOIN stations s ON s.id = "
	    "g.station_id WHERE g.day >= $1::int8 AND g.day < $2::int8 AND ($3::int8[] IS NULL OR "
	    "g.station_id = ANY($3::int8[])) GROUP BY s.name, g.kind HAVING sum(records) > 0 "
	    "ORDER BY s.name COLLATE \"C\", g.kind COLLATE \"C\"", 3, v, NULL, NULL, &r, e);
	free(ids);
	if (rc != E_OK)
		return rc;
	for (i = 0; i < PQntuples(r); i++) {
		t.station = PQgetvalue(r, i, 0);
		t.kind = PQgetvalue(r, i, 1);
		t.records = pg_i64(PQgetvalue(r, i, 2));
		t.fevers = pg_i64(PQgetvalue(r, i, 3));
		t.released = pg_i64(PQgetvalue(r, i, 4));
		t.flagged = pg_i64(PQgetvalue(r, i, 5));
		t.inside = pg_i64(PQgetvalue(r, i, 6));
		if (fn(&t, arg) != 0)
			break;
	}
	PQclear(r);
	return E_OK;
}

struct bin_row {
	char station[65];
	char code[80];
	int64_t last;
};

static int
bin_cmp(const void *a, const void *b)
{
	const struct bin_row *x = a, *y = b;
	int c = strcmp(x->station, y->station);

	return c ? c : strcmp(x->code, y->code);
}

int
pg_report_bins(struct hub_store *hs, const struct hub_span *sp, int64_t now_ms,
    int64_t window_ms, int (*fn)(const char *, const char *, int64_t, void *), void *arg,
    struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	char b[2][24], *ids;
	const char *v[3];
	uint8_t in[80 + PG_SEAL_OVERHEAD];
	struct bin_row *rows;
	PGresult *r;
	int i, rc, oom, n = 0;
	long m;

	ids = span_ids(sp, &oom);
	if (oom)
		return err_set(e, E_IO, "%s", _("out of memory"));
	v[0] = i64s(b[0], 24, now_ms);
	v[1] = i64s(b[1], 24, window_ms);
	v[2] = ids;
	rc = pg_exec(s, "bins", "SELECT s.name, s.uid, b.code, coalesce(b.last_ms, 0) FROM bins b "
	    "JOIN stations s ON s.id = b.station_id WHERE coalesce(b.last_ms, b.since_ms) < "
	    "$1::int8 - $2::int8 AND ($3::int8[] IS NULL OR b.station_id = ANY($3::int8[]))",
	    3, v, NULL, NULL, &r, e);
	free(ids);
	if (rc != E_OK)
		return rc;
	if ((rows = calloc((size_t)PQntuples(r) + 1, sizeof *rows)) == NULL) {
		PQclear(r);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	for (i = 0; i < PQntuples(r); i++) {
		m = pg_bytea(PQgetvalue(r, i, 2), in, sizeof in);
		if (m < PG_SEAL_OVERHEAD || m - PG_SEAL_OVERHEAD >= (long)sizeof rows[n].code ||
		    pg_open_sealed(s, PQgetvalue(r, i, 1), 0, 'b', in, (size_t)m,
		    (uint8_t *)rows[n].code) != 0)
			continue;
		rows[n].code[m - PG_SEAL_OVERHEAD] = '\0';
		snprintf(rows[n].station, sizeof rows[n].station, "%s", PQgetvalue(r, i, 0));
		rows[n].last = pg_i64(PQgetvalue(r, i, 3));
		n++;
	}
	PQclear(r);
	qsort(rows, (size_t)n, sizeof *rows, bin_cmp);
	for (i = 0; i < n; i++)
		if (fn(rows[i].station, rows[i].code, rows[i].last, arg) != 0)
			break;
	free(rows);
	return E_OK;
}

int
pg_arrivals(struct hub_store *hs, int64_t now_ms, int n, int64_t *counts, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	char b[2][24];
	const char *v[2] = { i64s(b[0], 24, now_ms), i64s(b[1], 24, n) };
	PGresult *r;
	int64_t m;
	int i, rc;

	if ((rc = pg_exec(s, "arrivals", "SELECT $1::int8 / 60000 - minute, sum(n) FROM arrivals "
	    "WHERE minute > $1::int8 / 60000 - $2::int8 AND minute <= $1::int8 / 60000 "
	    "GROUP BY 1", 2, v, NULL, NULL, &r, e)) != E_OK)
		return rc;
	for (i = 0; i < PQntuples(r); i++) {
		m = pg_i64(PQgetvalue(r, i, 0));
		if (m >= 0 && m < n)
			counts[m] = pg_i64(PQgetvalue(r, i, 1));
	}
	PQclear(r);
	return E_OK;
}

/* The aggregates recounted from every record held (readable ones; quarantined bodies
 * count nowhere), in SQL over the clear columns, both ways against what ingest kept. */
#define RECOUNT \
	"WITH l AS (SELECT DISTINCT ON (station_id, root_seq) station_id, root_seq, action, " \
	"fever, released, flagged FROM records WHERE NOT quarantined ORDER BY station_id, " \
	"root_seq, seq DESC), f AS (SELECT station_id, seq AS root_seq, kind, created_ms, " \
	"tz_min, ref_seq FROM records WHERE action = 'add' AND seq = root_seq AND NOT " \
	"quarantined), lv AS (SELECT f.*, l.fever, l.released, l.flagged FROM f JOIN l USING " \
	"(station_id, root_seq) WHERE l.action <> 'delete'), ex AS (SELECT DISTINCT " \
	"station_id, ref_seq AS entry FROM lv WHERE kind = 'exit' AND ref_seq > 0), c AS " \
	"(SELECT lv.station_id, floor((created_ms + tz_min * 60000)::numeric / 86400000)::int8 " \
	"AS day, kind, fever::int AS fv, " \
	"released::int AS rl, flagged::int AS fl, (kind = 'visitor' AND ex.entry IS NULL)::int " \
	"AS ins FROM lv LEFT JOIN ex ON ex.station_id = lv.station_id AND ex.entry = " \
	"lv.root_seq) "
#define DIFF(unit, tbl) \
	RECOUNT ", w AS (SELECT station_id, " unit ", kind, count(*) AS records, sum(fv) AS " \
	"fevers, sum(rl) AS released, sum(fl) AS flagged, sum(ins) AS inside FROM c GROUP BY " \
	"1, 2, 3), h AS (SELECT station_id, " unit ", kind, records, fevers, released, " \
	"flagged, inside FROM " tbl " WHERE records <> 0 OR fevers <> 0 OR released <> 0 OR " \
	"flagged <> 0 OR inside <> 0) SELECT 'recount', * FROM (SELECT * FROM w EXCEPT " \
	"SELECT * FROM h) a UNION ALL SELECT 'kept', * FROM (SELECT * FROM h EXCEPT SELECT * " \
	"FROM w) b LIMIT 1"

int
pg_verify(struct hub_store *hs, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	static const char *const sql[1] = { DIFF("day", "agg_day") };
	PGresult *r;
	int i, rc;

	for (i = 0; i < 1; i++) {
		if ((rc = pg_exec(s, "verify", sql[i], 0, NULL, NULL, NULL, &r, e)) != E_OK)
			return rc;
		if (PQntuples(r) > 0) {
			rc = err_set(e, E_DAMAGED, "aggregates differ (%s): station %s day %s %s: "
			    "records %s fevers %s released %s flagged %s inside %s",
			    PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
			    PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 4),
			    PQgetvalue(r, 0, 5), PQgetvalue(r, 0, 6), PQgetvalue(r, 0, 7),
			    PQgetvalue(r, 0, 8));
			PQclear(r);
			return rc;
		}
		PQclear(r);
	}
	/* What ingest counted per station, against the records held. */
	if ((rc = pg_exec(s, "verify", "SELECT t.station_id, t.held, t.max_seq, t.quarantined, "
	    "x.n, x.m, x.q FROM station_state t LEFT JOIN LATERAL (SELECT count(*) AS n, "
	    "coalesce(max(seq), 0) AS m, count(*) FILTER (WHERE quarantined) AS q FROM records r "
	    "WHERE r.station_id = t.station_id) x ON true WHERE t.held <> x.n OR t.max_seq <> x.m "
	    "OR t.quarantined <> x.q LIMIT 1", 0, NULL, NULL, NULL, &r, e)) != E_OK)
		return rc;
	if (PQntuples(r) > 0)
		rc = err_set(e, E_DAMAGED, "station %s: held %s, max seq %s, quarantined %s kept; "
		    "%s, %s, %s recounted", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
		    PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 4),
		    PQgetvalue(r, 0, 5), PQgetvalue(r, 0, 6));
	PQclear(r);
	return rc;
}

/* ---- export ---- */

/* Keyset pages over a range of seq, not "the next N rows": on a table partitioned by day
 * the planner cannot stop a LIMIT early in every plan it may pick (a bitmap scan of each
 * partition then a sort reads all the station's rows left, every page: quadratic in a
 * station's rows), while a range bounds every plan to one page of rows. A range that
 * holds none (a gap in a station's seq, or its end) is followed by a jump to the next seq
 * held, if any. Both statements are prepared once: planning one over every day partition
 * cost more than running it (15–50 ms a page against 2–10 ms measured at 1M records).
 * Results come in binary (bodies as bytes, not hex). Each page is its own statement
 * outside any transaction, so no snapshot is held between pages. */
#define EXPORT_PAGE_SQL "SELECT seq, kind, created_ms, received_ms, clock_flag, " \
	"purged_ms IS NOT NULL, body FROM records WHERE station_id = $1 AND seq > $2 AND " \
	"seq <= $3 ORDER BY seq"
#define EXPORT_JUMP_SQL "SELECT min(seq) FROM records WHERE station_id = $1 AND seq > $2"
#define EXPORT_PAGE 8000
#define EXPORT_PAGE_NAME "outpost_export_page"
#define EXPORT_JUMP_NAME "outpost_export_jump"

struct pg_export {
	struct hub_export base;
	struct pg_store *s;
	PGresult *stations;	/* id, name, uid, max seq (as the export began) by name */
	int si;
	uint64_t last_seq;
	PGresult *page;
	int pi;
	int prepared;		/* both statements prepared on this session */
	int ahead;		/* the next page's statement is sent, its rows not read… */
	int ahead_si;		/* …for this station… */
	uint64_t ahead_after;	/* …after this seq */
	struct hub_export_row row;
	char *body;
};

int
pg_export_open(struct hub_store *hs, const char *station, struct hub_export **out,
    struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	struct pg_export *c;
	const char *v[1] = { station };
	int rc;

	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->body = malloc(WIRE_BODY_MAX + 1)) == NULL) {
		free(c);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	c->base.store = hs;
	c->base.page = EXPORT_PAGE;
	c->s = s;
	rc = pg_exec(s, "export", "SELECT s.id, s.name, s.uid, coalesce(t.max_seq, 0) FROM "
	    "stations s LEFT JOIN station_state t ON t.station_id = s.id WHERE $1::text IS NULL "
	    "OR s.name = $1 ORDER BY s.name COLLATE \"C\"", 1, v, NULL, NULL, &c->stations, e);
	if (rc == E_OK && station != NULL && PQntuples(c->stations) == 0)
		rc = err_set(e, E_INVALID, _("no station named %s"), station);
	if (rc != E_OK) {
		pg_export_close(&c->base);
		return rc;
	}
	*out = &c->base;
	return E_OK;
}

/* The statements' int8 parameters in binary (big-endian), vals pointing into be. */
static void
export_params(const int64_t *args, int n, uint8_t be[][8], const char **vals)
{
	int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < 8; j++)
			be[i][j] = (uint8_t)((uint64_t)args[i] >> (56 - 8 * j));
		vals[i] = (const char *)be[i];
	}
}

/* Prepares one statement of the cursor's on the store's session; one that an earlier
 * cursor on this session prepared (42P05) is the same statement. */
static int
export_prepare(struct pg_export *c, const char *name, const char *sql, int n, struct err *e)
{
	static const Oid types[3] = { 20, 20, 20 };
	PGresult *r = PQprepare(c->s->c, name, sql, n, types);
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	int rc = E_OK;

	if (PQresultStatus(r) != PGRES_COMMAND_OK && (state == NULL ||
	    strcmp(state, "42P05") != 0))
		rc = pg_err(c->s, r, "export", e);
	PQclear(r);
	return rc;
}

/* Runs one of the prepared statements (preparing both first on a new session, again if
 * a reconnect lost them) with binary int8 parameters and binary results. */
static int
export_query(struct pg_export *c, const char *name, int n, const int64_t *args,
    PGresult **res, struct err *e)
{
	static const int fmts[3] = { 1, 1, 1 }, lens[3] = { 8, 8, 8 };
	const char *vals[3];
	uint8_t be[3][8];
	const char *state;
	PGresult *r;
	int tries;

	export_params(args, n, be, vals);
	for (tries = 0;; tries++) {
		if (pg_connected(c->s, e) != E_OK)
			return E_IO;
		if (!c->prepared && (export_prepare(c, EXPORT_PAGE_NAME, EXPORT_PAGE_SQL, 3, e) !=
		    E_OK || export_prepare(c, EXPORT_JUMP_NAME, EXPORT_JUMP_SQL, 2, e) != E_OK))
			return E_IO;
		c->prepared = 1;
		r = PQexecPrepared(c->s->c, name, n, vals, lens, fmts, 1);
		if (PQresultStatus(r) == PGRES_TUPLES_OK) {
			*res = r;
			return E_OK;
		}
		/* 26000: the session that had them is gone (the server restarted); once more */
		state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (tries == 0 && (PQstatus(c->s->c) != CONNECTION_OK ||
		    (state != NULL && strcmp(state, "26000") == 0))) {
			PQclear(r);
			c->prepared = 0;
			continue;
		}
		pg_err(c->s, r, "export", e);
		PQclear(r);
		return E_IO;
	}
}

static uint64_t
export_max(const struct pg_export *c, int si)
{
	return (uint64_t)pg_i64(PQgetvalue(c->stations, si, 3));
}

/* The station and seq the next page starts after, from (*si, *after): on to the next
 * station once this one's seq held when the export began are given (records ingested
 * since may or may not appear, as store.h says). */
static void
export_skip_done(const struct pg_export *c, int *si, uint64_t *after)
{
	while (*si < PQntuples(c->stations) && *after >= export_max(c, *si)) {
		(*si)++;
		*after = 0;
	}
}

/* The page statement's parameters for the range after seq after of station si. */
static void
export_range(const struct pg_export *c, int si, uint64_t after, int64_t *args)
{
	args[0] = pg_i64(PQgetvalue(c->stations, si, 0));
	args[1] = (int64_t)after;
	args[2] = after > (uint64_t)INT64_MAX - c->base.page ? INT64_MAX :
	    (int64_t)(after + c->base.page);
}

/* Sends the next page's statement (the range after last_seq) without waiting for it, so
 * the server reads it while the hub writes out this page's rows (the two share the
 * work of a page about evenly: on two cores this is near twice as fast). If it cannot be
 * sent the page is asked for again, waiting. */
static void
export_prefetch(struct pg_export *c, int si, uint64_t after)
{
	static const int fmts[3] = { 1, 1, 1 }, lens[3] = { 8, 8, 8 };
	const char *vals[3];
	uint8_t be[3][8];
	int64_t args[3];

	if (!c->prepared || PQstatus(c->s->c) != CONNECTION_OK)
		return;
	export_range(c, si, after, args);
	export_params(args, 3, be, vals);
	c->ahead = PQsendQueryPrepared(c->s->c, EXPORT_PAGE_NAME, 3, vals, lens, fmts, 1);
	c->ahead_si = si;
	c->ahead_after = after;
}

/* The rows export_prefetch asked for, or NULL (asked for again, waiting: that path
 * handles a lost session). */
static PGresult *
export_collect(struct pg_export *c)
{
	PGresult *r, *x;

	c->ahead = 0;
	r = PQgetResult(c->s->c);
	while ((x = PQgetResult(c->s->c)) != NULL)
		PQclear(x);
	if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK)
		return r;
	PQclear(r);
	return NULL;
}

static int64_t
be64(const char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | (uint8_t)p[i];
	return (int64_t)v;
}

int
pg_export_next(struct hub_export *hc, const struct hub_export_row **row, struct err *e)
{
	struct pg_export *c = (struct pg_export *)hc;
	int64_t args[3];
	const char *uid, *body;
	uint64_t after;
	PGresult *j;
	int m, si;

next:
	while (c->page == NULL || c->pi >= PQntuples(c->page)) {
		if (c->page != NULL && PQntuples(c->page) == 0) {
			/* nothing in this range (a gap in the station's seq): the next held */
			args[0] = pg_i64(PQgetvalue(c->stations, c->si, 0));
			args[1] = (int64_t)c->last_seq;
			if (export_query(c, EXPORT_JUMP_NAME, 2, args, &j, e) != E_OK)
				return -1;
			if (PQgetisnull(j, 0, 0) || PQgetlength(j, 0, 0) != 8) {
				c->si++;
				c->last_seq = 0;
			} else
				c->last_seq = (uint64_t)be64(PQgetvalue(j, 0, 0)) - 1;
			PQclear(j);
		}
		PQclear(c->page);
		c->page = NULL;
		c->pi = 0;
		export_skip_done(c, &c->si, &c->last_seq);
		if (c->si >= PQntuples(c->stations))
			return 0;
		export_range(c, c->si, c->last_seq, args);
		if (c->ahead && c->ahead_si == c->si && c->ahead_after == c->last_seq)
			c->page = export_collect(c);	/* this very range, sent before */
		else if (c->ahead)
			PQclear(export_collect(c));
		if (c->page == NULL &&
		    export_query(c, EXPORT_PAGE_NAME, 3, args, &c->page, e) != E_OK)
			return -1;
		if (PQntuples(c->page) > 0) {
			/* the range is done once its rows are: ask for the next one now */
			c->last_seq = (uint64_t)args[2];
			si = c->si;
			after = c->last_seq;
			export_skip_done(c, &si, &after);
			if (si < PQntuples(c->stations))
				export_prefetch(c, si, after);
		}
	}
	/* take in what the server sent of the next page so far, or it stops once the
	 * socket's buffer is full: it is to read while this page is written out */
	if (c->ahead && c->pi % 512 == 0)
		PQconsumeInput(c->s->c);
	uid = PQgetvalue(c->stations, c->si, 2);
	c->row.station = PQgetvalue(c->stations, c->si, 1);
	c->row.station_uid = uid;
	c->row.seq = (uint64_t)be64(PQgetvalue(c->page, c->pi, 0));
	c->row.kind = PQgetvalue(c->page, c->pi, 1);	/* libpq ends a binary value with NUL */
	c->row.created_ms = be64(PQgetvalue(c->page, c->pi, 2));
	c->row.received_ms = be64(PQgetvalue(c->page, c->pi, 3));
	c->row.clock_flag = PQgetvalue(c->page, c->pi, 4)[0] != 0;
	c->row.purged = PQgetvalue(c->page, c->pi, 5)[0] != 0;
	body = PQgetvalue(c->page, c->pi, 6);
	m = PQgetlength(c->page, c->pi, 6);
	c->pi++;
	if (m < PG_SEAL_OVERHEAD || m > WIRE_BODY_MAX + PG_SEAL_OVERHEAD ||
	    pg_open_sealed(c->s, uid, c->row.seq, 'r', (const uint8_t *)body, (size_t)m,
	    (uint8_t *)c->body) != 0) {
		err_set(e, E_DAMAGED, _("damaged: the body of record %llu of station %s fails "
		    "authentication"), (unsigned long long)c->row.seq, c->row.station);
		return -1;
	}
	c->body[m - PG_SEAL_OVERHEAD] = '\0';
	/* what the decoder put aside (not UTF-8 text) is held and counted, never exported,
	 * as the SQLite store keeps it apart */
	if (!wire_utf8_ok(c->body, (size_t)(m - PG_SEAL_OVERHEAD)) ||
	    !wire_utf8_ok(c->row.kind, (size_t)PQgetlength(c->page, c->pi - 1, 1)))
		goto next;
	c->row.body = c->body;
	c->row.body_len = (size_t)(m - PG_SEAL_OVERHEAD);
	c->row.body_json = 1;	/* a body that decoded (quarantined ones are skipped above) */
	*row = &c->row;
	return 1;
}

void
pg_export_close(struct hub_export *hc)
{
	struct pg_export *c = (struct pg_export *)hc;

	if (c == NULL)
		return;
	if (c->ahead)
		PQclear(export_collect(c));
	PQclear(c->page);
	PQclear(c->stations);
	if (c->body != NULL)
		sodium_memzero(c->body, WIRE_BODY_MAX + 1);
	free(c->body);
	free(c);
}
