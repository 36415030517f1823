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

int
cmd_sync(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_OPTS,
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_opts o = { 0 };
	struct sync_opts so = { 0 };
	struct sync_status st;
	struct sync_client *sc = NULL;
	struct err e = { 0 };
	struct vault *v = NULL;
	struct logbook *lb = NULL;
	sqlite3 *db = NULL;
	double timeout = 10;
	int c, rc, quiet = 0, result, i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_common_opt(c, optarg, &o))
			continue;
		if (c == 't' && (timeout = atof(optarg)) > 0 && timeout <= 3600)
			continue;
		if (c == 'q') {
			quiet = 1;
			continue;
		}
		return cli_usage("sync");
	}
	if (optind != argc)
		return cli_usage("sync");
	if ((rc = cli_open(&o, &v, &db, &e)) != E_OK)
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
