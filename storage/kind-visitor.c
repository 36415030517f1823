/* kind-visitor.c — a visitor's entry at a compound gate: who, whose guest, the health code
 * and the temperature taken at registration (as temp_required says); a fever waits for its
 * recheck like any temperature check. The same person cannot be inside twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/fields.h"
#include "storage/inside.h"
#include "storage/kind.h"
#include "storage/query.h"

const char *const kind_id_types[] = {
    N_("resident_id"), N_("passport"), N_("hk_macao"), N_("taiwan"), N_("other"), NULL};
static const char *const health_codes[] = {N_("green"), N_("yellow"), N_("red"), NULL};

/* The ID number first: a scanner's burst lands there and the type defaults to resident ID. */
static const struct rec_field fields[] = {
    KIND_TEXT(visitor, id_number, FF_REQUIRED | FF_PERSONAL | FF_IDNUM, N_("ID number")),
    /* A mainland resident ID is by far the most common: it is the default. */
    KIND_ENUM_DEF(visitor, id_type, FF_REQUIRED, kind_id_types, N_("ID type"), "resident_id"),
    KIND_TEXT(visitor, name, FF_REQUIRED | FF_PERSONAL | FF_NAME, N_("name")),
    KIND_TEXT(visitor, phone, FF_REQUIRED | FF_PERSONAL | FF_PHONE, N_("phone")),
    KIND_NUM(visitor, temp, FT_DECI, FF_TEMP, N_("temperature °C")),
    KIND_TEXT(visitor, plate, FF_PERSONAL | FF_PLATE, N_("plate")),
    KIND_TEXT(visitor, host, FF_REQUIRED | FF_PERSONAL, N_("host household")),
    KIND_TEXT(visitor, reason, FF_PERSONAL, N_("reason")),
    KIND_ENUM(visitor, health_code, FF_REQUIRED, health_codes, N_("health code")),
    KIND_NUM(visitor, id_unverified, FT_BOOL, 0, N_("ID unverified")),
    KIND_TEXT(visitor, note, FF_PERSONAL, N_("note")),
    KIND_NUM(visitor, fever, FT_BOOL, FF_COMPUTED, N_("fever")),
    KIND_DUE(visitor),
};

static int
visitor_rules(struct rule_ctx *c, struct record *r, struct rec_notice *n, struct err *e)
{
	struct rec_visitor *v = &r->u.visitor;
	struct record *in;
	char msg[256], when[64];
	int64_t seq;
	int rc;

	char pfx[REC_PLATE];

	rule_fever(c, NULL, v->temp, &v->fever, &v->recheck_due_ms, n);
	if (rule_high_risk_plate(c, v->plate, pfx, sizeof pfx)) {
		/* a warning to act on; a visitor's record has no flag of its own */
		snprintf(msg, sizeof msg,
		    _("HIGH-RISK AREA: this plate is from a high-risk region (%s)."), pfx);
		rule_notice(n, msg);
		rule_field(n, REC_VISITOR, "plate");
	}
	if (v->health_code[0] != '\0' && strcmp(v->health_code, "green") != 0) {
		snprintf(msg, sizeof msg, _("Health code %s."), _(v->health_code));
		rule_notice(n, msg);
	}
	if ((rc = rec_inside_find(c->lb, v->id_number, c->self, &seq, e)) < 0)
		return E_IO;
	if (rc > 0) {
		when[0] = '\0';
		if ((in = calloc(1, sizeof *in)) != NULL && rec_get(c->lb, seq, in, NULL) == E_OK)
			clock_format(in->created_ms, in->tz_min, when, sizeof when);
		free(in);
		if (n != NULL)
			n->inside_seq = seq;
		return err_set(e, E_INVALID,
		    _("id_number: this person is already inside (entry #%lld, %s): log that "
		      "exit first"),
		    (long long)seq, when);
	}
	if ((rc = rule_household("host", v->host, e)) != E_OK)
		return rc;
	if (v->temp == 0 && rec_field_required(c->lb, r, rec_field_find(r->kind, "temp")))
		return err_set(e, E_INVALID, "%s",
		    _("temp: required at this station (setting temp_required): measure and "
		      "give it"));
	return E_OK;
}

static int
visitor_required(struct logbook *lb, const struct record *r, const struct rec_field *f)
{
	(void)r;
	return strcmp(f->name, "temp") == 0 && rule_temp_required(lb, REC_VISITOR, "");
}

static int
visitor_temp_of(const struct record *r)
{
	return r->u.visitor.temp;
}

/* What a one-line row shows. */
static const char *const visitor_summary[] = {"name", "id_number", "host", "reason", NULL};

const struct kind_entry kind_visitor = {
    .name = "visitor",
    .label = N_("Visitor"),
    .fields = KIND_FIELDS(fields),
    .stations = 1 << STATION_GATE,
    .flags = KE_ADD | KE_CORRECT | KE_DELETE | KE_FEVER,
    .rules = visitor_rules,
    .required = visitor_required,
    .temp_of = visitor_temp_of,
    .summary = visitor_summary,
};
