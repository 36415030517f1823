/* form.c — moving between fields, checking them as they change, and deciding when a form
 * may be saved (see form.h). Errors are notes beside fields; nothing typed is dropped. */
#include <assert.h>
#include <curses.h>
#include <string.h>

#include "base/err.h"
#include "tui/form.h"
#include "tui/keys.h"

void
form_field_init(struct form_field *ff, const char *label, size_t max, int flags,
    int required, form_check_fn check)
{
	memset(ff, 0, sizeof *ff);
	ff->label = label;
	field_init(&ff->f, max, flags);
	ff->required = required;
	ff->check = check;
}

void
form_init(struct form *fm, struct form_field *fields, int n, void *ctx)
{
	assert(n > 0);
	fm->fields = fields;
	fm->n = n;
	fm->cur = 0;
	fm->ctx = ctx;
	fm->inactive = 0;
}

const char *
form_text(const struct form *fm, int i, char *out, size_t outsz)
{
	assert(i >= 0 && i < fm->n);
	if (field_get(&fm->fields[i].f, out, outsz) < 0 && outsz > 0)
		out[0] = '\0';
	return out;
}

int
form_check_field(struct form *fm, int i)
{
	struct form_field *ff = &fm->fields[i];
	char text[FIELD_CAP * 4 + 1];

	ff->note[0] = '\0';
	ff->state = FORM_OK;
	form_text(fm, i, text, sizeof text);
	if (text[0] == '\0') {
		/* An empty optional field is fine; an empty required one is reported by
		 * form_validate, so typing never starts with red. */
		return ff->state;
	}
	if (ff->check != NULL)
		ff->state = ff->check(ff, text, fm->ctx);
	return ff->state;
}

void
form_focus(struct form *fm, int i)
{
	assert(i >= 0 && i < fm->n);
	fm->fields[fm->cur].touched = 1;
	fm->cur = i;
}

static int
form_move(struct form *fm, int d)
{
	int to = fm->cur + d;

	if (to < 0 || to >= fm->n)
		return FORM_IGNORED;
	form_focus(fm, to);
	return FORM_MOVED;
}

int
form_key(struct form *fm, int key)
{
	struct field *f = &fm->fields[fm->cur].f;
	int r;

	switch (key) {
	case TK_ESC:
		return FORM_CANCEL;
	case TK_TAB:
	case TK(KEY_DOWN):
		r = form_move(fm, 1);
		return r == FORM_IGNORED ? (form_move(fm, -fm->cur), FORM_MOVED) : r;
	case TK(KEY_BTAB):
	case TK(KEY_UP):
		r = form_move(fm, -1);
		return r == FORM_IGNORED ? (form_move(fm, fm->n - 1 - fm->cur), FORM_MOVED) : r;
	case TK_ENTER:
		fm->fields[fm->cur].touched = 1;
		if (fm->cur == fm->n - 1)
			return FORM_SUBMIT;
		return form_move(fm, 1);
	case TK(KEY_LEFT):
		return field_left(f) == 0 ? FORM_MOVED : FORM_IGNORED;
	case TK(KEY_RIGHT):
		return field_right(f) == 0 ? FORM_MOVED : FORM_IGNORED;
	case TK(KEY_HOME):
	case TK_CTRL('A'):
		field_home(f);
		return FORM_MOVED;
	case TK(KEY_END):
	case TK_CTRL('E'):
		field_end(f);
		return FORM_MOVED;
	case TK(KEY_BACKSPACE):
		if (field_backspace(f) != 0)
			return FORM_MOVED;
		break;
	case TK(KEY_DC):
	case TK_CTRL('D'):
		if (field_delete(f) != 0)
			return FORM_MOVED;
		break;
	case TK_CTRL('K'):
		field_kill_end(f);
		break;
	case TK_CTRL('U'):
		field_kill_start(f);
		break;
	default:
		if ((key & TK_FN) || key < 32)
			return FORM_IGNORED;
		if (fm->fields[fm->cur].replace)
			field_clear(f);
		if (field_insert(f, (wchar_t)key) != 0)
			return FORM_REFUSED;	/* consumed, never silently */
		break;
	}
	fm->fields[fm->cur].touched = 1;
	fm->fields[fm->cur].replace = 0;
	form_check_field(fm, fm->cur);
	return FORM_EDITED;
}

int
form_validate(struct form *fm)
{
	int i, first = -1;

	for (i = 0; i < fm->n; i++) {
		struct form_field *ff = &fm->fields[i];

		ff->touched = 1;
		form_check_field(fm, i);
		if (ff->state != FORM_BAD && ff->required && ff->f.len == 0) {
			ff->state = FORM_BAD;
			/* the note is translated when drawn: see draw_form */
			strcpy(ff->note, "");
		}
		if (ff->state == FORM_BAD && first < 0)
			first = i;
	}
	if (first >= 0)
		fm->cur = first;
	return first;
}

void
form_clear(struct form *fm)
{
	int i;

	for (i = 0; i < fm->n; i++) {
		field_clear(&fm->fields[i].f);
		fm->fields[i].note[0] = '\0';
		fm->fields[i].state = FORM_OK;
		fm->fields[i].touched = 0;
		fm->fields[i].replace = 0;
	}
	fm->cur = 0;
}

/* The keys form_key understands, for the help screen (form_key's switch above is what they
 * do; the two are kept side by side in this file). */
const struct key_binding form_keys_help[] = {
	{ TK_TAB, TK(KEY_DOWN), NULL, N_("Next field"), N_("Next field (wraps around)"), 0 },
	{ TK(KEY_BTAB), TK(KEY_UP), NULL, N_("Previous field"), N_("Previous field"), 0 },
	{ TK_ENTER, 0, NULL, N_("Next/Save"),
	    N_("Next field; on the last field (or a temperature) saves"), 0 },
	{ TK_ESC, 0, NULL, N_("Cancel"), N_("Cancel: clear the form or leave the screen"), 0 },
	{ TK(KEY_HOME), TK_CTRL('A'), NULL, N_("Start"), N_("Cursor to the start of the field"), 0 },
	{ TK(KEY_END), TK_CTRL('E'), NULL, N_("End"), N_("Cursor to the end of the field"), 0 },
	{ TK(KEY_DC), TK_CTRL('D'), NULL, N_("Delete"), N_("Delete the character at the cursor"), 0 },
	{ TK_CTRL('K'), 0, NULL, N_("Cut end"), N_("Delete to the end of the field"), 0 },
	{ TK_CTRL('U'), 0, NULL, N_("Cut start"), N_("Delete to the start of the field"), 0 },
	{ 0, 0, NULL, NULL, NULL, 0 },
};
