/* vault.h — the encrypted logbook file: a header of key slots in front of SQLite pages
 * that the VFS seals one by one (see outpost(5)). This is the whole interface the
 * layers above use; they never see the data key. */
#ifndef OUTPOST_VAULT_H
#define OUTPOST_VAULT_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "base/err.h"

#define VAULT_MAX_SLOTS 8
#define VAULT_LABEL_MAX 32
/* "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX" and a NUL. */
#define VAULT_RECOVERY_LEN 48

/* Argon2id cost profiles; the name is stored in each slot. "test-cheap" exists only so
 * the test suite can create files quickly and is named as such in the file. */
enum vault_kdf { VAULT_KDF_DEFAULT = 0, VAULT_KDF_TEST_CHEAP = 1 };
/* Parses "default" or "test-cheap"; -1 if neither. */
int vault_kdf_parse(const char *name);
const char *vault_kdf_name(int kdf);

/* The kind of secret a person gives to unlock. */
enum vault_secret_kind { VAULT_PASSPHRASE = 1, VAULT_RECOVERY = 2 };

struct vault;	/* an unlocked file: its data key in sodium_malloc memory */

/* Creates a new logbook file at path (which must not exist) holding an empty database,
 * one passphrase slot and one recovery slot. Writes the recovery key, shown once, into
 * recovery (VAULT_RECOVERY_LEN bytes, caller's sodium_malloc memory). On success the
 * file is unlocked and *out owns it. */
int vault_create(const char *path, const char *pass, size_t passlen, int kdf,
    char *recovery, struct vault **out, struct err *e);

/* Unlocks path with a passphrase or a recovery key (kind VAULT_RECOVERY accepts the
 * typed groups, any case, with or without dashes; a typo is reported before the KDF).
 * Wrong secret: E_LOCKED and the file is not written. Not ours: E_DAMAGED with a message
 * that says what the file is. */
int vault_unlock(const char *path, const char *secret, size_t len, int kind,
    struct vault **out, struct err *e);

/* A secret a person typed: tried as a recovery key when recovery_only is set or when it
 * looks like one (vault_looks_like_recovery: 40 letters or digits, dashes or spaces
 * anywhere), else as a passphrase. A passphrase that only looks like a recovery key is
 * tried as a passphrase too; if both fail, e keeps the recovery key's message (it names
 * the group with the typo). Results as vault_unlock. */
int vault_unlock_typed(const char *path, const char *secret, size_t len, int recovery_only,
    struct vault **out, struct err *e);
int vault_looks_like_recovery(const char *s, size_t len);

/* Opens the SQLite database inside an unlocked file through the sealing VFS, with
 * temp_store=MEMORY and mmap off. The connection must be closed before vault_close. */
int vault_open_db(struct vault *v, sqlite3 **db, struct err *e);
/* vault_open_db with options: VAULT_DB_CALLER_LOCKS opens the connection without SQLite's
 * own mutex (SQLITE_OPEN_NOMUTEX), for a caller that never lets two threads use it at once
 * (the hub server holds its lock around every store call): SQLite's serialized mode costs
 * a lock and an unlock on every call, about 7% of the hub's ingest. */
#define VAULT_DB_CALLER_LOCKS 1
int vault_open_db_with(struct vault *v, int opts, sqlite3 **db, struct err *e);

/* Turns an SQLite result code on a logbook connection into an error for a person:
 * E_DAMAGED "damaged: page N failed authentication" when a page failed, E_IO otherwise.
 * Returns the code. */
int vault_sqlite_err(sqlite3 *db, int rc, struct err *e);

/* Wipes the key and frees v. NULL is fine. */
void vault_close(struct vault *v);

/* The file's path and its 16-byte random id. */
const char *vault_path(const struct vault *v);
const uint8_t *vault_file_id(const struct vault *v);

/* Key slots. add: a new passphrase slot (label may be NULL); remove: the slot whose
 * passphrase is given, never the last way in; each rewrites only the header, through a
 * descriptor of its own: call them while this process has no connection open on the file
 * (closing that descriptor drops every POSIX lock the process holds on it). */
struct vault_slot_info {
	int index;
	int kind;			/* VAULT_PASSPHRASE or VAULT_RECOVERY */
	char label[VAULT_LABEL_MAX + 1];
	char kdf[16];
};
int vault_slot_add(struct vault *v, const char *pass, size_t passlen, const char *label,
    int kdf, struct err *e);
int vault_slot_remove(struct vault *v, const char *pass, size_t passlen, struct err *e);
/* Fills up to max entries; returns the number of slots in use, or -1 with e set. */
int vault_slot_list(struct vault *v, struct vault_slot_info *slots, int max, struct err *e);

/* Checks every page's tag and both header copies, then PRAGMA integrity_check, reading
 * the file through its own connection's descriptor (safe while other connections of the
 * process are open). E_OK, or E_DAMAGED with "damaged: page N …". */
int vault_check(struct vault *v, struct err *e);

/* Writes a consistent encrypted copy of the open database db (of v) to dest, which must
 * not exist, with the same key slots and data key; fsyncs it. Safe while others use the
 * file. */
int vault_backup(struct vault *v, sqlite3 *db, const char *dest, struct err *e);

/* Replaces the data key and the file id: writes the database into a new file beside the
 * old one under a fresh data key, fsyncs it, renames it over the old file and fsyncs the
 * directory. Every passphrase and the recovery key keep working (slots wrap a key-wrapping
 * key, which wraps the data key). The caller must have closed every connection. */
int vault_rekey(struct vault *v, struct err *e);

/* Detects what a file is without a secret: 0 ours, else E_DAMAGED with a message
 * ("a plain SQLite database, not an outpost logbook", "not an outpost logbook", …). */
int vault_probe(const char *path, struct err *e);

#endif
