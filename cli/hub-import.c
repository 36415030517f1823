/* hub-import.c — outpost-hub import: a station's USB bundle, verified then stored through
 * the same ingest as online sync. */
#include <stdio.h>

#include "cli/hub.h"
#include "hub/import.h"

static int hub_cmd_import(struct cli_args *);

const struct command hub_import_entry = {
	"import", "BUNDLE", N_("store the records of a station's USB bundle (idempotent)"), NULL,
	0, hub_cmd_import,
};

static int
hub_cmd_import(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct bundle_info bi;
	struct err e = { 0 };
	int rc;

	if (a->argc != 1)
		return cli_usage("import");
	hub_cli_args(&h, a);
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	rc = bundle_import(h.s, a->argv[0], &bi, &e);
	hub_cli_close(&h);
	if (rc != E_OK)
		return cli_fail(&e);
	printf(_("Bundle from \"%s\": %llu records (seq %lld to %lld), %llu new, %llu held "
	    "already, %llu conflicting (kept apart).\n"), cli_term(bi.station),
	    (unsigned long long)bi.records, (long long)bi.seq_from, (long long)bi.seq_to,
	    (unsigned long long)bi.inserted, (unsigned long long)bi.duplicates,
	    (unsigned long long)bi.conflicts);
	if (bi.quarantined > 0)
		printf(_("%llu records cannot be read and were put aside (see outpost-hub "
			 "stations).\n"),
		    (unsigned long long)bi.quarantined);
	return E_OK;
}
