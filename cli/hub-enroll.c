/* hub-enroll.c — outpost-hub enroll: register a station and print its one-time token,
 * alone on the last line so scripts can take it with tail -n 1. */
#include <stdio.h>
#include <string.h>

#include "cli/hub.h"
#include "hub/server.h"
#include "sync/token.h"

static int hub_cmd_enroll(struct cli_args *);

static const struct cli_opt options[] = {
	{ "station", "NAME", N_("the station's name"), NULL, OPT_REQUIRED },
	{ "endpoint", "tcp://HOST:PORT", N_("the address stations reach the hub at (default: "
	    "init's --endpoint)"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command hub_enroll_entry = {
	"enroll", "", N_("register a station; prints its one-time token on the last line"),
	options, 0, hub_cmd_enroll,
};

static int
hub_cmd_enroll(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	const char *name = cli_arg(a, "station"), *endpoint = cli_arg(a, "endpoint");
	char token[TOKEN_MAX], stored[256];
	int rc, found;

	if (a->argc != 0)
		return cli_usage("enroll");
	hub_cli_args(&h, a);
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
