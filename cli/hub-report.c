/* hub-report.c — outpost-hub report: the district summary as plain text, over a time range
 * (--since, --until) and some stations (--station, repeatable) or all of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/hub.h"
#include "storage/clock.h"
#include "sync/hub.h"
#include "sync/hubreport.h"
#include "sync/hubstore.h"

#define BIN_WINDOW_MS (24LL * 3600 * 1000)

static int
kind_row(const char *station, const char *kind, int64_t n, void *arg)
{
	(void)arg;
	printf("  %-20s %-12s %8lld\n", cli_term(station), cli_term(kind), (long long)n);
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

/* Parses the time of --NAME into *ms; E_INVALID saying what a time looks like if it isn't. */
static int
report_time(const char *name, const char *arg, int64_t *ms, struct err *e)
{
	if (clock_parse(arg, ms) == 0)
		return E_OK;
	return err_set(e, E_INVALID,
	    _("--%s: '%s' is not a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM"), name, arg);
}

/* Turns the names given with --station into hub station ids; E_INVALID for a name the hub
 * does not know, saying how to list the ones it does. */
static int
report_stations(sqlite3 *db, char **names, size_t n, uint64_t *ids, struct err *e)
{
	struct hub_station s;
	struct err ignored;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if ((rc = hubstore_station_by_name(db, names[i], &s, &ignored)) == E_INVALID)
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
report_print(sqlite3 *db, const struct hubreport_scope *sc, struct err *e)
{
	int rc;

	printf("%s\n", _("Records by station and kind:"));
	if ((rc = hubreport_kinds(db, sc, kind_row, NULL, e)) != E_OK)
		return rc;
	printf("%s\n", _("Fevers:"));
	if ((rc = hubreport_fevers(db, sc, kind_row, NULL, e)) != E_OK)
		return rc;
	printf("%s\n", _("Mask bins overdue (not collected within 24 h):"));
	if ((rc = hubreport_overdue_bins(db, sc, hub_now_ms(), BIN_WINDOW_MS, bin_row, NULL,
	    e)) != E_OK)
		return rc;
	printf("%s\n", _("Records resent with other content (both copies kept):"));
	return hubreport_conflicts(db, sc, kind_row, NULL, e);
}

static int hub_cmd_report(struct cli_args *);

static const struct cli_opt options[] = {
	{ "since", "TIME", N_("records from this date or time (YYYY-MM-DD[THH:MM])"), NULL, 0 },
	{ "until", "TIME", N_("records before this time (exclusive)"), NULL, 0 },
	{ "station", "NAME", N_("only this station"), NULL, OPT_REPEAT },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command hub_report_entry = {
	"report", "", N_("district summary: records by station and kind, fevers, overdue bins"),
	options, 0, hub_cmd_report,
};

static int
hub_cmd_report(struct cli_args *a)
{
	struct hubreport_scope sc = HUBREPORT_ALL;
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
	if ((since != NULL && (rc = report_time("since", since, &sc.since_ms, &e)) != E_OK) ||
	    (until != NULL && (rc = report_time("until", until, &sc.until_ms, &e)) != E_OK)) {
		rc = cli_fail(&e);
		goto out;
	}
	if (since != NULL && until != NULL && sc.until_ms <= sc.since_ms) {
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
	if ((rc = report_stations(h.db, names, nnames, ids, &e)) == E_OK) {
		sc.stations = ids;
		sc.nstations = nnames;
		rc = report_print(h.db, &sc, &e);
	}
	hub_cli_close(&h);
	if (rc != E_OK)
		rc = cli_fail(&e);
out:
	free(names);
	free(ids);
	return rc;
}
