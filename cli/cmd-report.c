/* cmd-report.c — outpost report [--date D] [--shift N|current]: the counts of a day (today
 * by default) or of a shift, as the handover summary shows them. */
#include <stdio.h>
#include <string.h>

#include "base/parse.h"
#include "cli/commands.h"
#include "cli/records.h"
#include "storage/clock.h"
#include "storage/report.h"

static const char *const disp[] = {"pass", "isolated", "referred", "turned_back", "other"};

static void
print_report(const struct report *rep, int fmt, FILE *f)
{
	char from[32], until[32];
	int k, h;

	clock_format_iso(rep->from_ms, clock_tz_min(rep->from_ms), from, sizeof from);
	clock_format_iso(rep->until_ms, clock_tz_min(rep->until_ms), until, sizeof until);
	if (fmt == RCLI_JSON) {
		fprintf(f, "{\"from\":\"%s\",\"until\":\"%s\",\"count\":{", from, until);
		for (k = 1; k < REC_KIND_COUNT; k++)
			fprintf(f, "%s\"%s\":%lld", k > 1 ? "," : "", rec_kind_name(k),
			    (long long)rep->count[k]);
		fprintf(f,
		    "},\"fevers\":%lld,\"fevers_rechecked\":%lld,\"fevers_pending\":%lld,"
		    "\"released_despite_fever\":%lld,\"route_overrides\":%lld,"
		    "\"rechecks_waiting_now\":%lld,\"dispositions\":{",
		    (long long)rep->fevers, (long long)rep->fevers_rechecked,
		    (long long)rep->fevers_pending, (long long)rep->released,
		    (long long)rep->route_overrides, (long long)rep->waiting_now);
		for (k = 0; k < 5; k++)
			fprintf(f, "%s\"%s\":%lld", k ? "," : "", disp[k],
			    (long long)rep->dispositions[k]);
		fprintf(f,
		    "},\"flagged\":%lld,\"quota_exceeded\":%lld,\"alerts\":%lld,"
		    "\"inside_now\":%lld,\"bins_collected\":%lld,\"bins_overdue\":%lld,\"hourly\":"
		    "[",
		    (long long)rep->flagged, (long long)rep->quota_exceeded, (long long)rep->alerts,
		    (long long)rep->inside_now, (long long)rep->bins_collected,
		    (long long)rep->bins_overdue);
		for (h = 0; h < 24; h++)
			fprintf(f, "%s%lld", h ? "," : "", (long long)rep->hourly[h]);
		fprintf(f, "]}\n");
		return;
	}
	if (fmt == RCLI_CSV) {
		fprintf(f, "item,count\r\n");
		for (k = 1; k < REC_KIND_COUNT; k++)
			fprintf(f, "%s,%lld\r\n", rec_kind_name(k), (long long)rep->count[k]);
		fprintf(f,
		    "fevers,%lld\r\nfevers_rechecked,%lld\r\nfevers_pending,%lld\r\n"
		    "released_despite_fever,%lld\r\nroute_overrides,%lld\r\n"
		    "rechecks_waiting_now,%lld\r\nflagged,%lld\r\nquota_exceeded,%lld\r\nalerts,%lld\r\ninside_now,%lld\r\n"
		    "bins_collected,%lld\r\nbins_overdue,%lld\r\n",
		    (long long)rep->fevers, (long long)rep->fevers_rechecked,
		    (long long)rep->fevers_pending, (long long)rep->released,
		    (long long)rep->route_overrides, (long long)rep->waiting_now,
		    (long long)rep->flagged,
		    (long long)rep->quota_exceeded, (long long)rep->alerts,
		    (long long)rep->inside_now, (long long)rep->bins_collected,
		    (long long)rep->bins_overdue);
		return;
	}
	fprintf(f, _("Report %s — %s\n\n"), from, until);
	for (k = 1; k < REC_KIND_COUNT; k++)
		if (rep->count[k] != 0)
			fprintf(f, "  %-12s %lld\n", rec_kind_name(k), (long long)rep->count[k]);
	fprintf(f, _("\n  fevers       %lld (rechecked %lld, waiting %lld)\n"),
	    (long long)rep->fevers, (long long)rep->fevers_rechecked,
	    (long long)rep->fevers_pending);
	fprintf(f, _("  released despite fever %lld\n"), (long long)rep->released);
	fprintf(f, _("  fevers waiting for their recheck now, any shift: %lld\n"),
	    (long long)rep->waiting_now);
	if (rep->route_overrides != 0)
		fprintf(f, _("  triage routes below the suggestion %lld\n"),
		    (long long)rep->route_overrides);
	fprintf(f,
	    _("  after recheck: pass %lld, isolated %lld, referred %lld, turned back %lld\n"),
	    (long long)rep->dispositions[0], (long long)rep->dispositions[1],
	    (long long)rep->dispositions[2], (long long)rep->dispositions[3]);
	fprintf(f, _("  flagged vehicles %lld, over quota %lld, watchlist alerts %lld\n"),
	    (long long)rep->flagged, (long long)rep->quota_exceeded, (long long)rep->alerts);
	fprintf(f, _("  visitors inside now %lld\n"), (long long)rep->inside_now);
	fprintf(f, _("  bins collected %lld, overdue now %lld\n"), (long long)rep->bins_collected,
	    (long long)rep->bins_overdue);
	fprintf(f, _("\n  by hour:"));
	for (h = 0; h < 24; h++)
		if (rep->hourly[h] != 0)
			fprintf(f, " %02d:%lld", h, (long long)rep->hourly[h]);
	fprintf(f, "\n");
}

static int cmd_report(struct cli_args *);

static const struct cli_opt options[] = {
	{ "date", "YYYY-MM-DD", N_("the day to count (default today)"), NULL, 0 },
	{ "shift", "N|current", N_("count one shift instead of a day"), NULL, 0 },
	{ "format", "table|csv|json", N_("how to print it (default table)"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_report_entry = {
	"report", "", N_("the counts of a day or a shift"), options, 0, cmd_report,
};

static int
cmd_report(struct cli_args *a)
{
	const char *date = cli_arg(a, "date"), *shift = cli_arg(a, "shift");
	struct report rep;
	struct rcli s;
	struct err e = {0};
	int rc, fmt = rcli_format(&a->o), y, m, d;
	int64_t ms, day, sh = 0;

	if (a->argc != 0 || (date != NULL && shift != NULL))
		return cli_usage("report");
	ms = clock_now_ms();
	if (date != NULL && (parse_date(date, "--date", &y, &m, &d, &e) != E_OK ||
		clock_parse(date, &ms) != 0))
		return cli_fail(&e);
	day = clock_day(ms, clock_tz_min(ms));
	if (shift != NULL && strcmp(shift, "current") != 0 && (sh = rcli_ref(shift)) < 0)
		return cli_usage("report");
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
		return cli_fail(&e);
	if (shift != NULL && sh == 0 && (sh = logbook_shift(s.lb)) == 0)
		rc = err_set(&e, E_INVALID, "%s", _("nobody is signed in: no current shift"));
	else if (shift != NULL)
		rc = report_shift(s.lb, sh, &rep, &e);
	else
		rc = report_day(s.lb, day, &rep, &e);
	rcli_close(&s);
	if (rc != E_OK)
		return cli_fail(&e);
	print_report(&rep, fmt, stdout);
	return E_OK;
}
