/* fields.c — the kinds of record and their fields as tables: names, types, offsets into
 * struct record, flags (required, personal, searched …). CLI flags, TUI forms, JSON bodies,
 * CSV columns, search and purge are all driven from these tables. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "storage/clock.h"
#include "storage/record.h"
#include "storage/validate.h"

#define OFF(k, f) offsetof(struct record, u.k.f)
#define SZ(k, f) sizeof(((struct record *)0)->u.k.f)
#define TEXT(k, f, fl, label)                                                                      \
	{                                                                                          \
#f, FT_TEXT, OFF(k, f), SZ(k, f), fl, NULL, label                                  \
	}
#define ENUM(k, f, fl, ch, label)                                                                  \
	{                                                                                          \
#f, FT_ENUM, OFF(k, f), SZ(k, f), fl, ch, label                                    \
	}

static const char *const methods[] = {N_("forehead"), N_("wrist"), N_("ear"), N_("oral"), N_("armpit"), NULL};
static const char *const temp_disp[] = {N_("pass"), N_("isolated"), N_("referred"), N_("turned_back"), NULL};
static const char *const vehicle_disp[] = {N_("pass"), N_("turned_back"), N_("referred"), NULL};
static const char *const directions[] = {N_("out"), N_("in"), NULL};
static const char *const id_types[] = {
    N_("resident_id"), N_("passport"), N_("hk_macao"), N_("taiwan"), N_("other"), NULL};
static const char *const health_codes[] = {N_("green"), N_("yellow"), N_("red"), NULL};
static const char *const routes[] = {N_("fever_clinic"), N_("general_clinic"), N_("emergency"), NULL};
const char *const rec_symptom_names[] = {N_("fever"), N_("cough"), N_("sore_throat"), N_("fatigue"), N_("taste_smell"),
    N_("diarrhea"), N_("dyspnea"), N_("chest_pain"), NULL};
const char *const rec_epi_names[] = {
    N_("high_risk_area"), N_("contact_confirmed"), N_("contact_suspected"), N_("cluster"), NULL};

static const struct rec_field temp_fields[] = {
    {"value", FT_DECI, OFF(temp, value), 0, FF_REQUIRED, NULL, N_("temperature °C")},
    ENUM(temp, method, 0, methods, N_("method")),
    TEXT(temp, person, FF_PERSONAL | FF_NAME, N_("person")),
    {"recheck_of", FT_SEQ, OFF(temp, recheck_of), 0, 0, NULL, N_("recheck of")},
    ENUM(temp, disposition, 0, temp_disp, N_("disposition")),
    {"fever", FT_BOOL, OFF(temp, fever), 0, FF_COMPUTED, NULL, N_("fever")},
    {"recheck_due", FT_SEQ, OFF(temp, recheck_due_ms), 0, FF_COMPUTED | FF_MS, NULL,
	N_("recheck due")},
};
static const struct rec_field vehicle_fields[] = {
    TEXT(vehicle, plate, FF_REQUIRED | FF_PERSONAL | FF_PLATE, N_("plate")),
    TEXT(vehicle, driver_name, FF_REQUIRED | FF_PERSONAL | FF_NAME, N_("driver's name")),
    TEXT(vehicle, driver_id_number, FF_PERSONAL | FF_IDNUM, N_("driver's ID number")),
    TEXT(vehicle, driver_phone, FF_PERSONAL | FF_PHONE, N_("driver's phone")),
    {"occupants", FT_INT, OFF(vehicle, occupants), 0, FF_REQUIRED, NULL, N_("occupants")},
    {"occupant_temps", FT_DECI_LIST, OFF(vehicle, occupant_temps), 0, FF_REQUIRED, NULL,
	N_("occupants' temperatures")},
    TEXT(vehicle, origin, FF_REQUIRED | FF_PERSONAL, N_("origin")),
    TEXT(vehicle, destination, FF_PERSONAL, N_("destination")),
    TEXT(vehicle, reason, FF_PERSONAL, N_("reason")),
    ENUM(vehicle, disposition, FF_REQUIRED, vehicle_disp, N_("disposition")),
    {"id_unverified", FT_BOOL, OFF(vehicle, id_unverified), 0, 0, NULL, N_("ID unverified")},
    TEXT(vehicle, note, FF_PERSONAL, N_("note")),
    {"flagged", FT_BOOL, OFF(vehicle, flagged), 0, FF_COMPUTED, NULL, N_("flagged")},
    TEXT(vehicle, flag_reason, FF_COMPUTED, N_("why flagged")),
    {"fever", FT_BOOL, OFF(vehicle, fever), 0, FF_COMPUTED, NULL, N_("fever")},
};
static const struct rec_field resident_fields[] = {
    ENUM(resident, direction, FF_REQUIRED, directions, N_("direction")),
    TEXT(resident, household, FF_REQUIRED | FF_PERSONAL, N_("household")),
    TEXT(resident, pass_number, FF_PERSONAL, N_("pass number")),
    TEXT(resident, name, FF_PERSONAL | FF_NAME, N_("name")),
    {"quota_exceeded", FT_BOOL, OFF(resident, quota_exceeded), 0, FF_COMPUTED, NULL,
	N_("over quota")},
    TEXT(resident, quota, FF_COMPUTED, N_("quota used")),
};
static const struct rec_field visitor_fields[] = {
    ENUM(visitor, id_type, FF_REQUIRED, id_types, N_("ID type")),
    TEXT(visitor, id_number, FF_REQUIRED | FF_PERSONAL | FF_IDNUM, N_("ID number")),
    TEXT(visitor, name, FF_REQUIRED | FF_PERSONAL | FF_NAME, N_("name")),
    TEXT(visitor, phone, FF_REQUIRED | FF_PERSONAL | FF_PHONE, N_("phone")),
    TEXT(visitor, plate, FF_PERSONAL | FF_PLATE, N_("plate")),
    TEXT(visitor, host, FF_REQUIRED | FF_PERSONAL, N_("host household")),
    TEXT(visitor, reason, FF_PERSONAL, N_("reason")),
    ENUM(visitor, health_code, FF_REQUIRED, health_codes, N_("health code")),
    {"id_unverified", FT_BOOL, OFF(visitor, id_unverified), 0, 0, NULL, N_("ID unverified")},
    TEXT(visitor, note, FF_PERSONAL, N_("note")),
};
static const struct rec_field exit_fields[] = {
    {"entry", FT_SEQ, OFF(exit, entry), 0, FF_REQUIRED, NULL, N_("entry")},
};
static const struct rec_field triage_fields[] = {
    TEXT(triage, name, FF_REQUIRED | FF_PERSONAL | FF_NAME, N_("name")),
    ENUM(triage, id_type, 0, id_types, N_("ID type")),
    TEXT(triage, id_number, FF_PERSONAL | FF_IDNUM, N_("ID number")),
    TEXT(triage, phone, FF_PERSONAL | FF_PHONE, N_("phone")),
    {"temp", FT_DECI, OFF(triage, temp), 0, FF_REQUIRED, NULL, N_("temperature °C")},
    {"symptoms", FT_FLAGS, OFF(triage, symptoms), 0, 0, rec_symptom_names, N_("symptoms")},
    {"epi", FT_FLAGS, OFF(triage, epi), 0, 0, rec_epi_names, N_("epidemiological history")},
    ENUM(triage, route, 0, routes, N_("route")),
    ENUM(triage, suggested, FF_COMPUTED, routes, N_("suggested route")),
    TEXT(triage, route_rule, FF_COMPUTED, N_("rule")),
    {"id_unverified", FT_BOOL, OFF(triage, id_unverified), 0, 0, NULL, N_("ID unverified")},
    TEXT(triage, note, FF_PERSONAL, N_("note")),
    {"fever", FT_BOOL, OFF(triage, fever), 0, FF_COMPUTED, NULL, N_("fever")},
};
static const struct rec_field bin_fields[] = {
    TEXT(bin, code, FF_REQUIRED, N_("bin code")),
    TEXT(bin, place, FF_REQUIRED, N_("place")),
};
static const struct rec_field collection_fields[] = {
    TEXT(collection, bin, FF_REQUIRED, N_("bin code")),
    {"bags", FT_INT, OFF(collection, bags), 0, FF_REQUIRED, NULL, N_("bags")},
    {"weight_kg", FT_DECI, OFF(collection, weight), 0, 0, NULL, N_("weight kg")},
    {"fill", FT_INT, OFF(collection, fill), 0, 0, NULL, N_("fill %")},
    TEXT(collection, disinfectant, 0, N_("disinfectant")),
    TEXT(collection, seal, 0, N_("seal number")),
    TEXT(collection, handed_to, 0, N_("handed to")),
};
static const struct rec_field signin_fields[] = {
    TEXT(signin, name, FF_REQUIRED, N_("operator")),
};
static const struct rec_field handover_fields[] = {
    TEXT(handover, note, 0, N_("note")),
    TEXT(handover, summary, FF_COMPUTED, N_("summary")),
};

static const struct kind_def {
	const char *name;
	const struct rec_field *fields;
	size_t n;
} kinds[REC_KIND_COUNT] = {
#define K(e, name, t) [e] = {name, t, sizeof t / sizeof t[0]}
    K(REC_TEMP, "temp", temp_fields),
    K(REC_VEHICLE, "vehicle", vehicle_fields),
    K(REC_RESIDENT, "resident", resident_fields),
    K(REC_VISITOR, "visitor", visitor_fields),
    K(REC_EXIT, "exit", exit_fields),
    K(REC_TRIAGE, "triage", triage_fields),
    K(REC_BIN, "bin", bin_fields),
    K(REC_COLLECTION, "collection", collection_fields),
    K(REC_SIGNIN, "signin", signin_fields),
    K(REC_HANDOVER, "handover", handover_fields),
#undef K
};

const char *
rec_kind_name(int kind)
{
	return kind > 0 && kind < REC_KIND_COUNT ? kinds[kind].name : "?";
}

int
rec_kind_parse(const char *s)
{
	int i;

	for (i = 1; i < REC_KIND_COUNT; i++)
		if (s != NULL && strcmp(s, kinds[i].name) == 0)
			return i;
	return -1;
}

const char *
rec_action_name(int action)
{
	static const char *const names[] = {"?", "add", "correct", "delete"};

	return action >= REC_ADD && action <= REC_DELETE ? names[action] : names[0];
}

void
rec_init(struct record *r, int kind)
{
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->action = REC_ADD;
}

const struct rec_field *
rec_fields(int kind, size_t *n)
{
	if (kind <= 0 || kind >= REC_KIND_COUNT) {
		*n = 0;
		return NULL;
	}
	*n = kinds[kind].n;
	return kinds[kind].fields;
}

const struct rec_field *
rec_field_find(int kind, const char *name)
{
	const struct rec_field *f;
	size_t n, i, j;

	if ((f = rec_fields(kind, &n)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		for (j = 0; f[i].name[j] != '\0' && name[j] != '\0'; j++)
			if (f[i].name[j] != name[j] && !(f[i].name[j] == '_' && name[j] == '-'))
				break;
		if (f[i].name[j] == '\0' && name[j] == '\0')
			return &f[i];
	}
	return NULL;
}

#define AT(r, f, type) ((type *)((char *)(r) + (f)->off))
#define CAT(r, f, type) ((const type *)((const char *)(r) + (f)->off))

/* "37.3" "37" "36,5" "365" "37℃" for temperatures; plain decimals for the rest. */
static int
parse_deci(const struct rec_field *f, const char *text, int *out, struct err *e)
{
	struct temp_result t;
	int64_t v;
	int rc;

	if (strcmp(f->name, "weight_kg") != 0) {
		validate_temp(text, 1000, &t);
		if (t.status == VALIDATE_INVALID && !t.remeasure)
			return err_set(e, E_INVALID, _("%s: %s"), f->name, t.msg);
		*out = t.tenths;
		return E_OK;
	}
	if ((rc = parse_fixed(text, 1, 0, 1000000, f->name, &v, e)) != E_OK)
		return rc;
	*out = (int)v;
	return E_OK;
}

static int
parse_choice(const char *const *choices, const char *s, size_t len)
{
	int i;

	for (i = 0; choices[i] != NULL; i++)
		if (strlen(choices[i]) == len && strncmp(choices[i], s, len) == 0)
			return i;
	return -1;
}

static void
choices_text(const char *const *choices, char *buf, size_t n)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; choices[i] != NULL && o < n; i++)
		o += snprintf(buf + o, n - o, "%s%s", i ? ", " : "", choices[i]);
}

int
rec_field_set(struct record *r, const struct rec_field *f, const char *text, struct err *e)
{
	char list[256];
	const char *p, *q;
	long long v;
	int i, k, rc;

	switch (f->type) {
	case FT_TEXT:
		if (strlen(text) >= f->size)
			return err_set(
			    e, E_INVALID, _("%s: longer than %zu bytes"), f->name, f->size - 1);
		snprintf(AT(r, f, char), f->size, "%s", text);
		return E_OK;
	case FT_ENUM:
		if (text[0] != '\0' && parse_choice(f->choices, text, strlen(text)) < 0) {
			choices_text(f->choices, list, sizeof list);
			return err_set(
			    e, E_INVALID, _("%s: '%s' is not one of %s"), f->name, text, list);
		}
		snprintf(AT(r, f, char), f->size, "%s", text);
		return E_OK;
	case FT_INT:
	case FT_SEQ:
	case FT_BOOL:
		if (text[0] == '\0') {
			v = 0;
		} else {
			int64_t x;

			p = text[0] == '#' ? text + 1 : text;
			if (f->type == FT_BOOL && strcmp(p, "0") != 0 && strcmp(p, "1") != 0)
				return err_set(e, E_INVALID, _("%s: '%s' is not 0 or 1"), f->name,
				    text);
			if ((rc = parse_int(p, 0,
				 f->type == FT_SEQ ? INT64_MAX : 1000000, f->name, &x, e)) != E_OK)
				return rc;
			v = x;
		}
		if (f->type == FT_SEQ)
			*AT(r, f, int64_t) = v;
		else
			*AT(r, f, int) = (int)v;
		return E_OK;
	case FT_DECI:
		if (text[0] == '\0') {
			*AT(r, f, int) = 0;
			return E_OK;
		}
		return parse_deci(f, text, AT(r, f, int), e);
	case FT_DECI_LIST:
		memset(AT(r, f, int), 0, sizeof(int) * REC_MAX_OCCUPANTS);
		for (p = text, i = 0; *p != '\0'; i++) {
			char one[32];

			q = strchr(p, ',');
			k = q != NULL ? (int)(q - p) : (int)strlen(p);
			if (i >= REC_MAX_OCCUPANTS)
				return err_set(e, E_INVALID, _("%s: more than %d values"), f->name,
				    REC_MAX_OCCUPANTS);
			snprintf(one, sizeof one, "%.*s", k, p);
			if ((rc = parse_deci(f, one, &AT(r, f, int)[i], e)) != E_OK)
				return rc;
			p += k + (q != NULL);
		}
		return E_OK;
	case FT_FLAGS:
		*AT(r, f, unsigned) = 0;
		for (p = text; *p != '\0';) {
			q = strchr(p, ',');
			k = q != NULL ? (int)(q - p) : (int)strlen(p);
			if (k > 0) {
				if ((i = parse_choice(f->choices, p, k)) < 0) {
					choices_text(f->choices, list, sizeof list);
					return err_set(e, E_INVALID,
					    _("%s: '%.*s' is not one of %s"), f->name, k, p, list);
				}
				*AT(r, f, unsigned) |= 1u << i;
			}
			p += k + (q != NULL);
		}
		return E_OK;
	}
	return err_set(e, E_INVALID, _("%s: unknown field type"), f->name);
}

/* The number of values of a list field: the record's occupants. */
static int
list_count(const struct record *r)
{
	int n = r->kind == REC_VEHICLE ? r->u.vehicle.occupants : 0;

	return n < 0 ? 0 : n > REC_MAX_OCCUPANTS ? REC_MAX_OCCUPANTS : n;
}

void
rec_field_format(const struct record *r, const struct rec_field *f, char *buf, size_t n)
{
	size_t o = 0;
	int i, v, c;
	unsigned bits;

	buf[0] = '\0';
	switch (f->type) {
	case FT_TEXT:
	case FT_ENUM:
		snprintf(buf, n, "%s", CAT(r, f, char));
		break;
	case FT_INT:
	case FT_BOOL:
		snprintf(buf, n, "%d", *CAT(r, f, int));
		break;
	case FT_SEQ:
		if (*CAT(r, f, int64_t) != 0 && (f->flags & FF_MS))
			clock_format(*CAT(r, f, int64_t), r->tz_min, buf, (int)n);
		else if (*CAT(r, f, int64_t) != 0)
			snprintf(buf, n, "%lld", (long long)*CAT(r, f, int64_t));
		break;
	case FT_DECI:
		v = *CAT(r, f, int);
		if (v != 0)
			snprintf(buf, n, "%d.%d", v / 10, v % 10);
		break;
	case FT_DECI_LIST:
		c = list_count(r);
		for (i = 0; i < c && o < n; i++) {
			v = CAT(r, f, int)[i];
			o += snprintf(buf + o, n - o, "%s%d.%d", i ? "," : "", v / 10, v % 10);
		}
		break;
	case FT_FLAGS:
		bits = *CAT(r, f, unsigned);
		for (i = 0; f->choices[i] != NULL && o < n; i++)
			if (bits & (1u << i))
				o += snprintf(buf + o, n - o, "%s%s", o ? "," : "", f->choices[i]);
		break;
	}
}
