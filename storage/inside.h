/* inside.h — gate: the visitors inside now (inside.c keeps the table, query.c reads it). */
#ifndef OUTPOST_INSIDE_H
#define OUTPOST_INSIDE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "storage/query.h"

/* Gate: visitors whose entry (latest version, not deleted) has no exit, oldest first. */
int rec_inside_now(struct logbook *lb, rec_cb cb, void *arg, struct err *e);
/* How many visitors are inside now (for a status bar); 0 on error. */
int64_t rec_inside_count(struct logbook *lb);
/* Whether a visitor with this (normalized) ID number is inside now, other than the record
 * except_root (0: none): 1 with *seq its entry's root seq, 0 if not, -1 on error (e set). */
int rec_inside_find(struct logbook *lb, const char *id_number, int64_t except_root, int64_t *seq,
    struct err *e);

#endif
