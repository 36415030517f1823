/* body.c — a record's canonical body: compact JSON with a fixed key order (the envelope,
 * then "data" with the kind's fields in table order), so the same record always gives the
 * same bytes and the hub can hash it. Decoding is a small parser for exactly this shape. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "storage/fields.h"
#include "storage/record.h"
#include "storage/store.h"

/* Raised only when a key changes meaning. A new key needs no bump: older decoders skip it
 * and a body without it reads as 0 (so triage and vehicle records gained "fever" at 1;
 * the hub tells the bodies without it apart with json_type). Keys added since, at 1:
 * "override_reason" (temp, triage), "temp", "fever", "recheck_due" (visitor, resident),
 * "driver_temp" and "recheck_due" (vehicle). A vehicle body with "driver_temp" counts the
 * passengers besides the driver in "occupants"; one without it (older) counted the driver
 * too, his temperature first: legacy_vehicle reads it the new way, so the stored bytes (and
 * their hash) never change. */
#define BODY_VERSION 1

struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	char *np;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 512;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void
putf(struct buf *b, const char *fmt, long long v)
{
	char t[32];

	snprintf(t, sizeof t, fmt, v);
	puts_(b, t);
}

static void
put_str(struct buf *b, const char *s)
{
	char t[8];

	put(b, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			t[0] = '\\';
			t[1] = (char)c;
			put(b, t, 2);
		} else if (c < 0x20) {
			snprintf(t, sizeof t, "\\u%04x", c);
			put(b, t, 6);
		} else {
			put(b, s, 1);
		}
	}
	put(b, "\"", 1);
}

static void
put_deci(struct buf *b, int v)
{
	char t[32];

	snprintf(t, sizeof t, "%s%d.%d", v < 0 ? "-" : "", abs(v) / 10, abs(v) % 10);
	puts_(b, t);
}

static void
put_key(struct buf *b, const char *k, int first)
{
	if (!first)
		put(b, ",", 1);
	put_str(b, k);
	put(b, ":", 1);
}

#define AT(r, f, type) ((const type *)((const char *)(r) + (f)->off))

char *
body_encode(const struct record *r)
{
	const struct rec_field *f;
	struct buf b = {NULL, 0, 0, 0};
	size_t n, i;
	int j, first;
	unsigned bits;

	puts_(&b, "{\"v\":");
	putf(&b, "%lld", BODY_VERSION);
	put_key(&b, "action", 0);
	put_str(&b, rec_action_name(r->action));
	put_key(&b, "ref", 0);
	putf(&b, "%lld", r->ref_seq);
	put_key(&b, "root", 0);
	putf(&b, "%lld", r->root_seq);
	put_key(&b, "tz", 0);
	putf(&b, "%lld", r->tz_min);
	put_key(&b, "operator", 0);
	put_str(&b, r->operator_name);
	put_key(&b, "shift", 0);
	putf(&b, "%lld", r->shift);
	put_key(&b, "reason", 0);
	put_str(&b, r->reason);
	put_key(&b, "alert", 0);
	put_str(&b, r->alert);
	put_key(&b, "data", 0);
	put(&b, "{", 1);
	f = rec_fields(r->kind, &n);
	for (i = 0; i < n; i++) {
		put_key(&b, f[i].name, i == 0);
		switch (f[i].type) {
		case FT_TEXT:
		case FT_ENUM:
			put_str(&b, AT(r, &f[i], char));
			break;
		case FT_INT:
		case FT_BOOL:
			putf(&b, "%lld", *AT(r, &f[i], int));
			break;
		case FT_SEQ:
			putf(&b, "%lld", (long long)*AT(r, &f[i], int64_t));
			break;
		case FT_DECI:
			put_deci(&b, *AT(r, &f[i], int));
			break;
		case FT_DECI_LIST:
			put(&b, "[", 1);
			for (j = 0; j < REC_MAX_OCCUPANTS && AT(r, &f[i], int)[j] != 0; j++) {
				if (j)
					put(&b, ",", 1);
				put_deci(&b, AT(r, &f[i], int)[j]);
			}
			put(&b, "]", 1);
			break;
		case FT_FLAGS:
			put(&b, "[", 1);
			bits = *AT(r, &f[i], unsigned);
			for (j = 0, first = 1; f[i].choices[j] != NULL; j++) {
				if (!(bits & (1u << j)))
					continue;
				if (!first)
					put(&b, ",", 1);
				put_str(&b, f[i].choices[j]);
				first = 0;
			}
			put(&b, "]", 1);
			break;
		}
	}
	puts_(&b, "}}");
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* ---- decoding ---- */

struct parser {
	const char *p;
	int bad;
	int depth; /* of values skipped, bounded: no stack to exhaust */
};

static void
ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static int
eat(struct parser *ps, char c)
{
	ws(ps);
	if (*ps->p != c)
		return 0;
	ps->p++;
	return 1;
}

/* Appends code point cp as UTF-8; 0 if it does not fit in n (with the NUL). */
static int
utf8(unsigned cp, char *out, size_t n, size_t *o)
{
	char t[4];
	int len = utf8_encode(cp, t);

	if (out == NULL)
		return 1;
	if (*o + (size_t)len + 1 > n)
		return 0;
	memcpy(out + *o, t, (size_t)len);
	*o += (size_t)len;
	return 1;
}

/* Four hex digits at p; -1 if not. */
static long
hex4(const char *p)
{
	long v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* The bytes a string's plain run is made of: printable ASCII but the quote and the
 * backslash (0x20..0x7f; not controls, not the bytes of a UTF-8 character). */
static const unsigned char str_plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x10 */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,	/* 0x50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x70 */
};

/* A JSON string into out (n bytes, NUL-terminated), or skipped when out is NULL. Strict:
 * no control characters, no NUL, no lone surrogates, valid UTF-8, and it must fit. */
static void
str(struct parser *ps, char *out, size_t n)
{
	const char *q;
	size_t o = 0;
	long cp, lo;
	int k;

	if (!eat(ps, '"')) {
		ps->bad = 1;
		return;
	}
	while (!ps->bad && *ps->p != '"') {
		if ((unsigned char)*ps->p < 0x20) { /* the end, or a raw control character */
			ps->bad = 1;
			break;
		}
		if (str_plain[(unsigned char)*ps->p]) {
			/* a run of plain ASCII, by far the most of it: copied as it is */
			for (q = ps->p; str_plain[(unsigned char)*q]; q++)
				;
			if (out != NULL) {
				if (o + (size_t)(q - ps->p) + 1 > n) {
					ps->bad = 1;
					break;
				}
				memcpy(out + o, ps->p, (size_t)(q - ps->p));
				o += (size_t)(q - ps->p);
			}
			ps->p = q;
			continue;
		}
		if (*ps->p != '\\') {
			/* well-formed characters are their own encoding: their bytes go as they
			 * are, a run of them at once (utf8_seq stops at the text's NUL) */
			for (q = ps->p; (unsigned char)*q >= 0x80 && (k = utf8_seq(
			    (const unsigned char *)q)) > 0; q += k)
				;
			if (q == ps->p)
				ps->bad = 1;
			else if (out != NULL && o + (size_t)(q - ps->p) + 1 > n)
				ps->bad = 1;
			else if (out != NULL) {
				memcpy(out + o, ps->p, (size_t)(q - ps->p));
				o += (size_t)(q - ps->p);
			}
			ps->p = q;
			continue;
		}
		ps->p++;
		switch (*ps->p) {
		case '"':
		case '\\':
		case '/':
			cp = *ps->p;
			break;
		case 'n':
			cp = '\n';
			break;
		case 't':
			cp = '\t';
			break;
		case 'r':
			cp = '\r';
			break;
		case 'b':
			cp = '\b';
			break;
		case 'f':
			cp = '\f';
			break;
		case 'u':
			/* Never step past a bad escape: the NUL may be among those 4 bytes. */
			if ((cp = hex4(ps->p + 1)) < 0) {
				ps->bad = 1;
				return;
			}
			ps->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (ps->p[1] != '\\' || ps->p[2] != 'u' ||
				    (lo = hex4(ps->p + 3)) < 0xdc00 || lo > 0xdfff) {
					ps->bad = 1;
					return;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				ps->p += 6;
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				cp = -1;
			}
			break;
		default:
			cp = -1;
			break;
		}
		if (cp <= 0 || !utf8((unsigned)cp, out, n, &o)) {
			ps->bad = 1;
			return;
		}
		ps->p++;
	}
	if (out != NULL && n > 0)
		out[o] = '\0';
	if (*ps->p == '"')
		ps->p++;
}

/* Whether c could go on a number strtod is reading (a digit, a point, an exponent, the
 * x and p of a hexadecimal one): after the digits the fast paths below read, such a
 * byte hands the number to the C library. */
static int
num_more(char c)
{
	return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == 'x' ||
	    c == 'X' || c == 'p' || c == 'P';
}

static double
num(struct parser *ps)
{
	const char *p;
	char *end;
	int64_t v = 0;
	double d;
	int digits = 0, neg;

	ws(ps);
	/* JSON numbers only: no "nan", "inf", hex or leading '+'. */
	if (*ps->p != '-' && (*ps->p < '0' || *ps->p > '9')) {
		ps->bad = 1;
		return 0;
	}
	/* what bodies hold (temperatures, weights: "36.5", "12"): up to 9 digits and at
	 * most one after the point, read here. v and v / 10.0 are the decimal correctly
	 * rounded, as strtod gives it: the same double. Anything else goes to strtod. */
	neg = *ps->p == '-';
	for (p = ps->p + neg; *p >= '0' && *p <= '9' && digits < 9; p++, digits++)
		v = v * 10 + (*p - '0');
	if (digits > 0 && !num_more(*p)) {
		ps->p = p;
		return ps->bad ? 0 : neg ? -(double)v : (double)v;
	}
	if (digits > 0 && *p == '.' && p[1] >= '0' && p[1] <= '9' && !num_more(p[2])) {
		d = (double)(v * 10 + (p[1] - '0')) / 10.0;
		ps->p = p + 2;
		return ps->bad ? 0 : neg ? -d : d;
	}
	d = strtod(ps->p, &end);
	if (end == ps->p || !(d > -1e9 && d < 1e9))
		ps->bad = 1;
	ps->p = end;
	return ps->bad ? 0 : d;
}

static int64_t
inum(struct parser *ps)
{
	const char *p;
	char *end;
	long long v = 0;
	int digits = 0, neg;

	ws(ps);
	/* up to 18 digits (no overflow) read here, as strtoll would; anything else (more
	 * digits, a '+', the spaces strtoll skips and JSON does not) goes to strtoll */
	neg = *ps->p == '-';
	for (p = ps->p + neg; *p >= '0' && *p <= '9' && digits < 18; p++, digits++)
		v = v * 10 + (*p - '0');
	if (digits > 0 && !(*p >= '0' && *p <= '9')) {
		ps->p = p;
		return neg ? -v : v;
	}
	v = strtoll(ps->p, &end, 10);
	if (end == ps->p)
		ps->bad = 1;
	ps->p = end;
	return v;
}

/* Tenths, rounded half away from zero; saturated where they pass an int (a value up to
 * 1e9 is let through, and 1e10 tenths do not fit: the cast was undefined there). */
static int
deci(double d)
{
	double t = d * 10 + (d < 0 ? -0.5 : 0.5);

	if (t >= 2147483647.0)
		return 2147483647;
	if (t <= -2147483648.0)
		return -2147483647 - 1;
	return (int)t;
}

/* Skips any JSON value (for keys this build does not know). */
static void
skip(struct parser *ps)
{
	ws(ps);
	if (*ps->p == '"') {
		str(ps, NULL, 0);
	} else if (*ps->p == '{' || *ps->p == '[') {
		char close = *ps->p == '{' ? '}' : ']';

		if (++ps->depth > 16) {
			ps->bad = 1;
			return;
		}
		ps->p++;
		if (eat(ps, close)) {
			ps->depth--;
			return;
		}
		do {
			if (close == '}') {
				str(ps, NULL, 0);
				if (!eat(ps, ':'))
					ps->bad = 1;
			}
			skip(ps);
		} while (!ps->bad && eat(ps, ','));
		if (!eat(ps, close))
			ps->bad = 1;
		ps->depth--;
	} else if (strncmp(ps->p, "null", 4) == 0 || strncmp(ps->p, "true", 4) == 0) {
		ps->p += 4;
	} else if (strncmp(ps->p, "false", 5) == 0) {
		ps->p += 5;
	} else {
		num(ps);
	}
}

#define WAT(r, f, type) ((type *)((char *)(r) + (f)->off))

static void
field(struct parser *ps, struct record *r, const struct rec_field *f)
{
	char word[64];
	int i, k;

	switch (f->type) {
	case FT_TEXT:
	case FT_ENUM:
		str(ps, WAT(r, f, char), f->size);
		break;
	case FT_INT:
	case FT_BOOL:
		*WAT(r, f, int) = (int)inum(ps);
		break;
	case FT_SEQ:
		*WAT(r, f, int64_t) = inum(ps);
		break;
	case FT_DECI:
		*WAT(r, f, int) = deci(num(ps));
		break;
	case FT_DECI_LIST:
		if (!eat(ps, '[')) {
			ps->bad = 1;
			return;
		}
		if (eat(ps, ']'))
			return;
		i = 0;
		do {
			k = deci(num(ps));
			if (i < REC_MAX_OCCUPANTS)
				WAT(r, f, int)[i++] = k;
		} while (!ps->bad && eat(ps, ','));
		if (!eat(ps, ']'))
			ps->bad = 1;
		break;
	case FT_FLAGS:
		if (!eat(ps, '[')) {
			ps->bad = 1;
			return;
		}
		if (eat(ps, ']'))
			return;
		do {
			str(ps, word, sizeof word);
			for (i = 0; f->choices[i] != NULL; i++)
				if (strcmp(f->choices[i], word) == 0)
					*WAT(r, f, unsigned) |= 1u << i;
		} while (!ps->bad && eat(ps, ','));
		if (!eat(ps, ']'))
			ps->bad = 1;
		break;
	}
}

/* A key into out (n bytes): one of plain ASCII that fits is copied here at once, any
 * other is read by str (escapes, characters, and what is wrong with it). */
static void
key(struct parser *ps, char *out, size_t n)
{
	const char *q;

	ws(ps);
	if (*ps->p == '"') {
		for (q = ps->p + 1; str_plain[(unsigned char)*q]; q++)
			;
		if (*q == '"' && (size_t)(q - ps->p - 1) < n) {
			memcpy(out, ps->p + 1, (size_t)(q - ps->p - 1));
			out[q - ps->p - 1] = '\0';
			ps->p = q + 1;
			return;
		}
	}
	str(ps, out, n);
}

/* Whether the key at ps (after spaces) is name, written plainly: then ps is past it. The
 * name's bytes against the text's, up to the name's end (the text's NUL differs from
 * any of them: never read past). */
static int
key_here(struct parser *ps, const char *name)
{
	const char *q;

	ws(ps);
	if (*ps->p != '"')
		return 0;
	for (q = ps->p + 1; *name != '\0' && *name == *q; name++, q++)
		;
	if (*name != '\0' || *q != '"')
		return 0;
	ps->p = q + 1;
	return 1;
}

static void
data(struct parser *ps, struct record *r)
{
	const struct rec_field *f, *all;
	char key_[64];
	size_t n = 0, next = 0;

	if (!eat(ps, '{')) {
		ps->bad = 1;
		return;
	}
	if (eat(ps, '}'))
		return;
	all = rec_fields(r->kind, &n);
	do {
		/* storage writes the fields in their table's order: the key is most often the
		 * one after the last, compared where it stands (a hub export decodes millions
		 * of bodies); a key written any other way is read and looked up */
		f = next < n && key_here(ps, all[next].name) ? &all[next] : NULL;
		if (f == NULL) {
			key(ps, key_, sizeof key_);
			if (!eat(ps, ':')) {
				ps->bad = 1;
				return;
			}
			f = next < n && strcmp(all[next].name, key_) == 0 ? &all[next] :
			    rec_field_find(r->kind, key_);
		} else if (!eat(ps, ':')) {
			ps->bad = 1;
			return;
		}
		if (f != NULL) {
			next = (size_t)(f - all) + 1;
			field(ps, r, f);
		} else
			skip(ps);
	} while (!ps->bad && eat(ps, ','));
	if (!eat(ps, '}'))
		ps->bad = 1;
}

/* An older vehicle body: "occupants" counted the driver, first in "occupant_temps". */
static void
legacy_vehicle(struct record *r, int has_driver_temp)
{
	struct rec_vehicle *v = &r->u.vehicle;

	if (r->kind != REC_VEHICLE || has_driver_temp || v->occupant_temps[0] == 0)
		return;
	v->driver_temp = v->occupant_temps[0];
	memmove(v->occupant_temps, v->occupant_temps + 1,
	    sizeof v->occupant_temps - sizeof v->occupant_temps[0]);
	v->occupant_temps[REC_MAX_OCCUPANTS - 1] = 0;
	if (v->occupants > 0)
		v->occupants--;
}

/* The envelope's keys, in the order storage writes them. */
enum { ENV_V, ENV_ACTION, ENV_REF, ENV_ROOT, ENV_TZ, ENV_OPERATOR, ENV_SHIFT, ENV_REASON,
	ENV_ALERT, ENV_DATA, ENV_N };
static const char *const env_keys[ENV_N] = { "v", "action", "ref", "root", "tz", "operator",
	"shift", "reason", "alert", "data" };

int
body_decode(const char *body, struct record *r)
{
	struct parser ps = {body, 0, 0};
	char k[32], word[16];
	int v = 0, want = 0, at;

	memset(&r->u, 0, sizeof r->u);
	if (!eat(&ps, '{'))
		return -1;
	do {
		/* the key storage writes next, compared where it stands (a hub export decodes
		 * millions of bodies); any other read and looked up */
		if (want < ENV_N && key_here(&ps, env_keys[want]))
			at = want;
		else {
			key(&ps, k, sizeof k);
			for (at = 0; at < ENV_N && strcmp(k, env_keys[at]) != 0; at++)
				;
		}
		if (!eat(&ps, ':'))
			return -1;
		if (at < ENV_N)
			want = at + 1;
		switch (at) {
		case ENV_V:
			v = (int)inum(&ps);
			break;
		case ENV_ACTION:
			str(&ps, word, sizeof word);
			r->action = strcmp(word, "add") == 0 ? REC_ADD
			    : strcmp(word, "correct") == 0   ? REC_CORRECT
			    : strcmp(word, "delete") == 0    ? REC_DELETE
							     : 0;
			break;
		case ENV_REF:
			r->ref_seq = inum(&ps);
			break;
		case ENV_ROOT:
			r->root_seq = inum(&ps);
			break;
		case ENV_TZ:
			r->tz_min = (int)inum(&ps);
			break;
		case ENV_OPERATOR:
			str(&ps, r->operator_name, sizeof r->operator_name);
			break;
		case ENV_SHIFT:
			r->shift = inum(&ps);
			break;
		case ENV_REASON:
			str(&ps, r->reason, sizeof r->reason);
			break;
		case ENV_ALERT:
			str(&ps, r->alert, sizeof r->alert);
			break;
		case ENV_DATA:
			data(&ps, r);
			break;
		default:
			skip(&ps);
			break;
		}
	} while (!ps.bad && eat(&ps, ','));
	if (ps.bad || !eat(&ps, '}') || v != BODY_VERSION || r->action == 0)
		return -1;
	if (r->kind == REC_VEHICLE)	/* the search only where it can matter */
		legacy_vehicle(r, strstr(body, "\"driver_temp\":") != NULL);
	ws(&ps);
	return *ps.p == '\0' ? 0 : -1;
}
