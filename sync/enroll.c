/* enroll.c — a station's enrollment: connect with the token's one-time key, hand the hub
 * the station's own new public keys, and keep the hub's key pinned from then on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <zmq.h>

#include "base/mono.h"
#include "sync/client.h"
#include "sync/link.h"
#include "sync/token.h"


int
sync_enroll(const char *token, const char *uid, int timeout_ms, struct identity **out,
    struct err *e)
{
	struct token *t = NULL;
	struct identity *id = NULL;
	struct link_opts lo;
	struct link *l = NULL;
	struct wire_msg m;
	uint8_t epk[32], *buf;
	void *ctx = NULL;
	int64_t end;
	int rc, ei = 0, ecount;
	char ep[TOKEN_ENDPOINT_MAX + 1];

	*out = NULL;
	if ((t = sodium_malloc(sizeof *t)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if ((rc = token_decode(token, t, e)) != E_OK)
		goto out;
	if (strlen(uid) != WIRE_STATION_UID) {
		rc = err_set(e, E_INVALID, "%s", "not a station id");
		goto out;
	}
	if ((rc = identity_new(&id, e)) != E_OK)
		goto out;
	crypto_scalarmult_base(epk, t->enroll_sk);
	if ((ctx = zmq_ctx_new()) == NULL) {
		rc = err_set(e, E_IO, "%s", "cannot start ZeroMQ");
		goto out;
	}
	/* Each hub process the token lists in turn, until one answers. */
again:
	ecount = link_endpoint(t->endpoint, ei, ep, sizeof ep);
	memset(&lo, 0, sizeof lo);
	lo.endpoint = ep;
	lo.hub_pk = t->hub_pk;
	lo.pk = epk;
	lo.sk = t->enroll_sk;
	if ((rc = link_open(ctx, &lo, &l, e)) != E_OK)
		goto out;
	memset(&m, 0, sizeof m);
	m.type = WIRE_ENROLL;
	m.req_id = 1;
	memcpy(m.u.enroll.curve_pk, id->curve_pk, 32);
	memcpy(m.u.enroll.sign_pk, id->sign_pk, 32);
	snprintf(m.u.enroll.station_uid, sizeof m.u.enroll.station_uid, "%s", uid);
	if ((rc = link_send(l, &m, e)) != E_OK)
		goto out;
	end = mono_ms() + timeout_ms;
	for (;;) {
		int64_t left = end - mono_ms();
		if (link_state(l) == LINK_REFUSED) {
			rc = err_set(e, E_LOCKED, "%s",
			    _("the hub refused the token (used already, revoked, or unknown)"));
			goto out;
		}
		if (link_state(l) == LINK_UNAVAILABLE) {
			rc = err_set(e, E_IO, "%s", _("hub temporarily unavailable; the token "
			    "is still good, try again later"));
			goto out;
		}
		if (left <= 0 && link_state(l) != LINK_BAD_PEER && ++ei < ecount) {
			link_close(l);
			l = NULL;
			goto again;
		}
		if (left <= 0) {
			rc = link_state(l) == LINK_BAD_PEER ?
			    err_set(e, E_IO, "%s", _("the handshake failed: the peer is not the hub "
			    "of this token")) :
			    err_set(e, E_IO, _("the hub at %s did not answer"), ep);
			goto out;
		}
		rc = link_recv(l, left > 200 ? 200 : (int)left, &m, &buf, e);
		if (rc == 1)
			continue;
		if (rc != E_OK)
			goto out;
		if (m.req_id != 1) {
			wire_msg_free(&m);
			free(buf);
			continue;
		}
		break;
	}
	if (m.type == WIRE_ERROR)
		rc = err_set(e, E_LOCKED, _("the hub refused the enrollment: %s"), m.u.error.text);
	else if (m.type != WIRE_ENROLL_OK)
		rc = err_set(e, E_IO, "%s", "unexpected answer from the hub");
	else {
		snprintf(id->endpoint, sizeof id->endpoint, "%s", t->endpoint);
		memcpy(id->hub_pk, t->hub_pk, 32);
		id->hub_id = m.u.enroll_ok.station_id;
		snprintf(id->name, sizeof id->name, "%.64s", m.u.enroll_ok.name);
		*out = id;
		id = NULL;
		rc = E_OK;
	}
	wire_msg_free(&m);
	free(buf);
out:
	link_close(l);
	if (ctx != NULL)
		zmq_ctx_term(ctx);
	identity_free(id);
	sodium_memzero(epk, sizeof epk);
	sodium_free(t);
	return rc;
}
