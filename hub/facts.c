/* facts.c — reads the few fields reports need from a record body; see facts.h. A small
 * strict JSON walker (RFC 8259 as SQLite's json_valid reads it: nesting up to 2000, no
 * recursion) that reads a value the way SQLite's json_extract returns it and compares it the
 * way SQL would: the first of two equal keys counts, keys compare as written, a string
 * used as a number is read for its leading number. Only the envelope and the data object's
 * keys are looked at. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "hub/facts.h"

#define DEPTH_MAX 2000	/* SQLite 3.40's JSON_MAX_DEPTH: nesting it refuses */

struct walk {
	const char *p, *end;
	int bad;
};

/* A value as json_extract gives it. */
enum jtype { J_NONE, J_NULL, J_INT, J_REAL, J_TEXT, J_JSON };

#define TEXT_KEEP 72	/* a string's first bytes, decoded (longer ones: len says so) */

struct jv {
	int type;
	int64_t i;		/* CAST(v AS INTEGER) */
	double d;		/* v used as a number (a string: its leading number; JSON: 0) */
	char text[TEXT_KEEP + 1];	/* J_TEXT decoded; a number or true/false as written */
	size_t len;		/* decoded length (may exceed TEXT_KEEP) */
};

static inline void
ws(struct walk *w)
{
	if (w->p < w->end && (unsigned char)*w->p > ' ')
		return;	/* the common case: no space at all (storage writes none) */
	while (w->p < w->end && (*w->p == ' ' || *w->p == '\t' || *w->p == '\n' || *w->p == '\r'))
		w->p++;
}

static inline int
eat(struct walk *w, char c)
{
	ws(w);
	if (w->p < w->end && *w->p == c) {
		w->p++;
		return 1;
	}
	return 0;
}

/* Appends s[0..k) to out (n bytes with the NUL; what does not fit is cut); counts it. */
static inline void
put(char *out, size_t n, size_t *o, size_t *len, const char *s, size_t k)
{
	if (out != NULL && *o + 1 < n) {
		size_t m = k < n - 1 - *o ? k : n - 1 - *o;
		memcpy(out + *o, s, m);
		*o += m;
	}
	*len += k;
}

/* 1 if one of the 8 bytes at p may be a quote, a backslash or a control character (the
 * bit tricks of "haszero": a byte b has (b - 1) & ~b & 0x80 set only if b is 0). */
static inline int
special8(const char *p)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t x, q, b;

	memcpy(&x, p, 8);
	q = x ^ (ones * '"');
	b = x ^ (ones * '\\');
	return ((((q - ones) & ~q) | ((b - ones) & ~b) | ((x - ones * 0x20) & ~x)) & high) != 0;
}

/* A string: decoded into out (n bytes, cut, NUL-terminated) if out, its
 * decoded length into *len; 0, or -1 (w->bad) if it is not a JSON string. */
static int
str(struct walk *w, char *out, size_t n, size_t *len)
{
	size_t o = 0, l = 0;
	char u[4];
	unsigned cp, lo;
	int k, h;

	ws(w);
	if (w->p >= w->end || *w->p != '"')
		return w->bad = 1, -1;
	for (w->p++; w->p < w->end && *w->p != '"'; w->p++) {
		const char *run = w->p;

		/* a run of plain bytes at once, eight at a time while none is special */
		while (w->end - w->p >= 8 && !special8(w->p))
			w->p += 8;
		while (w->p < w->end && *w->p != '"' && *w->p != '\\' &&
		    (unsigned char)*w->p >= 0x20)
			w->p++;
		if (w->p > run)
			put(out, n, &o, &l, run, (size_t)(w->p - run));
		if (w->p >= w->end || *w->p == '"')
			break;
		if ((unsigned char)*w->p < 0x20)
			return w->bad = 1, -1;
		if (++w->p >= w->end)
			return w->bad = 1, -1;
		switch (*w->p) {
		case '"': case '\\': case '/':
			put(out, n, &o, &l, w->p, 1);
			continue;
		case 'b': put(out, n, &o, &l, "\b", 1); continue;
		case 'f': put(out, n, &o, &l, "\f", 1); continue;
		case 'n': put(out, n, &o, &l, "\n", 1); continue;
		case 'r': put(out, n, &o, &l, "\r", 1); continue;
		case 't': put(out, n, &o, &l, "\t", 1); continue;
		case 'u':
			break;
		default:
			return w->bad = 1, -1;
		}
		for (cp = 0, k = 1; k <= 4; k++) {
			if (w->p + k >= w->end || (h = parse_hex_digit(w->p[k])) < 0)
				return w->bad = 1, -1;
			cp = cp << 4 | (unsigned)h;
		}
		w->p += 4;
		/* a surrogate pair is one code point; a lone half is kept as it is */
		if (cp >= 0xd800 && cp < 0xdc00 && w->end - w->p > 6 && w->p[1] == '\\' &&
		    w->p[2] == 'u') {
			for (lo = 0, k = 3; k <= 6 && (h = parse_hex_digit(w->p[k])) >= 0; k++)
				lo = lo << 4 | (unsigned)h;
			if (k == 7 && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				w->p += 6;
			}
		}
		if (cp < 0x80) {
			u[0] = (char)cp;
			k = 1;
		} else if (cp < 0x800) {
			u[0] = (char)(0xc0 | cp >> 6);
			u[1] = (char)(0x80 | (cp & 0x3f));
			k = 2;
		} else if (cp < 0x10000) {
			u[0] = (char)(0xe0 | cp >> 12);
			u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
			u[2] = (char)(0x80 | (cp & 0x3f));
			k = 3;
		} else {
			u[0] = (char)(0xf0 | cp >> 18);
			u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
			u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
			u[3] = (char)(0x80 | (cp & 0x3f));
			k = 4;
		}
		put(out, n, &o, &l, u, (size_t)k);
	}
	if (w->p >= w->end)
		return w->bad = 1, -1;
	w->p++;
	if (out != NULL && n > 0)
		out[o] = '\0';
	if (len != NULL)
		*len = l;
	return 0;
}

/* A key as written between its quotes (SQLite matches a path against it unescaped). */
static int
key(struct walk *w, const char **k, size_t *klen)
{
	ws(w);
	*k = w->p + 1;
	if (str(w, NULL, 0, NULL) < 0)
		return -1;
	*klen = (size_t)(w->p - 1 - *k);
	return 0;
}

static inline int
key_is(const char *k, size_t klen, const char *name)
{
	return strlen(name) == klen && memcmp(k, name, klen) == 0;
}

static inline int
digits(struct walk *w)
{
	const char *s = w->p;

	while (w->p < w->end && *w->p >= '0' && *w->p <= '9')
		w->p++;
	return w->p > s;
}

/* CAST(d AS INTEGER): toward zero, saturating. */
static int64_t
real_i64(double d)
{
	if (d != d)
		return 0;
	if (d <= -9223372036854775808.0)
		return INT64_MIN;
	if (d >= 9223372036854775807.0)
		return INT64_MAX;
	return (int64_t)d;
}

/* A number (RFC 8259) into v: an integer that fits is J_INT, anything else J_REAL. */
static void
num(struct walk *w, struct jv *v)
{
	const char *s = w->p;
	char buf[512];
	int real = 0;
	size_t n;

	if (w->p < w->end && *w->p == '-')
		w->p++;
	if (w->p < w->end && *w->p == '0')
		w->p++;
	else if (!digits(w)) {
		w->bad = 1;
		return;
	}
	if (w->p < w->end && *w->p == '.') {
		w->p++;
		real = 1;
		if (!digits(w)) {
			w->bad = 1;
			return;
		}
	}
	if (w->p < w->end && (*w->p == 'e' || *w->p == 'E')) {
		w->p++;
		real = 1;
		if (w->p < w->end && (*w->p == '+' || *w->p == '-'))
			w->p++;
		if (!digits(w)) {
			w->bad = 1;
			return;
		}
	}
	n = (size_t)(w->p - s);
	if (v == NULL)
		return;
	memcpy(v->text, s, n < TEXT_KEEP ? n : TEXT_KEEP);
	v->text[n < TEXT_KEEP ? n : TEXT_KEEP] = '\0';
	v->len = n;
	if (!real && n <= 18) {
		/* the common case: an integer that fits, read here */
		const char *q = s + (*s == '-');
		int64_t u = 0;

		for (; q < w->p; q++)
			u = u * 10 + (*q - '0');
		v->type = J_INT;
		v->i = *s == '-' ? -u : u;
		v->d = (double)v->i;
		return;
	}
	/* a number over sizeof buf - 1 characters is read from its first ones */
	n = n < sizeof buf ? n : sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!real) {
		char *end;
		long long ll;

		ll = strtoll(buf, &end, 10);
		/* what does not fit an integer is a real, as in SQLite */
		if (!((ll == INT64_MAX || ll == INT64_MIN) && strcmp(buf, ll == INT64_MAX ?
		    "9223372036854775807" : "-9223372036854775808") != 0)) {
			v->type = J_INT;
			v->i = ll;
			v->d = (double)ll;
			return;
		}
	}
	v->type = J_REAL;
	v->d = strtod(buf, NULL);
	v->i = real_i64(v->d);
}

/* Skips one value, arrays and objects to any depth (a bit per level says which). */
static void
skip(struct walk *w, int depth)
{
	unsigned char obj[DEPTH_MAX / 8 + 1];
	int d = 0;

	for (;;) {
		ws(w);
		if (w->bad || w->p >= w->end) {
			w->bad = 1;
			return;
		}
		if (*w->p == '{' || *w->p == '[') {
			int o = *w->p == '{';
			if (depth + d + 1 > DEPTH_MAX) {
				w->bad = 1;
				return;
			}
			w->p++;
			if (eat(w, o ? '}' : ']'))
				goto after;
			if (o) {
				obj[d / 8] |= (unsigned char)(1u << d % 8);
				if (str(w, NULL, 0, NULL) < 0 || !eat(w, ':')) {
					w->bad = 1;
					return;
				}
			} else
				obj[d / 8] &= (unsigned char)~(1u << d % 8);
			d++;
			continue;
		}
		if (*w->p == '"')
			str(w, NULL, 0, NULL);
		else if (w->end - w->p >= 4 && (memcmp(w->p, "true", 4) == 0 ||
		    memcmp(w->p, "null", 4) == 0))
			w->p += 4;
		else if (w->end - w->p >= 5 && memcmp(w->p, "false", 5) == 0)
			w->p += 5;
		else
			num(w, NULL);
after:
		/* close what ends here, then go on with the next member or element */
		for (;;) {
			int o;
			if (w->bad)
				return;
			if (d == 0)
				return;
			o = obj[(d - 1) / 8] >> (d - 1) % 8 & 1;
			if (eat(w, ',')) {
				if (o && (str(w, NULL, 0, NULL) < 0 || !eat(w, ':'))) {
					w->bad = 1;
					return;
				}
				break;
			}
			if (!eat(w, o ? '}' : ']')) {
				w->bad = 1;
				return;
			}
			d--;
		}
	}
}

/* The leading number of text as SQL reads a string used as a number ('37.5x' → 37.5). */
static double
text_num(const char *s)
{
	char buf[64];
	size_t n = 0;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '+' || *s == '-')
		buf[n++] = *s++;
	while (n + 1 < sizeof buf && *s >= '0' && *s <= '9')
		buf[n++] = *s++;
	if (*s == '.' && n + 1 < sizeof buf) {
		buf[n++] = *s++;
		while (n + 1 < sizeof buf && *s >= '0' && *s <= '9')
			buf[n++] = *s++;
	}
	if ((*s == 'e' || *s == 'E') && n + 3 < sizeof buf) {
		size_t m = n;
		buf[m++] = *s++;
		if (*s == '+' || *s == '-')
			buf[m++] = *s++;
		if (*s >= '0' && *s <= '9') {
			while (m + 1 < sizeof buf && *s >= '0' && *s <= '9')
				buf[m++] = *s++;
			n = m;
		}
	}
	buf[n] = '\0';
	return strtod(buf, NULL);
}

/* CAST(text AS INTEGER): its leading integer. */
static int64_t
text_int(const char *s)
{
	int neg = 0;
	uint64_t u = 0;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		if (u > (UINT64_MAX - 9) / 10)
			return neg ? INT64_MIN : INT64_MAX;
		u = u * 10 + (uint64_t)(*s - '0');
	}
	if (neg)
		return u > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)u;
	return u > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)u;
}

/* One value into v, as json_extract returns it. */
static void
value(struct walk *w, struct jv *v, int depth)
{
	memset(v, 0, sizeof *v);
	ws(w);
	if (w->p >= w->end) {
		w->bad = 1;
		return;
	}
	switch (*w->p) {
	case '"':
		if (str(w, v->text, sizeof v->text, &v->len) == 0) {
			v->type = J_TEXT;
			v->d = text_num(v->text);
			v->i = text_int(v->text);
		}
		return;
	case '{': case '[': {
		const char *s = w->p;
		size_t n;

		v->type = J_JSON;	/* its text (as written), which is no number */
		skip(w, depth);
		n = (size_t)(w->p - s);
		memcpy(v->text, s, n < TEXT_KEEP ? n : TEXT_KEEP);
		v->text[n < TEXT_KEEP ? n : TEXT_KEEP] = '\0';
		v->len = n;
		return;
	}
	case 'n':
		if (w->end - w->p >= 4 && memcmp(w->p, "null", 4) == 0) {
			w->p += 4;
			v->type = J_NULL;
			return;
		}
		break;
	case 't': case 'f':
		if (w->end - w->p >= 4 && memcmp(w->p, "true", 4) == 0) {
			w->p += 4;
			v->i = 1;
		} else if (w->end - w->p >= 5 && memcmp(w->p, "false", 5) == 0)
			w->p += 5;
		else
			break;
		v->type = J_INT;
		v->d = (double)v->i;
		snprintf(v->text, sizeof v->text, "%d", (int)v->i);
		v->len = 1;
		return;
	}
	num(w, v);
}

/* 1 if v = 1 in SQL (an integer or real one, or true). */
static int
is_one(const struct jv *v)
{
	return (v->type == J_INT && v->i == 1) || (v->type == J_REAL && v->d == 1.0);
}

/* 1 if coalesce(v, 0) = 0 in SQL. */
static int
is_zero(const struct jv *v)
{
	return v->type == J_NONE || v->type == J_NULL || (v->type == J_INT && v->i == 0) ||
	    (v->type == J_REAL && v->d == 0.0);
}

/* 1 if coalesce(v, '') <> '' in SQL. */
static int
is_nonempty(const struct jv *v)
{
	return v->type != J_NONE && v->type != J_NULL && !(v->type == J_TEXT && v->len == 0);
}

/* 1 if CAST(round(v * 10) AS INTEGER) >= t in SQL (NULL: no). */
static int
tenths_ge(const struct jv *v, int t)
{
	double r;

	if (v->type == J_NONE || v->type == J_NULL)
		return 0;
	r = v->d * 10;
	if (r > -4503599627370496.0 && r < 4503599627370496.0)
		r = (double)(int64_t)(r + (r < 0 ? -0.5 : 0.5));
	return real_i64(r) >= t;
}

enum kind { K_OTHER, K_TEMP, K_TRIAGE, K_VEHICLE, K_VISITOR, K_RESIDENT, K_EXIT, K_BIN,
	K_COLLECTION };

/* What data holds, for the facts (J_NONE: absent). */
struct data {
	struct jv fever, flagged, recheck_of, entry, value, disposition, override, code;
	int occ_fever;		/* some occupant temperature at or above the threshold */
};

/* occupant_temps: any of its elements (of an object: its values; a scalar: itself) at or
 * above the threshold, as json_each walks it. */
static int
occupants(struct walk *w, int t, int depth)
{
	struct jv v;
	int hit = 0, o;

	ws(w);
	if (w->p >= w->end || (*w->p != '[' && *w->p != '{')) {
		value(w, &v, depth);
		return tenths_ge(&v, t);
	}
	o = *w->p++ == '{';
	if (eat(w, o ? '}' : ']'))
		return 0;
	do {
		if (o && (str(w, NULL, 0, NULL) < 0 || !eat(w, ':')))
			return w->bad = 1, 0;
		value(w, &v, depth + 1);
		hit |= tenths_ge(&v, t);
	} while (!w->bad && eat(w, ','));
	if (!eat(w, o ? '}' : ']'))
		w->bad = 1;
	return hit;
}

static void
data(struct walk *w, enum kind kind, int t, struct data *d)
{
	const char *k;
	size_t kl;
	struct jv *slot;
	int occ_seen = 0;

	if (!eat(w, '{')) {
		w->bad = 1;
		return;
	}
	if (eat(w, '}'))
		return;
	do {
		if (key(w, &k, &kl) < 0 || !eat(w, ':'))
			break;
		slot = NULL;
		if (key_is(k, kl, "fever"))
			slot = &d->fever;
		else if (key_is(k, kl, "flagged"))
			slot = &d->flagged;
		else if (key_is(k, kl, "recheck_of"))
			slot = &d->recheck_of;
		else if (key_is(k, kl, "entry") && kind == K_EXIT)
			slot = &d->entry;
		else if ((key_is(k, kl, "value") && kind == K_TEMP) ||
		    (key_is(k, kl, "temp") && kind == K_TRIAGE))
			slot = &d->value;
		else if (key_is(k, kl, "disposition"))
			slot = &d->disposition;
		else if (key_is(k, kl, "override_reason"))
			slot = &d->override;
		else if ((key_is(k, kl, "code") && kind == K_BIN) ||
		    (key_is(k, kl, "bin") && kind == K_COLLECTION))
			slot = &d->code;
		else if (key_is(k, kl, "occupant_temps") && !occ_seen) {
			occ_seen = 1;
			d->occ_fever = occupants(w, t, 2);
			continue;
		}
		/* the first of two equal keys is the one that counts */
		if (slot != NULL && slot->type == J_NONE)
			value(w, slot, 2);
		else
			skip(w, 2);
	} while (!w->bad && eat(w, ','));
	if (!eat(w, '}'))
		w->bad = 1;
}

static enum kind
kind_of(const char *kind)
{
	static const struct { const char *name; enum kind k; } t[] = {
		{ "temp", K_TEMP }, { "triage", K_TRIAGE }, { "vehicle", K_VEHICLE },
		{ "visitor", K_VISITOR }, { "resident", K_RESIDENT }, { "exit", K_EXIT },
		{ "bin", K_BIN }, { "collection", K_COLLECTION },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(kind, t[i].name) == 0)
			return t[i].k;
	return K_OTHER;
}

int
facts_read(const char *kind_name, const char *body, size_t len, int fever_tenths,
    struct facts *f)
{
	struct walk w = { body, body + len, 0 };
	struct data d;
	struct jv action, root, ref, tz, alert, *slot;
	const char *k;
	size_t kl;
	int data_seen = 0;
	enum kind kind = kind_of(kind_name);

	memset(f, 0, sizeof *f);
	memset(&d, 0, sizeof d);
	memset(&action, 0, sizeof action);
	root = ref = tz = alert = action;
	if (!eat(&w, '{'))
		return -1;
	if (!eat(&w, '}')) {
		do {
			if (key(&w, &k, &kl) < 0 || !eat(&w, ':'))
				return -1;
			slot = key_is(k, kl, "action") ? &action : key_is(k, kl, "root") ? &root :
			    key_is(k, kl, "ref") ? &ref : key_is(k, kl, "tz") ? &tz :
			    key_is(k, kl, "alert") ? &alert : NULL;
			ws(&w);
			if (slot != NULL && slot->type == J_NONE)
				value(&w, slot, 1);
			else if (key_is(k, kl, "data") && !data_seen && w.p < w.end && *w.p == '{') {
				data_seen = 1;
				data(&w, kind, fever_tenths, &d);
			} else {
				data_seen |= key_is(k, kl, "data");
				skip(&w, 1);
			}
		} while (!w.bad && eat(&w, ','));
		if (w.bad || !eat(&w, '}'))
			return -1;
	}
	ws(&w);
	/* Only a body that is not JSON is unreadable (quarantined); missing fields take the
	 * defaults the SQLite store gives them. */
	if (w.bad || w.p != w.end)
		return -1;
	if (tz.i >= -16 * 60 && tz.i <= 16 * 60)
		f->tz_min = (int)tz.i;
	f->root = root.type != J_JSON && root.i > 0 ? root.i : 0;
	if (action.type == J_NONE || action.type == J_NULL ||
	    (action.type == J_TEXT && action.len == 3 && strcmp(action.text, "add") == 0))
		f->action = FACTS_ADD;
	else if (action.type == J_TEXT && action.len == 6 && strcmp(action.text, "delete") == 0)
		f->action = FACTS_DELETE;
	else
		f->action = FACTS_CORRECT;	/* any other version of a record */
	f->ref = ref.type != J_JSON ? ref.i : 0;
	if (kind == K_EXIT && d.entry.type != J_JSON && d.entry.i != 0)
		f->ref = d.entry.i;
	/* The hub's one decision of "fever": what the station decided when it wrote the
	 * record, against its own threshold then, stored as data.fever (temperature checks
	 * always; triage and vehicle records since the flag was added to them; visitor and
	 * resident passages since they carry a temperature). A body from an older station
	 * without the flag falls back to the default threshold: the hub does not know what
	 * that station's threshold was. A recheck is not a new fever. Compared in tenths, as
	 * stations do. */
	if ((kind == K_TEMP || kind == K_TRIAGE || kind == K_VEHICLE || kind == K_VISITOR ||
	    kind == K_RESIDENT) && is_zero(&d.recheck_of)) {
		if (d.fever.type != J_NONE)
			f->fever = is_one(&d.fever);
		else if (kind == K_TEMP || kind == K_TRIAGE)
			f->fever = tenths_ge(&d.value, fever_tenths);
		else
			f->fever = d.occ_fever;
	}
	/* released: a temperature check's fever let pass with a reason for the override */
	f->released = kind == K_TEMP && f->fever && d.disposition.type == J_TEXT &&
	    d.disposition.len == 4 && strcmp(d.disposition.text, "pass") == 0 &&
	    is_nonempty(&d.override);
	f->flagged = (kind == K_VEHICLE && is_one(&d.flagged)) || is_nonempty(&alert);
	if (d.code.type != J_NONE && d.code.type != J_NULL) {
		if (d.code.len > FACTS_CODE_MAX)
			return -1;
		memcpy(f->code, d.code.text, d.code.len);
		f->code[d.code.len] = '\0';
	}
	return 0;
}
