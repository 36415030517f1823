/* cli.h — what the subcommands of outpost and outpost-hub share: the command table row
 * with its options (cli/args.c parses from it, cli/table.c prints help from it), the
 * global options, reading secrets, opening the logbook, and reporting errors. */
#ifndef OUTPOST_CLI_H
#define OUTPOST_CLI_H

#include <stdio.h>
#include <sqlite3.h>

#include "base/err.h"
#include "crypto/vault.h"

/* One option of a command, as tmux's argument templates give them: parsing, --help, the
 * usage line and the man-page test all read this row. */
struct cli_opt {
	const char *name;	/* the long name, without "--" */
	const char *arg;	/* its argument as help shows it ("PATH", "csv|jsonl"), NULL for
				 * a switch; all-lowercase alternatives a|b|c are the only
				 * values accepted */
	const char *help;	/* one line, a msgid */
	const char *alias;	/* another name also accepted (an older spelling), or NULL */
	int flags;		/* OPT_REQUIRED, OPT_REPEAT */
};
#define OPT_REQUIRED	0x1	/* the command refuses to run without it */
#define OPT_REPEAT	0x2	/* may be given more than once (cli_arg_at reads each) */

struct cli_args;

/* One command: a file's `const struct command X_entry` (tmux's cmd_entry). */
struct command {
	const char *name;
	const char *usage;	/* its operands, e.g. "DEST" or "add|remove|list" */
	const char *summary;	/* a msgid */
	const struct cli_opt *opts;	/* its own options, ending with { NULL } */
	int flags;		/* CMD_FIELDS */
	int (*run)(struct cli_args *a);
};
/* Unknown --NAME [VALUE] options are kept for the command (the fields of a record kind:
 * add, correct), which checks each against its field table. */
#define CMD_FIELDS	0x1

/* A program: its name, its global options (accepted before or after any command name),
 * its command table, the path of its data under $XDG_DATA_HOME, and the lines --help
 * puts before and after the table (msgids; "" is a blank line; NULL ends each list). */
struct program {
	const char *name;
	const struct cli_opt *globals;
	const struct command *const *cmds;
	size_t ncmds;
	const char *data_path;	/* "outpost/logbook.db" */
	const char *const *head;
	const char *const *tail;
};

/* The global options of outpost and outpost-hub (--store fills db). */
struct cli_opts {
	const char *db;			/* --db PATH (the hub's --store), else the default */
	const char *passphrase_file;	/* --passphrase-file PATH: first line */
	int recovery;			/* --recovery-key: the secret is the recovery key */
	const char *lang;		/* --lang en|zh */
	const char *format;		/* the value of a command's option named "format" */
};

/* A parsed command line: the globals, the command's options in the order given, and the
 * operands (argv[0] is the first operand, not the command name). */
struct cli_option_value {
	const struct cli_opt *opt;	/* NULL for a CMD_FIELDS option */
	const char *name;		/* as typed, without "--" (namelen bytes) */
	size_t namelen;
	const char *value;		/* NULL for a switch given without =VALUE */
};
struct cli_args {
	const struct program *prog;
	const struct command *cmd;
	struct cli_opts o;
	int argc;
	char **argv;
	struct cli_option_value *v;
	int nv;
	int help;			/* --help or -h was given */
};

/* Parses argv (argv[0] the command name) against the program's globals and cmd's options:
 * long options before or after operands, --NAME=VALUE or --NAME VALUE, aliases, choices
 * (a|b|c), required options, "--" ending the options. Returns E_OK, or E_USAGE with e
 * set to what to fix. a->o is not cleared: globals given before the command name stay.
 * a owns arrays freed by cli_args_free. */
int cli_args_parse(const struct program *p, const struct command *cmd, int argc,
    char **argv, struct cli_args *a, struct err *e);
void cli_args_free(struct cli_args *a);
/* If argv[*i] is one of p's global options, applies it to o, moves *i past its value and
 * returns 1; 0 if it is not one; -1 with e set on a bad value. */
int cli_global_parse(const struct program *p, int argc, char **argv, int *i,
    struct cli_opts *o, struct err *e);
/* The last value of option name (by its table name), or NULL if not given. */
const char *cli_arg(const struct cli_args *a, const char *name);
/* How many times option name was given (a switch: 0 or more). */
int cli_flag(const struct cli_args *a, const char *name);
/* The i-th value of a repeatable option, or NULL past the last. */
const char *cli_arg_at(const struct cli_args *a, const char *name, int i);

/* Starts gettext and libsodium and makes p the program of cli_usage and messages. */
int cli_start(const struct program *p);
/* Prints --help from p's table. */
void cli_help(const struct program *p, FILE *f);
/* Prints outpost CMD --help from its table row. */
void cli_command_help(const struct program *p, const struct command *cmd, FILE *f);
/* One line of help: "  LEFT" in 26 columns, then text wrapped to 80 columns. */
void cli_help_line(FILE *f, const char *left, const char *text);
/* Prints the usage line of cmd (from its row) into buf. */
void cli_synopsis(const struct program *p, const struct command *cmd, char *buf, size_t n);
/* Finds a command by name in p, or NULL. */
const struct command *cli_command(const struct program *p, const char *name);
/* Handles --help, --version or the subcommand argv names (global options may come first;
 * an unknown command: help on stderr and E_USAGE): returns 1 with *rc set. Returns 0 if
 * argv names no subcommand, for the program to decide. */
int cli_dispatch(const struct program *p, int argc, char **argv, int *rc);

/* Prints "usage: outpost NAME SYNOPSIS" for a command to stderr and returns E_USAGE. */
int cli_usage(const char *name);

/* The data file: o->db, else $XDG_DATA_HOME/DATA, else ~/.local/share/DATA, DATA the
 * program's data_path (outpost/logbook.db, outpost-hub/hub.db). A static buffer. */
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

/* Set by cli_dispatch: the running subcommand, for messages. */
void cli_set_command(const char *name);

/* The program name for messages ("outpost" or "outpost-hub"). */
extern const char *cli_progname;
/* The program's data_path, set by cli_start. */
extern const char *cli_data_name;

#endif
