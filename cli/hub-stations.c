/* hub-stations.c — outpost-hub stations: one line per station. "behind" counts the seqs
 * missing below the highest one held (gaps a bundle or a resend still has to fill);
 * "unreadable" the records held in quarantine because they cannot be decoded. */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "cli/hub.h"

static const char *const status_names[] = { "pending", "active", "revoked" };

static int
print_one(const struct hub_station *s, void *arg)
{
	int csv = *(int *)arg;
	char seen[32], skew[32], name[4 * 65];
	uint64_t behind = s->max_seq > s->held ? s->max_seq - s->held : 0;

	hub_cli_time(s->last_seen_ms, seen, sizeof seen);
	if (s->last_seen_ms == 0)
		snprintf(skew, sizeof skew, "-");
	else
		snprintf(skew, sizeof skew, "%+.1fs", (double)s->skew_ms / 1000.0);
	text_escape(s->name, name, sizeof name);
	if (csv)
		printf("%s,%s,%s,%llu,%llu,%llu,%s,%llu\n", name, status_names[s->status], seen,
		    (unsigned long long)s->held, (unsigned long long)s->hw,
		    (unsigned long long)behind, skew, (unsigned long long)s->quarantined);
	else
		printf("%-20s %-8s %-16s %10llu %10llu %8llu %9s %10llu\n", name,
		    status_names[s->status], seen, (unsigned long long)s->held,
		    (unsigned long long)s->hw, (unsigned long long)behind, skew,
		    (unsigned long long)s->quarantined);
	return 0;
}

static int hub_cmd_stations(struct cli_args *);

static const struct cli_opt options[] = {
	{ "format", "text|csv", N_("how to print them (default text)"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command hub_stations_entry = {
	"stations", "", N_("list stations: status, last seen, records held, behind, clock skew"),
	options, 0, hub_cmd_stations,
};

static int
hub_cmd_stations(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	int rc, csv = a->o.format != NULL && strcmp(a->o.format, "csv") == 0;

	if (a->argc != 0)
		return cli_usage("stations");
	hub_cli_args(&h, a);
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	if (csv)
		printf("station,status,last_seen,held,contiguous_to,behind,clock_skew,"
		    "unreadable\n");
	else
		printf("%-20s %-8s %-16s %10s %10s %8s %9s %10s\n", _("STATION"), _("STATUS"),
		    _("LAST SEEN"), _("HELD"), _("UP TO"), _("BEHIND"), _("SKEW"),
		    _("UNREADABLE"));
	rc = hubstore_stations(h.s, print_one, &csv, &e);
	hub_cli_close(&h);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
