/* client.h — the station's sync state machine, driven by a non-blocking step function so
 * the TUI can run it from its main loop (and `outpost sync` from a plain loop):
 *   IDLE → CONNECTING → HELLO → PUSH (one batch in flight) → PULL → IDLE;
 *   a timeout, disconnect or hub error → BACKOFF (exponential, with jitter) → CONNECTING;
 *   the hub refusing the station's key → REVOKED (stays there).
 * The hub's acknowledged mark is the only cursor: a lost ACK is covered by HELLO_OK's hw,
 * so every record reaches the hub exactly once however often a pass is cut. */
#ifndef OUTPOST_CLIENT_H
#define OUTPOST_CLIENT_H

#include <stdint.h>

#include "base/err.h"
#include "sync/identity.h"
#include "sync/source.h"

enum sync_state {
	SYNC_IDLE, SYNC_CONNECTING, SYNC_HELLO, SYNC_PUSH, SYNC_PULL, SYNC_BACKOFF,
	SYNC_REVOKED, SYNC_STATE_COUNT
};
/* "idle" "connecting" "hello" "push" "pull" "backoff" "revoked" (for logs and tests;
 * translate with _() for people). */
const char *sync_state_name(int state);

/* How the last pass ended. */
enum sync_result {
	SYNC_R_NONE = 0,	/* no pass finished yet */
	SYNC_R_DONE,		/* pushed or pulled something */
	SYNC_R_NOTHING,		/* the hub had everything and nothing was new */
	SYNC_R_UNREACHABLE,	/* no answer in time */
	SYNC_R_REFUSED,		/* the hub refused this station (revoked, unknown) */
	SYNC_R_BAD_HUB,		/* the handshake failed: not the hub this station enrolled with */
	SYNC_R_ERROR,		/* the hub answered with an error */
	SYNC_R_UNAVAILABLE,	/* the hub is up but cannot serve now (its store is
				 * unreachable): backs off and tries again, never REVOKED */
};

#define SYNC_ERRORS 4
struct sync_status {
	int state;		/* enum sync_state */
	int link_up;		/* a handshake with the hub has succeeded on the current link */
	int64_t waiting;	/* records the hub has not acknowledged */
	int64_t last_success_ms;	/* wall clock of the last complete pass, 0 if none */
	int64_t retry_in_ms;	/* BACKOFF: time left before the next try */
	int64_t skew_ms;	/* device clock − hub clock, from the last HELLO_OK */
	int result;		/* enum sync_result of the last pass */
	uint64_t pass_pushed;	/* records acknowledged in the current/last pass */
	uint64_t pass_pulled;	/* settings and watchlist items applied */
	uint64_t conflicts;	/* records the hub holds with other content (kept, raised) */
	int nerrors;		/* errors[0] is the latest */
	char errors[SYNC_ERRORS][160];
};

struct sync_opts {
	int request_ms;		/* a request with no answer by then fails; 0: 10 s */
	int backoff_min_ms;	/* 0: 1 s */
	int backoff_max_ms;	/* 0: 5 min */
	int interval_ms;	/* start a pass by itself this often when idle; 0: only on kick */
	/* IDLE: look this often whether records the hub lacks have appeared (another process,
	 * the TUI or the CLI, wrote them) and start a pass if so; 0: never look. Each look is
	 * one indexed read of the logbook; no transaction is held between looks. */
	int watch_ms;
	int heartbeat_ms;	/* 0: 10 s */
	int batch_rows;		/* 0: 500 */
	size_t batch_bytes;	/* body bytes per batch; 0: 48 KiB */
	/* Called after each batch is acknowledged and at the end of a pass; may be NULL. */
	void (*progress)(void *arg, const struct sync_status *s);
	void *progress_arg;
};

struct sync_client;

/* A client for the station described by id and src (both copied; what src->arg points
 * to must outlive the client), in state IDLE. */
int sync_client_new(const struct identity *id, const struct sync_source *src,
    const struct sync_opts *o, struct sync_client **out, struct err *e);
/* Starts a pass now (from IDLE or BACKOFF); no effect in other states. */
void sync_client_kick(struct sync_client *c);
/* Does the work that is due, waiting at most timeout_ms (0: never blocks) for the hub,
 * or, when idle or backing off, for the next thing due (a signal ends that wait early);
 * returns the state after it. */
int sync_client_step(struct sync_client *c, int timeout_ms);
/* A snapshot for the status bar and the sync screen. */
void sync_client_status(struct sync_client *c, struct sync_status *s);
/* Runs one pass to its end (IDLE, BACKOFF or REVOKED), bounded by about
 * timeout_ms; returns the pass's enum sync_result. */
int sync_client_run_once(struct sync_client *c, int timeout_ms);
/* Closes any link and frees c; NULL is fine. */
void sync_client_free(struct sync_client *c);

/* Enrolls a station: decodes token, makes a new identity, registers its keys with the hub
 * over the one-time enrollment key, and on success fills *out (caller stores it with
 * identity_save and frees it). uid is the logbook's station id. E_LOCKED if the hub
 * refuses (token used or unknown), E_IO if unreachable within timeout_ms. */
int sync_enroll(const char *token, const char *uid, int timeout_ms, struct identity **out,
    struct err *e);

#endif
