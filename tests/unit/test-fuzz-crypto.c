/* test-fuzz-crypto.c — short fuzz smoke runs (meant for `make asan`): random and mutated
 * inputs to the recovery-key parser, the header parser and the unlock path must be
 * refused cleanly, never crash, and never accept a mutated header. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/header.h"
#include "crypto/recovery.h"
#include "crypto/vault.h"

static void
fuzz_recovery_parser(void **state)
{
	static const char pool[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcxyzIiLlOoUu -_!\xe4\xb8\xad";
	uint8_t out[RECOVERY_BYTES];
	char text[80];
	int i, j, len, accepted = 0;

	(void)state;
	for (i = 0; i < 20000; i++) {
		len = (int)randombytes_uniform(sizeof text);
		for (j = 0; j < len; j++)
			text[j] = pool[randombytes_uniform(sizeof pool - 1)];
		if (recovery_decode(text, (size_t)len, out) == 0)
			accepted++;
	}
	/* A random 40-character string passes all eight check characters about once in 2^40. */
	assert_int_equal(accepted, 0);
}

static void
fuzz_header_parser(void **state)
{
	struct hdr h, got;
	struct hdr_state *st = malloc(sizeof *st);
	uint8_t kwk[32], good[HDR_COPY_SIZE];
	int i, n, k, accepted = 0;

	(void)state;
	memset(&h, 0, sizeof h);
	h.version = FORMAT_VERSION;
	h.page_size = PAGE_SIZE;
	h.reserve = PAGE_RESERVE;
	h.seq = 3;
	randombytes_buf(kwk, sizeof kwk);
	randombytes_buf(h.file_id, sizeof h.file_id);
	hdr_encode(&h, kwk, good);
	for (i = 0; i < 5000; i++) {
		memcpy(st->image[0], good, HDR_COPY_SIZE);
		memcpy(st->image[1], good, HDR_COPY_SIZE);
		/* 1-8 random byte changes in each copy, at distinct offsets: two changes of
		 * the same byte could cancel and leave the copy intact. */
		for (k = 0; k < 2; k++) {
			uint32_t at[8];
			int m = 0, j;

			for (n = 1 + (int)randombytes_uniform(8); n > 0; n--) {
				uint32_t o = randombytes_uniform(HDR_COPY_SIZE);

				for (j = 0; j < m && at[j] != o; j++)
					;
				if (j < m) {
					n++;
					continue;
				}
				at[m++] = o;
				st->image[k][o] ^= (uint8_t)(1 + randombytes_uniform(255));
			}
			assert_memory_not_equal(st->image[k], good, HDR_COPY_SIZE);
		}
		if (hdr_parse(st, &got) == 0)
			accepted++;
	}
	assert_int_equal(accepted, 0);
	/* Pure noise, with and without the magic. */
	for (i = 0; i < 2000; i++) {
		randombytes_buf(st->image, sizeof st->image);
		if (i & 1)
			memcpy(st->image[0], "OUTPOST", 8);
		assert_int_equal(hdr_parse(st, &got), -1);
	}
	free(st);
}

/* Files with a valid-looking start and random bytes after: unlock refuses each one with
 * an error code, never crashes. */
static void
fuzz_unlock_files(void **state)
{
	static char dir[] = "/tmp/outpost-fuzz-XXXXXX";
	struct vault *v = NULL;
	struct err e = { 0 };
	char path[256], rec[VAULT_RECOVERY_LEN];
	uint8_t *img, junk[64];
	int i, fd, rc;
	size_t size;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/good.db", dir);
	assert_int_equal(vault_create(path, "pass word", 9, VAULT_KDF_TEST_CHEAP, rec, &v, &e),
	    E_OK);
	vault_close(v);
	img = malloc(HDR_SIZE + 3 * 4096);
	fd = open(path, O_RDONLY);
	size = (size_t)read(fd, img, HDR_SIZE + 3 * 4096);
	close(fd);
	snprintf(path, sizeof path, "%s/fuzz.db", dir);
	for (i = 0; i < 150; i++) {
		uint8_t *copy = malloc(size + 64);
		size_t n = randombytes_uniform((uint32_t)size + 64);

		memcpy(copy, img, size);
		randombytes_buf(junk, sizeof junk);
		if (n > size)
			memcpy(copy + size, junk, n - size);
		else
			copy[randombytes_uniform((uint32_t)n + 1) % (n ? n : 1)] ^= 0x5a;
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_true(write(fd, copy, n) == (ssize_t)n);
		close(fd);
		free(copy);
		rc = vault_unlock(path, "pass word", 9, VAULT_PASSPHRASE, &v, &e);
		if (rc == E_OK) {
			sqlite3 *db;

			rc = vault_open_db(v, &db, &e);
			if (rc == E_OK)
				sqlite3_close(db);
			vault_close(v);
		}
		assert_true(rc == E_OK || rc == E_DAMAGED || rc == E_LOCKED || rc == E_IO);
		if (rc != E_OK)
			assert_true(strlen(e.msg) > 0);
	}
	free(img);
	unlink(path);
	snprintf(path, sizeof path, "%s/good.db", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fuzz_recovery_parser),
		cmocka_unit_test(fuzz_header_parser),
		cmocka_unit_test(fuzz_unlock_files),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("fuzz-crypto", tests, NULL, NULL);
}
