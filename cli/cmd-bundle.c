/* cmd-bundle.c — outpost bundle --out FILE: the records the hub has not acknowledged,
 * signed by this station and sealed to its hub, for a USB stick. */
#include <stdio.h>

#include "base/file.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "storage/logbook.h"
#include "sync/bundle.h"
#include "sync/identity.h"
#include "sync/source-logbook.h"

static int cmd_bundle(struct cli_args *);

static const struct cli_opt options[] = {
	{ "out", "FILE", N_("the bundle to write"), NULL, OPT_REQUIRED },
	{ "force", NULL, N_("replace FILE if it exists"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_bundle_entry = {
	"bundle", "",
	N_("write the records the hub lacks to a signed, sealed file for a USB stick"),
	options, 0, cmd_bundle,
};

static int
cmd_bundle(struct cli_args *a)
{
	struct sync_source src;
	struct atomic_file af;
	struct bundle_info bi;
	struct err e = { 0 };
	struct vault *v = NULL;
	struct logbook *lb = NULL;
	struct identity *id = NULL;
	sqlite3 *db = NULL;
	const char *out = cli_arg(a, "out");
	int rc;

	if (a->argc != 0)
		return cli_usage("bundle");
	if ((rc = cli_open(&a->o, &v, &db, &e)) != E_OK)
		return cli_fail(&e);
	if ((rc = logbook_open(db, &lb, &e)) == E_OK && (rc = identity_load(db, &id, &e)) == E_OK) {
		source_logbook(lb, &src);
		rc = atomic_open(&af, out, ATOMIC_NAME | (cli_flag(a, "force") ? ATOMIC_FORCE : 0),
		    0600, &e);
		if (rc == E_OK && (rc = bundle_write(id, &src, af.tmp, &bi, &e)) != E_OK)
			atomic_abort(&af);
		else if (rc == E_OK)
			rc = atomic_commit(&af, &e);
		if (rc == E_OK) {
			if (bi.records == 0)
				printf(_("Wrote %s: no records are waiting for the hub.\n"), out);
			else
				printf(_("Wrote %s: %llu records (seq %lld to %lld) for the hub.\n"),
				    out, (unsigned long long)bi.records, (long long)bi.seq_from,
				    (long long)bi.seq_to);
		}
	}
	identity_free(id);
	logbook_close(lb);
	cli_close(v, db);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
