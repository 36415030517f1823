/* server.h — the hub's server: a CURVE ROUTER socket answering stations' HELLO, PUSH, PULL
 * and ENROLL, with a ZAP handler that lets in only keys the store knows. Each message is
 * checked against the sender's current status (so a revoke applies to open connections
 * too), decoded strictly, and answered; a bad message gets an ERROR reply and the hub goes
 * on serving. Never prints: lines for a log go to a callback, without personal data. */
#ifndef OUTPOST_HUB_H
#define OUTPOST_HUB_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/store.h"

struct hub_opts {
	const char *listen;		/* "tcp://ADDR:PORT"; a port "*" picks a free one */
	int heartbeat_ms;		/* ZMTP heartbeat interval; 0: 10 s */
	void (*log)(void *arg, const char *line);	/* may be NULL */
	void *log_arg;
	int no_purge;			/* no daily purge inside serve (tests) */
	/* Ingest workers: with ningest > 0, each of these stores (opened like the serving
	 * one, the caller's, outliving the hub) gets a thread that stores the groups handed
	 * to it, while the serving loop reads and forms the next group; the loop still
	 * answers everything, each station's messages in the order it sent them. 0: the
	 * serving loop stores each group itself. Worth it where writers do not exclude one
	 * another (PostgreSQL), not on SQLite. At most HUB_INGEST_MAX. */
	struct hub_store *const *ingest;
	size_t ningest;
};

#define HUB_INGEST_MAX 16

struct hub;

/* Loads the hub's keys from store, starts the ZAP handler and binds the server socket.
 * The store stays the caller's and must outlive the hub. */
int hub_open(struct hub_store *store, const struct hub_opts *o, struct hub **out, struct err *e);
/* The endpoint actually bound (with the port picked), for tests and the log. */
const char *hub_endpoint(const struct hub *h);
/* Waits up to timeout_ms for messages and answers every one that arrived. A push takes
 * with it the pushes of other stations already queued (up to HUB_GROUP_MAX): they are
 * stored in one hubstore_ingest_group call, one commit, and each is acked after it; the
 * other messages taken meanwhile are answered after them, in arrival order. With ingest
 * workers the group is handed to an idle one and this goes on to the next; each group is
 * acked (and its round's other messages answered) in a later call, once its worker is
 * done. E_OK, or E_IO if the socket failed. */
int hub_poll(struct hub *h, int timeout_ms, struct err *e);
/* Serves until *stop becomes nonzero (checked at least every 200 ms, and between any two
 * messages: a stop set while one is answered lets no queued one in after it). Between messages it
 * runs the day's purge (hub/purge.h) in small steps, once a day, and checkpoints the store
 * now and then so its log stays bounded. */
int hub_serve(struct hub *h, volatile sig_atomic_t *stop, struct err *e);
/* Messages answered so far (every kind, errors included). */
uint64_t hub_answered(const struct hub *h);
/* Pushes stored in groups so far: *groups commits (hubstore_ingest_group calls that stored
 * at least one batch) holding *batches batches (their ratio is the batches per commit). */
void hub_groups(const struct hub *h, uint64_t *groups, uint64_t *batches);
/* The most groups being stored at once: handed to ingest workers and not yet answered
 * (without workers 1, or 0 before the first group). */
size_t hub_groups_at_once(const struct hub *h);
/* Messages held back, with ingest workers, because a message of their station was in a
 * group still being stored (each station's messages are answered in the order sent); the
 * serving loop goes on reading and handing out the other stations' messages meanwhile. */
uint64_t hub_waited(const struct hub *h);
/* Closes the socket (first acking the groups the workers hold, and joining them), stops the ZAP handler, wipes the keys; NULL is fine. */
void hub_close(struct hub *h);

/* Decodes a batch body and ingests it for station s (the same path for PUSH and for
 * bundles): E_INVALID if malformed, else hubstore_ingest's result. */
int hub_ingest_body(struct hub_store *store, const struct hub_station *s, const uint8_t *body,
    size_t len, uint64_t seq_from, uint64_t seq_to, int64_t now_ms, struct hub_ingest *res,
    struct err *e);

/* Registers a new station name (pending) and writes its one-time enrollment token for
 * a hub reachable at endpoint into token (TOKEN_MAX bytes). */
int hub_enroll_new(struct hub_store *store, const char *name, const char *endpoint, char *token,
    struct err *e);

/* Wall-clock UTC milliseconds (storage/clock.h: OUTPOST_NOW overrides it for tests). */
int64_t hub_now_ms(void);

#endif
