/* cmd-add.c — outpost add KIND --FIELD VALUE …: stores one record after every check and
 * prints its reference; warnings (fever, flags, quota, watchlist) go to stderr. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/records.h"

int
cmd_add(int argc, char **argv)
{
	const char *operator_name = NULL;
	const struct rcli_flag flags[] = {
		{ "operator", &operator_name, NULL },
		{ NULL, NULL, NULL },
	};
	struct cli_opts o = { 0 };
	struct rec_notice n;
	struct record r;
	struct rcli s;
	struct err e = { 0 };
	char *pos[1];
	int npos = 1, kind, rc;

	if (argc < 2 || (kind = rec_kind_parse(argv[1])) < 0 || kind == REC_EXIT ||
	    kind == REC_SIGNIN || kind == REC_HANDOVER) {
		if (argc >= 2 && argv[1][0] != '-')
			fprintf(stderr, _("outpost add: '%s' is not a kind of record: temp, vehicle, "
			    "resident, visitor, triage, bin or collection\n"), argv[1]);
		return cli_usage("add");
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
		rc = logbook_signin(s.lb, operator_name, NULL, &e);
	if (rc == E_OK)
		rc = rec_add(s.lb, &r, &n, &e);
	rcli_close(&s);
	if (rc != E_OK)
		return cli_fail(&e);
	printf("%lld\n", (long long)r.seq);
	if (n.text[0] != '\0')
		fprintf(stderr, _("outpost add: warning: %s\n"), n.text);
	return E_OK;
}
