/* wire.h — the sync protocol's messages (see outpost(5), WIRE FORMAT): each one a CBOR
 * map with the protocol version, its type and a request id; record batches are CBOR
 * arrays compressed with zstd. Encoding never depends on the transport. Decoding is
 * strict and bounded: anything malformed, unknown or over a limit is refused. */
#ifndef OUTPOST_WIRE_H
#define OUTPOST_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WIRE_VERSION	1
#define WIRE_MSG_MAX	(1u << 20)	/* one message on the wire */
#define WIRE_BATCH_RAW_MAX (8u << 20)	/* a batch after decompression */
#define WIRE_BATCH_RECORDS 4096		/* records in one batch */
#define WIRE_BODY_MAX	8192		/* one record's body */
#define WIRE_KIND_MAX	31		/* bytes of a record kind */
#define WIRE_ITEMS_MAX	100000		/* items in a DELTA or SNAPSHOT */
#define WIRE_TEXT_MAX	1024		/* any other text field */

enum wire_type {
	WIRE_HELLO = 1, WIRE_HELLO_OK, WIRE_PUSH, WIRE_ACK, WIRE_PULL, WIRE_DELTA,
	WIRE_SNAPSHOT, WIRE_ERROR, WIRE_ENROLL, WIRE_ENROLL_OK,
	WIRE_TYPE_LAST = WIRE_ENROLL_OK
};

/* What a PULL asks for. */
enum wire_pull_kind { WIRE_PULL_SETTINGS = 1, WIRE_PULL_WATCHLIST = 2 };

/* ERROR codes. */
enum wire_error {
	WIRE_E_MALFORMED = 1,	/* could not decode; nothing done */
	WIRE_E_TOO_BIG = 2,	/* over a size limit */
	WIRE_E_VERSION = 3,	/* unknown protocol version */
	WIRE_E_REFUSED = 4,	/* station unknown, revoked, or not allowed this message */
	WIRE_E_INTERNAL = 5,	/* the hub failed (storage); try again later */
	WIRE_E_BAD_BATCH = 6,	/* the batch does not match its header */
	WIRE_E_UNAVAILABLE = 7,	/* the hub's store is unreachable; try again later */
};

/* One record as it travels: its identity (seq; the station is the authenticated peer),
 * kind, device time and body: the canonical JSON text storage's outbox gives (everything
 * else about the record, see storage/outbox.h), opaque to the transport. */
struct wire_record {
	uint64_t seq;
	char kind[WIRE_KIND_MAX + 1];
	int64_t created_ms;	/* device UTC ms: for people, never for ordering */
	const char *body;	/* points into the decoded batch buffer or caller memory */
	size_t body_len;	/* bytes, no NUL counted */
	int bad;		/* decoded: kind or body is not UTF-8 text / not a body */
};

#define WIRE_STATION_UID 32	/* a logbook's station id: 32 lowercase hex characters */

/* A settings entry (key, value) or a watchlist entry (key "TYPE:VALUE", value the
 * reason, extra the last day "YYYY-MM-DD" or ""), with the version it was changed at. */
struct wire_item {
	char *key;
	char *value;
	char *extra;
	uint64_t ver;
	int deleted;
	int bad;	/* decoded: a text was not UTF-8 (shown escaped); put it aside */
};

struct wire_msg {
	int type;
	uint64_t req_id;
	union {
		struct { uint64_t last_acked, cfg_ver, wl_ver; int64_t dev_time; } hello;
		struct { int64_t hub_time; uint64_t hw, cfg_latest, wl_latest; } hello_ok;
		struct { uint64_t batch_id, seq_from, seq_to; const uint8_t *body;
		    size_t body_len; } push;
		struct { uint64_t batch_id, hw; uint64_t *conflicts; size_t nconflicts; } ack;
		struct { int kind; uint64_t since_ver; } pull;
		/* DELTA and SNAPSHOT */
		struct { int kind; uint64_t ver; struct wire_item *items; size_t nitems; } items;
		struct { int code; char text[WIRE_TEXT_MAX + 1]; } error;
		struct { uint8_t curve_pk[32], sign_pk[32];
		    char station_uid[WIRE_TEXT_MAX + 1]; } enroll;
		struct { uint64_t station_id; char name[WIRE_TEXT_MAX + 1]; } enroll_ok;
	} u;
	void *owned;	/* memory the decoder allocated; freed by wire_msg_free */
};

/* Encodes m into *out (malloc'd, *len bytes). E_OK, or E_INVALID if over WIRE_MSG_MAX. */
int wire_encode(const struct wire_msg *m, uint8_t **out, size_t *len, struct err *e);

/* Decodes buf into m. Pointers in m (push.body) point into buf, which must outlive m;
 * arrays the decoder allocates are freed by wire_msg_free. On failure m is empty and
 * *code says which ERROR code to answer (WIRE_E_*), e says why. */
int wire_decode(const uint8_t *buf, size_t len, struct wire_msg *m, int *code,
    struct err *e);

/* Frees what wire_decode allocated in m; safe on a zeroed or already freed m. */
void wire_msg_free(struct wire_msg *m);

/* The type's name for logs ("HELLO"), or "?" */
const char *wire_type_name(int type);

/* Encodes n records (seq ascending) as a compressed batch body: *out malloc'd. A record
 * whose body is over WIRE_BODY_MAX or whose kind is empty or over WIRE_KIND_MAX is sent
 * as kind "?" with an empty body, which wire_batch_decode marks bad. */
int wire_batch_encode(const struct wire_record *r, size_t n, uint8_t **out, size_t *len,
    struct err *e);

/* Decodes a batch body: *recs (malloc'd array, bodies pointing into *raw, also malloc'd)
 * and *n. Checks limits and seq strictly ascending (else the whole batch is refused); a
 * record whose kind is not UTF-8 or whose body fails wire_body_check is marked bad, not
 * refused, so the receiver quarantines it and takes the rest. The caller frees *recs and
 * *raw. */
int wire_batch_decode(const uint8_t *body, size_t len, struct wire_record **recs,
    size_t *n, uint8_t **raw, struct err *e);

/* The content hash of a record of station uid, the same as storage's outbox_hash:
 * BLAKE2b-256 over uid, NUL, seq (8 bytes LE), kind, NUL, created_ms (8 bytes LE), body.
 * The hub's test of an idempotent resend (same hash) against a conflict (different). */
void wire_record_hash(const char *uid, const struct wire_record *r, uint8_t hash[32]);

/* 0 if p[0..n) may be a record body: UTF-8 without NUL, starting with '{', not too long. */
int wire_body_check(const char *p, size_t n);

/* Strict UTF-8 without NUL: 1 if s[0..n) is. */
int wire_utf8_ok(const char *s, size_t n);

#endif
