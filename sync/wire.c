/* wire.c — encoding and strict decoding of the sync messages. Each message type is a
 * row of fields in one table; encoder and decoder both walk it, so they cannot disagree. */
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/utf8.h"
#include "sync/cbuf.h"
#include "sync/wire.h"

/* Map keys common to every message. */
enum { K_VERSION = 0, K_TYPE = 1, K_REQ = 2, K_FIRST = 3 };

enum field_kind { F_U64, F_I64, F_INT, F_BYTES, F_TEXT, F_KEY32, F_U64S, F_ITEMS };

struct field {
	int kind;
	size_t off;	/* offset in struct wire_msg */
	size_t off2;	/* F_BYTES, F_U64S, F_ITEMS: offset of the length */
};

#define U(f) offsetof(struct wire_msg, u.f)
#define MAXF 4

static const struct {
	const char *name;
	int nfields;
	struct field f[MAXF];	/* map keys K_FIRST, K_FIRST+1, … */
} msg_table[WIRE_TYPE_LAST + 1] = {
	[WIRE_HELLO] = { "HELLO", 4, { { F_U64, U(hello.last_acked), 0 },
	    { F_U64, U(hello.cfg_ver), 0 }, { F_U64, U(hello.wl_ver), 0 },
	    { F_I64, U(hello.dev_time), 0 } } },
	[WIRE_HELLO_OK] = { "HELLO_OK", 4, { { F_I64, U(hello_ok.hub_time), 0 },
	    { F_U64, U(hello_ok.hw), 0 }, { F_U64, U(hello_ok.cfg_latest), 0 },
	    { F_U64, U(hello_ok.wl_latest), 0 } } },
	[WIRE_PUSH] = { "PUSH", 4, { { F_U64, U(push.batch_id), 0 },
	    { F_U64, U(push.seq_from), 0 }, { F_U64, U(push.seq_to), 0 },
	    { F_BYTES, U(push.body), U(push.body_len) } } },
	[WIRE_ACK] = { "ACK", 3, { { F_U64, U(ack.batch_id), 0 }, { F_U64, U(ack.hw), 0 },
	    { F_U64S, U(ack.conflicts), U(ack.nconflicts) } } },
	[WIRE_PULL] = { "PULL", 2, { { F_INT, U(pull.kind), 0 },
	    { F_U64, U(pull.since_ver), 0 } } },
	[WIRE_DELTA] = { "DELTA", 3, { { F_INT, U(items.kind), 0 }, { F_U64, U(items.ver), 0 },
	    { F_ITEMS, U(items.items), U(items.nitems) } } },
	[WIRE_SNAPSHOT] = { "SNAPSHOT", 3, { { F_INT, U(items.kind), 0 },
	    { F_U64, U(items.ver), 0 }, { F_ITEMS, U(items.items), U(items.nitems) } } },
	[WIRE_ERROR] = { "ERROR", 2, { { F_INT, U(error.code), 0 },
	    { F_TEXT, U(error.text), 0 } } },
	[WIRE_ENROLL] = { "ENROLL", 3, { { F_KEY32, U(enroll.curve_pk), 0 },
	    { F_KEY32, U(enroll.sign_pk), 0 }, { F_TEXT, U(enroll.station_uid), 0 } } },
	[WIRE_ENROLL_OK] = { "ENROLL_OK", 2, { { F_U64, U(enroll_ok.station_id), 0 },
	    { F_TEXT, U(enroll_ok.name), 0 } } },
};

#define AT(m, off, type) ((type *)((char *)(m) + (off)))
#define CAT(m, off, type) ((const type *)((const char *)(m) + (off)))

const char *
wire_type_name(int type)
{
	if (type < 1 || type > WIRE_TYPE_LAST)
		return "?";
	return msg_table[type].name;
}

static void
encode_field(struct cbuf *b, const struct wire_msg *m, const struct field *f)
{
	size_t i, n;

	switch (f->kind) {
	case F_U64:
		cbuf_uint(b, *CAT(m, f->off, uint64_t));
		break;
	case F_I64:
		cbuf_int(b, *CAT(m, f->off, int64_t));
		break;
	case F_INT:
		cbuf_int(b, *CAT(m, f->off, int));
		break;
	case F_BYTES:
		cbuf_bytes(b, *CAT(m, f->off, uint8_t *const), *CAT(m, f->off2, size_t));
		break;
	case F_TEXT:
		cbuf_text(b, CAT(m, f->off, char));
		break;
	case F_KEY32:
		cbuf_bytes(b, CAT(m, f->off, uint8_t), 32);
		break;
	case F_U64S: {
		const uint64_t *v = *CAT(m, f->off, uint64_t *const);
		n = *CAT(m, f->off2, size_t);
		cbuf_array(b, n);
		for (i = 0; i < n; i++)
			cbuf_uint(b, v[i]);
		break;
	}
	case F_ITEMS: {
		const struct wire_item *it = *CAT(m, f->off, struct wire_item *const);
		n = *CAT(m, f->off2, size_t);
		cbuf_array(b, n);
		for (i = 0; i < n; i++) {
			cbuf_array(b, 5);
			cbuf_text(b, it[i].key);
			cbuf_text(b, it[i].value != NULL ? it[i].value : "");
			cbuf_text(b, it[i].extra != NULL ? it[i].extra : "");
			cbuf_uint(b, it[i].ver);
			cbuf_bool(b, it[i].deleted);
		}
		break;
	}
	default:
		assert(!"unknown field kind");
	}
}

int
wire_encode(const struct wire_msg *m, uint8_t **out, size_t *len, struct err *e)
{
	struct cbuf b;
	int i, nf;

	assert(m->type >= 1 && m->type <= WIRE_TYPE_LAST);
	nf = msg_table[m->type].nfields;
	cbuf_init(&b, WIRE_MSG_MAX);
	cbuf_map(&b, (size_t)(3 + nf));
	cbuf_uint(&b, K_VERSION);
	cbuf_uint(&b, WIRE_VERSION);
	cbuf_uint(&b, K_TYPE);
	cbuf_uint(&b, (uint64_t)m->type);
	cbuf_uint(&b, K_REQ);
	cbuf_uint(&b, m->req_id);
	for (i = 0; i < nf; i++) {
		cbuf_uint(&b, (uint64_t)(K_FIRST + i));
		encode_field(&b, m, &msg_table[m->type].f[i]);
	}
	if (b.err) {
		cbuf_free(&b);
		return err_set(e, E_INVALID, "%s", _("message too large to send"));
	}
	*out = b.p;
	*len = b.len;
	return E_OK;
}

/* Strict UTF-8 without NUL: base/utf8.h's decoder, the one every way in uses. */
int
wire_utf8_ok(const char *s, size_t n)
{
	return utf8_valid(s, n);
}

static char *
text_dup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* One text of an item into *out (malloc'd): as sent if it is strict UTF-8, else escaped
 * (base/text.h) with *bad set. -1 if it is not a text or too long, or out of memory. */
static int
item_text(struct cread *r, char **out, int *bad)
{
	const char *p;
	size_t n;
	char *raw;

	if (cread_text(r, &p, &n) != 0 || n > WIRE_TEXT_MAX)
		return -1;
	if (wire_utf8_ok(p, n))
		return (*out = text_dup(p, n)) == NULL ? -1 : 0;
	*bad = 1;
	if ((raw = text_dup(p, n)) == NULL || (*out = malloc(8 * n + 1)) == NULL) {
		free(raw);
		return -1;
	}
	text_escape(raw, *out, 8 * n + 1);
	free(raw);
	return 0;
}

#define BAD(c, ...) do { *code = (c); err_set(e, E_INVALID, __VA_ARGS__); goto fail; } \
    while (0)

static int
decode_field(struct cread *r, struct wire_msg *m, const struct field *f, int *code,
    struct err *e)
{
	const char *t;
	const uint8_t *p;
	size_t n, i;
	int64_t iv;

	switch (f->kind) {
	case F_U64:
		if (cread_uint(r, AT(m, f->off, uint64_t)) != 0)
			BAD(WIRE_E_MALFORMED, "expected an unsigned integer");
		return 0;
	case F_I64:
		if (cread_int(r, AT(m, f->off, int64_t)) != 0)
			BAD(WIRE_E_MALFORMED, "expected an integer");
		return 0;
	case F_INT:
		if (cread_int(r, &iv) != 0 || iv < -1000000 || iv > 1000000)
			BAD(WIRE_E_MALFORMED, "expected a small integer");
		*AT(m, f->off, int) = (int)iv;
		return 0;
	case F_BYTES:
		if (cread_bytes(r, &p, &n) != 0)
			BAD(WIRE_E_MALFORMED, "expected a byte string");
		*AT(m, f->off, const uint8_t *) = p;
		*AT(m, f->off2, size_t) = n;
		return 0;
	case F_TEXT:
		if (cread_text(r, &t, &n) != 0)
			BAD(WIRE_E_MALFORMED, "expected a text string");
		if (n > WIRE_TEXT_MAX)
			BAD(WIRE_E_TOO_BIG, "text field too long");
		if (!wire_utf8_ok(t, n))
			BAD(WIRE_E_MALFORMED, "text field is not UTF-8");
		memcpy(AT(m, f->off, char), t, n);
		AT(m, f->off, char)[n] = '\0';
		return 0;
	case F_KEY32:
		if (cread_bytes(r, &p, &n) != 0 || n != 32)
			BAD(WIRE_E_MALFORMED, "expected a 32-byte key");
		memcpy(AT(m, f->off, uint8_t), p, 32);
		return 0;
	case F_U64S: {
		uint64_t *v;
		if (cread_array(r, &n) != 0)
			BAD(WIRE_E_MALFORMED, "expected an array");
		if (n > WIRE_BATCH_RECORDS)
			BAD(WIRE_E_TOO_BIG, "array too long");
		if ((v = calloc(n ? n : 1, sizeof *v)) == NULL)
			BAD(WIRE_E_INTERNAL, "out of memory");
		*AT(m, f->off, uint64_t *) = v;
		*AT(m, f->off2, size_t) = n;
		for (i = 0; i < n; i++)
			if (cread_uint(r, &v[i]) != 0)
				BAD(WIRE_E_MALFORMED, "expected an unsigned integer");
		return 0;
	}
	case F_ITEMS: {
		struct wire_item *it;
		size_t k;
		if (cread_array(r, &n) != 0)
			BAD(WIRE_E_MALFORMED, "expected an array");
		if (n > WIRE_ITEMS_MAX)
			BAD(WIRE_E_TOO_BIG, "too many items");
		if ((it = calloc(n ? n : 1, sizeof *it)) == NULL)
			BAD(WIRE_E_INTERNAL, "out of memory");
		*AT(m, f->off, struct wire_item *) = it;
		*AT(m, f->off2, size_t) = n;
		/* An item whose text is not UTF-8 is kept, marked bad and its text made
		 * safe, so the receiver can put that one aside and take the rest. */
		for (i = 0; i < n; i++) {
			if (cread_array(r, &k) != 0 || k != 5 ||
			    item_text(r, &it[i].key, &it[i].bad) != 0 ||
			    item_text(r, &it[i].value, &it[i].bad) != 0 ||
			    item_text(r, &it[i].extra, &it[i].bad) != 0 ||
			    cread_uint(r, &it[i].ver) != 0 ||
			    cread_bool(r, &it[i].deleted) != 0)
				BAD(WIRE_E_MALFORMED, "malformed item");
		}
		return 0;
	}
	}
	assert(!"unknown field kind");
fail:
	return -1;
}

int
wire_decode(const uint8_t *buf, size_t len, struct wire_msg *m, int *code, struct err *e)
{
	struct cread r;
	uint64_t key, ver = 0, type = 0;
	size_t n, i;
	unsigned seen = 0;
	int nf = 0;

	memset(m, 0, sizeof *m);
	*code = 0;
	if (len > WIRE_MSG_MAX)
		BAD(WIRE_E_TOO_BIG, "message of %zu bytes is over the limit", len);
	cread_init(&r, buf, len);
	if (cread_map(&r, &n) != 0)
		BAD(WIRE_E_MALFORMED, "%s", "not a CBOR map");
	if (n < 3 || n > 3 + MAXF)
		BAD(WIRE_E_MALFORMED, "%s", "wrong number of fields");
	/* version, type and request id come first, in that order, so that the rest can be
	 * read against the right row of the table */
	if (cread_uint(&r, &key) != 0 || key != K_VERSION || cread_uint(&r, &ver) != 0)
		BAD(WIRE_E_MALFORMED, "%s", "no protocol version");
	if (ver != WIRE_VERSION)
		BAD(WIRE_E_VERSION, "protocol version %llu is not spoken here",
		    (unsigned long long)ver);
	if (cread_uint(&r, &key) != 0 || key != K_TYPE || cread_uint(&r, &type) != 0 ||
	    type < 1 || type > WIRE_TYPE_LAST)
		BAD(WIRE_E_MALFORMED, "%s", "unknown message type");
	m->type = (int)type;
	if (cread_uint(&r, &key) != 0 || key != K_REQ || cread_uint(&r, &m->req_id) != 0)
		BAD(WIRE_E_MALFORMED, "%s", "no request id");
	nf = msg_table[type].nfields;
	if (n != (size_t)(3 + nf))
		BAD(WIRE_E_MALFORMED, "wrong number of fields for %s", msg_table[type].name);
	for (i = 0; i < (size_t)nf; i++) {
		if (cread_uint(&r, &key) != 0 || key < K_FIRST || key >= (uint64_t)(K_FIRST + nf))
			BAD(WIRE_E_MALFORMED, "%s", "unknown field");
		if (seen & (1u << (key - K_FIRST)))
			BAD(WIRE_E_MALFORMED, "%s", "field repeated");
		seen |= 1u << (key - K_FIRST);
		if (decode_field(&r, m, &msg_table[type].f[key - K_FIRST], code, e) != 0)
			goto fail;
	}
	if (!cread_done(&r))
		BAD(WIRE_E_MALFORMED, "%s", "trailing bytes after the message");
	return E_OK;
fail:
	wire_msg_free(m);
	memset(m, 0, sizeof *m);
	return E_INVALID;
}

void
wire_msg_free(struct wire_msg *m)
{
	size_t i;

	switch (m->type) {
	case WIRE_ACK:
		free(m->u.ack.conflicts);
		m->u.ack.conflicts = NULL;
		m->u.ack.nconflicts = 0;
		break;
	case WIRE_DELTA:
	case WIRE_SNAPSHOT:
		for (i = 0; m->u.items.items != NULL && i < m->u.items.nitems; i++) {
			free(m->u.items.items[i].key);
			free(m->u.items.items[i].value);
			free(m->u.items.items[i].extra);
		}
		free(m->u.items.items);
		m->u.items.items = NULL;
		m->u.items.nitems = 0;
		break;
	}
	free(m->owned);
	m->owned = NULL;
}
