/* store-pg-purge.c — retention in the PostgreSQL store: the bodies of records whose first
 * version is older than the cutoff are opened in the hub, blanked by hub_body_purge (the
 * one definition of what retention removes), sealed again and written back, every version
 * and conflicting copy with them, in one transaction per step. The old day partitions are
 * rewritten in place; counts, hashes, kinds, times and the aggregates stay. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hub/pg.h"
#include "hub/purge.h"

/* Rewrites one row's sealed body (bytea text hex) as its purged form: 0, or -1 with e. */
static int
rewrite(struct pg_store *s, const char *uid, uint64_t seq, char what, const char *kind,
    const char *hex, uint8_t *in, char *plain, uint8_t **out, size_t *outlen, struct err *e)
{
	long m = pg_bytea(hex, in, WIRE_BODY_MAX + PG_SEAL_OVERHEAD);
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
	if (purged == NULL) {
		err_set(e, E_IO, "%s", _("out of memory"));
		return -1;
	}
	n = strlen(purged);
	if ((*out = malloc(n + PG_SEAL_OVERHEAD)) == NULL) {
		free(purged);
		err_set(e, E_IO, "%s", _("out of memory"));
		return -1;
	}
	pg_seal(s, uid, seq, what, purged, n, *out);
	free(purged);
	*outlen = n + PG_SEAL_OVERHEAD;
	return 0;
}

int
pg_purge_step(struct hub_store *hs, int64_t cutoff_ms, size_t max, struct hub_purge *res,
    struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	char cut[24], lim[24], now[24];
	const char *v[3] = { cut, lim, now };
	PGresult *roots = NULL, *r = NULL;
	uint8_t *in = NULL, *out;
	char *plain = NULL;
	size_t outlen;
	int64_t nv = 0, nc = 0;
	int i, j, rc, n;

	snprintf(cut, sizeof cut, "%lld", (long long)cutoff_ms);
	snprintf(lim, sizeof lim, "%zu", max);
	snprintf(now, sizeof now, "%lld", (long long)time(NULL) * 1000);
	if ((in = malloc(WIRE_BODY_MAX + PG_SEAL_OVERHEAD)) == NULL ||
	    (plain = malloc(WIRE_BODY_MAX + 1)) == NULL) {
		free(in);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	if ((rc = pg_begin(s, e)) != E_OK)
		goto done;
	/* The first versions to purge, locked against a purge in another hub process. */
	if ((rc = pg_exec(s, "purge", "SELECT r.station_id, r.seq, s.uid FROM records r JOIN "
	    "stations s ON s.id = r.station_id WHERE r.purged_ms IS NULL AND r.action = 'add' "
	    "AND r.seq = r.root_seq AND r.created_ms < $1::int8 ORDER BY r.created_ms "
	    "LIMIT $2::int8 FOR UPDATE OF r SKIP LOCKED", 2, v, NULL, NULL, &roots, e)) != E_OK)
		goto fail;
	n = PQntuples(roots);
	for (i = 0; i < n && rc == E_OK; i++) {
		const char *sid = PQgetvalue(roots, i, 0), *root = PQgetvalue(roots, i, 1);
		const char *uid = PQgetvalue(roots, i, 2);
		const char *rv[3] = { sid, root, now };
		char what[2] = "rc";
		/* versions and copies that arrive later are purged as they come (ingest) */
		if ((rc = pg_exec(s, "purge", "UPDATE roots SET purged_ms = $3 WHERE station_id = $1 "
		    "AND root_seq = $2", 3, rv, NULL, NULL, NULL, e)) != E_OK)
			break;
		/* every version, then every conflicting copy of those versions */
		for (j = 0; j < 2 && rc == E_OK; j++) {
			int k;
			rc = pg_exec(s, "purge", j == 0 ?
			    "SELECT seq, kind, body, day FROM records WHERE station_id = $1 AND "
			    "root_seq = $2 AND purged_ms IS NULL" :
			    "SELECT c.seq, c.kind, c.body, c.hash FROM conflicts c JOIN records r ON "
			    "r.station_id = c.station_id AND r.seq = c.seq WHERE r.station_id = $1 AND "
			    "r.root_seq = $2 AND c.purged_ms IS NULL", 2, rv, NULL, NULL, &r, e);
			if (rc != E_OK)
				break;
			for (k = 0; k < PQntuples(r) && rc == E_OK; k++) {
				uint64_t seq = (uint64_t)pg_i64(PQgetvalue(r, k, 0));
				const char *uv[5];
				int ul[5] = { 0, 0, 0, 0, 0 }, uf[5] = { 0, 0, 1, 0, 0 };
				if (rewrite(s, uid, seq, what[j], PQgetvalue(r, k, 1),
				    PQgetvalue(r, k, 2), in, plain, &out, &outlen, e) != 0) {
					rc = e->code;
					break;
				}
				uv[0] = sid;
				uv[1] = PQgetvalue(r, k, 0);
				uv[2] = (const char *)out;
				ul[2] = (int)outlen;
				uv[3] = PQgetvalue(r, k, 3);
				uv[4] = now;
				rc = pg_exec(s, "purge", j == 0 ?
				    "UPDATE records SET body = $3, purged_ms = $5 WHERE station_id = $1 "
				    "AND seq = $2 AND day = $4::date" :
				    "UPDATE conflicts SET body = $3, purged_ms = $5 WHERE station_id = $1 "
				    "AND seq = $2 AND hash = $4::bytea", 5, uv, ul, uf, NULL, e);
				free(out);
				if (j == 0)
					nv++;
				else
					nc++;
			}
			PQclear(r);
			r = NULL;
		}
	}
	if (rc != E_OK)
		goto fail;
	if ((rc = pg_commit(s, e)) != E_OK)
		goto done;
	res->records += n;
	res->versions += nv;
	res->conflicts += nc;
	res->done = (size_t)n < max;
	goto done;
fail:
	pg_rollback(s);
done:
	PQclear(roots);
	free(in);
	if (plain != NULL)
		sodium_memzero(plain, WIRE_BODY_MAX + 1);
	free(plain);
	return rc;
}
