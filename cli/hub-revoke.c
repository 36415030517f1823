/* hub-revoke.c — outpost-hub revoke: the station's key is refused from now on, at the
 * handshake and on open connections (the server checks status on every message). */
#include <stdio.h>

#include "cli/hub.h"

static int hub_cmd_revoke(struct cli_args *);

const struct command hub_revoke_entry = {
	"revoke", "STATION", N_("refuse a station from now on, open connections included"), NULL,
	0, hub_cmd_revoke,
};

static int
hub_cmd_revoke(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	char **argv = a->argv;
	const int optind = 0;	/* the operands start at argv[0] */
	int rc;

	if (a->argc != 1)
		return cli_usage("revoke");
	hub_cli_args(&h, a);
	if (hub_cli_open(&h, &e) != E_OK)
		return cli_fail(&e);
	rc = hubstore_station_revoke(h.s, argv[optind], &e);
	hub_cli_close(&h);
	if (rc != E_OK)
		return cli_fail(&e);
	printf(_("Station \"%s\" is revoked.\n"), argv[optind]);
	return E_OK;
}
