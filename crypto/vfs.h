/* vfs.h — the SQLite VFS shim "outpost": over the default VFS, it hides the header, seals
 * every page image of the main file, its rollback journal and its WAL, refuses temp files
 * and anything it cannot identify, and keeps no mapping (see outpost(5)). */
#ifndef OUTPOST_VFS_H
#define OUTPOST_VFS_H

#include <stdint.h>
#include <sqlite3.h>

#define VFS_NAME "outpost"
/* sqlite3_file_control op: *(uint32_t *)arg = the last page that failed authentication
 * on this connection's main file (0 = none). */
#define VFS_FCNTL_DAMAGE 0x4f500001

/* sqlite3_file_control op on "main": reads the file as it is on disk (header and sealed
 * pages) through the descriptor SQLite holds, so a reader opens no second one (closing any
 * descriptor of a file drops every POSIX lock the process holds on it, SQLite's included).
 * arg is a struct vfs_raw_read: with buf NULL it sets size (the whole file's); else it
 * reads amt bytes at off into buf and sets got (fewer at the end of the file). An SQLite
 * code; SQLITE_NOTFOUND on a file that is not an outpost main file. */
#define VFS_FCNTL_RAW_READ 0x4f500002
struct vfs_raw_read {
	void *buf;
	int amt, got;
	sqlite3_int64 off, size;
};

/* The last page that failed authentication in this thread (0 = none), for errors
 * raised before a connection is fully open. */
uint32_t vfs_last_damage(void);

/* Registers the VFS (not as the default); idempotent. Returns an SQLite code. */
int vfs_register(void);

/* The process keyring: data keys by file id, looked up (and copied into the open file's
 * own secret memory) when a file is opened. add keeps the pointer, not a copy: key must be
 * the caller's sodium_malloc memory and stay valid until vfs_key_remove of the same file id
 * and pointer. Each (file id, key) pair is one owner's entry — two vaults open on one file
 * each add their own — and remove takes away only that entry, so the file still opens
 * while another owner holds its key. Adding a pair again is a no-op. Returns 0 or -1 (no
 * memory). */
int vfs_key_add(const uint8_t *file_id, const uint8_t *key);
void vfs_key_remove(const uint8_t *file_id, const uint8_t *key);

/* Counters a test can read since start: page images sealed, opened (authenticated and
 * decrypted), refused, and copied sealed from the WAL by a checkpoint. */
struct vfs_stats {
	uint64_t sealed, opened, refused, copied;
};
void vfs_stats(struct vfs_stats *s);

#endif
