/* recform.c — forms generated from the record field tables, so the TUI, the CLI flags and
 * the exports can never disagree on what a record holds (see recform.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/labels.h"
#include "storage/fields.h"
#include "storage/logbook.h"
#include "storage/validate.h"
#include "tui/app.h"
#include "tui/recform.h"

static int
is_temp_field(const struct rec_field *f)
{
	return f->type == FT_DECI && (f->flags & FF_TEMP);
}

/* The choice text names, or NULL: its number in the hint (1-9), the stored code or the
 * label in the interface's language (exact match wins), or a prefix of one that fits only
 * one choice — so a Chinese volunteer can type 1, 放 or p for 放行 (pass). */
static const char *
choice_of(const char *const *choices, const char *text, size_t n)
{
	const char *hit = NULL, *label;
	int i, count;

	if (n == 0)
		return NULL;
	for (count = 0; choices[count] != NULL; count++)
		;
	if (n == 1 && text[0] >= '1' && text[0] <= '9' && text[0] - '0' <= count)
		return choices[text[0] - '1'];
	for (i = 0; choices[i] != NULL; i++) {
		label = label_code(choices[i]);
		if ((strlen(choices[i]) == n && strncmp(choices[i], text, n) == 0) ||
		    (strlen(label) == n && strncmp(label, text, n) == 0))
			return choices[i];
	}
	for (i = 0; choices[i] != NULL; i++) {
		label = label_code(choices[i]);
		if (strncmp(choices[i], text, n) == 0 || strncmp(label, text, n) == 0) {
			if (hit != NULL && hit != choices[i])
				return NULL;
			hit = choices[i];
		}
	}
	return hit;
}

/* "1 pass  2 isolated  …", labels in the interface's language. */
static void
choices_line(const char *const *choices, char *buf, size_t n)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; choices[i] != NULL && used + 1 < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%d %s", i ? "  " : "", i + 1,
		    label_code(choices[i]));
}

static void
today(struct validate_date *d)
{
	int64_t now = clock_now_ms();
	char buf[32];

	clock_format(now, clock_tz_min(now), buf, sizeof buf);
	d->year = atoi(buf);
	d->month = atoi(buf + 5);
	d->day = atoi(buf + 8);
}

static int
state_of(int status)
{
	return status == VALIDATE_OK ? FORM_OK : status == VALIDATE_WARNING ? FORM_WARN :
	    FORM_BAD;
}

/* While a plate is only lowercase letters so far, the provinces they may be: "ji: 冀 ji ·
 * 吉 jilin · 京 jing · 津 jin" (storage's list); 0 if none or not such a start. */
static int
plate_pick_list(const char *text, char *note, size_t size)
{
	const char *abbr[8], *key[8];
	size_t run = 0, i, m, o;

	while (text[run] >= 'a' && text[run] <= 'z')
		run++;
	if (run == 0 || text[run] != '\0' ||
	    (m = validate_plate_pinyin_matches(text, run, abbr, key, 8)) == 0)
		return 0;
	o = (size_t)snprintf(note, size, "%s:", text);
	for (i = 0; i < m && o < size; i++)
		o += (size_t)snprintf(note + o, size - o, "%s %s %s", i ? " ·" : "", abbr[i], key[i]);
	return 1;
}

static int
recform_check(struct form_field *ff, const char *text, void *ctx)
{
	struct recform *rf = ctx;
	const struct rec_field *f = rf->rf[ff - rf->ff];
	char plain[FIELD_CAP * 4 + 1], typed[FIELD_CAP * 4 + 1];
	size_t n;

	/* what storage stores (rec_field_set): full-width made plain, a province's pinyin
	 * its character, before the length is counted */
	if ((f->type != FT_TEXT || (f->flags & (FF_IDNUM | FF_PLATE | FF_PHONE))) &&
	    validate_halfwidth(text, plain, sizeof plain, f->type != FT_TEXT) >= 0)
		text = plain;
	if ((f->flags & FF_PLATE) && validate_plate_pinyin(text, typed, sizeof typed) >= 0)
		n = strlen(typed);
	else
		n = strlen(text);
	if (f->type == FT_TEXT && n >= f->size) {
		snprintf(ff->note, sizeof ff->note, "%s", _("too long"));
		return FORM_BAD;
	}
	if (f->flags & FF_IDNUM) {
		struct id_result r;
		struct validate_date d;
		int t = recform_index(rf, "id_type");
		char type[REC_WORD * 4];
		const struct rec_field *tf = t >= 0 ? rf->rf[t] : NULL;
		const char *c;

		/* only a resident ID has a check character; other documents are taken as typed */
		if (tf != NULL && form_text(&rf->form, t, type, sizeof type)[0] != '\0' &&
		    tf->choices != NULL && (c = choice_of(tf->choices, type, strlen(type))) != NULL &&
		    strcmp(c, "resident_id") != 0)
			return FORM_OK;
		today(&d);
		validate_id(text, &d, &r);
		if (r.status == VALIDATE_OK || (r.status != VALIDATE_INVALID && r.birth[0])) {
			snprintf(ff->note, sizeof ff->note, _("born %s, %s"), r.birth,
			    r.sex == 'F' ? _("female") : _("male"));
		} else
			snprintf(ff->note, sizeof ff->note, "%s", r.msg);
		return state_of(r.status);
	}
	if (f->flags & FF_PLATE) {
		struct plate_result r;

		validate_plate(text, &r);
		if (r.status == VALIDATE_OK && r.pinyin != NULL) {
			int o = snprintf(ff->note, sizeof ff->note, "%s · ", r.norm);

			if (o > 0 && (size_t)o < sizeof ff->note) {
				size_t room = sizeof ff->note - (size_t)o - 1, ml = strlen(r.msg);

				memcpy(ff->note + o, r.msg, ml < room ? ml : room);
				ff->note[o + (ml < room ? ml : room)] = '\0';
			}
		} else if (r.province_zh != NULL && r.status == VALIDATE_OK)
			snprintf(ff->note, sizeof ff->note, "%s · %s", r.province_zh,
			    r.province_en);
		else if (plate_pick_list(text, ff->note, sizeof ff->note))
			;
		else
			snprintf(ff->note, sizeof ff->note, "%s", r.msg);
		return state_of(r.status);
	}
	if (f->flags & FF_PHONE) {
		struct phone_result r;

		validate_phone(text, &r);
		snprintf(ff->note, sizeof ff->note, "%s", r.status == VALIDATE_OK ? "" : r.msg);
		return state_of(r.status);
	}
	if (is_temp_field(f) || f->type == FT_DECI_LIST) {
		struct temp_result r;
		char copy[FIELD_CAP * 4 + 1], *p, *save = NULL;

		/* Whether it is a fever is the rules' verdict (recform_verdict), not ours. */
		snprintf(copy, sizeof copy, "%s", text);
		for (p = strtok_r(copy, " ,;", &save); p != NULL; p = strtok_r(NULL, " ,;", &save)) {
			validate_temp(p, TEMP_MAX_TENTHS + 1, &r);
			if (r.status != VALIDATE_OK) {
				snprintf(ff->note, sizeof ff->note, "%s", r.msg);
				return FORM_BAD;
			}
			if (f->type != FT_DECI_LIST)
				snprintf(ff->note, sizeof ff->note, "%d.%d °C", r.tenths / 10,
				    r.tenths % 10);
		}
		return FORM_OK;
	}
	if (f->type == FT_ENUM) {
		const char *c = choice_of(f->choices, text, n);
		char line[160];

		if (c == NULL) {
			choices_line(f->choices, line, sizeof line);
			snprintf(ff->note, sizeof ff->note, "%s", line);
			return FORM_BAD;
		}
		snprintf(ff->note, sizeof ff->note, "→ %s", label_code(c));
		return FORM_OK;
	}
	if (f->type == FT_FLAGS) {
		char copy[FIELD_CAP * 4 + 1], *p, *save = NULL, line[FORM_NOTE_MAX];

		size_t o = 0;
		const char *c;

		/* "1,2" echoed in words: "→ fever, cough" */
		snprintf(copy, sizeof copy, "%s", text);
		line[0] = '\0';
		for (p = strtok_r(copy, " ,", &save); p != NULL; p = strtok_r(NULL, " ,", &save)) {
			if ((c = choice_of(f->choices, p, strlen(p))) == NULL) {
				choices_line(f->choices, line, sizeof line);
				snprintf(ff->note, sizeof ff->note, "%s", line);
				return FORM_BAD;
			}
			if (o < sizeof line)
				o += (size_t)snprintf(line + o, sizeof line - o, "%s%s",
				    o ? _(", ") : "→ ", label_code(c));
		}
		snprintf(ff->note, sizeof ff->note, "%s", line);
		return FORM_OK;
	}
	if (f->type == FT_INT) {
		/* storage's own check (rec_field_set: parse_int and its range), so the hint says
		 * what saving would say: not a number, or out of range */
		struct record *scratch = calloc(1, sizeof *scratch);
		struct err e = { 0 };
		int bad = scratch == NULL || rec_field_set(scratch, f, text, &e) != E_OK;

		if (bad) {
			const char *m = scratch == NULL ? _("out of memory") : e.msg;
			size_t len = strlen(m);

			/* cut on a character boundary if it must be cut (a long number typed) */
			if (len >= sizeof ff->note)
				for (len = sizeof ff->note - 1; len > 0 &&
				    ((unsigned char)m[len] & 0xc0) == 0x80; len--)
					;
			memcpy(ff->note, m, len);
			ff->note[len] = '\0';
		}
		free(scratch);
		if (bad)
			return FORM_BAD;
	}
	if (f->type == FT_BOOL && choice_of((const char *const[]){ "y", "n", "yes", "no", "1",
	    "0", NULL }, text, n) == NULL) {
		snprintf(ff->note, sizeof ff->note, "%s", _("y or n"));
		return FORM_BAD;
	}
	return FORM_OK;
}

void
recform_init(struct recform *rf, int kind, struct app *a, const char *const *skip)
{
	const struct rec_field *fields;
	size_t n, i;
	int k, m = 0;

	memset(rf, 0, sizeof *rf);
	rf->kind = kind;
	rf->app = a;
	fields = rec_fields(kind, &n);
	for (i = 0; fields != NULL && i < n && m < RECFORM_MAX; i++) {
		const struct rec_field *f = &fields[i];
		int flags = 0, skipped = 0;
		size_t max = FIELD_CAP;

		if ((f->flags & FF_COMPUTED) || f->type == FT_SEQ)
			continue;
		for (k = 0; skip != NULL && skip[k] != NULL; k++)
			if (strcmp(skip[k], f->name) == 0)
				skipped = 1;
		if (skipped)
			continue;
		if (f->flags & (FF_IDNUM | FF_PLATE))
			flags |= FIELD_UPPER;
		if (f->flags & FF_PLATE)
			flags |= FIELD_PINYIN;	/* "jiG7K2Q9": the province by its pinyin */
		if (f->type == FT_TEXT || f->type == FT_ENUM)
			max = f->size - 1 < FIELD_CAP ? f->size - 1 : FIELD_CAP;
		if (f->flags & FF_IDNUM)
			max = 18;
		form_field_init(&rf->ff[m], f->label, max, flags, (f->flags & FF_REQUIRED) != 0,
		    recform_check);
		if ((f->type == FT_ENUM || f->type == FT_FLAGS) && f->choices != NULL)
			choices_line(f->choices, rf->ff[m].hint, sizeof rf->ff[m].hint);
		else if (f->type == FT_BOOL)
			snprintf(rf->ff[m].hint, sizeof rf->ff[m].hint, "%s", _("y or n"));
		rf->rf[m++] = f;
	}
	form_init(&rf->form, rf->ff, m > 0 ? m : 1, rf);
}

int
recform_index(const struct recform *rf, const char *name)
{
	int i;

	for (i = 0; i < rf->form.n; i++)
		if (rf->rf[i] != NULL && strcmp(rf->rf[i]->name, name) == 0)
			return i;
	return -1;
}

void
recform_fill(struct recform *rf, const struct record *r)
{
	char buf[REC_TEXT * 2];
	int i;

	for (i = 0; i < rf->form.n; i++) {
		rec_field_format(r, rf->rf[i], buf, sizeof buf);
		if (rf->rf[i]->type == FT_BOOL && strcmp(buf, "0") == 0)
			buf[0] = '\0';
		field_set(&rf->ff[i].f, buf);
		form_check_field(&rf->form, i);
	}
	rf->form.cur = 0;
}

void
recform_recheck(struct recform *rf)
{
	int i;

	for (i = 0; i < rf->form.n; i++)
		form_check_field(&rf->form, i);
	recform_verdict(rf);
}

static void recform_value(const struct rec_field *f, const char *text, char *out, size_t n);

/* What the rules say of a field they flagged, beside it. */
static const char *
flagged_note(const struct rec_field *f)
{
	if (f->flags & FF_TEMP)
		return _("FEVER");
	if (f->flags & FF_PLATE)
		return _("high-risk region");
	return _("see the alert line");
}

void
recform_verdict(struct recform *rf)
{
	struct record *r = &rf->vrec;
	struct rec_notice *n = &rf->verdict;
	const struct rec_field *all;
	char text[FIELD_CAP * 4 + 1], value[FIELD_CAP * 4 + 1];
	struct err e = { 0 };
	size_t count, k;
	int i;

	rf->alert[0] = '\0';
	memset(n, 0, sizeof *n);
	rec_init(r, rf->kind);
	/* what is typed so far; a field that does not parse yet is left out */
	for (i = 0; i < rf->form.n; i++) {
		form_text(&rf->form, i, text, sizeof text);
		if (text[0] == '\0')
			continue;
		recform_value(rf->rf[i], text, value, sizeof value);
		rec_field_set(r, rf->rf[i], value, NULL);
	}
	if (rf->kind == REC_TEMP)
		r->u.temp.recheck_of = rf->recheck_of;
	if (rf->app == NULL || rf->app->lb == NULL)
		return;
	if (rec_verdict(rf->app->lb, r, n, &e) != E_OK) {
		snprintf(n->problem, sizeof n->problem, "%.*s", (int)sizeof n->problem - 1, e.msg);
		return;
	}
	all = rec_fields(rf->kind, &count);
	for (i = 0; i < rf->form.n; i++) {
		k = (size_t)(rf->rf[i] - all);
		rf->ff[i].required = rec_field_required(rf->app->lb, r, rf->rf[i]);
		if (k >= count || rf->ff[i].state == FORM_BAD)
			continue;
		if (n->watch_fields & (1u << k)) {
			snprintf(rf->ff[i].note, sizeof rf->ff[i].note, "%s", _("ON THE WATCHLIST"));
			rf->ff[i].state = FORM_WARN; /* stored with the alert, never refused */
		} else if (n->rule_fields & (1u << k)) {
			snprintf(rf->ff[i].note, sizeof rf->ff[i].note, "%s", flagged_note(rf->rf[i]));
			rf->ff[i].state = FORM_WARN;
		}
	}
	/* a household's outings as the rules counted them (with this one), beside it */
	if (rf->kind == REC_RESIDENT && (i = recform_index(rf, "household")) >= 0 &&
	    rf->ff[i].state != FORM_BAD && r->u.resident.quota[0] != '\0') {
		int used, persons, days;

		if (sscanf(r->u.resident.quota, "%d/%d in %d days", &used, &persons, &days) == 3)
			snprintf(rf->ff[i].note, sizeof rf->ff[i].note, r->u.resident.quota_exceeded ?
			    _("quota used up: %d of %d in %d days") : _("outings: %d of %d in %d days"),
			    used - 1, persons, days);
	}
	if (n->alert || n->flagged || n->quota_exceeded || n->fever || n->rule_fields)
		snprintf(rf->alert, sizeof rf->alert, "%s", n->text);
}

/* What rec_field_set should see for what was typed. */
static void
recform_value(const struct rec_field *f, const char *text, char *out, size_t n)
{
	struct temp_result t;
	const char *c;
	char copy[FIELD_CAP * 4 + 1], *p, *save = NULL;
	size_t used = 0;

	if (is_temp_field(f) && validate_temp(text, TEMP_MAX_TENTHS + 1, &t) == VALIDATE_OK) {
		snprintf(out, n, "%d.%d", t.tenths / 10, t.tenths % 10);
		return;
	}
	if (f->type == FT_ENUM && (c = choice_of(f->choices, text, strlen(text))) != NULL) {
		snprintf(out, n, "%s", c);
		return;
	}
	if (f->type == FT_BOOL) {
		snprintf(out, n, "%s", text[0] == 'y' || text[0] == 'Y' || text[0] == '1' ? "1" :
		    "0");
		return;
	}
	if (f->type == FT_FLAGS || f->type == FT_DECI_LIST) {
		snprintf(copy, sizeof copy, "%s", text);
		out[0] = '\0';
		for (p = strtok_r(copy, " ,;", &save); p != NULL && used + 1 < n;
		    p = strtok_r(NULL, " ,;", &save)) {
			char one[32];

			if (f->type == FT_DECI_LIST &&
			    validate_temp(p, TEMP_MAX_TENTHS + 1, &t) == VALIDATE_OK)
				snprintf(one, sizeof one, "%d.%d", t.tenths / 10, t.tenths % 10);
			else if (f->type == FT_FLAGS &&
			    (c = choice_of(f->choices, p, strlen(p))) != NULL)
				snprintf(one, sizeof one, "%s", c);
			else
				snprintf(one, sizeof one, "%s", p);
			used += (size_t)snprintf(out + used, n - used, "%s%s", used ? "," : "", one);
		}
		return;
	}
	snprintf(out, n, "%s", text);
}

int
recform_build(struct recform *rf, struct record *r, struct err *e)
{
	rec_init(r, rf->kind);
	return recform_apply(rf, r, e);
}

int
recform_apply(struct recform *rf, struct record *r, struct err *e)
{
	char text[FIELD_CAP * 4 + 1], value[FIELD_CAP * 4 + 1];
	int i, rc;

	for (i = 0; i < rf->form.n; i++) {
		form_text(&rf->form, i, text, sizeof text);
		if (text[0] == '\0') {
			const struct rec_field *f = rf->rf[i];

			/* emptied in a correction: text goes blank, numbers stay */
			if (f->type == FT_TEXT || f->type == FT_ENUM)
				memset((char *)r + f->off, 0, f->size);
			continue;
		}
		recform_value(rf->rf[i], text, value, sizeof value);
		if ((rc = rec_field_set(r, rf->rf[i], value, e)) != E_OK) {
			form_focus(&rf->form, i);
			return rc;
		}
	}
	return E_OK;
}

int
recform_validate(struct recform *rf)
{
	char flag[16], note[FIELD_CAP * 4 + 1];
	int i, first, u = recform_index(rf, "id_unverified"), nt = recform_index(rf, "note");

	recform_verdict(rf);	/* which fields the station requires now */
	first = form_validate(&rf->form);
	if (first < 0 || u < 0 || nt < 0)
		return first;
	form_text(&rf->form, u, flag, sizeof flag);
	form_text(&rf->form, nt, note, sizeof note);
	if ((flag[0] != 'y' && flag[0] != 'Y' && flag[0] != '1') || note[0] == '\0')
		return first;
	first = -1;
	for (i = 0; i < rf->form.n; i++) {
		if ((rf->rf[i]->flags & FF_IDNUM) && rf->ff[i].state == FORM_BAD &&
		    rf->ff[i].f.len > 0)
			rf->ff[i].state = FORM_WARN;
		if (rf->ff[i].state == FORM_BAD && first < 0)
			first = i;
	}
	if (first >= 0)
		rf->form.cur = first;
	return first;
}
