/* screen-main.c — the station's main screen: the entry form of the current kind on top
 * (temperature, vehicle, resident, visitor or triage, by station kind), today's log below,
 * newest first with fevers and alerts highlighted. A fever raises the alert line with a bell
 * and a recheck countdown; other people can be logged meanwhile; F8 takes the recheck and
 * its disposition. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "storage/clock.h"
#include "storage/logbook.h"
#include "storage/record.h"
#include "tui/app.h"
#include "tui/bgsync.h"
#include "tui/draw.h"
#include "tui/main.h"
#include "tui/recform.h"
#include "tui/summary.h"

/* The key of the next form, as the key bar shows it (defined after the key table). */
static const char *main_form_key(const struct app *a);
/* The key of a recheck, likewise. */
static const char *main_recheck_key(const struct app *a);

#define MAIN_MODES 3
#define LOG_MAX 64

/* What this screen keeps while it is on the stack (app_data). */
struct main_state {
	int kinds[MAIN_MODES];
	int nmodes, mode;
	struct recform forms[MAIN_MODES];
	int ready;

	struct recform recheck;		/* the recheck of a fever, while in_recheck */
	int in_recheck;
	int64_t recheck_seq;

	struct record log[LOG_MAX];	/* a ring of the latest records of today */
	int64_t nseen;			/* records the last reload saw; the newest is at
					 * log[(nseen - 1) % LOG_MAX] */

	int64_t fever_seq;		/* the oldest fever waiting for its recheck, 0 if none */
	int fever_value;
	int64_t fever_due_ms;
	int fevers_pending;
	int due_rung;			/* the bell for "recheck due now" rang */
	int alert_hold;			/* a watchlist/flag alert is up: the countdown waits
					 * until the next save or Esc */
};

static const char *const temp_skip[] = { "disposition", NULL };
static const char *const recheck_skip[] = { "method", "person", NULL };

static struct recform *
main_form(struct main_state *m)
{
	return m->in_recheck ? &m->recheck : &m->forms[m->mode];
}

static void
main_defaults(struct recform *rf)
{
	int i = recform_index(rf, "method");

	if (rf->kind == REC_TEMP && i >= 0 && rf->ff[i].f.len == 0) {
		field_set(&rf->ff[i].f, _("forehead"));	/* in the interface's language */
		rf->ff[i].replace = 1;	/* typing another method replaces it */
	}
}

static int
main_collect(const struct record *r, void *arg)
{
	struct main_state *m = arg;

	if (r->kind == REC_SIGNIN || r->kind == REC_HANDOVER)
		return 0;
	m->log[m->nseen++ % LOG_MAX] = *r;
	return 0;
}

static int
main_pending(const struct record *r, void *arg)
{
	struct main_state *m = arg;

	if (m->fevers_pending++ == 0) {
		if (m->fever_seq != r->seq)
			m->due_rung = 0;
		m->fever_seq = r->seq;
		m->fever_value = r->u.temp.value;
		m->fever_due_ms = r->u.temp.recheck_due_ms;
	}
	return 0;
}

int64_t
main_today_start(void)
{
	int64_t now = clock_now_ms();
	int tz = clock_tz_min(now);

	return clock_day(now, tz) * 86400000LL - (int64_t)tz * 60000;
}

/* Reloads today's latest records. Only the last few minutes are read first, widened until
 * the screen is full or the whole day is read, so a busy day does not slow each save. */
static void
main_reload_log(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	struct rec_query q = { 0 };
	struct err e = { 0 };
	int64_t start = main_today_start(), now = clock_now_ms(), span = 10 * 60000;

	m->nseen = 0;
	if (a->lb == NULL)
		return;
	for (;;) {
		q.since_ms = now - span > start ? now - span : start;
		m->nseen = 0;
		if (rec_list(a->lb, &q, main_collect, m, &e) != E_OK) {
			app_message(a, ROLE_ALERT, "%s", e.msg);
			break;
		}
		if (m->nseen >= LOG_MAX || q.since_ms == start)
			break;
		span *= 8;
	}
}

/* Reloads the fevers waiting for a recheck (a query over every temperature: done when the
 * screen is shown and after a recheck, not after each check). */
static void
main_reload_pending(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	struct err e = { 0 };

	m->fevers_pending = 0;
	if (a->lb != NULL && rec_rechecks_pending(a->lb, main_pending, m, &e) != E_OK)
		app_message(a, ROLE_ALERT, "%s", e.msg);
	if (m->fevers_pending == 0)
		m->fever_seq = 0;
}

/* The alert line for the oldest fever still waiting for its recheck. */
static int
main_fever_alert(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	int64_t left;
	int flags = 0;

	if (m->fever_seq == 0)
		return 0;
	left = (m->fever_due_ms - clock_now_ms()) / 1000;
	if (left > 0)
		app_alert(a, ROLE_ALERT, _("FEVER %d.%d °C (#%lld): keep the person aside. "
		    "Recheck in %lld:%02lld (%s). Others may be logged."), m->fever_value / 10,
		    m->fever_value % 10, (long long)m->fever_seq, (long long)(left / 60),
		    (long long)(left % 60), main_recheck_key(a));
	else {
		app_alert(a, ROLE_ALERT, _("RECHECK DUE NOW: fever %d.%d °C (#%lld): press %s."),
		    m->fever_value / 10, m->fever_value % 10, (long long)m->fever_seq,
		    main_recheck_key(a));
		if (!m->due_rung)
			flags |= TUI_BELL;
		m->due_rung = 1;
	}
	return flags | TUI_REDRAW;
}

static void
main_enter(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	int i;

	if (!m->ready) {
		m->nmodes = 0;
		switch (a->kind) {
		case STATION_TRAFFIC:
			m->kinds[m->nmodes++] = REC_TEMP;
			m->kinds[m->nmodes++] = REC_VEHICLE;
			break;
		case STATION_GATE:
			m->kinds[m->nmodes++] = REC_TEMP;
			m->kinds[m->nmodes++] = REC_RESIDENT;
			m->kinds[m->nmodes++] = REC_VISITOR;
			break;
		default:
			m->kinds[m->nmodes++] = REC_TRIAGE;
			m->kinds[m->nmodes++] = REC_TEMP;
			break;
		}
		for (i = 0; i < m->nmodes; i++) {
			recform_init(&m->forms[i], m->kinds[i], a,
			    m->kinds[i] == REC_TEMP ? temp_skip : NULL);
			main_defaults(&m->forms[i]);
		}
		m->mode = 0;
		m->in_recheck = 0;
		m->ready = 1;
	} else {
		/* back from a lock or another screen: the logbook may have been reopened */
		for (i = 0; i < m->nmodes; i++)
			m->forms[i].app = a;
		m->recheck.app = a;
	}
	main_reload_log(a);
	main_reload_pending(a);
	main_fever_alert(a);
}

static void
main_leave(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	int i;

	for (i = 0; i < m->nmodes; i++)
		form_clear(&m->forms[i].form);
	form_clear(&m->recheck.form);
	memset(m, 0, sizeof *m);
}

/* Locked: the log and the alert go; what was typed in the forms waits, unseen. */
static void
main_wipe(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);

	memset(m->log, 0, sizeof m->log);
	m->nseen = 0;
}

static void
main_draw(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	struct recform *rf = main_form(m);
	int y = app_body_top(a), x = 1, i, fw = a->cols >= 100 ? 36 : 28;
	int64_t k;
	char head[160];

	/* the form tabs */
	for (i = 0; i < m->nmodes; i++) {
		snprintf(head, sizeof head, " %s ", summary_kind(m->kinds[i]));
		x += draw_str(y, x, a->cols - x, head, !m->in_recheck && i == m->mode ?
		    app_attr(a, ROLE_SELECT) : (int)A_NORMAL, 0) + 1;
	}
	if (m->in_recheck) {
		snprintf(head, sizeof head, _(" Recheck of #%lld "), (long long)m->recheck_seq);
		x += draw_str(y, x, a->cols - x, head, app_attr(a, ROLE_ALERT), 0) + 1;
	}
	snprintf(head, sizeof head, _("(%s: next form)"),
	    main_form_key(a));
	draw_str(y, x + 1, a->cols - x - 1, m->nmodes > 1 ? head : "", app_attr(a, ROLE_DIM), 0);
	y = draw_form(a, &rf->form, y + 1, 1, fw);

	/* today's log, newest first */
	y++;
	if (y > app_body_bottom(a))
		return;
	draw_str(y, 1, a->cols - 2, _("Today, newest first:"), app_attr(a, ROLE_TITLE), 0);
	for (k = 0, y++; k < m->nseen && k < LOG_MAX && y <= app_body_bottom(a); k++, y++)
		summary_draw(a, y, 1, a->cols - 2, &m->log[(m->nseen - 1 - k) % LOG_MAX], 0);
	if (m->nseen == 0 && y <= app_body_bottom(a))
		draw_str(y, 3, a->cols - 4, _("Nothing logged today yet."), app_attr(a, ROLE_DIM),
		    0);
}

static int
main_save(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	struct recform *rf = main_form(m);
	struct rec_notice notice;
	struct record r;
	struct err e = { 0 };
	int bad, flags = TUI_REDRAW;

	main_defaults(rf);
	if ((bad = recform_validate(rf)) >= 0) {
		app_message(a, ROLE_ALERT, _("Not saved: %s: %s"), _(rf->ff[bad].label),
		    rf->ff[bad].note[0] ? rf->ff[bad].note : _("required"));
		return TUI_REDRAW | TUI_BELL;
	}
	if (recform_build(rf, &r, &e) != E_OK) {
		app_message(a, ROLE_ALERT, _("Not saved: %s"), e.msg);
		return TUI_REDRAW | TUI_BELL;
	}
	if (m->in_recheck)
		r.u.temp.recheck_of = m->recheck_seq;
	memset(&notice, 0, sizeof notice);
	if (rec_add(a->lb, &r, &notice, &e) != E_OK) {
		app_message(a, ROLE_ALERT, _("Not saved: %s"), e.msg);
		return TUI_REDRAW | TUI_BELL;	/* the form keeps everything typed */
	}
	app_message(a, ROLE_OK, _("Saved #%lld (%s)."), (long long)r.seq, summary_kind(r.kind));
	bgsync_kick(a);
	form_clear(&rf->form);
	main_defaults(rf);
	main_reload_log(a);
	if (m->in_recheck) {
		m->in_recheck = 0;
		app_alert(a, ROLE_NORMAL, NULL);
		main_reload_pending(a);
	} else if (r.kind == REC_TEMP && r.u.temp.fever && m->fevers_pending++ == 0) {
		/* a new fever, and the only one waiting: the countdown is for it */
		m->fever_seq = r.seq;
		m->fever_value = r.u.temp.value;
		m->fever_due_ms = r.u.temp.recheck_due_ms;
		m->due_rung = 0;
	}
	m->alert_hold = 0;
	if (notice.alert || notice.flagged || notice.quota_exceeded) {
		app_alert(a, ROLE_ALERT, "%s", notice.text[0] ? notice.text : r.alert);
		m->alert_hold = 1;
		flags |= TUI_BELL;
	} else if (notice.fever && m->fever_seq != 0) {
		main_fever_alert(a);
		flags |= TUI_BELL;
	} else if (notice.text[0] != '\0')
		app_alert(a, ROLE_WARN, "%s", notice.text);
	else if (m->fever_seq != 0)
		main_fever_alert(a);
	else
		app_alert(a, ROLE_NORMAL, NULL);
	return flags;
}

static int
main_next_form(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);

	if (m->in_recheck)
		return TUI_REDRAW;
	m->mode = (m->mode + 1) % m->nmodes;
	return TUI_REDRAW;
}

static int
main_recheck(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	int64_t left;

	if (m->fever_seq == 0) {
		app_message(a, ROLE_NORMAL, "%s", _("No fever is waiting for a recheck."));
		return TUI_REDRAW;
	}
	left = (m->fever_due_ms - clock_now_ms() + 999) / 1000;
	if (left > 0) {
		app_message(a, ROLE_WARN, _("Too early: the recheck of #%lld is due in %lld:%02lld."),
		    (long long)m->fever_seq, (long long)(left / 60), (long long)(left % 60));
		return TUI_REDRAW | TUI_BELL;
	}
	recform_init(&m->recheck, REC_TEMP, a, recheck_skip);
	m->recheck_seq = m->fever_seq;
	m->in_recheck = 1;
	app_message(a, ROLE_NORMAL, _("Recheck of #%lld: the temperature, then the disposition."),
	    (long long)m->recheck_seq);
	return TUI_REDRAW;
}

static int
main_key(struct app *a, int key)
{
	struct main_state *m = app_data(a, &screen_main);
	struct recform *rf = main_form(m);
	int r;

	/* one field is enough for a temperature: Enter saves from anywhere in its form */
	if (key == TK_ENTER && rf->kind == REC_TEMP && !m->in_recheck)
		return main_save(a);
	r = form_key(&rf->form, key);
	switch (r) {
	case FORM_SUBMIT:
		return main_save(a);
	case FORM_CANCEL:
		if (m->in_recheck) {
			m->in_recheck = 0;
			form_clear(&m->recheck.form);
		} else {
			form_clear(&rf->form);
			main_defaults(rf);
		}
		rf->alert[0] = '\0';
		m->alert_hold = 0;
		app_alert(a, ROLE_NORMAL, NULL);
		app_message(a, ROLE_NORMAL, "%s", _("Cleared."));
		main_fever_alert(a);
		return TUI_REDRAW;
	case FORM_IGNORED:
		return TUI_UNHANDLED;
	case FORM_EDITED:
		recform_recheck(rf);
		if (rf->alert[0] != '\0') {
			int fresh = strcmp(a->alert, rf->alert) != 0;

			app_alert(a, ROLE_ALERT, "%s", rf->alert);
			m->alert_hold = 1;
			return TUI_REDRAW | (fresh ? TUI_BELL : 0);
		}
		break;
	}
	return TUI_REDRAW;
}

static int
main_tick(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);

	/* on every screen above this one too (search, inside now): the countdown in the
	 * alert line must not freeze */
	if (a->lb == NULL || m->fever_seq == 0 || m->in_recheck)
		return 0;
	if (m->alert_hold)
		return 0;
	return main_fever_alert(a);
}

static int
main_search(struct app *a)
{
	app_push(a, &screen_search);
	return TUI_REDRAW;
}

static int
main_inside(struct app *a)
{
	if (a->kind != STATION_GATE) {
		app_message(a, ROLE_WARN, "%s", _("Inside now is for compound gates."));
		return TUI_REDRAW;
	}
	app_push(a, &screen_inside);
	return TUI_REDRAW;
}

static int
main_bins(struct app *a)
{
	app_push(a, &screen_bins);
	return TUI_REDRAW;
}

static int
main_report(struct app *a)
{
	app_push(a, &screen_report);
	return TUI_REDRAW;
}

static int
main_settings(struct app *a)
{
	app_push(a, &screen_settings);
	return TUI_REDRAW;
}

static int
main_sync(struct app *a)
{
	app_push(a, &screen_sync);
	return TUI_REDRAW;
}

static void
main_resize(struct app *a)
{
	(void)a;	/* the layout is computed at each draw; the forms keep their text */
}

static const struct key_binding main_keys[] = {
	{ TK(KEY_F(2)), TK_CTRL('F'), main_search, N_("Search"),
	    N_("Search by ID number, plate, phone or name as you type"), 0 },
	{ TK(KEY_F(3)), TK_CTRL('W'), main_inside, N_("Inside"),
	    N_("Visitors inside now (gate); one key logs an exit"), 1u << STATION_GATE },
	{ TK(KEY_F(4)), TK_CTRL('B'), main_bins, N_("Bins"),
	    N_("Mask bins: last collection, overdue ones, record a collection"), 0 },
	{ TK(KEY_F(5)), TK_CTRL('R'), main_report, N_("Report"),
	    N_("Today and this shift: counts, fevers, hourly chart; shift handover"), 0 },
	{ TK(KEY_F(6)), TK_CTRL('P'), main_settings, N_("Settings"),
	    N_("Fever threshold, recheck window, high-risk regions, quota, retention"), 0 },
	{ TK(KEY_F(7)), TK_CTRL('N'), main_next_form, N_("Form"),
	    N_("Next entry form (temperature, vehicle, resident, visitor, triage)"), 0 },
	{ TK(KEY_F(8)), TK_CTRL('X'), main_recheck, N_("Recheck"),
	    N_("Recheck the oldest fever waiting, then give its disposition"), 0 },
	{ TK(KEY_F(9)), TK_CTRL('Y'), main_sync, N_("Sync"),
	    N_("The link with the district hub; sync now"), 0 },
	{ TK_CTRL('S'), 0, main_save, N_("Save"),
	    N_("Save the form (Enter on the last field does the same)"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};

static const char *
main_form_key(const struct app *a)
{
	return draw_key_for(a, main_keys, main_next_form);
}

static const char *
main_recheck_key(const struct app *a)
{
	return draw_key_for(a, main_keys, main_recheck);
}

const struct screen screen_main = {
	.name = N_("Main"),
	.keys = main_keys,
	.enter = main_enter,
	.leave = main_leave,
	.draw = main_draw,
	.key = main_key,
	.resize = main_resize,
	.tick = main_tick,
	.wipe = main_wipe,
	.size = sizeof(struct main_state),
};
