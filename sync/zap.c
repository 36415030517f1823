/* zap.c — see zap.h. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "sync/zap.h"

struct zap {
	void *sock;
	pthread_t thread;
	_Atomic int stop;
	zap_authorize_fn fn;
	void *arg;
	_Atomic unsigned long failures; /* replies that could not be sent */
};

void
zap_key_hex(const uint8_t pk[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[pk[i] >> 4];
		hex[2 * i + 1] = digits[pk[i] & 15];
	}
	hex[64] = '\0';
}

static int
nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
zap_hex_key(const char *hex, size_t len, uint8_t pk[32])
{
	int i, a, b;

	if (len != 64)
		return -1;
	for (i = 0; i < 32; i++) {
		if ((a = nibble(hex[2 * i])) < 0 || (b = nibble(hex[2 * i + 1])) < 0)
			return -1;
		pk[i] = (uint8_t)(a << 4 | b);
	}
	return 0;
}

#define ZAP_FRAMES 7	/* version, request id, domain, address, identity, mechanism, key */

/* One frame of a reply, sent again if a signal cut it; -1 if it could not be sent. */
static int
zap_frame(void *s, const void *p, size_t n, int flags)
{
	int rc;

	do
		rc = zmq_send(s, p, n, flags);
	while (rc < 0 && zmq_errno() == EINTR);
	return rc < 0 ? -1 : 0;
}

/* Answers request reqid; -1 if any frame could not be sent (the client's handshake then
 * times out and it tries again; the failure is counted, see zap_failures). */
static int
zap_reply(void *s, const zmq_msg_t *reqid, const char *code, const char *text,
    const char *user)
{
	zmq_msg_t id;
	int rc;

	if (zap_frame(s, "1.0", 3, ZMQ_SNDMORE) != 0)
		return -1;
	if (zmq_msg_init(&id) != 0)
		return -1;
	if (zmq_msg_copy(&id, (zmq_msg_t *)reqid) != 0) {
		zmq_msg_close(&id);
		return -1;
	}
	do
		rc = zmq_msg_send(&id, s, ZMQ_SNDMORE);
	while (rc < 0 && zmq_errno() == EINTR);
	zmq_msg_close(&id);
	if (rc < 0 || zap_frame(s, code, strlen(code), ZMQ_SNDMORE) != 0 ||
	    zap_frame(s, text, strlen(text), ZMQ_SNDMORE) != 0 ||
	    zap_frame(s, user, strlen(user), ZMQ_SNDMORE) != 0 || zap_frame(s, "", 0, 0) != 0)
		return -1;
	return 0;
}

static int
frame_is(const zmq_msg_t *m, const char *s)
{
	size_t n = strlen(s);

	return zmq_msg_size((zmq_msg_t *)m) == n && memcmp(zmq_msg_data((zmq_msg_t *)m), s, n) == 0;
}

/* Reads one request (all its frames) and answers it. */
static void
zap_handle(struct zap *z)
{
	zmq_msg_t f[ZAP_FRAMES + 1];
	int n = 0, more = 1, i, verdict = ZAP_DENY, rc;
	char hex[65];

	while (more && n <= ZAP_FRAMES) {
		zmq_msg_init(&f[n]);
		if (zmq_msg_recv(&f[n], z->sock, 0) < 0) {
			zmq_msg_close(&f[n]);
			goto out;
		}
		more = zmq_msg_more(&f[n]);
		n++;
	}
	while (more) {	/* drain an over-long request */
		zmq_msg_t extra;
		zmq_msg_init(&extra);
		if (zmq_msg_recv(&extra, z->sock, 0) < 0)
			more = 0;
		else
			more = zmq_msg_more(&extra);
		zmq_msg_close(&extra);
		n = ZAP_FRAMES + 2;
	}
	if (n < 2)
		goto out;	/* cannot even say which request: nothing to answer */
	if (n == ZAP_FRAMES && frame_is(&f[0], "1.0") && frame_is(&f[2], ZAP_DOMAIN) &&
	    frame_is(&f[5], "CURVE") && zmq_msg_size(&f[6]) == 32) {
		const uint8_t *pk = zmq_msg_data(&f[6]);
		zap_key_hex(pk, hex);
		verdict = z->fn(pk, z->arg);
	}
	if (verdict == ZAP_ALLOW)
		rc = zap_reply(z->sock, &f[1], "200", "OK", hex);
	else if (verdict == ZAP_UNAVAILABLE)
		rc = zap_reply(z->sock, &f[1], "500", "hub store unavailable", "");
	else
		rc = zap_reply(z->sock, &f[1], "400", "not authorized", "");
	if (rc != 0)
		z->failures++;
out:
	for (i = 0; i < n && i <= ZAP_FRAMES; i++)
		zmq_msg_close(&f[i]);
}

static void *
zap_main(void *arg)
{
	struct zap *z = arg;
	zmq_pollitem_t it = { z->sock, 0, ZMQ_POLLIN, 0 };

	while (!z->stop) {
		if (zmq_poll(&it, 1, 100) > 0 && (it.revents & ZMQ_POLLIN))
			zap_handle(z);
	}
	return NULL;
}

int
zap_start(void *zctx, zap_authorize_fn fn, void *arg, struct zap **out, struct err *e)
{
	struct zap *z;
	int linger = 0;

	if ((z = calloc(1, sizeof *z)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	z->fn = fn;
	z->arg = arg;
	if ((z->sock = zmq_socket(zctx, ZMQ_REP)) == NULL ||
	    zmq_setsockopt(z->sock, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
	    zmq_bind(z->sock, "inproc://zeromq.zap.01") != 0) {
		err_set(e, E_IO, "ZAP handler: %s", zmq_strerror(zmq_errno()));
		if (z->sock != NULL)
			zmq_close(z->sock);
		free(z);
		return E_IO;
	}
	if (pthread_create(&z->thread, NULL, zap_main, z) != 0) {
		zmq_close(z->sock);
		free(z);
		return err_set(e, E_IO, "%s", "ZAP handler: cannot start its thread");
	}
	*out = z;
	return E_OK;
}

unsigned long
zap_failures(struct zap *z)
{
	return z != NULL ? z->failures : 0;
}

void
zap_stop(struct zap *z)
{
	if (z == NULL)
		return;
	z->stop = 1;
	pthread_join(z->thread, NULL);
	zmq_close(z->sock);
	free(z);
}
