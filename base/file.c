/* file.c — files written whole: a temporary beside DEST, fsynced, renamed, the directory
 * fsynced (see file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"

void
atomic_dir(const struct atomic_file *af, char *buf, size_t n)
{
	const char *slash = strrchr(af->dest, '/');

	if (slash == NULL)
		snprintf(buf, n, ".");
	else if (slash == af->dest)
		snprintf(buf, n, "/");
	else
		snprintf(buf, n, "%.*s", (int)(slash - af->dest), af->dest);
}

static void
atomic_free(struct atomic_file *af)
{
	free(af->dest);
	free(af->tmp);
	af->dest = af->tmp = NULL;
	af->fd = -1;
	af->f = NULL;
}

int
atomic_open(struct atomic_file *af, const char *dest, int flags, mode_t mode, struct err *e)
{
	const char *base = strrchr(dest, '/');
	struct stat sb;
	size_t dirlen;
	int fd;

	memset(af, 0, sizeof *af);
	af->fd = -1;
	af->flags = flags;
	af->mode = mode;
	base = base != NULL ? base + 1 : dest;
	if (*base == '\0')
		return err_set(e, E_USAGE, _("%s is a directory: give a file name"), dest);
	if (stat(dest, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return err_set(e, E_USAGE, _("%s is a directory: give a file name"), dest);
		if (!(flags & ATOMIC_FORCE))
			return err_set(e, E_USAGE, _("%s already exists: give another name, or "
			    "--force to replace it"), dest);
	}
	dirlen = (size_t)(base - dest);
	if ((af->dest = strdup(dest)) == NULL ||
	    (af->tmp = malloc(dirlen + strlen(base) + 16)) == NULL) {
		atomic_free(af);
		return err_set(e, E_IO, "%s", _("out of memory"));
	}
	/* named after DEST and visible, so a leftover of a crash (it holds the same personal
	 * data) is seen and removed, not carried away unnoticed on a USB stick */
	sprintf(af->tmp, "%.*s%s.XXXXXX.part", (int)dirlen, dest, base);
	if ((fd = mkostemps(af->tmp, 5, O_CLOEXEC)) < 0) {
		err_set(e, E_IO, _("cannot create a file beside %s: %s"), dest, strerror(errno));
		atomic_free(af);
		return E_IO;
	}
	if (fchmod(fd, mode) != 0) {
		err_set(e, E_IO, _("cannot create a file beside %s: %s"), dest, strerror(errno));
		close(fd);
		unlink(af->tmp);
		atomic_free(af);
		return E_IO;
	}
	if (flags & ATOMIC_NAME) {
		/* the writer creates the file itself and refuses one that exists */
		close(fd);
		unlink(af->tmp);
	} else {
		af->fd = fd;
	}
	return E_OK;
}

FILE *
atomic_stream(struct atomic_file *af)
{
	if (af->f == NULL && af->fd >= 0)
		af->f = fdopen(af->fd, "w");
	return af->f;
}

static int
fsync_dir(const struct atomic_file *af)
{
	char dir[4096];
	int fd, rc;

	atomic_dir(af, dir, sizeof dir);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* rename that never replaces a DEST made meanwhile: link (then unlink), or on a file
 * system without hard links (a FAT USB stick) renameat2's RENAME_NOREPLACE, or a last
 * check before a plain rename. 0 or an errno. */
static int
rename_noreplace(const char *tmp, const char *dest)
{
	if (link(tmp, dest) == 0) {
		unlink(tmp);
		return 0;
	}
	if (errno == EEXIST)
		return EEXIST;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return errno;
	if (access(dest, F_OK) == 0)
		return EEXIST;
	return rename(tmp, dest) == 0 ? 0 : errno;
}

int
atomic_commit(struct atomic_file *af, struct err *e)
{
	int fd = af->fd, err = 0;

	errno = 0;
	if (af->f != NULL) {
		if (fflush(af->f) != 0 || ferror(af->f))
			err = errno != 0 ? errno : EIO;
	} else if (fd < 0 && (fd = open(af->tmp, O_RDONLY | O_CLOEXEC)) < 0) {
		err = errno;
	}
	if (err == 0 && (fchmod(fd, af->mode) != 0 || fsync(fd) != 0))
		err = errno;
	if (af->f != NULL) {
		if (fclose(af->f) != 0 && err == 0)
			err = errno;
	} else if (fd >= 0 && close(fd) != 0 && err == 0) {
		err = errno;
	}
	af->f = NULL;
	af->fd = -1;
	if (err == 0) {
		if (af->flags & ATOMIC_FORCE) {
			if (rename(af->tmp, af->dest) != 0)
				err = errno;
		} else {
			err = rename_noreplace(af->tmp, af->dest);
		}
	}
	if (err != 0) {
		unlink(af->tmp);
		err_set(e, err == EEXIST ? E_USAGE : E_IO, _("cannot write %s: %s"), af->dest,
		    strerror(err));
		atomic_free(af);
		return err == EEXIST ? E_USAGE : E_IO;
	}
	if (fsync_dir(af) != 0) {
		/* the file is whole and in place; only its directory entry may not be durable */
	}
	atomic_free(af);
	return E_OK;
}

void
atomic_abort(struct atomic_file *af)
{
	if (af->f != NULL)
		fclose(af->f);
	else if (af->fd >= 0)
		close(af->fd);
	if (af->tmp != NULL)
		unlink(af->tmp);
	atomic_free(af);
}
