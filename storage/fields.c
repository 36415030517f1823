/* fields.c — the kinds of record (one entry each, in storage/kind-*.c) and their fields as
 * tables: names, types, offsets into struct record, flags (required, personal, searched …).
 * CLI flags, TUI forms, JSON bodies, CSV columns, search and purge are all driven from them. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "storage/clock.h"
#include "storage/fields.h"
#include "storage/kind.h"
#include "storage/validate.h"

static const struct kind_entry *const kinds[REC_KIND_COUNT] = {
    [REC_TEMP] = &kind_temp,
    [REC_VEHICLE] = &kind_vehicle,
    [REC_RESIDENT] = &kind_resident,
    [REC_VISITOR] = &kind_visitor,
    [REC_EXIT] = &kind_exit,
    [REC_TRIAGE] = &kind_triage,
    [REC_BIN] = &kind_bin,
    [REC_COLLECTION] = &kind_collection,
    [REC_SIGNIN] = &kind_signin,
    [REC_HANDOVER] = &kind_handover,
};

const struct kind_entry *
kind_entry(int kind)
{
	return kind > 0 && kind < REC_KIND_COUNT ? kinds[kind] : NULL;
}

const char *
rec_kind_label(int kind)
{
	return kind_entry(kind) != NULL ? _(kinds[kind]->label) : "?";
}

int
rec_kind_allowed(int station_kind, int kind)
{
	return kind_entry(kind) != NULL && (kinds[kind]->stations & (1u << station_kind)) != 0;
}

const char *const *
rec_kind_summary(int kind)
{
	return kind_entry(kind) != NULL ? kinds[kind]->summary : NULL;
}

int
rec_flagged(const struct record *r)
{
	const struct kind_entry *k = kind_entry(r->kind);

	return k != NULL && k->flagged != NULL && k->flagged(r);
}

int
rec_kind_has_fever(int kind)
{
	return kind_entry(kind) != NULL && (kinds[kind]->flags & KE_FEVER) != 0;
}

int
rec_field_required(struct logbook *lb, const struct record *r, const struct rec_field *f)
{
	const struct kind_entry *k = kind_entry(r->kind);

	if (f->flags & FF_REQUIRED)
		return 1;
	return k != NULL && k->required != NULL && lb != NULL && k->required(lb, r, f);
}

int
rec_fever(const struct record *r, int *tenths, int64_t *due_ms)
{
	const struct kind_entry *k = kind_entry(r->kind);
	const struct rec_field *f, *d;
	int fever = 0;

	if (tenths != NULL)
		*tenths = k != NULL && k->temp_of != NULL ? k->temp_of(r) : 0;
	if (due_ms != NULL)
		*due_ms = 0;
	if (k == NULL || (f = rec_field_find(r->kind, "fever")) == NULL)
		return 0;
	fever = *(const int *)((const char *)r + f->off);
	if (r->kind == REC_TEMP && r->u.temp.recheck_of != 0)
		fever = 0; /* a recheck is not a new fever */
	if (fever && due_ms != NULL && (d = rec_field_find(r->kind, "recheck_due")) != NULL)
		*due_ms = *(const int64_t *)((const char *)r + d->off);
	return fever;
}

const char *
rec_kind_name(int kind)
{
	return kind_entry(kind) != NULL ? kinds[kind]->name : "?";
}

int
rec_kind_parse(const char *s)
{
	int i;

	for (i = 1; i < REC_KIND_COUNT; i++)
		if (s != NULL && strcmp(s, kinds[i]->name) == 0)
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
	*n = kinds[kind]->nfields;
	return kinds[kind]->fields;
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

	if (f->flags & FF_TEMP) {
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
	char list[256], plain[REC_TEXT * 3], typed[64];
	const char *p, *q;
	long long v;
	int i, k, rc;

	/* a Chinese input method's Ａ１２，. made plain before any length or shape check;
	 * free text (names, notes) is kept as typed */
	if ((f->type != FT_TEXT || (f->flags & (FF_IDNUM | FF_PLATE | FF_PHONE))) &&
	    validate_halfwidth(text, plain, sizeof plain, f->type != FT_TEXT) >= 0)
		text = plain;
	/* a province by its pinyin ("jiG7K2Q9"): its character, so the length check counts
	 * what is stored */
	if ((f->flags & FF_PLATE) && validate_plate_pinyin(text, typed, sizeof typed) >= 0)
		text = typed;

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
