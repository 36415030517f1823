/* draw.h — drawing helpers measured in display columns (wcwidth), so Chinese and Latin text
 * line up: clipped and padded strings, fields, forms, the status and key bars. */
#ifndef OUTPOST_DRAW_H
#define OUTPOST_DRAW_H

#include "tui/app.h"
#include "tui/form.h"

/* draw_str's pad argument: bit 1 pads with spaces; DRAW_DATA marks text that is data (a
 * name, a place, what was typed) rather than ours: cut to its column with "…". Our own
 * text is never meant to be cut: when it is, draw_cut records where. */
#define DRAW_PAD	1
#define DRAW_DATA	2

/* Records that our text at y,x did not fit width columns: a line to
 * $OUTPOST_TUI_CUTS when set (positions only, never the text), for the 80x24 tests. */
void draw_cut(int y, int x, int width);

/* Draws UTF-8 s wrapped into at most maxrows rows of width columns from y,x (at spaces,
 * CJK anywhere); returns the rows used. Text that still does not fit is a cut. */
int draw_wrap(int y, int x, int width, int maxrows, const char *s, int attr);
/* The rows s needs wrapped to width. */
int draw_wrap_rows(const char *s, int width);

/* Display columns of UTF-8 s (invalid bytes count 1). */
int draw_width(const char *s);
/* Draws UTF-8 s at y,x in at most width columns with attr; pads with spaces to width if
 * pad & DRAW_PAD. What does not fit is left out (DRAW_DATA: with "…"). Returns columns
 * drawn. */
int draw_str(int y, int x, int width, const char *s, int attr, int pad);
/* Draws s right-aligned so that it ends at column x+width. */
void draw_right(int y, int x, int width, const char *s, int attr);
/* Fills a row from x with width spaces in attr. */
void draw_fill(int y, int x, int width, int attr);

/* Draws field f in width columns at y,x (secret fields as '*'); when focus is set, places
 * the app's cursor in it. */
void draw_field(struct app *a, int y, int x, int width, struct field *f, int focus);

/* Draws form fm from row y: labels (translated) right-aligned to the widest, fields of
 * field_w columns, notes after them (red when bad). One row per field. Returns the next
 * free row. */
int draw_form(struct app *a, struct form *fm, int y, int x, int field_w);

/* The name of the key that runs action in table as the key bar shows it ("F7", or "^N" on
 * a terminal without F-keys), for hints that name a key. Static buffer (key_name's). */
const char *draw_key_for(const struct app *a, const struct key_binding *table,
    int (*action)(struct app *));

/* The status bar (row 0), alert line (row 1), message line and key bar (last two rows). */
void draw_frame(struct app *a);

#endif
