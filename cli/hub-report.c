/* hub-report.c — outpost-hub report: the district summary as plain text. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/hub.h"
#include "sync/hub.h"
#include "sync/hubreport.h"

#define BIN_WINDOW_MS (24LL * 3600 * 1000)

static int
kind_row(const char *station, const char *kind, int64_t n, void *arg)
{
	(void)arg;
	printf("  %-20s %-12s %8lld\n", station, kind, (long long)n);
	return 0;
}

static int
bin_row(const char *station, const char *bin, int64_t last, void *arg)
{
	char t[32];

	(void)arg;
	hub_cli_time(last, t, sizeof t);
	printf("  %-20s %-12s %s\n", station, bin, last ? t : _("never collected"));
	return 0;
}

int
hub_cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		HUB_OPTS, { "since", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 },
	};
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	struct tm tm;
	int64_t since = 0;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (hub_cli_opt(c, optarg, &h))
			continue;
		if (c != 's')
			return cli_usage("report");
		memset(&tm, 0, sizeof tm);
		if (strptime(optarg, "%Y-%m-%d", &tm) == NULL)
			return cli_usage("report");
		tm.tm_isdst = -1;
		since = (int64_t)mktime(&tm) * 1000;
	}
	if (optind != argc)
		return cli_usage("report");
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	printf("%s\n", _("Records by station and kind:"));
	rc = hubreport_kinds(h.db, since, kind_row, NULL, &e);
	if (rc == E_OK) {
		printf("%s\n", _("Fevers:"));
		rc = hubreport_fevers(h.db, since, kind_row, NULL, &e);
	}
	if (rc == E_OK) {
		printf("%s\n", _("Mask bins overdue (not collected within 24 h):"));
		rc = hubreport_overdue_bins(h.db, hub_now_ms(), BIN_WINDOW_MS, bin_row, NULL, &e);
	}
	if (rc == E_OK) {
		printf("%s\n", _("Records resent with other content (both copies kept):"));
		rc = hubreport_conflicts(h.db, kind_row, NULL, &e);
	}
	hub_cli_close(&h);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
