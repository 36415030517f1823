/* test-hub-pg-down.c — the PostgreSQL store while its server is down (the URL in
 * OUTPOST_TEST_PG, the commands that stop and start that server in OUTPOST_TEST_PG_STOP and
 * OUTPOST_TEST_PG_START; tests/e2e/pg-store-down.sh sets them). The first call after the
 * loss waits for the server a few times (a restart should not fail a request); every later
 * call while it stays down tries once and returns E_IO at once, so a station's handshake is
 * told "unavailable" promptly; once the server is back one try reconnects, and the next
 * loss waits again. Counted in connection attempts, not in time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sodium.h>

#include "crypto/vault.h"
#include "hub/pg.h"
#include "hub/store.h"

#define PASS "hub secret phrase"

static const char *url;

static void
run(const char *var)
{
	const char *cmd = getenv(var);

	assert_non_null(cmd);
	if (system(cmd) != 0)
		fail_msg("%s failed: %s", var, cmd);
}

/* The handshake's question: who holds this key? E_INVALID (nobody) when the store answers. */
static int
ask(struct hub_store *s, unsigned long *tries)
{
	struct pg_store *ps = (struct pg_store *)s;
	struct hub_station st;
	struct err e = { 0 };
	uint8_t pk[32] = { 7 };
	unsigned long before = ps->reconnects;
	int rc;

	rc = hubstore_station_by_key(s, pk, 0, &st, &e);
	*tries = ps->reconnects - before;
	if (rc == E_IO)
		assert_non_null(strstr(e.msg, "PostgreSQL"));
	return rc;
}

static void
test_down(void **state)
{
	struct hubstore_params p = { 0 };
	struct hub_store *s = NULL;
	struct err e = { 0 };
	char recovery[VAULT_RECOVERY_LEN];
	unsigned long tries;
	int i;

	(void)state;
	hubstore_destroy(url, &e);
	p.address = url;
	p.secret = PASS;
	p.secret_len = strlen(PASS);
	p.create = 1;
	p.kdf = VAULT_KDF_TEST_CHEAP;
	p.recovery = recovery;
	assert_int_equal(hubstore_open(&p, &s, &e), E_OK);
	assert_int_equal(ask(s, &tries), E_INVALID);
	assert_int_equal(tries, 0);

	run("OUTPOST_TEST_PG_STOP");
	/* the first call after the loss: the reconnect waits for the server, then gives up */
	assert_int_equal(ask(s, &tries), E_IO);
	assert_true(tries > 1);
	/* while it stays down: one try per call */
	for (i = 0; i < 3; i++) {
		assert_int_equal(ask(s, &tries), E_IO);
		assert_int_equal(tries, 1);
	}

	run("OUTPOST_TEST_PG_START");
	/* back: one try reconnects, and the store answers */
	assert_int_equal(ask(s, &tries), E_INVALID);
	assert_int_equal(tries, 1);
	assert_int_equal(ask(s, &tries), E_INVALID);
	assert_int_equal(tries, 0);

	/* a later loss is a first loss again: it waits for the server before giving up */
	run("OUTPOST_TEST_PG_STOP");
	assert_int_equal(ask(s, &tries), E_IO);
	assert_true(tries > 1);
	assert_int_equal(ask(s, &tries), E_IO);
	assert_int_equal(tries, 1);
	run("OUTPOST_TEST_PG_START");
	assert_int_equal(ask(s, &tries), E_INVALID);
	hubstore_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_down),
	};

	/* Run by itself (make test runs every unit binary) there is no server: say so, pass
	 * nothing, fail nothing; tests/e2e/pg-store-down.sh runs it again with one. */
	url = getenv("OUTPOST_TEST_PG");
	if (url == NULL) {
		printf("1..0 # SKIP no PostgreSQL server here: tests/e2e/pg-store-down.sh runs "
		    "this\n");
		return 0;
	}
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
