/* cmd-shift.c — outpost shift [start NAME | end [--note TEXT]]: operators sign in to a
 * shift that stamps every record; ending it stores the handover summary. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/query.h"
#include "storage/record.h"

int
cmd_shift(int argc, char **argv)
{
	const char *note = NULL;
	const struct rcli_flag flags[] = {{"note", &note, NULL}, {NULL, NULL, NULL}};
	struct cli_opts o = {0};
	struct record r;
	struct rcli s;
	struct err e = {0};
	char *pos[2];
	int npos = 2, rc;
	int64_t seq = 0;

	if (rcli_parse(argc, argv, &o, flags, NULL, pos, &npos, &e) != E_OK ||
	    (npos == 2 && strcmp(pos[0], "start") != 0) ||
	    (npos == 1 && strcmp(pos[0], "end") != 0))
		return cli_usage("shift");
	if ((rc = rcli_open(&o, &s, &e)) != E_OK)
		return cli_fail(&e);
	if (npos == 2) {
		rc = cli_change_operator(s.lb, "shift", pos[1], &e);
		seq = logbook_shift(s.lb);
	} else if (npos == 1) {
		rc = logbook_handover(s.lb, note, &seq, &e);
		if (rc == E_OK && (rc = rec_get(s.lb, seq, &r, &e)) == E_OK)
			printf("%s\n", r.u.handover.summary);
	} else if (logbook_shift(s.lb) != 0) {
		printf(_("shift %lld, operator %s\n"), (long long)logbook_shift(s.lb),
		    cli_term(logbook_operator(s.lb)));
	} else {
		printf("%s\n", _("nobody is signed in"));
	}
	rcli_close(&s);
	if (rc != E_OK)
		return cli_fail(&e);
	if (npos == 2)
		printf("%lld\n", (long long)seq);
	return E_OK;
}
