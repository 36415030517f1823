/* store-sqlite.c — the hub store on SQLite (an encrypted file through crypto/'s VFS): the
 * schema and its migrations, keys, stations, idempotent ingest that keeps the aggregates in
 * the same transaction, versioned settings and watchlist, reports from the aggregates, the
 * export cursor and retention. See store.h for the contracts. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/vault.h"
#include "hub/facts.h"
#include "hub/purge.h"
#include "hub/store-impl.h"
#include "hub/store-sqlite.h"
#include "storage/clock.h"
#include "storage/logbook.h"
#include "sync/crash.h"

/* The ingest's statements, prepared at a store's first batch and kept until it closes. */
enum sq_stmt {
	ST_INSERT, ST_INSERT_ASIDE, ST_ASIDE, ST_HASH, ST_CONFLICT, ST_QUARANTINE, ST_CONTRIB, ST_NAMED, ST_EXIT_ENTRY,
	ST_BINS_OF, ST_BIN_ADD, ST_BIN_COL, ST_PURGED, ST_REPURGE, ST_AGG, ST_BIN_RECOUNT,
	ST_BIN_GONE, ST_CONFLICT_PURGED, ST_CONFLICT_REPURGE, ST_STATION, ST_HELD_AFTER,
	ST_COUNTERS, ST_ARRIVALS, ST_ARRIVALS_OLD, ST_SEEN, ST_N
};

struct sq_store {
	struct hub_store base;
	sqlite3 *db;
	struct vault *v;	/* NULL when wrapped (the caller owns db) */
	sqlite3_stmt *st[ST_N];	/* NULL until the first batch */
};
static void stmts_free(struct sq_store *s);
#define DB(hs) (((struct sq_store *)(hs))->db)

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
 * storage wrote), so reports can merge corrections and deletions: schema_v2 (columns),
 * derive_facts (reads each body with facts.c), schema_v2_index. */
static const char schema_v2[] =
	"ALTER TABLE records ADD COLUMN action TEXT NOT NULL DEFAULT 'add';"
	"ALTER TABLE records ADD COLUMN root_seq INTEGER NOT NULL DEFAULT 0;";
static const char schema_v2_index[] =
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

/* A station's counters from what it holds (records and quarantine): for the migration and
 * for verify. Put-aside records are held too (behind counts only what is missing). */
#define COUNT_HELD(id) \
	"((SELECT count(*) FROM records r WHERE r.station_id = " id ") + (SELECT count(*) FROM" \
	" quarantine q WHERE q.station_id = " id "))"
#define COUNT_MAX(id) \
	"coalesce((SELECT max(seq) FROM (SELECT max(seq) AS seq FROM records r WHERE" \
	" r.station_id = " id " UNION ALL SELECT max(seq) FROM quarantine q WHERE" \
	" q.station_id = " id ")), 0)"
#define COUNT_QUARANTINED(id) \
	"((SELECT count(*) FROM records r WHERE r.station_id = " id " AND r.bad) +" \
	" (SELECT count(*) FROM quarantine q WHERE q.station_id = " id "))"

/* Version 4: aggregates. Each version's facts (facts.c) in its row; per station × day ×
 * kind the live counts; per bin its registration and last collection; arrivals per minute;
 * counters per station; purge marks. Filled from what is held (the one O(records) step),
 * then kept at ingest: schema_v4 (columns), derive_facts (every derived column from the
 * body), schema_v4_aggs (tables, filled by recounting). A record the hub stored but cannot
 * read as JSON (bad) counts with the quarantine. */
static const char schema_v4[] =
	"ALTER TABLE records ADD COLUMN day INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE records ADD COLUMN fever INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE records ADD COLUMN released INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE records ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE records ADD COLUMN bad INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE records ADD COLUMN bin TEXT;"
	"ALTER TABLE records ADD COLUMN entry INTEGER;"
	"ALTER TABLE records ADD COLUMN purged_ms INTEGER;"
	"ALTER TABLE conflicts ADD COLUMN purged_ms INTEGER;";
static const char schema_v4_aggs[] =
	"DROP INDEX IF EXISTS records_first;"
	"CREATE INDEX records_bin ON records(station_id, bin) WHERE bin IS NOT NULL;"
	"CREATE INDEX records_entry ON records(station_id, entry) WHERE entry IS NOT NULL;"
	"CREATE INDEX records_unpurged ON records(created_ms)"
	" WHERE action = 'add' AND purged_ms IS NULL;"
	"ALTER TABLE stations ADD COLUMN held INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE stations ADD COLUMN max_seq INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE stations ADD COLUMN nconflicts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE stations ADD COLUMN quarantined INTEGER NOT NULL DEFAULT 0;"
	"UPDATE stations SET"
	" held = " COUNT_HELD("stations.id") ", max_seq = " COUNT_MAX("stations.id") ","
	" nconflicts = (SELECT count(*) FROM conflicts c WHERE c.station_id = stations.id),"
	" quarantined = " COUNT_QUARANTINED("stations.id") ";"
	"CREATE TABLE agg_day(day INTEGER NOT NULL, station_id INTEGER NOT NULL,"
	" kind TEXT NOT NULL, records INTEGER NOT NULL, fevers INTEGER NOT NULL,"
	" released INTEGER NOT NULL, flagged INTEGER NOT NULL, inside INTEGER NOT NULL,"
	" PRIMARY KEY(day, station_id, kind)) WITHOUT ROWID;"
	"CREATE TABLE bin_state(station_id INTEGER NOT NULL, code TEXT NOT NULL,"
	" since_ms INTEGER, last_ms INTEGER, PRIMARY KEY(station_id, code)) WITHOUT ROWID;"
	"CREATE TABLE arrivals(minute INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
	"INSERT INTO agg_day SELECT * FROM recount_day;"
	"INSERT INTO bin_state SELECT * FROM recount_bins;"
	"INSERT INTO arrivals SELECT received_ms / 60000, count(*) FROM records"
	" WHERE received_ms > (SELECT max(received_ms) FROM records) - 86400000 GROUP BY 1;";

/* Version 5: indexes whose inserts stay where a station's batch goes as the store grows
 * (bench-ingest-pages, 200 stations pushing their last hours' records at a 1M store:
 * 0.75 WAL frames written a record, 0.48 of them records_unpurged's). records_unpurged on
 * created_ms alone put every station's records of the last hours among all stations'
 * records of those hours, a leaf page of its own for nearly every record once millions
 * are held; a station's records come in the order it made them, so by (station_id,
 * created_ms) a batch appends at its station's end and the purge reads it station by
 * station. records_received is read by nothing since arrivals (v4) counts per minute. */
static const char schema_v5[] =
	"DROP INDEX IF EXISTS records_received;"
	"DROP INDEX records_unpurged;"
	"CREATE INDEX records_unpurged ON records(station_id, created_ms)"
	" WHERE action = 'add' AND purged_ms IS NULL;";

/* The aggregates recounted from the records held, as views (temporary: made for the
 * migration and for hubstore_verify, never stored). A record is live if its first version
 * (action 'add', readable) is held and its latest version is not a deletion; it counts in
 * its first version's day and kind with its latest version's facts; a visitor is inside
 * until a live exit names it. */
static const char recount_views[] =
	"CREATE TEMP VIEW IF NOT EXISTS recount_live AS"
	" SELECT f.station_id AS sid, f.seq AS root, f.day AS day, f.kind AS kind,"
	"  f.created_ms AS at, f.entry AS entry, l.fever AS fever, l.released AS released,"
	"  l.flagged AS flagged, l.bin AS bin"
	" FROM records f JOIN records l ON l.station_id = f.station_id AND l.seq ="
	"  (SELECT max(m.seq) FROM records m WHERE m.station_id = f.station_id AND"
	"   m.root_seq = f.seq)"
	" WHERE f.action = 'add' AND f.bad = 0 AND l.action <> 'delete';"
	"CREATE TEMP VIEW IF NOT EXISTS recount_day AS"
	" WITH live AS MATERIALIZED (SELECT * FROM recount_live),"
	" exited AS MATERIALIZED (SELECT DISTINCT sid, entry FROM live WHERE kind = 'exit'"
	"  AND entry IS NOT NULL)"
	" SELECT v.day AS day, v.sid AS sid, v.kind AS kind, count(*) AS records,"
	"  sum(v.fever) AS fevers, sum(v.released) AS released, sum(v.flagged) AS flagged,"
	"  sum(v.kind = 'visitor' AND x.entry IS NULL) AS inside"
	" FROM live v LEFT JOIN exited x ON x.sid = v.sid AND x.entry = v.root"
	" GROUP BY v.day, v.sid, v.kind;"
	"CREATE TEMP VIEW IF NOT EXISTS recount_bins AS"
	" SELECT sid, bin, min(CASE WHEN kind = 'bin' THEN at END),"
	"  max(CASE WHEN kind = 'collection' THEN at END)"
	" FROM recount_live WHERE bin IS NOT NULL AND kind IN ('bin', 'collection')"
	" GROUP BY sid, bin;";

static int migrate_v2(sqlite3 *db, struct err *e);
static int migrate_v4(sqlite3 *db, struct err *e);
static int prep(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct err *e);

static const struct migration {
	int to;
	const char *sql;
	int (*fn)(sqlite3 *, struct err *);
} migrations[] = {
	{ 1, schema_v1, NULL },
	{ 2, NULL, migrate_v2 },
	{ 3, schema_v3, NULL },
	{ 4, NULL, migrate_v4 },
	{ 5, schema_v5, NULL },
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

/* A record whose device time is this far ahead of the hub's receive time is flagged. */
#define CLOCK_AHEAD_MS (10LL * 60 * 1000)
/* …or before 2020-01-01. */
#define CLOCK_EPOCH_MS 1577836800000LL
/* Resource settings (hub_meta) and their defaults. */
#define CACHE_MIB_DEFAULT 64
#define WAL_LIMIT_MIB_DEFAULT 64

static int
sqlerr(sqlite3 *db, struct err *e, const char *what)
{
	int rc = sqlite3_extended_errcode(db);

	/* a page that failed authentication is damage (exit 3), not "disk I/O error" */
	if ((rc & 0xff) == SQLITE_CORRUPT || rc == SQLITE_IOERR_DATA)
		return vault_sqlite_err(db, rc, e);
	if ((rc & 0xff) == SQLITE_FULL)
		return err_set(e, E_IO, "%s", _("the disk is full; nothing was saved"));
	return err_set(e, E_IO, "hub store: %s: %s", what, sqlite3_errmsg(db));
}

/* The default fever threshold in tenths, from storage's table of settings (37.3 → 373). */
static int
default_threshold(void)
{
	const struct setting_def *d;

	for (d = settings_keys; d->key != NULL; d++)
		if (strcmp(d->key, "fever_threshold") == 0)
			return (int)(strtod(d->def, NULL) * 10 + 0.5);
	assert(!"fever_threshold has a default");
	return 373;
}

/* The default fever threshold in tenths, from storage's table of settings (37.3 → 373). */
static int default_threshold(void);

/* One row's derived columns, from its body. */
struct derived {
	int64_t station_id, seq, day;
	struct facts f;
	int bad;
};

static void
derive_row(const char *kind, const char *body, size_t len, int64_t seq, int64_t created_ms,
    int thr, struct derived *d)
{
	d->bad = facts_read(kind, body, len, thr, &d->f) != 0;
	if (d->bad)
		memset(&d->f, 0, sizeof d->f);	/* the defaults: a first version, offset 0 */
	if (d->f.root <= 0)
		d->f.root = seq;
	d->seq = seq;
	d->day = clock_day(created_ms, d->f.tz_min);
}

static const char *const action_names[] = { "add", "correct", "delete" };

/* Sets the derived columns of every record held from its body (v4: all of them, else
 * action and root_seq), in keyset chunks so no statement reads a table it writes. */
static int
derive_facts(sqlite3 *db, int v4, struct err *e)
{
	enum { CHUNK = 256 };
	struct derived *d;
	sqlite3_stmt *get = NULL, *put = NULL;
	int64_t sid = -1, seq = -1;
	int rc, thr = default_threshold();
	size_t n, i;

	if ((d = calloc(CHUNK, sizeof *d)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if ((rc = prep(db, "SELECT station_id, seq, kind, created_ms, body FROM records WHERE"
	    " (station_id, seq) > (?1, ?2) ORDER BY station_id, seq LIMIT ?3", &get, e)) != E_OK ||
	    (rc = prep(db, v4 ? "UPDATE records SET action = ?3, root_seq = ?4, day = ?5,"
	    " fever = ?6, released = ?7, flagged = ?8, bad = ?9, bin = ?10, entry = ?11 WHERE"
	    " station_id = ?1 AND seq = ?2" : "UPDATE records SET action = ?3, root_seq = ?4"
	    " WHERE station_id = ?1 AND seq = ?2", &put, e)) != E_OK)
		goto out;
	do {
		sqlite3_bind_int64(get, 1, sid);
		sqlite3_bind_int64(get, 2, seq);
		sqlite3_bind_int(get, 3, CHUNK);
		for (n = 0; (rc = sqlite3_step(get)) == SQLITE_ROW; n++) {
			const char *kind = (const char *)sqlite3_column_text(get, 2);
			const char *body = (const char *)sqlite3_column_text(get, 4);
			d[n].station_id = sid = sqlite3_column_int64(get, 0);
			seq = sqlite3_column_int64(get, 1);
			derive_row(kind != NULL ? kind : "", body != NULL ? body : "",
			    (size_t)sqlite3_column_bytes(get, 4), seq, sqlite3_column_int64(get, 3),
			    thr, &d[n]);
			if (strcmp(kind != NULL ? kind : "", "exit") != 0)
				d[n].f.ref = 0;	/* only an exit names an entry */
		}
		sqlite3_reset(get);
		if (rc != SQLITE_DONE) {
			rc = sqlerr(db, e, "schema migration");
			goto out;
		}
		for (i = 0; i < n; i++) {
			sqlite3_bind_int64(put, 1, d[i].station_id);
			sqlite3_bind_int64(put, 2, d[i].seq);
			sqlite3_bind_text(put, 3, action_names[d[i].f.action], -1, SQLITE_STATIC);
			sqlite3_bind_int64(put, 4, d[i].f.root);
			if (v4) {
				sqlite3_bind_int64(put, 5, d[i].day);
				sqlite3_bind_int(put, 6, d[i].f.fever);
				sqlite3_bind_int(put, 7, d[i].f.released);
				sqlite3_bind_int(put, 8, d[i].f.flagged);
				sqlite3_bind_int(put, 9, d[i].bad);
				if (d[i].f.code[0] != '\0')
					sqlite3_bind_text(put, 10, d[i].f.code, -1, SQLITE_STATIC);
				else
					sqlite3_bind_null(put, 10);
				if (d[i].f.ref != 0)
					sqlite3_bind_int64(put, 11, d[i].f.ref);
				else
					sqlite3_bind_null(put, 11);
			}
			rc = sqlite3_step(put);
			sqlite3_reset(put);
			if (rc != SQLITE_DONE) {
				rc = sqlerr(db, e, "schema migration");
				goto out;
			}
		}
	} while (n == CHUNK);
	rc = E_OK;
out:
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	free(d);
	return rc;
}

static int
migrate_v2(sqlite3 *db, struct err *e)
{
	int rc;

	if (sqlite3_exec(db, schema_v2, NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "schema migration");
	if ((rc = derive_facts(db, 0, e)) != E_OK)
		return rc;
	if (sqlite3_exec(db, schema_v2_index, NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "schema migration");
	return E_OK;
}

static int
migrate_v4(sqlite3 *db, struct err *e)
{
	int rc;

	if (sqlite3_exec(db, schema_v4, NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "schema migration");
	if ((rc = derive_facts(db, 1, e)) != E_OK)
		return rc;
	if (sqlite3_exec(db, recount_views, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, schema_v4_aggs, NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "schema migration");
	return E_OK;
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

static int
sq_migrate(sqlite3 *db, struct err *e)
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
		rc = migrations[i].fn != NULL ? migrations[i].fn(db, e) :
		    sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL) == SQLITE_OK ? E_OK :
		    sqlerr(db, e, "schema migration");
		if (rc == E_OK && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			rc = sqlerr(db, e, "schema migration");
		if (rc == E_OK && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			rc = sqlerr(db, e, "commit");
		if (rc != E_OK) {
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
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return sqlerr(db, e, "prepare");
	}
	return E_OK;
}

/* ---- opening ---- */

static int
sq_claims(const char *address)
{
	(void)address;
	return 1;	/* a path: the last backend takes any address */
}

static int
sq_probe(const char *address, struct err *e)
{
	/* said here, not by the vault: its advice is the station's ('outpost init') */
	if (access(address, F_OK) != 0 && errno == ENOENT)
		return err_set(e, E_IO, _("there is no hub store at %s (make one with "
		    "'outpost-hub init --store %s', or give --store PATH)"), address, address);
	return vault_probe(address, e);
}

static int meta_text(sqlite3 *db, const char *k, char *buf, size_t n, int *found);

/* A whole-number hub setting in [lo, hi], else its default. */
static long
meta_long(sqlite3 *db, const char *k, long dflt, long lo, long hi)
{
	char buf[32], *end;
	int found;
	long v;

	if (meta_text(db, k, buf, sizeof buf, &found) != E_OK || !found)
		return dflt;
	v = strtol(buf, &end, 10);
	return *end == '\0' && v >= lo && v <= hi ? v : dflt;
}

/* The resource settings: the page cache (decrypted pages kept, so a page is not opened
 * again and again), the WAL's size limit after a checkpoint, and autocheckpoints. */
static int
sq_tune(sqlite3 *db, struct err *e)
{
	char sql[160];
	long cache = meta_long(db, "hub.cache_mib", CACHE_MIB_DEFAULT, 2, 65536);
	long wal = meta_long(db, "hub.wal_limit_mib", WAL_LIMIT_MIB_DEFAULT, 1, 65536);

	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%ld; PRAGMA journal_size_limit = %lld; "
	    "PRAGMA wal_autocheckpoint = 1000;", cache * 1024, (long long)wal << 20);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "settings");
	return E_OK;
}

static int
sq_setup(sqlite3 *db, struct vault *v, struct hub_store **out, struct err *e)
{
	struct sq_store *s;
	int rc;

	if ((rc = sq_migrate(db, e)) != E_OK || (rc = sq_tune(db, e)) != E_OK)
		return rc;
	if (sqlite3_exec(db, recount_views, NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "recount");
	if ((s = calloc(1, sizeof *s)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	s->base.ops = &hubstore_sqlite_ops;
	s->db = db;
	s->v = v;
	*out = &s->base;
	return E_OK;
}

static int
sq_open(const struct hubstore_params *p, struct hub_store **out, struct err *e)
{
	struct vault *v = NULL;
	sqlite3 *db = NULL;
	int rc;

	if (p->create) {
		/* the recovery key is the caller's to show; without a buffer it is made and lost */
		char *rec = p->recovery != NULL ? p->recovery : sodium_malloc(VAULT_RECOVERY_LEN);
		if (rec == NULL)
			return err_set(e, E_IO, "%s", _("out of memory"));
		rc = vault_create(p->address, p->secret, p->secret_len, p->kdf, rec, &v, e);
		if (p->recovery == NULL)
			sodium_free(rec);
	} else
		rc = vault_unlock(p->address, p->secret, p->secret_len, VAULT_PASSPHRASE, &v, e);
	if (rc != E_OK)
		return rc;
	/* one thread at a time (store.h): the server holds its lock around every call */
	if ((rc = vault_open_db_with(v, VAULT_DB_CALLER_LOCKS, &db, e)) == E_OK &&
	    (rc = sq_setup(db, v, out, e)) == E_OK)
		return E_OK;
	if (db != NULL)
		sqlite3_close(db);
	vault_close(v);
	return rc;
}

int
hubstore_sqlite_wrap(sqlite3 *db, struct hub_store **out, struct err *e)
{
	*out = NULL;
	return sq_setup(db, NULL, out, e);
}

sqlite3 *
hubstore_sqlite_db(struct hub_store *s)
{
	assert(s->ops == &hubstore_sqlite_ops);
	return DB(s);
}

static void
sq_close(struct hub_store *hs)
{
	struct sq_store *s = (struct sq_store *)hs;

	stmts_free(s);
	if (s->v != NULL) {
		sqlite3_close(s->db);
		vault_close(s->v);
	}
	free(s);
}

static int
sq_destroy(const char *address, struct err *e)
{
	char side[4200];

	if (remove(address) != 0)
		return err_set(e, E_IO, _("cannot remove %s"), address);
	snprintf(side, sizeof side, "%s-wal", address);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", address);
	unlink(side);
	return E_OK;
}

static int
sq_checkpoint(struct hub_store *hs, struct err *e)
{
	sqlite3 *db = DB(hs);
	int rc, log = 0, done = 0;

	/* PASSIVE never waits on a reader; a reader holding an old snapshot only keeps the
	 * frames after its mark, and journal_size_limit truncates the file at the next reset */
	rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return sqlerr(db, e, "checkpoint");
	if (rc == SQLITE_OK && log == done && log > 0) {
		/* everything copied back: truncate the file too, unless someone is busy */
		sqlite3_busy_timeout(db, 0);
		sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		sqlite3_busy_timeout(db, 5000);
	}
	return E_OK;
}

/* ---- the hub's keys and settings ---- */

static int
sq_keys_create(struct hub_store *hs, struct err *e)
{
	sqlite3 *db = DB(hs);
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

/* A key's blob of exactly n bytes into out: 1 found, 0 not (or of another size), -1 error. */
static int
meta_blob(sqlite3 *db, const char *k, uint8_t *out, size_t n)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT v FROM hub_meta WHERE k = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) == n) {
		memcpy(out, sqlite3_column_blob(st, 0), n);
		rc = 1;
	} else
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

static int
sq_keys_load(struct hub_store *hs, uint8_t pk[32], uint8_t **sk, struct err *e)
{
	sqlite3 *db = DB(hs);
	int a, b;

	if ((*sk = sodium_malloc(32)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	a = meta_blob(db, "public_key", pk, 32);
	b = meta_blob(db, "secret_key", *sk, 32);
	if (a == 1 && b == 1)
		return E_OK;
	sodium_free(*sk);
	*sk = NULL;
	if (a < 0 || b < 0)
		return sqlerr(db, e, "keys");
	return err_set(e, E_INVALID, "%s", _("the hub store has no keys: run outpost-hub init"));
}

static int
meta_text(sqlite3 *db, const char *k, char *buf, size_t n, int *found)
{
	sqlite3_stmt *st;
	int rc, len;

	*found = 0;
	if (sqlite3_prepare_v2(db, "SELECT v FROM hub_meta WHERE k = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return E_IO;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (len = sqlite3_column_bytes(st, 0)) < (int)n) {
		memcpy(buf, sqlite3_column_blob(st, 0), (size_t)len);
		buf[len] = '\0';
		*found = 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : E_IO;
}

static int
sq_meta_get(struct hub_store *hs, const char *k, char *buf, size_t n, int *found,
    struct err *e)
{
	if (meta_text(DB(hs), k, buf, n, found) != E_OK)
		return sqlerr(DB(hs), e, "settings");
	return E_OK;
}

static int
sq_meta_set(struct hub_store *hs, const char *k, const char *v, struct err *e)
{
	sqlite3 *db = DB(hs);
	sqlite3_stmt *st;
	int rc;

	if (prep(db, v != NULL ? "INSERT OR REPLACE INTO hub_meta(k, v) VALUES(?1, ?2)" :
	    "DELETE FROM hub_meta WHERE k = ?1", &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (v != NULL)
		sqlite3_bind_text(st, 2, v, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(db, e, "settings");
	return strncmp(k, "hub.", 4) == 0 ? sq_tune(db, e) : E_OK;
}

/* ---- stations ---- */

static int
sq_station_add(struct hub_store *hs, const char *name, const uint8_t enroll_pk[32],
    int64_t now_ms, uint64_t *id, struct err *e)
{
	sqlite3 *db = DB(hs);
	sqlite3_stmt *st;
	int rc = E_OK;

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

/* The station's columns, counters included (kept at ingest: no scan). */
#define STATION_COLS \
	"s.id, s.name, s.status, s.curve_pk, s.sign_pk, s.enrolled_ms, s.last_seen_ms, " \
	"s.skew_ms, s.hw, s.uid, s.held, s.max_seq, s.nconflicts, s.quarantined"

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
	s->conflicts = (uint64_t)sqlite3_column_int64(st, 12);
	s->quarantined = (uint64_t)sqlite3_column_int64(st, 13);
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

static int
sq_station_by_key(struct hub_store *hs, const uint8_t pk[32], int enroll,
    struct hub_station *s, struct err *e)
{
	return station_one(DB(hs), enroll ?
	    "SELECT " STATION_COLS " FROM stations s WHERE s.enroll_pk = ?1 AND s.status = 0" :
	    "SELECT " STATION_COLS " FROM stations s WHERE s.curve_pk = ?1", pk, 32, s, e);
}

static int
sq_station_by_name(struct hub_store *hs, const char *name, struct hub_station *s,
    struct err *e)
{
	return station_one(DB(hs), "SELECT " STATION_COLS " FROM stations s WHERE s.name = ?1",
	    name, -1, s, e);
}

static int
sq_enroll_complete(struct hub_store *hs, const uint8_t enroll_pk[32],
    const uint8_t curve_pk[32], const uint8_t sign_pk[32], const char *uid, int64_t now_ms,
    struct hub_station *s, struct err *e)
{
	sqlite3 *db = DB(hs);
	sqlite3_stmt *st;
	int rc;

	if (strlen(uid) != WIRE_STATION_UID || strspn(uid, "0123456789abcdef") != WIRE_STATION_UID)
		return err_set(e, E_INVALID, "%s", _("not a station id"));
	if ((rc = sq_station_by_key(hs, enroll_pk, 1, s, e)) != E_OK)
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
	return sq_station_by_key(hs, curve_pk, 0, s, e);
}

static int
sq_station_revoke(struct hub_store *hs, const char *name, struct err *e)
{
	sqlite3 *db = DB(hs);
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

static int
sq_station_seen(struct hub_store *hs, uint64_t id, int64_t now_ms, int64_t skew_ms,
    int have_skew, struct err *e)
{
	sqlite3 *db = DB(hs);
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

static int
sq_stations(struct hub_store *hs, int (*fn)(const struct hub_station *, void *), void *arg,
    struct err *e)
{
	sqlite3 *db = DB(hs);
	struct hub_station s;
	sqlite3_stmt *st;
	int rc;

	if (prep(db, "SELECT " STATION_COLS " FROM stations s ORDER BY s.name", &st, e) != E_OK)
		return E_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		station_row(st, &s);
		if (fn(&s, arg) != 0)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sqlerr(db, e, "stations");
}

/* The ingest's statements (enum sq_stmt), prepared once per store. */
static const char *const stmt_sql[ST_N] = {
	/* A station's seq is held once, in records or in quarantine, whichever came first
	 * (as PostgreSQL's one table holds it). Where the quarantine holds a seq of the
	 * batch's range (ST_ASIDE, once a batch) each insert looks there first
	 * (ST_INSERT_ASIDE); else the plain insert, which costs 30% less (callgrind). */
	[ST_INSERT] = "INSERT INTO records(station_id, seq, kind, created_ms, received_ms,"
	    " clock_flag, body, hash, action, root_seq, day, fever, released, flagged, bad, bin,"
	    " entry) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
	    " ?16, ?17) ON CONFLICT(station_id, seq) DO NOTHING",
	[ST_INSERT_ASIDE] = "INSERT INTO records(station_id, seq, kind, created_ms,"
	    " received_ms, clock_flag, body, hash, action, root_seq, day, fever, released,"
	    " flagged, bad, bin, entry) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	    " ?13, ?14, ?15, ?16, ?17 WHERE NOT EXISTS (SELECT 1 FROM quarantine WHERE"
	    " station_id = ?1 AND seq = ?2) ON CONFLICT(station_id, seq) DO NOTHING",
	[ST_ASIDE] = "SELECT EXISTS (SELECT 1 FROM quarantine WHERE station_id = ?1 AND seq"
	    " BETWEEN ?2 AND ?3)",
	[ST_HASH] = "SELECT hash FROM records WHERE station_id = ?1 AND seq = ?2 UNION ALL"
	    " SELECT hash FROM quarantine WHERE station_id = ?1 AND seq = ?2",
	[ST_CONFLICT] = "INSERT INTO conflicts(station_id, seq, kind, created_ms, received_ms,"
	    " body, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
	[ST_QUARANTINE] = "INSERT INTO quarantine(station_id, seq, kind, created_ms,"
	    " received_ms, body, hash) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS"
	    " (SELECT 1 FROM records WHERE station_id = ?1 AND seq = ?2) ON CONFLICT DO NOTHING",
	/* The contribution of record ?2 (its first version's seq) at station ?1, leaving out
	 * the stored version ?3 (0: none), i.e. as it was before that version came. */
	[ST_CONTRIB] = "SELECT f.day, f.kind, l.fever, l.released, l.flagged, "
	    " CASE WHEN f.kind = 'visitor' THEN NOT EXISTS (SELECT 1 FROM records x INDEXED BY"
	    "  records_entry WHERE x.station_id = ?1 AND x.entry = ?2 AND x.entry IS NOT NULL"
	    "  AND x.action = 'add' AND x.bad = 0 AND x.seq <> ?3 AND (SELECT m.action FROM"
	    "  records m WHERE m.station_id = ?1 AND m.seq = (SELECT max(m2.seq) FROM records m2"
	    "  WHERE m2.station_id = ?1 AND m2.root_seq = x.seq AND m2.seq <> ?3)) <> 'delete')"
	    " ELSE 0 END, l.seq, f.created_ms "
	    "FROM records f, records l WHERE f.station_id = ?1 AND f.seq = ?2 AND f.seq <> ?3"
	    " AND f.action = 'add' AND f.bad = 0 AND l.station_id = ?1 AND l.seq = (SELECT"
	    " max(m.seq) FROM records m WHERE m.station_id = ?1 AND m.root_seq = ?2 AND"
	    " m.seq <> ?3) AND l.action <> 'delete'",
	/* whether any version names entry ?2 (the fast path's one look for a visitor) */
	[ST_NAMED] = "SELECT 1 FROM records INDEXED BY records_entry WHERE station_id = ?1 AND"
	    " entry = ?2 AND entry IS NOT NULL LIMIT 1",
	[ST_EXIT_ENTRY] = "SELECT entry FROM records WHERE station_id = ?1 AND seq = ?2 AND"
	    " kind = 'exit'",
	[ST_BINS_OF] = "SELECT DISTINCT bin FROM records INDEXED BY records_root WHERE"
	    " station_id = ?1 AND root_seq = ?2 AND bin IS NOT NULL",
	[ST_BIN_ADD] = "INSERT INTO bin_state(station_id, code, since_ms, last_ms) VALUES(?1,"
	    " ?2, ?3, NULL) ON CONFLICT(station_id, code) DO UPDATE SET since_ms ="
	    " min(coalesce(since_ms, excluded.since_ms), excluded.since_ms)",
	[ST_BIN_COL] = "INSERT INTO bin_state(station_id, code, since_ms, last_ms) VALUES(?1,"
	    " ?2, NULL, ?3) ON CONFLICT(station_id, code) DO UPDATE SET last_ms ="
	    " max(coalesce(last_ms, excluded.last_ms), excluded.last_ms)",
	[ST_PURGED] = "SELECT 1 FROM records WHERE station_id = ?1 AND seq = ?2 AND"
	    " purged_ms IS NOT NULL",
	[ST_REPURGE] = "UPDATE records SET body = ?1, purged_ms = ?2 WHERE station_id = ?3 AND"
	    " seq = ?4",
	[ST_AGG] = "INSERT INTO agg_day(day, station_id, kind, records, fevers, released,"
	    " flagged, inside) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(day,"
	    " station_id, kind) DO UPDATE SET records = records + excluded.records, fevers ="
	    " fevers + excluded.fevers, released = released + excluded.released, flagged ="
	    " flagged + excluded.flagged, inside = inside + excluded.inside",
	/* a bin's state recounted from the versions that name it (O(its collections)) */
	[ST_BIN_RECOUNT] = "WITH c AS (SELECT DISTINCT root_seq AS r FROM records INDEXED BY"
	    " records_bin WHERE station_id = ?1 AND bin = ?2 AND bin IS NOT NULL), live AS"
	    " (SELECT f.kind AS kind, f.created_ms AS at FROM c JOIN records f ON f.station_id ="
	    " ?1 AND f.seq = c.r AND f.action = 'add' AND f.bad = 0 JOIN records l ON"
	    " l.station_id = ?1 AND l.seq = (SELECT max(m.seq) FROM records m WHERE"
	    " m.station_id = ?1 AND m.root_seq = c.r) WHERE l.action <> 'delete' AND l.bin = ?2"
	    " AND f.kind IN ('bin', 'collection')) "
	    "INSERT INTO bin_state(station_id, code, since_ms, last_ms) SELECT ?1, ?2,"
	    " (SELECT min(at) FROM live WHERE kind = 'bin'),"
	    " (SELECT max(at) FROM live WHERE kind = 'collection') WHERE 1"
	    " ON CONFLICT(station_id, code) DO UPDATE SET since_ms = excluded.since_ms,"
	    " last_ms = excluded.last_ms",
	[ST_BIN_GONE] = "DELETE FROM bin_state WHERE station_id = ?1 AND code = ?2 AND"
	    " since_ms IS NULL AND last_ms IS NULL",
	[ST_CONFLICT_PURGED] = "SELECT 1 FROM records r JOIN records f ON f.station_id ="
	    " r.station_id AND f.seq = r.root_seq WHERE r.station_id = ?1 AND r.seq = ?2 AND"
	    " f.purged_ms IS NOT NULL",
	[ST_CONFLICT_REPURGE] = "UPDATE conflicts SET body = ?1, purged_ms = ?2 WHERE id = ?3",
	[ST_STATION] = "SELECT hw, max_seq FROM stations WHERE id = ?1",
	[ST_HELD_AFTER] = "SELECT seq FROM records WHERE station_id = ?1 AND seq > ?2 UNION ALL"
	    " SELECT seq FROM quarantine WHERE station_id = ?1 AND seq > ?2 ORDER BY seq",
	[ST_COUNTERS] = "UPDATE stations SET hw = ?6, held = held + ?2, max_seq = max(max_seq,"
	    " ?3), nconflicts = nconflicts + ?4, quarantined = quarantined + ?5 WHERE id = ?1",
	[ST_ARRIVALS] = "INSERT INTO arrivals(minute, n) VALUES(?1, ?2) ON CONFLICT(minute)"
	    " DO UPDATE SET n = n + excluded.n",
	[ST_ARRIVALS_OLD] = "DELETE FROM arrivals WHERE minute < ?1",
	[ST_SEEN] = "UPDATE stations SET last_seen_ms = ?1 WHERE id = ?2",
};

/* The store's ingest statements, prepared at its first batch. */
static int
stmts_ready(struct sq_store *s, struct err *e)
{
	int i, rc;

	for (i = 0; i < ST_N; i++)
		if (s->st[i] == NULL &&
		    (rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &s->st[i], NULL)) != SQLITE_OK) {
			s->st[i] = NULL;
			return sqlerr(s->db, e, "prepare");
		}
	return E_OK;
}

/* Leaves every statement reset, with no binding pointing into a caller's batch. */
static void
stmts_idle(struct sq_store *s)
{
	int i;

	for (i = 0; i < ST_N; i++)
		if (s->st[i] != NULL) {
			sqlite3_reset(s->st[i]);
			sqlite3_clear_bindings(s->st[i]);
		}
}

static void
stmts_free(struct sq_store *s)
{
	int i;

	for (i = 0; i < ST_N; i++) {
		sqlite3_finalize(s->st[i]);
		s->st[i] = NULL;
	}
}

/* ---- ingest ---- */

/* What one record adds to the aggregates (store.h's hub_total, per day). */
struct contrib {
	int has;
	int64_t day;
	char kind[WIRE_KIND_MAX + 1];
	int64_t v[5];		/* records, fevers, released, flagged, inside */
	uint64_t latest;	/* the seq of its latest version */
	int64_t at;		/* its first version's device time */
};

/* The deltas of one batch, summed per day × kind before they are written. */
struct agg_delta {
	int64_t day;
	char kind[WIRE_KIND_MAX + 1];
	int64_t v[5];
};

/* A version just stored, with its facts (from facts.c). */
struct stored {
	uint64_t seq, root;
	const char *kind;
	int64_t created_ms, day;
	int action;		/* FACTS_ADD, … */
	const struct facts *f;
	const char *bin;	/* NULL: none */
	uint64_t entry;		/* an exit's entry (0: none) */
};

struct ingest_ctx {
	struct sq_store *s;
	sqlite3 *db;
	uint64_t sid;
	uint64_t held_max;	/* max seq held before the batch: nothing names a later one */
	int aside;		/* the quarantine holds a seq in the batch's range */
	struct agg_delta *d;
	size_t nd, capd;
	char (*bins)[WIRE_TEXT_MAX];	/* codes whose state is recounted at the end */
	size_t nbins, capbins;
};
#define ST(c, i) ((c)->s->st[i])

static int
contrib_of(struct ingest_ctx *c, uint64_t root, uint64_t without, struct contrib *out,
    struct err *e)
{
	sqlite3_stmt *st = ST(c, ST_CONTRIB);
	int rc;

	memset(out, 0, sizeof *out);
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)root);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)without);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->has = 1;
		out->day = sqlite3_column_int64(st, 0);
		snprintf(out->kind, sizeof out->kind, "%s", (const char *)sqlite3_column_text(st, 1));
		out->v[0] = 1;
		out->v[1] = sqlite3_column_int64(st, 2) != 0;
		out->v[2] = sqlite3_column_int64(st, 3) != 0;
		out->v[3] = sqlite3_column_int64(st, 4) != 0;
		out->v[4] = sqlite3_column_int64(st, 5) != 0;
		out->latest = (uint64_t)sqlite3_column_int64(st, 6);
		out->at = sqlite3_column_int64(st, 7);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? E_OK : sqlerr(c->db, e, "aggregates");
}

/* The contribution of a first version v just stored, from its own facts when nothing can
 * change it: no later version of it is held (none has a seq above what the station held
 * before the batch: a later version has a later seq, and this batch's come after it), and
 * for a visitor no version names it as its entry. 1 if so (*out set), 0 if contrib_of
 * must tell, or -1 on error. */
static int
contrib_own(struct ingest_ctx *c, const struct stored *v, struct contrib *out,
    struct err *e)
{
	sqlite3_stmt *st = ST(c, ST_NAMED);
	int visitor = strcmp(v->kind, "visitor") == 0, rc;

	assert(v->action == FACTS_ADD && v->root == v->seq);
	if (v->seq <= c->held_max)
		return 0;
	if (visitor) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)v->seq);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_ROW)
			return 0;	/* an exit (or a version of one) names it: recount */
		if (rc != SQLITE_DONE)
			return sqlerr(c->db, e, "aggregates"), -1;
	}
	memset(out, 0, sizeof *out);
	out->has = 1;
	out->day = v->day;
	assert(strlen(v->kind) < sizeof out->kind);
	memcpy(out->kind, v->kind, strlen(v->kind) + 1);
	out->v[0] = 1;
	out->v[1] = v->f->fever;
	out->v[2] = v->f->released;
	out->v[3] = v->f->flagged;
	out->v[4] = visitor;
	out->latest = v->seq;
	out->at = v->created_ms;
	return 1;
}

/* Adds sign × x to the batch's deltas. */
static int
delta_add(struct ingest_ctx *c, const struct contrib *x, int sign, struct err *e)
{
	struct agg_delta *d;
	size_t i;
	int j;

	if (!x->has)
		return E_OK;
	for (i = 0; i < c->nd; i++)
		if (c->d[i].day == x->day && strcmp(c->d[i].kind, x->kind) == 0)
			break;
	if (i == c->nd) {
		if (c->nd == c->capd) {
			size_t cap = c->capd ? 2 * c->capd : 16;
			if ((d = realloc(c->d, cap * sizeof *d)) == NULL)
				return err_set(e, E_IO, "%s", _("out of memory"));
			c->d = d;
			c->capd = cap;
		}
		memset(&c->d[i], 0, sizeof c->d[i]);
		c->d[i].day = x->day;
		memcpy(c->d[i].kind, x->kind, sizeof x->kind);
		c->nd++;
	}
	for (j = 0; j < 5; j++)
		c->d[i].v[j] += sign * x->v[j];
	return E_OK;
}

/* The change a newly stored version `seq` of record root makes: before − after. */
static int
delta_record(struct ingest_ctx *c, uint64_t root, uint64_t seq, int is_first,
    struct contrib *after, struct err *e)
{
	struct contrib before;
	int rc;

	/* a first version just stored had no contribution before it */
	if (!is_first) {
		if ((rc = contrib_of(c, root, seq, &before, e)) != E_OK ||
		    (rc = delta_add(c, &before, -1, e)) != E_OK)
			return rc;
	}
	if ((rc = contrib_of(c, root, 0, after, e)) != E_OK)
		return rc;
	return delta_add(c, after, 1, e);
}

static int
bin_mark(struct ingest_ctx *c, const char *code, struct err *e)
{
	size_t i;

	for (i = 0; i < c->nbins; i++)
		if (strcmp(c->bins[i], code) == 0)
			return E_OK;
	if (c->nbins == c->capbins) {
		size_t cap = c->capbins ? 2 * c->capbins : 8;
		char (*p)[WIRE_TEXT_MAX] = realloc(c->bins, cap * sizeof *p);
		if (p == NULL)
			return err_set(e, E_IO, "%s", _("out of memory"));
		c->bins = p;
		c->capbins = cap;
	}
	snprintf(c->bins[c->nbins++], WIRE_TEXT_MAX, "%s", code);
	return E_OK;
}

/* Writes the batch's deltas and bin recounts. */
static int
ingest_flush(struct ingest_ctx *c, struct err *e)
{
	sqlite3_stmt *up = ST(c, ST_AGG), *bin = ST(c, ST_BIN_RECOUNT), *gone = ST(c, ST_BIN_GONE);
	size_t i;
	int rc = E_OK, j, zero;

	for (i = 0; i < c->nd && rc == E_OK; i++) {
		for (j = 0, zero = 1; j < 5; j++)
			zero &= c->d[i].v[j] == 0;
		if (zero)
			continue;
		sqlite3_bind_int64(up, 1, c->d[i].day);
		sqlite3_bind_int64(up, 2, (sqlite3_int64)c->sid);
		sqlite3_bind_text(up, 3, c->d[i].kind, -1, SQLITE_STATIC);
		for (j = 0; j < 5; j++)
			sqlite3_bind_int64(up, 4 + j, c->d[i].v[j]);
		if (sqlite3_step(up) != SQLITE_DONE)
			rc = sqlerr(c->db, e, "aggregates");
		sqlite3_reset(up);
	}
	for (i = 0; i < c->nbins && rc == E_OK; i++) {
		sqlite3_bind_int64(bin, 1, (sqlite3_int64)c->sid);
		sqlite3_bind_text(bin, 2, c->bins[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(gone, 1, (sqlite3_int64)c->sid);
		sqlite3_bind_text(gone, 2, c->bins[i], -1, SQLITE_STATIC);
		if (sqlite3_step(bin) != SQLITE_DONE || sqlite3_step(gone) != SQLITE_DONE)
			rc = sqlerr(c->db, e, "bins");
		sqlite3_reset(bin);
		sqlite3_reset(gone);
	}
	return rc;
}

/* The aggregates' share of a newly stored version v. */
static int
ingest_aggregate(struct ingest_ctx *c, const struct stored *v, struct err *e)
{
	struct contrib after, ex;
	int first = v->action == FACTS_ADD && v->root == v->seq, rc;
	uint64_t target = 0;
	const char *code;
	sqlite3_stmt *st;

	/* the common case, a first version nothing else names: its own facts */
	if (first && (rc = contrib_own(c, v, &after, e)) != 0) {
		if (rc < 0 || (rc = delta_add(c, &after, 1, e)) != E_OK)
			return E_IO;
	} else if ((rc = delta_record(c, v->root, v->seq, first, &after, e)) != E_OK)
		return rc;
	/* an exit (or a new version of one) changes whether its visitor is inside */
	if (strcmp(v->kind, "exit") == 0) {
		if (first)
			target = v->entry;
		else {
			st = ST(c, ST_EXIT_ENTRY);
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
			sqlite3_bind_int64(st, 2, (sqlite3_int64)v->root);
			if ((rc = sqlite3_step(st)) == SQLITE_ROW)
				target = (uint64_t)sqlite3_column_int64(st, 0);
			else if (rc != SQLITE_DONE)
				return sqlerr(c->db, e, "aggregates");
			sqlite3_reset(st);
		}
		if (target > 0 && (rc = delta_record(c, target, v->seq, 0, &ex, e)) != E_OK)
			return rc;
	}
	if (strcmp(v->kind, "bin") != 0 && strcmp(v->kind, "collection") != 0)
		return E_OK;
	/* the common case, a new registration or collection that is its record's latest */
	if (first && v->bin != NULL && after.has && after.latest == v->seq) {
		st = strcmp(v->kind, "bin") == 0 ? ST(c, ST_BIN_ADD) : ST(c, ST_BIN_COL);
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
		sqlite3_bind_text(st, 2, v->bin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, after.at);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? E_OK : sqlerr(c->db, e, "bins");
	}
	/* else recount every bin any version of this record names */
	if (v->bin != NULL && (rc = bin_mark(c, v->bin, e)) != E_OK)
		return rc;
	st = ST(c, ST_BINS_OF);
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)v->root);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((code = (const char *)sqlite3_column_text(st, 0)) != NULL &&
		    (rc = bin_mark(c, code, e)) != E_OK) {
			sqlite3_reset(st);
			return rc;
		}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? E_OK : sqlerr(c->db, e, "bins");
}

/* A version that arrives after retention purged its record comes in purged too: its new
 * row (seq) is rewritten. */
static int
ingest_purged(struct ingest_ctx *c, uint64_t root, const char *kind, const char *body,
    uint64_t seq, struct err *e)
{
	sqlite3_stmt *st = ST(c, ST_PURGED);
	char *nb;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)root);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return E_OK;	/* not purged */
	if (rc != SQLITE_ROW)
		return sqlerr(c->db, e, "purge");
	if ((nb = hub_body_purge(kind, body)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	st = ST(c, ST_REPURGE);
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, nb, -1, free);
	sqlite3_bind_int64(st, 2, clock_now_ms());
	sqlite3_bind_int64(st, 3, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)seq);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? E_OK : sqlerr(c->db, e, "purge");
}

/* A conflicting copy (conflicts row id) of a record already purged is purged too. */
static int
conflict_purged(struct ingest_ctx *c, uint64_t seq, const char *kind, const char *body,
    int64_t id, struct err *e)
{
	sqlite3_stmt *st = ST(c, ST_CONFLICT_PURGED);
	char *nb;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return E_OK;
	if (rc != SQLITE_ROW)
		return sqlerr(c->db, e, "purge");
	if ((nb = hub_body_purge(kind, body)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	st = ST(c, ST_CONFLICT_REPURGE);
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, nb, -1, free);
	sqlite3_bind_int64(st, 2, clock_now_ms());
	sqlite3_bind_int64(st, 3, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? E_OK : sqlerr(c->db, e, "purge");
}

/* A station's hw and the largest seq it holds, before a batch. */
static int
station_marks(struct ingest_ctx *c, uint64_t *hw, struct err *e)
{
	sqlite3_stmt *st = ST(c, ST_STATION);
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
	rc = sqlite3_step(st);
	*hw = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
	c->held_max = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 1) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sqlerr(c->db, e, "hw");
}

/* Advances hw over the contiguous seqs held after it: every seq of the batch r[0..n) is
 * held now (stored, a resend, a conflict with a held copy, or put aside), so a batch that
 * continues hw moves it to its last seq at once; then the seqs held beyond are walked. */
static int
advance_hw(struct ingest_ctx *c, const struct wire_record *r, size_t n, uint64_t *hw,
    struct err *e)
{
	sqlite3_stmt *st = ST(c, ST_HELD_AFTER);
	uint64_t h = *hw;
	size_t i;
	int rc;

	if (n > 0 && r[0].seq == h + 1 && r[n - 1].seq == h + n) {
		for (i = 1; i < n; i++)
			assert(r[i].seq == r[i - 1].seq + 1);
		h = r[n - 1].seq;
	}
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)h);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    (uint64_t)sqlite3_column_int64(st, 0) == h + 1)
		h++;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sqlerr(c->db, e, "hw");
	*hw = h;
	return E_OK;
}

/* The station's hw and counters and the minute's arrivals after a batch. */
static int
ingest_counters(struct ingest_ctx *c, const struct hub_ingest *res, uint64_t held_q,
    uint64_t nconf, uint64_t max_seq, int64_t now_ms, struct err *e)
{
	sqlite3_stmt *st = ST(c, ST_COUNTERS);
	int rc;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(res->inserted + held_q));
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max_seq);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)nconf);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)res->quarantined);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)res->hw);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sqlerr(c->db, e, "counters");
	if (res->inserted == 0)
		return E_OK;
	st = ST(c, ST_ARRIVALS);
	sqlite3_bind_int64(st, 1, now_ms / 60000);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)res->inserted);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sqlerr(c->db, e, "arrivals");
	/* a day of minutes is all top shows */
	st = ST(c, ST_ARRIVALS_OLD);
	sqlite3_bind_int64(st, 1, now_ms / 60000 - 1440);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? E_OK : sqlerr(c->db, e, "arrivals");
}

/* Whether the quarantine holds any of the station's seqs from..to (c->aside). */
static int
batch_aside(struct ingest_ctx *c, uint64_t from, uint64_t to, struct err *e)
{
	sqlite3_stmt *st = ST(c, ST_ASIDE);
	int rc;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)to);
	rc = sqlite3_step(st);
	c->aside = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? E_OK : sqlerr(c->db, e, "quarantine");
}

/* Puts record r aside byte for byte; it counts towards hw like a record. 1 if stored, 0 if
 * held already, -1 on error. */
static int
ingest_quarantine(struct ingest_ctx *c, const struct wire_record *r, int64_t now_ms,
    const uint8_t hash[32], struct err *e)
{
	sqlite3_stmt *qua = ST(c, ST_QUARANTINE);
	int rc;

	sqlite3_bind_int64(qua, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(qua, 2, (sqlite3_int64)r->seq);
	sqlite3_bind_blob(qua, 3, r->kind, (int)strlen(r->kind), SQLITE_STATIC);
	sqlite3_bind_int64(qua, 4, r->created_ms);
	sqlite3_bind_int64(qua, 5, now_ms);
	sqlite3_bind_blob(qua, 6, r->body, (int)r->body_len, SQLITE_STATIC);
	sqlite3_bind_blob(qua, 7, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(qua);
	sqlite3_reset(qua);
	if (rc != SQLITE_DONE)
		return sqlerr(c->db, e, "quarantine"), -1;
	return sqlite3_changes(c->db) == 1;
}

/* Inserts record r with its facts v (bad: not JSON). 1 if stored, 0 if its seq is held
 * already, -1 on error. */
static int
ingest_insert(struct ingest_ctx *c, const struct wire_record *r, const struct stored *v,
    int bad, int clock_flag, int64_t now_ms, const uint8_t hash[32], struct err *e)
{
	sqlite3_stmt *ins = ST(c, c->aside ? ST_INSERT_ASIDE : ST_INSERT);
	int rc;

	sqlite3_bind_int64(ins, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(ins, 2, (sqlite3_int64)r->seq);
	sqlite3_bind_text(ins, 3, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 4, r->created_ms);
	sqlite3_bind_int64(ins, 5, now_ms);
	sqlite3_bind_int(ins, 6, clock_flag);
	sqlite3_bind_text(ins, 7, r->body, (int)r->body_len, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 8, hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(ins, 9, action_names[v->action], -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 10, (sqlite3_int64)v->root);
	sqlite3_bind_int64(ins, 11, v->day);
	sqlite3_bind_int(ins, 12, v->f->fever);
	sqlite3_bind_int(ins, 13, v->f->released);
	sqlite3_bind_int(ins, 14, v->f->flagged);
	sqlite3_bind_int(ins, 15, bad);
	if (v->bin != NULL)
		sqlite3_bind_text(ins, 16, v->bin, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(ins, 16);
	if (v->entry != 0)
		sqlite3_bind_int64(ins, 17, (sqlite3_int64)v->entry);
	else
		sqlite3_bind_null(ins, 17);
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	if (rc != SQLITE_DONE)
		return sqlerr(c->db, e, "insert"), -1;
	return sqlite3_changes(c->db) == 1;
}

/* A seq held already with another hash: the copy is kept as a conflict. 1 if this copy is
 * new, 0 if a resend (same hash) or a copy kept before, -1 on error; *conflict 1 if the
 * hashes differ. */
static int
ingest_conflict(struct ingest_ctx *c, const struct wire_record *r, int64_t now_ms,
    const uint8_t hash[32], int *conflict, struct err *e)
{
	sqlite3_stmt *get = ST(c, ST_HASH), *con = ST(c, ST_CONFLICT);
	int rc;

	sqlite3_bind_int64(get, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(get, 2, (sqlite3_int64)r->seq);
	if (sqlite3_step(get) != SQLITE_ROW) {
		sqlite3_reset(get);
		return sqlerr(c->db, e, "lookup"), -1;
	}
	*conflict = !(sqlite3_column_bytes(get, 0) == 32 &&
	    memcmp(sqlite3_column_blob(get, 0), hash, 32) == 0);
	sqlite3_reset(get);
	if (!*conflict)
		return 0;
	sqlite3_bind_int64(con, 1, (sqlite3_int64)c->sid);
	sqlite3_bind_int64(con, 2, (sqlite3_int64)r->seq);
	sqlite3_bind_text(con, 3, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(con, 4, r->created_ms);
	sqlite3_bind_int64(con, 5, now_ms);
	sqlite3_bind_text(con, 6, r->body, (int)r->body_len, SQLITE_STATIC);
	sqlite3_bind_blob(con, 7, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(con);
	sqlite3_reset(con);
	if (rc != SQLITE_DONE)
		return sqlerr(c->db, e, "conflict"), -1;
	return sqlite3_changes(c->db) == 1;
}

/* Stores one batch (res zeroed) inside the transaction the caller holds, its statements
 * prepared (stmts_ready), and leaves them idle. On error res holds nothing (the caller
 * rolls back what the batch wrote). Crash point "mid_batch". */
static int
ingest_batch(struct sq_store *ss, const struct hub_station *s, const struct wire_record *r,
    size_t n, int64_t now_ms, struct hub_ingest *res, struct err *e)
{
	sqlite3 *db = ss->db;
	struct ingest_ctx c;
	struct stored v;
	struct facts f;
	uint64_t nconf = 0, max_seq = 0, held_q = 0;
	uint8_t hash[32];
	size_t i;
	int rc = E_IO, flag, bad, got, conflict, thr = default_threshold();

	memset(&c, 0, sizeof c);
	c.s = ss;
	c.db = db;
	c.sid = s->id;
	assert(!sqlite3_get_autocommit(db));
	if ((res->conflicts = calloc(n ? n : 1, sizeof *res->conflicts)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if ((rc = station_marks(&c, &res->hw, e)) != E_OK ||
	    (n > 0 && (rc = batch_aside(&c, r[0].seq, r[n - 1].seq, e)) != E_OK))
		goto out;
	rc = E_IO;
	for (i = 0; i < n; i++) {
		if (i == n / 2)
			crash_point("mid_batch");
		assert(r[i].seq > 0);
		assert(i == 0 || r[i].seq > r[i - 1].seq);
		wire_record_hash(s->uid, &r[i], hash);
		flag = r[i].created_ms > now_ms + CLOCK_AHEAD_MS ||
		    r[i].created_ms < CLOCK_EPOCH_MS;
		if (r[i].bad) {
			if ((got = ingest_quarantine(&c, &r[i], now_ms, hash, e)) < 0)
				goto out;
			if (got) {
				res->quarantined++;
				held_q++;
				if (r[i].seq > max_seq)
					max_seq = r[i].seq;
				continue;
			}
			goto held;	/* a resend or a conflict, as a good copy would be */
		}
		/* the facts, read once in C (facts.c); a body that is not JSON is stored marked */
		bad = facts_read(r[i].kind, r[i].body, r[i].body_len, thr, &f) != 0;
		if (bad)
			memset(&f, 0, sizeof f);
		v.seq = r[i].seq;
		v.root = f.root > 0 ? (uint64_t)f.root : r[i].seq;
		v.kind = r[i].kind;
		v.created_ms = r[i].created_ms;
		v.day = clock_day(r[i].created_ms, f.tz_min);
		v.action = f.action;
		v.f = &f;
		v.bin = f.code[0] != '\0' ? f.code : NULL;
		v.entry = strcmp(r[i].kind, "exit") == 0 ? (uint64_t)f.ref : 0;
		if ((got = ingest_insert(&c, &r[i], &v, bad, flag, now_ms, hash, e)) < 0)
			goto out;
		if (got) {
			res->inserted++;
			if (r[i].seq > max_seq)
				max_seq = r[i].seq;
			if (bad) {
				res->quarantined++;
				continue;
			}
			if ((rc = ingest_aggregate(&c, &v, e)) != E_OK)
				goto out;
			if (v.root != r[i].seq && (rc = ingest_purged(&c, v.root, r[i].kind,
			    r[i].body, r[i].seq, e)) != E_OK)
				goto out;
			rc = E_IO;
			continue;
		}
held:
		if ((got = ingest_conflict(&c, &r[i], now_ms, hash, &conflict, e)) < 0)
			goto out;
		if (!conflict) {
			res->duplicates++;
			continue;
		}
		res->conflicts[res->nconflicts++] = r[i].seq;
		if (got) {
			nconf++;
			/* the copy held says which record it is */
			if ((rc = conflict_purged(&c, r[i].seq, r[i].kind, r[i].body,
			    sqlite3_last_insert_rowid(db), e)) != E_OK)
				goto out;
			rc = E_IO;
		}
	}
	if (ingest_flush(&c, e) != E_OK || advance_hw(&c, r, n, &res->hw, e) != E_OK ||
	    ingest_counters(&c, res, held_q, nconf, max_seq, now_ms, e) != E_OK)
		goto out;
	rc = E_OK;
out:
	stmts_idle(ss);
	free(c.d);
	free(c.bins);
	if (rc != E_OK) {
		free(res->conflicts);
		memset(res, 0, sizeof *res);
	}
	return rc;
}

static int
sq_ingest(struct hub_store *hs, const struct hub_station *s, const struct wire_record *r,
    size_t n, int64_t now_ms, struct hub_ingest *res, struct err *e)
{
	struct sq_store *ss = (struct sq_store *)hs;
	sqlite3 *db = ss->db;
	int rc;

	if ((rc = stmts_ready(ss, e)) != E_OK)
		return rc;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "begin");
	if ((rc = ingest_batch(ss, s, r, n, now_ms, res, e)) == E_OK) {
		crash_point("before_commit");
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			rc = sqlerr(db, e, "commit");
			free(res->conflicts);
			memset(res, 0, sizeof *res);
		}
	}
	if (rc != E_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Every batch of a group that failed as a whole (nothing stored): rc and e for each. */
static int
group_failed(struct hub_batch *b, size_t n, int rc, const struct err *e)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(b[i].res.conflicts);
		memset(&b[i].res, 0, sizeof b[i].res);
		b[i].rc = rc;
		b[i].e = *e;
	}
	return rc;
}

/* The group in one transaction, one commit: each batch under its own savepoint, rolled
 * back to it alone if it fails; each station stored seen in the same transaction. */
static int
sq_ingest_group(struct hub_store *hs, struct hub_batch *b, size_t n, int64_t now_ms,
    struct err *e)
{
	struct sq_store *ss = (struct sq_store *)hs;
	sqlite3 *db = ss->db;
	sqlite3_stmt *seen;
	size_t i, j;
	int rc;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			assert(b[i].st->id != b[j].st->id);
	if ((rc = stmts_ready(ss, e)) != E_OK)
		return group_failed(b, n, rc, e);
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return group_failed(b, n, sqlerr(db, e, "begin"), e);
	seen = ss->st[ST_SEEN];
	for (i = 0; i < n; i++) {
		if (sqlite3_exec(db, "SAVEPOINT batch", NULL, NULL, NULL) != SQLITE_OK) {
			rc = sqlerr(db, e, "savepoint");
			goto fail;
		}
		b[i].rc = ingest_batch(ss, b[i].st, b[i].r, b[i].n, now_ms, &b[i].res, &b[i].e);
		if (b[i].rc == E_OK) {
			sqlite3_bind_int64(seen, 1, now_ms);
			sqlite3_bind_int64(seen, 2, (sqlite3_int64)b[i].st->id);
			if (sqlite3_step(seen) != SQLITE_DONE) {
				b[i].rc = sqlerr(db, &b[i].e, "station seen");
				free(b[i].res.conflicts);
				memset(&b[i].res, 0, sizeof b[i].res);
			}
			sqlite3_reset(seen);
		}
		/* a statement error that ended the whole transaction (SQLite rolls back by
		 * itself on some: a full disk, I/O) loses the group, not only this batch */
		if (sqlite3_get_autocommit(db)) {
			*e = b[i].e;
			return group_failed(b, n, b[i].rc != E_OK ? b[i].rc : E_IO, e);
		}
		if ((b[i].rc != E_OK && sqlite3_exec(db, "ROLLBACK TO batch", NULL, NULL,
		    NULL) != SQLITE_OK) || sqlite3_exec(db, "RELEASE batch", NULL, NULL,
		    NULL) != SQLITE_OK) {
			rc = sqlerr(db, e, "savepoint");
			goto fail;
		}
	}
	crash_point("before_commit");
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return E_OK;
	rc = sqlerr(db, e, "commit");
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return group_failed(b, n, rc, e);
}

/* ---- settings and watchlist ---- */

static int
sq_items_set(struct hub_store *hs, int kind, const struct wire_item *it, size_t n,
    struct err *e)
{
	sqlite3 *db = DB(hs);
	sqlite3_stmt *st;
	size_t i;
	int rc = E_OK;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "begin");
	if (prep(db, "INSERT INTO items(kind, key, value, extra, ver, deleted) VALUES(?1, ?2, ?3, "
	    "?5, (SELECT coalesce(max(ver), 0) + 1 FROM items WHERE kind = ?1), ?4) "
	    "ON CONFLICT(kind, key) DO UPDATE SET value = excluded.value, ver = excluded.ver, "
	    "extra = excluded.extra, deleted = excluded.deleted", &st, e) != E_OK) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return E_IO;
	}
	for (i = 0; i < n && rc == E_OK; i++) {
		sqlite3_bind_int(st, 1, kind);
		sqlite3_bind_text(st, 2, it[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, it[i].value != NULL ? it[i].value : "", -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, it[i].deleted != 0);
		sqlite3_bind_text(st, 5, it[i].extra != NULL ? it[i].extra : "", -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sqlerr(db, e, "item");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (rc == E_OK && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = sqlerr(db, e, "commit");
	if (rc != E_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int
sq_item_latest(struct hub_store *hs, int kind, uint64_t *ver, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (prep(DB(hs), "SELECT coalesce(max(ver), 0) FROM items WHERE kind = ?1", &st, e) !=
	    E_OK)
		return E_IO;
	sqlite3_bind_int(st, 1, kind);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*ver = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? E_OK : sqlerr(DB(hs), e, "items");
}

static int
sq_items_pull(struct hub_store *hs, int kind, uint64_t since, struct wire_msg *m,
    struct err *e)
{
	sqlite3 *db = DB(hs);
	uint64_t latest;
	struct wire_item *it;
	sqlite3_stmt *st;
	size_t n = 0, cap = 16;
	int snapshot, rc;

	if ((rc = sq_item_latest(hs, kind, &latest, e)) != E_OK)
		return rc;
	snapshot = since == 0 || since > latest;
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
			if (p == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
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
		return rc == SQLITE_NOMEM ? err_set(e, E_IO, "%s", _("out of memory")) :
		    sqlerr(db, e, "items");
	}
	return E_OK;
}

static int
sq_items_list(struct hub_store *hs, int kind, int (*fn)(const struct wire_item *, void *),
    void *arg, struct err *e)
{
	sqlite3 *db = DB(hs);
	struct wire_item it;
	sqlite3_stmt *st;
	int rc;

	if (prep(db, "SELECT key, value, extra, ver FROM items WHERE kind = ?1 AND deleted = 0 "
	    "ORDER BY key", &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_int(st, 1, kind);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&it, 0, sizeof it);
		it.key = (char *)sqlite3_column_text(st, 0);
		it.value = (char *)sqlite3_column_text(st, 1);
		it.extra = (char *)sqlite3_column_text(st, 2);
		it.ver = (uint64_t)sqlite3_column_int64(st, 3);
		if (fn(&it, arg) != 0)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sqlerr(db, e, "items");
}

/* ---- reports ---- */

/* The stations of span as a JSON array for json_each (NULL for all): malloc'd. */
static int
span_ids(const struct hub_span *sp, char **out, struct err *e)
{
	size_t i, len = 0;
	char *ids;

	*out = NULL;
	if (sp->nstations == 0)
		return E_OK;
	if ((ids = malloc(sp->nstations * 21 + 2)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	ids[len++] = '[';
	for (i = 0; i < sp->nstations; i++)
		len += (size_t)sprintf(ids + len, "%s%llu", i ? "," : "",
		    (unsigned long long)sp->stations[i]);
	ids[len++] = ']';
	ids[len] = '\0';
	*out = ids;
	return E_OK;
}

/* Whether the station of alias a is one of ?3's (or ?3 is NULL: every station). */
#define IN_SPAN(a) "(?3 IS NULL OR " a ".station_id IN (SELECT value FROM json_each(?3)))"

static int
sq_report_totals(struct hub_store *hs, const struct hub_span *sp,
    int (*fn)(const struct hub_total *, void *), void *arg, struct err *e)
{
	sqlite3 *db = DB(hs);
	struct hub_total t;
	sqlite3_stmt *st;
	char *ids;
	int rc;

	if ((rc = span_ids(sp, &ids, e)) != E_OK)
		return rc;
	/* one short read: the days of the span, walked by the primary key (day first) */
	if (prep(db, "SELECT s.name, a.kind, sum(a.records), sum(a.fevers), sum(a.released),"
	    " sum(a.flagged), sum(a.inside) FROM agg_day a JOIN stations s ON s.id = a.station_id"
	    " WHERE a.day >= ?1 AND a.day < ?2 AND " IN_SPAN("a") " GROUP BY s.name, a.kind"
	    " HAVING sum(a.records) > 0 ORDER BY s.name, a.kind", &st, e) != E_OK) {
		free(ids);
		return E_IO;
	}
	sqlite3_bind_int64(st, 1, sp->day_from);
	sqlite3_bind_int64(st, 2, sp->day_to);
	if (ids != NULL)
		sqlite3_bind_text(st, 3, ids, -1, free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t.station = (const char *)sqlite3_column_text(st, 0);
		t.kind = (const char *)sqlite3_column_text(st, 1);
		t.records = sqlite3_column_int64(st, 2);
		t.fevers = sqlite3_column_int64(st, 3);
		t.released = sqlite3_column_int64(st, 4);
		t.flagged = sqlite3_column_int64(st, 5);
		t.inside = sqlite3_column_int64(st, 6);
		if (fn(&t, arg) != 0)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sqlerr(db, e, "report");
}

static int
sq_report_bins(struct hub_store *hs, const struct hub_span *sp, int64_t now_ms,
    int64_t window_ms, int (*fn)(const char *, const char *, int64_t, void *), void *arg,
    struct err *e)
{
	sqlite3 *db = DB(hs);
	sqlite3_stmt *st;
	char *ids;
	int rc;

	if ((rc = span_ids(sp, &ids, e)) != E_OK)
		return rc;
	if (prep(db, "SELECT s.name, b.code, coalesce(b.last_ms, 0) FROM bin_state b JOIN"
	    " stations s ON s.id = b.station_id WHERE b.since_ms IS NOT NULL AND"
	    " coalesce(b.last_ms, b.since_ms) < ?1 - ?2 AND " IN_SPAN("b")
	    " ORDER BY s.name, b.code", &st, e) != E_OK) {
		free(ids);
		return E_IO;
	}
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, window_ms);
	if (ids != NULL)
		sqlite3_bind_text(st, 3, ids, -1, free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn((const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2), arg) != 0)
			break;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sqlerr(db, e, "report");
}

static int
sq_arrivals(struct hub_store *hs, int64_t now_ms, int n, int64_t *counts, struct err *e)
{
	sqlite3 *db = DB(hs);
	sqlite3_stmt *st;
	int64_t m;
	int rc;

	if (prep(db, "SELECT ?1 - minute, n FROM arrivals WHERE minute > ?1 - ?2 AND"
	    " minute <= ?1", &st, e) != E_OK)
		return E_IO;
	sqlite3_bind_int64(st, 1, now_ms / 60000);
	sqlite3_bind_int64(st, 2, n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m = sqlite3_column_int64(st, 0);
		if (m >= 0 && m < n)
			counts[m] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? E_OK : sqlerr(db, e, "arrivals");
}

/* Runs sql (one row: a description of the first difference, or none) for verify. */
static int
verify_one(sqlite3 *db, const char *what, const char *sql, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (prep(db, sql, &st, e) != E_OK)
		return E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = err_set(e, E_DAMAGED, "hub store: %s differ from a recount: %s", what,
		    (const char *)sqlite3_column_text(st, 0));
	else
		rc = rc == SQLITE_DONE ? E_OK : sqlerr(db, e, "verify");
	sqlite3_finalize(st);
	return rc;
}

static int
sq_verify(struct hub_store *hs, struct err *e)
{
	sqlite3 *db = DB(hs);
	int rc;

	if ((rc = verify_one(db, "day aggregates",
	    "SELECT printf('day %d, station %d, kind %s', day, station_id, kind) FROM ("
	    "SELECT * FROM (SELECT day, station_id, kind, records, fevers, released, flagged,"
	    " inside FROM agg_day WHERE records <> 0 OR fevers <> 0 OR released <> 0 OR"
	    " flagged <> 0 OR inside <> 0 EXCEPT SELECT * FROM recount_day) UNION ALL "
	    "SELECT * FROM (SELECT * FROM recount_day EXCEPT SELECT day, station_id, kind,"
	    " records, fevers, released, flagged, inside FROM agg_day)) LIMIT 1", e)) != E_OK)
		return rc;
	if ((rc = verify_one(db, "bins",
	    "SELECT printf('station %d, bin %s', sid, code) FROM ("
	    "SELECT * FROM (SELECT station_id AS sid, code, since_ms, last_ms FROM bin_state"
	    " EXCEPT SELECT * FROM recount_bins) UNION ALL "
	    "SELECT * FROM (SELECT * FROM recount_bins EXCEPT SELECT station_id, code, since_ms,"
	    " last_ms FROM bin_state)) LIMIT 1", e)) != E_OK)
		return rc;
	return verify_one(db, "station counters",
	    "SELECT s.name FROM stations s WHERE s.held <> " COUNT_HELD("s.id") " OR"
	    " s.max_seq <> " COUNT_MAX("s.id") " OR s.nconflicts <> (SELECT count(*) FROM"
	    " conflicts c WHERE c.station_id = s.id) OR s.quarantined <> "
	    COUNT_QUARANTINED("s.id") " LIMIT 1", e);
}

/* ---- export cursor: keyset pages, each its own short read ---- */

#define EXPORT_PAGE 2000

struct sq_export {
	struct hub_export base;
	sqlite3_stmt *st;	/* the current page of the current station */
	uint64_t *ids;		/* stations by name */
	char (*names)[65], (*uids)[WIRE_STATION_UID + 1];
	size_t n, at;		/* stations, the current one */
	uint64_t after;		/* the last seq given of the current station */
	int rows;		/* rows given from the current page */
	struct hub_export_row row;
};

static int
export_station(const struct hub_station *s, void *arg)
{
	struct sq_export *c = arg;
	size_t cap = c->n + 1;
	void *a, *b, *d;

	if ((a = realloc(c->ids, cap * sizeof *c->ids)) != NULL)
		c->ids = a;
	if ((b = realloc(c->names, cap * sizeof *c->names)) != NULL)
		c->names = b;
	if ((d = realloc(c->uids, cap * sizeof *c->uids)) != NULL)
		c->uids = d;
	if (a == NULL || b == NULL || d == NULL)
		return 1;
	c->ids[c->n] = s->id;
	snprintf(c->names[c->n], sizeof c->names[0], "%s", s->name);
	snprintf(c->uids[c->n], sizeof c->uids[0], "%s", s->uid);
	c->n++;
	return 0;
}

static void
sq_export_close(struct hub_export *hc)
{
	struct sq_export *c = (struct sq_export *)hc;

	sqlite3_finalize(c->st);
	free(c->ids);
	free(c->names);
	free(c->uids);
	free(c);
}

static int
sq_export_open(struct hub_store *hs, const char *station, struct hub_export **out,
    struct err *e)
{
	struct sq_export *c;
	struct hub_station s;
	int rc;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	c->base.store = hs;
	c->base.page = EXPORT_PAGE;
	if (station != NULL) {
		if ((rc = sq_station_by_name(hs, station, &s, e)) == E_OK &&
		    export_station(&s, c) != 0)
			rc = err_set(e, E_IO, "%s", _("out of memory"));
	} else if ((rc = sq_stations(hs, export_station, c, e)) == E_OK &&
	    sqlite3_errcode(DB(hs)) == SQLITE_NOMEM)
		rc = err_set(e, E_IO, "%s", _("out of memory"));
	if (rc == E_OK)
		rc = prep(DB(hs), "SELECT seq, kind, created_ms, received_ms, clock_flag, body,"
		    " purged_ms IS NOT NULL, bad FROM records WHERE station_id = ?1 AND seq > ?2"
		    " ORDER BY seq LIMIT ?3", &c->st, e);
	if (rc != E_OK) {
		sq_export_close(&c->base);
		return rc;
	}
	c->rows = -1;	/* start a page at once */
	*out = &c->base;
	return E_OK;
}

static int
sq_export_next(struct hub_export *hc, const struct hub_export_row **row, struct err *e)
{
	struct sq_export *c = (struct sq_export *)hc;
	int rc;

	for (;;) {
		if (c->at >= c->n)
			return 0;
		if (c->rows < 0 || (unsigned)c->rows >= c->base.page) {
			/* the next page: reset ends the previous read, so no snapshot is held */
			sqlite3_reset(c->st);
			sqlite3_bind_int64(c->st, 1, (sqlite3_int64)c->ids[c->at]);
			sqlite3_bind_int64(c->st, 2, (sqlite3_int64)c->after);
			sqlite3_bind_int64(c->st, 3, (sqlite3_int64)c->base.page);
			c->rows = 0;
		}
		rc = sqlite3_step(c->st);
		if (rc == SQLITE_ROW)
			break;
		if (rc != SQLITE_DONE) {
			sqlerr(DB(c->base.store), e, "export");
			return -1;
		}
		if ((unsigned)c->rows < c->base.page) {
			/* a short page: this station is done */
			c->at++;
			c->after = 0;
		}
		c->rows = -1;
	}
	c->rows++;
	c->after = (uint64_t)sqlite3_column_int64(c->st, 0);
	c->row.station = c->names[c->at];
	c->row.station_uid = c->uids[c->at];
	c->row.seq = c->after;
	c->row.kind = (const char *)sqlite3_column_text(c->st, 1);
	c->row.created_ms = sqlite3_column_int64(c->st, 2);
	c->row.received_ms = sqlite3_column_int64(c->st, 3);
	c->row.clock_flag = sqlite3_column_int(c->st, 4);
	c->row.body = (const char *)sqlite3_column_text(c->st, 5);
	c->row.body_len = (size_t)sqlite3_column_bytes(c->st, 5);
	c->row.purged = sqlite3_column_int(c->st, 6);
	c->row.body_json = !sqlite3_column_int(c->st, 7);
	*row = &c->row;
	return 1;
}

/* ---- retention ---- */

/* Rewrites the body of one stored row (records or conflicts, by rowid-ish key) purged. */
static int
purge_rewrite(sqlite3_stmt *get, sqlite3_stmt *put, int64_t now_ms, int64_t *count,
    struct err *e)
{
	const char *kind, *body;
	char *nb;
	int rc;

	while ((rc = sqlite3_step(get)) == SQLITE_ROW) {
		kind = (const char *)sqlite3_column_text(get, 1);
		body = (const char *)sqlite3_column_text(get, 2);
		if ((nb = hub_body_purge(kind, body)) == NULL) {
			sqlite3_reset(get);
			return err_set(e, E_IO, "%s", _("out of memory"));
		}
		sqlite3_bind_text(put, 1, nb, -1, free);
		sqlite3_bind_int64(put, 2, now_ms);
		sqlite3_bind_value(put, 3, sqlite3_column_value(get, 0));
		rc = sqlite3_step(put);
		sqlite3_reset(put);
		if (rc != SQLITE_DONE) {
			sqlite3_reset(get);
			return E_IO;
		}
		(*count)++;
	}
	sqlite3_reset(get);
	return rc == SQLITE_DONE ? E_OK : E_IO;
}

static int
sq_purge_step(struct hub_store *hs, int64_t cutoff_ms, size_t max, struct hub_purge *res,
    struct err *e)
{
	sqlite3 *db = DB(hs);
	sqlite3_stmt *roots = NULL, *vget = NULL, *vput = NULL, *cget = NULL, *cput = NULL;
	int64_t now = clock_now_ms(), sid, seq;
	size_t n = 0;
	int rc;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "begin");
	/* station by station, each one's unpurged records by time (records_unpurged, v5) */
	if ((rc = prep(db, "SELECT r.station_id, r.seq FROM stations s CROSS JOIN records r"
	    " INDEXED BY records_unpurged WHERE r.station_id = s.id AND r.action = 'add' AND"
	    " r.purged_ms IS NULL AND r.created_ms < ?1 ORDER BY s.id, r.created_ms LIMIT ?2",
	    &roots, e)) != E_OK ||
	    (rc = prep(db, "SELECT seq, kind, body FROM records INDEXED BY records_root WHERE"
	    " station_id = ?1 AND root_seq = ?2 AND purged_ms IS NULL", &vget, e)) != E_OK ||
	    (rc = prep(db, "UPDATE records SET body = ?1, purged_ms = ?2 WHERE station_id = ?4"
	    " AND seq = ?3", &vput, e)) != E_OK ||
	    (rc = prep(db, "SELECT c.id, c.kind, c.body FROM records r INDEXED BY records_root"
	    " JOIN conflicts c ON c.station_id = r.station_id AND c.seq = r.seq WHERE"
	    " r.station_id = ?1 AND r.root_seq = ?2 AND c.purged_ms IS NULL", &cget, e)) !=
	    E_OK ||
	    (rc = prep(db, "UPDATE conflicts SET body = ?1, purged_ms = ?2 WHERE id = ?3",
	    &cput, e)) != E_OK)
		goto out;
	sqlite3_bind_int64(roots, 1, cutoff_ms);
	sqlite3_bind_int64(roots, 2, (sqlite3_int64)max);
	/* the roots first (the statement reads the index the updates change) */
	{
		int64_t (*keys)[2] = malloc(max * sizeof *keys);
		size_t i;

		if (keys == NULL) {
			rc = err_set(e, E_IO, "%s", _("out of memory"));
			goto out;
		}
		while ((rc = sqlite3_step(roots)) == SQLITE_ROW && n < max) {
			keys[n][0] = sqlite3_column_int64(roots, 0);
			keys[n][1] = sqlite3_column_int64(roots, 1);
			n++;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			free(keys);
			rc = sqlerr(db, e, "purge");
			goto out;
		}
		rc = E_OK;
		for (i = 0; i < n && rc == E_OK; i++) {
			sid = keys[i][0];
			seq = keys[i][1];
			sqlite3_bind_int64(vget, 1, sid);
			sqlite3_bind_int64(vget, 2, seq);
			sqlite3_bind_int64(vput, 4, sid);
			sqlite3_bind_int64(cget, 1, sid);
			sqlite3_bind_int64(cget, 2, seq);
			if ((rc = purge_rewrite(vget, vput, now, &res->versions, e)) == E_OK)
				rc = purge_rewrite(cget, cput, now, &res->conflicts, e);
			if (rc == E_IO && e->msg[0] == '\0')
				rc = sqlerr(db, e, "purge");
			res->records++;
		}
		free(keys);
		if (rc != E_OK)
			goto out;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = sqlerr(db, e, "commit");
		goto out;
	}
	res->done = n < max;
	rc = E_OK;
out:
	sqlite3_finalize(roots);
	sqlite3_finalize(vget);
	sqlite3_finalize(vput);
	sqlite3_finalize(cget);
	sqlite3_finalize(cput);
	if (rc != E_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

const struct hubstore_ops hubstore_sqlite_ops = {
	.name = "sqlite",
	.claims = sq_claims,
	.probe = sq_probe,
	.open = sq_open,
	.close = sq_close,
	.destroy = sq_destroy,
	.keys_create = sq_keys_create,
	.keys_load = sq_keys_load,
	.meta_get = sq_meta_get,
	.meta_set = sq_meta_set,
	.station_add = sq_station_add,
	.station_by_key = sq_station_by_key,
	.station_by_name = sq_station_by_name,
	.enroll_complete = sq_enroll_complete,
	.station_revoke = sq_station_revoke,
	.station_seen = sq_station_seen,
	.stations = sq_stations,
	.ingest = sq_ingest,
	.ingest_group = sq_ingest_group,
	.items_set = sq_items_set,
	.item_latest = sq_item_latest,
	.items_pull = sq_items_pull,
	.items_list = sq_items_list,
	.report_totals = sq_report_totals,
	.report_bins = sq_report_bins,
	.arrivals = sq_arrivals,
	.verify = sq_verify,
	.export_open = sq_export_open,
	.export_next = sq_export_next,
	.export_close = sq_export_close,
	.purge_step = sq_purge_step,
	.checkpoint = sq_checkpoint,
};
