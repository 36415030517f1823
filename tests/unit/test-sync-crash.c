/* test-sync-crash.c — the crash points of the fault tests (sync/crash.c): OUTPOST_CRASH=NAME
 * kills at the first hit, NAME:N at the Nth, NAME:N:term sends SIGTERM at the Nth; another
 * name never fires, and a mistyped count or mode disarms the point (atoi took "3x" for 3,
 * "x" and "0" for 1). Each case runs in a child process that reaches the point 10 times. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sync/crash.h"

/* The child's fate: 100 + hits reached for a clean exit, or -signal at the hit it died on
 * (the hit number is written to a pipe before each crash point). */
struct fate {
	int sig;	/* 0: it survived all 10 */
	int hits;	/* crash points passed before the end */
};

static struct fate
run(const char *spec)
{
	struct fate f = { 0, 0 };
	int p[2], st, i;
	char c;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		setenv("OUTPOST_CRASH", spec, 1);
		signal(SIGTERM, SIG_DFL);
		for (i = 0; i < 10; i++) {
			crash_point("mid_batch");
			if (write(p[1], "x", 1) != 1)
				_exit(2);
		}
		_exit(0);
	}
	close(p[1]);
	while (read(p[0], &c, 1) == 1)
		f.hits++;
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st))
		f.sig = WTERMSIG(st);
	else
		assert_int_equal(WEXITSTATUS(st), 0);
	return f;
}

static void
fires(const char *spec, int sig, int passed)
{
	struct fate f = run(spec);

	if (f.sig != sig || f.hits != passed)
		fail_msg("OUTPOST_CRASH=%s: signal %d after %d points, wanted signal %d after %d",
		    spec, f.sig, f.hits, sig, passed);
}

static void
test_fires(void **state)
{
	(void)state;
	fires("mid_batch", SIGKILL, 0);
	fires("mid_batch:1", SIGKILL, 0);
	fires("mid_batch:3", SIGKILL, 2);
	fires("mid_batch:10", SIGKILL, 9);
	fires("mid_batch:2:term", SIGTERM, 1);
	fires("mid_batch:11", 0, 10);		/* never reached the 11th time */
	fires("before_commit", 0, 10);		/* another point */
	fires("mid_batc", 0, 10);
	fires("mid_batch_x:1", 0, 10);
}

static void
test_mistyped(void **state)
{
	const char *bad[] = { "mid_batch:3x", "mid_batch:x", "mid_batch:0", "mid_batch:-1",
		"mid_batch:", "mid_batch: 3", "mid_batch:+3", "mid_batch:99999999999",
		"mid_batch:2:kill", "mid_batch:2:", "mid_batch:x:term" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		fires(bad[i], 0, 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fires),
		cmocka_unit_test(test_mistyped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
