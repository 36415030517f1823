/* test-input-sync.c — one bad record never stops sync (issue 11 items 1, 7): a batch with a
 * body that is not UTF-8 (the ED A0 80) decodes with that one record marked bad;
 * the hub puts it aside, counts it and acknowledges past it, online and from a bundle; an
 * item with bad text is marked, the others decode; a bundle that cannot be sealed to the
 * hub's key is refused instead of written with uninitialised memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "hub/import.h"
#include "sync/bundle.h"
#include "tests/unit/sync-mem.h"

#define UID "00112233445566778899aabbccddeeff"
#define BAD_BODY "{\"action\":\"add\",\"data\":{\"person\":\"a\xed\xa0\x80" "b%d\"}}"

static char dir[] = "/tmp/outpost-input-sync-XXXXXX";

static struct hub_store *
hubdb(void)
{
	struct hub_store *hs;
	sqlite3 *db;
	struct err e;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(hubstore_sqlite_wrap(db, &hs, &e), E_OK);
	assert_int_equal(hubstore_keys_create(hs, &e), E_OK);
	return hs;
}

static void
hubdb_close(struct hub_store *hs)
{
	sqlite3 *db = hubstore_sqlite_db(hs);

	hubstore_close(hs);
	sqlite3_close(db);
}

static struct identity *
station(struct hub_store *db, struct hub_station *st)
{
	struct identity *id;
	uint8_t epk[32], esk[32], *sk;
	uint64_t n;
	struct err e;

	assert_int_equal(identity_new(&id, &e), E_OK);
	crypto_box_keypair(epk, esk);
	assert_int_equal(hubstore_station_add(db, "gate-1", epk, 1, &n, &e), E_OK);
	assert_int_equal(hubstore_enroll_complete(db, epk, id->curve_pk, id->sign_pk, UID, 2, st,
	    &e), E_OK);
	assert_int_equal(hubstore_keys_load(db, id->hub_pk, &sk, &e), E_OK);
	sodium_free(sk);
	return id;
}

static int
got_station(const struct hub_station *s, void *arg)
{
	*(struct hub_station *)arg = *s;
	return 0;
}

static void
t_batch_marks_bad(void **state)
{
	struct mem_station *m = mem_new(UID);
	struct wire_record *d;
	uint8_t *body, *raw;
	size_t len, n;
	struct err e;

	(void)state;
	mem_add(m, "temp", "{\"action\":\"add\",\"v\":%d}", 1);
	mem_add(m, "temp", BAD_BODY, 2);
	mem_add(m, "temp", "{\"action\":\"add\",\"v\":%d}", 3);
	mem_add(m, "temp", "[%d]", 4); /* not an object */
	assert_int_equal(wire_batch_encode(m->r, 4, &body, &len, &e), E_OK);
	assert_int_equal(wire_batch_decode(body, len, &d, &n, &raw, &e), E_OK);
	assert_int_equal(n, 4);
	assert_int_equal(d[0].bad, 0);
	assert_int_equal(d[1].bad, 1);
	assert_int_equal(d[2].bad, 0);
	assert_int_equal(d[3].bad, 1);
	free(d);
	free(raw);
	free(body);
	/* too large for the wire: sent as "?" with an empty body, marked bad, not refused */
	{
		static char big[WIRE_BODY_MAX + 100];

		memset(big, 'x', sizeof big - 1);
		big[0] = '{';
		m->r[1].body = big;
		m->r[1].body_len = sizeof big - 1;
	}
	assert_int_equal(wire_batch_encode(m->r, 4, &body, &len, &e), E_OK);
	assert_int_equal(wire_batch_decode(body, len, &d, &n, &raw, &e), E_OK);
	assert_int_equal(n, 4);
	assert_int_equal(d[1].bad, 1);
	assert_string_equal(d[1].kind, "?");
	assert_int_equal(d[1].seq, 2);
	assert_int_equal(d[2].bad, 0);
	free(d);
	free(raw);
	free(body);
	mem_free(m);
}

static void
t_hub_quarantines(void **state)
{
	struct hub_store *db = hubdb();
	struct hub_station st, listed;
	struct identity *id = station(db, &st);
	struct mem_station *m = mem_new(UID);
	struct hub_ingest res;
	struct wire_record *d;
	uint8_t *body, *raw;
	size_t len, n;
	struct err e;
	int i;

	(void)state;
	for (i = 1; i <= 10; i++)
		mem_add(m, "temp", i == 4 ? BAD_BODY : "{\"action\":\"add\",\"v\":%d}", i);
	assert_int_equal(wire_batch_encode(m->r, 10, &body, &len, &e), E_OK);
	assert_int_equal(wire_batch_decode(body, len, &d, &n, &raw, &e), E_OK);
	assert_int_equal(hubstore_ingest(db, &st, d, n, 3, &res, &e), E_OK);
	assert_int_equal(res.inserted, 9);
	assert_int_equal(res.quarantined, 1);
	assert_int_equal(res.hw, 10);	/* acknowledged past it: the station goes on */
	free(res.conflicts);
	/* sent again: an idempotent resend, nothing doubled */
	assert_int_equal(hubstore_ingest(db, &st, d, n, 4, &res, &e), E_OK);
	assert_int_equal(res.inserted, 0);
	assert_int_equal(res.quarantined, 0);
	assert_int_equal(res.duplicates, 10);
	assert_int_equal(res.hw, 10);
	free(res.conflicts);
	assert_int_equal(hubstore_stations(db, got_station, &listed, &e), E_OK);
	assert_int_equal(listed.quarantined, 1);
	assert_int_equal(listed.max_seq - listed.held, 0);	/* none behind */
	free(d);
	free(raw);
	free(body);
	mem_free(m);
	identity_free(id);
	hubdb_close(db);
}

static void
t_bundle_quarantines(void **state)
{
	struct hub_store *db = hubdb();
	struct hub_station st, listed;
	struct identity *id = station(db, &st);
	struct mem_station *m = mem_new(UID);
	struct sync_source src;
	struct bundle_info bi;
	struct err e;
	char path[256];
	int i;

	(void)state;
	for (i = 1; i <= 30; i++)
		mem_add(m, "temp", i % 10 == 0 ? BAD_BODY : "{\"action\":\"add\",\"v\":%d}", i);
	mem_source(m, &src);
	snprintf(path, sizeof path, "%s/b1", dir);
	assert_int_equal(bundle_write(id, &src, path, &bi, &e), E_OK);
	assert_int_equal(bundle_import(db, path, &bi, &e), E_OK);
	assert_int_equal(bi.inserted, 27);
	assert_int_equal(bi.quarantined, 3);
	assert_int_equal(hubstore_stations(db, got_station, &listed, &e), E_OK);
	assert_int_equal(listed.hw, 30);
	assert_int_equal(listed.quarantined, 3);
	unlink(path);
	mem_free(m);
	identity_free(id);
	hubdb_close(db);
}

static void
t_items_marked(void **state)
{
	struct wire_msg m = {0}, d;
	struct wire_item it[3] = {{"plate:京A1", "ok", "", 1, 0, 0},
	    {"plate:京A2", "wanted\xed\xa0\x80", "", 2, 0, 0}, {"plate:京A3", "ok", "", 3, 0, 0}};
	uint8_t *buf;
	size_t len;
	struct err e;
	int code;

	(void)state;
	m.type = WIRE_DELTA;
	m.u.items.kind = WIRE_PULL_WATCHLIST;
	m.u.items.ver = 3;
	m.u.items.items = it;
	m.u.items.nitems = 3;
	assert_int_equal(wire_encode(&m, &buf, &len, &e), E_OK);
	assert_int_equal(wire_decode(buf, len, &d, &code, &e), E_OK);
	assert_int_equal(d.u.items.nitems, 3);
	assert_int_equal(d.u.items.items[0].bad, 0);
	assert_int_equal(d.u.items.items[1].bad, 1);
	assert_string_equal(d.u.items.items[1].value, "wanted\\xED\\xA0\\x80");
	assert_int_equal(d.u.items.items[2].bad, 0);
	wire_msg_free(&d);
	free(buf);
}

/* crypto_box_seal fails for a hub key that is a low-order point (all zeros): the bundle
 * must be refused, not written with uninitialised memory. */
static void
t_bundle_seal_checked(void **state)
{
	struct hub_store *db = hubdb();
	struct hub_station st;
	struct identity *id = station(db, &st);
	struct mem_station *m = mem_new(UID);
	struct sync_source src;
	struct bundle_info bi;
	struct err e;
	char path[256];

	(void)state;
	mem_add(m, "temp", "{\"action\":\"add\",\"v\":%d}", 1);
	mem_source(m, &src);
	memset(id->hub_pk, 0, sizeof id->hub_pk);
	snprintf(path, sizeof path, "%s/b-zero", dir);
	assert_int_not_equal(bundle_write(id, &src, path, &bi, &e), E_OK);
	assert_non_null(strstr(e.msg, "seal"));
	assert_int_not_equal(access(path, F_OK), 0);
	unlink(path);
	mem_free(m);
	identity_free(id);
	hubdb_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_batch_marks_bad),
		cmocka_unit_test(t_hub_quarantines),
		cmocka_unit_test(t_bundle_quarantines),
		cmocka_unit_test(t_items_marked),
		cmocka_unit_test(t_bundle_seal_checked),
	};
	int rc;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
