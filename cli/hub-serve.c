/* hub-serve.c — outpost-hub serve: answer stations until SIGINT or SIGTERM. Log lines go
 * to stderr with the time; they name stations by number, never records' contents. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/parse.h"
#include "cli/hub.h"
#include "hub/server.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
log_line(void *arg, const char *line)
{
	char ts[32];
	time_t t = time(NULL);
	struct tm tm;

	(void)arg;
	localtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(stderr, "%s %s\n", ts, line);
}

static int hub_cmd_serve(struct cli_args *);

static const struct cli_opt options[] = {
	{ "listen", "tcp://ADDR:PORT", N_("where to answer stations"), NULL, OPT_REQUIRED },
	{ "heartbeat-ms", "N", N_("ZeroMQ heartbeat interval in milliseconds (100-60000, default 10000)"), NULL, 0 },
	{ "ingest-connections", "N", N_("store connections that store pushes at once (1-16; default 2 on PostgreSQL, 1 on SQLite, which takes no more)"), NULL, 0 },
	{ "quiet", NULL, N_("no log lines on stderr"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command hub_serve_entry = {
	"serve", "", N_("answer stations until stopped (SIGINT or SIGTERM)"), options, 0,
	hub_cmd_serve,
};

static int
hub_cmd_serve(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct hub_opts o = { 0 };
	struct sigaction sa;
	struct hub_store *ingest[HUB_INGEST_MAX] = { 0 };
	struct hub *hub;
	struct err e = { 0 };
	int64_t conns;
	int rc, pg, quiet = cli_flag(a, "quiet") > 0;

	o.listen = cli_arg(a, "listen");
	if (cli_arg(a, "heartbeat-ms") != NULL) {
		int64_t v;

		if (parse_int(cli_arg(a, "heartbeat-ms"), 100, 60000, "--heartbeat-ms", &v, &e) !=
		    E_OK)
			return cli_fail(&e);
		o.heartbeat_ms = (int)v;
	}
	if (a->argc != 0 || strncmp(o.listen, "tcp://", 6) != 0)
		return cli_usage("serve");
	hub_cli_args(&h, a);
	pg = strcmp(hubstore_backend_of(hub_cli_path(&h)), "postgresql") == 0;
	conns = pg ? 2 : 1;
	if (cli_arg(a, "ingest-connections") != NULL) {
		if (parse_int(cli_arg(a, "ingest-connections"), 1, HUB_INGEST_MAX,
		    "--ingest-connections", &conns, &e) != E_OK)
			return cli_fail(&e);
		if (conns > 1 && !pg) {
			err_set(&e, E_USAGE, "%s", _("--ingest-connections: a SQLite store takes "
			    "one writer at a time, so more than 1 only waits; it is for PostgreSQL"));
			return cli_fail(&e);
		}
	}
	/* with 1, the serving loop stores each group itself on its own connection */
	h.nmore = conns > 1 ? (size_t)conns : 0;
	h.more = ingest;
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	o.ingest = ingest;
	o.ningest = h.nmore;
	o.log = quiet ? NULL : log_line;
	if ((rc = hub_open(h.s, &o, &hub, &e)) != E_OK) {
		hub_cli_close(&h);
		return cli_fail(&e);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	printf(_("outpost-hub: listening on %s\n"), hub_endpoint(hub));
	fflush(stdout);
	rc = hub_serve(hub, &stop, &e);
	{
		uint64_t groups, batches;

		hub_groups(hub, &groups, &batches);
		printf(_("outpost-hub: stopped; %llu batches stored in %llu commits, on %lld "
		    "ingest connections (at most %zu groups at once)\n"),
		    (unsigned long long)batches, (unsigned long long)groups, (long long)conns,
		    hub_groups_at_once(hub));
	}
	hub_close(hub);
	hub_cli_close(&h);
	if (rc != E_OK)
		return cli_fail(&e);
	return E_OK;
}
