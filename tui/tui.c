/* tui.c — `outpost` with no subcommand: options, language, the global keys, and the first
 * screen (setup when there is no logbook yet, else unlock). */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/mono.h"
#include "base/lang.h"
#include "storage/logbook.h"
#include "tui/app.h"
#include "tui/loop.h"
#include "tui/tui.h"

static int
tui_help(struct app *a)
{
	if (app_top(a) != &screen_help)
		app_push(a, &screen_help);
	return TUI_REDRAW;
}

static int
tui_lock(struct app *a)
{
	if (a->lb == NULL || a->locked || app_top(a)->secure)
		return TUI_UNHANDLED;
	app_lock(a);
	return TUI_REDRAW;
}

static int
tui_quit(struct app *a)
{
	/* typing is never lost to one key: F10 with a form half-filled asks first */
	if (a->unsaved && !a->quit_armed) {
		a->quit_armed = 1;
		app_message(a, ROLE_WARN, "%s", a->unsaved_msg != NULL ? _(a->unsaved_msg) :
		    _("A form holds typing not saved: F10 again quits and loses it; any other key "
		    "goes on."));
		return TUI_REDRAW | TUI_BELL;
	}
	return TUI_QUIT;
}

const struct key_binding app_global_keys[] = {
	{ TK(KEY_F(1)), TK_CTRL('G'), tui_help, N_("Help"),
	    N_("Every key of this screen, on one screen"), 0 },
	{ TK(KEY_F(12)), TK_CTRL('L'), tui_lock, N_("Lock"),
	    N_("Lock now: the screen is wiped until the passphrase is typed again"), 0 },
	{ TK(KEY_F(10)), TK_CTRL('Q'), tui_quit, N_("Quit"), N_("Leave outpost"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

static int
tui_usage(void)
{
	fprintf(stderr, "%s\n", _("usage: outpost [--db PATH] [--lang en|zh]"));
	return E_USAGE;
}

int
tui_main(int argc, char **argv, const char *default_db)
{
	struct app a;
	struct err e = { 0 };
	int64_t start_us;
	const char *db = default_db, *lang = NULL, *s;
	int i, rc;

	start_us = mono_us();
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			db = argv[i] + 5;
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
		else
			return tui_usage();
	}
	if (lang != NULL && lang_set(lang) != 0)
		return tui_usage();
	memset(&a, 0, sizeof a);
	if ((s = getenv("OUTPOST_TUI_TRACE")) != NULL && s[0] != '\0') {
		if ((a.trace = fopen(s, "we")) != NULL)
			setvbuf(a.trace, NULL, _IOLBF, 0);	/* whole lines, as they come */
		a.trace_start = start_us;
	}
	a.db_path = db;
	a.kdf = logbook_kdf_parse("default");
	if ((s = getenv("OUTPOST_KDF")) != NULL && logbook_kdf_parse(s) >= 0)
		a.kdf = logbook_kdf_parse(s);
	/* a mistyped override is said before anything else, not taken for another value */
	if (app_env(&a, &e) != E_OK) {
		fprintf(stderr, "outpost: %s\n", e.msg);
		return e.code;
	}
	app_idle_apply(&a);	/* until a logbook is open: its setting then */
	/* a file that is no logbook is said plainly, before the screen is taken over */
	if (access(db, F_OK) == 0 && logbook_probe_file(db, &e) != E_OK) {
		fprintf(stderr, "outpost: %s\n", e.msg);
		return e.code;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "outpost: %s\n",
		    _("the full-screen app needs a terminal; see outpost --help for commands"));
		return E_USAGE;
	}
	if (access(db, F_OK) == 0) {
		a.locked = 1;
		app_push(&a, &screen_unlock);
	} else
		app_push(&a, &screen_setup);
	rc = loop_run(&a);
	app_clear(&a);	/* every screen's leave runs and forgets its data */
	app_close(&a);
	if (a.trace != NULL) {
		struct rusage ru;

		if (getrusage(RUSAGE_SELF, &ru) == 0)
			fprintf(a.trace, "rss_max_kb %ld\n", ru.ru_maxrss);
		fclose(a.trace);
	}
	if (a.gone)
		fprintf(stderr, "outpost: %s\n",
		    _("the terminal went away (end of input): the logbook was locked and closed"));
	else if (rc != 0)
		fprintf(stderr, "outpost: %s\n", _("could not start the terminal"));
	return rc;
}
