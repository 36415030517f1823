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

/* The last page that failed authentication in this thread (0 = none), for errors
 * raised before a connection is fully open. */
uint32_t vfs_last_damage(void);

/* Registers the VFS (not as the default); idempotent. Returns an SQLite code. */
int vfs_register(void);

/* The process keyring: data keys by file id, looked up (and copied into the open file's
 * own secret memory) when a file is opened. add keeps the pointer, not a copy: key must be
 * the caller's sodium_malloc memory and stay valid until vfs_key_remove (adding the same
 * file id again replaces the pointer). Returns 0 or -1 (no memory). */
int vfs_key_add(const uint8_t *file_id, const uint8_t *key);
void vfs_key_remove(const uint8_t *file_id);

/* Counters a test can read since start: page images sealed, opened (authenticated and
 * decrypted), refused, and copied sealed from the WAL by a checkpoint. */
struct vfs_stats {
	uint64_t sealed, opened, refused, copied;
};
void vfs_stats(struct vfs_stats *s);

#endif
