/* status.h — the text of the status bar: station and operator on the left; records
 * waiting for sync, link state and the clock on the right. */
#ifndef OUTPOST_STATUS_H
#define OUTPOST_STATUS_H

#include <stddef.h>

struct app;

/* Fills buf with "station · operator" (or the program name while locked). */
void status_left(struct app *a, char *buf, size_t n);
/* Fills buf with "waiting N · link · HH:MM". */
void status_right(struct app *a, char *buf, size_t n);

#endif
