/* link.h — the station's end of the transport: a CURVE DEALER pinned to the hub's public
 * key, with heartbeats and a socket monitor that notices the hub refusing the station's
 * key at the handshake (ZeroMQ would otherwise queue and silently drop what is sent).
 * A link is thrown away after any timeout (ZeroMQ drops messages around reconnects:
 * reliability is the protocol's job). */
#ifndef OUTPOST_LINK_H
#define OUTPOST_LINK_H

#include <stdint.h>

#include "base/err.h"
#include "sync/wire.h"

enum link_state {
	LINK_CONNECTING = 0,	/* no handshake finished yet */
	LINK_UP = 1,		/* handshake done: the hub is who its key says */
	LINK_REFUSED = 2,	/* the hub refused this station's key (ZAP) */
	LINK_BAD_PEER = 3,	/* every handshake failed (8 in a row): wrong hub key or
				 * not a hub */
	LINK_LOST = 4,		/* was up, then the connection closed: what was in flight
				 * may be lost (ZeroMQ reconnects, but drops it) */
	LINK_UNAVAILABLE = 5,	/* the hub could not check this station's key now (ZAP
				 * 500: its store is unreachable); a later handshake may
				 * succeed */
};

/* A hub address may list several endpoints of hub processes sharing one store,
 * "tcp://A:1,tcp://B:2": fills out (n bytes) with the i-th (i modulo their number, spaces
 * trimmed) and returns how many there are (at least 1; an empty list is one empty). */
int link_endpoint(const char *list, int i, char *out, size_t n);

struct link_opts {
	const char *endpoint;		/* "tcp://HOST:PORT" (one of link_endpoint's) */
	const uint8_t *hub_pk;		/* 32 bytes, pinned at enrollment */
	const uint8_t *pk, *sk;		/* the station's CURVE key pair */
	int heartbeat_ms;		/* 0: 10 s */
};

struct link;

/* Creates the socket in ZeroMQ context zctx and starts connecting (returns at once). */
int link_open(void *zctx, const struct link_opts *o, struct link **out, struct err *e);
/* Queues m for sending. E_IO if the socket will not take it now. */
int link_send(struct link *l, const struct wire_msg *m, struct err *e);
/* Waits up to timeout_ms for a message; E_OK with *m decoded (free with wire_msg_free and
 * then free(*buf)), or 1 if nothing arrived in time, or E_INVALID for an undecodable one.
 * Monitor events seen meanwhile update link_state. */
int link_recv(struct link *l, int timeout_ms, struct wire_msg *m, uint8_t **buf,
    struct err *e);
/* What the monitor has seen so far. */
int link_state(const struct link *l);
/* Closes the socket and its monitor; NULL is fine. */
void link_close(struct link *l);

#endif
