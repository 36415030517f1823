/* summary.c — record rows for the log, search and inside-now lists (see summary.h). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/labels.h"
#include "storage/fields.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/summary.h"

#define SUMMARY_COLS 4

const char *
summary_kind(int kind)
{
	return rec_kind_label(kind);	/* the kind's entry in storage names it */
}

int
summary_alert(const struct record *r)
{
	if (r->alert[0] != '\0')
		return 1;
	if (rec_fever(r, NULL, NULL))
		return 1;
	return rec_flagged(r);
}

void
summary_draw(struct app *a, int y, int x, int w, const struct record *r, int selected)
{
	static const int widths[SUMMARY_COLS] = { 14, 20, 14, 0 };
	const char *const *names = rec_kind_summary(r->kind);
	const struct rec_field *f;
	char when[32], buf[REC_TEXT * 2];
	int attr, i, cx = x, cw;

	/* an alert stays red when selected (then reversed) */
	attr = summary_alert(r) ? app_attr(a, ROLE_ALERT) | (selected ? (int)A_REVERSE : 0) :
	    selected ? app_attr(a, ROLE_SELECT) : (int)A_NORMAL;
	draw_fill(y, x, w, attr);
	/* a corrected record is still the record it was: its first number and time */
	clock_format(r->first_ms != 0 ? r->first_ms : r->created_ms, r->tz_min, when,
	    sizeof when);
	when[16] = '\0';
	cx += draw_str(y, cx, 6, when + 11, attr, 1);	/* HH:MM */
	/* the number whole and a space after it: 7 columns up to #99999, wider past that
	 * (a busy gate passes 100 000 records in a few months), never cut to another's */
	cw = snprintf(buf, sizeof buf, "#%lld", (long long)(r->root_seq != 0 ? r->root_seq :
	    r->seq)) + 1;
	cx += draw_str(y, cx, cw > 7 ? cw : 7, buf, attr, 1);
	cx += draw_str(y, cx, 12, summary_kind(r->kind), attr, 1);
	for (i = 0; names != NULL && names[i] != NULL && i < SUMMARY_COLS; i++) {
		cw = widths[i] ? widths[i] : x + w - cx;
		if (cx + cw > x + w)
			cw = x + w - cx;
		if (cw <= 0)
			break;
		buf[0] = '\0';
		/* codes through their short labels, in the interface's language */
		if ((f = rec_field_find(r->kind, names[i])) != NULL)
			label_field(r, f, 1, buf, sizeof buf);
		if (r->kind == REC_TEMP && i == 0 && buf[0] != '\0')
			strncat(buf, " °C", sizeof buf - strlen(buf) - 1);
		if (r->kind == REC_EXIT && buf[0] != '\0') {
			char e[64];

			snprintf(e, sizeof e, _("of entry #%s"), buf);
			snprintf(buf, sizeof buf, "%s", e);
		}
		cx += draw_str(y, cx, cw - 1, buf, attr, DRAW_PAD | DRAW_DATA);
		cx += draw_str(y, cx, 1, " ", attr, 1);
	}
	if (r->alert[0] != '\0' && cx < x + w) {
		label_alert(r->alert, buf, sizeof buf);
		draw_str(y, cx, x + w - cx, buf, attr, DRAW_DATA);
	}
	if (r->deleted && cx < x + w)
		draw_str(y, cx, x + w - cx, _("(deleted)"), attr, 0);
}
