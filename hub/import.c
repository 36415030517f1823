/* import.c — outpost-hub import's work: a station's USB bundle (sync/bundle.h) opened with
 * the hub's key pair, its signature checked against the station it names, then every batch
 * stored through the same ingest as PUSH. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hub/import.h"
#include "hub/server.h"
#include "sync/bundle.h"
#include "sync/cbuf.h"
#include "sync/wire.h"

int
bundle_import(struct hub_store *store, const char *path, struct bundle_info *info, struct err *e)
{
	uint8_t *file = NULL, *inner = NULL, *pay = NULL, pk[32], *sk = NULL;
	const uint8_t *hpk, *b;
	unsigned long long plen;
	struct hub_station st;
	struct cread r;
	struct hub_ingest res;
	struct {
		struct wire_record *r;
		uint8_t *raw;
		size_t n;
	} *bat = NULL;
	const char *uid;
	size_t flen = 0, ilen = 0, n, nb = 0, i, k, ulen, bl;
	uint64_t key, ver;
	int64_t written;
	int rc;

	memset(info, 0, sizeof *info);
	if ((rc = bundle_read(path, &file, &flen, e)) != E_OK)
		return rc;
	if (flen < BUNDLE_HDR + crypto_box_SEALBYTES + 32 + crypto_sign_BYTES ||
	    memcmp(file, BUNDLE_MAGIC, BUNDLE_HDR - 1) != 0 || file[BUNDLE_HDR - 1] != BUNDLE_VERSION) {
		rc = err_set(e, E_INVALID, "%s", _("not an outpost bundle"));
		goto out;
	}
	if ((rc = hubstore_keys_load(store, pk, &sk, e)) != E_OK)
		goto out;
	ilen = flen - BUNDLE_HDR - crypto_box_SEALBYTES;
	if ((inner = malloc(ilen)) == NULL || (pay = malloc(ilen)) == NULL) {
		rc = err_set(e, E_IO, "%s", _("out of memory"));
		goto out;
	}
	if (crypto_box_seal_open(inner, file + BUNDLE_HDR, flen - BUNDLE_HDR, pk, sk) != 0) {
		rc = err_set(e, E_INVALID, "%s",
		    _("the bundle does not open with this hub's key (damaged, or for another hub)"));
		goto out;
	}
	if (hubstore_station_by_key(store, inner, 0, &st, NULL) != E_OK) {
		rc = err_set(e, E_INVALID, "%s", _("the bundle comes from a station this hub does not know"));
		goto out;
	}
	if (st.status != HUB_ACTIVE) {
		rc = err_set(e, E_LOCKED, _("station %s is revoked; its bundle is refused"), st.name);
		goto out;
	}
	if (crypto_sign_open(pay, &plen, inner + 32, ilen - 32, st.sign_pk) != 0) {
		rc = err_set(e, E_INVALID, "%s", _("the bundle's signature does not verify"));
		goto out;
	}
	/* the signed payload: strict, like any message */
	cread_init(&r, pay, (size_t)plen);
	if (cread_map(&r, &n) != 0 || n != 5 ||
	    cread_uint(&r, &key) != 0 || key != 0 || cread_uint(&r, &ver) != 0 ||
	    ver != BUNDLE_VERSION ||
	    cread_uint(&r, &key) != 0 || key != 1 || cread_bytes(&r, &hpk, &bl) != 0 || bl != 32 ||
	    cread_uint(&r, &key) != 0 || key != 2 || cread_text(&r, &uid, &ulen) != 0 ||
	    cread_uint(&r, &key) != 0 || key != 3 || cread_int(&r, &written) != 0 ||
	    cread_uint(&r, &key) != 0 || key != 4 || cread_array(&r, &nb) != 0) {
		rc = err_set(e, E_INVALID, "%s", _("malformed bundle"));
		goto out;
	}
	if (sodium_memcmp(hpk, pk, 32) != 0 || ulen != strlen(st.uid) ||
	    memcmp(uid, st.uid, ulen) != 0) {
		rc = err_set(e, E_INVALID, "%s", _("the bundle names another hub or station"));
		goto out;
	}
	if ((bat = calloc(nb ? nb : 1, sizeof *bat)) == NULL) {
		rc = err_set(e, E_IO, "%s", _("out of memory"));
		goto out;
	}
	/* decode every batch before storing anything */
	for (i = 0; i < nb; i++) {
		if (cread_bytes(&r, &b, &bl) != 0 ||
		    wire_batch_decode(b, bl, &bat[i].r, &bat[i].n, &bat[i].raw, e) != E_OK ||
		    bat[i].n == 0 ||
		    (i > 0 && bat[i].r[0].seq <= bat[i - 1].r[bat[i - 1].n - 1].seq)) {
			rc = err_set(e, E_INVALID, "%s", _("malformed bundle"));
			goto out;
		}
	}
	if (!cread_done(&r)) {
		rc = err_set(e, E_INVALID, "%s", _("malformed bundle"));
		goto out;
	}
	snprintf(info->station, sizeof info->station, "%s", st.name);
	for (i = 0; i < nb; i++) {
		if ((rc = hubstore_ingest(store, &st, bat[i].r, bat[i].n, hub_now_ms(), &res, e)) !=
		    E_OK)
			goto out;
		if (i == 0)
			info->seq_from = (int64_t)bat[i].r[0].seq;
		info->seq_to = (int64_t)bat[i].r[bat[i].n - 1].seq;
		info->records += bat[i].n;
		info->inserted += res.inserted;
		info->duplicates += res.duplicates;
		info->conflicts += res.nconflicts;
		info->quarantined += res.quarantined;
		free(res.conflicts);
	}
	rc = E_OK;
out:
	for (k = 0; bat != NULL && k < nb; k++) {
		free(bat[k].r);
		free(bat[k].raw);
	}
	free(bat);
	if (sk != NULL)
		sodium_free(sk);
	if (inner != NULL) {
		sodium_memzero(inner, ilen);
		free(inner);
	}
	if (pay != NULL) {
		sodium_memzero(pay, ilen);
		free(pay);
	}
	free(file);
	return rc;
}
