/* store-impl.h — for backends only: what a hub store backend provides (one function per
 * entry of store.h, same contracts) and the base structs it embeds first in its own. */
#ifndef OUTPOST_HUB_STORE_IMPL_H
#define OUTPOST_HUB_STORE_IMPL_H

#include "hub/store.h"

struct hubstore_ops;

/* Every backend's store begins with this (struct sqlite_store { struct hub_store base; … }). */
struct hub_store {
	const struct hubstore_ops *ops;
};
/* …and every export cursor with this. */
struct hub_export {
	struct hub_store *store;
	unsigned page;		/* rows per page: export_open sets the backend's default */
};

struct hubstore_ops {
	const char *name;	/* "sqlite", "postgresql" */
	/* 1 if address is this backend's (checked in table order; the last one takes any) */
	int (*claims)(const char *address);
	int (*probe)(const char *address, struct err *e);
	int (*open)(const struct hubstore_params *p, struct hub_store **out, struct err *e);
	void (*close)(struct hub_store *s);
	int (*destroy)(const char *address, struct err *e);

	int (*keys_create)(struct hub_store *s, struct err *e);
	int (*keys_load)(struct hub_store *s, uint8_t pk[32], uint8_t **sk, struct err *e);
	int (*meta_get)(struct hub_store *s, const char *k, char *buf, size_t n, int *found,
	    struct err *e);
	int (*meta_set)(struct hub_store *s, const char *k, const char *v, struct err *e);

	int (*station_add)(struct hub_store *s, const char *name, const uint8_t enroll_pk[32],
	    int64_t now_ms, uint64_t *id, struct err *e);
	int (*station_by_key)(struct hub_store *s, const uint8_t pk[32], int enroll,
	    struct hub_station *st, struct err *e);
	int (*station_by_name)(struct hub_store *s, const char *name, struct hub_station *st,
	    struct err *e);
	int (*enroll_complete)(struct hub_store *s, const uint8_t enroll_pk[32],
	    const uint8_t curve_pk[32], const uint8_t sign_pk[32], const char *uid,
	    int64_t now_ms, struct hub_station *st, struct err *e);
	int (*station_revoke)(struct hub_store *s, const char *name, struct err *e);
	int (*station_seen)(struct hub_store *s, uint64_t id, int64_t now_ms, int64_t skew_ms,
	    int have_skew, struct err *e);
	int (*stations)(struct hub_store *s, int (*fn)(const struct hub_station *, void *),
	    void *arg, struct err *e);

	int (*ingest)(struct hub_store *s, const struct hub_station *st,
	    const struct wire_record *r, size_t n, int64_t now_ms, struct hub_ingest *res,
	    struct err *e);
	/* NULL: hubstore_ingest_group stores each batch in its own transaction */
	int (*ingest_group)(struct hub_store *s, struct hub_batch *b, size_t n, int64_t now_ms,
	    struct err *e);

	int (*items_set)(struct hub_store *s, int kind, const struct wire_item *it, size_t n,
	    struct err *e);
	int (*item_latest)(struct hub_store *s, int kind, uint64_t *ver, struct err *e);
	int (*items_pull)(struct hub_store *s, int kind, uint64_t since, struct wire_msg *m,
	    struct err *e);
	int (*items_list)(struct hub_store *s, int kind,
	    int (*fn)(const struct wire_item *, void *), void *arg, struct err *e);

	int (*report_totals)(struct hub_store *s, const struct hub_span *span,
	    int (*fn)(const struct hub_total *, void *), void *arg, struct err *e);
	int (*report_bins)(struct hub_store *s, const struct hub_span *span, int64_t now_ms,
	    int64_t window_ms, int (*fn)(const char *, const char *, int64_t, void *),
	    void *arg, struct err *e);
	int (*arrivals)(struct hub_store *s, int64_t now_ms, int n, int64_t *counts,
	    struct err *e);
	int (*verify)(struct hub_store *s, struct err *e);

	int (*export_open)(struct hub_store *s, const char *station, struct hub_export **out,
	    struct err *e);
	int (*export_next)(struct hub_export *c, const struct hub_export_row **row,
	    struct err *e);
	void (*export_close)(struct hub_export *c);

	int (*purge_step)(struct hub_store *s, int64_t cutoff_ms, size_t max,
	    struct hub_purge *res, struct err *e);
	int (*checkpoint)(struct hub_store *s, struct err *e);
};

/* The backends (store.c lists them; a backend not built is left out of the table). */
extern const struct hubstore_ops hubstore_sqlite_ops;
extern const struct hubstore_ops hubstore_pg_ops;

#endif
