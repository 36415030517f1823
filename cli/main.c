/* main.c — the outpost program: one table maps subcommand names to functions (as tmux's
 * cmd_entry table does); --help is printed from it. No subcommand opens the TUI. */
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
	{ "sync", "[--timeout SECONDS] [--quiet] [--watch [--interval SECONDS] "
	    "[--retry-max SECONDS]]",
	    N_("one pass with the hub (--watch: keep syncing); exit 0 done or up to date, "
	    "5 unreachable, 2 refused"),
	    cmd_sync },
	{ "bundle", "--out FILE",
	    N_("write the records the hub lacks to a signed, sealed file for a USB stick"),
	    cmd_bundle },
};
static const char *const head[] = {
	N_("usage: outpost [--db PATH] [--lang en|zh]"),
	N_("       outpost COMMAND [OPTIONS]"),
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
	"outpost", commands, sizeof commands / sizeof commands[0], head, tail,
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
