/* server.c — the hub's server loop: ROUTER + ZAP, one handler per message type in a table;
 * between messages, the day's purge in small steps and WAL checkpoints; with ingest
 * workers (hub_opts.ingest), groups stored on connections of their own meanwhile. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <zmq.h>

#include "hub/purge.h"
#include "storage/clock.h"
#include "sync/crash.h"
#include "hub/server.h"
#include "sync/wire.h"
#include "sync/zap.h"

struct hub {
	struct hub_store *store;
	pthread_mutex_t lock;	/* the store is shared with the ZAP thread */
	void *ctx, *router;
	struct zap *zap;
	uint8_t pk[32], *sk;
	char endpoint[256];
	uint64_t answered;
	void (*log)(void *, const char *);
	void *log_arg;
	int purge;			/* run the daily purge */
	int purging;			/* a purge is under way: more steps to go */
	int64_t purged;			/* records purged by today's steps so far */
	int64_t next_purge_ms;
	uint64_t checkpointed;		/* answered at the last checkpoint */
	int64_t checkpoint_ms;
	volatile sig_atomic_t *stop;	/* hub_serve's: set, no further message is taken */
	/* The store failed to answer (PostgreSQL down): until a probe from the serving loop
	 * gets an answer again, handshakes are told "unavailable" at once instead of each
	 * waiting out the store's reconnect attempts (seconds) behind the lock. */
	_Atomic int store_down;
	int64_t probe_ms;		/* the next probe, while store_down */
	struct round *round;		/* the messages hub_one takes at once */
	_Atomic uint64_t groups, grouped;	/* groups stored, and the batches they held */
	/* Ingest workers (hub_opts.ingest): each stores the groups handed to it on its own
	 * store connection while this thread reads and forms the next group. */
	struct worker *w;
	size_t nw;
	struct round *pool;		/* nw + 1 rounds: one is being formed while nw are out */
	struct round *forming;		/* the round the serving loop fills */
	/* Messages held back, in the order they came: each station's have to wait for its
	 * message in a round out (see station_out), while the others are read and handed
	 * out meanwhile. At most HUB_HELD_MAX of them, HUB_HELD_BYTES of payload: past that
	 * the loop reads nothing more until some are answered. */
	struct held *held, **held_tail;
	size_t nheld, held_bytes;
	struct held *held_free, *held_pool;	/* HUB_HELD_MAX nodes, made at the start */
	size_t inflight;		/* rounds handed out and not yet answered */
	_Atomic size_t inflight_max;	/* the most at once */
	_Atomic uint64_t waited;	/* messages that waited for their station's round */
	pthread_mutex_t wlock;		/* worker go/done flags and quit */
	pthread_cond_t wcond;
	int quit, wake[2];		/* wake: a worker is done (read end polled) */
};

/* One ingest worker: a thread and its own store. */
struct worker {
	struct hub *h;
	pthread_t t;
	int started;
	struct hub_store *store;
	struct round *g;		/* the round handed to it, while busy */
	int go, done;			/* under h->wlock */
	int rc;				/* hubstore_ingest_group's */
	struct err e;
	int64_t now;
};

/* Who sent a message, as the ZAP User-Id and the store say now. */
enum peer_kind { PEER_NONE, PEER_STATION, PEER_ENROLL };
struct peer {
	int kind;
	uint8_t pk[32];
	struct hub_station st;
};

int64_t
hub_now_ms(void)
{
	return clock_now_ms();
}

static void
hub_log(struct hub *h, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (h->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	h->log(h->log_arg, line);
}

/* Who holds key p->pk now: fills p->kind (PEER_NONE for unknown or revoked) and returns
 * E_OK, or the store's error when it cannot tell (p->kind then PEER_NONE). */
static int
peer_by_key(struct hub *h, struct peer *p, struct err *e)
{
	int rc;

	p->kind = PEER_NONE;
	rc = hubstore_station_by_key(h->store, p->pk, 0, &p->st, e);
	if (rc == E_OK) {
		if (p->st.status == HUB_ACTIVE)
			p->kind = PEER_STATION;
		return E_OK;
	}
	if (rc != E_INVALID)
		return rc;
	rc = hubstore_station_by_key(h->store, p->pk, 1, &p->st, e);
	if (rc == E_OK)
		p->kind = PEER_ENROLL;
	return rc == E_INVALID ? E_OK : rc;
}

static void
store_failed(struct hub *h, const char *what, const struct err *e)
{
	if (!h->store_down)
		hub_log(h, "the hub store failed (%s: %s): handshakes are told \"unavailable\" "
		    "until it answers again", what, e->msg);
	h->store_down = 1;
}

/* The ZAP callback: an active station or a pending enrollment key may connect; a store
 * that cannot answer is "unavailable", never a refusal (a refused station stops for good). */
static int
hub_authorize(const uint8_t pk[32], void *arg)
{
	struct hub *h = arg;
	struct peer p;
	struct err e = { 0 };
	int rc;

	if (h->store_down)
		return ZAP_UNAVAILABLE;
	memset(&p, 0, sizeof p);
	memcpy(p.pk, pk, 32);
	pthread_mutex_lock(&h->lock);
	rc = peer_by_key(h, &p, &e);
	if (rc != E_OK)
		store_failed(h, "handshake", &e);
	pthread_mutex_unlock(&h->lock);
	if (rc != E_OK)
		return ZAP_UNAVAILABLE;
	return p.kind != PEER_NONE ? ZAP_ALLOW : ZAP_DENY;
}

int
hub_ingest_body(struct hub_store *store, const struct hub_station *s, const uint8_t *body, size_t len,
    uint64_t seq_from, uint64_t seq_to, int64_t now_ms, struct hub_ingest *res,
    struct err *e)
{
	struct wire_record *r;
	uint8_t *raw;
	size_t n;
	int rc;

	memset(res, 0, sizeof *res);
	if ((rc = wire_batch_decode(body, len, &r, &n, &raw, e)) != E_OK)
		return rc;
	if (n == 0 || r[0].seq != seq_from || r[n - 1].seq != seq_to) {
		free(r);
		free(raw);
		return err_set(e, E_INVALID, "%s", "batch does not match its header");
	}
	rc = hubstore_ingest(store, s, r, n, now_ms, res, e);
	free(r);
	free(raw);
	return rc;
}

/* ---- handlers: fill out from in for peer p; a nonzero return means answer ERROR ---- */

static int
on_hello(struct hub *h, struct peer *p, const struct wire_msg *in, struct wire_msg *out,
    struct err *e)
{
	int64_t now = hub_now_ms();
	int rc;

	if ((rc = hubstore_station_seen(h->store, p->st.id, now, in->u.hello.dev_time - now, 1,
	    e)) != E_OK)
		return rc;
	out->type = WIRE_HELLO_OK;
	out->u.hello_ok.hub_time = now;
	out->u.hello_ok.hw = p->st.hw;
	if ((rc = hubstore_item_latest(h->store, WIRE_PULL_SETTINGS,
	    &out->u.hello_ok.cfg_latest, e)) != E_OK ||
	    (rc = hubstore_item_latest(h->store, WIRE_PULL_WATCHLIST,
	    &out->u.hello_ok.wl_latest, e)) != E_OK)
		return rc;
	hub_log(h, "station %llu: hello, holds %llu", (unsigned long long)p->st.id,
	    (unsigned long long)p->st.hw);
	return E_OK;
}

static int
on_push(struct hub *h, struct peer *p, const struct wire_msg *in, struct wire_msg *out,
    struct err *e)
{
	struct hub_ingest res;
	int64_t now = hub_now_ms();
	int rc;

	rc = hub_ingest_body(h->store, &p->st, in->u.push.body, in->u.push.body_len,
	    in->u.push.seq_from, in->u.push.seq_to, now, &res, e);
	if (rc != E_OK)
		return rc;
	hubstore_station_seen(h->store, p->st.id, now, 0, 0, NULL);
	crash_point("after_commit_before_ack");
	out->type = WIRE_ACK;
	out->u.ack.batch_id = in->u.push.batch_id;
	out->u.ack.hw = res.hw;
	out->u.ack.conflicts = res.conflicts;
	out->u.ack.nconflicts = res.nconflicts;
	hub_log(h, "station %llu: batch %llu..%llu, %llu new, %llu again, %zu conflicts, holds "
	    "%llu", (unsigned long long)p->st.id, (unsigned long long)in->u.push.seq_from,
	    (unsigned long long)in->u.push.seq_to, (unsigned long long)res.inserted,
	    (unsigned long long)res.duplicates, res.nconflicts, (unsigned long long)res.hw);
	return E_OK;
}

static int
on_pull(struct hub *h, struct peer *p, const struct wire_msg *in, struct wire_msg *out,
    struct err *e)
{
	(void)p;
	if (in->u.pull.kind != WIRE_PULL_SETTINGS && in->u.pull.kind != WIRE_PULL_WATCHLIST)
		return err_set(e, E_INVALID, "%s", "unknown pull kind");
	return hubstore_items_pull(h->store, in->u.pull.kind, in->u.pull.since_ver, out, e);
}

static int
on_enroll(struct hub *h, struct peer *p, const struct wire_msg *in, struct wire_msg *out,
    struct err *e)
{
	struct hub_station st;
	int rc;

	if ((rc = hubstore_enroll_complete(h->store, p->pk, in->u.enroll.curve_pk,
	    in->u.enroll.sign_pk, in->u.enroll.station_uid, hub_now_ms(), &st, e)) != E_OK)
		return rc;
	out->type = WIRE_ENROLL_OK;
	out->u.enroll_ok.station_id = st.id;
	snprintf(out->u.enroll_ok.name, sizeof out->u.enroll_ok.name, "%s", st.name);
	hub_log(h, "station %llu: enrolled", (unsigned long long)st.id);
	return E_OK;
}

static const struct {
	int type;
	int peer;	/* who may send it */
	int (*fn)(struct hub *, struct peer *, const struct wire_msg *, struct wire_msg *,
	    struct err *);
} handlers[] = {
	{ WIRE_HELLO, PEER_STATION, on_hello },
	{ WIRE_PUSH, PEER_STATION, on_push },
	{ WIRE_PULL, PEER_STATION, on_pull },
	{ WIRE_ENROLL, PEER_ENROLL, on_enroll },
};

/* Who is the User-Id now: an active station, a pending enrollment, or nobody (E_OK); or
 * the store's error when it cannot tell. */
static int
peer_identify(struct hub *h, const char *user, struct peer *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	if (user == NULL || zap_hex_key(user, strlen(user), p->pk) != 0)
		return E_OK;
	return peer_by_key(h, p, e);
}

static void
reply(struct hub *h, zmq_msg_t *rid, const struct wire_msg *out)
{
	uint8_t *buf;
	size_t len;
	zmq_msg_t id;

	if (wire_encode(out, &buf, &len, NULL) != E_OK)
		return;
	zmq_msg_init(&id);
	zmq_msg_copy(&id, rid);
	/* ROUTER_MANDATORY: a peer gone meanwhile is an error here, not a silent drop */
	if (zmq_msg_send(&id, h->router, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
	    zmq_send(h->router, buf, len, ZMQ_DONTWAIT) < 0)
		hub_log(h, "reply not sent: %s", zmq_strerror(zmq_errno()));
	zmq_msg_close(&id);
	free(buf);
	h->answered++;
}

static void
reply_error(struct hub *h, zmq_msg_t *rid, uint64_t req_id, int code, const char *text)
{
	struct wire_msg out;

	memset(&out, 0, sizeof out);
	out.type = WIRE_ERROR;
	out.req_id = req_id;
	out.u.error.code = code;
	snprintf(out.u.error.text, sizeof out.u.error.text, "%s", text);
	reply(h, rid, &out);
}

static int
errcode(int rc)
{
	return rc == E_INVALID ? WIRE_E_BAD_BATCH : WIRE_E_INTERNAL;
}

/* A message taken off the router: its routing id, its payload frame, and what it was
 * found to be. MSG_ANSWER: refused before any handler (err_* is the ERROR to send, the log
 * line written); MSG_READY: from peer p, decoded into in, for handlers[handler]. */
enum msg_state { MSG_ANSWER, MSG_READY };
struct inmsg {
	zmq_msg_t rid, payload;
	int state;
	struct peer p;
	struct wire_msg in;
	size_t handler;
	uint64_t err_req;
	int err_code;
	char err_text[WIRE_TEXT_MAX + 1];
	int batch;		/* index in the group's batches, or -1 */
};

/* A message held back (hub->held). */
struct held {
	struct held *next;
	struct inmsg m;
};
#define HUB_HELD_MAX 256
#define HUB_HELD_BYTES (16 * (size_t)WIRE_MSG_MAX)

/* What one group may gather beyond its first push: distinct stations' pushes (at most
 * HUB_GROUP_MAX, at most HUB_GROUP_BYTES of message), and the other messages taken off
 * the queue meanwhile, answered after it (at most HUB_DRAIN_MAX messages in all). */
#define HUB_GROUP_BYTES (8 * (size_t)WIRE_MSG_MAX)
#define HUB_DRAIN_MAX (2 * HUB_GROUP_MAX)

/* The messages of one round and the group of pushes among them (hub->round). */
struct round {
	struct inmsg m[HUB_DRAIN_MAX];
	size_t n;
	struct hub_batch b[HUB_GROUP_MAX];
	size_t at[HUB_GROUP_MAX];	/* b[j] is the push m[at[j]] */
	struct wire_record *recs[HUB_GROUP_MAX];
	uint8_t *raw[HUB_GROUP_MAX];
	size_t nb, bytes;
};

static void
msg_refuse(struct inmsg *m, uint64_t req_id, int code, const char *text)
{
	m->state = MSG_ANSWER;
	m->err_req = req_id;
	m->err_code = code;
	snprintf(m->err_text, sizeof m->err_text, "%s", text);
}

/* Takes one whole message off the router into m (non-blocking): 1, or 0 if none was
 * there (m then holds nothing to free). */
static int
msg_read(struct hub *h, struct inmsg *m)
{
	zmq_msg_t extra;
	int more, frames = 1;

	memset(m, 0, sizeof *m);
	m->batch = -1;
	zmq_msg_init(&m->rid);
	zmq_msg_init(&m->payload);
	if (zmq_msg_recv(&m->rid, h->router, ZMQ_DONTWAIT) < 0) {
		zmq_msg_close(&m->rid);
		zmq_msg_close(&m->payload);
		return 0;
	}
	if (!zmq_msg_more(&m->rid) || zmq_msg_recv(&m->payload, h->router, 0) < 0) {
		/* a routing id alone: nothing to answer (msg_answer sends nothing) */
		m->state = MSG_ANSWER;
		m->err_code = -1;
		return 1;
	}
	more = zmq_msg_more(&m->payload);
	while (more) {
		zmq_msg_init(&extra);
		more = zmq_msg_recv(&extra, h->router, 0) >= 0 && zmq_msg_more(&extra);
		zmq_msg_close(&extra);
		frames++;
	}
	if (frames != 1)
		msg_refuse(m, 0, WIRE_E_MALFORMED, "one frame per message");
	else if (zmq_msg_size(&m->payload) > WIRE_MSG_MAX) {
		hub_log(h, "refused a message of %zu bytes", zmq_msg_size(&m->payload));
		msg_refuse(m, 0, WIRE_E_TOO_BIG, "message over the size limit");
	} else
		m->state = MSG_READY;
	return 1;
}

/* Who sent m and what it says, with the sender's status as the store has it now: leaves
 * m READY for its handler, or ANSWER with the refusal (logged). */
static void
msg_prepare(struct hub *h, struct inmsg *m)
{
	struct err e;
	size_t i;
	int code;

	if (m->state != MSG_READY)
		return;
	pthread_mutex_lock(&h->lock);
	err_clear(&e);
	if (peer_identify(h, zmq_msg_gets(&m->payload, "User-Id"), &m->p, &e) != E_OK) {
		store_failed(h, "message", &e);
		pthread_mutex_unlock(&h->lock);
		msg_refuse(m, 0, WIRE_E_UNAVAILABLE, "the hub's store is unreachable; "
		    "try again later");
		return;
	}
	pthread_mutex_unlock(&h->lock);
	if (m->p.kind == PEER_NONE) {
		hub_log(h, "refused a message from a key that is not (or no longer) enrolled");
		msg_refuse(m, 0, WIRE_E_REFUSED, "station not enrolled or revoked");
		return;
	}
	if (wire_decode(zmq_msg_data(&m->payload), zmq_msg_size(&m->payload), &m->in, &code,
	    &e) != E_OK) {
		hub_log(h, "station %llu: bad message: %s", (unsigned long long)m->p.st.id, e.msg);
		msg_refuse(m, 0, code, e.msg);
		return;
	}
	for (i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
		if (handlers[i].type == m->in.type)
			break;
	if (i == sizeof handlers / sizeof handlers[0] || handlers[i].peer != m->p.kind) {
		msg_refuse(m, m->in.req_id, WIRE_E_REFUSED, "message not allowed here");
		wire_msg_free(&m->in);
		return;
	}
	m->handler = i;
}

/* Answers m on its own: its refusal, or its handler's reply. */
static void
msg_answer(struct hub *h, struct inmsg *m)
{
	struct wire_msg out;
	struct err e;
	int rc;

	if (m->state == MSG_ANSWER) {
		if (m->err_code >= 0)
			reply_error(h, &m->rid, m->err_req, m->err_code, m->err_text);
		return;
	}
	memset(&out, 0, sizeof out);
	err_clear(&e);
	pthread_mutex_lock(&h->lock);
	rc = handlers[m->handler].fn(h, &m->p, &m->in, &out, &e);
	if (rc == E_IO)
		store_failed(h, wire_type_name(m->in.type), &e);
	pthread_mutex_unlock(&h->lock);
	if (rc != E_OK) {
		hub_log(h, "station %llu: %s failed: %s", (unsigned long long)m->p.st.id,
		    wire_type_name(m->in.type), e.msg);
		reply_error(h, &m->rid, m->in.req_id, errcode(rc), e.msg);
	} else {
		out.req_id = m->in.req_id;
		reply(h, &m->rid, &out);
		wire_msg_free(&out);
	}
}

static void
msg_free(struct inmsg *m)
{
	if (m->state == MSG_READY)
		wire_msg_free(&m->in);
	zmq_msg_close(&m->rid);
	zmq_msg_close(&m->payload);
}

static int
msg_is_push(const struct inmsg *m)
{
	return m->state == MSG_READY && m->in.type == WIRE_PUSH;
}

/* Whether push m may join the round's group: no earlier message of the round came from
 * its station (each station's messages are answered in the order it sent them). */
static int
round_may_join(const struct round *g, size_t k)
{
	size_t i;

	if (!msg_is_push(&g->m[k]))
		return 0;
	for (i = 0; i < k; i++)
		if (g->m[i].p.kind == PEER_STATION && g->m[i].p.st.id == g->m[k].p.st.id)
			return 0;
	return 1;
}

/* Decodes push m[k]'s batch into the group's next slot, or refuses m[k] as hub_ingest_body
 * would (E_INVALID: a bad batch). */
static void
round_join(struct hub *h, struct round *g, size_t k)
{
	struct inmsg *m = &g->m[k];
	struct hub_batch *b = &g->b[g->nb];
	struct err e;
	uint64_t req_id = m->in.req_id;
	size_t n;

	err_clear(&e);
	if (wire_batch_decode(m->in.u.push.body, m->in.u.push.body_len, &g->recs[g->nb], &n,
	    &g->raw[g->nb], &e) == E_OK && (n == 0 || g->recs[g->nb][0].seq !=
	    m->in.u.push.seq_from || g->recs[g->nb][n - 1].seq != m->in.u.push.seq_to)) {
		free(g->recs[g->nb]);
		free(g->raw[g->nb]);
		g->recs[g->nb] = NULL;
		g->raw[g->nb] = NULL;
		err_set(&e, E_INVALID, "%s", "batch does not match its header");
	}
	if (e.code != E_OK) {
		hub_log(h, "station %llu: %s failed: %s", (unsigned long long)m->p.st.id,
		    wire_type_name(m->in.type), e.msg);
		wire_msg_free(&m->in);
		msg_refuse(m, req_id, errcode(e.code), e.msg);
		return;
	}
	memset(b, 0, sizeof *b);
	b->st = &m->p.st;
	b->r = g->recs[g->nb];
	b->n = n;
	g->at[g->nb] = k;
	m->batch = (int)g->nb++;
	g->bytes += zmq_msg_size(&m->payload);
}

/* After the group's hubstore_ingest_group (rc, e): marks the store down if it failed,
 * counts the group, and acks each batch that holds, in the order they came. */
static void
round_acked(struct hub *h, struct round *g, int rc, const struct err *e)
{
	struct hub_batch *b;
	struct inmsg *m;
	struct wire_msg out;
	size_t j;
	int down = 0, stored = 0;

	pthread_mutex_lock(&h->lock);
	for (j = 0; j < g->nb; j++) {
		b = &g->b[j];
		if (rc != E_OK && b->rc == E_OK) {
			b->rc = rc;	/* the store kept none of them */
			b->e = *e;
		}
		if (b->rc == E_IO && !down) {
			store_failed(h, "PUSH", &b->e);
			down = 1;
		}
		stored |= b->rc == E_OK;
	}
	pthread_mutex_unlock(&h->lock);
	if (stored) {
		h->groups++;
		h->grouped += g->nb;
		crash_point("after_commit_before_ack");
	}
	if (g->nb > 1)
		hub_log(h, "group of %zu pushes in one commit", g->nb);
	for (j = 0; j < g->nb; j++) {
		b = &g->b[j];
		m = &g->m[g->at[j]];
		if (b->rc != E_OK) {
			hub_log(h, "station %llu: %s failed: %s", (unsigned long long)m->p.st.id,
			    wire_type_name(m->in.type), b->e.msg);
			reply_error(h, &m->rid, m->in.req_id, errcode(b->rc), b->e.msg);
			continue;
		}
		memset(&out, 0, sizeof out);
		out.type = WIRE_ACK;
		out.req_id = m->in.req_id;
		out.u.ack.batch_id = m->in.u.push.batch_id;
		out.u.ack.hw = b->res.hw;
		out.u.ack.conflicts = b->res.conflicts;
		out.u.ack.nconflicts = b->res.nconflicts;
		hub_log(h, "station %llu: batch %llu..%llu, %llu new, %llu again, %zu conflicts, "
		    "holds %llu", (unsigned long long)m->p.st.id,
		    (unsigned long long)m->in.u.push.seq_from,
		    (unsigned long long)m->in.u.push.seq_to, (unsigned long long)b->res.inserted,
		    (unsigned long long)b->res.duplicates, b->res.nconflicts,
		    (unsigned long long)b->res.hw);
		reply(h, &m->rid, &out);
		free(b->res.conflicts);
		b->res.conflicts = NULL;
	}
}

/* Stores the group in one call (one commit where the store can) on the serving loop's
 * own store, then acks it. */
static void
round_ingest(struct hub *h, struct round *g)
{
	struct err e;
	int rc;

	err_clear(&e);
	pthread_mutex_lock(&h->lock);
	rc = hubstore_ingest_group(h->store, g->b, g->nb, hub_now_ms(), &e);
	pthread_mutex_unlock(&h->lock);
	round_acked(h, g, rc, &e);
}

static int
hub_stopping(const struct hub *h)
{
	return h->stop != NULL && *h->stop;
}

static int
hub_readable(struct hub *h)
{
	int events = 0;
	size_t sz = sizeof events;

	return zmq_getsockopt(h->router, ZMQ_EVENTS, &events, &sz) == 0 &&
	    (events & ZMQ_POLLIN);
}

/* Takes one message off the router and answers it. A push gathers the pushes of other
 * stations already queued behind it into one group (hubstore_ingest_group: one commit for
 * all), acked in the order they came once that commit holds; the other messages taken
 * meanwhile are answered after it, in arrival order, as each alone would have been. */
static void round_rest(struct hub *h, struct round *g);

static void
hub_one(struct hub *h)
{
	struct round *g = h->round;
	size_t k;

	g->n = g->nb = g->bytes = 0;
	if (!msg_read(h, &g->m[0]))
		return;
	g->n = 1;
	msg_prepare(h, &g->m[0]);
	if (!msg_is_push(&g->m[0])) {
		msg_answer(h, &g->m[0]);
		msg_free(&g->m[0]);
		return;
	}
	round_join(h, g, 0);
	while (g->n < HUB_DRAIN_MAX && g->nb < HUB_GROUP_MAX && g->bytes < HUB_GROUP_BYTES &&
	    !hub_stopping(h) && hub_readable(h) && msg_read(h, &g->m[g->n])) {
		k = g->n++;
		msg_prepare(h, &g->m[k]);
		if (round_may_join(g, k))
			round_join(h, g, k);
	}
	if (g->nb > 0)
		round_ingest(h, g);
	round_rest(h, g);
}

/* After the round's group is acked: the others in arrival order; once told to stop,
 * refusals only (a message taken meanwhile is left unanswered, as one still in the queue
 * would be). Then frees the round. */
static void
round_rest(struct hub *h, struct round *g)
{
	size_t k;

	for (k = 0; k < g->n; k++)
		if (g->m[k].batch < 0 && (g->m[k].state == MSG_ANSWER || !hub_stopping(h)))
			msg_answer(h, &g->m[k]);
	for (k = 0; k < g->nb; k++) {
		free(g->recs[k]);
		free(g->raw[k]);
		g->recs[k] = NULL;
		g->raw[k] = NULL;
	}
	for (k = 0; k < g->n; k++)
		msg_free(&g->m[k]);
	g->n = g->nb = g->bytes = 0;
}

/* ---- ingest workers (hub_opts.ingest) ----
 * The serving loop keeps the socket: it reads and forms a round as hub_one does and hands
 * its group to an idle worker, which stores it on a connection of its own; when the worker
 * is done (a byte on h->wake), the loop acks the group and answers the round's other
 * messages, as hub_one would have. A message whose station has a message in a round still
 * out is held back (h->held) while the loop goes on reading and handing out the other
 * stations' messages; once that round is answered, the station's held messages go in the
 * next rounds, in the order they came, so each station's messages are answered in the
 * order it sent them. */

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct hub *h = w->h;
	int rc;

	pthread_mutex_lock(&h->wlock);
	for (;;) {
		while (!w->go && !h->quit)
			pthread_cond_wait(&h->wcond, &h->wlock);
		if (!w->go)
			break;
		w->go = 0;
		pthread_mutex_unlock(&h->wlock);
		err_clear(&w->e);
		rc = hubstore_ingest_group(w->store, w->g->b, w->g->nb, w->now, &w->e);
		pthread_mutex_lock(&h->wlock);
		w->rc = rc;
		w->done = 1;
		if (write(h->wake[1], "w", 1) != 1) {
			/* the pipe cannot be full (one byte per round out): nothing to do */
		}
	}
	pthread_mutex_unlock(&h->wlock);
	return NULL;
}

/* Moves message src into dst (src then holds nothing): the frames move, and the message
 * is decoded again from dst's payload (its fields point into the payload). */
static void
msg_move(struct inmsg *dst, struct inmsg *src)
{
	struct err e;
	int code;

	*dst = *src;
	zmq_msg_init(&dst->rid);
	zmq_msg_init(&dst->payload);
	zmq_msg_move(&dst->rid, &src->rid);
	zmq_msg_move(&dst->payload, &src->payload);
	zmq_msg_close(&src->rid);
	zmq_msg_close(&src->payload);
	dst->batch = -1;
	if (dst->state != MSG_READY)
		return;
	wire_msg_free(&src->in);
	err_clear(&e);
	if (wire_decode(zmq_msg_data(&dst->payload), zmq_msg_size(&dst->payload), &dst->in,
	    &code, &e) != E_OK)
		msg_refuse(dst, 0, code, e.msg);	/* decoded once already: cannot happen */
}

/* Whether m's station has a message in a round handed out and not yet answered. */
static int
station_out(struct hub *h, const struct inmsg *m)
{
	const struct round *g;
	size_t i, k;

	if (m->p.kind != PEER_STATION)
		return 0;
	for (i = 0; i < h->nw; i++) {
		if ((g = h->w[i].g) == NULL)
			continue;
		for (k = 0; k < g->n; k++)
			if (g->m[k].p.kind == PEER_STATION && g->m[k].p.st.id == m->p.st.id)
				return 1;
	}
	return 0;
}

static struct worker *
worker_idle(struct hub *h)
{
	size_t i;

	for (i = 0; i < h->nw; i++)
		if (h->w[i].g == NULL)
			return &h->w[i];
	return NULL;
}

/* Whether m must wait: its station has a message in a round out, or held already. */
static int
msg_must_wait(struct hub *h, const struct inmsg *m)
{
	const struct held *x;

	if (m->p.kind != PEER_STATION)
		return 0;
	for (x = h->held; x != NULL; x = x->next)
		if (x->m.p.kind == PEER_STATION && x->m.p.st.id == m->p.st.id)
			return 1;
	return station_out(h, m);
}

/* Holds m back, at the end of h->held (m then holds nothing). There must be room. */
static void
held_push(struct hub *h, struct inmsg *m)
{
	struct held *x = h->held_free;

	assert(x != NULL && h->nheld < HUB_HELD_MAX);
	h->held_free = x->next;
	x->next = NULL;
	h->held_bytes += zmq_msg_size(&m->payload);
	msg_move(&x->m, m);
	*h->held_tail = x;
	h->held_tail = &x->next;
	h->nheld++;
	h->waited++;
}

/* A held message about to be answered: its sender as the store has it now (revoked
 * meanwhile, or with the hw of the group it waited for), as msg_prepare would find it. */
static void
msg_refresh(struct hub *h, struct inmsg *m)
{
	struct peer p;
	struct err e;
	int rc;

	if (m->state != MSG_READY)
		return;
	memset(&p, 0, sizeof p);
	memcpy(p.pk, m->p.pk, sizeof p.pk);
	err_clear(&e);
	pthread_mutex_lock(&h->lock);
	if ((rc = peer_by_key(h, &p, &e)) != E_OK)
		store_failed(h, "message", &e);
	pthread_mutex_unlock(&h->lock);
	if (rc != E_OK) {
		wire_msg_free(&m->in);
		msg_refuse(m, 0, WIRE_E_UNAVAILABLE, "the hub's store is unreachable; "
		    "try again later");
	} else if (p.kind != m->p.kind) {
		hub_log(h, "refused a message from a key that is not (or no longer) enrolled");
		wire_msg_free(&m->in);
		msg_refuse(m, 0, WIRE_E_REFUSED, "station not enrolled or revoked");
	} else
		m->p = p;
}

/* Takes into m the first held message that need wait no longer: its station has nothing
 * out and nothing in round g yet (a station's next push goes in a group of its own). 1,
 * or 0 if none may go. */
static int
held_take(struct hub *h, const struct round *g, struct inmsg *m)
{
	struct held **pp, *x;
	size_t k;

	for (pp = &h->held; (x = *pp) != NULL; pp = &x->next) {
		if (station_out(h, &x->m))
			continue;
		for (k = 0; k < g->n; k++)
			if (g->m[k].p.kind == PEER_STATION && g->m[k].p.st.id == x->m.p.st.id)
				break;
		if (k == g->n)
			break;
	}
	if (x == NULL)
		return 0;
	*pp = x->next;
	if (h->held_tail == &x->next)
		h->held_tail = pp;
	h->nheld--;
	h->held_bytes -= zmq_msg_size(&x->m.payload);
	msg_move(m, &x->m);
	x->next = h->held_free;
	h->held_free = x;
	msg_refresh(h, m);
	return 1;
}

static int
held_room(const struct hub *h)
{
	return h->nheld < HUB_HELD_MAX && h->held_bytes < HUB_HELD_BYTES;
}

/* The next message for round g, prepared, into m: a held one that may go now, else one
 * off the router, holding back on the way each that must wait. 1, or 0 if none (nothing
 * queued, or no room left to hold one). */
static int
msg_next(struct hub *h, const struct round *g, struct inmsg *m)
{
	if (held_take(h, g, m))
		return 1;
	while (!hub_stopping(h) && held_room(h) && msg_read(h, m)) {
		msg_prepare(h, m);
		if (!msg_must_wait(h, m))
			return 1;
		held_push(h, m);
	}
	return 0;
}

/* Hands the round being formed to idle worker w and takes a free round to form the next
 * in. */
static void
round_hand(struct hub *h, struct worker *w)
{
	struct round *g = h->forming, *r;
	size_t i, j;
	size_t out;

	for (i = 0; i <= h->nw; i++) {
		r = &h->pool[i];
		for (j = 0; j < h->nw && h->w[j].g != r; j++)
			;
		if (r != g && j == h->nw)
			break;
	}
	h->forming = &h->pool[i];	/* nw + 1 rounds, at most nw out: one is free */
	h->forming->n = h->forming->nb = h->forming->bytes = 0;
	out = ++h->inflight;
	if (out > h->inflight_max)
		h->inflight_max = out;
	pthread_mutex_lock(&h->wlock);
	w->g = g;
	w->now = hub_now_ms();
	w->done = 0;
	w->go = 1;
	pthread_cond_broadcast(&h->wcond);
	pthread_mutex_unlock(&h->wlock);
}

/* Forms a round in h->forming as hub_one does, from msg_next: FORM_NONE if nothing was
 * taken, FORM_ALONE if the messages taken were answered here (one that is not a push, or
 * pushes all refused as bad batches), FORM_GROUP if the round holds a group to hand out
 * (round_hand). */
enum { FORM_NONE, FORM_ALONE, FORM_GROUP };
static int
round_form(struct hub *h)
{
	struct round *g = h->forming;
	size_t k;

	g->n = g->nb = g->bytes = 0;
	if (!msg_next(h, g, &g->m[0]))
		return FORM_NONE;
	g->n = 1;
	if (!msg_is_push(&g->m[0])) {
		msg_answer(h, &g->m[0]);
		msg_free(&g->m[0]);
		g->n = 0;
		return FORM_ALONE;
	}
	round_join(h, g, 0);
	while (g->n < HUB_DRAIN_MAX && g->nb < HUB_GROUP_MAX && g->bytes < HUB_GROUP_BYTES &&
	    !hub_stopping(h) && msg_next(h, g, &g->m[g->n])) {
		k = g->n++;
		if (round_may_join(g, k))
			round_join(h, g, k);
	}
	if (g->nb == 0) {
		round_rest(h, g);	/* every push refused as a bad batch */
		return FORM_ALONE;
	}
	return FORM_GROUP;
}

/* Acks and answers each round whose worker is done. */
static void
workers_harvest(struct hub *h)
{
	struct worker *w;
	char buf[64];
	size_t i;
	int done;

	while (read(h->wake[0], buf, sizeof buf) > 0)
		;
	for (i = 0; i < h->nw; i++) {
		w = &h->w[i];
		if (w->g == NULL)
			continue;
		pthread_mutex_lock(&h->wlock);
		done = w->done;
		pthread_mutex_unlock(&h->wlock);
		if (!done)
			continue;
		round_acked(h, w->g, w->rc, &w->e);
		round_rest(h, w->g);
		w->g = NULL;
		h->inflight--;
	}
}

/* Waits for every round out and answers it (a stop lets no other in). */
static void
workers_drain(struct hub *h)
{
	zmq_pollitem_t it = { NULL, 0, ZMQ_POLLIN, 0 };

	it.fd = h->wake[0];
	while (h->inflight > 0) {
		if (zmq_poll(&it, 1, 1000) < 0 && zmq_errno() != EINTR)
			break;
		workers_harvest(h);
	}
}

static int
hub_poll_workers(struct hub *h, int timeout_ms, struct err *e)
{
	zmq_pollitem_t it[2] = { { NULL, 0, ZMQ_POLLIN, 0 }, { NULL, 0, ZMQ_POLLIN, 0 } };
	struct worker *w;
	int n, i, r, take;

	it[0].fd = h->wake[0];
	it[1].socket = h->router;
	take = !hub_stopping(h) && held_room(h) && worker_idle(h) != NULL;
	n = zmq_poll(it, take ? 2 : 1, timeout_ms);
	if (n < 0) {
		if (zmq_errno() == EINTR)
			return E_OK;
		return err_set(e, E_IO, "hub: %s", zmq_strerror(zmq_errno()));
	}
	workers_harvest(h);
	for (i = 0; i < 256; i++) {
		if (hub_stopping(h) || (w = worker_idle(h)) == NULL)
			break;
		if ((r = round_form(h)) == FORM_NONE)
			break;
		if (r == FORM_GROUP)
			round_hand(h, w);
		workers_harvest(h);
	}
	return E_OK;
}

int
hub_poll(struct hub *h, int timeout_ms, struct err *e)
{
	zmq_pollitem_t it = { h->router, 0, ZMQ_POLLIN, 0 };
	int n, i;

	if (h->nw > 0)
		return hub_poll_workers(h, timeout_ms, e);
	n = zmq_poll(&it, 1, timeout_ms);
	if (n < 0) {
		if (zmq_errno() == EINTR)
			return E_OK;
		return err_set(e, E_IO, "hub: %s", zmq_strerror(zmq_errno()));
	}
	/* answer what is queued, a bounded number at a time; once told to stop (SIGTERM
	 * raised while a batch was ingested), finish that message and take no other */
	for (i = 0; i < 256 && n > 0; i++) {
		if (hub_stopping(h) || !hub_readable(h))
			break;
		hub_one(h);
	}
	return E_OK;
}

/* Work between messages: a step of the day's purge, and a checkpoint now and then.
 * Errors go to the log: serving goes on. */
static void
hub_housekeep(struct hub *h)
{
	struct err e = { 0 };
	int64_t now = hub_now_ms(), n = 0;
	int busy = 0, done = 0;

	if (h->store_down) {
		uint64_t v;
		if (now < h->probe_ms)
			return;	/* no purge or checkpoint on a store that is down */
		h->probe_ms = now + 1000;
		pthread_mutex_lock(&h->lock);
		if (hubstore_item_latest(h->store, WIRE_PULL_SETTINGS, &v, &e) == E_OK) {
			h->store_down = 0;
			hub_log(h, "the hub store answers again");
		}
		pthread_mutex_unlock(&h->lock);
		if (h->store_down)
			return;
	}
	if (!h->purge || (now < h->next_purge_ms && !h->purging))
		goto checkpoint;
	pthread_mutex_lock(&h->lock);
	if (hub_purge_tick(h->store, now, 2000, &busy, &done, &n, &e) != E_OK)
		hub_log(h, "purge failed: %s", e.msg);
	pthread_mutex_unlock(&h->lock);
	h->purged += n;
	if (done) {
		hub_log(h, "purge: %lld records purged, done for today", (long long)h->purged);
		h->purged = 0;
	}
	h->purging = busy;
	h->next_purge_ms = now + 60000;	/* is a purge due? asked once a minute */
checkpoint:
	if (h->answered - h->checkpointed >= 64 || (h->answered != h->checkpointed &&
	    now - h->checkpoint_ms >= 10000)) {
		pthread_mutex_lock(&h->lock);
		if (hubstore_checkpoint(h->store, &e) != E_OK)
			hub_log(h, "checkpoint failed: %s", e.msg);
		pthread_mutex_unlock(&h->lock);
		h->checkpointed = h->answered;
		h->checkpoint_ms = now;
	}
}

int
hub_serve(struct hub *h, volatile sig_atomic_t *stop, struct err *e)
{
	int rc;

	h->stop = stop;
	while (!*stop) {
		if ((rc = hub_poll(h, h->purging ? 0 : 200, e)) != E_OK)
			return rc;
		hub_housekeep(h);
	}
	workers_drain(h);	/* the groups out are acked; nothing else is taken */
	return E_OK;
}

uint64_t
hub_answered(const struct hub *h)
{
	return h->answered;
}

void
hub_groups(const struct hub *h, uint64_t *groups, uint64_t *batches)
{
	*groups = h->groups;
	*batches = h->grouped;
}

uint64_t
hub_waited(const struct hub *h)
{
	return h->waited;
}

size_t
hub_groups_at_once(const struct hub *h)
{
	if (h->nw == 0)
		return h->groups > 0;	/* the serving loop stores one group at a time */
	return h->inflight_max;
}

const char *
hub_endpoint(const struct hub *h)
{
	return h->endpoint;
}

static int
setopt(void *s, int opt, int v)
{
	return zmq_setsockopt(s, opt, &v, sizeof v);
}

/* One thread for each of o->ingest's stores, and the pipe they wake the loop by. */
static int
workers_start(struct hub *h, const struct hub_opts *o, struct err *e)
{
	size_t i;

	if (o->ningest > HUB_INGEST_MAX)
		return err_set(e, E_USAGE, "%s", "too many ingest connections");
	if (pipe(h->wake) != 0 || fcntl(h->wake[0], F_SETFL, O_NONBLOCK) != 0)
		return err_set(e, E_IO, "hub: %s", strerror(errno));
	if ((h->w = calloc(o->ningest, sizeof *h->w)) == NULL ||
	    (h->pool = calloc(o->ningest + 1, sizeof *h->pool)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	h->forming = &h->pool[0];
	if ((h->held_pool = calloc(HUB_HELD_MAX, sizeof *h->held_pool)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	for (i = 0; i < HUB_HELD_MAX; i++) {
		h->held_pool[i].next = h->held_free;
		h->held_free = &h->held_pool[i];
	}
	for (i = 0; i < o->ningest; i++) {
		h->w[i].h = h;
		h->w[i].store = o->ingest[i];
		if (pthread_create(&h->w[i].t, NULL, worker_main, &h->w[i]) != 0)
			return err_set(e, E_IO, "%s", "hub: cannot start an ingest thread");
		h->w[i].started = 1;
		h->nw = i + 1;
	}
	return E_OK;
}

int
hub_open(struct hub_store *store, const struct hub_opts *o, struct hub **out, struct err *e)
{
	struct hub *h;
	int hb = o->heartbeat_ms > 0 ? o->heartbeat_ms : 10000;
	int64_t maxmsg = 4 * (int64_t)WIRE_MSG_MAX;	/* between 1 and 4 MiB: ERROR reply */
	size_t len;
	int rc;

	if ((h = calloc(1, sizeof *h)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	h->store = store;
	h->log = o->log;
	h->log_arg = o->log_arg;
	h->purge = !o->no_purge;
	h->wake[0] = h->wake[1] = -1;
	h->held_tail = &h->held;
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_init(&h->wlock, NULL);
	pthread_cond_init(&h->wcond, NULL);
	if ((h->round = calloc(1, sizeof *h->round)) == NULL) {
		rc = err_set(e, E_IO, "%s", _("out of memory"));
		goto fail;
	}
	if ((rc = hubstore_keys_load(store, h->pk, &h->sk, e)) != E_OK)
		goto fail;
	if ((h->ctx = zmq_ctx_new()) == NULL) {
		rc = err_set(e, E_IO, "%s", "cannot start ZeroMQ");
		goto fail;
	}
	/* the ZAP handler first: a CURVE server must never run without one */
	if ((rc = zap_start(h->ctx, hub_authorize, h, &h->zap, e)) != E_OK)
		goto fail;
	if ((h->router = zmq_socket(h->ctx, ZMQ_ROUTER)) == NULL ||
	    setopt(h->router, ZMQ_CURVE_SERVER, 1) != 0 ||
	    zmq_setsockopt(h->router, ZMQ_CURVE_SECRETKEY, h->sk, 32) != 0 ||
	    zmq_setsockopt(h->router, ZMQ_ZAP_DOMAIN, ZAP_DOMAIN, strlen(ZAP_DOMAIN)) != 0 ||
	    setopt(h->router, ZMQ_ZAP_ENFORCE_DOMAIN, 1) != 0 ||
	    setopt(h->router, ZMQ_ROUTER_MANDATORY, 1) != 0 ||
	    setopt(h->router, ZMQ_LINGER, 0) != 0 ||
	    setopt(h->router, ZMQ_HEARTBEAT_IVL, hb) != 0 ||
	    setopt(h->router, ZMQ_HEARTBEAT_TTL, 3 * hb < 60000 ? 3 * hb : 60000) != 0 ||
	    setopt(h->router, ZMQ_HEARTBEAT_TIMEOUT, 3 * hb) != 0 ||
	    zmq_setsockopt(h->router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg) != 0) {
		rc = err_set(e, E_IO, "hub socket: %s", zmq_strerror(zmq_errno()));
		goto fail;
	}
	if (zmq_bind(h->router, o->listen) != 0) {
		rc = err_set(e, E_IO, _("cannot listen on %s: %s"), o->listen,
		    zmq_strerror(zmq_errno()));
		goto fail;
	}
	len = sizeof h->endpoint;
	if (zmq_getsockopt(h->router, ZMQ_LAST_ENDPOINT, h->endpoint, &len) != 0)
		snprintf(h->endpoint, sizeof h->endpoint, "%s", o->listen);
	if (o->ningest > 0 && (rc = workers_start(h, o, e)) != E_OK)
		goto fail;
	*out = h;
	return E_OK;
fail:
	hub_close(h);
	return rc;
}

void
hub_close(struct hub *h)
{
	if (h == NULL)
		return;
	if (h->nw > 0) {
		struct held *x;

		workers_drain(h);	/* rounds out are acked before the socket closes */
		for (x = h->held; x != NULL; x = x->next)
			msg_free(&x->m);	/* unanswered, as if still queued */
	}
	if (h->w != NULL) {
		size_t i;

		pthread_mutex_lock(&h->wlock);
		h->quit = 1;
		pthread_cond_broadcast(&h->wcond);
		pthread_mutex_unlock(&h->wlock);
		for (i = 0; i < h->nw; i++)
			if (h->w[i].started)
				pthread_join(h->w[i].t, NULL);
	}
	if (h->router != NULL) {
		/* SIGTERM after a batch: its ACK is queued, let it leave (bounded) */
		setopt(h->router, ZMQ_LINGER, 500);
		zmq_close(h->router);
	}
	zap_stop(h->zap);
	if (h->ctx != NULL)
		zmq_ctx_term(h->ctx);
	if (h->sk != NULL)
		sodium_free(h->sk);
	pthread_mutex_destroy(&h->lock);
	pthread_mutex_destroy(&h->wlock);
	pthread_cond_destroy(&h->wcond);
	if (h->wake[0] >= 0)
		close(h->wake[0]);
	if (h->wake[1] >= 0)
		close(h->wake[1]);
	free(h->w);
	free(h->pool);
	free(h->held_pool);
	free(h->round);
	free(h);
}
