/* hubstore.c — the hub's SQL: schema, keys, stations, idempotent ingest, versioned
 * settings and watchlist. See hubstore.h for the contracts. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/parse.h"
#include "base/text.h"
#include "sync/crash.h"
#include "crypto/vault.h"
#include "sync/hubstore.h"

/* Version 1: the schema as first shipped (kept verbatim; a store made before versioning
 * has these tables and user_version 0, which this migration leaves as they are). */
static const char schema_v1[] =
	"CREATE TABLE IF NOT EXISTS hub_meta(k TEXT PRIMARY KEY, v BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS stations("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" status INTEGER NOT NULL, uid TEXT UNIQUE, curve_pk BLOB UNIQUE, sign_pk BLOB,"
	" enroll_pk BLOB UNIQUE,"
	" enrolled_ms INTEGER, last_seen_ms INTEGER, hw INTEGER NOT NULL DEFAULT 0,"
	" skew_ms INTEGER);"
	"CREATE TABLE IF NOT EXISTS records("
	" station_id INTEGER NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
	" created_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL,"
	" clock_flag INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, hash BLOB NOT NULL,"
	" PRIMARY KEY(station_id, seq)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS records_received ON records(received_ms);"
	"CREATE TABLE IF NOT EXISTS conflicts("
	" id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" kind TEXT NOT NULL, created_ms INTEGER NOT NULL,"
	" received_ms INTEGER NOT NULL, body TEXT NOT NULL, hash BLOB NOT NULL,"
	" UNIQUE(station_id, seq, hash));"
	"CREATE TABLE IF NOT EXISTS items("
	" kind INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, extra TEXT NOT NULL,"
	" ver INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY(kind, key));";

/* Version 2: each record's action and root (the seq of its first version, from the body
 * storage wrote), so reports can merge corrections and deletions; indexed by root for
 * "the latest version of this record" and by first-version time for "a day". */
static const char schema_v2[] =
	"ALTER TABLE records ADD COLUMN action TEXT NOT NULL DEFAULT 'add';"
	"ALTER TABLE records ADD COLUMN root_seq INTEGER NOT NULL DEFAULT 0;"
	"UPDATE records SET"
	" action = CASE WHEN json_valid(body) THEN"
	"  coalesce(json_extract(body, '$.action'), 'add') ELSE 'add' END,"
	" root_seq = CASE WHEN json_valid(body) AND json_extract(body, '$.root') > 0 THEN"
	"  json_extract(body, '$.root') ELSE seq END;"
	"CREATE INDEX records_root ON records(station_id, root_seq, seq);"
	"CREATE INDEX records_first ON records(created_ms) WHERE action = 'add';";

/* Version 3: records a station sent that cannot be read (kind or body not UTF-8 text, or
 * not a record body), kept byte for byte and counted apart from the records, so they count
 * towards the station's hw and never stop the batches after them. */
static const char schema_v3[] =
	"CREATE TABLE quarantine("
	" station_id INTEGER NOT NULL, seq INTEGER NOT NULL, kind BLOB NOT NULL,"
	" created_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL, body BLOB NOT NULL,"
	" hash BLOB NOT NULL, PRIMARY KEY(station_id, seq)) WITHOUT ROWID;";

static const struct migration {
	int to;
	const char *sql;
} migrations[] = {
	{ 1, schema_v1 },
	{ 2, schema_v2 },
	{ 3, schema_v3 },
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

/* A record whose device time is this far ahead of the hub's receive time is flagged. */
#define CLOCK_AHEAD_MS (10LL * 60 * 1000)
/* …or before 2020-01-01. */
#define CLOCK_EPOCH_MS 1577836800000LL

static int
sqlerr(sqlite3 *db, struct err *e, const char *what)
{
	int rc = sqlite3_extended_errcode(db);

	/* A page that failed authentication is damage (exit 3), not "disk I/O error". */
	if (rc == SQLITE_IOERR_DATA || (rc & 0xff) == SQLITE_CORRUPT)
		return vault_sqlite_err(db, rc, e);
	return err_set(e, E_IO, "hub store: %s: %s", what, sqlite3_errmsg(db));
}

static int
user_version(sqlite3 *db, int *v, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "schema version");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? E_OK : sqlerr(db, e, "schema version");
}

int
hubstore_init(sqlite3 *db, struct err *e)
{
	char sql[64];
	size_t i;
	int v, rc;

	sqlite3_busy_timeout(db, 5000);
	if ((rc = user_version(db, &v, e)) != E_OK)
		return rc;
	if (v > HUBSTORE_SCHEMA_VERSION)
		return err_set(e, E_DAMAGED,
		    _("the hub store has schema version %d and was made by a newer outpost-hub; "
		      "this one knows up to %d"), v, HUBSTORE_SCHEMA_VERSION);
	for (i = 0; i < NMIGRATIONS; i++) {
		if (migrations[i].to <= v)
			continue;
		assert(migrations[i].to == v + 1);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return sqlerr(db, e, "begin");
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", migrations[i].to);
		if (sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			rc = sqlerr(db, e, "schema migration");
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			rc = sqlerr(db, e, "commit");
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
		v = migrations[i].to;
	}
	return E_OK;
}

static int
prep(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct err *e)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "prepare");
	return E_OK;
}

int
hubstore_keys_create(sqlite3 *db, struct err *e)
{
	uint8_t pk[32], *sk;
	sqlite3_stmt *st;
	int rc = E_OK;

	if ((sk = sodium_malloc(32)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	crypto_box_keypair(pk, sk);
	if (prep(db, "INSERT INTO hub_meta(k, v) VALUES('public_key', ?1), ('secret_key', ?2)",
	    &st, e) != E_OK) {
		sodium_free(sk);
		return E_IO;
	}
	sqlite3_bind_blob(st, 1, pk, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, sk, 32, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY ?
		    err_set(e, E_INVALID, "%s", _("the hub already has its keys")) :
		    sqlerr(db, e, "keys");
	sqlite3_finalize(st);
	sodium_free(sk);
	return rc;
}

static int
meta_get(sqlite3 *db, const char *k, uint8_t *out, size_t n)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "SELECT v FROM hub_meta WHERE k = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) == n) {
		memcpy(out, sqlite3_column_blob(st, 0), n);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int
hubstore_meta_get(sqlite3 *db, const char *k, char *buf, size_t n)
{
	sqlite3_stmt *st;
	int rc = -1, len;

	if (sqlite3_prepare_v2(db, "SELECT v FROM hub_meta WHERE k = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && (len = sqlite3_column_bytes(st, 0)) < (int)n) {
		memcpy(buf, sqlite3_column_blob(st, 0), (size_t)len);
		buf[len] = '\0';
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int
hubstore_meta_set(sqlite3 *db, const char *k, const char *v, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (prep(db, "INSERT OR REPLACE INTO hub_meta(k, v) VALUES(?1, ?2)", &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : sqlerr(db, e, "meta");
}

int
hubstore_keys_load(sqlite3 *db, uint8_t pk[32], uint8_t **sk, struct err *e)
{
	if ((*sk = sodium_malloc(32)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if (meta_get(db, "public_key", pk, 32) != 0 || meta_get(db, "secret_key", *sk, 32) != 0) {
		sodium_free(*sk);
		*sk = NULL;
		return err_set(e, E_INVALID, "%s", _("the hub store has no keys: run outpost-hub init"));
	}
	return E_OK;
}

int
hubstore_station_add(sqlite3 *db, const char *name, const uint8_t enroll_pk[32],
    int64_t now_ms, uint64_t *id, struct err *e)
{
	sqlite3_stmt *st;
	int rc = E_OK;

	if (name[0] == '\0' || strlen(name) > 64)
		return err_set(e, E_INVALID, "%s", _("a station name has 1 to 64 bytes"));
	if ((rc = text_check(name, 0, _("station name"), e)) != E_OK)
		return rc;
	if (prep(db, "INSERT INTO stations(name, status, enroll_pk, enrolled_ms) "
	    "VALUES(?1, 0, ?2, ?3)", &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, enroll_pk, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now_ms);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE ?
		    err_set(e, E_INVALID, _("a station named %s exists already"), name) :
		    sqlerr(db, e, "add station");
	else
		*id = (uint64_t)sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	return rc;
}

/* The station's columns; held and max_seq cost a scan, so only listings count them. */
#define STATION_BASE \
	"s.id, s.name, s.status, s.curve_pk, s.sign_pk, s.enrolled_ms, s.last_seen_ms, " \
	"s.skew_ms, s.hw, s.uid, "
#define STATION_COLS STATION_BASE "0, 0, 0"
#define STATION_COUNTED STATION_BASE \
	"(SELECT count(*) FROM records r WHERE r.station_id = s.id), " \
	"(SELECT max(seq) FROM (SELECT max(seq) AS seq FROM records r WHERE r.station_id = s.id" \
	" UNION ALL SELECT max(seq) FROM quarantine q WHERE q.station_id = s.id)), " \
	"(SELECT count(*) FROM quarantine q WHERE q.station_id = s.id)"

static void
station_row(sqlite3_stmt *st, struct hub_station *s)
{
	memset(s, 0, sizeof *s);
	s->id = (uint64_t)sqlite3_column_int64(st, 0);
	snprintf(s->name, sizeof s->name, "%s", (const char *)sqlite3_column_text(st, 1));
	s->status = sqlite3_column_int(st, 2);
	if (sqlite3_column_bytes(st, 3) == 32)
		memcpy(s->curve_pk, sqlite3_column_blob(st, 3), 32);
	if (sqlite3_column_bytes(st, 4) == 32)
		memcpy(s->sign_pk, sqlite3_column_blob(st, 4), 32);
	s->enrolled_ms = sqlite3_column_int64(st, 5);
	s->last_seen_ms = sqlite3_column_int64(st, 6);
	s->skew_ms = sqlite3_column_int64(st, 7);
	s->hw = (uint64_t)sqlite3_column_int64(st, 8);
	if (sqlite3_column_type(st, 9) == SQLITE_TEXT)
		snprintf(s->uid, sizeof s->uid, "%s", (const char *)sqlite3_column_text(st, 9));
	s->held = (uint64_t)sqlite3_column_int64(st, 10);
	s->max_seq = (uint64_t)sqlite3_column_int64(st, 11);
	s->quarantined = (uint64_t)sqlite3_column_int64(st, 12);
	s->held += s->quarantined; /* held, if put aside: behind counts only what is missing */
}

static int
station_one(sqlite3 *db, const char *sql, const void *key, int keylen,
    struct hub_station *s, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (prep(db, sql, &st, e) != E_OK)
		return E_IO;
	if (keylen < 0)
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_blob(st, 1, key, keylen, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		station_row(st, s);
		rc = E_OK;
	} else if (rc == SQLITE_DONE)
		rc = err_set(e, E_INVALID, "%s", _("no such station"));
	else
		rc = sqlerr(db, e, "station");
	sqlite3_finalize(st);
	return rc;
}

int
hubstore_station_by_key(sqlite3 *db, const uint8_t pk[32], int enroll,
    struct hub_station *s, struct err *e)
{
	return station_one(db, enroll ?
	    "SELECT " STATION_COLS " FROM stations s WHERE s.enroll_pk = ?1 AND s.status = 0" :
	    "SELECT " STATION_COLS " FROM stations s WHERE s.curve_pk = ?1", pk, 32, s, e);
}

int
hubstore_station_by_name(sqlite3 *db, const char *name, struct hub_station *s,
    struct err *e)
{
	return station_one(db, "SELECT " STATION_COLS " FROM stations s WHERE s.name = ?1",
	    name, -1, s, e);
}

int
hubstore_enroll_complete(sqlite3 *db, const uint8_t enroll_pk[32],
    const uint8_t curve_pk[32], const uint8_t sign_pk[32], const char *uid, int64_t now_ms,
    struct hub_station *s, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (strlen(uid) != WIRE_STATION_UID || strspn(uid, "0123456789abcdef") != WIRE_STATION_UID)
		return err_set(e, E_INVALID, "%s", _("not a station id"));
	if ((rc = hubstore_station_by_key(db, enroll_pk, 1, s, e)) != E_OK)
		return rc;
	if (prep(db, "UPDATE stations SET status = 1, curve_pk = ?1, sign_pk = ?2, uid = ?5, "
	    "enroll_pk = NULL, enrolled_ms = ?3 WHERE id = ?4 AND status = 0", &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_blob(st, 1, curve_pk, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, sign_pk, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now_ms);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s->id);
	sqlite3_bind_text(st, 5, uid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE ?
		    err_set(e, E_INVALID, "%s", _("that station key is enrolled already")) :
		    sqlerr(db, e, "enroll");
	return hubstore_station_by_key(db, curve_pk, 0, s, e);
}

int
hubstore_station_revoke(sqlite3 *db, const char *name, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (prep(db, "UPDATE stations SET status = 2, enroll_pk = NULL WHERE name = ?1",
	    &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(db, e, "revoke");
	if (sqlite3_changes(db) == 0)
		return err_set(e, E_INVALID, _("no station named %s"), name);
	return E_OK;
}

int
hubstore_authorize(sqlite3 *db, const uint8_t pk[32])
{
	sqlite3_stmt *st;
	int ok = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM stations WHERE (curve_pk = ?1 AND status = 1)"
	    " OR (enroll_pk = ?1 AND status = 0)", -1, &st, NULL) != SQLITE_OK)
		return 0;	/* fail closed */
	sqlite3_bind_blob(st, 1, pk, 32, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

int
hubstore_station_seen(sqlite3 *db, uint64_t id, int64_t now_ms, int64_t skew_ms,
    int have_skew, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (prep(db, have_skew ?
	    "UPDATE stations SET last_seen_ms = ?1, skew_ms = ?2 WHERE id = ?3" :
	    "UPDATE stations SET last_seen_ms = ?1 WHERE id = ?3", &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_int64(st, 1, now_ms);
	if (have_skew)
		sqlite3_bind_int64(st, 2, skew_ms);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : sqlerr(db, e, "station seen");
}

int
hubstore_stations(sqlite3 *db, int (*fn)(const struct hub_station *, void *), void *arg,
    struct err *e)
{
	struct hub_station s;
	sqlite3_stmt *st;
	int rc;

	if (prep(db, "SELECT " STATION_COUNTED " FROM stations s ORDER BY s.name", &st, e) !=
	    E_OK)
		return E_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		station_row(st, &s);
		if (fn(&s, arg) != 0)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sqlerr(db, e, "stations");
}

/* Advances a station's hw over the contiguous seqs held after it. */
static int
advance_hw(sqlite3 *db, uint64_t station_id, uint64_t *hw, struct err *e)
{
	sqlite3_stmt *st;
	uint64_t h;
	int rc;

	if (prep(db, "SELECT hw FROM stations WHERE id = ?1", &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)station_id);
	h = sqlite3_step(st) == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (prep(db, "SELECT seq FROM records WHERE station_id = ?1 AND seq > ?2 UNION ALL "
	    "SELECT seq FROM quarantine WHERE station_id = ?1 AND seq > ?2 ORDER BY seq",
	    &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)station_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)h);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    (uint64_t)sqlite3_column_int64(st, 0) == h + 1)
		h++;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sqlerr(db, e, "hw");
	if (prep(db, "UPDATE stations SET hw = ?1 WHERE id = ?2", &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)h);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)station_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(db, e, "hw");
	*hw = h;
	return E_OK;
}

int
hubstore_ingest(sqlite3 *db, const struct hub_station *s, const struct wire_record *r,
    size_t n, int64_t now_ms, struct hub_ingest *res, struct err *e)
{
	uint64_t station_id = s->id;
	sqlite3_stmt *ins = NULL, *get = NULL, *con = NULL, *qua = NULL;
	uint8_t hash[32];
	size_t i;
	int rc = E_IO, flag;

	memset(res, 0, sizeof *res);
	if ((res->conflicts = calloc(n ? n : 1, sizeof *res->conflicts)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		free(res->conflicts);
		res->conflicts = NULL;
		return sqlerr(db, e, "begin");
	}
	if (prep(db, "INSERT INTO records(station_id, seq, kind, created_ms, "
	    "received_ms, clock_flag, body, hash, action, root_seq) "
	    "VALUES(?1, ?2, ?3, ?4, ?6, ?7, ?8, ?9, "
	    "CASE WHEN json_valid(?8) THEN coalesce(json_extract(?8, '$.action'), 'add') "
	    "ELSE 'add' END, "
	    "CASE WHEN json_valid(?8) AND json_extract(?8, '$.root') > 0 THEN "
	    "json_extract(?8, '$.root') ELSE ?2 END) "
	    "ON CONFLICT(station_id, seq) DO NOTHING", &ins, e) != E_OK ||
	    prep(db, "SELECT hash FROM records WHERE station_id = ?1 AND seq = ?2", &get, e) !=
	    E_OK ||
	    prep(db, "INSERT INTO conflicts(station_id, seq, kind, created_ms, "
	    "received_ms, body, hash) VALUES(?1, ?2, ?3, ?4, ?6, ?7, ?8) "
	    "ON CONFLICT DO NOTHING", &con, e) != E_OK ||
	    prep(db, "INSERT INTO quarantine(station_id, seq, kind, created_ms, received_ms, "
	    "body, hash) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM "
	    "records WHERE station_id = ?1 AND seq = ?2) ON CONFLICT DO NOTHING", &qua, e) !=
	    E_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if (i == n / 2)
			crash_point("mid_batch");
		assert(r[i].seq > 0);
		assert(i == 0 || r[i].seq > r[i - 1].seq);
		wire_record_hash(s->uid, &r[i], hash);
		flag = r[i].created_ms > now_ms + CLOCK_AHEAD_MS ||
		    r[i].created_ms < CLOCK_EPOCH_MS;
		if (r[i].bad) {
			/* Put aside, byte for byte; it counts towards hw like a record. */
			sqlite3_reset(qua);
			sqlite3_bind_int64(qua, 1, (sqlite3_int64)station_id);
			sqlite3_bind_int64(qua, 2, (sqlite3_int64)r[i].seq);
			sqlite3_bind_blob(qua, 3, r[i].kind, (int)strlen(r[i].kind), SQLITE_STATIC);
			sqlite3_bind_int64(qua, 4, r[i].created_ms);
			sqlite3_bind_int64(qua, 5, now_ms);
			sqlite3_bind_blob(qua, 6, r[i].body, (int)r[i].body_len, SQLITE_STATIC);
			sqlite3_bind_blob(qua, 7, hash, 32, SQLITE_STATIC);
			if (sqlite3_step(qua) != SQLITE_DONE) {
				sqlerr(db, e, "quarantine");
				goto out;
			}
			if (sqlite3_changes(db) == 1)
				res->quarantined++;
			else
				res->duplicates++;
			continue;
		}
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)station_id);
		sqlite3_bind_int64(ins, 2, (sqlite3_int64)r[i].seq);
		sqlite3_bind_text(ins, 3, r[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, r[i].created_ms);
		sqlite3_bind_int64(ins, 6, now_ms);
		sqlite3_bind_int(ins, 7, flag);
		sqlite3_bind_text(ins, 8, r[i].body, (int)r[i].body_len, SQLITE_STATIC);
		sqlite3_bind_blob(ins, 9, hash, 32, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			sqlerr(db, e, "insert");
			goto out;
		}
		if (sqlite3_changes(db) == 1) {
			res->inserted++;
			continue;
		}
		sqlite3_reset(get);
		sqlite3_bind_int64(get, 1, (sqlite3_int64)station_id);
		sqlite3_bind_int64(get, 2, (sqlite3_int64)r[i].seq);
		if (sqlite3_step(get) != SQLITE_ROW) {
			sqlerr(db, e, "lookup");
			goto out;
		}
		if (sqlite3_column_bytes(get, 0) == 32 &&
		    memcmp(sqlite3_column_blob(get, 0), hash, 32) == 0) {
			res->duplicates++;
			continue;
		}
		res->conflicts[res->nconflicts++] = r[i].seq;
		sqlite3_reset(con);
		sqlite3_bind_int64(con, 1, (sqlite3_int64)station_id);
		sqlite3_bind_int64(con, 2, (sqlite3_int64)r[i].seq);
		sqlite3_bind_text(con, 3, r[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(con, 4, r[i].created_ms);
		sqlite3_bind_int64(con, 6, now_ms);
		sqlite3_bind_text(con, 7, r[i].body, (int)r[i].body_len, SQLITE_STATIC);
		sqlite3_bind_blob(con, 8, hash, 32, SQLITE_STATIC);
		if (sqlite3_step(con) != SQLITE_DONE) {
			sqlerr(db, e, "conflict");
			goto out;
		}
	}
	if (advance_hw(db, station_id, &res->hw, e) != E_OK)
		goto out;
	crash_point("before_commit");
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlerr(db, e, "commit");
		goto out;
	}
	rc = E_OK;
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(get);
	sqlite3_finalize(con);
	sqlite3_finalize(qua);
	if (rc != E_OK) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		free(res->conflicts);
		res->conflicts = NULL;
		res->nconflicts = 0;
	}
	return rc;
}

int
hubstore_item_set(sqlite3 *db, int kind, const char *key, const char *value,
    const char *extra, int deleted, struct err *e)
{
	sqlite3_stmt *st;
	int rc, y, m, d;

	/* What every station will be sent is checked here, once for all of them. */
	if ((rc = text_check(key, 0, kind == WIRE_PULL_WATCHLIST ? "value" : "key", e)) != E_OK ||
	    (value != NULL && (rc = text_check(value, 0,
		kind == WIRE_PULL_WATCHLIST ? "reason" : key, e)) != E_OK) ||
	    (extra != NULL && (rc = text_check(extra, 0, "until", e)) != E_OK))
		return rc;
	if (kind == WIRE_PULL_WATCHLIST && extra != NULL && extra[0] != '\0' &&
	    (rc = parse_date(extra, "until", &y, &m, &d, e)) != E_OK)
		return rc;
	if (prep(db, "INSERT INTO items(kind, key, value, extra, ver, deleted) VALUES(?1, ?2, ?3, "
	    "?5, (SELECT coalesce(max(ver), 0) + 1 FROM items WHERE kind = ?1), ?4) "
	    "ON CONFLICT(kind, key) DO UPDATE SET value = excluded.value, ver = excluded.ver, "
	    "extra = excluded.extra, deleted = excluded.deleted", &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_int(st, 1, kind);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, value != NULL ? value : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, deleted != 0);
	sqlite3_bind_text(st, 5, extra != NULL ? extra : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : sqlerr(db, e, "item");
}

uint64_t
hubstore_item_latest(sqlite3 *db, int kind)
{
	sqlite3_stmt *st;
	uint64_t v = 0;

	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(ver), 0) FROM items WHERE kind = ?1",
	    -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(st, 1, kind);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
hubstore_items_pull(sqlite3 *db, int kind, uint64_t since, struct wire_msg *m,
    struct err *e)
{
	uint64_t latest = hubstore_item_latest(db, kind);
	struct wire_item *it;
	sqlite3_stmt *st;
	size_t n = 0, cap = 16;
	int snapshot = since == 0 || since > latest, rc;

	m->type = snapshot ? WIRE_SNAPSHOT : WIRE_DELTA;
	m->u.items.kind = kind;
	m->u.items.ver = latest;
	if ((it = calloc(cap, sizeof *it)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if (prep(db, snapshot ?
	    "SELECT key, value, extra, ver, deleted FROM items WHERE kind = ?1 AND deleted = 0 "
	    "ORDER BY ver" :
	    "SELECT key, value, extra, ver, deleted FROM items WHERE kind = ?1 AND ver > ?2 "
	    "ORDER BY ver",
	    &st, e) != E_OK) {
		free(it);
		return E_IO;
	}
	sqlite3_bind_int(st, 1, kind);
	if (!snapshot)
		sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < WIRE_ITEMS_MAX) {
		if (n == cap) {
			struct wire_item *p = realloc(it, 2 * cap * sizeof *it);
			if (p == NULL)
				break;
			it = p;
			cap *= 2;
		}
		it[n].key = strdup((const char *)sqlite3_column_text(st, 0));
		it[n].value = strdup((const char *)sqlite3_column_text(st, 1));
		it[n].extra = strdup((const char *)sqlite3_column_text(st, 2));
		it[n].ver = (uint64_t)sqlite3_column_int64(st, 3);
		it[n].deleted = sqlite3_column_int(st, 4);
		n++;
		if (it[n - 1].key == NULL || it[n - 1].value == NULL || it[n - 1].extra == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	m->u.items.items = it;
	m->u.items.nitems = n;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		wire_msg_free(m);
		return sqlerr(db, e, "items");
	}
	return E_OK;
}
