/* cmd-enroll.c — outpost enroll TOKEN: make this station's key pairs, register them with
 * the hub named in the token, and keep keys and the hub's pinned key inside the logbook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "storage/logbook.h"
#include "sync/client.h"
#include "sync/identity.h"

int
cmd_enroll(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPTS,
		{ "timeout", required_argument, NULL, 't' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_opts o = { 0 };
	struct err e = { 0 };
	struct vault *v = NULL;
	struct logbook *lb = NULL;
	struct identity *id = NULL;
	sqlite3 *db = NULL;
	int c, rc, timeout = 10, force = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_common_opt(c, optarg, &o))
			continue;
		if (c == 't' && (timeout = atoi(optarg)) > 0)
			continue;
		if (c == 'f') {
			force = 1;
			continue;
		}
		return cli_usage("enroll");
	}
	if (optind != argc - 1)
		return cli_usage("enroll");
	if ((rc = cli_open(&o, &v, &db, &e)) != E_OK)
		return cli_fail(&e);
	if ((rc = logbook_open(db, &lb, &e)) != E_OK)
		goto out;
	if (!force && identity_load(db, &id, NULL) == E_OK) {
		rc = err_set(&e, E_USAGE, _("this station is enrolled already (as \"%s\" with the "
		    "hub at %s); --force replaces that"), id->name, id->endpoint);
		goto out;
	}
	identity_free(id);
	id = NULL;
	if ((rc = sync_enroll(argv[optind], logbook_station_id(lb), timeout * 1000, &id, &e)) !=
	    E_OK)
		goto out;
	if ((rc = identity_save(db, id, &e)) != E_OK)
		goto out;
	if (settings_set(lb, "hub", id->endpoint, NULL) != E_OK) {
		/* the setting is for people to read; the identity is what sync uses */
	}
	printf(_("Enrolled as \"%s\" with the hub at %s.\n"), id->name, id->endpoint);
out:
	identity_free(id);
	logbook_close(lb);
	cli_close(v, db);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
