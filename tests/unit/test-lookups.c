/* test-lookups.c — return values that used to be lost (issue 11 item 7): a lookup whose SQL
 * fails says so instead of answering "no" (a second exit, a second recheck, a duplicate bin,
 * a record stored without its watchlist check) or "yes"; logbook_init's BEGIN is checked.
 * The failure is forced on the very statement: an authorizer notes when the lookup's
 * statement is prepared (it reads table.column first) and a progress handler interrupts
 * its first step, so SQLite returns SQLITE_INTERRUPT exactly there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "storage/logbook.h"
#include "storage/query.h"
#include "storage/record.h"
#include "storage/watchlist.h"

static const char *ID_OK = "11010519491231002X";

/* rc must be want; says e's message when it is not. */
#define expect_rc(rc, want, e)                                                              \
	do {                                                                                \
		int rc_ = (rc);                                                             \
		if (rc_ != (want))                                                          \
			print_message("# %s\n", (e)->msg);                                  \
		assert_int_equal(rc_, (want));                                              \
	} while (0)

static struct {
	const char *table, *column;
	int armed, pending, fired;
	int deny_begin_after_settings, seen_settings_insert;
} fault;

static int
authorize(void *u, int action, const char *a, const char *b, const char *db, const char *trg)
{
	(void)u;
	(void)db;
	(void)trg;
	if (fault.armed && action == SQLITE_READ && a != NULL && b != NULL &&
	    strcmp(a, fault.table) == 0 && strcmp(b, fault.column) == 0) {
		fault.armed = 0;
		fault.pending = 1;
	}
	if (action == SQLITE_INSERT && a != NULL && strcmp(a, "settings") == 0)
		fault.seen_settings_insert = 1;
	if (fault.deny_begin_after_settings && fault.seen_settings_insert &&
	    action == SQLITE_TRANSACTION && a != NULL && strcmp(a, "BEGIN") == 0)
		return SQLITE_DENY;
	return SQLITE_OK;
}

static int
progress(void *u)
{
	(void)u;
	if (fault.pending) {
		fault.pending = 0;
		fault.fired++;
		return 1;
	}
	return 0;
}

/* The next statement that reads table.column fails on its first step. */
static void
arm(const char *table, const char *column)
{
	fault.table = table;
	fault.column = column;
	fault.armed = 1;
	fault.pending = 0;
	fault.fired = 0;
}

struct fx {
	sqlite3 *db;
	struct logbook *lb;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;

	setenv("OUTPOST_NOW", "2026-03-01T08:00:00", 1);
	memset(&fault, 0, sizeof fault);
	assert_non_null(f);
	assert_int_equal(sqlite3_open(":memory:", &f->db), SQLITE_OK);
	assert_int_equal(logbook_init(f->db, "gate", "测试站", &e), E_OK);
	assert_int_equal(logbook_open(f->db, &f->lb, &e), E_OK);
	assert_int_equal(logbook_signin(f->lb, "李警官", NULL, &e), E_OK);
	sqlite3_set_authorizer(f->db, authorize, NULL);
	sqlite3_progress_handler(f->db, 1, progress, NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	logbook_close(f->lb);
	sqlite3_close(f->db);
	free(f);
	return 0;
}

static int
count_cb(const struct record *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static int
count_kind(struct logbook *lb, int kind)
{
	struct rec_query q = {0};
	struct err e;
	int n = 0;

	q.kind = kind;
	assert_int_equal(rec_list(lb, &q, count_cb, &n, &e), E_OK);
	return n;
}

static int
add_visitor(struct logbook *lb, const char *id, struct record *r, struct err *e)
{
	rec_init(r, REC_VISITOR);
	snprintf(r->u.visitor.id_number, sizeof r->u.visitor.id_number, "%s", id);
	snprintf(r->u.visitor.name, sizeof r->u.visitor.name, "%s", "张三");
	snprintf(r->u.visitor.phone, sizeof r->u.visitor.phone, "%s", "13812345678");
	snprintf(r->u.visitor.host, sizeof r->u.visitor.host, "%s", "3-2-301");
	snprintf(r->u.visitor.health_code, sizeof r->u.visitor.health_code, "%s", "green");
	r->u.visitor.temp = 365; /* measured at the gate (temp_required) */
	return rec_add(lb, r, NULL, e);
}

/* is_live_exit_of: an error was "no exit yet", so rec_exit stored a second exit. */
static void
test_exit_lookup_error(void **state)
{
	struct fx *f = *state;
	struct record r;
	struct err e;

	assert_int_equal(add_visitor(f->lb, ID_OK, &r, &e), E_OK);
	assert_int_equal(rec_exit(f->lb, r.seq, NULL, &e), E_OK);
	assert_int_equal(rec_exit(f->lb, r.seq, NULL, &e), E_INVALID); /* already left */
	arm("records", "ref_seq");
	assert_int_equal(rec_exit(f->lb, r.seq, NULL, &e), E_IO);
	assert_int_equal(fault.fired, 1);
	assert_int_equal(count_kind(f->lb, REC_EXIT), 1);
}

/* has_recheck: an error was "not rechecked yet", so a second recheck was stored. */
static void
test_recheck_lookup_error(void **state)
{
	struct fx *f = *state;
	struct record t, c;
	struct err e;

	rec_init(&t, REC_TEMP);
	t.u.temp.value = 385;
	assert_int_equal(rec_add(f->lb, &t, NULL, &e), E_OK);
	setenv("OUTPOST_NOW", "2026-03-01T08:20:00", 1);
	rec_init(&c, REC_TEMP);
	c.u.temp.value = 365;
	c.u.temp.recheck_of = t.seq;
	snprintf(c.u.temp.disposition, sizeof c.u.temp.disposition, "%s", "pass");
	expect_rc(rec_add(f->lb, &c, NULL, &e), E_OK, &e);
	rec_init(&c, REC_TEMP);
	c.u.temp.value = 366;
	c.u.temp.recheck_of = t.seq;
	snprintf(c.u.temp.disposition, sizeof c.u.temp.disposition, "%s", "pass");
	assert_int_equal(rec_add(f->lb, &c, NULL, &e), E_INVALID); /* already rechecked */
	arm("records", "ref_seq");
	rec_init(&c, REC_TEMP);
	c.u.temp.value = 366;
	c.u.temp.recheck_of = t.seq;
	snprintf(c.u.temp.disposition, sizeof c.u.temp.disposition, "%s", "pass");
	assert_int_equal(rec_add(f->lb, &c, NULL, &e), E_IO);
	assert_int_equal(fault.fired, 1);
	assert_int_equal(count_kind(f->lb, REC_TEMP), 2);
}

/* live_bin: an error was "no such bin", so a duplicate bin was registered (and a
 * collection was told its bin is not in the registry). */
static void
test_bin_lookup_error(void **state)
{
	struct fx *f = *state;
	struct record b;
	struct err e;

	rec_init(&b, REC_BIN);
	snprintf(b.u.bin.code, sizeof b.u.bin.code, "%s", "B1");
	snprintf(b.u.bin.place, sizeof b.u.bin.place, "%s", "3号楼");
	expect_rc(rec_add(f->lb, &b, NULL, &e), E_OK, &e);
	assert_int_equal(rec_add(f->lb, &b, NULL, &e), E_INVALID); /* already registered */
	arm("records", "body");
	rec_init(&b, REC_BIN);
	snprintf(b.u.bin.code, sizeof b.u.bin.code, "%s", "B1");
	snprintf(b.u.bin.place, sizeof b.u.bin.place, "%s", "3号楼");
	assert_int_equal(rec_add(f->lb, &b, NULL, &e), E_IO);
	assert_int_equal(fault.fired, 1);
	assert_int_equal(count_kind(f->lb, REC_BIN), 1);
	arm("records", "body");
	rec_init(&b, REC_COLLECTION);
	snprintf(b.u.collection.bin, sizeof b.u.collection.bin, "%s", "B1");
	b.u.collection.bags = 1;
	assert_int_equal(rec_add(f->lb, &b, NULL, &e), E_IO);
	assert_null(strstr(e.msg, "not in the registry"));
}

/* watchlist_match: an error was "not on the watchlist", so the record was stored with
 * no alert; now the write stops. */
static void
test_watchlist_lookup_error(void **state)
{
	struct fx *f = *state;
	struct watch_entry w = {0};
	struct record r;
	struct err e;

	snprintf(w.type, sizeof w.type, "%s", "id");
	snprintf(w.value, sizeof w.value, "%s", ID_OK);
	snprintf(w.reason, sizeof w.reason, "%s", "wanted");
	w.version = 1;
	assert_int_equal(watchlist_apply(f->lb, &w, &e), E_OK);
	assert_int_equal(watchlist_match(f->lb, "id", ID_OK, NULL, &e), LOOKUP_YES);
	arm("watchlist", "reason");
	assert_int_equal(watchlist_match(f->lb, "id", ID_OK, NULL, &e), LOOKUP_ERROR);
	arm("watchlist", "reason");
	assert_int_equal(add_visitor(f->lb, ID_OK, &r, &e), E_IO);
	assert_int_equal(count_kind(f->lb, REC_VISITOR), 0);
	assert_int_equal(add_visitor(f->lb, ID_OK, &r, &e), E_OK);
	assert_non_null(strstr(r.alert, "wanted"));
}

/* logbook_init: a BEGIN that fails stops it before any setting is written (it used to go
 * on in autocommit and leave half the settings behind). */
static void
test_init_begin_checked(void **state)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	struct err e;

	(void)state;
	memset(&fault, 0, sizeof fault);
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	sqlite3_set_authorizer(db, authorize, NULL);
	fault.deny_begin_after_settings = 1;
	assert_int_not_equal(logbook_init(db, "gate", "测试站", &e), E_OK);
	assert_true(e.msg[0] != '\0');
	sqlite3_set_authorizer(db, NULL, NULL);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM settings", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exit_lookup_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recheck_lookup_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bin_lookup_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watchlist_lookup_error, setup, teardown),
		cmocka_unit_test(test_init_begin_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
