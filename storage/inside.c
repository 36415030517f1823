/* inside.c — who is inside now, kept as a derived table (like the search terms) so the gate's
 * busiest question never scans every visitor ever registered: an entry puts the visitor in,
 * an exit takes them out, a deleted exit puts them back, a deleted entry takes them out. */
#include "storage/inside.h"
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

int
rec_inside_find(struct logbook *lb, const char *id_number, int64_t except_root, int64_t *seq,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	char term[REC_TEXT];

	*seq = 0;
	if (id_number[0] == '\0')
		return 0;
	/* The search index narrows to the records with this ID number (its folded form is
	 * never narrower than an exact match), so the cost does not grow with everyone who
	 * never logged an exit; the exact number is then compared on the latest version. */
	store_fold(id_number, term, sizeof term);
	if (store_prepare(lb,
		"SELECT l.root_seq FROM terms t CROSS JOIN inside l ON l.root_seq = t.root_seq "
		"CROSS JOIN records r ON r.root_seq = l.root_seq WHERE t.term = ?3 AND "
		"t.field = 'id_number' AND " STORE_LATEST " AND l.root_seq <> ?2 AND "
		"json_extract(r.body, '$.data.id_number') = ?1 ORDER BY l.root_seq LIMIT 1",
		&st, e) != E_OK)
		return -1;
	sqlite3_bind_text(st, 1, id_number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, except_root);
	sqlite3_bind_text(st, 3, term, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_sqlite_err(lb->db, rc, e);
		return -1;
	}
	return rc == SQLITE_ROW;
}
