/* cmd-sync.c — outpost sync: one pass with the hub (push what it lacks, pull settings and
 * the watchlist), with progress and a summary. Exit status: 0 something was pushed or
 * pulled, 6 there was nothing to do, 5 the hub could not be reached (or failed), 2 the
 * hub refused this station (revoked) or the peer is not the enrolled hub. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "storage/logbook.h"
#include "sync/client.h"
#include "sync/source-logbook.h"

#define EXIT_NOTHING 6

static void
progress(void *arg, const struct sync_status *s)
{
	int quiet = *(int *)arg;

	if (!quiet && s->state == SYNC_PUSH)
		printf(_("pushed %llu, %lld waiting\n"), (unsigned long long)s->pass_pushed,
		    (long long)s->waiting);
	fflush(stdout);
}

static int cmd_sync(struct cli_args *);

static const struct cli_opt options[] = {
	{ "timeout", "SECONDS", N_("wait this long for each answer of the hub (default 10)"),
	    NULL, 0 },
	{ "quiet", NULL, N_("print only errors"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_sync_entry = {
	"sync", "",
	N_("one pass with the hub; exit 0 done, 6 nothing to do, 5 unreachable, 2 refused"),
	options, 0, cmd_sync,
};

static int
cmd_sync(struct cli_args *a)
{
	struct sync_opts so = { 0 };
	struct sync_status st;
	struct sync_client *sc = NULL;
	struct err e = { 0 };
	struct vault *v = NULL;
	struct logbook *lb = NULL;
	sqlite3 *db = NULL;
	double timeout = 10;
	int rc, quiet = cli_flag(a, "quiet") > 0, result, i;

	if (cli_arg(a, "timeout") != NULL && !((timeout = atof(cli_arg(a, "timeout"))) > 0 &&
	    timeout <= 3600))
		return cli_usage("sync");
	if (a->argc != 0)
		return cli_usage("sync");
	if ((rc = cli_open(&a->o, &v, &db, &e)) != E_OK)
		return cli_fail(&e);
	if ((rc = logbook_open(db, &lb, &e)) != E_OK)
		goto out;
	so.request_ms = (int)(timeout * 1000);
	so.progress = progress;
	so.progress_arg = &quiet;
	if ((rc = sync_client_for_logbook(lb, &so, &sc, &e)) != E_OK)
		goto out;
	result = sync_client_run_once(sc, (int)(timeout * 1000) * 6);
	sync_client_status(sc, &st);
	for (i = st.nerrors - 1; i >= 0; i--)
		fprintf(stderr, "outpost sync: %s\n", st.errors[i]);
	switch (result) {
	case SYNC_R_DONE:
	case SYNC_R_NOTHING:
		if (!quiet)
			printf(_("sync: %llu records pushed, %llu settings and watchlist entries "
			    "pulled; %lld waiting; clock %+.1f s from the hub's\n"),
			    (unsigned long long)st.pass_pushed, (unsigned long long)st.pass_pulled,
			    (long long)st.waiting, (double)st.skew_ms / 1000.0);
		rc = result == SYNC_R_DONE ? E_OK : EXIT_NOTHING;
		break;
	case SYNC_R_REFUSED:
	case SYNC_R_BAD_HUB:
		rc = E_LOCKED;
		break;
	default:
		rc = E_IO;
		break;
	}
	sync_client_free(sc);
	logbook_close(lb);
	cli_close(v, db);
	return rc;
out:
	logbook_close(lb);
	cli_close(v, db);
	return cli_fail(&e);
}
