/* test-sync-bundle.c — USB bundles: written sealed and signed, imported once however often
 * they are imported, and refused whole when tampered, forged, for another hub or from a
 * revoked station. */
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

static char dir[] = "/tmp/outpost-bundle-XXXXXX";

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

/* Enrolls a station directly in the store (the network part is test-sync-loop's). */
static struct identity *
station(struct hub_store *db, const char *name, const char *uid)
{
	struct identity *id;
	struct hub_station st;
	uint8_t epk[32], esk[32], *sk;
	uint64_t n;
	struct err e;

	assert_int_equal(identity_new(&id, &e), E_OK);
	crypto_box_keypair(epk, esk);
	assert_int_equal(hubstore_station_add(db, name, epk, 1, &n, &e), E_OK);
	assert_int_equal(hubstore_enroll_complete(db, epk, id->curve_pk, id->sign_pk, uid, 2, &st,
	    &e), E_OK);
	assert_int_equal(hubstore_keys_load(db, id->hub_pk, &sk, &e), E_OK);
	sodium_free(sk);
	return id;
}

static int64_t
records(struct hub_store *hs)
{
	sqlite3 *db = hubstore_sqlite_db(hs);
	sqlite3_stmt *st;
	int64_t n;

	sqlite3_prepare_v2(db, "SELECT count(*) FROM records", -1, &st, NULL);
	sqlite3_step(st);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void
t_bundle(void **state)
{
	struct hub_store *db = hubdb(), *other = hubdb();
	struct identity *id = station(db, "gate-3", UID), *forger;
	struct mem_station *m = mem_new(UID);
	struct sync_source src;
	struct bundle_info bi;
	struct err e;
	char p1[256], p2[256], p3[256], p4[256];
	uint8_t buf[1 << 16];
	FILE *f;
	size_t n;
	int i;

	(void)state;
	for (i = 0; i < 2500; i++)
		mem_add(m, "visitor", "{\"action\":\"add\",\"host\":\"3-2-%d\"}", 100 + i % 50);
	m->acked = 20;	/* 1..20 reached the hub online */
	mem_source(m, &src);
	path_of(p1, sizeof p1, "b1");
	assert_int_equal(bundle_write(id, &src, p1, &bi, &e), E_OK);
	assert_int_equal(bi.seq_from, 21);
	assert_int_equal(bi.seq_to, 2500);
	assert_int_equal(bi.records, 2480);
	/* no plaintext in the file */
	f = fopen(p1, "rb");
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_null(memmem(buf, n, "3-2-1", 5));
	assert_null(memmem(buf, n, "visitor", 7));
	/* the same bundle path is not overwritten */
	assert_int_not_equal(bundle_write(id, &src, p1, &bi, &e), E_OK);

	assert_int_equal(bundle_import(db, p1, &bi, &e), E_OK);
	assert_int_equal(bi.inserted, 2480);
	assert_string_equal(bi.station, "gate-3");
	assert_int_equal(records(db), 2480);
	/* twice: nothing doubled */
	assert_int_equal(bundle_import(db, p1, &bi, &e), E_OK);
	assert_int_equal(bi.inserted, 0);
	assert_int_equal(bi.duplicates, 2480);
	assert_int_equal(records(db), 2480);

	/* tampered: one byte anywhere → refused, nothing stored */
	f = fopen(p1, "rb");
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_true(n < sizeof buf);
	path_of(p2, sizeof p2, "b2");
	buf[n / 2] ^= 1;
	f = fopen(p2, "wb");
	fwrite(buf, 1, n, f);
	fclose(f);
	assert_int_equal(bundle_import(other, p2, &bi, &e), E_INVALID);
	assert_int_equal(bundle_import(db, p2, &bi, &e), E_INVALID);
	assert_int_equal(records(db), 2480);

	/* for another hub: refused */
	assert_int_equal(bundle_import(other, p1, &bi, &e), E_INVALID);
	assert_int_equal(records(other), 0);

	/* forged: the station's transport key, someone else's signature */
	assert_int_equal(identity_new(&forger, &e), E_OK);
	memcpy(forger->curve_pk, id->curve_pk, 32);
	memcpy(forger->hub_pk, id->hub_pk, 32);
	mem_add(m, "visitor", "{\"forged\":%d}", 1);
	m->acked = 2500;
	path_of(p3, sizeof p3, "b3");
	assert_int_equal(bundle_write(forger, &src, p3, &bi, &e), E_OK);
	assert_int_equal(bundle_import(db, p3, &bi, &e), E_INVALID);
	assert_int_equal(records(db), 2480);

	/* the real station's next bundle, after its station is revoked: refused */
	path_of(p4, sizeof p4, "b4");
	assert_int_equal(bundle_write(id, &src, p4, &bi, &e), E_OK);
	assert_int_equal(bi.records, 1);
	assert_int_equal(hubstore_station_revoke(db, "gate-3", &e), E_OK);
	assert_int_equal(bundle_import(db, p4, &bi, &e), E_LOCKED);
	assert_int_equal(records(db), 2480);

	unlink(p1);
	unlink(p2);
	unlink(p3);
	unlink(p4);
	identity_free(forger);
	identity_free(id);
	mem_free(m);
	hubdb_close(db);
	hubdb_close(other);
}

/* Ingest rules on their own: conflicts kept and reported, hw only over contiguous seqs. */
static void
t_ingest(void **state)
{
	struct hub_store *db = hubdb();
	struct identity *id = station(db, "t", UID);
	struct hub_station st;
	struct wire_record r[3] = {
		{ 1, "temp", 1750000000000LL, "{\"value\":365}", 13, 0 },
		{ 2, "temp", 1750000001000LL, "{\"value\":366}", 13, 0 },
		{ 4, "temp", 1750000003000LL, "{\"value\":368}", 13, 0 },
	};
	struct hub_ingest res;
	struct err e;

	(void)state;
	assert_int_equal(hubstore_station_by_key(db, id->curve_pk, 0, &st, &e), E_OK);
	assert_int_equal(hubstore_ingest(db, &st, r, 3, 1750000005000LL, &res, &e), E_OK);
	assert_int_equal(res.inserted, 3);
	assert_int_equal(res.hw, 2);	/* 3 is missing */
	free(res.conflicts);
	r[0].body = "{\"value\":399}";
	r[1].seq = 3;
	assert_int_equal(hubstore_ingest(db, &st, r, 2, 1750000006000LL, &res, &e), E_OK);
	assert_int_equal(res.inserted, 1);
	assert_int_equal(res.nconflicts, 1);
	assert_int_equal(res.conflicts[0], 1);
	assert_int_equal(res.hw, 4);
	free(res.conflicts);
	/* the first version stays; the conflicting one is kept beside it */
	{
		sqlite3_stmt *q;
		sqlite3_prepare_v2(hubstore_sqlite_db(db), "SELECT (SELECT body FROM records WHERE seq = 1), "
		    "(SELECT body FROM conflicts WHERE seq = 1)", -1, &q, NULL);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(q, 0), "{\"value\":365}");
		assert_string_equal((const char *)sqlite3_column_text(q, 1), "{\"value\":399}");
		sqlite3_finalize(q);
	}
	identity_free(id);
	hubdb_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_bundle),
		cmocka_unit_test(t_ingest),
	};
	int rc;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
