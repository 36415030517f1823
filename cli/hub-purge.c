/* hub-purge.c — outpost-hub purge: apply the district's retention (the retention_days
 * setting pushed to stations) to the records held, as stations do to theirs: personal
 * fields blanked, counts kept. serve does the same once a day. */
#include <stdio.h>

#include "cli/hub.h"
#include "hub/purge.h"
#include "hub/server.h"

static int hub_cmd_purge(struct cli_args *);

const struct command hub_purge_entry = {
	"purge", "",
	N_("blank personal fields older than the retention (settings retention_days)"), NULL, 0,
	hub_cmd_purge,
};

static int
hub_cmd_purge(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct hub_purge res;
	struct err e = { 0 };
	char t[32];
	int rc, days = 0;

	if (a->argc != 0)
		return cli_usage("purge");
	hub_cli_args(&h, a);
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	if ((rc = hub_retention_days(h.s, &days, &e)) == E_OK)
		rc = hub_purge(h.s, hub_now_ms(), &res, &e);
	hub_cli_close(&h);
	if (rc != E_OK)
		return cli_fail(&e);
	hub_cli_time(res.cutoff_ms, t, sizeof t);
	printf(_("Retention %d days: personal fields blanked in %lld records created before %s "
	    "(%lld stored versions, %lld conflicting copies); counts kept.\n"), days,
	    (long long)res.records, t, (long long)res.versions, (long long)res.conflicts);
	return E_OK;
}
