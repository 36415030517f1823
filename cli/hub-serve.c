/* hub-serve.c — outpost-hub serve: answer stations until SIGINT or SIGTERM. Log lines go
 * to stderr with the time; they name stations by number, never records' contents. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int
hub_cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		HUB_OPTS,
		{ "listen", required_argument, NULL, 'l' },
		{ "heartbeat-ms", required_argument, NULL, 'H' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct hub_cli h = { 0 };
	struct hub_opts o = { 0 };
	struct sigaction sa;
	struct hub *hub;
	struct err e = { 0 };
	int c, rc, quiet = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (hub_cli_opt(c, optarg, &h))
			continue;
		switch (c) {
		case 'l':
			o.listen = optarg;
			break;
		case 'H':
			o.heartbeat_ms = atoi(optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			return cli_usage("serve");
		}
	}
	if (optind != argc || o.listen == NULL || strncmp(o.listen, "tcp://", 6) != 0)
		return cli_usage("serve");
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
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
	hub_close(hub);
	hub_cli_close(&h);
	if (rc != E_OK)
		return cli_fail(&e);
	return E_OK;
}
