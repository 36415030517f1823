/* screen-help.c — F1: every key of the screen below, the global keys and the form keys on
 * one screen, drawn from the very tables that dispatch them. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/app.h"
#include "tui/draw.h"
#include "tui/form.h"

static int
help_table(struct app *a, int y, int x, int w, const char *title, const struct screen *s,
    const struct key_binding *k)
{
	char keys[32];

	if (k == NULL || k->key == 0)
		return y;
	draw_str(y++, x, w, title, app_attr(a, ROLE_TITLE), 0);
	for (; k->key != 0 && y <= app_body_bottom(a); k++) {
		if (!app_offers(a, s, k))
			continue;
		if (k->alt != 0) {
			snprintf(keys, sizeof keys, "%s", key_name(k->key));
			snprintf(keys + strlen(keys), sizeof keys - strlen(keys), " %s",
			    key_name(k->alt));
		} else
			snprintf(keys, sizeof keys, "%s", key_name(k->key));
		draw_str(y, x + 1, 12, keys, app_attr(a, ROLE_KEY), 1);
		/* a long help sentence goes on under itself rather than being cut */
		y += draw_wrap(y, x + 13, w - 13, app_body_bottom(a) - y + 1,
		    _(k->help ? k->help : k->label), A_NORMAL);
	}
	return y;
}

/* A compact table: "KEY/ALT label" pairs flowing over as many rows as they need. */
static int
help_flow(struct app *a, int y, int x, int w, const char *title,
    const struct key_binding *k)
{
	char item[96];
	int cx = x + 1, need;

	draw_str(y++, x, w, title, app_attr(a, ROLE_TITLE), 0);
	for (; k->key != 0 && y <= app_body_bottom(a); k++) {
		snprintf(item, sizeof item, "%s", key_name(k->key));
		if (k->alt != 0)
			snprintf(item + strlen(item), sizeof item - strlen(item), "/%s",
			    key_name(k->alt));
		need = draw_width(item) + 1 + draw_width(_(k->label)) + 3;
		if (cx + need > x + w) {
			y++;
			cx = x + 1;
		}
		cx += draw_str(y, cx, x + w - cx, item, app_attr(a, ROLE_KEY), 0);
		cx += draw_str(y, cx, x + w - cx, " ", A_NORMAL, 0);
		cx += draw_str(y, cx, x + w - cx, _(k->label), A_NORMAL, 0);
		cx += draw_str(y, cx, x + w - cx, "   ", A_NORMAL, 0);
	}
	return y + 1;
}

static void
help_draw(struct app *a)
{
	const struct screen *under = a->depth >= 2 ? a->stack[a->depth - 2] : NULL;
	int y = app_body_top(a), w = a->cols - 2;
	char title[128];

	snprintf(title, sizeof title, _("Keys of the screen \"%s\""),
	    under != NULL ? _(under->name) : "");
	y = help_table(a, y, 1, w, title, under, under != NULL ? under->keys : NULL);
	y = help_table(a, y, 1, w, _("Everywhere"), NULL, app_global_keys);
	if (y + 1 <= app_body_bottom(a))
		help_flow(a, y, 1, w, _("In a form"), form_keys_help);
}

static int
help_close(struct app *a)
{
	(void)a;
	return TUI_DONE;
}

static int
help_key(struct app *a, int key)
{
	(void)a;
	(void)key;
	return TUI_DONE;	/* any key closes the help */
}

static const struct key_binding help_keys[] = {
	{ TK_ESC, TK(KEY_F(1)), help_close, N_("Close"), N_("Close the help (any key does)"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

const struct screen screen_help = {
	.name = N_("Help"),
	.keys = help_keys,
	.draw = help_draw,
	.key = help_key,
	.secure = 1,
};
