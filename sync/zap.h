/* zap.h — a ZAP handler (RFC 27) on inproc://zeromq.zap.01 in its own thread: it answers
 * the CURVE handshakes of a ZeroMQ context, asking a callback whether a client's public key
 * may connect. It fails closed: any other mechanism, domain or malformed request is
 * refused. The User-Id it returns is the client key in hex, which the server reads back
 * with zmq_msg_gets(msg, "User-Id") to know who sent a message. */
#ifndef OUTPOST_ZAP_H
#define OUTPOST_ZAP_H

#include <stdint.h>

#include "base/err.h"

/* Not in Debian's libzmq 4.3.4 public header (draft API), but the option works there:
 * without it a CURVE server with no ZAP handler lets every client in. */
#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93
#endif

#define ZAP_DOMAIN "outpost"

/* What the callback answers for a client key. */
enum zap_verdict {
	ZAP_UNAVAILABLE = -1,	/* cannot tell now (the hub's store is unreachable): ZAP 500 */
	ZAP_DENY = 0,		/* unknown or revoked: ZAP 400 */
	ZAP_ALLOW = 1,		/* ZAP 200 */
};
/* ZAP 300 ("temporary failure") is not used: libzmq 4.3.4 sends the client nothing for it
 * (the handshake just hangs until the client's handshake timeout), while 500 reaches the
 * client's monitor as HANDSHAKE_FAILED_AUTH with value 500, which sync/link.c tells apart
 * from a refusal (400). */

/* Returns a zap_verdict for client key pk, promptly (handshakes wait on it). Runs on the
 * ZAP thread. */
typedef int (*zap_authorize_fn)(const uint8_t pk[32], void *arg);

struct zap;

/* Binds the handler in context zctx and starts its thread. Bind it before any server
 * socket of zctx binds. */
int zap_start(void *zctx, zap_authorize_fn fn, void *arg, struct zap **out, struct err *e);
/* Replies the handler could not send since it started (each one a handshake that times out
 * at the client, which tries again): for the server's log. 0 for NULL. */
unsigned long zap_failures(struct zap *z);
/* Stops the thread and closes its socket; NULL is fine. */
void zap_stop(struct zap *z);

/* The 64 hex characters of a key into pk; 0 on success. */
int zap_hex_key(const char *hex, size_t len, uint8_t pk[32]);
/* pk as 64 lowercase hex characters and a NUL. */
void zap_key_hex(const uint8_t pk[32], char hex[65]);

#endif
