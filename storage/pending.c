/* pending.c — fevers waiting for a recheck, kept as a derived table (like inside-now) so the
 * screen that shows them reads only them, never every temperature ever taken: after each
 * write the record it touched, and the first reading a recheck points at, are looked at
 * again with the same condition the migration filled the table with. */
#include "storage/record.h"
#include "storage/store.h"

static int
run(struct logbook *lb, const char *sql, int64_t v, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb, sql, &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, v);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : store_sqlite_err(lb->db, rc, e);
}

/* Puts root in the table if its latest version is a fever waiting, takes it out if not. */
static int
recheck_root(struct logbook *lb, int64_t root, struct err *e)
{
	int rc;

	if ((rc = run(lb, "DELETE FROM pending WHERE root_seq = ?1", root, e)) != E_OK)
		return rc;
	return run(lb,
	    "INSERT OR IGNORE INTO pending(root_seq) SELECT r.root_seq FROM records r "
	    "WHERE r.root_seq = ?1 AND " STORE_PENDING,
	    root, e);
}

int
store_pending(struct logbook *lb, const struct record *r, struct err *e)
{
	sqlite3_stmt *st;
	int64_t first = 0;
	int rc;

	if (!rec_kind_has_fever(r->kind))
		return E_OK;
	if ((rc = recheck_root(lb, r->root_seq, e)) != E_OK)
		return rc;
	if (r->kind != REC_TEMP)
		return E_OK;
	/* A recheck (any version or its tombstone): the first reading it points at. */
	if ((rc = store_prepare(lb,
		 "SELECT ref_seq FROM records WHERE seq = ?1 AND kind = 'temp' AND "
		 "action = 'add' AND ref_seq IS NOT NULL",
		 &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, r->root_seq);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		first = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	return first > 0 ? recheck_root(lb, first, e) : E_OK;
}
