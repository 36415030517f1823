/* pg.h — private to the PostgreSQL backend (hub/store-pg*.c): the open store, its
 * connection helpers, binary array parameters, the sealing of bodies under the hub's data
 * key, and the key slots that wrap that key. Not for other files. */
#ifndef OUTPOST_HUB_PG_H
#define OUTPOST_HUB_PG_H

#include <stddef.h>
#include <stdint.h>
#include <libpq-fe.h>

#include "base/err.h"
#include "hub/store-impl.h"

/* The schema this program makes and reads (table outpost_hub.schema_version). */
#define PG_SCHEMA_VERSION 4

/* The records the purge cannot find by the day of their partition (schema 4, records_odd:
 * store-pg.c): a device time not believed (filed under the day it arrived), or arrived from
 * two days after its partition's day began. */
#define PG_ODD "(clock_flag OR received_ms >= ((day - DATE '1970-01-01') + 2) * 86400000::int8)"

/* The PostgreSQL schema (namespace) every table lives in. */
#define PG_NS "outpost_hub"

/* Subkeys of the data key (crypto_kdf, context "outposth"). */
enum pg_subkey { PG_K_BODY = 0, PG_K_HASH = 1, PG_K_ITEM = 2, PG_K_CHECK = 3, PG_NKEYS = 4 };
/* A sealed body: 24-byte nonce, ciphertext, 16-byte tag. */
#define PG_SEAL_OVERHEAD (24 + 16)

struct pg_store {
	struct hub_store base;
	PGconn *c;
	char *conninfo;
	uint8_t *keys;		/* PG_NKEYS × 32 bytes, sodium_malloc */
	int piping;		/* in pipeline mode: pg_exec only sends (see pg_pipe_begin) */
	int npiped;
	const char *prep[32];	/* statements prepared on this connection (see pg_exec_prepared) */
	int nprep;
	int32_t days[64];	/* partitions known to exist (PostgreSQL dates) */
	int64_t purge_cutoff;	/* a purge's progress, for this cutoff: */
	int64_t purge_from;	/* …the odd first versions before it are done */
	int purge_walking;	/* …a partition is being walked: */
	int32_t purge_day, purge_end;	/* the partition being walked (PostgreSQL dates) */
	int64_t purge_sid, purge_seq;	/* …the last key walked in it */
	size_t ndays;
	int down;		/* the last reconnect failed: the next one tries once (store-pg.c) */
	int session;		/* the connection's session is set up (PG_SESSION, store-pg.c) */
	unsigned long reconnects;	/* connection attempts after the first (for tests) */
};

/* ---- connection (store-pg.c) ---- */

/* Runs sql with text parameters (NULL-terminated count n): E_OK with *res (caller PQclear's
 * it; may be NULL when not wanted), else E_IO naming what. Reconnects once first if the
 * connection was lost (the server restarted). */
int pg_exec(struct pg_store *s, const char *what, const char *sql, int n,
    const char *const *vals, const int *lens, const int *fmts, PGresult **res, struct err *e);
/* An error from res (or the connection) into e, as E_IO; returns E_IO. */
int pg_err(struct pg_store *s, PGresult *res, const char *what, struct err *e);
/* Pipeline mode: between begin and end, pg_exec (with res NULL) only queues its statement
 * (s->npiped counts them); end sends them all in one round trip and collects the results:
 * E_OK with res[i] the result of statement i for i < nres (caller PQclear's them), or the
 * first error (res all NULL). */
int pg_pipe_begin(struct pg_store *s, struct err *e);
int pg_pipe_end(struct pg_store *s, PGresult **res, int nres, struct err *e);
/* pg_pipe_end that, when a statement fails, says which (*failed, its index; -1 when the
 * error is the connection's or the sync's) and keeps the results of those before it in
 * res (the caller PQclear's them). */
int pg_pipe_end_at(struct pg_store *s, PGresult **res, int nres, int *failed, struct err *e);
/* Makes sure the connection is up (reconnecting as pg_exec does), for a pipeline. */
int pg_connected(struct pg_store *s, struct err *e);
/* pg_exec for a statement run once per batch or more: prepared on the connection the first
 * time it runs outside a pipeline (or by pg_prepare), again after a reconnect, and executed
 * by name after, so PostgreSQL parses and plans it once per connection (in a pipeline, one
 * not prepared yet runs unnamed). sql must be a string constant: its address names it. */
int pg_exec_prepared(struct pg_store *s, const char *what, const char *sql, int n,
    const char *const *vals, const int *lens, const int *fmts, PGresult **res, struct err *e);
/* Prepares those of the n statements (string constants) not prepared yet on the connection,
 * one round trip each: before a pipeline that runs them with pg_exec_prepared. */
int pg_prepare(struct pg_store *s, const char *const *sqls, size_t n, struct err *e);
/* Runs sql (no parameters, no rows wanted). */
int pg_run(struct pg_store *s, const char *what, const char *sql, struct err *e);
/* BEGIN / COMMIT / ROLLBACK. */
int pg_begin(struct pg_store *s, struct err *e);
int pg_commit(struct pg_store *s, struct err *e);
void pg_rollback(struct pg_store *s);

/* ---- binary arrays for unnest() parameters (store-pg.c) ---- */

struct pg_arr {
	uint8_t *p;
	size_t len, cap;
	int oom;
};
/* Starts a one-dimensional array of n elements of type oid (20 int8, 23 int4, 16 bool,
 * 17 bytea, 25 text, 1082 date). */
void pg_arr_begin(struct pg_arr *a, uint32_t oid, size_t n);
void pg_arr_i64(struct pg_arr *a, int64_t v);
void pg_arr_i32(struct pg_arr *a, int32_t v);
void pg_arr_bool(struct pg_arr *a, int v);
void pg_arr_bytes(struct pg_arr *a, const void *p, size_t n);
void pg_arr_free(struct pg_arr *a);

/* An integer column of a (text-format) result. */
int64_t pg_i64(const char *p);
/* The bytes of a bytea column in a text-format result: decoded into out (up to cap),
 * returns the length or -1. */
long pg_bytea(const char *text, uint8_t *out, size_t cap);

/* ---- the operations in other files (store-pg-ingest.c, store-pg-read.c) ---- */

int pg_ingest(struct hub_store *hs, const struct hub_station *st, const struct wire_record *r,
    size_t n, int64_t now_ms, struct hub_ingest *res, struct err *e);
int pg_ingest_group(struct hub_store *hs, struct hub_batch *b, size_t n, int64_t now_ms,
    struct err *e);
int pg_items_set(struct hub_store *hs, int kind, const struct wire_item *it, size_t n,
    struct err *e);
int pg_item_latest(struct hub_store *hs, int kind, uint64_t *ver, struct err *e);
int pg_items_pull(struct hub_store *hs, int kind, uint64_t since, struct wire_msg *m,
    struct err *e);
int pg_items_list(struct hub_store *hs, int kind, int (*fn)(const struct wire_item *, void *),
    void *arg, struct err *e);
int pg_report_totals(struct hub_store *hs, const struct hub_span *span,
    int (*fn)(const struct hub_total *, void *), void *arg, struct err *e);
int pg_report_bins(struct hub_store *hs, const struct hub_span *span, int64_t now_ms,
    int64_t window_ms, int (*fn)(const char *, const char *, int64_t, void *), void *arg,
    struct err *e);
int pg_arrivals(struct hub_store *hs, int64_t now_ms, int n, int64_t *counts, struct err *e);
int pg_verify(struct hub_store *hs, struct err *e);
int pg_export_open(struct hub_store *hs, const char *station, struct hub_export **out,
    struct err *e);
int pg_export_next(struct hub_export *c, const struct hub_export_row **row, struct err *e);
void pg_export_close(struct hub_export *c);
int pg_purge_step(struct hub_store *hs, int64_t cutoff_ms, size_t max, struct hub_purge *res,
    struct err *e);

/* ---- sealing (store-pg-key.c) ---- */

/* Seals body under the body key, bound to (station uid, seq, what): out has
 * n + PG_SEAL_OVERHEAD bytes. */
void pg_seal(const struct pg_store *s, const char *uid, uint64_t seq, char what,
    const void *in, size_t n, uint8_t *out);
/* Opens what pg_seal made into out (n - PG_SEAL_OVERHEAD bytes): 0, or -1 if it fails
 * authentication (tampered, moved to another row, or another store's key). */
int pg_open_sealed(const struct pg_store *s, const char *uid, uint64_t seq, char what,
    const uint8_t *in, size_t n, uint8_t *out);
/* The keyed form of a record's content hash kept in the store (so a dump does not let
 * anyone test guesses of a record's content against its hash). */
void pg_hash_mac(const struct pg_store *s, const uint8_t hash[32], uint8_t out[32]);
/* The keyed form of a watchlist or settings key (its row's identity). */
void pg_item_mac(const struct pg_store *s, int kind, const char *key, uint8_t out[32]);

/* Makes a data key, wraps it in a passphrase slot (and a recovery slot, the recovery key
 * written to recovery if not NULL) and stores the slots and the key check; s->keys set. */
int pg_keys_new(struct pg_store *s, const char *pass, size_t len, int kdf, char *recovery,
    struct err *e);
/* Unwraps the data key with the passphrase (or the recovery key, typed): s->keys set;
 * E_LOCKED if neither opens a slot. */
int pg_keys_unlock(struct pg_store *s, const char *secret, size_t len, struct err *e);

#endif
