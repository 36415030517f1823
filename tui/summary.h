/* summary.h — one record as one screen row: time, number, kind, then its main fields in
 * columns padded by display width, so Chinese and Latin names line up. */
#ifndef OUTPOST_SUMMARY_H
#define OUTPOST_SUMMARY_H

#include "storage/record.h"

struct app;

/* The translated name of a record kind ("Temperature", "Visitor"…). */
const char *summary_kind(int kind);
/* Whether r is worth highlighting (fever, flagged, watchlist alert, over quota). */
int summary_alert(const struct record *r);
/* Draws r in row y from column x, width w, with attr (or the alert colour). */
void summary_draw(struct app *a, int y, int x, int w, const struct record *r, int selected);

#endif
