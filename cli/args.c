/* args.c — reading a command line against the command's table row: the program's global
 * options anywhere, the command's own options, aliases, choices and required options. No
 * getopt array is kept beside the table, so parsing cannot drift from --help. */
#include <locale.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "base/lang.h"
#include "cli/cli.h"

/* "a|b|c" of lowercase words is a closed list of values; "N|current" is not. */
static int
opt_is_choice(const char *arg)
{
	const char *s;

	if (arg == NULL || strchr(arg, '|') == NULL)
		return 0;
	for (s = arg; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		    *s == '-' || *s == '|'))
			return 0;
	return 1;
}

static int
opt_choice_ok(const char *arg, const char *val)
{
	size_t n = strlen(val);
	const char *s = arg, *bar;

	for (;;) {
		bar = strchr(s, '|');
		if ((bar != NULL ? (size_t)(bar - s) : strlen(s)) == n && strncmp(s, val, n) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		s = bar + 1;
	}
}

static const struct cli_opt *
opt_find(const struct cli_opt *opts, const char *name, size_t n)
{
	for (; opts != NULL && opts->name != NULL; opts++)
		if ((strlen(opts->name) == n && strncmp(opts->name, name, n) == 0) ||
		    (opts->alias != NULL && strlen(opts->alias) == n &&
		    strncmp(opts->alias, name, n) == 0))
			return opts;
	return NULL;
}

/* Stores a global option's value in o. */
static int
global_set(struct cli_opts *o, const struct cli_opt *g, const char *val, struct err *e)
{
	if (strcmp(g->name, "db") == 0 || strcmp(g->name, "store") == 0)
		o->db = val;
	else if (strcmp(g->name, "passphrase-file") == 0)
		o->passphrase_file = val;
	else if (strcmp(g->name, "recovery-key") == 0)
		o->recovery = 1;
	else if (strcmp(g->name, "lang") == 0) {
		o->lang = val;
		if (lang_set(val) != 0)
			return err_set(e, E_USAGE, _("--lang takes en or zh, not '%s'"), val);
	}
	return E_OK;
}

/* One option at argv[*i] ("--name", "--name=value"): its value taken, and checked. */
static int
opt_value(const struct cli_opt *opt, const char *typed, const char *eq, int argc,
    char **argv, int *i, const char **val, struct err *e)
{
	char list[256], *p;

	*val = NULL;
	if (opt->arg == NULL) {
		if (eq != NULL)
			return err_set(e, E_USAGE, _("--%s takes no value"), opt->name);
		return E_OK;
	}
	if (eq != NULL)
		*val = eq + 1;
	else if (*i + 1 < argc)
		*val = argv[++*i];
	else
		return err_set(e, E_USAGE, _("--%s needs a value: --%s %s"), typed, opt->name,
		    opt->arg);
	if (opt_is_choice(opt->arg) && !opt_choice_ok(opt->arg, *val)) {
		snprintf(list, sizeof list, "%s", opt->arg);
		for (p = list; *p != '\0'; p++)
			if (*p == '|')
				*p = '/';
		return err_set(e, E_USAGE, _("--%s takes %s, not '%s'"), opt->name, list, *val);
	}
	return E_OK;
}

int
cli_global_parse(const struct program *p, int argc, char **argv, int *i, struct cli_opts *o,
    struct err *e)
{
	const struct cli_opt *opt;
	const char *arg = argv[*i], *eq, *val;
	size_t n;
	int rc;

	if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
		return 0;
	arg += 2;
	eq = strchr(arg, '=');
	n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	if ((opt = opt_find(p->globals, arg, n)) == NULL)
		return 0;
	if ((rc = opt_value(opt, opt->name, eq, argc, argv, i, &val, e)) != E_OK ||
	    (rc = global_set(o, opt, val, e)) != E_OK)
		return -1;
	return 1;
}

int
cli_args_parse(const struct program *p, const struct command *cmd, int argc, char **argv,
    struct cli_args *a, struct err *e)
{
	const struct cli_opt *opt;
	const char *arg, *eq, *val;
	int i, rc, only_operands = 0;
	size_t n;

	a->prog = p;
	a->cmd = cmd;
	a->argc = a->nv = a->help = 0;
	a->argv = calloc((size_t)argc + 1, sizeof *a->argv);
	a->v = calloc((size_t)argc + 1, sizeof *a->v);
	if (a->argv == NULL || a->v == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (only_operands || arg[0] != '-' || arg[1] == '\0' ||
		    (arg[1] >= '0' && arg[1] <= '9')) {
			a->argv[a->argc++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_operands = 1;
			continue;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			a->help = 1;
			continue;
		}
		if (arg[1] != '-')
			return err_set(e, E_USAGE, _("unknown option %s: options are long, "
			    "like --db"), arg);
		if ((rc = cli_global_parse(p, argc, argv, &i, &a->o, e)) < 0)
			return E_USAGE;
		if (rc == 1)
			continue;
		arg += 2;
		eq = strchr(arg, '=');
		n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		if ((opt = opt_find(cmd->opts, arg, n)) != NULL) {
			if ((rc = opt_value(opt, opt->name, eq, argc, argv, &i, &val, e)) != E_OK)
				return rc;
			if (strcmp(opt->name, "format") == 0)
				a->o.format = val;
			if (!(opt->flags & OPT_REPEAT) && cli_flag(a, opt->name) > 0 &&
			    opt->arg != NULL)
				return err_set(e, E_USAGE, _("--%s is given twice"), opt->name);
			a->v[a->nv++] = (struct cli_option_value){ opt, opt->name,
			    strlen(opt->name), val };
			continue;
		}
		if (!(cmd->flags & CMD_FIELDS))
			return err_set(e, E_USAGE, _("unknown option --%.*s"), (int)n, arg);
		/* a field of a record kind: its value follows unless an option does */
		if (eq != NULL)
			val = eq + 1;
		else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
			val = argv[++i];
		else
			val = NULL;
		a->v[a->nv++] = (struct cli_option_value){ NULL, arg, n, val };
	}
	if (a->help)
		return E_OK;
	for (opt = cmd->opts; opt != NULL && opt->name != NULL; opt++)
		if ((opt->flags & OPT_REQUIRED) && cli_flag(a, opt->name) == 0)
			return err_set(e, E_USAGE, _("--%s %s is required"), opt->name,
			    opt->arg != NULL ? opt->arg : "");
	return E_OK;
}

void
cli_args_free(struct cli_args *a)
{
	free(a->argv);
	free(a->v);
	a->argv = NULL;
	a->v = NULL;
}

const char *
cli_arg(const struct cli_args *a, const char *name)
{
	const char *val = NULL;
	int i;

	for (i = 0; i < a->nv; i++)
		if (a->v[i].opt != NULL && strcmp(a->v[i].opt->name, name) == 0)
			val = a->v[i].value;
	return val;
}

int
cli_flag(const struct cli_args *a, const char *name)
{
	int i, n = 0;

	for (i = 0; i < a->nv; i++)
		if (a->v[i].opt != NULL && strcmp(a->v[i].opt->name, name) == 0)
			n++;
	return n;
}

const char *
cli_arg_at(const struct cli_args *a, const char *name, int k)
{
	int i;

	for (i = 0; i < a->nv; i++)
		if (a->v[i].opt != NULL && strcmp(a->v[i].opt->name, name) == 0 && k-- == 0)
			return a->v[i].value;
	return NULL;
}
