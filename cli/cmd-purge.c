/* cmd-purge.c — outpost purge: blanks the personal fields of records older than the
 * station's retention days and says what it removed; counts stay. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/clock.h"
#include "storage/purge.h"

int
cmd_purge(int argc, char **argv)
{
	struct cli_opts o = {0};
	struct purge_result pr;
	struct rcli s;
	struct err e = {0};
	char *pos[1], cutoff[32];
	int npos = 1, rc, k, any = 0;

	if (rcli_parse(argc, argv, &o, NULL, NULL, pos, &npos, &e) != E_OK || npos != 0)
		return cli_usage("purge");
	if ((rc = rcli_open(&o, &s, &e)) != E_OK)
		return cli_fail(&e);
	rc = rec_purge(s.lb, &pr, &e);
	rcli_close(&s);
	if (rc != E_OK)
		return cli_fail(&e);
	clock_format(pr.cutoff_ms, clock_tz_min(pr.cutoff_ms), cutoff, sizeof cutoff);
	printf(_("purged the personal fields of %lld records created before %s "
		 "(%lld values blanked)"),
	    (long long)pr.records, cutoff, (long long)pr.fields);
	for (k = 1; k < REC_KIND_COUNT; k++) {
		if (pr.per_kind[k] == 0)
			continue;
		printf("%s%s %lld", any ? ", " : ": ", rec_kind_name(k), (long long)pr.per_kind[k]);
		any = 1;
	}
	printf("\n");
	if (pr.unreadable > 0)
		printf(_("versions that cannot be read, blanked whole: %lld\n"),
		    (long long)pr.unreadable);
	return E_OK;
}
