/* header.h — the header in front of the pages: two 4 KiB copies (A at 0, B at 4096), each
 * with a sequence number, a checksum (to find a torn write) and a MAC under the key-wrapping
 * key (to find tampering), holding the file id, the wrapped data key and the key slots.
 * Layout in outpost(5). */
#ifndef OUTPOST_HEADER_H
#define OUTPOST_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/page.h"

#define HDR_COPY_SIZE 4096
#define HDR_SIZE (2 * HDR_COPY_SIZE)	/* SQLite's page 1 starts here */
#define HDR_MAGIC "OUTPOST"		/* 8 bytes with the NUL */
#define HDR_SLOTS 8
#define HDR_LABEL 32
#define HDR_SALT 16
#define KWK_LEN 32
#define WRAP_LEN (24 + 32 + 16)		/* nonce, wrapped key, tag */

enum slot_kind { SLOT_EMPTY = 0, SLOT_PASSPHRASE = 1, SLOT_RECOVERY = 2 };

struct hdr_slot {
	uint8_t kind;
	uint8_t kdf;			/* profile number, vault_kdf */
	uint64_t opslimit;
	uint64_t memlimit;
	uint8_t salt[HDR_SALT];
	char label[HDR_LABEL + 1];
	uint8_t wrapped[WRAP_LEN];	/* the key-wrapping key under this slot's key */
};

/* Header flags. INITIALISED: the database inside has been written (its page 1 reached the
 * main file), so a main file with no pages, or fewer than page 1 counts, was truncated.
 * Files made before the flag get it on their first open by a build that knows it. */
#define HDR_F_INITIALISED 0x1u

struct hdr {
	uint32_t version;
	uint32_t flags;			/* HDR_F_* (0 in files made before them) */
	uint64_t seq;
	uint32_t page_size;
	uint32_t reserve;
	uint8_t file_id[FILE_ID_LEN];
	uint8_t wrapped_dk[WRAP_LEN];	/* the data key under the key-wrapping key */
	struct hdr_slot slot[HDR_SLOTS];
};

/* What a read of the two copies found. */
struct hdr_state {
	int valid[2];		/* copy passed its checksum */
	int magic[2];		/* copy starts with the magic */
	int which;		/* the copy chosen (newest valid), or -1 */
	uint8_t image[2][HDR_COPY_SIZE];
};

/* Reads both copies from fd; fills st and, if a valid copy exists, h. Returns 0 if a valid
 * copy was found, -1 otherwise (st says what was seen), or HDR_IOERR with errno if a read
 * failed. */
#define HDR_IOERR (-2)
int hdr_read(int fd, struct hdr *h, struct hdr_state *st);
/* The same, for images already in st->image. */
int hdr_parse(struct hdr_state *st, struct hdr *h);
/* The file id one copy image names, if its magic, version, page size and reserve are
 * ours, without its checksum (which the unlock has checked): for choosing a key, where a
 * wrong id only makes every page fail. Returns 0, or -1 if the image is not a header. */
int hdr_peek(const uint8_t *image, uint8_t *file_id);
/* Verifies the MAC of the chosen copy (and of the other valid one) under kwk. Returns 0 if
 * the chosen copy is authentic; sets *other_bad if the other copy is missing or not. */
int hdr_verify(const struct hdr_state *st, const uint8_t *kwk, int *other_bad);
/* Writes h with seq+1 to both copies, the older first, each followed by fsync; on return
 * h->seq is the new sequence number. Returns 0 or -1 with errno. */
int hdr_write(int fd, struct hdr *h, const uint8_t *kwk);
/* Serialises h into one copy image with its MAC and checksum (for a new file). */
void hdr_encode(const struct hdr *h, const uint8_t *kwk, uint8_t image[HDR_COPY_SIZE]);

/* Wraps/unwraps a 32-byte key under a 32-byte key with XChaCha20-Poly1305; ad binds it. */
void key_wrap(const uint8_t *kek, const uint8_t *key, const uint8_t *ad, size_t adlen,
    uint8_t out[WRAP_LEN]);
int key_unwrap(const uint8_t *kek, const uint8_t in[WRAP_LEN], const uint8_t *ad, size_t adlen,
    uint8_t *key);

/* The associated data of a slot: its kind, profile, costs and salt, so none can be
 * changed (a cheaper cost, say) without the unwrap failing. */
size_t slot_ad(const struct hdr_slot *s, uint8_t ad[64]);
/* The associated data of the wrapped data key: the file id and the format version. */
size_t dk_ad(const struct hdr *h, uint8_t ad[32]);

#endif
