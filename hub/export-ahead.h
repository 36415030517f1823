/* export-ahead.h — an export cursor (store.h) read ahead on a second thread: the thread
 * reads the store's rows (SQLite's pages and cipher, or PostgreSQL's results and each
 * body's AEAD) and, for a spreadsheet, reads bodies into records, in batches, while the
 * caller writes the batch before; so an export uses both cores. The rows and records are
 * those of the cursor read in line, in its order. Memory is a few batches, flat. */
#ifndef OUTPOST_HUB_EXPORT_AHEAD_H
#define OUTPOST_HUB_EXPORT_AHEAD_H

#include "base/err.h"
#include "hub/store.h"
#include "storage/record.h"

/* One row of the export, as hubstore_export_next gave it (row's strings are copies the
 * item owns; row.body is NULL once the body was read into rec), with, if asked for, its
 * body read into rec (storage's export_record_from_body, then rec.seq and rec.created_ms
 * from the row: what the station export would show). */
struct export_item {
	struct hub_export_row row;
	int decoded;		/* 1: rec holds it; -1: the body is not a record (left out) */
	struct record rec;
};

/* Bodies read into records (csv, xlsx): items come with decoded 1 or -1. */
#define EXPORT_AHEAD_DECODE 0x1
/* No thread: each batch is read when the caller asks for it (the same items, in line). */
#define EXPORT_AHEAD_INLINE 0x2
/* With DECODE, where the bodies are read: by default the read-ahead thread reads a batch's
 * bodies when the caller is behind (batches wait for it) and leaves them to the caller's
 * thread otherwise, so the two threads' work evens out on either backend; these force one
 * side (for tests: every way must give the same items). */
#define EXPORT_AHEAD_DECODE_AHEAD 0x4
#define EXPORT_AHEAD_DECODE_CALLER 0x8

struct export_ahead;
/* Starts reading cursor c (the caller's still, open until after export_ahead_close; make
 * no call on c or its store meanwhile: the thread owns them). E_IO if no thread or memory;
 * *out is the caller's: close it. */
int export_ahead_open(struct hub_export *c, int flags, struct export_ahead **out,
    struct err *e);
/* The next item into *it (borrowed until the next call): 1, 0 at the end, or -1 with e (the
 * cursor's error, at the point it happened: every item before it was given). */
int export_ahead_next(struct export_ahead *a, const struct export_item **it, struct err *e);
/* Stops the thread (wherever it is: an export ended early by a write error stops within a
 * batch) and frees a; the cursor stays open. NULL is fine. */
void export_ahead_close(struct export_ahead *a);

#endif
