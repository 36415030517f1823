/* screen-unlock.c — the locked screen: one passphrase (or recovery key) field, no echo, and
 * nothing else on the screen. A wrong try clears only this field; whatever waits under the
 * lock (a half-typed form) is kept. */
#include <curses.h>
#include <string.h>

#include <sodium.h>

#include "tui/app.h"
#include "tui/draw.h"
#include "tui/loop.h"

#define SECRET_BYTES (FIELD_CAP * 4 + 1)

/* in sodium_malloc memory (locked, guarded, wiped when freed): it holds the secret */
static struct form_field *unlock_fields;
static struct form unlock_form;
static int unlock_tries;

static void
unlock_enter(struct app *a)
{
	(void)a;
	if (unlock_form.fields != NULL)
		return;		/* shown again after help: keep what was typed */
	if ((unlock_fields = sodium_malloc(sizeof *unlock_fields)) == NULL) {
		app_message(a, ROLE_ALERT, "%s", _("out of memory"));
		a->quit = 1;
		return;
	}
	form_field_init(&unlock_fields[0], N_("Passphrase or recovery key"), FIELD_CAP,
	    FIELD_SECRET, 1, NULL);
	form_init(&unlock_form, unlock_fields, 1, NULL);
}

static void
unlock_leave(struct app *a)
{
	(void)a;
	if (unlock_form.fields != NULL)
		form_clear(&unlock_form);
	sodium_free(unlock_fields);
	unlock_fields = NULL;
	unlock_form.fields = NULL;
	unlock_tries = 0;
}

static void
unlock_draw(struct app *a)
{
	int y = a->rows / 2 - 4, x = (a->cols - 60) / 2;

	if (x < 1)
		x = 1;
	draw_str(y, x, 60, _("The logbook is locked."), app_attr(a, ROLE_TITLE), 0);
	draw_str(y + 1, x, 60, _("Type the passphrase (or the recovery key) and press Enter."),
	    A_NORMAL, 0);
	draw_form(a, &unlock_form, y + 3, x, 30);
}

static int
unlock_try(struct app *a)
{
	struct err e = { 0 };
	char *secret;
	int rc, len;

	if (unlock_fields[0].f.len == 0)
		return TUI_REDRAW;
	if ((secret = sodium_malloc(SECRET_BYTES)) == NULL) {
		app_message(a, ROLE_ALERT, "%s", _("out of memory"));
		return TUI_REDRAW;
	}
	len = field_get(&unlock_fields[0].f, secret, SECRET_BYTES);
	field_clear(&unlock_fields[0].f);
	app_message(a, ROLE_NORMAL, "%s", _("Unlocking…"));
	loop_paint(a);
	rc = len > 0 ? app_open(a, secret, (size_t)len, &e) : E_LOCKED;
	sodium_free(secret);
	if (rc != E_OK) {
		unlock_tries++;
		if (rc == E_LOCKED)
			app_message(a, ROLE_ALERT, _("Wrong passphrase or recovery key (%d tries). "
			    "Try again."), unlock_tries);
		else
			app_message(a, ROLE_ALERT, "%s", e.msg);
		return TUI_REDRAW | TUI_BELL;
	}
	a->locked = 0;
	app_message(a, ROLE_OK, "%s", _("Unlocked."));
	if (a->depth > 1)
		return TUI_DONE;	/* back to what was locked */
	app_reset(a, &screen_signin);
	return TUI_REDRAW;
}

static int
unlock_key(struct app *a, int key)
{
	switch (form_key(&unlock_form, key)) {
	case FORM_SUBMIT:
		return unlock_try(a);
	case FORM_IGNORED:
	case FORM_CANCEL:
		return TUI_UNHANDLED;
	}
	return TUI_REDRAW;
}

static const struct key_binding unlock_keys[] = {
	{ TK_ENTER, 0, unlock_try, N_("Unlock"), N_("Unlock with what was typed") },
	{ 0, 0, NULL, NULL, NULL },
};

const struct screen screen_unlock = {
	.name = N_("Unlock"),
	.keys = unlock_keys,
	.enter = unlock_enter,
	.leave = unlock_leave,
	.draw = unlock_draw,
	.key = unlock_key,
	.wipe = unlock_leave,
	.secure = 1,
};
