/* hub-enroll.c — outpost-hub enroll: register a station and print its one-time token,
 * alone on the last line so scripts can take it with tail -n 1. */
#include <stdio.h>
#include <string.h>

#include "cli/hub.h"
#include "hub/server.h"
#include "sync/token.h"

int
hub_cmd_enroll(int argc, char **argv)
{
	static const struct option longopts[] = {
		HUB_OPTS,
		{ "station", required_argument, NULL, 's' },
		{ "endpoint", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	const char *name = NULL, *endpoint = NULL;
	char token[TOKEN_MAX], stored[256];
	int c, rc, found;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (hub_cli_opt(c, optarg, &h))
			continue;
		switch (c) {
		case 's':
			name = optarg;
			break;
		case 'E':
			endpoint = optarg;
			break;
		default:
			return cli_usage("enroll");
		}
	}
	if (optind != argc || name == NULL)
		return cli_usage("enroll");
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	if (endpoint == NULL) {
		if ((rc = hubstore_meta_get(h.s, "endpoint", stored, sizeof stored, &found, &e)) !=
		    E_OK) {
			hub_cli_close(&h);
			return cli_fail(&e);
		}
		if (!found) {
			hub_cli_close(&h);
			err_set(&e, E_USAGE, "%s", _("the hub's address is not known: give "
			    "--endpoint tcp://HOST:PORT (or set it with init --endpoint)"));
			return cli_fail(&e);
		}
		endpoint = stored;
	}
	rc = hub_enroll_new(h.s, name, endpoint, token, &e);
	hub_cli_close(&h);
	if (rc != E_OK)
		return cli_fail(&e);
	printf(_("Station \"%s\" registered. On the station, run: outpost enroll TOKEN\n"), name);
	printf(_("The token works once; keep it secret until then.\n"));
	printf("%s\n", token);
	return E_OK;
}
