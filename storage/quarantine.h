/* quarantine.h — what this station holds or was sent and cannot take, put aside so that
 * everything else flows: records whose stored body does not decode (read around by every
 * list, search, report and export, and counted), and watchlist entries and settings from
 * the hub that do not decode or fail their check (kept with the reason, never applied). */
#ifndef OUTPOST_QUARANTINE_H
#define OUTPOST_QUARANTINE_H

#include <stdint.h>

#include "base/err.h"
#include "storage/logbook.h"

#define QUARANTINE_FIRST 8

struct quarantine_status {
	int64_t records;		   /* records whose body cannot be read */
	int64_t first[QUARANTINE_FIRST];   /* the first of their seqs, ascending */
	int nfirst;
	int64_t items;			   /* hub items put aside */
};

/* Reads every record and counts those that cannot be decoded, and counts the items put
 * aside. E_IO only if SQLite fails; an unreadable record is a count, not an error. */
int quarantine_scan(struct logbook *lb, struct quarantine_status *q, struct err *e);

/* Records left out of reads on lb since it was opened (a list, a search, a report). */
int64_t quarantine_skipped(const struct logbook *lb);

/* Puts aside an item from the hub: what is "watchlist" or "setting", key its key as sent
 * (escaped with text_escape before it is stored), version the hub's, reason why it was not
 * taken. Kept once per (what, key, version). */
int quarantine_item(struct logbook *lb, const char *what, const char *key, int64_t version,
    const char *reason, struct err *e);

/* Calls cb for every item put aside, oldest first; cb returns nonzero to stop. */
int quarantine_items(struct logbook *lb,
    int (*cb)(const char *what, const char *key, int64_t version, const char *reason,
	void *arg),
    void *arg, struct err *e);

#endif
