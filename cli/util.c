/* util.c — options, secrets and error reporting shared by every subcommand. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "crypto/secret.h"

const char *cli_progname = "outpost";
static const char *cli_command;

int
cli_common_opt(int c, const char *arg, struct cli_opts *o)
{
	switch (c) {
	case OPT_DB:
		o->db = arg;
		return 1;
	case OPT_PASSFILE:
		o->passphrase_file = arg;
		return 1;
	case OPT_RECOVERY:
		o->recovery = 1;
		return 1;
	case OPT_FORMAT:
		o->format = arg;
		return 1;
	}
	return 0;
}

int
cli_parse_common(int argc, char **argv, struct cli_opts *o, int nargs)
{
	static const struct option longopts[] = { CLI_OPTS, { NULL, 0, NULL, 0 } };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (!cli_common_opt(c, optarg, o))
			return cli_usage(argv[0]);
	if (argc - optind != nargs)
		return cli_usage(argv[0]);
	return E_OK;
}

void
cli_set_command(const char *name)
{
	cli_command = name;
}

int
cli_usage(const char *name)
{
	const char *u = cli_usage_of(name);

	fprintf(stderr, _("usage: %s %s %s\n"), cli_progname, name, u ? u : "");
	fprintf(stderr, _("Try '%s --help' for every command.\n"), cli_progname);
	return E_USAGE;
}

const char *
cli_db_path(const struct cli_opts *o)
{
	static char path[4096];
	const char *x, *h;

	if (o != NULL && o->db != NULL)
		return o->db;
	if ((x = getenv("XDG_DATA_HOME")) != NULL && x[0] == '/')
		snprintf(path, sizeof path, "%s/outpost/logbook.db", x);
	else if ((h = getenv("HOME")) != NULL)
		snprintf(path, sizeof path, "%s/.local/share/outpost/logbook.db", h);
	else
		snprintf(path, sizeof path, "logbook.db");
	return path;
}

int
cli_read_secret(const char *file, const char *prompt, char **out, size_t *len,
    struct err *e)
{
	struct termios old, quiet;
	struct err warn;
	char *buf;
	int fd, rc, tty = 0;

	if (sodium_init() < 0)
		return err_set(e, E_IO, "%s", _("libsodium could not start"));
	if ((buf = sodium_malloc(SECRET_BUF)) == NULL)
		return err_set(e, E_IO, "%s", _("out of memory"));
	if (file != NULL) {
		if ((rc = secret_open(file, &fd, &warn, e)) != E_OK) {
			sodium_free(buf);
			return rc;
		}
		if (warn.msg[0] != '\0')
			fprintf(stderr, "%s: %s\n", cli_progname, warn.msg);
	} else {
		if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0) {
			sodium_free(buf);
			return err_set(e, E_USAGE, "%s",
			    _("no terminal to ask for the passphrase: use --passphrase-file"));
		}
		tty = 1;
		if (write(fd, prompt, strlen(prompt)) < 0) {
			/* the prompt is a courtesy; reading still works */
		}
		if (tcgetattr(fd, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			quiet.c_lflag |= ECHONL;
			tcsetattr(fd, TCSAFLUSH, &quiet);
		} else
			tty = 2;
	}
	rc = secret_read_line(fd, file != NULL ? file : _("the terminal"), buf, len, e);
	if (tty == 1)
		tcsetattr(fd, TCSAFLUSH, &old);
	close(fd);
	if (rc != E_OK) {
		sodium_free(buf);
		return rc;
	}
	*out = buf;
	return E_OK;
}

void
cli_secret_free(char *s)
{
	if (s != NULL)
		sodium_free(s);	/* sodium_free wipes before freeing */
}

/* A typed recovery key: 40 letters or digits, dashes or spaces anywhere. */
static int
looks_like_recovery(const char *s)
{
	int alnum = 0;

	for (; *s != '\0'; s++) {
		if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z'))
			alnum++;
		else if (*s != '-' && *s != ' ')
			return 0;
	}
	return alnum == 40;
}

int
cli_unlock(const struct cli_opts *o, struct vault **v, struct err *e)
{
	const char *path = cli_db_path(o);
	char *secret = NULL, prompt[256];
	size_t len;
	int kind, rc;

	*v = NULL;
	if ((rc = vault_probe(path, e)) != E_OK)
		return rc;
	snprintf(prompt, sizeof prompt, "%s",
	    o->recovery ? _("Recovery key: ") : _("Passphrase (or recovery key): "));
	if ((rc = cli_read_secret(o->passphrase_file, prompt, &secret, &len, e)) != E_OK)
		return rc;
	kind = o->recovery || looks_like_recovery(secret) ? VAULT_RECOVERY : VAULT_PASSPHRASE;
	rc = vault_unlock(path, secret, len, kind, v, e);
	/* A long passphrase may look like a recovery key: try it as what it also could be. */
	if (rc == E_LOCKED && kind == VAULT_RECOVERY && !o->recovery) {
		struct err first = *e;

		rc = vault_unlock(path, secret, len, VAULT_PASSPHRASE, v, e);
		if (rc == E_LOCKED)
			*e = first;	/* the recovery key's message (which group) helps more */
	}
	cli_secret_free(secret);
	return rc;
}

int
cli_open(const struct cli_opts *o, struct vault **v, sqlite3 **db, struct err *e)
{
	int rc;

	*db = NULL;
	if ((rc = cli_unlock(o, v, e)) != E_OK)
		return rc;
	if ((rc = vault_open_db(*v, db, e)) != E_OK) {
		vault_close(*v);
		*v = NULL;
	}
	return rc;
}

void
cli_close(struct vault *v, sqlite3 *db)
{
	if (db != NULL)
		sqlite3_close(db);
	vault_close(v);
}

int
cli_fail(const struct err *e)
{
	if (cli_command != NULL)
		fprintf(stderr, "%s %s: %s\n", cli_progname, cli_command, cli_term(e->msg));
	else
		fprintf(stderr, "%s: %s\n", cli_progname, cli_term(e->msg));
	return e->code;
}

int
cli_read_new_secret(const char *file, char **out, size_t *len, struct err *e)
{
	char *again = NULL;
	size_t len2;
	int rc;

	if ((rc = cli_read_secret(file, _("New passphrase: "), out, len, e)) != E_OK)
		return rc;
	if (file == NULL) {
		if ((rc = cli_read_secret(NULL, _("The same passphrase again: "), &again, &len2,
		    e)) != E_OK) {
			cli_secret_free(*out);
			return rc;
		}
		rc = len2 != *len || sodium_memcmp(again, *out, *len) != 0;
		cli_secret_free(again);
		if (rc) {
			cli_secret_free(*out);
			return err_set(e, E_USAGE, "%s", _("the two passphrases differ; nothing "
			    "was changed"));
		}
	}
	if (*len < 8) {
		cli_secret_free(*out);
		return err_set(e, E_INVALID, "%s", _("the passphrase is too short: use at least "
		    "8 characters (a few words are easiest to remember)"));
	}
	return E_OK;
}

int
cli_make_parent(const char *path, struct err *e)
{
	char buf[4096], *p;

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return err_set(e, E_USAGE, "%s", _("the path is too long"));
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return err_set(e, E_IO, _("cannot create %s: %s"), buf, strerror(errno));
		*p = '/';
	}
	return E_OK;
}
