/* hub-top.c — outpost-hub top: a live full-screen dashboard of the district (stations,
 * arrivals per minute, today's figures, overdue bins), refreshed every few seconds; q quits.
 * --batch prints one frame as plain text instead (for scripts and tests). A frame reads
 * only counters and daily totals: its cost does not grow with the records held. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "base/parse.h"
#include "base/text.h"
#include "cli/hub.h"
#include "storage/clock.h"
#include "hub/server.h"
#include "hub/report.h"

#define MINUTES 30
#define LINES_MAX 200
#define BIN_WINDOW_MS (24LL * 3600 * 1000)

/* One frame: lines of text, drawn by curses or printed. */
struct frame {
	char line[LINES_MAX][160];
	int bold[LINES_MAX];
	int n;
};

static void
add(struct frame *f, int bold, const char *fmt, ...)
{
	va_list ap;
	char raw[sizeof f->line[0]];

	if (f->n >= LINES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* Station names, bin codes and kinds come from the store: shown, never obeyed. */
	text_escape(raw, f->line[f->n], sizeof f->line[0]);
	f->bold[f->n++] = bold;
}

static const char *const status_names[] = { "pending", "active", "revoked" };

static int
station_row(const struct hub_station *s, void *arg)
{
	char seen[32];

	hub_cli_time(s->last_seen_ms, seen, sizeof seen);
	add(arg, 0, "  %-20s %-8s %-16s %9llu %7llu %+8.1fs", s->name, status_names[s->status],
	    seen, (unsigned long long)s->held,
	    (unsigned long long)(s->max_seq > s->held ? s->max_seq - s->held : 0),
	    (double)s->skew_ms / 1000.0);
	return 0;
}

static int
fever_row(const struct hub_total *t, void *arg)
{
	if (t->fevers > 0)
		add(arg, 0, "  %-20s %-8s %6lld", t->station, t->kind, (long long)t->fevers);
	return 0;
}

static int
released_row(const struct hub_total *t, void *arg)
{
	if (t->released > 0)
		add(arg, 0, "  %-20s %-8s %6lld", t->station, t->kind, (long long)t->released);
	return 0;
}

static int
bin_row(const char *station, const char *bin, int64_t last, void *arg)
{
	char t[32];

	hub_cli_time(last, t, sizeof t);
	add(arg, 0, "  %-20s %-12s %s", station, bin, last ? t : "never collected");
	return 0;
}

static int
build(struct hub_store *db, struct frame *f, struct err *e)
{
	struct hub_span all = HUB_SPAN_ALL, today_sc = HUB_SPAN_ALL;
	int64_t now = hub_now_ms(), counts[MINUTES], max = 1, today;
	char bars[MINUTES * 4 + 1], ts[32];
	static const char *const blocks[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	int64_t tomorrow;
	int i, rc, tz = clock_tz_min(now);

	f->n = 0;
	clock_format(now, tz, ts, sizeof ts);
	clock_day_bounds(clock_day(now, tz), &today, &tomorrow);
	add(f, 1, "outpost-hub top — %s   (q quits)", ts);
	add(f, 0, "");
	add(f, 1, "  %-20s %-8s %-16s %9s %7s %9s", "STATION", "STATUS", "LAST SEEN", "HELD",
	    "BEHIND", "SKEW");
	if ((rc = hubstore_stations(db, station_row, f, e)) != E_OK)
		return rc;
	if ((rc = hubstore_arrivals(db, now, MINUTES, counts, e)) != E_OK)
		return rc;
	for (i = 0; i < MINUTES; i++)
		if (counts[i] > max)
			max = counts[i];
	bars[0] = '\0';
	for (i = MINUTES - 1; i >= 0; i--)
		strcat(bars, blocks[counts[i] == 0 ? 0 : 1 + (int)(counts[i] * 7 / max)]);
	add(f, 0, "");
	add(f, 1, "Arrivals per minute, last %d min (max %lld, this minute %lld):", MINUTES,
	    (long long)max, (long long)counts[0]);
	add(f, 0, "  |%s|", bars);
	add(f, 0, "");
	add(f, 1, "Fevers today:");
	today_sc.day_from = hub_day_of(today);
	today_sc.day_to = today_sc.day_from + 1;
	(void)tomorrow;
	if ((rc = hubstore_report_totals(db, &today_sc, fever_row, f, e)) != E_OK)
		return rc;
	add(f, 0, "");
	add(f, 1, "Fevers released as pass today:");
	if ((rc = hubstore_report_totals(db, &today_sc, released_row, f, e)) != E_OK)
		return rc;
	add(f, 0, "");
	add(f, 1, "Mask bins overdue (24 h):");
	return hubstore_report_bins(db, &all, now, BIN_WINDOW_MS, bin_row, f, e);
}

static void
draw(const struct frame *f)
{
	int i;

	erase();
	for (i = 0; i < f->n && i < LINES; i++) {
		if (f->bold[i])
			attron(A_BOLD);
		mvaddnstr(i, 0, f->line[i], COLS);
		if (f->bold[i])
			attroff(A_BOLD);
	}
	refresh();
}

static int hub_cmd_top(struct cli_args *);

static const struct cli_opt options[] = {
	{ "interval", "SECONDS", N_("refresh every SECONDS (1-3600, default 2)"), NULL, 0 },
	{ "batch", NULL, N_("print one frame as plain text and exit (for scripts)"), NULL, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
const struct command hub_top_entry = {
	"top", "", N_("live full-screen dashboard of the district"), options, 0, hub_cmd_top,
};

static int
hub_cmd_top(struct cli_args *a)
{
	struct hub_cli h = { 0 };
	struct err e = { 0 };
	struct frame *f;
	int rc = E_OK, batch = cli_flag(a, "batch") > 0, interval = 2, i, ch;
	int64_t v;

	if (cli_arg(a, "interval") != NULL) {
		if (parse_int(cli_arg(a, "interval"), 1, 3600, "--interval", &v, &e) != E_OK)
			return cli_fail(&e);
		interval = (int)v;
	}
	if (a->argc != 0)
		return cli_usage("top");
	hub_cli_args(&h, a);
	if ((f = calloc(1, sizeof *f)) == NULL)
		return E_IO;
	if (hub_cli_open(&h, &e) != E_OK) {
		free(f);
		return cli_fail(&e);
	}
	if (batch) {
		if ((rc = build(h.s, f, &e)) == E_OK)
			for (i = 0; i < f->n; i++)
				printf("%s\n", f->line[i]);
		goto out;
	}
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout(interval * 1000);
	for (;;) {
		if ((rc = build(h.s, f, &e)) != E_OK)
			break;
		draw(f);
		ch = getch();
		if (ch == 'q' || ch == 'Q' || ch == 27)
			break;
	}
	endwin();	/* errors are printed only after curses is down */
out:
	hub_cli_close(&h);
	free(f);
	return rc == E_OK ? E_OK : cli_fail(&e);
}
