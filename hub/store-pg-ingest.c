/* store-pg-ingest.c — a batch into the PostgreSQL store, in one transaction under the
 * station's advisory lock (so two hub processes given the same station's batches, say
 * after a failover mid-batch, apply them one after the other and each seq lands once):
 * one INSERT … ON CONFLICT DO NOTHING of the whole batch through unnest() of binary
 * arrays, then the aggregates. Each logical record (station, root) has a row in roots
 * holding what it contributes now; the batch's new versions change those rows in C and
 * the difference goes into the per-station × day × kind aggregates, so reports never
 * read records. A group (pg_ingest_group) runs the same per-batch steps for several
 * stations in one transaction, each batch under a savepoint: one commit, one WAL flush. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hub/facts.h"
#include "hub/pg.h"
#include "hub/purge.h"
#include "storage/clock.h"
#include "sync/crash.h"

#define CLOCK_AHEAD_MS (10LL * 60 * 1000)
#define CLOCK_EPOCH_MS 1577836800000LL
#define PG_DATE_EPOCH 10957	/* PostgreSQL dates count from 2000-01-01 */
#define LOCK_CLASS 1869968496	/* "outp" */

/* The fever threshold for bodies older than data.fever, in tenths (37.3 °C). */
#define DEFAULT_FEVER_TENTHS 373


/* One record of the batch as the store sees it. */
struct row {
	const struct wire_record *w;
	struct facts f;
	int quarantined;
	int64_t root;
	int32_t part;		/* partition day, PostgreSQL date */
	int clock_flag;
	uint8_t hash[32];	/* keyed */
	int state;		/* 0 new, 1 duplicate, 2 conflict */
};

/* A logical record's row in roots, before and after the batch. */
struct root {
	int64_t root;
	int has_first, live, fever, released, flagged;
	char kind[WIRE_KIND_MAX + 1];
	int64_t first_ms, latest_seq, exit_of;
	int32_t day;
	int32_t live_exits;
	int has_mac;
	uint8_t mac[32];
	uint8_t *code;		/* sealed code, malloc'd */
	size_t code_len;
	int existed, changed, fetched;
	int derive;		/* when it has no roots row, read its first version */
	int purged;		/* retention has blanked this record's versions */
	int64_t purged_ms;	/* …at this time */
};

struct roots {
	struct root *r;		/* new state */
	struct root *old;	/* as fetched (zeroed if absent) */
	size_t n, cap;
};

static int
root_cmp(const void *a, const void *b)
{
	const struct root *x = a, *y = b;

	return (x->root > y->root) - (x->root < y->root);
}

static struct root *
roots_find(struct roots *t, int64_t root)
{
	struct root key = { .root = root };

	return t->n ? bsearch(&key, t->r, t->n, sizeof *t->r, root_cmp) : NULL;
}

/* Appends root (duplicates are merged by roots_uniq). */
static int
roots_add(struct roots *t, int64_t root)
{
	struct root *p;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		if ((p = realloc(t->r, t->cap * sizeof *p)) == NULL)
			return -1;
		t->r = p;
	}
	memset(&t->r[t->n], 0, sizeof t->r[t->n]);
	t->r[t->n++].root = root;
	return 0;
}

/* Sorts by root and merges duplicates, keeping the copy already fetched. */
static void
roots_uniq(struct roots *t)
{
	size_t i, o = 0;

	if (t->n == 0)
		return;
	qsort(t->r, t->n, sizeof *t->r, root_cmp);
	for (i = 0; i < t->n; i++) {
		if (o > 0 && t->r[o - 1].root == t->r[i].root) {
			if (t->r[i].fetched && !t->r[o - 1].fetched) {
				free(t->r[o - 1].code);
				t->r[o - 1] = t->r[i];
			} else
				free(t->r[i].code);
			continue;
		}
		t->r[o++] = t->r[i];
	}
	t->n = o;
}

static void
roots_free(struct roots *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->r[i].code);
		if (t->old != NULL && t->old[i].code != t->r[i].code)
			free(t->old[i].code);
	}
	free(t->r);
	free(t->old);
	memset(t, 0, sizeof *t);
}

/* Copies the roots rows in r into t's entries (t sorted by roots_uniq). */
static int
roots_parse(struct roots *t, PGresult *r, struct err *e)
{
	struct root *x;
	long n;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if ((x = roots_find(t, pg_i64(PQgetvalue(r, i, 0)))) == NULL)
			continue;
		x->existed = 1;
		x->has_first = PQgetvalue(r, i, 1)[0] == 't';
		snprintf(x->kind, sizeof x->kind, "%s", PQgetvalue(r, i, 2));
		x->first_ms = pg_i64(PQgetvalue(r, i, 3));
		x->day = (int32_t)pg_i64(PQgetvalue(r, i, 4));
		x->latest_seq = pg_i64(PQgetvalue(r, i, 5));
		x->live = PQgetvalue(r, i, 6)[0] == 't';
		x->fever = PQgetvalue(r, i, 7)[0] == 't';
		x->released = PQgetvalue(r, i, 8)[0] == 't';
		x->flagged = PQgetvalue(r, i, 9)[0] == 't';
		x->exit_of = pg_i64(PQgetvalue(r, i, 10));
		x->live_exits = (int32_t)pg_i64(PQgetvalue(r, i, 11));
		x->has_mac = !PQgetisnull(r, i, 12) && pg_bytea(PQgetvalue(r, i, 12), x->mac, 32) == 32;
		x->purged = !PQgetisnull(r, i, 14);
		x->purged_ms = x->purged ? pg_i64(PQgetvalue(r, i, 14)) : 0;
		if (!PQgetisnull(r, i, 13) && x->code == NULL) {
			n = (long)PQgetlength(r, i, 13) / 2;
			if ((x->code = malloc((size_t)n + 1)) == NULL ||
			    (n = pg_bytea(PQgetvalue(r, i, 13), x->code, (size_t)n)) < 0)
				return err_set(e, E_IO, "%s", _("out of memory"));
			x->code_len = (size_t)n;
		}
	}
	return E_OK;
}

/* The row of seq in the batch (rows sorted by seq), or NULL. */
static const struct row *
row_of(const struct row *rows, size_t n, int64_t seq)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((int64_t)rows[mid].w->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && (int64_t)rows[lo].w->seq == seq ? &rows[lo] : NULL;
}

/* Whether the batch inserted seq (rows sorted by seq, states known). */
static int
inserted_here(const struct row *rows, size_t n, int64_t seq)
{
	const struct row *w = row_of(rows, n, seq);

	return w != NULL && w->state == 0;
}

/* The logical records of t with no roots row that r (derive_sql's answer) found a first
 * version of: what that version says (roots_parse first; rows, n: the batch, its states
 * known: a first version it inserted was not there before). */
static void
roots_derive(struct roots *t, PGresult *r, const struct row *rows, size_t nrows)
{
	struct root *x;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if ((x = roots_find(t, pg_i64(PQgetvalue(r, i, 0)))) == NULL || x->existed ||
		    inserted_here(rows, nrows, x->root))
			continue;
		x->has_first = 1;
		snprintf(x->kind, sizeof x->kind, "%s", PQgetvalue(r, i, 1));
		x->first_ms = pg_i64(PQgetvalue(r, i, 2));
		x->day = (int32_t)clock_day(x->first_ms, (int)pg_i64(PQgetvalue(r, i, 3)));
		x->latest_seq = x->root;
		x->live = 1;
		x->fever = PQgetvalue(r, i, 4)[0] == 't';
		x->released = PQgetvalue(r, i, 5)[0] == 't';
		x->flagged = PQgetvalue(r, i, 6)[0] == 't';
		x->exit_of = strcmp(x->kind, "exit") == 0 ? pg_i64(PQgetvalue(r, i, 7)) : 0;
		x->live_exits = 0;
		x->purged = !PQgetisnull(r, i, 8);
		x->purged_ms = x->purged ? pg_i64(PQgetvalue(r, i, 8)) : 0;
	}
}

/* One probe of the primary key per root asked for. As station_id = $1 AND root_seq =
 * ANY($2) PostgreSQL, its statistics behind a growing table, read every row of the
 * station and filtered them against the array (auto_explain, 2000 roots a station: the
 * bitmap index scan's condition was the station alone), a cost that grows with the store;
 * LIMIT 1 keeps the lateral subquery a subquery, probed once per key. */
static const char roots_get_sql[] =
	"SELECT o.root_seq, o.has_first, o.kind, o.first_ms, o.day, o.latest_seq, o.live, "
	"o.fever, o.released, o.flagged, o.exit_of, o.live_exits, o.bin_mac, o.code, o.purged_ms "
	"FROM unnest($2::int8[]) AS u(r) CROSS JOIN LATERAL (SELECT * FROM roots WHERE "
	"station_id = $1 AND root_seq = u.r LIMIT 1) o";
/* A logical record with no later version, no exit and no bin code has no roots row
 * (root_row_needed): its first version says what it contributes, found by its day in
 * record_keys then in that day's partition alone (a lateral join on the day, pruned as it
 * runs; with the day and the seq in one subquery PostgreSQL probed every partition by
 * seq). Asked only for the roots a batch refers to without holding their first version
 * (corrections, exits' entries), so a batch of first versions sends none. */
static const char derive_sql[] =
	"SELECT u.r, c.kind, c.created_ms, c.tz_min, c.fever, c.released, c.flagged, c.ref_seq, "
	"c.purged_ms FROM unnest($2::int8[]) AS u(r) CROSS JOIN LATERAL (SELECT day FROM "
	"record_keys WHERE station_id = $1 AND seq = u.r) k CROSS JOIN LATERAL (SELECT * FROM "
	"records c WHERE c.station_id = $1 AND c.seq = u.r AND c.day = k.day AND c.action = "
	"'add' AND c.root_seq = u.r AND NOT c.quarantined LIMIT 1) c";

/* Asks for the roots of t not fetched yet (t sorted by roots_uniq), and for those marked
 * derive their first versions: in pipeline mode the statements are only queued (*sent the
 * number, 0 to 2; parse the answers with roots_parse then roots_derive), else run and
 * parsed here (rows, n: the batch, its states known). */
static int
roots_fetch(struct pg_store *s, uint64_t station, struct roots *t, const struct row *rows,
    size_t nrows, int *sent, struct err *e)
{
	struct pg_arr a, d;
	PGresult *r = NULL, *q = NULL;
	char sid[24];
	const char *v[2];
	int l[2], f[2] = { 0, 1 }, rc;
	size_t j, want = 0, derive = 0;

	*sent = 0;
	for (j = 0; j < t->n; j++) {
		want += !t->r[j].fetched;
		derive += !t->r[j].fetched && t->r[j].derive;
	}
	if (want == 0)
		return E_OK;
	pg_arr_begin(&a, 20, want);
	pg_arr_begin(&d, 20, derive);
	for (j = 0; j < t->n; j++)
		if (!t->r[j].fetched) {
			pg_arr_i64(&a, t->r[j].root);
			if (t->r[j].derive)
				pg_arr_i64(&d, t->r[j].root);
			t->r[j].fetched = 1;
		}
	if (a.oom || d.oom) {
		pg_arr_free(&a);
		pg_arr_free(&d);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	snprintf(sid, sizeof sid, "%llu", (unsigned long long)station);
	v[0] = sid;
	v[1] = (const char *)a.p;
	l[0] = 0;
	l[1] = (int)a.len;
	rc = pg_exec(s, "roots", roots_get_sql, 2, v, l, f, s->piping ? NULL : &r, e);
	if (rc == E_OK && derive > 0) {
		v[1] = (const char *)d.p;
		l[1] = (int)d.len;
		rc = pg_exec(s, "roots", derive_sql, 2, v, l, f, s->piping ? NULL : &q, e);
	}
	pg_arr_free(&a);
	pg_arr_free(&d);
	if (rc == E_OK && s->piping) {
		*sent = 1 + (derive > 0);
		return E_OK;
	}
	if (rc == E_OK)
		rc = roots_parse(t, r, e);
	if (rc == E_OK && q != NULL)
		roots_derive(t, q, rows, nrows);
	PQclear(r);
	PQclear(q);
	return rc;
}

/* What a logical record adds to its buckets. */
struct contrib {
	int on;
	const char *kind;
	int32_t day;
	int64_t v[5];		/* records, fevers, released, flagged, inside */
};

static struct contrib
contrib_of(const struct root *x)
{
	struct contrib c = { 0 };

	if (!x->has_first || !x->live)
		return c;
	c.on = 1;
	c.kind = x->kind;
	c.day = x->day;
	c.v[0] = 1;
	c.v[1] = x->fever;
	c.v[2] = x->released;
	c.v[3] = x->flagged;
	c.v[4] = strcmp(x->kind, "visitor") == 0 && x->live_exits <= 0;
	return c;
}

/* Per-bucket differences. */
struct bucket {
	char kind[WIRE_KIND_MAX + 1];
	int64_t at;		/* the day (clock_day) */
	int64_t v[5];
};
struct buckets {
	struct bucket *b;
	size_t n, cap;
};

static int
bucket_add(struct buckets *bs, const char *kind, int64_t at, const int64_t *v, int sign)
{
	size_t i;
	int k;
	struct bucket *p;

	for (i = 0; i < bs->n; i++)
		if (bs->b[i].at == at && strcmp(bs->b[i].kind, kind) == 0)
			break;
	if (i == bs->n) {
		if (bs->n == bs->cap) {
			bs->cap = bs->cap ? 2 * bs->cap : 16;
			if ((p = realloc(bs->b, bs->cap * sizeof *p)) == NULL)
				return -1;
			bs->b = p;
		}
		memset(&bs->b[i], 0, sizeof bs->b[i]);
		snprintf(bs->b[i].kind, sizeof bs->b[i].kind, "%s", kind);
		bs->b[i].at = at;
		bs->n++;
	}
	for (k = 0; k < 5; k++)
		bs->b[i].v[k] += sign * v[k];
	return 0;
}

static const char agg_sql[] =
	"INSERT INTO agg_day AS g(station_id, kind, day, records, fevers, released, flagged, "
	"inside) SELECT $1, * FROM unnest($2::text[], $3::int8[], $4::int8[], $5::int8[], "
	"$6::int8[], $7::int8[], $8::int8[]) ON CONFLICT (station_id, day, kind) DO UPDATE SET "
	"records = g.records + excluded.records, fevers = g.fevers + excluded.fevers, released = "
	"g.released + excluded.released, flagged = g.flagged + excluded.flagged, inside = "
	"g.inside + excluded.inside";

/* Writes the differences into agg_day. */
static int
buckets_write(struct pg_store *s, const char *sid, struct buckets *bs, struct err *e)
{
	struct pg_arr a[7];
	const char *v[8];
	int l[8], f[8], k, rc;
	size_t i, n = 0;

	for (i = 0; i < bs->n; i++)
		if (bs->b[i].v[0] || bs->b[i].v[1] || bs->b[i].v[2] || bs->b[i].v[3] || bs->b[i].v[4])
			n++;
	if (n == 0)
		return E_OK;
	pg_arr_begin(&a[0], 25, n);
	pg_arr_begin(&a[1], 20, n);
	for (k = 0; k < 5; k++)
		pg_arr_begin(&a[2 + k], 20, n);
	for (i = 0; i < bs->n; i++) {
		struct bucket *b = &bs->b[i];
		if (!(b->v[0] || b->v[1] || b->v[2] || b->v[3] || b->v[4]))
			continue;
		pg_arr_bytes(&a[0], b->kind, strlen(b->kind));
		pg_arr_i64(&a[1], b->at);
		for (k = 0; k < 5; k++)
			pg_arr_i64(&a[2 + k], b->v[k]);
	}
	v[0] = sid;
	l[0] = 0;
	f[0] = 0;
	rc = E_OK;
	for (k = 0; k < 7; k++) {
		if (a[k].oom)
			rc = err_set(e, E_IO, "%s", _("out of memory"));
		v[1 + k] = (const char *)a[k].p;
		l[1 + k] = (int)a[k].len;
		f[1 + k] = 1;
	}
	if (rc == E_OK)
		rc = pg_exec_prepared(s, "aggregates", agg_sql, 8, v, l, f, NULL, e);
	for (k = 0; k < 7; k++)
		pg_arr_free(&a[k]);
	return rc;
}

/* The roots rows of a batch: new ones inserted (none can exist: the station's lock is
 * held and they were read under it), those read updated (in place of an INSERT … ON
 * CONFLICT for all, which costs every new row a speculative insertion). A new row takes
 * the purge of the first version it was read from (roots_parse); an updated one keeps its
 * purged_ms: a purge in another process may set it meanwhile. */
static const char roots_new_sql[] =
	"INSERT INTO roots(station_id, root_seq, has_first, kind, first_ms, day, latest_seq, live, "
	"fever, released, flagged, exit_of, live_exits, bin_mac, code, purged_ms) SELECT $1, r, hf, "
	"k, fm, d, ls, lv, fv, rl, fl, eo, le, nullif(m, ''::bytea), nullif(c, ''::bytea), "
	"nullif(pm, 0) FROM unnest($2::int8[], $3::bool[], $4::text[], $5::int8[], $6::int8[], "
	"$7::int8[], $8::bool[], $9::bool[], $10::bool[], $11::bool[], $12::int8[], $13::int8[], "
	"$14::bytea[], $15::bytea[], $16::int8[]) AS u(r, hf, k, fm, d, ls, lv, fv, rl, fl, eo, "
	"le, m, c, pm)";
static const char roots_set_sql[] =
	"UPDATE roots o SET has_first = hf, kind = k, first_ms = fm, day = d, latest_seq = ls, "
	"live = lv, fever = fv, released = rl, flagged = fl, exit_of = eo, live_exits = le, "
	"bin_mac = nullif(m, ''::bytea), code = nullif(c, ''::bytea) FROM unnest($2::int8[], "
	"$3::bool[], $4::text[], $5::int8[], $6::int8[], $7::int8[], $8::bool[], $9::bool[], "
	"$10::bool[], $11::bool[], $12::int8[], $13::int8[], $14::bytea[], $15::bytea[]) AS u(r, "
	"hf, k, fm, d, ls, lv, fv, rl, fl, eo, le, m, c) WHERE o.station_id = $1 AND o.root_seq = "
	"u.r";

/* Whether a logical record needs its roots row: not when its first version alone says
 * all (held, the latest, live, no exit names it, no bin code: roots_parse reads it from
 * records). Most records are never corrected: a roots row each (its heap row, index entry
 * and their WAL) was a third of the rows ingest wrote. */
static int
root_row_needed(const struct root *x)
{
	return !x->has_first || !x->live || x->latest_seq != x->root || x->live_exits != 0 ||
	    x->has_mac || strcmp(x->kind, "bin") == 0 || strcmp(x->kind, "collection") == 0;
}

/* Writes the changed roots rows back: those that existed (old 1) or the new ones (0) that
 * are needed. */
static int
roots_put(struct pg_store *s, const char *sid, struct roots *t, int old, struct err *e)
{
	struct pg_arr a[15];
	static const uint32_t oid[15] = { 20, 16, 25, 20, 20, 20, 16, 16, 16, 16, 20, 20, 17, 17,
	    20 };
	const char *v[16];
	int l[16], f[16], k, rc = E_OK;
	size_t i, n = 0;

	for (i = 0; i < t->n; i++)
		n += t->r[i].changed && t->r[i].existed == old && (old || root_row_needed(&t->r[i]));
	if (n == 0)
		return E_OK;
	for (k = 0; k < 15; k++)
		pg_arr_begin(&a[k], oid[k], n);
	for (i = 0; i < t->n; i++) {
		struct root *x = &t->r[i];
		if (!x->changed || x->existed != old || (!old && !root_row_needed(x)))
			continue;
		pg_arr_i64(&a[0], x->root);
		pg_arr_bool(&a[1], x->has_first);
		pg_arr_bytes(&a[2], x->kind, strlen(x->kind));
		pg_arr_i64(&a[3], x->first_ms);
		pg_arr_i64(&a[4], x->day);
		pg_arr_i64(&a[5], x->latest_seq);
		pg_arr_bool(&a[6], x->live);
		pg_arr_bool(&a[7], x->fever);
		pg_arr_bool(&a[8], x->released);
		pg_arr_bool(&a[9], x->flagged);
		pg_arr_i64(&a[10], x->exit_of);
		pg_arr_i64(&a[11], x->live_exits);
		/* no NULLs in these arrays: an empty bytea stands for none */
		pg_arr_bytes(&a[12], x->mac, x->has_mac ? 32 : 0);
		pg_arr_bytes(&a[13], x->code, x->code != NULL ? x->code_len : 0);
		pg_arr_i64(&a[14], x->purged ? x->purged_ms : 0);
	}
	v[0] = sid;
	l[0] = 0;
	f[0] = 0;
	for (k = 0; k < 15; k++) {
		if (a[k].oom)
			rc = err_set(e, E_IO, "%s", _("out of memory"));
		v[1 + k] = (const char *)a[k].p;
		l[1 + k] = (int)a[k].len;
		f[1 + k] = 1;
	}
	if (rc == E_OK)
		rc = old ? pg_exec(s, "roots", roots_set_sql, 15, v, l, f, NULL, e) :
		    pg_exec_prepared(s, "roots", roots_new_sql, 16, v, l, f, NULL, e);
	for (k = 0; k < 15; k++)
		pg_arr_free(&a[k]);
	return rc;
}

/* The bins rows of the codes ($2) a batch touched, from their live roots rows (found by
 * roots_bins, the whole of its key: a generic plan, prepared once, is the plan for any
 * store; planned at every batch, these two cost the most planning a batch had). */
static const char bins_set_sql[] =
	"WITH m AS (SELECT DISTINCT unnest($2::bytea[]) AS mac) "
	"INSERT INTO bins AS b(station_id, bin_mac, code, since_ms, last_ms) "
	"SELECT $1, m.mac, (SELECT r.code FROM roots r WHERE r.station_id = $1 AND "
	"r.bin_mac = m.mac AND r.kind = 'bin' AND r.has_first AND r.live ORDER BY "
	"r.first_ms LIMIT 1), x.since, (SELECT max(r.first_ms) FROM roots r WHERE "
	"r.station_id = $1 AND r.bin_mac = m.mac AND r.kind = 'collection' AND r.has_first "
	"AND r.live) FROM m JOIN LATERAL (SELECT min(r.first_ms) AS since FROM roots r WHERE "
	"r.station_id = $1 AND r.bin_mac = m.mac AND r.kind = 'bin' AND r.has_first AND "
	"r.live) x ON x.since IS NOT NULL ON CONFLICT (station_id, bin_mac) DO UPDATE SET "
	"code = excluded.code, since_ms = excluded.since_ms, last_ms = excluded.last_ms";
/* a code whose every bin record is gone (deleted) is no bin any more */
static const char bins_drop_sql[] =
	"DELETE FROM bins b WHERE b.station_id = $1 AND b.bin_mac = ANY($2::bytea[]) AND NOT "
	"EXISTS (SELECT 1 FROM roots r WHERE r.station_id = $1 AND r.bin_mac = b.bin_mac AND "
	"r.kind = 'bin' AND r.has_first AND r.live)";

/* Recomputes the bins rows of the codes (macs) touched: registered since the first live
 * bin record of that code, last collected at the newest live collection. */
static int
bins_write(struct pg_store *s, const char *sid, const struct roots *t, struct err *e)
{
	struct pg_arr a;
	const char *v[2];
	int l[2], f[2] = { 0, 1 }, rc;
	size_t i, n = 0;

	for (i = 0; i < t->n; i++)
		if (t->r[i].changed && (strcmp(t->r[i].kind, "bin") == 0 ||
		    strcmp(t->r[i].kind, "collection") == 0))
			n += t->r[i].has_mac + t->old[i].has_mac;
	if (n == 0)
		return E_OK;
	pg_arr_begin(&a, 17, n);
	for (i = 0; i < t->n; i++) {
		if (!t->r[i].changed || (strcmp(t->r[i].kind, "bin") != 0 &&
		    strcmp(t->r[i].kind, "collection") != 0))
			continue;
		if (t->r[i].has_mac)
			pg_arr_bytes(&a, t->r[i].mac, 32);
		if (t->old[i].has_mac)
			pg_arr_bytes(&a, t->old[i].mac, 32);
	}
	if (a.oom) {
		pg_arr_free(&a);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	v[0] = sid;
	v[1] = (const char *)a.p;
	l[0] = 0;
	l[1] = (int)a.len;
	rc = pg_exec_prepared(s, "bins", bins_set_sql, 2, v, l, f, NULL, e);
	if (rc == E_OK)
		rc = pg_exec_prepared(s, "bins", bins_drop_sql, 2, v, l, f, NULL, e);
	pg_arr_free(&a);
	return rc;
}


/* The roots a batch may touch: every readable record's, and the entries its exits name
 * (more than the new ones need: those are known only once the batch is in). Those whose
 * first version the batch does not carry are read from it if they have no roots row
 * (derive); the others are new, or held and resent (aggregate asks again for those). */
static int
roots_of_batch(const struct row *rows, size_t n, struct roots *t)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (rows[i].quarantined)
			continue;
		if (roots_add(t, rows[i].root) != 0 || (strcmp(rows[i].w->kind, "exit") == 0 &&
		    rows[i].f.ref > 0 && roots_add(t, rows[i].f.ref) != 0))
			return -1;
	}
	roots_uniq(t);
	for (i = 0; i < t->n; i++)
		t->r[i].derive = row_of(rows, n, t->r[i].root) == NULL;
	return 0;
}

/* Applies the batch's new versions to the roots (t: fetched by the caller, and freed by
 * this) and queues the differences in a pipeline it leaves open for the caller's last
 * statements. */
static int
aggregate(struct pg_store *s, const struct hub_station *st, const char *sid, struct row *rows,
    size_t n, struct roots *tp, struct err *e)
{
	struct roots t = *tp;
	struct buckets days = { 0 };
	struct root *x, *en;
	struct contrib a, b;
	size_t i, n0;
	int rc = E_OK, sent;

	memset(tp, 0, sizeof *tp);
	if (t.n == 0)
		return pg_pipe_begin(s, e);
	/* A first version held and resent in this batch, with no roots row: read it (the
	 * batch may carry a later version of it too). */
	for (i = 0; i < t.n; i++) {
		const struct row *w = row_of(rows, n, t.r[i].root);
		if (!t.r[i].existed && !t.r[i].derive && w != NULL && w->state != 0 &&
		    !w->quarantined)
			t.r[i].fetched = 0;
	}
	/* The entries of exits held before (a correction or deletion of an exit). */
	n0 = t.n;
	for (i = 0; i < n0; i++)
		if (t.r[i].exit_of > 0 && roots_add(&t, t.r[i].exit_of) != 0)
			goto oom;
	roots_uniq(&t);
	for (i = 0; i < t.n; i++)
		if (!t.r[i].fetched)
			t.r[i].derive = 1;
	if ((rc = roots_fetch(s, st->id, &t, rows, n, &sent, e)) != E_OK)
		goto out;
	if ((t.old = malloc(t.n * sizeof *t.old)) == NULL)
		goto oom;
	memcpy(t.old, t.r, t.n * sizeof *t.old);
	for (i = 0; i < n; i++) {
		struct row *w = &rows[i];
		if (w->state != 0 || w->quarantined)
			continue;
		x = roots_find(&t, w->root);
		assert(x != NULL);
		x->changed = 1;
		if (x->kind[0] == '\0')
			snprintf(x->kind, sizeof x->kind, "%s", w->w->kind);
		if (w->f.action == FACTS_ADD && (int64_t)w->w->seq == w->root) {
			x->has_first = 1;
			snprintf(x->kind, sizeof x->kind, "%s", w->w->kind);
			x->first_ms = w->w->created_ms;
			x->day = (int32_t)clock_day(w->w->created_ms, w->f.tz_min);
			x->exit_of = strcmp(w->w->kind, "exit") == 0 ? w->f.ref : 0;
		}
		if ((int64_t)w->w->seq > x->latest_seq) {
			x->latest_seq = (int64_t)w->w->seq;
			x->live = w->f.action != FACTS_DELETE;
			x->fever = w->f.fever;
			x->released = w->f.released;
			x->flagged = w->f.flagged;
			if (w->f.code[0] != '\0') {
				uint8_t *c = malloc(strlen(w->f.code) + PG_SEAL_OVERHEAD);
				if (c == NULL)
					goto oom;
				pg_item_mac(s, 'b', w->f.code, x->mac);
				x->has_mac = 1;
				pg_seal(s, st->uid, 0, 'b', w->f.code,
				    strlen(w->f.code), c);
				if (x->code != t.old[x - t.r].code)
					free(x->code);
				x->code = c;
				x->code_len = strlen(w->f.code) + PG_SEAL_OVERHEAD;
			}
		}
	}
	/* An exit that became live (or stopped being) moves its entry out (or back in). */
	for (i = 0; i < t.n; i++) {
		int was = t.old[i].has_first && t.old[i].live && t.old[i].exit_of > 0;
		int is = t.r[i].has_first && t.r[i].live && t.r[i].exit_of > 0;
		if (was == is || strcmp(t.r[i].kind, "exit") != 0)
			continue;
		if ((en = roots_find(&t, t.r[i].exit_of)) == NULL)
			continue;	/* fetched above: cannot happen */
		en->live_exits += is ? 1 : -1;
		en->changed = 1;
	}
	for (i = 0; i < t.n; i++) {
		if (!t.r[i].changed)
			continue;
		a = contrib_of(&t.old[i]);
		b = contrib_of(&t.r[i]);
		if (a.on && bucket_add(&days, a.kind, a.day, a.v, -1) != 0)
			goto oom;
		if (b.on && bucket_add(&days, b.kind, b.day, b.v, 1) != 0)
			goto oom;
	}
	/* the writes need no answer before the next: one round trip for all (ended by the
	 * caller, after its own last statement) */
	if ((rc = pg_pipe_begin(s, e)) == E_OK && (rc = roots_put(s, sid, &t, 0, e)) == E_OK &&
	    (rc = roots_put(s, sid, &t, 1, e)) == E_OK &&
	    (rc = buckets_write(s, sid, &days, e)) == E_OK)
		rc = bins_write(s, sid, &t, e);
	goto out;
oom:
	rc = err_set(e, E_IO, "%s", _("out of memory"));
out:
	roots_free(&t);
	free(days.b);
	return rc;
}

/* Creates the day partitions the batch needs, each in its own short transaction under an
 * advisory lock (two hub processes may want the same day at once). */
static int
partitions(struct pg_store *s, const struct row *rows, size_t n, struct err *e)
{
	char sql[300], from[11], to[11];
	size_t i, j;
	int32_t d;
	int rc;

	for (i = 0; i < n; i++) {
		d = rows[i].part;
		for (j = 0; j < s->ndays && s->days[j] != d; j++)
			;
		if (j < s->ndays)
			continue;
		clock_format_day(d + PG_DATE_EPOCH, from, sizeof from);
		clock_format_day(d + PG_DATE_EPOCH + 1, to, sizeof to);
		snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d, -2); "
		    "CREATE TABLE IF NOT EXISTS records_%.4s%.2s%.2s PARTITION OF records "
		    "FOR VALUES FROM ('%s') TO ('%s')", LOCK_CLASS, from, from + 5, from + 8,
		    from, to);
		if ((rc = pg_begin(s, e)) != E_OK)
			return rc;
		if ((rc = pg_run(s, "partition", sql, e)) != E_OK) {
			pg_rollback(s);
			return rc;
		}
		if ((rc = pg_commit(s, e)) != E_OK)
			return rc;
		if (s->ndays == sizeof s->days / sizeof s->days[0])
			s->ndays = 0;	/* a cache, not a list */
		s->days[s->ndays++] = d;
	}
	return E_OK;
}

/* The one statement that stores a batch: keys first (unique per station and seq across
 * every partition), then the records the keys let in; per record: was it inserted, and
 * the hash held before if not. That hash is one index probe per record not inserted, and
 * none for the others: a join with record_keys instead was planned, on a fresh store or
 * a generic plan, as a scan of every key the station holds, once per batch. The keys past
 * the station's max_seq (read under its lock: every seq held is at most max_seq) cannot
 * meet one held, so they go in by a plain INSERT, without the speculative insertion of ON
 * CONFLICT (an index probe and a lock per row). The records' columns are read from their
 * arrays once, by the insert alone (a CTE read more than once is copied whole, bodies and
 * all); the records inserted are the keys inserted, so the answer joins the keys. Each
 * row of the answer also carries the station's hw and max_seq before the batch (see
 * next_hw). */
static const char ingest_sql[] =
	"WITH m AS (SELECT max_seq, hw FROM station_state WHERE station_id = $1), "
	"q AS (SELECT * FROM unnest($2::int8[], $3::bytea[], $4::date[]) AS q(seq, hash, day)), "
	"n AS (INSERT INTO record_keys(station_id, seq, hash, day) SELECT $1, seq, hash, day "
	" FROM q WHERE seq > (SELECT max_seq FROM m) RETURNING seq), "
	"o AS (INSERT INTO record_keys(station_id, seq, hash, day) SELECT $1, seq, hash, day "
	" FROM q WHERE seq <= (SELECT max_seq FROM m) ON CONFLICT DO NOTHING RETURNING seq), "
	"k AS (SELECT seq FROM n UNION ALL SELECT seq FROM o), "
	"i AS (INSERT INTO records(station_id, seq, day, kind, action, root_seq, ref_seq, "
	" tz_min, created_ms, received_ms, clock_flag, quarantined, fever, released, flagged, "
	" body) SELECT $1, v.seq, v.day, v.kind, v.action, v.root_seq, v.ref_seq, v.tz_min, "
	" v.created_ms, $11, v.clock_flag, v.quarantined, v.fever, v.released, v.flagged, "
	" v.body FROM unnest($2::int8[], $4::date[], $5::text[], $6::text[], $7::int8[], "
	" $8::int8[], $9::int4[], $10::int8[], $12::bool[], $13::bool[], $14::bool[], "
	" $15::bool[], $16::bool[], $17::bytea[]) AS v(seq, day, kind, action, root_seq, "
	" ref_seq, tz_min, created_ms, clock_flag, quarantined, fever, released, flagged, body) "
	" JOIN k USING (seq)) "
	"SELECT q.seq, k.seq IS NOT NULL, CASE WHEN k.seq IS NULL THEN (SELECT o.hash FROM "
	" record_keys o WHERE o.station_id = $1 AND o.seq = q.seq) END, (SELECT hw FROM m), "
	" (SELECT max_seq FROM m) FROM q LEFT JOIN k USING (seq) ORDER BY q.seq";

/* The station's lock: its batches one at a time, whichever hub process has them. */
static const char lock_sql[] = "SELECT pg_advisory_xact_lock(1869968496, $1::int)"; /* LOCK_CLASS */
static const char begin_sql[] = "BEGIN";
static const char commit_sql[] = "COMMIT";

/* The counters, the arrivals per minute and hw over contiguous seqs: $6 when the batch
 * knew it (next_hw), else from the keys (seq − rank is hw exactly along the run that
 * follows it). The keys past hw are read only when hw + 1 is held: a station with a gap
 * that stays open (records lost, a bundle not imported) would otherwise have every key
 * after the gap read again for each batch. */
static const char hw_sql[] =
	"WITH a AS (INSERT INTO arrivals AS a(station_id, minute, n) SELECT $1, $5::int8 / 60000, "
	"$2 WHERE $2::int8 > 0 ON CONFLICT (station_id, minute) DO UPDATE SET n = a.n + "
	"excluded.n) UPDATE station_state t SET held = held + $2, quarantined = quarantined + $3, "
	"max_seq = greatest(max_seq, CASE WHEN $2::int8 > 0 THEN $4::int8 ELSE 0 END), hw = "
	"CASE WHEN $6::int8 >= 0 THEN $6::int8 WHEN EXISTS (SELECT 1 FROM record_keys WHERE station_id = $1 AND seq = t.hw + 1) "
	"THEN coalesce((SELECT max(seq) FROM (SELECT seq, seq - row_number() OVER (ORDER BY seq) "
	"AS g FROM record_keys WHERE station_id = $1 AND seq > t.hw) x WHERE g = t.hw), t.hw) "
	"ELSE t.hw END WHERE station_id = $1 RETURNING hw";

/* What every batch runs, prepared once per connection: statements whose plan cannot go
 * wrong as a generic plan (inserts, lookups of one key by the whole of a unique index, or
 * of a bin code by the whole of roots_bins). The reads of roots by an array of keys (roots_get_sql, roots_set_sql) stay unnamed,
 * planned each time with the array and the table's size at hand: as a generic plan made
 * while the table was small, PostgreSQL read every roots row of the station and filtered
 * it against the array (auto_explain: 10 ms a batch at 2000 rows a station, growing). */
static const char *const hot_sql[] = { begin_sql, lock_sql, ingest_sql, roots_new_sql,
    agg_sql, hw_sql, commit_sql, bins_set_sql, bins_drop_sql };

static const char *const action_names[] = { "add", "correct", "delete" };

/* Of the batch's new rows, the quarantined ones counted as inserted too (bodies that are
 * not JSON; the decoder's bad ones are not): so held = inserted + the decoder's. */
static uint64_t
nq_inserted(const struct row *rows, const struct wire_record *r, size_t n)
{
	uint64_t k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += rows[i].state == 0 && rows[i].quarantined && !r[i].bad;
	return k;
}

/* Stores the purged form of r: what (r) the version just inserted, rewritten; or (c) its
 * conflicting copy, inserted purged. */
static int
late_purge(struct pg_store *s, const struct hub_station *st, const char *sid,
    const struct wire_record *r, char what, const uint8_t hash[32], const char *now,
    struct err *e)
{
	char seq[24], cr[24], *plain, *pb;
	uint8_t *sealed;
	const char *v[7];
	int l[7] = { 0, 0, 0, 0, 0, 0, 0 }, f[7] = { 0, 0, 0, 0, 0, 0, 0 }, rc;
	size_t n;

	if ((plain = malloc(r->body_len + 1)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	memcpy(plain, r->body, r->body_len);
	plain[r->body_len] = '\0';
	pb = hub_body_purge(r->kind, plain);
	sodium_memzero(plain, r->body_len);
	free(plain);
	if (pb == NULL || (sealed = malloc(strlen(pb) + PG_SEAL_OVERHEAD)) == NULL) {
		free(pb);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	n = strlen(pb);
	pg_seal(s, st->uid, r->seq, what, pb, n, sealed);
	free(pb);
	snprintf(seq, sizeof seq, "%llu", (unsigned long long)r->seq);
	snprintf(cr, sizeof cr, "%lld", (long long)r->created_ms);
	v[0] = sid;
	v[1] = seq;
	v[2] = (const char *)sealed;
	l[2] = (int)(n + PG_SEAL_OVERHEAD);
	f[2] = 1;
	v[3] = now;
	if (what == 'r')
		rc = pg_exec(s, "purge", "UPDATE records SET body = $3, purged_ms = $4 WHERE "
		    "station_id = $1 AND seq = $2 AND day = (SELECT day FROM record_keys WHERE "
		    "station_id = $1 AND seq = $2)", 4, v, l, f, NULL, e);
	else {
		v[4] = (const char *)hash;
		l[4] = 32;
		f[4] = 1;
		v[5] = r->kind;
		v[6] = cr;
		rc = pg_exec(s, "conflict", "WITH c AS (INSERT INTO conflicts(station_id, seq, hash, "
		    "kind, created_ms, received_ms, body, purged_ms) VALUES ($1, $2, $5, $6, $7, $4, "
		    "$3, $4) ON CONFLICT DO NOTHING RETURNING 1) UPDATE station_state SET conflicts "
		    "= conflicts + (SELECT count(*) FROM c) WHERE station_id = $1", 7, v, l, f, NULL,
		    e);
	}
	free(sealed);
	return rc;
}

/* One batch on its way through the store: what it sends, and where its answers come back
 * in the pipeline that carries them. */
struct batch {
	struct pg_store *s;
	const struct hub_station *st;
	const struct wire_record *r;
	size_t n;
	struct hub_ingest *res;
	struct row *rows;
	uint8_t *sealed;
	struct pg_arr a[15];
	int narr;		/* arrays begun (to free) */
	const char *v[17];
	int l[17], f[17];
	char sid[24], now[24];
	struct roots t;
	int sent;		/* the roots were asked for in the head's pipeline */
	int ins_i, hw_i;	/* the insert's and hw's statements in their pipelines */
};

static void
batch_free(struct batch *b, int rc)
{
	int k;

	for (k = 0; k < b->narr; k++)
		pg_arr_free(&b->a[k]);
	b->narr = 0;
	roots_free(&b->t);
	free(b->rows);
	free(b->sealed);
	b->rows = NULL;
	b->sealed = NULL;
	if (rc != E_OK && b->res != NULL) {
		free(b->res->conflicts);
		b->res->conflicts = NULL;
		b->res->nconflicts = 0;
		b->res->inserted = b->res->duplicates = b->res->quarantined = 0;
	}
}

/* What a batch needs before its transaction: its rows read, hashed and sealed into the
 * insert's arrays, its day partitions made (their own short transactions), the roots it
 * may touch listed. */
static int
batch_prep(struct pg_store *s, struct batch *b, const struct hub_station *st,
    const struct wire_record *r, size_t n, int64_t now_ms, struct hub_ingest *res,
    struct err *e)
{
	static const uint32_t oid[15] = { 20, 17, 1082, 25, 25, 20, 20, 23, 20, 16, 16, 16, 16,
	    16, 17 };
	uint8_t hash[32];
	size_t i;
	int k, rc = E_OK;

	memset(b, 0, sizeof *b);
	b->s = s;
	b->st = st;
	b->r = r;
	b->n = n;
	b->res = res;
	memset(res, 0, sizeof *res);
	if ((res->conflicts = calloc(n ? n : 1, sizeof *res->conflicts)) == NULL ||
	    (b->rows = calloc(n ? n : 1, sizeof *b->rows)) == NULL ||
	    (b->sealed = malloc(WIRE_BODY_MAX + PG_SEAL_OVERHEAD)) == NULL) {
		batch_free(b, E_IO);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	snprintf(b->sid, sizeof b->sid, "%llu", (unsigned long long)st->id);
	snprintf(b->now, sizeof b->now, "%lld", (long long)now_ms);
	for (i = 0; i < n; i++) {
		struct row *w = &b->rows[i];
		assert(r[i].seq > 0);
		assert(i == 0 || r[i].seq > r[i - 1].seq);
		w->w = &r[i];
		/* put aside: what the decoder could not read, or a body that is not JSON */
		w->quarantined = r[i].bad || facts_read(r[i].kind, r[i].body, r[i].body_len,
		    DEFAULT_FEVER_TENTHS, &w->f) != 0;
		if (w->quarantined)
			memset(&w->f, 0, sizeof w->f);
		w->root = w->f.root > 0 ? w->f.root : (int64_t)r[i].seq;
		w->clock_flag = r[i].created_ms > now_ms + CLOCK_AHEAD_MS ||
		    r[i].created_ms < CLOCK_EPOCH_MS;
		/* filed under the day it arrived when its own time cannot be believed */
		w->part = (int32_t)(w->clock_flag ? clock_day(now_ms, 0) :
		    clock_day(r[i].created_ms, w->f.tz_min)) - PG_DATE_EPOCH;
		wire_record_hash(st->uid, &r[i], hash);
		pg_hash_mac(s, hash, w->hash);
	}
	if ((rc = partitions(s, b->rows, n, e)) != E_OK) {
		batch_free(b, rc);
		return rc;
	}
	for (k = 0; k < 15; k++)
		pg_arr_begin(&b->a[k], oid[k], n);
	b->narr = 15;
	for (i = 0; i < n; i++) {
		struct row *w = &b->rows[i];
		pg_arr_i64(&b->a[0], (int64_t)r[i].seq);
		pg_arr_bytes(&b->a[1], w->hash, 32);
		pg_arr_i32(&b->a[2], w->part);
		/* a kind the decoder found not UTF-8 cannot be a text column: "?" */
		if (wire_utf8_ok(r[i].kind, strlen(r[i].kind)))
			pg_arr_bytes(&b->a[3], r[i].kind, strlen(r[i].kind));
		else
			pg_arr_bytes(&b->a[3], "?", 1);
		pg_arr_bytes(&b->a[4], action_names[w->f.action],
		    strlen(action_names[w->f.action]));
		pg_arr_i64(&b->a[5], w->root);
		pg_arr_i64(&b->a[6], w->f.ref);
		pg_arr_i32(&b->a[7], w->f.tz_min);
		pg_arr_i64(&b->a[8], r[i].created_ms);
		pg_arr_bool(&b->a[9], w->clock_flag);
		pg_arr_bool(&b->a[10], w->quarantined);
		pg_arr_bool(&b->a[11], w->f.fever);
		pg_arr_bool(&b->a[12], w->f.released);
		pg_arr_bool(&b->a[13], w->f.flagged);
		assert(r[i].body_len <= WIRE_BODY_MAX);
		pg_seal(s, st->uid, r[i].seq, 'r', r[i].body, r[i].body_len, b->sealed);
		pg_arr_bytes(&b->a[14], b->sealed, r[i].body_len + PG_SEAL_OVERHEAD);
	}
	b->v[0] = b->sid;
	b->l[0] = 0;
	b->f[0] = 0;
	for (k = 0; k < 15; k++) {
		int p = k < 9 ? 1 + k : 2 + k;	/* $11 is the receive time */
		if (b->a[k].oom)
			rc = err_set(e, E_IO, "%s", _("out of memory"));
		b->v[p] = (const char *)b->a[k].p;
		b->l[p] = (int)b->a[k].len;
		b->f[p] = 1;
	}
	b->v[10] = b->now;
	b->l[10] = 0;
	b->f[10] = 0;
	if (rc == E_OK && roots_of_batch(b->rows, n, &b->t) != 0)
		rc = err_set(e, E_IO, "%s", _("out of memory"));
	if (rc != E_OK)
		batch_free(b, rc);
	return rc;
}

/* Queues (pipeline open) the batch's insert and the read of the roots it may touch. */
static int
batch_head(struct batch *b, struct err *e)
{
	int rc;

	size_t j;

	for (j = 0; j < b->t.n; j++)	/* asked afresh if this head runs again */
		b->t.r[j].fetched = 0;
	b->ins_i = b->s->npiped;
	if ((rc = pg_exec_prepared(b->s, "insert", ingest_sql, 17, b->v, b->l, b->f, NULL,
	    e)) != E_OK)
		return rc;
	return roots_fetch(b->s, b->st->id, &b->t, NULL, 0, &b->sent, e);
}

/* hw after the batch r[0..n) (every seq of which is held now: stored, a resend, or a
 * conflict with the copy held), from hw and max_seq before it (q, the insert's answer):
 * when nothing past hw was held, the run of the batch's seqs that continues hw is all
 * that can follow it; else -1, for hw_sql to read the keys. */
static int64_t
next_hw(PGresult *q, const struct wire_record *r, size_t n)
{
	int64_t hw, max;
	size_t i;

	if (n == 0 || PQgetisnull(q, 0, 3) || PQgetisnull(q, 0, 4))
		return -1;
	hw = pg_i64(PQgetvalue(q, 0, 3));
	max = pg_i64(PQgetvalue(q, 0, 4));
	if (max != hw)
		return -1;
	for (i = 0; i < n; i++)
		if ((int64_t)r[i].seq == hw + 1)
			hw++;
	return hw;
}

/* The batch once its head's answers are in (q the insert's, rq the roots'; both the
 * caller's): what was new, duplicate or conflict; the conflicts and late purges stored;
 * the aggregates and hw queued in a pipeline left open for the caller's next statements
 * (b->hw_i is hw's). */
static int
batch_mid(struct batch *b, PGresult *q, PGresult *rq, PGresult *dq, struct err *e)
{
	struct pg_store *s = b->s;
	const struct wire_record *r = b->r;
	struct hub_ingest *res = b->res;
	struct row *rows = b->rows;
	uint8_t held[32];
	size_t i, n = b->n;
	long m;
	int rc = E_OK;
	struct root *x;

	crash_point("mid_batch");
	if (q == NULL || (size_t)PQntuples(q) != n)
		return err_set(e, E_IO, "%s", _("hub store (PostgreSQL): the batch came back short"));
	for (i = 0; i < n; i++) {
		if (PQgetvalue(q, (int)i, 1)[0] == 't') {
			rows[i].state = 0;
			/* what the decoder put aside is held and counted, but not a record in */
			if (!r[i].bad)
				res->inserted++;
			res->quarantined += rows[i].quarantined;
			continue;
		}
		m = pg_bytea(PQgetvalue(q, (int)i, 2), held, sizeof held);
		if (m == 32 && sodium_memcmp(held, rows[i].hash, 32) == 0) {
			rows[i].state = 1;
			res->duplicates++;
		} else {
			rows[i].state = 2;
			res->conflicts[res->nconflicts++] = r[i].seq;
		}
	}
	if (b->sent && (rc = roots_parse(&b->t, rq, e)) != E_OK)
		return rc;
	if (b->sent > 1)
		roots_derive(&b->t, dq, rows, n);
	for (i = 0; i < n && rc == E_OK; i++) {
		char seq[24], kind[WIRE_KIND_MAX + 1], cr[24];
		const char *cv[7];
		int cl[7] = { 0, 0, 32, 0, 0, 0, 0 }, cf[7] = { 0, 0, 1, 0, 0, 0, 1 };
		if (rows[i].state != 2)
			continue;
		snprintf(seq, sizeof seq, "%llu", (unsigned long long)r[i].seq);
		snprintf(kind, sizeof kind, "%s", wire_utf8_ok(r[i].kind, strlen(r[i].kind)) ?
		    r[i].kind : "?");
		snprintf(cr, sizeof cr, "%lld", (long long)r[i].created_ms);
		if ((x = roots_find(&b->t, rows[i].root)) != NULL && x->purged) {
			/* a copy of a record retention has blanked comes in blanked */
			rc = late_purge(s, b->st, b->sid, &r[i], 'c', rows[i].hash, b->now, e);
			continue;
		}
		pg_seal(s, b->st->uid, r[i].seq, 'c', r[i].body, r[i].body_len, b->sealed);
		cv[0] = b->sid;
		cv[1] = seq;
		cv[2] = (const char *)rows[i].hash;
		cv[3] = kind;
		cv[4] = cr;
		cv[5] = b->now;
		cv[6] = (const char *)b->sealed;
		cl[6] = (int)(r[i].body_len + PG_SEAL_OVERHEAD);
		rc = pg_exec(s, "conflict", "WITH c AS (INSERT INTO conflicts(station_id, seq, hash, "
		    "kind, created_ms, received_ms, body) VALUES ($1, $2, $3, $4, $5, $6, $7) ON "
		    "CONFLICT DO NOTHING RETURNING 1) UPDATE station_state SET conflicts = "
		    "conflicts + (SELECT count(*) FROM c) WHERE station_id = $1", 7, cv, cl, cf,
		    NULL, e);
	}
	/* a version of a record retention has blanked comes in blanked */
	for (i = 0; i < n && rc == E_OK; i++)
		if (rows[i].state == 0 && (x = roots_find(&b->t, rows[i].root)) != NULL &&
		    x->purged)
			rc = late_purge(s, b->st, b->sid, &r[i], 'r', rows[i].hash, b->now, e);
	if (rc != E_OK || (rc = aggregate(s, b->st, b->sid, rows, n, &b->t, e)) != E_OK)
		return rc;
	{
		char ins[24], qn[24], mx[24], nh[24];
		const char *hv[6] = { b->sid, ins, qn, mx, b->now, nh };
		snprintf(nh, sizeof nh, "%lld", (long long)next_hw(q, r, n));
		snprintf(ins, sizeof ins, "%llu", (unsigned long long)(res->inserted +
		    (res->quarantined - nq_inserted(rows, r, n))));
		snprintf(qn, sizeof qn, "%llu", (unsigned long long)res->quarantined);
		snprintf(mx, sizeof mx, "%llu", n ? (unsigned long long)r[n - 1].seq : 0ULL);
		/* the counters and hw; queued (libpq copies the parameters as it queues) */
		b->hw_i = s->npiped;
		rc = pg_exec_prepared(s, "hw", hw_sql, 6, hv, NULL, NULL, NULL, e);
	}
	return rc;
}

/* hw from the answer to the batch's hw statement. */
static int
batch_hw(struct batch *b, PGresult *q, struct err *e)
{
	if (q == NULL || PQntuples(q) != 1)
		return err_set(e, E_INVALID, "%s", _("no such station"));
	b->res->hw = (uint64_t)pg_i64(PQgetvalue(q, 0, 0));
	return E_OK;
}

static void
clear_all(PGresult **p, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		PQclear(p[i]);
		p[i] = NULL;
	}
}

#define PIPE_MAX (HUB_GROUP_MAX + 16)

int
pg_ingest(struct hub_store *hs, const struct hub_station *st, const struct wire_record *r,
    size_t n, int64_t now_ms, struct hub_ingest *res, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	struct batch b;
	PGresult *p[PIPE_MAX] = { NULL };
	int rc, prc;

	if ((rc = batch_prep(s, &b, st, r, n, now_ms, res, e)) != E_OK)
		return rc;
	/* One round trip: begin, take the station's lock (its batches one at a time,
	 * whichever hub process has them), insert, and read the roots it may touch. */
	if ((rc = pg_connected(s, e)) != E_OK ||
	    (rc = pg_prepare(s, hot_sql, sizeof hot_sql / sizeof hot_sql[0], e)) != E_OK ||
	    (rc = pg_pipe_begin(s, e)) != E_OK)
		goto fail;
	if ((rc = pg_exec_prepared(s, "begin", begin_sql, 0, NULL, NULL, NULL, NULL, e)) == E_OK &&
	    (rc = pg_exec_prepared(s, "lock", lock_sql, 1, b.v, b.l, b.f, NULL, e)) == E_OK)
		rc = batch_head(&b, e);
	prc = pg_pipe_end(s, p, PIPE_MAX, e);
	if (rc == E_OK)
		rc = prc;
	if (rc != E_OK)
		goto fail;
	rc = batch_mid(&b, p[b.ins_i], b.sent ? p[b.ins_i + 1] : NULL,
	    b.sent > 1 ? p[b.ins_i + 2] : NULL, e);
	clear_all(p, PIPE_MAX);
	if (rc != E_OK)
		goto fail;
	crash_point("before_commit");
	/* the aggregates (queued by batch_mid), the counters and hw, and the commit: one
	 * round trip; nothing is acknowledged before it returns */
	rc = pg_exec_prepared(s, "commit", commit_sql, 0, NULL, NULL, NULL, NULL, e);
	assert(s->npiped <= PIPE_MAX);
	prc = pg_pipe_end(s, p, PIPE_MAX, e);
	if (rc == E_OK)
		rc = prc;
	if (rc == E_OK)
		rc = batch_hw(&b, p[b.hw_i], e);
	clear_all(p, PIPE_MAX);
	if (rc != E_OK)
		goto fail;
	batch_free(&b, E_OK);
	return E_OK;
fail:
	if (s->piping)
		pg_pipe_end(s, NULL, 0, NULL);
	pg_rollback(s);
	if (strstr(e->msg, "no partition") != NULL)
		s->ndays = 0;	/* dropped meanwhile: make them again next time */
	batch_free(&b, rc);
	return rc;
}

/* ---- a group: several stations' batches in one transaction ---- */

static const char savepoint_sql[] = "SAVEPOINT batch";
static const char release_sql[] = "RELEASE SAVEPOINT batch";
static const char seen_sql[] =
	"UPDATE station_state SET last_seen_ms = $2 WHERE station_id = ANY($1::int8[])";
static const char *const group_sql[] = { savepoint_sql, release_sql, seen_sql };

static int
id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Undoes the batch whose savepoint is the open one (the transaction may be in error). */
static int
undo_batch(struct pg_store *s, struct err *e)
{
	if (s->piping)
		pg_pipe_end(s, NULL, 0, NULL);
	return pg_run(s, "savepoint", "ROLLBACK TO SAVEPOINT batch; RELEASE SAVEPOINT batch", e);
}

/* Batch i failed alone: its outcome. */
static void
batch_failed(struct hub_batch *hb, struct batch *b, int rc, const struct err *why)
{
	hb->rc = rc;
	hb->e = *why;
	if (strstr(why->msg, "no partition") != NULL)
		b->s->ndays = 0;
	batch_free(b, rc);
}

/* The next batch from i on still to store, or -1. */
static int
next_live(const struct hub_batch *hb, size_t n, size_t i)
{
	for (; i < n; i++)
		if (hb[i].rc == E_OK)
			return (int)i;
	return -1;
}

/* One transaction for the whole group, so one WAL flush: BEGIN and every station's lock
 * in ascending station id (two hub processes given overlapping groups wait, never
 * deadlock), then each batch under the savepoint "batch", its tail (aggregates, hw,
 * RELEASE) riding in the same round trip as the next one's head (SAVEPOINT, insert,
 * roots); the stations seen and COMMIT ride with the last tail. A batch that fails is
 * rolled back to its savepoint and the rest go on; a failure outside any batch (BEGIN, a
 * lock, COMMIT, the connection) stores none of them. n + 1 round trips for n batches. */
int
pg_ingest_group(struct hub_store *hs, struct hub_batch *hb, size_t n, int64_t now_ms,
    struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	struct batch *b;
	PGresult *p[PIPE_MAX] = { NULL };
	uint64_t ids[HUB_GROUP_MAX];
	struct err be = { 0 };
	char sid[24], now[24], *list = NULL;
	const char *lv[2];
	int rc = E_OK, prc, failed, cur, prev = -1, prefix, sp_i = -1, rel_i = -1, nlive = 0;
	size_t i, nid = 0, len;

	assert(n >= 1 && n <= HUB_GROUP_MAX);
	if ((b = calloc(n, sizeof *b)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	for (i = 0; i < n; i++) {
		err_clear(&be);
		if ((hb[i].rc = batch_prep(s, &b[i], hb[i].st, hb[i].r, hb[i].n, now_ms,
		    &hb[i].res, &be)) != E_OK) {
			hb[i].e = be;
			continue;
		}
		ids[nid++] = hb[i].st->id;
		nlive++;
	}
	if (nlive == 0)
		goto out;
	qsort(ids, nid, sizeof ids[0], id_cmp);
	if ((rc = pg_connected(s, e)) != E_OK ||
	    (rc = pg_prepare(s, hot_sql, sizeof hot_sql / sizeof hot_sql[0], e)) != E_OK ||
	    (rc = pg_prepare(s, group_sql, sizeof group_sql / sizeof group_sql[0], e)) != E_OK ||
	    (rc = pg_pipe_begin(s, e)) != E_OK)
		goto fail;
	rc = pg_exec_prepared(s, "begin", begin_sql, 0, NULL, NULL, NULL, NULL, e);
	for (i = 0; i < nid && rc == E_OK; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		snprintf(sid, sizeof sid, "%llu", (unsigned long long)ids[i]);
		lv[0] = sid;
		rc = pg_exec_prepared(s, "lock", lock_sql, 1, lv, NULL, NULL, NULL, e);
	}
	if (rc != E_OK)
		goto fail;
	prefix = s->npiped;	/* BEGIN and the locks: not any batch's */
	cur = next_live(hb, n, 0);
	for (;;) {
		/* this round: the tail of prev (queued already), then cur's head or the end */
		if (cur >= 0) {
			sp_i = s->npiped;
			if ((rc = pg_exec_prepared(s, "savepoint", savepoint_sql, 0, NULL, NULL, NULL,
			    NULL, e)) == E_OK)
				rc = batch_head(&b[cur], e);
		} else {
			/* the stations whose batches are in were seen now */
			free(list);
			if ((list = malloc(n * 24 + 3)) == NULL) {
				rc = err_set(e, E_IO, "%s", _("out of memory"));
				goto fail;
			}
			len = 0;
			list[len++] = '{';
			for (i = 0; i < n; i++)
				if (hb[i].rc == E_OK)
					len += (size_t)snprintf(list + len, 24, "%s%llu",
					    len > 1 ? "," : "", (unsigned long long)hb[i].st->id);
			list[len++] = '}';
			list[len] = '\0';
			snprintf(now, sizeof now, "%lld", (long long)now_ms);
			lv[0] = list;
			lv[1] = now;
			rc = pg_exec_prepared(s, "seen", seen_sql, 2, lv, NULL, NULL, NULL, e);
			crash_point("before_commit");
			if (rc == E_OK)
				rc = pg_exec_prepared(s, "commit", commit_sql, 0, NULL, NULL, NULL,
				    NULL, e);
		}
		if (rc != E_OK)
			goto fail;	/* queuing only fails with the connection */
		assert(s->npiped <= PIPE_MAX);
		failed = -1;
		prc = pg_pipe_end_at(s, p, PIPE_MAX, &failed, &be);
		if (prc != E_OK) {
			int tail_end = prev >= 0 ? rel_i : -1;
			if (failed < prefix || PQstatus(s->c) != CONNECTION_OK ||
			    (failed > tail_end && (cur < 0 || failed == sp_i))) {
				/* BEGIN, a lock, the savepoint, seen, COMMIT or the connection */
				rc = prc;
				*e = be;
				goto fail;
			}
			prefix = 0;
			if (prev >= 0 && failed <= rel_i) {
				/* prev's tail: prev alone is undone; cur's head never ran */
				if ((rc = undo_batch(s, e)) != E_OK)
					goto fail;
				batch_failed(&hb[prev], &b[prev], prc, &be);
				prev = -1;
			} else {
				/* cur's head: prev is in; cur alone is undone */
				if (prev >= 0 && (rc = batch_hw(&b[prev], p[b[prev].hw_i], e)) != E_OK)
					goto fail;
				prev = -1;
				if ((rc = undo_batch(s, e)) != E_OK)
					goto fail;
				batch_failed(&hb[cur], &b[cur], prc, &be);
				cur = next_live(hb, n, (size_t)cur + 1);
			}
			clear_all(p, PIPE_MAX);
			if ((rc = pg_pipe_begin(s, e)) != E_OK)
				goto fail;
			continue;
		}
		prefix = 0;
		if (prev >= 0 && (rc = batch_hw(&b[prev], p[b[prev].hw_i], e)) != E_OK)
			goto fail;	/* no such station after its RELEASE: cannot undo it alone */
		prev = -1;
		if (cur < 0)
			break;	/* committed */
		err_clear(&be);
		rc = batch_mid(&b[cur], p[b[cur].ins_i], b[cur].sent ? p[b[cur].ins_i + 1] :
		    NULL, b[cur].sent > 1 ? p[b[cur].ins_i + 2] : NULL, &be);
		clear_all(p, PIPE_MAX);
		if (rc == E_OK) {
			rel_i = s->npiped;
			rc = pg_exec_prepared(s, "release", release_sql, 0, NULL, NULL, NULL, NULL,
			    &be);
		}
		if (rc != E_OK) {
			int brc = rc;
			if (PQstatus(s->c) != CONNECTION_OK) {
				*e = be;
				goto fail;
			}
			if ((rc = undo_batch(s, e)) != E_OK)
				goto fail;
			batch_failed(&hb[cur], &b[cur], brc, &be);
			cur = next_live(hb, n, (size_t)cur + 1);
			if ((rc = pg_pipe_begin(s, e)) != E_OK)
				goto fail;
			continue;
		}
		prev = cur;
		cur = next_live(hb, n, (size_t)cur + 1);
	}
	clear_all(p, PIPE_MAX);
	for (i = 0; i < n; i++)
		if (hb[i].rc == E_OK)
			batch_free(&b[i], E_OK);
	rc = E_OK;
	goto out;
fail:
	clear_all(p, PIPE_MAX);
	if (s->piping)
		pg_pipe_end(s, NULL, 0, NULL);
	pg_rollback(s);
	if (strstr(e->msg, "no partition") != NULL)
		s->ndays = 0;
	for (i = 0; i < n; i++) {
		batch_free(&b[i], rc);
		memset(&hb[i].res, 0, sizeof hb[i].res);
		hb[i].rc = rc;
		hb[i].e = *e;
	}
out:
	free(list);
	free(b);
	return rc;
}
