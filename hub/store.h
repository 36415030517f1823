/* store.h — the hub's store: the one interface the server and every outpost-hub command use.
 * It holds the hub's key pair, the stations it knows, every record received (keyed by
 * station and seq, committed before any ack), conflicts and quarantine, the settings and
 * watchlist stations pull by version, the aggregates reports read, and retention.
 *
 * A store is opened by its address, which picks the backend: a file path is SQLite (an
 * encrypted logbook-style file through crypto/'s VFS), "postgresql://…" (or "postgres://…")
 * is PostgreSQL. Every function below dispatches through the backend's struct
 * hubstore_ops (hub/store-impl.h); a backend adds one file and one row in store.c's table.
 *
 * Rules every backend keeps (and tests/unit/test-hub-*.c check):
 * - Library code: never prints, never exits; errors are values in struct err.
 * - Not thread-safe: one store, one thread at a time (the server serializes with a lock).
 * - Memory: strings and rows handed to a callback, or returned by a cursor, are borrowed
 *   until the callback returns or the next call on the cursor; anything a function
 *   allocates for the caller says so and says how to free it.
 * - Aggregates are kept at ingest in the same transaction, so reports cost
 *   O(stations × days in range), never O(records held). */
#ifndef OUTPOST_HUB_STORE_H
#define OUTPOST_HUB_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "sync/wire.h"

struct hub_store;

/* ---- opening ---- */

struct hubstore_params {
	const char *address;	/* a path (SQLite) or postgresql://… */
	const char *secret;	/* the store's passphrase (SQLite: unlocks the file) */
	size_t secret_len;
	int create;		/* make a new store (refused if one exists at address) */
	int kdf;		/* create only: VAULT_KDF_DEFAULT or VAULT_KDF_TEST_CHEAP */
	char *recovery;		/* create only, may be NULL: VAULT_RECOVERY_LEN bytes for the
				 * recovery key (SQLite), sodium_malloc'd by the caller */
};

/* The backend an address names: "sqlite" or "postgresql". */
const char *hubstore_backend_of(const char *address);
/* address as it may be shown (messages, output): a postgresql:// URL's password, in its
 * user part or as a password= parameter, becomes *** ("postgresql://user:***@host/db");
 * anything else is copied as it is. Truncated to n bytes with a NUL. */
void hubstore_address_shown(const char *address, char *out, size_t n);
/* Checks that a store exists at address and is one (before asking for a passphrase):
 * E_OK, E_IO if there is none (saying how to make one) or it cannot be reached, E_DAMAGED
 * if it is not a hub store. The messages of probe, open and destroy never hold the
 * address's password (*** in its place). */
int hubstore_probe(const char *address, struct err *e);
/* Opens (or, with p->create, creates) the store and brings its schema up to date (each
 * migration in one transaction; E_DAMAGED if made by a newer outpost-hub). Applies the
 * resource settings (hub.cache_mib, hub.wal_limit_mib). *out is the caller's: close it. */
int hubstore_open(const struct hubstore_params *p, struct hub_store **out, struct err *e);
/* Closes the store and frees it; NULL is fine. */
void hubstore_close(struct hub_store *s);
/* The backend's name ("sqlite", "postgresql"), static. */
const char *hubstore_backend(const struct hub_store *s);
/* Removes a store that hubstore_open(create) made and the caller then gave up on (a
 * half-made store holds nothing yet). The store must be closed. */
int hubstore_destroy(const char *address, struct err *e);

/* The schema version this program makes and reads. */
#define HUBSTORE_SCHEMA_VERSION 5

/* ---- the hub's own keys and settings ---- */

/* Makes and stores the hub's CURVE key pair; E_INVALID if it already has one. */
int hubstore_keys_create(struct hub_store *s, struct err *e);
/* Loads the key pair: pk copied, *sk is 32 bytes of sodium_malloc memory (caller
 * sodium_free's it); E_INVALID if the store has no keys. */
int hubstore_keys_load(struct hub_store *s, uint8_t pk[32], uint8_t **sk, struct err *e);
/* A text setting of the hub itself (not pushed to stations: "endpoint", "hub.cache_mib",
 * "last_purge_ms"): fills buf (n bytes) and sets *found to 1, or *found 0 if unset. */
int hubstore_meta_get(struct hub_store *s, const char *k, char *buf, size_t n, int *found,
    struct err *e);
/* Stores a hub setting (v NULL: removes it). */
int hubstore_meta_set(struct hub_store *s, const char *k, const char *v, struct err *e);

/* ---- stations ---- */

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
	uint64_t held;		/* records held (versions, put-aside ones too), kept at ingest */
	uint64_t max_seq;	/* highest seq held, kept at ingest */
	uint64_t conflicts;	/* records resent with other content (both kept) */
	uint64_t quarantined;	/* records held that cannot be read (put aside, not counted) */
};

/* Registers a new pending station NAME (1..64 bytes) with the one-time enrollment public
 * key; E_INVALID if the name is taken. */
int hubstore_station_add(struct hub_store *s, const char *name, const uint8_t enroll_pk[32],
    int64_t now_ms, uint64_t *id, struct err *e);
/* Finds a station by its CURVE key (as ZAP's User-Id gives it), or with enroll set among
 * the pending enrollment keys: E_OK, or E_INVALID if none. */
int hubstore_station_by_key(struct hub_store *s, const uint8_t pk[32], int enroll,
    struct hub_station *st, struct err *e);
/* Finds a station by name: E_OK, or E_INVALID if none. */
int hubstore_station_by_name(struct hub_store *s, const char *name, struct hub_station *st,
    struct err *e);
/* Completes an enrollment: the pending station of enroll_pk takes curve_pk, sign_pk and
 * its logbook's station id uid (32 lowercase hex), becomes active, and the enrollment key
 * is forgotten (one use). E_INVALID if enroll_pk is not pending. */
int hubstore_enroll_complete(struct hub_store *s, const uint8_t enroll_pk[32],
    const uint8_t curve_pk[32], const uint8_t sign_pk[32], const char *uid, int64_t now_ms,
    struct hub_station *st, struct err *e);
/* Marks NAME revoked: its key is refused at the handshake and on every message. */
int hubstore_station_revoke(struct hub_store *s, const char *name, struct err *e);
/* Records that a station was seen now, and (have_skew) its clock offset (device − hub). */
int hubstore_station_seen(struct hub_store *s, uint64_t id, int64_t now_ms, int64_t skew_ms,
    int have_skew, struct err *e);
/* Calls fn for every station, by name, counters filled (O(stations)); fn returning
 * nonzero stops the walk. */
int hubstore_stations(struct hub_store *s, int (*fn)(const struct hub_station *, void *),
    void *arg, struct err *e);

/* ---- ingest ---- */

struct hub_ingest {
	uint64_t hw;		/* after the batch */
	uint64_t inserted, duplicates, quarantined;
	uint64_t *conflicts;	/* seqs whose content differed (malloc'd, caller frees) */
	size_t nconflicts;
};
/* Stores a batch (seqs increasing) for station st in one transaction, committed before
 * returning E_OK: a new (station, seq) is inserted and added to the aggregates; the same
 * content hash again is an idempotent resend; a different hash is kept apart as a conflict
 * and reported. hw advances over contiguous seqs only. A record the decoder marked bad
 * (wire_record.bad) is put aside byte for byte in the quarantine, and one whose body is
 * not JSON is stored marked; both count as quarantined, towards hw, and are left out of
 * the aggregates. A (station, seq) is held once, stored or put aside, whichever came
 * first: a later copy, marked bad or not, is a resend or a conflict by its hash alone.
 * On error nothing of the batch is stored. Crash points "mid_batch", "before_commit" (sync/crash.h). */
int hubstore_ingest(struct hub_store *s, const struct hub_station *st,
    const struct wire_record *r, size_t n, int64_t now_ms, struct hub_ingest *res,
    struct err *e);

/* One station's batch in a group (hubstore_ingest_group): st, r and n in; rc, e and res
 * out. */
struct hub_batch {
	const struct hub_station *st;
	const struct wire_record *r;
	size_t n;
	int rc;			/* E_OK, or why this batch alone was not stored */
	struct err e;		/* its message when rc != E_OK */
	struct hub_ingest res;	/* when rc == E_OK (res.conflicts: caller frees) */
};
/* The most batches in one group. */
#define HUB_GROUP_MAX 32
/* Stores n (1 … HUB_GROUP_MAX) batches of different stations, each as hubstore_ingest
 * would, and records each station seen at now_ms (hubstore_station_seen, no skew): one
 * commit for all of them where the backend can, so the ack of each waits on the commit
 * that holds it. A batch that fails stores nothing of itself and leaves the others
 * stored (its rc and e say why). Returns E_OK when every batch has its outcome in b[];
 * otherwise the error that stored none of them, each rc set to it. */
int hubstore_ingest_group(struct hub_store *s, struct hub_batch *b, size_t n,
    int64_t now_ms, struct err *e);

/* ---- settings and watchlist pulled by stations (kind WIRE_PULL_SETTINGS or
 * WIRE_PULL_WATCHLIST) ---- */

/* Whether an entry may be sent to every station: key, value and extra are text (no
 * control characters, valid UTF-8), a watchlist until is a date YYYY-MM-DD or "".
 * E_OK, or E_INVALID saying what is wrong. */
int hubstore_item_check(int kind, const struct wire_item *it, struct err *e);
/* Sets (or with deleted, removes) entries in one transaction, after hubstore_item_check
 * of each (nothing stored if one fails); each change takes the next version number of
 * its kind. value and extra NULL mean "". */
int hubstore_items_set(struct hub_store *s, int kind, const struct wire_item *it, size_t n,
    struct err *e);
/* The latest version of kind (0 if none) into *ver. */
int hubstore_item_latest(struct hub_store *s, int kind, uint64_t *ver, struct err *e);
/* What a station with cursor since should get: a DELTA of changes after it, or a SNAPSHOT
 * of live entries when since is 0 or unknown here. Fills m's type and items (freed by
 * wire_msg_free). */
int hubstore_items_pull(struct hub_store *s, int kind, uint64_t since, struct wire_msg *m,
    struct err *e);
/* Calls fn for each live entry of kind, by key (it borrowed for the call). */
int hubstore_items_list(struct hub_store *s, int kind,
    int (*fn)(const struct wire_item *it, void *arg), void *arg, struct err *e);

/* ---- reports, from aggregates ---- */

/* What a report covers, in the aggregates' buckets: the local days [day_from, day_to)
 * (clock_day numbers of each record's first version, at the record's own offset: a
 * station's day), at the stations listed (hub station ids), or every station when
 * nstations is 0. report.h builds one from dates. */
struct hub_span {
	int64_t day_from, day_to;
	const uint64_t *stations;
	size_t nstations;
};
#define HUB_SPAN_ALL ((struct hub_span){ INT64_MIN / 2, INT64_MAX / 2, NULL, 0 })

/* One station × kind's figures over a span. A record counts once, as its latest version,
 * in the bucket of its first version; a deleted record not at all. */
struct hub_total {
	const char *station;	/* name */
	const char *kind;	/* "temp", "visitor", … */
	int64_t records;	/* live records */
	int64_t fevers;		/* first readings the station decided were fevers (data.fever) */
	int64_t released;	/* fevers released as pass with an override_reason */
	int64_t flagged;	/* flagged vehicles and watchlist alerts */
	int64_t inside;		/* visitor entries with no exit yet */
};
/* Calls fn for each station × kind with live records in span, ordered by station name
 * then kind. */
int hubstore_report_totals(struct hub_store *s, const struct hub_span *span,
    int (*fn)(const struct hub_total *t, void *arg), void *arg, struct err *e);
/* Calls fn(station, bin code, last collection ms or 0) for registered bins at the stations
 * of span (its times do not apply) not collected within window_ms before now_ms (counted
 * from registration if never collected), by station and code. */
int hubstore_report_bins(struct hub_store *s, const struct hub_span *span, int64_t now_ms,
    int64_t window_ms,
    int (*fn)(const char *station, const char *bin, int64_t last_ms, void *arg), void *arg,
    struct err *e);
/* Records received per minute over the last n minutes before now_ms: counts[0] is the
 * current minute, counts[n-1] the oldest (n <= 1440). */
int hubstore_arrivals(struct hub_store *s, int64_t now_ms, int n, int64_t *counts,
    struct err *e);
/* Recounts every aggregate from the records held and compares: E_OK if all agree, else
 * E_DAMAGED naming the first difference. O(records held): for tests and `check`. */
int hubstore_verify(struct hub_store *s, struct err *e);

/* ---- export cursor ---- */

struct hub_export_row {
	const char *station;	/* name */
	const char *station_uid;
	uint64_t seq;
	const char *kind;
	int64_t created_ms, received_ms;
	int clock_flag;
	const char *body;	/* as the station wrote it (personal fields blank if purged) */
	size_t body_len;
	int body_json;		/* 1 if the body is JSON (0: quarantined, kept as received) */
	int purged;		/* 1 if retention blanked its personal fields */
};
struct hub_export;
/* Opens a cursor over every record held (station NULL) or one station's, by station name
 * then seq. It reads in short pages (no snapshot held between them, on either backend),
 * so memory is flat and the store's WAL (SQLite) or its oldest snapshot (PostgreSQL,
 * which holds back vacuum) does not grow with the export; each page costs in proportion
 * to its rows, never to the rows before it. A record ingested meanwhile may or may not
 * appear.
 * E_INVALID for an unknown station. *out is the caller's: close it. */
int hubstore_export_open(struct hub_store *s, const char *station, struct hub_export **out,
    struct err *e);
/* Rows per page (before the first next; tests set a few rows to cross many page
 * boundaries), rows > 0. The backend's default otherwise: 2000 on SQLite, where a page is
 * a walk of the primary key streamed row by row; 8000 on PostgreSQL, where each page is a
 * statement over every day partition and its rows are held in the hub until given (a few
 * MB). */
void hubstore_export_set_page(struct hub_export *c, unsigned rows);
/* The next row into *row (borrowed until the next call): 1, 0 at the end, or -1 with e.
 * On PostgreSQL the next page is asked for while the caller writes this one out: make
 * no other call on the store between the first next and the close or the end. */
int hubstore_export_next(struct hub_export *c, const struct hub_export_row **row,
    struct err *e);
/* Frees the cursor; NULL is fine. */
void hubstore_export_close(struct hub_export *c);

/* ---- retention ---- */

struct hub_purge {
	int64_t cutoff_ms;	/* records whose first version is older were purged */
	int64_t records;	/* records (first versions) purged now */
	int64_t versions;	/* stored versions rewritten now (corrections included) */
	int64_t conflicts;	/* conflicting copies rewritten now */
	int done;		/* 1 when nothing older than the cutoff is left unpurged */
};
/* Blanks the personal fields (as storage's purge does on a station: the FF_PERSONAL text
 * fields of the kind's table) of at most max records created before cutoff_ms that are
 * not purged yet, every version and conflicting copy with them, in one transaction.
 * Aggregates, hashes, kinds and times stay. Adds to res (zero it first); sets res->done. */
int hubstore_purge_step(struct hub_store *s, int64_t cutoff_ms, size_t max,
    struct hub_purge *res, struct err *e);

/* Lets the backend bound its log (SQLite: a checkpoint of the WAL, truncated to
 * hub.wal_limit_mib). Never waits on readers. */
int hubstore_checkpoint(struct hub_store *s, struct err *e);

#endif
