/* err.h — errors as values: a code that is also the process exit code, and a message
 * for a person. Library layers fill a struct err; only cli/ and tui/ show it. */
#ifndef OUTPOST_ERR_H
#define OUTPOST_ERR_H

#include <libintl.h>

/* The translation domain of every user-facing string in the project. */
#define OUTPOST_DOMAIN "outpost"
#define _(s) dgettext(OUTPOST_DOMAIN, s)
#define N_(s) (s)

/* The exit status of outpost and outpost-hub: these codes and no others (`outpost sync`
 * with nothing to do is E_OK). ERR_EXIT_HELP is the line both programs' --help prints;
 * the EXIT STATUS sections of outpost(1) and outpost-hub(8) list the same codes
 * (tests/e2e/exit-status.sh compares the three). */
enum err_code {
	E_OK = 0,
	E_USAGE = 1,	/* bad command line */
	E_LOCKED = 2,	/* wrong passphrase or recovery key; a station the hub refused */
	E_DAMAGED = 3,	/* a page or header failed authentication, or not our file */
	E_INVALID = 4,	/* invalid input; nothing stored */
	E_IO = 5,	/* I/O or network */
};
#define ERR_EXIT_HELP N_("Exit status: 0 ok, 1 usage, 2 wrong passphrase or refused, " \
	    "3 damaged file, 4 invalid input, 5 I/O or network.")

struct err {
	int code;
	char msg[512];
};

/* What a lookup answers: yes, no, or that it could not tell (e then says why). A lookup
 * that fails is never read as "no" or "yes": callers test LOOKUP_ERROR first. */
enum lookup { LOOKUP_ERROR = -1, LOOKUP_NO = 0, LOOKUP_YES = 1 };

/* Sets e (if not NULL) to code and the formatted message; returns code. */
int err_set(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Clears e to E_OK with an empty message. */
void err_clear(struct err *e);

#endif
