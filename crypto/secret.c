/* secret.c — reading passphrases (see secret.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/secret.h"

int
secret_open(const char *path, int *fd, struct err *warn, struct err *e)
{
	struct stat sb;

	if (warn != NULL)
		err_clear(warn);
	if ((*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		if (errno == ENOENT)
			return err_set(e, E_USAGE, _("the passphrase file %s does not exist"),
			    path);
		return err_set(e, E_USAGE, _("cannot read the passphrase file %s: %s"), path,
		    strerror(errno));
	}
	if (fstat(*fd, &sb) != 0) {
		err_set(e, E_USAGE, _("cannot read the passphrase file %s: %s"), path,
		    strerror(errno));
		goto fail;
	}
	if (S_ISDIR(sb.st_mode)) {
		err_set(e, E_USAGE, _("%s is a directory, not a passphrase file"), path);
		goto fail;
	}
	/* A pipe or a terminal (--passphrase-file /dev/stdin) is fine; a device is not. */
	if (!S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode) && !S_ISCHR(sb.st_mode) &&
	    !S_ISSOCK(sb.st_mode)) {
		err_set(e, E_USAGE, _("%s is not a regular file, not a passphrase file"), path);
		goto fail;
	}
	if (S_ISREG(sb.st_mode) && (sb.st_mode & (S_IRGRP | S_IROTH)) && warn != NULL)
		err_set(warn, E_OK, _("warning: other users can read the passphrase file %s "
		    "(mode %03o); make it private with: chmod 600 %s"), path,
		    (unsigned)(sb.st_mode & 0777), path);
	return E_OK;
fail:
	close(*fd);
	*fd = -1;
	return e->code;
}

static ssize_t
read_byte(int fd, char *c)
{
	ssize_t r;

	while ((r = read(fd, c, 1)) < 0 && errno == EINTR)
		;
	return r;
}

int
secret_read_line(int fd, const char *name, char *buf, size_t *len, struct err *e)
{
	size_t n = 0;
	ssize_t r;
	char c;

	*len = 0;
	for (;;) {
		if ((r = read_byte(fd, &c)) < 0)
			goto io;
		if (r == 0 || c == '\n')
			break;
		if (n == SECRET_MAX) {
			/* Full: only a line end may follow (a CR first, for Windows files). */
			if (c == '\r' && (r = read_byte(fd, &c)) < 0)
				goto io;
			if (r == 0 || c == '\n')
				break;
			err_set(e, E_INVALID, _("the passphrase from %s is longer than %d bytes; "
			    "outpost does not cut it short: use a passphrase of at most %d bytes"),
			    name, SECRET_MAX, SECRET_MAX);
			goto fail;
		}
		buf[n++] = c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	if (n == 0)
		return err_set(e, E_USAGE, _("the passphrase from %s is empty"), name);
	*len = n;
	return E_OK;
io:
	err_set(e, E_IO, _("cannot read the passphrase from %s: %s"), name, strerror(errno));
fail:
	sodium_memzero(buf, SECRET_BUF);
	return e->code;
}
