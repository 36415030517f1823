/* store.h — private to storage/: the open logbook's struct and the helpers the record,
 * query, report, purge, watchlist and outbox files share. Not for other layers. */
#ifndef OUTPOST_STORE_H
#define OUTPOST_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "base/err.h"
#include "storage/logbook.h"
#include "storage/record.h"

struct logbook {
	sqlite3 *db; /* not owned, unless vault is set */
	struct vault *vault; /* set by logbook_unlock_file/logbook_create_file: lb owns it and db */
	char station_id[LOGBOOK_ID_LEN + 1];
	int kind; /* enum station_kind */
	char operator_name[REC_NAME];
	int64_t shift;
	int nested; /* store_begin savepoints open inside the caller's transaction */
	int64_t unreadable; /* rows left out of reads since open: their body cannot be decoded */
	/* kept prepared for search as you type */
	sqlite3_stmt *st_terms, *st_recent, *st_top, *st_head;
};

/* SQLite failure → err (E_DAMAGED for a page that failed authentication, else E_IO). */
int store_sqlite_err(sqlite3 *db, int rc, struct err *e);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; a savepoint when the caller has a transaction open. */
int store_begin(struct logbook *lb, struct err *e);
int store_commit(struct logbook *lb, struct err *e);
void store_rollback(struct logbook *lb);
/* Prepares sql or sets e. */
int store_prepare(struct logbook *lb, const char *sql, sqlite3_stmt **st, struct err *e);

/* The canonical body of r (envelope and fields) as JSON: malloc'ed, caller frees. */
char *body_encode(const struct record *r);
/* Fills r's envelope and fields from body (r->kind must be set); -1 if malformed. */
int body_decode(const char *body, struct record *r);

/* Reads a records row (seq, kind, created_ms, body, purged_ms — in this column order,
 * starting at column col) into r. A body that is not strict UTF-8 or not a record of this
 * format is E_DAMAGED and counted in lb->unreadable: readers leave it out and go on. */
int store_row_record(
    struct logbook *lb, sqlite3_stmt *st, int col, struct record *r, struct err *e);
#define STORE_COLS "r.seq, r.kind, r.created_ms, r.body, r.purged_ms"
/* The SQL condition "r is the latest version of its record". */
#define STORE_LATEST                                                                               \
	"NOT EXISTS (SELECT 1 FROM records n WHERE n.root_seq = r.root_seq AND n.seq > r.seq)"

/* Normalizes a search term or query: folds (validate_fold), else copies. */
void store_fold(const char *in, char *out, size_t n);
/* Replaces the search terms of root with those of r (none if r is NULL). */
int store_terms(struct logbook *lb, int64_t root, const struct record *r, struct err *e);

/* The SQL condition "r is a fever waiting for its recheck": a first reading at or above the
 * threshold with a recheck due (none once released on a reason), r its live latest version,
 * with no live recheck pointing at it. Which kinds carry fevers is their entries' KE_FEVER
 * (store_pending asks only of those), not written here again. */
#define STORE_PENDING                                                                              \
	"json_extract(r.body, '$.data.fever') = 1 AND "                                            \
	"json_extract(r.body, '$.data.recheck_due') > 0 AND "                                      \
	"coalesce(json_extract(r.body, '$.data.recheck_of'), 0) = 0 AND " STORE_LATEST " AND "     \
	"r.action <> 'delete' AND NOT EXISTS (SELECT 1 FROM records c WHERE "                      \
	"c.ref_seq = r.root_seq AND c.kind = 'temp' AND c.action = 'add' AND NOT EXISTS "          \
	"(SELECT 1 FROM records d WHERE d.root_seq = c.seq AND d.action = 'delete'))"
/* Keeps the fevers-waiting table up to date after r was appended. */
int store_pending(struct logbook *lb, const struct record *r, struct err *e);

/* Keeps the inside-now table up to date after r was appended. */
int store_inside(struct logbook *lb, const struct record *r, struct err *e);

/* Inserts r (envelope already complete except seq) as the next seq; sets r->seq (and
 * r->root_seq when action is REC_ADD). Inside a transaction. */
int store_append(struct logbook *lb, struct record *r, struct err *e);

#endif
