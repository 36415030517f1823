/* store-pg.c — the hub store on PostgreSQL (libpq): schema migrations, stations, one
 * transaction per batch with INSERT … ON CONFLICT DO NOTHING, records partitioned by day,
 * every body and watchlist entry sealed with the hub's data key before it is sent, only
 * what reports need in clear columns. Several hub processes may share one store: a
 * station's batches are serialized by a per-station advisory lock. See store.h for the
 * contracts and outpost-hub(8) for the setup and the Citus notes. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/mono.h"
#include "base/parse.h"
#include "hub/pg.h"
#include "storage/clock.h"
#include "sync/crash.h"

/* Advisory lock classes (the first key of pg_advisory_xact_lock(int, int)). */
/* Every session's settings. JIT off: the hub's statements are short and run at every
 * batch, and once a store holds millions of rows the planner's estimates pass
 * jit_above_cost, so PostgreSQL compiled them with LLVM at every batch (80% of its CPU at
 * 7M records held, bench/README.md, The series). */
#define PG_SESSION "SET search_path = " PG_NS "; SET client_min_messages = warning; SET jit = off"
#define LOCK_CLASS 0x6f757470	/* "outp" */
#define LOCK_SCHEMA (-1)
#define LOCK_PARTITIONS (-2)
#define LOCK_ITEMS (-3)

/* A record whose device time is this far ahead of the hub's receive time is flagged… */
#define CLOCK_AHEAD_MS (10LL * 60 * 1000)
/* …or before 2020-01-01. */
#define CLOCK_EPOCH_MS 1577836800000LL
/* PostgreSQL dates count days from 2000-01-01; clock_day from 1970-01-01. */
#define PG_DATE_EPOCH 10957

/* ---- connection ---- */

int
pg_err(struct pg_store *s, PGresult *res, const char *what, struct err *e)
{
	const char *m = res != NULL ? PQresultErrorMessage(res) : "";
	char line[300];
	size_t n;

	if (m == NULL || m[0] == '\0')
		m = PQerrorMessage(s->c);
	snprintf(line, sizeof line, "%s", m != NULL && m[0] ? m : "?");
	n = strcspn(line, "\n");
	line[n] = '\0';
	return err_set(e, E_IO, _("hub store (PostgreSQL): %s: %s"), what, line);
}

/* How long a statement outside a transaction waits for a server that went away to come
 * back, at the first loss: a fast restart (pg_ctl restart -m fast) takes about a second. Well
 * under a station's handshake interval (5 s, sync/link.c), so the first handshake after
 * PostgreSQL went down is told "unavailable" rather than timing out. */
#define RECONNECT_TRIES 6
#define RECONNECT_PAUSE_US 200000
#define RECONNECT_BUDGET_MS (RECONNECT_TRIES * RECONNECT_PAUSE_US / 1000)

/* libpq's connect_timeout (seconds) when neither the store URL nor PGCONNECT_TIMEOUT
 * sets one: without one, a connect to a host that takes the TCP connection and never
 * answers (a hung server, a firewall that swallows packets) waits for ever, and the
 * serving loop with it (pg_connect). Documented in outpost-hub(8). */
#define PG_CONNECT_TIMEOUT "5"

/* Sets up the session of a connection just made (PG_SESSION): E_OK, or E_IO with
 * s->session 0, so that the next call sets it up again rather than run on a session
 * without its search_path and settings. */
static int
pg_session(struct pg_store *s, struct err *e)
{
	PGresult *r = PQexec(s->c, PG_SESSION);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	s->session = ok;
	if (!ok)
		pg_err(s, r, _("connect"), e);
	PQclear(r);
	return ok ? E_OK : E_IO;
}

/* Makes sure the connection is up and its session set up, reconnecting if it was lost (a
 * restarted server drops every connection; the next request should not fail for it). The
 * first reconnect after a loss waits for the server up to RECONNECT_TRIES times (and no
 * more tries once RECONNECT_BUDGET_MS have gone: each try at a host that does not answer
 * takes the whole connect timeout); once one has failed, the server is down and each later
 * call tries once and fails (E_IO) until a try succeeds: the serve loop asks the store
 * under its lock, and a down store must not hold every station's handshake for long. */
static int
pg_reconnect(struct pg_store *s, int force, struct err *e)
{
	int64_t t0;
	int i, tries;

	if (!force && PQstatus(s->c) == CONNECTION_OK)
		return s->session ? E_OK : pg_session(s, e);
	s->ndays = 0;
	s->nprep = 0;		/* a new session has no prepared statements */
	s->session = 0;
	tries = s->down ? 1 : RECONNECT_TRIES;
	t0 = mono_ms();
	for (i = 0; i < tries; i++) {
		if (i > 0) {
			if (mono_ms() - t0 >= RECONNECT_BUDGET_MS)
				break;
			usleep(RECONNECT_PAUSE_US);
		}
		s->reconnects++;
		PQreset(s->c);
		if (PQstatus(s->c) == CONNECTION_OK)
			break;
	}
	if (PQstatus(s->c) != CONNECTION_OK) {
		s->down = 1;
		return pg_err(s, NULL, _("connect"), e);
	}
	s->down = 0;
	return pg_session(s, e);
}

#define pg_ready(s, e) pg_reconnect((s), 0, (e))

/* 1 if a statement may be sent again after the connection broke under it (an error with
 * no SQLSTATE did not come from the server): only outside a transaction (inside one, the
 * transaction is lost and the caller starts over). */
static int
may_retry(struct pg_store *s, PGresult *r, int was_idle)
{
	if (!was_idle)
		return 0;
	if (PQstatus(s->c) != CONNECTION_BAD && PQresultErrorField(r, PG_DIAG_SQLSTATE) != NULL)
		return 0;
	return pg_reconnect(s, 1, NULL) == E_OK;
}

/* The index of sql among the statements prepared on the connection, or -1. */
static int
prep_find(const struct pg_store *s, const char *sql)
{
	int i;

	for (i = 0; i < s->nprep; i++)
		if (s->prep[i] == sql)
			return i;
	return -1;
}

static void
prep_name(int i, char *buf, size_t n)
{
	snprintf(buf, n, "outpost_%d", i);
}

/* Prepares sql on the connection unless it is: *idx its index (-1 when the list is full,
 * to run unnamed); NULL, or the failed PQprepare's result (the caller's to PQclear). */
static PGresult *
prep_make(struct pg_store *s, const char *sql, int n, int *idx)
{
	char name[24];
	PGresult *r;

	if ((*idx = prep_find(s, sql)) >= 0)
		return NULL;
	if (s->nprep == (int)(sizeof s->prep / sizeof s->prep[0]))
		return NULL;
	prep_name(s->nprep, name, sizeof name);
	r = PQprepare(s->c, name, sql, n, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return r;
	PQclear(r);
	*idx = s->nprep;
	s->prep[s->nprep++] = sql;
	return NULL;
}

static int
exec_any(struct pg_store *s, const char *what, const char *sql, int n, const char *const *vals,
    const int *lens, const int *fmts, PGresult **res, int prepared, struct err *e)
{
	PGresult *r;
	char name[24];
	int st, rc, idle, tries = 0, idx = -1;

	if (res != NULL)
		*res = NULL;
	if (s->piping) {
		assert(res == NULL);
		idx = prepared ? prep_find(s, sql) : -1;
		prep_name(idx, name, sizeof name);
		if (!(idx >= 0 ? PQsendQueryPrepared(s->c, name, n, vals, lens, fmts, 0) :
		    PQsendQueryParams(s->c, sql, n, NULL, vals, lens, fmts, 0)))
			return pg_err(s, NULL, what, e);
		s->npiped++;
		return E_OK;
	}
again:
	idle = PQtransactionStatus(s->c) == PQTRANS_IDLE || PQstatus(s->c) != CONNECTION_OK;
	if (idle && (rc = pg_ready(s, e)) != E_OK)
		return rc;
	r = prepared ? prep_make(s, sql, n, &idx) : NULL;
	if (r == NULL) {
		prep_name(idx, name, sizeof name);
		r = idx >= 0 ? PQexecPrepared(s->c, name, n, vals, lens, fmts, 0) :
		    PQexecParams(s->c, sql, n, NULL, vals, lens, fmts, 0);
	}
	st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		if (tries++ == 0 && may_retry(s, r, idle)) {
			PQclear(r);
			goto again;
		}
		rc = pg_err(s, r, what, e);
		PQclear(r);
		return rc;
	}
	if (res != NULL)
		*res = r;
	else
		PQclear(r);
	return E_OK;
}

int
pg_exec(struct pg_store *s, const char *what, const char *sql, int n, const char *const *vals,
    const int *lens, const int *fmts, PGresult **res, struct err *e)
{
	return exec_any(s, what, sql, n, vals, lens, fmts, res, 0, e);
}

int
pg_exec_prepared(struct pg_store *s, const char *what, const char *sql, int n,
    const char *const *vals, const int *lens, const int *fmts, PGresult **res, struct err *e)
{
	return exec_any(s, what, sql, n, vals, lens, fmts, res, 1, e);
}

int
pg_prepare(struct pg_store *s, const char *const *sqls, size_t n, struct err *e)
{
	PGresult *r;
	size_t i;
	int idx, rc;

	assert(!s->piping);
	for (i = 0; i < n; i++)
		if ((r = prep_make(s, sqls[i], 0, &idx)) != NULL) {
			rc = pg_err(s, r, "prepare", e);
			PQclear(r);
			return rc;
		}
	return E_OK;
}

int
pg_run(struct pg_store *s, const char *what, const char *sql, struct err *e)
{
	PGresult *r;
	int rc, idle, tries = 0;

again:
	idle = PQtransactionStatus(s->c) == PQTRANS_IDLE || PQstatus(s->c) != CONNECTION_OK;
	if (idle && (rc = pg_ready(s, e)) != E_OK)
		return rc;
	r = PQexec(s->c, sql);	/* the simple protocol: several statements allowed */
	rc = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK ?
	    E_OK : -1;
	if (rc != E_OK && tries++ == 0 && may_retry(s, r, idle)) {
		PQclear(r);
		goto again;
	}
	if (rc != E_OK)
		rc = pg_err(s, r, what, e);
	PQclear(r);
	return rc;
}

int
pg_pipe_begin(struct pg_store *s, struct err *e)
{
	assert(!s->piping);
	if (PQenterPipelineMode(s->c) != 1)
		return pg_err(s, NULL, "pipeline", e);
	s->piping = 1;
	s->npiped = 0;
	return E_OK;
}

int
pg_pipe_end(struct pg_store *s, PGresult **res, int nres, struct err *e)
{
	return pg_pipe_end_at(s, res, nres, NULL, e);
}

int
pg_pipe_end_at(struct pg_store *s, PGresult **res, int nres, int *failed, struct err *e)
{
	PGresult *r;
	int i, st, rc = E_OK;

	if (failed != NULL)
		*failed = -1;
	assert(s->piping);
	for (i = 0; i < nres; i++)
		res[i] = NULL;
	s->piping = 0;
	if (PQpipelineSync(s->c) != 1) {
		rc = pg_err(s, NULL, "pipeline", e);
		PQexitPipelineMode(s->c);
		return rc;
	}
	for (i = 0; i < s->npiped; i++) {
		if ((r = PQgetResult(s->c)) == NULL) {
			if (rc == E_OK)
				rc = pg_err(s, NULL, "pipeline", e);
			break;
		}
		st = PQresultStatus(r);
		if (rc == E_OK && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			rc = pg_err(s, r, "pipeline", e);
			if (failed != NULL)
				*failed = i;
		}
		if (rc == E_OK && i < nres) {
			res[i] = r;
			r = NULL;
		}
		PQclear(r);
		while ((r = PQgetResult(s->c)) != NULL)	/* the NULL that ends each statement */
			PQclear(r);
	}
	/* then the sync's own result */
	while ((r = PQgetResult(s->c)) != NULL) {
		st = PQresultStatus(r);
		PQclear(r);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	if (PQexitPipelineMode(s->c) != 1 && rc == E_OK)
		rc = pg_err(s, NULL, "pipeline", e);
	if (rc != E_OK)
		for (i = failed != NULL && *failed >= 0 ? *failed : 0; i < nres; i++) {
			PQclear(res[i]);
			res[i] = NULL;
		}
	return rc;
}

int
pg_connected(struct pg_store *s, struct err *e)
{
	return pg_ready(s, e);
}

int
pg_begin(struct pg_store *s, struct err *e)
{
	return pg_run(s, "begin", "BEGIN", e);
}

int
pg_commit(struct pg_store *s, struct err *e)
{
	return pg_run(s, "commit", "COMMIT", e);
}

void
pg_rollback(struct pg_store *s)
{
	PQclear(PQexec(s->c, "ROLLBACK"));
}

/* ---- binary arrays ---- */

static void
put(struct pg_arr *a, const void *p, size_t n)
{
	uint8_t *q;
	size_t cap;

	if (a->oom || n == 0)
		return;
	if (a->len + n > a->cap) {
		cap = a->cap ? a->cap : 256;
		while (cap < a->len + n)
			cap *= 2;
		if ((q = realloc(a->p, cap)) == NULL) {
			a->oom = 1;
			return;
		}
		a->p = q;
		a->cap = cap;
	}
	memcpy(a->p + a->len, p, n);
	a->len += n;
}

static void
put32(struct pg_arr *a, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	put(a, b, 4);
}

void
pg_arr_begin(struct pg_arr *a, uint32_t oid, size_t n)
{
	memset(a, 0, sizeof *a);
	put32(a, 1);		/* dimensions */
	put32(a, 0);		/* no NULLs */
	put32(a, oid);
	put32(a, (uint32_t)n);
	put32(a, 1);		/* lower bound */
}

void
pg_arr_i64(struct pg_arr *a, int64_t v)
{
	put32(a, 8);
	put32(a, (uint32_t)((uint64_t)v >> 32));
	put32(a, (uint32_t)v);
}

void
pg_arr_i32(struct pg_arr *a, int32_t v)
{
	put32(a, 4);
	put32(a, (uint32_t)v);
}

void
pg_arr_bool(struct pg_arr *a, int v)
{
	uint8_t b = v != 0;

	put32(a, 1);
	put(a, &b, 1);
}

void
pg_arr_bytes(struct pg_arr *a, const void *p, size_t n)
{
	put32(a, (uint32_t)n);
	put(a, p, n);
}

void
pg_arr_free(struct pg_arr *a)
{
	free(a->p);
	memset(a, 0, sizeof *a);
}

int64_t
pg_i64(const char *p)
{
	return strtoll(p, NULL, 10);
}

long
pg_bytea(const char *t, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int h, l;

	if (t[0] != '\\' || t[1] != 'x')
		return -1;
	for (t += 2; t[0] != '\0'; t += 2) {
		if ((h = parse_hex_digit(t[0])) < 0 || (l = parse_hex_digit(t[1])) < 0 || n == cap)
			return -1;
		out[n++] = (uint8_t)(h << 4 | l);
	}
	return (long)n;
}

/* ---- schema ---- */

/* Version 1. Citus: the small tables (meta, keys, slots, stations, items) are reference
 * tables; the per-station ones are distributed by station_id, which every primary key and
 * unique constraint includes, with no foreign keys between them (outpost-hub(8)). Records
 * are partitioned by the local day of their device time (the day they arrived when that
 * time is implausible), so retention works on whole old partitions. record_keys is the one
 * place (station, seq) is unique across days: a resend of any seq meets it. */
static const char schema_v1[] =
	"CREATE TABLE hub_meta(k text PRIMARY KEY, v text NOT NULL);"
	"CREATE TABLE hub_keys(k text PRIMARY KEY, v bytea NOT NULL);"
	"CREATE TABLE key_slots(slot bigserial PRIMARY KEY, kind smallint NOT NULL,"
	" kdf smallint NOT NULL, salt bytea NOT NULL, wrapped bytea NOT NULL);"
	"CREATE TABLE stations(id bigserial PRIMARY KEY, name text NOT NULL UNIQUE,"
	" status smallint NOT NULL, uid text UNIQUE, curve_pk bytea UNIQUE, sign_pk bytea,"
	" enroll_pk bytea UNIQUE, enrolled_ms bigint);"
	"CREATE TABLE station_state(station_id bigint PRIMARY KEY,"
	" hw bigint NOT NULL DEFAULT 0, held bigint NOT NULL DEFAULT 0,"
	" max_seq bigint NOT NULL DEFAULT 0, conflicts bigint NOT NULL DEFAULT 0,"
	" quarantined bigint NOT NULL DEFAULT 0, last_seen_ms bigint, skew_ms bigint);"
	"CREATE TABLE record_keys(station_id bigint NOT NULL, seq bigint NOT NULL,"
	" hash bytea NOT NULL, day date NOT NULL, PRIMARY KEY(station_id, seq));"
	"CREATE TABLE records(station_id bigint NOT NULL, seq bigint NOT NULL,"
	" day date NOT NULL, kind text NOT NULL, action text NOT NULL,"
	" root_seq bigint NOT NULL, ref_seq bigint NOT NULL, tz_min integer NOT NULL,"
	" created_ms bigint NOT NULL, received_ms bigint NOT NULL,"
	" clock_flag boolean NOT NULL, quarantined boolean NOT NULL,"
	" fever boolean NOT NULL, released boolean NOT NULL, flagged boolean NOT NULL,"
	" bin_mac bytea, purged_ms bigint, body bytea NOT NULL,"
	" PRIMARY KEY(station_id, seq, day)) PARTITION BY RANGE (day);"
	"CREATE INDEX records_root ON records(station_id, root_seq, seq);"
	"CREATE INDEX records_unpurged ON records(created_ms) WHERE purged_ms IS NULL AND"
	" action = 'add';"
	"CREATE TABLE conflicts(station_id bigint NOT NULL, seq bigint NOT NULL,"
	" hash bytea NOT NULL, kind text NOT NULL, created_ms bigint NOT NULL,"
	" received_ms bigint NOT NULL, body bytea NOT NULL, purged_ms bigint,"
	" PRIMARY KEY(station_id, seq, hash));"
	"CREATE TABLE items(kind smallint NOT NULL, key_mac bytea NOT NULL,"
	" ver bigint NOT NULL, deleted boolean NOT NULL, sealed bytea NOT NULL,"
	" PRIMARY KEY(kind, key_mac));"
	"CREATE INDEX items_ver ON items(kind, ver);"
	/* The aggregates: one row per logical record (its first version's bucket and what
	 * its latest version contributes), the sums per station × local day × kind, each bin's registration and last collection, arrivals
	 * per minute. */
	"CREATE TABLE roots(station_id bigint NOT NULL, root_seq bigint NOT NULL,"
	" has_first boolean NOT NULL, kind text NOT NULL, first_ms bigint NOT NULL,"
	" day bigint NOT NULL, latest_seq bigint NOT NULL,"
	" live boolean NOT NULL, fever boolean NOT NULL, released boolean NOT NULL,"
	" flagged boolean NOT NULL, exit_of bigint NOT NULL, live_exits bigint NOT NULL,"
	" bin_mac bytea, code bytea, purged_ms bigint, PRIMARY KEY(station_id, root_seq));"
	"CREATE INDEX roots_bins ON roots(station_id, bin_mac) WHERE bin_mac IS NOT NULL;"
	"CREATE TABLE agg_day(station_id bigint NOT NULL, day bigint NOT NULL,"
	" kind text NOT NULL, records bigint NOT NULL, fevers bigint NOT NULL,"
	" released bigint NOT NULL, flagged bigint NOT NULL, inside bigint NOT NULL,"
	" PRIMARY KEY(station_id, day, kind));"
	"CREATE TABLE bins(station_id bigint NOT NULL, bin_mac bytea NOT NULL,"
	" code bytea, since_ms bigint NOT NULL, last_ms bigint,"
	" PRIMARY KEY(station_id, bin_mac));"
	"CREATE TABLE arrivals(station_id bigint NOT NULL, minute bigint NOT NULL,"
	" n bigint NOT NULL, PRIMARY KEY(station_id, minute));";

/* Version 2. Only later versions (corrections, deletions: seq <> root_seq) are indexed by
 * their root; a first version is found by its seq (the primary key). The index of every
 * record by root cost each ingested record an index entry (about 50 bytes of the 150 of
 * records' indexes, and its WAL) for the purge's sake, which needs the few later ones. */
static const char schema_v2[] =
	"DROP INDEX records_root;"
	"CREATE INDEX records_versions ON records(station_id, root_seq) WHERE seq <> root_seq;";

/* Version 3. A logical record whose first version alone says all it contributes (held,
 * the latest, live, no exit names it, no bin code) has no roots row: ingest reads it from
 * that version's records row (store-pg-ingest.c, root_row_needed), so a row per record
 * is no longer written for the many never corrected. The rows of those a store of
 * version 2 holds say what their first version says: they go. */
static const char schema_v3[] =
	"DELETE FROM roots WHERE has_first AND live AND latest_seq = root_seq AND live_exits = 0"
	" AND bin_mac IS NULL AND code IS NULL AND kind NOT IN ('bin', 'collection');";

/* Version 4. No index over every record for the purge (records_unpurged cost each
 * ingested record an index entry and its WAL): the purge walks the day partitions old
 * enough, each by its primary key, and notes in purged_days a partition it has walked
 * whole once nothing in it can be newer than the cutoff, so a partition is walked about
 * once (store-pg-purge.c). What the walk cannot find by its day is indexed alone, in
 * records_odd: a record whose device time cannot be believed (clock_flag: filed under the
 * day it arrived, its created_ms anywhere), and one that arrived more than a day after its
 * partition's day ended (received_ms from 2 days after the day began, UTC: it may land in a
 * partition already noted). Stations push what they write within minutes, so records_odd
 * holds a few records, those of a station that stayed offline or whose clock was wrong.
 * PG_ODD (pg.h) is the condition: the purge's query repeats it, so the planner uses the
 * index. */
static const char schema_v4[] =
	"DROP INDEX records_unpurged;"
	"CREATE INDEX records_odd ON records(created_ms) WHERE purged_ms IS NULL AND"
	" action = 'add' AND " PG_ODD ";"
	"CREATE TABLE purged_days(day date PRIMARY KEY, noted_ms bigint NOT NULL);";

static const struct migration {
	int to;
	const char *sql;
} migrations[] = {
	{ 1, schema_v1 },
	{ 2, schema_v2 },
	{ 3, schema_v3 },
	{ 4, schema_v4 },
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

/* Brings the schema up to PG_SCHEMA_VERSION, each step in one transaction, serialized
 * across hub processes by an advisory lock. */
static int
migrate(struct pg_store *s, int *from, struct err *e)
{
	PGresult *r;
	char sql[128];
	size_t i;
	int v, rc;

	if ((rc = pg_begin(s, e)) != E_OK)
		return rc;
	if ((rc = pg_run(s, "schema", "SELECT pg_advisory_xact_lock(1869968496, -1);"
	    "CREATE SCHEMA IF NOT EXISTS " PG_NS ";"
	    "CREATE TABLE IF NOT EXISTS " PG_NS ".schema_version(version integer NOT NULL);"
	    "INSERT INTO " PG_NS ".schema_version SELECT 0 WHERE NOT EXISTS "
	    "(SELECT 1 FROM " PG_NS ".schema_version)", e)) != E_OK ||
	    (rc = pg_exec(s, "schema", "SELECT version FROM " PG_NS ".schema_version", 0, NULL,
	    NULL, NULL, &r, e)) != E_OK)
		goto fail;
	v = atoi(PQgetvalue(r, 0, 0));
	*from = v;
	PQclear(r);
	if (v > PG_SCHEMA_VERSION) {
		rc = err_set(e, E_DAMAGED, _("the hub store has schema version %d and was made by a "
		    "newer outpost-hub; this one knows up to %d"), v, PG_SCHEMA_VERSION);
		goto fail;
	}
	for (i = 0; i < NMIGRATIONS; i++) {
		if (migrations[i].to <= v)
			continue;
		assert(migrations[i].to == v + 1);
		snprintf(sql, sizeof sql, "UPDATE " PG_NS ".schema_version SET version = %d",
		    migrations[i].to);
		if ((rc = pg_run(s, "schema migration", migrations[i].sql, e)) != E_OK ||
		    (rc = pg_run(s, "schema migration", sql, e)) != E_OK)
			goto fail;
		v = migrations[i].to;
	}
	return pg_commit(s, e);
fail:
	pg_rollback(s);
	return rc;
}

/* ---- opening ---- */


/* Library code never prints: the server's notices (a shutdown warning, say) are dropped. */
static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int
pg_claims(const char *address)
{
	return strncmp(address, "postgresql://", 13) == 0 ||
	    strncmp(address, "postgres://", 11) == 0;
}

static int
pg_connect(const char *address, struct pg_store **out, struct err *e)
{
	static const char *const keys[] = { "connect_timeout", "dbname", NULL };
	const char *vals[] = { PG_CONNECT_TIMEOUT, NULL, NULL };
	struct pg_store *s;
	char line[300];

	*out = NULL;
	if (sodium_init() < 0)
		return err_set(e, E_IO, "%s", _("cannot start libsodium"));
	if ((s = calloc(1, sizeof *s)) == NULL || (s->conninfo = strdup(address)) == NULL ||
	    (s->keys = sodium_malloc(32 * PG_NKEYS)) == NULL) {
		if (s != NULL)
			free(s->conninfo);
		free(s);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	s->base.ops = &hubstore_pg_ops;
	s->purge_cutoff = INT64_MIN;
	sodium_memzero(s->keys, 32 * PG_NKEYS);
	/* the URL expanded after the default timeout: a connect_timeout of its own wins (the
	 * later value of a keyword is kept), and PGCONNECT_TIMEOUT where it is set (libpq
	 * reads it for a keyword left out); PQreset reconnects with the same */
	vals[1] = address;
	if (getenv("PGCONNECT_TIMEOUT") != NULL && getenv("PGCONNECT_TIMEOUT")[0] != '\0')
		s->c = PQconnectdbParams(keys + 1, vals + 1, 1);
	else
		s->c = PQconnectdbParams(keys, vals, 1);
	if (s->c != NULL)
		PQsetNoticeProcessor(s->c, quiet, NULL);
	if (PQstatus(s->c) != CONNECTION_OK) {
		snprintf(line, sizeof line, "%s", PQerrorMessage(s->c));
		line[strcspn(line, "\n")] = '\0';
		err_set(e, E_IO, _("cannot reach the PostgreSQL hub store: %s"), line);
		hubstore_pg_ops.close(&s->base);
		return E_IO;
	}
	if (pg_session(s, e) != E_OK) {
		hubstore_pg_ops.close(&s->base);
		return E_IO;
	}
	*out = s;
	return E_OK;
}

/* 1 if the store's tables exist (a hub store is there), 0 if not, -1 on error. */
static int
pg_exists(struct pg_store *s, struct err *e)
{
	PGresult *r;
	int x;

	if (pg_exec(s, "probe", "SELECT to_regclass('" PG_NS ".hub_keys') IS NOT NULL", 0,
	    NULL, NULL, NULL, &r, e) != E_OK)
		return -1;
	x = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return x;
}

static int
pg_probe(const char *address, struct err *e)
{
	struct pg_store *s;
	int x;

	if (pg_connect(address, &s, e) != E_OK)
		return E_IO;
	x = pg_exists(s, e);
	hubstore_pg_ops.close(&s->base);
	if (x < 0)
		return E_IO;
	if (x == 0)
		return err_set(e, E_USAGE, "%s", _("there is no hub store in that PostgreSQL "
		    "database: make one with outpost-hub init --store postgresql://…"));
	return E_OK;
}

static int
pg_open(const struct hubstore_params *p, struct hub_store **out, struct err *e)
{
	struct pg_store *s;
	int rc, x, from = -1;

	if ((rc = pg_connect(p->address, &s, e)) != E_OK)
		return rc;
	if ((x = pg_exists(s, e)) < 0) {
		rc = E_IO;
		goto fail;
	}
	if (p->create && x) {
		rc = err_set(e, E_USAGE, "%s", _("that PostgreSQL database holds a hub store "
		    "already; it was left as it is"));
		goto fail;
	}
	if (!p->create && !x) {
		rc = err_set(e, E_USAGE, "%s", _("there is no hub store in that PostgreSQL "
		    "database: make one with outpost-hub init --store postgresql://…"));
		goto fail;
	}
	if ((rc = migrate(s, &from, e)) != E_OK)
		goto fail;
	if (p->create)
		rc = pg_keys_new(s, p->secret, p->secret_len, p->kdf, p->recovery, e);
	else
		rc = pg_keys_unlock(s, p->secret, p->secret_len, e);
	if (rc != E_OK) {
		/* a store this call began and could not finish holds nothing: leave no half */
		if (p->create && from == 0)
			pg_run(s, "drop", "DROP SCHEMA IF EXISTS " PG_NS " CASCADE", NULL);
		goto fail;
	}
	*out = &s->base;
	return E_OK;
fail:
	hubstore_pg_ops.close(&s->base);
	return rc;
}

static void
pg_close(struct hub_store *hs)
{
	struct pg_store *s = (struct pg_store *)hs;

	if (s == NULL)
		return;
	PQfinish(s->c);
	if (s->keys != NULL)
		sodium_free(s->keys);
	free(s->conninfo);
	free(s);
}

static int
pg_destroy(const char *address, struct err *e)
{
	struct pg_store *s;
	int rc;

	if ((rc = pg_connect(address, &s, e)) != E_OK)
		return rc;
	rc = pg_run(s, "drop", "DROP SCHEMA IF EXISTS " PG_NS " CASCADE", e);
	hubstore_pg_ops.close(&s->base);
	return rc;
}

/* ---- keys and meta ---- */

static int
pg_keys_create(struct hub_store *hs, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	uint8_t pk[32], *sk, sealed[32 + PG_SEAL_OVERHEAD];
	const char *v[2] = { (const char *)pk, (const char *)sealed };
	int l[2] = { 32, sizeof sealed }, f[2] = { 1, 1 }, rc;
	PGresult *r;

	if ((sk = sodium_malloc(32)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	crypto_box_keypair(pk, sk);
	pg_seal(s, "", 0, 's', sk, 32, sealed);
	sodium_free(sk);
	rc = pg_exec(s, "keys", "INSERT INTO hub_keys(k, v) VALUES ('public_key', $1), "
	    "('secret_key', $2) ON CONFLICT DO NOTHING RETURNING k", 2, v, l, f, &r, e);
	if (rc != E_OK)
		return rc;
	rc = PQntuples(r) == 2 ? E_OK :
	    err_set(e, E_INVALID, "%s", _("the hub already has its keys"));
	PQclear(r);
	return rc;
}

static int
pg_keys_load(struct hub_store *hs, uint8_t pk[32], uint8_t **sk, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	uint8_t sealed[32 + PG_SEAL_OVERHEAD];
	PGresult *r;
	int i, got = 0, rc;

	*sk = NULL;
	if ((rc = pg_exec(s, "keys", "SELECT k, v FROM hub_keys WHERE k IN ('public_key', "
	    "'secret_key')", 0, NULL, NULL, NULL, &r, e)) != E_OK)
		return rc;
	if ((*sk = sodium_malloc(32)) == NULL) {
		PQclear(r);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	for (i = 0; i < PQntuples(r); i++) {
		if (strcmp(PQgetvalue(r, i, 0), "public_key") == 0 &&
		    pg_bytea(PQgetvalue(r, i, 1), pk, 32) == 32)
			got |= 1;
		if (strcmp(PQgetvalue(r, i, 0), "secret_key") == 0 &&
		    pg_bytea(PQgetvalue(r, i, 1), sealed, sizeof sealed) == sizeof sealed &&
		    pg_open_sealed(s, "", 0, 's', sealed, sizeof sealed, *sk) == 0)
			got |= 2;
	}
	PQclear(r);
	if (got != 3) {
		sodium_free(*sk);
		*sk = NULL;
		return err_set(e, E_INVALID, "%s", _("the hub store has no keys: run outpost-hub init"));
	}
	return E_OK;
}

static int
pg_meta_get(struct hub_store *hs, const char *k, char *buf, size_t n, int *found,
    struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	const char *v[1] = { k };
	PGresult *r;
	int rc;

	if ((rc = pg_exec(s, "meta", "SELECT v FROM hub_meta WHERE k = $1", 1, v, NULL, NULL,
	    &r, e)) != E_OK)
		return rc;
	if (PQntuples(r) == 1 && (size_t)PQgetlength(r, 0, 0) < n) {
		memcpy(buf, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0) + 1);
		*found = 1;
	}
	PQclear(r);
	return E_OK;
}

static int
pg_meta_set(struct hub_store *hs, const char *k, const char *val, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	const char *v[2] = { k, val };

	if (val == NULL)
		return pg_exec(s, "meta", "DELETE FROM hub_meta WHERE k = $1", 1, v, NULL, NULL,
		    NULL, e);
	return pg_exec(s, "meta", "INSERT INTO hub_meta(k, v) VALUES ($1, $2) ON CONFLICT (k) "
	    "DO UPDATE SET v = excluded.v", 2, v, NULL, NULL, NULL, e);
}

/* ---- stations ---- */

#define STATION_COLS \
	"s.id, s.name, s.status, s.curve_pk, s.sign_pk, s.enrolled_ms, t.last_seen_ms, " \
	"t.skew_ms, t.hw, s.uid, t.held, t.max_seq, t.conflicts, t.quarantined " \
	"FROM stations s JOIN station_state t ON t.station_id = s.id "

static void
station_row(PGresult *r, int i, struct hub_station *st)
{
	memset(st, 0, sizeof *st);
	st->id = (uint64_t)pg_i64(PQgetvalue(r, i, 0));
	snprintf(st->name, sizeof st->name, "%s", PQgetvalue(r, i, 1));
	st->status = atoi(PQgetvalue(r, i, 2));
	if (pg_bytea(PQgetvalue(r, i, 3), st->curve_pk, 32) != 32)
		memset(st->curve_pk, 0, 32);
	if (pg_bytea(PQgetvalue(r, i, 4), st->sign_pk, 32) != 32)
		memset(st->sign_pk, 0, 32);
	st->enrolled_ms = pg_i64(PQgetvalue(r, i, 5));
	st->last_seen_ms = pg_i64(PQgetvalue(r, i, 6));
	st->skew_ms = pg_i64(PQgetvalue(r, i, 7));
	st->hw = (uint64_t)pg_i64(PQgetvalue(r, i, 8));
	snprintf(st->uid, sizeof st->uid, "%s", PQgetvalue(r, i, 9));
	st->held = (uint64_t)pg_i64(PQgetvalue(r, i, 10));
	st->max_seq = (uint64_t)pg_i64(PQgetvalue(r, i, 11));
	st->conflicts = (uint64_t)pg_i64(PQgetvalue(r, i, 12));
	st->quarantined = (uint64_t)pg_i64(PQgetvalue(r, i, 13));
}

/* sql: a string constant (prepared on first use). */
static int
station_one(struct pg_store *s, const char *sql, const char *key, int keylen,
    struct hub_station *st, struct err *e)
{
	const char *v[1] = { key };
	int l[1] = { keylen }, f[1] = { keylen >= 0 }, rc;
	PGresult *r;

	if ((rc = pg_exec_prepared(s, "station", sql, 1, v, l, f, &r, e)) != E_OK)
		return rc;
	if (PQntuples(r) == 1) {
		station_row(r, 0, st);
		rc = E_OK;
	} else
		rc = err_set(e, E_INVALID, "%s", _("no such station"));
	PQclear(r);
	return rc;
}

static int
pg_station_add(struct hub_store *hs, const char *name, const uint8_t enroll_pk[32],
    int64_t now_ms, uint64_t *id, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	char now[24];
	const char *v[3] = { name, (const char *)enroll_pk, now };
	int l[3] = { 0, 32, 0 }, f[3] = { 0, 1, 0 }, rc;
	PGresult *r;

	snprintf(now, sizeof now, "%lld", (long long)now_ms);
	if ((rc = pg_exec(s, "add station", "WITH a AS (INSERT INTO stations(name, status, "
	    "enroll_pk, enrolled_ms) VALUES ($1, 0, $2, $3) ON CONFLICT (name) DO NOTHING "
	    "RETURNING id), b AS (INSERT INTO station_state(station_id) SELECT id FROM a) "
	    "SELECT id FROM a", 3, v, l, f, &r, e)) != E_OK)
		return rc;
	if (PQntuples(r) == 1) {
		*id = (uint64_t)pg_i64(PQgetvalue(r, 0, 0));
		rc = E_OK;
	} else
		rc = err_set(e, E_INVALID, _("a station named %s exists already"), name);
	PQclear(r);
	return rc;
}

static int
pg_station_by_key(struct hub_store *hs, const uint8_t pk[32], int enroll,
    struct hub_station *st, struct err *e)
{
	return station_one((struct pg_store *)hs, enroll ?
	    "SELECT " STATION_COLS "WHERE s.enroll_pk = $1 AND s.status = 0" :
	    "SELECT " STATION_COLS "WHERE s.curve_pk = $1", (const char *)pk, 32, st, e);
}

static int
pg_station_by_name(struct hub_store *hs, const char *name, struct hub_station *st,
    struct err *e)
{
	return station_one((struct pg_store *)hs, "SELECT " STATION_COLS "WHERE s.name = $1",
	    name, -1, st, e);
}

static int
pg_enroll_complete(struct hub_store *hs, const uint8_t enroll_pk[32],
    const uint8_t curve_pk[32], const uint8_t sign_pk[32], const char *uid, int64_t now_ms,
    struct hub_station *st, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	char now[24];
	const char *v[5] = { (const char *)enroll_pk, (const char *)curve_pk,
	    (const char *)sign_pk, uid, now };
	int l[5] = { 32, 32, 32, 0, 0 }, f[5] = { 1, 1, 1, 0, 0 }, rc;
	PGresult *r;

	if (strlen(uid) != WIRE_STATION_UID || strspn(uid, "0123456789abcdef") != WIRE_STATION_UID)
		return err_set(e, E_INVALID, "%s", _("not a station id"));
	snprintf(now, sizeof now, "%lld", (long long)now_ms);
	rc = pg_exec(s, "enroll", "UPDATE stations SET status = 1, curve_pk = $2, sign_pk = $3, "
	    "uid = $4, enroll_pk = NULL, enrolled_ms = $5 WHERE enroll_pk = $1 AND status = 0 "
	    "RETURNING id", 5, v, l, f, &r, e);
	if (rc != E_OK)
		return strstr(e->msg, "duplicate") != NULL ?
		    err_set(e, E_INVALID, "%s", _("that station key is enrolled already")) : rc;
	rc = PQntuples(r) == 1 ? E_OK : err_set(e, E_INVALID, "%s", _("no such station"));
	PQclear(r);
	if (rc != E_OK)
		return rc;
	return pg_station_by_key(hs, curve_pk, 0, st, e);
}

static int
pg_station_revoke(struct hub_store *hs, const char *name, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	const char *v[1] = { name };
	PGresult *r;
	int rc;

	if ((rc = pg_exec(s, "revoke", "UPDATE stations SET status = 2, enroll_pk = NULL WHERE "
	    "name = $1 RETURNING id", 1, v, NULL, NULL, &r, e)) != E_OK)
		return rc;
	rc = PQntuples(r) == 1 ? E_OK : err_set(e, E_INVALID, _("no station named %s"), name);
	PQclear(r);
	return rc;
}

/* When a station was last heard from is shown, never relied on: its commit does not wait
 * for the WAL to reach the disk (synchronous_commit off for this transaction alone), so
 * the server's call after each batch costs no second flush before the ACK; the batch's
 * own commit, or PostgreSQL's WAL writer within a moment, flushes it. One round trip. */
static int
pg_station_seen(struct hub_store *hs, uint64_t id, int64_t now_ms, int64_t skew_ms,
    int have_skew, struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	char sql[256], skew[48] = "";
	int rc;

	if (have_skew)
		snprintf(skew, sizeof skew, ", skew_ms = %lld", (long long)skew_ms);
	snprintf(sql, sizeof sql, "BEGIN; SET LOCAL synchronous_commit = off; UPDATE station_state "
	    "SET last_seen_ms = %lld%s WHERE station_id = %llu; COMMIT", (long long)now_ms, skew,
	    (unsigned long long)id);
	if ((rc = pg_run(s, "station seen", sql, e)) != E_OK &&
	    PQtransactionStatus(s->c) != PQTRANS_IDLE)
		pg_rollback(s);	/* a statement after BEGIN failed: end the block it left */
	return rc;
}

static int
pg_stations(struct hub_store *hs, int (*fn)(const struct hub_station *, void *), void *arg,
    struct err *e)
{
	struct pg_store *s = (struct pg_store *)hs;
	struct hub_station st;
	PGresult *r;
	int i, rc;

	if ((rc = pg_exec(s, "stations", "SELECT " STATION_COLS "ORDER BY s.name COLLATE \"C\"",
	    0, NULL, NULL, NULL, &r, e)) != E_OK)
		return rc;
	for (i = 0; i < PQntuples(r); i++) {
		station_row(r, i, &st);
		if (fn(&st, arg) != 0)
			break;
	}
	PQclear(r);
	return E_OK;
}

/* PostgreSQL bounds its own WAL (max_wal_size, checkpoints that never wait on readers):
 * nothing to do here. */
static int
pg_checkpoint(struct hub_store *hs, struct err *e)
{
	(void)hs;
	(void)e;
	return E_OK;
}

const struct hubstore_ops hubstore_pg_ops = {
	.name = "postgresql",
	.claims = pg_claims,
	.probe = pg_probe,
	.open = pg_open,
	.close = pg_close,
	.destroy = pg_destroy,
	.keys_create = pg_keys_create,
	.keys_load = pg_keys_load,
	.meta_get = pg_meta_get,
	.meta_set = pg_meta_set,
	.station_add = pg_station_add,
	.station_by_key = pg_station_by_key,
	.station_by_name = pg_station_by_name,
	.enroll_complete = pg_enroll_complete,
	.station_revoke = pg_station_revoke,
	.station_seen = pg_station_seen,
	.stations = pg_stations,
	.ingest = pg_ingest,
	.ingest_group = pg_ingest_group,
	.items_set = pg_items_set,
	.item_latest = pg_item_latest,
	.items_pull = pg_items_pull,
	.items_list = pg_items_list,
	.report_totals = pg_report_totals,
	.report_bins = pg_report_bins,
	.arrivals = pg_arrivals,
	.verify = pg_verify,
	.export_open = pg_export_open,
	.export_next = pg_export_next,
	.export_close = pg_export_close,
	.purge_step = pg_purge_step,
	.checkpoint = pg_checkpoint,
};
