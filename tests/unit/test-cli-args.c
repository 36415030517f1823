/* test-cli-args.c — the option tables: cli/args.c parses a command line only from a
 * command's row and the program's globals (before or after operands, --NAME=VALUE,
 * aliases, choices, required and repeated options, "--"), and base/file.c writes files
 * whole; storage/sheet.c's idea of what a spreadsheet reads as a number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/file.h"
#include "storage/sheet.h"
/* the parser is part of the programs, not of a library layer: built in here */
#include "cli/args.c"

static const struct cli_opt globals[] = {
	{ "db", "PATH", "the logbook", NULL, 0 },
	{ "passphrase-file", "PATH", "passphrase", NULL, 0 },
	{ "recovery-key", NULL, "recovery", NULL, 0 },
	{ "lang", "en|zh", "language", NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
static const struct cli_opt opts[] = {
	{ "kind", "traffic|gate|triage", "kind", "station-kind", OPT_REQUIRED },
	{ "station", "NAME", "station", NULL, OPT_REPEAT },
	{ "force", NULL, "force", NULL, 0 },
	{ "shift", "N|current", "shift", NULL, 0 },
	{ "format", "csv|jsonl", "format", NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
static int run(struct cli_args *a) { (void)a; return 0; }
static const struct command cmd = { "x", "[ARG]", "a test command", opts, 0, run };
static const struct command fields = { "add", "KIND", "fields", opts + 2, CMD_FIELDS, run };
static const struct command *const cmds[] = { &cmd, &fields };
static const struct program prog = { "outpost", globals, cmds, 2, "outpost/logbook.db", NULL,
	NULL };

/* Parses the words of line (space-separated) as "x WORDS". */
static int
parse(const struct command *c, const char *line, struct cli_args *a, struct err *e)
{
	static char buf[512];
	static char *argv[64];
	int argc = 0;
	char *w;

	snprintf(buf, sizeof buf, "%s %s", c->name, line);
	for (w = strtok(buf, " "); w != NULL && argc < 63; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	memset(a, 0, sizeof *a);
	return cli_args_parse(&prog, c, argc, argv, a, e);
}

static void
test_options_anywhere(void **state)
{
	struct cli_args a;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(parse(&cmd, "one --kind gate two --db=a.db --station A --station=B "
	    "--force --passphrase-file p", &a, &e), E_OK);
	assert_string_equal(cli_arg(&a, "kind"), "gate");
	assert_string_equal(a.o.db, "a.db");
	assert_string_equal(a.o.passphrase_file, "p");
	assert_int_equal(cli_flag(&a, "force"), 1);
	assert_int_equal(cli_flag(&a, "station"), 2);
	assert_string_equal(cli_arg_at(&a, "station", 0), "A");
	assert_string_equal(cli_arg_at(&a, "station", 1), "B");
	assert_null(cli_arg_at(&a, "station", 2));
	assert_string_equal(cli_arg(&a, "station"), "B");
	assert_int_equal(a.argc, 2);
	assert_string_equal(a.argv[0], "one");
	assert_string_equal(a.argv[1], "two");
	assert_null(cli_arg(&a, "shift"));
	cli_args_free(&a);
}

static void
test_alias_choice_required(void **state)
{
	struct cli_args a;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(parse(&cmd, "--station-kind triage", &a, &e), E_OK);
	assert_string_equal(cli_arg(&a, "kind"), "triage");	/* by its table name */
	cli_args_free(&a);
	assert_int_equal(parse(&cmd, "--kind farm", &a, &e), E_USAGE);
	assert_non_null(strstr(e.msg, "traffic/gate/triage"));
	assert_non_null(strstr(e.msg, "farm"));
	cli_args_free(&a);
	assert_int_equal(parse(&cmd, "--station A", &a, &e), E_USAGE);
	assert_non_null(strstr(e.msg, "--kind"));
	cli_args_free(&a);
	/* N|current is not a closed list: any value */
	assert_int_equal(parse(&cmd, "--kind gate --shift 12", &a, &e), E_OK);
	assert_string_equal(cli_arg(&a, "shift"), "12");
	cli_args_free(&a);
	assert_int_equal(parse(&cmd, "--kind gate --format xml", &a, &e), E_USAGE);
	cli_args_free(&a);
	assert_int_equal(parse(&cmd, "--kind gate --format jsonl", &a, &e), E_OK);
	assert_string_equal(a.o.format, "jsonl");
	cli_args_free(&a);
}

static void
test_errors(void **state)
{
	struct cli_args a;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(parse(&cmd, "--kind gate --bogus", &a, &e), E_USAGE);
	assert_non_null(strstr(e.msg, "--bogus"));
	cli_args_free(&a);
	assert_int_equal(parse(&cmd, "--kind gate --force=yes", &a, &e), E_USAGE);
	assert_non_null(strstr(e.msg, "no value"));
	cli_args_free(&a);
	assert_int_equal(parse(&cmd, "--kind gate --shift 1 --shift 2", &a, &e), E_USAGE);
	assert_non_null(strstr(e.msg, "twice"));
	cli_args_free(&a);
	assert_int_equal(parse(&cmd, "--kind", &a, &e), E_USAGE);
	assert_non_null(strstr(e.msg, "needs a value"));
	cli_args_free(&a);
	assert_int_equal(parse(&cmd, "--kind gate -x", &a, &e), E_USAGE);
	cli_args_free(&a);
	assert_int_equal(parse(&cmd, "--kind gate --lang fr", &a, &e), E_USAGE);
	cli_args_free(&a);
	/* --help needs nothing else, not even the required options */
	assert_int_equal(parse(&cmd, "--help", &a, &e), E_OK);
	assert_int_equal(a.help, 1);
	cli_args_free(&a);
}

static void
test_operands_after_dashes(void **state)
{
	struct cli_args a;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(parse(&cmd, "--kind gate -- --force -5", &a, &e), E_OK);
	assert_int_equal(cli_flag(&a, "force"), 0);
	assert_int_equal(a.argc, 2);
	assert_string_equal(a.argv[0], "--force");
	cli_args_free(&a);
	assert_int_equal(parse(&cmd, "--kind gate -5 -", &a, &e), E_OK);
	assert_int_equal(a.argc, 2);	/* a negative number and "-" are operands */
	cli_args_free(&a);
}

static void
test_fields_kept(void **state)
{
	struct cli_args a;
	struct err e = { 0 };

	(void)state;
	assert_int_equal(parse(&fields, "temp --temp 36.5 --unverified --person=Li --force "
	    "--note x", &a, &e), E_OK);
	assert_int_equal(a.argc, 1);
	assert_int_equal(cli_flag(&a, "force"), 1);
	assert_int_equal(a.nv, 5);
	assert_null(a.v[0].opt);
	assert_int_equal(a.v[0].namelen, 4);
	assert_memory_equal(a.v[0].name, "temp", 4);
	assert_string_equal(a.v[0].value, "36.5");
	assert_null(a.v[1].value);	/* a switch: the next word is an option */
	assert_int_equal(a.v[2].namelen, 6);
	assert_string_equal(a.v[2].value, "Li");
	assert_string_equal(a.v[4].value, "x");
	cli_args_free(&a);
}

static void
test_globals_before_command(void **state)
{
	char *argv[] = { "outpost", "--db", "g.db", "--lang=en", "x", NULL };
	struct cli_opts o = { 0 };
	struct err e = { 0 };
	int i = 1;

	(void)state;
	assert_int_equal(cli_global_parse(&prog, 5, argv, &i, &o, &e), 1);
	assert_int_equal(i, 2);	/* past its value */
	assert_string_equal(o.db, "g.db");
	i = 3;
	assert_int_equal(cli_global_parse(&prog, 5, argv, &i, &o, &e), 1);
	assert_int_equal(i, 3);
	assert_string_equal(o.lang, "en");
	i = 4;
	assert_int_equal(cli_global_parse(&prog, 5, argv, &i, &o, &e), 0);
}

static void
test_file_whole(void **state)
{
	char dir[] = "/tmp/outpost-file.XXXXXX", dest[256], buf[16];
	struct atomic_file af;
	struct err e = { 0 };
	struct stat sb;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(dest, sizeof dest, "%s/out.csv", dir);
	umask(022);
	assert_int_equal(atomic_open(&af, dest, 0, 0600, &e), E_OK);
	assert_non_null(f = atomic_stream(&af));
	fputs("one", f);
	assert_int_equal(access(dest, F_OK), -1);	/* nothing at DEST before the commit */
	assert_int_equal(atomic_commit(&af, &e), E_OK);
	assert_int_equal(stat(dest, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(atomic_open(&af, dest, 0, 0600, &e), E_USAGE);	/* exists */
	assert_non_null(strstr(e.msg, "--force"));
	assert_int_equal(atomic_open(&af, dest, ATOMIC_FORCE, 0600, &e), E_OK);
	fputs("two", atomic_stream(&af));
	atomic_abort(&af);	/* an error: the old file stays */
	assert_non_null(f = fopen(dest, "r"));
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "one");
	assert_int_equal(atomic_open(&af, dest, ATOMIC_FORCE, 0600, &e), E_OK);
	fputs("two", atomic_stream(&af));
	assert_int_equal(atomic_commit(&af, &e), E_OK);
	assert_non_null(f = fopen(dest, "r"));
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "two");
	assert_int_equal(atomic_open(&af, dir, ATOMIC_FORCE, 0600, &e), E_USAGE);
	assert_int_equal(unlink(dest), 0);
	assert_int_equal(rmdir(dir), 0);	/* no temporary left behind */
}

static void
test_looks_numeric(void **state)
{
	(void)state;
	assert_true(sheet_looks_numeric("110105194912310011"));
	assert_true(sheet_looks_numeric("+85291234567"));
	assert_true(sheet_looks_numeric("007"));
	assert_true(sheet_looks_numeric("1e5"));
	assert_false(sheet_looks_numeric("11010519491231002X"));
	assert_false(sheet_looks_numeric("粤B12345"));
	assert_false(sheet_looks_numeric("3-2-301"));
	assert_false(sheet_looks_numeric(""));
	assert_false(sheet_looks_numeric("+"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_anywhere),
		cmocka_unit_test(test_alias_choice_required),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_operands_after_dashes),
		cmocka_unit_test(test_fields_kept),
		cmocka_unit_test(test_globals_before_command),
		cmocka_unit_test(test_file_whole),
		cmocka_unit_test(test_looks_numeric),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
