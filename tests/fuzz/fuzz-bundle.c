/* fuzz-bundle.c — libFuzzer harness: sync/bundle.c's import of a USB bundle, past its
 * seal and signature. The input is the signed payload (CBOR: version, hub key, station id,
 * time, batches); the harness puts this hub's public key where the input has 32 bytes
 * of 'K', signs it as an enrolled station, seals it to the hub, and imports it into an
 * in-memory hub store. Refused or stored, never a crash or a leak.
 * OUTPOST_FUZZ_SEEDS=DIR: write seed payloads into DIR and exit. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "hub/import.h"
#include "hub/store-sqlite.h"
#include "hub/store.h"
#include "sync/bundle.h"
#include "sync/cbuf.h"
#include "sync/wire.h"

#define UID "00112233445566778899aabbccddeeff"

static sqlite3 *sdb;
static struct hub_store *db;
static struct identity *id;
static char path[64];

static void
write_seed(const char *dir, const char *name, const void *p, size_t n)
{
	char file[4096];
	FILE *f;

	snprintf(file, sizeof file, "%s/%s", dir, name);
	if ((f = fopen(file, "wb")) == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

static void
seeds(const char *dir)
{
	static const char *const bodies[] = {
		"{\"action\":\"add\",\"temp\":365}",
		"{\"action\":\"add\",\"name\":\"张三\",\"plate\":\"粤B12345\",\"host\":\"3-2-301\"}",
	};
	struct wire_record r[2];
	struct cbuf pay;
	uint8_t key[32], *body;
	size_t len, i;
	struct err e;

	memset(key, 'K', sizeof key);
	for (i = 0; i < 2; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].seq = 7 + i;
		snprintf(r[i].kind, sizeof r[i].kind, "%s", i ? "visitor" : "temp");
		r[i].created_ms = 1772323200000LL + (int64_t)i;
		r[i].body = bodies[i];
		r[i].body_len = strlen(bodies[i]);
	}
	if (wire_batch_encode(r, 2, &body, &len, &e) != E_OK)
		abort();
	for (i = 0; i < 2; i++) {
		cbuf_init(&pay, BUNDLE_MAX);
		cbuf_map(&pay, 5);
		cbuf_uint(&pay, 0);
		cbuf_uint(&pay, 1);
		cbuf_uint(&pay, 1);
		cbuf_bytes(&pay, key, 32);
		cbuf_uint(&pay, 2);
		cbuf_text(&pay, UID);
		cbuf_uint(&pay, 3);
		cbuf_int(&pay, 1772323200000LL);
		cbuf_uint(&pay, 4);
		cbuf_array(&pay, i);	/* an empty bundle, then one batch */
		if (i)
			cbuf_bytes(&pay, body, len);
		write_seed(dir, i ? "one-batch" : "empty", pay.p, pay.len);
		cbuf_free(&pay);
	}
	free(body);
	exit(0);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct hub_station st;
	uint8_t epk[32], esk[32], *sk;
	uint64_t n;
	struct err e;
	const char *dir = getenv("OUTPOST_FUZZ_SEEDS");

	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	if (dir != NULL)
		seeds(dir);
	if (sqlite3_open(":memory:", &sdb) != SQLITE_OK ||
	    hubstore_sqlite_wrap(sdb, &db, &e) != E_OK || hubstore_keys_create(db, &e) != E_OK ||
	    identity_new(&id, &e) != E_OK)
		abort();
	crypto_box_keypair(epk, esk);
	if (hubstore_station_add(db, "gate-3", epk, 1, &n, &e) != E_OK ||
	    hubstore_enroll_complete(db, epk, id->curve_pk, id->sign_pk, UID, 2, &st, &e) !=
	    E_OK || hubstore_keys_load(db, id->hub_pk, &sk, &e) != E_OK)
		abort();
	sodium_free(sk);
	snprintf(path, sizeof path, "/tmp/outpost-fuzz-bundle.%ld", (long)getpid());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *pay, *inner, *file;
	unsigned long long slen;
	size_t i, ilen, flen, hdr = sizeof BUNDLE_MAGIC - 1 + 1;
	struct bundle_info info;
	struct err e;
	FILE *f;

	if (size > (1u << 20) || (pay = malloc(size + 1)) == NULL)
		return 0;
	memcpy(pay, data, size);
	for (i = 0; i + 32 <= size; i++) {
		static const uint8_t ks[32] = "KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK";
		if (memcmp(pay + i, ks, 32) == 0)
			memcpy(pay + i, id->hub_pk, 32);
	}
	ilen = 32 + crypto_sign_BYTES + size;
	flen = hdr + crypto_box_SEALBYTES + ilen;
	inner = malloc(ilen);
	file = malloc(flen);
	if (inner != NULL && file != NULL) {
		memcpy(inner, id->curve_pk, 32);
		crypto_sign(inner + 32, &slen, pay, size, id->sign_sk);
		memcpy(file, BUNDLE_MAGIC, hdr - 1);
		file[hdr - 1] = 1;
		crypto_box_seal(file + hdr, inner, ilen, id->hub_pk);
		if ((f = fopen(path, "wb")) != NULL) {
			int written = fwrite(file, 1, flen, f) == flen;

			if (fclose(f) == 0 && written)
				(void)bundle_import(db, path, &info, &e);
			unlink(path);
		}
	}
	free(inner);
	free(file);
	free(pay);
	return 0;
}
