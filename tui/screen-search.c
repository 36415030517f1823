/* screen-search.c — incremental search: every keystroke searches ID number, plate, phone
 * and name prefixes (an indexed range in storage); Enter opens the selected record. */
#include <curses.h>
#include <stdio.h>

#include "storage/query.h"
#include "storage/record.h"
#include "tui/app.h"
#include "tui/detail.h"
#include "tui/draw.h"
#include "tui/list.h"

/* What this screen keeps while it is on the stack (app_data). */
struct search_state {
	struct form_field search_fields[1];
	struct form search_form;
	struct reclist found;
};

static void
search_run(struct app *a)
{
	struct search_state *se = app_data(a, &screen_search);
	struct err e = { 0 };
	char text[FIELD_CAP * 4 + 1];

	reclist_clear(&se->found);
	form_text(&se->search_form, 0, text, sizeof text);
	if (text[0] == '\0' || a->lb == NULL)
		return;
	if (rec_search(a->lb, text, 100, reclist_add, &se->found, &e) != E_OK)
		app_message(a, ROLE_ALERT, "%s", e.msg);
}

static void
search_enter(struct app *a)
{
	struct search_state *se = app_data(a, &screen_search);

	if (se->search_form.fields == NULL) {
		form_field_init(&se->search_fields[0], N_("Search"), 40, 0, 0, NULL);
		form_init(&se->search_form, se->search_fields, 1, NULL);
	}
	search_run(a);	/* again: a correction may have changed what matches */
}

static void
search_leave(struct app *a)
{
	struct search_state *se = app_data(a, &screen_search);

	form_clear(&se->search_form);
	se->search_form.fields = NULL;
	reclist_clear(&se->found);
}

static void
search_draw(struct app *a)
{
	struct search_state *se = app_data(a, &screen_search);
	int y = app_body_top(a);
	char head[128];

	y = draw_form(a, &se->search_form, y, 1, 30) - 1;	/* a long note pushes on */
	draw_str(y + 1, 1, a->cols - 2, _("ID number, plate, phone or name: the start of it is "
	    "enough."), app_attr(a, ROLE_DIM), 0);
	if (se->search_fields[0].f.len > 0) {
		snprintf(head, sizeof head,
		    se->found.more ? _("%d+ found, newest first") : _("%d found, newest first"),
		    se->found.n);
		draw_str(y + 2, 1, a->cols - 2, head, app_attr(a, ROLE_TITLE), 0);
	}
	reclist_draw(a, &se->found, y + 3, app_body_bottom(a));
}

static int
search_open(struct app *a)
{
	struct search_state *se = app_data(a, &screen_search);
	const struct record *r = reclist_selected(&se->found);

	if (r == NULL)
		return TUI_REDRAW;
	detail_open(a, r->seq);
	return TUI_REDRAW;
}

static int
search_key(struct app *a, int key)
{
	struct search_state *se = app_data(a, &screen_search);

	if (reclist_key(&se->found, key, a->rows - 8))
		return TUI_REDRAW;
	switch (form_key(&se->search_form, key)) {
	case FORM_CANCEL:
		return TUI_DONE;
	case FORM_IGNORED:
		return TUI_UNHANDLED;
	case FORM_EDITED:
		search_run(a);
		break;
	}
	return TUI_REDRAW;
}

static const struct key_binding search_keys[] = {
	{ TK_ENTER, 0, search_open, N_("Open"),
	    N_("Open the selected record: its history, and a correction"), 0 },
	{ TK_ESC, 0, NULL, N_("Back"), N_("Back to the main screen"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

const struct screen screen_search = {
	.name = N_("Search"),
	.keys = search_keys,
	.enter = search_enter,
	.leave = search_leave,
	.draw = search_draw,
	.key = search_key,
	.wipe = search_leave,
	.size = sizeof(struct search_state),
};
