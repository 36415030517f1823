/* report.c — the counts of a day or a shift: records per kind, fevers and their outcome,
 * flags, quota, alerts, visitors inside, bins collected and overdue, records per hour. */
#include <stdio.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/record.h"
#include "storage/bins.h"
#include "storage/inside.h"
#include "storage/kind.h"
#include "storage/query.h"
#include "storage/rechecks.h"
#include "storage/report.h"
#include "storage/store.h"

struct tally {
	struct logbook *lb;
	struct report *rep;
	sqlite3_stmt *rechecked; /* prepared once per report */
};

static int
rechecked(struct tally *t, int64_t root)
{
	int found;

	if (t->rechecked == NULL &&
	    store_prepare(t->lb,
		"SELECT 1 FROM records c WHERE "
		"c.ref_seq = ?1 AND c.kind = 'temp' AND c.action = 'add' AND NOT EXISTS (SELECT 1 "
		"FROM records d WHERE d.root_seq = c.seq AND d.action = 'delete')",
		&t->rechecked, NULL) != E_OK)
		return 0;
	sqlite3_bind_int64(t->rechecked, 1, root);
	found = sqlite3_step(t->rechecked) == SQLITE_ROW;
	sqlite3_reset(t->rechecked);
	return found;
}

void
report_tally_kind(const struct record *r, struct report *rep)
{
	const struct kind_entry *k = kind_entry(r->kind);

	if (k != NULL && k->tally != NULL)
		k->tally(r, rep);
}

static int
tally_one(const struct record *r, void *arg)
{
	struct tally *t = arg;
	struct report *rep = t->rep;
	int64_t local, due;

	rep->count[r->kind]++;
	if (r->kind != REC_SIGNIN && r->kind != REC_HANDOVER) {
		local = r->created_ms + (int64_t)r->tz_min * 60000;
		rep->hourly[((local % 86400000) + 86400000) % 86400000 / 3600000]++;
	}
	if (r->alert[0] != '\0')
		rep->alerts++;
	/* A fever taken with any record, against the threshold of its time (data.fever); those
	 * with a recheck flow are rechecked, waiting, or released on a reason. */
	if (rec_fever(r, NULL, &due)) {
		rep->fevers++;
		if (rec_kind_has_fever(r->kind)) {
			if (rechecked(t, r->root_seq))
				rep->fevers_rechecked++;
			else if (due != 0)
				rep->fevers_pending++;
		}
	}
	report_tally_kind(r, rep);
	return 0;
}

static int
count_overdue(const struct bin_status *b, void *arg)
{
	((struct report *)arg)->bins_overdue += b->overdue != 0;
	return 0;
}

static int
waiting_one(const struct record *r, void *arg)
{
	struct report *rep = arg;
	int i;

	for (i = 0; i < REPORT_WAITING && rep->waiting_seq[i] != 0; i++)
		;
	if (i == REPORT_WAITING)
		return 1;
	rep->waiting_seq[i] = r->root_seq;
	return 0;
}

static int
report_query(struct logbook *lb, const struct rec_query *q, struct report *rep, struct err *e)
{
	struct tally t = {lb, rep, NULL};
	int rc;

	rc = rec_list(lb, q, tally_one, &t, e);
	sqlite3_finalize(t.rechecked);
	if (rc != E_OK)
		return rc;
	if (lb->kind == STATION_GATE)
		rep->inside_now = rec_inside_count(lb);
	rep->waiting_now = rec_rechecks_count(lb);
	if ((rc = rec_rechecks_pending(lb, waiting_one, rep, e)) != E_OK)
		return rc;
	return rec_bins(lb, count_overdue, rep, e);
}

int
report_day(struct logbook *lb, int64_t day, struct report *rep, struct err *e)
{
	struct rec_query q;

	memset(rep, 0, sizeof *rep);
	memset(&q, 0, sizeof q);
	clock_day_bounds(day, &rep->from_ms, &rep->until_ms);
	q.since_ms = rep->from_ms;
	q.until_ms = rep->until_ms;
	return report_query(lb, &q, rep, e);
}

int
report_shift(struct logbook *lb, int64_t shift, struct report *rep, struct err *e)
{
	struct record r;
	struct rec_query q;
	sqlite3_stmt *st;
	int rc;

	memset(rep, 0, sizeof *rep);
	if ((rc = rec_get(lb, shift, &r, e)) != E_OK)
		return rc;
	if (r.kind != REC_SIGNIN)
		return err_set(
		    e, E_INVALID, _("record %lld is not the start of a shift"), (long long)shift);
	rep->from_ms = r.created_ms;
	rep->until_ms = clock_now_ms();
	if (store_prepare(lb,
		"SELECT created_ms FROM records WHERE kind = 'handover' AND "
		"shift = ?1",
		&st, NULL) == E_OK) {
		sqlite3_bind_int64(st, 1, shift);
		if (sqlite3_step(st) == SQLITE_ROW)
			rep->until_ms = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	memset(&q, 0, sizeof q);
	q.shift = shift;
	return report_query(lb, &q, rep, e);
}

void
report_summary(const struct report *rep, char *buf, size_t n)
{
	int64_t total = 0;
	size_t o;
	int k;

	for (k = 1; k < REC_KIND_COUNT; k++)
		if (k != REC_SIGNIN && k != REC_HANDOVER)
			total += rep->count[k];
	/* ASCII only: a summary cut to fit its field never splits a character */
	snprintf(buf, n,
	    "records %lld; fevers %lld (rechecked %lld, pending %lld, released despite fever "
	    "%lld); route overrides %lld; inside %lld; bins collected %lld, overdue %lld; "
	    "flagged %lld; over quota %lld; alerts %lld; rechecks waiting now %lld",
	    (long long)total, (long long)rep->fevers, (long long)rep->fevers_rechecked,
	    (long long)rep->fevers_pending, (long long)rep->released,
	    (long long)rep->route_overrides, (long long)rep->inside_now,
	    (long long)rep->bins_collected, (long long)rep->bins_overdue, (long long)rep->flagged,
	    (long long)rep->quota_exceeded, (long long)rep->alerts, (long long)rep->waiting_now);
	/* the fevers waiting, by number, as far as they fit */
	for (k = 0; k < REPORT_WAITING && rep->waiting_seq[k] != 0; k++) {
		char one[32];

		o = strlen(buf);
		snprintf(
		    one, sizeof one, "%s#%lld", k ? " " : ": ", (long long)rep->waiting_seq[k]);
		if (o + strlen(one) >= n)
			break;
		memcpy(buf + o, one, strlen(one) + 1);
	}
}
