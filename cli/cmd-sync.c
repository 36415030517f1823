/* cmd-sync.c — outpost sync: one pass with the hub (push what it lacks, pull settings and
 * the watchlist), with progress and a summary; or, with --watch, passes for as long as it
 * runs: as soon as records appear, every --interval to pull, and after a failure again
 * with backoff (jittered, at most --retry-max). Exit status: 0 pushed, pulled or up to
 * date (--watch: stopped by SIGTERM or SIGINT), 5 the hub could not be reached (or
 * failed), 2 the hub refused this station (revoked) or the peer is not the enrolled hub. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "storage/logbook.h"
#include "sync/client.h"
#include "sync/source-logbook.h"

/* --watch: how often the logbook is looked at for new records, and how often the path is
 * looked at for a replaced file (rekey, restore). */
#define WATCH_LOOK_MS 500
#define WATCH_FILE_MS 5000

static volatile sig_atomic_t watch_stop;

static void
on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void
progress(void *arg, const struct sync_status *s)
{
	int quiet = *(int *)arg;

	if (!quiet && s->state == SYNC_PUSH)
		printf(_("pushed %llu, %lld waiting\n"), (unsigned long long)s->pass_pushed,
		    (long long)s->waiting);
	fflush(stdout);
}

static void
summary(const struct sync_status *st)
{
	if (st->result == SYNC_R_NOTHING)
		printf(_("sync: up to date; clock %+.1f s from the hub's\n"),
		    (double)st->skew_ms / 1000.0);
	else
		printf(_("sync: %llu records pushed, %llu settings and watchlist entries "
		    "pulled; %lld waiting; clock %+.1f s from the hub's\n"),
		    (unsigned long long)st->pass_pushed, (unsigned long long)st->pass_pulled,
		    (long long)st->waiting, (double)st->skew_ms / 1000.0);
	fflush(stdout);
}

static int
result_rc(int result)
{
	switch (result) {
	case SYNC_R_DONE:
	case SYNC_R_NOTHING:
		return E_OK;
	case SYNC_R_REFUSED:
	case SYNC_R_BAD_HUB:
		return E_LOCKED;
	default:
		return E_IO;
	}
}

/* The --watch loop: steps the client until a signal, the hub refusing the station, or the
 * logbook file being replaced. Prints a line when a pass moves something, on the first
 * failure of a run of failures, and when the link is back. */
static int
watch(struct sync_client *sc, const char *path, int quiet, int retry_max_ms)
{
	struct sync_status st;
	struct sigaction sa;
	struct stat sb0, sb;
	int state, prev = SYNC_IDLE, failing = 0, n = 0;

	if (stat(path, &sb0) != 0)
		memset(&sb0, 0, sizeof sb0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!quiet) {
		printf(_("sync: watching %s\n"), path);
		fflush(stdout);
	}
	sync_client_kick(sc);
	while (!watch_stop) {
		state = sync_client_step(sc, 200);
		if (state != prev && (state == SYNC_IDLE || state == SYNC_BACKOFF ||
		    state == SYNC_REVOKED)) {
			sync_client_status(sc, &st);
			if (state == SYNC_IDLE && (failing || st.result == SYNC_R_DONE)) {
				if (failing)
					fprintf(stderr, "%s\n", _("outpost sync: the hub is reachable again"));
				if (!quiet || failing)
					summary(&st);
				failing = 0;
			} else if (state == SYNC_BACKOFF && !failing) {
				fprintf(stderr, _("outpost sync: %s; trying again in %d s, then at "
				    "most every %d s\n"), st.nerrors > 0 ? st.errors[0] : "?",
				    (int)((st.retry_in_ms + 999) / 1000), (retry_max_ms + 999) / 1000);
				failing = 1;
			} else if (state == SYNC_REVOKED) {
				fprintf(stderr, "outpost sync: %s\n", st.nerrors > 0 ? st.errors[0] :
				    _("the hub refused this station's key (revoked?)"));
				return E_LOCKED;
			}
		}
		prev = state;
		if (++n % (WATCH_FILE_MS / 200) == 0 && sb0.st_ino != 0 &&
		    (stat(path, &sb) != 0 || sb.st_ino != sb0.st_ino || sb.st_dev != sb0.st_dev)) {
			fprintf(stderr, _("outpost sync: %s was replaced (rekey or restore); "
			    "stopping so that it is opened again\n"), path);
			return E_IO;
		}
	}
	if (!quiet) {
		printf("%s\n", _("sync: stopped"));
		fflush(stdout);
	}
	return E_OK;
}

/* Parses SECONDS in (0, max] into *ms. */
static int
seconds_opt(const char *arg, double max, int *ms)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end != '\0' || !(v > 0) || v > max)
		return -1;
	*ms = (int)(v * 1000);
	return 0;
}

static int cmd_sync(struct cli_args *);

static const struct cli_opt options[] = {
	{ "timeout", "SECONDS", N_("wait this long for each answer of the hub (default 10)"),
	    NULL, 0 },
	{ "quiet", NULL, N_("print only errors"), NULL, 0 },
	{ "watch", NULL, N_("keep syncing until stopped (SIGTERM or SIGINT)"), NULL, 0 },
	{ "interval", "SECONDS", N_("--watch: pull settings and the watchlist this often "
	    "(default 300)"), NULL, 0 },
	{ "retry-max", "SECONDS", N_("--watch: at most this long between tries after a "
	    "failure (default and ceiling 60)"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_sync_entry = {
	"sync", "",
	N_("one pass with the hub (--watch: keep syncing); exit 0 done or up to date, "
	    "5 unreachable, 2 refused"),
	options, 0, cmd_sync,
};

static int
cmd_sync(struct cli_args *a)
{
	const struct cli_opts o = a->o;
	const char *t = cli_arg(a, "timeout"), *iv = cli_arg(a, "interval");
	const char *rm = cli_arg(a, "retry-max");
	struct sync_opts so = { 0 };
	struct sync_status st;
	struct sync_client *sc = NULL;
	struct err e = { 0 };
	struct vault *v = NULL;
	struct logbook *lb = NULL;
	sqlite3 *db = NULL;
	int timeout_ms = 10000, interval_ms = 300000, retry_max_ms = 60000;
	int rc, quiet = cli_flag(a, "quiet") > 0, watching = cli_flag(a, "watch") > 0;
	int no_progress = 1, result, i;

	if ((t != NULL && seconds_opt(t, 3600, &timeout_ms) != 0) ||
	    (iv != NULL && seconds_opt(iv, 86400, &interval_ms) != 0) ||
	    (rm != NULL && seconds_opt(rm, 60, &retry_max_ms) != 0))
		return cli_usage("sync");
	/* --interval, --retry-max: --watch only */
	if (a->argc != 0 || ((iv != NULL || rm != NULL) && !watching))
		return cli_usage("sync");
	if ((rc = cli_open(&o, &v, &db, &e)) != E_OK)
		return cli_fail(&e);
	if ((rc = logbook_open(db, &lb, &e)) != E_OK)
		goto out;
	so.request_ms = timeout_ms;
	so.progress = progress;
	so.progress_arg = &quiet;
	if (watching) {
		so.interval_ms = interval_ms;
		so.watch_ms = WATCH_LOOK_MS;
		so.backoff_max_ms = retry_max_ms;
		so.progress_arg = &no_progress;	/* no per-batch lines in a service's log */
	}
	if ((rc = sync_client_for_logbook(lb, &so, &sc, &e)) != E_OK)
		goto out;
	if (watching) {
		rc = watch(sc, cli_db_path(&o), quiet, retry_max_ms);
	} else {
		result = sync_client_run_once(sc, timeout_ms * 6);
		sync_client_status(sc, &st);
		for (i = st.nerrors - 1; i >= 0; i--)
			fprintf(stderr, "outpost sync: %s\n", st.errors[i]);
		if ((rc = result_rc(result)) == E_OK && !quiet)
			summary(&st);
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
