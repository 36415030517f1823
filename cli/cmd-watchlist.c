/* cmd-watchlist.c — outpost watchlist import FILE | list: ID numbers and plates to watch
 * for (CSV: type,value,reason[,until]); a match raises an alert stored with the record. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/records.h"
#include "storage/export.h"
#include "storage/watchlist.h"

static int
print_entry(const struct watch_entry *w, void *arg)
{
	struct rcli_out *out = arg;

	if (out->format == RCLI_JSON) {
		fprintf(out->f, "%s\n{\"type\":\"%s\",\"value\":", out->n ? "," : "", w->type);
		export_json_str(out->f, w->value);
		fputs(",\"reason\":", out->f);
		export_json_str(out->f, w->reason);
		fprintf(out->f, ",\"until\":\"%s\",\"removed\":%s,\"version\":%lld}", w->until,
		    w->removed ? "true" : "false", (long long)w->version);
	} else if (out->format == RCLI_CSV) {
		static const char *const head[] = {"type", "value", "reason", "until", "removed"};
		const char *row[] = {
		    w->type, w->value, w->reason, w->until, w->removed ? "1" : "0"};

		if (out->n == 0)
			rcli_csv_row(out->f, head, 5);
		rcli_csv_row(out->f, row, 5);
	} else {
		fprintf(out->f, "%-6s %-20s %-10s %s%s\n", cli_term(w->type), cli_term(w->value),
		    w->until[0] ? cli_term(w->until) : "-", cli_term(w->reason),
		    w->removed ? " (removed)" : "");
	}
	out->n++;
	return 0;
}

static int cmd_watchlist(struct cli_args *);

static const struct cli_opt options[] = {
	{ "format", "table|csv|json", N_("list: how to print it (default table)"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_watchlist_entry = {
	"watchlist", "import FILE | list",
	N_("import or list the ID numbers and plates to watch for"), options, 0, cmd_watchlist,
};

static int
cmd_watchlist(struct cli_args *a)
{
	struct rcli_out out;
	struct rcli s;
	struct err e = {0};
	char **pos = a->argv;
	int npos = a->argc, rc, fmt = rcli_format(&a->o), count;

	if (npos < 1 || !((npos == 2 && strcmp(pos[0], "import") == 0) ||
		(npos == 1 && strcmp(pos[0], "list") == 0)))
		return cli_usage("watchlist");
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
		return cli_fail(&e);
	if (npos == 2) {
		rc = watchlist_import(s.lb, pos[1], &count, &e);
		if (rc == E_OK)
			printf(_("imported %d watchlist entries\n"), count);
	} else {
		rcli_out_begin(&out, stdout, fmt, 0);
		rc = watchlist_list(s.lb, print_entry, &out, &e);
		rcli_out_end(&out);
	}
	rcli_close(&s);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
