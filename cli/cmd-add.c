/* cmd-add.c — outpost add KIND --FIELD VALUE …: stores one record after every check and
 * prints its reference; warnings (fever, flags, quota, watchlist) go to stderr. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/fields.h"

/* outpost add KIND --help: the flags of that kind, from its field table. */
static void
add_help(int kind)
{
	const struct rec_field *f;
	const char *const *c;
	char flag[64], *p;
	size_t n, i;

	printf(_("usage: outpost add %s [--FIELD VALUE ...] [--operator NAME]\n\n"),
	    rec_kind_name(kind));
	f = rec_fields(kind, &n);
	for (i = 0; i < n; i++) {
		if (f[i].flags & FF_COMPUTED)
			continue;
		snprintf(flag, sizeof flag, "--%s", f[i].name);
		for (p = flag; *p != '\0'; p++)
			if (*p == '_')
				*p = '-';
		printf("  %-22s %s%s", flag, _(f[i].label),
		    (f[i].flags & FF_REQUIRED) ? _(" (required)") : "");
		if (f[i].choices != NULL) {
			printf(" [");
			for (c = f[i].choices; *c != NULL; c++)
				printf("%s%s", c == f[i].choices ? "" : f[i].type == FT_FLAGS ?
				    "," : "|", *c);
			printf("]");
		}
		printf("\n");
	}
	printf("\n%s\n", _("Temperatures in °C (36.5 or 365); weights in kg. See outpost(1)."));
}

int
cmd_add(int argc, char **argv)
{
	const char *operator_name = NULL;
	const struct rcli_flag flags[] = {
	    {"operator", &operator_name, NULL},
	    {NULL, NULL, NULL},
	};
	struct cli_opts o = {0};
	struct rec_notice n;
	struct record r;
	struct rcli s;
	struct err e = {0};
	char *pos[1];
	int npos = 1, kind, rc;

	if (argc < 2 || (kind = rec_kind_parse(argv[1])) < 0 || kind == REC_EXIT ||
	    kind == REC_SIGNIN || kind == REC_HANDOVER) {
		if (argc >= 2 && argv[1][0] != '-')
			fprintf(stderr,
			    _("outpost add: '%s' is not a kind of record: temp, vehicle, "
			      "resident, visitor, triage, bin or collection\n"),
			    argv[1]);
		return cli_usage("add");
	}
	if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		add_help(kind);
		return E_OK;
	}
	rec_init(&r, kind);
	if ((rc = rcli_parse(argc - 1, argv + 1, &o, flags, &r, pos, &npos, &e)) != E_OK) {
		if (rc == E_USAGE) {
			fprintf(stderr, "outpost add: %s\n", e.msg);
			return cli_usage("add");
		}
		return cli_fail(&e);
	}
	if (npos != 0)
		return cli_usage("add");
	if ((rc = rcli_open(&o, &s, &e)) != E_OK)
		return cli_fail(&e);
	if (operator_name != NULL && strcmp(operator_name, logbook_operator(s.lb)) != 0)
		rc = cli_change_operator(s.lb, "add", operator_name, &e);
	if (rc == E_OK)
		rc = rec_add(s.lb, &r, &n, &e);
	rcli_close(&s);
	if (rc != E_OK) {
		rcli_name_flag(&e);
		return cli_fail(&e);
	}
	printf("%lld\n", (long long)r.seq);
	if (n.text[0] != '\0')
		fprintf(stderr, _("outpost add: warning: %s\n"), cli_term(n.text));
	return E_OK;
}
