/* facts.h — what the hub's reports need from one record body, read in C once per record by
 * both stores (the PostgreSQL store never sees a body in clear; the SQLite store binds the
 * facts to its INSERT): the envelope (action, root, ref, offset), and the decisions the
 * station stored (fever, release despite fever, flags), the bin code of a bin or
 * collection. The one place these rules are written. Strict and bounded (no recursion);
 * never allocates. */
#ifndef OUTPOST_HUB_FACTS_H
#define OUTPOST_HUB_FACTS_H

#include <stddef.h>
#include <stdint.h>

#define FACTS_CODE_MAX 64

enum facts_action { FACTS_ADD = 0, FACTS_CORRECT = 1, FACTS_DELETE = 2 };

struct facts {
	int action;
	int64_t root;		/* seq of the record's first version (0: this one) */
	int64_t ref;		/* what it points at (an exit: its entry's root, data.entry or
				 * else ref) */
	int tz_min;
	int fever;		/* a first reading the station decided was a fever */
	int released;		/* a temperature check's fever let pass with an override
				 * reason */
	int flagged;		/* a flagged vehicle, or any record with a watchlist alert */
	char code[FACTS_CODE_MAX + 1];	/* bin: data.code; collection: data.bin; else "" */
};

/* Reads body (len bytes of JSON, as storage wrote it) of a record of kind into f.
 * fever_tenths is the threshold for bodies older than data.fever (373 for 37.3 °C).
 * 0, or -1 if the body is not a JSON object as SQLite's json_valid reads it (or its bin
 * code is over FACTS_CODE_MAX bytes): quarantined. Missing fields take defaults (action
 * "add", root 0 = the record's own seq, offset 0). A field of another type than storage
 * writes is read as SQLite's json_extract and SQL comparisons would read it (the rules the
 * SQLite store applied in SQL before they moved here), except: an offset beyond ±16 h is
 * 0; a root or ref that is no integer is read for its integer part (a string: its leading
 * digits); a bin code that is not a string is kept as written. */
int facts_read(const char *kind, const char *body, size_t len, int fever_tenths,
    struct facts *f);

#endif
