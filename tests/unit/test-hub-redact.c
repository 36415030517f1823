/* test-hub-redact.c — a PostgreSQL store address is shown without its password: in the
 * user part or as a password= parameter it becomes ***, and a backend's message that
 * quotes it (libpq's 'invalid percent-encoded token: "…"') is scrubbed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hub/store.h"

static void
t_shown(void **state)
{
	static const char *const cases[][2] = {
		{ "postgresql://alice:hunter2@db.example/hub", "postgresql://alice:***@db.example/hub" },
		{ "postgres://alice:hunter2@db.example:5433", "postgres://alice:***@db.example:5433" },
		{ "postgresql://alice:p%40ss@h/db?sslmode=require", "postgresql://alice:***@h/db?sslmode=require" },
		{ "postgresql://a:b:c@d@h/db", "postgresql://a:***@h/db" },
		{ "postgresql://alice@h/db", "postgresql://alice@h/db" },
		{ "postgresql://alice:@h/db", "postgresql://alice:***@h/db" },
		{ "postgresql:///hub?host=/run/pg&password=hunter2&user=x", "postgresql:///hub?host=/run/pg&password=***&user=x" },
		{ "postgresql://u:one@h/db?password=two", "postgresql://u:***@h/db?password=***" },
		{ "postgresql://h/db?user=x", "postgresql://h/db?user=x" },
		{ "/var/lib/outpost-hub/hub.db", "/var/lib/outpost-hub/hub.db" },
		{ "a:b@c.db", "a:b@c.db" },	/* a file name, not a URL */
	};
	char out[256], small[20];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hubstore_address_shown(cases[i][0], out, sizeof out);
		assert_string_equal(out, cases[i][1]);
	}
	/* cut short, never past the buffer, and the password still never shown */
	hubstore_address_shown("postgresql://alice:hunter2@db.example/hub", small, sizeof small);
	assert_true(strlen(small) < sizeof small);
	assert_null(strstr(small, "hunter2"));
}

static void
t_messages_scrubbed(void **state)
{
	struct err e = { 0 };

	(void)state;
	/* libpq quotes the bad token, which is the password */
	assert_int_not_equal(hubstore_probe("postgresql://alice:pa%zzword@127.0.0.1:1/db", &e),
	    E_OK);
	assert_null(strstr(e.msg, "pa%zzword"));
	assert_null(strstr(e.msg, "zzword"));
	assert_non_null(strstr(e.msg, "***"));
	/* a password of stars cannot loop on its own replacement */
	err_clear(&e);
	assert_int_not_equal(hubstore_probe("postgresql://alice:*%zz@127.0.0.1:1/db", &e), E_OK);
	assert_null(strstr(e.msg, "*%zz"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_shown),
		cmocka_unit_test(t_messages_scrubbed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
