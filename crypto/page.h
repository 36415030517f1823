/* page.h — sealing one page image with XChaCha20-Poly1305-IETF. The last PAGE_RESERVE bytes
 * of every page hold the nonce and the tag; the associated data binds the file id, the page
 * number and the format version, so a page cannot be moved or carried to another file.
 *
 * Implementation: XChaCha20-Poly1305 is ChaCha20-Poly1305-IETF under the subkey
 * HChaCha20(key, nonce[0..16]) with the 12-byte nonce 0^4 || nonce[16..24]. The subkey comes
 * from libsodium (crypto_core_hchacha20), the bulk AEAD from OpenSSL libcrypto's EVP
 * ChaCha20-Poly1305 (its vector code is faster than libsodium 1.0.18's). The bytes are the
 * same as libsodium's crypto_aead_xchacha20poly1305_ietf_*_detached, pinned by a test. */
#ifndef OUTPOST_PAGE_H
#define OUTPOST_PAGE_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096
#define PAGE_NONCE 24
#define PAGE_TAG 16
#define PAGE_RESERVE (PAGE_NONCE + PAGE_TAG)	/* 40 */
#define PAGE_PREFIX 16				/* the nonce bytes HChaCha20 takes */
#define FILE_ID_LEN 16
#define DATA_KEY_LEN 32
#define FORMAT_VERSION 1

/* Nonces without a system call per page: 16 random bytes drawn once per open file, then a
 * 64-bit counter. Two opens collide with probability 2^-128; a counter never repeats. */
struct page_nonce {
	uint8_t prefix[PAGE_PREFIX];
	uint64_t counter;
};
void page_nonce_init(struct page_nonce *g);

/* The cipher state of one open file: the data key and two subkeys (in secret memory the
 * caller owns), one EVP context that seals under the writer's subkey (HChaCha20 of its
 * nonce prefix, computed once) and one that opens, keyed by the last prefix it saw. No
 * allocation per page. OpenSSL keeps its own copy of a subkey inside each context, which
 * EVP_CIPHER_CTX_free wipes. */
#define PAGE_CIPHER_SECRET (3 * DATA_KEY_LEN)	/* bytes of sodium_malloc memory it needs */
struct page_cipher {
	uint8_t *key;		/* data key; then the writer's subkey, then the reader's */
	void *seal_ctx, *open_ctx;	/* EVP_CIPHER_CTX */
	struct page_nonce nonce;
	uint8_t open_prefix[PAGE_PREFIX];
	int open_keyed;		/* open_ctx holds HChaCha20(key, open_prefix) */
};

/* Sets up c over secret (PAGE_CIPHER_SECRET bytes of the caller's sodium_malloc memory,
 * which must outlive c): copies key into it (key may already be its start), draws a nonce
 * prefix and derives the writer's subkey. Returns 0, or -1 if OpenSSL failed (no memory);
 * c is then safe to page_cipher_free. */
int page_cipher_init(struct page_cipher *c, uint8_t *secret, const uint8_t *key);
/* Frees the contexts and wipes the subkeys and the key in secret. Twice is fine. */
void page_cipher_free(struct page_cipher *c);

/* Seals the first size - PAGE_RESERVE bytes of in into out (size bytes) under the next
 * nonce of c. in and out may be the same buffer. Returns 0, or -1 if OpenSSL failed (out
 * is then zeroed). */
int page_seal(struct page_cipher *c, const uint8_t *file_id, uint32_t pgno, const uint8_t *in,
    uint8_t *out, size_t size);
/* Opens a sealed page image into out (the reserve area is zeroed). Returns 0, or -1 if the
 * page failed authentication (out is then zeroed, never garbage). in and out may be the
 * same buffer. */
int page_open(struct page_cipher *c, const uint8_t *file_id, uint32_t pgno, const uint8_t *in,
    uint8_t *out, size_t size);

#endif
