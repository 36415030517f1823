/* query.c — reading records back: a record's latest version and its history, lists by kind
 * and time, prefix search, visitors inside now, fevers waiting for a recheck, the outing
 * quota and the bins. Every query shows latest versions unless it says otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/record.h"
#include "storage/store.h"

int
store_row_record(struct logbook *lb, sqlite3_stmt *st, int col, struct record *r,
    struct err *e)
{
	const char *kind = (const char *)sqlite3_column_text(st, col + 1);
	const char *body = (const char *)sqlite3_column_text(st, col + 3);

	memset(r, 0, sizeof *r);
	r->seq = sqlite3_column_int64(st, col);
	r->kind = rec_kind_parse(kind);
	r->created_ms = sqlite3_column_int64(st, col + 2);
	r->purged = sqlite3_column_type(st, col + 4) != SQLITE_NULL;
	memcpy(r->station_id, lb->station_id, sizeof r->station_id);
	if (r->kind < 0 || body == NULL || body_decode(body, r) != 0)
		return err_set(e, E_DAMAGED, _("record %lld cannot be read"), (long long)r->seq);
	r->deleted = r->action == REC_DELETE;
	return E_OK;
}

/* Runs st (already bound) and calls cb per row. */
static int
each(struct logbook *lb, sqlite3_stmt *st, rec_cb cb, void *arg, struct err *e)
{
	struct record *r = malloc(sizeof *r);
	int rc, x = E_OK;

	if (r == NULL) {
		sqlite3_finalize(st);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((x = store_row_record(lb, st, 0, r, e)) != E_OK)
			break;
		if (cb(r, arg) != 0)
			break;
	}
	if (x == E_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		x = store_sqlite_err(lb->db, rc, e);
	sqlite3_finalize(st);
	free(r);
	return x;
}

static int
copy_one(const struct record *r, void *arg)
{
	*(struct record *)arg = *r;
	return 1;
}

int
rec_get(struct logbook *lb, int64_t seq, struct record *r, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	r->seq = 0;
	if ((rc = store_prepare(lb, "SELECT " STORE_COLS " FROM records r WHERE r.root_seq = "
	    "(SELECT root_seq FROM records WHERE seq = ?1) ORDER BY r.seq DESC LIMIT 1", &st,
	    e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	if ((rc = each(lb, st, copy_one, r, e)) != E_OK)
		return rc;
	if (r->seq == 0)
		return err_set(e, E_INVALID, _("no record %lld"), (long long)seq);
	if (r->action != REC_DELETE)
		return E_OK;
	/* A tombstone: give the content it buried, marked deleted. */
	if ((rc = store_prepare(lb, "SELECT " STORE_COLS " FROM records r WHERE r.root_seq = ?1 "
	    "AND r.action <> 'delete' ORDER BY r.seq DESC LIMIT 1", &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, r->root_seq);
	if ((rc = each(lb, st, copy_one, r, e)) != E_OK)
		return rc;
	r->deleted = 1;
	return E_OK;
}

int
rec_list(struct logbook *lb, const struct rec_query *q, rec_cb cb, void *arg, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (q->history)
		rc = store_prepare(lb, "SELECT " STORE_COLS " FROM records r WHERE "
		    "(?1 = '' OR r.kind = ?1) AND r.created_ms >= ?2 AND r.created_ms < ?3 AND "
		    "(?4 = 0 OR r.shift = ?4) ORDER BY r.seq LIMIT ?5", &st, e);
	else
		rc = store_prepare(lb, "SELECT " STORE_COLS " FROM records o JOIN records r ON "
		    "r.root_seq = o.seq WHERE (?1 = '' OR o.kind = ?1) AND o.created_ms >= ?2 AND "
		    "o.created_ms < ?3 AND (?4 = 0 OR o.shift = ?4) AND " STORE_LATEST
		    " AND (?6 OR r.action <> 'delete') ORDER BY o.seq LIMIT ?5", &st, e);
	if (rc != E_OK)
		return rc;
	sqlite3_bind_text(st, 1, q->kind > 0 ? rec_kind_name(q->kind) : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, q->since_ms != 0 ? q->since_ms : INT64_MIN);
	sqlite3_bind_int64(st, 3, q->until_ms != 0 ? q->until_ms : INT64_MAX);
	sqlite3_bind_int64(st, 4, q->shift);
	sqlite3_bind_int64(st, 5, q->limit > 0 ? q->limit : -1);
	if (!q->history)
		sqlite3_bind_int(st, 6, q->with_deleted);
	return each(lb, st, cb, arg, e);
}

int
rec_history(struct logbook *lb, int64_t seq, rec_cb cb, void *arg, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb, "SELECT " STORE_COLS " FROM records r WHERE r.root_seq = "
	    "(SELECT root_seq FROM records WHERE seq = ?1) ORDER BY r.seq", &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	return each(lb, st, cb, arg, e);
}

int
rec_search(struct logbook *lb, const char *prefix, int limit, rec_cb cb, void *arg,
    struct err *e)
{
	char lo[REC_TEXT], hi[REC_TEXT + 1];
	int64_t roots[256];
	struct record *r;
	sqlite3_stmt *st;
	int rc, n = 0, i, stop = 0;
	size_t len;

	if (limit <= 0)
		limit = 50;
	if (limit > 256)
		limit = 256;
	store_fold(prefix, lo, sizeof lo);
	if ((len = strlen(lo)) == 0)
		return E_OK;
	/* The smallest string greater than every one with this prefix. */
	memcpy(hi, lo, len + 1);
	while (len > 0 && (unsigned char)hi[len - 1] == 0xff)
		hi[--len] = '\0';
	if (len == 0)
		return E_OK;
	hi[len - 1]++;
	if ((rc = store_prepare(lb, "SELECT root_seq FROM terms WHERE term >= ?1 AND term < ?2",
	    &st, e)) != E_OK)
		return rc;
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, (int)len, SQLITE_STATIC);	/* text: a blob sorts after all text */
	while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t root = sqlite3_column_int64(st, 0);

		for (i = 0; i < n && roots[i] != root; i++)
			;
		if (i == n)
			roots[n++] = root;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	if ((r = malloc(sizeof *r)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	for (i = 0; i < n && !stop; i++) {
		if ((rc = rec_get(lb, roots[i], r, e)) != E_OK)
			break;
		if (!r->deleted)
			stop = cb(r, arg);
	}
	free(r);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? E_OK : rc;
}

int
rec_inside_now(struct logbook *lb, rec_cb cb, void *arg, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb, "SELECT " STORE_COLS " FROM records r WHERE "
	    "r.kind = 'visitor' AND " STORE_LATEST " AND r.action <> 'delete' AND NOT EXISTS "
	    "(SELECT 1 FROM records x WHERE x.ref_seq = r.root_seq AND x.kind = 'exit' AND "
	    "x.action = 'add' AND NOT EXISTS (SELECT 1 FROM records d WHERE d.root_seq = x.seq "
	    "AND d.action = 'delete')) ORDER BY r.root_seq", &st, e)) != E_OK)
		return rc;
	return each(lb, st, cb, arg, e);
}

int
rec_rechecks_pending(struct logbook *lb, rec_cb cb, void *arg, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb, "SELECT " STORE_COLS " FROM records r WHERE "
	    "r.kind = 'temp' AND " STORE_LATEST " AND r.action <> 'delete' AND "
	    "json_extract(r.body, '$.data.fever') = 1 AND "
	    "json_extract(r.body, '$.data.recheck_of') = 0 AND NOT EXISTS "
	    "(SELECT 1 FROM records c WHERE c.kind = 'temp' AND " 
	    "json_extract(c.body, '$.data.recheck_of') = r.root_seq AND c.action <> 'delete' AND "
	    "NOT EXISTS (SELECT 1 FROM records n WHERE n.root_seq = c.root_seq AND n.seq > c.seq))"
	    " ORDER BY r.root_seq", &st, e)) != E_OK)
		return rc;
	return each(lb, st, cb, arg, e);
}

static void
parse_quota(struct logbook *lb, int *persons, int *days)
{
	char buf[32];

	*persons = 1;
	*days = 2;
	if (settings_get(lb, "outing_quota", buf, sizeof buf, NULL) == E_OK &&
	    sscanf(buf, "%d/%d", persons, days) == 2 && *persons > 0 && *days > 0)
		return;
	*persons = 1;
	*days = 2;
}

int
rec_quota(struct logbook *lb, const char *household, struct quota_status *q, struct err *e)
{
	int64_t now = clock_now_ms(), today = clock_day(now, clock_tz_min(now));
	char norm[REC_WORD];
	sqlite3_stmt *st;
	int rc;

	memset(q, 0, sizeof *q);
	parse_quota(lb, &q->persons, &q->days);
	snprintf(norm, sizeof norm, "%s", household);
	for (char *p = norm; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p -= 'a' - 'A';
	/* Each passage counts on its own local day (its own offset), so a clock or zone change
	 * never moves an old passage; passages "in the future" of a clock set back count too. */
	if ((rc = store_prepare(lb, "SELECT count(*) FROM records o JOIN records r ON "
	    "r.root_seq = o.seq WHERE o.kind = 'resident' AND o.action = 'add' AND "
	    "o.created_ms >= ?1 AND (o.created_ms + o.tz_min * 60000) / 86400000 >= ?2 AND "
	    STORE_LATEST " AND r.action <> 'delete' AND "
	    "json_extract(r.body, '$.data.household') = ?3 AND "
	    "json_extract(r.body, '$.data.direction') = 'out'", &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, (today - q->days - 1) * 86400000LL);
	sqlite3_bind_int64(st, 2, today - q->days + 1);
	sqlite3_bind_text(st, 3, norm, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	q->used = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_sqlite_err(lb->db, rc, e);
	q->exceeded = q->used >= q->persons;
	return E_OK;
}

int
rec_bins(struct logbook *lb, int (*cb)(const struct bin_status *b, void *arg), void *arg,
    struct err *e)
{
	int64_t now = clock_now_ms(), window;
	struct bin_status b;
	sqlite3_stmt *st;
	int rc;

	window = (int64_t)settings_get_int(lb, "bin_window_hours") * 3600000;
	if ((rc = store_prepare(lb, "SELECT r.root_seq, json_extract(r.body, '$.data.code'), "
	    "json_extract(r.body, '$.data.place'), o.created_ms, (SELECT max(co.created_ms) FROM "
	    "records c JOIN records co ON co.seq = c.root_seq WHERE c.kind = 'collection' AND "
	    "json_extract(c.body, '$.data.bin') = json_extract(r.body, '$.data.code') AND "
	    "c.action <> 'delete' AND NOT EXISTS (SELECT 1 FROM records n WHERE "
	    "n.root_seq = c.root_seq AND n.seq > c.seq)) FROM records r JOIN records o ON "
	    "o.seq = r.root_seq WHERE r.kind = 'bin' AND " STORE_LATEST " AND "
	    "r.action <> 'delete' ORDER BY 2", &st, e)) != E_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&b, 0, sizeof b);
		b.seq = sqlite3_column_int64(st, 0);
		snprintf(b.code, sizeof b.code, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(b.place, sizeof b.place, "%s", sqlite3_column_type(st, 2) == SQLITE_NULL ?
		    "" : (const char *)sqlite3_column_text(st, 2));
		b.last_ms = sqlite3_column_int64(st, 4);
		b.due_ms = (b.last_ms != 0 ? b.last_ms : sqlite3_column_int64(st, 3)) + window;
		b.overdue = now > b.due_ms;
		if (cb(&b, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : store_sqlite_err(lb->db, rc, e);
}

void
store_day_bounds(int64_t day, int64_t *from, int64_t *until)
{
	/* Local midnight at the offset in force then (twice, to settle across a change). */
	int64_t t = day * 86400000LL;

	*from = t - (int64_t)clock_tz_min(t - (int64_t)clock_tz_min(t) * 60000) * 60000;
	t = (day + 1) * 86400000LL;
	*until = t - (int64_t)clock_tz_min(t - (int64_t)clock_tz_min(t) * 60000) * 60000;
}
