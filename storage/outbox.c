/* outbox.c — the records as sync sees them: immutable rows read in seq order after the
 * hub's acknowledged high-water mark, hashed the way the hub hashes them. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "storage/outbox.h"
#include "storage/store.h"

static void
le64(uint8_t out[8], int64_t v)
{
	uint64_t u = (uint64_t)v;
	int i;

	for (i = 0; i < 8; i++)
		out[i] = (uint8_t)(u >> (8 * i));
}

void
outbox_hash(const struct outbox_row *row, uint8_t out[OUTBOX_HASH_LEN])
{
	crypto_generichash_state h;
	uint8_t n[8];

	crypto_generichash_init(&h, NULL, 0, OUTBOX_HASH_LEN);
	crypto_generichash_update(
	    &h, (const uint8_t *)row->station_id, strlen(row->station_id) + 1);
	le64(n, row->seq);
	crypto_generichash_update(&h, n, 8);
	crypto_generichash_update(&h, (const uint8_t *)row->kind, strlen(row->kind) + 1);
	le64(n, row->created_ms);
	crypto_generichash_update(&h, n, 8);
	crypto_generichash_update(&h, (const uint8_t *)row->body, row->body_len);
	crypto_generichash_final(&h, out, OUTBOX_HASH_LEN);
}

int
outbox_read(struct logbook *lb, int64_t after, size_t max_rows, size_t max_bytes,
    int (*cb)(const struct outbox_row *row, void *arg), void *arg, int64_t *last, struct err *e)
{
	struct outbox_row row;
	sqlite3_stmt *st;
	size_t rows = 0, bytes = 0;
	int rc;

	if (last != NULL)
		*last = after;
	if ((rc = store_prepare(lb,
		 "SELECT seq, kind, created_ms, body FROM records WHERE "
		 "seq > ?1 ORDER BY seq",
		 &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, after);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof row);
		memcpy(row.station_id, lb->station_id, sizeof row.station_id);
		row.seq = sqlite3_column_int64(st, 0);
		snprintf(row.kind, sizeof row.kind, "%s", (const char *)sqlite3_column_text(st, 1));
		row.created_ms = sqlite3_column_int64(st, 2);
		row.body = (const char *)sqlite3_column_text(st, 3);
		row.body_len = (size_t)sqlite3_column_bytes(st, 3);
		if (rows > 0 && max_bytes > 0 && bytes + row.body_len > max_bytes)
			break;
		outbox_hash(&row, row.hash);
		rows++;
		bytes += row.body_len;
		if (last != NULL)
			*last = row.seq;
		if (cb(&row, arg) != 0 || (max_rows > 0 && rows >= max_rows))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	return E_OK;
}

static int64_t
one_int(struct logbook *lb, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = 0;

	if (store_prepare(lb, sql, &st, NULL) != E_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int64_t
outbox_acked(struct logbook *lb)
{
	return one_int(lb, "SELECT acked_seq FROM outbox WHERE id = 1");
}

int64_t
outbox_last_seq(struct logbook *lb)
{
	return one_int(lb, "SELECT coalesce(max(seq), 0) FROM records");
}

int64_t
outbox_pending(struct logbook *lb)
{
	int64_t n = outbox_last_seq(lb) - outbox_acked(lb);

	return n > 0 ? n : 0;
}

int
outbox_set_acked(struct logbook *lb, int64_t hw, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (hw > outbox_last_seq(lb))
		return err_set(e, E_INVALID,
		    _("the hub acknowledged seq %lld, beyond the last "
		      "record %lld"),
		    (long long)hw, (long long)outbox_last_seq(lb));
	if ((rc = store_prepare(lb,
		 "UPDATE outbox SET acked_seq = max(acked_seq, ?1) WHERE "
		 "id = 1",
		 &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, hw);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : store_sqlite_err(lb->db, rc, e);
}

int
outbox_decode(const struct outbox_row *row, struct record *r, struct err *e)
{
	int kind = rec_kind_parse(row->kind);

	memset(r, 0, sizeof *r);
	r->kind = kind;
	if (kind < 0 || row->body == NULL || body_decode(row->body, r) != 0)
		return err_set(e, E_INVALID,
		    _("record %lld is not in a format this outpost "
		      "reads"),
		    (long long)row->seq);
	snprintf(r->station_id, sizeof r->station_id, "%s", row->station_id);
	r->seq = row->seq;
	r->created_ms = row->created_ms;
	r->deleted = r->action == REC_DELETE;
	return E_OK;
}
