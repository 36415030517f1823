/* labels.c — what people read for what is stored: every code (kinds, station kinds, ID
 * types, methods, dispositions, symptoms, history, routes, actions) and the computed texts
 * (triage rules, why a vehicle was flagged, watchlist alerts, handover summaries) in the
 * interface's language, one place for the TUI, the CLI's tables and reports. Stored data
 * keeps its codes; only what is shown goes through here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "storage/labels.h"
#include "storage/logbook.h"

/* code, label, short label (NULL: the label is short enough, at most 12 columns) */
static const struct label {
	const char *code;
	const char *label;
	const char *brief;
} labels[] = {
	/* kinds of record */
	{ "temp", N_("temperature"), N_("temp.") },
	{ "vehicle", N_("vehicle"), NULL },
	{ "resident", N_("resident"), NULL },
	{ "visitor", N_("visitor"), NULL },
	{ "exit", N_("exit"), NULL },
	{ "triage", N_("triage"), NULL },
	{ "bin", N_("bin"), NULL },
	{ "collection", N_("collection"), NULL },
	{ "signin", N_("sign-in"), NULL },
	{ "handover", N_("handover"), NULL },
	/* kinds of station */
	{ "traffic", N_("traffic checkpoint"), N_("checkpoint") },
	{ "gate", N_("compound gate"), N_("gate") },
	/* ID types */
	{ "resident_id", N_("resident ID"), NULL },
	{ "passport", N_("passport"), NULL },
	{ "hk_macao", N_("HK/Macao permit"), N_("HK/Macao") },
	{ "taiwan", N_("Taiwan permit"), N_("Taiwan") },
	{ "other", N_("other"), NULL },
	/* measuring methods */
	{ "forehead", N_("forehead"), NULL },
	{ "wrist", N_("wrist"), NULL },
	{ "ear", N_("ear"), NULL },
	{ "oral", N_("oral"), NULL },
	{ "armpit", N_("armpit"), NULL },
	/* dispositions */
	{ "pass", N_("pass"), NULL },
	{ "isolated", N_("isolated"), NULL },
	{ "referred", N_("referred"), NULL },
	{ "turned_back", N_("turned back"), NULL },
	/* directions, health codes */
	{ "out", N_("out"), NULL },
	{ "in", N_("in"), NULL },
	{ "green", N_("green"), NULL },
	{ "yellow", N_("yellow"), NULL },
	{ "red", N_("red"), NULL },
	/* triage routes */
	{ "fever_clinic", N_("fever clinic"), NULL },
	{ "general_clinic", N_("general clinic"), N_("general") },
	{ "emergency", N_("emergency"), NULL },
	/* symptoms */
	{ "fever", N_("fever"), NULL },
	{ "cough", N_("cough"), NULL },
	{ "sore_throat", N_("sore throat"), NULL },
	{ "fatigue", N_("fatigue"), NULL },
	{ "taste_smell", N_("taste/smell loss"), N_("taste/smell") },
	{ "diarrhea", N_("diarrhoea"), NULL },
	{ "dyspnea", N_("short of breath"), N_("breathless") },
	{ "chest_pain", N_("chest pain"), NULL },
	/* epidemiological history */
	{ "high_risk_area", N_("was in a high-risk area"), N_("risk area") },
	{ "contact_confirmed", N_("contact of a confirmed case"), N_("case contact") },
	{ "contact_suspected", N_("contact of a suspected case"), N_("suspected") },
	{ "cluster", N_("part of a cluster"), N_("cluster") },
	/* history actions */
	{ "add", N_("added"), NULL },
	{ "correct", N_("corrected"), NULL },
	{ "delete", N_("deleted"), NULL },
	/* triage rules (stored as these texts) */
	{ "dyspnea or chest pain -> emergency", N_("short of breath or chest pain → emergency"),
	    NULL },
	{ "temperature at or above the threshold -> fever clinic",
	    N_("temperature at or above the threshold → fever clinic"), NULL },
	{ "epidemiological history -> fever clinic",
	    N_("epidemiological history → fever clinic"), NULL },
	{ "fever, cough, sore throat or taste/smell loss -> fever clinic",
	    N_("fever, cough, sore throat or taste/smell loss → fever clinic"), NULL },
	{ "no fever, symptoms or history -> general clinic",
	    N_("no fever, symptoms or history → general clinic"), NULL },
};

static const struct label *
label_find(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].code, code) == 0)
			return &labels[i];
	return NULL;
}

const char *
label_code(const char *code)
{
	const struct label *l = label_find(code);

	return l != NULL ? _(l->label) : code != NULL ? code : "";
}

const char *
label_brief(const char *code)
{
	const struct label *l = label_find(code);

	if (l == NULL)
		return code != NULL ? code : "";
	return _(l->brief != NULL ? l->brief : l->label);
}

const char *
label_kind(int kind)
{
	return label_code(rec_kind_name(kind));
}

const char *
label_station_kind(int kind)
{
	/* triage is both a record kind and a station kind: a station's name is its own */
	if (kind == STATION_TRIAGE)
		return _("triage desk");
	return label_code(station_kind_name(kind));
}

const char *
label_action(int action)
{
	return label_code(rec_action_name(action));
}

int
label_station_kind_parse(const char *text)
{
	static const char *const zh[] = { NULL, "交通卡口", "门岗", "预检分诊" };
	int i;

	if (text == NULL)
		return -1;
	if ((i = station_kind_parse(text)) > 0)
		return i;
	for (i = 1; i <= 3; i++)
		if (strcmp(text, zh[i]) == 0 || strcmp(text, label_station_kind(i)) == 0 ||
		    strcmp(text, label_brief(station_kind_name(i))) == 0)
			return i;
	/* the usual short Chinese names too */
	if (strcmp(text, "卡口") == 0)
		return STATION_TRAFFIC;
	if (strcmp(text, "分诊") == 0 || strcmp(text, "预检") == 0)
		return STATION_TRIAGE;
	return -1;
}

/* Appends s to buf (n bytes, o used); returns the new length (never past n - 1). */
static size_t
label_cat(char *buf, size_t n, size_t o, const char *s)
{
	size_t l = strlen(s);

	if (o >= n)
		return o;
	if (l > n - 1 - o)
		l = n - 1 - o;
	memcpy(buf + o, s, l);
	buf[o + l] = '\0';
	return o + l;
}

void
label_field(const struct record *r, const struct rec_field *f, int brief, char *buf, size_t n)
{
	char raw[REC_TEXT * 2], one[64];
	const char *p, *q;
	size_t o = 0;
	int k;

	rec_field_format(r, f, raw, sizeof raw);
	buf[0] = '\0';
	switch (f->type) {
	case FT_ENUM:
		snprintf(buf, n, "%s", raw[0] ? (brief ? label_brief(raw) : label_code(raw)) : "");
		return;
	case FT_FLAGS:
		for (p = raw; *p != '\0';) {
			q = strchr(p, ',');
			k = q != NULL ? (int)(q - p) : (int)strlen(p);
			snprintf(one, sizeof one, "%.*s", k, p);
			if (o > 0)
				o = label_cat(buf, n, o, _(", "));
			o = label_cat(buf, n, o, brief ? label_brief(one) : label_code(one));
			p += k + (q != NULL);
		}
		return;
	case FT_BOOL:
		snprintf(buf, n, "%s", *(const int *)((const char *)r + f->off) ? _("yes") : _("no"));
		return;
	default:
		break;
	}
	if (strcmp(f->name, "route_rule") == 0)
		snprintf(buf, n, "%s", label_code(raw));
	else if (strcmp(f->name, "flag_reason") == 0)
		label_flags(raw, brief, buf, n);
	else if (strcmp(f->name, "summary") == 0 && r->kind == REC_HANDOVER)
		label_summary(raw, buf, n);
	else
		snprintf(buf, n, "%s", raw);
}

void
label_flags(const char *stored, int brief, char *buf, size_t n)
{
	char part[REC_TEXT], text[REC_TEXT + 64];
	const char *p = stored, *q;
	size_t o = 0, k;
	int fever = 0, pass;

	buf[0] = '\0';
	/* a fever first: it is what must not be missed when a column is narrow */
	for (pass = 0; pass < 2; pass++) {
		for (p = stored; *p != '\0';) {
			q = strstr(p, "; ");
			k = q != NULL ? (size_t)(q - p) : strlen(p);
			snprintf(part, sizeof part, "%.*s", (int)k, p);
			p += k + (q != NULL ? 2 : 0);
			fever = strncmp(part, "fever ", 6) == 0;
			if (fever != (pass == 0))
				continue;
			if (fever) {
				/* "fever 38.5 (passenger)": the reading, then whose it was */
				char value[16] = "", who[16] = "";

				sscanf(part + 6, "%15[0-9.] (%15[a-z])", value, who);
				if (!brief && strcmp(who, "passenger") == 0)
					snprintf(text, sizeof text, _("fever %s °C (%s)"), value,
					    _("passenger"));
				else if (!brief && strcmp(who, "driver") == 0)
					snprintf(text, sizeof text, _("fever %s °C (%s)"), value,
					    _("driver"));
				else
					snprintf(text, sizeof text, _("fever %s °C"),
					    value[0] ? value : part + 6);
			}
			else if (strncmp(part, "high-risk plate prefix ", 23) == 0)
				snprintf(text, sizeof text,
				    brief ? _("plate %s") : _("plate from high-risk %s"), part + 23);
			else if (strcmp(part, "high-risk origin") == 0)
				snprintf(text, sizeof text, "%s",
				    brief ? _("origin") : _("from a high-risk origin"));
			else
				snprintf(text, sizeof text, "%s", part);
			if (o > 0)
				o = label_cat(buf, n, o, _(", "));
			o = label_cat(buf, n, o, text);
		}
	}
}

void
label_alert(const char *stored, char *buf, size_t n)
{
	char type[16], field[48], reason[REC_TEXT], text[REC_TEXT + 64];
	const char *p = stored, *q;
	size_t o = 0, k;

	buf[0] = '\0';
	while (*p != '\0') {
		char part[REC_TEXT + 64];

		q = strstr(p, "; watchlist ");
		k = q != NULL ? (size_t)(q - p) : strlen(p);
		snprintf(part, sizeof part, "%.*s", (int)k, p);
		p += k + (q != NULL ? 2 : 0);
		reason[0] = '\0';
		if (sscanf(part, "watchlist %15s (%47[^)]): %191[^\n]", type, field, reason) >= 2)
			snprintf(text, sizeof text, strcmp(type, "plate") == 0 ?
			    _("plate on the watchlist: %s") : _("ID on the watchlist: %s"), reason);
		else
			snprintf(text, sizeof text, "%s", part);
		if (o > 0)
			o = label_cat(buf, n, o, _("; "));
		o = label_cat(buf, n, o, text);
	}
}

void
label_summary(const char *stored, char *buf, size_t n)
{
	long long v[12];

	if (sscanf(stored,
		"records %lld; fevers %lld (rechecked %lld, pending %lld); inside %lld; bins "
		"collected %lld, overdue %lld; flagged %lld; over quota %lld; alerts %lld",
		&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) != 10) {
		snprintf(buf, n, "%s", stored);
		return;
	}
	snprintf(buf, n,
	    _("records %lld; fevers %lld (rechecked %lld, waiting %lld); inside %lld; bins "
	      "collected %lld, overdue %lld; flagged %lld; over quota %lld; alerts %lld"),
	    v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
}
