/* cli.h — what the subcommands of outpost and outpost-hub share: the command table entry,
 * common options, reading secrets, opening the logbook, and reporting errors. */
#ifndef OUTPOST_CLI_H
#define OUTPOST_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <sqlite3.h>

#include "base/err.h"
#include "crypto/vault.h"

struct command {
	const char *name;
	const char *usage;	/* arguments after the name, for --help and the man page */
	const char *summary;
	int (*run)(int argc, char **argv);	/* argv[0] is the command name */
};

/* A program: its name, its command table, and the lines --help puts before and after the
 * table (msgids; "" is a blank line; NULL ends each list). */
struct program {
	const char *name;
	const struct command *cmds;
	size_t ncmds;
	const char *const *head;
	const char *const *tail;
};
/* Starts gettext and libsodium and makes p the program of cli_usage_of and messages. */
int cli_start(const struct program *p);
/* Prints --help from p's table. */
void cli_help(const struct program *p, FILE *f);
/* Handles --help, --version or the subcommand argv[1] names (an unknown one: help on
 * stderr and E_USAGE): returns 1 with *rc set. Returns 0 if argv names no subcommand
 * (none given, or an option first), for the program to decide. */
int cli_dispatch(const struct program *p, int argc, char **argv, int *rc);

/* Options every subcommand of outpost takes. */
struct cli_opts {
	const char *db;			/* --db PATH, else the default path */
	const char *passphrase_file;	/* --passphrase-file PATH: first line */
	int recovery;			/* --recovery-key: the secret is the recovery key */
	const char *format;		/* --format, where the command prints data */
};

/* Long options shared by every subcommand; append to a command's own with CLI_OPTS. */
enum { OPT_DB = 0x100, OPT_PASSFILE, OPT_RECOVERY, OPT_FORMAT, OPT_CLI_LAST };
#define CLI_OPTS \
	{ "db", required_argument, NULL, OPT_DB }, \
	{ "passphrase-file", required_argument, NULL, OPT_PASSFILE }, \
	{ "recovery-key", no_argument, NULL, OPT_RECOVERY }, \
	{ "format", required_argument, NULL, OPT_FORMAT }

/* Handles one of the CLI_OPTS; returns 1 if c was one of them, 0 if not. */
int cli_common_opt(int c, const char *arg, struct cli_opts *o);

/* Parses a command line that has only the common options and exactly nargs operands
 * (left at argv[optind]...). Returns E_OK, or prints the usage and returns E_USAGE. */
int cli_parse_common(int argc, char **argv, struct cli_opts *o, int nargs);

/* Prints "outpost NAME: usage: outpost NAME USAGE" for the running command to stderr
 * and returns E_USAGE. */
int cli_usage(const char *name);

/* The logbook path: o->db, else $XDG_DATA_HOME/outpost/logbook.db, else
 * ~/.local/share/outpost/logbook.db. Returns a static buffer. */
const char *cli_db_path(const struct cli_opts *o);

/* Reads a secret: the first line of file if file is not NULL, else from the terminal
 * without echo after prompt. *out is sodium_malloc memory the caller frees with
 * cli_secret_free. Returns E_OK, or E_USAGE/E_IO with e set. */
int cli_read_secret(const char *file, const char *prompt, char **out, size_t *len,
    struct err *e);
void cli_secret_free(char *s);

/* Unlocks the logbook of o, asking for the secret as o says (a typed recovery key is
 * recognised at the passphrase prompt too). */
int cli_unlock(const struct cli_opts *o, struct vault **v, struct err *e);
/* Unlocks the logbook of o (asking for the secret as o says) and opens its database.
 * A typed recovery key is recognised at the passphrase prompt too. */
int cli_open(const struct cli_opts *o, struct vault **v, sqlite3 **db, struct err *e);
/* Closes what cli_open opened; NULLs are fine. */
void cli_close(struct vault *v, sqlite3 *db);

/* Reads a new passphrase: from file, or typed twice at the terminal. */
int cli_read_new_secret(const char *file, char **out, size_t *len, struct err *e);

/* Creates the directories above path (mode 0700) if they are missing. */
int cli_make_parent(const char *path, struct err *e);

/* Prints e to stderr as "outpost: MESSAGE" (escaped as cli_term does) and returns e->code. */
int cli_fail(const struct err *e);

/* s made safe for a terminal (base/text.h text_escape): s itself when it is clean, else an
 * escaped copy in one of 8 static buffers that the 9th call reuses. NULL gives "". */
const char *cli_term(const char *s);

/* Set by main: the running subcommand, for messages. */
void cli_set_command(const char *name);
/* Defined by each program's main: the usage string of a subcommand, or NULL. */
const char *cli_usage_of(const char *name);

/* The program name for messages ("outpost" or "outpost-hub"). */
extern const char *cli_progname;

#endif
