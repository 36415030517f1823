/* hub-main.c — the outpost-hub program: its global options and the table of its
 * subcommands, one row per cli/hub-NAME.c; --help is printed from it. */
#include "cli/hub.h"

static const struct cli_opt globals[] = {
	{ "store", "PATH|URL", N_("a file (default ~/.local/share/outpost-hub/hub.db) or postgresql://…"),
	    NULL, 0 },
	{ "passphrase-file", "PATH", N_("read the passphrase from the first line of PATH"),
	    NULL, 0 },
	{ "lang", "en|zh", N_("the language of messages, whatever the locale"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
static const struct command *const commands[] = {
	&hub_init_entry, &hub_serve_entry, &hub_enroll_entry, &hub_revoke_entry,
	&hub_stations_entry, &hub_watchlist_entry, &hub_settings_entry, &hub_import_entry,
	&hub_export_entry, &hub_report_entry, &hub_purge_entry, &hub_top_entry,
};
static const char *const head[] = {
	N_("usage: outpost-hub [GLOBAL OPTIONS] COMMAND [OPTIONS]"),
	NULL,
};
static const char *const tail[] = {
	ERR_EXIT_HELP,
	N_("See outpost-hub(8)."),
	NULL,
};
static const struct program hub = {
	"outpost-hub", globals, commands, sizeof commands / sizeof commands[0],
	"outpost-hub/hub.db", head, tail,
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
