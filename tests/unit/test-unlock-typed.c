/* test-unlock-typed.c — a typed secret told apart as passphrase or recovery key (crypto/'s
 * vault_unlock_typed, the one rule the CLI and the app share) and the logbook opened as a
 * file in one step (storage/'s logbook_unlock_file and logbook_create_file, which the
 * full-screen app uses instead of crypto/). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/vault.h"
#include "storage/logbook.h"

static char dir[] = "/tmp/outpost-unit-XXXXXX";

static void
path_in(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void
test_looks_like_recovery(void **state)
{
	const char *grouped = "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345-6789A-BCDEF";

	(void)state;
	assert_true(vault_looks_like_recovery(grouped, strlen(grouped)));
	assert_true(logbook_looks_like_recovery(grouped, strlen(grouped)));
	/* without dashes, in lower case, spaced: still one */
	assert_true(vault_looks_like_recovery("abcdefghijklmnopqrstuvwxyz23456789abcdef", 40));
	assert_true(vault_looks_like_recovery("abcde fghij klmno pqrst uvwxy z2345 6789a bcdef",
	    47));
	/* one letter short or long, or any other character: a passphrase */
	assert_false(vault_looks_like_recovery(grouped, strlen(grouped) - 1));
	assert_false(vault_looks_like_recovery("abcdefghijklmnopqrstuvwxyz23456789abcdefg", 41));
	assert_false(vault_looks_like_recovery("abcdefghijklmnopqrstuvwxyz23456789abcde!", 40));
	assert_false(vault_looks_like_recovery("", 0));
}

/* Drops the dashes and lowers the case of a recovery key, as a person might type it. */
static void
retype(const char *rec, char *out)
{
	for (; *rec != '\0'; rec++)
		if (*rec != '-')
			*out++ = (char)tolower((unsigned char)*rec);
	*out = '\0';
}

static void
test_typed_secrets(void **state)
{
	/* a passphrase that has a recovery key's shape: tried as one, then as a passphrase */
	const char *odd = "abcdefghijklmnopqrstuvwxyz23456789abcdef";
	struct vault *v = NULL, *w = NULL;
	struct err e = { 0 };
	char path[256], rec[VAULT_RECOVERY_LEN], typed[VAULT_RECOVERY_LEN];

	(void)state;
	path_in(path, sizeof path, "typed.db");
	assert_int_equal(vault_create(path, odd, strlen(odd), VAULT_KDF_TEST_CHEAP, rec, &v, &e),
	    E_OK);
	vault_close(v);
	assert_int_equal(vault_unlock_typed(path, odd, strlen(odd), 0, &w, &e), E_OK);
	vault_close(w);
	w = NULL;
	/* told to take it as a recovery key only: refused */
	assert_int_equal(vault_unlock_typed(path, odd, strlen(odd), 1, &w, &e), E_LOCKED);
	assert_null(w);
	/* the recovery key, as shown and as retyped */
	assert_int_equal(vault_unlock_typed(path, rec, strlen(rec), 0, &w, &e), E_OK);
	vault_close(w);
	w = NULL;
	retype(rec, typed);
	assert_int_equal(vault_unlock_typed(path, typed, strlen(typed), 0, &w, &e), E_OK);
	vault_close(w);
	w = NULL;
	/* a typo in the recovery key: the recovery key's message (which group), not the
	 * passphrase's, although it was tried as a passphrase too */
	typed[7] = typed[7] == 'a' ? 'b' : 'a';
	assert_int_equal(vault_unlock_typed(path, typed, strlen(typed), 0, &w, &e), E_LOCKED);
	assert_null(w);
	assert_non_null(strstr(e.msg, "2"));
	assert_non_null(strstr(e.msg, "recovery"));
	/* a plain wrong passphrase */
	assert_int_equal(vault_unlock_typed(path, "nope", 4, 0, &w, &e), E_LOCKED);
	assert_null(w);
	assert_null(strstr(e.msg, "group"));
	unlink(path);
}

static void
test_logbook_file(void **state)
{
	struct logbook *lb = NULL;
	struct err e = { 0 };
	char path[256], *rec = sodium_malloc(LOGBOOK_RECOVERY_LEN), name[64];
	int kdf = logbook_kdf_parse("test-cheap");

	(void)state;
	assert_non_null(rec);
	assert_true(kdf >= 0);
	assert_int_equal(logbook_kdf_parse("weak"), -1);
	path_in(path, sizeof path, "file.db");
	assert_int_equal(logbook_create_file(path, "gate pass", 9, kdf, rec, "gate", "东门",
	    &lb, &e), E_OK);
	assert_int_equal(logbook_kind(lb), STATION_GATE);
	logbook_close(lb);	/* closes the connection and the file too */
	lb = NULL;
	assert_int_equal(logbook_probe_file(path, &e), E_OK);
	assert_int_equal(logbook_unlock_file(path, "wrong", 5, &lb, &e), E_LOCKED);
	assert_null(lb);
	assert_int_equal(logbook_unlock_file(path, "gate pass", 9, &lb, &e), E_OK);
	assert_int_equal(settings_get(lb, "name", name, sizeof name, &e), E_OK);
	assert_string_equal(name, "东门");
	logbook_close(lb);
	lb = NULL;
	assert_int_equal(logbook_unlock_file(path, rec, strlen(rec), &lb, &e), E_OK);
	assert_int_equal(logbook_kind(lb), STATION_GATE);
	logbook_close(lb);
	lb = NULL;
	/* a second one at the same path is refused and the first is left as it was */
	assert_int_not_equal(logbook_create_file(path, "other", 5, kdf, rec, "gate", "x", &lb,
	    &e), E_OK);
	assert_null(lb);
	assert_int_equal(logbook_probe_file(path, &e), E_OK);
	unlink(path);
	/* a station kind it does not know: refused, and nothing is left at the path */
	path_in(path, sizeof path, "badkind.db");
	assert_int_equal(logbook_create_file(path, "pass", 4, kdf, rec, "airport", "x", &lb, &e),
	    E_INVALID);
	assert_null(lb);
	assert_int_equal(access(path, F_OK), -1);
	/* a file that is no logbook is named as such */
	path_in(path, sizeof path, "plain.txt");
	{
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs("not a logbook\n", f);
		fclose(f);
	}
	assert_int_not_equal(logbook_probe_file(path, &e), E_OK);
	assert_true(e.msg[0] != '\0');
	unlink(path);
	sodium_free(rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_looks_like_recovery),
		cmocka_unit_test(test_typed_secrets),
		cmocka_unit_test(test_logbook_file),
	};
	int rc;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
