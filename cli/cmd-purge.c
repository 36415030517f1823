/* cmd-purge.c — outpost purge: blanks the personal fields of records older than the
 * station's retention days and says what it removed; counts stay. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/clock.h"
#include "storage/purge.h"

static int cmd_purge(struct cli_args *);

const struct command cmd_purge_entry = {
	"purge", "", N_("blank personal fields of records older than the retention days"), NULL,
	0, cmd_purge,
};

static int
cmd_purge(struct cli_args *a)
{
	struct purge_result pr;
	struct rcli s;
	struct err e = {0};
	char cutoff[32];
	int rc, k, any = 0;

	if (a->argc != 0)
		return cli_usage("purge");
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
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
