/* hub-main.c — the outpost-hub program: one table of subcommands, --help printed from it. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/hub.h"

static const struct command commands[] = {
	{ "init", "[--store PATH] [--passphrase-file PATH] [--endpoint tcp://HOST:PORT] "
	    "[--kdf default|test-cheap]",
	    N_("create the hub's encrypted store and its key pair"), hub_cmd_init },
	{ "serve", "[--store PATH] [--passphrase-file PATH] --listen tcp://ADDR:PORT "
	    "[--heartbeat-ms N]",
	    N_("answer stations until stopped (SIGINT or SIGTERM)"), hub_cmd_serve },
	{ "enroll", "[--store PATH] [--passphrase-file PATH] --station NAME "
	    "[--endpoint tcp://HOST:PORT]",
	    N_("register a station; prints its one-time token on the last line"),
	    hub_cmd_enroll },
	{ "revoke", "[--store PATH] [--passphrase-file PATH] STATION",
	    N_("refuse a station from now on, open connections included"), hub_cmd_revoke },
	{ "stations", "[--store PATH] [--passphrase-file PATH] [--format text|csv]",
	    N_("list stations: status, last seen, records held, behind, clock skew"),
	    hub_cmd_stations },
	{ "watchlist", "[--store PATH] [--passphrase-file PATH] import FILE.csv | list | "
	    "remove TYPE VALUE",
	    N_("the watchlist stations pull (ID numbers and plates)"), hub_cmd_watchlist },
	{ "settings", "[--store PATH] [--passphrase-file PATH] list | set KEY VALUE | "
	    "unset KEY",
	    N_("settings pushed to every station"), hub_cmd_settings },
	{ "import", "[--store PATH] [--passphrase-file PATH] BUNDLE",
	    N_("store the records of a station's USB bundle (idempotent)"), hub_cmd_import },
	{ "export", "[--store PATH] [--passphrase-file PATH] --format csv|jsonl "
	    "[--station NAME] [--out FILE]",
	    N_("write every record held"), hub_cmd_export },
	{ "report", "[--store PATH] [--passphrase-file PATH] [--since YYYY-MM-DD]",
	    N_("district summary: records by station and kind, fevers, overdue bins"),
	    hub_cmd_report },
	{ "top", "[--store PATH] [--passphrase-file PATH] [--interval SECONDS]",
	    N_("live full-screen dashboard of the district"), hub_cmd_top },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

const char *
cli_usage_of(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].usage;
	return NULL;
}

static void
help(FILE *f)
{
	size_t i;

	fprintf(f, "%s\n\n", _("usage: outpost-hub COMMAND [OPTIONS]"));
	fprintf(f, "%s\n", _("Commands:"));
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
	fprintf(f, "\n%s\n", _("Every command:"));
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  outpost-hub %s %s\n", commands[i].name, commands[i].usage);
	fprintf(f, "\n%s\n", _("Exit status: 0 ok, 1 usage, 2 wrong passphrase or refused, "
	    "3 damaged file, 4 invalid input, 5 I/O or network."));
	fprintf(f, "%s\n", _("See outpost-hub(8)."));
}

int
main(int argc, char **argv)
{
	const char *dir = getenv("OUTPOSTLOCALEDIR");
	size_t i;

	cli_progname = "outpost-hub";
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	bindtextdomain(OUTPOST_DOMAIN, dir != NULL ? dir : LOCALEDIR);
	bind_textdomain_codeset(OUTPOST_DOMAIN, "UTF-8");
	if (sodium_init() < 0) {
		fprintf(stderr, "outpost-hub: libsodium could not start\n");
		return E_IO;
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		help(argc < 2 ? stderr : stdout);
		return argc < 2 ? E_USAGE : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("outpost-hub %s\n", OUTPOST_VERSION);
		return 0;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, argv[1]) == 0) {
			cli_set_command(commands[i].name);
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, _("outpost-hub: unknown command '%s'\n"), argv[1]);
	help(stderr);
	return E_USAGE;
}
