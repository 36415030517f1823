/* bgsync.c — the hub link of the full-screen app (see bgsync.h). Nothing here blocks: the
 * client's step function is given no time to wait, so typing never stalls on the network. */
#include <stdio.h>
#include <string.h>

#include "storage/logbook.h"
#include "sync/client.h"
#include "sync/source-logbook.h"
#include "tui/app.h"
#include "tui/bgsync.h"

#define BGSYNC_INTERVAL_MS 60000

void
bgsync_start(struct app *a)
{
	struct sync_opts o = { 0 };
	struct err e = { 0 };

	bgsync_stop(a);
	if (a->lb == NULL)
		return;
	o.interval_ms = BGSYNC_INTERVAL_MS;
	if (sync_client_for_logbook(a->lb, &o, &a->sync, &e) != E_OK) {
		/* not enrolled: offline, and that is fine; anything else is said */
		if (e.code != E_INVALID)
			app_message(a, ROLE_WARN, _("Sync is off: %s"), e.msg);
		a->sync = NULL;
		return;
	}
	sync_client_kick(a->sync);
}

int
bgsync_step(struct app *a)
{
	int before, after;

	if (a->sync == NULL)
		return 0;
	before = a->sync_state;
	after = sync_client_step(a->sync, 0);
	a->sync_state = after;
	if (before == SYNC_PULL && after != SYNC_PULL)
		app_idle_apply(a);	/* the hub's settings may have changed it */
	return before != after;
}

void
bgsync_kick(struct app *a)
{
	if (a->sync != NULL)
		sync_client_kick(a->sync);
}

void
bgsync_stop(struct app *a)
{
	sync_client_free(a->sync);
	a->sync = NULL;
	a->sync_state = 0;
}

const char *
bgsync_text(struct app *a, char *buf, size_t n)
{
	struct sync_status s;

	if (a->sync == NULL) {
		snprintf(buf, n, "%s", _("offline"));
		return buf;
	}
	sync_client_status(a->sync, &s);
	switch (s.state) {
	case SYNC_REVOKED:
		snprintf(buf, n, "%s", _("REVOKED by the hub"));
		break;
	case SYNC_BACKOFF:
		snprintf(buf, n, _("offline, retry in %llds"),
		    (long long)((s.retry_in_ms + 999) / 1000));
		break;
	case SYNC_CONNECTING:
		snprintf(buf, n, "%s", _("connecting"));
		break;
	case SYNC_HELLO:
	case SYNC_PUSH:
	case SYNC_PULL:
		snprintf(buf, n, "%s", _("syncing"));
		break;
	default:
		snprintf(buf, n, "%s", s.link_up || s.result == SYNC_R_DONE ||
		    s.result == SYNC_R_NOTHING ? _("link up") : _("offline"));
		break;
	}
	return buf;
}
