/* cmd-shift.c — outpost shift [start NAME | end [--note TEXT]]: operators sign in to a
 * shift that stamps every record; ending it stores the handover summary. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/query.h"
#include "storage/record.h"

static int cmd_shift(struct cli_args *);

static const struct cli_opt options[] = {
	{ "note", "TEXT", N_("end: a handover note for the next operator"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_shift_entry = {
	"shift", "[start NAME | end]",
	N_("sign an operator in, or hand the shift over with its summary"), options, 0,
	cmd_shift,
};

static int
cmd_shift(struct cli_args *a)
{
	const char *note = cli_arg(a, "note");
	char **pos = a->argv;
	struct record r;
	struct rcli s;
	struct err e = {0};
	int npos = a->argc, rc;
	int64_t seq = 0;

	if (npos > 2 || (npos == 2 && strcmp(pos[0], "start") != 0) ||
	    (npos == 1 && strcmp(pos[0], "end") != 0))
		return cli_usage("shift");
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
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
