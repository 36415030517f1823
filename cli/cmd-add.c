/* cmd-add.c — outpost add KIND --FIELD VALUE …: stores one record after every check and
 * prints its reference; warnings (fever, flags, quota, watchlist) go to stderr. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/fields.h"

static int cmd_add(struct cli_args *);

static const struct cli_opt options[] = {
	{ "operator", "NAME", N_("sign NAME in first, if another operator is signed in"), NULL,
	    0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_add_entry = {
	"add", "temp|vehicle|resident|visitor|triage|bin|collection [--FIELD VALUE ...]",
	N_("store a record after every check and print its reference"), options, CMD_FIELDS,
	cmd_add,
};

/* outpost add KIND --help: the flags of that kind, from its field table. */
static void
add_help(const struct cli_args *a, int kind)
{
	const struct rec_field *f;
	const char *const *c, *alias;
	char flag[64], left[96], text[1024], dashed[64], *p;
	size_t n, i, used;

	cli_command_help(a->prog, a->cmd, stdout);
	if (kind < 0) {
		printf("\n%s\n", _("'outpost add KIND --help' lists the fields of a kind."));
		return;
	}
	printf(_("\nFields of a %s record:\n"), rec_kind_name(kind));
	f = rec_fields(kind, &n);
	for (i = 0; i < n; i++) {
		if (f[i].flags & FF_COMPUTED)
			continue;
		rcli_flag_name(kind, f[i].name, flag, sizeof flag);
		snprintf(left, sizeof left, "--%s", flag);
		used = (size_t)snprintf(text, sizeof text, "%s%s", _(f[i].label),
		    (f[i].flags & FF_REQUIRED) ? _(" (required)") : "");
		for (c = f[i].choices; c != NULL && *c != NULL && used < sizeof text; c++)
			used += (size_t)snprintf(text + used, sizeof text - used, "%s%s%s",
			    c == f[i].choices ? " [" : f[i].type == FT_FLAGS ? "," : "|", *c,
			    c[1] == NULL ? "]" : "");
		/* the other spellings accepted: an alias, or the field's own name */
		snprintf(dashed, sizeof dashed, "%s", f[i].name);
		for (p = dashed; *p != '\0'; p++)
			if (*p == '_')
				*p = '-';
		if ((alias = rcli_flag_alias(kind, f[i].name)) == NULL && strcmp(dashed, flag) != 0)
			alias = dashed;	/* temp's --value, --recheck-of */
		if (alias != NULL && used < sizeof text)
			snprintf(text + used, sizeof text - used, _(" (also --%s)"), alias);
		cli_help_line(stdout, left, text);
	}
	printf("\n%s\n", _("Temperatures in °C (36.5 or 365); weights in kg. See outpost(1)."));
}

static int
cmd_add(struct cli_args *a)
{
	const char *operator_name = cli_arg(a, "operator");
	struct rec_notice n;
	struct record r;
	struct rcli s;
	struct err e = {0};
	int kind, rc;

	kind = a->argc >= 1 ? rec_kind_parse(a->argv[0]) : -1;
	if (kind == REC_EXIT || kind == REC_SIGNIN || kind == REC_HANDOVER)
		kind = -1;
	if (a->help) {
		add_help(a, kind);
		return E_OK;
	}
	if (a->argc != 1 || kind < 0) {
		if (a->argc >= 1)
			fprintf(stderr,
			    _("outpost add: '%s' is not a kind of record: temp, vehicle, "
			      "resident, visitor, triage, bin or collection\n"),
			    a->argv[0]);
		return cli_usage("add");
	}
	rec_init(&r, kind);
	if ((rc = rcli_fields(a, &r, &e)) != E_OK) {
		if (rc == E_USAGE) {
			fprintf(stderr, "outpost add: %s\n", e.msg);
			return cli_usage("add");
		}
		rcli_name_flag(&e, kind);
		return cli_fail(&e);
	}
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
		return cli_fail(&e);
	if (operator_name != NULL && strcmp(operator_name, logbook_operator(s.lb)) != 0)
		rc = cli_change_operator(s.lb, "add", operator_name, &e);
	if (rc == E_OK)
		rc = rec_add(s.lb, &r, &n, &e);
	rcli_close(&s);
	if (rc != E_OK) {
		rcli_name_flag(&e, kind);
		return cli_fail(&e);
	}
	printf("%lld\n", (long long)r.seq);
	if (n.text[0] != '\0')
		fprintf(stderr, _("outpost add: warning: %s\n"), cli_term(n.text));
	return E_OK;
}
