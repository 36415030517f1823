/* purge.c — retention: the personal fields of records older than retention_days are blanked
 * in every version (the only change ever made to a stored row, marked by purged_ms); kinds,
 * times, flags and counts stay, so reports of old days still add up. */
#include <stdlib.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/fields.h"
#include "storage/purge.h"
#include "storage/record.h"
#include "storage/store.h"

int64_t
rec_purge_blank(struct record *r)
{
	const struct rec_field *f;
	size_t n, i;
	int64_t c = 0;

	f = rec_fields(r->kind, &n);
	for (i = 0; i < n; i++) {
		char *v = (char *)r + f[i].off;

		if (!(f[i].flags & FF_PERSONAL) || f[i].type != FT_TEXT)
			continue;
		c += v[0] != '\0';
		memset(v, 0, f[i].size);
	}
	return c;
}

int
rec_purge(struct logbook *lb, struct purge_result *res, struct err *e)
{
	int64_t now = clock_now_ms(), *seqs = NULL, *np;
	size_t nseq = 0, cap = 0, i;
	sqlite3_stmt *st = NULL, *up = NULL;
	struct record *r;
	char *body;
	int rc;

	memset(res, 0, sizeof *res);
	res->cutoff_ms = now - (int64_t)settings_get_int(lb, "retention_days") * 86400000;
	if ((r = malloc(sizeof *r)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if ((rc = store_begin(lb, e)) != E_OK) {
		free(r);
		return rc;
	}
	if ((rc = store_prepare(lb,
		 "SELECT r.seq FROM records r JOIN records o ON o.seq = "
		 "r.root_seq WHERE r.purged_ms IS NULL AND o.created_ms < ?1 ORDER BY r.seq",
		 &st, e)) != E_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, res->cutoff_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nseq == cap) {
			cap = cap ? cap * 2 : 256;
			if ((np = realloc(seqs, cap * sizeof *seqs)) == NULL) {
				rc = err_set(e, E_IO, "%s", _("out of memory"));
				goto fail;
			}
			seqs = np;
		}
		seqs[nseq++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		rc = store_sqlite_err(lb->db, rc, e);
		goto fail;
	}
	if ((rc = store_prepare(
		 lb, "SELECT " STORE_COLS ", r.root_seq FROM records r WHERE r.seq = ?1", &st, e)) !=
		E_OK ||
	    (rc = store_prepare(lb,
		 "UPDATE records SET purged_ms = ?1, "
		 "body = ?2 WHERE seq = ?3",
		 &up, e)) != E_OK)
		goto fail;
	for (i = 0; i < nseq; i++) {
		sqlite3_bind_int64(st, 1, seqs[i]);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			rc = store_sqlite_err(lb->db, rc, e);
			goto fail;
		}
		if (store_row_record(lb, st, 0, r, NULL) != E_OK) {
			/* It cannot be read, so its personal fields cannot be told apart: the
			 * whole body is blanked (retention holds), the rest goes on. */
			int64_t root = sqlite3_column_int64(st, 5);

			sqlite3_reset(st);
			res->unreadable++;
			sqlite3_bind_int64(up, 1, now);
			sqlite3_bind_text(up, 2, "{}", -1, SQLITE_STATIC);
			sqlite3_bind_int64(up, 3, seqs[i]);
			rc = sqlite3_step(up);
			sqlite3_reset(up);
			if (rc != SQLITE_DONE) {
				rc = store_sqlite_err(lb->db, rc, e);
				goto fail;
			}
			if ((rc = store_terms(lb, root, NULL, e)) != E_OK)
				goto fail;
			continue;
		}
		sqlite3_reset(st);
		res->fields += rec_purge_blank(r);
		if (r->action == REC_ADD) {
			res->records++;
			res->per_kind[r->kind]++;
		}
		if ((body = body_encode(r)) == NULL) {
			rc = err_set(e, E_IO, "%s", _("out of memory"));
			goto fail;
		}
		sqlite3_bind_int64(up, 1, now);
		sqlite3_bind_text(up, 2, body, -1, free);
		sqlite3_bind_int64(up, 3, seqs[i]);
		rc = sqlite3_step(up);
		sqlite3_reset(up);
		if (rc != SQLITE_DONE) {
			rc = store_sqlite_err(lb->db, rc, e);
			goto fail;
		}
		if ((rc = store_terms(lb, r->root_seq, NULL, e)) != E_OK)
			goto fail;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	free(seqs);
	free(r);
	return store_commit(lb, e);
fail:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	store_rollback(lb);
	free(seqs);
	free(r);
	return rc;
}
