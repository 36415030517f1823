/* test-crypto.c — unit tests of crypto/: page sealing, the recovery key's check
 * characters, header copies, key slots, KDF profiles, and the VFS's refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include <sodium.h>

#include "crypto/header.h"
#include "crypto/page.h"
#include "crypto/recovery.h"
#include "crypto/vault.h"
#include "crypto/vfs.h"

static char dir[] = "/tmp/outpost-unit-XXXXXX";

static void
path_in(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void
test_page_roundtrip_and_tamper(void **state)
{
	uint8_t key[32], id[16], plain[PAGE_SIZE], sealed[PAGE_SIZE], out[PAGE_SIZE];
	uint8_t *secret = sodium_malloc(2 * PAGE_CIPHER_SECRET);
	struct page_cipher g, g2;
	size_t i;

	(void)state;
	assert_non_null(secret);
	randombytes_buf(key, sizeof key);
	randombytes_buf(id, sizeof id);
	assert_int_equal(page_cipher_init(&g, secret, key), 0);
	assert_int_equal(page_cipher_init(&g2, secret + PAGE_CIPHER_SECRET, key), 0);
	randombytes_buf(plain, sizeof plain);
	memset(plain + PAGE_SIZE - PAGE_RESERVE, 0, PAGE_RESERVE);
	assert_int_equal(page_seal(&g, id, 7, plain, sealed, PAGE_SIZE), 0);
	assert_memory_not_equal(plain, sealed, PAGE_SIZE - PAGE_RESERVE);
	assert_int_equal(page_open(&g, id, 7, sealed, out, PAGE_SIZE), 0);
	assert_memory_equal(plain, out, PAGE_SIZE);
	/* Another open file (another prefix, another subkey) opens it too. */
	memset(out, 0xee, sizeof out);
	assert_int_equal(page_open(&g2, id, 7, sealed, out, PAGE_SIZE), 0);
	assert_memory_equal(plain, out, PAGE_SIZE);
	/* The same page sealed twice differs (a new nonce), by the same generator or another
	 * (another open file: another random prefix). */
	assert_int_equal(page_seal(&g, id, 7, plain, out, PAGE_SIZE), 0);
	assert_memory_not_equal(out, sealed, PAGE_SIZE);
	assert_memory_not_equal(out + PAGE_SIZE - PAGE_RESERVE, sealed + PAGE_SIZE - PAGE_RESERVE,
	    PAGE_NONCE);
	assert_int_equal(page_seal(&g2, id, 7, plain, out, PAGE_SIZE), 0);
	assert_memory_not_equal(out + PAGE_SIZE - PAGE_RESERVE, sealed + PAGE_SIZE - PAGE_RESERVE,
	    16);
	/* Moved to another page number or another file: refused. */
	assert_int_equal(page_open(&g, id, 8, sealed, out, PAGE_SIZE), -1);
	id[0] ^= 1;
	assert_int_equal(page_open(&g, id, 7, sealed, out, PAGE_SIZE), -1);
	id[0] ^= 1;
	/* Any flipped bit anywhere in the page: refused, and the output is zeros. */
	for (i = 0; i < PAGE_SIZE; i += 97) {
		sealed[i] ^= 0x10;
		assert_int_equal(page_open(&g, id, 7, sealed, out, PAGE_SIZE), -1);
		assert_true(out[0] == 0 && out[i] == 0 && out[PAGE_SIZE / 2] == 0);
		sealed[i] ^= 0x10;
	}
	/* After a refusal the cached subkey still opens good pages. */
	assert_int_equal(page_open(&g, id, 7, sealed, out, PAGE_SIZE), 0);
	assert_memory_equal(plain, out, PAGE_SIZE);
	page_cipher_free(&g);
	page_cipher_free(&g2);
	/* Free wipes the keys. */
	for (i = 0; i < 2 * PAGE_CIPHER_SECRET; i++)
		assert_int_equal(secret[i], 0);
	page_cipher_free(&g);
	sodium_free(secret);
}

static void
test_recovery_roundtrip(void **state)
{
	uint8_t b[RECOVERY_BYTES], back[RECOVERY_BYTES];
	char text[RECOVERY_TEXT_LEN + 1], low[RECOVERY_TEXT_LEN + 1];
	int i;

	(void)state;
	for (i = 0; i < 50; i++) {
		randombytes_buf(b, sizeof b);
		recovery_encode(b, text);
		assert_int_equal(strlen(text), RECOVERY_TEXT_LEN);
		assert_int_equal(recovery_decode(text, strlen(text), back), 0);
		assert_memory_equal(b, back, sizeof b);
	}
	/* Lowercase, no dashes, spaces: the same key. */
	for (i = 0; text[i]; i++)
		low[i] = (char)(text[i] == '-' ? ' ' : (text[i] >= 'A' && text[i] <= 'Z' ?
		    text[i] - 'A' + 'a' : text[i]));
	low[i] = '\0';
	assert_int_equal(recovery_decode(low, strlen(low), back), 0);
	assert_memory_equal(b, back, sizeof b);
	assert_int_equal(recovery_decode("ABCDE", 5, back), -1);
	assert_int_equal(recovery_decode("!!!", 3, back), -1);
}

static void
test_recovery_every_typo_caught(void **state)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	uint8_t b[RECOVERY_BYTES], back[RECOVERY_BYTES];
	char text[RECOVERY_TEXT_LEN + 1], typo[RECOVERY_TEXT_LEN + 1], swap[RECOVERY_TEXT_LEN + 1];
	int pos, k, caught = 0, tried = 0;

	(void)state;
	randombytes_buf(b, sizeof b);
	recovery_encode(b, text);
	/* Every single-character substitution, at every position, names its group. */
	for (pos = 0; pos < RECOVERY_TEXT_LEN; pos++) {
		if (text[pos] == '-')
			continue;
		for (k = 0; k < 32; k++) {
			if (alphabet[k] == text[pos])
				continue;
			memcpy(typo, text, sizeof typo);
			typo[pos] = alphabet[k];
			tried++;
			if (recovery_decode(typo, strlen(typo), back) == pos / 6 + 1)
				caught++;
		}
	}
	assert_int_equal(caught, tried);
	/* Two whole groups swapped: caught too. */
	memcpy(swap, text, sizeof swap);
	memcpy(swap, text + 6, 5);
	memcpy(swap + 6, text, 5);
	if (memcmp(text, text + 6, 5) != 0)
		assert_true(recovery_decode(swap, strlen(swap), back) > 0);
}

static void
test_header_copies(void **state)
{
	struct hdr h, got;
	struct hdr_state *st = malloc(sizeof *st);
	uint8_t kwk[32];
	char path[256];
	int fd, other_bad;

	(void)state;
	memset(&h, 0, sizeof h);
	h.version = FORMAT_VERSION;
	h.page_size = PAGE_SIZE;
	h.reserve = PAGE_RESERVE;
	h.seq = 5;
	randombytes_buf(h.file_id, sizeof h.file_id);
	randombytes_buf(kwk, sizeof kwk);
	h.slot[2].kind = SLOT_PASSPHRASE;
	strcpy(h.slot[2].label, "desk");
	path_in(path, sizeof path, "hdr");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(hdr_write(fd, &h, kwk), 0);
	assert_int_equal(h.seq, 6);
	assert_int_equal(hdr_read(fd, &got, st), 0);
	assert_int_equal(got.seq, 6);
	assert_string_equal(got.slot[2].label, "desk");
	assert_true(st->valid[0] && st->valid[1]);
	assert_int_equal(hdr_verify(st, kwk, &other_bad), 0);
	assert_int_equal(other_bad, 0);
	/* A torn copy A: B is chosen. */
	assert_int_equal(pwrite(fd, "xx", 2, 100), 2);
	assert_int_equal(hdr_read(fd, &got, st), 0);
	assert_false(st->valid[0]);
	assert_int_equal(st->which, 1);
	/* A rewrite repairs both copies, older first. */
	assert_int_equal(hdr_write(fd, &h, kwk), 0);
	assert_int_equal(hdr_read(fd, &got, st), 0);
	assert_true(st->valid[0] && st->valid[1]);
	assert_int_equal(got.seq, 7);
	/* A header with a recomputed checksum but changed content fails the MAC. */
	kwk[0] ^= 1;
	assert_int_equal(hdr_verify(st, kwk, NULL), -1);
	close(fd);
	unlink(path);
	free(st);
}

static void
test_vault_slots(void **state)
{
	struct vault *v = NULL, *w = NULL;
	struct vault_slot_info s[VAULT_MAX_SLOTS];
	struct err e = { 0 };
	char path[256], rec[VAULT_RECOVERY_LEN];
	sqlite3 *db;

	(void)state;
	path_in(path, sizeof path, "slots.db");
	assert_int_equal(vault_create(path, "first pass", 10, VAULT_KDF_TEST_CHEAP, rec, &v, &e),
	    E_OK);
	assert_int_equal(vault_open_db(v, &db, &e), E_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (42);", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(vault_slot_list(v, s, VAULT_MAX_SLOTS, &e), 2);
	assert_int_equal(s[1].kind, VAULT_RECOVERY);
	assert_string_equal(s[0].kdf, "test-cheap");
	assert_int_equal(vault_slot_add(v, "second pass", 11, "night shift",
	    VAULT_KDF_TEST_CHEAP, &e), E_OK);
	assert_int_equal(vault_slot_add(v, "second pass", 11, NULL, VAULT_KDF_TEST_CHEAP, &e),
	    E_INVALID);
	vault_close(v);
	assert_int_equal(vault_unlock(path, "nope", 4, VAULT_PASSPHRASE, &w, &e), E_LOCKED);
	assert_null(w);
	assert_int_equal(vault_unlock(path, "second pass", 11, VAULT_PASSPHRASE, &w, &e), E_OK);
	assert_int_equal(vault_slot_list(w, s, VAULT_MAX_SLOTS, &e), 3);
	assert_string_equal(s[2].label, "night shift");
	assert_int_equal(vault_slot_remove(w, "first pass", 10, &e), E_OK);
	assert_int_equal(vault_slot_remove(w, "second pass", 11, &e), E_INVALID);
	vault_close(w);
	assert_int_equal(vault_unlock(path, "first pass", 10, VAULT_PASSPHRASE, &w, &e),
	    E_LOCKED);
	assert_int_equal(vault_unlock(path, rec, strlen(rec), VAULT_RECOVERY, &w, &e), E_OK);
	assert_int_equal(vault_open_db(w, &db, &e), E_OK);
	assert_int_equal(sqlite3_exec(db, "SELECT x FROM t WHERE x = 42", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	vault_close(w);
	unlink(path);
}

/* The default profile stays strong, and works end to end. */
static void
test_default_kdf_is_strong(void **state)
{
	struct vault *v = NULL;
	struct vault_slot_info s[VAULT_MAX_SLOTS];
	struct err e = { 0 };
	char path[256], rec[VAULT_RECOVERY_LEN];

	(void)state;
	assert_int_equal(vault_kdf_parse("default"), VAULT_KDF_DEFAULT);
	assert_int_equal(vault_kdf_parse("test-cheap"), VAULT_KDF_TEST_CHEAP);
	assert_int_equal(vault_kdf_parse("fast"), -1);
	path_in(path, sizeof path, "strong.db");
	assert_int_equal(vault_create(path, "pass word", 9, VAULT_KDF_DEFAULT, rec, &v, &e),
	    E_OK);
	vault_close(v);
	{
		/* Slot 0's stored costs, read from the file itself. */
		struct hdr h;
		struct hdr_state *st = malloc(sizeof *st);
		int fd = open(path, O_RDONLY);

		assert_int_equal(hdr_read(fd, &h, st), 0);
		assert_true(h.slot[0].opslimit >= 3);
		assert_true(h.slot[0].memlimit >= 128u << 20);
		close(fd);
		free(st);
	}
	assert_int_equal(vault_unlock(path, "pass word", 9, VAULT_PASSPHRASE, &v, &e), E_OK);
	assert_int_equal(vault_slot_list(v, s, VAULT_MAX_SLOTS, &e), 2);
	assert_string_equal(s[0].kdf, "default");
	vault_close(v);
	unlink(path);
}

/* A plain page 1 (reserve 0) copied in by the backup API would overwrite the nonce and
 * tag area: the VFS refuses it, and the logbook is left as it was. */
static void
test_foreign_page1_refused(void **state)
{
	struct vault *v = NULL;
	struct err e = { 0 };
	struct vfs_stats before, after;
	char path[256], rec[VAULT_RECOVERY_LEN];
	sqlite3 *db, *mem;
	sqlite3_backup *b;
	int rc;

	(void)state;
	path_in(path, sizeof path, "foreign.db");
	assert_int_equal(vault_create(path, "pass word", 9, VAULT_KDF_TEST_CHEAP, rec, &v, &e),
	    E_OK);
	assert_int_equal(vault_open_db(v, &db, &e), E_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE keep(x); INSERT INTO keep VALUES (1);",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_open(":memory:", &mem), SQLITE_OK);
	assert_int_equal(sqlite3_exec(mem, "CREATE TABLE other(y); INSERT INTO other VALUES (2);",
	    NULL, NULL, NULL), SQLITE_OK);
	vfs_stats(&before);
	b = sqlite3_backup_init(db, "main", mem, "main");
	assert_non_null(b);
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	vfs_stats(&after);
	assert_true(rc != SQLITE_DONE || after.refused > before.refused);
	assert_true(after.refused > before.refused);
	sqlite3_close(mem);
	assert_int_equal(sqlite3_exec(db, "SELECT x FROM keep", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(vault_check(v, &e), E_OK);
	vault_close(v);
	unlink(path);
}

/* Rows 1..n of t, each a distinct blob long enough to spread over many pages. */
static void
fill(sqlite3 *db, int from, int n)
{
	char sql[160];

	snprintf(sql, sizeof sql, "WITH RECURSIVE c(i) AS (SELECT %d UNION ALL SELECT i + 1"
	    " FROM c WHERE i < %d) INSERT INTO t SELECT i, randomblob(300) FROM c", from,
	    from + n - 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static sqlite3_int64
count_rows(sqlite3 *db)
{
	sqlite3_stmt *st;
	sqlite3_int64 n;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* A checkpoint copies sealed frames from the WAL into the main file without opening or
 * sealing a page, and the copies open afterwards with every row there. */
static void
test_checkpoint_copies_sealed(void **state)
{
	struct vault *v = NULL;
	struct err e = { 0 };
	struct vfs_stats before, after;
	char path[256], rec[VAULT_RECOVERY_LEN];
	sqlite3 *db;

	(void)state;
	path_in(path, sizeof path, "ckpt.db");
	assert_int_equal(vault_create(path, "pass word", 9, VAULT_KDF_TEST_CHEAP, rec, &v, &e),
	    E_OK);
	assert_int_equal(vault_open_db(v, &db, &e), E_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_autocheckpoint=0; CREATE TABLE t"
	    "(i INTEGER PRIMARY KEY, b BLOB)", NULL, NULL, NULL), SQLITE_OK);
	fill(db, 1, 2000);
	vfs_stats(&before);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
	    SQLITE_OK);
	vfs_stats(&after);
	assert_true(after.copied - before.copied > 100);
	assert_int_equal(after.sealed, before.sealed);
	assert_int_equal(after.opened, before.opened);
	assert_int_equal(after.refused, before.refused);
	sqlite3_close(db);
	assert_int_equal(vault_open_db(v, &db, &e), E_OK);
	assert_int_equal(count_rows(db), 2000);
	sqlite3_close(db);
	assert_int_equal(vault_check(v, &e), E_OK);
	vault_close(v);
	unlink(path);
}

/* The copy is authenticated when it is next read: a frame altered in the WAL before the
 * checkpoint lands in the main file as it is and is reported as damage, never as rows. */
static void
test_checkpoint_copy_of_damaged_frame(void **state)
{
	struct vault *v = NULL;
	struct err e = { 0 };
	char path[256], wal[260], rec[VAULT_RECOVERY_LEN];
	sqlite3 *db;
	sqlite3_stmt *st;
	uint8_t byte;
	int fd, rc;

	(void)state;
	path_in(path, sizeof path, "ckpt-bad.db");
	snprintf(wal, sizeof wal, "%s-wal", path);
	assert_int_equal(vault_create(path, "pass word", 9, VAULT_KDF_TEST_CHEAP, rec, &v, &e),
	    E_OK);
	assert_int_equal(vault_open_db(v, &db, &e), E_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_autocheckpoint=0; CREATE TABLE t"
	    "(i INTEGER PRIMARY KEY, b BLOB)", NULL, NULL, NULL), SQLITE_OK);
	fill(db, 1, 500);
	/* One byte in the body of the WAL's fifth frame (32-byte header, 24 + 4096 a frame). */
	fd = open(wal, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &byte, 1, 32 + 4 * 4120 + 24 + 100), 1);
	byte ^= 0x40;
	assert_int_equal(pwrite(fd, &byte, 1, 32 + 4 * 4120 + 24 + 100), 1);
	close(fd);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(vault_check(v, &e), E_DAMAGED);
	assert_non_null(strstr(e.msg, "damaged: page"));
	assert_int_equal(vault_open_db(v, &db, &e), E_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT sum(length(b)) FROM t", -1, &st, NULL),
	    SQLITE_OK);
	rc = sqlite3_step(st);
	assert_int_not_equal(rc, SQLITE_ROW);
	sqlite3_finalize(st);
	sqlite3_close(db);
	vault_close(v);
	unlink(path);
}

/* During a checkpoint the main file takes only the sealed frame the WAL handed over: a
 * page of plaintext written then is refused, and the logbook is left as it was. */
static void
test_checkpoint_refuses_other_writes(void **state)
{
	struct vault *v = NULL;
	struct err e = { 0 };
	struct vfs_stats before, after;
	char path[256], rec[VAULT_RECOVERY_LEN];
	uint8_t page[4096] = { 0 };
	sqlite3_file *fp = NULL;
	sqlite3 *db;

	(void)state;
	path_in(path, sizeof path, "ckpt-refuse.db");
	assert_int_equal(vault_create(path, "pass word", 9, VAULT_KDF_TEST_CHEAP, rec, &v, &e),
	    E_OK);
	assert_int_equal(vault_open_db(v, &db, &e), E_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(i INTEGER PRIMARY KEY, b BLOB)", NULL,
	    NULL, NULL), SQLITE_OK);
	fill(db, 1, 50);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &fp),
	    SQLITE_OK);
	assert_non_null(fp);
	memcpy(page, "plain page", 10);
	vfs_stats(&before);
	fp->pMethods->xFileControl(fp, SQLITE_FCNTL_CKPT_START, NULL);
	assert_int_equal(fp->pMethods->xWrite(fp, page, sizeof page, 2 * 4096),
	    SQLITE_IOERR_WRITE);
	fp->pMethods->xFileControl(fp, SQLITE_FCNTL_CKPT_DONE, NULL);
	vfs_stats(&after);
	assert_int_equal(after.refused, before.refused + 1);
	assert_int_equal(count_rows(db), 50);
	sqlite3_close(db);
	assert_int_equal(vault_check(v, &e), E_OK);
	vault_close(v);
	unlink(path);
}

static void
test_probe_names_files(void **state)
{
	struct err e = { 0 };
	char path[256];
	FILE *f;

	(void)state;
	path_in(path, sizeof path, "plain.db");
	f = fopen(path, "w");
	fwrite("SQLite format 3\0rest of it", 1, 26, f);
	fclose(f);
	assert_int_equal(vault_probe(path, &e), E_DAMAGED);
	assert_non_null(strstr(e.msg, "plain"));
	f = fopen(path, "w");
	fclose(f);
	assert_int_equal(vault_probe(path, &e), E_DAMAGED);
	assert_non_null(strstr(e.msg, "empty"));
	unlink(path);
	assert_int_equal(vault_probe(path, &e), E_IO);
	assert_non_null(strstr(e.msg, "outpost init"));
}

/* 1 if another process could not take a write lock where SQLite's unix VFS puts its
 * SHARED locks (510 bytes from 1 GiB + 2): some connection of ours holds one. Asked from a
 * child, since F_GETLK does not report the caller's own locks. */
static int
shared_lock_held(const char *path)
{
	pid_t pid;
	int status;

	if ((pid = fork()) == 0) {
		struct flock fl;
		int fd = open(path, O_RDWR);

		memset(&fl, 0, sizeof fl);
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = 0x40000000 + 2;
		fl.l_len = 510;
		if (fd < 0 || fcntl(fd, F_GETLK, &fl) != 0)
			_exit(2);
		_exit(fl.l_type != F_UNLCK ? 1 : 0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) != 2);
	return WEXITSTATUS(status) == 1;
}

/* vault_check reads the raw file through SQLite's own descriptor: it opens and closes no
 * second one, whose close would drop the locks every connection of this process holds on
 * the file (a WAL connection's SHARED lock is what keeps another process from taking the
 * file for itself, checkpointing and deleting the WAL under it). */
static void
test_check_keeps_the_logbook_lock(void **state)
{
	struct vault *v = NULL;
	struct err e = { 0 };
	char path[256], rec[VAULT_RECOVERY_LEN];
	sqlite3 *db;

	(void)state;
	path_in(path, sizeof path, "check-lock.db");
	assert_int_equal(vault_create(path, "pass word", 9, VAULT_KDF_TEST_CHEAP, rec, &v, &e),
	    E_OK);
	assert_int_equal(vault_open_db(v, &db, &e), E_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (42);", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_true(shared_lock_held(path));
	assert_int_equal(vault_check(v, &e), E_OK);
	assert_true(shared_lock_held(path));
	/* and the check still finds damage: a sealed page flipped on disk */
	{
		int fd = open(path, O_RDWR);
		uint8_t b;
		assert_true(fd >= 0);
		assert_int_equal(pread(fd, &b, 1, 8192 + 100), 1);
		b ^= 1;
		assert_int_equal(pwrite(fd, &b, 1, 8192 + 100), 1);
		close(fd);	/* (this test's own descriptor: the lock goes, as it would) */
	}
	assert_int_equal(vault_check(v, &e), E_DAMAGED);
	assert_non_null(strstr(e.msg, "page 1"));
	sqlite3_close(db);
	vault_close(v);
	unlink(path);
}

/* Two vaults open on one file in one process (the app and a backup, say): closing one
 * leaves the other's key in the keyring, so its connections still open. */
static void
test_two_vaults_one_file(void **state)
{
	struct vault *v = NULL, *a = NULL, *b = NULL;
	struct err e = { 0 };
	char path[256], rec[VAULT_RECOVERY_LEN];
	sqlite3 *db;
	sqlite3_stmt *st;

	(void)state;
	path_in(path, sizeof path, "two.db");
	assert_int_equal(vault_create(path, "pass word", 9, VAULT_KDF_TEST_CHEAP, rec, &v, &e),
	    E_OK);
	assert_int_equal(vault_open_db(v, &db, &e), E_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (42);", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	vault_close(v);
	assert_int_equal(vault_unlock(path, "pass word", 9, VAULT_PASSPHRASE, &a, &e), E_OK);
	assert_int_equal(vault_unlock(path, "pass word", 9, VAULT_PASSPHRASE, &b, &e), E_OK);
	vault_close(b);
	assert_int_equal(vault_open_db(a, &db, &e), E_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT x FROM t", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 42);
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* the other way round: the first one closed, the second still opens */
	assert_int_equal(vault_unlock(path, "pass word", 9, VAULT_PASSPHRASE, &b, &e), E_OK);
	vault_close(a);
	assert_int_equal(vault_open_db(b, &db, &e), E_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO t VALUES (43)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	vault_close(b);
	unlink(path);
}

/* A connection opened for a caller that serializes its threads has no SQLite mutex; the
 * default one keeps it (the station's logbooks). */
static void
test_open_db_caller_locks(void **state)
{
	struct vault *v = NULL;
	struct err e = { 0 };
	char path[256], rec[VAULT_RECOVERY_LEN];
	sqlite3 *a = NULL, *b = NULL;

	(void)state;
	path_in(path, sizeof path, "mutex.db");
	assert_int_equal(vault_create(path, "pass word", 9, VAULT_KDF_TEST_CHEAP, rec, &v, &e),
	    E_OK);
	assert_int_equal(vault_open_db(v, &a, &e), E_OK);
	assert_int_equal(vault_open_db_with(v, VAULT_DB_CALLER_LOCKS, &b, &e), E_OK);
	assert_non_null(sqlite3_db_mutex(a));
	assert_null(sqlite3_db_mutex(b));
	/* both read and write the same sealed file */
	assert_int_equal(sqlite3_exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES (7);", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(b, "INSERT INTO t SELECT x + 1 FROM t;", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(a);
	sqlite3_close(b);
	vault_close(v);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_roundtrip_and_tamper),
		cmocka_unit_test(test_recovery_roundtrip),
		cmocka_unit_test(test_recovery_every_typo_caught),
		cmocka_unit_test(test_header_copies),
		cmocka_unit_test(test_vault_slots),
		cmocka_unit_test(test_open_db_caller_locks),
		cmocka_unit_test(test_default_kdf_is_strong),
		cmocka_unit_test(test_foreign_page1_refused),
		cmocka_unit_test(test_probe_names_files),
		cmocka_unit_test(test_checkpoint_copies_sealed),
		cmocka_unit_test(test_checkpoint_copy_of_damaged_frame),
		cmocka_unit_test(test_checkpoint_refuses_other_writes),
		cmocka_unit_test(test_check_keeps_the_logbook_lock),
		cmocka_unit_test(test_two_vaults_one_file),
	};
	int rc;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	rc = cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
