/* test-hub-pg-down.c — the PostgreSQL store while its server is down (the URL in
 * OUTPOST_TEST_PG, the commands that stop and start that server in OUTPOST_TEST_PG_STOP and
 * OUTPOST_TEST_PG_START; tests/e2e/pg-store-down.sh sets them). The first call after the
 * loss waits for the server a few times (a restart should not fail a request); every later
 * call while it stays down tries once and returns E_IO at once, so a station's handshake is
 * told "unavailable" promptly; once the server is back one try reconnects, and the next
 * loss waits again. Counted in connection attempts, not in time.
 * Through a relay of its own on 127.0.0.1 (which can cut its connections, stop answering,
 * or refuse a session setup): a store URL without connect_timeout gets the store's own
 * (5 s), one with it keeps its value, and so does PGCONNECT_TIMEOUT where it is set; a
 * connect or a reconnect to a host that takes the connection and never answers fails
 * (E_IO) instead of waiting for ever (an alarm ends the binary, failing the test, if it
 * does wait); and a reconnect whose session setup failed is set up again by the next call
 * rather than run without its search_path. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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

/* ---- a relay to the server, on 127.0.0.1 ---- */

#define RELAY_MAX 32

struct relay;
struct relay_conn {
	struct relay *r;
	int c, s;			/* the client's socket, the server's (-1: muted) */
	pthread_t up, down;
};

struct relay {
	int lfd, port;
	struct sockaddr_un server;
	pthread_t t;
	pthread_mutex_t m;
	struct relay_conn conn[RELAY_MAX];
	size_t n;
	_Atomic int mute;		/* take new connections and never answer them */
	_Atomic int fail_set;		/* refuse the next session setup */
	_Atomic int sets;		/* session setups seen */
};

static int
readn(int fd, void *buf, size_t n)
{
	uint8_t *p = buf;
	ssize_t k;

	while (n > 0) {
		if ((k = read(fd, p, n)) <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int
writen(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	ssize_t k;

	while (n > 0) {
		/* a peer gone is an error here, not a SIGPIPE that ends the test */
		if ((k = send(fd, p, n, MSG_NOSIGNAL)) <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What the server would answer a statement it refuses: an ErrorResponse, then
 * ReadyForQuery (idle). */
static void
relay_refuse(int fd)
{
	static const char fields[] = "SERROR\0VERROR\0CXX000\0Mrefused by the test relay\0";
	uint8_t msg[128];
	size_t n = sizeof fields;	/* with the closing NUL after the last field */

	msg[0] = 'E';
	msg[1] = 0;
	msg[2] = 0;
	msg[3] = (uint8_t)((n + 4) >> 8);
	msg[4] = (uint8_t)(n + 4);
	memcpy(msg + 5, fields, n);
	memcpy(msg + 5 + n, "Z\0\0\0\5I", 6);
	writen(fd, msg, 5 + n + 6);
}

/* Client to server, message by message: the startup message (no type byte), then typed
 * messages; a simple query that is the session setup is counted, and refused once when
 * fail_set is up. */
static void *
relay_up(void *arg)
{
	struct relay_conn *k = arg;
	uint8_t hdr[5], *m;
	uint32_t len;
	int set;

	if (readn(k->c, hdr, 4) != 0 || (len = be32(hdr)) < 4 || len > (1u << 24) ||
	    (m = malloc(len)) == NULL)
		goto out;
	memcpy(m, hdr, 4);
	if (readn(k->c, m + 4, len - 4) != 0 || writen(k->s, m, len) != 0) {
		free(m);
		goto out;
	}
	free(m);
	for (;;) {
		if (readn(k->c, hdr, 5) != 0 || (len = be32(hdr + 1)) < 4 || len > (1u << 24) ||
		    (m = malloc(len + 1)) == NULL)
			break;
		memcpy(m, hdr, 5);
		if (readn(k->c, m + 5, len - 4) != 0) {
			free(m);
			break;
		}
		set = hdr[0] == 'Q' && len - 4 >= 15 && memcmp(m + 5, "SET search_path", 15) == 0;
		if (set)
			k->r->sets++;
		if (set && k->r->fail_set) {
			k->r->fail_set = 0;
			relay_refuse(k->c);
		} else if (writen(k->s, m, len + 1) != 0) {
			free(m);
			break;
		}
		free(m);
	}
out:
	shutdown(k->c, SHUT_RDWR);
	shutdown(k->s, SHUT_RDWR);
	return NULL;
}

/* Server to client, byte for byte. */
static void *
relay_down(void *arg)
{
	struct relay_conn *k = arg;
	uint8_t buf[8192];
	ssize_t n;

	while ((n = read(k->s, buf, sizeof buf)) > 0)
		if (writen(k->c, buf, (size_t)n) != 0)
			break;
	shutdown(k->c, SHUT_RDWR);
	shutdown(k->s, SHUT_RDWR);
	return NULL;
}

static void *
relay_main(void *arg)
{
	struct relay *r = arg;
	struct relay_conn *k;
	int c;

	while ((c = accept(r->lfd, NULL, NULL)) >= 0) {
		pthread_mutex_lock(&r->m);
		if (r->n == RELAY_MAX) {
			pthread_mutex_unlock(&r->m);
			close(c);
			continue;
		}
		k = &r->conn[r->n++];
		k->r = r;
		k->c = c;
		k->s = -1;
		if (!r->mute) {
			k->s = socket(AF_UNIX, SOCK_STREAM, 0);
			if (k->s < 0 || connect(k->s, (struct sockaddr *)&r->server,
			    sizeof r->server) != 0 ||
			    pthread_create(&k->up, NULL, relay_up, k) != 0) {
				if (k->s >= 0)
					close(k->s);
				k->s = -1;
				shutdown(c, SHUT_RDWR);
			} else if (pthread_create(&k->down, NULL, relay_down, k) != 0) {
				shutdown(c, SHUT_RDWR);	/* relay_up ends */
				k->down = k->up;
			}
		}
		pthread_mutex_unlock(&r->m);
	}
	return NULL;
}

/* Starts r relaying 127.0.0.1:r->port to the server behind url; *relay_url is a store URL
 * through it (with extra appended to its parameters). */
static void
relay_start(struct relay *r, const char *extra, char *relay_url, size_t n)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	PGconn *c = PQconnectdb(url);

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	memset(r, 0, sizeof *r);
	pthread_mutex_init(&r->m, NULL);
	r->server.sun_family = AF_UNIX;
	snprintf(r->server.sun_path, sizeof r->server.sun_path, "%s/.s.PGSQL.%s", PQhost(c),
	    PQport(c));
	r->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(r->lfd >= 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(r->lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(r->lfd, 16), 0);
	assert_int_equal(getsockname(r->lfd, (struct sockaddr *)&a, &alen), 0);
	r->port = ntohs(a.sin_port);
	snprintf(relay_url, n, "postgresql://%s@127.0.0.1:%d/%s?sslmode=disable&"
	    "gssencmode=disable%s", PQuser(c), r->port, PQdb(c), extra);
	PQfinish(c);
	assert_int_equal(pthread_create(&r->t, NULL, relay_main, r), 0);
}

/* Cuts every connection relayed so far (their sockets stay open until relay_stop). */
static void
relay_cut(struct relay *r)
{
	size_t i;

	pthread_mutex_lock(&r->m);
	for (i = 0; i < r->n; i++) {
		shutdown(r->conn[i].c, SHUT_RDWR);
		if (r->conn[i].s >= 0)
			shutdown(r->conn[i].s, SHUT_RDWR);
	}
	pthread_mutex_unlock(&r->m);
}

static void
relay_stop(struct relay *r)
{
	size_t i;

	relay_cut(r);
	shutdown(r->lfd, SHUT_RDWR);	/* accept returns */
	pthread_join(r->t, NULL);
	close(r->lfd);
	for (i = 0; i < r->n; i++) {
		if (r->conn[i].s >= 0) {
			pthread_join(r->conn[i].up, NULL);
			if (!pthread_equal(r->conn[i].down, r->conn[i].up))
				pthread_join(r->conn[i].down, NULL);
			close(r->conn[i].s);
		}
		close(r->conn[i].c);
	}
	pthread_mutex_destroy(&r->m);
}

/* A fresh store at url, closed; then the store opened at address (E_OK or its error). */
static int
store_at(const char *address, struct hub_store **s, struct err *e)
{
	struct hubstore_params p = { 0 };
	char recovery[VAULT_RECOVERY_LEN];

	p.secret = PASS;
	p.secret_len = strlen(PASS);
	p.kdf = VAULT_KDF_TEST_CHEAP;
	if (address == NULL) {
		hubstore_destroy(url, e);
		p.address = url;
		p.create = 1;
		p.recovery = recovery;
	} else
		p.address = address;
	*s = NULL;
	return hubstore_open(&p, s, e);
}

static void
fresh_store(void)
{
	struct hub_store *s;
	struct err e = { 0 };

	if (store_at(NULL, &s, &e) != E_OK)
		fail_msg("%s", e.msg);
	hubstore_close(s);
}

/* The connect_timeout libpq uses on the store's connection. */
static void
timeout_of(struct hub_store *s, char *out, size_t n)
{
	PQconninfoOption *o = PQconninfo(((struct pg_store *)s)->c), *i;

	out[0] = '\0';
	for (i = o; i != NULL && i->keyword != NULL; i++)
		if (strcmp(i->keyword, "connect_timeout") == 0 && i->val != NULL)
			snprintf(out, n, "%s", i->val);
	PQconninfoFree(o);
}

static void
test_connect_timeout(void **state)
{
	struct relay r;
	struct hub_store *s;
	struct err e = { 0 };
	char at[512], own[600], t[16];
	unsigned long tries;

	(void)state;
	fresh_store();
	relay_start(&r, "", at, sizeof at);
	snprintf(own, sizeof own, "%s&connect_timeout=3", at);
	/* the store's own timeout where the URL sets none; the URL's where it does */
	if (store_at(at, &s, &e) != E_OK)
		fail_msg("%s", e.msg);
	timeout_of(s, t, sizeof t);
	assert_string_equal(t, "5");
	hubstore_close(s);
	if (store_at(own, &s, &e) != E_OK)
		fail_msg("%s", e.msg);
	timeout_of(s, t, sizeof t);
	assert_string_equal(t, "3");
	hubstore_close(s);
	setenv("PGCONNECT_TIMEOUT", "7", 1);	/* libpq's own default, where it is set */
	if (store_at(at, &s, &e) != E_OK)
		fail_msg("%s", e.msg);
	unsetenv("PGCONNECT_TIMEOUT");
	timeout_of(s, t, sizeof t);
	assert_string_equal(t, "7");
	hubstore_close(s);

	/* a host that takes the connection and never answers: the open fails, and so does a
	 * reconnect to it, each after the timeout (the alarm kills the binary if either
	 * waits for ever, as both did without a timeout) */
	if (store_at(at, &s, &e) != E_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(ask(s, &tries), E_INVALID);
	r.mute = 1;
	relay_cut(&r);
	alarm(120);
	assert_int_equal(ask(s, &tries), E_IO);
	/* one try: the next would wait the whole timeout again, past the reconnect's budget */
	assert_int_equal(tries, 1);
	hubstore_close(s);
	assert_int_equal(store_at(at, &s, &e), E_IO);
	assert_null(s);
	alarm(0);
	/* answering again: the store is reached */
	r.mute = 0;
	if (store_at(at, &s, &e) != E_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(ask(s, &tries), E_INVALID);
	hubstore_close(s);
	relay_stop(&r);
}

static void
test_session_again(void **state)
{
	struct relay r;
	struct hub_store *s;
	struct err e = { 0 };
	char at[512];
	unsigned long tries;

	(void)state;
	fresh_store();
	relay_start(&r, "", at, sizeof at);
	if (store_at(at, &s, &e) != E_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(r.sets, 1);
	assert_int_equal(ask(s, &tries), E_INVALID);
	/* the connection is lost; the reconnect succeeds but its session setup is refused */
	r.fail_set = 1;
	relay_cut(&r);
	assert_int_equal(ask(s, &tries), E_IO);
	assert_int_equal(tries, 1);
	assert_int_equal(r.sets, 2);
	assert_int_equal(r.fail_set, 0);
	/* the next call sets the session up again on that connection and is answered */
	assert_int_equal(ask(s, &tries), E_INVALID);
	assert_int_equal(tries, 0);
	assert_int_equal(r.sets, 3);
	assert_int_equal(ask(s, &tries), E_INVALID);
	assert_int_equal(r.sets, 3);
	hubstore_close(s);
	relay_stop(&r);
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
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_session_again),
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
