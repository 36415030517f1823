/* batch.c — a batch of records on the wire: a CBOR array of [seq, kind, created_ms,
 * body] compressed as one zstd frame; and the content hash of one record. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zstd.h>

#include "sync/cbuf.h"
#include "sync/wire.h"

static void
le64(uint8_t out[8], uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

void
wire_record_hash(const char *uid, const struct wire_record *r, uint8_t hash[32])
{
	crypto_generichash_state st;
	uint8_t b[8];

	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, (const uint8_t *)uid, strlen(uid) + 1);
	le64(b, r->seq);
	crypto_generichash_update(&st, b, 8);
	crypto_generichash_update(&st, (const uint8_t *)r->kind, strlen(r->kind) + 1);
	le64(b, (uint64_t)r->created_ms);
	crypto_generichash_update(&st, b, 8);
	crypto_generichash_update(&st, (const uint8_t *)r->body, r->body_len);
	crypto_generichash_final(&st, hash, 32);
}

int
wire_body_check(const char *p, size_t n)
{
	if (n < 2 || n > WIRE_BODY_MAX || p[0] != '{' || !wire_utf8_ok(p, n))
		return -1;
	return 0;
}

int
wire_batch_encode(const struct wire_record *r, size_t n, uint8_t **out, size_t *len,
    struct err *e)
{
	struct cbuf b;
	size_t i, cap, z;
	uint8_t *dst;

	if (n > WIRE_BATCH_RECORDS)
		return err_set(e, E_INVALID, "%s", _("too many records for one batch"));
	cbuf_init(&b, WIRE_BATCH_RAW_MAX);
	cbuf_array(&b, n);
	for (i = 0; i < n; i++) {
		/* A record too large to carry (only a damaged logbook holds one) goes as an
		 * empty body, which the receiver puts aside: its seq still arrives, so the
		 * batches after it are never held up. */
		int whole = r[i].body_len <= WIRE_BODY_MAX && strlen(r[i].kind) <= WIRE_KIND_MAX &&
		    strlen(r[i].kind) > 0;

		cbuf_array(&b, 4);
		cbuf_uint(&b, r[i].seq);
		cbuf_text(&b, whole ? r[i].kind : "?");
		cbuf_int(&b, r[i].created_ms);
		cbuf_textn(&b, whole ? r[i].body : "", whole ? r[i].body_len : 0);
	}
	if (b.err) {
		cbuf_free(&b);
		return err_set(e, E_INVALID, "%s", _("batch too large"));
	}
	cap = ZSTD_compressBound(b.len);
	if ((dst = malloc(cap)) == NULL) {
		cbuf_free(&b);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	z = ZSTD_compress(dst, cap, b.p, b.len, 3);
	cbuf_free(&b);
	if (ZSTD_isError(z)) {
		free(dst);
		return err_set(e, E_IO, "compression failed: %s", ZSTD_getErrorName(z));
	}
	*out = dst;
	*len = z;
	return E_OK;
}

int
wire_batch_decode(const uint8_t *body, size_t len, struct wire_record **recs, size_t *n,
    uint8_t **raw, struct err *e)
{
	unsigned long long size;
	struct wire_record *v = NULL;
	struct cread r;
	uint8_t *buf = NULL;
	size_t z, count, i, fields, kl;
	const char *k;

	*recs = NULL;
	*raw = NULL;
	*n = 0;
	if (len == 0 || ZSTD_findFrameCompressedSize(body, len) != len)
		return err_set(e, E_INVALID, "%s", "batch is not one compressed frame");
	size = ZSTD_getFrameContentSize(body, len);
	if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR)
		return err_set(e, E_INVALID, "%s", "batch frame without a size");
	if (size > WIRE_BATCH_RAW_MAX || size == 0)
		return err_set(e, E_INVALID, "%s", "batch too large when decompressed");
	if ((buf = malloc((size_t)size)) == NULL)
		return err_set(e, E_IO, "%s", "out of memory");
	z = ZSTD_decompress(buf, (size_t)size, body, len);
	if (ZSTD_isError(z) || z != size)
		goto bad;
	cread_init(&r, buf, z);
	if (cread_array(&r, &count) != 0 || count > WIRE_BATCH_RECORDS)
		goto bad;
	if ((v = calloc(count ? count : 1, sizeof *v)) == NULL) {
		free(buf);
		return err_set(e, E_IO, "%s", "out of memory");
	}
	/* The batch's shape is checked strictly; a record whose kind or body is not what a
	 * record can be (not UTF-8, not an object) is kept, marked bad, for the receiver to
	 * put aside: one bad record never stops the rest. */
	for (i = 0; i < count; i++) {
		if (cread_array(&r, &fields) != 0 || fields != 4 ||
		    cread_uint(&r, &v[i].seq) != 0 || v[i].seq == 0 ||
		    v[i].seq > (uint64_t)INT64_MAX ||
		    cread_text(&r, &k, &kl) != 0 || kl == 0 || kl > WIRE_KIND_MAX ||
		    cread_int(&r, &v[i].created_ms) != 0 ||
		    cread_text(&r, &v[i].body, &v[i].body_len) != 0 ||
		    v[i].body_len > WIRE_BODY_MAX)
			goto bad;
		memcpy(v[i].kind, k, kl);
		v[i].kind[kl] = '\0';
		v[i].bad = !wire_utf8_ok(k, kl) || wire_body_check(v[i].body, v[i].body_len) != 0;
		if (i > 0 && v[i].seq <= v[i - 1].seq)
			goto bad;
	}
	if (!cread_done(&r))
		goto bad;
	*recs = v;
	*n = count;
	*raw = buf;
	return E_OK;
bad:
	free(v);
	free(buf);
	return err_set(e, E_INVALID, "%s", "malformed batch");
}
