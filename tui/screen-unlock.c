/* screen-unlock.c — the locked screen: one passphrase (or recovery key) field, no echo, and
 * nothing else on the screen. A wrong try clears only this field; whatever waits under the
 * lock (a half-typed form) is kept. */
#include <curses.h>
#include <string.h>

#include <sodium.h>

#include "storage/logbook.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/loop.h"

#define SECRET_BYTES (FIELD_CAP * 4 + 1)

/* What this screen keeps while it is on the stack (app_data). */
struct unlock_state {
	struct form_field *unlock_fields;	/* sodium_malloc: it holds the secret */
	struct form unlock_form;
	int unlock_tries;
};

static void
unlock_enter(struct app *a)
{
	struct unlock_state *u = app_data(a, &screen_unlock);

	if (u->unlock_form.fields != NULL)
		return;		/* shown again after help: keep what was typed */
	if ((u->unlock_fields = sodium_malloc(sizeof *u->unlock_fields)) == NULL) {
		app_message(a, ROLE_ALERT, "%s", _("out of memory"));
		a->quit = 1;
		return;
	}
	form_field_init(&u->unlock_fields[0], N_("Passphrase or recovery key"), FIELD_CAP,
	    FIELD_SECRET, 1, NULL);
	form_init(&u->unlock_form, u->unlock_fields, 1, NULL);
}

static void
unlock_leave(struct app *a)
{
	struct unlock_state *u = app_data(a, &screen_unlock);

	if (u->unlock_form.fields != NULL)
		form_clear(&u->unlock_form);
	sodium_free(u->unlock_fields);
	u->unlock_fields = NULL;
	u->unlock_form.fields = NULL;
	u->unlock_tries = 0;
}

static void
unlock_draw(struct app *a)
{
	struct unlock_state *u = app_data(a, &screen_unlock);
	int y = a->rows / 2 - 4, x = (a->cols - 60) / 2;

	if (x < 1)
		x = 1;
	draw_str(y, x, 60, _("The logbook is locked."), app_attr(a, ROLE_TITLE), 0);
	draw_str(y + 1, x, 60, _("Type the passphrase (or the recovery key) and press Enter."),
	    A_NORMAL, 0);
	draw_form(a, &u->unlock_form, y + 3, x, 30);
}

static int
unlock_try(struct app *a)
{
	struct unlock_state *u = app_data(a, &screen_unlock);
	struct err e = { 0 };
	char *secret;
	int rc, len, recovery;

	if (u->unlock_fields[0].f.len == 0)
		return TUI_REDRAW;
	if ((secret = sodium_malloc(SECRET_BYTES)) == NULL) {
		app_message(a, ROLE_ALERT, "%s", _("out of memory"));
		return TUI_REDRAW;
	}
	len = field_get(&u->unlock_fields[0].f, secret, SECRET_BYTES);
	field_clear(&u->unlock_fields[0].f);
	app_message(a, ROLE_NORMAL, "%s", _("Unlocking…"));
	loop_paint(a);
	rc = len > 0 ? app_open(a, secret, (size_t)len, &e) : E_LOCKED;
	recovery = len > 0 && logbook_looks_like_recovery(secret, (size_t)len);
	sodium_free(secret);
	if (rc != E_OK) {
		u->unlock_tries++;
		if (rc == E_LOCKED && recovery && e.msg[0] != '\0')
			/* which group has the typo, as the CLI says */
			app_message(a, ROLE_ALERT, dngettext(OUTPOST_DOMAIN, "%s (%d try). Try again.",
			    "%s (%d tries). Try again.", (unsigned long)u->unlock_tries), e.msg,
			    u->unlock_tries);
		else if (rc == E_LOCKED)
			app_message(a, ROLE_ALERT, dngettext(OUTPOST_DOMAIN,
			    "Wrong passphrase or recovery key (%d try). Try again.",
			    "Wrong passphrase or recovery key (%d tries). Try again.",
			    (unsigned long)u->unlock_tries), u->unlock_tries);
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
	struct unlock_state *u = app_data(a, &screen_unlock);

	switch (form_key(&u->unlock_form, key)) {
	case FORM_SUBMIT:
		return unlock_try(a);
	case FORM_IGNORED:
	case FORM_CANCEL:
		return TUI_UNHANDLED;
	}
	return TUI_REDRAW;
}

static const struct key_binding unlock_keys[] = {
	{ TK_ENTER, 0, unlock_try, N_("Unlock"), N_("Unlock with what was typed"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
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
	.size = sizeof(struct unlock_state),
};
