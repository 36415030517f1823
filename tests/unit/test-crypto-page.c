/* test-crypto-page.c — the page cipher against the reference: pages sealed by page_seal
 * (OpenSSL's ChaCha20-Poly1305 under a libsodium HChaCha20 subkey) open with libsodium's
 * crypto_aead_xchacha20poly1305_ietf and are byte-identical to its output, pages sealed by
 * libsodium open with page_open, over random pages, page numbers, file ids and sizes; and a
 * fixed vector pins the format (nonce, tag and associated data layout) itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/page.h"

/* The associated data as outpost(5) states it: file id, page number (little-endian),
 * format version, three zero bytes. Written out here, not taken from page.c. */
static void
ref_ad(uint8_t ad[24], const uint8_t *id, uint32_t pgno)
{
	memcpy(ad, id, 16);
	ad[16] = (uint8_t)pgno;
	ad[17] = (uint8_t)(pgno >> 8);
	ad[18] = (uint8_t)(pgno >> 16);
	ad[19] = (uint8_t)(pgno >> 24);
	ad[20] = 1;
	ad[21] = ad[22] = ad[23] = 0;
}

/* libsodium's sealing of a page with the given 24-byte nonce, in outpost's layout. */
static void
ref_seal(const uint8_t *key, const uint8_t *id, uint32_t pgno, const uint8_t *nonce,
    const uint8_t *in, uint8_t *out, size_t size)
{
	uint8_t ad[24];
	size_t body = size - PAGE_RESERVE;

	ref_ad(ad, id, pgno);
	memcpy(out + body, nonce, PAGE_NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out, out + body + PAGE_NONCE, NULL,
	    in, body, ad, sizeof ad, NULL, nonce, key);
}

static int
ref_open(const uint8_t *key, const uint8_t *id, uint32_t pgno, const uint8_t *in,
    uint8_t *out, size_t size)
{
	uint8_t ad[24];
	size_t body = size - PAGE_RESERVE;

	ref_ad(ad, id, pgno);
	return crypto_aead_xchacha20poly1305_ietf_decrypt_detached(out, NULL, in, body,
	    in + body + PAGE_NONCE, ad, sizeof ad, in + body, key);
}

static const size_t sizes[] = { 512, 1024, 4096, 8192, 65536 };
#define NELEMS_SIZES (sizeof sizes / sizeof sizes[0])

static void
test_evp_seals_what_libsodium_opens(void **state)
{
	static uint8_t plain[65536], sealed[65536], ref[65536], out[65536];
	uint8_t key[32], id[16], *secret = sodium_malloc(PAGE_CIPHER_SECRET);
	struct page_cipher c;
	uint32_t pgno;
	size_t size, body;
	int round, i;

	(void)state;
	assert_non_null(secret);
	for (round = 0; round < 40; round++) {
		randombytes_buf(key, sizeof key);
		randombytes_buf(id, sizeof id);
		assert_int_equal(page_cipher_init(&c, secret, key), 0);
		/* Several pages per open: one subkey, the counter moving on. */
		for (i = 0; i < 8; i++) {
			size = sizes[randombytes_uniform(NELEMS_SIZES)];
			body = size - PAGE_RESERVE;
			pgno = randombytes_random() | (i == 0 ? 0x80000000u : 0);
			if (pgno == 0)
				pgno = 1;
			randombytes_buf(plain, body);
			memset(plain + body, 0, PAGE_RESERVE);
			assert_int_equal(page_seal(&c, id, pgno, plain, sealed, size), 0);
			/* libsodium opens it ... */
			assert_int_equal(ref_open(key, id, pgno, sealed, out, size), 0);
			assert_memory_equal(out, plain, body);
			/* ... and, given the same nonce, writes the very same bytes. */
			ref_seal(key, id, pgno, sealed + body, plain, ref, size);
			assert_memory_equal(ref, sealed, size);
			/* In place, too. */
			memcpy(out, plain, size);
			assert_int_equal(page_seal(&c, id, pgno, out, out, size), 0);
			assert_int_equal(ref_open(key, id, pgno, out, ref, size), 0);
			assert_memory_equal(ref, plain, body);
		}
		page_cipher_free(&c);
	}
	sodium_free(secret);
}

static void
test_libsodium_seals_what_evp_opens(void **state)
{
	static uint8_t plain[65536], sealed[4][65536], out[65536];
	uint8_t key[32], id[16], nonce[4][PAGE_NONCE], *secret = sodium_malloc(PAGE_CIPHER_SECRET);
	struct page_cipher c;
	uint32_t pgno[4];
	size_t size, body;
	int round, i, k;

	(void)state;
	assert_non_null(secret);
	for (round = 0; round < 40; round++) {
		randombytes_buf(key, sizeof key);
		randombytes_buf(id, sizeof id);
		size = sizes[round % NELEMS_SIZES];
		body = size - PAGE_RESERVE;
		assert_int_equal(page_cipher_init(&c, secret, key), 0);
		/* Four pages from writers with different prefixes (two of them sharing one), read
		 * back in an order that makes the reader's one-subkey cache change and hold. */
		for (k = 0; k < 4; k++) {
			randombytes_buf(nonce[k], PAGE_NONCE);
			if (k == 1)
				memcpy(nonce[1], nonce[0], PAGE_PREFIX);
			pgno[k] = 1 + randombytes_uniform(1u << 31);
			randombytes_buf(plain, body);
			ref_seal(key, id, pgno[k], nonce[k], plain, sealed[k], size);
		}
		for (i = 0; i < 12; i++) {
			k = (int)((unsigned)i * 7 % 4);
			memset(out, 0xaa, size);
			assert_int_equal(page_open(&c, id, pgno[k], sealed[k], out, size), 0);
			assert_int_equal(ref_open(key, id, pgno[k], sealed[k], plain, size), 0);
			assert_memory_equal(out, plain, body);
			for (size_t j = body; j < size; j++)
				assert_int_equal(out[j], 0);
			/* The wrong page number, file id or a flipped tag bit: refused, zeros. */
			assert_int_equal(page_open(&c, id, pgno[k] + 1, sealed[k], out, size), -1);
			assert_true(sodium_is_zero(out, size));
			id[15] ^= 0x80;
			assert_int_equal(page_open(&c, id, pgno[k], sealed[k], out, size), -1);
			id[15] ^= 0x80;
			sealed[k][size - 1] ^= 1;
			assert_int_equal(page_open(&c, id, pgno[k], sealed[k], out, size), -1);
			sealed[k][size - 1] ^= 1;
		}
		page_cipher_free(&c);
	}
	sodium_free(secret);
}

/* A fixed page: key 00..1f, file id 40..4f, page 3, body bytes i*7+1, nonce a0..b7. The
 * digest (BLAKE2b-256 of the whole sealed page) and the tag were computed once with
 * libsodium 1.0.18 and pin the format. */
#define VECTOR_DIGEST "efab2ca971003d381ff6d3ef6a01d1a87eba9b02e815f0898a41974665fc2f80"
#define VECTOR_TAG "eea526a890c3f8b5a97dd92606851116"
static void
test_fixed_vector(void **state)
{
	static uint8_t plain[PAGE_SIZE], sealed[PAGE_SIZE], out[PAGE_SIZE];
	uint8_t key[32], id[16], nonce[PAGE_NONCE], digest[32];
	uint8_t *secret = sodium_malloc(PAGE_CIPHER_SECRET);
	char hex[65];
	struct page_cipher c;
	size_t i, body = PAGE_SIZE - PAGE_RESERVE;

	(void)state;
	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < 16; i++)
		id[i] = (uint8_t)(0x40 + i);
	for (i = 0; i < PAGE_NONCE; i++)
		nonce[i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < body; i++)
		plain[i] = (uint8_t)(i * 7 + 1);
	ref_seal(key, id, 3, nonce, plain, sealed, PAGE_SIZE);
	crypto_generichash(digest, sizeof digest, sealed, PAGE_SIZE, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	assert_string_equal(hex, VECTOR_DIGEST);
	sodium_bin2hex(hex, sizeof hex, sealed + body + PAGE_NONCE, PAGE_TAG);
	assert_string_equal(hex, VECTOR_TAG);
	assert_int_equal(page_cipher_init(&c, secret, key), 0);
	assert_int_equal(page_open(&c, id, 3, sealed, out, PAGE_SIZE), 0);
	assert_memory_equal(out, plain, body);
	page_cipher_free(&c);
	sodium_free(secret);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evp_seals_what_libsodium_opens),
		cmocka_unit_test(test_libsodium_seals_what_evp_opens),
		cmocka_unit_test(test_fixed_vector),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
