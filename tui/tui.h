/* tui.h — the full-screen terminal app: `outpost` with no subcommand. */
#ifndef OUTPOST_TUI_H
#define OUTPOST_TUI_H

/* Runs the app. argv[1..] may hold --db PATH and --lang en|zh; default_db is the logbook
 * path when --db is absent. Expects setlocale and bindtextdomain done (cli/main.c does).
 * Takes over the terminal until the person quits; prints nothing while curses is up, and
 * any closing error after endwin. Returns an exit code (base/err.h). Environment, for
 * tests: OUTPOST_KDF=test-cheap makes first-run setup use the cheap KDF profile;
 * OUTPOST_IDLE_SECONDS sets the idle time before the screen locks, overriding the
 * station setting idle_lock_minutes (default 5; 0 never); OUTPOST_CACHE_KIB the page cache
 * (a mistyped value of either is refused, exit 4, before the terminal is touched); for the
 * benchmark, OUTPOST_TUI_TRACE=PATH writes the time to the first screen, each key's time to
 * screen and the peak RSS to PATH (timings only, never what was typed). */
int tui_main(int argc, char **argv, const char *default_db);

#endif
