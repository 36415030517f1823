/* loop.c — the one place that reads keys and redraws: KEY_RESIZE is handled here once for
 * every screen, keys go to the shown screen's table, then its typing handler, then the
 * global keys; once a second every screen ticks and the idle timer may lock. */
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mono.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/bgsync.h"
#include "tui/loop.h"

#define MIN_ROWS 24
#define MIN_COLS 80

static volatile sig_atomic_t loop_signal;

static void
loop_on_signal(int sig)
{
	loop_signal = sig;
}

/* Whether the terminal has gone: get_wch said "nothing" although input is ready at once
 * (read() at end of input returns 0, a pty whose other side closed gives EIO and POLLHUP).
 * Without a SIGHUP nothing else tells us, and get_wch would return at once forever. */
static int
loop_input_gone(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN, .revents = 0 };

	if (poll(&p, 1, 0) < 0)
		return errno != EINTR && errno != EAGAIN;
	return (p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

/* get_wch, except that an escape sequence curses does not know (vt100's ESC [ 1 5 ~ for
 * a key it calls F5, the linux console's F-keys from another emulator) is swallowed whole
 * rather than typed into a field: it returns OK with key 0 for it (as for Ctrl-@, which
 * means nothing here either), and from then on the key bar shows the Ctrl mnemonics,
 * which work everywhere. */
static int
loop_get_key(struct app *a, wint_t *wch)
{
	int seq[16], n = 0, rc, r;
	wint_t c;

	rc = get_wch(wch);
	if (rc != OK || *wch != TK_ESC)
		return rc;
	timeout(25);	/* the rest of a sequence follows at once; a lone Esc does not */
	while (n < (int)(sizeof seq / sizeof seq[0])) {
		r = get_wch(&c);
		if (r == ERR)
			break;
		if (r != OK || (n == 0 && c != '[' && c != 'O')) {
			/* Esc then a key of its own (Alt-x, Esc typed before a letter) */
			if (r == KEY_CODE_YES)
				ungetch((int)c);
			else
				unget_wch((wchar_t)c);
			break;
		}
		seq[n++] = (int)c;
		if (key_seq_done(seq, n))
			break;
	}
	timeout(200);
	if (n == 0)
		return rc;	/* a plain Esc */
	a->fkeys = 0;
	app_message(a, ROLE_WARN,
	    _("This terminal sent a key outpost does not know; use the Ctrl keys in the bar."));
	*wch = 0;
	return OK;
}

/* This thread's CPU time in microseconds, for OUTPOST_TUI_TRACE: a key's own work, without
 * the time the machine gave to others meanwhile. */
static int64_t
loop_cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
loop_colours(struct app *a)
{
	const char *nc = getenv("NO_COLOR");

	a->colour = 0;
	if ((nc != NULL && nc[0] != '\0') || !has_colors())
		return;
	start_color();
	use_default_colors();
	init_pair(ROLE_BAR, COLOR_WHITE, COLOR_BLUE);
	init_pair(ROLE_KEY, COLOR_YELLOW, COLOR_BLUE);
	init_pair(ROLE_ALERT, COLOR_WHITE, COLOR_RED);
	init_pair(ROLE_WARN, COLOR_YELLOW, -1);
	init_pair(ROLE_OK, COLOR_GREEN, -1);
	init_pair(ROLE_FIELD, COLOR_CYAN, -1);
	init_pair(ROLE_SELECT, COLOR_BLACK, COLOR_CYAN);
	init_pair(ROLE_TITLE, COLOR_CYAN, -1);
	init_pair(ROLE_DIM, COLOR_WHITE, -1);
	a->colour = 1;
}

void
loop_paint(struct app *a)
{
	const struct screen *s = app_top(a);
	char buf[128];

	erase();
	a->cursor_y = a->cursor_x = -1;
	if (a->rows < MIN_ROWS || a->cols < MIN_COLS) {
		snprintf(buf, sizeof buf, _("Make the terminal at least %d×%d (now %d×%d)."),
		    MIN_COLS, MIN_ROWS, a->cols, a->rows);
		draw_str(0, 0, a->cols, buf, A_BOLD, 0);
	} else {
		if (s != NULL && s->draw != NULL)
			s->draw(a);
		draw_frame(a);
	}
	if (a->cursor_y >= 0) {
		curs_set(1);
		move(a->cursor_y, a->cursor_x);
	} else
		curs_set(0);
	refresh();
	a->dirty = 0;
}

static void
loop_flags(struct app *a, int flags)
{
	if (flags & TUI_BELL)
		beep();
	if (flags & TUI_DONE)
		app_pop(a);
	if (flags & TUI_QUIT)
		a->quit = 1;
	if (flags & (TUI_REDRAW | TUI_DONE | TUI_BELL))
		a->dirty = 1;
}

static int
loop_dispatch(struct app *a, int key)
{
	const struct screen *s = app_top(a);
	const struct key_binding *b;
	int r;

	if (key != TK(KEY_F(10)) && key != TK_CTRL('Q'))
		a->quit_armed = 0;	/* "F10 again quits": any other key goes on */
	if (a->rows < MIN_ROWS || a->cols < MIN_COLS) {
		/* nothing can be seen: only locking and quitting act, nothing is typed unseen */
		if ((b = key_find(app_global_keys, key, a->kind)) != NULL && b->action != NULL &&
		    b != &app_global_keys[0])
			return b->action(a) | TUI_REDRAW;
		return TUI_BELL;
	}
	if ((b = key_find(s->keys, key, a->kind)) != NULL && b->action != NULL &&
	    app_offers(a, s, b))
		return b->action(a) | TUI_REDRAW;
	if (s->key != NULL) {
		r = s->key(a, key);
		if (!(r & TUI_UNHANDLED))
			return r;
	}
	if ((b = key_find(app_global_keys, key, a->kind)) != NULL && b->action != NULL)
		return b->action(a) | TUI_REDRAW;
	return TUI_UNHANDLED;
}

static void
loop_tick(struct app *a)
{
	int i, depth = a->depth;

	for (i = 0; i < depth && i < a->depth; i++)
		if (a->stack[i]->tick != NULL)
			loop_flags(a, a->stack[i]->tick(a));
	if (!a->locked && a->lb != NULL && a->idle_lock_s > 0 && !app_top(a)->secure &&
	    mono_ms() - a->last_input > (int64_t)a->idle_lock_s * 1000)
		app_lock(a);
}

int
loop_run(struct app *a)
{
	struct sigaction sa;
	int64_t last_tick = 0, now;
	int64_t key_us, key_cpu_us;
	wint_t wch;
	int rc, i, gone = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loop_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (initscr() == NULL)
		return E_IO;
	raw();		/* Ctrl-S, Ctrl-Q and Ctrl-C are keys here, not flow control */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	timeout(200);
	loop_colours(a);
	getmaxyx(stdscr, a->rows, a->cols);
	a->fkeys = key_fkeys_trusted(getenv("TERM"));
	a->last_input = mono_ms();
	a->dirty = 1;
	while (!a->quit && loop_signal == 0 && a->depth > 0) {
		if (a->dirty) {
			loop_paint(a);
			if (a->trace != NULL && a->trace_start > 0) {
				fprintf(a->trace, "startup_ms %.3f\n",
				    (double)(mono_us() - a->trace_start) / 1000.0);
				a->trace_start = 0;	/* once: to the first screen */
			}
		}
		rc = loop_get_key(a, &wch);
		if (bgsync_step(a))
			a->dirty = 1;
		now = mono_ms();
		if (now - last_tick >= 1000) {
			last_tick = now;
			loop_tick(a);
			a->dirty = 1;
		}
		if (rc == ERR) {
			/* three in a row, so a key that arrives just as get_wch timed out is
			 * never taken for the end */
			gone = loop_input_gone() ? gone + 1 : 0;
			if (gone >= 3) {
				a->gone = 1;
				break;
			}
			continue;
		}
		gone = 0;
		if (rc == OK && wch == 0) {	/* a swallowed sequence: input, no key */
			a->last_input = now;
			a->dirty = 1;
			continue;
		}
		if (rc == KEY_CODE_YES && wch == KEY_RESIZE) {
			getmaxyx(stdscr, a->rows, a->cols);
			for (i = 0; i < a->depth; i++)
				if (a->stack[i]->resize != NULL)
					a->stack[i]->resize(a);
			clearok(curscr, TRUE);
			a->dirty = 1;
			continue;
		}
		a->last_input = now;
		a->message[0] = '\0';	/* a message stays until the next key */
		key_us = mono_us();
		key_cpu_us = loop_cpu_us();
		loop_flags(a, loop_dispatch(a, key_from_curses(rc, (unsigned)wch)) | TUI_REDRAW);
		a->last_input = mono_ms();	/* a slow unlock is not idle time */
		if (a->trace != NULL) {
			/* key to screen: the handler and the redraw it asked for */
			if (a->dirty && !a->quit)
				loop_paint(a);
			fprintf(a->trace, "key_ms %.3f %.3f\n", (double)(mono_us() - key_us) / 1000.0,
			    (double)(loop_cpu_us() - key_cpu_us) / 1000.0);
		}
	}
	if (a->gone) {
		/* nobody can see or type: lock (the screens forget what they held, the
		 * logbook is closed) and leave; nothing more is drawn on a terminal that has
		 * gone */
		app_lock(a);
		endwin();
		return E_IO;
	}
	erase();
	refresh();
	endwin();
	return 0;
}
