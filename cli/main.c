/* main.c — the outpost program: one table maps subcommand names to functions (as tmux's
 * cmd_entry table does); --help is printed from it. No subcommand opens the TUI. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "tui/tui.h"

static const struct command commands[] = {
	{ "init", "[--db PATH] --station-kind traffic|gate|triage --station NAME "
	    "[--passphrase-file PATH] [--kdf default|test-cheap]",
	    N_("create a new encrypted logbook and show its recovery key"), cmd_init },
	{ "passwd", "[--db PATH] [--passphrase-file PATH] [--recovery-key] "
	    "add|remove|list [--new-passphrase-file PATH] [--label TEXT]",
	    N_("add, remove or list the passphrases that open the logbook"), cmd_passwd },
	{ "check", "[--db PATH] [--passphrase-file PATH] [--recovery-key]",
	    N_("verify every page and the database structure; prints ok"), cmd_check },
	{ "rekey", "[--db PATH] [--passphrase-file PATH] [--recovery-key]",
	    N_("re-encrypt the logbook under a new data key"), cmd_rekey },
	{ "backup", "[--db PATH] [--passphrase-file PATH] [--recovery-key] DEST",
	    N_("write a consistent encrypted copy, safe while the logbook is in use"),
	    cmd_backup },
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

	fprintf(f, "%s\n", _("usage: outpost [--db PATH] [--lang en|zh]"));
	fprintf(f, "%s\n\n", _("       outpost COMMAND [OPTIONS]"));
	fprintf(f, "%s\n", _("With no command, outpost opens the station's logbook full-screen."));
	fprintf(f, "\n%s\n", _("Commands:"));
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, _(commands[i].summary));
	fprintf(f, "\n%s\n", _("Every command:"));
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  outpost %s %s\n", commands[i].name, commands[i].usage);
	fprintf(f, "\n%s\n", _("Exit status: 0 ok, 1 usage, 2 wrong passphrase, 3 damaged file, "
	    "4 invalid input, 5 I/O or network."));
	fprintf(f, "%s\n", _("See outpost(1) and outpost(5)."));
}

static void
i18n_init(void)
{
	const char *dir = getenv("OUTPOSTLOCALEDIR");

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	bindtextdomain(OUTPOST_DOMAIN, dir != NULL ? dir : LOCALEDIR);
	bind_textdomain_codeset(OUTPOST_DOMAIN, "UTF-8");
}

int
main(int argc, char **argv)
{
	size_t i;

	i18n_init();
	if (sodium_init() < 0) {
		fprintf(stderr, "outpost: libsodium could not start\n");
		return E_IO;
	}
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0)) {
		help(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("outpost %s\n", OUTPOST_VERSION);
		return 0;
	}
	if (argc >= 2 && argv[1][0] != '-') {
		for (i = 0; i < NCOMMANDS; i++) {
			if (strcmp(commands[i].name, argv[1]) == 0) {
				cli_set_command(commands[i].name);
				return commands[i].run(argc - 1, argv + 1);
			}
		}
		fprintf(stderr, _("outpost: unknown command '%s'\n"), argv[1]);
		help(stderr);
		return E_USAGE;
	}
	return tui_main(argc, argv, cli_db_path(NULL));
}
