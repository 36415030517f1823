/* inside.c — who is inside now, kept as a derived table (like the search terms) so the gate's
 * busiest question never scans every visitor ever registered: an entry puts the visitor in,
 * an exit takes them out, a deleted exit puts them back, a deleted entry takes them out. */
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

int
store_inside(struct logbook *lb, const struct record *r, struct err *e)
{
	if (r->kind == REC_VISITOR && r->action == REC_ADD)
		return run(
		    lb, "INSERT OR IGNORE INTO inside(root_seq) VALUES (?1)", r->root_seq, e);
	if (r->kind == REC_VISITOR && r->action == REC_DELETE)
		return run(lb, "DELETE FROM inside WHERE root_seq = ?1", r->root_seq, e);
	if (r->kind == REC_EXIT && r->action == REC_ADD)
		return run(lb, "DELETE FROM inside WHERE root_seq = ?1", r->ref_seq, e);
	if (r->kind == REC_EXIT && r->action == REC_DELETE)
		/* Back inside, unless the entry itself was deleted meanwhile. */
		return run(lb,
		    "INSERT OR IGNORE INTO inside(root_seq) SELECT x.ref_seq FROM "
		    "records x WHERE x.seq = ?1 AND NOT EXISTS (SELECT 1 FROM records d WHERE "
		    "d.root_seq = x.ref_seq AND d.action = 'delete')",
		    r->root_seq, e);
	return E_OK;
}
