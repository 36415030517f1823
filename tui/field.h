/* field.h — a single-line text field editor: a wide-character buffer, a cursor and a
 * scroll measured in display columns (wcwidth), so Chinese never spills past the edge.
 * Pure: no curses, unit-tested without a terminal. */
#ifndef OUTPOST_FIELD_H
#define OUTPOST_FIELD_H

#include <stddef.h>
#include <wchar.h>

#define FIELD_CAP 128	/* most characters any field holds */

/* Flags that shape what a field accepts and how it is shown. */
#define FIELD_SECRET	0x1	/* drawn as '*', never copied into a message */
#define FIELD_DIGITS	0x2	/* accepts only 0-9 and '.' */
#define FIELD_UPPER	0x4	/* a-z typed become A-Z (IDs, plates) */
#define FIELD_PINYIN	0x40	/* with FIELD_UPPER: not in a leading run of a-z (a plate's
				 * province by its pinyin, "jiG7K2Q9") */

struct field {
	wchar_t buf[FIELD_CAP + 1];	/* always NUL-terminated */
	size_t len;			/* characters in buf */
	size_t cur;			/* cursor, 0..len */
	size_t max;			/* most characters accepted, 1..FIELD_CAP */
	size_t scroll;			/* first character shown */
	int flags;
};

/* Sets f empty with a limit of max characters (clamped to FIELD_CAP) and flags. */
void field_init(struct field *f, size_t max, int flags);
/* Empties f (wiping the old contents); keeps max and flags. */
void field_clear(struct field *f);

/* Inserts c at the cursor. Returns 0, or -1 if f is full, c is not printable or the
 * flags refuse it (nothing changes then). */
int field_insert(struct field *f, wchar_t c);
/* Deletes the character before / at the cursor; returns 0, or -1 if there is none. */
int field_backspace(struct field *f);
int field_delete(struct field *f);
/* Cursor moves; each returns 0, or -1 if the cursor was already there. */
int field_left(struct field *f);
int field_right(struct field *f);
int field_home(struct field *f);
int field_end(struct field *f);
/* Deletes from the cursor to the end (Ctrl-K) / everything before it (Ctrl-U). */
void field_kill_end(struct field *f);
void field_kill_start(struct field *f);

/* Replaces the contents with UTF-8 s (cut at max); cursor at the end. Returns 0, or -1 if
 * s is not valid in the current locale (f is then empty). */
int field_set(struct field *f, const char *s);
/* Writes the contents as UTF-8 (multibyte in the current locale) into out (outsz bytes,
 * NUL-terminated). Returns the byte length, or -1 if it does not fit. */
int field_get(const struct field *f, char *out, size_t outsz);

/* Display width of one character (wcwidth, with unprintables as 1 and combining as 0). */
int field_char_width(wchar_t c);
/* Display width of the whole contents. */
int field_width(const struct field *f);

/* Lays f out in width columns (width >= 2): moves f->scroll so the cursor is visible,
 * then returns how many characters from f->scroll fit, and sets *cursor_col to the
 * cursor's column within the view. A wide character that would cross the right edge is
 * not shown. */
size_t field_layout(struct field *f, int width, int *cursor_col);

#endif
