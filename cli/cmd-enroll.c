/* cmd-enroll.c — outpost enroll TOKEN: make this station's key pairs, register them with
 * the hub named in the token, and keep keys and the hub's pinned key inside the logbook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "storage/logbook.h"
#include "sync/client.h"
#include "sync/identity.h"

static int cmd_enroll(struct cli_args *);

static const struct cli_opt options[] = {
	{ "timeout", "SECONDS", N_("give up after this long without an answer (1-3600, default 10)"),
	    NULL, 0 },
	{ "force", NULL, N_("enroll again, replacing this station's keys"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_enroll_entry = {
	"enroll", "TOKEN",
	N_("register this station with a district hub (token from outpost-hub enroll)"),
	options, 0, cmd_enroll,
};

static int
cmd_enroll(struct cli_args *a)
{
	struct err e = { 0 };
	struct vault *v = NULL;
	struct logbook *lb = NULL;
	struct identity *id = NULL;
	sqlite3 *db = NULL;
	int rc, timeout = 10, force = cli_flag(a, "force") > 0;

	if (cli_arg(a, "timeout") != NULL) {
		int64_t v;

		if (parse_int(cli_arg(a, "timeout"), 1, 3600, "--timeout", &v, &e) != E_OK)
			return cli_fail(&e);
		timeout = (int)v;
	}
	if (a->argc != 1)
		return cli_usage("enroll");
	if ((rc = cli_open(&a->o, &v, &db, &e)) != E_OK)
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
	if ((rc = sync_enroll(a->argv[0], logbook_station_id(lb), timeout * 1000, &id, &e)) !=
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
