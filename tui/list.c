/* list.c — the record list behind inside-now and search (see list.h). */
#include <curses.h>
#include <string.h>

#include "tui/app.h"
#include "tui/keys.h"
#include "tui/list.h"
#include "tui/summary.h"

void
reclist_clear(struct reclist *l)
{
	memset(l, 0, sizeof *l);
}

int
reclist_add(const struct record *r, void *arg)
{
	struct reclist *l = arg;

	if (l->n >= LIST_MAX) {
		l->more = 1;
		return 1;
	}
	l->rows[l->n++] = *r;
	return 0;
}

int
reclist_key(struct reclist *l, int key, int page)
{
	switch (key) {
	case TK(KEY_UP):
		l->sel--;
		break;
	case TK(KEY_DOWN):
		l->sel++;
		break;
	case TK(KEY_PPAGE):
		l->sel -= page;
		break;
	case TK(KEY_NPAGE):
		l->sel += page;
		break;
	default:
		return 0;
	}
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	return 1;
}

void
reclist_draw(struct app *a, struct reclist *l, int y, int bottom)
{
	int rows = bottom - y + 1, i;

	if (rows <= 0)
		return;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (l->top < 0)
		l->top = 0;
	for (i = l->top; i < l->n && y <= bottom; i++, y++)
		summary_draw(a, y, 1, a->cols - 2, &l->rows[i], i == l->sel);
}

const struct record *
reclist_selected(const struct reclist *l)
{
	return l->n > 0 && l->sel >= 0 && l->sel < l->n ? &l->rows[l->sel] : NULL;
}
