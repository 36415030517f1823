/* draw.c — column-true drawing (see draw.h): every string goes through mbstowcs and
 * wcwidth, so a label in Chinese takes the two columns per character it really does. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/err.h"
#include "tui/draw.h"
#include "tui/status.h"

#define WBUF 512

static size_t
to_wide(const char *s, wchar_t *w, size_t cap)
{
	mbstate_t st;
	size_t n = 0, r;
	const char *p = s;

	memset(&st, 0, sizeof st);
	while (*p != '\0' && n + 1 < cap) {
		r = mbrtowc(&w[n], p, strlen(p), &st);
		if (r == (size_t)-1 || r == (size_t)-2) {
			w[n++] = L'?';
			p++;
			memset(&st, 0, sizeof st);
			continue;
		}
		p += r;
		n++;
	}
	w[n] = L'\0';
	return n;
}

void
draw_cut(int y, int x, int width)
{
	static FILE *log;
	static int opened;
	const char *path;

	if (!opened) {
		opened = 1;
		if ((path = getenv("OUTPOST_TUI_CUTS")) != NULL && path[0] != '\0' &&
		    (log = fopen(path, "ae")) != NULL)
			setvbuf(log, NULL, _IOLBF, 0);
	}
	if (log != NULL)
		fprintf(log, "cut row %d col %d width %d\n", y, x, width);
}

int
draw_width(const char *s)
{
	wchar_t w[WBUF];
	size_t i, n = to_wide(s, w, WBUF);
	int cols = 0;

	for (i = 0; i < n; i++)
		cols += field_char_width(w[i]);
	return cols;
}

int
draw_str(int y, int x, int width, const char *s, int attr, int pad)
{
	wchar_t w[WBUF];
	size_t i, n;
	int cols = 0, cw;

	if (width <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + width > COLS)
		width = COLS - x;
	n = to_wide(s, w, WBUF);
	attron(attr);
	move(y, x);
	for (i = 0; i < n; i++) {
		wchar_t c = w[i];

		cw = field_char_width(c);
		if (cols + cw > width) {
			if (!(pad & DRAW_DATA)) {
				draw_cut(y, x, width);
				break;
			}
			/* data (a name, a place) cut to its column: say so with an ellipsis */
			while (cols + 1 > width && i > 0) {
				cols -= field_char_width(w[--i]);
				move(y, x + cols);
			}
			if (cols + 1 <= width) {
				addnwstr(L"…", 1);
				cols++;
			}
			break;
		}
		if (c < 32 || c == 127)
			c = L'?';
		addnwstr(&c, 1);
		cols += cw;
	}
	if (pad & 1)
		for (; cols < width; cols++)
			addch(' ');
	attroff(attr);
	return cols;
}

void
draw_right(int y, int x, int width, const char *s, int attr)
{
	int w = draw_width(s);

	if (w > width)
		w = width;
	draw_str(y, x + width - w, w, s, attr, 0);
}

/* Where to break w[from..n) to fit width columns: after the last space that fits, or
 * before the first character that does not (CJK breaks anywhere). Sets *cols to the
 * columns taken; returns the index one past the last character of the line. */
static size_t
wrap_line(const wchar_t *w, size_t from, size_t n, int width, int *cols)
{
	size_t i, space = 0;
	int c = 0, at_space = 0, cw;

	for (i = from; i < n; i++) {
		cw = field_char_width(w[i]);
		if (c + cw > width)
			break;
		if (w[i] == L' ') {
			space = i;
			at_space = c;
		}
		c += cw;
	}
	if (i < n && space > from && (w[i] < 0x2e80 || w[i] == L' ')) {
		/* Latin text: break at the last space, unless the next character starts a
		 * CJK run (which may break anywhere) */
		*cols = at_space;
		return space;
	}
	*cols = c;
	return i;
}

int
draw_wrap_rows(const char *s, int width)
{
	wchar_t w[WBUF];
	size_t n = to_wide(s, w, WBUF), i = 0, e;
	int rows = 0, c;

	if (width <= 0)
		return 0;
	while (i < n) {
		e = wrap_line(w, i, n, width, &c);
		if (e == i)
			e = i + 1;	/* a character wider than the line: skip it */
		for (i = e; i < n && w[i] == L' '; i++)
			;
		rows++;
	}
	return rows;
}

int
draw_wrap(int y, int x, int width, int maxrows, const char *s, int attr)
{
	wchar_t w[WBUF];
	size_t n = to_wide(s, w, WBUF), i = 0, e, k;
	int rows = 0, c;

	if (width <= 0)
		return 0;
	attron(attr);
	while (i < n && rows < maxrows && y + rows < LINES) {
		e = wrap_line(w, i, n, width, &c);
		if (e == i)
			e = i + 1;
		move(y + rows, x);
		for (k = i; k < e; k++) {
			wchar_t ch = w[k] < 32 || w[k] == 127 ? L'?' : w[k];

			addnwstr(&ch, 1);
		}
		for (i = e; i < n && w[i] == L' '; i++)
			;
		rows++;
	}
	attroff(attr);
	if (i < n)
		draw_cut(y + rows - 1, x, width);
	return rows;
}

void
draw_fill(int y, int x, int width, int attr)
{
	draw_str(y, x, width, "", attr, 1);
}

void
draw_field(struct app *a, int y, int x, int width, struct field *f, int focus)
{
	size_t i, n;
	int col, cols = 0;
	int attr = app_attr(a, ROLE_FIELD);

	if (width < 2 || y >= LINES)
		return;
	n = field_layout(f, width, &col);
	attron(attr);
	move(y, x);
	for (i = 0; i < n; i++) {
		wchar_t c = (f->flags & FIELD_SECRET) ? L'*' : f->buf[f->scroll + i];

		addnwstr(&c, 1);
		cols += field_char_width(c);
	}
	for (; cols < width; cols++)
		addch(' ');
	attroff(attr);
	if (focus) {
		a->cursor_y = y;
		a->cursor_x = x + col;
	}
}

/* A note too long for the room beside a field that has not the cursor: the words that
 * fit, then "…" (the whole note is shown under the form when the field has it). */
static void
draw_note_short(int y, int x, int width, const char *note, int attr)
{
	char buf[FORM_NOTE_MAX + 4];
	size_t len = strlen(note), cut;

	snprintf(buf, sizeof buf, "%s", note);
	for (cut = len; cut > 0; cut--) {
		if (cut < len && (buf[cut] & 0xc0) == 0x80)
			continue;	/* inside a UTF-8 sequence */
		buf[cut] = '\0';
		while (cut > 0 && buf[cut - 1] == ' ')
			buf[--cut] = '\0';
		strcat(buf, "…");
		if (draw_width(buf) <= width)
			break;
	}
	draw_str(y, x, width, buf, attr, DRAW_DATA);
}

int
draw_form(struct app *a, struct form *fm, int y, int x, int field_w)
{
	int i, lw = 0, w, note_x, bottom = app_body_bottom(a), room;
	const char *below = NULL, *hint = NULL;
	int below_role = ROLE_DIM, below_y = 0;

	for (i = 0; i < fm->n; i++)
		if ((w = draw_width(_(fm->fields[i].label))) > lw)
			lw = w;
	/* labels whole ("passengers besides the driver"): up to two fifths of the width; long
	 * notes go under the form anyway */
	if (lw > a->cols * 2 / 5)
		lw = a->cols * 2 / 5;
	note_x = x + lw + 2 + field_w + 1;
	room = a->cols - note_x;
	for (i = 0; i < fm->n && y <= bottom; i++, y++) {
		struct form_field *ff = &fm->fields[i];
		const char *note = ff->note;
		int role = ROLE_DIM;

		int focus = i == fm->cur && !fm->inactive;

		draw_right(y, x, lw, _(ff->label), focus ? A_BOLD : (int)A_NORMAL);
		draw_str(y, x + lw, 2, focus ? "▸ " : "  ", A_BOLD, 1);
		draw_field(a, y, x + lw + 2, field_w, &ff->f, focus);
		if (ff->state == FORM_BAD) {
			role = ROLE_ALERT;
			if (note[0] == '\0')
				note = ff->f.len == 0 ? _("required") : _("not valid");
		} else if (ff->state == FORM_WARN)
			role = ROLE_WARN;
		else if (note[0] != '\0')
			role = ROLE_OK;
		if (focus && ff->hint[0] != '\0') {
			/* the hint (the choices) stays in sight while something is typed */
			if (note[0] == '\0') {
				note = ff->hint;
				role = ROLE_DIM;
			} else if (strcmp(note, ff->hint) != 0)
				hint = ff->hint;
		}
		if (note[0] == '\0')
			continue;
		if (room > 0 && draw_width(note) <= room)
			draw_str(y, note_x, room, note, app_attr(a, role), 0);
		else if (focus) {
			/* the whole of it under the form, wrapped */
			below = note;
			below_role = role;
			below_y = y;
			if (room > 2)
				draw_str(y, note_x, room, "↓", app_attr(a, role), 0);
		} else if (room > 2)
			draw_note_short(y, note_x, room, note, app_attr(a, role));
	}
	if (below != NULL && y <= bottom)
		y += draw_wrap(y, x + 2, a->cols - x - 3, bottom - y + 1, below,
		    app_attr(a, below_role));
	else if (below != NULL && room > 2)	/* no row left under the form */
		draw_note_short(below_y, note_x, room, below, app_attr(a, below_role));
	if (hint != NULL && y <= bottom)
		y += draw_wrap(y, x + 2, a->cols - x - 3, bottom - y + 1, hint,
		    app_attr(a, ROLE_DIM));
	return y;
}

const char *
draw_key_for(const struct app *a, const struct key_binding *table, int (*action)(struct app *))
{
	for (; table->key != 0; table++)
		if (table->action == action)
			return key_name(key_shown(table, a->fkeys));
	return "?";
}

static int
key_bar_width(const struct app *a, const struct key_binding *k)
{
	return draw_width(key_name(key_shown(k, a->fkeys))) + 1 + draw_width(_(k->label)) + 1;
}

static int
key_bar_item(const struct app *a, int y, int x, int w, const struct key_binding *k,
    int keyattr, int bar)
{
	int end = x + w;

	x += draw_str(y, x, end - x, key_name(key_shown(k, a->fkeys)), keyattr, 0);
	x += draw_str(y, x, end - x, " ", bar, 0);
	x += draw_str(y, x, end - x, _(k->label), bar, 0);
	x += draw_str(y, x, end - x, " ", bar, 0);
	return x;
}

void
draw_frame(struct app *a)
{
	const struct screen *s = app_top(a);
	const struct key_binding *tabs[2] = { s != NULL ? s->keys : NULL, app_global_keys };
	const struct key_binding *k, *help;
	int help_w;
	int bar = app_attr(a, ROLE_BAR), keyattr = app_attr(a, ROLE_KEY);
	int x = 0, t, y = a->rows - 1, w;
	char status[256];

	/* status bar */
	draw_fill(0, 0, a->cols, bar);
	status_left(a, status, sizeof status);
	draw_str(0, 1, a->cols - 2, status, bar | A_BOLD, 0);
	status_right(a, status, sizeof status);
	w = draw_width(status);
	if (w < a->cols - 2)
		draw_str(0, a->cols - 1 - w, w, status, bar, 0);

	/* alert line, and a second one when it needs it (app_body_top leaves room) */
	if (a->alert[0] != '\0') {
		t = app_body_top(a) - 1;
		for (w = 1; w <= t; w++)
			draw_fill(w, 0, a->cols, app_attr(a, a->alert_role) | A_BOLD);
		draw_wrap(1, 0, a->cols, t, a->alert, app_attr(a, a->alert_role) | A_BOLD);
	}

	/* message line, two when it needs them (app_body_bottom leaves room) */
	if (a->message[0] != '\0') {
		t = app_body_bottom(a) + 1;
		for (w = t; w <= a->rows - 2; w++)
			draw_fill(w, 0, a->cols, app_attr(a, a->message_role));
		draw_wrap(t, 0, a->cols, a->rows - 1 - t, a->message,
		    app_attr(a, a->message_role));
	}

	/* key bar, from the same tables as the help screen; the first global key (F1 Help) is
	 * always shown, at the right end if the others fill the bar */
	draw_fill(y, 0, a->cols, bar);
	help = &app_global_keys[0];
	help_w = key_bar_width(a, help);
	for (t = 0; t < 2; t++) {
		if (tabs[t] == NULL)
			continue;
		for (k = tabs[t]; k->key != 0; k++) {
			if (k->label == NULL || k->label[0] == '\0' || k == help ||
			    !app_offers(a, t == 0 ? s : NULL, k))
				continue;
			if (x + key_bar_width(a, k) + help_w > a->cols)
				goto last;
			x = key_bar_item(a, y, x, a->cols - x, k, keyattr, bar);
		}
	}
last:
	key_bar_item(a, y, x + help_w <= a->cols ? x : a->cols - help_w, help_w, help, keyattr,
	    bar);
}
