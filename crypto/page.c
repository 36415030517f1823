/* page.c — sealing and opening page images (see page.h): HChaCha20 from libsodium, the
 * ChaCha20-Poly1305-IETF AEAD from OpenSSL's EVP, contexts kept per open file. */
#include <assert.h>
#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "crypto/page.h"

#define IV_LEN 12

/* Fetched once per process (OpenSSL builds its algorithm tables then, about 1 ms here): an
 * explicit fetch spares every context init the implicit lookup. The system's openssl.cnf
 * is not read for it: the page cipher must not depend on a file outside the logbook. */
static EVP_CIPHER *chacha_poly;
static pthread_once_t chacha_once = PTHREAD_ONCE_INIT;

static void
chacha_fetch(void)
{
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) == 1)
		chacha_poly = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL);
}

static void
page_ad(uint8_t ad[FILE_ID_LEN + 8], const uint8_t *file_id, uint32_t pgno)
{
	memcpy(ad, file_id, FILE_ID_LEN);
	ad[16] = pgno & 0xff;
	ad[17] = (pgno >> 8) & 0xff;
	ad[18] = (pgno >> 16) & 0xff;
	ad[19] = (pgno >> 24) & 0xff;
	ad[20] = FORMAT_VERSION;
	ad[21] = ad[22] = ad[23] = 0;
}

/* The IETF nonce of an XChaCha20 nonce: four zero bytes, then its last eight. */
static void
page_iv(uint8_t iv[IV_LEN], const uint8_t *nonce)
{
	memset(iv, 0, 4);
	memcpy(iv + 4, nonce + PAGE_PREFIX, 8);
}

void
page_nonce_init(struct page_nonce *g)
{
	randombytes_buf(g->prefix, sizeof g->prefix);
	g->counter = 0;
}

int
page_cipher_init(struct page_cipher *c, uint8_t *secret, const uint8_t *key)
{
	memset(c, 0, sizeof *c);
	c->key = secret;
	if (secret != key)
		memcpy(secret, key, DATA_KEY_LEN);
	page_nonce_init(&c->nonce);
	crypto_core_hchacha20(secret + DATA_KEY_LEN, c->nonce.prefix, secret, NULL);
	pthread_once(&chacha_once, chacha_fetch);
	if (chacha_poly == NULL || (c->seal_ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    (c->open_ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(c->seal_ctx, chacha_poly, NULL, secret + DATA_KEY_LEN, NULL) != 1 ||
	    EVP_DecryptInit_ex(c->open_ctx, chacha_poly, NULL, NULL, NULL) != 1) {
		page_cipher_free(c);
		return -1;
	}
	return 0;
}

void
page_cipher_free(struct page_cipher *c)
{
	EVP_CIPHER_CTX_free(c->seal_ctx);
	EVP_CIPHER_CTX_free(c->open_ctx);
	c->seal_ctx = c->open_ctx = NULL;
	if (c->key != NULL)
		sodium_memzero(c->key, PAGE_CIPHER_SECRET);
	c->key = NULL;
	c->open_keyed = 0;
}

int
page_seal(struct page_cipher *c, const uint8_t *file_id, uint32_t pgno, const uint8_t *in,
    uint8_t *out, size_t size)
{
	uint8_t ad[FILE_ID_LEN + 8], iv[IV_LEN], *nonce;
	size_t body = size - PAGE_RESERVE;
	int i, n, fin;

	assert(size >= 512 && size <= 65536 && pgno > 0 && c->seal_ctx != NULL);
	page_ad(ad, file_id, pgno);
	c->nonce.counter++;
	assert(c->nonce.counter != 0);
	nonce = out + body;
	/* in may be out: the reserve area is not part of the sealed bytes. */
	memcpy(nonce, c->nonce.prefix, PAGE_PREFIX);
	for (i = 0; i < 8; i++)
		nonce[PAGE_PREFIX + i] = (uint8_t)(c->nonce.counter >> (8 * i));
	page_iv(iv, nonce);
	if (EVP_EncryptInit_ex(c->seal_ctx, NULL, NULL, NULL, iv) != 1 ||
	    EVP_EncryptUpdate(c->seal_ctx, NULL, &n, ad, sizeof ad) != 1 ||
	    EVP_EncryptUpdate(c->seal_ctx, out, &n, in, (int)body) != 1 || (size_t)n != body ||
	    EVP_EncryptFinal_ex(c->seal_ctx, out + body, &fin) != 1 || fin != 0 ||
	    EVP_CIPHER_CTX_ctrl(c->seal_ctx, EVP_CTRL_AEAD_GET_TAG, PAGE_TAG,
	    out + body + PAGE_NONCE) != 1) {
		sodium_memzero(out, size);
		return -1;
	}
	return 0;
}

int
page_open(struct page_cipher *c, const uint8_t *file_id, uint32_t pgno, const uint8_t *in,
    uint8_t *out, size_t size)
{
	uint8_t ad[FILE_ID_LEN + 8], nonce[PAGE_NONCE], tag[PAGE_TAG], iv[IV_LEN];
	uint8_t *subkey = c->key + 2 * DATA_KEY_LEN;
	size_t body = size - PAGE_RESERVE;
	int n, fin, keyed;

	assert(size >= 512 && size <= 65536 && c->open_ctx != NULL);
	page_ad(ad, file_id, pgno);
	memcpy(nonce, in + body, PAGE_NONCE);
	memcpy(tag, in + body + PAGE_NONCE, PAGE_TAG);
	page_iv(iv, nonce);
	/* Pages written in one open share a prefix, hence a subkey: derive it only when the
	 * prefix changes. */
	keyed = c->open_keyed && sodium_memcmp(c->open_prefix, nonce, PAGE_PREFIX) == 0;
	if (!keyed) {
		crypto_core_hchacha20(subkey, nonce, c->key, NULL);
		memcpy(c->open_prefix, nonce, PAGE_PREFIX);
	}
	c->open_keyed = 0;
	if (EVP_DecryptInit_ex(c->open_ctx, NULL, NULL, keyed ? NULL : subkey, iv) != 1)
		goto fail;
	c->open_keyed = 1;
	if (EVP_DecryptUpdate(c->open_ctx, NULL, &n, ad, sizeof ad) != 1 ||
	    EVP_DecryptUpdate(c->open_ctx, out, &n, in, (int)body) != 1 || (size_t)n != body ||
	    EVP_CIPHER_CTX_ctrl(c->open_ctx, EVP_CTRL_AEAD_SET_TAG, PAGE_TAG, tag) != 1 ||
	    EVP_DecryptFinal_ex(c->open_ctx, out + body, &fin) != 1)
		goto fail;
	memset(out + body, 0, PAGE_RESERVE);
	return 0;
fail:
	sodium_memzero(out, size);
	return -1;
}
