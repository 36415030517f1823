/* screen-detail.c — one record: its fields as they are now, every version before (who, when,
 * why), a correction (the same form prefilled, plus the reason, saved as a new version) and
 * a deletion (a reason and a confirmation, saved as a tombstone; the history stays). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/labels.h"
#include "storage/fields.h"
#include "storage/query.h"
#include "storage/record.h"
#include "tui/app.h"
#include "tui/detail.h"
#include "tui/draw.h"
#include "tui/recform.h"
#include "tui/summary.h"

#define DETAIL_HIST 32

/* What this screen keeps while it is on the stack (app_data). */
struct detail_state {
	int64_t seq;
	struct record rec;
	struct record hist[DETAIL_HIST];
	int nhist;
	int correcting;
	struct recform form;
	struct form_field reason_field[1];
	struct form reason;
	int in_reason;		/* the cursor is in the reason field */
	int deleting;		/* enum detail_delete: the delete dialog's step */
	struct form_field del_field[1];
	struct form del_form;
};

/* The steps of the delete dialog. */
enum detail_delete { DEL_NONE = 0, DEL_REASON, DEL_CONFIRM };

static int
detail_hist(const struct record *r, void *arg)
{
	struct detail_state *d = arg;

	if (d->nhist < DETAIL_HIST)
		d->hist[d->nhist++] = *r;
	return 0;
}

static void
detail_load(struct app *a)
{
	struct detail_state *d = app_data(a, &screen_detail);
	struct err e = { 0 };

	d->nhist = 0;
	if (a->lb == NULL)
		return;
	if (rec_get(a->lb, d->seq, &d->rec, &e) != E_OK ||
	    rec_history(a->lb, d->seq, detail_hist, d, &e) != E_OK)
		app_message(a, ROLE_ALERT, "%s", e.msg);
}

void
detail_open(struct app *a, int64_t seq)
{
	struct detail_state *d;

	app_push(a, &screen_detail);
	if (app_top(a) != &screen_detail)
		return;		/* no memory: the message line says so */
	d = app_data(a, &screen_detail);
	d->seq = seq;
	detail_load(a);
}

static void
detail_enter(struct app *a)
{
	struct detail_state *d = app_data(a, &screen_detail);

	if (d->seq == 0)
		return;		/* just pushed: detail_open loads it */
	if (!d->correcting)
		detail_load(a);
	else
		d->form.app = a;
}

static void
detail_leave(struct app *a)
{
	struct detail_state *d = app_data(a, &screen_detail);

	memset(d, 0, sizeof *d);
}

/* The delete dialog, from row y: the record in one line, what deleting does, the reason,
 * and at the last step the question. */
static void
detail_draw_delete(struct app *a, int y)
{
	struct detail_state *d = app_data(a, &screen_detail);
	char buf[256];

	y++;
	summary_draw(a, y++, 1, a->cols - 2, &d->rec, 0);
	y++;
	draw_str(y++, 1, a->cols - 2, _("Delete this record?"), app_attr(a, ROLE_TITLE), 0);
	draw_str(y++, 1, a->cols - 2, _("It leaves the lists and searches. The history keeps "
	    "it, with the reason."), A_NORMAL, 0);
	y++;
	d->del_form.inactive = d->deleting == DEL_CONFIRM;
	y = draw_form(a, &d->del_form, y, 1, 40);
	y++;
	if (d->deleting == DEL_CONFIRM) {
		snprintf(buf, sizeof buf, _("Delete #%lld now? y: delete   Esc: back to the reason"),
		    (long long)(d->rec.root_seq ? d->rec.root_seq : d->seq));
		draw_str(y, 1, a->cols - 2, buf, app_attr(a, ROLE_ALERT) | A_BOLD, 0);
	} else
		draw_str(y, 1, a->cols - 2, _("Enter: go on   Esc: cancel, nothing is deleted"),
		    app_attr(a, ROLE_DIM), 0);
}

static void
detail_draw(struct app *a)
{
	struct detail_state *d = app_data(a, &screen_detail);
	const struct rec_field *fields;
	size_t n, i;
	int y = app_body_top(a), lw = 0, w, h;
	char buf[REC_TEXT * 2], when[32];

	snprintf(buf, sizeof buf, _("%s #%lld"), summary_kind(d->rec.kind),
	    (long long)d->rec.root_seq ? (long long)d->rec.root_seq : (long long)d->seq);
	draw_str(y++, 1, a->cols - 2, buf, app_attr(a, ROLE_TITLE), 0);
	if (d->correcting) {
		d->form.form.inactive = d->in_reason;
		d->reason.inactive = !d->in_reason;
		y = draw_form(a, &d->form.form, y, 1, 28);
		draw_form(a, &d->reason, y + 1, 1, 40);
		return;
	}
	if (d->deleting) {
		detail_draw_delete(a, y);
		return;
	}
	if (d->rec.deleted && d->nhist > 0) {
		snprintf(buf, sizeof buf, _("DELETED: %s"), d->hist[d->nhist - 1].reason);
		draw_str(y++, 1, a->cols - 2, buf, app_attr(a, ROLE_WARN) | A_BOLD, 1);
	}
	if (d->rec.alert[0] != '\0') {
		label_alert(d->rec.alert, buf, sizeof buf);
		draw_str(y++, 1, a->cols - 2, buf, app_attr(a, ROLE_ALERT), 1);
	}
	fields = rec_fields(d->rec.kind, &n);
	for (i = 0; fields != NULL && i < n; i++)
		if ((w = draw_width(_(fields[i].label))) > lw)
			lw = w;
	if (lw > 30)
		lw = 30;	/* "passengers besides the driver" whole */
	for (i = 0; fields != NULL && i < n && y <= app_body_bottom(a) - 3; i++) {
		rec_field_format(&d->rec, &fields[i], buf, sizeof buf);
		if (buf[0] == '\0' || (fields[i].type == FT_BOOL && strcmp(buf, "0") == 0))
			continue;
		label_field(&d->rec, &fields[i], 0, buf, sizeof buf);	/* codes as words */
		draw_right(y, 1, lw, _(fields[i].label), A_BOLD);
		y += draw_wrap(y, lw + 3, a->cols - lw - 4, 3, buf, A_NORMAL);	/* long: wraps */
	}
	y++;
	draw_str(y++, 1, a->cols - 2, _("History"), app_attr(a, ROLE_TITLE), 0);
	for (h = 0; h < d->nhist && y <= app_body_bottom(a); h++, y++) {
		const struct record *v = &d->hist[h];
		const struct rec_field *of = rec_field_find(v->kind, "override_reason");
		const char *over = of != NULL ? (const char *)v + of->off : "";
		char line[sizeof buf];

		clock_format(v->created_ms, v->tz_min, when, sizeof when);
		snprintf(line, sizeof line, "#%-6lld %s  %s  %s%s%s", (long long)v->seq, when,
		    label_action(v->action), v->operator_name, v->reason[0] ? "  — " : "",
		    v->reason);
		/* an override of the rules is part of what happened, in every version */
		if (over[0] != '\0' && !v->deleted)
			snprintf(buf, sizeof buf, _("%s  · override: %s"), line, over);
		else
			snprintf(buf, sizeof buf, "%s", line);
		draw_str(y, 2, a->cols - 3, buf, A_NORMAL, 0);
	}
}

static int
detail_correct(struct app *a)
{
	struct detail_state *d = app_data(a, &screen_detail);

	if (d->correcting || d->rec.deleted)
		return TUI_REDRAW;
	recform_init(&d->form, d->rec.kind, a, NULL);
	recform_fill(&d->form, &d->rec);
	form_field_init(&d->reason_field[0], N_("Reason for the correction"), 60, 0, 1, NULL);
	form_init(&d->reason, d->reason_field, 1, NULL);
	d->correcting = 1;
	d->in_reason = 0;
	app_message(a, ROLE_NORMAL, "%s", _("Change what is wrong, then give the reason "
	    "(Enter on the last field, or ^S, saves)."));
	return TUI_REDRAW;
}

static int
detail_save(struct app *a)
{
	struct detail_state *d = app_data(a, &screen_detail);
	struct record r = d->rec;
	struct rec_notice notice;
	struct err e = { 0 };
	char reason[REC_TEXT];
	int bad;

	if (!d->correcting)
		return TUI_REDRAW;
	if ((bad = recform_validate(&d->form)) >= 0) {
		d->in_reason = 0;
		app_message(a, ROLE_ALERT, _("Not saved: %s: %s"), _(d->form.ff[bad].label),
		    d->form.ff[bad].note[0] ? d->form.ff[bad].note : _("required"));
		return TUI_REDRAW | TUI_BELL;
	}
	form_text(&d->reason, 0, reason, sizeof reason);
	if (reason[0] == '\0') {
		d->in_reason = 1;
		app_message(a, ROLE_ALERT, "%s", _("Not saved: a correction needs a reason."));
		return TUI_REDRAW | TUI_BELL;
	}
	if (recform_apply(&d->form, &r, &e) != E_OK ||
	    rec_correct(a->lb, d->seq, &r, reason, &notice, &e) != E_OK) {
		app_message(a, ROLE_ALERT, _("Not saved: %s"), e.msg);
		return TUI_REDRAW | TUI_BELL;
	}
	app_message(a, ROLE_OK, _("Corrected: new version #%lld."), (long long)r.seq);
	form_clear(&d->form.form);
	form_clear(&d->reason);
	d->correcting = 0;
	detail_load(a);
	return TUI_REDRAW;
}

static int
detail_delete(struct app *a)
{
	struct detail_state *d = app_data(a, &screen_detail);

	if (d->correcting || d->deleting || d->rec.deleted)
		return TUI_REDRAW;	/* not offered then (detail_offers) */
	form_field_init(&d->del_field[0], N_("Reason for deleting"), 60, 0, 1, NULL);
	form_init(&d->del_form, d->del_field, 1, NULL);
	d->deleting = DEL_REASON;
	app_message(a, ROLE_NORMAL, "%s", _("Say why this record is wrong, then Enter."));
	return TUI_REDRAW;
}

/* The bytes of a space at s (Latin, tab or the ideographic U+3000), or 0. */
static size_t
detail_space(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	return strncmp(s, "\xe3\x80\x80", 3) == 0 ? 3 : 0;
}

/* The reason typed in the delete dialog into out, without spaces around it; returns
 * whether anything is left. */
static int
detail_delete_text(struct detail_state *d, char *out, size_t n)
{
	char buf[REC_TEXT], *s = buf;
	size_t k, len, last = 0;

	form_text(&d->del_form, 0, buf, sizeof buf);
	while ((k = detail_space(s)) > 0)
		s += k;
	for (len = 0; s[len] != '\0'; len += k)
		if ((k = detail_space(s + len)) == 0) {
			k = 1;
			last = len + 1;		/* just after a byte that is no space */
		}
	snprintf(out, n, "%.*s", (int)last, s);
	return out[0] != '\0';
}

static void
detail_delete_end(struct app *a)
{
	struct detail_state *d = app_data(a, &screen_detail);

	form_clear(&d->del_form);
	d->deleting = DEL_NONE;
}

/* Enter in the reason: on to the confirmation, if there is a reason. */
static int
detail_delete_reason(struct app *a)
{
	struct detail_state *d = app_data(a, &screen_detail);
	char reason[REC_TEXT];

	if (!detail_delete_text(d, reason, sizeof reason)) {
		d->del_field[0].state = FORM_BAD;
		d->del_field[0].touched = 1;
		snprintf(d->del_field[0].note, sizeof d->del_field[0].note, "%s", _("required"));
		app_message(a, ROLE_ALERT, "%s", _("Not deleted: a deletion needs a reason. "
		    "Type why, or Esc to cancel."));
		return TUI_REDRAW | TUI_BELL;
	}
	d->del_field[0].state = FORM_OK;
	d->del_field[0].note[0] = '\0';
	d->deleting = DEL_CONFIRM;
	return TUI_REDRAW;
}

/* y at the confirmation: the tombstone is stored, and the screen goes back to the list. */
static int
detail_delete_store(struct app *a)
{
	struct detail_state *d = app_data(a, &screen_detail);
	struct err e = { 0 };
	char reason[REC_TEXT];
	int64_t seq = 0, shown = d->rec.root_seq ? d->rec.root_seq : d->seq;

	detail_delete_text(d, reason, sizeof reason);
	if (rec_delete(a->lb, d->seq, reason, &seq, &e) != E_OK) {
		detail_delete_end(a);
		detail_load(a);		/* it may have changed meanwhile (deleted elsewhere) */
		app_message(a, ROLE_ALERT, _("Not deleted: %s"), e.msg);
		return TUI_REDRAW | TUI_BELL;
	}
	detail_delete_end(a);
	app_message(a, ROLE_OK, _("Deleted #%lld (tombstone #%lld); the history keeps it."),
	    (long long)shown, (long long)seq);
	return TUI_DONE;
}

static int
detail_delete_key(struct app *a, int key)
{
	struct detail_state *d = app_data(a, &screen_detail);
	int r;

	if (d->deleting == DEL_CONFIRM) {
		if (key == 'y' || key == 'Y')
			return detail_delete_store(a);
		if (key == TK_ESC || key == 'n' || key == 'N') {
			d->deleting = DEL_REASON;	/* the reason stays as typed */
			return TUI_REDRAW;
		}
		return TUI_UNHANDLED;	/* a stray key deletes nothing (F1, F12 still work) */
	}
	r = form_key(&d->del_form, key);
	if (r == FORM_SUBMIT)
		return detail_delete_reason(a);
	if (r == FORM_CANCEL) {
		detail_delete_end(a);
		app_message(a, ROLE_NORMAL, "%s", _("Deletion cancelled: nothing was changed."));
		return TUI_REDRAW;
	}
	if (r == FORM_EDITED && d->del_field[0].state == FORM_BAD) {
		d->del_field[0].state = FORM_OK;
		d->del_field[0].note[0] = '\0';
	}
	return r == FORM_IGNORED ? TUI_UNHANDLED : TUI_REDRAW;
}

static int
detail_offers(struct app *a, const struct key_binding *b)
{
	struct detail_state *d = app_data(a, &screen_detail);

	if (b->action == detail_delete)
		return !d->correcting && !d->deleting && !d->rec.deleted;
	if (b->action == detail_correct)
		return !d->deleting && !d->rec.deleted;
	if (b->action == detail_save)
		return d->correcting;
	return 1;
}

static int
detail_key(struct app *a, int key)
{
	struct detail_state *d = app_data(a, &screen_detail);
	int r;

	if (d->deleting)
		return detail_delete_key(a, key);
	if (!d->correcting)
		return key == TK_ESC ? TUI_DONE : TUI_UNHANDLED;
	if (d->in_reason) {
		r = form_key(&d->reason, key);
		if (r == FORM_SUBMIT)
			return detail_save(a);
		if (key == TK(KEY_UP) || key == TK(KEY_BTAB) || key == TK_TAB) {
			d->in_reason = 0;
			return TUI_REDRAW;
		}
	} else {
		r = form_key(&d->form.form, key);
		if (r == FORM_SUBMIT || (r == FORM_MOVED && d->form.form.cur == 0 &&
		    (key == TK_TAB || key == TK(KEY_DOWN)))) {
			/* past the last field: on to the reason */
			d->form.form.cur = d->form.form.n - 1;
			d->in_reason = 1;
			return TUI_REDRAW;
		}
		if (r == FORM_EDITED)
			recform_recheck(&d->form);
	}
	if (r == FORM_CANCEL) {
		form_clear(&d->form.form);
		form_clear(&d->reason);
		d->correcting = 0;
		app_message(a, ROLE_NORMAL, "%s", _("Correction cancelled."));
		return TUI_REDRAW;
	}
	return r == FORM_IGNORED ? TUI_UNHANDLED : TUI_REDRAW;
}

static const struct key_binding detail_keys[] = {
	{ TK(KEY_F(9)), TK_CTRL('T'), detail_correct, N_("Correct"),
	    N_("Correct this record: a new version with a reason; the old one stays"), 0 },
	{ TK(KEY_F(8)), TK_CTRL('X'), detail_delete, N_("Delete"),
	    N_("Delete this record: a reason, a confirmation; the history keeps it"), 0 },
	{ TK_CTRL('S'), 0, detail_save, N_("Save"), N_("Save the correction"), 0 },
	{ TK_ESC, 0, NULL, N_("Back"), N_("Back (or cancel the correction or deletion)"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

const struct screen screen_detail = {
	.name = N_("Record"),
	.keys = detail_keys,
	.enter = detail_enter,
	.leave = detail_leave,
	.draw = detail_draw,
	.key = detail_key,
	.wipe = detail_leave,
	.offers = detail_offers,
	.size = sizeof(struct detail_state),
};
