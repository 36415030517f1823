/* vfs.c — the sealing VFS (see vfs.h). Layout facts it relies on, from SQLite's pager.c
 * and wal.c: main-file pages are written whole; a journal record is a 4-byte page number,
 * the page, a 4-byte checksum, written in three calls, and journal headers sit on sector
 * boundaries; a WAL frame is a 24-byte header (page number first) then the page, written in
 * two calls after a 32-byte WAL header. Page numbers are read from disk, never guessed. */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/header.h"
#include "crypto/page.h"
#include "crypto/vfs.h"

enum role { ROLE_MAIN, ROLE_JOURNAL, ROLE_WAL, ROLE_PLAIN };

#define WAL_HDR 32
#define WAL_FRAME_HDR 24
#define JOURNAL_MAGIC "\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"

/* What the sealing relies on. Pages of at least 1024 bytes (with POWERSAFE_OVERWRITE, SQLite
 * never splits such a write, so a page-sized write is one whole page image) and a power of
 * two that page 1's two size bytes can say; the nonce and tag fit the reserve, which page
 * 1's one reserve byte (offset 20) can say; the hidden header is whole sectors, so page N
 * lies at HDR_SIZE + (N - 1) * PAGE_SIZE and journal headers keep their sector alignment. */
_Static_assert(PAGE_SIZE >= 1024 && PAGE_SIZE <= 65536, "page size SQLite and the seal take");
_Static_assert((PAGE_SIZE & (PAGE_SIZE - 1)) == 0, "page size a power of two");
_Static_assert(PAGE_RESERVE == PAGE_NONCE + PAGE_TAG && PAGE_RESERVE <= 255,
    "nonce and tag in the reserve bytes, a count page 1 can hold");
_Static_assert(PAGE_RESERVE < PAGE_SIZE / 8, "the reserve leaves SQLite a usable page");
_Static_assert(HDR_SIZE == 2 * HDR_COPY_SIZE && HDR_SIZE % 512 == 0,
    "two header copies, whole sectors");

struct vfile {
	sqlite3_file base;
	sqlite3_file *real;	/* the default VFS's file, allocated right after us */
	enum role role;
	uint8_t file_id[FILE_ID_LEN];
	uint8_t *key;		/* the data key: the start of the sodium_malloc region */
	uint8_t *buf;		/* one page of scratch for ciphertext (in that region) */
	uint8_t *plain;		/* one page of scratch for plaintext (in that region) */
	uint8_t *frame;		/* a WAL frame header and page, read at once */
	uint32_t damaged;	/* last page that failed authentication */
	struct page_cipher own;	/* a main file's; its keys in the region, from key on */
	struct page_cipher *pc;	/* own, or the main file's for a journal or WAL */
	int borrowed;		/* key, buffers and pc are the main file's */
	/* The page number SQLite wrote (or read) just before a page image: the 4 bytes of a
	 * journal record or the header of a WAL frame, and where. Saves a read-back. */
	sqlite3_int64 pgno_off;
	uint32_t pgno;
	/* A WAL's main file. A main file between SQLite's checkpoint-start and -done file
	 * controls, and the sealed frame its WAL last handed over: the page number and the
	 * nonce and tag, which the copy written back must carry. */
	struct vfile *db;
	int checkpointing, copy_ready;
	uint32_t copy_pgno;
	uint8_t copy_seal[PAGE_RESERVE];
};

struct keyring_entry {
	uint8_t file_id[FILE_ID_LEN];
	const uint8_t *key;	/* the caller's sodium_malloc memory (vfs_key_add) */
	struct keyring_entry *next;
};

static pthread_mutex_t keyring_lock = PTHREAD_MUTEX_INITIALIZER;
static struct keyring_entry *keyring;
static sqlite3_vfs *base_vfs;
static struct vfs_stats stats;
static _Thread_local uint32_t last_damaged;

uint32_t
vfs_last_damage(void)
{
	return last_damaged;
}

#define REAL(f) ((f)->real->pMethods)

int
vfs_key_add(const uint8_t *file_id, const uint8_t *key)
{
	struct keyring_entry *k;

	pthread_mutex_lock(&keyring_lock);
	for (k = keyring; k != NULL; k = k->next)
		if (k->key == key && memcmp(k->file_id, file_id, FILE_ID_LEN) == 0)
			break;
	if (k == NULL) {
		if ((k = calloc(1, sizeof *k)) == NULL) {
			pthread_mutex_unlock(&keyring_lock);
			return -1;
		}
		memcpy(k->file_id, file_id, FILE_ID_LEN);
		k->key = key;
		k->next = keyring;
		keyring = k;
	}
	pthread_mutex_unlock(&keyring_lock);
	return 0;
}

void
vfs_key_remove(const uint8_t *file_id, const uint8_t *key)
{
	struct keyring_entry **pp, *k;

	pthread_mutex_lock(&keyring_lock);
	for (pp = &keyring; (k = *pp) != NULL; pp = &k->next) {
		if (k->key == key && memcmp(k->file_id, file_id, FILE_ID_LEN) == 0) {
			*pp = k->next;
			free(k);
			break;
		}
	}
	pthread_mutex_unlock(&keyring_lock);
}

static int
keyring_copy(const uint8_t *file_id, uint8_t *out)
{
	struct keyring_entry *k;
	int found = 0;

	pthread_mutex_lock(&keyring_lock);
	for (k = keyring; k != NULL; k = k->next) {
		if (memcmp(k->file_id, file_id, FILE_ID_LEN) == 0) {
			memcpy(out, k->key, DATA_KEY_LEN);
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(&keyring_lock);
	return found ? 0 : -1;
}

void
vfs_stats(struct vfs_stats *s)
{
	*s = stats;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads raw bytes; returns the count read (short reads are zero-filled by SQLite's unix
 * VFS and reported as SQLITE_IOERR_SHORT_READ, which we turn into a count). */
static int
raw_read(struct vfile *f, void *buf, int amt, sqlite3_int64 off, int *got)
{
	sqlite3_int64 size;
	int rc;

	rc = REAL(f)->xRead(f->real, buf, amt, off);
	if (rc == SQLITE_OK) {
		*got = amt;
		return SQLITE_OK;
	}
	/* A failed read (the unix VFS says IOERR_CORRUPTFS for EIO, which SQLite's b-tree
	 * then reports as a malformed database) is an I/O error, not damage. */
	if (rc != SQLITE_IOERR_SHORT_READ)
		return SQLITE_IOERR_READ;
	if (REAL(f)->xFileSize(f->real, &size) != SQLITE_OK)
		return SQLITE_IOERR_READ;
	*got = size > off ? (int)(size - off) : 0;
	if (*got > amt)
		*got = amt;
	return SQLITE_OK;
}

static int
is_zero(const uint8_t *p, size_t n)
{
	size_t i;
	uint8_t acc = 0;

	for (i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* ---- main database file: header hidden, every page sealed ---- */

static int
main_read_page(struct vfile *f, uint32_t pgno, uint8_t *out, int *present)
{
	int got, rc;

	assert(f->role == ROLE_MAIN && pgno >= 1 && f->pc != NULL);
	rc = raw_read(f, f->buf, PAGE_SIZE, HDR_SIZE + (sqlite3_int64)(pgno - 1) * PAGE_SIZE,
	    &got);
	assert(rc != SQLITE_OK || (got >= 0 && got <= PAGE_SIZE));
	if (rc != SQLITE_OK)
		return rc;
	if (got == 0) {
		*present = 0;
		memset(out, 0, PAGE_SIZE);
		return SQLITE_OK;
	}
	*present = 1;
	if (got < PAGE_SIZE || page_open(f->pc, f->file_id, pgno, f->buf, out, PAGE_SIZE)) {
		f->damaged = last_damaged = pgno;
		return SQLITE_IOERR_DATA;
	}
	stats.opened++;
	return SQLITE_OK;
}

static int
main_read(struct vfile *f, void *buf, int amt, sqlite3_int64 off)
{
	uint8_t *page, *dst = buf;
	sqlite3_int64 pos = off, end = off + amt;
	uint32_t pgno;
	int present, rc, short_read = 0, n, in;

	assert(amt > 0 && off >= 0);	/* SQLite's offsets: page 1 at 0, the header hidden */
	if (amt == PAGE_SIZE && off % PAGE_SIZE == 0) {
		rc = main_read_page(f, (uint32_t)(off / PAGE_SIZE) + 1, buf, &present);
		if (rc == SQLITE_OK && !present)
			return SQLITE_IOERR_SHORT_READ;
		return rc;
	}
	/* A slice (page 1's header on open, its change counter on every lock). */
	page = f->plain;
	while (pos < end) {
		pgno = (uint32_t)(pos / PAGE_SIZE) + 1;
		in = (int)(pos % PAGE_SIZE);
		n = PAGE_SIZE - in;
		if (n > end - pos)
			n = (int)(end - pos);
		assert(n > 0 && in + n <= PAGE_SIZE);	/* a slice never crosses a page */
		rc = main_read_page(f, pgno, page, &present);
		if (rc != SQLITE_OK)
			return rc;
		if (!present)
			short_read = 1;
		memcpy(dst + (pos - off), page + in, (size_t)n);
		pos += n;
	}
	sodium_memzero(page, PAGE_SIZE);
	return short_read ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
}

/* A checkpoint copies frames from the WAL to the main file, and a page is sealed the same
 * way in both (the associated data is the file id and the page number), so the WAL hands
 * the sealed frame over as it is (wal_copy_read) and it is written back unopened: a
 * checkpoint costs no cipher work. The page is authenticated when it is next read. Only
 * the very frame the WAL handed over, for the same page, is written; anything else during
 * a checkpoint is refused, so nothing unsealed can reach the file this way. */
static int
main_copy(struct vfile *f, const uint8_t *p, uint32_t pgno, sqlite3_int64 off)
{
	assert(f->checkpointing && pgno >= 1 && off == (sqlite3_int64)(pgno - 1) * PAGE_SIZE);
	if (!f->copy_ready || pgno != f->copy_pgno ||
	    memcmp(p + PAGE_SIZE - PAGE_RESERVE, f->copy_seal, PAGE_RESERVE) != 0) {
		stats.refused++;
		return SQLITE_IOERR_WRITE;
	}
	f->copy_ready = 0;
	stats.copied++;
	return REAL(f)->xWrite(f->real, p, PAGE_SIZE, HDR_SIZE + off);
}

static int
main_write(struct vfile *f, const void *buf, int amt, sqlite3_int64 off)
{
	const uint8_t *p = buf;
	uint32_t pgno, psize;

	if (amt != PAGE_SIZE || off % PAGE_SIZE != 0) {
		stats.refused++;
		return SQLITE_IOERR_WRITE;
	}
	pgno = (uint32_t)(off / PAGE_SIZE) + 1;
	assert(f->role == ROLE_MAIN && off >= 0 && pgno >= 1);
	if (f->checkpointing)
		return main_copy(f, p, pgno, off);
	if (pgno == 1) {
		/* Refuse a page 1 whose page size or reserve is not ours: a backup from a plain
		 * file would otherwise overwrite the nonce and tag area with content. */
		psize = (uint32_t)p[16] << 8 | p[17];
		if (psize == 1)
			psize = 65536;
		if (psize != PAGE_SIZE || p[20] != PAGE_RESERVE) {
			stats.refused++;
			return SQLITE_IOERR_WRITE;
		}
	}
	if (page_seal(f->pc, f->file_id, pgno, p, f->buf, PAGE_SIZE) != 0)
		return SQLITE_IOERR_WRITE;
	stats.sealed++;
	return REAL(f)->xWrite(f->real, f->buf, PAGE_SIZE, HDR_SIZE + off);
}

/* ---- rollback journal ---- */

static int
journal_pgno(struct vfile *f, sqlite3_int64 off, uint32_t *pgno)
{
	uint8_t b[4];
	int got, rc;

	if (off < 4)
		return SQLITE_IOERR_WRITE;
	if (f->pgno_off == off - 4 && f->pgno != 0) {
		assert(f->pgno_off >= 0);
		*pgno = f->pgno;
		return SQLITE_OK;
	}
	rc = raw_read(f, b, 4, off - 4, &got);
	if (rc != SQLITE_OK)
		return rc;
	if (got != 4 || (*pgno = be32(b)) == 0)
		return SQLITE_IOERR_WRITE;
	return SQLITE_OK;
}

static int
journal_write(struct vfile *f, const void *buf, int amt, sqlite3_int64 off)
{
	uint32_t pgno;
	int rc;

	if (amt == PAGE_SIZE && off % 512 != 0) {
		/* A page record: the page number was written just before it. */
		if ((rc = journal_pgno(f, off, &pgno)) != SQLITE_OK ||
		    !is_zero((const uint8_t *)buf + PAGE_SIZE - PAGE_RESERVE, PAGE_RESERVE)) {
			stats.refused++;
			return SQLITE_IOERR_WRITE;
		}
		assert(f->role == ROLE_JOURNAL && f->borrowed && pgno != 0 && off >= 4);
		if (page_seal(f->pc, f->file_id, pgno, buf, f->buf, PAGE_SIZE) != 0)
			return SQLITE_IOERR_WRITE;
		stats.sealed++;
		return REAL(f)->xWrite(f->real, f->buf, PAGE_SIZE, off);
	}
	if (amt == 4) {
		f->pgno_off = off;
		f->pgno = be32(buf);
	}
	if (amt <= 512)
		return REAL(f)->xWrite(f->real, buf, amt, off);
	/* A header chunk as large as a sector: 28 bytes of fields, then zeros. */
	if (off % 512 == 0 && is_zero((const uint8_t *)buf + 28, (size_t)amt - 28))
		return REAL(f)->xWrite(f->real, buf, amt, off);
	stats.refused++;
	return SQLITE_IOERR_WRITE;
}

static int
journal_read(struct vfile *f, void *buf, int amt, sqlite3_int64 off)
{
	uint32_t pgno;
	int got, rc;

	if (amt != PAGE_SIZE || off % 512 == 0) {
		rc = REAL(f)->xRead(f->real, buf, amt, off);
		if (amt == 4 && rc == SQLITE_OK) {
			f->pgno_off = off;
			f->pgno = be32(buf);
		}
		return rc;
	}
	if ((rc = raw_read(f, f->buf, PAGE_SIZE, off, &got)) != SQLITE_OK)
		return rc;
	if (got < PAGE_SIZE) {
		memset(buf, 0, PAGE_SIZE);
		return SQLITE_IOERR_SHORT_READ;
	}
	if (journal_pgno(f, off, &pgno) != SQLITE_OK ||
	    page_open(f->pc, f->file_id, pgno, f->buf, buf, PAGE_SIZE) != 0) {
		f->damaged = last_damaged = pgno;
		return SQLITE_IOERR_DATA;
	}
	stats.opened++;
	return SQLITE_OK;
}

/* ---- WAL ---- */

#define FRAME (WAL_FRAME_HDR + PAGE_SIZE)

/* The frame whose page data contains byte off, or -1 if off is in a header. */
static sqlite3_int64
wal_frame_of(sqlite3_int64 off)
{
	sqlite3_int64 rel, k;

	if (off < WAL_HDR)
		return -1;
	rel = (off - WAL_HDR) % FRAME;
	if (rel < WAL_FRAME_HDR)
		return -1;
	k = (off - WAL_HDR) / FRAME;
	/* frame k's page lies after its header, and ends where frame k + 1 begins */
	assert(WAL_HDR + k * FRAME + WAL_FRAME_HDR <= off && off < WAL_HDR + (k + 1) * FRAME);
	return k;
}

static sqlite3_int64
wal_data_off(sqlite3_int64 frame)
{
	assert(frame >= 0);
	return WAL_HDR + frame * FRAME + WAL_FRAME_HDR;
}

static int
wal_write(struct vfile *f, const void *buf, int amt, sqlite3_int64 off)
{
	uint8_t fh[WAL_FRAME_HDR];
	sqlite3_int64 k, first, last;
	uint32_t pgno;
	int got, rc;

	if (amt == PAGE_SIZE && (k = wal_frame_of(off)) >= 0 && wal_data_off(k) == off) {
		if (f->pgno_off == off - WAL_FRAME_HDR) {
			pgno = f->pgno;
			rc = SQLITE_OK;
		} else {
			rc = raw_read(f, fh, WAL_FRAME_HDR, off - WAL_FRAME_HDR, &got);
			pgno = rc == SQLITE_OK && got == WAL_FRAME_HDR ? be32(fh) : 0;
		}
		if (rc != SQLITE_OK || pgno == 0 ||
		    !is_zero((const uint8_t *)buf + PAGE_SIZE - PAGE_RESERVE, PAGE_RESERVE)) {
			stats.refused++;
			return SQLITE_IOERR_WRITE;
		}
		assert(f->role == ROLE_WAL && f->borrowed && f->pc == f->db->pc);
		if (page_seal(f->pc, f->file_id, pgno, buf, f->buf, PAGE_SIZE) != 0)
			return SQLITE_IOERR_WRITE;
		stats.sealed++;
		return REAL(f)->xWrite(f->real, f->buf, PAGE_SIZE, off);
	}
	if (amt == WAL_FRAME_HDR && off >= WAL_HDR && (off - WAL_HDR) % FRAME == 0) {
		f->pgno_off = off;
		f->pgno = be32(buf);
	}
	/* Headers only: anything touching a frame's page area is refused. */
	first = off < WAL_HDR ? 0 : (off - WAL_HDR) / FRAME;
	last = off + amt - 1 < WAL_HDR ? -1 : (off + amt - 1 - WAL_HDR) / FRAME;
	for (k = first; k <= last; k++) {
		if (wal_data_off(k) < off + amt && wal_data_off(k) + PAGE_SIZE > off) {
			stats.refused++;
			return SQLITE_IOERR_WRITE;
		}
	}
	return REAL(f)->xWrite(f->real, buf, amt, off);
}

/* Opens frame k's page into out. A page that fails authentication is damage when a later
 * frame of the same WAL generation follows it; at the tail it is taken as a torn write and
 * given as zeros, which SQLite's frame checksum then rejects. */
static int
wal_open_frame(struct vfile *f, sqlite3_int64 k, uint8_t *out, int *present)
{
	uint8_t fh[WAL_FRAME_HDR], wh[WAL_HDR], nh[WAL_FRAME_HDR];
	int got, rc;

	assert(f->role == ROLE_WAL && f->frame != NULL && k >= 0);
	*present = 0;
	memset(out, 0, PAGE_SIZE);
	if ((rc = raw_read(f, f->frame, FRAME, wal_data_off(k) - WAL_FRAME_HDR, &got)) !=
	    SQLITE_OK)
		return rc;
	if (got < FRAME)
		return SQLITE_OK;
	memcpy(fh, f->frame, WAL_FRAME_HDR);
	*present = 1;
	if (page_open(f->pc, f->file_id, be32(fh), f->frame + WAL_FRAME_HDR, out,
	    PAGE_SIZE) == 0) {
		stats.opened++;
		return SQLITE_OK;
	}
	if ((rc = raw_read(f, wh, WAL_HDR, 0, &got)) != SQLITE_OK)
		return rc;
	if (got == WAL_HDR && memcmp(fh + 8, wh + 16, 8) == 0) {
		rc = raw_read(f, nh, WAL_FRAME_HDR, wal_data_off(k + 1) - WAL_FRAME_HDR, &got);
		if (rc == SQLITE_OK && got == WAL_FRAME_HDR && memcmp(nh + 8, wh + 16, 8) == 0) {
			f->damaged = last_damaged = be32(fh);
			return SQLITE_IOERR_DATA;
		}
	}
	return SQLITE_OK;
}

/* During a checkpoint: frame k's sealed page, unopened, for main_copy to write back. */
static int
wal_copy_read(struct vfile *f, sqlite3_int64 k, uint8_t *out)
{
	struct vfile *db = f->db;
	int got, rc;

	assert(f->role == ROLE_WAL && db != NULL && db->role == ROLE_MAIN && db->checkpointing);
	db->copy_ready = 0;
	if ((rc = raw_read(f, f->frame, FRAME, wal_data_off(k) - WAL_FRAME_HDR, &got)) !=
	    SQLITE_OK)
		return rc;
	if (got < FRAME) {
		memset(out, 0, PAGE_SIZE);
		return SQLITE_IOERR_SHORT_READ;
	}
	memcpy(out, f->frame + WAL_FRAME_HDR, PAGE_SIZE);
	db->copy_pgno = be32(f->frame);
	memcpy(db->copy_seal, out + PAGE_SIZE - PAGE_RESERVE, PAGE_RESERVE);
	db->copy_ready = 1;
	return SQLITE_OK;
}

static int
wal_read(struct vfile *f, void *buf, int amt, sqlite3_int64 off)
{
	uint8_t *page, *dst = buf;
	sqlite3_int64 k, first, last, a, b;
	int rc, present, got;

	/* The common case, a page read where it lies: one read of its frame. */
	if (amt == PAGE_SIZE && (k = wal_frame_of(off)) >= 0 && wal_data_off(k) == off) {
		if (f->db != NULL && f->db->checkpointing)
			return wal_copy_read(f, k, buf);
		if ((rc = wal_open_frame(f, k, buf, &present)) != SQLITE_OK)
			return rc;
		return present ? SQLITE_OK : SQLITE_IOERR_SHORT_READ;
	}
	if ((rc = raw_read(f, buf, amt, off, &got)) != SQLITE_OK)
		return rc;
	first = off < WAL_HDR ? 0 : (off - WAL_HDR) / FRAME;
	last = off + amt - 1 < WAL_HDR ? -1 : (off + amt - 1 - WAL_HDR) / FRAME;
	if (last < first)
		goto done;
	page = f->plain;
	for (k = first; k <= last; k++) {
		a = wal_data_off(k);
		b = a + PAGE_SIZE;
		if (b <= off || a >= off + amt)
			continue;
		if ((rc = wal_open_frame(f, k, page, &present)) != SQLITE_OK)
			return rc;
		if (a < off)
			a = off;
		if (b > off + amt)
			b = off + amt;
		memcpy(dst + (a - off), page + (a - wal_data_off(k)), (size_t)(b - a));
	}
	sodium_memzero(page, PAGE_SIZE);
done:
	if (got < amt) {
		memset(dst + got, 0, (size_t)(amt - got));
		return SQLITE_IOERR_SHORT_READ;
	}
	return SQLITE_OK;
}

/* ---- io methods ---- */

/* A main file's keys and both page buffers in one guarded, locked sodium_malloc region (one
 * set of system calls per open file, not three). Its journal and WAL borrow them, and its
 * page cipher: SQLite uses the three files of one connection from one thread at a time, and
 * closes the journal and the WAL before the main file. A WAL's own frame buffer holds only
 * sealed bytes. */
#define SCRATCH_KEY_ROOM 128
_Static_assert(PAGE_CIPHER_SECRET <= SCRATCH_KEY_ROOM, "the page cipher's keys fit");

static int
vfile_alloc(struct vfile *f)
{
	uint8_t *p = sodium_malloc(SCRATCH_KEY_ROOM + 2 * PAGE_SIZE);

	if (p == NULL)
		return -1;
	f->key = p;
	f->plain = p + SCRATCH_KEY_ROOM;
	f->buf = p + SCRATCH_KEY_ROOM + PAGE_SIZE;
	return 0;
}

static void
vfile_borrow(struct vfile *f, struct vfile *m)
{
	assert(m->role == ROLE_MAIN && !m->borrowed && m->key != NULL && m->buf != NULL);
	memcpy(f->file_id, m->file_id, FILE_ID_LEN);
	f->key = m->key;
	f->plain = m->plain;
	f->buf = m->buf;
	f->pc = m->pc;
	f->borrowed = 1;
}

static void
vfile_free(struct vfile *f)
{
	if (!f->borrowed) {
		page_cipher_free(&f->own);
		if (f->key != NULL)
			sodium_free(f->key);
	}
	free(f->frame);
	f->key = f->buf = f->plain = f->frame = NULL;
	f->pc = NULL;
}

static int
x_close(sqlite3_file *pf)
{
	struct vfile *f = (struct vfile *)pf;
	int rc = REAL(f)->xClose(f->real);

	vfile_free(f);
	return rc;
}

static int
plain_read(struct vfile *f, void *buf, int amt, sqlite3_int64 off)
{
	return REAL(f)->xRead(f->real, buf, amt, off);
}

static int
plain_write(struct vfile *f, const void *buf, int amt, sqlite3_int64 off)
{
	return REAL(f)->xWrite(f->real, buf, amt, off);
}

/* How each kind of file is read and written. */
static const struct {
	int (*read)(struct vfile *, void *, int, sqlite3_int64);
	int (*write)(struct vfile *, const void *, int, sqlite3_int64);
} role_io[] = {
	[ROLE_MAIN] = { main_read, main_write },
	[ROLE_JOURNAL] = { journal_read, journal_write },
	[ROLE_WAL] = { wal_read, wal_write },
	[ROLE_PLAIN] = { plain_read, plain_write },
};

static int
x_read(sqlite3_file *pf, void *buf, int amt, sqlite3_int64 off)
{
	struct vfile *f = (struct vfile *)pf;

	assert(f->role >= ROLE_MAIN && f->role <= ROLE_PLAIN && off >= 0 && amt > 0);
	return role_io[f->role].read(f, buf, amt, off);
}

static int
x_write(sqlite3_file *pf, const void *buf, int amt, sqlite3_int64 off)
{
	struct vfile *f = (struct vfile *)pf;

	assert(f->role >= ROLE_MAIN && f->role <= ROLE_PLAIN && off >= 0 && amt > 0);
	return role_io[f->role].write(f, buf, amt, off);
}

static int
x_truncate(sqlite3_file *pf, sqlite3_int64 size)
{
	struct vfile *f = (struct vfile *)pf;

	/* the main file is cut at a page boundary, its header kept */
	assert(f->role != ROLE_MAIN || (size >= 0 && size % PAGE_SIZE == 0));
	if (f->role == ROLE_MAIN)
		size += HDR_SIZE;
	return REAL(f)->xTruncate(f->real, size);
}

static int
x_sync(sqlite3_file *pf, int flags)
{
	struct vfile *f = (struct vfile *)pf;

	return REAL(f)->xSync(f->real, flags);
}

static int
x_file_size(sqlite3_file *pf, sqlite3_int64 *size)
{
	struct vfile *f = (struct vfile *)pf;
	int rc = REAL(f)->xFileSize(f->real, size);

	if (rc == SQLITE_OK && f->role == ROLE_MAIN)
		*size = *size > HDR_SIZE ? *size - HDR_SIZE : 0;
	return rc;
}

static int
x_lock(sqlite3_file *pf, int lock)
{
	struct vfile *f = (struct vfile *)pf;

	return REAL(f)->xLock(f->real, lock);
}

static int
x_unlock(sqlite3_file *pf, int lock)
{
	struct vfile *f = (struct vfile *)pf;

	return REAL(f)->xUnlock(f->real, lock);
}

static int
x_check_reserved(sqlite3_file *pf, int *out)
{
	struct vfile *f = (struct vfile *)pf;

	return REAL(f)->xCheckReservedLock(f->real, out);
}

static int
x_file_control(sqlite3_file *pf, int op, void *arg)
{
	struct vfile *f = (struct vfile *)pf;
	sqlite3_int64 hint;

	switch (op) {
	case VFS_FCNTL_DAMAGE:
		*(uint32_t *)arg = f->damaged;
		return SQLITE_OK;
	case VFS_FCNTL_RAW_READ: {
		struct vfs_raw_read *r = arg;
		if (f->role != ROLE_MAIN)
			return SQLITE_NOTFOUND;
		if (r->buf == NULL)
			return REAL(f)->xFileSize(f->real, &r->size);
		return raw_read(f, r->buf, r->amt, r->off, &r->got);
	}
	case SQLITE_FCNTL_CKPT_START:
	case SQLITE_FCNTL_CKPT_DONE:
		if (f->role == ROLE_MAIN) {
			f->checkpointing = op == SQLITE_FCNTL_CKPT_START;
			f->copy_ready = 0;
		}
		break;
	case SQLITE_FCNTL_SIZE_HINT:
		if (f->role != ROLE_MAIN)
			break;
		hint = *(sqlite3_int64 *)arg + HDR_SIZE;
		return REAL(f)->xFileControl(f->real, op, &hint);
	case SQLITE_FCNTL_MMAP_SIZE:
		/* Memory-mapped reads would bypass decryption. */
		*(sqlite3_int64 *)arg = 0;
		return SQLITE_OK;
	case SQLITE_FCNTL_VFSNAME:
		*(char **)arg = sqlite3_mprintf("%s", VFS_NAME);
		return SQLITE_OK;
	}
	return REAL(f)->xFileControl(f->real, op, arg);
}

static int
x_sector_size(sqlite3_file *pf)
{
	struct vfile *f = (struct vfile *)pf;

	return REAL(f)->xSectorSize(f->real);
}

static int
x_device_characteristics(sqlite3_file *pf)
{
	struct vfile *f = (struct vfile *)pf;

	/* Whole-page writes are never split, so a sealed page is always written whole. */
	return REAL(f)->xDeviceCharacteristics(f->real) | SQLITE_IOCAP_POWERSAFE_OVERWRITE;
}

static int
x_shm_map(sqlite3_file *pf, int pg, int pgsz, int extend, void volatile **pp)
{
	struct vfile *f = (struct vfile *)pf;

	return REAL(f)->xShmMap(f->real, pg, pgsz, extend, pp);
}

static int
x_shm_lock(sqlite3_file *pf, int offset, int n, int flags)
{
	struct vfile *f = (struct vfile *)pf;

	return REAL(f)->xShmLock(f->real, offset, n, flags);
}

static void
x_shm_barrier(sqlite3_file *pf)
{
	struct vfile *f = (struct vfile *)pf;

	REAL(f)->xShmBarrier(f->real);
}

static int
x_shm_unmap(sqlite3_file *pf, int delete_flag)
{
	struct vfile *f = (struct vfile *)pf;

	return REAL(f)->xShmUnmap(f->real, delete_flag);
}

static int
x_fetch(sqlite3_file *pf, sqlite3_int64 off, int amt, void **pp)
{
	(void)pf;
	(void)off;
	(void)amt;
	*pp = NULL;	/* never a mapping: it would bypass decryption */
	return SQLITE_OK;
}

static int
x_unfetch(sqlite3_file *pf, sqlite3_int64 off, void *p)
{
	(void)pf;
	(void)off;
	(void)p;
	return SQLITE_OK;
}

static const sqlite3_io_methods io_methods = {
	3, x_close, x_read, x_write, x_truncate, x_sync, x_file_size, x_lock, x_unlock,
	x_check_reserved, x_file_control, x_sector_size, x_device_characteristics,
	x_shm_map, x_shm_lock, x_shm_barrier, x_shm_unmap, x_fetch, x_unfetch,
};

/* ---- vfs methods ---- */

/* Finds the main file's key by the file id in its header: copy A, or B if A is torn or
 * names no key we hold. The unlock has verified the header; here the id only picks a key. */
static int
main_identify(struct vfile *f)
{
	uint8_t id[FILE_ID_LEN];
	int got, rc, i;

	for (i = 0; i < 2; i++) {
		rc = raw_read(f, f->buf, HDR_COPY_SIZE, (sqlite3_int64)i * HDR_COPY_SIZE, &got);
		if (rc != SQLITE_OK)
			return rc;
		if (got == HDR_COPY_SIZE && hdr_peek(f->buf, id) == 0 &&
		    keyring_copy(id, f->key) == 0) {
			memcpy(f->file_id, id, FILE_ID_LEN);
			return SQLITE_OK;
		}
	}
	return SQLITE_CANTOPEN;
}

static int
x_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *pf, int flags, int *out_flags)
{
	struct vfile *f = (struct vfile *)pf, *m;
	sqlite3_file *main_file;
	int rc;

	(void)vfs;
	memset(f, 0, sizeof *f);
	f->real = (sqlite3_file *)&f[1];
	if ((flags & SQLITE_OPEN_MAIN_DB) && name != NULL)
		f->role = ROLE_MAIN;
	else if (flags & SQLITE_OPEN_MAIN_JOURNAL)
		f->role = ROLE_JOURNAL;
	else if (flags & SQLITE_OPEN_WAL)
		f->role = ROLE_WAL;
	else if (flags & SQLITE_OPEN_SUPER_JOURNAL)
		f->role = ROLE_PLAIN;	/* holds file names only */
	else
		return SQLITE_CANTOPEN;	/* temp files: temp_store=MEMORY keeps them off disk */
	f->pgno_off = -1;
	if (f->role == ROLE_MAIN && vfile_alloc(f) != 0) {
		rc = SQLITE_NOMEM;
		goto fail;
	}
	if (f->role == ROLE_JOURNAL || f->role == ROLE_WAL) {
		main_file = sqlite3_database_file_object(name);
		if (main_file == NULL || main_file->pMethods != &io_methods) {
			rc = SQLITE_CANTOPEN;
			goto fail;
		}
		m = (struct vfile *)main_file;
		assert(m->role == ROLE_MAIN && m->pc != NULL);
		vfile_borrow(f, m);
		if (f->role == ROLE_WAL) {
			f->db = m;
			if ((f->frame = malloc(FRAME)) == NULL) {
				rc = SQLITE_NOMEM;
				goto fail;
			}
		}
	}
	rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out_flags);
	if (rc != SQLITE_OK)
		goto fail;
	if (f->role == ROLE_MAIN && (rc = main_identify(f)) != SQLITE_OK) {
		f->real->pMethods->xClose(f->real);
		goto fail;
	}
	if (f->role == ROLE_MAIN) {
		if (page_cipher_init(&f->own, f->key, f->key) != 0) {
			f->real->pMethods->xClose(f->real);
			rc = SQLITE_NOMEM;
			goto fail;
		}
		f->pc = &f->own;
	}
	pf->pMethods = &io_methods;
	return SQLITE_OK;
fail:
	vfile_free(f);
	pf->pMethods = NULL;
	return rc;
}

static int
x_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return base_vfs->xDelete(base_vfs, name, sync_dir);
}

static int
x_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return base_vfs->xAccess(base_vfs, name, flags, out);
}

static int
x_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return base_vfs->xFullPathname(base_vfs, name, n, out);
}

static void *
x_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	(void)name;
	return NULL;	/* no extensions */
}

static void
x_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	if (n > 0)
		snprintf(msg, (size_t)n, "extensions are not loaded");
}

static void (*x_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	(void)h;
	(void)sym;
	return NULL;
}

static void
x_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	(void)h;
}

static int
x_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	randombytes_buf(out, (size_t)n);
	return n;
}

static int
x_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return base_vfs->xSleep(base_vfs, us);
}

static int
x_current_time(sqlite3_vfs *vfs, double *t)
{
	(void)vfs;
	return base_vfs->xCurrentTime(base_vfs, t);
}

static int
x_last_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	return base_vfs->xGetLastError(base_vfs, n, msg);
}

static int
x_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *t)
{
	(void)vfs;
	return base_vfs->xCurrentTimeInt64(base_vfs, t);
}

static sqlite3_vfs outpost_vfs = {
	2, 0, 1024, NULL, VFS_NAME, NULL, x_open, x_delete, x_access, x_full_pathname,
	x_dlopen, x_dlerror, x_dlsym, x_dlclose, x_randomness, x_sleep, x_current_time,
	x_last_error, x_current_time64, NULL, NULL, NULL,
};

int
vfs_register(void)
{
	static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;
	int rc = SQLITE_OK;

	pthread_mutex_lock(&once);
	if (base_vfs == NULL) {
		if (sodium_init() < 0 || (base_vfs = sqlite3_vfs_find(NULL)) == NULL) {
			pthread_mutex_unlock(&once);
			return SQLITE_ERROR;
		}
		assert(base_vfs->iVersion >= 2);
		outpost_vfs.szOsFile = (int)sizeof(struct vfile) + base_vfs->szOsFile;
		outpost_vfs.mxPathname = base_vfs->mxPathname;
		rc = sqlite3_vfs_register(&outpost_vfs, 0);
		if (rc != SQLITE_OK)
			base_vfs = NULL;
	}
	pthread_mutex_unlock(&once);
	return rc;
}
