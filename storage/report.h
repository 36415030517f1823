/* report.h — counts of a day or a shift: what the report command,
 * the handover summary and the TUI report screen show. */
#ifndef OUTPOST_REPORT_H
#define OUTPOST_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "storage/record.h"

#define REPORT_WAITING 6

struct report {
	int64_t from_ms, until_ms;     /* the period covered */
	int64_t count[REC_KIND_COUNT]; /* latest non-deleted records per kind, by time */
	int64_t fevers;		       /* first readings at/above threshold, any kind */
	int64_t fevers_rechecked;      /* of them, rechecked */
	int64_t fevers_pending;	       /* of them, not rechecked yet */
	int64_t released;	       /* fevers released as pass on an override reason */
	int64_t route_overrides;       /* triage routes below the suggestion, on a reason */
	int64_t dispositions[5]; /* of rechecks: pass, isolated, referred, turned_back, other */
	int64_t flagged;	 /* vehicles flagged */
	int64_t quota_exceeded;	 /* resident out-passages over quota */
	int64_t alerts;		 /* watchlist matches */
	int64_t inside_now;	 /* visitors inside at report time */
	int64_t waiting_now;	 /* fevers of any shift waiting for their recheck, at report time */
	int64_t waiting_seq[REPORT_WAITING]; /* the first of them (root seqs), soonest due first */
	int64_t bins_collected;		     /* collections in the period */
	int64_t bins_overdue;		     /* overdue now */
	int64_t hourly[24];		     /* records per local hour (not signin/handover) */
};
/* The report of a local calendar day (day as clock_day numbers it). */
int report_day(struct logbook *lb, int64_t day, struct report *rep, struct err *e);
/* The report of a shift (its signin's seq) up to its handover or now. */
int report_shift(struct logbook *lb, int64_t shift, struct report *rep, struct err *e);
/* Adds to rep what r's own kind counts for (its entry's tally in storage/kind-*.c: a release
 * despite fever, a recheck's disposition, a route override, a flag, an outing over quota,
 * a collection); nothing for a kind that counts nothing more. */
void report_tally_kind(const struct record *r, struct report *rep);
/* One line of the report's main counts (stored in the handover record), into buf: with the
 * fevers of any shift still waiting for their recheck by number. */
void report_summary(const struct report *rep, char *buf, size_t n);

#endif
