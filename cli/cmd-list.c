/* cmd-list.c — outpost list [KIND|REF]: latest versions by kind and time, or every version
 * (--history), or what is open now: visitors inside, fevers waiting for a recheck, bins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "cli/commands.h"
#include "cli/records.h"
#include "storage/bins.h"
#include "storage/clock.h"
#include "storage/export.h"
#include "storage/inside.h"
#include "storage/query.h"
#include "storage/rechecks.h"

static int
print_bin(const struct bin_status *b, void *arg)
{
	struct rcli_out *out = arg;
	char last[32] = "", due[32];
	int tz = clock_tz_min(b->due_ms);

	if (b->last_ms != 0)
		clock_format(b->last_ms, clock_tz_min(b->last_ms), last, sizeof last);
	clock_format(b->due_ms, tz, due, sizeof due);
	if (out->format == RCLI_JSON) {
		fprintf(
		    out->f, "%s\n{\"ref\":%lld,\"code\":", out->n ? "," : "", (long long)b->seq);
		export_json_str(out->f, b->code);
		fputs(",\"place\":", out->f);
		export_json_str(out->f, b->place);
		fprintf(out->f, ",\"last\":\"%s\",\"due\":\"%s\",\"overdue\":%s}", last, due,
		    b->overdue ? "true" : "false");
	} else if (out->format == RCLI_CSV) {
		static const char *const head[] = {
		    "ref", "code", "place", "last", "due", "overdue"};
		char ref[24];
		const char *row[] = {ref, b->code, b->place, last, due, b->overdue ? "1" : "0"};

		/* local ISO times, as every CSV of ours */
		if (b->last_ms != 0)
			clock_format_iso(b->last_ms, clock_tz_min(b->last_ms), last, sizeof last);
		clock_format_iso(b->due_ms, tz, due, sizeof due);

		snprintf(ref, sizeof ref, "%lld", (long long)b->seq);
		if (out->n == 0)
			rcli_csv_row(out->f, head, 6);
		rcli_csv_row(out->f, row, 6);
	} else {
		fprintf(out->f, "%-6lld %-10s %-20s last %-19s due %s%s\n", (long long)b->seq,
		    b->code, b->place, last[0] ? last : "-", due, b->overdue ? "  OVERDUE" : "");
	}
	out->n++;
	return 0;
}

static int cmd_list(struct cli_args *);

static const struct cli_opt options[] = {
	{ "since", "TIME", N_("records from this date or time (YYYY-MM-DD[THH:MM])"), NULL, 0 },
	{ "until", "TIME", N_("records before this time (a date: to its end)"), NULL, 0 },
	{ "shift", "N", N_("records of shift N"), NULL, 0 },
	{ "history", NULL, N_("every version, corrections and deletions too"), NULL, 0 },
	{ "deleted", NULL, N_("deleted records too"), NULL, 0 },
	{ "inside", NULL, N_("visitors inside now (gate)"), NULL, 0 },
	{ "rechecks", NULL, N_("fevers waiting for a recheck"), NULL, 0 },
	{ "bins", NULL, N_("bins: last collection and when the next is due"), NULL, 0 },
	{ "limit", "N", N_("show at most N records"), NULL, 0 },
	{ "format", "table|csv|json", N_("how to print them (csv: one column per field of "
	    "KIND)"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command cmd_list_entry = {
	"list", "[KIND|REF]", N_("list records (latest versions), history, or what is open now"),
	options, 0, cmd_list,
};

static int
cmd_list(struct cli_args *a)
{
	const char *since = cli_arg(a, "since"), *until = cli_arg(a, "until");
	const char *shift = cli_arg(a, "shift"), *limit = cli_arg(a, "limit");
	int history = cli_flag(a, "history") > 0, deleted = cli_flag(a, "deleted") > 0;
	int inside = cli_flag(a, "inside") > 0, rechecks = cli_flag(a, "rechecks") > 0;
	int bins = cli_flag(a, "bins") > 0;
	char **pos = a->argv;
	struct rec_query q;
	struct rcli_out out;
	struct rcli s;
	struct err e = {0};
	int npos = a->argc, rc, fmt = rcli_format(&a->o);
	int64_t ref = -1;

	memset(&q, 0, sizeof q);
	if (npos > 1)
		return cli_usage("list");
	if (npos == 1 && (q.kind = rec_kind_parse(pos[0])) < 0 && (ref = rcli_ref(pos[0])) < 0) {
		fprintf(stderr,
		    _("outpost list: '%s' is neither a kind of record nor a "
		      "reference\n"),
		    pos[0]);
		return cli_usage("list");
	}
	if (q.kind < 0)
		q.kind = 0;
	if ((since != NULL && clock_parse(since, &q.since_ms) != 0) ||
	    (until != NULL && clock_parse(until, &q.until_ms) != 0)) {
		err_set(&e, E_INVALID, "%s",
		    _("--since/--until: a date YYYY-MM-DD or a time "
		      "YYYY-MM-DDTHH:MM"));
		return cli_fail(&e);
	}
	if (until != NULL && strlen(until) == 10)
		q.until_ms += 86400000; /* a date means the whole day */
	q.history = history;
	q.with_deleted = deleted;
	q.shift = shift != NULL ? rcli_ref(shift) : 0;
	if (q.shift < 0)
		return cli_usage("list");
	if (limit != NULL) {
		int64_t v;

		if (parse_int(limit, 1, 1000000, "--limit", &v, &e) != E_OK)
			return cli_fail(&e);
		q.limit = (int)v;
	}
	if ((rc = rcli_open(&a->o, &s, &e)) != E_OK)
		return cli_fail(&e);
	rcli_out_begin(&out, stdout, fmt, bins ? 0 : q.kind);
	if (bins)
		rc = rec_bins(s.lb, print_bin, &out, &e);
	else if (inside)
		rc = rec_inside_now(s.lb, rcli_out_record, &out, &e);
	else if (rechecks)
		rc = rec_rechecks_pending(s.lb, rcli_out_record, &out, &e);
	else if (ref > 0)
		rc = rec_history(s.lb, ref, rcli_out_record, &out, &e);
	else
		rc = rec_list(s.lb, &q, rcli_out_record, &out, &e);
	rcli_out_end(&out);
	rcli_close(&s);
	if (rc == E_OK && ref > 0 && out.n == 0)
		rc = err_set(&e, E_INVALID, _("no record %lld"), (long long)ref);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
