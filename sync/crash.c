/* crash.c — see crash.h. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "sync/crash.h"

void
crash_point(const char *name)
{
	static _Atomic int hits;	/* serve's ingest workers pass here at once */
	const char *s = getenv("OUTPOST_CRASH"), *colon, *how;
	char count[24];
	struct err ignored;
	size_t n;
	int64_t want = 1;
	int got;

	if (s == NULL || *s == '\0')
		return;
	colon = strchr(s, ':');
	n = colon ? (size_t)(colon - s) : strlen(s);
	if (n != strlen(name) || strncmp(s, name, n) != 0)
		return;
	how = colon != NULL ? strchr(colon + 1, ':') : NULL;
	if (colon != NULL) {
		/* the count alone, up to the next colon; a mistyped one disarms the point */
		n = how != NULL ? (size_t)(how - colon - 1) : strlen(colon + 1);
		if (n >= sizeof count)
			return;
		memcpy(count, colon + 1, n);
		count[n] = '\0';
		if (parse_int(count, 1, INT32_MAX, "OUTPOST_CRASH", &want, &ignored) != E_OK)
			return;
	}
	if (how != NULL && strcmp(how + 1, "term") != 0)
		return;
	got = ++hits;
	if (how != NULL) {
		if (got == want)
			raise(SIGTERM);	/* once: the process decides what to finish */
	} else if (got >= want) {
		raise(SIGKILL);
	}
}
