/* hub-main.c — the outpost-hub program: one table of subcommands, --help printed from it. */
#include "cli/hub.h"

static const struct command commands[] = {
	{ "init", "[--store PATH|URL] [--passphrase-file PATH] [--endpoint tcp://HOST:PORT] "
	    "[--kdf default|test-cheap]",
	    N_("create the hub's encrypted store and its key pair"), hub_cmd_init },
	{ "serve", "[--store PATH|URL] [--passphrase-file PATH] --listen tcp://ADDR:PORT "
	    "[--heartbeat-ms N]",
	    N_("answer stations until stopped (SIGINT or SIGTERM)"), hub_cmd_serve },
	{ "enroll", "[--store PATH|URL] [--passphrase-file PATH] --station NAME "
	    "[--endpoint tcp://HOST:PORT]",
	    N_("register a station; prints its one-time token on the last line"),
	    hub_cmd_enroll },
	{ "revoke", "[--store PATH|URL] [--passphrase-file PATH] STATION",
	    N_("refuse a station from now on, open connections included"), hub_cmd_revoke },
	{ "stations", "[--store PATH|URL] [--passphrase-file PATH] [--format text|csv]",
	    N_("list stations: status, last seen, records held, behind, clock skew"),
	    hub_cmd_stations },
	{ "watchlist", "[--store PATH|URL] [--passphrase-file PATH] import FILE.csv | list | "
	    "remove TYPE VALUE",
	    N_("the watchlist stations pull (ID numbers and plates)"), hub_cmd_watchlist },
	{ "settings", "[--store PATH|URL] [--passphrase-file PATH] list | set KEY VALUE | "
	    "unset KEY",
	    N_("settings pushed to every station"), hub_cmd_settings },
	{ "import", "[--store PATH|URL] [--passphrase-file PATH] BUNDLE",
	    N_("store the records of a station's USB bundle (idempotent)"), hub_cmd_import },
	{ "export", "[--store PATH|URL] [--passphrase-file PATH] --format csv|jsonl "
	    "[--station NAME] [--out FILE]",
	    N_("write every record held"), hub_cmd_export },
	{ "report", "[--store PATH|URL] [--passphrase-file PATH] [--since TIME] [--until TIME] "
	    "[--station NAME]...",
	    N_("district summary over whole days: records, fevers, flags, inside, overdue bins"),
	    hub_cmd_report },
	{ "purge", "[--store PATH|URL] [--passphrase-file PATH]",
	    N_("blank personal fields older than the retention (settings retention_days)"),
	    hub_cmd_purge },
	{ "top", "[--store PATH|URL] [--passphrase-file PATH] [--interval SECONDS] [--batch]",
	    N_("live full-screen dashboard of the district"), hub_cmd_top },
};
static const char *const head[] = {
	N_("usage: outpost-hub COMMAND [OPTIONS]"),
	NULL,
};
static const char *const tail[] = {
	ERR_EXIT_HELP,
	N_("See outpost-hub(8)."),
	NULL,
};
static const struct program hub = {
	"outpost-hub", commands, sizeof commands / sizeof commands[0], head, tail,
};

int
main(int argc, char **argv)
{
	int rc;

	if ((rc = cli_start(&hub)) != E_OK)
		return rc;
	if (cli_dispatch(&hub, argc, argv, &rc))
		return rc;
	cli_help(&hub, stderr);
	return E_USAGE;
}
