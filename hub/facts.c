/* facts.c — reads the few fields reports need from a record body; see facts.h. A small
 * strict JSON walker: objects, arrays, strings, numbers, true/false/null, nesting bounded,
 * anything else refused. Only the envelope and the data object's keys are looked at. */
#include <stdlib.h>
#include <string.h>

#include "hub/facts.h"

struct walk {
	const char *p, *end;
	int bad;
};

static void
ws(struct walk *w)
{
	while (w->p < w->end && (*w->p == ' ' || *w->p == '\t' || *w->p == '\n' || *w->p == '\r'))
		w->p++;
}

static int
eat(struct walk *w, char c)
{
	ws(w);
	if (w->p < w->end && *w->p == c) {
		w->p++;
		return 1;
	}
	return 0;
}

/* A string into out (n bytes; longer ones are cut, escapes kept as \x): its length in the
 * body, or -1. */
static long
str(struct walk *w, char *out, size_t n)
{
	size_t o = 0;
	long len = 0;

	ws(w);
	if (w->p >= w->end || *w->p != '"')
		return w->bad = 1, -1;
	for (w->p++; w->p < w->end && *w->p != '"'; w->p++, len++) {
		if ((unsigned char)*w->p < 0x20)
			return w->bad = 1, -1;
		if (*w->p == '\\') {
			if (++w->p >= w->end)
				return w->bad = 1, -1;
		}
		if (out != NULL && o + 1 < n)
			out[o++] = *w->p;
	}
	if (w->p >= w->end)
		return w->bad = 1, -1;
	w->p++;
	if (out != NULL && n > 0)
		out[o] = '\0';
	return len;
}

/* A number as tenths (37.5 → 375, 1 → 10) into *tenths, its integer part into *iv. */
static void
num(struct walk *w, int64_t *iv, int64_t *tenths)
{
	char buf[32], *q;
	size_t n = 0;
	double d;

	ws(w);
	while (w->p < w->end && n + 1 < sizeof buf && strchr("+-0123456789.eE", *w->p) != NULL)
		buf[n++] = *w->p++;
	buf[n] = '\0';
	d = strtod(buf, &q);
	if (n == 0 || *q != '\0') {
		w->bad = 1;
		return;
	}
	if (iv != NULL)
		*iv = (int64_t)d;
	if (tenths != NULL)
		*tenths = (int64_t)(d * 10 + (d < 0 ? -0.5 : 0.5));
}

static void skip(struct walk *w, int depth);

/* 1 if a number starts here. */
static int
numstart(const struct walk *w)
{
	return w->p < w->end && (*w->p == '-' || (*w->p >= '0' && *w->p <= '9'));
}

static void
skip(struct walk *w, int depth)
{
	ws(w);
	if (w->bad || w->p >= w->end || depth > 16) {
		w->bad = 1;
		return;
	}
	switch (*w->p) {
	case '"':
		str(w, NULL, 0);
		return;
	case '{':
		w->p++;
		if (eat(w, '}'))
			return;
		do {
			str(w, NULL, 0);
			if (!eat(w, ':'))
				w->bad = 1;
			skip(w, depth + 1);
		} while (!w->bad && eat(w, ','));
		if (!eat(w, '}'))
			w->bad = 1;
		return;
	case '[':
		w->p++;
		if (eat(w, ']'))
			return;
		do
			skip(w, depth + 1);
		while (!w->bad && eat(w, ','));
		if (!eat(w, ']'))
			w->bad = 1;
		return;
	}
	if (w->end - w->p >= 4 && (memcmp(w->p, "true", 4) == 0 || memcmp(w->p, "null", 4) == 0))
		w->p += 4;
	else if (w->end - w->p >= 5 && memcmp(w->p, "false", 5) == 0)
		w->p += 5;
	else
		num(w, NULL, NULL);
}

/* What data holds, for the facts. */
struct data {
	int has_fever, fever;
	int64_t recheck_of, value, temp, occ_max, entry;
	char disposition[16];
	long override_len;
	int flagged;
};

static void
data(struct walk *w, const char *kind, struct data *d, char *code)
{
	char key[32];
	int64_t iv, t;

	if (!eat(w, '{')) {
		w->bad = 1;
		return;
	}
	if (eat(w, '}'))
		return;
	do {
		if (str(w, key, sizeof key) < 0 || !eat(w, ':'))
			break;
		ws(w);
		if (strcmp(key, "fever") == 0 && w->p < w->end && *w->p != '"') {
			num(w, &iv, NULL);
			d->has_fever = 1;
			d->fever = iv != 0;
		} else if (strcmp(key, "flagged") == 0 && w->p < w->end && *w->p != '"') {
			num(w, &iv, NULL);
			d->flagged = iv != 0;
		} else if (strcmp(key, "recheck_of") == 0) {
			num(w, &d->recheck_of, NULL);
		} else if (strcmp(key, "entry") == 0 && strcmp(kind, "exit") == 0) {
			num(w, &d->entry, NULL);
		} else if (strcmp(key, "value") == 0 && strcmp(kind, "temp") == 0) {
			num(w, NULL, &d->value);
		} else if (strcmp(key, "temp") == 0 && strcmp(kind, "triage") == 0) {
			num(w, NULL, &d->temp);
		} else if (strcmp(key, "occupant_temps") == 0 && eat(w, '[')) {
			if (!eat(w, ']')) {
				do {
					num(w, NULL, &t);
					if (t > d->occ_max)
						d->occ_max = t;
				} while (!w->bad && eat(w, ','));
				if (!eat(w, ']'))
					w->bad = 1;
			}
		} else if (strcmp(key, "disposition") == 0) {
			str(w, d->disposition, sizeof d->disposition);
		} else if (strcmp(key, "override_reason") == 0) {
			d->override_len = str(w, NULL, 0);
		} else if ((strcmp(key, "code") == 0 && strcmp(kind, "bin") == 0) ||
		    (strcmp(key, "bin") == 0 && strcmp(kind, "collection") == 0)) {
			if (str(w, code, FACTS_CODE_MAX + 1) > FACTS_CODE_MAX)
				w->bad = 1;
		} else
			skip(w, 1);
	} while (!w->bad && eat(w, ','));
	if (!eat(w, '}'))
		w->bad = 1;
}

int
facts_read(const char *kind, const char *body, size_t len, int fever_tenths, struct facts *f)
{
	struct walk w = { body, body + len, 0 };
	struct data d;
	char key[32], action[16] = "add";
	long alert_len = 0;
	int64_t iv;
	int is_fever_kind;

	memset(f, 0, sizeof *f);
	memset(&d, 0, sizeof d);
	if (!eat(&w, '{'))
		return -1;
	if (!eat(&w, '}')) {
		do {
			if (str(&w, key, sizeof key) < 0 || !eat(&w, ':'))
				return -1;
			ws(&w);
			if (strcmp(key, "action") == 0 && w.p < w.end && *w.p == '"')
				str(&w, action, sizeof action);
			else if (strcmp(key, "root") == 0 && numstart(&w))
				num(&w, &f->root, NULL);
			else if (strcmp(key, "ref") == 0 && numstart(&w))
				num(&w, &f->ref, NULL);
			else if (strcmp(key, "tz") == 0 && numstart(&w)) {
				num(&w, &iv, NULL);
				f->tz_min = (int)iv;
			} else if (strcmp(key, "alert") == 0 && w.p < w.end && *w.p == '"')
				alert_len = str(&w, NULL, 0);
			else if (strcmp(key, "data") == 0 && w.p < w.end && *w.p == '{')
				data(&w, kind, &d, f->code);
			else
				skip(&w, 1);
		} while (!w.bad && eat(&w, ','));
		if (w.bad || !eat(&w, '}'))
			return -1;
	}
	ws(&w);
	/* Only a body that is not JSON is unreadable (quarantined); missing fields take the
	 * defaults the SQLite store gives them. */
	if (w.bad || w.p != w.end)
		return -1;
	if (f->tz_min < -16 * 60 || f->tz_min > 16 * 60)
		f->tz_min = 0;
	if (f->root < 0)
		f->root = 0;
	if (strcmp(action, "add") == 0)
		f->action = FACTS_ADD;
	else if (strcmp(action, "delete") == 0)
		f->action = FACTS_DELETE;
	else
		f->action = FACTS_CORRECT;	/* any other version of a record */
	if (strcmp(kind, "exit") == 0)
		f->ref = d.entry > 0 ? d.entry : f->ref;
	/* A fever is what the station decided (data.fever); a body from before the flag falls
	 * back to the default threshold. A recheck is not a new fever. */
	is_fever_kind = strcmp(kind, "temp") == 0 || strcmp(kind, "triage") == 0 ||
	    strcmp(kind, "vehicle") == 0 || strcmp(kind, "visitor") == 0 ||
	    strcmp(kind, "resident") == 0;	/* passages carry temperatures too */
	if (is_fever_kind && d.recheck_of == 0) {
		if (d.has_fever)
			f->fever = d.fever;
		else if (strcmp(kind, "temp") == 0)
			f->fever = d.value >= fever_tenths;
		else if (strcmp(kind, "triage") == 0)
			f->fever = d.temp >= fever_tenths;
		else
			f->fever = d.occ_max >= fever_tenths;
	}
	/* released: a temperature check's fever let pass with a reason for the override */
	f->released = strcmp(kind, "temp") == 0 && f->fever &&
	    strcmp(d.disposition, "pass") == 0 && d.override_len > 0;
	f->flagged = (strcmp(kind, "vehicle") == 0 && d.flagged) || alert_len > 0;
	return 0;
}
