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
#include "storage/sheet.h"

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

/* The flag of a field, where it is not the field's name with '-' for '_' (the man page's
 * --temp, --recheck), and the other words also accepted. One name per field everywhere:
 * --help, the man page and error messages use the flag; the field's own name and the
 * alias keep working. */
static const struct {
	int kind; /* 0 = any */
	const char *field;
	const char *flag;  /* NULL: the field's name */
	const char *alias; /* NULL: none besides the field's name */
} flag_names[] = {
    {REC_TEMP, "value", "temp", NULL},
    {REC_TEMP, "recheck_of", "recheck", NULL},
    {REC_VEHICLE, "driver_name", NULL, "name"},
    {REC_VEHICLE, "driver_id_number", NULL, "id-number"},
    {REC_VEHICLE, "driver_phone", NULL, "phone"},
    {REC_VEHICLE, "occupant_temps", NULL, "temps"},
    {0, "id_unverified", "unverified", NULL},
    {REC_COLLECTION, "weight_kg", NULL, "weight"},
};
#define NFLAG_NAMES (sizeof flag_names / sizeof flag_names[0])

static void
dashed(const char *name, size_t n, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; i < n && name[i] != '\0' && i + 1 < cap; i++)
		buf[i] = name[i] == '_' ? '-' : name[i];
	buf[i] = '\0';
}

const char *
rcli_flag_name(int kind, const char *field, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < NFLAG_NAMES; i++)
		if ((flag_names[i].kind == 0 || flag_names[i].kind == kind) &&
		    strcmp(flag_names[i].field, field) == 0 && flag_names[i].flag != NULL) {
			snprintf(buf, n, "%s", flag_names[i].flag);
			return buf;
		}
	dashed(field, strlen(field), buf, n);
	return buf;
}

const char *
rcli_flag_alias(int kind, const char *field)
{
	size_t i;

	for (i = 0; i < NFLAG_NAMES; i++)
		if ((flag_names[i].kind == 0 || flag_names[i].kind == kind) &&
		    strcmp(flag_names[i].field, field) == 0 && flag_names[i].alias != NULL)
			return flag_names[i].alias;
	return NULL;
}

/* The field a typed flag names: its flag, an alias, or the field's own name (with - or _). */
static const struct rec_field *
field_of(int kind, const char *typed, size_t n)
{
	const struct rec_field *f;
	char name[64], flag[64];
	size_t i, nf;

	if (n >= sizeof name)
		return NULL;
	f = rec_fields(kind, &nf);
	for (i = 0; i < nf; i++) {
		rcli_flag_name(kind, f[i].name, flag, sizeof flag);
		if (strlen(flag) == n && strncmp(flag, typed, n) == 0)
			return &f[i];
		if (rcli_flag_alias(kind, f[i].name) != NULL &&
		    strlen(rcli_flag_alias(kind, f[i].name)) == n &&
		    strncmp(rcli_flag_alias(kind, f[i].name), typed, n) == 0)
			return &f[i];
	}
	for (i = 0; i < n; i++)
		name[i] = typed[i] == '-' ? '_' : typed[i];
	name[n] = '\0';
	return rec_field_find(kind, name);
}

int
rcli_fields(const struct cli_args *a, struct record *r, struct err *e)
{
	const struct cli_option_value *v;
	const struct rec_field *f;
	const char *name, *val;
	size_t n;
	int i, rc;

	for (i = 0; i < a->nv; i++) {
		v = &a->v[i];
		if (v->opt != NULL)
			continue;
		name = v->name;
		n = v->namelen;
		/* --set-FIELD: a field whose flag is also an option of the command */
		if (n > 4 && strncmp(name, "set-", 4) == 0 && field_of(r->kind, name + 4, n - 4))
			name += 4, n -= 4;
		if ((f = field_of(r->kind, name, n)) == NULL || (f->flags & FF_COMPUTED))
			return err_set(e, E_USAGE, _("unknown option --%.*s for a %s record "
			    "(outpost add %s --help lists its fields)"), (int)v->namelen, v->name,
			    rec_kind_name(r->kind), rec_kind_name(r->kind));
		if ((val = v->value) == NULL) {
			if (f->type != FT_BOOL)
				return err_set(e, E_USAGE, _("--%.*s needs a value"), (int)n, name);
			val = "1";
		}
		if ((rc = rec_field_set(r, f, val, e)) != E_OK)
			return rc;
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
	/* a command without a --format option has o->format NULL: the table */
	if (o->format == NULL || strcmp(o->format, "table") == 0)
		return RCLI_TABLE;
	if (strcmp(o->format, "csv") == 0)
		return RCLI_CSV;
	if (strcmp(o->format, "json") == 0)
		return RCLI_JSON;
	return -1;
}



void
rcli_out_begin(struct rcli_out *out, FILE *f, int format, int kind)
{
	struct export_cols *c = NULL;
	struct sheet *sh = NULL;

	memset(out, 0, sizeof *out);
	out->f = f;
	out->format = format;
	out->kind = kind;
	if (format == RCLI_JSON) {
		fputs("[", f);
	} else if (format == RCLI_CSV) {
		/* the export's columns (storage/export.h): one per field of KIND, a label beside
		 * each code, local ISO times, codes kept text; no BOM on standard output */
		if (export_cols_new(kind, &c, NULL) != E_OK || sheet_open_csv(&sh, f, 0, NULL) !=
		    E_OK || export_cols_header(c, sh, NULL, 0, NULL, 0, NULL) != E_OK) {
			export_cols_free(c);
			sheet_abort(sh);
			return;
		}
		out->cols = c;
		out->csv = sh;
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
		if (export_cols_row(out->cols, out->csv, r, NULL) == E_OK)
			sheet_end_row(out->csv, NULL);
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
	sheet_close(out->csv, NULL);
	export_cols_free(out->cols);
	out->csv = NULL;
	out->cols = NULL;
	fflush(out->f);
}

void
rcli_csv_row(FILE *f, const char *const *fields, size_t n)
{
	struct csv_writer w;

	if (csv_writer_init(&w, f, 0, NULL) == E_OK)
		csv_write_row(&w, fields, n, NULL);
}

void
rcli_name_flag(struct err *e, int kind)
{
	char field[64], flag[64], out[sizeof flag + sizeof e->msg];
	size_t n = strspn(e->msg, "abcdefghijklmnopqrstuvwxyz_");

	if (n == 0 || n >= sizeof field || e->msg[n] != ':')
		return;
	memcpy(field, e->msg, n);
	field[n] = '\0';
	snprintf(out, sizeof out, "--%s%s", rcli_flag_name(kind, field, flag, sizeof flag),
	    e->msg + n);
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
