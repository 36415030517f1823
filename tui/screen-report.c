/* screen-report.c — today or this shift: counts per kind, fevers and their outcomes, alerts,
 * bins, an hourly bar chart of records and fevers; F9 hands the shift over. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/logbook.h"
#include "storage/query.h"
#include "storage/report.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/main.h"
#include "tui/summary.h"

/* What this screen keeps while it is on the stack (app_data). */
struct report_state {
	int shift;		/* 0 today, 1 this shift */
	struct report rep;
	int64_t fever_hour[24];
	int handing_over;
	struct form_field note_field[1];
	struct form note;
};

static int
report_fevers(const struct record *r, void *arg)
{
	struct report_state *rp = arg;
	char when[32];

	(void)arg;
	if (r->kind == REC_TEMP && r->u.temp.fever && r->u.temp.recheck_of == 0) {
		clock_format(r->created_ms, r->tz_min, when, sizeof when);
		rp->fever_hour[(when[11] - '0') * 10 + (when[12] - '0')]++;
	}
	return 0;
}

static void
report_load(struct app *a)
{
	struct report_state *rp = app_data(a, &screen_report);
	struct rec_query q = { .kind = REC_TEMP };
	struct err e = { 0 };
	int64_t now = clock_now_ms();
	int rc;

	memset(&rp->rep, 0, sizeof rp->rep);
	memset(rp->fever_hour, 0, sizeof rp->fever_hour);
	if (a->lb == NULL)
		return;
	if (rp->shift && logbook_shift(a->lb) != 0) {
		rc = report_shift(a->lb, logbook_shift(a->lb), &rp->rep, &e);
		q.shift = logbook_shift(a->lb);
	} else {
		rp->shift = 0;
		rc = report_day(a->lb, clock_day(now, clock_tz_min(now)), &rp->rep, &e);
		q.since_ms = main_today_start();
	}
	if (rc == E_OK)
		rc = rec_list(a->lb, &q, report_fevers, rp, &e);
	if (rc != E_OK)
		app_message(a, ROLE_ALERT, "%s", e.msg);
}

static void
report_enter(struct app *a)
{
	struct report_state *rp = app_data(a, &screen_report);

	if (rp->note.fields == NULL) {
		form_field_init(&rp->note_field[0], N_("Handover note"), 100, 0, 0, NULL);
		form_init(&rp->note, rp->note_field, 1, NULL);
	}
	report_load(a);
}

static void
report_leave(struct app *a)
{
	struct report_state *rp = app_data(a, &screen_report);

	form_clear(&rp->note);
	memset(rp, 0, sizeof *rp);
}

/* Prints "label value" pairs one after another, wrapping at the right edge. */
static int
report_pair(struct app *a, int y, int *x, const char *label, long long v, int role)
{
	char buf[96];
	int w;

	snprintf(buf, sizeof buf, "%s %lld", label, v);
	w = draw_width(buf) + 3;
	if (*x + w > a->cols - 1) {
		y++;
		*x = 2;
	}
	draw_str(y, *x, w, buf, v > 0 && role != ROLE_NORMAL ? app_attr(a, role) :
	    (int)A_NORMAL, 0);
	*x += w;
	return y;
}

/* Bars of records per local hour, fevers in alert colour at their foot, each bar's count
 * on the row above it (the top row is kept for the tallest one's count). */
static void
report_chart(struct app *a, int y, int height)
{
	struct report_state *rp = app_data(a, &screen_report);
	int64_t max = 1;
	int h, row, x, bars = height - 1;
	char lbl[24];

	for (h = 0; h < 24; h++)
		if (rp->rep.hourly[h] > max)
			max = rp->rep.hourly[h];
	for (h = 0; h < 24; h++) {
		int bar = (int)((rp->rep.hourly[h] * bars + max - 1) / max);
		int fev = (int)((rp->fever_hour[h] * bars + max - 1) / max);

		x = 4 + h * 3;
		for (row = 0; row < bar; row++)
			draw_str(y + height - 1 - row, x, 2, row < fev ? "!!" : "██",
			    row < fev ? app_attr(a, ROLE_ALERT) : app_attr(a, ROLE_TITLE), 0);
		if (rp->rep.hourly[h] > 0) {
			snprintf(lbl, sizeof lbl, "%lld", (long long)rp->rep.hourly[h]);
			draw_str(y + height - 1 - bar, x, 3, lbl, A_NORMAL, 0);
		}
		if (h % 3 == 0) {
			snprintf(lbl, sizeof lbl, "%02d", h);
			draw_str(y + height, x, 3, lbl, app_attr(a, ROLE_DIM), 0);
		}
	}
}

static void
report_draw(struct app *a)
{
	struct report_state *rp = app_data(a, &screen_report);

	static const char *const outcome[5] = { N_("pass"), N_("isolated"), N_("referred"),
	    N_("turned back"), N_("other") };
	int y = app_body_top(a), x = 2, k, i, height;
	char buf[160];

	snprintf(buf, sizeof buf, "%s   %s", rp->shift ? _("Report: this shift") :
	    _("Report: today"), rp->shift ? _("(Tab: today)") : _("(Tab: this shift)"));
	draw_str(y++, 1, a->cols - 2, buf, app_attr(a, ROLE_TITLE), 0);
	for (k = REC_TEMP; k <= REC_COLLECTION; k++)
		y = report_pair(a, y, &x, summary_kind(k), (long long)rp->rep.count[k],
		    ROLE_NORMAL);
	y++;
	x = 2;
	y = report_pair(a, y, &x, _("Fevers"), (long long)rp->rep.fevers, ROLE_ALERT);
	y = report_pair(a, y, &x, _("rechecked"), (long long)rp->rep.fevers_rechecked,
	    ROLE_NORMAL);
	y = report_pair(a, y, &x, _("waiting for recheck"), (long long)rp->rep.fevers_pending,
	    ROLE_WARN);
	y = report_pair(a, y, &x, _("released despite fever"), (long long)rp->rep.released,
	    ROLE_ALERT);
	if (rp->rep.route_overrides != 0)
		y = report_pair(a, y, &x, _("routes overridden"),
		    (long long)rp->rep.route_overrides, ROLE_WARN);
	y++;
	x = 2;
	draw_str(y, x, 12, _("Outcomes:"), A_NORMAL, 0);
	x += draw_width(_("Outcomes:")) + 1;
	for (i = 0; i < 5; i++)
		y = report_pair(a, y, &x, _(outcome[i]), (long long)rp->rep.dispositions[i],
		    ROLE_NORMAL);
	y++;
	x = 2;
	y = report_pair(a, y, &x, _("Vehicles flagged"), (long long)rp->rep.flagged, ROLE_ALERT);
	y = report_pair(a, y, &x, _("Over quota"), (long long)rp->rep.quota_exceeded, ROLE_WARN);
	y = report_pair(a, y, &x, _("Watchlist alerts"), (long long)rp->rep.alerts, ROLE_ALERT);
	y = report_pair(a, y, &x, _("Inside now"), (long long)rp->rep.inside_now, ROLE_NORMAL);
	y++;
	x = 2;
	y = report_pair(a, y, &x, _("Bins collected"), (long long)rp->rep.bins_collected,
	    ROLE_NORMAL);
	y = report_pair(a, y, &x, _("Bins overdue"), (long long)rp->rep.bins_overdue, ROLE_ALERT);
	y += 2;
	draw_str(y++, 1, a->cols - 2, _("Records per hour (!! = fevers)"),
	    app_attr(a, ROLE_TITLE), 0);
	height = app_body_bottom(a) - y - 1 - (rp->handing_over ? 2 : 0);
	if (height > 10)
		height = 10;
	if (height >= 3)
		report_chart(a, y, height);
	if (rp->handing_over)
		draw_form(a, &rp->note, app_body_bottom(a), 1, 50);
}

static int
report_toggle(struct app *a)
{
	struct report_state *rp = app_data(a, &screen_report);

	rp->shift = !rp->shift;
	report_load(a);
	return TUI_REDRAW;
}

static int
report_handover(struct app *a)
{
	struct report_state *rp = app_data(a, &screen_report);

	rp->handing_over = 1;
	app_message(a, ROLE_NORMAL, "%s", _("Write a note for the next shift and press Enter "
	    "(Esc: not now)."));
	return TUI_REDRAW;
}

static int
report_key(struct app *a, int key)
{
	struct report_state *rp = app_data(a, &screen_report);
	struct err e = { 0 };
	char note[400];
	int64_t seq;

	if (!rp->handing_over)
		return key == TK_ESC ? TUI_DONE : TUI_UNHANDLED;
	switch (form_key(&rp->note, key)) {
	case FORM_SUBMIT:
		form_text(&rp->note, 0, note, sizeof note);
		if (logbook_handover(a->lb, note, &seq, &e) != E_OK) {
			app_message(a, ROLE_ALERT, "%s", e.msg);
			return TUI_REDRAW | TUI_BELL;
		}
		app_message(a, ROLE_OK, _("Shift handed over (#%lld). Next operator: sign in."),
		    (long long)seq);
		app_alert(a, ROLE_NORMAL, NULL);
		app_reset(a, &screen_signin);
		return TUI_REDRAW;
	case FORM_CANCEL:
		rp->handing_over = 0;
		return TUI_REDRAW;
	case FORM_IGNORED:
		return TUI_UNHANDLED;
	}
	return TUI_REDRAW;
}

static const struct key_binding report_keys[] = {
	{ TK_TAB, 0, report_toggle, N_("Today/shift"), N_("Switch between today and this shift"), 0 },
	{ TK(KEY_F(9)), TK_CTRL('O'), report_handover, N_("Handover"),
	    N_("Hand the shift over with a note; the next operator signs in"), 0 },
	{ TK_ESC, 0, NULL, N_("Back"), N_("Back to the main screen"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

const struct screen screen_report = {
	.name = N_("Report"),
	.keys = report_keys,
	.enter = report_enter,
	.leave = report_leave,
	.draw = report_draw,
	.key = report_key,
	.wipe = report_leave,
	.size = sizeof(struct report_state),
};
