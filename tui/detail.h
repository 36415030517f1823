/* detail.h — opening one record's detail screen (history and correction). */
#ifndef OUTPOST_DETAIL_H
#define OUTPOST_DETAIL_H

#include <stdint.h>

struct app;

/* Pushes the detail screen for the record that version seq belongs to. */
void detail_open(struct app *a, int64_t seq);

#endif
