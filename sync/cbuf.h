/* cbuf.h — a small CBOR writer (over libcbor's encoders) into a growing buffer, and a
 * strict, allocation-free CBOR reader for the subset the wire protocol uses: definite
 * lengths only, integers, byte and text strings, arrays, maps, booleans, null, doubles. */
#ifndef OUTPOST_CBUF_H
#define OUTPOST_CBUF_H

#include <stddef.h>
#include <stdint.h>

/* A growing byte buffer; err is set once any append failed (out of memory or over max). */
struct cbuf {
	uint8_t *p;
	size_t len, cap, max;
	int err;
};

/* Starts an empty buffer that refuses to grow past max bytes. */
void cbuf_init(struct cbuf *b, size_t max);
/* Frees the buffer's memory. */
void cbuf_free(struct cbuf *b);
void cbuf_uint(struct cbuf *b, uint64_t v);
void cbuf_int(struct cbuf *b, int64_t v);
void cbuf_bytes(struct cbuf *b, const void *p, size_t n);
void cbuf_text(struct cbuf *b, const char *s);
void cbuf_textn(struct cbuf *b, const char *s, size_t n);
void cbuf_array(struct cbuf *b, size_t n);
void cbuf_map(struct cbuf *b, size_t n);
void cbuf_bool(struct cbuf *b, int v);
void cbuf_null(struct cbuf *b);
void cbuf_double(struct cbuf *b, double v);
/* Appends raw bytes (an already encoded item). */
void cbuf_raw(struct cbuf *b, const void *p, size_t n);

/* The reader: a cursor over p[0..len). Every get returns 0 on success, -1 if the next
 * item is not of that type, is malformed, or runs past the end; the cursor then stays. */
struct cread {
	const uint8_t *p;
	size_t len, off;
};

enum cread_type {
	CR_UINT, CR_NEGINT, CR_BYTES, CR_TEXT, CR_ARRAY, CR_MAP, CR_BOOL, CR_NULL,
	CR_DOUBLE, CR_BAD
};

void cread_init(struct cread *r, const void *p, size_t len);
/* The type of the next item, CR_BAD if there is none or it is outside the subset. */
enum cread_type cread_peek(const struct cread *r);
int cread_uint(struct cread *r, uint64_t *v);
/* Any integer that fits an int64_t. */
int cread_int(struct cread *r, int64_t *v);
/* A byte or text string: *p points into the input (not NUL-terminated). */
int cread_bytes(struct cread *r, const uint8_t **p, size_t *n);
int cread_text(struct cread *r, const char **p, size_t *n);
/* Container headers: *n is the element (array) or pair (map) count, checked against
 * the bytes left so a forged count cannot make a caller loop or allocate beyond them. */
int cread_array(struct cread *r, size_t *n);
int cread_map(struct cread *r, size_t *n);
int cread_bool(struct cread *r, int *v);
int cread_null(struct cread *r);
/* A double, or an integer read as a double. */
int cread_double(struct cread *r, double *v);
/* Skips one whole item (nesting at most depth levels); -1 if malformed. */
int cread_skip(struct cread *r, int depth);
/* 1 when every byte has been read. */
int cread_done(const struct cread *r);

#endif
