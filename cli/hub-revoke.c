/* hub-revoke.c — outpost-hub revoke: the station's key is refused from now on, at the
 * handshake and on open connections (the server checks status on every message). */
#include <stdio.h>

#include "cli/hub.h"

int
hub_cmd_revoke(int argc, char **argv)
{
	static const struct option longopts[] = { HUB_OPTS, { NULL, 0, NULL, 0 } };
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (!hub_cli_opt(c, optarg, &h))
			return cli_usage("revoke");
	if (optind != argc - 1)
		return cli_usage("revoke");
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	rc = hubstore_station_revoke(h.s, argv[optind], &e);
	hub_cli_close(&h);
	if (rc != E_OK)
		return cli_fail(&e);
	printf(_("Station \"%s\" is revoked.\n"), argv[optind]);
	return E_OK;
}
