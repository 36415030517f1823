/* quarantine.c — records that cannot be read, counted; hub items that cannot be taken,
 * kept aside with their reason. */
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "storage/clock.h"
#include "storage/quarantine.h"
#include "storage/store.h"

int
quarantine_scan(struct logbook *lb, struct quarantine_status *q, struct err *e)
{
	struct record *r;
	sqlite3_stmt *st;
	int rc;

	memset(q, 0, sizeof *q);
	if ((rc = store_prepare(lb, "SELECT " STORE_COLS " FROM records r ORDER BY r.seq", &st,
		 e)) != E_OK)
		return rc;
	if ((r = malloc(sizeof *r)) == NULL) {
		sqlite3_finalize(st);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (store_row_record(lb, st, 0, r, NULL) == E_OK)
			continue;
		if (q->nfirst < QUARANTINE_FIRST)
			q->first[q->nfirst++] = sqlite3_column_int64(st, 0);
		q->records++;
	}
	free(r);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	if ((rc = store_prepare(lb, "SELECT count(*) FROM quarantine", &st, e)) != E_OK)
		return rc;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		q->items = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? E_OK : store_sqlite_err(lb->db, rc, e);
}

int64_t
quarantine_skipped(const struct logbook *lb)
{
	return lb->unreadable;
}

int
quarantine_item(struct logbook *lb, const char *what, const char *key, int64_t version,
    const char *reason, struct err *e)
{
	char k[1024], why[512];
	sqlite3_stmt *st;
	int rc;

	text_escape(key, k, sizeof k);
	text_escape(reason, why, sizeof why);
	if ((rc = store_prepare(lb,
		 "INSERT INTO quarantine(what, key, version, reason, seen_ms) VALUES "
		 "(?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
		 &st, e)) != E_OK)
		return rc;
	sqlite3_bind_text(st, 1, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, k, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, version);
	sqlite3_bind_text(st, 4, why, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, clock_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : store_sqlite_err(lb->db, rc, e);
}

int
quarantine_items(struct logbook *lb,
    int (*cb)(const char *what, const char *key, int64_t version, const char *reason,
	void *arg),
    void *arg, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb,
		 "SELECT what, key, version, reason FROM quarantine ORDER BY seen_ms, rowid", &st,
		 e)) != E_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb((const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2),
			(const char *)sqlite3_column_text(st, 3), arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : store_sqlite_err(lb->db, rc, e);
}
