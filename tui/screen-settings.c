/* screen-settings.c — the station's settings as a form (threshold, recheck window,
 * high-risk regions, quota, retention…); each is checked by storage when saved, and a bad
 * value keeps the form as typed. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "storage/logbook.h"
#include "tui/app.h"
#include "tui/draw.h"

#define SET_MAX 16

/* What this screen keeps while it is on the stack (app_data). */
struct settings_state {
	struct form_field ff[SET_MAX];
	const struct setting_def *def[SET_MAX];
	char was[SET_MAX][256];
	struct form form;
	int ready;
};

static void
settings_enter(struct app *a)
{
	struct settings_state *st = app_data(a, &screen_settings);
	const struct setting_def *d;
	int n = 0;

	if (st->ready || a->lb == NULL)
		return;
	for (d = settings_keys; d->key != NULL && n < SET_MAX; d++) {
		if (d->readonly)
			continue;
		form_field_init(&st->ff[n], d->key, 120, 0, 0, NULL);
		settings_get(a->lb, d->key, st->was[n], sizeof st->was[n], NULL);
		field_set(&st->ff[n].f, st->was[n]);
		st->def[n++] = d;
	}
	form_init(&st->form, st->ff, n > 0 ? n : 1, NULL);
	st->ready = 1;
}

static void
settings_leave(struct app *a)
{
	struct settings_state *st = app_data(a, &screen_settings);

	if (st->ready)
		form_clear(&st->form);
	memset(st, 0, sizeof *st);
}

static void
settings_draw(struct app *a)
{
	struct settings_state *st = app_data(a, &screen_settings);
	int y = app_body_top(a);

	draw_str(y, 1, a->cols - 2, _("Station settings"), app_attr(a, ROLE_TITLE), 0);
	y = draw_form(a, &st->form, y + 2, 1, 36);
	y++;
	if (st->def[st->form.cur] != NULL && st->def[st->form.cur]->help != NULL)
		y += draw_wrap(y, 3, a->cols - 4, 3, _(st->def[st->form.cur]->help),
		    app_attr(a, ROLE_DIM));	/* a long meaning wraps */
	draw_wrap(y + 1, 3, a->cols - 4, 2, _("Enter on the last field or ^S saves; Esc leaves "
	    "without saving."), app_attr(a, ROLE_DIM));
}

static int
settings_save(struct app *a)
{
	struct settings_state *st = app_data(a, &screen_settings);
	struct err e = { 0 };
	char v[256];
	int i, changed = 0, idle = 0;

	for (i = 0; i < st->form.n; i++) {
		form_text(&st->form, i, v, sizeof v);
		if (strcmp(v, st->was[i]) == 0)
			continue;
		if (settings_set(a->lb, st->def[i]->key, v, &e) != E_OK) {
			st->ff[i].state = FORM_BAD;
			snprintf(st->ff[i].note, sizeof st->ff[i].note, "%.180s", e.msg);
			form_focus(&st->form, i);
			app_message(a, ROLE_ALERT, _("Not saved: %s"), e.msg);
			return TUI_REDRAW | TUI_BELL;
		}
		st->ff[i].state = FORM_OK;
		snprintf(st->ff[i].note, sizeof st->ff[i].note, "%s", _("saved"));
		memcpy(st->was[i], v, sizeof st->was[i]);
		changed++;
		if (strcmp(st->def[i]->key, "name") == 0)
			snprintf(a->station, sizeof a->station, "%.64s", v);
		if (strcmp(st->def[i]->key, "idle_lock_minutes") == 0)
			idle = 1;
	}
	if (!idle) {
		app_message(a, ROLE_OK, _("Settings saved (%d changed)."), changed);
		return TUI_REDRAW;
	}
	/* applied at once: the idle timer counts from the last key with the new limit */
	app_idle_apply(a);
	if (a->idle_lock_s == 0)
		app_message(a, ROLE_OK, _("Settings saved (%d changed). The screen no longer "
		    "locks by itself."), changed);
	else if (a->idle_lock_s % 60 == 0)
		app_message(a, ROLE_OK, _("Settings saved (%d changed). The screen now locks "
		    "when idle for %d min."), changed, a->idle_lock_s / 60);
	else
		app_message(a, ROLE_OK, _("Settings saved (%d changed). The screen now locks "
		    "when idle for %d s."), changed, a->idle_lock_s);
	return TUI_REDRAW;
}

static int
settings_key(struct app *a, int key)
{
	struct settings_state *st = app_data(a, &screen_settings);

	switch (form_key(&st->form, key)) {
	case FORM_SUBMIT:
		return settings_save(a);
	case FORM_CANCEL:
		return TUI_DONE;
	case FORM_IGNORED:
		return TUI_UNHANDLED;
	}
	return TUI_REDRAW;
}

static const struct key_binding settings_keys_tab[] = {
	{ TK_CTRL('S'), 0, settings_save, N_("Save"), N_("Save the changed settings"), 0 },
	{ TK_ESC, 0, NULL, N_("Back"), N_("Back without saving what was not saved"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

const struct screen screen_settings = {
	.name = N_("Settings"),
	.keys = settings_keys_tab,
	.enter = settings_enter,
	.leave = settings_leave,
	.draw = settings_draw,
	.key = settings_key,
	.wipe = settings_leave,
	.size = sizeof(struct settings_state),
};
