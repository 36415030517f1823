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

/* A field of another type than storage writes reads as SQLite's json_extract and SQL
 * comparisons read it (the rules the SQLite store applied in SQL). */
static void
test_sql_reading(void **state)
{
	struct facts f;

	(void)state;
	/* data.fever: = 1 (true and 1.0 too); present but null, 2 or "1": no fever, and no
	 * fallback to the threshold either */
	assert_int_equal(rd("temp", "{\"data\":{\"value\":36.0,\"fever\":true}}", &f), 0);
	assert_true(f.fever);
	assert_int_equal(rd("temp", "{\"data\":{\"value\":36.0,\"fever\":1.0}}", &f), 0);
	assert_true(f.fever);
	assert_int_equal(rd("temp", "{\"data\":{\"value\":38.0,\"fever\":null}}", &f), 0);
	assert_false(f.fever);
	assert_int_equal(rd("temp", "{\"data\":{\"value\":38.0,\"fever\":2}}", &f), 0);
	assert_false(f.fever);
	assert_int_equal(rd("temp", "{\"data\":{\"value\":38.0,\"fever\":\"1\"}}", &f), 0);
	assert_false(f.fever);
	/* a value as a string is read for its leading number; null is no value */
	assert_int_equal(rd("temp", "{\"data\":{\"value\":\" 37.5x\"}}", &f), 0);
	assert_true(f.fever);
	assert_int_equal(rd("temp", "{\"data\":{\"value\":null}}", &f), 0);
	assert_false(f.fever);
	assert_int_equal(rd("temp", "{\"data\":{\"value\":37.25}}", &f), 0);
	assert_true(f.fever);	/* 372.5 rounds away from zero, as SQL round() does */
	assert_int_equal(rd("temp", "{\"data\":{\"value\":1e999}}", &f), 0);
	assert_true(f.fever);	/* infinity saturates */
	/* a recheck: anything but null or a numeric zero */
	assert_int_equal(rd("temp", "{\"data\":{\"fever\":1,\"recheck_of\":null}}", &f), 0);
	assert_true(f.fever);
	assert_int_equal(rd("temp", "{\"data\":{\"fever\":1,\"recheck_of\":0.0}}", &f), 0);
	assert_true(f.fever);
	assert_int_equal(rd("temp", "{\"data\":{\"fever\":1,\"recheck_of\":\"0\"}}", &f), 0);
	assert_false(f.fever);
	/* occupant temperatures as json_each walks them: an object's values, a scalar */
	assert_int_equal(rd("vehicle", "{\"data\":{\"occupant_temps\":{\"a\":36,\"b\":38}}}", &f),
	    0);
	assert_true(f.fever);
	assert_int_equal(rd("vehicle", "{\"data\":{\"occupant_temps\":38}}", &f), 0);
	assert_true(f.fever);
	assert_int_equal(rd("vehicle", "{\"data\":{\"occupant_temps\":[null,\"37.9\",[40]]}}",
	    &f), 0);
	assert_true(f.fever);	/* the string reads as a number; the array as none */
	assert_int_equal(rd("vehicle", "{\"data\":{\"occupant_temps\":[null,[40]]}}", &f), 0);
	assert_false(f.fever);
	/* flags and reasons: non-empty is anything but null and "" */
	assert_int_equal(rd("visitor", "{\"alert\":0,\"data\":{}}", &f), 0);
	assert_true(f.flagged);
	assert_int_equal(rd("visitor", "{\"alert\":null,\"data\":{}}", &f), 0);
	assert_false(f.flagged);
	assert_int_equal(rd("vehicle", "{\"data\":{\"flagged\":true}}", &f), 0);
	assert_true(f.flagged);
	assert_int_equal(rd("vehicle", "{\"data\":{\"flagged\":2}}", &f), 0);
	assert_false(f.flagged);
	assert_int_equal(rd("temp", "{\"data\":{\"fever\":1,\"disposition\":\"pass\","
	    "\"override_reason\":5}}", &f), 0);
	assert_true(f.released);
	assert_int_equal(rd("temp", "{\"data\":{\"fever\":1,\"disposition\":\"p\\u0061ss\","
	    "\"override_reason\":\"x\"}}", &f), 0);
	assert_true(f.released);	/* escapes decoded */
	/* the action: missing or null is add, any other value another version */
	assert_int_equal(rd("temp", "{\"action\":null}", &f), 0);
	assert_int_equal(f.action, FACTS_ADD);
	assert_int_equal(rd("temp", "{\"action\":\"\\u0061dd\"}", &f), 0);
	assert_int_equal(f.action, FACTS_ADD);
	assert_int_equal(rd("temp", "{\"action\":5}", &f), 0);
	assert_int_equal(f.action, FACTS_CORRECT);
	assert_int_equal(rd("temp", "{\"\\u0061ction\":\"delete\"}", &f), 0);
	assert_int_equal(f.action, FACTS_ADD);	/* a key matches as written */
	/* the first of two equal keys counts */
	assert_int_equal(rd("temp", "{\"root\":5,\"root\":7,\"data\":{\"fever\":1},"
	    "\"data\":{\"fever\":0}}", &f), 0);
	assert_int_equal(f.root, 5);
	assert_true(f.fever);
	/* the offset: CAST to an integer; beyond ±16 h it is 0 */
	assert_int_equal(rd("temp", "{\"tz\":480.9}", &f), 0);
	assert_int_equal(f.tz_min, 480);
	assert_int_equal(rd("temp", "{\"tz\":\"-300\"}", &f), 0);
	assert_int_equal(f.tz_min, -300);
	assert_int_equal(rd("temp", "{\"tz\":2000}", &f), 0);
	assert_int_equal(f.tz_min, 0);
	/* an exit's entry: data.entry unless 0 or absent, then ref */
	assert_int_equal(rd("exit", "{\"ref\":5,\"data\":{\"entry\":null}}", &f), 0);
	assert_int_equal(f.ref, 5);
	/* bin codes decoded (a surrogate pair is one code point), at most FACTS_CODE_MAX */
	assert_int_equal(rd("bin", "{\"data\":{\"code\":\"B\\u00e9\\\"\\ud83d\\ude00\"}}", &f),
	    0);
	assert_string_equal(f.code, "B\xc3\xa9\"\xf0\x9f\x98\x80");
	assert_int_equal(rd("bin", "{\"data\":{\"code\":\"0123456789012345678901234567890123456789"
	    "012345678901234567890123\"}}", &f), 0);
	assert_int_equal(strlen(f.code), FACTS_CODE_MAX);
	assert_int_equal(rd("bin", "{\"data\":{\"code\":\"0123456789012345678901234567890123456789"
	    "0123456789012345678901234\"}}", &f), -1);
}

/* JSON as SQLite 3.40's json_valid reads it: RFC 8259 numbers and escapes, nesting up to
 * 2000 levels (without recursion), nothing after the object. */
static void
test_strict_json(void **state)
{
	static char deep[16384];
	struct facts f;
	int i, n;

	(void)state;
	assert_int_equal(rd("temp", "{\"a\":+1}", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":01}", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":1.}", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":.5}", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":1e}", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":-0.0e-1,\"b\":1E+5}", &f), 0);
	assert_int_equal(rd("temp", "{\"a\":\"\\x\"}", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":\"\\uzzzz\"}", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":\"\\/\\b\\f\\n\\r\\t\"}", &f), 0);
	assert_int_equal(rd("temp", "{\"a\":\"\t\"}", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":[1,]}", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":tru}", &f), -1);
	assert_int_equal(rd("temp", "{\"a\":1} \n", &f), 0);
	assert_int_equal(rd("temp", "{\"a\":1}\f", &f), -1);
	/* integers up to int64's edge; a number of any length is a number */
	assert_int_equal(rd("temp", "{\"root\":9223372036854775807}", &f), 0);
	assert_true(f.root == INT64_MAX);
	assert_int_equal(rd("temp", "{\"root\":-123456789012345678}", &f), 0);
	assert_int_equal(f.root, 0);	/* not a positive seq: the record's own */
	strcpy(deep, "{\"data\":{\"value\":0.");
	for (i = 0; i < 700; i++)
		strcat(deep, "0");
	strcat(deep, "1,\"fever\":1}}");
	assert_int_equal(rd("temp", deep, &f), 0);
	assert_true(f.fever);
	for (n = 1999; n <= 2000; n++) {
		strcpy(deep, "{\"a\":");
		for (i = 0; i < n; i++)
			strcat(deep, i % 2 ? "[" : "{\"k\":");
		strcat(deep, "1");
		for (i = n - 1; i >= 0; i--)
			strcat(deep, i % 2 ? "]" : "}");
		strcat(deep, "}");
		assert_int_equal(rd("temp", deep, &f), n < 2000 ? 0 : -1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_fever),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_sql_reading),
		cmocka_unit_test(test_strict_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
