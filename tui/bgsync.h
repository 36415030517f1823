/* bgsync.h — syncing with the district hub from the TUI's main loop: the station client of
 * sync/ stepped without blocking between keys, kicked after each saved record, and its
 * state for the status bar. A logbook not enrolled with a hub simply stays offline. */
#ifndef OUTPOST_BGSYNC_H
#define OUTPOST_BGSYNC_H

#include <stddef.h>

struct app;

/* After the logbook opens: loads the station's sync identity; if it has one, starts the
 * client (a pass now and then every minute). */
void bgsync_start(struct app *a);
/* Does what is due without waiting (called every turn of the main loop); returns 1 if the
 * status bar's text may have changed. */
int bgsync_step(struct app *a);
/* Starts a pass now (after a record is saved). */
void bgsync_kick(struct app *a);
/* Before the logbook closes: drops the link and wipes the keys. */
void bgsync_stop(struct app *a);
/* The link state for the status bar ("offline", "link up", "revoked"…), translated. */
const char *bgsync_text(struct app *a, char *buf, size_t n);

#endif
