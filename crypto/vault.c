/* vault.c — key slots, unlocking, and the file-level operations on a logbook (see vault.h).
 * Keys: each slot wraps the key-wrapping key (KWK) under a key derived from a passphrase
 * (Argon2id) or the recovery key (BLAKE2b; it has 160 random bits); the KWK wraps the data
 * key (DK) that seals the pages, and keys the header MAC. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/header.h"
#include "crypto/recovery.h"
#include "crypto/vault.h"
#include "crypto/vfs.h"

struct vault {
	char *path;
	struct hdr hdr;
	int other_copy_bad;	/* the second header copy failed its checksum or MAC */
	/* One sodium_malloc region (one set of system calls per unlock): the keys, then room
	 * for a page cipher and a page of plaintext. */
	uint8_t *secret;
	uint8_t *kwk;		/* KWK_LEN bytes in secret */
	uint8_t *dk;		/* DATA_KEY_LEN bytes in secret */
	uint8_t *scratch;	/* PAGE_CIPHER_SECRET + PAGE_SIZE bytes in secret */
};
#define VAULT_SECRET (KWK_LEN + DATA_KEY_LEN + PAGE_CIPHER_SECRET + PAGE_SIZE)

static const struct {
	const char *name;
	unsigned long long opslimit;
	size_t memlimit;
} profiles[] = {
	/* ~0.2 s and 128 MiB on a 2020 laptop core; ~1 s on a Raspberry Pi 3. */
	[VAULT_KDF_DEFAULT] = { "default", 3, 128u << 20 },
	/* For the test suite only, and named so in every slot it makes. */
	[VAULT_KDF_TEST_CHEAP] = { "test-cheap", 1, 8192 },
};

int
vault_kdf_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (strcmp(name, profiles[i].name) == 0)
			return (int)i;
	return -1;
}

const char *
vault_kdf_name(int kdf)
{
	if (kdf < 0 || (size_t)kdf >= sizeof profiles / sizeof profiles[0])
		return "unknown";
	return profiles[kdf].name;
}

const char *
vault_path(const struct vault *v)
{
	return v->path;
}

const uint8_t *
vault_file_id(const struct vault *v)
{
	return v->hdr.file_id;
}

static struct vault *
vault_new(const char *path)
{
	struct vault *v;

	if ((v = calloc(1, sizeof *v)) == NULL)
		return NULL;
	v->path = strdup(path);
	v->secret = sodium_malloc(VAULT_SECRET);
	if (v->path == NULL || v->secret == NULL) {
		vault_close(v);
		return NULL;
	}
	v->kwk = v->secret;
	v->dk = v->secret + KWK_LEN;
	v->scratch = v->dk + DATA_KEY_LEN;
	return v;
}

void
vault_close(struct vault *v)
{
	if (v == NULL)
		return;
	if (v->secret != NULL) {
		vfs_key_remove(v->hdr.file_id, v->dk);
		sodium_free(v->secret);
	}
	free(v->path);
	free(v);
}

/* Derives the key that opens slot s from a secret (a passphrase, or the 20 recovery-key
 * bytes). Returns 0, or -1 if Argon2id could not get its memory. */
static int
slot_key(const struct hdr_slot *s, const uint8_t *secret, size_t len, uint8_t key[32])
{
	if (s->kind == SLOT_RECOVERY) {
		crypto_generichash(key, 32, secret, len, s->salt, HDR_SALT);
		return 0;
	}
	return crypto_pwhash(key, 32, (const char *)secret, len, s->salt, s->opslimit,
	    (size_t)s->memlimit, crypto_pwhash_ALG_ARGON2ID13);
}

/* Fills slot s for a secret and wraps kwk into it. */
static int
slot_fill(struct hdr_slot *s, int kind, int kdf, const char *label, const uint8_t *secret,
    size_t len, const uint8_t *kwk)
{
	uint8_t *key, ad[64];
	size_t adlen;
	int rc;

	memset(s, 0, sizeof *s);
	s->kind = (uint8_t)kind;
	s->kdf = (uint8_t)(kind == SLOT_RECOVERY ? 0 : kdf);
	s->opslimit = kind == SLOT_RECOVERY ? 0 : profiles[kdf].opslimit;
	s->memlimit = kind == SLOT_RECOVERY ? 0 : profiles[kdf].memlimit;
	randombytes_buf(s->salt, HDR_SALT);
	snprintf(s->label, sizeof s->label, "%s", label != NULL ? label : "");
	if ((key = sodium_malloc(32)) == NULL)
		return -1;
	rc = slot_key(s, secret, len, key);
	if (rc == 0) {
		adlen = slot_ad(s, ad);
		key_wrap(key, kwk, ad, adlen, s->wrapped);
	}
	sodium_free(key);
	return rc;
}

/* Tries every slot of the kind with the secret; returns the slot index or -1. The slot
 * keys go through scratch (32 bytes of sodium_malloc memory; NULL: one is allocated). */
static int
slot_try(const struct hdr *h, int kind, const uint8_t *secret, size_t len, uint8_t *kwk,
    uint8_t *scratch)
{
	uint8_t *key = scratch, ad[64];
	size_t adlen;
	int i, found = -1;

	if (key == NULL && (key = sodium_malloc(32)) == NULL)
		return -1;
	for (i = 0; i < HDR_SLOTS && found < 0; i++) {
		if (h->slot[i].kind != kind)
			continue;
		if (slot_key(&h->slot[i], secret, len, key) != 0)
			continue;
		adlen = slot_ad(&h->slot[i], ad);
		if (key_unwrap(key, h->slot[i].wrapped, ad, adlen, kwk) == 0)
			found = i;
	}
	if (scratch == NULL)
		sodium_free(key);
	else
		sodium_memzero(key, 32);
	return found;
}

static int
fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd, rc = -1;

	if (copy == NULL)
		return -1;
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

/* Writes a new file holding only the header h (both copies) and fsyncs it. */
static int
write_new_file(const char *path, const struct hdr *h, const uint8_t *kwk, struct err *e)
{
	uint8_t image[HDR_COPY_SIZE];
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, E_IO, _("cannot create %s: %s"), path, strerror(errno));
	hdr_encode(h, kwk, image);
	if (write(fd, image, HDR_COPY_SIZE) != HDR_COPY_SIZE ||
	    write(fd, image, HDR_COPY_SIZE) != HDR_COPY_SIZE || fsync(fd) != 0) {
		err_set(e, E_IO, _("cannot write %s: %s"), path, strerror(errno));
		close(fd);
		unlink(path);
		return E_IO;
	}
	close(fd);
	fsync_dir_of(path);
	return E_OK;
}

static void vault_mark_initialised(struct vault *v);

int
vault_create(const char *path, const char *pass, size_t passlen, int kdf, char *recovery,
    struct vault **out, struct err *e)
{
	struct vault *v;
	sqlite3 *db;
	uint8_t *rbytes, ad[32];
	size_t adlen;
	int rc;

	*out = NULL;
	if (sodium_init() < 0 || vfs_register() != SQLITE_OK)
		return err_set(e, E_IO, "%s", _("the encryption library could not start"));
	if (kdf < 0 || (size_t)kdf >= sizeof profiles / sizeof profiles[0])
		return err_set(e, E_USAGE, "%s", _("unknown key-derivation profile"));
	if (access(path, F_OK) == 0)
		return err_set(e, E_USAGE, _("%s already exists; outpost init never overwrites "
		    "a logbook"), path);
	if ((v = vault_new(path)) == NULL || (rbytes = sodium_malloc(RECOVERY_BYTES)) == NULL) {
		vault_close(v);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	v->hdr.version = FORMAT_VERSION;
	v->hdr.seq = 1;
	v->hdr.page_size = PAGE_SIZE;
	v->hdr.reserve = PAGE_RESERVE;
	randombytes_buf(v->hdr.file_id, FILE_ID_LEN);
	randombytes_buf(v->kwk, KWK_LEN);
	randombytes_buf(v->dk, DATA_KEY_LEN);
	adlen = dk_ad(&v->hdr, ad);
	key_wrap(v->kwk, v->dk, ad, adlen, v->hdr.wrapped_dk);
	randombytes_buf(rbytes, RECOVERY_BYTES);
	recovery_encode(rbytes, recovery);
	if (slot_fill(&v->hdr.slot[0], SLOT_PASSPHRASE, kdf, "passphrase 1",
	    (const uint8_t *)pass, passlen, v->kwk) != 0 ||
	    slot_fill(&v->hdr.slot[1], SLOT_RECOVERY, 0, "recovery key", rbytes,
	    RECOVERY_BYTES, v->kwk) != 0) {
		sodium_free(rbytes);
		vault_close(v);
		sodium_memzero(recovery, VAULT_RECOVERY_LEN);
		return err_set(e, E_IO, "%s", _("not enough memory for the key derivation"));
	}
	sodium_free(rbytes);
	if ((rc = write_new_file(path, &v->hdr, v->kwk, e)) != E_OK) {
		vault_close(v);
		sodium_memzero(recovery, VAULT_RECOVERY_LEN);
		return rc;
	}
	if (vfs_key_add(v->hdr.file_id, v->dk) != 0) {
		vault_close(v);
		unlink(path);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	/* Page 1 written now (WAL mode, the reserve bytes), and the header told so, while no
	 * connection is open (see vault_mark_initialised). */
	if ((rc = vault_open_db(v, &db, e)) != E_OK) {
		vault_close(v);
		unlink(path);
		sodium_memzero(recovery, VAULT_RECOVERY_LEN);
		return rc;
	}
	sqlite3_close(db);
	vault_mark_initialised(v);
	*out = v;
	return E_OK;
}

/* What the file open as fd is, without a secret: E_OK with st and h filled from its header
 * and *size its length, or an error saying what it is (or that it could not be read). */
static int
probe_fd(int fd, const char *path, struct hdr_state *st, struct hdr *h, off_t *size,
    struct err *e)
{
	struct stat sb;
	const uint8_t *a = st->image[0], *b = st->image[1];
	struct iovec iov[2];
	ssize_t n;

	if (fstat(fd, &sb) != 0)
		return err_set(e, E_IO, _("cannot read %s: %s"), path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return err_set(e, E_IO, _("%s is not a regular file"), path);
	*size = sb.st_size;
	if (sb.st_size == 0)
		return err_set(e, E_DAMAGED, _("%s is empty (0 bytes), not an outpost logbook; "
		    "restore it from a backup"), path);
	/* Both header copies in one system call. */
	iov[0].iov_base = st->image[0];
	iov[1].iov_base = st->image[1];
	iov[0].iov_len = iov[1].iov_len = HDR_COPY_SIZE;
	do
		n = preadv(fd, iov, 2, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_set(e, E_IO, _("cannot read %s: %s"), path, strerror(errno));
	if (n < HDR_COPY_SIZE) {
		memset(st->image[0] + n, 0, (size_t)(HDR_COPY_SIZE - n));
		memset(st->image[1], 0, HDR_COPY_SIZE);
	} else
		memset(st->image[1] + (n - HDR_COPY_SIZE), 0, (size_t)(HDR_SIZE - n));
	if (n >= 16 && memcmp(a, "SQLite format 3", 16) == 0)
		return err_set(e, E_DAMAGED, _("%s is a plain (unencrypted) SQLite database, not "
		    "an outpost logbook; outpost does not open unencrypted files"), path);
	/* Copy A may be torn; copy B may still be good. */
	if (memcmp(a, HDR_MAGIC, sizeof HDR_MAGIC) != 0 &&
	    memcmp(b, HDR_MAGIC, sizeof HDR_MAGIC) != 0)
		return err_set(e, E_DAMAGED, _("%s is not an outpost logbook"), path);
	if (sb.st_size < HDR_SIZE)
		return err_set(e, E_DAMAGED, _("damaged: %s is truncated (%lld bytes, shorter "
		    "than its header); restore it from a backup"), path, (long long)sb.st_size);
	if (hdr_parse(st, h) != 0)
		return err_set(e, E_DAMAGED, _("damaged: both header copies of %s fail their "
		    "checksum; restore it from a backup"), path);
	if ((sb.st_size - HDR_SIZE) % PAGE_SIZE != 0)
		return err_set(e, E_DAMAGED, _("damaged: page %lld of %s is cut short (the file "
		    "was truncated); restore it from a backup"),
		    (long long)((sb.st_size - HDR_SIZE) / PAGE_SIZE + 1), path);
	return E_OK;
}

/* Opens path for reading, saying why not as a person would want it said. */
static int
open_logbook(const char *path, int *fd, struct err *e)
{
	if ((*fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0)
		return E_OK;
	if (errno == ENOENT)
		return err_set(e, E_IO, _("there is no logbook at %s (create one with "
		    "'outpost init', or give --db PATH)"), path);
	return err_set(e, E_IO, _("cannot open %s: %s"), path, strerror(errno));
}

int
vault_probe(const char *path, struct err *e)
{
	struct hdr_state *st;
	struct hdr h;
	off_t size;
	int fd, rc;

	if ((rc = open_logbook(path, &fd, e)) != E_OK)
		return rc;
	if ((st = malloc(sizeof *st)) == NULL)
		rc = err_set(e, E_IO, "%s", _("out of memory"));
	else
		rc = probe_fd(fd, path, st, &h, &size, e);
	free(st);
	close(fd);
	return rc;
}

static int header_update(struct vault *v, int (*change)(struct vault *, struct hdr *, void *),
    void *arg, struct err *e);

/* Whether a -wal with frames or a -journal lies beside path: it may hold pages the main
 * file lacks for now, so the main file's length proves nothing. */
static int
companion_busy(const char *path)
{
	static const char *const suffix[] = { "-wal", "-journal" };
	static const off_t empty[] = { 32, 0 };	/* a WAL header alone holds no page */
	struct stat sb;
	char *name;
	size_t i;
	int busy = 0;

	if ((name = malloc(strlen(path) + 16)) == NULL)
		return 1;
	for (i = 0; i < 2 && !busy; i++) {
		sprintf(name, "%s%s", path, suffix[i]);
		busy = stat(name, &sb) == 0 && sb.st_size > empty[i];
	}
	free(name);
	return busy;
}

/* Raw readers of the main file: a descriptor of our own (while no connection is open), or
 * the one SQLite holds for an open connection (VFS_FCNTL_RAW_READ), whose locks a second
 * descriptor's close would drop. Each returns the bytes read, or -1 with errno. */
typedef ssize_t (*raw_reader)(void *arg, void *buf, size_t n, off_t off);

static ssize_t
fd_reader(void *arg, void *buf, size_t n, off_t off)
{
	return pread(*(int *)arg, buf, n, off);
}

static ssize_t
db_reader(void *arg, void *buf, size_t n, off_t off)
{
	struct vfs_raw_read r = { buf, (int)n, 0, off, 0 };

	if (sqlite3_file_control(arg, "main", VFS_FCNTL_RAW_READ, &r) != SQLITE_OK) {
		errno = EIO;
		return -1;
	}
	return r.got;
}

/* E_DAMAGED "truncated: …" if the main file (size bytes, read by rd) holds fewer pages
 * than it must: none at all once it was initialised, or fewer than its page 1 counts.
 * Only a quiet file can be judged: a checkpoint writes page 1 before the pages it counts
 * and grows the file last. So the WAL and journal are looked at after the reads: one with
 * frames may have changed the main file under them (the verdict is then "not truncated").
 * Exact only while the caller holds a connection open (then no other process can delete a
 * WAL, and the main file changes only through one): see vault_truncated_locked. */
static int
vault_truncated(struct vault *v, raw_reader rd, void *arg, off_t size, struct err *e)
{
	off_t npages = (size - HDR_SIZE) / PAGE_SIZE;
	uint8_t *plain = v->scratch + PAGE_CIPHER_SECRET;
	struct page_cipher pc;
	uint32_t count = 0;
	int opened;

	assert(size >= HDR_SIZE);
	if (npages == 0) {
		if (!(v->hdr.flags & HDR_F_INITIALISED) || companion_busy(v->path))
			return E_OK;
		return err_set(e, E_DAMAGED, _("truncated: the records are missing (%s holds "
		    "its header but none of its pages); restore it from a backup"), v->path);
	}
	errno = 0;
	if (rd(arg, plain, PAGE_SIZE, HDR_SIZE) != PAGE_SIZE) {
		int why = errno;	/* before companion_busy's stat() */

		return companion_busy(v->path) ? E_OK : err_set(e, E_IO,
		    _("cannot read %s: %s"), v->path, why ? strerror(why) : _("short read"));
	}
	if (page_cipher_init(&pc, v->scratch, v->dk) != 0)
		return err_set(e, E_IO, "%s", _("out of memory"));
	/* A page 1 that fails is damage, reported when SQLite reads it. Its page count (bytes
	 * 28-31) holds only while bytes 92-95 match the change counter (24-27). */
	opened = page_open(&pc, v->hdr.file_id, 1, plain, plain, PAGE_SIZE) == 0;
	if (opened && memcmp(plain + 24, plain + 92, 4) == 0)
		count = (uint32_t)plain[28] << 24 | (uint32_t)plain[29] << 16 |
		    (uint32_t)plain[30] << 8 | plain[31];
	page_cipher_free(&pc);
	sodium_memzero(plain, PAGE_SIZE);
	if (count > npages && !companion_busy(v->path))
		return err_set(e, E_DAMAGED, _("truncated: the records are missing (%s holds "
		    "%lld of its %u pages); restore it from a backup"), v->path,
		    (long long)npages, count);
	return E_OK;
}

/* vault_truncated again, under a connection of SQLite's holding a read transaction, for a
 * file the unlock found short: the unlock measured the length without SQLite's locks, and
 * another process's last close (checkpoint, then the WAL removed) may have grown the file
 * since. While this connection is open no WAL can be removed, so looking at the WAL after
 * the reads is exact. If SQLite cannot even begin the read, the unlock's verdict stands.
 * The data key must be registered with the VFS. */
static int
vault_truncated_locked(struct vault *v, struct err *first, struct err *e)
{
	struct vfs_raw_read sz = { NULL, 0, 0, 0, 0 };
	sqlite3 *db = NULL;
	int rc;

	if ((rc = sqlite3_open_v2(v->path, &db, SQLITE_OPEN_READWRITE, VFS_NAME)) == SQLITE_OK) {
		sqlite3_extended_result_codes(db, 1);
		/* the last close of another process holds the file while it checkpoints */
		sqlite3_busy_timeout(db, 5000);
		/* No pragma here may write: a truncated file is left exactly as it is. */
		rc = sqlite3_exec(db, "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=0; BEGIN; "
		    "PRAGMA schema_version;", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK &&
	    sqlite3_file_control(db, "main", VFS_FCNTL_RAW_READ, &sz) != SQLITE_OK)
		rc = SQLITE_IOERR;
	if (rc != SQLITE_OK) {
		/* SQLite found the file short or damaged itself: the unlock's words say more */
		if (db == NULL || (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB ||
		    rc == SQLITE_IOERR_DATA || rc == SQLITE_IOERR_SHORT_READ) {
			*e = *first;
			rc = e->code;
		} else
			rc = vault_sqlite_err(db, sqlite3_extended_errcode(db), e);
		sqlite3_close(db);
		return rc;
	}
	rc = vault_truncated(v, db_reader, db, (off_t)sz.size, e);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static int
change_initialised(struct vault *v, struct hdr *h, void *arg)
{
	(void)v;
	(void)arg;
	h->flags |= HDR_F_INITIALISED;
	return E_OK;
}

/* Once page 1 has reached the main file, the header says so (for files made before the
 * flag, too). Best effort: a read-only file stays as it is and is only checked less.
 * Called only while this vault has no connection open: header_update opens and closes a
 * descriptor of the file, and closing one drops every POSIX lock the process holds on it,
 * SQLite's included (another process could then checkpoint and delete a live WAL). */
static void
vault_mark_initialised(struct vault *v)
{
	struct stat sb;
	struct err ignored;

	if (stat(v->path, &sb) == 0 && sb.st_size >= HDR_SIZE + PAGE_SIZE)
		(void)header_update(v, change_initialised, NULL, &ignored);
}

int
vault_unlock(const char *path, const char *secret, size_t len, int kind,
    struct vault **out, struct err *e)
{
	struct hdr_state *st = NULL;
	struct vault *v = NULL;
	off_t size;
	struct err first = {0};
	uint8_t *rbytes, *key, ad[32];
	size_t adlen;
	int fd = -1, rc, slot, g, short_file;

	*out = NULL;
	if (sodium_init() < 0 || vfs_register() != SQLITE_OK)
		return err_set(e, E_IO, "%s", _("the encryption library could not start"));
	if ((rc = open_logbook(path, &fd, e)) != E_OK)
		return rc;
	if ((v = vault_new(path)) == NULL || (st = malloc(sizeof *st)) == NULL) {
		rc = err_set(e, E_IO, "%s", _("out of memory"));
		goto out;
	}
	if ((rc = probe_fd(fd, path, st, &v->hdr, &size, e)) != E_OK)
		goto out;
	/* The recovery bytes and each slot's key in the vault's own scratch (wiped below). */
	rbytes = v->scratch;
	key = v->scratch + 32;
	if (kind == VAULT_RECOVERY) {
		g = recovery_decode(secret, len, rbytes);
		if (g < 0) {
			rc = err_set(e, E_LOCKED, "%s", _("that is not a recovery key: it is 8 "
			    "groups of 5 letters and digits, like ABCDE-FGHJK-…"));
			goto out;
		}
		if (g > 0) {
			rc = err_set(e, E_LOCKED, _("group %d of the recovery key has a typo; "
			    "check it against the paper"), g);
			goto out;
		}
		slot = slot_try(&v->hdr, SLOT_RECOVERY, rbytes, RECOVERY_BYTES, v->kwk, key);
	} else
		slot = slot_try(&v->hdr, SLOT_PASSPHRASE, (const uint8_t *)secret, len, v->kwk,
		    key);
	sodium_memzero(rbytes, RECOVERY_BYTES);
	if (slot < 0) {
		rc = err_set(e, E_LOCKED, "%s", kind == VAULT_RECOVERY ?
		    _("wrong recovery key: it does not open this logbook") :
		    _("wrong passphrase: the logbook was not opened (nothing was changed)"));
		goto out;
	}
	if (hdr_verify(st, v->kwk, &v->other_copy_bad) != 0) {
		rc = err_set(e, E_DAMAGED, _("damaged: the header of %s failed authentication"),
		    path);
		goto out;
	}
	adlen = dk_ad(&v->hdr, ad);
	if (key_unwrap(v->kwk, v->hdr.wrapped_dk, ad, adlen, v->dk) != 0) {
		rc = err_set(e, E_DAMAGED, _("damaged: the data key of %s failed "
		    "authentication"), path);
		goto out;
	}
	short_file = vault_truncated(v, fd_reader, &fd, size, &first) != E_OK;
	if (short_file && first.code != E_DAMAGED) {
		*e = first;
		rc = first.code;
		goto out;
	}
	if (vfs_key_add(v->hdr.file_id, v->dk) != 0) {
		rc = err_set(e, E_IO, "%s", _("out of memory"));
		goto out;
	}
	/* Our descriptor goes before SQLite opens one: closing it would drop SQLite's locks. */
	close(fd);
	fd = -1;
	if (short_file && (rc = vault_truncated_locked(v, &first, e)) != E_OK) {
		vault_close(v);
		v = NULL;
		goto out;
	}
	if (!(v->hdr.flags & HDR_F_INITIALISED) && size >= HDR_SIZE + PAGE_SIZE)
		vault_mark_initialised(v);
	*out = v;
	v = NULL;
	rc = E_OK;
out:
	if (fd >= 0)
		close(fd);
	free(st);
	if (v != NULL) {
		/* Not registered: wipe without touching the keyring of a live vault. */
		sodium_memzero(v->hdr.file_id, FILE_ID_LEN);
		vault_close(v);
	}
	return rc;
}

int
vault_sqlite_err(sqlite3 *db, int rc, struct err *e)
{
	uint32_t pgno = 0;
	int base = rc & 0xff;

	if (rc == SQLITE_IOERR_DATA || base == SQLITE_CORRUPT || base == SQLITE_NOTADB) {
		if (sqlite3_file_control(db, "main", VFS_FCNTL_DAMAGE, &pgno) != SQLITE_OK ||
		    pgno == 0)
			pgno = vfs_last_damage();
		if (pgno != 0)
			return err_set(e, E_DAMAGED, _("damaged: page %u failed authentication; "
			    "restore the logbook from a backup"), pgno);
		return err_set(e, E_DAMAGED, _("damaged: %s"), sqlite3_errmsg(db));
	}
	if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
		return err_set(e, E_IO, "%s", _("the logbook is busy in another program; try "
		    "again"));
	if (base == SQLITE_FULL)
		return err_set(e, E_IO, "%s", _("the disk is full; nothing was saved"));
	return err_set(e, E_IO, _("storage error: %s"), sqlite3_errmsg(db));
}

int
vault_open_db(struct vault *v, sqlite3 **db, struct err *e)
{
	return vault_open_db_with(v, 0, db, e);
}

int
vault_open_db_with(struct vault *v, int opts, sqlite3 **db, struct err *e)
{
	int rc, code, reserve = PAGE_RESERVE;

	*db = NULL;
	rc = sqlite3_open_v2(v->path, db, SQLITE_OPEN_READWRITE |
	    ((opts & VAULT_DB_CALLER_LOCKS) ? SQLITE_OPEN_NOMUTEX : 0), VFS_NAME);
	if (rc != SQLITE_OK && *db != NULL)
		rc = sqlite3_extended_errcode(*db);
	if (rc != SQLITE_OK) {
		if (*db != NULL && (rc & 0xff) == SQLITE_IOERR && rc != SQLITE_IOERR_DATA)
			code = err_set(e, E_IO, _("cannot open %s: %s"), v->path,
			    sqlite3_errmsg(*db));
		else if (*db != NULL)
			code = vault_sqlite_err(*db, rc, e);
		else
			code = err_set(e, E_IO, "%s", _("out of memory"));
		sqlite3_close(*db);
		*db = NULL;
		return code;
	}
	sqlite3_extended_result_codes(*db, 1);
	sqlite3_busy_timeout(*db, 5000);
	/* Before the first write: room for the nonce and tag in every page. */
	sqlite3_file_control(*db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
	rc = sqlite3_exec(*db, "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=0; "
	    "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
	    "SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		code = vault_sqlite_err(*db, sqlite3_extended_errcode(*db), e);
		sqlite3_close(*db);
		*db = NULL;
		return code;
	}
	return E_OK;
}

/* Serialises header rewrites between processes with an OFD lock on the first byte
 * (SQLite's own locks sit at 1 GiB and do not overlap). */
static int
header_lock(int fd, int type)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = (short)type;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 1;
	return fcntl(fd, F_OFD_SETLKW, &fl);
}

/* Re-reads the header under the lock, lets change() edit it, and writes it back. */
static int
header_update(struct vault *v, int (*change)(struct vault *, struct hdr *, void *),
    void *arg, struct err *e)
{
	struct hdr_state *st;
	struct hdr h;
	int fd, rc;

	if ((fd = open(v->path, O_RDWR | O_CLOEXEC)) < 0)
		return err_set(e, E_IO, _("cannot open %s: %s"), v->path, strerror(errno));
	if ((st = malloc(sizeof *st)) == NULL) {
		close(fd);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	header_lock(fd, F_WRLCK);
	if ((rc = hdr_read(fd, &h, st)) == HDR_IOERR) {
		rc = err_set(e, E_IO, _("cannot read %s: %s"), v->path, strerror(errno));
		goto out;
	}
	if (rc != 0 || hdr_verify(st, v->kwk, NULL) != 0 ||
	    memcmp(h.file_id, v->hdr.file_id, FILE_ID_LEN) != 0) {
		rc = err_set(e, E_DAMAGED, _("damaged: the header of %s changed or failed "
		    "authentication"), v->path);
		goto out;
	}
	if ((rc = change(v, &h, arg)) != E_OK)
		goto out;
	if (hdr_write(fd, &h, v->kwk) != 0) {
		rc = err_set(e, E_IO, _("cannot write the header of %s: %s"), v->path,
		    strerror(errno));
		goto out;
	}
	v->hdr = h;
	v->other_copy_bad = 0;
	rc = E_OK;
out:
	header_lock(fd, F_UNLCK);
	free(st);
	close(fd);
	return rc;
}

struct slot_change {
	const char *pass;
	size_t passlen;
	const char *label;
	int kdf;
	struct err *e;
};

static int
change_add(struct vault *v, struct hdr *h, void *arg)
{
	struct slot_change *c = arg;
	char label[HDR_LABEL + 1];
	uint8_t *scratch;
	int i, n = 0, dup;

	for (i = 0; i < HDR_SLOTS; i++)
		n += h->slot[i].kind == SLOT_PASSPHRASE;
	for (i = 0; i < HDR_SLOTS && h->slot[i].kind != SLOT_EMPTY; i++)
		;
	if (i == HDR_SLOTS)
		return err_set(c->e, E_INVALID, _("all %d key slots are in use; remove a "
		    "passphrase first"), HDR_SLOTS);
	if ((scratch = sodium_malloc(KWK_LEN)) == NULL)
		return err_set(c->e, E_IO, "%s", _("out of memory"));
	dup = slot_try(h, SLOT_PASSPHRASE, (const uint8_t *)c->pass, c->passlen, scratch, NULL);
	sodium_free(scratch);
	if (dup >= 0)
		return err_set(c->e, E_INVALID, "%s", _("that passphrase already opens this "
		    "logbook"));
	snprintf(label, sizeof label, "passphrase %d", n + 1);
	if (slot_fill(&h->slot[i], SLOT_PASSPHRASE, c->kdf, c->label ? c->label : label,
	    (const uint8_t *)c->pass, c->passlen, v->kwk) != 0)
		return err_set(c->e, E_IO, "%s", _("not enough memory for the key derivation"));
	return E_OK;
}

int
vault_slot_add(struct vault *v, const char *pass, size_t passlen, const char *label, int kdf,
    struct err *e)
{
	struct slot_change c = { pass, passlen, label, kdf, e };

	if (kdf < 0 || (size_t)kdf >= sizeof profiles / sizeof profiles[0])
		return err_set(e, E_USAGE, "%s", _("unknown key-derivation profile"));
	return header_update(v, change_add, &c, e);
}

static int
change_remove(struct vault *v, struct hdr *h, void *arg)
{
	struct slot_change *c = arg;
	uint8_t *scratch;
	int i, n = 0, slot;

	(void)v;
	for (i = 0; i < HDR_SLOTS; i++)
		n += h->slot[i].kind == SLOT_PASSPHRASE;
	if ((scratch = sodium_malloc(KWK_LEN)) == NULL)
		return err_set(c->e, E_IO, "%s", _("out of memory"));
	slot = slot_try(h, SLOT_PASSPHRASE, (const uint8_t *)c->pass, c->passlen, scratch, NULL);
	sodium_free(scratch);
	if (slot < 0)
		return err_set(c->e, E_LOCKED, "%s", _("no slot has that passphrase; nothing was "
		    "removed"));
	if (n <= 1)
		return err_set(c->e, E_INVALID, "%s", _("that is the only passphrase left; add "
		    "another before removing it"));
	memset(&h->slot[slot], 0, sizeof h->slot[slot]);
	return E_OK;
}

int
vault_slot_remove(struct vault *v, const char *pass, size_t passlen, struct err *e)
{
	struct slot_change c = { pass, passlen, NULL, 0, e };

	return header_update(v, change_remove, &c, e);
}

int
vault_slot_list(struct vault *v, struct vault_slot_info *slots, int max, struct err *e)
{
	int i, n = 0;

	(void)e;
	for (i = 0; i < HDR_SLOTS; i++) {
		if (v->hdr.slot[i].kind == SLOT_EMPTY)
			continue;
		if (n < max) {
			slots[n].index = i;
			slots[n].kind = v->hdr.slot[i].kind == SLOT_RECOVERY ? VAULT_RECOVERY :
			    VAULT_PASSPHRASE;
			snprintf(slots[n].label, sizeof slots[n].label, "%s",
			    v->hdr.slot[i].label);
			snprintf(slots[n].kdf, sizeof slots[n].kdf, "%s",
			    v->hdr.slot[i].kind == SLOT_RECOVERY ? "blake2b" :
			    vault_kdf_name(v->hdr.slot[i].kdf));
		}
		n++;
	}
	return n;
}

int
vault_check(struct vault *v, struct err *e)
{
	struct hdr_state *st = NULL;
	struct hdr h;
	struct vfs_raw_read sz = { NULL, 0, 0, 0, 0 };
	struct page_cipher pc = { 0 };
	uint8_t *raw = NULL, *plain = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	off_t npages, i, size;
	int rc = E_OK, other_bad = 0, k;

	if ((rc = vault_open_db(v, &db, e)) != E_OK)
		return rc;
	/* A read transaction keeps a checkpoint from rewriting pages under the walk. */
	if ((rc = sqlite3_exec(db, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL,
	    NULL)) != SQLITE_OK) {
		rc = vault_sqlite_err(db, rc, e);
		goto out;
	}
	/* The walk reads through SQLite's own descriptor: a second one, closed while this or
	 * any other connection of the process has the file open, would drop their locks. */
	if (sqlite3_file_control(db, "main", VFS_FCNTL_RAW_READ, &sz) != SQLITE_OK) {
		rc = err_set(e, E_IO, _("cannot read %s: %s"), v->path, strerror(EIO));
		goto out;
	}
	size = (off_t)sz.size;
	st = malloc(sizeof *st);
	raw = malloc(PAGE_SIZE);
	plain = sodium_malloc(PAGE_SIZE + PAGE_CIPHER_SECRET);
	if (st == NULL || raw == NULL || plain == NULL ||
	    page_cipher_init(&pc, plain + PAGE_SIZE, v->dk) != 0) {
		rc = err_set(e, E_IO, "%s", _("out of memory"));
		goto out;
	}
	for (k = 0; k < 2; k++) {
		errno = 0;
		if (db_reader(db, st->image[k], HDR_COPY_SIZE, (off_t)k * HDR_COPY_SIZE) !=
		    HDR_COPY_SIZE) {
			rc = err_set(e, E_IO, _("cannot read %s: %s"), v->path,
			    errno ? strerror(errno) : _("short read"));
			goto out;
		}
	}
	rc = hdr_parse(st, &h);
	if (rc != 0 || hdr_verify(st, v->kwk, &other_bad) != 0) {
		rc = err_set(e, E_DAMAGED, "%s", _("damaged: the header failed authentication"));
		goto out;
	}
	if (!st->valid[0] || !st->valid[1] || other_bad) {
		rc = err_set(e, E_DAMAGED, _("damaged: header copy %c failed its check (the "
		    "other copy is good; the next passphrase change rewrites both)"),
		    st->valid[0] && !(other_bad && st->which == 1) ? 'B' : 'A');
		goto out;
	}
	if ((size - HDR_SIZE) % PAGE_SIZE != 0) {
		rc = err_set(e, E_DAMAGED, _("damaged: page %lld is cut short"),
		    (long long)((size - HDR_SIZE) / PAGE_SIZE + 1));
		goto out;
	}
	if ((rc = vault_truncated(v, db_reader, db, size, e)) != E_OK)
		goto out;
	npages = (size - HDR_SIZE) / PAGE_SIZE;
	for (i = 0; i < npages; i++) {
		if (db_reader(db, raw, PAGE_SIZE, HDR_SIZE + i * PAGE_SIZE) != PAGE_SIZE) {
			rc = err_set(e, E_IO, _("cannot read page %lld"), (long long)i + 1);
			goto out;
		}
		if (page_open(&pc, v->hdr.file_id, (uint32_t)i + 1, raw, plain,
		    PAGE_SIZE) != 0) {
			rc = err_set(e, E_DAMAGED, _("damaged: page %lld failed authentication"),
			    (long long)i + 1);
			goto out;
		}
	}
	if ((rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
		rc = vault_sqlite_err(db, rc, e);
		goto out;
	}
	rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		rc = vault_sqlite_err(db, rc, e);
		goto out;
	}
	if (strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") != 0) {
		rc = err_set(e, E_DAMAGED, _("damaged: %s"), sqlite3_column_text(stmt, 0));
		goto out;
	}
	rc = E_OK;
out:
	sqlite3_finalize(stmt);
	page_cipher_free(&pc);
	free(st);
	free(raw);
	if (plain != NULL)
		sodium_free(plain);
	sqlite3_close(db);
	return rc;
}

/* Writes the open database db into a new file at dest under a fresh file id and data key
 * wrapped by the same key-wrapping key (so every slot opens it), and fsyncs it. On success
 * *new_hdr and new_dk describe it. */
static int
copy_to_new_file(struct vault *v, sqlite3 *db, const char *dest, struct hdr *new_hdr,
    uint8_t *new_dk, struct err *e)
{
	sqlite3_stmt *stmt = NULL;
	uint8_t ad[32];
	size_t adlen;
	int rc, fd;

	*new_hdr = v->hdr;
	new_hdr->seq = 1;
	randombytes_buf(new_hdr->file_id, FILE_ID_LEN);
	randombytes_buf(new_dk, DATA_KEY_LEN);
	adlen = dk_ad(new_hdr, ad);
	key_wrap(v->kwk, new_dk, ad, adlen, new_hdr->wrapped_dk);
	if ((rc = write_new_file(dest, new_hdr, v->kwk, e)) != E_OK)
		return rc;
	if (vfs_key_add(new_hdr->file_id, new_dk) != 0) {
		unlink(dest);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	rc = sqlite3_prepare_v2(db, "VACUUM INTO ?", -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, dest, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
	}
	if (rc != SQLITE_DONE) {
		rc = vault_sqlite_err(db, sqlite3_extended_errcode(db), e);
		sqlite3_finalize(stmt);
		vfs_key_remove(new_hdr->file_id, new_dk);
		unlink(dest);
		return rc;
	}
	sqlite3_finalize(stmt);
	if ((fd = open(dest, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) != 0) {
		if (fd >= 0)
			close(fd);
		vfs_key_remove(new_hdr->file_id, new_dk);
		unlink(dest);
		return err_set(e, E_IO, _("cannot sync %s: %s"), dest, strerror(errno));
	}
	close(fd);
	fsync_dir_of(dest);
	return E_OK;
}

int
vault_backup(struct vault *v, sqlite3 *db, const char *dest, struct err *e)
{
	struct hdr h;
	uint8_t *dk;
	int rc;

	if (access(dest, F_OK) == 0)
		return err_set(e, E_USAGE, _("%s already exists; give a new file name"), dest);
	if ((dk = sodium_malloc(DATA_KEY_LEN)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	rc = copy_to_new_file(v, db, dest, &h, dk, e);
	if (rc == E_OK)
		vfs_key_remove(h.file_id, dk);
	sodium_free(dk);
	return rc;
}

int
vault_rekey(struct vault *v, struct err *e)
{
	struct hdr h;
	sqlite3 *db = NULL;
	char *tmp;
	uint8_t *dk;
	int rc;

	if ((tmp = malloc(strlen(v->path) + 16)) == NULL ||
	    (dk = sodium_malloc(DATA_KEY_LEN)) == NULL) {
		free(tmp);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	sprintf(tmp, "%s.rekey", v->path);
	unlink(tmp);	/* a leftover of an interrupted rekey holds nothing we need */
	if ((rc = vault_open_db(v, &db, e)) != E_OK)
		goto out;
	rc = sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = vault_sqlite_err(db, rc, e);
		goto out;
	}
	if ((rc = copy_to_new_file(v, db, tmp, &h, dk, e)) != E_OK)
		goto out;
	sqlite3_close(db);
	db = NULL;
	if (rename(tmp, v->path) != 0) {
		vfs_key_remove(h.file_id, dk);
		unlink(tmp);
		rc = err_set(e, E_IO, _("cannot replace %s: %s"), v->path, strerror(errno));
		goto out;
	}
	fsync_dir_of(v->path);
	vfs_key_remove(v->hdr.file_id, v->dk);
	v->hdr = h;
	memcpy(v->dk, dk, DATA_KEY_LEN);
	/* The keyring holds pointers: to v's copy now, and none to dk, which is freed. */
	rc = vfs_key_add(h.file_id, v->dk) != 0 ?
	    err_set(e, E_IO, "%s", _("out of memory")) : E_OK;
	vfs_key_remove(h.file_id, dk);
out:
	sqlite3_close(db);
	sodium_free(dk);
	free(tmp);
	return rc;
}
