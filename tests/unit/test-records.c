/* test-records.c — the logbook's records on a plain SQLite database: schema and settings,
 * every kind's rules (plausible temperatures, fever and recheck, flags, outing quota at
 * midnight and across clock changes, visitors inside, ID check override, triage routes,
 * bins overdue), corrections and history, search, watchlist, purge, outbox and reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "storage/bins.h"
#include "storage/clock.h"
#include "storage/export.h"
#include "storage/fields.h"
#include "storage/inside.h"
#include "storage/logbook.h"
#include "storage/outbox.h"
#include "storage/purge.h"
#include "storage/query.h"
#include "storage/quota.h"
#include "storage/rechecks.h"
#include "storage/record.h"
#include "storage/report.h"
#include "storage/validate.h"
#include "storage/watchlist.h"

static const char *ID_OK = "11010519491231002X";  /* check character X is right */
static const char *ID_BAD = "110105194912310021"; /* check character should be X */

static int visitors_added; /* in the logbook open_kind made last */

struct fx {
	sqlite3 *db;
	struct logbook *lb;
};

static void
now(const char *iso)
{
	setenv("OUTPOST_NOW", iso, 1);
}

static struct fx *
open_kind(const char *kind)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	assert_non_null(f);
	assert_int_equal(sqlite3_open(":memory:", &f->db), SQLITE_OK);
	assert_int_equal(logbook_init(f->db, kind, "测试站", &e), E_OK);
	assert_int_equal(logbook_open(f->db, &f->lb, &e), E_OK);
	visitors_added = 0;
	return f;
}

static void
close_fx(struct fx *f)
{
	logbook_close(f->lb);
	sqlite3_close(f->db);
	free(f);
}

static int
setup_gate(void **state)
{
	now("2026-03-01T08:00:00");
	*state = open_kind("gate");
	return 0;
}

static int
setup_traffic(void **state)
{
	now("2026-03-01T08:00:00");
	*state = open_kind("traffic");
	return 0;
}

static int
setup_triage(void **state)
{
	now("2026-03-01T08:00:00");
	*state = open_kind("triage");
	return 0;
}

static int
teardown(void **state)
{
	close_fx(*state);
	return 0;
}

/* Sets field name of r from text, asserting it parses. */
static void
set(struct record *r, const char *name, const char *text)
{
	const struct rec_field *f = rec_field_find(r->kind, name);
	struct err e;

	assert_non_null(f);
	if (rec_field_set(r, f, text, &e) != E_OK)
		fail_msg("%s: %s", name, e.msg);
}

static int64_t
add_temp(struct logbook *lb, const char *value, struct rec_notice *n, int *rc, struct err *e)
{
	struct record r;

	rec_init(&r, REC_TEMP);
	set(&r, "value", value);
	*rc = rec_add(lb, &r, n, e);
	return r.seq;
}

/* The GB 11643 check character of an ID number's first 17 digits. */
static char
id_check(const char *id)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (id[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

/* A valid resident ID, a different one for each n (ID_OK for 0), its check character
 * computed as GB 11643 says. */
static void
make_id(int n, char out[19])
{
	char t[40];

	if (n == 0) {
		snprintf(out, 19, "%s", ID_OK);
		return;
	}
	snprintf(t, sizeof t, "110105194901%02d%03d", 1 + n / 1000 % 28, n % 1000);
	memcpy(out, t, 17);
	out[17] = id_check(out);
	out[18] = '\0';
}


static int64_t
add_visitor(struct logbook *lb, const char *name)
{
	int n = visitors_added++;
	struct record r;
	struct err e;
	char id[19];

	/* the same person is never inside twice: the first visitor is ID_OK, then others */
	make_id(n, id);
	rec_init(&r, REC_VISITOR);
	set(&r, "id_type", "resident_id");
	set(&r, "id_number", id);
	set(&r, "name", name);
	set(&r, "phone", "138 1234 5678");
	set(&r, "host", "3-2-301");
	set(&r, "health_code", "green");
	set(&r, "temp", "36.5");
	if (rec_add(lb, &r, NULL, &e) != E_OK)
		fail_msg("%s", e.msg);
	return r.seq;
}

static int
add_resident(struct logbook *lb, const char *household, const char *dir, struct rec_notice *n)
{
	struct record r;
	struct err e;

	rec_init(&r, REC_RESIDENT);
	set(&r, "direction", dir);
	set(&r, "household", household);
	set(&r, "pass_number", "P-001");
	if (strcmp(dir, "in") == 0)
		set(&r, "temp", "36.4");
	if (rec_add(lb, &r, n, &e) != E_OK)
		fail_msg("%s", e.msg);
	return r.u.resident.quota_exceeded;
}

static int64_t
day_of(const char *iso)
{
	int64_t ms;

	assert_int_equal(clock_parse(iso, &ms), 0);
	return clock_day(ms, clock_tz_min(ms));
}

static int
count_cb(const struct record *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

/* ---- the clock ---- */

static void
test_clock(void **state)
{
	int64_t ms, from, until;
	char buf[40];

	(void)state;
	assert_int_equal(clock_parse("1772323200000", &ms), 0);
	assert_int_equal(ms, 1772323200000LL);
	assert_int_equal(clock_parse("2026-03-01T00:00:00Z", &ms), 0);
	assert_int_equal(ms, 1772323200000LL);
	assert_int_equal(clock_parse("2026-03-01T08:00+08:00", &ms), 0);
	assert_int_equal(ms, 1772323200000LL);
	assert_int_equal(clock_parse("2026-03-01 08:00", &ms), 0); /* local: Asia/Shanghai */
	assert_int_equal(ms, 1772323200000LL);
	assert_int_equal(clock_parse("2026-03-01", &ms), 0);
	assert_int_equal(ms, 1772323200000LL - 8 * 3600000LL);
	assert_int_equal(clock_parse("2026-13-01", &ms), -1);
	assert_int_equal(clock_parse("yesterday", &ms), -1);
	assert_int_equal(clock_parse("2026-03-01T08:00junk", &ms), -1);
	/* midnight belongs to the new day, a millisecond before it to the old */
	assert_int_equal(clock_day(1772323200000LL - 8 * 3600000LL, 480) -
		clock_day(1772323200000LL - 8 * 3600000LL - 1, 480),
	    1);
	clock_format(1772323200000LL, 480, buf, sizeof buf);
	assert_string_equal(buf, "2026-03-01 08:00:00");
	clock_format_iso(1772323200000LL, -300, buf, sizeof buf);
	assert_string_equal(buf, "2026-02-28T19:00:00-05:00");
	clock_format_iso(1772323200000LL, 480, buf, sizeof buf);
	assert_string_equal(buf, "2026-03-01T08:00:00+08:00");
	/* a day with a clock change is 23 hours long */
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_int_equal(clock_parse("2026-03-08", &ms), 0);
	assert_int_equal(ms, 1772946000000LL);
	clock_day_bounds(clock_day(ms, clock_tz_min(ms)), &from, &until);
	assert_int_equal(from, 1772946000000LL);
	assert_int_equal(until, 1773028800000LL);
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	/* OUTPOST_NOW wins over the clock, a bad one does not */
	now("2026-03-01T08:00:00");
	assert_int_equal(clock_now_ms(), 1772323200000LL);
	now("garbage");
	assert_true(clock_now_ms() > 1700000000000LL);
	now("2026-03-01T08:00:00");
}

/* ---- schema, settings ---- */

static void
test_init_and_settings(void **state)
{
	struct fx *f = *state;
	struct logbook *lb2;
	char buf[64];
	struct err e;

	assert_int_equal(strlen(logbook_station_id(f->lb)), 32);
	assert_int_equal(logbook_kind(f->lb), STATION_GATE);
	assert_int_equal(settings_get(f->lb, "name", buf, sizeof buf, &e), E_OK);
	assert_string_equal(buf, "测试站");
	assert_int_equal(settings_get_deci(f->lb, "fever_threshold"), 373);
	assert_int_equal(settings_get_int(f->lb, "retention_days"), 28);
	/* a second init on the same database is refused */
	assert_int_not_equal(logbook_init(f->db, "gate", "x", &e), E_OK);
	/* bad values are refused naming the key, nothing changes */
	assert_int_equal(settings_set(f->lb, "fever_threshold", "45", &e), E_INVALID);
	assert_non_null(strstr(e.msg, "fever_threshold"));
	assert_int_equal(settings_set(f->lb, "outing_quota", "2", &e), E_INVALID);
	assert_int_equal(settings_set(f->lb, "kind", "traffic", &e), E_INVALID);
	assert_int_equal(settings_set(f->lb, "nonsense", "1", &e), E_INVALID);
	assert_int_equal(settings_set(f->lb, "fever_threshold", "37.5", &e), E_OK);
	assert_int_equal(settings_get_deci(f->lb, "fever_threshold"), 375);
	/* from the hub: only newer versions apply; the cursor is the highest */
	assert_int_equal(settings_version(f->lb), 0);
	assert_int_equal(settings_apply(f->lb, "retention_days", "14", 5, &e), E_OK);
	assert_int_equal(settings_apply(f->lb, "retention_days", "20", 3, &e), E_OK);
	assert_int_equal(settings_get_int(f->lb, "retention_days"), 14);
	assert_int_equal(settings_version(f->lb), 5);
	assert_int_equal(settings_apply(f->lb, "retention_days", "0", 9, &e), E_INVALID);
	/* reopening sees the same identity */
	assert_int_equal(logbook_open(f->db, &lb2, &e), E_OK);
	assert_string_equal(logbook_station_id(lb2), logbook_station_id(f->lb));
	logbook_close(lb2);
}

static void
test_init_refuses(void **state)
{
	sqlite3 *db;
	struct logbook *lb;
	struct err e;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(logbook_init(db, "market", "x", &e), E_INVALID);
	assert_int_equal(logbook_init(db, "gate", "", &e), E_INVALID);
	assert_int_equal(logbook_open(db, &lb, &e), E_DAMAGED);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	assert_int_equal(logbook_open(db, &lb, &e), E_DAMAGED);
	assert_non_null(strstr(e.msg, "newer"));
	sqlite3_close(db);
}

/* The version 1 schema exactly as it shipped: a file made then must open now. */
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
    "INSERT INTO outbox VALUES (1, 0);"
    "INSERT INTO settings(key, value) VALUES ('station_id', '00112233445566778899aabbccddeeff'),"
    " ('kind', 'gate'), ('name', 'v1');"
    "INSERT INTO session VALUES (1, '', 0);"
    "INSERT INTO records VALUES (1, 'visitor', 'add', NULL, 1, 1772323200000, 480, 'op', 0,"
    " '{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":1,\"tz\":480,\"operator\":\"op\","
    "\"shift\":0,\"reason\":\"\",\"alert\":\"\",\"data\":{\"id_type\":\"resident_id\","
    "\"id_number\":\"11010519491231002X\",\"name\":\"张三\",\"phone\":\"13812345678\","
    "\"plate\":\"\",\"host\":\"1-1-101\",\"reason\":\"\",\"health_code\":\"green\","
    "\"id_unverified\":0,\"note\":\"\"}}', NULL);"
    "PRAGMA user_version = 1;";

/* Version 2 added the search index (and filled it from the records). */
static const char schema_v2[] =
    "CREATE TABLE terms(term TEXT NOT NULL, root_seq INTEGER NOT NULL, field TEXT NOT NULL,"
    " PRIMARY KEY (term, root_seq, field)) WITHOUT ROWID;"
    "CREATE INDEX terms_root ON terms(root_seq);"
    "CREATE INDEX records_created ON records(created_ms);"
    "INSERT INTO terms VALUES ('张三', 1, 'name'), ('11010519491231002X', 1, 'id_number'),"
    " ('13812345678', 1, 'phone');"
    "INSERT INTO records VALUES (2, 'temp', 'add', NULL, 2, 1772323300000, 480, 'op', 0,"
    " '{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":2,\"tz\":480,\"operator\":\"op\","
    "\"shift\":0,\"reason\":\"\",\"alert\":\"\",\"data\":{\"value\":38.5,\"method\":\"\","
    "\"person\":\"\",\"recheck_of\":0,\"disposition\":\"\",\"fever\":1,"
    "\"recheck_due\":1772324200000}}', NULL);"
    "PRAGMA user_version = 2;";

/* Version 3 added partial indexes only. */
static const char schema_v3[] =
    "CREATE INDEX records_fever ON records(seq) WHERE kind = 'temp' AND"
    " json_extract(body, '$.data.fever') = 1 AND json_extract(body, '$.data.recheck_of') = 0;"
    "CREATE INDEX records_household ON records(json_extract(body, '$.data.household'))"
    " WHERE kind = 'resident';"
    "CREATE INDEX records_visitor ON records(seq) WHERE kind = 'visitor';"
    "PRAGMA user_version = 3;";

static int
name_is_zhang(const struct record *r, void *arg)
{
	if (strcmp(r->u.visitor.name, "张三") == 0)
		(*(int *)arg)++;
	return 0;
}

static void
test_migrate_from_v1(void **state)
{
	sqlite3 *db;
	struct logbook *lb;
	struct err e;
	int n = 0, v = 0;
	sqlite3_stmt *st;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema_v1, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(logbook_open(db, &lb, &e), E_OK);
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	sqlite3_step(st);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(v, LOGBOOK_SCHEMA_VERSION);
	/* the v2 search index was backfilled from the v1 rows */
	assert_int_equal(rec_search(lb, "张", 0, name_is_zhang, &n, &e), E_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(rec_search(lb, "1101051949", 0, name_is_zhang, &n, &e), E_OK);
	assert_int_equal(n, 1);
	/* v4 filled the inside-now table: the v1 visitor never left */
	assert_int_equal(rec_inside_count(lb), 1);
	/* and new records continue the same counter */
	now("2026-03-01T09:00:00");
	visitors_added = 1; /* not the v1 visitor's ID, who is inside */
	assert_int_equal(add_visitor(lb, "李四"), 2);
	assert_int_equal(rec_inside_count(lb), 2);
	logbook_close(lb);
	/* opening again is a no-op migration */
	assert_int_equal(logbook_migrate(db, &e), E_OK);
	sqlite3_close(db);
}

static void
test_migrate_from_v2(void **state)
{
	sqlite3 *db;
	struct logbook *lb;
	struct err e;
	int n = 0;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema_v1, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema_v2, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(logbook_open(db, &lb, &e), E_OK);
	/* v3's partial index serves the fever made under v2 */
	assert_int_equal(rec_rechecks_pending(lb, count_cb, &n, &e), E_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(rec_search(lb, "张", 0, name_is_zhang, &n, &e), E_OK);
	assert_int_equal(n, 1);
	logbook_close(lb);
	sqlite3_close(db);
}

static void
test_batch_in_one_transaction(void **state)
{
	struct fx *f = *state;
	struct err e;
	int rc;
	int64_t before = outbox_last_seq(f->lb);

	assert_int_equal(sqlite3_exec(f->db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	add_temp(f->lb, "36.5", NULL, &rc, &e);
	assert_int_equal(rc, E_OK);
	add_temp(f->lb, "20.0", NULL, &rc, &e); /* refused: only its savepoint is undone */
	assert_int_equal(rc, E_INVALID);
	add_temp(f->lb, "36.6", NULL, &rc, &e);
	assert_int_equal(rc, E_OK);
	assert_int_equal(sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(outbox_last_seq(f->lb), before + 2);
	/* and a rolled-back batch leaves nothing */
	assert_int_equal(sqlite3_exec(f->db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	add_temp(f->lb, "36.7", NULL, &rc, &e);
	assert_int_equal(rc, E_OK);
	assert_int_equal(sqlite3_exec(f->db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(outbox_last_seq(f->lb), before + 2);
	add_temp(f->lb, "36.8", NULL, &rc, &e);
	assert_int_equal(rc, E_OK);
	assert_int_equal(outbox_last_seq(f->lb), before + 3);
}

static void
test_migrate_from_v3(void **state)
{
	sqlite3 *db;
	struct logbook *lb;
	struct err e;
	int n = 0;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema_v1, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema_v2, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema_v3, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(logbook_open(db, &lb, &e), E_OK);
	assert_int_equal(rec_inside_now(lb, name_is_zhang, &n, &e), E_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rec_exit(lb, 1, NULL, &e), E_OK);
	assert_int_equal(rec_inside_count(lb), 0);
	logbook_close(lb);
	sqlite3_close(db);
}

/* Version 4 added the inside-now table (filled from the records); version 5 an index. */
static const char schema_v4[] =
    "CREATE TABLE inside(root_seq INTEGER PRIMARY KEY);"
    "INSERT INTO inside SELECT r.root_seq FROM records r WHERE r.kind = 'visitor' AND"
    " NOT EXISTS (SELECT 1 FROM records n WHERE n.root_seq = r.root_seq AND n.seq > r.seq)"
    " AND r.action <> 'delete' AND NOT EXISTS (SELECT 1 FROM records x WHERE"
    " x.ref_seq = r.root_seq AND x.kind = 'exit' AND x.action = 'add' AND NOT EXISTS"
    " (SELECT 1 FROM records d WHERE d.root_seq = x.seq AND d.action = 'delete'));"
    "PRAGMA user_version = 4;";

static const char schema_v5[] = "CREATE INDEX records_shift ON records(shift);"
				"PRAGMA user_version = 5;";

/* Version 6 added an index; version 7 the fevers-waiting table (test_rechecks_pending_exact
 * migrates a file with fevers in it). */
static const char schema_v6[] = "CREATE INDEX records_bin ON records(json_extract(body, "
				"'$.data.bin')) WHERE kind = 'collection';"
				"PRAGMA user_version = 6;";

/* From every older version in turn: the same data reads the same afterwards. */
static void
test_migrate_from_each(void **state)
{
	const char *const steps[] = {
	    schema_v1, schema_v2, schema_v3, schema_v4, schema_v5, schema_v6};
	size_t from, k;

	(void)state;
	for (from = 1; from <= 6; from++) {
		struct logbook *lb;
		struct rec_query q;
		sqlite3_stmt *st;
		sqlite3 *db;
		struct err e;
		int n = 0, v;

		assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
		for (k = 0; k < from; k++)
			assert_int_equal(sqlite3_exec(db, steps[k], NULL, NULL, NULL), SQLITE_OK);
		assert_int_equal(logbook_open(db, &lb, &e), E_OK);
		sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
		sqlite3_step(st);
		v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		assert_int_equal(v, LOGBOOK_SCHEMA_VERSION);
		assert_int_equal(rec_search(lb, "张", 0, name_is_zhang, &n, &e), E_OK);
		assert_int_equal(n, 1);
		assert_int_equal(rec_inside_count(lb), 1);
		memset(&q, 0, sizeof q);
		q.shift = 0;
		n = 0;
		assert_int_equal(rec_list(lb, &q, count_cb, &n, &e), E_OK);
		assert_int_equal(n, from >= 2 ? 2 : 1);
		n = 0;
		/* the fever of version 2's data, waiting */
		assert_int_equal(rec_rechecks_pending(lb, count_cb, &n, &e), E_OK);
		assert_int_equal(n, from >= 2 ? 1 : 0);
		logbook_close(lb);
		sqlite3_close(db);
	}
}

static void
test_append_only(void **state)
{
	struct fx *f = *state;

	add_visitor(f->lb, "王五");
	assert_int_not_equal(
	    sqlite3_exec(f->db, "UPDATE records SET body = '{}'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(f->db, "DELETE FROM records", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(f->db, "UPDATE records SET created_ms = 0", NULL, NULL, NULL), SQLITE_OK);
}

/* ---- temperatures ---- */

static void
test_temp_range_and_recheck(void **state)
{
	struct fx *f = *state;
	struct rec_notice n;
	struct record r;
	struct err e;
	int rc, pending = 0;
	int64_t first, before = outbox_last_seq(f->lb);

	add_temp(f->lb, "31.9", &n, &rc, &e);
	assert_int_equal(rc, E_INVALID);
	assert_non_null(strstr(e.msg, "re-measure"));
	add_temp(f->lb, "43.1", &n, &rc, &e);
	assert_int_equal(rc, E_INVALID);
	assert_int_equal(outbox_last_seq(f->lb), before); /* nothing stored */
	add_temp(f->lb, "36.5", &n, &rc, &e);
	assert_int_equal(rc, E_OK);
	assert_int_equal(n.fever, 0);
	/* exactly the threshold is a fever */
	first = add_temp(f->lb, "37.3", &n, &rc, &e);
	assert_int_equal(rc, E_OK);
	assert_int_equal(n.fever, 1);
	assert_int_equal(rec_get(f->lb, first, &r, &e), E_OK);
	assert_int_equal(r.u.temp.fever, 1);
	assert_int_equal(r.u.temp.recheck_due_ms - r.created_ms, 15 * 60000);
	assert_int_equal(rec_rechecks_pending(f->lb, count_cb, &pending, &e), E_OK);
	assert_int_equal(pending, 1);
	/* a recheck before the window is refused */
	now("2026-03-01T08:14:59");
	rec_init(&r, REC_TEMP);
	set(&r, "value", "36.8");
	r.u.temp.recheck_of = first;
	set(&r, "disposition", "pass");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "due at 2026-03-01 08:15:00"));
	/* at the due time, it needs a disposition, then it is stored beside the first */
	now("2026-03-01T08:15:00");
	r.u.temp.disposition[0] = '\0';
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "disposition"));
	set(&r, "disposition", "pass");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(r.ref_seq, first);
	pending = 0;
	assert_int_equal(rec_rechecks_pending(f->lb, count_cb, &pending, &e), E_OK);
	assert_int_equal(pending, 0);
	/* a recheck's link cannot be corrected; its value can */
	{
		struct record c = r;

		c.u.temp.recheck_of = first - 1;
		assert_int_equal(rec_correct(f->lb, r.seq, &c, "wrong reading", &n, &e), E_INVALID);
		c.u.temp.recheck_of = first;
		set(&c, "value", "36.9");
		assert_int_equal(rec_correct(f->lb, r.seq, &c, "misread", &n, &e), E_OK);
		pending = 0;
		assert_int_equal(rec_rechecks_pending(f->lb, count_cb, &pending, &e), E_OK);
		assert_int_equal(pending, 0);
		/* deleting the recheck makes the fever wait again */
		assert_int_equal(rec_delete(f->lb, c.seq, "wrong person", NULL, &e), E_OK);
		pending = 0;
		assert_int_equal(rec_rechecks_pending(f->lb, count_cb, &pending, &e), E_OK);
		assert_int_equal(pending, 1);
		r.u.temp.recheck_of = first;
		set(&r, "disposition", "isolated");
		assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	}
	/* a second recheck of the same reading is refused; a recheck of a non-fever too */
	rec_init(&r, REC_TEMP);
	set(&r, "value", "36.8");
	r.u.temp.recheck_of = first;
	set(&r, "disposition", "pass");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	r.u.temp.recheck_of = first - 1;
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
}

/* What a query called back with: each record's seq, and the seq of its first version. */
struct seqs {
	int64_t v[64], root[64];
	int n;
};

static int
collect_seqs(const struct record *r, void *arg)
{
	struct seqs *s = arg;

	if (s->n < 64) {
		s->v[s->n] = r->seq;
		s->root[s->n++] = r->root_seq;
	}
	return 0;
}

/* rec_rechecks_pending returns exactly the fevers waiting, as the records say, whatever
 * happened to them; and a file of version 6 gets the same from its migration. */
static void
test_rechecks_pending_exact(void **state)
{
	struct fx *f = *state;
	struct rec_notice n;
	struct seqs s;
	struct record r;
	struct err e;
	int64_t a, b, c, d, rc_seq;
	int rc;

	a = add_temp(f->lb, "38.0", &n, &rc, &e);
	add_temp(f->lb, "36.6", &n, &rc, &e);
	b = add_temp(f->lb, "37.5", &n, &rc, &e);
	c = add_temp(f->lb, "39.1", &n, &rc, &e);
	d = add_temp(f->lb, "36.9", &n, &rc, &e);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_rechecks_pending(f->lb, collect_seqs, &s, &e), E_OK);
	assert_int_equal(s.n, 3);
	assert_true(s.root[0] == a && s.root[1] == b && s.root[2] == c);
	/* a recheck clears a */
	now("2026-03-01T08:20:00");
	rec_init(&r, REC_TEMP);
	set(&r, "value", "36.8");
	r.u.temp.recheck_of = a;
	set(&r, "disposition", "pass");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	rc_seq = r.seq;
	/* b corrected to a normal reading; d corrected to a fever */
	assert_int_equal(rec_get(f->lb, b, &r, &e), E_OK);
	set(&r, "value", "36.5");
	assert_int_equal(rec_correct(f->lb, b, &r, "misread", &n, &e), E_OK);
	assert_int_equal(rec_get(f->lb, d, &r, &e), E_OK);
	set(&r, "value", "38.2");
	assert_int_equal(rec_correct(f->lb, d, &r, "misread", &n, &e), E_OK);
	/* c deleted */
	assert_int_equal(rec_delete(f->lb, c, "wrong person", NULL, &e), E_OK);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_rechecks_pending(f->lb, collect_seqs, &s, &e), E_OK);
	assert_int_equal(s.n, 1);
	assert_true(s.root[0] == d);
	/* the recheck of a deleted: a waits again */
	assert_int_equal(rec_delete(f->lb, rc_seq, "wrong person", NULL, &e), E_OK);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_rechecks_pending(f->lb, collect_seqs, &s, &e), E_OK);
	assert_int_equal(s.n, 2);
	assert_true(s.root[0] == a && s.root[1] == d);
	/* version 6 had no table: the migration fills it from the records */
	logbook_close(f->lb);
	f->lb = NULL;
	assert_int_equal(sqlite3_exec(f->db,
			     "DROP TABLE pending; PRAGMA user_version = 6;", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(logbook_open(f->db, &f->lb, &e), E_OK);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_rechecks_pending(f->lb, collect_seqs, &s, &e), E_OK);
	assert_int_equal(s.n, 2);
	assert_true(s.root[0] == a && s.root[1] == d);
}

/* ---- traffic ---- */

static int
add_vehicle(struct logbook *lb, const char *plate, const char *origin, const char *temps,
    int occupants, struct record *r, struct rec_notice *n, struct err *e)
{
	char occ[8], driver[8];
	const char *comma = strchr(temps, ',');

	/* temps: the driver's, then the passengers'; occupants: everyone in the vehicle */
	rec_init(r, REC_VEHICLE);
	set(r, "plate", plate);
	set(r, "driver_name", "赵六");
	set(r, "driver_id_number", ID_OK);
	set(r, "driver_phone", "13812345678");
	snprintf(driver, sizeof driver, "%.*s", comma != NULL ? (int)(comma - temps) : 7, temps);
	set(r, "driver_temp", driver);
	snprintf(occ, sizeof occ, "%d", occupants - 1);
	set(r, "occupants", occ);
	set(r, "occupant_temps", comma != NULL ? comma + 1 : "");
	set(r, "origin", origin);
	set(r, "destination", "广州");
	set(r, "disposition", "pass");
	return rec_add(lb, r, n, e);
}

static void
test_vehicle_flags(void **state)
{
	struct fx *f = *state;
	struct rec_notice n;
	struct record r;
	struct err e;

	assert_int_equal(settings_set(f->lb, "high_risk_plates", "鄂A,鄂B", &e), E_OK);
	assert_int_equal(settings_set(f->lb, "high_risk_origins", "武汉", &e), E_OK);
	assert_int_equal(add_vehicle(f->lb, "粤B12345", "深圳", "36.5,36.6", 2, &r, &n, &e), E_OK);
	assert_int_equal(r.u.vehicle.flagged, 0);
	assert_int_equal(add_vehicle(f->lb, "鄂a 12345", "深圳", "36.5", 1, &r, &n, &e), E_OK);
	assert_int_equal(r.u.vehicle.flagged, 1);
	assert_string_equal(r.u.vehicle.plate, "鄂A12345");
	assert_non_null(strstr(r.u.vehicle.flag_reason, "plate"));
	assert_int_equal(add_vehicle(f->lb, "粤B12345", "湖北武汉", "36.5", 1, &r, &n, &e), E_OK);
	assert_int_equal(n.flagged, 1);
	assert_non_null(strstr(r.u.vehicle.flag_reason, "origin"));
	assert_int_equal(add_vehicle(f->lb, "粤B12345", "深圳", "36.5,38.0", 2, &r, &n, &e), E_OK);
	assert_int_equal(r.u.vehicle.flagged, 1);
	/* one temperature per occupant, each plausible */
	assert_int_equal(add_vehicle(f->lb, "粤B12345", "深圳", "36.5", 2, &r, &n, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "occupant_temps"));
	assert_int_equal(
	    add_vehicle(f->lb, "粤B12345", "深圳", "36.5,30.0", 2, &r, &n, &e), E_INVALID);
	/* a vehicle at a gate station is refused */
	{
		struct fx *g = open_kind("gate");

		assert_int_equal(
		    add_vehicle(g->lb, "粤B12345", "深圳", "36.5", 1, &r, &n, &e), E_INVALID);
		close_fx(g);
	}
}

static void
test_id_check_override(void **state)
{
	struct fx *f = *state;
	struct rec_notice n;
	struct record r;
	struct err e;

	assert_int_equal(add_vehicle(f->lb, "粤B12345", "深圳", "36.5", 1, &r, &n, &e), E_OK);
	rec_init(&r, REC_VEHICLE);
	assert_int_equal(add_vehicle(f->lb, "粤B12345", "深圳", "36.5", 1, &r, &n, &e), E_OK);
	set(&r, "driver_id_number", ID_BAD);
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "driver_id_number"));
	assert_non_null(strstr(e.msg, "X"));
	set(&r, "id_unverified", "1");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID); /* no note */
	assert_non_null(strstr(e.msg, "note"));
	set(&r, "note", "card worn, read twice");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_string_equal(r.u.vehicle.driver_id_number, ID_BAD);
	assert_int_equal(r.u.vehicle.id_unverified, 1);
	/* but a wrong date is never saved, unverified or not */
	set(&r, "driver_id_number", "110105194913310021");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
}

/* ---- gate ---- */

static void
test_quota_midnight(void **state)
{
	struct fx *f = *state;
	struct rec_notice n;
	struct quota_status q;
	struct err e;

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	/* 1 person per 2 calendar days: the day of the outing and the next */
	now("2026-03-01T23:59:00");
	assert_int_equal(add_resident(f->lb, "3-2-301", "out", &n), 0);
	assert_int_equal(n.quota_exceeded, 0);
	add_resident(f->lb, "3-2-301", "in", &n); /* coming back counts nothing */
	now("2026-03-02T00:01:00");
	assert_int_equal(add_resident(f->lb, "3-2-301", "out", &n), 1);
	assert_int_equal(n.quota_exceeded, 1);
	assert_int_equal(add_resident(f->lb, "3-2-302", "out", &n), 0); /* a neighbour */
	/* the third day at midnight: the 1st falls out of the window, the 2nd does not */
	now("2026-03-03T00:00:00");
	assert_int_equal(rec_quota(f->lb, "3-2-301", &q, &e), E_OK);
	assert_int_equal(q.used, 1);
	assert_int_equal(q.exceeded, 1);
	now("2026-03-04T00:00:00");
	assert_int_equal(rec_quota(f->lb, "3-2-301", &q, &e), E_OK);
	assert_int_equal(q.used, 0);
	assert_int_equal(add_resident(f->lb, "3-2-301", "out", &n), 0);
	/* the clock set back a day: the outing "in the future" still counts */
	now("2026-03-03T12:00:00");
	assert_int_equal(rec_quota(f->lb, "3-2-301", &q, &e), E_OK);
	assert_int_equal(q.used, 2);
	/* a zone change moves no passage to another day: each keeps its own offset */
	setenv("TZ", "UTC", 1);
	tzset();
	now("2026-03-05T20:00:00Z"); /* 2026-03-06 04:00 in Shanghai, 3-05 in UTC */
	assert_int_equal(rec_quota(f->lb, "3-2-301", &q, &e), E_OK);
	assert_int_equal(q.used, 1); /* the 3-04 00:00 +08:00 outing, on day 3-04 */
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	/* a bigger quota */
	assert_int_equal(settings_set(f->lb, "outing_quota", "2/1", &e), E_OK);
	now("2026-03-10T10:00:00");
	assert_int_equal(add_resident(f->lb, "1-1-101", "out", &n), 0);
	assert_int_equal(add_resident(f->lb, "1-1-101", "out", &n), 0);
	assert_int_equal(add_resident(f->lb, "1-1-101", "out", &n), 1);
	/* household shape */
	{
		struct record r;

		rec_init(&r, REC_RESIDENT);
		set(&r, "direction", "out");
		set(&r, "household", "3 2 301");
		assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
		assert_non_null(strstr(e.msg, "household"));
	}
}

/* The inside table must equal its definition over the records. */
static void
inside_consistent(struct fx *f)
{
	sqlite3_stmt *st;

	assert_int_equal(
	    sqlite3_prepare_v2(f->db,
		"SELECT (SELECT group_concat(root_seq) FROM "
		"(SELECT root_seq FROM inside ORDER BY 1)) IS (SELECT group_concat(root_seq) FROM "
		"(SELECT r.root_seq FROM records r WHERE r.kind = 'visitor' AND NOT EXISTS (SELECT "
		"1 "
		"FROM records n WHERE n.root_seq = r.root_seq AND n.seq > r.seq) AND r.action <> "
		"'delete' AND NOT EXISTS (SELECT 1 FROM records x WHERE x.ref_seq = r.root_seq AND "
		"x.kind = 'exit' AND x.action = 'add' AND NOT EXISTS (SELECT 1 FROM records d "
		"WHERE "
		"d.root_seq = x.seq AND d.action = 'delete')) ORDER BY 1))",
		-1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
}

static void
test_visitors_inside(void **state)
{
	struct fx *f = *state;
	struct record r;
	struct err e;
	int64_t a, b, del;
	int n = 0;

	a = add_visitor(f->lb, "甲");
	b = add_visitor(f->lb, "乙");
	assert_int_equal(rec_inside_now(f->lb, count_cb, &n, &e), E_OK);
	inside_consistent(f);
	assert_int_equal(rec_inside_count(f->lb), n);
	assert_int_equal(n, 2);
	assert_int_equal(rec_exit(f->lb, a, &r, &e), E_OK);
	assert_int_equal(r.ref_seq, a);
	assert_int_equal(rec_exit(f->lb, a, NULL, &e), E_INVALID); /* already left */
	n = 0;
	assert_int_equal(rec_inside_now(f->lb, count_cb, &n, &e), E_OK);
	inside_consistent(f);
	assert_int_equal(rec_inside_count(f->lb), n);
	assert_int_equal(n, 1);
	/* the exit was a mistake: deleting it puts the visitor back inside */
	assert_int_equal(rec_delete(f->lb, r.seq, "wrong visitor", &del, &e), E_OK);
	n = 0;
	assert_int_equal(rec_inside_now(f->lb, count_cb, &n, &e), E_OK);
	inside_consistent(f);
	assert_int_equal(rec_inside_count(f->lb), n);
	assert_int_equal(n, 2);
	/* exit of a non-visitor is refused; a deleted visitor is not inside */
	assert_int_equal(rec_exit(f->lb, del, NULL, &e), E_INVALID);
	assert_int_equal(rec_delete(f->lb, b, "duplicate", NULL, &e), E_OK);
	n = 0;
	assert_int_equal(rec_inside_now(f->lb, count_cb, &n, &e), E_OK);
	inside_consistent(f);
	assert_int_equal(rec_inside_count(f->lb), n);
	assert_int_equal(n, 1);
	assert_int_equal(rec_exit(f->lb, b, NULL, &e), E_INVALID);
}

/* ---- corrections, history, search ---- */

struct names {
	char v[8][REC_NAME];
	int n;
	int deleted;
};

static int
collect_names(const struct record *r, void *arg)
{
	struct names *s = arg;

	if (s->n < 8)
		snprintf(s->v[s->n++], REC_NAME, "%s",
		    r->action == REC_DELETE ? "<deleted>" : r->u.visitor.name);
	return 0;
}

static void
test_correct_history_search(void **state)
{
	struct fx *f = *state;
	struct rec_notice no;
	struct rec_query q;
	struct record r;
	struct names s;
	struct err e;
	int64_t a;

	a = add_visitor(f->lb, "王小明");
	add_visitor(f->lb, "王大明");
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "王", 0, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 2);
	/* correct the name: a new version; the list shows it, history shows both */
	assert_int_equal(rec_get(f->lb, a, &r, &e), E_OK);
	set(&r, "name", "汪小明");
	assert_int_equal(rec_correct(f->lb, a, &r, "", &no, &e), E_INVALID); /* no reason */
	assert_int_equal(rec_correct(f->lb, a, &r, "misspelt", &no, &e), E_OK);
	assert_int_equal(r.root_seq, a);
	assert_int_equal(r.ref_seq, a);
	assert_true(r.seq > a);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_history(f->lb, r.seq, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0], "王小明");
	assert_string_equal(s.v[1], "汪小明");
	memset(&q, 0, sizeof q);
	q.kind = REC_VISITOR;
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_list(f->lb, &q, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0], "汪小明");
	/* search follows the latest version */
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "王", 0, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0], "王大明");
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "汪小", 0, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 1);
	/* an invalid correction stores nothing */
	set(&r, "phone", "12");
	assert_int_equal(rec_correct(f->lb, a, &r, "x", &no, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "phone"));
	/* delete: gone from list and search, present in history */
	assert_int_equal(rec_delete(f->lb, a, "entered twice", NULL, &e), E_OK);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_list(f->lb, &q, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 1);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "汪", 0, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_history(f->lb, a, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.v[2], "<deleted>");
	q.history = 1;
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_list(f->lb, &q, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 4);
	assert_int_equal(rec_get(f->lb, a, &r, &e), E_OK);
	assert_int_equal(r.deleted, 1);
	assert_int_equal(rec_correct(f->lb, a, &r, "again", &no, &e), E_INVALID);
	/* search by phone, ID prefix (case-folded x), and plate */
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "138-1234", 0, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 1);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "11010519491231002x", 0, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 0); /* a, deleted */
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "11010519490101001", 0, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 1);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "9", 0, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 0);
}

/* Newest first, whether the prefix matches a few terms (read and sorted) or thousands (a
 * walk down the records newest first): term order or seq order would both fail here. */
static void
test_search_newest_first(void **state)
{
	struct fx *f = *state;
	struct seqs s;
	struct names nm;
	struct err e;
	int64_t a, b, c, last = 0;
	int i;

	/* term order 一 < 三 < 二, so term order and oldest first both differ from newest */
	a = add_visitor(f->lb, "王一");
	b = add_visitor(f->lb, "王三");
	c = add_visitor(f->lb, "王二");
	memset(&nm, 0, sizeof nm);
	assert_int_equal(rec_search(f->lb, "王", 0, collect_names, &nm, &e), E_OK);
	assert_int_equal(nm.n, 3);
	assert_string_equal(nm.v[0], "王二");
	assert_string_equal(nm.v[1], "王三");
	assert_string_equal(nm.v[2], "王一");
	assert_true(a < b && b < c);
	/* more matches than search reads before sorting: the phone every visitor shares */
	assert_int_equal(sqlite3_exec(logbook_db(f->lb), "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	for (i = 0; i < 4200; i++)
		last = add_visitor(f->lb, i % 2 ? "李四" : "张三");
	assert_int_equal(sqlite3_exec(logbook_db(f->lb), "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "138", 20, collect_seqs, &s, &e), E_OK);
	assert_int_equal(s.n, 20);
	assert_true(s.v[0] == last);
	for (i = 1; i < s.n; i++)
		assert_true(s.v[i] < s.v[i - 1]);
	/* and a few matches among many terms: the three oldest, newest first */
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "王", 0, collect_seqs, &s, &e), E_OK);
	assert_int_equal(s.n, 3);
	assert_true(s.v[0] == c && s.v[1] == b && s.v[2] == a);
}

/* What search called back with: each record's first version, in order. */
struct roots {
	int64_t v[256];
	int n;
};

static int
collect_roots(const struct record *r, void *arg)
{
	struct roots *s = arg;

	if (s->n < 256)
		s->v[s->n++] = r->root_seq;
	return 0;
}

/* The roots search must give, straight from the terms table: every record with a term in
 * the prefix's range, newest first, at most limit. */
static void
reference_roots(struct logbook *lb, const char *prefix, int limit, struct roots *out)
{
	char hi[64];
	size_t len = strlen(prefix);
	sqlite3_stmt *st;

	memcpy(hi, prefix, len + 1);
	hi[len - 1]++;
	assert_int_equal(sqlite3_prepare_v2(logbook_db(lb),
			     "SELECT root_seq FROM terms WHERE term >= ?1 AND term < ?2 "
			     "GROUP BY root_seq ORDER BY root_seq DESC LIMIT ?3",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, (int)len, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, limit);
	out->n = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		out->v[out->n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
}

/* Search gives exactly what the terms say, however common the prefix: a rare one (the range
 * read is done first), a common one (the walk down the records is), one in between, one
 * record matching by two of its terms (an ID number and a phone both begin with 1), records
 * without terms between them (temperature checks), corrected and deleted records, and every
 * limit. The walk goes down a window of records at a time, and the two ways take turns, so
 * a window or a turn lost or counted twice shows here. */
static void
test_search_same_as_reference(void **state)
{
	static const char *const surnames[] = {"王", "王", "王", "王", "李", "李", "赵", "钱"};
	static const char *const prefixes[] = {"1", "13", "138", "1381", "13812", "139", "11",
	    "110105", "1101051949", "11010519490", "110105194901", "1101051949010",
	    "1101051949010100", "130", "1301", "王", "李", "赵", "钱", "王二", "李三", "粤", "粤B",
	    "粤B1", "9", "X"};
	static const int limits[] = {1, 7, 20, 50, 100, 256};
	struct fx *f = *state;
	struct roots got, want;
	struct rec_notice n;
	struct record r;
	struct err e;
	uint32_t x = 12345;
	int64_t seq;
	size_t p, l;
	int i, rc;

	assert_int_equal(sqlite3_exec(logbook_db(f->lb), "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	for (i = 0; i < 2400; i++) {
		char name[32], phone[16], id[19];

		x = x * 1103515245u + 12345u;
		if (x >> 29 < 3) { /* about a third: a record without terms */
			add_temp(f->lb, "36.5", &n, &rc, &e);
			assert_int_equal(rc, E_OK);
			continue;
		}
		make_id(visitors_added++, id);
		snprintf(name, sizeof name, "%s%s", surnames[x >> 8 & 7],
		    (const char *[]){"一", "二", "三", "四"}[x >> 12 & 3]);
		snprintf(phone, sizeof phone, "13%u%08u", 8 + (x >> 16 & 1), (x >> 3) % 100000000u);
		if (i % 401 == 3) { /* a few from Hebei: ID number and phone both begin 130 */
			memcpy(id, "130102", 6);
			id[17] = id_check(id);
			phone[2] = '0';
		}
		rec_init(&r, REC_VISITOR);
		set(&r, "id_type", "resident_id");
		set(&r, "id_number", id);
		set(&r, "name", name);
		set(&r, "phone", phone);
		if (x >> 20 & 1) {
			char plate[16];

			snprintf(plate, sizeof plate, "粤B%05u", (x >> 4) % 100000u);
			set(&r, "plate", plate);
		}
		set(&r, "host", "3-2-301");
		set(&r, "health_code", "green");
		set(&r, "temp", "36.5");
		assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_OK);
		seq = r.seq;
		if (i % 97 == 5) { /* a correction: the terms follow the latest version */
			set(&r, "name", "钱四");
			assert_int_equal(rec_correct(f->lb, seq, &r, "misread", &n, &e), E_OK);
		} else if (i % 89 == 7) { /* a deletion: its terms go */
			assert_int_equal(rec_delete(f->lb, seq, "mistake", NULL, &e), E_OK);
		}
	}
	assert_int_equal(sqlite3_exec(logbook_db(f->lb), "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	for (p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++)
		for (l = 0; l < sizeof limits / sizeof limits[0]; l++) {
			memset(&got, 0, sizeof got);
			reference_roots(f->lb, prefixes[p], limits[l], &want);
			assert_int_equal(
			    rec_search(f->lb, prefixes[p], limits[l], collect_roots, &got, &e),
			    E_OK);
			if (got.n != want.n)
				fail_msg("'%s' limit %d: %d records, the terms say %d", prefixes[p],
				    limits[l], got.n, want.n);
			for (i = 0; i < got.n; i++)
				if (got.v[i] != want.v[i])
					fail_msg("'%s' limit %d: record %d is #%lld, the terms say "
						 "#%lld",
					    prefixes[p], limits[l], i, (long long)got.v[i],
					    (long long)want.v[i]);
		}
	/* the prefixes cover the cases: one with no match, one rare, one past every limit */
	reference_roots(f->lb, "X", 256, &want);
	assert_int_equal(want.n, 0);
	reference_roots(f->lb, "1101051949010100", 256, &want);
	assert_true(want.n > 0 && want.n < 20);
	reference_roots(f->lb, "1", 256, &want);
	assert_int_equal(want.n, 256);
	/* and a rare one that some records match twice, by ID number and by phone */
	reference_roots(f->lb, "130", 256, &want);
	assert_true(want.n > 1 && want.n < 20);
	{
		sqlite3_stmt *st;

		assert_int_equal(
		    sqlite3_prepare_v2(logbook_db(f->lb),
			"SELECT count(*) FROM terms WHERE term >= '130' AND term < '131'", -1, &st,
			NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 2 * want.n);
		sqlite3_finalize(st);
	}
}

/* ---- watchlist ---- */

static void
test_watchlist(void **state)
{
	struct fx *f = *state;
	struct watch_entry w;
	struct rec_notice n;
	struct record r;
	struct err e;
	char path[] = "/tmp/outpost-wl-XXXXXX";
	int fd, count;
	FILE *fp;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fprintf(fp,
	    "\xEF\xBB\xBFtype,value,reason,until\r\nplate,粤b12345,stolen,2099-12-31\r\n"
	    "id,%s,\"wanted, urgent\",\r\nid,110101199001011234,expired,2020-01-01\r\n",
	    ID_OK);
	fclose(fp);
	assert_int_equal(watchlist_import(f->lb, path, &count, &e), E_OK);
	assert_int_equal(count, 3);
	assert_int_equal(add_vehicle(f->lb, "粤B12345", "深圳", "36.5", 1, &r, &n, &e), E_OK);
	assert_int_equal(n.alert, 1);
	assert_non_null(strstr(r.alert, "stolen"));
	assert_non_null(strstr(r.alert, "wanted, urgent"));
	assert_int_equal(rec_get(f->lb, r.seq, &r, &e), E_OK);
	assert_non_null(strstr(r.alert, "stolen")); /* stored with the record */
	assert_int_equal(watchlist_match(f->lb, "id", "110101199001011234", &w, NULL), 0); /* ended */
	/* a bad line: nothing imported */
	fp = fopen(path, "w");
	fprintf(fp, "plate,京A11111,x\nbogus,1,2\n");
	fclose(fp);
	assert_int_equal(watchlist_import(f->lb, path, &count, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "line 2"));
	assert_int_equal(watchlist_match(f->lb, "plate", "京A11111", &w, NULL), 0);
	unlink(path);
	/* from the hub, with versions */
	memset(&w, 0, sizeof w);
	snprintf(w.type, sizeof w.type, "plate");
	snprintf(w.value, sizeof w.value, "京A22222");
	snprintf(w.reason, sizeof w.reason, "hub");
	w.version = 7;
	assert_int_equal(watchlist_apply(f->lb, &w, &e), E_OK);
	assert_int_equal(watchlist_version(f->lb), 7);
	assert_int_equal(watchlist_match(f->lb, "plate", "京a 22222", NULL, NULL), 1);
	w.removed = 1;
	w.version = 6; /* older: ignored */
	assert_int_equal(watchlist_apply(f->lb, &w, &e), E_OK);
	assert_int_equal(watchlist_match(f->lb, "plate", "京A22222", NULL, NULL), 1);
	w.version = 8;
	assert_int_equal(watchlist_apply(f->lb, &w, &e), E_OK);
	assert_int_equal(watchlist_match(f->lb, "plate", "京A22222", NULL, NULL), 0);
}

/* ---- triage ---- */

static void
test_triage_routes(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *temp, *symptoms, *epi, *route;
	} cases[] = {
	    {"36.5", "", "", "general_clinic"},
	    {"37.3", "", "", "fever_clinic"},
	    {"36.5", "cough", "", "fever_clinic"},
	    {"36.5", "", "contact_confirmed", "fever_clinic"},
	    {"38.5", "dyspnea,cough", "cluster", "emergency"},
	    {"36.5", "fatigue,diarrhea", "", "general_clinic"},
	};
	struct record r;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rec_init(&r, REC_TRIAGE);
		set(&r, "name", "病人");
		set(&r, "temp", cases[i].temp);
		set(&r, "symptoms", cases[i].symptoms);
		set(&r, "epi", cases[i].epi);
		assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_OK);
		assert_string_equal(r.u.triage.suggested, cases[i].route);
		assert_string_equal(r.u.triage.route, cases[i].route);
		assert_true(r.u.triage.route_rule[0] != '\0');
	}
	/* the decided route can differ from the suggestion; both are kept */
	rec_init(&r, REC_TRIAGE);
	set(&r, "name", "病人");
	set(&r, "temp", "36.5");
	set(&r, "route", "emergency");
	assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_OK);
	assert_int_equal(rec_get(f->lb, r.seq, &r, &e), E_OK);
	assert_string_equal(r.u.triage.route, "emergency");
	assert_string_equal(r.u.triage.suggested, "general_clinic");
	assert_int_equal(
	    rec_field_set(&r, rec_field_find(REC_TRIAGE, "symptoms"), "sneeze", &e), E_INVALID);
}

/* ---- bins ---- */

static int
bins_cb(const struct bin_status *b, void *arg)
{
	struct bin_status *out = arg;

	out[strcmp(b->code, "B1") == 0 ? 0 : 1] = *b;
	return 0;
}

static void
test_bins_overdue(void **state)
{
	struct fx *f = *state;
	struct bin_status bs[2];
	struct record r;
	struct err e;

	rec_init(&r, REC_BIN);
	set(&r, "code", "b1");
	set(&r, "place", "东门");
	assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_OK);
	set(&r, "code", "B1");
	assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_INVALID); /* registered */
	set(&r, "code", "B2");
	assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_OK);
	rec_init(&r, REC_COLLECTION);
	set(&r, "bin", "B9");
	set(&r, "bags", "2");
	assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_INVALID); /* unknown bin */
	now("2026-03-01T20:00:00");
	set(&r, "bin", "B1");
	set(&r, "weight_kg", "3.5");
	set(&r, "fill", "80");
	set(&r, "seal", "S-1");
	assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_OK);
	assert_int_equal(r.u.collection.weight, 35);
	now("2026-03-02T09:00:00"); /* 25 h after registration, 13 h after B1's collection */
	assert_int_equal(rec_bins(f->lb, bins_cb, bs, &e), E_OK);
	assert_int_equal(bs[0].overdue, 0);
	assert_int_equal(bs[1].overdue, 1);
	now("2026-03-02T20:00:01");
	assert_int_equal(rec_bins(f->lb, bins_cb, bs, &e), E_OK);
	assert_int_equal(bs[0].overdue, 1);
}

/* ---- purge ---- */

static void
test_purge(void **state)
{
	struct fx *f = *state;
	struct purge_result pr;
	struct report rep;
	struct record r;
	struct names s;
	struct err e;
	int64_t old, fresh;

	now("2026-03-01T10:00:00");
	old = add_visitor(f->lb, "旧人");
	now("2026-03-20T10:00:00");
	fresh = add_visitor(f->lb, "新人");
	now("2026-03-29T10:00:01"); /* 28 days and a second after the old one */
	assert_int_equal(rec_purge(f->lb, &pr, &e), E_OK);
	assert_int_equal(pr.records, 1);
	assert_int_equal(pr.per_kind[REC_VISITOR], 1);
	assert_true(pr.fields >= 4);
	assert_int_equal(rec_get(f->lb, old, &r, &e), E_OK);
	assert_int_equal(r.purged, 1);
	assert_string_equal(r.u.visitor.name, "");
	assert_string_equal(r.u.visitor.id_number, "");
	assert_string_equal(r.u.visitor.health_code, "green"); /* not personal: kept */
	assert_int_equal(rec_get(f->lb, fresh, &r, &e), E_OK);
	assert_string_equal(r.u.visitor.name, "新人");
	memset(&s, 0, sizeof s);
	assert_int_equal(rec_search(f->lb, "旧", 0, collect_names, &s, &e), E_OK);
	assert_int_equal(s.n, 0);
	/* counts stay */
	assert_int_equal(report_day(f->lb, day_of("2026-03-01T10:00:00"), &rep, &e), E_OK);
	assert_int_equal(rep.count[REC_VISITOR], 1);
	/* purging again removes nothing more */
	assert_int_equal(rec_purge(f->lb, &pr, &e), E_OK);
	assert_int_equal(pr.records, 0);
}

/* ---- outbox ---- */

struct rows {
	int64_t seq[16];
	uint8_t hash[16][OUTBOX_HASH_LEN];
	int n;
};

static int
rows_cb(const struct outbox_row *row, void *arg)
{
	struct rows *rs = arg;
	struct record r;
	struct err e;
	uint8_t h[OUTBOX_HASH_LEN];

	outbox_hash(row, h);
	assert_memory_equal(h, row->hash, OUTBOX_HASH_LEN);
	assert_int_equal(outbox_decode(row, &r, &e), E_OK);
	assert_int_equal(r.seq, row->seq);
	assert_string_equal(rec_kind_name(r.kind), row->kind);
	rs->seq[rs->n] = row->seq;
	memcpy(rs->hash[rs->n], row->hash, OUTBOX_HASH_LEN);
	rs->n++;
	return 0;
}

static void
test_outbox(void **state)
{
	struct fx *f = *state;
	struct rows a, b;
	int64_t last, s1;
	struct record r;
	struct err e;
	int i;

	for (i = 0; i < 5; i++)
		add_visitor(f->lb, "访客");
	s1 = 1;
	assert_int_equal(rec_get(f->lb, s1, &r, &e), E_OK);
	set(&r, "reason", "送货");
	assert_int_equal(rec_correct(f->lb, s1, &r, "reason", NULL, &e), E_OK);
	assert_int_equal(outbox_last_seq(f->lb), 6);
	assert_int_equal(outbox_pending(f->lb), 6);
	memset(&a, 0, sizeof a);
	assert_int_equal(outbox_read(f->lb, 0, 4, 0, rows_cb, &a, &last, &e), E_OK);
	assert_int_equal(a.n, 4);
	assert_int_equal(last, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(a.seq[i], i + 1); /* gap-free, in order */
	memset(&b, 0, sizeof b);
	assert_int_equal(outbox_read(f->lb, last, 0, 0, rows_cb, &b, &last, &e), E_OK);
	assert_int_equal(b.n, 2);
	assert_int_equal(last, 6);
	/* a byte limit still gives at least one row */
	memset(&b, 0, sizeof b);
	assert_int_equal(outbox_read(f->lb, 0, 0, 10, rows_cb, &b, &last, &e), E_OK);
	assert_int_equal(b.n, 1);
	/* the same rows hash the same on a second read */
	memset(&b, 0, sizeof b);
	assert_int_equal(outbox_read(f->lb, 0, 4, 0, rows_cb, &b, NULL, &e), E_OK);
	assert_memory_equal(a.hash, b.hash, sizeof a.hash[0] * 4);
	assert_int_equal(outbox_set_acked(f->lb, 4, &e), E_OK);
	assert_int_equal(outbox_acked(f->lb), 4);
	assert_int_equal(outbox_pending(f->lb), 2);
	assert_int_equal(outbox_set_acked(f->lb, 2, &e), E_OK); /* never backwards */
	assert_int_equal(outbox_acked(f->lb), 4);
	assert_int_equal(outbox_set_acked(f->lb, 99, &e), E_INVALID);
}

static void
test_body_round_trip(void **state)
{
	struct fx *f = *state;
	struct outbox_row row;
	struct record r, back;
	struct err e;
	int64_t last;
	struct rows rs;

	(void)rs;
	rec_init(&r, REC_VISITOR);
	set(&r, "id_type", "passport");
	set(&r, "id_number", "e1234567");
	set(&r, "name", "O'Brien \"Bob\" \\ 李");
	set(&r, "phone", "+852 9123 4567");
	set(&r, "host", "10-1-1001");
	set(&r, "reason", "line1 \"x\"");
	set(&r, "health_code", "yellow");
	set(&r, "temp", "36.6");
	assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_OK);
	assert_int_equal(rec_get(f->lb, r.seq, &back, &e), E_OK);
	assert_string_equal(back.u.visitor.name, "O'Brien \"Bob\" \\ 李");
	assert_string_equal(back.u.visitor.reason, "line1 \"x\"");
	set(&r, "reason", "tab\there");
	assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_INVALID);
	assert_string_equal(back.u.visitor.id_number, "E1234567");
	assert_int_equal(back.tz_min, clock_tz_min(back.created_ms));
	/* the body is already canonical: SQLite's json() gives the very same text */
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(f->db,
				     "SELECT count(*), sum(json(body) = body) "
				     "FROM records",
				     -1, &st, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_true(sqlite3_column_int(st, 0) > 0);
		assert_int_equal(sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));
		sqlite3_finalize(st);
	}
	/* a row from elsewhere with a broken body is refused, not guessed */
	memset(&row, 0, sizeof row);
	snprintf(row.kind, sizeof row.kind, "visitor");
	row.body = "{\"v\":1,\"action\":\"add\",\"data\":{\"name\":\"x\"";
	row.body_len = strlen(row.body);
	assert_int_equal(outbox_decode(&row, &back, &e), E_INVALID);
	row.body = "{\"v\":2,\"action\":\"add\",\"data\":{}}";
	assert_int_equal(outbox_decode(&row, &back, &e), E_INVALID);
	snprintf(row.kind, sizeof row.kind, "spaceship");
	row.body = "{\"v\":1,\"action\":\"add\",\"data\":{}}";
	assert_int_equal(outbox_decode(&row, &back, &e), E_INVALID);
	(void)last;
}

/* rec_list_newest (the sign-in screen's names through the kind's index) gives what rec_list
 * by kind gives, newest first: latest versions, deleted ones left out, other kinds never. */
static int
stop_after_two(const struct record *r, void *arg)
{
	struct seqs *s = arg;

	collect_seqs(r, arg);
	return s->n == 2;
}

static void
test_list_newest(void **state)
{
	static const int kinds[] = {REC_SIGNIN, REC_TEMP, REC_VISITOR};
	struct fx *f = *state;
	struct seqs all, newest;
	struct rec_notice n;
	struct record r;
	struct err e;
	int64_t t1, t2, t3;
	size_t k;
	int i, rc;

	assert_int_equal(logbook_signin(f->lb, "值班员甲", NULL, &e), E_OK);
	t1 = add_temp(f->lb, "36.5", &n, &rc, &e);
	assert_int_equal(logbook_signin(f->lb, "值班员乙", NULL, &e), E_OK);
	t2 = add_temp(f->lb, "36.6", &n, &rc, &e);
	t3 = add_temp(f->lb, "36.7", &n, &rc, &e);
	add_visitor(f->lb, "王一");
	assert_int_equal(logbook_signin(f->lb, "值班员甲", NULL, &e), E_OK);
	assert_int_equal(rec_get(f->lb, t1, &r, &e), E_OK);
	set(&r, "value", "36.9");
	assert_int_equal(rec_correct(f->lb, t1, &r, "misread", &n, &e), E_OK);
	assert_int_equal(rec_delete(f->lb, t2, "wrong person", NULL, &e), E_OK);
	assert_int_equal(logbook_signin(f->lb, "值班员丙", NULL, &e), E_OK);
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		struct rec_query q = {.kind = kinds[k]};

		memset(&all, 0, sizeof all);
		memset(&newest, 0, sizeof newest);
		assert_int_equal(rec_list(f->lb, &q, collect_seqs, &all, &e), E_OK);
		assert_int_equal(rec_list_newest(f->lb, kinds[k], collect_seqs, &newest, &e), E_OK);
		assert_true(all.n > 0);
		assert_int_equal(newest.n, all.n);
		for (i = 0; i < all.n; i++) {
			assert_true(newest.v[i] == all.v[all.n - 1 - i]);
			assert_true(newest.root[i] == all.root[all.n - 1 - i]);
		}
	}
	/* the temperatures: t3, then t1 as corrected; t2 deleted */
	memset(&newest, 0, sizeof newest);
	assert_int_equal(rec_list_newest(f->lb, REC_TEMP, collect_seqs, &newest, &e), E_OK);
	assert_int_equal(newest.n, 2);
	assert_true(newest.v[0] == t3 && newest.root[1] == t1 && newest.v[1] != t1);
	/* four sign-ins; the callback stops it */
	memset(&newest, 0, sizeof newest);
	assert_int_equal(rec_list_newest(f->lb, REC_SIGNIN, collect_seqs, &newest, &e), E_OK);
	assert_int_equal(newest.n, 4);
	memset(&newest, 0, sizeof newest);
	assert_int_equal(rec_list_newest(f->lb, REC_SIGNIN, stop_after_two, &newest, &e), E_OK);
	assert_int_equal(newest.n, 2);
	assert_int_equal(rec_get(f->lb, newest.v[0], &r, &e), E_OK);
	assert_string_equal(r.u.signin.name, "值班员丙");
	assert_int_equal(rec_get(f->lb, newest.v[1], &r, &e), E_OK);
	assert_string_equal(r.u.signin.name, "值班员甲");
}

/* ---- shifts and reports ---- */

static void
test_shift_and_report(void **state)
{
	struct fx *f = *state;
	struct report rep;
	struct record r;
	struct err e;
	int64_t shift, ho;
	int rc;

	assert_int_equal(logbook_signin(f->lb, "", NULL, &e), E_INVALID);
	assert_int_equal(logbook_signin(f->lb, "值班员甲", &shift, &e), E_OK);
	assert_string_equal(logbook_operator(f->lb), "值班员甲");
	assert_int_equal(logbook_shift(f->lb), shift);
	now("2026-03-01T09:10:00");
	add_temp(f->lb, "38.2", NULL, &rc, &e);
	assert_int_equal(rc, E_OK);
	add_temp(f->lb, "36.2", NULL, &rc, &e);
	add_visitor(f->lb, "客人");
	assert_int_equal(rec_get(f->lb, outbox_last_seq(f->lb), &r, &e), E_OK);
	assert_string_equal(r.operator_name, "值班员甲");
	assert_int_equal(r.shift, shift);
	/* the session is in the file: a second handle sees it */
	{
		struct logbook *lb2;

		assert_int_equal(logbook_open(f->db, &lb2, &e), E_OK);
		assert_int_equal(logbook_shift(lb2), shift);
		logbook_close(lb2);
	}
	assert_int_equal(report_shift(f->lb, shift, &rep, &e), E_OK);
	assert_int_equal(rep.count[REC_TEMP], 2);
	assert_int_equal(rep.fevers, 1);
	assert_int_equal(rep.fevers_pending, 1);
	assert_int_equal(rep.inside_now, 1);
	assert_int_equal(rep.hourly[9], 3);
	assert_int_equal(logbook_handover(f->lb, "all quiet", &ho, &e), E_OK);
	assert_int_equal(rec_get(f->lb, ho, &r, &e), E_OK);
	assert_non_null(strstr(r.u.handover.summary, "fevers 1"));
	assert_string_equal(logbook_operator(f->lb), "");
	assert_int_equal(logbook_handover(f->lb, NULL, NULL, &e), E_INVALID);
	assert_int_equal(report_day(f->lb, day_of("2026-03-01T00:00:00"), &rep, &e), E_OK);
	assert_int_equal(rep.count[REC_TEMP], 2);
	assert_int_equal(rep.count[REC_SIGNIN], 1);
	assert_int_equal(report_day(f->lb, day_of("2026-03-02T00:00:00"), &rep, &e), E_OK);
	assert_int_equal(rep.count[REC_TEMP], 0);
}

/* ---- export ---- */

static void
test_export(void **state)
{
	struct fx *f = *state;
	struct rec_query q;
	struct err e;
	char *buf = NULL;
	size_t len;
	int64_t n;
	FILE *fp;

	add_visitor(f->lb, "=cmd|' /C calc'!A0");
	add_visitor(f->lb, "张三, Jr.");
	memset(&q, 0, sizeof q);
	fp = open_memstream(&buf, &len);
	assert_int_equal(export_write(f->lb, fp, EXPORT_CSV, &q, &n, &e), E_OK);
	fclose(fp);
	assert_int_equal(n, 2);
	assert_memory_equal(buf, "\xEF\xBB\xBFref,version,kind,", 20);
	assert_non_null(strstr(buf, "\"张三, Jr.\""));
	assert_non_null(strstr(buf, "'=cmd")); /* formula guard */
	assert_non_null(strstr(buf, "\r\n"));
	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	assert_int_equal(export_write(f->lb, fp, EXPORT_JSONL, &q, &n, &e), E_OK);
	fclose(fp);
	assert_non_null(strstr(buf, "\"kind\":\"visitor\""));
	assert_non_null(strchr(strchr(buf, '\n') + 1, '\n')); /* two lines */
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init_and_settings, setup_gate, teardown),
	    cmocka_unit_test(test_clock),
	    cmocka_unit_test(test_init_refuses),
	    cmocka_unit_test(test_migrate_from_v1),
	    cmocka_unit_test(test_migrate_from_v2),
	    cmocka_unit_test(test_migrate_from_v3),
	    cmocka_unit_test(test_migrate_from_each),
	    cmocka_unit_test_setup_teardown(test_append_only, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_batch_in_one_transaction, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_temp_range_and_recheck, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_rechecks_pending_exact, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_vehicle_flags, setup_traffic, teardown),
	    cmocka_unit_test_setup_teardown(test_id_check_override, setup_traffic, teardown),
	    cmocka_unit_test_setup_teardown(test_quota_midnight, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_visitors_inside, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_correct_history_search, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_search_newest_first, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_search_same_as_reference, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_watchlist, setup_traffic, teardown),
	    cmocka_unit_test_setup_teardown(test_triage_routes, setup_triage, teardown),
	    cmocka_unit_test_setup_teardown(test_bins_overdue, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_purge, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_body_round_trip, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_list_newest, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_shift_and_report, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_export, setup_gate, teardown),
	};

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
