/* util.c — the data file's path, secrets, opening and error reporting, shared by every
 * command of both programs. */
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
const char *cli_data_name = "outpost/logbook.db";
static const char *cli_running;

void
cli_set_command(const char *name)
{
	cli_running = name;
}

const char *
cli_db_path(const struct cli_opts *o)
{
	static char path[4096];
	const char *x, *h;

	if (o != NULL && o->db != NULL)
		return o->db;
	if ((x = getenv("XDG_DATA_HOME")) != NULL && x[0] == '/')
		snprintf(path, sizeof path, "%s/%s", x, cli_data_name);
	else if ((h = getenv("HOME")) != NULL)
		snprintf(path, sizeof path, "%s/.local/share/%s", h, cli_data_name);
	else
		snprintf(path, sizeof path, "%s", strrchr(cli_data_name, '/') + 1);
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

int
cli_unlock(const struct cli_opts *o, struct vault **v, struct err *e)
{
	const char *path = cli_db_path(o);
	char *secret = NULL, prompt[256];
	size_t len;
	int rc;

	*v = NULL;
	if ((rc = vault_probe(path, e)) != E_OK)
		return rc;
	snprintf(prompt, sizeof prompt, "%s",
	    o->recovery ? _("Recovery key: ") : _("Passphrase (or recovery key): "));
	if ((rc = cli_read_secret(o->passphrase_file, prompt, &secret, &len, e)) != E_OK)
		return rc;
	rc = vault_unlock_typed(path, secret, len, o->recovery, v, e);
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
	if (cli_running != NULL)
		fprintf(stderr, "%s %s: %s\n", cli_progname, cli_running, cli_term(e->msg));
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
