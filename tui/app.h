/* app.h — the one context of the terminal app, passed explicitly to every screen: the open
 * logbook, the screen stack, the status and alert lines, the terminal's size. */
#ifndef OUTPOST_APP_H
#define OUTPOST_APP_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "tui/screen.h"

struct logbook;
struct sync_client;

#define APP_STACK 8
/* The app's SQLite page cache (KiB), set by app_open and setup: small enough that the whole
 * process stays under 16 MiB at a million records (bench/README.md), large enough for today's
 * log and the search index's upper levels. OUTPOST_CACHE_KIB overrides it (benchmarks). */
#define APP_CACHE_KIB 4096

/* Colour roles; app_attr turns one into attributes (colour or a monochrome fallback). */
enum app_role {
	ROLE_NORMAL = 0,
	ROLE_BAR,	/* status bar and key bar */
	ROLE_KEY,	/* the key names in the key bar */
	ROLE_ALERT,	/* fever, watchlist: must not be missed */
	ROLE_WARN,	/* a warning beside a field, an overdue bin */
	ROLE_OK,	/* a check that passed */
	ROLE_FIELD,	/* an input field */
	ROLE_SELECT,	/* the selected row */
	ROLE_TITLE,	/* headings */
	ROLE_DIM,	/* hints */
	ROLE_COUNT
};

struct app {
	/* the logbook: all NULL while locked */
	const char *db_path;
	int kdf;			/* for a logbook made by first-run setup */
	struct logbook *lb;		/* owns the unlocked file and its connection */
	int kind;			/* enum station_kind, once open */
	char station[72];

	/* the screen stack: stack[depth-1] is shown */
	const struct screen *stack[APP_STACK];
	void *data[APP_STACK];		/* each screen's state (struct screen's size) */
	int depth;

	/* terminal */
	int rows, cols;
	int colour;			/* colours in use (not NO_COLOR, terminal has them) */
	int fkeys;			/* F-keys arrive as terminfo says: the bar shows them;
					 * 0: the bar shows Ctrl mnemonics (key_shown) */
	int cursor_y, cursor_x;		/* where the draw put the cursor; -1: hidden */
	int dirty;

	/* lines every screen shares */
	char message[256];		/* bottom line: what just happened */
	int message_role;
	char alert[256];		/* alert line under the status bar */
	int alert_role;

	/* locking */
	int64_t last_input;		/* monotonic ms of the last key */
	int idle_lock_s;		/* 0: never; see app_idle_apply */
	int idle_env_s;			/* OUTPOST_IDLE_SECONDS (tests), or -1 when unset */
	int cache_env_kib;		/* OUTPOST_CACHE_KIB (benchmarks), or 0 when unset */
	int locked;
	int quit;
	int gone;			/* the terminal went away (end of input): exit E_IO */
	int unsaved;			/* something F10 would lose: typing not saved (screen-main.c),
					 * a recovery key not yet confirmed (screen-setup.c) */
	const char *unsaved_msg;	/* what F10 says then (N_()), NULL: unsaved typing */
	int quit_armed;			/* F10 once with unsaved typing: again quits */

	/* the hub link (tui/bgsync.c); NULL when the logbook is not enrolled or is locked */
	struct sync_client *sync;
	int sync_state;

	/* OUTPOST_TUI_TRACE (bench/tui.sh): timings only, never what was typed */
	FILE *trace;
	int64_t trace_start;		/* monotonic µs at start, until the first paint */
};

/* Pushes s on the stack with fresh zeroed state and calls its enter; if the state cannot
 * be had, says so on the message line and leaves the stack as it was. */
void app_push(struct app *a, const struct screen *s);
/* Pops the top screen (calls its leave, then wipes and frees its state); the one below is
 * entered again. */
void app_pop(struct app *a);
/* Pops every screen (each one's leave runs). */
void app_clear(struct app *a);
/* Replaces the whole stack with s. */
void app_reset(struct app *a, const struct screen *s);
/* The state of screen s, which must be on the stack (its handlers run only then). */
void *app_data(const struct app *a, const struct screen *s);
/* The shown screen. */
const struct screen *app_top(const struct app *a);

/* Sets the message line (printf-like, already translated text). */
void app_message(struct app *a, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets or clears (NULL) the alert line. */
void app_alert(struct app *a, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Opens the logbook at a->db_path with a secret; on success a->lb is set.
 * E_LOCKED for a wrong secret, nothing else changes. */
int app_open(struct app *a, const char *secret, size_t len, struct err *e);
/* Reads the environment's overrides into a: OUTPOST_IDLE_SECONDS (0 to APP_IDLE_ENV_MAX,
 * 0 never; unset or empty: -1) and OUTPOST_CACHE_KIB (64 to APP_CACHE_ENV_MAX; unset or
 * empty: 0). A value that is not a whole number in range is E_INVALID naming the
 * variable, and changes nothing. */
#define APP_IDLE_ENV_MAX 86400
#define APP_CACHE_ENV_MAX (4 << 20)
int app_env(struct app *a, struct err *e);
/* Sets the page cache of a->lb to APP_CACHE_KIB (or OUTPOST_CACHE_KIB, see app_env). */
int app_set_cache(struct app *a, struct err *e);
/* Closes the logbook (wiping the key). */
void app_close(struct app *a);
/* Locks: the screens above the bottom one leave (forgetting their data), the bottom one
 * wipes what it showed, the logbook is closed, the unlock screen is pushed. */
void app_lock(struct app *a);

/* Sets a->idle_lock_s from the station setting idle_lock_minutes (0: never), or from
 * a->idle_env_s when that is set (>= 0: the test override wins); 300 s while no logbook is
 * open. Called when the logbook opens and when the setting is saved. */
void app_idle_apply(struct app *a);


/* Whether binding b (of screen s's table, or of app_global_keys when s is NULL) applies to
 * this station's kind and is offered by s now (struct screen's offers). */
int app_offers(struct app *a, const struct screen *s, const struct key_binding *b);

/* The attributes of a colour role. */
int app_attr(const struct app *a, int role);

/* Body rows: the first and last row a screen's draw may use. */
int app_body_top(const struct app *a);
int app_body_bottom(const struct app *a);

/* Global keys (help, lock, quit), shown after the screen's in the key bar. */
extern const struct key_binding app_global_keys[];

#endif
