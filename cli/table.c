/* table.c — what both programs do with their command table: start gettext, print --help
 * from the table, and run the subcommand argv[1] names. */
#include <locale.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <sodium.h>

#include "cli/cli.h"

static const struct program *program;

const struct command *
cli_command(const struct program *p, const char *name)
{
	size_t i;

	for (i = 0; p != NULL && i < p->ncmds; i++)
		if (strcmp(p->cmds[i]->name, name) == 0)
			return p->cmds[i];
	return NULL;
}

/* Help fits an 80-column terminal: text printed from column col (what is before it on the
 * line is printed already), broken at spaces — in a synopsis only outside [...] — after
 * the , or | of a list of choices, or between two wide (Chinese) characters; each further
 * line indented by indent columns. */
#define HELP_WIDTH 80
/* Chinese lines never start with closing punctuation nor end with opening. */
static int
help_nobreak(wchar_t prev, wchar_t wc)
{
	return wcschr(L"）)，。、：；！？」』”", wc) != NULL || wcschr(L"（(「『“", prev) != NULL;
}

static void
help_wrap(FILE *f, const char *text, int col, int indent, int synopsis)
{
	const char *p = text, *brk = NULL, *start = text;
	int depth = 0, w, width_at_brk = 0, cw;
	mbstate_t ms;
	wchar_t wc, prev = 0;
	size_t n;

	memset(&ms, 0, sizeof ms);
	w = col;
	while (*p != '\0') {
		n = mbrtowc(&wc, p, strlen(p), &ms);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ms, 0, sizeof ms);
			n = 1;
			wc = (unsigned char)*p;
		}
		cw = wcwidth(wc);
		if (cw < 0)
			cw = 1;
		if (*p == '[')
			depth++;
		else if (*p == ']' && depth > 0)
			depth--;
		if ((*p == ' ' && (!synopsis || depth == 0)) ||
		    (cw == 2 && p > start && !help_nobreak(prev, wc))) {
			brk = p;
			width_at_brk = w;
		}
		if (!synopsis && (*p == ',' || *p == '|') && w + cw <= HELP_WIDTH) {
			brk = p + n;	/* a list of choices breaks after a separator */
			width_at_brk = w + cw;
		}
		if (w + cw > HELP_WIDTH && brk != NULL && width_at_brk > indent) {
			fwrite(start, 1, (size_t)(brk - start), f);
			fprintf(f, "\n%*s", indent, "");
			start = *brk == ' ' ? brk + 1 : brk;
			w = indent + (w - width_at_brk) - (*brk == ' ' ? 1 : 0);
			brk = NULL;
		}
		w += cw;
		p += n;
		prev = wc;
	}
	fputs(start, f);
	fputc('\n', f);
}

/* " --name ARG", bracketed unless required, "..." if repeatable. */
static size_t
synopsis_opt(const struct cli_opt *o, char *buf, size_t n)
{
	int req = o->flags & OPT_REQUIRED;

	return (size_t)snprintf(buf, n, " %s--%s%s%s%s%s", req ? "" : "[", o->name,
	    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "", req ? "" : "]",
	    (o->flags & OPT_REPEAT) ? "..." : "");
}

void
cli_synopsis(const struct program *p, const struct command *cmd, char *buf, size_t n)
{
	const struct cli_opt *o;
	size_t len;

	len = (size_t)snprintf(buf, n, "%s %s%s%s", p->name, cmd->name,
	    cmd->usage[0] != '\0' ? " " : "", cmd->usage);
	for (o = cmd->opts; o != NULL && o->name != NULL && len < n; o++)
		len += synopsis_opt(o, buf + len, n - len);
}

void
cli_help_line(FILE *f, const char *left, const char *text)
{
	int w = (int)strlen(left);

	fprintf(f, "  %s", left);
	if (w > 26)
		fprintf(f, "\n  %-26s", "");
	else
		fprintf(f, "%*s", 26 - w, "");
	fputc(' ', f);
	help_wrap(f, text, 29, 29, 0);
}

/* "  --name ARG   help (also --alias)". */
static void
help_opt(const struct cli_opt *o, FILE *f)
{
	char left[128], text[1024], alias[128] = "";

	snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg != NULL ? " " : "",
	    o->arg != NULL ? o->arg : "");
	if (o->alias != NULL)
		snprintf(alias, sizeof alias, _(" (also --%s)"), o->alias);
	snprintf(text, sizeof text, "%s%s%s%s", _(o->help),
	    (o->flags & OPT_REQUIRED) ? _(" (required)") : "",
	    (o->flags & OPT_REPEAT) ? _(" (may be repeated)") : "", alias);
	cli_help_line(f, left, text);
}

void
cli_command_help(const struct program *p, const struct command *cmd, FILE *f)
{
	const struct cli_opt *o;
	char syn[1024];

	char head[1100];

	cli_synopsis(p, cmd, syn, sizeof syn);
	snprintf(head, sizeof head, _("usage: %s\n"), syn);
	head[strcspn(head, "\n")] = '\0';
	help_wrap(f, head, 0, 6, 1);
	help_wrap(f, _(cmd->summary), 0, 0, 0);
	if (cmd->opts != NULL && cmd->opts[0].name != NULL) {
		fprintf(f, "\n%s\n", _("Options:"));
		for (o = cmd->opts; o->name != NULL; o++)
			help_opt(o, f);
	}
	fprintf(f, "\n%s\n", _("Global options (before or after the command name):"));
	for (o = p->globals; o->name != NULL; o++)
		help_opt(o, f);
}

void
cli_help(const struct program *p, FILE *f)
{
	const struct cli_opt *o;
	char syn[1024];
	size_t i;
	int w = 0;

	for (i = 0; p->head[i] != NULL; i++)
		fprintf(f, "%s\n", p->head[i][0] != '\0' ? _(p->head[i]) : "");
	for (i = 0; i < p->ncmds; i++)
		if ((int)strlen(p->cmds[i]->name) > w)
			w = (int)strlen(p->cmds[i]->name);
	fprintf(f, "\n%s\n", _("Commands:"));
	for (i = 0; i < p->ncmds; i++) {
		fprintf(f, "  %-*s ", w, p->cmds[i]->name);
		help_wrap(f, _(p->cmds[i]->summary), w + 3, w + 3, 0);
	}
	fprintf(f, "\n%s\n", _("Global options (before or after the command name):"));
	for (o = p->globals; o->name != NULL; o++)
		help_opt(o, f);
	fprintf(f, "\n%s\n", _("Every command ('COMMAND --help' says more):"));
	for (i = 0; i < p->ncmds; i++) {
		cli_synopsis(p, p->cmds[i], syn, sizeof syn);
		fputs("  ", f);
		help_wrap(f, syn, 2, 6, 1);
	}
	for (i = 0; p->tail[i] != NULL; i++) {
		if (i == 0)
			fputc('\n', f);
		help_wrap(f, _(p->tail[i]), 0, 0, 0);
	}
}

int
cli_usage(const char *name)
{
	const struct command *cmd = cli_command(program, name);
	char syn[1024];

	if (cmd == NULL)
		return E_USAGE;
	cli_synopsis(program, cmd, syn, sizeof syn);
	fprintf(stderr, _("usage: %s\n"), syn);
	fprintf(stderr, _("Try '%s %s --help'.\n"), program->name, name);
	return E_USAGE;
}

/* The catalogs: $OUTPOSTLOCALEDIR, else the compiled LOCALEDIR when it holds ours, else
 * beside the executable (build/locale in a build tree, PREFIX/share/locale for a binary
 * installed under another PREFIX than it was built for). */
static void
locale_bind(void)
{
	static char dir[8192];
	const char *env = getenv("OUTPOSTLOCALEDIR");
	const char *probe = "/zh_CN/LC_MESSAGES/" OUTPOST_DOMAIN ".mo";
	static const char *const beside[] = { "/locale", "/../share/locale" };
	char exe[4096], path[8192], *slash;
	ssize_t n;
	size_t i;

	if (env != NULL && env[0] != '\0') {
		bindtextdomain(OUTPOST_DOMAIN, env);
		return;
	}
	snprintf(path, sizeof path, "%s%s", LOCALEDIR, probe);
	if (access(path, R_OK) != 0 && (n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		for (i = 0; i < sizeof beside / sizeof beside[0]; i++) {
			snprintf(path, sizeof path, "%s%s%s", exe, beside[i], probe);
			if (access(path, R_OK) == 0) {
				snprintf(dir, sizeof dir, "%s%s", exe, beside[i]);
				bindtextdomain(OUTPOST_DOMAIN, dir);
				return;
			}
		}
	}
	bindtextdomain(OUTPOST_DOMAIN, LOCALEDIR);
}

int
cli_start(const struct program *p)
{
	struct rlimit none = { 0, 0 };

	program = p;
	cli_progname = p->name;
	cli_data_name = p->data_path;
	/* SQLite's page cache holds decrypted pages: a core dump must never write them out,
	 * and no other process of the same user may read this one's memory. */
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	locale_bind();
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
	const struct command *cmd = NULL;
	struct cli_args a;
	struct err e = { 0 };
	int i;

	memset(&a, 0, sizeof a);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "help") == 0) {
			if (i + 1 < argc && (cmd = cli_command(p, argv[i + 1])) != NULL)
				cli_command_help(p, cmd, stdout);
			else
				cli_help(p, stdout);
			*rc = E_OK;
			return 1;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("%s %s\n", p->name, OUTPOST_VERSION);
			*rc = E_OK;
			return 1;
		}
		if (argv[i][0] != '-')
			break;
		switch (cli_global_parse(p, argc, argv, &i, &a.o, &e)) {
		case 1:
			continue;
		case -1:
			fprintf(stderr, "%s: %s\n", p->name, e.msg);
			*rc = E_USAGE;
			return 1;
		}
		return 0;	/* not a global: the program's own use of argv (the TUI's) */
	}
	if (i >= argc)
		return 0;
	if ((cmd = cli_command(p, argv[i])) == NULL) {
		fprintf(stderr, _("%s: unknown command '%s'\n"), p->name, argv[i]);
		cli_help(p, stderr);
		*rc = E_USAGE;
		return 1;
	}
	cli_set_command(cmd->name);
	if (cli_args_parse(p, cmd, argc - i, argv + i, &a, &e) != E_OK) {
		fprintf(stderr, "%s %s: %s\n", p->name, cmd->name, e.msg);
		cli_args_free(&a);
		*rc = cli_usage(cmd->name);
		return 1;
	}
	if (a.help && !(cmd->flags & CMD_FIELDS)) {
		cli_command_help(p, cmd, stdout);
		*rc = E_OK;
	} else {
		*rc = cmd->run(&a);
	}
	cli_args_free(&a);
	return 1;
}
