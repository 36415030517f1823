/* purge.c — retention at the hub; see purge.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/purge.h"
#include "storage/clock.h"
#include "storage/logbook.h"
#include "storage/purge.h"
#include "storage/record.h"
#include "storage/store.h"

#define PURGE_STEP 5000

char *
hub_body_purge(const char *kind, const char *body)
{
	struct record *r;
	char *out = NULL;
	int k = kind != NULL ? rec_kind_parse(kind) : -1;

	if (k > 0 && body != NULL && (r = malloc(sizeof *r)) != NULL) {
		rec_init(r, k);
		if (body_decode(body, r) == 0) {
			rec_purge_blank(r);
			out = body_encode(r);
			free(r);
			return out;
		}
		free(r);
	}
	return strdup("{\"v\":1,\"purged\":1}");
}

static int
item_value(const struct wire_item *it, void *arg)
{
	long *v = arg;
	char *end;

	if (strcmp(it->key, "retention_days") == 0) {
		long x = strtol(it->value, &end, 10);
		if (*end == '\0' && end != it->value)
			*v = x;
		return 1;
	}
	return 0;
}

int
hub_retention_days(struct hub_store *s, int *days, struct err *e)
{
	const struct setting_def *d;
	long v = -1, lo = 1, hi = 3650, def = 28;
	int rc;

	for (d = settings_keys; d->key != NULL; d++)
		if (strcmp(d->key, "retention_days") == 0) {
			def = strtol(d->def, NULL, 10);
			lo = d->lo;
			hi = d->hi;
		}
	if ((rc = hubstore_items_list(s, WIRE_PULL_SETTINGS, item_value, &v, e)) != E_OK)
		return rc;
	/* a value stations would refuse is no retention at the hub either */
	*days = (int)(v >= lo && v <= hi ? v : def);
	return E_OK;
}

static int
purge_mark(struct hub_store *s, int64_t now_ms, struct err *e)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)now_ms);
	return hubstore_meta_set(s, "last_purge_ms", buf, e);
}

int
hub_purge(struct hub_store *s, int64_t now_ms, struct hub_purge *res, struct err *e)
{
	int days, rc;

	memset(res, 0, sizeof *res);
	if ((rc = hub_retention_days(s, &days, e)) != E_OK)
		return rc;
	do {
		if ((rc = hubstore_purge_step(s, now_ms - (int64_t)days * 86400000, PURGE_STEP,
		    res, e)) != E_OK)
			return rc;
		if ((rc = hubstore_checkpoint(s, e)) != E_OK)
			return rc;
	} while (!res->done);
	return purge_mark(s, now_ms, e);
}

int
hub_purge_tick(struct hub_store *s, int64_t now_ms, size_t max, int *busy, int *done,
    int64_t *purged, struct err *e)
{
	struct hub_purge res;
	char buf[32];
	int64_t last = 0;
	int found, days, tz = clock_tz_min(now_ms), rc;

	*busy = 0;
	*done = 0;
	*purged = 0;
	if ((rc = hubstore_meta_get(s, "last_purge_ms", buf, sizeof buf, &found, e)) != E_OK)
		return rc;
	if (found)
		last = strtoll(buf, NULL, 10);
	if (found && clock_day(last, tz) >= clock_day(now_ms, tz))
		return E_OK;	/* done today */
	if ((rc = hub_retention_days(s, &days, e)) != E_OK)
		return rc;
	memset(&res, 0, sizeof res);
	if ((rc = hubstore_purge_step(s, now_ms - (int64_t)days * 86400000, max, &res, e)) !=
	    E_OK || (rc = hubstore_checkpoint(s, e)) != E_OK)
		return rc;
	*purged = res.records;
	if (!res.done) {
		*busy = 1;
		return E_OK;
	}
	*done = 1;
	return purge_mark(s, now_ms, e);
}
