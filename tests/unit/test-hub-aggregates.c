/* test-hub-aggregates.c — the hub's aggregates against two independent counts: a model
 * kept here in C from the versions delivered, and the store's own full recount
 * (hubstore_verify). Random stations write records of every kind, correct and delete
 * them; the versions reach the hub in chunks in random order, resent, with conflicting
 * copies; purges run in between; and the hub is killed (SIGKILL at the crash points
 * "mid_batch" and "before_commit") between ingest and commit; some chunks of two
 * stations arrive as one group (hubstore_ingest_group), killed in it now and then
 * (nothing of the group may stay). After every step each station × day × kind figure,
 * each bin and each station's counters must agree.
 * With OUTPOST_TEST_PG set (tests/e2e/pg-store.sh) the same runs on a PostgreSQL store. */
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

#include "crypto/vault.h"
#include "hub/purge.h"
#include "hub/store-sqlite.h"
#include "hub/store.h"

#define T0 1780000000000LL	/* 2026-05-28 */
#define DAY 86400000LL
#define DAYS 6
#define NST 3
#define NVER 700
#define NBINS 3
#define TZ 480

enum { K_TEMP, K_VEHICLE, K_VISITOR, K_EXIT, K_BIN, K_COLLECTION, NKINDS };
static const char *const kinds[NKINDS] = { "temp", "vehicle", "visitor", "exit", "bin",
	"collection" };
/* Values of personal fields (FF_PERSONAL in storage's tables) written in bodies: none may
 * be left in a purged record. (handed_to, 赵六, is not personal: a worker's name stays.) */
static const char *const personal[] = { "张三", "李四", "王五", "110101199003074514",
	"13800138000", "京A12345", "3-2-301" };

struct ver {
	uint64_t seq, root, entry;
	int kind, action;	/* 0 add, 1 correct, 2 delete */
	int64_t created;	/* of this version (the root's counts) */
	int fever, released, flagged, bin;	/* bin: code index or -1 */
	char body[640];
	int delivered;
};

struct station {
	struct hub_station st;
	struct ver v[NVER + 1];	/* v[seq], seq from 1 */
	int n;
};

static struct station stations[NST];
static struct hub_store *hs;

/* The store under test: db wrapped as an SQLite store, or with OUTPOST_TEST_PG the
 * PostgreSQL store at that address (made afresh when fresh is set; db unused). */
static int
store_open(sqlite3 *db, int fresh, struct hub_store **out, struct err *e)
{
	const char *pg = getenv("OUTPOST_TEST_PG");
	struct hubstore_params p = { 0 };

	if (pg == NULL)
		return hubstore_sqlite_wrap(db, out, e);
	if (fresh)
		hubstore_destroy(pg, e);
	p.address = pg;
	p.secret = "test";
	p.secret_len = 4;
	p.create = fresh;
	p.kdf = VAULT_KDF_TEST_CHEAP;
	return hubstore_open(&p, out, e);
}
static sqlite3 *db;
static char path[] = "/tmp/outpost-hubagg-XXXXXX";
static char file[256];
static struct hub_export *cur;	/* export_clean's, while open */

/* After each test, passed or failed (a failed assertion leaves the test at once): closes
 * what it left open and removes its files. An export cursor left with a page sent ahead
 * keeps its PostgreSQL backend inside that statement, holding locks on the records, and
 * the next test's DROP SCHEMA would wait for it for ever: a failure would hang the run
 * instead of failing it. */
static int
close_opened(void **state)
{
	char side[300];

	(void)state;
	hubstore_export_close(cur);
	cur = NULL;
	hubstore_close(hs);
	hs = NULL;
	if (db != NULL)
		sqlite3_close(db);
	db = NULL;
	if (file[0] != '\0') {
		unlink(file);
		snprintf(side, sizeof side, "%s-wal", file);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", file);
		unlink(side);
		rmdir(path);
		file[0] = '\0';
	}
	return 0;
}

static uint32_t rng = 12345;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

static int64_t
day_of(int64_t ms)
{
	int64_t l = ms + TZ * 60000LL;

	return l >= 0 ? l / DAY : -((-l + DAY - 1) / DAY);
}

/* The body storage would write for v (its facts chosen before). */
static void
body(struct ver *v)
{
	static const char *const actions[] = { "add", "correct", "delete" };
	char data[400];

	switch (v->kind) {
	case K_TEMP:
		snprintf(data, sizeof data, "{\"value\":%s,\"method\":\"ear\",\"person\":\"张三\","
		    "\"recheck_of\":%d,\"disposition\":\"%s\",\"fever\":%d,"
		    "\"override_reason\":\"%s\"}", v->fever ? "38.2" : "36.6",
		    v->released == 2 ? 1 : 0, v->released ? "pass" : "isolated", v->fever,
		    v->released ? "复测正常" : "");
		break;
	case K_VEHICLE:
		snprintf(data, sizeof data, "{\"plate\":\"京A12345\",\"driver_name\":\"李四\","
		    "\"driver_phone\":\"13800138000\",\"occupants\":1,\"occupant_temps\":[%s],"
		    "\"flagged\":%d,\"fever\":%d}", v->fever ? "38.0" : "36.5", v->flagged, v->fever);
		break;
	case K_VISITOR:
		snprintf(data, sizeof data, "{\"id_type\":\"resident_id\",\"id_number\":"
		    "\"110101199003074514\",\"name\":\"王五\",\"host\":\"3-2-301\"}");
		break;
	case K_EXIT:
		snprintf(data, sizeof data, "{\"entry\":%llu}", (unsigned long long)v->entry);
		break;
	case K_BIN:
		snprintf(data, sizeof data, "{\"code\":\"B%d\",\"place\":\"门口\"}", v->bin);
		break;
	default:
		snprintf(data, sizeof data, "{\"bin\":\"B%d\",\"bags\":1,\"handed_to\":\"赵六\"}",
		    v->bin);
	}
	snprintf(v->body, sizeof v->body, "{\"v\":1,\"action\":\"%s\",\"ref\":%llu,\"root\":%llu,"
	    "\"tz\":%d,\"operator\":\"op\",\"shift\":1,\"reason\":\"\",\"alert\":\"%s\","
	    "\"data\":%s}", actions[v->action], (unsigned long long)(v->action ? v->root : 0),
	    (unsigned long long)v->root, TZ, v->flagged == 2 ? "watchlist" : "", data);
}

/* Random facts for a version of kind k. */
static void
facts(struct ver *v, struct station *s)
{
	v->fever = v->kind == K_TEMP || v->kind == K_VEHICLE ? (int)rnd(3) == 0 : 0;
	v->released = v->kind == K_TEMP ? (int)rnd(3) : 0;	/* 2: a recheck */
	v->flagged = v->kind == K_VEHICLE ? (int)rnd(3) : (int)rnd(8) == 0 ? 2 : 0;
	v->bin = v->kind == K_BIN || v->kind == K_COLLECTION ? (int)rnd(NBINS) : -1;
	if (v->kind == K_EXIT && v->entry == 0) {
		/* an exit names some visitor entry of this station (or a seq not held yet) */
		int i, tries;
		for (tries = 0; tries < 20; tries++) {
			i = 1 + (int)rnd((uint32_t)s->n);
			if (s->v[i].kind == K_VISITOR && s->v[i].action == 0)
				break;
		}
		v->entry = tries < 20 ? (uint64_t)i : (uint64_t)s->n + 5;
	}
	body(v);
}

static void
generate(struct station *s)
{
	struct ver *v, *r;
	int i;

	for (i = 1; i <= NVER; i++) {
		v = &s->v[i];
		memset(v, 0, sizeof *v);
		v->seq = (uint64_t)i;
		s->n = i;
		if (i > 5 && rnd(10) < 3) {
			/* a new version of an earlier record: a correction, or a deletion */
			int j = 1 + (int)rnd((uint32_t)(i - 1));
			r = &s->v[j];
			while (r->action != 0)
				r = &s->v[r->root];
			v->root = r->seq;
			v->kind = r->kind;
			v->entry = r->entry;
			v->created = r->created + 1000;
			v->action = rnd(3) == 0 ? 2 : 1;
		} else {
			v->root = (uint64_t)i;
			v->kind = (int)rnd(NKINDS);
			v->created = T0 + (int64_t)rnd(DAYS) * DAY + (int64_t)rnd(20) * 3600000;
		}
		facts(v, s);
		if (v->kind == K_TEMP && v->released == 2)
			v->fever = 0;	/* a recheck is no new fever */
		if (!(v->kind == K_TEMP && v->fever && v->released == 1))
			v->released = 0;
	}
}

/* ---- the model: what the hub should show, from the versions delivered ---- */

/* The latest delivered version of each root, and the roots a live exit names, for the
 * station being checked (recomputed by model_prepare: O(versions)). */
static const struct ver *lat[NVER + 64];
static int exited[NVER + 64];

/* The live latest version of root (its first version held, its latest not a deletion). */
static const struct ver *
live(const struct station *s, uint64_t root)
{
	const struct ver *l;

	if (root < 1 || root > (uint64_t)s->n || !s->v[root].delivered || s->v[root].action != 0)
		return NULL;
	l = lat[root];
	return l != NULL && l->action != 2 ? l : NULL;
}

static void
model_prepare(const struct station *s)
{
	int i;

	memset(lat, 0, sizeof lat);
	memset(exited, 0, sizeof exited);
	for (i = 1; i <= s->n; i++)
		if (s->v[i].delivered)
			lat[s->v[i].root] = &s->v[i];
	for (i = 1; i <= s->n; i++)
		if (s->v[i].action == 0 && s->v[i].kind == K_EXIT && live(s, (uint64_t)i) != NULL &&
		    s->v[i].entry < NVER + 64)
			exited[s->v[i].entry] = 1;
}

static int
inside(const struct station *s, uint64_t root)
{
	(void)s;
	return !exited[root];
}

struct fig {
	int64_t v[5];
};

static void
model(const struct station *s, int64_t day, int kind, struct fig *f)
{
	const struct ver *l;
	int i;

	memset(f, 0, sizeof *f);
	for (i = 1; i <= s->n; i++) {
		if (s->v[i].action != 0 || s->v[i].kind != kind ||
		    day_of(s->v[i].created) != day || (l = live(s, (uint64_t)i)) == NULL)
			continue;
		f->v[0]++;
		f->v[1] += l->fever;
		f->v[2] += l->released;
		f->v[3] += l->flagged != 0;
		f->v[4] += kind == K_VISITOR && inside(s, (uint64_t)i);
	}
}

/* The bin's last collection (ms, 0 if none) and whether it is registered. */
static int
model_bin(const struct station *s, int code, int64_t *last)
{
	const struct ver *l;
	int i, reg = 0;

	*last = 0;
	for (i = 1; i <= s->n; i++) {
		if (s->v[i].action != 0 || (l = live(s, (uint64_t)i)) == NULL || l->bin != code)
			continue;
		if (s->v[i].kind == K_BIN)
			reg = 1;
		else if (s->v[i].kind == K_COLLECTION && s->v[i].created > *last)
			*last = s->v[i].created;
	}
	return reg;
}

/* ---- the store's side ---- */

struct got {
	const char *station, *kind;
	struct fig f;
	int found;
};

static int
got_row(const struct hub_total *t, void *arg)
{
	struct got *g = arg;

	if (strcmp(t->station, g->station) == 0 && strcmp(t->kind, g->kind) == 0) {
		g->f.v[0] = t->records;
		g->f.v[1] = t->fevers;
		g->f.v[2] = t->released;
		g->f.v[3] = t->flagged;
		g->f.v[4] = t->inside;
		g->found = 1;
	}
	return 0;
}

struct bins_got {
	const char *station;
	int reg[NBINS];
	int64_t last[NBINS];
};

static int
bin_row(const char *station, const char *bin, int64_t last, void *arg)
{
	struct bins_got *b = arg;
	int code = bin[0] == 'B' ? atoi(bin + 1) : -1;

	if (strcmp(station, b->station) == 0 && code >= 0 && code < NBINS) {
		b->reg[code] = 1;
		b->last[code] = last;
	}
	return 0;
}

static void
check_all(const char *when)
{
	struct hub_span sp = HUB_SPAN_ALL;
	struct bins_got b;
	struct fig want;
	struct got g;
	struct err e;
	int64_t last;
	int si, k, d, j, code;

	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s: %s", when, e.msg);
	for (si = 0; si < NST; si++) {
		model_prepare(&stations[si]);
		for (d = 0; d < DAYS; d++) {
			sp.day_from = day_of(T0) + d;
			sp.day_to = sp.day_from + 1;
			for (k = 0; k < NKINDS; k++) {
				memset(&g, 0, sizeof g);
				g.station = stations[si].st.name;
				g.kind = kinds[k];
				assert_int_equal(hubstore_report_totals(hs, &sp, got_row, &g, &e), E_OK);
				model(&stations[si], sp.day_from, k, &want);
				for (j = 0; j < 5; j++)
					if (g.f.v[j] != want.v[j])
						fail_msg("%s: station %d day %d %s figure %d: hub %lld, "
						    "model %lld", when, si, d, kinds[k], j,
						    (long long)g.f.v[j], (long long)want.v[j]);
			}
		}
		memset(&b, 0, sizeof b);
		b.station = stations[si].st.name;
		sp = HUB_SPAN_ALL;
		/* far in the future with no window: every registered bin is overdue */
		assert_int_equal(hubstore_report_bins(hs, &sp, INT64_MAX / 2, 0, bin_row, &b, &e),
		    E_OK);
		for (code = 0; code < NBINS; code++) {
			int reg = model_bin(&stations[si], code, &last);
			if (reg != b.reg[code] || (reg && last != b.last[code]))
				fail_msg("%s: station %d bin B%d: hub %d/%lld, model %d/%lld", when, si,
				    code, b.reg[code], (long long)b.last[code], reg, (long long)last);
		}
	}
}

/* Versions [from, to] of station s as wire records into w: how many. */
static int
to_wire(const struct station *s, int from, int to, struct wire_record *w)
{
	int i, n;

	for (i = from, n = 0; i <= to; i++, n++) {
		memset(&w[n], 0, sizeof w[n]);
		w[n].seq = s->v[i].seq;
		snprintf(w[n].kind, sizeof w[n].kind, "%s", kinds[s->v[i].kind]);
		w[n].created_ms = s->v[i].created;
		w[n].body = s->v[i].body;
		w[n].body_len = strlen(s->v[i].body);
	}
	return n;
}

/* Delivers versions [from, to] of station si as one batch; with crash set, in a child
 * killed at that crash point, so nothing of it may stay. */
static void
deliver(int si, int from, int to, const char *crash)
{
	struct station *s = &stations[si];
	struct wire_record w[64] = { { 0 } };
	struct hub_ingest res;
	struct err e;
	int i, n, status;
	pid_t pid;

	n = to_wire(s, from, to, w);
	if (crash != NULL) {
		if ((pid = fork()) == 0) {
			struct hub_store *child;
			sqlite3 *cdb;
			if (sqlite3_open(file, &cdb) != SQLITE_OK ||
			    store_open(cdb, 0, &child, &e) != E_OK)
				_exit(3);
			setenv("OUTPOST_CRASH", crash, 1);
			hubstore_ingest(child, &s->st, w, (size_t)n, T0 + 5 * DAY, &res, &e);
			_exit(4);	/* not reached: the crash point kills it */
		}
		assert_true(pid > 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		return;
	}
	assert_int_equal(hubstore_ingest(hs, &s->st, w, (size_t)n, T0 + 5 * DAY, &res, &e),
	    E_OK);
	free(res.conflicts);
	for (i = from; i <= to; i++)
		s->v[i].delivered = 1;
}

/* Delivers versions [from[j], to[j]] of stations si[j] (distinct) as one group
 * (hubstore_ingest_group: one commit where the backend can); with crash set, in a child
 * killed at that crash point, so nothing of any of them may stay. */
static void
deliver_group(size_t k, const int *si, const int *from, const int *to, const char *crash)
{
	static struct wire_record w[NST][64];
	struct hub_batch b[NST];
	struct station *s;
	struct err e;
	size_t j;
	int i, status;
	pid_t pid;

	assert_true(k >= 1 && k <= NST);
	memset(b, 0, sizeof b);
	for (j = 0; j < k; j++) {
		s = &stations[si[j]];
		b[j].st = &s->st;
		b[j].r = w[j];
		b[j].n = (size_t)to_wire(s, from[j], to[j], w[j]);
	}
	if (crash != NULL) {
		if ((pid = fork()) == 0) {
			struct hub_store *child;
			sqlite3 *cdb;
			if (sqlite3_open(file, &cdb) != SQLITE_OK ||
			    store_open(cdb, 0, &child, &e) != E_OK)
				_exit(3);
			setenv("OUTPOST_CRASH", crash, 1);
			hubstore_ingest_group(child, b, k, T0 + 5 * DAY, &e);
			_exit(4);	/* not reached: the crash point kills it */
		}
		assert_true(pid > 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		return;
	}
	assert_int_equal(hubstore_ingest_group(hs, b, k, T0 + 5 * DAY, &e), E_OK);
	for (j = 0; j < k; j++) {
		if (b[j].rc != E_OK)
			fail_msg("batch %zu of the group: %s", j, b[j].e.msg);
		free(b[j].res.conflicts);
		for (i = from[j]; i <= to[j]; i++)
			stations[si[j]].v[i].delivered = 1;
	}
}

/* A conflicting copy of one delivered version: kept apart, counted, no figure moves. */
static void
conflict(int si, int seq)
{
	struct station *s = &stations[si];
	struct wire_record w;
	struct hub_ingest res;
	struct err e;
	char other[700];

	snprintf(other, sizeof other, "%s", s->v[seq].body);
	other[strlen(other) - 2] = ' ';	/* still JSON-ish, other content */
	memset(&w, 0, sizeof w);
	w.seq = (uint64_t)seq;
	snprintf(w.kind, sizeof w.kind, "%s", kinds[s->v[seq].kind]);
	w.created_ms = s->v[seq].created;
	w.body = other;
	w.body_len = strlen(other);
	assert_int_equal(hubstore_ingest(hs, &s->st, &w, 1, T0 + 5 * DAY, &res, &e), E_OK);
	assert_int_equal(res.nconflicts, 1);
	free(res.conflicts);
}

/* Every record exported from before cutoff is purged and holds no personal value (late
 * versions and conflicting copies of purged records included); returns how many. */
static int
export_clean(int64_t cutoff)
{
	const struct hub_export_row *r;
	struct err e;
	size_t i;
	int got, purged = 0, rows = 0;

	assert_int_equal(hubstore_export_open(hs, NULL, &cur, &e), E_OK);
	while ((got = hubstore_export_next(cur, &r, &e)) == 1) {
		rows++;
		if (r->created_ms >= cutoff) {
			assert_false(r->purged);
			continue;
		}
		if (!r->purged)
			fail_msg("seq %llu is from before the cutoff and not purged",
			    (unsigned long long)r->seq);
		purged++;
		for (i = 0; i < sizeof personal / sizeof personal[0]; i++)
			if (strstr(r->body, personal[i]) != NULL)
				fail_msg("seq %llu purged but holds %s: %s",
				    (unsigned long long)r->seq, personal[i], r->body);
	}
	assert_int_equal(got, 0);
	hubstore_export_close(cur);
	cur = NULL;
	assert_true(rows > 0);
	return purged;
}

static void
random_ingest(void **state)
{
	struct hub_purge pr;
	struct err e;
	uint8_t epk[32], k[32];
	char name[16], uid[WIRE_STATION_UID + 1];
	uint64_t id;
	int si, step, from, to, i, purged;

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(file, sizeof file, "%s/hub.db", path);
	assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL),
	    SQLITE_OK);
	if (store_open(db, 1, &hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	for (si = 0; si < NST; si++) {
		memset(epk, 10 + si, sizeof epk);
		memset(k, 100 + si, sizeof k);
		snprintf(name, sizeof name, "st%d", si);
		snprintf(uid, sizeof uid, "%032x", si + 1);
		assert_int_equal(hubstore_station_add(hs, name, epk, T0, &id, &e), E_OK);
		assert_int_equal(hubstore_enroll_complete(hs, epk, k, k, uid, T0,
		    &stations[si].st, &e), E_OK);
		generate(&stations[si]);
	}
	/* every station's seqs cut into chunks, delivered in random order across stations,
	 * some resent (duplicates are no-ops), with crashes before some of them */
	{
		static int cs[NST * NVER], cf[NST * NVER], ct[NST * NVER];
		int nc = 0, j, tmp;

		for (si = 0; si < NST; si++)
			for (from = 1; from <= NVER; from = to + 1) {
				to = from + (int)rnd(40);
				if (to > NVER)
					to = NVER;
				cs[nc] = si;
				cf[nc] = from;
				ct[nc++] = to;
			}
		for (i = nc - 1; i > 0; i--) {
			j = (int)rnd((uint32_t)i + 1);
			tmp = cs[i], cs[i] = cs[j], cs[j] = tmp;
			tmp = cf[i], cf[i] = cf[j], cf[j] = tmp;
			tmp = ct[i], ct[i] = ct[j], ct[j] = tmp;
		}
		for (step = 0; step < nc; step++) {
			si = cs[step];
			from = cf[step];
			to = ct[step];
			if (step % 5 == 2 && step + 1 < nc && cs[step + 1] != si) {
				/* this chunk and the next, of another station, in one group; now
				 * and then killed at a crash point in it first: none of it stays */
				if (step % 3 == 0) {
					/* mid_batch:2 is in the group's second batch, after the
					 * first is written (on a backend that commits each batch
					 * alone, PostgreSQL's default, that one would stay) */
					deliver_group(2, &cs[step], &cf[step], &ct[step],
					    step % 2 ? "before_commit" : getenv("OUTPOST_TEST_PG") ?
					    "mid_batch" : "mid_batch:2");
					check_all("after a crash in a group");
				}
				deliver_group(2, &cs[step], &cf[step], &ct[step], NULL);
				step++;
				check_all("after a group");
				continue;
			}
			if (step % 9 == 4) {
				/* killed between ingest and commit: the batch is not there */
				deliver(si, from, to, step % 2 ? "before_commit" : "mid_batch");
				check_all("after a crash");
			}
			deliver(si, from, to, NULL);
			if (step % 4 == 1) {
				j = (int)rnd((uint32_t)step + 1);	/* a resend */
				deliver(cs[j], cf[j], ct[j], NULL);
			}
			if (step % 11 == 3)
				conflict(si, from);
			if (step % 13 == 7) {
				memset(&pr, 0, sizeof pr);
				assert_int_equal(hubstore_purge_step(hs, T0 + 2 * DAY, 9, &pr, &e),
				    E_OK);
			}
			if (step % 6 == 0)
				check_all("mid-way");
		}
		for (si = 0; si < NST; si++)
			for (i = 1; i <= NVER; i++)
				assert_true(stations[si].v[i].delivered);
	}
	check_all("all delivered");
	/* purge everything before day 3: figures stay, personal values go */
	memset(&pr, 0, sizeof pr);
	do
		assert_int_equal(hubstore_purge_step(hs, T0 + 3 * DAY, 50, &pr, &e), E_OK);
	while (!pr.done);
	check_all("after the purge");
	/* late versions and conflicting copies of purged records come purged */
	for (si = 0; si < NST; si++)
		conflict(si, 1 + (int)rnd(NVER));
	purged = export_clean(T0 + 3 * DAY);
	assert_true(purged > 0);
	/* the purge is done: again, nothing more */
	memset(&pr, 0, sizeof pr);
	assert_int_equal(hubstore_purge_step(hs, T0 + 3 * DAY, 50, &pr, &e), E_OK);
	assert_int_equal(pr.records, 0);
	assert_true(pr.done);
}

/* A body the hub cannot decode is stored, counted as quarantined, and left out. */
static void
quarantine(void **state)
{
	struct hub_station st;
	struct wire_record w;
	struct hub_ingest res;
	struct hub_span sp = HUB_SPAN_ALL;
	struct got g = { "q", "temp", { { 0 } }, 0 };
	struct err e;
	uint8_t epk[32] = { 7 }, k[32] = { 8 };
	uint64_t id;
	struct hub_store *m;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(store_open(db, 1, &hs, &e), E_OK);
	m = hs;
	assert_int_equal(hubstore_station_add(m, "q", epk, T0, &id, &e), E_OK);
	assert_int_equal(hubstore_enroll_complete(m, epk, k, k,
	    "0000000000000000000000000000000a", T0, &st, &e), E_OK);
	memset(&w, 0, sizeof w);
	w.seq = 1;
	strcpy(w.kind, "temp");
	w.created_ms = T0;
	w.body = "{not json";
	w.body_len = strlen(w.body);
	assert_int_equal(hubstore_ingest(m, &st, &w, 1, T0, &res, &e), E_OK);
	free(res.conflicts);
	assert_int_equal(res.inserted, 1);
	assert_int_equal(res.quarantined, 1);
	assert_int_equal(res.hw, 1);
	assert_int_equal(hubstore_report_totals(m, &sp, got_row, &g, &e), E_OK);
	assert_false(g.found);
	assert_int_equal(hubstore_station_by_name(m, "q", &st, &e), E_OK);
	assert_int_equal(st.quarantined, 1);
	assert_int_equal(st.held, 1);
	assert_int_equal(hubstore_verify(m, &e), E_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(random_ingest, close_opened),
		cmocka_unit_test_teardown(quarantine, close_opened),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
