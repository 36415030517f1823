/* kind-triage.c — a patient's pre-check at a triage desk: the rules suggest a route (first
 * match wins) and say which rule; a route below the suggestion needs an override reason.
 * A fever is stored as the station decided it (data.fever), for the hub to count. */
#include <stdio.h>
#include <string.h>

#include "storage/fields.h"
#include "storage/kind.h"

/* Routes from the most to the least cautious: choosing one below the suggestion needs a
 * reason. */
static const char *const routes[] = {
    N_("fever_clinic"), N_("emergency"), N_("general_clinic"), NULL};
const char *const rec_symptom_names[] = {N_("fever"), N_("cough"), N_("sore_throat"), N_("fatigue"),
    N_("taste_smell"), N_("diarrhea"), N_("dyspnea"), N_("chest_pain"), NULL};
const char *const rec_epi_names[] = {
    N_("high_risk_area"), N_("contact_confirmed"), N_("contact_suspected"), N_("cluster"), NULL};

static const struct rec_field fields[] = {
    KIND_TEXT(triage, name, FF_REQUIRED | FF_PERSONAL | FF_NAME, N_("name")),
    KIND_ENUM_DEF(triage, id_type, 0, kind_id_types, N_("ID type"), "resident_id"),
    KIND_TEXT(triage, id_number, FF_PERSONAL | FF_IDNUM, N_("ID number")),
    KIND_TEXT(triage, phone, FF_PERSONAL | FF_PHONE, N_("phone")),
    KIND_NUM(triage, temp, FT_DECI, FF_REQUIRED | FF_TEMP, N_("temperature °C")),
    {"symptoms", FT_FLAGS, KIND_OFF(triage, symptoms), 0, 0, rec_symptom_names, N_("symptoms"),
	NULL},
    {"epi", FT_FLAGS, KIND_OFF(triage, epi), 0, 0, rec_epi_names, N_("epidemiological history"),
	NULL},
    KIND_ENUM(triage, route, 0, routes, N_("route")),
    KIND_TEXT(triage, override_reason, 0, N_("override reason")),
    KIND_ENUM(triage, suggested, FF_COMPUTED, routes, N_("suggested route")),
    KIND_TEXT(triage, route_rule, FF_COMPUTED, N_("rule")),
    KIND_NUM(triage, id_unverified, FT_BOOL, 0, N_("ID unverified")),
    KIND_TEXT(triage, note, FF_PERSONAL, N_("note")),
    KIND_NUM(triage, fever, FT_BOOL, FF_COMPUTED, N_("fever")),
};

static int
rule_emergency(const struct rec_triage *t, int thr)
{
	(void)thr;
	return (t->symptoms & (REC_SYMPTOM_DYSPNEA | REC_SYMPTOM_CHEST_PAIN)) != 0;
}

static int
rule_fever_temp(const struct rec_triage *t, int thr)
{
	return t->temp != 0 && t->temp >= thr;
}

static int
rule_epi(const struct rec_triage *t, int thr)
{
	(void)thr;
	return t->epi != 0;
}

static int
rule_respiratory(const struct rec_triage *t, int thr)
{
	(void)thr;
	return (t->symptoms &
		   (REC_SYMPTOM_FEVER | REC_SYMPTOM_COUGH | REC_SYMPTOM_SORE_THROAT |
		       REC_SYMPTOM_TASTE_SMELL)) != 0;
}

static int
rule_default(const struct rec_triage *t, int thr)
{
	(void)t;
	(void)thr;
	return 1;
}

static const struct triage_rule {
	int (*when)(const struct rec_triage *t, int thr);
	const char *route;
	const char *rule; /* stored text: not translated; N_() for the screens */
} triage_rules[] = {
    {rule_emergency, "emergency", N_("dyspnea or chest pain -> emergency")},
    {rule_fever_temp, "fever_clinic", N_("temperature at or above the threshold -> fever clinic")},
    {rule_epi, "fever_clinic", N_("epidemiological history -> fever clinic")},
    {rule_respiratory, "fever_clinic",
	N_("fever, cough, sore throat or taste/smell loss -> fever clinic")},
    {rule_default, "general_clinic", N_("no fever, symptoms or history -> general clinic")},
};

/* The rank of a route in routes[] (0 the most cautious); the count if unknown. */
static int
route_rank(const char *route)
{
	int i;

	for (i = 0; routes[i] != NULL; i++)
		if (strcmp(routes[i], route) == 0)
			break;
	return i;
}

static int
triage_rules_fn(struct rule_ctx *c, struct record *r, struct rec_notice *n, struct err *e)
{
	struct rec_triage *t = &r->u.triage;
	char msg[REC_TEXT * 2 + 64];
	size_t i;

	/* Stored, like a temperature check's, so that whoever counts fevers later (the hub)
	 * counts them against this station's threshold as it was now. */
	rule_fever(c, NULL, t->temp, &t->fever, NULL, n);
	for (i = 0; i < sizeof triage_rules / sizeof triage_rules[0]; i++)
		if (triage_rules[i].when(t, c->thr)) {
			snprintf(t->suggested, sizeof t->suggested, "%s", triage_rules[i].route);
			snprintf(t->route_rule, sizeof t->route_rule, "%s", triage_rules[i].rule);
			break;
		}
	if (n != NULL) {
		snprintf(n->suggested, sizeof n->suggested, "%s", t->suggested);
		snprintf(n->rule, sizeof n->rule, "%s", t->route_rule);
	}
	if (t->route[0] == '\0')
		snprintf(t->route, sizeof t->route, "%s", t->suggested);
	if (route_rank(t->route) <= route_rank(t->suggested))
		return E_OK;
	if (t->override_reason[0] == '\0') {
		if (n != NULL)
			n->needs_reason = 1;
		return err_set(e, E_INVALID,
		    _("override_reason: the rules suggest %s (%s): sending the patient to %s "
		      "needs the reason why"),
		    _(t->suggested), _(t->route_rule), _(t->route));
	}
	if (n != NULL)
		n->overridden = 1;
	snprintf(msg, sizeof msg, _("Route %s instead of the suggested %s: %s."), _(t->route),
	    _(t->suggested), t->override_reason);
	rule_notice(n, msg);
	return E_OK;
}

static int
triage_temp_of(const struct record *r)
{
	return r->u.triage.temp;
}

/* What a one-line row shows. */
static const char *const triage_summary[] = {"name", "temp", "route", "symptoms", NULL};

/* A route other than the suggestion, on a reason (only one below it needs the reason). */
static void
triage_tally(const struct record *r, struct report *rep)
{
	rep->route_overrides += r->u.triage.override_reason[0] != '\0' &&
	    strcmp(r->u.triage.route, r->u.triage.suggested) != 0;
}

const struct kind_entry kind_triage = {
    .name = "triage",
    .label = N_("Triage"),
    .fields = KIND_FIELDS(fields),
    .stations = 1 << STATION_TRIAGE,
    .flags = KE_ADD | KE_CORRECT | KE_DELETE,
    .rules = triage_rules_fn,
    .temp_of = triage_temp_of,
    .summary = triage_summary,
    .tally = triage_tally,
};
