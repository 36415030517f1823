/* cmd-correct.c — outpost correct REF --FIELD VALUE … --reason TEXT: a new version of a
 * record; with --delete, a tombstone. Nothing is edited in place. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/query.h"

static int cmd_correct(struct cli_args *);

static const struct cli_opt options[] = {
	{ "reason", "TEXT", N_("why the record changes (kept in its history)"), NULL, 0 },
	{ "delete", NULL, N_("store a deletion (a tombstone) instead of a new version"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_correct_entry = {
	"correct", "REF [--FIELD VALUE ...]",
	N_("store a corrected version of a record, or delete it, with a reason"), options,
	CMD_FIELDS, cmd_correct,
};

static int
cmd_correct(struct cli_args *a)
{
	const char *reason = cli_arg(a, "reason");
	int del = cli_flag(a, "delete") > 0;
	struct rec_notice n;
	struct record r;
	struct rcli s;
	struct err e = {0};
	int rc;
	int64_t ref, seq;

	if (a->help) {
		cli_command_help(a->prog, a->cmd, stdout);
		printf("\n%s\n", _("The fields are those of the record's kind: "
		    "'outpost add KIND --help' lists them."));
		return E_OK;
	}
	if (a->argc != 1 || (ref = rcli_ref(a->argv[0])) < 0)
		return cli_usage("correct");
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
		return cli_fail(&e);
	if ((rc = rec_get(s.lb, ref, &r, &e)) != E_OK) {
		rcli_close(&s);
		return cli_fail(&e);
	}
	rc = rcli_fields(a, &r, &e);
	if (rc == E_USAGE) {
		rcli_close(&s);
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
		rcli_name_flag(&e, r.kind);
		return cli_fail(&e);
	}
	printf("%lld\n", del ? (long long)seq : (long long)r.seq);
	if (!del && n.text[0] != '\0')
		fprintf(stderr, _("outpost correct: warning: %s\n"), n.text);
	return E_OK;
}
