/* test-tui-recform.c — forms made from the record field tables, on a logbook in memory:
 * checks as you type (ID check character with birth date and sex, plate province, choices
 * typed as prefixes, temperatures, watchlist, high-risk plates), and the record built from
 * what was typed. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "storage/logbook.h"
#include "storage/record.h"
#include "storage/watchlist.h"
#include "tui/app.h"
#include "tui/recform.h"

struct fix {
	sqlite3 *db;
	struct app app;
};

static int
setup_gate(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	struct err e = { 0 };

	setenv("OUTPOST_NOW", "2026-03-01T09:30:00", 1);
	assert_int_equal(sqlite3_open(":memory:", &f->db), SQLITE_OK);
	assert_int_equal(logbook_init(f->db, "gate", "East", &e), E_OK);
	assert_int_equal(logbook_open(f->db, &f->app.lb, &e), E_OK);
	assert_int_equal(logbook_signin(f->app.lb, "Li", NULL, &e), E_OK);
	*state = f;
	return 0;
}

static int
setup_triage(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	struct err e = { 0 };

	setenv("OUTPOST_NOW", "2026-03-01T09:30:00", 1);
	assert_int_equal(sqlite3_open(":memory:", &f->db), SQLITE_OK);
	assert_int_equal(logbook_init(f->db, "triage", "Desk", &e), E_OK);
	assert_int_equal(logbook_open(f->db, &f->app.lb, &e), E_OK);
	assert_int_equal(logbook_signin(f->app.lb, "Li", NULL, &e), E_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	logbook_close(f->app.lb);
	sqlite3_close(f->db);
	free(f);
	return 0;
}

/* Types text into the field named name, as keys. */
static int
type_into(struct recform *rf, const char *name, const char *text)
{
	int i = recform_index(rf, name);
	wchar_t w[128];
	size_t n, k;

	assert_true(i >= 0);
	form_focus(&rf->form, i);
	n = mbstowcs(w, text, 128);
	for (k = 0; k < n; k++)
		form_key(&rf->form, (int)w[k]);
	recform_recheck(rf);
	return i;
}

static void
test_visitor_checks(void **state)
{
	struct fix *f = *state;
	struct recform rf;
	int i;

	recform_init(&rf, REC_VISITOR, &f->app, NULL);
	assert_true(recform_index(&rf, "id_number") >= 0);
	assert_int_equal(recform_index(&rf, "no_such_field"), -1);
	type_into(&rf, "id_type", "r");
	i = recform_index(&rf, "id_type");
	assert_string_equal(rf.ff[i].note, "→ resident ID");	/* the label, not the code */
	i = type_into(&rf, "id_number", "110105194912310028");
	assert_int_equal(rf.ff[i].state, FORM_BAD);
	assert_non_null(strstr(rf.ff[i].note, "X"));
	form_key(&rf.form, 0x7f);	/* not printable: refused */
	field_backspace(&rf.ff[i].f);
	type_into(&rf, "id_number", "x");
	assert_int_equal(rf.ff[i].state, FORM_OK);
	assert_string_equal(rf.ff[i].note, "born 1949-12-31, female");
	/* a passport number has no check character */
	type_into(&rf, "id_type", "\b");
	i = recform_index(&rf, "id_type");
	field_clear(&rf.ff[i].f);
	type_into(&rf, "id_type", "pass");
	i = type_into(&rf, "phone", "12345");
	assert_int_equal(rf.ff[i].state, FORM_BAD);
}

static void
test_visitor_build(void **state)
{
	struct fix *f = *state;
	struct recform rf;
	struct record r;
	struct rec_notice n;
	struct err e = { 0 };

	recform_init(&rf, REC_VISITOR, &f->app, NULL);
	assert_true(recform_validate(&rf) >= 0);	/* required fields are empty */
	type_into(&rf, "id_type", "r");
	type_into(&rf, "id_number", "11010519491231002x");
	type_into(&rf, "name", "张三丰");
	type_into(&rf, "phone", "13812345678");
	type_into(&rf, "host", "3-2-301");
	type_into(&rf, "health_code", "g");
	/* the station measures every visitor (temp_required): storage says so, the form asks */
	assert_int_equal(recform_validate(&rf), recform_index(&rf, "temp"));
	type_into(&rf, "temp", "366");
	assert_int_equal(recform_validate(&rf), -1);
	assert_int_equal(recform_build(&rf, &r, &e), E_OK);
	assert_string_equal(r.u.visitor.id_type, "resident_id");
	assert_string_equal(r.u.visitor.id_number, "11010519491231002X");
	assert_string_equal(r.u.visitor.health_code, "green");
	assert_string_equal(r.u.visitor.name, "张三丰");
	assert_int_equal(rec_add(f->app.lb, &r, &n, &e), E_OK);
	/* a correction starts from the stored record: the form shows it again */
	recform_init(&rf, REC_VISITOR, &f->app, NULL);
	recform_fill(&rf, &r);
	assert_int_equal(recform_validate(&rf), -1);
}

static void
test_unverified_id(void **state)
{
	struct fix *f = *state;
	struct recform rf;

	recform_init(&rf, REC_VISITOR, &f->app, NULL);
	type_into(&rf, "id_type", "r");
	type_into(&rf, "id_number", "110105194912310028");
	type_into(&rf, "name", "x");
	type_into(&rf, "phone", "13812345678");
	type_into(&rf, "temp", "36.5");
	type_into(&rf, "host", "3-2-301");
	type_into(&rf, "health_code", "g");
	assert_int_equal(recform_validate(&rf), recform_index(&rf, "id_number"));
	type_into(&rf, "id_unverified", "y");
	assert_int_equal(recform_validate(&rf), recform_index(&rf, "id_number"));
	type_into(&rf, "note", "card damaged");
	assert_int_equal(recform_validate(&rf), -1);
}

static void
test_temperature(void **state)
{
	struct fix *f = *state;
	struct recform rf;
	struct record r;
	struct err e = { 0 };
	static const char *const skip[] = { "disposition", NULL };
	int i;

	recform_init(&rf, REC_TEMP, &f->app, skip);
	assert_int_equal(recform_index(&rf, "disposition"), -1);
	assert_int_equal(recform_index(&rf, "recheck_of"), -1);	/* a reference: not typed */
	i = type_into(&rf, "value", "365");
	assert_int_equal(rf.ff[i].state, FORM_OK);
	assert_string_equal(rf.ff[i].note, "36.5 °C");
	type_into(&rf, "method", "fore");
	assert_int_equal(recform_build(&rf, &r, &e), E_OK);
	assert_int_equal(r.u.temp.value, 365);
	assert_string_equal(r.u.temp.method, "forehead");
	field_clear(&rf.ff[i].f);
	type_into(&rf, "value", "385");
	assert_int_equal(rf.ff[i].state, FORM_WARN);
	assert_string_equal(rf.ff[i].note, "FEVER");
	field_clear(&rf.ff[i].f);
	type_into(&rf, "value", "29");
	assert_int_equal(rf.ff[i].state, FORM_BAD);
	i = recform_index(&rf, "method");
	assert_non_null(strstr(rf.ff[i].hint, "1 forehead  2 wrist"));
	/* A choice by its number in the hint. */
	field_clear(&rf.ff[recform_index(&rf, "value")].f);
	type_into(&rf, "value", "365");
	field_clear(&rf.ff[i].f);
	type_into(&rf, "method", "5");
	assert_int_equal(rf.ff[i].state, FORM_OK);
	assert_int_equal(recform_build(&rf, &r, &e), E_OK);
	assert_string_equal(r.u.temp.method, "armpit");
	field_clear(&rf.ff[i].f);
	type_into(&rf, "method", "9");
	assert_int_equal(rf.ff[i].state, FORM_BAD);
}

/* A whole-number field is checked as storage checks it (parse_int and its range): words,
 * signs, overflow and out-of-range numbers get the message saving would give. */
static void
test_whole_numbers(void **state)
{
	struct fix *f = *state;
	struct recform rf;
	static const char *const bad[][2] = {
		{ "12x", "not a whole number" }, { "1e3", "not a whole number" },
		{ "-1", "out of range" }, { "+5", "not a whole number" },
		{ "99999999999", "out of range" }, { "1000001", "out of range" },
	};
	size_t k;
	int i;

	recform_init(&rf, REC_COLLECTION, &f->app, NULL);
	i = type_into(&rf, "bags", "12");
	assert_int_equal(rf.ff[i].state, FORM_OK);
	for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		field_clear(&rf.ff[i].f);
		type_into(&rf, "bags", bad[k][0]);
		assert_int_equal(rf.ff[i].state, FORM_BAD);
		if (strstr(rf.ff[i].note, bad[k][1]) == NULL)
			fail_msg("'%s': note '%s' does not say '%s'", bad[k][0], rf.ff[i].note,
			    bad[k][1]);
	}
	field_clear(&rf.ff[i].f);
	type_into(&rf, "bags", "1000000");
	assert_int_equal(rf.ff[i].state, FORM_OK);
}

static void
test_plate_alerts(void **state)
{
	struct fix *f = *state;
	struct recform rf;
	struct watch_entry w = { .type = "plate", .value = "粤B12345", .reason = "stolen",
	    .version = 1 };
	struct err e = { 0 };
	int i;

	assert_int_equal(settings_set(f->app.lb, "high_risk_plates", "鄂A", &e), E_OK);
	assert_int_equal(watchlist_apply(f->app.lb, &w, &e), E_OK);
	recform_init(&rf, REC_VISITOR, &f->app, NULL);
	i = type_into(&rf, "plate", "粤A12345");
	assert_string_equal(rf.ff[i].note, "广东 · Guangdong");
	assert_string_equal(rf.alert, "");
	field_clear(&rf.ff[i].f);
	type_into(&rf, "plate", "鄂A12345");
	assert_int_equal(rf.ff[i].state, FORM_WARN);
	assert_non_null(strstr(rf.alert, "HIGH-RISK"));
	field_clear(&rf.ff[i].f);
	type_into(&rf, "plate", "粤b12345");
	assert_int_equal(rf.ff[i].state, FORM_WARN);	/* alerted, never refused */
	assert_non_null(strstr(rf.alert, "WATCHLIST"));
	assert_non_null(strstr(rf.alert, "stolen"));
}

/* The form has no rules of its own: the suggestion, its rule and what the station requires
 * come from storage's verdict as the fields are typed. */
static void
test_live_verdict(void **state)
{
	struct fix *f = *state;
	struct recform rf;
	int t;

	recform_init(&rf, REC_TRIAGE, &f->app, NULL);
	type_into(&rf, "name", "李四");
	type_into(&rf, "temp", "382");
	assert_string_equal(rf.verdict.suggested, "fever_clinic");
	assert_non_null(strstr(rf.verdict.rule, "threshold"));
	assert_int_equal(rf.verdict.fever, 1);
	type_into(&rf, "symptoms", "dyspnea");
	assert_string_equal(rf.verdict.suggested, "emergency");
	type_into(&rf, "route", "g");
	assert_int_equal(rf.verdict.needs_reason, 1);
	assert_non_null(strstr(rf.verdict.problem, "override_reason"));
	type_into(&rf, "override_reason", "the emergency room is closed");
	assert_int_equal(rf.verdict.needs_reason, 0);
	assert_int_equal(rf.verdict.overridden, 1);
	/* the threshold is the station's, not the form's */
	assert_int_equal(settings_set(f->app.lb, "fever_threshold", "38.5", NULL), E_OK);
	recform_recheck(&rf);
	assert_int_equal(rf.verdict.fever, 0);
	t = recform_index(&rf, "temp");
	assert_true(t >= 0 && strcmp(rf.ff[t].note, "FEVER") != 0);
}

/* A resident's temperature is required coming in (temp_required = entries), not going out. */
static void
test_required_now(void **state)
{
	struct fix *f = *state;
	struct recform rf;
	int t;

	recform_init(&rf, REC_RESIDENT, &f->app, NULL);
	t = recform_index(&rf, "temp");
	type_into(&rf, "direction", "i");
	assert_int_equal(rf.ff[t].required, 1);
	field_clear(&rf.ff[recform_index(&rf, "direction")].f);
	type_into(&rf, "direction", "o");
	assert_int_equal(rf.ff[t].required, 0);
	assert_int_equal(settings_set(f->app.lb, "temp_required", "all", NULL), E_OK);
	recform_recheck(&rf);
	assert_int_equal(rf.ff[t].required, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_visitor_checks, setup_gate, teardown),
		cmocka_unit_test_setup_teardown(test_visitor_build, setup_gate, teardown),
		cmocka_unit_test_setup_teardown(test_unverified_id, setup_gate, teardown),
		cmocka_unit_test_setup_teardown(test_temperature, setup_gate, teardown),
		cmocka_unit_test_setup_teardown(test_whole_numbers, setup_gate, teardown),
		cmocka_unit_test_setup_teardown(test_plate_alerts, setup_gate, teardown),
		cmocka_unit_test_setup_teardown(test_live_verdict, setup_triage, teardown),
		cmocka_unit_test_setup_teardown(test_required_now, setup_gate, teardown),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return 1;
	setenv("LANGUAGE", "en", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
