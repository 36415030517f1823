/* page.h — sealing one page image with XChaCha20-Poly1305-IETF. The last PAGE_RESERVE bytes
 * of every page hold the nonce and the tag; the associated data binds the file id, the page
 * number and the format version, so a page cannot be moved or carried to another file. */
#ifndef OUTPOST_PAGE_H
#define OUTPOST_PAGE_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096
#define PAGE_NONCE 24
#define PAGE_TAG 16
#define PAGE_RESERVE (PAGE_NONCE + PAGE_TAG)	/* 40 */
#define FILE_ID_LEN 16
#define DATA_KEY_LEN 32
#define FORMAT_VERSION 1

/* Nonces without a system call per page: 16 random bytes drawn once per open file, then a
 * 64-bit counter. Two opens collide with probability 2^-128; a counter never repeats. */
struct page_nonce {
	uint8_t prefix[16];
	uint64_t counter;
};
void page_nonce_init(struct page_nonce *g);

/* Seals the first size - PAGE_RESERVE bytes of in into out (size bytes) under key with the
 * next nonce of g. in and out may be the same buffer. */
void page_seal(const uint8_t *key, const uint8_t *file_id, uint32_t pgno, const uint8_t *in,
    uint8_t *out, size_t size, struct page_nonce *g);
/* Opens a sealed page image in place into out (the reserve area is zeroed). Returns 0, or
 * -1 if the page failed authentication (out is then zeroed, never garbage). */
int page_open(const uint8_t *key, const uint8_t *file_id, uint32_t pgno, const uint8_t *in,
    uint8_t *out, size_t size);

#endif
