/* hubstore.h — the hub's database: its key pair, the stations it knows, every record
 * received (keyed by station and seq, committed before any ack), conflicts, and the
 * settings and watchlist stations pull by version. Works on an open sqlite3 handle (the
 * hub's encrypted store); never prints. Not thread-safe: callers serialize. */
#ifndef OUTPOST_HUBSTORE_H
#define OUTPOST_HUBSTORE_H

#include <stdint.h>
#include <sqlite3.h>

#include "base/err.h"
#include "sync/wire.h"

enum hub_station_status { HUB_PENDING = 0, HUB_ACTIVE = 1, HUB_REVOKED = 2 };

struct hub_station {
	uint64_t id;
	char name[65];
	char uid[WIRE_STATION_UID + 1];	/* the logbook's station id, "" while pending */
	int status;
	uint8_t curve_pk[32];	/* zero while pending */
	uint8_t sign_pk[32];
	int64_t enrolled_ms, last_seen_ms, skew_ms;
	uint64_t hw;		/* highest seq held with every lower one held too */
	uint64_t held;		/* records held (hubstore_stations only, else 0) */
	uint64_t max_seq;	/* highest seq held (hubstore_stations only, else 0) */
	uint64_t quarantined;	/* records held that cannot be read (hubstore_stations only) */
};

/* The schema version this program makes and reads (PRAGMA user_version). */
#define HUBSTORE_SCHEMA_VERSION 3

/* Creates the schema or migrates an older one up to HUBSTORE_SCHEMA_VERSION, each step in
 * one transaction (idempotent); E_DAMAGED for a store made by a newer outpost-hub. */
int hubstore_init(sqlite3 *db, struct err *e);

/* Makes and stores the hub's CURVE key pair; E_INVALID if it already has one. */
int hubstore_keys_create(sqlite3 *db, struct err *e);
/* Loads the key pair: pk copied, *sk is 32 bytes of sodium_malloc memory (caller
 * sodium_free's it). */
int hubstore_keys_load(sqlite3 *db, uint8_t pk[32], uint8_t **sk, struct err *e);

/* A text setting of the hub itself (e.g. "endpoint"): get fills buf (n bytes) and returns
 * 0, or -1 if unset; set stores it. */
int hubstore_meta_get(sqlite3 *db, const char *k, char *buf, size_t n);
int hubstore_meta_set(sqlite3 *db, const char *k, const char *v, struct err *e);

/* Registers a new pending station NAME with the one-time enrollment public key. */
int hubstore_station_add(sqlite3 *db, const char *name, const uint8_t enroll_pk[32],
    int64_t now_ms, uint64_t *id, struct err *e);
/* Finds a station by its CURVE key (as ZAP's User-Id gives it). E_OK, or E_INVALID if
 * none. With enroll set, looks among the pending enrollment keys instead. */
int hubstore_station_by_key(sqlite3 *db, const uint8_t pk[32], int enroll,
    struct hub_station *st, struct err *e);
int hubstore_station_by_name(sqlite3 *db, const char *name, struct hub_station *st,
    struct err *e);
/* Completes an enrollment: the pending station of enroll_pk takes curve_pk, sign_pk and
 * its logbook's station id uid (32 lowercase hex),
 * becomes active, and the enrollment key is forgotten (one use). */
int hubstore_enroll_complete(sqlite3 *db, const uint8_t enroll_pk[32],
    const uint8_t curve_pk[32], const uint8_t sign_pk[32], const char *uid, int64_t now_ms,
    struct hub_station *st, struct err *e);
/* Marks NAME revoked: its key is refused at the handshake and on every message. */
int hubstore_station_revoke(sqlite3 *db, const char *name, struct err *e);
/* 1 if a client key may complete a handshake (active station or unused enrollment key). */
int hubstore_authorize(sqlite3 *db, const uint8_t pk[32]);
/* Records that a station was seen now, with its clock offset (device − hub, ms). */
int hubstore_station_seen(sqlite3 *db, uint64_t id, int64_t now_ms, int64_t skew_ms,
    int have_skew, struct err *e);
/* Calls fn for every station, by name. */
int hubstore_stations(sqlite3 *db, int (*fn)(const struct hub_station *, void *),
    void *arg, struct err *e);

struct hub_ingest {
	uint64_t hw;		/* after the batch */
	uint64_t inserted, duplicates;
	uint64_t quarantined;	/* records marked bad by the decoder, put aside */
	uint64_t *conflicts;	/* seqs whose content differed (malloc'd, caller frees) */
	size_t nconflicts;
};
/* Stores a batch for a station in one transaction, committed before returning E_OK:
 * new (station, seq) inserted; same hash is an idempotent resend; different hash is
 * kept as a conflict and reported; a record the decoder marked bad is put aside in the
 * quarantine (counted, towards hw). Crash points "before_commit", "mid_batch". */
int hubstore_ingest(sqlite3 *db, const struct hub_station *s, const struct wire_record *r,
    size_t n, int64_t now_ms, struct hub_ingest *res, struct err *e);

/* Settings (WIRE_PULL_SETTINGS) and watchlist (WIRE_PULL_WATCHLIST) entries: set or
 * delete one; each change takes the next version number. */
int hubstore_item_set(sqlite3 *db, int kind, const char *key, const char *value,
    const char *extra, int deleted, struct err *e);
/* The latest version of kind (0 if none). */
uint64_t hubstore_item_latest(sqlite3 *db, int kind);
/* What a station with cursor since should get: a DELTA of changes after it, or a
 * SNAPSHOT of live entries when since is 0 or unknown here. Fills m's items (freed
 * by wire_msg_free) and type. */
int hubstore_items_pull(sqlite3 *db, int kind, uint64_t since, struct wire_msg *m,
    struct err *e);

#endif
