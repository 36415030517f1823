/* file.h — files written whole: every file outpost writes for people (export, backup,
 * bundle, hub export) goes to a temporary file beside DEST, is fsynced, then renamed over
 * DEST and the directory fsynced, so an error or a crash leaves DEST as it was. */
#ifndef OUTPOST_FILE_H
#define OUTPOST_FILE_H

#include <stdio.h>
#include <sys/types.h>

#include "base/err.h"

struct atomic_file {
	char *dest;	/* where the file goes */
	char *tmp;	/* the temporary beside it: "NAME.XXXXXX.part" in DEST's directory */
	int fd;		/* open on tmp, or -1 when the writer creates tmp itself */
	FILE *f;	/* atomic_stream's stream on fd, or NULL */
	int flags;
	mode_t mode;	/* the file's mode, set again at commit (a writer may create it
			 * with its own) */
};
#define ATOMIC_FORCE	0x1	/* replace an existing DEST (else E_USAGE, nothing done) */
#define ATOMIC_NAME	0x2	/* only reserve tmp's name: the writer creates it (SQLite's
				 * VACUUM INTO, libxlsxwriter) and atomic_commit syncs it */

/* Starts writing dest: refuses an existing dest unless ATOMIC_FORCE, creates the
 * temporary with mode (0600 for personal data) unless ATOMIC_NAME. E_OK, E_USAGE (dest
 * exists or is a directory) or E_IO, with e set. */
int atomic_open(struct atomic_file *af, const char *dest, int flags, mode_t mode,
    struct err *e);
/* A stdio stream on the temporary (buffered; atomic_commit flushes it). NULL on error. */
FILE *atomic_stream(struct atomic_file *af);
/* The directory of dest ("." if it has none) into buf, for writers that make their own
 * scratch files (kept beside the output, never in /tmp). */
void atomic_dir(const struct atomic_file *af, char *buf, size_t n);
/* Flushes, fsyncs and closes the temporary, renames it to dest (without ATOMIC_FORCE:
 * only if dest still does not exist) and fsyncs the directory. On any failure the
 * temporary is removed, dest is untouched, and E_IO or E_USAGE is returned. Frees af. */
int atomic_commit(struct atomic_file *af, struct err *e);
/* Removes the temporary; dest is untouched. Frees af. Safe after a failed atomic_open. */
void atomic_abort(struct atomic_file *af);

#endif
