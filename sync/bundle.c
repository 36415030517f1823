/* bundle.c — see bundle.h. File: magic ‖ version byte ‖ crypto_box_seal(station CURVE
 * public key ‖ crypto_sign(payload)); payload a CBOR map {0: version, 1: hub public key,
 * 2: station id, 3: written at (ms), 4: [batch, …]} with batches as on the wire. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "sync/bundle.h"
#include "sync/cbuf.h"
#include "storage/clock.h"
#include "sync/wire.h"

#define HDR BUNDLE_HDR

/* Records gathered into one batch at a time. */
struct gather {
	struct wire_record r[1024];
	char *bodies[1024];
	size_t n;
};

static int
gather_one(const struct wire_record *r, void *arg)
{
	struct gather *g = arg;

	if (g->n == 1024)
		return 1;
	if ((g->bodies[g->n] = malloc(r->body_len + 1)) == NULL)
		return 1;
	memcpy(g->bodies[g->n], r->body, r->body_len);
	g->r[g->n] = *r;
	g->r[g->n].body = g->bodies[g->n];
	g->n++;
	return 0;
}

static void
gather_clear(struct gather *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->bodies[i]);
	g->n = 0;
}

static int
write_file(const char *path, const uint8_t *p, size_t n, struct err *e)
{
	int fd;
	size_t off = 0;
	ssize_t w;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return err_set(e, errno == EEXIST ? E_USAGE : E_IO, _("cannot create %s: %s"),
		    path, strerror(errno));
	while (off < n) {
		if ((w = write(fd, p + off, n - off)) < 0) {
			if (errno == EINTR)
				continue;
			err_set(e, E_IO, _("cannot write %s: %s"), path, strerror(errno));
			close(fd);
			unlink(path);
			return E_IO;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		err_set(e, E_IO, _("cannot write %s: %s"), path, strerror(errno));
		unlink(path);
		return E_IO;
	}
	return E_OK;
}

int
bundle_write(const struct identity *id, const struct sync_source *src, const char *path,
    struct bundle_info *info, struct err *e)
{
	struct gather *g;
	struct cbuf pay, batches;
	uint8_t *body, *signed_msg = NULL, *inner = NULL, *file = NULL;
	unsigned long long slen;
	size_t len, nbatches = 0, ilen, flen;
	int64_t after = src->acked(src->arg);
	int rc = E_OK;

	memset(info, 0, sizeof *info);
	if ((g = calloc(1, sizeof *g)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	cbuf_init(&batches, BUNDLE_MAX);
	for (;;) {
		if ((rc = src->read(src->arg, after, 1024, 0, gather_one, g, e)) != E_OK)
			goto out;
		if (g->n == 0)
			break;
		if ((rc = wire_batch_encode(g->r, g->n, &body, &len, e)) != E_OK)
			goto out;
		cbuf_bytes(&batches, body, len);
		free(body);
		if (info->seq_from == 0)
			info->seq_from = (int64_t)g->r[0].seq;
		info->seq_to = (int64_t)g->r[g->n - 1].seq;
		info->records += g->n;
		after = info->seq_to;
		nbatches++;
		gather_clear(g);
		if (batches.err) {
			rc = err_set(e, E_INVALID, "%s", _("too many records for one bundle"));
			goto out;
		}
	}
	cbuf_init(&pay, BUNDLE_MAX);
	cbuf_map(&pay, 5);
	cbuf_uint(&pay, 0);
	cbuf_uint(&pay, BUNDLE_VERSION);
	cbuf_uint(&pay, 1);
	cbuf_bytes(&pay, id->hub_pk, 32);
	cbuf_uint(&pay, 2);
	cbuf_text(&pay, src->uid(src->arg));
	cbuf_uint(&pay, 3);
	cbuf_int(&pay, clock_now_ms());
	cbuf_uint(&pay, 4);
	cbuf_array(&pay, nbatches);
	cbuf_raw(&pay, batches.p, batches.len);
	if (pay.err) {
		cbuf_free(&pay);
		rc = err_set(e, E_INVALID, "%s", _("too many records for one bundle"));
		goto out;
	}
	ilen = 32 + crypto_sign_BYTES + pay.len;
	flen = HDR + crypto_box_SEALBYTES + ilen;
	if ((inner = malloc(ilen)) == NULL || (file = malloc(flen)) == NULL) {
		cbuf_free(&pay);
		rc = err_set(e, E_IO, "%s", _("out of memory"));
		goto out;
	}
	memcpy(inner, id->curve_pk, 32);
	/* Neither may fail silently: the file would hold uninitialised memory. */
	if (crypto_sign(inner + 32, &slen, pay.p, pay.len, id->sign_sk) != 0 ||
	    slen != crypto_sign_BYTES + pay.len) {
		cbuf_free(&pay);
		rc = err_set(e, E_IO, "%s", _("cannot sign the bundle"));
		goto out;
	}
	cbuf_free(&pay);
	memcpy(file, BUNDLE_MAGIC, HDR - 1);
	file[HDR - 1] = BUNDLE_VERSION;
	if (crypto_box_seal(file + HDR, inner, ilen, id->hub_pk) != 0) {
		rc = err_set(e, E_INVALID, "%s",
		    _("cannot seal the bundle to the hub's key: the hub key this station "
		      "enrolled with is not a usable key (enroll again)"));
		goto out;
	}
	rc = write_file(path, file, flen, e);
out:
	gather_clear(g);
	free(g);
	cbuf_free(&batches);
	free(signed_msg);
	if (inner != NULL) {
		sodium_memzero(inner, ilen);
		free(inner);
	}
	free(file);
	return rc;
}

int
bundle_read(const char *path, uint8_t **out, size_t *len, struct err *e)
{
	struct stat sb;
	uint8_t *p;
	size_t off = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set(e, E_USAGE, _("cannot open %s: %s"), path, strerror(errno));
	if (fstat(fd, &sb) != 0 || sb.st_size < 0 || (uint64_t)sb.st_size > BUNDLE_MAX) {
		close(fd);
		return err_set(e, E_INVALID, "%s", _("not a bundle (too large)"));
	}
	if ((p = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	while (off < (size_t)sb.st_size) {
		r = read(fd, p + off, (size_t)sb.st_size - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	close(fd);
	*out = p;
	*len = off;
	return E_OK;
}
