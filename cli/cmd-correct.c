/* cmd-correct.c — outpost correct REF --FIELD VALUE … --reason TEXT: a new version of a
 * record; with --delete, a tombstone. Nothing is edited in place. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/query.h"

int
cmd_correct(int argc, char **argv)
{
	const char *reason = NULL;
	int del = 0;
	const struct rcli_flag flags[] = {
	    {"reason", &reason, NULL},
	    {"delete", NULL, &del},
	    {NULL, NULL, NULL},
	};
	struct cli_opts o = {0};
	struct rec_notice n;
	struct record r;
	struct rcli s;
	struct err e = {0};
	char *pos[1];
	int npos = 1, rc;
	int64_t ref, seq;

	if (argc < 2 || (ref = rcli_ref(argv[1])) < 0)
		return cli_usage("correct");
	rcli_prescan(argc, argv, &o);
	if ((rc = rcli_open(&o, &s, &e)) != E_OK)
		return cli_fail(&e);
	if ((rc = rec_get(s.lb, ref, &r, &e)) != E_OK) {
		rcli_close(&s);
		return cli_fail(&e);
	}
	rc = rcli_parse(argc - 1, argv + 1, &o, flags, &r, pos, &npos, &e);
	if (rc == E_USAGE || (rc == E_OK && npos != 0)) {
		rcli_close(&s);
		if (rc == E_USAGE)
			fprintf(stderr, "outpost correct: %s\n", e.msg);
		return cli_usage("correct");
	}
	if (rc == E_OK && reason == NULL)
		rc = err_set(&e, E_INVALID, "%s", _("reason: say why with --reason TEXT"));
	if (rc == E_OK && del)
		rc = rec_delete(s.lb, ref, reason, &seq, &e);
	else if (rc == E_OK)
		rc = rec_correct(s.lb, ref, &r, reason, &n, &e);
	rcli_close(&s);
	if (rc != E_OK) {
		rcli_name_flag(&e);
		return cli_fail(&e);
	}
	printf("%lld\n", del ? (long long)seq : (long long)r.seq);
	if (!del && n.text[0] != '\0')
		fprintf(stderr, _("outpost correct: warning: %s\n"), n.text);
	return E_OK;
}
