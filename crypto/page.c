/* page.c — sealing and opening page images (see page.h). */
#include <assert.h>
#include <string.h>

#include <sodium.h>

#include "crypto/page.h"

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

void
page_nonce_init(struct page_nonce *g)
{
	randombytes_buf(g->prefix, sizeof g->prefix);
	g->counter = 0;
}

void
page_seal(const uint8_t *key, const uint8_t *file_id, uint32_t pgno, const uint8_t *in,
    uint8_t *out, size_t size, struct page_nonce *g)
{
	uint8_t ad[FILE_ID_LEN + 8];
	size_t body = size - PAGE_RESERVE;
	int i;

	assert(size >= 512 && pgno > 0);
	page_ad(ad, file_id, pgno);
	g->counter++;
	assert(g->counter != 0);
	memcpy(out + body, g->prefix, sizeof g->prefix);
	for (i = 0; i < 8; i++)
		out[body + 16 + i] = (uint8_t)(g->counter >> (8 * i));
	crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out, out + body + PAGE_NONCE, NULL,
	    in, body, ad, sizeof ad, NULL, out + body, key);
}

int
page_open(const uint8_t *key, const uint8_t *file_id, uint32_t pgno, const uint8_t *in,
    uint8_t *out, size_t size)
{
	uint8_t ad[FILE_ID_LEN + 8], nonce[PAGE_NONCE], tag[PAGE_TAG];
	size_t body = size - PAGE_RESERVE;

	assert(size >= 512);
	page_ad(ad, file_id, pgno);
	memcpy(nonce, in + body, PAGE_NONCE);
	memcpy(tag, in + body + PAGE_NONCE, PAGE_TAG);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(out, NULL, in, body, tag, ad,
	    sizeof ad, nonce, key) != 0) {
		sodium_memzero(out, size);
		return -1;
	}
	memset(out + body, 0, PAGE_RESERVE);
	return 0;
}
