/* hub-report.c — outpost-hub report: the district summary as plain text, over whole days
 * (--since, --until) and some stations (--station, repeatable) or all of them. It reads the
 * store's daily totals only: its cost does not grow with the records held. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/hub.h"
#include "storage/clock.h"
#include "hub/server.h"
#include "hub/report.h"

#define BIN_WINDOW_MS (24LL * 3600 * 1000)

/* The report's rows, read once and printed section by section (O(stations × kinds)). */
struct rows {
	struct hub_total *t;
	size_t n, cap;
	int oom;
};

static int
keep_row(const struct hub_total *t, void *arg)
{
	struct rows *r = arg;
	struct hub_total *p;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		if ((p = realloc(r->t, r->cap * sizeof *p)) == NULL) {
			r->oom = 1;
			return 1;
		}
		r->t = p;
	}
	r->t[r->n] = *t;
	r->t[r->n].station = strdup(t->station);
	r->t[r->n].kind = strdup(t->kind);
	if (r->t[r->n].station == NULL || r->t[r->n].kind == NULL) {
		free((char *)r->t[r->n].station);
		free((char *)r->t[r->n].kind);
		r->oom = 1;
		return 1;
	}
	r->n++;
	return 0;
}

static void
rows_free(struct rows *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free((char *)r->t[i].station);
		free((char *)r->t[i].kind);
	}
	free(r->t);
}

/* Prints one section: the rows whose figure at offset off is not 0. */
static void
section(const char *title, const struct rows *r, size_t off)
{
	size_t i;
	int64_t v;

	printf("%s\n", title);
	for (i = 0; i < r->n; i++) {
		memcpy(&v, (const char *)&r->t[i] + off, sizeof v);
		if (v != 0)
			printf("  %-20s %-12s %8lld\n", cli_term(r->t[i].station),
			    cli_term(r->t[i].kind), (long long)v);
	}
}

static int
station_counts(const struct hub_station *s, void *arg)
{
	int quarantine = *(int *)arg;
	uint64_t n = quarantine ? s->quarantined : s->conflicts;

	if (n > 0)
		printf("  %-20s %-12s %8llu\n", cli_term(s->name), quarantine ? "unreadable" : "conflicts",
		    (unsigned long long)n);
	return 0;
}

static int
bin_row(const char *station, const char *bin, int64_t last, void *arg)
{
	char t[32];

	(void)arg;
	hub_cli_time(last, t, sizeof t);
	printf("  %-20s %-12s %s\n", cli_term(station), cli_term(bin),
	    last ? t : _("never collected"));
	return 0;
}

/* Parses the date of --NAME into the local day number *day; E_INVALID saying what a date
 * looks like if it isn't one, or that reports count whole days if it is a time of day. */
static int
report_day(const char *name, const char *arg, int64_t *day, struct err *e)
{
	int64_t ms;

	if (clock_parse(arg, &ms) != 0)
		return err_set(e, E_INVALID,
		    _("--%s: '%s' is not a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM"), name, arg);
	if (hub_day_at(ms, day) != 0)
		return err_set(e, E_INVALID,
		    _("--%s: '%s' is not a midnight: the hub keeps daily totals, so a report "
		      "covers whole days; give a date YYYY-MM-DD"), name, arg);
	return E_OK;
}

/* Turns the names given with --station into hub station ids; E_INVALID for a name the hub
 * does not know, saying how to list the ones it does. */
static int
report_stations(struct hub_store *store, char **names, size_t n, uint64_t *ids, struct err *e)
{
	struct hub_station s;
	struct err ignored;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if ((rc = hubstore_station_by_name(store, names[i], &s, &ignored)) == E_INVALID)
			return err_set(e, E_INVALID,
			    _("--station: no station named '%s' (outpost-hub stations lists them)"),
			    names[i]);
		if (rc != E_OK) {
			*e = ignored;
			return rc;
		}
		ids[i] = s.id;
	}
	return E_OK;
}

static int
report_print(struct hub_store *s, const struct hub_span *sp, struct err *e)
{
	struct rows r = { 0 };
	int rc, which;

	if ((rc = hubstore_report_totals(s, sp, keep_row, &r, e)) == E_OK && r.oom)
		rc = err_set(e, E_IO, "%s", _("out of memory"));
	if (rc != E_OK) {
		rows_free(&r);
		return rc;
	}
	section(_("Records by station and kind:"), &r, offsetof(struct hub_total, records));
	section(_("Fevers:"), &r, offsetof(struct hub_total, fevers));
	section(_("Fevers released as pass (with an override reason):"), &r,
	    offsetof(struct hub_total, released));
	section(_("Flagged (high-risk vehicles, watchlist alerts):"), &r,
	    offsetof(struct hub_total, flagged));
	section(_("Visitors inside (no exit yet):"), &r, offsetof(struct hub_total, inside));
	rows_free(&r);
	printf("%s\n", _("Mask bins overdue (not collected within 24 h):"));
	if ((rc = hubstore_report_bins(s, sp, hub_now_ms(), BIN_WINDOW_MS, bin_row, NULL,
	    e)) != E_OK)
		return rc;
	/* conflicts and unreadable records are counted per station, not per day */
	printf("%s\n", _("Records resent with other content (both copies kept):"));
	which = 0;
	if ((rc = hubstore_stations(s, station_counts, &which, e)) != E_OK)
		return rc;
	printf("%s\n", _("Records the hub could not read (kept, not counted):"));
	which = 1;
	return hubstore_stations(s, station_counts, &which, e);
}

static int hub_cmd_report(struct cli_args *);

static const struct cli_opt options[] = {
	{ "since", "DAY", N_("from this day (YYYY-MM-DD)"), NULL, 0 },
	{ "until", "DAY", N_("to this day, included"), NULL, 0 },
	{ "station", "NAME", N_("only this station"), NULL, OPT_REPEAT },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command hub_report_entry = {
	"report", "", N_("district summary over whole days: records, fevers, flags, inside, overdue bins"),
	options, 0, hub_cmd_report,
};

static int
hub_cmd_report(struct cli_args *a)
{
	struct hub_span sc = HUB_SPAN_ALL;
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	const char *since = cli_arg(a, "since"), *until = cli_arg(a, "until");
	char **names;
	uint64_t *ids;
	size_t nnames = 0;
	int rc;

	/* there cannot be more --station than arguments */
	names = calloc((size_t)a->nv + 1, sizeof *names);
	ids = calloc((size_t)a->nv + 1, sizeof *ids);
	if (names == NULL || ids == NULL) {
		free(names);
		free(ids);
		return E_IO;
	}
	while (cli_arg_at(a, "station", (int)nnames) != NULL) {
		names[nnames] = (char *)cli_arg_at(a, "station", (int)nnames);
		nnames++;
	}
	if (a->argc != 0) {
		rc = cli_usage("report");
		goto out;
	}
	hub_cli_args(&h, a);
	if ((since != NULL && (rc = report_day("since", since, &sc.day_from, &e)) != E_OK) ||
	    (until != NULL && (rc = report_day("until", until, &sc.day_to, &e)) != E_OK)) {
		rc = cli_fail(&e);
		goto out;
	}
	if (since != NULL && until != NULL && sc.day_to <= sc.day_from) {
		err_set(&e, E_INVALID,
		    _("--until %s is not after --since %s: the range is empty (the end is "
		      "exclusive)"), until, since);
		rc = cli_fail(&e);
		goto out;
	}
	if ((rc = hub_cli_open(&h, &e)) != E_OK) {
		rc = cli_fail(&e);
		goto out;
	}
	if ((rc = report_stations(h.s, names, nnames, ids, &e)) == E_OK) {
		sc.stations = ids;
		sc.nstations = nnames;
		rc = report_print(h.s, &sc, &e);
	}
	hub_cli_close(&h);
	if (rc != E_OK)
		rc = cli_fail(&e);
out:
	free(names);
	free(ids);
	return rc;
}
