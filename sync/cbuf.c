/* cbuf.c — CBOR writing into a growing buffer (libcbor encoders) and strict reading
 * of the protocol's subset without allocation (see cbuf.h for why: a forged length must
 * never turn into a large allocation on the hub). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "sync/cbuf.h"

void
cbuf_init(struct cbuf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void
cbuf_free(struct cbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

static int
cbuf_reserve(struct cbuf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->err)
		return -1;
	if (n > b->max || b->len > b->max - n) {
		b->err = 1;
		return -1;
	}
	if (b->len + n <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->err = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void
cbuf_raw(struct cbuf *b, const void *p, size_t n)
{
	if (n == 0 || cbuf_reserve(b, n) != 0)
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

/* Every header fits in 9 bytes. */
#define HDR(call) do {							\
	unsigned char h_[9];						\
	size_t n_ = (call);						\
	assert(n_ > 0 && n_ <= sizeof h_);				\
	cbuf_raw(b, h_, n_);						\
} while (0)

void cbuf_uint(struct cbuf *b, uint64_t v) { HDR(cbor_encode_uint(v, h_, sizeof h_)); }
void cbuf_array(struct cbuf *b, size_t n) { HDR(cbor_encode_array_start(n, h_, sizeof h_)); }
void cbuf_map(struct cbuf *b, size_t n) { HDR(cbor_encode_map_start(n, h_, sizeof h_)); }
void cbuf_bool(struct cbuf *b, int v) { HDR(cbor_encode_bool(v != 0, h_, sizeof h_)); }
void cbuf_null(struct cbuf *b) { HDR(cbor_encode_null(h_, sizeof h_)); }
void cbuf_double(struct cbuf *b, double v) { HDR(cbor_encode_double(v, h_, sizeof h_)); }

void
cbuf_int(struct cbuf *b, int64_t v)
{
	if (v >= 0)
		HDR(cbor_encode_uint((uint64_t)v, h_, sizeof h_));
	else
		HDR(cbor_encode_negint((uint64_t)(-(v + 1)), h_, sizeof h_));
}

void
cbuf_bytes(struct cbuf *b, const void *p, size_t n)
{
	HDR(cbor_encode_bytestring_start(n, h_, sizeof h_));
	cbuf_raw(b, p, n);
}

void
cbuf_textn(struct cbuf *b, const char *s, size_t n)
{
	HDR(cbor_encode_string_start(n, h_, sizeof h_));
	cbuf_raw(b, s, n);
}

void
cbuf_text(struct cbuf *b, const char *s)
{
	cbuf_textn(b, s, strlen(s));
}

void
cread_init(struct cread *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
}

int
cread_done(const struct cread *r)
{
	return r->off == r->len;
}

/* Reads the head of the next item: major type and argument; *hl is the head's length.
 * Only definite lengths and minimal-or-not integer encodings; reserved values refused. */
static int
head(const struct cread *r, int *major, int *minor, uint64_t *arg, size_t *hl)
{
	size_t left = r->len - r->off, n, i;
	const uint8_t *p = r->p + r->off;
	uint64_t v = 0;

	if (left < 1)
		return -1;
	*major = p[0] >> 5;
	*minor = p[0] & 0x1f;
	if (*minor < 24) {
		*arg = (uint64_t)*minor;
		*hl = 1;
		return 0;
	}
	if (*minor > 27)
		return -1;	/* reserved or indefinite length */
	n = (size_t)1 << (*minor - 24);
	if (left < 1 + n)
		return -1;
	for (i = 0; i < n; i++)
		v = v << 8 | p[1 + i];
	*arg = v;
	*hl = 1 + n;
	return 0;
}

enum cread_type
cread_peek(const struct cread *r)
{
	int major, minor;
	uint64_t arg;
	size_t hl;

	if (head(r, &major, &minor, &arg, &hl) != 0)
		return CR_BAD;
	switch (major) {
	case 0: return CR_UINT;
	case 1: return CR_NEGINT;
	case 2: return CR_BYTES;
	case 3: return CR_TEXT;
	case 4: return CR_ARRAY;
	case 5: return CR_MAP;
	case 7:
		if (minor == 20 || minor == 21)
			return CR_BOOL;
		if (minor == 22)
			return CR_NULL;
		if (minor == 27)
			return CR_DOUBLE;
		return CR_BAD;
	}
	return CR_BAD;	/* tags are outside the subset */
}

int
cread_uint(struct cread *r, uint64_t *v)
{
	int major, minor;
	size_t hl;

	if (head(r, &major, &minor, v, &hl) != 0 || major != 0)
		return -1;
	r->off += hl;
	return 0;
}

int
cread_int(struct cread *r, int64_t *v)
{
	int major, minor;
	uint64_t a;
	size_t hl;

	if (head(r, &major, &minor, &a, &hl) != 0 || (major != 0 && major != 1))
		return -1;
	if (a > (uint64_t)INT64_MAX)
		return -1;
	*v = major == 0 ? (int64_t)a : -1 - (int64_t)a;
	r->off += hl;
	return 0;
}

static int
string(struct cread *r, int want, const uint8_t **p, size_t *n)
{
	int major, minor;
	uint64_t a;
	size_t hl;

	if (head(r, &major, &minor, &a, &hl) != 0 || major != want)
		return -1;
	if (a > r->len - r->off - hl)
		return -1;
	*p = r->p + r->off + hl;
	*n = (size_t)a;
	r->off += hl + (size_t)a;
	return 0;
}

int
cread_bytes(struct cread *r, const uint8_t **p, size_t *n)
{
	return string(r, 2, p, n);
}

int
cread_text(struct cread *r, const char **p, size_t *n)
{
	const uint8_t *q;

	if (string(r, 3, &q, n) != 0)
		return -1;
	*p = (const char *)q;
	return 0;
}

static int
container(struct cread *r, int want, size_t per, size_t *n)
{
	int major, minor;
	uint64_t a;
	size_t hl;

	if (head(r, &major, &minor, &a, &hl) != 0 || major != want)
		return -1;
	/* each element takes at least one byte */
	if (a > (r->len - r->off - hl) / per)
		return -1;
	*n = (size_t)a;
	r->off += hl;
	return 0;
}

int
cread_array(struct cread *r, size_t *n)
{
	return container(r, 4, 1, n);
}

int
cread_map(struct cread *r, size_t *n)
{
	return container(r, 5, 2, n);
}

int
cread_bool(struct cread *r, int *v)
{
	if (r->off >= r->len || (r->p[r->off] != 0xf4 && r->p[r->off] != 0xf5))
		return -1;
	*v = r->p[r->off] == 0xf5;
	r->off++;
	return 0;
}

int
cread_null(struct cread *r)
{
	if (r->off >= r->len || r->p[r->off] != 0xf6)
		return -1;
	r->off++;
	return 0;
}

int
cread_double(struct cread *r, double *v)
{
	uint64_t bits = 0;
	int64_t iv;
	size_t i;

	if (cread_peek(r) == CR_UINT || cread_peek(r) == CR_NEGINT) {
		if (cread_int(r, &iv) != 0)
			return -1;
		*v = (double)iv;
		return 0;
	}
	if (r->len - r->off < 9 || r->p[r->off] != 0xfb)
		return -1;
	for (i = 0; i < 8; i++)
		bits = bits << 8 | r->p[r->off + 1 + i];
	memcpy(v, &bits, sizeof *v);
	r->off += 9;
	return 0;
}

int
cread_skip(struct cread *r, int depth)
{
	const uint8_t *p;
	size_t n, i, save = r->off;
	int b;
	double d;

	if (depth <= 0)
		return -1;
	switch (cread_peek(r)) {
	case CR_UINT: case CR_NEGINT: {
		int64_t v;
		uint64_t u;
		if (cread_peek(r) == CR_UINT)
			return cread_uint(r, &u);
		/* a negint beyond int64 is still well-formed */
		if (cread_int(r, &v) == 0)
			return 0;
		{
			int major, minor;
			uint64_t a;
			size_t hl;
			if (head(r, &major, &minor, &a, &hl) != 0)
				return -1;
			r->off += hl;
			return 0;
		}
	}
	case CR_BYTES: return cread_bytes(r, &p, &n);
	case CR_TEXT: return cread_text(r, (const char **)&p, &n);
	case CR_BOOL: return cread_bool(r, &b);
	case CR_NULL: return cread_null(r);
	case CR_DOUBLE: return cread_double(r, &d);
	case CR_ARRAY:
		if (cread_array(r, &n) != 0)
			return -1;
		for (i = 0; i < n; i++)
			if (cread_skip(r, depth - 1) != 0)
				goto bad;
		return 0;
	case CR_MAP:
		if (cread_map(r, &n) != 0)
			return -1;
		for (i = 0; i < 2 * n; i++)
			if (cread_skip(r, depth - 1) != 0)
				goto bad;
		return 0;
	case CR_BAD:
		return -1;
	}
bad:
	r->off = save;
	return -1;
}
