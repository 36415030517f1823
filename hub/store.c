/* store.c — the hub store's front: picks the backend by address, then every call goes
 * through its struct hubstore_ops. See store.h for the contracts. */
#include <assert.h>
#include <stdio.h>
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

static int
is_pg_url(const char *a)
{
	return strncmp(a, "postgresql://", 13) == 0 || strncmp(a, "postgres://", 11) == 0;
}

/* Where a postgresql:// URL holds its passwords: the user part's after ':' (up to the
 * last '@' before the path) and every password= parameter's value. Fills up to max
 * [start, end) spans of address; returns how many. */
static int
url_passwords(const char *a, size_t span[][2], int max)
{
	const char *auth = strstr(a, "://") + 3, *end, *at = NULL, *p, *q;
	int n = 0;

	end = auth + strcspn(auth, "/?#");
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (at != NULL && (p = memchr(auth, ':', (size_t)(at - auth))) != NULL && n < max) {
		span[n][0] = (size_t)(p + 1 - a);
		span[n][1] = (size_t)(at - a);
		n++;
	}
	if ((q = strchr(end, '?')) == NULL)
		return n;
	for (p = q + 1; *p != '\0' && n < max; p += strcspn(p, "&"), p += *p == '&') {
		if (strncmp(p, "password=", 9) != 0)
			continue;
		span[n][0] = (size_t)(p + 9 - a);
		span[n][1] = span[n][0] + strcspn(p + 9, "&#");
		n++;
	}
	return n;
}

void
hubstore_address_shown(const char *address, char *out, size_t n)
{
	size_t span[8][2], o = 0, from = 0;
	int k, m;

	if (n == 0)
		return;
	if (!is_pg_url(address)) {
		snprintf(out, n, "%s", address);
		return;
	}
	m = url_passwords(address, span, 8);
	out[0] = '\0';
	for (k = 0; k <= m && o + 1 < n; k++) {
		size_t to = k < m ? span[k][0] : strlen(address);
		int w = snprintf(out + o, n - o, "%.*s%s", (int)(to - from), address + from,
		    k < m ? "***" : "");
		if (w < 0)
			break;
		o += (size_t)w < n - o ? (size_t)w : n - o - 1;
		from = k < m ? span[k][1] : to;
	}
}

/* Replaces every occurrence of s (len bytes) in msg (cap bytes) with ***, cutting the
 * end of msg if it no longer fits. */
static void
scrub_one(char *msg, size_t cap, const char *s, size_t len)
{
	char *from = msg, *p;
	size_t at, rest;

	if (len == 0)
		return;
	while ((p = memmem(from, strlen(from), s, len)) != NULL) {
		at = (size_t)(p - msg);
		if (at + 4 > cap) {
			*p = '\0';
			return;
		}
		rest = strlen(p + len);
		if (at + 3 + rest + 1 > cap)
			rest = cap - at - 4;
		memmove(p + 3, p + len, rest);
		p[3 + rest] = '\0';
		memcpy(p, "***", 3);
		from = p + 3;	/* past it: a password "*" must not find its own stars */
	}
}

/* A backend's message may quote the address or a piece of it (libpq: 'invalid
 * percent-encoded token: "pa%zz"'): no password, typed or decoded, is left in e. */
static void
scrub(const char *address, struct err *e)
{
	size_t span[8][2], i, j, len;
	char decoded[256];
	int k, m;

	if (e == NULL || !is_pg_url(address))
		return;
	m = url_passwords(address, span, 8);
	for (k = 0; k < m; k++) {
		len = span[k][1] - span[k][0];
		scrub_one(e->msg, sizeof e->msg, address + span[k][0], len);
		for (i = span[k][0], j = 0; i < span[k][1] && j + 1 < sizeof decoded; i++) {
			if (address[i] == '%' && i + 2 < span[k][1] &&
			    parse_hex_digit(address[i + 1]) >= 0 && parse_hex_digit(address[i + 2]) >= 0) {
				decoded[j++] = (char)(parse_hex_digit(address[i + 1]) << 4 |
				    parse_hex_digit(address[i + 2]));
				i += 2;
			} else {
				decoded[j++] = address[i];
			}
		}
		scrub_one(e->msg, sizeof e->msg, decoded, j);
	}
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
	if ((rc = backend_for(address)->probe(address, e)) != E_OK)
		scrub(address, e);
	return rc;
}

int
hubstore_open(const struct hubstore_params *p, struct hub_store **out, struct err *e)
{
	int rc;

	assert(p != NULL && p->address != NULL && out != NULL);
	*out = NULL;
	if ((rc = unbuilt(p->address, e)) != E_OK)
		return rc;
	if ((rc = backend_for(p->address)->open(p, out, e)) != E_OK)
		scrub(p->address, e);
	return rc;
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
	int rc;

	if ((rc = backend_for(address)->destroy(address, e)) != E_OK)
		scrub(address, e);
	return rc;
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
hubstore_ingest_group(struct hub_store *s, struct hub_batch *b, size_t n, int64_t now_ms,
    struct err *e)
{
	size_t i;

	assert(n >= 1 && n <= HUB_GROUP_MAX);
	for (i = 0; i < n; i++) {
		memset(&b[i].res, 0, sizeof b[i].res);
		err_clear(&b[i].e);
		b[i].rc = E_OK;
	}
	if (s->ops->ingest_group != NULL)
		return s->ops->ingest_group(s, b, n, now_ms, e);
	/* one transaction a batch; the station seen after its own commit */
	for (i = 0; i < n; i++) {
		b[i].rc = s->ops->ingest(s, b[i].st, b[i].r, b[i].n, now_ms, &b[i].res, &b[i].e);
		if (b[i].rc == E_OK)
			s->ops->station_seen(s, b[i].st->id, now_ms, 0, 0, NULL);
	}
	(void)e;
	return E_OK;
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
