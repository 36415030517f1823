/* test-hub-facts.c — what the hub reads from a record body in C (hub/facts.c), as the
 * PostgreSQL store needs it: the envelope, fevers decided by the station (and the 37.3
 * fallback for older bodies, rechecks never), releases despite fever, flags, an exit's
 * entry, bin codes; only a body that is not JSON is unreadable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hub/facts.h"

static int
rd(const char *kind, const char *body, struct facts *f)
{
	return facts_read(kind, body, strlen(body), 373, f);
}

static void
test_envelope(void **state)
{
	struct facts f;

	(void)state;
	assert_int_equal(rd("temp", "{\"v\":1,\"action\":\"correct\",\"ref\":7,\"root\":7,"
	    "\"tz\":480,\"operator\":\"\\u674e \\\"x\\\"\",\"alert\":\"\",\"data\":{\"value\":36.5,"
	    "\"fever\":0}}", &f), 0);
	assert_int_equal(f.action, FACTS_CORRECT);
	assert_int_equal(f.root, 7);
	assert_int_equal(f.ref, 7);
	assert_int_equal(f.tz_min, 480);
	assert_false(f.fever);
	assert_false(f.flagged);
	assert_int_equal(rd("temp", "{\"v\":1,\"action\":\"delete\",\"root\":3,\"data\":{}}", &f), 0);
	assert_int_equal(f.action, FACTS_DELETE);
	/* missing fields: defaults */
	assert_int_equal(rd("temp", "{}", &f), 0);
	assert_int_equal(f.action, FACTS_ADD);
	assert_int_equal(f.root, 0);
	/* not JSON */
	assert_int_equal(rd("temp", "{\"v\":1,", &f), -1);
	assert_int_equal(rd("temp", "{\"v\":1} x", &f), -1);
	assert_int_equal(rd("temp", "[1]", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}", &f), -1);
}

static void
test_fever(void **state)
{
	struct facts f;

	(void)state;
	assert_int_equal(rd("temp", "{\"data\":{\"value\":36.0,\"fever\":1}}", &f), 0);
	assert_true(f.fever);	/* the station's decision, whatever the value */
	assert_int_equal(rd("temp", "{\"data\":{\"value\":37.3}}", &f), 0);
	assert_true(f.fever);	/* no decision stored: the default threshold */
	assert_int_equal(rd("temp", "{\"data\":{\"value\":37.2}}", &f), 0);
	assert_false(f.fever);
	assert_int_equal(rd("temp", "{\"data\":{\"value\":38.5,\"fever\":1,\"recheck_of\":4}}",
	    &f), 0);
	assert_false(f.fever);	/* a recheck is no new fever */
	assert_int_equal(rd("triage", "{\"data\":{\"temp\":37.4,\"symptoms\":[\"cough\"]}}", &f),
	    0);
	assert_true(f.fever);
	assert_int_equal(rd("vehicle", "{\"data\":{\"occupant_temps\":[36.5,37.6]}}", &f), 0);
	assert_true(f.fever);
	assert_int_equal(rd("visitor", "{\"data\":{\"fever\":1}}", &f), 0);
	assert_true(f.fever);	/* passages carry the temperatures taken with them */
	assert_int_equal(rd("resident", "{\"data\":{\"direction\":\"in\"}}", &f), 0);
	assert_false(f.fever);	/* no decision stored, no temperature: no fever */
	assert_int_equal(rd("bin", "{\"data\":{\"fever\":1}}", &f), 0);
	assert_false(f.fever);	/* not a kind with fevers */
}

static void
test_flags(void **state)
{
	struct facts f;

	(void)state;
	assert_int_equal(rd("temp", "{\"data\":{\"value\":38.0,\"fever\":1,\"disposition\":"
	    "\"pass\",\"override_reason\":\"doctor\"}}", &f), 0);
	assert_true(f.released);
	assert_int_equal(rd("temp", "{\"data\":{\"value\":38.0,\"fever\":1,\"disposition\":"
	    "\"pass\",\"override_reason\":\"\"}}", &f), 0);
	assert_false(f.released);
	assert_int_equal(rd("vehicle", "{\"alert\":\"\",\"data\":{\"flagged\":1}}", &f), 0);
	assert_true(f.flagged);
	assert_int_equal(rd("temp", "{\"data\":{\"flagged\":1}}", &f), 0);
	assert_false(f.flagged);
	assert_int_equal(rd("visitor", "{\"alert\":\"watchlist id (x): wanted\",\"data\":{}}", &f),
	    0);
	assert_true(f.flagged);
	assert_int_equal(rd("exit", "{\"ref\":5,\"data\":{\"entry\":9}}", &f), 0);
	assert_int_equal(f.ref, 9);
	assert_int_equal(rd("exit", "{\"ref\":5,\"data\":{\"entry\":0}}", &f), 0);
	assert_int_equal(f.ref, 5);
	assert_int_equal(rd("bin", "{\"data\":{\"code\":\"B-07\",\"place\":\"x\"}}", &f), 0);
	assert_string_equal(f.code, "B-07");
	assert_int_equal(rd("collection", "{\"data\":{\"bin\":\"B-07\",\"code\":\"z\"}}", &f), 0);
	assert_string_equal(f.code, "B-07");
	assert_int_equal(rd("temp", "{\"data\":{\"code\":\"B-07\"}}", &f), 0);
	assert_string_equal(f.code, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_fever),
		cmocka_unit_test(test_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
