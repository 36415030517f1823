/* header.c — reading and writing the two header copies (see header.h). Integers are
 * little-endian on disk. */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/header.h"

/* Offsets inside one copy. */
#define O_MAGIC 0
#define O_VERSION 8
#define O_FLAGS 12
#define O_SEQ 16
#define O_PAGESIZE 24
#define O_RESERVE 28
#define O_FILEID 32
#define O_WRAPPED_DK 48
#define O_SLOTS 128
#define SLOT_SIZE 192
#define O_MAC (HDR_COPY_SIZE - 64)
#define O_SUM (HDR_COPY_SIZE - 32)

static void
put32(uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void
mac_key(const uint8_t *kwk, uint8_t out[32])
{
	crypto_kdf_derive_from_key(out, 32, 1, "hdr-mac_", kwk);
}

void
hdr_encode(const struct hdr *h, const uint8_t *kwk, uint8_t image[HDR_COPY_SIZE])
{
	uint8_t mk[32];
	int i;
	uint8_t *s;

	memset(image, 0, HDR_COPY_SIZE);
	memcpy(image + O_MAGIC, HDR_MAGIC, sizeof HDR_MAGIC);
	put32(image + O_VERSION, h->version);
	put32(image + O_FLAGS, h->flags);
	put64(image + O_SEQ, h->seq);
	put32(image + O_PAGESIZE, h->page_size);
	put32(image + O_RESERVE, h->reserve);
	memcpy(image + O_FILEID, h->file_id, FILE_ID_LEN);
	memcpy(image + O_WRAPPED_DK, h->wrapped_dk, WRAP_LEN);
	for (i = 0; i < HDR_SLOTS; i++) {
		s = image + O_SLOTS + i * SLOT_SIZE;
		if (h->slot[i].kind == SLOT_EMPTY)
			continue;
		s[0] = h->slot[i].kind;
		s[1] = h->slot[i].kdf;
		put64(s + 8, h->slot[i].opslimit);
		put64(s + 16, h->slot[i].memlimit);
		memcpy(s + 24, h->slot[i].salt, HDR_SALT);
		memcpy(s + 40, h->slot[i].label, strnlen(h->slot[i].label, HDR_LABEL));
		memcpy(s + 72, h->slot[i].wrapped, WRAP_LEN);
	}
	mac_key(kwk, mk);
	crypto_generichash(image + O_MAC, 32, image, O_MAC, mk, sizeof mk);
	sodium_memzero(mk, sizeof mk);
	crypto_generichash(image + O_SUM, 32, image, O_SUM, NULL, 0);
}

int
hdr_peek(const uint8_t *image, uint8_t *file_id)
{
	if (memcmp(image + O_MAGIC, HDR_MAGIC, sizeof HDR_MAGIC) != 0 ||
	    get32(image + O_VERSION) != FORMAT_VERSION ||
	    get32(image + O_PAGESIZE) != PAGE_SIZE || get32(image + O_RESERVE) != PAGE_RESERVE)
		return -1;
	memcpy(file_id, image + O_FILEID, FILE_ID_LEN);
	return 0;
}

static int
hdr_decode(const uint8_t *image, struct hdr *h)
{
	uint8_t sum[32];
	const uint8_t *s;
	int i;

	if (memcmp(image + O_MAGIC, HDR_MAGIC, sizeof HDR_MAGIC) != 0)
		return -1;
	crypto_generichash(sum, sizeof sum, image, O_SUM, NULL, 0);
	if (sodium_memcmp(sum, image + O_SUM, sizeof sum) != 0)
		return -1;
	memset(h, 0, sizeof *h);
	h->version = get32(image + O_VERSION);
	h->flags = get32(image + O_FLAGS);
	h->seq = get64(image + O_SEQ);
	h->page_size = get32(image + O_PAGESIZE);
	h->reserve = get32(image + O_RESERVE);
	memcpy(h->file_id, image + O_FILEID, FILE_ID_LEN);
	memcpy(h->wrapped_dk, image + O_WRAPPED_DK, WRAP_LEN);
	for (i = 0; i < HDR_SLOTS; i++) {
		s = image + O_SLOTS + i * SLOT_SIZE;
		h->slot[i].kind = s[0];
		if (s[0] == SLOT_EMPTY)
			continue;
		h->slot[i].kdf = s[1];
		h->slot[i].opslimit = get64(s + 8);
		h->slot[i].memlimit = get64(s + 16);
		memcpy(h->slot[i].salt, s + 24, HDR_SALT);
		memcpy(h->slot[i].label, s + 40, HDR_LABEL);
		h->slot[i].label[HDR_LABEL] = '\0';
		memcpy(h->slot[i].wrapped, s + 72, WRAP_LEN);
	}
	if (h->version != FORMAT_VERSION || h->page_size != PAGE_SIZE ||
	    h->reserve != PAGE_RESERVE)
		return -1;
	return 0;
}

/* Reads n bytes at off; a short file reads as zeros. Returns the count read, or -1 with
 * errno if the read failed. */
static int
pread_full(int fd, uint8_t *buf, size_t n, off_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(fd, buf + got, n - got, off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got < n)
		memset(buf + got, 0, n - got);
	return (int)got;
}

static int
pwrite_full(int fd, const uint8_t *buf, size_t n, off_t off)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = pwrite(fd, buf + done, n - done, off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

int
hdr_read(int fd, struct hdr *h, struct hdr_state *st)
{
	int i;

	for (i = 0; i < 2; i++)
		if (pread_full(fd, st->image[i], HDR_COPY_SIZE, (off_t)i * HDR_COPY_SIZE) < 0)
			return HDR_IOERR;
	return hdr_parse(st, h);
}

int
hdr_parse(struct hdr_state *st, struct hdr *h)
{
	struct hdr tmp[2];
	int i;

	memset(st->valid, 0, sizeof st->valid);
	memset(st->magic, 0, sizeof st->magic);
	st->which = -1;
	for (i = 0; i < 2; i++) {
		st->magic[i] = memcmp(st->image[i], HDR_MAGIC, sizeof HDR_MAGIC) == 0;
		st->valid[i] = hdr_decode(st->image[i], &tmp[i]) == 0;
	}
	/* Both copies name the same file; a pair that disagrees is not a torn write. */
	if (st->valid[0] && st->valid[1] &&
	    memcmp(tmp[0].file_id, tmp[1].file_id, FILE_ID_LEN) != 0)
		st->valid[1] = 0;
	for (i = 0; i < 2; i++)
		if (st->valid[i] && (st->which < 0 || tmp[i].seq > tmp[st->which].seq))
			st->which = i;
	if (st->which < 0)
		return -1;
	*h = tmp[st->which];
	return 0;
}

int
hdr_verify(const struct hdr_state *st, const uint8_t *kwk, int *other_bad)
{
	uint8_t mk[32], mac[32];
	int i, ok[2] = { 0, 0 };

	assert(st->which >= 0);
	mac_key(kwk, mk);
	for (i = 0; i < 2; i++) {
		if (!st->valid[i])
			continue;
		crypto_generichash(mac, sizeof mac, st->image[i], O_MAC, mk, sizeof mk);
		ok[i] = sodium_memcmp(mac, st->image[i] + O_MAC, sizeof mac) == 0;
	}
	sodium_memzero(mk, sizeof mk);
	if (other_bad != NULL)
		*other_bad = !ok[1 - st->which];
	return ok[st->which] ? 0 : -1;
}

int
hdr_write(int fd, struct hdr *h, const uint8_t *kwk)
{
	uint8_t image[HDR_COPY_SIZE];
	struct hdr old;
	struct hdr_state st;
	int first, rc;

	/* Overwrite the older (or broken) copy first: a crash then leaves the other intact. */
	first = 0;
	if ((rc = hdr_read(fd, &old, &st)) == HDR_IOERR)
		return -1;
	if (rc == 0)
		first = 1 - st.which;
	h->seq++;
	hdr_encode(h, kwk, image);
	if (pwrite_full(fd, image, HDR_COPY_SIZE, (off_t)first * HDR_COPY_SIZE) != 0 ||
	    fsync(fd) != 0)
		return -1;
	if (pwrite_full(fd, image, HDR_COPY_SIZE, (off_t)(1 - first) * HDR_COPY_SIZE) != 0 ||
	    fsync(fd) != 0)
		return -1;
	return 0;
}

void
key_wrap(const uint8_t *kek, const uint8_t *key, const uint8_t *ad, size_t adlen,
    uint8_t out[WRAP_LEN])
{
	randombytes_buf(out, 24);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 24, NULL, key, 32, ad, adlen, NULL,
	    out, kek);
}

int
key_unwrap(const uint8_t *kek, const uint8_t in[WRAP_LEN], const uint8_t *ad, size_t adlen,
    uint8_t *key)
{
	return crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL, in + 24,
	    WRAP_LEN - 24, ad, adlen, in, kek);
}

size_t
slot_ad(const struct hdr_slot *s, uint8_t ad[64])
{
	memset(ad, 0, 64);
	memcpy(ad, "slot", 4);
	ad[4] = s->kind;
	ad[5] = s->kdf;
	put64(ad + 8, s->opslimit);
	put64(ad + 16, s->memlimit);
	memcpy(ad + 24, s->salt, HDR_SALT);
	return 40;
}

size_t
dk_ad(const struct hdr *h, uint8_t ad[32])
{
	memset(ad, 0, 32);
	memcpy(ad, "dkey", 4);
	put32(ad + 4, h->version);
	memcpy(ad + 8, h->file_id, FILE_ID_LEN);
	return 24;
}
