/* test-kinds.c — the rules of each kind of record, as written once in storage/kind-*.c and
 * asked both by rec_add and by rec_verdict (the live verdict a form shows): fevers released
 * as pass, triage routes below the suggestion, temperatures with every passage (visitor,
 * resident, driver and passengers) and their rechecks, the same person inside twice, the
 * operator who takes over an open shift, older vehicle bodies, and the report's counts:
 * what each kind adds to a report, one row per kind (a kind added without its row fails). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "storage/fields.h"
#include "storage/inside.h"
#include "storage/logbook.h"
#include "storage/query.h"
#include "storage/rechecks.h"
#include "storage/record.h"
#include "storage/report.h"

static const char *ID_A = "11010519491231002X";
static const char *ID_B = "110105194912310011"; /* another valid one (check character 1) */

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
	assert_int_equal(logbook_signin(f->lb, "王秀舟", NULL, &e), E_OK);
	return f;
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
	struct fx *f = *state;

	logbook_close(f->lb);
	sqlite3_close(f->db);
	free(f);
	return 0;
}

static void
set(struct record *r, const char *name, const char *text)
{
	const struct rec_field *f = rec_field_find(r->kind, name);
	struct err e;

	assert_non_null(f);
	if (rec_field_set(r, f, text, &e) != E_OK)
		fail_msg("%s: %s", name, e.msg);
}

static void
visitor(struct record *r, const char *id, const char *temp)
{
	rec_init(r, REC_VISITOR);
	set(r, "id_number", id);
	set(r, "name", "张三");
	set(r, "phone", "13812345678");
	set(r, "host", "3-2-301");
	set(r, "health_code", "green");
	if (temp != NULL)
		set(r, "temp", temp);
}

static int
count_cb(const struct record *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static int
pending_count(struct logbook *lb)
{
	struct err e;
	int n = 0;

	assert_int_equal(rec_rechecks_pending(lb, count_cb, &n, &e), E_OK);
	assert_int_equal(rec_rechecks_count(lb), n);
	return n;
}

/* Every kind names the fields its one-line row shows: 1 to 4, all in its own table; and
 * only the kinds whose rules flag records say a record is flagged. */
static void
test_kind_summary_and_flags(void **state)
{
	struct record r;
	int k, i;

	(void)state;
	for (k = REC_TEMP; k < REC_KIND_COUNT; k++) {
		const char *const *cols = rec_kind_summary(k);

		assert_non_null(cols);
		for (i = 0; cols[i] != NULL; i++)
			if (rec_field_find(k, cols[i]) == NULL)
				fail_msg("kind %d shows %s, which it has not", k, cols[i]);
		assert_true(i >= 1 && i <= 4);
		rec_init(&r, k);
		assert_false(rec_flagged(&r)); /* nothing is flagged until a rule says so */
	}
	assert_null(rec_kind_summary(0));
	assert_null(rec_kind_summary(REC_KIND_COUNT));
	rec_init(&r, REC_VEHICLE);
	r.u.vehicle.flagged = 1;
	assert_true(rec_flagged(&r));
	rec_init(&r, REC_RESIDENT);
	r.u.resident.quota_exceeded = 1;
	assert_true(rec_flagged(&r));
	rec_init(&r, REC_TEMP);
	r.u.temp.fever = 1; /* a fever is a fever, not a rule's flag */
	assert_false(rec_flagged(&r));
}

/* What a report counts beyond every record's own counts, one of each. */
struct kind_counts {
	int64_t released, disp[5], overrides, flagged, quota, collected;
};

static struct kind_counts
counts_of(const struct report *rep)
{
	struct kind_counts c;

	memset(&c, 0, sizeof c);
	c.released = rep->released;
	memcpy(c.disp, rep->dispositions, sizeof c.disp);
	c.overrides = rep->route_overrides;
	c.flagged = rep->flagged;
	c.quota = rep->quota_exceeded;
	c.collected = rep->bins_collected;
	return c;
}

static void
mark_temp_released(struct record *r)
{
	r->u.temp.fever = 1;
	strcpy(r->u.temp.disposition, "pass");
	strcpy(r->u.temp.override_reason, "reason");
}
static void
mark_temp_recheck(struct record *r)
{
	r->u.temp.recheck_of = 3;
	strcpy(r->u.temp.disposition, "referred");
}
static void
mark_temp_other(struct record *r)
{
	r->u.temp.recheck_of = 3;
	strcpy(r->u.temp.disposition, "odd");
}
static void
mark_vehicle(struct record *r)
{
	r->u.vehicle.flagged = 1;
}
static void
mark_resident(struct record *r)
{
	r->u.resident.quota_exceeded = 1;
}
static void
mark_triage(struct record *r)
{
	strcpy(r->u.triage.suggested, "fever_clinic");
	strcpy(r->u.triage.route, "general_clinic");
	strcpy(r->u.triage.override_reason, "reason");
}
static void
mark_nothing(struct record *r)
{
	(void)r;
}

/* Each kind's own counts in a report (storage/kind-*.c's tally): every kind has a row here,
 * so a kind added without deciding what its records count for fails; each row's record
 * adds exactly what the row says, and a fresh record of every kind adds nothing but a
 * collection (every collection is one). */
static void
test_kind_report_counts(void **state)
{
	static const struct {
		int kind;
		void (*mark)(struct record *);
		struct kind_counts want;
	} rows[] = {
	    {REC_TEMP, mark_temp_released, {.released = 1}},
	    {REC_TEMP, mark_temp_recheck, {.disp = {0, 0, 1, 0, 0}}},
	    {REC_TEMP, mark_temp_other, {.disp = {0, 0, 0, 0, 1}}},
	    {REC_VEHICLE, mark_vehicle, {.flagged = 1}},
	    {REC_RESIDENT, mark_resident, {.quota = 1}},
	    {REC_VISITOR, mark_nothing, {0}},
	    {REC_EXIT, mark_nothing, {0}},
	    {REC_TRIAGE, mark_triage, {.overrides = 1}},
	    {REC_BIN, mark_nothing, {0}},
	    {REC_COLLECTION, mark_nothing, {.collected = 1}},
	    {REC_SIGNIN, mark_nothing, {0}},
	    {REC_HANDOVER, mark_nothing, {0}},
	};
	struct kind_counts got, none;
	struct report rep;
	struct record r;
	size_t i;
	int k, seen;

	(void)state;
	for (k = 1; k < REC_KIND_COUNT; k++) {
		for (seen = 0, i = 0; i < sizeof rows / sizeof rows[0]; i++)
			seen |= rows[i].kind == k;
		if (!seen)
			fail_msg("kind %s has no row: what do its records count for in a report?",
			    rec_kind_name(k));
	}
	memset(&none, 0, sizeof none);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		rec_init(&r, rows[i].kind);
		rows[i].mark(&r);
		memset(&rep, 0, sizeof rep);
		report_tally_kind(&r, &rep);
		got = counts_of(&rep);
		if (memcmp(&got, &rows[i].want, sizeof got) != 0)
			fail_msg(
			    "row %zu (%s): released %lld, dispositions %lld %lld %lld %lld %lld, "
			    "overrides %lld, flagged %lld, quota %lld, collected %lld",
			    i, rec_kind_name(rows[i].kind), (long long)got.released,
			    (long long)got.disp[0], (long long)got.disp[1], (long long)got.disp[2],
			    (long long)got.disp[3], (long long)got.disp[4],
			    (long long)got.overrides, (long long)got.flagged, (long long)got.quota,
			    (long long)got.collected);
		/* a flag a kind's rules raise is counted */
		if (rec_flagged(&r))
			assert_true(got.flagged + got.quota == 1);
		if (rows[i].kind == REC_COLLECTION)
			continue;
		rec_init(&r, rows[i].kind);
		memset(&rep, 0, sizeof rep);
		report_tally_kind(&r, &rep);
		got = counts_of(&rep);
		assert_memory_equal(&got, &none, sizeof got);
	}
	/* a triage route on the suggestion overrides nothing, whatever the reason says */
	rec_init(&r, REC_TRIAGE);
	strcpy(r.u.triage.suggested, "general_clinic");
	strcpy(r.u.triage.route, "general_clinic");
	strcpy(r.u.triage.override_reason, "reason");
	memset(&rep, 0, sizeof rep);
	report_tally_kind(&r, &rep);
	assert_int_equal(rep.route_overrides, 0);
	/* a fever passed without a reason is no release on a reason */
	rec_init(&r, REC_TEMP);
	r.u.temp.fever = 1;
	strcpy(r.u.temp.disposition, "pass");
	memset(&rep, 0, sizeof rep);
	report_tally_kind(&r, &rep);
	assert_int_equal(rep.released, 0);
}

static void
test_release_despite_fever(void **state)
{
	struct fx *f = *state;
	struct rec_notice n;
	struct record r;
	struct report rep;
	struct err e;
	int64_t first;

	rec_init(&r, REC_TEMP);
	set(&r, "value", "38.9");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	first = r.seq;
	assert_int_equal(n.fever, 1);
	now("2026-03-01T08:16:00");
	/* still 38.9 at the recheck: "pass" is refused without a reason */
	rec_init(&r, REC_TEMP);
	set(&r, "value", "38.9");
	r.u.temp.recheck_of = first;
	set(&r, "disposition", "pass");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "override_reason"));
	assert_int_equal(n.needs_reason, 1);
	assert_int_equal(pending_count(f->lb), 1); /* nothing stored */
	/* the live verdict says the same before saving */
	assert_int_equal(rec_verdict(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(n.needs_reason, 1);
	assert_non_null(strstr(n.problem, "override_reason"));
	/* isolated needs no reason */
	set(&r, "disposition", "isolated");
	assert_int_equal(rec_verdict(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(n.needs_reason, 0);
	/* with a reason it is stored, said and counted on its own line */
	set(&r, "disposition", "pass");
	set(&r, "override_reason", "doctor on duty cleared: sunburn");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(n.released, 1);
	assert_non_null(strstr(n.text, "sunburn"));
	assert_int_equal(rec_get(f->lb, r.seq, &r, &e), E_OK);
	assert_string_equal(r.u.temp.override_reason, "doctor on duty cleared: sunburn");
	assert_int_equal(pending_count(f->lb), 0);
	assert_int_equal(report_shift(f->lb, logbook_shift(f->lb), &rep, &e), E_OK);
	assert_int_equal(rep.fevers, 1);
	assert_int_equal(rep.fevers_rechecked, 1);
	assert_int_equal(rep.released, 1);
	/* a first reading at or above the threshold released as pass: the same rule */
	rec_init(&r, REC_TEMP);
	set(&r, "value", "37.6");
	set(&r, "disposition", "pass");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	set(&r, "override_reason", "thermometer in the sun");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	/* released on its reason: no recheck is waited for */
	assert_int_equal(pending_count(f->lb), 0);
	assert_int_equal(report_shift(f->lb, logbook_shift(f->lb), &rep, &e), E_OK);
	assert_int_equal(rep.released, 2);
	assert_int_equal(rep.fevers_pending, 0);
}

static void
test_triage_override(void **state)
{
	struct fx *f = *state;
	struct rec_notice n;
	struct record r;
	struct report rep;
	struct err e;

	/* half-filled: the suggestion and its rule are known as soon as the fields are */
	rec_init(&r, REC_TRIAGE);
	set(&r, "temp", "38.1");
	assert_int_equal(rec_verdict(f->lb, &r, &n, &e), E_OK);
	assert_string_equal(n.suggested, "fever_clinic");
	assert_non_null(strstr(n.rule, "threshold"));
	set(&r, "symptoms", "dyspnea");
	assert_int_equal(rec_verdict(f->lb, &r, &n, &e), E_OK);
	assert_string_equal(n.suggested, "emergency");
	/* a febrile contact of a confirmed case sent to the general clinic: refused */
	rec_init(&r, REC_TRIAGE);
	set(&r, "name", "李四");
	set(&r, "temp", "38.1");
	set(&r, "epi", "contact_confirmed");
	set(&r, "route", "general_clinic");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "override_reason"));
	assert_non_null(strstr(e.msg, "fever_clinic"));
	/* above the suggestion needs nothing; with a reason, below is stored and reported */
	set(&r, "route", "fever_clinic");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(n.overridden, 0);
	rec_init(&r, REC_TRIAGE);
	set(&r, "name", "王五");
	set(&r, "temp", "36.6");
	set(&r, "symptoms", "cough");
	set(&r, "route", "general_clinic");
	set(&r, "override_reason", "fever clinic closed, referred by phone");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(n.overridden, 1);
	assert_string_equal(r.u.triage.suggested, "fever_clinic");
	assert_int_equal(report_shift(f->lb, logbook_shift(f->lb), &rep, &e), E_OK);
	assert_int_equal(rep.route_overrides, 1);
	assert_int_equal(rep.fevers, 1);
}

static void
test_visitor_temperature(void **state)
{
	struct fx *f = *state;
	struct rec_notice n;
	struct record r, c;
	struct report rep;
	struct err e;
	const struct rec_field *tf = rec_field_find(REC_VISITOR, "temp");

	/* required by default (temp_required = entries), not with off */
	visitor(&r, ID_A, NULL);
	assert_true(rec_field_required(f->lb, &r, tf));
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "temp"));
	assert_int_equal(settings_set(f->lb, "temp_required", "sometimes", &e), E_INVALID);
	assert_int_equal(settings_set(f->lb, "temp_required", "off", &e), E_OK);
	assert_false(rec_field_required(f->lb, &r, tf));
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(rec_exit(f->lb, r.seq, NULL, &e), E_OK);
	assert_int_equal(settings_set(f->lb, "temp_required", "entries", &e), E_OK);
	/* a feverish visitor: a fever like any other, waiting for its recheck */
	visitor(&r, ID_A, "38.4");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(n.fever, 1);
	assert_true(n.recheck_due_ms > 0);
	assert_int_equal(r.u.visitor.fever, 1);
	assert_int_equal(pending_count(f->lb), 1);
	/* rechecked with a temperature check pointing at it, after the window */
	rec_init(&c, REC_TEMP);
	set(&c, "value", "36.9");
	c.u.temp.recheck_of = r.seq;
	set(&c, "disposition", "pass");
	assert_int_equal(rec_add(f->lb, &c, &n, &e), E_INVALID); /* too early */
	assert_non_null(strstr(e.msg, "due at"));
	now("2026-03-01T08:15:00");
	assert_int_equal(rec_add(f->lb, &c, &n, &e), E_OK);
	assert_int_equal(pending_count(f->lb), 0);
	assert_int_equal(report_shift(f->lb, logbook_shift(f->lb), &rep, &e), E_OK);
	assert_int_equal(rep.fevers, 1);
	assert_int_equal(rep.fevers_rechecked, 1);
	/* residents: coming in is measured by default, going out is not; "all" measures both */
	rec_init(&r, REC_RESIDENT);
	set(&r, "direction", "in");
	set(&r, "household", "1-1-101");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	set(&r, "temp", "37.5");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(r.u.resident.fever, 1);
	assert_int_equal(pending_count(f->lb), 1);
	rec_init(&r, REC_RESIDENT);
	set(&r, "direction", "out");
	set(&r, "household", "1-1-101");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(settings_set(f->lb, "temp_required", "all", &e), E_OK);
	rec_init(&r, REC_RESIDENT);
	set(&r, "direction", "out");
	set(&r, "household", "1-1-102");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
}

static void
test_inside_twice(void **state)
{
	struct fx *f = *state;
	struct rec_notice n;
	struct record r;
	struct err e;
	int64_t first, found;

	visitor(&r, ID_A, "36.5");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	first = r.seq;
	/* the same ID number again: refused, naming the entry; the live verdict too */
	visitor(&r, "11010519491231002x", "36.6");
	assert_int_equal(rec_verdict(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(n.inside_seq, first);
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "already inside"));
	assert_int_equal(n.inside_seq, first);
	assert_int_equal(rec_inside_count(f->lb), 1);
	/* another person is fine; correcting the one inside is fine */
	visitor(&r, ID_B, "36.6");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(rec_get(f->lb, first, &r, &e), E_OK);
	set(&r, "name", "张三丰");
	assert_int_equal(rec_correct(f->lb, first, &r, "typo", &n, &e), E_OK);
	/* the correction is still the entry it was: its number and time */
	assert_int_equal(rec_get(f->lb, r.seq, &r, &e), E_OK);
	assert_int_equal(r.root_seq, first);
	assert_true(r.first_ms < r.created_ms || r.first_ms == r.created_ms);
	assert_int_equal(rec_inside_find(f->lb, ID_A, 0, &found, &e), 1);
	assert_int_equal(found, first);
	/* after the exit, the person may come in again */
	assert_int_equal(rec_exit(f->lb, first, NULL, &e), E_OK);
	visitor(&r, ID_A, "36.5");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
}

static void
test_vehicle_everyone_measured(void **state)
{
	struct fx *f = *state;
	struct rec_notice n;
	struct record r;
	struct report rep;
	struct err e;

	rec_init(&r, REC_VEHICLE);
	set(&r, "plate", "粤B12345");
	set(&r, "driver_name", "赵六");
	set(&r, "origin", "深圳");
	set(&r, "disposition", "pass");
	/* the driver's temperature is required; occupants are the passengers besides him */
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "driver_temp"));
	set(&r, "driver_temp", "36.5");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK); /* alone */
	set(&r, "occupants", "3");
	set(&r, "occupant_temps", "36.4,36.8");
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_INVALID);
	assert_non_null(strstr(e.msg, "3 passengers"));
	set(&r, "occupant_temps", "36.4,38.0,36.8");
	/* a feverish passenger, seen live, then stored as a fever waiting for its recheck */
	assert_int_equal(rec_verdict(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(n.fever, 1);
	assert_true(n.rule_fields &
	    (1u << (rec_field_find(REC_VEHICLE, "occupant_temps") -
		 rec_fields(REC_VEHICLE, &(size_t){0}))));
	assert_int_equal(rec_add(f->lb, &r, &n, &e), E_OK);
	assert_int_equal(r.u.vehicle.fever, 1);
	assert_int_equal(r.u.vehicle.flagged, 1);
	assert_non_null(strstr(r.u.vehicle.flag_reason, "passenger"));
	assert_int_equal(pending_count(f->lb), 1);
	assert_int_equal(report_shift(f->lb, logbook_shift(f->lb), &rep, &e), E_OK);
	assert_int_equal(rep.fevers, 1);
	assert_int_equal(rep.fevers_pending, 1);
	assert_int_equal(rep.waiting_now, 1);
}

/* A vehicle body from before driver_temp: "occupants" counted the driver, first. */
static void
test_vehicle_older_body(void **state)
{
	struct fx *f = *state;
	struct record r;
	struct err e;

	assert_int_equal(
	    sqlite3_exec(f->db,
		"INSERT INTO records(seq, kind, action, root_seq, created_ms, tz_min, "
		"operator, shift, body) VALUES (100, 'vehicle', 'add', 100, 0, 0, 'x', "
		"1, '{\"v\":1,\"action\":\"add\",\"ref\":0,\"root\":100,\"tz\":0,"
		"\"operator\":\"x\",\"shift\":1,\"reason\":\"\",\"alert\":\"\","
		"\"data\":{\"plate\":\"粤B12345\",\"occupants\":3,"
		"\"occupant_temps\":[36.1,36.2,36.3]}}')",
		NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(rec_get(f->lb, 100, &r, &e), E_OK);
	assert_int_equal(r.u.vehicle.driver_temp, 361);
	assert_int_equal(r.u.vehicle.occupants, 2);
	assert_int_equal(r.u.vehicle.occupant_temps[0], 362);
	assert_int_equal(r.u.vehicle.occupant_temps[1], 363);
	assert_int_equal(r.u.vehicle.occupant_temps[2], 0);
}

static void
test_operator_takes_over(void **state)
{
	struct fx *f = *state;
	struct record r;
	struct err e;
	int64_t old = logbook_shift(f->lb), ho, shift, fever;
	char want[64];

	rec_init(&r, REC_TEMP);
	set(&r, "value", "38.2");
	assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_OK);
	assert_string_equal(r.operator_name, "王秀舟");
	fever = r.seq;
	/* another name: the open shift ends with its handover, never silently */
	assert_int_equal(logbook_change(f->lb, "Ping", NULL, &ho, &shift, &e), E_OK);
	assert_true(ho > old && shift > ho);
	assert_string_equal(logbook_operator(f->lb), "Ping");
	assert_int_equal(rec_get(f->lb, ho, &r, &e), E_OK);
	assert_int_equal(r.kind, REC_HANDOVER);
	assert_int_equal(r.shift, old);
	assert_string_equal(r.operator_name, "王秀舟");
	assert_non_null(strstr(r.u.handover.note, "Ping"));
	/* the summary counts the fever still waiting, from any shift */
	snprintf(want, sizeof want, "rechecks waiting now 1: #%lld", (long long)fever);
	if (strstr(r.u.handover.summary, want) == NULL)
		fail_msg("summary: %s", r.u.handover.summary);
	assert_int_equal(logbook_last_handover(f->lb, &r, &e), 1);
	assert_int_equal(r.seq, ho);
	/* records are Ping's, exactly */
	rec_init(&r, REC_TEMP);
	set(&r, "value", "36.2");
	assert_int_equal(rec_add(f->lb, &r, NULL, &e), E_OK);
	assert_string_equal(r.operator_name, "Ping");
	assert_int_equal(r.shift, shift);
	/* an invalid name changes nothing */
	assert_int_equal(logbook_change(f->lb, "", NULL, &ho, NULL, &e), E_INVALID);
	assert_string_equal(logbook_operator(f->lb), "Ping");
	assert_int_equal(logbook_shift(f->lb), shift);
}

static void
test_kind_table(void **state)
{
	int k;

	(void)state;
	/* every kind has a name, a label and fields; a name parses back */
	for (k = 1; k < REC_KIND_COUNT; k++) {
		size_t n;

		assert_non_null(rec_fields(k, &n));
		assert_true(n > 0);
		assert_int_equal(rec_kind_parse(rec_kind_name(k)), k);
		assert_string_not_equal(rec_kind_label(k), "?");
	}
	assert_true(rec_kind_allowed(STATION_GATE, REC_VISITOR));
	assert_false(rec_kind_allowed(STATION_TRAFFIC, REC_VISITOR));
	assert_true(rec_kind_has_fever(REC_VEHICLE));
	assert_false(rec_kind_has_fever(REC_BIN));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kind_table),
	    cmocka_unit_test(test_kind_summary_and_flags),
	    cmocka_unit_test(test_kind_report_counts),
	    cmocka_unit_test_setup_teardown(test_release_despite_fever, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_triage_override, setup_triage, teardown),
	    cmocka_unit_test_setup_teardown(test_visitor_temperature, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(test_inside_twice, setup_gate, teardown),
	    cmocka_unit_test_setup_teardown(
		test_vehicle_everyone_measured, setup_traffic, teardown),
	    cmocka_unit_test_setup_teardown(test_vehicle_older_body, setup_traffic, teardown),
	    cmocka_unit_test_setup_teardown(test_operator_takes_over, setup_gate, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
