/* link.c — see link.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "sync/link.h"

struct link {
	void *sock, *mon;
	int state;
	int failures;	/* handshakes failed before any succeeded */
};

/* A cut link also fails handshakes now and then; a peer with the wrong key fails every
 * one, at the reconnect pace (10 a second). */
#define BAD_PEER_FAILURES 8

static int
setopt(void *s, int opt, int v)
{
	return zmq_setsockopt(s, opt, &v, sizeof v);
}

int
link_open(void *zctx, const struct link_opts *o, struct link **out, struct err *e)
{
	static _Atomic unsigned long serial;
	char monep[64];
	struct link *l;
	int hb = o->heartbeat_ms > 0 ? o->heartbeat_ms : 10000;
	int64_t maxmsg = 4 * (int64_t)WIRE_MSG_MAX;

	if ((l = calloc(1, sizeof *l)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	snprintf(monep, sizeof monep, "inproc://outpost-link-%p-%lu", (void *)l, ++serial);
	if ((l->sock = zmq_socket(zctx, ZMQ_DEALER)) == NULL ||
	    zmq_setsockopt(l->sock, ZMQ_CURVE_SERVERKEY, o->hub_pk, 32) != 0 ||
	    zmq_setsockopt(l->sock, ZMQ_CURVE_PUBLICKEY, o->pk, 32) != 0 ||
	    zmq_setsockopt(l->sock, ZMQ_CURVE_SECRETKEY, o->sk, 32) != 0 ||
	    setopt(l->sock, ZMQ_LINGER, 0) != 0 ||
	    setopt(l->sock, ZMQ_RECONNECT_IVL, 100) != 0 ||
	    setopt(l->sock, ZMQ_RECONNECT_IVL_MAX, 0) != 0 ||
	    setopt(l->sock, ZMQ_HEARTBEAT_IVL, hb) != 0 ||
	    setopt(l->sock, ZMQ_HEARTBEAT_TTL, 3 * hb < 60000 ? 3 * hb : 60000) != 0 ||
	    setopt(l->sock, ZMQ_HEARTBEAT_TIMEOUT, 3 * hb) != 0 ||
	    setopt(l->sock, ZMQ_CONNECT_TIMEOUT, 5000) != 0 ||
	    setopt(l->sock, ZMQ_HANDSHAKE_IVL, 5000) != 0 ||
	    zmq_setsockopt(l->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg) != 0 ||
	    zmq_socket_monitor(l->sock, monep, ZMQ_EVENT_HANDSHAKE_SUCCEEDED |
	    ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
	    ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_DISCONNECTED) != 0 ||
	    (l->mon = zmq_socket(zctx, ZMQ_PAIR)) == NULL ||
	    setopt(l->mon, ZMQ_LINGER, 0) != 0 ||
	    zmq_connect(l->mon, monep) != 0) {
		err_set(e, E_IO, "link: %s", zmq_strerror(zmq_errno()));
		link_close(l);
		return E_IO;
	}
	if (zmq_connect(l->sock, o->endpoint) != 0) {
		err_set(e, E_USAGE, _("bad hub address %s: %s"), o->endpoint,
		    zmq_strerror(zmq_errno()));
		link_close(l);
		return E_USAGE;
	}
	*out = l;
	return E_OK;
}

/* Reads the monitor's pending events: [u16 event, u32 value][address]. */
static void
link_events(struct link *l)
{
	zmq_msg_t m;
	uint16_t ev;
	uint32_t value;
	int more;

	for (;;) {
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, l->mon, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			return;
		}
		more = zmq_msg_more(&m);
		if (zmq_msg_size(&m) >= 6) {
			memcpy(&ev, zmq_msg_data(&m), 2);
			memcpy(&value, (const char *)zmq_msg_data(&m) + 2, 4);
			if (ev == ZMQ_EVENT_HANDSHAKE_SUCCEEDED &&
			    (l->state == LINK_CONNECTING || l->state == LINK_UNAVAILABLE))
				l->state = LINK_UP;
			else if (ev == ZMQ_EVENT_DISCONNECTED && l->state == LINK_UP)
				l->state = LINK_LOST;
			/* the ZAP status code: 400 refused; 300 or 500 the hub could not tell */
			else if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH && (value == 300 ||
			    value == 500) && l->state != LINK_REFUSED)
				l->state = LINK_UNAVAILABLE;
			else if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
				l->state = LINK_REFUSED;
			else if ((ev == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL ||
			    ev == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) &&
			    l->state == LINK_CONNECTING && ++l->failures >= BAD_PEER_FAILURES)
				l->state = LINK_BAD_PEER;
		}
		zmq_msg_close(&m);
		while (more) {
			zmq_msg_init(&m);
			more = zmq_msg_recv(&m, l->mon, ZMQ_DONTWAIT) >= 0 && zmq_msg_more(&m);
			zmq_msg_close(&m);
		}
	}
}

int
link_state(const struct link *l)
{
	link_events((struct link *)l);
	return l->state;
}

int
link_send(struct link *l, const struct wire_msg *m, struct err *e)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if ((rc = wire_encode(m, &buf, &len, e)) != E_OK)
		return rc;
	rc = zmq_send(l->sock, buf, len, ZMQ_DONTWAIT);
	free(buf);
	if (rc < 0)
		return err_set(e, E_IO, "send: %s", zmq_strerror(zmq_errno()));
	return E_OK;
}

int
link_recv(struct link *l, int timeout_ms, struct wire_msg *m, uint8_t **buf, struct err *e)
{
	zmq_pollitem_t it[2] = { { l->sock, 0, ZMQ_POLLIN, 0 }, { l->mon, 0, ZMQ_POLLIN, 0 } };
	zmq_msg_t msg;
	int code, rc, more;

	*buf = NULL;
	if (zmq_poll(it, 2, timeout_ms) < 0 && zmq_errno() != EINTR)
		return err_set(e, E_IO, "poll: %s", zmq_strerror(zmq_errno()));
	if (it[1].revents & ZMQ_POLLIN)
		link_events(l);
	if (!(it[0].revents & ZMQ_POLLIN))
		return 1;
	zmq_msg_init(&msg);
	if (zmq_msg_recv(&msg, l->sock, ZMQ_DONTWAIT) < 0) {
		zmq_msg_close(&msg);
		return 1;
	}
	more = zmq_msg_more(&msg);
	while (more) {	/* the hub sends one frame; drop anything else */
		zmq_msg_t x;
		zmq_msg_init(&x);
		more = zmq_msg_recv(&x, l->sock, ZMQ_DONTWAIT) >= 0 && zmq_msg_more(&x);
		zmq_msg_close(&x);
	}
	if ((*buf = malloc(zmq_msg_size(&msg) + 1)) == NULL) {
		zmq_msg_close(&msg);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	memcpy(*buf, zmq_msg_data(&msg), zmq_msg_size(&msg));
	rc = wire_decode(*buf, zmq_msg_size(&msg), m, &code, e);
	zmq_msg_close(&msg);
	if (rc != E_OK) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

void
link_close(struct link *l)
{
	if (l == NULL)
		return;
	if (l->sock != NULL) {
		zmq_socket_monitor(l->sock, NULL, 0);
		zmq_close(l->sock);
	}
	if (l->mon != NULL)
		zmq_close(l->mon);
	free(l);
}

int
link_endpoint(const char *list, int i, char *out, size_t n)
{
	const char *p, *q;
	int count = 1, k;
	size_t len;

	for (p = list; *p != '\0'; p++)
		count += *p == ',';
	i = ((i % count) + count) % count;
	for (p = list, k = 0; k < i; p++)
		k += *p == ',';
	while (*p == ' ')
		p++;
	for (q = p; *q != '\0' && *q != ','; q++)
		;
	while (q > p && q[-1] == ' ')
		q--;
	len = (size_t)(q - p) < n ? (size_t)(q - p) : n - 1;
	memcpy(out, p, len);
	out[len] = '\0';
	return count;
}
