/* logbook.c — opening a station's logbook: the schema, its migrations (PRAGMA user_version,
 * one transaction each), creating a new one, and the struct the other storage files share. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/text.h"
#include "crypto/vault.h"
#include "storage/clock.h"
#include "storage/logbook.h"
#include "storage/store.h"

/* Version 1: records, settings, session, watchlist, outbox mark. Kept verbatim forever (the
 * migration test holds a copy): a file made by version 1 must still open. */
static const char schema_v1[] =
    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL,"
    " version INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE session(id INTEGER PRIMARY KEY CHECK (id = 1), operator TEXT NOT NULL,"
    " shift INTEGER NOT NULL);"
    "CREATE TABLE records(seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    " action TEXT NOT NULL CHECK (action IN ('add', 'correct', 'delete')),"
    " ref_seq INTEGER, root_seq INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
    " tz_min INTEGER NOT NULL, operator TEXT NOT NULL, shift INTEGER NOT NULL,"
    " body TEXT NOT NULL, purged_ms INTEGER);"
    "CREATE INDEX records_root ON records(root_seq, seq);"
    "CREATE INDEX records_ref ON records(ref_seq) WHERE ref_seq IS NOT NULL;"
    "CREATE INDEX records_kind ON records(kind, created_ms);"
    "CREATE TRIGGER records_fixed BEFORE UPDATE OF seq, kind, action, ref_seq, root_seq,"
    " created_ms, tz_min, operator, shift ON records"
    " BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;"
    "CREATE TRIGGER records_purge_only BEFORE UPDATE OF body ON records"
    " WHEN NEW.purged_ms IS NULL BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;"
    "CREATE TRIGGER records_no_delete BEFORE DELETE ON records"
    " BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;"
    "CREATE TABLE watchlist(type TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL,"
    " until TEXT NOT NULL DEFAULT '', removed INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (type, value));"
    "CREATE TABLE outbox(id INTEGER PRIMARY KEY CHECK (id = 1), acked_seq INTEGER NOT NULL);"
    "INSERT INTO outbox VALUES (1, 0);";

/* Version 2: the prefix-search index over ID numbers, plates, phones and names, and a time
 * index for day reports; backfilled from the records already there. */
static const char schema_v2[] =
    "CREATE TABLE terms(term TEXT NOT NULL, root_seq INTEGER NOT NULL, field TEXT NOT NULL,"
    " PRIMARY KEY (term, root_seq, field)) WITHOUT ROWID;"
    "CREATE INDEX terms_root ON terms(root_seq);"
    "CREATE INDEX records_created ON records(created_ms);";

/* Version 3: partial indexes for what the screens ask for all day — fevers waiting for a
 * recheck, a household's outings, visitor entries — so they stay fast at a million records. */
static const char schema_v3[] =
    "CREATE INDEX records_fever ON records(seq) WHERE kind = 'temp' AND"
    " json_extract(body, '$.data.fever') = 1 AND json_extract(body, '$.data.recheck_of') = 0;"
    "CREATE INDEX records_household ON records(json_extract(body, '$.data.household'))"
    " WHERE kind = 'resident';"
    "CREATE INDEX records_visitor ON records(seq) WHERE kind = 'visitor';";

/* Version 4: visitors inside now as a derived table, filled from the records. */
static const char schema_v4[] =
    "CREATE TABLE inside(root_seq INTEGER PRIMARY KEY);"
    "INSERT INTO inside SELECT r.root_seq FROM records r WHERE r.kind = 'visitor' AND"
    " NOT EXISTS (SELECT 1 FROM records n WHERE n.root_seq = r.root_seq AND n.seq > r.seq)"
    " AND r.action <> 'delete' AND NOT EXISTS (SELECT 1 FROM records x WHERE"
    " x.ref_seq = r.root_seq AND x.kind = 'exit' AND x.action = 'add' AND NOT EXISTS"
    " (SELECT 1 FROM records d WHERE d.root_seq = x.seq AND d.action = 'delete'));";

/* Version 5: records by shift, for the shift report and handover. */
static const char schema_v5[] = "CREATE INDEX records_shift ON records(shift);";

/* Version 6: collections by bin, for the bins list and overdue counts. */
static const char schema_v6[] = "CREATE INDEX records_bin ON records(json_extract(body, "
				"'$.data.bin')) WHERE kind = 'collection';";

/* Version 7: fevers waiting for a recheck as a derived table (pending.c), filled from the
 * records through the partial index of version 3. */
static const char schema_v7[] =
    "CREATE TABLE pending(root_seq INTEGER PRIMARY KEY);"
    "INSERT INTO pending SELECT r.root_seq FROM records r INDEXED BY records_fever WHERE"
    " r.kind = 'temp' AND json_extract(r.body, '$.data.fever') = 1 AND"
    " json_extract(r.body, '$.data.recheck_of') = 0 AND NOT EXISTS (SELECT 1 FROM records n"
    " WHERE n.root_seq = r.root_seq AND n.seq > r.seq) AND r.action <> 'delete' AND NOT EXISTS"
    " (SELECT 1 FROM records c WHERE c.ref_seq = r.root_seq AND c.kind = 'temp' AND"
    " c.action = 'add' AND NOT EXISTS (SELECT 1 FROM records d WHERE d.root_seq = c.seq AND"
    " d.action = 'delete'));";

/* Version 8: what this station was sent and could not take — a watchlist entry or a
 * setting from the hub that does not decode or does not pass its check — put aside and
 * counted (quarantine.h) while everything else is applied. */
static const char schema_v8[] =
    "CREATE TABLE IF NOT EXISTS quarantine(what TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL,"
    " reason TEXT NOT NULL, seen_ms INTEGER NOT NULL, PRIMARY KEY (what, key, version));";

static int
backfill_terms(struct logbook *lb, struct err *e)
{
	sqlite3_stmt *st;
	struct record *r;
	int rc, x = E_OK;

	if ((rc = store_prepare(lb,
		 "SELECT " STORE_COLS " FROM records r WHERE " STORE_LATEST
		 " AND r.action <> 'delete' AND r.purged_ms IS NULL",
		 &st, e)) != E_OK)
		return rc;
	if ((r = malloc(sizeof *r)) == NULL) {
		sqlite3_finalize(st);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	while (x == E_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (store_row_record(lb, st, 0, r, NULL) == E_OK) /* unreadable: no terms */
			x = store_terms(lb, r->root_seq, r, e);
	if (x == E_OK && rc != SQLITE_DONE)
		x = store_sqlite_err(lb->db, rc, e);
	free(r);
	sqlite3_finalize(st);
	return x;
}

static int
step_v2(struct logbook *lb, struct err *e)
{
	return backfill_terms(lb, e);
}

static const struct migration {
	int to;
	const char *sql;
	int (*fn)(struct logbook *lb, struct err *e); /* after sql, may be NULL */
} migrations[] = {
    {1, schema_v1, NULL},
    {2, schema_v2, step_v2},
    {3, schema_v3, NULL},
    {4, schema_v4, NULL},
    {5, schema_v5, NULL},
    {6, schema_v6, NULL},
    {7, schema_v7, NULL},
    {8, schema_v8, NULL},
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

int
store_sqlite_err(sqlite3 *db, int rc, struct err *e)
{
	return vault_sqlite_err(db, rc, e);
}

int
store_prepare(struct logbook *lb, const char *sql, sqlite3_stmt **st, struct err *e)
{
	int rc = sqlite3_prepare_v2(lb->db, sql, -1, st, NULL);

	if (rc != SQLITE_OK)
		return store_sqlite_err(lb->db, rc, e);
	return E_OK;
}

/* Inside the caller's own transaction (a batch import, a benchmark) a write is a savepoint
 * of it, so it still succeeds or fails as a whole. */
int
store_begin(struct logbook *lb, struct err *e)
{
	int nested = !sqlite3_get_autocommit(lb->db);
	int rc =
	    sqlite3_exec(lb->db, nested ? "SAVEPOINT store" : "BEGIN IMMEDIATE", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return store_sqlite_err(lb->db, rc, e);
	lb->nested += nested;
	return E_OK;
}

int
store_commit(struct logbook *lb, struct err *e)
{
	int rc = sqlite3_exec(lb->db, lb->nested ? "RELEASE store" : "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		rc = store_sqlite_err(lb->db, rc, e);
		store_rollback(lb);
		return rc;
	}
	if (lb->nested > 0)
		lb->nested--;
	return E_OK;
}

void
store_rollback(struct logbook *lb)
{
	if (lb->nested > 0) {
		sqlite3_exec(lb->db, "ROLLBACK TO store; RELEASE store", NULL, NULL, NULL);
		lb->nested--;
	} else if (!sqlite3_get_autocommit(lb->db)) {
		sqlite3_exec(lb->db, "ROLLBACK", NULL, NULL, NULL);
	}
}

/* The one integer a statement like "PRAGMA user_version" returns. */
static int
single_int(sqlite3 *db, const char *sql, int *v, struct err *e)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return store_sqlite_err(db, rc, e);
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? E_OK : store_sqlite_err(db, rc, e);
}

static int
user_version(sqlite3 *db, int *v, struct err *e)
{
	return single_int(db, "PRAGMA user_version", v, e);
}

int
logbook_migrate(sqlite3 *db, struct err *e)
{
	struct logbook tmp;
	char sql[64];
	size_t i;
	int v, rc;

	memset(&tmp, 0, sizeof tmp);
	tmp.db = db;
	if ((rc = user_version(db, &v, e)) != E_OK)
		return rc;
	if (v > LOGBOOK_SCHEMA_VERSION)
		return err_set(e, E_DAMAGED,
		    _("the logbook has schema version %d; this outpost "
		      "knows up to %d: use a newer outpost"),
		    v, LOGBOOK_SCHEMA_VERSION);
	for (i = 0; i < NMIGRATIONS; i++) {
		if (migrations[i].to <= v)
			continue;
		assert(migrations[i].to == v + 1);
		if ((rc = store_begin(&tmp, e)) != E_OK)
			return rc;
		rc = sqlite3_exec(db, migrations[i].sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			rc = store_sqlite_err(db, rc, e);
		else if (migrations[i].fn != NULL)
			rc = migrations[i].fn(&tmp, e);
		if (rc == E_OK) {
			snprintf(sql, sizeof sql, "PRAGMA user_version = %d", migrations[i].to);
			rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
			if (rc != SQLITE_OK)
				rc = store_sqlite_err(db, rc, e);
		}
		if (rc != E_OK) {
			store_rollback(&tmp);
			return rc;
		}
		if ((rc = store_commit(&tmp, e)) != E_OK)
			return rc;
		v = migrations[i].to;
	}
	return E_OK;
}

static int
count_tables(sqlite3 *db, int *n, struct err *e)
{
	return single_int(db, "SELECT count(*) FROM sqlite_schema", n, e);
}

int
logbook_init(sqlite3 *db, const char *kind, const char *station_name, struct err *e)
{
	unsigned char id[LOGBOOK_ID_LEN / 2];
	char hex[LOGBOOK_ID_LEN + 1];
	struct logbook *lb;
	sqlite3_stmt *st;
	const struct setting_def *d;
	int n, rc, v;

	if (kind == NULL || station_kind_parse(kind) < 0)
		return err_set(e, E_INVALID,
		    _("station kind '%s' is not one of traffic, gate, "
		      "triage"),
		    kind != NULL ? kind : "");
	if (station_name == NULL || station_name[0] == '\0')
		return err_set(e, E_INVALID, "%s", _("the station needs a name (--station NAME)"));
	if (strlen(station_name) >= LOGBOOK_NAME_MAX)
		return err_set(e, E_INVALID, _("the station name is longer than %d bytes"),
		    LOGBOOK_NAME_MAX - 1);
	if ((rc = text_check(station_name, 0, _("station name"), e)) != E_OK)
		return rc;
	if ((rc = user_version(db, &v, e)) != E_OK || (rc = count_tables(db, &n, e)) != E_OK)
		return rc;
	if (v != 0 || n != 0)
		return err_set(e, E_IO, "%s",
		    _("the database is not empty: it already holds "
		      "a logbook or something else"));
	if ((rc = logbook_migrate(db, e)) != E_OK)
		return rc;
	randombytes_buf(id, sizeof id);
	sodium_bin2hex(hex, sizeof hex, id, sizeof id);
	rc = sqlite3_prepare_v2(db,
	    "INSERT INTO settings(key, value, updated_ms) "
	    "VALUES (?1, ?2, ?3)",
	    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_err(db, rc, e);
	if ((rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK) {
		rc = store_sqlite_err(db, rc, e);
		sqlite3_finalize(st);
		return rc;
	}
	for (d = settings_keys; d->key != NULL && rc == SQLITE_OK; d++) {
		const char *val = d->def;

		if (strcmp(d->key, "station_id") == 0)
			val = hex;
		else if (strcmp(d->key, "kind") == 0)
			val = kind;
		else if (strcmp(d->key, "name") == 0)
			val = station_name;
		sqlite3_bind_text(st, 1, d->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, val, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, clock_now_ms());
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(
		    db, "INSERT INTO session VALUES (1, '', 0); COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = store_sqlite_err(db, rc, e);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	/* Prove it opens. */
	if ((rc = logbook_open(db, &lb, e)) != E_OK)
		return rc;
	logbook_close(lb);
	return E_OK;
}

static int
load(struct logbook *lb, struct err *e)
{
	sqlite3_stmt *st;
	int rc, found = 0;

	if ((rc = store_prepare(lb,
		 "SELECT key, value FROM settings WHERE key IN "
		 "('station_id', 'kind') UNION ALL SELECT '', operator FROM session",
		 &st, e)) != E_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);

		if (strcmp(k, "station_id") == 0 && strlen(v) == LOGBOOK_ID_LEN) {
			memcpy(lb->station_id, v, LOGBOOK_ID_LEN + 1);
			found |= 1;
		} else if (strcmp(k, "kind") == 0 && station_kind_parse(v) > 0) {
			lb->kind = station_kind_parse(v);
			found |= 2;
		} else if (k[0] == '\0') {
			snprintf(lb->operator_name, sizeof lb->operator_name, "%s", v);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_err(lb->db, rc, e);
	if (found != 3)
		return err_set(e, E_DAMAGED, "%s", _("the logbook has no station identity"));
	if ((rc = store_prepare(lb, "SELECT shift FROM session", &st, e)) != E_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		lb->shift = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return E_OK;
}

int
logbook_open(sqlite3 *db, struct logbook **out, struct err *e)
{
	struct logbook *lb;
	int rc, v, n;

	*out = NULL;
	if ((rc = user_version(db, &v, e)) != E_OK || (rc = count_tables(db, &n, e)) != E_OK)
		return rc;
	if (v == 0)
		return err_set(e, E_DAMAGED, "%s",
		    n == 0 ? _("the logbook is empty: it was never "
			       "initialised (outpost init)")
			   : _("the database is not an outpost logbook"));
	if ((rc = logbook_migrate(db, e)) != E_OK)
		return rc;
	if ((lb = calloc(1, sizeof *lb)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	lb->db = db;
	/* The TUI and a script may write at once: wait for the other's transaction. */
	sqlite3_busy_timeout(db, 5000);
	/* Every page read from disk is authenticated and decrypted: keep a day's worth of
	 * records (20000 × ~400 bytes) and the indexes in the cache, not SQLite's 2 MB. */
	if ((rc = logbook_set_cache_kib(lb, LOGBOOK_CACHE_KIB, e)) != E_OK ||
	    (rc = load(lb, e)) != E_OK) {
		free(lb);
		return rc;
	}
	*out = lb;
	return E_OK;
}

int
logbook_set_cache_kib(struct logbook *lb, int kib, struct err *e)
{
	char sql[64];
	int rc;

	if (kib < 64)
		return err_set(e, E_INVALID, "page cache of %d KiB is below 64 KiB", kib);
	/* A negative cache_size is KiB rather than pages. */
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kib);
	if ((rc = sqlite3_exec(lb->db, sql, NULL, NULL, NULL)) != SQLITE_OK)
		return store_sqlite_err(lb->db, rc, e);
	/* Shrinking takes effect as pages are next needed; give back what is over now. */
	sqlite3_db_release_memory(lb->db);
	return E_OK;
}

int64_t
logbook_data_version(struct logbook *lb)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (store_prepare(lb, "PRAGMA data_version", &st, NULL) != E_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

void
logbook_close(struct logbook *lb)
{
	if (lb == NULL)
		return;
	sqlite3_finalize(lb->st_terms);
	sqlite3_finalize(lb->st_recent);
	sqlite3_finalize(lb->st_top);
	sqlite3_finalize(lb->st_head);
	if (lb->vault != NULL) {
		sqlite3_close(lb->db);
		vault_close(lb->vault);
	}
	free(lb);
}

sqlite3 *
logbook_db(const struct logbook *lb)
{
	return lb->db;
}

const char *
logbook_station_id(const struct logbook *lb)
{
	return lb->station_id;
}

int
logbook_kind(const struct logbook *lb)
{
	return lb->kind;
}

const char *
logbook_operator(const struct logbook *lb)
{
	return lb->operator_name;
}

int64_t
logbook_shift(const struct logbook *lb)
{
	return lb->shift;
}

static const char *const station_kinds[] = {NULL, "traffic", "gate", "triage"};

int
station_kind_parse(const char *s)
{
	int i;

	for (i = 1; i < 4; i++)
		if (s != NULL && strcmp(s, station_kinds[i]) == 0)
			return i;
	return -1;
}

const char *
station_kind_name(int kind)
{
	return kind >= 1 && kind <= 3 ? station_kinds[kind] : "?";
}
