/* screen-main.c — the station's main screen: the entry form of the current kind on top
 * (temperature, vehicle, resident, visitor or triage, by station kind), today's log below,
 * newest first with fevers and alerts highlighted. A fever raises the alert line with a bell
 * and a recheck countdown; other people can be logged meanwhile; F8 takes the recheck and
 * its disposition. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "base/mono.h"
#include "storage/clock.h"
#include "storage/labels.h"
#include "storage/fields.h"
#include "storage/logbook.h"
#include "storage/query.h"
#include "storage/rechecks.h"
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
#define DUE_MAX 8
#define BURST 18		/* a resident ID number: what a scanner types */
#define BURST_MS 400		/* 18 characters this fast are a scanner, not a hand */

/* What a y at the prompt on the alert line does. */
enum { CONFIRM_NONE, CONFIRM_RELEASE, CONFIRM_EXIT };

/* A fever waiting for its recheck, as F8 offers it. */
struct main_due {
	int64_t seq;
	int kind;
	int value;
	int64_t due_ms;
};

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

	int64_t fever_seq;		/* the fever due soonest, 0 if none */
	int fever_value;
	int64_t fever_due_ms;
	int fevers_pending;
	struct main_due due[DUE_MAX];	/* the first fevers waiting, soonest due first */
	int ndue;
	int picking, pick;		/* F8's pick list of the fevers due now */
	int due_rung;			/* the bell for "recheck due now" rang */
	int alert_hold;			/* a watchlist/flag alert is up: the countdown goes to
					 * the message line until the next save or Esc */
	int confirm;			/* CONFIRM_*: the alert line asks, y answers */
	int64_t confirm_seq;		/* CONFIRM_EXIT: the earlier entry to close */
	int64_t data_version;		/* logbook_data_version when last reloaded */
	int esc_armed;			/* Esc once on a form with typing: again clears it */
	int64_t said_ms;		/* when a save's message was shown (monotonic) */
	int64_t burst_ms[BURST];	/* when each of the last characters came, a ring */
	int burst_field[BURST];		/* and which field it went to */
	int nburst;
};

/* Whether anything was typed in rf beyond its defaults. */
static int
main_typed(const struct recform *rf)
{
	int i;

	for (i = 0; i < rf->form.n; i++)
		if (rf->ff[i].f.len > 0 && !rf->ff[i].replace)
			return 1;
	return 0;
}

/* Whether Enter on the current field saves: only exception fields follow it, all empty
 * (an override reason, an unverified ID and its note are asked for when needed). */
static int
main_enter_saves(const struct recform *rf)
{
	static const char *const exceptions[] = { "override_reason", "id_unverified", "note",
	    NULL };
	int i, k;

	for (i = rf->form.cur + 1; i < rf->form.n; i++) {
		for (k = 0; exceptions[k] != NULL; k++)
			if (strcmp(rf->rf[i]->name, exceptions[k]) == 0)
				break;
		if (exceptions[k] == NULL || rf->ff[i].f.len > 0)
			return 0;
	}
	return rf->form.cur + 1 < rf->form.n;
}

/* Tells the app whether a form holds typing not saved (F10 then asks first). */
static void
main_unsaved(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	int i;

	a->unsaved_msg = NULL;
	a->unsaved = m->in_recheck && main_typed(&m->recheck);
	for (i = 0; i < m->nmodes; i++)
		a->unsaved |= main_typed(&m->forms[i]);
}

/* Records a printable character typed into field i, for the scanner's burst. */
static void
main_burst_note(struct main_state *m, int i)
{
	m->burst_ms[m->nburst % BURST] = mono_ms();
	m->burst_field[m->nburst % BURST] = i;
	m->nburst++;
}

/* Enter after a scanner's burst of an ID number into another field of a form with an ID
 * number: the burst is moved to the ID number field. Returns whether it was. */
static int
main_burst_enter(struct main_state *m, struct recform *rf)
{
	int id = -1, i, k, from;
	int64_t first, last;
	char text[FIELD_CAP * 4 + 1], burst[BURST + 1];
	struct field *f;

	for (i = 0; i < rf->form.n; i++)
		if (rf->rf[i]->flags & FF_IDNUM)
			id = i;
	if (id < 0 || m->nburst < BURST)
		return 0;
	from = m->burst_field[(m->nburst - 1) % BURST];
	first = m->burst_ms[m->nburst % BURST];
	last = m->burst_ms[(m->nburst - 1) % BURST];
	if (from == id || from != rf->form.cur || last - first > BURST_MS ||
	    mono_ms() - last > BURST_MS)
		return 0;
	for (k = 0; k < BURST; k++)
		if (m->burst_field[k] != from)
			return 0;
	f = &rf->ff[from].f;
	if (f->len < BURST || f->cur != f->len)
		return 0;
	form_text(&rf->form, from, text, sizeof text);
	/* the burst is the last 18 characters typed there: all ASCII for an ID number */
	if (strlen(text) < BURST)
		return 0;
	memcpy(burst, text + strlen(text) - BURST, BURST);
	burst[BURST] = '\0';
	for (k = 0; k < BURST; k++)
		if (!((burst[k] >= '0' && burst[k] <= '9') || burst[k] == 'X' || burst[k] == 'x'))
			return 0;
	for (k = 0; k < BURST; k++)
		field_backspace(f);
	field_set(&rf->ff[id].f, burst);
	rf->ff[id].replace = 0;
	m->nburst = 0;
	form_focus(&rf->form, id);
	recform_recheck(rf);
	form_focus(&rf->form, id + 1 < rf->form.n ? id + 1 : id);
	return 1;
}

static const char *const temp_skip[] = { "disposition", "override_reason", NULL };
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
	/* the defaults of the kind's table (an ID type of resident ID), as storage has them */
	for (i = 0; i < rf->form.n; i++)
		if (rf->rf[i]->def != NULL && rf->ff[i].f.len == 0) {
			field_set(&rf->ff[i].f, _(rf->rf[i]->def));
			rf->ff[i].replace = 1;
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
	struct main_due d = { r->root_seq, r->kind, 0, 0 };

	rec_fever(r, &d.value, &d.due_ms);	/* any kind: a temperature, a passage */
	if (m->ndue < DUE_MAX)
		m->due[m->ndue++] = d;
	if (m->fevers_pending++ == 0) {
		if (m->fever_seq != d.seq)
			m->due_rung = 0;
		m->fever_seq = d.seq;
		m->fever_value = d.value;
		m->fever_due_ms = d.due_ms;
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
	m->ndue = 0;
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

	if (m->fever_seq == 0 || m->confirm != CONFIRM_NONE)
		return 0;
	left = (m->fever_due_ms - clock_now_ms()) / 1000;
	if (m->alert_hold) {
		/* another alert holds the alert line: the countdown goes on the message line,
		 * never hidden, once what the last save said has been seen */
		if (mono_ms() - m->said_ms < 3000)
			return 0;
		if (left > 0)
			app_message(a, ROLE_ALERT, _("FEVER %d.%d °C (#%lld): recheck in "
			    "%lld:%02lld (F8)."), m->fever_value / 10, m->fever_value % 10,
			    (long long)m->fever_seq, (long long)(left / 60), (long long)(left % 60));
		else
			app_message(a, ROLE_ALERT, _("RECHECK DUE NOW: fever %d.%d °C (#%lld): "
			    "press F8."), m->fever_value / 10, m->fever_value % 10,
			    (long long)m->fever_seq);
		return TUI_REDRAW;
	}
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
	m->data_version = a->lb != NULL ? logbook_data_version(a->lb) : 0;
	main_fever_alert(a);
}

static void
main_leave(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	int i;

	a->unsaved = 0;
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
	if (m->picking) {
		/* F8 with several fevers due: which one is rechecked now */
		draw_str(++y, 1, a->cols - 2, _("Fevers due for their recheck, oldest due first "
		    "(Up/Down, Enter; Esc: back):"), app_attr(a, ROLE_TITLE), 0);
		for (i = 0; i < m->ndue && y < app_body_bottom(a); i++) {
			char when[32];

			if (m->due[i].due_ms > clock_now_ms())
				continue;
			clock_format(m->due[i].due_ms, clock_tz_min(m->due[i].due_ms), when,
			    sizeof when);
			when[16] = '\0';	/* HH:MM */
			snprintf(head, sizeof head, _("#%lld  %s  %d.%d °C  due %s"),
			    (long long)m->due[i].seq, summary_kind(m->due[i].kind),
			    m->due[i].value / 10, m->due[i].value % 10, when + 11);
			draw_str(++y, 3, a->cols - 4, head, i == m->pick ?
			    app_attr(a, ROLE_SELECT) : (int)A_NORMAL, 1);
		}
		return;
	}
	y = draw_form(a, &rf->form, y + 1, 1, fw);
	/* the rules' live verdict: the triage route they suggest and why, what saving needs */
	if (rf->verdict.suggested[0] != '\0' && y <= app_body_bottom(a)) {
		snprintf(head, sizeof head, _("Suggested route: %s — %s"),
		    label_code(rf->verdict.suggested), label_code(rf->verdict.rule));
		y += draw_wrap(y, 3, a->cols - 4, 2, head, app_attr(a, rf->verdict.needs_reason ?
		    ROLE_ALERT : ROLE_TITLE));	/* a long rule wraps */
	}
	if ((rf->verdict.needs_reason || rf->verdict.inside_seq != 0) &&
	    y <= app_body_bottom(a))
		y += draw_wrap(y, 3, a->cols - 4, 2, rf->verdict.problem, app_attr(a, ROLE_WARN));

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

/* Before saving, what the rules say needs the operator's word: an earlier entry of the same
 * person to close, a reason for a release or an override, a confirmation of a release.
 * Returns 0 to save now, else the screen flags (the prompt is up, or the form says why). */
static int
main_ask(struct app *a, struct recform *rf, int confirmed)
{
	struct main_state *m = app_data(a, &screen_main);
	const struct rec_notice *v = &rf->verdict;
	int i;

	if (v->inside_seq != 0 && confirmed != CONFIRM_EXIT) {
		m->confirm = CONFIRM_EXIT;
		m->confirm_seq = v->inside_seq;
		app_alert(a, ROLE_ALERT, _("Already inside on entry #%lld. y: log that exit now "
		    "and save this entry; any other key: back to the form."),
		    (long long)v->inside_seq);
		return TUI_REDRAW | TUI_BELL;
	}
	if (v->needs_reason) {
		if ((i = recform_index(rf, "override_reason")) >= 0)
			form_focus(&rf->form, i);
		app_message(a, ROLE_ALERT, _("Not saved: %s"), v->problem);
		return TUI_REDRAW | TUI_BELL;
	}
	if (v->released && confirmed != CONFIRM_RELEASE) {
		m->confirm = CONFIRM_RELEASE;
		app_alert(a, ROLE_ALERT, _("Release despite fever %d.%d °C? The reason is stored "
		    "and reported. y: save; any other key: back to the form."),
		    rf->vrec.u.temp.value / 10, rf->vrec.u.temp.value % 10);
		return TUI_REDRAW | TUI_BELL;
	}
	return 0;
}

static int
main_save_as(struct app *a, int confirmed)
{
	struct main_state *m = app_data(a, &screen_main);
	struct recform *rf = main_form(m);
	struct rec_notice notice;
	struct record r, out;
	struct err e = { 0 };
	int bad, flags = TUI_REDRAW;

	main_defaults(rf);
	rf->recheck_of = m->in_recheck ? m->recheck_seq : 0;
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
	if ((flags = main_ask(a, rf, confirmed)) != 0)
		return flags;
	flags = TUI_REDRAW;
	if (confirmed == CONFIRM_EXIT && rf->verdict.inside_seq != 0) {
		if (rec_exit(a->lb, rf->verdict.inside_seq, &out, &e) != E_OK) {
			app_message(a, ROLE_ALERT, _("Not saved: %s"), e.msg);
			return TUI_REDRAW | TUI_BELL;
		}
		app_message(a, ROLE_OK, _("Exit logged (#%lld) for entry #%lld."),
		    (long long)out.seq, (long long)rf->verdict.inside_seq);
	}
	memset(&notice, 0, sizeof notice);
	if (rec_add(a->lb, &r, &notice, &e) != E_OK) {
		app_message(a, ROLE_ALERT, _("Not saved: %s"), e.msg);
		return TUI_REDRAW | TUI_BELL;	/* the form keeps everything typed */
	}
	app_message(a, ROLE_OK, _("Saved #%lld (%s)."), (long long)r.seq, summary_kind(r.kind));
	m->said_ms = mono_ms();
	bgsync_kick(a);
	rf->verdict.suggested[0] = '\0';
	rf->verdict.needs_reason = 0;
	rf->verdict.inside_seq = 0;
	form_clear(&rf->form);
	main_defaults(rf);
	main_reload_log(a);
	if (m->in_recheck) {
		m->in_recheck = 0;
		app_alert(a, ROLE_NORMAL, NULL);
		main_reload_pending(a);
	} else if (notice.recheck_due_ms != 0) {
		/* a new fever of any kind: it waits for its recheck with the others */
		main_reload_pending(a);
	}
	m->data_version = logbook_data_version(a->lb);
	main_unsaved(a);
	m->alert_hold = 0;
	if (notice.alert || notice.flagged || notice.quota_exceeded) {
		app_alert(a, ROLE_ALERT, "%s", notice.text[0] ? notice.text : r.alert);
		m->alert_hold = 1;
		flags |= TUI_BELL;
		main_fever_alert(a);
	} else if (notice.fever && m->fever_seq != 0) {
		main_fever_alert(a);
		flags |= TUI_BELL;
	} else {
		/* a warning goes on the message line: the alert line keeps the countdown */
		if (notice.text[0] != '\0')
			app_message(a, ROLE_WARN, _("Saved #%lld (%s). %s"), (long long)r.seq,
			    summary_kind(r.kind), notice.text);
		if (m->fever_seq != 0)
			main_fever_alert(a);
		else
			app_alert(a, ROLE_NORMAL, NULL);
	}
	return flags;
}

static int
main_save(struct app *a)
{
	return main_save_as(a, CONFIRM_NONE);
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

/* Opens the recheck form for the fever seq. */
static int
main_recheck_of(struct app *a, int64_t seq)
{
	struct main_state *m = app_data(a, &screen_main);

	recform_init(&m->recheck, REC_TEMP, a, recheck_skip);
	m->recheck_seq = seq;
	m->recheck.recheck_of = seq;
	m->in_recheck = 1;
	m->picking = 0;
	app_message(a, ROLE_NORMAL, _("Recheck of #%lld: the temperature, then the disposition."),
	    (long long)seq);
	return TUI_REDRAW;
}

static int
main_recheck(struct app *a)
{
	struct main_state *m = app_data(a, &screen_main);
	int64_t left, now = clock_now_ms();
	int i, due = 0, first = -1;

	main_reload_pending(a);
	if (m->fever_seq == 0) {
		app_message(a, ROLE_NORMAL, "%s", _("No fever is waiting for a recheck."));
		return TUI_REDRAW;
	}
	for (i = 0; i < m->ndue; i++)
		if (m->due[i].due_ms <= now && due++ == 0)
			first = i;
	if (due == 0) {
		left = (m->fever_due_ms - now + 999) / 1000;
		app_message(a, ROLE_WARN, _("Too early: the recheck of #%lld is due in %lld:%02lld."),
		    (long long)m->fever_seq, (long long)(left / 60), (long long)(left % 60));
		return TUI_REDRAW | TUI_BELL;
	}
	if (due == 1 || m->in_recheck)
		return main_recheck_of(a, m->due[first].seq);
	m->picking = 1;	/* several are due: the operator says which person is in front */
	m->pick = first;
	app_message(a, ROLE_NORMAL, _("%d fevers are due for their recheck: pick the one in "
	    "front of you."), due);
	return TUI_REDRAW;
}

/* Up/Down/Enter/Esc in F8's pick list. */
static int
main_pick_key(struct app *a, int key)
{
	struct main_state *m = app_data(a, &screen_main);
	int64_t now = clock_now_ms();
	int i = m->pick;

	if (key == TK(KEY_UP) || key == TK(KEY_DOWN)) {
		do
			i = (i + (key == TK(KEY_UP) ? m->ndue - 1 : 1)) % m->ndue;
		while (m->due[i].due_ms > now && i != m->pick);
		m->pick = i;
		return TUI_REDRAW;
	}
	if (key == TK_ENTER)
		return main_recheck_of(a, m->due[m->pick].seq);
	if (key == TK_ESC) {
		m->picking = 0;
		app_message(a, ROLE_NORMAL, "%s", _("Cleared."));
		return TUI_REDRAW;
	}
	return TUI_UNHANDLED;
}

static int main_key_form(struct app *a, int key);

static int
main_key(struct app *a, int key)
{
	int r = main_key_form(a, key);

	main_unsaved(a);
	return r;
}

static int
main_key_form(struct app *a, int key)
{
	struct main_state *m = app_data(a, &screen_main);
	struct recform *rf = main_form(m);
	int r, c;

	if (m->confirm != CONFIRM_NONE) {
		/* the question on the alert line: y answers it, any other key goes back */
		c = m->confirm;
		m->confirm = CONFIRM_NONE;
		app_alert(a, ROLE_NORMAL, NULL);
		if (key == 'y' || key == 'Y')
			return main_save_as(a, c);
		app_message(a, ROLE_NORMAL, "%s", _("Not saved: back to the form."));
		main_fever_alert(a);
		return TUI_REDRAW;
	}
	if (m->picking)
		return main_pick_key(a, key);
	if (key != TK_ESC)
		m->esc_armed = 0;
	if (key == TK_ENTER && main_burst_enter(m, rf)) {
		app_message(a, ROLE_NORMAL, "%s", _("Scanned into the ID number."));
		return TUI_REDRAW;
	}
	if (!(key & TK_FN) && key >= 0x20 && key != 0x7f)
		main_burst_note(m, rf->form.cur);
	/* one field is enough for a temperature: Enter saves from anywhere in its form */
	if (key == TK_ENTER && rf->kind == REC_TEMP && !m->in_recheck)
		return main_save(a);
	if (key == TK_ENTER && main_enter_saves(rf))
		return main_save(a);
	r = form_key(&rf->form, key);
	switch (r) {
	case FORM_SUBMIT:
		return main_save(a);
	case FORM_CANCEL:
		if (!m->esc_armed && main_typed(rf)) {
			/* what was typed is never lost to one key */
			m->esc_armed = 1;
			app_message(a, ROLE_WARN, "%s", _("Esc again clears what is typed in this "
			    "form; any other key goes on."));
			return TUI_REDRAW | TUI_BELL;
		}
		m->esc_armed = 0;
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
	case FORM_REFUSED:
		app_message(a, ROLE_WARN, _("Not typed: %s takes no more, or not that character."),
		    _(rf->ff[rf->form.cur].label));
		return TUI_REDRAW | TUI_BELL;
	case FORM_EDITED:
		rf->recheck_of = m->in_recheck ? m->recheck_seq : 0;
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

	int64_t v;
	int flags = 0;

	if (a->lb == NULL)
		return 0;
	if (app_top(a) == &screen_main) {
		main_unsaved(a);
		/* another process wrote (the CLI, a second screen, a sync): show it within a
		 * second */
		if ((v = logbook_data_version(a->lb)) != m->data_version) {
			m->data_version = v;
			main_reload_log(a);
			main_reload_pending(a);
			flags |= TUI_REDRAW;
		}
	}
	/* the countdown goes on under every screen above this one too (search, inside
	 * now): it must not freeze */
	if (m->fever_seq == 0 || m->in_recheck)
		return flags;
	return flags | main_fever_alert(a);
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
