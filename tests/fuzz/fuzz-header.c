/* fuzz-header.c — libFuzzer harness: crypto/'s parsing of what lies in front of the pages
 * and of page 1. Input byte 0 chooses:
 *   0: the bytes as the two header copies (hdr_parse, hdr_peek);
 *   1: the bytes as a whole file, probed without a secret (vault_probe);
 *   2: the bytes as page 1's plaintext, sealed under the data key of a logbook whose header
 *      is good, then unlocked (the truncation check reads page 1's counts), opened through
 *      the VFS (SQLite reads page 1 in slices) and its schema read.
 * Each must refuse or succeed with an error value, never crash. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/header.h"
#include "crypto/page.h"
#include "crypto/vault.h"

#define PASS "fuzz passphrase"

static char path[64];
static uint8_t header[HDR_SIZE], *keys;	/* keys: dk, then room for a page cipher */

/* A header made here from the public pieces (a passphrase slot with the test-cheap costs),
 * so the harness knows the data key. */
static void
make_header(void)
{
	struct hdr h;
	uint8_t kwk[KWK_LEN], sk[32], ad[64];
	size_t adlen;

	memset(&h, 0, sizeof h);
	h.version = FORMAT_VERSION;
	h.seq = 1;
	h.page_size = PAGE_SIZE;
	h.reserve = PAGE_RESERVE;
	randombytes_buf(h.file_id, FILE_ID_LEN);
	randombytes_buf(kwk, sizeof kwk);
	randombytes_buf(keys, DATA_KEY_LEN);
	adlen = dk_ad(&h, ad);
	key_wrap(kwk, keys, ad, adlen, h.wrapped_dk);
	h.slot[0].kind = SLOT_PASSPHRASE;
	h.slot[0].kdf = VAULT_KDF_TEST_CHEAP;
	h.slot[0].opslimit = 1;
	h.slot[0].memlimit = 8192;
	snprintf(h.slot[0].label, sizeof h.slot[0].label, "fuzz");
	if (crypto_pwhash(sk, sizeof sk, PASS, strlen(PASS), h.slot[0].salt, 1, 8192,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		abort();
	adlen = slot_ad(&h.slot[0], ad);
	key_wrap(sk, kwk, ad, adlen, h.slot[0].wrapped);
	hdr_encode(&h, kwk, header);
	memcpy(header + HDR_COPY_SIZE, header, HDR_COPY_SIZE);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0 || (keys = sodium_malloc(DATA_KEY_LEN + PAGE_CIPHER_SECRET)) == NULL)
		abort();
	make_header();
	snprintf(path, sizeof path, "/tmp/outpost-fuzz-header.%ld", (long)getpid());
	return 0;
}

static void
write_file(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		abort();
	if ((an && write(fd, a, an) != (ssize_t)an) || (bn && write(fd, b, bn) != (ssize_t)bn))
		abort();
	close(fd);
}

static void
page1(const uint8_t *data, size_t size)
{
	static uint8_t page[PAGE_SIZE];
	struct page_cipher pc;
	struct vault *v;
	struct err e;
	sqlite3 *db;
	char wal[80];

	memset(page, 0, sizeof page);
	memcpy(page, data, size < PAGE_SIZE - PAGE_RESERVE ? size : PAGE_SIZE - PAGE_RESERVE);
	if (page_cipher_init(&pc, keys + DATA_KEY_LEN, keys) != 0 ||
	    page_seal(&pc, header + 32, 1, page, page, PAGE_SIZE) != 0)
		abort();
	page_cipher_free(&pc);
	write_file(header, HDR_SIZE, page, PAGE_SIZE);
	if (vault_unlock(path, PASS, strlen(PASS), VAULT_PASSPHRASE, &v, &e) == E_OK) {
		if (vault_open_db(v, &db, &e) == E_OK) {
			sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
			sqlite3_close(db);
		}
		vault_close(v);
	}
	snprintf(wal, sizeof wal, "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", path);
	unlink(wal);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hdr_state st;
	struct hdr h;
	struct err e;
	uint8_t id[FILE_ID_LEN];
	size_t n;

	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		memset(st.image, 0, sizeof st.image);
		n = size - 1 < HDR_SIZE ? size - 1 : HDR_SIZE;
		memcpy(st.image[0], data + 1, n < HDR_COPY_SIZE ? n : HDR_COPY_SIZE);
		if (n > HDR_COPY_SIZE)
			memcpy(st.image[1], data + 1 + HDR_COPY_SIZE, n - HDR_COPY_SIZE);
		(void)hdr_parse(&st, &h);
		(void)hdr_peek(st.image[0], id);
		(void)hdr_peek(st.image[1], id);
		break;
	case 1:
		write_file(data + 1, size - 1, NULL, 0);
		(void)vault_probe(path, &e);
		break;
	case 2:
		page1(data + 1, size - 1);
		break;
	}
	unlink(path);
	return 0;
}
