/* records.c — shared by the record subcommands: open the logbook, parse flags named after
 * the fields of a kind, print records as a table, CSV or JSON. */
#include <stdlib.h>
#include <string.h>

#include "cli/records.h"
#include "storage/clock.h"
#include "storage/csv.h"
#include "storage/export.h"
#include "storage/fields.h"
#include "storage/quarantine.h"
#include "storage/query.h"

int
rcli_open(const struct cli_opts *o, struct rcli *s, struct err *e)
{
	int rc;

	memset(s, 0, sizeof *s);
	if ((rc = cli_open(o, &s->v, &s->db, e)) != E_OK)
		return rc;
	if ((rc = logbook_open(s->db, &s->lb, e)) != E_OK) {
		cli_close(s->v, s->db);
		memset(s, 0, sizeof *s);
	}
	return rc;
}

void
rcli_close(struct rcli *s)
{
	int64_t n = s->lb != NULL ? quarantine_skipped(s->lb) : 0;

	/* Records that cannot be read were left out of what was shown: say so, once. */
	if (n > 0)
		fprintf(stderr,
		    _("%s: note: records that cannot be read, left out: %lld ('outpost check' "
		      "names them)\n"),
		    cli_progname, (long long)n);
	logbook_close(s->lb);
	cli_close(s->v, s->db);
	memset(s, 0, sizeof *s);
}

/* Flags that name a field by another word (the issue's --temp, --name …). */
static const struct {
	int kind; /* 0 = any */
	const char *alias;
	const char *field;
} aliases[] = {
    {REC_TEMP, "temp", "value"},
    {REC_TEMP, "recheck", "recheck_of"},
    {REC_VEHICLE, "name", "driver_name"},
    {REC_VEHICLE, "id-number", "driver_id_number"},
    {REC_VEHICLE, "phone", "driver_phone"},
    {REC_VEHICLE, "temps", "occupant_temps"},
    {0, "unverified", "id_unverified"},
    {REC_COLLECTION, "weight", "weight_kg"},
};

static const struct rec_field *
field_of(int kind, const char *name)
{
	const struct rec_field *f;
	size_t i;

	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if ((aliases[i].kind == 0 || aliases[i].kind == kind) &&
		    strcmp(aliases[i].alias, name) == 0 &&
		    (f = rec_field_find(kind, aliases[i].field)) != NULL)
			return f;
	return rec_field_find(kind, name);
}

int
rcli_parse(int argc, char **argv, struct cli_opts *o, const struct rcli_flag *flags,
    struct record *r, char **pos, int *npos, struct err *e)
{
	static const struct {
		const char *name;
		int code;
		int arg;
	} common[] = {
	    {"db", OPT_DB, 1},
	    {"passphrase-file", OPT_PASSFILE, 1},
	    {"recovery-key", OPT_RECOVERY, 0},
	    {"format", OPT_FORMAT, 1},
	};
	const struct rec_field *f;
	int i, max = *npos, rc, k;
	size_t j;

	*npos = 0;
	for (i = 1; i < argc; i++) {
		char name[64], *a = argv[i], *eq, *val = NULL;
		int done = 0;

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++) {
				if (*npos >= max)
					return err_set(e, E_USAGE, "%s", _("too many arguments"));
				pos[(*npos)++] = argv[i];
			}
			break;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (*npos >= max)
				return err_set(e, E_USAGE, _("unexpected argument '%s'"), a);
			pos[(*npos)++] = a;
			continue;
		}
		snprintf(name, sizeof name, "%s", a + 2);
		if ((eq = strchr(name, '=')) != NULL) {
			*eq = '\0';
			val = a + 2 + (eq - name) + 1;
		}
#define VALUE()                                                                                    \
	do {                                                                                       \
		if (val == NULL) {                                                                 \
			if (i + 1 >= argc)                                                         \
				return err_set(e, E_USAGE, _("--%s needs a value"), name);         \
			val = argv[++i];                                                           \
		}                                                                                  \
	} while (0)
		for (j = 0; j < sizeof common / sizeof common[0] && !done; j++) {
			if (strcmp(common[j].name, name) != 0)
				continue;
			if (common[j].arg)
				VALUE();
			cli_common_opt(common[j].code, val, o);
			done = 1;
		}
		for (k = 0; flags != NULL && flags[k].name != NULL && !done; k++) {
			if (strcmp(flags[k].name, name) != 0)
				continue;
			if (flags[k].str != NULL) {
				VALUE();
				*flags[k].str = val;
			} else {
				*flags[k].flag = 1;
			}
			done = 1;
		}
		if (!done && r != NULL && strncmp(name, "set-", 4) == 0 &&
		    (f = field_of(r->kind, name + 4)) != NULL)
			memmove(name, name + 4, strlen(name + 4) + 1);
		if (!done && r != NULL && (f = field_of(r->kind, name)) != NULL &&
		    !(f->flags & FF_COMPUTED)) {
			if (f->type == FT_BOOL && val == NULL)
				val = "1";
			VALUE();
			if ((rc = rec_field_set(r, f, val, e)) != E_OK)
				return rc;
			done = 1;
		}
#undef VALUE
		if (!done)
			return err_set(e, E_USAGE, _("unknown option --%s"), name);
	}
	return E_OK;
}

int64_t
rcli_ref(const char *s)
{
	char *end;
	long long v;

	if (s == NULL)
		return -1;
	if (*s == '#')
		s++;
	v = strtoll(s, &end, 10);
	return end == s || *end != '\0' || v <= 0 ? -1 : v;
}

int
rcli_format(const struct cli_opts *o)
{
	if (o->format == NULL || strcmp(o->format, "table") == 0)
		return RCLI_TABLE;
	if (strcmp(o->format, "csv") == 0)
		return RCLI_CSV;
	if (strcmp(o->format, "json") == 0)
		return RCLI_JSON;
	return -1;
}


static const char *const head[] = {
    "ref", "version", "time", "kind", "action", "operator", "shift", "change_reason", "alert"};
#define NHEAD (sizeof head / sizeof head[0])

void
rcli_out_begin(struct rcli_out *out, FILE *f, int format, int kind)
{
	const struct rec_field *fl;
	struct csv_writer *w;
	size_t i, n;

	memset(out, 0, sizeof *out);
	out->f = f;
	out->format = format;
	out->kind = kind;
	if (format == RCLI_JSON) {
		fputs("[", f);
	} else if (format == RCLI_CSV) {
		w = calloc(1, sizeof *w);
		out->csv = w;
		if (w == NULL || csv_writer_init(w, f, 0, NULL) != E_OK)
			return;
		for (i = 0; i < NHEAD; i++)
			csv_field(w, head[i], NULL);
		if (kind > 0) {
			fl = rec_fields(kind, &n);
			for (i = 0; i < n; i++)
				csv_field(w, fl[i].name, NULL);
		} else {
			csv_field(w, "fields", NULL);
		}
		csv_end_row(w, NULL);
	}
}

/* "name=value" for each field with a value, separated by two spaces. */
static void
summary(const struct record *r, char *buf, size_t n)
{
	const struct rec_field *f;
	char v[REC_TEXT * 2];
	size_t nf, i, o = 0;

	buf[0] = '\0';
	f = rec_fields(r->kind, &nf);
	for (i = 0; i < nf && o < n; i++) {
		rec_field_format(r, &f[i], v, sizeof v);
		if (v[0] == '\0' ||
		    ((f[i].type == FT_INT || f[i].type == FT_BOOL) && strcmp(v, "0") == 0))
			continue;
		o += snprintf(buf + o, n - o, "%s%s=%s", o ? "  " : "", f[i].name, v);
	}
}

int
rcli_out_record(const struct record *r, void *arg)
{
	struct rcli_out *out = arg;
	const struct rec_field *f;
	char t[40], v[REC_TEXT * 2], line[2048], num[3][24];
	size_t nf, i;

	clock_format(r->created_ms, r->tz_min, t, sizeof t);
	snprintf(num[0], sizeof num[0], "%lld", (long long)r->root_seq);
	snprintf(num[1], sizeof num[1], "%lld", (long long)r->seq);
	snprintf(num[2], sizeof num[2], "%lld", (long long)r->shift);
	if (out->format == RCLI_TABLE) {
		summary(r, line, sizeof line);
		fprintf(out->f, "%-6s %-16.16s %-10s %s%s%s%s%s%s%s\n", num[0], t,
		    rec_kind_name(r->kind), r->action == REC_CORRECT ? "(corrected) " : "",
		    r->deleted ? "(deleted) " : "", cli_term(line), r->alert[0] ? "  ALERT: " : "",
		    cli_term(r->alert), r->reason[0] ? "  reason: " : "", cli_term(r->reason));
	} else if (out->format == RCLI_CSV && out->csv != NULL) {
		const char *vals[NHEAD] = {num[0], num[1], t, rec_kind_name(r->kind),
		    r->deleted ? "delete" : rec_action_name(r->action), r->operator_name, num[2],
		    r->reason, r->alert};
		struct csv_writer *w = out->csv;

		for (i = 0; i < NHEAD; i++)
			csv_field(w, vals[i], NULL);
		if (out->kind > 0 && out->kind == r->kind) {
			f = rec_fields(r->kind, &nf);
			for (i = 0; i < nf; i++) {
				rec_field_format(r, &f[i], v, sizeof v);
				csv_field(w, v, NULL);
			}
		} else {
			summary(r, line, sizeof line);
			csv_field(w, line, NULL);
		}
		csv_end_row(w, NULL);
	} else if (out->format == RCLI_JSON) {
		clock_format_iso(r->created_ms, r->tz_min, t, sizeof t);
		fprintf(out->f,
		    "%s\n{\"ref\":%lld,\"version\":%lld,\"time\":\"%s\",\"kind\":\"%s\","
		    "\"action\":\"%s\",\"deleted\":%s,\"operator\":",
		    out->n ? "," : "", (long long)r->root_seq, (long long)r->seq, t,
		    rec_kind_name(r->kind), rec_action_name(r->action),
		    r->deleted ? "true" : "false");
		export_json_str(out->f, r->operator_name);
		fprintf(out->f, ",\"shift\":%lld,\"reason\":", (long long)r->shift);
		export_json_str(out->f, r->reason);
		fputs(",\"alert\":", out->f);
		export_json_str(out->f, r->alert);
		fputs(",\"fields\":{", out->f);
		f = rec_fields(r->kind, &nf);
		for (i = 0; i < nf; i++) {
			rec_field_format(r, &f[i], v, sizeof v);
			fprintf(out->f, "%s\"%s\":", i ? "," : "", f[i].name);
			export_json_str(out->f, v);
		}
		fputs("}}", out->f);
	}
	out->n++;
	return 0;
}

void
rcli_out_end(struct rcli_out *out)
{
	if (out->format == RCLI_JSON)
		fputs(out->n ? "\n]\n" : "]\n", out->f);
	free(out->csv);
	out->csv = NULL;
	fflush(out->f);
}

void
rcli_prescan(int argc, char **argv, struct cli_opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--recovery-key") == 0)
			o->recovery = 1;
		else if (i + 1 < argc && strcmp(argv[i], "--db") == 0)
			o->db = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--passphrase-file") == 0)
			o->passphrase_file = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			o->db = argv[i] + 5;
		else if (strncmp(argv[i], "--passphrase-file=", 18) == 0)
			o->passphrase_file = argv[i] + 18;
	}
}

void
rcli_csv_row(FILE *f, const char *const *fields, size_t n)
{
	struct csv_writer w;

	if (csv_writer_init(&w, f, 0, NULL) == E_OK)
		csv_write_row(&w, fields, n, NULL);
}

void
rcli_name_flag(struct err *e)
{
	char flag[64], out[sizeof flag + sizeof e->msg];
	size_t n = strspn(e->msg, "abcdefghijklmnopqrstuvwxyz_"), i;

	if (n == 0 || n >= sizeof flag - 2 || e->msg[n] != ':')
		return;
	flag[0] = flag[1] = '-';
	for (i = 0; i < n; i++)
		flag[i + 2] = e->msg[i] == '_' ? '-' : e->msg[i];
	flag[n + 2] = '\0';
	snprintf(out, sizeof out, "%s%s", flag, e->msg + n);
	memcpy(e->msg, out, sizeof e->msg - 1);	/* a message this long is cut, never overrun */
	e->msg[sizeof e->msg - 1] = '\0';
}

int
cli_change_operator(struct logbook *lb, const char *cmd, const char *name, struct err *e)
{
	char old[REC_NAME];
	int64_t old_shift = logbook_shift(lb), ho = 0;
	struct record r;
	int rc;

	snprintf(old, sizeof old, "%s", logbook_operator(lb));
	if ((rc = logbook_change(lb, name, NULL, &ho, NULL, e)) != E_OK)
		return rc;
	if (ho != 0 && rec_get(lb, ho, &r, NULL) == E_OK)
		fprintf(stderr, _("outpost %s: shift %lld of %s ended with its handover #%lld: %s\n"),
		    cmd, (long long)old_shift, old, (long long)ho, r.u.handover.summary);
	fprintf(stderr, _("outpost %s: %s signed in: shift %lld\n"), cmd, name,
	    (long long)logbook_shift(lb));
	return E_OK;
}
