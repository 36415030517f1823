/* query.c — reading records back: a record's latest version and its history, lists by kind
 * and time, prefix search, visitors inside now, fevers waiting for a recheck, the outing
 * quota and the bins. Every query shows latest versions unless it says otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/bins.h"
#include "storage/clock.h"
#include "storage/inside.h"
#include "storage/query.h"
#include "storage/quota.h"
#include "storage/rechecks.h"
#include "storage/record.h"
#include "storage/store.h"

int
store_row_record(struct logbook *lb, sqlite3_stmt *st, int col, struct record *r, struct err *e)
{
	const char *kind = (const char *)sqlite3_column_text(st, col + 1);
	const char *body = (const char *)sqlite3_column_text(st, col + 3);

	memset(r, 0, sizeof *r);
	r->seq = sqlite3_column_int64(st, col);
	r->kind = rec_kind_parse(kind);
	r->created_ms = sqlite3_column_int64(st, col + 2);
	r->purged = sqlite3_column_type(st, col + 4) != SQLITE_NULL;
	memcpy(r->station_id, lb->station_id, sizeof r->station_id);
	/* body_decode is strict UTF-8 (base/utf8.h) in every string, and the rest is ASCII. */
	if (r->kind < 0 || body == NULL || body_decode(body, r) != 0) {
		lb->unreadable++;
		return err_set(e, E_DAMAGED, _("record %lld cannot be read"), (long long)r->seq);
	}
	r->deleted = r->action == REC_DELETE;
	r->first_ms = r->created_ms;
	if (r->root_seq != 0 && r->root_seq != r->seq) {
		/* A later version: the record's time is its first version's. */
		sqlite3_stmt *q;

		if (store_prepare(lb, "SELECT created_ms FROM records WHERE seq = ?1", &q, e) !=
		    E_OK)
			return E_IO;
		sqlite3_bind_int64(q, 1, r->root_seq);
		if (sqlite3_step(q) == SQLITE_ROW)
			r->first_ms = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
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
		/* One record that cannot be read is left out (and counted), never the rest. */
		if (store_row_record(lb, st, 0, r, NULL) != E_OK)
			continue;
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
	int64_t before;
	int rc;

	r->seq = 0;
	if ((rc = store_prepare(lb,
		 "SELECT " STORE_COLS " FROM records r WHERE r.root_seq = "
		 "(SELECT root_seq FROM records WHERE seq = ?1) ORDER BY r.seq DESC LIMIT 1",
		 &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	before = lb->unreadable;
	if ((rc = each(lb, st, copy_one, r, e)) != E_OK)
		return rc;
	if (r->seq == 0 && lb->unreadable > before)
		return err_set(e, E_DAMAGED,
		    _("record %lld cannot be read (not valid text or not in this outpost's "
		      "format): it is kept as it is; 'outpost check' lists such records"),
		    (long long)seq);
	if (r->seq == 0)
		return err_set(e, E_INVALID, _("no record %lld"), (long long)seq);
	if (r->action != REC_DELETE)
		return E_OK;
	/* A tombstone: give the content it buried, marked deleted. */
	if ((rc = store_prepare(lb,
		 "SELECT " STORE_COLS " FROM records r WHERE r.root_seq = ?1 "
		 "AND r.action <> 'delete' ORDER BY r.seq DESC LIMIT 1",
		 &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, r->root_seq);
	if ((rc = each(lb, st, copy_one, r, e)) != E_OK)
		return rc;
	r->deleted = 1;
	return E_OK;
}

/* The latest mode of rec_list: each first version in range with its head's seq; a record
 * never corrected (nearly all) is that very row, so only corrected ones cost a second read. */
static int
list_latest(
    struct logbook *lb, sqlite3_stmt *st, int with_deleted, rec_cb cb, void *arg, struct err *e)
{
	sqlite3_stmt *head = NULL;
	struct record *r = malloc(sizeof *r);
	int rc, x = E_OK, stop = 0;

	if (r == NULL) {
		sqlite3_finalize(st);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	while (!stop && x == E_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0), last = sqlite3_column_int64(st, 5);

		if (last == seq) {
			if (store_row_record(lb, st, 0, r, NULL) == E_OK)
				stop = cb(r, arg);
			continue;
		}
		if (head == NULL &&
		    (x = store_prepare(lb,
			 "SELECT " STORE_COLS " FROM records r "
			 "WHERE r.seq = ?1",
			 &head, e)) != E_OK)
			break;
		sqlite3_bind_int64(head, 1, last);
		if ((rc = sqlite3_step(head)) != SQLITE_ROW)
			x = store_sqlite_err(lb->db, rc, e);
		else if (store_row_record(lb, head, 0, r, NULL) == E_OK &&
		    (with_deleted || !r->deleted))
			stop = cb(r, arg);
		sqlite3_reset(head);
	}
	if (x == E_OK && !stop && rc != SQLITE_DONE)
		x = store_sqlite_err(lb->db, rc, e);
	sqlite3_finalize(head);
	sqlite3_finalize(st);
	free(r);
	return x;
}

int
rec_list(struct logbook *lb, const struct rec_query *q, rec_cb cb, void *arg, struct err *e)
{
	/* Without statistics SQLite would rather walk the table in seq order than sort a day:
	 * name the index that narrows the rows (a shift, a time range) outright. */
	const char *by = q->shift != 0		   ? " INDEXED BY records_shift"
	    : q->since_ms != 0 || q->until_ms != 0 ? " INDEXED BY records_created"
						   : "";
	char sql[1024];
	sqlite3_stmt *st;
	int rc;

	if (q->history)
		snprintf(sql, sizeof sql,
		    "SELECT " STORE_COLS " FROM records r%s WHERE "
		    "(?1 = '' OR r.kind = ?1) AND r.created_ms >= ?2 AND r.created_ms < ?3 AND "
		    "(?4 = 0 OR r.shift = ?4) ORDER BY r.seq LIMIT ?5",
		    by);
	else
		/* r: the first versions (their time and shift are the record's), with the seq of
		 * each one's latest version. */
		snprintf(sql, sizeof sql,
		    "SELECT " STORE_COLS ", (SELECT max(n.seq) FROM records n "
		    "WHERE n.root_seq = r.seq) FROM records r%s WHERE r.action = 'add' AND "
		    "(?1 = '' OR r.kind = ?1) AND r.created_ms >= ?2 AND r.created_ms < ?3 AND "
		    "(?4 = 0 OR r.shift = ?4) ORDER BY r.seq LIMIT ?5",
		    by);
	if ((rc = store_prepare(lb, sql, &st, e)) != E_OK)
		return rc;
	sqlite3_bind_text(st, 1, q->kind > 0 ? rec_kind_name(q->kind) : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, q->since_ms != 0 ? q->since_ms : INT64_MIN);
	sqlite3_bind_int64(st, 3, q->until_ms != 0 ? q->until_ms : INT64_MAX);
	sqlite3_bind_int64(st, 4, q->shift);
	sqlite3_bind_int64(st, 5, q->limit > 0 ? q->limit : -1);
	if (q->history)
		return each(lb, st, cb, arg, e);
	return list_latest(lb, st, q->with_deleted, cb, arg, e);
}

int
rec_list_newest(struct logbook *lb, int kind, rec_cb cb, void *arg, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb,
		 "SELECT " STORE_COLS ", (SELECT max(n.seq) FROM records n "
		 "WHERE n.root_seq = r.seq) FROM records r INDEXED BY records_kind WHERE "
		 "r.kind = ?1 AND r.action = 'add' ORDER BY r.seq DESC",
		 &st, e)) != E_OK)
		return rc;
	sqlite3_bind_text(st, 1, rec_kind_name(kind), -1, SQLITE_STATIC);
	return list_latest(lb, st, 0, cb, arg, e);
}

struct counted {
	rec_cb cb;
	void *arg;
	int64_t n;
};

static int
count_one(const struct record *r, void *arg)
{
	struct counted *c = arg;

	c->n++;
	return c->cb(r, c->arg);
}

int
rec_history(struct logbook *lb, int64_t seq, rec_cb cb, void *arg, struct err *e)
{
	struct counted c = {cb, arg, 0};
	int64_t before = lb->unreadable;
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb,
		 "SELECT " STORE_COLS " FROM records r WHERE r.root_seq = "
		 "(SELECT root_seq FROM records WHERE seq = ?1) ORDER BY r.seq",
		 &st, e)) != E_OK)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	if ((rc = each(lb, st, count_one, &c, e)) != E_OK)
		return rc;
	if (c.n == 0 && lb->unreadable > before)
		return err_set(e, E_DAMAGED,
		    _("record %lld cannot be read (not valid text or not in this outpost's "
		      "format): it is kept as it is; 'outpost check' lists such records"),
		    (long long)seq);
	return E_OK;
}

/* A statement kept prepared in lb for calls made on every keystroke. */
static int
cached(struct logbook *lb, sqlite3_stmt **slot, const char *sql, struct err *e)
{
	int rc;

	if (*slot != NULL)
		return E_OK;
	rc = sqlite3_prepare_v3(lb->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
	return rc == SQLITE_OK ? E_OK : store_sqlite_err(lb->db, rc, e);
}

static int
cmp_desc(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* One turn of each way: rows of the term range read, records (seq numbers) walked down. A
 * record carries three or four terms, so the two cost about the same on a gate's logbook. */
#define SEARCH_READ_TURN 256
#define SEARCH_WALK_TURN 256

/* The newest roots of the term range, kept as a min-heap of at most limit distinct ones. */
struct newest {
	int64_t *v;
	int n, limit;
};

static void
newest_add(struct newest *h, int64_t root)
{
	int i, c;

	if (h->n == h->limit && root <= h->v[0])
		return;
	for (i = 0; i < h->n; i++) /* one record matching by two of its terms */
		if (h->v[i] == root)
			return;
	if (h->n < h->limit) { /* sift up */
		for (i = h->n++; i > 0 && h->v[(i - 1) / 2] > root; i = (i - 1) / 2)
			h->v[i] = h->v[(i - 1) / 2];
		h->v[i] = root;
		return;
	}
	for (i = 0; (c = 2 * i + 1) < h->n; i = c) { /* replace the least, sift down */
		if (c + 1 < h->n && h->v[c + 1] < h->v[c])
			c++;
		if (h->v[c] >= root)
			break;
		h->v[i] = h->v[c];
	}
	h->v[i] = root;
}

/* The roots whose terms lie in [lo, hi), newest first, at most limit, into roots. Two ways
 * answer it, in turns until one is done: the range read in term order keeping the newest
 * (done at the range's end: cheap when few terms match), and a walk down terms_root newest
 * first, a window of records at a time, keeping each root in the range (done at limit
 * roots: cheap when many match). Both give the same roots, and each turn bounds the work of
 * both, so a prefix costs at most a few times the cheaper way (about twice, less once the
 * walk's finds say which is cheaper): reading a fixed number of terms before choosing paid
 * that number on every short prefix. */
static int
search_roots(struct logbook *lb, const char *lo, const char *hi, size_t hilen, int limit,
    int64_t *roots, int *nroots, struct err *e)
{
	int64_t heap[256], top = 0, start, nread = 0;
	struct newest h = {heap, 0, limit};
	sqlite3_stmt *rd, *wk;
	double walked, read_left, walk_left;
	int rc, i, t, k = 0, by_walk = 0, done = 0, rturns = 1, wturns = 1;

	if ((rc = cached(lb, &lb->st_terms,
		 "SELECT root_seq FROM terms WHERE term >= ?1 AND term < ?2", e)) != E_OK ||
	    (rc = cached(lb, &lb->st_recent,
		 "SELECT root_seq FROM terms INDEXED BY terms_root WHERE root_seq >= ?3 AND "
		 "root_seq < ?4 AND term >= ?1 AND term < ?2 ORDER BY root_seq DESC",
		 e)) != E_OK ||
	    (rc = cached(lb, &lb->st_top, "SELECT max(root_seq) FROM terms", e)) != E_OK)
		return rc;
	if ((rc = sqlite3_step(lb->st_top)) == SQLITE_ROW)
		top = sqlite3_column_int64(lb->st_top, 0) + 1;
	sqlite3_reset(lb->st_top);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	rd = lb->st_terms;
	wk = lb->st_recent;
	/* text: a blob would sort after every text */
	sqlite3_bind_text(rd, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(rd, 2, hi, (int)hilen, SQLITE_STATIC);
	sqlite3_bind_text(wk, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(wk, 2, hi, (int)hilen, SQLITE_STATIC);
	start = top;
	while (!done) {
		for (t = 0; t < rturns && !done; t++) {
			for (i = 0; i < SEARCH_READ_TURN && (rc = sqlite3_step(rd)) == SQLITE_ROW;
			     i++)
				newest_add(&h, sqlite3_column_int64(rd, 0));
			nread += i;
			done = rc != SQLITE_ROW; /* the whole range read (or an error) */
		}
		for (t = 0; t < wturns && !done; t++) {
			if (top <= 1) {
				rc = SQLITE_DONE;
				done = by_walk = 1; /* walked down to the first record */
				break;
			}
			sqlite3_bind_int64(
			    wk, 3, top > SEARCH_WALK_TURN ? top - SEARCH_WALK_TURN : 0);
			sqlite3_bind_int64(wk, 4, top);
			top = top > SEARCH_WALK_TURN ? top - SEARCH_WALK_TURN : 0;
			while (k < limit && (rc = sqlite3_step(wk)) == SQLITE_ROW) {
				int64_t root = sqlite3_column_int64(wk, 0);

				/* rows come in root order, so a repeat is the one before */
				if (k == 0 || roots[k - 1] != root)
					roots[k++] = root;
			}
			sqlite3_reset(wk);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				done = 1;
			else if (k == limit) {
				rc = SQLITE_DONE;
				done = by_walk = 1;
			}
		}
		if (done || k < 4)
			continue;
		/* What the walk found so far says how many terms match and how far the walk has
		 * still to go: the way that looks cheaper gets four turns to the other's one. */
		walked = (double)(start - top);
		read_left = (double)k * (double)start / walked - (double)nread;
		if (read_left < SEARCH_READ_TURN)
			read_left = SEARCH_READ_TURN;
		walk_left = (double)(limit - k) * walked / k;
		rturns = walk_left > 2 * read_left ? 4 : 1;
		wturns = read_left > 2 * walk_left ? 4 : 1;
	}
	sqlite3_reset(rd);
	sqlite3_clear_bindings(rd);
	sqlite3_reset(wk);
	sqlite3_clear_bindings(wk);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	if (by_walk) {
		*nroots = k;
		return E_OK;
	}
	qsort(h.v, (size_t)h.n, sizeof *h.v, cmp_desc);
	memcpy(roots, h.v, (size_t)h.n * sizeof *roots);
	*nroots = h.n;
	return E_OK;
}

int
rec_search(struct logbook *lb, const char *prefix, int limit, rec_cb cb, void *arg, struct err *e)
{
	char lo[REC_TEXT], hi[REC_TEXT + 1];
	int64_t roots[256];
	struct record *r;
	sqlite3_stmt *head;
	int rc, n = 0, i, stop = 0, x = E_OK;
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
	if ((rc = search_roots(lb, lo, hi, len, limit, roots, &n, e)) != E_OK ||
	    (rc = cached(lb, &lb->st_head,
		 "SELECT " STORE_COLS
		 " FROM records r WHERE r.root_seq = ?1 ORDER BY r.seq DESC LIMIT 1",
		 e)) != E_OK)
		return rc;
	head = lb->st_head;
	if ((r = malloc(sizeof *r)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	/* Terms exist only for live latest versions, so the head is what to show. */
	for (i = 0; i < n && !stop && x == E_OK; i++) {
		sqlite3_bind_int64(head, 1, roots[i]);
		if ((rc = sqlite3_step(head)) == SQLITE_ROW) {
			if (store_row_record(lb, head, 0, r, NULL) == E_OK && !r->deleted)
				stop = cb(r, arg);
		} else if (rc != SQLITE_DONE) {
			x = store_sqlite_err(lb->db, rc, e);
		}
		sqlite3_reset(head);
	}
	free(r);
	return x;
}

/* The latest versions of the records a derived table (inside, pending) lists by root_seq,
 * oldest first: both tables are kept on every write, so this reads only what they hold. */
static int
each_listed(struct logbook *lb, const char *sql, rec_cb cb, void *arg, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_prepare(lb, sql, &st, e)) != E_OK)
		return rc;
	return each(lb, st, cb, arg, e);
}

#define LISTED_IN(t) \
	"SELECT " STORE_COLS " FROM " t " l CROSS JOIN records r ON r.root_seq = l.root_seq " \
	"WHERE " STORE_LATEST " ORDER BY l.root_seq"

int
rec_inside_now(struct logbook *lb, rec_cb cb, void *arg, struct err *e)
{
	return each_listed(lb, LISTED_IN("inside"), cb, arg, e);
}

int64_t
rec_inside_count(struct logbook *lb)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	if (store_prepare(lb, "SELECT count(*) FROM inside", &st, NULL) != E_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
rec_rechecks_pending(struct logbook *lb, rec_cb cb, void *arg, struct err *e)
{
	/* Soonest due first: a fever of a kind with its due time in the body. */
	return each_listed(lb,
	    "SELECT " STORE_COLS " FROM pending l CROSS JOIN records r ON r.root_seq = "
	    "l.root_seq WHERE " STORE_LATEST " ORDER BY json_extract(r.body, "
	    "'$.data.recheck_due'), l.root_seq",
	    cb, arg, e);
}

int64_t
rec_rechecks_count(struct logbook *lb)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	if (store_prepare(lb, "SELECT count(*) FROM pending", &st, NULL) != E_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
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
	if ((rc = store_prepare(lb,
		 "SELECT count(*) FROM records r JOIN records o ON "
		 "o.seq = r.root_seq WHERE r.kind = 'resident' AND "
		 "json_extract(r.body, '$.data.household') = ?3 AND " STORE_LATEST " AND "
		 "r.action <> 'delete' AND json_extract(r.body, '$.data.direction') = 'out' AND "
		 "o.created_ms >= ?1 AND (o.created_ms + o.tz_min * 60000) / 86400000 >= ?2",
		 &st, e)) != E_OK)
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
rec_bins(
    struct logbook *lb, int (*cb)(const struct bin_status *b, void *arg), void *arg, struct err *e)
{
	int64_t now = clock_now_ms(), window;
	struct bin_status b;
	sqlite3_stmt *st;
	int rc;

	window = (int64_t)settings_get_int(lb, "bin_window_hours") * 3600000;
	if ((rc = store_prepare(lb,
		 "SELECT r.root_seq, json_extract(r.body, '$.data.code'), "
		 "json_extract(r.body, '$.data.place'), o.created_ms, (SELECT max(co.created_ms) "
		 "FROM "
		 "records c JOIN records co ON co.seq = c.root_seq WHERE c.kind = 'collection' AND "
		 "json_extract(c.body, '$.data.bin') = json_extract(r.body, '$.data.code') AND "
		 "c.action <> 'delete' AND NOT EXISTS (SELECT 1 FROM records n WHERE "
		 "n.root_seq = c.root_seq AND n.seq > c.seq)) FROM records r JOIN records o ON "
		 "o.seq = r.root_seq WHERE r.kind = 'bin' AND " STORE_LATEST " AND "
		 "r.action <> 'delete' ORDER BY 2",
		 &st, e)) != E_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&b, 0, sizeof b);
		b.seq = sqlite3_column_int64(st, 0);
		snprintf(b.code, sizeof b.code, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(b.place, sizeof b.place, "%s",
		    sqlite3_column_type(st, 2) == SQLITE_NULL
			? ""
			: (const char *)sqlite3_column_text(st, 2));
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
