/* terms.c — the prefix-search index: one row (term, record) per ID number, plate, phone and
 * name of each record's latest version, folded so "粤b 12345" finds "粤B12345". A B-tree range
 * on term answers each keystroke. */
#include <stdio.h>
#include <string.h>

#include "storage/fields.h"
#include "storage/record.h"
#include "storage/store.h"
#include "storage/validate.h"

void
store_fold(const char *in, char *out, size_t n)
{
	if (validate_fold(in, out, n) < 0)
		snprintf(out, n, "%s", in);
}

int
store_terms(struct logbook *lb, int64_t root, const struct record *r, struct err *e)
{
	const struct rec_field *f;
	sqlite3_stmt *st;
	char term[REC_TEXT];
	size_t n, i;
	int rc;

	if ((rc = store_prepare(lb, "DELETE FROM terms WHERE root_seq = ?1", &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, root);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	if (r == NULL || r->purged)
		return E_OK;
	f = rec_fields(r->kind, &n);
	if ((rc = store_prepare(lb,
		 "INSERT OR IGNORE INTO terms(term, root_seq, field) "
		 "VALUES (?1, ?2, ?3)",
		 &st, e)) != E_OK)
		return rc;
	for (i = 0; i < n; i++) {
		const char *v = (const char *)r + f[i].off;

		if (!(f[i].flags & (FF_IDNUM | FF_PLATE | FF_PHONE | FF_NAME)) || *v == '\0')
			continue;
		store_fold(v, term, sizeof term);
		if (term[0] == '\0')
			continue;
		sqlite3_bind_text(st, 1, term, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, root);
		sqlite3_bind_text(st, 3, f[i].name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(st);
			return store_sqlite_err(lb->db, rc, e);
		}
	}
	sqlite3_finalize(st);
	return E_OK;
}
