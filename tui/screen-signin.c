/* screen-signin.c — who is on duty: pick a name that signed in before (Up/Down) or type a
 * new one; Enter starts a shift (or continues the open one of the same person). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "storage/logbook.h"
#include "storage/query.h"
#include "storage/record.h"
#include "tui/app.h"
#include "tui/draw.h"

#define SIGNIN_NAMES 12

/* What this screen keeps while it is on the stack (app_data). */
struct signin_state {
	struct form_field signin_fields[1];
	struct form signin_form;
	char signin_names[SIGNIN_NAMES][REC_NAME];
	int signin_n, signin_sel;
};

/* Collects distinct names, newest sign-in first. */
static int
signin_collect(const struct record *r, void *arg)
{
	struct signin_state *si = arg;
	int i;

	(void)arg;
	for (i = 0; i < si->signin_n; i++)
		if (strcmp(si->signin_names[i], r->u.signin.name) == 0) {
			memmove(si->signin_names[1], si->signin_names[0], (size_t)i * REC_NAME);
			snprintf(si->signin_names[0], REC_NAME, "%s", r->u.signin.name);
			return 0;
		}
	if (si->signin_n < SIGNIN_NAMES)
		si->signin_n++;
	memmove(si->signin_names[1], si->signin_names[0], (size_t)(si->signin_n - 1) * REC_NAME);
	snprintf(si->signin_names[0], REC_NAME, "%s", r->u.signin.name);
	return 0;
}

static void
signin_enter(struct app *a)
{
	struct signin_state *si = app_data(a, &screen_signin);
	struct rec_query q = { .kind = REC_SIGNIN };
	struct err e = { 0 };

	if (si->signin_form.fields == NULL) {
		form_field_init(&si->signin_fields[0], N_("Your name"), 20, 0, 1, NULL);
		form_init(&si->signin_form, si->signin_fields, 1, NULL);
	}
	si->signin_n = 0;
	si->signin_sel = -1;
	if (a->lb == NULL)
		return;
	if (rec_list(a->lb, &q, signin_collect, si, &e) != E_OK)
		app_message(a, ROLE_ALERT, "%s", e.msg);
	if (si->signin_fields[0].f.len == 0 && logbook_operator(a->lb)[0] != '\0')
		field_set(&si->signin_fields[0].f, logbook_operator(a->lb));
}

static void
signin_leave(struct app *a)
{
	struct signin_state *si = app_data(a, &screen_signin);

	form_clear(&si->signin_form);
	si->signin_form.fields = NULL;
	memset(si->signin_names, 0, sizeof si->signin_names);
	si->signin_n = 0;
}

static void
signin_draw(struct app *a)
{
	struct signin_state *si = app_data(a, &screen_signin);
	int y = 3, x = 2, i;

	draw_str(y, x, a->cols - 4, _("Who is on duty? Sign in to start your shift."),
	    app_attr(a, ROLE_TITLE), 0);
	draw_form(a, &si->signin_form, y + 2, x, 24);
	if (si->signin_n == 0)
		return;
	draw_str(y + 4, x, a->cols - 4, _("Signed in before (Up/Down to pick):"),
	    app_attr(a, ROLE_DIM), 0);
	for (i = 0; i < si->signin_n && y + 5 + i <= app_body_bottom(a); i++)
		draw_str(y + 5 + i, x + 2, 30, si->signin_names[i],
		    i == si->signin_sel ? app_attr(a, ROLE_SELECT) : (int)A_NORMAL, 1);
}

static int
signin_go(struct app *a)
{
	struct signin_state *si = app_data(a, &screen_signin);
	struct err e = { 0 };
	char name[REC_NAME * 2];

	form_text(&si->signin_form, 0, name, sizeof name);
	if (name[0] == '\0') {
		app_message(a, ROLE_ALERT, "%s", _("Type your name, or pick one with Up/Down."));
		return TUI_REDRAW | TUI_BELL;
	}
	if (strcmp(name, logbook_operator(a->lb)) == 0 && logbook_shift(a->lb) != 0)
		app_message(a, ROLE_OK, _("Welcome back, %s: your shift goes on."), name);
	else if (logbook_signin(a->lb, name, NULL, &e) != E_OK) {
		app_message(a, ROLE_ALERT, "%s", e.msg);
		return TUI_REDRAW | TUI_BELL;
	} else
		app_message(a, ROLE_OK, _("Signed in: %s. A new shift has started."), name);
	app_reset(a, &screen_main);
	return TUI_REDRAW;
}

static int
signin_key(struct app *a, int key)
{
	struct signin_state *si = app_data(a, &screen_signin);

	if (key == TK(KEY_UP) || key == TK(KEY_DOWN)) {
		if (si->signin_n == 0)
			return TUI_REDRAW;
		si->signin_sel += key == TK(KEY_UP) ? -1 : 1;
		if (si->signin_sel < 0)
			si->signin_sel = si->signin_n - 1;
		if (si->signin_sel >= si->signin_n)
			si->signin_sel = 0;
		field_set(&si->signin_fields[0].f, si->signin_names[si->signin_sel]);
		return TUI_REDRAW;
	}
	switch (form_key(&si->signin_form, key)) {
	case FORM_SUBMIT:
		return signin_go(a);
	case FORM_IGNORED:
	case FORM_CANCEL:
		return TUI_UNHANDLED;
	}
	return TUI_REDRAW;
}

static const struct key_binding signin_keys[] = {
	{ TK_ENTER, 0, signin_go, N_("Sign in"), N_("Sign in with the name in the field"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

const struct screen screen_signin = {
	.name = N_("Sign in"),
	.keys = signin_keys,
	.enter = signin_enter,
	.leave = signin_leave,
	.draw = signin_draw,
	.key = signin_key,
	.wipe = signin_leave,
	.size = sizeof(struct signin_state),
};
