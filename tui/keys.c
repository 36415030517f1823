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
