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

/* Returns 1 to let client key pk in, 0 to refuse. Runs on the ZAP thread. */
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
