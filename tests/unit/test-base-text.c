/* test-base-text.c — the strict UTF-8 decoder (every malformed class the issue names:
 * surrogates, past U+10FFFF, overlongs, truncated sequences), the stored-text check
 * (C0/C1 controls, bidi overrides, multi-line fields) and the terminal escape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/text.h"
#include "base/utf8.h"

static void
test_utf8_good(void **state)
{
	static const char *good[] = {
		"", "abc", "东门", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf",
		"\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf",
		"a\xe4\xb8\xad\x62",	/* \x62 is b: a hex escape would swallow a plain b */
	};
	size_t i;
	uint32_t cp;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_true(utf8_valid_str(good[i]));
	assert_int_equal(utf8_decode((const unsigned char *)"\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	assert_int_equal(utf8_decode((const unsigned char *)"\xe4\xb8\xad", 3, &cp), 3);
	assert_int_equal(cp, 0x4e2d);
}

static void
test_utf8_bad(void **state)
{
	static const char *bad[] = {
		"a\xed\xa0\x80\x62",	/* a, the surrogate U+D800, b (\x62) */
		"\xed\xbf\xbf",		/* U+DFFF */
		"\xf4\x90\x80\x80",	/* U+110000 */
		"\xe0\x80\x80",		/* overlong NUL in three */
		"\xf0\x80\x80\x80",	/* overlong in four */
		"\xc0\x80", "\xc1\xbf", /* overlong in two */
		"\xe0\x9f\xbf",		/* overlong U+07FF */
		"\xf0\x8f\xbf\xbf",	/* overlong U+FFFF */
		"\xe4\xb8",		/* truncated */
		"\xf0\x90\x80",		/* truncated */
		"\xc3",			/* truncated at the end */
		"\x80", "\xbf",		/* stray continuation */
		"\xf5\x80\x80\x80", "\xff", "\xfe",
		"\xe4\x41\xad",		/* continuation replaced */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(utf8_valid_str(bad[i]));
	/* NUL inside a counted string, and a sequence cut by the length. */
	assert_false(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("\xe4\xb8\xad", 2));
	assert_true(utf8_valid("\xe4\xb8\xad", 3));
}

/* utf8_valid reads ASCII eight bytes at a time: a NUL, a bad byte or a character at
 * every offset of runs around the word size, each ending at every length, decide as a
 * byte at a time does. */
static void
test_utf8_runs(void **state)
{
	static const char *const odd[] = { "", "\x80", "\xff", "\xe4\xb8\xad", "\xe4\xb8",
	    "\x7f", "\x01" };
	char buf[40];
	size_t at, len, k, olen;
	int want;

	(void)state;
	for (k = 0; k < sizeof odd / sizeof odd[0] + 1; k++)
		for (at = 0; at < 24; at++)
			for (len = 0; len <= 32; len++) {
				memset(buf, 'a', sizeof buf);
				if (k == sizeof odd / sizeof odd[0]) {
					buf[at] = '\0';	/* a NUL inside */
					olen = 1;
					want = at >= len;
				} else {
					olen = strlen(odd[k]);
					memcpy(buf + at, odd[k], olen);
					/* valid unless the odd bytes are inside and not a whole character */
					want = at >= len || (k != 1 && k != 2 && k != 4 &&
					    (k != 3 || at + olen <= len));
				}
				if (utf8_valid(buf, len) != want)
					fail_msg("case %zu at %zu len %zu: %d", k, at, len, !want);
			}
}

static void
test_encode_roundtrip(void **state)
{
	uint32_t cp, back;
	char b[4];
	int n;

	(void)state;
	for (cp = 1; cp <= 0x10ffff; cp += (cp < 0x3000 ? 1 : 61)) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		n = utf8_encode(cp, b);
		assert_int_equal(utf8_decode((unsigned char *)b, (size_t)n, &back), n);
		assert_int_equal(back, cp);
	}
}

/* Unicode's Table 3-7 (well-formed UTF-8 byte sequences), written out as ranges: the
 * reference the decoder is checked against. Returns the length of the sequence at s (n
 * bytes), 0 if it is not well-formed. */
static int
table37(const unsigned char *s, size_t n)
{
	static const struct {
		unsigned char lo[4], hi[4];
		int len;
	} rows[] = {
		{{0x00}, {0x7f}, 1},
		{{0xc2, 0x80}, {0xdf, 0xbf}, 2},
		{{0xe0, 0xa0, 0x80}, {0xe0, 0xbf, 0xbf}, 3},
		{{0xe1, 0x80, 0x80}, {0xec, 0xbf, 0xbf}, 3},
		{{0xed, 0x80, 0x80}, {0xed, 0x9f, 0xbf}, 3},
		{{0xee, 0x80, 0x80}, {0xef, 0xbf, 0xbf}, 3},
		{{0xf0, 0x90, 0x80, 0x80}, {0xf0, 0xbf, 0xbf, 0xbf}, 4},
		{{0xf1, 0x80, 0x80, 0x80}, {0xf3, 0xbf, 0xbf, 0xbf}, 4},
		{{0xf4, 0x80, 0x80, 0x80}, {0xf4, 0x8f, 0xbf, 0xbf}, 4},
	};
	size_t r;
	int i;

	for (r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		if ((size_t)rows[r].len > n)
			continue;
		for (i = 0; i < rows[r].len; i++)
			if (s[i] < rows[r].lo[i] || s[i] > rows[r].hi[i])
				break;
		if (i == rows[r].len)
			return rows[r].len;
	}
	return 0;
}

/* Every sequence of up to three bytes, and four-byte ones from every lead byte with random
 * tails, decode exactly as Table 3-7 says; and utf8_seq (the inline check, which reads a
 * NUL-terminated string no further than its NUL) gives the same lengths. */
static void
test_utf8_exhaustive(void **state)
{
	unsigned char b[4];
	uint32_t v, cp;
	int k;

	(void)state;
	for (v = 0; v < (1u << 24); v++) {
		b[0] = (unsigned char)(v >> 16);
		b[1] = (unsigned char)(v >> 8);
		b[2] = (unsigned char)v;
		b[3] = 0;
		k = table37(b, 3);
		if (utf8_decode(b, 3, &cp) != k)
			fail_msg("%02x %02x %02x: decoder %d, table %d", b[0], b[1], b[2],
			    utf8_decode(b, 3, &cp), k);
		if (utf8_seq(b) != table37(b, 4))
			fail_msg("%02x %02x %02x 00: utf8_seq %d, table %d", b[0], b[1], b[2],
			    utf8_seq(b), table37(b, 4));
	}
	srand(11);
	for (v = 0; v < 4000000; v++) {
		b[0] = (unsigned char)(0xf0 + v % 16);
		b[1] = (unsigned char)rand();
		b[2] = (unsigned char)(0x80 + rand() % 0x40);
		b[3] = (unsigned char)(v % 7 == 0 ? rand() : 0x80 + rand() % 0x40);
		k = table37(b, 4);
		assert_int_equal(utf8_decode(b, 4, &cp), k);
		assert_int_equal(utf8_seq(b), k);
		assert_int_equal(utf8_decode(b, 3, &cp), table37(b, 3)); /* cut short */
	}
}

/* Whatever bytes come in, the escape gives text that passes the stored-text check. */
static void
test_escape_is_clean(void **state)
{
	char in[64], out[512];
	struct err e;
	int i, j;

	(void)state;
	srand(7);
	for (i = 0; i < 200000; i++) {
		int n = rand() % 63;

		for (j = 0; j < n; j++)
			in[j] = (char)(1 + rand() % 255);
		in[n] = '\0';
		text_escape(in, out, sizeof out);
		assert_int_equal(text_check(out, 0, "x", &e), E_OK);
		assert_false(text_needs_escape(out));
		assert_int_equal(text_needs_escape(in), strcmp(in, out) != 0);
	}
}

static void
test_check(void **state)
{
	struct err e;
	static const char *refused[] = {
		"\x1b]0;pwned\x07", "\x1b[2J", "a\tb", "a\nb", "a\rb", "\x7f", "\xc2\x9b" "2J",
		"\xe2\x80\xae" "evil", "\xe2\x80\xaa", "\xe2\x81\xa6", "\xe2\x81\xa9",
		"\xe2\x80\xa8",
	};
	size_t i;

	(void)state;
	assert_int_equal(text_check("东门 checkpoint 3", 0, "name", &e), E_OK);
	assert_int_equal(text_check("", 0, "name", &e), E_OK);
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(text_check(refused[i], 0, "name", &e), E_INVALID);
		assert_non_null(strstr(e.msg, "name: "));
		assert_null(strstr(e.msg, "pwned"));
	}
	assert_int_equal(text_check("a\xed\xa0\x80" "b", 0, "person", &e), E_INVALID);
	assert_non_null(strstr(e.msg, "UTF-8"));
	assert_int_equal(text_check("\xe2\x80\xae", 0, "note", &e), E_INVALID);
	assert_non_null(strstr(e.msg, "direction"));
	/* Multi-line fields take line feeds, nothing else. */
	assert_int_equal(text_check("line 1\nline 2", TEXT_MULTILINE, "note", &e), E_OK);
	assert_int_equal(text_check("line 1\r\nline 2", TEXT_MULTILINE, "note", &e), E_INVALID);
	assert_int_equal(text_check("\x1b[2J", TEXT_MULTILINE, "note", &e), E_INVALID);
}

static void
test_escape(void **state)
{
	char out[128];

	(void)state;
	assert_string_equal(text_escape("东门 ok", out, sizeof out), "东门 ok");
	assert_false(text_needs_escape("东门 ok"));
	assert_true(text_needs_escape("\x1b[2J"));
	assert_string_equal(text_escape("\x1b]0;x\x07", out, sizeof out), "\\u{001B}]0;x\\u{0007}");
	assert_string_equal(text_escape("a\xed\xa0\x80" "b", out, sizeof out), "a\\xED\\xA0\\x80b");
	assert_string_equal(text_escape("\xe2\x80\xae" "x", out, sizeof out), "\\u{202E}x");
	assert_string_equal(text_escape("a\nb\tc", out, sizeof out), "a\\nb\\tc");
	assert_string_equal(text_escape("\xc2\x9b", out, sizeof out), "\\u{009B}");
	/* Never cuts a character or an escape in half. */
	assert_string_equal(text_escape("ab中", out, 5), "ab");
	assert_string_equal(text_escape("a\x1b", out, 8), "a");
	assert_string_equal(text_escape("abc", out, 1), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_good),
		cmocka_unit_test(test_utf8_bad),
		cmocka_unit_test(test_utf8_runs),
		cmocka_unit_test(test_encode_roundtrip),
		cmocka_unit_test(test_utf8_exhaustive),
		cmocka_unit_test(test_escape_is_clean),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
