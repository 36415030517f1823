/* main.c — the outpost program: its global options and the table of its subcommands, one
 * row per cli/cmd-NAME.c (as tmux's cmd_table); --help is printed from it. No subcommand
 * opens the TUI. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "tui/tui.h"

static const struct cli_opt globals[] = {
	{ "db", "PATH", N_("the logbook (default: ~/.local/share/outpost/logbook.db)"), NULL, 0 },
	{ "passphrase-file", "PATH", N_("read the passphrase from the first line of PATH"),
	    NULL, 0 },
	{ "recovery-key", NULL, N_("the secret typed or read is the recovery key"), NULL, 0 },
	{ "lang", "en|zh", N_("the language of messages, whatever the locale"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
static const struct command *const commands[] = {
	&cmd_init_entry, &cmd_passwd_entry, &cmd_check_entry, &cmd_rekey_entry,
	&cmd_backup_entry, &cmd_add_entry, &cmd_exit_entry, &cmd_correct_entry,
	&cmd_list_entry, &cmd_search_entry, &cmd_report_entry, &cmd_shift_entry,
	&cmd_export_entry, &cmd_purge_entry, &cmd_watchlist_entry, &cmd_settings_entry,
	&cmd_enroll_entry, &cmd_sync_entry, &cmd_bundle_entry,
};
static const char *const head[] = {
	N_("usage: outpost [--db PATH] [--lang en|zh]"),
	N_("       outpost [GLOBAL OPTIONS] COMMAND [OPTIONS]"),
	"",
	N_("With no command, outpost opens the station's logbook full-screen."),
	NULL,
};
static const char *const tail[] = {
	ERR_EXIT_HELP,
	N_("See outpost(1) and outpost(5)."),
	NULL,
};
static const struct program outpost = {
	"outpost", globals, commands, sizeof commands / sizeof commands[0],
	"outpost/logbook.db", head, tail,
};

int
main(int argc, char **argv)
{
	int rc;

	if ((rc = cli_start(&outpost)) != E_OK)
		return rc;
	if (cli_dispatch(&outpost, argc, argv, &rc))
		return rc;
	return tui_main(argc, argv, cli_db_path(NULL));
}
