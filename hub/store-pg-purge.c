/* store-pg-purge.c — retention in the PostgreSQL store: the bodies of records whose first
 * version is older than the cutoff are opened in the hub, blanked by hub_body_purge (the
 * one definition of what retention removes), sealed again and written back, every version
 * and conflicting copy with them, in one transaction per step. The first versions are
 * found without an index over every record (schema 4): the few odd ones (records_odd, a
 * device time not believed or a late arrival) by their time, the others by walking the
 * day partitions that may hold some, each by its primary key from where the last step
 * ended; a partition walked whole once nothing newer than the cutoff can be in it is
 * noted in purged_days and never walked again (what arrives in it later is odd). A step
 * then reads its records' versions and copies in two statements and writes them back in
 * three, with arrays. Counts, hashes, kinds, times and the aggregates stay;
 * roots.purged_ms tells ingest to purge what comes later. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hub/pg.h"
#include "hub/purge.h"

/* Seals the purged form of one row's sealed body (bytea text hex) into a (as one bytea
 * element): 0, or -1 with e. */
static int
rewrite(struct pg_store *s, const char *uid, uint64_t seq, char what, const char *kind,
    const char *hex, uint8_t *in, char *plain, struct pg_arr *a, struct err *e)
{
	long m = pg_bytea(hex, in, WIRE_BODY_MAX + PG_SEAL_OVERHEAD);
	uint8_t *out;
	char *purged;
	size_t n;

	if (m < PG_SEAL_OVERHEAD ||
	    pg_open_sealed(s, uid, seq, what, in, (size_t)m, (uint8_t *)plain) != 0) {
		err_set(e, E_DAMAGED, _("damaged: the body of record %llu fails authentication"),
		    (unsigned long long)seq);
		return -1;
	}
	plain[m - PG_SEAL_OVERHEAD] = '\0';
	purged = hub_body_purge(kind, plain);
	sodium_memzero(plain, (size_t)(m - PG_SEAL_OVERHEAD));
	if (purged == NULL || (out = malloc(strlen(purged) + PG_SEAL_OVERHEAD)) == NULL) {
		free(purged);
		err_set(e, E_IO, "%s", _("out of memory"));
		return -1;
	}
	n = strlen(purged);
	pg_seal(s, uid, seq, what, purged, n, out);
	free(purged);
	pg_arr_bytes(a, out, n + PG_SEAL_OVERHEAD);
	free(out);
	return 0;
}

/* The uid of station id in the rows of st (id, uid), or NULL. */
static const char *
uid_of(PGresult *st, const char *id)
{
	int i;

	for (i = 0; i < PQntuples(st); i++)
		if (strcmp(PQgetvalue(st, i, 0), id) == 0)
			return PQgetvalue(st, i, 1);
	return NULL;
}

/* The first versions a step purges, and where the purge stands after it (copied into the
 * store only once the step commits). */
struct picked {
	struct key {
		int64_t sid, seq;
	} *k;
	size_t n, cap;
	int64_t from;		/* odd ones: from this time on */
	int walking;		/* the partition [day, end) is being walked, from sid, seq */
	int32_t day, end;
	int64_t sid, seq;
};

/* Appends the keys in r (station_id, seq, then anything) to p. */
static int
picked_add(struct picked *p, PGresult *r, struct err *e)
{
	struct key *q;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 256;
			if ((q = realloc(p->k, p->cap * sizeof *q)) == NULL)
				return err_set(e, E_IO, "%s", _("out of memory"));
			p->k = q;
		}
		p->k[p->n].sid = pg_i64(PQgetvalue(r, i, 0));
		p->k[p->n++].seq = pg_i64(PQgetvalue(r, i, 1));
	}
	return E_OK;
}

/* A partition may be noted once nothing in it can be newer than the cutoff (its day ends,
 * local time, at most 16 hours after it ends in UTC), and whatever arrives in it from now
 * on is odd (received from 2 days after its day began): both hold when that time is an
 * hour (for batches in flight, and clocks between hub processes) before the cutoff, which
 * is itself at least a day before now. */
#define NOTE_MARGIN_MS 3600000LL

/* Picks, locked against a purge in another hub process, up to max first versions older
 * than cutoff, not purged yet: the odd ones first (by their time, from where the last step
 * ended: the rows it rewrote leave dead entries in the index that a scan from the start
 * would walk again each step; rows another process has locked are skipped and left to a
 * later purge), then the walk of the partitions not noted that may hold some, in day
 * order, each by its primary key from where the last step ended (rows another purge has
 * locked are waited for, so a partition walked is whole). */
static int
purge_pick(struct pg_store *s, int64_t cutoff_ms, size_t max, struct picked *p,
    struct err *e)
{
	char cut[24], lim[24], from[24], day[16], end[16], sid[24], seq[24], now[24];
	const char *v[6] = { cut, lim, from, NULL, NULL, NULL };
	PGresult *r = NULL;
	size_t got;
	int rc;

	p->from = s->purge_from;
	p->walking = s->purge_walking;
	p->day = s->purge_day;
	p->end = s->purge_end;
	p->sid = s->purge_sid;
	p->seq = s->purge_seq;
	snprintf(cut, sizeof cut, "%lld", (long long)cutoff_ms);
	snprintf(lim, sizeof lim, "%zu", max);
	snprintf(from, sizeof from, "%lld", (long long)p->from);
	if ((rc = pg_exec(s, "purge", "SELECT station_id, seq, created_ms FROM records WHERE "
	    "purged_ms IS NULL AND action = 'add' AND " PG_ODD " AND seq = root_seq AND "
	    "created_ms < $1::int8 AND created_ms >= $3::int8 ORDER BY created_ms LIMIT $2::int8 "
	    "FOR UPDATE SKIP LOCKED", 3, v, NULL, NULL, &r, e)) != E_OK)
		return rc;
	got = (size_t)PQntuples(r);
	if (got > 0)
		p->from = pg_i64(PQgetvalue(r, (int)got - 1, 2));
	rc = picked_add(p, r, e);
	PQclear(r);
	while (rc == E_OK && p->n < max) {
		if (!p->walking) {
			/* the next partition that may hold a record older than the cutoff, by its
			 * bounds (whatever its name: on Citus create_time_partitions may make them) */
			snprintf(day, sizeof day, "%d", (int)p->day);
			v[0] = cut;
			v[1] = day;
			if ((rc = pg_exec(s, "purge", "SELECT lo, hi FROM (SELECT substring(b FROM "
			    "'FROM \\(''([^'']+)''\\)')::date - DATE '2000-01-01' AS lo, substring(b "
			    "FROM 'TO \\(''([^'']+)''\\)')::date - DATE '2000-01-01' AS hi FROM (SELECT "
			    "pg_get_expr(c.relpartbound, c.oid) AS b FROM pg_inherits i JOIN pg_class c ON "
			    "c.oid = i.inhrelid WHERE i.inhparent = 'records'::regclass) x WHERE b LIKE "
			    "'FOR VALUES FROM%') y WHERE lo > $2::int AND (lo + 10957)::int8 * 86400000 - "
			    "57600000 < $1::int8 AND NOT EXISTS (SELECT 1 FROM purged_days p WHERE p.day = "
			    "DATE '2000-01-01' + y.lo) ORDER BY lo LIMIT 1", 2, v, NULL, NULL, &r, e)) !=
			    E_OK)
				break;
			if (PQntuples(r) == 0) {
				PQclear(r);
				break;	/* no partition left to walk */
			}
			p->day = (int32_t)pg_i64(PQgetvalue(r, 0, 0));
			p->end = (int32_t)pg_i64(PQgetvalue(r, 0, 1));
			PQclear(r);
			p->walking = 1;
			p->sid = p->seq = INT64_MIN;
		}
		snprintf(lim, sizeof lim, "%zu", max - p->n);
		snprintf(day, sizeof day, "%d", (int)p->day);
		snprintf(end, sizeof end, "%d", (int)p->end);
		snprintf(sid, sizeof sid, "%lld", (long long)p->sid);
		snprintf(seq, sizeof seq, "%lld", (long long)p->seq);
		v[0] = cut;
		v[1] = lim;
		v[2] = day;
		v[3] = sid;
		v[4] = seq;
		v[5] = end;
		if ((rc = pg_exec(s, "purge", "SELECT station_id, seq FROM records WHERE day >= DATE "
		    "'2000-01-01' + $3::int AND day < DATE '2000-01-01' + $6::int AND (station_id, "
		    "seq) > ($4::int8, $5::int8) AND "
		    "purged_ms IS NULL AND action = 'add' AND NOT " PG_ODD " AND seq = root_seq AND "
		    "created_ms < $1::int8 ORDER BY station_id, seq LIMIT $2::int8 FOR UPDATE", 6, v,
		    NULL, NULL, &r, e)) != E_OK)
			break;
		got = (size_t)PQntuples(r);
		if (got > 0) {
			p->sid = pg_i64(PQgetvalue(r, (int)got - 1, 0));
			p->seq = pg_i64(PQgetvalue(r, (int)got - 1, 1));
		}
		if ((rc = picked_add(p, r, e)) != E_OK) {
			PQclear(r);
			break;
		}
		PQclear(r);
		if (p->n == max)
			break;	/* more may follow in this partition */
		/* walked to its end */
		p->walking = 0;
		if (((int64_t)p->end - 1 + 10957 + 2) * 86400000 + NOTE_MARGIN_MS <= cutoff_ms) {
			snprintf(now, sizeof now, "%lld", (long long)time(NULL) * 1000);
			v[0] = day;
			v[1] = now;
			rc = pg_exec(s, "purge", "INSERT INTO purged_days(day, noted_ms) VALUES (DATE "
			    "'2000-01-01' + $1::int, $2::int8) ON CONFLICT DO NOTHING", 2, v, NULL, NULL,
			    NULL, e);
		}
	}
	return rc;
}

int
pg_purge_step(struct hub_store *hs, int64_t cutoff_ms, size_t max, struct hub_purge *res,
    struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	char now[24];
	const char *k[2];
	int kl[2], kf[2] = { 1, 1 };
	struct picked roots = { 0 };
	PGresult *vers = NULL, *cons = NULL, *st = NULL;
	struct pg_arr ks, kr, us, uq, ud, ub, cs, cq, ch, cb;
	uint8_t *in = NULL, hash[32];
	char *plain = NULL;
	int i, rc, n, nv = 0, nc = 0;

	memset(&ks, 0, sizeof ks);
	kr = us = uq = ud = ub = cs = cq = ch = cb = ks;
	snprintf(now, sizeof now, "%lld", (long long)time(NULL) * 1000);
	if ((in = malloc(WIRE_BODY_MAX + PG_SEAL_OVERHEAD)) == NULL ||
	    (plain = malloc(WIRE_BODY_MAX + 1)) == NULL) {
		free(in);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	if ((rc = pg_begin(s, e)) != E_OK)
		goto done;
	if (s->purge_cutoff != cutoff_ms) {
		s->purge_cutoff = cutoff_ms;
		s->purge_from = INT64_MIN;
		s->purge_walking = 0;
		s->purge_day = INT32_MIN;	/* before every partition */
	}
	if ((rc = pg_exec(s, "purge", "SELECT id, uid FROM stations", 0, NULL, NULL, NULL, &st,
	    e)) != E_OK || (rc = purge_pick(s, cutoff_ms, max, &roots, e)) != E_OK)
		goto fail;
	n = (int)roots.n;
	if (n > 0) {
		pg_arr_begin(&ks, 20, (size_t)n);
		pg_arr_begin(&kr, 20, (size_t)n);
		for (i = 0; i < n; i++) {
			pg_arr_i64(&ks, roots.k[i].sid);
			pg_arr_i64(&kr, roots.k[i].seq);
		}
		k[0] = (const char *)ks.p;
		k[1] = (const char *)kr.p;
		kl[0] = (int)ks.len;
		kl[1] = (int)kr.len;
		/* every version of them not purged yet, and every conflicting copy: the first
		 * version by its seq, the later ones through records_versions */
		if ((rc = pg_exec(s, "purge", "WITH u AS (SELECT * FROM unnest($1::int8[], "
		    "$2::int8[]) u(sid, root)), v AS (SELECT r.* FROM records r JOIN u ON "
		    "r.station_id = u.sid AND r.seq = u.root AND r.root_seq = u.root UNION ALL "
		    "SELECT r.* FROM records r JOIN u ON r.station_id = u.sid AND r.root_seq = "
		    "u.root AND r.seq <> r.root_seq) SELECT station_id, seq, kind, body, day FROM v "
		    "WHERE purged_ms IS NULL", 2, k, kl, kf, &vers, e)) != E_OK ||
		    (rc = pg_exec(s, "purge", "WITH u AS (SELECT * FROM unnest($1::int8[], "
		    "$2::int8[]) u(sid, root)), v AS (SELECT r.station_id, r.seq FROM records r "
		    "JOIN u ON r.station_id = u.sid AND r.seq = u.root AND r.root_seq = u.root "
		    "UNION ALL SELECT r.station_id, r.seq FROM records r JOIN u ON r.station_id = "
		    "u.sid AND r.root_seq = u.root AND r.seq <> r.root_seq) SELECT c.station_id, "
		    "c.seq, c.kind, c.body, c.hash FROM conflicts c JOIN v ON v.station_id = "
		    "c.station_id AND v.seq = c.seq WHERE c.purged_ms IS NULL", 2, k, kl, kf, &cons,
		    e)) != E_OK)
			goto fail;
		nv = PQntuples(vers);
		nc = PQntuples(cons);
		pg_arr_begin(&us, 20, (size_t)nv);
		pg_arr_begin(&uq, 20, (size_t)nv);
		pg_arr_begin(&ud, 25, (size_t)nv);
		pg_arr_begin(&ub, 17, (size_t)nv);
		for (i = 0; i < nv; i++) {
			const char *uid = uid_of(st, PQgetvalue(vers, i, 0));
			uint64_t seq = (uint64_t)pg_i64(PQgetvalue(vers, i, 1));
			if (uid == NULL || rewrite(s, uid, seq, 'r', PQgetvalue(vers, i, 2),
			    PQgetvalue(vers, i, 3), in, plain, &ub, e) != 0) {
				rc = uid == NULL ? err_set(e, E_DAMAGED, "%s", _("no such station")) :
				    e->code;
				goto fail;
			}
			pg_arr_i64(&us, pg_i64(PQgetvalue(vers, i, 0)));
			pg_arr_i64(&uq, (int64_t)seq);
			pg_arr_bytes(&ud, PQgetvalue(vers, i, 4), strlen(PQgetvalue(vers, i, 4)));
		}
		pg_arr_begin(&cs, 20, (size_t)nc);
		pg_arr_begin(&cq, 20, (size_t)nc);
		pg_arr_begin(&ch, 17, (size_t)nc);
		pg_arr_begin(&cb, 17, (size_t)nc);
		for (i = 0; i < nc; i++) {
			const char *uid = uid_of(st, PQgetvalue(cons, i, 0));
			uint64_t seq = (uint64_t)pg_i64(PQgetvalue(cons, i, 1));
			if (uid == NULL || pg_bytea(PQgetvalue(cons, i, 4), hash, 32) != 32 ||
			    rewrite(s, uid, seq, 'c', PQgetvalue(cons, i, 2), PQgetvalue(cons, i, 3),
			    in, plain, &cb, e) != 0) {
				rc = e->code != E_OK ? e->code :
				    err_set(e, E_DAMAGED, "%s", _("no such station"));
				goto fail;
			}
			pg_arr_i64(&cs, pg_i64(PQgetvalue(cons, i, 0)));
			pg_arr_i64(&cq, (int64_t)seq);
			pg_arr_bytes(&ch, hash, 32);
		}
		if (us.oom || uq.oom || ud.oom || ub.oom || cs.oom || cq.oom || ch.oom || cb.oom ||
		    ks.oom || kr.oom) {
			rc = err_set(e, E_IO, "%s", _("out of memory"));
			goto fail;
		}
		{
			const char *w[5] = { now, (const char *)us.p, (const char *)uq.p,
			    (const char *)ud.p, (const char *)ub.p };
			int wl[5] = { 0, (int)us.len, (int)uq.len, (int)ud.len, (int)ub.len };
			int wf[5] = { 0, 1, 1, 1, 1 };
			const char *x[5] = { now, (const char *)cs.p, (const char *)cq.p,
			    (const char *)ch.p, (const char *)cb.p };
			int xl[5] = { 0, (int)cs.len, (int)cq.len, (int)ch.len, (int)cb.len };
			const char *y[3] = { now, (const char *)ks.p, (const char *)kr.p };
			int yl[3] = { 0, (int)ks.len, (int)kr.len }, yf[3] = { 0, 1, 1 };
			if ((nv > 0 && (rc = pg_exec(s, "purge", "UPDATE records r SET body = u.body, "
			    "purged_ms = $1 FROM unnest($2::int8[], $3::int8[], $4::text[], "
			    "$5::bytea[]) u(sid, seq, day, body) WHERE r.station_id = u.sid AND "
			    "r.seq = u.seq AND r.day = u.day::date", 5, w, wl, wf, NULL, e)) != E_OK) ||
			    (nc > 0 && (rc = pg_exec(s, "purge", "UPDATE conflicts c SET body = u.body, "
			    "purged_ms = $1 FROM unnest($2::int8[], $3::int8[], $4::bytea[], "
			    "$5::bytea[]) u(sid, seq, hash, body) WHERE c.station_id = u.sid AND "
			    "c.seq = u.seq AND c.hash = u.hash", 5, x, xl, wf, NULL, e)) != E_OK) ||
			    /* versions and copies that arrive later are purged as they come */
			    (rc = pg_exec(s, "purge", "UPDATE roots o SET purged_ms = $1 FROM "
			    "unnest($2::int8[], $3::int8[]) u(sid, root) WHERE o.station_id = u.sid "
			    "AND o.root_seq = u.root", 3, y, yl, yf, NULL, e)) != E_OK)
				goto fail;
		}
	}
	if ((rc = pg_commit(s, e)) != E_OK)
		goto done;
	res->records += n;
	res->versions += nv;
	res->conflicts += nc;
	res->done = (size_t)n < max;
	s->purge_from = roots.from;
	s->purge_walking = roots.walking;
	s->purge_day = roots.day;
	s->purge_end = roots.end;
	s->purge_sid = roots.sid;
	s->purge_seq = roots.seq;
	if (res->done)
		s->purge_cutoff = INT64_MIN;	/* a purge after this one starts afresh */
	goto done;
fail:
	pg_rollback(s);
done:
	free(roots.k);
	PQclear(vers);
	PQclear(cons);
	PQclear(st);
	pg_arr_free(&ks);
	pg_arr_free(&kr);
	pg_arr_free(&us);
	pg_arr_free(&uq);
	pg_arr_free(&ud);
	pg_arr_free(&ub);
	pg_arr_free(&cs);
	pg_arr_free(&cq);
	pg_arr_free(&ch);
	pg_arr_free(&cb);
	free(in);
	if (plain != NULL)
		sodium_memzero(plain, WIRE_BODY_MAX + 1);
	free(plain);
	return rc;
}
