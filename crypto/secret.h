/* secret.h — reading a passphrase or a recovery key from a file or a terminal into secret
 * memory: whole or refused (a passphrase is never cut, since a prefix would then open the
 * logbook), with errors that say what happened (missing, a directory, unreadable, a failed
 * read, too long), and a warning when a passphrase file is readable by other users. */
#ifndef OUTPOST_SECRET_H
#define OUTPOST_SECRET_H

#include <stddef.h>

#include "base/err.h"

#define SECRET_MAX 1023			/* bytes in a passphrase, at most */
#define SECRET_BUF (SECRET_MAX + 1)	/* the buffer secret_read_line fills, with its NUL */

/* Opens the passphrase file path for reading into *fd. E_OK, or E_USAGE saying that it is
 * missing, a directory or not a regular file, or unreadable (and why). If group or others
 * may read it, warn (if not NULL) is set to E_OK with a message to show; otherwise its
 * message is left empty. */
int secret_open(const char *path, int *fd, struct err *warn, struct err *e);

/* Reads the first line of fd, without its newline or a trailing CR, into buf (SECRET_BUF
 * bytes of the caller's sodium_malloc memory) and its length into *len. E_OK; E_INVALID if
 * the line is longer than SECRET_MAX bytes (nothing kept); E_IO if a read failed; E_USAGE
 * if it is empty. name says where it came from, in messages. buf is wiped on error. */
int secret_read_line(int fd, const char *name, char *buf, size_t *len, struct err *e);

#endif
