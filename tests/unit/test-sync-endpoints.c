/* test-sync-endpoints.c — a hub address listing several hub processes: link_endpoint
 * picks each in turn (the station's failover order), trims spaces, wraps around. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sync/link.h"

static void
test_one(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(link_endpoint("tcp://10.0.0.1:7700", 0, out, sizeof out), 1);
	assert_string_equal(out, "tcp://10.0.0.1:7700");
	assert_int_equal(link_endpoint("tcp://10.0.0.1:7700", 5, out, sizeof out), 1);
	assert_string_equal(out, "tcp://10.0.0.1:7700");
}

static void
test_list(void **state)
{
	const char *l = "tcp://a:1, tcp://b:2 ,tcp://c:3";
	char out[64];

	(void)state;
	assert_int_equal(link_endpoint(l, 0, out, sizeof out), 3);
	assert_string_equal(out, "tcp://a:1");
	link_endpoint(l, 1, out, sizeof out);
	assert_string_equal(out, "tcp://b:2");
	link_endpoint(l, 2, out, sizeof out);
	assert_string_equal(out, "tcp://c:3");
	link_endpoint(l, 3, out, sizeof out);
	assert_string_equal(out, "tcp://a:1");
	link_endpoint(l, -1, out, sizeof out);
	assert_string_equal(out, "tcp://c:3");
}

static void
test_cut(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(link_endpoint("tcp://long-name:1,x", 0, out, sizeof out), 2);
	assert_string_equal(out, "tcp://l");
	assert_int_equal(link_endpoint("", 0, out, sizeof out), 1);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
