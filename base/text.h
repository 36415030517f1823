/* text.h — what text may be stored and how it reaches a terminal. Every text field a person
 * or a peer gives is checked with text_check (strict UTF-8, no control characters, no bidi
 * overrides); anything printed to a terminal from storage goes through text_escape, so a
 * byte that slipped past (an older logbook, a peer) can never move the cursor, retitle the
 * window or reorder what is shown. */
#ifndef OUTPOST_TEXT_H
#define OUTPOST_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum text_flags {
	TEXT_MULTILINE = 1 << 0, /* line feeds allowed (handover notes) */
};

/* 1 if cp may not be stored in text: C0 controls (U+0000–001F), DEL, C1 controls
 * (U+0080–009F), the bidi embeddings and overrides U+202A–202E and isolates U+2066–2069,
 * and the line and paragraph separators U+2028–2029. */
int text_cp_refused(uint32_t cp);

/* E_OK if s is text that may be stored: strict UTF-8 and no code point text_cp_refused
 * refuses (with TEXT_MULTILINE a line feed is allowed). Else E_INVALID with a message that
 * names field (may be NULL) and says what to do; the text itself is never repeated. */
int text_check(const char *s, unsigned flags, const char *field, struct err *e);

/* Copies s into out (n bytes, always NUL-terminated when n > 0) for a terminal: a byte
 * that is not UTF-8 becomes "\xHH", a refused code point "\u{HHHH}" (a line feed "\n",
 * a tab "\t"); a character is never cut in half. Returns out. */
char *text_escape(const char *s, char *out, size_t n);

/* 1 if text_escape would change s (a fast test for the common, clean case). */
int text_needs_escape(const char *s);

#endif
