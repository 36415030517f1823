/* outbox.h — the logbook as sync sees it: every record is one immutable row with identity
 * (station_id, seq), seq one per-station counter across all kinds, gap-free and append-only.
 * A row is (station_id, seq, kind, created_ms, body); body is canonical JSON text (SQLite's
 * json_object, fixed key order) holding everything else — action, ref_seq, root_seq, tz_min,
 * operator, shift, reason, alert and the kind's fields — so the hub can store the very same
 * rows and hash them the same way. The body is already what SQLite's json() makes of it.
 * One exception to immutability: purge (purge.h) blanks the personal fields of rows older than
 * the retention days; by then they are normally long acknowledged. */
#ifndef OUTPOST_OUTBOX_H
#define OUTPOST_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "storage/logbook.h"
#include "storage/record.h"

#define OUTBOX_HASH_LEN 32

struct outbox_row {
	char station_id[LOGBOOK_ID_LEN + 1];
	int64_t seq;
	char kind[16];	    /* rec_kind_name() */
	int64_t created_ms; /* device UTC ms: for people, never for ordering */
	const char *body;   /* canonical JSON, NUL-terminated; valid during the callback */
	size_t body_len;
	uint8_t hash[OUTBOX_HASH_LEN]; /* outbox_hash() of the row */
};

/* Content hash of a row: BLAKE2b-256 (crypto_generichash) over station_id, NUL, seq as 8
 * bytes little-endian, kind, NUL, created_ms as 8 bytes little-endian, body bytes. The hub
 * computes the same to tell an idempotent resend from a conflict. */
void outbox_hash(const struct outbox_row *row, uint8_t out[OUTBOX_HASH_LEN]);

/* Calls cb for the rows with seq > after, in seq order, until max_rows rows or max_bytes of
 * body have been given (at least one row if any is pending; 0 = no limit) or cb returns
 * nonzero. *last (may be NULL) gets the last seq given (after if none). */
int outbox_read(struct logbook *lb, int64_t after, size_t max_rows, size_t max_bytes,
    int (*cb)(const struct outbox_row *row, void *arg), void *arg, int64_t *last, struct err *e);
/* The hub's acknowledged high-water mark (every seq <= it is at the hub); 0 at first. */
int64_t outbox_acked(struct logbook *lb);
/* Remembers hw as acknowledged; never moves backwards (a lower hw is ignored, E_OK). E_INVALID
 * if hw is beyond the last seq. */
int outbox_set_acked(struct logbook *lb, int64_t hw, struct err *e);
/* Rows not yet acknowledged (last seq − acked). */
int64_t outbox_pending(struct logbook *lb);
/* The last seq stored (0 if none). */
int64_t outbox_last_seq(struct logbook *lb);

/* Decodes a row (from this logbook or, at the hub, from a station) into r. E_INVALID if the
 * body is not a record of this format. */
int outbox_decode(const struct outbox_row *row, struct record *r, struct err *e);

#endif
