/* client.c — the station's sync state machine (see client.h). One request is in flight at
 * a time; every request carries a fresh id and a reply with another id is ignored, so a
 * late answer to an abandoned request can never be taken for the current one. */
#include <assert.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <zmq.h>

#include "base/mono.h"
#include "sync/client.h"
#include "storage/clock.h"
#include "sync/link.h"

struct sync_client {
	struct identity id;		/* secret keys in sodium_malloc memory */
	const struct sync_source *src;	/* points at srcbuf */
	struct sync_source srcbuf;
	struct sync_opts o;
	void *ctx;
	struct link *link;
	int state;
	int64_t deadline;		/* monotonic ms: the request in flight fails after */
	int64_t next_try;		/* monotonic ms: BACKOFF ends / next automatic pass */
	int fails;			/* passes failed in a row */
	int ep, ep_tried;		/* the endpoint in use; others tried in this pass */
	char endpoint[256];
	uint64_t req_id, await;		/* last id used; the one awaited (0: none) */
	int64_t cursor;			/* push from cursor + 1: the hub's hw as last told */
	int64_t pushed_to;		/* a pass found nothing after this seq to push */
	int64_t next_look;		/* monotonic ms: IDLE looks for new records (watch_ms) */
	int64_t batch_to;
	int stalls;
	uint64_t cfg_latest, wl_latest;
	struct sync_status st;
};

static const char *const state_names[SYNC_STATE_COUNT] = {
	"idle", "connecting", "hello", "push", "pull", "backoff", "revoked"
};

const char *
sync_state_name(int state)
{
	return state >= 0 && state < SYNC_STATE_COUNT ? state_names[state] : "?";
}


static void
add_error(struct sync_client *c, const char *fmt, ...)
{
	va_list ap;
	int i;

	for (i = SYNC_ERRORS - 1; i > 0; i--)
		memcpy(c->st.errors[i], c->st.errors[i - 1], sizeof c->st.errors[i]);
	va_start(ap, fmt);
	vsnprintf(c->st.errors[0], sizeof c->st.errors[0], fmt, ap);
	va_end(ap);
	if (c->st.nerrors < SYNC_ERRORS)
		c->st.nerrors++;
}

static void
progress(struct sync_client *c)
{
	struct sync_status s;

	if (c->o.progress != NULL) {
		sync_client_status(c, &s);
		c->o.progress(c->o.progress_arg, &s);
	}
}

static void
drop_link(struct sync_client *c)
{
	link_close(c->link);
	c->link = NULL;
	c->await = 0;
	c->st.link_up = 0;
}

static void start_pass(struct sync_client *c);

/* The pass failed: back off (or stop for good when refused). */
static void
fail(struct sync_client *c, int result, const char *msg)
{
	int64_t delay;
	int i;

	drop_link(c);
	add_error(c, "%s", msg);
	/* Another hub process of the same store may answer: fail over before backing off. */
	if (result == SYNC_R_UNREACHABLE &&
	    c->ep_tried + 1 < link_endpoint(c->id.endpoint, 0, c->endpoint, sizeof c->endpoint)) {
		c->ep++;
		c->ep_tried++;
		start_pass(c);
		return;
	}
	c->ep_tried = 0;
	c->st.result = result;
	if (result == SYNC_R_REFUSED) {
		c->state = SYNC_REVOKED;
		progress(c);
		return;
	}
	c->fails++;
	delay = c->o.backoff_min_ms;
	for (i = 1; i < c->fails && delay < c->o.backoff_max_ms; i++)
		delay *= 2;
	if (delay > c->o.backoff_max_ms)
		delay = c->o.backoff_max_ms;
	/* jitter: between half and all of it, so stations cut together do not return together */
	delay = delay / 2 + (int64_t)randombytes_uniform((uint32_t)(delay / 2 + 1));
	c->next_try = mono_ms() + delay;
	c->state = SYNC_BACKOFF;
	progress(c);
}

static int
request(struct sync_client *c, struct wire_msg *m)
{
	struct err e;

	m->req_id = ++c->req_id;
	if (link_send(c->link, m, &e) != E_OK) {
		fail(c, SYNC_R_UNREACHABLE, e.msg);
		return -1;
	}
	c->await = m->req_id;
	c->deadline = mono_ms() + c->o.request_ms;
	return 0;
}

static void
start_pass(struct sync_client *c)
{
	struct link_opts lo;
	struct wire_msg m;
	struct err e;

	drop_link(c);	/* a pass restarted midway starts from a fresh link */
	c->st.pass_pushed = 0;
	c->st.pass_pulled = 0;
	c->stalls = 0;
	c->state = SYNC_CONNECTING;
	memset(&lo, 0, sizeof lo);
	link_endpoint(c->id.endpoint, c->ep, c->endpoint, sizeof c->endpoint);
	lo.endpoint = c->endpoint;
	lo.hub_pk = c->id.hub_pk;
	lo.pk = c->id.curve_pk;
	lo.sk = c->id.curve_sk;
	lo.heartbeat_ms = c->o.heartbeat_ms;
	if (link_open(c->ctx, &lo, &c->link, &e) != E_OK) {
		fail(c, SYNC_R_UNREACHABLE, e.msg);
		return;
	}
	memset(&m, 0, sizeof m);
	m.type = WIRE_HELLO;
	m.u.hello.last_acked = (uint64_t)c->src->acked(c->src->arg);
	m.u.hello.cfg_ver = (uint64_t)c->src->version(c->src->arg, WIRE_PULL_SETTINGS);
	m.u.hello.wl_ver = (uint64_t)c->src->version(c->src->arg, WIRE_PULL_WATCHLIST);
	m.u.hello.dev_time = clock_now_ms();
	if (request(c, &m) == 0)
		c->state = SYNC_HELLO;
}

/* Records gathered for one batch: bodies copied, as the source's are only lent. */
struct gather {
	struct wire_record *r;
	size_t n, cap;
	char *arena;
	size_t used, size;
};

static int
gather_one(const struct wire_record *r, void *arg)
{
	struct gather *g = arg;

	if (g->n == g->cap || g->used + r->body_len > g->size)
		return 1;
	g->r[g->n] = *r;
	memcpy(g->arena + g->used, r->body, r->body_len);
	g->r[g->n].body = g->arena + g->used;
	g->used += r->body_len;
	g->n++;
	return 0;
}

static void done_pass(struct sync_client *c);
static void pull_next(struct sync_client *c);

static void
push_next(struct sync_client *c)
{
	struct gather g;
	struct wire_msg m;
	struct err e;
	uint8_t *body;
	size_t len;

	c->state = SYNC_PUSH;
	memset(&g, 0, sizeof g);
	g.cap = (size_t)c->o.batch_rows;
	g.size = c->o.batch_bytes + WIRE_BODY_MAX;	/* one record always fits */
	if ((g.r = calloc(g.cap, sizeof *g.r)) == NULL || (g.arena = malloc(g.size)) == NULL) {
		free(g.r);
		fail(c, SYNC_R_ERROR, "out of memory");
		return;
	}
	if (c->src->read(c->src->arg, c->cursor, g.cap, c->o.batch_bytes, gather_one, &g, &e) !=
	    E_OK) {
		free(g.r);
		free(g.arena);
		fail(c, SYNC_R_ERROR, e.msg);
		return;
	}
	if (g.n == 0) {
		free(g.r);
		free(g.arena);
		c->pushed_to = c->cursor;
		pull_next(c);
		return;
	}
	if (wire_batch_encode(g.r, g.n, &body, &len, &e) != E_OK) {
		free(g.r);
		free(g.arena);
		fail(c, SYNC_R_ERROR, e.msg);
		return;
	}
	memset(&m, 0, sizeof m);
	m.type = WIRE_PUSH;
	m.u.push.batch_id = c->req_id + 1;
	m.u.push.seq_from = g.r[0].seq;
	m.u.push.seq_to = g.r[g.n - 1].seq;
	m.u.push.body = body;
	m.u.push.body_len = len;
	c->batch_to = (int64_t)g.r[g.n - 1].seq;
	free(g.r);
	free(g.arena);
	request(c, &m);
	free(body);
}

static void
pull_next(struct sync_client *c)
{
	struct wire_msg m;
	int64_t cfg = c->src->version(c->src->arg, WIRE_PULL_SETTINGS);
	int64_t wl = c->src->version(c->src->arg, WIRE_PULL_WATCHLIST);

	c->state = SYNC_PULL;
	memset(&m, 0, sizeof m);
	m.type = WIRE_PULL;
	if ((uint64_t)cfg < c->cfg_latest) {
		m.u.pull.kind = WIRE_PULL_SETTINGS;
		m.u.pull.since_ver = (uint64_t)cfg;
	} else if ((uint64_t)wl < c->wl_latest) {
		m.u.pull.kind = WIRE_PULL_WATCHLIST;
		m.u.pull.since_ver = (uint64_t)wl;
	} else {
		done_pass(c);
		return;
	}
	request(c, &m);
}

static void
done_pass(struct sync_client *c)
{
	struct timespec ts;

	drop_link(c);
	clock_gettime(CLOCK_REALTIME, &ts);
	c->st.last_success_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	c->st.result = c->st.pass_pushed || c->st.pass_pulled ? SYNC_R_DONE : SYNC_R_NOTHING;
	c->fails = 0;
	c->ep_tried = 0;
	c->state = SYNC_IDLE;
	c->next_try = mono_ms() + c->o.interval_ms;
	progress(c);
}

static void
on_hello_ok(struct sync_client *c, const struct wire_msg *m)
{
	int64_t hw = (int64_t)m->u.hello_ok.hw, last = c->src->last_seq(c->src->arg);
	struct err e;

	c->st.skew_ms = clock_now_ms() - m->u.hello_ok.hub_time;
	c->cfg_latest = m->u.hello_ok.cfg_latest;
	c->wl_latest = m->u.hello_ok.wl_latest;
	if (hw > last)
		add_error(c, "the hub holds records up to %lld but this logbook ends at %lld "
		    "(restored from an old copy?)", (long long)hw, (long long)last);
	else if (hw > c->src->acked(c->src->arg) && c->src->set_acked(c->src->arg, hw, &e) !=
	    E_OK)
		add_error(c, "%s", e.msg);
	/* the hub's mark is the truth: lower than ours means it lost records; resend */
	c->cursor = hw;
	push_next(c);
}

static void
on_ack(struct sync_client *c, const struct wire_msg *m)
{
	int64_t hw = (int64_t)m->u.ack.hw;
	struct err e;

	if (m->u.ack.nconflicts > 0) {
		c->st.conflicts += m->u.ack.nconflicts;
		add_error(c, "%zu records differ from the hub's copy (first seq %llu); both kept",
		    m->u.ack.nconflicts, (unsigned long long)m->u.ack.conflicts[0]);
	}
	if (hw > c->cursor) {
		c->st.pass_pushed += (uint64_t)(hw - c->cursor);
		c->stalls = 0;
	} else if (++c->stalls >= 3) {
		fail(c, SYNC_R_ERROR, "the hub does not advance past this batch");
		return;
	}
	if (hw <= c->src->last_seq(c->src->arg) && hw > c->src->acked(c->src->arg) &&
	    c->src->set_acked(c->src->arg, hw, &e) != E_OK)
		add_error(c, "%s", e.msg);
	c->cursor = hw;
	progress(c);
	push_next(c);
}

static void
on_items(struct sync_client *c, const struct wire_msg *m)
{
	struct err e;
	size_t i;
	int bad = 0;

	for (i = 0; i < m->u.items.nitems; i++) {
		if (c->src->apply(c->src->arg, m->u.items.kind, &m->u.items.items[i], &e) == E_OK)
			c->st.pass_pulled++;
		else if (bad++ == 0)
			add_error(c, "%s", e.msg);
	}
	/* the cursor did not move (nothing applicable): do not ask again in this pass */
	if (m->u.items.kind == WIRE_PULL_SETTINGS &&
	    c->src->version(c->src->arg, WIRE_PULL_SETTINGS) < (int64_t)c->cfg_latest)
		c->cfg_latest = (uint64_t)c->src->version(c->src->arg, WIRE_PULL_SETTINGS);
	if (m->u.items.kind == WIRE_PULL_WATCHLIST &&
	    c->src->version(c->src->arg, WIRE_PULL_WATCHLIST) < (int64_t)c->wl_latest)
		c->wl_latest = (uint64_t)c->src->version(c->src->arg, WIRE_PULL_WATCHLIST);
	pull_next(c);
}

/* The hub answered the request in flight. */
static void
on_reply(struct sync_client *c, const struct wire_msg *m)
{
	char msg[WIRE_TEXT_MAX + 64];

	c->await = 0;
	if (m->type == WIRE_ERROR) {
		if (m->u.error.code == WIRE_E_UNAVAILABLE || m->u.error.code == WIRE_E_INTERNAL) {
			snprintf(msg, sizeof msg, _("hub temporarily unavailable, will retry (%s)"),
			    m->u.error.text);
			fail(c, SYNC_R_UNAVAILABLE, msg);
			return;
		}
		snprintf(msg, sizeof msg, "hub: %s", m->u.error.text);
		fail(c, m->u.error.code == WIRE_E_REFUSED ? SYNC_R_REFUSED : SYNC_R_ERROR, msg);
		return;
	}
	if (c->state == SYNC_HELLO && m->type == WIRE_HELLO_OK)
		on_hello_ok(c, m);
	else if (c->state == SYNC_PUSH && m->type == WIRE_ACK)
		on_ack(c, m);
	else if (c->state == SYNC_PULL && (m->type == WIRE_DELTA || m->type == WIRE_SNAPSHOT))
		on_items(c, m);
	else {
		snprintf(msg, sizeof msg, "unexpected %s from the hub", wire_type_name(m->type));
		fail(c, SYNC_R_ERROR, msg);
	}
}

/* Waits for the reply in flight, at most timeout_ms. */
static void
wait_reply(struct sync_client *c, int timeout_ms)
{
	struct wire_msg m;
	struct err e;
	uint8_t *buf;
	int64_t left = c->deadline - mono_ms();
	int rc, ls;

	if (left < 0)
		left = 0;
	if (timeout_ms > left)
		timeout_ms = (int)left;
	rc = link_recv(c->link, timeout_ms, &m, &buf, &e);
	ls = link_state(c->link);
	if (ls == LINK_UP)
		c->st.link_up = 1;
	if (ls == LINK_REFUSED) {
		if (rc == E_OK) {
			wire_msg_free(&m);
			free(buf);
		}
		fail(c, SYNC_R_REFUSED, _("the hub refused this station's key (revoked?)"));
		return;
	}
	/* the hub could not check the key (its store is down): not a refusal, back off */
	if (ls == LINK_UNAVAILABLE && rc != E_OK) {
		fail(c, SYNC_R_UNAVAILABLE, _("hub temporarily unavailable, will retry"));
		return;
	}
	/* every handshake failed (BAD_PEER_FAILURES in a row, none ever succeeded): waiting
	 * out the deadline would only say the same later */
	if (ls == LINK_BAD_PEER && rc != E_OK) {
		fail(c, SYNC_R_BAD_HUB,
		    _("the handshake failed: the peer is not the hub this station enrolled with"));
		return;
	}
	if (rc == E_OK) {
		if (m.req_id == c->await && c->await != 0)
			on_reply(c, &m);
		else if (m.type == WIRE_ERROR && m.req_id == 0 && c->await != 0)
			on_reply(c, &m);	/* the hub could not read which request it was */
		wire_msg_free(&m);
		free(buf);
		return;
	}
	if (rc == E_INVALID) {
		fail(c, SYNC_R_ERROR, e.msg);
		return;
	}
	if (ls == LINK_LOST) {
		fail(c, SYNC_R_UNREACHABLE, _("the link to the hub was cut"));
		return;
	}
	if (mono_ms() >= c->deadline)
		fail(c, SYNC_R_UNREACHABLE, _("the hub did not answer in time"));
}

/* IDLE or BACKOFF: sleeps until the next thing due (a retry, an interval pass, a watch
 * look), at most timeout_ms; a signal ends the sleep early. */
static void
idle_wait(struct sync_client *c, int timeout_ms, int64_t now)
{
	int64_t due = now + timeout_ms;
	struct timespec ts;

	if ((c->state == SYNC_BACKOFF || c->o.interval_ms > 0) && c->next_try < due)
		due = c->next_try;
	if (c->state == SYNC_IDLE && c->o.watch_ms > 0 && c->next_look < due)
		due = c->next_look;
	if (due <= now)
		return;
	ts.tv_sec = (time_t)((due - now) / 1000);
	ts.tv_nsec = (long)((due - now) % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

int
sync_client_step(struct sync_client *c, int timeout_ms)
{
	int64_t now = mono_ms();

	if (timeout_ms > 0 && (c->state == SYNC_IDLE || c->state == SYNC_BACKOFF)) {
		idle_wait(c, timeout_ms, now);
		now = mono_ms();
	}
	switch (c->state) {
	case SYNC_IDLE:
		if (c->o.interval_ms > 0 && now >= c->next_try) {
			start_pass(c);
		} else if (c->o.watch_ms > 0 && now >= c->next_look) {
			/* new records since the last pass pushed everything: push them now (records
			 * a pass could not move, e.g. beyond a restored hub's mark, wait for the
			 * interval instead of looping) */
			c->next_look = now + c->o.watch_ms;
			if (c->src->last_seq(c->src->arg) > c->pushed_to)
				start_pass(c);
		}
		break;
	case SYNC_BACKOFF:
		if (now >= c->next_try)
			start_pass(c);
		break;
	case SYNC_HELLO:
	case SYNC_PUSH:
	case SYNC_PULL:
		if (c->await != 0)
			wait_reply(c, timeout_ms);
		break;
	case SYNC_CONNECTING:
		start_pass(c);
		break;
	case SYNC_REVOKED:
		break;
	}
	return c->state;
}

void
sync_client_kick(struct sync_client *c)
{
	if (c->state == SYNC_IDLE || c->state == SYNC_BACKOFF)
		start_pass(c);
}

void
sync_client_status(struct sync_client *c, struct sync_status *s)
{
	int64_t now = mono_ms();

	*s = c->st;
	s->state = c->state;
	s->waiting = c->src->last_seq(c->src->arg) - c->src->acked(c->src->arg);
	if (s->waiting < 0)
		s->waiting = 0;
	s->retry_in_ms = c->state == SYNC_BACKOFF && c->next_try > now ? c->next_try - now : 0;
}

int
sync_client_run_once(struct sync_client *c, int timeout_ms)
{
	int64_t end = mono_ms() + timeout_ms;
	int s;

	if (c->state == SYNC_REVOKED)
		return SYNC_R_REFUSED;
	c->st.result = SYNC_R_NONE;
	start_pass(c);
	for (;;) {
		s = c->state;
		if (s == SYNC_IDLE || s == SYNC_BACKOFF || s == SYNC_REVOKED)
			break;
		if (mono_ms() >= end) {
			c->ep_tried = INT_MAX - 1;	/* out of time: no other endpoint now */
			fail(c, SYNC_R_UNREACHABLE, _("the pass took too long"));
			break;
		}
		sync_client_step(c, 100);
	}
	return c->st.result;
}

int
sync_client_new(const struct identity *id, const struct sync_source *src,
    const struct sync_opts *o, struct sync_client **out, struct err *e)
{
	struct sync_client *c;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	c->id = *id;
	c->id.curve_sk = sodium_malloc(32);
	c->id.sign_sk = NULL;	/* signing is for bundles, not for the link */
	if (c->id.curve_sk == NULL || (c->ctx = zmq_ctx_new()) == NULL) {
		sync_client_free(c);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	memcpy(c->id.curve_sk, id->curve_sk, 32);
	c->srcbuf = *src;
	c->src = &c->srcbuf;
	c->o = *o;
	if (c->o.request_ms <= 0)
		c->o.request_ms = 10000;
	if (c->o.backoff_min_ms <= 0)
		c->o.backoff_min_ms = 1000;
	if (c->o.backoff_max_ms <= 0)
		c->o.backoff_max_ms = 300000;
	if (c->o.backoff_max_ms < c->o.backoff_min_ms)
		c->o.backoff_max_ms = c->o.backoff_min_ms;
	if (c->o.batch_rows <= 0 || c->o.batch_rows > WIRE_BATCH_RECORDS)
		c->o.batch_rows = 500;
	if (c->o.batch_bytes == 0 || c->o.batch_bytes > WIRE_MSG_MAX / 2)
		c->o.batch_bytes = 48 * 1024;
	c->req_id = randombytes_uniform(1u << 30);
	c->state = SYNC_IDLE;
	c->next_try = mono_ms() + c->o.interval_ms;
	c->pushed_to = c->src->acked(c->src->arg);
	*out = c;
	return E_OK;
}

void
sync_client_free(struct sync_client *c)
{
	if (c == NULL)
		return;
	drop_link(c);
	if (c->ctx != NULL)
		zmq_ctx_term(c->ctx);
	if (c->id.curve_sk != NULL)
		sodium_free(c->id.curve_sk);
	sodium_memzero(c, sizeof *c);
	free(c);
}
