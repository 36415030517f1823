/* logbook.h — one station's logbook on an open SQLite connection: schema and migrations,
 * station settings, operators and shifts. Records are in record.h, sync's view in outbox.h.
 * Nothing here prints or exits; errors come back in struct err. */
#ifndef OUTPOST_LOGBOOK_H
#define OUTPOST_LOGBOOK_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "base/err.h"

/* The schema version this build writes (PRAGMA user_version). */
#define LOGBOOK_SCHEMA_VERSION 8

enum station_kind { STATION_TRAFFIC = 1, STATION_GATE = 2, STATION_TRIAGE = 3 };
/* "traffic" | "gate" | "triage" → enum; -1 if none. */
int station_kind_parse(const char *s);
const char *station_kind_name(int kind);

#define LOGBOOK_ID_LEN 32   /* station id: 32 lowercase hex characters */
#define LOGBOOK_NAME_MAX 64 /* operator and station names, bytes */

struct logbook; /* an open logbook: the connection (not owned), station id, kind, session */

/* Creates the schema in an empty database db and the station settings: a fresh random
 * station id, kind ("traffic"|"gate"|"triage"), name, and the defaults. E_INVALID if kind or
 * name is bad, E_IO if db already holds a logbook or SQLite fails. */
int logbook_init(sqlite3 *db, const char *kind, const char *station_name, struct err *e);

/* Opens the logbook in db, first migrating an older schema (each step one transaction).
 * db stays the caller's: close it after logbook_close. E_DAMAGED if db is no logbook or is
 * newer than this build. */
int logbook_open(sqlite3 *db, struct logbook **out, struct err *e);
/* The page cache logbook_open gives a connection: 32 MiB, a day's records and the indexes,
 * since every page read from disk is authenticated and decrypted. */
#define LOGBOOK_CACHE_KIB 32768
/* Sets lb's connection's SQLite page cache to kib KiB (>= 64), replacing the default above;
 * pages beyond it are dropped, so a smaller cache bounds memory at the cost of re-reading
 * (and decrypting) pages. E_INVALID for kib < 64, E_IO if SQLite refuses. */
int logbook_set_cache_kib(struct logbook *lb, int kib, struct err *e);
/* Frees lb (not the connection, unless lb came from logbook_unlock_file or
 * logbook_create_file: then the connection and the unlocked file too). NULL is fine. */
void logbook_close(struct logbook *lb);

/* ---- the logbook as a file (for the full-screen app, which talks to storage/ only) ---- */

/* The recovery key's length in bytes (crypto/'s VAULT_RECOVERY_LEN). */
#define LOGBOOK_RECOVERY_LEN 48
/* Unlocks the encrypted file at path with a secret a person typed (a passphrase or a
 * recovery key, told apart as the CLI does: crypto/'s vault_unlock_typed) and opens its
 * logbook; *out owns the file and its connection. E_LOCKED for a wrong secret (e says which
 * group of a recovery key has a typo), E_DAMAGED for a file that is not a logbook. */
int logbook_unlock_file(const char *path, const char *secret, size_t len, struct logbook **out,
    struct err *e);
/* Makes a new logbook file at path (which must not exist): its passphrase and recovery
 * slots (the recovery key, shown once, written into recovery: LOGBOOK_RECOVERY_LEN bytes of
 * the caller's sodium_malloc memory), the schema and the station settings (logbook_init's
 * kind and name). kdf: logbook_kdf_parse's value. On failure nothing is left at path. */
int logbook_create_file(const char *path, const char *pass, size_t len, int kdf,
    char *recovery, const char *kind, const char *name, struct logbook **out, struct err *e);
/* E_OK if path is a logbook file (before asking for a secret); else why not. */
int logbook_probe_file(const char *path, struct err *e);
/* Whether a typed secret would be taken as a recovery key first. */
int logbook_looks_like_recovery(const char *s, size_t len);
/* A key-derivation setting by name ("default", "test-cheap"), -1 if neither. */
int logbook_kdf_parse(const char *name);
/* A number that changes whenever another connection (the CLI, another TUI, a sync) has
 * committed to the file since the last call (PRAGMA data_version); -1 on error. Cheap
 * enough to poll every second. */
int64_t logbook_data_version(struct logbook *lb);

/* Runs the migrations from the current user_version up to LOGBOOK_SCHEMA_VERSION (no-op when
 * current); logbook_open calls it. Exposed for tests. */
int logbook_migrate(sqlite3 *db, struct err *e);

sqlite3 *logbook_db(const struct logbook *lb);
const char *logbook_station_id(const struct logbook *lb); /* 32 hex chars */
int logbook_kind(const struct logbook *lb);		  /* enum station_kind */

/* ---- settings (key/value text; see settings_keys for names, defaults and checks) ---- */
struct setting_def {
	const char *key;
	const char *def;  /* default value as text */
	const char *help; /* one line, for `settings get` and the TUI (translatable) */
	int readonly;	  /* station_id, kind: set only by logbook_init */
	long lo, hi;	  /* a whole number from lo to hi, when hi > 0 */
};
/* The known settings, terminated by a NULL key:
 *   station_id, kind, name, fever_threshold (37.3), recheck_minutes (15),
 *   high_risk_plates ("" comma list of plate prefixes, e.g. "鄂A,鄂B"),
 *   high_risk_origins ("" comma list of place names), outing_quota ("1/2": persons/days per
 *   household), retention_days (28), bin_window_hours (24), hub ("" endpoint) */
extern const struct setting_def settings_keys[];

/* Copies the value of key into buf (truncating to n-1); unknown key: E_INVALID. */
int settings_get(struct logbook *lb, const char *key, char *buf, size_t n, struct err *e);
/* Typed helpers: fall back to the default when unset; never fail for a known key. */
int settings_get_int(struct logbook *lb, const char *key);
/* Tenths of the value, e.g. fever_threshold 37.3 → 373. */
int settings_get_deci(struct logbook *lb, const char *key);
/* Sets a writable key after checking the value ("fever_threshold must be a temperature
 * between 35.0 and 42.0"); E_INVALID naming key and problem, nothing stored. */
int settings_set(struct logbook *lb, const char *key, const char *value, struct err *e);
/* Applies a setting that came from the hub with its configuration version: stored only if
 * version is newer than the key's stored version; the cursor settings_version() then
 * returns the highest version applied. Same checks as settings_set. */
int settings_apply(
    struct logbook *lb, const char *key, const char *value, int64_t version, struct err *e);
/* The highest hub configuration version applied so far (0 if none). */
int64_t settings_version(struct logbook *lb);

/* ---- operators and shifts ---- */
/* Signs in operator name: stores a "signin" record that opens a new shift (the shift's id is
 * that record's seq) and makes it the logbook's current session, which every later record is
 * stamped with (kept in the file, so separate CLI runs share it). *shift may be NULL. */
int logbook_signin(struct logbook *lb, const char *name, int64_t *shift, struct err *e);
/* The current operator ("" if nobody signed in) and shift (0 if none). */
const char *logbook_operator(const struct logbook *lb);
int64_t logbook_shift(const struct logbook *lb);
/* Ends the current shift with a "handover" record carrying note (may be NULL) and the
 * summary counts (see report.h); the session becomes empty. */
int logbook_handover(struct logbook *lb, const char *note, int64_t *seq, struct err *e);
/* Signs in name as logbook_signin does, but if a shift is open it first ends it with its
 * handover (note, or "ended by the sign-in of NAME" if note is NULL or ""), all in one
 * transaction: a new operator never silently takes over. *handover (may be NULL) gets the
 * handover's seq, 0 if no shift was open. logbook_signin is this with note NULL. */
int logbook_change(struct logbook *lb, const char *name, const char *note, int64_t *handover,
    int64_t *shift, struct err *e);
struct record;
/* The latest handover of any shift into r: 1, 0 if there is none, -1 on error (e set). */
int logbook_last_handover(struct logbook *lb, struct record *r, struct err *e);

#endif
