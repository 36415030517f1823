/* test-sync-hubstore.c — the hub store's schema versions: a store made with the first
 * schema (its text kept here) migrates and keeps its records, a newer store is refused;
 * the district report counts each record's latest version, deletions left out; a fever is
 * what the station decided against its own threshold when it wrote the record (real
 * logbooks through the real outbox), with 37.3 °C for records of older stations that did
 * not store the decision; and a report's scope (days, stations) bounds it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "storage/fields.h"
#include "storage/logbook.h"
#include "storage/record.h"
#include "hub/store-sqlite.h"
#include "hub/store.h"
#include "sync/source-logbook.h"
#include "sync/wire.h"

/* The hub store's schema as first shipped (version 1, or 0 before versioning). */
static const char schema_v1[] =
	"CREATE TABLE hub_meta(k TEXT PRIMARY KEY, v BLOB NOT NULL);"
	"CREATE TABLE stations("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" status INTEGER NOT NULL, uid TEXT UNIQUE, curve_pk BLOB UNIQUE, sign_pk BLOB,"
	" enroll_pk BLOB UNIQUE,"
	" enrolled_ms INTEGER, last_seen_ms INTEGER, hw INTEGER NOT NULL DEFAULT 0,"
	" skew_ms INTEGER);"
	"CREATE TABLE records("
	" station_id INTEGER NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
	" created_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL,"
	" clock_flag INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, hash BLOB NOT NULL,"
	" PRIMARY KEY(station_id, seq)) WITHOUT ROWID;"
	"CREATE INDEX records_received ON records(received_ms);"
	"CREATE TABLE conflicts("
	" id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" kind TEXT NOT NULL, created_ms INTEGER NOT NULL,"
	" received_ms INTEGER NOT NULL, body TEXT NOT NULL, hash BLOB NOT NULL,"
	" UNIQUE(station_id, seq, hash));"
	"CREATE TABLE items("
	" kind INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, extra TEXT NOT NULL,"
	" ver INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY(kind, key));";

#define T0 1780000000000LL

/* seq 1 fever, 2 fever, 3 no fever; 4 corrects 1 to no fever; 5 deletes 2. */
static const struct {
	int seq;
	const char *body;
} rows[] = {
	{ 1, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":1,\"data\":{\"fever\":1}}" },
	{ 2, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":2,\"data\":{\"fever\":1}}" },
	{ 3, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":3,\"data\":{\"fever\":0}}" },
	{ 4, "{\"v\":1,\"action\":\"correct\",\"ref\":1,\"root\":1,\"data\":{\"fever\":0}}" },
	{ 5, "{\"v\":1,\"action\":\"delete\",\"ref\":2,\"root\":2,\"data\":{\"fever\":1}}" },
};
#define NROWS (sizeof rows / sizeof rows[0])

static int
version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v;

	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
sum(const struct hub_total *t, void *arg)
{
	((int64_t *)arg)[0] += t->records;
	((int64_t *)arg)[1] += t->fevers;
	return 0;
}

/* A store over db: migrated, and checked against a recount. */
static struct hub_store *
wrap(sqlite3 *db)
{
	struct hub_store *hs;
	struct err e;

	if (hubstore_sqlite_wrap(db, &hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	return hs;
}

/* The report over the five rows: 2 live temps (1 corrected, 3), no fever left. */
static void
check_report(struct hub_store *hs)
{
	struct hub_span sc = HUB_SPAN_ALL;
	int64_t n[2] = { 0, 0 };
	struct err e;

	assert_int_equal(hubstore_report_totals(hs, &sc, sum, n, &e), E_OK);
	assert_int_equal(n[0], 2);
	assert_int_equal(n[1], 0);
	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s", e.msg);
}

static void
migrate_from_v1(void **state)
{
	for (int start = 0; start <= 1; start++) {
		struct hub_store *hs;
		sqlite3 *db;
		char sql[512];
		size_t i;

		(void)state;
		assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, schema_v1, NULL, NULL, NULL), SQLITE_OK);
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d;"
		    "INSERT INTO stations(id, name, status) VALUES(1, 'gate1', 1)", start);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		for (i = 0; i < NROWS; i++) {
			snprintf(sql, sizeof sql, "INSERT INTO records VALUES(1, %d, 'temp', %lld, "
			    "%lld, 0, '%s', x'00')", rows[i].seq, T0 + rows[i].seq, T0 + 9,
			    rows[i].body);
			assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		}
		hs = wrap(db);
		assert_int_equal(version(db), HUBSTORE_SCHEMA_VERSION);
		check_report(hs);
		hubstore_close(hs);
		hs = wrap(db);	/* again: nothing to do */
		assert_int_equal(version(db), HUBSTORE_SCHEMA_VERSION);
		check_report(hs);
		hubstore_close(hs);
		sqlite3_close(db);
	}
}

static void
ingest_merges_versions(void **state)
{
	struct hub_station st;
	struct wire_record w[NROWS];
	struct hub_ingest res;
	uint8_t epk[32] = { 1 }, k[32] = { 2 };
	uint64_t id;
	struct hub_store *hs;
	sqlite3 *db;
	struct err e;
	size_t i;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	hs = wrap(db);
	assert_int_equal(version(db), HUBSTORE_SCHEMA_VERSION);
	assert_int_equal(hubstore_station_add(hs, "gate1", epk, T0, &id, &e), E_OK);
	assert_int_equal(hubstore_enroll_complete(hs, epk, k, k,
	    "00112233445566778899aabbccddeeff", T0, &st, &e), E_OK);
	memset(w, 0, sizeof w);
	for (i = 0; i < NROWS; i++) {
		w[i].seq = (uint64_t)rows[i].seq;
		strcpy(w[i].kind, "temp");
		w[i].created_ms = T0 + rows[i].seq;
		w[i].body = rows[i].body;
		w[i].body_len = strlen(rows[i].body);
	}
	assert_int_equal(hubstore_ingest(hs, &st, w, NROWS, T0 + 9, &res, &e), E_OK);
	free(res.conflicts);
	assert_int_equal(res.inserted, NROWS);
	check_report(hs);
	hubstore_close(hs);
	sqlite3_close(db);
}

static void
newer_store_refused(void **state)
{
	sqlite3 *db;
	struct hub_store *hs;
	struct err e;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	hubstore_close(wrap(db));
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(hubstore_sqlite_wrap(db, &hs, &e), E_DAMAGED);
	assert_non_null(strstr(e.msg, "newer outpost-hub"));
	assert_int_equal(version(db), 99);
	sqlite3_close(db);
}

/* A hub store in memory with active stations named names[0..n-1] (ids 1..n). */
static struct hub_store *
hub_with(const char *const *names, size_t n, struct hub_station *st)
{
	struct hub_store *hs;
	uint8_t epk[32], k[32];
	char uid[WIRE_STATION_UID + 1];
	uint64_t id;
	sqlite3 *db;
	struct err e;
	size_t i;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	hs = wrap(db);
	for (i = 0; i < n; i++) {
		memset(epk, (int)(10 + i), sizeof epk);
		memset(k, (int)(100 + i), sizeof k);
		snprintf(uid, sizeof uid, "%032zx", i + 1);
		assert_int_equal(hubstore_station_add(hs, names[i], epk, T0, &id, &e), E_OK);
		assert_int_equal(hubstore_enroll_complete(hs, epk, k, k, uid, T0, &st[i], &e),
		    E_OK);
	}
	return hs;
}

static void
hub_done(struct hub_store *hs)
{
	sqlite3 *db = hubstore_sqlite_db(hs);
	struct err e;

	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	hubstore_close(hs);
	sqlite3_close(db);
}

/* Sums the records (or fevers) of one kind ("" for every kind). */

struct tally {
	const char *kind;
	int fevers;
	int64_t n;
};

static int
tally(const struct hub_total *x, void *arg)
{
	struct tally *t = arg;

	if (t->kind[0] == '\0' || strcmp(t->kind, x->kind) == 0)
		t->n += t->fevers ? x->fevers : x->records;
	return 0;
}

static int64_t
fevers(struct hub_store *db, const struct hub_span *sc, const char *kind)
{
	struct tally t = { kind, 1, 0 };
	struct err e;

	assert_int_equal(hubstore_report_totals(db, sc, tally, &t, &e), E_OK);
	return t.n;
}

static int64_t
kinds(struct hub_store *db, const struct hub_span *sc, const char *kind)
{
	struct tally t = { kind, 0, 0 };
	struct err e;

	assert_int_equal(hubstore_report_totals(db, sc, tally, &t, &e), E_OK);
	return t.n;
}

/* A station's logbook in memory, its kind and fever threshold set. */
struct station {
	sqlite3 *db;
	struct logbook *lb;
};

static void
station_open(struct station *s, const char *kind, const char *threshold)
{
	struct err e;

	assert_int_equal(sqlite3_open(":memory:", &s->db), SQLITE_OK);
	assert_int_equal(logbook_init(s->db, kind, "st", &e), E_OK);
	assert_int_equal(logbook_open(s->db, &s->lb, &e), E_OK);
	assert_int_equal(settings_set(s->lb, "fever_threshold", threshold, &e), E_OK);
}

static void
station_close(struct station *s)
{
	logbook_close(s->lb);
	sqlite3_close(s->db);
}

static void
set(struct record *r, const char *name, const char *text)
{
	struct err e;

	if (rec_field_set(r, rec_field_find(r->kind, name), text, &e) != E_OK)
		fail_msg("%s: %s", name, e.msg);
}

static void
add_triage(struct station *s, const char *temp)
{
	struct record r;
	struct err e;

	rec_init(&r, REC_TRIAGE);
	set(&r, "name", "病人");
	set(&r, "temp", temp);
	if (rec_add(s->lb, &r, NULL, &e) != E_OK)
		fail_msg("%s", e.msg);
}

static void
add_vehicle(struct station *s, const char *temps)
{
	struct record r;
	struct err e;

	rec_init(&r, REC_VEHICLE);
	set(&r, "plate", "京A12345");
	set(&r, "driver_name", "司机");
	/* temps: the driver's, then a passenger's */
	set(&r, "driver_temp", strchr(temps, ',') ? "36.5" : temps);
	set(&r, "occupants", strchr(temps, ',') ? "1" : "0");
	set(&r, "occupant_temps", strchr(temps, ',') ? strchr(temps, ',') + 1 : "");
	set(&r, "origin", "北京");
	set(&r, "disposition", "pass");
	if (rec_add(s->lb, &r, NULL, &e) != E_OK)
		fail_msg("%s", e.msg);
}

struct ingest_to {
	struct hub_store *db;
	const struct hub_station *st;
	uint64_t n;
};

static int
ingest_one(const struct wire_record *w, void *arg)
{
	struct ingest_to *t = arg;
	struct hub_ingest res;
	struct err e;

	assert_int_equal(hubstore_ingest(t->db, t->st, w, 1, T0, &res, &e), E_OK);
	free(res.conflicts);
	t->n += res.inserted;
	return 0;
}

/* Sends every record of s's outbox to the hub as sync would, as station st. */
static uint64_t
sync_to(struct station *s, struct hub_store *hub, const struct hub_station *st)
{
	struct ingest_to t = { hub, st, 0 };
	struct sync_source src;
	struct err e;

	source_logbook(s->lb, &src);
	assert_int_equal(src.read(src.arg, 0, 0, 0, ingest_one, &t, &e), E_OK);
	return t.n;
}

/* A triage station at 37.8: 37.5 is no fever, 37.9 is; lowered to 37.4 later, a new 37.5 is
 * one while the first stays none. The hub counts what the station decided, not 37.3. */
static void
fever_is_the_stations_threshold(void **state)
{
	static const char *const names[] = { "clinic", "road", "gate" };
	struct hub_span all = HUB_SPAN_ALL;
	struct hub_station st[3];
	struct station s, t;
	struct record r;
	struct err e;
	struct hub_store *hub;

	(void)state;
	setenv("OUTPOST_NOW", "2026-03-01T08:00:00", 1);
	hub = hub_with(names, 3, st);
	station_open(&s, "triage", "37.8");
	add_triage(&s, "37.5");
	assert_int_equal(sync_to(&s, hub, &st[0]), 1);
	assert_int_equal(kinds(hub, &all, "triage"), 1);
	assert_int_equal(fevers(hub, &all, ""), 0);	/* 37.3 would have counted it */
	add_triage(&s, "37.9");
	assert_int_equal(sync_to(&s, hub, &st[0]), 1);
	assert_int_equal(fevers(hub, &all, "triage"), 1);
	assert_int_equal(settings_set(s.lb, "fever_threshold", "37.4", &e), E_OK);
	add_triage(&s, "37.5");
	assert_int_equal(sync_to(&s, hub, &st[0]), 1);
	assert_int_equal(kinds(hub, &all, "triage"), 3);
	assert_int_equal(fevers(hub, &all, "triage"), 2);
	station_close(&s);

	/* a vehicle's occupants likewise */
	station_open(&t, "traffic", "37.8");
	add_vehicle(&t, "36.5,37.5");
	add_vehicle(&t, "37.9");
	assert_int_equal(sync_to(&t, hub, &st[1]), 2);
	assert_int_equal(kinds(hub, &all, "vehicle"), 2);
	assert_int_equal(fevers(hub, &all, "vehicle"), 1);
	station_close(&t);

	/* a visitor's and a resident's temperatures taken at the gate likewise */
	station_open(&t, "gate", "37.8");
	rec_init(&r, REC_VISITOR);
	set(&r, "id_number", "11010519491231002X");
	set(&r, "name", "访客");
	set(&r, "phone", "13812345678");
	set(&r, "host", "3-2-301");
	set(&r, "health_code", "green");
	set(&r, "temp", "37.9");
	assert_int_equal(rec_add(t.lb, &r, NULL, &e), E_OK);
	rec_init(&r, REC_RESIDENT);
	set(&r, "direction", "in");
	set(&r, "household", "1-1-101");
	set(&r, "temp", "37.5"); /* below this station's 37.8 */
	assert_int_equal(rec_add(t.lb, &r, NULL, &e), E_OK);
	assert_int_equal(sync_to(&t, hub, &st[2]), 2);
	assert_int_equal(fevers(hub, &all, "visitor"), 1);
	assert_int_equal(fevers(hub, &all, "resident"), 0);
	station_close(&t);
	hub_done(hub);
}

/* Bodies from stations older than the stored flag on triage and vehicle records: the hub
 * falls back to 37.3 °C; a stored flag, where there is one, wins over the temperature. */
static void
old_records_fall_back_to_default(void **state)
{
	static const char *const names[] = { "old" };
	static const struct {
		const char *kind, *data;
		int fever;
	} recs[] = {
		{ "triage", "{\"name\":\"a\",\"temp\":37.3}", 1 },
		{ "triage", "{\"name\":\"a\",\"temp\":37.2}", 0 },
		{ "triage", "{\"name\":\"a\",\"temp\":39.0,\"fever\":0}", 0 },
		{ "triage", "{\"name\":\"a\",\"temp\":37.5,\"fever\":1}", 1 },
		{ "vehicle", "{\"occupants\":2,\"occupant_temps\":[36.5,37.4]}", 1 },
		{ "vehicle", "{\"occupants\":1,\"occupant_temps\":[37.2]}", 0 },
		{ "temp", "{\"value\":38.0,\"recheck_of\":0,\"fever\":1}", 1 },
		{ "temp", "{\"value\":38.0,\"recheck_of\":1,\"fever\":1}", 0 },
		{ "bin", "{\"code\":\"B1\",\"place\":\"x\"}", 0 },
	};
	struct hub_span all = HUB_SPAN_ALL;
	struct wire_record w;
	struct hub_station st;
	struct hub_ingest res;
	char body[512];
	const char *kind;
	struct err e;
	struct hub_store *hub;
	size_t i;
	int64_t want[3] = { 0, 0, 0 };

	(void)state;
	hub = hub_with(names, 1, &st);
	for (i = 0; i < sizeof recs / sizeof recs[0]; i++) {
		snprintf(body, sizeof body, "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%zu,"
		    "\"data\":%s}", i + 1, recs[i].data);
		memset(&w, 0, sizeof w);
		w.seq = i + 1;
		snprintf(w.kind, sizeof w.kind, "%s", recs[i].kind);
		w.created_ms = T0 + (int64_t)i;
		w.body = body;
		w.body_len = strlen(body);
		assert_int_equal(hubstore_ingest(hub, &st, &w, 1, T0, &res, &e), E_OK);
		free(res.conflicts);
		assert_int_equal(res.inserted, 1);
		want[recs[i].kind[1] == 'r' ? 0 : recs[i].kind[0] == 'v' ? 1 : 2] += recs[i].fever;
	}
	for (i = 0; i < 3; i++) {
		kind = (const char *[]){ "triage", "vehicle", "temp" }[i];
		assert_int_equal(fevers(hub, &all, kind), want[i]);
	}
	assert_int_equal(want[0] + want[1] + want[2], 4);
	hub_done(hub);
}

/* The span: [day_from, day_to) of the records' own days (the end left out), and the
 * stations listed. */
static void
scope_bounds_the_report(void **state)
{
	static const char *const names[] = { "a", "b", "c" };
	struct hub_span sc = HUB_SPAN_ALL;
	struct hub_station st[3];
	struct wire_record w;
	struct hub_ingest res;
	const char *body = "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":%d,\"tz\":480,"
	    "\"data\":{\"value\":38.0,\"recheck_of\":0,\"fever\":1}}";
	char buf[256];
	uint64_t ids[2];
	int64_t d0 = (T0 + 480 * 60000) / 86400000;	/* T0's day at UTC+8 */
	struct err e;
	struct hub_store *hub;
	int i, k;

	(void)state;
	hub = hub_with(names, 3, st);
	/* each station: records on days d0, d0+1, ..., d0+4 */
	for (k = 0; k < 3; k++) {
		for (i = 1; i <= 5; i++) {
			snprintf(buf, sizeof buf, body, i);
			memset(&w, 0, sizeof w);
			w.seq = (uint64_t)i;
			strcpy(w.kind, "temp");
			w.created_ms = T0 + (i - 1) * 86400000LL;
			w.body = buf;
			w.body_len = strlen(buf);
			assert_int_equal(hubstore_ingest(hub, &st[k], &w, 1, T0, &res, &e), E_OK);
			free(res.conflicts);
		}
	}
	assert_int_equal(kinds(hub, &sc, ""), 15);
	sc.day_from = d0 + 1;
	sc.day_to = d0 + 3;	/* the records of days 1 and 2, not day 3 */
	assert_int_equal(kinds(hub, &sc, ""), 6);
	assert_int_equal(fevers(hub, &sc, ""), 6);
	ids[0] = st[0].id;
	ids[1] = st[2].id;
	sc.stations = ids;
	sc.nstations = 2;
	assert_int_equal(kinds(hub, &sc, ""), 4);
	assert_int_equal(fevers(hub, &sc, ""), 4);
	sc.nstations = 1;
	sc.day_from = HUB_SPAN_ALL.day_from;
	assert_int_equal(kinds(hub, &sc, ""), 3);
	sc.day_to = HUB_SPAN_ALL.day_to;
	assert_int_equal(kinds(hub, &sc, ""), 5);
	hub_done(hub);
}

/* ---- the ingest's fast path for first versions, and where it must not apply ---- */

/* One record to deliver: seq, kind, body. */
struct rec {
	int seq;
	const char *kind, *body;
};

static struct hub_store *
fresh(sqlite3 **db, struct hub_station *st)
{
	uint8_t epk[32] = { 1 }, k[32] = { 2 };
	struct hub_store *hs;
	uint64_t id;
	struct err e;

	assert_int_equal(sqlite3_open(":memory:", db), SQLITE_OK);
	hs = wrap(*db);
	assert_int_equal(hubstore_station_add(hs, "gate1", epk, T0, &id, &e), E_OK);
	assert_int_equal(hubstore_enroll_complete(hs, epk, k, k,
	    "00112233445566778899aabbccddeeff", T0, st, &e), E_OK);
	return hs;
}

/* Delivers recs[0..n) as one batch. */
static void
deliver(struct hub_store *hs, const struct hub_station *st, const struct rec *recs, size_t n)
{
	struct wire_record w[8];
	struct hub_ingest res;
	struct err e;
	size_t i;

	assert_true(n <= 8);
	memset(w, 0, sizeof w);
	for (i = 0; i < n; i++) {
		w[i].seq = (uint64_t)recs[i].seq;
		snprintf(w[i].kind, sizeof w[i].kind, "%s", recs[i].kind);
		w[i].created_ms = T0 + recs[i].seq;
		w[i].body = recs[i].body;
		w[i].body_len = strlen(recs[i].body);
	}
	if (hubstore_ingest(hs, st, w, n, T0 + 9, &res, &e) != E_OK)
		fail_msg("%s", e.msg);
	free(res.conflicts);
}

struct figs {
	int64_t records, fevers, inside;
};

static int
figs_of(const struct hub_total *t, void *arg)
{
	struct figs *f = arg;

	f->records += t->records;
	f->fevers += t->fevers;
	f->inside += t->inside;
	return 0;
}

/* The whole report's records, fevers and visitors inside; and the recount agrees. */
static struct figs
figures(struct hub_store *hs)
{
	struct hub_span sc = HUB_SPAN_ALL;
	struct figs f = { 0, 0, 0 };
	struct err e;

	assert_int_equal(hubstore_report_totals(hs, &sc, figs_of, &f, &e), E_OK);
	if (hubstore_verify(hs, &e) != E_OK)
		fail_msg("%s", e.msg);
	return f;
}

#define VISITOR(s) "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":" #s ",\"data\":{\"name\":\"x\"}}"
#define EXIT(s, en) "{\"v\":1,\"action\":\"add\",\"ref\":" #en ",\"root\":" #s \
	",\"data\":{\"entry\":" #en "}}"
#define TEMP(s, fev) "{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":" #s \
	",\"data\":{\"value\":36.6,\"fever\":" #fev "}}"

static void
fast_path_edges(void **state)
{
	struct hub_station st;
	struct hub_store *hs;
	struct figs f;
	sqlite3 *db;

	(void)state;
	/* a visitor whose exit comes in the same batch is not inside */
	hs = fresh(&db, &st);
	deliver(hs, &st, (const struct rec[]){ { 1, "visitor", VISITOR(1) },
	    { 2, "exit", EXIT(2, 1) }, { 3, "visitor", VISITOR(3) } }, 3);
	f = figures(hs);
	assert_int_equal(f.records, 3);
	assert_int_equal(f.inside, 1);
	hubstore_close(hs);
	sqlite3_close(db);

	/* an exit that arrives before its entry (a bundle imported first): the entry finds
	 * it when it comes */
	hs = fresh(&db, &st);
	deliver(hs, &st, (const struct rec[]){ { 4, "exit", EXIT(4, 2) } }, 1);
	deliver(hs, &st, (const struct rec[]){ { 1, "visitor", VISITOR(1) },
	    { 2, "visitor", VISITOR(2) } }, 2);
	f = figures(hs);
	assert_int_equal(f.records, 3);
	assert_int_equal(f.inside, 1);
	hubstore_close(hs);
	sqlite3_close(db);

	/* an exit with a lower seq than the entry it names, in the same batch: nothing held
	 * is later than the entry, yet it is named (the one look a visitor needs) */
	hs = fresh(&db, &st);
	deliver(hs, &st, (const struct rec[]){ { 2, "exit", EXIT(2, 5) },
	    { 5, "visitor", VISITOR(5) } }, 2);
	f = figures(hs);
	assert_int_equal(f.records, 2);
	assert_int_equal(f.inside, 0);
	hubstore_close(hs);
	sqlite3_close(db);

	/* a correction and a deletion that arrive before their roots: the roots count with
	 * their latest versions */
	hs = fresh(&db, &st);
	deliver(hs, &st, (const struct rec[]){
	    { 4, "temp", "{\"v\":1,\"action\":\"correct\",\"ref\":1,\"root\":1,\"data\":"
	    "{\"value\":38.0,\"fever\":1}}" },
	    { 5, "temp", "{\"v\":1,\"action\":\"delete\",\"ref\":2,\"root\":2,\"data\":{}}" } }, 2);
	f = figures(hs);
	assert_int_equal(f.records, 0);
	deliver(hs, &st, (const struct rec[]){ { 1, "temp", TEMP(1, 0) },
	    { 2, "temp", TEMP(2, 1) }, { 3, "temp", TEMP(3, 1) } }, 3);
	f = figures(hs);
	assert_int_equal(f.records, 2);	/* 1 (as corrected) and 3; 2 is deleted */
	assert_int_equal(f.fevers, 2);	/* 1's correction and 3 */
	hubstore_close(hs);
	sqlite3_close(db);

	/* a first version, then its correction in the same batch */
	hs = fresh(&db, &st);
	deliver(hs, &st, (const struct rec[]){ { 1, "temp", TEMP(1, 1) },
	    { 2, "temp", "{\"v\":1,\"action\":\"correct\",\"ref\":1,\"root\":1,\"data\":"
	    "{\"value\":36.0,\"fever\":0}}" }, { 3, "temp", TEMP(3, 1) } }, 3);
	f = figures(hs);
	assert_int_equal(f.records, 2);
	assert_int_equal(f.fevers, 1);
	hubstore_close(hs);
	sqlite3_close(db);
}

/* Records of every kind, corrections, deletions, exits, bins, a body that is not JSON. */
static const struct rec mixed[] = {
	{ 1, "temp", TEMP(1, 1) },
	{ 2, "temp", "{\"v\":1,\"action\":\"add\",\"root\":2,\"tz\":-300,\"data\":{\"value\":"
	    "38.2,\"disposition\":\"pass\",\"override_reason\":\"doctor\"}}" },
	{ 3, "visitor", "{\"v\":1,\"root\":3,\"alert\":\"watchlist\",\"data\":{\"fever\":1}}" },
	{ 4, "exit", EXIT(4, 3) },
	{ 5, "visitor", VISITOR(5) },
	{ 6, "bin", "{\"v\":1,\"root\":6,\"data\":{\"code\":\"B\\u00e9-1\"}}" },
	{ 7, "collection", "{\"v\":1,\"root\":7,\"data\":{\"bin\":\"B\\u00e9-1\"}}" },
	{ 8, "vehicle", "{\"v\":1,\"root\":8,\"data\":{\"flagged\":1,\"occupant_temps\":[36.5,"
	    "37.5]}}" },
	{ 9, "temp", "{\"v\":1,\"action\":\"correct\",\"ref\":1,\"root\":1,\"data\":{\"fever\":"
	    "0}}" },
	{ 10, "exit", "{\"v\":1,\"action\":\"delete\",\"ref\":4,\"root\":4,\"data\":{}}" },
	{ 11, "triage", "{\"v\":1,\"root\":11,\"data\":{\"temp\":37.4}}" },
	{ 12, "temp", "{\"v\":1,\"root\":12,\"data\":{\"value\":" },
};
#define NMIXED (sizeof mixed / sizeof mixed[0])

/* Every derived column and aggregate of db, as text, row by row. */
static void
dump(sqlite3 *db, char *out, size_t n)
{
	static const char *const q[] = {
		"SELECT station_id, seq, action, root_seq, day, fever, released, flagged, bad,"
		" bin, entry FROM records ORDER BY station_id, seq",
		"SELECT * FROM agg_day WHERE records OR fevers OR released OR flagged OR inside"
		" ORDER BY 1, 2, 3",	/* a row that went to zero may stay */
		"SELECT * FROM bin_state ORDER BY 1, 2",
		"SELECT id, hw, held, max_seq, nconflicts, quarantined FROM stations ORDER BY id",
	};
	sqlite3_stmt *st;
	size_t i, o = 0;
	int j;

	out[0] = '\0';
	for (i = 0; i < sizeof q / sizeof q[0]; i++) {
		assert_int_equal(sqlite3_prepare_v2(db, q[i], -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (j = 0; j < sqlite3_column_count(st); j++) {
				const unsigned char *t = sqlite3_column_text(st, j);
				o += (size_t)snprintf(out + o, n - o, "%s|", t != NULL ?
				    (const char *)t : "NULL");
				assert_true(o < n);
			}
			o += (size_t)snprintf(out + o, n - o, "\n");
		}
		sqlite3_finalize(st);
	}
}

/* A store made before the aggregates (its records held, schema 3) migrates to what the
 * ingest would have made of the same records: the facts come from one place. */
static void
migration_equals_ingest(void **state)
{
	static char a[16384], b[16384];
	struct hub_station st;
	struct hub_store *hs;
	sqlite3 *db, *old;
	sqlite3_stmt *ins;
	uint8_t hash[32];
	size_t i;

	(void)state;
	hs = fresh(&db, &st);
	deliver(hs, &st, mixed, 6);
	deliver(hs, &st, mixed + 6, NMIXED - 6);
	dump(db, a, sizeof a);
	assert_non_null(strstr(a, "|B\xc3\xa9-1|"));	/* the code as decoded */
	assert_non_null(strstr(a, "1|12|add|12|"));	/* the broken body is held... */
	hubstore_close(hs);

	/* the same rows in a store of the first schema, brought to version 3 by hand */
	assert_int_equal(sqlite3_open(":memory:", &old), SQLITE_OK);
	assert_int_equal(sqlite3_exec(old, schema_v1, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(old, "INSERT INTO stations(id, name, status, uid, hw) "
	    "VALUES(1, 'gate1', 1, '00112233445566778899aabbccddeeff', 0)", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(old, "INSERT INTO records VALUES(1, ?1, ?2, ?3, ?4,"
	    " 0, ?5, ?6)", -1, &ins, NULL), SQLITE_OK);
	for (i = 0; i < NMIXED; i++) {
		struct wire_record w;
		memset(&w, 0, sizeof w);
		w.seq = (uint64_t)mixed[i].seq;
		snprintf(w.kind, sizeof w.kind, "%s", mixed[i].kind);
		w.created_ms = T0 + mixed[i].seq;
		w.body = mixed[i].body;
		w.body_len = strlen(mixed[i].body);
		wire_record_hash("00112233445566778899aabbccddeeff", &w, hash);
		sqlite3_bind_int(ins, 1, mixed[i].seq);
		sqlite3_bind_text(ins, 2, mixed[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 3, w.created_ms);
		sqlite3_bind_int64(ins, 4, T0 + 9);
		sqlite3_bind_text(ins, 5, mixed[i].body, -1, SQLITE_STATIC);
		sqlite3_bind_blob(ins, 6, hash, 32, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	assert_int_equal(sqlite3_exec(old, "UPDATE stations SET hw = 12", NULL, NULL, NULL),
	    SQLITE_OK);
	hs = wrap(old);
	assert_int_equal(version(old), HUBSTORE_SCHEMA_VERSION);
	dump(old, b, sizeof b);
	assert_string_equal(b, a);
	/* and the figures: 1 (corrected, no fever), 2 (fever, released), 3 (fever, flagged,
	 * inside again: its exit was deleted), 5 (inside), the bin, its collection, the
	 * vehicle (fever, flagged), the triage (fever); the exit is deleted, 12 is put aside */
	{
		struct figs f = figures(hs);
		assert_int_equal(f.records, 8);
		assert_int_equal(f.fevers, 4);
		assert_int_equal(f.inside, 2);
	}
	hubstore_close(hs);
	sqlite3_close(old);
	sqlite3_close(db);
}

/* v4's records_unpurged (created_ms alone, as v4 made it) and records_received. */
static const char v4_indexes[] =
	"DROP INDEX records_unpurged;"
	"CREATE INDEX records_unpurged ON records(created_ms)"
	" WHERE action = 'add' AND purged_ms IS NULL;"
	"CREATE INDEX records_received ON records(received_ms);"
	"PRAGMA user_version = 4;";

/* The columns of index name, comma-separated ("" when there is no such index). */
static void
index_cols(sqlite3 *db, const char *name, char *out, size_t n)
{
	sqlite3_stmt *st;
	char sql[128];
	size_t o = 0;

	snprintf(sql, sizeof sql, "PRAGMA index_info(%s)", name);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW)
		o += (size_t)snprintf(out + o, n - o, "%s%s", o > 0 ? "," : "",
		    (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
}

static int64_t
count_of(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A v4 store (two stations' records) migrates to v5: the purge index by station and
 * time, records_received gone, every derived column and figure as before; the purge
 * then reads the new index station by station, a few at a time, and purges exactly the
 * records made before the cutoff, with their later versions. */
static void
migrate_v4_purge_index(void **state)
{
	static char a[16384], b[16384];
	uint8_t epk[32] = { 3 }, k[32] = { 4 };
	struct hub_station st, st2;
	struct hub_store *hs;
	struct hub_purge pr;
	struct figs f0, f;
	int64_t purged = 0;
	char cols[128];
	uint64_t id;
	struct err e;
	sqlite3 *db;
	int steps = 0;

	(void)state;
	hs = fresh(&db, &st);
	assert_int_equal(hubstore_station_add(hs, "gate2", epk, T0, &id, &e), E_OK);
	assert_int_equal(hubstore_enroll_complete(hs, epk, k, k,
	    "ffeeddccbbaa99887766554433221100", T0, &st2, &e), E_OK);
	deliver(hs, &st, mixed, 6);
	deliver(hs, &st, mixed + 6, NMIXED - 6);
	deliver(hs, &st2, mixed, 3);
	f0 = figures(hs);
	dump(db, a, sizeof a);
	hubstore_close(hs);
	assert_int_equal(sqlite3_exec(db, v4_indexes, NULL, NULL, NULL), SQLITE_OK);
	index_cols(db, "records_unpurged", cols, sizeof cols);
	assert_string_equal(cols, "created_ms");

	hs = wrap(db);
	assert_int_equal(version(db), 5);
	index_cols(db, "records_unpurged", cols, sizeof cols);
	assert_string_equal(cols, "station_id,created_ms");
	index_cols(db, "records_received", cols, sizeof cols);
	assert_string_equal(cols, "");
	dump(db, b, sizeof b);
	assert_string_equal(b, a);
	f = figures(hs);
	assert_int_equal(f.records, f0.records);
	assert_int_equal(f.fevers, f0.fevers);
	assert_int_equal(f.inside, f0.inside);

	/* first versions made before T0 + 8: seqs 1-7 of gate1, 1-3 of gate2 */
	do {
		memset(&pr, 0, sizeof pr);
		if (hubstore_purge_step(hs, T0 + 8, 3, &pr, &e) != E_OK)
			fail_msg("%s", e.msg);
		purged += pr.records;
		assert_true(++steps <= 4);
	} while (!pr.done);
	assert_int_equal(purged, 10);
	assert_int_equal(steps, 4);	/* 3 + 3 + 3 + 1 */
	/* and their later versions (9 corrects 1, 10 deletes 4), nothing else */
	assert_int_equal(count_of(db, "SELECT count(*) FROM records WHERE purged_ms IS NOT"
	    " NULL"), 12);
	assert_int_equal(count_of(db, "SELECT count(*) FROM records WHERE purged_ms IS NOT"
	    " NULL AND created_ms >= 1780000000008 AND root_seq NOT IN (1, 4)"), 0);
	assert_int_equal(count_of(db, "SELECT count(*) FROM records WHERE purged_ms IS NULL"
	    " AND action = 'add' AND created_ms < 1780000000008"), 0);
	f = figures(hs);
	assert_int_equal(f.records, f0.records);
	assert_int_equal(f.fevers, f0.fevers);
	hubstore_close(hs);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrate_from_v1),
		cmocka_unit_test(ingest_merges_versions),
		cmocka_unit_test(newer_store_refused),
		cmocka_unit_test(fever_is_the_stations_threshold),
		cmocka_unit_test(old_records_fall_back_to_default),
		cmocka_unit_test(scope_bounds_the_report),
		cmocka_unit_test(fast_path_edges),
		cmocka_unit_test(migration_equals_ingest),
		cmocka_unit_test(migrate_v4_purge_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
