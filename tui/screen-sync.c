/* screen-sync.c — the hub link in detail: state, records waiting, the last good pass, the
 * clock difference with the hub and the latest errors; Enter syncs now. */
#include <curses.h>
#include <stdio.h>

#include "storage/clock.h"
#include "storage/outbox.h"
#include "sync/client.h"
#include "tui/app.h"
#include "tui/bgsync.h"
#include "tui/draw.h"

static void
sync_draw(struct app *a)
{
	struct sync_status s;
	char buf[256], when[32];
	int y = app_body_top(a), i;

	draw_str(y++, 1, a->cols - 2, _("Sync with the district hub"), app_attr(a, ROLE_TITLE),
	    0);
	y++;
	if (a->sync == NULL) {
		draw_str(y++, 2, a->cols - 4, _("This station is not enrolled with a hub: records "
		    "stay here until it is"), A_NORMAL, 0);
		draw_str(y++, 2, a->cols - 4, _("(outpost enroll TOKEN), or go to the hub on a USB "
		    "stick (outpost bundle)."), A_NORMAL, 0);
		snprintf(buf, sizeof buf, _("Records waiting: %lld"),
		    a->lb != NULL ? (long long)outbox_pending(a->lb) : 0LL);
		draw_str(y + 1, 2, a->cols - 4, buf, A_BOLD, 0);
		return;
	}
	sync_client_status(a->sync, &s);
	snprintf(buf, sizeof buf, _("Link: %s"), bgsync_text(a, when, sizeof when));
	draw_str(y++, 2, a->cols - 4, buf, s.state == SYNC_REVOKED ? app_attr(a, ROLE_ALERT) :
	    (int)A_BOLD, 0);
	snprintf(buf, sizeof buf, _("Records waiting: %lld"), (long long)s.waiting);
	draw_str(y++, 2, a->cols - 4, buf, A_NORMAL, 0);
	if (s.last_success_ms > 0) {
		clock_format(s.last_success_ms, clock_tz_min(s.last_success_ms), when,
		    sizeof when);
		snprintf(buf, sizeof buf, _("Last good pass: %s (%llu pushed, %llu pulled)"), when,
		    (unsigned long long)s.pass_pushed, (unsigned long long)s.pass_pulled);
	} else
		snprintf(buf, sizeof buf, "%s", _("Last good pass: none yet"));
	draw_str(y++, 2, a->cols - 4, buf, A_NORMAL, 0);
	snprintf(buf, sizeof buf, _("This clock differs from the hub's by %+.1f s"),
	    (double)s.skew_ms / 1000.0);
	draw_str(y++, 2, a->cols - 4, buf, A_NORMAL, 0);
	if (s.conflicts > 0) {
		snprintf(buf, sizeof buf, _("Conflicts kept at the hub: %llu"),
		    (unsigned long long)s.conflicts);
		draw_str(y++, 2, a->cols - 4, buf, app_attr(a, ROLE_ALERT), 0);
	}
	if (s.nerrors > 0) {
		y++;
		draw_str(y++, 2, a->cols - 4, _("Latest errors:"), A_BOLD, 0);
		for (i = 0; i < s.nerrors && y <= app_body_bottom(a); i++)
			draw_str(y++, 4, a->cols - 6, s.errors[i], app_attr(a, ROLE_WARN), 0);
	}
}

static int
sync_now(struct app *a)
{
	if (a->sync == NULL)
		return TUI_REDRAW;
	bgsync_kick(a);
	app_message(a, ROLE_NORMAL, "%s", _("Syncing now…"));
	return TUI_REDRAW;
}

static int
sync_key(struct app *a, int key)
{
	(void)a;
	return key == TK_ESC ? TUI_DONE : TUI_UNHANDLED;
}

static int
sync_tick(struct app *a)
{
	return app_top(a) == &screen_sync ? TUI_REDRAW : 0;
}

static const struct key_binding sync_keys[] = {
	{ TK_ENTER, TK_CTRL('Y'), sync_now, N_("Sync now"), N_("Start a pass with the hub now"), 0 },
	{ TK_ESC, 0, NULL, N_("Back"), N_("Back to the main screen"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

const struct screen screen_sync = {
	.name = N_("Sync"),
	.keys = sync_keys,
	.draw = sync_draw,
	.key = sync_key,
	.tick = sync_tick,
};
