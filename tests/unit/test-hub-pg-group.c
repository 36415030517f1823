/* test-hub-pg-group.c — hubstore_ingest_group on the PostgreSQL store against a real
 * server (the URL in OUTPOST_TEST_PG; tests/e2e/pg-store.sh starts a throwaway cluster and
 * runs this; without it the binary says it skips): a history ingested in groups ends as
 * the same history ingested one batch at a time (every batch's outcome: inserted,
 * duplicates, conflicts, hw; and the store: counters, aggregates, bins, keys, conflicts,
 * the store's own recount); a batch that fails (first, middle or last; in its insert, its
 * conflicts or its aggregates) is stored not at all and the others wholly; two
 * connections ingesting groups of overlapping stations in opposite orders at once end
 * with every record once, and neither deadlocks; a hub killed mid-group (crash points
 * mid_batch, before_commit) leaves nothing of the group, and the group sent again lands
 * once. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sodium.h>

#include "crypto/vault.h"
#include "hub/store.h"
#include "tests/unit/hub-open.h"

#define T0 1780000000000LL	/* 2026-05-28 */
#define DAY 86400000LL
#define PASS "hub secret phrase"
#define NST 6			/* stations */
#define NREC 240		/* versions a station */
#define NMAX 40			/* records a batch */

static const char *url;
static char recovery[VAULT_RECOVERY_LEN];

static struct hub_store *
open_store(int create)
{
	return hub_test_open(url, PASS, create, recovery);
}

static struct hub_store *
fresh(void)
{
	struct err e = { 0 };
	struct hub_store *s;

	hubstore_destroy(url, &e);
	s = open_store(1);
	assert_int_equal(hubstore_keys_create(s, &e), E_OK);
	return s;
}

static int
setup(void **state)
{
	(void)state;
	url = getenv("OUTPOST_TEST_PG");
	return sodium_init() < 0 ? -1 : 0;
}

/* Runs q on the store's database through a connection of its own: the first column of
 * every row, joined by '|' (static buffer). */
static const char *
sql(const char *q)
{
	static char out[1 << 16];
	PGconn *c = PQconnectdb(url);
	PGresult *r;
	size_t o = 0;
	int i;

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	r = PQexec(c, q);
	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", q, PQresultErrorMessage(r));
	out[0] = '\0';
	for (i = 0; i < PQntuples(r) && o < sizeof out - 1; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? "|" : "",
		    PQgetvalue(r, i, 0));
	PQclear(r);
	PQfinish(c);
	return out;
}

/* ---- a history of several stations ---- */

struct ver {
	uint64_t seq;
	const char *kind;
	int64_t at;
	char body[400];
};
static struct ver hist[NST][NREC + 1];
static struct hub_station sts[NST];
static char cbody[NST][NREC + 1][400];	/* conflicting copies */

/* Station si's versions: temperature checks (some with fever), visitors and their exits,
 * bins and collections, and corrections and deletions of earlier ones. */
static void
make_history(unsigned seed)
{
	int si, seq, root;

	srand(seed);
	for (si = 0; si < NST; si++)
		for (seq = 1; seq <= NREC; seq++) {
			struct ver *v = &hist[si][seq];
			int k = rand() % 10;
			v->seq = (uint64_t)seq;
			v->at = T0 + (int64_t)seq * 60000 + (int64_t)(rand() % 3) * DAY;
			if (seq > 10 && k == 0) {
				root = 1 + rand() % (seq - 1);
				while (hist[si][root].body[17] != 'a')	/* "…action":"add" */
					root = 1 + rand() % (seq - 1);
				v->kind = hist[si][root].kind;
				snprintf(v->body, sizeof v->body, "{\"v\":1,\"action\":\"%s\",\"ref\":%d,"
				    "\"root\":%d,\"tz\":480,\"operator\":\"op\",\"shift\":1,\"reason\":"
				    "\"typo\",\"alert\":\"\",\"data\":{\"value\":36.%d,\"person\":\"P%d\","
				    "\"fever\":0}}", rand() % 2 ? "correct" : "delete", root, root,
				    rand() % 10, seq);
			} else if (k <= 5) {
				v->kind = "temp";
				snprintf(v->body, sizeof v->body, "{\"v\":1,\"action\":\"add\",\"ref\":0,"
				    "\"root\":%d,\"tz\":480,\"operator\":\"op\",\"shift\":1,\"reason\":"
				    "\"\",\"alert\":\"%s\",\"data\":{\"value\":%s,\"method\":\"forehead\","
				    "\"person\":\"P%d\",\"fever\":%d}}", seq, k == 1 ? "watchlist" : "",
				    k == 2 ? "38.4" : "36.5", seq, k == 2);
			} else if (k <= 7) {
				v->kind = "visitor";
				snprintf(v->body, sizeof v->body, "{\"v\":1,\"action\":\"add\",\"ref\":0,"
				    "\"root\":%d,\"tz\":480,\"operator\":\"op\",\"shift\":1,\"reason\":"
				    "\"\",\"alert\":\"\",\"data\":{\"id_type\":\"resident_id\","
				    "\"id_number\":\"1101011990%08d\",\"name\":\"V%d\",\"host\":\"3-2\"}}",
				    seq, seq, seq);
			} else if (k == 8 && seq > 2 && strcmp(hist[si][seq - 2].kind, "visitor") == 0) {
				v->kind = "exit";
				snprintf(v->body, sizeof v->body, "{\"v\":1,\"action\":\"add\",\"ref\":%d,"
				    "\"root\":%d,\"tz\":480,\"operator\":\"op\",\"shift\":1,\"reason\":"
				    "\"\",\"alert\":\"\",\"data\":{\"entry\":%d}}", seq - 2, seq, seq - 2);
			} else if (seq % 2) {
				v->kind = "bin";
				snprintf(v->body, sizeof v->body, "{\"v\":1,\"action\":\"add\",\"ref\":0,"
				    "\"root\":%d,\"tz\":480,\"operator\":\"op\",\"shift\":1,\"reason\":"
				    "\"\",\"alert\":\"\",\"data\":{\"code\":\"B%d\",\"place\":\"gate\"}}",
				    seq, seq % 7);
			} else {
				v->kind = "collection";
				snprintf(v->body, sizeof v->body, "{\"v\":1,\"action\":\"add\",\"ref\":0,"
				    "\"root\":%d,\"tz\":480,\"operator\":\"op\",\"shift\":1,\"reason\":"
				    "\"\",\"alert\":\"\",\"data\":{\"bin\":\"B%d\",\"bags\":1}}", seq,
				    seq % 7);
			}
			snprintf(cbody[si][seq], sizeof cbody[si][seq], "%s", v->body);
			strstr(cbody[si][seq], "\"op\"")[2] = 'q';	/* other content */
		}
}

static void
add_stations(struct hub_store *s)
{
	uint8_t epk[32], cpk[32], spk[32];
	struct err e = { 0 };
	char name[16], uid[33];
	uint64_t id;
	int i;

	for (i = 0; i < NST; i++) {
		randombytes_buf(epk, 32);
		randombytes_buf(cpk, 32);
		randombytes_buf(spk, 32);
		snprintf(name, sizeof name, "gate%d", i);
		snprintf(uid, sizeof uid, "%032x", i + 1);
		assert_int_equal(hubstore_station_add(s, name, epk, T0, &id, &e), E_OK);
		assert_int_equal(hubstore_enroll_complete(s, epk, cpk, spk, uid, T0, &sts[i], &e),
		    E_OK);
	}
}

/* The batches of one round: per station a run of seqs (some resent, with now and then a
 * conflicting copy, and now and then a gap left for a later round). */
struct plan {
	int st, from, to, conflict, skip;
};
#define NROUNDS 14
static struct plan plans[NROUNDS][NST];
static struct wire_record recs[NROUNDS][NST][NMAX];
static size_t nrecs[NROUNDS][NST];

static void
make_plans(void)
{
	int r, i, next[NST];

	for (i = 0; i < NST; i++)
		next[i] = 1;
	for (r = 0; r < NROUNDS; r++)
		for (i = 0; i < NST; i++) {
			/* the stations of a round in a shuffled order */
			struct plan *p = &plans[r][i];
			size_t n = 0;
			int seq;
			p->st = (i + r * 5) % NST;
			p->from = next[p->st] - (r % 3 == 1 ? 3 : 0);	/* resends */
			if (p->from < 1)
				p->from = 1;
			p->to = p->from + 5 + rand() % 25;
			if (p->to > NREC)
				p->to = NREC;
			p->skip = r < NROUNDS - 2 && rand() % 4 == 0 ? p->from + 2 : 0;	/* a gap */
			p->conflict = r % 3 == 1 && p->from < next[p->st] ? p->from : 0;
			for (seq = p->from; seq <= p->to && n < NMAX; seq++) {
				struct wire_record *w = &recs[r][i][n];
				struct ver *v = &hist[p->st][seq];
				if (seq == p->skip)
					continue;
				memset(w, 0, sizeof *w);
				w->seq = v->seq;
				snprintf(w->kind, sizeof w->kind, "%s", v->kind);
				w->created_ms = v->at;
				w->body = seq == p->conflict ? cbody[p->st][seq] : v->body;
				w->body_len = strlen(w->body);
				n++;
			}
			nrecs[r][i] = n;
			if (p->to + 1 > next[p->st])
				next[p->st] = p->to + 1;
		}
	/* the last two rounds resend the first seqs (the gaps among them fill) */
	for (r = NROUNDS - 2; r < NROUNDS; r++)
		for (i = 0; i < NST; i++) {
			struct plan *p = &plans[r][i];
			size_t n = 0;
			int seq;
			p->from = (r == NROUNDS - 2 ? 1 : NMAX + 1);
			p->to = p->from + NMAX - 1;
			p->skip = p->conflict = 0;
			for (seq = p->from; seq <= p->to && seq < next[p->st] && n < NMAX; seq++) {
				struct wire_record *w = &recs[r][i][n];
				struct ver *v = &hist[p->st][seq];
				memset(w, 0, sizeof *w);
				w->seq = v->seq;
				snprintf(w->kind, sizeof w->kind, "%s", v->kind);
				w->created_ms = v->at;
				w->body = v->body;
				w->body_len = strlen(w->body);
				n++;
			}
			nrecs[r][i] = n;
		}
}

/* Every batch's outcome, one line each. */
static char outcome[NROUNDS][NST][256];

static void
note(int r, int i, const struct hub_ingest *res)
{
	size_t o;
	size_t k;

	o = (size_t)snprintf(outcome[r][i], sizeof outcome[r][i], "st %d in %llu dup %llu q %llu "
	    "hw %llu c", plans[r][i].st, (unsigned long long)res->inserted,
	    (unsigned long long)res->duplicates, (unsigned long long)res->quarantined,
	    (unsigned long long)res->hw);
	for (k = 0; k < res->nconflicts && o < sizeof outcome[r][i] - 24; k++)
		o += (size_t)snprintf(outcome[r][i] + o, sizeof outcome[r][i] - o, " %llu",
		    (unsigned long long)res->conflicts[k]);
}

/* What the store holds, in text: counters, aggregates, bins, keys, conflicts, roots. */
static char *
snapshot(void)
{
	static const char *const q[] = {
		"SELECT s.name || ':' || hw || ',' || held || ',' || max_seq || ',' || conflicts || "
		"',' || quarantined || ',' || coalesce(last_seen_ms, -1) FROM outpost_hub.station_state "
		"t JOIN outpost_hub.stations s ON s.id = t.station_id ORDER BY s.name",
		"SELECT station_id || ':' || day || kind || ':' || records || ',' || fevers || ',' || "
		"released || ',' || flagged || ',' || inside FROM outpost_hub.agg_day WHERE records "
		"<> 0 OR fevers <> 0 OR inside <> 0 ORDER BY 1",
		"SELECT station_id || ':' || since_ms || ',' || coalesce(last_ms, -1) FROM "
		"outpost_hub.bins ORDER BY 1",
		"SELECT station_id || ':' || count(*) || ',' || max(seq) FROM outpost_hub.record_keys "
		"GROUP BY station_id ORDER BY 1",
		"SELECT station_id || ':' || count(*) FROM outpost_hub.records GROUP BY station_id "
		"ORDER BY 1",
		"SELECT station_id || ':' || seq FROM outpost_hub.conflicts ORDER BY 1",
	};
	size_t i, len = 0;
	char *out = NULL;
	const char *part;

	for (i = 0; i < sizeof q / sizeof q[0]; i++) {
		part = sql(q[i]);
		out = realloc(out, len + strlen(part) + 2);
		assert_non_null(out);
		memcpy(out + len, part, strlen(part));
		len += strlen(part);
		out[len++] = '\n';
		out[len] = '\0';
	}
	return out;
}

static void
test_same_as_one_by_one(void **state)
{
	struct hub_store *s;
	struct hub_batch b[NST];
	struct hub_ingest res;
	struct err e = { 0 };
	char one[NROUNDS][NST][256], *snap1, *snap2;
	int r, i;

	(void)state;
	if (url == NULL)
		skip();
	make_history(7);
	make_plans();
	/* one batch at a time, as serve did before groups */
	s = fresh();
	add_stations(s);
	for (r = 0; r < NROUNDS; r++)
		for (i = 0; i < NST; i++) {
			assert_int_equal(hubstore_ingest(s, &sts[plans[r][i].st], recs[r][i],
			    nrecs[r][i], T0 + DAY + r, &res, &e), E_OK);
			assert_int_equal(hubstore_station_seen(s, sts[plans[r][i].st].id,
			    T0 + DAY + r, 0, 0, &e), E_OK);
			note(r, i, &res);
			free(res.conflicts);
		}
	assert_int_equal(hubstore_verify(s, &e), E_OK);
	memcpy(one, outcome, sizeof one);
	snap1 = snapshot();
	hubstore_close(s);
	/* the same in groups: a round at a time, and the last rounds two by two */
	s = fresh();
	add_stations(s);
	for (r = 0; r < NROUNDS; r++) {
		size_t n = 0;
		for (i = 0; i < NST; i++) {
			b[n].st = &sts[plans[r][i].st];
			b[n].r = recs[r][i];
			b[n].n = nrecs[r][i];
			n++;
			if (r < NROUNDS - 4 && i != NST - 1)
				continue;
			if (r >= NROUNDS - 4 && n < 2 && i != NST - 1)
				continue;
			assert_int_equal(hubstore_ingest_group(s, b, n, T0 + DAY + r, &e), E_OK);
			for (size_t k = 0; k < n; k++) {
				int at = i - (int)n + 1 + (int)k;
				if (b[k].rc != E_OK)
					fail_msg("round %d batch %d: %s", r, at, b[k].e.msg);
				note(r, at, &b[k].res);
				free(b[k].res.conflicts);
			}
			n = 0;
		}
	}
	assert_int_equal(hubstore_verify(s, &e), E_OK);
	for (r = 0; r < NROUNDS; r++)
		for (i = 0; i < NST; i++)
			assert_string_equal(outcome[r][i], one[r][i]);
	snap2 = snapshot();
	assert_string_equal(snap2, snap1);
	/* the history had each case: duplicates, conflicts, a gap that held hw back */
	assert_true(strstr(snap1, "gate0:") != NULL);
	assert_string_not_equal(sql("SELECT count(*) FROM outpost_hub.conflicts"), "0");
	{
		int dups = 0, held_back = 0;
		for (r = 0; r < NROUNDS; r++)
			for (i = 0; i < NST; i++) {
				dups += strstr(one[r][i], "dup 0 ") == NULL;
				held_back += plans[r][i].skip != 0;
			}
		assert_true(dups > 0);
		assert_true(held_back > 0);
	}
	free(snap1);
	free(snap2);
	hubstore_close(s);
}

/* ---- a batch that fails ---- */

/* A trigger that refuses station id's rows in table (the database refusing one batch). */
static void
refuse(const char *table, uint64_t id)
{
	char q[600];

	snprintf(q, sizeof q, "CREATE OR REPLACE FUNCTION outpost_hub.refuse() RETURNS trigger "
	    "LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'refused for the test'; END$$; "
	    "CREATE TRIGGER refuse BEFORE INSERT ON outpost_hub.%s FOR EACH ROW WHEN "
	    "(NEW.station_id = %llu) EXECUTE FUNCTION outpost_hub.refuse()", table,
	    (unsigned long long)id);
	sql(q);
}

static void
unrefuse(const char *table)
{
	char q[200];

	snprintf(q, sizeof q, "DROP TRIGGER refuse ON outpost_hub.%s", table);
	sql(q);
}

/* Three stations' batches, the one at bad refused in table; the others land, it does
 * not, and sent again once the database lets it, it lands as if first sent. */
static void
failing_one(const char *table, int bad)
{
	struct hub_store *s;
	struct hub_batch b[3];
	struct wire_record w[3][6];
	struct err e = { 0 };
	char q[200];
	int i, k;

	s = fresh();
	add_stations(s);
	for (i = 0; i < 3; i++)
		for (k = 0; k < 6; k++) {
			struct ver *v = &hist[i][k + 1];
			memset(&w[i][k], 0, sizeof w[i][k]);
			w[i][k].seq = v->seq;
			snprintf(w[i][k].kind, sizeof w[i][k].kind, "%s", v->kind);
			w[i][k].created_ms = v->at;
			w[i][k].body = v->body;
			w[i][k].body_len = strlen(v->body);
		}
	/* a conflict to store, for the refusal in conflicts: seq 1 held with other content */
	if (strcmp(table, "conflicts") == 0) {
		struct hub_ingest res;
		struct wire_record c = w[bad][0];
		c.body = cbody[bad][1];
		c.body_len = strlen(c.body);
		assert_int_equal(hubstore_ingest(s, &sts[bad], &c, 1, T0 + DAY, &res, &e), E_OK);
		free(res.conflicts);
	}
	refuse(table, sts[bad].id);
	for (i = 0; i < 3; i++) {
		b[i].st = &sts[i];
		b[i].r = w[i];
		b[i].n = 6;
	}
	assert_int_equal(hubstore_ingest_group(s, b, 3, T0 + 2 * DAY, &e), E_OK);
	for (i = 0; i < 3; i++) {
		if (i == bad) {
			assert_int_not_equal(b[i].rc, E_OK);
			assert_non_null(strstr(b[i].e.msg, "refused for the test"));
			continue;
		}
		if (b[i].rc != E_OK)
			fail_msg("batch %d: %s", i, b[i].e.msg);
		assert_int_equal(b[i].res.inserted, 6);
		assert_int_equal(b[i].res.hw, 6);
		free(b[i].res.conflicts);
	}
	unrefuse(table);
	for (i = 0; i < 3; i++) {
		snprintf(q, sizeof q, "SELECT held || ',' || hw || ',' || coalesce(last_seen_ms, 0) "
		    "FROM outpost_hub.station_state WHERE station_id = %llu",
		    (unsigned long long)sts[i].id);
		if (i != bad)
			assert_string_equal(sql(q), "6,6,1780172800000");
		else
			assert_string_equal(sql(q), strcmp(table, "conflicts") == 0 ?
			    "1,1,0" : "0,0,0");
	}
	/* nothing of it: no key, record, root or figure */
	snprintf(q, sizeof q, "SELECT (SELECT count(*) FROM outpost_hub.record_keys WHERE "
	    "station_id = %llu) + (SELECT count(*) FROM outpost_hub.agg_day WHERE station_id = "
	    "%llu AND records > 0)", (unsigned long long)sts[bad].id,
	    (unsigned long long)sts[bad].id);
	assert_string_equal(sql(q), strcmp(table, "conflicts") == 0 ? "2" : "0");
	assert_int_equal(hubstore_verify(s, &e), E_OK);
	/* sent again: it lands, the others are duplicates */
	assert_int_equal(hubstore_ingest_group(s, b, 3, T0 + 2 * DAY, &e), E_OK);
	for (i = 0; i < 3; i++) {
		assert_int_equal(b[i].rc, E_OK);
		assert_int_equal(b[i].res.inserted, i == bad ? 6 - (strcmp(table, "conflicts")
		    == 0) : 0);
		assert_int_equal(b[i].res.hw, 6);
		free(b[i].res.conflicts);
	}
	assert_int_equal(hubstore_verify(s, &e), E_OK);
	hubstore_close(s);
}

static void
test_failing_batch(void **state)
{
	static const char *const tables[] = { "record_keys", "agg_day", "conflicts" };
	int t, bad;

	(void)state;
	if (url == NULL)
		skip();
	make_history(11);
	/* its insert (the head), its conflicts (between), its aggregates (the tail) */
	for (t = 0; t < 3; t++)
		for (bad = 0; bad < 3; bad++)
			failing_one(tables[t], bad);
}

/* ---- two connections at once ---- */

struct racer {
	int reverse;
	int rc[NROUNDS];
	char msg[512];
};

/* Ingests every round's batches as groups of all stations, in station order or the
 * reverse, on its own connection. */
static void *
race(void *arg)
{
	struct racer *x = arg;
	struct hub_store *s = open_store(0);
	struct hub_batch b[NST];
	struct err e = { 0 };
	int r, i, k;

	for (r = 0; r < NROUNDS; r++) {
		for (i = 0; i < NST; i++) {
			k = x->reverse ? NST - 1 - i : i;
			b[i].st = &sts[plans[r][k].st];
			b[i].r = recs[r][k];
			b[i].n = nrecs[r][k];
		}
		x->rc[r] = hubstore_ingest_group(s, b, NST, T0 + DAY, &e);
		for (i = 0; i < NST; i++) {
			if (b[i].rc != E_OK && x->rc[r] == E_OK) {
				x->rc[r] = b[i].rc;
				snprintf(x->msg, sizeof x->msg, "%s", b[i].e.msg);
			}
			free(b[i].res.conflicts);
		}
		if (x->rc[r] != E_OK && x->msg[0] == '\0')
			snprintf(x->msg, sizeof x->msg, "%s", e.msg);
	}
	hubstore_close(s);
	return NULL;
}

static void
test_two_connections(void **state)
{
	struct hub_store *s;
	struct racer x[2] = { { .reverse = 0 }, { .reverse = 1 } };
	pthread_t th[2];
	struct err e = { 0 };
	char want[1024], q[200];
	static char got[NST][NREC + 1];
	size_t o = 0;
	int i, r, st, held, hw;

	(void)state;
	if (url == NULL)
		skip();
	make_history(5);
	make_plans();
	s = fresh();
	add_stations(s);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, race, &x[i]), 0);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 2; i++)
		for (r = 0; r < NROUNDS; r++)
			if (x[i].rc[r] != E_OK)
				fail_msg("connection %d round %d: %s", i, r, x[i].msg);
	/* each record once: keys, records and counters as the history says */
	memset(got, 0, sizeof got);
	for (r = 0; r < NROUNDS; r++)
		for (i = 0; i < NST; i++)
			for (size_t k = 0; k < nrecs[r][i]; k++)
				got[plans[r][i].st][recs[r][i][k].seq] = 1;
	for (st = 0; st < NST; st++) {
		for (held = 0, r = 1; r <= NREC; r++)
			held += got[st][r];
		for (hw = 0; hw < NREC && got[st][hw + 1]; hw++)
			;
		o += (size_t)snprintf(want + o, sizeof want - o, "%s%d,%d,%d", st ? "|" : "",
		    held, hw, held);
	}
	assert_string_not_equal(want, "");
	snprintf(q, sizeof q, "SELECT held || ',' || hw || ',' || (SELECT count(*) FROM "
	    "outpost_hub.records r WHERE r.station_id = t.station_id) FROM "
	    "outpost_hub.station_state t ORDER BY station_id");
	assert_string_equal(sql(q), want);
	assert_int_equal(hubstore_verify(s, &e), E_OK);
	hubstore_close(s);
}

/* ---- a hub killed mid-group ---- */

static void
killed_at(const char *crash)
{
	struct hub_store *s;
	struct hub_batch b[NST];
	struct err e = { 0 };
	char *before, *after;
	int i, status;
	pid_t pid;

	s = fresh();
	add_stations(s);
	/* a round in first, so the killed group has duplicates and conflicts too */
	for (i = 0; i < NST; i++) {
		b[i].st = &sts[plans[0][i].st];
		b[i].r = recs[0][i];
		b[i].n = nrecs[0][i];
	}
	assert_int_equal(hubstore_ingest_group(s, b, NST, T0 + DAY, &e), E_OK);
	for (i = 0; i < NST; i++)
		free(b[i].res.conflicts);
	before = snapshot();
	for (i = 0; i < NST; i++) {
		b[i].st = &sts[plans[1][i].st];
		b[i].r = recs[1][i];
		b[i].n = nrecs[1][i];
	}
	if ((pid = fork()) == 0) {
		struct hub_store *child = open_store(0);
		setenv("OUTPOST_CRASH", crash, 1);
		hubstore_ingest_group(child, b, NST, T0 + 2 * DAY, &e);
		_exit(4);	/* not reached: the crash point kills it */
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	/* PostgreSQL has ended the dead connection's transaction: nothing of the group */
	after = snapshot();
	assert_string_equal(after, before);
	free(after);
	free(before);
	assert_int_equal(hubstore_ingest_group(s, b, NST, T0 + 2 * DAY, &e), E_OK);
	for (i = 0; i < NST; i++) {
		assert_int_equal(b[i].rc, E_OK);
		free(b[i].res.conflicts);
	}
	assert_int_equal(hubstore_verify(s, &e), E_OK);
	hubstore_close(s);
}

static void
test_killed(void **state)
{
	(void)state;
	if (url == NULL)
		skip();
	make_history(3);
	make_plans();
	killed_at("mid_batch:3");
	killed_at("before_commit");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_one_by_one),
		cmocka_unit_test(test_failing_batch),
		cmocka_unit_test(test_two_connections),
		cmocka_unit_test(test_killed),
	};
	/* Run by itself (make test runs every unit binary) there is no server: say so, pass
	 * nothing, fail nothing; tests/e2e/pg-store.sh runs it again with one. */
	if (getenv("OUTPOST_TEST_PG") == NULL) {
		printf("1..0 # SKIP no PostgreSQL server here: tests/e2e/pg-store.sh runs this\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, setup, NULL);
}
