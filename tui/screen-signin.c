/* screen-signin.c — who is on duty: pick a name that signed in before (Up/Down) or type a
 * new one (typing replaces the name shown); Enter starts a shift (or continues the open one
 * of the same person; someone else's open shift ends with its handover first). The next
 * operator sees the last handover's note and every fever still waiting for its recheck. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/logbook.h"
#include "storage/rechecks.h"
#include "storage/query.h"
#include "storage/record.h"
#include "tui/app.h"
#include "tui/draw.h"

#define SIGNIN_NAMES 12
#define SIGNIN_FEVERS 5

/* What this screen keeps while it is on the stack (app_data). */
struct signin_state {
	struct form_field signin_fields[1];
	struct form signin_form;
	char signin_names[SIGNIN_NAMES][REC_NAME];
	int signin_n, signin_sel;
	struct record handover;		/* the last handover, if have_handover */
	int have_handover;
	char fevers[SIGNIN_FEVERS][96];	/* fevers waiting for their recheck, any shift */
	int nfevers;
	int64_t fevers_waiting;
};

static int
signin_fever(const struct record *r, void *arg)
{
	struct signin_state *si = arg;
	int64_t due;
	int tenths;
	char when[32];

	if (si->nfevers >= SIGNIN_FEVERS)
		return 1;
	rec_fever(r, &tenths, &due);
	clock_format(due, clock_tz_min(due), when, sizeof when);
	when[16] = '\0';	/* HH:MM */
	snprintf(si->fevers[si->nfevers++], sizeof si->fevers[0], _("#%lld %s %d.%d °C, recheck "
	    "due %s"), (long long)r->root_seq, rec_kind_label(r->kind), tenths / 10, tenths % 10,
	    when + 11);
	return 0;
}

/* Collects distinct names from the sign-ins, newest first, until it has SIGNIN_NAMES. */
static int
signin_collect(const struct record *r, void *arg)
{
	struct signin_state *si = arg;
	int i;

	for (i = 0; i < si->signin_n; i++)
		if (strcmp(si->signin_names[i], r->u.signin.name) == 0)
			return 0;
	snprintf(si->signin_names[si->signin_n++], REC_NAME, "%s", r->u.signin.name);
	return si->signin_n == SIGNIN_NAMES;
}

static void
signin_enter(struct app *a)
{
	struct signin_state *si = app_data(a, &screen_signin);
	struct err e = { 0 };

	if (si->signin_form.fields == NULL) {
		form_field_init(&si->signin_fields[0], N_("Your name"), 20, 0, 1, NULL);
		form_init(&si->signin_form, si->signin_fields, 1, NULL);
	}
	si->signin_n = 0;
	si->signin_sel = -1;
	if (a->lb == NULL)
		return;
	/* through the kind's index: a list by kind alone reads every record (0.7 s at 1M) */
	if (rec_list_newest(a->lb, REC_SIGNIN, signin_collect, si, &e) != E_OK)
		app_message(a, ROLE_ALERT, "%s", e.msg);
	if (si->signin_fields[0].f.len == 0 && logbook_operator(a->lb)[0] != '\0') {
		/* shown, and replaced by the first character typed: never appended to */
		field_set(&si->signin_fields[0].f, logbook_operator(a->lb));
		si->signin_fields[0].replace = 1;
	}
	si->have_handover = logbook_last_handover(a->lb, &si->handover, &e) == 1;
	si->nfevers = 0;
	si->fevers_waiting = rec_rechecks_count(a->lb);
	if (rec_rechecks_pending(a->lb, signin_fever, si, &e) != E_OK)
		app_message(a, ROLE_ALERT, "%s", e.msg);
}

static void
signin_leave(struct app *a)
{
	struct signin_state *si = app_data(a, &screen_signin);

	form_clear(&si->signin_form);
	si->signin_form.fields = NULL;
	memset(si->signin_names, 0, sizeof si->signin_names);
	si->signin_n = 0;
	memset(&si->handover, 0, sizeof si->handover);
	memset(si->fevers, 0, sizeof si->fevers);
	si->have_handover = si->nfevers = 0;
}

static void
signin_draw(struct app *a)
{
	struct signin_state *si = app_data(a, &screen_signin);
	int y = 3, x = 2, i;

	draw_str(y, x, a->cols - 4, _("Who is on duty? Sign in to start your shift."),
	    app_attr(a, ROLE_TITLE), 0);
	char buf[REC_TEXT * 2 + 96], when[32];
	int fy = y + 4;

	draw_form(a, &si->signin_form, y + 2, x, 24);
	/* what the last shift left: its note and the fevers still waiting, from any shift */
	if (si->have_handover && fy <= app_body_bottom(a)) {
		clock_format(si->handover.created_ms, si->handover.tz_min, when, sizeof when);
		when[16] = '\0';	/* HH:MM */
		snprintf(buf, sizeof buf, _("Handover from %s at %s: %s"),
		    si->handover.operator_name, when + 11, si->handover.u.handover.note[0] ?
		    si->handover.u.handover.note : _("(no note)"));
		draw_str(fy++, x, a->cols - 4, buf, app_attr(a, ROLE_TITLE), 0);
	}
	if (si->fevers_waiting > 0 && fy <= app_body_bottom(a)) {
		snprintf(buf, sizeof buf, _("Fevers waiting for their recheck: %lld (F8 after "
		    "signing in)"), (long long)si->fevers_waiting);
		draw_str(fy++, x, a->cols - 4, buf, app_attr(a, ROLE_ALERT), 0);
		for (i = 0; i < si->nfevers && fy <= app_body_bottom(a); i++)
			draw_str(fy++, x + 2, a->cols - 6, si->fevers[i], app_attr(a, ROLE_ALERT),
			    0);
	}
	if (si->signin_n == 0)
		return;
	fy++;
	draw_str(fy++, x, a->cols - 4, _("Signed in before (Up/Down to pick):"),
	    app_attr(a, ROLE_DIM), 0);
	for (i = 0; i < si->signin_n && fy <= app_body_bottom(a); i++)
		draw_str(fy++, x + 2, 30, si->signin_names[i],
		    i == si->signin_sel ? app_attr(a, ROLE_SELECT) : (int)A_NORMAL, 1);
}

static int
signin_go(struct app *a)
{
	struct signin_state *si = app_data(a, &screen_signin);
	struct err e = { 0 };
	char name[REC_NAME * 2], old[REC_NAME];
	int64_t ho = 0;

	form_text(&si->signin_form, 0, name, sizeof name);
	snprintf(old, sizeof old, "%s", logbook_operator(a->lb));
	if (name[0] == '\0') {
		app_message(a, ROLE_ALERT, "%s", _("Type your name, or pick one with Up/Down."));
		return TUI_REDRAW | TUI_BELL;
	}
	if (strcmp(name, logbook_operator(a->lb)) == 0 && logbook_shift(a->lb) != 0)
		app_message(a, ROLE_OK, _("Welcome back, %s: your shift goes on."), name);
	else if (logbook_change(a->lb, name, NULL, &ho, NULL, &e) != E_OK) {
		app_message(a, ROLE_ALERT, "%s", e.msg);
		return TUI_REDRAW | TUI_BELL;
	} else if (ho != 0)
		app_message(a, ROLE_OK, _("Signed in: %s. The shift of %s ended with its handover "
		    "(#%lld); a new shift has started."), name, old, (long long)ho);
	else
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
		si->signin_fields[0].replace = 1;	/* typing a new name replaces it */
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
