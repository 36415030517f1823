/* test-sync-wire.c — the sync messages and batches: round trips, strict refusal of
 * malformed and oversized input, and a small fuzz smoke run of the decoders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "sync/cbuf.h"
#include "sync/token.h"
#include "sync/wire.h"

static void
roundtrip(const struct wire_msg *in, struct wire_msg *out, uint8_t **buf)
{
	struct err e;
	size_t len;
	int code;

	assert_int_equal(wire_encode(in, buf, &len, &e), E_OK);
	assert_int_equal(wire_decode(*buf, len, out, &code, &e), E_OK);
	assert_int_equal(out->type, in->type);
	assert_int_equal(out->req_id, in->req_id);
}

static void
t_hello(void **state)
{
	struct wire_msg m = { 0 }, d;
	uint8_t *buf;

	(void)state;
	m.type = WIRE_HELLO;
	m.req_id = 77;
	m.u.hello.last_acked = 123456789012ULL;
	m.u.hello.cfg_ver = 3;
	m.u.hello.wl_ver = 0;
	m.u.hello.dev_time = -5;	/* a broken clock is still encodable */
	roundtrip(&m, &d, &buf);
	assert_int_equal(d.u.hello.last_acked, 123456789012ULL);
	assert_int_equal(d.u.hello.cfg_ver, 3);
	assert_int_equal(d.u.hello.wl_ver, 0);
	assert_int_equal(d.u.hello.dev_time, -5);
	wire_msg_free(&d);
	free(buf);
}

static void
t_ack_items_error_enroll(void **state)
{
	struct wire_msg m = { 0 }, d;
	struct wire_item it[2] = { { "plate:京A12345", "wanted", "2030-01-01", 7, 0, 0 },
	    { "id:110101199003074514", "", "", 9, 1, 0 } };
	uint64_t conf[3] = { 5, 9, 1000000 };
	uint8_t *buf;

	(void)state;
	m.type = WIRE_ACK;
	m.req_id = 1;
	m.u.ack.batch_id = 2;
	m.u.ack.hw = 40;
	m.u.ack.conflicts = conf;
	m.u.ack.nconflicts = 3;
	roundtrip(&m, &d, &buf);
	assert_int_equal(d.u.ack.nconflicts, 3);
	assert_int_equal(d.u.ack.conflicts[2], 1000000);
	wire_msg_free(&d);
	free(buf);

	memset(&m, 0, sizeof m);
	m.type = WIRE_DELTA;
	m.u.items.kind = WIRE_PULL_WATCHLIST;
	m.u.items.ver = 9;
	m.u.items.items = it;
	m.u.items.nitems = 2;
	roundtrip(&m, &d, &buf);
	assert_int_equal(d.u.items.nitems, 2);
	assert_string_equal(d.u.items.items[0].key, "plate:京A12345");
	assert_string_equal(d.u.items.items[0].extra, "2030-01-01");
	assert_int_equal(d.u.items.items[1].ver, 9);
	assert_int_equal(d.u.items.items[1].deleted, 1);
	wire_msg_free(&d);
	free(buf);

	memset(&m, 0, sizeof m);
	m.type = WIRE_ERROR;
	m.u.error.code = WIRE_E_TOO_BIG;
	strcpy(m.u.error.text, "too big");
	roundtrip(&m, &d, &buf);
	assert_int_equal(d.u.error.code, WIRE_E_TOO_BIG);
	assert_string_equal(d.u.error.text, "too big");
	free(buf);

	memset(&m, 0, sizeof m);
	m.type = WIRE_ENROLL;
	memset(m.u.enroll.curve_pk, 0xab, 32);
	memset(m.u.enroll.sign_pk, 0xcd, 32);
	strcpy(m.u.enroll.station_uid, "0123456789abcdef0123456789abcdef");
	roundtrip(&m, &d, &buf);
	assert_memory_equal(d.u.enroll.curve_pk, m.u.enroll.curve_pk, 32);
	assert_memory_equal(d.u.enroll.sign_pk, m.u.enroll.sign_pk, 32);
	assert_string_equal(d.u.enroll.station_uid, m.u.enroll.station_uid);
	free(buf);
}

static void
expect_refused(const uint8_t *p, size_t n, int want_code)
{
	struct wire_msg d;
	struct err e;
	int code = 0;

	assert_int_equal(wire_decode(p, n, &d, &code, &e), E_INVALID);
	if (want_code)
		assert_int_equal(code, want_code);
	assert_true(code >= WIRE_E_MALFORMED && code <= WIRE_E_BAD_BATCH);
}

static void
t_strict(void **state)
{
	struct wire_msg m = { 0 };
	struct cbuf b;
	uint8_t *buf, *big;
	size_t len, i;
	struct err e;

	(void)state;
	m.type = WIRE_PULL;
	m.req_id = 5;
	m.u.pull.kind = WIRE_PULL_SETTINGS;
	assert_int_equal(wire_encode(&m, &buf, &len, &e), E_OK);
	/* every truncation is refused */
	for (i = 0; i < len; i++)
		expect_refused(buf, i, 0);
	/* trailing garbage */
	buf = realloc(buf, len + 1);
	buf[len] = 0;
	expect_refused(buf, len + 1, WIRE_E_MALFORMED);
	/* another version */
	buf[2] = 0x02;
	expect_refused(buf, len, WIRE_E_VERSION);
	free(buf);

	/* a repeated field */
	cbuf_init(&b, 1024);
	cbuf_map(&b, 5);
	cbuf_uint(&b, 0); cbuf_uint(&b, WIRE_VERSION);
	cbuf_uint(&b, 1); cbuf_uint(&b, WIRE_PULL);
	cbuf_uint(&b, 2); cbuf_uint(&b, 1);
	cbuf_uint(&b, 3); cbuf_uint(&b, 1);
	cbuf_uint(&b, 3); cbuf_uint(&b, 1);
	expect_refused(b.p, b.len, WIRE_E_MALFORMED);
	cbuf_free(&b);

	/* an unknown type */
	cbuf_init(&b, 1024);
	cbuf_map(&b, 3);
	cbuf_uint(&b, 0); cbuf_uint(&b, WIRE_VERSION);
	cbuf_uint(&b, 1); cbuf_uint(&b, 99);
	cbuf_uint(&b, 2); cbuf_uint(&b, 1);
	expect_refused(b.p, b.len, WIRE_E_MALFORMED);
	cbuf_free(&b);

	/* a forged array length must not allocate: ACK claiming 2^32 conflicts in 20 bytes */
	cbuf_init(&b, 1024);
	cbuf_map(&b, 6);
	cbuf_uint(&b, 0); cbuf_uint(&b, WIRE_VERSION);
	cbuf_uint(&b, 1); cbuf_uint(&b, WIRE_ACK);
	cbuf_uint(&b, 2); cbuf_uint(&b, 1);
	cbuf_uint(&b, 3); cbuf_uint(&b, 1);
	cbuf_uint(&b, 4); cbuf_uint(&b, 1);
	cbuf_uint(&b, 5); cbuf_array(&b, 0xffffffffu);
	expect_refused(b.p, b.len, 0);
	cbuf_free(&b);

	/* over the size limit */
	big = calloc(1, WIRE_MSG_MAX + 1);
	expect_refused(big, WIRE_MSG_MAX + 1, WIRE_E_TOO_BIG);
	free(big);

	/* text that is not UTF-8 */
	cbuf_init(&b, 1024);
	cbuf_map(&b, 5);
	cbuf_uint(&b, 0); cbuf_uint(&b, WIRE_VERSION);
	cbuf_uint(&b, 1); cbuf_uint(&b, WIRE_ERROR);
	cbuf_uint(&b, 2); cbuf_uint(&b, 1);
	cbuf_uint(&b, 3); cbuf_uint(&b, 1);
	cbuf_uint(&b, 4); cbuf_textn(&b, "\xc0\xaf", 2);
	expect_refused(b.p, b.len, WIRE_E_MALFORMED);
	cbuf_free(&b);
}

static void
t_batch(void **state)
{
	struct wire_record r[300], *d;
	char bodies[300][80];
	uint8_t *body, *raw, h1[32], h2[32];
	size_t len, n, i;
	struct err e;

	(void)state;
	for (i = 0; i < 300; i++) {
		r[i].seq = 100 + i;
		strcpy(r[i].kind, i % 2 ? "visitor" : "temp");
		r[i].created_ms = 1700000000000LL + (int64_t)i * 1000;
		snprintf(bodies[i], sizeof bodies[i], "{\"action\":\"add\",\"value\":%zu,"
		    "\"method\":\"forehead\",\"tz_min\":480}", 360 + i % 20);
		r[i].body = bodies[i];
		r[i].body_len = strlen(bodies[i]);
	}
	assert_int_equal(wire_batch_encode(r, 300, &body, &len, &e), E_OK);
	/* compressed well under the raw size */
	assert_true(len < 300 * 40);
	assert_int_equal(wire_batch_decode(body, len, &d, &n, &raw, &e), E_OK);
	assert_int_equal(n, 300);
	for (i = 0; i < n; i++) {
		assert_int_equal(d[i].seq, r[i].seq);
		assert_string_equal(d[i].kind, r[i].kind);
		assert_int_equal(d[i].created_ms, r[i].created_ms);
		assert_int_equal(d[i].body_len, r[i].body_len);
		assert_memory_equal(d[i].body, r[i].body, r[i].body_len);
		wire_record_hash("0123456789abcdef0123456789abcdef", &d[i], h1);
		wire_record_hash("0123456789abcdef0123456789abcdef", &r[i], h2);
		assert_memory_equal(h1, h2, 32);
	}
	/* the hash covers the station and the body */
	wire_record_hash("0123456789abcdef0123456789abcdee", &r[0], h2);
	assert_memory_not_equal(h1, h2, 32);
	free(d);
	free(raw);
	/* a flipped byte in the frame is refused or decodes to something checked again */
	body[len / 2] ^= 0x40;
	if (wire_batch_decode(body, len, &d, &n, &raw, &e) == E_OK) {
		free(d);
		free(raw);
	}
	free(body);

	/* out of order seqs are refused */
	r[1].seq = r[0].seq;
	assert_int_equal(wire_batch_encode(r, 2, &body, &len, &e), E_OK);
	assert_int_equal(wire_batch_decode(body, len, &d, &n, &raw, &e), E_INVALID);
	free(body);
}

/* The decoders on random mutations of valid input: never crash, never accept garbage
 * without it being well-formed. Kept short: a smoke run, not a campaign. */
static void
t_fuzz_smoke(void **state)
{
	struct wire_msg m = { 0 }, d;
	struct wire_item it[1] = { { "k", "v", "", 1, 0, 0 } };
	uint8_t *seeds[3], *mut, *raw;
	struct wire_record *recs;
	size_t lens[3], i, k, n;
	struct wire_record r = { 1, "temp", 1, "{\"v\":1}", 7, 0 };
	struct err e;
	int code, round;

	(void)state;
	m.type = WIRE_HELLO;
	assert_int_equal(wire_encode(&m, &seeds[0], &lens[0], &e), E_OK);
	m.type = WIRE_SNAPSHOT;
	m.u.items.items = it;
	m.u.items.nitems = 1;
	assert_int_equal(wire_encode(&m, &seeds[1], &lens[1], &e), E_OK);
	assert_int_equal(wire_batch_encode(&r, 1, &seeds[2], &lens[2], &e), E_OK);
	mut = malloc(4096);
	for (round = 0; round < 20000; round++) {
		k = (size_t)round % 3;
		n = lens[k];
		memcpy(mut, seeds[k], n);
		for (i = 0; i < 1 + randombytes_uniform(4); i++) {
			switch (randombytes_uniform(3)) {
			case 0: mut[randombytes_uniform((uint32_t)n)] ^=
			    (uint8_t)(1u << randombytes_uniform(8)); break;
			case 1: mut[randombytes_uniform((uint32_t)n)] =
			    (uint8_t)randombytes_uniform(256); break;
			case 2: if (n > 1) n -= 1 + randombytes_uniform((uint32_t)(n / 2)); break;
			}
		}
		if (k < 2) {
			if (wire_decode(mut, n, &d, &code, &e) == E_OK)
				wire_msg_free(&d);
			else
				assert_true(code >= WIRE_E_MALFORMED && code <= WIRE_E_BAD_BATCH);
		} else if (wire_batch_decode(mut, n, &recs, &n, &raw, &e) == E_OK) {
			free(recs);
			free(raw);
		}
	}
	free(mut);
	for (k = 0; k < 3; k++)
		free(seeds[k]);
}

static void
t_token(void **state)
{
	struct token t, d;
	char s[TOKEN_MAX], bad[TOKEN_MAX];
	struct err e;

	(void)state;
	randombytes_buf(t.hub_pk, 32);
	randombytes_buf(t.enroll_sk, 32);
	strcpy(t.endpoint, "tcp://10.0.0.1:7400");
	assert_int_equal(token_encode(&t, s, &e), E_OK);
	assert_non_null(strstr(s, TOKEN_PREFIX));
	assert_null(strchr(s, ' '));
	assert_int_equal(token_decode(s, &d, &e), E_OK);
	assert_memory_equal(d.hub_pk, t.hub_pk, 32);
	assert_memory_equal(d.enroll_sk, t.enroll_sk, 32);
	assert_string_equal(d.endpoint, t.endpoint);
	/* one mistyped character is caught */
	strcpy(bad, s);
	bad[20] = bad[20] == 'A' ? 'B' : 'A';
	assert_int_equal(token_decode(bad, &d, &e), E_INVALID);
	assert_int_equal(token_decode("hello", &d, &e), E_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_hello),
		cmocka_unit_test(t_ack_items_error_enroll),
		cmocka_unit_test(t_strict),
		cmocka_unit_test(t_batch),
		cmocka_unit_test(t_fuzz_smoke),
		cmocka_unit_test(t_token),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
