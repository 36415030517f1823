/* walcount.c — an LD_PRELOAD counter for bench/group.sh: the page-sized writes a process
 * makes to SQLite's write-ahead log (its frames: a 24-byte header, then the page) and to
 * the main database file (a checkpoint copying frames back), written at exit to the file
 * $WALCOUNT_OUT as "wal_frames N db_pages N". Built by bench/group.sh itself
 * (cc -shared -fPIC); not part of any program. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long long wal_frames, db_pages;

/* 1 for the WAL, 2 for a database file (the path ends in ".db"), else 0. */
static int
kind_of(int fd)
{
	char link[64], path[4096];
	ssize_t n;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) <= 0)
		return 0;
	path[n] = '\0';
	if (n > 4 && strcmp(path + n - 4, "-wal") == 0)
		return 1;
	return n > 3 && strcmp(path + n - 3, ".db") == 0 ? 2 : 0;
}

static void
count_write(int fd, size_t count)
{
	int k;

	if (count >= 1024 && (k = kind_of(fd)) != 0)
		*(k == 1 ? &wal_frames : &db_pages) += 1;
}

/* SQLite's unix VFS calls one or the other, as it was built */
ssize_t
pwrite64(int fd, const void *buf, size_t count, off_t offset)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
	count_write(fd, count);
	return real(fd, buf, count, offset);
}

ssize_t
pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
	count_write(fd, count);
	return real(fd, buf, count, offset);
}

__attribute__((destructor)) static void
walcount_report(void)
{
	const char *out = getenv("WALCOUNT_OUT");
	FILE *f;

	if (out != NULL && (f = fopen(out, "w")) != NULL) {
		fprintf(f, "wal_frames %llu db_pages %llu\n", wal_frames, db_pages);
		fclose(f);
	}
}
