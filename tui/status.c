/* status.c — the status bar's text: who and where on the left, sync and time on the right. */
#include <stdio.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/labels.h"
#include "storage/logbook.h"
#include "storage/outbox.h"
#include "tui/app.h"
#include "tui/bgsync.h"
#include "tui/status.h"

void
status_left(struct app *a, char *buf, size_t n)
{
	const char *op;

	if (a->lb == NULL || a->locked) {
		snprintf(buf, n, "%s", _("Outpost"));
		return;
	}
	op = logbook_operator(a->lb);
	if (op[0] != '\0')
		snprintf(buf, n, "%s (%s) · %s", a->station, label_station_kind(a->kind), op);
	else
		snprintf(buf, n, "%s (%s)", a->station, label_station_kind(a->kind));
}

void
status_right(struct app *a, char *buf, size_t n)
{
	char when[32], link[64];
	int64_t now = clock_now_ms();

	clock_format(now, clock_tz_min(now), when, sizeof when);
	when[16] = '\0';	/* "YYYY-MM-DD HH:MM" */
	if (a->lb == NULL || a->locked) {
		snprintf(buf, n, "%s", when + 11);
		return;
	}
	snprintf(buf, n, _("to sync: %lld · %s · %s"), (long long)outbox_pending(a->lb),
	    bgsync_text(a, link, sizeof link), when + 11);
}
