/* screen.h — a screen is a struct of function pointers with its own key table; key
 * handlers return flags and only the main loop redraws (tmux window modes, htop panels). */
#ifndef OUTPOST_SCREEN_H
#define OUTPOST_SCREEN_H

#include <stddef.h>

#include "tui/keys.h"

struct app;

/* What a handler asks of the main loop. */
#define TUI_REDRAW	0x1	/* draw again */
#define TUI_DONE	0x2	/* this screen is finished: pop it */
#define TUI_QUIT	0x4	/* leave the program */
#define TUI_BELL	0x8	/* ring the bell (an alert that must not be missed) */
#define TUI_UNHANDLED	0x10	/* the key meant nothing here */

struct screen {
	const char *name;			/* untranslated title (N_()) */
	const struct key_binding *keys;		/* this screen's keys; drawn in the key bar */
	void (*enter)(struct app *);		/* pushed or shown again; may be NULL */
	void (*leave)(struct app *);		/* popped; may be NULL */
	void (*draw)(struct app *);		/* draws the body (rows app_body_top..bottom) */
	int (*key)(struct app *, int key);	/* keys not in the table (typing); may be NULL */
	void (*resize)(struct app *);		/* the terminal size changed; may be NULL */
	int (*tick)(struct app *);		/* about once a second; may be NULL */
	void (*wipe)(struct app *);		/* locking: forget what the screen showed */
	/* whether binding b of keys is offered now (e.g. no Delete for a deleted record): one
	 * that is not is neither run nor shown in the key bar or help; NULL: all are */
	int (*offers)(struct app *, const struct key_binding *b);
	int secure;				/* may be shown while locked (no personal data) */
	size_t size;				/* bytes of state the app keeps for it while it is
						 * on the stack (zeroed when pushed, wiped when
						 * popped); see app_data */
};

/* The screens; each is defined in its tui/screen-NAME.c. */
extern const struct screen screen_unlock, screen_setup, screen_signin, screen_main,
    screen_inside, screen_search, screen_detail, screen_bins, screen_report,
    screen_settings, screen_sync, screen_help;

#endif
