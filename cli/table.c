/* table.c — what both programs do with their command table: start gettext, print --help
 * from the table, and run the subcommand argv[1] names. */
#include <locale.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"

static const struct program *program;

const char *
cli_usage_of(const char *name)
{
	size_t i;

	for (i = 0; program != NULL && i < program->ncmds; i++)
		if (strcmp(program->cmds[i].name, name) == 0)
			return program->cmds[i].usage;
	return NULL;
}

void
cli_help(const struct program *p, FILE *f)
{
	size_t i;
	int w = 0;

	for (i = 0; p->head[i] != NULL; i++)
		fprintf(f, "%s\n", p->head[i][0] != '\0' ? _(p->head[i]) : "");
	for (i = 0; i < p->ncmds; i++)
		if ((int)strlen(p->cmds[i].name) > w)
			w = (int)strlen(p->cmds[i].name);
	fprintf(f, "\n%s\n", _("Commands:"));
	for (i = 0; i < p->ncmds; i++)
		fprintf(f, "  %-*s %s\n", w, p->cmds[i].name, _(p->cmds[i].summary));
	fprintf(f, "\n%s\n", _("Every command:"));
	for (i = 0; i < p->ncmds; i++)
		fprintf(f, "  %s %s %s\n", p->name, p->cmds[i].name, p->cmds[i].usage);
	for (i = 0; p->tail[i] != NULL; i++)
		fprintf(f, "%s%s\n", i == 0 ? "\n" : "", _(p->tail[i]));
}

int
cli_start(const struct program *p)
{
	const char *dir = getenv("OUTPOSTLOCALEDIR");

	struct rlimit none = { 0, 0 };

	program = p;
	cli_progname = p->name;
	/* SQLite's page cache holds decrypted pages: a core dump must never write them out,
	 * and no other process of the same user may read this one's memory. */
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	bindtextdomain(OUTPOST_DOMAIN, dir != NULL ? dir : LOCALEDIR);
	bind_textdomain_codeset(OUTPOST_DOMAIN, "UTF-8");
	if (sodium_init() < 0) {
		fprintf(stderr, "%s: libsodium could not start\n", p->name);
		return E_IO;
	}
	return E_OK;
}

int
cli_dispatch(const struct program *p, int argc, char **argv, int *rc)
{
	size_t i;

	if (argc < 2)
		return 0;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		cli_help(p, stdout);
		*rc = E_OK;
		return 1;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", p->name, OUTPOST_VERSION);
		*rc = E_OK;
		return 1;
	}
	if (argv[1][0] == '-')
		return 0;
	for (i = 0; i < p->ncmds; i++) {
		if (strcmp(p->cmds[i].name, argv[1]) == 0) {
			cli_set_command(p->cmds[i].name);
			*rc = p->cmds[i].run(argc - 1, argv + 1);
			return 1;
		}
	}
	fprintf(stderr, _("%s: unknown command '%s'\n"), p->name, argv[1]);
	cli_help(p, stderr);
	*rc = E_USAGE;
	return 1;
}
