/* store.c — the hub store's front: picks the backend by address, then every call goes
 * through its struct hubstore_ops. See store.h for the contracts. */
#include <assert.h>
#include <string.h>

#include "base/parse.h"
#include "base/text.h"
#include "hub/store-impl.h"

/* Looked up in order; the last (SQLite, a path) takes any address. A PostgreSQL backend
 * goes before it. */
static const struct hubstore_ops *const backends[] = {
	&hubstore_pg_ops,
	&hubstore_sqlite_ops,
};
#define NBACKENDS (sizeof backends / sizeof backends[0])

static const struct hubstore_ops *
backend_for(const char *address)
{
	size_t i;

	for (i = 0; i + 1 < NBACKENDS; i++)
		if (backends[i]->claims(address))
			return backends[i];
	return backends[NBACKENDS - 1];
}

/* A PostgreSQL address when no backend for it is built: say so rather than make a file. */
static int
unbuilt(const char *address, struct err *e)
{
	if ((strncmp(address, "postgresql://", 13) == 0 || strncmp(address, "postgres://", 11) == 0)
	    && strcmp(backend_for(address)->name, "postgresql") != 0)
		return err_set(e, E_USAGE, "%s",
		    _("this outpost-hub is built without the PostgreSQL store"));
	return E_OK;
}

const char *
hubstore_backend_of(const char *address)
{
	if (strncmp(address, "postgresql://", 13) == 0 || strncmp(address, "postgres://", 11) == 0)
		return "postgresql";
	return backend_for(address)->name;
}

int
hubstore_probe(const char *address, struct err *e)
{
	int rc;

	if ((rc = unbuilt(address, e)) != E_OK)
		return rc;
	return backend_for(address)->probe(address, e);
}

int
hubstore_open(const struct hubstore_params *p, struct hub_store **out, struct err *e)
{
	int rc;

	assert(p != NULL && p->address != NULL && out != NULL);
	*out = NULL;
	if ((rc = unbuilt(p->address, e)) != E_OK)
		return rc;
	return backend_for(p->address)->open(p, out, e);
}

void
hubstore_close(struct hub_store *s)
{
	if (s != NULL)
		s->ops->close(s);
}

int
hubstore_destroy(const char *address, struct err *e)
{
	return backend_for(address)->destroy(address, e);
}

const char *
hubstore_backend(const struct hub_store *s)
{
	return s->ops->name;
}

int
hubstore_keys_create(struct hub_store *s, struct err *e)
{
	return s->ops->keys_create(s, e);
}

int
hubstore_keys_load(struct hub_store *s, uint8_t pk[32], uint8_t **sk, struct err *e)
{
	return s->ops->keys_load(s, pk, sk, e);
}

int
hubstore_meta_get(struct hub_store *s, const char *k, char *buf, size_t n, int *found,
    struct err *e)
{
	*found = 0;
	return s->ops->meta_get(s, k, buf, n, found, e);
}

int
hubstore_meta_set(struct hub_store *s, const char *k, const char *v, struct err *e)
{
	return s->ops->meta_set(s, k, v, e);
}

int
hubstore_station_add(struct hub_store *s, const char *name, const uint8_t enroll_pk[32],
    int64_t now_ms, uint64_t *id, struct err *e)
{
	int rc;

	if (name[0] == '\0' || strlen(name) > 64)
		return err_set(e, E_INVALID, "%s", _("a station name has 1 to 64 bytes"));
	if ((rc = text_check(name, 0, _("station name"), e)) != E_OK)
		return rc;
	return s->ops->station_add(s, name, enroll_pk, now_ms, id, e);
}

int
hubstore_station_by_key(struct hub_store *s, const uint8_t pk[32], int enroll,
    struct hub_station *st, struct err *e)
{
	return s->ops->station_by_key(s, pk, enroll, st, e);
}

int
hubstore_station_by_name(struct hub_store *s, const char *name, struct hub_station *st,
    struct err *e)
{
	return s->ops->station_by_name(s, name, st, e);
}

int
hubstore_enroll_complete(struct hub_store *s, const uint8_t enroll_pk[32],
    const uint8_t curve_pk[32], const uint8_t sign_pk[32], const char *uid, int64_t now_ms,
    struct hub_station *st, struct err *e)
{
	return s->ops->enroll_complete(s, enroll_pk, curve_pk, sign_pk, uid, now_ms, st, e);
}

int
hubstore_station_revoke(struct hub_store *s, const char *name, struct err *e)
{
	return s->ops->station_revoke(s, name, e);
}

int
hubstore_authorize(struct hub_store *s, const uint8_t pk[32])
{
	return s->ops->authorize(s, pk) == 1;
}

int
hubstore_station_seen(struct hub_store *s, uint64_t id, int64_t now_ms, int64_t skew_ms,
    int have_skew, struct err *e)
{
	return s->ops->station_seen(s, id, now_ms, skew_ms, have_skew, e);
}

int
hubstore_stations(struct hub_store *s, int (*fn)(const struct hub_station *, void *),
    void *arg, struct err *e)
{
	return s->ops->stations(s, fn, arg, e);
}

int
hubstore_ingest(struct hub_store *s, const struct hub_station *st, const struct wire_record *r,
    size_t n, int64_t now_ms, struct hub_ingest *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	return s->ops->ingest(s, st, r, n, now_ms, res, e);
}

int
hubstore_item_check(int kind, const struct wire_item *it, struct err *e)
{
	int rc, y, m, d;

	/* what every station will be sent is checked here, once for all of them */
	if ((rc = text_check(it->key, 0, kind == WIRE_PULL_WATCHLIST ? "value" : "key", e)) !=
	    E_OK ||
	    (it->value != NULL && (rc = text_check(it->value, 0,
		kind == WIRE_PULL_WATCHLIST ? "reason" : it->key, e)) != E_OK) ||
	    (it->extra != NULL && (rc = text_check(it->extra, 0, "until", e)) != E_OK))
		return rc;
	if (kind == WIRE_PULL_WATCHLIST && it->extra != NULL && it->extra[0] != '\0' &&
	    (rc = parse_date(it->extra, "until", &y, &m, &d, e)) != E_OK)
		return rc;
	return E_OK;
}

int
hubstore_items_set(struct hub_store *s, int kind, const struct wire_item *it, size_t n,
    struct err *e)
{
	size_t i;
	int rc;

	assert(kind == WIRE_PULL_SETTINGS || kind == WIRE_PULL_WATCHLIST);
	for (i = 0; i < n; i++)
		if ((rc = hubstore_item_check(kind, &it[i], e)) != E_OK)
			return rc;
	return s->ops->items_set(s, kind, it, n, e);
}

int
hubstore_item_latest(struct hub_store *s, int kind, uint64_t *ver, struct err *e)
{
	*ver = 0;
	return s->ops->item_latest(s, kind, ver, e);
}

int
hubstore_items_pull(struct hub_store *s, int kind, uint64_t since, struct wire_msg *m,
    struct err *e)
{
	return s->ops->items_pull(s, kind, since, m, e);
}

int
hubstore_items_list(struct hub_store *s, int kind, int (*fn)(const struct wire_item *, void *),
    void *arg, struct err *e)
{
	return s->ops->items_list(s, kind, fn, arg, e);
}

int
hubstore_report_totals(struct hub_store *s, const struct hub_span *span,
    int (*fn)(const struct hub_total *, void *), void *arg, struct err *e)
{
	assert(span->nstations == 0 || span->stations != NULL);
	return s->ops->report_totals(s, span, fn, arg, e);
}

int
hubstore_report_bins(struct hub_store *s, const struct hub_span *span, int64_t now_ms,
    int64_t window_ms, int (*fn)(const char *, const char *, int64_t, void *), void *arg,
    struct err *e)
{
	assert(span->nstations == 0 || span->stations != NULL);
	return s->ops->report_bins(s, span, now_ms, window_ms, fn, arg, e);
}

int
hubstore_arrivals(struct hub_store *s, int64_t now_ms, int n, int64_t *counts, struct err *e)
{
	assert(n > 0 && n <= 1440);
	memset(counts, 0, (size_t)n * sizeof *counts);
	return s->ops->arrivals(s, now_ms, n, counts, e);
}

int
hubstore_verify(struct hub_store *s, struct err *e)
{
	return s->ops->verify(s, e);
}

int
hubstore_export_open(struct hub_store *s, const char *station, struct hub_export **out,
    struct err *e)
{
	int rc;

	*out = NULL;
	if ((rc = s->ops->export_open(s, station, out, e)) == E_OK)
		assert((*out)->page > 0);
	return rc;
}

void
hubstore_export_set_page(struct hub_export *c, unsigned rows)
{
	assert(rows > 0);
	c->page = rows;
}

int
hubstore_export_next(struct hub_export *c, const struct hub_export_row **row, struct err *e)
{
	return c->store->ops->export_next(c, row, e);
}

void
hubstore_export_close(struct hub_export *c)
{
	if (c != NULL)
		c->store->ops->export_close(c);
}

int
hubstore_purge_step(struct hub_store *s, int64_t cutoff_ms, size_t max, struct hub_purge *res,
    struct err *e)
{
	assert(max > 0);
	res->cutoff_ms = cutoff_ms;
	res->done = 0;
	return s->ops->purge_step(s, cutoff_ms, max, res, e);
}

int
hubstore_checkpoint(struct hub_store *s, struct err *e)
{
	return s->ops->checkpoint(s, e);
}
