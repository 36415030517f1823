/* screen-inside.c — gate: visitors inside now (entry without exit), oldest first; Enter
 * logs the selected one's exit. */
#include <curses.h>
#include <stdio.h>

#include "storage/inside.h"
#include "storage/logbook.h"
#include "storage/record.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/list.h"

/* What this screen keeps while it is on the stack (app_data). */
struct inside_state {
	struct reclist inside;
	int64_t data_version;	/* logbook_data_version at the last load */
};

static void
inside_load(struct app *a)
{
	struct inside_state *in = app_data(a, &screen_inside);
	struct err e = { 0 };
	int sel = in->inside.sel;

	reclist_clear(&in->inside);
	in->data_version = a->lb != NULL ? logbook_data_version(a->lb) : 0;
	if (a->lb != NULL && rec_inside_now(a->lb, reclist_add, &in->inside, &e) != E_OK)
		app_message(a, ROLE_ALERT, "%s", e.msg);
	in->inside.sel = sel < in->inside.n ? sel : in->inside.n - 1;
	if (in->inside.sel < 0)
		in->inside.sel = 0;
}

static void
inside_enter(struct app *a)
{
	inside_load(a);
}

/* An entry or exit by another process (the CLI, a second screen, a sync) shows within a
 * second, without a key. */
static int
inside_tick(struct app *a)
{
	struct inside_state *in = app_data(a, &screen_inside);

	if (a->lb == NULL || app_top(a) != &screen_inside ||
	    logbook_data_version(a->lb) == in->data_version)
		return 0;
	inside_load(a);
	return TUI_REDRAW;
}

static void
inside_leave(struct app *a)
{
	struct inside_state *in = app_data(a, &screen_inside);

	reclist_clear(&in->inside);
}

static void
inside_draw(struct app *a)
{
	struct inside_state *in = app_data(a, &screen_inside);
	char head[128];
	int y = app_body_top(a);

	snprintf(head, sizeof head, _("Visitors inside now: %d"), in->inside.n);
	draw_str(y, 1, a->cols - 2, head, app_attr(a, ROLE_TITLE), 0);
	if (in->inside.n == 0)
		draw_str(y + 2, 3, a->cols - 4, _("Nobody is inside."), app_attr(a, ROLE_DIM), 0);
	reclist_draw(a, &in->inside, y + 1, app_body_bottom(a));
}

static int
inside_exit(struct app *a)
{
	struct inside_state *in = app_data(a, &screen_inside);
	const struct record *r = reclist_selected(&in->inside);
	struct record out;
	struct err e = { 0 };

	if (r == NULL)
		return TUI_REDRAW;
	if (rec_exit(a->lb, r->seq, &out, &e) != E_OK) {
		app_message(a, ROLE_ALERT, "%s", e.msg);
		return TUI_REDRAW | TUI_BELL;
	}
	/* the entry as the log names it: its first version's number */
	app_message(a, ROLE_OK, _("Exit logged (#%lld) for entry #%lld."), (long long)out.seq,
	    (long long)r->root_seq);
	inside_load(a);
	return TUI_REDRAW;
}

static int
inside_back(struct app *a)
{
	(void)a;
	return TUI_DONE;
}

static int
inside_key(struct app *a, int key)
{
	struct inside_state *in = app_data(a, &screen_inside);

	return reclist_key(&in->inside, key, a->rows - 6) ? TUI_REDRAW : TUI_UNHANDLED;
}

static const struct key_binding inside_keys[] = {
	{ TK_ENTER, 'x', inside_exit, N_("Log exit"), N_("Log the exit of the selected visitor"), 0 },
	{ TK_ESC, TK(KEY_F(3)), inside_back, N_("Back"), N_("Back to the main screen"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

const struct screen screen_inside = {
	.name = N_("Inside now"),
	.keys = inside_keys,
	.enter = inside_enter,
	.leave = inside_leave,
	.draw = inside_draw,
	.key = inside_key,
	.tick = inside_tick,
	.wipe = inside_leave,
	.size = sizeof(struct inside_state),
};
