/* keys.h — keys as one int, and key tables { key, action, label } from which the key bar
 * and the help screen are both drawn, so the keys, the bar and the help never disagree. */
#ifndef OUTPOST_KEYS_H
#define OUTPOST_KEYS_H

/* A key is a character (its code point) or a curses key code with TK_FN set. */
#define TK_FN		0x1000000
#define TK(k)		(TK_FN | (k))
#define TK_CTRL(c)	((c) & 0x1f)
#define TK_ESC		27
#define TK_TAB		'\t'
#define TK_ENTER	'\n'

struct app;

/* One binding: pressed key or its alternative (a Ctrl mnemonic for terminals without
 * F-keys) runs action. label is the short key-bar word, help the F1 sentence (both
 * untranslated; NULL help means the label). A table ends with key 0. A binding for some
 * station kinds only is neither shown nor run at the others. */
struct key_binding {
	int key;
	int alt;
	int (*action)(struct app *);
	const char *label;
	const char *help;
	unsigned only;		/* the station kinds it is for, as 1 << enum station_kind;
				 * 0: every kind */
};

/* Normalises what get_wch returned (rc OK or KEY_CODE_YES) into a key: Enter keys become
 * TK_ENTER, the backspace variants TK(KEY_BACKSPACE). */
int key_from_curses(int rc, unsigned int wch);

/* Whether b is for a station of kind (enum station_kind; 0 while none is open). */
int key_applies(const struct key_binding *b, int kind);
/* The binding of key in table that applies to kind, or NULL. */
const struct key_binding *key_find(const struct key_binding *table, int key, int kind);

/* Whether the F-keys of a terminal of type term can be trusted to arrive as terminfo says:
 * not on vt100-class terminals and the linux console, whose descriptions rarely match what
 * the emulator or SSH client sends (vt100 has no F5-F12, tmux sends F1 as ESC O P to a
 * linux pane that expects ESC [ [ A). */
int key_fkeys_trusted(const char *term);
/* The key the key bar shows for b: its F-key while fkeys is set and the terminal has that
 * key (curses has_key), else its Ctrl mnemonic. Needs curses started. */
int key_shown(const struct key_binding *b, int fkeys);
/* Whether ESC followed by the n characters of seq is complete: an SS3 (ESC O x), a CSI
 * (ESC [ params final) or the linux console's ESC [ [ x; any other first character is not
 * a sequence (done at once). Used to swallow sequences curses does not know, so they are
 * never typed into a field. */
int key_seq_done(const int *seq, int n);

/* A short name for a key: "F2", "^S", "Esc", "Enter", "a". Static buffer. */
const char *key_name(int key);

#endif
