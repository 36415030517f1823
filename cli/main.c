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
	{ "add", "temp|vehicle|resident|visitor|triage|bin|collection [--FIELD VALUE ...] "
	    "[--operator NAME] [--unverified --note TEXT]",
	    N_("store a record after every check and print its reference"), cmd_add },
	{ "exit", "REF", N_("record a visitor's exit"), cmd_exit },
	{ "correct", "REF [--FIELD VALUE ...] [--delete] --reason TEXT",
	    N_("store a corrected version of a record, or delete it, with a reason"),
	    cmd_correct },
	{ "list", "[KIND|REF] [--since TIME] [--until TIME] [--shift N] [--history] [--deleted] "
	    "[--inside] [--rechecks] [--bins] [--limit N] [--format table|csv|json]",
	    N_("list records (latest versions), history, or what is open now"), cmd_list },
	{ "search", "TEXT [--limit N] [--format table|csv|json]",
	    N_("find records by the start of an ID number, plate, phone or name"), cmd_search },
	{ "report", "[--date YYYY-MM-DD | --shift N|current] [--format table|csv|json]",
	    N_("the counts of a day or a shift"), cmd_report },
	{ "shift", "[start NAME | end [--note TEXT]]",
	    N_("sign an operator in, or hand the shift over with its summary"), cmd_shift },
	{ "export", "--format csv|jsonl --out FILE [KIND] [--since TIME] [--until TIME] "
	    "[--history]", N_("write records to a CSV (spreadsheet) or JSON Lines file"),
	    cmd_export },
	{ "purge", "", N_("blank personal fields of records older than the retention days"),
	    cmd_purge },
	{ "watchlist", "import FILE | list [--format table|csv|json]",
	    N_("import or list the ID numbers and plates to watch for"), cmd_watchlist },
	{ "settings", "get [KEY] | set KEY VALUE [--format table|csv|json]",
	    N_("show or change the station's settings"), cmd_settings },
	{ "enroll", "[--timeout SECONDS] [--force] TOKEN",
	    N_("register this station with a district hub (token from outpost-hub enroll)"),
	    cmd_enroll },
	{ "sync", "[--timeout SECONDS] [--quiet]",
	    N_("one pass with the hub; exit 0 done, 6 nothing to do, 5 unreachable, 2 refused"),
	    cmd_sync },
	{ "bundle", "--out FILE",
	    N_("write the records the hub lacks to a signed, sealed file for a USB stick"),
	    cmd_bundle },
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
