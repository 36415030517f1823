/* facts.h — what the hub's reports need from one record body, read in C (the PostgreSQL
 * store never sees a body in clear, so it cannot ask the database): the envelope (action,
 * root, ref, offset), and the decisions the station stored (fever, release despite fever,
 * flags), the bin code of a bin or collection. Strict and bounded; never allocates. */
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
 * 0, or -1 if the body is not JSON (quarantined); missing fields take defaults (action
 * "add", root the record's own seq, offset 0), as the SQLite store reads them. */
int facts_read(const char *kind, const char *body, size_t len, int fever_tenths,
    struct facts *f);

#endif
