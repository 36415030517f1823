/* keys.c — key normalisation, lookup in key tables and key names (see keys.h). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/keys.h"

int
key_from_curses(int rc, unsigned int wch)
{
	if (rc == KEY_CODE_YES) {
		switch (wch) {
		case KEY_ENTER:
			return TK_ENTER;
		case KEY_BACKSPACE:
			return TK(KEY_BACKSPACE);
		}
		return TK((int)wch);
	}
	switch (wch) {
	case '\r':
		return TK_ENTER;
	case 127:
	case 8:
		return TK(KEY_BACKSPACE);
	}
	return (int)wch;
}

int
key_applies(const struct key_binding *b, int kind)
{
	return b->only == 0 || (kind > 0 && kind < 32 && (b->only & (1u << kind)) != 0);
}

const struct key_binding *
key_find(const struct key_binding *table, int key, int kind)
{
	if (table == NULL || key == 0)
		return NULL;
	for (; table->key != 0; table++)
		if ((table->key == key || (table->alt != 0 && table->alt == key)) &&
		    key_applies(table, kind))
			return table;
	return NULL;
}

int
key_fkeys_trusted(const char *term)
{
	static const char *const untrusted[] = {
		"vt52", "vt100", "vt102", "vt220", "linux", "ansi", "dumb", "cons25", NULL
	};
	size_t i, n;

	if (term == NULL || term[0] == '\0')
		return 0;
	for (i = 0; untrusted[i] != NULL; i++) {
		n = strlen(untrusted[i]);
		/* the name and its variants: vt100-am, linux-16color, vt220-8bit */
		if (strncmp(term, untrusted[i], n) == 0 && (term[n] == '\0' || term[n] == '-'))
			return 0;
	}
	return 1;
}

int
key_shown(const struct key_binding *b, int fkeys)
{
	int k = b->key & ~TK_FN;

	if (b->alt == 0 || !(b->key & TK_FN) || k < KEY_F(0) || k > KEY_F(63))
		return b->key;
	return fkeys && has_key(k) ? b->key : b->alt;
}

int
key_seq_done(const int *seq, int n)
{
	if (n < 1)
		return 0;
	if (seq[0] == 'O')		/* SS3: one final character (vt100 F1 is ESC O P) */
		return n >= 2;
	if (seq[0] != '[')		/* not a sequence at all */
		return 1;
	if (n >= 2 && seq[1] == '[')	/* the linux console's ESC [ [ A */
		return n >= 3;
	/* CSI: parameters and intermediates 0x20-0x3f, then one final 0x40-0x7e */
	return n >= 2 && seq[n - 1] >= 0x40 && seq[n - 1] <= 0x7e;
}

const char *
key_name(int key)
{
	static char buf[16];
	int k;

	if (key & TK_FN) {
		k = key & ~TK_FN;
		if (k >= KEY_F(1) && k <= KEY_F(24)) {
			snprintf(buf, sizeof buf, "F%d", k - KEY_F(0));
			return buf;
		}
		switch (k) {
		case KEY_UP: return "Up";
		case KEY_DOWN: return "Down";
		case KEY_LEFT: return "Left";
		case KEY_RIGHT: return "Right";
		case KEY_HOME: return "Home";
		case KEY_END: return "End";
		case KEY_NPAGE: return "PgDn";
		case KEY_PPAGE: return "PgUp";
		case KEY_BTAB: return "S-Tab";
		case KEY_DC: return "Del";
		case KEY_BACKSPACE: return "Bksp";
		}
		snprintf(buf, sizeof buf, "#%d", k);
		return buf;
	}
	switch (key) {
	case TK_ESC: return "Esc";
	case TK_ENTER: return "Enter";
	case TK_TAB: return "Tab";
	case ' ': return "Space";
	}
	if (key > 0 && key < 32) {
		snprintf(buf, sizeof buf, "^%c", key + '@');
		return buf;
	}
	if (key < 128) {
		snprintf(buf, sizeof buf, "%c", key);
		return buf;
	}
	snprintf(buf, sizeof buf, "U+%04X", (unsigned)key);
	return buf;
}
