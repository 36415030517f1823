/* screen-bins.c — the mask-bin registry: each bin with its last collection, overdue ones
 * highlighted; Enter records a collection of the selected bin, F7 registers a new bin. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "storage/bins.h"
#include "storage/clock.h"
#include "storage/record.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/recform.h"

/* The key that registers a bin, as the key bar shows it (defined after the key table). */
static const char *bins_new_key(const struct app *a);

#define BINS_MAX 100

/* What this screen keeps while it is on the stack (app_data). */
struct bins_state {
	struct bin_status bins[BINS_MAX];
	int n, sel, top;
	int editing;		/* 0 list, REC_COLLECTION or REC_BIN form */
	struct recform form;
};

static const char *const coll_skip[] = { NULL };

static int
bins_add(const struct bin_status *s, void *arg)
{
	struct bins_state *b = arg;

	if (b->n >= BINS_MAX)
		return 1;
	b->bins[b->n++] = *s;
	return 0;
}

static void
bins_load(struct app *a)
{
	struct bins_state *b = app_data(a, &screen_bins);
	struct err e = { 0 };

	b->n = 0;
	if (a->lb != NULL && rec_bins(a->lb, bins_add, b, &e) != E_OK)
		app_message(a, ROLE_ALERT, "%s", e.msg);
	if (b->sel >= b->n)
		b->sel = b->n - 1;
	if (b->sel < 0)
		b->sel = 0;
}

static void
bins_enter(struct app *a)
{
	struct bins_state *b = app_data(a, &screen_bins);

	if (b->editing)
		b->form.app = a;
	else
		bins_load(a);
}

static void
bins_leave(struct app *a)
{
	struct bins_state *b = app_data(a, &screen_bins);

	memset(b, 0, sizeof *b);
}

static void
bins_time(int64_t ms, char *buf, size_t n)
{
	char t[32];

	if (ms == 0) {
		snprintf(buf, n, "%s", _("never"));
		return;
	}
	clock_format(ms, clock_tz_min(ms), t, sizeof t);
	t[16] = '\0';
	snprintf(buf, n, "%s", t + 5);	/* MM-DD HH:MM */
}

static void
bins_draw(struct app *a)
{
	struct bins_state *b = app_data(a, &screen_bins);
	int y = app_body_top(a), i, overdue = 0, attr;
	char buf[64];

	if (b->editing) {
		draw_str(y, 1, a->cols - 2, b->editing == REC_BIN ? _("Register a new bin") :
		    _("Record a collection"), app_attr(a, ROLE_TITLE), 0);
		draw_form(a, &b->form.form, y + 1, 1, 28);
		return;
	}
	for (i = 0; i < b->n; i++)
		overdue += b->bins[i].overdue;
	snprintf(buf, sizeof buf, _("Bins: %d, overdue: %d"), b->n, overdue);
	draw_str(y++, 1, a->cols - 2, buf, app_attr(a, ROLE_TITLE), 0);
	draw_str(y, 1, 12, _("Bin"), A_BOLD, 1);
	draw_str(y, 13, 26, _("Place"), A_BOLD, 1);
	draw_str(y, 39, 15, _("Last collected"), A_BOLD, 1);
	draw_str(y++, 54, a->cols - 55, _("Due"), A_BOLD, 1);
	if (b->n == 0) {
		char none[128];

		snprintf(none, sizeof none, _("No bins yet: %s registers one."), bins_new_key(a));
		draw_str(y + 1, 3, a->cols - 4, none, app_attr(a, ROLE_DIM), 0);
	}
	if (b->sel < b->top)
		b->top = b->sel;
	if (b->sel > b->top + app_body_bottom(a) - y)
		b->top = b->sel - (app_body_bottom(a) - y);
	for (i = b->top; i < b->n && y <= app_body_bottom(a); i++, y++) {
		/* an overdue bin stays red when selected (then reversed) */
		attr = b->bins[i].overdue ? app_attr(a, ROLE_ALERT) |
		    (i == b->sel ? (int)A_REVERSE : 0) : i == b->sel ? app_attr(a, ROLE_SELECT) :
		    (int)A_NORMAL;
		draw_fill(y, 1, a->cols - 2, attr);
		draw_str(y, 1, 12, b->bins[i].code, attr, DRAW_PAD | DRAW_DATA);
		draw_str(y, 13, 25, b->bins[i].place, attr, DRAW_PAD | DRAW_DATA);
		bins_time(b->bins[i].last_ms, buf, sizeof buf);
		draw_str(y, 39, 15, buf, attr, 1);
		bins_time(b->bins[i].due_ms, buf, sizeof buf);
		if (b->bins[i].overdue)
			strncat(buf, _(" OVERDUE"), sizeof buf - strlen(buf) - 1);
		draw_str(y, 54, a->cols - 55, buf, attr, 1);
	}
}

static int
bins_collect(struct app *a)
{
	struct bins_state *b = app_data(a, &screen_bins);
	int i;

	if (b->editing || b->n == 0)
		return TUI_REDRAW;
	recform_init(&b->form, REC_COLLECTION, a, coll_skip);
	if ((i = recform_index(&b->form, "bin")) >= 0) {
		field_set(&b->form.ff[i].f, b->bins[b->sel].code);
		form_check_field(&b->form.form, i);
		form_focus(&b->form.form, i + 1 < b->form.form.n ? i + 1 : i);
	}
	b->editing = REC_COLLECTION;
	return TUI_REDRAW;
}

static int
bins_new(struct app *a)
{
	struct bins_state *b = app_data(a, &screen_bins);

	if (b->editing)
		return TUI_REDRAW;
	recform_init(&b->form, REC_BIN, a, NULL);
	b->editing = REC_BIN;
	return TUI_REDRAW;
}

static int
bins_save(struct app *a)
{
	struct bins_state *b = app_data(a, &screen_bins);
	struct record r;
	struct rec_notice notice;
	struct err e = { 0 };
	int bad;

	memset(&r, 0, sizeof r);
	if ((bad = recform_validate(&b->form)) >= 0) {
		app_message(a, ROLE_ALERT, _("Not saved: %s: %s"), _(b->form.ff[bad].label),
		    b->form.ff[bad].note[0] ? b->form.ff[bad].note : _("required"));
		return TUI_REDRAW | TUI_BELL;
	}
	char typed[sizeof r.u.bin.code];

	if (recform_build(&b->form, &r, &e) != E_OK) {
		app_message(a, ROLE_ALERT, _("Not saved: %s"), e.msg);
		return TUI_REDRAW | TUI_BELL;
	}
	snprintf(typed, sizeof typed, "%s", r.kind == REC_BIN ? r.u.bin.code : "");
	if (rec_add(a->lb, &r, &notice, &e) != E_OK) {
		app_message(a, ROLE_ALERT, _("Not saved: %s"), e.msg);
		return TUI_REDRAW | TUI_BELL;
	}
	if (r.kind == REC_BIN && strcmp(typed, r.u.bin.code) != 0)
		/* B-01 is kept as B01: say so, so that nobody looks for what was typed */
		app_message(a, ROLE_OK, _("Saved #%lld (Bin) as %s: bin codes are kept in capitals "
		    "without spaces or dashes."), (long long)r.seq, r.u.bin.code);
	else
		app_message(a, ROLE_OK, _("Saved #%lld (%s)."), (long long)r.seq,
		    r.kind == REC_BIN ? _("Bin") : _("Collection"));
	form_clear(&b->form.form);
	b->editing = 0;
	bins_load(a);
	return TUI_REDRAW;
}

static int
bins_key(struct app *a, int key)
{
	struct bins_state *b = app_data(a, &screen_bins);

	if (!b->editing) {
		switch (key) {
		case TK(KEY_UP):
			if (b->sel > 0)
				b->sel--;
			return TUI_REDRAW;
		case TK(KEY_DOWN):
			if (b->sel + 1 < b->n)
				b->sel++;
			return TUI_REDRAW;
		case TK_ENTER:
			return bins_collect(a);
		case TK_ESC:
			return TUI_DONE;
		}
		return TUI_UNHANDLED;
	}
	switch (form_key(&b->form.form, key)) {
	case FORM_SUBMIT:
		return bins_save(a);
	case FORM_CANCEL:
		form_clear(&b->form.form);
		b->editing = 0;
		return TUI_REDRAW;
	case FORM_IGNORED:
		return TUI_UNHANDLED;
	case FORM_EDITED:
		recform_recheck(&b->form);
		break;
	}
	return TUI_REDRAW;
}

static int
bins_save_key(struct app *a)
{
	struct bins_state *b = app_data(a, &screen_bins);

	return b->editing ? bins_save(a) : TUI_REDRAW;
}

static const struct key_binding bins_keys[] = {
	{ TK(KEY_F(7)), TK_CTRL('N'), bins_new, N_("New bin"), N_("Register a new bin"), 0 },
	{ TK_CTRL('S'), 0, bins_save_key, N_("Save"), N_("Save the form"), 0 },
	{ TK_ENTER, 0, NULL, N_("Collect"),
	    N_("Record a collection of the selected bin (in a form: next field)"), 0 },
	{ TK_ESC, 0, NULL, N_("Back"), N_("Back (or cancel the form)"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

static const char *
bins_new_key(const struct app *a)
{
	return draw_key_for(a, bins_keys, bins_new);
}

const struct screen screen_bins = {
	.name = N_("Bins"),
	.keys = bins_keys,
	.enter = bins_enter,
	.leave = bins_leave,
	.draw = bins_draw,
	.key = bins_key,
	.wipe = bins_leave,
	.size = sizeof(struct bins_state),
};
