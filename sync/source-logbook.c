/* source-logbook.c — see source-logbook.h. */
#include <stdio.h>
#include <string.h>

#include "storage/outbox.h"
#include "storage/quarantine.h"
#include "storage/watchlist.h"
#include "sync/source-logbook.h"

static const char *
lb_uid(void *arg)
{
	return logbook_station_id(arg);
}

struct relay {
	int (*cb)(const struct wire_record *, void *);
	void *arg;
};

static int
lb_row(const struct outbox_row *row, void *arg)
{
	struct relay *r = arg;
	struct wire_record w;

	memset(&w, 0, sizeof w);
	w.seq = (uint64_t)row->seq;
	snprintf(w.kind, sizeof w.kind, "%s", row->kind);
	w.created_ms = row->created_ms;
	w.body = row->body;
	w.body_len = row->body_len;
	return r->cb(&w, r->arg);
}

static int
lb_read(void *arg, int64_t after, size_t max_rows, size_t max_bytes,
    int (*cb)(const struct wire_record *, void *), void *cbarg, struct err *e)
{
	struct relay r = { cb, cbarg };

	return outbox_read(arg, after, max_rows, max_bytes, lb_row, &r, NULL, e);
}

static int64_t
lb_acked(void *arg)
{
	return outbox_acked(arg);
}

static int
lb_set_acked(void *arg, int64_t hw, struct err *e)
{
	return outbox_set_acked(arg, hw, e);
}

static int64_t
lb_last(void *arg)
{
	return outbox_last_seq(arg);
}

static int64_t
lb_version(void *arg, int kind)
{
	return kind == WIRE_PULL_SETTINGS ? settings_version(arg) : watchlist_version(arg);
}

static int
lb_apply_one(void *arg, int kind, const struct wire_item *it, struct err *e)
{
	struct watch_entry w;
	const struct setting_def *d;
	const char *colon;

	if (kind == WIRE_PULL_SETTINGS) {
		if (!it->deleted)
			return settings_apply(arg, it->key, it->value, (int64_t)it->ver, e);
		/* the hub no longer sets it: back to the default */
		for (d = settings_keys; d->key != NULL; d++)
			if (strcmp(d->key, it->key) == 0)
				return settings_apply(arg, it->key, d->def, (int64_t)it->ver, e);
		return err_set(e, E_INVALID, _("unknown setting %s from the hub"), it->key);
	}
	memset(&w, 0, sizeof w);
	if ((colon = strchr(it->key, ':')) == NULL || (size_t)(colon - it->key) >= sizeof w.type)
		return err_set(e, E_INVALID, "%s", _("malformed watchlist entry from the hub"));
	memcpy(w.type, it->key, (size_t)(colon - it->key));
	snprintf(w.value, sizeof w.value, "%s", colon + 1);
	snprintf(w.reason, sizeof w.reason, "%s", it->value);
	snprintf(w.until, sizeof w.until, "%s", it->extra != NULL ? it->extra : "");
	w.removed = it->deleted;
	w.version = (int64_t)it->ver;
	return watchlist_apply(arg, &w, e);
}

/* Applies one item; one the station cannot take (not text, or failing the check a local
 * change would fail) is put aside with its reason and counted, and the others go on. */
static int
lb_apply(void *arg, int kind, const struct wire_item *it, struct err *e)
{
	const char *what = kind == WIRE_PULL_SETTINGS ? "setting" : "watchlist";
	struct err qe;
	int rc;

	if (it->bad)
		rc = err_set(e, E_INVALID,
		    _("a %s entry from the hub is not valid text: put aside"), what);
	else if ((rc = lb_apply_one(arg, kind, it, e)) != E_INVALID)
		return rc;
	if (quarantine_item(arg, what, it->key, (int64_t)it->ver, e->msg, &qe) != E_OK)
		return err_set(e, qe.code, "%s", qe.msg);
	return rc;
}

void
source_logbook(struct logbook *lb, struct sync_source *s)
{
	s->arg = lb;
	s->uid = lb_uid;
	s->read = lb_read;
	s->acked = lb_acked;
	s->set_acked = lb_set_acked;
	s->last_seq = lb_last;
	s->version = lb_version;
	s->apply = lb_apply;
}

int
sync_client_for_logbook(struct logbook *lb, const struct sync_opts *o,
    struct sync_client **out, struct err *e)
{
	struct sync_source src;
	struct identity *id;
	int rc;

	if ((rc = identity_load(logbook_db(lb), &id, e)) != E_OK)
		return rc;
	source_logbook(lb, &src);
	rc = sync_client_new(id, &src, o, out, e);
	identity_free(id);
	return rc;
}
