/* term.c — text from a logbook or a hub store on its way to a terminal: escaped with
 * base/text.h's text_escape, so a control character or a bidi override that reached storage
 * (an older file, a peer) is shown, never obeyed. */
#include "base/text.h"
#include "cli/cli.h"

/* Enough for the longest stored text (1023 bytes) fully escaped as \xHH. */
#define TERM_BUF (4 * 1024 + 1)
#define TERM_SLOTS 8

const char *
cli_term(const char *s)
{
	static char buf[TERM_SLOTS][TERM_BUF];
	static unsigned next;
	char *b;

	if (s == NULL)
		return "";
	if (!text_needs_escape(s))
		return s;
	b = buf[next++ % TERM_SLOTS];
	return text_escape(s, b, TERM_BUF);
}
