/* crash.c — see crash.h. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sync/crash.h"

void
crash_point(const char *name)
{
	static int hits;
	const char *s = getenv("OUTPOST_CRASH"), *colon, *how;
	size_t n;
	int want = 1;

	if (s == NULL || *s == '\0')
		return;
	colon = strchr(s, ':');
	n = colon ? (size_t)(colon - s) : strlen(s);
	if (n != strlen(name) || strncmp(s, name, n) != 0)
		return;
	if (colon != NULL && (want = atoi(colon + 1)) < 1)
		want = 1;
	how = colon != NULL ? strchr(colon + 1, ':') : NULL;
	++hits;
	if (how != NULL && strcmp(how + 1, "term") == 0) {
		if (hits == want)
			raise(SIGTERM);	/* once: the process decides what to finish */
	} else if (hits >= want) {
		raise(SIGKILL);
	}
}
