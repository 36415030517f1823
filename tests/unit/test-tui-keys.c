/* test-tui-keys.c — which terminals' F-keys are trusted, and where an escape sequence the
 * terminal sent ends (so one curses does not know is swallowed whole, never typed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tui/keys.h"

static int
done(const char *s)
{
	int seq[16], n = 0;

	for (; *s != '\0'; s++)
		seq[n++] = (unsigned char)*s;
	return key_seq_done(seq, n);
}

/* Whether every proper prefix is not done and the whole is. */
static int
ends_at_end(const char *s)
{
	int seq[16], n, i, len = 0;

	while (s[len] != '\0')
		len++;
	for (n = 1; n < len; n++) {
		for (i = 0; i < n; i++)
			seq[i] = (unsigned char)s[i];
		if (key_seq_done(seq, n))
			return 0;
	}
	return done(s);
}

static void
test_sequences(void **state)
{
	(void)state;
	assert_true(ends_at_end("[15~"));	/* vt100 has no F5: tmux sends it so */
	assert_true(ends_at_end("OP"));		/* F1 from xterm-likes, unknown to linux */
	assert_true(ends_at_end("[[A"));	/* the linux console's F1 */
	assert_true(ends_at_end("[1;5D"));	/* Ctrl-Left */
	assert_true(ends_at_end("[24~"));
	assert_true(ends_at_end("[A"));
	assert_true(done("x"));			/* Esc then a letter: no sequence */
	assert_false(key_seq_done(NULL, 0));
}

static void
test_trusted(void **state)
{
	(void)state;
	assert_false(key_fkeys_trusted("vt100"));
	assert_false(key_fkeys_trusted("vt220-8bit"));
	assert_false(key_fkeys_trusted("linux"));
	assert_false(key_fkeys_trusted("linux-16color"));
	assert_false(key_fkeys_trusted(""));
	assert_false(key_fkeys_trusted(NULL));
	assert_true(key_fkeys_trusted("xterm-256color"));
	assert_true(key_fkeys_trusted("screen"));
	assert_true(key_fkeys_trusted("tmux-256color"));
	assert_true(key_fkeys_trusted("vt1000"));	/* not a vt100 variant */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_trusted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
